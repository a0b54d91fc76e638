// The built-in WASI provider: its declared interfaces, configuration errors, and linking real
// components built against WASI 0.2.0 ... 0.2.12.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "berth/host/linker.h"
#include "berth/wasi/wasi.h"
#include "common/paths.h"
#include "common/test_support.h"

namespace berth::wasi {
namespace {

namespace fs = std::filesystem;
using berth::testing::expect_ok;
using berth::testing::read_bytes;

const fs::path kCorpora = fs::path(berth::testing::source_dir()) / "../shared/corpora";

TEST(WasiProviderTest, DeclaresEveryWasiInterfaceAt0212) {
  auto provider = expect_ok(make_provider({}));
  EXPECT_EQ(provider->name(), "built-in WASI");
  std::vector<std::string> names;
  for (const auto& provided : provider->interfaces()) names.push_back(provided.name);
  for (const char* wanted :
       {"wasi:cli/environment@0.2.12", "wasi:cli/exit@0.2.12", "wasi:io/poll@0.2.12",
        "wasi:io/streams@0.2.12", "wasi:clocks/monotonic-clock@0.2.12",
        "wasi:random/insecure-seed@0.2.12", "wasi:filesystem/types@0.2.12",
        "wasi:filesystem/preopens@0.2.12", "wasi:sockets/tcp@0.2.12",
        "wasi:sockets/ip-name-lookup@0.2.12", "wasi:cli/terminal-stderr@0.2.12"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), wanted), names.end()) << wanted;
  }
}

TEST(WasiProviderTest, RefusesAPreopenThatIsNotADirectory) {
  fs::path file = fs::temp_directory_path() / ("berth-wasi-file-" + std::to_string(::getpid()));
  std::ofstream(file) << "x";
  WasiConfig config;
  config.preopens.push_back(Preopen{.host = file, .guest = "/"});
  auto provider = make_provider(config);
  ASSERT_FALSE(provider.ok());
  EXPECT_NE(provider.error().message().find("not a directory"), std::string::npos);
  config.preopens[0].host = file / "missing";
  EXPECT_FALSE(make_provider(config).ok());
  fs::remove(file);
}

// Every component of a corpus folder that imports WASI, with no more than `max_bytes`.
std::vector<fs::path> wasi_components(const fs::path& dir, uintmax_t max_bytes) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const fs::path& path = entry.path();
    if (path.extension() != ".wasm" || entry.file_size() > max_bytes) continue;
    if (path.string().find("/p3/") != std::string::npos) continue;  // async component model
    found.push_back(path);
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Links (type-checks) components built against many WASI 0.2.x versions with the provider.
void expect_wasi_imports_link(const std::vector<fs::path>& components) {
  auto engine = expect_ok(engine::create_engine({}));
  host::Linker linker;
  linker.add(expect_ok(make_provider({})));
  linker.set_trap_unknown_imports(true);  // only WASI matters here
  size_t with_wasi = 0;
  for (const fs::path& path : components) {
    auto component = component::load_component(*engine, read_bytes(path.string()), path.string());
    if (!component) continue;  // not a component berth loads; other suites cover that
    host::LinkReport report = linker.check((*component)->type());
    bool imports_wasi = false;
    for (const auto& binding : report.bindings) {
      if (binding.import.starts_with("wasi:") && !binding.import.starts_with("wasi:http")) {
        imports_wasi = true;
        EXPECT_TRUE(binding.provider) << path << ": " << binding.import << " is not linked";
      }
    }
    with_wasi += imports_wasi;
    for (const std::string& problem : report.problems) ADD_FAILURE() << path << ": " << problem;
  }
  EXPECT_GT(with_wasi, 0u);
}

TEST(WasiProviderTest, LinksTheWasiTestsuiteComponents) {
  expect_wasi_imports_link(wasi_components(kCorpora / "wasi-testsuite", 8u << 20));
}

