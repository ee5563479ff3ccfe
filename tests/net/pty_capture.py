#!/usr/bin/python3
"""pty_capture.py [--from TEXT] COMMAND [ARGS...] — run COMMAND on a
pseudo-terminal and print what a terminal would have been handed (CR LF as
LF), from the first TEXT on when --from is given (nothing if it never
comes). Reads until the command closes the terminal or 20 s pass; exits
with the command's status (99 if it did not exit normally)."""
import os
import pty
import select
import sys
import time

args = sys.argv[1:]
start = None
if args[:1] == ["--from"]:
    start, args = args[1].encode(), args[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(args[0], args)
out, deadline = b"", time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, st = os.waitpid(pid, 0)
if start is not None:
    at = out.find(start)
    out = out[at:] if at >= 0 else b""
sys.stdout.buffer.write(out.replace(b"\r\n", b"\n"))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 99)
