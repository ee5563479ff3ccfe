#!/usr/bin/env bash
# tests/run's verdicts, on a fake tree of small tests with known output: a
# skip is counted as skipped, not passed, and under CI=true fails unless its
# reason carries [ci-ok]; a test without a plan, or with fewer results than
# planned (a cmocka binary that aborts after test 2 of 3), or with a stray
# "ok" line fails; parts run as jobs of their own and are reported on one
# line; the output keeps the list order whatever order the jobs finish in.
. "$(dirname "$0")/../lib.sh"
F=$T_TMP/tree
mkdir -p "$F/tests/a" "$F/build/tests" "$F/build/bin"
cp "$TOP/tests/run" "$TOP/tests/tap.awk" "$TOP/tests/lib.sh" "$F/tests/"
mk() {  # PATH — an executable script from stdin
  cat >"$F/$1"; chmod +x "$F/$1"
}
# "cmocka" binaries (the runner runs $BUILD/tests/test_*)
mk build/tests/test_aborts <<'S'
#!/bin/sh
printf '1..3\nok 1 - one\nok 2 - two\n'; kill -ABRT $$
S
mk build/tests/test_fine <<'S'
#!/bin/sh
printf '1..2\nok 1 - one\nok 2 - two\n# ok - tests\n'
S
mk tests/a/skips.t <<'S'
#!/usr/bin/env bash
. "$TOP/tests/lib.sh"
ok "runs"
skip "needs a thing" "the thing is not installed"
skip_ci_ok "valgrind" "sanitizer build"
S
mk tests/a/noplan.t <<'S'
#!/bin/sh
echo "ok 1 - fine"
S
mk tests/a/stray.t <<'S'
#!/usr/bin/env bash
. "$TOP/tests/lib.sh"
ok "first"
echo "ok"
echo "ok 7 - a tool's line"
ok "second"
S
mk tests/a/early.t <<'S'
#!/usr/bin/env bash
. "$TOP/tests/lib.sh"
ok "first"
exit 3
S
mk tests/a/slowfirst.t <<'S'
#!/usr/bin/env bash
. "$TOP/tests/lib.sh"
# finishes after zfast.t has started and finished
for _ in $(seq 1 200); do [ -e "$T_DONE" ] && break; nap 0.05; done
check "zfast finished first" test -e "$T_DONE"
S
mk tests/a/zfast.t <<'S'
#!/usr/bin/env bash
. "$TOP/tests/lib.sh"
ok "fast"; touch "$T_DONE"
S
mk tests/a/split.t <<'S'
#!/usr/bin/env bash
# parts: --list-parts
. "$TOP/tests/lib.sh"
parts_of "${1:-}" one two three
for p in "${PARTS[@]}"; do ok "part $p (pid $$)"; done
S
runit() {  # ARGS... — the fake tree's runner; output in $T_TMP/out
  (cd "$F" && env -u CI T_DONE=$T_TMP/done BUILD=build "$@" tests/run -j 3) >"$T_TMP/out" 2>&1
}
line() { grep -E "^$1 " "$T_TMP/out"; }
runit; rc=$?
sed 's/^/#   | /' "$T_TMP/out"
check_eq "failures make the runner fail" 1 "$rc"
check "the last line: N passed, N failed, N skipped" \
  bash -c "tail -1 '$T_TMP/out' | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'"
check "a skip is counted as skipped, not passed" bash -c "line() { grep -E \"^\$1 \" '$T_TMP/out'; }; line a/skips | grep -q ' 1 passed   0 failed   2 skipped'"
check "a binary that aborts after test 2 of 3 fails" bash -c "grep -E '^unit/test_aborts ' '$T_TMP/out' | grep -q ' [1-9] failed'"
check "... saying the plan was not met" grep -q 'planned 3 results, got 2' "$T_TMP/out"
check "a complete cmocka binary passes" bash -c "grep -E '^unit/test_fine ' '$T_TMP/out' | grep -q ' 2 passed   0 failed'"
check "a test without a plan fails" bash -c "grep -E '^a/noplan ' '$T_TMP/out' | grep -q ' 1 failed'"
check "stray ok lines are not passes, and fail the test" bash -c "grep -E '^a/stray ' '$T_TMP/out' | grep -q ' 2 passed   1 failed'"
check "... naming the line" grep -q "not a result in sequence (expected ok 2): ok 7 - a tool's line" "$T_TMP/out"
check "a test that exits non-zero fails" bash -c "grep -E '^a/early ' '$T_TMP/out' | grep -q ' 1 passed   1 failed'"
check "parts: one line for the script, every part run" bash -c "grep -E '^a/split \(3 parts\) ' '$T_TMP/out' | grep -q ' 3 passed   0 failed'"
check "jobs run in parallel (a slow test saw a later one finish)" bash -c "grep -E '^a/slowfirst ' '$T_TMP/out' | grep -q ' 1 passed   0 failed'"
check_eq "the output keeps the list order" "a/early a/noplan a/skips a/slowfirst a/split a/stray a/zfast" \
  "$(grep -o '^a/[a-z]*' "$T_TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check "the wall time is printed" grep -Eq '^wall time: [0-9]+m[0-9]{2}s with 3 jobs' "$T_TMP/out"
check "totals: 14 passed, 4 failed, 2 skipped" grep -qx '14 passed, 4 failed, 2 skipped' "$T_TMP/out"

# Under CI=true a skip without [ci-ok] is a failure; one with it is a skip.
(cd "$F" && CI=true BUILD=build tests/run -j 3 a/skips) >"$T_TMP/ci" 2>&1
sed 's/^/#   ci| /' "$T_TMP/ci"
check "CI=true: the unmarked skip fails, the [ci-ok] one stays a skip" \
  bash -c "grep -E '^a/skips ' '$T_TMP/ci' | grep -q ' 1 passed   1 failed   1 skipped'"
check "... saying why" grep -q 'failed: skipped under CI=true without \[ci-ok\]: *the thing is not installed' "$T_TMP/ci"
