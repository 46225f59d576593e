/*
 * floor.c - how fast a reader of a diff can be that looks at what
 * sasguard's reader must look at: where the floor is (issue 15). Reads
 * FILE as lib/diff.c does (reads of DIFF_BUFSIZE_TOTAL bytes) and makes,
 * for each block of 64 bytes, one of:
 *
 *   lines   the mask of its line ends, counted (what wc -l does, which a
 *           reader that knows which lines are added must do at least);
 *   hints   that, and the mask of the hints (lib/diff.c's hint pairs:
 *           the bytes without which no token can be written);
 *   masks   everything lib/diff.c's block reader makes of a block before
 *           it looks at one line: line ends, the first bytes a hunk line
 *           may have, hints and anchor pairs (block_avx2), and nothing
 *           more: no hunk state, no headers, no lines handed on.
 *
 * Built on lib/diff.c itself (included, so that its static functions are
 * the ones timed), for AVX2 only: on a processor without it, it says so
 * and exits 2. Prints a count, so that no pass is optimized away.
 *
 *   floor lines|hints|masks FILE
 */
#include "../lib/diff.c"

#include <fcntl.h>
#include <stdio.h>

#ifdef DIFF_AVX2
static unsigned long long __attribute__((target("avx2,popcnt")))
floor_run(int fd, char *buf, int mode)
{
	unsigned long long count = 0;
	ssize_t got;
	size_t b, n;

	while ((got = read(fd, buf, DIFF_BUFSIZE_TOTAL)) > 0) {
		n = (size_t)got;
		for (b = 0; b + 64 <= n; b += 64) {
			const char *p = buf + b;
			__m256i v0 = _mm256_loadu_si256((const __m256i *)
			    (const void *)p);
			__m256i v1 = _mm256_loadu_si256((const __m256i *)
			    (const void *)(p + 32));
			struct block k;

			if (mode == 0) {
				count += (unsigned)__builtin_popcountll(
				    eq64(v0, v1, '\n'));
			} else if (mode == 1) {
				__m256i r0 = hint_pairs32(p);
				__m256i r1 = hint_pairs32(p + 32);
				__m256i any = _mm256_or_si256(r0, r1);

				count += (unsigned)__builtin_popcountll(
				    eq64(v0, v1, '\n'));
				if (!_mm256_testz_si256(any, any))
					count += hint_bits32(p, r0) != 0;
			} else {
				block_avx2(p, &k);
				count += (unsigned)__builtin_popcountll(k.nl) +
				    (unsigned)__builtin_popcountll(k.plus |
				    k.minus | k.space) + ((k.hint | k.pair) != 0);
			}
		}
	}
	return got < 0 ? (unsigned long long)-1 : count;
}
#endif

int
main(int argc, char **argv)
{
#ifdef DIFF_AVX2
	static const char *const modes[] = { "lines", "hints", "masks" };
	unsigned long long count;
	char *buf;
	int fd, mode;

	for (mode = 0; argc == 3 && mode < 3; mode++)
		if (strcmp(argv[1], modes[mode]) == 0)
			break;
	if (argc != 3 || mode == 3) {
		fprintf(stderr, "usage: floor lines|hints|masks FILE\n");
		return 2;
	}
	if (!__builtin_cpu_supports("avx2")) {
		fprintf(stderr, "floor: this processor has no AVX2\n");
		return 2;
	}
	if ((fd = open(argv[2], O_RDONLY)) < 0 ||
	    (buf = calloc(1, DIFF_BUFSIZE_TOTAL + BUF_SLACK)) == NULL) {
		perror(argv[2]);
		return 2;
	}
	if ((count = floor_run(fd, buf, mode)) == (unsigned long long)-1) {
		perror(argv[2]);
		return 2;
	}
	printf("%llu\n", count);
	free(buf);
	close(fd);
	return 0;
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "floor: built without AVX2\n");
	return 2;
#endif
}
