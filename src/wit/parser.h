// WIT text to syntax tree.
#pragma once

#include <string_view>

#include "ast.h"
#include "berth/result.h"

namespace berth::wit {

// Parses one file. `path` is kept in the tree and prefixes every error ("path:line:col: ...").
Result<ast::File> parse_file(std::string_view path, std::string_view text);

}  // namespace berth::wit
