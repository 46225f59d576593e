/*
 * fuzz target: the inventory's rows and writers (lib/inventory*.c) on
 * places made of any bytes. The input is cut at NUL bytes into fields,
 * five a place: repository, author, path, commit, and one field whose
 * bytes pick the token (of three made-up ones), the line, the date and
 * whether an exception allowed it. Whatever the bytes (quotes, commas,
 * line breaks, control characters, invalid UTF-8, "sig=" values):
 *   - the table has one line per row, plus its header and summary;
 *   - the CSV reads back (RFC 4180) as a header and one record per row,
 *     every record as wide as the header;
 *   - JSON, SARIF and GitLab hold no raw control character;
 *   - no writer prints a token's signature (unless the input wrote it
 *     as plain text, which is then just text);
 *   - a row's places add up to the places added.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "rules.h"
#include "sas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELDS 5
#define PLACES_MAX 64

static const char *const urls[] = {
	"https://acct.blob.core.windows.net/m?sv=2020-08-04&ss=b&srt=sco&sp=rw"
	"&se=2051-10-06T07:09:59Z&spr=https&sig=bNyIEFe8ZlSM8A4knGHctibhS1E%2F"
	"tLC%2Bo66%2FMjlxypo%3D",
	"https://b.blob.core.windows.net/c/x?sv=2019-10-10&sr=b&sp=r&se=2021-"
	"01-02&sig=8Dbib5HThCrmyYpieRrKw5%2BRzBMU3W7yNOwWWh6VzPE%3D",
	"https://c.blob.core.windows.net/c?sv=2022-11-02&sr=c&sp=r&sig=4U346C"
	"wDbs0TAsDDHw0ABaWtrVQlP49alth92HFXIV8%3D",
};
/* Pieces of the signatures as they could be printed: any one is a leak. */
static const char *const secrets[] = {
	"bNyIEFe8ZlSM8A4knGHctibhS1E", "8Dbib5HThCrmyYpieRrKw5",
	"RzBMU3W7yNOwWWh6VzPE", "4U346CwDbs0TAsDDHw0ABaWtrVQlP49alth92HFXIV8",
};

static struct rules rules;
static struct token kept[3];
static struct judgement judged[3];
static struct sas_token found;

static int
on_token(void *user, const struct sas_token *t)
{
	(void)user;
	found = *t;
	return 1;
}

static void
setup(void)
{
	char err[RULES_ERR_MAX];
	int i;

	if (rules_init(&rules, err, sizeof err) != 0)
		abort();
	for (i = 0; i < 3; i++) {
		if (sas_scan(urls[i], strlen(urls[i]), strlen(urls[i]),
		    on_token, NULL) != 1)
			abort();
		rules_judge(&rules, &found, 1800000000, &judged[i]);
		token_keep(&kept[i], &found, fingerprint_of(found.sig));
	}
}

static char *
written(const struct inventory *inv, enum inventory_format f, size_t *len)
{
	struct inventory_run run;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);

	memset(&run, 0, sizeof run);
	run.version = "fuzz";
	run.rules = &rules;
	run.now = 1800000000;
	run.started = run.finished = 1800000000;
	if (out == NULL || inventory_write(inv, f, &run, out) != 0)
		abort();
	fclose(out);
	return buf;
}

/* Records and fields of RFC 4180 text: every record must have want
 * fields (want 0: the first record sets it). Returns the records, or -1
 * when the text is not RFC 4180 or a record is off. */
static long
csv_records(const char *s, size_t n, size_t want)
{
	size_t i = 0, fields = 1;
	long records = 0;

	while (i < n) {
		if (s[i] == '"') {
			for (i++; i < n; i++)
				if (s[i] == '"' && (i + 1 >= n || s[i + 1] != '"'))
					break;
				else if (s[i] == '"')
					i++;
			if (i >= n)
				return -1;
			i++;
		}
		while (i < n && s[i] != ',' && s[i] != '\r') {
			if (s[i] == '"' || s[i] == '\n')
				return -1;
			i++;
		}
		if (i < n && s[i] == ',') {
			fields++;
			i++;
			continue;
		}
		if (i + 1 >= n || s[i + 1] != '\n')
			return -1;
		if (want == 0)
			want = fields;
		if (fields != want)
			return -1;
		records++;
		fields = 1;
		i += 2;
	}
	return records;
}

