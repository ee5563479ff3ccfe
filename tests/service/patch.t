#!/usr/bin/env bash
# ticketd PATCH and PUT: both patch kinds under every content type, each
# error status, atomicity, LastChanged, reference resolution, rights.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
start_ticketd || exit 1
JP=application/json-patch+json MP=application/merge-patch+json AJ=application/json

lastchanged() { req GET "/Ticket/$1"; jv 'd["LastChanged"]'; }

# --- JSON Patch and merge patch, told apart by the body, under each type
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Title","value":"Printer prints blank pages (toner?)"}]'
check_eq "JSON Patch under $JP: 200" 200 "$CODE"
check_eq "200 returns the whole updated entity" "Printer prints blank pages (toner?) 4711 True" \
  "$(jv 'd["Title"]') $(jv 'd["TicketId"]') $(jv 'len(d["Messages"]) == 1 and d["Author"] == "Bjørn Ødegård"')"
patch /Ticket/4711 $MP '{"Title":"Merge title"}'
check_eq "merge patch under $MP: 200" "200 Merge title" "$CODE $(jv 'd["Title"]')"
patch /Ticket/4711 $AJ '[{"op":"replace","path":"title","value":"Plain JSON patch"}]'
check_eq "JSON Patch under $AJ (slash-less, lower-case path)" "200 Plain JSON patch" "$CODE $(jv 'd["Title"]')"
patch /Ticket/4711 "$AJ; charset=utf-8" '{"Title":"Plain merge"}'
check_eq "merge patch under $AJ; charset=utf-8" "200 Plain merge" "$CODE $(jv 'd["Title"]')"
patch /Ticket/4711 $JP '{"Title":"object under json-patch type"}'
check_eq "an object under $JP is a merge patch too (array vs object decides)" "200 object under json-patch type" "$CODE $(jv 'd["Title"]')"
patch /Ticket/4711 $MP '[{"op":"replace","path":"/TITLE","value":"array under merge type"}]'
check_eq "an array under $MP is a JSON Patch; paths case-insensitive" "200 array under merge type" "$CODE $(jv 'd["Title"]')"
patch /Ticket/4711 text/plain '[]'
check_eq "text/plain: 415" 415 "$CODE"; check "415 error body" is_error_body
req PATCH /Ticket/4711 -H 'Content-Type:' --data-binary '[]'
check_eq "no Content-Type: 415" 415 "$CODE"
patch /Ticket/4711 application/xml '<x/>'
check_eq "application/xml: 415" 415 "$CODE"
patch /Ticket/4711 $AJ '"just a string"'
check_eq "a JSON string body: 400" 400 "$CODE"
patch /Ticket/4711 $MP '{"CustomFields":{"x_floor":"[I:4]","x_printer_model":""}}'
check_eq "merge patch: map keys set one by one" '[I:4]|' \
  "$(jv 'd["CustomFields"]["x_floor"]')|$(jv 'd["CustomFields"]["x_printer_model"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/customfields/X_FLOOR","value":"[I:5]"},{"op":"test","path":"/CustomFields/x_floor","value":"[I:5]"}]'
check_eq "map keys by JSON Patch, paths case-insensitive" '200 [I:5]' "$CODE $(jv 'd["CustomFields"]["x_floor"]')"

# --- 400s
patch /Ticket/4711 $JP '[{"op":"move","from":"/Title","path":"/Author"}]'
check_eq "move: 400" 400 "$CODE"; check "move: error body" is_error_body
patch /Ticket/4711 $JP '[{"op":"copy","from":"/Title","path":"/Author"}]'
check_eq "copy: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Title","value":"x"'
check_eq "malformed JSON: 400" 400 "$CODE"
check_eq "malformed JSON: message with a position" True "$(jv 'bool(__import__("re").search(r":1:\d+", d["ErrorMessage"]))')"
printf '[\n  {"op": "replace",\n   "path": "/Title" "value": 1}]' >"$T_TMP/bad.json"
req PATCH /Ticket/4711 -H "Content-Type: $JP" --data-binary @"$T_TMP/bad.json"
check_eq "malformed JSON on line 3: message says :3:" True "$(jv '":3:" in d["ErrorMessage"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/NoSuchField","value":1}]'
check_eq "bad path: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Tags/17","value":{"Id":1}}]'
check_eq "bad array index: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"frobnicate","path":"/Title","value":1}]'
check_eq "unknown op: 400" 400 "$CODE"
for v in '"high"' '1.5' '2147483648' 'null' 'true'; do
  patch /Ticket/4711 $JP "[{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":$v}]"
  check_eq "AlertLevel = $v: 400" 400 "$CODE"
