/*
 * Unit tests for lib/notebook.c: which lines are a JSON array's string
 * elements, and the code they hold.
 */
#include <string.h>

#include "notebook.h"
#include "tap.h"

static void
element(const char *line, int want, const char *text, int newline,
    const char *why)
{
	char out[256];
	size_t n = 0;
	int nl = -1, r;

	r = notebook_element(line, strlen(line), out, sizeof out - 1, &n, &nl);
	out[n] = '\0';
	is_int(r, want, "%s: an element or not", why);
	if (want) {
		is_str(out, text, "%s: its code", why);
		is_int(nl, newline, "%s: ends its line of code", why);
	}
}

int
main(void)
{
	element("    \"url = \\\"https://a/?sv=1\\\"\\n\",", 1,
	    "url = \"https://a/?sv=1\"", 1, "a source line, escaped quotes");
	element("    \"&sig=abc\"", 1, "&sig=abc", 0, "the last element");
	element("   \"source\": [\"x = 1\\n\",", 1, "x = 1", 1,
	    "the first element on the key's line");
	element("    \"\\u0026sig=\\/x\\t\"],", 1, "&sig=/x\t", 0,
	    "escapes decoded, the array's end after it");
	element("   \"cell_type\": \"code\",", 0, "", 0,
	    "a key and a string value is not an element");
	element("    \"a\" + \"b\",", 0, "", 0, "code after the string");
	element("    \"unterminated", 0, "", 0, "a string that does not end");
	element("", 0, "", 0, "an empty line");
	ok(notebook_path("a/b/train.ipynb"), "a notebook by its name");
	ok(!notebook_path("ipynb") && !notebook_path("x.ipynb.bak"),
	    "... not another file");
	return tap_done();
}
