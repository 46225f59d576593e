/*
 * fuzz target: the diff reader (diff_read_mem) on any bytes. Besides the
 * sanitizers, it checks what diff.h promises of every line handed on.
 *
 * Each input is read twice, with d.every = 1 and lazily (every = 0, no
 * follow). The lazy read must hand on exactly the lines the first flags
 * candidate or anchor, in the same order, with the same fields and the same runs
 * (their hashes are compared line by line). In both reads, a line with a
 * run has a `before` that ends where its prefix starts, in '\n', holds
 * the bytes of the input from its run's start (or, when before_cut, at
 * least DIFF_HISTORY - 1 of them), and lines of one run have consecutive
 * line numbers; a window has run 0, a whole line numbered other than 0
 * has a run. Reading every line, two lines with a run share it iff they
 * are next to each other in the input. Where a line is in the input is
 * the reader's d.base + (text - d.buf), checked to hold the text. Both
 * reads use one struct diff, as sasguard does for several inputs: the
 * second must not depend on how the first ended (only the commit id
 * carries over, and it is cleared). A third read with `context` must
 * hand on the same added lines, and only unchanged lines with a hint
 * besides, each with an `after` that is the input after it (see
 * read_context). Any break: abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Lazily, at most this much of a `before` is compared with the input
 * besides what the line before it in the same run did not cover. */
#define BEFORE_CMP	4096

static struct diff d;

/* What the lazy read hands on: a line with a hint (candidate) or with an
 * anchor of the account-key and SAS-generation readers (diff.h). */
static int
wanted(const struct diff_line *l)
{
	return l->candidate || l->anchor;
}

/* A line the every = 1 read flagged candidate. */
struct cand {
	uint64_t h;
	size_t start, run_start;
};

static struct cand *cands;
static size_t ncands, capcands;

struct state {
	const char *data;
	size_t size;
	unsigned long long base0;	/* d.base when the read began */
	int lazy;
	size_t k;			/* lazy: the next cands[] */
	/* the line handed on before (every: any; lazy: the last) */
	int have_prev;
	unsigned long long prev_run;
	long prev_lineno;
	size_t prev_start, prev_next;
	size_t run_start;		/* every: where the open run starts */
	/* the last candidate line, for its run */
	int have_cand;
	unsigned long long cand_run;
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

static size_t
count_nl(const char *p, size_t n)
{
	const char *e = p + n, *q;
	size_t k = 0;

	while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p = q + 1;
	}
	return k;
}

/* What diff.h promises of any line. */
static void
line_check(const struct diff_line *l)
{
	if (l->len > DIFF_WINDOW || l->limit > l->len ||
	    strlen(l->path) >= DIFF_PATH_MAX ||
	    strlen(l->commit) >= DIFF_COMMIT_MAX || l->lineno < 0)
		abort();
	/* Touch every byte, so that ASan sees a read past the window. */
	if (l->len > 0 && memchr(l->text, '\n', l->len) == l->text + l->len)
		abort();
}

/* The hash compared between the reads: the fields, and whether the line
 * is in the run of the candidate line before it. */
static uint64_t
line_hash(struct state *s, const struct diff_line *l)
{
	uint64_t v[8];

	v[0] = l->len;
	v[1] = l->limit;
	v[2] = l->offset;
	v[3] = (uint64_t)(l->first != 0) * 2 + (l->last != 0);
	v[4] = (uint64_t)l->lineno;
	v[5] = l->candidate != 0;
	v[6] = l->run == 0 ? 0 : s->have_cand && l->run == s->cand_run ? 1 :
	    2;
	v[7] = 0;
	s->have_cand = 1;
	s->cand_run = l->run;
	return fnv(fnv(fnv(fnv(0xcbf29ce484222325ULL, v, sizeof v), l->text,
	    l->len), l->path, strlen(l->path) + 1), l->commit,
	    strlen(l->commit) + 1);
}

