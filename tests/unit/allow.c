/*
 * Unit tests for exceptions: globs, fingerprints, sets of them, the
 * [allow] section of a rules file (repeated keys and layered files add
 * up), the order of reasons, a pattern tripping its limit, and JSON
 * string escaping for any bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "json.h"
#include "rules.h"
#include "tap.h"

static void
test_glob(void)
{
	static const struct { const char *glob, *path; int want; } t[] = {
		{ "*.md", "README.md", 1 },
		{ "*.md", "docs/README.md", 0 },
		{ "**/*.md", "README.md", 1 },
		{ "**/*.md", "docs/a/README.md", 1 },
		{ "docs/**", "docs/a/b.txt", 1 },
		{ "docs/**", "docsx/a", 0 },
		{ "test/**/fixtures/*", "test/fixtures/a.json", 1 },
		{ "test/**/fixtures/*", "test/x/y/fixtures/a.json", 1 },
		{ "test/**/fixtures/*", "test/x/fixtures/y/a.json", 0 },
		{ "?.txt", "a.txt", 1 },
		{ "?.txt", "/.txt", 0 },
		{ "[ab].txt", "b.txt", 1 },
		{ "[!ab].txt", "b.txt", 0 },
		{ "[a-c]x", "cx", 1 },
		{ "\\*.txt", "*.txt", 1 },
		{ "\\*.txt", "a.txt", 0 },
		{ "a**b", "a/x/b", 1 },
		{ "**", "anything/at/all", 1 },
		{ "exact/path.py", "exact/path.py", 1 },
		{ "exact/path.py", "exact/path.pyc", 0 },
	};
	char path[4000];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(glob_match(t[i].glob, t[i].path), t[i].want,
		    "glob '%s' %s '%s'", t[i].glob, t[i].want ? "matches" :
		    "does not match", t[i].path);
	/* Many stars on a long path that does not match: must be quick. */
	memset(path, 'a', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	is_int(glob_match("**a**a**a**a**a**a**a**a**b", path), 0,
	    "a glob full of ** on a long path ends (no backtracking)");
}

static void
test_fingerprints(void)
{
	unsigned char sig[32];
	char hex[FINGERPRINT_BUFSIZE];
	uint64_t fp;
	struct fpset s;
	int i;

	/* SHA-256 of 32 zero bytes starts 66687aadf862bd77. */
	memset(sig, 0, sizeof sig);
	is_str(fingerprint_format(fingerprint_of(sig), hex),
	    "66687aadf862bd77", "the fingerprint is SHA-256's first 8 bytes");
	ok(fingerprint_parse("66687AADF862BD77", 16, &fp) == 0 &&
	    fp == 0x66687aadf862bd77ULL, "fingerprints parse in any case");
	ok(fingerprint_parse("66687aadf862bd7", 15, &fp) != 0,
	    "15 digits are not a fingerprint");
	ok(fingerprint_parse("66687aadf862bd7g", 16, &fp) != 0,
	    "a non-hex digit is not a fingerprint");
	memset(&s, 0, sizeof s);
	for (i = 0; i < 1000; i++)
		fpset_add(&s, (uint64_t)(i % 10) * 7919);
	fpset_sort(&s);
	is_int((long long)s.n, 10, "a set keeps each fingerprint once");
	ok(fpset_has(&s, 9 * 7919) && !fpset_has(&s, 1),
	    "... and finds what it holds, only that");
	fpset_release(&s);
}

