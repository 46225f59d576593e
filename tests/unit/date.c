/*
 * Unit tests for lib/date.c: every accepted form, offsets, fractions,
 * leap years, far futures, garbage, and date_format() round trips.
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "tap.h"

/* Parses a NUL-terminated string; returns date_parse()'s result. */
static int
parse(const char *s, int64_t *t)
{
	return date_parse(s, strlen(s), t);
}

/* The string parses and equals want seconds. */
static void
parses_to(const char *s, int64_t want, const char *why)
{
	int64_t t = -1;
	int rc;

	rc = parse(s, &t);
	ok(rc == 0 && t == want, "%s: %s", why, s);
	if (rc != 0 || t != want)
		printf("#   rc %d, got %lld, want %lld\n", rc, (long long)t,
		    (long long)want);
}

static void
rejects(const char *s, const char *why)
{
	int64_t t;

	is_int(parse(s, &t), -1, "rejects %s: '%s'", why, s);
}

static void
test_forms(void)
{
	parses_to("1970-01-01", 0, "date only is midnight UTC");
	parses_to("2021-10-05", 1633392000, "date only");
	parses_to("2021-10-05T15:06Z", 1633446360, "hh:mmZ");
	parses_to("2021-10-05T15:06:23Z", 1633446383, "hh:mm:ssZ");
	parses_to("2021-10-05t15:06:23z", 1633446383, "lower-case t and z");
	parses_to("2021-10-05T15:06:23.5Z", 1633446383, "1 fraction digit");
	parses_to("2021-10-05T15:06:23.1234567Z", 1633446383,
	    "7 fraction digits are dropped");
	parses_to("2021-10-05T17:06:23+02:00", 1633446383,
	    "positive offset is east of UTC");
	parses_to("2021-10-05T10:06:23-05:00", 1633446383,
	    "negative offset is west of UTC");
	parses_to("2021-10-05T15:06+00:00", 1633446360, "hh:mm with offset");
	parses_to("2021-10-05T15:06:23.25-00:30", 1633448183,
	    "fraction and offset with minutes");
	parses_to("2021-10-06T00:30:00+01:00", 1633476600,
	    "offset that crosses midnight");
	parses_to("1969-12-31T23:59:59Z", -1, "before the epoch");
}

static void
test_calendar(void)
{
	parses_to("2024-02-29", 1709164800, "2024-02-29 (leap year)");
	rejects("2023-02-29", "2023 is not a leap year");
	parses_to("2000-02-29", 951782400, "2000 is a leap year (div 400)");
	rejects("1900-02-29", "1900 is not a leap year (div 100)");
	parses_to("2051-10-06T07:09:59Z", 2580188999LL,
	    "2051 does not overflow 32 bits");
	parses_to("2119-02-27T02:34:00Z", 4706908440LL, "2119");
	parses_to("9999-12-31T23:59:59Z", 253402300799LL, "9999-12-31");
	rejects("2021-02-30", "February 30th");
	rejects("2021-04-31", "April 31st");
	rejects("2021-13-01", "month 13");
	rejects("2021-00-10", "month 0");
	rejects("2021-01-00", "day 0");
	rejects("2021-01-01T25:00Z", "hour 25");
	rejects("2021-01-01T24:00Z", "hour 24");
	rejects("2021-01-01T12:60Z", "minute 60");
	rejects("2021-01-01T12:00:60Z", "second 60");
	rejects("2021-01-01T12:00+24:00", "offset hour 24");
}

static void
test_garbage(void)
{
	int64_t t;

	rejects("", "empty");
	rejects("2021", "year only");
	rejects("2021-1-05", "one-digit month");
	rejects("2021/10/05", "slashes");
	rejects(" 2021-10-05", "leading space");
	rejects("2021-10-05 ", "trailing space");
	rejects("2021-10-05Z", "Z without a time");
	rejects("2021-10-05T15:06", "time without zone");
	rejects("2021-10-05T15:06:23", "seconds without zone");
	rejects("2021-10-05T15:06:23.Z", "dot without fraction");
	rejects("2021-10-05T15:06:23.12345678Z", "8 fraction digits");
	rejects("2021-10-05T15:06:23ZZ", "two zones");
	rejects("2021-10-05T15:06:23+0200", "offset without colon");
	rejects("2021-10-05T15:06:23+02", "offset without minutes");
	rejects("2021-10-05 15:06:23Z", "space instead of T");
	rejects("2021-W40-2", "week date");
	rejects("2021-10-05T15%3A06%3A23Z", "percent-encoded (caller's job)");
	rejects("1633446383", "unix seconds");
	rejects("abcd-ef-gh", "letters");
	is_int(date_parse("2021-10-05T15:06:23Z", 19, &t), -1,
	    "length is honoured: a cut-off time is rejected");
	is_int(date_parse("2021-10-05XXXX", 10, &t), 0,
	    "length is honoured: bytes after len are not read");
	is_int(date_parse("2021-10-05\0T00Z", 15, &t), -1,
	    "a NUL inside the text is garbage");
}

static void
round_trip(const char *s)
{
	char buf[DATE_BUFSIZE];
	int64_t t, u;

	if (!ok(parse(s, &t) == 0, "round trip parses %s", s))
		return;
	date_format(t, buf);
	is_str(buf, s, "date_format gives back %s", s);
	ok(parse(buf, &u) == 0 && u == t, "and it parses to the same time");
}

static void
test_format(void)
{
	char buf[DATE_BUFSIZE];

	round_trip("1970-01-01T00:00:00Z");
	round_trip("2021-10-05T15:06:23Z");
	round_trip("2024-02-29T23:59:59Z");
	round_trip("2051-10-06T07:09:59Z");
	round_trip("9999-12-31T23:59:59Z");
	round_trip("1969-12-31T23:59:59Z");
	round_trip("0001-01-01T00:00:00Z");
	is_str(date_format(1633446383, buf), "2021-10-05T15:06:23Z",
	    "date_format of a known time");
	is_str(date_format(-86400, buf), "1969-12-31T00:00:00Z",
	    "date_format of a negative day");
	ok(strlen(date_format(INT64_MAX, buf)) < DATE_BUFSIZE,
	    "date_format of INT64_MAX fits the buffer");
	ok(strlen(date_format(INT64_MIN, buf)) < DATE_BUFSIZE,
	    "date_format of INT64_MIN fits the buffer");
}

int
main(void)
{
	test_forms();
	test_calendar();
	test_garbage();
	test_format();
	return tap_done();
}
