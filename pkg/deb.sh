#!/bin/sh
# pkg/deb.sh OUTDIR - build a Debian package of sasguard with dpkg-deb from
# what `make` built (run by `make deb`): the static binary, the hooks, the
# manual page, the default rules and a copy of install.sh (for the hook
# modes, run as the user git runs as). No network, no debhelper: the binary
# is static, so the package depends on nothing but git, which the hooks run.
# Prints the path of the .deb.
set -eu
out=$1
ver=$(./sasguard --version | sed -n 's/^sasguard //p')
[ -n "$ver" ] || { echo "pkg/deb.sh: cannot tell the version of ./sasguard" >&2; exit 1; }
arch=$(dpkg --print-architecture)
root=$out/deb-root
rm -rf "$root"
make -s install DESTDIR="$root" PREFIX=/usr >/dev/null
strip "$root/usr/bin/sasguard"
gzip -9n "$root/usr/share/man/man1/sasguard.1"
install -d "$root/usr/share/doc/sasguard" "$root/DEBIAN"
install -m 644 LICENSE "$root/usr/share/doc/sasguard/copyright"
size=$(du -k -s "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: sasguard
Version: $ver
Architecture: $arch
Maintainer: sasguard maintainers <sasguard@example.invalid>
Installed-Size: $size
Depends: git
Section: devel
Priority: optional
Description: stop risky Azure Storage SAS tokens before they enter git
 sasguard reads unified diffs, finds Azure Storage SAS tokens on added
 lines, parses each (kind, permissions, start, expiry, protocol), judges it
 against a rule set and refuses the commit or push when one is too powerful
 or lives too long. Git hooks for pre-commit, commit-msg and pre-receive are
 in /usr/share/sasguard/hooks; /usr/share/sasguard/install.sh puts them in
 place. The signature of a token is never printed.
CONTROL
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k2) >"$root/DEBIAN/md5sums"
deb=$out/sasguard_${ver}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
rm -rf "$root"
printf '%s\n' "$deb"
