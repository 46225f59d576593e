/*
 * assemble.c - query strings that code builds from literal pieces; see
 * assemble.h.
 *
 * A small reader of string literals ('...', "...", `...`, escapes kept
 * as written, which the token finder reads) and of the argument lists
 * around them. It runs only on a line the diff reader flagged and on
 * which assemble_wanted() sees one of its forms.
 */
#include <string.h>

#include "text.h"
#include "assemble.h"

#define ARGS_MAX 16
#define NAME_MAX_LEN 24

/* The SAS parameter names a map's keys are checked against. */
static const char *const keys[] = { "sv", "ss", "srt", "sr", "sp", "st",
	"se", "sip", "spr", "si", "sig", "skoid", "sktid", "skt", "ske",
	"sks", "skv", "tn", "ses", "sdd", "api-version", "skn" };

/* A piece: a literal's text, or unknown (p == NULL). */
struct piece {
	const char *p;
	size_t n;
	const char *name;	/* a keyword argument's name, or NULL */
	size_t namelen;
};

static size_t
blanks(const char *s, size_t i, size_t len)
{
	while (i < len && text_is_space(s[i]))
		i++;
	return i;
}

/* The literal opening at s[i]: its text in *pc; returns the index past
 * its closing quote, or 0. */
static size_t
lit_read(const char *s, size_t i, size_t len, struct piece *pc)
{
	char q = s[i];
	size_t j;

	if (i >= len || !text_is_quote(q))
		return 0;
	for (j = i + 1; j < len; j++) {
		if (s[j] == '\\')
			j++;
		else if (s[j] == q) {
			pc->p = s + i + 1;
			pc->n = j - i - 1;
			return j + 1;
		}
	}
	return 0;
}

/* The start of the literal that closes at s[e - 1], or len when none. */
static size_t
lit_start(const char *s, size_t e, size_t len)
{
	size_t i;
	char q;

	if (e == 0 || !text_is_quote(s[e - 1]))
		return len;
	q = s[e - 1];
	for (i = e - 1; i > 0; i--)
		if (s[i - 1] == q && (i < 2 || s[i - 2] != '\\'))
			return i - 1;
	return len;
}

/*
 * Reads an argument list from s[i] (just past its opening bracket) to the
 * matching close: each argument a literal, name=literal, or unknown.
 * Returns how many, and *end past the close.
 */
static int
args_read(const char *s, size_t i, size_t len, struct piece *a, size_t *end)
{
	int n = 0, depth;
	size_t j, k;

	for (;;) {
		i = blanks(s, i, len);
		if (i >= len || s[i] == ')' || s[i] == ']')
			break;
		if (n == ARGS_MAX)
			break;
		memset(&a[n], 0, sizeof a[n]);
		for (k = i; k < len && text_is_ident(s[k]); k++)
			continue;
		j = blanks(s, k, len);
		if (k > i && j < len && s[j] == '=' && (j + 1 >= len ||
		    s[j + 1] != '=')) {
			a[n].name = s + i;
			a[n].namelen = k - i;
			i = blanks(s, j + 1, len);
		}
		if ((j = lit_read(s, i, len, &a[n])) > 0 &&
		    (k = blanks(s, j, len)) < len &&
		    (s[k] == ',' || s[k] == ')' || s[k] == ']'))
			i = k;
		else {
			a[n].p = NULL;
			/* Not a literal: skip it, brackets and all. */
			for (depth = 0; i < len; i++) {
				if (text_is_quote(s[i]) && (j = lit_read(s, i, len,
				    &(struct piece){ 0 })) > 0) {
					i = j - 1;
					continue;
				}
				if (s[i] == '(' || s[i] == '[' || s[i] == '{')
					depth++;
				else if ((s[i] == ')' || s[i] == ']' ||
				    s[i] == '}') && depth-- == 0)
					break;
				else if (s[i] == ',' && depth == 0)
					break;
			}
		}
		n++;
		if (i < len && s[i] == ',')
			i++;
	}
	*end = i < len ? i + 1 : len;
	return n;
}

/* "{}", "{0}", "{name}" filled from the arguments. */
static void
render_braces(const struct piece *t, const struct piece *a, int n,
    struct text_out *o)
{
	size_t i, k;
	int next = 0, idx, m;

