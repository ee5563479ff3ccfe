#!/usr/bin/env bash
# Editor figures (printed, never asserted), each as a "bench:" line with its
# anchor and goal (tests/bench/run collects them):
#  - first paint of the 5,000-message ticket 950, against curl fetching the
#    same ticket from the same ticketd. Both are whole processes timed from
#    their start: curl from fork to exit (its own start-up included), the
#    editor from fork until "Loaded ticket 950" is on its terminal (counted
#    through a pty by tests/tools/ui_ptycount). Runs interleaved, medians
#    of RUNS (default 7). Goal: within 1.5x curl.
#  - bytes written to the terminal at 80x24 and 200x60 for a cursor move
#    (one row down, one up), a character typed in the line editor, a
#    character typed once the text is wider than the field, and a character
#    typed at the find prompt (the most of the eight of "Deadline", a field
#    below the first screen of the form; line 14 of the JSON), against vim and
#    nano doing the same: j/k or the arrows; a character appended in insert
#    mode (vim with nowrap, so a long line scrolls as the field does); vim's
#    incremental / search (defaults.vim) and nano's ^W. The anchor in the
#    figure is the program doing the nearest thing: vim for the cursor bar
#    and the incremental find (nano's search prompt only echoes), nano for
#    the single-line editing; both are listed under each figure. A count ends when the program
#    has answered the key and waits for input again (ui_ptycount "idle").
#    Goals: cursor move <= 120 B, typed character <= 32 B, find-prompt
#    character <= 100 B, at both sizes. A missing vim or nano is skipped,
#    saying so.
#  - peak memory with ticket 950 (goal: <= 3x its JSON + 8 MiB).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
_tap_plan=  # figures, not TAP results
PTY=$BUILD/tools/ui_ptycount
[ -x "$PTY" ] || { echo "ui.sh: $PTY missing (make tests)"; exit 1; }
start_ticketd --data "$TOP/tests/data/service" || exit 1
RUNS=${RUNS:-7}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v != "" && v + 0 <= g + 0) ? "met" : "missed" }'; }
now_us() { echo "${EPOCHREALTIME/./}"; }

# --- first paint against curl -------------------------------------------------
size=$(curl -s "$TD_URL/Ticket/950" | wc -c)
printf 'expect Loaded ticket 950\n' >"$T_TMP/paint"
: >"$T_TMP/curl.ms"; : >"$T_TMP/paint.ms"
for _ in $(seq 1 "$RUNS"); do
  t0=$(now_us); curl -s -o /dev/null "$TD_URL/Ticket/950"; t1=$(now_us)
  awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f\n", d / 1000 }' >>"$T_TMP/curl.ms"
  "$PTY" "$T_TMP/paint" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 950 |
    sed -n 's/^expect Loaded ticket 950 \([0-9]*\) ms$/\1/p' >>"$T_TMP/paint.ms"
done
curl_ms=$(median <"$T_TMP/curl.ms") paint=$(median <"$T_TMP/paint.ms")
r=$(ratio "$paint" "$curl_ms")
echo "bench: first paint, ticket 950 ($size B JSON): $paint ms (curl $curl_ms ms, ratio $r) goal: <= 1.5x curl: $(verdict "$r" 1.5)"
echo "  (whole processes, interleaved, median of $RUNS; editor: $(tr '\n' ' ' <"$T_TMP/paint.ms")ms; curl: $(tr '\n' ' ' <"$T_TMP/curl.ms")ms)"

