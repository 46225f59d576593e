#!/bin/sh
# --format json and sarif: every scan, allow and formats fixture gives a
# document that a real JSON parser (Python's) reads back and whose counts
# agree with the exit status; SARIF passes Microsoft's SARIF Multitool
# (fetched once with npm into a cache outside the repository; skipped
# when npm cannot fetch it); --exit-zero and --exit-code; a failed write
# is exit 2; and no format ever carries a signature from any fixture or
# any row of ../shared/reference/vectors.tsv.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
mkdir "$tap_tmp/sarif"
FIXTURES="tests/fixtures/scan/*.diff tests/fixtures/allow/four.diff
    tests/fixtures/formats/*.diff"

# Every form a signature could be printed in: as written, percent-decoded,
# without padding, base64url, and its decoded bytes in hex. Reads lines
# "DIFF OUTPUT..." on stdin (one Python start for all: it is slow here);
# prints each line whose outputs hold a signature of its diff.
secret_check() {
	python3 -c '
import base64, binascii, re, sys, urllib.parse
def forms_of(diff):
    forms = set()
    for line in open(diff, encoding="latin-1"):
        if not line.startswith("+"):
            continue
        for m in re.finditer(r"sig(?:=|%3D|%253D)([A-Za-z0-9%+/=]{20,})",
                             line, re.I):
            v = m.group(1)
            for _ in range(4):
                forms.add(v)
                v = urllib.parse.unquote(v)
            forms.add(v)
            b = v.rstrip("=")
            forms.update([b, b.replace("+", "-").replace("/", "_")])
            try:
                raw = base64.b64decode(b + "=" * (-len(b) % 4))
                forms.update([raw.hex(), raw.hex().upper()])
            except binascii.Error:
                pass
        # A storage account key: any 16 characters of it, its bytes.
        for m in re.finditer(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==", line):
            key = m.group(0)
            if key.startswith("Eby8vdM02xNOcqFl"):
                continue  # the emulator key is published
            forms.update(key[i:i + 16] for i in range(0, 73))
            forms.add(base64.b64decode(key).hex())
    return {f for f in forms if len(f) >= 16}
bad = 0
for job in sys.stdin:
    diff, *outs = job.split()
    forms = forms_of(diff)
    for path in outs:
        text = open(path, encoding="latin-1").read()
        text += urllib.parse.unquote(text)
        if any(f in text for f in forms):
            print(job.strip()); bad = 1
sys.exit(bad)'
}

# JSON: parse, check the shape and that the counts match the status.
# Reads lines "FILE STATUS NAME"; prints "NAME<TAB>ok" or "NAME<TAB>why".
json_check() {
	python3 -c '
import json, re, sys
def check(path, status):
    d = json.load(open(path, encoding="utf-8"))
    s = d["summary"]
    assert d["tool"] == "sasguard" and d["schema"] == 2, "head"
    assert s["exit_status"] == status, "exit_status"
    blocked = [f for f in d["findings"]
               if f["action"] == "block" and f["allowed_by"] is None]
    allowed = [f for f in d["findings"] if f["allowed_by"] is not None]
    assert len(blocked) == s["places"]["block"], "blocked places"
    assert len(allowed) == s["allowed"]["total"], "allowed places"
    assert (status == 1) == (len(blocked) > 0), "status vs findings"
    for f in d["findings"]:
        assert re.fullmatch(r"[0-9a-f]{16}", f["fingerprint"]), "fingerprint"
        assert f["line"] is None or f["line"] >= 1, "line"
        assert f["rules"] and all(r["action"] in ("block", "warn")
                                  for r in f["rules"]), "rules"
        k = f["account_key"]
        if k is not None:
            assert re.fullmatch(r"key1\(([0-9A-F]{64})\) or key2\(\1\)",
                                f["log_hash"]), "key log_hash"
            assert f["token"] is None and f["made_by"] is None, "key only"
            assert [r["id"] for r in f["rules"]] == ["account-key"], "key rule"
            assert isinstance(k["identifiable"], bool), "identifiable"
            assert "[redacted]" in k["shown"], "key shown"
            continue
        if f["made_by"] is not None:
            assert f["log_hash"] is None, "no log hash before it is made"
        else:
            assert re.fullmatch(r"SasSignature\([0-9A-F]{64}\)",
                                f["log_hash"]), "log_hash"
            assert f["account_key"] is None, "a token is no key"
        t = f["token"]
        for k in ("kind", "permissions", "permission_words", "start",
                  "expiry", "lifetime_seconds", "expired", "shown",
                  "protocol"):
            assert k in t, k
        assert f["made_by"] is not None or "[redacted]" in t["shown"], "shown"
for job in sys.stdin:
    path, status, name = job.split()
    try:
        check(path, int(status)); why = "ok"
    except Exception as e:
        why = "%s: %s" % (type(e).__name__, e)
    print("%s\t%s" % (name, why))'
}

n=0
: > "$tap_tmp/jobs"
: > "$tap_tmp/secret-jobs"
: > "$tap_tmp/sarif-jobs"
for fx in $FIXTURES; do
	n=$((n + 1))
	name=${fx#tests/fixtures/}
	args=$(sed -n 's/^# args: //p' "$fx")
	# shellcheck disable=SC2086
	"$SASGUARD" --now "$NOW" $args "$fx" > "$tap_tmp/$n.text" 2>&1
	want=$?
	# shellcheck disable=SC2086
	"$SASGUARD" --now "$NOW" $args --format json "$fx" \
	    > "$tap_tmp/$n.json" 2> "$tap_tmp/$n.err"
	rc=$?
	[ "$rc" = "$want" ]; ok $? "$name: json exits as text does ($rc)"
	[ "$(wc -l < "$tap_tmp/$n.err")" -le 1 ]
	ok $? "$name: json leaves only the summary line on stderr"
	# shellcheck disable=SC2086
	"$SASGUARD" --now "$NOW" $args --format sarif "$fx" \
	    > "$tap_tmp/sarif/$n.sarif" 2> /dev/null
	[ "$want" = $? ]; ok $? "$name: sarif exits as text does ($want)"
	no_secret_in "$fx" "$tap_tmp/$n.json" &&
	    no_secret_in "$fx" "$tap_tmp/sarif/$n.sarif"
	ok $? "$name: no_secret_in the JSON and the SARIF"
	echo "$tap_tmp/$n.json $rc $name" >> "$tap_tmp/jobs"
	echo "$tap_tmp/sarif/$n.sarif 1 $name.sarif" >> "$tap_tmp/sarif-jobs"
	echo "$fx $tap_tmp/$n.text $tap_tmp/$n.json $tap_tmp/$n.err" \
	    "$tap_tmp/sarif/$n.sarif" >> "$tap_tmp/secret-jobs"
done
json_check < "$tap_tmp/jobs" > "$tap_tmp/verdicts"
while IFS="$(printf '\t')" read -r name why; do
	[ "$why" = ok ]; ok $? "$name: JSON parses back, counts match the status"
	[ "$why" = ok ] || echo "#   $why"
done < "$tap_tmp/verdicts"
python3 -c '
import json, sys
for job in sys.stdin:
    json.load(open(job.split()[0], encoding="utf-8"))' < "$tap_tmp/sarif-jobs"
ok $? "every SARIF document is JSON"
secret_check < "$tap_tmp/secret-jobs" > "$tap_tmp/leaks"
ok $? "no fixture's signature, in any form, in text, JSON or SARIF"
sed "s/^/# leak: /" "$tap_tmp/leaks"

# Paths with quotes, control characters and bytes that are not UTF-8.
"$SASGUARD" --now "$NOW" --format json tests/fixtures/formats/odd.diff 2> /dev/null |
python3 -c '
import json, sys
d = json.load(sys.stdin)
want = "we\"ird\x01 \u00e9 \ufffd.md"
assert [f["path"] for f in d["findings"]] == [want, want], "paths"
assert [f["line"] for f in d["findings"]] == [1, None], "lines"'
ok $? "odd path: quote, control byte, UTF-8 kept, a bad byte is U+FFFD; unknown line is null"
"$SASGUARD" --now "$NOW" --format sarif tests/fixtures/formats/odd.diff 2> /dev/null |
python3 -c '
import json, sys
d = json.load(sys.stdin)
locs = [r["locations"][0]["physicalLocation"] for r in d["runs"][0]["results"]]
assert all(l["artifactLocation"]["uri"] == "we%22ird%01%20%C3%A9%20%FF.md"
           for l in locs), "uri"
assert all(l["region"]["startLine"] >= 1 for l in locs), "startLine"
r = d["runs"][0]["results"][0]
assert r["partialFingerprints"]["sasguard/v1"], "partialFingerprints"
rules = d["runs"][0]["tool"]["driver"]["rules"]
assert [x["id"] for x in rules] == ["account-sas", "long-expiry",
    "write-permissions", "unknown-expiry", "insecure-protocol",
    "account-key"], "rules"
assert all(float(x["properties"]["security-severity"]) > 0 and
    x["help"]["text"] for x in rules), "severity, help"'
ok $? "SARIF: percent-encoded uri, startLine >= 1, fingerprints, rules with severity and help"
"$SASGUARD" --now "$NOW" --format sarif tests/fixtures/allow/four.diff 2> /dev/null |
python3 -c '
import json, sys
d = json.load(sys.stdin)
run = d["runs"][0]
sup = [r for r in run["results"] if r.get("suppressions")]
assert sup and all(r["suppressions"][0]["kind"] == "inSource" for r in sup)
assert run["properties"]["summary"]["allowed"]["inline"] == 1'
ok $? "SARIF: an allowed finding carries a suppression, and the summary counts it"

# The rules beyond the token: account keys and SAS generation, in JSON
# and in SARIF (rule list, results, properties).
"$SASGUARD" --now "$NOW" --format json tests/fixtures/scan/account-key-risky.diff \
    2> /dev/null | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"]
assert len(f) == 4 and all(x["rules"][0]["id"] == "account-key" for x in f)
assert [x["account_key"]["account"] for x in f] == ["prodlogs01", None,
    "backup7", "media42"], "accounts"
assert [x["account_key"]["identifiable"] for x in f] == [False, True, False,
    False], "identifiable"'
ok $? "JSON: account keys with their rule, account and identifiable flag"
"$SASGUARD" --now "$NOW" --format sarif tests/fixtures/scan/account-key-risky.diff \
    2> /dev/null | python3 -c '
import json, sys
run = json.load(sys.stdin)["runs"][0]
ids = [x["id"] for x in run["tool"]["driver"]["rules"]]
r = run["results"]
assert all(x["ruleId"] == "account-key" and x["level"] == "error" and
    ids[x["ruleIndex"]] == "account-key" for x in r) and len(r) == 4
assert all(x["properties"]["kind"] == "account-key" and
    x["properties"]["log_hash"].startswith("key1(") for x in r)'
ok $? "SARIF: account-key results point at their rule, kind and key log hash"
"$SASGUARD" --now "$NOW" --format json tests/fixtures/scan/gen-terraform-risky.diff \
    2> /dev/null | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"]
assert {x["made_by"] for x in f} == {"Terraform azurerm_storage_account_sas",
    "Terraform azurerm_storage_account_blob_container_sas"}, "made_by"
assert all(x["log_hash"] is None for x in f), "no log hash"
ids = {r["id"] for x in f for r in x["rules"]}
assert {"account-sas", "long-expiry", "write-permissions",
    "unknown-expiry"} <= ids, ids'
ok $? "JSON: generated SAS carry made_by, the usual rule ids, no log hash"
"$SASGUARD" --now "$NOW" --format sarif tests/fixtures/scan/gen-terraform-risky.diff \
    2> /dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)["runs"][0]["results"]
assert r and all("(made by Terraform" in x["message"]["text"] and
    x["properties"]["made_by"].startswith("Terraform") for x in r)'
ok $? "SARIF: generated SAS say what made them, in message and properties"

# The log hash: one per token whatever the spelling, on every finding in
# every format (text: the fixture's "expect:" lines).
fx=tests/fixtures/formats/spellings.diff
check_fixture "$fx" "spellings (text)" "$NOW"
want=$(sed -n 's/^# expect: log hash: *//p' "$fx")
"$SASGUARD" --now "$NOW" --format json "$fx" 2> /dev/null |
python3 -c '
import json, sys
d = json.load(sys.stdin)
f = d["findings"]
assert len(f) == 5, "five places"
assert {x["log_hash"] for x in f} == {sys.argv[1]}, "log hashes"
assert len({x["fingerprint"] for x in f}) == 1, "fingerprints"' "$want"
ok $? "spellings: JSON gives the 5 places one log hash ($want)"
"$SASGUARD" --now "$NOW" --format sarif "$fx" 2> /dev/null |
python3 -c '
import json, sys
r = json.load(sys.stdin)["runs"][0]["results"]
assert r, "results"
for x in r:
    assert x["properties"]["log_hash"] == sys.argv[1], "property"
    assert sys.argv[1] in x["message"]["text"], "message"' "$want"
