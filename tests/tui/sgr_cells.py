#!/usr/bin/python3
"""Read `tmux capture-pane -e -p` output on stdin and print the attributes of
one cell: sgr_cells.py ROW_PREFIX COLUMN -> "bold dim underline reverse fg=N".
ROW_PREFIX is matched against the row's plain text (first match); the cell
is the COLUMN-th character (0-based) of that row. Exits 1 if no row matches."""
import re
import sys


def cells(line):
    st = {"bold": False, "dim": False, "underline": False, "reverse": False, "fg": None}
    out = []
    for m in re.finditer(r'\x1b\[([0-9;]*)m|\x1b[()][0-9A-Za-z]|([^\x1b])', line):
        if m.group(2) is not None:
            out.append((m.group(2), dict(st)))
            continue
        if m.group(1) is None:
            continue
        ps = [int(p) if p else 0 for p in m.group(1).split(';')]
        k = 0
        while k < len(ps):
            p = ps[k]
            if p == 0:
                st.update(bold=False, dim=False, underline=False, reverse=False, fg=None)
            elif p == 1:
                st["bold"] = True
            elif p == 2:
                st["dim"] = True
            elif p == 22:
                st.update(bold=False, dim=False)
            elif p == 4:
                st["underline"] = True
            elif p == 24:
                st["underline"] = False
            elif p == 7:
                st["reverse"] = True
            elif p == 27:
                st["reverse"] = False
            elif 30 <= p <= 37:
                st["fg"] = p - 30
            elif 90 <= p <= 97:
                st["fg"] = p - 90 + 8
            elif p == 39:
                st["fg"] = None
            elif p in (38, 48) and k + 1 < len(ps):
                if ps[k + 1] == 5:
                    if p == 38 and k + 2 < len(ps):
                        st["fg"] = ps[k + 2]
                    k += 2
                elif ps[k + 1] == 2:
                    k += 4
            k += 1
    return out


prefix, col = sys.argv[1], int(sys.argv[2])
for line in sys.stdin.read().split("\n"):
    c = cells(line)
    if "".join(ch for ch, _ in c).startswith(prefix):
        if col >= len(c):
            sys.exit(1)
        a = c[col][1]
        words = [k for k in ("bold", "dim", "underline", "reverse") if a[k]]
        if a["fg"] is not None:
            words.append("fg=%d" % a["fg"])
        print(" ".join(words) or "plain")
        sys.exit(0)
sys.exit(1)
