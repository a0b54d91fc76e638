// Calls through a composition of components against the same call made straight to a component:
//  - component/direct/echo_16B: the host calls `echo(string) -> string` of one component;
//  - component/through/echo_16B: the host calls `echo` of a component that calls the `echo` of
//    another one (tests/component_runtime/guests/fused.wat): the difference is the cost of one
//    component-to-component call, which lifts and lowers the string once more each way.
#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "berth/component/component.h"

namespace berth::bench {
namespace {

// Neither component imports anything.
class NoImports final : public component::ImportResolver {
 public:
  Result<component::HostFunction> resolve_func(std::string_view, std::string_view name,
                                               const component::FuncType&) override {
    return Error(ErrorCode::kLink, std::string(name) + " is not provided");
  }
};

struct Fixture {
  std::shared_ptr<engine::Engine> engine = must(engine::create_engine());
  std::unique_ptr<engine::Store> store = must(engine->create_store());
  std::unique_ptr<component::ComponentInstance> direct;
  std::unique_ptr<component::ComponentInstance> through;

  Fixture() {
    NoImports none;
    direct = must(component::instantiate(
        *store, must(component::load_component(*engine, guest("component_strings"), "strings")),
        none));
    through = must(component::instantiate(
        *store, must(component::load_component(*engine, guest("component_fused"), "fused")), none));
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void echo(benchmark::State& state, bool through) {
  Fixture& f = fixture();
  component::ComponentInstance& instance = through ? *f.through : *f.direct;
  auto func = must(instance.find_function("echo"));
  std::vector<component::Val> args{component::Val::string("0123456789abcdef")};
  for (auto _ : state) {
    auto r = instance.call(*func, args);
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK_CAPTURE(echo, direct, false)->Name("component/direct/echo_16B");
BENCHMARK_CAPTURE(echo, through, true)->Name("component/through/echo_16B");

}  // namespace
}  // namespace berth::bench

BENCHMARK_MAIN();
