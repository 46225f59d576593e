/*
 * report.h - tell people what was found, in words, without the secret.
 *
 * Findings are grouped by token: the first place a token is seen gets the
 * full story (each rule that fired, the token with its signature redacted,
 * kind, permissions, dates, commit), later places of the same token are
 * listed under it, so a commit that pastes one token into 78 links reads
 * as one finding with 78 places. Up to REPORT_GROUPS distinct tokens are
 * held for grouping (memory stays bounded); past that, each token is
 * written out at once, ungrouped. Tokens no rule fires on are counted only.
 */
#ifndef SASGUARD_REPORT_H
#define SASGUARD_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "rules.h"
#include "sas.h"

#define REPORT_GROUPS 128
#define REPORT_PLACES 12	/* places listed per token; the rest counted */
#define REPORT_PLACE_MAX 256

/* One token at one place. Everything is borrowed for the call. */
struct finding {
	const struct sas_token *tok;
	const struct judgement *judgement;
	const char *path;	/* "" when unknown */
	long lineno;		/* 0 when unknown */
	const char *commit;	/* "" when unknown */
	const char *ref;	/* "" when unknown */
};

struct report_group;

struct report {
	FILE *out;
	struct report_group *groups;
	size_t ngroups;
	/* places, by the worst action that fired there */
	unsigned long long blocked, warned, passed;
	/* distinct tokens, by the same */
	unsigned long long tokens_blocked, tokens_warned, tokens_passed;
	unsigned long long emulator;	/* storage-emulator tokens skipped */
	int failed;			/* a write failed */
};

void report_init(struct report *r, FILE *out);
void report_release(struct report *r);

/* Records one finding. Returns 0, or -1 when writing failed. */
int report_add(struct report *r, const struct finding *f);

/* Writes the held findings and the summary (nothing at all when no token
 * was seen). Returns 0, or -1 when any write failed. */
int report_finish(struct report *r);

#endif
