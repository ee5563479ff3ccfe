#!/usr/bin/python3
"""A recording reverse proxy for the replay tests: forwards every request to
ticketd and appends one line per request to LOG:
    METHOD PATH BODY            (BODY exactly as sent, "-" when empty)
    IUS <If-Unmodified-Since>   (only when the header was sent)
so a .check script can assert the PATCH body byte for byte.
HOOK (optional, a NAME.between script) runs before each request is
forwarded as `bash HOOK METHOD PATH N` (N: the how-manieth request of that
METHOD, from 1) with TD_URL set to ticketd itself, so a test can change
the ticket "concurrently" between the editor's load and its save.
GET .../Person/{id}, which ticketd does not serve, is answered here from
the people in the sample tickets (their Person and SecondaryPersons), as
the documented PersonEntity (PersonId, FullName...), 404 with an error body
for an unknown id; while ticketd answers such a GET itself, its answer wins.
usage: capture.py UPSTREAM_PORT PORT_FILE LOG [HOOK]"""
import glob
import http.client
import http.server
import json
import os
import re
import subprocess
import sys
import threading

UP = int(sys.argv[1])
PORT_FILE, LOG = sys.argv[2], sys.argv[3]
HOOK = sys.argv[4] if len(sys.argv) > 4 else None
COUNT = {}
LOCK = threading.Lock()


def sample_people():
    """PersonId -> the person as the sample tickets hold them."""
    people = {}
    here = os.path.dirname(os.path.abspath(__file__))
    for fn in glob.glob(os.path.join(here, "..", "data", "service", "tickets", "*.json")):
        try:
            with open(fn, encoding="utf-8") as f:
                t = json.load(f)
        except (OSError, ValueError):
            continue
        for p in [t.get("Person")] + list(t.get("SecondaryPersons") or []):
            if isinstance(p, dict) and isinstance(p.get("PersonId"), int) and p.get("FullName"):
                people.setdefault(p["PersonId"], p)
    return people


PEOPLE = None  # read on the first GET Person: most replays never ask, and 950.json is 2 MB
PERSON = re.compile(r"^/api/v1/Person/([0-9]+)(\?.*)?$", re.I)


def run_hook(method, path):
    with LOCK:
        COUNT[method] = COUNT.get(method, 0) + 1
        env = dict(os.environ, TD_URL="http://127.0.0.1:%d/api/v1" % UP)
        subprocess.run(["bash", HOOK, method, path, str(COUNT[method])], env=env,
                       stdin=subprocess.DEVNULL, stdout=sys.stderr, timeout=20)


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if HOOK:
            run_hook(self.command, self.path)
        with open(LOG, "ab") as f:
            f.write(self.command.encode() + b" " + self.path.encode() + b" " + (body or b"-") + b"\n")
            ius = self.headers.get("If-Unmodified-Since")
            if ius:
                f.write(b"IUS " + ius.encode() + b"\n")
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        c = http.client.HTTPConnection("127.0.0.1", UP, timeout=30)
        c.request(self.command, self.path, body=body or None, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        m = PERSON.match(self.path) if self.command == "GET" and r.status == 404 else None
        if m:
            self.person(int(m.group(1)))
            c.close()
            return
        self.send_response(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        c.close()

    def person(self, pid):
        global PEOPLE
        if PEOPLE is None:
            PEOPLE = sample_people()
        p = PEOPLE.get(pid)
        if p:
            status, obj = 200, {"PersonId": pid, "Firstname": p.get("Firstname", ""),
                                "Lastname": p.get("Lastname", ""), "FullName": p["FullName"]}
        else:
            status, obj = 404, {"Error": True, "ErrorType": "SoNotFoundException",
                                "ErrorMessage": "Person %d not found" % pid, "ErrorSource": "capture.py"}
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PATCH = do_PUT = do_POST = do_DELETE = forward


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
