// Calls across the component boundary: into lifted exports, out through lowered imports, and
// the resource built-ins.
#include <fmt/format.h>

#include "component/runtime/instantiate.h"

namespace berth::component::runtime {
namespace {

Error cannot_leave() {
  return Error(ErrorCode::kTrap, "cannot leave component instance");
}

// Whether `instance` is `caller` or one of its ancestors: an instance the caller is inside.
bool caller_is_inside(const InstanceRuntime* caller, const InstanceRuntime* instance) {
  for (const InstanceRuntime* c = caller; c != nullptr; c = c->parent.get()) {
    if (c == instance) return true;
  }
  return false;
}

// Marks the instances a call enters as on the call stack for its duration: the callee's instance
// and its ancestors, except those the caller is already inside (a child calling back into its
// parent stays inside the parent). This is the spec's entering_set; the chain never changes, so
// leaving walks it again instead of storing it.
class EnterGuard {
 public:
  EnterGuard(InstanceRuntime& callee, const InstanceRuntime* caller)
      : callee_(callee), caller_(caller) {}
  ~EnterGuard() {
    if (entered_) for_each([](InstanceRuntime& i) { i.may_enter = true; });
  }
  EnterGuard(const EnterGuard&) = delete;
  EnterGuard& operator=(const EnterGuard&) = delete;

  Result<void> enter() {
    bool may_enter = true;
    for_each([&](InstanceRuntime& i) { may_enter = may_enter && i.may_enter; });
    if (!may_enter) return Error(ErrorCode::kTrap, "cannot enter component instance");
    for_each([](InstanceRuntime& i) { i.may_enter = false; });
    entered_ = true;
    return {};
  }

 private:
  template <typename F>
  void for_each(F f) {
    for (InstanceRuntime* i = &callee_; i != nullptr; i = i->parent.get()) {
      if (!caller_is_inside(caller_, i)) f(*i);
    }
  }

