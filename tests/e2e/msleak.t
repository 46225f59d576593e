#!/bin/sh
# End-to-end: the two commits of the 2020/2021 Microsoft research leak,
# replayed as real commits, are refused by the pre-commit hook and by the
# pre-receive hook.
#
# The diffs are read from ../shared/cases/msleak (beside the repository) at
# test time; nothing of them is copied into this repository. Each is applied
# with git apply onto a pre-image built from its own hunks (the lines it
# shows, filler elsewhere), so the replayed commit adds exactly the lines
# the original added. The tokens in them were revoked in 2023.
. tests/e2e/lib.sh

CASES=$ROOT/../shared/cases/msleak
if ! [ -d "$CASES" ]; then
	echo "1..0 # SKIP no incident diffs at ../shared/cases/msleak"
	exit 0
fi

plan 14

for id in e61568d a9e0e80; do
	diff=$CASES/msleak-$id.diff
	if ! [ -r "$diff" ]; then
		for _ in 1 2 3 4 5 6 7; do skip "msleak-$id.diff is missing"; done
		continue
	fi
	R=$T/client-$id
	S=$T/server-$id.git
	git init -q --bare "$S"
	git clone -q "$S" "$R" 2>/dev/null

	# The state before the commit: on the server before its hook is in place
	# (the a9e0e80 pre-image itself holds the 2020 token).
	preimage "$diff" README.md >"$R/README.md"
	git -C "$R" add README.md
	git -C "$R" commit -q -m "pre-image of $id"
	git -C "$R" push -q origin HEAD:main >/dev/null 2>&1
	(cd "$R" && "$ROOT/install.sh" --pre-commit >/dev/null)
	"$ROOT/install.sh" --pre-receive "$S" >/dev/null

	git -C "$R" apply --whitespace=nowarn "$diff" >"$T/out" 2>&1
	ok $? "$id: the incident diff applies as a real change"
	git -C "$R" add -A
	author=$(sed -n 's/^Author: //p' "$diff" | head -n 1)
	when=$(sed -n 's/^Date: *//p' "$diff" | head -n 1)
	subject=$(sed -n '5s/^    //p' "$diff")
	GIT_AUTHOR_DATE=$when git -C "$R" commit -q --author="$author" \
	    -m "$subject" >"$T/out" 2>&1
	[ $? -ne 0 ]; ok $? "$id: git commit of the incident commit is refused"
	grep -q '^README\.md:[0-9]*: BLOCK account-sas' "$T/out"
	ok $? "$id: ... naming README.md, a line and the account-sas rule"

	# Neither the real signatures nor their encoded forms are printed.
	leaked=
	for s in $(grep -o 'sig=[A-Za-z0-9%+/=]*' "$diff" | sort -u | sed 's/^sig=//'); do
		dec=$(printf '%s' "$s" | sed 's/%2B/+/g; s/%2F/\//g; s/%3D/=/g')
		if contains "$T/out" "$s" || contains "$T/out" "$dec"; then
			leaked=1
		fi
	done
	[ -z "$leaked" ]; ok $? "$id: ... without printing the real signatures"

	GIT_AUTHOR_DATE=$when git -C "$R" commit -q --no-verify \
	    --author="$author" -m "$subject" >"$T/out" 2>&1
	ok $? "$id: (committed with --no-verify to try the server)"
	push "$R" origin HEAD:main; st=$?
	[ "$st" -ne 0 ]; ok $? "$id: pushing it is refused"
	c=$(rev "$R" HEAD)
	grep -q "commit: *$c on refs/heads/main" "$T/out" && grep -q '^remote: README\.md:[0-9]*: BLOCK' "$T/out"
	ok $? "$id: ... naming refs/heads/main, the commit and README.md"
	[ "$st" -ne 0 ] || show "$T/out"
done

done_testing