done
check_eq "the type error names the field" True "$(jv '"AlertLevel" in d["ErrorMessage"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/ConnectId","value":-2147483648}]'
check_eq "ConnectId = INT32_MIN is fine" "200 -2147483648" "$CODE $(jv 'd["ConnectId"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":"2026-13-01T00:00:00"}]'
check_eq "bad date string: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":"next tuesday"}]'
check_eq "non-date string: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":42}]'
check_eq "number as date: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Origin","value":"Carrier pigeon"}]'
check_eq "enum name not in the list: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/BaseStatus","value":"Postponed"},{"op":"replace","path":"/Slevel","value":"internal"}]'
check_eq "enum names (case-insensitive, canonical spelling stored)" "200 Postponed Internal" "$CODE $(jv 'd["BaseStatus"]') $(jv 'd["Slevel"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Title","value":7}]'
check_eq "number as Title: 400" 400 "$CODE"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/CustomFields/x_floor","value":{"nested":1}}]'
check_eq "object as custom value: 400" 400 "$CODE"
for f in TicketId CreatedAt LastChanged NumMessages HasAttachment ReadByOwner TimeToReply RealTimeSpentQueue ClosedAt TableRight; do
  patch /Ticket/4711 $JP "[{\"op\":\"replace\",\"path\":\"/$f\",\"value\":77}]"
  check_eq "read-only $f: 400" 400 "$CODE"
done
patch /Ticket/4711 $JP '[{"op":"add","path":"/Messages/-","value":{"TicketMessageId":1}}]'
check_eq "read-only Messages (add): 400" 400 "$CODE"
check_eq "the message names the read-only field" True "$(jv '"Messages" in d["ErrorMessage"] and "read-only" in d["ErrorMessage"]')"
patch /Ticket/4711 $JP '[{"op":"remove","path":"/CreatedBy"}]'
check_eq "remove a read-only field: 400" 400 "$CODE"
patch /Ticket/4711 $MP '{"NumReplies": 99}'
check_eq "read-only by merge patch: 400" 400 "$CODE"
before=$(lastchanged 4711)
patch /Ticket/4711 $JP '[{"op":"test","path":"/TicketId","value":4711},{"op":"test","path":"createdat","value":"2026-10-02T08:30:00"}]'
check_eq "a test on read-only fields is fine" 200 "$CODE"
check_eq "tests only: LastChanged not bumped" "$before" "$(jv 'd["LastChanged"]')"

# --- 409, 404
patch /Ticket/4711 $JP '[{"op":"test","path":"/AlertLevel","value":12345},{"op":"replace","path":"/Title","value":"never"}]'
check_eq "failed test: 409" 409 "$CODE"; check "409 error body" is_error_body
check_eq "409 message says which path" True "$(jv '"AlertLevel" in d["ErrorMessage"] or "alertlevel" in d["ErrorMessage"].lower()')"
req GET /Ticket/4711; check_eq "409 applied nothing" False "$(jv 'd["Title"] == "never"')"
patch /Ticket/999999 $JP '[{"op":"replace","path":"/Title","value":"x"}]'
check_eq "PATCH unknown ticket: 404" 404 "$CODE"

# --- atomicity: the 3rd op fails, the first two are not applied
req GET /Ticket/901; cp "$BODY_FILE" "$T_TMP/901.before"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Title","value":"A"},{"op":"replace","path":"/AlertLevel","value":9},{"op":"test","path":"/Author","value":"someone else"}]'
check_eq "3rd op (test) fails: 409" 409 "$CODE"
req GET /Ticket/901; check "…and the ticket is unchanged (GET)" cmp -s "$T_TMP/901.before" "$BODY_FILE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Title","value":"A"},{"op":"replace","path":"/AlertLevel","value":9},{"op":"replace","path":"/Nope/x","value":1}]'
check_eq "3rd op (bad path) fails: 400" 400 "$CODE"
req GET /Ticket/901; check "…and the ticket is unchanged" cmp -s "$T_TMP/901.before" "$BODY_FILE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Title","value":"A"},{"op":"replace","path":"/AlertLevel","value":9},{"op":"replace","path":"/AlertLevel","value":"nine"}]'
check_eq "3rd op (wrong type) fails: 400" 400 "$CODE"
req GET /Ticket/901; check "…and the ticket is unchanged" cmp -s "$T_TMP/901.before" "$BODY_FILE"

