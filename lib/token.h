/*
 * token.h - a SAS token as sasguard keeps it once found: everything the
 * reports say about it, and its two names, but nothing of its signature.
 *
 * The scanner's struct sas_token holds the decoded signature and lives
 * for one callback. token_keep() turns it into a struct token, which holds
 * the fingerprint and the log hash (allow.h) in place of the signature, so
 * the report, the JSON and SARIF writers and the inventory can keep and
 * print tokens without ever holding a secret.
 *
 * The words here (scope, lifetime, status) are shared by every writer.
 */
#ifndef SASGUARD_TOKEN_H
#define SASGUARD_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "acctkey.h"
#include "allow.h"
#include "rules.h"
#include "sas.h"

#define TOKEN_HOST_MAX 256
#define TOKEN_DAY 86400
/* A live token that expires within this many days is "expiring". */
#define TOKEN_SOON_DAYS 30

/* What was found: a SAS token as written, a SAS that code would make
 * (gen.h), or a storage account key (acctkey.h). */
enum token_what { TOKEN_SAS, TOKEN_MADE, TOKEN_KEY };

struct token {
	enum token_what what;
	uint64_t fp;
	char fingerprint[FINGERPRINT_BUFSIZE];
	/* SasSignature(HEX) of a token, "key1(HEX) or key2(HEX)" of a key,
	 * "" for a SAS not made yet. */
	char log_hash[ACCTKEY_LOG_HASH_BUFSIZE];
	/* TOKEN_MADE: what makes it ("az storage account generate-sas"). */
	char made_by[64];
	/* TOKEN_KEY: identifiable (+ASt, checksum valid), and how the text
	 * named it ("AccountKey", ...; "" when bare). */
	int key_identifiable;
	char key_written[32];

	enum sas_kind kind;
	int policy_backed;
	char sv[SAS_VALUE_MAX], ss[SAS_VALUE_MAX], srt[SAS_VALUE_MAX];
	char sr[SAS_VALUE_MAX], sp[SAS_VALUE_MAX], spr[SAS_VALUE_MAX];
	char si[SAS_VALUE_MAX], tn[SAS_VALUE_MAX];
	int has_sp, has_spr;
	int has_st, has_se, st_ok, se_ok;
	int64_t st, se;
	char st_text[SAS_VALUE_MAX], se_text[SAS_VALUE_MAX];
	char shown[SAS_SHOW_MAX];	/* redacted by the scanner */

	/* From the URL in front of the token, when there is one: the host
	 * ("acct.blob.core.windows.net") and the storage account it names
	 * ("acct"); "" when unknown. */
	char host[TOKEN_HOST_MAX];
	char account[TOKEN_HOST_MAX];
};

enum token_status {
	TOKEN_LIVE,		/* expires more than TOKEN_SOON_DAYS away */
	TOKEN_EXPIRING,		/* live, expires within TOKEN_SOON_DAYS */
	TOKEN_NO_EXPIRY,	/* no usable se: taken for live */
	TOKEN_EXPIRED
};

/*
 * Keeps what t says, named by fp (its fingerprint, as the scanner
 * computed it); the log hash is computed here from t->sig, which is not
 * copied.
 */
void token_keep(struct token *k, const struct sas_token *t, uint64_t fp);

/* The same for a SAS code would make: no signature, no log hash; its
 * shown text is the call's (redacted by the caller). */
void token_keep_made(struct token *k, const struct sas_token *t,
    const struct made *made, uint64_t fp);

/* Keeps a key by its fingerprint and log hash; shown is a redacted text
 * of it (token_key_shown). */
void token_keep_key(struct token *k, const struct acctkey *key,
    const char *shown);

/* "AccountKey=Ab1…[redacted]": how the key was written, its first three
 * characters and no more. */
char *token_key_shown(const struct acctkey *key, const char *text,
    char *buf, size_t cap);

/* What the token reaches, in words: "blob, file (service, container,
 * object)" for an account SAS, "a blob" for a service SAS, ... */
char *token_scope_words(const struct token *k, char *buf, size_t cap);

/* "a blob", "a container", ... for a service or user-delegation SAS. */
const char *token_resource_words(const struct token *k);

/* A duration in words: "30.0 years (10958 days)", "12 days", "5 hours". */
char *token_lifetime_words(int64_t seconds, char *buf, size_t cap);

/* The token's status at now; *days gets the whole days left (rounded
 * up) for TOKEN_EXPIRING and TOKEN_LIVE, else 0. */
enum token_status token_status_at(const struct token *k, int64_t now,
    long long *days);

/* "live", "live, expires in 3 days", "live, no expiry known", "expired". */
char *token_status_words(const struct token *k, int64_t now, char *buf,
    size_t cap);

/* 1 for every status but TOKEN_EXPIRED. */
int token_live(enum token_status s);

/* "account", "user-delegation", "service", "unknown": stable codes. */
const char *token_kind_code(enum sas_kind kind);

#endif
