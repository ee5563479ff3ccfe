#!/usr/bin/env bash
# parts: --list-parts
# Runs every tests/replay/*.replay headless against a fresh ticketd (behind a
# recording proxy, so PATCH bodies can be asserted byte for byte). Each
# replay is a part (tests/run runs them in parallel; `run.t NAME` runs one,
# `run.t` all of them).
# Sidecars, as first-line comments of the .replay:
#   # args: OPTIONS        extra editor options
#   # ticket: ID           default 900
#   # exit: N              expected exit status (default 0)
#   # stderr: TEXT         TEXT must appear on stderr
#   # url: closed          point the editor at a closed port
#   # ticketd: ARGS        extra ticketd options (faults, latency)
#   # env: NAME=VALUE...   environment of the editor (e.g. TZ=Europe/Oslo)
# NAME.between, a bash script the proxy runs before forwarding each request
# (args METHOD PATH N, TD_URL = ticketd): a concurrent change by "someone else";
# and NAME.check, a bash script run in the test's directory after the run
# with CAP (the proxy log: "METHOD PATH BODY" lines), OUT, ERR, TD_URL set;
# it exits 0 when the server state / request log is as expected.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib.sh"
PY=/usr/bin/python3
hdr() { sed -n "s/^# $1: //p" "$2" | head -1; }
. "$TOP/tests/replay/refs-lib.sh"  # expect_no_ref_names, after every replay that sent a PATCH

closed_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

all=()
# REPLAY_ONLY=GLOB runs only the replays whose name matches (by hand).
for f in "$TOP"/tests/replay/${REPLAY_ONLY:-*}.replay; do f=${f##*/}; all+=("${f%.replay}"); done
parts_of "${1:-}" "${all[@]}"

count=0
for name in "${PARTS[@]}"; do
  f=$TOP/tests/replay/$name.replay
  W=$T_TMP/$name
  mkdir -p "$W"
  args=$(hdr args "$f"); ticket=$(hdr ticket "$f"); want=$(hdr exit "$f")
  errwant=$(hdr stderr "$f"); urlmode=$(hdr url "$f")
  tdargs=$(hdr ticketd "$f"); envs=$(hdr env "$f")
  : "${ticket:=900}" "${want:=0}"
  # shellcheck disable=SC2086
  start_ticketd --data "$TOP/tests/data/service" $tdargs || { not_ok "$name: ticketd"; continue; }
  between=${f%.replay}.between
  [ -f "$between" ] || between=
  start_proxy "$TD_PORT" "$between"
  url=$PX_URL
  [ "$urlmode" = closed ] && url=http://127.0.0.1:$(closed_port)/api/v1
  # shellcheck disable=SC2086
  # each replay its own drafts: one ending with edits (exit 3) leaves a draft
  # that a later replay on a reused port would be offered
  # shellcheck disable=SC2086
  (cd "$W" && env $envs XDG_STATE_HOME=$W/state timeout -k 2 120 "$TICKETED" --url "$url" --headless --replay "$f" $args "$ticket" \
      >"$W/out" 2>"$W/err"); rc=$?
  check_eq "$name: exit status" "$want" "$rc" || true
  [ "$rc" != "$want" ] && sed 's/^/#   stderr: /' "$W/err" | head -40
  if [ -n "$errwant" ]; then
    if grep -qF -- "$errwant" "$W/err"; then ok "$name: stderr says \"$errwant\""
    else not_ok "$name: stderr says \"$errwant\""; sed 's/^/#   /' "$W/err" | head -5; fi
  fi
  if grep -q $'\x1b' "$W/out" "$W/err"; then not_ok "$name: no raw ESC on stdout/stderr"; fi
  if [ -f "${f%.replay}.check" ]; then
    if (cd "$W" && CAP=$CAP OUT=$W/out ERR=$W/err TD_URL=$TD_URL TOP_REPLAY=$TOP/tests/replay JGET=$BUILD/tools/core_jget bash "${f%.replay}.check") >"$W/check.out" 2>&1
    then ok "$name: check"
    else not_ok "$name: check"; sed 's/^/#   /' "$W/check.out" | head -20; fi
  fi
  # Whatever the replay did, no reference or set element is ever sent with
  # its Name/FullName/Tooltip members (only key members). (That this check
  # runs at all is shown by the .check scripts whose expect_patch finds the
  # same PATCH lines in the same capture.)
  if grep -q '^PATCH ' "$CAP" 2>/dev/null; then
    if msg=$(expect_no_ref_names 2>&1)
    then ok "$name: no PATCH sent a reference's Name/FullName/Tooltip member"
    else not_ok "$name: a PATCH sent a Name/FullName/Tooltip member: $msg"; fi
  fi
  kill "$PX_PID" 2>/dev/null; wait "$PX_PID" 2>/dev/null
  stop_ticketd
  count=$((count + 1))
done
if [ "${#PARTS[@]}" -gt 1 ]; then show "$count replay files"; fi
