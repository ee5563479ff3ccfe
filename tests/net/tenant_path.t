#!/usr/bin/env bash
# An Online tenant's base URL carries the tenant: https://ENV.superoffice.com/
# Cust12345/api/v1. ticketed works under such a path (ticketd --prefix): the
# load, the custom field definitions, a search and a save all go under it.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" --prefix /Cust12345 || exit 1
URL=http://127.0.0.1:$TD_PORT/Cust12345/api/v1

"$TICKETED" get --url "$URL" 900 >"$T_TMP/get.json" 2>"$T_TMP/get.err"; rc=$?
check_eq "ticketed get under /Cust12345/api/v1: exit 0" 0 "$rc"
check_eq "…the ticket" 900 "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["TicketId"])' "$T_TMP/get.json" 2>&1)"

cat >"$T_TMP/edit.replay" <<'R'
/Affected users<Enter>
<Enter><C-u>16<Enter>
/Contact person<Enter>
<Enter>
lefèvre<Enter>
<Enter>
s
:expect status 200
:expect field CustomFields/x_affected_users "16"
q
R
(cd "$T_TMP" && "$TICKETED" --url "$URL" --headless --replay "$T_TMP/edit.replay" 900 >"$T_TMP/out" 2>"$T_TMP/err"); rc=$?
check_eq "an edit saved under the tenant path: exit 0" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/err" | head -20
for line in "GET /Cust12345/api/v1/Ticket/900 200" "GET /Cust12345/api/v1/Ticket/CustomField 200" \
            "GET /Cust12345/api/v1/MDOList/person_new?query=lef%C3%A8vre 200" \
            "PATCH /Cust12345/api/v1/Ticket/900 200"; do
  check "ticketd saw: $line" grep -qF "$line" "$TD_LOG"
done
check "nothing went outside the tenant path" bash -c "! grep -E ' (GET|PATCH) /api/' '$TD_LOG'"
got=$(curl -s "$URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["CustomFields"]["x_affected_users"], d["Person"]["PersonId"])')
check_eq "the server has the edits" "[I:16] 503" "$got"

"$TICKETED" get --url "http://127.0.0.1:$TD_PORT/api/v1" 900 >/dev/null 2>"$T_TMP/err2"; rc=$?
check_eq "without the tenant in the URL: the ticket cannot be loaded (exit 2)" 2 "$rc"
