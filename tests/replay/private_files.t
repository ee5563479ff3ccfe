#!/usr/bin/env bash
# The files the editor writes besides drafts hold typed values and the
# screen: --record and :dump create them 0600 whatever the umask, make an
# existing file the user's alone, never follow a symlink planted at the
# name (its target is left untouched), and a write that fails (/dev/full)
# is an error with its reason, never a success.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || { not_ok "private files: ticketd"; exit 0; }
umask 022
cd "$T_TMP" || exit 1
run() {  # REPLAY_TEXT [OPTIONS...] -> exit status in $rc, stderr in err
  local text=$1; shift
  printf '%b' "$text" >"$T_TMP/r.replay"
  "$TICKETED" --url "$TD_URL" --headless --replay "$T_TMP/r.replay" "$@" 900 >/dev/null 2>"$T_TMP/err"
  rc=$?
}
echo precious >"$T_TMP/victim"
echo precious >"$T_TMP/victim.was"

# --- :dump
run ':dump dump.txt\nq\n'
check_eq ":dump: exit 0" 0 "$rc"
check_eq ":dump: a new file is 0600 under umask 022" 600 "$(stat -c %a dump.txt)"
check ":dump: it holds the screen" grep -q "Ticket 900:" dump.txt
printf 'old\n' >old.txt && chmod 644 old.txt
run ':dump old.txt\nq\n'
check_eq ":dump over an existing 0644 file: exit 0" 0 "$rc"
check_eq "... the file is now 0600" 600 "$(stat -c %a old.txt)"
ln -s "$T_TMP/victim" link.txt
run ':dump link.txt\nq\n'
check_eq ":dump to a planted symlink: the replay fails (exit 4)" 4 "$rc"
check "... saying why" grep -q "could not: link.txt: Too many levels of symbolic links" "$T_TMP/err"
check "... the symlink's target is untouched" cmp -s "$T_TMP/victim" "$T_TMP/victim.was"
run ':dump /dev/full\nq\n'
check_eq ":dump /dev/full: the replay fails (exit 4)" 4 "$rc"
check "... with the reason" grep -q "could not: /dev/full: No space left on device" "$T_TMP/err"

# --- --record
run 'q\n' --record rec.replay
check_eq "--record: exit 0" 0 "$rc"
check_eq "--record: a new file is 0600 under umask 022" 600 "$(stat -c %a rec.replay)"
printf 'old\n' >rec-old.replay && chmod 644 rec-old.replay
run 'q\n' --record rec-old.replay
check_eq "--record over an existing 0644 file: 0600" 600 "$(stat -c %a rec-old.replay)"
ln -s "$T_TMP/victim" rec-link.replay
run 'q\n' --record rec-link.replay
check_eq "--record to a planted symlink: refused (exit 1)" 1 "$rc"
check "... saying why" grep -q "rec-link.replay: Too many levels of symbolic links" "$T_TMP/err"
check "... the symlink's target is untouched" cmp -s "$T_TMP/victim" "$T_TMP/victim.was"
