/*
 * diffcheck.c - the fast diff reader (lib/diff.c) against the one it
 * replaced (lib/diff.c at DIFF_REF in the Makefile, taken from git): they
 * must hand on the same lines, with the same paths, line numbers,
 * commits, windows and verdicts.
 *
 *   diffcheck FILE...     each file read from memory, and again through a
 *                         pipe fed in random-sized writes (other buffer
 *                         boundaries), both modes (every added line, and
 *                         only the lines flagged candidate, which after
 *                         keeping those with a trigger must equal the
 *                         oracle's lines with one: no trigger line is ever
 *                         flagged out), then the reader alone timed
 *   diffcheck -t ref|every|cand FILE   one reader once (for a profiler)
 *   diffcheck -f N FILE.. N random mutations of each file (bytes flipped
 *                         to '\n', '+', '-', ' ', '@', '\\', '\r', ...),
 *                         each compared the same way from memory
 *
 * Prints one line per check; exits 1 on the first difference.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "sas.h"

int ref_diff_init(struct diff *);
void ref_diff_release(struct diff *);
int ref_diff_read(struct diff *, int, diff_line_fn, void *);
int ref_diff_read_mem(struct diff *, const char *, size_t, diff_line_fn,
    void *);

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* What a run handed on: a hash of every field, in order, and a count. */
struct seen {
	uint64_t h;
	unsigned long long n;
	int filter;		/* count only lines that hold a trigger */
	int cand;		/* skip lines not flagged candidate */
};

static void
mix(struct seen *s, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		s->h = (s->h ^ *b++) * 0x100000001b3ULL;
}

/* The token finder's own test for "may hold a token", not a copy of it. */
static int
holds_trigger(const char *t, size_t n)
{
	return sas_trigger(t, n) < n;
}

static int
record(void *user, const struct diff_line *l)
{
	struct seen *s = user;
	long v[6];

	if (s->cand && !l->candidate)
		return 0;
	if (s->filter && l->first && l->last && !holds_trigger(l->text,
	    l->len))
		return 0;
	v[0] = (long)l->len;
	v[1] = (long)l->limit;
	v[2] = (long)l->offset;
	v[3] = l->first * 2 + l->last;
	v[4] = l->lineno;
	v[5] = 0;
	mix(s, v, sizeof v);
	mix(s, l->text, l->len);
	mix(s, l->path, strlen(l->path) + 1);
	mix(s, l->commit, strlen(l->commit) + 1);
	s->n++;
	return 0;
}

static int
count_only(void *user, const struct diff_line *l)
{
	(*(unsigned long long *)user) += l->len > 0;
	return 0;
}

/* What a caller that skips non-candidate lines would still look at. */
static int
count_candidates(void *user, const struct diff_line *l)
{
	return l->candidate ? count_only(user, l) : 0;
}

struct result {
	struct seen seen;
	long truncated;
	int rc;
};

static struct result
run_mem(int ref, int cand, int filter, const char *data, size_t len)
{
	struct result res;
	struct diff d;

	memset(&res, 0, sizeof res);
	res.seen.h = 0xcbf29ce484222325ULL;
	res.seen.filter = filter;
	res.seen.cand = cand;
	if ((ref ? ref_diff_init(&d) : diff_init(&d)) != 0)
		exit(2);
	res.rc = ref ? ref_diff_read_mem(&d, data, len, record, &res.seen) :
	    diff_read_mem(&d, data, len, record, &res.seen);
	res.truncated = d.truncated;
	if (ref)
		ref_diff_release(&d);
	else
		diff_release(&d);
	return res;
}

/* The fast reader through a pipe written in random-sized pieces. */
static struct result
run_pipe(int cand, const char *data, size_t len)
{
	struct result res;
	struct diff d;
	int fd[2];
	pid_t pid;

	memset(&res, 0, sizeof res);
	res.seen.h = 0xcbf29ce484222325ULL;
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
	res.seen.filter = res.seen.cand = cand;
	if (diff_init(&d) != 0)
		exit(2);
	res.rc = diff_read(&d, fd[0], record, &res.seen);
	res.truncated = d.truncated;
	diff_release(&d);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return res;
}

