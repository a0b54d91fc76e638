// Errors as values: every fallible operation in berth returns Result<T>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace berth {

enum class ErrorCode : uint8_t {
  kInvalid,      // input is well-formed but breaks a rule (validation, types)
  kMalformed,    // input cannot be decoded or parsed
  kIo,           // a file or stream operation failed
  kNotFound,     // a named item does not exist
  kLink,         // imports cannot be satisfied
  kTrap,         // guest code trapped
  kDeadline,     // the wall-clock deadline stopped the guest
  kLimit,        // a resource limit (memory, table, ...) was exceeded
  kUnsupported,  // valid input using a feature berth does not implement
  kUsage,        // the caller passed bad arguments
  kInternal,     // a bug in berth
  kExit,         // the guest asked to exit (wasi:cli/exit); Error::exit_status() is its status
};

std::string_view to_string(ErrorCode code);

// One frame of a wasm backtrace, innermost first.
struct WasmFrame {
  std::string module;    // module name or "" when unknown
  std::string function;  // function name or "" when the module has no name for it
  uint32_t function_index = 0;
  uint32_t offset = 0;  // byte offset of the instruction in the module binary
};

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  // The guest ended the program with `status`: not a failure, but it unwinds like one.
  static Error exit(int32_t status);

  ErrorCode code() const { return code_; }
  int32_t exit_status() const { return exit_status_; }
  const std::string& message() const { return message_; }
  const std::vector<WasmFrame>& backtrace() const { return backtrace_; }

  // Prefixes the message with where the error happened ("file.wasm: ...").
  Error& prepend(std::string_view context);
  Error& set_backtrace(std::vector<WasmFrame> frames);

  // The message followed by one indented line per backtrace frame.
  std::string describe() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::vector<WasmFrame> backtrace_;
  int32_t exit_status_ = 0;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Error& error() & { return std::get<1>(state_); }
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  void value() const {}

  Error& error() & { return *error_; }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace berth

#define BERTH_CONCAT_INNER(a, b) a##b
#define BERTH_CONCAT(a, b) BERTH_CONCAT_INNER(a, b)

// Returns the error of a failed Result from the enclosing function.
#define BERTH_TRY(expr)                                                  \
  do {                                                                   \
    auto&& berth_try_result_ = (expr);                                   \
    if (!berth_try_result_) return std::move(berth_try_result_).error(); \
  } while (0)

// Declares `lhs` from the value of a Result, or returns its error.
#define BERTH_TRY_ASSIGN(lhs, expr) \
  BERTH_TRY_ASSIGN_IMPL(BERTH_CONCAT(berth_try_tmp_, __LINE__), lhs, expr)
#define BERTH_TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp) return std::move(tmp).error();    \
  lhs = std::move(tmp).value()
