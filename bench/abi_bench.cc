// Canonical ABI benchmarks: lifting and lowering a 1 MiB string and a 1 MiB list<u8> between Vals
// and a guest's linear memory (V8, the abi_memory test guest with a bump-allocating realloc).
// Bytes per second count the payload bytes, not the bytes written in the guest's encoding.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "bench_support.h"
#include "berth/engine/engine.h"
#include "component/abi/canonical_abi.h"

namespace berth::bench {
namespace {

using component::Type;
using component::TypeRef;
using component::Val;
using component::ValKind;
using namespace component::abi;

constexpr size_t kPayload = 1 << 20;

struct Fixture {
  std::shared_ptr<engine::Engine> engine = must(engine::create_engine());
  std::unique_ptr<engine::Store> store = must(engine->create_store());
  engine::Instance instance{};
  engine::Func reset{};
  CanonOptions options[3];
  InstanceState state;

  Fixture() {
    auto module = must(engine->compile(guest("abi_memory")));
    instance = must(store->instantiate(*module, {}));
    auto memory = engine::Memory{store->get_export(instance, "memory")->id};
    auto realloc = engine::Func{store->get_export(instance, "cabi_realloc")->id};
    reset = engine::Func{store->get_export(instance, "reset")->id};
    for (auto encoding :
         {StringEncoding::kUtf8, StringEncoding::kUtf16, StringEncoding::kLatin1Utf16}) {
      options[static_cast<size_t>(encoding)] = {encoding, memory, realloc, std::nullopt};
    }
  }

  LiftLowerContext cx(StringEncoding encoding) {
    return LiftLowerContext(*store, options[static_cast<size_t>(encoding)], &state);
  }
  // The bump allocator never frees: start it over so memory stays at a few MiB.
  void reset_allocator() { must(store->call(reset, {}, {})); }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

std::string ascii_text() {
  std::string text(kPayload, ' ');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

// Mostly ASCII with a two-, three- and four-byte sequence every 64 bytes.
std::string mixed_text() {
  std::string text;
  while (text.size() + 64 <= kPayload) {
    text += "\u00e9\u4e2d\U0001F600";
    text.append(64 - 9, 'x');
  }
  text.append(kPayload - text.size(), 'y');
  return text;
}

Val byte_list(bool packed) {
  std::vector<uint8_t> bytes(kPayload);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 31);
  if (packed) return Val::packed_list(std::move(bytes));
  std::vector<Val> items;
  items.reserve(bytes.size());
  for (uint8_t b : bytes) items.push_back(Val::u8(b));
  return Val::list(std::move(items));
}

void lower_value(benchmark::State& state, TypeRef type, Val value, StringEncoding encoding) {
  Fixture& f = fixture();
  std::vector<engine::Value> flat;
  for (auto _ : state) {
    f.reset_allocator();
    LiftLowerContext cx = f.cx(encoding);
    flat.clear();
    must(lower_flat(cx, type, value, flat));
    benchmark::DoNotOptimize(flat.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPayload));
}

void lift_value(benchmark::State& state, TypeRef type, Val value, StringEncoding encoding,
                bool pack) {
  Fixture& f = fixture();
  f.reset_allocator();
  LiftLowerContext lower_cx = f.cx(encoding);
  std::vector<engine::Value> flat;
  must(lower_flat(lower_cx, type, value, flat));
  for (auto _ : state) {
    LiftLowerContext cx = f.cx(encoding);
    cx.pack_number_lists = pack;
    FlatReader reader(flat);
    Val lifted = must(lift_flat(cx, type, reader));
    benchmark::DoNotOptimize(lifted);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPayload));
}

TypeRef string_type() {
  return Type::primitive(ValKind::kString);
}
TypeRef bytes_type() {
  return Type::list(Type::primitive(ValKind::kU8));
}

void lower_string_utf8(benchmark::State& s) {
  lower_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kUtf8);
}
void lift_string_utf8(benchmark::State& s) {
  lift_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kUtf8, false);
}
void lower_string_utf8_mixed(benchmark::State& s) {
  lower_value(s, string_type(), Val::string(mixed_text()), StringEncoding::kUtf8);
}
void lift_string_utf8_mixed(benchmark::State& s) {
  lift_value(s, string_type(), Val::string(mixed_text()), StringEncoding::kUtf8, false);
}
void lower_string_utf16(benchmark::State& s) {
  lower_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kUtf16);
}
void lift_string_utf16(benchmark::State& s) {
  lift_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kUtf16, false);
}
void lower_string_latin1(benchmark::State& s) {
  lower_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kLatin1Utf16);
}
void lift_string_latin1(benchmark::State& s) {
  lift_value(s, string_type(), Val::string(ascii_text()), StringEncoding::kLatin1Utf16, false);
}
void lower_bytes_packed(benchmark::State& s) {
  lower_value(s, bytes_type(), byte_list(true), StringEncoding::kUtf8);
}
void lift_bytes_packed(benchmark::State& s) {
  lift_value(s, bytes_type(), byte_list(true), StringEncoding::kUtf8, true);
}
void lower_bytes_items(benchmark::State& s) {
  lower_value(s, bytes_type(), byte_list(false), StringEncoding::kUtf8);
}
void lift_bytes_items(benchmark::State& s) {
  lift_value(s, bytes_type(), byte_list(false), StringEncoding::kUtf8, false);
}

BENCHMARK(lower_string_utf8)->Name("abi/lower/string_1MiB/utf8");
BENCHMARK(lift_string_utf8)->Name("abi/lift/string_1MiB/utf8");
BENCHMARK(lower_string_utf8_mixed)->Name("abi/lower/string_1MiB/utf8_non_ascii");
BENCHMARK(lift_string_utf8_mixed)->Name("abi/lift/string_1MiB/utf8_non_ascii");
BENCHMARK(lower_string_utf16)->Name("abi/lower/string_1MiB/utf16");
BENCHMARK(lift_string_utf16)->Name("abi/lift/string_1MiB/utf16");
BENCHMARK(lower_string_latin1)->Name("abi/lower/string_1MiB/latin1+utf16");
BENCHMARK(lift_string_latin1)->Name("abi/lift/string_1MiB/latin1+utf16");
BENCHMARK(lower_bytes_packed)->Name("abi/lower/list_u8_1MiB/packed");
BENCHMARK(lift_bytes_packed)->Name("abi/lift/list_u8_1MiB/packed");
BENCHMARK(lower_bytes_items)->Name("abi/lower/list_u8_1MiB/items");
BENCHMARK(lift_bytes_items)->Name("abi/lift/list_u8_1MiB/items");

}  // namespace
}  // namespace berth::bench

BENCHMARK_MAIN();
