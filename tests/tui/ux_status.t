#!/usr/bin/env bash
# The status line in a real terminal (80x24, then 40x12): while a save is in
# flight the footer's first hint is Esc:cancel; a message too long for one
# line wraps onto a second (the form gives up a row) and is never cut in
# the middle of a word; one too long for two keeps its start and its end
# ("… "); ! lists every message shown since start, whole.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" --latency-ms 1500 || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900" 10
tui_keys Enter C-u
tui_keys -l "Printer on fire"
tui_keys Enter
check "the screen shows: 1 modified" tui_wait " 1 modified"
tui_keys s
check "saving: the footer's first hint is Esc:cancel" tui_wait " Esc:cancel  p:preview  q:quit"
check "saved" tui_wait "Saved" 10
# the service goes away: the save fails with a long message
stop_ticketd
tui_keys Enter End
tui_keys -l " again"
tui_keys Enter s
check "the save fails" tui_wait "Save failed:" 10
screen=$(tui_screen)
status1=$(sed -n 22p <<<"$screen") status2=$(sed -n 23p <<<"$screen")
show "status: $status1 / $status2"
check "the message starts on the row above its usual one (the form shrank)" grep -q "^Save failed: " <<<"$status1"
check "... and its end is on the next row, whole" grep -q "edits kept, s retries)$" <<<"$status2"
check "nothing was left out at 80 columns" bash -c "! grep -q '…' <<<'$status1$status2'"
check "the footer is still the last row" grep -q '?:help$' <<<"$(sed -n 24p <<<"$screen")"
# every word on the status rows is a whole word of the message
full=$(tr -s ' ' <<<"$status1 $status2")
for w in $full; do
  grep -qF -- " $w " <<<" $full " || not_ok "a word cut: $w"
done
tmux resize-window -t "$TMUX_S" -x 40 -y 12
check "at 40 columns: the start stays" tui_wait "Save failed: "
screen=$(tui_screen)
status2=$(sed -n 11p <<<"$screen")
show "40x12 status: $(sed -n 10p <<<"$screen") / $status2"
check "... the end stays, after … (shortened in the middle)" grep -q "^… .*s retries)$" <<<"$status2"
tmux resize-window -t "$TMUX_S" -x 80 -y 24
tui_keys !
check "! lists the messages since start" tui_wait "Messages since start:"
check "... the load" tui_wait "Loaded ticket 900"
check "... the save" tui_wait "Saved"
check "... and the failure, whole" tui_wait "(not sent; edits kept, s retries)"
tui_keys Escape q d
check_eq "discard exits 0" 0 "$(tui_exit 10)"
check "stty restored" stty_same
