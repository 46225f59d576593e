/*
 * report_doc.c - JSON and SARIF 2.1.0, streamed: nothing about a finding
 * is kept once it is written, so a history of any size fits.
 *
 * Neither document ever holds the signature: the writer is only handed
 * kept tokens (token.h), which appear as their redacted text, their
 * fingerprint and their log hash.
 */
#include <string.h>

#include "date.h"
#include "json.h"
#include "report_doc.h"

#define DOC_SCHEMA 2		/* bump when a field changes meaning */
#define SARIF_FP_KEY "sasguard/v1"

const char *
doc_rule_severity(enum rule_id id)
{
	return (unsigned)id < RULE_COUNT ? rules_table[id].severity : "0.0";
}

/* Small writers */

static void
doc_key(FILE *out, const char *key)
{
	json_str(out, key);
	fputc(':', out);
}

void
doc_opt(FILE *out, const char *key, int present, const char *value)
{
	doc_key(out, key);
	if (present)
		json_str(out, value);
	else
		fputs("null", out);
}

void
doc_date(FILE *out, const char *key, int ok, int64_t t)
{
	char d[DATE_BUFSIZE];

	doc_opt(out, key, ok, ok ? date_format(t, d) : "");
}

const char *
doc_sarif_level(enum rule_action a)
{
	return a == ACTION_BLOCK ? "error" : a == ACTION_WARN ? "warning" :
	    "none";
}

/* JSON */

static void
json_head(FILE *out, const char *version, int64_t now)
{
	char d[DATE_BUFSIZE];

	fprintf(out, "{\"tool\":\"sasguard\",\"version\":");
	json_str(out, version);
	fprintf(out, ",\"schema\":%d,\"now\":\"%s\",\"findings\":[",
	    DOC_SCHEMA, date_format(now, d));
}

void
doc_rules(FILE *out, const struct judgement *j)
{
	int i;

	fputc('[', out);
	for (i = 0; i < j->nhits; i++) {
		fprintf(out, "%s{\"id\":\"%s\",\"action\":\"%s\",\"why\":",
		    i ? "," : "", rules_id_name(j->hit[i].rule),
		    rules_action_name(j->hit[i].action));
		json_str(out, j->hit[i].why);
		fputc('}', out);
	}
	fputc(']', out);
}

void
doc_token(FILE *out, const struct token *t)
{
	char words[256];

	fprintf(out, "\"kind\":\"%s\",", token_kind_code(t->kind));
	doc_opt(out, "kind_words", 1, sas_kind_name(t->kind));
	fputc(',', out);
	doc_opt(out, "policy", t->policy_backed, t->si);
	fputc(',', out);
	doc_opt(out, "version", t->sv[0] != '\0', t->sv);
	fputc(',', out);
	doc_opt(out, "services", t->ss[0] != '\0', t->ss);
	fputc(',', out);
	doc_opt(out, "resource_types", t->srt[0] != '\0', t->srt);
	fputc(',', out);
	doc_opt(out, "resource", t->sr[0] != '\0', t->sr);
	fputc(',', out);
	doc_opt(out, "permissions", t->has_sp, t->sp);
	fputc(',', out);
	doc_opt(out, "permission_words", t->has_sp, t->has_sp ?
	    sas_permissions_words(t->sp, words, sizeof words) : "");
	fputc(',', out);
	doc_opt(out, "protocol", t->has_spr, t->spr);
	fputc(',', out);
	doc_date(out, "start", t->has_st && t->st_ok, t->st);
	fputc(',', out);
	doc_opt(out, "start_text", t->has_st, t->st_text);
	fputc(',', out);
	doc_date(out, "expiry", t->has_se && t->se_ok, t->se);
	fputc(',', out);
	doc_opt(out, "expiry_text", t->has_se, t->se_text);
}

static void
json_token(FILE *out, const struct token *t, const struct judgement *j)
{
	fputc('{', out);
	doc_token(out, t);
	fputs(",\"lifetime_seconds\":", out);
	if (j->lifetime_known)
		fprintf(out, "%lld", (long long)j->lifetime);
	else
		fputs("null", out);
	fprintf(out, ",\"expired\":%s,", j->expired ? "true" : "false");
	doc_opt(out, "shown", 1, t->shown);
	fputc('}', out);
}

static void
json_key(FILE *out, const struct token *k)
{
	fprintf(out, "{\"identifiable\":%s,", k->key_identifiable ? "true" :
	    "false");
	doc_opt(out, "written", k->key_written[0] != '\0', k->key_written);
	fputc(',', out);
	doc_opt(out, "account", k->account[0] != '\0', k->account);
	fputc(',', out);
	doc_opt(out, "shown", 1, k->shown);
	fputc('}', out);
}

