#!/bin/sh
# sasguard inventory over real git histories:
# - the incident history (../shared/cases/msleak: a commit holding the 2020
#   links, then the 2021 commit applied over it) is exactly 2 tokens, 78
#   places each, the right first commit, author and date, "expired" for
#   the 2020 token and "live" for the 2021 one, the reference's log
#   hashes, only the 2021 token at HEAD, exit 1;
# - three repositories, one token shared by two: one row, two
#   repositories; a repository named twice is read once;
# - merges: a branch's token merged in counts once; a token a merge adds
#   itself is found in the merge; a tag message is read;
# - CSV parses with Python's csv module; JSON has the fields README lists;
#   the gitlab report passes the required-field checks of schema 15.1.4;
#   SARIF parses (and passes the SARIF Multitool when formats.t fetched it);
# - exit 0 when only expired tokens, 2 for what is no repository;
# - no output, progress (on a pseudo-terminal) or error holds a signature.
. tests/e2e/lib.sh

CASES=$ROOT/../shared/cases/msleak
REF=$ROOT/../shared/reference/beyond-sas.md
NOW=2026-11-22T00:00:00Z
inv() {	# inv ARGS...: sasguard inventory at NOW; stdout in $T/out, stderr
	# in $T/err, status in $rc
	sasguard inventory --now "$NOW" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# Every form a signature of the given files could be printed in.
secret_forms() {
	python3 -c '
import base64, re, sys, urllib.parse
forms = set()
for path in sys.argv[1:]:
    for m in re.finditer(r"sig(?:=|%3D)([A-Za-z0-9%+/=]{20,})",
                         open(path, encoding="latin-1").read(), re.I):
        v = urllib.parse.unquote(urllib.parse.unquote(m.group(1)))
        b = v.rstrip("=")
        forms.update([m.group(1), v, b, b.replace("+", "-").replace("/", "_")])
        raw = base64.b64decode(b + "=" * (-len(b) % 4))
        forms.update([raw.hex(), raw.hex().upper()])
print("\n".join(f for f in forms if len(f) >= 20))' "$@"
}
no_leak() {	# no_leak FORMS FILE...
	forms=$1
	shift
	for f in "$@"; do
		if grep -q -F -f "$forms" "$f"; then
			return 1
		fi
	done
	return 0
}

plan 45

# ---------------------------------------------------------------- incident
if [ -r "$CASES/msleak-a9e0e80.diff" ] && [ -r "$REF" ]; then
	R=$T/incident
	git init -q "$R"
	preimage "$CASES/msleak-a9e0e80.diff" README.md >"$R/README.md"
	git -C "$R" add README.md
	GIT_AUTHOR_DATE="2020-07-20T16:20:51Z" git -C "$R" commit -q \
	    --author="Old Author <old@example.invalid>" -m "the 2020 links"
	first=$(rev "$R" HEAD)
	git -C "$R" apply --whitespace=nowarn "$CASES/msleak-a9e0e80.diff"
	git -C "$R" add -A
	GIT_AUTHOR_DATE="2021-10-05T23:06:31Z" git -C "$R" commit -q \
	    --author="New Author <new@example.invalid>" -m "the 2021 links"
	second=$(rev "$R" HEAD)
	hash2021=$(grep -A1 'msleak-a9e0e80.diff' "$REF" |
	    grep -o 'SasSignature([0-9A-F]*)' | head -n 1)
	hash2020=$(grep -A1 'msleak-e61568d.diff' "$REF" |
	    grep -o 'SasSignature([0-9A-F]*)' | head -n 1)
	secret_forms "$CASES/msleak-a9e0e80.diff" >"$T/forms"

	inv --format json "$R"
	[ "$rc" = 1 ]; ok $? "incident: exit 1, a live token blocks (got $rc)"
	[ "$rc" = 1 ] || sed 's/^/# /' "$T/err"
	cp "$T/out" "$T/incident.json"
	python3 - "$T/incident.json" "$first" "$second" "$hash2020" "$hash2021" \
	    >"$T/verdicts" <<'EOF'
import json, sys
path, first, second, h2020, h2021 = sys.argv[1:]
d = json.load(open(path))
t = d["tokens"]
def say(cond, what):
    print(("ok" if cond else "not ok") + "\t" + what)
say(d["schema"] == 1 and len(t) == 2, "exactly 2 tokens")
by = {x["log_hash"]: x for x in t}
say(set(by) == {h2020, h2021}, "the reference's two log hashes")
old, new = by.get(h2020, {}), by.get(h2021, {})
say(old.get("places") == 78 and new.get("places") == 78, "78 places each")
say(old.get("status") == "expired", "2020 token: expired")
say(new.get("status") == "live", "2021 token: live")
say(t[0].get("log_hash") == h2021, "the live token is listed first")
say(old.get("first_seen", {}).get("commit") == first and
    new.get("first_seen", {}).get("commit") == second,
    "first commit of each")
say(old.get("first_seen", {}).get("author") ==
    "Old Author <old@example.invalid>" and
    old.get("first_seen", {}).get("date") == "2020-07-20T16:20:51Z",
    "first seen: author and date of the commit")
say(old.get("first_seen", {}).get("path") == "README.md" and
    isinstance(old.get("first_seen", {}).get("line"), int),
    "first seen: path and line")
say(new.get("at_head") is True and old.get("at_head") is False,
    "only the 2021 token is still at HEAD")
say(new.get("repositories") == 1 and new.get("kind") == "account",
    "one repository; an account SAS")
say(new.get("blocking") is True and old.get("blocking") is False,
    "the live token blocks, the expired one does not")
EOF
	while IFS="$(printf '\t')" read -r verdict what; do
		[ "$verdict" = ok ]; ok $? "incident: $what"
	done <"$T/verdicts"

	for fmt in table csv sarif gitlab; do
		inv --format "$fmt" "$R"
		cp "$T/out" "$T/incident.$fmt"
		cp "$T/err" "$T/incident.$fmt.err"
	done
	grep -q "^live .*02d3606de87ad62c" "$T/incident.table" &&
	    grep -q "^expired .*545259d0774a044f" "$T/incident.table" &&
	    grep -q "^live account SAS: 1 (02d3606de87ad62c)" "$T/incident.table" &&
	    grep -q "^longest-lived live token: 02d3606de87ad62c," "$T/incident.table"
	ok $? "incident: the table, live first, and its summary"

	# Progress, on a terminal, is on standard error; --quiet silences it.
	if script -qfec true /dev/null >/dev/null 2>&1; then
		script -qfec "sasguard inventory --now $NOW --format csv '$R' \
		    >'$T/tty.out'" "$T/tty.log" >/dev/null 2>&1
		grep -q "commits, .* MB read, .* tokens" "$T/tty.log"
		ok $? "incident: progress on a terminal"
		script -qfec "sasguard inventory --quiet --now $NOW \
		    --format csv '$R' >'$T/quiet.out'" "$T/quiet.log" \
		    >/dev/null 2>&1
		! grep -q "MB read" "$T/quiet.log"
		ok $? "incident: --quiet, no progress"
	else
		skip "progress on a terminal: script(1) cannot make one"
		skip "--quiet: script(1) cannot make one"
		: >"$T/tty.log"
	fi
	no_leak "$T/forms" "$T/incident".* "$T/tty.log"
	ok $? "incident: no signature in any format, on stderr or in progress"
else
	for _ in $(seq 17); do skip "the incident diffs are not at $CASES"; done
fi

# ---------------------------------------------------------------- repos
sig() {
	python3 -c 'import base64, os, urllib.parse
print(urllib.parse.quote(base64.b64encode(os.urandom(32)).decode(), safe=""))'
}
S1=$(sig)
S2=$(sig)
S3=$(sig)
for s in $S1 $S2 $S3; do echo "sig=$s"; done >"$T/made"
secret_forms "$T/made" >"$T/forms2"
url() {	# url SIG EXPIRY
	echo "https://acct.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rw&st=2020-01-01T00:00:00Z&se=$2&spr=https&sig=$1"
}
for r in a b c; do git init -q "$T/$r"; done
commit_file "$T/a" conf.txt "shared: $(url "$S1" 2030-01-01T00:00:00Z)"
commit_file "$T/b" deep/x.cfg "again: $(url "$S1" 2030-01-01T00:00:00Z)"
commit_file "$T/c" y.txt "other: $(url "$S2" 2030-01-01T00:00:00Z)"
# a and b again, named otherwise: read once
inv --format json "$T/a" "$T/b" "$T/c" "$T/b/" "$T/a/../a"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["fingerprint"]: x for x in d["tokens"]}
assert len(t) == 2, "2 rows"
shared = [x for x in t.values() if x["repositories"] == 2]
assert len(shared) == 1 and shared[0]["places"] == 2, "one row, 2 repositories, 2 places"
assert sorted(shared[0]["repos"]) == sorted(sys.argv[2:4]), "its repositories"
' "$T/out" "$T/a" "$T/b"
ok $? "three repositories, one token in two: one row, two repositories"
[ "$rc" = 1 ]; ok $? "... exit 1 (got $rc)"

