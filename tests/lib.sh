# Shared helpers for tests/*/*.t scripts (bash). Source it:
#   . "$TOP/tests/lib.sh"
# Output is TAP-like: `ok N - what` / `not ok N - what`. Every loop is bounded.
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
_cleanups=()
_run_cleanups() { local c; for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done; rm -rf "$T_TMP"; }
trap _run_cleanups EXIT
at_exit() { _cleanups+=("$1"); }

ok()     { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
# check DESC CMD...  — ok if CMD succeeds
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_eq DESC EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"; fi; }
show()   { echo "# show: $*"; }

# start_ticketd [ARGS...] — starts ticketd on a free loopback port; sets
# TD_PORT, TD_URL (base URL up to /api/v1), TD_PID, TD_LOG. Stopped at exit.
start_ticketd() {
  local pf=$T_TMP/port.$$.$RANDOM i
  TD_LOG=$T_TMP/ticketd.$RANDOM.log
  "$TICKETD" --port 0 --port-file "$pf" --log "$TD_LOG" "$@" 2>"$TD_LOG.stderr" &
  TD_PID=$!
  at_exit "kill $TD_PID; wait $TD_PID"
  for i in $(seq 1 200); do [ -s "$pf" ] && break; sleep 0.05; done
  if [ ! -s "$pf" ]; then echo "# ticketd did not start"; cat "$TD_LOG.stderr"; return 1; fi
  TD_PORT=$(cat "$pf")
  TD_URL=http://127.0.0.1:$TD_PORT/api/v1
  export TD_PORT TD_URL TD_PID TD_LOG
}
stop_ticketd() { kill "$TD_PID" 2>/dev/null; wait "$TD_PID" 2>/dev/null; }
