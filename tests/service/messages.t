#!/usr/bin/env bash
# ticketd's conversation calls: GET Ticket/{id}/Messages (the TicketMessage
# archive: $select, $orderBy, $top, $skip, odata.nextLink), GET
# TicketMessage/{id} (plain, HTML, hostile bodies), POST TicketMessage (a
# typed service's checks; appends to the ticket's Messages and bumps
# NumMessages/LastChanged), POST TicketMessage/{id}/Send, the
# drop-after-post fault, --persist and --dates.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
J=application/json
post() { req POST "$1" -H "Content-Type: $J" --data-binary "$2"; }

start_ticketd || exit 1

# --- the archive ----------------------------------------------------------------
req GET /Ticket/900/Messages
check_eq "archive of 900: 200" 200 "$CODE"
check_eq "archive: 8 rows in stored order, no nextLink" "8 [9001, 9002, 9003, 9005, 9006, 9007, 9008, 9004] False" \
  "$(jv 'len(d["value"])') $(jv '[r["ticketMessageId"] for r in d["value"]]') $(jv '"odata.nextLink" in d')"
check_eq "archive: odata.metadata names this server" True "$(jv 'd["odata.metadata"].startswith("http://127.0.0.1:'"$TD_PORT"'/api/v1/")')"
check_eq "archive: default columns" '["EntityName", "PrimaryKey", "author", "createdAt", "important", "slevel", "ticketMessageId"]' \
  "$(jv 'sorted(d["value"][0])')"
check_eq "archive: one internal note, marked" '["Internal", "Internal"] [9003, 9006]' \
  "$(jv '[r["slevel"] for r in d["value"] if r["slevel"] == "Internal"]') $(jv '[r["ticketMessageId"] for r in d["value"] if r["slevel"] == "Internal"]')"
check_eq "archive: important flags" "[9006, 9008]" "$(jv '[r["ticketMessageId"] for r in d["value"] if r["important"]]')"

req GET '/Ticket/900/Messages?$select=ticketMessageId,createdAt&$orderBy=createdAt%20desc&$top=3'
check_eq "newest first, first page of 3" "[9004, 9008, 9007]" "$(jv '[r["ticketMessageId"] for r in d["value"]]')"
check_eq "\$select: only those columns" '["EntityName", "PrimaryKey", "createdAt", "ticketMessageId"]' "$(jv 'sorted(d["value"][0])')"
next=$(jv 'd["odata.nextLink"]')
check_eq "odata.nextLink: the next page" "http://127.0.0.1:$TD_PORT/api/v1/Ticket/900/Messages?\$select=ticketMessageId,createdAt&\$orderBy=createdAt%20desc&\$top=3&\$skip=3" "$next"
CODE=$(curl -s -g -o "$BODY_FILE" -w '%{http_code}' "$next")
check_eq "following nextLink gives the next rows" "200 [9006, 9005, 9003]" "$CODE $(jv '[r["ticketMessageId"] for r in d["value"]]')"
req GET '/Ticket/900/Messages?$orderBy=createdAt%20desc&$top=3&$skip=6'
check_eq "last page: 2 rows, no nextLink" "[9002, 9001] False" "$(jv '[r["ticketMessageId"] for r in d["value"]]') $(jv '"odata.nextLink" in d')"
req GET '/Ticket/900/Messages?$top=0'
check_eq "\$top=0: no rows and no next page" "200 [] False" "$CODE $(jv 'd["value"]') $(jv '"odata.nextLink" in d')"
req GET '/Ticket/900/Messages?$skip=100'
check_eq "\$skip past the end: no rows" "200 []" "$CODE $(jv 'd["value"]')"
req GET '/Ticket/900/Messages?$select=ticketMessageId,body,htmlBody,messageId,header,ticketId,searchTitle&$top=1'
check_eq "body columns come from the stored body" "900 VPN drops every 10 minutes for the Bergen office <CAF1x9@mail.nordlys-shipping.no> True" \
  "$(jv 'd["value"][0]["ticketId"]') $(jv 'd["value"][0]["searchTitle"]') $(jv 'd["value"][0]["messageId"]') $(jv '"<ul>" in d["value"][0]["htmlBody"]')"
