/*
 * Unit tests for the inventory (inventory.h): rows keyed by fingerprint
 * (one row per token whatever its places and repositories), first and
 * last place by date, the repository count, at_head, the status at now,
 * the order (live first, longest-lived first), what blocks, memory that
 * does not grow with places, and each writer: the table keeps one line
 * per row whatever a path holds, CSV quotes as RFC 4180 says, JSON and
 * GitLab carry their required fields, and no writer prints a signature.
 * The signatures are made up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "inventory.h"
#include "rules.h"
#include "sas.h"
#include "tap.h"
#include "token.h"

#define SIG_A "hruTwOl3D5L1ajx1bZKrbe6vFF3noXKbLY0VFXxu6cI%3D"
#define SIG_B "COgqT13yoVveHNuO731ppxOYDU0MJjGOwsI%2Bm2g%2BAIY%3D"
#define SIG_C "Q9Ws%2FmqqILn3jsAjDjOFWUp0wwrkPYo6PJv5cdv22Js%3D"

/* A: account SAS for 30 years; B: read-only service SAS, expired in
 * 2021; C: service SAS with write, expiring 2026-12-01. */
static const char *const urls[] = {
	"https://acct.blob.core.windows.net/m/x?sv=2020-08-04&ss=bfqt&srt=sco"
	"&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z"
	"&spr=https,http&sig=" SIG_A,
	"https://other.blob.core.windows.net/c/b?sv=2019-10-10&sr=b&sp=r"
	"&se=2021-01-02T00:00:00Z&st=2021-01-01T00:00:00Z&spr=https&sig="
	SIG_B,
	"https://third.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=rw"
	"&se=2026-12-01T00:00:00Z&st=2026-11-01T00:00:00Z&spr=https&sig="
	SIG_C,
};

static struct rules rules;
static int64_t now;
static struct token kept[3];
static struct judgement judged[3];
static unsigned char sigs[3][32];

static struct sas_token seen;

static int
on_token(void *user, const struct sas_token *t)
{
	(void)user;
	seen = *t;
	return 1;
}

static void
setup(void)
{
	char err[RULES_ERR_MAX];
	int i;

	if (rules_init(&rules, err, sizeof err) != 0) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	date_parse("2026-11-22T00:00:00Z", 20, &now);
	for (i = 0; i < 3; i++) {
		if (sas_scan(urls[i], strlen(urls[i]), strlen(urls[i]),
		    on_token, NULL) != 1) {
			printf("Bail out! token %d not found\n", i);
			exit(1);
		}
		memcpy(sigs[i], seen.sig, 32);
		rules_judge(&rules, &seen, now, &judged[i]);
		token_keep(&kept[i], &seen, fingerprint_of(seen.sig));
	}
}

static void
place(struct inventory *inv, const char *repo, int tok, const char *commit,
    const char *date, const char *path, long line, enum allow_reason a)
{
	struct inventory_place p;
	size_t r;

	memset(&p, 0, sizeof p);
	p.commit = commit;
	p.author = "A U Thor <a@example.invalid>";
	p.has_date = date_parse(date, strlen(date), &p.date) == 0;
	p.path = path;
	p.line = line;
	if (inventory_repo(inv, repo, &r) != 0 ||
	    inventory_add(inv, r, &p, &kept[tok], &judged[tok], a) != 0) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
}

/* The output of one writer, in memory. */
static char *
written(const struct inventory *inv, enum inventory_format f)
{
	struct inventory_run run;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	memset(&run, 0, sizeof run);
	run.version = "test";
	run.rules = &rules;
	run.now = now;
	run.started = now;
	run.finished = now + 61;
	if (out == NULL || inventory_write(inv, f, &run, out) != 0) {
		printf("Bail out! cannot write\n");
		exit(1);
	}
	fclose(out);
	return buf;
}

static int
holds_any_signature(const char *text)
{
	static const char *const forms[] = { SIG_A, SIG_B, SIG_C,
	    "hruTwOl3D5L1ajx1bZKrbe6vFF3noXKbLY0VFXxu6cI",
	    "COgqT13yoVveHNuO731ppxOYDU0MJjGOwsI+m2g+AIY",
	    "Q9Ws/mqqILn3jsAjDjOFWUp0wwrkPYo6PJv5cdv22Js" };
	size_t i;
	int k;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (strstr(text, forms[i]) != NULL)
			return 1;
	/* nor the bytes, in hex */
	for (k = 0; k < 3; k++) {
		char hex[65];

		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", sigs[k][i]);
		if (strstr(text, hex) != NULL)
			return 1;
	}
	return 0;
}

