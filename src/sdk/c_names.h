// C and C++ spellings of WIT names for the generated bindings.
#pragma once

#include <string>
#include <string_view>

namespace berth::sdk {

// "key-response" -> "key_response"; C keywords and names that would clash with the C library
// get a trailing underscore ("default" -> "default_").
std::string c_identifier(std::string_view wit_name);

// "key-response" -> "key_response", without the keyword escape: for a part of a longer name
// ("delete" in "store_bucket_delete").
std::string c_name_part(std::string_view wit_name);

// "key-response" -> "KeyResponse", for C++ type names.
std::string cpp_type_name(std::string_view wit_name);

// "key-response" -> "KEY_RESPONSE", for enum and flag constants (always prefixed, so never a
// keyword).
std::string c_constant(std::string_view wit_name);

// A C string literal holding `text`.
std::string c_string_literal(std::string_view text);

}  // namespace berth::sdk
