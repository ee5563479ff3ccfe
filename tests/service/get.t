#!/usr/bin/env bash
# ticketd GET /Ticket/{id}, $select, routing rules, MDO lists, sample data, options.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

check "ticketd --help exits 0 and names every option" \
  bash -c '"$0" --help | grep -q -- "--max-body" && "$0" --help | grep -q -- "--fault"' "$TICKETD"
"$TICKETD" --fault nonsense >/dev/null 2>&1; check_eq "unknown --fault is refused (exit 2)" 2 $?
"$TICKETD" --data /nonexistent --port 0 >/dev/null 2>"$T_TMP/err"; rc=$?
check "missing data dir: exit 1 with a message" bash -c "[ $rc = 1 ] && grep -q nonexistent '$T_TMP/err'"

start_ticketd || exit 1
check_eq "port file holds the listening port" "$TD_PORT" "$(grep -o '[0-9]*' <<<"$TD_PORT")"

req GET /Ticket/900
check_eq "GET 900: 200" 200 "$CODE"
check_eq "GET 900: JSON content type" "application/json; charset=utf-8" "$(header Content-Type)"
check_eq "GET 900: TicketId" 900 "$(jv 'd["TicketId"]')"
check_eq "GET 900: OwnedBy full shape" "12 Jürgen Groß InternalAssociate" \
  "$(jv '"%d %s %s" % (d["OwnedBy"]["AssociateId"], d["OwnedBy"]["FullName"], d["OwnedBy"]["Type"])')"
check_eq "GET 900: Category is a hierarchy path" "Support/Network/VPN" "$(jv 'd["Category"]["Fullname"]')"
check_eq "GET 900: custom field values are strings (a StringDictionary)" '["str"]' \
  "$(jv 'sorted(set(type(v).__name__ for v in d["CustomFields"].values()))')"
check_eq "GET 900: encoded values [I:] [F:] [D:] [DT:], a checkbox [I:1], plain text" \
  '[I:14] [F:3.5] [D:12/02/2026] [DT:11/20/2026 08:55:00.0000000] [I:1] Bergen – Sandviken' \
  "$(jv '" ".join(d["CustomFields"][k] for k in ("x_affected_users", "SuperOffice:2", "x_next_visit", "x_reported_at", "SuperOffice:3", "x_site"))')"
check_eq "GET 900: x_ and SuperOffice:N keys" True \
  "$(jv 'any(k.startswith("x_") for k in d["CustomFields"]) and any(k.startswith("SuperOffice:") for k in d["CustomFields"])')"
check_eq "GET 900: TableRight FULL" FULL "$(jv 'd["TableRight"]["Mask"]')"
check_eq "GET 900: offset dates with 7 digits" True \
  "$(jv '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}[+-]\d\d:\d\d", d["LastChanged"]) is not None')"
check_eq "GET 900: _Links.Self points at this server" "http://127.0.0.1:$TD_PORT/api/v1/Ticket/900" "$(jv 'd["_Links"]["Self"]')"
check_eq "GET 900: every field kind present" "" \
  "$(jv '" ".join(k for k in "Title Author FromAddress AlertLevel ConnectId BaseStatus Slevel ReadStatus Origin Deadline Activate AlertTimeout OwnedBy Category Priority Status Person Tags SecondaryPersons CustomFields Messages TableRight FieldProperties".split() if d.get(k) in (None, "", [], {}))')"

req GET /ticket/900;                 check_eq "lower-case path" 200 "$CODE"
req GET /TICKET/900/;                check_eq "upper-case path with trailing slash" 200 "$CODE"
CODE=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TD_PORT/API/V1/tIcKeT/4711")
check_eq "mixed-case /API/V1 prefix" 200 "$CODE"
req GET /Ticket/123456;  check_eq "unknown ticket: 404" 404 "$CODE"
check "404 has the error body shape" is_error_body
check_eq "404 message names the id" True "$(jv '"123456" in d["ErrorMessage"]')"
req GET /Ticket/abc;     check_eq "non-numeric id: 404" 404 "$CODE"
req GET /Nothing/1;      check_eq "unknown route: 404" 404 "$CODE"
check "unknown route: the host's answer, not the service's error body" is_no_route_body
check_eq "…naming the URI asked for" "No HTTP resource was found that matches the request URI 'http://127.0.0.1:$TD_PORT/api/v1/Nothing/1'." "$(jv 'd["Message"]')"
req GET /Ticket/123456
check "an unknown ticket id: the service's own error body" is_error_body
req DELETE /Ticket/900;  check_eq "DELETE: 405" 405 "$CODE"
check_eq "405 says Allow" "GET, PATCH, PUT" "$(header Allow)"

