#!/bin/sh
# A baseline round trip over a real history: a temporary repository made
# with real git holds tokens (one moved between commits); --write-baseline
# over its `git log -p` records them; the same history then passes with
# --baseline, a moved line keeps its fingerprint, a new token still
# blocks; the file is sorted, unique, atomic, and a failed write is exit 2.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
R=$tap_tmp/repo

sig() {	# a fresh random 32-byte signature, percent-encoded
	python3 -c 'import base64, os, urllib.parse
print(urllib.parse.quote(base64.b64encode(os.urandom(32)).decode(), safe=""))'
}
token() {	# token SIG: an account SAS valid for years
	echo "https://acct.blob.core.windows.net/?sv=2022-11-02&ss=b&srt=sco&sp=rwdl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=$1"
}
guard() {	# guard ARGS...: sasguard at a fixed time; output in out, $rc
	"$SASGUARD" --now "$NOW" "$@" > "$tap_tmp/out" 2>&1
	rc=$?
}
commit() {	# commit MESSAGE
	git -C "$R" add -A && git -C "$R" -c user.name=t -c user.email=t@t \
	    commit -q -m "$1"
}

git init -q "$R"
S1=$(sig); S2=$(sig); S3=$(sig)
echo "url = $(token "$S1")" > "$R/a.cfg"
commit "one token"
mkdir "$R/docs"
printf '# moved\n\n    %s\n' "$(token "$S1")" > "$R/docs/a.md"
rm "$R/a.cfg"
echo "other: $(token "$S2")" > "$R/b.yaml"
commit "the token moves and is re-indented; a second one comes"
git -C "$R" log -p > "$tap_tmp/history.diff"
# every form the tests may never print
for s in $S1 $S2 $S3; do echo "+sig=$s"; done > "$tap_tmp/secrets"

"$SASGUARD" --now "$NOW" "$tap_tmp/history.diff" > "$tap_tmp/out" 2>&1
[ $? = 1 ]; ok $? "the history blocks before there is a baseline"

guard --write-baseline "$tap_tmp/baseline" "$tap_tmp/history.diff"
[ $rc = 0 ]; ok $? "--write-baseline exits 0 over a blocking history (got $rc)"
[ ! -s "$tap_tmp/out" ]
ok $? "... and says nothing: quiet when it works (the file holds the 2)"
grep -v '^#' "$tap_tmp/baseline" > "$tap_tmp/fps"
[ "$(wc -l < "$tap_tmp/fps")" = 2 ] && sort -u "$tap_tmp/fps" |
    cmp -s - "$tap_tmp/fps" && ! grep -qv '^[0-9a-f]\{16\}$' "$tap_tmp/fps"
ok $? "the file: a '#' header, then 16-hex fingerprints, sorted and unique"
head -1 "$tap_tmp/baseline" | grep -q '^# sasguard baseline'
ok $? "... whose first line says what it is"
! find "$tap_tmp" -maxdepth 1 -name '*baseline.*' | grep -q .
ok $? "no temporary file is left beside it"

guard --baseline "$tap_tmp/baseline" "$tap_tmp/history.diff"
[ $rc = 0 ]; ok $? "the same history passes with the baseline (got $rc)"
grep -q "; 3 allowed by baseline" "$tap_tmp/out"
ok $? "... and the summary counts its 3 places as allowed by baseline"

# Move the token again and add a new one.
printf 'moved again:\t%s\n' "$(token "$S1")" > "$R/c.txt"
echo "new = $(token "$S3")" > "$R/new.ini"
commit "the old token moves again; a new token"
git -C "$R" show > "$tap_tmp/next.diff"
guard --baseline "$tap_tmp/baseline" "$tap_tmp/next.diff"
[ $rc = 1 ]; ok $? "a new token still blocks (got $rc)"
grep -q "^new.ini:1: BLOCK account-sas" "$tap_tmp/out"
ok $? "... and it is the new one that is told"
grep -q "1 SAS token blocks (1 place).*; 1 allowed by baseline" "$tap_tmp/out"
ok $? "... while the moved one is still allowed: fingerprints follow tokens"

# Rewriting keeps what is still there and adds the new token.
git -C "$R" log -p > "$tap_tmp/history.diff"
"$SASGUARD" --now "$NOW" --baseline "$tap_tmp/baseline" \
    --write-baseline "$tap_tmp/baseline" "$tap_tmp/history.diff" \
    > "$tap_tmp/out" 2>&1
grep -c '^[0-9a-f]' "$tap_tmp/baseline" | grep -qx 3
ok $? "rewriting the baseline over the longer history gives 3 fingerprints"

# Failures
guard --write-baseline "$tap_tmp/no/such/dir/b" "$tap_tmp/history.diff"
[ $rc = 2 ]; ok $? "a baseline that cannot be written is exit 2 (got $rc)"
grep -q "cannot write '$tap_tmp/no/such/dir/b': No such file" "$tap_tmp/out"
ok $? "... saying which file and why"
cp "$tap_tmp/baseline" "$tap_tmp/keep"
head -c 3000 "$tap_tmp/history.diff" > "$tap_tmp/cut.diff"
"$SASGUARD" --now "$NOW" --write-baseline "$tap_tmp/baseline" \
    "$tap_tmp/cut.diff" "$tap_tmp/nope.diff" > "$tap_tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && cmp -s "$tap_tmp/baseline" "$tap_tmp/keep"
ok $? "an unreadable input: exit 2 and the old baseline is kept (got $rc)"

for f in "$tap_tmp"/*; do
	[ -f "$f" ] || continue
	case $f in */secrets|*.diff) continue ;; esac
	no_secret_in "$tap_tmp/secrets" "$f" || echo "# leak in $f"
done > "$tap_tmp/leaks"
[ ! -s "$tap_tmp/leaks" ]; ok $? "no output or baseline holds a signature"
done_testing
