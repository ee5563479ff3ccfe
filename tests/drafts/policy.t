#!/usr/bin/env bash
# A draft never hijacks a script: a replay (or headless) run on a ticket
# with a draft exits 4 before anything is sent, naming the draft, its age,
# its fields and the option to pass; --draft discard runs the script on the
# server's copy, --draft restore restores first (its conflicts land on the
# conflict screen, a conflict entry of the draft included), --draft keep
# leaves it alone. A run that ends keeping a draft says so on stderr.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
export XDG_STATE_HOME=$T_TMP/state
start_ticketd --data "$TOP/tests/data/service" || exit 1
W=$T_TMP/w; mkdir -p "$W"
n_requests() { grep -c '"GET\|"PATCH\|GET /\|PATCH /' "$TD_LOG" 2>/dev/null || true; }
# run NAME REPLAY-TEXT [OPTIONS...] — prints the exit status
run() {
  local name=$1 text=$2; shift 2
  printf '%s\n' "$text" >"$W/$name.replay"
  (cd "$W" && timeout -k 2 30 "$TICKETED" --url "$TD_URL" --headless "$@" --replay "$W/$name.replay" 900 \
     >"$W/$name.out" 2>"$W/$name.err"); echo $?
}
server_title() { curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])'; }

# 1. A replay that ends with edits keeps a draft, and says so (path, fields).
check_eq "left behind: exit 3" 3 "$(run left '/Title<Enter>
<Enter><C-u>Left behind<Enter>')"
check "left behind: stderr names the draft file and its fields" \
  grep -qE "kept as a draft: $XDG_STATE_HOME/ticketed/drafts/900-[0-9a-f]{16}\.json \(Title\)" "$W/left.err"
check_eq "left behind: one stderr line" 1 "$(wc -l <"$W/left.err")"

# 2. The next script on that ticket: exit 4 before any key, nothing sent.
before=$(n_requests)
check_eq "a script meets the draft: exit 4" 4 "$(run hijack '/Prio<Enter>
s
:expect screen "Saved"')"
check_eq "... nothing was sent (not even the load)" "$before" "$(n_requests)"
check "... stderr names the draft's fields and age" grep -qE "unsaved draft from .* \([0-9]+ (s|min) ago\) with edits of Title" "$W/hijack.err"
check "... and the option to pass" grep -q -- "--draft restore, --draft discard or --draft keep" "$W/hijack.err"
check_eq "... one line" 1 "$(wc -l <"$W/hijack.err")"
check "... the draft is still there" bash -c "'$TICKETED' drafts | grep -q '^900 .*Title'"
check_eq "... the server untouched" "VPN drops every 10 minutes for the Bergen office" "$(server_title)"

# 3. A script typed into the prompt cannot happen: even text that starts
# with the prompt's keys (r, d, k) is never read as an answer.
check_eq "\"Printer on fire\" never answers a prompt" 4 "$(run typed 'rPrinter on fire<Enter>')"

# 4. --draft keep: the script runs on the server's copy, the draft stays.
check_eq "--draft keep: exit 0" 0 "$(run keep ':expect field Title "VPN drops every 10 minutes for the Bergen office"
:expect modified 0
q' --draft keep)"
check "--draft keep: the draft is still there" bash -c "'$TICKETED' drafts | grep -q '^900 .*Title'"

# 5. --draft restore: restored first, then the script saves it.
check_eq "--draft restore: exit 0" 0 "$(run restore ':expect field Title "Left behind"
:expect modified 1
s
:expect status 200
q' --draft restore)"
check_eq "--draft restore: saved" "Left behind" "$(server_title)"
check "--draft restore: the draft is gone" bash -c "'$TICKETED' drafts | grep -q '^No drafts'"

# 6. --draft discard: the script runs on the server's copy.
run again '/Title<Enter>
<Enter><C-u>Another draft<Enter>' >/dev/null
check_eq "--draft discard: exit 0" 0 "$(run discard ':expect field Title "Left behind"
:expect modified 0
q' --draft discard)"
check "--draft discard: the draft is gone" bash -c "'$TICKETED' drafts | grep -q '^No drafts'"

# 7. The config key `draft` decides too; the option beats it.
mkdir -p "$XDG_CONFIG_HOME/ticketed"
printf 'draft = discard\n' >"$XDG_CONFIG_HOME/ticketed/config"
run again2 '/Title<Enter>
<Enter><C-u>Config draft<Enter>' >/dev/null
check_eq "--draft fail beats the config's discard" 4 "$(run cfgfail q --draft fail)"
check_eq "config draft = discard" 0 "$(run cfg ':expect modified 0
q')"
rm -f "$XDG_CONFIG_HOME/ticketed/config"

# 8. A draft that ended with an open conflict: the entry comes back as a
# conflict on restore (never "restored: 0 edits" with the draft deleted).
curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Title","value":"Base for the conflict"}]' "$TD_URL/Ticket/900"
check_eq "a run ending on an open conflict: exit 3" 3 "$(run clash '/Title<Enter>
<Enter><C-u>Mine<Enter>
:expect modified 1' )"
curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Title","value":"Theirs"}]' "$TD_URL/Ticket/900"
check_eq "R meets the clash, the run ends with it open: exit 3" 3 "$(run clash2 'R
:expect conflicts 1
<Esc>' --draft restore)"
check "the draft marks the entry as a conflict" /usr/bin/python3 -c '
import glob, json, subprocess, sys
j = [f for f in glob.glob(sys.argv[1] + "/900-*.json") if ".base-" not in f]
e = json.loads(subprocess.run([sys.executable, sys.argv[2], "--read", j[0]], capture_output=True, check=True).stdout)
sys.exit(0 if any(x.get("conflict") and x["field"] == "Title" for x in e) else 1)' "$XDG_STATE_HOME/ticketed/drafts" \
  "$TOP/tests/drafts/mkdraft.py"
check_eq "restored: the conflict is back on the conflict screen" 0 "$(run clash3 ':expect conflicts 1
:expect conflict Title
:expect screen "Mine"
:expect screen "Theirs"
t
s
:expect screen "Nothing to save"
q' --draft restore)"
check "... and the draft is gone only now" bash -c "'$TICKETED' drafts | grep -q '^No drafts'"
check_eq "... the server kept theirs" "Theirs" "$(server_title)"

# 9. --help's exit status line names the draft case of exit 4.
check "--help: exit 4 also when a draft is in the way" \
  bash -c "'$TICKETED' --help | grep -q '4 script failed or a draft found'"