static void
test_rules_section(void)
{
	char err[RULES_ERR_MAX];
	struct rules r;

	rules_init(&r, err, sizeof err);
	ok(r.allow.inline_marker == 1, "default: inline markers are on");
	ok(rules_load_string(&r, "[allow]\npaths = a/**\npaths = b/**\n"
	    "fingerprints = 0000000000000001 0000000000000002\n"
	    "fingerprints = 0000000000000003\n", "one.ini", err,
	    sizeof err) == 0, "repeated list keys load");
	ok(rules_load_string(&r, "[allow]\npaths = c/**\ninline = false\n",
	    "two.ini", err, sizeof err) == 0, "a second file loads");
	is_int((long long)r.allow.npaths, 3,
	    "paths add up, over repeated keys and layered files");
	is_int((long long)r.allow.fingerprints.n, 3,
	    "fingerprints add up too");
	ok(r.allow.inline_marker == 0, "inline = false wins");
	ok(rules_load_string(&r, "[allow]\nbaseline = base.txt\n",
	    "conf/rules.ini", err, sizeof err) == 0 &&
	    strcmp(r.allow.baseline, "conf/base.txt") == 0,
	    "a relative baseline is taken from the rules file's folder");
	ok(rules_load_string(&r, "[allow]\nbaseline = /etc/b\n", "c/r.ini",
	    err, sizeof err) == 0 && strcmp(r.allow.baseline, "/etc/b") == 0,
	    "an absolute baseline stays as it is");
	ok(rules_load_string(&r, "[allow]\n\nregex = a(\n", "bad.ini", err,
	    sizeof err) != 0 && strstr(err, "bad.ini:3: regex does not "
	    "compile") == err, "a bad regex names its file and line");
	ok(rules_load_string(&r, "[allow]\ninline = maybe\n", "x.ini", err,
	    sizeof err) != 0 && strstr(err, "x.ini:2: inline must be false "
	    "or true") != NULL, "inline takes true or false only");
	ok(rules_load_string(&r, "[allow]\nexcept = x\n", "x.ini", err,
	    sizeof err) != 0 && strstr(err, "unknown key 'except' in "
	    "[allow]") != NULL, "an unknown key in [allow] is an error");
	rules_release(&r);
}

static void
test_check(void)
{
	char err[ALLOW_ERR_MAX], line[200];
	struct allow_failure fail;
	struct allow a;
	int r;

	memset(&a, 0, sizeof a);
	a.inline_marker = 1;
	allow_add_path(&a, "test/**", err, sizeof err);
	allow_add_fingerprints(&a, "00000000000000aa", err, sizeof err);
	fpset_add(&a.baselined, 0xbb);
	ok(allow_add_regex(&a, "^FAKE_", "r.ini:9", err, sizeof err) == 0,
	    "a pattern compiles");
	is_int(allow_check(&a, "src/x", "x", 1, 1, 0xaa, &fail),
	    ALLOW_INLINE, "a marked line: inline comes first");
	is_int(allow_check(&a, "test/x", "x", 1, 0, 0xaa, &fail), ALLOW_PATH,
	    "then the path");
	is_int(allow_check(&a, "src/x", "x", 1, 0, 0xaa, &fail),
	    ALLOW_FINGERPRINT, "then the fingerprint");
	is_int(allow_check(&a, "src/x", "x", 1, 0, 0xbb, &fail),
	    ALLOW_BASELINE, "then the baseline");
	is_int(allow_check(&a, "src/x", "FAKE_SAS=", 9, 0, 0xcc, &fail),
	    ALLOW_REGEX, "then the pattern, on the line");
	is_int(allow_check(&a, "src/x", "REAL_SAS=", 9, 0, 0xcc, &fail),
	    ALLOW_NONE, "nothing matches: not allowed");
	allow_add_regex(&a, "(a+)+$", "r.ini:10", err, sizeof err);
	memset(line, 'a', 60);
	strcpy(line + 60, "!");
	r = allow_check(&a, "src/x", line, strlen(line), 0, 0xcc, &fail);
	ok(r == -1 && strcmp(fail.regex->origin, "r.ini:10") == 0,
	    "a pattern that backtracks without end fails, naming its line");
	allow_release(&a);
}

static void
test_json(void)
{
	static const struct { const char *in; size_t n; const char *want; }
	    t[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
		{ "\n\t\x01\x7f", 4, "\"\\n\\t\\u0001\\u007f\"" },
		{ "\xc3\xa9", 2, "\"\xc3\xa9\"" },
		{ "\xff", 1, "\"\xef\xbf\xbd\"" },
		{ "\xc3", 1, "\"\xef\xbf\xbd\"" },
		{ "\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
	};
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		f = open_memstream(&buf, &len);
		json_string(f, t[i].in, t[i].n);
		fclose(f);
		ok(strcmp(buf, t[i].want) == 0, "JSON string case %zu", i);
		free(buf);
		buf = NULL;
	}
	f = open_memstream(&buf, &len);
	json_uri(f, "a b/\"c\"%/\xc3\xa9");
	fclose(f);
	is_str(buf, "\"a%20b/%22c%22%25/%C3%A9\"", "a path as a URI");
	free(buf);
}

int
main(void)
{
	test_glob();
	test_fingerprints();
	test_rules_section();
	test_check();
	test_json();
	return tap_done();
}
