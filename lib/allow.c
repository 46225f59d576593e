/*
 * allow.c - exceptions, fingerprints and baseline files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "allow.h"
#include "diff.h"
#include "sha256.h"

static const char *const reason_names[ALLOW_REASONS] = {
	"", "inline", "path", "fingerprint", "baseline", "regex"
};

const char *
allow_reason_name(enum allow_reason r)
{
	return (unsigned)r < ALLOW_REASONS ? reason_names[r] : "?";
}

uint64_t
fingerprint_of(const unsigned char sig[32])
{
	unsigned char d[SHA256_SIZE];
	uint64_t fp = 0;
	int i;

	sha256_digest(sig, 32, d);
	for (i = 0; i < 8; i++)
		fp = fp << 8 | d[i];
	return fp;
}

/* The signature string a working token carries: base64 with padding. */
static void
base64_of(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 |
		    (unsigned long)in[i + 1] << 8 | in[i + 2];

		*out++ = digits[v >> 18 & 63];
		*out++ = digits[v >> 12 & 63];
		*out++ = digits[v >> 6 & 63];
		*out++ = digits[v & 63];
	}
	if (i < n) {
		unsigned long v = (unsigned long)in[i] << 16 |
		    (i + 1 < n ? (unsigned long)in[i + 1] << 8 : 0);

		*out++ = digits[v >> 18 & 63];
		*out++ = digits[v >> 12 & 63];
		*out++ = i + 1 < n ? digits[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

char *
log_hash_of(const unsigned char sig[32], char buf[LOG_HASH_BUFSIZE])
{
	char text[45];		/* 44 base64 digits, '=' included */
	unsigned char d[SHA256_SIZE];
	size_t len = sizeof LOG_HASH_PREFIX - 1;
	int i;

	base64_of(sig, 32, text);
	sha256_digest(text, strlen(text), d);
	memcpy(buf, LOG_HASH_PREFIX, len);
	for (i = 0; i < SHA256_SIZE; i++) {
		buf[len++] = "0123456789ABCDEF"[d[i] >> 4];
		buf[len++] = "0123456789ABCDEF"[d[i] & 15];
	}
	buf[len++] = ')';
	buf[len] = '\0';
	return buf;
}

char *
fingerprint_format(uint64_t fp, char buf[FINGERPRINT_BUFSIZE])
{
	snprintf(buf, FINGERPRINT_BUFSIZE, "%016llx", (unsigned long long)fp);
	return buf;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
fingerprint_parse(const char *s, size_t n, uint64_t *out)
{
	uint64_t fp = 0;
	size_t i;

	if (n != FINGERPRINT_HEX)
		return -1;
	for (i = 0; i < n; i++) {
		int v = hex_value(s[i]);

		if (v < 0)
			return -1;
		fp = fp << 4 | (uint64_t)v;
	}
	*out = fp;
	return 0;
}

/* Sets of fingerprints */

static int
fp_compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void
fpset_sort(struct fpset *s)
{
	size_t i, k = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof s->v[0], fp_compare);
	for (i = 0; i < s->n; i++)
		if (k == 0 || s->v[k - 1] != s->v[i])
			s->v[k++] = s->v[i];
	s->n = s->sorted = k;
}

int
fpset_add(struct fpset *s, uint64_t fp)
{
	if (s->n == s->cap) {
		size_t cap;
		uint64_t *v;

		/* Repeats are common (one token, many places): squeeze
		 * them out before growing. */
		fpset_sort(s);
		if (s->n * 2 > s->cap || s->cap == 0) {
			cap = s->cap ? s->cap * 2 : 64;
			if ((v = realloc(s->v, cap * sizeof *v)) == NULL)
				return -1;
			s->v = v;
			s->cap = cap;
		}
	}
	s->v[s->n++] = fp;
	return 0;
}

int
fpset_has(const struct fpset *s, uint64_t fp)
{
	size_t i;

	if (s->sorted > 0 && bsearch(&fp, s->v, s->sorted, sizeof fp,
	    fp_compare) != NULL)
		return 1;
	for (i = s->sorted; i < s->n; i++)
		if (s->v[i] == fp)
			return 1;
	return 0;
}

void
fpset_release(struct fpset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int
fpset_emit(const struct fpset *s, FILE *f)
{
	char hex[FINGERPRINT_BUFSIZE];
	size_t i;

	fprintf(f, "# sasguard baseline: fingerprints of SAS tokens accepted "
	    "as they are.\n"
	    "# Written by sasguard --write-baseline. One fingerprint (16 hex "
	    "digits, the start of\n"
	    "# SHA-256 over the token's signature) per line; text after it "
	    "is a note.\n");
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s\n", fingerprint_format(s->v[i], hex));
	return ferror(f) ? -1 : 0;
}

int
fpset_write(struct fpset *s, const char *path, char *err, size_t errlen)
{
	char tmp[ALLOW_PATH_MAX + 16];
	mode_t mask;
	FILE *f;
	int fd, saved;

	fpset_sort(s);
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
		    strerror(ENAMETOOLONG));
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	/* mkstemp makes 0600; a baseline is meant to be committed. */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (fpset_emit(s, f) != 0 || fflush(f) != 0 || fsync(fd) != 0) {
		saved = errno;
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		goto fail;
	}
	return 0;
fail:
	unlink(tmp);
	snprintf(err, errlen, "cannot write '%s': %s", path,
	    strerror(saved ? saved : EIO));
	return -1;
}

/* Exceptions */

void
allow_release(struct allow *a)
{
	size_t i;

	for (i = 0; i < a->npaths; i++)
		free(a->paths[i]);
	free(a->paths);
	for (i = 0; i < a->nregex; i++) {
		pcre2_code_free(a->regex[i].code);
		free(a->regex[i].pattern);
	}
	free(a->regex);
	fpset_release(&a->fingerprints);
	fpset_release(&a->baselined);
	pcre2_match_data_free(a->mdata);
	pcre2_match_context_free(a->mctx);
	memset(a, 0, sizeof *a);
}

int
allow_add_path(struct allow *a, const char *glob, char *err, size_t errlen)
{
	char **v, *copy;

	/* Paths are matched relative to the top; a blank left in front
	 * would not survive being printed and read back by inih. */
	for (;;) {
		if (glob[0] == '.' && glob[1] == '/')
			glob += 2;
		else if (glob[0] == '/' || glob[0] == ' ' || glob[0] == '\t')
			glob++;
		else
			break;
	}
	if (*glob == '\0') {
		snprintf(err, errlen, "paths needs a glob, e.g. 'test/**'");
		return -1;
	}
	if ((copy = strdup(glob)) == NULL ||
	    (v = realloc(a->paths, (a->npaths + 1) * sizeof *v)) == NULL) {
		free(copy);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->paths = v;
	a->paths[a->npaths++] = copy;
	return 0;
}

void
allow_error_words(int code, char *buf, size_t cap)
{
	if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, cap) < 0)
		snprintf(buf, cap, "PCRE2 error %d", code);
}

/* The context and match data every pattern shares, made with the first
 * pattern so that a rule set without any stays all zero. */
static int
allow_matcher_init(struct allow *a)
{
	if (a->mctx != NULL)
		return 0;
	a->mctx = pcre2_match_context_create(NULL);
	a->mdata = pcre2_match_data_create(1, NULL);
	if (a->mctx == NULL || a->mdata == NULL)
		return -1;
	pcre2_set_match_limit(a->mctx, ALLOW_MATCH_LIMIT);
	pcre2_set_depth_limit(a->mctx, ALLOW_DEPTH_LIMIT);
	return 0;
}

int
allow_add_regex(struct allow *a, const char *pattern, const char *origin,
    char *err, size_t errlen)
{
	struct allow_regex *v, *re;
	PCRE2_SIZE at;
	char words[256];
	int code;

	if (allow_matcher_init(a) != 0 || (v = realloc(a->regex,
	    (a->nregex + 1) * sizeof *v)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->regex = v;
	re = &a->regex[a->nregex];
	memset(re, 0, sizeof *re);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    0, &code, &at, NULL);
	if (re->code == NULL) {
		allow_error_words(code, words, sizeof words);
		snprintf(err, errlen, "regex does not compile at offset %zu: "
		    "%s", (size_t)at, words);
		return -1;
	}
	/* Without JIT (not built, or no executable memory) the interpreter
	 * runs the same pattern under the same limits. */
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	if ((re->pattern = strdup(pattern)) == NULL) {
		pcre2_code_free(re->code);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(re->origin, sizeof re->origin, "%s", origin);
	a->nregex++;
	return 0;
}

int
allow_add_fingerprints(struct allow *a, const char *list, char *err,
    size_t errlen)
{
	const char *sep = ", \t";
	const char *p = list;
	uint64_t fp;
	int any = 0;

	for (;;) {
		size_t n;

		p += strspn(p, sep);
		if (*p == '\0')
			break;
		n = strcspn(p, sep);
		if (fingerprint_parse(p, n, &fp) != 0) {
			snprintf(err, errlen, "'%.*s' is not a fingerprint "
			    "(16 hex digits, as sasguard prints them)",
			    (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		if (fpset_add(&a->fingerprints, fp) != 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		any = 1;
		p += n;
	}
	if (!any) {
		snprintf(err, errlen, "fingerprints needs at least one");
		return -1;
	}
	fpset_sort(&a->fingerprints);
	return 0;
}

/* One line of a baseline file: a fingerprint, or a comment. */
static int
baseline_line(struct allow *a, char *line, uint64_t *fp)
{
	size_t n;

	line[strcspn(line, "\r\n")] = '\0';
	line += strspn(line, " \t");
	if (*line == '\0' || *line == '#')
		return 0;
	n = strcspn(line, " \t");
	if (fingerprint_parse(line, n, fp) != 0)
		return -1;
	return fpset_add(&a->baselined, *fp) == 0 ? 1 : -2;
}

int
allow_load_baseline(struct allow *a, const char *path, char *err,
    size_t errlen)
{
	char line[512];
	uint64_t fp;
	long lineno = 0;
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
		int r;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f))
			r = -1;		/* a line that long is no baseline */
		else
			r = baseline_line(a, line, &fp);
		if (r == -1)
			rc = snprintf(err, errlen, "%s:%ld: want a fingerprint "
			    "(16 hex digits) or a '#' comment", path, lineno);
		else if (r == -2)
			rc = snprintf(err, errlen, "out of memory");
	}
	if (rc == 0 && ferror(f))
		rc = snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
	fclose(f);
	fpset_sort(&a->baselined);
	return rc == 0 ? 0 : -1;
}

void
allow_print(const struct allow *a, FILE *out)
{
	char hex[FINGERPRINT_BUFSIZE];
	size_t i;

	fprintf(out, "\n[allow]\ninline = %s\nbaseline = %s\n",
	    a->inline_marker ? "true" : "false", a->baseline);
	for (i = 0; i < a->npaths; i++)
		fprintf(out, "paths = %s\n", a->paths[i]);
	for (i = 0; i < a->fingerprints.n; i++)
		fprintf(out, "fingerprints = %s\n",
		    fingerprint_format(a->fingerprints.v[i], hex));
	for (i = 0; i < a->nregex; i++)
		fprintf(out, "regex = %s\n", a->regex[i].pattern);
}

/* Globs */

enum glob_kind { G_CHAR, G_ONE, G_CLASS, G_STAR, G_DSTAR, G_DSTAR_SLASH };

/* Reads the element of the glob at *g; advances *g past it. For a class,
 * cls and clslen give its inside. */
static enum glob_kind
glob_next(const char **g, const char *at_start, char *c, const char **cls,
    size_t *clslen)
{
	const char *p = *g, *close;

	if (p[0] == '*' && p[1] == '*') {
		/* "**" then "/", at the start or after a "/", may match no
		 * folder at all. */
		if (p[2] == '/' && (p == at_start || p[-1] == '/')) {
			*g = p + 3;
			return G_DSTAR_SLASH;
		}
		while (*p == '*')
			p++;
		*g = p;
		return G_DSTAR;
	}
	if (p[0] == '*') {
		*g = p + 1;
		return G_STAR;
	}
	if (p[0] == '?') {
		*g = p + 1;
		return G_ONE;
	}
	if (p[0] == '[' && (close = strchr(p + 2, ']')) != NULL) {
		*cls = p + 1;
		*clslen = (size_t)(close - p - 1);
		*g = close + 1;
		return G_CLASS;
	}
	if (p[0] == '\\' && p[1] != '\0')
		p++;
	*c = *p;
	*g = p + 1;
	return G_CHAR;
}

static int
class_match(const char *cls, size_t n, char c)
{
	int negate = 0, hit = 0;
	size_t i = 0;

	if (n > 0 && (cls[0] == '!' || cls[0] == '^')) {
		negate = 1;
		i = 1;
	}
	for (; i < n; i++) {
		if (i + 2 < n && cls[i + 1] == '-') {
			hit |= c >= cls[i] && c <= cls[i + 2];
			i += 2;
		} else
			hit |= c == cls[i];
	}
	return c != '/' && hit != negate;
}

/*
 * Which positions of the path the glob can have reached, one element at a
 * time: linear in glob length times path length, whatever the glob, so
 * no "**a**a**a" can make it backtrack without end.
 */
int
glob_match(const char *glob, const char *path)
{
	unsigned char cur[DIFF_PATH_MAX + 1], next[DIFF_PATH_MAX + 1];
	size_t n = strlen(path), i;
	const char *g = glob, *cls = NULL;
	size_t clslen = 0;
	char c = 0;

	if (n > DIFF_PATH_MAX)
		return 0;
	memset(cur, 0, n + 1);
	cur[0] = 1;
	while (*g != '\0') {
		enum glob_kind k = glob_next(&g, glob, &c, &cls, &clslen);
		int carry = 0, any = 0;

		memset(next, 0, n + 1);
		for (i = 0; i <= n; i++) {
			carry |= cur[i];
			switch (k) {
			case G_CHAR:
				if (i < n && cur[i] && path[i] == c)
					next[i + 1] = any = 1;
				break;
			case G_ONE:
			case G_CLASS:
				if (i < n && cur[i] && path[i] != '/' &&
				    (k == G_ONE || class_match(cls, clslen,
				    path[i])))
					next[i + 1] = any = 1;
				break;
			case G_STAR:
				next[i] = (unsigned char)carry;
				any |= carry;
				if (i < n && path[i] == '/')
					carry = 0;
				break;
			case G_DSTAR:
				next[i] = (unsigned char)carry;
				any |= carry;
				break;
			case G_DSTAR_SLASH:
				/* no folder, or any text ending in '/' */
				if (cur[i] || (i > 0 && path[i - 1] == '/' &&
				    carry))
					next[i] = any = 1;
				break;
			}
		}
		if (!any)
			return 0;
		memcpy(cur, next, n + 1);
	}
	return cur[n];
}

/* The check */

static int
regex_match(const struct allow *a, const struct allow_regex *re,
    const char *text, size_t len, struct allow_failure *fail)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, a->mdata,
	    a->mctx);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	fail->regex = re;
	fail->code = rc;
	return -1;
}

int
allow_check(const struct allow *a, const char *path, const char *text,
    size_t len, int marked, uint64_t fp, struct allow_failure *fail)
{
	size_t i;
	int m;

	if (marked && a->inline_marker)
		return ALLOW_INLINE;
	for (i = 0; path[0] != '\0' && i < a->npaths; i++)
		if (glob_match(a->paths[i], path))
			return ALLOW_PATH;
	if (fpset_has(&a->fingerprints, fp))
		return ALLOW_FINGERPRINT;
	if (fpset_has(&a->baselined, fp))
		return ALLOW_BASELINE;
	for (i = 0; i < a->nregex; i++)
		if ((m = regex_match(a, &a->regex[i], text, len, fail)) != 0)
			return m > 0 ? ALLOW_REGEX : -1;
	return ALLOW_NONE;
}
