#!/usr/bin/env bash
# The screen stays responsive while a request is in flight: a spinner,
# resize works, Esc cancels the save (a late answer is ignored), and a 409
# opens the conflict screen; Esc keeps the edit, and R does not turn the
# open conflict into a rebase.
# The requests in flight are held by a gate (tests/replay/capture.py with a
# hook) in front of ticketd until the test lets them go, so "in flight" is
# a state the test controls, not a race against a server delay.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
start_gate GET.1 PATCH.1
# td_logged PATTERN — until ticketd's log has a line matching PATTERN (15 s)
td_logged() { local i; for ((i = 0; i < 300; i++)); do grep -q -- "$1" "$TD_LOG" && return 0; nap 0.05; done; return 1; }

tui_start "$TICKETED --url $GATE 900"
check "the load is held at the gate" wait_file "$T_TMP/held.GET.1"
check "loading spinner" tui_wait "Loading ticket 900"
rm -f "$T_TMP/hold.GET.1"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Cancelled save"
tui_keys Enter s
check "the save is held at the gate" wait_file "$T_TMP/held.PATCH.1"
check "saving status while in flight" tui_wait "Saving 1 change"
tmux resize-window -t "$TMUX_S" -x 70 -y 20
check "resize while in flight" tui_wait "*Title                 Cancelled save"
tui_keys Escape
check "Esc cancels the save" tui_wait "Save cancelled"
# Let the PATCH go: ticketd applies it and answers, after the cancel.
rm -f "$T_TMP/hold.PATCH.1"
check "the late answer: ticketd applied the PATCH and answered" td_logged "PATCH /api/v1/Ticket/900 200"
# p opens the preview: the editor has run its loop since, and still holds the edit
tui_keys p
check "still responsive: the preview opens" tui_wait "Preview"
tui_keys Escape
check "edits kept after cancel and a late answer" tui_wait " 1 modified"
check "the late answer did not count as a save" bash -c "! tmux capture-pane -p -t '$TMUX_S' | grep -q 'Saved'"
tui_keys q d
check_eq "discard exits 0" 0 "$(tui_exit)"
check "stty restored" stty_same
tmux kill-session -t "$TMUX_S"

start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Mine"
tui_keys Enter
check "the screen shows: 1 modified" tui_wait " 1 modified"
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
