/*
 * report.c - findings as text for people, on one stream (stderr in use).
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "redact.h"
#include "report.h"
#include "report_doc.h"

/* A path with its signatures redacted: a redacted value can be longer
 * than a very short one. */
#define SHOWN_PATH_MAX 8192

struct report_group {
	struct token tok;		/* no signature: see token.h */
	struct judgement judgement;
	char first[REPORT_PLACE_MAX];	/* "path:line" */
	char commit[80];
	char ref[REPORT_PLACE_MAX];
	/* Other places, in order; a place met again right after itself (two
	 * links on one line) is counted in reps rather than listed twice. */
	char places[REPORT_PLACES][REPORT_PLACE_MAX];
	unsigned long long reps[REPORT_PLACES];
	size_t nplaces;
	unsigned long long listed;	/* sum of reps */
	unsigned long long count;	/* places, the first included */
};

void
report_init(struct report *r, FILE *out)
{
	memset(r, 0, sizeof *r);
	r->out = out;
}

int
report_start(struct report *r, enum report_format format, FILE *doc,
    const struct rules *rules, const char *version, int64_t now)
{
	if (format == REPORT_TEXT)
		return 0;
	if ((r->doc = malloc(sizeof *r->doc)) == NULL)
		return -1;
	doc_init(r->doc, doc, format, rules);
	doc_head(r->doc, version, now);
	return ferror(doc) ? -1 : 0;
}

void
report_sink(struct report *r, report_sink_fn fn, void *user)
{
	r->sink = fn;
	r->sink_user = user;
}

void
report_release(struct report *r)
{
	free(r->groups);
	free(r->doc);
	r->groups = NULL;
	r->doc = NULL;
	r->ngroups = 0;
}

static void
place_format(char *buf, size_t cap, const struct finding *f)
{
	const char *path = f->path[0] != '\0' ? f->path : "(unknown file)";

	if (f->lineno > 0)
		snprintf(buf, cap, "%s:%ld", path, f->lineno);
	else
		snprintf(buf, cap, "%s:?", path);
}

static void
print_kind(FILE *out, const struct token *t)
{
	char scope[400];

	fprintf(out, "    kind:        %s", sas_kind_name(t->kind));
	if (t->kind == SAS_ACCOUNT)
		fprintf(out, " (%s)", token_scope_words(t, scope,
		    sizeof scope));
	else if (t->kind != SAS_UNKNOWN)
		fprintf(out, " for %s", token_resource_words(t));
	if (t->policy_backed)
		fprintf(out, ", tied to stored access policy '%s'", t->si);
	fputc('\n', out);
}

static void
print_dates(FILE *out, const struct token *t, const struct judgement *j)
{
	char d[DATE_BUFSIZE], words[80];

	if (t->has_st)
		fprintf(out, "    start:       %s\n",
		    t->st_ok ? date_format(t->st, d) : t->st_text);
	if (t->has_se)
		fprintf(out, "    expiry:      %s%s\n",
		    t->se_ok ? date_format(t->se, d) : t->se_text,
		    j->expired ? " (expired; judged as it was made)" : "");
	else
		fprintf(out, "    expiry:      none in the token\n");
	if (j->lifetime_known)
		fprintf(out, "    lifetime:    %s\n",
		    token_lifetime_words(j->lifetime, words, sizeof words));
}

static void
print_places(FILE *out, const struct report_group *g)
{
	size_t i;

	if (g->count < 2)
		return;
	fprintf(out, "    also at:     ");
	for (i = 0; i < g->nplaces; i++) {
		fprintf(out, "%s%s", i ? ", " : "", g->places[i]);
		if (g->reps[i] > 1)
			fprintf(out, " (×%llu)", g->reps[i]);
	}
	if (g->count - 1 > g->listed)
		fprintf(out, " and %llu more", g->count - 1 - g->listed);
	fprintf(out, " (%llu places in all)\n", g->count);
}

static void print_places(FILE *out, const struct report_group *g);

static void
commit_print(FILE *out, const struct report_group *g)
{
	if (g->commit[0] != '\0' || g->ref[0] != '\0')
		fprintf(out, "    commit:      %s%s%s\n",
		    g->commit[0] ? g->commit : "(unknown)",
		    g->ref[0] ? " on " : "", g->ref);
}

