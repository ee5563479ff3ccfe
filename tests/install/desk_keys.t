#!/usr/bin/env bash
# The conversation's screens and commands are in every place that lists
# keys and commands: `ticketed keys`, the help screen (? on each of them),
# the man page and `ticketed --help` (completion: tests/install/completion.t).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"

# SECTION KEY... : the keys `ticketed keys` lists under SECTION (first column)
"$TICKETED" keys >"$T_TMP/keys" 2>&1
keys_of() { awk -v s="$1" '$0 == s { on = 1; next } on && /^[^ ]/ { exit } on { print substr($0, 3, 22) }' "$T_TMP/keys" | tr -s ' \n' '  '; }
has_keys() {  # SECTION KEY...
  local sec=$1 got k miss=; shift
  got=" $(keys_of "$sec")"
  for k in "$@"; do [[ $got == *" $k "* ]] || miss="$miss $k"; done
  check_eq "ticketed keys: \"$sec\" has $*" "" "$miss"
}
has_keys "Form:" m n o
has_keys "Messages (the conversation):" Enter n r R Esc PgDn g G
has_keys "A message:" / n N t r PgDn g G Esc
has_keys "Note or reply (the text editor):" C-s C-t C-o Enter Esc
has_keys "Reply confirmation:" y Esc
has_keys "Ticket picker (ticketed without TICKET_ID, or o):" Enter Esc C-u

make -s -C "$TOP" BUILD="$BUILD" man >/dev/null 2>&1
man=$(MANWIDTH=100 man -l "$BUILD/man/ticketed.1" 2>/dev/null)
for s in "Messages (the conversation)" "A message" "Note or reply (the text editor)" "Reply confirmation" \
         "Ticket picker"; do
  check "man ticketed: a section \"$s\"" grep -q "^   $s" <<<"$man"
done
for w in "ticketed list" "ticketed recent" "--ids-from" "ticket picker"; do
  check "man ticketed names $w" grep -qF -- "$w" <<<"$man"
done
"$TICKETED" --help >"$T_TMP/help" 2>&1
for w in "ticketed list" "ticketed recent" "--replay FILE" "ID..." "--ids-from" "ticket picker"; do
  check "ticketed --help names $w" grep -qF -- "$w" "$T_TMP/help"
done

# ? on each screen of the conversation starts the help with that screen's keys
start_ticketd --data "$TOP/tests/data/service" || { not_ok "ticketd"; exit 0; }
cat >"$T_TMP/help.replay" <<'EOF2'
m
?
:expect screen "Messages (the conversation)"
:expect screen "Reply to the customer"
<Esc>
<Enter>
:expect screen "Message #"
?
:expect screen "A message"
:expect screen "Show quoted text whole, or collapse it again"
<Esc>
<Esc><Esc>
q
EOF2
(cd "$T_TMP" && XDG_STATE_HOME=$T_TMP/state "$TICKETED" --url "$TD_URL" --headless \
  --replay "$T_TMP/help.replay" 900 >/dev/null 2>"$T_TMP/err"); rc=$?
check_eq "? on the message list and on a message shows their keys" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/err" | grep -a 'replay:' | head -3
