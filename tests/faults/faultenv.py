"""The environment the faultrun.py tests (crash.t, hangup.t, matrix.t,
tls_save.t) run in. Call setup() before `import faultrun`: faultrun reads
TICKETED, TICKETD, TOP and T_TMP from the environment when imported."""
import os
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))


def setup(prefix):
    """Defaults TOP, TICKETED and TICKETD (from $BUILD, else build/); pins
    TERM, LANG, LC_ALL and TZ; drops the TICKETED_* credentials and NO_COLOR;
    makes a new scratch directory named PREFIX... as T_TMP and returns it."""
    os.environ.setdefault("TOP", TOP)
    build = os.path.join(TOP, os.environ.get("BUILD", "build"))
    os.environ.setdefault("TICKETED", os.path.join(build, "bin/ticketed"))
    os.environ.setdefault("TICKETD", os.path.join(build, "bin/ticketd"))
    os.environ["T_TMP"] = tempfile.mkdtemp(prefix=prefix)
    os.environ.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC")
    for v in ("TICKETED_URL", "TICKETED_USER", "TICKETED_PASSWORD", "TICKETED_TOKEN", "NO_COLOR"):
        os.environ.pop(v, None)
    return os.environ["T_TMP"]
