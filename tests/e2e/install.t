#!/bin/sh
# End-to-end: install.sh - the plain install, --deps, and the hook modes
# (chaining to existing hooks, idempotence, core.hooksPath, uninstall).
. tests/e2e/lib.sh

plan 51

sig=$(new_sig)
risky=$(risky_url "$sig")

# --- lint ---------------------------------------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
	shellcheck -s sh hook/pre-commit hook/pre-receive install.sh pkg/*.sh >"$T/out" 2>&1
	st=$?; ok $st "the hooks, install.sh and pkg/*.sh are shellcheck clean"
	[ "$st" -eq 0 ] || show "$T/out"
else
	skip "shellcheck is not installed"
fi

# --- plain install and --deps -------------------------------------------------
CI=true sh ./install.sh --deps </dev/null >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && ! [ -s "$T/out" ]
ok $? "./install.sh --deps is quiet and succeeds when nothing is missing (CI=true, no stdin)"
[ "$st" -eq 0 ] || show "$T/out"
CI=true sh ./install.sh --test-deps </dev/null >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && ! [ -s "$T/out" ]
ok $? "./install.sh --test-deps too (make check runs it)"
[ "$st" -eq 0 ] || show "$T/out"
# The test toolchain is not what a server gets from ./install.sh.
build=$(sed -n 's/^BUILD_PKGS="\(.*\)"$/\1/p' install.sh)
[ -n "$build" ] && ! printf '%s\n' $build | grep -qx 'clang\|valgrind\|shellcheck\|pre-commit\|lighttpd'
ok $? "./install.sh and --deps install no test tool (clang, valgrind, shellcheck, ...)"

DESTDIR=$T/stage PREFIX=/opt/sg ./install.sh </dev/null >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && [ -x "$T/stage/opt/sg/bin/sasguard" ] &&
    [ -f "$T/stage/opt/sg/share/sasguard/default.ini" ] &&
    [ -x "$T/stage/opt/sg/share/sasguard/hooks/pre-receive" ]
ok $? "./install.sh installs binary, rules and hooks under DESTDIR/PREFIX"
[ "$st" -eq 0 ] || show "$T/out"
contains "$T/out" "--pre-commit" && contains "$T/out" "--pre-receive"
ok $? "... and says what to run next"

# --- --pre-commit: chaining, idempotence, uninstall -------------------------------
R=$T/repo
git init -q "$R"
cat >"$R/.git/hooks/pre-commit" <<EOF
#!/bin/sh
echo ran >>"$T/own-hook-ran"
[ ! -e "$T/own-hook-fails" ]
EOF
chmod +x "$R/.git/hooks/pre-commit"
cp "$R/.git/hooks/pre-commit" "$T/own-hook"
(cd "$R" && "$ROOT/install.sh" --pre-commit) >"$T/out" 2>&1
ok $? "install.sh --pre-commit in a repository that has a pre-commit hook"
cmp -s "$T/own-hook" "$R/.git/hooks/pre-commit.sasguard-chained" && contains "$T/out" "sasguard-chained"
ok $? "... keeps that hook as pre-commit.sasguard-chained and says so"
commit_file "$R" a.txt "$risky"
[ $? -ne 0 ] && [ -f "$T/own-hook-ran" ]
ok $? "... a commit runs the kept hook, and sasguard refuses the token"
git -C "$R" reset -q --hard
: >"$T/own-hook-fails"
commit_file "$R" b.txt "harmless"
[ $? -ne 0 ]; ok $? "... a kept hook that fails still stops the commit"
rm -f "$T/own-hook-fails"
commit_file "$R" b.txt "harmless"
ok $? "... a clean commit goes through both"
if [ -f hook/commit-msg ]; then
	printf 'harmless\n' >"$R/m.txt"
	git -C "$R" add m.txt
	git -C "$R" commit -q -m "see $risky" >"$T/out" 2>&1
	st=$?
	is_sg=$(sed -n 2p "$R/.git/hooks/commit-msg")
	[ "$st" -ne 0 ] && [ "$is_sg" = "# sasguard-hook: commit-msg" ]
	ok $? "--pre-commit installs the commit-msg hook too: a message with a token is refused"
	no_secret "$T/out" "$sig" "... without printing the signature"
	git -C "$R" reset -q --hard
else
	skip "--pre-commit installs commit-msg (hook/commit-msg is not in this tree)"
	skip "... without printing the signature"
fi

"$ROOT/install.sh" --pre-commit "$R" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && contains "$T/out" "already installed" &&
    cmp -s "$T/own-hook" "$R/.git/hooks/pre-commit.sasguard-chained"
ok $? "running it again changes nothing (idempotent, REPO given as an argument)"

"$ROOT/install.sh" --uninstall --pre-commit "$R" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && cmp -s "$T/own-hook" "$R/.git/hooks/pre-commit" &&
    ! [ -e "$R/.git/hooks/pre-commit.sasguard-chained" ]
ok $? "--uninstall --pre-commit puts the earlier hook back"
commit_file "$R" c.txt "$risky"
ok $? "... and commits are not checked any more"
"$ROOT/install.sh" --uninstall --pre-commit "$R" >"$T/out" 2>&1
[ $? -eq 0 ] && contains "$T/out" "not sasguard's: left alone" && cmp -s "$T/own-hook" "$R/.git/hooks/pre-commit"
ok $? "uninstalling again leaves a hook that is not sasguard's alone"

# Changed on purpose (issue 14): a core.hooksPath inside the work tree is
# shared with the team through commits, so the installer no longer writes
# there; it refuses and prints the line to add.
H=$T/hookspath-repo
git init -q "$H"
git -C "$H" config core.hooksPath .githooks
mkdir -p "$H/.githooks"
printf '#!/bin/sh\necho team >>"%s"\n' "$T/team-hook-ran" >"$H/.githooks/pre-commit"
chmod +x "$H/.githooks/pre-commit"
cp "$H/.githooks/pre-commit" "$T/team-hook"
"$ROOT/install.sh" --pre-commit "$H" >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && cmp -s "$T/team-hook" "$H/.githooks/pre-commit" &&
    [ "$(ls -A "$H/.githooks")" = pre-commit ] && ! [ -e "$H/.git/hooks/pre-commit" ]
ok $? "--pre-commit with core.hooksPath inside the work tree refuses and writes nothing there"
contains "$T/out" "inside the work tree" &&
    contains "$T/out" "$H/.githooks/pre-commit:" && contains "$T/out" "sasguard pre-commit || exit"
ok $? "... and prints the line to add to the tracked hook"
[ "$st" -ne 0 ] || show "$T/out"
# The printed line works: added to the team's hook, it refuses a token.
line=$(sed -n 's/^install.sh: *\(sasguard pre-commit || exit\)$/\1/p' "$T/out")
printf '%s\n' "$line" >>"$H/.githooks/pre-commit"
commit_file "$H" d.txt "$risky"
[ $? -ne 0 ] && [ -n "$line" ] && contains "$T/out" "d.txt"
ok $? "... and that line, added to the tracked hook, refuses a token"
git -C "$H" reset -q --hard

NP=$T/nopath-repo
git init -q "$NP"
(PATH=/usr/bin:/bin; export PATH; PREFIX=$T/stage/opt/sg "$ROOT/install.sh" --pre-commit "$NP") >"$T/out" 2>&1
[ "$(git -C "$NP" config sasguard.path)" = "$T/stage/opt/sg/bin/sasguard" ]
ok $? "with sasguard not on PATH, --pre-commit records the binary's path in sasguard.path"

# --- --global -----------------------------------------------------------------
G=$T/global-repo
git init -q "$G"
printf '#!/bin/sh\necho own >>"%s"\n' "$T/global-own-pre-commit" >"$G/.git/hooks/pre-commit"
printf '#!/bin/sh\necho own >>"%s"\n' "$T/global-own-commit-msg" >"$G/.git/hooks/commit-msg"
chmod +x "$G/.git/hooks/pre-commit" "$G/.git/hooks/commit-msg"
"$ROOT/install.sh" --global >"$T/out" 2>&1
st=$?
gdir=$XDG_CONFIG_HOME/sasguard/hooks
[ "$st" -eq 0 ] && [ "$(git config --global core.hooksPath)" = "$gdir" ]
ok $? "--global sets the global core.hooksPath to sasguard's hooks"
[ "$st" -eq 0 ] || show "$T/out"
commit_file "$G" e.txt "$risky"
[ $? -ne 0 ]; ok $? "... commits in any repository are checked (refused)"
[ -f "$T/global-own-pre-commit" ]; ok $? "... the repository's own .git/hooks/pre-commit still runs"
git -C "$G" reset -q --hard
commit_file "$G" f.txt "harmless"
[ $? -eq 0 ] && [ -f "$T/global-own-commit-msg" ]
ok $? "... and so do its other hooks (commit-msg)"
"$ROOT/install.sh" --pre-commit "$G" >"$T/out" 2>&1
[ $? -eq 0 ] && contains "$T/out" "global hooks already"
ok $? "--pre-commit in a repository covered by --global says so and adds nothing"
"$ROOT/install.sh" --global >"$T/out" 2>&1
[ $? -eq 0 ] && contains "$T/out" "already installed"
ok $? "--global again is idempotent"
"$ROOT/install.sh" --uninstall --global >"$T/out" 2>&1
[ $? -eq 0 ] && ! git config --global core.hooksPath >/dev/null && ! [ -e "$gdir" ]
ok $? "--uninstall --global unsets core.hooksPath and removes sasguard's hooks"
commit_file "$G" g.txt "$risky"
ok $? "... and commits are not checked any more"

mkdir -p "$T/my-global-hooks"
printf '#!/bin/sh\necho mine >>"%s"\n' "$T/my-global-ran" >"$T/my-global-hooks/pre-commit"
chmod +x "$T/my-global-hooks/pre-commit"
git config --global core.hooksPath "$T/my-global-hooks"
"$ROOT/install.sh" --global >"$T/out" 2>&1
[ $? -eq 0 ] && [ "$(git config --global core.hooksPath)" = "$T/my-global-hooks" ] &&
    [ -x "$T/my-global-hooks/pre-commit.sasguard-chained" ]
ok $? "--global with a global core.hooksPath of the user's own joins it, chaining its hook"
commit_file "$G" h.txt "$risky"
[ $? -ne 0 ] && [ -f "$T/my-global-ran" ]
ok $? "... commits are checked and the user's global hook still runs"
git -C "$G" reset -q --hard
"$ROOT/install.sh" --uninstall --global >"$T/out" 2>&1
[ $? -eq 0 ] && [ "$(git config --global core.hooksPath)" = "$T/my-global-hooks" ] &&
    grep -q mine "$T/my-global-hooks/pre-commit"
ok $? "... and --uninstall --global restores it"
git config --global --unset core.hooksPath

# --- --pre-receive ------------------------------------------------------------
S=$T/server.git
git init -q --bare "$S"
cat >"$S/hooks/pre-receive" <<EOF
#!/bin/sh
cat >"$T/chained-stdin"
[ ! -e "$T/chained-refuses" ]
EOF
chmod +x "$S/hooks/pre-receive"
cp "$S/hooks/pre-receive" "$T/own-pre-receive"
"$ROOT/install.sh" --pre-receive "$S" >"$T/out" 2>&1
[ $? -eq 0 ] && cmp -s "$T/own-pre-receive" "$S/hooks/pre-receive.sasguard-chained"
ok $? "--pre-receive keeps an existing pre-receive hook as pre-receive.sasguard-chained"
[ "$(git -C "$S" config sasguard.path)" = "$T/bin/sasguard" ]
ok $? "... records the binary in the server repository's sasguard.path"
git clone -q "$S" "$T/c" 2>/dev/null
commit_file "$T/c" ok.txt "harmless" >/dev/null
new=$(rev "$T/c" HEAD)
push "$T/c" origin main
[ $? -eq 0 ] && grep -q " $new refs/heads/main\$" "$T/chained-stdin"
ok $? "... an accepted push reaches the kept hook with the same input"
: >"$T/chained-refuses"
commit_file "$T/c" ok2.txt "harmless" >/dev/null
push "$T/c" origin main
[ $? -ne 0 ]; ok $? "... which can still refuse it"
rm -f "$T/chained-refuses" "$T/chained-stdin"
commit_file "$T/c" bad.txt "$risky" >/dev/null
push "$T/c" origin main
[ $? -ne 0 ] && ! [ -e "$T/chained-stdin" ]
ok $? "... a push with a token is refused by sasguard first"
"$ROOT/install.sh" --pre-receive "$S" >"$T/out" 2>&1
[ $? -eq 0 ] && contains "$T/out" "already installed"
ok $? "--pre-receive again is idempotent"
"$ROOT/install.sh" --uninstall --pre-receive "$S" >"$T/out" 2>&1
[ $? -eq 0 ] && cmp -s "$T/own-pre-receive" "$S/hooks/pre-receive"
ok $? "--uninstall --pre-receive puts the earlier hook back"

GT=$T/gitea.git
git init -q --bare "$GT"
mkdir -p "$GT/hooks/pre-receive.d"
"$ROOT/install.sh" --pre-receive "$GT" >"$T/out" 2>&1
[ $? -eq 0 ] && [ -x "$GT/hooks/pre-receive.d/sasguard" ] && ! [ -e "$GT/hooks/pre-receive" ]
ok $? "--pre-receive joins a pre-receive.d directory (Gitea) as pre-receive.d/sasguard"

# .pre-commit-hooks.yaml: tests/e2e/framework.t.

# --- keeping what is there (issue 14) -------------------------------------------
# --global must not stop the hooks of bare repositories this user serves.
BS=$T/served.git
git init -q --bare "$BS"
for h in pre-receive post-receive; do
	printf '#!/bin/sh\ncat >"%s/own-%s-ran"\n[ ! -e "%s/own-refuses" ]\n' "$T" "$h" "$T" >"$BS/hooks/$h"
	chmod +x "$BS/hooks/$h"
done
"$ROOT/install.sh" --global >"$T/global.out" 2>&1
st=$?
git clone -q "$BS" "$T/bs-client" 2>/dev/null
git -C "$T/bs-client" config core.hooksPath /dev/null
commit_file "$T/bs-client" a.txt "harmless"
push "$T/bs-client" origin HEAD:refs/heads/main
[ "$st" -eq 0 ] && [ $? -eq 0 ] && [ -s "$T/own-pre-receive-ran" ] && [ -s "$T/own-post-receive-ran" ]
ok $? "--global: a served bare repository's own pre-receive and post-receive hooks still run"
: >"$T/own-refuses"
commit_file "$T/bs-client" b.txt "harmless"
push "$T/bs-client" origin HEAD:refs/heads/main
[ $? -ne 0 ]; ok $? "... and its own pre-receive can still refuse a push"
rm -f "$T/own-refuses"
contains "$T/global.out" "push-to-checkout"
ok $? "... and --global says which hook it cannot forward, and what to do"
if [ -f hook/commit-msg ]; then
	[ -x "$gdir/commit-msg" ] && is_sg=$(sed -n 2p "$gdir/commit-msg") &&
	    [ "$is_sg" = "# sasguard-hook: commit-msg" ]
	ok $? "--global installs sasguard's commit-msg hook"
else
	skip "--global installs commit-msg (hook/commit-msg is not in this tree)"
fi
"$ROOT/install.sh" --uninstall --global >/dev/null 2>&1

# husky (v9): core.hooksPath .husky/_, built from the tracked .husky/HOOK.
HU=$T/husky-repo
git init -q "$HU"
mkdir -p "$HU/.husky/_"
printf 'npm test\n' >"$HU/.husky/pre-commit"
git -C "$HU" config core.hooksPath .husky/_
"$ROOT/install.sh" --pre-commit "$HU" >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && [ "$(cat "$HU/.husky/pre-commit")" = "npm test" ] &&
    [ -z "$(ls -A "$HU/.husky/_")" ] && contains "$T/out" "$HU/.husky/pre-commit:"
ok $? "--pre-commit with husky's .husky/_ refuses, writes nothing, names .husky/pre-commit"

# A global core.hooksPath inside a work tree (a dotfiles repository).
DF=$T/dotfiles
git init -q "$DF"
mkdir -p "$DF/git-hooks"
git config --global core.hooksPath "$DF/git-hooks"
"$ROOT/install.sh" --global >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && [ -z "$(ls -A "$DF/git-hooks")" ] && contains "$T/out" "sasguard pre-commit || exit"
ok $? "--global with a global core.hooksPath inside a work tree refuses and prints the line"
git config --global --unset core.hooksPath

# An error inside a command substitution stops the script: with neither
# HOME nor XDG_CONFIG_HOME there is no global hooks folder, and nothing
# may be written anywhere (it used to write /pre-commit).
had_root_hook=; [ -e /pre-commit ] && had_root_hook=1
(unset HOME XDG_CONFIG_HOME; PREFIX=$T/stage/opt/sg "$ROOT/install.sh" --global) >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "HOME" && { [ -n "$had_root_hook" ] || ! [ -e /pre-commit ]; } &&
    ! git config --global core.hooksPath >/dev/null
ok $? "--global without HOME stops with a message and writes nothing"
[ "$st" -ne 0 ] || show "$T/out"

# The same for a hook file that cannot be found (a lone copy of install.sh,
# a PREFIX without hooks): it stops before it touches the repository's own
# hook (it used to move it aside, then fail, leaving no hook at all).
mkdir -p "$T/lone"
cp install.sh "$T/lone/install.sh"
LR=$T/lone-repo
git init -q "$LR"
printf '#!/bin/sh\nexit 0\n' >"$LR/.git/hooks/pre-commit"
chmod +x "$LR/.git/hooks/pre-commit"
cp "$LR/.git/hooks/pre-commit" "$T/lone-own"
PREFIX=$T/empty-prefix "$T/lone/install.sh" --pre-commit "$LR" >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "cannot find the pre-commit hook" &&
    cmp -s "$T/lone-own" "$LR/.git/hooks/pre-commit" && ! [ -e "$LR/.git/hooks/pre-commit.sasguard-chained" ]
ok $? "a hook file that cannot be found stops install.sh before it moves the repository's own hook"
[ "$st" -ne 0 ] || show "$T/out"

# sudo -u git from a folder that user cannot read: the installed copy of
# install.sh works from there; a repository that user may not use is
# refused with git's own words.
if [ "$(id -u)" = 0 ] && command -v sudo >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	N=$(mktemp -d /tmp/sasguard-nobody.XXXXXX)
	chmod 755 "$N"
	make -s install DESTDIR= PREFIX="$N/prefix" >/dev/null 2>&1
	git init -q --bare "$N/srv.git"
	chown -R nobody "$N/srv.git"
	mkdir -p "$T/private"
	chmod 700 "$T/private"
	(cd "$T/private" && sudo -u nobody env HOME=/nonexistent PATH="$N/prefix/bin:/usr/bin:/bin" \
	    "$N/prefix/share/sasguard/install.sh" --pre-receive "$N/srv.git") >"$T/out" 2>&1
	st=$?
	[ "$st" -eq 0 ] && is_sg=$(sed -n 2p "$N/srv.git/hooks/pre-receive") &&
	    [ "$is_sg" = "# sasguard-hook: pre-receive" ] &&
	    [ "$(stat -c %U "$N/srv.git/hooks/pre-receive")" = nobody ]
	ok $? "sudo -u nobody PREFIX/share/sasguard/install.sh --pre-receive, from a folder nobody cannot read, works"
	[ "$st" -eq 0 ] || show "$T/out"
	git init -q --bare "$N/root-owned.git"
	(cd "$T/private" && sudo -u nobody env HOME=/nonexistent PATH="$N/prefix/bin:/usr/bin:/bin" \
	    "$N/prefix/share/sasguard/install.sh" --pre-receive "$N/root-owned.git") >"$T/out" 2>&1
	st=$?
	[ "$st" -ne 0 ] && contains "$T/out" "user nobody" && contains "$T/out" "git says" &&
	    ! [ -e "$N/root-owned.git/hooks/pre-receive" ]
	ok $? "... a repository that user may not use fails with a clear message (git's own words)"
	[ "$st" -ne 0 ] || show "$T/out"
	rm -rf "$N"
else
	skip "sudo -u nobody (needs root, sudo and a user nobody)"
	skip "sudo -u nobody, a repository it may not use"
fi

"$ROOT/install.sh" --pre-commit "$T/no-such-repo" >"$T/out" 2>&1
[ $? -ne 0 ] && contains "$T/out" "is not a git repository"
ok $? "a wrong REPO is refused with a clear message"

done_testing