static size_t
lines_of(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_rows(void)
{
	struct inventory inv;
	const struct inventory_row *a, *b;
	size_t *order;

	inventory_init(&inv);
	/* Newest first, as git log gives them. */
	place(&inv, "r1", 0, "cccc", "2022-01-01T00:00:00Z", "README.md", 9,
	    ALLOW_NONE);
	place(&inv, "r1", 0, "bbbb", "2021-10-05T00:00:00Z", "README.md", 37,
	    ALLOW_NONE);
	place(&inv, "r1", 0, "bbbb", "2021-10-05T00:00:00Z", "README.md", 60,
	    ALLOW_NONE);
	place(&inv, "r2", 0, "dddd", "2023-05-05T00:00:00Z", "docs/a.md", 1,
	    ALLOW_NONE);
	place(&inv, "r3", 1, "eeee", "2021-01-01T00:00:00Z", "x.cfg", 2,
	    ALLOW_BASELINE);
	place(&inv, "r3", 2, "ffff", "2026-11-02T00:00:00Z", "y.cfg", 3,
	    ALLOW_NONE);
	is_int((long long)inv.nrows, 3, "three tokens, three rows");
	is_int((long long)inv.nrepos, 3, "three repositories");
	a = inventory_find(&inv, kept[0].fp);
	if (!ok(a != NULL, "the shared token has a row"))
		return;
	is_int((long long)a->places, 4, "shared token: 4 places");
	is_int((long long)a->nrepos, 2, "shared token: 2 repositories");
	is_str(a->first.commit, "bbbb", "first seen: the oldest commit");
	is_int(a->first.line, 37, "... its first place in order added");
	is_str(inv.repos[a->first.repo], "r1", "... in r1");
	is_str(a->last.commit, "dddd", "last seen: the newest commit, in r2");
	is_str(a->first.author, "A U Thor <a@example.invalid>",
	    "first seen: the author");

	ok(!a->at_head, "not at HEAD before it is marked");
	ok(inventory_at_head(&inv, kept[0].fp) == 1 && a->at_head,
	    "marked at HEAD");
	ok(inventory_at_head(&inv, 12345) == 0, "an unknown fingerprint: 0");

	b = inventory_find(&inv, kept[1].fp);
	ok(b != NULL && b->allowed == ALLOW_BASELINE && b->allowed_places == 1,
	    "the baselined token keeps its exception");

	is_int((long long)inventory_blocking(&inv, now), 2,
	    "2 blocking: the live account SAS, the live token with write");
	order = inventory_order(&inv, now);
	ok(order != NULL && inv.rows[order[0]].tok.fp == kept[0].fp &&
	    inv.rows[order[1]].tok.fp == kept[2].fp &&
	    inv.rows[order[2]].tok.fp == kept[1].fp,
	    "order: 30-year live, 30-day live, then expired");
	free(order);

	/* The same repository again, and a repository named again, do not
	 * count twice. */
	place(&inv, "r1", 0, "gggg", "2024-01-01T00:00:00Z", "z", 1,
	    ALLOW_NONE);
	is_int((long long)a->nrepos, 2, "a repository named again: still 2");
	inventory_release(&inv);
}

static void
test_memory(void)
{
	struct inventory inv;
	size_t caprows, nslots;
	int i;

	inventory_init(&inv);
	place(&inv, "r", 0, "aaaa", "2022-01-01T00:00:00Z", "f", 1, ALLOW_NONE);
	caprows = inv.caprows;
	nslots = inv.nslots;
	for (i = 0; i < 100000; i++)
		place(&inv, "r", 0, "aaaa", "2022-01-01T00:00:00Z", "f", i + 2,
		    ALLOW_NONE);
	ok(inv.nrows == 1 && inv.caprows == caprows && inv.nslots == nslots &&
	    inv.rows[0].caprepos <= 2, "100,001 places of one token: memory "
	    "does not grow");
	is_int((long long)inv.rows[0].places, 100001, "... and all counted");
	inventory_release(&inv);
}

static void
test_status(void)
{
	struct inventory inv;
	char *csv, *table;

	inventory_init(&inv);
	place(&inv, "r", 0, "a1", "2021-10-05T00:00:00Z", "a", 1, ALLOW_NONE);
	place(&inv, "r", 1, "a1", "2021-10-05T00:00:00Z", "b", 1, ALLOW_NONE);
	place(&inv, "r", 2, "a1", "2021-10-05T00:00:00Z", "c", 1, ALLOW_NONE);
	csv = written(&inv, INVENTORY_CSV);
	ok(strstr(csv, ",live,account,") != NULL, "CSV: the 2051 token is live");
	ok(strstr(csv, ",expired,service,") != NULL,
	    "CSV: the 2021 token is expired");
	ok(strstr(csv, ",\"live, expires in 9 days\",service,") != NULL,
	    "CSV: the token of 2026-12-01 'live, expires in 9 days', quoted");
	table = written(&inv, INVENTORY_TABLE);
	ok(strstr(table, "live account SAS: 1 (") != NULL,
	    "table summary: one live account SAS");
	ok(strstr(table, "longest-lived live token: ") != NULL &&
	    strstr(table, "longest-lived live token: none") == NULL,
	    "table summary: the longest-lived live token");
	ok(strstr(table, "tokens expiring within 30 days: 1 (") != NULL,
	    "table summary: one expiring within 30 days");
	free(csv);
	free(table);
	inventory_release(&inv);
}

static void
test_writers(void)
{
	static const enum inventory_format all[] = { INVENTORY_TABLE,
	    INVENTORY_CSV, INVENTORY_JSON, INVENTORY_SARIF, INVENTORY_GITLAB };
	struct inventory inv;
	enum inventory_format f;
	char *out;
	size_t i;

	inventory_init(&inv);
	place(&inv, "repo \"one\"", 0, "abcdef1234", "2021-10-05T00:00:00Z",
	    "we\"ird, path\nwith a newline", 7, ALLOW_NONE);
	place(&inv, "r2", 1, "0123456789", "2021-01-01T00:00:00Z", "p", 0,
	    ALLOW_NONE);

	out = written(&inv, INVENTORY_TABLE);
	is_int((long long)lines_of(out), 1 + 2 + 1 + 3 + 1,
	    "table: a header, one line per row, a blank, 4 summary lines");
	free(out);

	out = written(&inv, INVENTORY_CSV);
	ok(strstr(out, ",\"we\"\"ird, path\nwith a newline\",7,") != NULL,
	    "CSV: a path with a quote, a comma and a newline is quoted");
	ok(strstr(out, ",\"repo \"\"one\"\"\",") != NULL,
	    "CSV: so is a repository name with quotes");
	ok(strncmp(out, "fingerprint,log_hash,status,", 28) == 0 &&
	    strstr(out, "\r\n") != NULL, "CSV: header first, CRLF line ends");
	free(out);

	out = written(&inv, INVENTORY_JSON);
	ok(strstr(out, "\"schema\":1,") != NULL &&
	    strstr(out, "\"tokens\":[") != NULL &&
	    strstr(out, "\"first_seen\":{\"repo\":") != NULL,
	    "JSON: schema 1, tokens, first_seen");
	ok(strstr(out, "\"line\":null") != NULL, "JSON: line 0 is null");
	free(out);

	out = written(&inv, INVENTORY_GITLAB);
	ok(strstr(out, "\"version\":\"15.1.4\"") != NULL &&
	    strstr(out, "\"type\":\"secret_detection\"") != NULL &&
	    strstr(out, "\"start_time\":\"2026-11-22T00:00:00\",") != NULL &&
	    strstr(out, "\"end_time\":\"2026-11-22T00:01:01\",") != NULL,
	    "GitLab: version, type, times without Z");
	ok(strstr(out, "\"commit\":{\"sha\":\"abcdef1234\"") != NULL,
	    "GitLab: location.commit.sha");
	ok(strstr(out, "raw_source_code_extract") == NULL,
	    "GitLab: no raw_source_code_extract");
	free(out);

	out = written(&inv, INVENTORY_SARIF);
	ok(strstr(out, "\"log_hash\":\"SasSignature(") != NULL &&
	    strstr(out, "\"status\":\"live\"") != NULL,
	    "SARIF: log hash and status properties");
	free(out);

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		out = written(&inv, all[i]);
		ok(!holds_any_signature(out), "writer %zu: no signature", i);
		ok(strstr(out, kept[0].log_hash) != NULL,
		    "writer %zu: the log hash", i);
		free(out);
	}
	ok(inventory_format_parse("gitlab", &f) == 0 && f == INVENTORY_GITLAB &&
	    inventory_format_parse("text", &f) == -1, "format names");
	inventory_release(&inv);
}