# Merges: a branch's token, merged, counts once; a merge's own token is
# found in the merge; a tag's message is read.
M=$T/merges
git init -q "$M"
commit_file "$M" base.txt "base"
git -C "$M" checkout -q -b side
commit_file "$M" side.txt "side: $(url "$S1" 2030-01-01T00:00:00Z)"
git -C "$M" checkout -q main
commit_file "$M" main.txt "main"
git -C "$M" merge -q --no-ff --no-commit side >/dev/null 2>&1
echo "evil: $(url "$S2" 2030-01-01T00:00:00Z)" >"$M/evil.txt"
git -C "$M" add evil.txt
git -C "$M" commit -q -m "merge side"
merge=$(rev "$M" HEAD)
git -C "$M" tag -a v1 -m "release notes: $(url "$S3" 2030-01-01T00:00:00Z)"
git -C "$M" branch -q -D side
inv --format json "$M"
python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["tokens"]
assert len(t) == 3, "three tokens: %d" % len(t)
places = sorted(x["places"] for x in t)
assert places == [1, 1, 1], "each once: %s" % places
paths = {x["first_seen"]["path"] for x in t}
assert paths == {"side.txt", "evil.txt", "(tag message)"}, paths
evil = [x for x in t if x["first_seen"]["path"] == "evil.txt"][0]
assert evil["first_seen"]["commit"] == sys.argv[2], "the merge"
assert all(x["at_head"] == (x["first_seen"]["path"] != "(tag message)") for x in t), "at_head"
' "$T/out" "$merge" 2>"$T/why"
ok $? "merges and tags: each commit once, a merge's own token, a tag message"
[ -s "$T/why" ] && show "$T/why"

