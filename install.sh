#!/bin/sh
# install.sh - build and install sasguard, and put its git hooks in place.
#
#   ./install.sh                      install missing build deps, build, install
#                                     the binary, the default rules and the hooks
#                                     under PREFIX, then say what to run next
#   ./install.sh --deps               only install missing build deps (quiet
#                                     when nothing is missing)
#   ./install.sh --test-deps          the same, and the test toolchain (for
#                                     make check; never needed on a server)
#   ./install.sh --pre-commit [REPO]  client hooks (pre-commit, commit-msg) for
#                                     one repository (default: the current one)
#   ./install.sh --pre-receive REPO   server hook for a (bare) repository
#   ./install.sh --global             client hooks for every repository of this
#                                     user, via git's global core.hooksPath
#   ./install.sh --uninstall --pre-commit [REPO] | --pre-receive REPO | --global
#
# PREFIX comes from the environment: default /usr/local for root, ~/.local
# otherwise; DESTDIR is honoured by the plain install (a staged install is
# not used by the hook modes). Every hook mode installs the binary first if
# it is missing, is idempotent, honours core.hooksPath, and never destroys an
# existing hook: a hook that is not sasguard's is renamed HOOK.sasguard-chained
# and sasguard's hook runs it (uninstall puts it back). A hooks folder inside
# a work tree (husky, a tracked core.hooksPath) is never written: it would
# ship with the next commit; the installer prints the line to add instead.
set -u

me=install.sh
PREFIX_HINT=${PREFIX:-/usr/local}
say() { printf '%s\n' "$*"; }
err() { printf '%s: %s\n' "$me" "$*" >&2; }
die() {
	err "$*"
	exit 1
}

# Everything below runs from /, with absolute paths: the user the hooks are
# installed for (sudo -u git) may not be allowed into the directory it was
# started from, and git refuses to run in a directory it cannot read.
here=$(cd -P -- "$(dirname -- "$0")" 2>/dev/null && pwd -P) ||
    die "cannot enter my own directory '$(dirname -- "$0")' as user $(id -un): run a copy that user can read (after 'sudo ./install.sh': $PREFIX_HINT/share/sasguard/install.sh)"

if [ -z "${PREFIX:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		PREFIX=/usr/local
	else
		[ -n "${HOME:-}" ] || die "HOME is not set: set PREFIX"
		PREFIX=$HOME/.local
	fi
fi
DESTDIR=${DESTDIR:-}
export PREFIX DESTDIR

# ---------------------------------------------------------------- deps
# What building and running need. Nothing else goes on a production server.
BUILD_PKGS="build-essential libpcre2-dev libinih-dev git"
# What the tests need (install.sh --test-deps, run by make check): prove
# (perl), sanitizers and libFuzzer (clang and its runtimes), valgrind,
# ShellCheck, /usr/bin/time for peak memory, man to render the manual page,
# and for the end-to-end tests the pre-commit framework, a web server for
# git's smart HTTP (lighttpd) and sudo (install.sh run as another user).
TEST_PKGS="perl clang libclang-rt-dev valgrind shellcheck time man-db pre-commit lighttpd sudo"

# missing_debs PKG...: those of the Debian packages not installed.
missing_debs() {
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q 'ok installed'; then
			printf '%s ' "$p"
		fi
	done
}

# as_root CMD...: run as root, with sudo when not root.
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		if [ -t 0 ] && [ -z "${CI:-}" ]; then
			sudo "$@"
		else
			sudo -n "$@"
		fi
	else
		err "need root to run: $*"
		return 1
	fi
}

