#!/bin/sh
# The README's commands, as written (issue 14: "every command the README
# shows is run by a test"). Every command in a ```sh block of README.md and
# docs/*.md is taken from the text and looked up in the table below: it is
# either run for real, here, in a sandbox, and what it must do is checked,
# or it is listed with the reason it cannot run here. A command the table
# does not know fails this test, and so does a table entry the README no
# longer has: adding a command to the README means adding it here.
#
# The sandbox: a temporary HOME (tests/e2e/lib.sh), the built ./sasguard on
# PATH, temporary repositories, bare server repositories pushed to over
# git's local transport. Paths a command names outside HOME are moved into
# the sandbox before it runs: /usr/local (the install PREFIX) becomes
# ~/.local, and /srv/git, /etc/sasguard, /etc/gitea, /var/lib/gitea and
# /var/opt/gitlab become folders under the test's temporary directory. The
# server user "git" is the test's own user: a "sudo" first on PATH runs the
# command as that user (dropping -u USER and --), and "install -o git"
# becomes "install -o <the test's user>". Nothing outside the sandbox is
# written.
#
# A command is a line of a block, with its "\" continuations, a here-document
# up to its end word, or a for/while loop up to its "done"; a block that
# starts with "#!" is a script, run as the hook it is. The table's key is the
# command with its comments removed and its continuation lines joined.
. tests/e2e/lib.sh

P=$HOME/.local
export PREFIX="$P" CI=true
mkdir -p "$T/sbin" "$T/units"
cat >"$T/sbin/sudo" <<'EOF'
#!/bin/sh
# tests/readme.t's sudo: the README's users (root, git) are the test's user.
while [ $# -gt 0 ]; do
	case $1 in
	-u) shift 2 ;;
	-n | -E | -H) shift ;;
	--) shift; break ;;
	*) break ;;
	esac
done
exec "$@"
EOF
chmod 755 "$T/sbin/sudo"
export PATH="$T/bin:$T/sbin:$PATH"
me=$(id -un)
nth=0

sig=$(new_sig)
risky=$(risky_url "$sig")
safe=$(safe_url "$(new_sig)")

