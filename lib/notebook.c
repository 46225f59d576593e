/*
 * notebook.c - a notebook's JSON string elements as lines of code; see
 * notebook.h.
 */
#include <string.h>

#include "decode.h"
#include "notebook.h"

#define SUFFIX ".ipynb"

int
notebook_path(const char *path)
{
	size_t n = strlen(path), k = strlen(SUFFIX);

	return n > k && memcmp(path + n - k, SUFFIX, k) == 0;
}

static size_t
blanks(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i;
}

/* Past a JSON string that starts at s[i] == '"': the index after its
 * closing quote, or 0 when it does not close on the line. */
static size_t
string_end(const char *s, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

int
notebook_element(const char *s, size_t len, char *out, size_t cap,
    size_t *outn, int *newline)
{
	size_t i, a, b, e, k, n, o = 0;
	char u[4];

	*outn = 0;
	*newline = 0;
	if ((i = blanks(s, 0, len)) >= len || s[i] != '"' ||
	    (e = string_end(s, i, len)) == 0)
		return 0;
	/* "source": [ "first line\n", - the key, then the first element. */
	if ((k = blanks(s, e, len)) < len && s[k] == ':') {
		k = blanks(s, k + 1, len);
		if (k >= len || s[k] != '[')
			return 0;
		if ((i = blanks(s, k + 1, len)) >= len || s[i] != '"' ||
		    (e = string_end(s, i, len)) == 0)
			return 0;
	}
	k = blanks(s, e, len);
	if (k < len && (s[k] == ',' || s[k] == ']'))
		k = blanks(s, k + 1, len);
	if (k < len && s[k] == ',')	/* "],": the array's end */
		k = blanks(s, k + 1, len);
	if (k != len)
		return 0;
	for (a = i + 1, b = e - 1; a < b;) {
		if (s[a] == '\\' &&
		    (k = decode_json_escape(s + a, b - a, u, sizeof u, &n)) > 0)
			a += k;
		else {
			u[0] = s[a++];
			n = 1;
		}
		if (n > cap - o)
			n = cap - o;
		memcpy(out + o, u, n);
		o += n;
	}
	if (o > 0 && out[o - 1] == '\n') {
		o--;
		*newline = 1;
	}
	*outn = o;
	return 1;
}
