#!/usr/bin/env bash
# The terminal is restored on the error exit paths too: a ticket that does
# not exist (exit 2, message after the screen is gone), the service down
# (exit 2), a load cancelled with Esc (exit 2), and SIGTERM while a request is
# in flight. The loads in flight go to tests/net/stub_server.py's /hang/,
# which never answers (within the test), so the load is still in flight
# whenever the key or the signal arrives.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
pf=$T_TMP/stub.port
/usr/bin/python3 "$TOP/tests/net/stub_server.py" --port-file "$pf" 2>"$T_TMP/stub.err" </dev/null &
at_exit "kill $!"
for _ in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
HANG=http://127.0.0.1:$(cat "$pf")/hang/api/v1
closed=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

tui_start "$TICKETED --url $TD_URL 99999 2>err"
check_eq "unknown id: exit 2" 2 "$(tui_exit)"
check "unknown id: the message" grep -q 'ticket 99999 not found' "$T_TMP/err"
check "unknown id: stty restored" stty_same
check "unknown id: the message is readable on the terminal" bash -c "! grep -q \$'\\x1b' '$T_TMP/err'"
tmux kill-session -t "$TMUX_S"

tui_start "$TICKETED --url http://127.0.0.1:$closed/api/v1 900 2>err"
check_eq "service down: exit 2" 2 "$(tui_exit)"
check "service down: a clear message" grep -q "cannot load ticket 900 from http://127.0.0.1:$closed/api/v1" "$T_TMP/err"
check "service down: stty restored" stty_same
tmux kill-session -t "$TMUX_S"

tui_start "$TICKETED --url $HANG 900 2>err"
check "the screen shows: Loading ticket 900" tui_wait "Loading ticket 900"
tui_keys Escape
check_eq "Esc during the load: exit 2" 2 "$(tui_exit)"
check "Esc during the load: says it was cancelled" grep -q 'loading ticket 900 cancelled' "$T_TMP/err"
check "Esc during the load: stty restored" stty_same
tmux kill-session -t "$TMUX_S"

tui_start "$TICKETED --url $HANG 900"
check "the screen shows: Loading ticket 900" tui_wait "Loading ticket 900"
pid=$(tui_pid)
[ -n "$pid" ] && kill -TERM "$pid"
check_eq "SIGTERM while loading: exit 2 (the ticket was not loaded)" 2 "$(tui_exit)"
check "SIGTERM while loading: stty restored" stty_same
