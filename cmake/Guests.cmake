# Test guests are built from source: C with clang-19 for wasm32, WAT with wabt's wat2wasm.
find_program(BERTH_CLANG_WASM NAMES clang-19 REQUIRED)
find_program(BERTH_WAT2WASM NAMES wat2wasm REQUIRED)
set(BERTH_GUEST_DIR "${CMAKE_BINARY_DIR}/guests")
file(MAKE_DIRECTORY "${BERTH_GUEST_DIR}")
add_custom_target(guests ALL)

# berth_c_guest(NAME SOURCE [FLAGS ...]): a freestanding wasm32 module with no libc.
function(berth_c_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${BERTH_CLANG_WASM}" --target=wasm32 -O2 -nostdlib -Wl,--no-entry
            -Wl,--export-dynamic -Wl,--strip-debug ${ARGN} -o "${out}" "${src}"
    DEPENDS "${src}" COMMENT "Building wasm guest ${name}.wasm" VERBATIM)
  add_custom_target(guest_${name} DEPENDS "${out}")
  add_dependencies(guests guest_${name})
endfunction()

# berth_wat_guest(NAME SOURCE [FLAGS ...]): a module assembled from the text format.
function(berth_wat_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${BERTH_WAT2WASM}" ${ARGN} -o "${out}" "${src}"
    DEPENDS "${src}" COMMENT "Assembling wasm guest ${name}.wasm" VERBATIM)
  add_custom_target(guest_${name} DEPENDS "${out}")
  add_dependencies(guests guest_${name})
endfunction()

# berth_component_wat_guest(NAME SOURCE): a component assembled from the text format by the
# pinned jco (wasm-tools inside), installed into tools/guest by scripts/setup.sh.
set(BERTH_JCO "${CMAKE_SOURCE_DIR}/tools/guest/node_modules/.bin/jco")
function(berth_component_wat_guest name source)
  set(out "${BERTH_GUEST_DIR}/${name}.wasm")
  get_filename_component(src "${source}" ABSOLUTE)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${BERTH_JCO}" parse "${src}" -o "${out}"
    DEPENDS "${src}" COMMENT "Assembling component guest ${name}.wasm" VERBATIM)
  add_custom_target(guest_${name} DEPENDS "${out}")
  add_dependencies(guests guest_${name})
endfunction()
