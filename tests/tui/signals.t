#!/usr/bin/env bash
# SIGTERM / SIGHUP / SIGINT: the terminal is restored; exit 3 with unsaved edits.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
for sig in TERM HUP INT; do
  tui_start "$TICKETED --url $TD_URL 900"
  check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
  tui_keys / T i t l e Enter Enter
  tui_keys -l "!"
  tui_keys Enter
  check "the screen shows: 1 modified" tui_wait " 1 modified"
  pid=$(tui_pid)
  if [ -n "$pid" ]; then kill -"$sig" "$pid"; fi
  check_eq "SIG$sig with an edit: exit 3" 3 "$(tui_exit)"
  check "SIG$sig: stty restored" stty_same
  tmux kill-session -t "$TMUX_S"
  "$TICKETED" drafts --discard 900 >/dev/null 2>&1
done
tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
kill -TERM "$(tui_pid)"
check_eq "SIGTERM without edits: exit 0" 0 "$(tui_exit)"
check "stty restored" stty_same
