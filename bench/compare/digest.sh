#!/bin/sh
# sha256 of a 1 GiB file: our digestFile (Deno and Node 24) beside `openssl dgst -sha256`,
# same file, same run, page cache warm. Prints wall time, throughput, the ratio to openssl
# and peak RSS (memory must stay flat: no whole-file buffers). For our runs, "in-process" is the
# time digestFile itself took, without the runtime's start-up.
# Usage: sh bench/compare/digest.sh [size-in-MiB]   (NODE24 selects the Node binary)
set -eu
cd "$(dirname "$0")/../.."
mib=${1:-1024}
node=${NODE24:-node}
file=$(mktemp "${TMPDIR:-/tmp}/digest-bench.XXXXXX")
trap 'rm -f "$file" "$file.time"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom >"$file"
cat "$file" >/dev/null

now_ms() { date +%s%3N; }
# run <label> <cmd...>: best wall time of 3 runs, with peak RSS, digest checked against openssl.
best=0
run() {
  label=$1
  shift
  best=999999999
  inner=999999999
  for _ in 1 2 3; do
    t0=$(now_ms)
    out=$(/usr/bin/time -f %M -o "$file.time" "$@")
    t1=$(now_ms)
    hex=$(printf '%s' "$out" | sed -E 's/.*(sha256:|= )//; s/ .*//')
    [ "$hex" = "$want" ] || { echo "$label: digest mismatch: $out" >&2; exit 1; }
    ms=$((t1 - t0))
    [ "$ms" -lt "$best" ] && best=$ms
    case $out in sha256:*) own=${out##* }; [ "$own" -lt "$inner" ] && inner=$own ;; esac
  done
  rss=$(($(cat "$file.time") / 1024))
  mibs=$((mib * 1000 / best))
  if [ "$label" = openssl ]; then ratio=1.00; else ratio=$(awk "BEGIN{printf \"%.2f\", $base/$best}"); fi
  printf '%-20s %5d ms %5d MiB/s %sx openssl, peak RSS %3d MiB' "$label" "$best" "$mibs" "$ratio" "$rss"
  if [ "$inner" -lt 999999999 ]; then
    printf '; in-process %d ms %d MiB/s %sx' "$inner" $((mib * 1000 / inner)) \
      "$(awk "BEGIN{printf \"%.2f\", $base/$inner}")"
  fi
  echo
}

want=$(openssl dgst -sha256 -r "$file" | cut -d' ' -f1)
echo "sha256 of $mib MiB ($(openssl version | cut -d' ' -f1,2); deno $(deno --version | head -n1 | cut -d' ' -f2); node $($node --version))"
run openssl openssl dgst -sha256 "$file"
base=$best
run "digestFile (deno)" deno run --allow-read --allow-env bench/compare/_digest_file.ts "$file"
run "digestFile (node)" "$node" bench/compare/_digest_file.ts "$file"
