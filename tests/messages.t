#!/bin/sh
# Messages that help, and the output conventions:
# - the advice depends on what blocked: how each kind is revoked (account
#   or service SAS: both keys; user-delegation: the delegation keys; a
#   stored access policy: change or delete it; an account key: rotate it),
#   the durable fix (managed identity, or a SAS minted at run time), and
#   never what the default rules block (a stored-policy SAS);
# - it depends on who was refused: a hand run, the pre-commit hook, the
#   pre-receive hook (rewrite the commits, then push);
# - units are said; a reviewed exception is one line; the summary names
#   what it counts; --write-baseline is quiet when it works;
# - --color (NO_COLOR), --quiet, --verbose; -h is one screen.
# No output holds a fixture's signature.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
FX=tests/fixtures/messages
OUT=$tap_tmp/out

run() {	# run ARGS...: sasguard at NOW; stdout and stderr in $OUT, $rc
	"$SASGUARD" --now "$NOW" "$@" >"$OUT" 2>&1
	rc=$?
}
has() { grep -F -q -- "$1" "$OUT"; }
# The advice: every line after the summary.
advice() { sed -n '/^sasguard: [0-9]/,$p' "$OUT" | tail -n +2; }

# ---------------------------------------------------------------- by kind
run "$FX/account.diff"
[ "$rc" = 1 ] && has "an account or service SAS: rotate both storage account keys" &&
    has "key1" && has "key2"
ok $? "account SAS: revoked by rotating both keys, key1 and key2 (exit $rc)"
run "$FX/service.diff"
has "an account or service SAS: rotate both storage account keys" &&
    ! has "user-delegation SAS:" && ! has "stored access policy:"
ok $? "service SAS: the same, and no other kind's revocation"
run "$FX/delegation.diff"
has "a user-delegation SAS: revoke the account's user delegation keys" &&
    has "revoke-delegation-keys" && ! has "rotate both"
ok $? "user-delegation SAS: revoke the delegation keys, not the account keys"
run "$FX/policy.diff"
has "a SAS tied to a stored access policy: change the policy's expiry or delete the policy" &&
    ! has "rotate both"
ok $? "policy-backed SAS: change or delete the stored access policy"
run tests/fixtures/scan/account-key-risky.diff
has "a storage account key: rotate it" && ! has "account or service SAS"
ok $? "account key: rotate it"
run "$FX/account.diff" "$FX/delegation.diff" "$FX/policy.diff"
[ "$(grep -c '^sasguard:   ' "$OUT")" = 3 ] &&
    [ "$(advice | sort | uniq -d | wc -l)" = 0 ]
ok $? "three kinds: three revocation lines, no line twice"
advice | grep -q "managed identity (Microsoft Entra ID), or a SAS minted at run time"
ok $? "the durable fix: a managed identity or a SAS minted at run time"

# Never recommend what the default rules block: the advice names a stored
# access policy only to revoke a token that has one.
for f in account service delegation; do
	run "$FX/$f.diff"
	! advice | grep -qi "stored access policy\|si="
	ok $? "$f: the advice never recommends a stored-policy SAS"
done
run "$FX/policy.diff"
advice | grep -v "^sasguard:   " | grep -qi "stored access policy"
[ $? -ne 0 ]; ok $? "policy-backed: only its revocation line names the policy"
run --format sarif "$FX/policy.diff"
! grep -qi "tied to a stored access policy" "$OUT"
ok $? "SARIF help never recommends a stored-policy SAS"

# ---------------------------------------------------------------- context
run "$FX/account.diff"
has "sasguard: to fix: take it out of the files above" &&
    ! has "git add" && ! has "force-with-lease"