TEST(WasiProviderTest, LinksTheJcoFixtures) {
  expect_wasi_imports_link(wasi_components(kCorpora / "jco-fixtures", 4u << 20));
}

// Calls WASI function `name` of `interface` on a provider instance directly, as the linker's
// host functions do (the WASI functions do not consult the import's type).
component::Val call(host::ProviderInstance& instance, std::string_view interface,
                    std::string_view name, std::vector<component::Val> args) {
  auto function = expect_ok(instance.function(interface, name, component::FuncType{}));
  std::optional<component::Val> result = expect_ok(function(args));
  return result ? std::move(*result) : component::Val();
}

component::Val borrow(const component::Val& own) {
  component::Val v = own;
  v.kind = component::ValKind::kBorrow;
  return v;
}

component::Val ipv4_loopback(uint16_t port) {
  using component::Val;
  return Val::variant(0, Val::record({Val::u16(port), Val::tuple({Val::u8(127), Val::u8(0),
                                                                  Val::u8(0), Val::u8(1)})}));
}

constexpr uint32_t kAccessDenied = 1;

TEST(WasiSocketsTest, EverythingIsDeniedWithoutInheritNetwork) {
  using component::Val;
  auto instance = expect_ok(expect_ok(make_provider({}))->create_instance());
  Val tcp = call(*instance, "wasi:sockets/tcp-create-socket@0.2.12", "create-tcp-socket",
                 {Val::enumeration(0)});
  ASSERT_EQ(tcp.discriminant, 1u);
  EXPECT_EQ(tcp.payload().discriminant, kAccessDenied);
  Val udp = call(*instance, "wasi:sockets/udp-create-socket@0.2.12", "create-udp-socket",
                 {Val::enumeration(1)});
  ASSERT_EQ(udp.discriminant, 1u);
  EXPECT_EQ(udp.payload().discriminant, kAccessDenied);
  Val network = call(*instance, "wasi:sockets/instance-network@0.2.12", "instance-network", {});
  Val lookup = call(*instance, "wasi:sockets/ip-name-lookup@0.2.12", "resolve-addresses",
                    {borrow(network), Val::string("localhost")});
  ASSERT_EQ(lookup.discriminant, 1u);
  EXPECT_EQ(lookup.payload().discriminant, kAccessDenied);
}

// A lookup sends queries over the network: --allow-ip-name-lookup grants it only together with
// --inherit-network.
TEST(WasiSocketsTest, NameLookupNeedsTheNetworkToo) {
  using component::Val;
  auto resolve = [](const wasi::WasiConfig& config) {
    auto instance = expect_ok(expect_ok(make_provider(config))->create_instance());
    Val network = call(*instance, "wasi:sockets/instance-network@0.2.12", "instance-network", {});
    return call(*instance, "wasi:sockets/ip-name-lookup@0.2.12", "resolve-addresses",
                {borrow(network), Val::string("localhost")});
  };
  Val lookup_only = resolve({.allow_ip_name_lookup = true});
  ASSERT_EQ(lookup_only.discriminant, 1u);
  EXPECT_EQ(lookup_only.payload().discriminant, kAccessDenied);
  Val network_only = resolve({.inherit_network = true});
  ASSERT_EQ(network_only.discriminant, 1u);
  EXPECT_EQ(network_only.payload().discriminant, kAccessDenied);
  Val both = resolve({.inherit_network = true, .allow_ip_name_lookup = true});
  EXPECT_EQ(both.discriminant, 0u) << "localhost resolves from /etc/hosts";
}

