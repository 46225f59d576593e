/*
 * anchor.c - the literal search for anchors (anchor.h).
 *
 * A place is worth a closer look when the folded bytes there are "sa",
 * or the bytes are "==". Both are rare in text; each one found is checked
 * whole before the search stops.
 */
#include <stdint.h>

#include "acctkey.h"
#include "anchor.h"
#include "gen.h"

#if defined(__SSE2__) && !defined(DIFF_NO_SIMD)
#include <emmintrin.h>
#define ANCHOR_SSE2 1
#if defined(__x86_64__) && defined(__GNUC__) && !defined(DIFF_NO_AVX2)
#include <immintrin.h>
#define ANCHOR_AVX2 1
#endif
#endif

/* Is s[i] an anchor? s[0..len) may be read. */
static int
anchor_at(const char *s, size_t i, size_t len)
{
	if (s[i] == '=')
		return acctkey_candidate_at(s, 0, i, len);
	return i + 2 < len && (s[i] | 0x20) == 's' &&
	    (s[i + 2] | 0x20) == 's' && gen_anchor_at(s, 0, i, len);
}

static int
maybe_at(const char *s, size_t i, size_t len)
{
	if (len - i < 2)
		return 0;
	if ((s[i] | 0x20) == '=' && (s[i + 1] | 0x20) == '=')
		return 1;
	return (s[i] | 0x20) == 's' && (s[i + 1] | 0x20) == 'a';
}

#ifdef ANCHOR_SSE2
/* Bit i set when p[i] may start an anchor: "sa" in any case, or "==";
 * reads p[0..17). The third byte of "sas" is checked one place at a time:
 * "sa" is rare enough (about one in 1,400 bytes of source). */
static uint32_t
maybe_mask16(const char *p)
{
	const __m128i fold = _mm_set1_epi8(0x20);
	__m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)
	    (const void *)p), fold);
	__m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)
	    (const void *)(p + 1)), fold);

	/* '=' is its own fold: one compare pair finds "==" as well. */
	return (uint32_t)_mm_movemask_epi8(_mm_or_si128(
	    _mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('s')),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8('a'))),
	    _mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('=')),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8('=')))));
}
#endif

#ifdef ANCHOR_AVX2
/* 0xff in each byte of p[0..32) that may start an anchor; reads p[0..33). */
static inline __m256i __attribute__((target("avx2"), always_inline))
maybe_vec32(const char *p)
{
	const __m256i fold = _mm256_set1_epi8(0x20);
	__m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)
	    (const void *)p), fold);
	__m256i b = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)
	    (const void *)(p + 1)), fold);

	/* '=' is its own fold: one compare pair finds "==" as well. */
	return _mm256_or_si256(
	    _mm256_and_si256(_mm256_cmpeq_epi8(a, _mm256_set1_epi8('s')),
	    _mm256_cmpeq_epi8(b, _mm256_set1_epi8('a'))),
	    _mm256_and_si256(_mm256_cmpeq_epi8(a, _mm256_set1_epi8('=')),
	    _mm256_cmpeq_epi8(b, _mm256_set1_epi8('='))));
}

/* 128 bytes a step, one test for all four vectors; stops at a block of
 * 128 with a place to check, whose places go to *bits (64 at a time:
 * the caller takes the second half from i + 64). */
static size_t __attribute__((target("avx2")))
maybe_find_avx2(const char *s, size_t i, size_t len, uint64_t *bits)
{
	for (; len - i >= 130; i += 128) {
		__m256i v0 = maybe_vec32(s + i), v1 = maybe_vec32(s + i + 32);
		__m256i v2 = maybe_vec32(s + i + 64), v3 = maybe_vec32(s + i +
		    96);

		if (_mm256_testz_si256(_mm256_or_si256(_mm256_or_si256(v0, v1),
		    _mm256_or_si256(v2, v3)), _mm256_set1_epi8(-1)))
			continue;
		bits[0] = (uint32_t)_mm256_movemask_epi8(v0) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(v1) << 32;
		bits[1] = (uint32_t)_mm256_movemask_epi8(v2) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(v3) << 32;
		return i;
	}
	bits[0] = bits[1] = 0;
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
	uint64_t two[2];
	int h;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") != 0;
	while (avx2 && len - i >= 130) {
		i = maybe_find_avx2(s, i, len, two);
		for (h = 0; h < 2; h++)
			for (bits = two[h]; bits != 0; bits &= bits - 1) {
				size_t at = i + 64 * (size_t)h +
				    (size_t)__builtin_ctzll(bits);

				if (anchor_at(s, at, len))
					return at;
			}
		if (len - i >= 130)
			i += 128;
	}
#endif
#ifdef ANCHOR_SSE2
	/* 16 bytes a step: a short line is not left to the loop below. */
	for (; len - i >= 17; i += 16)
		for (bits = maybe_mask16(s + i); bits != 0; bits &= bits - 1)
			if (anchor_at(s, i + (size_t)__builtin_ctzll(bits),
			    len))
				return i + (size_t)__builtin_ctzll(bits);
#endif
	for (; i < len; i++)
		if (maybe_at(s, i, len) && anchor_at(s, i, len))
			return i;
	return len;
}
