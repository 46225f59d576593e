/*
 * json.h - the few pieces of JSON writing the JSON and SARIF reports need.
 *
 * Strings are written from bytes, whatever they hold: '"', '\' and the
 * control characters are escaped (\n, \t, ... or \u00XX), valid UTF-8 is
 * copied as it is, and each byte that is not part of valid UTF-8 (a
 * Latin-1 path, a cut sequence, an overlong form, a surrogate) becomes
 * U+FFFD, so the document is always valid JSON in UTF-8.
 */
#ifndef SASGUARD_JSON_H
#define SASGUARD_JSON_H

#include <stddef.h>
#include <stdio.h>

void json_string(FILE *out, const char *s, size_t n);
void json_str(FILE *out, const char *s);	/* NUL-terminated */

/*
 * A path as a relative URI reference inside a JSON string, for SARIF's
 * artifactLocation.uri: unreserved characters and "/" stay, every other
 * byte is percent-encoded (so a space is %20, "é" is %C3%A9).
 */
void json_uri(FILE *out, const char *path);

/* The length of the valid UTF-8 sequence at s[0..n), or 0 if none. */
size_t utf8_valid(const unsigned char *s, size_t n);

#endif
