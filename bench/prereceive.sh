#!/bin/sh
# prereceive.sh - the pre-receive path, timed (issue 5): a generated linear
# history of BENCH_COMMITS commits (default 5000, via git fast-import), the
# real hook/pre-receive installed in a bare repository, and
#
#   hook      the hook itself, fed "<zero> <tip> refs/heads/main" in a bare
#             repository that holds every object but no ref: exactly what
#             it does in a push of all the commits, without the transfer;
#   hook, nothing new  the hook on a new branch at a commit the server
#             already has: its fixed cost (programs started, one empty log);
#   log -p    "git log -p TIP --not --all" in the same repository: the same
#             commits, git's default diff options, written to /dev/null;
#   log hook  the git log command the hook runs (-U0, no renames, ...), alone;
#   push      a real "git push" of all commits to a bare repository with the
#             hook, and to one without (the difference is the hook's cost).
#
# Runs alternate (the order rotates each round, so drift hits all alike),
# BENCH_PR_RUNS times each (default 5); medians. Prints the ratio
# hook ÷ log -p (target ≤ 1.1), the hook's throughput (commits/s, MB/s of
# git log -p) and how large a push fits a BENCH_BUDGET-second budget
# (default 4, the hook's default timeout) at that rate: the fixed cost, then
# the per-commit cost of this run.
#
# Before timing, one checked run makes sure the hook feeds sasguard the
# whole diff (a hook that scanned nothing would look fast).
#
#   BENCH_COMMITS   commits in the generated history (default 5000)
#   BENCH_PR_RUNS   rounds (default 5)
#   BENCH_BUDGET    the budget, in seconds, to size a push for (default 4)
#   BENCH_SASGUARD  the sasguard binary (default ./sasguard; copied first,
#                   so a rebuild during the run changes nothing)
#   BENCH_HOOK      the hook (default hook/pre-receive)
#   BENCH_HOOK_ALT  a second hook, timed beside it in the same rounds
#                   (e.g. an older one: git show REV:hook/pre-receive >FILE)
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/.." && pwd)
commits=${BENCH_COMMITS:-5000}
runs=${BENCH_PR_RUNS:-5}
budget=${BENCH_BUDGET:-4}
cache=${BENCH_CACHE:-$here/.cache}
hook=${BENCH_HOOK:-$top/hook/pre-receive}
alt=${BENCH_HOOK_ALT:-}
measure=$here/measure
work=$cache/prereceive-$commits

note() { printf 'bench: %s\n' "$*" >&2; }

mkdir -p "$cache"
stamp=$(cksum <"$here/gen.c" | cut -d' ' -f1)
if ! [ -f "$work/ok-$stamp" ]; then
	note "generating a repository of $commits commits (git fast-import)"
	rm -rf "$work"
	mkdir -p "$work"
	git init -q -b main "$work/client"
	"$here/gen" repo "$commits" | git -C "$work/client" fast-import --quiet
	git -C "$work/client" gc -q
	: >"$work/ok-$stamp"
fi
tip=$(git -C "$work/client" rev-parse main)
zero=$(echo "$tip" | tr 0-9a-f 0)

# Our own copies of the binary and hooks: others may rebuild ./sasguard
# while this runs.
cp "${BENCH_SASGUARD:-$top/sasguard}" "$work/sasguard"
cp "$hook" "$work/hook"
[ -z "$alt" ] || cp "$alt" "$work/hook-alt"

# The server side: objects but no refs, the hook, rules without a time limit
# (so that the time measured is the whole scan, not the budget).
printf '[sasguard]\ntimeout = 0\n' >"$work/rules.ini"
setup_bare() {	# DIR HOOK_FILE_OR_EMPTY
	rm -rf "$1"
	git init -q --bare "$1"
	git -C "$1" config sasguard.path "$work/sasguard"
	git -C "$1" config sasguard.config "$work/rules.ini"
	if [ -n "$2" ]; then
		cp "$2" "$1/hooks/pre-receive"
		chmod +x "$1/hooks/pre-receive"
	fi
}
setup_bare "$work/probe.git" "$work/hook"
git -C "$work/probe.git" fetch -q "$work/client" main:refs/heads/main
git -C "$work/probe.git" update-ref -d refs/heads/main
printf '%s %s refs/heads/main\n' "$zero" "$tip" >"$work/updates"
# The same objects (borrowed), with main: a push of a new branch at main
# brings nothing new.
setup_bare "$work/known.git" "$work/hook"
echo "$work/probe.git/objects" >"$work/known.git/objects/info/alternates"
git -C "$work/known.git" update-ref refs/heads/main "$tip"
printf '%s %s refs/heads/copy\n' "$zero" "$tip" >"$work/updates-known"

hook_at() {	# REPO UPDATES HOOK
	(cd "$1" && "$measure" -i "$2" -o "$work/hook.out" "$3")
}
hook_run() { hook_at "$work/probe.git" "$work/updates" "$work/hook"; }
hookalt_run() { hook_at "$work/probe.git" "$work/updates" "$work/hook-alt"; }
hook0_run() { hook_at "$work/known.git" "$work/updates-known" "$work/hook"; }
hookalt0_run() { hook_at "$work/known.git" "$work/updates-known" "$work/hook-alt"; }
logp_run() {
	"$measure" -o /dev/null git -C "$work/probe.git" log -p "$tip" --not --all
}
# loghook [PREFIX...]: the log as the hook runs it (PREFIX: e.g. measure).
loghook() {
	"$@" git -C "$work/probe.git" -c diff.noprefix=false \
	    log "$tip" --not --all -p -U0 --root --remerge-diff \
	    --format="commit %H" --no-color --no-ext-diff --no-textconv \
	    --no-renames --no-relative --src-prefix=a/ --dst-prefix=b/
}
loghook_run() { loghook "$measure" -o /dev/null; }
push_run() {	# HOOK_FILE_OR_EMPTY
	setup_bare "$work/server.git" "$1"
	"$measure" -o /dev/null git -C "$work/client" push -q "$work/server.git" main
}
pushhook_run() { push_run "$work/hook"; }
pushplain_run() { push_run ""; }

