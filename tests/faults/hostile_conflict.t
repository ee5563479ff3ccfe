#!/usr/bin/python3
"""Hostile re-reads on the conflict path: a fake service loads
ticket 900 normally, answers the first save with 409, then serves a hostile
"theirs": wrong types for every edited field, nulls, a ticket without the
fields, tags with bad elements, terminal escapes and bidi controls, a cut
body, an array, another ticket's id (refused: unreadable). The editor (four edits: a string, a
reference, a tag, a custom key) either shows the conflict screen, where m
(which moves on to the next open conflict) on every conflict and s resubmit one PATCH that still carries every edit, or,
when theirs is unreadable, says nothing was saved and keeps the edits.
Never a crash, never a raw control byte on the output or the screen."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_server import N, TICKET_900, Fake, environment, run_replay, serve, tap  # noqa: E402

TMP, ENV = environment("ticketed-hostile-conflict.")

BASE = json.load(open(TICKET_900))
ST = {"gets": 0, "theirs": b"", "patches": []}


class Handler(Fake):
    def do_GET(self):
        if "/MDOList/" in self.path:
            return self.reply(b'[{"Id":5,"Name":"five"},{"Id":7,"Name":"seven"}]')
        ST["gets"] += 1
        self.reply(json.dumps(BASE).encode() if ST["gets"] == 1 else ST["theirs"])

    def do_PATCH(self):
        ST["patches"].append(self.request_text())
        if len(ST["patches"]) == 1:
            return self.reply(b'{"Error":true,"ErrorType":"JsonPatchTestFailed",'
                              b'"ErrorMessage":"test failed at /Title"}', status=409)
        self.reply(json.dumps(BASE).encode())


def t(**c):
    d = dict(BASE)
    d.update(c)
    return json.dumps(d).encode()


EVIL = "\x1b[2J\x07evil\u202e\r\nx"
CASES = [  # name, theirs, readable
    ("wrong types", t(Title=5, Tags={"a": 1}, CustomFields=[1, 2], OwnedBy="me", AlertLevel="x"), True),
    ("nulls", t(Title=None, Tags=None, CustomFields=None, OwnedBy=None), True),
    ("no fields at all", json.dumps({"TicketId": 900}).encode(), True),
    ("tags with bad elements", t(Tags=[1, "x", None, {"Id": "7"}, {"Name": "noid"}, {"Id": 7}],
                                 CustomFields={"x_site": {"deep": [1]}}), True),
    ("escapes and bidi", t(Title=EVIL, CustomFields={"x_site": EVIL}, OwnedBy={"AssociateId": 5, "FullName": EVIL}),
     True),
    # an answer for another ticket is refused by the client: never "theirs"
    ("another ticket's id", t(TicketId=901, Title="other"), False),
    ("a cut body", b'{"TicketId":900,"Title":', False),
    ("an array", b"[1,2,3]", False),
]

REPLAY = """/Title<Enter>
<Enter><C-u>Mine<Enter>
/Owner<Enter>
<Enter>7<Enter>
/Tags<Enter>
a
5<Enter>
<Esc>
/x_site<Enter>
<Enter><C-u>My site<Enter>
s
:dump {dump}
m
m
m
m
s
q
d
"""


# When theirs is unreadable the editor stays on the form, where m opens the
# conversation: those cases go on without the conflict screen's keys.
UNREADABLE = REPLAY.replace("m\nm\nm\nm\n", "")


def main():
    srv, url = serve(Handler)
    for i, (name, theirs, readable) in enumerate(CASES):
        ST.update(gets=0, theirs=theirs, patches=[])
        r, dump = run_replay(url, TMP, ENV, i, REPLAY if readable else UNREADABLE)
        if r is None:
            tap(False, "%s: finished in time" % name)
            continue
        err = r.stderr.decode("utf-8", "replace")
        screen = open(dump, encoding="utf-8", errors="replace").read() if os.path.exists(dump) else ""
        tap(r.returncode == 0, "%s: exit 0 (got %d)" % (name, r.returncode), err)
        raw = r.stdout + r.stderr + screen.encode()
        tap(not any(c in raw for c in (b"\x1b", b"\x07", b"\r", "\u202e".encode())),
            "%s: no raw control byte or bidi override on the output or screen" % name)
        if readable:
            tap("Conflicts in ticket 900 (HTTP 409)" in screen, "%s: the conflict screen" % name, screen)
            last = ST["patches"][-1] if len(ST["patches"]) == 2 else ""
            tap(all(s in last for s in ('"Mine"', '"My site"', '{"Id":5}', '7}')),
                "%s: m on every conflict, s: one resubmit carrying all four edits" % name,
                "\n".join(ST["patches"]) + "\n" + err)
        else:
            tap("Conflict (HTTP 409): nothing saved, edits kept" in screen,
                "%s: the status line says nothing was saved, edits kept" % name, screen)
    srv.shutdown()
    subprocess.run(["rm", "-rf", TMP])
    print("# show: %d hostile re-reads after a 409" % len(CASES))


main()
print("1..%d" % N[0])
