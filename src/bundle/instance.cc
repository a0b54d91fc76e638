// A bundle's provider instance: the bundle's create/destroy pair, the table of resource reps,
// host functions that marshal Vals into the native layout, call the library and read its
// results back with every rule checked, and the functions of its dependencies it may call.
#include <fmt/format.h>

#include <cstddef>
#include <cstring>

#include "berth/component/component.h"
#include "berth/component/native.h"
#include "loaded_bundle.h"
#include "support/utf8.h"

namespace berth::bundle {
namespace {

using component::NativeArena;
using component::NativeType;
using component::NativeTypeRef;
using component::Val;
using component::ValKind;

static_assert(sizeof(berth_str) == sizeof(component::NativeStr) &&
              offsetof(berth_str, len) == offsetof(component::NativeStr, len));
static_assert(sizeof(berth_list) == sizeof(component::NativeList) &&
              offsetof(berth_list, len) == offsetof(component::NativeList, len));
static_assert(sizeof(berth_rep) == sizeof(component::NativeRep));

// berth_call::berth_private: what the host API functions reach.
struct CallState {
  NativeArena* arena = nullptr;
  std::optional<std::string> trap;
  ImportTable* imports = nullptr;
  ForeignHandles* foreign = nullptr;
  // An imported function trapped, or a handle was misused: the call traps whatever the bundle
  // returns.
  bool host_call_failed = false;
};

CallState& state_of(berth_call* call) {
  return *static_cast<CallState*>(call->berth_private);
}

void* api_alloc(berth_call* call, size_t size, size_t align) {
  if (call == nullptr || call->berth_private == nullptr) return nullptr;
  CallState& state = state_of(call);
  return state.arena ? state.arena->alloc(size, align) : nullptr;
}

// A message as it may appear in an error: at most 4 KiB, valid UTF-8.
std::string sanitize(const char* message) {
  if (message == nullptr) return "(no message)";
  std::string text(message, strnlen(message, 4096));
  if (is_valid_utf8(text)) return text;
  std::string out;
  for (unsigned char c : text) out += c < 0x80 ? static_cast<char>(c) : '?';
  return out;
}

berth_status api_trap(berth_call* call, const char* message) {
  if (call != nullptr && call->berth_private != nullptr) state_of(call).trap = sanitize(message);
  return BERTH_TRAP;
}

// A host API call that failed traps the bundle's call, whatever the bundle returns afterwards.
berth_status host_call_failed(CallState& state, std::string message) {
  state.trap = std::move(message);
  state.host_call_failed = true;
  return BERTH_TRAP;
}

berth_status api_call_import(berth_call* call, uint32_t index, const void* params, void* result) {
  if (call == nullptr || call->berth_private == nullptr) return BERTH_TRAP;
  CallState& state = state_of(call);
  Result<void> called = state.imports->call(index, params, result, *state.arena);
  return called ? BERTH_OK : host_call_failed(state, called.error().message());
}

berth_status api_drop_resource(berth_call* call, berth_rep handle) {
  if (call == nullptr || call->berth_private == nullptr) return BERTH_TRAP;
  CallState& state = state_of(call);
  Result<void> dropped = state.foreign->drop(handle);
  return dropped
             ? BERTH_OK
             : host_call_failed(state, fmt::format("drop_resource: {}", dropped.error().message()));
}

const berth_host_api kHostApi = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
    .abi_minor = BERTH_BUNDLE_ABI_MINOR,
    .alloc = api_alloc,
    .trap = api_trap,
    .call_import = api_call_import,
    .drop_resource = api_drop_resource,
};

// The reps of one resource type the bundle handed out; the guest holds indexes into it.
struct RepTable {
  const berth_resource* resource = nullptr;  // the descriptor's entry (destroy may be NULL)
  component::ResourceTypeRef type;
  std::vector<std::optional<uintptr_t>> slots;  // index + 1 is the 32-bit rep the guest sees
  std::vector<uint32_t> free;

