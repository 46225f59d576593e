#!/bin/sh
# End-to-end: sasguard with the pre-commit framework (Debian's pre-commit
# package, offline: the hook repository is a local clone, the framework's
# cache is in the test's own folder).
# - the entry (pkg/pre-commit-framework.sh) scans the files it is given,
#   and says how to put sasguard on PATH when it cannot find it;
# - .pre-commit-hooks.yaml validates and names no stages (their names
#   differ between pre-commit 3.0 and 4.x);
# - commits and "pre-commit run --all-files" are checked through it;
# - install.sh --pre-commit and "pre-commit install", in either order and
#   again, leave hooks that work, never "migration mode" errors.
# The framework part skips, saying why, where pre-commit is not installed
# (./install.sh --test-deps installs it).
. tests/e2e/lib.sh

plan 20

sig=$(new_sig)
risky=$(risky_url "$sig")
entry=$ROOT/pkg/pre-commit-framework.sh

# Scanning files as they are (--files) came with the cli/ work of issue 10;
# a binary without it cannot do what the framework asks.
if ! "$SASGUARD" --help 2>&1 | grep -q -- '--files'; then
	skip_rest 20 "this sasguard has no --files (sasguard --help does not name it)"
fi

# --- the entry on its own ------------------------------------------------------
E=$T/entry-repo
git init -q "$E"
mkdir -p "$E/src"
printf 'url = "%s"\n' "$risky" >"$E/src/settings.py"
printf 'nothing here\n' >"$E/README.md"
(cd "$E" && "$entry" README.md src/settings.py) >"$T/out" 2>&1
st=$?
[ "$st" -eq 1 ] && contains "$T/out" "src/settings.py"
ok $? "the entry refuses a file given to it that holds a token (exit 1, names it)"
[ "$st" -eq 1 ] || show "$T/out"
no_secret "$T/out" "$sig" "... without printing the signature"
(cd "$E" && "$entry" README.md) >"$T/out" 2>&1
ok $? "... and passes a clean file"
printf '[allow]\npaths = src/**\n' >"$E/.sasguard.ini"
(cd "$E" && "$entry" src/settings.py) >"$T/out" 2>&1
ok $? "... and reads .sasguard.ini at the top of the work tree"
rm -f "$E/.sasguard.ini"

# Without sasguard anywhere it looks: it says how to put it on PATH.
if [ -e /usr/local/bin/sasguard ] || [ -e /usr/bin/sasguard ]; then
	skip "the entry without sasguard (this machine has one in /usr/local/bin or /usr/bin)"
else
	(cd "$E" && HOME=$T/nohome PATH=$(dirname "$(command -v git)"):/usr/bin:/bin \
	    "$entry" src/settings.py) >"$T/out" 2>&1
	st=$?
	[ "$st" -ne 0 ] && contains "$T/out" "cannot find the sasguard program" &&
	    contains "$T/out" "PATH" && contains "$T/out" "sasguard.path"
	ok $? "without sasguard the entry fails and says how to put it on PATH"
	[ "$st" -ne 0 ] || show "$T/out"
fi

grep -q '^ *stages:' .pre-commit-hooks.yaml
[ $? -ne 0 ]; ok $? ".pre-commit-hooks.yaml names no stages (3.0 says commit, 4.x warns on it)"
grep -q '^  entry: pkg/pre-commit-framework.sh$' .pre-commit-hooks.yaml &&
    grep -q '^  pass_filenames: true$' .pre-commit-hooks.yaml
ok $? "... its entry is pkg/pre-commit-framework.sh, given the file names"

# --- with the framework --------------------------------------------------------
if ! command -v pre-commit >/dev/null 2>&1; then
	skip_rest 20 "pre-commit is not installed (./install.sh --test-deps installs Debian's)"
fi
diag "$(pre-commit --version)"
export PRE_COMMIT_HOME="$T/pre-commit-cache"

pre-commit validate-manifest .pre-commit-hooks.yaml >"$T/out" 2>&1
ok $? "pre-commit validate-manifest accepts .pre-commit-hooks.yaml"

# The hook repository: this tree's manifest and entry, committed.
HR=$T/sasguard-hooks
mkdir -p "$HR/pkg"
cp .pre-commit-hooks.yaml "$HR/"
cp pkg/pre-commit-framework.sh "$HR/pkg/"
git -C "$HR" init -q
git -C "$HR" add -A
git -C "$HR" commit -q -m "sasguard hooks"
hrev=$(rev "$HR" HEAD)

