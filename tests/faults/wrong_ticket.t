#!/usr/bin/python3
"""A save answered 200 with another ticket: a fake service loads ticket 900
normally and answers the PATCH with ticket 901 (its own title). The editor
must not say Saved nor show 901: the save failed, the form still holds the
edit, and the draft kept for ticket 900 has 900's values as its base, not
901's. The same for a PATCH answered without a TicketId."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_server import N, TICKET_900, TICKETED, Fake, environment, serve, tap  # noqa: E402

TMP, ENV = environment("ticketed-wrong-ticket.")
BASE = json.load(open(TICKET_900))
ANSWER = [None]


class Handler(Fake):
    def do_GET(self):
        self.reply(json.dumps(BASE).encode())

    def do_PATCH(self):
        self.request_text()
        self.reply(json.dumps(ANSWER[0]).encode())


def main():
    srv, url = serve(Handler)
    other = dict(BASE, TicketId=901, Title="Ticket 901's title")
    noid = {k: v for k, v in BASE.items() if k != "TicketId"}
    noid["Title"] = "An answer without an id"
    for i, (name, answer) in enumerate((("ticket 901 for 900", other), ("no TicketId", noid))):
        ANSWER[0] = answer
        env = dict(ENV, XDG_STATE_HOME=os.path.join(TMP, "state%d" % i))
        dump = os.path.join(TMP, "dump%d.txt" % i)
        rp = os.path.join(TMP, "case%d.replay" % i)
        with open(rp, "w") as f:
            f.write('/Title<Enter>\n<Enter><C-u>Mine<Enter>\ns\n:dump %s\n'
                    ':expect field Title "Mine"\n:expect modified 1\nq\nk\n' % dump)
        r = subprocess.run([TICKETED, "--url", url, "--headless", "--replay", rp, "900"], env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        err = r.stderr.decode("utf-8", "replace")
        screen = open(dump, encoding="utf-8").read() if os.path.exists(dump) else ""
        tap(r.returncode == 3, "%s: the edit is kept as a draft (exit 3)" % name,
            "exit %d; stderr: %s" % (r.returncode, err[-1500:]))
        tap("Save failed:" in screen and "Saved" not in screen, "%s: the status says the save failed" % name,
            screen)
        tap(answer["Title"] not in screen and "901" not in screen.split("\n")[0],
            "%s: nothing of the answer reaches the form" % name, screen)
        d = subprocess.run([TICKETED, "drafts"], env=env, capture_output=True, timeout=30)
        out = d.stdout.decode("utf-8", "replace")
        tap(out.startswith("900 ") and BASE["Title"] in out and answer["Title"] not in out,
            "%s: the draft is ticket 900's, on 900's values" % name, out + d.stderr.decode())
    srv.shutdown()
    subprocess.run(["rm", "-rf", TMP])


main()
print("1..%d" % N[0])