  uint32_t add(uintptr_t rep) {
    if (!free.empty()) {
      uint32_t index = free.back();
      free.pop_back();
      slots[index] = rep;
      return index + 1;
    }
    slots.push_back(rep);
    return static_cast<uint32_t>(slots.size());
  }
  std::optional<uintptr_t> get(uint32_t id) const {
    if (id == 0 || id > slots.size()) return std::nullopt;
    return slots[id - 1];
  }
  std::optional<uintptr_t> take(uint32_t id) {
    std::optional<uintptr_t> rep = get(id);
    if (rep) {
      slots[id - 1].reset();
      free.push_back(id - 1);
    }
    return rep;
  }
};

// The state of one bundle instance, shared by the provider instance, its host functions and
// (weakly) the destructors of its resource types.
class InstanceState final : public component::NativeHandles,
                            public std::enable_shared_from_this<InstanceState> {
 public:
  explicit InstanceState(std::shared_ptr<const LoadedBundle> bundle)
      : bundle_(std::move(bundle)),
        foreign_handles_(bundle_->descriptor_->abi_minor >= 2),
        imports_(*bundle_, foreign_) {}

  // Runs the bundle's create with its configuration. A bundle with dependencies is created once
  // they are all linked, so that create may call its imports.
  Result<void> create() {
    instance_created_ = true;
    if (bundle_->descriptor_->create == nullptr) return {};
    std::vector<berth_config_entry> entries;
    entries.reserve(bundle_->config_.size());
    for (const auto& [key, value] : bundle_->config_) {
      entries.push_back({key.c_str(), value.c_str()});
    }
    NativeArena arena;
    CallState state{.arena = &arena, .imports = &imports_, .foreign = &foreign_};
    berth_call call{.host = &kHostApi, .instance = nullptr, .berth_private = &state};
    int status = BERTH_OK;
    try {
      status = bundle_->descriptor_->create(&call, entries.data(), entries.size(), &instance_);
    } catch (...) {
      status = BERTH_TRAP;
      state.trap = "a C++ exception escaped through the C ABI";
    }
    foreign_.end_call();
    if (status == BERTH_OK && !state.host_call_failed) return {};
    instance_created_ = false;
    foreign_.drop_all();  // what it made through its imports before it failed
    std::string config;
    for (const auto& [key, value] : bundle_->config_) {
      config += fmt::format("{}{} = \"{}\"", config.empty() ? "" : ", ", key, value);
    }
    const BundleSpec& spec = bundle_->spec_;
    return Error(ErrorCode::kInvalid,
                 fmt::format("cannot create an instance of the bundle: {} (configuration: {}; "
                             "from {}{})",
                             state.trap.value_or("the bundle gave no reason"),
                             config.empty() ? "none" : config, spec.origin.string(),
                             spec.overrides.empty() || spec.overrides_origin == spec.origin
                                 ? ""
                                 : " and " + spec.overrides_origin.string()));
  }

  ~InstanceState() override {
    // Resources the guest still holds go with the instance, then the instance itself.
    for (auto& [type, table] : tables_) {
      for (auto& slot : table->slots) {
        if (slot && table->resource && table->resource->destroy) {
          table->resource->destroy(instance_, *slot);
        }
        slot.reset();
      }
    }
    if (instance_created_ && bundle_->descriptor_->destroy)
      bundle_->descriptor_->destroy(instance_);
    // Then what it held of other providers, which are still alive: only after this body do
    // the providers it depends on go, with the members.
    foreign_.drop_all();
  }

  // A provider instance this one depends on: its functions are bound to the bundle's imports
  // of `import`, and it lives as long as this state.
  Result<void> link(std::string_view import, std::string_view interface,
                    std::shared_ptr<host::ProviderInstance> dependency) {
    BERTH_TRY(imports_.bind(import, interface, *dependency));
    dependencies_.push_back(std::move(dependency));
    if (!instance_created_ && dependencies_.size() == bundle_->dependencies_.size())
      return create();
    return {};
  }

  Result<component::ResourceTypeRef> resource(std::string_view interface, std::string_view name) {
    std::string key = fmt::format("{}#{}", interface, name);
    auto it = by_name_.find(key);
    if (it != by_name_.end()) return it->second->type;
    const berth_resource* described = bundle_->resource(interface, name);
    if (described == nullptr) {
      return Error(ErrorCode::kLink, fmt::format("{}: interface {} has no resource '{}'",
                                                 bundle_->name(), interface, name));
    }
    auto table = std::make_unique<RepTable>();
    table->resource = described;
    RepTable* raw = table.get();
    std::weak_ptr<InstanceState> weak = weak_from_this();
    table->type = component::make_host_resource_type(key, [weak, raw](uint32_t id) {
      if (auto self = weak.lock()) self->drop(*raw, id);
    });
    component::ResourceTypeRef type = table->type;
    tables_.emplace(type.get(), std::move(table));
    by_name_.emplace(std::move(key), raw);
    return type;
  }

  void drop(RepTable& table, uint32_t id) {
    std::optional<uintptr_t> rep = table.take(id);
    if (rep && table.resource->destroy) table.resource->destroy(instance_, *rep);
  }

  // NativeHandles: reps of the bundle's own resources go through the tables; those of other
  // providers become handles of foreign_ (libraries before ABI 1.2 get the runtime rep).
  Result<uintptr_t> to_native(const NativeType& type, const component::ResourceType& resource,
                              uint32_t rep) override {
    auto it = tables_.find(&resource);
    if (it == tables_.end()) {
      if (!foreign_handles_ || !type.resource) return uintptr_t{rep};
      return foreign_.add(type.resource, rep, /*owned=*/type.kind == ValKind::kOwn);
    }
    RepTable& table = *it->second;
    std::optional<uintptr_t> native = type.kind == ValKind::kOwn ? table.take(rep) : table.get(rep);
    if (!native) {
      return Error(ErrorCode::kTrap,
                   fmt::format("handle of {} with rep {} is not live", table.type->name, rep));
    }
    return *native;
  }

  // An own result that never reached the caller: the bundle's destructor frees it now.
  void abandon(const NativeType& type, uintptr_t rep) override {
    auto it = tables_.find(type.resource.get());
    if (it == tables_.end()) return;
    const berth_resource* resource = it->second->resource;
    if (resource && resource->destroy) resource->destroy(instance_, rep);
  }

  Result<uint32_t> from_native(const NativeType& type, uintptr_t rep) override {
    auto it = tables_.find(type.resource.get());
    if (it == tables_.end()) {
      if (!foreign_handles_ || !type.resource) return pass_through_.from_native(type, rep);
      return foreign_.take(rep, *type.resource);
    }
    RepTable& table = *it->second;
    uint32_t id = table.add(rep);
    if (tracking_created_) created_.emplace_back(&table, id);
    return id;
  }

  struct Plan {
    std::string label;  // "bundle 'kv' (...): keyvalue:store/store@0.1.0#get"
    const berth_function* function = nullptr;
    NativeTypeRef params;
    NativeTypeRef result;
  };

  // The dynamic form: Vals into the parameter struct, the result back into a Val.
  Result<std::optional<Val>> call(const Plan& plan, std::span<const Val> args) {
    if (args.size() != plan.params->members.size()) {
      return Error(ErrorCode::kInternal,
                   fmt::format("{}: called with {} arguments, expected {}", plan.label, args.size(),
                               plan.params->members.size()));
    }
    NativeArena arena;
    uint8_t* params = nullptr;
    if (!args.empty()) {
      params = static_cast<uint8_t*>(arena.alloc(plan.params->size, plan.params->align));
      if (params == nullptr) return Error(ErrorCode::kLimit, plan.label + ": arguments too large");
      for (size_t i = 0; i < args.size(); ++i) {
        const NativeType::Member& m = plan.params->members[i];
        auto written = write_native(*m.type, args[i], params + m.offset, arena, *this);
        if (!written) return std::move(written.error().prepend(plan.label));
      }
    }
    uint8_t* result = nullptr;
    if (plan.result) {
      result = static_cast<uint8_t*>(arena.alloc(plan.result->size, plan.result->align));
      if (result == nullptr) return Error(ErrorCode::kLimit, plan.label + ": result too large");
    }
    BERTH_TRY(invoke(plan, params, result, arena));
    if (!plan.result) return std::optional<Val>();
    created_.clear();
    tracking_created_ = true;
    component::ResultHandles handles(*this);
    auto value = read_native(*plan.result, result, arena, handles, "result");
    tracking_created_ = false;
    if (!value) {
      // The result will never reach the caller: destroy the handles made for it, and the
      // objects it owns that never got one.
      for (auto [table, id] : created_) drop(*table, id);
      created_.clear();
      handles.abandon_rest(*plan.result, result, arena);
      return Error(ErrorCode::kTrap, fmt::format("{} returned an invalid value: {}", plan.label,
                                                 value.error().message()));
    }
    created_.clear();
    return std::optional<Val>(std::move(*value));
  }

  // Calls the library's implementation and turns its status into a result.
  Result<void> invoke(const Plan& plan, const uint8_t* params, uint8_t* result,
                      NativeArena& arena) {
    if (!instance_created_) {
      return Error(ErrorCode::kTrap, fmt::format("{}: the bundle instance was never created: its "
                                                 "dependencies were not linked",
                                                 plan.label));
    }
    CallState state{.arena = &arena, .imports = &imports_, .foreign = &foreign_};
    berth_call call{.host = &kHostApi, .instance = instance_, .berth_private = &state};
    int status = BERTH_OK;
    bool escaped = false;
    try {
      status = plan.function->impl(&call, params, result);
    } catch (...) {
      escaped = true;
    }
    foreign_.end_call();
    if (escaped) {
      return Error(ErrorCode::kTrap, fmt::format("{}: the bundle let a C++ exception escape "
                                                 "through the C ABI",
                                                 plan.label));
    }
    if (status == BERTH_TRAP || state.host_call_failed) {
      return Error(ErrorCode::kTrap,
                   fmt::format("{} trapped: {}", plan.label,
                               state.trap.value_or("(the bundle gave no message)")));
    }
    if (status != BERTH_OK) {
      return Error(ErrorCode::kTrap, fmt::format("{} returned status {} (expected BERTH_OK or "
                                                 "BERTH_TRAP)",
                                                 plan.label, status));
    }
    if (arena.exhausted()) {
      return Error(ErrorCode::kTrap, fmt::format("{} trapped: its results exceeded the call "
                                                 "arena's limit",
                                                 plan.label));
    }
    return {};
  }

  const LoadedBundle& bundle() const { return *bundle_; }

 private:
  std::vector<std::shared_ptr<host::ProviderInstance>> dependencies_;
  std::shared_ptr<const LoadedBundle> bundle_;
  void* instance_ = nullptr;       // what the bundle's create made
  bool instance_created_ = false;  // the bundle's create succeeded
  bool foreign_handles_;
  ForeignHandles foreign_;
  ImportTable imports_;
  std::map<const component::ResourceType*, std::unique_ptr<RepTable>> tables_;
  std::map<std::string, RepTable*, std::less<>> by_name_;
  // Handles made for a dynamic call's result, destroyed again if the result turns out invalid.
  std::vector<std::pair<RepTable*, uint32_t>> created_;
  bool tracking_created_ = false;
  component::PassThroughHandles pass_through_;
};

class BundleInstance final : public host::ProviderInstance {
 public:
  explicit BundleInstance(std::shared_ptr<InstanceState> state) : state_(std::move(state)) {}

