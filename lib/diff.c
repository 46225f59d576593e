/*
 * diff.c - a streaming reader for the unified diffs git prints.
 *
 * The reader sees every line once, keeps only the state a diff needs
 * (current commit, path, how many lines the open hunk still owes on each
 * side, where the current run of added lines starts) and hands on the
 * added lines that may matter (see diff.h). It never holds more than one
 * buffer: a line longer than DIFF_WINDOW goes out in overlapping windows,
 * and the last DIFF_HISTORY bytes read stay in front of the next read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchor.h"
#include "diff.h"

/* anchor.h brings the intrinsics: its pair test and the hints are tested
 * on the same vectors. */
#ifdef ANCHOR_SSE2
#define DIFF_SSE2 1
#endif
#ifdef ANCHOR_AVX2
#define DIFF_AVX2 1
#endif

/*
 * The buffer is read a block at a time past its last byte: a block's
 * masks read 66 bytes from any place up to the last byte (body_marks() on
 * an empty last line), so this much slack, zeroed once, keeps those reads
 * inside the allocation and defined.
 */
#define BUF_SLACK 128

#define NOT_ADDED (-1)
#define NOT_HUNK (-2)

/* Where bytes come from: a file descriptor or a buffer in memory. */
struct source {
	int fd;
	const char *mem;
	size_t memlen, mempos;
};

/* A line in progress, when it is longer than one window. */
struct piece {
	const char *p;
	size_t len;
	int last;
};

static int
has_prefix(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(p, prefix, k) == 0;
}

static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
};

/* How many hex digits p[0..n) starts with, at most cap: an object id. A
 * table, since every commit and index line of a log has one of 40. */
static size_t
hex_span(const char *p, size_t n, size_t cap)
{
	size_t k = 0;

	if (n > cap)
		n = cap;
	while (k < n && hex_digit[(unsigned char)p[k]])
		k++;
	return k;
}

