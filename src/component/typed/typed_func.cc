#include "berth/component/typed_func.h"

#include <fmt/format.h>

#include "berth/component/wave.h"

namespace berth::component {
namespace typed_detail {

Error export_mismatch(const ComponentInstance::ExportedFunc& func, const std::string& cpp) {
  return Error(ErrorCode::kLink,
               fmt::format("export {} does not have the C++ signature asked for:\n"
                           "  export: {}\n  C++:    {}",
                           func.name, func.type->to_string(ResourceSpelling::kShort), cpp));
}

Error missing_result(const ComponentInstance::ExportedFunc& func) {
  return Error(ErrorCode::kInternal,
               fmt::format("export {} returned no value, though its type has a result", func.name));
}

}  // namespace typed_detail

Result<std::optional<std::string>> call_wave(ComponentInstance& instance, std::string_view call) {
  BERTH_TRY_ASSIGN(std::string name, parse_wave_call_name(call));
  BERTH_TRY_ASSIGN(const ComponentInstance::ExportedFunc* func, instance.find_function(name));
  Result<WaveCall> parsed = parse_wave_call(call, *func->type);
  if (!parsed) {
    return Error(ErrorCode::kUsage, fmt::format("'{}': {} (the function is {})", call,
                                                parsed.error().message(), func->type->to_string()));
  }
  BERTH_TRY_ASSIGN(std::optional<Val> result, instance.call(*func, parsed->arguments));
  if (!result) return std::optional<std::string>();
  BERTH_TRY_ASSIGN(std::string text, print_wave(*result, func->type->result));
  return std::optional<std::string>(std::move(text));
}

}  // namespace berth::component
