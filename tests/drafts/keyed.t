#!/usr/bin/env bash
# A draft belongs to (base URL, ticket id). Opening the same ticket
# through another base URL neither offers nor touches it; the same URL
# written differently (scheme case, trailing slash) finds it.
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
A=http://127.0.0.1:$TD_PORT/api/v1
ed() {  # URL ID REPLAY-LINES...
  local url=$1 id=$2; shift 2
  printf '%s\n' "$@" >"$T_TMP/r.replay"
  # shellcheck disable=SC2086
  "$TICKETED" --url $url --headless --replay "$T_TMP/r.replay" "$id" >"$T_TMP/out" 2>"$T_TMP/err"; echo $?
}
check_eq "an edit left unsaved on URL A: exit 3" 3 \
  "$(ed "$A" 900 ':expect screen "Loaded ticket 900"' '/Title<Enter>' '<Enter><C-u>Draft on A<Enter>')"
check_eq "ticket 900 on another URL: no draft offered, nothing modified" 0 \
  "$(ed "http://localhost:$TD_PORT/api/v1" 900 ':expect screen "Loaded ticket 900"' ':expect modified 0' 'q')"
check "... and A's draft is still there" bash -c "'$TICKETED' drafts | grep -q '^900 .*1 edit: Title'"
check_eq "ticket 901 on URL A: no draft offered" 0 \
  "$(ed "$A" 901 ':expect screen "Loaded ticket 901"' ":expect modified 0" q)"
check_eq "URL A written HTTP://.../v1/: the draft is found and restored (--draft restore)" 0 \
  "$(ed "HTTP://127.0.0.1:$TD_PORT/api/v1/ --draft restore" 900 ':expect field Title "Draft on A"' 'q' 'd')"
check "... discarded on quit: no draft left" bash -c "'$TICKETED' drafts | grep -q '^No drafts'"
