#!/usr/bin/env bash
# A service that pushes back (throttling, maintenance): the editor waits as Retry-After
# says and shows the countdown in the status line, for the load and for a
# save; the save is applied once.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"

# a throttled save: requests GET, GET Ticket/CustomField, PATCH (429, Retry-After: 3), PATCH
start_ticketd --data "$TOP/tests/data/service" --fault throttle=3 --fault retry-after=3 || exit 1
tui_start "$TICKETED --url $TD_URL 4711"
check "the ticket loads" tui_wait "Loaded ticket 4711"
tui_keys / T i t l e Enter
tui_keys Enter C-u
tui_keys -l "Stored after a wait"
tui_keys Enter s
check "the countdown shows while the save waits" tui_wait "HTTP 429: the service asks to wait; retrying in"
check "then it is saved" tui_wait " 0 modified" 10
got=$(curl -s "$TD_URL/Ticket/4711" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])')
check_eq "the server has it" "Stored after a wait" "$got"
check_eq "one PATCH refused (429), one applied (200)" "1 1" \
  "$(grep -c 'PATCH /api/v1/Ticket/4711 429 ' "$TD_LOG") $(grep -c 'PATCH /api/v1/Ticket/4711 200 ' "$TD_LOG")"
tui_keys q
check_eq "exit status 0" 0 "$(tui_exit)"
tmux kill-session -t "$TMUX_S" 2>/dev/null
stop_ticketd

# a tenant in maintenance for the first two requests (503, Retry-After: 2)
start_ticketd --data "$TOP/tests/data/service" --fault maintenance=2 --fault retry-after=2 || exit 1
TMUX_S=tkt$$_$RANDOM
tui_start "$TICKETED --url $TD_URL 4711"
check "the load waits with a countdown" tui_wait "HTTP 503: the service asks to wait; retrying in"
check "and the ticket opens when the tenant is back" tui_wait "Loaded ticket 4711" 10
tui_keys q
check_eq "exit status 0" 0 "$(tui_exit)"
