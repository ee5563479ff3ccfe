#!/usr/bin/python3
# parts: --list-parts
"""The fault matrix: every ticketd fault, connection refused,
an unknown host, a TLS failure and a timeout, hitting the load, the save
before it is applied (before-send) or after (after-send, the answer lost or
broken). Each run ends either saved on the server exactly once or kept in
a draft (exit 3) — never lost, never applied twice; the status line says
what happened (`:expect screen`), and a retried save works once the fault
clears. The driver (faultrun.py) feeds the replay through a FIFO so the
server can be changed between the load and the save."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultenv  # noqa: E402

faultenv.setup("ticketed-faults.")
import faultrun as F  # noqa: E402

F.parts_from_argv()

SAVE = "s"
QUIT = "q"


def scenarios():
    # ---- the load (no edit yet: nothing to lose; exit 2, a clear message) ----
    F.run("load_http500", [], td_args=["--fault", "http500-every=1"], want_exit=2, outcome="none",
          stderr_has="cannot load ticket 900")
    F.run("load_html_error", [], td_args=["--fault", "http500-every=1", "--fault", "html-error"],
          want_exit=2, outcome="none", stderr_has="cannot load ticket 900")
    F.run("load_garbage_json", [], td_args=["--fault", "garbage-json"], want_exit=2, outcome="none",
          stderr_has="cannot load ticket 900")
    F.run("load_refused", [], url=lambda td: "http://127.0.0.1:%d/api/v1" % F.closed_port(),
          want_exit=2, outcome="none", stderr_has="cannot load ticket 900")
    F.run("load_unknown_host", [], url=lambda td: "http://nonexistent.invalid/api/v1", want_exit=2,
          outcome="none", stderr_has="nonexistent.invalid")
    F.run("load_tls", [], url=lambda td: "https://127.0.0.1:%d/api/v1" % td.port, want_exit=2,
          outcome="none", stderr_has="cannot load ticket 900")
    F.run("load_timeout", [], td_args=["--latency-ms", "3000"], ed_args=["--timeout", "1"],
          want_exit=2, outcome="none", stderr_has="cannot load ticket 900")

    # ---- the save, slow but fine ----
    for name, args in (("save_latency", ["--latency-ms", "800"]), ("save_slow_body", ["--fault", "slow-body"])):
        F.run(name, [F.edit(name), ("restart", args),
                     ("keys", SAVE + "\n:expect screen \"Saved\"\n:expect modified 0\n" + QUIT)])

    # ---- a 5xx: the client cannot know whether it was applied, and the
    # re-read fails too; the edit is kept, s checks first, then saves ----
    for name, args, says in (
            ("save_http500", ["--fault", "http500-every=1"], "Cannot check whether the save was applied"),
            ("save_html_error", ["--fault", "http500-every=1", "--fault", "html-error"],
             "Cannot check whether the save was applied"),
    ):
        # give up: the edit stays in a draft
        F.run(name + "_draft", [F.edit(name + "_draft"), ("restart", args),
                                 ("keys", SAVE + "\n:expect screen \"%s\"\n:expect modified 1" % says)],
              want_exit=3, outcome="draft", stderr_has="kept as a draft")
        # the fault clears, s again saves
        F.run(name + "_retry", [F.edit(name + "_retry"), ("restart", args),
                                 ("keys", SAVE + "\n:expect screen \"%s\"\n:expect modified 1" % says),
                                 ("restart", []),
                                 ("keys", SAVE + "\n:expect screen \"Saved\"\n:expect modified 0\n" + QUIT)])
    # every 4th request fails: GET, GET Ticket/CustomField, GET (R), PATCH
    # 500, GET (re-read: not applied), PATCH (s again) saves
    F.run("save_http500_every4", [F.edit("save_http500_every4"),
                                  ("keys", "R\n:expect screen \"Reloaded\"\n" + SAVE +
                                   "\n:expect screen \"Save failed\"\n"
                                   ":expect modified 1\n" + SAVE + "\n:expect screen \"Saved\"\n" + QUIT)],
          td_args=["--fault", "http500-every=4"])
    F.run("save_refused_draft", [F.edit("save_refused_draft"), ("stop",),
                                 ("keys", SAVE + "\n:expect screen \"Save failed\"\n:expect modified 1")],
          want_exit=3, outcome="draft", stderr_has="kept as a draft")
    F.run("save_refused_retry", [F.edit("save_refused_retry"), ("stop",),
                                 ("keys", SAVE + "\n:expect screen \"Save failed\"\n:expect modified 1"),
                                 ("restart", []),
                                 ("keys", SAVE + "\n:expect screen \"Saved\"\n:expect modified 0\n" + QUIT)])

    # the service goes down; the quit prompt's k keeps the edits as a draft
    # and quits (exit 3, one stderr line naming the draft)
    F.run("quit_keep_draft", [F.edit("quit_keep_draft"), ("stop",),
                              ("keys", SAVE + "\n:expect screen \"Save failed\"\nq\n"
                               ":expect screen \"k: keep as a draft and quit\"\nk")],
          want_exit=3, outcome="draft", stderr_has="1 unsaved edit kept as a draft: ")

    # ---- after-send: applied, the answer lost or broken ----
    F.run("save_drop_after_apply", [F.edit("save_drop_after_apply"), ("restart", ["--fault", "drop-after-apply"]),
                                    ("keys", SAVE + "\n:expect screen \"the server already has your edits\"\n"
                                     ":expect modified 0\n" + QUIT)])
    # garbage-json: the PATCH is applied, its 200 answer is cut; the re-read
    # is garbage too, so the edit stays (a draft) until the fault clears
    CHECK = (":expect screen \"Cannot check whether the save was applied\"\n:expect modified 1\n"
             ":expect screen \" s:check+save\"")
    F.run("save_garbage_json_draft", [F.edit("save_garbage_json_draft"), ("restart", ["--fault", "garbage-json"]),
                                      ("keys", SAVE + "\n" + CHECK)],
          want_exit=3, outcome="draft", stderr_has="kept as a draft")
    F.run("save_garbage_json_retry", [F.edit("save_garbage_json_retry"), ("restart", ["--fault", "garbage-json"]),
                                      ("keys", SAVE + "\n" + CHECK),
                                      ("restart", []),  # R re-reads: the edit is there
                                      ("keys", "R\n:expect screen \"Saved: the server already has your edits\"\n"
                                       ":expect modified 0\n" + QUIT)])
    # timeout: the client gives up after 1 s; ticketd applies after 3 s
    F.run("save_timeout_draft", [F.edit("save_timeout_draft"), ("restart", ["--latency-ms", "3000"]),
                                 ("keys", SAVE + "\n" + CHECK), ("wait_patch",)],
          ed_args=["--timeout", "1"], want_exit=3, outcome="draft", stderr_has="kept as a draft")
    F.run("save_timeout_retry", [F.edit("save_timeout_retry"), ("restart", ["--latency-ms", "3000"]),
                                 ("keys", SAVE + "\n" + CHECK), ("wait_patch",),
                                 ("restart", []),  # s again: 409, re-read, the edit is there
                                 ("keys", SAVE + "\n:expect screen \"Saved: the server already has your edits\"\n"
                                  ":expect modified 0\n" + QUIT)],
          ed_args=["--timeout", "1"])


try:
    scenarios()
finally:
    shutil.rmtree(os.environ["T_TMP"], ignore_errors=True)
F.parts_done()
print("1..%d" % F.N[0])
