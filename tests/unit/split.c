/*
 * Unit tests for lib/split.c: what each kind of line contributes when
 * joined (split_fragment); what joins and what does not (only string
 * content, past the signature, a notebook's elements: split_join); and,
 * through the reader as scan.c has it (lazily, with `context`, the lines
 * around read back from its buffer), that a split token is reported once,
 * at its signature's line when that is added, else at an added line it
 * covers, never when nothing of it is added; a token whole on a line is
 * not reported again; runs end at a gap, a new file, a window. The
 * signature is made up and signs nothing; failures print counts and
 * fragments of code, never a signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notebook.h"
#include "split.h"
#include "tap.h"

#define A "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&ss=b&srt=sco"
#define B "&sp=rwdl&se=2051-01-01"
#define C "&sig=2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"

static int reported;
static long at_line;

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

/* What scan.c does with each line the reader hands on, reduced to the
 * split tokens: joined, found, reported once at the line the span says,
 * unless the line as written holds the token whole. */
struct feeder {
	struct diff d;
	struct split sp;
	uint64_t whole[8];
	int nwhole;
};

static uint64_t
sig_id(const unsigned char sig[32])
{
	uint64_t h = 0;

	memcpy(&h, sig, sizeof h);
	return h;
}

static int
whole_token(void *user, const struct sas_token *tok)
{
	struct feeder *f = user;

	if (f->nwhole < 8)
		f->whole[f->nwhole++] = sig_id(tok->sig);
	return 0;
}

static int
joined_token(void *user, const struct sas_token *tok)
{
	struct feeder *f = user;
	struct split_span span;
	int i;

	if (split_span_of(&f->sp, tok->start, tok->end, tok->sig_end,
	    &span) != 0 || span.first == span.last || !span.added ||
	    span.first > f->sp.cur || span.last < f->sp.cur)
		return 0;
	for (i = 0; i < f->nwhole; i++)
		if (f->whole[i] == sig_id(tok->sig))
			return 0;
	if (split_seen(&f->sp, sig_id(tok->sig)))
		return 0;
	reported++;
	at_line = f->sp.win[span.report].lineno;
	return 0;
}

static int
feed_line(void *user, const struct diff_line *l)
{
	struct feeder *f = user;
	const char *text;
	size_t n;

	f->nwhole = 0;
	if (!l->context)
		sas_scan(l->text, l->len, l->len, whole_token, f);
	if (sas_trigger(l->text, l->len) >= l->len &&
	    !notebook_path(l->path))
		return 0;
	if ((n = split_join(&f->sp, l, &text)) > 0)
		sas_scan(text, n, n, joined_token, f);
	return 0;
}

/*
 * Reads a diff whose hunks are given as "@path:first" then their lines,
 * added unless they start with '~' (unchanged) or '!' (removed), as the
 * reader hands them on with `context`. Returns how many split tokens
 * came out.
 */
