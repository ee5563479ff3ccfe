#!/usr/bin/env bash
# Every case of the shared JSON Patch / Merge Patch suites through the real
# `ticketed apply` binary (one process per case, one Python driver), then the
# same cases through Debian's python3-jsonpatch for comparison.
# The suites are kept in the repository (tests/data/json-patch-tests, with
# their provenance and licences in SOURCES.md) so a clean clone runs them;
# when the project's ../shared copy is present it must be the same data.
. "$(dirname "$0")/../lib.sh"
data=$TOP/tests/data/json-patch-tests
if [ -d "$SHARED/json-patch-tests" ]; then
  check "tests/data/json-patch-tests is the same data as $SHARED/json-patch-tests" \
    diff -r -q "$SHARED/json-patch-tests" "$data"
fi
tap_from /usr/bin/python3 "$TOP/tests/conformance/core_driver.py" "$data" "$TICKETED" "$T_TMP"
