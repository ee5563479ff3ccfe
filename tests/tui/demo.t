#!/usr/bin/env bash
# make demo (tools/demo): ticketd starts on a free loopback port with the
# sample data, the editor opens ticket 900 in a real terminal, and ticketd is
# stopped (and its temp directory removed) when the editor exits.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
check "make demo runs tools/demo" bash -c "sed -n '/^demo:/,/^\$/p' '$TOP/Makefile' | grep -q 'tools/demo'"
tui_start "BUILD=$BUILD $TOP/tools/demo"
check "the form opens on ticket 900" tui_wait "Loaded ticket 900"
check "with the sample data" tui_wait " Ticket 900: VPN drops every 10 minutes"
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
for _ in $(seq 1 300); do kill -0 "$td" 2>/dev/null || break; sleep 0.05; done
check "ticketd stopped when the editor exited" bash -c "! kill -0 $td 2>/dev/null"
check "the port is closed" bash -c "! curl -s -m 2 -o /dev/null '$url/Ticket/900'"
check "the demo's temp directory is removed" bash -c "[ -n '$tmp' ] && [ ! -e '$tmp' ]"
check "stty restored" stty_same