/* Copies p[0..n) into dst as a C string, truncating to fit. */
static void
copy_str(char *dst, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/*
 * Undoes git's quoting of a path ("a\303\251\tb") into dst. Returns the
 * number of bytes of p used, so the caller can see what follows.
 */
static size_t
unquote_path(char *dst, size_t cap, const char *p, size_t n)
{
	size_t i = 1, o = 0;

	while (i < n && p[i] != '"') {
		int c = (unsigned char)p[i++];

		if (c == '\\' && i < n) {
			c = (unsigned char)p[i++];
			switch (c) {
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			default:
				if (c >= '0' && c <= '7') {
					int v = c - '0', k;

					for (k = 0; k < 2 && i < n &&
					    p[i] >= '0' && p[i] <= '7'; k++)
						v = v * 8 + (p[i++] - '0');
					c = v & 0xff;
				}
			}
		}
		if (o + 1 < cap)
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return i < n ? i + 1 : i;
}

/*
 * Reads the path of a "+++ ", "rename to " or similar header. git ends an
 * unquoted path that holds a space with a TAB; other diff tools put a
 * date after a TAB. Either way the path stops at the TAB.
 */
static void
header_path(char *dst, size_t cap, const char *p, size_t n)
{
	const char *tab;

	if (n > 0 && p[0] == '"') {
		unquote_path(dst, cap, p, n);
		return;
	}
	if ((tab = memchr(p, '\t', n)) != NULL)
		n = (size_t)(tab - p);
	copy_str(dst, cap, p, n);
}

/*
 * A header that opens a file or a commit: nothing of the file before it
 * holds. The one place that forgets a file ("+++ /dev/null" included),
 * so that no header can leave a deleted file's flag behind it.
 */
static void
file_reset(struct diff *d)
{
	d->path[0] = '\0';
	d->dev_null = 0;
	d->after_minus = 0;
	d->prefixed = -1;
}

static void
strip_b_prefix(struct diff *d)
{
	if (d->prefixed && strncmp(d->path, "b/", 2) == 0)
		memmove(d->path, d->path + 2, strlen(d->path + 2) + 1);
}

/*
 * "diff --git a/P b/P": the path for a file with no "+++" line (binary,
 * mode change, pure rename). Tells whether the diff uses a/ b/ prefixes.
 */
static void
header_diff_git(struct diff *d, const char *p, size_t n)
{
	size_t half;

	d->seen++;
	file_reset(d);
	d->prefixed = 0;
	if (n > 0 && p[0] == '"') {
		size_t used = unquote_path(d->path, sizeof d->path, p, n);

		d->prefixed = strncmp(d->path, "a/", 2) == 0;
		p += used;
		n -= used;
		while (n > 0 && *p == ' ')
			p++, n--;
		if (n > 0 && p[0] == '"')
			unquote_path(d->path, sizeof d->path, p, n);
		else
			copy_str(d->path, sizeof d->path, p, n);
		strip_b_prefix(d);
		return;
	}
	if (has_prefix(p, n, "a/") && n >= 5 && (n - 5) % 2 == 0) {
		half = (n - 5) / 2;
		if (memcmp(p + 2 + half, " b/", 3) == 0 &&
		    memcmp(p + 2, p + 5 + half, half) == 0) {
			d->prefixed = 1;
			copy_str(d->path, sizeof d->path, p + 2, half);
			return;
		}
	}
	if (n % 2 == 1) {
		half = (n - 1) / 2;
		if (p[half] == ' ' && memcmp(p, p + half + 1, half) == 0) {
			copy_str(d->path, sizeof d->path, p, half);
			return;
		}
	}
	/* A rename: the new name follows the last " b/". */
	for (half = n; half >= 3; half--) {
		if (memcmp(p + half - 3, " b/", 3) == 0) {
			d->prefixed = has_prefix(p, n, "a/");
			copy_str(d->path, sizeof d->path, p + half, n - half);
			return;
		}
	}
	d->prefixed = -1;
}

static inline long
parse_num(const char **pp, const char *end, int *ok)
{
	const char *p = *pp;
	long v = 0;

	if (p >= end || (unsigned)(*p - '0') > 9) {
		*ok = 0;
		return 0;
	}
	for (; p < end && (unsigned)(*p - '0') <= 9; p++)
		if (v < 1000000000L)
			v = v * 10 + (*p - '0');
	*pp = p;
	return v;
}

/* Reads "start[,count]"; count is 1 when left out, as in GNU diff. */
static void
parse_range(const char **pp, const char *end, long *start, long *count,
    int *ok)
{
	*start = parse_num(pp, end, ok);
	*count = 1;
	if (*pp < end && **pp == ',') {
		(*pp)++;
		*count = parse_num(pp, end, ok);
	}
}

/*
 * "@@ -a,b +c,d @@" or, for a merge with k parents, k+1 '@'s and k old
 * ranges. Returns 0 when the line is a hunk header.
 */
static int
header_hunk(struct diff *d, const char *p, size_t n)
{
	const char *end = p + n, *q = p;
	long start, count;
	int ats = 0, i, ok = 1;

	while (q < end && *q == '@')
		q++, ats++;
	if (ats < 2 || ats - 1 > (int)(sizeof d->old_left /
	    sizeof d->old_left[0]))
		return -1;
	d->parents = ats - 1;
	for (i = 0; i < d->parents; i++) {
		if (end - q < 2 || q[0] != ' ' || q[1] != '-')
			return -1;
		q += 2;
		parse_range(&q, end, &start, &count, &ok);
		d->old_left[i] = count;
	}
	if (end - q < 2 || q[0] != ' ' || q[1] != '+')
		return -1;
	q += 2;
	parse_range(&q, end, &start, &count, &ok);
	if (!ok)
		return -1;
	d->new_left = count;
	d->lineno = start;
	d->in_hunk = 1;
	return 0;
}

static int
hunk_done(const struct diff *d)
{
	int i;

	if (d->new_left > 0)
		return 0;
	for (i = 0; i < d->parents; i++)
		if (d->old_left[i] > 0)
			return 0;
	return 1;
}

/*
 * One line inside a hunk. Each of the first `parents` columns says, for
 * one parent, whether the line is there (' '), only there ('-'), or new
 * ('+'). A line is in the result unless a column says '-', and added when
 * every column says '+': no parent has it. In a merge's combined diff a
 * line that one parent has was added by the commit that brought it there
 * (scanned there, or already in the repository), and saying it again
 * would block a merge for a token it does not add; it is context, which
 * completes a token split over lines. Returns the number of prefix bytes
 * to skip when the line is added, NOT_ADDED, or NOT_HUNK when the line
 * cannot belong to a hunk (the counts lied).
 */
static int
hunk_line(struct diff *d, const char *p, size_t n)
{
	int i, minus = 0, plus = 0;

	if (n > 0 && p[0] == '\\')	/* "\ No newline at end of file" */
		return NOT_ADDED;
	if (n == 0) {
		/* Context whose lone space an editor or mailer ate. */
		minus = plus = 0;
	} else {
		if (n < (size_t)d->parents)
			return NOT_HUNK;
		for (i = 0; i < d->parents; i++) {
			if (p[i] == '-')
				minus = 1;
			else if (p[i] == '+')
				plus++;
			else if (p[i] != ' ')
				return NOT_HUNK;
		}
	}
	d->is_context = !minus && plus < d->parents;
	for (i = 0; i < d->parents; i++)
		if (n == 0 || p[i] != '+')
			d->old_left[i]--;
	if (!minus) {
		d->cur_lineno = d->lineno++;
		d->new_left--;
	}
	if (hunk_done(d))
		d->in_hunk = 0;
	return !minus && plus == d->parents ? d->parents : NOT_ADDED;
}

/* "commit <hex>..." (git log) or "From <hex> Mon Sep 17 ..." (mbox). */
static int
header_commit(struct diff *d, const char *p, size_t n)
{
	size_t k = hex_span(p, n, DIFF_COMMIT_MAX - 1);

	if (k < 7 || (k < n && p[k] != ' ' && p[k] != '\t' && p[k] != '\r'))
		return -1;
	file_reset(d);
	copy_str(d->commit, sizeof d->commit, p, k);
	d->seen++;
	return 0;
}

/* "index <old>..<new> <mode>" (or "<old>,<old>..<new>" for a merge):
 * the new blob's id, which --full-index prints whole. */
static void
header_index(struct diff *d, const char *p, size_t n)
{
	const char *dots = p, *end = p + n;
	size_t k = 0;

	/* The first "..": the ids before it are hex, never a '.'. */
	while ((dots = memchr(dots, '.', (size_t)(end - dots))) != NULL &&
	    dots + 1 < end && dots[1] != '.')
		dots++;
	if (dots != NULL && dots + 1 < end) {
		dots += 2;
		k = hex_span(dots, (size_t)(end - dots), sizeof d->blob - 1);
		memcpy(d->blob, dots, k);
	}
	d->blob[k] = '\0';
}

/* A line outside any hunk. Returns what hunk_line() returns. */
static int
header_line(struct diff *d, const char *p, size_t n)
{
	int was_minus = d->after_minus;

	d->after_minus = 0;
	d->cur_lineno = 0;
	if (n == 0)
		return NOT_ADDED;
	switch (p[0]) {
	case '@':
		header_hunk(d, p, n);
		d->seen += d->in_hunk;
		if (d->in_hunk && hunk_done(d))
			d->in_hunk = 0;
		return NOT_ADDED;
	case '\033':
		/* Colour: git never writes ESC at a line's start otherwise. */
		d->coloured++;
		return NOT_ADDED;
	case '+':
		if (was_minus && has_prefix(p, n, "+++ ")) {
			if (has_prefix(p + 4, n - 4, "/dev/null")) {
				d->dev_null = 1;
				return NOT_ADDED;
			}
			d->dev_null = 0;
			d->seen++;
			header_path(d->path, sizeof d->path, p + 4, n - 4);
			if (d->prefixed < 0 && d->minus_a)
				d->prefixed = 1;
			strip_b_prefix(d);
			return NOT_ADDED;
		}
		/* Added text where no hunk is open: scan it anyway. */
		return 1;
	case '-':
		if (has_prefix(p, n, "--- ")) {
			d->after_minus = 1;
			d->minus_a = has_prefix(p + 4, n - 4, "a/") ||
			    has_prefix(p + 4, n - 4, "\"a/") ||
			    has_prefix(p + 4, n - 4, "/dev/null");
		}
		return NOT_ADDED;
	case 'i':
		if (has_prefix(p, n, "index "))
			header_index(d, p + 6, n - 6);
		return NOT_ADDED;
	case 'B':
		/* A deleted file's new id is all zeros. */
		if (d->binary != NULL && has_prefix(p, n, "Binary files ") &&
		    d->blob[strspn(d->blob, "0")] != '\0')
			d->binary(d->binary_user, d->commit, d->path, d->blob);
		return NOT_ADDED;
	case 'd':
		d->blob[0] = '\0';
		if (has_prefix(p, n, "diff --git "))
			header_diff_git(d, p + 11, n - 11);
		else if (has_prefix(p, n, "diff --cc ") ||
		    has_prefix(p, n, "diff --combined ")) {
			const char *sp = memchr(p + 5, ' ', n - 5);

			file_reset(d);
			header_path(d->path, sizeof d->path, sp + 1,
			    n - (size_t)(sp + 1 - p));
		}
		return NOT_ADDED;
	case 'r':
		if (has_prefix(p, n, "rename to "))
			header_path(d->path, sizeof d->path, p + 10, n - 10);
		return NOT_ADDED;
	case 'c':
		if (has_prefix(p, n, "copy to "))
			header_path(d->path, sizeof d->path, p + 8, n - 8);
		else if (has_prefix(p, n, "commit "))
			header_commit(d, p + 7, n - 7);
		return NOT_ADDED;
	case 'F':
		if (has_prefix(p, n, "From "))
			header_commit(d, p + 5, n - 5);
		return NOT_ADDED;
	default:
		return NOT_ADDED;
	}
}

/* Classifies the start of a line; returns the prefix length to skip when
 * the line is added, NOT_ADDED otherwise. */
static int
line_classify(struct diff *d, const char *p, size_t n)
{
	d->lines++;
	d->body = 1;
	if (d->in_hunk) {
		int r = hunk_line(d, p, n);

		if (r != NOT_HUNK)
			return r;
		d->in_hunk = 0;
	}
	d->body = 0;
	return header_line(d, p, n);
}

/*
 * Hints: the bytes without which no token can be written in a form the
 * engine reads. sas.c reads each character of "sig=" plain, percent-
 * encoded (%67, %2567, ...) or as \u0067, so its 'g' ends in 'g', 'G' or
 * '7', and its '=' starts with '=', '%', '\' or '&' (&#61;, &equals;).
 * A 'g' written as an entity (&#103;, &#x67;) brings its own "&#", so
 * what follows an entity's ';' need not be a hint. Beside those: a map of
 * parameters names its key "sig" with a quote, ':' or a blank after it
 * ('sig': ..., sig: ..., sig = ...); HTML writes any character as "&#"
 * (decode.h); base64 writes "sig=" as one of three fixed strings, of
 * which c2l, NpZ and aWc are the starts. A line without any of these
 * holds no token; one with one may ("msg=" is one too: the engine then
 * looks closer).
 */
static int
hint_at(const char *p, size_t left)
{
	if (left < 2)
		return 0;
	if (((p[0] | 0x20) == 'g' || p[0] == '7') && strchr("=%\\&",
	    p[1]) != NULL && p[1] != '\0')
		return 1;
	if ((p[0] == '&' && p[1] == '#') || (p[0] == '2' && p[1] == 'l') ||
	    (p[0] == 'p' && p[1] == 'Z') || (p[0] == 'W' && p[1] == 'c'))
		return 1;
	return left >= 3 && (p[0] | 0x20) == 'i' && (p[1] | 0x20) == 'g' &&
	    (p[2] == '"' || p[2] == '\'' || p[2] == ':' || p[2] == ' ');
}

#ifdef DIFF_SSE2
static __m128i
eq8(__m128i v, char c)
{
	return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

/* The 64 bytes at p, as four vectors. */
static void
load16x4(const char *p, __m128i v[4])
{
	int j;

	for (j = 0; j < 4; j++)
		v[j] = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + 16 * j));
}

/* Bit i set where byte i of the 64 in v is c. */
static uint64_t
eq16x4(const __m128i *v, char c)
{
	return (uint16_t)_mm_movemask_epi8(eq8(v[0], c)) |
	    (uint64_t)(uint16_t)_mm_movemask_epi8(eq8(v[1], c)) << 16 |
	    (uint64_t)(uint16_t)_mm_movemask_epi8(eq8(v[2], c)) << 32 |
	    (uint64_t)(uint16_t)_mm_movemask_epi8(eq8(v[3], c)) << 48;
}

/* Bit i set when p[i] starts a hint; reads p[0..18). In *anc, bit i set
 * when p[i] may start an anchor (anchor.h's pair test). */
static inline uint64_t
hint_mask(const char *p, uint64_t *anc)
{
	__m128i a, b, c, fa, fb, h, m;

	a = _mm_loadu_si128((const __m128i *)(const void *)p);
	b = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	c = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
	fa = _mm_or_si128(a, _mm_set1_epi8(0x20));
	fb = _mm_or_si128(b, _mm_set1_epi8(0x20));
	*anc = (uint16_t)_mm_movemask_epi8(anchor_pair16(fa, fb,
	    _mm_or_si128(c, _mm_set1_epi8(0x20)), a, b));
	/* g, G or 7, then = % \ (or ; & of an entity) */
	m = _mm_or_si128(_mm_or_si128(eq8(b, '='), eq8(b, '%')),
	    _mm_or_si128(eq8(b, '\\'), eq8(b, '&')));
	h = _mm_and_si128(_mm_or_si128(eq8(fa, 'g'), eq8(a, '7')), m);
	/* ig then a quote, ':' or a blank */
	m = _mm_or_si128(_mm_or_si128(eq8(c, '"'), eq8(c, '\'')),
	    _mm_or_si128(eq8(c, ':'), eq8(c, ' ')));
	h = _mm_or_si128(h, _mm_and_si128(_mm_and_si128(eq8(fa, 'i'),
	    eq8(fb, 'g')), m));
	/* &#, and 2l pZ Wc of base64's c2ln, NpZz, aWc9 */
	h = _mm_or_si128(h, _mm_or_si128(
	    _mm_or_si128(_mm_and_si128(eq8(a, '&'), eq8(b, '#')),
	    _mm_and_si128(eq8(a, '2'), eq8(b, 'l'))),
	    _mm_or_si128(_mm_and_si128(eq8(a, 'p'), eq8(b, 'Z')),
	    _mm_and_si128(eq8(a, 'W'), eq8(b, 'c')))));
	return (uint16_t)_mm_movemask_epi8(h);
}
#endif

#ifdef DIFF_AVX2
/*
 * The same hints, 32 bytes at a time, where the processor has AVX2. Each
 * byte is put in classes by two table lookups (one per nibble, the
 * classes a byte is in are those both its nibbles are in), and a hint is
 * a byte and the next one that share a class:
 *
 *   class  first byte   next byte
 *   0-2    g G 7        =  /  % &  /  \
 *   3      &            #
 *   4-6    2 p W        l Z c    (base64's c2l, NpZ, aWc)
 *   7      i I          g G      (then a quote, ':' or a blank)
 *
 * Exactly hint_at()'s hints, as the SSE2 loop's: which loop answers for
 * a place depends on where a search starts and how much of the buffer is
 * left, and a line must get the same answer from each ("g;", which these
 * tables once let through, made a line a candidate or not by where the
 * buffer ended).
 */
#define NIB(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

static inline __m256i __attribute__((target("avx2"), always_inline))
classes(__m256i v, __m256i lo, __m256i hi)
{
	__m256i f = _mm256_set1_epi8(0x0f);

	return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, f)),
	    _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4),
	    f)));
}

