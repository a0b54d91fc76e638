// A host that runs one component in many instances on several threads: the component is loaded
// (and compiled) once and shared; each thread has its own store, instantiates the component
// there several times and calls an export, written as a WAVE call, in each instance. This is
// the shape of a server that keeps a pool of instances per worker thread (docs/embedding.md,
// "Threads").
//
//   pool [--threads N] [--instances M] [--calls K] APP.wasm 'export(args...)'
//
// Prints what the calls returned (they must all agree) and how long the run took. The component
// may import WASI; it is granted nothing.
#include <berth/component/component.h>
#include <berth/component/typed_func.h>
#include <berth/engine/engine.h>
#include <berth/host/linker.h>
#include <berth/wasi/wasi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "pool: %s\n", message.c_str());
  return 125;
}

// What the threads report: every distinct result text, and the first error.
struct Outcome {
  std::mutex mutex;
  std::set<std::string> results;
  std::optional<std::string> error;
  int calls = 0;
};

// One worker: its own store, `instances` instances, `calls` calls of `call` in each.
void work(berth::engine::Engine& engine, const berth::host::Linker& linker,
          const std::shared_ptr<const berth::component::Component>& component,
          std::string_view call, int instances, int calls, Outcome& outcome) {
  auto report_error = [&](const berth::Error& error) {
    std::lock_guard lock(outcome.mutex);
    if (!outcome.error) outcome.error = error.describe();
  };
  auto store = engine.create_store();
  if (!store) return report_error(store.error());
  for (int i = 0; i < instances; ++i) {
    auto linked = linker.instantiate(**store, component);
    if (!linked) return report_error(linked.error());
    for (int c = 0; c < calls; ++c) {
      auto result = berth::component::call_wave((*linked)->component(), call);
      if (!result) return report_error(result.error());
      std::lock_guard lock(outcome.mutex);
      outcome.results.insert(result->value_or("(nothing)"));
      ++outcome.calls;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 4, instances = 8, calls = 10;
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    std::string_view option = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (value <= 0) return fail(std::string(option) + " takes a positive number");
    if (option == "--threads") {
      threads = value;
    } else if (option == "--instances") {
      instances = value;
    } else if (option == "--calls") {
      calls = value;
    } else {
      return fail("unknown option " + std::string(option));
    }
  }
  if (argc - i != 2) {
    std::fprintf(stderr,
                 "usage: pool [--threads N] [--instances M] [--calls K] APP.wasm "
                 "'export(args...)'\n");
    return 2;
  }
  std::string file = argv[i];
  std::string call = argv[i + 1];
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(file + ": cannot open the file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());

  // Shared by every thread: the engine, the compiled component, the providers and the linker.
  auto engine = berth::engine::create_engine();
  if (!engine) return fail(engine.error().describe());
  auto component = berth::component::load_component(**engine, std::move(bytes), file);
  if (!component) return fail(component.error().describe());
  auto wasi = berth::wasi::make_provider({});
  if (!wasi) return fail(wasi.error().describe());
  berth::host::Linker linker;
  linker.add(*wasi);

  Outcome outcome;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(work, std::ref(**engine), std::cref(linker), std::cref(*component),
                         std::string_view(call), instances, calls, std::ref(outcome));
  }
  for (std::thread& worker : workers) worker.join();
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);

  if (outcome.error) return fail(*outcome.error);
  if (outcome.results.size() != 1) return fail("the instances returned different results");
  std::printf("%s returned %s in all %d calls (%d threads x %d instances x %d calls), %.1f ms\n",
              call.c_str(), outcome.results.begin()->c_str(), outcome.calls, threads, instances,
              calls, elapsed.count());
  return 0;
}
