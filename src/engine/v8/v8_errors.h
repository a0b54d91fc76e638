// Turns JavaScript exceptions thrown by V8 (compile errors, link errors, wasm traps) into berth
// errors with the trap message and the wasm backtrace.
#pragma once

#include <v8.h>

#include <string>
#include <vector>

#include "berth/result.h"

namespace berth::engine::v8impl {

std::string to_std_string(v8::Isolate* isolate, v8::Local<v8::Value> value);

// The wasm frames of an Error's `stack`, innermost first.
std::vector<WasmFrame> wasm_backtrace(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                      v8::Local<v8::Value> exception);

// An exception raised by compiling, linking or running wasm.
Error error_from_exception(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           v8::Local<v8::Value> exception);

}  // namespace berth::engine::v8impl
