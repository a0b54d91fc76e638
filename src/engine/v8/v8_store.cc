#include "engine/v8/v8_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <new>
#include <optional>

#include "engine/v8/v8_errors.h"
#include "engine/v8/v8_module.h"
#include "engine/v8/v8_platform.h"

namespace berth::engine::v8impl {
namespace {

v8::Local<v8::String> js_string(v8::Isolate* isolate, std::string_view text) {
  return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(text.size()))
      .ToLocalChecked();
}

v8::Local<v8::Value> get_property(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                                  std::string_view name) {
  v8::Local<v8::Value> out;
  if (!object->Get(context, js_string(context->GetIsolate(), name)).ToLocal(&out)) {
    return v8::Undefined(context->GetIsolate());
  }
  return out;
}

void set_property(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                  std::string_view name, v8::Local<v8::Value> value) {
  object->Set(context, js_string(context->GetIsolate(), name), value).Check();
}

const char* js_type_name(ValType type) {
  switch (type) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kFuncRef:
      return "anyfunc";
    case ValType::kExternRef:
      return "externref";
    case ValType::kV128:
      return "v128";
  }
  return "";
}

Result<void> check_no_v128(const FuncType& type) {
  auto is_v128 = [](ValType t) { return t == ValType::kV128; };
  if (std::any_of(type.params.begin(), type.params.end(), is_v128) ||
      std::any_of(type.results.begin(), type.results.end(), is_v128)) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("function {} passes v128 values, which cannot cross between wasm "
                             "and the host with the V8 engine",
                             type.to_string()));
  }
  return {};
}

bool limits_match(const Limits& required, uint64_t current, std::optional<uint64_t> provided_max) {
  if (current < required.min) return false;
  if (!required.max) return true;
  return provided_max && *provided_max <= *required.max;
}

// Values of a call, on the stack for the common small signatures. Only the elements in use are
// constructed: this sits on the path of every call.
template <typename T, size_t N = 8>
class SmallBuffer {
 public:
  explicit SmallBuffer(size_t size) : size_(size) {
    if (size > N) {
      heap_.resize(size);
      data_ = heap_.data();
    } else {
      data_ = std::launder(reinterpret_cast<T*>(storage_));
      for (size_t i = 0; i < size; ++i) new (&data_[i]) T();
    }
  }
  ~SmallBuffer() {
    if (size_ <= N) std::destroy_n(data_, size_);
  }
  SmallBuffer(const SmallBuffer&) = delete;
  SmallBuffer& operator=(const SmallBuffer&) = delete;

  T* data() { return data_; }
  std::span<T> span() { return {data_, size_}; }
  T& operator[](size_t i) { return data_[i]; }

 private:
  size_t size_;
  T* data_;
  alignas(T) unsigned char storage_[N * sizeof(T)];
  std::vector<T> heap_;
};

// Sets a host function's single result without allocating a handle where V8 allows it.
void set_return_value(v8::ReturnValue<v8::Value> rv, v8::Isolate* isolate, const Value& value,
                      RefTable& refs) {
  switch (value.type) {
    case ValType::kI32:
      rv.Set(value.i32);
      return;
    case ValType::kF32:
      rv.Set(static_cast<double>(value.f32));
      return;
    case ValType::kF64:
      rv.Set(value.f64);
      return;
    default:
      rv.Set(to_js(isolate, value, refs));
      return;
  }
}

void host_trampoline(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* record = static_cast<V8Store::HostRecord*>(info.Data().As<v8::External>()->Value());
  record->store->invoke_host(*record, info);
}

}  // namespace

V8Store::V8Store(const EngineConfig& config)
    : config_(config), isolate_(new_isolate()), refs_(isolate_) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  context_.Reset(isolate_, context);
  v8::Context::Scope context_scope(context);
  webassembly_.Reset(isolate_,
                     get_property(context, context->Global(), "WebAssembly").As<v8::Object>());
}

