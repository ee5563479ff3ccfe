#!/usr/bin/env bash
# Benchmark of the JSON engine (printed figures, nothing asserted). Whole
# processes, interleaved (ours, anchor, ours, anchor, ...), median of RUNS
# (>= 5) wall times; peak RSS from wait4.
#   diff:  `ticketed diff --mode none` vs python3-jsonpatch make_patch on a
#          realistic edit of tickets with 10, 1,000 and 10,000 messages
#   apply: `ticketed apply` of that diff vs python3-jsonpatch apply_patch, and
#          of 1k/4k/16k positional ops on the 10,000-message Messages array
#          vs node's fast-json-patch (when installed; see below)
# Each figure is one line:
#   bench: NAME: VALUE UNIT (ANCHOR VALUE UNIT, ratio R) goal: <= G: met|missed
# where a goal bounds the ratio to the anchor.
# fast-json-patch is found with node's require(), or from the directory in
# $FAST_JSON_PATCH (e.g. `npm install --prefix /tmp/fjp fast-json-patch`,
# then FAST_JSON_PATCH=/tmp/fjp/node_modules/fast-json-patch make bench).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
TICKETED=${TICKETED:-$BUILD/bin/ticketed}
RUSAGE=$BUILD/tools/core_rusage
PY=/usr/bin/python3
RUNS=${RUNS:-5}
[ "$RUNS" -ge 5 ] || RUNS=5
tmp=$(mktemp -d /tmp/ticketed-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for x in "$TICKETED" "$RUSAGE"; do [ -x "$x" ] || { echo "missing $x (make tests)"; exit 1; }; done
$PY -c 'import jsonpatch' 2>/dev/null || { echo "python3-jsonpatch missing"; exit 1; }

cat >"$tmp/mk.py" <<'PYEOF'
import json, sys, jsonpatch
b = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
sys.stdout.write(jsonpatch.make_patch(b, e).to_string())
PYEOF
cat >"$tmp/ap.py" <<'PYEOF'
import json, sys, jsonpatch
d = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
sys.stdout.write(json.dumps(jsonpatch.apply_patch(d, p, in_place=True), ensure_ascii=False, separators=(",", ":")))
PYEOF
cat >"$tmp/ap.js" <<'JSEOF'
const fs = require('fs');
const jp = require(process.env.FAST_JSON_PATCH || 'fast-json-patch');
const d = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const p = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
process.stdout.write(JSON.stringify(jp.applyPatch(d, p, true, true).newDocument));
JSEOF
cat >"$tmp/same.py" <<'PYEOF'
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)
PYEOF
node_ok=false
if command -v node >/dev/null && node -e "require(process.env.FAST_JSON_PATCH || 'fast-json-patch')" 2>/dev/null; then
  node_ok=true
fi

# interleave OUT_A OUT_B CMD_A... -- CMD_B...  — RUNS runs of each, alternating;
# sets A_MS A_KB B_MS B_KB (median wall ms, peak KB)
interleave() {
  local oa=$1 ob=$2; shift 2
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift; b=("$@")
  : >"$tmp/ra"; : >"$tmp/rb"
  for _ in $(seq 1 "$RUNS"); do
    CORE_RUSAGE_OUT=$tmp/ra "$RUSAGE" "${a[@]}" >"$oa" 2>/dev/null
    CORE_RUSAGE_OUT=$tmp/rb "$RUSAGE" "${b[@]}" >"$ob" 2>/dev/null
  done
  read -r A_MS A_KB < <(med "$tmp/ra"); read -r B_MS B_KB < <(med "$tmp/rb")
}
med() { sort -n "$1" | awk '{ms[NR]=$1; if ($2>kb) kb=$2} END {printf "%.1f %d\n", ms[int((NR+1)/2)], kb}'; }

# line NAME VALUE UNIT ANCHOR AVALUE [GOAL] — one bench line, the goal on the ratio
line() {
  local name=$1 v=$2 unit=$3 an=$4 av=$5 goal=${6:-}
  local r; r=$(awk -v a="$v" -v b="$av" 'BEGIN{printf "%.3f", (b > 0 ? a / b : 0)}')
  local out="bench: $name: $v $unit ($an $av $unit, ratio $r)"
  if [ -n "$goal" ]; then
    out="$out goal: <= $goal: $(awk -v r="$r" -v g="$goal" 'BEGIN{print (r <= g ? "met" : "missed")}')"
  fi
  echo "$out"
}

for spec in "10 1000" "1000 1000" "10000 1000"; do
  set -- $spec
  $PY "$TOP/tests/tools/core_bigticket.py" "$1" "$2" "$tmp/base.json" "$tmp/edited.json"
  mb=$(awk -v s="$(stat -c %s "$tmp/base.json")" 'BEGIN{printf "%.1f", s / 1e6}')
  what="$1 messages ($mb MB)"
  tgoal= mgoal=
  [ "$1" = 10000 ] && { tgoal=0.1; mgoal=0.5; }
  interleave "$tmp/ours.patch" "$tmp/py.patch" "$TICKETED" diff --mode none "$tmp/base.json" "$tmp/edited.json" \
    -- $PY "$tmp/mk.py" "$tmp/base.json" "$tmp/edited.json"
  line "diff time, $what" "$A_MS" ms python3-jsonpatch "$B_MS" $tgoal
  line "diff peak RSS, $what" "$A_KB" KB python3-jsonpatch "$B_KB" $mgoal
  ob=$(($(wc -c <"$tmp/ours.patch") - 1)); pb=$(wc -c <"$tmp/py.patch")  # ours ends with a newline
  line "diff patch size, $what" "$ob" B python3-jsonpatch "$pb" 1
  interleave "$tmp/ours.out" "$tmp/py.out" "$TICKETED" apply "$tmp/base.json" "$tmp/ours.patch" \
    -- $PY "$tmp/ap.py" "$tmp/base.json" "$tmp/ours.patch"
  line "apply the diff, $what" "$A_MS" ms python3-jsonpatch "$B_MS"
  $PY "$tmp/same.py" "$tmp/ours.out" "$tmp/py.out" || echo "# apply the diff, $what: the results DIFFER from python's"
done

# Positional ops on the long Messages array (the 10,000-message ticket from the last round).
$node_ok || echo "# node fast-json-patch not found: apply-ops figures without their anchor (see the top of $0)"
for n in 1000 4000 16000; do
  $PY "$TOP/tests/tools/core_patchops.py" "$n" "$tmp/base.json" "$tmp/ops.json"
  name="apply $((n / 1000))k positional ops, 10000 messages"
  goal=
  [ "$n" = 16000 ] && goal=1.2
  if $node_ok; then
    interleave "$tmp/ours.out" "$tmp/node.out" "$TICKETED" apply "$tmp/base.json" "$tmp/ops.json" \
      -- node "$tmp/ap.js" "$tmp/base.json" "$tmp/ops.json"
    line "$name" "$A_MS" ms "node fast-json-patch" "$B_MS" $goal
    $PY "$tmp/same.py" "$tmp/ours.out" "$tmp/node.out" || echo "# $name: the results DIFFER from node's"
  else
    : >"$tmp/ra"
    for _ in $(seq 1 "$RUNS"); do CORE_RUSAGE_OUT=$tmp/ra "$RUSAGE" "$TICKETED" apply "$tmp/base.json" "$tmp/ops.json" >/dev/null 2>&1; done
    read -r A_MS A_KB < <(med "$tmp/ra")
    echo "bench: $name: $A_MS ms"
  fi
done
