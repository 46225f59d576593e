/*
 * scan.h - one diff in, findings out: the diff reader, the token finder,
 * the rules and the exceptions, put together.
 *
 * Each token gets its fingerprint (allow.h). A token on which a rule
 * fires is checked against the exceptions of rules->allow; the report is
 * told the reason when one applies. The inline marker counts when it is
 * anywhere on the line up to the end of the window holding the token (a
 * line over DIFF_WINDOW bytes comes in windows), and [allow] regex sees
 * that window, not the whole of such a line.
 */
#ifndef SASGUARD_SCAN_H
#define SASGUARD_SCAN_H

#include <stdint.h>

#include "diff.h"
#include "report.h"
#include "rules.h"
#include "split.h"

/* Views of tokens kept per line, and the size of a decoded text. */
#define SCAN_VIEWS 16
#define DECODE_CAP DIFF_WINDOW

/* One way a line's texts showed a token (scan.c). */
struct scan_view {
	struct sas_token tok;
	uint64_t fp;
	int written;		/* from the line as written */
	int joined;		/* from the joined text, spanning lines */
	int report;		/* then: the window line to report at */
	int done;
};

enum scan_status {
	SCAN_OK = 0,
	SCAN_EREAD = -1,	/* reading the input failed: see errno */
	SCAN_EWRITE = -2,	/* writing the report failed */
	SCAN_ENOMEM = -3,
	SCAN_EREGEX = -4	/* an [allow] regex failed: see s->failure */
};

struct scan {
	const struct rules *rules;
	struct report *report;
	int64_t now;
	const char *ref;		/* "" when none */
	struct diff diff;
	const struct diff_line *line;	/* the line being scanned */
	int marked;			/* ... holds ALLOW_MARKER so far;
				 * -1: not looked yet */
	struct split split;		/* tokens split over lines */
	struct scan_view *views;	/* the line's, SCAN_VIEWS */
	int nviews, reading;
	char *dec[2];			/* decoded texts, DECODE_CAP each,
					 * made when first needed */
	int nomem;			/* ... and they could not be */
	char *gen;			/* gen.h's window, made when needed */
	/* When not NULL, the fingerprint of every token a rule fires on
	 * (allowed or not) is added here, for --write-baseline. */
	struct fpset *collect;
	/* After SCAN_EREGEX: which pattern, why, and where. */
	struct allow_failure failure;
	char failed_at[DIFF_PATH_MAX + 32];
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
