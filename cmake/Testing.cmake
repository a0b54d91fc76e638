include(GoogleTest)

# berth_gtest(NAME SOURCES ... LIBS ...): a GoogleTest binary whose cases CTest runs one by one.
function(berth_gtest name)
  cmake_parse_arguments(arg "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}/tests")
  target_compile_definitions(${name} PRIVATE
    BERTH_GUEST_DIR="${BERTH_GUEST_DIR}"
    BERTH_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    BERTH_BINARY_DIR="${CMAKE_BINARY_DIR}")
  add_dependencies(${name} guests)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES TIMEOUT 120)
endfunction()