	for (i = 0; i < t->n; i++) {
		if (t->p[i] != '{' || i + 1 >= t->n) {
			text_put(o, t->p + i, 1);
			continue;
		}
		for (k = i + 1; k < t->n && t->p[k] != '}' && k - i < 32; k++)
			continue;
		if (k >= t->n || t->p[k] != '}') {
			text_put(o, t->p + i, 1);
			continue;
		}
		idx = -1;
		if (k == i + 1)
			idx = next++;
		else if (t->p[i + 1] >= '0' && t->p[i + 1] <= '9')
			idx = t->p[i + 1] - '0';
		else
			for (m = 0; m < n; m++)
				if (a[m].name != NULL && a[m].namelen ==
				    k - i - 1 && memcmp(a[m].name, t->p + i + 1,
				    a[m].namelen) == 0)
					idx = m;
		if (idx >= 0 && idx < n && a[idx].p != NULL)
			text_put(o, a[idx].p, a[idx].n);
		else
			text_put(o, t->p + i, k + 1 - i);
		i = k;
	}
	text_put(o, "\n", 1);
}

/* "%s" (and %d, %r, %i) filled in order; "%%" is '%'. */
static void
render_percent(const struct piece *t, const struct piece *a, int n,
    struct text_out *o)
{
	size_t i;
	int next = 0;

	for (i = 0; i < t->n; i++) {
		if (t->p[i] == '%' && i + 1 < t->n &&
		    strchr("sdri", t->p[i + 1]) != NULL) {
			if (next < n && a[next].p != NULL)
				text_put(o, a[next].p, a[next].n);
			else
				text_put(o, t->p + i, 2);
			next++;
			i++;
		} else
			text_put(o, t->p + i, 1);
	}
	text_put(o, "\n", 1);
}

/* f"...{'lit'}..." and `...${'lit'}...`: literal fields filled in. */
static void
render_fields(const struct piece *t, struct text_out *o)
{
	struct piece lit;
	size_t i, j, k;

	for (i = 0; i < t->n; i++) {
		j = i;
		if (t->p[j] == '$' && j + 1 < t->n && t->p[j + 1] == '{')
			j++;
		if (t->p[j] == '{' && (k = blanks(t->p, j + 1, t->n)) < t->n &&
		    (k = lit_read(t->p, k, t->n, &lit)) > 0 &&
		    (k = blanks(t->p, k, t->n)) < t->n && t->p[k] == '}') {
			text_put(o, lit.p, lit.n);
			i = k;
		} else
			text_put(o, t->p + i, 1);
	}
	text_put(o, "\n", 1);
}

/* Elements of a list joined by a separator. */
static void
render_join(const struct piece *sep, const struct piece *a, int n,
    struct text_out *o)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			text_put(o, sep->p, sep->n);
		if (a[i].p != NULL)
			text_put(o, a[i].p, a[i].n);
	}
	text_put(o, "\n", 1);
}

/* Does the word end at s[e) (s[0..e) is what there is)? */
static int
word_before(const char *s, size_t e, const char *word)
{
	size_t n = strlen(word);

	return e >= n && memcmp(s + e - n, word, n) == 0;
}

int
assemble_wanted(const char *s, size_t len)
{
	const char *p, *end = s + len;

	/* Each form has a '(', a '{' or a '%' where it starts. */
	for (p = s; p < end && (p = memchr(p, '(', (size_t)(end - p))) !=
	    NULL; p++)
		if (word_before(s, (size_t)(p - s), "format") ||
		    word_before(s, (size_t)(p - s), "printf") ||
		    word_before(s, (size_t)(p - s), "join"))
			return 1;
	for (p = s; p + 1 < end && (p = memchr(p, '{', (size_t)(end - p) -
	    1)) != NULL; p++)
		if (p[1] == '\'' || p[1] == '"')
			return 1;
	for (p = s; p + 1 < end && (p = memchr(p, '%', (size_t)(end - p) -
	    1)) != NULL; p++)
		if (p[1] == 's')
			return 1;
	return 0;
}

