/*
 * decode.c - undo the encodings that hide a whole token; see decode.h.
 *
 * Each decoder copies its input to out, replacing what it decodes; none
 * keeps state between calls. They run only on the few lines the diff
 * reader flags as candidates, and only when decode_wanted() saw their
 * marker: never per byte of ordinary text.
 */
#include <string.h>

#include "text.h"
#include "decode.h"

/* base64 of "sig=" in its three alignments, and where each starts in a
 * group of four characters. */
static const struct {
	const char *text;
	size_t phase;		/* where it starts in a group of four */
	size_t upper;		/* where its capital letter is */
} sig_b64[] = {
	{ "c2lnP", 0, 4 },	/* "sig=" from a group's first byte */
	{ "NpZz", 2, 2 },	/* ... from its second: "?si" "g=?" */
	{ "aWc9", 0, 1 },	/* ... from its third: "??s" "ig=" */
};

#define B64_RUN_MIN 16

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of n hex digits at s[0..n), or -1. */
static long
hex_run(const char *s, size_t n)
{
	long v = 0;
	size_t i;
	int d;

	for (i = 0; i < n; i++) {
		if ((d = hex_digit((unsigned char)s[i])) < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static int
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
	    (c | 0x20) <= 'z');
}

size_t
decode_utf8(unsigned long cp, char *out, size_t cap)
{
	if (cp < 0x80 && cap >= 1) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800 && cap >= 2) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp < 0xe000)
		return 0;		/* a lone surrogate */
	if (cp < 0x10000 && cap >= 3) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp >= 0x10000 && cp < 0x110000 && cap >= 4) {
		out[0] = (char)(0xf0 | cp >> 18);
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		return 4;
	}
	return 0;
}

/* ---- HTML character references ------------------------------------- */

