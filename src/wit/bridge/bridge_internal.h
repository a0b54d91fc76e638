// Helpers the three parts of the WIT <-> component type bridge share: interface names and the
// spelling of component types with the names an instance gives them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "berth/component/types.h"
#include "berth/wit/component_bridge.h"
#include "berth/wit/model.h"

namespace berth::wit::bridge {

using wit::InterfaceName;
using wit::parse_interface_name;

// Whether `type` is one of the shared primitive nodes of component::Type::primitive, which
// stand for the primitive itself and never for a named alias of it.
bool is_shared_primitive(const component::Type& type);

// The names an instance type (or a component type) gives its nodes and resources through its
// type exports, and the WIT spelling of types that uses them.
class LocalNames {
 public:
  void add(const std::vector<component::NamedExtern>& exports);
  // Names every resource `func` mentions after its ResourceType::name, without the interface
  // path ("wasi:io/streams#input-stream" gives "input-stream"): for a function on its own,
  // which has no instance to name them.
  void add_resources_of(const component::FuncType& func);

  const std::string* resource(const component::ResourceType* resource) const;
  const std::string* node(const component::Type* type) const;

  // As WIT writes it: a named node by its name ("entry"), anonymous records, variants, enums
  // and flags structurally ("record { a: u32 }"), an owned handle as the resource's name and a
  // borrowed one as `borrow<name>`. With `use_node_names` false only resources use names, so
  // two types that differ only in the names of their parts print alike.
  std::string type(const component::TypeRef& type, bool use_node_names = true) const;
  std::string func(const component::FuncType& func, bool use_node_names = true) const;

 private:
  std::unordered_map<const component::ResourceType*, std::string> resources_;
  std::unordered_map<const component::Type*, std::string> nodes_;
};

// Structural equality where each side's resources are compared by the names their own
// instance gives them (two instances of one interface have distinct resources of equal names).
bool same_type(const component::TypeRef& a, const LocalNames& a_names, const component::TypeRef& b,
               const LocalNames& b_names);

}  // namespace berth::wit::bridge
