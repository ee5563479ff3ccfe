"""Conformance driver for tests/conformance/core_json_patch.t (TAP output).

Usage: core_driver.py SUITE_DIR TICKETED TMPDIR
"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from jsonsame import same  # noqa: E402

suite, ticketed, tmp = sys.argv[1:4]


def cases():
    for name in ("tests.json", "spec_tests.json", "cjson-utils-tests.json"):
        for i, c in enumerate(json.load(open(os.path.join(suite, name)))):
            yield name, i, c.get("comment", ""), c, bool(c.get("merge"))
    for i, c in enumerate(json.load(open(os.path.join(suite, "rfc7396-section1-3-examples.idubrov.json")))):
        yield "rfc7396-section1-3", i, c.get("comment", ""), c, True
    n = 0
    for g in json.load(open(os.path.join(suite, "rfc7396-test-cases.jsoncons.json"))):
        for c in g["cases"]:
            yield "rfc7396-appendix-a", n, g.get("source", ""), {"doc": g["given"], "patch": c["patch"], "expected": c["result"]}, True
            n += 1


def run_ours(c, merge):
    dp, pp = os.path.join(tmp, "doc.json"), os.path.join(tmp, "patch.json")
    with open(dp, "w") as f:
        json.dump(c["doc"], f)
    with open(pp, "w") as f:
        json.dump(c["patch"], f)
    args = [ticketed, "apply"] + (["--merge"] if merge else []) + [dp, pp]
    return subprocess.run(args, capture_output=True, text=True, timeout=20)


def run_python(c, merge):
    import jsonpatch
    if merge:
        return None  # python-json-patch has no merge patch
    try:
        return ("ok", jsonpatch.apply_patch(c["doc"], c["patch"]))
    except Exception as e:  # any exception is "an error"
        return ("error", str(e))


n = 0
counts = dict(passed=0, failed=0, skipped=0, py_run=0, py_failed=0)
py_failures = []
for src, i, comment, c, merge in cases():
    label = "%s #%d %s" % (src, i, comment[:60])
    if c.get("disabled"):
        counts["skipped"] += 1
        continue
    expect_error = "error" in c and "expected" not in c
    r = run_ours(c, merge)
    n += 1
    if expect_error:
        good = r.returncode == 2 and r.stdout == "" and r.stderr.strip() != ""
        why = "expected an error (%s); rc=%d stdout=%r" % (c["error"], r.returncode, r.stdout[:200])
    else:
        exp = c.get("expected", c["doc"])
        try:
            got = json.loads(r.stdout) if r.returncode == 0 else None
            good = r.returncode == 0 and same(got, exp)
        except ValueError:
            good = False
        why = "rc=%d stdout=%r stderr=%r expected=%s" % (r.returncode, r.stdout[:200], r.stderr[:200], json.dumps(exp)[:200])
    if good:
        counts["passed"] += 1
        print("ok %d - %s" % (n, label))
    else:
        counts["failed"] += 1
        print("not ok %d - %s" % (n, label))
        print("#   " + why)
    pr = run_python(c, merge)
    if pr is not None:
        counts["py_run"] += 1
        if expect_error:
            pgood = pr[0] == "error"
        else:
            pgood = pr[0] == "ok" and same(pr[1], c.get("expected", c["doc"]))
        if not pgood:
            counts["py_failed"] += 1
            py_failures.append(label)

print("# show: ticketed apply: %(passed)d passed, %(failed)d failed, %(skipped)d disabled cases skipped" % counts)
print("# show: python3-jsonpatch on the same cases: fails %d of the %d JSON Patch cases (merge-patch cases not run: it has none)" % (counts["py_failed"], counts["py_run"]))
for l in py_failures:
    print("#   python3-jsonpatch fails: " + l)
sys.exit(0)
