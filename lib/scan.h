/*
 * scan.h - one diff in, findings out: the diff reader, the token finder
 * and the rules, put together.
 */
#ifndef SASGUARD_SCAN_H
#define SASGUARD_SCAN_H

#include <stdint.h>

#include "diff.h"
#include "report.h"
#include "rules.h"

enum scan_status {
	SCAN_OK = 0,
	SCAN_EREAD = -1,	/* reading the input failed: see errno */
	SCAN_EWRITE = -2,	/* writing the report failed */
	SCAN_ENOMEM = -3
};

struct scan {
	const struct rules *rules;
	struct report *report;
	int64_t now;
	const char *ref;		/* "" when none */
	struct diff diff;
	const struct diff_line *line;	/* the line being scanned */
};

/* Returns SCAN_OK or SCAN_ENOMEM. rules and report are borrowed. */
int scan_init(struct scan *s, const struct rules *rules,
    struct report *report, int64_t now, const char *ref);
void scan_release(struct scan *s);

/*
 * Scans the diff on fd to its end. Returns a scan_status. After SCAN_OK,
 * scan_truncated() tells whether the diff ended inside a hunk.
 */
int scan_fd(struct scan *s, int fd);
int scan_mem(struct scan *s, const char *data, size_t len);
long scan_truncated(const struct scan *s);

#endif
