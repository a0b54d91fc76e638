// Component values written in the .wast script syntax: (u32.const 1), (str.const "x"),
// (record.const (field "a" u32.const 1)), (variant.const "b" (u8.const 2)), ...
#pragma once

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "sexpr.h"

namespace berth::conformance {

// Converts a value form to a Val of `type`, checking that the form fits the type.
Result<component::Val> wast_value(const SExpr& form, const component::TypeRef& type);

}  // namespace berth::conformance
