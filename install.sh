#!/bin/sh
# install.sh - build and install sasguard, and put its git hooks in place.
#
#   ./install.sh                      install missing build deps, build, install
#                                     the binary, the default rules and the hooks
#                                     under PREFIX, then say what to run next
#   ./install.sh --deps               only install missing build and test deps
#                                     (quiet when nothing is missing)
#   ./install.sh --pre-commit [REPO]  client hook for one repository (default:
#                                     the repository of the current directory)
#   ./install.sh --pre-receive REPO   server hook for a (bare) repository
#   ./install.sh --global             client hook for every repository of this
#                                     user, via git's global core.hooksPath
#   ./install.sh --uninstall --pre-commit [REPO] | --pre-receive REPO | --global
#
# PREFIX comes from the environment: default /usr/local for root, ~/.local
# otherwise; DESTDIR is honoured by the plain install (a staged install is
# not used by the hook modes). Every hook mode installs the binary first if
# it is missing, is idempotent, honours core.hooksPath, and never destroys an
# existing hook: a hook that is not sasguard's is renamed HOOK.sasguard-chained
# and sasguard's hook runs it (uninstall puts it back).
set -u

me=install.sh
say() { printf '%s\n' "$*"; }
err() { printf '%s: %s\n' "$me" "$*" >&2; }
die() {
	err "$*"
	exit 1
}

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || die "cannot find my own directory"

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
# The last five are for make check: sanitizers and libFuzzer (clang and its
# runtimes), valgrind, shellcheck, and /usr/bin/time for peak memory.
DEBIAN_PKGS="build-essential libpcre2-dev libinih-dev git perl clang libclang-rt-dev valgrind shellcheck time"

# missing_debs: the Debian packages of DEBIAN_PKGS not installed.
missing_debs() {
	for p in $DEBIAN_PKGS; do
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

deps() {
	if [ -f /etc/debian_version ] && command -v dpkg-query >/dev/null 2>&1 &&
	    command -v apt-get >/dev/null 2>&1; then
		missing=$(missing_debs)
		[ -n "$missing" ] || return 0
		say "$me: installing missing packages: $missing"
		# shellcheck disable=SC2086 # a list of package names
		if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install \
		    -y -q $missing </dev/null; then
			say "$me: retrying after apt-get update"
			as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
			    </dev/null || die "apt-get update failed"
			# shellcheck disable=SC2086
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install \
			    -y -q $missing </dev/null ||
			    die "cannot install: $missing"
		fi
		return 0
	fi
	# Elsewhere: say what is needed if something seems to be missing.
	lack=
	for c in cc make git perl prove; do
		command -v "$c" >/dev/null 2>&1 || lack="$lack $c"
	done
	[ -z "$lack" ] && return 0
	err "missing:$lack. This is not Debian/Ubuntu: install a C compiler and make,"
	err "PCRE2 and inih (libinih) with their headers and static libraries, git and perl, then run me again."
	exit 1
}

# ---------------------------------------------------------------- binary
build_and_install() {
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
	*) bin=$(cd -P -- "$(dirname -- "$bin")" && pwd -P)/$(basename -- "$bin") ;;
	esac
}

# on_path: is $bin what "sasguard" on PATH finds?
on_path() {
	b=$(command -v sasguard 2>/dev/null) || return 1
	[ "$b" = "$bin" ]
}

# hook_source KIND: the hook file to copy.
hook_source() {
	if [ -f "$here/hook/$1" ]; then
		printf '%s\n' "$here/hook/$1"
	elif [ -f "$PREFIX/share/sasguard/hooks/$1" ]; then
		printf '%s\n' "$PREFIX/share/sasguard/hooks/$1"
	else
		die "cannot find the $1 hook (looked in $here/hook and $PREFIX/share/sasguard/hooks)"
	fi
}