# apt_install PKG...: install Debian packages, updating the lists once if
# the first try fails. Test packages that start a service (lighttpd) must
# not start it: tests start their own servers, on 127.0.0.1 only. Debian's
# way is a policy-rc.d that says no (invoke-rc.d(8)); one that is there
# already (containers have one) is left as it is.
apt_install() {
	policy=
	if ! [ -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		# shellcheck disable=SC2016 # a script, written as it is
		as_root sh -c 'printf "#!/bin/sh\n# install.sh: no services started\nexit 101\n" >"$1" && chmod 755 "$1"' sh "$policy" ||
		    die "cannot write $policy"
	fi
	rc=0
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install \
	    -y -q "$@" </dev/null; then
		say "$me: retrying after apt-get update"
		if as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
		    </dev/null; then
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install \
			    -y -q "$@" </dev/null || rc=1
		else
			rc=1
		fi
	fi
	[ -z "$policy" ] || as_root rm -f "$policy"
	return "$rc"
}

# deps [test]: install what building needs, and with "test" what the tests
# need; quiet when nothing is missing.
deps() {
	want=$BUILD_PKGS
	[ "${1:-}" != test ] || want="$BUILD_PKGS $TEST_PKGS"
	if [ -f /etc/debian_version ] && command -v dpkg-query >/dev/null 2>&1 &&
	    command -v apt-get >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # a list of package names
		missing=$(missing_debs $want) || exit 1
		[ -n "$missing" ] || return 0
		say "$me: installing missing packages: $missing"
		# shellcheck disable=SC2086
		apt_install $missing && return 0
		# The build needs its packages; tests that lack theirs skip.
		# shellcheck disable=SC2086
		missing=$(missing_debs $BUILD_PKGS) || exit 1
		[ -z "$missing" ] || die "cannot install: $missing"
		err "cannot install every test package; tests that need a missing one skip"
		return 0
	fi
	# Elsewhere: say what is needed if something seems to be missing.
	lack=
	for c in cc make git; do
		command -v "$c" >/dev/null 2>&1 || lack="$lack $c"
	done
	if [ -n "$lack" ]; then
		err "missing:$lack. This is not Debian/Ubuntu: install a C compiler and make,"
		err "PCRE2 and inih (libinih) with their headers and static libraries, and git, then run me again."
		exit 1
	fi
	[ "${1:-}" = test ] || return 0
	for c in perl prove clang valgrind shellcheck man pre-commit lighttpd; do
		command -v "$c" >/dev/null 2>&1 || lack="$lack $c"
	done
	[ -z "$lack" ] || err "not installed:$lack (tests that need them skip)"
	return 0
}

# ---------------------------------------------------------------- binary
build_and_install() {
	[ -f "$here/Makefile" ] ||
	    die "no sasguard to use and no source in $here to build one: run ./install.sh from sasguard's source first (as root: it installs in /usr/local)"
	deps
	say "$me: building sasguard"
	make -C "$here" >/dev/null || die "the build failed: run 'make' in $here to see why"
	make -C "$here" install PREFIX="$PREFIX" DESTDIR="$DESTDIR" >/dev/null ||
	    die "'make install PREFIX=$PREFIX' failed (no write access? set PREFIX)"
	say "$me: installed $DESTDIR$PREFIX/bin/sasguard, rules in $DESTDIR$PREFIX/share/sasguard/default.ini"
}

# ensure_binary: set $bin to an installed sasguard, installing it if missing.
ensure_binary() {
	bin=
	if [ -x "$PREFIX/bin/sasguard" ]; then
		bin=$PREFIX/bin/sasguard
	elif b=$(command -v sasguard 2>/dev/null) && [ -n "$b" ]; then
		bin=$b
	else
		DESTDIR=
		build_and_install
		bin=$PREFIX/bin/sasguard
	fi
	case $bin in
	/*) ;;
	*) d=$(abs_dir "$(dirname -- "$bin")") ||
	    die "cannot find the directory of '$bin'"
	   bin=$d/$(basename -- "$bin") ;;
	esac
}

# on_path: is $bin what "sasguard" on PATH finds?
on_path() {
	b=$(command -v sasguard 2>/dev/null) || return 1
	[ "$b" = "$bin" ]
}

# hook_source KIND: the hook file to copy: from the source tree, from an
# installed copy of this script (PREFIX/share/sasguard/install.sh, beside
# hooks/), or from PREFIX. Called as src=$(hook_source KIND) || exit.
hook_source() {
	for f in "$here/hook/$1" "$here/hooks/$1" "$PREFIX/share/sasguard/hooks/$1"; do
		if [ -f "$f" ]; then
			[ -r "$f" ] || die "cannot read '$f' as user $(id -un)"
			printf '%s\n' "$f"
			return 0
		fi
	done
	die "cannot find the $1 hook (looked in $here/hook and $PREFIX/share/sasguard/hooks)"
}

# has_hook KIND: this sasguard ships a hook of that kind (commit-msg came
# after the others).
has_hook() {
	[ -f "$here/hook/$1" ] || [ -f "$here/hooks/$1" ] ||
	    [ -f "$PREFIX/share/sasguard/hooks/$1" ]
}

# client_hooks: the client hooks to install: pre-commit, and commit-msg
# where this sasguard has it.
client_hooks() {
	printf 'pre-commit '
	! has_hook commit-msg || printf 'commit-msg '
}

# install_client_hooks DIR: every client hook into DIR, each source found
# before anything in DIR changes.
install_client_hooks() {
	for k in $kinds; do
		hook_source "$k" >/dev/null || exit 1
	done
	for k in $kinds; do
		src=$(hook_source "$k") || exit 1
		install_hook "$k" "$1" "$src" "$k"
	done
}

# ---------------------------------------------------------------- hooks
# is_ours FILE KIND: FILE is a sasguard hook of that kind.
is_ours() {
	[ -f "$1" ] && grep -q "^# sasguard-hook: $2\$" "$1" 2>/dev/null
}

# is_framework FILE: FILE is the pre-commit framework's hook script.
is_framework() {
	[ -f "$1" ] && grep -q 'File generated by pre-commit: https://pre-commit.com' "$1" 2>/dev/null
}

# put_file SRC DEST: copy atomically, mode 755.
put_file() {
	t=$(mktemp "$(dirname -- "$2")/.sasguard.XXXXXX") || die "cannot write in $(dirname -- "$2")"
	if cp -- "$1" "$t" && chmod 755 "$t" && mv -f -- "$t" "$2"; then
		return 0
	fi
	rm -f -- "$t"
	die "cannot write '$2'"
}

# install_hook NAME DIR SRC KIND: put SRC at DIR/NAME, keeping what is there.
# The pre-commit framework's hook runs NAME.legacy, the hook it found when
# it was installed ("migration mode"), and "pre-commit install" moves
# whatever else stands at NAME to NAME.legacy. So beside the framework's
# hook sasguard's goes to NAME.legacy: then neither installer wraps the
# other a second time, in whichever order they run, and the framework's
# hook does not end up running itself.
install_hook() {
	name=$1 dir=$2 src=$3 kind=$4
	target=$dir/$name
	mkdir -p -- "$dir" || die "cannot create '$dir'"
	if is_framework "$target"; then
		say "$me: $target is the pre-commit framework's hook, which runs $name.legacy: sasguard's hook goes there"
		target=$dir/$name.legacy
	fi
	chained=$dir/$name.sasguard-chained
	if [ -e "$target" ] || [ -L "$target" ]; then
		if cmp -s -- "$src" "$target"; then
			say "$me: $target: already installed"
			return 0
		elif is_ours "$target" "$kind"; then
			put_file "$src" "$target"
			say "$me: $target: updated"
			return 0
		fi
		if [ -e "$chained" ] || [ -L "$chained" ]; then
			die "both '$target' (not sasguard's) and '$chained' exist: move one away, then run me again"
		fi
		mv -- "$target" "$chained" || die "cannot rename '$target'"
		say "$me: kept your existing hook as $chained; sasguard's hook runs it"
	fi
	put_file "$src" "$target"
	say "$me: installed $target"
}

# uninstall_hook NAME DIR KIND
uninstall_hook() {
	name=$1 dir=$2 kind=$3
	target=$dir/$name
	if is_framework "$target"; then
		target=$target.legacy
	fi
	chained=$dir/$name.sasguard-chained
	if is_ours "$target" "$kind"; then
		rm -f -- "$target" || die "cannot remove '$target'"
		say "$me: removed $target"
		if [ -e "$chained" ] || [ -L "$chained" ]; then
			mv -- "$chained" "$target" || die "cannot rename '$chained'"
			say "$me: restored your earlier hook $target"
		fi
	elif [ -e "$target" ]; then
		say "$me: $target is not sasguard's: left alone"
	else
		say "$me: no sasguard hook at $target"
	fi
}

# abs_dir DIR: DIR as a physical absolute path (it must exist).
abs_dir() {
	(cd -P -- "$1" 2>/dev/null && pwd -P)
}

# git_repo REPO: REPO as an absolute path, or die saying what git said.
git_repo() {
	[ -d "$1" ] || die "'$1' is not a git repository (no such directory)"
	a=$(abs_dir "$1") || die "cannot enter '$1' as user $(id -un)"
	if ! out=$(git -C "$a" rev-parse --git-dir 2>&1 >/dev/null); then
		err "'$1' is not a git repository that user $(id -un) can use; git says:"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		exit 1
	fi
	printf '%s\n' "$a"
}

# hooks_dir REPO: the hooks directory git uses for REPO (core.hooksPath
# honoured), as an absolute path; created unless it is in a work tree.
hooks_dir() {
	h=$(git -C "$1" rev-parse --git-path hooks) || return 1
	case $h in
	/*) ;;
	*) h=$1/$h ;;
	esac
	in_work_tree "$h" || mkdir -p -- "$h" || return 1
	p=$(abs_dir "$h") || p=$h
	printf '%s\n' "$p"
}

# in_work_tree DIR: DIR (or, while it does not exist, its nearest parent)
# is inside a git work tree, not in a .git directory: what is written there
# can be committed. Sets $top to that work tree.
in_work_tree() {
	d=$1
	while ! [ -d "$d" ]; do
		case $d in
		?*/*) d=${d%/*} ;;
		*) return 1 ;;
		esac
	done
	[ "$(git -C "$d" rev-parse --is-inside-work-tree 2>/dev/null)" = true ] || return 1
	top=$(git -C "$d" rev-parse --show-toplevel 2>/dev/null) || return 1
}

# refuse_tracked DIR: DIR is in a work tree: say the lines to add, and stop.
refuse_tracked() {
	d=$1 where=$1
	# husky (v9) points core.hooksPath at .husky/_, made from .husky/HOOK.
	case $d in
	*/.husky/_) where=${d%/_} ;;
	esac
	err "'$d' is inside the work tree of '$top': a hook written there would"
	err "    ship to everyone with the next commit, so I leave it alone. To check"
	err "    commits with sasguard, add this line to $where/pre-commit:"
	err "        sasguard pre-commit || exit"
	if has_hook commit-msg; then
		err "    and this one to $where/commit-msg:"
		# shellcheck disable=SC2016 # the line to print, as it is
		err '        sasguard commit-msg "$1" || exit'
	fi
	err "    (everyone who commits then needs sasguard on PATH: ./install.sh)."
	exit 1
}

