"""Verifies diff property cases written by tests/tools/core_gen (JSON lines)
with an independent JSON Patch implementation (Debian's python3-jsonpatch).

Per case (ticket diffs, and generic diffs of random documents):
apply(base, patch) == edited; tests first; in fields mode every
replace/remove is guarded by a test of the base value at that path (or, for
a removed set element or a cleared reference, at its key member); none mode
has no tests; no op touches a field (or custom field key) that did not change.
Usage: core_verify.py CASES.jsonl [MIN_CASES]   (TAP lines on stdout; fewer
than MIN_CASES cases in the file is a failure too)
"""
import json, os, sys
import jsonpatch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from jsonsame import same  # noqa: E402


MISSING = object()


def tokens(path):
    return [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]


def resolve(doc, path):
    for t in tokens(path):
        if isinstance(doc, dict):
            if t not in doc:
                return MISSING
            doc = doc[t]
        elif isinstance(doc, list):
            if not t.isdigit() or int(t) >= len(doc):
                return MISSING
            doc = doc[int(t)]
        else:
            return MISSING
    return doc


def check(case):
    base, edited, patch, mode = case["base"], case["edited"], case["patch"], case["mode"]
    try:
        got = jsonpatch.apply_patch(base, patch)
    except Exception as e:
        return "python3-jsonpatch refused the patch: %s" % e
    if not same(got, edited):
        return "apply(base, diff) != edited"
    tests = [op for op in patch if op["op"] == "test"]
    muts = [op for op in patch if op["op"] != "test"]
    if patch[:len(tests)] != tests:
        return "a test comes after a mutation"
    if mode in ("none", "generic-none") and tests:
        return "none mode sent a test"
    for t in tests:
        if not same(resolve(base, t["path"]), t["value"]):
            return "test value is not the base value at %s" % t["path"]
    if mode.startswith("generic"):
        # generic diff: tests use base indices, ops the shifted ones; one test per replace/remove
        guarded = sum(op["op"] in ("replace", "remove") for op in muts)
        want = 0 if mode == "generic-none" else guarded
        return None if len(tests) == want else "%d tests for %d replace/remove ops" % (len(tests), guarded)
    for op in muts:
        if mode == "fields" and op["op"] in ("replace", "remove"):
            p = op["path"]
            if not any(t["path"] == p or t["path"].startswith(p + "/") for t in tests):
                return "unguarded %s %s" % (op["op"], p)
        tok = tokens(op["path"])
        field = tok[0]
        if same(base.get(field, MISSING), edited.get(field, MISSING)):
            return "op on unchanged field %s" % field
        if field == "CustomFields" and len(tok) > 1 and isinstance(base.get(field), dict) \
                and isinstance(edited.get(field), dict):
            k = tok[1]
            if same(base[field].get(k, MISSING), edited[field].get(k, MISSING)):
                return "op on unchanged custom field %r" % k
    return None


n = bad = ops = 0
for line in open(sys.argv[1], encoding="utf-8"):
    case = json.loads(line)
    n += 1
    ops += len(case["patch"])
    why = check(case)
    if why:
        bad += 1
        if bad <= 10:
            print("not ok %d - case %d: %s" % (bad + 1, n - 1, why))
            print("#   " + line[:1500].rstrip())
print("# show: python3-jsonpatch verified %d cases (%d ops), %d failed" % (n, ops, bad))
want = int(sys.argv[2]) if len(sys.argv) > 2 else 1
if n < want:
    bad += 1
    print("not ok %d - only %d cases to verify, expected at least %d" % (bad + 1, n, want))
if not bad:
    print("ok 2 - python3-jsonpatch: apply(base, diff) == edited; guards; no op on unchanged fields (%d cases)" % n)
