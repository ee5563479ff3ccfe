#!/usr/bin/env bash
# The ticket picker in a real terminal (tmux): `ticketed` without a
# TICKET_ID, typing an id, `o` from a ticket, Esc back, recent tickets in
# the next session, and the terminal restored.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1

tui_start "XDG_STATE_HOME=$XDG_STATE_HOME $TICKETED --url $TD_URL"
check "no TICKET_ID: the picker" tui_wait " Open a ticket"
check "... my open tickets, from the service" tui_wait "900   VPN drops every 10 minutes"
check "... no recent tickets yet" tui_wait "None yet on this service"
tui_keys 4 7 1 1
check "typing goes to the search box" tui_wait "Search: 4711"
tui_keys Enter
check "an id opens that ticket" tui_wait " Ticket 4711: Printer on 3rd floor prints blank pages"
tui_keys '?' NPage
check "help names o" tui_wait "Open another ticket: the ticket picker"
tui_keys G
check "... and lists the picker's keys" tui_wait "Ticket picker (ticketed without TICKET_ID, or o)"
tui_keys Escape
tui_keys o
check "o: the picker over the ticket" tui_wait " Open a ticket"
check "... Esc goes back (the status says so)" tui_wait "Esc goes back"
tui_keys Escape
check "Esc: back on the ticket" tui_wait " Ticket 4711: Printer"
tui_keys q
check_eq "q: exit 0" 0 "$(tui_exit)"
check "stty settings restored" stty_same
tmux kill-session -t "$TMUX_S" 2>/dev/null

tui_start "XDG_STATE_HOME=$XDG_STATE_HOME $TICKETED --url $TD_URL"
check "the next session lists it under recent tickets" tui_wait "4711   Printer on 3rd floor prints blank pages"
tui_keys Down Enter
check "Down goes from my open ticket to the recent one; Enter opens it" tui_wait " Ticket 4711: Printer"
tui_keys o
check "the picker again" tui_wait " Open a ticket"
tui_keys -l "vpn"
tui_keys Enter
check "a search" tui_wait 'Search: "vpn"'
check "... finds 900" tui_wait "1 ticket found"
tui_keys Enter
check "Enter opens the result" tui_wait " Ticket 900: VPN drops"
tui_keys q
check_eq "q: exit 0" 0 "$(tui_exit)"
check "stty settings restored" stty_same
tmux kill-session -t "$TMUX_S" 2>/dev/null

tui_start "XDG_STATE_HOME=$XDG_STATE_HOME $TICKETED --url $TD_URL"
check "the picker once more" tui_wait " Open a ticket"
tui_keys Escape
check_eq "Esc with nothing loaded quits: exit 0" 0 "$(tui_exit)"
check "stty settings restored" stty_same
