#!/usr/bin/env bash
# Installs everything berth needs on a Debian bookworm machine and builds it into build/.
# Safe to run again: installed packages, the unpacked libnode and node_modules are reused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

apt_packages=(
  build-essential cmake ninja-build pkg-config git wabt ccache mold
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-19 lld-19 libclang-rt-19-dev wasi-libc libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
  libtomlplusplus-dev libcli11-dev libfmt-dev libsodium-dev libsqlite3-dev nlohmann-json3-dev
  libp11-kit-dev softhsm2
  libicu72 libuv1 libc-ares2 libnghttp2-14 libbrotli1 libssl3 zlib1g
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

# V8 comes from Debian's libnode. apt refuses libnode-dev next to NodeSource's nodejs (its
# node-acorn dependency wants nodejs:any), so the two packages are unpacked into .deps/libnode.
# The version unpacked is recorded, so that a newer one apt knows of (a security update) replaces it.
libnode_dir="$root/.deps/libnode"
libnode_version="$(apt-cache policy libnode108 2>/dev/null | awk '/Candidate:/ {print $2}')"
if [ ! -f "$libnode_dir/usr/include/node/v8.h" ] || [ ! -e "$libnode_dir/usr/lib/x86_64-linux-gnu/libnode.so" ] ||
   [ "$(cat "$libnode_dir/VERSION" 2>/dev/null)" != "$libnode_version" ]; then
  echo "setup: unpacking libnode108 and libnode-dev ${libnode_version} into $libnode_dir"
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null 2>&1 || {
     $sudo_cmd apt-get update -qq && apt-get download libnode108 libnode-dev; })
  rm -rf "$libnode_dir" && mkdir -p "$libnode_dir"
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$libnode_dir"; done
  echo "$libnode_version" > "$libnode_dir/VERSION"
  rm -rf "$tmp"
fi

# Guest tooling (jco, componentize-js), pinned in tools/guest/package-lock.json.
if [ ! -d tools/guest/node_modules/@bytecodealliance/jco ] || [ tools/guest/package-lock.json -nt tools/guest/node_modules/.package-lock.json ]; then
  echo "setup: installing guest tooling with npm"
  (cd tools/guest && npm install --no-audit --no-fund --no-save --loglevel=error)
fi

# DuckDB for bundles/duckdb, pinned in bundles/duckdb/deps/package-lock.json: only the two
# tarballs (libduckdb.so and the matching duckdb.h), no install scripts.
duckdb_deps=bundles/duckdb/deps
if [ ! -f "$duckdb_deps/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so" ] ||
   [ "$duckdb_deps/package-lock.json" -nt "$duckdb_deps/node_modules/.package-lock.json" ]; then
  echo "setup: installing DuckDB with npm"
  (cd "$duckdb_deps" && npm install --ignore-scripts --no-audit --no-fund --no-save --loglevel=error)
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
