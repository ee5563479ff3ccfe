#!/usr/bin/env bash
# ticketd credentials: none configured, Basic, Bearer, SOTicket, wrong ones;
# scheme names case-insensitive; the log never holds a credential.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

start_ticketd || exit 1
req GET /Ticket/900; check_eq "no auth configured: no header needed" 200 "$CODE"
req GET /Ticket/900 -H 'Authorization: Basic Zm9vOmJhcg=='; check_eq "no auth configured: any header accepted" 200 "$CODE"
stop_clean

start_ticketd --user 'Bjørn' --password 'pa:ss wörd' || exit 1
req GET /Ticket/900; check_eq "Basic configured, no header: 401" 401 "$CODE"
check "401 error body" is_error_body
check_eq "401 asks for Basic" 'Basic realm="ticketd"' "$(header WWW-Authenticate)"
req GET /Ticket/900 -u 'Bjørn:pa:ss wörd'; check_eq "right user/password: 200" 200 "$CODE"
b64=$(printf '%s' 'Bjørn:pa:ss wörd' | base64 -w0)
req GET /Ticket/900 -H "Authorization: bAsIc $b64"; check_eq "scheme name case-insensitive" 200 "$CODE"
req GET /Ticket/900 -u 'Bjørn:wrong'; check_eq "wrong password: 401" 401 "$CODE"
req GET /Ticket/900 -u 'Bjorn:pa:ss wörd'; check_eq "wrong user: 401" 401 "$CODE"
req GET /Ticket/900 -H 'Authorization: Basic !!!notbase64'; check_eq "garbage Basic: 401" 401 "$CODE"
req GET /Ticket/900 -H 'Authorization: Bearer pa:ss wörd'; check_eq "Bearer when only Basic configured: 401" 401 "$CODE"
patch /Ticket/900 application/json '[{"op":"replace","path":"/AlertLevel","value":9}]'
check_eq "PATCH without credentials: 401" 401 "$CODE"
req GET /Ticket/900 -u 'Bjørn:pa:ss wörd'; check_eq "…and nothing was applied" 2 "$(jv 'd["AlertLevel"]')"
req GET /MDOList/tags; check_eq "MDO lists need credentials too" 401 "$CODE"
check "the log never holds the password" bash -c "! grep -a -e 'pa:ss' -e '$b64' '$TD_LOG'"
check "the log says which scheme was used" grep -q 'auth=bAsIc(redacted)' "$TD_LOG"
stop_clean

TOKEN='8A:Cust12345.AGYAbABvAHcAZQByAA=='
start_ticketd --token "$TOKEN" || exit 1
req GET /Ticket/900; check_eq "token configured, no header: 401" 401 "$CODE"
check_eq "401 asks for Bearer" 'Bearer realm="ticketd"' "$(header WWW-Authenticate)"
req GET /Ticket/900 -H "Authorization: Bearer $TOKEN"; check_eq "Bearer token: 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: bearer $TOKEN"; check_eq "bearer (lower case): 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: SOTicket $TOKEN"; check_eq "SOTicket: 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: SOTICKET $TOKEN"; check_eq "SOTICKET (upper case): 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: SoTicket $TOKEN"; check_eq "SoTicket: 200" 200 "$CODE"
req GET /Ticket/900 -H "Authorization: Bearer ${TOKEN}x"; check_eq "wrong token: 401" 401 "$CODE"
req GET /Ticket/900 -H "Authorization: Basic $(printf 'u:%s' "$TOKEN" | base64 -w0)"; check_eq "Basic when only a token is configured: 401" 401 "$CODE"
check "the log never holds the token" bash -c "! grep -a -F -e 'AGYAbABvAHcAZQByAA' '$TD_LOG'"
stop_clean

start_ticketd --token T0K --user u --password p || exit 1
req GET /Ticket/900 -u u:p; c1=$CODE
req GET /Ticket/900 -H 'Authorization: Bearer T0K'; c2=$CODE
check_eq "both configured: either works" "200 200" "$c1 $c2"
stop_clean
