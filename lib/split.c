/*
 * split.c - rebuild SAS tokens split over consecutive added lines; see
 * split.h.
 *
 * Raw lines are kept, not fragments: most lines never meet a "sig=", and
 * for them keeping the bytes is all the work done. Fragments are made
 * only when the run holds a trigger, from the kept lines, oldest first.
 */
#include <string.h>

#include "split.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * FNV_PRIME;
	return h;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* ---- Fragments ------------------------------------------------------ */

struct out {
	char *p;
	size_t n, cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (n > o->cap - o->n)
		n = o->cap - o->n;
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

/* Only blanks in s[i..end)? */
static int
blank_from(const char *s, size_t i, size_t end)
{
	while (i < end && is_space(s[i]))
		i++;
	return i == end;
}

/*
 * At the start of a string: skip the variable it appends to, as in
 * url="${url}&sig=...", "$url&sig=...", f"{url}&sig=..." or `${url}...`.
 */
static size_t
var_skip(const char *s, size_t i, size_t end)
{
	size_t j = i, k;

	if (j < end && s[j] == '$')
		j++;
	if (j < end && s[j] == '{') {
		for (k = j + 1; k < end && (is_ident(s[k]) || s[k] == '.'); k++)
			continue;
		return k < end && s[k] == '}' && k > j + 1 ? k + 1 : i;
	}
	if (j == i)
		return i;
	for (k = j; k < end && is_ident(s[k]); k++)
		continue;
	return k > j ? k : i;
}

/* A line that is a comment: the marker's length, or 0. */
static size_t
comment_marker(const char *s, size_t i, size_t end)
{
	static const char *const markers[] = { "<!--", "//", "/*", "#", "*",
	    ";" };
	size_t k, n;

	for (k = 0; k < sizeof markers / sizeof markers[0]; k++) {
		n = strlen(markers[k]);
		if (end - i >= n && memcmp(s + i, markers[k], n) == 0)
			return n;
	}
	return 0;
}

/*
 * A line without quotes (YAML, .env, a wrapped comment, a continued
 * shell word): itself, without the indentation, the comment marker and
 * the continuation character at its end.
 */
static void
bare_fragment(const char *s, size_t i, size_t end, struct out *o)
{
	size_t m;

	if ((m = comment_marker(s, i, end)) > 0)
		for (i += m; i < end && is_space(s[i]); i++)
			continue;
	while (end > i && is_space(s[end - 1]))
		end--;
	if (end > i && (s[end - 1] == '\\' || s[end - 1] == '`'))
		end--;
	while (end > i && is_space(s[end - 1]))
		end--;
	put(o, s + i, end - i);
}

/* Does a quote at s[i] open a string? "don't" holds none. */
static int
opens_string(const char *s, size_t i, size_t start, size_t end)
{
	if (s[i] == '"' || s[i] == '`')
		return 1;
	return s[i] == '\'' && !(i > start && is_ident(s[i - 1]) &&
	    i + 1 < end && is_ident(s[i + 1]));
}

/*
 * A line of code: the contents of its string literals, in order, with
 * escapes kept as written (the token finder undoes "\/" and "\u0026").
 * A string still open at the end of the line stays open for the next.
 */
static void
code_fragment(const char *s, size_t i, size_t end, int *quote,
    struct out *o)
{
	size_t start = i;
	int q = *quote;

