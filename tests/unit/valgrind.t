#!/usr/bin/env bash
# parts: --list-parts
# Every cmocka test, and the editor on a few replays against ticketd, under
# valgrind: no invalid access, no uninitialised use, no definite leak.
# The cmocka tests, test_app_scale and each replay are parts (tests/run runs
# them in parallel); run by hand without an argument, it runs them all.
. "$(dirname "$0")/../lib.sh"
REPLAYS=(edit_string edit_many hostile refs_tags preview)
# The cmocka tests run in one valgrind process (build/tests/units: each
# valgrind start reads libc's debug info, ~0.75 s of CPU); test_app_scale,
# linked with --wrap, runs in its own.
UNITS=$BUILD/tests/units
parts_of "${1:-}" units test_app_scale "${REPLAYS[@]/#/replay-}"
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=no)

units() {  # every cmocka binary but test_app_scale, in one process
  local bin names=() listed missing=()
  for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] && [ "${bin##*/}" != test_app_scale ] && names+=("${bin##*/}")
  done
  listed=$("$UNITS" --list 2>/dev/null)
  for bin in "${names[@]}"; do grep -qx "$bin" <<<"$listed" || missing+=("$bin"); done
  check_eq "build/tests/units holds every cmocka test but test_app_scale (${#names[@]})" "" "${missing[*]}"
  if timeout -k 5 300 "${VG[@]}" --log-file="$T_TMP/units.vg" "$UNITS" >"$T_TMP/units.out" 2>&1; then
    ok "valgrind clean: the ${#names[@]} cmocka tests in one process"
  else
    not_ok "valgrind: the cmocka tests"; grep -e '^units:' -e 'FAILED' "$T_TMP/units.out" | head -10 | sed 's/^/#   /'
    head -40 "$T_TMP/units.vg" | sed 's/^/#   /'
  fi
}
unit() {  # NAME — a cmocka binary under valgrind
  local n=$1 bin=$BUILD/tests/$1
  # test_app_scale counts lookups at 2,000 and 8,000 keys; valgrind looks at
  # its memory, which 500 and 2,000 show as well, in a fifth of the time
  if TICKETED_SCALE_KEYS=500 timeout -k 5 300 "${VG[@]}" --log-file="$T_TMP/$n.vg" "$bin" >"$T_TMP/$n.out" 2>&1; then
    ok "valgrind clean: $n"
  else
    not_ok "valgrind: $n"; head -30 "$T_TMP/$n.vg" "$T_TMP/$n.out" | sed 's/^/#   /'
  fi
}
replay() {  # NAME — ticketed --replay tests/replay/NAME.replay under valgrind
  local r=$1 f=$TOP/tests/replay/$1.replay ticket want rc
  start_ticketd --data "$TOP/tests/data/service" || { not_ok "ticketd for $r"; return; }
  [ -f "$f" ] || { not_ok "replay $r.replay exists"; return; }
  ticket=$(sed -n 's/^# ticket: *//p' "$f" | head -1)
  want=$(sed -n 's/^# exit: *//p' "$f" | head -1)
  (cd "$T_TMP" && timeout -k 5 120 "${VG[@]}" --log-file="$T_TMP/$r.vg" "$TICKETED" --url "$TD_URL" \
      --headless --replay "$f" "${ticket:-900}" >"$T_TMP/$r.out" 2>&1); rc=$?
  if [ "$rc" = "${want:-0}" ] && ! grep -q . "$T_TMP/$r.vg"; then
    ok "valgrind clean: ticketed --replay $r.replay"
  else
    not_ok "valgrind: ticketed --replay $r.replay (exit $rc)"; head -30 "$T_TMP/$r.vg" | sed 's/^/#   /'
  fi
  stop_ticketd
}

for p in "${PARTS[@]}"; do
  what="valgrind clean: $p"
  [[ $p == replay-* ]] && what="valgrind clean: ticketed --replay ${p#replay-}.replay"
  [ "$p" = units ] && what="valgrind clean: the cmocka tests in one process"
  if [ -n "${TICKETED_SANITIZED:-}" ]; then
    skip_ci_ok "$what" "sanitizer build: valgrind cannot run ASan binaries (ASan/UBSan cover this; make check runs valgrind)"
  elif ! command -v valgrind >/dev/null; then
    not_ok "$what: valgrind is installed (make deps)"
  elif [[ $p == replay-* ]]; then
    replay "${p#replay-}"
  elif [ "$p" = units ]; then
    units
  else
    unit "$p"
  fi
done
