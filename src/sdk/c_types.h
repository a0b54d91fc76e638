// The C spelling of WIT types in a bundle's bindings (docs/abi.md, "Types"): the prefix every C
// name of an interface starts with, the short names the header offers, and the writer of the
// type definitions a set of functions needs.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::sdk {

// "acme_greeter_greet" for acme:greeter/greet: what every C name of an interface starts with,
// so that two bundles' bindings (or a bundle and its dependency's) never clash.
std::string interface_c_prefix(const wit::Resolve& resolve, wit::InterfaceId id);

// A name the header also offers without its package ("greet_hello" for
// "acme_greeter_greet_hello"), for the bundle's own code.
struct ShortName {
  enum class Kind { kType, kMacro };
  Kind kind = Kind::kMacro;
  std::string short_name;
  std::string full_name;
  std::string prefix;     // the short prefix: the interface's name ("greet")
  std::string interface;  // the interface's path, to tell two of the same name apart
};

// Writes the C type definitions a set of functions needs, each once, dependencies first.
class TypeWriter {
 public:
  TypeWriter(const wit::Resolve& resolve, std::string prefix)
      : resolve_(resolve), prefix_(std::move(prefix)) {}

  const std::string& definitions() const { return out_; }
  const std::vector<ShortName>& short_names() const { return short_names_; }
  void add_short_name(ShortName name) { short_names_.push_back(std::move(name)); }
  // A definition named `name`, written once (an interface imported and exported shares them).
  void define_once(const std::string& name, std::string text);

  // The C spelling of `type`, defining it first when needed.
  Result<std::string> c_type(const wit::Type& type);

 private:
  static Error unsupported(std::string_view what);

  // A short structural spelling, for naming anonymous types: "option_string".
  std::string mangle(const wit::Type& type);

  // The C name of a type definition: `iface_name` for a named type, `prefix_mangled` for an
  // anonymous one.
  std::string c_name(wit::TypeId id);

  Result<std::string> c_typedef(wit::TypeId id);

  // The short names of a named type of an interface: the type, and its constants.
  void add_short_names(wit::TypeId id, const std::string& name);

  Result<void> define(const std::string& name, const wit::Alias& alias, std::string& text);
  Result<void> define(const std::string& name, const wit::List&, std::string& text);
  Result<void> define(const std::string& name, const wit::FixedList& list, std::string& text);
  Result<void> define(const std::string& name, const wit::Record& record, std::string& text);
  Result<void> define(const std::string& name, const wit::Tuple& tuple, std::string& text);
  Result<void> define(const std::string& name, const wit::Flags& flags, std::string& text);
  Result<void> define(const std::string& name, const wit::Enum& e, std::string& text);
  Result<void> define(const std::string& name, const wit::Variant& variant, std::string& text);
  Result<void> define(const std::string& name, const wit::Option& option, std::string& text);
  Result<void> define(const std::string& name, const wit::ResultType& result, std::string& text);
  Result<void> define(const std::string&, const wit::Resource&, std::string&);
  Result<void> define(const std::string&, const wit::Handle&, std::string&) { return {}; }
  Result<void> define(const std::string&, const wit::Map&, std::string&);
  Result<void> define(const std::string&, const wit::Future&, std::string&);
  Result<void> define(const std::string&, const wit::Stream&, std::string&);

  const wit::Resolve& resolve_;
  std::string prefix_;
  std::string out_;
  std::set<std::string> defined_;
  std::vector<ShortName> short_names_;
};

}  // namespace berth::sdk
