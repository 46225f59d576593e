#!/bin/sh
# bench.sh - sasguard against its peers on the same files, in one go (issue 5).
# Run by "make bench"; see README, "Performance".
#
#   BENCH_SIZE     size of the two diff corpora (default 1G; K, M, G suffixes)
#   BENCH_LINE     size of the single-line corpus (default 256M)
#   BENCH_RUNS     runs per tool on the big corpora (default 5)
#   BENCH_SMALL_RUNS runs per tool on the 5 KB diff (default 101)
#   BENCH_COMMITS  commits in the pre-receive repository (default 5000)
#   BENCH_CACHE    where corpora go (default bench/.cache, git-ignored)
#   BENCH_KEEP=1   keep the big corpora afterwards (default: deleted)
#   BENCH_INSTALL=0  do not try to install git-secrets / secretlint
#   BENCH_ALT      a second sasguard binary, measured beside ./sasguard
#   BENCH_PRERECEIVE=0  skip the pre-receive part
#   BENCH_SECRETLINT_MAX  largest file given to secretlint (default 128M:
#                  it reads a file whole into one string and cannot take 1 GiB)
#
# Each tool runs BENCH_RUNS times per corpus, the tools in a rotating order
# (A B C, B C A, ...), so drift hits all alike; the median counts. Times are
# wall clock around fork/exec/wait, peak RSS from wait4() (bench/measure).
# Every file is read once first so all runs see it in the page cache.
set -eu

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/.." && pwd)
size=${BENCH_SIZE:-1G}
line_size=${BENCH_LINE:-256M}
runs=${BENCH_RUNS:-5}
small_runs=${BENCH_SMALL_RUNS:-101}
cache=${BENCH_CACHE:-$here/.cache}
sl_max=${BENCH_SECRETLINT_MAX:-128M}
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

# ---- Room on disk ---------------------------------------------------------
need=$(( ($(bytes_of "$size") * 2 + $(bytes_of "$line_size")) / 1048576 + 1024 ))
avail=$(df -Pm "$cache" | awk 'NR == 2 { print $4 }')
if [ "$avail" -lt "$need" ]; then
	note "need about $need MiB free in $cache, have $avail MiB: try BENCH_SIZE=256M or BENCH_CACHE=/bigger/disk"
	exit 1
fi

# ---- Peers: installed if missing and reachable, else skipped with a note --
have() { command -v "$1" >/dev/null 2>&1; }
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
if ! have git-secrets && [ "${BENCH_INSTALL:-1}" = 1 ] && have apt-get; then
	note "installing git-secrets (apt-get)"
	$sudo apt-get install -y -qq git-secrets >/dev/null 2>&1 ||
	    { $sudo apt-get update -qq >/dev/null 2>&1 &&
	      $sudo apt-get install -y -qq git-secrets >/dev/null 2>&1; } ||
	    note "git-secrets: cannot install it here (offline or no root)"
fi
secretlint=$cache/npm/node_modules/.bin/secretlint
if ! [ -x "$secretlint" ] && [ "${BENCH_INSTALL:-1}" = 1 ] && have npm; then
	note "installing secretlint (npm, into $cache/npm)"
	mkdir -p "$cache/npm"
	(cd "$cache/npm" && [ -f package.json ] || echo '{"private":true}' >package.json)
	npm install --prefix "$cache/npm" --no-audit --no-fund --silent \
	    secretlint @secretlint/secretlint-rule-pattern >/dev/null 2>&1 ||
	    note "secretlint: cannot install it here (offline?)"
fi

# The same SAS shape for every regex tool: "sig" then "=" (plain or
# percent-encoded) and at least 43 base64 characters, as sasguard needs.
pcre='[Ss][Ii][Gg](=|%3[Dd])[A-Za-z0-9%+/]{43,}'
ere='[Ss][Ii][Gg](=|%3[Dd])[A-Za-z0-9%+/]{43,}'

# git-secrets scans files with git grep against its registered patterns.
gsdir=$cache/git-secrets-repo
if have git-secrets; then
	rm -rf "$gsdir"
	git init -q "$gsdir"
	git -C "$gsdir" secrets --add "$ere" >/dev/null
