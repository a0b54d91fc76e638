// Conversion between berth's core values and the JavaScript values V8 uses at the wasm boundary
// (Number for i32/f32/f64, BigInt for i64).
#pragma once

#include <v8.h>

#include "berth/engine/types.h"
#include "berth/result.h"

namespace berth::engine::v8impl {

class RefTable;

v8::Local<v8::Value> to_js(v8::Isolate* isolate, const Value& value, RefTable& refs);
Result<Value> from_js(v8::Local<v8::Context> context, ValType type, v8::Local<v8::Value> value,
                      RefTable& refs);

// References that cross into C++ are kept alive here; Value::ref indexes this table.
class RefTable {
 public:
  explicit RefTable(v8::Isolate* isolate) : isolate_(isolate) {}
  uint32_t add(v8::Local<v8::Value> value);
  v8::Local<v8::Value> get(uint32_t ref) const;
  void clear() { values_.clear(); }

 private:
  v8::Isolate* isolate_;
  std::vector<v8::Global<v8::Value>> values_;
};

}  // namespace berth::engine::v8impl
