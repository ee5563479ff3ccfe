#!/usr/bin/env bash
# ticketd behaves like a real SuperOffice tenant: custom field
# definitions and encoded CustomFields values, dates that are never null,
# multi-language names translated for Accept-Language only, throttling and
# maintenance with Retry-After, the tenant path prefix, MDO lists as trees
# and searches, the references a ticket may set, the enums of the docs.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/service/common.sh"
JP=application/json-patch+json
MP=application/merge-patch+json

start_ticketd || exit 1

# --- custom field definitions -------------------------------------------------
req GET /Ticket/CustomField
check_eq "GET Ticket/CustomField: 200, an array of the documented members" "200 True" \
  "$CODE $(jv 'isinstance(d, list) and len(d) >= 10 and all({"FieldType","FieldName","DisplayName","Description","ShortLabel","HideLabel","HideField","IsIndexed","IsMandatory","IsReadOnly","IsExternal","Rank","TemplateVariableName"} <= set(x) for x in d)')"
check_eq "without Accept-Language a DisplayName stays multi-language encoded" 'NO:"Sted";US:"Site"' \
  "$(jv '[x["DisplayName"] for x in d if x["FieldName"] == "x_site"][0]')"
check_eq "FieldType names: Integer, Decimal, Date, DateTime, Checkbox, ShortText, LongText" True \
  "$(jv '{"Integer","Decimal","Date","DateTime","Checkbox","ShortText","LongText"} <= {x["FieldType"] for x in d}')"
check_eq "one field hidden, one read-only, one mandatory" "1 1 1" \
  "$(jv 'sum(x["HideField"] for x in d)') $(jv 'sum(x["IsReadOnly"] for x in d)') $(jv 'sum(x["IsMandatory"] for x in d)')"
req GET /Ticket/CustomField -H 'Accept-Language: nb-NO'
check_eq "Accept-Language nb-NO: the NO entry" "Sted|Kundens kontor" \
  "$(jv '[x["DisplayName"] + "|" + x["Description"] for x in d if x["FieldName"] == "x_site"][0]')"
req GET /Ticket/CustomField -H 'Accept-Language: nb-NO' -H 'SO-Language: en'
check_eq "SO-Language overrides Accept-Language" Site "$(jv '[x["DisplayName"] for x in d if x["FieldName"] == "x_site"][0]')"
req GET /Ticket/CustomField/x_affected_users -H 'Accept-Language: *'
check_eq "Ticket/CustomField/{name}: one definition (Accept-Language *: US)" "200 Affected users Integer" \
  "$CODE $(jv 'd["DisplayName"]') $(jv 'd["FieldType"]')"
req GET /Ticket/CustomField/x_nope
check_eq "an unknown field name: 404" 404 "$CODE"
req GET /Ticket/900
check_eq "ticket 900 carries every defined field" True \
  "$(curl -s "$TD_URL/Ticket/CustomField" | $PY -c 'import json,sys; print(sorted(x["FieldName"] for x in json.load(sys.stdin)))' | tr -d '\n' > "$T_TMP/names"; \
     jv 'sorted(d["CustomFields"]) == eval(open("'"$T_TMP/names"'").read())')"
req GET /Ticket/901
check_eq "…and so does 901 (unset fields empty, a checkbox [I:0])" "'' [I:0]" \
  "'$(jv 'd["CustomFields"]["x_site"]')' $(jv 'd["CustomFields"]["x_onsite_visit"]')"

# --- CustomFields values: encoded strings that fit their type ------------------
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/x_affected_users","value":15}]'
check_eq "a JSON number in CustomFields: 400 naming the field" "400 True" \
  "$CODE $(jv '"CustomFields/x_affected_users" in d["ErrorMessage"] and "string" in d["ErrorMessage"]')"
patch /Ticket/900 $MP '{"CustomFields":{"x_onsite_visit":true}}'
check_eq "a JSON boolean: 400 naming the field" "400 True" "$CODE $(jv '"x_onsite_visit" in d["ErrorMessage"]')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/x_affected_users","value":"fifteen"}]'
check_eq "'fifteen' in an Integer field: 400 naming the field and the type" "400 True" \
  "$CODE $(jv '"x_affected_users" in d["ErrorMessage"] and "Integer" in d["ErrorMessage"]')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/x_next_visit","value":"[I:3]"}]'
