#!/bin/sh
# The evasion corpus: tests/fixtures/evasion/NAME.diff holds the same
# made-up risky account SAS dressed up as real code dresses it - every
# parameter order, encodings, separators, quoting and file formats, and
# split over consecutive added lines - and a few look-alike splits that
# must not be joined. Each file says in its '#' lines what must happen
# (as tests/scan.t reads them): the token is caught, once, at the line
# named. No output may hold any 12-character stretch of the signature.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
# The corpus's made-up signature (signs nothing), and what of it must
# never be printed: every 12-character stretch of its base64.
SIG=2svwcKUuM2vwhet2ojlvzucpHYmUiY2/vC3UfgFFk6s=
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
i=1
while [ "$i" -le 33 ]; do
	printf '%s\n' "$SIG" | cut -c "$i-$((i + 11))"
	i=$((i + 1))
done > "$tap_tmp/stretches"
printf '%s\n' "$SIG" | sed 's/+/%2B/g; s,/,%2F,g; s/=/%3D/g' \
    >> "$tap_tmp/stretches"

n=0
for fx in tests/fixtures/evasion/*.diff; do
	n=$((n + 1))
	name=$(basename "$fx" .diff)
	check_fixture "$fx" "$name" "$NOW"
	! grep -F -q -f "$tap_tmp/stretches" "$tap_tmp/out"
	ok $? "$name: no stretch of the signature in the output"
done
[ "$n" -ge 35 ]; ok $? "the corpus has at least 35 cases ($n)"
done_testing
