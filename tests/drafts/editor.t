#!/usr/bin/env bash
# Drafts end to end, through the editor: a replay that ends with
# unsaved edits leaves a draft and exits 3; SIGHUP (a dropped SSH session),
# SIGTERM and SIGINT leave one; no credential reaches the draft files; the
# next open offers restore / discard / keep, and a restore merges onto the
# current server copy (a colleague's change of the same field is a conflict).
#
# Needs the editor wired to src/app/draft.c (see include/ticketed/draft.h).
# The restore prompt is assumed to show the word "draft" and take the keys
# below; adjust them here if the editor's prompt uses others.
RESTORE_KEY=r DISCARD_KEY=d KEEP_KEY=k
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/tui-lib.sh"

export XDG_STATE_HOME=$T_TMP/state
DIR=$XDG_STATE_HOME/ticketed/drafts
PW='S3cret-Pw!x'
export TICKETED_USER=bob TICKETED_PASSWORD=$PW
start_ticketd --data "$TOP/tests/data/service" --user bob --password "$PW" || exit 1
W=$T_TMP/w; mkdir -p "$W"

# run NAME EXIT REPLAY-TEXT [OPTIONS...] — run a headless replay against ticketd.
run() {
  local name=$1 want=$2 text=$3; shift 3
  printf '%s\n' "$text" >"$W/$name.replay"
  set -- "$name" "$want" "$text" "$@"
  (cd "$W" && timeout -k 2 120 "$TICKETED" --url "$TD_URL" --headless "${@:4}" --replay "$W/$1.replay" 900 \
     >"$W/$1.out" 2>"$W/$1.err"); local rc=$?
  check_eq "$1: exit $2" "$2" "$rc"
  [ "$rc" != "$2" ] && sed 's/^/#   stderr: /' "$W/$1.err" | head -20
}
server_title() {
  curl -s -u "bob:$PW" "$TD_URL/Ticket/900" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Title"])'
}
drafts_of_900() { ls "$DIR" 2>/dev/null | grep -c '^900-[0-9a-f]*\.json$'; }

# 1. A replay that ends with unsaved edits: exit 3 and a draft.
run eof 3 '/Title<Enter>
<Enter><C-u>Draft title<Enter>
:expect modified 1'
check_eq "eof: one draft of 900" 1 "$(drafts_of_900)"
out=$("$TICKETED" drafts)
check "eof: listed with the edited field" grep -q '^900 .*1 edit: Title$' <<<"$out"
check "eof: listed on the URL" grep -q "^ *$TD_URL\$" <<<"$out"
check "no secret in the draft files" bash -c "test -n \"\$(ls -A '$DIR')\" && ! grep -r -a -q -e '$PW' -e '$(printf 'bob:%s' "$PW" | base64 -w0)' '$DIR'"
check_eq "draft directory mode 0700" 700 "$(stat -c %a "$DIR")"
check_eq "draft files mode 0600" "600" "$(stat -c %a "$DIR"/* | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "no temp files left" bash -c "test -d '$DIR' && ! ls -A '$DIR' | grep -q '^\\.'"

# 2. Restore onto a server copy a colleague changed meanwhile (same field:
# a conflict; the draft survives until it is resolved and saved).
curl -s -u "bob:$PW" -X PATCH -H 'Content-Type: application/json-patch+json' \
  --data '[{"op":"replace","path":"/Title","value":"Colleague title"}]' "$TD_URL/Ticket/900" >/dev/null
run restore_conflict 3 ":expect screen \"draft\"
$RESTORE_KEY
:expect conflicts 1
:expect conflict Title" --draft ask
check_eq "restore with a conflict: draft kept" 1 "$(drafts_of_900)"
check_eq "restore with a conflict: server untouched" "Colleague title" "$(server_title)"

# 3. Discard at the prompt: the draft is gone, the ticket opens clean.
run discard 0 ":expect screen \"draft\"
$DISCARD_KEY
:expect modified 0
q" --draft ask
check_eq "discard at the prompt: draft removed" 0 "$(drafts_of_900)"

# 4. Restore without a conflict, save: the edit reaches the server and the
# draft is deleted.
run eof2 3 '/Title<Enter>
<Enter><C-u>Restored title<Enter>'
run keep 0 ":expect screen \"draft\"
$KEEP_KEY
:expect modified 0
q" --draft ask
check_eq "keep for later: draft kept" 1 "$(drafts_of_900)"
run keep_esc 0 ':expect screen "Esc: keep it for later"
<Esc>
:expect no-screen "Unsaved draft"
:expect modified 0
q' --draft ask
check_eq "Esc at the prompt keeps the draft" 1 "$(drafts_of_900)"
run restore_save 0 ":expect screen \"draft\"
$RESTORE_KEY
:expect field Title \"Restored title\"
:expect modified 1
s
:expect status 200
q" --draft ask
check_eq "restore + save: on the server" "Restored title" "$(server_title)"
check_eq "restore + save: draft deleted" 0 "$(drafts_of_900)"

# 5. Signals in a real terminal: the edit is journaled before exit 3.
for sig in HUP TERM INT; do
  tui_start "XDG_STATE_HOME=$XDG_STATE_HOME TICKETED_USER=bob TICKETED_PASSWORD='$PW' $TICKETED --url $TD_URL 900"
  check "the screen shows: Loaded ticket 900" tui_wait "Loaded ticket 900"
  tui_keys / T i t l e Enter Enter C-u
  tui_keys -l "By SIG$sig"
  tui_keys Enter
  check "the screen shows: 1 modified" tui_wait " 1 modified"
  pid=$(tui_pid)
  [ -n "$pid" ] && kill -"$sig" "$pid"
  check_eq "SIG$sig: exit 3" 3 "$(tui_exit)"
  check "SIG$sig: the edit is in the draft" grep -rqF "By SIG$sig" "$DIR"
  tmux kill-session -t "$TMUX_S"
  "$TICKETED" drafts --discard 900 >/dev/null
done

# 6. A fatal error after an edit (here a failed replay expectation, exit 4)
# still leaves the edit in a draft.
"$TICKETED" drafts --discard 900 >/dev/null 2>&1
run fatal 4 '/Title<Enter>
<Enter><C-u>Fatal title<Enter>
:expect field Title "something else"'
check "fatal error: the edit is in the draft" grep -rqF "Fatal title" "$DIR"
"$TICKETED" drafts --discard 900 >/dev/null 2>&1

# 7. An unsafe drafts directory (group/other access) is refused, never used:
# the status line says drafts are off and why; exit 3 says the edits were
# NOT kept, naming the fix.
mkdir -p "$DIR" && chmod 755 "$DIR"
run unsafe 3 ':expect screen "Drafts are off for this session"
/Title<Enter>
<Enter><C-u>Unsafe title<Enter>
:expect modified 1'
check "unsafe dir: exit message says NOT kept" grep -q "1 unsaved edit NOT kept as a draft" "$W/unsafe.err"
check "unsafe dir: names the fix" grep -qF "chmod 700 $DIR" "$W/unsafe.err"
check_eq "unsafe dir: nothing written into it" 0 "$(drafts_of_900)"
check_eq "unsafe dir: mode left as it was" 755 "$(stat -c %a "$DIR")"
chmod 700 "$DIR"