/* t.format(...), "..." % (...), format("...", ...), printf. */
static void
line_formats(const char *s, size_t len, struct text_out *o)
{
	struct piece a[ARGS_MAX + 1], t;
	const char *p;
	size_t i, at, end, k;
	int n;

	for (at = 0; at < len && (p = text_find(s + at, len - at,
	    "format(")) != NULL; at = i) {
		i = (size_t)(p - s) + 7;
		if (p > s && p[-1] == '.') {
			/* "...".format(...) */
			if ((k = lit_start(s, (size_t)(p - s) - 1, len)) >= len ||
			    lit_read(s, k, len, &t) == 0)
				continue;
			n = args_read(s, i, len, a, &end);
			render_braces(&t, a, n, o);
		} else if (p == s || !text_is_ident(p[-1])) {
			/* format("...%s...", ...) */
			n = args_read(s, i, len, a, &end);
			if (n > 0 && a[0].p != NULL)
				render_percent(&a[0], a + 1, n - 1, o);
		}
	}
	for (at = 0; at < len && (p = text_find(s + at, len - at,
	    "printf(")) != NULL; at = i) {
		i = (size_t)(p - s) + 7;
		n = args_read(s, i, len, a, &end);
		if (n > 0 && a[0].p != NULL)
			render_percent(&a[0], a + 1, n - 1, o);
	}
	/* "..." % (...) or "..." % "..." */
	for (i = 0; i < len; i++) {
		if (!text_is_quote(s[i]) || (k = lit_read(s, i, len, &t)) == 0)
			continue;
		/* f-strings and templates with literal fields */
		if (s[i] == '`' || (i > 0 && (s[i - 1] == 'f' ||
		    s[i - 1] == 'F')))
			render_fields(&t, o);
		i = k - 1;
		if ((k = blanks(s, k, len)) >= len || s[k] != '%' ||
		    text_find(t.p, t.n, "%s") == NULL)
			continue;
		k = blanks(s, k + 1, len);
		if (k < len && s[k] == '(') {
			n = args_read(s, k + 1, len, a, &end);
			render_percent(&t, a, n, o);
		} else if (k < len && lit_read(s, k, len, &a[0]) > 0)
			render_percent(&t, a, 1, o);
	}
}

/* join("&", [...]), "&".join([...]), [...].join("&"). */
static void
line_joins(const char *s, size_t len, struct text_out *o)
{
	struct piece a[ARGS_MAX], sep, list[ARGS_MAX];
	const char *p;
	size_t i, at, end, k, b;
	int n, m, depth;

	for (at = 0; at < len && (p = text_find(s + at, len - at,
	    "join(")) != NULL; at = i) {
		i = (size_t)(p - s) + 5;
		k = (size_t)(p - s);
		if (k > 0 && s[k - 1] == '.' && k > 1 && text_is_quote(s[k - 2])) {
			/* "&".join([...]) */
			if ((b = lit_start(s, k - 1, len)) >= len ||
			    lit_read(s, b, len, &sep) == 0)
				continue;
			i = blanks(s, i, len);
			if (i < len && s[i] == '[') {
				n = args_read(s, i + 1, len, a, &end);
				render_join(&sep, a, n, o);
			}
		} else if (k > 1 && s[k - 1] == '.' && s[k - 2] == ']') {
			/* [...].join("&"): find the list's '[' */
			for (b = k - 2, depth = 0; b > 0; b--) {
				if (s[b] == ']')
					depth++;
				else if (s[b] == '[' && --depth == 0)
					break;
			}
			if (s[b] != '[')
				continue;
			m = args_read(s, b + 1, len, list, &end);
			if (args_read(s, i, len, a, &end) > 0 &&
			    a[0].p != NULL)
				render_join(&a[0], list, m, o);
		} else if (k == 0 || !text_is_ident(s[k - 1])) {
			/* join("&", [...]) */
			n = args_read(s, i, len, a, &end);
			i = blanks(s, i, len);
			if (n < 1 || a[0].p == NULL ||
			    (b = lit_read(s, i, len, &sep)) == 0)
				continue;
			b = blanks(s, b, len);
			if (b < len && s[b] == ',')
				b = blanks(s, b + 1, len);
			if (b < len && s[b] == '[') {
				m = args_read(s, b + 1, len, list, &end);
				render_join(&sep, list, m, o);
			}
		}
	}
}

size_t
assemble_line(const char *s, size_t len, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };

	line_formats(s, len, &o);
	line_joins(s, len, &o);
	return o.n;
}