bytes=$(git -C "$work/probe.git" log -p "$tip" --not --all | wc -c)
bytes0=$(loghook | wc -c)

# The checked run: sasguard behind a wrapper that keeps what it was given.
cat >"$work/sasguard-tee" <<EOF
#!/bin/sh
case " \$* " in
*" - "*) tee "$work/seen.diff" | exec "$work/sasguard" "\$@" ;;
*) exec "$work/sasguard" "\$@" ;;
esac
EOF
chmod +x "$work/sasguard-tee"
git -C "$work/probe.git" config sasguard.path "$work/sasguard-tee"
rm -f "$work/seen.diff"
(cd "$work/probe.git" && ./hooks/pre-receive <"$work/updates" 2>"$work/hook.out") || {
	note "the hook refused the generated push:"
	cat "$work/hook.out" >&2
	exit 1
}
git -C "$work/probe.git" config sasguard.path "$work/sasguard"
seen=$(wc -c <"$work/seen.diff" 2>/dev/null || echo 0)
if [ "$seen" -ne "$bytes0" ]; then
	note "the hook gave sasguard $seen bytes, its git log writes $bytes0: not timing a hook that does not scan the push"
	exit 1
fi

res=$work/results.tsv
: >"$res"
r=0
set -- hook hook0 logp loghook pushhook pushplain
[ -z "$alt" ] || set -- "$@" hookalt hookalt0
while [ "$r" -lt "$runs" ]; do
	for t in "$@"; do
		m=$("${t}_run" 2>>"$work/err")
		printf '%s\t%s\n' "$t" "$(echo "$m" | tr ' ' '\t')" >>"$res"
	done
	first=$1
	shift
	set -- "$@" "$first"
	r=$((r + 1))
done

awk -F'\t' -v commits="$commits" -v bytes="$bytes" -v bytes0="$bytes0" \
    -v budget="$budget" -v runs="$runs" '
{
	t[$1] = t[$1] " " $2; if ($3 > rss[$1]) rss[$1] = $3; ex[$1] = $4
	at[$1, ++nrun[$1]] = $2
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
	name["hook"] = "hook/pre-receive (all commits)"
	name["hookalt"] = "BENCH_HOOK_ALT (all commits)"
	name["hookalt0"] = "BENCH_HOOK_ALT, nothing new"
	name["hook0"] = "hook, nothing new (fixed cost)"
	name["logp"] = "git log -p (same commits)"
	name["loghook"] = "git log as the hook runs it"
	name["pushhook"] = "git push, with the hook"
	name["pushplain"] = "git push, no hook"
	printf "\npre-receive: %d commits, git log -p %.1f MiB (the hook'"'"'s -U0 log: %.1f MiB); medians of %d runs\n",
	    commits, bytes / 1048576, bytes0 / 1048576, runs
	printf "| %-32s | %9s | %10s |\n", "what", "median s", "hook ÷ it"
	printf "|%s|%s|%s|\n", "----------------------------------", "----------:", "-----------:"
	h = median(t["hook"])
	nk = split("hook hookalt hook0 hookalt0 logp loghook pushhook pushplain", k, " ")
	for (i = 1; i <= nk; i++) {
		if (!(k[i] in t))
			continue
		m = median(t[k[i]])
		printf "| %-32s | %9.3f | %10.2f |%s\n", name[k[i]], m, h / m,
		    ex[k[i]] != 0 ? " exit " ex[k[i]] : ""
	}
	lp = median(t["logp"])
	h0 = median(t["hook0"])
	# Also the median of the ratio within each round: the two ran moments
	# apart, so load that comes and goes cancels out.
	for (r = 1; r <= nrun["hook"]; r++) {
		pr = pr " " at["hook", r] / at["logp", r]
		if ("hookalt" in t)
			pa = pa " " at["hookalt", r] / at["logp", r]
	}
	printf "\n  %-34s %6.2f  (limit 1.1)  %s; per round: median %.2f\n",
	    "hook ÷ git log -p", h / lp, h / lp <= 1.1 ? "met" : "NOT met",
	    median(pr)
	if ("hookalt" in t)
		printf "  %-34s %6.2f  per round: median %.2f\n",
		    "BENCH_HOOK_ALT ÷ git log -p", median(t["hookalt"]) / lp,
		    median(pa)
	printf "  %-34s %6.0f commits/s, %.1f MB/s of git log -p (%.1f MB/s of -U0 log)\n",
	    "hook throughput", commits / h, bytes / 1e6 / h, bytes0 / 1e6 / h
	printf "  %-34s %6.3f s\n", "hook fixed cost (nothing new)", h0
	# Fixed cost, then this run'"'"'s cost per commit and per byte.
	per = h > h0 ? (h - h0) / commits : h / commits
	n = (budget - h0) / per
	printf "  %-34s about %d commits like these, %.0f MiB of git log -p\n",
	    budget " s budget at this rate", n, n * bytes / commits / 1048576
}' "$res"
