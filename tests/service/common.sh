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
jv() {
  "$PY" - "$BODY_FILE" "$1" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
    v = eval(sys.argv[2], {"d": d, "json": json})
except Exception as e:
    print("<error: %s>" % e)
    sys.exit(0)
print(v if isinstance(v, (str, bool)) else json.dumps(v, ensure_ascii=False, sort_keys=True))
PYEOF
}
# header NAME -> value of response header NAME (case-insensitive), CR stripped
header() { grep -i "^$1:" "$HDR_FILE" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }
# an error body in the documented shape
is_error_body() {
  [ "$(jv 'd["Error"] is True and isinstance(d["ErrorType"], str) and len(d["ErrorMessage"]) > 0 and d["ErrorSource"] == "ticketd"')" = True ]
}
# stop ticketd and check it exited cleanly with nothing from a sanitizer
stop_clean() {
  kill "$TD_PID" 2>/dev/null; wait "$TD_PID" 2>/dev/null; local rc=$?
  check_eq "ticketd stopped cleanly (SIGTERM, exit 0)" 0 "$rc"
  if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$TD_LOG.stderr"; then
    not_ok "no sanitizer reports from ticketd"; sed 's/^/# /' "$TD_LOG.stderr" | head -30
  fi
}
