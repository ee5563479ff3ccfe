#!/usr/bin/env bash
# The language headers (Accept-Language, SO-Language, SO-Culture,
# SO-TimeZone) from the config file and the options arrive at ticketd, on
# the editor's load and save as well as on `ticketed get`, as ticketd's
# --log records them. Option beats config. Accept-Language is always sent.
. "$TOP/tests/lib.sh"
start_ticketd --data "$TOP/tests/data/service" || exit 1
CFG=$T_TMP/config
cat >"$CFG" <<EOC
url = $TD_URL
language = nb-NO
so_language = nb
culture = nb-NO
timezone = Europe/Oslo
EOC
HDRS='Accept-Language=nb-NO SO-Language=nb SO-Culture=nb-NO SO-TimeZone=Europe/Oslo'

printf '%s\n' ':expect screen "Loaded ticket 900"' '/Title<Enter>' '<Enter><C-u>Headers arrive<Enter>' \
  's' ':expect screen "Saved"' 'q' >"$T_TMP/save.replay"
"$TICKETED" --config "$CFG" --headless --replay "$T_TMP/save.replay" 900 >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "editor with the config: load, edit, save (exit 0)" 0 "$?"
td_log_sync
check "the load's GET carried all four headers" grep -q "GET /api/v1/Ticket/900.* 200 .*auth=none $HDRS\$" "$TD_LOG"
check "the save's PATCH carried all four headers" grep -q "PATCH /api/v1/Ticket/900.* 200 .*auth=none $HDRS\$" "$TD_LOG"
check "every request the editor made carried them" \
  bash -c "[ \$(grep -c ' /api/v1/' '$TD_LOG') -ge 2 ] && ! grep ' /api/v1/' '$TD_LOG' | grep -v td_log_sync | grep -vq '$HDRS\$'"

n=$(wc -l <"$TD_LOG")
"$TICKETED" get --config "$CFG" --lang de-DE --timezone UTC 900 >/dev/null 2>"$T_TMP/err"
check_eq "ticketed get with options over the config: exit 0" 0 "$?"
td_log_sync
check "options beat the config at ticketd" \
  bash -c "tail -n +$((n + 1)) '$TD_LOG' | grep -q 'auth=none Accept-Language=de-DE SO-Language=nb SO-Culture=nb-NO SO-TimeZone=UTC\$'"

n=$(wc -l <"$TD_LOG")
"$TICKETED" get --url "$TD_URL" 900 >/dev/null 2>"$T_TMP/err"
td_log_sync
check "without config or options Accept-Language comes from the locale (C.UTF-8: en)" \
  bash -c "tail -n +$((n + 1)) '$TD_LOG' | grep -q 'GET /api/v1/Ticket/900 .*auth=none Accept-Language=en\$'"
