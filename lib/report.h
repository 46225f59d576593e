/*
 * report.h - tell people what was found, in words, without the secret.
 *
 * Findings are grouped by token, named by its fingerprint (allow.h): the
 * first place a token is seen gets the full story (each rule that fired,
 * the token with its signature redacted, kind, permissions, dates, commit,
 * fingerprint and the log hash Azure's storage logs record it by), later
 * places of the same token are
 * listed under it, so a commit that pastes one token into 78 links reads
 * as one finding with 78 places. Up to REPORT_GROUPS distinct tokens are
 * held for grouping (memory stays bounded); past that, each token is
 * written out at once, ungrouped. Tokens no rule fires on are counted only.
 *
 * When something blocks, the summary is followed by advice, all of it
 * worded here: the step that takes it out (for report.context: a hand
 * run, a refused commit or message, a refused push), how each kind that
 * blocked is revoked (account or service SAS: both account keys; user
 * delegation: the delegation keys; stored access policy: change or
 * delete it; account key: rotate it), the durable fix (a managed
 * identity, or a SAS minted at run time with what the rules that fired
 * ask of it: each rule row's remedy), and the one line that records a
 * reviewed exception. The summary names what it counts ("SAS tokens",
 * "account keys", "generated SAS", or "credentials" when mixed).
 * quiet keeps only the findings' headline lines; verbose adds the tokens
 * no rule fires on (PASS); color paints BLOCK red and WARN yellow.
 *
 * A finding an exception allowed (see allow.h) is not told in the text,
 * only counted by reason in the summary ("2 allowed by baseline, 1 by
 * path"), so exceptions stay visible.
 *
 * With REPORT_JSON or REPORT_SARIF a document goes to a second stream
 * (stdout in use), written as the scan goes: its head at report_start(),
 * each finding when it is added (allowed ones too, marked as such), the
 * summary at report_finish(). Nothing is held for it, so memory stays
 * bounded however many findings there are. The text stream then gets only
 * the summary line. The schemas are in README.md.
 *
 * The report never holds a signature: each finding's token is kept as a
 * struct token (token.h) at once, and only that is grouped, written or
 * handed on.
 */
#ifndef SASGUARD_REPORT_H
#define SASGUARD_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "allow.h"
#include "rules.h"
#include "sas.h"
#include "token.h"

#define REPORT_GROUPS 128
#define REPORT_PLACES 12	/* places listed per token; the rest counted */
#define REPORT_PLACE_MAX 256

/* One token at one place. Everything is borrowed for the call. */
struct finding {
	/* What was found: a token (made NULL), a SAS code would make (made
	 * says by what), or an account key (key set, tok NULL). */
	const struct sas_token *tok;
	const struct made *made;
	const struct acctkey *key;
	const char *shown;	/* made and key: their redacted text */
	const struct judgement *judgement;
	const char *path;	/* "" when unknown */
	long lineno;		/* 0 when unknown */
	const char *commit;	/* "" when unknown */
	const char *ref;	/* "" when unknown */
	/* FINGERPRINT_HEX digits, as fingerprint_format() wrote them:
	 * the token's identity, computed once by the scanner. */
	const char *fingerprint;
	enum allow_reason allowed;	/* ALLOW_NONE: not allowed */
};

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF };

/*
 * Who reads the advice, so it names the step that helps them: a person
 * who ran sasguard by hand, one whose commit (its files, or its message)
 * the pre-commit or commit-msg hook refused, or one whose push the server
 * refused. The caller sets report.context; the report is the one place
 * that words the advice.
 */
enum report_context {
	REPORT_HAND,
	REPORT_COMMIT,
	REPORT_MESSAGE,
	REPORT_PUSH
};

struct report_group;
struct doc;

/*
 * A sink takes every finding instead of the text and the document (the
 * inventory is one): k is the finding's kept token. Return 0, or -1 to
 * stop the scan (report_add() then fails).
 */
typedef int (*report_sink_fn)(void *user, const struct finding *f,
    const struct token *k);

struct report {
	FILE *out;			/* text, for people */
	struct doc *doc;		/* JSON or SARIF; NULL for text */
	report_sink_fn sink;		/* see report_sink() */
	void *sink_user;
	struct report_group *groups;
	size_t ngroups;
	/* places, by the worst action that fired there */
	unsigned long long blocked, warned, passed;
	/* distinct tokens, by the same */
	unsigned long long tokens_blocked, tokens_warned, tokens_passed;
	unsigned long long emulator;	/* storage-emulator tokens skipped */
	unsigned long long allowed[ALLOW_REASONS];	/* places, by reason */
	/* Rules that fired on something that blocked (1 << rule_id), and
	 * what blocked (1 << enum report_kind, in report.c): the advice. */
	unsigned blocked_rules;
	unsigned blocked_kinds;
	unsigned seen_kinds;		/* the same, for all: the summary */
	int failed;			/* a write failed */
	/* Set by the caller after report_init(); all off by default. */
	enum report_context context;
	int color;		/* BLOCK red, WARN yellow (text only) */
	int quiet;		/* only the findings' headline lines */
	int verbose;		/* also the tokens no rule fires on */
};

void report_init(struct report *r, FILE *out);
void report_release(struct report *r);

/*
 * Chooses the format; for JSON and SARIF writes the document's head to
 * doc. rules (borrowed) gives SARIF its rule list; version and now are
 * said in the document. Returns 0, or -1 when writing (or memory) failed.
 */
int report_start(struct report *r, enum report_format format, FILE *doc,
    const struct rules *rules, const char *version, int64_t now);

/* Hands every finding to fn from now on: nothing is told or grouped,
 * only counted. */
void report_sink(struct report *r, report_sink_fn fn, void *user);

/* Records one finding. Returns 0, or -1 when writing failed (or the sink
 * said stop). */
int report_add(struct report *r, const struct finding *f);

/* Writes the held findings and the summary line (nothing at all when no
 * token was seen), and ends
 * the document, which records exit_status. Returns 0, or -1 when any
 * write failed. */
int report_finish(struct report *r, int exit_status);

/* "2 allowed by baseline, 1 by path" into buf ("" when none). */
char *report_allowed_words(const struct report *r, char *buf, size_t cap);

#endif
