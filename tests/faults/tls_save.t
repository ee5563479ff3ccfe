#!/usr/bin/python3
"""The fault matrix's TLS row at the save: the ticket loads over
TLS (a proxy in front of ticketd presents a certificate trusted through
--cacert); between the load and the save the proxy switches to a
certificate the client does not trust, so the save fails in the TLS
handshake, before anything is sent. The status line says the save failed
and why; the edit is kept (a draft at exit 3), never lost; once the proxy
presents the trusted certificate again, s saves it exactly once."""
import os
import select
import shutil
import socket
import ssl
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultenv  # noqa: E402

faultenv.setup("ticketed-tls-save.")
import faultrun as F  # noqa: E402

TMP = os.environ["T_TMP"]


def make_cert(name):
    cert, key = os.path.join(TMP, name + ".pem"), os.path.join(TMP, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return cert, ctx


class TlsProxy:
    """TLS on a loopback port, forwarding plain HTTP to the current ticketd
    (td.port, read per connection: ticketd may be restarted). ctx: the
    certificate presented to new connections."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.td = None
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def url(self, td):
        self.td = td
        return "https://127.0.0.1:%d/api/v1" % self.port

    def accept(self):
        while True:
            c, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        try:
            t = self.ctx.wrap_socket(c, server_side=True)
        except (ssl.SSLError, OSError):
            c.close()  # the client refused the certificate
            return
        try:
            u = socket.create_connection(("127.0.0.1", self.td.port), timeout=10)
        except OSError:
            t.close()
            return
        try:
            pump(t, u)
        finally:
            t.close()
            u.close()


def pump(t, u):
    while True:
        if not t.pending():
            r, _, _ = select.select([t, u], [], [], 30)
            if not r:
                return
        else:
            r = [t]
        for s in r:
            try:
                data = s.recv(65536)
            except ssl.SSLWantReadError:
                continue
            except OSError:
                return
            if not data:
                return
            (u if s is t else t).sendall(data)


try:
    if not shutil.which("openssl"):
        F.tap(False, "openssl is installed (make deps)")
        print("1..%d" % F.N[0])
        sys.exit(1)
    good_cert, good = make_cert("trusted")
    _, bad = make_cert("untrusted")
    proxy = TlsProxy(good)

    def use(ctx):
        return ("call", lambda: setattr(proxy, "ctx", ctx))

    SAVE_FAILS = "s\n:expect screen \"Save failed\"\n:expect screen \"SSL certificate\"\n:expect modified 1"
    # Each run starts with the trusted certificate set here, before the editor
    # starts: a use(...) step runs only once the editor is up, so the load
    # would race with it.
    # the TLS failure persists: the edit stays in a draft (exit 3), the server untouched
    proxy.ctx = good
    F.run("save_tls_draft", [use(good), F.edit("save_tls_draft"), use(bad), ("keys", SAVE_FAILS)],
          url=proxy.url, ed_args=["--cacert", good_cert], want_exit=3, outcome="draft",
          stderr_has="kept as a draft")
    # the trusted certificate is back: s again saves, exactly once
    proxy.ctx = good
    F.run("save_tls_retry", [use(good), F.edit("save_tls_retry"), use(bad), ("keys", SAVE_FAILS), use(good),
                             ("keys", "s\n:expect screen \"Saved\"\n:expect modified 0\nq")],
          url=proxy.url, ed_args=["--cacert", good_cert])
    # control: the untrusted certificate at the load fails it (exit 2), nothing kept;
    # set before the editor starts (a use() step would race with its load)
    proxy.ctx = bad
    F.run("load_tls_untrusted", [use(bad)], url=proxy.url, ed_args=["--cacert", good_cert], want_exit=2,
          outcome="none", stderr_has="SSL certificate")
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % F.N[0])
