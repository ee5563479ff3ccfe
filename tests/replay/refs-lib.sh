# Helpers for the refs_*.check scripts, sourced after check-lib.sh.
# expect_no_ref_names — no captured PATCH body carries a Name, FullName,
#   Fullname, Tooltip or ToolTip member anywhere in an op's value (references
#   and set elements are sent by their key member only).
# expect_patch_n N    — exactly N PATCH requests were sent.
expect_no_ref_names() {
  grep '^PATCH ' "$CAP" | cut -d' ' -f3- | /usr/bin/python3 -c '
import json, sys
bad = {"name", "fullname", "tooltip"}
def walk(v, where):
    if isinstance(v, dict):
        for k, x in v.items():
            if k.lower() in bad:
                sys.exit("PATCH sends %s in %s" % (k, where))
            walk(x, where)
    elif isinstance(v, list):
        for x in v:
            walk(x, where)
for line in sys.stdin:
    body = json.loads(line)
    ops = body if isinstance(body, list) else [body]
    for op in ops:
        if isinstance(op, dict) and "value" in op:
            walk(op["value"], op.get("path", "?"))
' || exit 1
}
expect_patch_n() {
  local n
  n=$(grep -c '^PATCH ' "$CAP")
  if [ "$n" != "$1" ]; then echo "expected $1 PATCH requests, found $n"; exit 1; fi
}
