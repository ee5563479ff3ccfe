#!/usr/bin/env bash
# Data-driven diff cases: tests/data/diff/NAME/{base,edited,expected}.json
# (+ optional `args` with flags such as --mode none or --generic). The
# output of `ticketed diff` must equal expected.json byte for byte, and
# applying it to base with `ticketed apply` must give edited (except where a
# reference was changed through a whole picked object: only its key is sent).
. "$(dirname "$0")/../lib.sh"
dir=$TOP/tests/data/diff
n=0
for c in "$dir"/*/; do
  c=${c%/}; name=$(basename "$c")
  args=(); [ -f "$c/args" ] && read -r -a args <"$c/args"
  out=$("$TICKETED" diff "${args[@]}" "$c/base.json" "$c/edited.json" 2>"$T_TMP/err"); rc=$?
  exp=$(cat "$c/expected.json")
  if [ $rc -eq 0 ] && [ "$out" = "$exp" ]; then ok "diff $name"; else
    not_ok "diff $name (rc=$rc)"; printf '#   expected: %s\n#   actual:   %s\n' "$exp" "$out"; sed 's/^/#   /' "$T_TMP/err"; fi
  n=$((n + 1))
  # Round trip: apply(base, patch) == edited (structurally).
  case $name in ref-*|readonly-*|case-*|rights-*) continue ;; esac  # by design not equal
  printf '%s\n' "$out" >"$T_TMP/p.json"
  "$TICKETED" apply "$c/base.json" "$T_TMP/p.json" >"$T_TMP/applied.json" 2>"$T_TMP/err"
  "$TICKETED" diff --generic --mode none "$T_TMP/applied.json" "$c/edited.json" >"$T_TMP/rest.json" 2>>"$T_TMP/err"
  check_eq "apply(base, diff) == edited: $name" "[]" "$(cat "$T_TMP/rest.json")"
done
show "$n diff cases"
# Warnings for read-only / unknown fields go to stderr, never into the patch.
"$TICKETED" diff "$dir/readonly-ignored/base.json" "$dir/readonly-ignored/edited.json" 2>"$T_TMP/warn" >/dev/null
check "read-only change warned about" grep -q 'read-only field TicketId' "$T_TMP/warn"
check "unknown field change warned about" grep -q 'unknown field UnknownThing' "$T_TMP/warn"
