// The engine layer: compile, instantiate and call core WebAssembly. The rest of berth sees only
// these interfaces, so a second engine can be added next to V8 without touching the layers above.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "berth/engine/module_info.h"
#include "berth/engine/types.h"
#include "berth/result.h"

namespace berth::engine {

// Handles to objects owned by a Store. They are plain indices: cheap to copy, valid as long as the
// store that created them, and meaningless in any other store.
struct Func {
  uint32_t id = 0;
};
struct Memory {
  uint32_t id = 0;
};
struct Table {
  uint32_t id = 0;
};
struct Global {
  uint32_t id = 0;
};
struct Tag {
  uint32_t id = 0;
};
struct Instance {
  uint32_t id = 0;
};

struct Extern {
  ExternKind kind = ExternKind::kFunc;
  uint32_t id = 0;

  static Extern of(Func f) { return {ExternKind::kFunc, f.id}; }
  static Extern of(Memory m) { return {ExternKind::kMemory, m.id}; }
  static Extern of(Table t) { return {ExternKind::kTable, t.id}; }
  static Extern of(Global g) { return {ExternKind::kGlobal, g.id}; }
  static Extern of(Tag t) { return {ExternKind::kTag, t.id}; }
};

// A view of linear memory. It stays valid until the guest runs again (memory.grow may move it).
struct MemoryView {
  uint8_t* data = nullptr;
  size_t size = 0;
};

class Store;

// A host function. `results` arrives sized and typed as the function type says; returning an
// error traps the guest with that error (its message becomes the trap message).
using HostFunc = std::function<Result<void>(Store& store, std::span<const Value> params,
                                            std::span<Value> results)>;

struct EngineConfig {
  // Caps every linear memory: modules whose memory needs more initially fail to instantiate;
  // memory.grow beyond the cap returns -1 to the guest, as the spec allows.
  std::optional<uint64_t> max_memory_bytes;
};

struct CompileOptions {
  // Shown in error messages and backtraces.
  std::string name;
};

// A compiled module. Immutable and shareable between stores and threads.
class Module {
 public:
  virtual ~Module() = default;
  const ModuleInfo& info() const { return info_; }
  const std::string& name() const { return name_; }

 protected:
  Module(ModuleInfo info, std::string name) : info_(std::move(info)), name_(std::move(name)) {}

 private:
  ModuleInfo info_;
  std::string name_;
};

// A store holds instances and everything they create; one thread uses it at a time.
class Store {
 public:
  virtual ~Store() = default;

  // `imports` follow the module's import order (module.info().imports).
  virtual Result<Instance> instantiate(const Module& module, std::span<const Extern> imports) = 0;
  virtual std::optional<Extern> get_export(Instance instance, std::string_view name) = 0;

  virtual Result<Func> create_host_func(const FuncType& type, HostFunc fn) = 0;
  virtual Result<Memory> create_memory(const MemoryType& type) = 0;
  virtual Result<Table> create_table(const TableType& type) = 0;
  virtual Result<Global> create_global(const GlobalType& type, Value init) = 0;

  virtual const FuncType& func_type(Func func) const = 0;
  virtual const ExternType& extern_type(Extern ext) const = 0;

  // Runs a function. Traps, the deadline and host errors come back as errors.
  virtual Result<void> call(Func func, std::span<const Value> args, std::span<Value> results) = 0;

  virtual MemoryView memory_view(Memory memory) = 0;
  // Grows by `delta_pages` and returns the previous size in pages.
  virtual Result<uint64_t> memory_grow(Memory memory, uint64_t delta_pages) = 0;
  Result<void> memory_read(Memory memory, uint64_t offset, std::span<uint8_t> out);
  Result<void> memory_write(Memory memory, uint64_t offset, std::span<const uint8_t> bytes);

  virtual Result<Value> global_get(Global global) = 0;
  virtual Result<void> global_set(Global global, Value value) = 0;
  virtual Result<uint32_t> table_size(Table table) = 0;
  virtual Result<Value> table_get(Table table, uint32_t index) = 0;

  // Guest code running past `deadline` is stopped and the call fails with kDeadline.
  virtual void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Validates and compiles. Errors carry the byte offset and the engine's reason.
  virtual Result<std::shared_ptr<const Module>> compile(std::span<const uint8_t> wasm,
                                                        const CompileOptions& options = {}) = 0;
  virtual Result<std::unique_ptr<Store>> create_store() = 0;
  virtual const EngineConfig& config() const = 0;
};

// The default engine (V8).
Result<std::shared_ptr<Engine>> create_engine(const EngineConfig& config = {});

}  // namespace berth::engine
