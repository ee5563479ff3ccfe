#!/usr/bin/env bash
# The ticket picker, driven by a replay (headless) against ticketd:
# `ticketed` without a TICKET_ID opens it (my open tickets, a search box,
# recent tickets); `o` opens it from a ticket; leaving a ticket with unsaved
# edits asks first (save, keep as draft, discard, stay); a ticket that does
# not load brings the picker back; recent tickets are kept 0600 under
# $XDG_STATE_HOME/ticketed/.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PY=/usr/bin/python3
W=$T_TMP/w; mkdir -p "$W"
export XDG_STATE_HOME=$W/state
value() { curl -s "$TD_URL/Ticket/$1" | $PY -c 'import json, sys; d = json.load(sys.stdin)
for t in sys.argv[1].split("/"): d = d[t]
print(d)' "$2"; }
ed() { (cd "$W" && timeout -k 2 60 "$TICKETED" --url "$TD_URL" --headless "$@" >"$W/out" 2>"$W/err"); echo $? >"$W/rc"; }
rc() { cat "$W/rc"; }

start_ticketd --data "$TOP/tests/data/service" || exit 1

cat >"$W/walk.replay" <<'EOF'
# no TICKET_ID: the picker, my open tickets first (ticketd's associate 12 owns 900)
:expect screen "Open a ticket"
:expect screen "My open tickets"
:expect screen "Recent tickets"
:expect screen "None yet on this service"
:expect screen "900   VPN drops every 10 minutes for the Bergen office"
:expect no-screen "4711"
# the hint under the search box fits 80 columns whole
:expect screen " An id opens it, words search the titles; Up/Down and Enter open one below."
# help over the picker, and back
# (the help starts with the keys of the screen it was opened on)
?
:expect screen "Ticket picker (ticketed without TICKET_ID, or o)"
:expect screen "Move up one row"
<Esc>
:expect screen "Open a ticket"
<Enter>
:expect screen "Ticket 900: VPN drops every 10 minutes"
:expect field Title "VPN drops every 10 minutes for the Bergen office"
# o: the picker again; a typed id opens that ticket (no edits: no question)
o
:expect screen "Open a ticket"
:expect screen "None yet on this service"
4711<Enter>
:expect screen "Ticket 4711: Printer on 3rd floor prints blank pages"
# words search the titles; the results come first, under the cursor
o
:expect screen "900   VPN drops every 10 minutes for the Bergen office"
:expect screen "opened"
printer blank<Enter>
:expect screen "Search: \"printer blank\""
:expect screen "1 ticket found"
# Esc clears the box first; Down goes from the result to my open ticket
xyz<Esc>
:expect screen "Open a ticket"
<Down><Enter>
:expect screen "Ticket 900: VPN drops"
# unsaved edits: the quit prompt asks before another ticket opens; Esc stays
/Title<Enter>
<Enter><End> (triaged)<Enter>
o
901<Enter>
:expect screen "Unsaved edits: open ticket 901?"
:expect screen "s: save and open   d: discard and open"
:expect screen "k: keep as a draft and open"
<Esc>
:expect field Title "VPN drops every 10 minutes for the Bergen office (triaged)"
:expect modified 1
# k: kept as a draft, and 901 opens
o
901<Enter>
k
:expect screen "Ticket 901: Outlook keeps asking"
:expect screen "ticket 900: 1 unsaved edit kept as a draft"
:expect modified 0
# s: saved, then 902 opens
/Title<Enter>
<Enter><End>!<Enter>
o
902<Enter>
s
:expect screen "Ticket 902: Invoice 2026-1043"
:expect modified 0
# d: discarded, then 903 opens
/Title<Enter>
<Enter><End>?<Enter>
o
903<Enter>
d
:expect screen "Ticket 903:"
# a ticket that is not there: the picker comes back saying so
o
123456<Enter>
:expect screen "ticket 123456 not found"
:expect screen "Open a ticket"
# nothing loaded now: Esc leaves; 900's draft makes the status 3
<Esc>
:expect exit 3
EOF
ed --replay "$W/walk.replay"
check_eq "the walk through the picker: exit 3 (900's edits kept)" 3 "$(rc)"
[ "$(rc)" = 3 ] || sed 's/^/#   /' "$W/err" | head -30
check_eq "k kept 900's edit in a draft, not on the server" "VPN drops every 10 minutes for the Bergen office" "$(value 900 Title)"
check "... the draft is there" bash -c "ls '$XDG_STATE_HOME'/ticketed/drafts/900-*.json >/dev/null"
check "... and stderr says so when the program ends" grep -q '1 unsaved edit kept as a draft: .*900-.*(Title); open ticket 900 again' "$W/err"
check_eq "s saved 901 before 902 opened" "Outlook keeps asking for password after migration!" "$(value 901 Title)"
check_eq "d discarded 902's edit" "Invoice 2026-1043 charged twice" "$(value 902 Title)"
check "... no draft for 901 or 902" bash -c "! ls '$XDG_STATE_HOME'/ticketed/drafts/90[12]-*.json 2>/dev/null"
check "the archive was asked for my open tickets" \
  bash -c "grep -o 'GET /api/v1/Ticket?[^ ]*' '$TD_LOG' | grep -q 'ownedBy%20currentAssociate%20and%20status%20eq%201'"
check "the search asked for each word in the title" \
  bash -c "grep -o 'GET /api/v1/Ticket?[^ ]*' '$TD_LOG' | grep -q \"title%20contains%20%27printer%27%20and%20title%20contains%20%27blank%27\""

# recent tickets: newest first, one line each, 0600
"$TICKETED" recent >"$W/recent" 2>"$W/err2"
check_eq "ticketed recent: the tickets opened, newest first, each once" "903 902 901 900 4711" \
  "$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$W/recent")"