V8Store::~V8Store() {
  watchdog_.reset();
  // Every handle must be released before the isolate goes away.
  for (auto& list : objects_) list.clear();
  module_objects_.clear();
  refs_.clear();
  webassembly_.Reset();
  context_.Reset();
  isolate_->Dispose();
}

Extern V8Store::add_object(ExternKind kind, v8::Local<v8::Object> handle, ExternType type) {
  auto& list = objects(kind);
  list.push_back(Object{v8::Global<v8::Object>(isolate_, handle), std::move(type)});
  return Extern{kind, static_cast<uint32_t>(list.size() - 1)};
}

Result<void> V8Store::check_handle(Extern ext) const {
  if (ext.id >= objects(ext.kind).size()) {
    return Error(ErrorCode::kUsage, fmt::format("{} handle {} does not belong to this store",
                                                to_string(ext.kind), ext.id));
  }
  return {};
}

uint64_t V8Store::memory_pages(Memory memory) {
  return memory_view(memory).size / kWasmPageSize;
}

Result<void> V8Store::check_import(const ImportType& import, Extern provided) {
  const ExternType& want = import.type;
  const ExternType& have = extern_type(provided);
  auto mismatch = [&] {
    return Error(ErrorCode::kLink,
                 fmt::format("import '{}' '{}': expected {}, got {}", import.module, import.name,
                             want.to_string(), have.to_string()));
  };
  if (want.kind != have.kind) return mismatch();
  switch (want.kind) {
    case ExternKind::kFunc:
    case ExternKind::kTag:
      if (want.func != have.func) return mismatch();
      break;
    case ExternKind::kMemory:
      if (want.memory.shared != have.memory.shared ||
          !limits_match(want.memory.limits, memory_pages(Memory{provided.id}),
                        have.memory.limits.max)) {
        return mismatch();
      }
      break;
    case ExternKind::kTable: {
      BERTH_TRY_ASSIGN(uint32_t size, table_size(Table{provided.id}));
      if (want.table.element != have.table.element ||
          !limits_match(want.table.limits, size, have.table.limits.max)) {
        return mismatch();
      }
      break;
    }
    case ExternKind::kGlobal:
      if (want.global != have.global) return mismatch();
      break;
  }
  return {};
}

Result<v8::Local<v8::Object>> V8Store::module_object(const V8Module& module) {
  auto it = module_objects_.find(module.id());
  if (it != module_objects_.end()) return it->second.Get(isolate_);
  v8::Local<v8::WasmModuleObject> object;
  if (!v8::WasmModuleObject::FromCompiledModule(isolate_, module.compiled()).ToLocal(&object)) {
    return Error(ErrorCode::kInternal, "V8 could not load a compiled module into a store");
  }
  module_objects_.emplace(module.id(), v8::Global<v8::Object>(isolate_, object));
  return v8::Local<v8::Object>(object);
}

Result<v8::Local<v8::Object>> V8Store::construct(const char* constructor,
                                                 std::span<v8::Local<v8::Value>> args) {
  v8::Local<v8::Context> context = isolate_->GetCurrentContext();
  auto ctor = get_property(context, webassembly_.Get(isolate_), constructor).As<v8::Function>();
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Object> object;
  if (!ctor->NewInstance(context, static_cast<int>(args.size()), args.data()).ToLocal(&object)) {
    Error error = error_from_exception(isolate_, context, try_catch.Exception());
    return Error(ErrorCode::kLimit,
                 fmt::format("cannot create a {}: {}", constructor, error.message()));
  }
  return object;
}

