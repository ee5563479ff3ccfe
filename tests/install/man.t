#!/usr/bin/env bash
# The man pages cannot drift: $BUILD/man/ticketed.1 is built from
# man/ticketed.1.in plus `ticketed help-roff keys|replay`; this checks the
# page documents every action of include/ticketed/action.h with the keys
# `ticketed keys` prints, every replay directive the parser in
# src/ui/replay.c knows, every option of the getopt tables, and that groff
# and man render both pages without a warning.
. "$(dirname "$0")/../lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL

make --no-print-directory -C "$TOP" BUILD="$BUILD" man >"$T_TMP/make.log" 2>&1
check_eq "make man builds the pages" 0 "$?"
for page in ticketed ticketd; do
  f=$BUILD/man/$page.1
  groff -ww -z -man "$f" >"$T_TMP/groff.out" 2>&1
  check_eq "groff -ww -z -man $page.1: no warning" "0:" "$?:$(head -3 "$T_TMP/groff.out")"
  MANWIDTH=80 man --warnings -l "$f" >"$T_TMP/$page.txt" 2>"$T_TMP/man.err"
  check_eq "man -l $page.1: no warning" "0:" "$?:$(head -3 "$T_TMP/man.err")"
  check "$page.1 has no unfilled @PLACEHOLDER@" bash -c "! grep -q '@[A-Z]*@' '$f'"
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" "SEE ALSO"; do
    grep -q "^$s" "$T_TMP/$page.txt" || echo "# $page.1: no section $s" >>"$T_TMP/nosec"
  done
done
for s in COMMANDS KEYS CONFIGURATION ENVIRONMENT FILES "REPLAY FILES" THEMES EXAMPLES; do
  grep -q "^$s" "$T_TMP/ticketed.txt" || echo "# ticketed.1: no section $s" >>"$T_TMP/nosec"
done
check_eq "every required section present" "" "$(cat "$T_TMP/nosec" 2>/dev/null)"
T=$T_TMP/ticketed.txt
# Join the rendered page into one line of single-spaced words for searching.
tr -s ' \n' '  ' <"$T" >"$T_TMP/flat"

# Every action named in the ACTIONS table appears as "(name)".
actions=$(grep -o '^[[:space:]]*X([A-Z_]*, *"[a-z-]*"' "$TOP/include/ticketed/action.h" | sed 's/.*"\(.*\)"/\1/')
check "action.h's table was read (20+ actions)" test "$(echo "$actions" | wc -l)" -ge 20
missing=""
for a in $actions; do grep -qF "($a)" "$T_TMP/flat" || missing="$missing $a"; done
check_eq "ticketed.1 documents every action" "" "$missing"

# Every key list `ticketed keys` prints appears as a comma-separated list
# (a label twice, like BS for three codes, once).
"$TICKETED" keys >"$T_TMP/keys" 2>&1
check "ticketed keys prints key bindings" test "$(grep -c '^  ' "$T_TMP/keys")" -ge 20
missing=""
while IFS= read -r line; do
  case $line in "  "*) ;; *) continue ;; esac
  keys=$(printf '%s' "${line:2:22}" | tr -s ' ' '\n' | awk 'NF && !seen[$0]++' | paste -sd, | sed 's/,/, /g')
  grep -qF -- "$keys" "$T" || missing="$missing [$keys]"
done <"$T_TMP/keys"
check_eq "ticketed.1 lists the keys of every binding 'ticketed keys' prints" "" "$missing"

# Every :expect kind and every directive of the parser.
expects=$(grep -o '{ "[a-z-]*", RP_' "$TOP/src/ui/replay.c" | sed 's/{ "\([^"]*\)".*/\1/')
check "replay.c's expectation table was read (8+)" test "$(echo "$expects" | wc -l)" -ge 8
missing=""
for e in $expects; do grep -q "^ *:expect $e\b" "$T" || missing="$missing $e"; done
for d in $(grep -o 'strcmp(w, ":[a-z]*")' "$TOP/src/ui/replay.c" | grep -o ':[a-z]*'); do
  grep -q "^ *$d\b" "$T" || missing="$missing $d"
done
check_eq "ticketed.1 documents every replay directive" "" "$missing"

# Every option of the getopt tables appears in the page.
long_opts() {  # the names in getopt tables, and options.c's SETTINGS
  grep -o '{ "[a-z][a-z-]*", \(no\|required\|optional\)_argument' "$1" | sed 's/{ "\([^"]*\)".*/--\1/'
  grep -o '^[[:space:]]*X([A-Z_]*, "[a-z][a-z-]*", [01],' "$1" | sed 's/.*X([A-Z_]*, "\([^"]*\)".*/--\1/'
}
missing=""
for o in $(long_opts "$TOP/src/app/options.c") --pretty --mode --generic --merge --discard; do
  grep -q -- "$o\b" "$T" || missing="$missing $o"
done
check_eq "ticketed.1 documents every option" "" "$missing"
missing=""
for o in $(long_opts "$TOP/src/server/main.c"); do
  grep -q -- "$o\b" "$T_TMP/ticketd.txt" || missing="$missing $o"
done
check_eq "ticketd.1 documents every option" "" "$missing"

# Every config key options.c's SETTINGS accept (the last string of an X(...) line).
keys=$(grep -o '^[[:space:]]*X(.*"[a-z_]*")' "$TOP/src/app/options.c" | grep -o '"[a-z_]*")$' | tr -d '")')
check "options.c's config keys were read (10+)" test "$(echo "$keys" | wc -l)" -ge 10
missing=""
for k in $keys; do grep -q "\b$k\b" "$T" || missing="$missing $k"; done
check_eq "ticketed.1 documents every config key" "" "$missing"

# A new action without keys or help would show up: the generator is the code.
"$TICKETED" help-roff keys >"$T_TMP/roff.keys"
check_eq "help-roff keys has one .TP per (screen, action)" \
  "$(grep -c '^  ' "$T_TMP/keys")" "$(grep -c '^\\&\\fB' "$T_TMP/roff.keys")"
"$TICKETED" help-roff bogus >/dev/null 2>&1
check_eq "help-roff with a bad argument exits 1" 1 "$?"
