// The import/export name grammar.
#include "component/ir/names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace berth::component::binary {
namespace {

using ::testing::HasSubstr;

Result<ParsedExternName> import_name(std::string_view name, bool nested = false) {
  return parse_extern_name(name, NamePosition::kImport, NameGrammar{nested});
}
Result<ParsedExternName> export_name(std::string_view name) {
  return parse_extern_name(name, NamePosition::kExport);
}

std::string error_of(const Result<ParsedExternName>& r) {
  return r.ok() ? std::string("(accepted)") : r.error().message();
}

TEST(Names, KebabLabels) {
  for (const char* ok : {"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds",
                         "A11-4CR0NYMS", "m1x3d-4CR0NYMS", "is-XML", "get-JSON"}) {
    EXPECT_TRUE(is_kebab_label(ok)) << ok;
  }
  for (const char* bad :
       {"", "1-2-3", "-a", "a-", "a--b", "aB", "Ab", "a_b", "a.b", "0-a-1-c", "NevEr", "a b"}) {
    EXPECT_FALSE(is_kebab_label(bad)) << bad;
  }
}

TEST(Names, PlainNames) {
  Result<ParsedExternName> label = import_name("custom-hook");
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->kind, ExternNameKind::kLabel);
  EXPECT_EQ(label->label, "custom-hook");

  Result<ParsedExternName> ctor = import_name("[constructor]my-resource");
  ASSERT_TRUE(ctor.ok());
  EXPECT_EQ(ctor->kind, ExternNameKind::kConstructor);
  EXPECT_EQ(ctor->resource, "my-resource");

  Result<ParsedExternName> method = export_name("[method]r.get-JSON");
  ASSERT_TRUE(method.ok());
  EXPECT_EQ(method->kind, ExternNameKind::kMethod);
  EXPECT_EQ(method->resource, "r");
  EXPECT_EQ(method->label, "get-JSON");

  Result<ParsedExternName> fn = import_name("[static]r.make");
  ASSERT_TRUE(fn.ok());
  EXPECT_EQ(fn->kind, ExternNameKind::kStatic);

  EXPECT_EQ(error_of(import_name("Foo-bar")), "`Foo-bar` is not in kebab case");
  EXPECT_EQ(error_of(import_name("")), "`` is not in kebab case");
  EXPECT_THAT(error_of(import_name("[method]r")), HasSubstr("missing a `.`"));
  EXPECT_THAT(error_of(import_name("[async]f")), HasSubstr("not in kebab case"));
  EXPECT_THAT(error_of(import_name("[async method]f")), HasSubstr("not in kebab case"));
  EXPECT_THAT(error_of(import_name("[constructor]Rx")), HasSubstr("not in kebab case"));
  EXPECT_TRUE(import_name("[constructor]R-x").ok());  // an acronym fragment, then a word
}

TEST(Names, InterfaceNames) {
  Result<ParsedExternName> name = import_name("wasi:http/types@0.2.0");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->kind, ExternNameKind::kInterface);
  ASSERT_EQ(name->interface.namespaces.size(), 1u);
  EXPECT_EQ(name->interface.namespaces[0], "wasi");
  EXPECT_EQ(name->interface.package, "http");
  ASSERT_EQ(name->interface.projections.size(), 1u);
  EXPECT_EQ(name->interface.projections[0], "types");
  EXPECT_EQ(name->interface.version, "0.2.0");
  EXPECT_FALSE(name->interface.has_canonical_version());

  for (const char* ok : {"wasi:http/types", "a-b:c-d/e-f@123456.7890.488", "a:b/c@0.0.0+abcd",
                         "a:b/c@0.0.0-abcd.1.2+efg.4.ee.5", "a1:b1/c", "a:b/c@1", "a:b/c@0.2"}) {
    EXPECT_TRUE(import_name(ok).ok()) << ok << ": " << error_of(import_name(ok));
    EXPECT_TRUE(export_name(ok).ok()) << ok;
  }
  EXPECT_TRUE(parse_interface_name("a:b/c@0.2")->has_canonical_version());

  EXPECT_EQ(error_of(import_name("wasi:")), "`` is not in kebab case");
  EXPECT_EQ(error_of(import_name("wasi/http")), "`wasi/http` is not in kebab case");
  EXPECT_EQ(error_of(import_name("wasi:http/TyPeS")), "`TyPeS` is not in kebab case");
  EXPECT_EQ(error_of(import_name("WaSi:http/types")),
            "character `W` is not lowercase in package name/namespace");
  EXPECT_THAT(error_of(import_name("wasi:http/types@")), HasSubstr("empty version"));
  EXPECT_THAT(error_of(import_name("wasi:http/types@1.")), HasSubstr("not a valid semver"));
  EXPECT_THAT(error_of(import_name("wasi:http/types@2.0x0")), HasSubstr("not a valid semver"));
  EXPECT_THAT(error_of(import_name("wasi:http/types@2.0.0+")), HasSubstr("not a valid semver"));
  EXPECT_THAT(error_of(import_name("foo:bar:baz/qux")), HasSubstr("expected `/` after package"));
  EXPECT_EQ(error_of(import_name("foo:bar/baz/qux")), "trailing characters found: `/qux`");
  EXPECT_THAT(error_of(import_name("foo:bar")), HasSubstr("expected `/` after package"));
}

