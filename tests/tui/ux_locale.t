#!/usr/bin/env bash
# With a locale that names no character set (LANG=C), typed text that is
# not ASCII used to vanish (ncurses dropped the bytes) while the edit still
# counted: now the terminal is read and written as UTF-8, the status line
# says so, typed Ø arrives, and an edit that changed nothing is not one.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "env -u LC_ALL -u LC_CTYPE LANG=C $TICKETED --url $TD_URL 900"
check "LANG=C: loaded, and the status says the terminal is taken as UTF-8" tui_wait "the locale names no character set: the terminal is taken as" 10
check "... names from the server shown as themselves" tui_wait "Owner                  Jürgen Groß (12)"
tui_keys Enter End
tui_keys -l " – Ø"
tui_keys Enter
check "typed Ø arrives" tui_wait "*Title                  VPN drops every 10 minutes for the Bergen office – Ø"
check "one edit" tui_wait " 1 modified"
tui_keys s
check "saved" tui_wait "Saved"
got=$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])')
check_eq "the server has it" "VPN drops every 10 minutes for the Bergen office – Ø" "$got"
# Enter on the same text: no edit
tui_keys Enter Enter
check "an edit that changed nothing is not one" tui_wait "Title unchanged"
check "... nothing modified" tui_wait " 0 modified"
tui_keys q
check_eq "q exits 0" 0 "$(tui_exit)"
check "stty restored" stty_same
