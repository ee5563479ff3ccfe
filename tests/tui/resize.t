#!/usr/bin/env bash
# Resize mid-session (also mid-edit), below the minimum and back.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tmux resize-window -t "$TMUX_S" -x 60 -y 15
check "re-laid out at 60x15 (label column 20)" tui_wait " Title              VPN drops"
w=$(tui_screen | /usr/bin/python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')
check "no line wider than 60 columns" [ "$w" -le 60 ]
tmux resize-window -t "$TMUX_S" -x 30 -y 8
check "too small notice" tui_wait "terminal too small"
tmux resize-window -t "$TMUX_S" -x 80 -y 24
check "form back at 80x24" tui_wait " Title                  VPN drops"
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "half typed"
check "the screen shows: half typed" tui_wait "half typed"
tmux resize-window -t "$TMUX_S" -x 70 -y 20
check "the edit survives a resize" tui_wait " Title                 half typed"
tui_keys Enter
check "and commits" tui_wait "*Title                 half typed"
tui_keys q d
check_eq "discard exits 0" 0 "$(tui_exit)"
check "stty restored" stty_same
