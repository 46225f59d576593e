/*
 * date.h - the ISO 8601 forms that Azure SAS tokens carry, and back.
 *
 * Accepted (see shared/reference/sas-format.md, "Dates"):
 *   YYYY-MM-DD
 *   YYYY-MM-DDThh:mmZ
 *   YYYY-MM-DDThh:mm:ssZ
 *   YYYY-MM-DDThh:mm:ss.fffffffZ   (1 to 7 fractional digits, dropped)
 * where the final Z may instead be an offset +hh:mm or -hh:mm.
 * A lower-case 't' or 'z' is accepted too. Nothing else: no spaces, no
 * week dates, no trailing bytes. Percent-decoding is the caller's job.
 *
 * Times are seconds since 1970-01-01T00:00:00Z as int64_t, so 2051 and
 * 9999 are fine. The input is a (ptr, len) pair and need not end in NUL.
 */
#ifndef SASGUARD_DATE_H
#define SASGUARD_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Parses s[0..len). Returns 0 and sets *out, or -1 when s is not one of
 * the forms above or names an impossible date (2021-02-30, 25:00). */
int date_parse(const char *s, size_t len, int64_t *out);

/* Writes t as "YYYY-MM-DDThh:mm:ssZ" into buf (at least DATE_BUFSIZE
 * bytes). Returns buf. */
#define DATE_BUFSIZE 32
char *date_format(int64_t t, char *buf);

#endif