check_eq "[I:3] in a Date field: 400" "400 True" "$CODE $(jv '"x_next_visit" in d["ErrorMessage"]')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/x_onsite_visit","value":"[I:2]"}]'
check_eq "[I:2] in a Checkbox: 400" 400 "$CODE"
patch /Ticket/900 $JP '[{"op":"add","path":"/CustomFields/x_new","value":"x"}]'
check_eq "a key that is not a defined custom field: 400 naming it" "400 True" \
  "$CODE $(jv '"CustomFields/x_new" in d["ErrorMessage"]')"
patch /Ticket/900 $JP '[{"op":"remove","path":"/CustomFields/x_site"}]'
check_eq "a defined field cannot be removed (it is always there): 400" "400 True" \
  "$CODE $(jv '"x_site" in d["ErrorMessage"]')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/SuperOffice:3","value":"[I:0]"}]'
check_eq "a read-only field (IsReadOnly): 403" 403 "$CODE"
patch /Ticket/900 $JP '[{"op":"replace","path":"/CustomFields/x_affected_users","value":""}]'
check_eq "emptying a mandatory field (IsMandatory): 400" "400 True" "$CODE $(jv '"mandatory" in d["ErrorMessage"]')"
req GET /Ticket/900
check_eq "…none of them changed anything" "[I:14] Bergen – Sandviken" \
  "$(jv 'd["CustomFields"]["x_affected_users"]') $(jv 'd["CustomFields"]["x_site"]')"
patch /Ticket/900 $JP '[{"op":"test","path":"/CustomFields/x_affected_users","value":"[I:14]"},{"op":"replace","path":"/CustomFields/x_affected_users","value":"[I:15]"}]'
check_eq "test \"[I:14]\" + replace \"[I:15]\": 200" "200 [I:15]" "$CODE $(jv 'd["CustomFields"]["x_affected_users"]')"
patch /Ticket/900 $JP '[{"op":"test","path":"/CustomFields/x_affected_users","value":"[I:14]"},{"op":"replace","path":"/CustomFields/x_affected_users","value":"[I:16]"}]'
check_eq "…the same test again: 409" 409 "$CODE"
patch /Ticket/900 $MP '{"CustomFields":{"x_next_visit":"[D:12/24/2026]","x_reported_at":"[DT:11/21/2026 07:00:00]","x_amount_nok":"[F:99.95]","x_onsite_visit":"[I:1]","x_note":"line one"}}'
check_eq "Date, DateTime, Decimal, Checkbox and text values: 200" "200 [D:12/24/2026] [F:99.95] [I:1] line one" \
  "$CODE $(jv 'd["CustomFields"]["x_next_visit"]') $(jv 'd["CustomFields"]["x_amount_nok"]') $(jv 'd["CustomFields"]["x_onsite_visit"]') $(jv 'd["CustomFields"]["x_note"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/CustomFields/x_floor","value":"7"}]'
check_eq "an unencoded integer is accepted, as the formatter accepts one" "200 7" "$CODE $(jv 'd["CustomFields"]["x_floor"]')"
req PUT /Ticket/4711 -H 'Content-Type: application/json' --data-binary '{"TicketId":4711,"Title":"put","CustomFields":{"x_floor":"[I:9]"}}'
check_eq "PUT: the fields its CustomFields leaves out keep their values" "200 [I:9] HP LaserJet M507" \
  "$CODE $(jv 'd["CustomFields"]["x_floor"]') $(jv 'd["CustomFields"]["x_printer_model"]')"

