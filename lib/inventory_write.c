/*
 * inventory_write.c - the inventory's writers: table, CSV, JSON, SARIF
 * and GitLab's secret-detection report (see inventory.h). Every one is
 * handed rows, which hold kept tokens: none can print a signature.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "inventory.h"
#include "json.h"
#include "report_doc.h"
#include "sha256.h"

#define INVENTORY_SCHEMA 1
#define GITLAB_SCHEMA "15.1.4"
#define CELL_MAX 512
#define SUMMARY_LIST 5		/* fingerprints named per summary line */

/* What every writer says of a row, worked out once. */
struct view {
	const struct inventory_row *row;
	enum token_status status;
	long long days;			/* left, when live */
	char status_words[64];
	char rules[128];		/* "account-sas,long-expiry" */
	const char *action;		/* the worst: block, warn, off */
	const char *exception;		/* "" none; "partly" some places */
	int blocking;
};

static void
view_of(struct view *v, const struct inventory_row *row, int64_t now)
{
	const struct judgement *j = &row->judgement;
	size_t len = 0;
	int i;

	v->row = row;
	v->status = token_status_at(&row->tok, now, &v->days);
	token_status_words(&row->tok, now, v->status_words,
	    sizeof v->status_words);
	v->rules[0] = '\0';
	for (i = 0; i < j->nhits && len < sizeof v->rules; i++)
		len += (size_t)snprintf(v->rules + len, sizeof v->rules - len,
		    "%s%s", i ? "," : "", rules_id_name(j->hit[i].rule));
	v->action = rules_action_name(j->worst);
	if (row->allowed_places == 0)
		v->exception = "";
	else if (row->allowed_places < row->places)
		v->exception = "partly";
	else
		v->exception = allow_reason_name(row->allowed);
	v->blocking = inventory_row_blocking(row, now);
}

static const char *
repo_name(const struct inventory *inv, const struct inventory_seen *s)
{
	return s->repo < inv->nrepos ? inv->repos[s->repo] : "";
}

static void
date_or_empty(int ok, int64_t t, char *buf)
{
	if (ok)
		date_format(t, buf);
	else
		buf[0] = '\0';
}

/* Table */

enum column {
	COL_STATUS, COL_KIND, COL_ACCOUNT, COL_PERMISSIONS, COL_EXPIRY,
	COL_LIFETIME, COL_ACTION, COL_RULES, COL_PLACES, COL_REPOS, COL_HEAD,
	COL_EXCEPTION, COL_FINGERPRINT, COL_FIRST, COL_LOG_HASH, COLUMNS
};

static const char *const column_names[COLUMNS] = {
	"STATUS", "KIND", "ACCOUNT", "PERMISSIONS", "EXPIRY", "LIFETIME",
	"ACTION", "RULES", "PLACES", "REPOS", "HEAD", "EXCEPTION",
	"FINGERPRINT", "FIRST SEEN", "LOG HASH"
};

/* "30.0y", "12d", "5h", "?": short enough for a column. */
static void
lifetime_short(const struct judgement *j, char *buf, size_t cap)
{
	long long days = (long long)(j->lifetime / TOKEN_DAY);

	if (!j->lifetime_known)
		snprintf(buf, cap, "?");
	else if (days >= 730)
		snprintf(buf, cap, "%.1fy", (double)j->lifetime /
		    (365.25 * TOKEN_DAY));
	else if (days >= 2)
		snprintf(buf, cap, "%lldd", days);
	else
		snprintf(buf, cap, "%lldh", (long long)(j->lifetime / 3600));
}

