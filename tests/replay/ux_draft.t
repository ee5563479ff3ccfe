#!/usr/bin/env bash
# The draft prompt names the draft's fields and its age and wraps at 40x12
# (nothing cut); restoring onto a ticket a colleague changed opens the
# conflict screen labelled "draft restore", which says what s will send.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || { not_ok "draft prompt: ticketd"; exit 0; }
export XDG_STATE_HOME=$T_TMP/state
cat >"$T_TMP/edit.replay" <<'EOF2'
/Title<Enter>
<Enter><C-u>Mine<Enter>
/Author<Enter>
<Enter><C-u>Me<Enter>
EOF2
(cd "$T_TMP" && "$TICKETED" --url "$TD_URL" --headless --replay "$T_TMP/edit.replay" 900 >/dev/null 2>"$T_TMP/err1")
check_eq "a run ending with two edits keeps them as a draft (exit 3)" 3 "$?"
curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Title","value":"Theirs"}]' "$TD_URL/Ticket/900"
cat >"$T_TMP/restore.replay" <<'EOF2'
:expect screen "Unsaved draft"
:expect screen "A draft from"
:expect screen "ago: 2 edits (Title,"
:expect screen "Author)."
:expect screen "r: restore it onto the ticket"
:expect screen "d: discard it"
:expect screen "k or Esc: keep it for later"
:expect screen " r:restore  d:discard  k:keep"
:dump prompt-40.txt
:resize 80 24
:dump prompt-80.txt
r
:expect screen "Conflicts in ticket 900 (draft restore): 1 of 1 open"
:expect screen "What s sends once every conflict is decided"
:expect screen "  Title   waits for your choice (m, t or e)"
:expect screen "  Author  yours (only you changed it)"
:expect no-screen "(reload)"
m
:expect screen "  Title   yours (you chose it over theirs)"
s
:expect status 200
q
EOF2
(cd "$T_TMP" && "$TICKETED" --url "$TD_URL" --headless --draft ask --size 40x12 --replay "$T_TMP/restore.replay" \
  900 >"$T_TMP/out2" 2>"$T_TMP/err2"); rc=$?
check_eq "the prompt, the restore and the save" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/err2" | head -40
for f in prompt-40 prompt-80; do
  check "$f: the prompt's lines are whole (nothing cut with …)" bash -c "! grep -q '…\s*│' '$T_TMP/$f.txt'"
done
check "40x12: the box fits the screen" /usr/bin/python3 -c '
import sys
sys.exit(max(len(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")) > 40)' "$T_TMP/prompt-40.txt"
show "$(grep -A8 'Unsaved draft' "$T_TMP/prompt-40.txt" | sed 's/$/|/' | tr '\n' ' ')"
got=$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["Title"], "|", d["Author"])')
check_eq "the server has both edits" "Mine | Me" "$got"