TEST(WasiSocketsTest, TcpLoopbackWithInheritNetwork) {
  using component::Val;
  auto instance = expect_ok(expect_ok(make_provider({.inherit_network = true}))->create_instance());
  const std::string tcp = "wasi:sockets/tcp@0.2.12";
  const std::string create = "wasi:sockets/tcp-create-socket@0.2.12";
  Val network = call(*instance, "wasi:sockets/instance-network@0.2.12", "instance-network", {});
  auto expect_ok_result = [](const Val& v) {
    EXPECT_EQ(v.discriminant, 0u) << "error case "
                                  << (v.has_payload() ? v.payload().discriminant : 0);
    return v.has_payload() ? v.payload() : Val();
  };

  Val server =
      expect_ok_result(call(*instance, create, "create-tcp-socket", {Val::enumeration(0)}));
  expect_ok_result(call(*instance, tcp, "[method]tcp-socket.start-bind",
                        {borrow(server), borrow(network), ipv4_loopback(0)}));
  expect_ok_result(call(*instance, tcp, "[method]tcp-socket.finish-bind", {borrow(server)}));
  expect_ok_result(call(*instance, tcp, "[method]tcp-socket.start-listen", {borrow(server)}));
  expect_ok_result(call(*instance, tcp, "[method]tcp-socket.finish-listen", {borrow(server)}));
  Val local =
      expect_ok_result(call(*instance, tcp, "[method]tcp-socket.local-address", {borrow(server)}));
  auto port = static_cast<uint16_t>(local.payload().items[0].u);
  ASSERT_NE(port, 0);

  // Nothing is waiting yet.
  Val early = call(*instance, tcp, "[method]tcp-socket.accept", {borrow(server)});
  ASSERT_EQ(early.discriminant, 1u);
  EXPECT_EQ(early.payload().discriminant, 8u);  // would-block

  Val client =
      expect_ok_result(call(*instance, create, "create-tcp-socket", {Val::enumeration(0)}));
  expect_ok_result(call(*instance, tcp, "[method]tcp-socket.start-connect",
                        {borrow(client), borrow(network), ipv4_loopback(port)}));
  Val pollable = call(*instance, tcp, "[method]tcp-socket.subscribe", {borrow(client)});
  call(*instance, "wasi:io/poll@0.2.12", "[method]pollable.block", {borrow(pollable)});
  Val client_streams =
      expect_ok_result(call(*instance, tcp, "[method]tcp-socket.finish-connect", {borrow(client)}));
  Val accepted =
      expect_ok_result(call(*instance, tcp, "[method]tcp-socket.accept", {borrow(server)}));

  const std::string streams = "wasi:io/streams@0.2.12";
  expect_ok_result(call(*instance, streams, "[method]output-stream.blocking-write-and-flush",
                        {borrow(client_streams.items[1]), Val::packed_list({'h', 'i'})}));
  Val read = expect_ok_result(call(*instance, streams, "[method]input-stream.blocking-read",
                                   {borrow(accepted.items[1]), Val::u64(16)}));
  EXPECT_EQ(read.packed, (std::vector<uint8_t>{'h', 'i'}));
}

TEST(WasiProviderTest, RunsACommandThroughTheLinker) {
  auto engine = expect_ok(engine::create_engine({}));
  fs::path path = kCorpora / "wasi-testsuite/c/clock_gettime-monotonic.wasm";
  auto component =
      expect_ok(component::load_component(*engine, read_bytes(path.string()), path.string()));
  host::Linker linker;
  linker.add(expect_ok(make_provider({.args = {"clock"}})));
  auto store = expect_ok(engine->create_store());
  auto linked = expect_ok(linker.instantiate(*store, component));
  const component::ComponentInstance::ExportedFunc* run = nullptr;
  for (const auto& func : linked->component().functions()) {
    if (func.name.starts_with("wasi:cli/run@") && func.name.ends_with("#run")) run = &func;
  }
  ASSERT_NE(run, nullptr);
  auto result = linked->component().call(*run, {});
  if (!result) {
    // The adapter ends main() through wasi:cli/exit.
    ASSERT_EQ(result.error().code(), ErrorCode::kExit) << result.error().describe();
    EXPECT_EQ(result.error().exit_status(), 0);
  } else {
    ASSERT_TRUE(result->has_value());
    EXPECT_EQ((*result)->discriminant, 0u);
  }
}

}  // namespace
}  // namespace berth::wasi
