#!/usr/bin/env bash
# ticketd serialises updates: 50 clients x 20 guarded increments on one
# ticket (GET, test AlertLevel = read value, replace by one more). The value
# must grow by exactly the number of 200s; every other answer is a 409.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
HAMMER=$BUILD/tools/server_hammer
[ -x "$HAMMER" ] || { not_ok "server_hammer is built ($HAMMER)"; exit 1; }
start_ticketd || exit 1

req GET /Ticket/4711; start=$(jv 'd["AlertLevel"]'); lc0=$(jv 'd["LastChanged"]')
out=$(timeout 120 "$HAMMER" "$TD_URL" 4711 50 20); rc=$?
echo "# $out"
check_eq "every request was answered" 0 "$rc"
ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$out")
conflict=$(sed -n 's/.*conflict=\([0-9]*\).*/\1/p' <<<"$out")
other=$(sed -n 's/.*other=\([0-9]*\).*/\1/p' <<<"$out")
check_eq "1000 PATCHes: each a 200 or a 409" 1000 $((ok + conflict))
check_eq "no other status" 0 "$other"
check "at least one increment succeeded" test "$ok" -gt 0
req GET /Ticket/4711
check_eq "AlertLevel grew by exactly the number of 200s ($ok)" $((start + ok)) "$(jv 'd["AlertLevel"]')"
check "LastChanged moved" test "$(jv 'd["LastChanged"]')" != "$lc0"
td_log_sync
check_eq "the log has one line per request" $((2 * 1000 + 2)) "$(grep -c 'Ticket/4711' "$TD_LOG")"
show "concurrency: 50 clients x 20 guarded increments: $ok applied, $conflict conflicts (409)"

# readers during writes always see a whole ticket
( for _ in $(seq 1 100); do curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json' \
    --data-binary '{"CustomFields":{"x_floor":"[I:5]"}}' "$TD_URL/Ticket/4711"; \
    curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json' \
    --data-binary '{"CustomFields":{"x_floor":"[I:6]"}}' "$TD_URL/Ticket/4711"; done ) &
writer=$!
bad=0
for _ in $(seq 1 100); do
  curl -s -o "$BODY_FILE" "$TD_URL/Ticket/4711"
  [ "$(jv 'd["TicketId"] == 4711 and d["CustomFields"]["x_floor"] in ("[I:3]", "[I:5]", "[I:6]")')" = True ] || bad=$((bad + 1))
done
wait $writer
check_eq "100 GETs during 200 PATCHes: each a whole, consistent ticket" 0 "$bad"
stop_clean
