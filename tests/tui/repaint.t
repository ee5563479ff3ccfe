#!/usr/bin/env bash
# Bytes written to the terminal per action, counted through a pty by
# tests/tools/ui_ptycount with TERM=xterm-256color (byte counts, not times:
# for a terminal type, a size and a ticket they are always the same). The
# budgets hold at 80x24 and at 200x60, in colour (the default theme) and in
# mono (--no-color), so no action costs more on a wider terminal:
#   cursor one row down or up          <= 120 bytes (the bar covers the labels)
#   the form scrolling by a row        <= 200 bytes (the terminal scrolls it)
#   a character at the find prompt     <= 100 bytes (the form is not redrawn)
#   a character typed in a line editor <= 32 bytes, and past the field width
#     at most one character in each half field width costs more (the view
#     jumps by half the field)
#   Backspace in a line editor         <= 32 bytes
# C-l does repaint (> 1000 bytes), which shows the counter would catch a
# full repaint. Each count ends when the editor has answered the key and
# gone back to waiting for input ("idle": a condition, not a quiet period).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PTY=$BUILD/tools/ui_ptycount
[ -x "$PTY" ] || { not_ok "$PTY missing (make tests)"; exit 1; }
start_ticketd --data "$TOP/tests/data/service" || exit 1

runs=0  # editors run so far against this ticketd
# script COLS ROWS — the counter's script for one size
script() {
  local cols=$1 rows=$2 field long i
  field=$((cols - 25))                      # the value column: COLS - label column (24) - 1
  long=$(seq 1 999 | tr -d '\n' | head -c $((field + 7)))   # no two views of it alike
  printf 'expect Loaded ticket 900\nidle\n'
  # the custom field definitions are read behind the form: counted once they
  # are in (this run's read: one more than the runs before it on this ticketd)
  runs=$((runs + 1))
  printf 'waitfile %s %d GET /api/v1/Ticket/CustomField\n' "$TD_LOG" "$runs"
  printf 'send j\nidle\nsend k\nidle\n'   # warm-up: the first frames after start-up are not a key's cost
  printf 'reset\nsend j\nidle\ncount down\n'
  printf 'reset\nsend k\nidle\ncount up\n'
  # the find prompt: "Deadline" is below the first screen at 80x24, on it at 200x60
  printf 'send /\nidle\n'
  for c in D e a d l i n e; do printf 'reset\nsend %s\nidle\ncount find\n' "$c"; done
  printf 'send \\e\nidle\n'
  # the line editor on the Title (48 characters)
  printf 'send /Title\\r\nidle\nsend \\r\nidle\n'
  printf 'send w\nidle\nreset\nsend x\nidle\ncount type\n'
  printf 'reset\nsend \\x7f\nidle\ncount backspace\n'
  printf 'send %s\nidle\n' "$long"          # past the field width
  for ((i = 0; i < field / 2 + 1; i++)); do printf 'reset\nsend y\nidle\ncount past\n'; done
  printf 'send \\e\nidle\n'
  # the form scrolling by a row: down from the last row on the screen, by a
  # field row (a section heading in mono is reverse video across the whole
  # width, and reverse blanks cannot be erased: at 80x24 the first scroll
  # brings in the Tags heading of ticket 900, so the second is measured)
  printf 'send G\nidle\nsend g\nidle\n'
  printf 'send %s\nidle\n' "$(printf 'j%.0s' $(seq 1 $((rows - 3))))"
  printf 'reset\nsend j\nidle\ncount scroll\n'
  printf 'reset\nsend \\x0c\nidle\ncount ctrl-l\n'
  printf 'send q\n'
}

# run COLS ROWS LABEL ARGS... — counts for one size and theme, then the checks
run() {
  local cols=$1 rows=$2 what=$3 out most over n
  shift 3
  script "$cols" "$rows" >"$T_TMP/script"
  out=$("$PTY" -c "$cols" -r "$rows" "$T_TMP/script" -- \
          env TERM=xterm-256color TICKETED_THEMES="$TOP/themes" "$TICKETED" --url "$TD_URL" "$@" 900)
  fig() { sed -n "s/^$1 //p" <<<"$out"; }
  check "$what: the editor answered every key (no TIMEOUT from the counter)" \
    bash -c '! grep -q TIMEOUT <<<"$0"' "$out"
  most=$(fig find | sort -n | tail -1)
  n=$(fig past | wc -l) over=$(fig past | awk '$1 > 32' | wc -l)
  show "$what: down $(fig down), up $(fig up), find (most) $most, type $(fig type)," \
       "backspace $(fig backspace), past the width (most) $(fig past | sort -n | tail -1)," \
       "scroll $(fig scroll), C-l $(fig ctrl-l) bytes"
  check "$what: cursor one row down: $(fig down) <= 120 bytes" [ "$(fig down)" -le 120 ]
  check "$what: cursor one row up: $(fig up) <= 120 bytes" [ "$(fig up)" -le 120 ]
  check "$what: each character at the find prompt <= 100 bytes (most: $most)" [ "${most:-999}" -le 100 ]
  check "$what: one character typed: $(fig type) <= 32 bytes" [ "$(fig type)" -le 32 ]
  check "$what: Backspace in the line editor: $(fig backspace) <= 32 bytes" [ "$(fig backspace)" -le 32 ]
  check "$what: past the field width, $over of $n characters cost more than 32 bytes (at most 1)" \
    [ "$n" -gt 0 -a "$over" -le 1 ]
  check "$what: the form scrolling by a row: $(fig scroll) <= 200 bytes" [ "$(fig scroll)" -le 200 ]
  check "$what: C-l repaints the whole screen: $(fig ctrl-l) > 1000 bytes" [ "$(fig ctrl-l)" -gt 1000 ]
}

run 80 24 "80x24 default theme" --theme default
run 80 24 "80x24 mono" --no-color
run 200 60 "200x60 default theme" --theme default
run 200 60 "200x60 mono" --no-color
