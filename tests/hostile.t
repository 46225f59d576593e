#!/bin/sh
# Hostile input: each case must end with the right exit (0 nothing, 1 a
# token blocks, 2 trouble), never a crash or a hang (each run is under
# `timeout`), and in flat memory (peak RSS from /usr/bin/time). With a
# sanitizer build (SASGUARD under build/san/) the memory bound is looser
# and the huge line is smaller: shadow memory and checks cost.
. "$(dirname "$0")/lib/tap.sh"
SASGUARD=${SASGUARD:-$PWD/sasguard}
NOW=2026-11-22T00:00:00Z
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
# A made-up signature (signs nothing) and a risky account SAS around it.
SIG='2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D'
Q="sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2051-01-01&sig=$SIG"
TOK="https://acct.blob.core.windows.net/c/b?$Q"
rss_max=16384 big=256
case $SASGUARD in
*/build/san/*) rss_max=1048576 big=32 ;;
esac

head_() {	# head_ COUNT: a diff header adding COUNT lines to x.txt
	printf 'diff --git a/x.txt b/x.txt\n--- a/x.txt\n+++ b/x.txt\n'
	printf '@@ -0,0 +1,%s @@\n' "$1"
}

# run NAME WANT-EXIT [ARGS...]: runs sasguard on $tap_tmp/in (a file or
# a FIFO) under timeout and /usr/bin/time; checks the exit and peak RSS.
# (Not in a pipeline: the TAP counter must stay in this shell.)
run() {
	name=$1 want=$2
	shift 2
	/usr/bin/time -f '%M' -o "$tap_tmp/rss" timeout 120 \
	    "$SASGUARD" --now "$NOW" "$@" < "$tap_tmp/in" > "$tap_tmp/out" 2>&1
	rc=$?
	[ "$rc" = "$want" ]; ok $? "$name: exits $want (got $rc)"
	[ "$rc" = "$want" ] || head -c 2000 "$tap_tmp/out" | sed 's/^/#   /'
	rss=$(tail -n 1 "$tap_tmp/rss")
	[ "${rss:-999999999}" -le "$rss_max" ]
	ok $? "$name: peak RSS ${rss:-?} KiB <= $rss_max KiB"
}

# A huge line of filler, with the token at its very end: streamed, found.
mkfifo "$tap_tmp/in"
{ head_ 1; printf '+'; head -c $((big * 1024 * 1024)) /dev/zero | tr '\0' 'a'
  printf ' %s\n' "$TOK"; } > "$tap_tmp/in" &
run "a ${big} MiB line, streamed, the token at its end" 1
wait
rm "$tap_tmp/in"
{ head_ 1; printf '+\0\0%s\0\0\n' "$TOK"; } > "$tap_tmp/in"
run "NUL bytes around a token" 1
{ head_ 1; printf '+\377\376\300\200 %s \355\240\200\n' "$TOK"; } > "$tap_tmp/in"
run "invalid UTF-8 around a token" 1
{ head_ 5; printf '+one\n+two\n'; } > "$tap_tmp/in"
run "a diff cut off mid-hunk" 2
grep -q 'cut short' "$tap_tmp/out"; ok $? "... and it says the diff is cut short"
{ head_ 1; printf '+first\n+second\n+u = %s\n' "$TOK"; } > "$tap_tmp/in"
run "hunk counts that lie: the token after the count still counts" 1
{ head_ 1; printf '+?'; awk 'BEGIN { for (i = 0; i < 1000000; i++)
    printf "p%d=v&", i }'; printf '%s\n' "$Q"; } > "$tap_tmp/in"
run "a million parameters in one query" 1
nested=$SIG
i=1
while [ $i -lt 10 ]; do
	nested=$(printf '%s' "$nested" | sed 's/%/%25/g')
	i=$((i + 1))
done
{ head_ 1; printf '+%s\n' "${TOK%%sig=*}sig=$nested"; } > "$tap_tmp/in"
run "percent-encoding nested ten deep" 1
{ head_ 1; printf '+u = %ssig=' "${TOK%%sig=*}"
  head -c 786432 /dev/zero | tr '\0' 'Q'; printf '\n'; } > "$tap_tmp/in"
run "a 1 MB sig is no token" 0
head -c 4194304 /dev/urandom > "$tap_tmp/garbage"
"$SASGUARD" --now "$NOW" < "$tap_tmp/garbage" > /dev/null 2>&1
rc=$?
[ "$rc" -le 2 ]; ok $? "binary garbage on stdin: exit 0, 1 or 2 (got $rc)"
: > "$tap_tmp/in"
run "empty input" 0
[ ! -s "$tap_tmp/out" ]; ok $? "... and prints nothing"

# A catastrophic pattern in [allow] regex must trip the match limit and
# fail closed, not spin.
printf '[allow]\nregex = ^(a|aa)+$\n' > "$tap_tmp/slow.ini"
{ head_ 1; printf '+%s %s\n' "$(head -c 64 /dev/zero | tr '\0' a)" "$TOK"; } > "$tap_tmp/in"
run "a catastrophic [allow] regex" 2 --config "$tap_tmp/slow.ini"
grep -qi 'limit' "$tap_tmp/out"; ok $? "... and it says a limit tripped"
run "a rules file that does not exist" 2 --config "$tap_tmp/nope.ini"
grep -q "nope.ini" "$tap_tmp/out"; ok $? "... and names it"
mkdir "$tap_tmp/dir.ini"
run "a rules file that cannot be read (a folder)" 2 \
    --config "$tap_tmp/dir.ini"
done_testing
