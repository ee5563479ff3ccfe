#!/usr/bin/env bash
# `ticketed drafts`: list, --discard, --url, hostile titles escaped, corrupt
# drafts reported (and discardable), an unsafe draft directory refused.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

export XDG_STATE_HOME=$T_TMP/state
DIR=$XDG_STATE_HOME/ticketed/drafts
MK="/usr/bin/python3 $TOP/tests/drafts/mkdraft.py"
U1=http://127.0.0.1:8080/api/v1
U2=https://online.superoffice.com/Cust12345/api/v1
E2='[{"field":"Title","base":"a","value":"b"},{"field":"Priority","base":{"TicketPriorityId":1},"value":{"TicketPriorityId":2}}]'
E1='[{"field":"CustomFields","key":"x_note","base":"","value":"hi"}]'

out=$("$TICKETED" drafts); rc=$?
check_eq "no drafts: exit 0" 0 "$rc"
check "no drafts: says so and names the directory" grep -q "No drafts (in $DIR)" <<<"$out"

$MK "$U1" 900 'Printer on fire' "$E2" >/dev/null
$MK "$U2/" 900 'Same id, other tenant' "$E1" >/dev/null
$MK "$U1" 4711 '\e[2J\e]0;pwned\a Hostile \e[31mtitle' "$E1" >/dev/null

out=$("$TICKETED" drafts); rc=$?
check_eq "list: exit 0" 0 "$rc"
check_eq "list: three drafts" 3 "$(grep -c '^[0-9]' <<<"$out")"
check "list: id, save time, edit count and fields" \
  grep -Eq '^900 +saved [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  2 edits: Title, Priority$' <<<"$out"
check "list: keyed edit shown as Field/key" grep -q '1 edit: CustomFields/x_note' <<<"$out"
check "list: URL and title shown" grep -q "^ *$U1\$" <<<"$out"
check "list: title shown" grep -q '^ *Printer on fire$' <<<"$out"
check "list: sorted by id" test "$(grep -o '^[0-9]*' <<<"$out" | tr '\n' ' ')" = "900 900 4711 "

# The hostile title reaches the terminal only as visible escapes.
raw=$("$TICKETED" drafts | od -An -c | tr -s ' ')
check "hostile title: no raw ESC byte" bash -c '! grep -q "033" <<<"$1"' _ "$raw"
check "hostile title: no raw BEL byte" bash -c '! grep -q "\\\\a" <<<"$1"' _ "$raw"
check "hostile title: shown escaped (^[)" grep -qF '^[[2J^[]0;pwned^G Hostile ^[[31mtitle' <<<"$out"

# A hostile save time (the draft file is not ticketed's alone to write) is
# escaped too, in the list and in what --discard says; also in a version 2
# journal, where it is the last record's time.
MKDRAFT_SAVED_AT='2024-01-01T00:00:00Z\e]52;c;cHduZWQ=\a\e[2J' $MK "$U1" 4712 'Hostile time' "$E1" >/dev/null
MKDRAFT_VERSION=2 MKDRAFT_SAVED_AT='\e]0;pwned\a' $MK "$U1" 4713 'Hostile time v2' "$E1" >/dev/null
out=$("$TICKETED" drafts)
raw=$(printf '%s' "$out" | od -An -tx1 | tr -s ' \n' ' ')
check "hostile saved_at: no raw ESC or BEL byte" bash -c '! grep -Eq " (1b|07)( |$)" <<<"$1"' _ "$raw"
check "hostile saved_at: shown escaped" grep -qF 'saved 2024-01-01T00:00:00Z^[]52;c;cHduZWQ=^G^[[2J' <<<"$out"
check "hostile saved_at (version 2): shown escaped" grep -qF 'saved ^[]0;pwned^G' <<<"$out"
out=$("$TICKETED" drafts --discard 4712 2>&1; "$TICKETED" drafts --discard 4713 2>&1)
raw=$(printf '%s' "$out" | od -An -tx1 | tr -s ' \n' ' ')
check "hostile saved_at: --discard says it escaped" bash -c '! grep -Eq " (1b|07)( |$)" <<<"$1"' _ "$raw"
check_eq "hostile saved_at: both discarded" 2 "$(grep -c '^Discarded' <<<"$out")"

# A version 2 journal (what ticketed writes now) lists the same way.
MKDRAFT_VERSION=2 $MK "$U1" 4714 'Version two' "$E2" >/dev/null
check "version 2: listed with its fields" bash -c "'$TICKETED' drafts | grep -Eq '^4714 +saved .*  2 edits: Title, Priority\$'"
"$TICKETED" drafts --discard 4714 >/dev/null