# ---------------------------------------------------------------- hooks
# is_ours FILE KIND: FILE is a sasguard hook of that kind.
is_ours() {
	[ -f "$1" ] && grep -q "^# sasguard-hook: $2\$" "$1" 2>/dev/null
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
install_hook() {
	name=$1 dir=$2 src=$3 kind=$4
	target=$dir/$name
	chained=$target.sasguard-chained
	mkdir -p -- "$dir" || die "cannot create '$dir'"
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
	chained=$target.sasguard-chained
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

# hooks_dir REPO: the hooks directory git uses for REPO (core.hooksPath
# honoured), as an absolute path.
hooks_dir() {
	h=$(git -C "$1" rev-parse --git-path hooks) || return 1
	case $h in
	/*) ;;
	*) h=$(cd -P -- "$1" && pwd -P)/$h ;;
	esac
	mkdir -p -- "$h" || return 1
	(cd -P -- "$h" && pwd -P)
}

global_dir() {
	printf '%s\n' "${XDG_CONFIG_HOME:-${HOME:?HOME is not set}/.config}/sasguard/hooks"
}

# Hooks the global directory forwards to each repository's own hooks, since
# git runs no .git/hooks once core.hooksPath is set. Left out on purpose:
# reference-transaction (runs on every ref update) and push-to-checkout
# (its mere presence changes how a non-bare repository takes a push).
FORWARDED="applypatch-msg pre-applypatch post-applypatch pre-merge-commit
prepare-commit-msg commit-msg post-commit pre-rebase post-checkout post-merge
pre-push post-rewrite sendemail-validate post-index-change pre-auto-gc"

write_forwarder() {
	f=$(mktemp "${TMPDIR:-/tmp}/sasguard-forward.XXXXXX") || die "cannot create a temporary file"
	cat >"$f" <<'EOF'
#!/bin/sh
# sasguard-hook: forward
# core.hooksPath points to sasguard's global hooks: run the repository's own
# hook of the same name, as git would have without core.hooksPath.
h="$(git rev-parse --git-common-dir)/hooks/$(basename -- "$0")"
if [ -f "$h" ] && [ -x "$h" ]; then
	exec "$h" "$@"
fi
exit 0
EOF
	printf '%s\n' "$f"
}

# ---------------------------------------------------------------- modes
pre_commit() {
	repo=$1
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
	    die "'$repo' is not a git repository"
	[ "$(git -C "$repo" rev-parse --is-bare-repository)" = false ] ||
	    die "'$repo' is a bare repository: use --pre-receive"
	dir=$(hooks_dir "$repo") || die "cannot find the hooks directory of '$repo'"
	g=$(global_dir)
	if [ "$uninstall" ]; then
		uninstall_hook pre-commit "$dir" pre-commit
		return 0
	fi
	if [ -d "$g" ] && [ "$dir" = "$(cd -P -- "$g" && pwd -P)" ]; then
		say "$me: '$repo' uses sasguard's global hooks already (./install.sh --global): nothing to do"
		return 0
	fi
	ensure_binary
	install_hook pre-commit "$dir" "$(hook_source pre-commit)" pre-commit
	if ! on_path; then
		git -C "$repo" config sasguard.path "$bin"
		say "$me: set git config sasguard.path $bin (it is not on PATH)"
	fi
	say "$me: commits in '$repo' are now checked. Rules: .sasguard.ini at the top of the"
	say "    work tree, or git config sasguard.config FILE; built-in rules otherwise."
}

pre_receive() {
	repo=$1
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
	    die "'$repo' is not a git repository"
	dir=$(hooks_dir "$repo") || die "cannot find the hooks directory of '$repo'"
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
	ensure_binary
	install_hook "$name" "$dir" "$(hook_source pre-receive)" pre-receive
	git -C "$repo" config sasguard.path "$bin" || die "cannot set sasguard.path in '$repo'"
	git -C "$repo" config receive.advertisePushOptions true ||
	    die "cannot set receive.advertisePushOptions in '$repo'"
	say "$me: pushes to '$repo' are now checked with $bin."
	say "    Rules: git -C '$repo' config sasguard.config FILE, else /etc/sasguard/rules.ini,"
	say "    else the built-in ones (see $PREFIX/share/sasguard/default.ini;"
	say "    [sasguard] timeout, fail, bypass, bypass_log set the hook's behaviour)."
}

global() {
	g=$(global_dir)
	cur=$(git config --global --path --get core.hooksPath 2>/dev/null) || cur=
	if [ "$uninstall" ]; then
		if [ -n "$cur" ] && [ "$cur" != "$g" ]; then
			uninstall_hook pre-commit "$cur" pre-commit
			return 0
		fi
		uninstall_hook pre-commit "$g" pre-commit
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
	ensure_binary
	if [ -n "$cur" ] && [ "$cur" != "$g" ]; then
		# The user has global hooks of their own: join them there.
		install_hook pre-commit "$cur" "$(hook_source pre-commit)" pre-commit
		say "$me: your global core.hooksPath is $cur: sasguard's pre-commit is in it."
	else
		install_hook pre-commit "$g" "$(hook_source pre-commit)" pre-commit
		fw=$(write_forwarder)
		for h in $FORWARDED; do
			if [ -e "$g/$h" ] && ! is_ours "$g/$h" forward; then
				say "$me: $g/$h is not sasguard's: left alone"
			elif ! cmp -s -- "$fw" "$g/$h"; then
				put_file "$fw" "$g/$h"
			fi
		done
		rm -f -- "$fw"
		git config --global core.hooksPath "$g" || die "cannot set the global core.hooksPath"
		say "$me: set git config --global core.hooksPath $g"
		say "$me: each repository's own .git/hooks still run (sasguard's hooks call them)."
	fi
	if ! on_path; then
		git config --global sasguard.path "$bin"
		say "$me: set git config --global sasguard.path $bin (it is not on PATH)"
	fi
	say "$me: every repository of yours is now checked on commit, except those that"
	say "    set their own core.hooksPath (run ./install.sh --pre-commit there)."
}

usage() {
	sed -n '2,20s/^# \{0,1\}//p' "$here/install.sh"
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
--pre-commit)
	[ $# -le 2 ] || die "usage: ./install.sh [--uninstall] --pre-commit [REPO]"
	pre_commit "${2:-.}" ;;
--pre-receive)
	[ $# -eq 2 ] || die "usage: ./install.sh [--uninstall] --pre-receive BARE_REPO"
	pre_receive "$2" ;;
--global)
	[ $# -eq 1 ] || die "usage: ./install.sh [--uninstall] --global"
	global ;;
-h | --help)
	usage ;;
*)
	err "unknown option '$1'"
	usage >&2
	exit 2 ;;
esac
