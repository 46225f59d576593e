/*
 * diffcheck.c - the diff reader (lib/diff.c) against the one it replaced
 * (lib/diff.c with its own lib/diff.h at DIFF_REF in the Makefile, taken
 * from git and built apart, see diffcheck_ref.c), and against what
 * lib/diff.h promises of the lines it hands on.
 *
 *   diffcheck FILE...     each file read from memory, and again through a
 *                         pipe fed in random-sized writes (other buffer
 *                         boundaries), then the readers alone timed
 *   diffcheck -f N FILE.. N random mutations of each file (bytes set to
 *                         '\n', '+', '-', ' ', '@', '\\', '\r', hints...,
 *                         sometimes cut short), each checked the same way;
 *                         the first input that fails is saved (its path is
 *                         printed)
 *   diffcheck -k -f N FILE..  the same, going on after a failing mutation
 *                         (the first 50 of them are saved)
 *   diffcheck -m IN OUT   shrinks IN, an input that fails a check, to a
 *                         smaller OUT that fails the same check
 *   diffcheck -t ref|every|lazy FILE   one reader once (for a profiler)
 *
 * The checks (each read the new reader makes is compared):
 *   a  with d.every = 1 it hands on the reference's lines: text, length,
 *      limit, offset, first, last, line number, path, commit, in order
 *      (not `candidate`: the reference has none), and the same truncated
 *      and return value;
 *   b  lazily (every = 0, no follow) it hands on exactly the lines that
 *      every = 1 hands on with candidate = 1 or anchor = 1 (diff.h), same
 *      fields and flags, same order, with the same runs;
 *   c  no reference line that holds a trigger (sas_trigger(), sas.c's own
 *      test) is missing from the lazy lines;
 *   d  what diff.h says of every line, in both modes: a whole line with
 *      run != 0 has `before` ending where its prefix (`prefix` bytes of
 *      '+' and ' ') starts, ending in '\n', holding the bytes of the diff
 *      from the start of its run to there (when before_cut, fewer but at
 *      least DIFF_HISTORY - 1 of them; lazily all compared, in every mode
 *      those of the line before); lines of one run have consecutive line
 *      numbers; a window has run 0, a whole line with a number other
 *      than 0 a run (one numbered 0, outside a hunk or under a "+0"
 *      header, either), and with run 0 `before` is empty; and (reading
 *      every line) two added lines with a run share it iff they are next
 *      to each other in the diff.
 *      These last need where a line is in the input: the reader's
 *      d->base + (text - d->buf), checked to hold the text.
 * Prints one line per check; exits 1 on the first difference. Never
 * prints a line's text (it may hold a signature): positions only.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "sas.h"
#include "diffcheck_ref.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int quiet;		/* -m: say nothing while shrinking */

/* ---- What the reference handed on ---------------------------------- */

/* One line (window) of the reference, and what the new reader said of it
 * when it handed it on with every = 1. */
struct rec {
	uint64_t h;		/* every compared field */
	long lineno;
	size_t len;
	unsigned long runord;	/* runs counted from 1 in every mode; 0: none */
	unsigned long runidx;	/* lines of its run before it */
	/* where, in the input: its text; the start of its line (prefix),
	 * of the next line (NOWHERE: none), of its run's first line */
	unsigned long long off, start, next, run_start;
	unsigned char first, last, trigger, candidate, anchor;
};

/* A line that every = 1 flags so that a lazy read hands it on too. */
static int
rec_wanted(const struct rec *r)
{
	return r->candidate || r->anchor;
}

