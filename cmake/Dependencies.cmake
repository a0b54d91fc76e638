# Finds the Debian packages berth builds against. scripts/setup.sh installs all of them.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)

# V8 from Debian's libnode: either installed system-wide (libnode-dev) or unpacked by
# scripts/setup.sh into .deps/libnode when apt refuses it next to NodeSource's Node.js.
set(BERTH_LIBNODE_ROOT "${CMAKE_SOURCE_DIR}/.deps/libnode/usr" CACHE PATH "Unpacked libnode-dev")
find_path(BERTH_V8_INCLUDE_DIR v8.h
  PATHS "${BERTH_LIBNODE_ROOT}/include/node" /usr/include/node NO_DEFAULT_PATH REQUIRED)
find_library(BERTH_LIBNODE NAMES node libnode.so.108
  PATHS "${BERTH_LIBNODE_ROOT}/lib/x86_64-linux-gnu" /usr/lib/x86_64-linux-gnu NO_DEFAULT_PATH
  REQUIRED)
get_filename_component(BERTH_LIBNODE_DIR "${BERTH_LIBNODE}" DIRECTORY)
add_library(berth_v8 INTERFACE)
target_include_directories(berth_v8 SYSTEM INTERFACE "${BERTH_V8_INCLUDE_DIR}")
target_link_libraries(berth_v8 INTERFACE "${BERTH_LIBNODE}")
# Must match how Debian built V8 (include/node/config.gypi): no pointer compression.
target_compile_definitions(berth_v8 INTERFACE V8_DEPRECATION_WARNINGS=0)
set(CMAKE_BUILD_RPATH "${BERTH_LIBNODE_DIR}")
set(CMAKE_INSTALL_RPATH "${BERTH_LIBNODE_DIR}")

find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