  InstanceRuntime& callee_;
  const InstanceRuntime* caller_;
  bool entered_ = false;
};

Result<std::optional<Val>> call_lifted(engine::Store& store, const Function& func,
                                       std::span<const Val> args, const InstanceRuntime* caller) {
  InstanceRuntime& owner = *func.owner;
  EnterGuard entered(owner, caller);
  BERTH_TRY(entered.enter());
  abi::LiftLowerContext cx(store, func.options, &owner.abi);
  abi::Task task;
  cx.task = &task;
  std::vector<engine::Value> flat_args;
  BERTH_TRY(abi::lower_params(cx, *func.layout, args, flat_args));
  engine::FuncType core_type = func.layout->lift_core_type();
  std::vector<engine::Value> flat_results;
  for (engine::ValType t : core_type.results) flat_results.push_back(engine::Value::zero(t));
  BERTH_TRY(store.call(func.core, flat_args, flat_results));
  BERTH_TRY_ASSIGN(std::optional<Val> result, abi::lift_results(cx, *func.layout, flat_results));
  BERTH_TRY(task.check_borrows_dropped());
  BERTH_TRY(abi::call_post_return(cx, flat_results));
  return result;
}

// A guest's call of a host function in native form: no Vals between guest memory and the
// native structs.
Result<void> call_native(abi::LiftLowerContext& cx, const abi::FuncLayout& layout,
                         const NativeFunction& native, std::span<const engine::Value> params,
                         std::span<engine::Value> results) {
  NativeArena arena;
  uint8_t* param_struct = nullptr;
  if (!layout.params.empty()) {
    param_struct = static_cast<uint8_t*>(arena.alloc(native.params->size, native.params->align));
    if (param_struct == nullptr) {
      return Error(ErrorCode::kLimit, native.name + ": the arguments do not fit in memory");
    }
  }
  BERTH_TRY(abi::lift_params_native(cx, layout, *native.params, params, param_struct, arena,
                                    *native.handles));
  const uint8_t* lent_base = cx.memory_data();
  uint64_t lent_size = cx.memory_size();
  uint8_t* result = nullptr;
  if (native.result) {
    result = static_cast<uint8_t*>(arena.alloc(native.result->size, native.result->align));
    if (result == nullptr) {
      return Error(ErrorCode::kLimit, native.name + ": the result does not fit in memory");
    }
  }
  BERTH_TRY(native.call(param_struct, result, arena));
  // The objects a result owns that do not reach the guest are freed, whatever stops them.
  ResultHandles handles(*native.handles);
  if (native.result && native.result->checked) {
    Result<void> valid = check_native(*native.result, result, arena, "result");
    if (!valid) {
      handles.abandon_rest(*native.result, result, arena);
      return Error(ErrorCode::kTrap, fmt::format("{} returned an invalid value: {}", native.name,
                                                 valid.error().message()));
    }
  }
  Result<void> lowered = abi::lower_results_native(cx, layout, native.result.get(), result, handles,
                                                   lent_base, lent_size, params, results);
  if (!lowered && native.result) handles.abandon_rest(*native.result, result, arena);
  return lowered;
}

// A call from one component instance into a function another one lifted, fused: the caller's
// arguments are lifted straight into a native parameter struct and lowered from it into the
// callee, and the callee's result comes back the same way, with no Val built. The native layout
// is the meeting point, as it is for bundles; resource reps cross unchanged.
struct FusedPlan {
  NativeTypeRef params;
  NativeTypeRef result;  // null: no result
  size_t core_params = 0;
  std::vector<engine::ValType> core_results;
};

std::shared_ptr<const FusedPlan> fused_plan(const abi::FuncLayout& caller, const Function& callee) {
  if (callee.is_host() || !callee.layout) return nullptr;
  // Each side lays values out from its own view of the type: they must agree.
  if (native_signature(*caller.type) != native_signature(*callee.layout->type)) return nullptr;
  auto layout = native_function_layout(*caller.type);
  if (!layout) return nullptr;  // a type without native form: the Val path takes it
  auto plan = std::make_shared<FusedPlan>();
  plan->params = std::move(layout->params);
  plan->result = std::move(layout->result);
  engine::FuncType core = callee.layout->lift_core_type();
  plan->core_params = core.params.size();
  plan->core_results = std::move(core.results);
  return plan;
}

Result<void> call_fused(abi::LiftLowerContext& cx, const abi::FuncLayout& layout,
                        const InstanceRuntime& caller, const Function& callee,
                        const FusedPlan& plan, std::span<const engine::Value> params,
                        std::span<engine::Value> results) {
  PassThroughHandles handles;
  NativeArena arena;
  uint8_t* param_struct = nullptr;
  if (!layout.params.empty()) {
    param_struct = static_cast<uint8_t*>(arena.alloc(plan.params->size, plan.params->align));
    if (param_struct == nullptr) return Error(ErrorCode::kLimit, "the arguments do not fit");
  }
  BERTH_TRY(
      abi::lift_params_native(cx, layout, *plan.params, params, param_struct, arena, handles));

  InstanceRuntime& owner = *callee.owner;
  EnterGuard entered(owner, &caller);
  BERTH_TRY(entered.enter());
  abi::LiftLowerContext callee_cx(cx.store, callee.options, &owner.abi);
  abi::Task task;
  callee_cx.task = &task;
  std::vector<engine::Value> flat_args(plan.core_params);
  BERTH_TRY(abi::lower_params_native(callee_cx, *callee.layout, *plan.params, param_struct, handles,
                                     flat_args));
  std::vector<engine::Value> flat_results;
  for (engine::ValType t : plan.core_results) flat_results.push_back(engine::Value::zero(t));
  BERTH_TRY(cx.store.call(callee.core, flat_args, flat_results));
  uint8_t* result = nullptr;
  if (plan.result) {
    result = static_cast<uint8_t*>(arena.alloc(plan.result->size, plan.result->align));
    if (result == nullptr) return Error(ErrorCode::kLimit, "the result does not fit");
    BERTH_TRY(abi::lift_results_native(callee_cx, *callee.layout, *plan.result, flat_results,
                                       result, arena, handles));
  }
  BERTH_TRY(task.check_borrows_dropped());
  // As the spec orders it: the caller receives the result before the callee's post-return,
  // which may free what the result points to. The caller's memory has not moved since its
  // arguments were lifted: only the callee ran.
  BERTH_TRY(abi::lower_results_native(cx, layout, plan.result.get(), result, handles, nullptr, 0,
                                      params, results));
  return abi::call_post_return(callee_cx, flat_results);
}

// A lowered import of a native host function that takes and returns only numbers: the core
// values are copied into the parameter struct and the result out of its struct, nothing else.
engine::HostFunc scalar_native_import(std::shared_ptr<InstanceRuntime> caller, FunctionRef callee,
                                      abi::NativeScalarPlan plan) {
  // `callee` keeps the native function alive.
  const NativeFunction* native = callee->host.native();
  return [caller, callee, native, plan = std::move(plan)](
             engine::Store&, std::span<const engine::Value> params,
             std::span<engine::Value> results) -> Result<void> {
    if (!caller->abi.may_leave) return cannot_leave();
    NativeArena arena;
    uint8_t* param_struct = nullptr;
    if (!plan.params.empty()) {
      param_struct =
          static_cast<uint8_t*>(arena.alloc(native->params->size, native->params->align));
    }
    abi::lift_scalar_params(plan, params, param_struct);
    uint8_t* result = nullptr;
    if (plan.result) {
      result = static_cast<uint8_t*>(arena.alloc(native->result->size, native->result->align));
    }
    BERTH_TRY(native->call(param_struct, result, arena));
    if (plan.result) results[0] = abi::lower_scalar_result(plan, result);
    return {};
  };
}

}  // namespace

Result<std::optional<Val>> call_function(engine::Store& store, const Function& func,
                                         std::span<const Val> args, const InstanceRuntime* caller) {
  if (func.is_host()) return func.host(args);
  return call_lifted(store, func, args, caller);
}

engine::HostFunc Instantiator::lowered_import(std::shared_ptr<InstanceRuntime> caller,
                                              FunctionRef callee, abi::CanonOptions options,
                                              abi::FuncLayoutRef layout) {
  auto shared_options = std::make_shared<abi::CanonOptions>(std::move(options));
  const NativeFunction* native = callee->is_host() ? callee->host.native() : nullptr;
  if (native) {
    if (auto plan = abi::native_scalar_plan(*layout, *native->params, native->result.get())) {
      return scalar_native_import(std::move(caller), std::move(callee), std::move(*plan));
    }
  }
  std::shared_ptr<const FusedPlan> fused = fused_plan(*layout, *callee);
  return [caller, callee, shared_options, layout, native, fused](
             engine::Store& store, std::span<const engine::Value> params,
             std::span<engine::Value> results) -> Result<void> {
    if (!caller->abi.may_leave) return cannot_leave();
    // A component instance calling a function it lifted itself would enter itself (as wasmtime
    // does, this traps even while the instance is still being instantiated).
    if (!callee->is_host() && callee->owner == caller) {
      return Error(ErrorCode::kTrap, "cannot enter component instance");
    }
    abi::LiftLowerContext cx(store, *shared_options, &caller->abi);
    abi::Subtask subtask(caller->abi);
    cx.subtask = &subtask;
    if (native) return call_native(cx, *layout, *native, params, results);
    if (fused) return call_fused(cx, *layout, *caller, *callee, *fused, params, results);
    // Hosts take list<number> as bytes (Val::packed): one copy instead of a Val per element,
    // which is what makes large reads and writes through WASI streams or bundles affordable.
    cx.pack_number_lists = callee->is_host();
    BERTH_TRY_ASSIGN(std::vector<Val> args, abi::lift_params(cx, *layout, params));
    BERTH_TRY_ASSIGN(std::optional<Val> result, call_function(store, *callee, args, caller.get()));
    subtask.deliver_resolve();
    return abi::lower_results(cx, *layout, result, params, results);
  };
}

engine::HostFunc Instantiator::resource_builtin(binary::CanonKind kind,
                                                std::shared_ptr<InstanceRuntime> owner,
                                                ResourceTypeRef resource) {
  ResourceRegistry* registry = &registry_;
  return
      [kind, owner, resource, registry](engine::Store& store, std::span<const engine::Value> params,
                                        std::span<engine::Value> results) -> Result<void> {
        uint32_t arg = static_cast<uint32_t>(params[0].i32);
        switch (kind) {
          case binary::CanonKind::kResourceNew: {
            if (!owner->abi.may_leave) return cannot_leave();
            BERTH_TRY_ASSIGN(uint32_t handle, abi::resource_new(owner->abi, resource, arg));
            results[0] = engine::Value::from_i32(static_cast<int32_t>(handle));
            return {};
          }
          case binary::CanonKind::kResourceRep: {
            BERTH_TRY_ASSIGN(uint32_t rep, abi::resource_rep(owner->abi, *resource, arg));
            results[0] = engine::Value::from_i32(static_cast<int32_t>(rep));
            return {};
          }
          default: {
            if (!owner->abi.may_leave) return cannot_leave();
            BERTH_TRY_ASSIGN(abi::DroppedHandle dropped,
                             abi::resource_drop(owner->abi, *resource, arg));
            if (!dropped.run_destructor) return {};
            if (resource->host_destructor) {
              resource->host_destructor(dropped.rep);
              return {};
            }
            auto it = registry->destructors.find(resource.get());
            if (it == registry->destructors.end() || !it->second) return {};
            engine::Value rep = engine::Value::from_i32(static_cast<int32_t>(dropped.rep));
            return store.call(*it->second, {&rep, 1}, {});
          }
        }
      };
}

}  // namespace berth::component::runtime
