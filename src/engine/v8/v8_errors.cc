#include "engine/v8/v8_errors.h"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace berth::engine::v8impl {
namespace {

v8::Local<v8::Value> property(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              v8::Local<v8::Value> object, const char* name) {
  if (!object->IsObject()) return v8::Undefined(isolate);
  v8::Local<v8::Value> out;
  v8::Local<v8::String> key = v8::String::NewFromUtf8(isolate, name).ToLocalChecked();
  if (!object.As<v8::Object>()->Get(context, key).ToLocal(&out)) return v8::Undefined(isolate);
  return out;
}

template <typename T>
bool parse_number(std::string_view text, T& out, int base = 10) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && end == text.data() + text.size();
}

// Parses one line of a V8 stack trace that points into wasm, e.g.
//   "    at fib (wasm://wasm/1a2b3c4d:wasm-function[0]:0x46)"
//   "    at wasm://wasm/1a2b3c4d:wasm-function[3]:0x9c"
bool parse_wasm_frame(std::string_view line, WasmFrame& frame) {
  size_t at = line.find("at ");
  size_t fn = line.find("wasm-function[");
  if (at == std::string_view::npos || fn == std::string_view::npos) return false;
  std::string_view rest = line.substr(fn + 14);
  size_t close = rest.find("]:0x");
  if (close == std::string_view::npos) return false;
  if (!parse_number(rest.substr(0, close), frame.function_index)) return false;
  std::string_view offset = rest.substr(close + 4);
  if (size_t paren = offset.find(')'); paren != std::string_view::npos)
    offset = offset.substr(0, paren);
  if (!parse_number(offset, frame.offset, 16)) return false;

  std::string_view head = line.substr(at + 3);
  if (size_t paren = head.find(" (wasm://"); paren != std::string_view::npos) {
    std::string_view name = head.substr(0, paren);
    // V8 names unnamed functions "$func<N>"; that adds nothing to the index.
    if (name != fmt::format("$func{}", frame.function_index)) frame.function = name;
  }
  if (size_t url = line.find("wasm://wasm/"); url != std::string_view::npos) {
    std::string_view id = line.substr(url + 12);
    id = id.substr(0, id.find(':'));
    // A named module appears as "<name>-<hash>".
    if (size_t dash = id.rfind('-'); dash != std::string_view::npos)
      frame.module = id.substr(0, dash);
  }
  return true;
}

}  // namespace

std::string to_std_string(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

std::vector<WasmFrame> wasm_backtrace(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                      v8::Local<v8::Value> exception) {
  std::vector<WasmFrame> frames;
  v8::Local<v8::Value> stack = property(isolate, context, exception, "stack");
  if (!stack->IsString()) return frames;
  std::string text = to_std_string(isolate, stack);
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    WasmFrame frame;
    if (parse_wasm_frame(line, frame)) frames.push_back(std::move(frame));
  }
  return frames;
}

Error error_from_exception(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           v8::Local<v8::Value> exception) {
  std::string kind = to_std_string(isolate, property(isolate, context, exception, "name"));
  std::string message = to_std_string(isolate, property(isolate, context, exception, "message"));
  if (!exception->IsNativeError()) {
    // Something that is not an Error, e.g. a value thrown by a wasm `throw` that escaped.
    return Error(ErrorCode::kTrap,
                 fmt::format("uncaught exception: {}", to_std_string(isolate, exception)));
  }
  // V8 prefixes messages with the JS API entry point, which means nothing to a berth user.
  for (std::string_view prefix :
       {"WebAssembly.Module(): ", "WebAssembly.Instance(): ", "WebAssembly.Memory(): ",
        "WebAssembly.Table(): ", "WebAssembly.Global(): "}) {
    if (message.starts_with(prefix)) message.erase(0, prefix.size());
  }
  if (kind == "CompileError") return Error(ErrorCode::kInvalid, message);
  if (kind == "LinkError") return Error(ErrorCode::kLink, message);
  ErrorCode code = ErrorCode::kTrap;
  if (kind == "RangeError" && message.find("call stack") != std::string::npos) {
    message = "call stack exhausted";
  } else if (kind == "RangeError" || kind == "TypeError") {
    message = fmt::format("{}: {}", kind, message);
  }
  Error error(code, std::move(message));
  error.set_backtrace(wasm_backtrace(isolate, context, exception));
  return error;
}

}  // namespace berth::engine::v8impl
