#!/usr/bin/env bash
# `ticketed list` against ticketd: the table and --json, --mine, --status
# and --category by name (looked up in the MDO lists, sent as ids), --search,
# --top with paging ($skip, never the nextLink's URL), server text sanitised,
# and the exit statuses.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3

start_ticketd || exit 1
list() { "$TICKETED" list --url "$TD_URL" "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
rc() { cat "$T_TMP/rc"; }
col1() { awk 'NR > 1 { printf "%s%s", sep, $1; sep = " " }' "$T_TMP/out"; }
jids() { $PY -c 'import json, sys; print(" ".join(str(json.loads(l)["ticketId"]) for l in sys.stdin))' <"$T_TMP/out"; }
filters() { grep -o 'GET /api/v1/Ticket?[^ ]*' "$TD_LOG" | $PY -c '
import sys, urllib.parse
for l in sys.stdin:
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(l.strip()).query)
    print(q.get("$filter", [""])[0])'; }

list
check_eq "list: exit 0" 0 "$(rc)"
check_eq "a header line" "ID TITLE STATUS PRIORITY OWNER DEADLINE CHANGED" "$(head -1 "$T_TMP/out" | tr -s ' ' | sed 's/^ //')"
check_eq "every ticket, the last changed first" "900 906 907 666 904 903 902 901 950 960 4711 905 908" "$(col1)"
check_eq "a row: id, title, status, priority, owner, deadline and last change in the local zone (UTC here)" \
  "900 VPN drops every 10 minutes for the Bergen office Escalated to 2nd line High Jürgen Groß 2026-11-28 15:00 2026-11-26 14:02" \
  "$(sed -n 2p "$T_TMP/out" | tr -s ' ' | sed 's/^ //')"
check "no raw ESC, BEL, CR or C1 from the hostile ticket 666" \
  bash -c "! grep -q \$'[\\x1b\\x07\\r]\\|\\xc2\\x9b\\|\\xe2\\x80\\xae' '$T_TMP/out'"
check "its title shown escaped" grep -qF 'Urgent^[[2J^[]0;pwned^G invoice\rOVERWRITTEN^G\x9B31m red <U+202E>evil.exe' "$T_TMP/out"
check_eq "the archive was asked for the documented columns, newest change first" \
  "ticketId,title,ticketStatusName,priorityName,ownedBy,deadline,lastChanged lastChanged desc" \
  "$(grep -o 'GET /api/v1/Ticket?[^ ]*' "$TD_LOG" | tail -1 | $PY -c '
import sys, urllib.parse
q = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.stdin.read().strip()).query)
print(q["$select"][0], q["$orderBy"][0])')"

COLUMNS=80 list
check "COLUMNS=80: no line wider than 80 columns" \
  $PY -c 'import sys, unicodedata as u; sys.exit(any(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$T_TMP/out"
check "COLUMNS=80: long titles cut with …" grep -q 'VPN drops every.*…' "$T_TMP/out"

list --json
check_eq "--json: exit 0" 0 "$(rc)"
check_eq "--json: one object per line, same order" "900 906 907 666 904 903 902 901 950 960 4711 905 908" "$(jids)"
check_eq "--json: the row's members, as the service sent them" \
  '{"ticketId": 900, "title": "VPN drops every 10 minutes for the Bergen office", "ticketStatusName": "Escalated to 2nd line", "priorityName": "High", "ownedBy": "Jürgen Groß", "deadline": "2026-11-28T16:00:00.0000000+01:00", "lastChanged": "2026-11-26T15:02:44.5180000+01:00"}' \
  "$(head -1 "$T_TMP/out" | $PY -c 'import json, sys; print(json.dumps(json.loads(sys.stdin.read()), ensure_ascii=False))')"
check_eq "--json: the hostile title round-trips exactly" True \
  "$(grep '"ticketId":666' "$T_TMP/out" | $PY -c 'import json, sys; print(json.loads(sys.stdin.read())["title"] == "Urgent\x1b[2J\x1b]0;pwned\x07 invoice\rOVERWRITTEN\x07\u009b31m red \u202eevil.exe")')"
check "--json: controls, C1 and bidi as \\u escapes, nothing raw" \
  bash -c "grep -qF '\\u001b[2J' '$T_TMP/out' && grep -qF '\\u009b31m' '$T_TMP/out' && grep -qF '\\u202eevil' '$T_TMP/out' && ! grep -q \$'[\\x1b\\x07\\r]\\|\\xc2\\x9b\\|\\xe2\\x80\\xae' '$T_TMP/out'"

list --mine --json
check_eq "--mine: ownedBy currentAssociate (ticketd's associate 12 owns 900)" 900 "$(jids)"
check_eq "--mine sends the documented unary operator" "ownedBy currentAssociate" "$(filters | tail -1)"

