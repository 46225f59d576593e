#!/bin/sh
# Every row of ../shared/reference/vectors.tsv, put on an added line of a
# diff, is judged as its `expected` column says: block exits 1, allow 0.
# Judged at 2026-11-22T00:00:00Z; no output may hold the row's signature.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
VECTORS=../shared/reference/vectors.tsv
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

need_file "$VECTORS" "reference vectors"
tail -n +2 "$VECTORS" > "$tap_tmp/rows"
n=0
while IFS="$(printf '\t')" read -r id expected why string source; do
	n=$((n + 1))
	{
		printf 'diff --git a/v.txt b/v.txt\n--- a/v.txt\n+++ b/v.txt\n'
		printf '@@ -0,0 +1 @@\n+%s\n' "$string"
	} > "$tap_tmp/v.diff"
	"$SASGUARD" --now 2026-11-22T00:00:00Z "$tap_tmp/v.diff" \
	    > "$tap_tmp/out" 2>&1
	rc=$?
	case $expected in
	block) want=1 ;;
	allow) want=0 ;;
	*) want=unknown ;;
	esac
	# The rows allowed as "account key, not a SAS" wait for the rule
	# that now takes them: [account-key] blocks them, and only it.
	case $why in
	"account key, not a SAS"*)
		want=1
		grep -q "^v.txt:1: BLOCK account-key: storage account key" \
		    "$tap_tmp/out" && ! grep -q "BLOCK [a-z-]*-sas\|expiry" \
		    "$tap_tmp/out" || want=wrong-rule ;;
	esac
	[ "$rc" = "$want" ]
	ok $? "$id: $expected ($why) - exit $rc"
	[ "$rc" = "$want" ] || sed 's/^/#   /' "$tap_tmp/out"
	no_secret_in "$tap_tmp/v.diff" "$tap_tmp/out"
	ok $? "$id: no signature in the output"
	: "$source"
done < "$tap_tmp/rows"
[ "$n" -ge 39 ]; ok $? "all $n rows read"
done_testing
