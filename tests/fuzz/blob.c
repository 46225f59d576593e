/*
 * fuzz target: lib/blob.c on any bytes - the encoding a mark announces,
 * NUL-laced text, pieces, long lines - through the whole pipeline with the
 * default rules. The first byte picks the size of the pieces the content
 * is fed in; whatever the size, the findings (places by action) must be
 * the same as when it is fed whole, since the encoding is told from the
 * first bytes alone and pieces are cut by the decoder, not by the feeder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "blob.h"
#include "report.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules rules;
static FILE *null;

/* Places by action after scanning data in pieces of step (0: whole). */
static unsigned long long
places(const uint8_t *data, size_t size, size_t step)
{
	struct report report;
	struct scan s;
	struct blob b;
	unsigned long long n;
	size_t off, k;
	int r;

	report_init(&report, null);
	if (report_start(&report, REPORT_TEXT, NULL, &rules, "fuzz", 0) != 0 ||
	    scan_init(&s, &rules, &report, 1795305600, "") != SCAN_OK)
		abort();
	if (step == 0)
		r = blob_scan(&s, "f", "", data, size);
	else {
		if ((r = blob_begin(&b, &s, "f", "")) != SCAN_OK)
			abort();
		for (off = 0; r == SCAN_OK && off < size; off += k) {
			k = size - off < step ? size - off : step;
			r = blob_feed(&b, data + off, k);
		}
		if (r == SCAN_OK)
			r = blob_end(&b);
		else
			blob_release(&b);
	}
	if (r != SCAN_OK)
		abort();
	n = report.blocked * 1000000 + report.warned * 1000 + report.passed;
	report_finish(&report, 0);
	scan_release(&s);
	report_release(&report);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char err[RULES_ERR_MAX];
	size_t step;

	if (!ready) {
		if (rules_init(&rules, err, sizeof err) != 0 ||
		    (null = fopen("/dev/null", "w")) == NULL)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	if (places(data + 1, size - 1, 0) != places(data + 1, size - 1, step))
		abort();
	return 0;
}
