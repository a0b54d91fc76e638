// Rows per second read from DuckDB (bundles/duckdb), in the same run:
//  - native/...: the query iterated natively through DuckDB's C API (streaming, every value of
//    every row read: the two numeric columns summed, the strings' lengths added up);
//  - wasm/cursor: the C guest (tests/bundles/guests/duckdb_c) reading it through the bundle with
//    cursor.next, 2048 rows per call, each a list of values;
//  - wasm/columnar: the same guest with cursor.next-batch, typed lists per column;
//  - startup/wasm_one_row: the guest reading a one-row result, what each guest iteration pays
//    besides the rows.
// Each guest iteration is a whole run of the guest in a new store: instantiating it, opening
// an in-memory database, preparing the query and freeing what it reads. "native/cursor" and
// "native/columnar" are the same native scan, so that the report pairs each guest path with it
// (the wasm/native ratio lines at the end).
#include <benchmark/benchmark.h>
#include <duckdb.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"
#include "berth/bundle/bundle.h"
#include "command_guest.h"
#include "ratio_reporter.h"

namespace berth::bench {
namespace {

constexpr int64_t kRows = 1000000;
const std::string kQuery =
    "SELECT range AS n, range::DOUBLE / 2 AS x, 'row ' || range AS s FROM range(" +
    std::to_string(kRows) + ")";

// Each iteration reads the result kScansPerRun times, native and guest alike, so that the rows
// per second of a guest are those of a database in use; what a guest run pays once is
// startup/wasm_one_row.
constexpr int64_t kScansPerRun = 5;

// One streaming scan of kQuery: sums the numbers, adds up the strings' lengths. Whether every
// row came back.
bool scan_natively(duckdb_connection con) {
  duckdb_prepared_statement prepared = nullptr;
  duckdb_result result;
  duckdb_prepare(con, kQuery.c_str(), &prepared);
  duckdb_execute_prepared_streaming(prepared, &result);
  int64_t sum = 0, rows = 0;
  double total = 0;
  uint64_t text = 0;
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
    idx_t size = duckdb_data_chunk_get_size(chunk);
    auto* n = static_cast<int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 0)));
    auto* x = static_cast<double*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 1)));
    auto* s = static_cast<duckdb_string_t*>(
        duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 2)));
    for (idx_t row = 0; row < size; ++row) {
      sum += n[row];
      total += x[row];
      text += duckdb_string_t_length(s[row]);
    }
    rows += static_cast<int64_t>(size);
    duckdb_destroy_data_chunk(&chunk);
  }
  duckdb_destroy_result(&result);
  duckdb_destroy_prepare(&prepared);
  benchmark::DoNotOptimize(sum);
  benchmark::DoNotOptimize(total);
  benchmark::DoNotOptimize(text);
  return rows == kRows;
}

void native_scan(benchmark::State& state) {
  duckdb_database db = nullptr;
  duckdb_connection con = nullptr;
  if (duckdb_open(nullptr, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError) {
    state.SkipWithError("DuckDB did not open");
    return;
  }
  for (auto _ : state) {
    for (int64_t i = 0; i < kScansPerRun; ++i) {
      if (!scan_natively(con)) state.SkipWithError("the native scan lost rows");
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows * kScansPerRun);
  duckdb_disconnect(&con);
  duckdb_close(&db);
}

struct Guest {
  CommandGuest command{"bundles_duckdb_c", "sql"};
  std::shared_ptr<host::Provider> bundle = must(bundle::load_bundle_dir(
      std::filesystem::path(berth::testing::binary_dir()) / "bundles" / "duckdb"));

  // Runs the guest as `sql ARGS...`. Whether it succeeded.
  bool run(const std::vector<std::string>& args) { return command.run({bundle}, args).has_value(); }
};

Guest& the_guest() {
  static Guest guest;
  return guest;
}

void guest_scan(benchmark::State& state, const char* command) {
  Guest& guest = the_guest();
  std::vector<std::string> args;
  for (int64_t i = 0; i < kScansPerRun; ++i)
    args.insert(args.end(), {".query", kQuery, command, "2048"});
  for (auto _ : state) {
    if (!guest.run(args)) {
      state.SkipWithError("the guest failed");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows * kScansPerRun);
}

// What every guest iteration pays besides the rows: a store, the instance, the database, one
// query of one row.
void guest_startup(benchmark::State& state) {
  Guest& guest = the_guest();
  for (auto _ : state) {
    if (!guest.run({".query", "SELECT 42 AS n", ".count", "2048"})) {
      state.SkipWithError("the guest failed");
      return;
    }
  }
}

BENCHMARK(guest_startup)->Name("startup/wasm_one_row")->Unit(benchmark::kMillisecond);
BENCHMARK(native_scan)->Name("native/cursor")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(guest_scan, cursor, ".count")->Name("wasm/cursor")->Unit(benchmark::kMillisecond);
BENCHMARK(native_scan)->Name("native/columnar")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(guest_scan, columnar, ".count-batches")
    ->Name("wasm/columnar")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  return berth::bench::run_with_ratios(argc, argv);
}