# --- dates are never null -------------------------------------------------------
patch /Ticket/901 $JP '[{"op":"replace","path":"/AlertTimeout","value":null}]'
check_eq "null for a date: 400 naming the field" "400 True" "$CODE $(jv '"AlertTimeout" in d["ErrorMessage"]')"
patch /Ticket/901 $MP '{"Deadline":"2026-12-01T10:00:00"}'
patch /Ticket/901 $MP '{"Deadline":null}'
check_eq "merge patch null (remove) leaves the empty date, not null" "200 0001-01-01T00:00:00" "$CODE $(jv 'd["Deadline"]')"
req GET /Ticket/904
check_eq "sample data: unset dates are the empty date" "0001-01-01T00:00:00 0001-01-01T00:00:00" \
  "$(jv 'd["Deadline"]') $(jv 'd["Activate"]')"

# --- the references a ticket may set --------------------------------------------
patch /Ticket/901 $JP '[{"op":"replace","path":"/Person","value":{"PersonId":504}}]'
check_eq "Person by PersonId, filled in from person_new" "200 Ingrid Berg Fjordkraft Eksempel AS" \
  "$CODE $(jv 'd["Person"]["FullName"]') $(jv 'd["Person"]["ContactName"]')"
patch /Ticket/901 $JP '[{"op":"add","path":"/SecondaryPersons/-","value":{"PersonId":505}}]'
check_eq "SecondaryPersons by PersonId" "200 Lars Fjellheim" "$CODE $(jv 'd["SecondaryPersons"][-1]["FullName"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Person/PersonId","value":0}]'
check_eq "PersonId 0: no contact person (null)" "200 None" "$CODE $(jv 'str(d["Person"])')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Person","value":{"PersonId":999}}]'
check_eq "an unknown person: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/TicketType/TicketTypeId","value":3}]'
check_eq "TicketType by TicketTypeId" "200 Service request" "$CODE $(jv 'd["TicketType"]["Name"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/TicketType/TicketTypeId","value":4}]'
check_eq "a deleted ticket type: 400" 400 "$CODE"
patch /Ticket/901 $MP '{"Sale":{"SaleId":71},"Project":{"ProjectId":42}}'
check_eq "Sale and Project by key (from null)" "200 VPN appliance upgrade, Bergen|Office move Sandviken" \
  "$CODE $(jv 'd["Sale"]["Title"] + "|" + d["Project"]["Name"]')"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Project/ProjectId","value":43}]'
check_eq "a deleted (completed) project: 400" 400 "$CODE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Sale","value":null}]'
check_eq "Sale null: no sale" "200 None" "$CODE $(jv 'str(d["Sale"])')"

# --- enums as the docs list them ---------------------------------------------------
patch /Ticket/902 $JP '[{"op":"replace","path":"/BaseStatus","value":"Postponed1Hour"}]'
check_eq "BaseStatus Postponed1Hour is stored as Postponed" "200 Postponed" "$CODE $(jv 'd["BaseStatus"]')"
check_eq "…and Activate is an hour from now" True \
  "$(jv '__import__("datetime").datetime.strptime(d["Activate"], "%Y-%m-%dT%H:%M:%S") > __import__("datetime").datetime.utcnow() + __import__("datetime").timedelta(minutes=50)')"
patch /Ticket/902 $JP '[{"op":"replace","path":"/Activate","value":"2027-01-04T08:00:00"},{"op":"replace","path":"/BaseStatus","value":"PostponedSpecific"}]'
check_eq "PostponedSpecific keeps the Activate sent" "200 Postponed 2027-01-04T08:00:00" "$CODE $(jv 'd["BaseStatus"]') $(jv 'd["Activate"]')"
patch /Ticket/902 $JP '[{"op":"replace","path":"/Slevel","value":"Unknown"}]'
check_eq "Unknown is an enum value too" "200 Unknown" "$CODE $(jv 'd["Slevel"]')"
patch /Ticket/902 $JP '[{"op":"replace","path":"/BaseStatus","value":"Sleeping"}]'
check_eq "a name the enum does not have: 400 listing the names" "400 True" \
  "$CODE $(jv '"PostponedWeek" in d["ErrorMessage"] and "Unknown" in d["ErrorMessage"]')"

# --- MDO lists: trees, flat lists, searches, deleted items -------------------------
req GET /MDOList/ejcategory
check_eq "ejcategory is a tree by default: top-level items only" "Support Sales Administration" \
  "$(jv '" ".join(i["Name"] for i in d if not i["Name"].startswith("NO:"))')"
