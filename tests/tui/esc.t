#!/usr/bin/env bash
# Esc leaves the line editor promptly, nothing changes. "Promptly" is the
# editor's own short escape delay: curses waits ESCDELAY ms after an Esc for
# the rest of a key sequence, and the editor sets its own instead of taking
# the terminal's. The test runs it with ESCDELAY=600000 (ten minutes) in the
# environment, which curses would otherwise use: Esc then cancels only if
# the editor set its own delay. A condition, not a measured time.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "ESCDELAY=600000 $TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tui_keys / T i t l e Enter Enter
tui_keys -l "xyz"
check "the line editor holds the typed text" tui_wait "xyz"
check "the screen shows: Editing Title" tui_wait "Editing Title"
t0=$(date +%s%N)
tui_keys Escape
check "Esc cancels the edit (the environment's 10-minute ESCDELAY is not used)" tui_wait "Edit cancelled"
t1=$(date +%s%N)
show "Esc to screen update: $(( (t1 - t0) / 1000000 )) ms (incl. tmux polling; a figure, not checked)"
check "value unchanged" tui_wait " Title                  VPN drops every 10 minutes"
check "not modified" tui_wait " 0 modified"
tui_keys q
check_eq "exit 0" 0 "$(tui_exit)"
