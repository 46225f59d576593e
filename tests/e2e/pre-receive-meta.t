#!/bin/sh
# End-to-end: the pre-receive hook's two git commands run at once (issue
# 15): the messages-and-names git (git log --raw) runs beside the diff git
# (git log --cc), its output held in memory until the diff is scanned. On
# real pushes to a bare repository with the hook installed by install.sh:
#
# - a token only in a commit message of a long push is still found, and
#   still found when the messages of the push are more than the hook holds
#   in memory (the rest is read from git's pipe after the diff);
# - the messages git failing, being killed, cut short or running out of
#   time while the diff git is still running refuses the push (fail = closed), and is a
#   warning with fail = open, as before;
# - the diff git failing while the messages git is still running refuses
#   the push at once (the messages git is not waited for to its end).
#
# Faults are real faults of the git that sasguard runs: SASGUARD_GIT names
# a wrapper around the real git (the server's environment, which no pusher
# can set), as in policy.t.
. tests/e2e/lib.sh

plan 20

sig=$(new_sig)
risky=$(risky_url "$sig")
real_git=$(command -v git)

S=$T/server.git
C=$T/c
server_and_clone "$S" "$C"
base=$(rev "$C" HEAD)
rules() { printf '[sasguard]\n%s\n' "$@" >"$T/server-rules.ini"; }
elapsed() { echo $(($(date +%s) - t0)); }

# history N MSGFILE: N commits on top of main, each changing one file with
# a harmless line and with a message of two lines; the first (the one git
# log prints last: the dates rise) has MSGFILE's text as its message
# instead (none: like the others). fast-import: thousands of commits in a
# moment.
history() {
	now=$(git -C "$C" log -1 --format=%ct "$base")
	awk -v n="$1" -v now="$now" -v base="$base" -v first="$2" '
	function data(s) { printf "data %d\n%s\n", length(s) + 1, s }
	BEGIN {
		if (first != "")
			while ((getline l < first) > 0)
				msg1 = msg1 (msg1 == "" ? "" : "\n") l
		printf "reset refs/heads/main\nfrom %s\n", base
		for (i = 1; i <= n; i++) {
			msg = "change " i "\nthe note of change " i \
			    ", harmless words about the change"
			if (i == 1 && first != "")
				msg = msg1
			printf "commit refs/heads/main\n"
			printf "committer T <t@example.invalid> %d +0000\n", now + i
			data(msg)
			printf "M 100644 inline notes/%d.txt\n", i % 50
			data("line " i " of the notes")
		}
	}' | git -C "$C" fast-import --quiet --force
	git -C "$C" reset -q --hard main
}
reset_client() {
	git -C "$C" update-ref refs/heads/main "$base"
	git -C "$C" reset -q --hard "$base"
}

# gitwrap NAME DIFF-ACTION META-ACTION: a git that does DIFF-ACTION when
# asked for the pushed changes (log --stdin ... --cc), META-ACTION when
# asked for their messages and names (log --stdin ... --raw), and is the
# real git otherwise. An empty action: the real git.
gitwrap() {
	{
		echo '#!/bin/sh'
		echo 'case " $* " in'
		[ -z "$2" ] || echo "*\" log --stdin \"*\" --cc \"*) $2 ;;"
		[ -z "$3" ] || echo "*\" log --stdin \"*\" --raw \"*) $3 ;;"
		echo 'esac'
		printf 'exec %s "$@"\n' "'$real_git'"
	} >"$T/$1"
	chmod +x "$T/$1"
}
# The diff git waits a second first: whatever the messages git does, it
# does while the diff is still running.
slow_diff="sleep 1"
# The messages git: exits 3 at once; says part of its output and exits 0
# cut short; says part of it and is killed; sleeps past the time budget.
gitwrap meta-exits "$slow_diff" "exit 3"
gitwrap meta-killed "$slow_diff" "'$real_git' \"\$@\" | head -c 5000; kill -KILL \$\$"
gitwrap meta-slow "" "sleep 6"
# ... says all of its output but the last byte (the NUL after the last
# name), and exits 0.
gitwrap meta-cut "$slow_diff" "'$real_git' \"\$@\" | head -c -1; exit 0"
# The diff git dies after part of its output; the messages git would take
# 6 s (and its output is then no longer wanted).
gitwrap diff-dies "'$real_git' \"\$@\" | head -c 3000; exit 128" "sleep 6; exec '$real_git' \"\$@\""

# --- a long push, a token only in one message ------------------------------
printf 'import the data\n\nfrom %s\n' "$risky" >"$T/msg"
history 3000 "$T/msg"
push "$C" origin main; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "commit message"
ok $? "a push of 3000 commits with a token only in the message git prints last is refused"
[ "$st" -ne 0 ] || show "$T/out"
[ "$(rev "$S" refs/heads/main)" = "$base" ]; ok $? "... and the server's main did not move"
no_secret "$T/out" "$sig" "... and the signature is in no output"

reset_client
history 3000 ""
push "$C" origin main; st=$?
ok $st "the same push without the token is accepted"
[ "$st" -eq 0 ] || show "$T/out"
# The server now has it; the next pushes bring commits on top.
base=$(rev "$C" HEAD)

