#!/bin/sh
# End-to-end: hook/pre-receive, installed with install.sh --pre-receive on
# a bare repository, judging real pushes (local transport) with the real
# sasguard.
. tests/e2e/lib.sh

plan 49

sig=$(new_sig)
risky=$(risky_url "$sig")
safe=$(safe_url "$(new_sig)")
ALL_OFF='[account-sas]
action = off
[long-expiry]
action = off
[write-permissions]
action = off
[unknown-expiry]
action = off
[insecure-protocol]
action = off'

S=$T/server.git
new_server "$S"
git clone -q "$S" "$T/c" 2>/dev/null
C=$T/c

commit_file "$C" README.md "hello" >/dev/null
push "$C" origin main; st=$?
ok $st "the first push of a clean branch is accepted"
[ "$st" -eq 0 ] || show "$T/out"
base=$(rev "$C" HEAD)

# --- a token added, then removed: it is in history -------------------------
commit_file "$C" conf/storage.json "$(printf '{\n  "url": "%s"\n}' "$risky")" >/dev/null
bad=$(rev "$C" HEAD)
git -C "$C" rm -q conf/storage.json && git -C "$C" commit -q -m "remove it"
push "$C" origin main; st=$?
[ "$st" -ne 0 ]; ok $? "a push whose second-to-last commit adds a token (the last removes it) is refused"
[ "$(rev "$S" refs/heads/main)" = "$base" ]; ok $? "... and the server's main did not move"
contains "$T/out" "refs/heads/main"; ok $? "... the message names the ref"
contains "$T/out" "$(printf '%.7s' "$bad")"; ok $? "... the commit"
grep -Eq 'conf/storage\.json[^0-9]+2([^0-9]|$)' "$T/out"; ok $? "... the path and line 2"
no_secret "$T/out" "$sig" "... and not the signature"
grep -q '^remote: sasguard: to fix: rewrite the commits above' "$T/out"; ok $? "... and says how to fix it, as remote: lines"
[ "$st" -ne 0 ] || show "$T/out"
head -n 1 "$T/out" | grep -q 'GL-HOOK-ERR'
[ $? -ne 0 ]; ok $? "... without GitLab's prefix outside GitLab"

# The same push as GitLab would run the hook.
GL_ID=user-1 GL_PROTOCOL=ssh push "$C" origin main
grep '^remote:' "$T/out" | head -n 1 | grep -q '^remote: GL-HOOK-ERR: sasguard: push refused'
ok $? "under GitLab (GL_ID, GL_PROTOCOL) the first line starts with GL-HOOK-ERR:"
# GitLab's web UI shows only lines that start with the prefix (its docs:
# "prefix each message"), so since issue 14 every line carries it: what
# was found, where, and how to fix it (before: only the headline).
[ "$(grep -c '^remote: GL-HOOK-ERR: ' "$T/out")" -eq "$(grep -c '^remote: ' "$T/out")" ]
ok $? "... and so does every other line: where, what, how to fix"
grep -q '^remote: GL-HOOK-ERR: .*conf/storage\.json' "$T/out" && grep -q '^remote: GL-HOOK-ERR: sasguard: to fix' "$T/out"
ok $? "... the path and the fix among them"
git -C "$C" reset -q --hard "$base"

# --- new branch, tag, several refs, force, deletion, nothing new ----------------
git -C "$C" checkout -q -b feature
commit_file "$C" doc.md "$safe" >/dev/null
push "$C" origin feature; st=$?
ok $st "a new branch with a harmless SAS is accepted"
[ "$st" -eq 0 ] || show "$T/out"

# A commit with a token that is already on the server (put there while the
# rules were off): pushing another ref to it brings nothing new.
printf '%s\n' "$ALL_OFF" >"$T/server-rules.ini"
git -C "$C" checkout -q -b old-token main
commit_file "$C" legacy.txt "$risky" --no-verify >/dev/null
push "$C" origin old-token
ok $? "(setup: a token commit reaches the server while its rules are off)"
: >"$T/server-rules.ini"
push "$C" origin old-token:refs/heads/copy-of-old; st=$?
ok $st "a new branch pointing at commits the server already has is accepted (nothing new to judge)"
[ "$st" -eq 0 ] || show "$T/out"
push "$C" origin old-token:refs/tags/v0-light
ok $? "a lightweight tag on a commit the server has is accepted"
git -C "$C" checkout -q main
git -C "$C" tag -a -m "release 1" v1 main
push "$C" origin v1
ok $? "an annotated tag on a known clean commit is accepted"

git -C "$C" checkout -q --detach main
commit_file "$C" tagged.txt "$risky" >/dev/null
git -C "$C" tag -a -m "release 2" v2
git -C "$C" checkout -q main
push "$C" origin v2
[ $? -ne 0 ] && contains "$T/out" "refs/tags/v2"
ok $? "an annotated tag bringing a new commit with a token is refused, naming refs/tags/v2"
git -C "$S" rev-parse -q --verify refs/tags/v2 >/dev/null
[ $? -ne 0 ]; ok $? "... and the tag was not created"

