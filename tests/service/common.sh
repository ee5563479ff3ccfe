# Helpers for tests/service/*.t (sourced after tests/lib.sh).
#   req METHOD PATH [curl args...]  -> $CODE, body in $BODY_FILE, headers in $HDR_FILE
#   jv EXPR                         -> python expression over the last body `d`
#                                      (strings printed raw, others as JSON)
#   patch PATH CTYPE BODY [curl args...]  -> PATCH with a content type
PY=/usr/bin/python3
BODY_FILE=$T_TMP/body
HDR_FILE=$T_TMP/headers
CODE=
req() {
  local method=$1 path=$2; shift 2
  CODE=$(curl -s -g --max-time 20 -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' -X "$method" "$@" "$TD_URL$path")
}
patch() {
  local path=$1 ctype=$2 body=$3; shift 3
  req PATCH "$path" -H "Content-Type: $ctype" --data-binary "$body" "$@"
}
# jv runs in one python process per test (a coprocess reading "FILE\0EXPR\0"
# and answering "VALUE\0"): a python start costs ~40 ms of CPU, and the
# service tests ask hundreds of questions. Where the coprocess's pipes are
# not there (a background subshell, a pipeline) it starts python as before.
_JV_PY='
import json, sys
def answer(path, expr):
    try:
        d = json.load(open(path, encoding="utf-8"))
        v = eval(expr, {"d": d, "json": json})
    except Exception as e:
        return "<error: %s>" % e
    return str(v) if isinstance(v, (str, bool)) else json.dumps(v, ensure_ascii=False, sort_keys=True)
if len(sys.argv) == 3:
    print(answer(sys.argv[1], sys.argv[2]))
    sys.exit(0)
inp, out, buf = sys.stdin.buffer, sys.stdout.buffer, b""
while True:
    while buf.count(b"\0") < 2:
        chunk = inp.read1(65536)
        if not chunk:
            sys.exit(0)
        buf += chunk
    path, expr, buf = buf.split(b"\0", 2)
    out.write(answer(path.decode(), expr.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape") + b"\0")
    out.flush()
'
coproc JVP { exec "$PY" -c "$_JV_PY"; }
at_exit "kill ${JVP_PID:-0} 2>/dev/null"
jv() {
  local v
  if [ -n "${JVP_PID:-}" ] && { true >&"${JVP[1]}"; } 2>/dev/null && { true <&"${JVP[0]}"; } 2>/dev/null &&
     printf '%s\0%s\0' "$BODY_FILE" "$1" >&"${JVP[1]}" && IFS= read -r -d '' v <&"${JVP[0]}"; then
    printf '%s\n' "$v"
  else
    "$PY" -c "$_JV_PY" "$BODY_FILE" "$1"
  fi
}
# header NAME -> value of response header NAME (case-insensitive), CR stripped
header() { grep -i "^$1:" "$HDR_FILE" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }
# an error body in the documented shape
is_error_body() {
  [ "$(jv 'd["Error"] is True and isinstance(d["ErrorType"], str) and len(d["ErrorMessage"]) > 0 and d["ErrorSource"] == "ticketd"')" = True ]
}
# a path no route matches: ASP.NET Web API's answer, not the service's error body
is_no_route_body() {
  [ "$(jv 'list(d) == ["Message"] and d["Message"].startswith("No HTTP resource was found that matches the request URI ") and "Error" not in d')" = True ]
}
# stop ticketd and check it exited cleanly with nothing from a sanitizer
stop_clean() {
  kill "$TD_PID" 2>/dev/null; wait "$TD_PID" 2>/dev/null; local rc=$?
  check_eq "ticketd stopped cleanly (SIGTERM, exit 0)" 0 "$rc"
  if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$TD_LOG.stderr"; then
    not_ok "no sanitizer reports from ticketd"; sed 's/^/# /' "$TD_LOG.stderr" | head -30
  fi
}
