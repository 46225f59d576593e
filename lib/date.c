/*
 * date.c - the ISO 8601 forms that SAS tokens carry; see date.h.
 *
 * Calendar arithmetic is done here rather than with timegm()/mktime():
 * those depend on the TZ and locale of whoever runs the hook, and time_t
 * may be 32 bits. The day counts are Howard Hinnant's days_from_civil()
 * and civil_from_days() on the proleptic Gregorian calendar.
 */
#include <stdio.h>

#include "date.h"

#define SECS_PER_DAY 86400

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era;
	int doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
year_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && year_is_leap(y) ? 29 : days[m - 1];
}

/* The value of the n decimal digits at s, or -1 if any is not a digit. */
static int
digits_read(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* "hh:mm" at s, both in range; returns minutes or -1. */
static int
clock_read(const char *s)
{
	int h, m;

	h = digits_read(s, 2);
	m = digits_read(s + 3, 2);
	if (s[2] != ':' || h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}

/*
 * The zone designator that ends a time: "Z" or "+hh:mm"/"-hh:mm", and
 * nothing after it. Returns the offset east of UTC in seconds via *off.
 */
static int
zone_read(const char *s, size_t len, int64_t *off)
{
	int mins;

	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (len != 6 || (s[0] != '+' && s[0] != '-'))
		return -1;
	if ((mins = clock_read(s + 1)) < 0)
		return -1;
	*off = (int64_t)mins * 60 * (s[0] == '-' ? -1 : 1);
	return 0;
}

/* "Thh:mm[:ss[.f{1,7}]]<zone>" at s; seconds since midnight UTC. */
static int
time_read(const char *s, size_t len, int64_t *out)
{
	size_t p, frac;
	int64_t off;
	int mins, sec = 0;

	if (len < 6 || (s[0] != 'T' && s[0] != 't'))
		return -1;
	if ((mins = clock_read(s + 1)) < 0)
		return -1;
	p = 6;
	if (p < len && s[p] == ':') {
		if (len - p < 3 || (sec = digits_read(s + p + 1, 2)) < 0 ||
		    sec > 59)
			return -1;
		p += 3;
		if (p < len && s[p] == '.') {
			/* Up to 7 digits (Azure's 100 ns ticks); dropped. */
			for (frac = 0, p++; p < len && s[p] >= '0' &&
			    s[p] <= '9'; p++)
				frac++;
			if (frac < 1 || frac > 7)
				return -1;
		}
	}
	if (zone_read(s + p, len - p, &off) < 0)
		return -1;
	*out = (int64_t)mins * 60 + sec - off;
	return 0;
}

int
date_parse(const char *s, size_t len, int64_t *out)
{
	int64_t days, secs = 0;
	int y, m, d;

	if (len < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits_read(s, 4);
	m = digits_read(s + 5, 2);
	d = digits_read(s + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	if (len > 10 && time_read(s + 10, len - 10, &secs) < 0)
		return -1;
	days = days_from_civil(y, m, d);
	*out = days * SECS_PER_DAY + secs;
	return 0;
}

char *
date_format(int64_t t, char *buf)
{
	int64_t days, y;
	int rem, m, d;

	/* Floor division without overflowing near INT64_MIN. */
	days = t / SECS_PER_DAY;
	rem = (int)(t % SECS_PER_DAY);
	if (rem < 0) {
		rem += SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	/* The "% 100u" only tells the compiler the fields are 2 digits. */
	snprintf(buf, DATE_BUFSIZE, "%04lld-%02u-%02uT%02u:%02u:%02uZ",
	    (long long)y, (unsigned)m % 100u, (unsigned)d % 100u,
	    (unsigned)rem / 3600u % 100u, (unsigned)rem / 60u % 60u,
	    (unsigned)rem % 60u);
	return buf;
}
