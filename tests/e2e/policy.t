#!/bin/sh
# End-to-end: the server's [sasguard] settings - time budget, fail closed or
# open, the emergency bypass - on real pushes with the real sasguard.
#
# Slow and failing scans are real faults of the git that sasguard runs:
# SASGUARD_GIT (the server's environment, which no pusher can set) names a
# wrapper around the real git that sleeps, or dies half way through its
# output, when sasguard asks it for the pushed changes. (Until issue 10 the
# seam was a wrapper around the scanner itself; the shims now refuse a
# scanner that dies, whatever fail says, because only the scanner can read
# the fail setting.)
. tests/e2e/lib.sh

plan 23

sig=$(new_sig)
risky=$(risky_url "$sig")

S=$T/server.git
new_server "$S"
real_bin=$(git -C "$S" config sasguard.path)
git clone -q "$S" "$T/c" 2>/dev/null
C=$T/c
commit_file "$C" README.md "hello" >/dev/null
push "$C" origin main || { show "$T/out"; echo "Bail out! setup push failed"; exit 1; }
base=$(rev "$C" HEAD)
real_git=$(command -v git)

# gitwrap NAME ACTION: a git that does ACTION when asked for a log of what
# a push brings (git log --stdin), and is the real git otherwise.
gitwrap() {
	{
		echo '#!/bin/sh'
		echo 'case " $* " in'
		echo "*\" log --stdin \"*) $2 ;;"
		echo 'esac'
		printf 'exec %s "$@"\n' "'$real_git'"
	} >"$T/$1"
	chmod +x "$T/$1"
}
gitwrap slow-git "sleep 6"
# Dies half way: the first 300 bytes of the real output, then exit 128.
gitwrap dying-git "'$real_git' \"\$@\" | head -c 300; exit 128"
rules() { printf '[sasguard]\n%s\n' "$@" >"$T/server-rules.ini"; }
elapsed() { echo $(($(date +%s) - t0)); }

# --- time budget ------------------------------------------------------------
rules "timeout = 1" "fail = closed"
commit_file "$C" a.txt "harmless" >/dev/null
t0=$(date +%s)
SASGUARD_GIT=$T/slow-git push "$C" origin main; st=$?
took=$(elapsed)
[ "$st" -ne 0 ]; ok $? "a scan over its time budget refuses the push when fail = closed"
contains "$T/out" "did not finish within 1s"; ok $? "... saying it ran out of time"
[ "$took" -lt 5 ]; ok $? "... and the budget stopped the scan (took ${took}s, git wanted 6s)"
[ "$st" -ne 0 ] || show "$T/out"

rules "timeout = 1" "fail = open"
SASGUARD_GIT=$T/slow-git push "$C" origin main; st=$?
ok $st "with fail = open the same push is accepted"
grep -q '^remote: sasguard: WARNING:.*UNCHECKED' "$T/out"; ok $? "... with a warning that it went unchecked"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null

rules "timeout = 0" "fail = closed"
commit_file "$C" b.txt "harmless" >/dev/null
SASGUARD_GIT=$T/slow-git push "$C" origin main; st=$?
ok $st "timeout = 0 means no budget: the slow scan finishes and the push is accepted"
[ "$st" -eq 0 ] || show "$T/out"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null

# --- internal errors -------------------------------------------------------
rules "fail = closed"
commit_file "$C" c.txt "$risky" >/dev/null
SASGUARD_GIT=$T/dying-git push "$C" origin main; st=$?
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused: cannot check it: .*exited with status 128' "$T/out"
ok $? "git dying half way through the pushed changes refuses the push when fail = closed"
[ "$st" -ne 0 ] || show "$T/out"
no_secret "$T/out" "$sig" "... and the signature is in no output"
rules "fail = open"
commit_file "$C" c2.txt "harmless" >/dev/null
SASGUARD_GIT=$T/dying-git push "$C" origin main; st=$?
[ "$st" -eq 0 ] && grep -q '^remote: sasguard: WARNING: .*exited with status 128.*UNCHECKED' "$T/out"
ok $? "... and is accepted with a warning when fail = open"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null

