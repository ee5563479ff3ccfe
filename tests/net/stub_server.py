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
  /echo/...               200 JSON {"method","path","headers","body"}
Every request's method, path and headers are appended to --record FILE.
Usage: stub_server.py --port-file F [--record FILE] [--tls-cert PEM --tls-key PEM]"""
import gzip, json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
record = args.get("--record")
lock = threading.Lock()


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
        parts = self.path.split("/")
        mode = parts[1] if len(parts) > 1 else ""
        last = parts[-1]
        if mode == "ok" or mode == "slow":
            if mode == "slow":
                time.sleep(1.5)
            ticket = {"TicketId": int(last) if last.isdigit() else 0, "Title": "Printer on fire",
                      "Status": {"Id": 1, "Name": "Open"}}
            self.send_body(200, json.dumps(ticket).encode(),
                           extra=[("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")])
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
            out = {"method": self.command, "path": self.path,
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
