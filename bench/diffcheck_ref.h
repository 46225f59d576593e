/*
 * diffcheck_ref.h - the reference diff reader (lib/diff.c and lib/diff.h
 * at DIFF_REF in the Makefile, taken from git history) behind an interface
 * that names neither its struct diff nor its struct diff_line, so that
 * bench/diffcheck.c can hold it next to the current reader. Only
 * bench/diffcheck_ref.c sees the old header.
 */
#ifndef SASGUARD_DIFFCHECK_REF_H
#define SASGUARD_DIFFCHECK_REF_H

#include <stddef.h>

/* One added line (window) as the reference reader handed it on. */
struct ref_line {
	const char *text;
	size_t len, limit, offset;
	int first, last;
	long lineno;
	int candidate;		/* -1: the reference has no such flag */
	const char *path;
	const char *commit;
};

typedef int (*ref_line_fn)(void *user, const struct ref_line *line);

struct ref_reader;

/* NULL when out of memory. */
struct ref_reader *ref_open(void);
void ref_close(struct ref_reader *r);
/* diff_read_mem / diff_read of the reference reader. */
int ref_read_mem(struct ref_reader *r, const char *data, size_t len,
    ref_line_fn fn, void *user);
int ref_read_fd(struct ref_reader *r, int fd, ref_line_fn fn, void *user);
/* Its d->truncated after the last read. */
long ref_truncated(const struct ref_reader *r);

#endif
