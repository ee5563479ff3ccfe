# Helpers for tests/replay/*.check scripts (bash, sourced).
# expect_patch JSON   — exactly one PATCH was sent and its body is JSON, byte for byte
# expect_no_patch     — no PATCH was sent
# expect_value ID PTR JSON — GET ticket ID from ticketd; the value at JSON pointer PTR is JSON
#                            (as python's json.dumps prints it: build/tools/core_jget)
JGET=${JGET:-$TOP_REPLAY/../../build/tools/core_jget}
expect_patch() {
  local n body
  n=$(grep -c '^PATCH ' "$CAP")
  body=$(grep '^PATCH ' "$CAP" | head -1 | cut -d' ' -f3-)
  if [ "$n" != 1 ] || [ "$body" != "$1" ]; then
    echo "expected one PATCH with body: $1"; echo "found $n, first body:     $body"; exit 1
  fi
}
expect_no_patch() {
  if grep -q '^PATCH ' "$CAP"; then echo "expected no PATCH, found:"; grep '^PATCH ' "$CAP"; exit 1; fi
}
expect_value() {
  local got
  got=$(curl -s "$TD_URL/Ticket/$1" | "$JGET" "$2")
  if [ "$got" != "$3" ]; then echo "expected $2 = $3, found $got"; exit 1; fi
}
