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
 *      every = 1 hands on with candidate = 1, same fields, same order,
 *      with the same runs;
 *   c  no reference line that holds a trigger (sas_trigger(), sas.c's own
 *      test) is missing from the lazy lines;
 *   d  what diff.h says of every line, in both modes: a whole line with
 *      run != 0 has `before` ending where its prefix (`prefix` bytes of
 *      '+' and ' ') starts, ending in '\n', at least DIFF_HISTORY - 1
 *      bytes long when before_cut, and holding the lines of its run
 *      before it (the number of them when not cut, the last ones
 *      compared); lines of one run have consecutive line numbers; run ==
 *      0 iff the line number is 0 or the line is a window; a line with
 *      run == 0 has an empty `before`.
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

/* How many of the lines before a lazy line its `before` is compared with,
 * line by line (all of them are counted). */
#define BEFORE_LINES	16

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
	uint64_t th;		/* the text alone */
	long lineno;
	size_t len;
	unsigned long runord;	/* runs counted from 1 in every mode; 0: none */
	unsigned long runidx;	/* lines of its run before it */
	unsigned char first, last, trigger, candidate;
};

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
	r->th = fnv(FNV0, l->text, l->len);
	r->h = line_hash(r->th, l->len, l->limit, l->offset, l->first,
	    l->last, l->lineno, l->path, l->commit);
	r->lineno = l->lineno;
	r->len = l->len;
	r->first = (unsigned char)l->first;
	r->last = (unsigned char)l->last;
	/* The token finder's own test for "may hold a token". */
	r->trigger = sas_trigger(l->text, l->len) < l->len;
	return 0;
}

/* ---- Checking one read of the new reader ----------------------------- */

