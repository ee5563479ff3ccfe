#!/usr/bin/python3
"""A tiny HTTP server for the service client's fault tests (shapes ticketd
does not produce). The first path segment picks the behaviour:
  /ok/api/v1/Ticket/N     200 JSON ticket (Last-Modified set), gzip if asked
  /e404/...               404 with a SuperOffice error body
  /html/...               500 text/html page
  /garbage/...            200 application/json that is not JSON
  /big/...                200 with a 40 MiB JSON body
  /hang/...               never answers (bounded to 60 s)
  /slow/...               answers like /ok after 1.5 s
  /evil/...               400 whose ErrorMessage holds terminal escapes
  /echo/...               200 JSON {"TicketId","method","path","headers","body"}
  /seq/STEPS/...          a script per path: the Nth request for a path gets
                          the Nth step (the last one repeats). Steps are
                          comma-separated CODE[~RETRY_AFTER]: 200 answers like
                          /ok, 429/503 with Retry-After RETRY_AFTER (seconds,
                          or dN: an HTTP date N s ahead, or "none"), 401 with
                          a SuperOffice error body, 302 to /ok on "localhost"
  /auth/TOKEN/...         like /ok when "Authorization: Bearer TOKEN", else 401
  /wrongid/...            200 with TicketId N + 1 for ticket N
  /notid/...              200 JSON without TicketId
  /html404/...            404 text/html page (a web server's, not the API's)
  /plain404/...           404 JSON without a SuperOffice error body
  /html200/...            200 text/html page (a portal's login page)
  /redirect/...           302 to the same path on host "localhost" (another host)
  /badhdr/...             400 whose headers and ErrorMessage hold ESC, BEL,
                          CR and the UTF-8 C1 CSI "\xc2\x9b"
  /state/NAME             a SuperOffice Online tenant state answer: NAME
                          "run-X" is Running with its Endpoint at this
                          server's /X ("+" in X stands for "/"), "maint" is OfflineMaintenance, "bad"
                          is an HTML page
Every request's method, path and headers are appended to --record FILE.
Usage: stub_server.py --port-file F [--record FILE] [--tls-cert PEM --tls-key PEM]"""
import gzip, json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
record = args.get("--record")
lock = threading.Lock()
counts = {}


def ticket_body(path):
    last = path.split("?")[0].split("/")[-1]
    ticket = {"TicketId": int(last) if last.isdigit() else 0, "Title": "Printer on fire",
              "Status": {"Id": 1, "Name": "Open"}}
    return json.dumps(ticket).encode()


