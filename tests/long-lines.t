#!/bin/sh
# Lines longer than one window (1 MiB; diff.h), as a minified bundle or a
# one-line config is: the storage account key of tests/fixtures/scan/
# account-key-risky.diff, in a line of some megabytes, is blocked wherever
# it falls, once, with its account's name, even where the windows overlap
# and when another service's key sits in the same line; code that makes a
# SAS, minified into such a line, too; a SAS token too.
# The lines are built here (their size is the point); what they hold comes
# from the fixtures.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

keys=tests/fixtures/scan/account-key-risky.diff
others=tests/fixtures/scan/account-key-harmless.diff
# The connection strings, without their JSON around them.
storage=$(grep -o 'DefaultEndpointsProtocol=[^"]*AccountName=prodlogs01[^"]*' "$keys")
cosmos=$(grep -o 'AccountEndpoint=https://[^"]*documents.azure[^"]*' "$others")
sas=$(sed -n 's/^+.*\(https:[^" ]*sig=[^" ]*\).*/\1/p' \
    tests/fixtures/scan/*.diff | head -n 1)
[ -n "$storage" ] && [ -n "$cosmos" ]; ok $? "the fixtures hold the strings"

# long FILE AT TEXT...: a diff adding one line of about 2.5 MiB of filler,
# TEXT placed from byte AT of the line (the first window ends at 1 MiB, the
# second starts 64 KiB before that).
long() {
	out=$1 at=$2
	shift 2
	awk -v at="$at" -v text="$*" 'BEGIN {
		printf "diff --git a/app/bundle.min.js b/app/bundle.min.js\n"
		printf "--- /dev/null\n+++ b/app/bundle.min.js\n@@ -0,0 +1,1 @@\n+"
		filler = "var a0=function(b){return b+1};"
		n = 0
		while (n + length(filler) <= at) { printf "%s", filler; n += length(filler) }
		while (n < at) { printf " "; n++ }
		printf "%s", text
		for (i = 0; i < 48000; i++) printf "%s", filler
		printf "\n"
	}' >"$out"
}
# scan AT TEXT...: sasguard on such a line; its output in $tap_tmp/out,
# its status in $rc; once: how many lines of the output hold WHAT.
scan() {
	long "$tap_tmp/d" "$@"
	"$SASGUARD" --now "$NOW" "$tap_tmp/d" >"$tap_tmp/out" 2>&1
	rc=$?
}
once() {
	[ "$(grep -c -F "$1" "$tap_tmp/out")" = 1 ]
}

for at in 100 1048000 1015000 2400000; do
	scan "$at" "cfg='$storage';"
	[ "$rc" = 1 ] && once 'BLOCK account-key' &&
	    grep -q "storage account key of account 'prodlogs01'" "$tap_tmp/out"
	ok $? "a key at byte $at of a 2.5 MiB line: blocked once, its account named (exit $rc)"
	no_secret_in "$keys" "$tap_tmp/out"
	ok $? "... and no key in the output"
done

scan 200 "c1='$cosmos'; c2='$storage';"
[ "$rc" = 1 ] && once 'BLOCK account-key' &&
    grep -q "of account 'prodlogs01'" "$tap_tmp/out"
ok $? "a Cosmos DB key earlier in the same long line: the storage key is still blocked, the Cosmos one not"

# Code that makes a SAS, minified onto one line (the account SAS of
# gen-js-risky.diff, its call's lines joined): read around its anchor in
# a long line too, wherever the windows fall.
made=$(sed -n '/^+const accountSas/,/^+}, sharedKeyCredential/p' \
    tests/fixtures/scan/gen-js-risky.diff | sed 's/^+//' | tr -d '\n')
for at in 100 1030000 2400000; do
	scan "$at" "$made"
	[ "$rc" = 1 ] &&
	    once 'BLOCK account-sas (made by generateAccountSASQueryParameters)' &&
	    grep -q 'BLOCK long-expiry (made by' "$tap_tmp/out"
	ok $? "a SAS made at byte $at of a 2.5 MiB line: blocked once, judged (exit $rc)"
done

if [ -n "$sas" ]; then
	scan 1040000 "u='$sas';"
	grep -q 'sig=' "$tap_tmp/out"
	ok $? "a SAS URL across the windows' overlap is read (exit $rc)"
else
	skip "a SAS URL across the windows' overlap is read" "no SAS URL in the fixtures"
fi
done_testing
