/*
 * tap.h - the Test Anything Protocol for our C unit tests, as prove reads
 * it. Header-only so each test is one file. Failure messages must never
 * print a full SAS signature: compare redacted text, or bytes with
 * ok(memcmp(...) == 0, ...).
 */
#ifndef SASGUARD_TAP_H
#define SASGUARD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static int
tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

static int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long tap_g = (got), tap_w = (want);			\
	if (!tap_ok(tap_g == tap_w, __FILE__, __LINE__, __VA_ARGS__))	\
		printf("#   got %lld, want %lld\n", tap_g, tap_w);	\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *tap_g = (got), *tap_w = (want);			\
	int tap_c = tap_g && tap_w && strcmp(tap_g, tap_w) == 0;	\
	if (!tap_ok(tap_c, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got '%s'\n#  want '%s'\n",			\
		    tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)");\
} while (0)

/* Prints the plan and returns main's exit status. */
static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
