/*
 * fuzz target: the readers of lines with an anchor - anchor_find (SIMD)
 * against a byte-at-a-time oracle, acctkey_scan, and gen_scan over a line
 * with its run before and after taken from the input (split at the first
 * two NUL bytes), then over the same text as a window of a long line.
 * Checks: the anchor search finds the first place the
 * oracle does; every key lies inside the text, 88 characters; the text a
 * generated SAS shows holds no key candidate.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acctkey.h"
#include "anchor.h"
#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t text_len;

static int
key_check(void *user, const struct acctkey *k)
{
	(void)user;
	if (k->end > text_len || k->end - k->start != ACCTKEY_CHARS)
		abort();
	return 0;
}

static int
gen_check(void *user, const struct gen_sas *g)
{
	size_t i, n = strlen(g->shown);

	(void)user;
	for (i = 0; i + 2 <= n; i++)
		if (acctkey_candidate_at(g->shown, 0, i, n))
			abort();
	if (g->made.by == NULL || strlen(g->tok.sp) >= sizeof g->tok.sp)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *window;
	const char *s = (const char *)data, *z1, *z2;
	struct diff_line l;
	size_t i, first = size, got;

	if (window == NULL && (window = malloc(GEN_WINDOW)) == NULL)
		abort();
	/* The oracle: one place at a time. */
	for (i = 0; i < size && first == size; i++)
		if ((s[i] == '=' && acctkey_candidate_at(s, 0, i, size)) ||
		    gen_anchor_at(s, 0, i, size))
			first = i;
	got = anchor_find(s, 0, size);
	if (got != first)
		abort();

	memset(&l, 0, sizeof l);
	z1 = memchr(s, '\0', size);
	z2 = z1 != NULL ? memchr(z1 + 1, '\0', size - (size_t)(z1 + 1 - s)) :
	    NULL;
	if (z1 == NULL || z2 == NULL) {
		l.text = s;
		l.len = size;
	} else {
		l.before = s;
		l.beforelen = (size_t)(z1 - s);
		l.text = z1 + 1;
		l.len = (size_t)(z2 - z1 - 1);
		l.after = z2 + 1;
		l.afterlen = size - (size_t)(z2 + 1 - s);
		l.after_new = l.after_old = 20;
	}
	l.limit = l.len;
	l.first = l.last = 1;
	l.prefix = 1;
	l.path = l.commit = "";
	text_len = l.len;
	acctkey_scan(l.text, l.len, key_check, NULL);
	gen_scan(&l, 1795305600, window, gen_check, NULL);
	/* The same text as a window of a long line, its limit half way:
	 * each anchor read in a window of its own (gen.c, scan_long). */
	l.first = 0;
	l.limit = l.len / 2;
	l.before = l.after = NULL;
	l.beforelen = l.afterlen = 0;
	gen_scan(&l, 1795305600, window, gen_check, NULL);
	return 0;
}