Result<Instance> V8Store::instantiate(const Module& module, std::span<const Extern> imports) {
  const auto& v8_module = static_cast<const V8Module&>(module);
  const ModuleInfo& info = module.info();
  if (imports.size() != info.imports.size()) {
    return Error(ErrorCode::kLink, fmt::format("module {} has {} imports, {} were given",
                                               module.name(), info.imports.size(), imports.size()));
  }
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Context> context = scope.context();

  v8::Local<v8::Object> import_object = v8::Object::New(isolate_);
  for (size_t i = 0; i < imports.size(); ++i) {
    const ImportType& import = info.imports[i];
    BERTH_TRY(check_handle(imports[i]));
    BERTH_TRY(check_import(import, imports[i]));
    v8::Local<v8::Value> ns = get_property(context, import_object, import.module);
    if (!ns->IsObject()) {
      ns = v8::Object::New(isolate_);
      set_property(context, import_object, import.module, ns);
    }
    v8::Local<v8::Object> value = objects(imports[i].kind)[imports[i].id].handle.Get(isolate_);
    v8::Local<v8::Value> existing = get_property(context, ns.As<v8::Object>(), import.name);
    if (!existing->IsUndefined() && !existing->StrictEquals(value)) {
      return Error(ErrorCode::kLink,
                   fmt::format("import '{}' '{}' appears twice and was given two different values",
                               import.module, import.name));
    }
    set_property(context, ns.As<v8::Object>(), import.name, value);
  }

  BERTH_TRY_ASSIGN(v8::Local<v8::Object> module_obj, module_object(v8_module));
  auto ctor = get_property(context, webassembly_.Get(isolate_), "Instance").As<v8::Function>();
  v8::Local<v8::Value> args[] = {module_obj, import_object};
  v8::Local<v8::Object> instance;
  BERTH_TRY(run_guest([&](v8::Local<v8::Context> ctx) {
    return ctor->NewInstance(ctx, 2, args).ToLocal(&instance);
  }));

  auto exports = get_property(context, instance, "exports").As<v8::Object>();
  InstanceRecord record;
  std::optional<uint64_t> cap_pages;
  if (config_.max_memory_bytes) cap_pages = *config_.max_memory_bytes / kWasmPageSize;
  for (const ExportType& exp : info.exports) {
    v8::Local<v8::Value> value = get_property(context, exports, exp.name);
    ExternType type = exp.type;
    bool capped = false;
    if (type.kind == ExternKind::kMemory && cap_pages &&
        (!type.memory.limits.max || *type.memory.limits.max > *cap_pages)) {
      type.memory.limits.max = cap_pages;
      capped = true;
    }
    Extern ext = add_object(type.kind, value.As<v8::Object>(), std::move(type));
    objects(ext.kind)[ext.id].capped_by_limit = capped;
    record.exports.emplace(exp.name, ext);
  }
  instances_.push_back(std::move(record));
  return Instance{static_cast<uint32_t>(instances_.size() - 1)};
}

std::optional<Extern> V8Store::get_export(Instance instance, std::string_view name) {
  if (instance.id >= instances_.size()) return std::nullopt;
  const auto& exports = instances_[instance.id].exports;
  auto it = exports.find(std::string(name));
  if (it == exports.end()) return std::nullopt;
  return it->second;
}

Result<Func> V8Store::create_host_func(const FuncType& type, HostFunc fn) {
  BERTH_TRY(check_no_v128(type));
  ContextScope scope(isolate_, context_);
  host_records_.push_back(std::make_unique<HostRecord>(HostRecord{this, type, std::move(fn)}));
  auto tmpl = v8::FunctionTemplate::New(
      isolate_, host_trampoline, v8::External::New(isolate_, host_records_.back().get()),
      v8::Local<v8::Signature>(), 0, v8::ConstructorBehavior::kThrow);
  v8::Local<v8::Function> function = tmpl->GetFunction(scope.context()).ToLocalChecked();
  ExternType ext_type;
  ext_type.kind = ExternKind::kFunc;
  ext_type.func = type;
  return Func{add_object(ExternKind::kFunc, function, std::move(ext_type)).id};
}

