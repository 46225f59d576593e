#!/bin/sh
# What CI runs is tested here: ci/sasguard-ci.sh on local repositories
# (formats, exit statuses, a shallow clone deepened first), the GitHub
# Action's own shell steps and the GitLab template's script run as the
# platforms run them, and the YAML files parsed and checked for the fields
# each platform requires.
. tests/e2e/lib.sh

CI=$ROOT/ci/sasguard-ci.sh
export SASGUARD

plan 27

sig() {
	python3 -c 'import base64, os, urllib.parse
print(urllib.parse.quote(base64.b64encode(os.urandom(32)).decode(), safe=""))'
}
S1=$(sig)

# A repository whose live token was added, then taken out again: only the
# history still holds it.
R=$T/repo
git init -q "$R"
commit_file "$R" app.cfg "url = $(risky_url "$S1")"
commit_file "$R" app.cfg "url = (loaded from the vault)"
commit_file "$R" README "nothing here"
C=$T/clean
git init -q "$C"
commit_file "$C" a.txt "no token"

cd "$T" || exit 2
sh "$CI" --format gitlab --output gl.json "$R" >"$T/log" 2>&1
st=$?
[ "$st" = 1 ]; ok $? "a live token in the history: exit 1 (got $st)"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["vulnerabilities"]
assert d["version"] == "15.1.4" and d["scan"]["type"] == "secret_detection"
assert len(v) == 1 and v[0]["location"]["file"] == "app.cfg"
assert v[0]["location"]["commit"]["sha"]
' "$T/gl.json"
ok $? "... the GitLab report names it, with its commit"
no_secret "$T/gl.json" "$S1" "... without its signature"
no_secret "$T/log" "$S1" "... nor in the log"

sh "$CI" --no-fail --format gitlab --output gl2.json "$R" >/dev/null 2>&1
st=$?
[ "$st" = 0 ] && [ -s "$T/gl2.json" ]
ok $? "--no-fail: exit 0, the report still written (got $st)"

(cd "$R" && sh "$CI") >/dev/null 2>&1
st=$?
[ "$st" = 1 ] && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(r) == 1 and r[0]["properties"]["log_hash"].startswith("SasSignature(")
' "$R/sasguard.sarif"
ok $? "defaults: SARIF of the current repository in sasguard.sarif (exit $st)"

sh "$CI" --format csv --output clean.csv "$C" >/dev/null 2>&1
st=$?
[ "$st" = 0 ] && [ "$(wc -l <"$T/clean.csv")" = 1 ]
ok $? "a clean repository: exit 0, a CSV header alone (got $st)"

sh "$CI" --format gitlab --output x.json "$T/nowhere" >"$T/log" 2>&1
st=$?
[ "$st" = 2 ]; ok $? "no repository: exit 2 (got $st)"
sh "$CI" --format xml "$R" >/dev/null 2>&1
st=$?
[ "$st" = 2 ]; ok $? "an unknown format: exit 2 (got $st)"
SASGUARD=$T/no-such-binary sh "$CI" "$R" >/dev/null 2>&1
st=$?
[ "$st" = 2 ]; ok $? "a SASGUARD that is not there: exit 2 (got $st)"

# A shallow clone sees only the last commit; the script deepens it first.
git clone -q --depth 1 "file://$R" "$T/shallow" 2>/dev/null
[ "$(git -C "$T/shallow" rev-parse --is-shallow-repository)" = true ]
ok $? "(the clone is shallow)"
sh "$CI" --format json --output shallow.json "$T/shallow" >"$T/log" 2>&1
st=$?
[ "$st" = 1 ] && grep -q "shallow clone" "$T/log" &&
    [ "$(git -C "$T/shallow" rev-parse --is-shallow-repository)" = false ]
ok $? "a shallow clone: deepened, then its old token found (exit $st)"
rm -rf "$R.moved"
git clone -q --depth 1 "file://$R" "$T/orphan" 2>/dev/null
mv "$R" "$R.moved"
sh "$CI" --format json --output orphan.json "$T/orphan" >"$T/log" 2>&1
st=$?
mv "$R.moved" "$R"
[ "$st" = 2 ] && grep -q "cannot fetch the whole history" "$T/log"
ok $? "a shallow clone that cannot be deepened: exit 2, not a partial inventory"

# The YAML files.
python3 - "$ROOT" >"$T/verdicts" <<'EOF'
import sys, yaml
root = sys.argv[1]
def say(cond, what):
    print(("ok" if cond else "not ok") + "\t" + what)
a = yaml.safe_load(open(root + "/action.yml"))
say(all(isinstance(a.get(k), str) and a[k] for k in ("name", "description")),
    "action.yml: name and description")
