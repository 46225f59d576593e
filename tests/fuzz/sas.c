/*
 * fuzz target: the token finder (sas_find, lookalikes too) on any bytes,
 * with a window limit taken from the input, and on what each decoder
 * (decode.h) and the assembler (assemble.h) make of them. Checks, for
 * every token: its place and its signature's are inside the text, and
 * the text that may be printed holds no copy of the signature's base64;
 * and no decoder writes past its room or says it wrote more.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assemble.h"
#include "decode.h"
#include "sas.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "0123456789+/";

struct ctx {
	size_t len;
};

/* The first 42 base64 characters of sig: fixed by its 32 bytes. */
static void
encode42(const unsigned char sig[32], char out[43])
{
	size_t i, bit;
	unsigned v;

	for (i = 0; i < 42; i++) {
		bit = i * 6;
		v = (unsigned)sig[bit / 8] << 8 |
		    (bit / 8 + 1 < 32 ? sig[bit / 8 + 1] : 0);
		out[i] = b64[(v >> (10 - bit % 8)) & 63];
	}
	out[42] = '\0';
}

static int
tok_check(void *user, const struct sas_token *tok)
{
	const struct ctx *c = user;
	char secret[43];
	const char *const fields[] = { tok->sv, tok->ss, tok->srt, tok->sr,
	    tok->sp, tok->spr, tok->sip, tok->si, tok->tn, tok->st_text,
	    tok->se_text, tok->shown };
	size_t i;

	if (tok->start > tok->end || tok->end > c->len ||
	    tok->sig_start > tok->sig_end || tok->sig_end > c->len)
		abort();
	encode42(tok->sig, secret);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strstr(fields[i], secret) != NULL)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each decoder, then the finder on its text, in an exact-size room. */
static void
decoded(const char *s, size_t size)
{
	struct ctx c;
	size_t cap = size + 1, n;
	char *out;
	int k;

	if ((out = malloc(cap)) == NULL)
		return;
	for (k = 1; k <= DECODE_BASE64 + 1; k <<= 1) {
		n = k <= DECODE_BASE64 ? decode_run(k, s, size, out, cap) :
		    assemble_line(s, size, out, cap);
		if (n > cap)
			abort();
		c.len = n;
		sas_find(out, n, n, SAS_LOOKALIKES, tok_check, &c);
	}
	decode_wanted(s, size);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	size_t limit = size;
	char *copy;

	/* An exact-size copy, so that ASan catches a read one past it. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (size > 0 && data[0] == 0xff)
		limit = size / 2;
	c.len = size;
	sas_find(copy, size, limit, SAS_LOOKALIKES, tok_check, &c);
	decoded(copy, size);
	free(copy);
	return 0;
}
