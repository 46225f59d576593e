/*
 * rules.c - load, print and apply the rule set.
 *
 * Files are read with Debian's libinih through our own line reader, so
 * that we know the number of every line (inih's handler is not told it)
 * and can refuse a line too long for inih instead of letting inih split
 * it into two lines silently.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "date.h"
#include "rules.h"

/* rules/default.ini, embedded byte for byte; see the Makefile. */
__asm__(
    ".section .rodata\n"
    ".global rules_default_ini\n"
    "rules_default_ini:\n"
    ".incbin \"rules/default.ini\"\n"
    ".byte 0\n"
    ".previous\n");
extern const char rules_default_ini[];

#define DAY 86400

static const char *const rule_names[RULE_COUNT] = {
	"account-sas",
	"long-expiry",
	"write-permissions",
	"unknown-expiry",
	"insecure-protocol",
};

static const char *const action_names[] = { "off", "warn", "block" };

/* What inih reads from, and where the first error went. */
struct loader {
	struct rules *rules;
	const char *name;
	const char *text;
	size_t pos;
	int lineno;
	char *err;
	size_t errlen;
	int failed;
};

const char *
rules_id_name(enum rule_id id)
{
	return id < RULE_COUNT ? rule_names[id] : "?";
}

const char *
rules_action_name(enum rule_action a)
{
	return (unsigned)a < 3 ? action_names[a] : "?";
}

static int
loader_fail(struct loader *ld, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (ld->failed)
		return 0;
	ld->failed = 1;
	k = snprintf(ld->err, ld->errlen, "%s:%d: ", ld->name, ld->lineno);
	if (k < 0 || (size_t)k >= ld->errlen)
		return 0;
	va_start(ap, fmt);
	vsnprintf(ld->err + k, ld->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return 0;
}

static int
find_rule(const char *section)
{
	int i;

	for (i = 0; i < RULE_COUNT; i++)
		if (strcmp(section, rule_names[i]) == 0)
			return i;
	return -1;
}

static int
known_section(const char *s, size_t n)
{
	char name[64];

	if (n >= sizeof name)
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	return find_rule(name) >= 0 || strcmp(name, "sasguard") == 0 ||
	    strcmp(name, "allow") == 0;
}

/* A "[section]" line: names outside our set are errors, even empty ones,
 * because a misspelt section would otherwise be ignored silently. */
static void
loader_check_section(struct loader *ld, const char *line, size_t n)
{
	const char *s = line, *end = line + n, *close;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s != '[')
		return;
	close = memchr(s, ']', (size_t)(end - s));
	if (close == NULL)
		return;		/* inih reports the syntax error */
	if (!known_section(s + 1, (size_t)(close - s - 1)))
		loader_fail(ld, "unknown section [%.*s]",
		    (int)(close - s - 1 > 60 ? 60 : close - s - 1), s + 1);
}

/*
 * inih's reader: hands out one line at a time, like fgets(). A line that
 * does not fit inih's buffer (num bytes with "\r\n\0") is an error here;
 * inih gets an empty line instead of the two halves it would make of it.
 */
static char *
loader_read(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	const char *p = ld->text + ld->pos, *nl;
	size_t n, content;

	if (*p == '\0')
		return NULL;
	nl = strchr(p, '\n');
	n = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
	ld->pos += n;
	ld->lineno++;
	content = n;
	if (content > 0 && p[content - 1] == '\n')
		content--;
	if (content > 0 && p[content - 1] == '\r')
		content--;
	if (num < 3 || content > (size_t)num - 3) {
		loader_fail(ld, "line is %zu bytes long; at most %d fit "
		    "(split a list over repeated keys)", content,
		    num < 3 ? 0 : num - 3);
		strcpy(str, "\n");
		return str;
	}
	loader_check_section(ld, p, content);
	memcpy(str, p, n);
	str[n] = '\0';
	return str;
}

