#!/usr/bin/env bash
# Property test of `ticketed apply` on long arrays: random documents with
# arrays of 0..300 elements (nested ones too) and random op sequences of up
# to 400 ops (add/remove/replace/test/move/copy at random positions, "-"
# appends) built and applied step by step by python3-jsonpatch; the whole
# patch through `ticketed apply` must give the same document. Half of the
# cases end with a failing test op: exit 2, nothing on stdout, the op named.
# Replay a run with CORE_PROP_SEED=N.
. "$(dirname "$0")/../lib.sh"
seed=$(prop_seed CORE_PROP_SEED)
cases=${CORE_APPLY_CASES:-40}
show "seed $seed (replay: CORE_PROP_SEED=$seed)"
tap_from /usr/bin/python3 - "$seed" "$cases" "$T_TMP" "$TICKETED" <<'PYEOF'
import json, random, subprocess, sys, copy
import jsonpatch
seed, cases, tmp, ticketed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(seed)

def value(depth=0):
    k = rnd.randrange(6 if depth < 2 else 4)
    if k == 0: return rnd.randrange(-5, 1000)
    if k == 1: return "s%d" % rnd.randrange(100)
    if k == 2: return None
    if k == 3: return rnd.random() < 0.5
    if k == 4: return [value(depth + 1) for _ in range(rnd.randrange(4))]
    return {"k%d" % i: value(depth + 1) for i in range(rnd.randrange(3))}

def arrays(doc, path=""):
    """Every array in DOC with its pointer."""
    out = []
    if isinstance(doc, list):
        out.append((path, doc))
        for i, v in enumerate(doc):
            out += arrays(v, "%s/%d" % (path, i))
    elif isinstance(doc, dict):
        for k, v in doc.items():
            out += arrays(v, "%s/%s" % (path, k))
    return out

def random_op(doc):
    arrs = arrays(doc)
    path, arr = rnd.choice(arrs)
    n = len(arr)
    kind = rnd.choice(["add", "add", "remove", "replace", "replace", "test", "move", "copy"])
    if n == 0 or kind == "add":
        i = rnd.randrange(n + 1)
        return {"op": "add", "path": "%s/%s" % (path, "-" if i == n and rnd.random() < 0.5 else i), "value": value(1)}
    i = rnd.randrange(n)
    if kind == "remove":
        return {"op": "remove", "path": "%s/%d" % (path, i)}
    if kind == "replace":
        return {"op": "replace", "path": "%s/%d" % (path, i), "value": value(1)}
    if kind == "test":
        return {"op": "test", "path": "%s/%d" % (path, i), "value": copy.deepcopy(arr[i])}
    j = rnd.randrange(n if kind == "move" else n + 1)
    op = {"op": kind, "from": "%s/%d" % (path, i), "path": "%s/%d" % (path, j)}
    return op

failed = 0
for c in range(cases):
    doc = {"x": 1, "big": [value() for _ in range(rnd.randrange(300))],
           "nested": [[value() for _ in range(rnd.randrange(40))] for _ in range(rnd.randrange(1, 5))],
           "small": [value() for _ in range(rnd.randrange(5))]}
    base = copy.deepcopy(doc)
    ops = []
    for _ in range(rnd.randrange(1, 400)):
        op = random_op(doc)
        try:
            doc = jsonpatch.apply_patch(doc, [op])
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
            continue  # e.g. moving a value into itself: not part of the patch
        ops.append(op)
    bad = c % 2 == 1
    if bad:
        ops.append({"op": "test", "path": "/x", "value": 2})
    json.dump(base, open(tmp + "/doc.json", "w"))
    json.dump(ops, open(tmp + "/patch.json", "w"))
    r = subprocess.run([ticketed, "apply", tmp + "/doc.json", tmp + "/patch.json"], capture_output=True, text=True)
    what = "case %d (%d ops on arrays of %d..%d)" % (c, len(ops), min(len(a) for _, a in arrays(base)), max(len(a) for _, a in arrays(base)))
    if bad:
        good = r.returncode == 2 and r.stdout == "" and ("op %d (test /x)" % (len(ops) - 1)) in r.stderr
    else:
        good = r.returncode == 0 and json.loads(r.stdout) == doc
    if not good:
        failed += 1
        print("not ok - %s: status %d, stderr %s" % (what, r.returncode, r.stderr.strip()[:300]))
        json.dump({"doc": base, "patch": ops}, open(tmp + "/failed-case.json", "w"))
print(("ok" if failed == 0 else "not ok") + " - ticketed apply == python3-jsonpatch on %d random long-array patches (%d failing on purpose)" % (cases, cases // 2))
sys.exit(1 if failed else 0)
PYEOF
