#!/usr/bin/env bash
# ticketd against hostile requests: invalid UTF-8 in a body is a 400 with
# its position (never stored), routing is on the whole decoded path (a NUL
# or a long tail never reaches a ticket), the log shows the path as
# received with control characters (C0, DEL, C1) escaped, PUT stores keys
# in the schema's spelling, Basic credentials are strict base64.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
JP=application/json-patch+json AJ=application/json
valid_json() { "$PY" -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$BODY_FILE" 2>/dev/null; }
# raw BYTES: send a request written in Python bytes syntax; prints the status code
raw() {
  "$PY" - "$TD_PORT" "$1" <<'PYEOF'
import socket, sys, ast
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(ast.literal_eval("b'" + sys.argv[2] + "'"))
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
        if b"\r\n\r\n" in data:
            head, _, body = data.partition(b"\r\n\r\n")
            n = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
            if n and len(body) >= n[0]:
                break
except socket.timeout:
    pass
print(data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none")
PYEOF
}

start_ticketd || exit 1

# --- invalid UTF-8 in a request body
req GET /Ticket/901; cp "$BODY_FILE" "$T_TMP/901.before"
printf '[{"op":"replace","path":"/Title","value":"a\xff\xfe\xc0\xafb"}]' >"$T_TMP/bad.json"
req PATCH /Ticket/901 -H "Content-Type: $JP" --data-binary @"$T_TMP/bad.json"
check_eq "\\xff\\xfe\\xc0\\xaf in a PATCH string: 400" 400 "$CODE"
check_eq "…naming its position (line:column and byte)" "request body:1:44: invalid UTF-8 (0xff at byte offset 43)" \
  "$(jv 'd["ErrorMessage"]')"
req GET /Ticket/901
check "…the next GET is valid JSON (strict UTF-8)" valid_json
check "…and the ticket is unchanged" cmp -s "$T_TMP/901.before" "$BODY_FILE"
bad=0
for seq in '\xc0\xaf' '\xe0\x80\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xf5\x80\x80\x80' '\xe2\x82' '\x80' '\xc2'; do
  printf "{\"Title\":\"x$seq\"}" >"$T_TMP/bad.json"
  req PATCH /Ticket/901 -H "Content-Type: $AJ" --data-binary @"$T_TMP/bad.json"
  [ "$CODE" = 400 ] && [ "$(jv '"invalid UTF-8" in d["ErrorMessage"] and ":1:12:" in d["ErrorMessage"]')" = True ] ||
    { bad=$((bad + 1)); echo "#   $seq -> $CODE $(head -c 200 "$BODY_FILE")"; }
done
check_eq "overlong, surrogate, beyond U+10FFFF, cut and stray bytes: 400 at 1:12" 0 "$bad"
printf '[{"op":"replace","path":"/Title","value":"\xf0\x9f\x96\xa8 Drucker: Blåbær \xe6\x89\x93"}]' >"$T_TMP/ok.json"
req PATCH /Ticket/901 -H "Content-Type: $JP" --data-binary @"$T_TMP/ok.json"
check_eq "valid 2-, 3- and 4-byte UTF-8: 200" "200 🖨 Drucker: Blåbær 打" "$CODE $(jv 'd["Title"]')"
printf '\n\n  {"CustomFields": {"x_\xff": 1}}' >"$T_TMP/bad.json"
req PATCH /Ticket/901 -H "Content-Type: $AJ" --data-binary @"$T_TMP/bad.json"
check_eq "…in a key on line 3" "400 request body:3:24: invalid UTF-8 (0xff at byte offset 25)" "$CODE $(jv 'd["ErrorMessage"]')"

# --- routing on the whole decoded path
req GET /Ticket/900; cp "$BODY_FILE" "$T_TMP/900.before"
patch /Ticket/900%00/../../x $JP '[{"op":"replace","path":"/Title","value":"reached through %00"}]' --path-as-is
check_eq "PATCH /api/v1/Ticket/900%00/../../x: 404" 404 "$CODE"
check "…the no-route body" is_no_route_body
patch /Ticket/900%00 $JP '[{"op":"replace","path":"/Title","value":"reached through %00"}]'
check_eq "PATCH /api/v1/Ticket/900%00: 404" 404 "$CODE"
long=/Ticket/900$(printf '/%.0s' $(seq 1 600))x
patch "$long" $JP '[{"op":"replace","path":"/Title","value":"reached through a long URL"}]'
check_eq "PATCH /api/v1/Ticket/900 + 600 slashes + x (over 511 bytes): 404" 404 "$CODE"
patch "/Ticket/900$(printf '/%.0s' $(seq 1 5000))" $JP '[{"op":"replace","path":"/Title","value":"too long"}]'
check_eq "a target over 4096 bytes: 414" 414 "$CODE"
check "…its error body" is_error_body
req GET /Ticket/900
check "…none of them reached ticket 900" cmp -s "$T_TMP/900.before" "$BODY_FILE"
req GET /Ticket/%39%30%30; check_eq "%-encoded digits still name ticket 900" 200 "$CODE"
req GET /Ticket/900/.. --path-as-is; check_eq "/Ticket/900/.. (not normalised; curl sends it as is): 404" 404 "$CODE"
code=$(raw 'GET /api/v1/Ticket/\xc2\x9b[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
check_eq "a raw C1 CSI in the path: 404" 404 "$code"
check "the log shows the path as received: %00 as sent" grep -q 'PATCH /api/v1/Ticket/900%00/../../x 404 ' "$TD_LOG"
check "…C1 bytes escaped (\\xc2\\x9b)" grep -q 'GET /api/v1/Ticket/\\xc2\\x9b\[31m 404 ' "$TD_LOG"
check "…and no raw C1 or C0 byte anywhere in the log" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]\\|\\xc2[\\x80-\\x9f]' '$TD_LOG'"

# --- the log escapes C1 in headers too
req GET /Ticket/900 -H $'Accept-Language: nb\xc2\x9b2J'
check "a C1 CSI in Accept-Language is logged as \\xc2\\x9b" grep -q 'Accept-Language=nb\\xc2\\x9b2J' "$TD_LOG"
check "…never raw" bash -c "! LC_ALL=C grep -q \$'\\xc2\\x9b' '$TD_LOG'"

# --- PUT stores keys in the schema's spelling
req GET /Ticket/905
"$PY" - "$BODY_FILE" >"$T_TMP/put.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d.pop("Title")
d["title"] = "lower-case key"
d["alertlevel"] = d.pop("AlertLevel") + 1
print(json.dumps(d))
PYEOF
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary @"$T_TMP/put.json"
check_eq "PUT with \"title\" and \"alertlevel\": 200" 200 "$CODE"
req GET /Ticket/905
check_eq "…GET has Title and AlertLevel, no lower-case keys" "lower-case key True" \
  "$(jv 'd["Title"]') $(jv '"title" not in d and "alertlevel" not in d and isinstance(d["AlertLevel"], int)')"
req PUT /Ticket/905 -H "Content-Type: $AJ" --data-binary '{"Title":"a","TITLE":"b"}'
check_eq "a key given twice in two spellings: 400" 400 "$CODE"
patch /Ticket/905 $JP '[{"op":"add","path":"/author","value":"lower-case path"}]'
check_eq "PATCH add /author keeps the schema spelling" "lower-case path True" \
  "$(jv 'd["Author"]') $(jv '"author" not in d')"
stop_clean

# --- Basic credentials: strict base64, nothing after the padding
start_ticketd --user u --password p || exit 1
b64=$(printf 'u:p' | base64 -w0)   # dTpw
req GET /Ticket/900 -H "Authorization: Basic $b64"; check_eq "Basic $b64: 200" 200 "$CODE"
bad=0
for cred in "$b64=junk" "$b64==" "${b64}=" "$b64 junk" "${b64}====" "dTpx" "$(printf 'u:p\n' | base64 -w0)" \
            "$(printf 'u:p' | base64 -w0 | tr '+/' '-_')x" "dTp" "dTpw$(printf '\t')"; do
  req GET /Ticket/900 -H "Authorization: Basic $cred"
  [ "$CODE" = 401 ] || { bad=$((bad + 1)); echo "#   '$cred' -> $CODE"; }
done
check_eq "junk after the padding, wrong padding, other alphabets, a newline in the secret: 401" 0 "$bad"
b64=$(printf 'u:p?' | base64 -w0)   # dTpwPw==
start_ticketd --user u --password 'p?' || exit 1
req GET /Ticket/900 -H "Authorization: Basic $b64"; check_eq "padded credentials (dTpwPw==): 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: Basic dTpwPx=="; check_eq "…with non-zero bits past the last byte (dTpwPx==): 401" 401 "$CODE"
stop_clean
