/*
 * allow.h - exceptions: the findings a team has decided to live with, and
 * the fingerprints that name a token without revealing it.
 *
 * A fingerprint is the first 8 bytes of SHA-256 over the decoded 32-byte
 * signature, written as 16 lower-case hex digits. It names the token, not
 * its place: moving or re-indenting the line does not change it, and a
 * hash prefix cannot be turned back into the signature. It is the one
 * identity of a token: the report groups by it, baselines store it and
 * the inventory keys on it.
 *
 * The log hash is the name Azure Storage's resource logs give the token
 * in their AuthenticationHash column: "SasSignature(HEX)", HEX being the
 * upper-case hex SHA-256 of the signature string. That string is the
 * canonical base64 of the 32 decoded bytes, '=' padding included (what a
 * working token sends), so every spelling of one signature (%2F or %2f,
 * \u002F, padding left out) has one log hash. A full SHA-256 of 256
 * random bits cannot be turned back either.
 *
 * An exception applies to a finding (a token on which a rule fired) and
 * is checked in this order; the first that matches is the reason counted:
 *   inline       the added line holds "sasguard:allow" (unless
 *                [allow] inline = false, as a server should set)
 *   path         a glob from [allow] paths matches the finding's path
 *   fingerprint  the token's fingerprint is in [allow] fingerprints
 *   baseline     ... or in a baseline file (--baseline, [allow] baseline)
 *   regex        a PCRE2 pattern from [allow] regex matches the added line
 *
 * Globs (see glob_match): "*" and "?" stay inside one folder, "**" crosses
 * "/", and "**" followed by "/" also matches no folder at all; "[abc]",
 * "[a-z]" and "[!abc]" are classes; "\" quotes the next character. A glob
 * is matched against the whole path as the diff names it (no a/ or b/).
 *
 * Patterns are compiled with JIT when it is available and always matched
 * with ALLOW_MATCH_LIMIT and ALLOW_DEPTH_LIMIT; a pattern that trips a
 * limit makes allow_check() fail rather than say "allowed" or "not".
 *
 * A baseline file is text: one fingerprint per line, optionally followed
 * by white space and anything (a note); blank lines and lines starting
 * with '#' are comments.
 *
 * Nothing here prints or exits.
 */
#ifndef SASGUARD_ALLOW_H
#define SASGUARD_ALLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcre2.h>

#define FINGERPRINT_HEX 16
#define FINGERPRINT_BUFSIZE (FINGERPRINT_HEX + 1)
#define LOG_HASH_PREFIX "SasSignature("
#define LOG_HASH_BUFSIZE (sizeof LOG_HASH_PREFIX + 64 + 1)	/* ")" */
#define ALLOW_MARKER "sasguard:allow"
#define ALLOW_MATCH_LIMIT 10000000	/* PCRE2's own default */
#define ALLOW_DEPTH_LIMIT 10000		/* nested backtracking, interpreter */
#define ALLOW_ORIGIN_MAX 256		/* "file:line" of a pattern */
#define ALLOW_PATH_MAX 1024
#define ALLOW_ERR_MAX 512

enum allow_reason {
	ALLOW_NONE,
	ALLOW_INLINE,
	ALLOW_PATH,
	ALLOW_FINGERPRINT,
	ALLOW_BASELINE,
	ALLOW_REGEX,
	ALLOW_REASONS
};

/* A set of fingerprints, sorted and unique after fpset_sort(). */
struct fpset {
	uint64_t *v;
	size_t n, cap;
	size_t sorted;		/* v[0..sorted) is sorted and unique */
};

struct allow_regex {
	pcre2_code *code;
	char *pattern;
	char origin[ALLOW_ORIGIN_MAX];	/* "rules.ini:12" */
};

/*
 * All zero is a valid empty set of exceptions with inline markers off;
 * rules_init() turns them on from the built-in default.
 */
struct allow {
	int inline_marker;		/* honour "sasguard:allow" */
	char baseline[ALLOW_PATH_MAX];	/* [allow] baseline, resolved */
	char **paths;
	size_t npaths;
	struct allow_regex *regex;
	size_t nregex;
	struct fpset fingerprints;	/* [allow] fingerprints */
	struct fpset baselined;		/* from baseline files */
	/* Shared by every match: one scan at a time. */
	pcre2_match_context *mctx;
	pcre2_match_data *mdata;
};

/* Why allow_check() could not decide. */
struct allow_failure {
	const struct allow_regex *regex;
	int code;			/* PCRE2's error code */
};

void allow_release(struct allow *a);

/* Each returns 0, or -1 with err filled (without a "file:line: " prefix;
 * the caller knows the line). */
int allow_add_path(struct allow *a, const char *glob, char *err,
    size_t errlen);
int allow_add_regex(struct allow *a, const char *pattern,
    const char *origin, char *err, size_t errlen);
/* A list of fingerprints separated by commas or white space. */
int allow_add_fingerprints(struct allow *a, const char *list, char *err,
    size_t errlen);

/* Adds every fingerprint in the baseline file at path. err gets "cannot
 * read 'x': reason" or "x:3: what is wrong". */
int allow_load_baseline(struct allow *a, const char *path, char *err,
    size_t errlen);

/* Writes the [allow] section as rules_load() reads it back. */
void allow_print(const struct allow *a, FILE *out);

/*
 * Decides whether a finding is allowed. text[0..len) is the added line
 * (the window of it that holds the token, for a line over DIFF_WINDOW);
 * marked says the line holds ALLOW_MARKER. Returns an allow_reason, or -1
 * when a pattern failed (a limit tripped): *fail says which and why.
 */
int allow_check(const struct allow *a, const char *path, const char *text,
    size_t len, int marked, uint64_t fp, struct allow_failure *fail);

/* "inline", "path", "fingerprint", "baseline", "regex" ("" for none). */
const char *allow_reason_name(enum allow_reason r);

/* A PCRE2 error code in words, e.g. "match limit exceeded". */
void allow_error_words(int code, char *buf, size_t cap);

/* The fingerprint of a decoded signature, and its text form. */
uint64_t fingerprint_of(const unsigned char sig[32]);
char *fingerprint_format(uint64_t fp, char buf[FINGERPRINT_BUFSIZE]);
/* "SasSignature(<64 upper-case hex digits>)" of a decoded signature. */
char *log_hash_of(const unsigned char sig[32], char buf[LOG_HASH_BUFSIZE]);
/* s[0..n) must be exactly 16 hex digits (any case). Returns 0 or -1. */
int fingerprint_parse(const char *s, size_t n, uint64_t *out);

/* 1 when the glob matches the whole of path, else 0. */
int glob_match(const char *glob, const char *path);

/* Sets of fingerprints. fpset_add returns 0, or -1 out of memory. */
int fpset_add(struct fpset *s, uint64_t fp);
void fpset_sort(struct fpset *s);
int fpset_has(const struct fpset *s, uint64_t fp);	/* needs sorted */
void fpset_release(struct fpset *s);

/*
 * Writes the set (sorted, unique) as a baseline file at path, through a
 * temporary file in the same folder renamed over it, so a reader never
 * sees half a file. Returns 0, or -1 with err filled.
 */
int fpset_write(struct fpset *s, const char *path, char *err,
    size_t errlen);

#endif
