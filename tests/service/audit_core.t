#!/usr/bin/env bash
# ticketd, checks added by the release audit: If-Unmodified-Since compared in
# whole seconds against a LastChanged with a fraction and an offset; SIGINT
# stops cleanly; the default --listen is loopback only; hostile PATCH bodies
# get a 4xx with the error body, change nothing and never stop the server.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
JP=application/json-patch+json
imf() { date -u -d "$1" '+%a, %d %b %Y %H:%M:%S GMT'; }

start_ticketd || exit 1
# --- 412 in whole seconds: 900's LastChanged is 2026-11-26T15:02:44.5180000+01:00
req GET /Ticket/900; lc=$(jv 'd["LastChanged"]')
check_eq "900 has a LastChanged with a fraction and an offset" True \
  "$(jv '__import__("re").fullmatch(r".*T\d\d:\d\d:\d\d\.\d*[1-9]\d*\+01:00", d["LastChanged"]) is not None')"
patch /Ticket/900 $JP '[{"op":"replace","path":"/AlertLevel","value":7}]' -H "If-Unmodified-Since: $(imf "$lc")"
check_eq "If-Unmodified-Since = LastChanged truncated to the second: 200 (not 412 for the .518)" 200 "$CODE"
lc2=$(jv 'd["LastChanged"]')
patch /Ticket/900 $JP '[{"op":"replace","path":"/AlertLevel","value":8}]' -H "If-Unmodified-Since: $(imf "$lc2 1 second ago")"
check_eq "one second before the new LastChanged: 412" 412 "$CODE"
patch /Ticket/900 $JP '[{"op":"replace","path":"/AlertLevel","value":8}]' -H "If-Unmodified-Since: $(imf "$lc2")"
check_eq "the bumped LastChanged, truncated, passes again: 200" "200 8" "$CODE $(jv 'd["AlertLevel"]')"

# --- no-ops through references and sets leave LastChanged alone
req GET /Ticket/904; lc=$(jv 'd["LastChanged"]'); own=$(jv 'd["OwnedBy"]["AssociateId"]'); tag=$(jv 'd["Tags"][0]["Id"]')
patch /Ticket/904 $JP "[{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":$own}]"
check_eq "the same owner again: 200, LastChanged not bumped" "200 $lc" "$CODE $(jv 'd["LastChanged"]')"
patch /Ticket/904 application/merge-patch+json "{\"OwnedBy\":{\"AssociateId\":$own}}"
check_eq "…by merge patch too" "200 $lc" "$CODE $(jv 'd["LastChanged"]')"
ntags=$(jv 'len(d["Tags"])')
patch /Ticket/904 $JP "[{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Id\":$tag}}]"
check_eq "adding a tag the ticket has: no duplicate, no bump" "200 $ntags $lc" "$CODE $(jv 'len(d["Tags"])') $(jv 'd["LastChanged"]')"

# --- hostile bodies: a 4xx with the error body, nothing applied, server alive
req GET /Ticket/901; cp "$BODY_FILE" "$T_TMP/901.before"
bad=0
while IFS= read -r body; do
  patch /Ticket/901 application/json "$body"
  if [[ $CODE != 4?? ]] || ! is_error_body; then
    bad=$((bad + 1)); echo "#   $body -> $CODE $(head -c 200 "$BODY_FILE")"
  fi
