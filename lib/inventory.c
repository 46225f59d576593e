/*
 * inventory.c - the rows, keyed by fingerprint, and their order.
 * The writers are in inventory_write.c.
 */
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "redact.h"

void
inventory_init(struct inventory *inv)
{
	memset(inv, 0, sizeof *inv);
}

static void
seen_release(struct inventory_seen *s)
{
	free(s->author);
	free(s->path);
	s->author = s->path = NULL;
}

void
inventory_release(struct inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->nrows; i++) {
		seen_release(&inv->rows[i].first);
		seen_release(&inv->rows[i].last);
		free(inv->rows[i].repos);
	}
	for (i = 0; i < inv->nrepos; i++)
		free(inv->repos[i]);
	free(inv->rows);
	free(inv->slots);
	free(inv->repos);
	memset(inv, 0, sizeof *inv);
}

/* A copy of s with every signature in it redacted (redact.h): a path,
 * an author or a folder can be named after a SAS URL. NULL: no memory. */
static char *
shown_copy(const char *s)
{
	size_t n = strlen(s), cap = 2 * n + 64;
	char *out = malloc(cap);

	if (out != NULL)
		redact_signatures(s, n, out, cap);
	return out;
}

int
inventory_repo(struct inventory *inv, const char *given, size_t *index)
{
	char **v, *copy, *name;
	size_t i;

	if ((name = shown_copy(given)) == NULL)
		return -1;

	for (i = 0; i < inv->nrepos; i++) {
		if (strcmp(inv->repos[i], name) == 0) {
			free(name);
			*index = i;
			return 0;
		}
	}
	copy = name;
	if ((v = realloc(inv->repos, (inv->nrepos + 1) * sizeof *v)) == NULL) {
		free(copy);
		return -1;
	}
	inv->repos = v;
	inv->repos[inv->nrepos] = copy;
	*index = inv->nrepos++;
	return 0;
}

/* Fingerprints are SHA-256 prefixes: their low bits are a good hash. */
static size_t
slot_of(const struct inventory *inv, uint64_t fp)
{
	size_t mask = inv->nslots - 1, i = (size_t)fp & mask;

	while (inv->slots[i] != 0 && inv->rows[inv->slots[i] - 1].tok.fp != fp)
		i = (i + 1) & mask;
	return i;
}

static int
slots_grow(struct inventory *inv)
{
	size_t n = inv->nslots ? inv->nslots * 2 : 64, i;
	size_t *old = inv->slots;

	if ((inv->slots = calloc(n, sizeof *inv->slots)) == NULL) {
		inv->slots = old;
		return -1;
	}
	inv->nslots = n;
	for (i = 0; i < inv->nrows; i++)
		inv->slots[slot_of(inv, inv->rows[i].tok.fp)] = i + 1;
	free(old);
	return 0;
}

const struct inventory_row *
inventory_find(const struct inventory *inv, uint64_t fp)
{
	size_t i;

	if (inv->nslots == 0)
		return NULL;
	i = slot_of(inv, fp);
	return inv->slots[i] ? &inv->rows[inv->slots[i] - 1] : NULL;
}

int
inventory_at_head(struct inventory *inv, uint64_t fp)
{
	struct inventory_row *row = (struct inventory_row *)inventory_find(inv,
	    fp);

	if (row == NULL)
		return 0;
	row->at_head = 1;
	return 1;
}

/* The row of k, made when new. NULL: out of memory. */
static struct inventory_row *
row_get(struct inventory *inv, const struct token *k,
    const struct judgement *j)
{
	struct inventory_row *row;
	size_t i;

	if ((inv->nrows + 1) * 2 > inv->nslots && slots_grow(inv) != 0)
		return NULL;
	i = slot_of(inv, k->fp);
	if (inv->slots[i] != 0)
		return &inv->rows[inv->slots[i] - 1];
	if (inv->nrows == inv->caprows) {
		size_t cap = inv->caprows ? inv->caprows * 2 : 16;
		struct inventory_row *v = realloc(inv->rows, cap * sizeof *v);

		if (v == NULL)
			return NULL;
		inv->rows = v;
		inv->caprows = cap;
	}
	row = &inv->rows[inv->nrows];
	memset(row, 0, sizeof *row);
	row->tok = *k;
	row->judgement = *j;
	inv->slots[i] = ++inv->nrows;
	return row;
}

static int
row_repo(struct inventory_row *row, size_t repo)
{
	size_t i = 0;

	while (i < row->nrepos && row->repos[i] < repo)
		i++;
	if (i < row->nrepos && row->repos[i] == repo)
		return 0;
	if (row->nrepos == row->caprepos) {
		size_t cap = row->caprepos ? row->caprepos * 2 : 2;
		size_t *v = realloc(row->repos, cap * sizeof *v);

		if (v == NULL)
			return -1;
		row->repos = v;
		row->caprepos = cap;
	}
	memmove(row->repos + i + 1, row->repos + i,
	    (row->nrepos - i) * sizeof *row->repos);
	row->repos[i] = repo;
	row->nrepos++;
	return 0;
}

