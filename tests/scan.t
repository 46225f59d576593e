#!/bin/sh
# Data-driven: every tests/fixtures/scan/NAME.diff says in its leading
# '#' lines what sasguard must do with it: "expect-exit: N", "expect: TEXT"
# (a fixed string the report must hold), "expect-silent" (no output at
# all) and "args: ..." (extra options). Judged at a fixed moment, and no
# output may ever hold a signature from the fixture.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

for fx in tests/fixtures/scan/*.diff; do
	name=$(basename "$fx")
	check_fixture "$fx" "$name" "$NOW"
	if grep -q '^# expect-silent' "$fx"; then
		[ ! -s "$tap_tmp/out" ]; ok $? "$name: prints nothing"
	fi
	no_secret_in "$fx" "$tap_tmp/out"
	ok $? "$name: no signature from the fixture in the output"
done
done_testing
