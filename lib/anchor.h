/*
 * anchor.h - where a line may hold code that makes a SAS (gen.h) or a
 * storage account key (acctkey.h): the literal search that keeps those
 * readers off every other line.
 *
 * Every anchor of gen.c's table holds "sas" in some case (generate-sas,
 * New-AzStorageAccountSASToken, listAccountSas, BlobSasBuilder,
 * sas.BlobSignatureValues, ...), and every key ends in "==" after 86
 * base64 characters. A place may start an anchor only where the folded
 * bytes are "sas" or the bytes are "==" (the pair test below, 16 or 32
 * places at a time); anchor_at() then asks gen_anchor_at() and
 * acctkey_candidate_at() about it, so that only a real anchor stops a
 * search: most text has none.
 *
 * The pair test is here, and used twice: by anchor_find(), and inside
 * diff.c's hint loop, which tests the same vectors it loads for hints
 * (one pass over the diff, not two).
 */
#ifndef SASGUARD_ANCHOR_H
#define SASGUARD_ANCHOR_H

#include <stddef.h>

/* The first i in [from, len) where an anchor is, or len. The text
 * before from (down to s[0]) may be read to check an anchor whole. */
size_t anchor_find(const char *s, size_t from, size_t len);

/* Is there an anchor at s[i]? s[0..len) may be read. Any i may be
 * asked; the pair test only saves asking where there can be none. */
int anchor_at(const char *s, size_t i, size_t len);

/* The pair test one place at a time: may s[i] start an anchor? Cheap
 * enough to ask of every byte before anchor_at(). */
static inline int
anchor_maybe(const char *s, size_t i, size_t len)
{
	if (s[i] == '=')
		return i + 1 < len && s[i + 1] == '=';
	return (s[i] | 0x20) == 's' && i + 2 < len && (s[i + 1] | 0x20) ==
	    'a' && (s[i + 2] | 0x20) == 's';
}

#if defined(__SSE2__) && !defined(DIFF_NO_SIMD)
#include <emmintrin.h>
#define ANCHOR_SSE2 1
/*
 * 0xff in each byte i of a where a[i] may start an anchor, given b and c,
 * the same bytes one and two places on: a, b, c folded (| 0x20) "sas",
 * or a, b "==" ('=' is its own fold). "sa" alone is common (one byte in
 * 1,200 of real source), "sas" about one in 200,000.
 */
static inline __m128i
anchor_pair16(__m128i fa, __m128i fb, __m128i fc, __m128i a, __m128i b)
{
	const __m128i s = _mm_set1_epi8('s'), eq = _mm_set1_epi8('=');

	return _mm_or_si128(_mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(fa, s),
	    _mm_cmpeq_epi8(fc, s)), _mm_cmpeq_epi8(fb, _mm_set1_epi8('a'))),
	    _mm_and_si128(_mm_cmpeq_epi8(a, eq), _mm_cmpeq_epi8(b, eq)));
}

/*
 * The pair test from masks of single bytes, for 64 places at once: bit i
 * of s, a, e says byte i is 's' or 'S', 'a' or 'A', '=' (or a byte that
 * folds to it: the test only needs to let every anchor through); ns, na,
 * ne the same of the 64 bytes after. Bit i of the result is set where
 * byte i may start an anchor. Three compares a vector instead of a pair
 * of vectors per byte and ten: the AVX2 search (diff.c) runs it on every
 * block of the diff.
 */
static inline uint64_t
anchor_pairs64(uint64_t s, uint64_t a, uint64_t e, uint64_t ns, uint64_t na,
    uint64_t ne)
{
	return (s & (a >> 1 | na << 63) & (s >> 2 | ns << 62)) |
	    (e & (e >> 1 | ne << 63));
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(DIFF_NO_AVX2)
#include <immintrin.h>
#define ANCHOR_AVX2 1
/* 0xff in each byte i of the 32 at p where p[i] may start an anchor:
 * anchor_pair16()'s test, 32 places at a time. Reads p[0..34). */
static inline __m256i __attribute__((target("avx2"), always_inline))
anchor_pair32(const char *p)
{
	const __m256i fold = _mm256_set1_epi8(0x20);
	const __m256i s = _mm256_set1_epi8('s'), eq = _mm256_set1_epi8('=');
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
	__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(p + 2));

	return _mm256_or_si256(_mm256_and_si256(_mm256_and_si256(
	    _mm256_cmpeq_epi8(_mm256_or_si256(a, fold), s),
	    _mm256_cmpeq_epi8(_mm256_or_si256(c, fold), s)),
	    _mm256_cmpeq_epi8(_mm256_or_si256(b, fold),
	    _mm256_set1_epi8('a'))),
	    _mm256_and_si256(_mm256_cmpeq_epi8(a, eq), _mm256_cmpeq_epi8(b,
	    eq)));
}

/* The masks anchor_pairs64() takes, of the 32 bytes v, into bits [at,
 * at + 32) of *s, *a, *e. */
static inline void __attribute__((target("avx2"), always_inline))
anchor_bytes32(__m256i v, int at, uint64_t *s, uint64_t *a, uint64_t *e)
{
	__m256i f = _mm256_or_si256(v, _mm256_set1_epi8(0x20));

	*s |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(f,
	    _mm256_set1_epi8('s'))) << at;
	*a |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(f,
	    _mm256_set1_epi8('a'))) << at;
	*e |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(f,
	    _mm256_set1_epi8('='))) << at;
}
#endif
#endif

#endif
