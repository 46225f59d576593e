/*
 * Unit tests for the diff reader.
 *
 * Data-driven first: every tests/fixtures/diff/NAME.diff (or .patch) was
 * printed by real git; NAME.lines lists what the reader must hand on, one
 * added line per row: commit, path, new-side line number and text, TAB-
 * separated. Then the cases that are about size and damage, built here:
 * windows over a long line, a diff cut off mid-hunk, counts that lie.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/diff"

/* Rows of text, one per whole added line. */
struct rows {
	char *out;
	size_t len, cap;
};

struct collect {
	struct rows all;
	size_t windows, bytes;
	int first_seen, last_seen;
	size_t next_offset;
	int overlap_ok;
	struct rows cand;		/* only the lines with a hint */
	/* The same lines' runs: where each starts and what `before` holds
	 * of it (candb: the lines with a hint only). */
	struct rows allb, candb;
	/* The end of the last whole line, to check what the next says of
	 * its run. */
	unsigned long long prev_run;
	char prev[256];
	size_t prevlen;
	int prev_cut;
	int run_ok;
	int rc;
};

static void
append(struct rows *c, const char *p, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->out = realloc(c->out, c->cap);
	}
	if (n > 0)	/* p may be NULL then (an empty `before`) */
		memcpy(c->out + c->len, p, n);
	c->len += n;
	c->out[c->len] = '\0';
}

static void
row_add(struct rows *r, const char *head, const struct diff_line *l)
{
	append(r, head, strlen(head));
	append(r, l->text, l->len);
	append(r, "\n", 1);
}

/*
 * A line's run and `before` agree with the line handed on before it: the
 * same run iff before ends with that line, as the diff wrote it; a new
 * run iff before is empty.
 */
static int
run_agrees(const struct collect *c, const struct diff_line *l)
{
	const char *b = l->before;
	size_t n = l->beforelen, k = c->prevlen;

	if (l->run == 0)
		return n == 0;
	if (l->run != c->prev_run)
		return n == 0 && !l->before_cut;
	if (n == 0 || b[--n] != '\n')
		return 0;
	if (n > 0 && b[n - 1] == '\r')
		n--;
	if (n < k || memcmp(b + n - k, c->prev, k) != 0)
		return 0;
	/* The prefix of the line before, when its start is known. */
	return c->prev_cut || (n >= k + (size_t)l->prefix &&
	    memchr(b + n - k - (size_t)l->prefix, '+', (size_t)l->prefix) !=
	    NULL);
}


/* One row per whole added line; windows of long lines are checked for
 * how they overlap instead. */