static int
same(const char *what, const char *name, struct result a, struct result b)
{
	if (a.seen.h == b.seen.h && a.seen.n == b.seen.n &&
	    a.truncated == b.truncated && a.rc == b.rc)
		return 1;
	printf("DIFFERENT %s %s: %llu vs %llu lines, truncated %ld vs %ld, "
	    "rc %d vs %d\n", what, name, a.seen.n, b.seen.n, a.truncated,
	    b.truncated, a.rc, b.rc);
	return 0;
}

/* Both modes of the fast reader against the oracle, from memory. */
static int
check_mem(const char *name, const char *data, size_t len)
{
	struct result ref = run_mem(1, 0, 0, data, len);
	struct result ref_f = run_mem(1, 0, 1, data, len);

	return same("every-line", name, ref, run_mem(0, 0, 0, data, len)) &&
	    same("candidates", name, ref_f, run_mem(0, 1, 1, data, len));
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The reader alone (a callback that does nothing), best of three. */
static double
time_reader(int ref, int cand, const char *data, size_t len)
{
	double best = 1e9, t;
	unsigned long long k = 0;
	struct diff d;
	int i;

	for (i = 0; i < 3; i++) {
		if ((ref ? ref_diff_init(&d) : diff_init(&d)) != 0)
			exit(2);
		t = now();
		if (ref)
			ref_diff_read_mem(&d, data, len, count_only, &k);
		else
			diff_read_mem(&d, data, len, cand ? count_candidates :
			    count_only, &k);
		t = now() - t;
		if (t < best)
			best = t;
		if (ref)
			ref_diff_release(&d);
		else
			diff_release(&d);
	}
	return best;
}

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

static int
fuzz_file(const char *name, const char *data, size_t len, long rounds)
{
	static const char bytes[] = "\n\n\n++-- @@\\\r\r 0123,dcF";
	char *m = malloc(len + 1);
	long r;

	for (r = 0; r < rounds; r++) {
		size_t k, edits = 1 + rnd() % 8;

		memcpy(m, data, len);
		for (k = 0; k < edits && len > 0; k++)
			m[rnd() % len] = bytes[rnd() % (sizeof bytes - 1)];
		/* Sometimes cut it short too. */
		if (!check_mem(name, m, rnd() % 5 == 0 ? rnd() % (len + 1) :
		    len)) {
			free(m);
			return 0;
		}
	}
	free(m);
	printf("same %s: %ld mutations\n", name, rounds);
	return 1;
}

int
main(int argc, char **argv)
{
	long rounds = 0;
	int i = 1;

	/* -t ref|every|cand FILE: one reader once, for a profiler. */
	if (argc == 4 && strcmp(argv[1], "-t") == 0) {
		size_t len;
		char *data = slurp(argv[3], &len);
		unsigned long long k = 0;
		struct diff d;
		int ref = strcmp(argv[2], "ref") == 0;

		if ((ref ? ref_diff_init(&d) : diff_init(&d)) != 0)
			return 2;
		if (ref)
			ref_diff_read_mem(&d, data, len, count_only, &k);
		else
			diff_read_mem(&d, data, len, strcmp(argv[2], "cand") ==
			    0 ? count_candidates : count_only, &k);
		printf("%llu\n", k);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "-f") == 0) {
		rounds = atol(argv[2]);
		i = 3;
	}
	for (; i < argc; i++) {
		size_t len;
		char *data = slurp(argv[i], &len);
		double tr, tf, tc;

		if (rounds > 0) {
			if (!fuzz_file(argv[i], data, len, rounds))
				return 1;
			free(data);
			continue;
		}
		if (!check_mem(argv[i], data, len) ||
		    !same("pipe", argv[i], run_mem(1, 0, 0, data, len),
		    run_pipe(0, data, len)) ||
		    !same("pipe-candidates", argv[i], run_mem(1, 0, 1, data,
		    len), run_pipe(1, data, len)))
			return 1;
		tr = time_reader(1, 0, data, len);
		tf = time_reader(0, 0, data, len);
		tc = time_reader(0, 1, data, len);
		printf("same %s; reader alone, MB/s: before %.0f, every line "
		    "%.0f, candidates only %.0f\n", argv[i], len / 1e6 / tr,
		    len / 1e6 / tf, len / 1e6 / tc);
		free(data);
	}
	return 0;
}
