/*
 * decode.h - the encodings a SAS token hides in that the token finder
 * (sas.c) does not read character by character: each decoder turns one
 * text into another, which the finder then reads as it reads any line.
 *
 *   entities  HTML character references: &#115; &#x73; (any character),
 *             &amp; &quot; &apos; &lt; &gt; &equals; &quest; &percnt;
 *   json      JSON / JavaScript string escapes: \uXXXX of any character
 *             (surrogate pairs too), \" \\ \/ \n \r \t \b \f
 *   percent   one layer of percent-encoding, every %XX; a batch file's
 *             doubled %% is one '%' ("%%3D" is "%3D", read as '=')
 *   base64    runs of base64 (standard or URL-safe, 16 characters or
 *             more) that hold "sig=" in one of its three alignments
 *             (c2lnP, NpZz, aWc9: fixed strings, so finding them is a
 *             literal search): each such run decoded, one per line
 *
 * decode_wanted() says which decoders have something to undo in a text,
 * from a cheap look at it; a decoder is only worth running when its bit
 * is set. Every decoder reads (s, len), never past it and never needs a
 * NUL; writes at most cap bytes to out and returns how many; the work is
 * linear in len. A character it cannot decode is copied as it is.
 */
#ifndef SASGUARD_DECODE_H
#define SASGUARD_DECODE_H

#include <stddef.h>

enum decode_kind {
	DECODE_ENTITIES = 1,
	DECODE_JSON = 2,
	DECODE_PERCENT = 4,
	DECODE_BASE64 = 8
};

/* The decoders (a mask of enum decode_kind) with something to do. */
int decode_wanted(const char *s, size_t len);

size_t decode_entities(const char *s, size_t len, char *out, size_t cap);
size_t decode_json(const char *s, size_t len, char *out, size_t cap);
size_t decode_percent(const char *s, size_t len, char *out, size_t cap);
size_t decode_base64(const char *s, size_t len, char *out, size_t cap);

/* Runs the decoder kind (one bit). */
size_t decode_run(int kind, const char *s, size_t len, char *out,
    size_t cap);

/*
 * Writes the code point cp as UTF-8 at out (cap bytes left); returns the
 * bytes written, 0 when it does not fit or is not a code point. For the
 * notebook joiner too, whose strings are JSON.
 */
size_t decode_utf8(unsigned long cp, char *out, size_t cap);

/*
 * Reads one JSON string escape at s[0..len) (s[0] == '\\'): the bytes it
 * stands for go to out (at most cap, at least 4 needed), their count to
 * *outn; returns how many bytes of s it took (0: not an escape).
 */
size_t decode_json_escape(const char *s, size_t len, char *out, size_t cap,
    size_t *outn);

/*
 * A base64 digit's value (0 to 63), or -1; with urlsafe, the URL-safe
 * alphabet's '-' and '_' too. The decoder reads either alphabet; an
 * account key (acctkey.c) is only ever written in the standard one.
 */
static inline int
decode_b64_digit(int c, int urlsafe)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || (urlsafe && c == '-'))
		return 62;
	if (c == '/' || (urlsafe && c == '_'))
		return 63;
	return -1;
}

#endif