TEST(Names, NestedNamespacesAndPackages) {
  EXPECT_FALSE(import_name("a:b:c:d/e").ok());
  Result<ParsedExternName> name = import_name("a:b-c:d-e:f-g/h-i/j-k/l-m/n/o/p@1.0.0", true);
  ASSERT_TRUE(name.ok()) << error_of(name);
  EXPECT_EQ(name->interface.namespaces.size(), 3u);
  EXPECT_EQ(name->interface.package, "f-g");
  EXPECT_EQ(name->interface.projections.size(), 6u);
  EXPECT_TRUE(name->interface.nested());
}

TEST(Names, DependencyNames) {
  for (const char* ok : {"unlocked-dep=<a:b>", "unlocked-dep=<a:b@*>",
                         "unlocked-dep=<a:b@{>=1.2.3}>", "unlocked-dep=<a:b@{<1.2.3-rc}>",
                         "unlocked-dep=<a:b@{>=1.2.3-rc <1.2.3}>", "locked-dep=<a:b>",
                         "locked-dep=<a:b@1.2.3>", "locked-dep=<a:b@1.2.3>,integrity=<sha256-a>"}) {
    EXPECT_TRUE(import_name(ok).ok()) << ok << ": " << error_of(import_name(ok));
    EXPECT_THAT(error_of(export_name(ok)), HasSubstr("is not a valid export name")) << ok;
  }
  Result<ParsedExternName> locked = import_name("locked-dep=<a:b@1.2.3>,integrity=<sha256-a>");
  EXPECT_EQ(locked->kind, ExternNameKind::kLockedDep);
  EXPECT_EQ(locked->interface.version, "1.2.3");
  EXPECT_EQ(locked->integrity, "sha256-a");
  Result<ParsedExternName> unlocked = import_name("unlocked-dep=<a:b@{>=1.2.3 <2.0.0}>");
  EXPECT_EQ(unlocked->kind, ExternNameKind::kUnlockedDep);
  EXPECT_EQ(unlocked->version_range, "{>=1.2.3 <2.0.0}");
  EXPECT_TRUE(import_name("locked-dep=<a:b:c:d/e/f/g@1.2.3>", true).ok());

  EXPECT_THAT(error_of(import_name("unlocked-dep=")), HasSubstr("expected `<`"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<>")), HasSubstr("not in kebab case"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<a:>")), HasSubstr("not in kebab case"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<a:a@>")), HasSubstr("expected `{`"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<a:a@{xyz}>")),
              HasSubstr("expected `>=` or `<` at start of version range"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<a:a@{<xyz}>")),
              HasSubstr("`xyz` is not a valid semver"));
  EXPECT_THAT(error_of(import_name("unlocked-dep=<a:a@{<1.2.3 >=2.3.4}>")),
              HasSubstr("`1.2.3 >=2.3.4` is not a valid semver"));
  EXPECT_THAT(error_of(import_name("locked-dep=<a:a")), HasSubstr("failed to find `>`"));
  EXPECT_THAT(error_of(import_name("locked-dep=<a:a@>")), HasSubstr("not a valid semver"));
  EXPECT_THAT(error_of(import_name("locked-dep=<a:a@1.2.3>,")), HasSubstr("integrity=<"));
  EXPECT_EQ(error_of(import_name("locked-dep=<a:a@1.2.3>x")), "trailing characters found: `x`");
}