static inline __m256i __attribute__((target("avx2"), always_inline))
eq32(__m256i v, char c)
{
	return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
}

/*
 * The classes each pair p[i], p[i + 1] shares (bit 7: "i" then "g", which
 * is only a hint with a quote, ':' or a blank after it; see hint_bits32).
 * Reads p[0..33).
 */
static inline __m256i __attribute__((target("avx2"), always_inline))
hint_pairs32(const char *p)
{
	const __m256i lo1 = NIB(0x20, 0, 0x10, 0, 0, 0, 0x08, 0x47, 0, 0x80,
	    0, 0, 0, 0, 0, 0);
	const __m256i hi1 = NIB(0, 0, 0x08, 0x17, 0x87, 0x40, 0x87, 0x20,
	    0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i lo2 = NIB(0, 0, 0, 0x48, 0, 0x02, 0x02, (char)0x80, 0,
	    0, 0x20, 0, 0x14, 0x01, 0, 0);
	const __m256i hi2 = NIB(0, 0, 0x0a, 0x01, (char)0x80, 0x24,
	    (char)0xd0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	__m256i a, b;

	a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
	return _mm256_and_si256(classes(a, lo1, hi1), classes(b, lo2, hi2));
}

/* Bit i set when p[i] starts a hint, given r = hint_pairs32(p). */
static inline uint32_t __attribute__((target("avx2"), always_inline))
hint_bits32(const char *p, __m256i r)
{
	__m256i c, q;
	uint32_t low, ig;

	low = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
	    _mm256_and_si256(r, _mm256_set1_epi8(0x7f)),
	    _mm256_setzero_si256()));
	if ((ig = (uint32_t)_mm256_movemask_epi8(r)) == 0)
		return low;
	c = _mm256_loadu_si256((const __m256i *)(const void *)(p + 2));
	q = _mm256_or_si256(_mm256_or_si256(eq32(c, '"'), eq32(c, '\'')),
	    _mm256_or_si256(eq32(c, ':'), eq32(c, ' ')));
	return low | (ig & (uint32_t)_mm256_movemask_epi8(q));
}

