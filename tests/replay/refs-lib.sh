# Helpers for the refs_*.check scripts, sourced after check-lib.sh.
# expect_no_ref_names — no captured PATCH body carries a Name, FullName,
#   Fullname, Tooltip or ToolTip member anywhere in an op's value (references
#   and set elements are sent by their key member only).
# expect_patch_n N    — exactly N PATCH requests were sent.
expect_no_ref_names() {
  # a member name is a string followed by a colon; inside a string value a
  # quote is escaped (\"), so this finds members only, at any depth
  if grep '^PATCH ' "$CAP" | cut -d' ' -f3- | grep -Eio '"(name|fullname|tooltip)"[[:space:]]*:' | head -1 | grep .; then
    echo "a PATCH sends a reference's display member"; exit 1
  fi
}
expect_patch_n() {
  local n
  n=$(grep -c '^PATCH ' "$CAP")
  if [ "$n" != "$1" ]; then echo "expected $1 PATCH requests, found $n"; exit 1; fi
}