TEST(Names, UrlAndIntegrityNames) {
  for (const char* ok :
       {"url=<>", "url=<a>", "url=<a>,integrity=<sha256-a>", "integrity=<sha256-a>",
        "integrity=<sha512-a sha256-b>", "integrity=< sha512-a sha256-b >",
        "integrity=<  sha512-a?abcd  >", "integrity=<sha256-++++++++++++++++++++==>",
        "integrity=<sha256-////////////////////==>"}) {
    EXPECT_TRUE(import_name(ok).ok()) << ok << ": " << error_of(import_name(ok));
  }
  EXPECT_EQ(import_name("url=<https://x>")->url, "https://x");
  EXPECT_THAT(error_of(import_name("url=")), HasSubstr("expected `<`"));
  EXPECT_THAT(error_of(import_name("url=<")), HasSubstr("failed to find `>`"));
  EXPECT_EQ(error_of(import_name("url=<<>")), "url cannot contain `<`");
  EXPECT_EQ(error_of(import_name("integrity=<>")), "integrity hash cannot be empty");
  EXPECT_THAT(error_of(import_name("integrity=<sha256>")),
              HasSubstr("expected `-` after hash algorithm"));
  for (const char* bad :
       {"integrity=<sha256->", "integrity=<sha256-^^^^>", "integrity=<sha256-=========>",
        "integrity=<sha256-=>", "integrity=<sha256-==>"}) {
    EXPECT_THAT(error_of(import_name(bad)), HasSubstr("not valid base64")) << bad;
  }
  EXPECT_EQ(error_of(import_name("integrity=<md5-ABC>")), "unrecognized hash algorithm `md5`");
  EXPECT_THAT(error_of(import_name("relative-url=<a>")), HasSubstr("not a valid extern name"));
  EXPECT_THAT(error_of(export_name("url=<x>")), HasSubstr("not a valid export name"));
}

TEST(Names, Versions) {
  for (const char* ok : {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1",
                         "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0+20130313144700",
                         "1.0.0-beta+exp.sha.5114f85", "1.0.0-rc.1+build.1"}) {
    EXPECT_TRUE(is_valid_semver(ok)) << ok;
  }
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3+",
                          "1.2.3-01", "1.2.3-a..b", "a.b.c", "1.2.3-a_b"}) {
    EXPECT_FALSE(is_valid_semver(bad)) << bad;
  }
  for (const char* ok : {"1", "12", "0.2", "0.0.3", "0.0.0"}) EXPECT_TRUE(is_canonical_version(ok));
  for (const char* bad : {"0", "01", "1.2", "0.2.1", "0.0", "0.0.01", ""}) {
    EXPECT_FALSE(is_canonical_version(bad)) << bad;
  }
  EXPECT_TRUE(is_version_suffix(".2.3"));
  EXPECT_TRUE(is_version_suffix("-rc.1+b"));
  EXPECT_FALSE(is_version_suffix(".2 3"));
}

TEST(Names, StrongUniqueness) {
  // Explainer.md "Name Uniqueness": each of these clashes with one of the first set.
  const char* unique[] = {
      "foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz", "foo:bar/baz"};
  std::set<std::string> keys;
  for (const char* name : unique)
    EXPECT_TRUE(keys.insert(strong_uniqueness_key(name)).second) << name;
  for (const char* clash :
       {"foo", "FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar",
        "[method]foo.baz", "[method]foo.foo", "[static]foo-BAR.FOO-bar", "foo:bar/BAZ"}) {
    EXPECT_TRUE(keys.count(strong_uniqueness_key(clash))) << clash;
  }
}

}  // namespace
}  // namespace berth::component::binary