#endif

#ifdef DIFF_AVX2
/* Whether to take the AVX2 paths: asked of the processor once. */
static int
use_avx2(void)
{
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") != 0;
	return avx2;
}
#endif

/* What stopped a search (find_stop): a hint, or an anchor. */
enum { STOP_HINT = 1, STOP_ANCHOR = 2 };

/*
 * The first place in the block of 64 at s[i] that stops a search: a hint
 * (bit in hb) or an anchor (one of the places in ab that anchor_at()
 * confirms), into *at. Returns which, or 0 for none. With marks 0, hints
 * alone stop it.
 */
static inline int
block_stop(const char *s, size_t i, size_t len, uint64_t hb, uint64_t ab,
    int marks, size_t *at)
{
	if (marks) {
		/* Only the places before the first hint are worth asking. */
		if (hb != 0)
			ab &= (hb & -hb) - 1;
		for (; ab != 0; ab &= ab - 1)
			if (anchor_at(s, i + (size_t)__builtin_ctzll(ab), len)) {
				*at = i + (size_t)__builtin_ctzll(ab);
				return STOP_ANCHOR;
			}
	}
	if (hb == 0)
		return 0;
	*at = i + (size_t)__builtin_ctzll(hb);
	return STOP_HINT;
}

#ifdef DIFF_AVX2
/* anchor_pairs64()'s masks of the 64 bytes at p (anchor.h). */
static inline void __attribute__((target("avx2"), always_inline))
anchor_bytes64(const char *p, uint64_t *s, uint64_t *a, uint64_t *e)
{
	*s = *a = *e = 0;
	anchor_bytes32(_mm256_loadu_si256((const __m256i *)(const void *)p), 0,
	    s, a, e);
	anchor_bytes32(_mm256_loadu_si256((const __m256i *)(const void *)
	    (p + 32)), 32, s, a, e);
}

/*
 * 64 bytes a step: hints and, with marks, anchors, whose masks for a block
 * are made once (they are the next block's when they are made). Most
 * blocks hold no pair of either: one test says so. Stops where find_stop
 * would have under 66 bytes left, as hint_find always did: near len the
 * SSE2 and byte-at-a-time hints differ ("g;" is one here only), and a
 * line must get the same answer wherever a search of it starts.
 */
static size_t __attribute__((target("avx2")))
find_avx2(const char *s, size_t i, size_t len, int marks, int *kind)
{
	uint64_t cs = 0, ca = 0, ce = 0, ns = 0, na = 0, ne = 0, hb, ab = 0;
	size_t at;
	__m256i r0, r1, any;

	if (i >= len || len - i < 66)
		return i;
	if (marks)
		anchor_bytes64(s + i, &cs, &ca, &ce);
	for (; len - i >= 66; i += 64) {
		r0 = hint_pairs32(s + i);
		r1 = hint_pairs32(s + i + 32);
		any = _mm256_or_si256(r0, r1);
		if (marks && len - i >= 130) {
			anchor_bytes64(s + i + 64, &ns, &na, &ne);
			ab = anchor_pairs64(cs, ca, ce, ns, na, ne);
			cs = ns;
			ca = na;
			ce = ne;
		} else if (marks) {
			/* The last block: its last two places by hand. */
			ab = anchor_pairs64(cs, ca, ce, 0, 0, 0) |
			    (uint64_t)anchor_maybe(s, i + 62, len) << 62 |
			    (uint64_t)anchor_maybe(s, i + 63, len) << 63;
		}
		if (_mm256_testz_si256(any, any) && ab == 0)
			continue;
		hb = hint_bits32(s + i, r0) |
		    (uint64_t)hint_bits32(s + i + 32, r1) << 32;
		if ((hb | ab) != 0 && (*kind = block_stop(s, i, len, hb, ab,
		    marks, &at)) != 0)
			return at;
	}
	return i;
}
#endif

/*
 * The first i >= from where a hint starts or, with marks, an anchor is
 * (anchor.h), or len: one pass over the text for both. *kind says which
 * (STOP_HINT, STOP_ANCHOR), 0 at len.
 */
static size_t
find_stop(const char *s, size_t from, size_t len, int marks, int *kind)
{
	size_t i = from;

	*kind = 0;
#ifdef DIFF_AVX2
	if (use_avx2()) {
		i = find_avx2(s, i, len, marks, kind);
		if (*kind != 0)
			return i;
	}
#endif
#ifdef DIFF_SSE2
	for (; i < len && len - i >= 66; i += 64) {
		size_t at;
		uint64_t a0, a1, a2, a3;
		uint64_t hb = hint_mask(s + i, &a0) |
		    hint_mask(s + i + 16, &a1) << 16 |
		    hint_mask(s + i + 32, &a2) << 32 |
		    hint_mask(s + i + 48, &a3) << 48;
		uint64_t ab = marks ? a0 | a1 << 16 | a2 << 32 | a3 << 48 : 0;

		if ((hb | ab) != 0 && (*kind = block_stop(s, i, len, hb, ab,
		    marks, &at)) != 0)
			return at;
	}
#endif
	for (; i < len; i++) {
		if (hint_at(s + i, len - i))
			*kind = STOP_HINT;
		else if (marks && anchor_maybe(s, i, len) && anchor_at(s, i,
		    len))
			*kind = STOP_ANCHOR;
		else
			continue;
		return i;
	}
	return len;
}

/* The first i >= from where a hint starts, or len. */
static size_t
hint_find(const char *s, size_t from, size_t len)
{
	int kind;

	return find_stop(s, from, len, 0, &kind);
}

/* Opens or continues the run when the line at buf[at] is added inside a
 * hunk; any other line closes it, and with it what was asked to follow. */