static int
on_line(void *user, const struct diff_line *l)
{
	struct state *s = user;
	const char *b = l->before;
	unsigned long long abs = d.base + (size_t)(l->text - d.buf);
	size_t off, start, next, n = l->beforelen, run_start, k;
	int whole = l->first && l->last, same, p;
	uint64_t h = 0;

	line_check(l);
	/* Where it is in the input. */
	if (abs < s->base0 || abs - s->base0 > s->size ||
	    l->len > s->size - (size_t)(abs - s->base0))
		abort();
	off = (size_t)(abs - s->base0);
	if (memcmp(s->data + off, l->text, l->len) != 0)
		abort();
	/* Line 0 is outside a hunk (no run) or under "+0" (a run). */
	if (whole ? l->lineno != 0 && l->run == 0 : l->run != 0)
		abort();
	if (wanted(l) || s->lazy) {
		h = line_hash(s, l);
		if (s->lazy && (!wanted(l) || s->k >= ncands ||
		    cands[s->k].h != h))
			abort();
	}
	if (l->run == 0) {
		if (n != 0 || l->before_cut)
			abort();
		if (wanted(l) && !s->lazy)
			goto keep;
		goto done;
	}
	/* A line with a run: its prefix, and before. */
	if ((size_t)l->prefix > off)
		abort();
	for (p = 1; p <= l->prefix; p++)
		if (l->text[-p] != '+' && l->text[-p] != ' ')
			abort();
	start = off - (size_t)l->prefix;
	if (b + n != l->text - l->prefix || (n > 0 && b[n - 1] != '\n') ||
	    (l->before_cut && n < DIFF_HISTORY - 1))
		abort();
	same = s->have_prev && l->run == s->prev_run;
	if (s->lazy) {
		if (cands[s->k].start != start)
			abort();
		run_start = cands[s->k].run_start;
		/* The lines between: as many as the line numbers say. */
		if (same && (start < s->prev_next || l->lineno -
		    s->prev_lineno != (long)count_nl(s->data + s->prev_start,
		    start - s->prev_start)))
			abort();
	} else {
		/* Next to the line before in the input iff in its run. */
		if (same != (s->have_prev && s->prev_run != 0 &&
		    s->prev_next == start))
			abort();
		if (same && l->lineno != s->prev_lineno + 1)
			abort();
		if (!same)
			s->run_start = start;
		run_start = s->run_start;
	}
	if (l->before_cut ? n >= start - run_start : n != start - run_start)
		abort();
	/* Its bytes: what the line before (in the run) did not cover, and
	 * lazily also up to BEFORE_CMP bytes of the rest. */
	k = same ? start - s->prev_start : 0;
	if (s->lazy && k < BEFORE_CMP)
		k = BEFORE_CMP;
	if (k > n)
		k = n;
	if (memcmp(b + n - k, s->data + start - k, k) != 0)
		abort();
	s->prev_start = start;
	next = off + l->len;
	if (next < s->size && s->data[next] == '\r')
		next++;
	s->prev_next = next < s->size && s->data[next] == '\n' ? next + 1 :
	    (size_t)-1;
	if (!wanted(l) || s->lazy)
		goto done;
keep:
	if (ncands == capcands) {
		capcands = capcands ? capcands * 2 : 256;
		if ((cands = realloc(cands, capcands * sizeof *cands)) == NULL)
			abort();
	}
	cands[ncands].h = h;
	cands[ncands].start = l->run ? s->prev_start : 0;
	cands[ncands].run_start = l->run ? s->run_start : 0;
	ncands++;
done:
	s->k += s->lazy;
	s->have_prev = 1;
	s->prev_run = l->run;
	s->prev_lineno = l->lineno;
	return 0;
}

/* One read; returns what diff_read_mem() did, and *truncated. */
static int
read_once(const uint8_t *data, size_t size, int every, struct state *s,
    long *truncated)
{
	int rc;

	memset(s, 0, sizeof *s);
	s->data = (const char *)data;
	s->size = size;
	s->lazy = !every;
	s->base0 = d.base;
	d.commit[0] = '\0';
	d.every = every;
	d.follow = 0;
	rc = diff_read_mem(&d, (const char *)data, size, on_line, s);
	*truncated = d.truncated;
	return rc;
}

/*
 * A third read, with `context`: the added lines handed on are the lazy
 * read's candidates (as many), each unchanged line handed on has a hint
 * and is whole, and `after` starts at the next line of the input and
 * holds its bytes, within what was read.
 */
struct ctx_state {
	const char *data;
	size_t size, added;
	unsigned long long base0;
};

static int
on_context_line(void *user, const struct diff_line *l)
{
	struct ctx_state *c = user;
	unsigned long long at;
	size_t k;

	if (l->context && (!l->candidate || !l->first || !l->last ||
	    l->run == 0))
		abort();
	c->added += !l->context;
	if (!(l->first && l->last))
		return 0;
	if (l->after < d.buf || l->after > d.buf + d.fill ||
	    l->afterlen != d.fill - (size_t)(l->after - d.buf) ||
	    l->after_new < 0 || l->after_old < 0)
		abort();
	at = d.base + (unsigned long long)(l->after - d.buf) - c->base0;
	if (at > c->size)
		abort();
	k = l->afterlen < 64 ? l->afterlen : 64;
	if (k > c->size - at || memcmp(l->after, c->data + at, k) != 0)
		abort();
	if (at > 0 && at < c->size && c->data[at - 1] != '\n')
		abort();
	return 0;
}

static void
read_context(const uint8_t *data, size_t size, size_t want)
{
	struct ctx_state c = { (const char *)data, size, 0, d.base };

	d.commit[0] = '\0';
	d.every = 0;
	d.follow = 0;
	d.context = 1;
	if (diff_read_mem(&d, (const char *)data, size, on_context_line,
	    &c) != 0 || c.added != want)
		abort();
	d.context = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct state s;
	long tr_every, tr_lazy;

	/* The 1 MiB buffer once, not per input: it is what makes runs fast. */
	if (!ready) {
		if (diff_init(&d) != 0)
			abort();
		ready = 1;
	}
	ncands = 0;
	if (read_once(data, size, 1, &s, &tr_every) != 0 ||
	    read_once(data, size, 0, &s, &tr_lazy) != 0 ||
	    s.k != ncands || tr_every != tr_lazy)
		abort();
	read_context(data, size, ncands);
	return 0;
}