ok $? "spellings: every SARIF result has the log hash as a property and in its message"

# The two incident tokens give the reference's log hashes.
CASES=../shared/cases/msleak
REF=../shared/reference/beyond-sas.md
for id in a9e0e80 e61568d; do
	if ! [ -r "$CASES/msleak-$id.diff" ] || ! [ -r "$REF" ]; then
		skip "incident $id: log hash" "$CASES or $REF is not there"
		continue
	fi
	want=$(grep -A1 "msleak-$id.diff" "$REF" |
	    grep -o 'SasSignature([0-9A-F]*)' | head -n 1)
	"$SASGUARD" --now "$NOW" --format json "$CASES/msleak-$id.diff" \
	    2> /dev/null | python3 -c '
import json, sys
f = json.load(sys.stdin)["findings"]
assert len(f) == 78 and {x["log_hash"] for x in f} == {sys.argv[1]}
' "$want"
	ok $? "incident $id: 78 places, each with the reference's $want"
	"$SASGUARD" --now "$NOW" "$CASES/msleak-$id.diff" 2>&1 |
	    grep -q -F "log hash:    $want"
	ok $? "incident $id: the text says the log hash"
done

# Exit flags and write errors
fx=tests/fixtures/scan/account-sas-2051.diff
"$SASGUARD" --now "$NOW" --exit-zero "$fx" > /dev/null 2>&1
[ $? = 0 ]; ok $? "--exit-zero: a blocking token exits 0"
"$SASGUARD" --now "$NOW" --exit-zero "$fx" "$tap_tmp/nope" > /dev/null 2>&1
[ $? = 2 ]; ok $? "--exit-zero: an unreadable input still exits 2"
"$SASGUARD" --now "$NOW" --exit-code 3 "$fx" > /dev/null 2>&1
[ $? = 3 ]; ok $? "--exit-code 3: a blocking token exits 3"
"$SASGUARD" --now "$NOW" --exit-code 3 tests/fixtures/scan/warn-only.diff \
    > /dev/null 2>&1
