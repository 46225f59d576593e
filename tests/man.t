#!/bin/sh
# The manual page sasguard.1: man renders it without a warning, it names
# every option the binary's --help names, every command, every rule of the
# built-in rules and every exit status, and make install puts it in place.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
page=sasguard.1

if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$page" 2>"$tap_tmp/warn" >"$tap_tmp/page"
	rc=$?
	[ "$rc" = 0 ] && ! [ -s "$tap_tmp/warn" ] && [ -s "$tap_tmp/page" ]
	ok $? "man --warnings -l $page renders it without a warning"
	sed 's/^/#   /' "$tap_tmp/warn" | head -n 20
else
	skip "man renders the page" "man is not installed (./install.sh --test-deps)"
fi

# The options as --help names them (in the usage lines after "[" or "|",
# or first on an indented line), each one an item of the page (mdoc
# writes "--name" as "Fl \-name").
"$SASGUARD" --help >"$tap_tmp/help" 2>&1
grep -o -- '\(^ *\|\[\||\|sasguard\) *--*[a-z][a-z-]*' "$tap_tmp/help" |
    sed 's/^\(sasguard\|[[| ]\)*//; s/^ *//' | sort -u >"$tap_tmp/opts"
[ -s "$tap_tmp/opts" ]
ok $? "sasguard --help names options"
while read -r o; do
	case $o in
	--*) f="\\\\${o#-}" ;;	# mdoc: Fl \-name
	*) f=${o#-} ;;			# mdoc: Fl h
	esac
	grep -q -- "^\.It .*Fl $f\( \|$\)" "$page"
	ok $? "the page describes $o"
done <"$tap_tmp/opts"

for c in pre-commit commit-msg pre-receive; do
	grep -q "^\.It Cm $c\( \|$\)" "$page"
	ok $? "the page describes the command $c"
done

sed -n 's/^\[\(.*\)\]$/\1/p' rules/default.ini >"$tap_tmp/rules"
[ -s "$tap_tmp/rules" ]
ok $? "rules/default.ini has sections"
while read -r r; do
	grep -qF ".It Ic [$r]" "$page"
	ok $? "the page describes [$r]"
done <"$tap_tmp/rules"

sed -n '/^\.Sh EXIT STATUS$/,/^\.Sh /p' "$page" >"$tap_tmp/exit"
for n in 0 1 2; do
	grep -q "^\.It $n$" "$tap_tmp/exit"
	ok $? "EXIT STATUS describes $n"
done

make -s install DESTDIR="$tap_tmp/stage" PREFIX=/usr >"$tap_tmp/out" 2>&1 &&
    cmp -s "$page" "$tap_tmp/stage/usr/share/man/man1/sasguard.1"
ok $? "make install puts the page in PREFIX/share/man/man1"
sed 's/^/#   /' "$tap_tmp/out" | head -n 20

done_testing