/* An account key: what it is, never what it says. */
static void
key_print(FILE *out, const struct report_group *g)
{
	const struct token *t = &g->tok;

	fprintf(out, "    key:         %s\n", t->shown);
	fprintf(out, "    kind:        storage account key%s\n",
	    t->key_identifiable ? " (identifiable: +ASt, checksum valid)" :
	    "");
	if (t->account[0] != '\0')
		fprintf(out, "    account:     %s\n", t->account);
	commit_print(out, g);
	fprintf(out, "    fingerprint: %s\n", t->fingerprint);
	fprintf(out, "    log hash:    %s\n", t->log_hash);
	print_places(out, g);
}

/* The verdict's word, coloured on a terminal (red BLOCK, yellow WARN). */
static void
verdict_print(FILE *out, const struct report *r, enum rule_action a)
{
	static const char *const word[] = { "PASS", "WARN", "BLOCK" };
	static const char *const ink[] = { "", "\033[33m", "\033[31m" };

	if (r->color && ink[a][0] != '\0')
		fprintf(out, "%s%s\033[0m", ink[a], word[a]);
	else
		fputs(word[a], out);
}

/* One line per rule that fired: the line --quiet keeps. */
static void
headline_print(FILE *out, const struct report *r, const struct report_group *g)
{
	const struct judgement *j = &g->judgement;
	const struct token *t = &g->tok;
	int i, made = t->what == TOKEN_MADE;

	for (i = 0; i < j->nhits; i++) {
		fprintf(out, "%s: ", g->first);
		verdict_print(out, r, j->hit[i].action);
		fprintf(out, " %s%s%s%s: %s\n", rules_id_name(j->hit[i].rule),
		    made ? " (made by " : "", made ? t->made_by : "",
		    made ? ")" : "", j->hit[i].why);
	}
	if (j->nhits == 0) {
		fprintf(out, "%s: ", g->first);
		verdict_print(out, r, ACTION_OFF);
		fputs(": no rule fires\n", out);
	}
}

static void
group_print(FILE *out, const struct report *r, const struct report_group *g)
{
	const struct judgement *j = &g->judgement;
	const struct token *t = &g->tok;
	char words[256];

	headline_print(out, r, g);
	if (r->quiet)
		return;
	if (t->what == TOKEN_KEY) {
		key_print(out, g);
		return;
	}
	if (t->what == TOKEN_MADE)
		fprintf(out, "    made by:     %s\n    code:        %s\n",
		    t->made_by, t->shown);
	else
		fprintf(out, "    token:       %s\n", t->shown);
	print_kind(out, t);
	if (t->has_sp)
		fprintf(out, "    permissions: %s (sp=%s)\n",
		    sas_permissions_words(t->sp, words, sizeof words), t->sp);
	else
		fprintf(out, "    permissions: none in the token%s\n",
		    t->policy_backed ? " (set by the stored access policy)" :
		    "");
	print_dates(out, t, j);
	commit_print(out, g);
	fprintf(out, "    fingerprint: %s\n", t->fingerprint);
	if (t->log_hash[0] != '\0')
		fprintf(out, "    log hash:    %s\n", t->log_hash);
	print_places(out, g);
}

static struct report_group *
group_find(struct report *r, uint64_t fp)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		if (r->groups[i].tok.fp == fp)
			return &r->groups[i];
	return NULL;
}

static void
group_fill(struct report_group *g, const struct finding *f,
    const struct token *k)
{
	memset(g, 0, sizeof *g);
	g->tok = *k;
	g->judgement = *f->judgement;
	place_format(g->first, sizeof g->first, f);
	snprintf(g->commit, sizeof g->commit, "%s", f->commit);
	snprintf(g->ref, sizeof g->ref, "%s", f->ref);
	g->count = 1;
}

static void
group_place(struct report_group *g, const struct finding *f)
{
	char place[REPORT_PLACE_MAX];

	g->count++;
	place_format(place, sizeof place, f);
	if (g->nplaces > 0 && strcmp(place, g->places[g->nplaces - 1]) == 0) {
		g->reps[g->nplaces - 1]++;
		g->listed++;
	} else if (g->nplaces < REPORT_PLACES) {
		memcpy(g->places[g->nplaces], place, sizeof place);
		g->reps[g->nplaces++] = 1;
		g->listed++;
	}
}

static void
count_token(struct report *r, enum rule_action worst)
{
	if (worst == ACTION_BLOCK)
		r->tokens_blocked++;
	else if (worst == ACTION_WARN)
		r->tokens_warned++;
	else
		r->tokens_passed++;
}

