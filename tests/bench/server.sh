#!/usr/bin/env bash
# ticketd throughput on loopback: GET and PATCH requests per second with 8
# concurrent clients (wrk, 8 connections, 2 threads), p50/p99 latency.
# Figures only, never asserted. BENCH_SECONDS (default 5) per run.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
TICKETD=${TICKETD:-$BUILD/bin/ticketd}
secs=${BENCH_SECONDS:-5}
command -v wrk >/dev/null || { echo "wrk not installed (make deps)"; exit 0; }
tmp=$(mktemp -d /tmp/ticketd-bench.XXXXXX)
"$TICKETD" --port 0 --port-file "$tmp/port" 2>"$tmp/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { cat "$tmp/err"; exit 1; }
base=http://127.0.0.1:$(cat "$tmp/port")/api/v1

cat >"$tmp/patch.lua" <<'LUA'
-- each request changes AlertLevel (an effective change, LastChanged bumped)
local n = 0
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json-patch+json"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '[{"op":"replace","path":"/AlertLevel","value":' .. n .. '}]')
end
LUA
cat >"$tmp/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  %-28s %9.0f req/s   p50 %7.3f ms   p99 %7.3f ms   errors %d\n",
    label, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
run() {  # label url [lua]
  local label=$1 url=$2 lua=${3:-}
  { [ -n "$lua" ] && cat "$lua"; echo "label = \"$label\""; cat "$tmp/report.lua"; } >"$tmp/run.lua"
  wrk -t2 -c8 -d"${secs}s" -s "$tmp/run.lua" "$url" | grep 'req/s'
}
echo "ticketd on loopback, 8 connections, ${secs}s each ($(nproc) cores)"
run "GET /Ticket/900" "$base/Ticket/900"
run "GET /Ticket/900 \$select" "$base/Ticket/900?\$select=Title,AlertLevel"
run "GET /MDOList/associate" "$base/MDOList/associate"
run "PATCH /Ticket/900 (replace)" "$base/Ticket/900" "$tmp/patch.lua"
run "GET /Ticket/950 (5000 msgs)" "$base/Ticket/950"