global_dir() {
	[ -n "${XDG_CONFIG_HOME:-}" ] || [ -n "${HOME:-}" ] ||
	    die "neither XDG_CONFIG_HOME nor HOME is set: cannot find the global hooks folder"
	printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/sasguard/hooks"
}

# Hooks the global directory forwards to each repository's own hooks, since
# git runs no .git/hooks once core.hooksPath is set: every hook git runs
# from the hooks directory, the server's too (the user may serve bare
# repositories, whose pre-receive and post-receive hooks must keep
# running). Left out: push-to-checkout, whose mere presence changes how a
# non-bare repository takes a push (the installer says so).
FORWARDED="applypatch-msg pre-applypatch post-applypatch pre-merge-commit
prepare-commit-msg commit-msg post-commit pre-rebase post-checkout post-merge
pre-push post-rewrite sendemail-validate post-index-change pre-auto-gc
pre-receive update proc-receive post-receive post-update reference-transaction
p4-changelist p4-prepare-changelist p4-post-changelist p4-pre-submit"

write_forwarder() {
	f=$(mktemp "${TMPDIR:-/tmp}/sasguard-forward.XXXXXX") || die "cannot create a temporary file"
	cat >"$f" <<'EOF' || die "cannot write '$f'"
#!/bin/sh
# sasguard-hook: forward
# core.hooksPath points to sasguard's global hooks: run the repository's own
# hook of the same name, as git would have without core.hooksPath.
d=$(git rev-parse --git-common-dir) || exit
h="$d/hooks/$(basename -- "$0")"
if [ -f "$h" ] && [ -x "$h" ]; then
	exec "$h" "$@"
fi
exit 0
EOF
	printf '%s\n' "$f"
}

