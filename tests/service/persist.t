#!/usr/bin/env bash
# ticketd --persist writes a ticket file safely: a new file created beside
# it (never an existing name, so a planted symlink is not followed), the
# old file's permission bits kept, the ticket in memory and on disk the
# same after each save.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
JP=application/json-patch+json
title_on_disk() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["Title"])' "$1"; }

cp -r "$TOP/tests/data/service" "$T_TMP/data"
T=$T_TMP/data/tickets
chmod 600 "$T/903.json"
start_ticketd --data "$T_TMP/data" --persist || exit 1

# a symlink planted where the old temp file name (<file>.tmp.<pid>) went
echo precious >"$T_TMP/victim"
ln -s "$T_TMP/victim" "$T/902.json.tmp.$TD_PID"
patch /Ticket/902 $JP '[{"op":"replace","path":"/Title","value":"Saved past a planted symlink"}]'
check_eq "PATCH with a symlink planted at the temp name: 200" 200 "$CODE"
check_eq "…the symlink's target is untouched" precious "$(cat "$T_TMP/victim")"
check "…902.json is a regular file, not the symlink" test -f "$T/902.json" -a ! -L "$T/902.json"
check_eq "…and holds the change" "Saved past a planted symlink" "$(title_on_disk "$T/902.json")"
check "…the planted symlink is left alone" test -L "$T/902.json.tmp.$TD_PID"
rm -f "$T/902.json.tmp.$TD_PID"

patch /Ticket/903 $JP '[{"op":"replace","path":"/Title","value":"Private ticket, still private"}]'
check_eq "PATCH of a 0600 ticket file: 200" 200 "$CODE"
check_eq "…the file keeps mode 0600" 600 "$(stat -c %a "$T/903.json")"
check_eq "…and holds the change" "Private ticket, still private" "$(title_on_disk "$T/903.json")"
check_eq "a 0644 file stays 0644" 644 "$(stat -c %a "$T/902.json")"
check "no temp files left behind" bash -c "! ls -a '$T' | grep -q tmp"

# the file on disk is what a GET answers (the members in the same order)
req GET /Ticket/903
check_eq "file and GET agree (but _Links, made per request)" True "$("$PY" - "$BODY_FILE" "$T/903.json" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a.pop("_Links", None); b.pop("_Links", None)
print(list(a.items()) == list(b.items()))
PYEOF
)"
stop_clean
start_ticketd --data "$T_TMP/data" || exit 1
req GET /Ticket/903
check_eq "after a restart the saved change is there" "Private ticket, still private" "$(jv 'd["Title"]')"
stop_clean
