/*
 * token.c - keep a token without its signature, and say it in words.
 */
#include <stdio.h>
#include <string.h>

#include "token.h"

static const char *const kind_codes[] = {
	[SAS_ACCOUNT] = "account",
	[SAS_USER_DELEGATION] = "user-delegation",
	[SAS_SERVICE] = "service",
	[SAS_UNKNOWN] = "unknown",
};

const char *
token_kind_code(enum sas_kind kind)
{
	return (unsigned)kind <= SAS_UNKNOWN ? kind_codes[kind] : "unknown";
}

/* The storage endpoints' DNS suffixes, public and sovereign clouds. */
static const char *const storage_suffixes[] = {
	".core.windows.net", ".core.chinacloudapi.cn",
	".core.usgovcloudapi.net", ".core.cloudapi.de", ".storage.azure.net",
};

static int
ends_with(const char *s, size_t n, const char *tail)
{
	size_t k = strlen(tail);

	return n >= k && memcmp(s + n - k, tail, k) == 0;
}

/* "https://acct.blob.core.windows.net/c/b?sv=..." -> host and account.
 * The account is the first label of a storage endpoint's host, e.g.
 * "acct" of acct.blob.core.windows.net and of acct.z3.blob.storage.azure.net;
 * another host (a custom domain, a CDN) names no account. */
static void
host_of(struct token *k)
{
	const char *p = strstr(k->shown, "://"), *dot;
	size_t n = 0, i;

	k->host[0] = k->account[0] = '\0';
	if (p == NULL)
		return;
	p += 3;
	while (p[n] != '\0' && strchr("/?#:@ \t\"'<>", p[n]) == NULL &&
	    n < sizeof k->host - 1)
		n++;
	memcpy(k->host, p, n);
	k->host[n] = '\0';
	for (i = 0; i < n; i++)
		if (k->host[i] >= 'A' && k->host[i] <= 'Z')
			k->host[i] = (char)(k->host[i] - 'A' + 'a');
	if ((dot = strchr(k->host, '.')) == NULL)
		return;
	for (i = 0; i < sizeof storage_suffixes / sizeof storage_suffixes[0];
	    i++) {
		if (ends_with(k->host, n, storage_suffixes[i])) {
			snprintf(k->account, sizeof k->account, "%.*s",
			    (int)(dot - k->host), k->host);
			return;
		}
	}
}

#define KEEP(field) memcpy(k->field, t->field, sizeof k->field)

void
token_keep(struct token *k, const struct sas_token *t, uint64_t fp)
{
	memset(k, 0, sizeof *k);
	k->fp = fp;
	fingerprint_format(fp, k->fingerprint);
	log_hash_of(t->sig, k->log_hash);
	k->kind = t->kind;
	k->policy_backed = t->policy_backed;
	KEEP(sv);
	KEEP(ss);
	KEEP(srt);
	KEEP(sr);
	KEEP(sp);
	KEEP(spr);
	KEEP(si);
	KEEP(tn);
	KEEP(st_text);
	KEEP(se_text);
	KEEP(shown);
	k->has_sp = t->has_sp;
	k->has_spr = t->has_spr;
	k->has_st = t->has_st;
	k->has_se = t->has_se;
	k->st_ok = t->st_ok;
	k->se_ok = t->se_ok;
	k->st = t->st;
	k->se = t->se;
	host_of(k);
}

void
token_keep_made(struct token *k, const struct sas_token *t,
    const struct made *made, uint64_t fp)
{
	token_keep(k, t, fp);
	k->what = TOKEN_MADE;
	k->log_hash[0] = '\0';
	snprintf(k->made_by, sizeof k->made_by, "%s", made->by);
}