static int
parse_action(struct loader *ld, const char *v, enum rule_action *out)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(v, action_names[i]) == 0) {
			*out = (enum rule_action)i;
			return 1;
		}
	}
	return loader_fail(ld, "action must be block, warn or off, not '%.60s'",
	    v);
}

static int
parse_long(struct loader *ld, const char *key, const char *v, long max,
    long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || x < 0 || x > max)
		return loader_fail(ld, "%s must be a whole number from 0 to "
		    "%ld, not '%.60s'", key, max, v);
	*out = x;
	return 1;
}

static int
parse_seconds(struct loader *ld, const char *v, double *out)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || errno != 0 || !(x >= 0) ||
	    x > 3600)
		return loader_fail(ld, "timeout must be seconds from 0 to "
		    "3600, not '%.60s'", v);
	*out = x;
	return 1;
}

static int
parse_choice(struct loader *ld, const char *key, const char *v,
    const char *no, const char *yes, int *out)
{
	if (strcmp(v, no) == 0)
		*out = 0;
	else if (strcmp(v, yes) == 0)
		*out = 1;
	else
		return loader_fail(ld, "%s must be %s or %s, not '%.60s'",
		    key, no, yes, v);
	return 1;
}

static int
parse_letters(struct loader *ld, const char *v, char *out, size_t cap)
{
	size_t i, n = strlen(v);

	if (n >= cap)
		return loader_fail(ld, "allowed_letters is too long");
	for (i = 0; i < n; i++)
		if (v[i] < 'a' || v[i] > 'z')
			return loader_fail(ld, "allowed_letters takes "
			    "permission letters a-z only, not '%.60s'", v);
	memcpy(out, v, n + 1);
	return 1;
}

static int
set_sasguard(struct loader *ld, const char *name, const char *value)
{
	struct rules *r = ld->rules;

	if (strcmp(name, "timeout") == 0)
		return parse_seconds(ld, value, &r->timeout);
	if (strcmp(name, "fail") == 0)
		return parse_choice(ld, name, value, "closed", "open",
		    &r->fail_open);
	if (strcmp(name, "bypass") == 0)
		return parse_choice(ld, name, value, "off", "on", &r->bypass);
	if (strcmp(name, "bypass_log") == 0) {
		if (strlen(value) >= sizeof r->bypass_log)
			return loader_fail(ld, "bypass_log is too long");
		strcpy(r->bypass_log, value);
		return 1;
	}
	return loader_fail(ld, "unknown key '%.60s' in [sasguard]", name);
}

/*
 * Every key must print back as "key = value" on a line the loader takes,
 * or --print-config would write a rule set that cannot be read again:
 * short enough, not starting with ';', which inih takes for a comment
 * once a space stands before it, and with no blank at either end, which
 * inih strips (a glob "/\v/" loses its '/' and would print as "\v/").
 */
static int
value_prints(struct loader *ld, const char *name, const char *value)
{
	size_t len = strlen(value), n = strlen(name) + 3 + len;

	if (value[0] == ';')
		return loader_fail(ld, "the value of '%s' starts with ';', "
		    "which reads as a comment", name);
	/* inih strips what isspace() calls blank from both ends. */
	if (len > 0 && (isspace((unsigned char)value[0]) ||
	    isspace((unsigned char)value[len - 1])))
		return loader_fail(ld, "the value of '%s' starts or ends with "
		    "a blank (space, tab, CR, VT or FF), which a rules line "
		    "does not keep", name);
	if (n <= RULES_LINE_MAX - 3)
		return 1;
	return loader_fail(ld, "'%s = ...' is %zu bytes as --print-config "
	    "writes it; at most %d fit on a rules line", name, n,
	    RULES_LINE_MAX - 3);
}

/* A relative baseline path is taken from the rules file's folder, so a
 * repository's rules file can name the baseline beside it. */
