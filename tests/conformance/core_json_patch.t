#!/usr/bin/env bash
# Every case of the shared JSON Patch / Merge Patch suites through the real
# `ticketed apply` binary (one process per case, one Python driver), then the
# same cases through Debian's python3-jsonpatch for comparison.
. "$(dirname "$0")/../lib.sh"
exec /usr/bin/python3 "$TOP/tests/conformance/core_driver.py" "$SHARED/json-patch-tests" "$TICKETED" "$T_TMP"
