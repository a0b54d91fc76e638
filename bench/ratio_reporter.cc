#include "ratio_reporter.h"

#include <cstdio>
#include <string_view>

namespace berth::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
    std::string name = run.benchmark_name();
    // A benchmark timed by itself (UseManualTime) carries this suffix; the kernel is the same.
    constexpr std::string_view kManual = "/manual_time";
    if (name.ends_with(kManual)) name.resize(name.size() - kManual.size());
    double ns = run.GetAdjustedRealTime() * (run.time_unit == benchmark::kMillisecond   ? 1e6
                                             : run.time_unit == benchmark::kMicrosecond ? 1e3
                                                                                        : 1.0);
    if (name.rfind("native/", 0) == 0) native_ns_[name.substr(7)] = ns;
    if (name.rfind("wasm/", 0) == 0) wasm_ns_[name.substr(5)] = ns;
  }
}

void RatioReporter::Finalize() {
  ConsoleReporter::Finalize();
  if (wasm_ns_.empty()) return;
  std::printf("\n%-24s %14s %14s %12s\n", "kernel", "native", "wasm", "wasm/native");
  for (const auto& [kernel, wasm] : wasm_ns_) {
    auto native = native_ns_.find(kernel);
    if (native == native_ns_.end()) continue;
    std::printf("%-24s %11.3f ms %11.3f ms %11.2fx\n", kernel.c_str(), native->second / 1e6,
                wasm / 1e6, wasm / native->second);
  }
}

int run_with_ratios(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace berth::bench
