#include "parser.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

namespace berth::wit {
namespace {

using ast::Ident;
using ast::TypeExpr;

// Deeply nested types (`list<list<...>>`) are parsed recursively; this bounds the stack.
constexpr int kMaxTypeDepth = 100;

std::optional<Primitive> primitive_of(TokenKind kind) {
  switch (kind) {
    case TokenKind::kBool:
      return Primitive::kBool;
    case TokenKind::kU8:
      return Primitive::kU8;
    case TokenKind::kU16:
      return Primitive::kU16;
    case TokenKind::kU32:
      return Primitive::kU32;
    case TokenKind::kU64:
      return Primitive::kU64;
    case TokenKind::kS8:
      return Primitive::kS8;
    case TokenKind::kS16:
      return Primitive::kS16;
    case TokenKind::kS32:
      return Primitive::kS32;
    case TokenKind::kS64:
      return Primitive::kS64;
    case TokenKind::kF32:
      return Primitive::kF32;
    case TokenKind::kF64:
      return Primitive::kF64;
    case TokenKind::kChar:
      return Primitive::kChar;
    case TokenKind::kString:
      return Primitive::kString;
    case TokenKind::kErrorContext:
      return Primitive::kErrorContext;
    default:
      return std::nullopt;
  }
}

bool is_map_key(const TypeExpr& type) {
  if (type.kind != TypeExpr::Kind::kPrimitive) return false;
  switch (type.primitive) {
    case Primitive::kF32:
    case Primitive::kF64:
    case Primitive::kErrorContext:
      return false;
    default:
      return true;
  }
}

bool starts_typedef(TokenKind kind) {
  switch (kind) {
    case TokenKind::kType:
    case TokenKind::kRecord:
    case TokenKind::kVariant:
    case TokenKind::kEnum:
    case TokenKind::kFlags:
    case TokenKind::kResource:
      return true;
    default:
      return false;
  }
}

class Parser {
 public:
  Parser(std::string_view path, std::string_view text) : lexer_(path, text) {}

  Result<ast::File> file();

 private:
  Error error(Pos pos, std::string_view message) const { return lexer_.error(pos, message); }
  Error unexpected(std::string_view expected) const {
    return error(cur_.pos, fmt::format("expected {}, found {}", expected, describe(cur_)));
  }

  Result<void> bump() {
    BERTH_TRY_ASSIGN(cur_, lexer_.next());
    return {};
  }
  bool at(TokenKind kind) const { return cur_.kind == kind; }
  Result<bool> eat(TokenKind kind) {
    if (!at(kind)) return false;
    BERTH_TRY(bump());
    return true;
  }
  Result<Token> expect(TokenKind kind, std::string_view expected) {
    if (!at(kind)) return unexpected(expected);
    Token token = std::move(cur_);
    BERTH_TRY(bump());
    return token;
  }
  std::string take_docs() { return std::exchange(cur_.docs, {}); }

  Result<Ident> ident(std::string_view expected);
  Result<std::optional<Version>> opt_version(Pos* where);
  Result<ast::PackageName> package_name();
  Result<ast::UsePath> use_path(std::string_view expected);
  Result<ast::UsePath> finish_package_path(Ident ns, Ident name);
  Result<ast::Gates> gates(std::string& docs);
  Result<Version> gate_version(std::string_view attribute);

  Result<std::vector<ast::PackageItem>> package_items(bool nested);
  Result<ast::PackageItem> package_item(bool nested);
  Result<ast::Interface> interface(ast::Gates gates, std::string docs);
  Result<std::vector<ast::InterfaceItem>> interface_items(std::string_view owner);
  Result<ast::World> world(ast::Gates gates, std::string docs);
  Result<ast::WorldItem> world_item();
  Result<ast::Extern> extern_item(ast::Gates gates, std::string docs);
  Result<ast::Include> include(ast::Gates gates);
  Result<ast::UseItem> use_item(ast::Gates gates);
  Result<ast::TopUse> top_use(ast::Gates gates);

  Result<ast::TypeDefItem> typedef_item(ast::Gates gates, std::string docs);
  Result<void> members(ast::TypeDefItem& def, std::string_view what, bool typed, bool optional);
  Result<void> resource_body(ast::TypeDefItem& def);
  Result<ast::FuncItem> func_item(ast::Gates gates, std::string docs);
  Result<ast::FuncType> func_type();
  Result<void> params(ast::FuncType& func);
  Result<TypeExpr> type(int depth = 0);

