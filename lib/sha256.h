/*
 * sha256.h - SHA-256 as FIPS 180-4 defines it, our own small one.
 *
 * sasguard hashes each decoded SAS signature to name a token without
 * revealing it (see allow.h, fingerprints). Checked against the NIST test
 * vectors in tests/unit/sha256.c.
 */
#ifndef SASGUARD_SHA256_H
#define SASGUARD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;		/* message length so far */
	unsigned char block[64];
	size_t fill;		/* bytes waiting in block */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_SIZE]);

/* All three at once. */
void sha256_digest(const void *data, size_t len,
    unsigned char out[SHA256_SIZE]);

#endif
