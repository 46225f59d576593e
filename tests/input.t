#!/bin/sh
# Never silently clean: input that is no diff is an error that says what to
# run instead, not "nothing found"; an empty input stays "nothing to scan";
# --files scans content as it is.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
FX=tests/fixtures/scan/account-sas-2051.diff

# A terminal on standard input: script(1) gives the command a real one.
if command -v script >/dev/null 2>&1; then
	script -qec "$SASGUARD --now $NOW --format sarif" /dev/null \
	    </dev/null >"$tap_tmp/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] && grep -q 'standard input is a terminal' "$tap_tmp/out"
	ok $? "a terminal on standard input is a usage error (exit 2, got $rc)"
else
	skip "a terminal on standard input is a usage error" "no script(1)"
fi
: | "$SASGUARD" --now "$NOW" >"$tap_tmp/out" 2>&1
ok $? "an empty input is nothing to scan (exit 0: git diff --cached with nothing staged)"

# Non-empty input with no diff in it: exit 2, saying what to run instead.
printf 'AZURE_SAS=%s\n' "$(sed -n 's/^+.*\(sv=[^" ]*\).*/\1/p' "$FX" | head -n 1)" >"$tap_tmp/settings.env"
"$SASGUARD" --now "$NOW" "$tap_tmp/settings.env" >"$tap_tmp/out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "holds no diff.*sasguard --files" "$tap_tmp/out"
ok $? "a raw file given as a diff: exit 2 (got $rc), pointing at --files"
"$SASGUARD" --now "$NOW" <"$tap_tmp/settings.env" >"$tap_tmp/out" 2>&1
[ $? = 2 ] && grep -q "'standard input' holds no diff" "$tap_tmp/out"
ok $? "... and the same on standard input"
printf 'commit 0123456789abcdef0123456789abcdef01234567\nAuthor: a\n\n    empty\n' |
    "$SASGUARD" --now "$NOW" >"$tap_tmp/out" 2>&1
ok $? "git log -p of commits without changes is a diff with nothing added (exit 0)"

# A coloured diff (git -c color.ui=always diff): refused, not stripped.
sed 's/^\(diff --git\|@@\|+\)/\x1b[32m&/; s/$/\x1b[m/' "$FX" >"$tap_tmp/colour.diff"
"$SASGUARD" --now "$NOW" "$tap_tmp/colour.diff" >"$tap_tmp/out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "coloured diff.*--no-color" "$tap_tmp/out"
ok $? "a coloured diff: exit 2 (got $rc), saying to use --no-color"
{ cat "$FX"; printf '\033[32m+one coloured line\033[m\n'; } >"$tap_tmp/part.diff"
"$SASGUARD" --now "$NOW" "$tap_tmp/part.diff" >"$tap_tmp/out" 2>&1
[ $? = 2 ]; ok $? "... also when only some lines are coloured"

# --files: every line of the content counts, directories recurse, .git
# is skipped, UTF-16 is decoded.
mkdir -p "$tap_tmp/tree/sub" "$tap_tmp/tree/.git"
sed -n 's/^+\(.*sig=.*\)/\1/p' "$FX" | head -n 1 >"$tap_tmp/tree/sub/settings.env"
cp "$tap_tmp/tree/sub/settings.env" "$tap_tmp/tree/.git/config"
"$SASGUARD" --now "$NOW" --files "$tap_tmp/tree" >"$tap_tmp/out" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q 'sub/settings.env:1:' "$tap_tmp/out"
ok $? "--files DIR finds a token in a file below it (exit 1, got $rc)"
grep -q '\.git/config' "$tap_tmp/out"
[ $? != 0 ]; ok $? "... and skips .git"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$tap_tmp/tree/sub/settings.env"; } >"$tap_tmp/w.txt"
"$SASGUARD" --now "$NOW" --files "$tap_tmp/w.txt" >"$tap_tmp/out" 2>&1
[ $? = 1 ]; ok $? "--files decodes a UTF-16 file"
"$SASGUARD" --now "$NOW" --files "$tap_tmp/nonexistent" >"$tap_tmp/out" 2>&1
[ $? = 2 ] && grep -q "cannot read" "$tap_tmp/out"
ok $? "--files on a path that does not exist: exit 2, 'cannot read'"
"$SASGUARD" --now "$NOW" --files >"$tap_tmp/out" 2>&1
[ $? = 2 ]; ok $? "--files without a path: usage error"

done_testing