# ---------------------------------------------------------------- modes
pre_commit() {
	repo=$(git_repo "$1") || exit 1
	[ "$(git -C "$repo" rev-parse --is-bare-repository)" = false ] ||
	    die "'$1' is a bare repository: use --pre-receive"
	# core.hooksPath, when relative, is taken from the top of the work tree.
	repo=$(git -C "$repo" rev-parse --show-toplevel) || die "'$1' has no work tree"
	dir=$(hooks_dir "$repo") || die "cannot find the hooks directory of '$1'"
	g=$(global_dir) || exit 1
	kinds=$(client_hooks)
	if [ "$uninstall" ]; then
		for k in $kinds; do
			uninstall_hook "$k" "$dir" "$k"
		done
		return 0
	fi
	if [ -d "$g" ] && [ "$dir" = "$(abs_dir "$g")" ]; then
		say "$me: '$1' uses sasguard's global hooks already (./install.sh --global): nothing to do"
		return 0
	fi
	! in_work_tree "$dir" || refuse_tracked "$dir"
	ensure_binary
	install_client_hooks "$dir"
	if ! on_path; then
		git -C "$repo" config sasguard.path "$bin" || die "cannot set sasguard.path in '$1'"
		say "$me: set git config sasguard.path $bin (it is not on PATH)"
	fi
	say "$me: commits in '$1' are now checked. Rules: .sasguard.ini at the top of the"
	say "    work tree, or git config sasguard.config FILE; built-in rules otherwise."
}

