#!/usr/bin/env bash
# The config keys the editor itself uses — conflict and theme —
# are applied, with option > environment > config precedence, and a bad
# config stops the editor (not only `ticketed get`) with FILE:LINE, exit 1.
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
CFG=$T_TMP/config
printf 'url = %s\nconflict = strict\ntheme = no-such-theme\n' "$TD_URL" >"$CFG"
rp() { printf '%s\n' "$@" 'q' >"$T_TMP/r.replay"; }
ed() { "$TICKETED" --config "$CFG" --headless --replay "$T_TMP/r.replay" "$@" 900 >"$T_TMP/out" 2>"$T_TMP/err"; echo $?; }

rp ':expect screen "conflict: strict"'
check_eq "theme from the config is used (not found: exit 1)" 1 "$(ed)"
check "... naming the theme" grep -q "theme 'no-such-theme' not found" "$T_TMP/err"
check_eq "TICKETED_THEME beats the config's theme; conflict = strict applies" 0 "$(TICKETED_THEME=dark ed)"
check_eq "--theme beats TICKETED_THEME" 0 "$(TICKETED_THEME=no-such-either ed --theme dark)"
rp ':expect screen "conflict: none"'
check_eq "--conflict none beats the config's strict" 0 "$(TICKETED_THEME=dark ed --conflict none)"
rp ':expect screen "conflict: fields"'
printf 'url = %s\n' "$TD_URL" >"$CFG"
check_eq "no conflict key: the default, fields" 0 "$(ed)"

printf 'url = %s\n# a comment\nconflict = maybe\n' "$TD_URL" >"$CFG"
check_eq "the editor with a bad value: exit 1" 1 "$(ed)"
check "... FILE:LINE: message" grep -q "^ticketed: $CFG:3: conflict: expected fields, strict or none, not \"maybe\"" "$T_TMP/err"
printf 'url = %s\npassword_command = cat /dev/null\n' "$TD_URL" >"$CFG"; chmod 640 "$CFG"
td_log_sync; n=$(grep -vc td_log_sync "$TD_LOG")
check_eq "the editor with a group-readable command file: exit 1" 1 "$(ed)"
check "... refused naming the file" grep -q "$CFG" "$T_TMP/err"
td_log_sync
check_eq "... and nothing was requested" "$n" "$(grep -vc td_log_sync "$TD_LOG")"