[ $? = 0 ]; ok $? "--exit-code 3: nothing blocking still exits 0"
for bad in 0 126 x ''; do
	"$SASGUARD" --exit-code "$bad" "$fx" > /dev/null 2>&1
	[ $? = 2 ]; ok $? "--exit-code '$bad' is a usage error"
done
"$SASGUARD" --now "$NOW" --format json --exit-code 5 "$fx" 2> /dev/null |
    python3 -c 'import json,sys; assert json.load(sys.stdin)["summary"]["exit_status"] == 5'
ok $? "the JSON summary holds the status --exit-code gives"
"$SASGUARD" --format xml "$fx" > /dev/null 2>&1
[ $? = 2 ]; ok $? "an unknown format is a usage error"
if [ -w /dev/full ]; then
	for fmt in json sarif; do
		"$SASGUARD" --now "$NOW" --format $fmt "$fx" > /dev/full \
		    2> "$tap_tmp/err"
		rc=$?
		[ $rc = 2 ] && grep -q "cannot write the report" "$tap_tmp/err"
		ok $? "--format $fmt > /dev/full: exit 2, saying so (got $rc)"
	done
else
	skip "--format json > /dev/full" "no /dev/full here"
fi

# Every reference vector, in every format.
VECTORS=../shared/reference/vectors.tsv
if [ -r "$VECTORS" ]; then
	rows=0
	: > "$tap_tmp/vjobs"
	tail -n +2 "$VECTORS" > "$tap_tmp/rows"
	while IFS="$(printf '\t')" read -r id expected why string source; do
		rows=$((rows + 1))
		{
			printf 'diff --git a/v.txt b/v.txt\n--- a/v.txt\n'
			printf '+++ b/v.txt\n@@ -0,0 +1 @@\n+%s\n' "$string"
		} > "$tap_tmp/v$rows.diff"
		out=
		for fmt in text json sarif; do
			"$SASGUARD" --now "$NOW" --format $fmt \
			    "$tap_tmp/v$rows.diff" > "$tap_tmp/v$rows.$fmt" 2>&1
			no_secret_in "$tap_tmp/v$rows.diff" "$tap_tmp/v$rows.$fmt" ||
			    echo "# $id: no_secret_in fails for $fmt"
			out="$out $tap_tmp/v$rows.$fmt"
		done
		echo "$tap_tmp/v$rows.diff$out" >> "$tap_tmp/vjobs"
		: "$id $expected $why $source"
	done < "$tap_tmp/rows" > "$tap_tmp/vleaks"
	secret_check < "$tap_tmp/vjobs" >> "$tap_tmp/vleaks"
	sed 's/^/# /' "$tap_tmp/vleaks"
	[ ! -s "$tap_tmp/vleaks" ] && [ "$rows" -ge 39 ]
	ok $? "vectors: $rows rows in text, JSON and SARIF, no signature"