# --- terminal bytes -------------------------------------------------------------
"$TICKETED" get --pretty --url "$TD_URL" 900 >"$T_TMP/900.json"
# script_for PROGRAM COLS — the ui_ptycount script; the same steps for each program
script_for() {
  local prog=$1 cols=$2 long c
  long=$(head -c $((cols + 20)) < <(yes abcdefghij | tr -d '\n'))
  case $prog in
    ticketed) start='expect Loaded ticket 900' down=j up=k find=/ find_end='\e' ;;
    vim) start='expect 900.json' down=j up=k find=/ find_end='\e' ;;
    nano) start='expect GNU nano' down='\e[B' up='\e[A' find='\x17' find_end='\x03' ;;
  esac
  # a warm-up move first: what a program draws late after start-up (vim
  # redraws when its terminal queries go unanswered) is not a key's cost
  printf '%s\nidle\nsend %s\nidle\nsend %s\nidle\n' "$start" "$down" "$up"
  printf 'reset\nsend %s\nidle\ncount down\n' "$down"
  printf 'reset\nsend %s\nidle\ncount up\n' "$up"
  printf 'send %s\nidle\n' "$find"
  for c in D e a d l i n e; do printf 'reset\nsend %s\nidle\ncount find-%s\n' "$c" "$c"; done
  printf 'send %s\nidle\n' "$find_end"
  # into a line editor on a value: the Title field; the end of a line in insert mode
  case $prog in
    ticketed) printf 'send /Title\\r\nidle\nsend \\r\nidle\n' ;;
    vim) printf 'send A\nidle\n' ;;
    nano) printf 'send \\x05\nidle\n' ;;
  esac
  # a first character marks the text changed (nano's title bar says so); the next is counted
  printf 'send w\nidle\nreset\nsend x\nidle\ncount type\n'
  printf 'send %s\nidle\n' "$long"
  printf 'reset\nsend y\nidle\ncount type-past-width\n'
  case $prog in
    ticketed) printf 'send \\e\nidle\nsend q\nsend d\n' ;;
    vim) printf 'send \\e\nidle\nsend :q!\\r\n' ;;
    nano) printf 'send \\x18\nidle\nsend n\n' ;;
  esac
}
# bytes PROGRAM COLS ROWS — runs it; prints the counter's output
bytes() {
  local prog=$1 cols=$2 rows=$3
  script_for "$prog" "$cols" >"$T_TMP/$prog.script"
  case $prog in
    ticketed) (cd "$T_TMP" && "$PTY" -c "$cols" -r "$rows" "$T_TMP/$prog.script" -- \
                env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 900) ;;
    vim) (cd "$T_TMP" && "$PTY" -c "$cols" -r "$rows" "$T_TMP/$prog.script" -- \
                env TERM=xterm-256color HOME="$T_TMP" vim -u DEFAULTS -i NONE -n -c 'set nowrap' 900.json) ;;
    nano) (cd "$T_TMP" && "$PTY" -c "$cols" -r "$rows" "$T_TMP/$prog.script" -- \
                env TERM=xterm-256color HOME="$T_TMP" nano --ignorercfiles 900.json) ;;
  esac
}
fig() {  # OUTPUT LABEL — the count; for find, the most over its characters
  if [ "$2" = find ]; then sed -n 's/^find-. //p' <<<"$1" | sort -n | tail -1
  else sed -n "s/^$2 //p" <<<"$1"; fi
}
for geom in 80x24 200x60; do
  cols=${geom%x*} rows=${geom#*x}
  out_t=$(bytes ticketed "$cols" "$rows")
  out_v= out_n=
  if command -v vim >/dev/null; then out_v=$(bytes vim "$cols" "$rows"); else echo "  (vim not installed: anchor skipped)"; fi
  if command -v nano >/dev/null; then out_n=$(bytes nano "$cols" "$rows"); else echo "  (nano not installed: anchor skipped)"; fi
  for o in "$out_t" "$out_v" "$out_n"; do
    grep -q TIMEOUT <<<"$o" && echo "  (a program did not answer a key in time: $(grep TIMEOUT <<<"$o" | head -1))"
  done
  for spec in "down:cursor down:120:vim" "up:cursor up:120:vim" "type:typed character:32:nano" \
              "type-past-width:typed character past the field width:32:nano" \
              "find:find-prompt character:100:vim"; do
    IFS=: read -r label what goal anchor <<<"$spec"
    t=$(fig "$out_t" "$label") v=$([ -n "$out_v" ] && fig "$out_v" "$label") n=$([ -n "$out_n" ] && fig "$out_n" "$label")
    if [ "$anchor" = vim ]; then av=$v; else av=$n; fi
    [ -n "$av" ] || anchor=
    if [ -n "$anchor" ]; then
      echo "bench: $what $geom: ${t:-?} B ($anchor $av B, ratio $(ratio "${t:-0}" "$av")) goal: <= $goal B: $(verdict "$t" "$goal")"
    else
      echo "bench: $what $geom: ${t:-?} B goal: <= $goal B: $(verdict "$t" "$goal")"
    fi
    echo "  (vim ${v:--} B, nano ${n:--} B)"
  done
done

# --- peak memory ----------------------------------------------------------------
printf 'expect Loaded ticket 950\nidle\nsend G\nidle\nsend q\n' >"$T_TMP/mem"
rss=$("$PTY" "$T_TMP/mem" -- env TERM=xterm-256color "$TICKETED" --url "$TD_URL" 950 | sed -n 's/^maxrss \([0-9]*\) KB$/\1/p')
limit=$(( (size * 3 + 8 * 1048576) / 1024 ))
echo "bench: peak memory, ticket 950: $rss KB goal: <= $limit KB: $(verdict "$rss" "$limit")"