static int
seen_set(struct inventory_seen *s, size_t repo,
    const struct inventory_place *p)
{
	char *author = shown_copy(p->author ? p->author : "");
	char *path = shown_copy(p->path ? p->path : "");

	if (author == NULL || path == NULL) {
		free(author);
		free(path);
		return -1;
	}
	seen_release(s);
	s->repo = repo;
	snprintf(s->commit, sizeof s->commit, "%s", p->commit ? p->commit : "");
	s->author = author;
	s->path = path;
	s->date = p->date;
	s->has_date = p->has_date;
	s->line = p->line;
	return 0;
}

int
inventory_add(struct inventory *inv, size_t repo,
    const struct inventory_place *p, const struct token *k,
    const struct judgement *j, enum allow_reason allowed)
{
	struct inventory_row *row;
	int dated;

	if ((row = row_get(inv, k, j)) == NULL || row_repo(row, repo) != 0)
		return -1;
	row->places++;
	if (allowed != ALLOW_NONE) {
		row->allowed_places++;
		if (row->allowed == ALLOW_NONE)
			row->allowed = allowed;
	}
	if (row->places == 1)
		return seen_set(&row->first, repo, p) == 0 &&
		    seen_set(&row->last, repo, p) == 0 ? 0 : -1;
	/* Dates decide; without them, the order of adding does. */
	dated = p->has_date && row->first.has_date && row->last.has_date;
	if (dated && p->date < row->first.date &&
	    seen_set(&row->first, repo, p) != 0)
		return -1;
	if ((!dated || p->date >= row->last.date) &&
	    seen_set(&row->last, repo, p) != 0)
		return -1;
	return 0;
}

int
inventory_row_blocking(const struct inventory_row *row, int64_t now)
{
	long long days;

	return token_live(token_status_at(&row->tok, now, &days)) &&
	    row->judgement.worst == ACTION_BLOCK &&
	    row->allowed_places < row->places;
}

size_t
inventory_blocking(const struct inventory *inv, int64_t now)
{
	size_t i, n = 0;

	for (i = 0; i < inv->nrows; i++)
		n += (size_t)inventory_row_blocking(&inv->rows[i], now);
	return n;
}

int
inventory_format_parse(const char *name, enum inventory_format *f)
{
	static const char *const names[] = {
		[INVENTORY_TABLE] = "table", [INVENTORY_CSV] = "csv",
		[INVENTORY_JSON] = "json", [INVENTORY_SARIF] = "sarif",
		[INVENTORY_GITLAB] = "gitlab",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i]) == 0) {
			*f = (enum inventory_format)i;
			return 0;
		}
	}
	return -1;
}

/* The order */

struct order_key {
	int expired;
	int lifetime_known;
	int64_t lifetime;
	uint64_t fp;
	size_t row;
};

/* Live before expired; then the longest-lived first, a lifetime that
 * cannot be known counting as the longest; then by fingerprint, so the
 * order never depends on the history's. */
static int
order_compare(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->expired != y->expired)
		return x->expired - y->expired;
	if (x->lifetime_known != y->lifetime_known)
		return x->lifetime_known - y->lifetime_known;
	if (x->lifetime != y->lifetime)
		return x->lifetime > y->lifetime ? -1 : 1;
	return x->fp < y->fp ? -1 : x->fp > y->fp;
}

size_t *
inventory_order(const struct inventory *inv, int64_t now)
{
	struct order_key *keys;
	size_t *order, i;
	long long days;

	keys = malloc((inv->nrows ? inv->nrows : 1) * sizeof *keys);
	order = malloc((inv->nrows ? inv->nrows : 1) * sizeof *order);
	if (keys == NULL || order == NULL) {
		free(keys);
		free(order);
		return NULL;
	}
	for (i = 0; i < inv->nrows; i++) {
		const struct inventory_row *r = &inv->rows[i];

		keys[i].expired = token_status_at(&r->tok, now, &days) ==
		    TOKEN_EXPIRED;
		keys[i].lifetime_known = r->judgement.lifetime_known;
		keys[i].lifetime = r->judgement.lifetime_known ?
		    r->judgement.lifetime : 0;
		keys[i].fp = r->tok.fp;
		keys[i].row = i;
	}
	qsort(keys, inv->nrows, sizeof *keys, order_compare);
	for (i = 0; i < inv->nrows; i++)
		order[i] = keys[i].row;
	free(keys);
	return order;
}
