# tests/fuzz/common.sh — shared by tests/fuzz/run and tests/fuzz/corpus.t.
# Needs TOP. Defines fuzz_targets, fuzz_sources NAME, fuzz_cflags, fuzz_libs.

fuzz_targets() {
  grep -v '^#' "$TOP/tests/fuzz/targets" | awk 'NF { print $1 }'
}

# The C sources for target NAME.
fuzz_sources() {
  local name=$1 src
  echo "$TOP/tests/fuzz/fuzz_$name.c"
  for src in $(awk -v n="$name" '$1 == n { for (i = 2; i <= NF; i++) print $i }' "$TOP/tests/fuzz/targets"); do
    if [ "$src" = core ]; then
      ls "$TOP"/src/core/*.c
    else
      echo "$TOP/$src"
    fi
  done
}

fuzz_cflags() {
  echo "-std=c11 -D_GNU_SOURCE -I$TOP/include -I$TOP/tests/fuzz $(pkg-config --cflags ncursesw libcjson 2>/dev/null)" \
       "-DTICKETED_DATADIR=\"/nonexistent\" -DFUZZ_TOP=\"$TOP\" -g ${FUZZ_OPT:--O1} -Wall -Wno-unused-parameter"
}

fuzz_libs() {
  echo "$(pkg-config --libs ncursesw libcjson 2>/dev/null) -lm"
}
