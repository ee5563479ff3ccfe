#!/usr/bin/env bash
# The tree cites no document outside the repository: comments, tests, the
# man pages, themes and the README state the fact instead of pointing to a
# section of the product specification, an issue or the API notes, which a
# reader of the repository does not have. (An RFC's section is fine.)
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
found=$(git ls-files -- src include tests man completion themes tools Makefile README.md 2>/dev/null |
  grep -v '^tests/data/' | grep -v '^tests/install/no_outside_refs\.t$' |
  xargs -d '\n' grep -nIE '\b(SPEC|[Ii]ssue) [0-9]+\b|api-notes|\bSPEC\.md\b' 2>/dev/null)
check_eq "no comment or doc cites SPEC n, issue n or api-notes" "" "$found"
