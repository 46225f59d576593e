/*
 * Unit tests for lib/split.c: what each kind of line contributes when
 * joined (split_fragment), and split_line's promises - a split token is
 * reported once, at the line where it becomes whole; a token whole on a
 * line is not reported again; runs end at a gap, a new file, a window.
 * The signature is made up and signs nothing; failures print counts and
 * fragments of code, never a signature.
 */
#include <stdio.h>
#include <string.h>

#include "split.h"
#include "tap.h"

#define A "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&ss=b&srt=sco"
#define B "&sp=rwdl&se=2051-01-01"
#define C "&sig=2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"

static int reported;
static long at_line;
static const struct diff_line *cur;

static void
frag(const char *line, int quote_in, const char *want, int quote_out,
    const char *why)
{
	char out[256];
	size_t n;
	int q = quote_in;

	n = split_fragment(line, strlen(line), &q, out, sizeof out - 1);
	out[n] = '\0';
	is_str(out, want, "fragment: %s", why);
	is_int(q, quote_out, "fragment: %s: string state", why);
}

static void
test_fragments(void)
{
	frag("  url = (\"abc\"", 0, "abc", 0, "Python string in parentheses");
	frag("    \"def\")", 0, "def", 0, "its continuation");
	frag("var u = @\"abc\" + // it's", 0, "abc", 0, "C#, comment after");
	frag("  'abc' +", 0, "abc", 0, "JavaScript single quotes");
	frag("URL=\"${URL}&sp=r\"", 0, "&sp=r", 0, "shell appends");
	frag("URL=\"$URL&sp=r\"", 0, "&sp=r", 0, "shell appends, no braces");
	frag("curl \"abc\\", 0, "abc", '"', "backslash inside a string");
	frag("def\" -o x", '"', "def", 0, "... closed on the next line");
	frag("MODEL=abc\\", 0, "MODEL=abc", 0, "bare line, backslash");
	frag("  # weights: abc", 0, "weights: abc", 0, "wrapped comment");
	frag("// abc", 0, "abc", 0, "// comment");
	frag("  abc&def", 0, "abc&def", 0, "YAML folded line");
	frag("$u = 'abc' + `", 0, "abc", 0, "PowerShell backtick");
	frag("# don't touch", 0, "don't touch", 0, "apostrophe in a comment");
	frag("x = \"a\\/b\\u0026c\"", 0, "a\\/b\\u0026c", 0,
	    "escapes are kept for the token finder");
}

static int
count(void *user, const struct sas_token *tok)
{
	(void)user;
	(void)tok;
	reported++;
	at_line = cur->lineno;
	return 0;
}

/* Feeds lines[] as consecutive added lines of path from line `first`.
 * Each path stands for its own hunk, as a new file's lines always do. */
static void
feed(struct split *sp, const char *path, const char *const *lines,
    int n, long first)
{
	struct diff_line l;
	int i;

	for (i = 0; i < n; i++) {
		memset(&l, 0, sizeof l);
		l.text = lines[i];
		l.len = l.limit = strlen(lines[i]);
		l.first = l.last = 1;
		l.lineno = first + i;
		l.hunk = (unsigned char)path[0];
		l.candidate = 1;
		l.path = path;
		l.commit = "";
		cur = &l;
		split_line(sp, &l, count, NULL);
	}
}

static void
test_runs(void)
{
	static const char *const py[] = { "u = (\"" A "\"", "  \"" B "\"",
	    "  \"" C "\")", "x = 1" };
	static const char *const whole[] = { "u = (\"" A B C "\"",
	    "  \"&more=1\")" };
	static const char *const head[] = { "u = (\"" A B "\"" };
	static const char *const tail[] = { "  \"" C "\")" };
	struct split sp;

	memset(&sp, 0, sizeof sp);
	reported = 0;
	feed(&sp, "a.py", py, 4, 10);
	ok(reported == 1 && at_line == 12,
	    "split over three lines: once (%d), where it ends (%ld)",
	    reported, at_line);

	memset(&sp, 0, sizeof sp);
	reported = 0;
	feed(&sp, "a.py", whole, 2, 10);
	is_int(reported, 0, "whole on a line: not reported again as split");

	memset(&sp, 0, sizeof sp);
	reported = 0;
	feed(&sp, "a.py", head, 1, 10);
	feed(&sp, "a.py", tail, 1, 12);
	is_int(reported, 0, "a gap in line numbers ends the run");
	feed(&sp, "a.py", head, 1, 20);
	feed(&sp, "b.py", tail, 1, 21);
	is_int(reported, 0, "another file (another hunk) ends the run");
	feed(&sp, "a.py", head, 1, 30);
	feed(&sp, "a.py", tail, 1, 31);
	is_int(reported, 1, "the same halves, consecutive: found");
}

int
main(void)
{
	test_fragments();
	test_runs();
	return tap_done();
}
