// host.toml and hosts.toml: what they hold, and every error with its message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "berth/bundle/manifest.h"
#include "common/test_support.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
namespace fs = std::filesystem;

const fs::path kHostFile = "/bundles/kv/host.toml";
const fs::path kHostsFile = "/etc/berth/hosts.toml";

std::string host_error(std::string_view text) {
  auto parsed = parse_host_manifest(text, kHostFile);
  EXPECT_FALSE(parsed) << "parsed: " << text;
  return parsed ? "" : parsed.error().message();
}

std::string hosts_error(std::string_view text) {
  auto parsed = parse_hosts_manifest(text, kHostsFile);
  EXPECT_FALSE(parsed) << "parsed: " << text;
  return parsed ? "" : parsed.error().message();
}

TEST(HostManifest, ReadsEveryKey) {
  HostManifest m = expect_ok(parse_host_manifest(R"(
[host]
name = "keyvalue"
version = "0.1.0"
lib = "lib/libkeyvalue.so"
wit = "wit"
world = "kv-host"
abi = 1

[config]
path = "/var/kv.db"
busy-timeout-ms = 250
verbose = true
ratio = 0.5
)",
                                                 kHostFile));
  EXPECT_EQ(m.file, kHostFile);
  EXPECT_EQ(m.name, "keyvalue");
  EXPECT_EQ(m.version, "0.1.0");
  EXPECT_EQ(m.lib, fs::path("/bundles/kv/lib/libkeyvalue.so"));
  EXPECT_EQ(m.wit, fs::path("/bundles/kv/wit"));
  EXPECT_EQ(m.world, "kv-host");
  EXPECT_EQ(m.abi, 1u);
  // In key order.
  EXPECT_THAT(m.config, ElementsAre(Pair("busy-timeout-ms", "250"), Pair("path", "/var/kv.db"),
                                    Pair("ratio", "0.5"), Pair("verbose", "true")));
}

TEST(HostManifest, OptionalKeysMayBeLeftOut) {
  HostManifest m = expect_ok(parse_host_manifest(
      "[host]\nname = \"x\"\nlib = \"/opt/x.so\"\nwit = \"x.wit\"\n", kHostFile));
  EXPECT_EQ(m.lib, fs::path("/opt/x.so"));
  EXPECT_EQ(m.wit, fs::path("/bundles/kv/x.wit"));
  EXPECT_FALSE(m.version);
  EXPECT_FALSE(m.abi);
  EXPECT_EQ(m.world, "");
  EXPECT_TRUE(m.config.empty());
}

TEST(HostManifest, InvalidToml) {
  EXPECT_THAT(host_error("[host\nname = 1"), ::testing::StartsWith("/bundles/kv/host.toml:1:"));
  EXPECT_THAT(host_error("[host\nname = 1"), HasSubstr(": invalid TOML: "));
}

TEST(HostManifest, UnknownKeys) {
  EXPECT_EQ(host_error("colour = 1\n[host]\nname = \"x\"\nlib = \"l\"\nwit = \"w\"\n"),
            "/bundles/kv/host.toml:1:1: unknown key 'colour' in the top level (expected one of: "
            "'host', 'config')");
  EXPECT_EQ(host_error("[host]\nname = \"x\"\nlibs = \"l\"\n"),
            "/bundles/kv/host.toml:3:1: unknown key 'libs' in [host] (expected one of: 'name', "
            "'version', 'lib', 'wit', 'world', 'abi')");
}

TEST(HostManifest, MissingOrMistypedItems) {
  EXPECT_EQ(host_error("[config]\n"),
            "/bundles/kv/host.toml: no [host] table (expected [host] with name, lib and wit)");
  EXPECT_EQ(host_error("host = 1\n"),
            "/bundles/kv/host.toml:1:8: the top level 'host': expected a table, found an integer");
  EXPECT_EQ(host_error("[host]\nlib = \"l\"\nwit = \"w\"\n"),
            "/bundles/kv/host.toml:1:1: [host] lacks 'name' (the bundle's name)");
  EXPECT_EQ(host_error("[host]\nname = \"x\"\nwit = \"w\"\n"),
            "/bundles/kv/host.toml:1:1: [host] lacks 'lib' (the shared library, relative to the "
            "bundle)");
  EXPECT_EQ(host_error("[host]\nname = \"x\"\nlib = 3\nwit = \"w\"\n"),
            "/bundles/kv/host.toml:3:7: [host] 'lib': expected a string (the shared library, "
            "relative to the bundle), found an integer");
  EXPECT_EQ(host_error("[host]\nname = \"x\"\nlib = \"l\"\nwit = \"\"\n"),
            "/bundles/kv/host.toml:4:7: [host] 'wit' is empty; expected a .wit file or folder, "
            "relative to the bundle");
}

