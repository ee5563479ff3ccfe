#!/usr/bin/env bash
# Dates without an offset (a server that writes them naive): shown in the
# user's zone (TZ=Europe/Oslo), read as UTC, or in server_timezone when the
# config names it; a typed date is written back naive, in that zone. A copy
# of the sample data whose ticket 900 has naive UTC dates.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
D=$T_TMP/data
mkdir -p "$D" && cp -r "$TOP/tests/data/service/." "$D/"
/usr/bin/python3 - "$D/tickets/900.json" <<'PY' || { not_ok "naive dates: prepare data"; exit 0; }
import datetime as dt, json, re, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
def naive(v):
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d):(\d\d)", v or "")
    if not m:
        return v
    t = dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    off = dt.timedelta(hours=int(m.group(3)), minutes=int(m.group(4)) * (1 if m.group(3)[0] == "+" else -1))
    return (t - off).strftime("%Y-%m-%dT%H:%M:%S")
for k in ("Deadline", "Activate", "AlertTimeout", "CreatedAt", "LastChanged", "RepliedAt", "ReadByOwner"):
    d[k] = naive(d.get(k))
json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
start_ticketd --data "$D" || { not_ok "naive dates: ticketd"; exit 0; }
run() {  # NAME ZONE SHOWN WRITTEN — the replay's exit status; the PATCH body in $T_TMP/NAME.patch
  { [ -n "$2" ] && printf 'server_timezone = %s\n' "$2"; } >"$T_TMP/config"
  chmod 600 "$T_TMP/config"
  cat >"$T_TMP/$1.replay" <<END
:expect field Deadline "$3"
/Deadline<Enter>
<Enter><C-u>2026-12-05 17:00<Enter>
:expect field Deadline "2026-12-05 17:00 (Sat)"
s
:expect status 200
q
END
  (cd "$T_TMP" && TZ=Europe/Oslo XDG_STATE_HOME=$T_TMP/state "$TICKETED" --config "$T_TMP/config" --url "$TD_URL" \
    --headless --replay "$T_TMP/$1.replay" 900 >"$T_TMP/$1.out" 2>"$T_TMP/$1.err")
  local rc=$?
  [ "$rc" -eq 0 ] || sed 's/^/#   /' "$T_TMP/$1.err" | head -20
  curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Deadline"])' \
    >"$T_TMP/$1.deadline"
  check_eq "$1: the server has the date written naive, in the server's zone" "$4" "$(cat "$T_TMP/$1.deadline")"
  return $rc
}
check "naive dates are UTC: 15:00 shows as 16:00 in Oslo; 17:00 typed is written 16:00" \
  run utc "" "2026-11-28 16:00 (Sat)" "2026-12-05T16:00:00"
if [ -e /usr/share/zoneinfo/Europe/Oslo ]; then
  check "server_timezone = Europe/Oslo: the naive 16:00 it now has is Oslo time; 17:00 is written 17:00" \
    run oslo "Europe/Oslo" "2026-12-05 16:00 (Sat)" "2026-12-05T17:00:00"
else
  ok "# SKIP no tz database"
fi
