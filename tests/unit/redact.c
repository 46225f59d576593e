/*
 * Unit tests for lib/redact.c: signature values out of text a report
 * prints (file paths named after SAS URLs), in every spelling of '='
 * the finder reads, and nothing else touched. The signatures are made up.
 */
#include <stdio.h>
#include <string.h>

#include "redact.h"
#include "tap.h"

#define SIG "2svwcKUuM2vwhet2ojlvzucpHYmUiY2%2FvC3UfgFFk6s%3D"

static void
check(const char *in, const char *want, int did, const char *why)
{
	char out[512];

	is_int(redact_signatures(in, strlen(in), out, sizeof out), did,
	    "%s: says whether it redacted", why);
	is_str(out, want, "%s", why);
}

int
main(void)
{
	char out[16];

	check("data/x.ckpt?sv=2020-08-04&sr=b&sig=" SIG "&sp=r",
	    "data/x.ckpt?sv=2020-08-04&sr=b&sig=2sv\xe2\x80\xa6[redacted]&sp=r",
	    1, "a path named after a URL");
	check("x%3Fsv%3D1%26SIG%3D" SIG ".xlsx",
	    "x%3Fsv%3D1%26SIG%3D2sv\xe2\x80\xa6[redacted]", 1,
	    "percent-encoded '=', upper-case name: the value runs to the end");
	check("u\\u0026sig\\u003d" SIG "\"",
	    "u\\u0026sig\\u003d2sv\xe2\x80\xa6[redacted]\"", 1,
	    "JSON's \\u003d, the quote ends it");
	check("a&amp;sig&#61;" SIG " b", "a&amp;sig&#61;2sv\xe2\x80\xa6[redacted] b",
	    1, "an HTML entity");
	check("sig=abc&x=1", "sig=abc&x=1", 0, "3 characters or fewer are "
	    "no signature");
	check("signals/config.txt", "signals/config.txt", 0, "'sig' alone");
	check("design=final/sig", "design=final/sig", 0, "no '=' after sig");
	redact_signatures("p?sig=" SIG, strlen("p?sig=" SIG), out, sizeof out);
	ok(strstr(out, "vwcK") == NULL, "too little room: cut before the "
	    "value, never in it");
	return tap_done();
}