struct recs {
	struct rec *v;
	size_t n, cap;
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

#define FNV0	0xcbf29ce484222325ULL

static uint64_t
line_hash(uint64_t th, size_t len, size_t limit, size_t offset, int first,
    int last, long lineno, const char *path, const char *commit)
{
	uint64_t v[7];

	v[0] = len;
	v[1] = limit;
	v[2] = offset;
	v[3] = (uint64_t)(first != 0) * 2 + (last != 0);
	v[4] = (uint64_t)lineno;
	v[5] = th;
	v[6] = 0;
	return fnv(fnv(fnv(FNV0, v, sizeof v), path, strlen(path) + 1),
	    commit, strlen(commit) + 1);
}

static int
ref_record(void *user, const struct ref_line *l)
{
	struct recs *a = user;
	struct rec *r;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		if ((a->v = realloc(a->v, a->cap * sizeof *a->v)) == NULL)
			exit(2);
	}
	r = &a->v[a->n++];
	memset(r, 0, sizeof *r);
	r->h = line_hash(fnv(FNV0, l->text, l->len), l->len, l->limit,
	    l->offset, l->first, l->last, l->lineno, l->path, l->commit);
	r->lineno = l->lineno;
	r->len = l->len;
	r->first = (unsigned char)l->first;
	r->last = (unsigned char)l->last;
	/* The token finder's own test for "may hold a token". */
	r->trigger = sas_trigger(l->text, l->len) < l->len;
	return 0;
}

/* ---- Checking one read of the new reader ----------------------------- */

#define NOWHERE	(~0ULL)

struct check {
	const char *name;	/* the input */
	const char *how;	/* "every, mem", "lazy, pipe", ... */
	const char *data;	/* the input's bytes */
	size_t datalen;
	const struct diff *d;	/* the reader, for where its buffer is */
	int lazy;
	int fill;		/* the first every-mode read: fills recs */
	struct recs *a;
	size_t i;		/* lines handed on so far */
	size_t j;		/* where in a the last one matched */
	int have_prev;
	unsigned long long prev_run;
	unsigned long runord;	/* every mode: runs so far */
	long prev_lineno;
	int lost;		/* lazy: b failed, lines no longer matched */
	uint64_t *seen;		/* lazy: the hash of each line (for c) */
	/* the first failure of each check, or 0 */
	char fail_a[512], fail_b[512], fail_d[512];
	unsigned long long cut, runs_seen;
};

static void
fail(char *buf, const struct check *c, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (buf[0] != '\0')
		return;
	k = snprintf(buf, 512, "(%s) %s: line %zu: ", c->how, c->name, c->i);
	va_start(ap, fmt);
	vsnprintf(buf + k, 512 - (size_t)k, fmt, ap);
	va_end(ap);
}

/*
 * d, for a whole line with a run, whose record is a->v[at]: its prefix,
 * and `before`, which must be the bytes of the diff from the start of the
 * run (or, cut, at least DIFF_HISTORY - 1 of them) to where the line's
 * prefix starts. Lazily all of before is compared with the input; reading
 * every line, the part the line before adds (all of it, by induction).
 */
static void
before_check(struct check *c, const struct diff_line *l, size_t at)
{
	const struct rec *r = &c->a->v[at];
	const char *b = l->before;
	size_t n = l->beforelen, full = (size_t)(r->start - r->run_start), k;
	int p;

	for (p = 0; p < l->prefix; p++)
		if (l->text[p - l->prefix] != '+' &&
		    l->text[p - l->prefix] != ' ')
			return fail(c->fail_d, c, "lineno %ld: its prefix is "
			    "not '+' and ' '", l->lineno);
	if (b + n != l->text - l->prefix)
		return fail(c->fail_d, c, "lineno %ld: before ends %td bytes "
		    "from where its prefix starts", l->lineno,
		    (l->text - l->prefix) - (b + n));
	if (n > 0 && b[n - 1] != '\n')
		return fail(c->fail_d, c, "lineno %ld: before does not end "
		    "in a line end", l->lineno);
	if (l->before_cut) {
		c->cut++;
		if (n < DIFF_HISTORY - 1 || n >= full)
			return fail(c->fail_d, c, "lineno %ld: before_cut, "
			    "with %zu bytes of the run's %zu before it",
			    l->lineno, n, full);
	} else if (n != full)
		return fail(c->fail_d, c, "lineno %ld: before holds %zu "
		    "bytes, the run has %zu before it (%lu lines)",
		    l->lineno, n, full, r->runidx);
	k = n;
	if (!c->lazy && r->runidx > 0 && r->start - c->a->v[at - 1].start < k)
		k = (size_t)(r->start - c->a->v[at - 1].start);
	if (memcmp(b + n - k, c->data + r->start - k, k) != 0)
		return fail(c->fail_d, c, "lineno %ld: the last %zu bytes of "
		    "before are not what the diff has there", l->lineno, k);
}

