/*
 * Unit tests for SHA-256: the FIPS 180-4 example messages (NIST's
 * "abc", the two-block 448- and 896-bit messages, a million 'a'), the
 * empty message, and padding edges fed in pieces of every size.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static void
hex(const unsigned char *d, char *out)
{
	int i;

	for (i = 0; i < SHA256_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
check(const char *msg, const char *want, const char *name)
{
	unsigned char d[SHA256_SIZE];
	char got[2 * SHA256_SIZE + 1];

	sha256_digest(msg, strlen(msg), d);
	hex(d, got);
	is_str(got, want, "%s", name);
}

static void
test_million(void)
{
	unsigned char d[SHA256_SIZE];
	char got[2 * SHA256_SIZE + 1], chunk[1000];
	struct sha256 c;
	int i;

	memset(chunk, 'a', sizeof chunk);
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, chunk, sizeof chunk);
	sha256_final(&c, d);
	hex(d, got);
	is_str(got, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0", "one million 'a'");
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65 bytes), fed
 * whole and byte by byte, must agree. */
static void
test_pieces(void)
{
	static const size_t lens[] = { 55, 56, 63, 64, 65, 119, 120, 128 };
	unsigned char whole[SHA256_SIZE], parts[SHA256_SIZE], msg[128];
	struct sha256 c;
	size_t i, k;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 7 + 1);
	for (k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		sha256_digest(msg, lens[k], whole);
		sha256_init(&c);
		for (i = 0; i < lens[k]; i++)
			sha256_update(&c, msg + i, 1);
		sha256_final(&c, parts);
		ok(memcmp(whole, parts, sizeof whole) == 0,
		    "%zu bytes: whole and byte by byte agree", lens[k]);
	}
}

int
main(void)
{
	check("abc", "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "FIPS 180-4: \"abc\"");
	check("", "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "the empty message");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1", "FIPS 180-4: 448 bits");
	check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	    "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1", "FIPS 180-4: 896 bits");
	test_million();
	test_pieces();
	return tap_done();
}
