#!/usr/bin/env bash
# --help is short and complete: every option in the code's option
# tables appears in the matching --help, so the two cannot drift. Options are
# read from the sources: options.c's long_opts (editor and get), the
# strcmp("--x") tests of cmd_diff.c / cmd_drafts.c, ticketd's long options.
. "$(dirname "$0")/../lib.sh"

long_opts() {  # FILE — the names in { "name", ... } entries of getopt tables, and options.c's SETTINGS
  { grep -o '{ "[a-z][a-z-]*", \(no\|required\|optional\)_argument' "$1" | sed 's/{ "\([^"]*\)".*/--\1/'
    grep -o '^[[:space:]]*X([A-Z_]*, "[a-z][a-z-]*", [01],' "$1" | sed 's/.*X([A-Z_]*, "\([^"]*\)".*/--\1/'; } | sort -u
}
strcmp_opts() {  # FILE — the "--name" literals compared against argv
  grep -o '"--[a-z][a-z-]*"' "$1" | tr -d '"' | sort -u
}
help_lists() {  # DESC HELP_FILE OPTION...
  local desc=$1 file=$2 missing="" o; shift 2
  for o in "$@"; do grep -q -- "$o\b" "$file" || missing="$missing $o"; done
  check_eq "$desc" "" "$missing"
}
short() {  # DESC FILE MAXLINES
  local n w
  n=$(wc -l <"$2"); w=$(awk '{ if (length > m) m = length } END { print m + 0 }' "$2")
  check "$1 is short ($n lines <= $3, widest $w <= 100)" test "$n" -le "$3" -a "$w" -le 100
}

edit_opts=$(long_opts "$TOP/src/app/options.c")
check "options.c's getopt table was read (20+ options)" test "$(echo "$edit_opts" | wc -l)" -ge 20

"$TICKETED" --help >"$T_TMP/h" 2>"$T_TMP/e"; rc=$?
check_eq "ticketed --help exits 0, nothing on stderr" "0:" "$rc:$(cat "$T_TMP/e")"
help_lists "ticketed --help lists every option of options.c" "$T_TMP/h" $edit_opts
help_lists "ticketed --help names every subcommand" "$T_TMP/h" "ticketed get" "ticketed diff" \
  apply "ticketed drafts" "ticketed keys"
short "ticketed --help" "$T_TMP/h" 30
"$TICKETED" -h >"$T_TMP/h2" 2>&1
check "ticketed -h is the same text" cmp -s "$T_TMP/h" "$T_TMP/h2"

"$TICKETED" get --help >"$T_TMP/h" 2>"$T_TMP/e"; rc=$?
check_eq "ticketed get --help exits 0" "0:" "$rc:$(cat "$T_TMP/e")"
help_lists "ticketed get --help lists every option and --pretty" "$T_TMP/h" $edit_opts --pretty

for sub in diff apply; do
  "$TICKETED" $sub --help >"$T_TMP/h" 2>"$T_TMP/e"; rc=$?
  check_eq "ticketed $sub --help exits 0" "0:" "$rc:$(cat "$T_TMP/e")"
  short "ticketed $sub --help" "$T_TMP/h" 15
done
"$TICKETED" diff --help >"$T_TMP/h"
help_lists "ticketed diff --help lists --mode --generic --pretty" "$T_TMP/h" --mode --generic --pretty
"$TICKETED" apply --help >"$T_TMP/h"
help_lists "ticketed apply --help lists --merge --pretty" "$T_TMP/h" --merge --pretty
diff_src=$(strcmp_opts "$TOP/src/app/cmd_diff.c" | grep -vx -- --help)
cat <("$TICKETED" diff --help) <("$TICKETED" apply --help) >"$T_TMP/h"
help_lists "diff/apply --help cover every option cmd_diff.c parses" "$T_TMP/h" $diff_src

"$TICKETED" drafts --help >"$T_TMP/h" 2>"$T_TMP/e"; rc=$?
check_eq "ticketed drafts --help exits 0" "0:" "$rc:$(cat "$T_TMP/e")"
help_lists "ticketed drafts --help lists every option cmd_drafts.c parses" "$T_TMP/h" \
  $(strcmp_opts "$TOP/src/app/cmd_drafts.c" | grep -vx -- --help)

"$TICKETD" --help >"$T_TMP/h" 2>"$T_TMP/e"; rc=$?
check_eq "ticketd --help exits 0" "0:" "$rc:$(cat "$T_TMP/e")"
td_opts=$(long_opts "$TOP/src/server/main.c")
check "ticketd's getopt table was read (10+ options)" test "$(echo "$td_opts" | wc -l)" -ge 10
help_lists "ticketd --help lists every option of its getopt table" "$T_TMP/h" $td_opts
short "ticketd --help" "$T_TMP/h" 30

"$TICKETED" --version >"$T_TMP/v" 2>&1; rc=$?
check_eq "ticketed --version exits 0" 0 "$rc"
has_all() { local re; for re in "$@"; do grep -q "$re" "$T_TMP/v" || return 1; done; }
check "ticketed --version: own version, libcurl, cJSON, ncurses" \
  has_all '^ticketed [0-9]' '^libcurl/[0-9]' '^cJSON [0-9]' '^ncurses [0-9]'
show "ticketed --version: $(tr '\n' ' ' <"$T_TMP/v" | cut -c1-120)"
