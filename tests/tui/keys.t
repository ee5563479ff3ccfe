#!/usr/bin/env bash
# The alternative keys of the action table work on a real terminal (tmux):
# C-s and F2 save (C-s is not swallowed as XOFF), F1 opens help, F5 reloads,
# C-l redraws, F10 asks before quitting with unsaved edits. The session is
# recorded (--record) with those keys by name, and replaying the recording
# against a fresh ticketd saves the same.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
title() { curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])'; }
set_title() { tui_keys / T i t l e Enter Enter C-u; tui_keys -l "$1"; tui_keys Enter; check "the screen shows: 1 modified" tui_wait " 1 modified"; }
tui_start "$TICKETED --url $TD_URL --record $T_TMP/keys.replay 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"

set_title "Saved with C-s"
tui_keys C-s
check "C-s saves" tui_wait " 0 modified"
check_eq "C-s: the server has it" "Saved with C-s" "$(title)"

set_title "Saved with F2"
tui_keys F2
check "F2 saves" tui_wait " 0 modified"
check_eq "F2: the server has it" "Saved with F2" "$(title)"

tui_keys F1
check "F1 opens help" tui_wait "─ Help ─"
tui_keys Escape
check "Esc closes help" tui_gone "─ Help ─"

curl -s -X PATCH -H 'Content-Type: application/json' \
  -d '[{"op":"replace","path":"/AlertLevel","value":6}]' "$TD_URL/Ticket/900" >/dev/null
tui_keys F5
check "F5 reloads" tui_wait "Reloaded"
check "the reload shows the server's change" tui_wait " Alert level            6"

tui_keys C-l
check "C-l redraws the form" tui_wait " Ticket 900: Saved with F2"

set_title "Not saved"
tui_keys F10
check "F10 with an edit asks" tui_wait "Unsaved edits"
tui_keys d
check_eq "d discards: exit 0" 0 "$(tui_exit)"
check_eq "nothing more was sent" "Saved with F2" "$(title)"
check "stty restored" stty_same

for k in '<C-s>' '<F2>' '<F1>' '<F5>' '<C-l>' '<F10>'; do
  check "the recording names $k" grep -qF -- "$k" "$T_TMP/keys.replay"
done
sed 's/^/#   rec: /' "$T_TMP/keys.replay"
start_ticketd --data "$TOP/tests/data/service" || exit 1
"$TICKETED" --url "$TD_URL" --headless --replay "$T_TMP/keys.replay" 900 >/dev/null 2>"$T_TMP/err"
check_eq "replaying the recording exits 0" 0 "$?"
check_eq "... and saves the same title" "Saved with F2" "$(title)"
