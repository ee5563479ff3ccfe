#!/usr/bin/env bash
# ticketed opens libcurl on first use (src/net/curl_dl.c): the commands that
# never speak to a server (diff, apply, drafts, keys) do not pay for binding
# libcurl and its TLS, LDAP and Kerberos libraries at start; the ones that
# do still work through it.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
check "ticketed is not linked with libcurl" bash -c "! readelf -d '$TICKETED' | grep -q 'NEEDED.*libcurl'"
printf '{"Title":"a"}' >"$T_TMP/a.json"; printf '{"Title":"b"}' >"$T_TMP/b.json"
LD_DEBUG=files "$TICKETED" diff "$T_TMP/a.json" "$T_TMP/b.json" >"$T_TMP/out" 2>"$T_TMP/ld"
check_eq "diff works" '[{"op":"test","path":"/Title","value":"a"},{"op":"replace","path":"/Title","value":"b"}]' "$(cat "$T_TMP/out")"
check "... without loading libcurl" bash -c "! grep -q 'libcurl' '$T_TMP/ld'"
LD_DEBUG=files "$TICKETED" --version >"$T_TMP/out" 2>"$T_TMP/ld"
check "--version names libcurl's version (loaded for it)" grep -q '^libcurl/' "$T_TMP/out"
check "... which was opened on first use" grep -q 'file=libcurl.so.4 .*dynamically loaded by' "$T_TMP/ld"
start_ticketd --data "$TOP/tests/data/service" || exit 1
"$TICKETED" list --url "$TD_URL" --top 1 --json >"$T_TMP/out" 2>"$T_TMP/err"
check_eq "a command that speaks to the service works through it" 1 "$(wc -l <"$T_TMP/out")"
