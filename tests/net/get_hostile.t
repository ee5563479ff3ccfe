#!/usr/bin/env bash
# `ticketed get` never hands the terminal a raw control: C1 characters (the
# one-byte CSI U+009B), DEL, bidi and format controls and line separators
# inside the ticket's strings are printed as JSON \u escapes, and a byte
# that is not UTF-8 as \ufffd, so the output is valid JSON with the same
# values (lossless but for invalid bytes, which JSON cannot hold). The
# same bytes go to a pipe and to a terminal (pty). Against ticketd's
# hostile ticket 666 and a server that sends raw invalid bytes.
. "$(dirname "$0")/../lib.sh"

start_ticketd --data "$TOP/tests/data/service" || exit 1

# A server answering every GET with the body in $T_TMP/raw.json, as is.
cat >"$T_TMP/raw_server.py" <<'PY'
import http.server, sys
body = open(sys.argv[2], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(sys.argv[1], 'w').write(str(s.server_address[1]))
s.serve_forever()
PY
printf '{"TicketId":7,"Title":"csi\xc2\x9b31m red\x7f del \xe2\x80\xae rlo \xe2\x80\xa8 ls","Author":"lone\x9b2J\xff\xfe bytes","Note":"\\u001b]52;c;eA==\\u0007 osc","Name":"Bj\xc3\xb8rn \xe6\x97\xa5"}' >"$T_TMP/raw.json"
/usr/bin/python3 "$T_TMP/raw_server.py" "$T_TMP/raw.port" "$T_TMP/raw.json" &
RAW_PID=$!
at_exit "kill $RAW_PID"
for _ in $(seq 1 200); do [ -s "$T_TMP/raw.port" ] && break; nap 0.05; done
RAW_URL=http://127.0.0.1:$(cat "$T_TMP/raw.port")/api/v1

# unsafe FILE: the raw controls found in FILE's bytes, "" when none.
unsafe() {
  /usr/bin/python3 - "$1" <<'PY'
import re, sys
b = open(sys.argv[1], 'rb').read()
found = []
try:
    t = b.decode('utf-8')
except UnicodeDecodeError as e:
    print('invalid UTF-8 at byte %d' % e.start); sys.exit()
for c in t:
    o = ord(c)
    if (o < 0x20 and c not in '\n\t') or 0x7f <= o <= 0x9f or o in (0x200e, 0x200f, 0x2028, 0x2029, 0x061c, 0xfeff) \
       or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        found.append('U+%04X' % o)
print(' '.join(sorted(set(found))))
PY
}
# same_json A B: both parse and hold the same value.
same_json() {
  /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' "$1" "$2"
}

curl -s "$TD_URL/Ticket/666" >"$T_TMP/666.server"
check_eq "ticket 666 is hostile (the server's bytes hold raw controls)" "U+009B U+202E" "$(unsafe "$T_TMP/666.server")"
for pretty in "" --pretty; do
  name="get 666${pretty:+ $pretty}"
  "$TICKETED" get --url "$TD_URL" $pretty 666 >"$T_TMP/out" 2>"$T_TMP/err"
  check_eq "$name: exit 0" 0 "$?"
  check_eq "$name, to a pipe: no raw control" "" "$(unsafe "$T_TMP/out")"
  check "$name: C1 CSI as \\u009b" grep -qF '\u009b' "$T_TMP/out"
  check "$name: RLO as \\u202e" grep -qF '\u202e' "$T_TMP/out"
  check "$name: the same JSON value as the server's" same_json "$T_TMP/out" "$T_TMP/666.server"
  # what a terminal would be handed: the bytes of stdout through a pty
  /usr/bin/python3 "$TOP/tests/net/pty_capture.py" "$TICKETED" get --url "$TD_URL" $pretty 666 >"$T_TMP/pty"
  check_eq "$name, to a terminal: no raw control" "" "$(unsafe "$T_TMP/pty")"
  check "$name, to a terminal: the same bytes as to a pipe" cmp -s "$T_TMP/pty" "$T_TMP/out"
done

"$TICKETED" get --url "$RAW_URL" 7 >"$T_TMP/raw.out" 2>"$T_TMP/raw.err"
check_eq "raw bytes: exit 0" 0 "$?"
check_eq "raw bytes: no raw control, valid UTF-8" "" "$(unsafe "$T_TMP/raw.out")"
check_eq "raw bytes: escaped as JSON, the rest as sent" \
  '{"TicketId":7,"Title":"csi\u009b31m red\u007f del \u202e rlo \u2028 ls","Author":"lone\ufffd2J\ufffd\ufffd bytes","Note":"\u001b]52;c;eA==\u0007 osc","Name":"Bjørn 日"}' \
  "$(cat "$T_TMP/raw.out")"
