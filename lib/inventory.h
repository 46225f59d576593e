/*
 * inventory.h - every distinct SAS token of one or more repositories,
 * one row each, and the writers that print the rows.
 *
 * Rows are keyed by fingerprint (allow.h): each place a token is found at
 * (repository, commit, author, date, path, line) is added to its row, which
 * counts the places and the repositories and keeps only the first and the
 * last place (by date; in the order added when dates are equal or
 * unknown). So memory grows with the number of distinct tokens, never with
 * the size of the history. A row holds a struct token (token.h): no
 * signature, ever; paths, authors and repository names are kept with any
 * signature in them redacted (redact.h).
 *
 * A row's status is taken at the writer's `now` (token.h): "live", "live,
 * expires in N days" (N <= TOKEN_SOON_DAYS), "live, no expiry known",
 * "expired". A row is "blocking" when it is live, a blocking rule fires on
 * it, and no exception covers all of its places.
 *
 * Writers (the schemas are in README.md, "sasguard inventory"):
 *   table   live rows first, longest-lived first, one line each (control
 *           characters shown as '?'), then a summary: live account SAS,
 *           the longest-lived live token, tokens expiring within 30 days
 *   csv     RFC 4180: a header line, one line per row, CRLF line ends,
 *           fields quoted when they hold '"', ',', CR or LF
 *   json    {"schema": 1, "tokens": [...], ...}
 *   sarif   SARIF 2.1.0, one result per row at its first place, with the
 *           log hash and the status as properties
 *   gitlab  GitLab's secret-detection report, schema 15.1.4: one
 *           vulnerability per row at its first place (location.commit.sha);
 *           never raw_source_code_extract
 * Every writer lists rows in the table's order.
 *
 * Pure: no git, no processes, no clock; nothing is printed except to the
 * FILE * a writer is given.
 */
#ifndef SASGUARD_INVENTORY_H
#define SASGUARD_INVENTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "allow.h"
#include "rules.h"
#include "token.h"

#define INVENTORY_COMMIT_MAX 72

enum inventory_format {
	INVENTORY_TABLE,
	INVENTORY_CSV,
	INVENTORY_JSON,
	INVENTORY_SARIF,
	INVENTORY_GITLAB
};

/* Where a token was found. Borrowed for the call. */
struct inventory_place {
	const char *commit;	/* hex id; "" when unknown */
	const char *author;	/* "Name <email>"; "" when unknown */
	int64_t date;		/* the author date, when has_date */
	int has_date;
	const char *path;	/* "" when unknown */
	long line;		/* 0 when unknown */
};

/* A place as a row keeps it. */
struct inventory_seen {
	size_t repo;		/* index into inventory.repos */
	char commit[INVENTORY_COMMIT_MAX];
	char *author;
	int64_t date;
	int has_date;
	char *path;
	long line;
};

struct inventory_row {
	struct token tok;
	struct judgement judgement;
	struct inventory_seen first, last;
	unsigned long long places;
	unsigned long long allowed_places;	/* let through by an exception */
	enum allow_reason allowed;		/* the first exception met */
	size_t *repos;				/* sorted indices */
	size_t nrepos, caprepos;
	int at_head;
};

struct inventory {
	struct inventory_row *rows;
	size_t nrows, caprows;
	size_t *slots;		/* fingerprint -> row index + 1; 0: empty */
	size_t nslots;
	char **repos;		/* names, in the order first named */
	size_t nrepos;
};

/* What the writers say about the run; borrowed. */
struct inventory_run {
	const char *version;
	const struct rules *rules;	/* for SARIF's rule list; may be NULL */
	int64_t now;			/* the status is taken at now */
	int64_t started, finished;	/* when the scan ran (gitlab) */
	int failed;			/* the scan failed: gitlab says so */
};

void inventory_init(struct inventory *inv);
void inventory_release(struct inventory *inv);

/* The index of the repository named name, added when new. Returns 0, or
 * -1 out of memory. */
int inventory_repo(struct inventory *inv, const char *name, size_t *index);

/*
 * Adds one place of the token k (judged j; allowed says whether an
 * exception let this place through) in repository repo. Returns 0, or -1
 * out of memory.
 */
int inventory_add(struct inventory *inv, size_t repo,
    const struct inventory_place *p, const struct token *k,
    const struct judgement *j, enum allow_reason allowed);

/* Marks the row of fp as present at the tip (HEAD). Returns 1, or 0 when
 * there is no such row. */
int inventory_at_head(struct inventory *inv, uint64_t fp);

/* The row of fp, or NULL. */
const struct inventory_row *inventory_find(const struct inventory *inv,
    uint64_t fp);

/* 1 when the row is blocking at now (see above). */
int inventory_row_blocking(const struct inventory_row *row, int64_t now);

/* How many rows are blocking at now. */
size_t inventory_blocking(const struct inventory *inv, int64_t now);

/* "table", "csv", "json", "sarif", "gitlab". Returns 0, or -1 when name
 * is none of them. */
int inventory_format_parse(const char *name, enum inventory_format *f);

/* The rows' indices in the table's order at now, in a malloc'd array of
 * nrows (at least one) entries; NULL out of memory. */
size_t *inventory_order(const struct inventory *inv, int64_t now);

/* Writes every row. Returns 0, or -1 when writing (or memory) failed. */
int inventory_write(const struct inventory *inv, enum inventory_format f,
    const struct inventory_run *run, FILE *out);

#endif
