# Test guests are built from source: C with clang-19 for wasm32, WAT with wabt's wat2wasm.
find_program(BERTH_CLANG_WASM NAMES clang-19 REQUIRED)
find_program(BERTH_WAT2WASM NAMES wat2wasm REQUIRED)
find_program(BERTH_NODE NAMES node REQUIRED)
set(BERTH_GUEST_TOOLS "${CMAKE_SOURCE_DIR}/tools/guest")
set(BERTH_GUEST_DIR "${CMAKE_BINARY_DIR}/guests")
file(MAKE_DIRECTORY "${BERTH_GUEST_DIR}")
add_custom_target(guests ALL)

# Every guest is built through cmake/guest-cache.sh, which keeps it in a cache shared by the
# checkouts on this machine, keyed by the hash of the commands, of the inputs named below and of
# the tools' versions (docs/contributing.md): a second clone copies its guests instead of
# building them. The tools are the Debian packages behind clang's wasm targets, wabt and node
# (read here) and jco/componentize-js (the npm lock file, hashed when a guest is built).
execute_process(COMMAND dpkg-query -W "-f=\${Package}=\${Version} " clang-19 lld-19 wasi-libc
  libclang-rt-19-dev-wasm32 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 wabt
  OUTPUT_VARIABLE guest_packages ERROR_QUIET)
execute_process(COMMAND "${BERTH_NODE}" --version OUTPUT_VARIABLE guest_node
  OUTPUT_STRIP_TRAILING_WHITESPACE)
set(BERTH_GUEST_TOOLS_KEY -t "${guest_packages}node=${guest_node}"
  -f "${BERTH_GUEST_TOOLS}/package-lock.json")

# berth_cached_guest(NAME OUT KEY -f FILE|-d DIR ... COMMANDS CMD ... [--- CMD ...] DEPENDS ...
#   COMMENT TEXT): the custom command and target that build guest NAME into OUT through the
# cache. KEY names every file and folder the commands read besides the tools.
function(berth_cached_guest name out)
  cmake_parse_arguments(arg "" "COMMENT" "KEY;COMMANDS;DEPENDS" ${ARGN})
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_SOURCE_DIR}/cmake/guest-cache.sh" "${out}" "${CMAKE_SOURCE_DIR}"
            "${CMAKE_BINARY_DIR}" ${BERTH_GUEST_TOOLS_KEY} ${arg_KEY} -- ${arg_COMMANDS}
    DEPENDS ${arg_DEPENDS} "${CMAKE_SOURCE_DIR}/cmake/guest-cache.sh"
    COMMENT "${arg_COMMENT}" VERBATIM)
  add_custom_target(guest_${name} DEPENDS "${out}")
  add_dependencies(guests guest_${name})
endfunction()