struct check {
	const char *name;	/* the input */
	const char *how;	/* "every, mem", "lazy, pipe", ... */
	int lazy;
	int fill;		/* the first every-mode read: fills recs */
	struct recs *a;
	size_t i;		/* lines handed on so far */
	size_t j;		/* lazy: where in a the last one matched */
	int have_prev;
	unsigned long long prev_run;
	unsigned long runord;	/* fill: runs so far */
	long prev_lineno;
	size_t prev_j;
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

/* The line of `before` that ends at b[e] == '\n': where its text starts
 * (after `prefix` bytes) and its length without a CR; 0 when its start is
 * not in before. */
static int
before_line(const char *b, size_t e, int prefix, size_t *start,
    size_t *len, size_t *line_start)
{
	size_t s = e;

	while (s > 0 && b[s - 1] != '\n')
		s--;
	*line_start = s;
	if (s == 0)
		return 0;	/* the caller knows whether it is whole */
	*start = s + (size_t)prefix;
	if (*start > e)
		return -1;
	*len = e - *start;
	if (*len > 0 && b[e - 1] == '\r')
		(*len)--;
	return 1;
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

/*
 * d: `before` of a whole line with a run, whose record is a->v[at]: holds
 * the lines of its run before it (up to BEFORE_LINES of them compared).
 */
static void
before_check(struct check *c, const struct diff_line *l, size_t at)
{
	const struct rec *v = c->a->v;
	const char *b = l->before;
	size_t n = l->beforelen, want = v[at].runidx, k, e, s, len, ls;
	unsigned long i;
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
	if (l->before_cut && n < DIFF_HISTORY - 1)
		return fail(c->fail_d, c, "lineno %ld: before_cut with only "
		    "%zu bytes of before", l->lineno, n);
	if (l->before_cut)
		c->cut++;
	if (want == 0 && (n != 0 || l->before_cut))
		return fail(c->fail_d, c, "lineno %ld: the first line of its "
		    "run has a before of %zu bytes%s", l->lineno, n,
		    l->before_cut ? ", cut" : "");
	/* All of them are counted only lazily: reading every line, the
	 * line before is enough, and counting would be quadratic. */
	if (c->lazy) {
		k = count_nl(b, n);
		if (l->before_cut ? k > want : k != want)
			return fail(c->fail_d, c, "lineno %ld: before holds %zu "
			    "lines, the run %lu before it%s", l->lineno, k,
			    want, l->before_cut ? " (cut)" : "");
	}
	if (want > 0 && n == 0)
		return fail(c->fail_d, c, "lineno %ld: before is empty, the "
		    "run has %lu lines before it", l->lineno, want);
	e = n;
	for (i = 1; i <= want && i <= (c->lazy ? BEFORE_LINES : 1) && e > 0;
	    i++) {
		const struct rec *r = &v[at - i];
		int whole;

		e--;	/* b[e] == '\n' */
		whole = before_line(b, e, l->prefix, &s, &len, &ls);
		if (whole == 0 && !l->before_cut) {
			/* The run's first line starts before. */
			whole = 1;
			s = (size_t)l->prefix;
			len = e - s;
			if (s > e)
				whole = -1;
			else if (len > 0 && b[e - 1] == '\r')
				len--;
		}
		if (whole < 0)
			return fail(c->fail_d, c, "lineno %ld: a line of "
			    "before is shorter than its prefix", l->lineno);
		if (whole == 0)
			break;	/* cut: only the end of it is there */
		if (len != r->len || fnv(FNV0, b + s, len) != r->th)
			return fail(c->fail_d, c, "lineno %ld: the line %lu "
			    "before it in before (%zu bytes) is not lineno %ld "
			    "(%zu bytes)", l->lineno, i, len, r->lineno,
			    r->len);
		e = ls;
	}
}

/* d, the rest: runs, line numbers. */
static void
run_check(struct check *c, const struct diff_line *l, size_t at)
{
	const struct rec *r = &c->a->v[at];
	int whole = l->first && l->last;

	if ((l->run == 0) != (l->lineno == 0 || !whole))
		return fail(c->fail_d, c, "lineno %ld, %s: run %llu",
		    l->lineno, whole ? "whole" : "window", l->run);
	if (l->run == 0) {
		if (l->beforelen != 0 || l->before_cut)
			fail(c->fail_d, c, "lineno %ld: no run but a before "
			    "of %zu bytes", l->lineno, l->beforelen);
		return;
	}
	if (c->have_prev && l->run == c->prev_run) {
		long step = c->lazy ? (long)(r->runidx -
		    c->a->v[c->prev_j].runidx) : 1;

		if (l->lineno != c->prev_lineno + step)
			return fail(c->fail_d, c, "lineno %ld after lineno %ld "
			    "in the same run (%ld expected)", l->lineno,
			    c->prev_lineno, c->prev_lineno + step);
	}
	before_check(c, l, at);
}

static int
new_line(void *user, const struct diff_line *l)
{
	struct check *c = user;
	struct recs *a = c->a;
	struct rec *r;
	uint64_t th = fnv(FNV0, l->text, l->len);
	uint64_t h = line_hash(th, l->len, l->limit, l->offset, l->first,
	    l->last, l->lineno, l->path, l->commit);
	size_t at;
	int newrun;

	c->i++;
	if (c->lazy) {
		if ((c->seen = realloc(c->seen, c->i * sizeof *c->seen)) ==
		    NULL)
			exit(2);
		c->seen[c->i - 1] = h;
		if (c->lost)
			return 0;
		/* b: the next line every = 1 flagged candidate. */
		at = c->have_prev ? c->j + 1 : 0;
		while (at < a->n && !a->v[at].candidate)
			at++;
		if (at >= a->n) {
			fail(c->fail_b, c, "lineno %ld: one line more than "
			    "every = 1 flags candidate", l->lineno);
			c->lost = 1;
			return 0;
		}
		r = &a->v[at];
		if (h != r->h || !l->candidate) {
			fail(c->fail_b, c, "lineno %ld len %zu %s%s, candidate "
			    "%d; every = 1: lineno %ld len %zu", l->lineno,
			    l->len, l->first ? "first" : "", l->last ? " last" :
			    "", l->candidate, r->lineno, r->len);
			c->lost = 1;
			return 0;
		}
		/* Same run as the lazy line before iff so in every mode. */
		if ((l->run == 0) != (r->runord == 0))
			fail(c->fail_b, c, "lineno %ld: run %llu, in every mode "
			    "%s", l->lineno, l->run, r->runord ? "some" :
			    "none");
		else if (c->have_prev && l->run != 0 &&
		    (l->run == c->prev_run) !=
		    (r->runord == a->v[c->prev_j].runord))
			fail(c->fail_b, c, "lineno %ld: %s run as lineno %ld, "
			    "not so in every mode", l->lineno, l->run ==
			    c->prev_run ? "the same" : "not the same",
			    c->prev_lineno);
		c->j = at;
	} else {
		/* a: the reference's next line. */
		at = c->i - 1;
		if (at >= a->n) {
			fail(c->fail_a, c, "lineno %ld: one line more than the "
			    "reference", l->lineno);
			return 1;
		}
		r = &a->v[at];
		if (h != r->h) {
			fail(c->fail_a, c, "lineno %ld len %zu %s%s; reference:"
			    " lineno %ld len %zu %s%s", l->lineno, l->len,
			    l->first ? "first" : "", l->last ? " last" : "",
			    r->lineno, r->len, r->first ? "first" : "",
			    r->last ? " last" : "");
			return 1;
		}
		newrun = l->run != 0 && (!c->have_prev || l->run !=
		    c->prev_run);
		if (c->fill) {
			r->candidate = l->candidate != 0;
			if (newrun)
				c->runord++;
			r->runord = l->run ? c->runord : 0;
			r->runidx = l->run == 0 || newrun ? 0 :
			    a->v[at - 1].runidx + 1;
		} else if (r->candidate != (l->candidate != 0) ||
		    r->runord != (l->run ? c->runord + newrun : 0)) {
			/* Another read of the same input (a pipe). */
			fail(c->fail_a, c, "lineno %ld: candidate %d, run %s; "
			    "read from memory: candidate %d, run %s", l->lineno,
			    l->candidate, newrun ? "new" : "same",
			    r->candidate, r->runord == 0 ? "none" :
			    at > 0 && r->runord == a->v[at - 1].runord ?
			    "same" : "new");
			return 1;
		} else
			c->runord += newrun;
		c->j = at;
	}
	if (l->run != 0 && (!c->have_prev || l->run != c->prev_run))
		c->runs_seen++;
	run_check(c, l, at);
	c->have_prev = 1;
	c->prev_run = l->run;
	c->prev_lineno = l->lineno;
	c->prev_j = at;
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
					if (a.v[k].candidate)
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
	    "candidate\n", name, t->lazy);
	printf("same c %s: all %llu reference lines with a trigger handed "
	    "on lazily\n", name, t->triggers);
	printf("same d %s: %llu reads keep diff.h's promises (%llu runs, "
	    "%llu lines with before_cut)\n", name, t->reads, t->runs, t->cut);
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

static int
fuzz_file(const char *name, const char *data, size_t len, long rounds)
{
	static const char bytes[] = "\n\n\n++-- @@\\\r\r 0123,dcFg=7%";
	char *m = malloc(len + 1);
	struct tally t;
	long r;
	char which, path[64];

	memset(&t, 0, sizeof t);
	for (r = 0; r < rounds; r++) {
		size_t k, edits = 1 + rnd() % 8, n = len;

		memcpy(m, data, len);
		for (k = 0; k < edits && len > 0; k++)
			m[rnd() % len] = bytes[rnd() % (sizeof bytes - 1)];
		/* Sometimes cut it short too. */
		if (rnd() % 5 == 0)
			n = rnd() % (len + 1);
		if (!check_input(name, m, n, 1, &t, &which)) {
			snprintf(path, sizeof path, "/tmp/diffcheck-%c-%ld.diff",
			    which, (long)getpid());
			spit(path, m, n);
			printf("failing input (mutation %ld) saved as %s\n", r,
			    path);
			free(m);
			return 0;
		}
	}
	free(m);
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
	int i = 1;

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
			if (!fuzz_file(argv[i], data, len, rounds))
				return 1;
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
	return 0;
}
