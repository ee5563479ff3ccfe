#!/usr/bin/env bash
# Editor figures (printed, never asserted):
#  - first paint of the 5,000-message ticket vs curl fetching it on loopback
#    (target <= 1.5x curl + 20 ms)
#  - bytes written to an 80x24 terminal: cursor one row down (<= 200 bytes),
#    one character typed in the line editor (<= 32 bytes)
#  - peak memory with the 5,000-message ticket (<= 3x JSON size + 8 MiB)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PTY=$BUILD/tools/ui_ptycount
[ -x "$PTY" ] || { echo "# ui.sh: $PTY missing (make tests)"; exit 0; }
start_ticketd --data "$TOP/tests/data/service" || exit 1
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

size=$(curl -s "$TD_URL/Ticket/950" | wc -c)
curl_ms=$(for i in 1 2 3 4 5 6 7; do
  curl -s -o /dev/null -w '%{time_total}\n' "$TD_URL/Ticket/950"; done |
  awk '{ printf "%.1f\n", $1 * 1000 }' | median)

printf 'expect Loaded ticket 950\n' >"$T_TMP/paint"
paint=$(for i in 1 2 3 4 5; do
  "$PTY" "$T_TMP/paint" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 950 |
    sed -n 's/^expect Loaded ticket 950 \([0-9]*\) ms$/\1/p'; done | median)
target=$(awk -v c="$curl_ms" 'BEGIN { printf "%.1f", c * 1.5 + 20 }')
echo "first paint, ticket 950 ($size bytes JSON): ${paint} ms; curl: ${curl_ms} ms; target <= ${target} ms"

cat >"$T_TMP/bytes" <<'S'
expect Loaded ticket 900
settle 300
reset
send j
settle 300
count cursor-one-row
send /Title\r
settle 300
send \r
settle 300
reset
send x
settle 300
count type-one-char
send \e
settle 200
send qd
S
out=$("$PTY" -c 80 -r 24 "$T_TMP/bytes" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 900)
echo "bytes to the terminal at 80x24: cursor one row $(sed -n 's/^cursor-one-row //p' <<<"$out") (target <= 200)," \
     "one character typed $(sed -n 's/^type-one-char //p' <<<"$out") (target <= 32)"

printf 'expect Loaded ticket 950\nsettle 300\nsend G\nsettle 300\nsend q\n' >"$T_TMP/mem"
rss=$("$PTY" "$T_TMP/mem" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 950 | sed -n 's/^maxrss \([0-9]*\) KB$/\1/p')
echo "peak memory, ticket 950: ${rss} KB; target <= $(( (size * 3 + 8 * 1048576) / 1024 )) KB"