# $select
req GET '/Ticket/900?$select=Title,OwnedBy/AssociateId'
check_eq "\$select keeps Title" "VPN drops every 10 minutes for the Bergen office" "$(jv 'd["Title"]')"
check_eq "\$select nulls unselected fields" "null null" "$(jv 'd["Author"]') $(jv 'd["Messages"]')"
check_eq "\$select nested: OwnedBy/AssociateId kept, siblings null" "12 null" \
  "$(jv 'd["OwnedBy"]["AssociateId"]') $(jv 'd["OwnedBy"]["FullName"]')"
check_eq "\$select keeps every member (nulled, not omitted)" True "$(jv 'len(d) > 50 and "Deadline" in d')"
req GET '/Ticket/900?$select=title,%20category/fullname'
check_eq "\$select is case-insensitive and trims blanks" "VPN drops every 10 minutes for the Bergen office|Support/Network/VPN|null" \
  "$(jv 'd["Title"]')|$(jv 'd["Category"]["Fullname"]')|$(jv 'd["Category"]["Name"]')"
req GET '/Ticket/900?$select=Tags/Name'
check_eq "\$select into arrays of objects" '["VPN", "Network", "VIP customer"] [null, null, null]' \
  "$(jv '[t["Name"] for t in d["Tags"]]') $(jv '[t["Id"] for t in d["Tags"]]')"

# MDO lists
for l in ticketstatus ticketpriority ejcategory associate tags; do
  req GET "/MDOList/$l"
  check_eq "MDOList/$l: 200 array of MDOListItems" "200 True" \
    "$CODE $(jv 'isinstance(d, list) and len(d) > 0 and all(set(["Id","Name","ToolTip","Deleted","Rank","FullName","ExtraInfo","ChildItems"]) <= set(i) for i in d)')"
done
req GET '/mdolist/EJCATEGORY?flat=true'
check_eq "MDO list names case-insensitive; flat categories as full paths" True \
  "$(jv '"Support/Printers" in [i["Name"] for i in d] and "Support/Network/VPN" in [i["FullName"] for i in d]')"
check_eq "a deleted category is flagged" True "$(jv 'any(i["Deleted"] for i in d)')"
req GET /MDOList/associate
check_eq "at least 10 associates, one deleted" True "$(jv 'len(d) >= 10 and sum(i["Deleted"] for i in d) == 1')"
check_eq "associate names are not ASCII-only" True "$(jv '"Bjørn Ødegård" in [i["Name"] for i in d] and "Åse Kværnø" in [i["Name"] for i in d]')"
req GET /MDOList/ticketpriority
check_eq "one deleted priority" 1 "$(jv 'sum(i["Deleted"] for i in d)')"
req GET /MDOList/tags
check_eq "at least 8 tags" True "$(jv 'len(d) >= 8')"
req GET /MDOList/person; check_eq "unknown list: 404" 404 "$CODE"

# the sample tickets the client's tests rely on
req GET /Ticket/903; check_eq "CJK title" "打印机无法连接网络" "$(jv 'd["Title"]')"
req GET /Ticket/666
check_eq "ticket 666 carries ESC, BEL, CR, C1 CSI and RTL override" True \
  "$(jv 'all(c in d["Title"] for c in "\x1b\x07\r\u009b\u202e") and "\x1b]0;pwned" in d["Title"] and "\x1b" in d["Author"] and "\x1b" in d["Messages"][0]["Author"] and any("\x1b" in str(v) for v in d["CustomFields"].values())')"
