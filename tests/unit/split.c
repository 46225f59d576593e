/*
 * Unit tests for lib/split.c: what each kind of line contributes when
 * joined (split_fragment), and split_line's promises - a split token is
 * reported once, at the line where it becomes whole; a token whole on a
 * line is not reported again; runs end at a gap, a new file, a window.
 * Lines go through the diff reader as scan.c has them: lazily, with the
 * lines before them read back from its buffer. The signature is made up
 * and signs nothing; failures print counts and fragments of code, never
 * a signature.
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

/* What scan.c does with each line the reader hands on. */
struct feeder {
	struct diff d;
	struct split sp;
};

static int
feed_line(void *user, const struct diff_line *l)
{
	struct feeder *f = user;
	int r;

	cur = l;
	r = split_line(&f->sp, l, count, NULL);
	if (f->sp.follow > f->d.follow)
		f->d.follow = f->sp.follow;
	return r;
}

/*
 * Reads a diff whose hunks are given as "@path:first" then their added
 * lines, as the reader hands them on (lazily: lines without a hint only
 * when split_line asks to see them). Returns how many tokens came out.
 */
static int
feed(const char *const *spec)
{
	static char diff[16384];
	struct feeder f;
	size_t n = 0;
	int i, j;

	for (i = 0; spec[i] != NULL; i = j) {
		const char *colon = strchr(spec[i], ':');
		int path_len = (int)(colon - spec[i] - 1);

		for (j = i + 1; spec[j] != NULL && spec[j][0] != '@'; j++)
			continue;
		n += (size_t)snprintf(diff + n, sizeof diff - n,
		    "diff --git a/%.*s b/%.*s\n--- a/%.*s\n+++ b/%.*s\n"
		    "@@ -%s,0 +%s,%d @@\n", path_len, spec[i] + 1, path_len,
		    spec[i] + 1, path_len, spec[i] + 1, path_len, spec[i] + 1,
		    colon + 1, colon + 1, j - i - 1);
		for (i++; i < j; i++)
			n += (size_t)snprintf(diff + n, sizeof diff - n, "+%s\n",
			    spec[i]);
	}
	memset(&f.sp, 0, sizeof f.sp);
	diff_init(&f.d);
	reported = 0;
	at_line = 0;
	if (diff_read_mem(&f.d, diff, n, feed_line, &f) != 0)
		reported = -1;
	diff_release(&f.d);
	return reported;
}

#define FILLER "  # nothing to see here, just some words in a comment"
#define FILLER8 FILLER, FILLER, FILLER, FILLER, FILLER, FILLER, FILLER, FILLER

static void
test_runs(void)
{
	static const char *const py[] = { "@a.py:10", "u = (\"" A "\"",
	    "  \"" B "\"", "  \"" C "\")", "x = 1", NULL };
	static const char *const whole[] = { "@a.py:10", "u = (\"" A B C "\"",
	    "  \"&more=1\")", NULL };
	static const char *const gap[] = { "@a.py:10", "u = (\"" A B "\"",
	    "@a.py:12", "  \"" C "\")", NULL };
	static const char *const other_file[] = { "@a.py:20",
	    "u = (\"" A B "\"", "@b.py:21", "  \"" C "\")", NULL };
	static const char *const next[] = { "@a.py:30", "u = (\"" A B "\"",
	    "  \"" C "\")", NULL };
	/* Lines without a hint before: read back, never handed on. */
	static const char *const far[] = { "@a.py:1", FILLER8, FILLER8,
	    FILLER8, FILLER8, "u = (\"" A "\"", "  \"" B "\"",
	    "  \"" C "\")", NULL };
	/* The signature goes on over a line with no hint of its own. */
	static const char *const tail_sig[] = { "@a.py:5", "u = (\"" A B
	    "&sig=2svwcKUuM2vwhet2ojlvzucpHYm\"", "  \"UiY2%2FvC3UfgFFk6s%3D\")",
	    NULL };
	/* ... but not 33 lines later. */
	static const char *const too_far[] = { "@a.py:5", "u = (\"" A B
	    "&sig=2svwcKUuM2vwhet2ojlvzucpHYm\"", FILLER8, FILLER8, FILLER8,
	    FILLER8, FILLER, "  \"UiY2%2FvC3UfgFFk6s%3D\")", NULL };

	int n;

	n = feed(py);
	ok(n == 1 && at_line == 12,
	    "split over three lines: once (%d), where it ends (%ld)", n,
	    at_line);
	is_int(feed(whole), 0, "whole on a line: not reported again as split");
	is_int(feed(gap), 0, "a gap in line numbers ends the run");
	is_int(feed(other_file), 0, "another file (another hunk) ends the run");
	n = feed(next);
	ok(n == 1 && at_line == 31, "the same halves, consecutive: found (%d) "
	    "at line %ld", n, at_line);
	n = feed(far);
	ok(n == 1 && at_line == 35, "32 lines without a hint before it: found "
	    "(%d) at line %ld", n, at_line);
	n = feed(tail_sig);
	ok(n == 1 && at_line == 6, "the end of a signature on a line without "
	    "a hint: found (%d) at line %ld", n, at_line);
	is_int(feed(too_far), 0, "... not when 33 lines come between");
}

int
main(void)
{
	test_fragments();
	test_runs();
	return tap_done();
}
