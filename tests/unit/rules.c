/*
 * Unit tests for the rule set: the built-in default, layering, every
 * kind of broken file (tests/fixtures/rules/bad-*.ini, each naming on its
 * first line the error it must produce), printing and judging.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acctkey.h"
#include "rules.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/rules"
#define DAY 86400

static void
test_default(void)
{
	char err[RULES_ERR_MAX];
	struct rules r;

	ok(rules_init(&r, err, sizeof err) == 0, "the built-in default loads");
	is_str(rules_action_name(r.action[RULE_ACCOUNT_SAS]), "block",
	    "default: account-sas blocks");
	is_str(rules_action_name(r.action[RULE_INSECURE_PROTOCOL]), "warn",
	    "default: insecure-protocol warns");
	is_int(r.max_days, 7, "default: max_days is 7");
	is_str(r.allowed_letters, "rlfe", "default: allowed_letters rlfe");
	ok(r.timeout == 4 && !r.fail_open && !r.bypass,
	    "default: timeout 4 s, fail closed, no bypass");
}

static void
test_layering(void)
{
	char err[RULES_ERR_MAX];
	struct rules r;

	rules_init(&r, err, sizeof err);
	ok(rules_load(&r, FIXTURES "/good-layer.ini", err, sizeof err) == 0,
	    "a file holding only [long-expiry] max_days loads");
	is_int(r.max_days, 1, "what the file sets wins");
	is_str(rules_action_name(r.action[RULE_ACCOUNT_SAS]), "block",
	    "what it leaves out keeps its default");
	ok(rules_load(&r, FIXTURES "/good-style.ini", err, sizeof err) == 0,
	    "indented keys, CRLF and ' ;' comments load");
	is_str(rules_action_name(r.action[RULE_INSECURE_PROTOCOL]), "block",
	    "an indented key is a key, and ' ; comment' is not its value");
	is_str(r.allowed_letters, "r", "a TAB-indented key after CRLF lines");
}

static void
check_bad(const char *name)
{
	char path[512], want[256], err[RULES_ERR_MAX], *nl;
	struct rules r;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
	f = fopen(path, "r");
	if (f == NULL || fgets(want, sizeof want, f) == NULL) {
		ok(0, "%s: readable", name);
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	if ((nl = strchr(want, '\n')) != NULL)
		*nl = '\0';
	rules_init(&r, err, sizeof err);
	err[0] = '\0';
	ok(rules_load(&r, path, err, sizeof err) != 0, "%s is refused", name);
	/* The expected text names the file as the fixture's path does. */
	if (!ok(strncmp(want, "; expect: ", 10) == 0 && strstr(err,
	    want + 10) != NULL && strncmp(err, FIXTURES "/", 20) == 0,
	    "%s: the error says '%s'", name, want + 10))
		printf("#   got '%s'\n", err);
	/* What a refused file added before its bad line is still held. */
	rules_release(&r);
}

static void
test_bad_files(void)
{
	DIR *dir = opendir(FIXTURES);
	struct dirent *e;
	int n = 0;

	while (dir != NULL && (e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, "bad-", 4) == 0) {
			check_bad(e->d_name);
			n++;
		}
	}
	if (dir)
		closedir(dir);
	ok(n >= 10, "ten or more broken rules files tried (%d)", n);
}

static void
test_unreadable(void)
{
	char err[RULES_ERR_MAX];
	struct rules r;

	rules_init(&r, err, sizeof err);
	ok(rules_load(&r, FIXTURES "/no-such.ini", err, sizeof err) != 0,
	    "a missing rules file is an error");
	ok(strstr(err, "cannot read 'tests/fixtures/rules/no-such.ini': ") !=
	    NULL, "... saying which file and why (%s)", err);
	ok(rules_load(&r, FIXTURES, err, sizeof err) != 0 &&
	    strstr(err, "cannot read") != NULL, "a folder is an error");
	ok(rules_load_string(&r, "[sasguard]\nfail = open\n", "x", err,
	    sizeof err) == 0 && r.fail_open, "fail = open loads");
}

