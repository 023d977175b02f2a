#!/bin/sh
# Archiving a realistic text log: our LogArchiver (Deno and Node 24; level 9,
# 256 KiB parts, each a gzip member, spooled to a temporary file) beside
# `gzip -9` of the same file into a file in the same directory, same run, page
# cache warm. Prints the best wall time of 3 runs, throughput, the ratio to
# gzip -9, the least CPU time (user and system) of the 3 and its ratio to
# gzip -9's (steadier than wall time on a loaded machine), the compressed
# size, and the highest peak RSS of the 3 ("+N" is the
# growth over the process's RSS just before archiving: the runtime with node:fs
# and node:zlib loaded is most of the total; "compressing" is the peak before
# the first part is sent). "in-process" is the time the archive itself took,
# without the runtime's start-up. "reuseContent" is the archiver with that
# option set. The "createGzip pipe" lines pipe the file through one node:zlib
# level-9 gzip stream, no parts: the plain way. The "zlib floor" lines are the
# smallest program doing the archiver's zlib work and sends.
# Then one BENCH-RESULT line per goal (bench/README.md): at least 1.8x gzip -9's throughput
# on Deno (issue 12), 0.9x on Node (issue 9); peak RSS under 64 MiB.
# Usage: sh bench/compare/logging.sh [size-in-MiB]   (NODE24 selects the Node binary)
set -eu
cd "$(dirname "$0")/../.."
. bench/compare/_result.sh
mib=${1:-200}
node=${NODE24:-node}
dir=$(mktemp -d "${TMPDIR:-/tmp}/logging-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
file=$dir/journal.log
deno run --allow-write --allow-env bench/compare/_logging_gen.ts "$file" "$mib"
cat "$file" >/dev/null

now_ms() { date +%s%3N; }
best=0
run() {
  label=$1
  shift
  best=999999999
  inner=999999999
  cpu=999999999
  rss=0
  comp=0
  for _ in 1 2 3; do
    t0=$(now_ms)
    out=$(/usr/bin/time -f '%M %U %S' -o "$dir/time" "$@")
    t1=$(now_ms)
    ms=$((t1 - t0))
    [ "$ms" -lt "$best" ] && best=$ms
    read -r kib user sys <"$dir/time"
    [ $((kib / 1024)) -gt "$rss" ] && rss=$((kib / 1024))
    used=$(awk "BEGIN{printf \"%d\", 1000*($user+$sys)}")
    [ "$used" -lt "$cpu" ] && cpu=$used
    if [ -n "$out" ]; then
      read -r parts size own base_rss comp_rss <<END
$out
END
      [ "$own" -lt "$inner" ] && inner=$own
      [ "$comp_rss" -gt "$comp" ] && comp=$comp_rss
    else
      parts=1
      size=$(wc -c <"$dir/out.gz")
    fi
  done
  if [ "$label" = "gzip -9" ]; then
    base=$best
    base_cpu=$cpu
  fi
  ratio=$(awk "BEGIN{printf \"%.2f\", $base/$best}")
  printf '%-22s %6d ms %4d MiB/s %sx gzip -9 (CPU %d ms, %sx), %4d parts, %s compressed, peak RSS %3d MiB' \
    "$label" "$best" $((mib * 1000 / best)) "$ratio" "$cpu" \
    "$(awk "BEGIN{printf \"%.2f\", $base_cpu/$cpu}")" "$parts" \
    "$(awk "BEGIN{printf \"%.1f%%\", 100*$size/($mib*1048576)}")" "$rss"
  if [ "$inner" -lt 999999999 ]; then
    printf ' (+%d, compressing %d); in-process %d ms %sx' $((rss - base_rss)) "$comp" "$inner" \
      "$(awk "BEGIN{printf \"%.2f\", $base/$inner}")"
  fi
  echo
  mibs=$(awk "BEGIN { printf \"%.1f\", $mib * 1000 / $best }")
  [ "$label" = "gzip -9" ] && gzip_mibs=$mibs
  case $label in
    "LogArchiver (deno)")
      bench_result logging "archive $mib MiB, Deno" "$mibs" MiB/s true 1.8 "$gzip_mibs" "gzip -9"
      bench_result logging "peak RSS while compressing, Deno" "$comp" MiB false 64
      bench_result logging "peak RSS, whole run, Deno" "$rss" MiB false 64
      ;;
    "reuseContent (deno)")
      bench_result logging "peak RSS, whole run, reuseContent, Deno" "$rss" MiB false 64
      ;;
    "LogArchiver (node)")
      bench_result logging "archive $mib MiB, Node" "$mibs" MiB/s true 0.9 "$gzip_mibs" "gzip -9"
      ;;
  esac
}

echo "archive $mib MiB of text log ($(gzip --version | head -n1); deno $(deno --version | head -n1 | cut -d' ' -f2); node $($node --version))"
run "gzip -9" sh -c 'gzip -9 -c "$1" >"$2"' gzip "$file" "$dir/out.gz"
run "LogArchiver (deno)" deno run --allow-read --allow-write --allow-env \
  bench/compare/_logging_archive.ts "$file" "$dir"
run "reuseContent (deno)" deno run --allow-read --allow-write --allow-env \
  bench/compare/_logging_archive.ts "$file" "$dir" --reuse
run "createGzip pipe (deno)" deno run --allow-read --allow-write --allow-env \
  bench/compare/_logging_archive.ts "$file" "$dir" --pipe
run "zlib floor (deno)" deno run --allow-read --allow-write --allow-env \
  bench/compare/_logging_archive.ts "$file" "$dir" --floor
run "LogArchiver (node)" "$node" bench/compare/_logging_archive.ts "$file" "$dir"
run "reuseContent (node)" "$node" bench/compare/_logging_archive.ts "$file" "$dir" --reuse
run "createGzip pipe (node)" "$node" bench/compare/_logging_archive.ts "$file" "$dir" --pipe
run "zlib floor (node)" "$node" bench/compare/_logging_archive.ts "$file" "$dir" --floor
