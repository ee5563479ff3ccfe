#!/usr/bin/env bash
# The config file and credential commands, observed through
# `ticketed get` against tests/net/stub_server.py, which records the headers
# it receives: precedence option > env > config > default, every config
# error as FILE:LINE, the permission refusal, each *_command (success,
# failure, empty output, no shell), and no secret in `ps`.
. "$(dirname "$0")/../lib.sh"

pf=$T_TMP/stub.port
REC=$T_TMP/stub.rec
/usr/bin/python3 "$TOP/tests/net/stub_server.py" --port-file "$pf" --record "$REC" 2>"$T_TMP/stub.err" &
at_exit "kill $!"
for _ in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
STUB=http://127.0.0.1:$(cat "$pf")

export XDG_CONFIG_HOME=$T_TMP/xdg HOME=$T_TMP/home
unset TICKETED_CONFIG
mkdir -p "$XDG_CONFIG_HOME/ticketed" "$HOME/.config/ticketed"
CFG=$T_TMP/cfg
get() { "$TICKETED" get "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
rc() { cat "$T_TMP/rc"; }
err() { cat "$T_TMP/err"; }
hdr() { grep -i "^$1: " "$REC" | tail -1 | tr -d '\r'; }
cfg() { printf '%s\n' "$@" >"$CFG"; chmod 600 "$CFG"; }

# --- where the file is found, and precedence ------------------------------
printf 'url = %s/ok/api/v1\n' "$STUB" >"$XDG_CONFIG_HOME/ticketed/config"
get 5
check_eq "\$XDG_CONFIG_HOME/ticketed/config supplies the URL" 0 "$(rc)"
rm "$XDG_CONFIG_HOME/ticketed/config"
printf 'url = %s/ok/api/v1\n' "$STUB" >"$HOME/.config/ticketed/config"
XDG_CONFIG_HOME= get 5
check_eq "~/.config/ticketed/config when XDG_CONFIG_HOME is unset" 0 "$(rc)"
rm "$HOME/.config/ticketed/config"
get 5
check_eq "no config file at all: the usual 'no service URL' (exit 1)" "ticketed get: no service URL: use --url or TICKETED_URL" "$(err)"

cfg "# a comment" "" "url = http://127.0.0.1:9/api/v1" "   # indented comment"
TICKETED_CONFIG=$CFG TICKETED_URL=$STUB/ok/api/v1 get 5
check_eq "environment beats config" 0 "$(rc)"
TICKETED_CONFIG=$CFG get --url "$STUB/ok/api/v1" 5
check_eq "option beats config" 0 "$(rc)"
TICKETED_CONFIG=$CFG get 5
check_eq "config used otherwise (its URL refuses: exit 2)" 2 "$(rc)"
printf 'url = %s/ok/api/v1\n' "$STUB" >"$T_TMP/other"
TICKETED_CONFIG=$CFG get --config "$T_TMP/other" 5
check_eq "--config beats TICKETED_CONFIG" 0 "$(rc)"

cfg "url = $STUB/echo/api/v1" "language = nb" "so_language = no" "culture = nb-NO" "timezone = UTC" \
    "conflict = strict" "theme = mono" "server_timezone = Europe/Oslo"
get --config "$CFG" 8
check_eq "config with every header key loads" 0 "$(rc)"
check_eq "language → Accept-Language" "Accept-Language: nb" "$(hdr Accept-Language)"
check_eq "so_language → SO-Language" "SO-Language: no" "$(hdr SO-Language)"
check_eq "culture → SO-Culture" "SO-Culture: nb-NO" "$(hdr SO-Culture)"
check_eq "timezone → SO-TimeZone" "SO-TimeZone: UTC" "$(hdr SO-TimeZone)"
get --config "$CFG" --lang en --culture en-GB 8
check_eq "--lang beats language" "Accept-Language: en" "$(hdr Accept-Language)"
check_eq "--culture beats culture" "SO-Culture: en-GB" "$(hdr SO-Culture)"

cfg "url = $STUB/hang/api/v1" "timeout = 1"
get --config "$CFG" 5
n=$(timed_out_ms "$T_TMP/err")
check "config timeout = 1 applies (timed out after $n ms: at least 1 s, not the default 30 s)" ms_between "$n" 1000 30000
get --config "$CFG" --timeout 2 5
n=$(timed_out_ms "$T_TMP/err")
check "--timeout beats timeout (timed out after $n ms: at least 2 s, not the config's 1 s)" ms_between "$n" 2000 30000

# --- every config error: FILE:LINE: message, exit 1 -------------------------
bad() {  # DESC EXPECTED-STDERR LINES...
  local d=$1 want=$2; shift 2
  cfg "$@"
  get --config "$CFG" --url "$STUB/ok/api/v1" 5
  if [ "$(rc)" = 1 ] && [ "$(err)" = "ticketed get: $want" ]; then ok "$d"
  else not_ok "$d"; echo "#   want: ticketed get: $want"; echo "#   got ($(rc)): $(err)"; fi
}
bad "unknown key" "$CFG:2: unknown key \"colour\"" "url = x" "colour = red"
bad "a line without =" "$CFG:1: expected \"key = value\", not \"url http://x\"" "url http://x"
bad "empty value" "$CFG:1: empty value for \"user\"" "user ="
bad "duplicate key" "$CFG:3: duplicate key \"theme\"" "theme = a" "# x" "theme = b"
bad "bad auth" "$CFG:1: auth: expected basic, bearer or soticket, not \"ntlm\"" "auth = ntlm"
bad "bad conflict" "$CFG:1: conflict: expected fields, strict or none, not \"some\"" "conflict = some"
bad "bad timeout" "$CFG:1: timeout: expected whole seconds 1..86400, not \"0\"" "timeout = 0"
bad "bad timeout (text)" "$CFG:1: timeout: expected whole seconds 1..86400, not \"ten\"" "timeout = ten"
bad "a password in the file" "$CFG:1: unknown key \"password\": secrets are not stored in the config; use password_command, token_command or app_token_command" "password = hunter2"
bad "empty key" "$CFG:1: unknown key \"\"" "= x"
get --config "$T_TMP/missing" 5
check_eq "missing --config file: exit 1" 1 "$(rc)"
check_eq "missing --config file: message" "ticketed get: $T_TMP/missing: cannot read the config file: No such file or directory" "$(err)"
get --config "$T_TMP" 5
check_eq "a directory as config: message" "ticketed get: $T_TMP: the config is not a regular file" "$(err)"
head -c 5000 /dev/zero | tr '\0' a >"$CFG"
get --config "$CFG" 5
check_eq "an overlong line" "ticketed get: $CFG:1: line longer than 4096 bytes" "$(err)"
printf 'url = a\0b\n' >"$CFG"
get --config "$CFG" 5
check_eq "a NUL byte" "ticketed get: $CFG:1: NUL byte in the line" "$(err)"

# --- permissions: a file with a command must be private ---------------------
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = echo pw-from-cmd"
chmod 644 "$CFG"
get --config "$CFG" 8
check_eq "world-readable file with a command: exit 1" 1 "$(rc)"
check_eq "... refused like ssh" "ticketed get: $CFG: holds a *_command but is accessible to others (mode 0644); run: chmod 600 $CFG" "$(err)"
chmod 640 "$CFG"
get --config "$CFG" 8
check_eq "group-readable file with a command: refused" 1 "$(rc)"
chmod 620 "$CFG"
get --config "$CFG" 8
check_eq "group-writable file with a command: refused" 1 "$(rc)"
chmod 600 "$CFG"
: >"$REC"
get --config "$CFG" 8
check_eq "private file with a command: accepted" 0 "$(rc)"
check_eq "password_command's output is the Basic password" "Authorization: Basic $(printf 'bob:pw-from-cmd' | base64)" "$(hdr Authorization)"
cfg "url = $STUB/ok/api/v1" "theme = x"
chmod 644 "$CFG"
get --config "$CFG" 8
check_eq "a world-readable file without commands is fine" 0 "$(rc)"

# --- a file others can write is refused whatever it holds (ssh does too) --------
cfg "url = $STUB/echo/api/v1" "user = bob"
chmod 666 "$CFG"
: >"$REC"
TICKETED_PASSWORD=pw get --config "$CFG" 8
check_eq "world-writable file with only url/user: exit 1" 1 "$(rc)"
check_eq "... refused, naming the file and the chmod" "ticketed get: $CFG: writable by group or others (mode 0666): whoever can change it decides where your credentials go; run: chmod go-w $CFG" "$(err)"
check_eq "... and nothing was sent" 0 "$(grep -c '^GET ' "$REC")"
chmod 620 "$CFG"
TICKETED_PASSWORD=pw get --config "$CFG" 8
check_eq "group-writable file without commands: refused" 1 "$(rc)"
cfg "url = $STUB/echo/api/v1" "no such key = x"
chmod 602 "$CFG"
get --config "$CFG" 8
check "writable by others is refused before the file is read" grep -q "writable by group or others (mode 0602)" "$T_TMP/err"

# --- credential commands ------------------------------------------------------
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = echo pw-from-cmd"
: >"$REC"
TICKETED_PASSWORD=pw-from-env get --config "$CFG" 8
check_eq "TICKETED_PASSWORD beats password_command" "Authorization: Basic $(printf 'bob:pw-from-env' | base64)" "$(hdr Authorization)"
cfg "url = $STUB/echo/api/v1" "token_command = printf '%s|%s\\n' \"a b\" 'c d' second-line-ignored"
: >"$REC"
get --config "$CFG" 8
check_eq "token_command with quoting → Bearer (first line only)" "Authorization: Bearer a b|c d" "$(hdr Authorization)"
cfg "url = $STUB/echo/api/v1" "token_command = echo \$HOME; rm -rf x | cat" "auth = soticket"
: >"$REC"
get --config "$CFG" 8
check_eq "no shell: \$HOME ; | are plain words" "Authorization: SOTicket \$HOME; rm -rf x | cat" "$(hdr Authorization)"
cfg "url = $STUB/echo/api/v1" "app_token_command = echo app-from-cmd"
: >"$REC"
get --config "$CFG" 8
check_eq "app_token_command → SO-AppToken" "SO-AppToken: app-from-cmd" "$(hdr SO-AppToken)"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = false"
get --config "$CFG" 8
check_eq "failing password_command: exit 1" 1 "$(rc)"
check_eq "failing password_command: message" 'ticketed get: password_command: "false" failed (exit status 1)' "$(err)"
cfg "url = $STUB/echo/api/v1" "token_command = true"
get --config "$CFG" 8
check_eq "token_command printing nothing" 'ticketed get: token_command: "true" printed nothing' "$(err)"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = /nonexistent/pw-helper --get"
get --config "$CFG" 8
check_eq "password_command that does not exist" 'ticketed get: password_command: cannot run "/nonexistent/pw-helper": No such file or directory' "$(err)"
cfg "url = $STUB/echo/api/v1" "app_token_command = echo 'unterminated"
get --config "$CFG" 8
check_eq "unterminated quote in a command" "ticketed get: app_token_command: unterminated ' quote" "$(err)"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = sh -c 'echo oops >&2; exit 3'"
get --config "$CFG" 8
check_eq "the command's exit status is reported" 'ticketed get: password_command: "sh" failed (exit status 3)' "$(tail -1 "$T_TMP/err")"
check "the command's stderr reaches the user" grep -q '^oops$' "$T_TMP/err"

# --- the time limit of a credential command is enforced ---------------------------
# (TICKETED_TEST_COMMAND_TIMEOUT_MS shortens the 60 s limit for tests; every
# run is bounded by `timeout 20`, far above the 1 s limit and far below the
# helpers' own 30 s.)
export TICKETED_TEST_COMMAND_TIMEOUT_MS=1000
# gone PIDFILE: the process is no more (a killed one may linger as a zombie
# until init reaps it).
gone() { local st; st=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null); [ -z "$st" ] || [ "${st#Z}" != "$st" ]; }
tget() { timeout 20 "$TICKETED" get "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 30\n' "$T_TMP/hang.pid" >"$T_TMP/hang.sh"
chmod 700 "$T_TMP/hang.sh"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = $T_TMP/hang.sh"
tget --config "$CFG" 8
check_eq "a helper that never answers: exit 1 at the limit (not killed by timeout 20)" 1 "$(rc)"
check_eq "... says so" "ticketed get: password_command: \"$T_TMP/hang.sh\" did not finish within 1 s" "$(err)"
check "... and the helper was killed" gone "$T_TMP/hang.pid"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = sh -c 'printf partial; exec sleep 30'"
tget --config "$CFG" 8
check_eq "half a line, then nothing: exit 1 at the limit" 1 "$(rc)"
printf '#!/bin/sh\nsleep 30 &\necho $! >"%s"\necho Pw-From-Bg\n' "$T_TMP/bg.pid" >"$T_TMP/bg.sh"
chmod 700 "$T_TMP/bg.sh"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = $T_TMP/bg.sh"
: >"$REC"
tget --config "$CFG" 8
check_eq "a helper that leaves a child holding the pipe: its line is used (exit 0)" 0 "$(rc)"
check_eq "... the password" "Authorization: Basic $(printf 'bob:Pw-From-Bg' | base64)" "$(hdr Authorization)"
check "... and the child it left was killed" gone "$T_TMP/bg.pid"
cfg "url = $STUB/echo/api/v1" "token_command = sh -c 'exec 1>&-; sleep 30'"
tget --config "$CFG" 8
check_eq "a helper that closes its output and keeps running: exit 1 at the limit" 1 "$(rc)"
# A helper may ask on the terminal: it gets the terminal (its own process
# group is made the foreground one while it runs).
: >"$REC"
cfg "url = $STUB/echo/api/v1" "user = bob" "password_command = sh -c 'printf \"Helper asks: \" >/dev/tty; read -r p </dev/tty; echo \"\$p\"'"
timeout 20 /usr/bin/python3 "$TOP/tests/net/pty_prompt.py" "Helper asks: " "Typed-In-Helper" \
  "$TICKETED" get --config "$CFG" 8 >"$T_TMP/pty.out" 2>&1
check_eq "a helper that prompts on the terminal still works: exit 0" 0 "$?"
check_eq "... with what was typed" "Authorization: Basic $(printf 'bob:Typed-In-Helper' | base64)" "$(hdr Authorization)"
unset TICKETED_TEST_COMMAND_TIMEOUT_MS

# --- no secret in ps ----------------------------------------------------------
printf '#!/bin/sh\necho Pw-%s-Secret\n' Cmd >"$T_TMP/pw.sh"
chmod 700 "$T_TMP/pw.sh"
cfg "url = $STUB/hang/api/v1" "user = bob" "password_command = $T_TMP/pw.sh"
: >"$REC"
# (the hanging server holds both until they are killed below; the timeout only bounds them)
"$TICKETED" get --config "$CFG" --timeout 60 8 >/dev/null 2>&1 &
gpid=$!
TICKETED_TOKEN=Tok-Env-Secret "$TICKETED" get --url "$STUB/hang/api/v1" --timeout 60 9 >/dev/null 2>&1 &
tpid=$!
for _ in $(seq 1 300); do [ "$(grep -c '^GET ' "$REC")" -ge 2 ] && break; nap 0.05; done
check_eq "both requests are in flight" 2 "$(grep -c '^GET ' "$REC")"
check "the password from the command was sent" grep -q "^Authorization: Basic $(printf 'bob:Pw-Cmd-Secret' | base64)" "$REC"
ps -eo args >"$T_TMP/ps"
check "ps shows the requests running" grep -q 'ticketed get --config' "$T_TMP/ps"
check "no password in ps" bash -c "! grep -q 'Pw-Cmd-Secret' '$T_TMP/ps'"
check "no token in ps" bash -c "! grep -q 'Tok-Env-Secret' '$T_TMP/ps'"
kill "$gpid" "$tpid" 2>/dev/null
wait "$gpid" "$tpid" 2>/dev/null || true
