# Helpers for tests/net/*.t that talk to tests/net/stub_server.py.
# start_stub: starts it on a free loopback port; sets STUB (http://127.0.0.1:PORT),
# STUB_PORT and STUB_REC (the file recording every request). Stopped at exit.
start_stub() {
  local pf=$T_TMP/stub.port.$RANDOM
  STUB_REC=$T_TMP/stub.rec
  : >"$STUB_REC"
  /usr/bin/python3 "$TOP/tests/net/stub_server.py" --port-file "$pf" --record "$STUB_REC" 2>"$T_TMP/stub.err" &
  STUB_PID=$!
  at_exit "kill $STUB_PID"
  for _ in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
  [ -s "$pf" ] || { echo "# stub server did not start"; cat "$T_TMP/stub.err"; return 1; }
  STUB_PORT=$(cat "$pf")
  STUB=http://127.0.0.1:$STUB_PORT
}
# get ARGS...: `ticketed get`, stdout in $T_TMP/out, stderr in $T_TMP/err, status via rc.
get() { "$TICKETED" get "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
rc() { cat "$T_TMP/rc"; }
err() { cat "$T_TMP/err"; }
# requests PATTERN: how many recorded requests match "METHOD PATH" PATTERN.
requests() { grep -c "^$1" "$STUB_REC"; }
# clean_bytes FILE: true when FILE holds only printable UTF-8 and newlines
# (no C0 but LF, no DEL, no C1 code point, no invalid UTF-8).
clean_bytes() {
  /usr/bin/python3 - "$1" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    print("# invalid UTF-8 at byte %d" % e.start); sys.exit(1)
m = re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]", t)
if m:
    print("# raw control character U+%04X at %d: %r" % (ord(m.group()), m.start(), t[max(0, m.start() - 20):m.start() + 20]))
    sys.exit(1)
PY
}
