include(GoogleTest)

# berth_gtest(NAME SOURCES ... LIBS ...): a GoogleTest binary whose cases CTest runs one by one.
function(berth_gtest name)
  cmake_parse_arguments(arg "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBS} berth_test_paths GTest::gtest GTest::gmock
    GTest::gtest_main)
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}/tests")
  # The tests' own code is compiled without optimisation: it is most of the build's compile time
  # and none of its run time. The code under test is linked from the libraries, optimised as usual.
  target_compile_options(${name} PRIVATE -O0)
  target_precompile_headers(${name} REUSE_FROM berth_test_pch)
  add_dependencies(${name} guests)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES TIMEOUT 120)
endfunction()
