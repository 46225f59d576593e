/*
 * text.c - finding a word, filling a room; see text.h.
 */
#include <string.h>

#include "text.h"

const char *
text_find(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	const char *p = s, *end = s + len;

	while ((size_t)(end - p) >= n &&
	    (p = memchr(p, word[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, word, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

void
text_put(struct text_out *o, const char *s, size_t n)
{
	if (n > o->cap - o->n)
		n = o->cap - o->n;
	memcpy(o->p + o->n, s, n);
	o->n += n;
}
