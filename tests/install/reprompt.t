#!/usr/bin/env bash
# 401 in interactive use: with Basic auth at a terminal, a 401 on
# the first load asks once more for the password on /dev/tty without echo and
# retries; a second wrong password fails as usual (exit 2); without a
# terminal (replay) there is no prompt. The typed password is not on the
# screen, not in the process list, not in the session's recording (--record)
# nor its HTTP trace (--log). Runs in tmux.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
PW=Sesame-7781
start_ticketd --data "$TOP/tests/data/service" --user u --password "$PW" || exit 1
export TICKETED_PASSWORD=wrong-one
tmux set-environment -g TICKETED_PASSWORD wrong-one   # for the editors in the private tmux server
gets() { grep -c 'GET /api/v1/Ticket/900' "$TD_LOG"; }
# sent FILE — the GETs of ticket 900 in the editor's own --log trace (written
# before it exits, so complete once it has)
sent() { grep -c '^[^ ]* #[0-9]* GET http.*/Ticket/900$' "$1"; }
# td_gets_reach N — until ticketd has logged N GETs in all (it logs a request
# after answering it, so possibly after the editor has exited); 15 s bound
td_gets_reach() { local i; for ((i = 0; i < 300; i++)); do [ "$(gets)" -ge "$1" ] && return 0; nap 0.05; done; return 1; }

# The editor starts once the pane's output is recorded (all of it, in order):
# it waits for the file "go", made after pipe-pane has returned.
tui_start "for i in \$(seq 1 300); do [ -e go ] && break; sleep 0.05; done; $TICKETED --url $TD_URL --user u --record $T_TMP/rec.replay --log $T_TMP/http.log 900"
tmux pipe-pane -o -t "$TMUX_S" "cat >>'$T_TMP/pane.out'"
touch "$T_TMP/go"
check "401 on load: the password is asked for again" tui_wait "Password for u at"
check "the prompt says why" tui_wait "HTTP 401"
tui_keys -l "$PW"
ps -eo args | grep -v "^$TICKETD " >"$T_TMP/ps"   # ticketd itself was given it
check "ticketed is running" grep -q "^$TICKETED --url" "$T_TMP/ps"
check "the password is not in the process list" bash -c "! grep -qF '$PW' '$T_TMP/ps'"
tui_keys Enter
check "the right password loads the form" tui_wait "Loaded ticket 900"
check "the form shows the ticket" tui_wait "Ticket 900:"
# The form came after the typed password on the terminal: once its text is in
# the recording, an echo of the password would be there too.
for _ in $(seq 1 300); do grep -qF "Ticket 900:" "$T_TMP/pane.out" 2>/dev/null && break; nap 0.05; done
check "the terminal output is recorded from the prompt to the form" \
  bash -c "grep -qF 'Password for u at' '$T_TMP/pane.out' && grep -qF 'Ticket 900:' '$T_TMP/pane.out'"
check "the typed password was never echoed to the terminal" bash -c "! grep -qaF '$PW' '$T_TMP/pane.out'"
check_eq "ticketd saw a 401 then a 200" "401 200" \
  "$(grep 'GET /api/v1/Ticket/900' "$TD_LOG" | grep -o ' [0-9][0-9][0-9] ' | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')"
tui_keys q
check_eq "exit 0 after q" 0 "$(tui_exit)"
check "the recording holds the session's keys" grep -qx q "$T_TMP/rec.replay"
check "the HTTP trace holds the 401 and the 200" bash -c "grep -q '= 401' '$T_TMP/http.log' && grep -q '= 200' '$T_TMP/http.log'"
b64=$(printf 'u:%s' "$PW" | base64 -w0)
check "the typed password is in neither the recording nor the trace" \
  bash -c "! grep -qaF -e '$PW' -e '$b64' '$T_TMP/rec.replay' '$T_TMP/http.log'"
check "stty settings restored" stty_same
tmux kill-session -t "$TMUX_S" 2>/dev/null

# A second wrong password: no third prompt, exit 2.
TMUX_S=tkt2$$_$RANDOM
n0=$(gets)
tui_start "$TICKETED --url $TD_URL --user u --log $T_TMP/http2.log 900 2>err"
check "second run: asked again" tui_wait "Password for u at"
tui_keys -l "still-wrong"
tui_keys Enter
check_eq "a wrong answer: exit 2" 2 "$(tui_exit)"
check "... with the server's message" grep -q "cannot load ticket 900" "$T_TMP/err"
check_eq "... after exactly two requests (one re-prompt)" 2 "$(sent "$T_TMP/http2.log")"
check "... both reached ticketd" td_gets_reach $((n0 + 2))
check "stty settings restored after the failure" stty_same
tmux kill-session -t "$TMUX_S" 2>/dev/null

# Not interactive: a replay never prompts.
printf 'q\n' >"$T_TMP/q.replay"
n0=$(gets)
timeout 30 "$TICKETED" --url "$TD_URL" --user u --replay "$T_TMP/q.replay" --log "$T_TMP/http3.log" 900 \
  </dev/null >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "replay with a wrong password: exit 2, no prompt" 2 "$?"
check_eq "... one request" 1 "$(sent "$T_TMP/http3.log")"
check "... which reached ticketd" td_gets_reach $((n0 + 1))

# A 401 on a save, not only on the first load: the password changed while
# the editor was open (ticketd --password-file: the file's password is the
# valid one). The PATCH answered 401 was not applied; the password is asked
# for once more and the same PATCH is sent again: saved once.
stop_ticketd
PWF=$T_TMP/password
echo "First-Pass-1" >"$PWF"
start_ticketd --data "$TOP/tests/data/service" --user u --password-file "$PWF" || exit 1
tmux set-environment -g TICKETED_PASSWORD First-Pass-1
TMUX_S=tkt3$$_$RANDOM
tui_start "TICKETED_PASSWORD=First-Pass-1 $TICKETED --url $TD_URL --user u --log $T_TMP/http4.log 900"
check "the first password loads the ticket" tui_wait "Loaded ticket 900"
echo "Second-Pass-2" >"$PWF"
tui_keys / T i t l e Enter
tui_keys Enter C-u
tui_keys -l "Saved after a new password"
tui_keys Enter s
check "a 401 on the save asks for the password again" tui_wait "Password for u at"
tui_keys -l "Second-Pass-2"
tui_keys Enter
check "then it is saved" tui_wait " 0 modified" 10
check_eq "ticketd answered the PATCH 401, then 200" "401 200" \
  "$(grep 'PATCH /api/v1/Ticket/900' "$TD_LOG" | grep -o ' [0-9][0-9][0-9] ' | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')"
got=$(curl -s -u "u:Second-Pass-2" "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])')
check_eq "the server has the edit" "Saved after a new password" "$got"
tui_keys q
check_eq "exit 0 after q" 0 "$(tui_exit)"
check "the new password is not in the trace" bash -c "! grep -qaF 'Second-Pass-2' '$T_TMP/http4.log'"
tmux kill-session -t "$TMUX_S" 2>/dev/null
