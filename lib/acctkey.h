/*
 * acctkey.h - Azure Storage account keys in a piece of text.
 *
 * A storage account key is 64 bytes, written as 88 base64 characters of
 * which the last two are "==". It signs every SAS of its account, never
 * expires, and is revoked only by rotating it, so finding one written
 * down matters more than finding any token.
 *
 * A candidate is exactly 86 characters of [A-Za-z0-9+/] and "==", with no
 * base64 character (nor '=') on either side, whose 86th character is one
 * of A Q g w (a canonical encoding of 64 bytes). It is a key when
 *   - it is *identifiable*: characters 76-79 are "+ASt" and bytes 60-63
 *     hold the little-endian Marvin32 checksum (marvin.h) of bytes 0-59
 *     under the storage seed, wherever it stands (a string of that shape
 *     whose checksum is wrong is not a key); or
 *   - the text just before it on the line says it is a storage key:
 *     AccountKey= (a connection string), --account-key, account_key,
 *     accountKey, StorageAccountKey, AZURE_STORAGE_KEY, access_key,
 *     StorageSharedKeyCredential(name, key) - names compared without case,
 *     '_' or '-'.
 * Not a key: the storage emulator's published key (flagged, see
 * `emulator`), placeholders (fewer than 20 distinct characters, a run of
 * six of one character or eight of the alphabet in order), a line that
 * names Cosmos DB or Batch (their keys have the same shape).
 *
 * All text is (ptr, len); nothing needs to end in NUL.
 */
#ifndef SASGUARD_ACCTKEY_H
#define SASGUARD_ACCTKEY_H

#include <stddef.h>
#include <stdint.h>

#define ACCTKEY_BYTES 64
#define ACCTKEY_CHARS 88
#define ACCTKEY_NAME_MAX 64
/* Marvin32 seed of identifiable storage keys: "Default0" as a number. */
#define ACCTKEY_SEED 0x44656661756c7430ULL
#define ACCTKEY_SIGNATURE "+ASt"
#define ACCTKEY_SIGNATURE_AT 76

struct acctkey {
	size_t start, end;	/* the 88 characters in the scanned text */
	int identifiable;	/* "+ASt" and a valid checksum */
	int emulator;		/* the emulator's public key: harmless */
	const char *written;	/* how the text named it: "AccountKey=",
				 * "--account-key", ...; "" for a bare
				 * identifiable key */
	char account[ACCTKEY_NAME_MAX];	/* from the line; "" when unknown */
	/* The decoded key. A secret: never print it nor any encoding of
	 * it; hash it. */
	unsigned char bytes[ACCTKEY_BYTES];
};

typedef int (*acctkey_fn)(void *user, const struct acctkey *key);

/* Calls fn for each key in text[0..len), in order (emulator keys too,
 * flagged). Returns 0 or fn's non-zero return. */
int acctkey_scan(const char *text, size_t len, acctkey_fn fn, void *user);

/* 1 when text[at..at+2) is "==" closing a candidate: 86 base64
 * characters from text[lo..at) and nothing base64 after. The anchor
 * (anchor.h) asks this of each "==". */
int acctkey_candidate_at(const char *text, size_t lo, size_t at,
    size_t len);

/* 88 characters to 64 bytes: 0, or -1 when they are not a canonical
 * encoding of 64 bytes. */
int acctkey_decode(const char *s, unsigned char out[ACCTKEY_BYTES]);

/* 1 when bytes 60-63 are the Marvin32 checksum of bytes 0-59. */
int acctkey_checksum_ok(const unsigned char key[ACCTKEY_BYTES]);

/* Sets bytes 60-63 to that checksum (tests build keys with it). */
void acctkey_checksum_set(unsigned char key[ACCTKEY_BYTES]);

/* The fingerprint (allow.h) of a key: SHA-256 of its 64 bytes, first 8
 * bytes. And its name in Azure Storage's logs: "key1(HEX) or key2(HEX)",
 * HEX the upper-case SHA-256 of the bytes (the log says which of the two
 * account keys signed; the key alone cannot). */
uint64_t acctkey_fingerprint(const unsigned char key[ACCTKEY_BYTES]);
#define ACCTKEY_LOG_HASH_BUFSIZE (2 * (5 + 64 + 1) + 4 + 1)
char *acctkey_log_hash(const unsigned char key[ACCTKEY_BYTES],
    char buf[ACCTKEY_LOG_HASH_BUFSIZE]);

#endif
