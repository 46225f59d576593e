/*
 * fuzz target: the diff reader (diff_read_mem) on any bytes. Besides the
 * sanitizers, it checks what diff.h promises of every line handed on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

static int
line_check(void *user, const struct diff_line *l)
{
	(void)user;
	if (l->len > DIFF_WINDOW || l->limit > l->len ||
	    strlen(l->path) >= DIFF_PATH_MAX ||
	    strlen(l->commit) >= DIFF_COMMIT_MAX || l->lineno < 0)
		abort();
	/* Touch every byte, so that ASan sees a read past the window. */
	if (l->len > 0 && memchr(l->text, '\n', l->len) == l->text + l->len)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct diff d;
	static int ready;

	/* The 1 MiB buffer once, not per input: it is what makes runs fast. */
	if (!ready) {
		if (diff_init(&d) != 0)
			abort();
		ready = 1;
	}
	d.commit[0] = '\0';
	if (diff_read_mem(&d, (const char *)data, size, line_check, NULL) != 0)
		abort();
	return 0;
}
