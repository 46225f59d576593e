#!/bin/sh
# End-to-end: hook/pre-commit, installed with install.sh --pre-commit, in
# real repositories, with the real sasguard.
. tests/e2e/lib.sh

plan 29

sig=$(new_sig)
risky=$(risky_url "$sig")
safe=$(safe_url "$(new_sig)")

# --- a refused commit names file and line, keeps the secret out ---------
R=$T/repo
new_repo "$R"
commit_file "$R" README.md "# project" ; ok $? "a commit without a token goes through"
head1=$(rev "$R" HEAD)
commit_file "$R" config/settings.py "$(printf 'A = 1\nB = 2\nURL = "%s"' "$risky")"
st=$?
[ "$st" -ne 0 ]; ok $? "a commit adding an account SAS valid until 2051 is refused"
[ "$(rev "$R" HEAD)" = "$head1" ]; ok $? "... and nothing was committed"
grep -Eq 'config/settings\.py[^0-9]+3([^0-9]|$)' "$T/out"; ok $? "... the message names the file and line 3"
[ "$st" -ne 0 ] || show "$T/out"
no_secret "$T/out" "$sig" "... the signature is not in the output (raw or percent-encoded)"
contains "$T/out" "commit refused; to fix: take it out of the file(s) above, git add them"; ok $? "... and says how to fix the commit"

git -C "$R" reset -q --hard
commit_file "$R" config/settings.py "$(printf 'A = 1\nB = 2\nURL = "%s"' "$safe")"
st=$?; ok $st "the same commit with a read-only 2-hour HTTPS service SAS goes through"
[ "$st" -eq 0 ] || show "$T/out"

# --- the ways git commit is called --------------------------------------
printf 'x = "%s"\n' "$risky" >>"$R/README.md"
git -C "$R" commit -q -a -m "commit -a" >"$T/out" 2>&1
[ $? -ne 0 ]; ok $? "git commit -a of a tracked file now holding a token is refused"
contains "$T/out" "README.md"; ok $? "... and names README.md"

# git commit <path>: git hands the hook a temporary index.
printf 'clean change\n' >"$R/other.txt"
git -C "$R" add other.txt
git -C "$R" commit -q -m "commit <path>" -- README.md >"$T/out" 2>&1
[ $? -ne 0 ]; ok $? "git commit README.md (token unstaged, in the named path) is refused"
git -C "$R" checkout -q -- README.md
printf 'y = "%s"\n' "$risky" >"$R/staged-token.txt"
git -C "$R" add staged-token.txt
git -C "$R" commit -q -m "commit other path" -- other.txt >"$T/out" 2>&1
st=$?; ok $st "git commit other.txt goes through while a token is staged in another file it does not commit"
[ "$st" -eq 0 ] || show "$T/out"
git -C "$R" rm -q --cached staged-token.txt && rm -f "$R/staged-token.txt"

# --- first commit -------------------------------------------------------
F=$T/first
new_repo "$F"
commit_file "$F" keys.env "SAS=$risky"
[ $? -ne 0 ]; ok $? "the first commit of an empty repository is checked (refused)"
git -C "$F" rev-parse -q --verify HEAD >/dev/null
[ $? -ne 0 ]; ok $? "... and no commit was made"
commit_file "$F" keys.env "SAS=$safe"
ok $? "a first commit with a harmless SAS goes through"

# --- user diff settings that change git diff's output ----------------------
U=$T/userconf
new_repo "$U"
commit_file "$U" a.txt "start" >/dev/null
git -C "$U" config diff.noprefix true
git -C "$U" config color.ui always
git -C "$U" config color.diff always
git -C "$U" config diff.mnemonicPrefix true
git -C "$U" config diff.relative true
git -C "$U" config diff.external /bin/false
printf '*.cfg diff=weird\n' >"$U/.gitattributes"
git -C "$U" config diff.weird.textconv "sed s/sig=/SIG-HIDDEN=/"
commit_file "$U" deploy/app.cfg "url=$risky"
[ $? -ne 0 ]; ok $? "with diff.noprefix, color.ui=always, diff.external and a textconv the commit is still refused"
grep -q 'deploy/app\.cfg' "$T/out" && ! grep -q 'b/deploy/app\.cfg' "$T/out" && ! grep -q "$(printf '\033')" "$T/out"
ok $? "... naming deploy/app.cfg exactly (no prefix mix-up, no colour codes)"

