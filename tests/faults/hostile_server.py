"""Scaffolding shared by the hostile-server tests (hostile.t,
hostile_lists.t, hostile_conflict.t): the editor's environment, TAP output
and a fake service on a loopback port whose handler a test subclasses."""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
BUILD = os.path.join(TOP, os.environ.get("BUILD", "build"))
TICKETED = os.environ.get("TICKETED", os.path.join(BUILD, "bin/ticketed"))
TICKET_900 = os.path.join(TOP, "tests/data/service/tickets/900.json")
N = [0]


def environment(prefix):
    """(TMP, ENV): a new scratch directory named PREFIX... and the editor's
    environment (TERM, LANG, LC_ALL, TZ pinned, its state under TMP, the
    TICKETED_* credentials and NO_COLOR dropped)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC",
               XDG_STATE_HOME=os.path.join(tmp, "state"))
    for v in ("TICKETED_URL", "TICKETED_USER", "TICKETED_PASSWORD", "TICKETED_TOKEN", "NO_COLOR"):
        env.pop(v, None)
    return tmp, env


def tap(ok, what, detail=""):
    """One TAP line (numbered by N); on failure up to 30 lines of DETAIL."""
    N[0] += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", N[0], what))
    if not ok:
        for line in detail.splitlines()[:30]:
            print("#   " + line)
    sys.stdout.flush()


class Fake(http.server.BaseHTTPRequestHandler):
    """A silent HTTP/1.1 handler; a test adds do_GET / do_PATCH."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, body, ctype="application/json", status=200):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def request_text(self):
        """The request body (Content-Length bytes), invalid UTF-8 replaced."""
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode("utf-8", "replace")


def serve(handler):
    """(server, url): HANDLER served on 127.0.0.1 (a free port) from a daemon
    thread; url is the API's base (http://127.0.0.1:PORT/api/v1)."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d/api/v1" % srv.server_address[1]


def run_replay(url, tmp, env, i, replay):
    """(result, dump): the editor run headless on ticket 900 at URL with
    REPLAY, whose {dump} is replaced by DUMP (TMP/dumpI.txt) and which is
    written to TMP/caseI.replay; result is the CompletedProcess (stdout and
    stderr captured, stdin /dev/null), or None if it ran over 60 s."""
    dump = os.path.join(tmp, "dump%d.txt" % i)
    rp = os.path.join(tmp, "case%d.replay" % i)
    with open(rp, "w") as f:
        f.write(replay.format(dump=dump))
    try:
        return subprocess.run([TICKETED, "--url", url, "--headless", "--replay", rp, "900"], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60), dump
    except subprocess.TimeoutExpired:
        return None, dump
