#!/usr/bin/python3
"""A crash (issue 7): the editor killed without a chance to react —
SIGKILL, or SIGSEGV/SIGABRT as a crash would raise — right after an edit
(replay fed through a FIFO, the editor idle waiting for the next key).
Every edit is journaled as it is made, so the next open offers the draft,
restores the edits and saves them exactly once."""
import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
os.environ.setdefault("TOP", TOP)
BUILD = os.path.join(TOP, os.environ.get("BUILD", "build"))
os.environ.setdefault("TICKETED", os.path.join(BUILD, "bin/ticketed"))
os.environ.setdefault("TICKETD", os.path.join(BUILD, "bin/ticketd"))
os.environ["T_TMP"] = tempfile.mkdtemp(prefix="ticketed-crash.")
os.environ.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC")
# An ASan build must die of the signal like any other (not report it).
os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "handle_segv=0", "handle_abort=0"]))
for v in ("TICKETED_URL", "TICKETED_USER", "TICKETED_PASSWORD", "TICKETED_TOKEN", "NO_COLOR"):
    os.environ.pop(v, None)

import faultrun as F  # noqa: E402

EDITS = """:expect screen "Loaded ticket 900"
/Title<Enter>
<Enter><C-u>Fault {name}<Enter>
/x_site<Enter>
<Enter><C-u>Crashed here<Enter>
:expect modified 2"""
RESTORE = """:expect screen "Unsaved draft"
r
:expect field Title "Fault {name}"
:expect field CustomFields/x_site "Crashed here"
:expect modified 2
s
:expect screen "Saved"
:expect modified 0
q"""

try:
    for sig in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
        name = "crash_" + signal.Signals(sig).name
        F.run(name, [("keys", EDITS.format(name=name)), ("signal", sig)], want_exit=-sig,
              reopen=RESTORE.format(name=name),
              extra=lambda td: [("the custom field was saved too",
                                 F.server_value(td, "CustomFields/x_site") == '"Crashed here"')])
finally:
    shutil.rmtree(os.environ["T_TMP"], ignore_errors=True)
print("1..%d" % F.N[0])
