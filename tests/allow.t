#!/bin/sh
# Exceptions, one kind at a time, over tests/fixtures/allow/four.diff (four
# blocking tokens, one per kind): each must allow exactly its token and be
# counted by reason; a server's "inline = false" makes the marker do
# nothing; a broken or runaway pattern is an error naming its line.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
FX=tests/fixtures/allow
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT

run() {	# run ARGS...: output in $tap_tmp/out, status in $rc
	"$SASGUARD" --now "$NOW" "$@" > "$tap_tmp/out" 2>&1
	rc=$?
	no_secret_in "$FX/four.diff" "$tap_tmp/out" || leaks=$((leaks + 1))
}
leaks=0
says() {	# says TEXT DESCRIPTION
	grep -F -q -- "$1" "$tap_tmp/out"
	said=$?
	ok "$said" "$2"
	# Redacted output only: safe to show when the text is not there.
	[ "$said" -eq 0 ] || sed 's/^/#   /' "$tap_tmp/out"
}
lacks() {
	! grep -F -q -- "$1" "$tap_tmp/out"
	ok $? "$2"
}
conf() {	# conf TEXT: a rules file in $tap_tmp/rules.ini
	printf '%b' "$1" > "$tap_tmp/rules.ini"
}

# The fingerprint of the token on a file's line, computed here from the
# signature with Python's SHA-256, independently of sasguard.
fingerprint_of() {	# fingerprint_of PATH-IN-DIFF
	python3 - "$FX/four.diff" "$1" <<'PY'
import base64, hashlib, re, sys, urllib.parse
path, want = sys.argv[1], sys.argv[2]
cur = None
for line in open(path):
    if line.startswith('+++ b/'):
        cur = line[6:].strip()
    elif line.startswith('+') and cur == want:
        v = urllib.parse.unquote(re.search(r'sig=([^&\'"\s]+)', line).group(1))
        print(hashlib.sha256(base64.b64decode(v)).hexdigest()[:16])
        break
PY
}
FP_README=$(fingerprint_of README.md)
FP_TEST=$(fingerprint_of test/data/cfg.json)

# No rules file: the inline marker is honoured by default.
run "$FX/four.diff"
[ "$rc" = 1 ]; ok $? "default: the other three block (exit $rc)"
says "3 SAS tokens block (3 places)" "default: three tokens block"
says "; 1 allowed by inline" "default: the marked line is allowed, and counted"
lacks "app.py:4" "default: the marked line is not told"
says "fingerprint: $FP_README" \
    "the fingerprint printed is SHA-256 of the decoded signature, 16 hex"

# A server turns markers off.
conf '[allow]\ninline = false\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "4 SAS tokens block (4 places)" "inline = false: the marker does nothing"
says "app.py:4: BLOCK long-expiry" "inline = false: the marked line is told"
lacks "allowed by" "inline = false: nothing is counted as allowed"

# paths
conf '[allow]\ninline = false\npaths = docs/**\npaths = test/**\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "3 SAS tokens block" "paths = test/**: one token less blocks"
says "1 allowed by path" "paths: counted by reason"
lacks "test/data/cfg.json:1" "paths: the allowed finding is not told"
conf '[allow]\ninline = false\npaths = *.json\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "4 SAS tokens block" "paths = *.json does not cross a folder"
conf '[allow]\ninline = false\npaths = **/*.json\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "1 allowed by path" "paths = **/*.json crosses folders"

# fingerprints, several on a line and repeated keys
conf "[allow]\\ninline = false\\nfingerprints = 0123456789abcdef, $FP_README\\n"
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "1 allowed by fingerprint" "fingerprints: the listed token is allowed"
lacks "README.md:2" "fingerprints: ... and not told"
conf '[allow]\nfingerprints = 0123456789abcdeg\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
[ "$rc" = 2 ]; ok $? "a bad fingerprint is an error (exit $rc)"
says "rules.ini:2: '0123456789abcdeg' is not a fingerprint" \
    "... naming the file and line"