static int
feed(const char *const *spec)
{
	static char diff[16384];
	struct feeder f;
	size_t n = 0;
	int i, j, nold, nnew;

	for (i = 0; spec[i] != NULL; i = j) {
		const char *colon = strchr(spec[i], ':');
		int path_len = (int)(colon - spec[i] - 1);

		nold = nnew = 0;
		for (j = i + 1; spec[j] != NULL && spec[j][0] != '@'; j++) {
			nold += spec[j][0] == '~' || spec[j][0] == '!';
			nnew += spec[j][0] != '!';
		}
		n += (size_t)snprintf(diff + n, sizeof diff - n,
		    "diff --git a/%.*s b/%.*s\n--- a/%.*s\n+++ b/%.*s\n"
		    "@@ -%s,%d +%s,%d @@\n", path_len, spec[i] + 1, path_len,
		    spec[i] + 1, path_len, spec[i] + 1, path_len, spec[i] + 1,
		    colon + 1, nold, colon + 1, nnew);
		for (i++; i < j; i++)
			n += (size_t)snprintf(diff + n, sizeof diff - n, "%c%s\n",
			    spec[i][0] == '~' ? ' ' : spec[i][0] == '!' ? '-' :
			    '+', spec[i] + (spec[i][0] == '~' ||
			    spec[i][0] == '!'));
	}
	memset(&f, 0, sizeof f);
	diff_init(&f.d);
	f.d.context = 1;
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

/* The joined text at the first line with a trigger, for what joins. */
static char joined[4096];

static int
join_line(void *user, const struct diff_line *l)
{
	struct split *sp = user;
	const char *text;
	size_t n;

	if (joined[0] != '\0' || sas_trigger(l->text, l->len) >= l->len)
		return 0;
	n = split_join(sp, l, &text);
	if (n == 0)
		snprintf(joined, sizeof joined, "(nothing)");
	else
		snprintf(joined, sizeof joined, "%.*s", (int)n, text);
	return 0;
}

static void
joins_as(const char *path, const char *body, const char *want,
    const char *why)
{
	static char diff[8192];
	struct split sp;
	struct diff d;
	int lines = 0;
	const char *p;

	for (p = body; *p != '\0'; p++)
		lines += *p == '\n';
	snprintf(diff, sizeof diff, "diff --git a/%s b/%s\n--- a/%s\n"
	    "+++ b/%s\n@@ -0,0 +1,%d @@\n%s", path, path, path, path, lines,
	    body);
	memset(&sp, 0, sizeof sp);
	joined[0] = '\0';
	diff_init(&d);
	d.context = 1;
	diff_read_mem(&d, diff, strlen(diff), join_line, &sp);
	diff_release(&d);
	is_str(joined, want, "joins: %s", why);
}

#define S "&sig=2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"

static void
test_joins(void)
{
	joins_as("a.py", "+t = \"sr=h.azure-devices.net" S "&se=1617837820\"\n"
	    "+\n+client = IoTHubClient(conn)\n",
	    "sr=h.azure-devices.net" S "&se=1617837820",
	    "a closed string does not go on into code two lines below");
	joins_as("a.py", "+t = \"sr=h.azure-devices.net" S "&se=1617837820\"\n"
	    "+client = IoTHubClient(conn)\n",
	    "sr=h.azure-devices.net" S "&se=1617837820",
	    "... nor into code on the next line");
	joins_as("a.h", "+#define T \"sv=2020-08-04" S "&se=1617837820\" \\\n"
	    "+  \"&skn=x\"\n+#endif\n",
	    "sv=2020-08-04" S "&se=1617837820&skn=x",
	    "#define continued by '\\': its strings, not the #endif");
	joins_as("a.py", "+u = (\"sv=2020-08-04&se=2051-01-01\"\n"
	    "+print(\"x\")\n+  \"" S "\")\n", S,
	    "a call between two strings ends the join before it");
	joins_as("a.zig", "+const t = \"sr=b&sv=2020-08-04\" ++\n+  \"" S
	    "\" ++\n+  \"&se=1617837820&skn=Root\";\n",
	    "sr=b&sv=2020-08-04" S "&se=1617837820&skn=Root",
	    "Zig ++: on past the signature, to what decides the kind");
	joins_as("a.py", "+u = (\"sv=2020-08-04\"\n+  \"" S "\")\n"
	    "+x = \"&se=2051-01-01\"\n", "sv=2020-08-04" S,
	    "a new statement after the closing parenthesis is not joined");
	joins_as("n.ipynb", "+    \"url = \\\"https://a.blob.core.windows.net/"
	    "c?sv=2020-08-04\\\"\\n\",\n+    \"  \\\"" S "\\\"\\n\"\n",
	    "https://a.blob.core.windows.net/c?sv=2020-08-04" S,
	    "notebook: one element per line of code");
	joins_as("n.ipynb", "+    \"u = 'https://a.blob.core.windows.net/c?"
	    "sv=2020-08-04\",\n+    \"" S "'\\n\"\n",
	    "https://a.blob.core.windows.net/c?sv=2020-08-04" S,
	    "notebook: a line of code cut between two elements");
	joins_as("n.json", "+    \"u = 'https://a.blob.core.windows.net/c?"
	    "sv=2020-08-04\",\n+    \"" S "'\\n\"\n", S "'\\n",
	    "not a notebook: array elements are not one line of code");
}

static void
test_context(void)
{
	static const char *const sig_added[] = { "@a.py:10",
	    "~u = (\"" A "\"", "~  \"" B "\"", "  \"" C "\")", NULL };
	static const char *const se_added[] = { "@a.py:10",
	    "~u = (\"" A "\"", "  \"" B "\"", "~  \"" C "\")", NULL };
	static const char *const none_added[] = { "@a.py:10",
	    "~u = (\"" A "\"", "~  \"" B "\"", "~  \"" C "\")",
	    "# a comment added next to it", NULL };
	static const char *const comment_inside[] = { "@a.py:10",
	    "~u = (\"" A "\"", "  # a comment added inside it",
	    "~  \"" B "\"", "~  \"" C "\")", NULL };
	static const char *const removed[] = { "@a.py:10",
	    "~u = (\"" A B "\"", "!  \"" C "\")", "  \"&x=1\")", NULL };
	int n;

	n = feed(sig_added);
	ok(n == 1 && at_line == 12, "the signature added to unchanged lines: "
	    "found (%d) at its line (%ld)", n, at_line);
	n = feed(se_added);
	ok(n == 1 && at_line == 11, "only the expiry added, the signature "
	    "unchanged: found (%d) at the added line (%ld)", n, at_line);
	is_int(feed(none_added), 0, "nothing of it added, a comment added "
	    "beside it: not reported");
	is_int(feed(comment_inside), 0, "a comment added inside it: not "
	    "reported");
	is_int(feed(removed), 0, "a removed line never joins");
}

/*
 * The oldest line the reader still holds of a long run may have lost its
 * start (before_cut): its piece is what is there, never the bytes in front
 * of it (which, at the start of the buffer, are not the buffer's). The
 * `before` here is its own allocation, so AddressSanitizer (make
 * check-asan) sees a read in front of it.
 */
static void
test_cut_start(void)
{
	static const char lines[] = "abc\n+  \"&sp=r\"\n";
	char *before = malloc(sizeof lines - 1);
	struct diff_line l;
	struct split sp;

	memcpy(before, lines, sizeof lines - 1);
	memset(&l, 0, sizeof l);
	memset(&sp, 0, sizeof sp);
	l.text = "  \"&sig=x\"";
	l.len = strlen(l.text);
	l.limit = l.len;
	l.first = l.last = 1;
	l.run = 7;
	l.lineno = 10;
	l.before = before;
	l.beforelen = sizeof lines - 1;
	l.before_cut = 1;
	l.prefix = 1;
	l.path = l.commit = "";
	ok(split_window(&sp, &l) == 3, "a cut run: two lines before, then "
	    "the line");
	ok(sp.win[0].text == before && sp.win[0].len == 3 && sp.win[0].cut,
	    "the line that lost its start is what is left of it (3 bytes), "
	    "marked cut");
	free(before);
}

int
main(void)
{
	test_fragments();
	test_cut_start();
	test_runs();
	test_joins();
	test_context();
	return tap_done();
}
