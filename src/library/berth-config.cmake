# find_package(berth): the target berth::berth (libberth.so and the headers under include/berth),
# BERTH_EXECUTABLE (the berth command of the same install) and berth_host_bindings().
include("${CMAKE_CURRENT_LIST_DIR}/berth-targets.cmake")
get_filename_component(BERTH_EXECUTABLE "${CMAKE_CURRENT_LIST_DIR}/../../../bin/berth" ABSOLUTE)

# berth_host_bindings(HEADER WIT [WORLD NAME]): generates HEADER, the C++ host bindings of the
# world (docs/embedding.md, "Bindings"), from WIT (a .wit file or a folder) at build time; list
# HEADER among a target's sources so that it is made first.
function(berth_host_bindings header wit)
  cmake_parse_arguments(arg "" "WORLD" "" ${ARGN})
  set(world_args "")
  if(arg_WORLD)
    set(world_args --world "${arg_WORLD}")
  endif()
  if(IS_DIRECTORY "${wit}")
    file(GLOB_RECURSE wit_files CONFIGURE_DEPENDS "${wit}/*.wit")
  else()
    set(wit_files "${wit}")
  endif()
  add_custom_command(OUTPUT "${header}"
    COMMAND "${BERTH_EXECUTABLE}" bindgen "${wit}" ${world_args} -o "${header}"
    DEPENDS ${wit_files} "${BERTH_EXECUTABLE}"
    COMMENT "Generating the C++ host bindings ${header} (berth bindgen)")
endfunction()
