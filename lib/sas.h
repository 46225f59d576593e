/*
 * sas.h - find Azure Storage SAS tokens in a piece of text and say what
 * each one grants.
 *
 * sas_scan() looks at one added line (or a window of a very long one) and
 * calls back once per SAS token it finds there. A candidate is a run of
 * query-string characters that holds a parameter named "sig"; it is a SAS
 * token only when the signature decodes (base64, padding optional) to
 * exactly 32 bytes and the run holds at least one of sv, se, sp, ss, srt,
 * sr, skoid. Lookalikes (Service Bus "skn" tokens with an integer se, Logic
 * Apps "sv=1.0" URLs, placeholders, truncated copies) are not tokens.
 *
 * What the scanner undoes before it judges (see the reference's "Where
 * tokens show up"): parameter names in any case; any order; percent-
 * encoding in upper or lower case, nested (%253D); the separators "&",
 * "&amp;", "\u0026" and "%26"; JSON's "\/"; a leading "?", a URL before it,
 * a variable name before the first parameter ("sas=sv=...",
 * "SharedAccessSignature=sv=..."), and trailing punctuation after it.
 *
 * All text is (ptr, len); nothing needs to end in NUL. The token handed to
 * the callback is borrowed: valid for the duration of the call only.
 */
#ifndef SASGUARD_SAS_H
#define SASGUARD_SAS_H

#include <stddef.h>
#include <stdint.h>

enum sas_kind {
	SAS_ACCOUNT,		/* ss or srt present: wins over everything */
	SAS_USER_DELEGATION,	/* skoid present */
	SAS_SERVICE,		/* sr or tn present */
	SAS_UNKNOWN		/* none of the above (e.g. only sv and sig) */
};

/* Decoded parameter values are copied here, NUL-terminated, truncated to
 * fit; an absent parameter is the empty string and has_x says so. */
#define SAS_VALUE_MAX 64
#define SAS_SHOW_MAX 512

struct sas_token {
	enum sas_kind kind;
	int policy_backed;		/* si present */
	int emulator;			/* URL names account devstoreaccount1 */

	char sv[SAS_VALUE_MAX];		/* version */
	char ss[SAS_VALUE_MAX];		/* services (account SAS) */
	char srt[SAS_VALUE_MAX];	/* resource types (account SAS) */
	char sr[SAS_VALUE_MAX];		/* resource (service SAS) */
	char sp[SAS_VALUE_MAX];		/* permissions, as written */
	char spr[SAS_VALUE_MAX];	/* protocols */
	char sip[SAS_VALUE_MAX];	/* allowed IP range */
	char si[SAS_VALUE_MAX];		/* stored access policy id */
	char tn[SAS_VALUE_MAX];		/* table name */
	int has_sp, has_spr, has_si;

	/* st/se: has_* = the parameter is present; *_ok = it parsed. The
	 * text is kept (decoded, truncated) so a bad date can be quoted. */
	int has_st, has_se, st_ok, se_ok;
	int64_t st, se;
	char st_text[SAS_VALUE_MAX], se_text[SAS_VALUE_MAX];

	/* The decoded 32-byte signature. It is a secret: never print it,
	 * nor any encoding of it. Hash it for a fingerprint. */
	unsigned char sig[32];

	/* The token as found (URL included when there was one), decoded,
	 * with the signature value replaced by its first 3 characters and
	 * "…[redacted]". Safe to print. Long text is shortened in the
	 * middle with "…", never so as to reveal more of the signature. */
	char shown[SAS_SHOW_MAX];

	/* Where the candidate run starts and ends in the scanned text. */
	size_t start, end;
	/* Where the signature's value is in the scanned text. */
	size_t sig_start, sig_end;
	/* How many parameters it names that sasguard knows (a fuller view
	 * of one token names more). */
	int nparams;
	/*
	 * Not an Azure Storage SAS though it has the shape: handed on only
	 * to sas_find(..., SAS_LOOKALIKES, ...). Service Bus, Event Hubs,
	 * Relay, Notification Hubs, IoT Hub and DPS (skn, se in Unix
	 * seconds, sr a host or URL), Logic Apps (api-version, sv=1.0,
	 * sp=/...), Cosmos DB (type and ver), AWS and Google (their
	 * parameters), or a URL on one of those services' hosts.
	 */
	int lookalike;
};

/* Return 0 to go on scanning, anything else to stop: sas_scan() then
 * returns that value. */
typedef int (*sas_token_fn)(void *user, const struct sas_token *tok);

/*
 * Scans text[0..len) and calls fn for each SAS token found, in order.
 * Candidates whose run starts at or after offset `limit` are skipped: a
 * caller that feeds a long line in overlapping windows passes the start
 * of the overlap, and sees those again in the next window (pass len for
 * the last window). Returns 0, or fn's non-zero return.
 *
 * Does no allocation per call beyond a bounded stack; never reads outside
 * text[0..len); work is linear in len (bounded per candidate).
 */
int sas_scan(const char *text, size_t len, size_t limit,
    sas_token_fn fn, void *user);

/* Same, and with SAS_LOOKALIKES in flags it hands on lookalikes too, with
 * tok->lookalike set: a caller that sees one token several ways (split
 * over lines, decoded) learns that a fuller view is not a storage SAS. */
#define SAS_LOOKALIKES 1
int sas_find(const char *text, size_t len, size_t limit, int flags,
    sas_token_fn fn, void *user);

/*
 * Where the first "sig" followed by a (possibly encoded) '=' starts in
 * text[0..len), any case, or len when there is none: no token can be
 * there. As fast as sas_scan() on a line without a token.
 */
size_t sas_trigger(const char *text, size_t len);

/* Letters -> words: "rwdl" -> "read, write, delete, list". Unknown
 * letters appear as "unknown 'q'". Writes at most cap bytes, NUL-
 * terminated. Returns buf. */
char *sas_permissions_words(const char *sp, char *buf, size_t cap);

/* "bfqt" -> "blob, file, queue, table"; "sco" -> "service, container,
 * object". Same conventions as above. */
char *sas_services_words(const char *ss, char *buf, size_t cap);
char *sas_resource_types_words(const char *srt, char *buf, size_t cap);

/* "account SAS", "user-delegation SAS", "service SAS", "SAS". */
const char *sas_kind_name(enum sas_kind kind);

#endif
