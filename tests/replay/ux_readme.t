#!/usr/bin/env bash
# The README's screenshots are the program's: each block after a
# "<!-- screen: NAME" marker is the first lines of the screen the replay
# below dumps as NAME.txt (80x24, TZ=Europe/Oslo, the sample data).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || { not_ok "readme screens: ticketd"; exit 0; }
cat >"$T_TMP/readme.replay" <<'EOF2'
<Enter><C-u>Printer on fire<Enter>
/Owner<Enter>
:dump form.txt
p
:dump preview.txt
<Esc>
q
d
EOF2
(cd "$T_TMP" && TZ=Europe/Oslo XDG_STATE_HOME=$T_TMP/state "$TICKETED" --url "$TD_URL" --headless \
  --replay "$T_TMP/readme.replay" 900 >/dev/null 2>"$T_TMP/err"); rc=$?
check_eq "the replay that makes the screens" 0 "$rc"
for name in form preview; do
  if msg=$(/usr/bin/python3 - "$TOP/README.md" "$name" "$T_TMP/$name.txt" <<'PY' 2>&1
import re, sys
readme, name, dump = sys.argv[1:]
text = open(readme, encoding="utf-8").read()
m = re.search(r"<!-- screen: %s\b[^\n]*\n```\n(.*?)\n```" % re.escape(name), text, re.S)
if not m:
    sys.exit("no screen %r in the README" % name)
want = [l.rstrip() for l in m.group(1).split("\n")]
got = [l.rstrip() for l in open(dump, encoding="utf-8").read().split("\n")]
for i, w in enumerate(want):
    g = got[i] if i < len(got) else "(nothing)"
    if w != g:
        sys.exit("line %d: README %r, program %r" % (i + 1, w, g))
PY
  ); then ok "README screen $name is the program's"; else not_ok "README screen $name is the program's"; echo "#   $msg"; fi
done
