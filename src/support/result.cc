#include "berth/result.h"

#include <fmt/format.h>

namespace berth {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "invalid";
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kIo:
      return "i/o error";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kLink:
      return "link error";
    case ErrorCode::kTrap:
      return "trap";
    case ErrorCode::kDeadline:
      return "deadline exceeded";
    case ErrorCode::kLimit:
      return "limit exceeded";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kUsage:
      return "usage error";
    case ErrorCode::kInternal:
      return "internal error";
    case ErrorCode::kExit:
      return "exit";
  }
  return "unknown error";
}

Error Error::exit(int32_t status) {
  Error error(ErrorCode::kExit, fmt::format("the program exited with status {}", status));
  error.exit_status_ = status;
  return error;
}

Error& Error::prepend(std::string_view context) {
  message_ = fmt::format("{}: {}", context, message_);
  return *this;
}

Error& Error::set_backtrace(std::vector<WasmFrame> frames) {
  backtrace_ = std::move(frames);
  return *this;
}

std::string Error::describe() const {
  std::string out = message_;
  if (!backtrace_.empty()) out += "\nwasm backtrace:";
  for (size_t i = 0; i < backtrace_.size(); ++i) {
    const WasmFrame& f = backtrace_[i];
    std::string name = f.function.empty()
                           ? fmt::format("<func {}>", f.function_index)
                           : fmt::format("{} (func {})", f.function, f.function_index);
    out += fmt::format("\n  {}: {}{}{} at offset 0x{:x}", i, f.module, f.module.empty() ? "" : "!",
                       name, f.offset);
  }
  return out;
}

}  // namespace berth
