#include "cli/exit_codes.h"

#include <fmt/format.h>

#include <cstdio>

namespace berth::cli {

int exit_code_for(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kTrap:
      return kExitTrap;
    case ErrorCode::kDeadline:
      return kExitDeadline;
    case ErrorCode::kUsage:
      return kExitUsage;
    default:
      return kExitBerthError;
  }
}

void report_error(const Error& error) {
  std::fflush(stdout);
  fmt::print(stderr, "error: {}\n", error.describe());
}

void report_warning(const std::string& line) {
  std::fflush(stdout);
  fmt::print(stderr, "warning: {}\n", line);
}

void report_note(const std::string& line) {
  std::fflush(stdout);
  fmt::print(stderr, "note: {}\n", line);
}

}  // namespace berth::cli