TEST(HostManifest, BadVersionAndAbi) {
  const std::string base = "[host]\nname = \"x\"\nlib = \"l\"\nwit = \"w\"\n";
  EXPECT_THAT(host_error(base + "version = \"one\"\n"),
              HasSubstr("/bundles/kv/host.toml:5:11: [host] 'version': expected the bundle's "
                        "version (a semantic version such as 0.1.0), found \"one\""));
  EXPECT_EQ(host_error(base + "abi = \"1\"\n"),
            "/bundles/kv/host.toml:5:7: [host] 'abi': expected an integer (the bundle ABI "
            "version), found a string");
  EXPECT_EQ(host_error(base + "abi = 0\n"),
            "/bundles/kv/host.toml:5:7: [host] 'abi': expected a bundle ABI version (a positive "
            "integer), found 0");
}

TEST(HostManifest, BadConfig) {
  const std::string base = "[host]\nname = \"x\"\nlib = \"l\"\nwit = \"w\"\n";
  EXPECT_EQ(host_error(base + "[config]\npaths = [1]\n"),
            "/bundles/kv/host.toml:6:9: [config] 'paths': expected a string, number or boolean, "
            "found an array");
  EXPECT_EQ(host_error("config = 1\n" + base),
            "/bundles/kv/host.toml:1:10: the top level 'config': expected a table of "
            "configuration values, found an integer");
}

TEST(HostManifest, ReadFromFolder) {
  fs::path dir =
      fs::temp_directory_path() / ("berth_manifest_test_bundle_" + std::to_string(getpid()));
  fs::remove_all(dir);
  auto missing = read_host_manifest(dir);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(),
            dir.string() + ": bundle folder not found (expected a folder holding host.toml)");
  fs::create_directories(dir);
  auto no_manifest = read_host_manifest(dir);
  ASSERT_FALSE(no_manifest);
  EXPECT_EQ(no_manifest.error().message(),
            (dir / "host.toml").string() + ": no host.toml in the bundle folder");
  std::ofstream(dir / "host.toml") << "[host]\nname = \"x\"\nlib = \"l.so\"\nwit = \"w\"\n";
  HostManifest m = expect_ok(read_host_manifest(dir));
  EXPECT_EQ(m.lib, dir / "l.so");
  fs::remove_all(dir);
}

TEST(HostsManifest, ReadsEveryKey) {
  HostsManifest m = expect_ok(parse_hosts_manifest(R"(
[global]
search_paths = ["./hosts", "/usr/local/share/berth/hosts"]

[[host]]
name = "keyvalue"
bundle = "keyvalue_host"
version = "0.1.0"
prefer = ["keyvalue:store/store"]
[host.config]
path = "kv.db"

[[host]]
name = "pkcs11"
wit = "/opt/pkcs11/pkcs11.wit"
lib = "lib/libpkcs11.so"
world = "token"

[[host]]
name = "clock"
)",
                                                   kHostsFile));
  EXPECT_THAT(m.search_paths,
              ElementsAre(fs::path("/etc/berth/hosts"), fs::path("/usr/local/share/berth/hosts")));
  ASSERT_EQ(m.hosts.size(), 3u);
  EXPECT_EQ(m.hosts[0].name, "keyvalue");
  EXPECT_EQ(m.hosts[0].bundle, "keyvalue_host");
  EXPECT_EQ(m.hosts[0].version, "0.1.0");
  EXPECT_THAT(m.hosts[0].prefer, ElementsAre("keyvalue:store/store"));
  EXPECT_THAT(m.hosts[0].config, ElementsAre(Pair("path", "kv.db")));
  EXPECT_FALSE(m.hosts[1].bundle);
  EXPECT_EQ(m.hosts[1].wit, fs::path("/opt/pkcs11/pkcs11.wit"));
  EXPECT_EQ(m.hosts[1].lib, fs::path("/etc/berth/lib/libpkcs11.so"));
  EXPECT_EQ(m.hosts[1].world, "token");
  EXPECT_EQ(m.hosts[2].bundle, "clock");  // the bundle folder defaults to the name
}

TEST(HostsManifest, EmptyFileHasNoHosts) {
  HostsManifest m = expect_ok(parse_hosts_manifest("", kHostsFile));
  EXPECT_TRUE(m.hosts.empty());
  EXPECT_TRUE(m.search_paths.empty());
}

