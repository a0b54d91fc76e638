// The built-in WASI provider: its WIT, the registry of functions, and per-instance contexts.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"
#include "context.h"
#include "embedded_wit.h"

namespace berth::wasi {
namespace {

const Registry& registry() {
  static const Registry functions = [] {
    Registry r;
    register_io(r);
    register_memory_streams(r);
    register_poll(r);
    register_cli(r);
    register_clocks(r);
    register_random(r);
    register_filesystem(r);
    register_sockets(r);
    return r;
  }();
  return functions;
}

class WasiInstance final : public host::ProviderInstance {
 public:
  explicit WasiInstance(std::unique_ptr<Context> context) : context_(std::move(context)) {}

  Result<component::ResourceTypeRef> resource(std::string_view, std::string_view name) override {
    return context_->resource_type(name);
  }

  Result<component::HostFunction> function(std::string_view interface, std::string_view name,
                                           const component::FuncType&) override {
    std::optional<wit::InterfaceName> parsed = wit::parse_interface_name(interface);
    std::string key = fmt::format("{}#{}", parsed ? parsed->path() : std::string(interface), name);
    auto it = registry().find(key);
    if (it == registry().end()) {
      return Error(ErrorCode::kLink, fmt::format("built-in WASI does not implement {}", key));
    }
    Context* context = context_.get();
    const Function* fn = &it->second;
    return component::HostFunction(
        [context, fn](std::span<const Val> args) { return (*fn)(*context, args).take(); });
  }

 private:
  std::unique_ptr<Context> context_;
};

class WasiProvider final : public host::Provider {
 public:
  WasiProvider(wit::Resolve resolve, std::vector<host::ProvidedInterface> interfaces,
               std::shared_ptr<const WasiConfig> config,
               std::shared_ptr<const std::vector<PreopenDir>> preopens)
      : resolve_(std::move(resolve)),
        interfaces_(std::move(interfaces)),
        config_(std::move(config)),
        preopens_(std::move(preopens)) {}

  const std::string& name() const override { return name_; }
  const wit::Resolve& wit() const override { return resolve_; }
  const std::vector<host::ProvidedInterface>& interfaces() const override { return interfaces_; }

  Result<std::shared_ptr<host::ProviderInstance>> create_instance() override {
    return std::shared_ptr<host::ProviderInstance>(
        std::make_shared<WasiInstance>(std::make_unique<Context>(config_, preopens_)));
  }

 private:
  std::string name_ = "built-in WASI";
  wit::Resolve resolve_;
  std::vector<host::ProvidedInterface> interfaces_;
  std::shared_ptr<const WasiConfig> config_;
  std::shared_ptr<const std::vector<PreopenDir>> preopens_;
};

Result<std::shared_ptr<const std::vector<PreopenDir>>> open_preopens(
    const std::vector<Preopen>& preopens) {
  auto dirs = std::shared_ptr<std::vector<PreopenDir>>(new std::vector<PreopenDir>(),
                                                       [](std::vector<PreopenDir>* dirs) {
                                                         for (const PreopenDir& dir : *dirs)
                                                           ::close(dir.fd);
                                                         delete dirs;
                                                       });
  for (const Preopen& preopen : preopens) {
    if (preopen.guest.empty()) {
      return Error(ErrorCode::kUsage,
                   fmt::format("preopen {}: the guest name is empty", preopen.host.string()));
    }
    int fd = ::open(preopen.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      return Error(err == ENOTDIR ? ErrorCode::kUsage : ErrorCode::kIo,
                   fmt::format("preopen {}: {}", preopen.host.string(),
                               err == ENOTDIR ? "not a directory" : std::strerror(err)));
    }
    dirs->push_back(PreopenDir{.fd = fd, .guest = preopen.guest, .read_only = preopen.read_only});
  }
  return std::shared_ptr<const std::vector<PreopenDir>>(dirs);
}

}  // namespace

Result<std::shared_ptr<host::Provider>> make_provider(WasiConfig config) {
  wit::Resolve resolve;
  std::optional<wit::PackageId> host_package;
  for (const WitFile& file : embedded_wit()) {
    auto package = wit::load_source(resolve, file.name, file.text);
    if (!package) {
      return std::move(package.error().prepend("built-in WASI: embedded WIT"));
    }
    host_package = *package;
  }
  BERTH_TRY_ASSIGN(wit::WorldId world, wit::select_world(resolve, *host_package, "wasi-host"));
  std::vector<host::ProvidedInterface> interfaces = host::exported_interfaces(resolve, world);
  BERTH_TRY_ASSIGN(auto preopens, open_preopens(config.preopens));
  return std::shared_ptr<host::Provider>(std::make_shared<WasiProvider>(
      std::move(resolve), std::move(interfaces),
      std::make_shared<const WasiConfig>(std::move(config)), std::move(preopens)));
}

}  // namespace berth::wasi
