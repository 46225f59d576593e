/*
 * split.c - rebuild SAS tokens split over consecutive added lines; see
 * split.h.
 *
 * Nothing is kept of a line: most lines never meet a "sig=", and the few
 * that follow one are read back from the diff reader's buffer. Fragments
 * are made only when the run holds a trigger, oldest line first.
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

/*
 * Reading lines back from `before` finds what keeping them would have
 * kept, as long as a line that lost its start there is surely too long to
 * keep: the newer lines take at most SPLIT_TAIL bytes of text and their
 * prefixes and line ends, and SPLIT_TAIL bytes more must remain.
 */
_Static_assert(DIFF_HISTORY - 1 >= 2 * SPLIT_TAIL +
    SPLIT_LINES * (DIFF_PARENTS_MAX + 2), "DIFF_HISTORY too small for split");

/* An earlier line of the run, as far as the join takes it. */
struct kept {
	const char *p;
	size_t len;
	int cut;		/* only the end of the line is there */
};

static void
run_reset(struct split *sp, unsigned long long run)
{
	sp->run = run;
	sp->triggered = 0;
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

/*
 * The earlier lines of the run the join takes, newest first in w: the
 * last SPLIT_TAIL bytes of text of at most SPLIT_LINES lines; a line that
 * does not fit ends them, but the newest is cut to fit. Returns how many.
 */
static int
run_window(const struct diff_line *l, struct kept *w)
{
	const char *lo = l->before, *end = l->before + l->beforelen;
	size_t sum = 0, len, n;
	int k = 0;

	while (end > lo && k < SPLIT_LINES) {
		const char *nl = end - 1, *start = nl, *text, *te;
		int whole;

		while (start > lo && start[-1] != '\n')
			start--;
		whole = start > lo || !l->before_cut;
		text = start;
		if (whole)
			text += (size_t)(nl - start) < (size_t)l->prefix ?
			    (size_t)(nl - start) : (size_t)l->prefix;
		te = nl > text && nl[-1] == '\r' ? nl - 1 : nl;
		len = (size_t)(te - text);
		/* A line that lost its start is longer than what is left. */
		n = whole && len < SPLIT_TAIL ? len : SPLIT_TAIL;
		if (k > 0 && sum + n > SPLIT_TAIL)
			break;
		w[k].p = te - n;
		w[k].len = n;
		w[k].cut = n < len || !whole;
		sum += n;
		k++;
		if (!whole)
			break;
		end = start;
	}
	return k;
}

/* Joins the window's fragments, oldest first, and the current line's,
 * and scans. */
static int
join_scan(struct split *sp, const struct kept *w, int k, const char *text,
    size_t len)
{
	size_t n = 0;
	int quote = 0;

	while (k-- > 0) {
		if (w[k].cut)
			quote = 0;	/* its start is gone: a guess */
		n += split_fragment(w[k].p, w[k].len, &quote, sp->join + n,
		    SPLIT_TAIL - n);
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
	struct kept w[SPLIT_LINES];
	int trigger, join, k = 0, rc = 0;

	sp->follow = 0;
	if (!line->first || !line->last || line->run == 0) {
		/* Windows of a huge line, or lines outside any hunk. */
		run_reset(sp, 0);
		return 0;
	}
	if (line->run != sp->run)
		run_reset(sp, line->run);
	trigger = line->candidate &&
	    sas_trigger(line->text, line->len) < line->len;
	if (trigger || sp->triggered)
		k = run_window(line, w);
	/* Lines of a run are numbered one after the other: is the last
	 * trigger line among the k before this one? */
	join = trigger || (sp->triggered &&
	    line->lineno - sp->trigger_line <= k);
	sp->ncur = 0;
	if (trigger)
		sas_scan(line->text, line->len, line->len, seen_whole, sp);
	if (join) {
		sp->fn = fn;
		sp->user = user;
		rc = join_scan(sp, w, k, line->text, line->len);
	}
	while (sp->ncur > 0)
		seen_add(sp, sp->cur[--sp->ncur]);
	if (trigger) {
		/* Its signature may go on over the next lines. */
		sp->triggered = 1;
		sp->trigger_line = line->lineno;
		sp->follow = SPLIT_LINES;
	}
	return rc;
}
