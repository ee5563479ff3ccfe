#!/usr/bin/env bash
# The secret is never in the process list nor in any file the
# editor writes. One headless editor session takes its password from
# password_command and its app token from app_token_command (config file,
# mode 0600), writes an HTTP trace (--log), a screen dump (:dump), makes
# edits, and ends with them unsaved (exit 3, a draft).
# While it waits for keys (replay fed through a FIFO) ps must not show the
# secret; afterwards no file it wrote (log, screen dump, draft directory,
# stdout/stderr) may hold the password, the token or the Basic credential.
. "$TOP/tests/lib.sh"

PW='pw-Zq9xK7-SECRET'
APP='app-Wm4tR2-SECRET'
B64=$(printf 'agent:%s' "$PW" | base64 -w0)
start_ticketd --user agent --password "$PW" || exit 1

# The commands read the secrets from files, so the config holds no secret.
printf '%s\n' "$PW" >"$T_TMP/pw"; printf '%s\n' "$APP" >"$T_TMP/app"
CFG=$T_TMP/config
cat >"$CFG" <<EOF
url = $TD_URL
user = agent
password_command = cat $T_TMP/pw
app_token_command = cat $T_TMP/app
EOF
chmod 600 "$CFG"

STATE=$T_TMP/state
FIFO=$T_TMP/keys.fifo
mkfifo "$FIFO"
XDG_STATE_HOME=$STATE "$TICKETED" --config "$CFG" --headless --size 80x24 \
  --log "$T_TMP/http.log" --replay "$FIFO" 900 \
  >"$T_TMP/out" 2>"$T_TMP/err" &
ED_PID=$!
at_exit "kill $ED_PID 2>/dev/null"
exec 7<>"$FIFO"   # read-write: never blocks, even if the editor died before opening it
printf '%s\n' ':expect screen "Loaded ticket 900"' '/Title<Enter>' '<Enter><C-u>Secret test<Enter>' \
  ':expect modified 1' ":dump $T_TMP/screen.dump" >&7

# Wait until the edit is journaled (the draft exists), i.e. the editor has
# loaded with the credentials and is waiting for the next key.
for _ in $(seq 1 200); do
  ls "$STATE"/ticketed/drafts/*.json >/dev/null 2>&1 && break
  nap 0.05
done
check "the edit is journaled while the editor runs" bash -c "ls '$STATE'/ticketed/drafts/*.json"
check "the editor is running" kill -0 "$ED_PID"
# Every process but ticketd (whose --password is the test's own doing).
ps -eo pid=,args= | awk -v td="$TD_PID" '$1 != td' >"$T_TMP/ps"
check "ps output was captured" grep -q "ticketed --config" "$T_TMP/ps"
check "the password is not in ps" bash -c "! grep -q -e '$PW' -e '$B64' '$T_TMP/ps'"
check "the app token is not in ps" bash -c "! grep -q -e '$APP' '$T_TMP/ps'"
# The raw password is kept no longer than needed: once the client holds its
# (encoded) Authorization header, no copy is left in the editor's memory.
scan=$(/usr/bin/python3 "$TOP/tests/faults/memscan.py" "$ED_PID" "$PW" 2>"$T_TMP/memscan.err"); rc=$?
if [ "$rc" = 0 ]; then
  check_eq "the raw password is nowhere in the running editor's memory" "0 " "$scan"
  check "... while the scan does find the header the client holds" \
    bash -c "/usr/bin/python3 '$TOP/tests/faults/memscan.py' $ED_PID '$B64' | grep -q '^[1-9]'"
elif [ "$rc" = 2 ]; then
  # The kernel's ptrace rules (e.g. Yama ptrace_scope, a container without
  # CAP_SYS_PTRACE) keep this process out of a sibling's memory.
  skip_ci_ok "the raw password is nowhere in the running editor's memory" \
    "the kernel does not let this test read /proc/$ED_PID/mem: $(cat "$T_TMP/memscan.err")"
else
  not_ok "memscan.py reads the editor's memory (exit $rc: $(cat "$T_TMP/memscan.err"))"
fi
# A crash must not leave the secret in a core file: the limit is 0 (soft and hard).
check "no core file can be written while it holds the secret" \
  grep -Eq '^Max core file size +0 +0 ' "/proc/$ED_PID/limits"

exec 7>&-  # the replay ends with the edit unsaved
wait "$ED_PID"; rc=$?
check_eq "replay ending with an unsaved edit: exit 3" 3 "$rc"; [ "$rc" = 3 ] || sed 's/^/# stderr: /' "$T_TMP/err"
td_log_sync
check "the credentials were used (ticketd answered 200)" grep -q 'GET .*/Ticket/900.* 200' "$TD_LOG"
check "--log was written" grep -q '= 200' "$T_TMP/http.log"
check ":dump was written" grep -q 'Secret test' "$T_TMP/screen.dump"
check "the draft was kept" bash -c "ls '$STATE'/ticketed/drafts/*.json"
files=("$T_TMP/http.log" "$T_TMP/screen.dump" "$T_TMP/out" "$T_TMP/err")
while IFS= read -r f; do files+=("$f"); done < <(find "$STATE" -type f)
show "files the editor wrote: ${#files[@]}"
leaks=$(grep -l -a -e "$PW" -e "$B64" -e "$APP" "${files[@]}")
check_eq "no file the editor wrote holds a secret" "" "$leaks"
