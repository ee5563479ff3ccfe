#!/usr/bin/env bash
# Esc while a note's POST is in flight (ticketd answers after 1.5 s but has
# the whole request, so it applies it): the editor cannot know whether it
# arrived, says so, and keeps the note marked; the next C-s reads the
# message list first, finds the note by its MessageId and sends nothing
# again.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" --latency-ms 1500 || exit 1
posts() { grep -c '"*POST /api/v1/TicketMessage ' "$TD_LOG"; }
copies() {
  curl -s "$TD_URL/Ticket/900/Messages?\$select=body" | /usr/bin/python3 -c '
import json, sys
print(sum(r["body"] == sys.argv[1] for r in json.load(sys.stdin)["value"]))' "$1"
}

tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 15
# the custom field definitions are read behind the form; the POST must not queue behind them
for i in $(seq 1 100); do grep -q 'GET /api/v1/Ticket/CustomField ' "$TD_LOG" && break; nap 0.05; done
tui_keys n
check "the screen shows: Internal note on ticket 900" tui_wait "Internal note on ticket 900"
tui_keys -l "Sent, then cancelled."
tui_keys C-s
check "C-s: posting" tui_wait "Posting the note"
tui_keys Escape
check "Esc: says the note may have arrived" tui_wait "Cancelled: the note may have arrived; C-s looks before it sends again"
check "the header says an earlier POST may have arrived" tui_wait "an earlier POST may have arrived"
for i in $(seq 1 100); do [ "$(posts)" -ge 1 ] && [ "$(copies "Sent, then cancelled.")" = 1 ] && break; nap 0.05; done
check_eq "the server applied the cancelled POST" 1 "$(copies "Sent, then cancelled.")"
tui_keys C-s
check "C-s looks first and finds it" tui_wait "Note posted (message 961000: it was there already)" 15
check_eq "no second POST" 1 "$(posts)"
check_eq "on the server once" 1 "$(copies "Sent, then cancelled.")"
tui_keys q
check_eq "exit 0: nothing unposted" 0 "$(tui_exit 10)"