static void
json_finding(FILE *out, const struct finding *f, const struct token *k,
    int first)
{
	const struct judgement *j = f->judgement;

	fputs(first ? "\n" : ",\n", out);
	fputc('{', out);
	doc_opt(out, "path", f->path[0] != '\0', f->path);
	fputs(",\"line\":", out);
	if (f->lineno > 0)
		fprintf(out, "%ld", f->lineno);
	else
		fputs("null", out);
	fputc(',', out);
	doc_opt(out, "commit", f->commit[0] != '\0', f->commit);
	fputc(',', out);
	doc_opt(out, "ref", f->ref[0] != '\0', f->ref);
	fprintf(out, ",\"action\":\"%s\",", rules_action_name(j->worst));
	doc_opt(out, "allowed_by", f->allowed != ALLOW_NONE,
	    allow_reason_name(f->allowed));
	fputs(",\"rules\":", out);
	doc_rules(out, j);
	fputc(',', out);
	doc_opt(out, "fingerprint", 1, k->fingerprint);
	fputc(',', out);
	doc_opt(out, "log_hash", k->log_hash[0] != '\0', k->log_hash);
	fputc(',', out);
	doc_opt(out, "made_by", k->what == TOKEN_MADE, k->made_by);
	fputs(",\"token\":", out);
	if (k->what == TOKEN_KEY)
		fputs("null", out);
	else
		json_token(out, k, j);
	fputs(",\"account_key\":", out);
	if (k->what == TOKEN_KEY)
		json_key(out, k);
	else
		fputs("null", out);
	fputc('}', out);
}

/* The summary object, shared by JSON and SARIF's run.properties. */
static void
doc_summary(FILE *out, const struct doc_summary *s)
{
	unsigned long long total = 0;
	int i;

	fprintf(out, "{\"tokens\":{\"block\":%llu,\"warn\":%llu,\"pass\":"
	    "%llu},\"places\":{\"block\":%llu,\"warn\":%llu,\"pass\":%llu},"
	    "\"allowed\":{", s->tokens[ACTION_BLOCK], s->tokens[ACTION_WARN],
	    s->tokens[ACTION_OFF], s->places[ACTION_BLOCK],
	    s->places[ACTION_WARN], s->places[ACTION_OFF]);
	for (i = 1; i < ALLOW_REASONS; i++) {
		fprintf(out, "\"%s\":%llu,",
		    allow_reason_name((enum allow_reason)i), s->allowed[i]);
		total += s->allowed[i];
	}
	fprintf(out, "\"total\":%llu},\"emulator_ignored\":%llu,"
	    "\"exit_status\":%d}", total, s->emulator, s->exit_status);
}

/* SARIF */

/* The inventory's rule for a token no rule fires on: a row of its own,
 * with no section and no judge. */
static const struct rules_row token_rule_row = { RULE_COUNT, DOC_TOKEN_RULE,
	{ { NULL, VALUE_ACTION, NULL, 0, 0, 0 } }, "SasToken", "3.0",
	"SAS token in the repository.",
	"A SAS token sits in the repository's history. No rule fires on "
	"it, but whoever can read the history can use it until it expires.",
	"Check in the storage logs (the log hash) whether it was used; if "
	"it is still live and no longer needed, revoke it.", NULL, NULL };

static void
sarif_rule(FILE *out, const struct rules_row *d, enum rule_action a,
    int first)
{
	fprintf(out, "%s{\"id\":\"%s\",\"name\":\"%s\",", first ? "" : ",",
	    d->section, d->name);
	fputs("\"shortDescription\":{\"text\":", out);
	json_str(out, d->short_text);
	fputs("},\"fullDescription\":{\"text\":", out);
	json_str(out, d->full_text);
	fputs("},\"help\":{\"text\":", out);
	json_str(out, d->help);
	fprintf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"},"
	    "\"properties\":{\"security-severity\":\"%s\",\"precision\":"
	    "\"high\",\"tags\":[\"security\",\"secret\",\"azure-sas\"]}}",
	    doc_sarif_level(a), d->severity);
}

void
doc_sarif_head(FILE *out, const struct rules *rules, const char *version,
    int token_rule)
{
	int i;

	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
	    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
	    "\"name\":\"sasguard\",\"version\":", out);
	json_str(out, version);
	fputs(",\"semanticVersion\":", out);
	json_str(out, version);
	fputs(",\"rules\":[", out);
	for (i = 0; i < RULE_COUNT; i++)
		sarif_rule(out, &rules_table[i], rules != NULL ?
		    rules->action[i] : ACTION_BLOCK, i == 0);
	if (token_rule)
		sarif_rule(out, &token_rule_row, ACTION_WARN, 0);
	fputs("]}},\"columnKind\":\"utf16CodeUnits\",\"results\":[", out);
}

