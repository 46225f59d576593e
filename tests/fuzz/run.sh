#!/bin/sh
# run.sh BUILD SECONDS TARGET... - for each libFuzzer target BUILD/fuzz-T:
# replay every input in tests/fuzz/regressions/T/ (each once crashed it),
# then fuzz for SECONDS from a corpus seeded by tests/fuzz/seeds/T/ and
# the test fixtures. A crash is copied into tests/fuzz/regressions/T/, so
# that it is replayed by every later `make check`, and fails the run.
# Prints one line per target: runs, seconds, corpus size.
set -u
build=$1 seconds=$2
shift 2
failed=0

# seed T DIR: copy the fixtures a target understands into its corpus.
seed() {
	for f in tests/fuzz/seeds/"$1"/*; do
		[ -f "$f" ] && cp "$f" "$2/"
	done
	case $1 in
	diff|scan|sas)
		for f in tests/fixtures/*/*.diff tests/fixtures/*/*.patch \
		    ../shared/cases/msleak/*.diff; do
			[ -f "$f" ] && cp "$f" "$2/$(printf %s "$f" | tr / _)"
		done ;;
	rules)
		for f in tests/fixtures/rules/*.ini rules/default.ini; do
			[ -f "$f" ] && cp "$f" "$2/$(printf %s "$f" | tr / _)"
		done ;;
	esac
	if [ "$1" = sas ] && [ -f ../shared/reference/vectors.tsv ]; then
		awk -F '\t' 'NR > 1 { print $4 > (dir "/vector-" $1) }' \
		    dir="$2" ../shared/reference/vectors.tsv
	fi
	return 0
}

for t in "$@"; do
	bin=$build/fuzz-$t corpus=$build/corpus/$t art=$build/artifacts/$t
	regr=tests/fuzz/regressions/$t
	mkdir -p "$corpus" "$art"
	set -- "$regr"/*
	if [ -f "$1" ]; then
		if ! "$bin" -runs=1 "$@" > "$build/$t.replay.log" 2>&1; then
			echo "fuzz $t: a regression input crashes again:"
			tail -n 30 "$build/$t.replay.log"
			failed=1
			continue
		fi
		echo "fuzz $t: replayed $# regression inputs, no crash"
	fi
	seed "$t" "$corpus"
	# Short inputs run fast; long lines are the hostile tests' job.
	case $t in
	date) max=64 ;; rules|sas) max=4096 ;; scan) max=16384 ;; *) max=65536 ;;
	esac
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -max_len="$max" -print_final_stats=1 -artifact_prefix="$art/" \
	    "$corpus" > "$build/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log")
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
	    "$build/$t.log")
	echo "fuzz $t: ${runs:-?} runs in ${secs:-?} s," \
	    "corpus $(ls "$corpus" | wc -l) inputs, exit $rc"
	if [ "$rc" != 0 ]; then
		mkdir -p "$regr"
		for a in "$art"/*; do
			[ -f "$a" ] || continue
			cp "$a" "$regr/" && echo "fuzz $t: saved $regr/${a##*/}"
		done
		grep -A 20 'ERROR\|runtime error\|deadly signal' \
		    "$build/$t.log" | head -n 40
		failed=1
	fi
done
exit "$failed"