# --- LastChanged
before=$(lastchanged 902)
patch /Ticket/902 $JP '[{"op":"replace","path":"/Title","value":"Invoice 2026-1043 charged twice"}]'
check_eq "replace with the same value: 200" 200 "$CODE"
check_eq "…LastChanged not bumped" "$before" "$(jv 'd["LastChanged"]')"
patch /Ticket/902 $MP '{}'
check_eq "empty merge patch: no bump" "200 $before" "$CODE $(jv 'd["LastChanged"]')"
t0=$(date -u +%s)
patch /Ticket/902 $JP '[{"op":"replace","path":"/AlertLevel","value":3}]'
after=$(jv 'd["LastChanged"]')
check "an effective change bumps LastChanged (naive style kept)" \
  "$PY" -c 'import sys,re; a,b=sys.argv[1:]; sys.exit(not (b > a and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", b)))' "$before" "$after"
now=$(date -u +%s); lc=$(date -u -d "$after" +%s)
# between the clock just before the request and just after (whole seconds)
check "…to now (between the clock before and after the request)" test "$lc" -ge "$t0" -a "$lc" -le "$now"
patch /Ticket/902 $JP '[{"op":"replace","path":"/AlertLevel","value":4}]'
check "two changes in the same second still move LastChanged forward" \
  "$PY" -c 'import sys; sys.exit(not sys.argv[2] > sys.argv[1])' "$after" "$(jv 'd["LastChanged"]')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/AlertLevel","value":5}]'
check_eq "offset-style ticket keeps its style on bump" True \
  "$(jv '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+01:00", d["LastChanged"]) is not None')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/Deadline","value":"2026-12-01T10:00:00"}]'
check_eq "a naive date into an offset ticket is stored in the ticket's style" "2026-12-01T11:00:00.0000000+01:00" "$(jv 'd["Deadline"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":"2026-12-01T10:00:00.5+01:00"}]'
check_eq "an offset date into a naive ticket becomes naive UTC" "2026-12-01T09:00:00" "$(jv 'd["Deadline"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":null}]'
check_eq "a null date is refused (a DateTime is never null), naming the field" "400 True" \
  "$CODE $(jv '"Deadline" in d["ErrorMessage"] and "0001-01-01T00:00:00" in d["ErrorMessage"]')"
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Deadline","value":"0001-01-01T00:00:00"}]'
check_eq "the empty date empties it" "200 0001-01-01T00:00:00" "$CODE $(jv 'd["Deadline"]')"

# --- If-Unmodified-Since
patch /Ticket/903 $JP '[{"op":"replace","path":"/AlertLevel","value":1}]' -H 'If-Unmodified-Since: Wed, 21 Oct 2015 07:28:00 GMT'
check_eq "If-Unmodified-Since before LastChanged: 412" 412 "$CODE"; check "412 error body" is_error_body
lc=$(lastchanged 903); ius=$(date -u -d "$lc" '+%a, %d %b %Y %H:%M:%S GMT')
patch /Ticket/903 $JP '[{"op":"replace","path":"/AlertLevel","value":1}]' -H "If-Unmodified-Since: $ius"
check_eq "If-Unmodified-Since = LastChanged (whole seconds): 200" 200 "$CODE"
patch /Ticket/903 $JP '[{"op":"replace","path":"/AlertLevel","value":2}]' -H "If-Unmodified-Since: $ius"
check_eq "…the same header after that change: 412" 412 "$CODE"
req GET /Ticket/903; check_eq "412 applied nothing" 1 "$(jv 'd["AlertLevel"]')"
patch /Ticket/903 $JP '[{"op":"replace","path":"/AlertLevel","value":2}]' -H 'If-Unmodified-Since: yesterday-ish'
check_eq "unparseable If-Unmodified-Since is ignored" 200 "$CODE"
patch /Ticket/903 $JP '[{"op":"replace","path":"/AlertLevel","value":3}]' -H 'If-Unmodified-Since: Fri, 01 Jan 2100 00:00:00 GMT'
check_eq "If-Unmodified-Since in the future: 200" 200 "$CODE"

# --- references
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy/AssociateId","value":5}]'
check_eq "replace /OwnedBy/AssociateId 5 fills OwnedBy in full" "5 Bjørn Ødegård BOD 101 InternalAssociate" \
  "$(jv '"%d %s %s %d %s" % (d["OwnedBy"]["AssociateId"], d["OwnedBy"]["FullName"], d["OwnedBy"]["Name"], d["OwnedBy"]["PersonId"], d["OwnedBy"]["Type"])')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy","value":{"AssociateId":8}}]'
