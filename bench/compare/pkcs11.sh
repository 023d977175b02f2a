#!/bin/sh
# RSA-2048 and ECDSA P-256 signatures per second on one SoftHSM2 token: our
# Pkcs11PrivateKey.sign (Deno FFI) beside a C program calling
# the same module's C_SignInit + C_Sign in a loop (bench/compare/pkcs11_sign.c,
# built here with cc), one signature at a time and four in flight on four
# sessions. "ours" is the default (a key the module answers within 1 ms signs on
# the calling thread while nothing else is in flight); "nonblocking" forces every
# C_SignInit and C_Sign onto the worker thread (inlineLimitMs 0). The contenders take turns, each
# keeps its best of the rounds.
# Then one BENCH-RESULT line per goal (bench/README.md): "ours" at least 0.75x the C figure one
# signature at a time, 0.9x with four in flight.
# With "pool" as third argument it then measures, RSA-2048 only, the Web Worker
# designs of _pkcs11_pool.ts beside the C loop (not part of the library; they
# bound what a worker pool could give, BENCHMARKS.md, utils/pkcs11).
# Usage: sh bench/compare/pkcs11.sh [seconds-per-run] [rounds] [pool]
set -eu
cd "$(dirname "$0")/../.."
. bench/compare/_result.sh
secs=${1:-3}
rounds=${2:-3}
pool=${3:-}
module=${PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
work=$(mktemp -d "${TMPDIR:-/tmp}/pkcs11-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

cc -O2 -o "$work/pkcs11_sign" bench/compare/pkcs11_sign.c -ldl -lpthread
mkdir "$work/tokens"
cat >"$work/softhsm2.conf" <<EOF
directories.tokendir = $work/tokens/
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF
export SOFTHSM2_CONF="$work/softhsm2.conf"
softhsm2-util --init-token --free --label bench --so-pin 4321 --pin 1234 >/dev/null
deno_run="deno run --allow-ffi --allow-read --allow-env bench/compare/_pkcs11_sign.ts"
$deno_run setup "$module" bench 1234

best() { # best <file> <value>
  [ "$2" -gt "$(cat "$1" 2>/dev/null || echo 0)" ] && echo "$2" >"$1"
  return 0
}
i=0
while [ "$i" -lt "$rounds" ]; do
  for key in rsa ec; do
    for n in 1 4; do
      best "$work/c.$key.$n" "$("$work/pkcs11_sign" "$module" bench 1234 "$key" "$key" "$secs" "$n")"
      best "$work/deno.$key.$n" "$($deno_run sign "$module" bench 1234 "$key" "$secs" "$n")"
      best "$work/nb.$key.$n" "$(INLINE_LIMIT_MS=0 $deno_run sign "$module" bench 1234 "$key" "$secs" "$n")"
    done
  done
  i=$((i + 1))
done

echo "signatures/s on SoftHSM $(softhsm2-util --version), best of $rounds x ${secs} s" \
  "(deno $(deno --version | head -n1 | cut -d' ' -f2); load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-12s %-10s %8s %8s %6s %12s %6s\n' key in-flight C ours ratio nonblocking ratio
for key in rsa ec; do
  for n in 1 4; do
    c=$(cat "$work/c.$key.$n")
    d=$(cat "$work/deno.$key.$n")
    b=$(cat "$work/nb.$key.$n")
    name=$([ "$key" = rsa ] && echo RSA-2048 || echo "ECDSA P-256")
    printf '%-12s %-10s %8s %8s %6s %12s %6s\n' "$name" "$n" "$c" "$d" \
      "$(awk "BEGIN{printf \"%.2f\", $d/$c}")" "$b" "$(awk "BEGIN{printf \"%.2f\", $b/$c}")"
  done
done
if [ "$pool" = pool ]; then
  pool_run="deno run --allow-ffi --allow-read --allow-env bench/compare/_pkcs11_pool.ts"
  echo "RSA-2048 signatures/s, Web Workers each signing inline on its own session, beside the C loop"
  printf '%-44s %8s %8s %6s\n' design C ours ratio
  for n in 2 4; do
    c=$("$work/pkcs11_sign" "$module" bench 1234 rsa rsa "$secs" "$n")
    d=$($pool_run loop "$module" bench 1234 rsa "$secs" "$n")
    printf '%-44s %8s %8s %6s\n' "$n workers, no message per signature" "$c" "$d" \
      "$(awk "BEGIN{printf \"%.2f\", $d/$c}")"
  done
  c=$("$work/pkcs11_sign" "$module" bench 1234 rsa rsa "$secs" 4)
  for n in 2 4; do
    d=$($pool_run serve "$module" bench 1234 rsa "$secs" "$n" 4)
    printf '%-44s %8s %8s %6s\n' "$n workers, 4 in flight handed out by postMessage" "$c" "$d" \
      "$(awk "BEGIN{printf \"%.2f\", $d/$c}")"
  done
fi
for key in rsa ec; do
  for n in 1 4; do
    name=$([ "$key" = rsa ] && echo RSA-2048 || echo "ECDSA P-256")
    goal=$([ "$n" = 1 ] && echo 0.75 || echo 0.9)
    bench_result utils/pkcs11 "$name signatures, $n in flight, SoftHSM2" "$(cat "$work/deno.$key.$n")" \
      "sig/s" true "$goal" "$(cat "$work/c.$key.$n")" "C loop"
  done
done
