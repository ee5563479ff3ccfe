#!/usr/bin/env bash
# Theme roles reach the real terminal (read back with tmux capture-pane -e):
# a modified row's value in the `modified` role, read-only rows dimmed
# (`readonly`), the cursor bar over the row's label in `cursor` (the value
# beside it keeps its own role, also on a modified row), server control
# characters in `control-char`; with the default theme and with --no-color
# (mono).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
cell() { tmux capture-pane -e -p -t "$TMUX_S" | /usr/bin/python3 "$TOP/tests/tui/sgr_cells.py" "$1" "$2"; }
has() { grep -qw -- "$2" <<<"$1"; }   # has "ATTRS" WORD
# wait_cell TEXT COL WORD — until the cell at COL of the row starting with
# TEXT has the attribute WORD (15 s bound)
wait_cell() {
  local i
  for ((i = 0; i < 300; i++)); do has "$(cell "$1" "$2")" "$3" && return 0; nap 0.05; done
  return 1
}
run() {  # THEME-ARGS CURSOR-ATTR: edit Title, move the cursor to Base status
  tui_start "env TERM=xterm-256color TICKETED_THEMES=$TOP/themes $TICKETED --url $TD_URL $1 900"
  check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
  tui_keys / T i t l e Enter Enter C-u
  tui_keys -l "Role check"
  tui_keys Enter Down
  check "the screen shows: *Title                  Role check" tui_wait "*Title                  Role check"
  # the cursor move (Down) has reached the screen: Base status is drawn
  # in the cursor role (checked again below with the others)
  check "the cursor reaches Base status" wait_cell " Base status" 1 "$2"
  mod=$(cell "*Title" 24) ro=$(cell " Ticket   " 24) plain=$(cell " Status " 24) cur=$(cell " Base status" 24)
  star=$(cell "*Title" 0)
  bar=$(cell " Base status" 1)
  tui_keys Up  # onto the modified Title: the bar over its label, its value still `modified`
  for ((i = 0; i < 300; i++)); do [ "$(cell "*Title" 1)" = "$bar" ] && break; nap 0.05; done
  modbar=$(cell "*Title" 1) modcur=$(cell "*Title" 24)
}

run "" fg=0
check "default: modified value bold yellow ($mod)" bash -c "grep -qw bold <<<'$mod' && grep -qw fg=3 <<<'$mod'"
check "default: the * marker in the modified role ($star)" bash -c "grep -qw bold <<<'$star' && grep -qw fg=3 <<<'$star'"
check "default: read-only value dimmed ($ro)" has "$ro" dim
check "default: an unmodified editable value is plain ($plain)" [ "$plain" = plain ]
check "default: the cursor bar's label in the cursor role (black on cyan: $bar)" has "$bar" fg=0
check "default: the value beside the bar in its own role ($cur)" [ "$cur" = plain ]
check "default: the bar reaches a modified row ($modbar)" [ "$modbar" = "$bar" ]
check "default: a modified value beside the bar stays bold yellow ($modcur)" [ "$modcur" = "$mod" ]
tui_keys q d
check_eq "default: discard exits 0" 0 "$(tui_exit)"
tmux kill-session -t "$TMUX_S"

run "--no-color" reverse
check "mono: modified value bold ($mod)" [ "$mod" = bold ]
check "mono: read-only value dim ($ro)" [ "$ro" = dim ]
check "mono: unmodified value plain ($plain)" [ "$plain" = plain ]
check "mono: the cursor bar's label reversed ($bar)" has "$bar" reverse
check "mono: the value beside the bar in its own role ($cur)" [ "$cur" = plain ]
check "mono: a modified value beside the bar stays bold ($modcur)" [ "$modcur" = "$mod" ]
tui_keys q d
check_eq "mono: discard exits 0" 0 "$(tui_exit)"
tmux kill-session -t "$TMUX_S"

# ticket 666: the title's ESC is shown as ^[ in the control-char role
tui_start "env TERM=xterm-256color TICKETED_THEMES=$TOP/themes $TICKETED --url $TD_URL --no-color 666"
check "the screen shows: Loaded ticket 666" tui_wait "Loaded ticket 666"
row=$(tui_screen | grep '^ Title ' | head -1)
col=$(/usr/bin/python3 -c 'import sys; print(sys.argv[1].find("^["))' "$row")
check "hostile title shows ^[ ($row)" [ "$col" -gt 0 ]
cc=$(cell " Title " "$col") before=$(cell " Title " 24)
check "mono: ^[ in the control-char role, underlined ($cc)" has "$cc" underline
check "mono: the text around it is not ($before)" bash -c "! grep -qw underline <<<'$before'"
tui_keys q
check_eq "666: exit 0" 0 "$(tui_exit)"