static void
sarif_message(FILE *out, const struct finding *f, const struct token *t,
    const struct rule_hit *h)
{
	char text[1200], words[256], made[96] = "";
	const char *verb = h->action == ACTION_BLOCK ? "BLOCK " : "WARN ";
	const char *unknown = f->lineno > 0 ? "" :
	    " The line number is unknown.";

	if (t->what == TOKEN_MADE)
		snprintf(made, sizeof made, " (made by %s)", t->made_by);
	if (t->what == TOKEN_KEY)
		snprintf(text, sizeof text, "%s%s: %s. Key: %s (fingerprint "
		    "%s). Azure logs its use as %s.%s", verb,
		    rules_id_name(h->rule), h->why, t->shown, t->fingerprint,
		    t->log_hash, unknown);
	else if (t->what == TOKEN_MADE)
		snprintf(text, sizeof text, "%s%s%s: %s. Code: %s (%s; "
		    "permissions: %s; fingerprint %s).%s", verb,
		    rules_id_name(h->rule), made, h->why, t->shown,
		    sas_kind_name(t->kind), t->has_sp ? sas_permissions_words(
		    t->sp, words, sizeof words) : "not read", t->fingerprint,
		    unknown);
	else
		snprintf(text, sizeof text, "%s%s: %s. Token: %s (%s; "
		    "permissions: %s; fingerprint %s). Azure logs its use as "
		    "%s.%s", verb, rules_id_name(h->rule), h->why, t->shown,
		    sas_kind_name(t->kind), t->has_sp ? sas_permissions_words(
		    t->sp, words, sizeof words) : "none in the token",
		    t->fingerprint, t->log_hash, unknown);
	fputs("\"message\":{\"text\":", out);
	json_str(out, text);
	fputc('}', out);
}

/* A line number git could not give (0) points at line 1, and the
 * message says so: SARIF wants startLine >= 1. An unknown path gives no
 * location at all rather than an invented one. */
static void
sarif_location(FILE *out, const struct finding *f)
{
	if (f->path[0] == '\0') {
		fputs(",\"locations\":[]", out);
		return;
	}
	fputs(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":"
	    "{\"uri\":", out);
	json_uri(out, f->path);
	fprintf(out, "},\"region\":{\"startLine\":%ld}}}]",
	    f->lineno > 0 ? f->lineno : 1);
}

static void
sarif_result(FILE *out, const struct finding *f, const struct token *k,
    const struct rule_hit *h, int first)
{
	fputs(first ? "\n" : ",\n", out);
	fprintf(out, "{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\",",
	    rules_id_name(h->rule), (int)h->rule, doc_sarif_level(h->action));
	sarif_message(out, f, k, h);
	sarif_location(out, f);
	fprintf(out, ",\"partialFingerprints\":{\"" SARIF_FP_KEY "\":\"%s\"}",
	    k->fingerprint);
	if (f->allowed != ALLOW_NONE)
		fprintf(out, ",\"suppressions\":[{\"kind\":\"%s\","
		    "\"justification\":\"allowed by %s\"}]",
		    f->allowed == ALLOW_INLINE ? "inSource" : "external",
		    allow_reason_name(f->allowed));
	fputs(",\"properties\":{", out);
	doc_opt(out, "commit", f->commit[0] != '\0', f->commit);
	fputc(',', out);
	doc_opt(out, "ref", f->ref[0] != '\0', f->ref);
	fprintf(out, ",\"kind\":\"%s\",\"expired\":%s,",
	    k->what == TOKEN_KEY ? "account-key" : token_kind_code(k->kind),
	    f->judgement->expired ? "true" : "false");
	doc_opt(out, "made_by", k->what == TOKEN_MADE, k->made_by);
	fputc(',', out);
	doc_opt(out, "log_hash", k->log_hash[0] != '\0', k->log_hash);
	fputs("}}", out);
}

static void
sarif_tail(FILE *out, const struct doc_summary *s)
{
	fprintf(out, "\n],\"invocations\":[{\"executionSuccessful\":%s,"
	    "\"exitCode\":%d}],\"properties\":{\"summary\":",
	    s->exit_status == 2 ? "false" : "true", s->exit_status);
	doc_summary(out, s);
	fputs("}}]}\n", out);
}

/* What report.c calls */

void
doc_init(struct doc *d, FILE *out, enum report_format format,
    const struct rules *rules)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->format = format;
	d->rules = rules;
}

void
doc_head(struct doc *d, const char *version, int64_t now)
{
	if (d->format == REPORT_SARIF)
		doc_sarif_head(d->out, d->rules, version, 0);
	else
		json_head(d->out, version, now);
}

void
doc_finding(struct doc *d, const struct finding *f, const struct token *k)
{
	const struct judgement *j = f->judgement;
	int i;

	if (d->format == REPORT_JSON) {
		json_finding(d->out, f, k, d->items++ == 0);
		return;
	}
	for (i = 0; i < j->nhits; i++)
		sarif_result(d->out, f, k, &j->hit[i], d->items++ == 0);
}

void
doc_tail(struct doc *d, const struct doc_summary *s)
{
	if (d->format == REPORT_SARIF) {
		sarif_tail(d->out, s);
		return;
	}
	fputs("\n],\"summary\":", d->out);
	doc_summary(d->out, s);
	fputs("}\n", d->out);
}
