# Result lines for the shell scripts of bench/compare/ (the convention is in bench/README.md;
# bench/compare/_result.ts is the TypeScript side). Source it, then:
#   bench_result MODULE NAME OURS UNIT HIGHER_IS_BETTER GOAL [PEER PEER_NAME [RATIO]]
# prints one `BENCH-RESULT {json}` line. GOAL is "-" for a figure shown for context; without
# PEER the goal bounds OURS; RATIO defaults to OURS / PEER. Texts must not hold `"` or `\`.
# Its variables start with _br_, as POSIX sh has no local ones.
bench_result() {
  _br_goal=$6
  [ "$_br_goal" = - ] && _br_goal=null
  _br_peer=
  if [ $# -ge 8 ]; then
    _br_ratio=${9:-$(awk "BEGIN { printf \"%.4f\", $3 / $7 }")}
    _br_peer=$(printf ',"peer":%s,"peerName":"%s","ratio":%s' "$7" "$8" "$_br_ratio")
  fi
  printf 'BENCH-RESULT {"module":"%s","name":"%s","ours":%s,"unit":"%s","higherIsBetter":%s,"goal":%s%s}\n' \
    "$1" "$2" "$3" "$4" "$5" "$_br_goal" "$_br_peer"
}
