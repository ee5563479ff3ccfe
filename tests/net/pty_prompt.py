#!/usr/bin/python3
"""Run ARGV on a new pseudo-terminal, wait for a prompt containing PROMPT,
type ANSWER + Enter, and print everything the program wrote to the terminal.
Exits with the program's status. Bounded: 10 s overall.
Usage: pty_prompt.py PROMPT ANSWER ARGV..."""
import os, pty, select, sys, time

prompt, answer, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, sent, end = b"", False, time.time() + 10
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    if not sent and prompt in out:
        # the program turns echo off before it writes the prompt
        os.write(fd, answer + b"\r")
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