static void
test_print_roundtrip(void)
{
	char err[RULES_ERR_MAX], *text = NULL, value[64];
	struct rules a, b;
	size_t len = 0;
	FILE *f;

	rules_init(&a, err, sizeof err);
	a.max_days = 30;
	a.action[RULE_ACCOUNT_SAS] = ACTION_WARN;
	strcpy(a.bypass_log, "/var/log/sasguard.log");
	f = open_memstream(&text, &len);
	rules_print(&a, f);
	fclose(f);
	memset(&b, 0, sizeof b);
	ok(rules_load_string(&b, text, "printed", err, sizeof err) == 0,
	    "what rules_print writes loads back");
	ok(memcmp(&a, &b, sizeof a) == 0, "... to the same rule set");
	ok(rules_get(&a, "long-expiry.max_days", value, sizeof value) == 0 &&
	    strcmp(value, "30") == 0, "rules_get reads one key");
	ok(rules_get(&a, "sasguard.nope", value, sizeof value) != 0,
	    "rules_get refuses an unknown key");
	free(text);
}

/* A token as sas_scan would hand it over, built by hand. */
static struct sas_token
token(enum sas_kind kind, const char *sp, const char *spr, int64_t st,
    int64_t se)
{
	struct sas_token t;

	memset(&t, 0, sizeof t);
	t.kind = kind;
	strcpy(t.ss, kind == SAS_ACCOUNT ? "b" : "");
	strcpy(t.sp, sp);
	t.has_sp = sp[0] != '\0';
	strcpy(t.spr, spr);
	t.has_spr = spr[0] != '\0';
	t.has_st = t.st_ok = st != 0;
	t.st = st;
	t.has_se = t.se_ok = se != 0;
	t.se = se;
	return t;
}

static int
fired(const struct judgement *j, enum rule_id id)
{
	int i;

	for (i = 0; i < j->nhits; i++)
		if (j->hit[i].rule == id)
			return j->hit[i].action;
	return ACTION_OFF;
}

static void
test_judge(void)
{
	const int64_t now = 1800000000;		/* 2027-01-15 */
	char err[RULES_ERR_MAX];
	struct judgement j;
	struct sas_token t;
	struct rules r;

	rules_init(&r, err, sizeof err);
	t = token(SAS_SERVICE, "r", "https", now - 3600, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(j.worst == ACTION_OFF && j.nhits == 0,
	    "read-only 2-hour https service SAS: nothing fires");

	t = token(SAS_ACCOUNT, "rl", "https", now - 3600, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_ACCOUNT_SAS) == ACTION_BLOCK && j.nhits == 1,
	    "any account SAS blocks, even read-only and short");

	t = token(SAS_SERVICE, "r", "https", now, now + 8 * DAY);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_LONG_EXPIRY) == ACTION_BLOCK, "8 days > 7 blocks");
	t = token(SAS_SERVICE, "r", "https", now, now + 7 * DAY);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_LONG_EXPIRY) == ACTION_OFF, "exactly 7 days passes");
	t = token(SAS_SERVICE, "r", "https", 0, now + 30 * DAY);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_LONG_EXPIRY) == ACTION_BLOCK && j.lifetime_known,
	    "no st: lifetime counts from now");
	t = token(SAS_SERVICE, "r", "https", now - 400 * DAY, now - 300 * DAY);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_LONG_EXPIRY) == ACTION_BLOCK && j.expired,
	    "an expired 100-day token still blocks, and says it expired");
	ok(strstr(j.hit[0].why, "100 days") != NULL, "the why gives the "
	    "lifetime in days (%s)", j.hit[0].why);

	t = token(SAS_SERVICE, "rwq", "https", now, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_WRITE_PERMISSIONS) == ACTION_BLOCK,
	    "w blocks");
	ok(strstr(j.hit[0].why, "write") != NULL &&
	    strstr(j.hit[0].why, "'q'") != NULL,
	    "the why names write and the unknown letter q (%s)", j.hit[0].why);
	t = token(SAS_SERVICE, "rlfe", "https", now, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_WRITE_PERMISSIONS) == ACTION_OFF,
	    "r, l, f and e pass");

	t = token(SAS_SERVICE, "r", "https", now, 0);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_UNKNOWN_EXPIRY) == ACTION_BLOCK,
	    "no se blocks as unknown-expiry");
	t.has_se = 1;
	strcpy(t.se_text, "2051-13-45");
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_UNKNOWN_EXPIRY) == ACTION_BLOCK,
	    "an se that is not a date blocks as unknown-expiry");

	t = token(SAS_SERVICE, "r", "https,http", now, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_INSECURE_PROTOCOL) == ACTION_WARN &&
	    j.worst == ACTION_WARN, "spr=https,http warns, and only warns");
	t = token(SAS_SERVICE, "r", "", now, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(fired(&j, RULE_INSECURE_PROTOCOL) == ACTION_WARN,
	    "no spr warns: Azure's default allows http");

	r.action[RULE_ACCOUNT_SAS] = ACTION_OFF;
	t = token(SAS_ACCOUNT, "r", "https", now, now + 3600);
	rules_judge(&r, &t, now, &j);
	ok(j.nhits == 0, "a rule set to off never fires");
}

