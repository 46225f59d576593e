/*
 * fuzz target: date_parse() on any bytes; what it accepts must format
 * and parse back to the same moment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[DATE_BUFSIZE];
	int64_t t, back;

	if (date_parse((const char *)data, size, &t) != 0)
		return 0;
	date_format(t, buf);
	if (strlen(buf) >= DATE_BUFSIZE)
		abort();
	/* An offset can move a date out of 0000-9999: no round trip then. */
	if (t >= -62167219200LL && t <= 253402300799LL &&
	    (date_parse(buf, strlen(buf), &back) != 0 || back != t))
		abort();
	return 0;
}
