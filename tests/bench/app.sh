#!/usr/bin/env bash
# Benchmark of the editor's costs that must not grow with the ticket
# (printed figures, nothing asserted). One line per figure:
#   bench: NAME: VALUE UNIT (ANCHOR VALUE UNIT, ratio R) goal: <= G: met|missed
# Here a goal bounds the VALUE (a ratio figure's value is the ratio).
#  - load: whole `ticketed` processes (headless, a replay that only checks
#    the form and quits) on tickets with 1k/10k/100k CustomFields keys,
#    interleaved with curl fetching the same ticket, median of RUNS (>= 5);
#    then the ratio 100k/10k (goal <= 15: near-linear; quadratic is 100).
#  - restore: the same, opening the 10k-key ticket with a draft of 10,000
#    custom-field edits (--draft restore), against loading it alone.
#  - per key, in-process (tests/tools/app_keycost, median of 101 rounds):
#    an edit commit (model_set, form rows, modified count, draft_sync, the
#    first screenful of row texts) and the preview (model_patch and the
#    old -> new texts) on the 10,000-message ticket and on 1,000 custom
#    fields, against ticket 900 (goal <= 2 ms); a commit that also
#    fdatasyncs its record (the draft's policy when the last sync is >= 1 s
#    old: a person's pace) against a bare fdatasync of an append on the
#    same file system; the first commit after a load (it writes the base).
#  - peak RSS of a whole run on the 10,000-message ticket: an edit left as
#    a draft, and an edit saved (goal <= 3 x JSON size + 8 MiB).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP/tests/lib.sh"
RUSAGE=$BUILD/tools/core_rusage KEYCOST=$BUILD/tools/app_keycost
PY=/usr/bin/python3
RUNS=${RUNS:-5}
[ "$RUNS" -ge 5 ] || RUNS=5
for x in "$TICKETED" "$TICKETD" "$RUSAGE" "$KEYCOST"; do [ -x "$x" ] || { echo "missing $x (make tests)"; exit 1; }; done
export XDG_STATE_HOME=$T_TMP/state
mkdir -p "$XDG_STATE_HOME" && chmod 700 "$XDG_STATE_HOME"

# --- data: ticket 900 with N scalar CustomFields keys; the 10,000-message ticket
DATA=$T_TMP/data
cp -r "$TOP/tests/data/service" "$DATA"
cat >"$T_TMP/cf.py" <<'PY'
import json, sys
src, out, tid, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = json.load(open(src))
d['TicketId'] = tid
# a copy's message ids are its own (ticketd refuses an id in two tickets)
for m in d.get('Messages') or []:
    m['TicketMessageId'] += tid * 100000
d['CustomFields'] = {'x_field_%06d' % i: (i if i % 3 == 0 else 'value %d' % i if i % 3 == 1 else i % 2 == 0)
                     for i in range(n)}
json.dump(d, open(out, 'w'), ensure_ascii=False, separators=(',', ':'))
PY
for n in 1000 10000 100000; do
  $PY "$T_TMP/cf.py" "$DATA/tickets/900.json" "$DATA/tickets/$((9100 + n / 1000)).json" $((9100 + n / 1000)) $n
done
$PY "$TOP/tests/tools/core_bigticket.py" 10000 20 "$T_TMP/big.json" "$T_TMP/big_edited.json"
$PY - "$T_TMP/big.json" "$DATA/tickets/9001.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['TicketId'] = 9001
for m in d.get('Messages') or []:  # ids of its own, as above
    m['TicketMessageId'] += 9001 * 100000
d['CustomFields'] = {k: (v if not isinstance(v, dict) else str(v)) for k, v in d['CustomFields'].items()}
d['_Links'] = {}
json.dump(d, open(sys.argv[2], 'w'), ensure_ascii=False, separators=(',', ':'))
PY
start_ticketd --data "$DATA" || exit 1

