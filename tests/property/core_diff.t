#!/usr/bin/env bash
# Property test of the diff: >= 10,000 random edits of realistic tickets
# (diff_ticket) and count/5 random edits of arbitrary documents (diff_generic).
# For each, apply(base, diff(base, edited)) == edited with OUR apply (checked
# inside core_gen) and with python3-jsonpatch plus the guard rules (tests guard exactly the changed fields).
# Replay a run with CORE_PROP_SEED=N (and CORE_PROP_COUNT=N).
. "$(dirname "$0")/../lib.sh"
seed=$(prop_seed CORE_PROP_SEED)
count=${CORE_PROP_COUNT:-10000}
show "seed $seed (replay: CORE_PROP_SEED=$seed)"
gen=$BUILD/tools/core_gen
if [ ! -x "$gen" ]; then not_ok "core_gen built ($gen)"; exit 1; fi
"$gen" "$seed" "$count" "$T_TMP/cases.jsonl" 2>"$T_TMP/gen.err"; rc=$?
if [ $rc -eq 0 ]; then ok "our apply(base, diff(base, edited)) == edited for $count ticket + $((count / 5)) generic cases"
else not_ok "our apply(base, diff(base, edited)) == edited"; head -c 4000 "$T_TMP/gen.err" | sed 's/^/#   /'; fi
tap_from /usr/bin/python3 "$TOP/tests/property/core_verify.py" "$T_TMP/cases.jsonl" $((count + count / 5))