Result<Memory> V8Store::create_memory(const MemoryType& type) {
  if (type.memory64) {
    return Error(ErrorCode::kUnsupported, "64-bit memories are not supported by the V8 engine");
  }
  MemoryType effective = type;
  bool capped = false;
  if (config_.max_memory_bytes) {
    uint64_t cap = *config_.max_memory_bytes / kWasmPageSize;
    if (type.limits.min > cap) {
      return Error(ErrorCode::kLimit,
                   fmt::format("a memory of {} bytes exceeds the memory limit of {} bytes",
                               type.limits.min * kWasmPageSize, *config_.max_memory_bytes));
    }
    if (!type.limits.max || *type.limits.max > cap) {
      effective.limits.max = cap;
      capped = true;
    }
  }
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Object> descriptor = v8::Object::New(isolate_);
  set_property(scope.context(), descriptor, "initial",
               v8::Number::New(isolate_, static_cast<double>(effective.limits.min)));
  if (effective.limits.max) {
    set_property(scope.context(), descriptor, "maximum",
                 v8::Number::New(isolate_, static_cast<double>(*effective.limits.max)));
  }
  if (effective.shared) set_property(scope.context(), descriptor, "shared", v8::True(isolate_));
  v8::Local<v8::Value> args[] = {descriptor};
  BERTH_TRY_ASSIGN(v8::Local<v8::Object> memory, construct("Memory", args));
  ExternType ext_type;
  ext_type.kind = ExternKind::kMemory;
  ext_type.memory = effective;
  Extern ext = add_object(ExternKind::kMemory, memory, std::move(ext_type));
  objects(ExternKind::kMemory)[ext.id].capped_by_limit = capped;
  return Memory{ext.id};
}

Result<Table> V8Store::create_table(const TableType& type) {
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Object> descriptor = v8::Object::New(isolate_);
  set_property(scope.context(), descriptor, "element",
               js_string(isolate_, js_type_name(type.element)));
  set_property(scope.context(), descriptor, "initial",
               v8::Number::New(isolate_, static_cast<double>(type.limits.min)));
  if (type.limits.max) {
    set_property(scope.context(), descriptor, "maximum",
                 v8::Number::New(isolate_, static_cast<double>(*type.limits.max)));
  }
  v8::Local<v8::Value> args[] = {descriptor};
  BERTH_TRY_ASSIGN(v8::Local<v8::Object> table, construct("Table", args));
  ExternType ext_type;
  ext_type.kind = ExternKind::kTable;
  ext_type.table = type;
  return Table{add_object(ExternKind::kTable, table, std::move(ext_type)).id};
}

Result<Global> V8Store::create_global(const GlobalType& type, Value init) {
  if (type.type == ValType::kV128) {
    return Error(ErrorCode::kUnsupported, "v128 globals cannot be created from the host");
  }
  if (init.type != type.type) {
    return Error(ErrorCode::kUsage, fmt::format("a global of type {} cannot start as a {}",
                                                to_string(type.type), to_string(init.type)));
  }
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Object> descriptor = v8::Object::New(isolate_);
  set_property(scope.context(), descriptor, "value", js_string(isolate_, js_type_name(type.type)));
  set_property(scope.context(), descriptor, "mutable", v8::Boolean::New(isolate_, type.is_mutable));
  v8::Local<v8::Value> args[] = {descriptor, to_js(isolate_, init, refs_)};
  BERTH_TRY_ASSIGN(v8::Local<v8::Object> global, construct("Global", args));
  ExternType ext_type;
  ext_type.kind = ExternKind::kGlobal;
  ext_type.global = type;
  return Global{add_object(ExternKind::kGlobal, global, std::move(ext_type)).id};
}