check_eq "replace /OwnedBy {AssociateId 8} resolves too" "José Álvarez" "$(jv 'd["OwnedBy"]["FullName"]')"
patch /Ticket/901 $MP '{"OwnedBy":{"AssociateId":12}}'
check_eq "merge {OwnedBy:{AssociateId:12}} resolves" "Jürgen Groß" "$(jv 'd["OwnedBy"]["FullName"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy/AssociateId","value":0}]'
check_eq "OwnedBy 0: unassigned" "0 ''" "$(jv 'd["OwnedBy"]["AssociateId"]') '$(jv 'd["OwnedBy"]["FullName"]')'"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Category/TicketCategoryId","value":2},{"op":"replace","path":"/OwnedBy/AssociateId","value":2147483647}]'
check_eq "OwnedBy 2147483647: category 2 (Printers) assigns Zoë Martin" "7 Zoë Martin" \
  "$(jv 'd["OwnedBy"]["AssociateId"]') $(jv 'd["OwnedBy"]["FullName"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy/AssociateId","value":4242}]'
check_eq "unknown associate: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy/AssociateId","value":15}]'
check_eq "deleted associate: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/OwnedBy/FullName","value":"Somebody Else"}]'
check_eq "a non-key member of OwnedBy is re-read from the list (no-op)" "200 Zoë Martin" "$CODE $(jv 'd["OwnedBy"]["FullName"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Category/TicketCategoryId","value":4}]'
check_eq "Category resolved with its full path" "Support/Network/VPN VPN 3" \
  "$(jv 'd["Category"]["Fullname"]') $(jv 'd["Category"]["Name"]') $(jv 'd["Category"]["ParentId"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Category/TicketCategoryId","value":99}]'
check_eq "unknown category: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Priority/TicketPriorityId","value":3}]'
check_eq "Priority resolved" "High AlertSchedule" "$(jv 'd["Priority"]["Name"]') $(jv 'd["Priority"]["Flags"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Priority/TicketPriorityId","value":5}]'
check_eq "deleted priority: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Status/TicketStatusId","value":2}]'
check_eq "Status resolved; BaseStatus follows it" "Closed Closed" "$(jv 'd["Status"]["Name"]') $(jv 'd["BaseStatus"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Status/TicketStatusId","value":77}]'
check_eq "unknown status: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Status/TicketStatusId","value":"2"}]'
check_eq "string id: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"add","path":"/Tags/-","value":{"Id":7}}]'
check_eq "Tags added by Id are filled from the list" "Security" "$(jv '[t["Name"] for t in d["Tags"] if t["Id"] == 7][0]')"
patch /Ticket/901 $JP '[{"op":"add","path":"/Tags/-","value":{"Id":404}}]'
check_eq "unknown tag id: 400" 400 "$CODE"
patch /Ticket/901 $MP '{"Tags":[{"Id":9},{"Id":10}]}'
check_eq "merge replaces the tag set" '["Høy prioritet", "紧急"]' "$(jv '[t["Name"] for t in d["Tags"]]')"
patch /Ticket/901 $JP '[{"op":"remove","path":"/Tags/0"}]'
check_eq "remove a tag by index" '["紧急"]' "$(jv '[t["Name"] for t in d["Tags"]]')"

# --- rights and mandatory fields
patch /Ticket/908 $JP '[{"op":"replace","path":"/Title","value":"x"}]'
check_eq "TableRight without Update: 403" 403 "$CODE"; check "403 error body" is_error_body
patch /Ticket/908 $JP '[{"op":"test","path":"/Title","value":"Archived: mail server outage 2025-12-24"}]'
check_eq "…but a pure test on it is fine" 200 "$CODE"
patch /Ticket/907 $JP '[{"op":"replace","path":"/Author","value":"x"}]'
check_eq "FieldRight Read: 403" 403 "$CODE"
patch /Ticket/907 $JP '[{"op":"replace","path":"/FromAddress","value":"x@example.com"}]'
check_eq "FieldRight UIHintReadOnly: 403" 403 "$CODE"
patch /Ticket/907 $JP '[{"op":"replace","path":"/Title","value":""}]'
check_eq "UIHintMandatory Title emptied: 400" 400 "$CODE"
patch /Ticket/907 $JP '[{"op":"replace","path":"/Title","value":"Audit finding: firewall change (approved later)"}]'
check_eq "an editable field of 907: 200" 200 "$CODE"

