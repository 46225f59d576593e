/*
 * acctkey.c - storage account keys in text (see acctkey.h).
 */
#include <stdio.h>
#include <string.h>

#include "acctkey.h"
#include "decode.h"
#include "marvin.h"
#include "sha256.h"

/* The storage emulator's key, published in Microsoft's documentation
 * for account devstoreaccount1: not a secret. */
static const char emulator_key[] = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50u"
    "SRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/* A digit of the standard alphabet, the only one a key is written in. */
static int
b64_value(unsigned char c)
{
	return decode_b64_digit(c, 0);
}

int
acctkey_decode(const char *s, unsigned char out[ACCTKEY_BYTES])
{
	unsigned long acc = 0;
	int bits = 0, v;
	size_t i, n = 0;

	if (s[86] != '=' || s[87] != '=')
		return -1;
	for (i = 0; i < 86; i++) {
		if ((v = b64_value((unsigned char)s[i])) < 0)
			return -1;
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* The 4 bits left over must be zero in a canonical encoding. */
	return (acc & ((1UL << bits) - 1)) == 0 && n == ACCTKEY_BYTES ? 0 : -1;
}

int
acctkey_checksum_ok(const unsigned char key[ACCTKEY_BYTES])
{
	uint32_t want = marvin_hash32(key, 60, ACCTKEY_SEED);

	return key[60] == (want & 0xff) && key[61] == (want >> 8 & 0xff) &&
	    key[62] == (want >> 16 & 0xff) && key[63] == (want >> 24);
}

void
acctkey_checksum_set(unsigned char key[ACCTKEY_BYTES])
{
	uint32_t sum = marvin_hash32(key, 60, ACCTKEY_SEED);
	int i;

	for (i = 0; i < 4; i++)
		key[60 + i] = (unsigned char)(sum >> (8 * i));
}

uint64_t
acctkey_fingerprint(const unsigned char key[ACCTKEY_BYTES])
{
	unsigned char d[SHA256_SIZE];
	uint64_t fp = 0;
	int i;

	sha256_digest(key, ACCTKEY_BYTES, d);
	for (i = 0; i < 8; i++)
		fp = fp << 8 | d[i];
	return fp;
}

char *
acctkey_log_hash(const unsigned char key[ACCTKEY_BYTES],
    char buf[ACCTKEY_LOG_HASH_BUFSIZE])
{
	unsigned char d[SHA256_SIZE];
	char hex[2 * SHA256_SIZE + 1];
	int i;

	sha256_digest(key, ACCTKEY_BYTES, d);
	for (i = 0; i < SHA256_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02X", d[i]);
	snprintf(buf, ACCTKEY_LOG_HASH_BUFSIZE, "key1(%s) or key2(%s)", hex,
	    hex);
	return buf;
}

int
acctkey_candidate_at(const char *text, size_t lo, size_t at, size_t len)
{
	size_t i;

	if (at < lo + 86 || at + 2 > len || text[at] != '=' ||
	    text[at + 1] != '=')
		return 0;
	if (at + 2 < len && (text[at + 2] == '=' ||
	    b64_value((unsigned char)text[at + 2]) >= 0))
		return 0;
	if (at > lo + 86 && b64_value((unsigned char)text[at - 87]) >= 0)
		return 0;
	/* Backwards: most "==" (a == b, x==y) fail at once. */
	for (i = at; i > at - 86; i--)
		if (b64_value((unsigned char)text[i - 1]) < 0)
			return 0;
	return 1;
}

/* Placeholders: too few distinct characters, a run of six of one, eight
 * in alphabet order. A random key does any of it about never. */
static int
placeholder(const char *s)
{
	unsigned char seen[64] = { 0 };
	int distinct = 0, same = 1, up = 1, i;

	for (i = 0; i < 86; i++) {
		int v = b64_value((unsigned char)s[i]);

		distinct += !seen[v];
		seen[v] = 1;
		if (i > 0) {
			same = s[i] == s[i - 1] ? same + 1 : 1;
			up = v == b64_value((unsigned char)s[i - 1]) + 1 ?
			    up + 1 : 1;
			if (same >= 6 || up >= 8)
				return 1;
		}
	}
	return distinct < 20;
}

/* text[0..n) folded for naming: letters in lower case, '_' and '-'
 * dropped; at[k] says where folded character k came from. */
static size_t
fold(const char *text, size_t n, char *out, size_t *at, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < cap; i++) {
		char c = text[i];

		if (c == '_' || c == '-')
			continue;
		at[k] = i;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	return k;
}

/* The last place word is in s[0..n), or -1. */
static long
last_of(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word), i;

	for (i = n; i >= k; i--)
		if (memcmp(s + i - k, word, k) == 0)
			return (long)(i - k);
	return -1;
}

#define LOOK_BACK 240

/* The words that name a storage key, and how far before the key each
 * may stand. A credential's first argument is the account's name. */
static const struct {
	const char *folded, *written;
	size_t gap;
} namers[] = {
	{ "accountkey", "AccountKey", 4 },
	{ "storagekey", "AZURE_STORAGE_KEY", 4 },
	{ "accesskey", "access_key", 4 },
	{ "sharedkeycredential(", "StorageSharedKeyCredential", 100 },
};

/* How the text before the key (text[0..start)) names it, or NULL. */
static const char *
key_named(const char *text, size_t start)
{
	char f[LOOK_BACK];
	size_t at[LOOK_BACK], lo = start > LOOK_BACK ? start - LOOK_BACK : 0;
	size_t n = fold(text + lo, start - lo, f, at, sizeof f), i, j, end;
	long w;

	for (i = 0; i < sizeof namers / sizeof namers[0]; i++) {
		if ((w = last_of(f, n, namers[i].folded)) < 0)
			continue;
		/* From the word's end to the key, in the text as written. */
		end = lo + at[(size_t)w + strlen(namers[i].folded) - 1] + 1;
		if (start - end > namers[i].gap)
			continue;
		for (j = end; j < start; j++)
			if (namers[i].gap < 100 ? strchr(" \t=:\"'`", text[j])
			    == NULL : text[j] == ')')
				break;
		if (j == start)
			return namers[i].written;
	}
	return NULL;
}

/* Does the line say the key is another service's? */
static int
not_storage(const char *text, size_t len)
{
	static const char *const others[] = { "documents.azure", "accountendpoint",
	    "batch.azure", "cosmos" };
	char f[512];
	size_t at[512], n, i, off;

	for (off = 0; off < len; off += 400) {
		n = fold(text + off, len - off, f, at, sizeof f);
		for (i = 0; i < sizeof others / sizeof others[0]; i++)
			if (last_of(f, n, others[i]) >= 0)
				return 1;
	}
	return 0;
}

/* How far account_of() looks around a key: its name comes before it
 * (AccountName=...;AccountKey=...) or just after (a credential's
 * arguments), within what account_of() folds (512 bytes). */
#define ACCOUNT_BEFORE 320
#define ACCOUNT_AFTER 100

/* The account's name on the line: AccountName=, --account-name,
 * account_name, a credential's first argument, or a storage host. */
static void
account_of(const char *text, size_t len, char *out, size_t cap)
{
	static const char *const words[] = { "accountname", "credential(",
	    "://" };
	char f[512];
	size_t at[512], n = fold(text, len, f, at, sizeof f), i, j, k;
	long w;

	out[0] = '\0';
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if ((w = last_of(f, n, words[i])) < 0)
			continue;
		j = at[(size_t)w + strlen(words[i]) - 1] + 1;
		while (j < len && strchr(" \t=:\"'`(", text[j]) != NULL)
			j++;
		for (k = 0; j + k < len && k + 1 < cap &&
		    ((text[j + k] >= 'a' && text[j + k] <= 'z') ||
		    (text[j + k] >= '0' && text[j + k] <= '9')); k++)
			out[k] = text[j + k];
		out[k] = '\0';
		/* A storage account's name: 3 to 24 of a-z 0-9. */
		if (k >= 3 && k <= 24 && (i < 2 || (j + k < len &&
		    text[j + k] == '.')))
			return;
		out[0] = '\0';
	}
}