/* What a finding is, as far as the advice and the summary care: how it
 * is revoked, and what to call it. */
enum report_kind {
	KIND_SIGNED,		/* account, service or unknown SAS: the key */
	KIND_DELEGATION,	/* user-delegation SAS: delegation keys */
	KIND_POLICY,		/* tied to a stored access policy */
	KIND_KEY,		/* a storage account key */
	KIND_MADE		/* code that makes a SAS */
};

static enum report_kind
finding_kind(const struct finding *f)
{
	if (f->key != NULL)
		return KIND_KEY;
	if (f->made != NULL)
		return KIND_MADE;
	if (f->tok->kind == SAS_USER_DELEGATION)
		return KIND_DELEGATION;
	if (f->tok->policy_backed)
		return KIND_POLICY;
	return KIND_SIGNED;
}

static void
count_place(struct report *r, const struct finding *f)
{
	enum rule_action worst = f->judgement->worst;
	unsigned kind = 1U << finding_kind(f);
	int i;

	r->seen_kinds |= kind;
	if (f->allowed != ALLOW_NONE && f->allowed < ALLOW_REASONS) {
		r->allowed[f->allowed]++;
		return;
	}
	if (worst == ACTION_BLOCK) {
		r->blocked_kinds |= kind;
		for (i = 0; i < f->judgement->nhits; i++)
			r->blocked_rules |= 1U << f->judgement->hit[i].rule;
	}
	if (worst == ACTION_BLOCK)
		r->blocked++;
	else if (worst == ACTION_WARN)
		r->warned++;
	else
		r->passed++;
}

/* The scanner's fingerprint, read back; a finding made without one (a
 * caller other than scan.c) gets it here. */
static uint64_t
finding_fp(const struct finding *f)
{
	uint64_t fp;

	if (f->fingerprint != NULL && fingerprint_parse(f->fingerprint,
	    strlen(f->fingerprint), &fp) == 0)
		return fp;
	if (f->key != NULL)
		return acctkey_fingerprint(f->key->bytes);
	return fingerprint_of(f->tok->sig);
}

/* A finding no exception allowed, for the text: grouped, or told now
 * when there is no room left to group it. */
static int
report_group_add(struct report *r, const struct finding *f,
    const struct token *k)
{
	enum rule_action worst = f->judgement->worst;
	struct report_group *g;

	if ((g = group_find(r, k->fp)) != NULL) {
		group_place(g, f);
		return 0;
	}
	count_token(r, worst);
	if (r->groups == NULL)
		r->groups = calloc(REPORT_GROUPS, sizeof *r->groups);
	if (r->groups != NULL && r->ngroups < REPORT_GROUPS) {
		group_fill(&r->groups[r->ngroups++], f, k);
		return 0;
	}
	/* No room to group: tell it now rather than keep it. */
	if ((worst != ACTION_OFF || r->verbose) && r->doc == NULL) {
		struct report_group one;

		group_fill(&one, f, k);
		group_print(r->out, r, &one);
	}
	return ferror(r->out) ? -1 : 0;
}

int
report_add(struct report *r, const struct finding *given)
{
	int allowed = given->allowed != ALLOW_NONE &&
	    given->allowed < ALLOW_REASONS;
	char path[SHOWN_PATH_MAX], ref[SHOWN_PATH_MAX];
	struct finding f = *given;
	struct token k;

	/* wget names a file after its URL: the path may hold the
	 * signature the token's own text has redacted. */
	if (redact_signatures(f.path, strlen(f.path), path, sizeof path))
		f.path = path;
	/* So may a branch a pusher named after one. */
	if (redact_signatures(f.ref, strlen(f.ref), ref, sizeof ref))
		f.ref = ref;
	if (f.key != NULL)
		token_keep_key(&k, f.key, f.shown);
	else if (f.made != NULL) {
		token_keep_made(&k, f.tok, f.made, finding_fp(&f));
		snprintf(k.shown, sizeof k.shown, "%s", f.shown);
	} else
		token_keep(&k, f.tok, finding_fp(&f));
	count_place(r, &f);
	if (r->sink != NULL)
		return r->sink(r->sink_user, &f, &k) == 0 ? 0 : -1;
	if (r->doc != NULL && (allowed || f.judgement->worst != ACTION_OFF)) {
		doc_finding(r->doc, &f, &k);
		if (ferror(r->doc->out))
			return -1;
	}
	return allowed ? 0 : report_group_add(r, &f, &k);
}