template <typename Body>
Result<void> V8Store::run_guest(Body&& body) {
  const bool outermost = depth_ == 0;
  if (outermost) {
    pending_host_error_.reset();
    if (watchdog_ && watchdog_->expired()) {
      return Error(ErrorCode::kDeadline, "the deadline has passed; the guest is not run again");
    }
    if (watchdog_) watchdog_->enter();
  }
  v8::TryCatch try_catch(isolate_);
  ++depth_;
  bool ok = body(isolate_->GetCurrentContext());
  --depth_;
  bool fired = outermost && watchdog_ && watchdog_->leave();
  Result<void> result;
  // A guest may catch the exception a failing host function throws; the failure still stands.
  if (!ok || try_catch.HasCaught() || pending_host_error_) {
    result = translate_failure(try_catch, fired);
  }
  pending_host_error_.reset();
  if (outermost && (fired || host_terminated_ || isolate_->IsExecutionTerminating())) {
    isolate_->CancelTerminateExecution();
    host_terminated_ = false;
  }
  return result;
}

Error V8Store::translate_failure(v8::TryCatch& try_catch, bool deadline_fired) {
  v8::Local<v8::Context> context = isolate_->GetCurrentContext();
  if (pending_host_error_) {
    return std::move(*pending_host_error_);
  }
  if (try_catch.HasTerminated() || !try_catch.HasCaught()) {
    if (deadline_fired || (watchdog_ && watchdog_->expired())) {
      return Error(ErrorCode::kDeadline, "the guest ran past its deadline and was stopped");
    }
    return Error(ErrorCode::kTrap, "execution was terminated");
  }
  Error error = error_from_exception(isolate_, context, try_catch.Exception());
  if (error.code() == ErrorCode::kTrap) note_memory_limit(error);
  return error;
}

void V8Store::note_memory_limit(Error& error) {
  if (!config_.max_memory_bytes) return;
  const auto& memories = objects(ExternKind::kMemory);
  for (uint32_t i = 0; i < memories.size(); ++i) {
    if (!memories[i].capped_by_limit) continue;
    if ((memory_pages(Memory{i}) + 1) * kWasmPageSize > *config_.max_memory_bytes) {
      error =
          Error(error.code(), fmt::format("{} (linear memory reached the memory limit of {} bytes; "
                                          "memory.grow fails beyond it)",
                                          error.message(), *config_.max_memory_bytes))
              .set_backtrace(error.backtrace());
      return;
    }
  }
}