check_eq "…children in ChildItems with short names, FullName the path" "VPN Support/Network/VPN" \
  "$(jv '[v["Name"] + " " + v["FullName"] for s in d if s["Name"] == "Support" for n in s["ChildItems"] if n["Name"] == "Network" for v in n["ChildItems"]][0]')"
check_eq "…a deleted child is in the tree, flagged" True \
  "$(jv 'any(c["Deleted"] for s in d for c in s["ChildItems"])')"
req GET '/MDOList/ejcategory?flat=true'
check_eq "flat=true: one level, names are paths" "True True" \
  "$(jv 'all(not i["ChildItems"] for i in d)') $(jv '"Support/Network/VPN" in [i["Name"] for i in d]')"
req GET '/MDOList/ejcategory?query=network'
check_eq "query implies flat and keeps the matches" '["Support/Network", "Support/Network/VPN"]' "$(jv '[i["Name"] for i in d]')"
req GET '/MDOList/person_new?query=fjellheim'
check_eq "person_new?query=: a search by name" '[501, 505]' "$(jv 'sorted(i["Id"] for i in d)')"
req GET '/MDOList/person_new?query=ingrid%20fjell'
check_eq "…every word must match" '[501]' "$(jv '[i["Id"] for i in d]')"
check_eq "…items name the person and the contact" "Ingrid Fjellheim|Ingrid Fjellheim, Nordlys Shipping AS|Person" \
  "$(jv 'd[0]["Name"] + "|" + d[0]["FullName"] + "|" + d[0]["Type"]')"
for l in tickettype sale project; do
  req GET /MDOList/$l
  check_eq "MDOList/$l: items, one deleted" "200 True 1" \
    "$CODE $(jv 'len(d) >= 3') $(jv 'sum(i["Deleted"] for i in d)')"
done

# --- language: names multi-language encoded unless Accept-Language says -------------
req GET '/MDOList/ejcategory?flat=true'
check_eq "no Accept-Language: a multi-language name as stored" 'NO:"Leverandør";US:"Supplier"' \
  "$(jv '[i["Name"] for i in d if i["Id"] == 11][0]')"
req GET '/MDOList/ejcategory?flat=true' -H 'Accept-Language: nb-NO,en;q=0.8'
check_eq "Accept-Language nb-NO: Leverandør" Leverandør "$(jv '[i["Name"] for i in d if i["Id"] == 11][0]')"
req GET /MDOList/ticketstatus -H 'Accept-Language: de-DE'
check_eq "Accept-Language de-DE: the GE entry" "Warten auf Lieferant" "$(jv '[i["Name"] for i in d if i["Id"] == 8][0]')"
req GET /MDOList/ticketstatus -H 'Accept-Language: fr'
check_eq "a language the string lacks: US" "Waiting for supplier" "$(jv '[i["Name"] for i in d if i["Id"] == 8][0]')"
patch /Ticket/903 $JP '[{"op":"replace","path":"/Category/TicketCategoryId","value":11}]'
check_eq "a ticket in that category, no Accept-Language: encoded" 'NO:"Leverandør";US:"Supplier"' "$(jv 'd["Category"]["Name"]')"
req GET /Ticket/903 -H 'Accept-Language: nb-NO'
check_eq "GET with Accept-Language nb-NO: translated in the ticket" "Leverandør Leverandør" \
  "$(jv 'd["Category"]["Name"]') $(jv 'd["Category"]["Fullname"]')"
check_eq "…the rest of the ticket as before" "打印机无法连接网络 True" "$(jv 'd["Title"]') $(jv 'len(d["CustomFields"]) > 10')"
req GET '/Ticket/903?$select=Category/Name,Title' -H 'Accept-Language: en'
check_eq "\$select answers translate too" "Supplier" "$(jv 'd["Category"]["Name"]')"
req GET /Ticket/900 -H 'Accept-Language: en'
check_eq "resource ids in FieldProperties reasons are resolved" "This field is mandatory" \
  "$(jv 'd["FieldProperties"]["Title"]["FieldRight"]["Reason"]')"