# A file wget named after its URL: the path holds the signature too.
S4=$(sig)
echo "sig=$S4" >>"$T/made"
secret_forms "$T/made" >"$T/forms2"
W=$T/wget
git init -q "$W"
commit_file "$W" "x.ckpt?sv=2022-11-02&sr=c&sp=rw&se=2030-01-01&sig=$S4" \
    "wget '$(url "$S4" 2030-01-01T00:00:00Z)'"
: >"$T/wget.all"
for fmt in table csv json sarif gitlab; do
	inv --format "$fmt" "$W"
	cat "$T/out" "$T/err" >>"$T/wget.all"
done
grep -q 'x.ckpt?sv=2022-11-02&sr=c&sp=rw&se=2030-01-01&sig=...…\[redacted\]' "$T/wget.all" &&
    no_leak "$T/forms2" "$T/wget.all"
ok $? "a path named after a SAS URL: shown redacted in every format"

# ---------------------------------------------------------------- formats
for fmt in csv json sarif gitlab table; do
	inv --format "$fmt" "$T/a" "$T/b" "$T/c" "$M"
	cp "$T/out" "$T/all.$fmt"
	cp "$T/err" "$T/all.$fmt.err"
done
python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
for k in ("fingerprint", "log_hash", "status", "places", "repositories",
          "first_commit", "first_path", "first_line", "at_head"):
    assert k in head, k
assert len(rows) == 1 + 3, "a header and 3 rows"
assert all(len(r) == len(head) for r in rows), "every row as wide"
d = [dict(zip(head, r)) for r in rows[1:]]
assert sorted(int(x["places"]) for x in d) == [1, 2, 3], "places"
assert {x["status"] for x in d} == {"live"}, "status"
' "$T/all.csv"
ok $? "CSV: Python's csv reader reads a header and one row per token"

python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == 1
for t in d["tokens"]:
    for k in ("fingerprint", "log_hash", "kind", "status", "expiry",
              "rules", "places", "at_head", "first_seen", "last_seen"):
        assert k in t, k
    assert re.fullmatch(r"[0-9a-f]{16}", t["fingerprint"])
    assert re.fullmatch(r"SasSignature\([0-9A-F]{64}\)", t["log_hash"])
    assert isinstance(t["rules"], list) and isinstance(t["at_head"], bool)
    for s in ("first_seen", "last_seen"):
        for k in ("repo", "commit", "author", "date", "path", "line"):
            assert k in t[s], s + "." + k
' "$T/all.json"
ok $? "JSON: schema 1 and every field README lists"

# GitLab's secret-detection schema 15.1.4: its required fields and patterns.
cat >"$T/gitlab.py" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[1]).read()
assert "raw_source_code_extract" not in text, "raw_source_code_extract"
for k in ("scan", "version", "vulnerabilities"):
    assert k in d, k
assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", d["version"]), "version"
s = d["scan"]
for k in ("analyzer", "scanner", "start_time", "end_time", "status", "type"):
    assert k in s, "scan." + k
for who in ("analyzer", "scanner"):
    for k in ("id", "name", "version"):
        assert isinstance(s[who][k], str) and s[who][k], who + "." + k
    assert s[who]["vendor"]["name"], who + ".vendor.name"
for k in ("start_time", "end_time"):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", s[k]), k
assert s["status"] in ("success", "failure") and s["type"] == "secret_detection"
ids = set()
for v in d["vulnerabilities"]:
    assert isinstance(v["id"], str) and v["id"] and v["id"] not in ids, "id"
    ids.add(v["id"])
    assert len(v["identifiers"]) >= 1, "identifiers"
    for i in v["identifiers"]:
        for k in ("type", "name", "value"):
            assert isinstance(i[k], str) and i[k], "identifier." + k
    assert v["location"]["commit"]["sha"], "location.commit.sha"
    assert v.get("severity", "Info") in ("Info", "Unknown", "Low", "Medium",
                                         "High", "Critical"), "severity"
    assert len(v.get("name", "")) <= 255, "name"
    for k, det in v.get("details", {}).items():
        assert det["name"] and det["type"], "details." + k
print(len(d["vulnerabilities"]))
EOF
n=$(python3 "$T/gitlab.py" "$T/all.gitlab")
[ "$n" = 3 ]; ok $? "gitlab: schema 15.1.4's required fields, 3 vulnerabilities ($n)"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["scan"]["start_time"] += "Z"
json.dump(d, open(sys.argv[2], "w"))' "$T/all.gitlab" "$T/broken.gitlab"
! python3 "$T/gitlab.py" "$T/broken.gitlab" >/dev/null 2>&1
ok $? "gitlab: the check refuses a start_time with Z"

python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]["results"]
assert len(r) == 3, "one result per token"
for x in r:
    assert x["properties"]["log_hash"].startswith("SasSignature(")
    assert x["properties"]["status"] == "live"
    assert x["properties"]["log_hash"] in x["message"]["text"]
    assert x["partialFingerprints"]["sasguard/v1"]
' "$T/all.sarif"
ok $? "SARIF: one result per token, log hash and status as properties"
CACHE=${SASGUARD_TEST_CACHE:-${XDG_CACHE_HOME:-$ROOT/../.cache}/sasguard-tests}
[ -d "$CACHE" ] || CACHE=$(getent passwd "$(id -u)" | cut -d: -f6)/.cache/sasguard-tests
MT=$CACHE/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -x "$MT" ] && "$MT" --version >/dev/null 2>&1; then
	cp "$T/all.sarif" "$T/inventory.sarif"
	"$MT" validate "$T/inventory.sarif" >"$T/mt" 2>&1
	! grep -q ": error " "$T/mt"
	ok $? "SARIF Multitool: the inventory's SARIF validates with no errors"
	grep ": error " "$T/mt" | head -n 5 | sed 's/^/#   /'
else
	skip "SARIF Multitool: not fetched (tests/formats.t fetches it)"
fi
grep -q "^live " "$T/all.table" && grep -q "^tokens expiring within 30 days: 0" "$T/all.table"
ok $? "table: rows and summary"
no_leak "$T/forms2" "$T/all".*
ok $? "no made-up signature in any format or on stderr"