int
acctkey_scan(const char *text, size_t len, acctkey_fn fn, void *user)
{
	struct acctkey k;
	const char *p = text, *end = text + len;
	size_t at, lo, near, own, own_end;
	int r;

	while ((p = memchr(p, '=', (size_t)(end - p))) != NULL) {
		at = (size_t)(p - text);
		p++;
		if (!acctkey_candidate_at(text, 0, at, len))
			continue;
		memset(&k, 0, sizeof k);
		k.start = at - 86;
		k.end = at + 2;
		p = text + k.end;
		if (acctkey_decode(text + k.start, k.bytes) != 0 ||
		    placeholder(text + k.start))
			continue;
		if (memcmp(text + k.start + ACCTKEY_SIGNATURE_AT,
		    ACCTKEY_SIGNATURE, 4) == 0) {
			/* The shape promises a checksum: without it, it is
			 * no key at all. */
			if (!acctkey_checksum_ok(k.bytes))
				continue;
			k.identifiable = 1;
		}
		k.written = key_named(text, k.start);
		if (!k.identifiable && k.written == NULL)
			continue;
		/* Whose key it is, is said near it: a long line (a one-line
		 * config, a bundle) may hold other services' keys and other
		 * accounts. Another service, in the key's own string (up to a
		 * quote or a blank: a Cosmos DB connection string names its
		 * endpoint there); the account, around it. */
		lo = k.start > ACCOUNT_BEFORE ? k.start - ACCOUNT_BEFORE : 0;
		near = (len - k.end > ACCOUNT_AFTER ? k.end + ACCOUNT_AFTER :
		    len) - lo;
		for (own = k.start; own > lo &&
		    strchr("\"'` \t", text[own - 1]) == NULL; own--)
			;
		for (own_end = k.end; own_end < lo + near &&
		    strchr("\"'` \t", text[own_end]) == NULL; own_end++)
			;
		if (!k.identifiable && not_storage(text + own, own_end - own))
			continue;
		if (k.written == NULL)
			k.written = "";
		k.emulator = memcmp(text + k.start, emulator_key,
		    ACCTKEY_CHARS) == 0;
		account_of(text + lo, near, k.account, sizeof k.account);
		r = fn(user, &k);
		memset(k.bytes, 0, sizeof k.bytes);
		if (r != 0)
			return r;
	}
	return 0;
}