# Several refs in one push: one good, one bad.
git -C "$C" checkout -q -b good main
commit_file "$C" good.txt "fine" >/dev/null
git -C "$C" checkout -q -b evil main
commit_file "$C" evil.txt "$risky" >/dev/null
evil=$(rev "$C" HEAD)
git -C "$C" checkout -q -b evil-too evil
git -C "$C" checkout -q main
push "$C" origin good evil evil-too
[ $? -ne 0 ]; ok $? "a push of several refs with one bad commit is refused"
git -C "$S" rev-parse -q --verify refs/heads/good >/dev/null
[ $? -ne 0 ]; ok $? "... as a whole (the good branch was not created either)"
contains "$T/out" "refs/heads/evil"; ok $? "... naming the ref that brings the token"
n=$(grep -c "commit: *$evil" "$T/out")
[ "$n" -eq 1 ]; ok $? "... and the commit two refs bring is reported once"
[ "$n" -eq 1 ] || show "$T/out"
push "$C" origin good
ok $? "the good branch alone is accepted"

# Force pushes.
git -C "$C" checkout -q main
commit_file "$C" more.txt "more" >/dev/null
push "$C" origin main
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main; st=$?
ok $st "a force push back to an older commit is accepted"
[ "$st" -eq 0 ] || show "$T/out"
commit_file "$C" forced.txt "$risky" >/dev/null
push "$C" --force origin main
[ $? -ne 0 ]; ok $? "a force push that brings a token is refused"
git -C "$C" reset -q --hard "$base"

# Deletion and nothing new.
push "$C" origin --delete feature; st=$?
ok $st "a branch deletion is accepted"
git -C "$S" rev-parse -q --verify refs/heads/feature >/dev/null
[ $? -ne 0 ]; ok $? "... and the branch is gone"
push "$C" origin main; st=$?
ok $st "a push with nothing new is accepted"

# --- an evil merge -----------------------------------------------------------
git -C "$C" checkout -q -b m1 main
commit_file "$C" merge.txt "one" >/dev/null
git -C "$C" checkout -q -b m2 main
commit_file "$C" merge.txt "two" >/dev/null
git -C "$C" merge -q m1 >/dev/null 2>&1
printf 'one\ntwo\n%s\n' "$risky" >"$C/merge.txt"
git -C "$C" add merge.txt
git -C "$C" commit -q --no-edit
mergec=$(rev "$C" HEAD)
push "$C" origin m2; st=$?
[ "$st" -ne 0 ]; ok $? "an evil merge (the resolution adds a token, neither side has it) is refused"
contains "$T/out" "$(printf '%.7s' "$mergec")"; ok $? "... naming the merge commit"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$C" checkout -q main

git -C "$C" checkout -q -b m3 main
commit_file "$C" other-side.txt "x" >/dev/null
git -C "$C" checkout -q -b m4 main
commit_file "$C" this-side.txt "y" >/dev/null
git -C "$C" merge -q --no-edit --no-ff m3 >/dev/null 2>&1
printf '%s\n' "$risky" >"$C/sneaked-in.txt"
git -C "$C" add sneaked-in.txt
git -C "$C" commit -q --amend --no-edit
push "$C" origin m4
[ $? -ne 0 ]; ok $? "a clean merge amended to add a new file with a token is refused"
git -C "$C" checkout -q main

# --- the client hook skipped --------------------------------------------------
git clone -q "$S" "$T/dev" 2>/dev/null
(cd "$T/dev" && "$ROOT/install.sh" --pre-commit >/dev/null)
commit_file "$T/dev" secret.txt "$risky"
[ $? -ne 0 ]; ok $? "the developer's pre-commit hook refuses the token"
commit_file "$T/dev" secret.txt "$risky" --no-verify
ok $? "git commit --no-verify gets it past the client"
push "$T/dev" origin main
[ $? -ne 0 ]; ok $? "... but the server refuses the push"

# --- a pushed .sasguard.ini ----------------------------------------------------
git -C "$C" checkout -q main
printf '%s\n' "$ALL_OFF" >"$C/.sasguard.ini"
git -C "$C" add .sasguard.ini
git -C "$C" commit -q -m "turn sasguard off"
commit_file "$C" after-ini.txt "$risky" >/dev/null
push "$C" origin main
[ $? -ne 0 ]; ok $? "a pushed .sasguard.ini that turns every rule off does not change the verdict"
git -C "$C" reset -q --hard "$base"

# --- hostile ref names ---------------------------------------------------------
odd='refs/heads/x$(touch${IFS}pwned)`touch${IFS}pwned2`'"'q\"d"
commit_file "$C" odd.txt "$risky" >/dev/null
(cd "$T" && git -C "$C" push -q origin "HEAD:$odd" >"$T/out" 2>&1)
[ $? -ne 0 ] && ! [ -e "$T/pwned" ] && ! [ -e "$S/pwned" ] && ! [ -e "$T/pwned2" ] && ! [ -e "$S/pwned2" ]
ok $? "a ref named with \$(...), backquotes and quotes is judged (refused) and runs nothing"
contains "$T/out" "$odd"; ok $? "... and named as it is"
git -C "$C" reset -q --hard "$base"

