#!/usr/bin/env bash
# n on a real terminal with $EDITOR set: the editor runs at once on a file
# only the user can read, with the terminal restored around it (cooked
# mode while it runs, the screen repainted after); its text comes back into
# the note, C-s posts it, and the file is gone. An editor that fails leaves
# the text as it was. C-o runs it again on the text so far.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
mkdir -p "$T_TMP/tmp"
cat >"$T_TMP/ed.sh" <<'EOS'
#!/bin/sh
# records the terminal's mode and the file's mode, appends two lines
stty -g > "$(dirname "$0")/during"
stat -c %a "$1" > "$(dirname "$0")/filemode"
printf 'Written in the editor.\nLine two from $EDITOR.\n' >> "$1"
EOS
printf '#!/bin/sh\nexit 1\n' >"$T_TMP/bad.sh"
chmod +x "$T_TMP/ed.sh" "$T_TMP/bad.sh"

tui_start "TMPDIR=$T_TMP/tmp EDITOR=$T_TMP/ed.sh $TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 10
tui_keys n
check "the editor's text is in the note" tui_wait "Line two from \$EDITOR."
check "the note screen is back (repainted)" tui_wait "Internal note on ticket 900"
check "the terminal was in its own mode while the editor ran" cmp -s "$T_TMP/before" "$T_TMP/during"
check_eq "the file was the user's alone" 600 "$(cat "$T_TMP/filemode" 2>/dev/null)"
check "the file is gone" bash -c "! ls '$T_TMP/tmp' | grep -q ticketed-note"
rm -f "$T_TMP/during"
tui_keys C-o
check "C-o: the editor again, on the text so far" tui_wait "Written in the editor."
for i in $(seq 1 100); do [ -s "$T_TMP/during" ] && break; nap 0.05; done
check "C-o: it ran" test -s "$T_TMP/during"
tui_keys C-s
check "C-s posts it" tui_wait "Note posted (message 961000)"
body=$(curl -s "$TD_URL/TicketMessage/961000" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Body"])')
check_eq "on the server: the editor's text, both times" "Written in the editor.
Line two from \$EDITOR.
Written in the editor.
Line two from \$EDITOR." "$body"
tui_keys q
check_eq "exit 0" 0 "$(tui_exit)"
check "stty restored" stty_same
tmux kill-session -t "$TMUX_S" 2>/dev/null

tui_start "TMPDIR=$T_TMP/tmp EDITOR=$T_TMP/bad.sh $TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 10
tui_keys n
check "a failing editor: said so, text as it was" tui_wait "ended with status 1; the text is as it was"
tui_keys -l "Typed here instead."
check "the built-in editor takes over" tui_wait "Typed here instead."
check "no file left behind" bash -c "! ls '$T_TMP/tmp' | grep -q ticketed-note"
tui_keys Escape
tui_keys q
check "quitting with the note unposted asks" tui_wait "An unposted note too"
tui_keys k
check_eq "kept: exit 3" 3 "$(tui_exit)"
