#!/bin/sh
# prereceive.sh - the pre-receive hook, timed on a history with merges
# (issue 15). bench/history.py builds a history of real text: a first
# commit, then BENCH_COMMITS more (default 5000), about one in six a merge,
# some of them with a resolved conflict. The server has the first commit;
# the push brings the rest. The hook is the one install.sh --pre-receive
# puts in a bare repository (PREFIX holding a copy of ./sasguard).
#
# First, checks (the bench stops if one fails): the hook accepts the clean
# push; it refuses an evil merge (a conflict resolved by adding a token
# neither side has), an octopus merge whose result adds a token, and the
# whole push with a token in the commit git prints last (so it reads the
# whole of git's output, not a prefix).
#
# Then rounds, in a rotating order, BENCH_PR_RUNS of them (default 5):
#   hook      the hook fed "<first> <tip> refs/heads/main" in a bare
#             repository holding every object but only the first commit
#             as a ref: what it does in the push, without the transfer;
#   hook0     the hook on a new branch at a commit the server has: its
#             fixed cost (programs started, nothing to scan);
#   logp      git log -p of the same commits in the same repository, its
#             output to a pipe;
#   pushhook / pushplain  a real git push of the commits to a server with
#             the hook and to one without (the difference is the hook).
# Printed: medians, hook ÷ git log -p (the median of per-round ratios;
# target ≤ 1.1), the hook's time per git command it runs (one run through
# SASGUARD_GIT, a wrapper that times each), and the push that fits a
# BENCH_BUDGET-second limit (default 5: GitHub Enterprise's pre-receive
# limit): the fixed cost, then this run's cost per commit.
#
#   BENCH_COMMITS   commits pushed (default 5000)
#   BENCH_PR_RUNS   rounds (default 5)
#   BENCH_BUDGET    the limit, in seconds (default 5)
#   BENCH_PR_PUSH=0 no real pushes in the rounds
#   BENCH_SASGUARD  the sasguard binary (default ./sasguard; copied first,
#                   so a rebuild during the run changes nothing)
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/.." && pwd)
commits=${BENCH_COMMITS:-5000}
runs=${BENCH_PR_RUNS:-5}
budget=${BENCH_BUDGET:-5}
cache=${BENCH_CACHE:-$here/.cache}
measure=$here/measure
hstamp=$(cksum <"$here/history.py" | cut -d' ' -f1)
work=$cache/prereceive-$commits-$hstamp

note() { printf 'bench: %s\n' "$*" >&2; }
die() { note "$*"; exit 1; }

# A clean git environment: the machine's and the user's config play no part.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
    GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
    SASGUARD_GIT GL_ID GL_PROTOCOL 2>/dev/null || true
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid

mkdir -p "$cache"
if ! [ -f "$work/ok" ]; then
	note "building a history of $commits commits of real text (bench/history.py)"
	rm -rf "$work"
	mkdir -p "$work"
	git init -q --bare "$work/client.git"
	python3 "$here/history.py" repo "${commits}c" |
	    git -C "$work/client.git" fast-import --quiet
	git -C "$work/client.git" for-each-ref --format='delete %(refname)' \
	    refs/heads/t | git -C "$work/client.git" update-ref --stdin
	git -C "$work/client.git" gc -q
	: >"$work/ok"
fi
client=$work/client.git
tip=$(git -C "$client" rev-parse main)
first=$(git -C "$client" rev-list --max-parents=0 main)
zero=$(echo "$tip" | tr 0-9a-f 0)
pushed=$(git -C "$client" rev-list --count "$first..$tip")
merges=$(git -C "$client" rev-list --count --merges "$first..$tip")

