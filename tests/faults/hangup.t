#!/usr/bin/python3
# parts: --list-parts
"""A dropped line (SIGHUP) in a headless editor (replay fed through a FIFO,
the signal sent while it waits for the next key): mid-edit, with edits of
every kind and a value still being typed, and mid-save, with the PATCH in
flight. The next open restores every edit (and finds an edit the server
already applied already there); the save then lands exactly once."""
import os
import shutil
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultenv  # noqa: E402

faultenv.setup("ticketed-hangup.")
import faultrun as F  # noqa: E402

F.parts_from_argv()

EDITS = """:expect screen "Loaded ticket 900"
/Title<Enter>
<Enter><C-u>Hung up<Enter>
/x_site<Enter>
<Enter><C-u>Sandviken<Enter>
/x_affected_users<Enter>
<Enter><BS><BS>41<Enter>
/x_onsite_visit<Enter>
<Space>
/Owner<Enter>
<Enter>(5)<Enter>
:expect field OwnedBy "Bjørn Ødegård (5)"
/Security level<Enter>
<Enter>Int<Enter>
:expect modified 6
/Alert level<Enter>
<Enter><BS>7"""
RESTORE = """:expect screen "Unsaved draft"
r
:expect field Title "Hung up"
:expect field CustomFields/x_site "Sandviken"
:expect field CustomFields/x_affected_users "41"
:expect field CustomFields/x_onsite_visit "yes"
:expect field OwnedBy "Bjørn Ødegård (5)"
:expect field AlertLevel "7"
:expect modified 7
s
:expect status 200
:expect screen "Saved"
:expect modified 0
q"""


def server_has_all(td):
    want = {"Title": '"Hung up"', "CustomFields/x_site": '"Sandviken"',
            "CustomFields/x_affected_users": '"[I:41]"', "CustomFields/x_onsite_visit": '"[I:1]"',
            "OwnedBy/AssociateId": "5", "Slevel": '"Internal"', "AlertLevel": "7"}
    return [("server has %s = %s" % (k, v), F.server_value(td, k) == v) for k, v in want.items()]


try:
    F.run("hangup_mid_edit", [("keys", EDITS), ("signal", signal.SIGHUP)], want_exit=3,
          stderr_has="7 unsaved edits kept as a draft", reopen=RESTORE, value="Hung up",
          extra=server_has_all)
    # SIGHUP with the save in flight (ticketd answers after 3 s): the edit
    # is kept in the draft whether or not the server applies it; the next
    # open finds it already there (or restores it) and it is saved once.
    F.run("hangup_mid_save", [F.edit("hangup_mid_save"), ("restart", ["--latency-ms", "3000"]),
                              ("nowait", "s"), ("wait_sent", "PATCH"), ("signal", signal.SIGHUP)],
          want_exit=3, stderr_has="kept as a draft",
          reopen=':expect screen "Unsaved draft"\nr\ns\n:expect modified 0\nq')
    for sig in (signal.SIGTERM, signal.SIGINT):
        name = "signal_%d" % sig
        F.run(name, [F.edit(name), ("signal", sig)], want_exit=3, stderr_has="1 unsaved edit kept as a draft",
              reopen=':expect screen "Unsaved draft"\nr\n:expect field Title "Fault %s"\ns\n:expect screen "Saved"\nq'
              % name)
finally:
    shutil.rmtree(os.environ["T_TMP"], ignore_errors=True)
F.parts_done()
print("1..%d" % F.N[0])
