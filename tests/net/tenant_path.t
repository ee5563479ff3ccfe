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
# a wrong base URL is a path no route matches: the user hears that, never
# "ticket 900 not found" (the editor as well as get)
check_eq "…and is asked whether the base URL is right" \
  "ticketed: ticket 900: GET http://127.0.0.1:$TD_PORT/api/v1/Ticket/900 answered 404 without a SuperOffice error body: is the base URL right?" \
  "$(cat "$T_TMP/err2")"
printf 'q\n' >"$T_TMP/q.replay"
(cd "$T_TMP" && "$TICKETED" --url "http://127.0.0.1:$TD_PORT/Cust12345/api/v2" --headless --replay "$T_TMP/q.replay" 900 \
   >/dev/null 2>"$T_TMP/err3"); rc=$?
check_eq "the editor on a wrong base URL: exit 2, asking whether it is right" \
  "2 ticketed: cannot load ticket 900: GET http://127.0.0.1:$TD_PORT/Cust12345/api/v2/Ticket/900 answered 404 without a SuperOffice error body: is the base URL right?" \
  "$rc $(cat "$T_TMP/err3")"
"$TICKETED" get --url "$URL" 123456 >/dev/null 2>"$T_TMP/err4"
check_eq "an unknown ticket under the right URL is still 'not found'" "ticketed: ticket 123456: Ticket id 123456 not found" "$(cat "$T_TMP/err4")"

# The tenant status call (GET https://ENV.superoffice.com/api/state/CustNNNNN,
# no credentials): ticketd answers it for its --prefix tenant as the status
# page documents it, with the Endpoint the client reached it on.
STATE=http://127.0.0.1:$TD_PORT/api/state/Cust12345
check_eq "GET /api/state/Cust12345: the documented members, Running" \
  "Cust12345 http://127.0.0.1:$TD_PORT/Cust12345 Running True http://127.0.0.1:$TD_PORT/Cust12345/api True" \
  "$(curl -s "$STATE" | /usr/bin/python3 -c 'import json,sys,datetime as D; d=json.load(sys.stdin)
v=D.datetime.strptime(d["ValidUntil"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=D.timezone.utc)
print(d["ContextIdentifier"], d["Endpoint"], d["State"], d["IsRunning"], d["Api"], v > D.datetime.now(D.timezone.utc))' 2>&1)"
check_eq "another tenant id: State Unknown, not running, no Endpoint" "Unknown False" \
  "$(curl -s "http://127.0.0.1:$TD_PORT/api/state/Cust99999" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["State"], d["IsRunning"], d["Endpoint"])' 2>&1 | sed 's/ $//')"
# the configured url is stale (a closed port): the state tells where the tenant is
dead=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
n=$(wc -l <"$TD_LOG")
"$TICKETED" get --url "http://127.0.0.1:$dead/Cust12345/api/v1" --tenant-status "$STATE" 900 >"$T_TMP/st.json" 2>"$T_TMP/st.err"; rc=$?
check_eq "--tenant-status against ticketd: the ticket is loaded from the state's Endpoint (exit 0)" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/st.err" | head -5
td_log_sync
check_eq "... the state first, then the ticket under the tenant path" \
  "GET /api/state/Cust12345 GET /Cust12345/api/v1/Ticket/900" \
  "$(tail -n +$((n + 1)) "$TD_LOG" | grep -v td_log_sync | awk '{print $2, $3}' | tr '\n' ' ' | sed 's/ $//')"
stop_ticketd
start_ticketd --data "$TOP/tests/data/service" --prefix /Cust12345 --fault maintenance || exit 1
"$TICKETED" get --url "http://127.0.0.1:$dead/Cust12345/api/v1" \
  --tenant-status "http://127.0.0.1:$TD_PORT/api/state/Cust12345" 900 >/dev/null 2>"$T_TMP/maint.err"; rc=$?
check_eq "a tenant in maintenance (ticketd --fault maintenance): exit 2" 2 "$rc"
check "... the message names the state" grep -q 'OfflineMaintenance' "$T_TMP/maint.err"

# A tenant that moved (ticketd --fault moved=URL: every call of the tenant
# answers 302 to the same path under URL, as an old endpoint behind a load
# balancer would; the status call names URL as the Endpoint). The redirect
# is never followed with credentials: the message says where to point the url.
stop_ticketd
start_ticketd --data "$TOP/tests/data/service" --prefix /Cust12345 || exit 1
NEW_LOG=$TD_LOG NEW=http://127.0.0.1:$TD_PORT/Cust12345 NEW_PORT=$TD_PORT
start_ticketd --data "$TOP/tests/data/service" --prefix /Cust12345 --token T0k --fault "moved=$NEW" || exit 1
OLD=http://127.0.0.1:$TD_PORT/Cust12345/api/v1
check_eq "the old endpoint: 302 to the same path under the new one" \
  "302 $NEW/api/v1/Ticket/900?\$select=Title" \
  "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$OLD/Ticket/900?\$select=Title")"
TICKETED_TOKEN=T0k "$TICKETED" get --auth bearer --url "$OLD" 900 >/dev/null 2>"$T_TMP/moved.err"; rc=$?
check_eq "ticketed get at the old endpoint: exit 2" 2 "$rc"
check "... the message names the target and the url to set" \
  grep -qF "HTTP 302 to $NEW/api/v1/Ticket/900: set url to $NEW/api/v1" "$T_TMP/moved.err"
[ "$rc" = 2 ] || sed 's/^/#   /' "$T_TMP/moved.err" | head -3
check "... nothing (and no token) went to the new endpoint" bash -c "! grep -q 'Ticket/900' '$NEW_LOG'"
check_eq "the status call names the new Endpoint" "$NEW" \
  "$(curl -s "http://127.0.0.1:$TD_PORT/api/state/Cust12345" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Endpoint"])' 2>&1)"
TICKETED_TOKEN=T0k "$TICKETED" get --auth bearer --url "$OLD" --tenant-status "http://127.0.0.1:$TD_PORT/api/state/Cust12345" \
  900 >/dev/null 2>"$T_TMP/moved2.err"; rc=$?
check_eq "with --tenant-status the moved tenant is found (exit 0)" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/moved2.err" | head -3
