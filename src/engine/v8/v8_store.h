#pragma once

#include <v8.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "berth/engine/engine.h"
#include "engine/v8/v8_values.h"
#include "engine/watchdog.h"

namespace berth::engine::v8impl {

class V8Module;

// One isolate and context. Every object the guest can reach lives in this store's tables and is
// named from C++ by its index.
class V8Store final : public Store {
 public:
  explicit V8Store(const EngineConfig& config);
  ~V8Store() override;

  Result<Instance> instantiate(const Module& module, std::span<const Extern> imports) override;
  std::optional<Extern> get_export(Instance instance, std::string_view name) override;

  Result<Func> create_host_func(const FuncType& type, HostFunc fn) override;
  Result<Memory> create_memory(const MemoryType& type) override;
  Result<Table> create_table(const TableType& type) override;
  Result<Global> create_global(const GlobalType& type, Value init) override;

  const FuncType& func_type(Func func) const override {
    return objects(ExternKind::kFunc)[func.id].type.func;
  }
  const ExternType& extern_type(Extern ext) const override {
    return objects(ext.kind)[ext.id].type;
  }

  Result<void> call(Func func, std::span<const Value> args, std::span<Value> results) override;

  MemoryView memory_view(Memory memory) override;
  Result<uint64_t> memory_grow(Memory memory, uint64_t delta_pages) override;
  Result<Value> global_get(Global global) override;
  Result<void> global_set(Global global, Value value) override;
  Result<uint32_t> table_size(Table table) override;
  Result<Value> table_get(Table table, uint32_t index) override;

  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) override;

  // Entered from V8 when wasm calls a host function.
  struct HostRecord {
    V8Store* store;
    FuncType type;
    HostFunc fn;
  };
  void invoke_host(const HostRecord& record, const v8::FunctionCallbackInfo<v8::Value>& info);

 private:
  struct Object {
    v8::Global<v8::Object> handle;
    ExternType type;
    bool capped_by_limit = false;  // memories whose maximum the engine's memory limit lowered
  };
  struct InstanceRecord {
    std::unordered_map<std::string, Extern> exports;
  };

  std::vector<Object>& objects(ExternKind kind) { return objects_[static_cast<size_t>(kind)]; }
  const std::vector<Object>& objects(ExternKind kind) const {
    return objects_[static_cast<size_t>(kind)];
  }
  Extern add_object(ExternKind kind, v8::Local<v8::Object> handle, ExternType type);
  Result<void> check_handle(Extern ext) const;
  Result<void> check_import(const ImportType& import, Extern provided);
  Result<v8::Local<v8::Object>> module_object(const V8Module& module);
  Result<v8::Local<v8::Object>> construct(const char* constructor,
                                          std::span<v8::Local<v8::Value>> args);
  void fail_host_call(Error error);
  uint64_t memory_pages(Memory memory);

  // Runs guest code under the deadline and turns whatever V8 threw into an error.
  template <typename Body>
  Result<void> run_guest(Body&& body);
  Error translate_failure(v8::TryCatch& try_catch, bool deadline_fired);
  void note_memory_limit(Error& error);

  const EngineConfig config_;
  v8::Isolate* isolate_;
  v8::Global<v8::Context> context_;
  v8::Global<v8::Object> webassembly_;
  RefTable refs_;
  std::array<std::vector<Object>, 5> objects_;
  std::vector<InstanceRecord> instances_;
  std::vector<std::unique_ptr<HostRecord>> host_records_;
  std::unordered_map<uint64_t, v8::Global<v8::Object>> module_objects_;
  std::optional<Error> pending_host_error_;
  bool host_terminated_ = false;  // fail_host_call terminated execution
  int depth_ = 0;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace berth::engine::v8impl