req GET /Ticket/950; check_eq "ticket 950 has 5000 messages" "5000 5000" "$(jv 'len(d["Messages"])') $(jv 'd["NumMessages"]')"
req GET /Ticket/907; check_eq "ticket 907: fields read-only via FieldProperties" True \
  "$(jv '"UIHintReadOnly" in d["FieldProperties"]["FromAddress"]["FieldRight"]["Mask"] and "UIHintMandatory" in d["FieldProperties"]["Title"]["FieldRight"]["Mask"] and d["FieldProperties"]["Author"]["FieldRight"]["Mask"] == "Read"')"
req GET /Ticket/908; check_eq "ticket 908: TableRight without Update" Select "$(jv 'd["TableRight"]["Mask"]')"
for id in 4711 901 902 904 905; do req GET /Ticket/$id; check_eq "plain ticket $id" 200 "$CODE"; done
req GET /Ticket/4711; check_eq "4711 uses naive dates" True \
  "$(jv '__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", d["LastChanged"]) is not None')"

check_eq "log: one line per request with method, path, status, bytes, ms" True \
  "$(grep -c . "$TD_LOG" | awk '{print ($1 >= 30) ? "True" : "False"}')"
check "log line format" grep -Eq '^[0-9T:.-]+Z GET /api/v1/Ticket/900 200 [0-9]+ [0-9.]+ms' "$TD_LOG"
stop_clean

# --dates
start_ticketd --dates naive || exit 1
req GET /Ticket/900
check_eq "--dates naive rewrites offset dates (UTC)" "2026-11-26T14:02:44" "$(jv 'd["LastChanged"]')"
check_eq "--dates naive: messages too" "2026-11-20T08:14:03" "$(jv 'd["Messages"][0]["CreatedAt"]')"
check_eq "--dates naive keeps empty dates" "0001-01-01T00:00:00" "$(jv 'd["ClosedAt"]')"
stop_clean
start_ticketd --dates offset || exit 1
req GET /Ticket/4711
check_eq "--dates offset: 7 fractional digits and an offset" "2026-10-03T11:12:13.0000000+00:00" "$(jv 'd["LastChanged"]')"
stop_clean

# --listen
"$TICKETD" --listen bogus --port 0 >/dev/null 2>"$T_TMP/err"; rc=$?
check "--listen bogus: exit 1 with a message" bash -c "[ $rc = 1 ] && grep -q bogus '$T_TMP/err'"
# Whether this machine has an IPv6 loopback at all (containers often have none).
if /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
  pf6=$T_TMP/pf6; "$TICKETD" --listen ::1 --port 0 --port-file "$pf6" 2>"$T_TMP/err6" & pid6=$!; at_exit "kill $pid6"
  for _ in $(seq 1 200); do [ -s "$pf6" ] && break; kill -0 $pid6 2>/dev/null || break; nap 0.05; done
  check "--listen ::1: ticketd starts" test -s "$pf6" || sed 's/^/#   /' "$T_TMP/err6"
  CODE=$(curl -s -g -o /dev/null -w '%{http_code}' "http://[::1]:$(cat "$pf6" 2>/dev/null)/api/v1/Ticket/900")
  check_eq "--listen ::1 serves over IPv6" 200 "$CODE"
  kill $pid6 2>/dev/null; wait $pid6 2>/dev/null
else
  skip_ci_ok "--listen ::1 serves over IPv6" "this machine has no IPv6 loopback (::1 cannot be bound)"
fi

# the default data dir is found relative to the binary
pf=$T_TMP/pf; "$TICKETD" --port 0 --port-file "$pf" 2>/dev/null & pid=$!; at_exit "kill $pid"
for _ in $(seq 1 300); do [ -s "$pf" ] && break; nap 0.05; done
CODE=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$pf")/api/v1/Ticket/900")
check_eq "default --data: the shipped sample data" 200 "$CODE"
kill $pid; wait $pid 2>/dev/null
check_eq "SIGTERM: clean exit 0" 0 $?
