# Shared helpers for tests/*/*.t scripts (bash). Source it:
#   . "$TOP/tests/lib.sh"
# Output is TAP: `ok N - what` / `not ok N - what`, numbered in sequence, and
# the plan `1..N` printed at exit, so tests/run (tests/tap.awk) can tell a
# complete run from one that stopped early. Every loop is bounded.
#
# Skips. `skip DESC REASON` prints `ok N - DESC # SKIP REASON`: tests/run
# counts it as skipped, not passed. Under CI=true a skip is a failure: CI
# installs every dependency (make deps), so nothing a test needs may be
# missing there. A reason that holds in CI too is declared with
# `skip_ci_ok DESC REASON`, which puts the marker [ci-ok] in front of the
# reason (`# SKIP [ci-ok] REASON`); use it only for a cause that no install
# step can remove (valgrind cannot run a sanitizer build; the kernel forbids
# reading another process's memory; the machine has no IPv6 loopback).
set -u
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
: "${TICKETED:=$BUILD/bin/ticketed}"
: "${TICKETD:=$BUILD/bin/ticketd}"
: "${SHARED:=$TOP/../shared}"
export TERM=${TERM:-xterm-256color} LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
_tap_n=0
T_TMP=$(mktemp -d /tmp/ticketed-test.XXXXXX)
# tests/run gives every test fresh XDG directories; a test run by hand gets
# its own too, so no draft or config ever lands in the real home.
if [ -z "${TICKETED_TEST_RUNNER:-}" ]; then
  export XDG_STATE_HOME=$T_TMP/state XDG_CONFIG_HOME=$T_TMP/config
