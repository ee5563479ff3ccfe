#!/usr/bin/env bash
# ticketd under valgrind: a few requests of every kind, then SIGTERM; the
# run must report no errors and no definite leaks, and exit 0.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
if [ -n "${TICKETED_SANITIZED:-}" ]; then
  # valgrind cannot run an ASan binary; `make check` runs this test for real.
  skip_ci_ok "ticketd under valgrind" "sanitizer build: valgrind cannot run it (ASan/UBSan watch ticketd here; make check runs valgrind)"
  exit 0
fi
if ! command -v valgrind >/dev/null; then not_ok "valgrind not installed (make deps)"; exit 1; fi
pf=$T_TMP/vg.port vlog=$T_TMP/valgrind.log
# The test's TERM goes to timeout, which passes it on and, -k seconds later,
# kills: valgrind's leak check at exit can take many seconds on a loaded
# machine (a clean-clone run was killed at -k 5: exit 137).
timeout -k 120 240 valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file="$vlog" \
  "$TICKETD" --port 0 --port-file "$pf" --log "$T_TMP/td.log" --user u --password p 2>"$T_TMP/stderr" &
vpid=$!
at_exit "kill $vpid"
for _ in $(seq 1 600); do [ -s "$pf" ] && break; nap 0.1; done
[ -s "$pf" ] || { not_ok "ticketd started under valgrind"; cat "$vlog"; exit 1; }
TD_URL=http://127.0.0.1:$(cat "$pf")/api/v1
A=(-u u:p)
req GET '/Ticket/900?$select=Title,OwnedBy/AssociateId' "${A[@]}";  c1=$CODE
patch /Ticket/900 application/json-patch+json '[{"op":"test","path":"/AlertLevel","value":2},{"op":"replace","path":"/OwnedBy/AssociateId","value":5},{"op":"add","path":"/Tags/-","value":{"Id":2}}]' "${A[@]}"; c2=$CODE
patch /Ticket/900 application/merge-patch+json '{"CustomFields":{"x_site":""},"Deadline":"2026-12-24T12:00:00"}' "${A[@]}"; c3=$CODE
patch /Ticket/900 application/json '[{"op":"test","path":"/AlertLevel","value":99}]' "${A[@]}"; c4=$CODE
patch /Ticket/900 application/json '[{"op":"replace","path":"/Title","value":' "${A[@]}"; c5=$CODE
req GET /MDOList/ejcategory "${A[@]}"; c6=$CODE
req GET /Ticket/1 "${A[@]}"; c7=$CODE
req GET /Ticket/900; c8=$CODE
req PUT /Ticket/4711 -H 'Content-Type: application/json' --data-binary '{"TicketId":4711,"Title":"put"}' "${A[@]}"; c9=$CODE
check_eq "requests answered under valgrind" "200 200 200 409 400 200 404 401 200" "$c1 $c2 $c3 $c4 $c5 $c6 $c7 $c8 $c9"
kill -TERM $vpid
wait $vpid; rc=$?
check_eq "SIGTERM: exit 0 under valgrind (99 = valgrind found errors)" 0 "$rc"
check "valgrind log has no errors or leaks" bash -c "! grep -q -e 'definitely lost' -e 'Invalid' -e 'uninitialised' '$vlog'"
[ "$rc" = 0 ] || sed 's/^/# /' "$vlog" | head -40
show "valgrind: ticketd clean after 9 requests and SIGTERM"