# An exception (here a path in --config) covers a token: the row says so,
# and it no longer makes the run exit 1.
fp=$(python3 -c 'import json, sys
print([t["fingerprint"] for t in json.load(open(sys.argv[1]))["tokens"]
       if t["places"] == 2][0])' "$T/all.json")
printf '[allow]\npaths = y.txt\n' >"$T/allow.ini"
inv --format json --config "$T/allow.ini" "$T/c"
python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["tokens"]
assert len(t) == 1 and t[0]["exception"] == "path", t
assert t[0]["blocking"] is False and t[0]["allowed_places"] == 1
' "$T/out" && [ "$rc" = 0 ]
ok $? "an exception covers a token: exception named, not blocking, exit 0 (got $rc)"
inv --format json --config "$T/allow.ini" "$T/c" "$M"
python3 -c '
import json, sys
t = [x for x in json.load(open(sys.argv[1]))["tokens"] if x["fingerprint"] == sys.argv[2]]
assert t[0]["exception"] == "partly" and t[0]["blocking"] is True
' "$T/out" "$fp"
ok $? "... at one of its two places only: partly, still blocking"

# ---------------------------------------------------------------- status
E=$T/expired
git init -q "$E"
commit_file "$E" old.txt "$(url "$S3" 2021-01-01T00:00:00Z)"
inv --format csv "$E"
[ "$rc" = 0 ] && grep -q ',expired,' "$T/out"
ok $? "only an expired token: exit 0 (got $rc)"
inv --format json "$T/a" "$T/nothing-here"
[ "$rc" = 2 ] && grep -q "cannot read '$T/nothing-here'" "$T/err"
ok $? "a path that is no repository: exit 2, saying which (got $rc)"
python3 -c 'import json, sys; assert len(json.load(open(sys.argv[1]))["tokens"]) == 1' "$T/out"
ok $? "... and what could be read is still listed"
mkdir "$T/plain"
inv --format gitlab "$T/plain"
[ "$rc" = 2 ] && python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["scan"]["status"] == "failure"' "$T/out"
ok $? "a folder that is no repository: exit 2, gitlab says failure"
inv --format xml "$T/a"
[ "$rc" = 2 ]; ok $? "an unknown format: exit 2"
inv --now yesterday "$T/a"
[ "$rc" = 2 ]; ok $? "a --now that is no time: exit 2"
(cd "$T/c" && sasguard inventory --now "$NOW" --format csv >"$T/out" 2>&1)
[ "$(grep -c ',live,' "$T/out")" = 1 ]
ok $? "no REPO: the current repository"
git init -q --bare "$T/bare.git"
git -C "$T/a" push -q "$T/bare.git" HEAD:refs/heads/main 2>/dev/null
inv --format csv "$T/bare.git"
[ "$rc" = 1 ] && grep -q ',yes,' "$T/out"
ok $? "a bare repository: read, its token at HEAD"
no_leak "$T/forms2" "$T/out" "$T/err"
ok $? "... no signature"

# ------------------------------------------- messages beside the diff
# The messages git runs while the diff git does (git_beside): a token
# only in a message is found; that git failing, cut short or killed while
# the diff runs is no inventory (exit 2), never a clean one. Faults are
# the real git's, through SASGUARD_GIT.
S5=$(sig)
echo "sig=$S5" >>"$T/made"
secret_forms "$T/made" >"$T/forms3"
Q=$T/messages
git init -q "$Q"
for i in 1 2 3 4 5 6 7 8 9 10; do commit_file "$Q" "f$i.txt" "line $i"; done
git -C "$Q" commit -q --allow-empty -m "notes: $(url "$S5" 2030-01-01T00:00:00Z)"
for i in 11 12 13; do commit_file "$Q" "f$i.txt" "line $i"; done
inv --format csv "$Q"
[ "$rc" = 1 ] && [ "$(grep -c ',live,' "$T/out")" = 1 ] &&
    grep -q '(commit message)' "$T/out"
ok $? "a token only in a commit message is found (exit $rc)"
[ "$rc" = 1 ] || show "$T/err"
real_git=$(command -v git)
wrap() {	# wrap NAME ACTION: a git doing ACTION for the messages log
	{
		echo '#!/bin/sh'
		echo 'case " $* " in'
		echo "*\" log --all \"*\" --cc \"*) sleep 1 ;;"
		echo "*\" log --all \"*\" --raw \"*) $2 ;;"
		echo 'esac'
		printf 'exec %s "$@"\n' "'$real_git'"
	} >"$T/$1"
	chmod +x "$T/$1"
}
wrap inv-meta-exits "exit 3"
wrap inv-meta-cut "'$real_git' \"\$@\" | head -c -1; exit 0"
wrap inv-meta-killed "'$real_git' \"\$@\" | head -c 100; kill -KILL \$\$"
SASGUARD_GIT=$T/inv-meta-exits inv --format csv "$T/a"
[ "$rc" = 2 ] && grep -q 'messages and names) exited with status 3' "$T/err"
ok $? "the messages git exiting 3 while the diff runs: exit 2, said (got $rc)"
[ "$rc" = 2 ] || show "$T/err"
SASGUARD_GIT=$T/inv-meta-cut inv --format csv "$Q"
[ "$rc" = 2 ]; ok $? "its output cut by one byte, exit 0: exit 2 (got $rc)"
[ "$rc" = 2 ] || show "$T/err"
SASGUARD_GIT=$T/inv-meta-killed inv --format csv "$Q"
[ "$rc" = 2 ]; ok $? "it killed half way: exit 2 (got $rc)"
[ "$rc" = 2 ] || show "$T/err"
no_leak "$T/forms3" "$T/out" "$T/err"
ok $? "... no signature in any of it"

done_testing