static void
run_track(struct diff *d, size_t at, int added)
{
	if (!added) {
		d->run_open = 0;
		d->follow = 0;
	} else if (!d->run_open) {
		d->run_open = 1;
		d->run_start = d->base + at;
	}
}

/* Fills in what the buffer holds after l, a whole line that ends at
 * buf[e] (its '\n', or the end of the input), and what the hunk still owes. */
static void
after_describe(const struct diff *d, size_t e, struct diff_line *l)
{
	size_t next = e < d->fill ? e + 1 : d->fill;

	l->after = d->buf + next;
	l->afterlen = d->fill - next;
	/* A hunk whose counts lie may owe less than nothing: nothing. */
	if (d->in_hunk && d->parents == 1) {
		l->after_new = d->new_left > 0 ? d->new_left : 0;
		l->after_old = d->old_left[0] > 0 ? d->old_left[0] : 0;
	}
}

/* Fills in where l, a whole line of a run starting at buf[at], stands in
 * its run. */
static void
run_describe(const struct diff *d, size_t at, struct diff_line *l)
{
	size_t lo = 0;

	l->run = d->run_start + 1;
	l->prefix = d->parents;
	l->before_cut = d->run_start < d->base;
	if (!l->before_cut)
		lo = (size_t)(d->run_start - d->base);
	l->before = d->buf + lo;
	l->beforelen = at - lo;
}

/*
 * Whether s[from..len) holds a hint (*hint) and, when asked, an anchor
 * (*anchor), given that nothing before from does and the text before it
 * (down to s[0]) may be read: one pass to the first, the rest of the
 * line only when there is one.
 */
static void
line_marks(const char *s, size_t len, int anchors, int *hint, int *anchor)
{
	int kind;
	size_t at = find_stop(s, 0, len, anchors, &kind);

	*hint = kind == STOP_HINT || (kind == STOP_ANCHOR &&
	    hint_find(s, at, len) < len);
	*anchor = kind == STOP_ANCHOR || (kind == STOP_HINT && anchors &&
	    anchor_find(s, at, len) < len);
}

/* Whether an added line goes to the callback; counts down `follow`. */
static int
line_wanted(struct diff *d, int candidate)
{
	int follow = d->follow > 0;

	if (follow)
		d->follow--;
	return candidate || follow || d->every;
}

/*
 * Handles one piece of a line: the whole line, or one window of a long
 * one (then `last` is 0 for all but the final window).
 */
static int
piece_handle(struct diff *d, const struct piece *pc, diff_line_fn fn,
    void *user)
{
	struct diff_line l;
	const char *p = pc->p;
	size_t n = pc->len, at = (size_t)(p - d->buf);
	int skip = 0, whole = 0, ctx = 0;

	if (pc->last && n > 0 && p[n - 1] == '\r')
		n--;
	if (!d->mid_line) {
		skip = line_classify(d, p, n);
		whole = pc->last;
		/* An unchanged line of a hunk, whole: handed on with a hint. */
		ctx = skip < 0 && d->context && d->body && d->is_context &&
		    whole;
		if (ctx)
			skip = n < (size_t)d->parents ? (int)n : d->parents;
		d->mid_added = skip >= 0;
		d->mid_offset = 0;
		d->mid_lineno = d->cur_lineno;
		/* Lines outside a hunk, and long lines, are in no run. */
		run_track(d, at, whole && d->body &&
		    (d->mid_added || d->context));
	} else
		run_track(d, at, 0);
	d->mid_line = !pc->last;
	if (!d->mid_added || d->dev_null)
		return 0;
	memset(&l, 0, sizeof l);
	/* Windows of a long line all go out as candidates; a key in a long
	 * line (a minified bundle, a one-line config) is read too. */
	l.candidate = !whole;
	if (whole)
		line_marks(p + skip, n - (size_t)skip, !ctx, &l.candidate,
		    &l.anchor);
	else
		l.anchor = anchor_find(p + skip, 0, n - (size_t)skip) <
		    n - (size_t)skip;
	if (ctx ? !l.candidate : !line_wanted(d, l.candidate || l.anchor))
		return 0;
	l.context = ctx;
	l.text = p + skip;
	l.len = n - (size_t)skip;
	l.limit = pc->last ? l.len :
	    (l.len > DIFF_OVERLAP ? l.len - DIFF_OVERLAP : 0);
	l.offset = d->mid_offset;
	l.first = d->mid_offset == 0;
	l.last = pc->last;
	l.lineno = d->mid_lineno;
	if (d->run_open)
		run_describe(d, at, &l);
	if (whole)
		after_describe(d, (size_t)(p - d->buf) + pc->len, &l);
	l.path = d->path;
	l.commit = d->commit;
	d->mid_offset += l.limit;
	return fn(user, &l);
}

static ssize_t
source_read(struct source *s, char *buf, size_t cap)
{
	ssize_t r;

	if (s->mem != NULL) {
		size_t k = s->memlen - s->mempos;

		if (k > cap)
			k = cap;
		memcpy(buf, s->mem + s->mempos, k);
		s->mempos += k;
		return (ssize_t)k;
	}
	do {
		r = read(s->fd, buf, cap);
	} while (r < 0 && errno == EINTR);
	return r;
}

/* ---- The fast path: the body of a hunk --------------------------------
 *
 * Most of a diff is hunk bodies: lines that start with ' ', '-' or '+'
 * and whose only effect on the state is a count. hunk_blocks() reads them
 * 64 bytes at a time in one pass: for each block, masks of its line ends,
 * of the first bytes a hunk line may have, of its hints and of the places
 * an anchor may start (struct block), made from the same loads. A block
 * with none of the last two and only simple line starts, in which the hunk
 * does not end, is taken whole: its lines counted by popcount, the run
 * they leave open worked out from the masks, nothing copied, no one
 * called. Any other block goes a line at a time to body_line(), as does
 * every line while the caller wants to see added lines (`every`,
 * `follow`); headers, "\ No newline", a line starting with CR, combined
 * diffs, a line longer than a window or not yet complete go to the
 * general per-line code above, which decides exactly as before.
 */

/* Bit i set when p[i] == '\n', for 64 bytes from p. */
static uint64_t
newline_mask(const char *p)
{
#ifdef DIFF_SSE2
	__m128i v[4];

	load16x4(p, v);
	return eq16x4(v, '\n');
#else
	uint64_t m = 0;
	int i;

	for (i = 0; i < 64; i++)
		m |= (uint64_t)(p[i] == '\n') << i;
	return m;
#endif
}

/* What the first byte of a line in a (one-parent) hunk body says. An
 * empty line is context whose lone space an editor or mailer ate. */
enum { BODY_OTHER, BODY_CONTEXT, BODY_MINUS, BODY_PLUS };	/* in this order */
static const unsigned char body_class[256] = {
	['\n'] = BODY_CONTEXT, [' '] = BODY_CONTEXT,
	['-'] = BODY_MINUS, ['+'] = BODY_PLUS,
};