req GET '/ticket/900/messages?$SELECT=x'
check_eq "path case-insensitive; an unknown parameter is ignored" "200 8" "$CODE $(jv 'len(d["value"])')"
req GET '/Ticket/900/Messages?$select=ticketMessageId,nope'
check_eq "unknown column: 400 naming it" "400 True" "$CODE $(jv '"nope" in d["ErrorMessage"]')"
check "…in the error shape" is_error_body
req GET '/Ticket/900/Messages?$orderBy=createdAt%20sideways'; check_eq "bad sort direction: 400" 400 "$CODE"
req GET '/Ticket/900/Messages?$orderBy=body'; check_eq "sort by a body column: 400" 400 "$CODE"
req GET '/Ticket/900/Messages?$top=-1'; check_eq "negative \$top: 400" 400 "$CODE"
req GET '/Ticket/900/Messages?$top=abc'; check_eq "non-numeric \$top: 400" 400 "$CODE"
req GET "/Ticket/900/Messages?\$filter=slevel%20eq%20'Internal'"
check_eq "\$filter: 400 saying it is not served" "400 True" "$CODE $(jv '"filter" in d["ErrorMessage"]')"
req GET /Ticket/123456/Messages; check_eq "unknown ticket: 404" 404 "$CODE"
req POST /Ticket/900/Messages; check_eq "POST to the archive: 405" "405 GET" "$CODE $(header Allow)"
req GET /Ticket/900/Messages/1; check_eq "more path after Messages: 404" 404 "$CODE"

req GET '/Ticket/960/Messages?$orderBy=createdAt%20desc&$top=50'
check_eq "the 1,000-message ticket: a page of 50, newest first" "50 960999 True" \
  "$(jv 'len(d["value"])') $(jv 'd["value"][0]["ticketMessageId"]') $(jv '"$skip=50" in d["odata.nextLink"]')"
req GET '/Ticket/960/Messages?$orderBy=createdAt%20desc&$top=50&$skip=950'
check_eq "…its last page" "50 960000 False" \
  "$(jv 'len(d["value"])') $(jv 'd["value"][-1]["ticketMessageId"]') $(jv '"odata.nextLink" in d')"
req GET '/Ticket/960/Messages?$select=ticketMessageId'
check_eq "…all 1,000 without \$top" 1000 "$(jv 'len(d["value"])')"

# --- one message -----------------------------------------------------------------
req GET /TicketMessage/9003
check_eq "GET TicketMessage/9003: a plain internal note" "200 9003 Plain Internal 900 Jürgen Groß" \
  "$CODE $(jv 'd["EjMessageId"]') $(jv 'd["Type"]') $(jv 'd["Slevel"]') $(jv 'd["Ticket"]["TicketId"]') $(jv 'd["CreatedBy"]["FullName"]')"
check_eq "…its body" True "$(jv 'd["Body"].startswith("Checked the concentrator logs")')"
check_eq "…_Links" "http://127.0.0.1:$TD_PORT/api/v1/TicketMessage/9003" "$(jv 'd["_Links"]["Self"]')"
req GET /TicketMessage/9002
check_eq "an HTML reply with a list, a link and a quote" "Html True True True" \
  "$(jv 'd["Type"]') $(jv '"<ol>" in d["HtmlBody"]') $(jv '"<blockquote>" in d["HtmlBody"]') $(jv '"href=" in d["HtmlBody"]')"
