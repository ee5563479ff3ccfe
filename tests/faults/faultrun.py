#!/usr/bin/python3
"""Fault matrix driver (tests/faults/matrix.t): runs the editor headless
with its replay read from a FIFO, so the test can change the server
between the load and the save (restart ticketd with a fault, stop it) and
between a failed save and its retry.

A scenario is a list of steps:
  ("keys", TEXT)     replay lines to send; the driver then waits until the
                     editor has run them all and is idle (blocked reading
                     the FIFO: /proc/PID/syscall shows read() on it, and
                     nothing is left unread in the pipe)
  ("restart", ARGS)  stop ticketd and start it again on the same port and
                     data (--persist) with ARGS (faults)
  ("stop",)          stop ticketd (connection refused from now on)
  ("wait_patch",)    wait until ticketd's log shows a PATCH (it was applied)
  ("nowait", TEXT)   replay lines sent without waiting (e.g. a save in flight)
  ("wait_sent", TEXT) wait until the editor's own HTTP trace (--log, which
                     run() then passes) shows a request line holding TEXT
                     (e.g. "PATCH"): the request has been sent
  ("signal", SIG)    send SIG (e.g. signal.SIGHUP) to the editor: a dropped line
  ("call", FN)       call FN() (e.g. make a TLS proxy present another certificate)
The FIFO is closed at the end (the replay ends: exit 3 if edits remain).

Afterwards (with ticketd restarted without faults) the driver reports, as
TAP, the invariant: the edit is either saved on the server exactly once or
kept in a draft (`ticketed drafts` lists it, exit 3): never lost, never
applied twice. Applied PATCHes are counted from ticketd's --log: status 2xx
or "-" (a drop after apply; a client that gave up). The test's guard makes a
second application impossible to hide: every PATCH tests the base value.

Env: TICKETED, TICKETD, TOP, T_TMP (a scratch directory)."""
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import termios
import time
import urllib.request

TICKETED = os.environ["TICKETED"]
TICKETD = os.environ["TICKETD"]
TOP = os.environ["TOP"]
TMP = os.environ["T_TMP"]
OLD_TITLE = "VPN drops every 10 minutes for the Bergen office"
N = [0]


def tap(ok, what, detail=""):
    N[0] += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", N[0], what))
    if not ok and detail:
        for line in detail.splitlines()[:40]:
            print("#   " + line)
    sys.stdout.flush()
    return ok


class Ticketd:
    def __init__(self, work):
        self.work = work
        self.data = os.path.join(work, "data")
        shutil.copytree(os.path.join(TOP, "tests/data/service"), self.data)
        self.logs = []
        self.proc = None
        self.port = 0

    def start(self, args=()):
        log = os.path.join(self.work, "ticketd.%d.log" % len(self.logs))
        pf = os.path.join(self.work, "port")
        if os.path.exists(pf):
            os.unlink(pf)
        self.logs.append(log)
        for _ in range(100):  # the old port may take a moment to be free again
            self.proc = subprocess.Popen(
                [TICKETD, "--port", str(self.port), "--port-file", pf, "--data", self.data,
                 "--persist", "--log", log] + list(args),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=open(log + ".stderr", "w"))
            for _ in range(200):
                if os.path.exists(pf) and os.path.getsize(pf) > 0:
                    self.port = int(open(pf).read())
                    return
                if self.proc.poll() is not None:
                    break
                time.sleep(0.02)
            self.stop()
            time.sleep(0.05)
        raise RuntimeError("ticketd did not start: " + open(log + ".stderr").read())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def url(self):
        return "http://127.0.0.1:%d/api/v1" % self.port

    def patches(self):
        """(applied, total) PATCH requests over every run of ticketd."""
        applied = total = 0
        for log in self.logs:
            if not os.path.exists(log):
                continue
            for line in open(log, errors="replace"):
                f = line.split()
                if len(f) >= 4 and f[1] == "PATCH":
                    total += 1
                    if f[3] == "-" or f[3].startswith("2"):
                        applied += 1
        return applied, total

    def title(self):
        with urllib.request.urlopen(self.url() + "/Ticket/900", timeout=10) as r:
            return json.load(r)["Title"]


