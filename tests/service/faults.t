#!/usr/bin/env bash
# ticketd fault injection (--fault ...), --latency-ms, --max-body (413) and --persist.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
JP=application/json-patch+json
valid_json() { "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$BODY_FILE" 2>/dev/null; }

# http500-every=N
start_ticketd --fault http500-every=3 || exit 1
req GET /Ticket/900; c1=$CODE; req GET /Ticket/900; c2=$CODE; req GET /Ticket/900; c3=$CODE
check_eq "http500-every=3: every 3rd request is a 500" "200 200 500" "$c1 $c2 $c3"
check "the 500 has the error body shape" is_error_body
req GET /Ticket/4711; req GET /Ticket/4711; patch /Ticket/4711 $JP '[{"op":"replace","path":"/AlertLevel","value":8}]'
check_eq "a PATCH that gets the 500 (6th request)" 500 "$CODE"
req GET /Ticket/4711
check_eq "…was not applied" 0 "$(jv 'd["AlertLevel"]')"
stop_clean

# html-error
start_ticketd --fault html-error || exit 1
req GET /Ticket/12345
check_eq "html-error: 404 as an HTML page" "404 text/html; charset=utf-8" "$CODE $(header Content-Type)"
check "…that looks like an IIS error page" grep -q '<title>404 - ' "$BODY_FILE"
patch /Ticket/900 $JP '[{"op":"test","path":"/Title","value":"<script>"}]'
check_eq "html-error: 409 as HTML too" "409 text/html; charset=utf-8" "$CODE $(header Content-Type)"
check "…with the message HTML-escaped" grep -q '&lt;script&gt;\|/Title\|test' "$BODY_FILE"
req GET /Ticket/900
check_eq "html-error: successes stay JSON" "200 application/json; charset=utf-8" "$CODE $(header Content-Type)"
stop_clean

# drop-after-apply
start_ticketd --fault drop-after-apply || exit 1
curl -s --max-time 10 -o /dev/null -X PATCH -H "Content-Type: $JP" \
  --data-binary '[{"op":"replace","path":"/Title","value":"Applied but never answered"}]' "$TD_URL/Ticket/901"
rc=$?
check_eq "drop-after-apply: the connection closes with no answer (curl 52)" 52 "$rc"
req GET /Ticket/901
check_eq "…but the change was applied" "Applied but never answered" "$(jv 'd["Title"]')"
patch /Ticket/901 $JP '[{"op":"test","path":"/Title","value":"nope"}]'
check_eq "drop-after-apply: errors are still answered" 409 "$CODE"
td_log_sync
check "the log marks the dropped request" grep -q 'PATCH /api/v1/Ticket/901 - 0 ' "$TD_LOG"
stop_clean

# garbage-json
start_ticketd --fault garbage-json || exit 1
req GET /Ticket/900
check_eq "garbage-json: 200 with a JSON content type" "200 application/json; charset=utf-8" "$CODE $(header Content-Type)"
check "…and a body that does not parse" bash -c "! $PY -c 'import json,sys; json.load(open(sys.argv[1]))' '$BODY_FILE' 2>/dev/null"
check "…that is not empty" test -s "$BODY_FILE"
patch /Ticket/900 $JP '[{"op":"replace","path":"/AlertLevel","value":6}]'
check_eq "garbage-json on PATCH: 200, unparseable" "200 1" "$CODE $(valid_json; echo $?)"
stop_clean

# slow-body (lower bounds only: 40 chunks with a 20 ms pause each)
start_ticketd --fault slow-body || exit 1
t=$(curl -s -o "$BODY_FILE" -w '%{time_total}' "$TD_URL/Ticket/900")
check "slow-body: the body arrives whole and valid" valid_json
check "slow-body: it trickles (>= 0.5 s for 40 chunks)" "$PY" -c "import sys; sys.exit(not $t >= 0.5)"
show "slow-body GET /Ticket/900: ${t}s"
stop_clean

# latency
for opt in "--fault latency=300" "--latency-ms 300"; do
  start_ticketd $opt || exit 1
  t=$(curl -s -o "$BODY_FILE" -w '%{time_total}' "$TD_URL/Ticket/4711")
  check "$opt: answer delayed at least 0.3 s" "$PY" -c "import sys; sys.exit(not $t >= 0.3)"
  check "$opt: answer intact" valid_json
  stop_ticketd
done

# --max-body
start_ticketd --max-body 200 || exit 1
small='[{"op":"replace","path":"/Title","value":"fits"}]'
big="[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"$(printf 'x%.0s' $(seq 1 300))\"}]"
patch /Ticket/4711 $JP "$small"; check_eq "--max-body 200: a small body passes" 200 "$CODE"
patch /Ticket/4711 $JP "$big"; check_eq "--max-body 200: a 350-byte body is 413" 413 "$CODE"
check "413 error body" is_error_body
patch /Ticket/4711 $JP "$big" -H 'Transfer-Encoding: chunked'
check_eq "chunked upload over the limit: 413" 413 "$CODE"
req GET /Ticket/4711; check_eq "…nothing applied" fits "$(jv 'd["Title"]')"
stop_clean
start_ticketd || exit 1
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T_TMP/huge"
req PATCH /Ticket/4711 -H "Content-Type: $JP" --data-binary @"$T_TMP/huge"
check_eq "default limit 1 MiB: 413" 413 "$CODE"
stop_clean

# --persist: atomic write-back, survives a restart
cp -r "$TOP/tests/data/service" "$T_TMP/data"
start_ticketd --data "$T_TMP/data" --persist || exit 1
patch /Ticket/902 $JP '[{"op":"replace","path":"/Title","value":"Invoice charged twice – refunded"}]'
check_eq "--persist: PATCH 200" 200 "$CODE"
check_eq "the ticket file on disk has the change" "Invoice charged twice – refunded" \
  "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["Title"])' "$T_TMP/data/tickets/902.json")"
check "no temp files left behind" bash -c "! ls '$T_TMP/data/tickets' | grep -q tmp"
patch /Ticket/903 $JP '[{"op":"test","path":"/Title","value":"nope"}]'
check "a failed PATCH does not touch the file" cmp -s "$TOP/tests/data/service/tickets/903.json" "$T_TMP/data/tickets/903.json"
stop_clean
start_ticketd --data "$T_TMP/data" || exit 1
req GET /Ticket/902
check_eq "after a restart the change is still there" "Invoice charged twice – refunded" "$(jv 'd["Title"]')"
stop_clean
start_ticketd || exit 1
patch /Ticket/902 $JP '[{"op":"replace","path":"/Title","value":"in memory only"}]'
stop_clean
check "without --persist the shipped data is untouched" bash -c "! grep -q 'in memory only' '$TOP/tests/data/service/tickets/902.json'"
