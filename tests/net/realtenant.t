#!/usr/bin/env bash
# What a real SuperOffice tenant does that ticketd did not, seen through
# `ticketed get` against tests/net/stub_server.py:
# - Accept-Language is always sent (language, else the locale, else en);
# - an expired token (401) runs token_command once more and the request is
#   sent again; without a token_command the message says how to get a fresh one;
# - 429 and 503 wait as Retry-After says (seconds or an HTTP date) and retry,
#   within --timeout;
# - a redirect is never followed (no credentials to another host) and says
#   which url to set; the Online tenant state moves the base URL;
# - a 404 or 200 that is not the API's says "is the base URL right?";
# - an answer for another ticket is an error.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/net/stubs.sh"
start_stub || exit 1
hdr() { grep -i "^$1: " "$STUB_REC" | tail -1 | tr -d '\r'; }

# --- Accept-Language ------------------------------------------------------------
: >"$STUB_REC"
get --url "$STUB/echo/api/v1" 8
check_eq "no language configured, C.UTF-8 locale: Accept-Language: en" "Accept-Language: en" "$(hdr Accept-Language)"
: >"$STUB_REC"
env -u LC_ALL LANG=nb_NO.UTF-8 "$TICKETED" get --url "$STUB/echo/api/v1" 8 >/dev/null 2>&1
check_eq "LANG=nb_NO.UTF-8: Accept-Language: nb-NO" "Accept-Language: nb-NO" "$(hdr Accept-Language)"
: >"$STUB_REC"
env -u LC_ALL LANG=nb_NO.UTF-8 LC_MESSAGES=de_DE.UTF-8 "$TICKETED" get --url "$STUB/echo/api/v1" 8 >/dev/null 2>&1
check_eq "LC_MESSAGES before LANG" "Accept-Language: de-DE" "$(hdr Accept-Language)"
: >"$STUB_REC"
LC_ALL=C LANG=nb_NO.UTF-8 "$TICKETED" get --url "$STUB/echo/api/v1" 8 >/dev/null 2>&1
check_eq "LC_ALL=C: no language, so en" "Accept-Language: en" "$(hdr Accept-Language)"
: >"$STUB_REC"
env -u LC_ALL LANG=nb_NO.UTF-8 "$TICKETED" get --url "$STUB/echo/api/v1" --lang sv 8 >/dev/null 2>&1
check_eq "--lang beats the locale" "Accept-Language: sv" "$(hdr Accept-Language)"

# --- token expiry ---------------------------------------------------------------
# token_command prints Old-Token on its first run, New-Token after that.
cat >"$T_TMP/tok.sh" <<EOS
#!/bin/sh
if [ -e "$T_TMP/tok.ran" ]; then echo New-Token; else : >"$T_TMP/tok.ran"; echo Old-Token; fi
echo run >>"$T_TMP/tok.count"
EOS
chmod 700 "$T_TMP/tok.sh"
CFG=$T_TMP/cfg
printf 'url = %s/auth/New-Token/api/v1\ntoken_command = %s\n' "$STUB" "$T_TMP/tok.sh" >"$CFG"
chmod 600 "$CFG"
: >"$STUB_REC"
get --config "$CFG" 5
check_eq "401 with an expired token: token_command again, then 200 (exit 0)" 0 "$(rc)"
check_eq "... two requests" 2 "$(requests 'GET /auth/')"
check_eq "... the second with the fresh token" "Authorization: Bearer New-Token" "$(hdr Authorization)"
check_eq "... token_command ran twice" 2 "$(wc -l <"$T_TMP/tok.count")"
check "... nothing on stderr" test ! -s "$T_TMP/err"
: >"$STUB_REC"
printf 'url = %s/auth/Never/api/v1\ntoken_command = %s\n' "$STUB" "$T_TMP/tok.sh" >"$CFG"
get --config "$CFG" 5
check_eq "the fresh token refused too: exit 2" 2 "$(rc)"
check_eq "... after exactly one refresh" 2 "$(requests 'GET /auth/')"
check_eq "... says so" "ticketed: ticket 5: Token expired (a fresh token from token_command was refused too)" "$(err)"
: >"$STUB_REC"
TICKETED_TOKEN=Old-Token get --url "$STUB/auth/New-Token/api/v1" 5
check_eq "no token_command (headless): exit 2 after one request" "2 1" "$(rc) $(requests 'GET /auth/')"
check "... and says how to provide a fresh token" grep -q 'Token expired: the token was refused (an Online token lasts an hour): set TICKETED_TOKEN to a fresh one, or token_command in the config file' "$T_TMP/err"