med() { sort -n "$1" | awk '{ms[NR]=$1; if ($2>kb) kb=$2} END {printf "%.1f %d\n", ms[int((NR+1)/2)], kb}'; }
# interleave CMD_A... -- CMD_B...  — RUNS runs of each, alternating; sets A_MS A_KB B_MS B_KB
interleave() {
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift; b=("$@")
  : >"$T_TMP/ra"; : >"$T_TMP/rb"
  for _ in $(seq 1 "$RUNS"); do
    CORE_RUSAGE_OUT=$T_TMP/ra "$RUSAGE" "${a[@]}" >/dev/null 2>&1
    CORE_RUSAGE_OUT=$T_TMP/rb "$RUSAGE" "${b[@]}" >/dev/null 2>&1
  done
  read -r A_MS A_KB < <(med "$T_TMP/ra"); read -r B_MS B_KB < <(med "$T_TMP/rb")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN{print (v <= g ? "met" : "missed")}'; }
# line NAME VALUE UNIT [ANCHOR AVALUE] [GOAL] — the goal bounds VALUE
line() {
  local name=$1 v=$2 unit=$3 an=${4:-} av=${5:-} goal=${6:-} out
  out="bench: $name: $v $unit"
  [ -n "$an" ] && out="$out ($an $av $unit, ratio $(ratio "$v" "$av"))"
  [ -n "$goal" ] && out="$out goal: <= $goal: $(verdict "$v" "$goal")"
  echo "$out"
}

# --- load, 1k / 10k / 100k custom fields -------------------------------------
printf ':expect modified 0\nq\n' >"$T_TMP/load.replay"
declare -A LOAD
for n in 1000 10000 100000; do
  id=$((9100 + n / 1000))
  interleave "$TICKETED" --url "$TD_URL" --headless --replay "$T_TMP/load.replay" $id \
    -- curl -s -o /dev/null "$TD_URL/Ticket/$id"
  LOAD[$n]=$A_MS
  line "load, $((n / 1000))k custom fields" "$A_MS" ms curl "$B_MS"
done
r=$(ratio "${LOAD[100000]}" "${LOAD[10000]}")
echo "bench: load time ratio 100k/10k custom fields: $r x goal: <= 15: $(verdict "$r" 15)"

# --- restore a draft of 10,000 custom-field edits ----------------------------
$PY -c 'import json; print(json.dumps([{"field": "CustomFields", "key": "x_field_%06d" % i,
  "base": (i if i % 3 == 0 else "value %d" % i if i % 3 == 1 else i % 2 == 0), "value": "draft %d" % i}
  for i in range(10000)]))' >"$T_TMP/edits.json"
printf ':expect modified 10000\nq\nk\n' >"$T_TMP/restore.replay"
: >"$T_TMP/ra"; : >"$T_TMP/rb"
for _ in $(seq 1 "$RUNS"); do
  "$TICKETED" drafts --discard 9110 >/dev/null 2>&1
  MKDRAFT_VERSION=2 $PY "$TOP/tests/drafts/mkdraft.py" "$TD_URL" 9110 T "@$T_TMP/edits.json" >/dev/null
  CORE_RUSAGE_OUT=$T_TMP/ra "$RUSAGE" "$TICKETED" --url "$TD_URL" --headless --draft restore \
    --replay "$T_TMP/restore.replay" 9110 >/dev/null 2>&1
  CORE_RUSAGE_OUT=$T_TMP/rb "$RUSAGE" "$TICKETED" --url "$TD_URL" --headless --draft keep \
    --replay "$T_TMP/load.replay" 9110 >/dev/null 2>&1
done
"$TICKETED" drafts --discard 9110 >/dev/null 2>&1
read -r A_MS A_KB < <(med "$T_TMP/ra"); read -r B_MS B_KB < <(med "$T_TMP/rb")
if grep -qv ' 3$' "$T_TMP/ra"; then echo "# restore: a run did not end as expected (exit 3): $(tr '\n' ' ' <"$T_TMP/ra")"; fi
line "restore 10,000 custom-field edits (10k keys)" "$A_MS" ms "load alone" "$B_MS"