def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send_body(self, code, body, ctype="application/json; charset=utf-8", extra=()):
        if "gzip" in self.headers.get("Accept-Encoding", "") and code == 200 and len(body) < 1 << 20:
            body = gzip.compress(body)
            extra = list(extra) + [("Content-Encoding", "gzip")]
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        if record:
            with lock, open(record, "a") as f:
                f.write("%s %s\n" % (self.command, self.path))
                for k, v in self.headers.items():
                    f.write("%s: %s\n" % (k, v))
                f.write("\n")
        parts = self.path.split("?")[0].split("/")
        mode = parts[1] if len(parts) > 1 else ""
        last = parts[-1]
        port = self.server.server_address[1]
        if mode == "ok" or mode == "slow":
            if mode == "slow":
                time.sleep(1.5)
            ticket = {"TicketId": int(last) if last.isdigit() else 0, "Title": "Printer on fire",
                      "Status": {"Id": 1, "Name": "Open"}}
            self.send_body(200, json.dumps(ticket).encode(),
                           extra=[("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")])
        elif mode == "seq":
            steps = parts[2].split(",")
            with lock:
                n = counts.get(self.path, 0)
                counts[self.path] = n + 1
            step = steps[min(n, len(steps) - 1)]
            code, _, ra = step.partition("~")
            code = int(code)
            if code == 200:
                self.send_body(200, ticket_body(self.path))
            elif code in (429, 503):
                extra = []
                if ra.startswith("d"):
                    extra.append(("Retry-After", http_date(time.time() + int(ra[1:]))))
                elif ra and ra != "none":
                    extra.append(("Retry-After", ra))
                err = {"Error": True, "ErrorType": "Throttled", "ErrorMessage": "Slow down",
                       "ErrorSource": "stub"}
                self.send_body(code, json.dumps(err).encode(), extra=extra)
            elif code == 401:
                err = {"Error": True, "ErrorType": "Unauthorized",
                       "ErrorMessage": "Token expired", "ErrorSource": "stub"}
                self.send_body(401, json.dumps(err).encode())
            elif code == 302:
                self.send_body(302, b"", "text/plain",
                               extra=[("Location", "http://localhost:%d/ok%s" % (port, self.path))])
            else:
                self.send_body(code, b'{"Error": true, "ErrorMessage": "step"}')
        elif mode == "auth":
            if self.headers.get("Authorization", "") == "Bearer " + parts[2]:
                self.send_body(200, ticket_body(self.path))
            else:
                err = {"Error": True, "ErrorType": "Unauthorized",
                       "ErrorMessage": "Token expired", "ErrorSource": "stub"}
                self.send_body(401, json.dumps(err).encode())
        elif mode == "wrongid":
            t = json.loads(ticket_body(self.path))
            t["TicketId"] += 1
            self.send_body(200, json.dumps(t).encode())
        elif mode == "notid":
            self.send_body(200, b'{"Title": "no id"}')
        elif mode == "html404":
            self.send_body(404, b"<!DOCTYPE html><html><body><h1>404 - File or directory not found.</h1>"
                           b"</body></html>", "text/html; charset=utf-8")
        elif mode == "plain404":
            self.send_body(404, b'{"message": "No HTTP resource was found"}')
        elif mode == "html200":
            self.send_body(200, b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html")
        elif mode == "redirect":
            self.send_body(302, b"", "text/plain",
                           extra=[("Location", "http://localhost:%d/ok%s?state=Secret-State#frag"
                                   % (port, self.path[len("/redirect"):]))])
        elif mode == "badhdr":
            err = {"Error": True, "ErrorType": "Bad\x1b[2J", "ErrorMessage":
                   "evil\x1b]52;c;aGk=\x07 \u009b31m\r\nForged: line\u202e"}
            self.send_body(400, json.dumps(err).encode(),
                           "application/json\x1b]0;title\x07\xc2\x9b2J",
                           extra=[("X-Evil", "a\x1b[2J\x07b\xc2\x9bc\x0dd"),
                                  ("Set-Cookie", "session=Cookie-Secret")])
        elif mode == "badctype":  # not JSON, with controls in its Content-Type
            self.send_body(200, b"plain text", "text/plain\x1b]52;c;aGk=\x07\xc2\x9b2J\r\nForged: x")
        elif mode == "state":
            name = parts[2] if len(parts) > 2 else ""
            if name == "bad":
                self.send_body(200, b"<html>down</html>", "text/html")
                return
            run = name.startswith("run-")
            where = (name.split("-", 1)[1] if "-" in name else "").replace("+", "/")
            st = {"ContextIdentifier": "Cust12345",
                  "Endpoint": "http://127.0.0.1:%d/%s" % (port, where),
                  "State": "Running" if run else "OfflineMaintenance", "IsRunning": run,
                  "ValidUntil": time.strftime("%Y-%m-%dT%H:%M:%S.0000000Z", time.gmtime(time.time() + 3600)),
                  "Api": "http://127.0.0.1:%d/%s/api" % (port, where)}
            self.send_body(200, json.dumps(st).encode())
        elif mode == "e404":
            err = {"Error": True, "ErrorType": "NotFound",
                   "ErrorMessage": "Ticket %s not found" % last, "ErrorSource": "ticketd"}
            self.send_body(404, json.dumps(err).encode())
        elif mode == "evil":
            err = {"ErrorMessage": "bad\x1b]0;pwned\x07 \u009b31m thing"}
            self.send_body(400, json.dumps(err).encode())
        elif mode == "html":
            self.send_body(500, b"<html><body><h1>Internal Server Error</h1><script>x</script></body></html>",
                           "text/html")
        elif mode == "garbage":
            self.send_body(200, b'{"TicketId": 1, "Title": ', "application/json")
        elif mode == "big":
            size = 40 << 20
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * (1 << 20)
            try:
                for _ in range(40):
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif mode == "hang":
            time.sleep(60)
        elif mode == "echo":
            out = {"TicketId": int(last) if last.isdigit() else 0, "method": self.command, "path": self.path,
                   "headers": {k: v for k, v in self.headers.items()}, "body": body}
            self.send_body(200, json.dumps(out).encode())
        else:
            self.send_body(400, b'{"Error": true, "ErrorMessage": "unknown stub mode"}')

    do_GET = do_PATCH = do_POST = do_PUT = handle_any


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
if "--tls-cert" in args:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args["--tls-cert"], args["--tls-key"])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(args["--port-file"] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(args["--port-file"] + ".tmp", args["--port-file"])
srv.serve_forever()