# --url narrows the list (userinfo and trailing slash do not matter).
out=$("$TICKETED" drafts --url "https://bob:secret@online.superoffice.com/Cust12345/api/v1/")
check_eq "--url: one draft listed" 1 "$(grep -c '^[0-9]' <<<"$out")"
check "--url: the matching one" grep -q 'Same id, other tenant' <<<"$out"
check "--url: credential never echoed" bash -c '! grep -q secret <<<"$1"' _ "$out"

# --discard ID --url URL removes only that URL's draft.
out=$("$TICKETED" drafts --discard 900 --url "$U2" 2>&1); rc=$?
check_eq "discard with --url: exit 0" 0 "$rc"
check "discard with --url: says what was removed" grep -q "Discarded the draft of ticket 900 on $U2 (saved .*, 1 edit)" <<<"$out"
check_eq "discard with --url: the other URL's draft kept" 2 "$("$TICKETED" drafts | grep -c '^[0-9]')"

# --discard ID removes every draft of the ticket.
$MK "$U2" 900 'again' "$E1" >/dev/null
out=$("$TICKETED" drafts --discard=900 2>&1); rc=$?
check_eq "discard all URLs: exit 0" 0 "$rc"
check_eq "discard all URLs: two removed" 2 "$(grep -c '^Discarded the draft of ticket 900' <<<"$out")"
check "discard: files gone" bash -c '! ls "$1" | grep -q "^900-"' _ "$DIR"
check_eq "discard: 4711 untouched" "4711" "$("$TICKETED" drafts | grep -o '^[0-9]*')"

# Discarding a draft that is not there: exit 1 and a message.
err=$("$TICKETED" drafts --discard 900 2>&1 >/dev/null); rc=$?
check_eq "discard missing: exit 1" 1 "$rc"
check "discard missing: says so" grep -q 'no draft for ticket 900' <<<"$err"
"$TICKETED" drafts --discard 4711 --url http://elsewhere/api/v1 >/dev/null 2>&1
check_eq "discard on another URL: exit 1" 1 "$?"
check "discard on another URL: 4711 kept" test -n "$(ls "$DIR" | grep '^4711-.*[0-9a-f]\.json$')"

# Usage errors: exit 1.
for args in "--discard" "--discard abc" "--discard 0" "--bogus" "extra"; do
  # shellcheck disable=SC2086
  "$TICKETED" drafts $args >/dev/null 2>&1
  check_eq "usage error ($args): exit 1" 1 "$?"
done
"$TICKETED" drafts --help | grep -q 'ticketed drafts --discard ID'
check_eq "--help: exit 0 with usage" 0 "$?"

# A corrupt draft is listed as unreadable with its position, never deleted,
# and an explicit discard removes it.
j=$($MK "$U1" 905 'will break' "$E1")
printf '{"version": 1,\n  "url": oops}' >"$j"
out=$("$TICKETED" drafts 2>&1); rc=$?
check_eq "corrupt: listing still exits 0" 0 "$rc"
check "corrupt: reported with path:line:column" grep -qF "905     unreadable: $j:2:" <<<"$out"
check "corrupt: other drafts still listed" grep -q '^4711 ' <<<"$out"
check "corrupt: file kept" test -f "$j"
out=$("$TICKETED" drafts --discard 905 2>&1); rc=$?
check_eq "corrupt: discard exit 0" 0 "$rc"
check "corrupt: discard removed it" test ! -e "$j"
check "corrupt: discard says unreadable" grep -q 'ticket 905 (unreadable)' <<<"$out"

# An unsafe draft directory is refused, naming it and the fix.
chmod 755 "$DIR"
err=$("$TICKETED" drafts 2>&1 >/dev/null); rc=$?
check_eq "unsafe dir: exit 1" 1 "$rc"
check "unsafe dir: names the directory and the fix" grep -qF "$DIR has mode 0755" <<<"$err"
check "unsafe dir: says chmod 700" grep -qF "chmod 700 $DIR" <<<"$err"
"$TICKETED" drafts --discard 4711 >/dev/null 2>&1
check_eq "unsafe dir: discard refused too" 1 "$?"
chmod 700 "$DIR"
check_eq "safe again: listed" "4711" "$("$TICKETED" drafts | grep -o '^[0-9]*')"