pre_receive() {
	repo=$(git_repo "$1") || exit 1
	dir=$(hooks_dir "$repo") || die "cannot find the hooks directory of '$1'"
	name=pre-receive
	# Gitea (and others) run every script in pre-receive.d/ from their own
	# pre-receive: join them rather than standing in front of them.
	if [ -d "$dir/pre-receive.d" ]; then
		dir=$dir/pre-receive.d
		name=sasguard
	fi
	if [ "$uninstall" ]; then
		uninstall_hook "$name" "$dir" pre-receive
		git -C "$repo" config --unset sasguard.path 2>/dev/null
		say "$me: left receive.advertisePushOptions as it is"
		return 0
	fi
	! in_work_tree "$dir" || refuse_tracked "$dir"
	ensure_binary
	src=$(hook_source pre-receive) || exit 1
	install_hook "$name" "$dir" "$src" pre-receive
	git -C "$repo" config sasguard.path "$bin" || die "cannot set sasguard.path in '$1'"
	git -C "$repo" config receive.advertisePushOptions true ||
	    die "cannot set receive.advertisePushOptions in '$1'"
	say "$me: pushes to '$1' are now checked with $bin."
	say "    Rules: git -C '$repo' config sasguard.config FILE, else /etc/sasguard/rules.ini,"
	say "    else the built-in ones (see $PREFIX/share/sasguard/default.ini;"
	say "    [sasguard] timeout, fail, bypass, bypass_log set the hook's behaviour)."
	say "    Inline 'sasguard:allow' markers in pushed files are off on the server"
	say "    unless the server's rules say [allow] inline = true."
}

