/*
 * marvin.c - Marvin32 (see marvin.h).
 */
#include "marvin.h"

static uint32_t
rotl(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void
marvin_block(uint32_t *p0, uint32_t *p1)
{
	*p1 ^= *p0;
	*p0 = rotl(*p0, 20);
	*p0 += *p1;
	*p1 = rotl(*p1, 9);
	*p1 ^= *p0;
	*p0 = rotl(*p0, 27);
	*p0 += *p1;
	*p1 = rotl(*p1, 19);
}

/* Little-endian whatever the machine: the checksum is defined on bytes. */
static uint32_t
word_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
marvin_hash64(const unsigned char *data, size_t len, uint64_t seed)
{
	uint32_t p0 = (uint32_t)seed, p1 = (uint32_t)(seed >> 32), tail;
	size_t i = 0, left;

	for (; len - i >= 4; i += 4) {
		p0 += word_at(data + i);
		marvin_block(&p0, &p1);
	}
	/* The 0..3 bytes left, then a 0x80 byte closing the input. */
	left = len - i;
	tail = (uint32_t)0x80 << (8 * left);
	while (left-- > 0)
		tail |= (uint32_t)data[i + left] << (8 * left);
	p0 += tail;
	marvin_block(&p0, &p1);
	marvin_block(&p0, &p1);
	return (uint64_t)p1 << 32 | p0;
}

uint32_t
marvin_hash32(const unsigned char *data, size_t len, uint64_t seed)
{
	uint64_t h = marvin_hash64(data, len, seed);

	return (uint32_t)h ^ (uint32_t)(h >> 32);
}
