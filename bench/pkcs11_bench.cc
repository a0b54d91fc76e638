// ECDSA P-256 signatures per second on a SoftHSM2 token (bundles/pkcs11), in the same run:
//  - native/ecdsa_p256: C_SignInit + C_Sign of a 32-byte hash, called straight on the module;
//  - native_beside_v8/ecdsa_p256: the same once a berth engine exists in the process, as it
//    does when the guest signs: V8's worker threads make the process multi-threaded, which
//    sends glibc's malloc and OpenSSL's locks down their atomic paths;
//  - wasm/ecdsa_p256: the same calls made by the C guest (tests/bundles/guests/pkcs11_c)
//    through the bundle, `session.sign` with `ecdsa`, timed by the guest around its loop
//    (`.sign-repeat`), so that the instance's start, the login and the key generation of each
//    guest run are left out: what is compared is a signature's way through berth.
// The token is initialised in a temporary folder (SOFTHSM2_CONF) when the program starts.
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "bench_support.h"
#include "berth/bundle/bundle.h"
#include "command_guest.h"
#include "ratio_reporter.h"

namespace berth::bench {
namespace {

constexpr int kSignaturesPerRun = 200;
constexpr char kPin[] = "1234";
// What is signed: a SHA-256-sized hash, as CKM_ECDSA takes it.
constexpr char kHash[] = "0123456789abcdef0123456789abcdef";

std::string g_slot;                 // the token's slot, set by main
std::filesystem::path g_token_dir;  // its folder, removed when the program ends

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Initialises a token in a fresh temporary folder and returns its slot; empty on failure.
std::string init_token() {
  std::filesystem::path dir = g_token_dir =
      std::filesystem::temp_directory_path() / ("berth_pkcs11_bench_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "tokens");
  std::ofstream(dir / "softhsm2.conf") << "directories.tokendir = " << (dir / "tokens").string()
                                       << "\nobjectstore.backend = file\nlog.level = ERROR\n";
  setenv("SOFTHSM2_CONF", (dir / "softhsm2.conf").c_str(), 1);
  std::string log = (dir / "init.log").string();
  std::string command = std::string(BERTH_SOFTHSM2_UTIL) +
                        " --init-token --free --label bench --pin " + kPin + " --so-pin 5678 > " +
                        log + " 2>&1";
  if (std::system(command.c_str()) != 0) return "";
  std::smatch match;
  std::string said = read_file(log);
  return std::regex_search(said, match, std::regex("reassigned to slot ([0-9]+)")) ? match[1].str()
                                                                                   : "";
}

void native_sign(benchmark::State& state, bool beside_v8) {
  if (beside_v8) {
    // Kept for the rest of the program: the guest's runs have an engine too.
    static std::shared_ptr<engine::Engine> engine = must(engine::create_engine());
  }
  void* module = dlopen(BERTH_SOFTHSM2_MODULE, RTLD_NOW | RTLD_LOCAL);
  auto get_function_list =
      module ? reinterpret_cast<CK_C_GetFunctionList>(dlsym(module, "C_GetFunctionList")) : nullptr;
  CK_FUNCTION_LIST* p11 = nullptr;
  if (get_function_list == nullptr || get_function_list(&p11) != CKR_OK ||
      p11->C_Initialize(nullptr) != CKR_OK) {
    state.SkipWithError("SoftHSM2 did not load");
    return;
  }
  CK_SLOT_ID slot = std::stoul(g_slot);
  CK_SESSION_HANDLE session = 0;
  p11->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session);
  p11->C_Login(session, CKU_USER, (CK_UTF8CHAR*)kPin, sizeof kPin - 1);
  // The key pair the guest makes with `.genpair k ec p256`.
  CK_BYTE curve[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE public_template[] = {{CKA_EC_PARAMS, curve, sizeof curve},
                                    {CKA_VERIFY, &yes, sizeof yes}};
  CK_ATTRIBUTE private_template[] = {{CKA_SIGN, &yes, sizeof yes},
                                     {CKA_PRIVATE, &yes, sizeof yes},
                                     {CKA_SENSITIVE, &yes, sizeof yes}};
  CK_MECHANISM generate = {CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE public_key = 0, private_key = 0;
  if (p11->C_GenerateKeyPair(session, &generate, public_template, 2, private_template, 3,
                             &public_key, &private_key) != CKR_OK) {
    state.SkipWithError("no key pair");
    return;
  }
  CK_MECHANISM ecdsa = {CKM_ECDSA, nullptr, 0};
  for (auto _ : state) {
    for (int i = 0; i < kSignaturesPerRun; ++i) {
      CK_BYTE signature[64];
      CK_ULONG length = sizeof signature;
      if (p11->C_SignInit(session, &ecdsa, private_key) != CKR_OK ||
          p11->C_Sign(session, (CK_BYTE*)kHash, sizeof kHash - 1, signature, &length) != CKR_OK) {
        state.SkipWithError("a signature failed");
        break;
      }
      benchmark::DoNotOptimize(signature);
    }
  }
  state.SetItemsProcessed(state.iterations() * kSignaturesPerRun);
  p11->C_CloseSession(session);
  p11->C_Finalize(nullptr);
  dlclose(module);
}

struct Guest {
  CommandGuest command{"bundles_pkcs11_c", "p11"};
  std::shared_ptr<host::Provider> bundle = must(bundle::load_bundle_dir(
      std::filesystem::path(berth::testing::binary_dir()) / "bundles" / "pkcs11",
      {{"module", BERTH_SOFTHSM2_MODULE}, {"slots", g_slot}, {"pin", kPin}}));

  // Runs the guest as `p11 ARGS...`; what it printed, or empty when it failed.
  std::string run(const std::vector<std::string>& args) {
    return command.run({bundle}, args).value_or("");
  }
};

void guest_sign(benchmark::State& state) {
  Guest guest;
  const std::vector<std::string> args = {".open",     g_slot,
                                         "rw",        ".login",
                                         "user",      ".genpair",
                                         "k",         "ec",
                                         "p256",      ".sign-repeat",
                                         "k.private", "ecdsa",
                                         kHash,       std::to_string(kSignaturesPerRun)};
  std::regex timing("([0-9]+) signatures in ([0-9]+) ns");
  for (auto _ : state) {
    std::string out = guest.run(args);
    std::smatch match;
    if (!std::regex_search(out, match, timing) || std::stoi(match[1]) != kSignaturesPerRun) {
      state.SkipWithError(("the guest failed: " + out).c_str());
      return;
    }
    state.SetIterationTime(std::stod(match[2]) / 1e9);
  }
  state.SetItemsProcessed(state.iterations() * kSignaturesPerRun);
}

BENCHMARK_CAPTURE(native_sign, alone, false)
    ->Name("native/ecdsa_p256")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(native_sign, beside_v8, true)
    ->Name("native_beside_v8/ecdsa_p256")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(guest_sign)->Name("wasm/ecdsa_p256")->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  berth::bench::g_slot = berth::bench::init_token();
  int status = 1;
  if (berth::bench::g_slot.empty()) {
    std::fprintf(stderr, "pkcs11_bench: softhsm2-util could not initialise a token\n");
  } else {
    status = berth::bench::run_with_ratios(argc, argv);
  }
  std::filesystem::remove_all(berth::bench::g_token_dir);
  return status;
}
