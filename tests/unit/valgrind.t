#!/usr/bin/env bash
# Every cmocka binary, and the editor on a few replays against ticketd, under
# valgrind: no invalid access, no uninitialised use, no definite leak.
. "$(dirname "$0")/../lib.sh"
if [ -n "${TICKETED_SANITIZED:-}" ]; then
  echo "ok 1 - sanitizer build: ASan/UBSan cover this, valgrind runs in make check"; exit 0
fi
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=no)
for bin in "$BUILD"/tests/test_*; do
  [ -x "$bin" ] || continue
  n=$(basename "$bin")
  if timeout -k 5 300 "${VG[@]}" --log-file="$T_TMP/$n.vg" "$bin" >"$T_TMP/$n.out" 2>&1; then
    ok "valgrind clean: $n"
  else
    not_ok "valgrind: $n"; head -30 "$T_TMP/$n.vg" "$T_TMP/$n.out" | sed 's/^/#   /'
  fi
done
for r in edit_string edit_many hostile refs_tags preview; do
  start_ticketd --data "$TOP/tests/data/service" || { not_ok "ticketd for $r"; continue; }
  f=$TOP/tests/replay/$r.replay
  [ -f "$f" ] || { not_ok "replay $r.replay exists"; continue; }
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
done
