# tests/e2e/lib.sh - shared helpers for the end-to-end tests. Sourced by
# tests/e2e/*.t, which run from the repository root under
# "prove --exec '' tests/e2e/*.t".
#
# Each test gets a fresh temporary directory $T (removed on exit), a HOME and
# global git config inside it (the machine's git config plays no part), and
# a bin directory on PATH holding "sasguard": a link to the real scanner,
# $SASGUARD (default: ./sasguard at the repository root). Nothing here fakes
# the scanner.
set -u

ROOT=$(pwd -P)
SASGUARD=${SASGUARD:-$ROOT/sasguard}
case $SASGUARD in
/*) ;;
*) SASGUARD=$ROOT/$SASGUARD ;;
esac

if ! [ -x "$SASGUARD" ]; then
	echo "Bail out! no sasguard binary at $SASGUARD (run make first)"
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sasguard-e2e.XXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 1
}
# Paths printed by git and sasguard are physical ones.
T=$(cd -P -- "$T" && pwd -P)
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# A clean git environment.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
    GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES GIT_EXTERNAL_DIFF \
    GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_PAGER \
    GIT_QUARANTINE_PATH GL_ID GL_PROTOCOL GL_USERNAME REMOTE_USER \
    GITHUB_USER_LOGIN GITEA_PUSHER_NAME SASGUARD_SLOW 2>/dev/null
export HOME="$T/home"
export XDG_CONFIG_HOME="$HOME/.config"
export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
export GIT_CONFIG_NOSYSTEM=1
export GIT_TERMINAL_PROMPT=0
export LC_ALL=C.UTF-8
export TZ=UTC
export USER=tester
mkdir -p "$HOME" "$T/bin"
ln -s "$SASGUARD" "$T/bin/sasguard"
export PATH="$T/bin:$PATH"
git config --global user.name "Sas Guard Tester"
git config --global user.email "tester@example.invalid"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always

# ------------------------------------------------------------------ TAP
tap_n=0
tap_failed=0
plan() { echo "1..$1"; }
pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}
fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# ok COND_STATUS DESC: pass when the status is 0.
ok() {
	if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; fi
}
# show FILE: print FILE as TAP diagnostics.
show() {
	[ -f "$1" ] && sed 's/^/#   /' "$1"
}
# contains FILE FIXED_STRING
contains() { grep -qF -- "$2" "$1"; }
done_testing() {
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# ------------------------------------------------------------------ tokens
# new_sig: a random 32-byte signature, base64 (44 characters ending in =).
# Made at test time: no real signature is ever written down.
new_sig() {
	head -c 32 /dev/urandom | base64 | tr -d '\n'
}
# pct STRING: STRING percent-encoded as in a URL's query.
pct() {
	printf '%s' "$1" | sed 's/%/%25/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g'
}
# risky_url SIG: an account SAS with every permission until 2051, like the
# one in the incident (made-up account and signature).
risky_url() {
	printf 'https://contosoexample.blob.core.windows.net/models/resnet.ckpt?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=%s' "$(pct "$1")"
}
# safe_url SIG: a read-only blob service SAS valid from now for two hours,
# HTTPS only.
safe_url() {
	st=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
	se=$(date -u -d '+2 hours' '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null) ||
	    se=$(date -u -v+2H '+%Y-%m-%dT%H:%M:%SZ')
	printf 'https://contosoexample.blob.core.windows.net/models/resnet.ckpt?sv=2022-11-02&sr=b&sp=r&st=%s&se=%s&spr=https&sig=%s' \
	    "$st" "$se" "$(pct "$1")"
}
# no_secret FILE SIG DESC: neither the raw nor the encoded signature is in
# FILE.
no_secret() {
	if contains "$1" "$2" || contains "$1" "$(pct "$2")" ||
	    contains "$1" "${2%=}"; then
		fail "$3"
		diag "the signature is in the output"
	else
		pass "$3"
	fi
}

# ------------------------------------------------------------------ git
# new_repo DIR: an empty repository with sasguard's pre-commit hook,
# installed the way a user would.
new_repo() {
	git init -q "$1" || return 1
	(cd "$1" && "$ROOT/install.sh" --pre-commit >/dev/null) || return 1
}
# new_server DIR: a bare repository with sasguard's pre-receive hook and
# server rules in $T/server-rules.ini (empty unless a test writes it).
new_server() {
	git init -q --bare "$@" || return 1
	eval "srv=\${$#}"
	"$ROOT/install.sh" --pre-receive "$srv" >/dev/null || return 1
	: >>"$T/server-rules.ini"
	# A sanitizer build is several times slower: give it time, so that a
	# loaded CI machine does not turn the 4 s budget into a refusal.
	case $SASGUARD in
	*/build/san/*) grep -q timeout "$T/server-rules.ini" ||
	    printf '[sasguard]\ntimeout = 60\n' >>"$T/server-rules.ini" ;;
	esac
	git -C "$srv" config sasguard.config "$T/server-rules.ini"
}
# server_and_clone SERVER CLIENT: new_server SERVER, CLIENT a clone of it
# with a first commit pushed. Bails out on failure.
server_and_clone() {
	new_server "$1" && git clone -q "$1" "$2" 2>/dev/null &&
	    commit_file "$2" README.md "hello" >/dev/null &&
	    push "$2" origin main ||
	    { show "$T/out"; echo "Bail out! setup push failed"; exit 1; }
}
# commit_file REPO PATH TEXT [GIT-COMMIT-ARGS...]: write, add, commit;
# output of the commit in $T/out; returns git commit's status.
commit_file() {
	r=$1 p=$2 text=$3
	shift 3
	mkdir -p "$(dirname -- "$r/$p")"
	printf '%s\n' "$text" >"$r/$p"
	git -C "$r" add -- "$p" &&
	    git -C "$r" commit -q -m "change $p" "$@" >"$T/out" 2>&1
}
# push REPO ARGS...: git push, output in $T/out, status returned.
push() {
	r=$1
	shift
	git -C "$r" push -q "$@" >"$T/out" 2>&1
}
# rev REPO REV: full id.
rev() { git -C "$1" rev-parse --verify -q "$2"; }

# preimage DIFF PATH: print a file that DIFF's hunks for PATH apply to: the
# lines the hunks show on the old side (context and removed lines) at their
# line numbers, and a filler line wherever the diff does not show the file.
preimage() {
	perl -e '
		my ($diff, $want) = @ARGV;
		open(my $fh, "<", $diff) or die "sasguard: cannot read $diff: $!\n";
		my ($file, $old, $new, $pos, %line, $max) = ("", 0, 0, 0);
		$max = 0;
		while (<$fh>) {
			if ($old > 0 || $new > 0) {
				my $c = substr($_, 0, 1);
				if ($c eq " " || $c eq "-") {
					$line{$pos} = substr($_, 1) if $file eq $want;
					$max = $pos if $file eq $want && $pos > $max;
					$pos++; $old--;
					$new-- if $c eq " ";
				} elsif ($c eq "+") { $new--; }
				next;
			}
			if (/^\+\+\+ (?:b\/)?(.*?)\t?$/) { $file = $1; next; }
			if (/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/) {
				($pos, $old, $new) = ($1, defined $2 ? $2 : 1, defined $4 ? $4 : 1);
				$pos = 1 if $pos == 0;
			}
		}
		for my $i (1 .. $max) {
			print defined $line{$i} ? $line{$i} : "filler line $i\n";
		}
	' "$1" "$2"
}

# ------------------------------------------------------------------ servers
# incident_url SIG: the first token the 2021 incident commit added
# (../shared/cases/msleak/msleak-a9e0e80.diff: an account SAS with every
# permission until 2051), its signature replaced by SIG. Fails when the
# incident diffs are not beside the repository.
incident_url() {
	f=$ROOT/../shared/cases/msleak/msleak-a9e0e80.diff
	[ -r "$f" ] || return 1
	u=$(grep '^+' "$f" | grep -o 'https://[^" )]*[?&]sig=[^" )&]*' | head -n 1)
	[ -n "$u" ] || return 1
	printf '%s\n' "$u" | sed "s|\([?&]sig=\)[^&]*|\1$(pct "$1")|"
}
# free_port: a TCP port on 127.0.0.1 that nothing listens on now (ports
# 20000-59999, tried at random; the caller retries if it is taken since).
free_port() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 + 20000 ))
		if ! (ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) |
		    grep -q "[:.]${p}[[:space:]]"; then
			printf '%s\n' "$p"
			return 0
		fi
	done
	return 1
}
# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds, for at
# most SECONDS.
wait_for() {
	n=$(( $1 * 5 ))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
# skip_rest PLANNED REASON: skip every test left of the PLANNED ones, and
# end the test file.
skip_rest() {
	while [ "$tap_n" -lt "$1" ]; do
		skip "$2"
	done
	done_testing
}