def blocked_on_fifo(pid, fifo):
    """The editor waits in read() on the replay FIFO."""
    try:
        sc = open("/proc/%d/syscall" % pid).read().split()
    except OSError:
        return False
    if not sc or sc[0] != "0":
        return False
    fd = int(sc[1], 16)
    try:
        return os.path.samefile("/proc/%d/fd/%d" % (pid, fd), fifo)
    except OSError:
        return False


def unread(fd):
    buf = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return int.from_bytes(buf, sys.byteorder)


def wait_idle(proc, fifo, wfd, limit=30.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        if unread(wfd) == 0 and blocked_on_fifo(proc.pid, fifo):
            time.sleep(0.05)  # twice, a moment apart: not a passing read
            if unread(wfd) == 0 and blocked_on_fifo(proc.pid, fifo):
                return True
        time.sleep(0.02)
    return False


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# tests/run's parts protocol (tests/lib.sh parts_of) for a script whose
# scenarios are run() calls: with --list-parts, run() prints each name and
# runs nothing; with a NAME, only that scenario runs; with nothing, all.
PARTS = {"list": False, "only": None, "ran": 0}


def parts_from_argv():
    """Reads the part argument (sys.argv[1]) into PARTS."""
    arg = sys.argv[1] if len(sys.argv) > 1 else ""
    if arg == "--list-parts":
        PARTS["list"] = True
    elif arg:
        PARTS["only"] = arg


def parts_done():
    """After the scenarios: exits quietly in list mode; a NAME that matched
    no scenario is a failure."""
    if PARTS["list"]:
        sys.exit(0)
    if PARTS["only"] is not None and not PARTS["ran"]:
        tap(False, "no scenario named %r (--list-parts lists them)" % PARTS["only"])


def run(name, steps, td_args=(), ed_args=(), url=None, want_exit=0, outcome="saved",
        stderr_has=None, reopen=None, reopen_exit=0, value=None, extra=None):
    """Run one scenario; OUTCOME: "saved" (on the server once, no draft),
    "draft" (exit 3, listed by `ticketed drafts`, applied at most once),
    "none" (the load failed: exit 2, nothing sent, no draft). REOPEN: a
    replay for a second editor on the same ticket (ticketd without faults)
    before the checks, e.g. restoring the draft and saving. VALUE: the
    Title saved (default "Fault NAME"). EXTRA(td): more checks, a list of
    (description, ok) pairs, while ticketd still runs."""
    if PARTS["list"]:
        print(name)
        return True
    if PARTS["only"] is not None and name != PARTS["only"]:
        return True
    PARTS["ran"] += 1
    work = os.path.join(TMP, name)
    os.makedirs(work)
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"))
    td = Ticketd(work)
    td.start(td_args)
    fifo = os.path.join(work, "replay")
    os.mkfifo(fifo)
    out, err = open(os.path.join(work, "out"), "w"), open(os.path.join(work, "err"), "w")
    target = url(td) if url else td.url()
    trace = os.path.join(work, "trace.log")
    first_args = list(ed_args) + (["--log", trace] if any(st[0] == "wait_sent" for st in steps) else [])
    proc = subprocess.Popen([TICKETED, "--url", target, "--headless", "--replay", fifo] +
                            first_args + ["900"], cwd=work, env=env, stdin=subprocess.DEVNULL,
                            stdout=out, stderr=err)
    wfd = os.open(fifo, os.O_WRONLY)  # blocks until the editor opens it
    detail = ""
    try:
        for st in steps:
            if st[0] == "keys":
                try:
                    os.write(wfd, (st[1].strip("\n") + "\n").encode())
                except BrokenPipeError:
                    break
                if not wait_idle(proc, fifo, wfd):
                    detail += "editor not idle after: %r\n" % st[1]
                    break
            elif st[0] == "restart":
                td.stop()
                td.start(st[1])
            elif st[0] == "stop":
                td.stop()
            elif st[0] == "nowait":
                os.write(wfd, (st[1].strip("\n") + "\n").encode())
            elif st[0] == "wait_sent":
                end = time.monotonic() + 20
                pat = re.compile(r"^\S+ #\d+ > %s " % re.escape(st[1]), re.M)
                while not (os.path.exists(trace) and pat.search(open(trace, errors="replace").read())):
                    if time.monotonic() > end:
                        detail += "the editor never sent %s\n" % st[1]
                        break
                    time.sleep(0.02)
            elif st[0] == "call":
                st[1]()
            elif st[0] == "signal":
                proc.send_signal(st[1])
                break
            elif st[0] == "wait_patch":
                end = time.monotonic() + 20
                while td.patches()[1] == 0 and time.monotonic() < end:
                    time.sleep(0.05)
    finally:
        try:
            os.close(wfd)
        except OSError:
            pass
    try:
        rc = proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    out.close()
    err.close()
    errtext = open(os.path.join(work, "err"), errors="replace").read()
    detail += "exit %s; stderr:\n%s" % (rc, errtext)
    td.stop()
    td.start()  # fault-free, to look at the server's copy
    if reopen is not None:
        rp = os.path.join(work, "reopen.replay")
        with open(rp, "w") as f:
            f.write(reopen.strip("\n") + "\n")
        # the reopening script answers the draft prompt itself: it asks for it
        r2 = subprocess.run([TICKETED, "--url", td.url(), "--headless", "--draft", "ask", "--replay", rp] +
                            list(ed_args) + ["900"], cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=60)
        tap(r2.returncode == reopen_exit, "%s: reopened, exit %d" % (name, reopen_exit),
            "exit %d; stderr:\n%s" % (r2.returncode, r2.stderr))
    try:
        title = td.title()
    except Exception as ex:  # noqa: BLE001
        title = "(GET failed: %s)" % ex
    extras = extra(td) if extra else []
    # ticketd logs a request after answering it, so the reopened editor's
    # PATCH may not be in the log yet when the editor has exited: count the
    # PATCHes once ticketd has stopped (it finishes its requests first).
    td.stop()
    applied, total = td.patches()
    drafts = subprocess.run([TICKETED, "drafts"], env=env, capture_output=True, text=True).stdout
    has_draft = bool(re.search(r"^900 ", drafts, re.M))
    detail += "\nserver Title: %s; PATCHes applied %d of %d sent\ndrafts:\n%s" % (
        title, applied, total, drafts)
    ok = tap(rc == want_exit, "%s: exit %d" % (name, want_exit), detail)
    if stderr_has:
        tap(stderr_has in errtext, "%s: stderr says \"%s\"" % (name, stderr_has), detail)
    if "\x1b" in errtext or "<html" in errtext.lower():
        tap(False, "%s: no raw ESC or HTML on stderr" % name, detail)
    tap(applied <= 1, "%s: never applied twice (%d applied)" % (name, applied), detail)
    if outcome == "saved":
        tap(title == (value or "Fault " + name) and applied == 1 and not has_draft,
            "%s: saved on the server exactly once, no draft" % name, detail)
    elif outcome == "draft":
        tap(has_draft and (title == (value or "Fault " + name) or (title == OLD_TITLE and applied == 0)),
            "%s: kept in a draft (server %s)" % (name, "has it" if applied else "untouched"), detail)
    else:
        tap(total == 0 and not has_draft and title == OLD_TITLE,
            "%s: nothing sent, nothing kept, server untouched" % name, detail)
    for what, good in extras:
        tap(good, "%s: %s" % (name, what), detail)
    return ok


def server_value(td, path):
    """The server's value at PATH ("Title", "CustomFields/x_site"), as JSON text."""
    with urllib.request.urlopen(td.url() + "/Ticket/900", timeout=10) as r:
        d = json.load(r)
    for t in path.split("/"):
        d = d[t]
    return json.dumps(d, ensure_ascii=False)


def edit(name):
    return ("keys", ":expect screen \"Loaded ticket 900\"\n/Title<Enter>\n<Enter><C-u>Fault %s<Enter>\n"
            ":expect modified 1" % name)