static void
cell(const struct inventory *inv, const struct view *v, enum column c,
    char *buf, size_t cap)
{
	const struct inventory_row *r = v->row;
	const struct token *t = &r->tok;
	char d[DATE_BUFSIZE];

	switch (c) {
	case COL_STATUS: snprintf(buf, cap, "%s", v->status_words); break;
	case COL_KIND: snprintf(buf, cap, "%s", token_kind_code(t->kind));
		break;
	case COL_ACCOUNT: snprintf(buf, cap, "%s", t->account[0] ?
		t->account : t->host[0] ? t->host : "-"); break;
	case COL_PERMISSIONS: snprintf(buf, cap, "%s", t->has_sp ? t->sp :
		"-"); break;
	case COL_EXPIRY:
		snprintf(buf, cap, "%.10s", t->has_se && t->se_ok ?
		    date_format(t->se, d) : "-");
		break;
	case COL_LIFETIME: lifetime_short(&r->judgement, buf, cap); break;
	case COL_ACTION: snprintf(buf, cap, "%s", v->action); break;
	case COL_RULES: snprintf(buf, cap, "%s", v->rules[0] ? v->rules : "-");
		break;
	case COL_PLACES: snprintf(buf, cap, "%llu", r->places); break;
	case COL_REPOS: snprintf(buf, cap, "%zu", r->nrepos); break;
	case COL_HEAD: snprintf(buf, cap, "%s", r->at_head ? "yes" : "no");
		break;
	case COL_EXCEPTION: snprintf(buf, cap, "%s", v->exception[0] ?
		v->exception : "-"); break;
	case COL_FINGERPRINT: snprintf(buf, cap, "%s", t->fingerprint); break;
	case COL_FIRST:
		date_or_empty(r->first.has_date, r->first.date, d);
		snprintf(buf, cap, "%s@%.12s %.10s %s:%ld",
		    repo_name(inv, &r->first), r->first.commit, d,
		    r->first.path[0] ? r->first.path : "?", r->first.line);
		break;
	case COL_LOG_HASH: snprintf(buf, cap, "%s", t->log_hash); break;
	default: buf[0] = '\0'; break;
	}
}

/* Characters on screen: UTF-8 continuation bytes take no column. */
static size_t
columns_of(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* One line per row, whatever a path holds. */
static void
put_cell(FILE *out, const char *s, size_t width, int last)
{
	size_t n = columns_of(s);

	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
	if (last)
		return;
	for (; n < width + 2; n++)
		fputc(' ', out);
}

static void
table_rows(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n)
{
	size_t width[COLUMNS], i;
	char buf[CELL_MAX];
	int c;

	for (c = 0; c < COLUMNS; c++)
		width[c] = strlen(column_names[c]);
	for (i = 0; i < n; i++) {
		for (c = 0; c < COLUMNS; c++) {
			cell(inv, &v[i], (enum column)c, buf, sizeof buf);
			if (columns_of(buf) > width[c])
				width[c] = columns_of(buf);
		}
	}
	for (c = 0; c < COLUMNS; c++)
		put_cell(out, column_names[c], width[c], c == COLUMNS - 1);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		for (c = 0; c < COLUMNS; c++) {
			cell(inv, &v[i], (enum column)c, buf, sizeof buf);
			put_cell(out, buf, width[c], c == COLUMNS - 1);
		}
		fputc('\n', out);
	}
}

/* "label: 7 (a, b, c, d, e and 2 more)" of the rows that pass keep(). */
static void
summary_list(FILE *out, const char *label, const struct view *v, size_t n,
    int (*keep)(const struct view *))
{
	size_t i, k = 0, all = 0;

	for (i = 0; i < n; i++)
		all += (size_t)keep(&v[i]);
	fprintf(out, "%s: %zu", label, all);
	for (i = 0; i < n && k < SUMMARY_LIST; i++)
		if (keep(&v[i]))
			fprintf(out, "%s%s", k++ ? ", " : " (",
			    v[i].row->tok.fingerprint);
	if (all > SUMMARY_LIST)
		fprintf(out, " and %zu more", all - SUMMARY_LIST);
	fputs(all > 0 ? ")\n" : "\n", out);
}

static int
live_account(const struct view *v)
{
	return token_live(v->status) && v->row->tok.kind == SAS_ACCOUNT;
}

static int
expiring(const struct view *v)
{
	return v->status == TOKEN_EXPIRING;
}

