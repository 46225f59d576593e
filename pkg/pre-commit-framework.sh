#!/bin/sh
# sasguard's hook for the pre-commit framework (https://pre-commit.com), the
# entry of .pre-commit-hooks.yaml (language: script). The framework hands it
# the files to check: the staged ones on commit (the framework stashes what
# is not staged, so the files are as they will be committed), every file
# with "pre-commit run --all-files", the message file at commit-msg. Each is
# scanned as it is (sasguard --files: every line counts).
#
# The binary: git config sasguard.path, else sasguard on PATH, else where
# install.sh and the Debian package put it. The rules: git config
# sasguard.config, else .sasguard.ini at the top of the work tree, else the
# built-in ones.
set -u

say() { printf 'sasguard: %s\n' "$*" >&2; }

bin=$(git config --path --get sasguard.path 2>/dev/null) || bin=
if [ -z "$bin" ]; then
	bin=$(command -v sasguard 2>/dev/null) || bin=
fi
if [ -z "$bin" ]; then
	for b in "${HOME:-/nonexistent}/.local/bin/sasguard" /usr/local/bin/sasguard /usr/bin/sasguard; do
		if [ -x "$b" ]; then
			bin=$b
			break
		fi
	done
fi
if [ -z "$bin" ] || ! [ -x "$bin" ]; then
	if [ -n "$bin" ]; then
		say "cannot run '$bin' (git config sasguard.path)."
	else
		say "cannot find the sasguard program (not on PATH, nor in ~/.local/bin, /usr/local/bin, /usr/bin)."
	fi
	say "Install it: ./install.sh in sasguard's source (or the package from 'make deb'),"
	say "then put its folder on PATH, e.g.  export PATH=\"\$HOME/.local/bin:\$PATH\""
	say "(in your shell's profile), or tell git where it is:"
	say "    git config --global sasguard.path /path/to/sasguard"
	exit 1
fi

cfg=$(git config --path --get sasguard.config 2>/dev/null) || cfg=
if [ -z "$cfg" ] && top=$(git rev-parse --show-toplevel 2>/dev/null) &&
    [ -f "$top/.sasguard.ini" ]; then
	cfg=$top/.sasguard.ini
fi
if [ -n "$cfg" ]; then
	exec "$bin" --config "$cfg" --files -- "$@"
fi
exec "$bin" --files -- "$@"