# --- 429 and 503 ----------------------------------------------------------------
: >"$STUB_REC"
get --url "$STUB/seq/429~1,200/api/v1" --log "$T_TMP/429.log" 5
check_eq "429 with Retry-After: 1, then 200: exit 0" 0 "$(rc)"
check_eq "... two requests" 2 "$(requests 'GET /seq/')"
check "... the trace shows the wait" grep -q 'HTTP 429: retrying in 1 s' "$T_TMP/429.log"
: >"$STUB_REC"
get --url "$STUB/seq/503~d1,503~0,200/api/v1" 5
check_eq "503 with an HTTP-date Retry-After, 503 again, then 200: exit 0" "0 3" "$(rc) $(requests 'GET /seq/')"
: >"$STUB_REC"
get --url "$STUB/seq/503~none,200/api/v1" 5
check_eq "503 without Retry-After: retried too" "0 2" "$(rc) $(requests 'GET /seq/')"
: >"$STUB_REC"
get --url "$STUB/seq/429~600/api/v1" --timeout 5 5
check_eq "Retry-After beyond --timeout: no wait, exit 2" "2 1" "$(rc) $(requests 'GET /seq/')"
check_eq "... says why" "ticketed: ticket 5: Slow down (the service asks to retry in 600 s, beyond the 5 s timeout)" "$(err)"

# --- redirects and tenants that move ---------------------------------------------
: >"$STUB_REC"
TICKETED_TOKEN=Tok-Redirect-Secret get --url "$STUB/redirect/api/v1" 5
check_eq "a redirect to another host: exit 2" 2 "$(rc)"
check_eq "... nothing went to the other host" 1 "$(grep -c '^GET ' "$STUB_REC")"
check_eq "... the message names the target and the url to set" \
  "ticketed: ticket 5: HTTP 302 to http://localhost:$STUB_PORT/ok/api/v1/Ticket/5: set url to http://localhost:$STUB_PORT/ok/api/v1" "$(err)"
check "... without its query (state tokens)" bash -c "! grep -q Secret-State '$T_TMP/err'"

: >"$STUB_REC"
get --url "$STUB/nowhere/api/v1" --tenant-status "$STUB/state/run-ok" 5
check_eq "--tenant-status: the tenant's Endpoint is used (exit 0)" 0 "$(rc)"
check_eq "... the state first, then the ticket at the Endpoint" "GET /state/run-ok GET /ok/api/v1/Ticket/5" \
  "$(grep '^GET ' "$STUB_REC" | tr '\n' ' ' | sed 's/ $//')"
check "... the state request carries no credentials" bash -c "! grep -qi '^Authorization' '$STUB_REC'"
: >"$STUB_REC"
printf 'url = %s/nowhere/api/v1\ntenant_status = %s/state/run-ok\n' "$STUB" "$STUB" >"$CFG"
get --config "$CFG" 5
check_eq "tenant_status in the config does the same" "0 1" "$(rc) $(requests 'GET /ok/api/v1/Ticket/5')"
get --url "$STUB/ok/api/v1" --tenant-status "$STUB/state/maint" 5
check_eq "a tenant in maintenance: exit 2" 2 "$(rc)"
check_eq "... says so" "ticketed: ticket 5: the tenant status ($STUB/state/maint) says Cust12345 is OfflineMaintenance: the service is not available now; try again later" "$(err)"
get --url "$STUB/ok/api/v1" --tenant-status "$STUB/state/bad" 5
check_eq "no usable tenant state: the configured url is used" 0 "$(rc)"
: >"$STUB_REC"
get --url "$STUB/ok/api/v1" --tenant-status "$STUB/state/run-seq+302,200" 5
check_eq "a redirect with --tenant-status: the state is read again, the request sent again" 0 "$(rc)"
check_eq "... state, redirect, state, ticket" "GET /state/run-seq+302,200 GET /seq/302,200/api/v1/Ticket/5 GET /state/run-seq+302,200 GET /seq/302,200/api/v1/Ticket/5" \
  "$(grep '^GET ' "$STUB_REC" | tr '\n' ' ' | sed 's/ $//')"

# --- not a SuperOffice API --------------------------------------------------------
get --url "$STUB/html404/api/v2" 5
check_eq "404 HTML page: is the base URL right?" "ticketed: ticket 5: GET $STUB/html404/api/v2/Ticket/5 answered 404 with an HTML page: is the base URL right?" "$(err)"
get --url "$STUB/plain404/api/v1" 5
check_eq "404 without an error body: is the base URL right?" "ticketed: ticket 5: GET $STUB/plain404/api/v1/Ticket/5 answered 404 without a SuperOffice error body: is the base URL right?" "$(err)"
get --url "$STUB/html200" 5
check_eq "200 HTML page (a portal's sign-in page)" "ticketed: ticket 5: GET $STUB/html200/Ticket/5 answered 200 with an HTML page: is the base URL right?" "$(err)"
get --url "$STUB/e404/api/v1" 5
check_eq "a 404 with a SuperOffice error body still shows its ErrorMessage" "ticketed: ticket 5: Ticket 5 not found" "$(err)"

# --- an answer for another ticket ----------------------------------------------------
get --url "$STUB/wrongid/api/v1" 900
check_eq "an answer for ticket 901: exit 2" 2 "$(rc)"
check_eq "... nothing printed" "" "$(cat "$T_TMP/out")"
check_eq "... says so" "ticketed: ticket 900: GET $STUB/wrongid/api/v1/Ticket/900 answered with ticket 901 instead of 900: the answer is not used" "$(err)"
get --url "$STUB/notid/api/v1" 900
check_eq "an answer without TicketId: exit 2" 2 "$(rc)"
