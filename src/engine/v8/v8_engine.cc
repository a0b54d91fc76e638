// The V8 implementation of berth::engine::Engine.
#include <fmt/format.h>

#include <atomic>
#include <mutex>

#include "engine/legacy_exceptions.h"
#include "engine/v8/v8_errors.h"
#include "engine/v8/v8_module.h"
#include "engine/v8/v8_platform.h"
#include "engine/v8/v8_store.h"

namespace berth::engine {
namespace v8impl {
namespace {

// V8 reports validation errors as "... @+<offset>"; berth says where in words.
std::string describe_compile_error(std::string message) {
  size_t at = message.rfind(" @+");
  if (at != std::string::npos) {
    message = fmt::format("{} (at byte offset {})", message.substr(0, at), message.substr(at + 3));
  }
  return message;
}

class V8Engine final : public Engine {
 public:
  explicit V8Engine(const EngineConfig& config) : config_(config) { ensure_initialized(); }

  ~V8Engine() override {
    if (compile_isolate_ == nullptr) return;
    compile_context_.Reset();
    compile_isolate_->Dispose();
  }

  const EngineConfig& config() const override { return config_; }

  Result<std::unique_ptr<Store>> create_store() override {
    return std::unique_ptr<Store>(std::make_unique<V8Store>(config_));
  }

  Result<std::shared_ptr<const Module>> compile(std::span<const uint8_t> wasm,
                                                const CompileOptions& options) override {
    Result<ModuleInfo> info = read_module_info(wasm);
    std::vector<uint8_t> capped;
    std::span<const uint8_t> bytes = wasm;
    if (info && config_.max_memory_bytes) {
      BERTH_TRY_ASSIGN(capped,
                       cap_defined_memories(wasm, *config_.max_memory_bytes / kWasmPageSize));
      bytes = capped;
    }

    std::lock_guard lock(compile_mutex_);
    if (compile_isolate_ == nullptr) {
      compile_isolate_ = new_isolate();
      v8::Isolate::Scope isolate_scope(compile_isolate_);
      v8::HandleScope handle_scope(compile_isolate_);
      compile_context_.Reset(compile_isolate_, v8::Context::New(compile_isolate_));
    }
    ContextScope scope(compile_isolate_, compile_context_);
    v8::TryCatch try_catch(compile_isolate_);
    v8::Local<v8::WasmModuleObject> module;
    if (!v8::WasmModuleObject::Compile(compile_isolate_, {bytes.data(), bytes.size()})
             .ToLocal(&module)) {
      // V8 validates the whole module; its message is the authoritative one.
      Error error = error_from_exception(compile_isolate_, scope.context(), try_catch.Exception());
      try_catch.Reset();
      // Only a module V8 refuses is searched for try_table, so others pay nothing for it.
      Result<std::optional<std::vector<uint8_t>>> lowered = lower_try_table(bytes);
      if (!lowered || !*lowered ||
          !v8::WasmModuleObject::Compile(compile_isolate_, {(*lowered)->data(), (*lowered)->size()})
               .ToLocal(&module)) {
        return Error(ErrorCode::kInvalid, describe_compile_error(error.message()));
      }
    }
    if (!info) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("the module uses a feature berth cannot describe: {}",
                               info.error().message()));
    }
    return std::shared_ptr<const Module>(std::make_shared<V8Module>(
        std::move(info).value(), options.name, module->GetCompiledModule(), next_module_id_++));
  }

 private:
  const EngineConfig config_;
  std::mutex compile_mutex_;
  v8::Isolate* compile_isolate_ = nullptr;
  v8::Global<v8::Context> compile_context_;
  std::atomic<uint64_t> next_module_id_{1};
};

}  // namespace
}  // namespace v8impl

Result<std::shared_ptr<Engine>> create_engine(const EngineConfig& config) {
  if (config.max_memory_bytes && *config.max_memory_bytes < kWasmPageSize) {
    return Error(ErrorCode::kUsage, fmt::format("a memory limit of {} bytes is less than one "
                                                "64 KiB page",
                                                *config.max_memory_bytes));
  }
  return std::shared_ptr<Engine>(std::make_shared<v8impl::V8Engine>(config));
}

}  // namespace berth::engine
