#!/usr/bin/env bash
# Our FileServer (on Deno, and on Node 24) beside nginx and `npx http-server`,
# all serving the same directory, measured with wrk in the same run:
#   - a 4 KiB file: requests per second (wrk -t2 -c32);
#   - a 256 MiB file: throughput (wrk -t2 -c32).
# Each server gets ROUNDS interleaved runs of DURATION seconds per file; the
# median is reported, with the ratio to nginx. Every server gets the same wrk
# settings. nginx runs Debian's default configuration: /etc/nginx/nginx.conf
# as installed (`worker_processes auto`, sendfile, access log, gzip) and the
# default site, with only the pid file and logs moved to the temporary
# directory and the site's port and root set to ours.
# Our server runs on Deno with the permissions it needs (read, net) and on
# Node 24.
#
# Needs: wrk, nginx (Debian `wrk`, `nginx-light`), deno, npx; Node 24 from
# $NODE24 (optional, its row is skipped without it).
# Then one BENCH-RESULT line per goal (bench/README.md): at least 0.6x nginx on the 4 KiB file
# and 0.8x on the 256 MiB file, and ahead of http-server on both.
# Usage: bench/compare/fileserver.sh   (ROUNDS=3 DURATION=8 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/_result.sh
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8}
for tool in wrk nginx deno npx; do
  command -v "$tool" >/dev/null || { echo "fileserver.sh: $tool is required" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  # Each server runs in its own session (setsid), so its whole group is ended.
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root" "$work/nginx"
# nginx workers run as an unprivileged user when started as root.
chmod 755 "$work"
head -c 4096 /dev/urandom >"$work/root/small.bin"
head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/root/large.bin"

free_port() { deno eval 'const l = Deno.listen({ hostname: "127.0.0.1", port: 0 }); console.log(l.addr.port); l.close();'; }
wait_url() {
  for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "fileserver.sh: $1 did not come up" >&2
  exit 1
}

declare -A URL SID
names=()

port=$(free_port)
grep -q '^\s*include /etc/nginx/sites-enabled/\*;' /etc/nginx/nginx.conf ||
  { echo "fileserver.sh: /etc/nginx/nginx.conf is not Debian's default" >&2; exit 1; }
sed -e "s|^pid .*|pid $work/nginx/nginx.pid;|" -e "s|/var/log/nginx/|$work/nginx/|g" \
  -e "s|include /etc/nginx/sites-enabled/\*;|include $work/nginx/site.conf;|" \
  /etc/nginx/nginx.conf >"$work/nginx/nginx.conf"
# Debian's default site (sites-available/default) on our port and root.
cat >"$work/nginx/site.conf" <<EOF
server {
  listen 127.0.0.1:$port default_server;
  root $work/root;
  index index.html index.htm index.nginx-debian.html;
  server_name _;
  location / { try_files \$uri \$uri/ =404; }
}
EOF
setsid nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g "daemon off;" &
pids+=($!)
SID[nginx]=$!
URL[nginx]="http://127.0.0.1:$port/"
names+=(nginx)

port=$(free_port)
setsid deno run --allow-read --allow-net=127.0.0.1 bench/compare/_fileserver_serve.ts "$work/root" "$port" >/dev/null &
pids+=($!)
SID[ours-deno]=$!
URL[ours-deno]="http://127.0.0.1:$port/"
names+=(ours-deno)

if [ -n "${NODE24:-}" ]; then
  port=$(free_port)
  setsid "$NODE24" bench/compare/_fileserver_serve.ts "$work/root" "$port" >/dev/null &
  pids+=($!)
  SID[ours-node]=$!
URL[ours-node]="http://127.0.0.1:$port/"
  names+=(ours-node)
fi

# The floor of the runtime: Deno.serve answering every request with a clone of
# one prepared Response holding the 4 KiB file's bytes, without reading the
# request or the file system (small file only).
port=$(free_port)
setsid deno eval "const ready = new Response(Deno.readFileSync('$work/root/small.bin'),
    { headers: { 'content-type': 'application/octet-stream' } });
  Deno.serve({ port: $port, hostname: '127.0.0.1', onListen() {} }, () => ready.clone());" &
pids+=($!)
SID[deno-floor]=$!
URL[deno-floor]="http://127.0.0.1:$port/"
names+=(deno-floor)

