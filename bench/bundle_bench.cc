// Component -> bundle calls against V8's bare wasm -> host call, measured in the same run:
//  - bare/wasm_to_host/add_i32: a core module calls an engine host function (no component
//    model at all): the floor;
//  - bundle/add_u32: a component calls `add(u32, u32) -> u32` of a native bundle;
//  - bundle/set_16B and bundle/get_16B: `set(key, value)` and `get(key) -> option<string>`
//    with 16-byte strings.
// Each benchmark iteration runs 1000 calls from inside wasm; `per_call` is the time of one.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bench_support.h"
#include "berth/bundle/bundle.h"
#include "berth/component/component.h"
#include "berth/host/linker.h"

namespace berth::bench {
namespace {

constexpr uint32_t kCallsPerIteration = 1000;

struct Fixture {
  std::shared_ptr<engine::Engine> engine = must(engine::create_engine());
  std::unique_ptr<engine::Store> store = must(engine->create_store());
  engine::Instance bare{};
  std::unique_ptr<host::LinkedInstance> linked;

  Fixture() {
    engine::HostFunc noop = [](engine::Store&, std::span<const engine::Value>,
                               std::span<engine::Value>) -> Result<void> { return {}; };
    engine::HostFunc add = [](engine::Store&, std::span<const engine::Value> p,
                              std::span<engine::Value> r) -> Result<void> {
      r[0] = engine::Value::from_i32(p[0].i32 + p[1].i32);
      return {};
    };
    using engine::ValType;
    auto host_noop = must(store->create_host_func({}, noop));
    auto host_add =
        must(store->create_host_func({{ValType::kI32, ValType::kI32}, {ValType::kI32}}, add));
    auto module = must(engine->compile(guest("call_overhead")));
    bare = must(store->instantiate(
        *module, std::vector{engine::Extern::of(host_noop), engine::Extern::of(host_add)}));

    auto component = must(component::load_component(*engine, guest("calls_user"), "calls_user"));
    host::Linker linker;
    must(bundle::add_bundles(
        linker, {.bundle_dirs = {std::filesystem::path(berth::testing::binary_dir()) / "bench" /
                                 "bench-calls"}}));
    linked = must(linker.instantiate(*store, component));
  }

  Result<std::optional<component::Val>> call(const char* name, uint32_t n) {
    auto& instance = linked->component();
    BERTH_TRY_ASSIGN(auto func, instance.find_function(name));
    std::vector<component::Val> args{component::Val::u32(n)};
    return instance.call(*func, args);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void per_call_counter(benchmark::State& state) {
  state.counters["per_call"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCallsPerIteration,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void bare_add(benchmark::State& state) {
  Fixture& f = fixture();
  engine::Func loop{f.store->get_export(f.bare, "call_host_add")->id};
  engine::Value n = engine::Value::from_i32(kCallsPerIteration);
  engine::Value result;
  for (auto _ : state) {
    auto r = f.store->call(loop, {&n, 1}, {&result, 1});
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state);
}

void bundle_loop(benchmark::State& state, const char* export_name) {
  Fixture& f = fixture();
  if (std::string_view(export_name) == "loop-get") must(f.call("loop-set", 1));
  for (auto _ : state) {
    auto r = f.call(export_name, kCallsPerIteration);
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state);
}

BENCHMARK(bare_add)->Name("bare/wasm_to_host/add_i32");
BENCHMARK_CAPTURE(bundle_loop, add, "loop-add")->Name("bundle/add_u32");
BENCHMARK_CAPTURE(bundle_loop, set, "loop-set")->Name("bundle/set_16B");
BENCHMARK_CAPTURE(bundle_loop, get, "loop-get")->Name("bundle/get_16B");

}  // namespace
}  // namespace berth::bench

BENCHMARK_MAIN();
