#!/bin/sh
# The two real commits of the 2020-2021 incident (../shared/cases/msleak)
# are blocked with the right rules, their signature never shown, and
# commits that take the tokens out are allowed.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
CASES=../shared/cases/msleak
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

need_file "$CASES/msleak-a9e0e80.diff" "incident commits"

# The same change backwards: what a commit that undoes it would show.
reverse() {
	perl -pe '
		if (/^\@\@ -(\S+) \+(\S+) \@\@(.*)$/) { $_ = "\@\@ -$2 +$1 \@\@$3\n" }
		elsif (/^--- (.*)$/) { $_ = "+++ $1\n" }
		elsif (/^\+\+\+ (.*)$/) { $_ = "--- $1\n" }
		elsif (/^\+/) { s/^\+/-/ } elsif (/^-/) { s/^-/+/ }' "$1" |
	perl -e '@l = <STDIN>; for ($i = 0; $i < @l; $i++) {
		# "+++" now comes before "---": put the header pair back in order
		if ($l[$i] =~ /^\+\+\+ / && $l[$i+1] =~ /^--- /) {
			@l[$i, $i+1] = @l[$i+1, $i]; $i++ } } print @l'
}

check() {	# check NAME WANT-EXIT FILE ARGS...
	name=$1 want=$2 file=$3
	shift 3
	"$SASGUARD" "$@" "$file" > "$tap_tmp/out" 2>&1
	rc=$?
	[ "$rc" = "$want" ]; ok $? "$name: exits $want (got $rc)"
	no_secret_in "$file" "$tap_tmp/out"
	ok $? "$name: the signature is not in the output"
}

says() {
	grep -F -q -- "$1" "$tap_tmp/out"; ok $? "... says '$1'"
}

new=$CASES/msleak-a9e0e80.diff
old=$CASES/msleak-e61568d.diff

check "2021 commit a9e0e80, judged the day after" 1 "$new" \
    --now 2021-10-06T00:00:00Z
says "README.md:37: BLOCK account-sas: account-level SAS for blob, file, queue, table"
says "README.md:37: BLOCK long-expiry: valid for 10957 days"
says "README.md:37: BLOCK write-permissions: sp=rwdlacupitfx grants"
says "README.md:37: WARN insecure-protocol: spr=https,http allows plain HTTP"
says "commit:      a9e0e80bcd49bd8651c0b3198c7dc89179b2c0ac"
says "sig=U69…[redacted]"
says "1 SAS token blocks"
links=$(grep '^+' "$new" | grep -o 'sig=U69' | wc -l)
says "($links places in all)"

check "2020 commit e61568d, judged the day after" 1 "$old" \
    --now 2020-07-21T00:00:00Z
says "README.md:36: BLOCK account-sas: account-level SAS for blob"
says "BLOCK long-expiry: valid for 482 days"
says "BLOCK write-permissions: sp=rlx grants delete version"

check "2021 commit judged today: still blocked" 1 "$new"
check "2020 commit judged today: expired, still blocked" 1 "$old"
says "(expired; judged as it was made)"

reverse "$old" > "$tap_tmp/undo-2020.diff"
check "undoing the 2020 commit (deleting the links)" 0 \
    "$tap_tmp/undo-2020.diff"
[ ! -s "$tap_tmp/out" ]; ok $? "... prints nothing"

# Undo 2021, but with the links stripped of their query: the fix people
# should have made.
reverse "$new" | perl -pe 's/\?sv=[^")\s]*//g if /^\+/' \
    > "$tap_tmp/strip-2021.diff"
check "taking the 2051 token out of the links" 0 \
    "$tap_tmp/strip-2021.diff"
grep -q '^-.*sig=U69' "$tap_tmp/strip-2021.diff"
ok $? "... the token is on removed lines of that diff"
done_testing
