#!/usr/bin/env bash
# ticketd under a slowloris: one client holds 1,100 connections that never
# finish their request header (a byte every 25 s) — more than the 1,020 a
# thread-per-connection daemon could hold — and an honest client still gets
# its answer within a second. Connections silent for --conn-timeout are
# closed; --per-ip-limit refuses connections over the limit at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
SLOW=$BUILD/tools/server_slowloris
[ -x "$SLOW" ] || { not_ok "server_slowloris is built ($SLOW)"; exit 1; }

# wait_line FILE REGEX SECONDS — until FILE has a line matching REGEX (bounded)
wait_line() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -Eq "$2" "$1" 2>/dev/null && return 0; nap 0.1; done
  return 1
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$1" | tail -1; }

# --- 1,100 slow connections, one honest client on the same address
start_ticketd || exit 1
"$SLOW" 127.0.0.1 "$TD_PORT" 1100 25 8 >"$T_TMP/slow.out" 2>&1 &
spid=$!
at_exit "kill $spid"
wait_line "$T_TMP/slow.out" '^ready' 60
check "the slow client opened 1,100 connections" grep -q '^ready opened=1100 failed=0' "$T_TMP/slow.out"
out=$(curl -s -o "$BODY_FILE" -w '%{http_code} %{time_total}' --max-time 10 "$TD_URL/Ticket/900")
check_eq "a normal GET meanwhile: 200" 200 "${out% *}"
check "…within a second (it took ${out#* } s)" "$PY" -c "import sys; sys.exit(not ${out#* } < 1.0)"
patch /Ticket/4711 application/json '[{"op":"replace","path":"/AlertLevel","value":3}]'
check_eq "a PATCH meanwhile: 200" 200 "$CODE"
wait_line "$T_TMP/slow.out" '^done' 30
check_eq "ticketd held every slow connection (none refused or dropped within 8 s)" 0 \
  "$(field "$T_TMP/slow.out" closed_by_server)"
wait "$spid" 2>/dev/null
check "the slow connections left no lines in the log (they never sent a request)" \
  bash -c "! grep -q 'X-Slow\\|- 0 ' '$TD_LOG'"
stop_clean

# --- a connection silent for --conn-timeout is closed, also in its header
start_ticketd --conn-timeout 2 || exit 1
"$SLOW" 127.0.0.1 "$TD_PORT" 50 25 30 >"$T_TMP/slow2.out" 2>&1 &
spid=$!
at_exit "kill $spid"
wait_line "$T_TMP/slow2.out" '^done' 40
check_eq "--conn-timeout 2: all 50 slow connections closed by ticketd" 50 "$(field "$T_TMP/slow2.out" closed_by_server)"
check "…after about 2 s, long before their next byte at 25 s (the last after $(field "$T_TMP/slow2.out" max_seconds_to_close) s)" \
  "$PY" -c "import sys; sys.exit(not float('$(field "$T_TMP/slow2.out" max_seconds_to_close)') < 10)"
req GET /Ticket/900; check_eq "ticketd answers afterwards" 200 "$CODE"
stop_clean

# --- --per-ip-limit: connections over the limit are closed at once
start_ticketd --per-ip-limit 8 || exit 1
"$SLOW" 127.0.0.1 "$TD_PORT" 20 25 3 >"$T_TMP/slow3.out" 2>&1 &
spid=$!
at_exit "kill $spid"
wait_line "$T_TMP/slow3.out" '^ready' 30
curl -s -o /dev/null --max-time 5 "$TD_URL/Ticket/900"; rc=$?
check "…an honest client on the same address is refused too while 8 are held (why loopback has no per-IP limit by default)" \
  test "$rc" -ne 0
wait_line "$T_TMP/slow3.out" '^done' 30
check_eq "--per-ip-limit 8: 12 of 20 connections from one address closed at once" 12 \
  "$(field "$T_TMP/slow3.out" closed_by_server)"
wait "$spid" 2>/dev/null
req GET /Ticket/900; check_eq "once they are gone: 200" 200 "$CODE"
stop_clean