TEST(HostsManifest, Errors) {
  EXPECT_THAT(hosts_error("[[host]\n"), HasSubstr("/etc/berth/hosts.toml:1:"));
  EXPECT_EQ(hosts_error("hosts = []\n"),
            "/etc/berth/hosts.toml:1:1: unknown key 'hosts' in the top level (expected one of: "
            "'global', 'host')");
  EXPECT_EQ(hosts_error("[global]\nsearch_path = []\n"),
            "/etc/berth/hosts.toml:2:1: unknown key 'search_path' in [global] (expected one of: "
            "'search_paths', 'trusted_keys', 'require_signed')");
  EXPECT_EQ(hosts_error("[global]\nrequire_signed = \"yes\"\n"),
            "/etc/berth/hosts.toml:2:18: [global] 'require_signed': expected true or false, found "
            "a string");
  EXPECT_EQ(hosts_error("[global]\nsearch_paths = \"hosts\"\n"),
            "/etc/berth/hosts.toml:2:16: [global] 'search_paths': expected an array of strings "
            "(folders holding bundles, relative to this file), found a string");
  EXPECT_EQ(hosts_error("[global]\nsearch_paths = [\"a\", 2]\n"),
            "/etc/berth/hosts.toml:2:22: [global] 'search_paths': expected an array of non-empty "
            "strings (folders holding bundles, relative to this file), found an element that is "
            "an integer");
  EXPECT_EQ(hosts_error("host = 1\n"),
            "/etc/berth/hosts.toml:1:8: the top level 'host': expected an array of tables "
            "([[host]] entries), found an integer");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nbundel = \"kv\"\n"),
            "/etc/berth/hosts.toml:3:1: unknown key 'bundel' in [[host]] 'kv' (expected one of: "
            "'name', 'bundle', 'wit', 'lib', 'world', 'version', 'prefer', 'config')");
  EXPECT_EQ(hosts_error("[[host]]\nbundle = \"kv\"\n"),
            "/etc/berth/hosts.toml:1:1: [[host]] #1 lacks 'name' (the host's name)");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\n[[host]]\nname = \"kv\"\n"),
            "/etc/berth/hosts.toml:3:1: [[host]] 'kv': the name is used by an earlier [[host]] "
            "(expected each host to have its own name)");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nbundle = \"kv\"\nwit = \"kv.wit\"\n"),
            "/etc/berth/hosts.toml:1:1: [[host]] 'kv' has both 'bundle' and 'wit' (expected "
            "either a bundle folder or an explicit 'wit' + 'lib' pair)");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nwit = \"kv.wit\"\n"),
            "/etc/berth/hosts.toml:1:1: [[host]] 'kv' has 'wit' without 'lib' (expected an "
            "explicit 'wit' + 'lib' pair)");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nworld = \"w\"\n"),
            "/etc/berth/hosts.toml:1:1: [[host]] 'kv' has 'world' without 'wit' and 'lib' (a "
            "bundle folder's world is set in its host.toml)");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\n[host.config]\npath = { a = 1 }\n"),
            "/etc/berth/hosts.toml:4:8: [[host]] 'kv' [host.config] 'path': expected a string, "
            "number or boolean, found a table");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nprefer = \"keyvalue:store/store\"\n"),
            "/etc/berth/hosts.toml:3:10: [[host]] 'kv' 'prefer': expected an array of strings "
            "(interface paths such as \"keyvalue:store/store\"), found a string");
  EXPECT_EQ(hosts_error("[[host]]\nname = \"kv\"\nprefer = [\"keyvalue:store/store@0.1.0\"]\n"),
            "/etc/berth/hosts.toml:3:11: [[host]] 'kv' 'prefer': \"keyvalue:store/store@0.1.0\" "
            "is not an interface path (expected namespace:package/interface, without a version)");
  EXPECT_THAT(hosts_error("[[host]]\nname = \"kv\"\nversion = \"latest\"\n"),
              HasSubstr("/etc/berth/hosts.toml:3:11: [[host]] 'kv' 'version': expected a version "
                        "requirement such as \"^1.2\", \">=1.2, <2\", \"=1.4.1\" or \"~1.4\", "
                        "found \"latest\""));
  EXPECT_THAT(hosts_error("[[host]]\nname = \"kv\"\nversion = \">=1.2,\"\n"),
              HasSubstr("'version': expected a version requirement such as \"^1.2\", \">=1.2, "
                        "<2\", \"=1.4.1\" or \"~1.4\", found \">=1.2,\": "));
}

TEST(HostsManifest, ReadMissingFile) {
  auto missing = read_hosts_manifest("/nonexistent/hosts.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(),
            "/nonexistent/hosts.toml: host configuration file not found");
}

}  // namespace
}  // namespace berth::bundle
