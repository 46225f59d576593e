#!/bin/sh
# Runs shellcheck on the hooks, the installer, CI, the benchmark scripts
# and every shell test: each file is one test, and its findings are shown
# when it fails. Warnings and errors count; style notes do not (the tests'
# "cmd; ok $? ..." is the house idiom SC2181 dislikes), nor SC1091 (tap.sh
# is found through $0 at run time).
. "$(dirname "$0")/lib/tap.sh"
if ! command -v shellcheck > /dev/null 2>&1; then
	skip "shellcheck" "not installed (./install.sh --deps installs it)"
	done_testing
	exit
fi
for f in hook/pre-commit hook/pre-receive hook/commit-msg install.sh .ci/run \
    ci/*.sh pkg/*.sh tests/*.t \
    tests/e2e/*.t tests/e2e/lib.sh tests/lib/tap.sh tests/fuzz/run.sh \
    bench/bench.sh bench/prereceive.sh; do
	[ -f "$f" ] || continue
	# A sourced library has no shebang, and uses what its user sets.
	case $f in
	tests/e2e/lib.sh | tests/lib/tap.sh) set -- -s sh -e SC2154 ;;
	*) set -- ;;
	esac
	out=$(shellcheck -S warning -e SC1091 "$@" "$f" 2>&1)
	rc=$?
	ok "$rc" "shellcheck $f"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/#   /' | head -n 40
done
done_testing
