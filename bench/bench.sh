#!/bin/sh
# bench.sh - sasguard against cat, wc -l, grep -F and ripgrep on the same
# files, in one go (issue 15). Run by "make bench"; see PERFORMANCE.md.
#
# The main corpus is real text: bench/history.py builds a git history out
# of this machine's C headers, Python and Perl libraries (edits, renames,
# deletions, merges, resolved conflicts), and the corpus is its `git log
# -p`, cut at a commit boundary to BENCH_SIZE. The same text with a
# made-up token planted every 4 MiB is the second. Generated text
# (bench/gen) only where real text has no such shape: one 256 MiB line,
# and a 5 KB diff (start-up cost).
#
#   BENCH_SIZE     size of the real corpora (default 1G; K, M, G suffixes)
#   BENCH_LINE     size of the single-line corpus (default 256M)
#   BENCH_RUNS     rounds on the big corpora (default 7)
#   BENCH_SMALL_RUNS rounds on the 5 KB diff (default 101)
#   BENCH_CACHE    where corpora go (default bench/.cache, git-ignored)
#   BENCH_KEEP=1   keep the big corpora afterwards (default: deleted; the
#                  git history they come from is kept)
#   BENCH_INSTALL=0  do not try to install ripgrep (apt-get)
#   BENCH_ALT      a second sasguard binary, measured beside ./sasguard
#   BENCH_PRERECEIVE=0  skip the pre-receive part (bench/prereceive.sh)
#
# Before any timing, bench/diffcheck and bench/diffcheck-sse2 check the
# reader (both paths) on 32 MiB of each real corpus: the bench stops if it
# hands on other lines than the reference reader and diff.h say.
#
# Each round runs every tool once, in a rotating order (A B C, B C A, ...),
# so drift hits all alike; times are wall clock around fork/exec/wait,
# peak RSS from wait4() (bench/measure), every tool's output to a pipe
# that measure drains (GNU grep stops at the first match when its output
# is /dev/null). A ratio is the median over rounds of the two tools' times
# in the same round. Every file is read once first: all runs see it in
# the page cache.
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/.." && pwd)
size=${BENCH_SIZE:-1G}
line_size=${BENCH_LINE:-256M}
runs=${BENCH_RUNS:-7}
small_runs=${BENCH_SMALL_RUNS:-101}
cache=${BENCH_CACHE:-$here/.cache}
now=@1710000000		# fixed, so verdicts do not depend on the day
measure=$here/measure
gen=$here/gen
sasguard=$top/sasguard

mkdir -p "$cache"
results=$cache/results.tsv
: >"$results"

note() { printf 'bench: %s\n' "$*" >&2; }

bytes_of() {	# SIZE with suffix -> bytes
	case $1 in
	*[Gg]) echo $(( ${1%?} * 1073741824 )) ;;
	*[Mm]) echo $(( ${1%?} * 1048576 )) ;;
	*[Kk]) echo $(( ${1%?} * 1024 )) ;;
	*) echo "$1" ;;
	esac
}
nbytes=$(bytes_of "$size")

# ---- Room on disk: two corpora, the line, the history (about the size of
# the corpus, packed), and room for git to work.
need=$(( (nbytes * 3 + $(bytes_of "$line_size")) / 1048576 + 1024 ))
avail=$(df -Pm "$cache" | awk 'NR == 2 { print $4 }')
if [ "$avail" -lt "$need" ]; then
	note "need about $need MiB free in $cache, have $avail MiB: try BENCH_SIZE=256M or BENCH_CACHE=/bigger/disk"
	exit 1
fi
command -v python3 >/dev/null 2>&1 || {
	note "python3 is needed to build the history (bench/history.py)"
	exit 1
}

# ---- Peers: ripgrep installed if missing and reachable, else skipped.
have() { command -v "$1" >/dev/null 2>&1; }
sudo=
[ "$(id -u)" = 0 ] || sudo="sudo -n"
if ! have rg && [ "${BENCH_INSTALL:-1}" = 1 ] && have apt-get; then
	note "installing ripgrep (apt-get)"
	$sudo apt-get install -y -qq ripgrep >/dev/null 2>&1 ||
	    note "ripgrep: cannot install it here (offline or no root): skipped"
