"""Write a JSON Patch of N positional ops on a ticket's Messages array
(benchmarks of `ticketed apply`).

Usage: core_patchops.py N DOC.json PATCH.json
Ops at random positions of the array as it is when the op runs: 40% replace
of a message's Body, 20% test of a message's Slevel, 20% add of a new
message, 20% remove. Seeded, so every run writes the same patch.
"""
import json, random, sys

n, doc_path, out_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
doc = json.load(open(doc_path))
rnd = random.Random(7)
size = len(doc["Messages"])
ops = []
while len(ops) < n:
    k, i = rnd.randrange(10), rnd.randrange(size)
    if k < 4:
        ops.append({"op": "replace", "path": "/Messages/%d/Body" % i, "value": "edited %d" % len(ops)})
    elif k < 6:
        ops.append({"op": "test", "path": "/Messages/%d/Slevel" % i, "value": "External"})
    elif k < 8:
        ops.append({"op": "add", "path": "/Messages/%d" % i,
                    "value": {"TicketMessageId": 900000 + len(ops), "Slevel": "External", "Body": "new"}})
        size += 1
    else:
        ops.append({"op": "remove", "path": "/Messages/%d" % i})
        size -= 1
json.dump(ops, open(out_path, "w"), separators=(",", ":"))