/* The start of the line holding buf[i], looking no further back than lo.
 * 64 bytes at a time: the line may be a megabyte long. */
static size_t
line_start(const char *buf, size_t lo, size_t i)
{
	uint64_t m;

	for (; i - lo >= 64; i -= 64)
		if ((m = newline_mask(buf + i - 64)) != 0)
			return i - (size_t)__builtin_clzll(m);
	while (i > lo && buf[i - 1] != '\n')
		i--;
	return i;
}

/* One block of 64 bytes, a bit per byte: line ends; '+', '-' and ' '
 * (what a hunk line may start with); where a hint starts (hint_at); where
 * an anchor may start (anchor_maybe, with the bytes after the block). */
struct block {
	uint64_t nl, plus, minus, space, hint, pair;
};

#ifdef DIFF_AVX2
static inline uint64_t __attribute__((target("avx2"), always_inline))
eq64(__m256i v0, __m256i v1, char c)
{
	return (uint32_t)_mm256_movemask_epi8(eq32(v0, c)) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(eq32(v1, c)) << 32;
}

static inline void __attribute__((target("avx2"), always_inline))
block_avx2(const char *p, struct block *k)
{
	__m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)
	    (p + 32));
	__m256i r0 = hint_pairs32(p), r1 = hint_pairs32(p + 32);
	__m256i a0 = anchor_pair32(p), a1 = anchor_pair32(p + 32);
	__m256i any = _mm256_or_si256(_mm256_or_si256(r0, r1),
	    _mm256_or_si256(a0, a1));

	k->nl = eq64(v0, v1, '\n');
	k->plus = eq64(v0, v1, '+');
	k->minus = eq64(v0, v1, '-');
	k->space = eq64(v0, v1, ' ');
	/* Most blocks have neither: one test says so. */
	k->hint = k->pair = 0;
	if (_mm256_testz_si256(any, any))
		return;
	k->hint = hint_bits32(p, r0) | (uint64_t)hint_bits32(p + 32, r1) << 32;
	k->pair = (uint32_t)_mm256_movemask_epi8(a0) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(a1) << 32;
}
#endif


/* The masks of the block at p; p[0..66) may be read. */
static void
block_portable(const char *p, struct block *k)
{
#ifdef DIFF_SSE2
	__m128i v[4];
	uint64_t a[4];

	load16x4(p, v);
	k->nl = eq16x4(v, '\n');
	k->plus = eq16x4(v, '+');
	k->minus = eq16x4(v, '-');
	k->space = eq16x4(v, ' ');
	k->hint = hint_mask(p, &a[0]) | hint_mask(p + 16, &a[1]) << 16 |
	    hint_mask(p + 32, &a[2]) << 32 | hint_mask(p + 48, &a[3]) << 48;
	k->pair = a[0] | a[1] << 16 | a[2] << 32 | a[3] << 48;
#else
	int i;

	memset(k, 0, sizeof *k);
	for (i = 0; i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;

		k->nl |= p[i] == '\n' ? bit : 0;
		k->plus |= p[i] == '+' ? bit : 0;
		k->minus |= p[i] == '-' ? bit : 0;
		k->space |= p[i] == ' ' ? bit : 0;
		k->hint |= hint_at(p + i, 66 - (size_t)i) ? bit : 0;
		k->pair |= anchor_maybe(p, (size_t)i, 66) ? bit : 0;
	}
#endif
}

/* The highest set bit of m, which is not 0. */
static int
bit_last(uint64_t m)
{
	return 63 - __builtin_clzll(m);
}

/*
 * Whether the block at buf[b] stops hunk_blocks() before it counts a line:
 * a hint, or an anchor (anchor_at, asked of the places the pair test lets
 * through), anywhere in it. The line that holds either, whatever its
 * kind, goes to body_line(), which decides as the per-line code does.
 */
static int
block_marked(const char *buf, size_t b, size_t n, const struct block *k)
{
	uint64_t pair;

	if (k->hint != 0)
		return 1;
	for (pair = k->pair; pair != 0; pair &= pair - 1)
		if (anchor_at(buf, b + (size_t)__builtin_ctzll(pair), n))
			return 1;
	return 0;
}

/* Hunk state as hunk_blocks() carries it: what is true before the line
 * at `at` (the first not counted), which is added (at_plus), removed
 * (at_minus) or unchanged (neither). The line number is not carried: it
 * moves with new_left (see hunk_line), and is worked out at the end. */
struct tally {
	size_t at;
	int at_plus, at_minus;
	long old_left, new_left;
	unsigned long long run_start, lines;
	int run_open;
};

/*
 * Counts the line at t->at and those whose starts are `starts` (bits of
 * the block at b), the first byte of each simple (see body_class): the
 * lines before the next line start. Returns 0; 1 when the hunk ends with
 * the last of them; -1, leaving t as it was, when it ends before.
 * Inlined into each variant of hunk_blocks(), so that the counts are the
 * processor's own popcount where it has one.
 */
static inline int __attribute__((always_inline))
tally_take(struct tally *t, const struct diff *d, size_t b, uint64_t starts,
    const struct block *k)
{
	uint64_t plus = starts & k->plus, minus = starts & k->minus, other;
	/* Every line but an added one is on the old side, every line but a
	 * removed one on the new side; t->at is one more line. */
	long old_left = t->old_left - 1 + t->at_plus -
	    __builtin_popcountll(starts & ~plus);
	long new_left = t->new_left - 1 + t->at_minus -
	    __builtin_popcountll(starts & ~minus);
	int last_plus = t->at_plus, last_minus = t->at_minus, ended = 0;

	if (starts != 0) {
		last_plus = (int)(plus >> bit_last(starts) & 1);
		last_minus = (int)(minus >> bit_last(starts) & 1);
	}
	if (old_left <= 0 && new_left <= 0) {
		/* Did it end before the last line? The counts lie then, and
		 * the lines after the end are not the hunk's. */
		if (old_left + !last_plus <= 0 && new_left + !last_minus <= 0)
			return -1;
		ended = 1;
	}
	t->old_left = old_left;
	t->new_left = new_left;
	t->lines += (unsigned long long)__builtin_popcountll(starts) + 1;
	if (d->context) {
		/* With context, a run is the whole body of a hunk. */
		if (!t->run_open)
			t->run_start = d->base + t->at;
		t->run_open = 1;
		return ended;
	}
	/* The run open after the last of these lines: the added lines
	 * after the last line that is not added. */
	other = starts & ~plus;
	if (!last_plus)
		t->run_open = 0;
	else if (other != 0) {
		/* other's last bit is below starts' last: at most 62. */
		t->run_start = d->base + b + (size_t)__builtin_ctzll(plus &
		    ~(((uint64_t)2 << bit_last(other)) - 1));
		t->run_open = 1;
	} else if (!t->at_plus) {
		t->run_start = d->base + b + (size_t)__builtin_ctzll(plus);
		t->run_open = 1;
	} else if (!t->run_open) {
		t->run_start = d->base + t->at;
		t->run_open = 1;
	}
	return ended;
}

