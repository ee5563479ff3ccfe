#!/usr/bin/env bash
# Benchmark of the JSON engine (printed figures, nothing asserted):
# `ticketed diff --mode none` and `ticketed apply` as whole processes versus
# python3-jsonpatch's make_patch / apply_patch on the same files.
# Figures: median wall time of RUNS runs, peak RSS (wait4), patch bytes.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
TICKETED=${TICKETED:-$BUILD/bin/ticketed}
RUSAGE=$BUILD/tools/core_rusage
PY=/usr/bin/python3
RUNS=${RUNS:-5}
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

# measure OUT CMD... — RUNS runs; prints "median_ms peak_kb"
measure() {
  local out=$1; shift
  : >"$tmp/ru"
  for _ in $(seq 1 "$RUNS"); do CORE_RUSAGE_OUT=$tmp/ru "$RUSAGE" "$@" >"$out" 2>/dev/null; done
  sort -n "$tmp/ru" | awk -v n="$RUNS" '{ms[NR]=$1; if ($2>kb) kb=$2} END {printf "%.1f %d\n", ms[int((n+1)/2)], kb}'
}

printf '%-28s %9s %9s %9s | %9s %9s %9s | %7s %7s\n' case ours_ms py_ms ratio ours_KB py_KB ratio ours_B py_B
for spec in "10 1000" "1000 1000" "10000 1000"; do
  set -- $spec
  name="msgs=$1 custom=$2"
  $PY "$TOP/tests/tools/core_bigticket.py" "$1" "$2" "$tmp/base.json" "$tmp/edited.json"
  size=$(stat -c %s "$tmp/base.json")
  read -r od ok < <(measure "$tmp/ours.patch" "$TICKETED" diff --mode none "$tmp/base.json" "$tmp/edited.json")
  read -r pd pk < <(measure "$tmp/py.patch" $PY "$tmp/mk.py" "$tmp/base.json" "$tmp/edited.json")
  ob=$(wc -c <"$tmp/ours.patch"); pb=$(wc -c <"$tmp/py.patch"); ob=$((ob - 1))  # ours ends with a newline
  printf '%-28s %9s %9s %9s | %9s %9s %9s | %7s %7s\n' "diff  $name" "$od" "$pd" \
    "$(awk -v a="$od" -v b="$pd" 'BEGIN{printf "%.2f", a/b}')" "$ok" "$pk" \
    "$(awk -v a="$ok" -v b="$pk" 'BEGIN{printf "%.2f", a/b}')" "$ob" "$pb"
  read -r oa oak < <(measure "$tmp/ours.out" "$TICKETED" apply "$tmp/base.json" "$tmp/ours.patch")
  read -r pa pak < <(measure "$tmp/py.out" $PY "$tmp/ap.py" "$tmp/base.json" "$tmp/ours.patch")
  printf '%-28s %9s %9s %9s | %9s %9s %9s | %7s %7s\n' "apply $name" "$oa" "$pa" \
    "$(awk -v a="$oa" -v b="$pa" 'BEGIN{printf "%.2f", a/b}')" "$oak" "$pak" \
    "$(awk -v a="$oak" -v b="$pak" 'BEGIN{printf "%.2f", a/b}')" "-" "-"
  same=$("$TICKETED" diff --generic --mode none "$tmp/ours.out" "$tmp/py.out" 2>/dev/null)
  echo "  (document $size bytes; both applies give the same result: $([ "$same" = "[]" ] && echo yes || echo NO))"
done
echo "targets on msgs=10000: time ratio <= 0.20, memory ratio <= 0.50, ours_B <= py_B (ours_B: --mode none)"
