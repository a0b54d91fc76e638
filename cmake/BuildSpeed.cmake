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

# mold links the many test executables several times faster than ld.bfd (setup installs it).
option(BERTH_MOLD "Link with mold when it is installed" ON)
find_program(BERTH_MOLD_PROGRAM mold)
if(BERTH_MOLD AND BERTH_MOLD_PROGRAM AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_link_options(-fuse-ld=mold)
endif()
