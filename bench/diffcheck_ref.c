/*
 * diffcheck_ref.c - the reference diff reader for bench/diffcheck.c, in a
 * translation unit of its own: lib/diff.c as it was at DIFF_REF, compiled
 * against lib/diff.h as it was then (both extracted by the Makefile into
 * REF_DIR, which is the only include directory this file is built with:
 * the current lib/ is not visible here). Its public functions are renamed
 * so that they do not collide with the current reader's, and each line it
 * hands on is passed on as a struct ref_line.
 */
#define diff_init	ref_old_diff_init
#define diff_release	ref_old_diff_release
#define diff_read	ref_old_diff_read
#define diff_read_mem	ref_old_diff_read_mem

/* The old reader and, through its own #include "diff.h", the old header:
 * a quoted include is looked up next to the file that includes it first. */
#include "diff.c"

#undef diff_init
#undef diff_release
#undef diff_read
#undef diff_read_mem

#include "diffcheck_ref.h"

struct ref_reader {
	struct diff d;
	ref_line_fn fn;
	void *user;
};

static int
pass_on(void *user, const struct diff_line *l)
{
	struct ref_reader *r = user;
	struct ref_line o;

	memset(&o, 0, sizeof o);
	o.text = l->text;
	o.len = l->len;
	o.limit = l->limit;
	o.offset = l->offset;
	o.first = l->first;
	o.last = l->last;
	o.lineno = l->lineno;
	o.candidate = -1;
	o.path = l->path;
	o.commit = l->commit;
	return r->fn(r->user, &o);
}

struct ref_reader *
ref_open(void)
{
	struct ref_reader *r = calloc(1, sizeof *r);

	if (r != NULL && ref_old_diff_init(&r->d) != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

void
ref_close(struct ref_reader *r)
{
	if (r != NULL)
		ref_old_diff_release(&r->d);
	free(r);
}

int
ref_read_mem(struct ref_reader *r, const char *data, size_t len,
    ref_line_fn fn, void *user)
{
	r->fn = fn;
	r->user = user;
	return ref_old_diff_read_mem(&r->d, data, len, pass_on, r);
}

int
ref_read_fd(struct ref_reader *r, int fd, ref_line_fn fn, void *user)
{
	r->fn = fn;
	r->user = user;
	return ref_old_diff_read(&r->d, fd, pass_on, r);
}

long
ref_truncated(const struct ref_reader *r)
{
	return r->d.truncated;
}