/* A SAS as code would make it: generated, some values unread. */
static void
test_judge_made(void)
{
	const int64_t now = 1800000000;
	char err[RULES_ERR_MAX];
	struct judgement j;
	struct sas_token t;
	struct made m;
	struct rules r;

	rules_init(&r, err, sizeof err);
	memset(&m, 0, sizeof m);
	m.by = "az storage account generate-sas";
	t = token(SAS_ACCOUNT, "rwdl", "https", 0, now + 3650 * DAY);
	rules_judge_made(&r, &t, &m, now, &j);
	ok(fired(&j, RULE_ACCOUNT_SAS) == ACTION_BLOCK &&
	    fired(&j, RULE_LONG_EXPIRY) == ACTION_BLOCK &&
	    fired(&j, RULE_WRITE_PERMISSIONS) == ACTION_BLOCK,
	    "a generated account SAS is judged as a token: three rules block");
	r.made_action = ACTION_WARN;
	rules_judge_made(&r, &t, &m, now, &j);
	ok(j.worst == ACTION_WARN && fired(&j, RULE_LONG_EXPIRY) == ACTION_WARN,
	    "[sas-generation] action = warn caps every rule at warn");
	r.made_action = ACTION_OFF;
	rules_judge_made(&r, &t, &m, now, &j);
	ok(j.nhits == 0 && j.worst == ACTION_OFF, "... and off stops them all");
	r.made_action = ACTION_BLOCK;

	t = token(SAS_SERVICE, "r", "https", 0, 0);
	m.unknown = MADE_EXPIRY | MADE_PERMISSIONS;
	strcpy(m.expiry, "$END");
	strcpy(m.permissions, "$PERMS");
	rules_judge_made(&r, &t, &m, now, &j);
	ok(fired(&j, RULE_UNKNOWN_EXPIRY) == ACTION_WARN &&
	    fired(&j, RULE_WRITE_PERMISSIONS) == ACTION_WARN && j.nhits == 2,
	    "unread expiry and permissions warn (unknown = warn)");
	ok(strstr(j.hit[0].why, "$PERMS") != NULL &&
	    strstr(j.hit[1].why, "$END") != NULL, "the why quotes what stood "
	    "there (%s)", j.hit[1].why);
	r.made_unknown = ACTION_BLOCK;
	r.action[RULE_WRITE_PERMISSIONS] = ACTION_WARN;
	rules_judge_made(&r, &t, &m, now, &j);
	ok(fired(&j, RULE_UNKNOWN_EXPIRY) == ACTION_BLOCK &&
	    fired(&j, RULE_WRITE_PERMISSIONS) == ACTION_WARN,
	    "unknown = block, but never past the rule's own action");
}

