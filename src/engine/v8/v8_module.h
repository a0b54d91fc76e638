#pragma once

#include <v8.h>

#include "berth/engine/engine.h"

namespace berth::engine::v8impl {

// A module compiled once and instantiable in any isolate (V8 shares the machine code).
class V8Module final : public Module {
 public:
  V8Module(ModuleInfo info, std::string name, v8::CompiledWasmModule compiled, uint64_t id)
      : Module(std::move(info), std::move(name)), compiled_(std::move(compiled)), id_(id) {}

  const v8::CompiledWasmModule& compiled() const { return compiled_; }
  uint64_t id() const { return id_; }

 private:
  v8::CompiledWasmModule compiled_;
  uint64_t id_;
};

}  // namespace berth::engine::v8impl
