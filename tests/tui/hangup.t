#!/usr/bin/env bash
# A dropped SSH session (SIGHUP) in a real terminal, mid-edit: several edits
# of different kinds, the last one still being typed in the line editor.
# The next open offers the draft; restoring it brings back EVERY edit
# (the typed-but-not-entered value too), and saving sends them all.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
export XDG_STATE_HOME=$T_TMP/state
start_ticketd --data "$TOP/tests/data/service" || exit 1

field() {  # field PATH — the server's value of a top-level field or CustomFields/KEY
  curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in sys.argv[1].split("/"):
    d = d[t]
print(json.dumps(d, ensure_ascii=False))' "$1"
}

tui_start "XDG_STATE_HOME=$XDG_STATE_HOME $TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
go() { tui_keys /; tui_keys -l "$1"; tui_keys Enter; }
go Title;            tui_keys Enter C-u; tui_keys -l "Hung up – ÆØÅ"; tui_keys Enter
go x_site;           tui_keys Enter C-u; tui_keys -l "Sandviken"; tui_keys Enter
go x_affected_users; tui_keys Enter BSpace BSpace; tui_keys -l "41"; tui_keys Enter
go x_onsite_visit;   tui_keys Space
check "four edits on screen" tui_wait " 4 modified"
# the fifth edit is being typed when the line drops
go "Alert level";    tui_keys Enter BSpace; tui_keys -l "7"
check "line editor open" tui_wait "Editing Alert level"
check "the typed 7 is on the screen (the editor has read it)" tui_wait " Alert level            7"
pid=$(tui_pid)
[ -n "$pid" ] && kill -HUP "$pid"
check_eq "SIGHUP mid-edit: exit 3" 3 "$(tui_exit)"
check "terminal restored" stty_same
tmux kill-session -t "$TMUX_S"
out=$("$TICKETED" drafts)
check "the draft lists five edits" grep -q '^900 .*5 edits: ' <<<"$out"
check_eq "nothing reached the server" '"VPN drops every 10 minutes for the Bergen office"' "$(field Title)"

# Reopen in a terminal: the prompt, restore, every edit back, save.
TMUX_S=${TMUX_S}b
tui_start "XDG_STATE_HOME=$XDG_STATE_HOME $TICKETED --url $TD_URL 900"
check "reopen: the draft is offered" tui_wait "Unsaved draft"
check "reopen: restore / discard / keep" tui_wait "r: restore it onto the ticket"
tui_keys r
check "restore: five edits back" tui_wait " 5 modified"
check "restore: the title" tui_wait "Hung up – ÆØÅ"
tui_keys s
check "restore: saved" tui_wait "Saved"
tui_keys q
check_eq "after the save: exit 0" 0 "$(tui_exit)"
check_eq "server: Title" '"Hung up – ÆØÅ"' "$(field Title)"
check_eq "server: x_site" '"Sandviken"' "$(field CustomFields/x_site)"
check_eq "server: x_affected_users" '"[I:41]"' "$(field CustomFields/x_affected_users)"
check_eq "server: x_onsite_visit" '"[I:1]"' "$(field CustomFields/x_onsite_visit)"
check_eq "server: AlertLevel (typed, not entered, when the line dropped)" 7 "$(field AlertLevel)"
check "the draft is gone after the save" bash -c "'$TICKETED' drafts | grep -q '^No drafts'"
