# Helpers for tests/tui/*.t: run ticketed in a real terminal (tmux) and read
# the screen back. Source after tests/lib.sh. Every wait is for a condition
# (text on the screen, a file), bounded: the bound only decides when to give
# up, so it is generous (a loaded machine may be slow; a passing run never
# waits for it).
# tmux is a dependency (make deps installs it): without it the test fails.
if ! command -v tmux >/dev/null; then not_ok "tmux is installed (make deps)"; exit 1; fi
TMUX_S=tkt$$_$RANDOM
export TMUX_TMPDIR=$T_TMP  # a private tmux server, never the user's
# One server for the whole test, kept while it has no session: a test that
# kills its session and starts the next one raced the server's own exit
# ("server exited unexpectedly", and the next session never started).
tmux start-server \; set-option -g exit-empty off
at_exit "tmux kill-server"
# tui_start CMD — a detached 80x24 session running CMD under sh, which saves
# `stty -g` before and after and the exit status in $T_TMP/rc.
tui_start() {
  rm -f "$T_TMP/rc" "$T_TMP/before" "$T_TMP/after"
  tmux new-session -d -s "$TMUX_S" -x 80 -y 24 \
    "cd $T_TMP && stty -g > before; $1; echo \$? > rc.tmp; stty -g > after; mv rc.tmp rc; sleep 30"
  at_exit "tmux kill-session -t $TMUX_S"
}
tui_screen() { tmux capture-pane -p -t "$TMUX_S"; }
tui_keys() { tmux send-keys -t "$TMUX_S" "$@"; }
# tui_wait TEXT [SECONDS] — until TEXT is on the screen (gives up after 15 s).
tui_wait() {
  local i n=$(( ${2:-15} * 20 ))
  for ((i = 0; i < n; i++)); do [[ $(tui_screen) == *"$1"* ]] && return 0; nap 0.05; done
  echo "# waited for: $1"; tui_screen | sed 's/^/#   | /'; return 1
}
# tui_gone TEXT [SECONDS] — until TEXT is no longer on the screen (15 s).
tui_gone() {
  local i n=$(( ${2:-15} * 20 ))
  for ((i = 0; i < n; i++)); do [[ $(tui_screen) == *"$1"* ]] || return 0; nap 0.05; done
  echo "# waited for this to go: $1"; tui_screen | sed 's/^/#   | /'; return 1
}
# tui_exit [SECONDS] — wait for the program to end; prints its exit status
# (gives up after 15 s).
tui_exit() {
  local i n=$(( ${1:-15} * 20 ))
  for ((i = 0; i < n; i++)); do [ -f "$T_TMP/rc" ] && { cat "$T_TMP/rc"; return 0; }; nap 0.05; done
  echo timeout
}
# start_gate METHOD.N... — a recording proxy (start_proxy) in front of ticketd
# that holds the Nth request of a METHOD while $T_TMP/hold.METHOD.N exists
# (touched here for each argument; rm lets it go), touching
# $T_TMP/held.METHOD.N once it holds it: a request "in flight" is a state the
# test controls. Sets GATE (its base URL) and CAP (its log).
start_gate() {
  local g
  cat >"$T_TMP/gate.between" <<EOF
h=$T_TMP/hold.\$1.\$3
[ -e "\$h" ] || exit 0
touch "$T_TMP/held.\$1.\$3"
for _ in \$(seq 1 300); do [ -e "\$h" ] || exit 0; sleep 0.05; done
EOF
  for g in "$@"; do touch "$T_TMP/hold.$g"; done
  start_proxy "$TD_PORT" "$T_TMP/gate.between"
  GATE=$PX_URL
}
# wait_file FILE — until FILE exists (15 s bound)
wait_file() { local i; for ((i = 0; i < 300; i++)); do [ -e "$1" ] && return 0; nap 0.05; done; return 1; }
# The pid of ticketed (the child of the pane's shell).
tui_pid() { pgrep -P "$(tmux display -p -t "$TMUX_S" '#{pane_pid}')" -x ticketed | head -1; }
stty_same() { [ -s "$T_TMP/before" ] && cmp -s "$T_TMP/before" "$T_TMP/after"; }