# --- per key, in-process -------------------------------------------------------
keycost() {  # FILE [ARGS] — sets KC_* from app_keycost's output
  local f=$1; shift
  eval "$("$KEYCOST" -n 101 "$@" "$f" | awk '{ printf "KC_%s=%s\n", $1, $2 }')"
}
curl -s "$TD_URL/Ticket/900" >"$T_TMP/900.json"
keycost "$T_TMP/900.json"; c900=$KC_commit_ms p900=$KC_preview_ms
keycost "$DATA/tickets/9001.json"
line "edit commit, 10,000-message ticket" "$KC_commit_ms" ms "ticket 900" "$c900" 2
line "preview, 10,000-message ticket" "$KC_preview_ms" ms "ticket 900" "$p900" 2
line "first edit commit after a load (writes the base), 10,000-message ticket" "$KC_first_commit_ms" ms
synced=$KC_synced_commit_ms
$PY - "$XDG_STATE_HOME" >"$T_TMP/fsync" <<'PY'
import os, sys, time
p = os.path.join(sys.argv[1], 'fsync-probe')
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
t = []
for _ in range(9):
    s = time.perf_counter(); os.write(fd, b'x' * 200 + b'\n'); os.fdatasync(fd); t.append(time.perf_counter() - s)
os.close(fd); os.unlink(p)
print('%.3f' % (sorted(t)[4] * 1000))
PY
line "edit commit with its fdatasync, 10,000-message ticket" "$synced" ms "fdatasync of a 200-byte append" "$(cat "$T_TMP/fsync")"
keycost "$DATA/tickets/9101.json"
line "edit commit (Title), 1,000 custom fields" "$KC_commit_ms" ms "ticket 900" "$c900" 2
line "preview, 1,000 custom fields" "$KC_preview_ms" ms "ticket 900" "$p900" 2
keycost "$DATA/tickets/9101.json" -k 1000
line "edit commit (one custom-field key; up to 101 keys edited), 1,000 custom fields" "$KC_commit_ms" ms "ticket 900" "$c900"

# --- peak memory, 10,000-message ticket -----------------------------------------
size=$(curl -s "$TD_URL/Ticket/9001" | wc -c)
goal=$(( (size * 3 + 8 * 1048576) / 1024 ))
printf '/Title<Enter>\n<Enter><C-u>Edited<Enter>\n:expect modified 1\n' >"$T_TMP/edit.replay"
printf '/Title<Enter>\n<Enter><C-u>Saved %%s<Enter>\ns\n:expect status 200\nq\n' >"$T_TMP/save.fmt"
: >"$T_TMP/re"; : >"$T_TMP/rs"
for i in $(seq 1 "$RUNS"); do
  CORE_RUSAGE_OUT=$T_TMP/re "$RUSAGE" "$TICKETED" --url "$TD_URL" --headless --draft discard \
    --replay "$T_TMP/edit.replay" 9001 >/dev/null 2>&1
  printf "$(cat "$T_TMP/save.fmt")" "$i" >"$T_TMP/save.replay"
  CORE_RUSAGE_OUT=$T_TMP/rs "$RUSAGE" "$TICKETED" --url "$TD_URL" --headless --draft discard \
    --replay "$T_TMP/save.replay" 9001 >/dev/null 2>&1
done
"$TICKETED" drafts --discard 9001 >/dev/null 2>&1
if grep -qv ' 0$' "$T_TMP/rs"; then echo "# save runs did not all exit 0: $(tr '\n' ' ' <"$T_TMP/rs")"; fi
read -r _ e_kb < <(med "$T_TMP/re"); read -r _ s_kb < <(med "$T_TMP/rs")
line "peak RSS, an edit kept as a draft, 10,000-message ticket ($size B JSON)" "$e_kb" KB "" "" "$goal"
line "peak RSS, an edit saved, 10,000-message ticket ($size B JSON)" "$s_kb" KB "" "" "$goal"
