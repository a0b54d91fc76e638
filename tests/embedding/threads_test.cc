// The thread rules of docs/embedding.md: an engine, a loaded component, a provider and a linker
// are shared by every thread; each thread makes its own store and instances in it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "berth/component/typed_func.h"
#include "berth/host/defined_provider.h"
#include "berth/host/linker.h"
#include "common/test_support.h"
#include "host_wit.h"

namespace berth::host {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using component::TypedFunc;

struct Counter {
  explicit Counter(uint32_t start) : value(start) { live.fetch_add(1); }
  ~Counter() { live.fetch_sub(1); }
  uint32_t value;
  static inline std::atomic<int> live{0};
};

// Only what the calls below reach is defined: the linker asks for every import, so the rest are
// functions that fail if ever called.
std::shared_ptr<DefinedProvider> provider(std::atomic<int>& greetings) {
  auto p = expect_ok(DefinedProvider::create("embedder", berth::testing::embedding_host_wit()));
  constexpr std::string_view kHost = "demo:embed/host";
  expect_ok(p->define_resource<Counter>(kHost, "counter"));
  expect_ok(p->define(kHost, "greet", [&greetings](std::string_view name) {
    greetings.fetch_add(1);
    return "hello, " + std::string(name);
  }));
  expect_ok(p->define(kHost, "[constructor]counter",
                      [](uint32_t start) { return std::make_unique<Counter>(start); }));
  expect_ok(
      p->define(kHost, "[method]counter.next", [](Counter& counter) { return ++counter.value; }));
  for (std::string_view unused : {"sum", "lookup", "parse", "scale", "fail", "take"}) {
    expect_ok(p->define(kHost, unused,
                        [](const component::FuncType&, std::span<const component::Val>)
                            -> Result<std::optional<component::Val>> {
                          return Error(ErrorCode::kInternal, "not used by this test");
                        }));
  }
  return p;
}

TEST(ThreadsTest, OneComponentManyThreadsOneStoreEach) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 50;
  auto engine = expect_ok(engine::create_engine());
  auto component =
      expect_ok(component::load_component(*engine, read_guest("typed_guest"), "typed_guest"));
  std::atomic<int> greetings{0};
  Linker linker;
  linker.add(provider(greetings));

  std::atomic<int> good{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto fail = [&](const Error& error) { failures[t] = error.describe(); };
      auto store = engine->create_store();
      if (!store) return fail(store.error());
      // Two instances per thread, both in the thread's store.
      for (int round = 0; round < 2; ++round) {
        auto linked = linker.instantiate(**store, component);
        if (!linked) return fail(linked.error());
        auto greet =
            TypedFunc<std::string(std::string)>::find((*linked)->component(), "call-greet");
        auto count = TypedFunc<uint32_t(uint32_t, uint32_t)>::find((*linked)->component(), "count");
        if (!greet) return fail(greet.error());
        if (!count) return fail(count.error());
        for (int i = 0; i < kCalls; ++i) {
          std::string name = std::to_string(t) + "." + std::to_string(i);
          auto text = (*greet)(name);
          if (!text) return fail(text.error());
          auto counted = (*count)(static_cast<uint32_t>(i), static_cast<uint32_t>(t));
          if (!counted) return fail(counted.error());
          if (*text == "hello, " + name && *counted == static_cast<uint32_t>(i + t)) ++good;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
  EXPECT_EQ(good.load(), kThreads * 2 * kCalls);
  EXPECT_EQ(greetings.load(), kThreads * 2 * kCalls);
  EXPECT_EQ(Counter::live.load(), 0);
}

// Components compiled on several threads at once, from one engine.
TEST(ThreadsTest, ComponentsLoadConcurrently) {
  auto engine = expect_ok(engine::create_engine());
  std::vector<uint8_t> bytes = read_guest("typed_guest");
  std::atomic<int> loaded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      if (component::load_component(*engine, bytes, "typed_guest")) ++loaded;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(loaded.load(), 4);
}

}  // namespace
}  // namespace berth::host
