#!/usr/bin/env bash
# / highlights the match while the text is typed (read back from the real
# terminal with tmux capture-pane -e): the letters of the label that match
# are underlined, the rest of the label is not, each further letter widens
# the highlight, and Esc takes it away.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
cell() { tmux capture-pane -e -p -t "$TMUX_S" | /usr/bin/python3 "$TOP/tests/tui/sgr_cells.py" "$1" "$2"; }
# wait_cell TEXT COL yes|no — until the cell at COL of the row starting with
# TEXT is (or is not) underlined (15 s bound)
wait_cell() {
  local i want=$3 got
  for ((i = 0; i < 300; i++)); do
    got=no; grep -qw underline <<<"$(cell "$1" "$2")" && got=yes
    [ "$got" = "$want" ] && return 0
    nap 0.05
  done
  return 1
}
tui_start "env TERM=xterm-256color TICKETED_THEMES=$TOP/themes $TICKETED --url $TD_URL 900"
check "loaded" tui_wait "Loaded ticket 900" 10
check "the Owner label is plain before a find" wait_cell " Owner" 1 no
tui_keys / O w n
check "typing /Own: the count shows at once" tui_wait "Find field: Own"
check "... O of Owner is underlined" wait_cell " Owner" 1 yes
check "... n of Owner too" wait_cell " Owner" 3 yes
check "... e of Owner is not" wait_cell " Owner" 4 no
tui_keys e
check "one more letter (/Owne): e is underlined now" wait_cell " Owner" 4 yes
check "... r still is not" wait_cell " Owner" 5 no
tui_keys Escape
check "Esc: the highlight is gone" wait_cell " Owner" 1 no
tui_keys q
check_eq "q exits 0" 0 "$(tui_exit)"
check "stty restored" stty_same
