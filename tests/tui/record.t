#!/usr/bin/env bash
# --record writes the session's keys; --replay of that file reproduces the
# same PATCH against a fresh server.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
PY=/usr/bin/python3
start_ticketd --data "$TOP/tests/data/service" || exit 1
start_proxy "$TD_PORT"; url=$PX_URL cap1=$CAP
tui_start "$TICKETED --url $url --record $T_TMP/session.replay 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tui_keys / A l e r t Enter Enter C-u 7 Enter
tui_keys / S e c u r i t y Enter Enter I n t Enter
check "the screen shows: 2 modified" tui_wait " 2 modified"
tui_keys s
check "interactive save" tui_wait "Saved"
tui_keys q
check_eq "exit 0" 0 "$(tui_exit)"
check "recording written" [ -s "$T_TMP/session.replay" ]
sed 's/^/#   rec: /' "$T_TMP/session.replay"
start_ticketd --data "$TOP/tests/data/service" || exit 1
start_proxy "$TD_PORT"; url=$PX_URL cap2=$CAP
"$TICKETED" --url "$url" --headless --replay "$T_TMP/session.replay" 900 >/dev/null 2>"$T_TMP/err"
check_eq "replay of the recording exits 0" 0 "$?"
p1=$(grep '^PATCH ' "$cap1"); p2=$(grep '^PATCH ' "$cap2")
check "a PATCH was sent" [ -n "$p1" ]
check_eq "the replay sends the same PATCH" "$p1" "$p2"

# A recording that cannot be written stops: the status line says so at
# once, stderr at the end, the session goes on (its save works).
start_ticketd --data "$TOP/tests/data/service" || exit 1
tmux kill-session -t "$TMUX_S"
tui_start "$TICKETED --url $TD_URL --record /dev/full 900"
check "recording to a full disk: the ticket loads" tui_wait "Loaded ticket 900"
tui_keys j
check "the status line says the recording stopped" tui_wait "Recording stopped: No space left on device"
tui_keys / A l e r t Enter Enter C-u 6 Enter s
check "the session goes on: the save works" tui_wait "Saved"
tui_keys q
check_eq "exit 0 (the ticket's work is done)" 0 "$(tui_exit)"
check "stderr says the recording is cut" tui_wait "ticketed: the recording /dev/full stopped: No space left on device; the keys aft"