else
	skip "vectors in every format" "$VECTORS is not there"
fi

# The checker itself must be able to fail.
printf 'sig=%s\n' "$(sed -n 's/.*sig=\([A-Za-z0-9%]*\).*/\1/p' \
    tests/fixtures/allow/four.diff | head -1)" > "$tap_tmp/planted"
echo "tests/fixtures/allow/four.diff $tap_tmp/planted" |
    secret_check > /dev/null
[ $? = 1 ]; ok $? "the secret check finds a planted signature"

# SARIF Multitool, fetched once into a cache outside the repository.
CACHE=${SASGUARD_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sasguard-tests}
MT=$CACHE/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -e "$MT" ] && command -v npm > /dev/null 2>&1; then
	mkdir -p "$CACHE"
	timeout 180 npm install --prefix "$CACHE" --no-audit --no-fund \
	    --loglevel=error @microsoft/sarif-multitool@5 > "$tap_tmp/npm" 2>&1
fi
[ -e "$MT" ] && chmod u+x "$MT" 2> /dev/null
if [ -x "$MT" ] && "$MT" --version > /dev/null 2>&1; then
	# A copy with its driver cut out: the validator must catch it, or
	# its silence below would prove nothing.
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["runs"][0]["tool"] = {}
json.dump(d, open(sys.argv[2], "w"))' "$tap_tmp/sarif/1.sarif" \
	    "$tap_tmp/broken.sarif"
	"$MT" validate "$tap_tmp/sarif/"*.sarif "$tap_tmp/broken.sarif" \
	    > "$tap_tmp/mt" 2>&1
	grep -q "broken.sarif.*: error " "$tap_tmp/mt"
	ok $? "SARIF Multitool finds the error planted in a broken copy"
	! grep ": error " "$tap_tmp/mt" | grep -v broken.sarif |
	    sed 's/^/#   /' | grep .
	ok $? "SARIF Multitool: every sasguard SARIF file validates with no errors"
	grep -c ": warning " "$tap_tmp/mt" | sed 's/^/# multitool warnings: /'
else
	skip "SARIF Multitool validation" \
	    "npm could not fetch @microsoft/sarif-multitool into $CACHE"
	skip "SARIF Multitool: no errors" "the validator is not available"
fi
[ "$n" -ge 10 ]; ok $? "$n fixtures in all"
done_testing