req GET /TicketMessage/9001
check_eq "the customer's message names its person" "501 Ingrid Fjellheim" "$(jv 'd["Person"]["PersonId"]') $(jv 'd["Person"]["FullName"]')"
req GET /TicketMessage/6662
check_eq "the hostile HTML body is served as stored (scripts, escapes)" "True True True" \
  "$(jv '"<script" in d["HtmlBody"]') $(jv '"\x1b[31m" in d["HtmlBody"]') $(jv '"&#27;" in d["HtmlBody"]')"
req GET /TicketMessage/504999
check_eq "a message without a stored body: empty plain" "200 Plain ''" "$CODE $(jv 'd["Type"]') '$(jv 'd["Body"]')'"
req GET /TicketMessage/1; check_eq "unknown message: 404" 404 "$CODE"
check "…in the error shape" is_error_body
req GET /TicketMessage/abc; check_eq "non-numeric id: 404" 404 "$CODE"
req PATCH /TicketMessage/9003; check_eq "PATCH a message: 405" "405 GET" "$CODE $(header Allow)"

# --- POST TicketMessage ------------------------------------------------------------
req GET '/Ticket/900?$select=NumMessages,LastChanged,NumReplies'
before_n=$(jv 'd["NumMessages"]'); before_lc=$(jv 'd["LastChanged"]'); before_r=$(jv 'd["NumReplies"]')
post /TicketMessage '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"Called Ingrid: closing.","MessageId":"<ticketed-test-1@host>","TimeSpent":5}'
check_eq "POST an internal note: 200 with the new entity" "200 Internal Note Called Ingrid: closing." \
  "$CODE $(jv 'd["Slevel"]') $(jv 'd["Badge"]') $(jv 'd["Body"]')"
new=$(jv 'd["EjMessageId"]'); created=$(jv 'd["CreatedAt"]')
check "…a new id above the others" test "$new" -gt 960999
req GET '/Ticket/900?$select=NumMessages,LastChanged,NumReplies'
check_eq "NumMessages counts it, NumReplies not (a note is no reply)" "$((before_n + 1)) $before_r" "$(jv 'd["NumMessages"]') $(jv 'd["NumReplies"]')"
check_eq "LastChanged is the note's time" "$created" "$(jv 'd["LastChanged"]')"
check "…later than before" "$PY" -c 'import sys; sys.exit(not sys.argv[1] > sys.argv[2])' "$created" "$before_lc"
check_eq "…in the ticket's date style (7 digits and an offset)" True \
  "$(jv '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+01:00", d["LastChanged"]) is not None')"
req GET /Ticket/900
check_eq "the ticket's Messages ends with its row" "$new Internal Note $created" \
  "$(jv 'd["Messages"][-1]["TicketMessageId"]') $(jv 'd["Messages"][-1]["Slevel"]') $(jv 'd["Messages"][-1]["Badge"]') $(jv 'd["Messages"][-1]["CreatedAt"]')"
req GET "/Ticket/900/Messages?\$select=ticketMessageId,messageId&\$orderBy=createdAt%20desc&\$top=1"
check_eq "the archive has it first, with its MessageId" "$new <ticketed-test-1@host>" "$(jv 'd["value"][0]["ticketMessageId"]') $(jv 'd["value"][0]["messageId"]')"
req GET /TicketMessage/$new
check_eq "GET TicketMessage of it" "200 Called Ingrid: closing. 5" "$CODE $(jv 'd["Body"]') $(jv 'd["TimeSpent"]')"

post /TicketMessage '{"Ticket":{"TicketId":900},"Slevel":"External","HtmlBody":"<p>Hi Ingrid</p>","Author":"Jürgen Groß"}'
check_eq "POST an external reply: Html, counted as a reply" "200 Html Reply Jürgen Groß" \
  "$CODE $(jv 'd["Type"]') $(jv 'd["Badge"]') $(jv 'd["Author"]')"
reply=$(jv 'd["EjMessageId"]')
req GET '/Ticket/900?$select=NumReplies,RepliedAt,LastChanged'
check_eq "NumReplies and RepliedAt follow a reply" "$((before_r + 1)) True" "$(jv 'd["NumReplies"]') $(jv 'd["RepliedAt"] == d["LastChanged"]')"

