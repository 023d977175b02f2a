#!/bin/sh
# A 1 GiB download from nginx (Debian nginx-light, started here on 127.0.0.1 with its own config,
# stopped at the end): our HttpDownloader (Deno and Node 24) beside `curl -o`, same file, same run.
# Each round runs every tool once, in turn (ROUNDS, default 5): prints the best and median wall
# time (process start to exit), throughput, the median of the per-round ratios to curl, the
# highest peak RSS, and the median share of the machine's CPU time that was idle during the
# tool's runs (how much room the machine had). "verify" runs hash the content while writing (the
# default for an OCI digest), on the hash worker thread, or on the event loop for "inline"; curl
# does not hash, so "curl -o, then sha256sum" is the peer that gives the same guarantee. Then one
# download through a proxy that resets the connection at 50%: bytes sent by the server beyond the
# file size (the cost of resuming).
# Then one BENCH-RESULT line per goal (bench/README.md): at least 0.9x curl's throughput, peak
# RSS under 100 MiB, under 1 % extra bytes after the reset.
# Usage: sh bench/compare/downloader.sh [size-in-MiB]   (NODE24 selects the Node binary)
# Needs: nginx (apt-get install nginx-light), curl, GNU time (/usr/bin/time).
set -eu
cd "$(dirname "$0")/../.."
. bench/compare/_result.sh
mib=${1:-1024}
node=${NODE24:-node}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/downloader-bench.XXXXXX")
nginx_pid=
proxy_pid=
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$work/root" "$work/tmp" "$work/out"
head -c $((mib * 1024 * 1024)) /dev/urandom >"$work/root/blob"
# nginx started as root serves as nobody: let it read the blob.
chmod a+rx "$work" "$work/root" && chmod a+r "$work/root/blob"
size=$((mib * 1024 * 1024))
digest="sha256:$(sha256sum "$work/root/blob" | cut -d' ' -f1)"

port=$(deno eval 'const l = Deno.listen({ hostname: "127.0.0.1", port: 0 }); console.log(l.addr.port); l.close();')
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$port; root $work/root; }
}
EOF
"$nginx" -c "$work/nginx.conf" -p "$work" -e "$work/error.log" &
nginx_pid=$!
url="http://127.0.0.1:$port/blob"
for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "$url" && break; sleep 0.1; done
curl -sf -o /dev/null -r 0-0 "$url" || { echo "nginx does not serve $url" >&2; exit 1; }
cat "$work/root/blob" >/dev/null

now_ms() { date +%s%3N; }
# cpu_times: "idle total" jiffies of all CPUs so far (idle includes iowait).
cpu_times() { awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
dest="$work/out/blob"
# measure <cmd...>: runs one download; sets ms, rss and idle (percent), checks the file.
measure() {
  rm -f "$dest" "$dest.meta.json"
  sync
  read -r idle0 total0 <<EOF2
$(cpu_times)
EOF2
  t0=$(now_ms)
  /usr/bin/time -f %M -o "$work/time" "$@" >/dev/null
  t1=$(now_ms)
  read -r idle1 total1 <<EOF2
$(cpu_times)
EOF2
  idle=$((100 * (idle1 - idle0) / (total1 - total0 + 1)))
  ms=$((t1 - t0))
  rss=$(($(cat "$work/time") / 1024))
  [ "$(stat -c %s "$dest")" = "$size" ] || { echo "$*: wrong size" >&2; exit 1; }
  [ "sha256:$(sha256sum "$dest" | cut -d' ' -f1)" = "$digest" ] || { echo "$*: wrong content" >&2; exit 1; }
}

perms="--allow-read --allow-write --allow-net=127.0.0.1 --allow-env"
labels="curl|curl-sha|deno-verify|deno-inline|deno|node-verify|node-inline|node"
names="curl -o|curl -o, then sha256sum|verify, hash worker (deno)|verify, inline (deno)|no verify (deno)|verify, hash worker (node)|verify, inline (node)|no verify (node)"
echo "$mib MiB from nginx $("$nginx" -v 2>&1 | cut -d/ -f2) on 127.0.0.1" \
  "($(curl --version | head -n1 | cut -d' ' -f1,2); deno $(deno --version | head -n1 | cut -d' ' -f2);" \
  "node $("$node" --version)); load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
# The machine is shared: the tools take turns in every round, so each round's ratio compares
# runs made under the same load.
rounds=${ROUNDS:-5}
: >"$work/results"
for round in $(seq "$rounds"); do
  for label in $(echo "$labels" | tr '|' ' '); do
    case $label in
      curl) measure curl -sf -o "$dest" "$url" ;;
      curl-sha) measure sh -c 'curl -sf -o "$1" "$2" && sha256sum "$1"' - "$dest" "$url" ;;
      deno-verify) measure deno run $perms bench/compare/_download.ts "$url" "$dest" "$digest" ;;
      deno-inline) measure deno run $perms bench/compare/_download.ts "$url" "$dest" "$digest" inline ;;
      deno) measure deno run $perms bench/compare/_download.ts "$url" "$dest" plain ;;
      node-verify) measure "$node" bench/compare/_download.ts "$url" "$dest" "$digest" ;;
      node-inline) measure "$node" bench/compare/_download.ts "$url" "$dest" "$digest" inline ;;
      node) measure "$node" bench/compare/_download.ts "$url" "$dest" plain ;;
    esac
    echo "$round $label $ms $rss $idle" >>"$work/results"
  done