# The binary install.sh finds in PREFIX (a copy: others may rebuild
# ./sasguard meanwhile), and rules without a time limit, so that what is
# timed is the whole scan.
rm -rf "$work/prefix" "$work"/*.git.tmp
mkdir -p "$work/prefix/bin"
cp "${BENCH_SASGUARD:-$top/sasguard}" "$work/prefix/bin/sasguard"
printf '[sasguard]\ntimeout = 0\n' >"$work/rules.ini"
server() {	# DIR [hook]: a bare repository borrowing the client's objects
	rm -rf "$1"
	git init -q --bare "$1"
	echo "$client/objects" >"$1/objects/info/alternates"
	git -C "$1" update-ref refs/heads/main "$first"
	if [ "${2:-}" = hook ]; then
		PREFIX=$work/prefix sh "$top/install.sh" --pre-receive "$1" \
		    >"$work/install.out" 2>&1 || {
			cat "$work/install.out" >&2
			die "install.sh --pre-receive failed"
		}
		git -C "$1" config sasguard.config "$work/rules.ini"
	fi
}

# ---- Checks -----------------------------------------------------------------
new_sig() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
pct() { printf '%s' "$1" | sed 's/%/%25/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g'; }
risky_url() {
	printf 'https://contosoexample.blob.core.windows.net/models/m.ckpt?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=%s' "$(pct "$(new_sig)")"
}
W=$work/scratch
rm -rf "$W"
git clone -q --shared "$client" "$W" 2>/dev/null
g() { git -C "$W" "$@"; }
g checkout -q -B bench "$tip"
file=$(g ls-files | head -1)

# An evil merge: both sides change the file's first line; the resolution
# keeps both and adds a token.
g checkout -q -b e1 "$tip"
{ echo "left side"; cat "$W/$file"; } >"$W/f.tmp" && mv "$W/f.tmp" "$W/$file"
g commit -qam "left"
g checkout -q -b evil "$tip"
{ echo "right side"; cat "$W/$file"; } >"$W/f.tmp" && mv "$W/f.tmp" "$W/$file"
g commit -qam "right"
g merge -q e1 >/dev/null 2>&1 && die "the evil merge did not conflict"
{ echo "left side"; echo "right side"; echo "url = \"$(risky_url)\"";
  g show "$tip:$file"; } >"$W/$file"
g add "$file"
g commit -q --no-edit
# An octopus merge of three clean branches, amended to add a token.
for b in o1 o2 o3; do
	g checkout -q -b "$b" "$tip"
	echo "$b" >"$W/octopus-$b.txt"
	g add "octopus-$b.txt"
	g commit -qm "$b"
done
g checkout -q o1
g merge -q --no-edit o2 o3 >/dev/null
[ "$(g rev-list --count --min-parents=3 -1 HEAD)" = 1 ] ||
    die "the octopus merge has fewer than 3 parents"
echo "url = \"$(risky_url)\"" >>"$W/octopus-o1.txt"
g add octopus-o1.txt
g commit -q --amend --no-edit
g branch -q octopus
# The whole push, with a token in a side commit dated right after the first
# commit: git log prints it last.
g checkout -q -b deep "$first"
when=$(($(git -C "$client" log -1 --format=%ct "$first") + 60))
echo "url = \"$(risky_url)\"" >"$W/deep.txt"
g add deep.txt
GIT_AUTHOR_DATE="@$when" GIT_COMMITTER_DATE="@$when" g commit -qm deep
g checkout -q bench
g merge -q --no-edit deep >/dev/null
g branch -q -f deep HEAD
[ "$(g log --format=%H "$first..deep" | tail -1)" = "$(g rev-parse deep^2)" ] ||
    die "the deep commit is not the last one git log prints"

check_refused() {	# DESC BRANCH [BASE]
	server "$work/check.git" hook
	[ -z "${3:-}" ] || git -C "$work/check.git" update-ref refs/heads/main "$3"
	if g push -q "$work/check.git" "$2:refs/heads/$2" >"$work/check.out" 2>&1; then
		cat "$work/check.out" >&2
		die "NOT refused: $1"
	fi
	grep -q 'push refused' "$work/check.out" ||
	    { cat "$work/check.out" >&2; die "$1: refused without saying why"; }
	note "refused, as it must be: $1"
}
check_refused "an evil merge adding a token" evil "$tip"
check_refused "an octopus merge adding a token" octopus "$tip"
check_refused "a token in the commit git prints last ($pushed commits)" deep

# ---- The server for the rounds: every object, only the first commit ---------
server "$work/probe.git" hook
printf '%s %s refs/heads/main\n' "$first" "$tip" >"$work/updates"
server "$work/known.git" hook
git -C "$work/known.git" update-ref refs/heads/main "$tip"
printf '%s %s refs/heads/copy\n' "$zero" "$tip" >"$work/updates-known"
# The clean push is accepted, and the hook's git commands timed once.
cat >"$work/git-timed" <<'EOF'
#!/bin/sh
t0=$(date +%s.%N)
git "$@"
rc=$?
t1=$(date +%s.%N)
for a in "$@"; do
	case $a in --*|log|rev-list|cat-file|config|version|hash-object) printf '%s ' "$a" ;; esac
done >>"$GIT_TIMED_LOG.argv"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "\t%.3f\n", b - a }' >>"$GIT_TIMED_LOG.argv"
exit $rc
EOF
chmod +x "$work/git-timed"
: >"$work/timed.argv"
(cd "$work/probe.git" && SASGUARD_GIT=$work/git-timed GIT_TIMED_LOG=$work/timed \
    ./hooks/pre-receive <"$work/updates" >"$work/hook.out" 2>&1) || {
	cat "$work/hook.out" >&2
	die "the hook refused the clean push"
}

hook_at() {	# REPO UPDATES
	(cd "$1" && "$measure" -i "$2" -o "$work/hook.out" ./hooks/pre-receive)
}
hook_run() { hook_at "$work/probe.git" "$work/updates"; }
hook0_run() { hook_at "$work/known.git" "$work/updates-known"; }
logp_run() {
	"$measure" -o '|' git -C "$work/probe.git" log -p "$tip" --not --all
}
push_run() {	# [hook]
	server "$work/server.git" "${1:-}"
	"$measure" -o /dev/null git -C "$client" push -q "$work/server.git" main
}
pushhook_run() { push_run hook; }
pushplain_run() { push_run; }

bytes=$(git -C "$work/probe.git" log -p "$tip" --not --all | wc -c)

res=$work/results.tsv
: >"$res"
set -- hook hook0 logp
[ "${BENCH_PR_PUSH:-1}" = 0 ] || set -- "$@" pushhook pushplain
r=0
while [ "$r" -lt "$runs" ]; do
	for t in "$@"; do
		m=$("${t}_run" 2>>"$work/err")
		printf '%s\t%s\t%s\n' "$t" "$r" "$(echo "$m" | tr ' ' '\t')" >>"$res"
	done
	f1=$1
	shift
	set -- "$@" "$f1"
	r=$((r + 1))
done

awk -F'\t' -v commits="$pushed" -v merges="$merges" -v bytes="$bytes" \
    -v budget="$budget" -v runs="$runs" -v timed="$work/timed.argv" '
{
	t[$1] = t[$1] " " $3; if ($4 > rss[$1]) rss[$1] = $4; ex[$1] = $5
	at[$1, $2] = $3
}
function median(s,    n, a, i, j, x) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			x = a[j]; a[j] = a[j - 1]; a[j - 1] = x
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	name["hook"] = "the hook (the push)"
	name["hook0"] = "the hook, nothing new"
	name["logp"] = "git log -p, same commits"
	name["pushhook"] = "git push, with the hook"
	name["pushplain"] = "git push, no hook"
	printf "\npre-receive: %d commits pushed (%d merges, %.0f%%), %.1f MiB of git log -p; medians of %d rounds\n",
	    commits, merges, 100 * merges / commits, bytes / 1048576, runs
	printf "| %-28s | %9s | %10s | %10s |\n", "what", "median s",
	    "peak RSS", "hook ÷ it"
	printf "|%s|%s|%s|%s|\n", "------------------------------",
	    "----------:", "-----------:", "-----------:"
	h = median(t["hook"])
	nk = split("hook hook0 logp pushhook pushplain", k, " ")
	for (i = 1; i <= nk; i++) {
		if (!(k[i] in t))
			continue
		m = median(t[k[i]])
		printf "| %-28s | %9.3f | %6.1f MiB | %10.2f |%s\n", name[k[i]],
		    m, rss[k[i]] / 1024, h / m,
		    ex[k[i]] != 0 ? " exit " ex[k[i]] : ""
	}
	for (r = 0; r < runs; r++)
		pr = pr " " at["hook", r] / at["logp", r]
	lp = median(pr)
	printf "\n  %-40s %6.2f  (limit 1.1)  %s\n",
	    "hook ÷ git log -p (median per round)", lp,
	    lp <= 1.1 ? "met" : "NOT met"
	if ("pushhook" in t) {
		for (r = 0; r < runs; r++)
			pp = pp " " at["pushhook", r] - at["pushplain", r]
		printf "  %-40s %6.3f s\n", "push with hook - push without", median(pp)
	}
	printf "  %-40s %6.0f commits/s, %.1f MB/s of git log -p\n",
	    "hook throughput", commits / h, bytes / 1e6 / h
	h0 = median(t["hook0"])
	printf "  %-40s %6.3f s\n", "hook fixed cost (nothing new)", h0
	per = (h - h0) / commits
	n = (budget - h0) / per
	printf "  %-40s about %d commits like these, %.0f MiB of git log -p\n",
	    "fits a " budget " s limit (GitHub Enterprise)", n,
	    n * bytes / commits / 1048576
	printf "\n  the hook'"'"'s git commands, one run (seconds):\n"
	while ((getline l < timed) > 0) {
		split(l, f, "\t")
		printf "    %7.3f  git %s\n", f[2], f[1]
	}
}' "$res"