# --- messages beyond what the hook holds in memory --------------------------
# 24 messages of 1 MiB (the hook holds 16 MiB), the token in the last
# line of the one git prints last: it is read from git's pipe after the
# diff, past what was held.
awk 'BEGIN { for (i = 0; i < 16384; i++) printf "harmless words, harmless words, harmless words, line %06d\n", i }' >"$T/big"
{ cat "$T/big"; printf 'from %s\n' "$risky"; } >"$T/bigmsg"
{
	now=$(git -C "$C" log -1 --format=%ct "$base")
	printf 'reset refs/heads/main\nfrom %s\n' "$base"
	for i in $(seq 1 24); do
		f=$T/big
		[ "$i" -eq 1 ] && f=$T/bigmsg
		printf 'commit refs/heads/main\n'
		printf 'committer T <t@example.invalid> %d +0000\n' $((now + i))
		printf 'data %d\n' "$(wc -c <"$f")"
		cat "$f"
		printf '\nM 100644 inline big/%d.txt\ndata 6\nsmall\n' "$i"
	done
} | git -C "$C" fast-import --quiet --force
push "$C" origin main; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "commit message"
ok $? "a push with 24 MiB of messages and the token at their very end is refused"
[ "$st" -ne 0 ] || show "$T/out"
no_secret "$T/out" "$sig" "... and the signature is in no output"
reset_client

# --- the messages git fails while the diff git runs -------------------------
rules "fail = closed"
commit_file "$C" a.txt "harmless" >/dev/null
SASGUARD_GIT=$T/meta-exits push "$C" origin main; st=$?
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused: cannot check it: git log (messages and names) exited with status 3' "$T/out"
ok $? "the messages git exiting 3 while the diff runs refuses a clean push (fail = closed)"
[ "$st" -ne 0 ] || show "$T/out"
[ "$(rev "$S" refs/heads/main)" = "$base" ]; ok $? "... and the server's main did not move"

SASGUARD_GIT=$T/meta-killed push "$C" origin main; st=$?
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused: cannot check it: git log (messages and names) was killed by signal 9' "$T/out"
ok $? "the messages git killed half way while the diff runs refuses the push"
[ "$st" -ne 0 ] || show "$T/out"

SASGUARD_GIT=$T/meta-cut push "$C" origin main; st=$?
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused: cannot check it' "$T/out"
ok $? "the messages git's output cut short (exit 0) refuses the push"
[ "$st" -ne 0 ] || show "$T/out"

rules "fail = open"
SASGUARD_GIT=$T/meta-exits push "$C" origin main; st=$?
[ "$st" -eq 0 ] && grep -q '^remote: sasguard: WARNING: git log (messages and names) exited with status 3.*UNCHECKED' "$T/out"
ok $? "with fail = open the same push is accepted with a warning"
[ "$st" -eq 0 ] || show "$T/out"
reset_client
push "$C" --force origin main >/dev/null

# A token in a message, the messages git killed: refused whatever the diff
# says (it finds nothing).
rules "fail = closed"
git -C "$C" commit -q --allow-empty -m "see $risky"
SASGUARD_GIT=$T/meta-killed push "$C" origin main; st=$?
[ "$st" -ne 0 ]; ok $? "a token in a message with the messages git killed: refused"
no_secret "$T/out" "$sig" "... and the signature is in no output"
reset_client

# --- the messages git runs out of time after the diff is done ---------------
rules "timeout = 2" "fail = closed"
commit_file "$C" b.txt "harmless" >/dev/null
t0=$(date +%s)
SASGUARD_GIT=$T/meta-slow push "$C" origin main; st=$?
took=$(elapsed)
[ "$st" -ne 0 ] && contains "$T/out" "did not finish within 2s"
ok $? "the messages git running past the time budget refuses the push"
[ "$st" -ne 0 ] || show "$T/out"
[ "$took" -lt 6 ]; ok $? "... when the budget ends (took ${took}s, the messages git wanted 6s)"
rules "timeout = 2" "fail = open"
SASGUARD_GIT=$T/meta-slow push "$C" origin main; st=$?
[ "$st" -eq 0 ] && contains "$T/out" "UNCHECKED"
ok $? "... and with fail = open it is accepted with a warning"
reset_client
push "$C" --force origin main >/dev/null

# --- the diff git fails while the messages git runs -------------------------
rules "fail = closed"
history 300 ""
t0=$(date +%s)
SASGUARD_GIT=$T/diff-dies push "$C" origin main; st=$?
took=$(elapsed)
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused: cannot check it: git log (the pushed changes) exited with status 128' "$T/out"
ok $? "the diff git dying half way refuses the push, saying so (not the messages git)"
[ "$st" -ne 0 ] || show "$T/out"
[ "$took" -lt 5 ]; ok $? "... at once: the messages git is not waited for (took ${took}s, it wanted 6s)"
[ "$(rev "$S" refs/heads/main)" = "$base" ]; ok $? "... and the server's main did not move"

# The same pushes with the real git are accepted: the refusals above were
# the faults'.
rules "fail = closed"
push "$C" origin main; st=$?
ok $st "the same push with the real git is accepted"
[ "$st" -eq 0 ] || show "$T/out"

done_testing