bad() {  # DESC BODY — a 400 that changes nothing
  req GET '/Ticket/900?$select=NumMessages'; local n=$(jv 'd["NumMessages"]')
  post /TicketMessage "$2"
  local c=$CODE m; m=$(jv 'd.get("ErrorMessage", "")')
  req GET '/Ticket/900?$select=NumMessages'
  if [ "$c" = 400 ] && [ "$(jv 'd["NumMessages"]')" = "$n" ]; then ok "$1: 400 ($m)"; else not_ok "$1: got $c, NumMessages $n -> $(jv 'd["NumMessages"]')"; fi
}
bad "no Ticket" '{"Slevel":"Internal","Body":"x"}'
bad "TicketId not a number" '{"Ticket":{"TicketId":"900"},"Slevel":"Internal","Body":"x"}'
bad "a ticket that does not exist" '{"Ticket":{"TicketId":123456},"Slevel":"Internal","Body":"x"}'
bad "Slevel not an enum name" '{"Ticket":{"TicketId":900},"Slevel":"Secret","Body":"x"}'
bad "Slevel missing" '{"Ticket":{"TicketId":900},"Body":"x"}'
bad "Body a number" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":5}'
bad "empty message" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":""}'
bad "Important a string" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"x","Important":"yes"}'
bad "TimeSpent negative" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"x","TimeSpent":-3}'
bad "TimeSpent beyond int32" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"x","TimeSpent":3000000000}'
bad "an EjMessageId (an update, not a create)" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"x","EjMessageId":9003}'
bad "Type not an enum name" '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"x","Type":"Markdown"}'
bad "an array body" '[{"Ticket":{"TicketId":900}}]'
bad "malformed JSON" '{"Ticket":'
post /TicketMessage '{"Ticket":{"TicketId":900},"Slevel":1,"Body":"numeric enum"}'
check_eq "Slevel as its number (1 = Internal)" "200 Internal" "$CODE $(jv 'd["Slevel"]')"
req POST /TicketMessage -H 'Content-Type: text/plain' --data-binary 'x'
check_eq "wrong content type: 415" 415 "$CODE"
post /TicketMessage '{"Ticket":{"TicketId":908},"Slevel":"Internal","Body":"x"}'
check_eq "a ticket without Update rights: 403" 403 "$CODE"
req GET /TicketMessage; check_eq "GET TicketMessage (no id): 405" "405 POST" "$CODE $(header Allow)"

# --- Send ----------------------------------------------------------------------------
req POST "/TicketMessage/$reply/Send?to=ingrid.fjellheim@nordlys-shipping.no,%2B47%2012345678&cc=oystein.brekke@nordlys-shipping.no&subject=Re:%20VPN%20drops"
check_eq "Send a reply: 204, no body" "204 0" "$CODE $(stat -c %s "$BODY_FILE")"
req GET /TicketMessage/$reply
check_eq "…the message keeps the header it went out with" \
  'To: ingrid.fjellheim@nordlys-shipping.no, +47 12345678\r\nCc: oystein.brekke@nordlys-shipping.no\r\nSubject: Re: VPN drops\r\n' \
  "$(jv 'd["EmailHeader"].replace("\r", "\\r").replace("\n", "\\n")')"
req POST "/TicketMessage/$new/Send?to=x@example.com"
check_eq "sending an internal note: 400" "400 True" "$CODE $(jv '"internal" in d["ErrorMessage"]')"
req POST "/TicketMessage/$reply/Send"; check_eq "Send without to: 400" 400 "$CODE"
req POST "/TicketMessage/$reply/Send?to=no%20address"; check_eq "Send to something that is no address: 400" 400 "$CODE"
req POST "/TicketMessage/1/Send?to=x@example.com"; check_eq "Send an unknown message: 404" 404 "$CODE"
req GET "/TicketMessage/$reply/Send"; check_eq "GET .../Send: 405" "405 POST" "$CODE $(header Allow)"
stop_clean

