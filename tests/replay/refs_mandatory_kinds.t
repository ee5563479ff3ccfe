#!/usr/bin/env bash
# Mandatory fields of every kind (UIHintMandatory fields
# cannot be emptied): a copy of the sample data where ticket 902 marks
# Deadline (a date), Author (a string) and Tags (a set) "Update,
# UIHintMandatory". Emptying the date or the string, or removing the last
# tag, is refused with a clear message and the value stays; removing one of
# two tags is fine and is the only thing saved.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
D=$T_TMP/data
mkdir -p "$D" && cp -r "$TOP/tests/data/service/." "$D/"
/usr/bin/python3 - "$D" <<'PY' || { not_ok "mandatory kinds: prepare data"; exit 0; }
import json, sys
p = sys.argv[1] + "/tickets/902.json"
d = json.load(open(p))
d["Deadline"] = "2026-12-01T10:00:00"
for f in ("Deadline", "Author", "Tags"):
    d.setdefault("FieldProperties", {})[f] = {
        "FieldRight": {"Mask": "Update, UIHintMandatory", "Reason": ""}, "FieldType": "x", "FieldLength": -1}
json.dump(d, open(p, "w"), ensure_ascii=False, indent=1)
PY
start_ticketd --data "$D" || { not_ok "mandatory kinds: ticketd"; exit 0; }
cat >"$T_TMP/m.replay" <<'EOF2'
/Deadline<Enter>
<Enter><C-u><Enter>
:expect screen "Deadline is mandatory and cannot be empty"
<Esc>
:expect field Deadline "2026-12-01 10:00 (Tue)"
/Author<Enter>
<Enter><C-u><Enter>
:expect screen "Author is mandatory and cannot be empty"
<Esc>
:expect field Author "José Álvarez"
:expect modified 0
/Tags<Enter>
<Enter>
d
:expect screen "Removed Billing"
d
:expect screen "Tags is mandatory and cannot be emptied"
<Esc>
:expect field Tags "VIP customer"
:expect modified 1
s
:expect status 200
q
EOF2
(cd "$T_TMP" && XDG_STATE_HOME=$T_TMP/state timeout -k 2 120 "$TICKETED" --url "$TD_URL" --headless \
  --replay "$T_TMP/m.replay" 902 >"$T_TMP/out" 2>"$T_TMP/err"); rc=$?
check_eq "mandatory kinds: replay exit status" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/err" | head -30
got=$(curl -s "$TD_URL/Ticket/902" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["Deadline"], d["Author"], [t["Id"] for t in d["Tags"]])')
check_eq "mandatory kinds: the server keeps Deadline and Author, one tag removed" \
  "2026-12-01T10:00:00 José Álvarez [6]" "$got"
td_log_sync
check "mandatory kinds: one PATCH sent" [ "$(grep -c 'PATCH /api/v1/Ticket/902 200' "$TD_LOG")" = 1 ]