/*
 * d, the rest. Where the text is in the input (the reader's buffer holds
 * it at d->base + (text - d->buf)); run 0 for a window, not 0 for a
 * whole line numbered other than 0;
 * lines with a run next to each other in the diff share it, others do
 * not; line numbers follow on within a run.
 */
static void
run_check(struct check *c, const struct diff_line *l, size_t at)
{
	struct rec *r = &c->a->v[at];
	int whole = l->first && l->last, adjacent;
	unsigned long long off = c->d->base + (size_t)(l->text - c->d->buf);

	if (off > c->datalen || l->len > c->datalen - off ||
	    memcmp(c->data + off, l->text, l->len) != 0)
		return fail(c->fail_d, c, "lineno %ld: text is not at %llu "
		    "of the input (base %llu)", l->lineno, off, c->d->base);
	if (c->fill)
		r->off = off;
	else if (off != r->off)
		return fail(c->fail_d, c, "lineno %ld: at %llu, first read "
		    "at %llu", l->lineno, off, r->off);
	/* A line numbered 0 is outside a hunk (no run) or in a hunk whose
	 * header says +0 (a run): either. */
	if (whole ? l->lineno != 0 && l->run == 0 : l->run != 0)
		return fail(c->fail_d, c, "lineno %ld, %s: run %llu",
		    l->lineno, whole ? "whole" : "window", l->run);
	if (l->run == 0) {
		if (l->beforelen != 0 || l->before_cut)
			fail(c->fail_d, c, "lineno %ld: no run but a before "
			    "of %zu bytes", l->lineno, l->beforelen);
		return;
	}
	if (c->fill) {
		/* Where its line starts in the diff, and the next one. */
		size_t e = (size_t)off + l->len;

		r->start = off - (unsigned)l->prefix;
		if (e < c->datalen && c->data[e] == '\r')
			e++;
		r->next = e < c->datalen && c->data[e] == '\n' ? e + 1 :
		    NOWHERE;
		adjacent = at > 0 && c->have_prev && c->prev_run != 0 &&
		    c->a->v[at - 1].next == r->start;
		if (adjacent != (l->run == c->prev_run && c->have_prev))
			return fail(c->fail_d, c, "lineno %ld: %s the line "
			    "before it in the diff, %s run", l->lineno,
			    adjacent ? "right after" : "not right after",
			    adjacent ? "another" : "the same");
		r->run_start = adjacent ? c->a->v[at - 1].run_start :
		    r->start;
	}
	if (c->have_prev && l->run == c->prev_run) {
		long step = c->lazy ? (long)(r->runidx -
		    c->a->v[c->j].runidx) : 1;

		if (l->lineno != c->prev_lineno + step)
			return fail(c->fail_d, c, "lineno %ld after lineno %ld "
			    "in the same run (%ld expected)", l->lineno,
			    c->prev_lineno, c->prev_lineno + step);
	}
	before_check(c, l, at);
}

/* Every mode: the line must be the reference's next one (a). */
static int
every_line(struct check *c, const struct diff_line *l, uint64_t h,
    size_t at)
{
	struct recs *a = c->a;
	struct rec *r;
	int newrun = l->run != 0 && (!c->have_prev || l->run != c->prev_run);

	if (at >= a->n) {
		fail(c->fail_a, c, "lineno %ld: one line more than the "
		    "reference", l->lineno);
		return 1;
	}
	r = &a->v[at];
	if (h != r->h) {
		fail(c->fail_a, c, "lineno %ld len %zu %s%s; reference: "
		    "lineno %ld len %zu %s%s", l->lineno, l->len,
		    l->first ? "first" : "", l->last ? " last" : "",
		    r->lineno, r->len, r->first ? "first" : "",
		    r->last ? " last" : "");
		return 1;
	}
	c->runord += newrun;
	if (c->fill) {
		r->candidate = l->candidate != 0;
		r->anchor = l->anchor != 0;
		r->runord = l->run ? c->runord : 0;
		r->runidx = l->run == 0 || newrun ? 0 :
		    a->v[at - 1].runidx + 1;
	} else if (r->candidate != (l->candidate != 0) ||
	    r->anchor != (l->anchor != 0) || r->runord != (l->run ? c->runord : 0)) {
		/* Another read of the same input (a pipe). */
		fail(c->fail_a, c, "lineno %ld: candidate %d, %s run; read "
		    "from memory: candidate %d, %s run", l->lineno,
		    l->candidate, l->run == 0 ? "no" : newrun ? "a new" :
		    "the same", r->candidate, r->runord == 0 ? "no" :
		    at > 0 && r->runord == a->v[at - 1].runord ? "the same" :
		    "a new");
		return 1;
	}
	return 0;
}

