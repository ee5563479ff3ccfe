#!/usr/bin/python3
"""A dropped line (SIGHUP) while an internal note is unposted, in a headless
editor whose replay comes through a FIFO (the signal is sent while it waits
for the next key):
  - mid-writing: the note is in the draft (exit 3, stderr says so); the next
    open restores it, n shows it, C-s posts it: on the server once, the
    draft gone;
  - mid-POST (ticketd answers after 3 s, so the POST is in flight; ticketd
    still applies it): the draft keeps the note marked as maybe posted; the
    next open's C-s looks at the message list first, finds it there by its
    MessageId and sends nothing again: on the server once."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultenv  # noqa: E402

faultenv.setup("ticketed-note-hangup.")
import faultrun as F  # noqa: E402

TEXT = "Typed before the line dropped.\nSecond line of the note."


def posts(td):
    """(applied, total) POST TicketMessage over every run of ticketd."""
    applied = total = 0
    for log in td.logs:
        if not os.path.exists(log):
            continue
        for line in open(log, errors="replace"):
            f = line.split()
            if len(f) >= 4 and f[1] == "POST" and f[2] == "/api/v1/TicketMessage":
                total += 1
                applied += f[3] == "-" or f[3].startswith("2")
    return applied, total


def notes_with(td, text):
    """How many messages of ticket 900 have TEXT as their body."""
    url = td.url() + "/Ticket/900/Messages?$select=ticketMessageId,body"
    with urllib.request.urlopen(url.replace(" ", "%20"), timeout=10) as r:
        rows = json.load(r)["value"]
    return sum(1 for r in rows if r["body"] == text)


def scenario(name, steps, reopen, reopen_has):
    work = os.path.join(os.environ["T_TMP"], name)
    os.makedirs(work)
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"))
    td = F.Ticketd(work)
    td.start()
    fifo = os.path.join(work, "replay")
    os.mkfifo(fifo)
    err = open(os.path.join(work, "err"), "w")
    proc = subprocess.Popen([F.TICKETED, "--url", td.url(), "--headless", "--replay", fifo, "900"], cwd=work,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    wfd = os.open(fifo, os.O_WRONLY)
    detail = ""
    try:
        for st in steps:
            if st[0] == "keys":
                os.write(wfd, (st[1].strip("\n") + "\n").encode())
                if not F.wait_idle(proc, fifo, wfd):
                    detail += "editor not idle after %r\n" % st[1]
                    break
            elif st[0] == "restart":
                td.stop()
                td.start(st[1])
            elif st[0] == "nowait":
                os.write(wfd, (st[1] + "\n").encode())
            elif st[0] == "sleep":
                time.sleep(st[1])
            elif st[0] == "signal":
                proc.send_signal(st[1])
                break
    finally:
        os.close(wfd)
    try:
        rc = proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    err.close()
    errtext = open(os.path.join(work, "err"), errors="replace").read()
    detail += "exit %d; stderr:\n%s" % (rc, errtext)
    F.tap(rc == 3, "%s: SIGHUP with a note unposted: exit 3" % name, detail)
    F.tap("an unposted note kept as a draft" in errtext, "%s: stderr says the note is kept" % name, detail)
    drafts = subprocess.run([F.TICKETED, "drafts"], env=env, capture_output=True, text=True).stdout
    F.tap(drafts.startswith("900 ") and "note" in drafts, "%s: `ticketed drafts` lists it" % name, drafts)
    # ticketd without faults, for the reopen and the checks
    td.stop()
    td.start()
    applied_before = posts(td)[0]
    rp = os.path.join(work, "reopen.replay")
    with open(rp, "w") as f:
        f.write(reopen.strip("\n") + "\n")
    r2 = subprocess.run([F.TICKETED, "--url", td.url(), "--headless", "--draft", "ask", "--replay", rp, "900"],
                        cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    F.tap(r2.returncode == 0, "%s: reopened, restored, posted: exit 0" % name,
          "exit %d; stderr:\n%s" % (r2.returncode, r2.stderr))
    applied, total = posts(td)
    have = notes_with(td, TEXT)
    F.tap(have == 1, "%s: the note is on the server exactly once (%d found; POSTs applied %d of %d, %d before "
          "the reopen)" % (name, have, applied, total, applied_before), detail)
    if reopen_has:
        # the reopen's C-s looked at the message list before any POST
        seen = [l.split()[1:3] for l in open(td.logs[-1], errors="replace") if len(l.split()) > 3]
        look = next((i for i, (m, p) in enumerate(seen) if m == "GET" and "messageId" in p), None)
        post = next((i for i, (m, p) in enumerate(seen) if m == "POST"), None)
        F.tap(look is not None and (post is None or look < post),
              "%s: the reopen looked for the note before posting (%s)" % (name, seen), detail)
    drafts = subprocess.run([F.TICKETED, "drafts"], env=env, capture_output=True, text=True).stdout
    F.tap(not drafts.startswith("900 "), "%s: the draft is gone" % name, drafts)
    td.stop()


WRITE = ["n", "Typed before the line dropped.<Enter>Second line of the note."]
REOPEN = """:expect screen "Unsaved draft"
r
:expect screen "Draft restored"
n
:expect screen "Your unposted note"
:expect screen "Second line of the note."
<C-s>
:expect screen "Note posted (message"
q"""
try:
    scenario("note_hangup_mid_writing", [("keys", k) for k in WRITE] + [("signal", signal.SIGHUP)], REOPEN,
             False)
    scenario("note_hangup_mid_post", [("keys", k) for k in WRITE] +
             [("restart", ["--latency-ms", "3000"]), ("nowait", "<C-s>"), ("sleep", 0.7),
              ("signal", signal.SIGHUP)],
             REOPEN.replace(":expect screen \"Your unposted note\"",
                            ":expect screen \"an earlier POST may have arrived: C-s looks first\""),
             True)
finally:
    shutil.rmtree(os.environ["T_TMP"], ignore_errors=True)
print("1..%d" % F.N[0])
