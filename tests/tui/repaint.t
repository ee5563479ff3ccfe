#!/usr/bin/env bash
# Bytes written to an 80x24 terminal (counted through a pty by
# tests/tools/ui_ptycount; byte counts, not times): one row down <= 200,
# one character typed in the line editor <= 32, so neither repaints the
# screen; C-l and a resize do repaint (> 1000 bytes), which shows the
# counter would catch a full repaint. Each count ends when the editor has
# answered the key and gone back to waiting for input ("idle" in the
# counter's script: a condition, not a quiet period).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PTY=$BUILD/tools/ui_ptycount
[ -x "$PTY" ] || { not_ok "$PTY missing (make tests)"; exit 1; }
start_ticketd --data "$TOP/tests/data/service" || exit 1
# DEL (Backspace) and FF (C-l) are written as raw bytes (the script knows \e \r only)
sed -e "s/@DEL@/$(printf '\177')/" -e "s/@FF@/$(printf '\f')/" >"$T_TMP/script" <<'S'
expect Loaded ticket 900
idle
reset
send j
idle
count down
reset
send k
idle
count up
send /Title\r
idle
send \r
idle
reset
send x
idle
count type
reset
send @DEL@
idle
count backspace
send \e
idle
reset
send @FF@
idle
count ctrl-l
send q
S
out=$("$PTY" -c 80 -r 24 "$T_TMP/script" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 900)
fig() { sed -n "s/^$1 //p" <<<"$out"; }
check "the editor answered every key (no TIMEOUT from the counter)" bash -c '! grep -q TIMEOUT <<<"$0"' "$out"
show "bytes at 80x24: down $(fig down), up $(fig up), one char $(fig type), backspace $(fig backspace), C-l $(fig ctrl-l)"
check "cursor one row down: $(fig down) <= 200 bytes" [ "$(fig down)" -le 200 ]
check "cursor one row up: $(fig up) <= 200 bytes" [ "$(fig up)" -le 200 ]
check "one character typed: $(fig type) <= 32 bytes" [ "$(fig type)" -le 32 ]
check "backspace in the line editor: $(fig backspace) <= 32 bytes" [ "$(fig backspace)" -le 32 ]
check "C-l repaints the whole screen: $(fig ctrl-l) > 1000 bytes" [ "$(fig ctrl-l)" -gt 1000 ]
