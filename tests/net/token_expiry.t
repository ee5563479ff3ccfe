#!/usr/bin/env bash
# A bearer token that expires between the load and the save, against
# ticketd (--token-file: the token in the file is the one valid now, as a
# token service that has issued a new one). A recording proxy swaps the
# token just before the first PATCH reaches ticketd, so the save is the
# request that meets the expired token:
# - with token_command, the PATCH answered 401 (nothing applied) runs the
#   command once more and is sent again with the fresh token: saved once;
# - with only TICKETED_TOKEN (headless, no way to refresh), the edits stay
#   in the draft (exit 3) and the message says how to give a fresh token.
. "$TOP/tests/lib.sh"
PY=/usr/bin/python3
TOK=$T_TMP/valid-token
echo "Tok-One" >"$TOK"
start_ticketd --data "$TOP/tests/data/service" --token-file "$TOK" || exit 1

# ticketd itself: the token in the file is accepted, another one is not,
# and a new token in the file takes effect at once (no restart)
code() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $1" "$TD_URL/Ticket/900"; }
check_eq "--token-file: its token is accepted (Bearer)" 200 "$(code 'Bearer Tok-One')"
check_eq "... and as SOTicket" 200 "$(code 'SOTicket Tok-One')"
check_eq "another token: 401" 401 "$(code 'Bearer Tok-Two')"
check_eq "no Authorization: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$TD_URL/Ticket/900")"
echo "Tok-Two" >"$TOK"
check_eq "a new token in the file: the old one has expired (401)" 401 "$(code 'Bearer Tok-One')"
check_eq "... and the new one is accepted" 200 "$(code 'Bearer Tok-Two')"

# The proxy: before the first PATCH it replaces the token (the old one expires)
HOOK=$T_TMP/expire.between
cat >"$HOOK" <<EOH
# METHOD PATH N: the first PATCH finds the token expired
if [ "\$1" = PATCH ] && [ "\$3" = 1 ]; then echo "Tok-Fresh" >"$TOK"; fi
EOH

# 1. token_command: runs at start (Tok-Two, valid), and once more after the 401
echo "Tok-Two" >"$TOK"
cat >"$T_TMP/tok.sh" <<EOS
#!/bin/sh
echo run >>"$T_TMP/tok.count"
cat "$TOK"
EOS
chmod 700 "$T_TMP/tok.sh"
CFG=$T_TMP/config
printf 'auth = bearer\ntoken_command = %s\n' "$T_TMP/tok.sh" >"$CFG"
chmod 600 "$CFG"
start_proxy "$TD_PORT" "$HOOK"
printf '%s\n' '/Title<Enter>' '<Enter><C-u>Saved with a fresh token<Enter>' 's' \
  ':expect status 200' ':expect screen "Saved"' 'q' >"$T_TMP/save.replay"
(cd "$T_TMP" && XDG_STATE_HOME=$T_TMP/state1 "$TICKETED" --config "$CFG" --url "$PX_URL" --headless \
  --replay "$T_TMP/save.replay" --log "$T_TMP/trace1.log" 900 >"$T_TMP/out1" 2>"$T_TMP/err1"); rc=$?
check_eq "token_command: the save that met an expired token is saved (exit 0)" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/err1" | head -5
td_log_sync
check_eq "... ticketd answered the PATCH 401, then 200" "401 200" \
  "$(grep 'PATCH /api/v1/Ticket/900' "$TD_LOG" | grep -o ' [0-9][0-9][0-9] ' | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')"
check_eq "... token_command ran twice (start, after the 401)" 2 "$(wc -l <"$T_TMP/tok.count")"
check "... the title is saved" bash -c "curl -s -H 'Authorization: Bearer Tok-Fresh' '$TD_URL/Ticket/900' | grep -q '\"Title\":\"Saved with a fresh token\"'"
check "... no token in the trace" bash -c "! grep -q 'Tok-' '$T_TMP/trace1.log'"

# 2. only TICKETED_TOKEN, headless: the edits stay in the draft, exit 3
echo "Tok-Two" >"$TOK"
start_proxy "$TD_PORT" "$HOOK"
printf '%s\n' '/Title<Enter>' '<Enter><C-u>Never saved<Enter>' 's' 'q' >"$T_TMP/lost.replay"
(cd "$T_TMP" && TICKETED_TOKEN=Tok-Two XDG_STATE_HOME=$T_TMP/state2 "$TICKETED" --auth bearer --url "$PX_URL" \
  --headless --replay "$T_TMP/lost.replay" 900 >"$T_TMP/out2" 2>"$T_TMP/err2"); rc=$?
check_eq "TICKETED_TOKEN only: the edits are kept as a draft (exit 3)" 3 "$rc"
check "... the message says how to provide a fresh token" grep -q 'ticket 900: Save failed: .*set TICKETED_TOKEN to a fresh one, or token_command' "$T_TMP/err2"
[ "$rc" = 3 ] || sed 's/^/#   /' "$T_TMP/err2" | head -5
check "... the draft holds the edit" bash -c "XDG_STATE_HOME='$T_TMP/state2' '$TICKETED' drafts | grep -q 900"
check "... nothing was saved" bash -c "! curl -s -H 'Authorization: Bearer Tok-Fresh' '$TD_URL/Ticket/900' | grep -q 'Never saved'"
check "... the token is in neither the output nor the draft" \
  bash -c "! grep -rq 'Tok-Two' '$T_TMP/out2' '$T_TMP/err2' '$T_TMP/state2'"
