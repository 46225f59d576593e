/*
 * json.c - JSON strings and URIs from arbitrary bytes.
 */
#include <string.h>

#include "json.h"

size_t
utf8_valid(const unsigned char *s, size_t n)
{
	size_t need, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3, cp = s[0] & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need + 1;
}

static void
json_escape(FILE *out, unsigned char c)
{
	switch (c) {
	case '"': fputs("\\\"", out); break;
	case '\\': fputs("\\\\", out); break;
	case '\n': fputs("\\n", out); break;
	case '\r': fputs("\\r", out); break;
	case '\t': fputs("\\t", out); break;
	case '\b': fputs("\\b", out); break;
	case '\f': fputs("\\f", out); break;
	default: fprintf(out, "\\u%04x", c); break;
	}
}

void
json_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	fputc('"', out);
	while (i < n) {
		if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\' ||
		    p[i] == 0x7f) {
			json_escape(out, p[i]);
			i++;
		} else if ((k = utf8_valid(p + i, n - i)) > 0) {
			fwrite(p + i, 1, k, out);
			i += k;
		} else {
			fputs("\xef\xbf\xbd", out);	/* U+FFFD */
			i++;
		}
	}
	fputc('"', out);
}

void
json_str(FILE *out, const char *s)
{
	json_string(out, s, strlen(s));
}

void
json_uri(FILE *out, const char *path)
{
	static const char keep[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/";
	const unsigned char *p = (const unsigned char *)path;

	fputc('"', out);
	for (; *p != '\0'; p++) {
		if (strchr(keep, *p) != NULL)
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	fputc('"', out);
}