fi
if [ -x "$secretlint" ]; then
	cat >"$cache/npm/.secretlintrc.json" <<EOF
{ "rules": [ { "id": "@secretlint/secretlint-rule-pattern",
  "options": { "patterns": [ { "name": "Azure SAS signature",
    "pattern": "/$pcre/" } ] } } ] }
EOF
fi

# ---- Corpora (generated once, kept in the cache while the generator is the same)
stamp=$(cksum <"$here/gen.c" | cut -d' ' -f1)
corpus() {	# NAME MODE SIZE
	f=$cache/$1-$3-$stamp.diff
	if ! [ -s "$f" ]; then
		note "generating $1 ($3)"
		"$gen" "$2" "$3" >"$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}
clean=$(corpus clean diff "$size")
tokens=$(corpus tokens tokens "$size")
small=$(corpus small diff 5K)
oneline=$(corpus line line "$line_size")

# ---- Running ----------------------------------------------------------------
# Each tool is a shell function TOOL_run FILE OUT that prints measure's line.
sasguard_run() { "$measure" -o "$2" "$sasguard" --now "$now" "$1"; }
cat_run() { "$measure" cat "$1"; }
# The floor for any reader that must see where every line starts (to know
# which lines are added, and their numbers): finding the line ends alone.
wcl_run() { LC_ALL=C "$measure" -o "$2" wc -l "$1"; }
# grep writes its count to a file: with /dev/null as output GNU grep stops at
# the first match, which would not be a fair count.
grepF_run() { LC_ALL=C "$measure" -o "$2" grep -F -c sig= "$1"; }
grepP_run() { LC_ALL=C "$measure" -o "$2" grep -P -c "$pcre" "$1"; }
gitsecrets_run() {
	(cd "$gsdir" && "$measure" -o "$2" git secrets --scan "$1")
}
secretlint_run() {
	(cd "$cache/npm" && "$measure" -o "$2" "$secretlint" --no-color \
	    --secretlintrc .secretlintrc.json "$1")
}

# BENCH_ALT=/path/to/sasguard: a second build measured beside the first
# (e.g. one built from another commit).
alt_run() { "$measure" -o "$2" "$BENCH_ALT" --now "$now" "$1"; }

tools="sasguard cat wcl grepF grepP"
[ -n "${BENCH_ALT:-}" ] && tools="sasguard alt cat wcl grepF grepP"
have git-secrets && tools="$tools gitsecrets"
[ -x "$secretlint" ] && tools="$tools secretlint"

bench_corpus() {	# LABEL FILE RUNS
	label=$1 file=$2 n=$3
	fsize=$(wc -c <"$file")
	cat "$file" >/dev/null
	set -- $tools
	r=0
	while [ "$r" -lt "$n" ]; do
		# rotate: run r starts with tool (r mod count)
		k=$(( r % $# ))
		i=0 order=
		for t in "$@"; do
			if [ "$i" -lt "$k" ]; then rest="${rest:-} $t"; else order="$order $t"; fi
			i=$((i + 1))
		done
		order="$order ${rest:-}"
		rest=
		for t in $order; do
			if [ "$t" = secretlint ] && [ "$fsize" -gt "$(bytes_of "$sl_max")" ]; then
				continue
			fi
			# grep -w on one 256 MiB line: 65 s and 2 GiB RSS per run
			# (measured); once is enough to show it.
			if [ "$t" = gitsecrets ] && [ "$label" = "one ${line_size} line" ] &&
			    [ "$r" -gt 0 ]; then
				continue
			fi
			m=$(${t}_run "$file" "$cache/out.$t" 2>"$cache/err.$t") ||
			    m="nan 0 127"
			printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$fsize" "$t" "$r" \
			    "$(echo "$m" | tr ' ' '\t')" >>"$results"
		done
		r=$((r + 1))
	done
}

note "corpora in $cache; $runs runs each ($small_runs on the 5 KB diff)"
bench_corpus "clean $size" "$clean" "$runs"
bench_corpus "tokens every 4 MiB, $size" "$tokens" "$runs"
bench_corpus "one ${line_size} line" "$oneline" "$runs"
bench_corpus "5 KB diff" "$small" "$small_runs"

# ---- The table ----------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
printf '\nmachine: %s, %s cores, %s GiB RAM, %s\n' "${cpu:-unknown cpu}" \
    "$(nproc)" "$(awk '/MemTotal/ { printf "%d", $2 / 1048576 + 0.5 }' /proc/meminfo)" \
    "$(uname -sr)"
awk -F'\t' -v sl_max="$sl_max" '
function median(key,    n, i, j, t, a) {
	n = split(times[key], a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	key = $1 SUBSEP $3
	if (!(key in times)) {
		order[++norder] = key
		if (!($1 in seen)) { corpora[++ncorp] = $1; seen[$1] = 1 }
	}
	times[key] = times[key] " " $5
	size[$1] = $2
	if ($6 + 0 > rss[key] + 0) rss[key] = $6
	exits[key] = $7
}
END {
	name["sasguard"] = "sasguard"; name["cat"] = "cat FILE > /dev/null"
	name["alt"] = "sasguard (BENCH_ALT)"
	name["grepF"] = "grep -F -c sig="; name["grepP"] = "grep -P -c SAS"
	name["wcl"] = "wc -l (line ends only)"
	name["gitsecrets"] = "git secrets --scan (SAS)"
	name["secretlint"] = "secretlint (SAS pattern)"
	for (c = 1; c <= ncorp; c++) {
		corp = corpora[c]
		printf "\n%s (%.1f MiB)\n", corp, size[corp] / 1048576
		printf "| %-26s | %10s | %10s | %11s | %12s |\n", "tool", "median s",
		    "MB/s", "peak RSS", "sasguard ÷ it"
		printf "|%s|%s|%s|%s|%s|\n", "----------------------------",
		    "-----------:", "-----------:", "------------:", "-------------:"
		s = median(corp SUBSEP "sasguard")
		for (k = 1; k <= norder; k++) {
			split(order[k], kk, SUBSEP)
			if (kk[1] != corp) continue
			m = median(order[k])
			bad = ""
			if (exits[order[k]] >= 2 && kk[2] !~ /^grep/)
				bad = " (exit " exits[order[k]] ")"
			printf "| %-26s | %10.4f | %10.0f | %7.1f MiB | %12.2f%s |\n",
			    name[kk[2]], m, size[corp] / 1e6 / m,
			    rss[order[k]] / 1024, s / m, bad
			med[corp, kk[2]] = m
			if (kk[2] == "sasguard") srss[corp] = rss[order[k]]
		}
	}
	print ""
	print "targets (issue 5):"
	for (c = 1; c <= ncorp; c++) {
		if (corpora[c] ~ /^clean/) cl = corpora[c]
		if (corpora[c] ~ /^tokens/) tk = corpora[c]
		if (corpora[c] ~ /^5 KB/) sm = corpora[c]
	}
	t(med[cl, "sasguard"] / med[cl, "grepF"], 1.0, "clean: sasguard ÷ grep -F -c sig=")
	t(med[cl, "sasguard"] / med[cl, "cat"], 3.0, "clean: sasguard ÷ cat")
	printf "  %-42s %8.2f  (finding line ends alone: the floor for a diff reader)\n",
	    "clean: wc -l ÷ cat", med[cl, "wcl"] / med[cl, "cat"]
	t(med[tk, "sasguard"] / med[cl, "sasguard"], 1.2, "tokens ÷ clean (sasguard)")
	worst = 0
	for (c = 1; c <= ncorp; c++) if (srss[corpora[c]] > worst) worst = srss[corpora[c]]
	t(worst / 1024, 8.0, "peak RSS of sasguard on any corpus, MiB")
	t(med[sm, "sasguard"] / med[sm, "cat"], 1.5, "5 KB diff: sasguard ÷ cat")
	if (sl_max != "") print "  (secretlint runs only on files up to " sl_max ")"
}
function t(v, lim, what) {
	printf "  %-42s %8.2f  (limit %.1f)  %s\n", what, v, lim, v <= lim ? "met" : "NOT met"
}' "$results"

if [ "${BENCH_PRERECEIVE:-1}" = 1 ]; then
	sh "$here/prereceive.sh"
fi

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -f "$clean" "$tokens" "$oneline"
	note "big corpora deleted (BENCH_KEEP=1 keeps them)"
fi
