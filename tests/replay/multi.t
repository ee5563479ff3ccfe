#!/usr/bin/env bash
# One replay script over many tickets: `ticketed --replay FILE 900 901 902`
# (and --ids-from FILE or - for standard input). Each ticket gets its own
# load, save, conflict handling and draft policy; one summary line each on
# stdout; the exit status is the highest per-ticket status. Runs headless
# against ticketd behind the recording proxy, so every request is known.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PY=/usr/bin/python3

W=$T_TMP/w; mkdir -p "$W"
export XDG_STATE_HOME=$W/state
stop_proxy() { kill "$PX_PID" 2>/dev/null; wait "$PX_PID" 2>/dev/null; }
value() { curl -s "$TD_URL/Ticket/$1" | $PY -c 'import json, sys; d = json.load(sys.stdin)
for t in sys.argv[1].split("/"): d = d[t]
print(d)' "$2"; }
ed() { (cd "$W" && timeout -k 2 60 "$TICKETED" --url "$PX_URL" --headless "$@" >"$W/out" 2>"$W/err"); echo $? >"$W/rc"; }
rc() { cat "$W/rc"; }
patches() { grep -o '^PATCH /api/v1/Ticket/[0-9]*' "$CAP" | sed 's|.*/||' | tr '\n' ' ' | sed 's/ $//'; }

# The script: the priority becomes Medium, then save and quit.
cat >"$W/medium.replay" <<'EOF'
# triage: every ticket to priority Medium
/Priority<Enter>
<Enter>
medium<Enter>
s
q
EOF
# Someone else raises 902's priority to Critical just before its save.
cat >"$W/race.between" <<'EOF'
[ "$1 $2" = "PATCH /api/v1/Ticket/902" ] || exit 0
curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Priority/TicketPriorityId","value":4}]' "$TD_URL/Ticket/902"
EOF

# --- 900 saved, 901 nothing to save, 902 conflict ------------------------------
start_ticketd --data "$TOP/tests/data/service" || exit 1
start_proxy "$TD_PORT" "$W/race.between"
ed --replay "$W/medium.replay" 900 901 902
check_eq "three tickets: one line each, in order" \
  "900 saved: Priority|901 nothing to save|902 conflict: edits kept as draft" "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "exit status: the highest per ticket (3, edits kept)" 3 "$(rc)"
check_eq "900 was saved" Medium "$(value 900 Priority/Name)"
check_eq "901 was already Medium: no PATCH for it" "900 902" "$(patches)"
check_eq "902 keeps their Critical (the conflict was not decided)" "Critical – 24/7" "$(value 902 Priority/Name)"
check "each ticket loaded on its own" bash -c "grep -q '^GET /api/v1/Ticket/900 ' '$CAP' && grep -q '^GET /api/v1/Ticket/901 ' '$CAP' && [ \$(grep -c '^GET /api/v1/Ticket/902 ' '$CAP') = 2 ]"
check_eq "the MDO list was read once for the whole run (cached across tickets)" 1 "$(grep -c '^GET .*/MDOList/ticketpriority ' "$CAP")"
check_eq "the custom field definitions were read once for the whole run" 1 "$(grep -c '^GET .*/Ticket/CustomField ' "$CAP")"
check "902's draft is on disk" bash -c "ls '$XDG_STATE_HOME'/ticketed/drafts/902-*.json >/dev/null"
check "no draft for 900 or 901" bash -c "! ls '$XDG_STATE_HOME'/ticketed/drafts/90[01]-*.json 2>/dev/null"
check "stderr says where 902's draft is" grep -q 'kept as a draft: .*902-.*(Priority); open ticket 902 again' "$W/err"
check "no raw ESC on stdout or stderr" bash -c "! grep -q \$'\\x1b' '$W/out' '$W/err'"

# The run again (the same URL: drafts are kept per URL and ticket): 902
# now has a draft; a script never meets the draft prompt (--draft fail):
# nothing is sent for 902, the other tickets go on.
: >"$CAP"
ed --replay "$W/medium.replay" 902 900
check_eq "a draft in the way: that ticket is not run, the next one is" \
  "902 not run: a draft is in the way (see above); nothing was sent|900 nothing to save" \
  "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "... exit 4" 4 "$(rc)"
check "... stderr names the draft and the options" grep -q 'ticket 902 has an unsaved draft .*--draft restore' "$W/err"
check_eq "... nothing at all was sent for 902" "" "$(grep '/Ticket/902' "$CAP")"
# --draft discard: the draft goes, the script runs on the server's copy
: >"$CAP"
ed --replay "$W/medium.replay" --draft discard 902 900
check_eq "--draft discard for every ticket of the batch" "902 saved: Priority|900 nothing to save" \
  "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "... exit 0" 0 "$(rc)"
check_eq "... 902 is Medium now (their Critical replaced: the draft was discarded on purpose)" Medium "$(value 902 Priority/Name)"
stop_proxy
stop_ticketd

# --- --ids-from: a file, and standard input ----------------------------------
start_ticketd --data "$TOP/tests/data/service" || exit 1
start_proxy "$TD_PORT"
printf '# Monday triage\n900, 901\n\n4711 # printer\n' >"$W/ids"
ed --replay "$W/medium.replay" --ids-from "$W/ids"
check_eq "--ids-from FILE: ids with commas, blanks and comments" "900 saved: Priority|901 nothing to save|4711 nothing to save" \
  "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "... exit 0: all succeeded" 0 "$(rc)"
stop_proxy
start_proxy "$TD_PORT"
(cd "$W" && printf '902\n904\n' | timeout -k 2 60 "$TICKETED" --url "$PX_URL" --headless --replay "$W/medium.replay" \
   --ids-from - >"$W/out" 2>"$W/err"); echo $? >"$W/rc"
check_eq "--ids-from -: standard input" "902 saved: Priority|904 saved: Priority" "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "... exit 0" 0 "$(rc)"
stop_proxy

# --- a ticket that cannot be loaded, a failing script -----------------------------
start_proxy "$TD_PORT"
cat >"$W/expect.replay" <<'EOF'
:expect field Priority "Medium (2)"
q
EOF
ed --replay "$W/expect.replay" 901 123456 907 666
check_eq "not found (2) and a failed expectation (4) are said per ticket" \
  "901 nothing to save|123456 not loaded: ticket 123456 not found|907 script failed: $W/expect.replay:1: expected field Priority \"Medium (2)\", found \"High (3)\"|666 nothing to save" \
  "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check_eq "... exit 4, the highest" 4 "$(rc)"
check "... the failed expectation's screen is on stderr" grep -q -- '--- screen (80x24) ---' "$W/err"
stop_proxy

# --- --dry-run: each ticket's patch, nothing sent, nothing kept -----------------------
start_proxy "$TD_PORT"
ed --replay "$W/medium.replay" --dry-run 905 901 907
check_eq "--dry-run prints each ticket's patch" \
  '905 dry run: [{"op":"test","path":"/Priority/TicketPriorityId","value":1},{"op":"replace","path":"/Priority/TicketPriorityId","value":2}]' \
  "$(sed -n 1p "$W/out")"
check_eq "... and says when there is none" "901 dry run: nothing to save" "$(sed -n 2p "$W/out")"
check_eq "... 907 goes High to Medium" \
  '907 dry run: [{"op":"test","path":"/Priority/TicketPriorityId","value":3},{"op":"replace","path":"/Priority/TicketPriorityId","value":2}]' \
  "$(sed -n 3p "$W/out")"
check_eq "... exit 0" 0 "$(rc)"
check_eq "... no PATCH sent" "" "$(patches)"
check "... no draft kept" bash -c "! ls '$XDG_STATE_HOME'/ticketed/drafts/90[57]-*.json 2>/dev/null"
check_eq "... the server still has 907 High" High "$(value 907 Priority/Name)"
stop_proxy

# --- a hang-up stops the batch ----------------------------------------------------
# The proxy holds the load of 901 until the test has sent SIGHUP: the ticket
# in flight ends (not loaded), the rest are not run, and the status says so.
cat >"$W/hold.between" <<EOF
[ "\$1 \$2" = "GET /api/v1/Ticket/901" ] || exit 0
touch "$W/at901"
for i in \$(seq 1 200); do [ -e "$W/go" ] && exit 0; sleep 0.05; done
EOF
rm -f "$W/at901" "$W/go"
start_proxy "$TD_PORT" "$W/hold.between"
(cd "$W" && exec "$TICKETED" --url "$PX_URL" --headless --replay "$W/medium.replay" \
   --draft discard 900 901 902 903 >"$W/out" 2>"$W/err") &
pid=$!
for i in $(seq 1 200); do [ -e "$W/at901" ] && break; nap 0.05; done
check "the batch reached 901" test -e "$W/at901"
kill -HUP "$pid"
touch "$W/go"
wait "$pid"; rc=$?
check_eq "SIGHUP in the middle of a batch: exit 2 (tickets not run)" 2 "$rc"
check_eq "... one line per ticket: done, interrupted, not run" \
  "900 nothing to save|901 not loaded: interrupted by signal 1|902 not run: interrupted by signal 1|903 not run: interrupted by signal 1" \
  "$(tr '\n' '|' <"$W/out" | sed 's/|$//')"
check "... nothing was sent for 902 and 903" bash -c "! grep -q 'Ticket/90[23]' '$CAP'"
stop_proxy

# --- usage -----------------------------------------------------------------------
"$TICKETED" --url "$TD_URL" 900 901 </dev/null >"$W/out" 2>"$W/err"; rc=$?
check_eq "several ids without --replay: usage error" 1 "$rc"
check "... says why" grep -q 'several tickets are for a script: --replay FILE' "$W/err"
mkfifo "$W/fifo"
(printf 'q\n' >"$W/fifo" &)
"$TICKETED" --url "$TD_URL" --headless --replay "$W/fifo" 900 901 >"$W/out" 2>"$W/err"; rc=$?
check_eq "a replay from a pipe runs on one ticket only: usage error" 1 "$rc"
check "... says so" grep -q 'a replay read from a pipe runs on one ticket only' "$W/err"
"$TICKETED" --url "$TD_URL" --headless --replay "$W/medium.replay" --ids-from "$W/nosuch" >"$W/out" 2>"$W/err"; rc=$?
check_eq "--ids-from a missing file: usage error" 1 "$rc"
stop_ticketd
