/*
 * fuzz target: the whole pipeline on any bytes - diff reader, token
 * finder, split-token rebuilding, rules, exceptions and the text report
 * (written to /dev/null) - as sasguard runs it, with the default rules.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "rules.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules rules;
	static FILE *null;
	static int ready;
	struct report report;
	struct scan s;
	char err[RULES_ERR_MAX];

	if (!ready) {
		if (rules_init(&rules, err, sizeof err) != 0 ||
		    (null = fopen("/dev/null", "w")) == NULL)
			abort();
		ready = 1;
	}
	report_init(&report, null);
	if (report_start(&report, REPORT_TEXT, NULL, &rules, "fuzz", 0) != 0)
		abort();
	if (scan_init(&s, &rules, &report, 1795305600, "") != SCAN_OK)
		abort();
	scan_mem(&s, (const char *)data, size);
	report_finish(&report, 0);
	scan_release(&s);
	report_release(&report);
	return 0;
}