# berth_c_guest(NAME SOURCE [FLAGS ...]): a freestanding wasm32 module with no libc.
function(berth_c_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  get_filename_component(src_dir "${src}" DIRECTORY)
  berth_cached_guest(${name} "${out}" KEY -d "${src_dir}"
    COMMANDS "${BERTH_CLANG_WASM}" --target=wasm32 -O2 -nostdlib -Wl,--no-entry
             -Wl,--export-dynamic -Wl,--strip-debug ${ARGN} -o "${out}" "${src}"
    DEPENDS "${src}" COMMENT "Building wasm guest ${name}.wasm")
endfunction()

# berth_wat_guest(NAME SOURCE [FLAGS ...]): a module assembled from the text format.
function(berth_wat_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  berth_cached_guest(${name} "${out}" KEY -f "${src}"
    COMMANDS "${BERTH_WAT2WASM}" ${ARGN} -o "${out}" "${src}"
    DEPENDS "${src}" COMMENT "Assembling wasm guest ${name}.wasm")
endfunction()

# berth_component_wat_guest(NAME SOURCE): a component assembled from the text format by the
# pinned jco (wasm-tools inside), installed into tools/guest by scripts/setup.sh.
set(BERTH_JCO "${CMAKE_SOURCE_DIR}/tools/guest/node_modules/.bin/jco")
function(berth_component_wat_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  berth_cached_guest(${name} "${out}" KEY -f "${src}"
    COMMANDS "${BERTH_JCO}" parse "${src}" -o "${out}"
    DEPENDS "${src}" COMMENT "Assembling component guest ${name}.wasm")
endfunction()

# berth_guest_wit(OUT_DIR WORLD_FILE [DIRS DIR...] [FILES FILE...]): lays out a guest's WIT
# folder in the build tree: OUT_DIR/world.wit, each DIR copied to deps/<its name>/ and each FILE
# to deps/<its name>, so a guest is written against the very WIT of the provider it runs with
# (a bundle's wit/ folder, berth's own WASI packages). Produces OUT_DIR.stamp to depend on.
function(berth_guest_wit out_dir world_file)
  cmake_parse_arguments(arg "" "" "DIRS;FILES" ${ARGN})
  set(commands COMMAND "${CMAKE_COMMAND}" -E rm -rf "${out_dir}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}/deps"
    COMMAND "${CMAKE_COMMAND}" -E copy "${world_file}" "${out_dir}/world.wit")
  set(inputs "${world_file}")
  foreach(dir IN LISTS arg_DIRS)
    get_filename_component(dep_name "${dir}" NAME)
    file(GLOB dep_files CONFIGURE_DEPENDS "${dir}/*.wit")
    list(APPEND inputs ${dep_files})
    list(APPEND commands COMMAND "${CMAKE_COMMAND}" -E copy_directory "${dir}"
      "${out_dir}/deps/${dep_name}")
  endforeach()
  foreach(file IN LISTS arg_FILES)
    list(APPEND inputs "${file}")
    list(APPEND commands COMMAND "${CMAKE_COMMAND}" -E copy "${file}" "${out_dir}/deps/")
  endforeach()
  add_custom_command(OUTPUT "${out_dir}.stamp" ${commands}
    COMMAND "${CMAKE_COMMAND}" -E touch "${out_dir}.stamp"
    DEPENDS ${inputs} COMMENT "Laying out guest WIT ${out_dir}" VERBATIM)
endfunction()

# berth_wasip1_command_guest(NAME SOURCE [SOURCES MORE...] [WIT DIR WORLD W] [FLAGS ...]): a C
# or C++ program built against wasi-libc (wasm32-wasip1, the only target Debian's wasi-libc has)
# and turned into a WASI 0.2 command component by the preview1 adapter inside the pinned jco.
# SOURCES are more source files of the program, in SOURCE's folder; every file of that folder
# (headers too) is an input. With WIT, world W of the WIT folder DIR (laid out by
# berth_guest_wit) is embedded first (tools/guest/embed-wit.mjs), so the command also imports
# W's interfaces, which the program declares by hand with import_module/import_name attributes.
function(berth_wasip1_command_guest name source)
  cmake_parse_arguments(arg "" "WIT;WORLD" "SOURCES" ${ARGN})
  set(core "${CMAKE_CURRENT_BINARY_DIR}/${name}.core.wasm")
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  set(compiler "${BERTH_CLANG_WASM}")
  if(src MATCHES "\\.(cc|cpp)$")
    string(REPLACE "clang-" "clang++-" compiler "${BERTH_CLANG_WASM}")
  endif()
  get_filename_component(src_dir "${src}" DIRECTORY)
  set(sources "${src}")
  foreach(more IN LISTS arg_SOURCES)
    get_filename_component(more "${more}" ABSOLUTE)
    list(APPEND sources "${more}")
  endforeach()
  file(GLOB inputs CONFIGURE_DEPENDS "${src_dir}/*")
  set(adapted "${core}")
  set(embed_commands "")
  set(key -d "${src_dir}")
  if(arg_WIT)
    set(adapted "${CMAKE_CURRENT_BINARY_DIR}/${name}.embedded.wasm")
    set(embed_commands --- "${BERTH_NODE}" "${BERTH_GUEST_TOOLS}/embed-wit.mjs" "${core}"
      "${arg_WIT}" "${arg_WORLD}" "${adapted}")
    list(APPEND inputs "${arg_WIT}.stamp" "${BERTH_GUEST_TOOLS}/embed-wit.mjs")
    list(APPEND key -d "${arg_WIT}" -f "${BERTH_GUEST_TOOLS}/embed-wit.mjs")
  endif()
  berth_cached_guest(${name} "${out}" KEY ${key}
    COMMANDS "${compiler}" --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug
             ${arg_UNPARSED_ARGUMENTS} -o "${core}" ${sources}
    ${embed_commands}
    --- "${BERTH_JCO}" new "${adapted}" --wasi-command -o "${out}"
    DEPENDS ${inputs} COMMENT "Building WASI command guest ${name}.wasm")
endfunction()

# berth_js_guest(NAME SOURCE WIT_DIR WORLD [DISABLED feature,...]): a JavaScript component built
# by the pinned componentize-js (tools/guest/componentize.mjs) from world WORLD of WIT_DIR (laid
# out by berth_guest_wit). Slow: a minute or two per guest.
function(berth_js_guest name source wit_dir world)
  cmake_parse_arguments(arg "" "DISABLED" "" ${ARGN})
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  get_filename_component(src_dir "${src}" DIRECTORY)
  berth_cached_guest(${name} "${out}"
    KEY -d "${src_dir}" -d "${wit_dir}" -f "${BERTH_GUEST_TOOLS}/componentize.mjs"
    COMMANDS "${BERTH_NODE}" "${BERTH_GUEST_TOOLS}/componentize.mjs" "${src}" "${wit_dir}"
             "${world}" "${out}" "${arg_DISABLED}"
    DEPENDS "${src}" "${wit_dir}.stamp" "${BERTH_GUEST_TOOLS}/componentize.mjs"
    COMMENT "Building JavaScript component guest ${name}.wasm (componentize-js)")
endfunction()
