#!/usr/bin/env bash
# C-z suspends like every full-screen program: the draft is journaled
# first, the terminal is restored (the shell's job control says Stopped),
# fg repaints with the edits intact. C-c acts as q: it asks when there are
# unsaved edits, and quits at once when there are none. Run from an
# interactive shell in a real terminal (tmux), as a person would.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
DIR=$XDG_STATE_HOME/ticketed/drafts
tmux new-session -d -s "$TMUX_S" -x 80 -y 24 "env -i PATH=$PATH HOME=$T_TMP TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$XDG_STATE_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME PS1='prompt\$ ' bash --norc --noprofile -i"
at_exit "tmux kill-session -t $TMUX_S"
check "the screen shows: prompt" tui_wait 'prompt$'
tui_keys -l "cd $T_TMP; stty -g > before; $TICKETED --url $TD_URL 900"
tui_keys Enter
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 10
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Suspended edit"
tui_keys Enter
check "the screen shows:  1 modified" tui_wait " 1 modified"
tui_keys C-z
check "C-z: the shell says the job stopped" tui_wait "Stopped"
pid=$(pgrep -f -x "$TICKETED --url $TD_URL 900" | head -1)
check_eq "C-z: the process is stopped" T "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)"
check "C-z: the edit was journaled before stopping" grep -rqF "Suspended edit" "$DIR"
tui_keys -l "stty -g > during"
tui_keys Enter
check "the screen shows: prompt" tui_wait 'prompt$'
for i in $(seq 1 40); do [ -s "$T_TMP/during" ] && break; nap 0.05; done
check "C-z: the terminal is restored while stopped" cmp -s "$T_TMP/before" "$T_TMP/during"
tui_keys -l "fg"
tui_keys Enter
check "fg: repainted with the edit" tui_wait "*Title                  Suspended edit"
check "fg: the footer is back" tui_wait "?:help"
tui_keys C-c
check "C-c with unsaved edits asks" tui_wait "Unsaved edits"
check "... offering to keep a draft" tui_wait "k: keep as a draft and quit"
tui_keys Escape
check "the screen shows:  1 modified" tui_wait " 1 modified"
tui_keys u
check "the screen shows:  0 modified" tui_wait " 0 modified"
tui_keys C-c
tui_keys -l 'echo "rc=$?"; stty -g > after'
tui_keys Enter
check "C-c without edits quits at once: exit 0" tui_wait "rc=0"
for i in $(seq 1 40); do [ -s "$T_TMP/after" ] && break; nap 0.05; done
check "stty restored" cmp -s "$T_TMP/before" "$T_TMP/after"
check "C-z, C-c listed by ticketed keys" bash -c "'$TICKETED' keys | grep -q 'C-z.*Suspend' && '$TICKETED' keys | grep -q 'C-c'"

# C-z with a save in flight: the request keeps its state while the editor
# is stopped and after fg (the status line says it goes on), and its answer
# is handled when it comes: saved once. The PATCH is held by a gate
# (tests/replay/capture.py with a hook) until the test lets it go, so "in
# flight" is a state the test controls.
start_gate PATCH.1
tui_keys -l "clear; $TICKETED --url $GATE 900"
tui_keys Enter
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 10
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Sent while stopped"
tui_keys Enter s
check "in flight: the save is held at the gate" wait_file "$T_TMP/held.PATCH.1"
tui_keys C-z
check "C-z with a save in flight: the job stopped" tui_wait "Stopped"
tui_keys -l "fg"
tui_keys Enter
check "fg: the request in flight goes on, and the status says so" \
  tui_wait "Continued (the request in flight goes on)"
rm -f "$T_TMP/hold.PATCH.1"
check "... its answer is handled: Saved" tui_wait " 0 modified"
check "... sent once" test "$(grep -c '^PATCH ' "$CAP")" = 1
check_eq "... the server has it" '"Sent while stopped"' \
  "$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["Title"]))')"
tui_keys q
check "... and q quits at once" tui_wait "900 saved: Title"
tui_keys -l 'echo "rc2=$?"'
tui_keys Enter
check "... exit 0" tui_wait "rc2=0"
