#!/usr/bin/env bash
# server_timezone in the config file: a bad zone is a
# FILE:LINE error (exit 1); UTC, fixed offsets and tz-database names load.
# (The offsets themselves: tests/unit/test_app_servertz.c.)
. "$(dirname "$0")/../lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
CFG=$T_TMP/config
tz() {  # ZONE — run `ticketed get 900` with server_timezone = ZONE on line 2
  printf 'url = %s\nserver_timezone = %s\n' "$TD_URL" "$1" >"$CFG"
  "$TICKETED" get --config "$CFG" 900 >"$T_TMP/out" 2>"$T_TMP/err"
  echo $?
}
for z in UTC +01:00 -0330 Europe/Oslo America/New_York; do
  if [[ $z == */* ]] && [ ! -e "/usr/share/zoneinfo/$z" ]; then
    not_ok "server_timezone = $z: the tz database has it (tzdata: make deps)"; continue
  fi
  check_eq "server_timezone = $z is accepted" 0 "$(tz "$z")"
done
check_eq "unknown zone: exit 1" 1 "$(tz Mars/Base)"
check_eq "... FILE:LINE: message" \
  "ticketed get: $CFG:2: server_timezone \"Mars/Base\": not UTC, an offset like +01:00, or a zone of the tz database like Europe/Oslo" \
  "$(cat "$T_TMP/err")"
check_eq "offset out of range: exit 1" 1 "$(tz +15:00)"
check "... names the line and the range" grep -qF "$CFG:2: server_timezone \"+15:00\": offset out of range" "$T_TMP/err"
check_eq "a path is not a zone" 1 "$(tz ../../../etc/passwd)"