req GET /Ticket/900
check_eq "…and stay ids without Accept-Language" "[SR_MANDATORY_FIELD_2817]" \
  "$(jv 'd["FieldProperties"]["Title"]["FieldRight"]["Reason"]')"
stop_clean

start_ticketd --fault untranslated || exit 1
req GET /Ticket/CustomField -H 'Accept-Language: nb-NO'
check_eq "--fault untranslated: names stay encoded whatever the request says" 'NO:"Sted";US:"Site"' \
  "$(jv '[x["DisplayName"] for x in d if x["FieldName"] == "x_site"][0]')"
stop_clean

# --- the service pushes back ------------------------------------------------------------
start_ticketd --fault throttle=3 || exit 1
codes=
for i in 1 2 3 4 5 6; do req GET /Ticket/4711; codes="$codes $CODE"; [ "$CODE" = 429 ] && ra=$(header Retry-After); done
check_eq "throttle=3: every third request is a 429" " 200 200 429 200 200 429" "$codes"
check_eq "…with Retry-After: 1 and the error body" "1 True" "$ra $(req GET /Ticket/4711; req GET /Ticket/4711; req GET /Ticket/4711; is_error_body && echo True)"
req GET /Ticket/4711; req GET /Ticket/4711; t0=$(jv 'd["Title"]')
patch /Ticket/4711 $JP '[{"op":"replace","path":"/Title","value":"throttled"}]'
check_eq "a throttled PATCH is not applied" "429 $t0" "$CODE $(req GET /Ticket/4711; jv 'd["Title"]')"
stop_clean
start_ticketd --fault maintenance=2 || exit 1
codes=
for i in 1 2 3; do req GET /Ticket/4711; codes="$codes $CODE"; [ "$CODE" = 503 ] && ra=$(header Retry-After); done
check_eq "maintenance=2: the first two requests are 503, then the tenant is back" " 503 503 200" "$codes"
check_eq "…with Retry-After: 1" 1 "$ra"
stop_clean
start_ticketd --fault maintenance || exit 1
req GET /Ticket/4711
check_eq "maintenance: every request 503, Retry-After: 30" "503 30" "$CODE $(header Retry-After)"
stop_clean

# --- custom field definitions refused, as an older or locked-down service would ----------
start_ticketd --fault customfield-404 || exit 1
req GET /Ticket/CustomField; check_eq "--fault customfield-404" 404 "$CODE"
stop_clean
start_ticketd --fault customfield-403 || exit 1
req GET /Ticket/CustomField; check_eq "--fault customfield-403" 403 "$CODE"
stop_clean

# --- the tenant path --------------------------------------------------------------------
start_ticketd --prefix /Cust12345 || exit 1
BASE=$TD_URL
TD_URL=http://127.0.0.1:$TD_PORT/Cust12345/api/v1
req GET /Ticket/900
check_eq "--prefix: /Cust12345/api/v1/Ticket/900 is the ticket" "200 900" "$CODE $(jv 'd["TicketId"]')"
check_eq "…its _Links name the tenant path" True "$(jv 'd["_Links"]["Self"].endswith("/Cust12345/api/v1/Ticket/900")')"
req GET /MDOList/tags; check_eq "…lists too" 200 "$CODE"
TD_URL=http://127.0.0.1:$TD_PORT/cust12345/api/v1
req GET /Ticket/900; check_eq "…the tenant id in any case" 200 "$CODE"
TD_URL=$BASE
req GET /Ticket/900; check_eq "without the prefix: 404" 404 "$CODE"
TD_URL=http://127.0.0.1:$TD_PORT/Cust1234599/api/v1
req GET /Ticket/900; check_eq "another tenant's path: 404" 404 "$CODE"
stop_clean
"$TICKETD" --prefix Cust12345 --port 0 >/dev/null 2>"$T_TMP/err"; rc=$?
check "--prefix without a leading /: a usage error (exit 2) with a message" bash -c "[ $rc = 2 ] && grep -q prefix '$T_TMP/err'"
