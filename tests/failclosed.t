#!/bin/sh
# Fail closed, never leak. Every failure - unreadable input or rules, out
# of memory, a report that cannot be written - ends in exit 2 with a
# message (never 0, never 1 when the verdict is incomplete). Then the
# property: over every fixture and every output format, nothing sasguard
# prints holds a signature from the fixture (raw, percent-encoded once or
# more, or decoded - see secret_forms in lib/tap.sh).
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
FX=tests/fixtures/scan/account-sas-2051.diff

"$SASGUARD" --now "$NOW" "$tap_tmp/missing.diff" > "$tap_tmp/out" 2>&1
[ $? = 2 ] && grep -q 'cannot read' "$tap_tmp/out"
ok $? "an input that does not exist: exit 2, 'cannot read'"
"$SASGUARD" --now "$NOW" "$FX" "$tap_tmp" > "$tap_tmp/out" 2>&1
[ $? = 2 ] && grep -q 'cannot read' "$tap_tmp/out"
ok $? "an input that is a folder, after a blocking one: exit 2, not 1"
"$SASGUARD" --now "$NOW" --config "$tap_tmp/none.ini" "$FX" \
    > "$tap_tmp/out" 2>&1
[ $? = 2 ] && grep -q 'none.ini' "$tap_tmp/out"
ok $? "a rules file that does not exist: exit 2, naming it"

"$SASGUARD" --now "$NOW" "$FX" 2>/dev/full; rc=$?
[ "$rc" = 2 ]; ok $? "the text report to a full stderr: exit 2 (got $rc)"
"$SASGUARD" --now "$NOW" "$FX" 2>&-; rc=$?
[ "$rc" = 2 ]; ok $? "the text report to a closed stderr: exit 2 (got $rc)"
if "$SASGUARD" --help 2>&1 | grep -q json; then
	for f in json sarif; do
		"$SASGUARD" --now "$NOW" --format "$f" "$FX" > /dev/full \
		    2> "$tap_tmp/err"; rc=$?
		[ "$rc" = 2 ] && [ -s "$tap_tmp/err" ]
		ok $? "--format $f > /dev/full: exit 2 with a message (got $rc)"
	done
else
	skip "--format json|sarif > /dev/full" "no such formats yet"
fi

# Out of memory: a static sasguard under a small address-space limit
# must fail with exit 2 when its buffers cannot be had. (Below about 1.7
# MB glibc's own start-up fails before main; still never 0.) Sanitizer
# builds reserve terabytes of address space: not meaningful there.
case $SASGUARD in
*/build/san/*) skip "out of memory" "sanitizer build" ;;
*)
	saw2=1 never0=0
	for kb in 1800 2000 2200 2400 2600; do
		# dash and bash have ulimit -v; POSIX does not say.
		# shellcheck disable=SC3045
		(ulimit -v "$kb" && exec "$SASGUARD" --now "$NOW" "$FX") \
		    > /dev/null 2> "$tap_tmp/err.$kb"
		rc=$?
		[ "$rc" = 0 ] && never0=1
		[ "$rc" = 2 ] && grep -q 'out of memory' "$tap_tmp/err.$kb" &&
		    saw2=0
	done
	[ "$never0" = 0 ]; ok $? "out of memory (ulimit -v): never exit 0"
	ok "$saw2" "out of memory (ulimit -v): exit 2, 'out of memory'"
	;;
esac

# The property: no fixture's signature in anything printed, any format.
formats=text
"$SASGUARD" --help 2>&1 | grep -q sarif && formats="text json sarif"
n=0 bad=0
for fx in tests/fixtures/*/*.diff tests/fixtures/*/*.patch \
    ../shared/cases/msleak/*.diff; do
	[ -f "$fx" ] || continue
	for f in $formats; do
		"$SASGUARD" --now "$NOW" --format "$f" "$fx" \
		    > "$tap_tmp/out" 2>&1
		n=$((n + 1))
		if ! no_secret_in "$fx" "$tap_tmp/out"; then
			bad=$((bad + 1))
			echo "# a signature leaked: $fx, --format $f"
		fi
	done
done
[ "$bad" = 0 ] && [ "$n" -gt 50 ]
ok $? "no signature printed over $n fixture x format runs ($bad leaked)"
done_testing