ok $? "a hand run gets neutral advice"
if command -v git >/dev/null 2>&1; then
	W=$tap_tmp/w
	git init -q "$W" && mkdir "$W/conf"
	sed -n 's/^+url = "\(.*\)"$/\1/p' "$FX/account.diff" >"$W/conf/a.txt"
	git -C "$W" add . &&
	    (cd "$W" && "$SASGUARD" pre-commit) >"$OUT" 2>&1
	rc=$?
	[ "$rc" = 1 ] && has "commit refused; to fix: take it out of the file(s) above, git add them" &&
	    ! has "force-with-lease" && [ "$(grep -c 'to fix' "$OUT")" = 1 ]
	ok $? "the pre-commit hook gets commit advice, once (exit $rc)"
	sed -n 's/^+url = "\(.*\)"$/fetch it from \1/p' "$FX/account.diff" >"$tap_tmp/msg"
	(cd "$W" && "$SASGUARD" commit-msg "$tap_tmp/msg") >"$OUT" 2>&1
	rc=$?
	[ "$rc" = 1 ] && has "commit refused; to fix: take it out of the message and commit again (git commit -e)" &&
	    ! has "git add" && [ "$(grep -c 'to fix' "$OUT")" = 1 ]
	ok $? "the commit-msg hook gets message advice, once (exit $rc)"
	git -C "$W" -c user.name=t -c user.email=t@t commit -q --no-verify -m a
	git init -q --bare "$tap_tmp/srv.git"
	git -C "$W" push -q "$tap_tmp/srv.git" HEAD:refs/heads/main 2>/dev/null
	new=$(git -C "$W" rev-parse HEAD)
	# The objects stay, the ref goes: the hook sees a new branch.
	git -C "$tap_tmp/srv.git" update-ref -d refs/heads/main
	echo "0000000000000000000000000000000000000000 $new refs/heads/main" |
	    (cd "$tap_tmp/srv.git" && "$SASGUARD" pre-receive) >"$OUT" 2>&1
	rc=$?
	[ "$rc" = 1 ] && has "sasguard: to fix: rewrite the commits above" &&
	    has "git rebase -i" && has "git push --force-with-lease" &&
	    ! has "git add" && [ "$(grep -c 'to fix' "$OUT")" = 1 ]
	ok $? "a refused push gets push advice, once, not commit advice (exit $rc)"
	has "ask the server admin to add its fingerprint" && ! has "--write-baseline"
	ok $? "... and the pusher is not told to write a baseline the server never reads"
	no_secret_in "$FX/account.diff" "$OUT"
	ok $? "... and no signature"
else
	for _ in 1 2 3 4 5; do skip "hooks' advice" "no git"; done
fi

# ---------------------------------------------------------------- words
run "$FX/account.diff"
has "more than 7 days"
ok $? "long-expiry says its unit: more than 7 days"
printf '[long-expiry]\nmax_days = 1\n' >"$tap_tmp/one.ini"
run --config "$tap_tmp/one.ini" "$FX/account.diff"
grep -q "more than 1 day$" "$OUT"
ok $? "... and 1 day in the singular"
run "$FX/account.diff" "$FX/service.diff"
[ "$(grep -c 'after review' "$OUT")" = 1 ] &&
    has "sasguard: to accept these tokens after review: add their fingerprints to [allow] fingerprints, or run sasguard --write-baseline FILE and set [allow] baseline = FILE"
ok $? "how to record a reviewed exception: one line"
run tests/fixtures/scan/account-key-risky.diff
has "account keys block" && ! has "SAS token"
ok $? "the summary counts account keys as keys"
run tests/fixtures/scan/gen-az-risky.diff
has "generated SAS block" && ! has "SAS tokens block"
ok $? "... code that makes a SAS as generated SAS"
run tests/fixtures/scan/account-key-risky.diff "$FX/account.diff"
has "credentials block"
ok $? "... and a mix as credentials"
run "$FX/account.diff"
has "1 SAS token blocks (1 place)"
ok $? "... and SAS tokens as SAS tokens"
run --write-baseline "$tap_tmp/base" "$FX/account.diff"
[ "$rc" = 0 ] && ! [ -s "$OUT" ] && [ "$(grep -vc '^#' "$tap_tmp/base")" = 1 ]
ok $? "--write-baseline prints nothing when it works, and writes the fingerprint"

# ---------------------------------------------------------------- --quiet
run --quiet "$FX/account.diff" "$FX/warn.diff"
[ "$rc" = 1 ] && [ -s "$OUT" ] &&
    ! grep -Evq '^conf/[a-z]+\.toml:2: (BLOCK|WARN) [a-z-]+: ' "$OUT" &&
    [ "$(wc -l <"$OUT")" = 3 ]
ok $? "--quiet: only the findings' headline lines, and exit 1 (got $rc)"
run -q "$FX/warn.diff"
[ "$rc" = 0 ]; ok $? "-q: exit 0 when nothing blocks"
run --quiet --verbose "$FX/warn.diff"
[ "$rc" = 2 ]; ok $? "--quiet with --verbose is a usage error"

# ---------------------------------------------------------------- --verbose
run --verbose tests/fixtures/scan/readonly-2h.diff
[ "$rc" = 0 ] && has "app.py:11: PASS: no rule fires" &&
    has "sasguard: scanned 'tests/fixtures/scan/readonly-2h.diff': 8 lines"
