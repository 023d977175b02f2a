#!/bin/sh
# A 1 GiB download from nginx (Debian nginx-light, started here on 127.0.0.1 with its own config,
# stopped at the end): our HttpDownloader (Deno and Node 24) beside `curl -o`, same file, same run.
# Each round runs every tool once, in turn (ROUNDS, default 5): prints the best and median wall
# time (process start to exit), throughput, the median of the per-round ratios to curl, and the
# highest peak RSS. "verify" runs hash the content while writing (the default for an OCI digest);
# curl does not hash, so "curl -o, then sha256sum" is the peer that gives the same guarantee. Then one download through a proxy that resets the connection at 50%:
# bytes sent by the server beyond the file size (the cost of resuming).
# Usage: sh bench/compare/downloader.sh [size-in-MiB]   (NODE24 selects the Node binary)
# Needs: nginx (apt-get install nginx-light), curl, GNU time (/usr/bin/time).
set -eu
cd "$(dirname "$0")/../.."
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
dest="$work/out/blob"
# measure <cmd...>: runs one download; sets ms and rss, checks the file.
measure() {
  rm -f "$dest" "$dest.meta.json"
  sync
  t0=$(now_ms)
  /usr/bin/time -f %M -o "$work/time" "$@" >/dev/null
  t1=$(now_ms)
  ms=$((t1 - t0))
  rss=$(($(cat "$work/time") / 1024))
  [ "$(stat -c %s "$dest")" = "$size" ] || { echo "$*: wrong size" >&2; exit 1; }
  [ "sha256:$(sha256sum "$dest" | cut -d' ' -f1)" = "$digest" ] || { echo "$*: wrong content" >&2; exit 1; }
}

perms="--allow-read --allow-write --allow-net=127.0.0.1 --allow-env"
labels="curl|curl-sha|deno-verify|deno|node-verify"
names="curl -o|curl -o, then sha256sum|HttpDownloader verify (deno)|HttpDownloader (deno)|HttpDownloader verify (node)"
echo "$mib MiB from nginx $("$nginx" -v 2>&1 | cut -d/ -f2) on 127.0.0.1" \
  "($(curl --version | head -n1 | cut -d' ' -f1,2); deno $(deno --version | head -n1 | cut -d' ' -f2);" \
  "node $("$node" --version))"
# The machine is shared: the tools take turns in every round, so each round's ratio compares
# runs made under the same load.
rounds=${ROUNDS:-5}
: >"$work/results"
for round in $(seq "$rounds"); do
  for label in curl curl-sha deno-verify deno node-verify; do
    case $label in
      curl) measure curl -sf -o "$dest" "$url" ;;
      curl-sha) measure sh -c 'curl -sf -o "$1" "$2" && sha256sum "$1"' - "$dest" "$url" ;;
      deno-verify) measure deno run $perms bench/compare/_download.ts "$url" "$dest" "$digest" ;;
      deno) measure deno run $perms bench/compare/_download.ts "$url" "$dest" plain ;;
      node-verify) measure "$node" bench/compare/_download.ts "$url" "$dest" "$digest" ;;
    esac
    echo "$round $label $ms $rss" >>"$work/results"
  done
done
awk -v mib="$mib" -v labels="$labels" -v names="$names" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { ms[$2, $1] = $3; rss[$2] = rss[$2] > $4 ? rss[$2] : $4; rounds = $1 > rounds ? $1 : rounds }
  END {
    n = split(labels, l, "|"); split(names, nm, "|")
    printf "%-30s %9s %9s %11s %14s %9s\n", "", "best ms", "median ms", "best MiB/s", "ratio to curl", "peak RSS"
    for (k = 1; k <= n; k++) {
      best = 1e12
      for (r = 1; r <= rounds; r++) {
        t[r] = ms[l[k], r]; q[r] = ms["curl", r] / ms[l[k], r]
        if (t[r] < best) best = t[r]
      }
      printf "%-30s %9d %9d %11d %13.2fx %5d MiB\n", nm[k], best, median(t, rounds), mib * 1000 / best, median(q, rounds), rss[l[k]]
    }
    print "ratio to curl: the median over the rounds of curl time / our time in the same round"
  }' "$work/results"

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
printf 'reset at 50%%: %d connections, %d bytes beyond the file (%s%%, headers included)\n' \
  "$connections" "$extra" "$(awk "BEGIN{printf \"%.4f\", 100*$extra/$size}")"
