#!/usr/bin/env bash
# `ticketed get` end to end: against ticketd (when built) and against
# tests/net/stub_server.py for fault shapes ticketd does not produce
# (HTML error pages, garbage, a 40 MiB body, a hang, header echo).
. "$(dirname "$0")/../lib.sh"

start_stub() {
  local pf=$T_TMP/stub.port
  STUB_REC=$T_TMP/stub.rec
  /usr/bin/python3 "$TOP/tests/net/stub_server.py" --port-file "$pf" --record "$STUB_REC" 2>"$T_TMP/stub.err" &
  STUB_PID=$!
  at_exit "kill $STUB_PID"
  for _ in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
  STUB=http://127.0.0.1:$(cat "$pf")
}
start_stub
get() { "$TICKETED" get "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
rc() { cat "$T_TMP/rc"; }
err() { cat "$T_TMP/err"; }

# --- a ticket loads --------------------------------------------------------
get --url "$STUB/ok/api/v1" 5
check_eq "get prints the ticket (exit 0)" 0 "$(rc)"
check_eq "compact JSON on stdout" '{"TicketId":5,"Title":"Printer on fire","Status":{"Id":1,"Name":"Open"}}' "$(cat "$T_TMP/out")"
check_eq "nothing on stderr" "" "$(err)"
get --url "$STUB/ok/api/v1/" --pretty 6
check "--pretty indents, trailing slash in the URL tolerated" grep -q '^	"TicketId":	6,$' "$T_TMP/out"
TICKETED_URL=$STUB/ok/api/v1 get 7
check_eq "TICKETED_URL is used" 0 "$(rc)"
TICKETED_URL=http://127.0.0.1:9/api/v1 get --url "$STUB/ok/api/v1" 7
check_eq "--url wins over TICKETED_URL" 0 "$(rc)"

# --- load failures: exit 2 and one clear line -----------------------------
get --url "$STUB/e404/api/v1" 99999
check_eq "404 exits 2" 2 "$(rc)"
check_eq "404 shows the ErrorMessage" "ticketed: ticket 99999: Ticket 99999 not found" "$(err)"
get --url "$STUB/html/api/v1" 5
check_eq "HTML error page exits 2" 2 "$(rc)"
check_eq "HTML error page shown as the status line only" "ticketed: ticket 5: HTTP 500 Internal Server Error" "$(err)"
get --url "$STUB/evil/api/v1" 5
check_eq "escapes in an ErrorMessage are shown escaped" 'ticketed: ticket 5: bad^[]0;pwned^G \x9B31m thing' "$(err)"
get --url "$STUB/garbage/api/v1" 5
check_eq "bad JSON exits 2" 2 "$(rc)"
check "bad JSON says so" grep -q 'not valid JSON' "$T_TMP/err"
check_eq "bad JSON prints nothing on stdout" "" "$(cat "$T_TMP/out")"
get --url "http://127.0.0.1:9/api/v1" 5
check_eq "connection refused exits 2" 2 "$(rc)"
check_eq "connection refused message" "ticketed: ticket 5: Could not connect to 127.0.0.1 port 9: Connection refused" "$(err)"
get --url "$STUB/big/api/v1" 5
check_eq "40 MiB body exits 2" 2 "$(rc)"
check_eq "size cap message" "ticketed: ticket 5: response larger than 32 MiB" "$(err)"
get --url "$STUB/hang/api/v1" --timeout 1 5
check_eq "hanging server exits 2 after --timeout" 2 "$(rc)"
check "timeout message" grep -q 'ticketed: ticket 5: Operation timed out after [0-9]* milliseconds' "$T_TMP/err"
n=$(timed_out_ms "$T_TMP/err")
check "--timeout 1 applies (timed out after $n ms: at least 1 s, not the default 30 s)" ms_between "$n" 1000 30000

# --- usage errors: exit 1 --------------------------------------------------
get 5
check_eq "no URL exits 1" 1 "$(rc)"
check_eq "no URL message" "ticketed get: no service URL: use --url or TICKETED_URL" "$(err)"
get --url "$STUB/ok/api/v1" --password hunter2 5
check_eq "--password exits 1" 1 "$(rc)"
check "--password refused, pointing at TICKETED_PASSWORD" grep -q 'never accepted on the command line: set TICKETED_PASSWORD' "$T_TMP/err"
check "--password value not echoed" bash -c "! grep -q hunter2 '$T_TMP/err'"
get --url "$STUB/ok/api/v1" abc
check_eq "bad ticket id exits 1" 1 "$(rc)"
get --url "$STUB/ok/api/v1" --user bob 5 </dev/null
check_eq "--user without a password, not interactive: exit 1" 1 "$(rc)"
check "... and says where a password comes from" grep -q 'no password for bob: set TICKETED_PASSWORD' "$T_TMP/err"
get --version
check_eq "--version exits 0" 0 "$(rc)"
check "--version names the libraries" grep -q '^cJSON 1\.' "$T_TMP/out"
check "--version names curl" grep -q '^libcurl/' "$T_TMP/out"
get --help
check "--help shows the usage" grep -q '^usage: ticketed' "$T_TMP/out"

# --- the headers that arrive ------------------------------------------------
: >"$STUB_REC"
TICKETED_TOKEN=tok-SECRET-1 TICKETED_APP_TOKEN=app-SECRET-2 \
  get --url "$STUB/echo/api/v1" --lang nb --so-language no --culture nb-NO --timezone UTC --log "$T_TMP/http.log" 8
check_eq "echo request ok" 0 "$(rc)"
hdr() { grep -i "^$1: " "$STUB_REC" | head -1 | tr -d '\r'; }
check_eq "User-Agent" "User-Agent: ticketed/0.1.0" "$(hdr User-Agent)"
check_eq "Accept" "Accept: application/json" "$(hdr Accept)"
check_eq "Accept-Language" "Accept-Language: nb" "$(hdr Accept-Language)"
check_eq "SO-Language" "SO-Language: no" "$(hdr SO-Language)"
check_eq "SO-Culture" "SO-Culture: nb-NO" "$(hdr SO-Culture)"
check_eq "SO-TimeZone" "SO-TimeZone: UTC" "$(hdr SO-TimeZone)"
check_eq "TICKETED_TOKEN → Bearer" "Authorization: Bearer tok-SECRET-1" "$(hdr Authorization)"
check_eq "SO-AppToken" "SO-AppToken: app-SECRET-2" "$(hdr SO-AppToken)"
check "gzip offered" grep -qi '^Accept-Encoding: .*gzip' "$STUB_REC"
check "--log written" grep -q 'GET http://127.0.0.1:[0-9]*/echo/api/v1/Ticket/8' "$T_TMP/http.log"
check "--log records the status" grep -q '= 200, ' "$T_TMP/http.log"
check "--log redacts Authorization" grep -q '> Authorization: \[redacted\]' "$T_TMP/http.log"
check "--log redacts SO-AppToken" grep -q '> SO-AppToken: \[redacted\]' "$T_TMP/http.log"
check "--log holds no secret" bash -c "! grep -q SECRET '$T_TMP/http.log'"
check_eq "--log is private (0600)" 600 "$(stat -c %a "$T_TMP/http.log")"

: >"$STUB_REC"
TICKETED_TOKEN=7T:abc== TICKETED_PASSWORD=pw get --url "$STUB/echo/api/v1" --auth soticket 8
check_eq "--auth soticket passes the ticket as is" "Authorization: SOTicket 7T:abc==" "$(hdr Authorization)"
: >"$STUB_REC"
TICKETED_TOKEN=tok TICKETED_PASSWORD='p:w' TICKETED_USER=bob get --url "$STUB/echo/api/v1" 8
check_eq "TICKETED_USER → Basic with TICKETED_PASSWORD" "Authorization: Basic $(printf 'bob:p:w' | base64)" "$(hdr Authorization)"
: >"$STUB_REC"
MY_APP=app-x get --url "$STUB/echo/api/v1" --app-token-env MY_APP 8
check_eq "--app-token-env VAR" "SO-AppToken: app-x" "$(hdr SO-AppToken)"
check_eq "no Authorization without credentials" "" "$(hdr Authorization)"
get --url "$STUB/echo/api/v1" --app-token-env MY_UNSET_VAR 8
check_eq "--app-token-env naming an unset variable exits 1" 1 "$(rc)"

# --- the no-echo password prompt on a terminal --------------------------------
: >"$STUB_REC"
/usr/bin/python3 "$TOP/tests/net/pty_prompt.py" "Password for bob" "Typed-Pw-9" \
  "$TICKETED" get --url "$STUB/echo/api/v1" --user bob 8 >"$T_TMP/pty.out" 2>&1
check_eq "prompted password: exit 0" 0 "$?"
check "the prompt names the user and URL" grep -q "Password for bob at $STUB/echo/api/v1: " "$T_TMP/pty.out"
check "the typed password is not echoed" bash -c "! grep -q Typed-Pw-9 '$T_TMP/pty.out'"
check_eq "the typed password is used" "Authorization: Basic $(printf 'bob:Typed-Pw-9' | base64)" "$(hdr Authorization)"

# --- against ticketd --------------------------------------------------------
if [ -x "$TICKETD" ] && start_ticketd; then
  get --url "$TD_URL" 900
  check_eq "ticketd: get 900 exits 0" 0 "$(rc)"
  check "ticketd: the ticket's JSON" /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["TicketId"]==900 else 1)' "$T_TMP/out"
  get --url "$TD_URL" 99999
  check_eq "ticketd: unknown id exits 2" 2 "$(rc)"
  check "ticketd: unknown id message" grep -q '^ticketed: ticket 99999: ' "$T_TMP/err"
  stop_ticketd
  start_ticketd --user bob --password 'p w:1' --token 7T:tok==
  TICKETED_PASSWORD='p w:1' get --url "$TD_URL" --user bob 900
  check_eq "ticketd: Basic with the right password" 0 "$(rc)"
  TICKETED_PASSWORD=wrong get --url "$TD_URL" --user bob 900
  check_eq "ticketd: wrong password exits 2" 2 "$(rc)"
  check "ticketd: 401 shows its ErrorMessage" grep -q '^ticketed: ticket 900: .*credentials' "$T_TMP/err"
  TICKETED_TOKEN=7T:tok== get --url "$TD_URL" --auth soticket 900
  check_eq "ticketd: SOTicket token" 0 "$(rc)"
  TICKETED_TOKEN=7T:tok== get --url "$TD_URL" 900
  check_eq "ticketd: Bearer token" 0 "$(rc)"
  stop_ticketd
  start_ticketd --fault garbage-json
  get --url "$TD_URL" 900
  check_eq "ticketd garbage-json exits 2" 2 "$(rc)"
  check "ticketd garbage-json: says the JSON is bad" grep -q 'not valid JSON' "$T_TMP/err"
else
  not_ok "ticketd is built and starts ($TICKETD)"
fi
