/*
 * redact.c - signatures out of text a report prints (see redact.h).
 */
#include <string.h>

#include "redact.h"

#define REDACTED "\xe2\x80\xa6[redacted]"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The spellings of '=' after "sig": how many bytes, or 0 for none. */
static size_t
equals_len(const char *p, size_t n)
{
	static const char *const forms[] = {
		"=", "%3d", "%253d", "%25253d", "\\u003d", "\\x3d", "&#61;",
		"&#x3d;", "%%3d"
	};
	size_t i, k, j;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		k = strlen(forms[i]);
		if (k > n)
			continue;
		for (j = 0; j < k && lower((unsigned char)p[j]) == forms[i][j];
		    j++)
			;
		if (j == k)
			return k;
	}
	return 0;
}

/* Where a value ends: at a separator of queries, strings or words. */
static size_t
value_len(const char *p, size_t n)
{
	size_t k = 0;

	while (k < n && strchr("&;\"'<> \t\r\n,)]}", p[k]) == NULL &&
	    p[k] != '\0')
		k++;
	return k;
}

int
redact_signatures(const char *text, size_t len, char *out, size_t cap)
{
	size_t i = 0, o = 0, eq, v;
	int did = 0;

	if (cap == 0)
		return 0;
	while (i < len && o + 1 < cap) {
		if (i + 3 < len && lower((unsigned char)text[i]) == 's' &&
		    lower((unsigned char)text[i + 1]) == 'i' &&
		    lower((unsigned char)text[i + 2]) == 'g' &&
		    (eq = equals_len(text + i + 3, len - i - 3)) > 0) {
			v = value_len(text + i + 3 + eq, len - i - 3 - eq);
			if (v > 3 && o + 3 + eq + 3 + sizeof REDACTED < cap) {
				memcpy(out + o, text + i, 3 + eq + 3);
				o += 3 + eq + 3;
				memcpy(out + o, REDACTED, sizeof REDACTED - 1);
				o += sizeof REDACTED - 1;
				i += 3 + eq + v;
				did = 1;
				continue;
			}
			if (v > 3) {
				/* No room for the redacted form: stop here
				 * rather than print any of the value. */
				did = 1;
				break;
			}
		}
		out[o++] = text[i++];
	}
	out[o] = '\0';
	return did;
}