global() {
	g=$(global_dir) || exit 1
	cur=$(git config --global --path --get core.hooksPath 2>/dev/null) || cur=
	kinds=$(client_hooks)
	if [ "$uninstall" ]; then
		if [ -n "$cur" ] && [ "$cur" != "$g" ]; then
			for k in $kinds; do
				uninstall_hook "$k" "$cur" "$k"
			done
			return 0
		fi
		for k in $kinds; do
			uninstall_hook "$k" "$g" "$k"
		done
		for h in $FORWARDED; do
			if is_ours "$g/$h" forward; then
				rm -f -- "$g/$h"
			fi
		done
		rmdir -- "$g" 2>/dev/null
		if [ "$cur" = "$g" ]; then
			git config --global --unset core.hooksPath
			say "$me: unset the global core.hooksPath"
		fi
		return 0
	fi
	if [ -n "$cur" ] && [ "$cur" != "$g" ] && in_work_tree "$cur"; then
		refuse_tracked "$cur"
	fi
	ensure_binary
	if [ -n "$cur" ] && [ "$cur" != "$g" ]; then
		# The user has global hooks of their own: join them there.
		install_client_hooks "$cur"
		say "$me: your global core.hooksPath is $cur: sasguard's hooks are in it."
	else
		install_client_hooks "$g"
		fw=$(write_forwarder) || exit 1
		for h in $FORWARDED; do
			case " $kinds " in
			*" $h "*) continue ;;
			esac
			if [ -e "$g/$h" ] && ! is_ours "$g/$h" forward; then
				say "$me: $g/$h is not sasguard's: left alone"
			elif ! cmp -s -- "$fw" "$g/$h"; then
				put_file "$fw" "$g/$h"
			fi
		done
		rm -f -- "$fw"
		git config --global core.hooksPath "$g" || die "cannot set the global core.hooksPath"
		say "$me: set git config --global core.hooksPath $g"
		say "$me: each repository's own hooks still run (sasguard's hooks call them), the"
		say "    server ones too (pre-receive, update, post-receive, ...), but not push-to-checkout:"
		say "    a stand-in's mere presence would change how a repository with"
		say "    receive.denyCurrentBranch=updateInstead takes a push. Where you have one, run:"
		say "    git -C REPO config core.hooksPath \"\$(git -C REPO rev-parse --absolute-git-dir)/hooks\""
	fi
	if ! on_path; then
		git config --global sasguard.path "$bin" || die "cannot set the global sasguard.path"
		say "$me: set git config --global sasguard.path $bin (it is not on PATH)"
	fi
	say "$me: every repository of yours is now checked on commit, except those that"
	say "    set their own core.hooksPath (run ./install.sh --pre-commit there)."
}

usage() {
	sed -n '2,25s/^# \{0,1\}//p' "$here/install.sh"
}

# abs_arg PATH: PATH made absolute while the starting directory is current.
abs_arg() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*)
		d=$(pwd -P 2>/dev/null) || die "cannot tell the current directory; give REPO as an absolute path"
		printf '%s/%s\n' "$d" "$1" ;;
	esac
}

# ---------------------------------------------------------------- main
uninstall=
if [ "${1:-}" = --uninstall ]; then
	uninstall=1
	shift
	[ $# -gt 0 ] || die "--uninstall what? --pre-commit [REPO], --pre-receive REPO or --global"
fi

case ${1:-} in
'')
	[ -z "$uninstall" ] || die "--uninstall needs a mode"
	build_and_install
	bindir=$PREFIX/bin
	say ""
	say "Next:"
	say "  ./install.sh --pre-commit [REPO]     check commits in one repository"
	say "  ./install.sh --global                check commits in all your repositories"
	say "  ./install.sh --pre-receive BARE_REPO check pushes on a git server"
	case ":${PATH:-}:" in
	*":$bindir:"*) ;;
	*) say "  (add $bindir to your PATH, or the hooks will record its full path)" ;;
	esac
	;;
--deps)
	[ $# -eq 1 ] || die "--deps takes no argument"
	deps ;;
--test-deps)
	[ $# -eq 1 ] || die "--test-deps takes no argument"
	deps test ;;
--pre-commit)
	[ $# -le 2 ] || die "usage: ./install.sh [--uninstall] --pre-commit [REPO]"
	r=$(abs_arg "${2:-.}") || exit 1
	cd / || exit 1
	pre_commit "$r" ;;
--pre-receive)
	[ $# -eq 2 ] || die "usage: ./install.sh [--uninstall] --pre-receive BARE_REPO"
	r=$(abs_arg "$2") || exit 1
	cd / || exit 1
	pre_receive "$r" ;;
--global)
	[ $# -eq 1 ] || die "usage: ./install.sh [--uninstall] --global"
	cd / || exit 1
	global ;;
-h | --help)
	usage ;;
*)
	err "unknown option '$1'"
	usage >&2
	exit 2 ;;
esac
