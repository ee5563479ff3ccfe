#!/usr/bin/env bash
# Open, edit, save and quit in a real terminal; the terminal is restored.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "form shows the ticket" tui_wait "Loaded ticket 900"
check "header and sections" tui_wait " Ticket 900: VPN drops every 10 minutes"
tui_keys / T i t l e Enter
tui_keys Enter C-u
tui_keys -l "Printer on fire"
check "line editor shows the typed text" tui_wait "Printer on fire"
tui_keys Enter
check "modified row marked" tui_wait "*Title                  Printer on fire"
check "header counts the edit" tui_wait " 1 modified"
tui_keys s
check "saved" tui_wait "Saved"
check "header back to 0 modified" tui_wait " 0 modified"
got=$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])')
check_eq "server has the new title" "Printer on fire" "$got"
tui_keys q
check_eq "exit status 0 after q" 0 "$(tui_exit)"
check "stty settings restored after q" stty_same
