# What makes the build fast on a small machine (docs/contributing.md): ccache and mold when they
# are installed, as scripts/setup.sh does.
#
# Compiles through ccache, with a cache
# shared by every checkout on the machine: cmake/ccache-launcher.sh makes paths under the source
# folder relative, and debug information names files relative to it, so a second clone of the
# same commit compiles almost nothing (docs/contributing.md). -DBERTH_CCACHE=OFF turns it off.
option(BERTH_CCACHE "Compile through ccache when it is installed" ON)
find_program(BERTH_CCACHE_PROGRAM ccache)
if(BERTH_CCACHE AND BERTH_CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(launcher "${CMAKE_SOURCE_DIR}/cmake/ccache-launcher.sh" "${BERTH_CCACHE_PROGRAM}"
      "${CMAKE_SOURCE_DIR}")
  set(CMAKE_C_COMPILER_LAUNCHER ${launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${launcher})
endif()
# Relative paths in debug information: the same object file whichever folder it was built in.
add_compile_options("-fdebug-prefix-map=${CMAKE_SOURCE_DIR}=.")

# Debug information of optimised code without GCC's variable-tracking assignments: types,
# functions, lines and variables are all there, but where an optimised variable lives is tracked
# less precisely (gdb says "optimized out" more often). It takes a fifth of each optimised
# file's compile time; -DBERTH_PRECISE_DEBUG_LOCATIONS=ON brings it back for a debugging session.
option(BERTH_PRECISE_DEBUG_LOCATIONS "Track optimised variables' locations precisely (slower)" OFF)
if(NOT BERTH_PRECISE_DEBUG_LOCATIONS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-fno-var-tracking-assignments>)
endif()

# mold links the many test executables several times faster than ld.bfd (setup installs it).
option(BERTH_MOLD "Link with mold when it is installed" ON)
find_program(BERTH_MOLD_PROGRAM mold)
if(BERTH_MOLD AND BERTH_MOLD_PROGRAM AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_link_options(-fuse-ld=mold)
endif()

# Precompiled headers. Most of a file's parse time goes into the same standard, fmt and GoogleTest
# headers; each set is compiled once into a precompiled header that many targets reuse
# (REUSE_FROM needs the same flags, so there is one set for the optimised libraries and one for
# the tests, built at -O0). Only headers from outside the project are precompiled: a change to a
# berth header recompiles the files that include it, never a whole target.
set(BERTH_PCH_STD_HEADERS <algorithm> <array> <cstdint> <cstring> <filesystem> <functional> <map>
  <memory> <optional> <set> <span> <string> <string_view> <unordered_map> <utility> <variant>
  <vector>)

# berth_precompiled_headers(PCH_TARGET STATIC_LIBRARY|EXECUTABLE HEADER... [LINK lib...]
#   [OPTIONS flag...]): a target of that type that compiles HEADER... once for the targets that
# name it in berth_reuse_precompiled_headers (an executable's LINK must provide main).
function(berth_precompiled_headers name type)
  cmake_parse_arguments(arg "" "" "LINK;OPTIONS" ${ARGN})
  if(type STREQUAL "EXECUTABLE")
    add_executable(${name} "${CMAKE_SOURCE_DIR}/cmake/precompiled.cc")
  else()
    add_library(${name} STATIC "${CMAKE_SOURCE_DIR}/cmake/precompiled.cc")
  endif()
  target_link_libraries(${name} PRIVATE ${arg_LINK})
  target_compile_options(${name} PRIVATE ${arg_OPTIONS})
  target_precompile_headers(${name} PRIVATE ${arg_UNPARSED_ARGUMENTS})
endfunction()

# berth_reuse_precompiled_headers(PCH_TARGET DIR): every C++ library and executable defined in
# DIR and its subfolders that has no precompiled header of its own reuses PCH_TARGET's.
function(berth_reuse_precompiled_headers pch dir)
  get_target_property(pch_type ${pch} TYPE)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    get_target_property(own ${target} PRECOMPILE_HEADERS)
    get_target_property(reused ${target} PRECOMPILE_HEADERS_REUSE_FROM)
    # -fPIC and -fPIE objects cannot share one: libraries reuse a library's, programs a program's.
    if(type STREQUAL pch_type AND NOT own AND NOT reused AND NOT target STREQUAL pch)
      target_precompile_headers(${target} REUSE_FROM ${pch})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    berth_reuse_precompiled_headers(${pch} "${subdir}")
  endforeach()
endfunction()
