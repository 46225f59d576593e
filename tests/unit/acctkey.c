/*
 * Storage account keys: identifiable keys made here from random bytes
 * with a computed checksum (found bare), each with one bit flipped (not a
 * key), connection strings and calls that name a plain key, the
 * emulator's key, placeholders, wrong lengths, not base64. No test prints
 * a key: it compares places and flags.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acctkey.h"
#include "marvin.h"
#include "tap.h"

static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "0123456789+/";

static void
encode(const unsigned char key[64], char out[89])
{
	size_t i, k = 0;

	for (i = 0; i + 2 < 64; i += 3) {
		unsigned long v = (unsigned long)key[i] << 16 |
		    (unsigned long)key[i + 1] << 8 | key[i + 2];

		out[k++] = digits[v >> 18 & 63];
		out[k++] = digits[v >> 12 & 63];
		out[k++] = digits[v >> 6 & 63];
		out[k++] = digits[v & 63];
	}
	out[k++] = digits[key[63] >> 2];
	out[k++] = digits[(key[63] & 3) << 4];
	out[k++] = '=';
	out[k++] = '=';
	out[k] = '\0';
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned char
rand_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned char)(rng >> 24);
}

/* Random bytes, "+ASt" at characters 76-79, the checksum computed. */
static void
make_identifiable(unsigned char key[64], char text[89])
{
	int i;

	for (i = 0; i < 64; i++)
		key[i] = rand_byte();
	encode(key, text);
	memcpy(text + ACCTKEY_SIGNATURE_AT, ACCTKEY_SIGNATURE, 4);
	acctkey_decode(text, key);
	acctkey_checksum_set(key);
	encode(key, text);
}

/* Plain random key bytes, no signature. */
static void
make_plain(char text[89])
{
	unsigned char key[64];
	int i;

	for (i = 0; i < 64; i++)
		key[i] = rand_byte();
	encode(key, text);
	if (memcmp(text + ACCTKEY_SIGNATURE_AT, ACCTKEY_SIGNATURE, 4) == 0)
		text[ACCTKEY_SIGNATURE_AT] = 'x';
}

struct seen {
	int n;
	struct acctkey k[4];
};

static int
collect(void *user, const struct acctkey *k)
{
	struct seen *s = user;

	if (s->n < 4)
		s->k[s->n] = *k;
	s->n++;
	return 0;
}

static struct seen
scan(const char *text)
{
	struct seen s;

	memset(&s, 0, sizeof s);
	acctkey_scan(text, strlen(text), collect, &s);
	return s;
}

static void
identifiable_keys(void)
{
	unsigned char key[64], flipped[64];
	char text[89], line[256];
	int i, bit, valid = 0, found = 0, refused = 0, tried = 0;

	for (i = 0; i < 40; i++) {
		struct seen s;

		make_identifiable(key, text);
		valid += acctkey_checksum_ok(key) &&
		    memcmp(text + 76, "+ASt", 4) == 0;
		snprintf(line, sizeof line, "blob = %s # nothing names it", text);
		s = scan(line);
		found += s.n == 1 && s.k[0].identifiable && s.k[0].start == 7 &&
		    s.k[0].end == 95 && s.k[0].written[0] == '\0';
		/* One bit flipped, each bit of one key in eight. */
		for (bit = 0; bit < 512 && i % 8 == 0; bit++) {
			memcpy(flipped, key, 64);
			flipped[bit / 8] ^= (unsigned char)(1 << (bit % 8));
			encode(flipped, text);
			tried++;
			refused += scan(text).n == 0 &&
			    !acctkey_checksum_ok(flipped);
		}
	}
	is_int(valid, 40, "40 keys built with +ASt and their checksum check");
	is_int(found, 40, "each is found bare, identifiable, in place");
	is_int(refused, tried, "every one-bit change of them is no key "
	    "(%d tried)", tried);
	make_identifiable(key, text);
	snprintf(line, sizeof line, "AccountName=acct1;AccountKey=%s", text);
	ok(scan(line).n == 1 && scan(line).k[0].identifiable,
	    "an identifiable key in a connection string is one key");
}