list --status 'waiting for customer' --json
check_eq "--status by name (any case)" 901 "$(jids)"
check_eq "... looked up in the ticketstatus list and sent as its id" "ticketStatusName eq 6" "$(filters | tail -1)"
check "... the list was read" grep -q 'GET /api/v1/MDOList/ticketstatus' "$TD_LOG"
list --status escal --json
check_eq "--status by a unique part of the name" 900 "$(jids)"
list --status 7 --json
check_eq "--status by id" 900 "$(jids)"
list --status active --json
check_eq "--status active: the base status (every active status)" "900 906 907 666 904 903 902 901 950 960 4711" "$(jids)"
check_eq "... sent as status eq 1" "status eq 1" "$(filters | tail -1)"
list --status o
check_eq "an ambiguous status: exit 1" 1 "$(rc)"
check "... names the candidates" grep -q 'status "o" is ambiguous: Open, Closed, Postponed' "$T_TMP/err"
list --status nosuch
check_eq "an unknown status: exit 1" 1 "$(rc)"
check "... lists the statuses" grep -q 'no status "nosuch"; there are: Open, Closed, .*Escalated to 2nd line' "$T_TMP/err"

list --category printers --json
check_eq "--category by the last part of its path" "906 903 4711" "$(jids)"
check_eq "... sent as its id" "categoryFullName eq 2" "$(filters | tail -1)"
list --category Support/Network/VPN --status active --mine --json
check_eq "--category by its path, with --status and --mine" 900 "$(jids)"
check_eq "... the terms joined with and" "ownedBy currentAssociate and status eq 1 and categoryFullName eq 4" "$(filters | tail -1)"

list --search "printer BLANK" --json
check_eq "--search: every word in the title, any case" 4711 "$(jids)"
check_eq "... one contains per word" "title contains 'printer' and title contains 'BLANK'" "$(filters | tail -1)"
list --search 902 --json
check_eq "--search with a number: that ticket too" 902 "$(jids)"
list --search "it's" --json
check_eq "a quote in the search is escaped" "title contains 'it\\'s'" "$(filters | tail -1)"
check_eq "... and answered" "0 " "$(rc) $(jids)"
list --search nothing-like-this
check_eq "nothing matches: exit 0" 0 "$(rc)"
check_eq "... says so on stderr, nothing on stdout" "ticketed list: no tickets match|" "$(cat "$T_TMP/err")|$(cat "$T_TMP/out")"

list --top 3 --json
check_eq "--top 3" "900 906 907" "$(jids)"
list --top 3
check "--top: says more match" grep -q 'more tickets match (--top 3' "$T_TMP/err"

list --top 0
check_eq "--top 0: usage error" 1 "$(rc)"
list 900
check_eq "a stray argument: usage error" 1 "$(rc)"
"$TICKETED" list --url http://127.0.0.1:9/api/v1 >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
check_eq "service unreachable: exit 2" 2 "$rc"
check "... says why" grep -q 'cannot list tickets: .*refused' "$T_TMP/err"
"$TICKETED" list --help >"$T_TMP/out"; rc=$?
check "list --help names every option" bash -c "[ $rc = 0 ] && for o in --mine --status --category --search --top --json; do grep -q -- \"\$o\" '$T_TMP/out' || exit 1; done"
stop_ticketd

# An error answer from the service is shown sanitised, exit 2.
start_ticketd --fault html-error || exit 1
list --category nosuch
check_eq "an unknown category: exit 1" 1 "$(rc)"
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$TD_URL/Ticket?\$mode=Full")
check_eq "ticketd's 400 is an HTML page under html-error" 400 "$CODE"
stop_ticketd

# Credentials work as for the editor; the password never on the command line.
start_ticketd --user jgr --password s3cret || exit 1
TICKETED_PASSWORD=s3cret "$TICKETED" list --url "$TD_URL" --user jgr --mine --json >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "Basic auth: jgr's tickets (currentAssociate is the Basic user)" 900 "$(jids)"
TICKETED_PASSWORD=wrong "$TICKETED" list --url "$TD_URL" --user jgr </dev/null >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
check_eq "a refused password: exit 2" 2 "$rc"
check "... the secret is not in the log" bash -c "! grep -q s3cret '$TD_LOG'"
stop_ticketd

# Paging: 450 tickets; the service answers 200 at a time.
D=$T_TMP/many; mkdir -p "$D/tickets"; cp -r "$TOP/tests/data/service/lists" "$D/"
$PY - "$TOP/tests/data/service/tickets/901.json" "$D/tickets" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
for i in range(1, 451):
    t["TicketId"] = 10000 + i
    t["Title"] = "Bulk ticket %d" % i
    t["Messages"] = []  # a message id belongs to one ticket only
    t["LastChanged"] = "2026-11-%02dT%02d:%02d:00" % (1 + i // 100, (i // 10) % 24, i % 60)
    json.dump(t, open("%s/%d.json" % (sys.argv[2], 10000 + i), "w", encoding="utf-8"))
EOF
start_ticketd --data "$D" || exit 1
list --top 300 --json
check_eq "--top 300 over 200-row pages: 300 rows" 300 "$(wc -l <"$T_TMP/out")"
check_eq "... each once" 300 "$(jids | tr ' ' '\n' | sort -u | wc -l)"
check_eq "... two requests: \$top=301 (answered 200 and a nextLink), then \$top=101 with \$skip=200 (our own, not the nextLink's URL)" \
  "301- 101-200" \
  "$(grep -o 'GET /api/v1/Ticket?[^ ]*' "$TD_LOG" | $PY -c '
import sys, urllib.parse
for l in sys.stdin:
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(l.strip()).query)
    print("%s-%s" % (q["$top"][0], q.get("$skip", [""])[0]))' | tr '\n' ' ' | sed 's/ $//')"
list --top 1000 --json
check_eq "--top 1000: all 450" 450 "$(wc -l <"$T_TMP/out")"
stop_ticketd