static int
collect_line(void *user, const struct diff_line *l)
{
	struct collect *c = user;
	char head[DIFF_PATH_MAX + 128], runhead[64];

	c->windows++;
	c->bytes += l->len;
	if (l->offset != c->next_offset && !l->first)
		c->overlap_ok = 0;
	c->next_offset = l->last ? 0 : l->offset + l->limit;
	if (!(l->first && l->last))
		return 0;
	if (!run_agrees(c, l))
		c->run_ok = 0;
	c->prev_run = l->run;
	c->prev_cut = l->len > sizeof c->prev;
	c->prevlen = c->prev_cut ? sizeof c->prev : l->len;
	memcpy(c->prev, l->text + l->len - c->prevlen, c->prevlen);
	snprintf(head, sizeof head, "%s\t%s\t%ld\t", l->commit, l->path,
	    l->lineno);
	row_add(&c->all, head, l);
	snprintf(runhead, sizeof runhead, "%llu %d %zu|", l->run,
	    l->before_cut, l->beforelen);
	append(&c->allb, runhead, strlen(runhead));
	append(&c->allb, l->before, l->beforelen);
	if (l->candidate) {
		row_add(&c->cand, head, l);
		append(&c->candb, runhead, strlen(runhead));
		append(&c->candb, l->before, l->beforelen);
	}
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static struct collect
run_mode(const char *data, size_t len, int every, int context,
    long *truncated)
{
	struct collect c = { 0 };
	struct diff d;

	c.overlap_ok = c.run_ok = 1;
	append(&c.all, "", 0);
	append(&c.cand, "", 0);
	append(&c.allb, "", 0);
	append(&c.candb, "", 0);
	diff_init(&d);
	d.every = every;
	d.context = context;
	c.rc = diff_read_mem(&d, data, len, collect_line, &c);
	*truncated = d.truncated;
	diff_release(&d);
	return c;
}

static struct collect
run(const char *data, size_t len, int every, long *truncated)
{
	return run_mode(data, len, every, 0, truncated);
}

static void
collect_free(struct collect *c)
{
	free(c->all.out);
	free(c->cand.out);
	free(c->allb.out);
	free(c->candb.out);
}

/* Read lazily, the lines handed on have the runs and `before` that
 * reading every line gives them (the block reader works runs out from
 * its masks). */
static int
runs_same(const struct collect *every, const struct collect *lazy)
{
	return every->candb.len == lazy->allb.len &&
	    memcmp(every->candb.out, lazy->allb.out, lazy->allb.len) == 0;
}

/*
 * The fixture with a hint ("g=") written before every k-th line end,
 * headers included: read lazily, it gives just the lines that have one,
 * as reading every line does.
 */
static void
check_lazy(const char *name, const char *data, size_t len, int k)
{
	struct collect c, lazy;
	char *hinted = malloc(len * 2 + 1);
	size_t i, n = 0, lines = 0;
	long tr;

	for (i = 0; i < len; i++) {
		if (data[i] == '\n' && ++lines % (size_t)k == 0) {
			hinted[n++] = 'g';
			hinted[n++] = '=';
		}
		hinted[n++] = data[i];
	}
	c = run(hinted, n, 1, &tr);
	lazy = run(hinted, n, 0, &tr);
	if (!ok((c.cand.len > 0 || (k > 1 || c.all.len == 0)) &&
	    strcmp(lazy.all.out, c.cand.out) == 0, "%s, a hint on %s line: "
	    "read lazily, the same lines with a hint come out", name,
	    k == 1 ? "each" : k == 2 ? "every second" : "every third"))
		printf("# every line, those with a hint:\n%s# lazily:\n%s",
		    c.cand.out, lazy.all.out);
	ok(runs_same(&c, &lazy), "%s, a hint on %s line: read lazily, the "
	    "same runs and `before`", name, k == 1 ? "each" : k == 2 ?
	    "every second" : "every third");
	collect_free(&c);
	collect_free(&lazy);
	free(hinted);
}

static void
check_fixture(const char *name)
{
	char path[512], want_path[512];
	struct collect c, lazy;
	size_t len, wlen;
	char *data, *want;
	const char *dot = strrchr(name, '.');
	long tr;

	snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
	snprintf(want_path, sizeof want_path, "%s/%.*s.lines", FIXTURES,
	    (int)(dot - name), name);
	data = slurp(path, &len);
	want = slurp(want_path, &wlen);
	c = run(data, len, 1, &tr);
	ok(c.rc == 0 && tr == 0, "%s: read to the end, nothing owed", name);
	if (getenv("DIFF_FIXTURES_WRITE") != NULL) {
		FILE *f = fopen(want_path, "wb");

		fwrite(c.all.out, 1, c.all.len, f);
		fclose(f);
	}
	if (!ok(want != NULL && strcmp(c.all.out, want) == 0,
	    "%s: added lines, paths, line numbers and commits as in %s",
	    name, want_path))
		printf("# got:\n%s", c.all.out);
	ok(c.run_ok, "%s: each line's run and `before` agree with the line "
	    "before it", name);
	lazy = run(data, len, 0, &tr);
	ok(lazy.rc == 0 && strcmp(lazy.all.out, c.cand.out) == 0,
	    "%s: read lazily, just the lines with a hint come out", name);
	ok(runs_same(&c, &lazy), "%s: read lazily, the same runs and `before`",
	    name);
	collect_free(&c);
	collect_free(&lazy);
	check_lazy(name, data, len, 1);
	check_lazy(name, data, len, 2);
	check_lazy(name, data, len, 3);
	free(data);
	free(want);
}

static int
fixture_name(const char *n)
{
	size_t k = strlen(n);

	return (k > 5 && strcmp(n + k - 5, ".diff") == 0) ||
	    (k > 6 && strcmp(n + k - 6, ".patch") == 0);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_fixtures(void)
{
	DIR *dir = opendir(FIXTURES);
	char *names[256];
	size_t n = 0, i;
	struct dirent *e;

	if (!ok(dir != NULL, "fixtures folder %s is there", FIXTURES))
		return;
	while ((e = readdir(dir)) != NULL && n < 256)
		if (fixture_name(e->d_name))
			names[n++] = strdup(e->d_name);
	closedir(dir);
	qsort(names, n, sizeof names[0], by_name);
	ok(n >= 10, "at least ten fixtures from real git (found %zu)", n);
	for (i = 0; i < n; i++) {
		check_fixture(names[i]);
		free(names[i]);
	}
}

/* A 5 MiB added line goes out in windows that overlap as documented. */
static void
test_long_line(void)
{
	const char *head = "diff --git a/x b/x\n--- a/x\n+++ b/x\n"
	    "@@ -0,0 +1,2 @@\n+";
	size_t big = 5 * 1024 * 1024, hl = strlen(head), total;
	char *data = malloc(hl + big + 16);
	struct collect c;
	long tr;

	memcpy(data, head, hl);
	memset(data + hl, 'q', big);
	memcpy(data + hl + big, "\n+after\n", 8);
	total = hl + big + 8;
	c = run(data, total, 1, &tr);
	ok(c.windows > 5, "a 5 MiB line comes in several windows (%zu)",
	    c.windows);
	ok(c.overlap_ok, "each window starts at the previous window's limit");
	ok(c.bytes >= big + 5, "no byte of the long line is skipped");
	is_str(c.all.out, "\tx\t2\tafter\n",
	    "the line after a long one keeps its number");
	is_int(tr, 0, "nothing owed after the long line");
	collect_free(&c);
	free(data);
}

/* What the lines with a hint say of the lines before them. */
struct history {
	unsigned long long run;
	size_t lines, cut, wrong;
};

/* Line i of test_history's hunk holds "line <i>" and some filler. */
static int
history_line(void *user, const struct diff_line *l)
{
	struct history *h = user;
	const char *b = l->before;
	char want[64];
	size_t n = l->beforelen, k;

	h->lines++;
	if (h->run == 0)
		h->run = l->run;
	/* The line before ends before, as "+line <i-1> ...\n". */
	snprintf(want, sizeof want, "+line %ld ", l->lineno - 1);
	k = strlen(want);
	if (n == 0 || b[--n] != '\n')
		h->wrong++;
	while (n > 0 && b[n - 1] != '\n')
		n--;
	if (l->run != h->run || !l->candidate ||
	    l->beforelen - n < k || memcmp(b + n, want, k) != 0)
		h->wrong++;
	if (l->before_cut) {
		h->cut++;
		if (l->beforelen < DIFF_HISTORY - 1)
			h->wrong++;
	} else if (l->beforelen < 7 || memcmp(b, "+line 1 ", 8) != 0)
		h->wrong++;
	return 0;
}

/*
 * One hunk of 100,000 added lines, over several buffers: every 997th line
 * has a hint. Read lazily, just those come out, each with the lines before
 * it still readable, and the run is one.
 */
static void
test_history(void)
{
	const char *head = "diff --git a/x b/x\n--- /dev/null\n+++ b/x\n"
	    "@@ -0,0 +1,100000 @@\n";
	size_t cap = 100000 * 64 + 128, len;
	char *data = malloc(cap);
	struct history h = { 0, 0, 0, 0 };
	struct diff d;
	long i;

	len = (size_t)snprintf(data, cap, "%s", head);
	for (i = 1; i <= 100000; i++)
		len += (size_t)snprintf(data + len, cap - len,
		    "+line %ld %s\n", i, i % 997 == 0 ? "msg=hello" :
		    "filler filler filler filler");
	diff_init(&d);
	ok(diff_read_mem(&d, data, len, history_line, &h) == 0 &&
	    d.truncated == 0, "a hunk over several buffers is read whole");
	is_int((long)h.lines, 100000 / 997, "read lazily, just the lines "
	    "with a hint come out");
	is_int((long)h.wrong, 0, "each sees the line before it, in one run; "
	    "the run's start while held, else DIFF_HISTORY bytes");
	ok(h.cut > 0 && h.cut < h.lines, "some lines see the run's start, "
	    "later ones only its end (%zu of %zu)", h.cut, h.lines);
	diff_release(&d);
	free(data);
}

static void
test_damage(void)
{
	const char *cut = "diff --git a/x b/x\n--- a/x\n+++ b/x\n"
	    "@@ -1,1 +1,5 @@\n ctx\n+one\n";
	const char *lies = "--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n+one\n"
	    "+two\n";
	static const char nul[] = "--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n"
	    "+a\0b\n";
	struct collect c;
	long tr;

	c = run(cut, strlen(cut), 1, &tr);
	ok(tr > 0, "a diff cut off inside a hunk is noticed (owes %ld)", tr);
	is_str(c.all.out, "\tx\t2\tone\n", "what came before the cut is read");
	collect_free(&c);

	c = run(lies, strlen(lies), 1, &tr);
	is_str(c.all.out, "\tx\t1\tone\n\tx\t0\ttwo\n",
	    "a '+' line past the hunk's count is still handed on, line 0");
	collect_free(&c);

	c = run(nul, sizeof nul - 1, 1, &tr);
	is_int(c.all.len, strlen("\tx\t1\ta") + 3, "a NUL byte stays inside "
	    "the line");
	collect_free(&c);

	c = run("", 0, 1, &tr);
	is_int(c.windows, 0, "empty input: no lines, no error");
	collect_free(&c);
}

/*
 * One reset per file: every header that opens a file or a commit forgets
 * the file before it, "+++ /dev/null" included.
 */
static void
test_reset(void)
{
	static const char *const openers[] = { "commit 0123456789abcdef",
	    "From 0123456789abcdef Mon Sep 17 00:00:00 2001",
	    "diff --git a/y b/y", "diff --cc y" };
	char buf[512];
	struct collect c;
	long tr;
	size_t i;

	for (i = 0; i < sizeof openers / sizeof openers[0]; i++) {
		snprintf(buf, sizeof buf, "diff --git a/x b/x\n--- a/x\n"
		    "+++ /dev/null\n%s\n+added g=1\n", openers[i]);
		c = run(buf, strlen(buf), 1, &tr);
		ok(strstr(c.all.out, "added g=1") != NULL,
		    "'%.12s' after '+++ /dev/null': a '+' line outside a hunk "
		    "is handed on", openers[i]);
		collect_free(&c);
	}
}

/* What a context line tells, for struct diff's `context`. */
struct ctx_seen {
	int lines, context, ctx_run_same, after_ok;
	unsigned long long run;
	long after_new, after_old;
	char texts[512];
};

static int
ctx_line(void *user, const struct diff_line *l)
{
	struct ctx_seen *c = user;

	if (c->lines++ == 0)
		c->run = l->run;
	c->ctx_run_same += l->run == c->run && l->run != 0;
	c->context += l->context;
	strncat(c->texts, l->text, l->len < 64 ? l->len : 64);
	strcat(c->texts, l->context ? "(c)|" : "|");
	if (l->context) {
		c->after_new = l->after_new;
		c->after_old = l->after_old;
		c->after_ok = l->afterlen >= 9 &&
		    memcmp(l->after, "-old g=3\n", 9) == 0;
	}
	return 0;
}

static void
test_context(void)
{
	const char *diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n"
	    "@@ -1,4 +1,5 @@\n keep\n+new g=1\n ctx g=2\n-old g=3\n"
	    "+two\n tail\n";
	struct ctx_seen c;
	struct diff d;
	int every;

	for (every = 0; every <= 1; every++) {
		memset(&c, 0, sizeof c);
		diff_init(&d);
		d.context = 1;
		d.every = every;
		diff_read_mem(&d, diff, strlen(diff), ctx_line, &c);
		diff_release(&d);
		is_str(c.texts, every ? "new g=1|ctx g=2(c)|two|" :
		    "new g=1|ctx g=2(c)|", "context (every = %d): the "
		    "unchanged line with a hint comes, flagged; the removed "
		    "one never", every);
		is_int(c.ctx_run_same, c.lines, "context (every = %d): one "
		    "run for the whole hunk", every);
		ok(c.after_ok && c.after_new == 2 && c.after_old == 2,
		    "context (every = %d): `after` starts at the next line, "
		    "the hunk owes 2 and 2 (%ld, %ld)", every, c.after_new,
		    c.after_old);
	}
	memset(&c, 0, sizeof c);
	diff_init(&d);
	diff_read_mem(&d, diff, strlen(diff), ctx_line, &c);
	diff_release(&d);
	is_str(c.texts, "new g=1|", "without `context`: added lines only");
}

/*
 * Hunks of added, removed and unchanged lines in every order, of every
 * length from empty to a few blocks, some ending without a newline at
 * the end of the file, some whose counts lie (short), some with no
 * "diff --git" line, a hint ("g=") on
 * about one line in 40: the block
 * reader counts most of them 64 bytes at a time. Read lazily, with and
 * without context, the lines handed on are those reading every line
 * flags, with the same numbers, runs and `before`.
 */
static void
test_blocks(void)
{
	/* No letter that starts a hint or an anchor. */
	static const char text[] = "abcdefhjkmnoqrtuvwxyz013458 ";
	size_t cap = 4 << 20, len = 0, body;
	char *data = malloc(cap), *hunk = malloc(1 << 16);
	unsigned long x = 15;
	int h, i, j, n, olds, news, context;
	long tr;

	for (h = 0; h < 400; h++) {
		body = 0;
		olds = news = 0;
		n = 1 + (int)((x = x * 6364136223846793005UL + 1) >> 33) % 60;
		for (i = 0; i < n; i++) {
			int kind = (int)((x = x * 6364136223846793005UL +
			    1) >> 33) % 3, width = (int)(x >> 40) % 150;

			hunk[body++] = " +-"[kind];
			olds += kind != 1;
			news += kind != 2;
			for (j = 0; j < width; j++)
				hunk[body++] = text[(x >> (j % 40)) %
				    (sizeof text - 1)];
			if ((x >> 20) % 40 == 0)
				body += (size_t)sprintf(hunk + body, " g=1");
			hunk[body++] = '\n';
			if (kind == 0 && width == 0 && (x >> 50) % 2)
				body--, hunk[body - 1] = '\n';
		}
		/* Some counts lie, short by one or two: the lines after the
		 * end they say are no hunk's. */
		if (h % 5 == 3) {
			olds -= olds > 2 ? 2 : 0;
			news -= news > 1 ? 1 : 0;
		}
		/* Some files as diff -u writes them, with no "diff --git":
		 * after a hunk whose counts lie, its "--- " and "+++ " lines
		 * look like a hunk's. */
		if (h % 3 != 0)
			len += (size_t)snprintf(data + len, cap - len,
			    "diff --git a/f%d b/f%d\n", h, h);
		len += (size_t)snprintf(data + len, cap - len, "--- a/f%d\n"
		    "+++ b/f%d\n@@ -1,%d +1,%d @@\n", h, h, olds, news);
		memcpy(data + len, hunk, body);
		len += body;
		if (h % 7 == 0)
			len += (size_t)snprintf(data + len, cap - len,
			    "\\ No newline at end of file\n");
	}
	for (context = 0; context <= 1; context++) {
		struct collect c = run_mode(data, len, 1, context, &tr);
		struct collect lazy = run_mode(data, len, 0, context, &tr);

		ok(c.cand.len > 1000 && strcmp(lazy.all.out, c.cand.out) == 0,
		    "mixed hunks (context %d): read lazily, just the lines "
		    "with a hint, with the same numbers", context);
		ok(runs_same(&c, &lazy), "mixed hunks (context %d): read "
		    "lazily, the same runs and `before`", context);
		collect_free(&c);
		collect_free(&lazy);
	}
	free(hunk);
	free(data);
}

int
main(void)
{
	test_fixtures();
	test_long_line();
	test_history();
	test_damage();
	test_reset();
	test_context();
	test_blocks();
	return tap_done();
}