# --- $select on PATCH's 200 body
patch '/Ticket/904?$select=TicketId,Title' $JP '[{"op":"replace","path":"/Title","value":"Onboarding: Zoë"}]'
check_eq "\$select honoured on PATCH's 200" "904 Onboarding: Zoë null" "$(jv 'd["TicketId"]') $(jv 'd["Title"]') $(jv 'd["Author"]')"

# --- PUT replaces the entity
req GET /Ticket/905
"$PY" - "$BODY_FILE" >"$T_TMP/put.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["Title"] = "Licence renewal quote for 30 seats"
d["NumMessages"] = 999             # read-only: ignored by PUT
d["OwnedBy"] = {"AssociateId": 6}  # resolved from the list
del d["Deadline"]
print(json.dumps(d))
PYEOF
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary @"$T_TMP/put.json"
check_eq "PUT: 200 with the entity" "200 Licence renewal quote for 30 seats" "$CODE $(jv 'd["Title"]')"
check_eq "PUT ignores read-only fields, resolves references" "0 Åse Kværnø" "$(jv 'd["NumMessages"]') $(jv 'd["OwnedBy"]["FullName"]')"
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary '{"TicketId": 1, "Title": "x"}'
check_eq "PUT with another TicketId: 400" 400 "$CODE"
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary '[]'
check_eq "PUT of an array: 400" 400 "$CODE"
req PUT /Ticket/99999 -H "Content-Type: $AJ" --data-binary '{"Title":"x"}'
check_eq "PUT unknown ticket: 404" 404 "$CODE"
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary @"$T_TMP/put.json" -H 'If-Unmodified-Since: Wed, 21 Oct 2015 07:28:00 GMT'
check_eq "PUT honours If-Unmodified-Since: 412" 412 "$CODE"
stop_clean

# --- more hostile bodies
start_ticketd || exit 1
deep=$(printf '[%.0s' $(seq 1 5000))
patch /Ticket/900 application/json "$deep"
check_eq "5000-deep nesting: 400, not a crash" 400 "$CODE"
patch /Ticket/900 application/json '[{"op":"replace","path":"/Category/TicketCategoryId","value":5}]'
check_eq "deleted category: 400" 400 "$CODE"
check_eq "…the message says deleted" True "$(jv '"deleted" in d["ErrorMessage"]')"
patch /Ticket/900 application/json '[{"op":"add","path":"/SecondaryPersons/-","value":{"PersonId":"x"}}]'
check_eq "SecondaryPersons element without an int PersonId: 400" 400 "$CODE"
patch /Ticket/900 application/json '[{"op":"remove","path":"/Status"}]'
check_eq "removing a required reference: 400" 400 "$CODE"
patch /Ticket/900 application/json '[{"op":"remove","path":"/Title"}]'
check_eq "removing the mandatory Title of 900: 400" 400 "$CODE"
patch /Ticket/900 application/json '[{"op":"remove","path":"/FromAddress"}]'
check_eq "remove resets a string field to empty" "200 ''" "$CODE '$(jv 'd["FromAddress"]')'"
patch /Ticket/900 application/json '[]'
check_eq "an empty patch is a 200 no-op" 200 "$CODE"

# --- Messages (ticketd keeps it as text until something walks into it)
req GET /Ticket/950; author=$(jv 'd["Messages"][4321]["Author"]'); lc=$(jv 'd["LastChanged"]')
patch /Ticket/950 $JP "[{\"op\":\"test\",\"path\":\"/Messages/4321/Author\",\"value\":\"$author\"},{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":4}]"
check_eq "a test into Messages that holds, then a change: 200" "200 4 5000" "$CODE $(jv 'd["AlertLevel"]') $(jv 'len(d["Messages"])')"
patch /Ticket/950 $JP '[{"op":"test","path":"/messages/4321/author","value":"someone else"}]'
check_eq "a test into Messages that fails: 409" 409 "$CODE"
patch /Ticket/950 $JP '[{"op":"replace","path":"/Messages/4321/Author","value":"x"}]'
check_eq "a change inside Messages: 400 read-only" "400 True" "$CODE $(jv '"Messages" in d["ErrorMessage"]')"
req GET '/Ticket/950?$select=Messages/Author,TicketId'
check_eq "\$select into Messages: every message, only Author" "5000 $author None 950" \
  "$(jv 'len(d["Messages"])') $(jv 'd["Messages"][4321]["Author"]') $(jv 'str(d["Messages"][0]["CreatedAt"])') $(jv 'd["TicketId"]')"
req GET /Ticket/950
check_eq "…and the ticket answers whole as before" "5000 $author" "$(jv 'len(d["Messages"])') $(jv 'd["Messages"][4321]["Author"]')"
stop_clean
