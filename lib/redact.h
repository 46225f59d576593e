/*
 * redact.h - text that may hold a SAS signature, made safe to print.
 *
 * The token finder shows each token it judges with its signature
 * redacted (sas.h, `shown`); this is for the text around a finding that
 * the finder did not judge but a report prints: a file's path, which
 * `wget URL` names after the URL, query string and signature included.
 * Every value of a parameter named "sig" (any case; '=' as it is or
 * percent-, JSON-, C- or HTML-encoded) longer than 3 characters keeps its
 * first 3 characters and becomes "…[redacted]".
 */
#ifndef SASGUARD_REDACT_H
#define SASGUARD_REDACT_H

#include <stddef.h>

/* Writes text[0..len) redacted to out (NUL-terminated, at most cap - 1
 * bytes). Returns 1 when something was redacted, else 0. */
int redact_signatures(const char *text, size_t len, char *out, size_t cap);

#endif