/* The one step that takes it out, for whoever was refused: take names
 * the change ("take it out of"), it what is found. */
static void
advice_fix(FILE *out, const struct report *r, const char *take,
    const char *it)
{
	switch (r->context) {
	case REPORT_COMMIT:
		fprintf(out, "sasguard: commit refused; to fix: %s the file(s) "
		    "above, git add them, and commit again\n", take);
		break;
	case REPORT_MESSAGE:
		fprintf(out, "sasguard: commit refused; to fix: %s the message "
		    "and commit again (git commit -e)\n", take);
		break;
	case REPORT_PUSH:
		fprintf(out, "sasguard: to fix: rewrite the commits above so "
		    "that none adds %s (git rebase -i BASE, edit or drop "
		    "them), then git push --force-with-lease\n", it);
		break;
	default:
		fprintf(out, "sasguard: to fix: %s the files above, and rewrite "
		    "any commit that holds %s\n", take, it);
		break;
	}
}

/* How each kind that blocked is revoked, once per kind. */
static void
advice_revoke(FILE *out, unsigned kinds, int many)
{
	static const char *const how[] = {
		[KIND_SIGNED] = "an account or service SAS: rotate both "
		    "storage account keys, as which of key1 and key2 signed "
		    "it is unknown (az storage account keys renew --key key1, "
		    "then --key key2)",
		[KIND_DELEGATION] = "a user-delegation SAS: revoke the "
		    "account's user delegation keys (az storage account "
		    "revoke-delegation-keys)",
		[KIND_POLICY] = "a SAS tied to a stored access policy: change "
		    "the policy's expiry or delete the policy (az storage "
		    "container policy update or delete)",
		[KIND_KEY] = "a storage account key: rotate it (az storage "
		    "account keys renew --key key1 or key2, whichever it is)",
		[KIND_MADE] = "a SAS the code already made and handed out: "
		    "rotate both storage account keys, or for a user-delegation "
		    "SAS revoke the user delegation keys",
	};
	size_t i;

	if (kinds == 1U << KIND_MADE)
		fputs("sasguard: what the code made stays valid until it "
		    "expires; to revoke it:\n", out);
	else
		fprintf(out, "sasguard: if %s ever pushed or shared, revoke "
		    "%s:\n", many ? "they were" : "it was", many ? "them" :
		    "it");
	for (i = 0; i < sizeof how / sizeof how[0]; i++)
		if (kinds & 1U << i)
			fprintf(out, "sasguard:   %s\n", how[i]);
}

/* The durable fix, with what each rule that fired asks of a SAS (its
 * remedy in the rule table), each once. */
static void
advice_durable(FILE *out, unsigned rules)
{
	const char *said[RULE_COUNT];
	int i, n = 0;

	for (i = 0; i < RULE_COUNT; i++)
		if (rules & 1U << i && rules_table[i].remedy != NULL &&
		    rules_table[i].remedy[0] != '\0')
			said[n++] = rules_table[i].remedy;
	fputs("sasguard: for good, keep secrets out of the repository: use a "
	    "managed identity (Microsoft Entra ID), or a SAS minted at run "
	    "time", out);
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i == 0 ? " (" : ", ", said[i]);
	fputs(n > 0 ? ")\n" : "\n", out);
}

/* Said once, after the summary, only when something blocks. */
static void
advice_print(FILE *out, const struct report *r)
{
	int many = r->tokens_blocked > 1;
	unsigned kinds = r->blocked_kinds;
	const char *what = kinds == 1U << KIND_KEY ? (many ? "these keys" :
	    "this key") : many ? "these tokens" : "this token";
	const char *fps = many ? "their fingerprints" : "its fingerprint";

	if (kinds == 1U << KIND_MADE)
		advice_fix(out, r, "change the code that makes a SAS in",
		    "that code");
	else
		advice_fix(out, r, many ? "take them out of" :
		    "take it out of", many ? "them" : "it");
	advice_revoke(out, kinds, many);
	advice_durable(out, r->blocked_rules);
	if (r->context == REPORT_PUSH)
		fprintf(out, "sasguard: to accept %s after review: ask the "
		    "server admin to add %s to [allow] fingerprints in the "
		    "server's rules\n", what, fps);
	else
		fprintf(out, "sasguard: to accept %s after review: add %s to "
		    "[allow] fingerprints, or run sasguard --write-baseline "
		    "FILE and set [allow] baseline = FILE\n", what, fps);
}

