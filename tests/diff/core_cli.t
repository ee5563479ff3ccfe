#!/usr/bin/env bash
# `ticketed diff` / `ticketed apply` command-line contract: errors with
# positions, exit statuses, nothing on stdout when a patch fails, stdin.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
printf '{"a": 1,\n  "b": [1, 2,]\n}\n' >bad.json
printf '{"a":1,"b":[1,2]}' >doc.json
printf '[{"op":"test","path":"/a","value":1},{"op":"replace","path":"/b/0","value":9},{"op":"remove","path":"/zz"}]' >failing.json
printf '[{"op":"add","path":"/b/-","value":3}]' >good.json

"$TICKETED" diff bad.json doc.json >out 2>err; rc=$?
check_eq "bad JSON: exit 1" 1 "$rc"
check_eq "bad JSON: FILE:LINE:COLUMN message" "bad.json:2:14: unexpected character" "$(cat err)"
check_eq "bad JSON: nothing on stdout" "" "$(cat out)"
printf '{"a":1} x' >trail.json
"$TICKETED" apply trail.json good.json >out 2>err
check "trailing garbage rejected with its position" grep -q '^trail.json:1:9: trailing garbage' err

"$TICKETED" apply doc.json failing.json >out 2>err; rc=$?
check_eq "failing patch: exit 2" 2 "$rc"
check_eq "failing patch: nothing on stdout" "" "$(cat out)"
check "failing patch: stderr names op 2 and the reason" grep -q 'op 2 (remove /zz): path does not exist' err

check_eq "apply prints compact JSON" '{"a":1,"b":[1,2,3]}' "$("$TICKETED" apply doc.json good.json)"
check_eq "apply reads the patch from stdin" '{"a":1,"b":[1,2,3]}' "$("$TICKETED" apply doc.json - <good.json)"
check_eq "object patch is a merge patch" '{"a":1,"b":{}}' "$("$TICKETED" apply doc.json <(printf '{"b":{"x":null}}'))"
check_eq "merge patch removes and adds" '{"a":1,"c":{"e":1}}' "$("$TICKETED" apply doc.json <(printf '{"b":null,"c":{"d":null,"e":1}}'))"
check_eq "--merge with an array replaces the document" '[1]' "$("$TICKETED" apply --merge doc.json <(printf '[1]'))"
check_eq "--pretty indents" 2 "$("$TICKETED" apply --pretty doc.json good.json | grep -c '^	"')"
check_eq "big integers print as integers" '{"n":819,"big":12345678901,"f":0.1,"e":1e+300}' \
  "$("$TICKETED" apply doc.json <(printf '[{"op":"replace","path":"","value":{"n":819,"big":12345678901,"f":0.1,"e":1e300}}]'))"
check_eq "untouched members pass through verbatim, compacted" '{"keep":[1.50,{"s":" a\" b "}],"n":2}' \
  "$("$TICKETED" apply <(printf '{ "keep" : [ 1.50 ,\n {"s": " a\\" b "} ], "n": 1 }') <(printf '[{"op":"replace","path":"/n","value":2}]'))"

"$TICKETED" diff onlyone.json >out 2>err; rc=$?
check_eq "usage error: exit 1" 1 "$rc"
check "usage error: short usage on stderr" grep -q '^usage: ticketed diff' err
"$TICKETED" diff --mode bogus a b >/dev/null 2>err; rc=$?
check_eq "bad --mode: exit 1" 1 "$rc"
check "diff --help prints usage, exit 0" sh -c '"$0" diff --help | grep -q "usage: ticketed diff"' "$TICKETED"
check "apply -h prints usage" sh -c '"$0" apply -h | grep -q "usage: ticketed apply"' "$TICKETED"
"$TICKETED" apply missing.json good.json >/dev/null 2>err; rc=$?
check_eq "missing file: exit 1" 1 "$rc"
check_eq "missing file: FILE: strerror" "missing.json: No such file or directory" "$(cat err)"
# A document nested deeper than the bound is refused with a position, not a crash.
/usr/bin/python3 -c 'print("[" * 600 + "]" * 600)' >deep.json
"$TICKETED" apply deep.json good.json >/dev/null 2>err; rc=$?
check_eq "too deep: exit 1" 1 "$rc"
check "too deep: error names the position" grep -q '^deep.json:1:513: nesting too deep' err
# A \u0000 escape would be cut short by cJSON ("a\u0000b" read as "a", so a
# test op could pass on a value that differs after the NUL): refused with
# its position, exit 1, by diff and apply alike.
printf '{"Title":"a\\u0000b"}' >nul.json
printf '[{"op":"test","path":"/Title","value":"a\\u0000c"}]' >nultest.json
printf '{"Title":"a"}' >a.json
"$TICKETED" apply nul.json good.json >out 2>err; rc=$?
check_eq "\\u0000 in the document: exit 1, FILE:LINE:COLUMN" "1 nul.json:1:12: \\u0000 (NUL) in a string is not supported" "$rc $(cat err)"
check_eq "…nothing on stdout" "" "$(cat out)"
"$TICKETED" apply a.json nultest.json >out 2>err; rc=$?
check_eq "\\u0000 in the patch: exit 1 (a test of 'a\\u0000c' never passes against 'a')" "1 nultest.json:1:41: \\u0000 (NUL) in a string is not supported" "$rc $(cat err)"
"$TICKETED" diff a.json - <nul.json >out 2>err; rc=$?
check_eq "diff, \\u0000 on stdin: exit 1" "1 <stdin>:1:12: \\u0000 (NUL) in a string is not supported" "$rc $(cat err)"
check_eq "an escaped backslash before u0000 is plain text" '{"Title":"C:\\u0000"}' \
  "$("$TICKETED" apply a.json <(printf '[{"op":"replace","path":"/Title","value":"C:\\\\u0000"}]'))"
