/*
 * Unit tests for lib/blob.c: content read whole, decoded, and scanned as
 * added lines - the encodings a byte order mark announces, NUL-laced text
 * (UTF-16 without a mark), content fed in pieces of any size, lines longer
 * than a piece, and the line numbers findings get. The signature is made
 * up and signs nothing; failures print counts and places, never it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "tap.h"

#define RISKY "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&ss=b" \
	"&srt=sco&sp=rwdl&se=2051-01-01" \
	"&sig=2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"
#define SAFE "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b" \
	"&sp=r&st=2030-01-01T00:00:00Z&se=2030-01-01T02:00:00Z&spr=https" \
	"&sig=2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"
#define NOW 1893456000	/* 2030-01-01 */

struct run {
	unsigned long long blocked, passed;
	char out[8192];
};

/* Scans content fed `step` bytes at a time (0: all at once). */
static void
scan_content(const char *path, const void *data, size_t len, size_t step,
    struct run *res)
{
	char err[RULES_ERR_MAX];
	struct rules rules;
	struct report rep;
	struct scan s;
	struct blob b;
	FILE *out = tmpfile();
	size_t off, n;
	int r = 0;

	memset(res, 0, sizeof *res);
	if (out == NULL || rules_init(&rules, err, sizeof err) != 0) {
		ok(0, "setup");
		return;
	}
	report_init(&rep, out);
	report_start(&rep, REPORT_TEXT, NULL, &rules, "test", NOW);
	scan_init(&s, &rules, &rep, NOW, "");
	if (step == 0)
		r = blob_scan(&s, path, "", data, len);
	else {
		r = blob_begin(&b, &s, path, "");
		for (off = 0; r == 0 && off < len; off += n) {
			n = len - off < step ? len - off : step;
			r = blob_feed(&b, (const char *)data + off, n);
		}
		if (r == 0)
			r = blob_end(&b);
		else
			blob_release(&b);
	}
	is_int(r, SCAN_OK, "%s: scanned", path);
	report_finish(&rep, 0);
	res->blocked = rep.blocked;
	res->passed = rep.passed;
	rewind(out);
	n = fread(res->out, 1, sizeof res->out - 1, out);
	res->out[n] = '\0';
	fclose(out);
	scan_release(&s);
	report_release(&rep);
	rules_release(&rules);
}

/* text as UTF-16 (be: big-endian), with a mark when bom. */
static size_t
utf16(const char *text, int be, int bom, unsigned char *dst)
{
	size_t o = 0, i;

	if (bom) {
		dst[o++] = be ? 0xfe : 0xff;
		dst[o++] = be ? 0xff : 0xfe;
	}
	for (i = 0; text[i] != '\0'; i++) {
		dst[o++] = be ? 0 : (unsigned char)text[i];
		dst[o++] = be ? (unsigned char)text[i] : 0;
	}
	return o;
}

static size_t
utf32le(const char *text, unsigned char *dst)
{
	size_t o = 0, i;

	memcpy(dst, "\xff\xfe\0\0", 4);
	o = 4;
	for (i = 0; text[i] != '\0'; i++) {
		dst[o++] = (unsigned char)text[i];
		memset(dst + o, 0, 3);
		o += 3;
	}
	return o;
}

static void
blocked_at(const struct run *r, const char *where, const char *why)
{
	is_int((int)r->blocked, 1, "%s: blocked once", why);
	ok(strstr(r->out, where) != NULL, "%s: at %s", why, where);
}

static void
test_marks(void)
{
	is_int(blob_encoding_of((const unsigned char *)"\xff\xfe" "a\0", 4),
	    BLOB_UTF16LE, "FF FE is UTF-16LE");
	is_int(blob_encoding_of((const unsigned char *)"\xfe\xff\0a", 4),
	    BLOB_UTF16BE, "FE FF is UTF-16BE");
	is_int(blob_encoding_of((const unsigned char *)"\xff\xfe\0\0", 4),
	    BLOB_UTF32LE, "FF FE 00 00 is UTF-32LE");
	is_int(blob_encoding_of((const unsigned char *)"\0\0\xfe\xff", 4),
	    BLOB_UTF32BE, "00 00 FE FF is UTF-32BE");
	is_int(blob_encoding_of((const unsigned char *)"ab\0c", 4),
	    BLOB_BYTES, "no mark: bytes");
}