# --- many refs at once ----------------------------------------------------------
# With two or more refs the hook first finds, in one walk, the refs that
# bring nothing new and skips them; these check that it never skips one
# that does.
git -C "$C" checkout -q main
for i in 1 2 3 4 5; do
	git -C "$C" tag "known-$i" "$base"
done
git -C "$C" checkout -q --detach "$base"
commit_file "$C" zz.txt "$risky" >/dev/null
git -C "$C" tag zz-token
git -C "$C" checkout -q main
push "$C" origin known-1 known-2 known-3 known-4 known-5 zz-token; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "refs/tags/zz-token"
ok $? "five tags on known commits and, last, one bringing a token: refused, naming the last"
[ "$st" -ne 0 ] || show "$T/out"
push "$C" origin known-1 known-2 known-3 known-4 known-5; st=$?
ok $st "... the five alone are accepted"

# Ref a brings a clean commit, ref b (after it) that commit and a token on top:
# b reaches a's tip, but a does not reach b's, so b must still be scanned.
git -C "$C" checkout -q -b a-clean "$base"
commit_file "$C" a.txt "clean" >/dev/null
git -C "$C" checkout -q -b b-on-top
commit_file "$C" b.txt "$risky" >/dev/null
git -C "$C" checkout -q main
push "$C" origin a-clean b-on-top; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "refs/heads/b-on-top"
ok $? "a later ref that builds a token on an earlier ref's new commits is refused, naming it"
[ "$st" -ne 0 ] || show "$T/out"

# A tag may point at a blob: it is scanned as a file, also among other refs.
blob=$(printf '%s\n' "$risky" | git -C "$C" hash-object -w --stdin)
git -C "$C" tag blob-tag "$blob"
push "$C" origin a-clean blob-tag; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "refs/tags/blob-tag"
ok $? "a tag pointing at a blob with a token, pushed with a clean branch, is refused"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$C" tag -d blob-tag >/dev/null

git -C "$C" checkout -q main

# --- replace refs ------------------------------------------------------------------
# A pusher could first push refs/replace/X pointing at a clean commit, then
# X itself: git would show the clean one in X's place unless told not to.
git -C "$C" checkout -q -b replaced "$base"
commit_file "$C" replaced.txt "$risky" --no-verify >/dev/null
x=$(rev "$C" HEAD)
git -C "$C" checkout -q --detach "$base"
commit_file "$C" replaced.txt "harmless" >/dev/null
git -C "$C" replace "$x" "$(rev "$C" HEAD)"
git -C "$C" checkout -q main
push "$C" origin "refs/replace/$x:refs/replace/$x"; st=$?
ok $st "(setup: a replace ref to a clean commit is accepted)"
[ "$st" -eq 0 ] || show "$T/out"
push "$C" origin replaced; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "$(printf '%.7s' "$x")"
ok $? "then the commit it replaces, with a token, is still refused, named by its own id"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$C" replace -d "$x" >/dev/null

# --- the settings, read by the binary itself from the server's rules ---------
# (Until issue 10 the shell hook re-parsed --print-config; the binary now
# loads the rules file the way every other command does.)
mkdir -p "$T/log dir"
printf '[sasguard]\nbypass = on\nbypass_log = %s\n' "$T/log dir/by = pass.log" >"$T/server-rules.ini"
push "$C" -o "sasguard.bypass=INC-1" origin b-on-top; st=$?
[ "$st" -eq 0 ] && [ -s "$T/log dir/by = pass.log" ]
ok $? "a bypass_log path with spaces and ' = ' is read whole from the server's rules"
[ "$st" -eq 0 ] || show "$T/out"
: >"$T/server-rules.ini"
git -C "$S" update-ref -d refs/heads/b-on-top

git -C "$S" config sasguard.config "$T/no-such-rules.ini"
push "$C" origin a-clean:refs/heads/a-again; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "cannot read sasguard's rules"
ok $? "a server rules file that cannot be read refuses the push"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$S" config sasguard.config "$T/server-rules.ini"

# --- SHA-256 -------------------------------------------------------------------
S2=$T/sha256.git
new_server --object-format=sha256 "$S2"
git init -q --object-format=sha256 "$T/c2"
commit_file "$T/c2" a.txt "a" >/dev/null
git -C "$T/c2" remote add origin "$S2"
push "$T/c2" origin main
ok $? "SHA-256: a clean first push is accepted"
git -C "$T/c2" checkout -q -b gone
push "$T/c2" origin gone >/dev/null
push "$T/c2" origin --delete gone
ok $? "SHA-256: a deletion (64-digit zero id) is accepted"
git -C "$T/c2" checkout -q main
commit_file "$T/c2" b.txt "$risky" >/dev/null
push "$T/c2" origin main; st=$?
[ "$st" -ne 0 ]; ok $? "SHA-256: a push with a token is refused"
[ "$st" -ne 0 ] || show "$T/out"

done_testing
