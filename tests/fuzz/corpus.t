#!/usr/bin/env bash
# tests/fuzz/corpus.t — every fuzz target built with the normal compiler
# and tests/fuzz/driver.c (no clang, no libFuzzer needed) replays its whole
# seed corpus tests/fuzz/corpus/NAME: the crashers the fuzzers found stay
# fixed. Uses ASan/UBSan when the compiler can, plain otherwise.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
. "$TOP/tests/fuzz/common.sh"
CC=${CC:-cc}
OUT=$BUILD/fuzz
mkdir -p "$OUT"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo 'int main(void){return 0;}' >"$OUT/probe.c"
$CC $san -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null && "$OUT/probe" 2>/dev/null || san=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
n=0 total=0
for name in $(fuzz_targets); do
  n=$((n + 1))
  bin=$OUT/fuzz_$name
  # shellcheck disable=SC2046
  if ! $CC $(fuzz_cflags) $san -o "$bin" $(fuzz_sources "$name") "$TOP/tests/fuzz/driver.c" \
       $(fuzz_libs) 2>"$OUT/fuzz_$name.build.log"; then
    echo "not ok $n - fuzz_$name builds with $CC"; sed 's/^/# /' "$OUT/fuzz_$name.build.log" | head -20
    continue
  fi
  count=$(ls "$TOP/tests/fuzz/corpus/$name" | wc -l)
  total=$((total + count))
  if [ "$count" -eq 0 ]; then
    echo "not ok $n - fuzz_$name has no seed corpus"
  elif timeout 120 "$bin" "$TOP/tests/fuzz/corpus/$name" >"$OUT/fuzz_$name.log" 2>&1; then
    echo "ok $n - fuzz_$name replays its $count corpus inputs"
  else
    echo "not ok $n - fuzz_$name on its corpus"
    grep -v '^# /' "$OUT/fuzz_$name.log" | tail -15 | sed 's/^/# /'
    grep '^# /' "$OUT/fuzz_$name.log" | tail -1
  fi
done
echo "# show: fuzz corpus: $total inputs over $n targets${san:+ (ASan/UBSan)}"