/* ---- Maps ----------------------------------------------------------- */

static int
key_known(const char *k, size_t n)
{
	char low[NAME_MAX_LEN];
	size_t i;

	if (n == 0 || n >= sizeof low)
		return 0;
	for (i = 0; i < n; i++)
		low[i] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] + 32 : k[i]);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == n && memcmp(keys[i], low, n) == 0)
			return 1;
	return 0;
}

/*
 * The next pair "key: value" from s[*at] on whose key is a SAS parameter
 * name: key and value in k and v. Returns 0 when there is none.
 */
static int
pair_next(const char *s, size_t len, size_t *at, struct piece *k,
    struct piece *v)
{
	size_t i, a, b, j;
	char q;

	for (i = *at; i < len; i++) {
		/* A query string's own "&k=v" is the finder's to read. */
		if (i > 0 && (text_is_ident(s[i - 1]) || s[i - 1] == '-' ||
		    strchr("?&/;%.", s[i - 1]) != NULL))
			continue;
		q = text_is_quote(s[i]) ? s[i] : 0;
		a = q ? i + 1 : i;
		for (b = a; b < len && (text_is_ident(s[b]) || s[b] == '-'); b++)
			continue;
		if (b == a || !key_known(s + a, b - a))
			continue;
		j = b;
		if (q && (j >= len || s[j++] != q))
			continue;
		j = blanks(s, j, len);
		if (j < len && s[j] == '=' && j + 1 < len && s[j + 1] == '>')
			j += 2;
		else if (j < len && (s[j] == ':' || s[j] == '='))
			j++;
		else
			continue;
		j = blanks(s, j, len);
		k->p = s + a;
		k->n = b - a;
		if ((b = lit_read(s, j, len, v)) > 0) {
			*at = b;
			return 1;
		}
		/* A bare value (YAML, .env): up to a separator. */
		for (b = j; b < len && !text_is_space(s[b]) &&
		    strchr(",}])#;", s[b]) == NULL; b++)
			continue;
		if (b == j)
			continue;
		v->p = s + j;
		v->n = b - j;
		*at = b;
		return 1;
	}
	return 0;
}

/* A quick look first: "sig", any case, before a quote, a blank, ':' or
 * '='. */
static int
sig_key_mark(const char *s, size_t len)
{
	const char *p, *end = s + len;
	int g;

	for (g = 0; g < 2; g++)
		for (p = s; end - p >= 4 && (p = memchr(p + 2, "gG"[g],
		    (size_t)(end - p) - 3)) != NULL; p--)
			if ((p[-2] | 0x20) == 's' && (p[-1] | 0x20) == 'i' &&
			    p[1] != '\0' && strchr("'\" \t:=", p[1]) != NULL)
				return 1;
	return 0;
}

int
assemble_map_key(const char *s, size_t len)
{
	struct piece k, v;
	size_t at = 0;

	if (!sig_key_mark(s, len))
		return 0;

	while (pair_next(s, len, &at, &k, &v))
		if (k.n == 3 && (k.p[0] | 0x20) == 's' &&
		    (k.p[1] | 0x20) == 'i' && (k.p[2] | 0x20) == 'g')
			return 1;
	return 0;
}

static int
line_pairs(const char *s, size_t len)
{
	struct piece k, v;
	size_t at = 0;

	return pair_next(s, len, &at, &k, &v);
}

size_t
assemble_map(const char *const *lines, const size_t *lens, int n, int cur,
    char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	struct piece k, v;
	size_t at;
	int first, last, i, any = 0;

	if (cur < 0 || cur >= n)
		return 0;
	for (first = cur; first > 0 && line_pairs(lines[first - 1],
	    lens[first - 1]); first--)
		continue;
	for (last = cur; last + 1 < n && line_pairs(lines[last + 1],
	    lens[last + 1]); last++)
		continue;
	for (i = first; i <= last; i++)
		for (at = 0; pair_next(lines[i], lens[i], &at, &k, &v);) {
			if (any++)
				text_put(&o, "&", 1);
			text_put(&o, k.p, k.n);
			text_put(&o, "=", 1);
			text_put(&o, v.p, v.n);
		}
	if (any)
		text_put(&o, "\n", 1);
	return o.n;
}
