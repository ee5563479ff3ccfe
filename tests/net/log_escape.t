#!/usr/bin/env bash
# Text from the network never reaches the --log trace or the user raw: the
# stub answers with ESC, BEL, CR/LF and the UTF-8 C1 CSI (\xc2\x9b) in its
# headers (Content-Type, a custom header), in the ErrorMessage and with a
# bidi override; every byte of the trace and of stderr must be printable
# (escaped as ^[, \r, \x9B, <U+202E>), and secrets in headers stay redacted.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/net/stubs.sh"
start_stub || exit 1

TICKETED_TOKEN=Tok-Log-Secret get --url "$STUB/badhdr/api/v1" --log "$T_TMP/http.log" 5
check_eq "a 400 with hostile text: exit 2" 2 "$(rc)"
check "the trace has the response headers" grep -q '< X-Evil: ' "$T_TMP/http.log"
check "every byte of the trace is printable" clean_bytes "$T_TMP/http.log"
check "ESC in a header is shown as ^[" grep -qF '< X-Evil: a^[[2J^Gb\x9Bc\rd' "$T_TMP/http.log"
check "Content-Type escaped" grep -qF '< Content-Type: application/json^[]0;title^G\x9B2J' "$T_TMP/http.log"
check "the ErrorMessage in the trace is escaped" grep -qF 'evil^[]52;c;aGk=^G \x9B31m\r\nForged: line<U+202E>' "$T_TMP/http.log"
check "Set-Cookie is redacted" grep -q '< Set-Cookie: \[redacted\]' "$T_TMP/http.log"
check "no secret in the trace" bash -c "! grep -q -e Tok-Log-Secret -e Cookie-Secret '$T_TMP/http.log'"
check "every byte on stderr is printable" clean_bytes "$T_TMP/err"
check_eq "the message is escaped once, at its source" \
  'ticketed: ticket 5: evil^[]52;c;aGk=^G \x9B31m\r\nForged: line<U+202E>' "$(err)"

# The editor on a terminal (not `get`): the load fails with the same hostile
# answers, the screen is left, and the fatal message is printed. Every byte
# the terminal is handed from the message on, and every byte of --log, is
# printable: the server's ErrorMessage, and a non-JSON answer's Content-Type.
for mode in badhdr badctype; do
  TERM=xterm /usr/bin/python3 "$TOP/tests/net/pty_capture.py" --from "ticketed: " "$TICKETED" --url "$STUB/$mode/api/v1" --log "$T_TMP/edit-$mode.log" 5 \
    >"$T_TMP/tty-$mode"
  check_eq "editor, $mode: the load fails (exit 2)" 2 "$?"
  check "editor, $mode: its message reaches the terminal" grep -q "^ticketed: " "$T_TMP/tty-$mode"
  check "editor, $mode: every byte of it is printable" clean_bytes "$T_TMP/tty-$mode"
  check "editor, $mode: every byte of --log is printable" clean_bytes "$T_TMP/edit-$mode.log"
done
check "editor: the ErrorMessage escaped" grep -qF 'evil^[]52;c;aGk=^G \x9B31m\r\nForged: line<U+202E>' "$T_TMP/tty-badhdr"
check "editor: the Content-Type escaped" grep -qF 'text/plain^[]52;c;aGk=^G\x9B2J' "$T_TMP/tty-badctype"
show "editor, badctype: $(head -1 "$T_TMP/tty-badctype")"