check "... with their titles and the service" grep -q "4711  .*Printer on 3rd floor prints blank pages  (http://127.0.0.1:$TD_PORT/api/v1)" "$W/recent"
check_eq "the recent file is the user's alone" 600 "$(stat -c %a "$XDG_STATE_HOME/ticketed/recent")"
check_eq "... and its lines are id, time, url, title" "4711|http://127.0.0.1:$TD_PORT/api/v1|Printer on 3rd floor prints blank pages" \
  "$(awk -F'\t' '$1 == 4711 { print $1 "|" $3 "|" $4 }' "$XDG_STATE_HOME/ticketed/recent")"

# The next session: recent tickets of this URL in the picker; 900's draft
# is offered when it is chosen (--draft ask: a script answers the prompt).
cat >"$W/again.replay" <<'EOF'
:expect screen "903   打印机无法连接网络"
:expect screen "4711   Printer on 3rd floor"
# PgDn to the last line: the oldest recent ticket
<PgDn><Enter>
:expect screen "Ticket 4711:"
o
<PgDn><PgUp><Enter>
:expect screen "Ticket 900:"
:expect screen "Unsaved draft"
r
:expect field Title "VPN drops every 10 minutes for the Bergen office (triaged)"
:expect modified 1
s
:expect screen "Saved"
q
:expect exit 0
EOF
ed --replay "$W/again.replay" --draft ask
check_eq "a second session: recent tickets, a draft restored and saved" 0 "$(rc)"
[ "$(rc)" = 0 ] || sed 's/^/#   /' "$W/err" | head -30
check_eq "... 900 saved" "VPN drops every 10 minutes for the Bergen office (triaged)" "$(value 900 Title)"

# A draft in the way of a script (--draft fail, the default): the picker
# says so and nothing is sent for that ticket.
(cd "$W" && printf '/Title\n' >/dev/null)
cat >"$W/keep.replay" <<'EOF'
904<Enter>
/Title<Enter>
<Enter><End>.<Enter>
q
k
EOF
ed --replay "$W/keep.replay"
check_eq "a draft left on 904" 3 "$(rc)"
cat >"$W/fail.replay" <<'EOF'
904<Enter>
:expect screen "ticket 904 has an unsaved draft"
:expect screen "Open a ticket"
<Esc>
EOF
: >"$TD_LOG"
ed --replay "$W/fail.replay"
check_eq "a draft in the way: back to the picker, then Esc: exit 0" 0 "$(rc)"
check "... nothing was asked of ticket 904" bash -c "! grep -q '/Ticket/904' '$TD_LOG'"

# Without a TICKET_ID and without a terminal or a script, there is no picker.
"$TICKETED" --url "$TD_URL" --headless >"$W/out" 2>"$W/err" </dev/null; rc=$?
check_eq "no TICKET_ID, headless, no --replay: usage error" 1 "$rc"
check "... says why" grep -q 'no TICKET_ID: the ticket picker needs a terminal (or --replay FILE)' "$W/err"
stop_ticketd

# The picker when the service cannot be reached: it says so, recent
# tickets still show, a chosen ticket fails to load and the picker stays.
cat >"$W/down.replay" <<'EOF'
:expect screen "Could not load:"
:expect screen "Recent tickets"
<Esc>
EOF
(cd "$W" && timeout -k 2 60 "$TICKETED" --url "http://127.0.0.1:9/api/v1" --headless --replay "$W/down.replay" \
   >"$W/out" 2>"$W/err"); rc=$?
check_eq "service down: the picker says so, Esc quits (0)" 0 "$rc"
[ "$rc" = 0 ] && true || sed 's/^/#   /' "$W/err" | head -30

# `ticketed keys` (and so help and the man page) know the picker and o.
"$TICKETED" keys >"$W/keys"
check "ticketed keys: o on the form" grep -q '^  o  *Open another ticket: the ticket picker' "$W/keys"
check_eq "ticketed keys: the picker's own section" \
  "Ticket picker (ticketed without TICKET_ID, or o):|Enter|Esc|C-u|Up|Down|PgUp|PgDn|?|C-z|C-l|BS|C-w" \
  "$(sed -n '/^Ticket picker/,$p' "$W/keys" | awk 'NR == 1 { printf "%s", $0; next } /^  / { printf "|%s", $1 }')"
