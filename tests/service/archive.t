#!/usr/bin/env bash
# ticketd GET /api/v1/Ticket: the Ticket archive ($select, $filter with the
# documented operators, $orderBy, $top, $skip, odata.nextLink paging,
# currentAssociate, 400 naming what is not supported).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

start_ticketd || exit 1
# q NAME=VALUE... -> GET /Ticket with each pair url-encoded
q() {
  local args=() a
  for a in "$@"; do args+=(--data-urlencode "$a"); done
  CODE=$(curl -s -g -G --max-time 20 -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' "${args[@]}" "$TD_URL/Ticket")
}
ids() { jv '" ".join(str(r["ticketId"]) for r in d["value"])'; }

q
check_eq "GET Ticket: 200" 200 "$CODE"
check_eq "the archive answer's shape" "True True" \
  "$(jv '"%s %s" % (d["odata.metadata"].endswith("/api/v1/archive$metadata"), isinstance(d["value"], list))')"
check_eq "every ticket, in id order" "666 900 901 902 903 904 905 906 907 908 950 960 4711" "$(ids)"
check_eq "rows carry PrimaryKey and EntityName" "900 ticket" \
  "$(jv '"%s %s" % (d["value"][1]["PrimaryKey"], d["value"][1]["EntityName"])')"
check_eq "default columns are display values" \
  '{"EntityName": "ticket", "PrimaryKey": 900, "deadline": "2026-11-28T16:00:00.0000000+01:00", "lastChanged": "2026-11-26T15:02:44.5180000+01:00", "ownedBy": "Jürgen Groß", "priorityName": "High", "ticketId": 900, "ticketStatusName": "Escalated to 2nd line", "title": "VPN drops every 10 minutes for the Bergen office"}' \
  "$(jv 'd["value"][1]')"
check_eq "no nextLink when everything fits" False "$(jv '"odata.nextLink" in d')"

q '$select=ticketId,categoryFullName,status,origin'
check_eq "\$select: only the columns named" '{"EntityName": "ticket", "PrimaryKey": 900, "categoryFullName": "Support/Network/VPN", "origin": "Email", "status": "Active", "ticketId": 900}' \
  "$(jv 'd["value"][1]')"
q '$select=title' '$filter=ticketId eq 4711'
check_eq "\$select without ticketId still has PrimaryKey" '[{"EntityName": "ticket", "PrimaryKey": 4711, "title": "Printer on 3rd floor prints blank pages"}]' "$(jv 'd["value"]')"

q '$filter=ownedBy currentAssociate'
check_eq "currentAssociate: --associate's default (12) owns 900" 900 "$(ids)"
q '$filter=ownedBy currentAssociate and status eq 1' '$select=ticketId'
check_eq "my open tickets (status 1 = Active)" 900 "$(ids)"
q '$filter=status eq 2' '$select=ticketId'
check_eq "status 2 = Closed" "905 908" "$(ids)"
q "\$filter=status eq 'closed'" '$select=ticketId'
check_eq "a list column also by its name, in any case" "905 908" "$(ids)"
q '$filter=ticketStatusName = 6' '$select=ticketId'
check_eq "ticketStatusName by the status id" 901 "$(ids)"
q '$filter=categoryFullName eq 2' '$select=ticketId'
check_eq "categoryFullName by the category id" "903 906 4711" "$(ids)"
q "\$filter=categoryFullName eq 'support/printers'" '$select=ticketId'
check_eq "categoryFullName by its full name" "903 906 4711" "$(ids)"
q '$filter=priorityName oneOf (3, 4)' '$select=ticketId'
check_eq "oneOf with a list of ids" "900 902 907 908" "$(ids)"
q '$filter=ownedBy associateIsOneOf (11, 13)' '$select=ticketId'
check_eq "associateIsOneOf" "902 903 907" "$(ids)"
q "\$filter=title contains 'PRINT'" '$select=ticketId'
check_eq "contains is case-insensitive" 4711 "$(ids)"
q "\$filter=title contains 'zoë' or author contains 'ÅSE'" '$select=ticketId'
check_eq "contains folds non-ASCII letters too; or" "901 904" "$(ids)"
q "\$filter=title begins 'licence'" '$select=ticketId'
check_eq "begins" 905 "$(ids)"
q "\$filter=startswith(title, 'New employee') or endswith(title, 'seats')" '$select=ticketId'
check_eq "startswith / endswith functions" "904 905" "$(ids)"
q "\$filter=substringof('blank', title)" '$select=ticketId'
check_eq "substringof" 4711 "$(ids)"
q "\$filter=author contains 'Bob\\'s'" '$select=ticketId'
check_eq "a backslash escapes a quote in a string" "" "$(ids)"
check_eq "... and that is a 200" 200 "$CODE"
q "\$filter=(priorityName eq 3 or priorityName eq 1) and status eq 1" '$select=ticketId'
check_eq "brackets, and before or" "900 902 904 907 960" "$(ids)"
q "\$filter=status eq 2 or priorityName eq 1 and status eq 1" '$select=ticketId'
check_eq "and binds tighter than or" "904 905 908 960" "$(ids)"
q "\$filter=lastChanged after '2026-11-20'" '$select=ticketId'
check_eq "dates: after a day" "900" "$(ids)"
q "\$filter=lastChanged dateBetween ('2026-11-10', '2026-11-12')" '$select=ticketId'
check_eq "dates: dateBetween takes whole days" "666 904 907" "$(ids)"
q "\$filter=deadline set" '$select=ticketId'
check_eq "dates: set (not empty)" 900 "$(ids)"
q "\$filter=numberOfMessages gt 100" '$select=ticketId,numberOfMessages'
check_eq "ints: gt" '[{"EntityName": "ticket", "PrimaryKey": 950, "numberOfMessages": 5000, "ticketId": 950}, {"EntityName": "ticket", "PrimaryKey": 960, "numberOfMessages": 1000, "ticketId": 960}]' "$(jv 'd["value"]')"

q '$orderBy=lastChanged desc' '$select=ticketId' '$top=3'
check_eq "\$orderBy lastChanged desc, \$top 3" "900 906 907" "$(ids)"
q '$orderBy=priorityName,ticketId desc' '$select=ticketId'
check_eq "\$orderBy two columns, names sorted as text" "908 907 902 900 960 905 904 4711 950 906 903 901 666" "$(ids)"
q '$orderBy=ticketId' '$select=ticketId' '$skip=10'
check_eq "\$skip" "950 960 4711" "$(ids)"
q '$select=ticketId' '$skip=100'
check_eq "\$skip past the end: no rows" "" "$(ids)"

# errors: 400 with the service's error body, naming what is not supported
err() { check_eq "$1: 400" 400 "$CODE"; check "$1: error body" is_error_body
        check_eq "$1: names it" True "$(jv "\"$2\" in d[\"ErrorMessage\"]")"; }
q '$filter=nosuch eq 1';                 err "unknown column in \$filter" "nosuch"
q '$select=ticketId,Count(title)';       err "aggregation in \$select" "Count(title)"
q '$orderBy=wrong';                      err "unknown column in \$orderBy" "wrong"
q '$orderBy=title sideways';             err "bad direction in \$orderBy" "sideways"
q '$filter=lastChanged today';           err "an unimplemented unary operator" "today"
q '$filter=title frobs 1';               err "an unknown operator" "frobs"
q "\$filter=title contains 'open";       err "an unclosed string, with its position" "\$filter:16"
q '$filter=ticketId eq 1 xor 2';         err "junk after a term" "xor"
q '$filter=ticketId contains 1';         err "an operator that does not fit the column" "contains"
q '$filter=ticketId eq (1';              err "bad value" "\$filter:"
q '$top=-1';                             err "negative \$top" "\$top"
q '$skip=x';                             err "\$skip not a number" "\$skip"
q '$mode=Full';                          err "\$mode=Full" "Full"
q '$format=xml';                         err "\$format=xml" "xml"
q '$inlineCount=AllPages';               err "an option ticketd does not implement" "\$inlineCount"
q '$top=1' '$top=2';                     err "an option given twice" "twice"
q "\$filter=$(printf '(%.0s' $(seq 1 80))ticketId eq 1"; err "brackets nested too deep" "\$filter"
q '$filter=ticketId eq 1' 'custom=whatever'
check_eq "a custom (non-\$) query option is ignored, as OData says" 200 "$CODE"
CODE=$(curl -s -o "$BODY_FILE" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$TD_URL/Ticket")
check_eq "POST /Ticket: 405" 405 "$CODE"
CODE=$(curl -s -o "$BODY_FILE" -w '%{http_code}' "$TD_URL/ticket/?\$select=ticketId")
check_eq "lower-case path with a trailing slash" 200 "$CODE"
check "hostile title comes back as JSON escapes, never raw ESC" bash -c "! grep -q \$'\\x1b' '$BODY_FILE'"
stop_clean

# The Basic user names the current associate; --associate is the fallback.
start_ticketd --user bod --password pw --associate 11 || exit 1
CODE=$(curl -s -G -u bod:pw -o "$BODY_FILE" -w '%{http_code}' --data-urlencode '$filter=ownedBy currentAssociate' \
  --data-urlencode '$select=ticketId' "$TD_URL/Ticket")
check_eq "the Basic user bod is associate 5" "666" "$(ids)"
CODE=$(curl -s -G -o "$BODY_FILE" -w '%{http_code}' --data-urlencode '$select=ticketId' "$TD_URL/Ticket")
check_eq "the archive needs credentials too" 401 "$CODE"
stop_clean
start_ticketd --associate 11 || exit 1
q '$filter=ownedBy currentAssociate' '$select=ticketId'
check_eq "--associate 11" "902 907" "$(ids)"
stop_clean

# Paging: 450 tickets; at most 200 rows an answer, odata.nextLink goes on.
D=$T_TMP/many; mkdir -p "$D/tickets"; cp -r "$TOP/tests/data/service/lists" "$D/"
"$PY" - "$TOP/tests/data/service/tickets/901.json" "$D/tickets" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
for i in range(1, 451):
    t["TicketId"] = 10000 + i
    t["Title"] = "Bulk ticket %d" % i
    t["Messages"] = []  # a message id belongs to one ticket only
    json.dump(t, open("%s/%d.json" % (sys.argv[2], 10000 + i), "w", encoding="utf-8"))
EOF
start_ticketd --data "$D" || exit 1
q '$select=ticketId' '$orderBy=ticketId desc'
check_eq "a page holds 200 rows" "200 10450 10251" "$(jv '"%d %d %d" % (len(d["value"]), d["value"][0]["ticketId"], d["value"][-1]["ticketId"])')"
link=$(jv 'd["odata.nextLink"]')
check_eq "the nextLink keeps the query and moves \$skip" \
  "http://127.0.0.1:$TD_PORT/api/v1/Ticket?\$select=ticketId&\$orderBy=ticketId%20desc&\$skip=200" "$link"
pages=1 rows=200
for i in 1 2 3 4 5; do
  [ -n "$link" ] && [ "$link" != "<error: 'odata.nextLink'>" ] || break
  CODE=$(curl -s -g -o "$BODY_FILE" -w '%{http_code}' "$link")
  rows=$((rows + $(jv 'len(d["value"])'))); pages=$((pages + 1))
  link=$(jv 'd.get("odata.nextLink", "")')
done
check_eq "following nextLink gives every row once, in 3 pages" "450 3" "$rows $pages"
q '$select=ticketId' '$top=250' '$skip=10'
check_eq "\$top beyond a page: 200 now, the nextLink asks for the other 50" \
  "200 http://127.0.0.1:$TD_PORT/api/v1/Ticket?\$select=ticketId&\$top=50&\$skip=210" \
  "$(jv '"%d %s" % (len(d["value"]), d["odata.nextLink"])')"
q '$select=ticketId' '$top=200'
check_eq "\$top of exactly a page: no nextLink" False "$(jv '"odata.nextLink" in d')"
stop_clean