static void
table_summary(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n, int64_t now)
{
	unsigned long long places = 0;
	size_t i, live = 0;
	char words[80], d[DATE_BUFSIZE];

	for (i = 0; i < n; i++) {
		places += v[i].row->places;
		live += (size_t)token_live(v[i].status);
	}
	fprintf(out, "\n%zu SAS %s: %zu live (%zu blocking), %zu expired; "
	    "%llu %s in %zu %s\n", n, n == 1 ? "token" : "tokens", live,
	    inventory_blocking(inv, now), n - live, places, places == 1 ?
	    "place" : "places", inv->nrepos, inv->nrepos == 1 ? "repository" :
	    "repositories");
	summary_list(out, "live account SAS", v, n, live_account);
	/* The order puts the longest-lived live token first. */
	if (n > 0 && token_live(v[0].status)) {
		const struct inventory_row *r = v[0].row;

		fprintf(out, "longest-lived live token: %s, %s, %s, %s%s%s%s\n",
		    r->tok.fingerprint, sas_kind_name(r->tok.kind),
		    r->judgement.lifetime_known ? token_lifetime_words(
		    r->judgement.lifetime, words, sizeof words) :
		    "lifetime unknown", r->tok.has_se && r->tok.se_ok ?
		    "expires " : "no expiry known", r->tok.has_se &&
		    r->tok.se_ok ? date_format(r->tok.se, d) : "",
		    r->tok.account[0] ? ", account " : "", r->tok.account);
	} else
		fputs("longest-lived live token: none\n", out);
	summary_list(out, "tokens expiring within 30 days", v, n, expiring);
}

/* CSV (RFC 4180) */

