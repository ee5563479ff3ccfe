#!/usr/bin/python3
"""A crash: the editor killed without a chance to react —
SIGKILL, or SIGSEGV/SIGABRT as a crash would raise — right after an edit
(replay fed through a FIFO, the editor idle waiting for the next key).
Every edit is journaled as it is made, so the next open offers the draft,
restores the edits and saves them exactly once."""
import os
import shutil
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultenv  # noqa: E402

faultenv.setup("ticketed-crash.")
# An ASan build must die of the signal like any other (not report it).
os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "handle_segv=0", "handle_abort=0"]))
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