/*
 * Counts the lines of the open one-parent hunk from at, a line start, a
 * block of 64 bytes at a time (made by `read`), while a block holds no
 * hint, no anchor, and ends before stop (lines that start before stop end
 * in the buffer), up to the hunk's end or the first line that is not
 * simple. Returns the start of the first line not counted, and in *upto
 * the end of the block that stopped it: the lines that start before it
 * want a look each.
 */
static inline size_t __attribute__((always_inline))
blocks_count(struct diff *d, size_t at, size_t stop, size_t n, size_t *upto,
    void (*read)(const char *, struct block *))
{
	const char *buf = d->buf;
	struct tally t;
	struct block k;
	size_t b = at;
	uint64_t carry = 0, starts, other;
	long new_left0 = d->new_left;
	int next, r = 0;

	*upto = at + 1;
	if (body_class[(unsigned char)buf[at]] == BODY_OTHER)
		return at;
	t.at = at;
	t.at_plus = buf[at] == '+';
	t.at_minus = buf[at] == '-';
	t.old_left = d->old_left[0];
	t.new_left = d->new_left;
	t.run_start = d->run_start;
	t.run_open = d->run_open;
	t.lines = 0;
	for (; stop - b >= 64; b += 64) {
		read(buf + b, &k);
		if ((k.hint | k.pair) != 0 && block_marked(buf, b, n, &k))
			goto stopped;
		/* Bit i: buf[b + i - 1] ends a line, so one starts at b + i
		 * (none at b itself in the first block: that is t.at). */
		starts = k.nl << 1 | carry;
		carry = k.nl >> 63;
		if (starts == 0) {
			if (b + 64 - t.at > DIFF_WINDOW)
				goto stopped;
			continue;
		}
		/* A line over a window: only after a run of blocks without
		 * a line end can the line at t.at be one. */
		if (b - t.at > DIFF_WINDOW - 64 &&
		    b + (size_t)__builtin_ctzll(starts) - t.at > DIFF_WINDOW)
			goto stopped;
		/* Simple: '+', '-', ' ', or an empty line (context whose
		 * space an editor ate). The lines before the first that is
		 * not, or before the last start of the block. */
		other = starts & ~(k.plus | k.minus | k.space | k.nl);
		next = other != 0 ? __builtin_ctzll(other) : bit_last(starts);
		if ((r = tally_take(&t, d, b, starts & (((uint64_t)1 << next) -
		    1), &k)) < 0)
			goto stopped;
		t.at = b + (size_t)next;
		/* From the masks, not the buffer: the next block's counts
		 * then wait on no load. */
		t.at_plus = (int)(k.plus >> next & 1);
		t.at_minus = (int)(k.minus >> next & 1);
		if (r > 0 || other != 0)
			break;
	}
	if (0) {
stopped:
		*upto = b + 64;
	}
	d->old_left[0] = t.old_left;
	d->lineno += new_left0 - t.new_left;
	d->new_left = t.new_left;
	d->run_start = t.run_start;
	d->run_open = t.run_open;
	d->lines += t.lines;
	if (r > 0)
		d->in_hunk = 0;
	return t.at;
}

#ifdef DIFF_AVX2
static size_t __attribute__((target("avx2,popcnt")))
blocks_avx2(struct diff *d, size_t at, size_t stop, size_t n, size_t *upto)
{
	return blocks_count(d, at, stop, n, upto, block_avx2);
}
#endif

#ifdef DIFF_AVX2
static void __attribute__((target("avx2")))
block_read_avx2(const char *p, struct block *k)
{
	block_avx2(p, k);
}
#endif


/* blocks_count(), with AVX2 where the processor has it. */
static size_t
hunk_blocks(struct diff *d, size_t at, size_t stop, size_t n, size_t *upto)
{
#ifdef DIFF_AVX2
	if (use_avx2())
		return blocks_avx2(d, at, stop, n, upto);
#endif
	return blocks_count(d, at, stop, n, upto, block_portable);
}

/*
 * Whether the hunk line buf[at..e) (buf[e] == '\n') holds a hint
 * (*hint) and, when it is added, an anchor (*anchor). A short line is
 * read as one block: the bytes after its '\n' are read too (the buffer
 * has room) but start nothing, since no hint nor anchor pair holds a
 * '\n'.
 */
static void
body_marks(const char *buf, size_t at, size_t e, int *hint, int *anchor)
{
	struct block k;
	uint64_t in, pair;

	if (e - at > 62) {
		*hint = hint_find(buf, at, e) < e;
		*anchor = buf[at] == '+' && anchor_find(buf, at, e) < e;
		return;
	}
#ifdef DIFF_AVX2
	if (use_avx2())
		block_read_avx2(buf + at, &k);
	else
#endif
		block_portable(buf + at, &k);
	in = ((uint64_t)1 << (e - at)) - 1;
	*hint = (k.hint & in) != 0;
	*anchor = 0;
	if (buf[at] != '+')
		return;
	for (pair = k.pair & in; pair != 0; pair &= pair - 1)
		if (anchor_at(buf, at + (size_t)__builtin_ctzll(pair), e)) {
			*anchor = 1;
			return;
		}
}

/*
 * One simple hunk line buf[at..e), buf[e] == '\n', that needs a look of
 * its own; `candidate` when it holds a hint, `anchor` an anchor.
 */
static int
body_line(struct diff *d, size_t at, size_t e, int candidate, int anchor,
    diff_line_fn fn, void *user)
{
	struct diff_line l;
	/* The counts as for any hunk line: only the path to it differs. */
	int skip = hunk_line(d, d->buf + at, e - at), ctx;

	d->lines++;
	run_track(d, at, skip >= 0 || d->context);
	ctx = skip < 0 && d->context && d->is_context && e > at;
	if (ctx) {
		if (!candidate || d->dev_null)
			return 0;
		skip = 1;
	} else if (skip < 0 || d->dev_null || !line_wanted(d, candidate ||
	    anchor))
		return 0;
	memset(&l, 0, sizeof l);
	l.anchor = anchor && !ctx;
	l.context = ctx;
	l.text = d->buf + at + skip;
	l.len = e - at - (size_t)skip;
	if (l.len > 0 && l.text[l.len - 1] == '\r')
		l.len--;
	l.limit = l.len;
	l.first = l.last = 1;
	l.lineno = d->cur_lineno;
	l.candidate = candidate;
	run_describe(d, at, &l);
	after_describe(d, e, &l);
	l.path = d->path;
	l.commit = d->commit;
	return fn(user, &l);
}

/*
 * Takes the hunk lines from *pos on, while the hunk is open and each line
 * is simple (see above); stop is where the last whole line in the buffer
 * ends. Leaves *pos at the first line it did not take.
 */
