/*
 * report_doc.h - the JSON and SARIF documents of report.h, written as
 * the scan goes (head, one entry per finding, tail). The writer keeps its
 * own small state and is handed what it writes: a finding with its kept
 * token (token.h, no signature), and the counts at the end. The schemas
 * are described in README.md.
 */
#ifndef SASGUARD_REPORT_DOC_H
#define SASGUARD_REPORT_DOC_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "token.h"

struct doc {
	FILE *out;
	enum report_format format;	/* REPORT_JSON or REPORT_SARIF */
	const struct rules *rules;	/* borrowed; NULL: the default */
	unsigned long long items;	/* entries written, for commas */
};

/* What the document's summary says. */
struct doc_summary {
	unsigned long long tokens[3], places[3];	/* by rule_action */
	unsigned long long allowed[ALLOW_REASONS];
	unsigned long long emulator;
	int exit_status;
};

void doc_init(struct doc *d, FILE *out, enum report_format format,
    const struct rules *rules);
void doc_head(struct doc *d, const char *version, int64_t now);
void doc_finding(struct doc *d, const struct finding *f,
    const struct token *k);
void doc_tail(struct doc *d, const struct doc_summary *s);

/* The SARIF security-severity of each rule (CVSS-like, 0.0 to 10.0). */
const char *doc_rule_severity(enum rule_id id);

/*
 * For the inventory's SARIF: the head up to "results":[ with the rule
 * list (and, with token_rule, one more rule, DOC_TOKEN_RULE, for tokens
 * no rule fires on), and the level of an action.
 */
#define DOC_TOKEN_RULE "sas-token"
void doc_sarif_head(FILE *out, const struct rules *rules,
    const char *version, int token_rule);
const char *doc_sarif_level(enum rule_action a);

/* "key":"value", or "key":null when the value is absent; the same for a
 * date (written as date_format does). */
void doc_opt(FILE *out, const char *key, int present, const char *value);
void doc_date(FILE *out, const char *key, int ok, int64_t t);

/* The rules that fired: [{"id":...,"action":...,"why":...}, ...]. */
void doc_rules(FILE *out, const struct judgement *j);

/* The token's fields, "kind":... to "expiry_text":..., without braces. */
void doc_token(FILE *out, const struct token *t);

#endif
