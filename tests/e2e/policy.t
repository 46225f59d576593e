#!/bin/sh
# End-to-end: the server's [sasguard] settings - time budget, fail closed or
# open, the emergency bypass - on real pushes with the real sasguard.
#
# A slow or failing scan is made deterministic with the hook's one seam:
# git config sasguard.path in the server repository (server configuration,
# which no pusher can set) names a small wrapper script around the real
# sasguard that sleeps (or fails) before scanning, but answers --get at once.
. tests/e2e/lib.sh

plan 20

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

# wrapper NAME ACTION: a sasguard that does ACTION before any scan.
wrapper() {
	{
		echo '#!/bin/sh'
		echo 'case " $* " in'
		echo '*" --get "* | *" --print-config "*) ;;'
		echo "*) $2 ;;"
		echo 'esac'
		printf 'exec %s "$@"\n' "'$real_bin'"
	} >"$T/$1"
	chmod +x "$T/$1"
}
wrapper slow-sasguard "sleep 6"
wrapper broken-sasguard "exit 2"
rules() { printf '[sasguard]\n%s\n' "$@" >"$T/server-rules.ini"; }
elapsed() { echo $(($(date +%s) - t0)); }

# --- time budget ------------------------------------------------------------
git -C "$S" config sasguard.path "$T/slow-sasguard"
rules "timeout = 1" "fail = closed"
commit_file "$C" a.txt "harmless" >/dev/null
t0=$(date +%s)
push "$C" origin main; st=$?
took=$(elapsed)
[ "$st" -ne 0 ]; ok $? "a scan over its time budget refuses the push when fail = closed"
contains "$T/out" "did not finish within 1s"; ok $? "... saying it ran out of time"
[ "$took" -lt 5 ]; ok $? "... and the budget stopped the scan (took ${took}s, the scan wanted 6s)"
[ "$st" -ne 0 ] || show "$T/out"

rules "timeout = 1" "fail = open"
push "$C" origin main; st=$?
ok $st "with fail = open the same push is accepted"
grep -q '^remote: sasguard: WARNING:.*UNCHECKED' "$T/out"; ok $? "... with a warning that it went unchecked"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null

rules "timeout = 0" "fail = closed"
commit_file "$C" b.txt "harmless" >/dev/null
push "$C" origin main; st=$?
ok $st "timeout = 0 means no budget: the slow scan finishes and the push is accepted"
[ "$st" -eq 0 ] || show "$T/out"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null

# --- internal errors -------------------------------------------------------
git -C "$S" config sasguard.path "$T/broken-sasguard"
rules "fail = closed"
commit_file "$C" c.txt "harmless" >/dev/null
push "$C" origin main
[ $? -ne 0 ] && contains "$T/out" "the check failed"
ok $? "a scanner failure (exit 2) refuses the push when fail = closed"
rules "fail = open"
push "$C" origin main; st=$?
[ "$st" -eq 0 ] && grep -q '^remote: sasguard: WARNING: the check failed' "$T/out"
ok $? "... and is accepted with a warning when fail = open"
git -C "$C" reset -q --hard "$base"
push "$C" --force origin main >/dev/null
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
