#!/usr/bin/env bash
# parts: --list-parts
# tests/fuzz/corpus.t — every fuzz target built with the normal compiler
# and tests/fuzz/driver.c (no clang, no libFuzzer needed) replays its whole
# seed corpus tests/fuzz/corpus/NAME: the crashers the fuzzers found stay
# fixed. Uses ASan/UBSan when the compiler can (shown), plain otherwise.
# Each target is a part (tests/run builds and runs them in parallel).
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP/tests/lib.sh"
. "$TOP/tests/fuzz/common.sh"
mapfile -t targets < <(fuzz_targets)
parts_of "${1:-}" "${targets[@]}"
CC=${CC:-cc}
OUT=$BUILD/fuzz
mkdir -p "$OUT"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo 'int main(void){return 0;}' >"$T_TMP/probe.c"
$CC $san -o "$T_TMP/probe" "$T_TMP/probe.c" 2>/dev/null && "$T_TMP/probe" 2>/dev/null || san=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# a few dozen inputs per target: compiling is most of the time here, so no
# optimiser (make fuzz builds with -O1 for its long runs)
export FUZZ_OPT=${FUZZ_OPT:--O0}

# src/core is the same in every target that uses it: compiled once per
# content (its sources, the headers, the compiler and flags) into
# $OUT/core-KEY/, under a lock, so parallel parts share it.
core_objs() {
  local key dir lk c rc=0
  key=$({ echo "$CC $(fuzz_cflags) $san"; cat "$TOP"/src/core/*.c "$TOP"/include/ticketed/*.h; } | md5sum | cut -c1-16)
  dir=$OUT/core-$key
  exec {lk}>"$OUT/core.lock"
  flock "$lk"
  if [ ! -e "$dir/done" ]; then
    rm -rf "$OUT"/core-*; mkdir -p "$dir"
    for c in "$TOP"/src/core/*.c; do
      # shellcheck disable=SC2046
      $CC $(fuzz_cflags) $san -c -o "$dir/$(basename "$c" .c).o" "$c" || { rc=1; break; }
    done
    [ "$rc" = 0 ] && touch "$dir/done"
  fi
  exec {lk}>&-
  [ "$rc" = 0 ] && ls "$dir"/*.o
}
# sources_of NAME — the target's sources, with src/core as the shared objects
sources_of() {
  local f core=
  for f in $(fuzz_sources "$1"); do
    case $f in "$TOP"/src/core/*) core=1 ;; *) echo "$f" ;; esac
  done
  [ -z "$core" ] || core_objs
}

total=0
for name in "${PARTS[@]}"; do
  bin=$OUT/fuzz_$name
  # shellcheck disable=SC2046
  if ! srcs=$(sources_of "$name" 2>"$OUT/fuzz_$name.build.log") ||
     ! $CC $(fuzz_cflags) $san -o "$bin" $srcs "$TOP/tests/fuzz/driver.c" \
       $(fuzz_libs) 2>>"$OUT/fuzz_$name.build.log"; then
    not_ok "fuzz_$name builds with $CC"; sed 's/^/# /' "$OUT/fuzz_$name.build.log" | head -20
    continue
  fi
  count=$(ls "$TOP/tests/fuzz/corpus/$name" | wc -l)
  total=$((total + count))
  if [ "$count" -eq 0 ]; then
    not_ok "fuzz_$name has no seed corpus"
  elif timeout 120 "$bin" "$TOP/tests/fuzz/corpus/$name" >"$OUT/fuzz_$name.log" 2>&1; then
    ok "fuzz_$name replays its $count corpus inputs${san:+ (ASan/UBSan)}"
  else
    not_ok "fuzz_$name on its corpus"
    grep -v '^# /' "$OUT/fuzz_$name.log" | tail -15 | sed 's/^/# /'
    grep '^# /' "$OUT/fuzz_$name.log" | tail -1
  fi
done
if [ "${#PARTS[@]}" -gt 1 ]; then show "fuzz corpus: $total inputs over ${#PARTS[@]} targets${san:+ (ASan/UBSan)}"; fi
