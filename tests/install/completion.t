#!/usr/bin/env bash
# bash completion: completion/ticketed.bash and ticketd.bash are
# sourced in a bash, `complete -p` shows them registered, and _ticketed /
# _ticketd fill COMPREPLY for subcommands, options (every option of the
# getopt tables), option values and file names.
. "$(dirname "$0")/../lib.sh"

# comp SCRIPT FUNC WORD... — COMPREPLY (sorted, one line) for the words, the
# last being the word under the cursor; runs in $T_TMP/cwd.
comp() {
  local script=$1 func=$2; shift 2
  (cd "$T_TMP/cwd" && bash --norc --noprofile -c '
    . "$1" || exit 1; func=$2; shift 2
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    "$func"; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
    _ "$script" "$func" "$@")
}
TC=$TOP/completion/ticketed.bash
DC=$TOP/completion/ticketd.bash
mkdir -p "$T_TMP/cwd/themes" "$T_TMP/mythemes"
touch "$T_TMP/cwd/themes/local-one.theme" "$T_TMP/mythemes/mine.theme" "$T_TMP/cwd/run.replay" "$T_TMP/cwd/rest.txt"
export HOME=$T_TMP/home XDG_CONFIG_HOME=$T_TMP/home/.config
unset TICKETED_THEMES

check_eq "complete -p ticketed" "complete -F _ticketed ticketed" \
  "$(bash --norc -c ". '$TC'; complete -p ticketed")"
check_eq "complete -p ticketd" "complete -F _ticketd ticketd" \
  "$(bash --norc -c ". '$DC'; complete -p ticketd")"

check_eq "subcommands" "apply diff drafts get keys list recent" "$(comp "$TC" _ticketed ticketed '')"
check_eq "subcommands starting with d" "diff drafts" "$(comp "$TC" _ticketed ticketed d)"
check_eq "--conflict values" "fields none strict" "$(comp "$TC" _ticketed ticketed --conflict '')"
check_eq "--auth b" "basic bearer" "$(comp "$TC" _ticketed ticketed --auth b)"
check_eq "--theme from ./themes" "local-one" "$(comp "$TC" _ticketed ticketed --theme l)"
check_eq "--theme from \$TICKETED_THEMES" "mine" \
  "$(TICKETED_THEMES=$T_TMP/mythemes comp "$TC" _ticketed ticketed --theme mi)"
check_eq "--replay completes file names" "rest.txt run.replay" "$(comp "$TC" _ticketed ticketed --replay r)"
check_eq "--config completes file names" "run.replay" "$(comp "$TC" _ticketed ticketed --config ru)"
check_eq "--url takes no completion" "" "$(comp "$TC" _ticketed ticketed --url h)"
check_eq "diff --mode values" "fields none" "$(comp "$TC" _ticketed ticketed diff --mode '')"
check_eq "diff options" "--generic --help --mode --pretty" "$(comp "$TC" _ticketed ticketed diff --)"
check_eq "apply files" "rest.txt run.replay" "$(comp "$TC" _ticketed ticketed apply r)"
check_eq "drafts options" "--discard --help --url" "$(comp "$TC" _ticketed ticketed drafts --)"
check "get offers --pretty" bash -c "[[ ' $(comp "$TC" _ticketed ticketed get --p) ' == *' --pretty '* ]]"

long_opts() {  # the names in getopt tables, and options.c's SETTINGS
  grep -o '{ "[a-z][a-z-]*", \(no\|required\|optional\)_argument' "$1" | sed 's/{ "\([^"]*\)".*/--\1/'
  grep -o '^[[:space:]]*X([A-Z_]*, "[a-z][a-z-]*", [01],' "$1" | sed 's/.*X([A-Z_]*, "\([^"]*\)".*/--\1/'
}
all=" $(comp "$TC" _ticketed ticketed --) "
missing=""
for o in $(long_opts "$TOP/src/app/options.c"); do [[ $all == *" $o "* ]] || missing="$missing $o"; done
check_eq "ticketed -- offers every option of options.c" "" "$missing"

all=" $(comp "$DC" _ticketd ticketd --) "
missing=""
for o in $(long_opts "$TOP/src/server/main.c"); do [[ $all == *" $o "* ]] || missing="$missing $o"; done
check_eq "ticketd -- offers every option of its getopt table" "" "$missing"
check_eq "ticketd --dates values" "keep naive offset" "$(comp "$DC" _ticketd ticketd --dates '')"
check_eq "ticketd --fault h" "html-error http500-every=" "$(comp "$DC" _ticketd ticketd --fault h)"

# Recent ticket ids, from $XDG_STATE_HOME/ticketed/recent (newest first,
# each once; a line that is not an id is ignored, however hostile).
export XDG_STATE_HOME=$T_TMP/state
mkdir -p "$XDG_STATE_HOME/ticketed"
printf '4711\t1700000300\thttp://h/api/v1\tPrinter\n900\t1700000200\thttp://h/api/v1\tVPN\n' \
  >"$XDG_STATE_HOME/ticketed/recent"
printf '4711\t1700000100\thttp://other/api/v1\tsame id elsewhere\n$(touch pwned)\t1\tx\ty\n0\t1\tx\ty\n' \
  >>"$XDG_STATE_HOME/ticketed/recent"
check_eq "recent ids complete the ticket, after the subcommands" "4711 900 apply diff drafts get keys list recent" \
  "$(comp "$TC" _ticketed ticketed '')"
check_eq "... a prefix picks among them" "4711" "$(comp "$TC" _ticketed ticketed 47)"
check_eq "... after options too" "900" "$(comp "$TC" _ticketed ticketed --url x 9)"
check_eq "... more ids for a batch" "4711 900" "$(comp "$TC" _ticketed ticketed --replay f.replay 900 '')"
check_eq "... for get" "4711 900" "$(comp "$TC" _ticketed ticketed get '')"
check "... nothing in the file is run" test ! -e "$T_TMP/cwd/pwned"
check_eq "--ids-from completes file names" "rest.txt run.replay" "$(comp "$TC" _ticketed ticketed --ids-from r)"
check_eq "list options" "--category --json --mine --search --status --top" \
  "$(comp "$TC" _ticketed ticketed list --url x -- | tr ' ' '\n' | grep -E -- '^--(mine|status|category|search|top|json)$' | tr '\n' ' ' | sed 's/ $//')"
check_eq "list --status takes a name, no completion" "" "$(comp "$TC" _ticketed ticketed list --status '')"
rm -f "$XDG_STATE_HOME/ticketed/recent"
check_eq "no recent file: no ids" "apply diff drafts get keys list recent" "$(comp "$TC" _ticketed ticketed '')"