static void
test_encodings(void)
{
	static unsigned char buf[4096];
	const char *text = "Windows Registry Editor\r\n\r\nurl=" RISKY "\r\n";
	struct run r;
	size_t n;

	n = utf16(text, 0, 1, buf);
	scan_content("export.reg", buf, n, 0, &r);
	blocked_at(&r, "export.reg:3:", "UTF-16LE with a mark");
	scan_content("export.reg", buf, n, 1, &r);
	blocked_at(&r, "export.reg:3:", "... fed a byte at a time");
	scan_content("export.reg", buf, n, 3, &r);
	blocked_at(&r, "export.reg:3:", "... fed 3 bytes at a time");
	n = utf16(text, 1, 1, buf);
	scan_content("be.txt", buf, n, 0, &r);
	blocked_at(&r, "be.txt:3:", "UTF-16BE with a mark");
	n = utf16(text, 1, 0, buf);
	scan_content("be.txt", buf, n, 7, &r);
	blocked_at(&r, "be.txt:3:", "UTF-16BE without a mark (NULs dropped)");
	n = utf16(text, 0, 0, buf);
	scan_content("le.txt", buf, n, 0, &r);
	blocked_at(&r, "le.txt:3:", "UTF-16LE without a mark");
	n = utf32le(text, buf);
	scan_content("w.txt", buf, n, 5, &r);
	blocked_at(&r, "w.txt:3:", "UTF-32LE with a mark");
	n = utf16("url=" SAFE "\n", 0, 1, buf);
	scan_content("safe.txt", buf, n, 0, &r);
	is_int((int)r.blocked, 0, "a read-only two-hour token in UTF-16: "
	    "nothing blocks");
	is_int((int)r.passed, 1, "... but it was seen");
}

static void
test_bytes(void)
{
	static const char nul[] = "one\ntw\0o\nurl=" RISKY "\nfour";
	static const char bom8[] = "\xef\xbb\xbfurl=" RISKY;
	/* An emoji (a surrogate pair), a lone high surrogate, then a token. */
	static const unsigned char pairs[] = { 0xff, 0xfe, 0x3d, 0xd8, 0x00,
	    0xde, '\n', 0, 0x00, 0xd8, 'x', 0, '\n', 0 };
	static unsigned char buf[4096];
	struct run r;
	size_t n;

	scan_content("nul.cfg", nul, sizeof nul - 1, 0, &r);
	blocked_at(&r, "nul.cfg:3:", "a NUL byte in a text file");
	scan_content("bom.txt", bom8, sizeof bom8 - 1, 2, &r);
	blocked_at(&r, "bom.txt:1:", "a UTF-8 mark is dropped");
	memcpy(buf, pairs, sizeof pairs);
	n = sizeof pairs + utf16("url=" RISKY "\nend", 0, 0, buf +
	    sizeof pairs);
	scan_content("pairs.txt", buf, n, 0, &r);
	blocked_at(&r, "pairs.txt:3:", "surrogates, paired and lone, before "
	    "a token");
	scan_content("odd.txt", buf, n - 1, 0, &r);
	blocked_at(&r, "odd.txt:3:", "content cut inside its last character: "
	    "what came before still counts");
	scan_content("empty", "", 0, 0, &r);
	is_int((int)(r.blocked + r.passed), 0, "empty content: nothing");
}

static void
test_long(void)
{
	size_t lines = 3 * BLOB_PIECE / 40, i, n = 0, len;
	char *big = malloc(3 * BLOB_PIECE + 4096), where[64];
	struct run r;

	/* Many lines, the token on the last: numbered right across pieces. */
	for (i = 0; i < lines; i++)
		n += (size_t)sprintf(big + n, "filler line %026zu\n", i);
	n += (size_t)sprintf(big + n, "url=%s\n", RISKY);
	scan_content("big.txt", big, n, 4096, &r);
	snprintf(where, sizeof where, "big.txt:%zu:", lines + 1);
	blocked_at(&r, where, "three pieces of lines, token on the last");

	/* One line longer than a piece, cut inside the token's signature
	 * (the piece's text starts with the '+' of its line). */
	len = strlen(" url=" RISKY " ");
	memset(big, 'a', 2 * BLOB_PIECE);
	memcpy(big + BLOB_PIECE - 1 - (len - 20), " url=" RISKY " ", len);
	scan_content("oneline.txt", big, 2 * BLOB_PIECE, 65536, &r);
	blocked_at(&r, "oneline.txt:1:", "a token across the cut of a line "
	    "longer than a piece");
	free(big);
}

static void
test_names(void)
{
	struct run r;

	scan_content("dir/a \"b\"\tc.txt", "url=" RISKY "\n",
	    strlen("url=" RISKY "\n"), 0, &r);
	blocked_at(&r, "dir/a \"b\"\tc.txt:1:", "a path with quotes and a tab "
	    "is reported as it is");
}

int
main(void)
{
	test_marks();
	test_encodings();
	test_bytes();
	test_long();
	test_names();
	return tap_done();
}