runs = a.get("runs", {})
steps = runs.get("steps", [])
say(runs.get("using") == "composite" and steps, "action.yml: a composite action")
say(all("shell" in s for s in steps if "run" in s),
    "action.yml: every run step says its shell (composite actions must)")
say(all(isinstance(v.get("description"), str) for v in a.get("inputs", {}).values()),
    "action.yml: every input is described")
say(any("ci/sasguard-ci.sh" in s.get("run", "") for s in steps),
    "action.yml: runs ci/sasguard-ci.sh")
say(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif")
        for s in steps), "action.yml: uploads SARIF to code scanning")
g = yaml.safe_load(open(root + "/ci/gitlab/sasguard.yml"))
job = g.get("sasguard-inventory", {})
script = " ".join(job.get("script", []))
say(isinstance(job.get("script"), list) and "ci/sasguard-ci.sh" in script
    and "--format gitlab" in script, "gitlab: the job runs ci/sasguard-ci.sh --format gitlab")
rep = job.get("artifacts", {}).get("reports", {}).get("secret_detection")
say(rep == "gl-secret-detection-report.json" and rep in script,
    "gitlab: the report is the secret_detection artifact")
say(str(job.get("variables", {}).get("GIT_DEPTH")) == "0",
    "gitlab: GIT_DEPTH 0, the whole history")
w = yaml.safe_load(open(root + "/ci/github/sweep.yml"))
on = w.get("on", w.get(True, {}))
inv = w.get("jobs", {}).get("inventory", {})
say("schedule" in on and inv.get("strategy", {}).get("matrix", {}).get("repository"),
    "sweep.yml: scheduled, a matrix over repositories")
say(any(s.get("with", {}).get("fetch-depth") == 0 for s in inv.get("steps", [])),
    "sweep.yml: checks out the whole history")
EOF
while IFS="$(printf '\t')" read -r verdict what; do
	[ "$verdict" = ok ]; ok $? "$what"
done <"$T/verdicts"

# The Action's scan step, run as GitHub runs it (sh -e, GITHUB_OUTPUT).
python3 -c '
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
print([s for s in a["runs"]["steps"] if s.get("id") == "scan"][0]["run"])
' "$ROOT/action.yml" >"$T/scan-step.sh"
(
	cd "$T" && GITHUB_ACTION_PATH=$ROOT GITHUB_OUTPUT=$T/gh-output \
	    INPUT_FORMAT=sarif INPUT_OUTPUT=gh.sarif INPUT_CONFIG='' \
	    INPUT_REPOSITORIES="$R $C" sh -e "$T/scan-step.sh"
) >/dev/null 2>&1
st=$?
[ "$st" = 0 ] && grep -qx 'status=1' "$T/gh-output" &&
    grep -qx 'report=gh.sarif' "$T/gh-output" && [ -s "$T/gh.sarif" ]
ok $? "action: the scan step keeps status 1 for the verdict step and writes the SARIF"

# The GitLab job's script, with sasguard's source where before_script puts it.
mkdir -p "$T/builds"
ln -s "$ROOT" "$T/builds/sasguard-src"
python3 -c '
import sys, yaml
print("\n".join(yaml.safe_load(open(sys.argv[1]))["sasguard-inventory"]["script"]))
' "$ROOT/ci/gitlab/sasguard.yml" >"$T/gl-script.sh"
(cd "$R" && CI_BUILDS_DIR=$T/builds SASGUARD_CONFIG='' SASGUARD_FLAGS=--no-fail \
    sh -e "$T/gl-script.sh") >/dev/null 2>&1
st=$?
[ "$st" = 0 ] && python3 -c '
import json, sys
assert len(json.load(open(sys.argv[1]))["vulnerabilities"]) == 1
' "$R/gl-secret-detection-report.json"
ok $? "gitlab: the job's script writes gl-secret-detection-report.json (exit $st)"

# The shell in the YAML files passes shellcheck, as the scripts do.
if command -v shellcheck >/dev/null 2>&1; then
	python3 - "$ROOT" "$T" <<'PY'
import sys, yaml
root, out = sys.argv[1:]
a = yaml.safe_load(open(root + "/action.yml"))
runs = [s["run"] for s in a["runs"]["steps"] if "run" in s]
g = yaml.safe_load(open(root + "/ci/gitlab/sasguard.yml"))["sasguard-inventory"]
runs.append("\n".join(g["before_script"] + g["script"]))
for i, r in enumerate(runs):
    open("%s/yaml-run-%d.sh" % (out, i), "w").write(r + "\n")
PY
	shellcheck -s sh -S warning "$T"/yaml-run-*.sh "$CI" >"$T/sc" 2>&1
	ok $? "ci/sasguard-ci.sh and the shell steps in the YAML pass shellcheck"
	sed 's/^/#   /' "$T/sc" | head -n 20
else
	skip "shellcheck is not installed"
fi

done_testing