done <<'EOF'
[{"op":"add","path":"","value":{}}]
[{"op":"replace","path":"","value":{"Title":"x"}}]
[{"op":"remove","path":""}]
[{"op":"add","path":"/","value":1}]
[{"op":"add","path":"/Tags/-","value":5}]
[{"op":"replace","path":"/Tags","value":null}]
[{"op":"replace","path":"/CustomFields","value":[]}]
[{"op":"remove","path":"/OwnedBy/AssociateId"}]
[{"op":"replace","path":"/OwnedBy/AssociateId","value":-1}]
[{"op":"replace","path":"/OwnedBy/AssociateId","value":1e300}]
[{"op":"replace","path":"/Title~","value":"x"}]
[{"op":"replace","path":"/Title","value":"x","op":"remove"}]
[{"op":"test","path":"/Messages/999999/Body","value":"x"}]
[{"op":"replace","path":"/Deadline","value":"-0001-01-01T00:00:00"}]
[{"op":"replace","path":"/Deadline","value":"2026-02-30T00:00:00"}]
[1,2,3]
[[]]
[null]
{"TicketId":null}
{"Tags":{"Id":1}}
{"Messages":null}
null
12
[]]
{"Title":"\ud800"
EOF
check_eq "25 hostile PATCH bodies: each a 4xx with the error body" 0 "$bad"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Title","value":"a\u0000b"}]'
check_eq "a \\u0000 in a string (cJSON would cut it short): 400 with its position" \
  "400 request body:1:44: \\u0000 (NUL) in a string is not supported" "$CODE $(jv 'd["ErrorMessage"]')"
patch /Ticket/901 application/merge-patch+json $'{\n "CustomFields": {"x_\\u0000": 1}}'
check_eq "…in a key too, on line 2" "400 request body:2:22: \\u0000 (NUL) in a string is not supported" \
  "$CODE $(jv 'd["ErrorMessage"]')"
req GET /Ticket/901; check "…and ticket 901 is unchanged" cmp -s "$T_TMP/901.before" "$BODY_FILE"
patch /Ticket/901 $JP '[{"op":"replace","path":"/Title","value":"C:\\u0000\\ \"x\\"}]'
check_eq "an escaped backslash before u0000 is plain text: 200" '200 C:\u0000\ "x\' "$CODE $(jv 'd["Title"]')"
req GET "/Ticket/901?\$select=$(printf 'Messages/%.0s' $(seq 1 400))"
check_eq "a 3000-byte \$select path: 200" 200 "$CODE"
req GET '/Ticket/901?$select=,,,/,//,~,%00'
check_eq "\$select of blanks, slashes, ~ and NUL: 200, everything null" "200 null" "$CODE $(jv 'd["Title"]')"
req GET "/$(head -c 6000 /dev/zero | tr '\0' a)"
check "a 6000-byte URL: an answer (404 or 414), not a crash" test "$CODE" = 404 -o "$CODE" = 414
req GET /Ticket/901; check_eq "ticketd still answers" 200 "$CODE"

# --- the default listen address is loopback only
hexport=$(printf '%04X' "$TD_PORT")
check "--listen defaults to 127.0.0.1 (the socket in /proc/net/tcp is 0100007F:$hexport)" \
  grep -q " 0100007F:$hexport 00000000:0000 0A " /proc/net/tcp

# --- SIGINT stops cleanly
kill -INT "$TD_PID"; wait "$TD_PID"; rc=$?
check_eq "SIGINT: exit 0" 0 "$rc"
check "SIGINT: says it stops" grep -q 'SIGINT, stopping' "$TD_LOG.stderr"
check "no sanitizer report" bash -c "! grep -q -e AddressSanitizer -e 'runtime error:' '$TD_LOG.stderr'"

# --- --persist: a write-back that fails is a 500 and the change is not kept
cp -r "$TOP/tests/data/service" "$T_TMP/data"
start_ticketd --data "$T_TMP/data" --persist || exit 1
rm "$T_TMP/data/tickets/902.json"; mkdir "$T_TMP/data/tickets/902.json"  # rename() onto it fails
patch /Ticket/902 $JP '[{"op":"replace","path":"/Title","value":"never saved"}]'
check_eq "--persist, the file cannot be replaced: 500 SoIOException" "500 SoIOException" "$CODE $(jv 'd["ErrorType"]')"
req GET /Ticket/902
check_eq "…and the ticket in memory is unchanged" "Invoice 2026-1043 charged twice" "$(jv 'd["Title"]')"
check "…and no temp file is left behind" bash -c "! ls '$T_TMP/data/tickets' | grep -q tmp"
stop_ticketd
