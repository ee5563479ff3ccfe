#!/usr/bin/env bash
# The README's "A day at the support desk" walk-through is one section
# (finding the ticket, reading the conversation, leaving a note, one script
# over many tickets), and what it shows is what the program prints: the
# `ticketed list --mine` table (TZ=UTC) and the message list of ticket 900
# (TZ=Europe/Oslo, its lines down to the "..."), against the sample data.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PY=/usr/bin/python3
README=$TOP/README.md

check_eq "one \"A day at the support desk\" section" 1 \
  "$(grep -c '^## A day at the support desk$' "$README")"
section=$(awk '/^## A day at the support desk$/ { on = 1; next } on && /^## / { exit } on' "$README")
for sub in "Finding the ticket" "Reading the conversation" "Leaving a note" "One script, many tickets"; do
  check "the walk-through has \"### $sub\"" grep -qx "### $sub" <<<"$section"
done

# Lines of the section's fenced blocks: from the one that is exactly START
# (itself included when WITH is set) up to the closing fence, a line
# starting with "$ ", or "  ...".
block() {  # START [WITH]
  printf '%s\n' "$section" | awk -v start="$1" -v with="${2:-}" '
    $0 == start { on = 1; if (with == "") next }
    on && (/^```/ || /^\$ / || /^  \.\.\.$/) { exit }
    on { sub(/[ ]+$/, ""); print }'
}

start_ticketd --data "$TOP/tests/data/service" || { not_ok "ticketd"; exit 0; }
want=$(block '$ ticketed list --mine')
got=$(cd "$T_TMP" && TZ=UTC XDG_STATE_HOME=$T_TMP/state "$TICKETED" list --url "$TD_URL" --mine 2>&1 | sed 's/[ ]*$//')
check "the README shows a table for ticketed list --mine" test -n "$want"
check_eq "ticketed list --mine prints what the README shows" "$want" "$got"

cat >"$T_TMP/m.replay" <<'EOF2'
m
:expect screen "8 of 8 shown"
:dump messages.txt
<Esc>
q
EOF2
(cd "$T_TMP" && TZ=Europe/Oslo XDG_STATE_HOME=$T_TMP/state "$TICKETED" --url "$TD_URL" --headless \
  --replay "$T_TMP/m.replay" 900 >/dev/null 2>"$T_TMP/err"); rc=$?
check_eq "the replay that shows the message list" 0 "$rc"
want=$(block ' Messages of ticket 900: VPN drops every 10 minutes for the Bergen office' with)
n=$(printf '%s\n' "$want" | wc -l)
got=$(head -n "$n" "$T_TMP/messages.txt" 2>/dev/null | sed 's/[ ]*$//')
check "the README shows the message list" test "$n" -ge 3
check_eq "the message list is the program's (the README's lines)" "$want" "$got"