/* Lazily: the line must be the next one every mode flagged candidate or
 * anchor, with the same flags (b).
 * Returns where in recs, or a->n when it is not. */
static size_t
lazy_line(struct check *c, const struct diff_line *l, uint64_t h)
{
	struct recs *a = c->a;
	struct rec *r;
	size_t at = c->have_prev ? c->j + 1 : 0;

	while (at < a->n && !rec_wanted(&a->v[at]))
		at++;
	if (at >= a->n) {
		fail(c->fail_b, c, "lineno %ld: one line more than every = 1 "
		    "flags candidate", l->lineno);
		return a->n;
	}
	r = &a->v[at];
	if (h != r->h || (l->candidate != 0) != r->candidate ||
	    (l->anchor != 0) != r->anchor) {
		fail(c->fail_b, c, "lineno %ld len %zu %s%s, candidate %d "
		    "anchor %d; every = 1: lineno %ld len %zu %s%s, candidate "
		    "%d anchor %d", l->lineno, l->len, l->first ? "first" : "",
		    l->last ? " last" : "", l->candidate, l->anchor,
		    r->lineno, r->len, r->first ? "first" : "",
		    r->last ? " last" : "", r->candidate, r->anchor);
		return a->n;
	}
	/* The same run as the lazy line before iff so in every mode. */
	if ((l->run == 0) != (r->runord == 0))
		fail(c->fail_b, c, "lineno %ld: run %llu, in every mode %s",
		    l->lineno, l->run, r->runord ? "some" : "none");
	else if (c->have_prev && l->run != 0 && (l->run == c->prev_run) !=
	    (r->runord == a->v[c->j].runord))
		fail(c->fail_b, c, "lineno %ld: %s run as lineno %ld, not so "
		    "in every mode", l->lineno, l->run == c->prev_run ?
		    "the same" : "not the same", c->prev_lineno);
	return at;
}

static int
new_line(void *user, const struct diff_line *l)
{
	struct check *c = user;
	uint64_t h = line_hash(fnv(FNV0, l->text, l->len), l->len, l->limit,
	    l->offset, l->first, l->last, l->lineno, l->path, l->commit);
	size_t at;

	c->i++;
	if (c->lazy) {
		if ((c->seen = realloc(c->seen, c->i * sizeof *c->seen)) ==
		    NULL)
			exit(2);
		c->seen[c->i - 1] = h;
		if (c->lost)
			return 0;
		if ((at = lazy_line(c, l, h)) >= c->a->n) {
			c->lost = 1;
			return 0;
		}
	} else if (every_line(c, l, h, at = c->i - 1) != 0)
		return 1;
	if (l->run != 0 && (!c->have_prev || l->run != c->prev_run))
		c->runs_seen++;
	run_check(c, l, at);
	c->have_prev = 1;
	c->prev_run = l->run;
	c->prev_lineno = l->lineno;
	c->j = at;
	return 0;
}

/* ---- Reading ----------------------------------------------------------- */