static int
hunk_run(struct diff *d, size_t *pos, size_t stop, size_t n,
    diff_line_fn fn, void *user)
{
	const char *buf = d->buf;
	size_t at = *pos, upto, e;
	int r = 0, hint, anchor;

	while (r == 0 && d->in_hunk && at < stop) {
		upto = at + 1;
		/* Every added line wanted: each one its own look. */
		if (!d->every && d->follow <= 0)
			at = hunk_blocks(d, at, stop, n, &upto);
		/* The lines of the block that stopped it, one at a time. */
		while (r == 0 && d->in_hunk && at < stop && at < upto) {
			e = (size_t)((const char *)memchr(buf + at, '\n',
			    stop - at) - buf);
			if (e - at > DIFF_WINDOW ||
			    body_class[(unsigned char)buf[at]] == BODY_OTHER)
				goto out;
			/* Neither reads past the line's '\n'; only an added
			 * line's anchor counts. */
			body_marks(buf, at, e, &hint, &anchor);
			r = body_line(d, at, e, hint, anchor, fn, user);
			at = e + 1;
		}
	}
out:
	*pos = at;
	return r;
}

/*
 * Outside a hunk, the first bytes of the lines header_line() does nothing
 * with but forget: a commit's author, date and message, blank lines, mode
 * and similarity lines (anything but those its switch names).
 */
static const unsigned char header_first[256] = {
	['@'] = 1, ['\033'] = 1, ['+'] = 1, ['-'] = 1, ['i'] = 1, ['B'] = 1,
	['d'] = 1, ['r'] = 1, ['c'] = 1, ['F'] = 1,
};

/*
 * Takes the whole lines from pos on that start outside a hunk with a byte
 * header_first does not name, as piece_handle() would, without the trip
 * through it: such a line adds nothing and is in no run. Returns where it
 * stopped.
 */
static size_t
header_plain(struct diff *d, size_t pos, size_t n)
{
	const char *buf = d->buf, *nl;

	while (pos < n && !header_first[(unsigned char)buf[pos]] &&
	    (nl = memchr(buf + pos, '\n', n - pos > DIFF_WINDOW ?
	    DIFF_WINDOW + 1 : n - pos)) != NULL) {
		d->lines++;
		d->body = 0;
		d->after_minus = 0;
		d->cur_lineno = 0;
		d->mid_added = 0;
		d->mid_offset = 0;
		d->mid_lineno = 0;
		run_track(d, pos, 0);
		pos = (size_t)(nl - buf) + 1;
	}
	return pos;
}

/*
 * Hands on the complete lines in buf[pos..n) and, for a line that fills a
 * whole window, one window of it. Returns how far it got through *used,
 * and 0 or fn's non-zero return.
 */
static int
buffer_lines(struct diff *d, size_t pos, size_t n, int eof, size_t *used,
    diff_line_fn fn, void *user)
{
	char *buf = d->buf;
	/* Lines that start before stop end in the buffer. */
	size_t stop = line_start(buf, pos, n);
	int r = 0;

	while (pos < n && r == 0) {
		size_t left;
		char *nl;
		struct piece pc;

		if (d->in_hunk && d->parents == 1 && !d->mid_line) {
			if ((r = hunk_run(d, &pos, stop, n, fn, user)) != 0 ||
			    pos >= n)
				break;
		}
		if (!d->in_hunk && !d->mid_line &&
		    (pos = header_plain(d, pos, n)) >= n)
			break;
		left = n - pos;
		nl = memchr(buf + pos, '\n',
		    left > DIFF_WINDOW ? DIFF_WINDOW + 1 : left);

		pc.p = buf + pos;
		if (nl != NULL || (eof && left <= DIFF_WINDOW)) {
			pc.len = nl != NULL ? (size_t)(nl - pc.p) : left;
			pc.last = 1;
			r = piece_handle(d, &pc, fn, user);
			pos += pc.len + (nl != NULL);
			continue;
		}
		if (left <= DIFF_WINDOW)
			break;
		pc.len = DIFF_WINDOW;
		pc.last = 0;
		r = piece_handle(d, &pc, fn, user);
		/* An added line keeps its overlap for the next window. */
		pos += d->mid_added ? DIFF_WINDOW - DIFF_OVERLAP : DIFF_WINDOW;
	}
	*used = pos;
	return r;
}

static int
diff_run(struct diff *d, struct source *s, diff_line_fn fn, void *user)
{
	size_t n = 0, hist = 0, used, drop, lim, cut;
	int eof = 0, r;

	d->in_hunk = 0;
	d->mid_line = 0;
	d->truncated = 0;
	file_reset(d);		/* prefixed: until a "diff --git" line tells */
	d->run_open = 0;
	d->follow = 0;
	for (;;) {
		/* A full buffer is not the end of the input: lines go first. */
		if (!eof && n < DIFF_BUFSIZE_TOTAL) {
			ssize_t k = source_read(s, d->buf + n,
			    DIFF_BUFSIZE_TOTAL - n);

			if (k < 0)
				return -1;
			if (k == 0)
				eof = 1;
			n += (size_t)k;
			/* Short reads from a pipe: fill up, for `after`. */
			if (!eof && n < DIFF_BUFSIZE_TOTAL &&
			    n - hist <= DIFF_LOOKAHEAD)
				continue;
		}
		/* Lines that end DIFF_LOOKAHEAD bytes before what was read
		 * wait for the next read: each line handed on sees that much
		 * after it. A longer line goes on as it comes. */
		lim = n;
		if (!eof && n - hist > DIFF_LOOKAHEAD &&
		    (cut = line_start(d->buf, hist, n - DIFF_LOOKAHEAD)) > hist)
			lim = cut;
		d->fill = n;
		r = buffer_lines(d, hist, lim, eof && lim == n, &used, fn,
		    user);
		if (r != 0)
			return r;
		if (eof && used == n)
			break;
		/* Keep the last DIFF_HISTORY bytes read, for `before`. */
		drop = used > DIFF_HISTORY ? used - DIFF_HISTORY : 0;
		memmove(d->buf, d->buf + drop, n - drop);
		n -= drop;
		hist = used - drop;
		d->base += drop;
	}
	/* The next input's runs start past this one's. */
	d->base += n + 1;
	if (d->in_hunk)
		d->truncated = d->new_left > 0 ? d->new_left : 1;
	return 0;
}

int
diff_init(struct diff *d)
{
	memset(d, 0, sizeof *d);
	d->parents = 1;
	d->buf = calloc(1, DIFF_BUFSIZE_TOTAL + BUF_SLACK);
	return d->buf == NULL ? -1 : 0;
}

void
diff_release(struct diff *d)
{
	free(d->buf);
	d->buf = NULL;
}

int
diff_read(struct diff *d, int fd, diff_line_fn fn, void *user)
{
	struct source s = { fd, NULL, 0, 0 };

	return diff_run(d, &s, fn, user);
}

int
diff_read_mem(struct diff *d, const char *data, size_t len,
    diff_line_fn fn, void *user)
{
	struct source s = { -1, data, len, 0 };

	/* An empty buffer still reads as end of input, not as fd -1. */
	if (data == NULL)
		s.mem = "";
	return diff_run(d, &s, fn, user);
}
