#!/bin/sh
# sha256 of a 1 GiB file: our digestFile (Deno and Node 24) beside `openssl dgst -sha256`,
# same file, same run, page cache warm. The contenders take turns, five rounds, and each keeps
# its best time, so a burst of load from elsewhere does not favour one of them.
# Prints wall time (process start to exit), throughput, the ratio to openssl and peak RSS
# (memory must stay flat: no whole-file buffers); for our runs also "in-process", the time
# digestFile itself took, without the runtime's start-up.
# Then one BENCH-RESULT line per goal (bench/README.md): at least 0.9x openssl's throughput.
# Usage: sh bench/compare/digest.sh [size-in-MiB] [rounds]   (NODE24 selects the Node binary)
set -eu
cd "$(dirname "$0")/../.."
. bench/compare/_result.sh
mib=${1:-1024}
rounds=${2:-5}
node=${NODE24:-node}
work=$(mktemp -d "${TMPDIR:-/tmp}/digest-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/blob
head -c $((mib * 1024 * 1024)) /dev/urandom >"$file"
cat "$file" >/dev/null
want=$(openssl dgst -sha256 -r "$file" | cut -d' ' -f1)

now_ms() { date +%s%3N; }
# once <name> <cmd...>: one timed run; keeps the best wall and in-process times and peak RSS.
once() {
  name=$1
  shift
  t0=$(now_ms)
  out=$(/usr/bin/time -f %M -o "$work/rss" "$@")
  t1=$(now_ms)
  hex=$(printf '%s' "$out" | sed -E 's/.*(sha256:|= )//; s/ .*//')
  [ "$hex" = "$want" ] || { echo "$name: digest mismatch: $out" >&2; exit 1; }
  best=$(cat "$work/$name.wall" 2>/dev/null || echo 999999999)
  [ $((t1 - t0)) -lt "$best" ] && echo $((t1 - t0)) >"$work/$name.wall"
  case $out in
    sha256:*)
      own=${out##* }
      best=$(cat "$work/$name.own" 2>/dev/null || echo 999999999)
      [ "$own" -lt "$best" ] && echo "$own" >"$work/$name.own"
      ;;
  esac
  rss=$(($(cat "$work/rss") / 1024))
  peak=$(cat "$work/$name.rss" 2>/dev/null || echo 0)
  [ "$rss" -gt "$peak" ] && echo "$rss" >"$work/$name.rss"
  return 0
}

i=0
while [ "$i" -lt "$rounds" ]; do
  once openssl openssl dgst -sha256 "$file"
  once deno deno run --allow-read --allow-env bench/compare/_digest_file.ts "$file"
  once node "$node" bench/compare/_digest_file.ts "$file"
  i=$((i + 1))
done

base=$(cat "$work/openssl.wall")
echo "sha256 of $mib MiB, best of $rounds ($(openssl version | cut -d' ' -f1,2);" \
  "deno $(deno --version | head -n1 | cut -d' ' -f2); node $($node --version); load $(cut -d' ' -f1-3 /proc/loadavg))"
for name in openssl deno node; do
  wall=$(cat "$work/$name.wall")
  line=$(printf '%-8s %5d ms %5d MiB/s %sx openssl, peak RSS %3d MiB' "$name" "$wall" \
    $((mib * 1000 / wall)) "$(awk "BEGIN{printf \"%.2f\", $base/$wall}")" "$(cat "$work/$name.rss")")
  if [ -f "$work/$name.own" ]; then
    own=$(cat "$work/$name.own")
    line="$line; digestFile alone $own ms $((mib * 1000 / own)) MiB/s $(awk "BEGIN{printf \"%.2f\", $base/$own}")x"
  fi
  echo "$line"
done

mibs() { awk "BEGIN { printf \"%.1f\", $mib * 1000 / $1 }"; }
peer=$(mibs "$base")
bench_result ocispec "sha256 of $mib MiB, Deno (process start to exit)" \
  "$(mibs "$(cat "$work/deno.wall")")" MiB/s true 0.9 "$peer" "openssl dgst"
bench_result ocispec "sha256 of $mib MiB, Deno (digestFile alone)" \
  "$(mibs "$(cat "$work/deno.own")")" MiB/s true 0.9 "$peer" "openssl dgst"
bench_result ocispec "sha256 of $mib MiB, Node (process start to exit)" \
  "$(mibs "$(cat "$work/node.wall")")" MiB/s true 0.9 "$peer" "openssl dgst"
