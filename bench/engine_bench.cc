// Engine benchmarks: call overhead in both directions and compute kernels, wasm vs native.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "bench_support.h"
#include "berth/engine/engine.h"
#include "kernels/kernels.h"
#include "ratio_reporter.h"

namespace berth::bench {
namespace {

using namespace berth::engine;

struct Fixture {
  std::shared_ptr<Engine> engine = must(create_engine());
  std::unique_ptr<Store> store = must(engine->create_store());
  Instance overhead{};
  Instance kernels{};

  Fixture() {
    HostFunc noop = [](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
      return {};
    };
    HostFunc add = [](Store&, std::span<const Value> p, std::span<Value> r) -> Result<void> {
      r[0] = Value::from_i32(p[0].i32 + p[1].i32);
      return {};
    };
    Func host_noop = must(store->create_host_func({}, noop));
    Func host_add =
        must(store->create_host_func({{ValType::kI32, ValType::kI32}, {ValType::kI32}}, add));
    auto overhead_module = must(engine->compile(guest("call_overhead")));
    overhead = must(store->instantiate(*overhead_module,
                                       std::vector{Extern::of(host_noop), Extern::of(host_add)}));
    auto kernel_module = must(engine->compile(guest("kernels")));
    kernels = must(store->instantiate(*kernel_module, {}));
    // Let V8 finish optimising in the background before anything is measured.
    for (const char* name : {"kernel_fib", "kernel_sieve", "kernel_matmul", "kernel_crc32"}) {
      Value result;
      (void)store->call(func(kernels, name), std::vector{Value::from_i32(16)}, {&result, 1});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  Func func(Instance instance, const char* name) {
    return Func{store->get_export(instance, name)->id};
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

constexpr int kCallsPerIteration = 1000;

void per_call_counter(benchmark::State& state, int calls_per_iteration) {
  state.counters["per_call"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * calls_per_iteration,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void host_to_wasm_noop(benchmark::State& state) {
  Fixture& f = fixture();
  Func noop = f.func(f.overhead, "noop");
  for (auto _ : state) {
    auto r = f.store->call(noop, {}, {});
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state, 1);
}

void host_to_wasm_add(benchmark::State& state) {
  Fixture& f = fixture();
  Func add = f.func(f.overhead, "add");
  Value args[2] = {Value::from_i32(1), Value::from_i32(2)};
  Value result;
  for (auto _ : state) {
    auto r = f.store->call(add, args, {&result, 1});
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state, 1);
}

void wasm_to_host_noop(benchmark::State& state) {
  Fixture& f = fixture();
  Func loop = f.func(f.overhead, "call_host_noop");
  Value n = Value::from_i32(kCallsPerIteration);
  for (auto _ : state) {
    auto r = f.store->call(loop, {&n, 1}, {});
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state, kCallsPerIteration);
}

void wasm_to_host_add(benchmark::State& state) {
  Fixture& f = fixture();
  Func loop = f.func(f.overhead, "call_host_add");
  Value n = Value::from_i32(kCallsPerIteration);
  Value result;
  for (auto _ : state) {
    auto r = f.store->call(loop, {&n, 1}, {&result, 1});
    benchmark::DoNotOptimize(r);
  }
  per_call_counter(state, kCallsPerIteration);
}

template <typename NativeFn>
void native_kernel(benchmark::State& state, NativeFn fn, int32_t arg) {
  for (auto _ : state) benchmark::DoNotOptimize(fn(arg));
}

void wasm_kernel(benchmark::State& state, const char* name, int32_t arg) {
  Fixture& f = fixture();
  Func kernel = f.func(f.kernels, name);
  Value in = Value::from_i32(arg);
  Value out;
  for (auto _ : state) {
    auto r = f.store->call(kernel, {&in, 1}, {&out, 1});
    if (!r) state.SkipWithError(r.error().message().c_str());
    benchmark::DoNotOptimize(out);
  }
}

constexpr int32_t kFibN = 30;
constexpr int32_t kSieveLimit = 1 << 21;
constexpr int32_t kMatrixN = 128;
constexpr int32_t kCrcBytes = 1 << 20;

BENCHMARK(host_to_wasm_noop)->Name("call/host_to_wasm/noop");
BENCHMARK(host_to_wasm_add)->Name("call/host_to_wasm/add_i32");
BENCHMARK(wasm_to_host_noop)->Name("call/wasm_to_host/noop");
BENCHMARK(wasm_to_host_add)->Name("call/wasm_to_host/add_i32");

BENCHMARK_CAPTURE(native_kernel, fib, kernel_fib, kFibN)
    ->Name("native/fib")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(wasm_kernel, fib, "kernel_fib", kFibN)
    ->Name("wasm/fib")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(native_kernel, sieve, kernel_sieve, kSieveLimit)
    ->Name("native/sieve")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(wasm_kernel, sieve, "kernel_sieve", kSieveLimit)
    ->Name("wasm/sieve")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(native_kernel, matmul, kernel_matmul, kMatrixN)
    ->Name("native/matmul")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(wasm_kernel, matmul, "kernel_matmul", kMatrixN)
    ->Name("wasm/matmul")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(native_kernel, crc32, kernel_crc32, kCrcBytes)
    ->Name("native/crc32")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(wasm_kernel, crc32, "kernel_crc32", kCrcBytes)
    ->Name("wasm/crc32")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  return berth::bench::run_with_ratios(argc, argv);
}
