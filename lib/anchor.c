/*
 * anchor.c - the literal search for anchors (anchor.h).
 *
 * A place is worth a closer look when the folded bytes there are "sas",
 * or the bytes are "==" (anchor.h's pair test). Both are rare in text;
 * each one found is checked whole before the search stops.
 */
#include <stdint.h>

#include "acctkey.h"
#include "anchor.h"
#include "gen.h"

int
anchor_at(const char *s, size_t i, size_t len)
{
	if (s[i] == '=')
		return acctkey_candidate_at(s, 0, i, len);
	return i + 2 < len && (s[i] | 0x20) == 's' &&
	    (s[i + 2] | 0x20) == 's' && gen_anchor_at(s, 0, i, len);
}

#ifdef ANCHOR_SSE2
/* Bit i set when p[i] may start an anchor; reads p[0..18). */
static uint32_t
maybe_mask16(const char *p)
{
	const __m128i fold = _mm_set1_epi8(0x20);
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));

	return (uint32_t)_mm_movemask_epi8(anchor_pair16(_mm_or_si128(a,
	    fold), _mm_or_si128(b, fold), _mm_or_si128(c, fold), a, b));
}
#endif

#ifdef ANCHOR_AVX2
/* anchor_pairs64()'s masks of the 64 bytes at p. */
static inline void __attribute__((target("avx2"), always_inline))
bytes64(const char *p, uint64_t *s, uint64_t *a, uint64_t *e)
{
	*s = *a = *e = 0;
	anchor_bytes32(_mm256_loadu_si256((const __m256i *)(const void *)p), 0,
	    s, a, e);
	anchor_bytes32(_mm256_loadu_si256((const __m256i *)(const void *)
	    (p + 32)), 32, s, a, e);
}

/* 64 bytes a step, each block's masks made once; stops at a block with
 * a place to check, whose places go to *bits (0: none to the end). */
static size_t __attribute__((target("avx2")))
maybe_find_avx2(const char *s, size_t i, size_t len, uint64_t *bits)
{
	uint64_t cs, ca, ce, ns, na, ne;

	*bits = 0;
	if (len - i < 128)
		return i;
	bytes64(s + i, &cs, &ca, &ce);
	for (; len - i >= 128; i += 64) {
		bytes64(s + i + 64, &ns, &na, &ne);
		if ((*bits = anchor_pairs64(cs, ca, ce, ns, na, ne)) != 0)
			return i;
		cs = ns;
		ca = na;
		ce = ne;
	}
	return i;
}
#endif

size_t
anchor_find(const char *s, size_t from, size_t len)
{
	size_t i = from;
	uint64_t bits;

#ifdef ANCHOR_AVX2
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") != 0;
	while (avx2 && len - i >= 128) {
		i = maybe_find_avx2(s, i, len, &bits);
		if (bits == 0)
			break;
		for (; bits != 0; bits &= bits - 1)
			if (anchor_at(s, i + (size_t)__builtin_ctzll(bits), len))
				return i + (size_t)__builtin_ctzll(bits);
		i += 64;
	}
#endif
#ifdef ANCHOR_SSE2
	/* 16 bytes a step: a short line is not left to the loop below. */
	for (; len - i >= 18; i += 16)
		for (bits = maybe_mask16(s + i); bits != 0; bits &= bits - 1)
			if (anchor_at(s, i + (size_t)__builtin_ctzll(bits),
			    len))
				return i + (size_t)__builtin_ctzll(bits);
#endif
	for (; i < len; i++)
		if (anchor_maybe(s, i, len) && anchor_at(s, i, len))
			return i;
	return len;
}