static void
csv_field(FILE *out, const char *s, int first)
{
	if (!first)
		fputc(',', out);
	if (strpbrk(s, "\",\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
csv_number(FILE *out, long long n)
{
	fprintf(out, ",%lld", n);
}

static const char *const csv_header[] = {
	"fingerprint", "log_hash", "status", "kind", "account", "host",
	"scope", "permissions", "permission_words", "protocol", "start",
	"expiry", "lifetime_seconds", "lifetime", "action", "rules",
	"exception", "allowed_places", "places", "repositories", "at_head",
	"first_repo", "first_commit", "first_author", "first_date",
	"first_path", "first_line", "last_repo", "last_commit", "last_author",
	"last_date", "last_path", "last_line", "token",
};

static void
csv_seen(FILE *out, const struct inventory *inv, const struct inventory_seen *s)
{
	char d[DATE_BUFSIZE];

	csv_field(out, repo_name(inv, s), 0);
	csv_field(out, s->commit, 0);
	csv_field(out, s->author, 0);
	date_or_empty(s->has_date, s->date, d);
	csv_field(out, d, 0);
	csv_field(out, s->path, 0);
	csv_number(out, s->line);
}

static void
csv_row(FILE *out, const struct inventory *inv, const struct view *v)
{
	const struct inventory_row *r = v->row;
	const struct token *t = &r->tok;
	char buf[400], d[DATE_BUFSIZE];

	csv_field(out, t->fingerprint, 1);
	csv_field(out, t->log_hash, 0);
	csv_field(out, v->status_words, 0);
	csv_field(out, token_kind_code(t->kind), 0);
	csv_field(out, t->account, 0);
	csv_field(out, t->host, 0);
	csv_field(out, token_scope_words(t, buf, sizeof buf), 0);
	csv_field(out, t->has_sp ? t->sp : "", 0);
	csv_field(out, t->has_sp ? sas_permissions_words(t->sp, buf,
	    sizeof buf) : "", 0);
	csv_field(out, t->has_spr ? t->spr : "", 0);
	date_or_empty(t->has_st && t->st_ok, t->st, d);
	csv_field(out, d, 0);
	date_or_empty(t->has_se && t->se_ok, t->se, d);
	csv_field(out, d, 0);
	if (r->judgement.lifetime_known) {
		csv_number(out, (long long)r->judgement.lifetime);
		csv_field(out, token_lifetime_words(r->judgement.lifetime, buf,
		    sizeof buf), 0);
	} else
		fputs(",,", out);
	csv_field(out, v->action, 0);
	csv_field(out, v->rules, 0);
	csv_field(out, v->exception, 0);
	csv_number(out, (long long)r->allowed_places);
	csv_number(out, (long long)r->places);
	csv_number(out, (long long)r->nrepos);
	csv_field(out, r->at_head ? "yes" : "no", 0);
	csv_seen(out, inv, &r->first);
	csv_seen(out, inv, &r->last);
	csv_field(out, t->shown, 0);
	fputs("\r\n", out);
}

static void
csv_write(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n)
{
	size_t i;

	for (i = 0; i < sizeof csv_header / sizeof csv_header[0]; i++)
		csv_field(out, csv_header[i], i == 0);
	fputs("\r\n", out);
	for (i = 0; i < n; i++)
		csv_row(out, inv, &v[i]);
}

/* JSON */

static void
json_seen(FILE *out, const char *key, const struct inventory *inv,
    const struct inventory_seen *s)
{
	fprintf(out, ",\"%s\":{", key);
	doc_opt(out, "repo", 1, repo_name(inv, s));
	fputc(',', out);
	doc_opt(out, "commit", s->commit[0] != '\0', s->commit);
	fputc(',', out);
	doc_opt(out, "author", s->author[0] != '\0', s->author);
	fputc(',', out);
	doc_date(out, "date", s->has_date, s->date);
	fputc(',', out);
	doc_opt(out, "path", s->path[0] != '\0', s->path);
	fputs(",\"line\":", out);
	if (s->line > 0)
		fprintf(out, "%ld}", s->line);
	else
		fputs("null}", out);
}

static void
json_token_fields(FILE *out, const struct token *t)
{
	char buf[400];

	fputc(',', out);
	doc_token(out, t);
	fputc(',', out);
	doc_opt(out, "account", t->account[0] != '\0', t->account);
	fputc(',', out);
	doc_opt(out, "host", t->host[0] != '\0', t->host);
	fputc(',', out);
	doc_opt(out, "scope", 1, token_scope_words(t, buf, sizeof buf));
}

static void
json_row(FILE *out, const struct inventory *inv, const struct view *v,
    int first)
{
	const struct inventory_row *r = v->row;
	const struct token *t = &r->tok;
	size_t i;

	fputs(first ? "\n{" : ",\n{", out);
	doc_opt(out, "fingerprint", 1, t->fingerprint);
	fputc(',', out);
	doc_opt(out, "log_hash", 1, t->log_hash);
	fputc(',', out);
	doc_opt(out, "status", 1, v->status_words);
	fprintf(out, ",\"live\":%s,\"expires_in_days\":",
	    token_live(v->status) ? "true" : "false");
	if (token_live(v->status) && v->status != TOKEN_NO_EXPIRY)
		fprintf(out, "%lld", v->days);
	else
		fputs("null", out);
	json_token_fields(out, t);
	fputs(",\"lifetime_seconds\":", out);
	if (r->judgement.lifetime_known)
		fprintf(out, "%lld", (long long)r->judgement.lifetime);
	else
		fputs("null", out);
	fprintf(out, ",\"action\":\"%s\"", v->action);
	fputs(",\"rules\":", out);
	doc_rules(out, &r->judgement);
	fputc(',', out);
	doc_opt(out, "exception", v->exception[0] != '\0', v->exception);
	fprintf(out, ",\"allowed_places\":%llu,\"places\":%llu,"
	    "\"repositories\":%zu,\"repos\":[", r->allowed_places, r->places,
	    r->nrepos);
	for (i = 0; i < r->nrepos; i++) {
		if (i > 0)
			fputc(',', out);
		json_str(out, r->repos[i] < inv->nrepos ?
		    inv->repos[r->repos[i]] : "");
	}
	fprintf(out, "],\"at_head\":%s,\"blocking\":%s",
	    r->at_head ? "true" : "false", v->blocking ? "true" : "false");
	json_seen(out, "first_seen", inv, &r->first);
	json_seen(out, "last_seen", inv, &r->last);
	fputc(',', out);
	doc_opt(out, "shown", 1, t->shown);
	fputc('}', out);
}

static void
json_write(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n, const struct inventory_run *run)
{
	size_t i, live = 0, account = 0, soon = 0;
	char d[DATE_BUFSIZE];

	fputs("{\"tool\":\"sasguard\",\"version\":", out);
	json_str(out, run->version);
	fprintf(out, ",\"schema\":%d,\"now\":\"%s\",\"repositories\":[",
	    INVENTORY_SCHEMA, date_format(run->now, d));
	for (i = 0; i < inv->nrepos; i++) {
		if (i > 0)
			fputc(',', out);
		json_str(out, inv->repos[i]);
	}
	fputs("],\"tokens\":[", out);
	for (i = 0; i < n; i++) {
		json_row(out, inv, &v[i], i == 0);
		live += (size_t)token_live(v[i].status);
		account += (size_t)live_account(&v[i]);
		soon += (size_t)expiring(&v[i]);
	}
	fprintf(out, "\n],\"summary\":{\"tokens\":%zu,\"live\":%zu,"
	    "\"expired\":%zu,\"live_account_sas\":%zu,\"expiring_within_30_"
	    "days\":%zu,\"blocking\":%zu}}\n", n, live, n - live, account, soon,
	    inventory_blocking(inv, run->now));
}

/* SARIF */

/* The rule a row is filed under: the first that fired with the worst
 * action, or DOC_TOKEN_RULE (index RULE_COUNT) when none did. */
static int
sarif_rule_of(const struct judgement *j)
{
	int i;

	for (i = 0; i < j->nhits; i++)
		if (j->hit[i].action == j->worst)
			return (int)j->hit[i].rule;
	return RULE_COUNT;
}

static void
sarif_message(FILE *out, const struct inventory *inv, const struct view *v)
{
	const struct inventory_row *r = v->row;
	const struct token *t = &r->tok;
	char text[2048], words[256], d[DATE_BUFSIZE];

	date_or_empty(r->first.has_date, r->first.date, d);
	snprintf(text, sizeof text, "%s %s (%s; rules: %s). Token: %s "
	    "(permissions: %s; fingerprint %s). Seen %llu %s in %zu %s, first "
	    "in %s commit %s by %s on %s%s. Azure logs its use as %s.",
	    v->status_words, sas_kind_name(t->kind), v->action,
	    v->rules[0] ? v->rules : "none", t->shown, t->has_sp ?
	    sas_permissions_words(t->sp, words, sizeof words) :
	    "none in the token", t->fingerprint, r->places, r->places == 1 ?
	    "time" : "times", r->nrepos, r->nrepos == 1 ? "repository" :
	    "repositories", repo_name(inv, &r->first), r->first.commit[0] ?
	    r->first.commit : "(unknown)", r->first.author[0] ?
	    r->first.author : "(unknown)", d[0] ? d : "(unknown date)",
	    r->at_head ? "; still at HEAD" : "", t->log_hash);
	fputs(",\"message\":{\"text\":", out);
	json_str(out, text);
	fputc('}', out);
}

static void
sarif_row(FILE *out, const struct inventory *inv, const struct view *v,
    int first)
{
	const struct inventory_row *r = v->row;
	int rule = sarif_rule_of(&r->judgement);
	char d[DATE_BUFSIZE];

	fputs(first ? "\n{" : ",\n{", out);
	fprintf(out, "\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\"",
	    rule < RULE_COUNT ? rules_id_name((enum rule_id)rule) :
	    DOC_TOKEN_RULE, rule, !token_live(v->status) ||
	    r->judgement.worst == ACTION_OFF ? "note" :
	    doc_sarif_level(r->judgement.worst));
	sarif_message(out, inv, v);
	if (r->first.path[0] != '\0') {
		fputs(",\"locations\":[{\"physicalLocation\":{"
		    "\"artifactLocation\":{\"uri\":", out);
		json_uri(out, r->first.path);
		fprintf(out, "},\"region\":{\"startLine\":%ld}}}]",
		    r->first.line > 0 ? r->first.line : 1);
	} else
		fputs(",\"locations\":[]", out);
	fprintf(out, ",\"partialFingerprints\":{\"sasguard/v1\":\"%s\"}",
	    r->tok.fingerprint);
	if (r->allowed_places == r->places)
		fprintf(out, ",\"suppressions\":[{\"kind\":\"external\","
		    "\"justification\":\"allowed by %s\"}]",
		    allow_reason_name(r->allowed));
	fputs(",\"properties\":{", out);
	doc_opt(out, "log_hash", 1, r->tok.log_hash);
	fputc(',', out);
	doc_opt(out, "status", 1, v->status_words);
	fprintf(out, ",\"live\":%s,\"fingerprint\":\"%s\",\"kind\":\"%s\","
	    "\"places\":%llu,\"repositories\":%zu,\"at_head\":%s,",
	    token_live(v->status) ? "true" : "false", r->tok.fingerprint,
	    token_kind_code(r->tok.kind), r->places, r->nrepos,
	    r->at_head ? "true" : "false");
	doc_opt(out, "repository", 1, repo_name(inv, &r->first));
	fputc(',', out);
	doc_opt(out, "commit", r->first.commit[0] != '\0', r->first.commit);
	fputc(',', out);
	doc_opt(out, "author", r->first.author[0] != '\0', r->first.author);
	fputc(',', out);
	date_or_empty(r->first.has_date, r->first.date, d);
	doc_opt(out, "date", d[0] != '\0', d);
	fputs("}}", out);
}

static void
sarif_write(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n, const struct inventory_run *run)
{
	size_t i;

	doc_sarif_head(out, run->rules, run->version, 1);
	for (i = 0; i < n; i++)
		sarif_row(out, inv, &v[i], i == 0);
	fprintf(out, "\n],\"invocations\":[{\"executionSuccessful\":%s}],"
	    "\"properties\":{\"blocking\":%zu}}]}\n", run->failed ? "false" :
	    "true", inventory_blocking(inv, run->now));
}

/* GitLab secret-detection report, schema 15.1.4 */

/* "YYYY-MM-DDThh:mm:ss": GitLab's pattern has no Z and no fraction. */
static const char *
gitlab_time(int64_t t, char buf[DATE_BUFSIZE])
{
	date_format(t, buf);
	buf[19] = '\0';
	return buf;
}

/* A UUID (version 8, RFC 9562) made from the fingerprint: the same token
 * keeps its id from one run to the next. */
static void
gitlab_id(const struct token *t, char buf[40])
{
	unsigned char d[SHA256_SIZE];
	char text[64];
	int i, n = 0;

	snprintf(text, sizeof text, "sasguard-inventory:%s", t->fingerprint);
	sha256_digest(text, strlen(text), d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		n += snprintf(buf + n, 40 - (size_t)n, "%02x", d[i]);
	}
}

static const char *
gitlab_severity(const struct view *v)
{
	if (!token_live(v->status))
		return "Low";
	switch (v->row->judgement.worst) {
	case ACTION_BLOCK: return "Critical";
	case ACTION_WARN: return "High";
	default: return "Medium";
	}
}

static void
gitlab_detail(FILE *out, const char *key, const char *name,
    const char *value, int first)
{
	fprintf(out, "%s\"%s\":{\"name\":\"%s\",\"type\":\"text\",\"value\":",
	    first ? "" : ",", key, name);
	json_str(out, value);
	fputc('}', out);
}

static void
gitlab_location(FILE *out, const struct inventory_seen *s)
{
	char d[DATE_BUFSIZE];

	fputs(",\"location\":{", out);
	if (s->path[0] != '\0') {
		fputs("\"file\":", out);
		json_str(out, s->path);
		fputc(',', out);
	}
	if (s->line > 0)
		fprintf(out, "\"start_line\":%ld,\"end_line\":%ld,", s->line,
		    s->line);
	fputs("\"commit\":{\"sha\":", out);
	json_str(out, s->commit[0] ? s->commit : "unknown");
	if (s->author[0] != '\0') {
		fputs(",\"author\":", out);
		json_str(out, s->author);
	}
	if (s->has_date)
		fprintf(out, ",\"date\":\"%s\"", date_format(s->date, d));
	fputs("}}", out);
}

static void
gitlab_row(FILE *out, const struct inventory *inv, const struct view *v,
    int first)
{
	const struct inventory_row *r = v->row;
	const struct token *t = &r->tok;
	int rule = sarif_rule_of(&r->judgement);
	const char *rule_name = rule < RULE_COUNT ?
	    rules_id_name((enum rule_id)rule) : DOC_TOKEN_RULE;
	char id[40], text[1200], buf[64];

	gitlab_id(t, id);
	fprintf(out, "%s{\"id\":\"%s\",\"category\":\"secret_detection\","
	    "\"name\":\"Azure Storage %s\",", first ? "\n" : ",\n", id,
	    sas_kind_name(t->kind));
	snprintf(text, sizeof text, "%s %s in the repository's history "
	    "(%s; rules: %s): %s. Seen %llu %s in %zu %s; %s at HEAD. Azure "
	    "Storage logs record its use as %s in the AuthenticationHash "
	    "column.", v->status_words, sas_kind_name(t->kind), v->action,
	    v->rules[0] ? v->rules : "none", t->shown, r->places,
	    r->places == 1 ? "time" : "times", r->nrepos, r->nrepos == 1 ?
	    "repository" : "repositories", r->at_head ? "still" : "no longer",
	    t->log_hash);
	fputs("\"description\":", out);
	json_str(out, text);
	fprintf(out, ",\"severity\":\"%s\",\"solution\":\"Revoke the token: "
	    "rotate the storage account key that signed it (for a user-"
	    "delegation SAS, revoke the user delegation keys), check the "
	    "storage logs for its log hash, and take it out of the files.\","
	    "\"identifiers\":[{\"type\":\"sasguard_rule\",\"name\":\"sasguard "
	    "%s\",\"value\":\"%s\"},{\"type\":\"sasguard_fingerprint\","
	    "\"name\":\"token fingerprint %s\",\"value\":\"%s\"}]",
	    gitlab_severity(v), rule_name, rule_name, t->fingerprint,
	    t->fingerprint);
	gitlab_location(out, &r->first);
	fputs(",\"details\":{", out);
	gitlab_detail(out, "status", "Status", v->status_words, 1);
	gitlab_detail(out, "log_hash", "Azure log hash", t->log_hash, 0);
	gitlab_detail(out, "fingerprint", "Fingerprint", t->fingerprint, 0);
	snprintf(buf, sizeof buf, "%llu", r->places);
	gitlab_detail(out, "places", "Places", buf, 0);
	gitlab_detail(out, "repository", "First seen in",
	    repo_name(inv, &r->first), 0);
	fputs("}}", out);
}

static void
gitlab_write(FILE *out, const struct inventory *inv, const struct view *v,
    size_t n, const struct inventory_run *run)
{
	char a[DATE_BUFSIZE], b[DATE_BUFSIZE];
	size_t i;

	fprintf(out, "{\"version\":\"%s\",\"scan\":{", GITLAB_SCHEMA);
	fputs("\"analyzer\":{\"id\":\"sasguard\",\"name\":\"sasguard\","
	    "\"version\":", out);
	json_str(out, run->version);
	fputs(",\"vendor\":{\"name\":\"sasguard\"}},\"scanner\":{\"id\":"
	    "\"sasguard\",\"name\":\"sasguard\",\"version\":", out);
	json_str(out, run->version);
	fprintf(out, ",\"vendor\":{\"name\":\"sasguard\"}},\"type\":"
	    "\"secret_detection\",\"start_time\":\"%s\",\"end_time\":\"%s\","
	    "\"status\":\"%s\"},\"vulnerabilities\":[",
	    gitlab_time(run->started, a), gitlab_time(run->finished, b),
	    run->failed ? "failure" : "success");
	for (i = 0; i < n; i++)
		gitlab_row(out, inv, &v[i], i == 0);
	fputs("\n]}\n", out);
}

int
inventory_write(const struct inventory *inv, enum inventory_format f,
    const struct inventory_run *run, FILE *out)
{
	size_t *order = inventory_order(inv, run->now), i;
	struct view *v;

	v = malloc((inv->nrows ? inv->nrows : 1) * sizeof *v);
	if (order == NULL || v == NULL) {
		free(order);
		free(v);
		return -1;
	}
	for (i = 0; i < inv->nrows; i++)
		view_of(&v[i], &inv->rows[order[i]], run->now);
	switch (f) {
	case INVENTORY_CSV: csv_write(out, inv, v, inv->nrows); break;
	case INVENTORY_JSON: json_write(out, inv, v, inv->nrows, run); break;
	case INVENTORY_SARIF: sarif_write(out, inv, v, inv->nrows, run); break;
	case INVENTORY_GITLAB: gitlab_write(out, inv, v, inv->nrows, run);
		break;
	default:
		table_rows(out, inv, v, inv->nrows);
		table_summary(out, inv, v, inv->nrows, run->now);
		break;
	}
	free(order);
	free(v);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
