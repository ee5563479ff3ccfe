# tests/tap.awk — reads one test's output (TAP) and prints its tally for
# tests/run: first the line "PASSED FAILED SKIPPED RESULTS PROBLEMS", then
# one line per problem. The rules:
#  - a result is "ok N" or "not ok N" at column 0, N the next number in
#    sequence (1, 2, 3, ...); a line that starts with ok/not ok but is not
#    the next numbered result (a tool's stray "ok", a duplicate, a gap) is a
#    problem, never a pass;
#  - "ok N - ... # SKIP REASON" is skipped, not passed ("not ok ... # SKIP"
#    is a failure); under CI=true a skip is a failure unless REASON carries
#    the marker [ci-ok] (see tests/lib.sh: skip, skip_ci_ok);
#  - exactly one plan "1..N", before the first result or after the last;
#    "1..0 # SKIP REASON" skips the whole test (counted as one skip); a
#    missing plan, or a count that differs from the plan, is a problem;
#  - "Bail out!" is a failure.
function problem(msg) { nprob++; msgs[++nmsg] = "problem: " msg }
function skipped(reason) {
	if (ci && reason !~ /\[ci-ok\]/) {
		failed++
		msgs[++nmsg] = "failed: skipped under CI=true without [ci-ok]:" reason
	} else
		skips++
}
BEGIN { ci = ENVIRON["CI"] == "true"; plan = -1; n = 0 }
/^1\.\.[0-9]+/ {
	if (plan >= 0) { problem("a second plan line: " $0); next }
	plan = substr($0, 4) + 0
	if (n > 0) plan_at_end = 1
	if (plan == 0 && match($0, /#[ \t]*[Ss][Kk][Ii][Pp]/)) {
		whole_skip = 1
		skip_reason = substr($0, RSTART + RLENGTH)
	}
	next
}
/^(not )?ok([ \t]|$)/ {
	notok = /^not /
	rest = substr($0, notok ? 8 : 4)
	num = match(rest, /^[0-9]+/) ? substr(rest, 1, RLENGTH) + 0 : -1
	if (num != n + 1 || plan_at_end) {
		problem("not a result in sequence (expected " (plan_at_end ? "none after the plan" : "ok " n + 1) "): " $0)
		next
	}
	n++
	desc = substr(rest, RLENGTH + 1)
	if (match(desc, /#[ \t]*[Ss][Kk][Ii][Pp]([ \t]|$)/)) {
		if (notok)
			failed++
		else
			skipped(substr(desc, RSTART + RLENGTH))
	} else if (notok)
		failed++
	else
		passed++
	next
}
/^Bail out!/ { failed++; problem($0) }
END {
	if (plan < 0)
		problem("no plan line (1..N): the test ended early or printed none")
	else if (plan == 0 && whole_skip && n == 0)
		skipped(skip_reason)
	else if (plan != n)
		problem("planned " plan " results, got " n)
	print passed + 0, failed + 0, skips + 0, n, nprob + 0
	for (i = 1; i <= nmsg; i++)
		print msgs[i]
}
