/*
 * blob.c - whole content in, added lines out (see blob.h).
 *
 * The decoded text is handed to the diff reader as a piece of a diff that
 * adds a new file, so content goes the one way every diff goes: the same
 * line reader, split-token joiner, exceptions and report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"

/* Room for the text of a piece, its longest line's overflow and the
 * header written in front of it. */
#define BLOB_TEXT_CAP	(BLOB_PIECE + 8)
#define BLOB_HEAD_CAP	(2 * BLOB_NAME_MAX * 4 + 256)

enum blob_encoding
blob_encoding_of(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 0xff && p[1] == 0xfe && p[2] == 0 && p[3] == 0)
		return BLOB_UTF32LE;
	if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff)
		return BLOB_UTF32BE;
	if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
		return BLOB_UTF16LE;
	if (n >= 2 && p[0] == 0xfe && p[1] == 0xff)
		return BLOB_UTF16BE;
	return BLOB_BYTES;
}

/* Bytes of the mark that announced enc (a UTF-8 mark is only dropped). */
static size_t
mark_len(enum blob_encoding enc, const unsigned char *p, size_t n)
{
	switch (enc) {
	case BLOB_UTF16LE: case BLOB_UTF16BE: return 2;
	case BLOB_UTF32LE: case BLOB_UTF32BE: return 4;
	default:
		return n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ?
		    3 : 0;
	}
}

/*
 * "+++ b/PATH" for any path: quoted as git quotes one (octal escapes,
 * \t \n \" \\) when it holds a byte the reader would stop at.
 */
static size_t
header_write(char *dst, size_t cap, const char *path, const char *commit,
    long first, long count)
{
	char q[BLOB_NAME_MAX * 4 + 3];
	size_t o = 0, i, n = strlen(path);
	int quote = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
			quote = 1;
	}
	if (quote) {
		q[o++] = '"';
		for (i = 0; i < n && o + 6 < sizeof q; i++) {
			unsigned char c = (unsigned char)path[i];

			if (c == '"' || c == '\\') {
				q[o++] = '\\';
				q[o++] = (char)c;
			} else if (c < 0x20 || c == 0x7f)
				o += (size_t)snprintf(q + o, sizeof q - o,
				    "\\%03o", c);
			else
				q[o++] = (char)c;
		}
		q[o++] = '"';
		q[o] = '\0';
	} else
		snprintf(q, sizeof q, "%s", path);
	/* The b/ goes inside the quotes, as git writes it. */
	if (quote)
		return (size_t)snprintf(dst, cap, "%s%s%sdiff --git \"a/%s "
		    "\"b/%s\n--- /dev/null\n+++ \"b/%s\n@@ -0,0 +%ld,%ld @@\n",
		    commit[0] ? "commit " : "", commit, commit[0] ? "\n" : "",
		    q + 1, q + 1, q + 1, first, count);
	return (size_t)snprintf(dst, cap, "%s%s%sdiff --git a/%s b/%s\n"
	    "--- /dev/null\n+++ b/%s\n@@ -0,0 +%ld,%ld @@\n",
	    commit[0] ? "commit " : "", commit, commit[0] ? "\n" : "", q, q,
	    q, first, count);
}

int
blob_begin(struct blob *b, struct scan *s, const char *path,
    const char *commit)
{
	memset(b, 0, sizeof *b);
	b->scan = s;
	snprintf(b->path, sizeof b->path, "%s", path != NULL ? path : "");
	snprintf(b->commit, sizeof b->commit, "%s",
	    commit != NULL ? commit : "");
	b->enc = BLOB_UNKNOWN;
	b->lineno = 1;
	b->piece_first = 1;
	/* The header goes in front of the text: keep room for it. */
	if ((b->text = malloc(BLOB_HEAD_CAP + BLOB_TEXT_CAP)) == NULL)
		return SCAN_ENOMEM;
	b->text += BLOB_HEAD_CAP;
	return SCAN_OK;
}

void
blob_release(struct blob *b)
{
	if (b->text != NULL)
		free(b->text - BLOB_HEAD_CAP);
	b->text = NULL;
}

/* Scans text[0..upto) (whole lines, "+..." each) as one hunk of `lines`
 * lines numbered from piece_first. */
static int
hunk_scan(struct blob *b, size_t upto, long lines)
{
	char head[BLOB_HEAD_CAP];
	size_t h;

	h = header_write(head, sizeof head, b->path, b->commit,
	    b->piece_first, lines);
	if (h >= sizeof head)
		h = sizeof head - 1;
	memcpy(b->text - h, head, h);
	return scan_mem(b->scan, b->text - h, upto + h);
}

/* Drops text[0..n): it was scanned. */
static void
text_shift(struct blob *b, size_t n)
{
	memmove(b->text, b->text + n, b->len - n);
	b->len -= n;
	b->line_start -= n;
}

/*
 * A full piece goes to the scanner: its whole lines first; a line that
 * alone fills a piece is cut there, and its last BLOB_OVERLAP bytes start
 * the next piece, numbered as the same line.
 */
static int
piece_full(struct blob *b)
{
	int r;

	if (b->line_start > 0) {
		r = hunk_scan(b, b->line_start, b->lineno - b->piece_first);
		text_shift(b, b->line_start);
		b->piece_first = b->lineno;
		if (r != SCAN_OK || b->len < BLOB_PIECE)
			return r;
	}
	b->text[b->len] = '\n';
	r = hunk_scan(b, b->len + 1, 1);
	memmove(b->text + 1, b->text + b->len - BLOB_OVERLAP, BLOB_OVERLAP);
	b->text[0] = '+';
	b->len = BLOB_OVERLAP + 1;
	return r;
}

