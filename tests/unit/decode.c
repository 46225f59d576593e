/*
 * Unit tests for lib/decode.c: each decoder on the forms it undoes and
 * on what it must leave as it is, and decode_wanted's bits. Base64 cases
 * are built here from plain text in each of the three alignments of
 * "sig=". No signature is involved: the texts are made up.
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "tap.h"

static char out[4096];

static const char *
run(int kind, const char *in)
{
	size_t n = decode_run(kind, in, strlen(in), out, sizeof out - 1);

	out[n] = '\0';
	return out;
}

static void
test_entities(void)
{
	is_str(run(DECODE_ENTITIES, "&#115;ig=1"), "sig=1", "decimal");
	is_str(run(DECODE_ENTITIES, "&#x73;&#X69;&#x67;&#x3d;1"), "sig=1",
	    "hex, either x");
	is_str(run(DECODE_ENTITIES, "a&#38;b&#x26;c&amp;d"), "a&b&c&d",
	    "separators");
	is_str(run(DECODE_ENTITIES, "&#115ig&equals;1"), "sig=1",
	    "no ';' after the number; a named '='");
	is_str(run(DECODE_ENTITIES, "&#233;"), "\xc3\xa9",
	    "beyond ASCII: UTF-8");
	is_str(run(DECODE_ENTITIES, "&#;&#x;&nosuch;&"), "&#;&#x;&nosuch;&",
	    "what is not a reference stays");
	is_str(run(DECODE_ENTITIES, "&#1114112;"), "&#1114112;",
	    "past U+10FFFF stays");
}

static void
test_json(void)
{
	is_str(run(DECODE_JSON, "\\u0073\\u0069\\u0067\\u003d1"), "sig=1",
	    "\\uXXXX of letters and '='");
	is_str(run(DECODE_JSON, "\\u0053IG\\u003D"), "SIG=",
	    "upper-case hex digits");
	is_str(run(DECODE_JSON, "a\\/b\\\"c\\\\d"), "a/b\"c\\d",
	    "\\/, \\\" and \\\\");
	is_str(run(DECODE_JSON, "\\ud83d\\ude00"), "\xf0\x9f\x98\x80",
	    "a surrogate pair");
	is_str(run(DECODE_JSON, "\\ud83dx"), "\\ud83dx",
	    "a lone surrogate stays");
	is_str(run(DECODE_JSON, "\\u00g1\\u12"), "\\u00g1\\u12",
	    "bad or short escapes stay");
}

static void
test_percent(void)
{
	is_str(run(DECODE_PERCENT, "%73%69%67%3D1"), "sig=1", "every %%XX");
	is_str(run(DECODE_PERCENT, "%2573%253d"), "%73%3d",
	    "one layer at a time");
	is_str(run(DECODE_PERCENT, "%%73%%69%%67%%3D"), "%73%69%67%3D",
	    "a batch file's %%%%");
	is_str(run(DECODE_PERCENT, "100% %zz %"), "100% %zz %",
	    "what is not an escape stays");
}

/* base64 of prefix + "sig=..." decodes back, whatever the alignment. */
static void
test_base64(void)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789+/";
	const char *plain = "u=https://a.b/c?sv=2020-08-04&sig=abc&sp=r";
	char text[256], enc[512], in[600];
	size_t i, n, k, o;
	int pad;

	for (pad = 0; pad < 3; pad++) {
		snprintf(text, sizeof text, "%.*s%s", pad, "xy", plain);
		n = strlen(text);
		for (i = o = 0; i < n; i += 3) {
			unsigned v = (unsigned)(unsigned char)text[i] << 16 |
			    (i + 1 < n ? (unsigned char)text[i + 1] << 8 : 0) |
			    (i + 2 < n ? (unsigned char)text[i + 2] : 0);

			for (k = 0; k < 4; k++)
				enc[o++] = i + k * 3 / 4 < n + (k == 0) ?
				    b64[(v >> (18 - 6 * k)) & 63] : '=';
		}
		enc[o] = '\0';
		snprintf(in, sizeof in, "data: %s # secret", enc);
		ok(decode_wanted(in, strlen(in)) & DECODE_BASE64,
		    "alignment %d: the literal is found", pad);
		run(DECODE_BASE64, in);
		ok(strstr(out, plain) != NULL, "alignment %d: decoded", pad);
		/* one character of junk before the run */
		snprintf(in, sizeof in, "k: !%s", enc);
		run(DECODE_BASE64, in);
		ok(strstr(out, plain) != NULL, "alignment %d: after junk", pad);
	}
	is_str(run(DECODE_BASE64, "c2lnPQ== aGVsbG8gd29ybGQgaGVsbG8="), "",
	    "runs shorter than 16, or without sig=, give nothing");
}

static void
test_wanted(void)
{
	ok(decode_wanted("a=b&c=d", 7) == 0, "a plain query wants nothing");
	ok(decode_wanted("x&#115;", 7) == DECODE_ENTITIES, "&#: entities");
	ok(decode_wanted("\\u0073", 6) == DECODE_JSON, "\\u: JSON");
	ok(decode_wanted("%73", 3) == DECODE_PERCENT, "a letter encoded");
	ok(decode_wanted("%%3D", 4) == DECODE_PERCENT, "a batch %%%%");
	ok(decode_wanted("%2F%3D", 6) == 0, "what URLs must encode: nothing");
}

int
main(void)
{
	test_entities();
	test_json();
	test_percent();
	test_base64();
	test_wanted();
	return tap_done();
}