# regex
conf "[allow]\\ninline = false\\nregex = ^EXAMPLE_SAS='\\n"
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
says "1 allowed by regex" "regex: the matching line is allowed"
lacks "deploy.sh:2" "regex: ... and not told"
conf '[allow]\n\nregex = (unclosed\n'
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
[ "$rc" = 2 ]; ok $? "a regex that does not compile is an error (exit $rc)"
says "rules.ini:3: regex does not compile at offset 9: missing closing" \
    "... naming the file and line"
run --config "$FX/redos.ini" "$FX/redos.diff"
[ "$rc" = 2 ]; ok $? "a regex that trips the match limit is an error (exit $rc)"
says "redos.ini:3: [allow] regex failed on deploy.sh:2: match limit exceeded" \
    "... naming the pattern's line and the diff's"
lacks "0 SAS tokens" "... and never reads as allowed"

# baseline: from the command line, and relative to the rules file
printf '# note\n%s  README, revoked in 2024\n' "$FP_TEST" > "$tap_tmp/base.txt"
conf '[allow]\ninline = false\n'
run --config "$tap_tmp/rules.ini" --baseline "$tap_tmp/base.txt" "$FX/four.diff"
says "1 allowed by baseline" "--baseline FILE allows its tokens"
mkdir "$tap_tmp/sub"
printf '[allow]\ninline = false\nbaseline = base.txt\n' > "$tap_tmp/sub/r.ini"
cp "$tap_tmp/base.txt" "$tap_tmp/sub/base.txt"
(cd / && "$SASGUARD" --now "$NOW" --config "$tap_tmp/sub/r.ini" \
    "$OLDPWD/$FX/four.diff") > "$tap_tmp/out" 2>&1
says "1 allowed by baseline" \
    "baseline = FILE is read from the rules file's folder, whatever the cwd"
printf 'not-a-fingerprint\n' > "$tap_tmp/sub/base.txt"
run --config "$tap_tmp/sub/r.ini" "$FX/four.diff"
[ "$rc" = 2 ]; ok $? "a broken baseline is an error (exit $rc)"
says "sub/base.txt:1: want a fingerprint" "... naming the file and line"
run --baseline "$tap_tmp/nope" "$FX/four.diff"
[ "$rc" = 2 ]; ok $? "a missing baseline is an error (exit $rc)"
says "cannot read '$tap_tmp/nope': No such file" "... saying which and why"

# All of them at once: nothing left to block, everything counted.
printf '%s\n' "$FP_TEST" > "$tap_tmp/base.txt"
conf "[allow]\\npaths = nothing/**\\nfingerprints = $FP_README\\nbaseline = base.txt\\nregex = ^EXAMPLE_SAS=\\n"
run --config "$tap_tmp/rules.ini" "$FX/four.diff"
[ "$rc" = 0 ]; ok $? "every token allowed: exit 0 (got $rc)"
says "0 SAS tokens block (0 places), 0 warn (0 places), 0 pass (0 places); 1 allowed by inline, 1 by fingerprint, 1 by baseline, 1 by regex" \
    "the summary counts each reason"

# --print-config shows the exceptions, and what it prints loads back.
"$SASGUARD" --config "$tap_tmp/rules.ini" --print-config > "$tap_tmp/p.ini"
grep -q "^regex = ^EXAMPLE_SAS=$" "$tap_tmp/p.ini" &&
    grep -q "^fingerprints = $FP_README$" "$tap_tmp/p.ini" &&
    grep -q "^baseline = $tap_tmp/base.txt$" "$tap_tmp/p.ini"
ok $? "--print-config prints the patterns, fingerprints and baseline path"
"$SASGUARD" --config "$tap_tmp/p.ini" --print-config > "$tap_tmp/p2.ini" &&
    cmp -s "$tap_tmp/p.ini" "$tap_tmp/p2.ini"
ok $? "... and reads back to the same"
[ "$leaks" = 0 ]; ok $? "no output above held a signature ($leaks did)"
done_testing