fi

# ---- Corpora, kept in the cache while their makers are the same ---------
hstamp=$(cksum <"$here/history.py" | cut -d" " -f1)
gstamp=$(cksum <"$here/gen.c" | cut -d' ' -f1)
# The history: its log -p a little longer than the corpus (the first
# commit, an import of part of the tree, is older than the cut).
repo=$cache/history-$size-$hstamp.git
if ! [ -f "$repo/ok" ]; then
	note "building a git history of real text ($size of git log -p; minutes)"
	rm -rf "$repo"
	git init -q --bare "$repo"
	# A pipeline's status is its last command's: the generator's own
	# failure is kept in a file, so a history cut short is no corpus.
	{ python3 "$here/history.py" repo $((nbytes + nbytes / 10)) ||
	    : >"$repo/failed"; } |
	    git -C "$repo" -c core.compression=1 -c pack.compression=1 \
	    fast-import --quiet
	if [ -f "$repo/failed" ]; then
		note "bench/history.py failed: no history, no corpus"
		exit 1
	fi
	git -C "$repo" for-each-ref --format='delete %(refname)' refs/heads/t |
	    git -C "$repo" update-ref --stdin
	: >"$repo/ok"
fi
real() {	# NAME [TOKEN_MIB]
	f=$cache/$1-$size-$hstamp.diff
	if ! [ -s "$f" ]; then
		note "writing $1 ($size of git log -p)"
		git -C "$repo" -c diff.renames=true log -p main |
		    python3 "$here/history.py" cut "$nbytes" ${2:-} >"$f.tmp"
		# A corpus much smaller than asked would be measured under its
		# name: refuse it (the history ran out of text). The history's
		# own size is an estimate: the table prints the real one.
		if [ "$(wc -c <"$f.tmp")" -lt $((nbytes - nbytes / 4)) ]; then
			note "$1: git log -p of the history is shorter than $size"
			exit 1
		fi
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}
generated() {	# NAME MODE SIZE
	f=$cache/$1-$3-$gstamp.diff
	if ! [ -s "$f" ]; then
		note "generating $1 ($3)"
		"$gen" "$2" "$3" >"$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}
clean=$(real real)
tokens=$(real real-tokens 4)
oneline=$(generated line line "$line_size")
small=$(generated small diff 5K)
for f in "$clean" "$tokens" "$oneline" "$small"; do
	[ -s "$f.comp" ] || "$here/composition" "$f" >"$f.comp"
done

# ---- First, the reader is right on this text --------------------------
# bench/diffcheck (the reader against the one it replaced, and against
# what diff.h promises; AVX2 where the processor has it) and
# bench/diffcheck-sse2 (the SSE2-only path) on the first 32 MiB of the
# real corpus and of the one with tokens: a faster reader that hands on
# other lines is not measured.
head -c 33554432 "$clean" >"$cache/check.diff"
head -c 33554432 "$tokens" >"$cache/check-tokens.diff"
for dc in "$here/diffcheck" "$here/diffcheck-sse2"; do
	[ -x "$dc" ] || continue
	if ! "$dc" "$cache/check.diff" "$cache/check-tokens.diff" \
	    >"$cache/diffcheck.out" 2>&1; then
		grep DIFFERENT "$cache/diffcheck.out" >&2
		note "$(basename "$dc"): the reader disagrees on this text: not measured"
		exit 1
	fi
	note "$(basename "$dc"): $(grep -c '^same' "$cache/diffcheck.out") checks agree on 32 MiB of each real corpus"
done
rm -f "$cache/check.diff" "$cache/check-tokens.diff"

# ---- Running ------------------------------------------------------------
# TOOL_run FILE prints measure's line: seconds, peak RSS KiB, exit status.
sasguard_run() { "$measure" -o '|' "$sasguard" --now "$now" "$1"; }
alt_run() { "$measure" -o '|' "$BENCH_ALT" --now "$now" "$1"; }
cat_run() { "$measure" -o '|' cat "$1"; }
# The floor for any reader that must see where every line starts (to know
# which lines are added, and their numbers): finding the line ends alone.
wcl_run() { LC_ALL=C "$measure" -o '|' wc -l "$1"; }
grepF_run() { LC_ALL=C "$measure" -o '|' grep -F -c sig= "$1"; }
rg_run() { "$measure" -o '|' rg --no-mmap -F -c sig= "$1"; }

# The floor (bench/floor.c): lib/diff.c's own block masks over the same
# bytes, with nothing else done; line ends alone, then with the hints,
# then all that the block reader makes of a block.
floor_lines_run() { "$measure" -o '|' "$here/floor" lines "$1"; }
floor_hints_run() { "$measure" -o '|' "$here/floor" hints "$1"; }
floor_masks_run() { "$measure" -o '|' "$here/floor" masks "$1"; }

tools="sasguard cat wcl grepF"
[ -n "${BENCH_ALT:-}" ] && tools="sasguard alt cat wcl grepF"
have rg && tools="$tools rg"
"$here/floor" lines /dev/null >/dev/null 2>&1 &&
    tools="$tools floor_lines floor_hints floor_masks"

bench_corpus() {	# LABEL FILE RUNS
	label=$1 file=$2 n=$3
	fsize=$(wc -c <"$file")
	cat "$file" >/dev/null
	set -- $tools
	r=0
	while [ "$r" -lt "$n" ]; do
		for t in "$@"; do
			m=$(${t}_run "$file" 2>"$cache/err.$t") || m="nan 0 127"
			printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$fsize" "$t" "$r" \
			    "$(echo "$m" | tr ' ' '\t')" >>"$results"
		done
		first=$1
		shift
		set -- "$@" "$first"
		r=$((r + 1))
	done
	printf '%s\t%s\n' "$label" "$(cat "$file.comp")" >>"$cache/comp.tsv"
}

: >"$cache/comp.tsv"
note "corpora in $cache; $runs rounds each ($small_runs on the 5 KB diff)"
bench_corpus "real $size" "$clean" "$runs"
bench_corpus "real $size, a token every 4 MiB" "$tokens" "$runs"
bench_corpus "one ${line_size} line (generated)" "$oneline" "$runs"
bench_corpus "5 KB diff (generated)" "$small" "$small_runs"

# ---- The table ------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
simd=$(grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo AVX2 || echo "no AVX2")
printf '\nmachine: %s (%s), %s cores, %s GiB RAM, %s; git %s\n' \
    "${cpu:-unknown cpu}" "$simd" "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%d", $2 / 1048576 + 0.5 }' /proc/meminfo)" \
    "$(uname -sr)" "$(git version | cut -d' ' -f3)"