Result<void> V8Store::call(Func func, std::span<const Value> args, std::span<Value> results) {
  BERTH_TRY(check_handle(Extern::of(func)));
  const Object& entry = objects(ExternKind::kFunc)[func.id];
  const FuncType& type = entry.type.func;
  if (args.size() != type.params.size() || results.size() != type.results.size()) {
    return Error(ErrorCode::kUsage,
                 fmt::format("function {} called with {} arguments and room for {} results",
                             type.to_string(), args.size(), results.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != type.params[i]) {
      return Error(ErrorCode::kUsage,
                   fmt::format("argument {} of function {} must be {}, got {}", i, type.to_string(),
                               to_string(type.params[i]), to_string(args[i].type)));
    }
  }
  BERTH_TRY(check_no_v128(type));

  // Called from inside a host function (a guest's realloc, say), the isolate and the context are
  // entered already: only a handle scope is needed, which saves the isolate's thread lookup.
  std::optional<ContextScope> outer;
  std::optional<v8::HandleScope> nested;
  if (depth_ > 0) {
    nested.emplace(isolate_);
  } else {
    outer.emplace(isolate_, context_);
  }
  v8::Local<v8::Context> context = outer ? outer->context() : isolate_->GetCurrentContext();
  SmallBuffer<v8::Local<v8::Value>, 16> argv(args.size());
  for (size_t i = 0; i < args.size(); ++i) argv[i] = to_js(isolate_, args[i], refs_);
  v8::Local<v8::Function> function = entry.handle.Get(isolate_).As<v8::Function>();
  v8::Local<v8::Value> returned;
  BERTH_TRY(run_guest([&](v8::Local<v8::Context> ctx) {
    return function->Call(ctx, v8::Undefined(isolate_), static_cast<int>(args.size()), argv.data())
        .ToLocal(&returned);
  }));

  if (results.size() == 1) {
    BERTH_TRY_ASSIGN(results[0], from_js(context, type.results[0], returned, refs_));
  } else if (results.size() > 1) {
    auto array = returned.As<v8::Array>();
    for (uint32_t i = 0; i < results.size(); ++i) {
      v8::Local<v8::Value> item;
      if (!array->Get(context, i).ToLocal(&item)) {
        return Error(ErrorCode::kInternal, "multi-value result could not be read");
      }
      BERTH_TRY_ASSIGN(results[i], from_js(context, type.results[i], item, refs_));
    }
  }
  return {};
}

void V8Store::fail_host_call(Error error) {
  v8::Local<v8::Value> exception = v8::Exception::Error(js_string(isolate_, error.message()));
  // Read now: once execution is terminated, the exception does not reach run_guest.
  if (error.backtrace().empty()) {
    error.set_backtrace(wasm_backtrace(isolate_, isolate_->GetCurrentContext(), exception));
  }
  if (!pending_host_error_) pending_host_error_ = std::move(error);
  // A failed host call is a trap, and wasm must not catch traps, but a `catch_all` would catch
  // the exception. So execution is also terminated, which no handler can catch: the exception
  // unwinds the guest at once, the termination stops a handler at its next check, and
  // invoke_host refuses the host calls a handler makes before that.
  isolate_->ThrowException(exception);
  isolate_->TerminateExecution();
  host_terminated_ = true;
}

void V8Store::invoke_host(const HostRecord& record,
                          const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (pending_host_error_) {
    // A handler caught the exception of a failed host call and carries on: it is trapping.
    isolate_->ThrowException(v8::Exception::Error(js_string(isolate_, "trapping")));
    return;
  }
  const FuncType& type = record.type;
  SmallBuffer<Value, 16> params(type.params.size());
  SmallBuffer<Value, 8> results(type.results.size());
  v8::Local<v8::Context> context;  // fetched only for the values that need it
  for (size_t i = 0; i < type.params.size(); ++i) {
    v8::Local<v8::Value> arg = info[static_cast<int>(i)];
    // The common case first, without a context or a Result: every call passes through here.
    if (type.params[i] == ValType::kI32 && arg->IsInt32()) {
      // Set in place: copying a whole Value just built costs a store-forwarding stall per
      // argument (its fields are stored piecewise, then loaded as one).
      params[i].type = ValType::kI32;
      params[i].i32 = arg.As<v8::Int32>()->Value();
      continue;
    }
    if (context.IsEmpty()) context = isolate_->GetCurrentContext();
    Result<Value> value = from_js(context, type.params[i], arg, refs_);
    if (!value) return fail_host_call(std::move(value).error());
    params[i] = *value;
  }
  for (size_t i = 0; i < type.results.size(); ++i) results[i] = Value::zero(type.results[i]);

  // No C++ exception may unwind through V8's frames.
  Result<void> outcome = [&]() -> Result<void> {
    try {
      return record.fn(*this, params.span(), results.span());
    } catch (const std::exception& e) {
      return Error(ErrorCode::kInternal, fmt::format("host function threw: {}", e.what()));
    } catch (...) {
      return Error(ErrorCode::kInternal, "host function threw an unknown exception");
    }
  }();
  if (!outcome) return fail_host_call(std::move(outcome).error());

  for (size_t i = 0; i < type.results.size(); ++i) {
    if (results[i].type != type.results[i]) {
      return fail_host_call(Error(ErrorCode::kInternal,
                                  fmt::format("host function {} returned a {} as result {}",
                                              type.to_string(), to_string(results[i].type), i)));
    }
  }
  if (type.results.size() == 1) {
    set_return_value(info.GetReturnValue(), isolate_, results[0], refs_);
  } else if (type.results.size() > 1) {
    SmallBuffer<v8::Local<v8::Value>, 8> values(type.results.size());
    for (size_t i = 0; i < type.results.size(); ++i) values[i] = to_js(isolate_, results[i], refs_);
    info.GetReturnValue().Set(v8::Array::New(isolate_, values.data(), type.results.size()));
  }
}

MemoryView V8Store::memory_view(Memory memory) {
  if (memory.id >= objects(ExternKind::kMemory).size()) return {};
  v8::HandleScope handle_scope(isolate_);
  auto object =
      objects(ExternKind::kMemory)[memory.id].handle.Get(isolate_).As<v8::WasmMemoryObject>();
  v8::Local<v8::ArrayBuffer> buffer = object->Buffer();
  return {static_cast<uint8_t*>(buffer->Data()), buffer->ByteLength()};
}

Result<uint64_t> V8Store::memory_grow(Memory memory, uint64_t delta_pages) {
  BERTH_TRY(check_handle(Extern::of(memory)));
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Object> object = objects(ExternKind::kMemory)[memory.id].handle.Get(isolate_);
  auto grow = get_property(scope.context(), object, "grow").As<v8::Function>();
  v8::Local<v8::Value> args[] = {v8::Number::New(isolate_, static_cast<double>(delta_pages))};
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> previous;
  if (!grow->Call(scope.context(), object, 1, args).ToLocal(&previous)) {
    return Error(
        ErrorCode::kLimit,
        fmt::format(
            "memory cannot grow by {} pages: {}", delta_pages,
            error_from_exception(isolate_, scope.context(), try_catch.Exception()).message()));
  }
  return static_cast<uint64_t>(previous.As<v8::Number>()->Value());
}

Result<Value> V8Store::global_get(Global global) {
  BERTH_TRY(check_handle(Extern::of(global)));
  const Object& entry = objects(ExternKind::kGlobal)[global.id];
  if (entry.type.global.type == ValType::kV128) {
    return Error(ErrorCode::kUnsupported, "v128 globals cannot be read from the host");
  }
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Value> value = get_property(scope.context(), entry.handle.Get(isolate_), "value");
  return from_js(scope.context(), entry.type.global.type, value, refs_);
}

Result<void> V8Store::global_set(Global global, Value value) {
  BERTH_TRY(check_handle(Extern::of(global)));
  const Object& entry = objects(ExternKind::kGlobal)[global.id];
  if (!entry.type.global.is_mutable) {
    return Error(ErrorCode::kUsage, "the global is immutable");
  }
  if (value.type != entry.type.global.type) {
    return Error(ErrorCode::kUsage,
                 fmt::format("a {} global cannot hold a {}", to_string(entry.type.global.type),
                             to_string(value.type)));
  }
  ContextScope scope(isolate_, context_);
  set_property(scope.context(), entry.handle.Get(isolate_), "value", to_js(isolate_, value, refs_));
  return {};
}

Result<uint32_t> V8Store::table_size(Table table) {
  BERTH_TRY(check_handle(Extern::of(table)));
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Value> length = get_property(
      scope.context(), objects(ExternKind::kTable)[table.id].handle.Get(isolate_), "length");
  return static_cast<uint32_t>(length.As<v8::Number>()->Value());
}

Result<Value> V8Store::table_get(Table table, uint32_t index) {
  BERTH_TRY(check_handle(Extern::of(table)));
  const Object& entry = objects(ExternKind::kTable)[table.id];
  ContextScope scope(isolate_, context_);
  v8::Local<v8::Object> object = entry.handle.Get(isolate_);
  auto get = get_property(scope.context(), object, "get").As<v8::Function>();
  v8::Local<v8::Value> args[] = {v8::Number::New(isolate_, index)};
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> element;
  if (!get->Call(scope.context(), object, 1, args).ToLocal(&element)) {
    return Error(ErrorCode::kTrap, fmt::format("table index {} is out of bounds", index));
  }
  return from_js(scope.context(), entry.type.table.element, element, refs_);
}

void V8Store::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!watchdog_) {
    watchdog_ = std::make_unique<Watchdog>([isolate = isolate_] { isolate->TerminateExecution(); });
  }
  watchdog_->set_deadline(deadline);
}

}  // namespace berth::engine::v8impl
