#!/usr/bin/env bash
# The conflict screen in a real terminal: a concurrent change of the same
# field (wide text), base / mine / theirs side by side and wrapped by
# columns, the rebased edit listed, resize, e edits a merged value from
# mine in a line editor over the conflict screen (base / mine / theirs stay
# in view), s resubmits guarded by theirs.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
tui_start "$TICKETED --url $TD_URL 900"
check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
tui_keys / T i t l e Enter Enter C-u
tui_keys -l "Mine: the VPN tunnel restarts when the DHCP lease renews"
tui_keys Enter
tui_keys / A u t h o r Enter Enter C-u
tui_keys -l "Me"
tui_keys Enter
check "the screen shows: 2 modified" tui_wait " 2 modified"
curl -s -o /dev/null -X PATCH -H 'Content-Type: application/json-patch+json' \
  -d '[{"op":"replace","path":"/Title","value":"紧急 Theirs: 紧急紧急紧急紧急紧急紧急紧急紧急紧急"},{"op":"replace","path":"/AlertLevel","value":7}]' \
  "$TD_URL/Ticket/900"
tui_keys s
check "409 opens the conflict screen" tui_wait "Conflicts in ticket 900 (HTTP 409): 1 of 1 open"
check "columns captioned" tui_wait "base (yours was made on)  mine                      theirs (on the server)"
check "long text wrapped by columns" tui_wait "minutes for the Bergen    restarts when the DHCP"
check "wide text wrapped by columns" tui_wait "紧急紧急紧急紧急紧急紧急"
check "what s sends is listed" tui_wait "What s sends once every conflict is decided"
check "... the rebased edit, and why" tui_wait "  Author  yours (only you changed it)"
check "... the open one waits" tui_wait "  Title   waits for your choice (m, t or e)"
check "footer: the keys that apply (no s while open)" tui_wait "m:mine  t:theirs  e:edit  Esc:close  ?:help"
tmux resize-window -t "$TMUX_S" -x 100 -y 30
check "resize redraws wider columns" tui_wait "base (yours was made on)        mine"
tui_keys s
check "s refuses while a conflict is open" tui_wait "1 conflict still open"
tui_keys e
check "e opens the line editor on mine, the columns in view" tui_wait "Merged Title: starts from mine"
check "... with theirs still shown" tui_wait "theirs (on the server)"
tui_keys C-u
tui_keys -l "Merged title"
tui_keys Enter
check "back on the conflict screen with the merged value" tui_wait "merged:   Merged title"
check "the conflict is decided" tui_wait "0 of 1 open"
tui_keys s
check "resubmitted and saved" tui_wait "Saved"
check "nothing left modified" tui_wait " 0 modified"
got=$(curl -s "$TD_URL/Ticket/900" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["Title"], "|", d["Author"], "|", d["AlertLevel"])')
check_eq "server: merged title, my author, their alert level" "Merged title | Me | 7" "$got"
tui_keys q
check_eq "exit 0" 0 "$(tui_exit)"
check "stty restored" stty_same
