#!/usr/bin/env bash
# guest-cache.sh: runs the commands that build one test guest, or copies the guest from a cache
# shared by every checkout on this machine, so that a second clone does not build it again.
#
#   guest-cache.sh OUT SOURCE_DIR BINARY_DIR [-f FILE]... [-d DIR]... -- CMD ARGS... [--- CMD ARGS...]...
#
# The key is a SHA-256 over this script, the commands (with SOURCE_DIR and BINARY_DIR written as
# placeholders, so that clones in other folders share entries), the bytes of every FILE and every
# file under every DIR (names relative to the DIR), and `-t TEXT` strings (tool versions). Callers
# name every input the commands read; an input left out would let a stale guest be reused.
# BERTH_GUEST_CACHE (default ~/.cache/berth/guests) holds the entries; "off" disables the cache.
# The cache is kept under BERTH_GUEST_CACHE_MAX_MB (default 512) by dropping the least recently
# used entries.
set -euo pipefail

out="$1" source_dir="$2" binary_dir="$3"
shift 3
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

relative() { # the argument with the checkout's folders replaced by placeholders
  local s="${1//"$binary_dir"/@BIN@}"
  printf '%s' "${s//"$source_dir"/@SRC@}"
}

key_input="$(mktemp)"
trap 'rm -f "$key_input"' EXIT
sha256sum <"$script_dir/guest-cache.sh" >>"$key_input"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
  -f)
    printf 'file %s ' "$(relative "$2")" >>"$key_input"
    sha256sum <"$2" >>"$key_input"
    ;;
  -d)
    printf 'dir %s\n' "$(relative "$2")" >>"$key_input"
    (cd "$2" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) >>"$key_input"
    ;;
  -t) printf 'text %s\n' "$2" >>"$key_input" ;;
  *)
    echo "guest-cache.sh: unknown option $1 (expected -f, -d, -t or --)" >&2
    exit 2
    ;;
  esac
  shift 2
done
if [ $# -eq 0 ]; then
  echo "guest-cache.sh: no command after --" >&2
  exit 2
fi
shift
for arg in "$@"; do printf 'arg %s\n' "$(relative "$arg")" >>"$key_input"; done
key="$(sha256sum <"$key_input" | cut -c1-64)"

cache="${BERTH_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/guests}"
entry="$cache/$key.wasm"
if [ "$cache" != off ] && [ -f "$entry" ]; then
  mkdir -p "$(dirname "$out")"
  cp "$entry" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
  touch "$entry" # most recently used
  exit 0
fi

# Run the commands, separated by "---", in order; the first that fails fails the build.
command=()
run() {
  [ ${#command[@]} -gt 0 ] || return 0
  "${command[@]}"
  command=()
}
for arg in "$@"; do
  if [ "$arg" = "---" ]; then run; else command+=("$arg"); fi
done
run

if [ "$cache" != off ] && mkdir -p "$cache" 2>/dev/null; then
  cp "$out" "$entry.tmp.$$" && mv -f "$entry.tmp.$$" "$entry"
  # Bound the cache: drop the least recently used entries beyond the limit.
  limit_kb=$((${BERTH_GUEST_CACHE_MAX_MB:-512} * 1024))
  total_kb=0
  while read -r file; do
    total_kb=$((total_kb + $(du -k "$file" | cut -f1)))
    if [ "$total_kb" -gt "$limit_kb" ]; then rm -f "$file"; fi
  done < <(ls -t "$cache"/*.wasm 2>/dev/null)
fi