static int
set_baseline(struct loader *ld, const char *value)
{
	struct allow *a = &ld->rules->allow;
	const char *slash = strrchr(ld->name, '/');
	int n;

	if (value[0] == '\0' || value[0] == '/' || slash == NULL)
		n = snprintf(a->baseline, sizeof a->baseline, "%s", value);
	else
		n = snprintf(a->baseline, sizeof a->baseline, "%.*s/%s",
		    (int)(slash - ld->name), ld->name, value);
	if (n < 0 || (size_t)n >= sizeof a->baseline)
		return loader_fail(ld, "baseline path is too long");
	return value_prints(ld, "baseline", a->baseline);
}

static int
set_allow(struct loader *ld, const char *name, const char *value)
{
	struct allow *a = &ld->rules->allow;
	char err[ALLOW_ERR_MAX], origin[ALLOW_ORIGIN_MAX];
	int rc;

	if (strcmp(name, "inline") == 0)
		return parse_choice(ld, name, value, "false", "true",
		    &a->inline_marker);
	if (strcmp(name, "baseline") == 0)
		return set_baseline(ld, value);
	if (strcmp(name, "paths") == 0) {
		/* The glob is kept without its leading "./" or "/": that
		 * is what prints, so that is what must print well. */
		if (allow_add_path(a, value, err, sizeof err) != 0)
			return loader_fail(ld, "%s", err);
		return value_prints(ld, name, a->paths[a->npaths - 1]);
	} else if (strcmp(name, "fingerprints") == 0)
		rc = allow_add_fingerprints(a, value, err, sizeof err);
	else if (strcmp(name, "regex") == 0) {
		snprintf(origin, sizeof origin, "%s:%d", ld->name,
		    ld->lineno);
		rc = allow_add_regex(a, value, origin, err, sizeof err);
	} else
		return loader_fail(ld, "unknown key '%.60s' in [allow]", name);
	return rc == 0 ? 1 : loader_fail(ld, "%s", err);
}

static int
set_rule(struct loader *ld, int id, const char *name, const char *value)
{
	struct rules *r = ld->rules;

	if (strcmp(name, "action") == 0)
		return parse_action(ld, value, &r->action[id]);
	if (id == RULE_LONG_EXPIRY && strcmp(name, "max_days") == 0)
		return parse_long(ld, name, value, 36500, &r->max_days);
	if (id == RULE_WRITE_PERMISSIONS &&
	    strcmp(name, "allowed_letters") == 0)
		return parse_letters(ld, value, r->allowed_letters,
		    sizeof r->allowed_letters);
	return loader_fail(ld, "unknown key '%.60s' in [%s]", name,
	    rule_names[id]);
}

static int
loader_handle(void *user, const char *section, const char *name,
    const char *value)
{
	struct loader *ld = user;
	int id;

	if (ld->failed || !value_prints(ld, name, value))
		return 0;
	if (strcmp(section, "sasguard") == 0)
		return set_sasguard(ld, name, value);
	if (strcmp(section, "allow") == 0)
		return set_allow(ld, name, value);
	if ((id = find_rule(section)) >= 0)
		return set_rule(ld, id, name, value);
	if (*section == '\0')
		return loader_fail(ld, "key '%.60s' is outside any [section]",
		    name);
	return loader_fail(ld, "unknown section [%.60s]", section);
}

int
rules_load_string(struct rules *r, const char *text, const char *name,
    char *err, size_t errlen)
{
	struct loader ld;
	int line;

	memset(&ld, 0, sizeof ld);
	ld.rules = r;
	ld.name = name;
	ld.text = text;
	ld.err = err;
	ld.errlen = errlen;
	/* An indented key is a key, not the continuation of the one above. */
	ini_allow_multiline = 0;
	line = ini_parse_stream(loader_read, &ld, loader_handle, &ld);
	if (ld.failed)
		return -1;
	if (line > 0) {
		snprintf(err, errlen, "%s:%d: cannot parse this line: want "
		    "'[section]', 'key = value' or a ';' comment", name, line);
		return -1;
	}
	if (line < 0) {
		snprintf(err, errlen, "%s: cannot parse: out of memory", name);
		return -1;
	}
	return 0;
}

