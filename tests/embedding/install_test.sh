#!/usr/bin/env bash
# Installs berth into a scratch prefix and builds the examples out of tree against it:
# examples/runner once with find_package(berth) and once with pkg-config, then runs a WASI command
# with each (a granted directory and an environment variable must reach the guest);
# examples/static-keyvalue, whose build generates its host bindings with the installed
# `berth bindgen`, then runs the key-value guest with it and with `berth run --host-bundle`: the
# two transcripts must be the same; examples/pool runs one component on several threads.
#   install_test.sh BUILD_DIR SOURCE_DIR GUEST_DIR
set -euo pipefail
build="$1" source="$2" guests="$3"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
prefix="$scratch/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

# No V8 header may be needed: nothing installed includes one.
if grep -rlE '#include <(v8|node|libplatform)' "$prefix/include"; then
  echo "FAIL: installed headers include V8" >&2
  exit 1
fi

check() { # RUNNER: runs the guest with a directory and an environment variable
  local runner="$1" data="$scratch/data"
  rm -rf "$data" && mkdir -p "$data" && echo "hello" >"$data/input.txt"
  local out
  out="$("$runner" --dir "$data::/data" --env GREETING=hi "$guests/wasi_check.wasm" files /data)"
  grep -q "input: hello" <<<"$out" || { echo "FAIL ($runner): $out" >&2; exit 1; }
  grep -q "written by the guest" "$data/output.txt" || { echo "FAIL: no output.txt" >&2; exit 1; }
  out="$("$runner" --env GREETING=hi "$guests/wasi_check.wasm" env GREETING)"
  [ "$out" = "GREETING=hi" ] || { echo "FAIL ($runner): env printed '$out'" >&2; exit 1; }
  local status=0
  # WASI 0.2's exit has only ok and err, so any failing status reaches the host as 1.
  "$runner" "$guests/wasi_check.wasm" exit 3 || status=$?
  [ "$status" = 1 ] || { echo "FAIL ($runner): exit 3 gave status $status, not 1" >&2; exit 1; }
}

cmake -S "$source/examples/runner" -B "$scratch/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake-build" >/dev/null
check "$scratch/cmake-build/runner"
echo "find_package(berth): ok"

PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --exists berth
# shellcheck disable=SC2046
g++ -o "$scratch/runner-pc" "$source/examples/runner/runner.cc" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs berth)
check "$scratch/runner-pc"
echo "pkg-config berth: ok"

# The static adapter against the bundle: the same guest and commands, the same transcript.
cmake -S "$source/examples/static-keyvalue" -B "$scratch/skv-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/skv-build" >/dev/null
cp -r "$build/bundles/keyvalue" "$scratch/kv-bundle"
sed -i "s|^path = \"\"|path = \"$scratch/bundle.db\"|" "$scratch/kv-bundle/host.toml"
grep -q "bundle.db" "$scratch/kv-bundle/host.toml" || { echo "FAIL: no path in host.toml" >&2; exit 1; }
transcript() { # RUN...: the kv guest's commands, each with its output, errors and status
  local cmd
  for cmd in "set colour blue" "set answer 42" "set colour green" "get colour" "exists answer" \
    "list" "delete answer" "exists answer" "get answer" "list"; do
    echo "\$ kv $cmd"
    # shellcheck disable=SC2086
    "$@" "$guests/bundles_kv_c.wasm" $cmd 2>&1 && echo "status 0" || echo "status $?"
  done
}
transcript "$scratch/skv-build/static-keyvalue" --store "$scratch/static.db" >"$scratch/static.txt"
transcript "$prefix/bin/berth" run -q --host-bundle "$scratch/kv-bundle" >"$scratch/bundle.txt"
grep -q "^answer$" "$scratch/static.txt" || { cat "$scratch/static.txt" >&2; exit 1; }
diff -u "$scratch/bundle.txt" "$scratch/static.txt" || { echo "FAIL: transcripts differ" >&2; exit 1; }
cat "$scratch/static.txt"
echo "static-keyvalue: same transcript as the keyvalue bundle"

# One component in many instances on several threads.
cmake -S "$source/examples/pool" -B "$scratch/pool-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/pool-build" >/dev/null
out="$("$scratch/pool-build/pool" --threads 4 --instances 5 --calls 20 \
  "$guests/component_adder.wasm" "add(2, 3)")"
echo "$out"
grep -q "^add(2, 3) returned 5 in all 400 calls (4 threads x 5 instances x 20 calls)" <<<"$out" ||
  { echo "FAIL: pool printed '$out'" >&2; exit 1; }
status=0
"$scratch/pool-build/pool" "$guests/component_adder.wasm" "fail()" 2>"$scratch/pool.err" || status=$?
[ "$status" = 125 ] && grep -q "unreachable" "$scratch/pool.err" ||
  { echo "FAIL: a trapping export gave status $status: $(cat "$scratch/pool.err")" >&2; exit 1; }
echo "pool: ok"
