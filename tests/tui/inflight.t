#!/usr/bin/env bash
# The screen stays responsive while a request is in flight: a spinner,
# resize works, Esc cancels the save (a late answer is ignored), and a 409
# opens the conflict screen; Esc keeps the edit, and R does not turn the
# open conflict into a rebase.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" --latency-ms 3000 || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "loading spinner" tui_wait "Loading ticket 900"
tui_wait "Loaded ticket 900" 10 >/dev/null
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Cancelled save"
tui_keys Enter s
check "saving status while in flight" tui_wait "Saving 1 change"
tmux resize-window -t "$TMUX_S" -x 70 -y 20
check "resize while in flight" tui_wait "*Title                 Cancelled save"
tui_keys Escape
check "Esc cancels the save" tui_wait "Save cancelled"
sleep 3.5  # the server's late answer arrives and must be ignored
check "edits kept after cancel and a late answer" tui_wait " 1 modified"
tui_keys j k
check "still responsive" tui_wait "Save cancelled"
tui_keys q d
check_eq "discard exits 0" 0 "$(tui_exit 10)"
check "stty restored" stty_same
tmux kill-session -t "$TMUX_S"

start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
tui_wait "Loaded ticket 900" >/dev/null
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Mine"
tui_keys Enter
tui_wait " 1 modified" >/dev/null
curl -s -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Title","value":"Theirs"}]' "$TD_URL/Ticket/900" >/dev/null
tui_keys s
check "409 opens the conflict screen" tui_wait "Conflicts in ticket 900 (HTTP 409): 1 of 1 open"
tui_keys Escape
check "Esc: the conflict stays open, the edit kept on the form" tui_wait "1 conflict still open"
tui_keys R
check "R keeps it open (mine was made against the old base)" tui_wait "Conflicts in ticket 900 (reload): 1 of 1 open"
tui_keys Escape
check "the form shows mine, marked as a conflict" tui_wait "!Title                  Mine"
tui_keys q d
check_eq "exit 0" 0 "$(tui_exit)"