static void
plain_keys(void)
{
	char key[89], line[512];
	struct seen s;
	static const struct {
		const char *fmt, *written, *account;
	} shapes[] = {
		{ "DefaultEndpointsProtocol=https;AccountName=acct1;"
		    "AccountKey=%s;EndpointSuffix=core.windows.net",
		    "AccountKey", "acct1" },
		{ "AccountKey=%s;AccountName=second2;DefaultEndpointsProtocol="
		    "https", "AccountKey", "second2" },
		{ "\"BlobEndpoint=https://third3.blob.core.windows.net/;"
		    "AccountName=third3;AccountKey=%s\"", "AccountKey", "third3" },
		{ "az storage blob list --account-name fourth4 --account-key "
		    "\"%s\" -c data", "AccountKey", "fourth4" },
		{ "svc = BlobServiceClient(url, credential=None, account_key="
		    "'%s')", "AccountKey", "" },
		{ "var cred = new StorageSharedKeyCredential(\"fifth5\", \"%s\");",
		    "StorageSharedKeyCredential", "fifth5" },
		{ "  \"accountKey\": \"%s\",", "AccountKey", "" },
		{ "export AZURE_STORAGE_KEY=%s", "AZURE_STORAGE_KEY", "" },
		{ "  access_key = \"%s\"", "access_key", "" },
	};
	size_t i;

	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		make_plain(key);
		snprintf(line, sizeof line, shapes[i].fmt, key);
		s = scan(line);
		ok(s.n == 1 && !s.k[0].identifiable && !s.k[0].emulator &&
		    strcmp(s.k[0].written, shapes[i].written) == 0 &&
		    strcmp(s.k[0].account, shapes[i].account) == 0 &&
		    memcmp(line + s.k[0].start, key, 88) == 0,
		    "shape %zu: a key named %s, account '%s'", i,
		    shapes[i].written, shapes[i].account);
	}
	make_plain(key);
	snprintf(line, sizeof line, "value = \"%s\"", key);
	is_int(scan(line).n, 0, "a plain key named by nothing is not told");
	snprintf(line, sizeof line, "AccountKey=%s;AccountEndpoint=https://"
	    "x.documents.azure.com:443/", key);
	is_int(scan(line).n, 0, "a Cosmos DB connection string is not storage");
	snprintf(line, sizeof line, "AccountKey=%s", key);
	is_int(scan(line).n, 1, "a named plain key is told");
	line[11 + 10] = '_';
	is_int(scan(line).n, 0, "... but not with a URL-safe digit in it: "
	    "keys are written in the standard alphabet");
}

static void
not_keys(void)
{
	char key[89], line[512];
	struct seen s;

	s = scan("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
	    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UV"
	    "ErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1"
	    ":10000/devstoreaccount1;");
	ok(s.n == 1 && s.k[0].emulator &&
	    strcmp(s.k[0].account, "devstoreaccount1") == 0,
	    "the emulator's key is told as the emulator's");
	is_int(scan("AccountKey=<key>;AccountName=a").n, 0, "<key>");
	is_int(scan("AccountKey=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx==").n, 0,
	    "a run of one character");
	is_int(scan("AccountKey=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
	    "yz0123456789+/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgw==").n, 0,
	    "the alphabet in order");
	snprintf(line, sizeof line, "AccountKey=");
	for (int i = 0; i < 21; i++)
		strcat(line, "ab12");
	strcat(line, "aA==");
	is_int(scan(line).n, 0, "a short pattern repeated");
	make_plain(key);
	snprintf(line, sizeof line, "AccountKey=%.84s==", key);
	is_int(scan(line).n, 0, "84 characters: wrong length");
	snprintf(line, sizeof line, "AccountKey=A%s", key);
	is_int(scan(line).n, 0, "89 characters: wrong length");
	snprintf(line, sizeof line, "AccountKey=%s=", key);
	is_int(scan(line).n, 0, "three '=': not 64 bytes");
	snprintf(line, sizeof line, "AccountKey=%s", key);
	line[11 + 40] = '!';
	is_int(scan(line).n, 0, "a character outside base64");
	snprintf(line, sizeof line, "AccountKey=%s", key);
	line[11 + 85] = line[11 + 85] == 'B' ? 'C' : 'B';
	is_int(scan(line).n, 0, "not a canonical encoding of 64 bytes");
}

static void
hashes(void)
{
	unsigned char key[64];
	char text[89], log[ACCTKEY_LOG_HASH_BUFSIZE];

	memset(key, 0, sizeof key);
	acctkey_log_hash(key, log);
	/* SHA-256 of 64 zero bytes. */
	is_str(log, "key1(F5A5FD42D16A20302798EF6ED309979B43003D2320D9F0E8EA"
	    "9831A92759FB4B) or key2(F5A5FD42D16A20302798EF6ED309979B43003D232"
	    "0D9F0E8EA9831A92759FB4B)", "log hash: SHA-256 of the key bytes");
	ok(acctkey_fingerprint(key) == 0xf5a5fd42d16a2030ULL,
	    "fingerprint: its first 8 bytes");
	make_identifiable(key, text);
	ok(strstr(log, text) == NULL, "the hash holds no key text");
}

int
main(void)
{
	identifiable_keys();
	plain_keys();
	not_keys();
	hashes();
	return tap_done();
}
