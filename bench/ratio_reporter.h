// A console reporter that, after the usual table, prints wasm/native time ratios for benchmarks
// named "native/<kernel>" and "wasm/<kernel>".
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>

namespace berth::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  std::map<std::string, double> native_ns_, wasm_ns_;
};

// A benchmark program's main: Google Benchmark's, reporting through a RatioReporter.
int run_with_ratios(int argc, char** argv);

}  // namespace berth::bench
