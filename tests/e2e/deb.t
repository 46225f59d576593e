#!/bin/sh
# End-to-end: the Debian package (make deb, i.e. pkg/deb.sh) installed with
# dpkg into a temporary root: what it holds, the installed binary refusing a
# risky token, the installed install.sh and pre-receive hook refusing a push,
# and a clean removal. Skips without dpkg.
. tests/e2e/lib.sh

if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
	echo "1..0 # SKIP dpkg is not installed (not Debian)"
	exit 0
fi
plan 12

sh pkg/deb.sh "$T" >"$T/out" 2>&1
st=$?
deb=$(tail -n 1 "$T/out")
[ "$st" -eq 0 ] && [ -f "$deb" ] && dpkg-deb -I "$deb" >"$T/info" 2>&1 &&
    grep -q '^ Package: sasguard$' "$T/info" && grep -q '^ Depends: git$' "$T/info"
ok $? "pkg/deb.sh builds a package with dpkg-deb (Package: sasguard, Depends: git)"
[ "$st" -eq 0 ] || show "$T/out"

# An empty dpkg database in a temporary root; git is not in it, hence
# --force-depends (the host's git does the work below).
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
dpkg --root="$R" --log=/dev/null --force-depends -i "$deb" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && dpkg --root="$R" -s sasguard 2>/dev/null | grep -q '^Status: install ok installed$'
ok $? "dpkg --root=DIR -i installs it"
[ "$st" -eq 0 ] || show "$T/out"

dpkg --root="$R" -L sasguard >"$T/files" 2>&1
missing=
for f in /usr/bin/sasguard /usr/share/man/man1/sasguard.1.gz \
    /usr/share/sasguard/default.ini /usr/share/sasguard/hooks/pre-commit \
    /usr/share/sasguard/hooks/pre-receive /usr/share/sasguard/install.sh \
    /usr/share/doc/sasguard/copyright; do
	grep -qx "$f" "$T/files" && [ -e "$R$f" ] || missing="$missing $f"
done
[ -z "$missing" ]
ok $? "it holds the binary, the manual page, the rules, the hooks and install.sh"
[ -z "$missing" ] || diag "missing:$missing"
if [ -f hook/commit-msg ]; then
	grep -qx /usr/share/sasguard/hooks/commit-msg "$T/files"
	ok $? "... and the commit-msg hook"
else
	skip "the commit-msg hook (hook/commit-msg is not in this tree)"
fi

LC_ALL=C file "$R/usr/bin/sasguard" 2>/dev/null | grep -q 'statically linked' ||
    ! ldd "$R/usr/bin/sasguard" >/dev/null 2>&1
ok $? "the installed binary is static (what the FROM scratch Dockerfile relies on)"

[ "$("$R/usr/bin/sasguard" --version)" = "$("$SASGUARD" --version)" ]
ok $? "the installed binary runs and has the version of the build"

sig=$(new_sig)
printf 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+u=%s\n' "$(risky_url "$sig")" >"$T/risky.diff"
"$R/usr/bin/sasguard" "$T/risky.diff" >"$T/out" 2>&1
st=$?
[ "$st" -eq 1 ] && contains "$T/out" "account-sas"
ok $? "the installed binary refuses a risky token (exit 1, account-sas)"
no_secret "$T/out" "$sig" "... and does not print its signature"

if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$R/usr/share/man/man1/sasguard.1.gz" 2>"$T/warn" |
	    grep -q 'SASGUARD(1)' && ! [ -s "$T/warn" ]
	ok $? "the installed manual page renders without a warning"
else
	skip "man is not installed"
fi

# The package's own install.sh puts the package's hook on a server, with
# the package's binary first on PATH.
S=$T/server.git
git init -q --bare "$S"
PATH="$R/usr/bin:$PATH" PREFIX="$R/usr" "$R/usr/share/sasguard/install.sh" --pre-receive "$S" >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && cmp -s "$S/hooks/pre-receive" "$R/usr/share/sasguard/hooks/pre-receive" &&
    [ "$(git -C "$S" config sasguard.path)" = "$R/usr/bin/sasguard" ]
ok $? "the package's install.sh --pre-receive installs the package's hook and binary"
[ "$st" -eq 0 ] || show "$T/out"
git clone -q "$S" "$T/c" 2>/dev/null
commit_file "$T/c" a.txt "u=$(risky_url "$sig")" --no-verify
push "$T/c" origin HEAD:refs/heads/main
st=$?
[ "$st" -ne 0 ] && contains "$T/out" "remote: " && contains "$T/out" "a.txt"
ok $? "... which refuses a push with the token"

dpkg --root="$R" --log=/dev/null -r sasguard >"$T/out" 2>&1 &&
    ! [ -e "$R/usr/bin/sasguard" ] && ! [ -e "$R/usr/share/sasguard" ]
ok $? "dpkg --root=DIR -r removes it all"

done_testing