static const char *
plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

char *
report_allowed_words(const struct report *r, char *buf, size_t cap)
{
	size_t len = 0;
	int i, first = 1;

	buf[0] = '\0';
	for (i = 1; i < ALLOW_REASONS; i++) {
		int k;

		if (r->allowed[i] == 0)
			continue;
		k = snprintf(buf + len, cap - len, "%s%llu %s%s", first ? "" :
		    ", ", r->allowed[i], first ? "allowed by " : "by ",
		    allow_reason_name((enum allow_reason)i));
		if (k < 0 || (size_t)k >= cap - len)
			break;
		len += (size_t)k;
		first = 0;
	}
	return buf;
}

static unsigned long long
allowed_total(const struct report *r)
{
	unsigned long long n = 0;
	int i;

	for (i = 1; i < ALLOW_REASONS; i++)
		n += r->allowed[i];
	return n;
}

/* What the summary counts, named for what was seen: "SAS token", "account
 * key", "generated SAS", or "credential" when they are mixed. */
static const char *
summary_noun(const struct report *r, unsigned long long n)
{
	unsigned sas = 1U << KIND_SIGNED | 1U << KIND_DELEGATION |
	    1U << KIND_POLICY;

	if (r->seen_kinds == 1U << KIND_KEY)
		return plural(n, "account key", "account keys");
	if (r->seen_kinds == 1U << KIND_MADE)
		return "generated SAS";
	if (r->seen_kinds != 0 && (r->seen_kinds & ~sas) != 0)
		return plural(n, "credential", "credentials");
	return plural(n, "SAS token", "SAS tokens");
}

/* One line: tokens and places by verdict, exceptions by reason, and the
 * emulator tokens skipped; nothing at all when no token was seen. */
static void
print_summary(FILE *out, const struct report *r)
{
	char words[256];

	if (r->blocked + r->warned + r->passed + r->emulator +
	    allowed_total(r) == 0)
		return;
	fprintf(out, "sasguard: %llu %s %s (%llu %s), %llu %s "
	    "(%llu %s), %llu %s (%llu %s)",
	    r->tokens_blocked, summary_noun(r, r->tokens_blocked),
	    plural(r->tokens_blocked, "blocks", "block"),
	    r->blocked, plural(r->blocked, "place", "places"),
	    r->tokens_warned, plural(r->tokens_warned, "warns", "warn"),
	    r->warned, plural(r->warned, "place", "places"),
	    r->tokens_passed, plural(r->tokens_passed, "passes",
	    "pass"), r->passed, plural(r->passed, "place", "places"));
	if (allowed_total(r) > 0)
		fprintf(out, "; %s", report_allowed_words(r, words,
		    sizeof words));
	if (r->emulator > 0)
		fprintf(out, "; %llu storage-emulator %s ignored",
		    r->emulator, plural(r->emulator, "token", "tokens"));
	fputc('\n', out);
}

int
report_finish(struct report *r, int exit_status)
{
	FILE *out = r->out;
	size_t i;

	for (i = 0; r->doc == NULL && i < r->ngroups; i++)
		if (r->groups[i].judgement.worst != ACTION_OFF || r->verbose)
			group_print(out, r, &r->groups[i]);
	if (!r->quiet)
		print_summary(out, r);
	if (r->blocked > 0 && r->doc == NULL && !r->quiet)
		advice_print(out, r);
	if (fflush(out) != 0 || ferror(out))
		r->failed = 1;
	if (r->doc != NULL) {
		struct doc_summary s;

		memset(&s, 0, sizeof s);
		s.tokens[ACTION_BLOCK] = r->tokens_blocked;
		s.tokens[ACTION_WARN] = r->tokens_warned;
		s.tokens[ACTION_OFF] = r->tokens_passed;
		s.places[ACTION_BLOCK] = r->blocked;
		s.places[ACTION_WARN] = r->warned;
		s.places[ACTION_OFF] = r->passed;
		memcpy(s.allowed, r->allowed, sizeof s.allowed);
		s.emulator = r->emulator;
		s.exit_status = exit_status;
		doc_tail(r->doc, &s);
		if (fflush(r->doc->out) != 0 || ferror(r->doc->out))
			r->failed = 1;
	}
	return r->failed ? -1 : 0;
}