	while (i < end) {
		if (q != 0) {
			if (s[i] == '\\') {
				if (blank_from(s, i + 1, end))
					break;	/* continued on the next line */
				put(o, s + i, i + 2 <= end ? 2 : 1);
				i += 2;
			} else if (s[i] == q) {
				q = 0;
				i++;
			} else
				put(o, s + i++, 1);
			continue;
		}
		if (opens_string(s, i, start, end)) {
			/* PowerShell continues a line with a final '`'. */
			if (s[i] == '`' && blank_from(s, i + 1, end))
				break;
			q = s[i];
			i = var_skip(s, i + 1, end);
		} else if ((s[i] == '#' && (i == start || is_space(s[i - 1]))) ||
		    (s[i] == '/' && i + 1 < end && s[i + 1] == '/'))
			break;		/* a comment after the code */
		else
			i++;
	}
	*quote = q;
}

size_t
split_fragment(const char *s, size_t len, int *quote, char *out, size_t cap)
{
	struct out o = { out, 0, cap };
	size_t i = 0, k;

	while (i < len && is_space(s[i]))
		i++;
	if (*quote == 0 && comment_marker(s, i, len) > 0) {
		bare_fragment(s, i, len, &o);
		return o.n;
	}
	for (k = i; *quote == 0 && k < len; k++)
		if (s[k] == '"' || s[k] == '\'' || s[k] == '`')
			break;
	if (*quote == 0 && k == len)
		bare_fragment(s, i, len, &o);
	else
		code_fragment(s, i, len, quote, &o);
	return o.n;
}

/* ---- The run of lines ----------------------------------------------- */

static void
run_reset(struct split *sp)
{
	sp->first = sp->nlines = sp->ntrigger = 0;
	sp->kept = 0;
	sp->rawlen = 0;
	sp->nseen = sp->seen_next = 0;
}

static uint64_t
sig_hash(const unsigned char sig[32])
{
	return fnv(FNV_OFFSET, sig, 32);
}

static int
hash_in(const uint64_t *set, int n, uint64_t h)
{
	while (n-- > 0)
		if (set[n] == h)
			return 1;
	return 0;
}

static int
seen_has(const struct split *sp, uint64_t h)
{
	return hash_in(sp->seen, sp->nseen, h);
}

static void
seen_add(struct split *sp, uint64_t h)
{
	if (seen_has(sp, h))
		return;
	sp->seen[sp->seen_next] = h;
	sp->seen_next = (sp->seen_next + 1) % SPLIT_SEEN;
	if (sp->nseen < SPLIT_SEEN)
		sp->nseen++;
}

/* The caller has reported the tokens whole on the line: remember them. */
static int
seen_whole(void *user, const struct sas_token *tok)
{
	struct split *sp = user;

	if (sp->ncur < SPLIT_CUR)
		sp->cur[sp->ncur++] = sig_hash(tok->sig);
	return 0;
}

/* A token of the joined text: new if it reaches into the current line
 * and its signature was not seen whole. */
static int
joined_token(void *user, const struct sas_token *tok)
{
	struct split *sp = user;
	uint64_t h;

	if (tok->end <= sp->boundary)
		return 0;
	h = sig_hash(tok->sig);
	/*
	 * Found whole on this line already ("&se=...&sig=..." is a token
	 * by itself): reported as that, without what earlier lines add -
	 * the report keeps one view of a token.
	 */
	if (seen_has(sp, h) || hash_in(sp->cur, sp->ncur, h))
		return 0;
	seen_add(sp, h);
	return sp->fn(sp->user, tok);
}

static struct split_kept *
kept_at(struct split *sp, int j)
{
	return &sp->line[(sp->first + j) % SPLIT_LINES];
}

static void
drop_oldest(struct split *sp)
{
	struct split_kept *k = kept_at(sp, 0);

	sp->kept -= k->len;
	sp->ntrigger -= k->trigger;
	sp->first = (sp->first + 1) % SPLIT_LINES;
	sp->nlines--;
}

/*
 * Keeps the end of the line; the oldest lines go to stay in bounds. Runs
 * for every added line, so it is O(1) but for a compaction of raw[] once
 * every SPLIT_TAIL bytes or so.
 */
static void
keep(struct split *sp, const char *text, size_t len, int trigger)
{
	struct split_kept *k;
	size_t n = len < SPLIT_TAIL ? len : SPLIT_TAIL, i;
	int j;

	while (sp->nlines > 0 && (sp->kept + n > SPLIT_TAIL ||
	    sp->nlines >= SPLIT_LINES))
		drop_oldest(sp);
	if (sp->rawlen + n > sizeof sp->raw) {
		/* Compact: what is kept fits in SPLIT_TAIL - n bytes. */
		for (i = 0, j = 0; j < sp->nlines; j++) {
			k = kept_at(sp, j);
			memmove(sp->raw + i, sp->raw + k->off, k->len);
			k->off = i;
			i += k->len;
		}
		sp->rawlen = i;
	}
	k = kept_at(sp, sp->nlines++);
	k->off = sp->rawlen;
	k->len = n;
	k->cut = n < len;
	k->trigger = trigger;
	memcpy(sp->raw + sp->rawlen, text + len - n, n);
	sp->rawlen += n;
	sp->kept += n;
	sp->ntrigger += trigger;
}

/* Joins the kept lines' fragments and the current line's, and scans. */
static int
join_scan(struct split *sp, const char *text, size_t len)
{
	size_t n = 0;
	int j, quote = 0;

	for (j = 0; j < sp->nlines; j++) {
		const struct split_kept *k = kept_at(sp, j);

		if (k->cut)
			quote = 0;	/* its start is gone: a guess */
		n += split_fragment(sp->raw + k->off, k->len, &quote,
		    sp->join + n, SPLIT_TAIL - n);
	}
	sp->boundary = n;
	n += split_fragment(text, len < SPLIT_HEAD ? len : SPLIT_HEAD, &quote,
	    sp->join + n, SPLIT_HEAD);
	return sas_scan(sp->join, n, n, joined_token, sp);
}

int
split_line(struct split *sp, const struct diff_line *line, sas_token_fn fn,
    void *user)
{
	int trigger, rc = 0;

	if (!line->first || !line->last || line->lineno <= 0) {
		/* Windows of a huge line, or lines outside any hunk. */
		run_reset(sp);
		return 0;
	}
	if (sp->nlines > 0 && (line->hunk != sp->hunk ||
	    line->lineno != sp->lineno + 1))
		run_reset(sp);
	sp->hunk = line->hunk;
	sp->lineno = line->lineno;
	trigger = line->candidate &&
	    sas_trigger(line->text, line->len) < line->len;
	sp->ncur = 0;
	if (trigger)
		sas_scan(line->text, line->len, line->len, seen_whole, sp);
	if (trigger || sp->ntrigger > 0) {
		sp->fn = fn;
		sp->user = user;
		rc = join_scan(sp, line->text, line->len);
	}
	while (sp->ncur > 0)
		seen_add(sp, sp->cur[--sp->ncur]);
	keep(sp, line->text, line->len, trigger);
	return rc;
}
