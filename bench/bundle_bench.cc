// Component -> bundle calls against V8's bare wasm -> host call, measured in the same run:
//  - bare/wasm_to_host/add_i32: a core module calls an engine host function (no component
//    model at all): the floor;
//  - bundle/add_u32: a component calls `add(u32, u32) -> u32` of a native bundle;
//  - bundle/set_16B and bundle/get_16B: `set(key, value)` and `get(key) -> option<string>`
//    with 16-byte strings;
//  - cpp/...: the same component and calls, the interface implemented by typed C++ functions
//    an embedder defines (host/typed_function.h) instead of the bundle;
//  - bundle_to_bundle/add_u32 and bundle_to_bundle/get_16B: the same calls made by another
//    bundle (bench/bundle/relay) from native code, through the bundle ABI's call_import: the
//    component calls the relay once, the relay calls the bundle 1000 times;
//  - export/...: one call of an export from C++ (`loop-add(0)`: no call inside), typed
//    (TypedFunc), with Vals, and as WAVE text.
// Each loop iteration runs 1000 calls from inside wasm; `per_call` is the time of one.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bench_support.h"
#include "berth/bundle/bundle.h"
#include "berth/component/component.h"
#include "berth/component/typed_func.h"
#include "berth/host/defined_provider.h"
#include "berth/host/linker.h"

namespace berth::bench {
namespace {

constexpr uint32_t kCallsPerIteration = 1000;

struct Fixture {
  std::shared_ptr<engine::Engine> engine = must(engine::create_engine());
  std::unique_ptr<engine::Store> store = must(engine->create_store());
  engine::Instance bare{};
  std::unique_ptr<host::LinkedInstance> linked;
  std::unique_ptr<host::LinkedInstance> embedded;  // the same component, the api in C++
  std::unique_ptr<host::LinkedInstance> relayed;   // a component calling the relay bundle

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

    host::Linker cpp_linker;
    cpp_linker.add(cpp_provider());
    embedded = must(cpp_linker.instantiate(*store, component));

    std::filesystem::path bench_dir = std::filesystem::path(berth::testing::binary_dir()) / "bench";
    host::Linker relay_linker;
    must(bundle::add_bundles(
        relay_linker, {.bundle_dirs = {bench_dir / "bench-calls", bench_dir / "bench-relay"}}));
    relayed = must(relay_linker.instantiate(
        *store, must(component::load_component(*engine, guest("relay_user"), "relay_user"))));
  }

  // bench:calls/api in C++, with the bundle's one-slot store.
  static std::shared_ptr<host::DefinedProvider> cpp_provider() {
    std::ifstream wit(std::string(berth::testing::source_dir()) + "/bench/bundle/wit/calls.wit");
    std::string text((std::istreambuf_iterator<char>(wit)), std::istreambuf_iterator<char>());
    auto provider = must(host::DefinedProvider::create("bench C++ host", text));
    auto slot = std::make_shared<std::pair<std::string, std::string>>();
    must(provider->define("bench:calls/api", "add", [](uint32_t a, uint32_t b) { return a + b; }));
    must(provider->define("bench:calls/api", "get", [slot](std::string_view key) {
      return key == slot->first ? std::optional<std::string>(slot->second) : std::nullopt;
    }));
    must(provider->define("bench:calls/api", "set",
                          [slot](std::string_view key, std::string_view value) {
                            slot->first = key;
                            slot->second = value;
                          }));
    return provider;
  }

  Result<std::optional<component::Val>> call(const char* name, uint32_t n, bool cpp_host = false) {
    auto& instance = (cpp_host ? embedded : linked)->component();
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

void bundle_loop(benchmark::State& state, const char* export_name, bool cpp_host) {
  Fixture& f = fixture();
  if (std::string_view(export_name) == "loop-get") must(f.call("loop-set", 1, cpp_host));
  for (auto _ : state) {
    auto r = f.call(export_name, kCallsPerIteration, cpp_host);
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state);
}

// One export call from C++, in the three forms an embedder has. No per_call counter: the time
// of an iteration is the time of one call.
void export_typed(benchmark::State& state) {
  auto f = must(
      component::TypedFunc<uint32_t(uint32_t)>::find(fixture().linked->component(), "loop-add"));
  for (auto _ : state) benchmark::DoNotOptimize(must(f(0)));
}

void export_val(benchmark::State& state) {
  auto& instance = fixture().linked->component();
  auto func = must(instance.find_function("loop-add"));
  std::vector<component::Val> args{component::Val::u32(0)};
  for (auto _ : state) benchmark::DoNotOptimize(must(instance.call(*func, args)));
}

void export_wave(benchmark::State& state) {
  auto& instance = fixture().linked->component();
  for (auto _ : state)
    benchmark::DoNotOptimize(must(component::call_wave(instance, "loop-add(0)")));
}

// One component call into the relay, which makes the 1000 calls into the other bundle.
void relay_loop(benchmark::State& state, const char* export_name) {
  auto& instance = fixture().relayed->component();
  auto func = must(instance.find_function(export_name));
  std::vector<component::Val> args{component::Val::u32(kCallsPerIteration)};
  for (auto _ : state) {
    auto r = instance.call(*func, args);
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state);
}

BENCHMARK(bare_add)->Name("bare/wasm_to_host/add_i32");
BENCHMARK_CAPTURE(bundle_loop, add, "loop-add", false)->Name("bundle/add_u32");
BENCHMARK_CAPTURE(bundle_loop, set, "loop-set", false)->Name("bundle/set_16B");
BENCHMARK_CAPTURE(bundle_loop, get, "loop-get", false)->Name("bundle/get_16B");
BENCHMARK_CAPTURE(relay_loop, add, "add-loop")->Name("bundle_to_bundle/add_u32");
BENCHMARK_CAPTURE(relay_loop, get, "get-loop")->Name("bundle_to_bundle/get_16B");
BENCHMARK_CAPTURE(bundle_loop, cpp_add, "loop-add", true)->Name("cpp/add_u32");
BENCHMARK_CAPTURE(bundle_loop, cpp_set, "loop-set", true)->Name("cpp/set_16B");
BENCHMARK_CAPTURE(bundle_loop, cpp_get, "loop-get", true)->Name("cpp/get_16B");
BENCHMARK(export_typed)->Name("export/typed/loop_add_0");
BENCHMARK(export_val)->Name("export/val/loop_add_0");
BENCHMARK(export_wave)->Name("export/wave/loop_add_0");

}  // namespace
}  // namespace berth::bench

BENCHMARK_MAIN();
