/*
 * fuzz target: the notebook joiner (notebook_element) on any line, with
 * an output room taken from the input. Checks that it never writes past
 * its room nor says it wrote more, and that an element's code is never
 * longer than the line that holds it (decoding only shrinks it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notebook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, n;
	char *copy, *out;
	int nl, r;

	if (size == 0)
		return 0;
	/* The first byte sets the room: from nothing to more than needed. */
	cap = data[0] == 0xff ? size * 2 : (size_t)data[0] % (size + 1);
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL ||
	    (out = malloc(cap ? cap : 1)) == NULL) {
		free(copy);
		return 0;
	}
	memcpy(copy, data + 1, size - 1);
	r = notebook_element(copy, size - 1, out, cap, &n, &nl);
	if ((r != 0 && r != 1) || n > cap || n > size - 1 ||
	    (r == 0 && n != 0) || (nl != 0 && nl != 1))
		abort();
	notebook_path("x.ipynb");
	free(out);
	free(copy);
	return 0;
}