static const struct {
	const char *name;	/* without '&' */
	char c;
} entities[] = {
	{ "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' }, { "lt;", '<' },
	{ "gt;", '>' }, { "equals;", '=' }, { "quest;", '?' },
	{ "percnt;", '%' }, { "sol;", '/' }, { "colon;", ':' },
	{ "num;", '#' }, { "semi;", ';' }, { "plus;", '+' },
};

/* The named reference at s (after its '&'): its index + 1 in entities,
 * or 0. ("&amp;" is 1: the token finder reads it itself.) */
static size_t
entity_named(const char *s, size_t len)
{
	size_t m, n;

	for (m = 0; m < sizeof entities / sizeof entities[0]; m++) {
		n = strlen(entities[m].name);
		if (len >= n && memcmp(s, entities[m].name, n) == 0)
			return m + 1;
	}
	return 0;
}

/* ---- What is worth decoding ------------------------------------------ */

/* Does a mark of decoder kind start at p (end: the text's end)? */
static int
mark_at(const char *p, const char *s, const char *end, int kind)
{
	size_t k, n, left = (size_t)(end - p);
	long v;

	switch (kind) {
	case DECODE_ENTITIES:
		return left >= 3 && (p[1] == '#' || entity_named(p + 1,
		    left - 1) > 1);
	case DECODE_JSON:
		return left >= 6 && (p[1] | 0x20) == 'u';
	case DECODE_PERCENT:
		/* A '%' that encoding did not need: a letter or digit, '%'
		 * itself twice over, or a batch file's "%%". */
		return left >= 2 && (p[1] == '%' || (left >= 3 &&
		    (v = hex_run(p + 1, 2)) >= 0 && (is_alnum((int)v) ||
		    (v == '%' && left >= 4 && p[3] == '%'))));
	default:
		/* The capital of c2lnP, NpZz or aWc9. */
		for (k = 0; k < sizeof sig_b64 / sizeof sig_b64[0]; k++) {
			n = strlen(sig_b64[k].text);
			if ((size_t)(p - s) >= sig_b64[k].upper &&
			    (size_t)(end - p) + sig_b64[k].upper >= n &&
			    memcmp(p - sig_b64[k].upper, sig_b64[k].text, n) ==
			    0)
				return 1;
		}
		return 0;
	}
}

int
decode_wanted(const char *s, size_t len)
{
	static const struct {
		char c;
		int kind;
	} marks[] = { { '&', DECODE_ENTITIES }, { '\\', DECODE_JSON },
	    { '%', DECODE_PERCENT }, { 'P', DECODE_BASE64 },
	    { 'Z', DECODE_BASE64 }, { 'W', DECODE_BASE64 } };
	const char *p, *end = s + len;
	size_t m;
	int want = 0;

	/* Each mark starts with a byte few lines hold: memchr finds it. */
	for (m = 0; m < sizeof marks / sizeof marks[0]; m++) {
		if (want & marks[m].kind)
			continue;
		for (p = s; p < end && (p = memchr(p, marks[m].c,
		    (size_t)(end - p))) != NULL; p++)
			if (mark_at(p, s, end, marks[m].kind)) {
				want |= marks[m].kind;
				break;
			}
	}
	return want;
}

/* "&#115;" or "&#x73;" at s[0..len): the code point, and the bytes it
 * took (the ';' may be left out, as browsers allow), or 0. */
static size_t
entity_numeric(const char *s, size_t len, unsigned long *cp)
{
	size_t i = 2, start;
	int hex = 0, d;
	unsigned long v = 0;

	if (len < 3 || s[1] != '#')
		return 0;
	if ((s[2] | 0x20) == 'x') {
		hex = 1;
		i = 3;
	}
	for (start = i; i < len && i - start < 8; i++) {
		d = hex ? hex_digit((unsigned char)s[i]) :
		    (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (d < 0)
			break;
		v = v * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (i == start)
		return 0;
	if (i < len && s[i] == ';')
		i++;
	*cp = v;
	return i;
}

size_t
decode_entities(const char *s, size_t len, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	size_t i = 0, k, n, m;
	unsigned long cp;
	char u[4];

	while (i < len && o.n < cap) {
		if (s[i] != '&') {
			text_put(&o, s + i++, 1);
			continue;
		}
		if ((k = entity_numeric(s + i, len - i, &cp)) > 0 &&
		    (n = decode_utf8(cp, u, sizeof u)) > 0) {
			text_put(&o, u, n);
			i += k;
			continue;
		}
		if ((m = entity_named(s + i + 1, len - i - 1)) > 0) {
			text_put(&o, &entities[m - 1].c, 1);
			i += 1 + strlen(entities[m - 1].name);
		} else
			text_put(&o, s + i++, 1);
	}
	return o.n;
}

/* ---- JSON escapes --------------------------------------------------- */

size_t
decode_json_escape(const char *s, size_t len, char *out, size_t cap,
    size_t *outn)
{
	static const char from[] = "\"\\/nrtbf", to[] = "\"\\/\n\r\t\b\f";
	const char *c;
	long hi, lo;
	unsigned long cp;

	*outn = 0;
	if (len < 2 || s[0] != '\\' || cap < 4)
		return 0;
	if (s[1] != '\0' && (c = strchr(from, s[1])) != NULL) {
		out[0] = to[c - from];
		*outn = 1;
		return 2;
	}
	if (s[1] != 'u' || len < 6 || (hi = hex_run(s + 2, 4)) < 0)
		return 0;
	cp = (unsigned long)hi;
	if (hi >= 0xd800 && hi < 0xdc00 && len >= 12 && s[6] == '\\' &&
	    s[7] == 'u' && (lo = hex_run(s + 8, 4)) >= 0xdc00 &&
	    lo < 0xe000) {
		cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
		    ((unsigned long)lo - 0xdc00);
		*outn = decode_utf8(cp, out, cap);
		return *outn > 0 ? 12 : 0;
	}
	*outn = decode_utf8(cp, out, cap);
	return *outn > 0 ? 6 : 0;
}

size_t
decode_json(const char *s, size_t len, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	size_t i = 0, k, n;
	char u[4];

	while (i < len && o.n < cap) {
		if (s[i] == '\\' &&
		    (k = decode_json_escape(s + i, len - i, u, sizeof u, &n)) >
		    0) {
			text_put(&o, u, n);
			i += k;
		} else
			text_put(&o, s + i++, 1);
	}
	return o.n;
}

/* ---- Percent-encoding ----------------------------------------------- */

size_t
decode_percent(const char *s, size_t len, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	size_t i = 0;
	long v;
	char c;

	while (i < len && o.n < cap) {
		if (s[i] == '%' && len - i >= 2 && s[i + 1] == '%') {
			text_put(&o, "%", 1);	/* a batch file's "%%" */
			i += 2;
		} else if (s[i] == '%' && len - i >= 3 &&
		    (v = hex_run(s + i + 1, 2)) >= 0) {
			c = (char)v;
			text_put(&o, &c, 1);
			i += 3;
		} else
			text_put(&o, s + i++, 1);
	}
	return o.n;
}

/* ---- base64 --------------------------------------------------------- */

/* Either alphabet: a token may be base64url-encoded. */
static int
b64_value(int c)
{
	return decode_b64_digit(c, 1);
}

/* Decodes s[a..b), whole groups of four from a, into o. */
static void
b64_decode(const char *s, size_t a, size_t b, struct text_out *o)
{
	unsigned acc = 0, bits = 0;
	char c;
	int v;

	for (; a < b && o->n < o->cap; a++) {
		if ((v = b64_value((unsigned char)s[a])) < 0)
			break;
		acc = (acc << 6) | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (char)(acc >> bits);
			text_put(o, &c, 1);
			acc &= (1u << bits) - 1;
		}
	}
}

/*
 * Where the base64 that holds a "sig=" literal at p starts: the run's
 * start, moved on to the next group boundary the literal agrees with (a
 * run may begin with a character or three that are not its own).
 */
static size_t
b64_start(size_t run, size_t at, size_t phase)
{
	size_t skew = (at - run + 4 - phase) % 4;

	return run + skew;
}

size_t
decode_base64(const char *s, size_t len, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	const char *lit;
	size_t i = 0, a, b, k, at;

	while (i < len && o.n < cap) {
		while (i < len && b64_value((unsigned char)s[i]) < 0)
			i++;
		for (a = i; i < len && b64_value((unsigned char)s[i]) >= 0;)
			i++;
		b = i;
		if (b - a < B64_RUN_MIN)
			continue;
		for (k = 0; k < sizeof sig_b64 / sizeof sig_b64[0]; k++) {
			if ((lit = text_find(s + a, b - a, sig_b64[k].text)) ==
			    NULL)
				continue;
			at = (size_t)(lit - s);
			b64_decode(s, b64_start(a, at, sig_b64[k].phase), b,
			    &o);
			text_put(&o, "\n", 1);
			break;
		}
	}
	return o.n;
}

size_t
decode_run(int kind, const char *s, size_t len, char *out, size_t cap)
{
	switch (kind) {
	case DECODE_ENTITIES:
		return decode_entities(s, len, out, cap);
	case DECODE_JSON:
		return decode_json(s, len, out, cap);
	case DECODE_PERCENT:
		return decode_percent(s, len, out, cap);
	case DECODE_BASE64:
		return decode_base64(s, len, out, cap);
	default:
		return 0;
	}
}
