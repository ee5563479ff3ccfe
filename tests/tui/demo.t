#!/usr/bin/env bash
# make demo (tools/demo): ticketd starts on a free loopback port with the
# sample data; the demo prints its URL, that it needs no credentials and a
# ready curl line that changes ticket 900 (run here as printed), waits for
# Enter, the editor opens ticket 900 in a real terminal, and ticketd is
# stopped (and its temp directory removed) when the editor exits.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
check "make demo runs tools/demo" bash -c "sed -n '/^demo:/,/^\$/p' '$TOP/Makefile' | grep -q 'tools/demo'"
tui_start "BUILD=$BUILD $TOP/tools/demo"
check "the demo says where the service is" tui_wait "service:      http://127.0.0.1:" 10
check "... that it needs no credentials" tui_wait "credentials:  none"
check "... and waits for Enter" tui_wait "Press Enter to open ticket 900"
# the curl line it prints, run as printed: a colleague's change, before the editor opens
cmd=$(tui_screen | tr -d '\n' | sed -n "s/.*\(curl -X PATCH .*Ticket\/900\).*/\1/p")
check "it prints a ready curl line for ticket 900" grep -q '^curl -X PATCH .*http://127.0.0.1:[0-9]*/api/v1/Ticket/900$' <<<"$cmd"
eval "$cmd" >/dev/null 2>&1
tui_keys Enter
check "the form opens on ticket 900" tui_wait "Loaded ticket 900" 10
check "the curl line changed the ticket" tui_wait " Ticket 900: Changed by a colleague"
pane=$(tmux display -p -t "$TMUX_S" '#{pane_pid}')
demo=$(pgrep -P "$pane" -f tools/demo | head -1)
td=$(pgrep -P "$demo" -x ticketd | head -1)
ed=$(pgrep -P "$demo" -x ticketed | head -1)
check "ticketd runs under the demo" [ -n "$td" ]
args=$(ps -o args= -p "$ed")
url=$(sed -n 's/.*--url \(http:[^ ]*\).*/\1/p' <<<"$args")
check "the editor talks to a loopback port" grep -qE '^http://127\.0\.0\.1:[1-9][0-9]*/api/v1$' <<<"$url"
tdargs=$(ps -o args= -p "$td")
check "ticketd serves the sample data" grep -qF -- "--data $TOP/tests/data/service" <<<"$tdargs"
tmp=$(sed -n 's/.*--port-file \([^ ]*\)\/port.*/\1/p' <<<"$tdargs")
check_eq "ticketd answers on that port" 900 \
  "$(curl -s "$url/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["TicketId"])')"
tui_keys q
check_eq "q exits 0" 0 "$(tui_exit)"
for _ in $(seq 1 300); do kill -0 "$td" 2>/dev/null || break; nap 0.05; done
check "ticketd stopped when the editor exited" bash -c "! kill -0 $td 2>/dev/null"
check "the port is closed" bash -c "! curl -s -m 2 -o /dev/null '$url/Ticket/900'"
check "the demo's temp directory is removed" bash -c "[ -n '$tmp' ] && [ ! -e '$tmp' ]"
check "stty restored" stty_same
