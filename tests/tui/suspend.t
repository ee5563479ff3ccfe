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
tui_wait 'prompt$' >/dev/null
tui_keys -l "cd $T_TMP; stty -g > before; $TICKETED --url $TD_URL 900"
tui_keys Enter
tui_wait "Loaded ticket 900" 10 >/dev/null
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Suspended edit"
tui_keys Enter
tui_wait " 1 modified" >/dev/null
tui_keys C-z
check "C-z: the shell says the job stopped" tui_wait "Stopped"
pid=$(pgrep -f -x "$TICKETED --url $TD_URL 900" | head -1)
check_eq "C-z: the process is stopped" T "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)"
check "C-z: the edit was journaled before stopping" grep -rqF "Suspended edit" "$DIR"
tui_keys -l "stty -g > during"
tui_keys Enter
tui_wait 'prompt$' >/dev/null
for i in $(seq 1 40); do [ -s "$T_TMP/during" ] && break; sleep 0.05; done
check "C-z: the terminal is restored while stopped" cmp -s "$T_TMP/before" "$T_TMP/during"
tui_keys -l "fg"
tui_keys Enter
check "fg: repainted with the edit" tui_wait "*Title                  Suspended edit"
check "fg: the footer is back" tui_wait "?:help"
tui_keys C-c
check "C-c with unsaved edits asks" tui_wait "Unsaved edits"
check "... offering to keep a draft" tui_wait "k: keep as a draft and quit"
tui_keys Escape
tui_wait " 1 modified" >/dev/null
tui_keys u
tui_wait " 0 modified" >/dev/null
tui_keys C-c
tui_keys -l 'echo "rc=$?"; stty -g > after'
tui_keys Enter
check "C-c without edits quits at once: exit 0" tui_wait "rc=0"
for i in $(seq 1 40); do [ -s "$T_TMP/after" ] && break; sleep 0.05; done
check "stty restored" cmp -s "$T_TMP/before" "$T_TMP/after"
check "C-z, C-c listed by ticketed keys" bash -c "'$TICKETED' keys | grep -q 'C-z.*Suspend' && '$TICKETED' keys | grep -q 'C-c'"
