#!/bin/sh
# End-to-end: the gate sees everything a push brings (issue 10). Each shape
# that once reached the server past the pre-receive hook is pushed for real
# to a bare repository with the hook installed by install.sh (built-in
# rules, fail closed) and must be refused; its harmless twin must be
# accepted. Where git runs a client hook, the client refuses it too.
. tests/e2e/lib.sh

plan 50

sig=$(new_sig)
risky=$(risky_url "$sig")
safe=$(safe_url "$(new_sig)")

S=$T/server.git
new_server "$S"
git clone -q "$S" "$T/c" 2>/dev/null
C=$T/c
commit_file "$C" README.md "hello" >/dev/null
push "$C" origin main || { show "$T/out"; echo "Bail out! setup push failed"; exit 1; }
base=$(rev "$C" HEAD)

# back: the client and the server to where they were.
back() {
	git -C "$C" reset -q --hard "$base"
	git -C "$C" clean -qfdx
	git -C "$C" push -q --force origin "$base:main" >/dev/null 2>&1
}
# refused DESC: the last push was refused, and printed no secret.
refused() {
	if [ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused' "$T/out"; then
		pass "$1"
	else
		fail "$1"
		show "$T/out"
	fi
	no_secret "$T/out" "$sig" "... and the signature is in no output"
}
accepted() {
	if [ "$st" -eq 0 ]; then pass "$1"; else fail "$1"; show "$T/out"; fi
}
# add_raw PATH: commit the file at $C/PATH as it is (no client hook).
add_raw() {
	git -C "$C" add -- "$1" &&
	    git -C "$C" commit -q --no-verify -m "add $1" >/dev/null 2>&1
}
utf16le() { iconv -f UTF-8 -t UTF-16LE; }
utf16be() { iconv -f UTF-8 -t UTF-16BE; }

# --- 1. files git calls binary ------------------------------------------------
{ printf '\377\376'; printf 'Windows Registry Editor\r\nurl=%s\r\n' "$risky" | utf16le; } >"$C/export.reg"
add_raw export.reg
push "$C" origin main; st=$?
refused "a UTF-16LE file with a byte order mark (PowerShell's >, .reg exports) is refused"
back

{ printf '\377\376'; printf 'url=%s\r\n' "$safe" | utf16le; } >"$C/export.reg"
add_raw export.reg
push "$C" origin main; st=$?
accepted "... and its harmless twin (a read-only token for two hours) is accepted"
back

printf 'line one\nurl=%s\n' "$risky" | utf16be >"$C/be.txt"
add_raw be.txt
push "$C" origin main; st=$?
refused "UTF-16 (big-endian) without a byte order mark is refused"
back

{ printf 'config\n'; printf 'x\000y\n'; printf 'url=%s\n' "$risky"; } >"$C/nul.cfg"
add_raw nul.cfg
push "$C" origin main; st=$?
refused "a text file with a single NUL byte is refused"
back

{ printf 'x\000y\n'; head -c 3000 /dev/urandom | base64; } >"$C/noise.bin"
add_raw noise.bin
push "$C" origin main; st=$?
accepted "... and a binary file without a token is accepted"
back

git -C "$S" config core.bigFileThreshold 64k
{ i=0; while [ $i -lt 2000 ]; do echo "filler line $i of a large text file"; i=$((i + 1)); done
  printf 'url=%s\n' "$risky"; } >"$C/big.txt"
add_raw big.txt
push "$C" origin main; st=$?
refused "a text file larger than core.bigFileThreshold with the token on its last line is refused"
git -C "$S" config --unset core.bigFileThreshold
back

# --- 2. messages ------------------------------------------------------------------
commit_file "$C" m.txt "harmless" --no-verify -m "see $risky" >/dev/null
push "$C" origin main; st=$?
refused "a commit message holding the token is refused"
back

commit_file "$C" m.txt "harmless" --no-verify -m "see the docs" >/dev/null
push "$C" origin main; st=$?
accepted "... and a commit with a harmless message is accepted"
newbase=$(rev "$C" HEAD)

git -C "$C" tag -a v1 -m "release notes: $risky" "$newbase"
push "$C" origin v1; st=$?
refused "a new annotated tag on a known commit whose message holds the token is refused"
git -C "$C" tag -d v1 >/dev/null

commit_file "$C" n.txt "harmless 2" --no-verify >/dev/null
git -C "$C" tag -a v2 -m "release notes: $risky" HEAD
push "$C" origin v2; st=$?
refused "an annotated tag on a new commit whose message holds the token is refused"
git -C "$C" tag -d v2 >/dev/null
git -C "$C" tag -a v3 -m "release notes" HEAD
push "$C" origin v3; st=$?
accepted "... and a tag with a harmless message is accepted"
git -C "$C" tag -d v3 >/dev/null
base=$(rev "$C" HEAD)
push "$C" origin main >/dev/null

# --- 3. octopus merges ------------------------------------------------------------
octopus() {
	for b in o1 o2 o3; do
		git -C "$C" checkout -q -b "$b" "$base"
		commit_file "$C" "$b.txt" "$b" --no-verify >/dev/null
	done
	git -C "$C" checkout -q main
	git -C "$C" merge -q --no-ff --no-verify --no-commit o1 o2 o3 >/dev/null 2>&1
}
octopus
printf 'url=%s\n' "$risky" >"$C/evil.txt"
git -C "$C" add evil.txt
git -C "$C" commit -q --no-verify -m "octopus" >/dev/null
[ "$(git -C "$C" rev-list --parents -n 1 HEAD | wc -w)" -eq 5 ] || diag "not an octopus merge"
push "$C" origin main; st=$?
refused "an octopus merge that adds a file with the token is refused"
back; git -C "$C" branch -q -D o1 o2 o3

octopus
printf 'o2\nurl=%s\n' "$risky" >"$C/o2.txt"
git -C "$C" add o2.txt
git -C "$C" commit -q --no-verify -m "octopus" >/dev/null
push "$C" origin main; st=$?
refused "an octopus merge that adds a line with the token to a merged file is refused"
back; git -C "$C" branch -q -D o1 o2 o3

octopus
git -C "$C" commit -q --no-verify -m "octopus" >/dev/null
push "$C" origin main; st=$?
accepted "... and a clean octopus merge is accepted"
back; git -C "$C" branch -q -D o1 o2 o3

# --- 4. file names --------------------------------------------------------------
name=$(printf '%s' "$risky" | sed 's|.*/||')
printf 'weights\n' >"$C/$name"
add_raw "$name"
push "$C" origin main; st=$?
refused "a file whose name holds the token (wget URL keeps the query) is refused"
back
# A branch named after a token (git allows '&', '=' and '%' in ref names),
# bringing a token: the ref each finding names is shown redacted.
commit_file "$C" r.txt "url=$risky" --no-verify >/dev/null
push "$C" origin "HEAD:refs/heads/x&sv=2020-08-04&sig=$(pct "$sig")"; st=$?
[ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused' "$T/out" &&
    grep -q '^remote: .*on refs/heads/x&sv=2020-08-04&sig=.*redacted' "$T/out"
ok $? "a branch named after a token, bringing one, is refused, the ref shown redacted"
# git's own lines name the ref as pushed; sasguard's (remote:) must not.
grep '^remote:' "$T/out" >"$T/remote"
no_secret "$T/remote" "$sig" "... and the signature is in none of sasguard's lines"
back

# --- 5. a signature pasted into a URL the code already splits ------------------
split_url() {
	cat <<-EOF2
	blob_url = (
	    "https://contosoexample.blob.core.windows.net/models/resnet.ckpt"
	    "?sv=2020-08-04&ss=bfqt&srt=sco"
	    "&sp=rwdlacupitfx"
	    "&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z"
	    "&spr=https,http"
	    "&sig=$1"
	)
	EOF2
}
split_url "SIGNATURE-GOES-HERE" >"$C/fetch.py"
add_raw fetch.py
push "$C" origin main; st=$?
accepted "(setup: a split URL with a placeholder signature is accepted)"
split_url "$(pct "$sig")" >"$C/fetch.py"
add_raw fetch.py
push "$C" origin main; st=$?
refused "a signature pasted into a URL split over lines (only the &sig= line changes) is refused"
back
printf '# a comment\n' >>"$C/fetch.py"
add_raw fetch.py
push "$C" origin main; st=$?
accepted "... and a change next to that URL that adds no signature is accepted"
base=$(rev "$C" HEAD)

# --- 6. a notebook that builds the URL over several source lines -----------------
nb() {
	cat <<-EOF2
	{
	 "cells": [
	  {
	   "cell_type": "code",
	   "metadata": {},
	   "source": [
	    "url = (\"https://contosoexample.blob.core.windows.net/c/data.csv\"\n",
	    "       \"?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx\"\n",
	    "       \"&se=2051-10-06T07:09:59Z&spr=https\"\n",
	    "       \"&sig=$1\")"
	   ]
	  }
	 ],
	 "metadata": {},
	 "nbformat": 4,
	 "nbformat_minor": 5
	}
	EOF2
}
nb "$(pct "$sig")" >"$C/analysis.ipynb"
add_raw analysis.ipynb
push "$C" origin main; st=$?
refused "a notebook cell that builds the URL over several source lines is refused"
back
nb "SIGNATURE" >"$C/analysis.ipynb"
add_raw analysis.ipynb
push "$C" origin main; st=$?
accepted "... and the same cell without a signature is accepted"
back

# --- 7. the pusher's own sasguard:allow ------------------------------------------
commit_file "$C" allow.txt "url=$risky # sasguard:allow" --no-verify >/dev/null
push "$C" origin main; st=$?
refused "a pushed '# sasguard:allow' does not weaken the server's built-in rules"
printf '[allow]\ninline = true\n' >"$T/server-rules.ini"
push "$C" origin main; st=$?
accepted "... unless the server's own rules say [allow] inline = true"
: >"$T/server-rules.ini"
back

# --- 8. the server short of inodes, space or memory ---------------------------------
commit_file "$C" t.txt "url=$risky" --no-verify >/dev/null
mkdir -p "$T/full"
if mount -t tmpfs -o size=64k,nr_inodes=4 tmpfs "$T/full" 2>/dev/null; then
	i=0
	while touch "$T/full/f$i" 2>/dev/null; do i=$((i + 1)); done
	TMPDIR=$T/full push "$C" origin main; st=$?
	refused "with the server's temporary directory out of inodes the token is still refused"
	rm -f "$T/full"/f*
	head -c 1m /dev/zero >"$T/full/fill" 2>/dev/null
	TMPDIR=$T/full push "$C" origin main; st=$?
	refused "with the server's temporary directory full the token is still refused"
	umount "$T/full"
else
	skip "no tmpfs here (needs root): out of inodes"
	skip "no tmpfs here (needs root): ... no secret"
	skip "no tmpfs here (needs root): full"
	skip "no tmpfs here (needs root): ... no secret"
fi
real_bin=$(git -C "$S" config sasguard.path)
case $SASGUARD in
*/build/san/*)
	# AddressSanitizer reserves terabytes of address space: no ulimit -v.
	skip "too little memory (ulimit -v): not under AddressSanitizer"
	git -C "$S" config sasguard.path "$real_bin" ;;
*)
	printf '#!/bin/sh\nulimit -v 20000\nexec "%s" "$@"\n' "$real_bin" >"$T/small-sasguard"
	chmod +x "$T/small-sasguard"
	git -C "$S" config sasguard.path "$T/small-sasguard"
	commit_file "$C" u.txt "harmless" --no-verify >/dev/null
	push "$C" origin main; st=$?
	if [ "$st" -ne 0 ] && grep -q '^remote: sasguard: push refused' "$T/out"; then
		pass "with too little memory for the scan (ulimit -v) a clean push is refused, not waved through"
	else
		fail "with too little memory for the scan (ulimit -v) a clean push is refused, not waved through"
		show "$T/out"
	fi
	git -C "$S" config sasguard.path "$real_bin" ;;
esac
back

# --- the client hooks ------------------------------------------------------------
R=$T/r
new_repo "$R"
cp "$ROOT/hook/commit-msg" "$R/.git/hooks/commit-msg"
commit_file "$R" README.md "hello" >/dev/null
printf '*.dat binary\n*.cfg -diff\n*.ini diff=hide\n' >"$R/.gitattributes"
git -C "$R" config diff.hide.textconv "sed d"
git -C "$R" add .gitattributes && git -C "$R" commit -q -m attrs >/dev/null 2>&1
for f in a.dat b.cfg c.ini; do
	printf 'url=%s\n' "$risky" >"$R/$f"
	git -C "$R" add "$f"
	git -C "$R" commit -q -m "add $f" >"$T/out" 2>&1; st=$?
	[ "$st" -ne 0 ] && contains "$T/out" "BLOCK"
	ok $? "the client refuses a staged file its .gitattributes hides ($f)"
	git -C "$R" rm -q --cached "$f"; rm -f "$R/$f"
done
{ printf '\377\376'; printf 'url=%s\r\n' "$risky" | utf16le; } >"$R/w.ps1.out"
git -C "$R" add w.ps1.out
git -C "$R" commit -q -m "add output" >"$T/out" 2>&1; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "BLOCK"
ok $? "the client refuses a staged UTF-16 file"
no_secret "$T/out" "$sig" "... and the signature is in no output"
git -C "$R" rm -q --cached w.ps1.out; rm -f "$R/w.ps1.out"
printf 'harmless\n' >"$R/h.txt"
git -C "$R" add h.txt
git -C "$R" commit -q -m "see $risky" >"$T/out" 2>&1; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "commit message"
ok $? "the commit-msg hook refuses a message holding the token"
git -C "$R" commit -q -m "see the docs" >"$T/out" 2>&1
ok $? "... and takes a harmless one"
git -C "$R" -c color.ui=always -c diff.noprefix=true commit -q --allow-empty -m x >/dev/null 2>&1
printf 'url=%s\n' "$risky" >"$R/colour.txt"
git -C "$R" add colour.txt
git -C "$R" -c color.ui=always -c color.diff=always -c diff.noprefix=true commit -q -m c >"$T/out" 2>&1; st=$?
[ "$st" -ne 0 ] && contains "$T/out" "BLOCK"
ok $? "the client's color.ui=always and diff.noprefix change nothing"

done_testing