done
awk -v mib="$mib" -v labels="$labels" -v names="$names" -v summary="$work/summary" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { ms[$2, $1] = $3; rss[$2] = rss[$2] > $4 ? rss[$2] : $4; idle[$2, $1] = $5; rounds = $1 > rounds ? $1 : rounds }
  END {
    n = split(labels, l, "|"); split(names, nm, "|")
    printf "%-30s %9s %9s %11s %14s %9s %5s\n", "", "best ms", "median ms", "best MiB/s", "ratio to curl", "peak RSS", "idle"
    for (k = 1; k <= n; k++) {
      best = 1e12
      for (r = 1; r <= rounds; r++) {
        t[r] = ms[l[k], r]; q[r] = ms["curl", r] / ms[l[k], r]; i[r] = idle[l[k], r]
        if (t[r] < best) best = t[r]
      }
      printf "%-30s %9d %9d %11d %13.2fx %5d MiB %4d%%\n", nm[k], best, median(t, rounds), mib * 1000 / best, median(q, rounds), rss[l[k]], median(i, rounds)
      # For the result lines: label, median ms, peak RSS, ratio to curl.
      printf "%s %d %d %.4f\n", l[k], median(t, rounds), rss[l[k]], median(q, rounds) >summary
    }
    print "ratio to curl: the median over the rounds of curl time / our time in the same round"
  }' "$work/results"
figure() { awk -v label="$1" -v field="$2" '$1 == label { print $field }' "$work/summary"; }
mibs() { awk "BEGIN { printf \"%.1f\", $mib * 1000 / $1 }"; }
curl_mibs=$(mibs "$(figure curl 2)")
for label in deno-verify deno node-verify node; do
  case $label in
    deno-verify) name="verified, hash worker, Deno" ;;
    deno) name="not verified, Deno" ;;
    node-verify) name="verified, hash worker, Node" ;;
    node) name="not verified, Node" ;;
  esac
  bench_result downloader "$mib MiB from nginx, $name" "$(mibs "$(figure "$label" 2)")" MiB/s true \
    0.9 "$curl_mibs" "curl -o" "$(figure "$label" 4)"
done
bench_result downloader "peak RSS, verified, hash worker, Deno" "$(figure deno-verify 3)" MiB false 100
bench_result downloader "peak RSS, verified, hash worker, Node" "$(figure node-verify 3)" MiB false 100

# One reset at 50%: the proxy counts what the server sent; the download resumes with Range.
rm -f "$dest" "$dest.meta.json"
deno run $perms bench/compare/_drop_proxy.ts "$port" $((size / 2)) "$work/stats" >"$work/proxy.port" &
proxy_pid=$!
for _ in $(seq 50); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
proxy_url="http://127.0.0.1:$(cat "$work/proxy.port")/blob"
deno run $perms bench/compare/_download.ts "$proxy_url" "$dest" "$digest" >/dev/null
kill "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true
proxy_pid=
read -r forwarded connections <"$work/stats"
extra=$((forwarded - size))
extra_percent=$(awk "BEGIN{printf \"%.4f\", 100*$extra/$size}")
printf 'reset at 50%%: %d connections, %d bytes beyond the file (%s%%, headers included)\n' \
  "$connections" "$extra" "$extra_percent"
bench_result downloader "bytes beyond the file after a reset at 50 %" "$extra_percent" % false 1
