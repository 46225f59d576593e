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

#include <stddef.h>

#include <ini.h>

#include "acctkey.h"
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
	return (unsigned)id < RULE_COUNT ? rules_table[id].section : "?";
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

/* The keys of a rule's or a setting's section, or NULL. */
static const struct rules_key *
find_keys(const char *section)
{
	size_t i;

	for (i = 0; i < RULE_COUNT; i++)
		if (strcmp(section, rules_table[i].section) == 0)
			return rules_table[i].keys;
	for (i = 0; i < rules_nsettings; i++)
		if (strcmp(section, rules_settings[i].section) == 0)
			return rules_settings[i].keys;
	return NULL;
}

static int
known_section(const char *s, size_t n)
{
	char name[64];

	if (n >= sizeof name)
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	return find_keys(name) != NULL || strcmp(name, "sasguard") == 0 ||
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
parse_long(struct loader *ld, const char *key, const char *v, long min,
    long max, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || x < min || x > max)
		return loader_fail(ld, "%s must be a whole number from %ld to "
		    "%ld, not '%.60s'", key, min, max, v);
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
parse_letters(struct loader *ld, const char *key, const char *v, char *out,
    size_t cap)
{
	size_t i, n = strlen(v);

	if (n >= cap)
		return loader_fail(ld, "%s is too long", key);
	for (i = 0; i < n; i++)
		if (v[i] < 'a' || v[i] > 'z')
			return loader_fail(ld, "%s takes permission letters "
			    "a-z only, not '%.60s'", key, v);
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

/* A key of the table: parsed by its type, checked against its bounds. */
static int
set_key(struct loader *ld, const struct rules_key *k, const char *value)
{
	char *at = (char *)ld->rules + k->offset;
	long n = 0;

	switch (k->type) {
	case VALUE_ACTION:
		return parse_action(ld, value, (enum rule_action *)(void *)at);
	case VALUE_DAYS:
		if (!parse_long(ld, k->name, value, k->min, k->max, &n))
			return 0;
		*(long *)(void *)at = n;
		return 1;
	case VALUE_LETTERS:
		return parse_letters(ld, k->name, value, at, (size_t)k->max);
	}
	return 0;
}

static int
set_section(struct loader *ld, const char *section,
    const struct rules_key *keys, const char *name, const char *value)
{
	int i;

	for (i = 0; i < RULES_KEYS_MAX && keys[i].name != NULL; i++)
		if (strcmp(name, keys[i].name) == 0)
			return set_key(ld, &keys[i], value);
	return loader_fail(ld, "unknown key '%.60s' in [%s]", name, section);
}

static int
loader_handle(void *user, const char *section, const char *name,
    const char *value)
{
	struct loader *ld = user;
	const struct rules_key *keys;

	if (ld->failed || !value_prints(ld, name, value))
		return 0;
	if (strcmp(section, "sasguard") == 0)
		return set_sasguard(ld, name, value);
	if (strcmp(section, "allow") == 0)
		return set_allow(ld, name, value);
	if ((keys = find_keys(section)) != NULL)
		return set_section(ld, section, keys, name, value);
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

/* Each key's default, as the row has it. */
static int
rules_fallbacks(struct rules *r, char *err, size_t errlen)
{
	struct loader ld;
	size_t i;
	int k;

	memset(&ld, 0, sizeof ld);
	ld.rules = r;
	ld.name = "the rule table";
	ld.err = err;
	ld.errlen = errlen;
	for (i = 0; i < RULE_COUNT; i++)
		for (k = 0; k < RULES_KEYS_MAX && rules_table[i].keys[k].name;
		    k++)
			set_key(&ld, &rules_table[i].keys[k],
			    rules_table[i].keys[k].fallback);
	for (i = 0; i < rules_nsettings; i++)
		for (k = 0; k < RULES_KEYS_MAX && rules_settings[i].keys[k].name;
		    k++)
			set_key(&ld, &rules_settings[i].keys[k],
			    rules_settings[i].keys[k].fallback);
	return ld.failed ? -1 : 0;
}

int
rules_init(struct rules *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (rules_fallbacks(r, err, errlen) != 0)
		return -1;
	return rules_load_string(r, rules_default_ini, "rules/default.ini",
	    err, errlen);
}

void
rules_release(struct rules *r)
{
	allow_release(&r->allow);
}

static void
print_keys(const struct rules *r, FILE *out, const char *section,
    const struct rules_key *keys)
{
	const char *at;
	int k;

	fprintf(out, "\n[%s]\n", section);
	for (k = 0; k < RULES_KEYS_MAX && keys[k].name != NULL; k++) {
		at = (const char *)r + keys[k].offset;
		fprintf(out, "%s = ", keys[k].name);
		switch (keys[k].type) {
		case VALUE_ACTION:
			fprintf(out, "%s\n", rules_action_name(
			    *(const enum rule_action *)(const void *)at));
			break;
		case VALUE_DAYS:
			fprintf(out, "%ld\n", *(const long *)(const void *)at);
			break;
		case VALUE_LETTERS:
			fprintf(out, "%s\n", at);
			break;
		}
	}
}

int
rules_print(const struct rules *r, FILE *out)
{
	size_t i;

	fprintf(out, "; the effective sasguard rule set\n");
	for (i = 0; i < RULE_COUNT; i++)
		print_keys(r, out, rules_table[i].section, rules_table[i].keys);
	for (i = 0; i < rules_nsettings; i++)
		print_keys(r, out, rules_settings[i].section,
		    rules_settings[i].keys);
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

/* ---- Judging ---------------------------------------------------------
 *
 * Every subject goes through every row's judge; a judge looks only at
 * the subjects it knows. A SAS that code would make is judged as a token
 * is, with its action capped by [sas-generation] action, and a value the
 * code left unread fires its rule capped by [sas-generation] unknown.
 */

static enum rule_action
action_min(enum rule_action a, enum rule_action b)
{
	return a < b ? a : b;
}

static void
hit_add(const struct rules *r, const struct subject *s, struct judgement *j,
    enum rule_id id, int unknown, const char *fmt, ...)
{
	enum rule_action a = r->action[id];
	struct rule_hit *h;
	va_list ap;

	if (s->made != NULL)
		a = action_min(a, r->made_action);
	if (unknown)
		a = action_min(a, r->made_unknown);
	if (a == ACTION_OFF)
		return;
	h = &j->hit[j->nhits++];
	h->rule = id;
	h->action = a;
	va_start(ap, fmt);
	vsnprintf(h->why, sizeof h->why, fmt, ap);
	va_end(ap);
	if (h->action > j->worst)
		j->worst = h->action;
}

static void
judge_account(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	char words[96];

	if (s->tok == NULL || s->tok->kind != SAS_ACCOUNT)
		return;
	if (s->tok->ss[0] != '\0')
		sas_services_words(s->tok->ss, words, sizeof words);
	else
		strcpy(words, "its services");
	hit_add(r, s, j, RULE_ACCOUNT_SAS, 0, "account-level SAS for %s: "
	    "reaches every container, and only rotating the account key "
	    "that signed it revokes it", words);
}

/* The lifetime, for every judge and the report: se - st, or se - now
 * when there is no st (a token already expired without st: unknown). */
static void
lifetime_of(const struct subject *s, struct judgement *j)
{
	const struct sas_token *t = s->tok;

	if (t == NULL || !t->has_se || !t->se_ok ||
	    (s->made != NULL && (s->made->unknown & MADE_EXPIRY)))
		return;
	j->expired = t->se < s->now;
	j->lifetime_known = t->st_ok || !j->expired;
	j->lifetime = t->st_ok ? t->se - t->st : t->se - s->now;
}

static const char *
days_word(long long n)
{
	return n == 1 ? "day" : "days";
}

static void
judge_lifetime(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	const struct sas_token *t = s->tok;
	int64_t limit = (int64_t)r->max_days * DAY;
	long long days;
	char a[DATE_BUFSIZE], b[DATE_BUFSIZE];

	if (t == NULL || !j->lifetime_known || j->lifetime <= limit)
		return;
	days = (long long)(j->lifetime / DAY);
	if (t->st_ok)
		hit_add(r, s, j, RULE_LONG_EXPIRY, 0, "valid for %lld %s, "
		    "from %s to %s: more than %ld %s", days, days_word(days),
		    date_format(t->st, a), date_format(t->se, b), r->max_days,
		    days_word(r->max_days));
	else
		hit_add(r, s, j, RULE_LONG_EXPIRY, 0, "valid for %lld more "
		    "%s, until %s: more than %ld %s", days, days_word(days),
		    date_format(t->se, b), r->max_days,
		    days_word(r->max_days));
}

static void
judge_expiry_known(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	const struct sas_token *t = s->tok;

	if (t == NULL)
		return;
	if (s->made != NULL && (s->made->unknown & MADE_EXPIRY))
		hit_add(r, s, j, RULE_UNKNOWN_EXPIRY, 1, "expiry %s is not "
		    "set here: how long it lasts cannot be shown",
		    s->made->expiry);
	else if (t->has_se && t->se_ok)
		return;
	else if (t->has_se)
		hit_add(r, s, j, RULE_UNKNOWN_EXPIRY, 0, "expiry se='%.40s' "
		    "is not a date: how long it lasts cannot be shown",
		    t->se_text);
	else if (t->policy_backed)
		hit_add(r, s, j, RULE_UNKNOWN_EXPIRY, 0, "no expiry in the "
		    "token: it lives in stored access policy '%.40s', so a "
		    "short validity cannot be shown", t->si);
	else
		hit_add(r, s, j, RULE_UNKNOWN_EXPIRY, 0, "no expiry (se): a "
		    "short validity cannot be shown");
}

static void
judge_permissions(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	const struct sas_token *t = s->tok;
	char bad[SAS_VALUE_MAX], words[160];
	size_t i, k = 0;

	if (t == NULL)
		return;
	if (s->made != NULL && (s->made->unknown & MADE_PERMISSIONS)) {
		hit_add(r, s, j, RULE_WRITE_PERMISSIONS, 1, "permissions %s "
		    "are not set here: that it only reads cannot be shown",
		    s->made->permissions);
		return;
	}
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
	hit_add(r, s, j, RULE_WRITE_PERMISSIONS, 0, "sp=%s grants %s", t->sp,
	    words);
}

static void
judge_protocol(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	const struct sas_token *t = s->tok;
	const char *p;

	if (t == NULL)
		return;
	if (s->made != NULL && (s->made->unknown & MADE_PROTOCOL)) {
		hit_add(r, s, j, RULE_INSECURE_PROTOCOL, 1, "protocol %s is "
		    "not set here: that it refuses plain HTTP cannot be shown",
		    s->made->protocol);
		return;
	}
	if (!t->has_spr) {
		hit_add(r, s, j, RULE_INSECURE_PROTOCOL, 0, "no spr: plain "
		    "HTTP is allowed (Azure's default is https,http)");
		return;
	}
	/* spr is a comma list: look for an element that is exactly http. */
	for (p = t->spr; *p != '\0';) {
		size_t n = strcspn(p, ",");

		if (n == 4 && strncasecmp(p, "http", 4) == 0) {
			hit_add(r, s, j, RULE_INSECURE_PROTOCOL, 0, "spr=%s "
			    "allows plain HTTP", t->spr);
			return;
		}
		p += n + (p[n] == ',');
	}
}

static void
judge_key(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	const struct acctkey *k = s->key;
	char account[ACCTKEY_NAME_MAX + 16] = "";

	if (k == NULL || k->emulator)
		return;
	if (k->account[0] != '\0')
		snprintf(account, sizeof account, " of account '%s'",
		    k->account);
	hit_add(r, s, j, RULE_ACCOUNT_KEY, 0, "storage account key%s (%s): "
	    "it signs every SAS, never expires, and only rotating it revokes "
	    "it", account, k->identifiable ? "identifiable: +ASt, checksum "
	    "valid" : k->written);
}

static void
judge_all(const struct rules *r, const struct subject *s,
    struct judgement *j)
{
	size_t i;

	memset(j, 0, sizeof *j);
	j->worst = ACTION_OFF;
	lifetime_of(s, j);
	for (i = 0; i < RULE_COUNT; i++)
		rules_table[i].judge(r, s, j);
}

void
rules_judge(const struct rules *r, const struct sas_token *tok, int64_t now,
    struct judgement *j)
{
	struct subject s = { tok, NULL, NULL, now };

	judge_all(r, &s, j);
}

void
rules_judge_made(const struct rules *r, const struct sas_token *tok,
    const struct made *made, int64_t now, struct judgement *j)
{
	struct subject s = { tok, made, NULL, now };

	if (r->made_action == ACTION_OFF) {
		memset(j, 0, sizeof *j);
		return;
	}
	judge_all(r, &s, j);
}

void
rules_judge_key(const struct rules *r, const struct acctkey *key,
    struct judgement *j)
{
	struct subject s = { NULL, NULL, key, 0 };

	judge_all(r, &s, j);
}

/* ---- The table ------------------------------------------------------- */

#define ACTION(id, dflt) { "action", VALUE_ACTION, dflt, 0, 0, \
	offsetof(struct rules, action) + (id) * sizeof(enum rule_action) }

const struct rules_row rules_table[RULE_COUNT] = {
	{ RULE_ACCOUNT_SAS, "account-sas",
	    { ACTION(RULE_ACCOUNT_SAS, "block") },
	    "AccountSas", "9.1", "Account-level SAS token.",
	    "An account SAS (ss/srt) reaches every container of the services "
	    "it names and can only be revoked by rotating the storage "
	    "account key.",
	    "Use a managed identity (Microsoft Entra ID), or a user-delegation "
	    "or service SAS made at run time for one container, read-only, "
	    "with an expiry hours away. A token that was pushed must be "
	    "revoked: rotate both account keys (key1 and key2).",
	    "for one container", judge_account },
	{ RULE_LONG_EXPIRY, "long-expiry",
	    { ACTION(RULE_LONG_EXPIRY, "block"), { "max_days", VALUE_DAYS,
	    "7", 0, 36500, offsetof(struct rules, max_days) } },
	    "LongExpiry", "7.5", "SAS token valid too long.",
	    "The token's lifetime (se - st, or se - now without st) is over "
	    "the rule's max_days.",
	    "Issue tokens valid for hours, not years, and load them at run "
	    "time from a secret store instead of committing them.",
	    "valid for hours", judge_lifetime },
	{ RULE_WRITE_PERMISSIONS, "write-permissions",
	    { ACTION(RULE_WRITE_PERMISSIONS, "block"), { "allowed_letters",
	    VALUE_LETTERS, "rlfe", 0, sizeof ((struct rules *)0)->
	    allowed_letters, offsetof(struct rules, allowed_letters) } },
	    "WritePermissions", "8.0", "SAS token grants more than reading.",
	    "The token's sp holds a permission letter outside the rule's "
	    "allowed_letters (by default r, l, f, e): it can write, delete "
	    "or change data.",
	    "Grant read (sp=r) or read and list only; give write rights "
	    "through a short-lived token made when needed.", "read-only",
	    judge_permissions },
	{ RULE_UNKNOWN_EXPIRY, "unknown-expiry",
	    { ACTION(RULE_UNKNOWN_EXPIRY, "block") },
	    "UnknownExpiry", "7.0", "SAS token without a usable expiry.",
	    "The token carries no se (or one that is not a date), for "
	    "example because it lives in a stored access policy: a short "
	    "validity cannot be shown.",
	    "Put a short expiry (se) in the token itself, made at run time, "
	    "and keep tokens out of the repository.",
	    "its expiry in the token", judge_expiry_known },
	{ RULE_INSECURE_PROTOCOL, "insecure-protocol",
	    { ACTION(RULE_INSECURE_PROTOCOL, "warn") },
	    "InsecureProtocol", "5.0", "SAS token allows plain HTTP.",
	    "spr allows http, or is absent (Azure's default is https,http): "
	    "the token can travel unencrypted.",
	    "Issue tokens with spr=https.", "HTTPS only",
	    judge_protocol },
	{ RULE_ACCOUNT_KEY, "account-key",
	    { ACTION(RULE_ACCOUNT_KEY, "block") },
	    "StorageAccountKey", "9.8", "Storage account key.",
	    "A storage account key (64 bytes, 88 base64 characters) signs "
	    "every SAS of its account, never expires, and is revoked only by "
	    "rotating it.",
	    "Rotate the key (az storage account keys renew), move the code "
	    "to Microsoft Entra ID and managed identities, and consider "
	    "disabling Shared Key access on the account.",
	    "user-delegation, signed through Microsoft Entra ID", judge_key },
};

const struct rules_section rules_settings[] = {
	{ "sas-generation", {
	    { "action", VALUE_ACTION, "block", 0, 0,
	    offsetof(struct rules, made_action) },
	    { "unknown", VALUE_ACTION, "warn", 0, 0,
	    offsetof(struct rules, made_unknown) } } },
};
const size_t rules_nsettings = sizeof rules_settings /
    sizeof rules_settings[0];