ok $? "--verbose: the token no rule fires on, and what was scanned"
run tests/fixtures/scan/readonly-2h.diff
! has "PASS" && ! has "scanned"
ok $? "... neither without it"
run -v --files "$FX/account.diff" "$FX/policy.diff"
has "scanned '$FX/account.diff'" && has "scanned '$FX/policy.diff'"
ok $? "-v with --files: each path scanned"

# ---------------------------------------------------------------- colour
ESC=$(printf '\033')
red() { grep -q "${ESC}\[31mBLOCK${ESC}\[0m" "$OUT"; }
yellow() { grep -q "${ESC}\[33mWARN${ESC}\[0m" "$OUT"; }
anyesc() { grep -q "$ESC" "$OUT"; }
run --color=always "$FX/account.diff" "$FX/warn.diff"
red && yellow
ok $? "--color=always: BLOCK red, WARN yellow, even into a pipe"
run "$FX/account.diff"
! anyesc; ok $? "auto into a pipe: no colour"
run --color=never "$FX/account.diff"
! anyesc; ok $? "--color=never: no colour"
NO_COLOR=1 "$SASGUARD" --now "$NOW" --color=always "$FX/account.diff" >"$OUT" 2>&1
red; ok $? "--color=always wins over NO_COLOR"
"$SASGUARD" --now "$NOW" --color=always --format json "$FX/account.diff" \
    >"$OUT" 2>/dev/null
! anyesc && [ -s "$OUT" ]; ok $? "never in JSON, even with --color=always"
"$SASGUARD" --now "$NOW" --color=always --format sarif "$FX/account.diff" \
    >"$OUT" 2>/dev/null
! anyesc && [ -s "$OUT" ]; ok $? "never in SARIF, even with --color=always"
run --color=sometimes "$FX/account.diff"
[ "$rc" = 2 ] && has "auto, always or never"
ok $? "--color=sometimes is a usage error"

# On a terminal: script(1) gives the command a real one.
tty_run() {	# tty_run ENV-ASSIGNMENTS ARGS: in a pseudo-terminal
	script -qec "env $1 $SASGUARD --now $NOW $2" /dev/null \
	    </dev/null >"$OUT" 2>&1
}
if command -v script >/dev/null 2>&1; then
	tty_run "-u NO_COLOR" "$FX/account.diff"
	red; ok $? "auto on a terminal: colour"
	tty_run "NO_COLOR=1" "$FX/account.diff"
	! anyesc; ok $? "... not when NO_COLOR is set (no-color.org)"
	tty_run "NO_COLOR=" "$FX/account.diff"
	red; ok $? "... an empty NO_COLOR is unset"
	tty_run "-u NO_COLOR" "--color=never $FX/account.diff"
	! anyesc; ok $? "... not with --color=never"
	if [ -n "${W:-}" ] && [ -d "$W" ]; then
		echo x >>"$W/conf/a.txt"
		sed -n 's/^+url = "\(.*\)"$/\1/p' "$FX/service.diff" >>"$W/conf/a.txt"
		git -C "$W" add .
		script -qec "cd '$W' && env -u NO_COLOR '$SASGUARD' pre-commit" \
		    /dev/null </dev/null >"$OUT" 2>&1
		has "BLOCK" && ! anyesc
		ok $? "the pre-commit hook never colours, even on a terminal"
		(cd "$W" && "$SASGUARD" --color=always pre-commit) >"$OUT" 2>&1
		red; ok $? "... unless asked: sasguard --color=always pre-commit"
	else
		skip "the pre-commit hook never colours" "no git"
		skip "... unless asked" "no git"
	fi
else
	for _ in 1 2 3 4 5 6; do skip "colour on a terminal" "no script(1)"; done
fi

# ---------------------------------------------------------------- help
"$SASGUARD" -h >"$OUT" 2>&1
[ $? = 0 ] && [ "$(wc -l <"$OUT")" -le 24 ] &&
    awk 'length > 80 { bad = 1 } END { exit bad }' "$OUT"
ok $? "-h: one screen (at most 24 lines of 80 columns)"
has "--color" && has "--quiet" && has "--verbose"
ok $? "... naming --color, --quiet and --verbose"

for f in "$FX"/*.diff; do
	run --verbose "$f"
	no_secret_in "$f" "$OUT"
	ok $? "$(basename "$f"): no signature in the output"
done

done_testing