/* Appends one decoded byte. */
static int
text_put(struct blob *b, unsigned char c)
{
	if (b->len == b->line_start)
		b->text[b->len++] = '+';
	b->text[b->len++] = (char)c;
	if (c == '\n') {
		b->lineno++;
		b->line_start = b->len;
	}
	return b->len < BLOB_PIECE ? SCAN_OK : piece_full(b);
}

/*
 * Content as it is, NUL bytes dropped: a line (or what fits of it) at a
 * time, with memchr, since real binaries come this way too.
 */
static int
bytes_put(struct blob *b, const unsigned char *p, size_t n)
{
	const unsigned char *nl, *end;
	unsigned char *out;
	size_t room, k, o;
	int r;

	while (n > 0) {
		if (b->len == b->line_start)
			b->text[b->len++] = '+';
		room = BLOB_PIECE > b->len ? BLOB_PIECE - b->len : 0;
		k = n < room ? n : room;
		nl = memchr(p, '\n', k);
		end = nl != NULL ? nl + 1 : p + k;
		n -= (size_t)(end - p);
		/* Binaries hold NULs everywhere: drop them without a
		 * branch rather than a memchr per NUL. */
		out = (unsigned char *)b->text + b->len;
		for (o = 0; p < end; p++) {
			out[o] = *p;
			o += *p != 0;
		}
		b->len += o;
		if (nl != NULL) {
			b->lineno++;
			b->line_start = b->len;
		}
		if (b->len >= BLOB_PIECE && (r = piece_full(b)) != SCAN_OK)
			return r;
	}
	return SCAN_OK;
}

/* One character as UTF-8; NUL is dropped, like a NUL byte. */
static int
char_put(struct blob *b, unsigned long cp)
{
	unsigned char u[4];
	int n, i, r;

	if (cp == 0)
		return SCAN_OK;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	for (i = 0; i < n; i++)
		if ((r = text_put(b, u[i])) != SCAN_OK)
			return r;
	return SCAN_OK;
}

/* One UTF-16 code unit: surrogate pairs joined, lone halves U+FFFD. */
static int
utf16_put(struct blob *b, unsigned long u)
{
	int r;

	if (u >= 0xdc00 && u <= 0xdfff && b->hi != 0) {
		u = 0x10000 + ((b->hi - 0xd800) << 10) + (u - 0xdc00);
		b->hi = 0;
		return char_put(b, u);
	}
	if (b->hi != 0) {
		b->hi = 0;
		if ((r = char_put(b, 0xfffd)) != SCAN_OK)
			return r;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		b->hi = u;
		return SCAN_OK;
	}
	return char_put(b, u);
}

/* One whole code unit of the marked encodings. */
static int
unit_put(struct blob *b, const unsigned char *p)
{
	switch (b->enc) {
	case BLOB_UTF16LE: return utf16_put(b, (unsigned long)p[0] |
	    (unsigned long)p[1] << 8);
	case BLOB_UTF16BE: return utf16_put(b, (unsigned long)p[1] |
	    (unsigned long)p[0] << 8);
	case BLOB_UTF32LE: return char_put(b, (unsigned long)p[0] |
	    (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
	    (unsigned long)p[3] << 24);
	default: return char_put(b, (unsigned long)p[3] |
	    (unsigned long)p[2] << 8 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[0] << 24);
	}
}

static size_t
unit_size(enum blob_encoding enc)
{
	return enc == BLOB_UTF16LE || enc == BLOB_UTF16BE ? 2 : 4;
}

/* Content once its encoding is known. */
static int
decode(struct blob *b, const unsigned char *p, size_t n)
{
	size_t i, w;
	int r;

	if (b->enc == BLOB_BYTES)
		return bytes_put(b, p, n);
	w = unit_size(b->enc);
	for (i = 0; i < n; i++) {
		b->unit[b->nunit++] = p[i];
		if (b->nunit == w) {
			b->nunit = 0;
			if ((r = unit_put(b, b->unit)) != SCAN_OK)
				return r;
		}
	}
	return SCAN_OK;
}

/* The first bytes decide the encoding; returns what they leave. */
static int
head_settle(struct blob *b)
{
	size_t skip;

	b->enc = blob_encoding_of(b->head, b->nhead);
	skip = mark_len(b->enc, b->head, b->nhead);
	return decode(b, b->head + skip, b->nhead - skip);
}

int
blob_feed(struct blob *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	int r;

	b->bytes += len;
	while (b->enc == BLOB_UNKNOWN && len > 0) {
		b->head[b->nhead++] = *p++;
		len--;
		if (b->nhead == sizeof b->head &&
		    (r = head_settle(b)) != SCAN_OK)
			return r;
	}
	return len > 0 ? decode(b, p, len) : SCAN_OK;
}

int
blob_end(struct blob *b)
{
	int r = SCAN_OK;

	if (b->enc == BLOB_UNKNOWN)
		r = head_settle(b);
	if (r == SCAN_OK && (b->hi != 0 || b->nunit != 0))
		r = char_put(b, 0xfffd);	/* cut in a character */
	if (r == SCAN_OK && b->len > b->line_start) {
		b->text[b->len++] = '\n';
		b->lineno++;
		b->line_start = b->len;
	}
	if (r == SCAN_OK && b->line_start > 0)
		r = hunk_scan(b, b->line_start, b->lineno - b->piece_first);
	blob_release(b);
	return r;
}

int
blob_scan(struct scan *s, const char *path, const char *commit,
    const void *data, size_t len)
{
	struct blob b;
	int r;

	if ((r = blob_begin(&b, s, path, commit)) != SCAN_OK)
		return r;
	if ((r = blob_feed(&b, data, len)) != SCAN_OK) {
		blob_release(&b);
		return r;
	}
	return blob_end(&b);
}
