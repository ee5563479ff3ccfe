#!/usr/bin/env bash
# Themes are found next to the binary, also run from outside the source
# tree: the build tree's binary finds the source tree's themes (as ticketd
# finds its sample data), --theme default works from anywhere; when the
# screen falls back to mono the status line says why, once.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
colours() { tmux capture-pane -e -p -t "$TMUX_S" | grep -c $'\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*38;5;'; }
mkdir -p "$T_TMP/elsewhere"
# 1. from a directory outside the source tree, no theme named: the default, in colour
tui_start "(cd $T_TMP/elsewhere && XDG_CONFIG_HOME=$T_TMP/none TERM=xterm-256color $TICKETED --url $TD_URL 900)"
check "outside the source tree: loaded" tui_wait "Loaded ticket 900" 10
check "... in colour" [ "$(colours)" -gt 0 ]
check "... and nothing to say about it" bash -c "! tmux capture-pane -p -t $TMUX_S | grep -q 'no colours'"
tui_keys q
check_eq "... q exits 0" 0 "$(tui_exit)"
tmux kill-session -t "$TMUX_S"
# 2. --theme default from there
tui_start "(cd $T_TMP/elsewhere && XDG_CONFIG_HOME=$T_TMP/none TERM=xterm-256color $TICKETED --theme default --url $TD_URL 900)"
check "--theme default works from outside the source tree" tui_wait "Loaded ticket 900" 10
check "... in colour" [ "$(colours)" -gt 0 ]
tui_keys q
tui_exit >/dev/null
tmux kill-session -t "$TMUX_S"
# 3. a 256-colour theme on an 8-colour terminal: mono, and the status says why
tui_start "(cd $T_TMP/elsewhere && XDG_CONFIG_HOME=$T_TMP/none TERM=xterm $TICKETED --theme dark --url $TD_URL 900)"
check "dark on an 8-colour terminal: the status says why it is mono" \
  tui_wait "no colours: theme dark needs 256 colours, this terminal" 10
check "... naming the terminal" tui_wait "(TERM=xterm) has 8; shown in mono"
check "... in mono" [ "$(colours)" = 0 ]
tui_keys q
tui_exit >/dev/null
tmux kill-session -t "$TMUX_S"
# 4. a binary with no themes near it (and none installed): mono, and why
mkdir -p "$T_TMP/bin"
cp "$TICKETED" "$T_TMP/bin/ticketed"
if [ -d /usr/local/share/ticketed/themes ] || [ -d "$(dirname "$TICKETED")/../share/ticketed/themes" ]; then
  ok "# SKIP themes are installed on this machine: a binary without themes cannot be staged"
else
  tui_start "(cd $T_TMP/elsewhere && XDG_CONFIG_HOME=$T_TMP/none TERM=xterm-256color $T_TMP/bin/ticketed --url $TD_URL 900)"
  check "no theme anywhere: the status says so" tui_wait "no colours: the default theme was not found" 10
  check "... in mono" [ "$(colours)" = 0 ]
  tui_keys q
  check_eq "... still works: q exits 0" 0 "$(tui_exit)"
fi
