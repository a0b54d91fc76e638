#include "engine/v8/v8_values.h"

#include <fmt/format.h>

namespace berth::engine::v8impl {

uint32_t RefTable::add(v8::Local<v8::Value> value) {
  if (value->IsNull()) return 0;
  values_.emplace_back(isolate_, value);
  return static_cast<uint32_t>(values_.size());
}

v8::Local<v8::Value> RefTable::get(uint32_t ref) const {
  if (ref == 0 || ref > values_.size()) return v8::Null(isolate_);
  return values_[ref - 1].Get(isolate_);
}

v8::Local<v8::Value> to_js(v8::Isolate* isolate, const Value& value, RefTable& refs) {
  switch (value.type) {
    case ValType::kI32:
      return v8::Integer::New(isolate, value.i32);
    case ValType::kI64:
      return v8::BigInt::New(isolate, value.i64);
    case ValType::kF32:
      return v8::Number::New(isolate, value.f32);
    case ValType::kF64:
      return v8::Number::New(isolate, value.f64);
    case ValType::kFuncRef:
    case ValType::kExternRef:
      return refs.get(value.ref);
    case ValType::kV128:
      break;  // rejected before any call: JavaScript has no v128 values
  }
  return v8::Undefined(isolate);
}

Result<Value> from_js(v8::Local<v8::Context> context, ValType type, v8::Local<v8::Value> value,
                      RefTable& refs) {
  switch (type) {
    case ValType::kI32:
      if (value->IsInt32()) return Value::from_i32(value.As<v8::Int32>()->Value());
      if (value->IsNumber()) {
        int32_t v = 0;
        if (value->Int32Value(context).To(&v)) return Value::from_i32(v);
      }
      break;
    case ValType::kI64:
      if (value->IsBigInt()) return Value::from_i64(value.As<v8::BigInt>()->Int64Value());
      break;
    case ValType::kF32:
      if (value->IsNumber())
        return Value::from_f32(static_cast<float>(value.As<v8::Number>()->Value()));
      break;
    case ValType::kF64:
      if (value->IsNumber()) return Value::from_f64(value.As<v8::Number>()->Value());
      break;
    case ValType::kFuncRef:
    case ValType::kExternRef: {
      Value v;
      v.type = type;
      v.ref = refs.add(value);
      return v;
    }
    case ValType::kV128:
      break;
  }
  return Error(ErrorCode::kInternal,
               fmt::format("the engine produced a value that is not a valid {}", to_string(type)));
}

}  // namespace berth::engine::v8impl
