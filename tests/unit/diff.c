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

struct collect {
	char *out;
	size_t len, cap;
	size_t windows, bytes;
	int first_seen, last_seen;
	size_t next_offset;
	int overlap_ok;
};

static void
append(struct collect *c, const char *p, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->out = realloc(c->out, c->cap);
	}
	memcpy(c->out + c->len, p, n);
	c->len += n;
	c->out[c->len] = '\0';
}

/* One row per whole added line; windows of long lines are checked for
 * how they overlap instead. */
static int
collect_line(void *user, const struct diff_line *l)
{
	struct collect *c = user;
	char head[DIFF_PATH_MAX + 128];

	c->windows++;
	c->bytes += l->len;
	if (l->offset != c->next_offset && !l->first)
		c->overlap_ok = 0;
	c->next_offset = l->last ? 0 : l->offset + l->limit;
	if (!(l->first && l->last))
		return 0;
	snprintf(head, sizeof head, "%s\t%s\t%ld\t", l->commit, l->path,
	    l->lineno);
	append(c, head, strlen(head));
	append(c, l->text, l->len);
	append(c, "\n", 1);
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

static void
check_fixture(const char *name)
{
	char path[512], want_path[512];
	struct collect c = { 0 };
	struct diff d;
	size_t len, wlen;
	char *data, *want;
	const char *dot = strrchr(name, '.');

	snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
	snprintf(want_path, sizeof want_path, "%s/%.*s.lines", FIXTURES,
	    (int)(dot - name), name);
	data = slurp(path, &len);
	want = slurp(want_path, &wlen);
	diff_init(&d);
	append(&c, "", 0);
	ok(diff_read_mem(&d, data, len, collect_line, &c) == 0 &&
	    d.truncated == 0, "%s: read to the end, nothing owed", name);
	if (getenv("DIFF_FIXTURES_WRITE") != NULL) {
		FILE *f = fopen(want_path, "wb");

		fwrite(c.out, 1, c.len, f);
		fclose(f);
	}
	if (!ok(want != NULL && strcmp(c.out, want) == 0,
	    "%s: added lines, paths, line numbers and commits as in %s",
	    name, want_path))
		printf("# got:\n%s", c.out);
	diff_release(&d);
	free(data);
	free(want);
	free(c.out);
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

static struct collect
run(const char *data, size_t len, long *truncated)
{
	struct collect c = { 0 };
	struct diff d;

	c.overlap_ok = 1;
	append(&c, "", 0);
	diff_init(&d);
	diff_read_mem(&d, data, len, collect_line, &c);
	*truncated = d.truncated;
	diff_release(&d);
	return c;
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
	c = run(data, total, &tr);
	ok(c.windows > 5, "a 5 MiB line comes in several windows (%zu)",
	    c.windows);
	ok(c.overlap_ok, "each window starts at the previous window's limit");
	ok(c.bytes >= big + 5, "no byte of the long line is skipped");
	is_str(c.out, "\tx\t2\tafter\n",
	    "the line after a long one keeps its number");
	is_int(tr, 0, "nothing owed after the long line");
	free(c.out);
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

	c = run(cut, strlen(cut), &tr);
	ok(tr > 0, "a diff cut off inside a hunk is noticed (owes %ld)", tr);
	is_str(c.out, "\tx\t2\tone\n", "what came before the cut is read");
	free(c.out);

	c = run(lies, strlen(lies), &tr);
	is_str(c.out, "\tx\t1\tone\n\tx\t0\ttwo\n",
	    "a '+' line past the hunk's count is still handed on, line 0");
	free(c.out);

	c = run(nul, sizeof nul - 1, &tr);
	is_int(c.len, strlen("\tx\t1\ta") + 3, "a NUL byte stays inside "
	    "the line");
	free(c.out);

	c = run("", 0, &tr);
	is_int(c.windows, 0, "empty input: no lines, no error");
	free(c.out);
}

int
main(void)
{
	test_fixtures();
	test_long_line();
	test_damage();
	return tap_done();
}