/* A path, an author or a repository named after a SAS URL keeps none
 * of its signature. */
static void
test_redacted(void)
{
	static const enum inventory_format all[] = { INVENTORY_TABLE,
	    INVENTORY_CSV, INVENTORY_JSON, INVENTORY_SARIF, INVENTORY_GITLAB };
	struct inventory inv;
	struct inventory_place p;
	size_t r, i;
	char *out;

	inventory_init(&inv);
	memset(&p, 0, sizeof p);
	p.commit = "abcd";
	p.author = "Mallory <sig=" SIG_B ">";
	p.path = "dl/x.ckpt?sv=2020-08-04&sig=" SIG_A;
	p.line = 1;
	if (inventory_repo(&inv, "repo?sig=" SIG_C, &r) != 0 ||
	    inventory_add(&inv, r, &p, &kept[0], &judged[0], ALLOW_NONE) != 0) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		out = written(&inv, all[i]);
		ok(!holds_any_signature(out) && strstr(out, "…[redacted]"),
		    "writer %zu: path, author, repository redacted", i);
		free(out);
	}
	inventory_release(&inv);
}

int
main(void)
{
	setup();
	test_rows();
	test_memory();
	test_status();
	test_writers();
	test_redacted();
	rules_release(&rules);
	return tap_done();
}