  // Kept by the state the bundle's host functions share: it may outlive this object.
  Result<void> link(std::string_view import, std::string_view interface,
                    std::shared_ptr<host::ProviderInstance> dependency) override {
    return state_->link(import, interface, std::move(dependency));
  }

  Result<component::ResourceTypeRef> resource(std::string_view interface,
                                              std::string_view name) override {
    return state_->resource(interface, name);
  }

  Result<component::HostFunction> function(std::string_view interface, std::string_view name,
                                           const component::FuncType& type) override {
    const LoadedBundle& bundle = state_->bundle();
    auto plan = std::make_shared<InstanceState::Plan>();
    plan->label = fmt::format("{}: {}#{}", bundle.name(), interface, name);
    plan->function = bundle.function(interface, name);
    if (plan->function == nullptr || plan->function->impl == nullptr) {
      return Error(ErrorCode::kLink,
                   fmt::format("{}: the library does not implement it", plan->label));
    }
    auto layout = component::native_function_layout(type);
    if (!layout) return std::move(layout.error().prepend(plan->label));
    plan->params = std::move(layout->params);
    plan->result = std::move(layout->result);
    auto native = std::make_shared<component::NativeFunction>();
    native->name = plan->label;
    native->params = plan->params;
    native->result = plan->result;
    native->handles = state_;
    native->call = [state = state_.get(), plan](const uint8_t* params, uint8_t* result,
                                                NativeArena& arena) {
      return state->invoke(*plan, params, result, arena);
    };
    return component::HostFunction(
        [state = state_, plan](std::span<const Val> args) { return state->call(*plan, args); },
        std::move(native));
  }

 private:
  std::shared_ptr<InstanceState> state_;
};

}  // namespace

const berth_host_api& host_api() {
  return kHostApi;
}

const berth_function* LoadedBundle::function(std::string_view interface,
                                             std::string_view name) const {
  auto by_interface = functions_.find(interface);
  if (by_interface == functions_.end()) return nullptr;
  auto it = by_interface->second.find(name);
  return it == by_interface->second.end() ? nullptr : it->second;
}

const berth_resource* LoadedBundle::resource(std::string_view interface,
                                             std::string_view name) const {
  auto by_interface = resources_.find(interface);
  if (by_interface == resources_.end()) return nullptr;
  auto it = by_interface->second.find(name);
  return it == by_interface->second.end() ? nullptr : it->second;
}

Result<std::shared_ptr<host::ProviderInstance>> LoadedBundle::create_instance() {
  auto state = std::make_shared<InstanceState>(shared_from_this());
  // With dependencies, the bundle's create runs when the linker has linked them (link()).
  if (dependencies_.empty()) BERTH_TRY(state->create());
  return std::shared_ptr<host::ProviderInstance>(std::make_shared<BundleInstance>(state));
}

}  // namespace berth::bundle
