#!/usr/bin/env bash
# Esc leaves the line editor promptly (short ESCDELAY), nothing changes.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
tui_wait "Loaded ticket 900" >/dev/null
tui_keys / T i t l e Enter Enter
tui_keys -l "xyz"
tui_wait "Editing Title" >/dev/null
t0=$(date +%s%N)
tui_keys Escape
check "Esc cancels the edit (within 1 s)" tui_wait "Edit cancelled" 1
t1=$(date +%s%N)
show "Esc to screen update: $(( (t1 - t0) / 1000000 )) ms (incl. tmux polling)"
check "value unchanged" tui_wait " Title                  VPN drops every 10 minutes"
check "not modified" tui_wait " 0 modified"
tui_keys q
check_eq "exit 0" 0 "$(tui_exit)"