# --- awkward paths --------------------------------------------------------
P='docs/my notes/café ünïcode.md'
commit_file "$R" "$P" "see $risky"
[ $? -ne 0 ]; ok $? "a path with spaces and non-ASCII letters is checked (refused)"
contains "$T/out" "café ünïcode.md"; ok $? "... and named as it is"
git -C "$R" reset -q --hard
H='odd/$(touch pwned)`touch pwned2`'"'q\"d"'.txt'
commit_file "$R" "$H" "see $risky"
[ $? -ne 0 ] && ! [ -e "$R/pwned" ] && ! [ -e "$R/pwned2" ] && ! [ -e "$R/odd/pwned" ]
ok $? "a path with \$(...), backquotes and quotes is refused and runs nothing"
! contains "$T/out" "scan failed"; ok $? "... as a finding, not as a failed scan"
git -C "$R" reset -q --hard
NL="line
break.txt"
commit_file "$R" "$NL" "see $risky"
st=$?
[ "$st" -ne 0 ] && ! contains "$T/out" "scan failed"
ok $? "a path with a newline in it is refused as a finding"
git -C "$R" reset -q --hard

# --- rules lookup -------------------------------------------------------
printf '[account-sas]\naction = off\n[long-expiry]\naction = off\n[write-permissions]\naction = off\n[unknown-expiry]\naction = off\n[insecure-protocol]\naction = off\n' >"$R/.sasguard.ini"
commit_file "$R" loose.txt "$risky"
st=$?; ok $st "a .sasguard.ini at the top of the work tree is honoured (all rules off: accepted)"
[ "$st" -eq 0 ] || show "$T/out"
printf '[account-sas]\naction = block\n' >"$T/strict.ini"
git -C "$R" config sasguard.config "$T/strict.ini"
commit_file "$R" loose2.txt "$risky"
[ $? -ne 0 ]; ok $? "git config sasguard.config wins over .sasguard.ini (refused)"
git -C "$R" config --unset sasguard.config
rm -f "$R/.sasguard.ini"
git -C "$R" reset -q --hard

# --- amend, merge, worktree ----------------------------------------------
printf 'z = "%s"\n' "$risky" >>"$R/README.md"
git -C "$R" add README.md
git -C "$R" commit -q --amend -m amended >"$T/out" 2>&1
[ $? -ne 0 ]; ok $? "git commit --amend adding a token is refused"
git -C "$R" reset -q --hard

M=$T/merge
new_repo "$M"
commit_file "$M" f.txt "base" >/dev/null
git -C "$M" checkout -q -b side
commit_file "$M" f.txt "side" >/dev/null
git -C "$M" checkout -q main
commit_file "$M" f.txt "main" >/dev/null
git -C "$M" merge -q side >/dev/null 2>&1
printf 'resolved\n%s\n' "$risky" >"$M/f.txt"
git -C "$M" add f.txt
git -C "$M" commit -q --no-edit >"$T/out" 2>&1
[ $? -ne 0 ]; ok $? "concluding a merge whose resolution adds a token is refused"
git -C "$M" rev-parse -q --verify MERGE_HEAD >/dev/null
ok $? "... and the merge is still in progress"
printf 'resolved\n' >"$M/f.txt"
git -C "$M" add f.txt
git -C "$M" commit -q --no-edit >"$T/out" 2>&1
ok $? "... resolved without the token, the merge commit goes through"

git -C "$R" worktree add -q "$T/wt" -b wt >/dev/null 2>&1
commit_file "$T/wt" w.txt "$risky"
[ $? -ne 0 ]; ok $? "a commit in a linked worktree is refused too"

# --- the scanner missing ---------------------------------------------------
git -C "$R" config sasguard.path "$T/nowhere/sasguard"
commit_file "$R" n.txt "harmless"
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "cannot run '$T/nowhere/sasguard'"
ok $? "with sasguard.path pointing nowhere the commit is refused with a clear message"

done_testing