# ------------------------------------------------------------ the commands
# units FILE...: each command of the ```sh blocks, as $T/units/N.sh (what
# runs) and $T/units/N.key (the table's key), N in the order of the text.
units() {
	perl -e '
		my ($dir) = shift;
		my $n = 0;
		sub put {
			my ($run, $key, $where) = @_;
			$n++;
			open(my $r, ">", sprintf("%s/%03d.sh", $dir, $n)) or die;
			print $r $run;
			open(my $k, ">", sprintf("%s/%03d.key", $dir, $n)) or die;
			print $k "$key\n";
			open(my $w, ">", sprintf("%s/%03d.where", $dir, $n)) or die;
			print $w "$where\n";
		}
		sub bare { my $l = shift; $l =~ s/\s+#\s.*$//; $l =~ s/\s+$//; $l =~ s/^\s+//; $l }
		for my $file (@ARGV) {
			open(my $fh, "<", $file) or die "readme.t: cannot read $file: $!\n";
			my @lines = <$fh>;
			my $i = 0;
			while ($i < @lines) {
				if ($lines[$i] !~ /^```sh\s*$/) { $i++; next; }
				my $start = ++$i;
				my @block;
				while ($i < @lines && $lines[$i] !~ /^```\s*$/) { push @block, $lines[$i++]; }
				$i++;
				if (@block && $block[0] =~ /^#!/) {
					put(join("", @block), "SCRIPT " . bare($block[-1]), "$file:$start");
					next;
				}
				my $j = 0;
				while ($j < @block) {
					my $at = $start + $j;
					my $l = $block[$j++];
					next if $l =~ /^\s*(#|$)/;
					my $run = $l; my @key = (bare($l));
					while ($run =~ /\\\n\z/ && $j < @block) {
						$key[-1] =~ s/\s*\\$//;
						$l = $block[$j++];
						$run .= $l;
						$key[-1] .= " " . bare($l);
					}
					if ($run =~ /<<-?\s*\x27?(\w+)\x27?/) {
						my $end = $1;
						while ($j < @block) {
							$l = $block[$j++];
							$run .= $l;
							push @key, bare($l);
							last if $l =~ /^\Q$end\E\s*$/;
						}
					} elsif ($run =~ /^\s*(for|while)\s/) {
						while ($j < @block) {
							$l = $block[$j++];
							$run .= $l;
							push @key, bare($l);
							last if $l =~ /^\s*done\b/;
						}
					}
					put($run, join(" ; ", @key), "$file:$at");
				}
			}
		}
	' "$T/units" README.md docs/*.md
}

# The table: HANDLER@@COMMAND. HANDLER is a function below, or
# "skip:REASON" for a command that cannot run here.
table() {
	cat <<'EOF'
h_install@@./install.sh
skip:make check runs this test (it would run itself); the lead runs it@@make check
h_pre_commit@@./install.sh --pre-commit ~/src/app
h_install@@sudo ./install.sh
h_pre_receive@@sudo -u git /usr/local/share/sasguard/install.sh --pre-receive /srv/git/project.git
h_diff_cached@@git diff --cached | sasguard
h_files_here@@sasguard --files .
h_inventory@@sasguard inventory
h_make@@make
skip:minutes of sanitizers, valgrind and fuzzers, and it runs make check, which runs this test@@make check-all
skip:tests/e2e/deb.t builds the package and installs it with dpkg into a temporary root (building it here too would race it for build/)@@make deb
h_log_range@@git log -p origin/main..HEAD | sasguard
h_log_all@@git log -p --all | sasguard
h_patch@@sasguard change.patch
h_files_paths@@sasguard --files settings.env deploy/
h_global@@./install.sh --global
h_uninstall@@./install.sh --uninstall --pre-commit ~/src/app
h_installed_copy@@cd ~/src/app && ~/.local/share/sasguard/install.sh --pre-commit
h_framework@@pre-commit install
h_system_rules@@sudo install -D -m 644 /usr/local/share/sasguard/default.ini /etc/sasguard/rules.ini
h_repo_rules@@sudo -u git git -C /srv/git/project.git config sasguard.config /etc/sasguard/project.ini
h_gitlab_global@@sudo install -D -o git -m 755 /usr/local/share/sasguard/hooks/pre-receive /var/opt/gitlab/gitaly/custom_hooks/pre-receive.d/sasguard
skip:needs a GitLab Omnibus installation (gitlab-ctl); the hook it enables is run above under GitLab's environment@@sudo gitlab-ctl reconfigure
h_gl_mkdir@@mkdir -p custom_hooks/pre-receive.d
h_gl_install@@install -m 755 /usr/local/share/sasguard/hooks/pre-receive custom_hooks/pre-receive.d/sasguard
h_gl_tar@@tar -cf custom_hooks.tar custom_hooks
skip:needs GitLab's gitaly and a GitLab repository storage; the tarball it takes is made and checked above@@cat custom_hooks.tar | sudo -u git -- /opt/gitlab/embedded/bin/gitaly hooks set --storage default --repository '@hashed/xx/yy/HASH.git' --config /var/opt/gitlab/gitaly/config.toml
h_gitea_loop@@for r in /var/lib/gitea/data/gitea-repositories/*/*.git; do ; sudo -u git /usr/local/share/sasguard/install.sh --pre-receive "$r" ; done
h_gitea_template@@sudo install -D -m 755 /usr/local/share/sasguard/hooks/pre-receive /etc/gitea/git-template/hooks/pre-receive.d/sasguard
h_ghes_env@@mkdir env && cp sasguard env/ && cp rules/default.ini env/rules.ini
h_ghes_dockerfile@@cat > env/Dockerfile.debian <<'DOCKER' ; FROM --platform=linux/amd64 debian:stable ; RUN apt-get update && apt-get install -y git bash curl ; RUN rm -fr /etc/localtime /usr/share/zoneinfo/localtime ; COPY sasguard /usr/local/bin/sasguard ; COPY rules.ini /etc/sasguard/rules.ini ; DOCKER
skip:no image builder (docker) and no network to pull debian:stable where this is tested; the Dockerfile is written and checked above@@docker build -f env/Dockerfile.debian -t pre-receive.sasguard env
skip:no image builder (docker) where this is tested@@docker create --name pre-receive.sasguard pre-receive.sasguard /bin/true
skip:no image builder (docker) where this is tested@@docker export pre-receive.sasguard | gzip > sasguard-env.tar.gz
skip:needs a GitHub Enterprise Server appliance (administrative SSH on port 122)@@scp -P 122 sasguard-env.tar.gz admin@HOSTNAME:~/
skip:needs a GitHub Enterprise Server appliance (ghe-hook-env-create)@@ssh -p 122 admin@HOSTNAME ghe-hook-env-create sasguard-env ~/sasguard-env.tar.gz
h_ghes_script@@SCRIPT exec /usr/local/bin/sasguard pre-receive 2>&1
h_inventory_csv@@sasguard inventory --format csv ~/src/* > tokens.csv
h_inventory_json@@sasguard inventory --format json --now 2026-11-22T00:00:00Z repo-a repo-b.git
h_write_baseline@@git log -p --all | sasguard --write-baseline sasguard-baseline.txt
h_baseline@@git log -p --all | sasguard --baseline sasguard-baseline.txt
EOF
}

# ------------------------------------------------------------ helpers
# reroot FILE: FILE's text with the system paths moved into the sandbox.
reroot() {
	sed -e "s#/usr/local#$P#g" -e "s#/srv/git#$T/srv/git#g" \
	    -e "s#/etc/sasguard#$T/etc/sasguard#g" -e "s#/etc/gitea#$T/etc/gitea#g" \
	    -e "s#/var/lib/gitea#$T/var/lib/gitea#g" \
	    -e "s#/var/opt/gitlab#$T/var/opt/gitlab#g" \
	    -e "s#install -D -o git #install -D -o $me #g" "$1"
}
# run DIR: run the current command ($unit), rerooted, in DIR; its output in
# $T/out, its status in $st.
run() {
	reroot "$unit" >"$T/run.sh"
	(cd "$1" && sh "$T/run.sh") </dev/null >"$T/out" 2>&1
	st=$?
}
# check COND DESC: a result of the current command; on failure, show what
# it said (sasguard's output is redacted; no_secret below checks that).
check() {
	ok "$1" "$where: $key: $2"
	[ "$1" -eq 0 ] || show "$T/out"
}
installed() {
	[ -x "$P/bin/sasguard" ] && return 0
	sh "$ROOT/install.sh" </dev/null >"$T/install.out" 2>&1
}
# fresh DIR: an empty repository at DIR (no hooks).
fresh() {
	rm -rf "$1" && git init -q "$1"
}
# tokened DIR: a repository at DIR whose one commit adds a risky token
# (committed without hooks).
tokened() {
	fresh "$1" && printf 'url = "%s"\n' "$risky" >"$1/settings.py" &&
	    git -C "$1" add settings.py && git -C "$1" commit -q -m token
}
# bare DIR: an empty bare repository at DIR.
bare() {
	rm -rf "$1" && mkdir -p "$(dirname "$1")" && git init -q --bare "$1"
}
# refused_commit REPO: a commit that adds a risky token is refused there,
# and a safe one goes in.
refused_commit() {
	nth=$((nth + 1))
	commit_file "$1" "conf/app$nth.env" "STORAGE=$risky"
	c=$?
	[ "$c" -ne 0 ] && contains "$T/out" "BLOCK account-sas"
	check $? "then a commit that adds a risky token is refused"
	[ "$c" -eq 0 ] || git -C "$1" reset -q
	no_secret "$T/out" "$sig" "$where: $key: ... without printing the signature"
	commit_file "$1" "conf/safe$nth.env" "STORAGE=$safe"
	check $? "... and a safe one goes in"
}
# refused_push BARE [ENV...]: a push of a risky token to BARE is refused and
# the pusher sees the finding in remote: lines; ENV is set for the push.
refused_push() {
	b=$1
	shift
	w=$T/pusher
	rm -rf "$w" && git clone -q "$b" "$w" 2>/dev/null
	printf 'url = "%s"\n' "$risky" >"$w/settings.py"
	git -C "$w" add settings.py && git -C "$w" commit -q -m token
	env "$@" git -C "$w" push -q origin HEAD:refs/heads/main >"$T/out" 2>&1
	c=$?
	[ "$c" -ne 0 ] && grep -q '^remote: .*BLOCK account-sas' "$T/out"
	check $? "then a push of a risky token is refused, the pusher sees why (remote:)"
	no_secret "$T/out" "$sig" "$where: $key: ... without printing the signature"
}

# ------------------------------------------------------------ handlers
h_install() {
	run "$ROOT"
	[ "$st" -eq 0 ] && [ -x "$P/bin/sasguard" ] &&
	    [ -x "$P/share/sasguard/install.sh" ] &&
	    [ -x "$P/share/sasguard/hooks/pre-receive" ] &&
	    [ -f "$P/share/sasguard/default.ini" ] && contains "$T/out" "Next:"
	check $? "installs binary, rules, hooks and install.sh under PREFIX, says what next"
}
h_make() {
	run "$ROOT"
	[ "$st" -eq 0 ] && [ -x "$ROOT/sasguard" ]
	check $? "builds ./sasguard"
}
h_pre_commit() {
	installed
	fresh "$HOME/src/app"
	run "$ROOT"
	check "$st" "exits 0"
	refused_commit "$HOME/src/app"
}
h_installed_copy() {
	installed
	fresh "$HOME/src/app"
	run "$T"
	check "$st" "exits 0"
	refused_commit "$HOME/src/app"
}
h_uninstall() {
	installed
	fresh "$HOME/src/app"
	sh "$ROOT/install.sh" --pre-commit "$HOME/src/app" >/dev/null 2>&1
	run "$ROOT"
	check "$st" "exits 0"
	commit_file "$HOME/src/app" a.env "STORAGE=$risky"
	check $? "then the hook is gone: a commit with a token goes in"
}
h_global() {
	installed
	# A git configuration of its own: the global hooks must not reach the
	# other cases.
	g=$T/global.gitconfig
	cp "$GIT_CONFIG_GLOBAL" "$g"
	old_g=$GIT_CONFIG_GLOBAL old_x=$XDG_CONFIG_HOME
	GIT_CONFIG_GLOBAL=$g XDG_CONFIG_HOME=$T/global-config
	run "$ROOT"
	[ "$st" -eq 0 ] && [ -n "$(git config --global core.hooksPath)" ]
	check $? "exits 0 and sets the global core.hooksPath"
	fresh "$T/any"
	refused_commit "$T/any"
	GIT_CONFIG_GLOBAL=$old_g XDG_CONFIG_HOME=$old_x
}
h_framework() {
	if ! command -v pre-commit >/dev/null 2>&1; then
		skip "$where: $key: pre-commit is not installed (./install.sh --test-deps installs it)"
		return
	fi
	export PRE_COMMIT_HOME="$T/pre-commit-cache"
	hr=$T/hooks-repo
	rm -rf "$hr" && mkdir -p "$hr/pkg"
	cp .pre-commit-hooks.yaml "$hr/" && cp pkg/pre-commit-framework.sh "$hr/pkg/"
	git -C "$hr" init -q && git -C "$hr" add -A && git -C "$hr" commit -q -m hooks
	fresh "$HOME/src/app"
	# The README's .pre-commit-config.yaml, with repo: and rev: filled in.
	perl -ne 'print if /^```yaml/ .. /^```$/' README.md |
	    perl -ne 'BEGIN { $/ = "```\n" } print if /id: sasguard/' | grep -v '^```' |
	    sed -e "s#repo: [^ ]*#repo: $hr#" -e "s#rev: [^ ]*#rev: $(rev "$hr" HEAD)#" \
	    >"$HOME/src/app/.pre-commit-config.yaml"
	grep -q "id: sasguard" "$HOME/src/app/.pre-commit-config.yaml"
	check $? "the README's .pre-commit-config.yaml is found"
	git -C "$HOME/src/app" add .pre-commit-config.yaml &&
	    git -C "$HOME/src/app" commit -q -m config
	run "$HOME/src/app"
	check "$st" "exits 0"
	refused_commit "$HOME/src/app"
}
h_pre_receive() {
	installed
	bare "$T/srv/git/project.git"
	run "$T"
	check "$st" "exits 0"
	refused_push "$T/srv/git/project.git"
}
h_system_rules() {
	installed
	run "$T"
	[ "$st" -eq 0 ] && cmp -s "$T/etc/sasguard/rules.ini" rules/default.ini
	check $? "puts the default rules in /etc/sasguard/rules.ini"
}
h_repo_rules() {
	installed
	bare "$T/srv/git/project.git"
	sh "$P/share/sasguard/install.sh" --pre-receive "$T/srv/git/project.git" >/dev/null 2>&1
	mkdir -p "$T/etc/sasguard"
	printf '[%s]\naction = off\n' account-sas long-expiry write-permissions \
	    insecure-protocol >"$T/etc/sasguard/project.ini"
	run "$T"
	[ "$st" -eq 0 ] && [ "$(git -C "$T/srv/git/project.git" config sasguard.config)" = "$T/etc/sasguard/project.ini" ]
	check $? "sets sasguard.config"
	w=$T/pusher
	rm -rf "$w" && git clone -q "$T/srv/git/project.git" "$w" 2>/dev/null
	commit_file "$w" settings.py "url = \"$risky\""
	push "$w" origin HEAD:refs/heads/main
	check $? "then the hook judges by that file (every rule off there: the push goes in)"
}
h_gitlab_global() {
	installed
	run "$T"
	f=$T/var/opt/gitlab/gitaly/custom_hooks/pre-receive.d/sasguard
	[ "$st" -eq 0 ] && [ -x "$f" ] && cmp -s "$f" hook/pre-receive
	check $? "installs sasguard's pre-receive hook in Gitaly's global folder"
	# Gitaly runs each global hook with the push on standard input; what
	# GitLab sets (GL_ID, GL_PROTOCOL) reaches it.
	bare "$T/gitlab/project.git"
	printf '#!/bin/sh\nexec "%s"\n' "$f" >"$T/gitlab/project.git/hooks/pre-receive"
	chmod 755 "$T/gitlab/project.git/hooks/pre-receive"
	refused_push "$T/gitlab/project.git" GL_ID=user-1 GL_PROTOCOL=ssh
	grep '^remote: ' "$T/out" | grep -v '^remote: GL-HOOK-ERR:' | grep -q .
	[ $? -ne 0 ]
	check $? "... and every line the pusher sees starts with GL-HOOK-ERR:"
}
h_gl_mkdir() {
	mkdir -p "$T/gl"
	rm -rf "$T/gl/custom_hooks"
	run "$T/gl"
	[ "$st" -eq 0 ] && [ -d "$T/gl/custom_hooks/pre-receive.d" ]
	check $? "makes the folder"
}
h_gl_install() {
	installed
	run "$T/gl"
	[ "$st" -eq 0 ] && [ -x "$T/gl/custom_hooks/pre-receive.d/sasguard" ]
	check $? "puts the hook in it, executable"
}
h_gl_tar() {
	run "$T/gl"
	[ "$st" -eq 0 ] && tar -tvf "$T/gl/custom_hooks.tar" |
	    grep -q '^-rwxr-xr-x .* custom_hooks/pre-receive.d/sasguard$'
	check $? "makes the tarball Gitaly takes, with the hook executable"
}
# A Gitea repository: Gitea's hooks/pre-receive runs every executable in
# hooks/pre-receive.d with the push on standard input (as the script Gitea
# writes does), and pre-receive.d/gitea is Gitea's own.
gitea_repo() {
	bare "$1"
	mkdir -p "$1/hooks/pre-receive.d"
	cat >"$1/hooks/pre-receive" <<'EOF'
#!/bin/sh
data=$(cat)
rc=0
for h in "$(dirname "$0")/pre-receive.d"/*; do
	[ -f "$h" ] && [ -x "$h" ] || continue
	printf '%s\n' "$data" | "$h" || rc=1
done
exit $rc
EOF
	printf '#!/bin/sh\nexit 0\n' >"$1/hooks/pre-receive.d/gitea"
	chmod 755 "$1/hooks/pre-receive" "$1/hooks/pre-receive.d/gitea"
}
h_gitea_loop() {
	installed
	g=$T/var/lib/gitea/data/gitea-repositories
	gitea_repo "$g/alice/one.git"
	gitea_repo "$g/bob/two.git"
	run "$T"
	[ "$st" -eq 0 ] && [ -x "$g/alice/one.git/hooks/pre-receive.d/sasguard" ] &&
	    [ -x "$g/bob/two.git/hooks/pre-receive.d/sasguard" ] &&
	    [ -x "$g/bob/two.git/hooks/pre-receive.d/gitea" ]
	check $? "puts sasguard in every repository's pre-receive.d, beside Gitea's own"
	refused_push "$g/bob/two.git"
}
h_gitea_template() {
	installed
	run "$T"
	[ "$st" -eq 0 ] && [ -x "$T/etc/gitea/git-template/hooks/pre-receive.d/sasguard" ]
	check $? "installs the hook in the template folder"
	rm -rf "$T/later.git"
	git -c init.templateDir="$T/etc/gitea/git-template" init -q --bare "$T/later.git" &&
	    [ -x "$T/later.git/hooks/pre-receive.d/sasguard" ]
	check $? "... which a repository made later with init.templateDir starts with"
}
h_ghes_env() {
	rm -rf "$T/ghes" && mkdir -p "$T/ghes/rules"
	cp "$SASGUARD" "$T/ghes/sasguard" && cp rules/default.ini "$T/ghes/rules/"
	run "$T/ghes"
	[ "$st" -eq 0 ] && [ -x "$T/ghes/env/sasguard" ] && [ -f "$T/ghes/env/rules.ini" ]
	check $? "makes env/ with the binary and the rules (in a copy of the folder)"
}
h_ghes_dockerfile() {
	# Not rerooted: the file names paths inside the image.
	(cd "$T/ghes" && sh "$unit") </dev/null >"$T/out" 2>&1
	st=$?
	f=$T/ghes/env/Dockerfile.debian
	[ "$st" -eq 0 ] && grep -qx 'COPY sasguard /usr/local/bin/sasguard' "$f" &&
	    grep -qx 'COPY rules.ini /etc/sasguard/rules.ini' "$f" && grep -q '^FROM ' "$f"
	check $? "writes the Dockerfile, copying what env/ holds"
}
h_ghes_script() {
	installed
	reroot "$unit" >"$T/ghes-hook" && chmod 755 "$T/ghes-hook"
	bare "$T/ghes/repo.git"
	# GitHub shows the pusher the hook's standard output only: throw away
	# its standard error, and the findings must still reach the pusher.
	printf '#!/bin/sh\nexec "%s" 2>/dev/null\n' "$T/ghes-hook" >"$T/ghes/repo.git/hooks/pre-receive"
	chmod 755 "$T/ghes/repo.git/hooks/pre-receive"
	refused_push "$T/ghes/repo.git"
}
h_diff_cached() {
	fresh "$T/w"
	printf 'url = "%s"\n' "$risky" >"$T/w/settings.py" && git -C "$T/w" add settings.py
	run "$T/w"
	[ "$st" -eq 1 ] && contains "$T/out" "settings.py:1: BLOCK account-sas"
	check $? "blocks the staged token (exit 1, names file and line)"
	no_secret "$T/out" "$sig" "$where: $key: ... without printing the signature"
}
h_files_here() {
	rm -rf "$T/f" && mkdir -p "$T/f/deep"
	printf 'STORAGE=%s\n' "$risky" >"$T/f/deep/app.env"
	run "$T/f"
	[ "$st" -eq 1 ] && contains "$T/out" "deep/app.env:1: BLOCK"
	check $? "finds the token in a file below (exit 1)"
}
h_files_paths() {
	rm -rf "$T/f" && mkdir -p "$T/f/deploy"
	printf 'STORAGE=%s\n' "$risky" >"$T/f/settings.env"
	printf 'nothing here\n' >"$T/f/deploy/run.sh"
	run "$T/f"
	[ "$st" -eq 1 ] && contains "$T/out" "settings.env:1: BLOCK"
	check $? "finds the token in the file named (exit 1)"
}
h_inventory() {
	tokened "$T/inv1"
	run "$T/inv1"
	[ "$st" -eq 1 ] && contains "$T/out" '"blocking"'
	check $? "lists the live token (exit 1; JSON when not on a terminal)"
}
h_inventory_csv() {
	rm -rf "$HOME/src"
	tokened "$HOME/src/a" && tokened "$HOME/src/b"
	run "$T"
	[ "$st" -eq 1 ] && head -n 1 "$T/tokens.csv" | grep -q '^fingerprint,log_hash,'
	check $? "writes the CSV of both repositories (exit 1: a live token)"
}
h_inventory_json() {
	rm -rf "$T/inv" && mkdir -p "$T/inv"
	tokened "$T/inv/repo-a" && git clone -q --bare "$T/inv/repo-a" "$T/inv/repo-b.git"
	run "$T/inv"
	[ "$st" -eq 1 ] && contains "$T/out" '2026-11-22T00:00:00Z' && contains "$T/out" 'repo-b.git'
	check $? "reads a clone and a bare repository, judged at --now"
}
h_log_range() {
	bare "$T/origin.git"
	rm -rf "$T/w" && git clone -q "$T/origin.git" "$T/w" 2>/dev/null
	commit_file "$T/w" README "hello" && git -C "$T/w" push -q origin HEAD:main 2>/dev/null &&
	    git -C "$T/w" fetch -q origin
	commit_file "$T/w" settings.py "url = \"$risky\""
	run "$T/w"
	[ "$st" -eq 1 ] && contains "$T/out" "settings.py:1: BLOCK"
	check $? "blocks the token of the commit not yet pushed"
}
h_log_all() {
	tokened "$T/w"
	run "$T/w"
	[ "$st" -eq 1 ]
	check $? "blocks the token in the history"
}
h_patch() {
	tokened "$T/w"
	git -C "$T/w" format-patch -q -1 --stdout >"$T/w/change.patch"
	run "$T/w"
	[ "$st" -eq 1 ] && contains "$T/out" "settings.py:1: BLOCK"
	check $? "blocks the token in the patch"
}
h_write_baseline() {
	tokened "$T/b"
	rm -f "$T/b/sasguard-baseline.txt"
	run "$T/b"
	[ "$st" -eq 0 ] && grep -Eqx '[0-9a-f]{16}' "$T/b/sasguard-baseline.txt"
	check $? "exits 0 and writes the token's fingerprint"
}
h_baseline() {
	[ -f "$T/b/sasguard-baseline.txt" ] || {
		tokened "$T/b"
		(cd "$T/b" && git log -p --all | sasguard --write-baseline sasguard-baseline.txt) >/dev/null 2>&1
	}
	(cd "$T/b" && git log -p --all | sasguard) >/dev/null 2>&1
	[ $? -eq 1 ]
	check $? "without the baseline the token blocks"
	run "$T/b"
	check "$st" "with it, passes (exit 0)"
}

# ------------------------------------------------------------ main
units
table >"$T/table"
n=$(find "$T/units" -name '*.key' | wc -l)
[ "$n" -gt 30 ]
ok $? "the README's sh blocks hold $n commands"
: >"$T/seen"
for k in "$T"/units/*.key; do
	unit=${k%.key}.sh
	key=$(cat "$k")
	where=$(cat "${k%.key}.where")
	grep -Fxq -- "$key" "$T/seen" && continue
	printf '%s\n' "$key" >>"$T/seen"
	h=$(K=$key awk '{ i = index($0, "@@"); if (substr($0, i + 2) == ENVIRON["K"]) { print substr($0, 1, i - 1); exit } }' "$T/table")
	case $h in
	'')
		fail "$where: '$key' is in the README but not in tests/readme.t's table: run it there, or say why it cannot run" ;;
	skip:*)
		skip "$where: $key: ${h#skip:}" ;;
	*)
		"$h" ;;
	esac
done
# The output the README shows for the incident commit is what sasguard says.
inc=$ROOT/../shared/cases/msleak/msleak-a9e0e80.diff
awk '/^\$ sasguard --now 2021-10-06T00:00:00Z msleak-a9e0e80.diff$/ { f = 1; next }
    f && /^```/ { exit } f' README.md >"$T/shown"
if ! [ -r "$inc" ]; then
	skip "the README's output of the incident commit: $inc is not there"
elif ! [ -s "$T/shown" ]; then
	fail "the README shows the output of the incident commit"
else
	"$SASGUARD" --now 2021-10-06T00:00:00Z "$inc" >"$T/out" 2>&1
	diff "$T/shown" "$T/out" >"$T/diff"
	ok $? "the README's output of the incident commit is what sasguard says"
	show "$T/diff"
fi
# Every link of README.md and docs/*.md to a file here, or to a heading
# (GitHub's anchors), leads somewhere.
perl -e '
	use File::Basename; use File::Spec;
	sub slug { my $h = lc shift; $h =~ s/[^\w\- ]//g; $h =~ tr/ /-/; $h }
	my %anchors;
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die; my $code = 0;
		while (<$fh>) {
			$code = !$code if /^\s*```/;
			$anchors{$f}{slug($1)} = 1 if !$code && /^#+ (.*?)\s*$/;
		}
	}
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die; local $/; my $t = <$fh>;
		while ($t =~ /\]\(([^)\s]+)\)/g) {
			my $l = $1; next if $l =~ /^[a-z]+:/;
			my ($path, $frag) = split /#/, $l, 2;
			my $to = $path eq "" ? $f : File::Spec->abs2rel(File::Spec->rel2abs($path, dirname($f)));
			1 while $to =~ s{[^/]+/\.\./}{};
			if (!-e $to) { print "$f: $l: no such file\n"; next; }
			print "$f: $l: no such heading\n"
			    if defined $frag && $to =~ /\.md$/ && !$anchors{$to}{$frag};
		}
	}' README.md docs/*.md >"$T/links"
! [ -s "$T/links" ]
ok $? "every link in README.md and docs/*.md leads to a file and heading"
show "$T/links"
# A table entry the README no longer has is stale.
: >"$T/stale"
while IFS= read -r line; do
	k=${line#*@@}
	grep -Fxq -- "$k" "$T/seen" || printf '%s\n' "$k" >>"$T/stale"
done <"$T/table"
! [ -s "$T/stale" ]
ok $? "every command in the table is still in the README"
show "$T/stale"
# shellcheck disable=SC2154 # tap_n is lib.sh's count
echo "1..$tap_n"
done_testing
