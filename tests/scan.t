#!/bin/sh
# Data-driven: every tests/fixtures/scan/NAME.diff says in its leading
# '#' lines what sasguard must do with it: "expect-exit: N", "expect: TEXT"
# (a fixed string the report must hold), "expect-silent" (no output at
# all), "args: ..." (extra options) and "secret: BASE64" (a signature the
# fixture hides in some encoding: no 12-character stretch of it may be
# printed). Judged at a fixed moment, and no output may ever hold a
# signature from the fixture.
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
	sed -n 's/^# secret: //p' "$fx" | while IFS= read -r sig; do
		i=1
		while [ "$i" -le $((${#sig} - 11)) ]; do
			printf '%s\n' "$sig" | cut -c "$i-$((i + 11))"
			i=$((i + 1))
		done
	done > "$tap_tmp/stretches"
	if [ -s "$tap_tmp/stretches" ]; then
		! grep -F -q -f "$tap_tmp/stretches" "$tap_tmp/out"
		ok $? "$name: no stretch of its hidden signatures in the output"
	fi
done
done_testing