# --- drop-after-post: done, then no answer ----------------------------------------------
start_ticketd --fault drop-after-post || exit 1
rc=0; curl -s -o /dev/null -X POST -H "Content-Type: $J" --max-time 10 \
  -d '{"Ticket":{"TicketId":900},"Slevel":"Internal","Body":"lost answer","MessageId":"<drop@host>"}' "$TD_URL/TicketMessage" || rc=$?
check_eq "drop-after-post: the connection closes without an answer (curl 52)" 52 "$rc"
req GET "/Ticket/900/Messages?\$select=messageId,body&\$orderBy=createdAt%20desc&\$top=1"
check_eq "…but the note is there, once" "<drop@host> lost answer" "$(jv 'd["value"][0]["messageId"]') $(jv 'd["value"][0]["body"]')"
req GET /Ticket/900/Messages; check_eq "…GETs are answered" 200 "$CODE"
grep -q 'POST /api/v1/TicketMessage - ' "$TD_LOG"; check_eq "…the log shows the POST dropped (status -)" 0 $?
stop_clean

# --- --persist: a note survives a restart ------------------------------------------------
cp -r "$TOP/tests/data/service" "$T_TMP/data"
start_ticketd --data "$T_TMP/data" --persist || exit 1
post /TicketMessage '{"Ticket":{"TicketId":901},"Slevel":"Internal","Body":"persisted note"}'
pid=$(jv 'd["EjMessageId"]')
check_eq "--persist: POST 200" 200 "$CODE"
check "…no temp files left" bash -c "! ls -a '$T_TMP/data/tickets' '$T_TMP/data/messages' | grep -q '\.tmp\.'"
stop_clean
start_ticketd --data "$T_TMP/data" || exit 1
req GET "/TicketMessage/$pid"
check_eq "…after a restart the note and its body are there" "200 persisted note" "$CODE $(jv 'd["Body"]')"
req GET '/Ticket/901?$select=NumMessages'; check_eq "…and the ticket counts it" 3 "$(jv 'd["NumMessages"]')"
stop_clean

# --- --dates naive: rows and entities in the response style -----------------------------
start_ticketd --dates naive || exit 1
req GET '/Ticket/900/Messages?$top=1'
check_eq "--dates naive: archive dates" "2026-11-20T08:14:03" "$(jv 'd["value"][0]["createdAt"]')"
req GET /TicketMessage/9001
check_eq "--dates naive: the entity's dates" "2026-11-20T08:14:03 2026-11-26T14:02:44" "$(jv 'd["CreatedAt"]') $(jv 'd["Ticket"]["LastChanged"]')"
stop_clean

# --- a messages file that names no message / is malformed --------------------------------
cp -r "$TOP/tests/data/service" "$T_TMP/bad"
echo '[{"EjMessageId": 9003, "Body": 5}]' >"$T_TMP/bad/messages/900.json"
"$TICKETD" --data "$T_TMP/bad" --port 0 >/dev/null 2>"$T_TMP/err"; rc=$?
check_eq "a body with a wrongly typed member: exit 1 naming the file" "1 True" \
  "$rc $(grep -q 'messages/900.json.*Body' "$T_TMP/err" && echo True || echo False)"
echo '[{"EjMessageId": 9003, "Body": "x"' >"$T_TMP/bad/messages/900.json"
"$TICKETD" --data "$T_TMP/bad" --port 0 >/dev/null 2>"$T_TMP/err"; rc=$?
check_eq "a malformed messages file: exit 1 with its position" "1 True" \
  "$rc $(grep -q 'messages/900.json:[0-9]*:[0-9]*: ' "$T_TMP/err" && echo True || echo False)"
