#!/usr/bin/python3
"""memscan.py PID TEXT: print how many times TEXT occurs in PID's writable
memory (heap, stack, anonymous maps), then where. Needs /proc/PID/mem
(the same user with ptrace allowed, or root). Exit 2 if the kernel does not
allow reading it (EPERM/EACCES: ptrace restrictions), 3 on any other error,
with the reason on stderr."""
import errno, re, sys
pid, needle = int(sys.argv[1]), sys.argv[2].encode()
hits = []
try:
    maps, mem = open("/proc/%d/maps" % pid), open("/proc/%d/mem" % pid, "rb", 0)
except OSError as e:
    sys.stderr.write("memscan: /proc/%d/mem: %s\n" % (pid, e.strerror))
    sys.exit(2 if e.errno in (errno.EPERM, errno.EACCES) else 3)
with maps, mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)", line)
        a, b, perm, name = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)
        if "r" not in perm or "w" not in perm or name.startswith("[v") or b - a > 1 << 30:
            continue  # (over 1 GiB: a sanitizer's shadow memory)
        try:
            mem.seek(a); data = mem.read(b - a)
        except (OSError, OverflowError, ValueError, MemoryError):
            continue
        i = data.find(needle)
        while i >= 0:
            hits.append("%s+%#x" % (name or "anon", i)); i = data.find(needle, i + 1)
print(len(hits), " ".join(hits[:10]))