U=$T/user-repo
git init -q "$U"
cat >"$U/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $HR
    rev: $hrev
    hooks:
      - id: sasguard
EOF
git -C "$U" add .pre-commit-config.yaml
git -C "$U" commit -q -m "pre-commit config"
(cd "$U" && pre-commit install) >"$T/out" 2>&1
ok $? "pre-commit install, with sasguard's hook repository as a local clone"

commit_file "$U" config/app.env "STORAGE=$risky"
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "config/app.env" &&
    ! git -C "$U" rev-parse -q --verify HEAD:config/app.env >/dev/null
ok $? "a commit adding a token is refused through the framework, naming the file"
[ "$st" -ne 0 ] || show "$T/out"
no_secret "$T/out" "$sig" "... without printing the signature"
git -C "$U" reset -q --hard
commit_file "$U" config/app.env "STORAGE=from-the-vault"
st=$?
ok "$st" "a clean commit goes through"
[ "$st" -eq 0 ] || show "$T/out"

# A token already in HEAD (committed past the hook): run --all-files
# scans the files as they are.
commit_file "$U" old/notes.md "$risky" --no-verify
(cd "$U" && pre-commit run --all-files) >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "old/notes.md"
ok $? "pre-commit run --all-files finds a token already committed"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$U" rm -q old/notes.md
git -C "$U" commit -q -m "drop the token" --no-verify
(cd "$U" && pre-commit run --all-files) >"$T/out" 2>&1
ok $? "... and passes once it is gone"

# --- install.sh and pre-commit install, both orders -----------------------------
# A framework config without sasguard's own hook: what refuses a token here
# is the git hook install.sh put in place, run by the framework's hook.
local_config() {
	cat >"$1/.pre-commit-config.yaml" <<'EOF'
repos:
  - repo: local
    hooks:
      - id: nothing
        name: nothing
        language: system
        entry: "true"
        pass_filenames: false
        always_run: true
EOF
	git -C "$1" add .pre-commit-config.yaml
	git -C "$1" commit -q -m "pre-commit config" --no-verify
}
# both_work REPO DESC: a token is refused, a clean commit passes, and no
# output says the framework's hook runs itself ("migration mode" bug).
both_n=0
both_work() {
	both_n=$((both_n + 1))
	commit_file "$1" "t-$both_n.txt" "$risky"
	st=$?
	cp "$T/out" "$T/out.bad"
	git -C "$1" reset -q --hard
	commit_file "$1" "c-$both_n.txt" "clean"
	st2=$?
	[ "$st" -ne 0 ] && contains "$T/out.bad" "t-$both_n.txt" && [ "$st2" -eq 0 ] &&
	    ! grep -qi 'bug\|installed in migration mode' "$T/out.bad" "$T/out"
	ok $? "$2"
	if [ "$st" -eq 0 ] || [ "$st2" -ne 0 ]; then
		show "$T/out.bad"
		show "$T/out"
	fi
}

A=$T/order-a
git init -q "$A"
local_config "$A"
"$ROOT/install.sh" --pre-commit "$A" >/dev/null 2>&1
(cd "$A" && pre-commit install) >"$T/out" 2>&1
ok $? "install.sh --pre-commit, then pre-commit install"
both_work "$A" "... sasguard's hook runs (as pre-commit.legacy), clean commits pass"
"$ROOT/install.sh" --pre-commit "$A" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && contains "$T/out" "pre-commit.legacy: already installed"
ok $? "install.sh --pre-commit again finds its hook beside the framework's"
[ "$st" -eq 0 ] || show "$T/out"
both_work "$A" "... and both still work, no migration mode error"

B=$T/order-b
git init -q "$B"
local_config "$B"
(cd "$B" && pre-commit install) >/dev/null 2>&1
"$ROOT/install.sh" --pre-commit "$B" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && contains "$T/out" "pre-commit framework" &&
    grep -q 'File generated by pre-commit' "$B/.git/hooks/pre-commit" &&
    grep -q '^# sasguard-hook: pre-commit$' "$B/.git/hooks/pre-commit.legacy"
ok $? "pre-commit install, then install.sh --pre-commit: sasguard's hook goes beside it as pre-commit.legacy"
[ "$st" -eq 0 ] || show "$T/out"
(cd "$B" && pre-commit install) >/dev/null 2>&1
both_work "$B" "... pre-commit install once more, and both work, no migration mode error"

done_testing
