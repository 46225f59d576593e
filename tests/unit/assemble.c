/*
 * Unit tests for lib/assemble.c: query strings from format strings,
 * joins and maps of parameters, built only from literals.
 */
#include <string.h>

#include "assemble.h"
#include "tap.h"

static char out[2048];

static const char *
line(const char *s)
{
	size_t n = assemble_line(s, strlen(s), out, sizeof out - 1);

	out[n] = '\0';
	return out;
}

static const char *
map(const char *const *lines, int n, int cur)
{
	size_t lens[16], k;
	int i;

	for (i = 0; i < n; i++)
		lens[i] = strlen(lines[i]);
	k = assemble_map(lines, lens, n, cur, out, sizeof out - 1);
	out[k] = '\0';
	return out;
}

static void
test_line(void)
{
	is_str(line("u = \"?sv={}&sig={}\".format(\"2020\", 'abc')"),
	    "?sv=2020&sig=abc\n", ".format, positional");
	is_str(line("u = '?sv={1}&sig={0}'.format('abc', '2020')"),
	    "?sv=2020&sig=abc\n", ".format, numbered");
	is_str(line("u = '?sv={v}&sig={s}'.format(v='2020', s=\"abc\")"),
	    "?sv=2020&sig=abc\n", ".format, by name");
	is_str(line("u = '?sv={}&sig={}'.format(version, 'abc')"),
	    "?sv={}&sig=abc\n", ".format: a variable stays a field");
	is_str(line("u = '?sv=%s&sig=%s' % ('2020', 'abc')"),
	    "?sv=2020&sig=abc\n", "%%-formatting with a tuple");
	is_str(line("u = '?sig=%s' % 'abc'"), "?sig=abc\n",
	    "%%-formatting with one literal");
	is_str(line("u = format(\"?sv=%s&sig=%s\", \"2020\", \"abc\")"),
	    "?sv=2020&sig=abc\n", "Terraform format()");
	is_str(line("u = f\"?sv={'2020'}&sig={'abc'}\""),
	    "?sv=2020&sig=abc\n", "f-string with literal fields");
	is_str(line("u = `?sv=${'2020'}&sig=${\"abc\"}`"),
	    "?sv=2020&sig=abc\n", "JavaScript template with literals");
	is_str(line("s = join(\"&\", [\"sv=2020\", \"sig=abc\"])"),
	    "sv=2020&sig=abc\n", "Terraform join()");
	is_str(line("s = '&'.join(['sv=2020', 'sig=abc'])"),
	    "sv=2020&sig=abc\n", "Python str.join");
	is_str(line("s = ['sv=2020', 'sig=abc'].join('&')"),
	    "sv=2020&sig=abc\n", "JavaScript Array.join");
	is_str(line("x = compute(a, b)"), "", "nothing to build");
}

static void
test_map(void)
{
	static const char *const py[] = { "params = {", "  'sv': '2020',",
	    "  \"sp\": \"r\",", "  'sig': 'abc',", "}", "x = 1" };
	static const char *const yaml[] = { "sas:", "  sv: 2020-08-04",
	    "  se: \"2051-01-01\"", "  sig: abc # the signature" };
	static const char *const js[] = { "q = {sv: '2020', sig: 'abc'}" };
	static const char *const query[] = { "u = '?sv=2020&sig=abc'" };
	static const char *const tf[] = { "query = {", "  sv  = \"2020\"",
	    "  sig = \"abc\"", "}" };

	is_str(map(py, 6, 3), "sv=2020&sp=r&sig=abc\n", "a Python dict");
	is_str(map(yaml, 4, 3), "sv=2020-08-04&se=2051-01-01&sig=abc\n",
	    "a YAML map, bare and quoted values");
	is_str(map(js, 1, 0), "sv=2020&sig=abc\n", "a JavaScript object");
	is_str(map(tf, 4, 2), "sv=2020&sig=abc\n", "an HCL map");
	is_str(map(query, 1, 0), "", "a query string is not a map");
	ok(assemble_map_key("  'sig': 'abc',", 15), "a key named sig");
	ok(!assemble_map_key("  'signal': 1", 13) &&
	    !assemble_map_key("?a=1&sig=x", 10), "... not signal, nor a "
	    "query's own parameter");
}

int
main(void)
{
	test_line();
	test_map();
	return tap_done();
}
