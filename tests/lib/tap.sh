# tap.sh - TAP for the shell tests, sourced by tests/*.t and tests/e2e/*.t.
# Failure messages must never print a full SAS signature: print what the
# tool said, which is redacted, never the fixture's own text.
tap_n=0
tap_failed=0

ok() {	# ok CONDITION-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

skip() {	# skip DESCRIPTION REASON
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# Skips the whole test file, with a plan, when a file it needs from
# ../shared is not there (a checkout without shared/ beside it).
need_file() {	# need_file PATH WHAT
	[ -r "$1" ] && return 0
	skip "$2" "$1 is not there"
	done_testing
	exit 0
}

# Runs sasguard, judging at NOW, on a fixture that says in its leading '#'
# lines what must happen ("expect-exit: N", "expect: TEXT", "args: ...");
# checks the exit status and each expected text, and leaves the output in
# $tap_tmp/out and the status in $fixture_rc for the caller's own checks.
check_fixture() {	# check_fixture FILE NAME NOW
	want_exit=$(sed -n 's/^# expect-exit: //p' "$1")
	args=$(sed -n 's/^# args: //p' "$1")
	# shellcheck disable=SC2086
	"$SASGUARD" --now "$3" $args "$1" > "$tap_tmp/out" 2>&1
	fixture_rc=$?
	[ "$fixture_rc" = "$want_exit" ]
	ok $? "$2: exits $want_exit (got $fixture_rc)"
	sed -n 's/^# expect: //p' "$1" > "$tap_tmp/want"
	while IFS= read -r line; do
		grep -F -q -- "$line" "$tap_tmp/out"
		ok $? "$2: says '$line'"
	done < "$tap_tmp/want"
	# Redacted output only: safe to show when something is off.
	[ "$fixture_rc" = "$want_exit" ] || sed 's/^/#   /' "$tap_tmp/out"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# Every signature-like value on the '+' lines of a file, in each form it
# could be printed in: as written, percent-decoded once and fully.
secret_forms() {
	perl -ne '
		next unless /^\+/;
		while (/sig(?:=|%3D|%253D)([A-Za-z0-9%+\/=]{20,})/gi) {
			my $v = $1; my %seen;
			for (1..4) {
				$seen{$v} = 1 if length($v) >= 20;
				(my $d = $v) =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
				last if $d eq $v; $v = $d;
			}
			$seen{$v} = 1;
			(my $cut = $v) =~ s/=+$//;
			$seen{$cut} = 1;
			print "$_\n" for keys %seen;
		}' "$1" | sort -u
}

# Exit 0 when file $2 holds none of the secret forms found in file $1.
no_secret_in() {
	secret_forms "$1" > "$tap_tmp/forms"
	[ -s "$tap_tmp/forms" ] || return 0
	! grep -F -f "$tap_tmp/forms" "$2" > /dev/null
}