fi
# nap SECONDS — sleep without starting a process: a read that times out on a
# pipe nobody writes to (the polling loops ran `nap 0.05` thousands of
# times per make check, each an exec).
exec {_nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$_nap_fd" _ 2>/dev/null || :; }
_cleanups=()
_tap_plan=1
_main_pid=$BASHPID
_run_cleanups() {
  local c
  # Only the test's own shell: a subshell killed just after its fork (a
  # coprocess at a quick exit, a helper loop) can run the EXIT trap it
  # inherited, which printed a second plan line and would kill the test's
  # servers and remove its files under it.
  [ "$BASHPID" = "$_main_pid" ] || return 0
  _td_report_deaths
  for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done
  rm -rf "$T_TMP"
  [ -n "$_tap_plan" ] && echo "1..$_tap_n"
}
trap _run_cleanups EXIT
at_exit() { _cleanups+=("$1"); }

ok()     { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
# check DESC CMD...  — ok if CMD succeeds
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_eq DESC EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"; fi; }
show()   { echo "# show: $*"; }
# prop_seed VAR — the seed of a property test: $VAR when set (replay a run),
# else one taken from the commit being tested, so that make check on a given
# commit explores the same sequences on every machine (CI and a clean clone
# agree; a failure reproduces) while each commit explores new ones, else 1.
# `make soak` sets PROP_SEED_RANDOM=1 for a new seed on every run.
prop_seed() {
  local v=${!1:-} h
  if [ -n "$v" ]; then echo "$v"; return; fi
  if [ -n "${PROP_SEED_RANDOM:-}" ]; then echo $(( ($(date +%s) + $$ * 7919 + RANDOM) % 1000000 )); return; fi
  h=$(git -C "$TOP" rev-parse HEAD 2>/dev/null) || h=
  if [ -n "$h" ]; then echo $(( 16#${h:0:5} % 1000000 )); else echo 1; fi
}
skip()       { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }
skip_ci_ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP [ci-ok] $2"; }

# tap_from CMD... — runs CMD, which prints TAP results of its own, and
# reports each as a result of this script (renumbered; a SKIP stays a skip).
# Other lines pass through. When CMD prints a plan, a count that differs
# from it is a failure. Returns CMD's exit status.
tap_from() {
  local line fd pid rc got=0 plan=
  exec {fd}< <("$@")
  pid=$!
  while IFS= read -r line <&"$fd"; do
    if [[ $line =~ ^(not\ )?ok([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*(.*)$ ]]; then
      got=$((got + 1))
      if [ -n "${BASH_REMATCH[1]}" ]; then not_ok "${BASH_REMATCH[4]}"; else ok "${BASH_REMATCH[4]}"; fi
    elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
      plan=${BASH_REMATCH[1]}
    else
      printf '%s\n' "$line"
    fi
  done
  exec {fd}<&-
  wait "$pid"; rc=$?
  if [ -n "$plan" ] && [ "$plan" != "$got" ]; then not_ok "$1: planned $plan results, printed $got"; fi
  return "$rc"
}

# parts_of "${1:-}" NAME... — for a script made of independent parts, which
# tests/run runs as separate jobs (in parallel) when the script carries the
# line "# parts: --list-parts". With --list-parts it prints the NAMEs and
# exits (no results, no plan); with a NAME it sets PARTS=(NAME); with
# nothing it sets PARTS to every NAME (the whole test in one process).
parts_of() {
  local arg=$1 p; shift
  case $arg in
    --list-parts) _tap_plan=; printf '%s\n' "$@"; exit 0 ;;
    '') PARTS=("$@") ;;
    *) for p in "$@"; do [ "$p" = "$arg" ] && { PARTS=("$arg"); return 0; }; done
       not_ok "no part named '$arg' (--list-parts lists them)"; exit 1 ;;
  esac
}

# start_ticketd [ARGS...] — starts ticketd on a free loopback port; sets
# TD_PORT, TD_URL (base URL up to /api/v1), TD_PID, TD_LOG. Stopped at exit.
start_ticketd() {
  local pf=$T_TMP/port.$$.$RANDOM i
  TD_LOG=$T_TMP/ticketd.$RANDOM.log
  "$TICKETD" --port 0 --port-file "$pf" --log "$TD_LOG" "$@" 2>"$TD_LOG.stderr" &
  TD_PID=$!
  at_exit "kill $TD_PID; wait $TD_PID"
  for i in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
  if [ ! -s "$pf" ]; then echo "# ticketd did not start"; cat "$TD_LOG.stderr"; return 1; fi
  TD_PORT=$(cat "$pf")
  _td_started+=("$TD_PID:$TD_LOG")
  TD_URL=http://127.0.0.1:$TD_PORT/api/v1
  export TD_PORT TD_URL TD_PID TD_LOG
}
# timed_out_ms FILE — the N of curl's "timed out after N milliseconds" in FILE
# (empty when there is none). Timeouts are checked by order, not by value: a
# timeout of T s fired after at least T*1000 ms and well before the next
# candidate (the default 30 s), however loaded the machine.
timed_out_ms() { sed -n 's/.*timed out after \([0-9]*\) milliseconds.*/\1/p' "$1" | head -1; }
# ms_between N LOW HIGH — LOW <= N < HIGH
ms_between() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -lt "$3" ]; }
# start_proxy UPSTREAM_PORT [HOOK] — tests/replay/capture.py, the recording
# proxy, in front of the server on UPSTREAM_PORT (HOOK: a NAME.between script
# it runs before each request): sets PX_URL (its base URL up to /api/v1),
# PX_PID and CAP (its log of "METHOD PATH BODY" lines, new and empty; its
# stderr in $CAP.err). Stopped at exit.
start_proxy() {
  local pf=$T_TMP/proxy.$RANDOM.port i
  CAP=$T_TMP/capture.$RANDOM.log
  : >"$CAP"
  /usr/bin/python3 "$TOP/tests/replay/capture.py" "$1" "$pf" "$CAP" ${2:+"$2"} >/dev/null 2>"$CAP.err" </dev/null &
  PX_PID=$!
  at_exit "kill $PX_PID"
  for ((i = 0; i < 300; i++)); do [ -s "$pf" ] && break; nap 0.05; done
  PX_URL=http://127.0.0.1:$(cat "$pf")/api/v1
}
# td_log_sync — ticketd writes a request's log line after answering it, so a
# client (and the test after it) can have the answer before the line is in
# $TD_LOG. This sends one more request, tagged td_log_sync, and waits (15 s
# bound) for its line: the requests answered before it have theirs by then
# (their threads had only the line left to write). Count the editor's lines
# with grep -v td_log_sync.
td_log_sync() {
  local tag=td_log_sync$RANDOM$RANDOM i
  curl -s -o /dev/null "$TD_URL/Ticket/0?$tag=1"
  for ((i = 0; i < 300; i++)); do grep -q "$tag" "$TD_LOG" && return 0; nap 0.05; done
  echo "# td_log_sync: no log line for $tag"; return 1
}
stop_ticketd() { _td_stopped+=" $TD_PID"; kill "$TD_PID" 2>/dev/null; wait "$TD_PID" 2>/dev/null; }
# At exit: a ticketd that ended with a failure status before the test
# stopped it is reported with that status (128+N: killed by signal N, by a
# crash or by someone else) and its stderr, so "connection refused"
# failures say why.
_td_started=() _td_stopped=
_td_report_deaths() {
  local e pid log rc
  for e in "${_td_started[@]}"; do
    pid=${e%%:*} log=${e#*:}
    [[ " $_td_stopped " == *" $pid "* ]] && continue
    kill -0 "$pid" 2>/dev/null && continue
    wait "$pid" 2>/dev/null; rc=$?
    # 0: stopped by a TERM (the test's own, e.g. service/common.sh stop_clean)
    case $rc in 0|127) continue ;; esac
    echo "# ticketd (pid $pid) ended before the test stopped it: exit $rc$([ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")"
    sed 's/^/#   ticketd stderr: /' "$log.stderr" 2>/dev/null | tail -20
  done
}
