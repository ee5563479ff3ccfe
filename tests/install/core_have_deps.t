#!/usr/bin/env bash
# README: "`make demo` and `make check` run `make deps` first if a library or
# tool is missing". Checked with `make -n` (a recipe line holding $(MAKE)
# still runs under -n, and the nested `make deps` only prints its apt-get
# command), on a PATH without tmux, and with pkg-config finding no library.
# (A tool loop that ran `exit 1` in the recipe shell itself once made make
# stop with "Error 1" instead of falling through to make deps.)
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
# A PATH holding every command of this machine except tmux.
nopath=$T_TMP/path-without-tmux
mkdir -p "$nopath"
# (one ln per directory, not per file: a name already linked stays the first one)
for d in /usr/local/bin /usr/bin /usr/sbin /bin /sbin; do
  [ -d "$d" ] && ln -s "$d"/* "$nopath"/ 2>/dev/null
done
rm -f "$nopath/tmux"
mk() { make -n --no-print-directory BUILD="$T_TMP/build" "$@" 2>&1; }

out=$(mk have-deps)
check "everything installed: make deps is not run" bash -c '! grep -q "apt-get" <<<"$0"' "$out"

for target in have-deps check demo; do
  out=$(PATH=$nopath mk "$target"); rc=$?
  check "tmux missing: make $target runs make deps (apt-get install ... tmux)" \
    grep -q 'apt-get install.* tmux' <<<"$out"
  check "tmux missing: make $target says why it installs" grep -q "^ticketed: installing missing build dependencies" <<<"$out"
  check_eq "tmux missing: make $target goes on after make deps (exit 0 under -n)" 0 "$rc"
  [ "$rc" = 0 ] || printf '#   %s\n' "${out:0:600}"
done

out=$(PKG_CONFIG_LIBDIR=$T_TMP/none PKG_CONFIG_PATH= mk have-deps)
check "a library missing (pkg-config finds none): make deps runs" grep -q 'apt-get install.* libcjson-dev' <<<"$out"
