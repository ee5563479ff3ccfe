#!/usr/bin/env bash
# TLS: verification is on by default; --insecure skips it; --cacert trusts a
# private CA. Against tests/net/stub_server.py with a throwaway self-signed
# certificate for 127.0.0.1.
. "$(dirname "$0")/../lib.sh"

if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
     -addext subjectAltName=IP:127.0.0.1 -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" 2>"$T_TMP/openssl.err"; then
  not_ok "openssl makes a self-signed certificate (openssl: make deps)"; sed 's/^/#   /' "$T_TMP/openssl.err"; exit 1
fi
pf=$T_TMP/stub.port
/usr/bin/python3 "$TOP/tests/net/stub_server.py" --port-file "$pf" --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem" 2>"$T_TMP/stub.err" &
at_exit "kill $!"
for _ in $(seq 1 200); do [ -s "$pf" ] && break; nap 0.05; done
URL=https://127.0.0.1:$(cat "$pf")/ok/api/v1
get() { "$TICKETED" get "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }

get --url "$URL" 5
check_eq "self-signed certificate: exit 2" 2 "$(cat "$T_TMP/rc")"
check "self-signed certificate: curl's TLS error" grep -q '^ticketed: ticket 5: SSL certificate problem: self.signed certificate' "$T_TMP/err"
get --url "$URL" --insecure 5
check_eq "--insecure: loads" 0 "$(cat "$T_TMP/rc")"
check "--insecure: the ticket" grep -q '"TicketId":5' "$T_TMP/out"
get --url "$URL" --cacert "$T_TMP/cert.pem" 5
check_eq "--cacert trusts the certificate" 0 "$(cat "$T_TMP/rc")"
get --url "$URL" --cacert "$T_TMP/missing.pem" 5
check_eq "--cacert naming a missing file: exit 2" 2 "$(cat "$T_TMP/rc")"
check "... with curl's message" grep -q "error setting certificate file: $T_TMP/missing.pem" "$T_TMP/err"
get --url "https://localhost:$(cat "$pf")/ok/api/v1" --cacert "$T_TMP/cert.pem" 5
check_eq "host name mismatch is refused" 2 "$(cat "$T_TMP/rc")"
check "... saying so" grep -q "no alternative certificate subject name matches target host name 'localhost'" "$T_TMP/err"
