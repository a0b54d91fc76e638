// Printing the resolved model as canonical WIT text that parses back to the same model.
#pragma once

#include <string>

#include "berth/wit/model.h"

namespace berth::wit {

// One package as a file of its own: `package ns:name@v;` then its interfaces and worlds.
// References to other packages are written with their full names.
std::string print_package(const Resolve& resolve, PackageId package);

// The whole Resolve as a single file: `root` first, every other package after it as a nested
// `package ns:name { ... }` block. Loading the text into an empty Resolve yields an equivalent
// model.
std::string print_resolve(const Resolve& resolve, PackageId root);

// A type as written in a signature ("list<option<string>>", "borrow<file>").
std::string print_type(const Resolve& resolve, const Type& type);

// A function as written in an interface, without docs: "read: func(n: u32) -> list<u8>".
// Methods keep their implicit `self` parameter and component-level name.
std::string print_function(const Resolve& resolve, const Function& function);

}  // namespace berth::wit
