/*
 * fuzz target: rules_load_string() over the built-in default, on any
 * text; a rule set it accepts must print and load back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules r, again;
	char err[RULES_ERR_MAX], *text, *printed = NULL;
	size_t plen = 0;
	FILE *f;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (rules_init(&r, err, sizeof err) != 0)
		abort();
	if (rules_load_string(&r, text, "fuzz.ini", err, sizeof err) == 0) {
		if ((f = open_memstream(&printed, &plen)) == NULL)
			abort();
		if (rules_print(&r, f) != 0)
			abort();
		fclose(f);
		if (rules_init(&again, err, sizeof err) != 0)
			abort();
		if (rules_load_string(&again, printed, "printed.ini", err,
		    sizeof err) != 0) {
			/* Say why: the round trip is the property checked. */
			fprintf(stderr, "printed rules do not load back: %s\n",
			    err);
			abort();
		}
		rules_release(&again);
		free(printed);
	} else if (memchr(err, '\0', sizeof err) == NULL)
		abort();
	rules_release(&r);
	free(text);
	return 0;
}
