#!/bin/sh
# sasguard-ci.sh - what CI runs: the inventory of every SAS token in the
# whole history of a repository, in the format the platform takes. The
# GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab/sasguard.yml) both run this script; tests/ci.t runs it on
# local repositories.
#
# usage: ci/sasguard-ci.sh [--format sarif|gitlab|json|csv|table]
#            [--output FILE] [--config FILE] [--no-fail] [REPO...]
#
#   --format   what to write (default sarif)
#   --output   where (default: sasguard.sarif, gl-secret-detection-report.json
#              for gitlab, sasguard.FORMAT otherwise)
#   --config   a rules file (INI) layered over the built-in rules
#   --no-fail  exit 0 even when a live token breaks a blocking rule
#   REPO       repositories to read (default: the current one)
#
# The sasguard binary: $SASGUARD when set, else sasguard on PATH, else the
# one this script's source tree builds (its dependencies installed first
# with install.sh --deps).
#
# CI clones are shallow by default, and a shallow history hides the
# tokens of older commits: each REPO that is shallow is deepened with
# "git fetch --unshallow" first, and if that fails the run fails (exit 2)
# rather than report an inventory of part of the history.
#
# Exit status: 0 no live token breaks a blocking rule (or --no-fail),
# 1 one does, 2 anything failed.
set -u

me=sasguard-ci
here=$(cd "$(dirname "$0")" && pwd -P)
format=sarif
output=
config=
fail=yes

die() {
	echo "$me: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--format) [ $# -ge 2 ] || die "--format wants a value"; format=$2; shift 2 ;;
	--output) [ $# -ge 2 ] || die "--output wants a file"; output=$2; shift 2 ;;
	--config) [ $# -ge 2 ] || die "--config wants a file"; config=$2; shift 2 ;;
	--no-fail) fail=no; shift ;;
	--help | -h) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1'" ;;
	*) break ;;
	esac
done
case $format in
sarif | gitlab | json | csv | table) ;;
*) die "unknown format '$format' (known: sarif, gitlab, json, csv, table)" ;;
esac
if [ -z "$output" ]; then
	case $format in
	gitlab) output=gl-secret-detection-report.json ;;
	*) output=sasguard.$format ;;
	esac
fi
[ $# -gt 0 ] || set -- .

# The binary.
bin=${SASGUARD:-}
if [ -z "$bin" ] && command -v sasguard >/dev/null 2>&1; then
	bin=$(command -v sasguard)
fi
if [ -z "$bin" ]; then
	top=$(dirname "$here")
	[ -f "$top/Makefile" ] || die "no sasguard: set SASGUARD, put it on PATH, or run this script from sasguard's source tree"
	echo "$me: building sasguard in $top" >&2
	(cd "$top" && sh ./install.sh --deps >&2 && make sasguard >&2) ||
	    die "cannot build sasguard in $top"
	bin=$top/sasguard
fi
[ -x "$bin" ] || die "'$bin' is not an executable"

# The whole history, or nothing.
for repo in "$@"; do
	shallow=$(git -C "$repo" rev-parse --is-shallow-repository 2>/dev/null) ||
	    die "'$repo' is not a git repository"
	if [ "$shallow" = true ]; then
		echo "$me: '$repo' is a shallow clone: fetching its whole history" >&2
		git -C "$repo" fetch --quiet --unshallow --tags >&2 ||
		    die "cannot fetch the whole history of '$repo'; the inventory needs it (GitHub: actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: 0)"
	fi
done

set -- inventory --quiet ${config:+--config "$config"} "$@"
"$bin" "$@" --format "$format" >"$output"
status=$?
case $status in
0) echo "$me: wrote $output: no live token breaks a blocking rule" >&2 ;;
1)
	echo "$me: wrote $output: a live SAS token breaks a blocking rule" >&2
	[ "$fail" = no ] && status=0 ;;
*) echo "$me: sasguard inventory failed (exit $status); $output may be incomplete" >&2
	status=2 ;;
esac
exit "$status"