char *
token_key_shown(const struct acctkey *key, const char *text, char *buf,
    size_t cap)
{
	size_t n = strlen(key->written);
	/* as written: AccountKey=abc…, Credential("name", "abc…") */
	const char *sep = n == 0 ? "" : n > 10 &&
	    strcmp(key->written + n - 10, "Credential") == 0 ? "(…, " : "=";

	snprintf(buf, cap, "%s%s%.3s…[redacted]%s", key->written, sep,
	    text + key->start, sep[0] == '(' ? ")" : "");
	return buf;
}

void
token_keep_key(struct token *k, const struct acctkey *key,
    const char *shown)
{
	memset(k, 0, sizeof *k);
	k->what = TOKEN_KEY;
	k->fp = acctkey_fingerprint(key->bytes);
	fingerprint_format(k->fp, k->fingerprint);
	acctkey_log_hash(key->bytes, k->log_hash);
	k->kind = SAS_UNKNOWN;
	k->key_identifiable = key->identifiable;
	snprintf(k->key_written, sizeof k->key_written, "%s", key->written);
	snprintf(k->shown, sizeof k->shown, "%s", shown);
	snprintf(k->account, sizeof k->account, "%s", key->account);
}

const char *
token_resource_words(const struct token *k)
{
	static const struct { const char *code, *words; } sr[] = {
		{ "b", "a blob" }, { "c", "a container" },
		{ "bs", "a blob snapshot" }, { "bv", "a blob version" },
		{ "d", "a directory" }, { "f", "a file" }, { "s", "a share" },
	};
	size_t i;

	if (k->tn[0] != '\0')
		return "a table";
	for (i = 0; i < sizeof sr / sizeof sr[0]; i++)
		if (strcmp(k->sr, sr[i].code) == 0)
			return sr[i].words;
	return "a resource";
}

char *
token_scope_words(const struct token *k, char *buf, size_t cap)
{
	char a[160], b[160];

	if (k->kind == SAS_ACCOUNT)
		snprintf(buf, cap, "services: %s; resource types: %s",
		    k->ss[0] ? sas_services_words(k->ss, a, sizeof a) : "none",
		    k->srt[0] ? sas_resource_types_words(k->srt, b, sizeof b) :
		    "none");
	else if (k->kind != SAS_UNKNOWN)
		snprintf(buf, cap, "%s", token_resource_words(k));
	else
		snprintf(buf, cap, "unknown");
	return buf;
}

char *
token_lifetime_words(int64_t seconds, char *buf, size_t cap)
{
	long long days = (long long)(seconds / TOKEN_DAY);

	if (days >= 730)
		snprintf(buf, cap, "%lld days (%.1f years)", days,
		    (double)seconds / (365.25 * TOKEN_DAY));
	else if (days >= 2)
		snprintf(buf, cap, "%lld days", days);
	else
		snprintf(buf, cap, "%lld hours", (long long)(seconds / 3600));
	return buf;
}

enum token_status
token_status_at(const struct token *k, int64_t now, long long *days)
{
	int64_t left;

	*days = 0;
	if (!k->has_se || !k->se_ok)
		return TOKEN_NO_EXPIRY;
	if (k->se <= now)
		return TOKEN_EXPIRED;
	left = k->se - now;
	*days = (long long)((left + TOKEN_DAY - 1) / TOKEN_DAY);
	return *days <= TOKEN_SOON_DAYS ? TOKEN_EXPIRING : TOKEN_LIVE;
}

int
token_live(enum token_status s)
{
	return s != TOKEN_EXPIRED;
}

char *
token_status_words(const struct token *k, int64_t now, char *buf,
    size_t cap)
{
	long long days;

	switch (token_status_at(k, now, &days)) {
	case TOKEN_EXPIRED:
		snprintf(buf, cap, "expired");
		break;
	case TOKEN_EXPIRING:
		snprintf(buf, cap, "live, expires in %lld %s", days,
		    days == 1 ? "day" : "days");
		break;
	case TOKEN_NO_EXPIRY:
		snprintf(buf, cap, "live, no expiry known");
		break;
	default:
		snprintf(buf, cap, "live");
		break;
	}
	return buf;
}
