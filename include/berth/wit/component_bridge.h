// The bridge between WIT and component types, in three parts:
//  - a component's type (what validation computes) as a WIT world, for `berth wit app.wasm`;
//  - a WIT world as the component type a component targeting it has, for the linker and the
//    bundle checker;
//  - the comparison of what a component imports with the interface a provider declares, listing
//    every difference.
// The mapping follows Explainer.md and WIT.md: an instance import or export named
// `ns:pkg/iface@1.2.3` is interface `iface` of package `ns:pkg@1.2.3`; a plain-named instance is
// an inline `interface { ... }`; a plain-named function is a world function; type exports are
// named types, `[constructor]r`, `[method]r.f` and `[static]r.f` functions belong to resource r.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/types.h"
#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::wit {

// An import or export name of the form `ns:pkg/iface@version`, taken apart.
struct InterfaceName {
  std::string ns;
  std::string package;
  std::string name;
  std::optional<Version> version;

  PackageName package_name() const { return PackageName{ns, package, version}; }
  std::string path() const { return ns + ":" + package + "/" + name; }  // without the version
};

// Parses an import or export name of the form `ns:pkg/iface` with an optional `@version`. A
// canonical version (🔗 "0.2", "1") is padded to a full one ("0.2.0", "1.0.0") since WIT needs
// three numbers. Plain names, nested names (🪺) and bad versions give nullopt.
std::optional<InterfaceName> parse_interface_name(std::string_view name);

// ---------------------------------------------------------------------------------------------
// Component type -> WIT

// The name of the package that holds the world of a component.
inline constexpr std::string_view kComponentPackage = "root:component";
inline constexpr std::string_view kComponentWorld = "root";

struct ComponentWorld {
  Resolve resolve;
  PackageId package;  // root:component
  WorldId world;      // root
};

// Builds the world of a component from its validated type. Interfaces named by the imports and
// exports get packages of their own (`wasi:io@0.2.0` holds `streams` and `error`). Named types
// are the component's type exports: a function whose parameter is the very node a type export
// carries (validation shares them) uses that export's name. A resource or type another interface
// exports is brought in with `use`. Records, variants, enums, flags and resources without a name
// get one made from where they occur ("get-key-result", "resource").
// Errors (kUnsupported): what WIT cannot write, e.g. an imported core module or component, a
// resource exported at the top level, or one interface imported and exported with two types.
Result<ComponentWorld> component_world(const component::ComponentType& type);

// The world as WIT text (print_resolve of component_world): `package root:component;`, `world
// root { ... }`, then each other package as a nested `package ns:pkg@v { ... }` block.
Result<std::string> print_component_world(const component::ComponentType& type);

// Decodes and validates a component binary, then prints its world. A core module is a
// kInvalid error saying so; decoding and validation errors pass through.
Result<std::string> print_component_world(std::span<const uint8_t> binary);

// ---------------------------------------------------------------------------------------------
// WIT -> component types

// The type a component targeting `world` has: each import and export of the world (interfaces
// by interface path or plain name, functions, world types) with its InstanceType or FuncType.
// Each resource becomes one ResourceType ("wasi:io/streams@0.2.0#input-stream"): those of
// imported interfaces and world types are listed in `imported_resources`, those of exported
// interfaces in `defined_resources` (an interface imported and exported gets two). A type
// brought in by `use` is the same node or resource as the original, as in a component.
// Errors (kUnsupported): `map` types, which the component model does not have.
Result<component::ComponentType> world_component_type(const Resolve& resolve, WorldId world);

// The type of an instance of `interface` as a component importing it sees it; its resources
// (and those of interfaces it uses) are fresh ResourceTypes.
Result<component::InstanceType> interface_instance_type(const Resolve& resolve,
                                                        InterfaceId interface);

// A function's type, with fresh ResourceTypes for the resources it mentions.
Result<component::FuncType> function_type(const Resolve& resolve, const Function& function);

// A function's type whose resources are the ones `resource_of` gives for each resource type
// of `resolve` it mentions (e.g. the types a provider made): for calling that provider.
using ResourceResolver = std::function<Result<component::ResourceTypeRef>(TypeId resource)>;
Result<component::FuncType> function_type(const Resolve& resolve, const Function& function,
                                          const ResourceResolver& resource_of);

// ---------------------------------------------------------------------------------------------
// Does a provider satisfy an import?

enum class DifferenceKind : uint8_t {
  kInterfaceName,    // the provider declares another interface
  kVersion,          // the versions are not semver-compatible
  kMissingFunction,  // the import needs a function the provider does not have
  kMissingResource,  // ... a resource
  kMissingType,      // ... a named type
  kTypeDiffers,      // a named type (or a resource) is something else at the provider
  kParamCount,
  kParamName,
  kParamType,
  kResultType,
  kAsync,         // one side is an `async` function and the other is not
  kNotAFunction,  // the import is a function, the provider's item is not (or the reverse)
};

struct Difference {
  DifferenceKind kind = DifferenceKind::kMissingFunction;
  // The function, resource or type concerned ("get", "[method]bucket.get"); empty when the
  // difference concerns the interface itself.
  std::string item;
  // What differs, one line, e.g. "function 'get' returns option<string>, the provider's returns
  // string".
  std::string message;
  // The import's and the provider's declaration of `item` as WIT would write it
  // ("func(k: string) -> option<string>", "record { a: u32 }", "resource"); empty when the
  // side does not have it or when it does not apply (versions, names).
  std::string expected;
  std::string provided;
};

// Compares an instance a component imports under `import_name` with the interface a provider
// declares, and lists every difference (empty: compatible). When `import_name` is an interface
// name (`ns:pkg/iface@v`) the provider's interface must have the same path and a version
// compatible with it (wit::compatible: 0.2.0 with 0.2.3, not with 0.3.0); a plain name is paired
// by the caller and not checked. Each function, resource and named type of the import must be
// at the provider with the same signature (names included); the provider may have more.
// Resources are matched by name within the interface, other types by structure.
std::vector<Difference> compare_import(std::string_view import_name,
                                       const component::InstanceType& import,
                                       const Resolve& provider, InterfaceId interface);

// The same for a function import and the function a provider declares.
std::vector<Difference> compare_import(std::string_view import_name,
                                       const component::FuncType& import, const Resolve& provider,
                                       const Function& function);

// A report for people: a first line naming the import, then each difference on a line of its
// own, followed by `expected: ...` and `provider: ...` lines where they apply. Empty when there
// are no differences. Example:
//   import 'demo:kv/store@0.1.0' does not match its provider:
//     function 'get' returns option<string>, the provider's returns string
//       expected: func(k: string) -> option<string>
//       provider: func(k: string) -> string
std::string format_differences(std::string_view import_name,
                               const std::vector<Difference>& differences);

}  // namespace berth::wit
