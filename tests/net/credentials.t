#!/usr/bin/env bash
# Credentials from the environment: TICKETED_PASSWORD (and TICKETED_TOKEN)
# are copied, wiped where they were and removed from the environment, so a
# running editor holds no raw password (only the encoded header the client
# needs), /proc/PID/environ does not show it and helpers do not inherit it.
# A credential with a control character (CR/LF would add header lines) is
# refused before anything is sent.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/net/stubs.sh"

PW='Pw-Env-Qx7-SECRET'
start_ticketd --user agent --password "$PW" || exit 1
FIFO=$T_TMP/keys.fifo
mkfifo "$FIFO"
TICKETED_PASSWORD=$PW TICKETED_USER=agent "$TICKETED" --url "$TD_URL" --headless --replay "$FIFO" 900 \
  >"$T_TMP/out" 2>"$T_TMP/err" &
ED_PID=$!
at_exit "kill $ED_PID 2>/dev/null"
exec 7<>"$FIFO"
printf '%s\n' ':expect screen "Loaded ticket 900"' >&7
for _ in $(seq 1 200); do grep -q 'GET /api/v1/Ticket/900.* 200 ' "$TD_LOG" 2>/dev/null && break; nap 0.05; done
check "the editor loaded with the password from TICKETED_PASSWORD" grep -q 'GET /api/v1/Ticket/900.* 200 ' "$TD_LOG"
check "the editor is running" kill -0 "$ED_PID"
check "the password is not in /proc/PID/environ" bash -c "! tr '\0' '\n' </proc/$ED_PID/environ | grep -q -e '$PW'"
if [ -n "${TICKETED_SANITIZED:-}" ]; then
  # ASan's runtime reads /proc/self/environ into a buffer of its own at start-up.
  ok "# SKIP the sanitizer runtime keeps its own copy of the environment"
elif scan=$(/usr/bin/python3 "$TOP/tests/faults/memscan.py" "$ED_PID" "$PW"); then
  check_eq "the raw password is nowhere in the running editor's memory (stack and environment included)" "0 " "$scan"
else
  ok "# SKIP cannot read /proc/$ED_PID/mem"
fi
exec 7>&-
wait "$ED_PID"
check_eq "the replay ends normally (exit 0)" 0 "$?"

# A helper started by the editor does not inherit the password.
printf '#!/bin/sh\nenv >"%s"\necho tok\n' "$T_TMP/env.out" >"$T_TMP/dump-env.sh"
chmod 700 "$T_TMP/dump-env.sh"
printf 'url = %s\napp_token_command = %s\n' "$TD_URL" "$T_TMP/dump-env.sh" >"$T_TMP/cfg"
chmod 600 "$T_TMP/cfg"
TICKETED_PASSWORD=$PW "$TICKETED" get --config "$T_TMP/cfg" --user agent 900 >/dev/null 2>"$T_TMP/err"
check_eq "get with TICKETED_PASSWORD and an app_token_command: exit 0" 0 "$?"
check "the helper's environment has no TICKETED_PASSWORD" bash -c "! grep -q -e TICKETED_PASSWORD -e '$PW' '$T_TMP/env.out'"

# Control characters in credentials.
start_stub || exit 1
: >"$STUB_REC"
TICKETED_TOKEN=$'tok\r\nX-Injected: 1' get --url "$STUB/echo/api/v1" 8
check_eq "CR/LF in TICKETED_TOKEN: exit 1" 1 "$(rc)"
check_eq "... a clear error, the value not shown" "ticketed get: TICKETED_TOKEN holds a control character (0x0D at byte 4): refused" "$(err)"
check_eq "... nothing was sent" 0 "$(grep -c '^GET ' "$STUB_REC")"
TICKETED_APP_TOKEN=$'app\nX-Injected: 1' get --url "$STUB/echo/api/v1" 8
check_eq "LF in TICKETED_APP_TOKEN: exit 1" 1 "$(rc)"
check_eq "... named" "ticketed get: TICKETED_APP_TOKEN holds a control character (0x0A at byte 4): refused" "$(err)"
TICKETED_PASSWORD=$'pw\x1b[2J' get --url "$STUB/echo/api/v1" --user bob 8
check_eq "ESC in TICKETED_PASSWORD: exit 1" 1 "$(rc)"
printf '#!/bin/sh\nprintf "tok\\033]0;x\\007\\n"\n' >"$T_TMP/esc.sh"; chmod 700 "$T_TMP/esc.sh"
printf 'url = %s/echo/api/v1\ntoken_command = %s\n' "$STUB" "$T_TMP/esc.sh" >"$T_TMP/cfg"
get --config "$T_TMP/cfg" 8
check_eq "control characters in token_command's output: refused" "ticketed get: the output of token_command holds a control character (0x1B at byte 4): refused" "$(err)"
check_eq "no request carried an injected header" 0 "$(grep -ci '^X-Injected' "$STUB_REC")"