/* Reads a whole rules file; it is small by nature, so cap it. */
static char *
file_slurp(const char *path, char *err, size_t errlen)
{
	enum { CAP = 1 << 20 };
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((buf = malloc(CAP + 1)) == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(ENOMEM));
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, CAP + 1, f);
	if (ferror(f) || n > CAP) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    ferror(f) ? strerror(errno) : "larger than 1 MiB");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		snprintf(err, errlen, "cannot read '%s': it holds a NUL byte, "
		    "not INI text", path);
		free(buf);
		return NULL;
	}
	return buf;
}

int
rules_load(struct rules *r, const char *path, char *err, size_t errlen)
{
	char *text;
	int rc;

	if ((text = file_slurp(path, err, errlen)) == NULL)
		return -1;
	rc = rules_load_string(r, text, path, err, errlen);
	free(text);
	return rc;
}

int
rules_init(struct rules *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	return rules_load_string(r, rules_default_ini, "rules/default.ini",
	    err, errlen);
}

void
rules_release(struct rules *r)
{
	allow_release(&r->allow);
}

int
rules_print(const struct rules *r, FILE *out)
{
	int i;

	fprintf(out, "; the effective sasguard rule set\n");
	for (i = 0; i < RULE_COUNT; i++) {
		fprintf(out, "\n[%s]\naction = %s\n", rule_names[i],
		    action_names[r->action[i]]);
		if (i == RULE_LONG_EXPIRY)
			fprintf(out, "max_days = %ld\n", r->max_days);
		if (i == RULE_WRITE_PERMISSIONS)
			fprintf(out, "allowed_letters = %s\n",
			    r->allowed_letters);
	}
	fprintf(out, "\n[sasguard]\ntimeout = %g\nfail = %s\nbypass = %s\n"
	    "bypass_log = %s\n", r->timeout, r->fail_open ? "open" : "closed",
	    r->bypass ? "on" : "off", r->bypass_log);
	allow_print(&r->allow, out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* Looks the key up in rules_print()'s own output, so that what --get
 * says and what --print-config says can never disagree. */
int
rules_get(const struct rules *r, const char *name, char *buf, size_t cap)
{
	const char *dot = strchr(name, '.');
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, seclen;
	int in_section = 0, found = -1;
	FILE *f;

	if (dot == NULL || (f = open_memstream(&text, &len)) == NULL)
		return -1;
	rules_print(r, f);
	fclose(f);
	seclen = (size_t)(dot - name);
	for (line = strtok_r(text, "\n", &save); line != NULL && found < 0;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t k = strlen(dot + 1);

		if (line[0] == '[')
			in_section = strlen(line) == seclen + 2 &&
			    strncmp(line + 1, name, seclen) == 0;
		else if (in_section && strncmp(line, dot + 1, k) == 0 &&
		    strncmp(line + k, " = ", 3) == 0) {
			snprintf(buf, cap, "%s", line + k + 3);
			found = 0;
		}
	}
	free(text);
	return found;
}

static void
hit_add(const struct rules *r, struct judgement *j, enum rule_id id,
    const char *fmt, ...)
{
	struct rule_hit *h;
	va_list ap;

	if (r->action[id] == ACTION_OFF)
		return;
	h = &j->hit[j->nhits++];
	h->rule = id;
	h->action = r->action[id];
	va_start(ap, fmt);
	vsnprintf(h->why, sizeof h->why, fmt, ap);
	va_end(ap);
	if (h->action > j->worst)
		j->worst = h->action;
}

static void
judge_account(const struct rules *r, const struct sas_token *t,
    struct judgement *j)
{
	char words[96];

	if (t->kind != SAS_ACCOUNT)
		return;
	if (t->ss[0] != '\0')
		sas_services_words(t->ss, words, sizeof words);
	else
		strcpy(words, "its services");
	hit_add(r, j, RULE_ACCOUNT_SAS, "account-level SAS for %s: reaches "
	    "every container, and only rotating the account key revokes it",
	    words);
}

static void
judge_lifetime(const struct rules *r, const struct sas_token *t,
    int64_t now, struct judgement *j)
{
	int64_t limit = (int64_t)r->max_days * DAY;
	char a[DATE_BUFSIZE], b[DATE_BUFSIZE];

	if (!t->has_se || !t->se_ok) {
		if (t->has_se)
			hit_add(r, j, RULE_UNKNOWN_EXPIRY, "expiry se='%.40s' "
			    "is not a date: how long it lasts cannot be shown",
			    t->se_text);
		else if (t->policy_backed)
			hit_add(r, j, RULE_UNKNOWN_EXPIRY, "no expiry in the "
			    "token: it lives in stored access policy '%.40s', "
			    "so a short validity cannot be shown", t->si);
		else
			hit_add(r, j, RULE_UNKNOWN_EXPIRY, "no expiry (se): a "
			    "short validity cannot be shown");
		return;
	}
	j->expired = t->se < now;
	j->lifetime_known = t->st_ok || !j->expired;
	j->lifetime = t->st_ok ? t->se - t->st : t->se - now;
	if (!j->lifetime_known || j->lifetime <= limit)
		return;
	if (t->st_ok)
		hit_add(r, j, RULE_LONG_EXPIRY, "valid for %lld days, from %s "
		    "to %s: more than %ld", (long long)(j->lifetime / DAY),
		    date_format(t->st, a), date_format(t->se, b), r->max_days);
	else
		hit_add(r, j, RULE_LONG_EXPIRY, "valid for %lld more days, "
		    "until %s: more than %ld", (long long)(j->lifetime / DAY),
		    date_format(t->se, b), r->max_days);
}

static void
judge_permissions(const struct rules *r, const struct sas_token *t,
    struct judgement *j)
{
	char bad[SAS_VALUE_MAX], words[160];
	size_t i, k = 0;

	if (!t->has_sp)
		return;
	for (i = 0; t->sp[i] != '\0'; i++) {
		char c = t->sp[i];

		if ((c < 'a' || c > 'z' || strchr(r->allowed_letters, c) ==
		    NULL) && memchr(bad, c, k) == NULL)
			bad[k++] = c;
	}
	bad[k] = '\0';
	if (k == 0)
		return;
	sas_permissions_words(bad, words, sizeof words);
	hit_add(r, j, RULE_WRITE_PERMISSIONS, "sp=%s grants %s", t->sp, words);
}

static void
judge_protocol(const struct rules *r, const struct sas_token *t,
    struct judgement *j)
{
	const char *p = t->spr;

	if (!t->has_spr) {
		hit_add(r, j, RULE_INSECURE_PROTOCOL, "no spr: plain HTTP is "
		    "allowed (Azure's default is https,http)");
		return;
	}
	/* spr is a comma list: look for an element that is exactly http. */
	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (n == 4 && strncasecmp(p, "http", 4) == 0) {
			hit_add(r, j, RULE_INSECURE_PROTOCOL, "spr=%s allows "
			    "plain HTTP", t->spr);
			return;
		}
		p += n + (p[n] == ',');
	}
}

void
rules_judge(const struct rules *r, const struct sas_token *tok, int64_t now,
    struct judgement *j)
{
	memset(j, 0, sizeof *j);
	j->worst = ACTION_OFF;
	judge_account(r, tok, j);
	judge_lifetime(r, tok, now, j);
	judge_permissions(r, tok, j);
	judge_protocol(r, tok, j);
}