/* A child that writes data to the pipe in random-sized pieces. */
static pid_t
feeder(const char *data, size_t len, int *rfd)
{
	int fd[2];
	pid_t pid;

	rnd();		/* each pipe gets other pieces */
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		exit(2);
	if (pid == 0) {
		size_t at = 0;

		close(fd[0]);
		while (at < len) {
			size_t k = 1 + rnd() % (rnd() % 4 == 0 ? 4096 : 300000);
			ssize_t w;

			if (k > len - at)
				k = len - at;
			if ((w = write(fd[1], data + at, k)) <= 0)
				_exit(1);
			at += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	*rfd = fd[0];
	return pid;
}

/* One read of the new reader; returns its rc, *truncated. */
static int
new_read(struct check *c, int every, int via_pipe, const char *data,
    size_t len, long *truncated)
{
	struct diff d;
	int rc, fd = -1;
	pid_t pid = 0;

	if (diff_init(&d) != 0)
		exit(2);
	d.every = every;
	c->d = &d;
	c->data = data;
	c->datalen = len;
	if (via_pipe) {
		pid = feeder(data, len, &fd);
		rc = diff_read(&d, fd, new_line, c);
		close(fd);
		waitpid(pid, NULL, 0);
	} else
		rc = diff_read_mem(&d, data, len, new_line, c);
	*truncated = d.truncated;
	diff_release(&d);
	return rc;
}

/* What one input gave, for the report. */
struct tally {
	unsigned long long lines, lazy, triggers, reads, cut, runs;
};

static int
report(const char *check, const char *what)
{
	if (!quiet)
		printf("DIFFERENT %s %s\n", check, what);
	return 0;
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * All four checks on one input, from memory and (pipe) through a pipe.
 * Returns 0 at the first difference, after saying which (the check's
 * letter in *which).
 */
static int
check_input(const char *name, const char *data, size_t len, int pipe_too,
    struct tally *t, char *which)
{
	struct recs a = { NULL, 0, 0 };
	struct ref_reader *ref = ref_open();
	long ref_tr, tr;
	int ref_rc, rc, ok = 0, via, lazy;
	size_t k;
	char msg[600];

	if (ref == NULL)
		exit(2);
	ref_rc = ref_read_mem(ref, data, len, ref_record, &a);
	ref_tr = ref_truncated(ref);
	ref_close(ref);
	*which = 0;
	for (via = 0; via <= pipe_too; via++) {
		for (lazy = 0; lazy <= 1; lazy++) {
			struct check c;

			memset(&c, 0, sizeof c);
			c.name = name;
			c.how = lazy ? (via ? "lazy, pipe" : "lazy, mem") :
			    (via ? "every, pipe" : "every, mem");
			c.lazy = lazy;
			c.fill = !lazy && !via;
			c.a = &a;
			rc = new_read(&c, !lazy, via, data, len, &tr);
			t->reads++;
			t->cut += c.cut;
			if (!lazy && c.fail_a[0] == '\0' && (c.i != a.n ||
			    rc != ref_rc || tr != ref_tr))
				snprintf(c.fail_a, sizeof c.fail_a, "(%s) %s: "
				    "%zu lines, truncated %ld, rc %d; reference: "
				    "%zu lines, truncated %ld, rc %d", c.how, name,
				    c.i, tr, rc, a.n, ref_tr, ref_rc);
			if (c.fail_a[0] != '\0') {
				*which = 'a';
				report("a (every = 1 = reference)", c.fail_a);
				goto out;
			}
			if (!lazy) {
				if (!via) {
					t->lines += a.n;
					t->runs += c.runs_seen;
				}
				goto invariants;
			}
			/* c before b: a trigger line not seen is the worst. */
			qsort(c.seen, c.i, sizeof *c.seen, cmp_u64);
			for (k = 0; k < a.n; k++)
				if (a.v[k].trigger && bsearch(&a.v[k].h, c.seen,
				    c.i, sizeof *c.seen, cmp_u64) == NULL)
					break;
			free(c.seen);
			if (k < a.n) {
				snprintf(msg, sizeof msg, "(%s) %s: reference "
				    "line %zu (lineno %ld, %zu bytes) holds a "
				    "trigger, lazily it is not handed on%s",
				    c.how, name, k + 1, a.v[k].lineno,
				    a.v[k].len, a.v[k].candidate ? "" :
				    "; every = 1 flags it candidate = 0");
				*which = 'c';
				report("c (no trigger line missed)", msg);
				goto out;
			}
			if (c.fail_b[0] == '\0') {
				for (k = c.have_prev ? c.j + 1 : 0; k < a.n; k++)
					if (rec_wanted(&a.v[k]))
						break;
				if (k < a.n || rc != ref_rc || tr != ref_tr)
					snprintf(c.fail_b, sizeof c.fail_b,
					    "(%s) %s: ends after %zu lines, "
					    "truncated %ld, rc %d; every = 1 "
					    "flags another at line %zu of %zu "
					    "(truncated %ld, rc %d)", c.how, name,
					    c.i, tr, rc, k + 1, a.n, ref_tr,
					    ref_rc);
			}
			if (c.fail_b[0] != '\0') {
				*which = 'b';
				report("b (lazy = every-mode candidates)",
				    c.fail_b);
				goto out;
			}
			if (!via)
				t->lazy += c.i;
invariants:
			if (c.fail_d[0] != '\0') {
				*which = 'd';
				report("d (diff.h's promises)", c.fail_d);
				goto out;
			}
		}
	}
	for (k = 0; k < a.n; k++)
		t->triggers += a.v[k].trigger;
	ok = 1;
out:
	free(a.v);
	return ok;
}

static void
say_ok(const char *name, const struct tally *t, const char *how)
{
	if (quiet)
		return;
	printf("same a %s: every = 1 hands on the reference's %llu lines "
	    "(%s)\n", name, t->lines, how);
	printf("same b %s: lazily %llu lines, exactly those every = 1 flags "
	    "candidate or anchor\n", name, t->lazy);
	printf("same c %s: all %llu reference lines with a trigger handed "
	    "on lazily\n", name, t->triggers);
	printf("same d %s: %llu reads keep diff.h's promises (%llu runs "
	    "reading every line from memory; %llu lines with before_cut over "
	    "all reads)\n", name, t->reads, t->runs, t->cut);
}

/* ---- Timing ------------------------------------------------------------ */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
count_ref(void *user, const struct ref_line *l)
{
	(*(unsigned long long *)user) += l->len > 0;
	return 0;
}

static int
count_new(void *user, const struct diff_line *l)
{
	(*(unsigned long long *)user) += l->len > 0;
	return 0;
}

/* One reader once over data (a callback that only counts): 0 ref,
 * 1 every, 2 lazy. Returns the seconds taken. */
static double
read_once(int mode, const char *data, size_t len, unsigned long long *k)
{
	struct ref_reader *ref = NULL;
	struct diff d;
	double t;

	if (mode == 0 ? (ref = ref_open()) == NULL : diff_init(&d) != 0)
		exit(2);
	d.every = mode == 1;
	t = now();
	if (mode == 0)
		ref_read_mem(ref, data, len, count_ref, k);
	else
		diff_read_mem(&d, data, len, count_new, k);
	t = now() - t;
	if (mode == 0)
		ref_close(ref);
	else
		diff_release(&d);
	return t;
}

/* Best of three. */
static double
time_reader(int mode, const char *data, size_t len)
{
	double best = 1e9, t;
	unsigned long long k = 0;
	int i;

	for (i = 0; i < 3; i++)
		if ((t = read_once(mode, data, len, &k)) < best)
			best = t;
	return best;
}

/* ---- Files, mutations, shrinking -------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		exit(2);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

static void
spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static int keep_going;		/* -k */

static int
fuzz_file(const char *name, const char *data, size_t len, long rounds)
{
	static const char bytes[] = "\n\n\n++-- @@\\\r\r 0123,dcFg=7%";
	static unsigned long saved;
	char *m = malloc(len + 1);
	struct tally t;
	long r, failed = 0;
	char which, path[80];

	memset(&t, 0, sizeof t);
	for (r = 0; r < rounds; r++) {
		size_t k, edits = 1 + rnd() % 8, n = len;

		memcpy(m, data, len);
		for (k = 0; k < edits && len > 0; k++)
			m[rnd() % len] = bytes[rnd() % (sizeof bytes - 1)];
		/* Sometimes cut it short too. */
		if (rnd() % 5 == 0)
			n = rnd() % (len + 1);
		if (check_input(name, m, n, 1, &t, &which))
			continue;
		failed++;
		if (saved < 50) {
			snprintf(path, sizeof path, "/tmp/diffcheck-%ld-%c-%lu"
			    ".diff", (long)getpid(), which, saved++);
			spit(path, m, n);
			printf("failing input (mutation %ld) saved as %s\n", r,
			    path);
		}
		if (!keep_going)
			break;
	}
	free(m);
	if (failed > 0) {
		printf("DIFFERENT %s: %ld of %ld mutations fail a check\n",
		    name, failed, r < rounds ? r + 1 : rounds);
		return 0;
	}
	printf("same %s: %ld mutations, a b c d\n", name, rounds);
	say_ok(name, &t, "sums over the mutations");
	return 1;
}

/* Whether data fails check `which` (any check when 0). */
static int
fails(const char *data, size_t len, char which)
{
	struct tally t;
	char got;

	memset(&t, 0, sizeof t);
	return !check_input("-", data, len, 0, &t, &got) &&
	    (which == 0 || got == which);
}

/* Drops pieces of the input, halving their size, while it still fails
 * the same check (from memory). */
static int
shrink(const char *in, const char *out)
{
	size_t len, n, chunk, at;
	char *data = slurp(in, &len), *try = malloc(len + 1), which;
	struct tally t;
	int progress = 1;

	memset(&t, 0, sizeof t);
	quiet = 1;
	if (check_input(in, data, len, 0, &t, &which)) {
		quiet = 0;
		printf("%s: no check fails on it from memory\n", in);
		return 2;
	}
	n = len;
	while (progress) {
		progress = 0;
		for (chunk = n / 2 > 0 ? n / 2 : 1; chunk >= 1; chunk /= 2) {
			for (at = 0; at + chunk <= n;) {
				memcpy(try, data, at);
				memcpy(try + at, data + at + chunk, n - at -
				    chunk);
				if (fails(try, n - chunk, which)) {
					memcpy(data, try, n - chunk);
					n -= chunk;
					progress = 1;
				} else
					at += chunk;
			}
			if (chunk == 1)
				break;
		}
	}
	quiet = 0;
	spit(out, data, n);
	printf("%s: fails check %c; %zu of its %zu bytes, in %s, still do\n",
	    in, which, n, len, out);
	check_input(out, data, n, 0, &t, &which);
	return 0;
}

int
main(int argc, char **argv)
{
	long rounds = 0;
	int i = 1, bad = 0;

	if (argc == 4 && strcmp(argv[1], "-t") == 0) {
		size_t len;
		char *data = slurp(argv[3], &len);
		unsigned long long k = 0;
		int mode = strcmp(argv[2], "ref") == 0 ? 0 :
		    strcmp(argv[2], "every") == 0 ? 1 :
		    strcmp(argv[2], "lazy") == 0 ? 2 : -1;

		if (mode < 0) {
			fprintf(stderr, "usage: diffcheck -t ref|every|lazy "
			    "FILE\n");
			return 2;
		}
		read_once(mode, data, len, &k);
		printf("%llu\n", k);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "-m") == 0)
		return shrink(argv[2], argv[3]);
	if (argc > 3 && strcmp(argv[1], "-k") == 0 &&
	    strcmp(argv[2], "-f") == 0) {
		keep_going = 1;
		argv++;
		argc--;
	}
	if (argc > 2 && strcmp(argv[1], "-f") == 0) {
		rounds = atol(argv[2]);
		i = 3;
	}
	for (; i < argc; i++) {
		size_t len;
		char *data = slurp(argv[i], &len);
		struct tally t;
		char which;
		double tr, te, tl;

		memset(&t, 0, sizeof t);
		if (rounds > 0) {
			if (!fuzz_file(argv[i], data, len, rounds)) {
				if (!keep_going)
					return 1;
				bad = 1;
			}
			free(data);
			continue;
		}
		if (!check_input(argv[i], data, len, 1, &t, &which))
			return 1;
		say_ok(argv[i], &t, "from memory and through a pipe");
		tr = time_reader(0, data, len);
		te = time_reader(1, data, len);
		tl = time_reader(2, data, len);
		printf("time %s: reader alone, MB/s: reference %.0f, every "
		    "line %.0f, lazily %.0f\n", argv[i], len / 1e6 / tr,
		    len / 1e6 / te, len / 1e6 / tl);
		fflush(stdout);
		free(data);
	}
	return bad;
}