/*
 * out[0..len) with its percent escapes decoded (SARIF's and GitLab's
 * URIs), into a buffer of its own: "(Dbib5..." in a path is written
 * "%28Dbib5...", whose "8Dbib5..." is no signature of ours, only what
 * escaping the input made. NULL when out of memory.
 */
static char *
unescaped(const char *out, size_t len, size_t *n)
{
	char *u = malloc(len + 1), hex[3] = { 0 };
	size_t i;

	if (u == NULL)
		return NULL;
	for (i = *n = 0; i < len; i++) {
		if (out[i] == '%' && i + 2 < len &&
		    strchr("0123456789ABCDEF", out[i + 1]) != NULL &&
		    strchr("0123456789ABCDEF", out[i + 2]) != NULL) {
			hex[0] = out[i + 1];
			hex[1] = out[i + 2];
			u[(*n)++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			u[(*n)++] = out[i];
	}
	return u;
}

/* Whether secret s shows in out: as written there, and still once its
 * escapes are undone. */
static int
shows(const char *out, size_t len, const char *s)
{
	size_t n;
	char *u;
	int r;

	if (memmem(out, len, s, strlen(s)) == NULL)
		return 0;
	if ((u = unescaped(out, len, &n)) == NULL)
		return 1;
	r = memmem(u, n, s, strlen(s)) != NULL;
	free(u);
	return r;
}

/* The kept tokens' signatures may show only where the input itself
 * wrote them as plain text. */
static void
check(const struct inventory *inv, unsigned long long added,
    const uint8_t *data, size_t size)
{
	static const enum inventory_format all[] = { INVENTORY_TABLE,
	    INVENTORY_CSV, INVENTORY_JSON, INVENTORY_SARIF, INVENTORY_GITLAB };
	unsigned long long places = 0;
	size_t i, k, len, lines;
	char *out;

	for (i = 0; i < inv->nrows; i++)
		places += inv->rows[i].places;
	if (places != added)
		abort();
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		out = written(inv, all[i], &len);
		for (k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
			if (shows(out, len, secrets[k]) &&
			    !memmem(data, size, secrets[k], strlen(secrets[k])))
				abort();
		if (all[i] == INVENTORY_TABLE) {
			for (k = 0, lines = 0; k < len; k++)
				lines += out[k] == '\n';
			if (lines != 1 + inv->nrows + 1 + 4)
				abort();
		} else if (all[i] == INVENTORY_CSV) {
			if (csv_records(out, len, 0) != (long)inv->nrows + 1)
				abort();
		} else {
			for (k = 0; k < len; k++)
				if ((unsigned char)out[k] < 0x20 && out[k] != '\n')
					abort();
		}
		free(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *field[FIELDS];
	struct inventory inv;
	struct inventory_place p;
	unsigned long long added = 0;
	char *copy, *at, *end;
	size_t repo, nplaces = 0;
	int nf = 0;

	if (!ready) {
		setup();
		ready = 1;
	}
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	inventory_init(&inv);
	for (at = copy, end = copy + size; at <= end && nplaces < PLACES_MAX;
	    at += strlen(at) + 1) {
		const unsigned char *pick;

		field[nf++] = at;
		if (nf < FIELDS)
			continue;
		nf = 0;
		pick = (const unsigned char *)field[4];
		memset(&p, 0, sizeof p);
		p.author = field[1];
		p.path = field[2];
		p.commit = field[3];
		p.line = pick[0] ? pick[1] : 0;
		p.has_date = pick[0] && pick[1] && pick[2];
		p.date = p.has_date ? (int64_t)pick[2] * 86400 * 100 : 0;
		if (inventory_repo(&inv, field[0], &repo) != 0 ||
		    inventory_add(&inv, repo, &p, &kept[pick[0] % 3],
		    &judged[pick[0] % 3], pick[0] & 4 ? ALLOW_PATH :
		    ALLOW_NONE) != 0)
			abort();
		added++;
		nplaces++;
		if (pick[0] & 8)
			inventory_at_head(&inv, kept[pick[0] % 3].fp);
	}
	check(&inv, added, data, size);
	inventory_release(&inv);
	free(copy);
	return 0;
}