port=$(free_port)
setsid npx -y http-server@14 "$work/root" -a 127.0.0.1 -p "$port" -s -c-1 >/dev/null 2>&1 &
pids+=($!)
SID[http-server]=$!
URL[http-server]="http://127.0.0.1:$port/"
names+=(http-server)

for name in "${names[@]}"; do wait_url "${URL[$name]}small.bin"; done
load_before=$(cut -d" " -f1-3 /proc/loadavg)

# CPU time used so far by every process of a server's session, in clock ticks.
cpu_ticks() {
  local total=0 pid
  for pid in $(pgrep -s "$1"); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# Prints requests/s and server CPU microseconds per request, or MiB/s, of one wrk run.
measure() {
  local url=$1 connections=$2 field=$3 sid=$4 out before after
  before=$(cpu_ticks "$sid")
  out=$(wrk -t2 -c"$connections" -d"${DURATION}s" --timeout 60s "$url")
  after=$(cpu_ticks "$sid")
  if [ "$field" = rps ]; then
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
      /requests in/ { n = $1 }
      /^Requests\/sec/ { r = $2 }
      END { printf "%d %.1f\n", r, ticks * 1e6 / hz / n }' <<<"$out"
  else
    awk '/^Transfer\/sec/ {
      v = $2; u = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2)
      f = u == "GB" ? 1024 : u == "MB" ? 1 : u == "KB" ? 1 / 1024 : 1 / 1048576
      printf "%d\n", n * f }' <<<"$out"
  fi
}
# Rows measured on the small file only.
small_only() { [ "$1" = deno-floor ]; }
median() { xargs -n1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) print "-"; else printf "%.2f", a / b }'; }

conns=32
declare -A RESULT CPU
declare -A cpus=()
for test in small large; do
  if [ $test = small ]; then file=small.bin field=rps; else file=large.bin field=mbps; fi
  declare -A runs=()
  for name in "${names[@]}"; do
    small_only "$name" && [ $test = large ] && continue
    wrk -t2 -c"$conns" -d1s --timeout 60s "${URL[$name]}$file" >/dev/null
  done
  for _ in $(seq "$ROUNDS"); do
    for name in "${names[@]}"; do
      small_only "$name" && [ $test = large ] && continue
      read -r value cpu < <(measure "${URL[$name]}$file" "$conns" "$field" "${SID[$name]}")
      runs[$name]="${runs[$name]:-} $value"
      [ $test = small ] && cpus[$name]="${cpus[$name]:-} $cpu"
    done
  done
  for name in "${names[@]}"; do RESULT[$test,$name]=$(median <<<"${runs[$name]:-0}"); done
  [ $test = small ] && for name in "${names[@]}"; do CPU[$name]=$(median <<<"${cpus[$name]}"); done
  unset runs
done

echo "wrk -t2 -c32, median of $ROUNDS x ${DURATION}s; load average before: $load_before, after: $(cut -d" " -f1-3 /proc/loadavg)"
echo "CPU: server CPU time per 4 KiB request (all processes of the server)"
printf '| %-15s | %12s | %8s | %8s | %14s | %8s |\n' server "4 KiB req/s" "x nginx" "CPU us" "256 MiB MiB/s" "x nginx"
printf '| %-15s | %12s | %8s | %8s | %14s | %8s |\n' --------------- ------------ -------- -------- -------------- --------
for name in "${names[@]}"; do
  s=${RESULT[small,$name]} l=${RESULT[large,$name]}
  [ "$l" = 0 ] && lshow=- || lshow=$l
  printf '| %-15s | %12s | %8s | %8s | %14s | %8s |\n' "$name" "$s" "$(ratio "$s" "${RESULT[small,nginx]}")" \
    "${CPU[$name]}" "$lshow" "$(ratio "$l" "${RESULT[large,nginx]}")"
done

for name in ours-deno ours-node; do
  [ -n "${RESULT[small,$name]:-}" ] || continue
  runtime=$([ $name = ours-deno ] && echo Deno || echo Node)
  for peer in nginx http-server; do
    goals=$([ $peer = nginx ] && echo "0.6 0.8" || echo "1 1")
    bench_result fileserver "4 KiB file, $runtime" "${RESULT[small,$name]}" req/s true \
      "${goals% *}" "${RESULT[small,$peer]}" "$peer"
    bench_result fileserver "256 MiB file, $runtime" "${RESULT[large,$name]}" MiB/s true \
      "${goals#* }" "${RESULT[large,$peer]}" "$peer"
  done
done