printf 'real text: git log -p of a history built from %s\n' \
    "/usr/include, /usr/lib/python3.11 (*.py), /usr/share/perl/5.36, /usr/share/perl5 (bench/history.py)"
awk -F'\t' -v comps="$cache/comp.tsv" '
function median(s,    n, i, j, t, a) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
BEGIN {
	while ((getline l < comps) > 0) {
		split(l, f, "\t")
		comp[f[1]] = f[2]
	}
}
{
	key = $1 SUBSEP $3
	if (!(key in times)) {
		order[++norder] = key
		if (!($1 in seen)) { corpora[++ncorp] = $1; seen[$1] = 1 }
	}
	times[key] = times[key] " " $5
	at[$1, $3, $4] = $5
	rounds[$1] = $4 + 1
	size[$1] = $2
	if ($6 + 0 > rss[key] + 0) rss[key] = $6
	if ($7 + 0 >= 2 && $3 !~ /^(grepF|rg)$/) bad[key] = " (exit " $7 ")"
}
# The median over rounds of sasguard / tool in the same round.
function ratio(corp, tool,    r, s) {
	s = ""
	for (r = 0; r < rounds[corp]; r++)
		if ((corp, tool, r) in at && at[corp, tool, r] > 0)
			s = s " " at[corp, "sasguard", r] / at[corp, tool, r]
	return median(s)
}
function kv(c, k,    n, i, a, b) {
	n = split(comp[c], a, " ")
	for (i = 1; i <= n; i++) {
		split(a[i], b, "=")
		if (b[1] == k) return b[2]
	}
	return 0
}
END {
	name["sasguard"] = "sasguard FILE"; name["alt"] = "sasguard (BENCH_ALT)"
	name["cat"] = "cat FILE"; name["wcl"] = "wc -l FILE"
	name["grepF"] = "grep -F -c sig= FILE"
	name["rg"] = "rg --no-mmap -F -c sig= FILE"
	name["floor_lines"] = "floor: line ends"
	name["floor_hints"] = "floor: line ends, hints"
	name["floor_masks"] = "floor: all block masks"
	for (c = 1; c <= ncorp; c++) {
		corp = corpora[c]
		printf "\n%s: %.1f MiB, %d lines, %d commits (%d merges), %d hunks; %d added lines; %d \"=\" per MiB; hint lines per GiB: %d (two bytes), %d (three); longest line %d bytes\n",
		    corp, size[corp] / 1048576, kv(corp, "lines"), kv(corp, "commits"),
		    kv(corp, "merges"), kv(corp, "hunks"), kv(corp, "added"),
		    kv(corp, "eq_per_mib"), kv(corp, "hint2_per_gib"),
		    kv(corp, "hint3_per_gib"), kv(corp, "longest")
		printf "| %-30s | %9s | %8s | %10s | %14s |\n", "tool", "median s",
		    "MB/s", "peak RSS", "sasguard ÷ it"
		printf "|%s|%s|%s|%s|%s|\n", "--------------------------------",
		    "----------:", "---------:", "-----------:", "---------------:"
		for (k = 1; k <= norder; k++) {
			split(order[k], kk, SUBSEP)
			if (kk[1] != corp) continue
			m = median(times[order[k]])
			med[corp, kk[2]] = m
			rt[corp, kk[2]] = ratio(corp, kk[2])
			printf "| %-30s | %9.4f | %8.0f | %6.1f MiB | %14.2f |%s\n",
			    name[kk[2]], m, size[corp] / 1e6 / m,
			    rss[order[k]] / 1024, rt[corp, kk[2]], bad[order[k]]
			if (kk[2] == "sasguard") srss[corp] = rss[order[k]]
		}
	}
	for (c = 1; c <= ncorp; c++) {
		if (corpora[c] ~ /^real/ && corpora[c] !~ /token/) cl = corpora[c]
		if (corpora[c] ~ /token/) tk = corpora[c]
		if (corpora[c] ~ /^5 KB/) sm = corpora[c]
	}
	print ""
	print "targets (issue 15; ratios are medians of per-round ratios):"
	t(rt[cl, "grepF"], 1.0, "real: sasguard ÷ grep -F -c sig=")
	if ((cl, "rg") in rt)
		t(rt[cl, "rg"], 1.0, "real: sasguard ÷ rg -F (the moonshot)")
	printf "  %-44s %8.2f  (finding line ends alone)\n",
	    "real: wc -l ÷ grep -F -c sig=", med[cl, "wcl"] / med[cl, "grepF"]
	if ((cl, "floor_masks") in med) {
		printf "  %-44s %8.2f  (the floor: the block masks alone)\n",
		    "real: floor masks ÷ grep -F -c sig=",
		    med[cl, "floor_masks"] / med[cl, "grepF"]
		printf "  %-44s %8.2f  (line ends and hints alone)\n",
		    "real: floor hints ÷ grep -F -c sig=",
		    med[cl, "floor_hints"] / med[cl, "grepF"]
	}
	t(med[tk, "sasguard"] / med[cl, "sasguard"], 1.2,
	    "a token every 4 MiB ÷ clean (sasguard)")
	worst = 0
	for (c = 1; c <= ncorp; c++)
		if (srss[corpora[c]] > worst) worst = srss[corpora[c]]
	t(worst / 1024, 8.0, "peak RSS of sasguard on any corpus, MiB")
	t(rt[sm, "cat"], 1.5, "5 KB diff: sasguard ÷ cat")
}
function t(v, lim, what) {
	printf "  %-44s %8.2f  (limit %.1f)  %s\n", what, v, lim,
	    v <= lim ? "met" : "NOT met"
}' "$results"

if [ "${BENCH_PRERECEIVE:-1}" = 1 ]; then
	sh "$here/prereceive.sh"
fi

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -f "$clean" "$tokens" "$oneline"
	note "big corpora deleted (BENCH_KEEP=1 keeps them; the history stays)"
fi