static void
test_judge_key(void)
{
	char err[RULES_ERR_MAX];
	struct judgement j;
	struct acctkey k;
	struct rules r;

	rules_init(&r, err, sizeof err);
	memset(&k, 0, sizeof k);
	k.written = "AccountKey";
	strcpy(k.account, "acct1");
	rules_judge_key(&r, &k, &j);
	ok(fired(&j, RULE_ACCOUNT_KEY) == ACTION_BLOCK && j.nhits == 1,
	    "an account key blocks, and only account-key fires");
	ok(strstr(j.hit[0].why, "storage account key of account 'acct1'") !=
	    NULL, "the why names the account (%s)", j.hit[0].why);
	k.emulator = 1;
	rules_judge_key(&r, &k, &j);
	ok(j.nhits == 0, "the emulator's key never fires");
}

/*
 * The rule table is the one place a rule is defined: every row complete,
 * in its enum's place, with a section of its own, its keys' defaults
 * valid and the same as rules/default.ini's.
 */
static void
test_table(void)
{
	char err[RULES_ERR_MAX], ini[256], *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0, i, k;
	struct rules fallback, shipped;
	int complete = 1, unique = 1;
	FILE *f;

	memset(&fallback, 0, sizeof fallback);
	for (i = 0; i < RULE_COUNT; i++) {
		const struct rules_row *row = &rules_table[i];
		double sev = row->severity ? atof(row->severity) : -1;

		if (!ok((size_t)row->id == i && row->section &&
		    row->section[0] && row->name && row->name[0] &&
		    sev > 0 && sev <= 10 && row->short_text &&
		    row->short_text[0] && row->full_text && row->full_text[0] &&
		    row->help && row->help[0] && row->remedy &&
		    row->remedy[0] && row->judge != NULL &&
		    row->keys[0].name && strcmp(row->keys[0].name, "action") == 0 &&
		    row->keys[0].offset == offsetof(struct rules, action) +
		    i * sizeof(enum rule_action),
		    "row %zu (%s) is complete and in its place", i,
		    row->section ? row->section : "?"))
			complete = 0;
		for (k = 0; k < i; k++)
			unique &= strcmp(rules_table[k].section, row->section)
			    != 0 && strcmp(rules_table[k].name, row->name) != 0;
		for (k = 0; k < RULES_KEYS_MAX && row->keys[k].name; k++) {
			snprintf(ini, sizeof ini, "[%s]\n%s = %s\n",
			    row->section, row->keys[k].name,
			    row->keys[k].fallback ? row->keys[k].fallback : "");
			complete &= row->keys[k].fallback != NULL &&
			    rules_load_string(&fallback, ini, "fallback", err,
			    sizeof err) == 0;
		}
	}
	ok(complete, "every key's default in the table is valid");
	ok(unique, "sections and SARIF names are unique");
	for (i = 0; i < rules_nsettings; i++)
		for (k = 0; k < RULES_KEYS_MAX &&
		    rules_settings[i].keys[k].name; k++) {
			snprintf(ini, sizeof ini, "[%s]\n%s = %s\n",
			    rules_settings[i].section,
			    rules_settings[i].keys[k].name,
			    rules_settings[i].keys[k].fallback);
			rules_load_string(&fallback, ini, "fallback", err,
			    sizeof err);
		}
	/* rules/default.ini alone, over nothing, sets the same values. */
	memset(&shipped, 0, sizeof shipped);
	ok(rules_load(&shipped, "rules/default.ini", err, sizeof err) == 0,
	    "rules/default.ini loads over nothing");
	shipped.timeout = fallback.timeout;
	shipped.allow.inline_marker = fallback.allow.inline_marker;
	f = open_memstream(&a, &alen);
	rules_print(&fallback, f);
	fclose(f);
	f = open_memstream(&b, &blen);
	rules_print(&shipped, f);
	fclose(f);
	ok(strstr(a, "[sasguard]") != NULL && strncmp(a, b,
	    (size_t)(strstr(a, "[sasguard]") - a)) == 0,
	    "rules/default.ini sets every rule's keys as the table's defaults");
	free(a);
	free(b);
	rules_release(&shipped);
	rules_release(&fallback);
}

int
main(void)
{
	test_table();
	test_judge_made();
	test_judge_key();
	test_default();
	test_layering();
	test_bad_files();
	test_unreadable();
	test_print_roundtrip();
	test_judge();
	return tap_done();
}
