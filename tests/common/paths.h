// Where the build under test sits: the checkout, the build folder, the built guests and the
// berth executable. They are compiled into one small library (paths.cc) instead of every test's
// flags, so that test objects do not depend on the checkout's folder and the compiler cache
// serves them to every clone (docs/contributing.md).
#pragma once

namespace berth::testing {

const char* source_dir();  // the checkout (its parent holds ../shared)
const char* binary_dir();  // the build folder
const char* guest_dir();   // the guests the build compiled (NAME.wasm)
const char* berth_exe();   // the berth executable

}  // namespace berth::testing
