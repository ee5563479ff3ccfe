#!/usr/bin/env bash
# server_timezone in the editor: against ticketd --dates naive, a
# date typed with an offset is shown in the user's zone (TZ=UTC here) and
# written naive in the configured server zone (the preview's patch), and
# strict mode's If-Unmodified-Since reads the naive LastChanged in that zone.
# NOT EXECUTABLE until tests/install/editor-servertz.patch (screens.c,
# model.c/.h, editor.c — helper "ui"'s files) is applied:
#   patch -p1 < tests/install/editor-servertz.patch && chmod +x tests/install/servertz_editor.t
. "$(dirname "$0")/../lib.sh"
start_ticketd --data "$TOP/tests/data/service" --dates naive || exit 1
lc=$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["LastChanged"])')
http_date() {  # NAIVE OFFSET_HOURS — the IMF-fixdate of NAIVE read at that offset
  /usr/bin/python3 -c 'import sys, datetime as d
t = d.datetime.strptime(sys.argv[1][:19], "%Y-%m-%dT%H:%M:%S") - d.timedelta(hours=int(sys.argv[2]))
print(t.strftime("%a, %d %b %Y %H:%M:%S GMT"))' "$1" "$2"
}
run() {  # ZONE EXPECTED_DEADLINE EXPECTED_HEADER — exit status of the replay
  { [ -n "$1" ] && printf 'server_timezone = %s\n' "$1"; } >"$T_TMP/config"
  chmod 600 "$T_TMP/config"
  cat >"$T_TMP/tz.replay" <<END
/Deadline<Enter>
<Enter><C-u>2026-12-01T10:30:00Z<Enter>
:expect field Deadline "2026-12-01 10:30 (Tue)"
p
:expect screen "\"value\":\"$2\"}"
:expect screen "If-Unmodified-Since: $3"
<Esc>
q
d
:expect exit 0
END
  "$TICKETED" --config "$T_TMP/config" --url "$TD_URL" --conflict strict --headless --size 120x30 \
    --replay "$T_TMP/tz.replay" 900 >"$T_TMP/out" 2>"$T_TMP/err"
  local rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/#   /' "$T_TMP/err" | head -20
  echo "# exit $rc" >&2
  return $rc
}
check "no server_timezone: naive dates are UTC" run "" "2026-12-01T10:30:00" "$(http_date "$lc" 0)"
check "server_timezone = +01:00: typed Z time written in the server's zone, LastChanged read at +01:00" \
  run "+01:00" "2026-12-01T11:30:00" "$(http_date "$lc" 1)"
if [ -e /usr/share/zoneinfo/Europe/Oslo ]; then
  check "server_timezone = Europe/Oslo (winter: +01:00)" run "Europe/Oslo" "2026-12-01T11:30:00" "$(http_date "$lc" 1)"
else
  not_ok "server_timezone = Europe/Oslo: the tz database has it (tzdata: make deps)"
fi
