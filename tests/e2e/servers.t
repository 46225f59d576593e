#!/bin/sh
# End-to-end over the wire: a real web server (Debian's lighttpd) on
# 127.0.0.1 serving bare repositories with git's smart HTTP
# (git http-backend), sasguard's pre-receive hook installed with
# install.sh --pre-receive as the README says. A push of a commit holding
# the 2021 incident's token (its signature replaced by a random one) is
# refused and the pusher sees why in "remote:" lines; a clean push is
# accepted. Skips, saying why, where lighttpd or git http-backend is not
# installed (./install.sh --test-deps installs lighttpd). The server listens
# on 127.0.0.1 only, every network step has a time limit, and the test
# stops its server itself.
. tests/e2e/lib.sh

lighttpd=$(command -v lighttpd 2>/dev/null) || lighttpd=/usr/sbin/lighttpd
backend=$(git --exec-path)/git-http-backend
if ! [ -x "$lighttpd" ]; then
	echo "1..0 # SKIP lighttpd is not installed (./install.sh --test-deps installs it)"
	exit 0
fi
if ! [ -x "$backend" ]; then
	echo "1..0 # SKIP git http-backend is not installed"
	exit 0
fi
plan 9

sig=$(new_sig)
if token=$(incident_url "$sig"); then
	:
else
	diag "no ../shared/cases/msleak: a made-up token of the same shape instead"
	token=$(risky_url "$sig")
fi

# --- the server ---------------------------------------------------------------
SRV=$T/srv
mkdir -p "$SRV" "$T/www"
git init -q --bare "$SRV/project.git"
git -C "$SRV/project.git" config http.receivepack true
"$ROOT/install.sh" --pre-receive "$SRV/project.git" >"$T/install.out" 2>&1
ok $? "install.sh --pre-receive installs the hook in the served repository"
contains "$T/install.out" "[allow] inline = true"
ok $? "... and says inline markers are off on the server unless the rules say [allow] inline = true"

# lighttpd gives a CGI program only the environment it is told to.
start_server() {
	port=$(free_port) || return 1
	cat >"$T/lighttpd.conf" <<EOF
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T/www"
server.errorlog = "$T/lighttpd.err"
server.pid-file = "$T/lighttpd.pid"
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
alias.url = ("/git/" => "$backend/")
cgi.assign = ("" => "")
setenv.set-environment = (
	"GIT_PROJECT_ROOT" => "$SRV",
	"GIT_HTTP_EXPORT_ALL" => "1",
	"PATH" => "$PATH",
	"HOME" => "$HOME",
	"GIT_CONFIG_GLOBAL" => "$GIT_CONFIG_GLOBAL",
	"GIT_CONFIG_NOSYSTEM" => "1",
	"LC_ALL" => "C.UTF-8"
)
EOF
	"$lighttpd" -D -f "$T/lighttpd.conf" >"$T/lighttpd.out" 2>&1 &
	server_pid=$!
	URL=http://127.0.0.1:$port/git/project.git
	if wait_for 10 timeout 5 git ls-remote "$URL"; then
		return 0
	fi
	stop_server
	return 1
}
stop_server() {
	[ -n "${server_pid:-}" ] || return 0
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}
trap 'stop_server; rm -rf "$T"' EXIT

server_pid=
started=
for _ in 1 2 3; do
	if start_server; then
		started=1
		break
	fi
done
if [ -z "$started" ]; then
	fail "lighttpd serves git http-backend on 127.0.0.1"
	show "$T/lighttpd.out"
	show "$T/lighttpd.err"
	for _ in 4 5 6 7 8 9; do skip "no server"; done
	done_testing
fi
pass "lighttpd serves git http-backend on 127.0.0.1:$port"

# --- pushes over the wire -----------------------------------------------------
C=$T/client
timeout 30 git clone -q "$URL" "$C" 2>"$T/out"
commit_file "$C" README.md "# project"
timeout 30 git -C "$C" push origin HEAD:refs/heads/main >"$T/out" 2>&1
st=$?
[ "$st" -eq 0 ] && [ "$(git -C "$SRV/project.git" rev-parse -q --verify refs/heads/main)" = "$(rev "$C" HEAD)" ]
ok $? "a clean push over HTTP is accepted"
[ "$st" -eq 0 ] || show "$T/out"

commit_file "$C" docs/models.md "wget -O model.ckpt \"$token\""
bad=$(rev "$C" HEAD)
timeout 30 git -C "$C" push origin HEAD:refs/heads/main >"$T/out" 2>&1
st=$?
[ "$st" -ne 0 ] && [ "$(git -C "$SRV/project.git" rev-parse -q --verify refs/heads/main)" != "$bad" ] &&
    ! git -C "$SRV/project.git" cat-file -e "$bad" 2>/dev/null
ok $? "a push of the incident token over HTTP is refused, and the commit is not on the server"
grep '^remote: ' "$T/out" | grep -q 'docs/models.md' &&
    grep '^remote: ' "$T/out" | grep -q 'account-sas'
ok $? "... the pusher sees the file and the rule in remote: lines"
grep -q '\[remote rejected\].*pre-receive hook declined' "$T/out"
ok $? "... and git reports the ref as rejected by the pre-receive hook"
[ "$st" -ne 0 ] || show "$T/out"
no_secret "$T/out" "$sig" "... and no output holds the signature"

git -C "$C" reset -q --hard HEAD~1
commit_file "$C" docs/models.md "models: ask the data team for a link"
timeout 30 git -C "$C" push origin HEAD:refs/heads/main >"$T/out" 2>&1
ok $? "the fixed commit is accepted"

stop_server
done_testing
