#!/bin/sh
# prereceive.sh - the pre-receive path, timed (issue 5): a generated linear
# history of BENCH_COMMITS commits (default 5000, via git fast-import), the
# real hook/pre-receive installed in a bare repository, and
#
#   hook      the hook itself, fed "<zero> <tip> refs/heads/main" in a bare
#             repository that holds every object but no ref: exactly what
#             it does in a push of all the commits, without the transfer;
#   log -p    "git log -p TIP --not --all" in the same repository: the same
#             commits, git's default diff options, written to /dev/null;
#   log hook  the git log command the hook runs (-U0, no renames, ...), alone;
#   push      a real "git push" of all commits to a bare repository with the
#             hook, and to one without (the difference is the hook's cost).
#
# Runs alternate, BENCH_PR_RUNS times each (default 5); medians. Prints the
# ratio hook ÷ log -p (target ≤ 1.1) and how large a push fits the default
# 4 s budget at the measured rate.
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/.." && pwd)
commits=${BENCH_COMMITS:-5000}
runs=${BENCH_PR_RUNS:-5}
cache=${BENCH_CACHE:-$here/.cache}
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

# The server side: objects but no refs, the hook, rules without a time limit
# (so that the time measured is the whole scan, not the budget).
printf '[sasguard]\ntimeout = 0\n' >"$work/rules.ini"
setup_bare() {	# DIR WITH_HOOK
	rm -rf "$1"
	git init -q --bare "$1"
	git -C "$1" config sasguard.path "$top/sasguard"
	git -C "$1" config sasguard.config "$work/rules.ini"
	if [ "$2" = 1 ]; then
		cp "$top/hook/pre-receive" "$1/hooks/pre-receive"
		chmod +x "$1/hooks/pre-receive"
	fi
}
setup_bare "$work/probe.git" 1
git -C "$work/probe.git" fetch -q "$work/client" main:refs/heads/main
git -C "$work/probe.git" update-ref -d refs/heads/main
printf '%s %s refs/heads/main\n' "$zero" "$tip" >"$work/updates"

hook_run() {
	(cd "$work/probe.git" && "$measure" -i "$work/updates" -o "$work/hook.out" \
	    ./hooks/pre-receive)
}
logp_run() {
	"$measure" -o /dev/null git -C "$work/probe.git" log -p "$tip" --not --all
}
loghook_run() {
	"$measure" -o /dev/null git -C "$work/probe.git" -c diff.noprefix=false \
	    log "$tip" --not --all -p -U0 --root --remerge-diff \
	    --format="commit %H" --no-color --no-ext-diff --no-textconv \
	    --no-renames --no-relative --src-prefix=a/ --dst-prefix=b/
}
push_run() {	# WITH_HOOK
	setup_bare "$work/server.git" "$1"
	"$measure" -o /dev/null git -C "$work/client" push -q "$work/server.git" main
}
pushhook_run() { push_run 1; }
pushplain_run() { push_run 0; }

bytes=$(git -C "$work/probe.git" log -p "$tip" --not --all | wc -c)
bytes0=$(git -C "$work/probe.git" log -p -U0 --no-renames "$tip" --not --all | wc -c)
res=$work/results.tsv
: >"$res"
r=0
set -- hook logp loghook pushhook pushplain
while [ "$r" -lt "$runs" ]; do
	for t in "$@"; do
		m=$(${t}_run 2>>"$work/err")
		printf '%s\t%s\n' "$t" "$(echo "$m" | tr ' ' '\t')" >>"$res"
	done
	first=$1
	shift
	set -- "$@" "$first"
	r=$((r + 1))
done

awk -F'\t' -v commits="$commits" -v bytes="$bytes" -v bytes0="$bytes0" '
{ t[$1] = t[$1] " " $2; if ($3 > rss[$1]) rss[$1] = $3; ex[$1] = $4 }
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
	name["logp"] = "git log -p (same commits)"
	name["loghook"] = "git log as the hook runs it"
	name["pushhook"] = "git push, with the hook"
	name["pushplain"] = "git push, no hook"
	printf "\npre-receive: %d commits, git log -p %.1f MiB (-U0: %.1f MiB)\n",
	    commits, bytes / 1048576, bytes0 / 1048576
	printf "| %-32s | %9s | %10s |\n", "what", "median s", "hook ÷ it"
	printf "|%s|%s|%s|\n", "----------------------------------", "----------:", "-----------:"
	h = median(t["hook"])
	split("hook logp loghook pushhook pushplain", k, " ")
	for (i = 1; i <= 5; i++) {
		m = median(t[k[i]])
		printf "| %-32s | %9.3f | %10.2f |%s\n", name[k[i]], m, h / m,
		    ex[k[i]] != 0 ? " exit " ex[k[i]] : ""
	}
	lp = median(t["logp"])
	printf "\n  %-42s %8.2f  (limit 1.1)  %s\n", "hook ÷ git log -p", h / lp,
	    h / lp <= 1.1 ? "met" : "NOT met"
	printf "  4 s budget at this rate: about %d commits like these, %.0f MiB of git log -p\n",
	    4 * commits / h, 4 * bytes / h / 1048576
}' "$res"