  Lexer lexer_;
  Token cur_;
};

Result<Ident> Parser::ident(std::string_view expected) {
  if (at(TokenKind::kIdent)) {
    Ident id{std::string(cur_.text), cur_.pos};
    BERTH_TRY(bump());
    return id;
  }
  if (is_keyword(cur_.kind)) {
    return error(cur_.pos, fmt::format("expected {}, found keyword '{}' (write '%{}' to use a "
                                       "keyword as a name)",
                                       expected, cur_.text, cur_.text));
  }
  return unexpected(expected);
}

Result<std::optional<Version>> Parser::opt_version(Pos* where) {
  if (!at(TokenKind::kAt)) return std::optional<Version>();
  BERTH_TRY(bump());
  Pos pos = cur_.pos;
  if (where) *where = pos;
  std::string_view text = lexer_.take_version(cur_);
  if (text.empty()) return unexpected("a version after '@'");
  auto version = Version::parse(text);
  if (!version) return error(pos, version.error().message());
  BERTH_TRY(bump());
  return std::optional<Version>(std::move(*version));
}

Result<ast::PackageName> Parser::package_name() {
  ast::PackageName name;
  name.pos = cur_.pos;
  BERTH_TRY_ASSIGN(name.ns, ident("a package namespace"));
  BERTH_TRY(expect(
      TokenKind::kColon,
      fmt::format("':' after namespace '{}' (package names look like 'ns:name')", name.ns.name)));
  BERTH_TRY_ASSIGN(name.name, ident("a package name"));
  if (at(TokenKind::kColon) || at(TokenKind::kSlash)) {
    return located_error(ErrorCode::kUnsupported, lexer_.file(), cur_.pos,
                         "nested namespaces and packages ('a:b:c', 'a:b/c') are not supported");
  }
  BERTH_TRY_ASSIGN(name.version, opt_version(&name.version_pos));
  return name;
}

Result<ast::UsePath> Parser::finish_package_path(Ident ns, Ident name) {
  ast::UsePath path;
  path.pos = ns.pos;
  ast::PackageName package;
  package.pos = ns.pos;
  package.ns = std::move(ns);
  package.name = std::move(name);
  if (at(TokenKind::kColon)) {
    return located_error(ErrorCode::kUnsupported, lexer_.file(), cur_.pos,
                         "nested namespaces ('a:b:c/d') are not supported");
  }
  BERTH_TRY(expect(TokenKind::kSlash, fmt::format("'/' and an interface name after package '{}:{}'",
                                                  package.ns.name, package.name.name)));
  BERTH_TRY_ASSIGN(path.name, ident("an interface or world name after '/'"));
  if (at(TokenKind::kSlash)) {
    return located_error(ErrorCode::kUnsupported, lexer_.file(), cur_.pos,
                         "nested packages ('a:b/c/d') are not supported");
  }
  BERTH_TRY_ASSIGN(package.version, opt_version(&package.version_pos));
  path.package = std::move(package);
  return path;
}

Result<ast::UsePath> Parser::use_path(std::string_view expected) {
  BERTH_TRY_ASSIGN(Ident first, ident(expected));
  if (!at(TokenKind::kColon)) {
    ast::UsePath path;
    path.pos = first.pos;
    path.name = std::move(first);
    return path;
  }
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(Ident second, ident("a package name after ':'"));
  return finish_package_path(std::move(first), std::move(second));
}

Result<Version> Parser::gate_version(std::string_view attribute) {
  BERTH_TRY(expect(TokenKind::kLParen, fmt::format("'(' after '@{}'", attribute)));
  if (!at(TokenKind::kIdent) || cur_.text != "version") {
    return unexpected(fmt::format("'version' in '@{}(version = ...)'", attribute));
  }
  BERTH_TRY(bump());
  BERTH_TRY(expect(TokenKind::kEquals, "'=' after 'version'"));
  Pos pos = cur_.pos;
  std::string_view text = lexer_.take_version(cur_);
  if (text.empty()) return unexpected("a version after 'version ='");
  auto version = Version::parse(text);
  if (!version) return error(pos, version.error().message());
  BERTH_TRY(bump());
  BERTH_TRY(expect(TokenKind::kRParen, fmt::format("')' to close '@{}('", attribute)));
  return std::move(*version);
}

Result<ast::Gates> Parser::gates(std::string& docs) {
  ast::Gates gates;
  Pos first_pos = cur_.pos;
  std::optional<Pos> deprecated_pos;
  bool seen = false;
  while (at(TokenKind::kAt)) {
    Pos at_pos = cur_.pos;
    seen = true;
    BERTH_TRY(bump());
    if (!at(TokenKind::kIdent) || cur_.space_before) {
      return unexpected(
          "an attribute name after '@' ('since', 'unstable', 'deprecated' or "
          "'external-id')");
    }
    std::string name(cur_.text);
    auto duplicate = [&]() {
      return error(at_pos, fmt::format("duplicate '@{}' attribute", name));
    };
    BERTH_TRY(bump());
    if (name == "since") {
      if (gates.since) return duplicate();
      BERTH_TRY_ASSIGN(gates.since, gate_version(name));
    } else if (name == "deprecated") {
      if (gates.deprecated) return duplicate();
      deprecated_pos = at_pos;
      BERTH_TRY_ASSIGN(gates.deprecated, gate_version(name));
    } else if (name == "unstable") {
      if (gates.unstable) return duplicate();
      BERTH_TRY(expect(TokenKind::kLParen, "'(' after '@unstable'"));
      if (!at(TokenKind::kIdent) || cur_.text != "feature") {
        return unexpected("'feature' in '@unstable(feature = ...)'");
      }
      BERTH_TRY(bump());
      BERTH_TRY(expect(TokenKind::kEquals, "'=' after 'feature'"));
      BERTH_TRY_ASSIGN(gates.unstable, ident("a feature name"));
      BERTH_TRY(expect(TokenKind::kRParen, "')' to close '@unstable('"));
    } else if (name == "external-id") {
      if (gates.external_id) return duplicate();
      BERTH_TRY(expect(TokenKind::kLParen, "'(' after '@external-id'"));
      BERTH_TRY_ASSIGN(Token text, expect(TokenKind::kStringLiteral, "a string literal"));
      gates.external_id = std::move(text.value);
      BERTH_TRY(expect(TokenKind::kRParen, "')' to close '@external-id('"));
    } else {
      return error(at_pos, fmt::format("unknown attribute '@{}'; expected '@since', '@unstable', "
                                       "'@deprecated' or '@external-id'",
                                       name));
    }
    if (!cur_.docs.empty()) {
      if (!docs.empty()) docs += '\n';
      docs += take_docs();
    }
  }
  if (!seen) return gates;
  if (gates.since && gates.unstable) {
    return error(first_pos, "an item cannot be both '@since' and '@unstable'");
  }
  if (gates.deprecated && !gates.since && !gates.unstable) {
    return error(*deprecated_pos, "'@deprecated' must be paired with '@since' or '@unstable'");
  }
  return gates;
}

Result<ast::File> Parser::file() {
  BERTH_TRY(lexer_.validate_text());
  BERTH_TRY(bump());
  ast::File file;
  file.path = std::string(lexer_.file());
  bool first = true;
  while (!at(TokenKind::kEof)) {
    if (at(TokenKind::kPackage)) {
      Pos pos = cur_.pos;
      std::string docs = take_docs();
      BERTH_TRY(bump());
      BERTH_TRY_ASSIGN(ast::PackageName name, package_name());
      if (at(TokenKind::kSemicolon)) {
        if (!first) {
          return error(pos,
                       "the 'package ...;' declaration must come first in the file; later "
                       "packages are written 'package ns:name { ... }'");
        }
        BERTH_TRY(bump());
        file.package = std::move(name);
        file.package_docs = std::move(docs);
      } else if (at(TokenKind::kLBrace)) {
        BERTH_TRY(bump());
        ast::NestedPackage nested;
        nested.name = std::move(name);
        nested.docs = std::move(docs);
        BERTH_TRY_ASSIGN(nested.items, package_items(true));
        file.nested.push_back(std::move(nested));
      } else {
        return unexpected("';' or '{' after the package name");
      }
    } else {
      BERTH_TRY_ASSIGN(ast::PackageItem item, package_item(false));
      file.items.push_back(std::move(item));
    }
    first = false;
  }
  return file;
}

Result<std::vector<ast::PackageItem>> Parser::package_items(bool nested) {
  std::vector<ast::PackageItem> items;
  while (!at(TokenKind::kRBrace)) {
    if (at(TokenKind::kEof)) return unexpected("'}' to close the package block");
    BERTH_TRY_ASSIGN(ast::PackageItem item, package_item(nested));
    items.push_back(std::move(item));
  }
  BERTH_TRY(bump());
  return items;
}

Result<ast::PackageItem> Parser::package_item(bool nested) {
  std::string docs = take_docs();
  BERTH_TRY_ASSIGN(ast::Gates item_gates, gates(docs));
  if (!cur_.docs.empty()) {
    if (!docs.empty()) docs += '\n';
    docs += take_docs();
  }
  switch (cur_.kind) {
    case TokenKind::kInterface: {
      BERTH_TRY_ASSIGN(ast::Interface i, interface(std::move(item_gates), std::move(docs)));
      return ast::PackageItem(std::move(i));
    }
    case TokenKind::kWorld: {
      BERTH_TRY_ASSIGN(ast::World w, world(std::move(item_gates), std::move(docs)));
      return ast::PackageItem(std::move(w));
    }
    case TokenKind::kUse: {
      BERTH_TRY_ASSIGN(ast::TopUse u, top_use(std::move(item_gates)));
      return ast::PackageItem(std::move(u));
    }
    case TokenKind::kPackage:
      if (nested) return error(cur_.pos, "package blocks cannot be nested in package blocks");
      [[fallthrough]];
    default:
      return unexpected(nested ? "'interface', 'world' or 'use'"
                               : "'interface', 'world', 'use' or 'package'");
  }
}

Result<ast::TopUse> Parser::top_use(ast::Gates gates) {
  ast::TopUse use;
  use.pos = cur_.pos;
  use.gates = std::move(gates);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(use.path, use_path("an interface path after 'use'"));
  if (at(TokenKind::kAs)) {
    BERTH_TRY(bump());
    BERTH_TRY_ASSIGN(use.as, ident("a name after 'as'"));
  }
  if (at(TokenKind::kPeriod)) {
    return error(cur_.pos,
                 "'use path.{...}' is only allowed inside an interface or world; at "
                 "the top of a file write 'use ns:pkg/iface;'");
  }
  BERTH_TRY(expect(TokenKind::kSemicolon, "';' after the top-level 'use'"));
  return use;
}

Result<ast::Interface> Parser::interface(ast::Gates gates, std::string docs) {
  ast::Interface iface;
  iface.gates = std::move(gates);
  iface.docs = std::move(docs);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(iface.name, ident("an interface name after 'interface'"));
  BERTH_TRY_ASSIGN(iface.items, interface_items(fmt::format("interface '{}'", iface.name.name)));
  return iface;
}

Result<std::vector<ast::InterfaceItem>> Parser::interface_items(std::string_view owner) {
  BERTH_TRY(expect(TokenKind::kLBrace, fmt::format("'{{' to open {}", owner)));
  std::vector<ast::InterfaceItem> items;
  while (true) {
    std::string docs = take_docs();
    if (at(TokenKind::kRBrace)) break;
    if (at(TokenKind::kEof)) return unexpected(fmt::format("'}}' to close {}", owner));
    BERTH_TRY_ASSIGN(ast::Gates item_gates, gates(docs));
    if (!cur_.docs.empty()) {
      if (!docs.empty()) docs += '\n';
      docs += take_docs();
    }
    if (at(TokenKind::kUse)) {
      BERTH_TRY_ASSIGN(ast::UseItem use, use_item(std::move(item_gates)));
      items.emplace_back(std::move(use));
    } else if (starts_typedef(cur_.kind)) {
      BERTH_TRY_ASSIGN(ast::TypeDefItem def, typedef_item(std::move(item_gates), std::move(docs)));
      items.emplace_back(std::move(def));
    } else if (at(TokenKind::kIdent)) {
      BERTH_TRY_ASSIGN(ast::FuncItem func, func_item(std::move(item_gates), std::move(docs)));
      items.emplace_back(std::move(func));
    } else if (at(TokenKind::kStatic)) {
      return error(cur_.pos, "'static' functions are only allowed inside a 'resource' block");
    } else if (is_keyword(cur_.kind) && cur_.kind != TokenKind::kConstructor) {
      return error(cur_.pos,
                   fmt::format("expected a type definition, 'use' or a function in {}, found "
                               "keyword '{}' (write '%{}' to use a keyword as a name)",
                               owner, cur_.text, cur_.text));
    } else {
      return unexpected(fmt::format("a type definition, 'use' or a function in {}", owner));
    }
  }
  BERTH_TRY(bump());
  return items;
}

Result<ast::World> Parser::world(ast::Gates gates, std::string docs) {
  ast::World world;
  world.gates = std::move(gates);
  world.docs = std::move(docs);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(world.name, ident("a world name after 'world'"));
  BERTH_TRY(expect(TokenKind::kLBrace, fmt::format("'{{' to open world '{}'", world.name.name)));
  while (!at(TokenKind::kRBrace)) {
    if (at(TokenKind::kEof)) {
      return unexpected(fmt::format("'}}' to close world '{}'", world.name.name));
    }
    BERTH_TRY_ASSIGN(ast::WorldItem item, world_item());
    world.items.push_back(std::move(item));
  }
  BERTH_TRY(bump());
  return world;
}

Result<ast::WorldItem> Parser::world_item() {
  std::string docs = take_docs();
  BERTH_TRY_ASSIGN(ast::Gates item_gates, gates(docs));
  if (!cur_.docs.empty()) {
    if (!docs.empty()) docs += '\n';
    docs += take_docs();
  }
  if (at(TokenKind::kImport) || at(TokenKind::kExport)) {
    BERTH_TRY_ASSIGN(ast::Extern item, extern_item(std::move(item_gates), std::move(docs)));
    return ast::WorldItem(std::move(item));
  }
  if (at(TokenKind::kUse)) {
    BERTH_TRY_ASSIGN(ast::UseItem use, use_item(std::move(item_gates)));
    return ast::WorldItem(std::move(use));
  }
  if (at(TokenKind::kInclude)) {
    BERTH_TRY_ASSIGN(ast::Include inc, include(std::move(item_gates)));
    return ast::WorldItem(std::move(inc));
  }
  if (starts_typedef(cur_.kind)) {
    BERTH_TRY_ASSIGN(ast::TypeDefItem def, typedef_item(std::move(item_gates), std::move(docs)));
    return ast::WorldItem(std::move(def));
  }
  return unexpected("'import', 'export', 'include', 'use' or a type definition in a world");
}

Result<ast::Extern> Parser::extern_item(ast::Gates gates, std::string docs) {
  ast::Extern item;
  item.is_export = at(TokenKind::kExport);
  item.pos = cur_.pos;
  item.gates = std::move(gates);
  item.docs = std::move(docs);
  std::string_view keyword = item.is_export ? "export" : "import";
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(Ident first, ident(fmt::format("a name or an interface after '{}'", keyword)));
  if (!at(TokenKind::kColon)) {
    item.kind = ast::Extern::Kind::kPath;
    item.path.pos = first.pos;
    item.path.name = std::move(first);
    BERTH_TRY(expect(TokenKind::kSemicolon,
                     fmt::format("';' after '{} {}'", keyword, item.path.name.name)));
    return item;
  }
  bool colon_spaced = cur_.space_before;
  BERTH_TRY(bump());
  colon_spaced |= cur_.space_before;
  if (at(TokenKind::kFunc) || at(TokenKind::kAsync)) {
    item.kind = ast::Extern::Kind::kFunc;
    item.label = std::move(first);
    BERTH_TRY_ASSIGN(item.func, func_type());
    BERTH_TRY(expect(TokenKind::kSemicolon, "';' after the function type"));
    return item;
  }
  if (at(TokenKind::kInterface)) {
    BERTH_TRY(bump());
    item.kind = ast::Extern::Kind::kInterface;
    item.label = std::move(first);
    BERTH_TRY_ASSIGN(item.items, interface_items(fmt::format("interface '{}'", item.label.name)));
    return item;
  }
  BERTH_TRY_ASSIGN(Ident second, ident("'func', 'interface' or an interface name after ':'"));
  if (at(TokenKind::kSlash)) {
    item.kind = ast::Extern::Kind::kPath;
    BERTH_TRY_ASSIGN(item.path, finish_package_path(std::move(first), std::move(second)));
  } else if (at(TokenKind::kColon)) {
    item.kind = ast::Extern::Kind::kNamedPath;
    item.label = std::move(first);
    BERTH_TRY(bump());
    BERTH_TRY_ASSIGN(Ident third, ident("a package name after ':'"));
    BERTH_TRY_ASSIGN(item.path, finish_package_path(std::move(second), std::move(third)));
  } else {
    if (!colon_spaced) {
      // `a:b` without spaces reads as a package name, which cannot be imported by itself.
      return unexpected(
          fmt::format("'/' and an interface name after package '{}:{}' (to import "
                      "interface '{}' under the name '{}', write '{}: {}')",
                      first.name, second.name, second.name, first.name, first.name, second.name));
    }
    item.kind = ast::Extern::Kind::kNamedPath;
    item.label = std::move(first);
    item.path.pos = second.pos;
    item.path.name = std::move(second);
  }
  BERTH_TRY(expect(TokenKind::kSemicolon, fmt::format("';' after '{}' item", keyword)));
  return item;
}

Result<ast::Include> Parser::include(ast::Gates gates) {
  ast::Include inc;
  inc.pos = cur_.pos;
  inc.gates = std::move(gates);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(inc.path, use_path("a world after 'include'"));
  if (!at(TokenKind::kWith)) {
    BERTH_TRY(expect(TokenKind::kSemicolon, "';' or 'with' after the included world"));
    return inc;
  }
  BERTH_TRY(bump());
  BERTH_TRY(expect(TokenKind::kLBrace, "'{' after 'with'"));
  while (!at(TokenKind::kRBrace)) {
    ast::IncludeName name;
    BERTH_TRY_ASSIGN(name.from, ident("a name to rename in 'with { ... }'"));
    BERTH_TRY(expect(TokenKind::kAs, fmt::format("'as' after '{}'", name.from.name)));
    BERTH_TRY_ASSIGN(name.to, ident("the new name after 'as'"));
    inc.with.push_back(std::move(name));
    BERTH_TRY_ASSIGN(bool comma, eat(TokenKind::kComma));
    if (!comma && !at(TokenKind::kRBrace)) return unexpected("',' or '}' in 'with { ... }'");
  }
  if (inc.with.empty()) return error(cur_.pos, "'with { }' must rename at least one name");
  BERTH_TRY(bump());
  BERTH_TRY(eat(TokenKind::kSemicolon));
  return inc;
}

Result<ast::UseItem> Parser::use_item(ast::Gates gates) {
  ast::UseItem use;
  use.pos = cur_.pos;
  use.gates = std::move(gates);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(use.path, use_path("an interface after 'use'"));
  BERTH_TRY(expect(TokenKind::kPeriod, "'.' and a list of names after the interface in 'use'"));
  BERTH_TRY(expect(TokenKind::kLBrace, "'{' after 'use ....'"));
  while (!at(TokenKind::kRBrace)) {
    ast::UseName name;
    BERTH_TRY_ASSIGN(name.name, ident("a type name in 'use'"));
    if (at(TokenKind::kAs)) {
      BERTH_TRY(bump());
      BERTH_TRY_ASSIGN(name.as, ident("a name after 'as'"));
    }
    use.names.push_back(std::move(name));
    BERTH_TRY_ASSIGN(bool comma, eat(TokenKind::kComma));
    if (!comma && !at(TokenKind::kRBrace)) return unexpected("',' or '}' in the 'use' list");
  }
  if (use.names.empty()) return error(cur_.pos, "'use' must name at least one type");
  BERTH_TRY(bump());
  BERTH_TRY(expect(TokenKind::kSemicolon, "';' after 'use'"));
  return use;
}

Result<ast::FuncItem> Parser::func_item(ast::Gates gates, std::string docs) {
  ast::FuncItem func;
  func.gates = std::move(gates);
  func.docs = std::move(docs);
  BERTH_TRY_ASSIGN(func.name, ident("a function name"));
  BERTH_TRY(expect(TokenKind::kColon, fmt::format("':' after function name '{}'", func.name.name)));
  if (at(TokenKind::kStatic)) {
    return error(cur_.pos, "'static' functions are only allowed inside a 'resource' block");
  }
  BERTH_TRY_ASSIGN(func.func, func_type());
  BERTH_TRY(expect(TokenKind::kSemicolon,
                   fmt::format("';' after the type of function '{}'", func.name.name)));
  return func;
}

Result<ast::FuncType> Parser::func_type() {
  ast::FuncType func;
  func.pos = cur_.pos;
  BERTH_TRY_ASSIGN(func.is_async, eat(TokenKind::kAsync));
  BERTH_TRY(expect(TokenKind::kFunc, func.is_async ? "'func' after 'async'" : "'func'"));
  BERTH_TRY(params(func));
  if (at(TokenKind::kArrow)) {
    BERTH_TRY(bump());
    BERTH_TRY_ASSIGN(func.result, type());
  }
  return func;
}

Result<void> Parser::params(ast::FuncType& func) {
  BERTH_TRY(expect(TokenKind::kLParen, "'(' to open the parameter list"));
  while (!at(TokenKind::kRParen)) {
    ast::NamedType param;
    BERTH_TRY_ASSIGN(param.name, ident("a parameter name"));
    BERTH_TRY(expect(TokenKind::kColon, fmt::format("':' after parameter '{}'", param.name.name)));
    BERTH_TRY_ASSIGN(param.type, type());
    func.params.push_back(std::move(param));
    BERTH_TRY_ASSIGN(bool comma, eat(TokenKind::kComma));
    if (!comma && !at(TokenKind::kRParen)) return unexpected("')' after parameter list");
  }
  BERTH_TRY(bump());
  return {};
}

Result<TypeExpr> Parser::type(int depth) {
  if (depth > kMaxTypeDepth) {
    return error(cur_.pos, fmt::format("types are nested more than {} deep", kMaxTypeDepth));
  }
  TypeExpr ty;
  ty.pos = cur_.pos;
  if (auto prim = primitive_of(cur_.kind)) {
    ty.kind = TypeExpr::Kind::kPrimitive;
    ty.primitive = *prim;
    BERTH_TRY(bump());
    return ty;
  }
  auto open = [&](std::string_view name) {
    return expect(TokenKind::kLess, fmt::format("'<' after '{}'", name));
  };
  auto close = [&](std::string_view name) {
    return expect(TokenKind::kGreater, fmt::format("'>' to close '{}<'", name));
  };
  auto element = [&]() -> Result<void> {
    BERTH_TRY_ASSIGN(TypeExpr arg, type(depth + 1));
    ty.args.push_back(std::move(arg));
    return {};
  };
  std::string_view keyword = cur_.text;
  switch (cur_.kind) {
    case TokenKind::kIdent:
      ty.kind = TypeExpr::Kind::kNamed;
      ty.name = Ident{std::string(cur_.text), cur_.pos};
      BERTH_TRY(bump());
      return ty;
    case TokenKind::kList: {
      BERTH_TRY(bump());
      BERTH_TRY(open("list"));
      BERTH_TRY(element());
      ty.kind = TypeExpr::Kind::kList;
      if (at(TokenKind::kComma)) {
        BERTH_TRY(bump());
        if (!at(TokenKind::kInteger)) return unexpected("a length after ',' in 'list<T, N>'");
        uint64_t length = 0;
        auto [end, ec] =
            std::from_chars(cur_.text.data(), cur_.text.data() + cur_.text.size(), length);
        if (ec != std::errc() || length == 0 || length > UINT32_MAX) {
          return error(cur_.pos, fmt::format("fixed-size list length {} must be between 1 and {}",
                                             cur_.text, UINT32_MAX));
        }
        ty.kind = TypeExpr::Kind::kFixedList;
        ty.length = static_cast<uint32_t>(length);
        BERTH_TRY(bump());
      }
      BERTH_TRY(close("list"));
      return ty;
    }
    case TokenKind::kOption:
      BERTH_TRY(bump());
      BERTH_TRY(open("option"));
      BERTH_TRY(element());
      BERTH_TRY(close("option"));
      ty.kind = TypeExpr::Kind::kOption;
      return ty;
    case TokenKind::kTuple:
      BERTH_TRY(bump());
      BERTH_TRY(open("tuple"));
      ty.kind = TypeExpr::Kind::kTuple;
      while (!at(TokenKind::kGreater)) {
        BERTH_TRY(element());
        BERTH_TRY_ASSIGN(bool comma, eat(TokenKind::kComma));
        if (!comma && !at(TokenKind::kGreater)) return unexpected("',' or '>' in 'tuple<...>'");
      }
      if (ty.args.empty()) return error(cur_.pos, "'tuple<>' must have at least one type");
      BERTH_TRY(bump());
      return ty;
    case TokenKind::kResult:
      BERTH_TRY(bump());
      ty.kind = TypeExpr::Kind::kResult;
      if (!at(TokenKind::kLess)) return ty;
      BERTH_TRY(bump());
      if (at(TokenKind::kUnderscore)) {
        BERTH_TRY(bump());
        if (!at(TokenKind::kComma)) {
          return unexpected("',' and an error type after '_' in 'result<_, E>'");
        }
      } else {
        BERTH_TRY(element());
        ty.has_ok = true;
      }
      if (at(TokenKind::kComma)) {
        BERTH_TRY(bump());
        BERTH_TRY(element());
        ty.has_err = true;
      }
      BERTH_TRY(close("result"));
      return ty;
    case TokenKind::kMap:
      BERTH_TRY(bump());
      BERTH_TRY(open("map"));
      BERTH_TRY(element());
      if (!is_map_key(ty.args[0])) {
        return error(ty.args[0].pos,
                     "map keys must be an integer type, 'bool', 'char' or "
                     "'string'");
      }
      BERTH_TRY(expect(TokenKind::kComma, "',' and a value type in 'map<K, V>'"));
      BERTH_TRY(element());
      BERTH_TRY(close("map"));
      ty.kind = TypeExpr::Kind::kMap;
      return ty;
    case TokenKind::kFuture:
    case TokenKind::kStream:
      ty.kind = at(TokenKind::kFuture) ? TypeExpr::Kind::kFuture : TypeExpr::Kind::kStream;
      BERTH_TRY(bump());
      if (at(TokenKind::kLess)) {
        BERTH_TRY(bump());
        BERTH_TRY(element());
        BERTH_TRY(close(keyword));
      }
      return ty;
    case TokenKind::kOwn:
    case TokenKind::kBorrow: {
      ty.kind = at(TokenKind::kOwn) ? TypeExpr::Kind::kOwn : TypeExpr::Kind::kBorrow;
      BERTH_TRY(bump());
      BERTH_TRY(open(keyword));
      BERTH_TRY_ASSIGN(ty.name, ident(fmt::format("a resource name in '{}<...>'", keyword)));
      BERTH_TRY(close(keyword));
      return ty;
    }
    default:
      return unexpected("a type");
  }
}

Result<ast::TypeDefItem> Parser::typedef_item(ast::Gates gates, std::string docs) {
  ast::TypeDefItem def;
  def.gates = std::move(gates);
  def.docs = std::move(docs);
  TokenKind kind = cur_.kind;
  std::string keyword(cur_.text);
  BERTH_TRY(bump());
  BERTH_TRY_ASSIGN(def.name, ident(fmt::format("a type name after '{}'", keyword)));
  switch (kind) {
    case TokenKind::kType: {
      def.kind = ast::TypeDefItem::Kind::kAlias;
      BERTH_TRY(expect(TokenKind::kEquals, fmt::format("'=' after 'type {}'", def.name.name)));
      BERTH_TRY_ASSIGN(def.alias, type());
      BERTH_TRY(expect(TokenKind::kSemicolon, "';' after the type alias"));
      return def;
    }
    case TokenKind::kRecord:
      def.kind = ast::TypeDefItem::Kind::kRecord;
      BERTH_TRY(members(def, "field", true, false));
      return def;
    case TokenKind::kVariant:
      def.kind = ast::TypeDefItem::Kind::kVariant;
      BERTH_TRY(members(def, "case", true, true));
      return def;
    case TokenKind::kEnum:
      def.kind = ast::TypeDefItem::Kind::kEnum;
      BERTH_TRY(members(def, "case", false, false));
      return def;
    case TokenKind::kFlags:
      def.kind = ast::TypeDefItem::Kind::kFlags;
      BERTH_TRY(members(def, "flag", false, false));
      return def;
    default:
      def.kind = ast::TypeDefItem::Kind::kResource;
      BERTH_TRY(resource_body(def));
      return def;
  }
}

Result<void> Parser::members(ast::TypeDefItem& def, std::string_view what, bool typed,
                             bool optional) {
  BERTH_TRY(expect(TokenKind::kLBrace, fmt::format("'{{' after '{}'", def.name.name)));
  while (true) {
    std::string docs = take_docs();
    if (at(TokenKind::kRBrace)) break;
    ast::Member member;
    member.docs = std::move(docs);
    BERTH_TRY_ASSIGN(member.name, ident(fmt::format("a {} name", what)));
    if (typed && !optional) {
      BERTH_TRY(expect(TokenKind::kColon, fmt::format("':' after field '{}'", member.name.name)));
      BERTH_TRY_ASSIGN(member.type, type());
    } else if (typed && at(TokenKind::kLParen)) {
      BERTH_TRY(bump());
      BERTH_TRY_ASSIGN(member.type, type());
      BERTH_TRY(expect(TokenKind::kRParen, "')' after the case type"));
    }
    def.members.push_back(std::move(member));
    BERTH_TRY_ASSIGN(bool comma, eat(TokenKind::kComma));
    if (!comma && !at(TokenKind::kRBrace)) {
      return unexpected(
          fmt::format("',' or '}}' after {} '{}'", what, def.members.back().name.name));
    }
  }
  if (def.members.empty()) {
    return error(def.name.pos, fmt::format("'{}' must have at least one {}", def.name.name, what));
  }
  BERTH_TRY(bump());
  return {};
}

Result<void> Parser::resource_body(ast::TypeDefItem& def) {
  if (at(TokenKind::kSemicolon)) return bump();
  BERTH_TRY(
      expect(TokenKind::kLBrace, fmt::format("';' or '{{' after 'resource {}'", def.name.name)));
  while (true) {
    std::string docs = take_docs();
    if (at(TokenKind::kRBrace)) break;
    ast::ResourceFunc func;
    BERTH_TRY_ASSIGN(func.gates, gates(docs));
    if (!cur_.docs.empty()) {
      if (!docs.empty()) docs += '\n';
      docs += take_docs();
    }
    func.docs = std::move(docs);
    if (at(TokenKind::kConstructor)) {
      func.kind = ast::ResourceFunc::Kind::kConstructor;
      func.name = Ident{"constructor", cur_.pos};
      func.func.pos = cur_.pos;
      BERTH_TRY(bump());
      BERTH_TRY(params(func.func));
      if (at(TokenKind::kArrow)) {
        BERTH_TRY(bump());
        BERTH_TRY_ASSIGN(func.func.result, type());
      }
    } else {
      if (!at(TokenKind::kIdent) && !is_keyword(cur_.kind)) {
        return unexpected(fmt::format("'constructor' or a method in resource '{}'", def.name.name));
      }
      BERTH_TRY_ASSIGN(func.name, ident("a method name"));
      BERTH_TRY(expect(TokenKind::kColon, fmt::format("':' after method '{}'", func.name.name)));
      BERTH_TRY_ASSIGN(bool is_static, eat(TokenKind::kStatic));
      func.kind = is_static ? ast::ResourceFunc::Kind::kStatic : ast::ResourceFunc::Kind::kMethod;
      BERTH_TRY_ASSIGN(func.func, func_type());
    }
    BERTH_TRY(expect(TokenKind::kSemicolon, fmt::format("';' after '{}' in resource '{}'",
                                                        func.name.name, def.name.name)));
    def.funcs.push_back(std::move(func));
  }
  BERTH_TRY(bump());
  return {};
}

}  // namespace

Result<ast::File> parse_file(std::string_view path, std::string_view text) {
  Parser parser(path, text);
  return parser.file();
}

}  // namespace berth::wit