# The scanner itself crashing or missing: the shim refuses, whatever fail
# says (only the scanner can read the fail setting).
printf '#!/bin/sh\nkill -SEGV $$\n' >"$T/crashing-sasguard"
chmod +x "$T/crashing-sasguard"
git -C "$S" config sasguard.path "$T/crashing-sasguard"
rules "fail = open"
commit_file "$C" c3.txt "harmless" >/dev/null
push "$C" origin main; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "crashed or was killed"
ok $? "a crashing scanner refuses the push even when fail = open"
git -C "$S" config sasguard.path "$T/nowhere/sasguard"
# The shim also looks in /usr/local/bin and /usr/bin: a sasguard installed
# there on this machine is not missing.
if [ -x /usr/local/bin/sasguard ] || [ -x /usr/bin/sasguard ]; then
	skip "a missing scanner refuses the push: one is installed in /usr/local/bin or /usr/bin"
else
	PATH=$(printf '%s' "$PATH" | sed "s|$T/bin:||") push "$C" origin main; st=$?
	[ "$st" -ne 0 ] && contains "$T/out" "cannot run the sasguard program"
	ok $? "a missing scanner refuses the push"
	[ "$st" -ne 0 ] || show "$T/out"
fi
git -C "$C" reset -q --hard "$base"
git -C "$S" config sasguard.path "$real_bin"

printf '[sasguard]\nfail = open\nno_such_key = 1\n' >"$T/server-rules.ini"
commit_file "$C" d.txt "harmless" >/dev/null
push "$C" origin main
[ $? -ne 0 ] && contains "$T/out" "cannot read sasguard's rules"
ok $? "broken server rules refuse the push (the fail setting cannot be trusted)"
git -C "$C" reset -q --hard "$base"

# --- bypass ----------------------------------------------------------------------
[ "$(git -C "$S" config receive.advertisePushOptions)" = true ]
ok $? "the installer turned on receive.advertisePushOptions"
rules "bypass_log = $T/bypass.log"
commit_file "$C" e.txt "$risky" >/dev/null
bad=$(rev "$C" HEAD)
push "$C" -o "sasguard.bypass=release night" origin main
[ $? -ne 0 ] && contains "$T/out" "does not allow bypasses"
ok $? "a bypass is refused while bypass = off (the default), saying so"
! [ -e "$T/bypass.log" ]; ok $? "... and nothing is logged"

rules "bypass = on" "bypass_log = $T/bypass.log"
push "$C" -o "sasguard.bypass=" origin main
[ $? -ne 0 ] && contains "$T/out" "give a reason"
ok $? "bypass = on: a bypass without a reason is refused"

rules "bypass = on" "bypass_log = $T/no/such/dir/bypass.log"
push "$C" -o "sasguard.bypass=release night" origin main
[ $? -ne 0 ] && contains "$T/out" "cannot append"
ok $? "bypass = on: a bypass that cannot be logged is refused"

rules "bypass = on" "bypass_log = $T/bypass.log"
reason='release night $(touch pwned) "quoted"'
REMOTE_USER=alice push "$C" -o "sasguard.bypass=$reason" origin main; st=$?
ok $st "bypass = on: git push -o sasguard.bypass=<reason> lets a token through"
[ "$st" -eq 0 ] || show "$T/out"
grep -q '^remote: sasguard: !!! BYPASS' "$T/out"; ok $? "... with a loud notice"
[ -f "$T/bypass.log" ] && [ "$(wc -l <"$T/bypass.log")" -eq 1 ]
ok $? "... appending one line to bypass_log"
line=$(cat "$T/bypass.log" 2>/dev/null)
case $line in
*"	alice	"*"refs/heads/main $base..$bad"*"	$reason") pass "... saying who, which ref old..new, and why" ;;
*) fail "... saying who, which ref old..new, and why"; diag "$line" ;;
esac
! [ -e "$T/pwned" ] && ! [ -e "$S/pwned" ]; ok $? "... running nothing from the reason"
no_secret "$T/out" "$sig" "... and the signature is in no output"

done_testing
