// wasi:cli: environment, exit, stdio and terminal-*.
#include <unistd.h>

#include "streams.h"

namespace berth::wasi {
namespace {

// A terminal-input or terminal-output resource: it only says that the stream is a terminal.
class Terminal : public Resource {};

Val stdio_input(Context& cx, int fd) {
  return cx.own("input-stream",
                std::make_shared<FdInputStream>(std::make_shared<HostFd>(fd, false)));
}

Val stdio_output(Context& cx, int fd) {
  return cx.own("output-stream",
                std::make_shared<FdOutputStream>(std::make_shared<HostFd>(fd, false), false));
}

Val terminal(Context& cx, int fd, const char* resource) {
  if (!::isatty(fd)) return Val::none();
  return Val::some(cx.own(resource, std::make_shared<Terminal>()));
}

}  // namespace

void register_cli(Registry& r) {
  r["wasi:cli/environment#get-environment"] = [](Context& cx, std::span<const Val>) -> Reply {
    std::vector<Val> vars;
    for (const auto& [name, value] : cx.config().env) {
      vars.push_back(Val::tuple({Val::string(name), Val::string(value)}));
    }
    return Val::list(std::move(vars));
  };
  r["wasi:cli/environment#get-arguments"] = [](Context& cx, std::span<const Val>) -> Reply {
    std::vector<Val> args;
    for (const std::string& arg : cx.config().args) args.push_back(Val::string(arg));
    return Val::list(std::move(args));
  };
  // The guest's paths are relative to its preopens: there is no host working directory to show.
  r["wasi:cli/environment#initial-cwd"] = [](Context&, std::span<const Val>) -> Reply {
    return Val::none();
  };
  r["wasi:cli/exit#exit"] = [](Context&, std::span<const Val> args) -> Reply {
    return Error::exit(args[0].discriminant == 0 ? 0 : 1);
  };
  r["wasi:cli/exit#exit-with-code"] = [](Context&, std::span<const Val> args) -> Reply {
    return Error::exit(static_cast<int32_t>(args[0].u));
  };
  r["wasi:cli/stdin#get-stdin"] = [](Context& cx, std::span<const Val>) -> Reply {
    return stdio_input(cx, cx.config().stdin_fd);
  };
  r["wasi:cli/stdout#get-stdout"] = [](Context& cx, std::span<const Val>) -> Reply {
    return stdio_output(cx, cx.config().stdout_fd);
  };
  r["wasi:cli/stderr#get-stderr"] = [](Context& cx, std::span<const Val>) -> Reply {
    return stdio_output(cx, cx.config().stderr_fd);
  };
  r["wasi:cli/terminal-stdin#get-terminal-stdin"] = [](Context& cx, std::span<const Val>) -> Reply {
    return terminal(cx, cx.config().stdin_fd, "terminal-input");
  };
  r["wasi:cli/terminal-stdout#get-terminal-stdout"] = [](Context& cx,
                                                         std::span<const Val>) -> Reply {
    return terminal(cx, cx.config().stdout_fd, "terminal-output");
  };
  r["wasi:cli/terminal-stderr#get-terminal-stderr"] = [](Context& cx,
                                                         std::span<const Val>) -> Reply {
    return terminal(cx, cx.config().stderr_fd, "terminal-output");
  };
}

}  // namespace berth::wasi
