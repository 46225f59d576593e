/*
 * Unit tests for lib/sas.c: the shapes tokens come in, the lookalikes
 * that are not tokens, classification, the emulator, `limit`, hostile
 * input, the public reference vectors, and that no form of a signature
 * ever reaches `shown`.
 *
 * The signatures below are SHA-256 digests of "sasguard fake sig N" and
 * other made-up bytes: they look real and decode to 32 bytes, but sign
 * nothing. Failure messages never print a signature or `shown` text
 * that might hold one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sas.h"
#include "tap.h"

/* 32 bytes, with '+' and '/' so that encodings matter. */
#define SIG_A "0UuoXDmaEfdogvaektewC+nQxV/fpLnv6nb3KbletHs="
#define SIG_A_PCT "0UuoXDmaEfdogvaektewC%2BnQxV%2FfpLnv6nb3KbletHs%3D"
/* SIG_A decoded, by Python's base64 module: what tok->sig must hold. */
static const unsigned char sig_a_bytes[32] = {
	0xd1, 0x4b, 0xa8, 0x5c, 0x39, 0x9a, 0x11, 0xf7, 0x68, 0x82, 0xf6, 0x9e,
	0x92, 0xd7, 0xb0, 0x0b, 0xe9, 0xd0, 0xc5, 0x5f, 0xdf, 0xa4, 0xb9, 0xef,
	0xea, 0x76, 0xf7, 0x29, 0xb9, 0x5e, 0xb4, 0x7b
};
#define SIG_B "M8wYRNj12SR2pItCX2+9nYEktTKk6J/POe5PlGuk7aE="
#define SIG_B_PCT "M8wYRNj12SR2pItCX2%2B9nYEktTKk6J%2FPOe5PlGuk7aE%3D"
#define SIG_C "1CvwKIIbHAuMIYOZ0vjZHmFYu53ZpJAyAlfT29M7obQ="
#define SIG_33 "Qm9ndXNTaWduYXR1cmVGb3JTYXNndWFyZFRlc3RzMDMz"
#define SIG_31 "Qm9ndXNTaWduYXR1cmVGb3JTYXNndWFyZFRlc3QzMQ=="

#define VECTORS "../shared/reference/vectors.tsv"
#define MSLEAK "../shared/cases/msleak/msleak-a9e0e80.diff"
#define MAXTOK 16

static struct sas_token found[MAXTOK];
static int nfound, stop_after;
static long leak_checks, leaks;

/* ---- Never leaking the signature ------------------------------------ */

static void
base64_encode(const unsigned char *in, size_t n, char *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = b64[v >> 6 & 63];
		*out++ = b64[v & 63];
	}
	if (n - i == 2) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = b64[v >> 6 & 63];
		*out++ = '=';
	}
	*out = '\0';
}

/* Percent-encodes '+', '/', '=' in s, `layers` times, hex case as given. */
static void
pct_encode(const char *s, char *out, int layers, int lower)
{
	char tmp[512];
	const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
	int k;

	snprintf(tmp, sizeof(tmp), "%s", s);
	for (k = 0; k < layers; k++) {
		char *o = out;
		const char *p;

		for (p = tmp; *p != '\0'; p++) {
			if (strchr("+/=%", *p) != NULL) {
				*o++ = '%';
				*o++ = hex[(unsigned char)*p >> 4];
				*o++ = hex[*p & 15];
			} else
				*o++ = *p;
		}
		*o = '\0';
		snprintf(tmp, sizeof(tmp), "%s", out);
	}
	snprintf(out, 512, "%s", tmp);
}

static int
contains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; nlen <= hlen && i <= hlen - nlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return 1;
	return 0;
}

/*
 * Does shown hold the signature as raw bytes, base64 (with or without
 * padding), percent-encoded once or twice in either hex case, or any
 * 12-character stretch of its base64?
 */
static int
shown_leaks(const struct sas_token *t)
{
	char b64[64], enc[512];
	size_t n = strlen(t->shown), i;
	int layers, lower;

	if (contains(t->shown, n, (const char *)t->sig, 32))
		return 1;
	base64_encode(t->sig, 32, b64);
	for (i = 0; i + 12 <= 43; i++)
		if (contains(t->shown, n, b64 + i, 12))
			return 1;
	for (layers = 1; layers <= 2; layers++)
		for (lower = 0; lower <= 1; lower++) {
			pct_encode(b64, enc, layers, lower);
			if (contains(t->shown, n, enc, strlen(enc)))
				return 1;
		}
	return 0;
}

static int
collect(void *user, const struct sas_token *t)
{
	(void)user;
	leak_checks++;
	if (strlen(t->shown) >= SAS_SHOW_MAX || shown_leaks(t))
		leaks++;
	if (nfound < MAXTOK)
		found[nfound] = *t;
	nfound++;
	return stop_after > 0 && nfound >= stop_after ? 42 : 0;
}

/*
 * Scans an exact-size heap copy of s[0..len), so that the sanitizers
 * and valgrind see any read past the end.
 */
static int
scan_n(const char *s, size_t len, size_t limit)
{
	char *copy;
	int rc;

	nfound = 0;
	if ((copy = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(copy, s, len);
	rc = sas_scan(copy, len, limit, collect, NULL);
	free(copy);
	return rc;
}

static int
scan(const char *s)
{
	return scan_n(s, strlen(s), strlen(s));
}

/* Exactly one token of this kind in s. */
static int
one_token(const char *s, enum sas_kind kind, const char *why)
{
	scan(s);
	if (!ok(nfound == 1 && found[0].kind == kind, "token: %s", why)) {
		printf("#   found %d", nfound);
		if (nfound > 0)
			printf(", kind %s", sas_kind_name(found[0].kind));
		printf("\n");
		return 0;
	}
	return 1;
}

static void
no_token(const char *s, const char *why)
{
	scan(s);
	is_int(nfound, 0, "not a token: %s", why);
}

/* ---- Shapes ---------------------------------------------------------- */

#define Q_SERVICE "sv=2022-11-02&sr=c&sp=rl&st=2025-03-04T07:24:52Z" \
	"&se=2025-04-04T15:24:52Z&spr=https"

static void
test_shapes(void)
{
	one_token("https://acct.blob.core.windows.net/c/b.txt?" Q_SERVICE
	    "&sig=" SIG_A_PCT, SAS_SERVICE, "whole URL");
	is_str(found[0].sp, "rl", "URL: sp kept");
	is_str(found[0].spr, "https", "URL: spr kept");
	ok(found[0].has_se && found[0].se_ok && found[0].se == 1743780292,
	    "URL: se parsed");
	ok(found[0].has_st && found[0].st_ok && found[0].st == 1741073092,
	    "URL: st parsed");
	ok(memcmp(found[0].sig, sig_a_bytes, 32) == 0,
	    "URL: sig holds the decoded bytes");

	scan("a=https://a.blob.core.windows.net/c/b?" Q_SERVICE "&sig="
	    SIG_A_PCT ",https://b.blob.core.windows.net/c/b?sv=2022-11-02"
	    "&ss=b&srt=o&sp=r&se=2030-01-01&sig=" SIG_B_PCT);
	ok(nfound == 2 && found[0].kind == SAS_SERVICE &&
	    found[1].kind == SAS_ACCOUNT && found[0].sig[0] == 0xd1,
	    "two URLs joined by a comma are two tokens (found %d)", nfound);
	scan("u=https://a.blob.core.windows.net/c?" Q_SERVICE "&sig=" SIG_A
	    "%22,next");
	ok(nfound == 1 && found[0].kind == SAS_SERVICE,
	    "a signature ends where base64 does (%%22 after it)");
	one_token("sasToken = \"" Q_SERVICE "&sig=" SIG_A_PCT "\"",
	    SAS_SERVICE, "bare query string in quotes, no '?'");
	one_token("token: ?" Q_SERVICE "&sig=" SIG_A_PCT, SAS_SERVICE,
	    "bare query string with '?'");
	one_token("sig=" SIG_A "&" Q_SERVICE, SAS_SERVICE,
	    "sig first, raw base64 with '+' and '/'");
	one_token("se=2030-01-01&sig=" SIG_A_PCT "&sp=r&sr=b&sv=2021-06-08",
	    SAS_SERVICE, "parameters in an odd order");
	one_token("BlobEndpoint=https://acct.blob.core.windows.net/;"
	    "QueueEndpoint=https://acct.queue.core.windows.net/;"
	    "SharedAccessSignature=sv=2022-11-02&ss=bfqt&srt=sco"
	    "&sp=rwdlacupiytfx&se=2024-07-05T22:47:34Z&spr=https,http&sig="
	    SIG_B_PCT, SAS_ACCOUNT, "connection string");
	is_str(found[0].spr, "https,http", "connection string: spr with comma");
	is_str(found[0].ss, "bfqt", "connection string: ss");
	one_token("See [the data](https://acct.blob.core.windows.net/d/x.tgz?"
	    Q_SERVICE "&sig=" SIG_A_PCT ") for details.", SAS_SERVICE,
	    "Markdown link");
	is_int(found[0].shown[strlen(found[0].shown) - 1], ']',
	    "Markdown link: ')' is not part of the token");
	one_token("<a href=\"https://acct.blob.core.windows.net/c/b?"
	    "sv=2022-11-02&amp;sr=c&amp;sp=r&amp;se=2030-01-01&amp;sig="
	    SIG_A_PCT "\">x</a>", SAS_SERVICE, "HTML attribute with &amp;");
	is_str(found[0].sp, "r", "HTML: sp split on &amp;");
	one_token("{\"url\":\"https:\\/\\/acct.blob.core.windows.net\\/c\\/b?"
	    "sv=2022-11-02\\u0026sr=c\\u0026sp=r\\u0026se=2030-01-01"
	    "\\u0026sig=" SIG_A_PCT "\"}", SAS_SERVICE,
	    "JSON with \\u0026 and \\/");
	ok(strstr(found[0].shown, "https://acct.blob.core.windows.net/c/b?")
	    != NULL, "JSON: \\/ decoded in shown");
	one_token("next=https%3A%2F%2Facct.blob.core.windows.net%2Fc%3Fsv%3D"
	    "2022-11-02%26sr%3Dc%26sp%3Dr%26sig%3D" SIG_A_PCT, SAS_SERVICE,
	    "fully percent-encoded, %26 separators");
	is_str(found[0].sr, "c", "%%26: sr split off");
	one_token("SV=2022-11-02&SR=c&SP=r&SE=2030-01-01&SIG=" SIG_A_PCT,
	    SAS_SERVICE, "upper-case names");
	is_str(found[0].sp, "r", "upper-case: SP read as sp");
	one_token("sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00%253A00%253A00Z"
	    "&sig%253D0UuoXDmaEfdogvaektewC%252BnQxV%252FfpLnv6nb3KbletHs%253D",
	    SAS_SERVICE, "double encoding %253D");
	ok(found[0].se_ok && found[0].se == 1893456000,
	    "double encoding: se decoded twice");
	one_token("https://a.blob.core.windows.net/s?sv=2023-01-03"
	    "&st=2025-06-18T08%3a45%3a11Z&se=2025-06-19T08%3a45%3a11Z&sr=c"
	    "&sp=r&sig=" SIG_C, SAS_SERVICE, "lower-case %3a in dates");
	ok(found[0].se_ok && found[0].se - found[0].st == 86400,
	    "lower-case %%3a: dates parsed");
	one_token("(https://acct.blob.core.windows.net/c?" Q_SERVICE "&sig="
	    SIG_C "),", SAS_SERVICE, "trailing ')' and ','");
	one_token("Use ?" Q_SERVICE "&sig=" SIG_C ". Then...", SAS_SERVICE,
	    "trailing '.' after an unpadded... padded signature");
	is_str(found[0].shown, "?" Q_SERVICE "&sig=1Cv\xe2\x80\xa6[redacted]",
	    "shown: decoded, signature cut to 3 characters");
	one_token("sv=2022-11-02&sr=c&sp=r&sig="
	    "1CvwKIIbHAuMIYOZ0vjZHmFYu53ZpJAyAlfT29M7obQ.", SAS_SERVICE,
	    "no padding, then a full stop");
	one_token("run `azcopy copy 'https://a.blob.core.windows.net/c?"
	    Q_SERVICE "&sig=" SIG_A_PCT "' .`", SAS_SERVICE,
	    "inside single quotes inside backticks");
	one_token("sas=sp=r&st=2025-03-04T07:24:52Z&se=2025-04-04T15:24:52Z"
	    "&spr=https&sv=2022-11-02&sr=c&sig=" SIG_B_PCT, SAS_SERVICE,
	    "variable prefix sas=");
	is_str(found[0].sp, "r", "variable prefix: sp unwrapped");
	one_token("export AZURE_BLOB_SAS_TOKEN=sp=rqx&sv=2022-11-02&sr=c"
	    "&sig=" SIG_B_PCT, SAS_SERVICE, "variable prefix AZURE_..._TOKEN=");
	is_str(found[0].sp, "rqx", "AZURE_..._TOKEN: sp unwrapped");
	one_token("$sas = \"?sv=2022-11-02\\u0026sr=c\\u0026sp=r\\u0026sig="
	    SIG_B_PCT "\";", SAS_SERVICE, "PowerShell with \\u0026");

	scan("a https://a.blob.core.windows.net/c?" Q_SERVICE "&sig=" SIG_A_PCT
	    " and b ?sv=2020-08-04&ss=b&srt=o&sp=r&sig=" SIG_B_PCT " end");
	ok(nfound == 2 && found[0].kind == SAS_SERVICE &&
	    found[1].kind == SAS_ACCOUNT && found[0].end <= found[1].start,
	    "two tokens on one line, in order");
	scan("\"https://a.blob.core.windows.net/c?sv=2022-11-02&sr=c&sig="
	    SIG_A_PCT "\",\"https://b.blob.core.windows.net/d?sv=2022-11-02"
	    "&ss=b&srt=o&sig=" SIG_B_PCT "\"");
	ok(nfound == 2, "two quoted tokens separated by a comma");
	scan("https://a.blob.core.windows.net/c?sv=2022-11-02&sr=c&sig="
	    SIG_A_PCT "&x=https://b.blob.core.windows.net/d?sv=2022-11-02"
	    "&ss=b&srt=o&sig=" SIG_B_PCT);
	ok(nfound == 2 && found[0].kind == SAS_SERVICE &&
	    found[1].kind == SAS_ACCOUNT,
	    "a URL inside a parameter starts a token of its own");
}

/* ---- Lookalikes ------------------------------------------------------ */

static void
test_lookalikes(void)
{
	no_token("Endpoint=sb://ns.servicebus.windows.net/;"
	    "SharedAccessSignature=SharedAccessSignature sr=https%3A%2F%2Fns."
	    "servicebus.windows.net%2F&sig=" SIG_A_PCT
	    "&se=1700000000&skn=RootManageSharedAccessKey",
	    "Service Bus (skn, integer se)");
	no_token("sr=https%3A%2F%2Fns.servicebus.windows.net&sig=" SIG_A_PCT
	    "&se=1700000000", "Service Bus without skn (integer se)");
	no_token("sr=x&sig=" SIG_A_PCT "&se=2030-01-01&skn=rule",
	    "skn alone disqualifies");
	no_token("https://prod-00.westus.logic.azure.com:443/workflows/abc/"
	    "triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2F"
	    "triggers%2Fmanual%2Frun&sv=1.0&sig=" SIG_A_PCT, "Logic Apps URL");
	no_token("sp=r&sv=1.0&sig=" SIG_A_PCT, "sv=1.0 is not a storage version");
	no_token("sp=%2Ftriggers%2Fmanual%2Frun&sig=" SIG_A_PCT,
	    "sp starting with '/'");
	no_token("api-version=2016-10-01&sp=r&sig=" SIG_A_PCT,
	    "api-version present");
	no_token("sv=2021-06-08&ss=b&srt=sco&sp=r&sig=XXXX",
	    "placeholder XXXX");
	no_token("sv=2021-06-08&ss=b&srt=sco&sp=r&sig=<signature>",
	    "placeholder <signature>");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=...G/iwF...UE%3D",
	    "placeholder with dots");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=REDACTED", "placeholder REDACTED");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=" SIG_33, "33-byte signature");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=" SIG_31, "31-byte signature");
	no_token("sv=2021-06-08&sr=c&sp=l&sig="
	    "1CvwKIIbHAuMIYOZ0vjZHmFYu53ZpJAyAlfT29M7ob", "42 characters");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=" SIG_C "AAAA",
	    "a signature with more after it");
	no_token("sv=2021-06-08&sr=c&sp=l&sig=1Cvw-IIbHAuMIYOZ0vjZHmFYu53ZpJAy"
	    "AlfT29M7obQ", "URL-safe base64 is not what Azure signs");
	no_token("sig=" SIG_A_PCT, "signature alone");
	no_token("sig=" SIG_A_PCT "&foo=bar&rscd=inline",
	    "signature with no SAS parameter that says what it grants");
	no_token("https://s3.amazonaws.com/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
	    "&X-Amz-Expires=3600&X-Amz-Signature=0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789ab", "AWS presigned URL");
	no_token("https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-"
	    "RSA-SHA256&X-Goog-Expires=900&X-Goog-Signature=" SIG_A_PCT,
	    "Google signed URL");
	no_token("design=2020-01-01&assign=" SIG_A_PCT "&sv=2020-01-01",
	    "'sig' inside other words");
	no_token("sv=2022-11-02&sr=c&sp=r\n&sig=" SIG_A_PCT,
	    "a newline splits the query");
}

/* ---- Classification -------------------------------------------------- */

static void
test_kinds(void)
{
	one_token("sv=2015-04-05&ss=bf&srt=s&sr=b&sp=rw&sig=" SIG_A_PCT,
	    SAS_ACCOUNT, "account wins over sr");
	one_token("sv=2015-04-05&srt=o&sp=r&sig=" SIG_A_PCT, SAS_ACCOUNT,
	    "srt alone is account");
	one_token("sv=2015-04-05&ss=b&skoid=x&sr=b&sig=" SIG_A_PCT,
	    SAS_ACCOUNT, "account wins over skoid");
	one_token("sv=2021-08-06&sr=b&sp=r&skoid=6aaadede-0000&sktid=x"
	    "&sig=" SIG_A_PCT, SAS_USER_DELEGATION, "skoid: user delegation");
	one_token("skoid=6aaadede-0000&sig=" SIG_A_PCT, SAS_USER_DELEGATION,
	    "skoid alone is enough to be a token");
	one_token("sv=2021-08-06&sr=c&sp=r&sig=" SIG_A_PCT, SAS_SERVICE,
	    "sr: service");
	one_token("sv=2021-08-06&tn=mytable&sp=r&sig=" SIG_A_PCT, SAS_SERVICE,
	    "tn: service");
	is_str(found[0].tn, "mytable", "tn kept");
	one_token("sv=2021-08-06&sig=" SIG_A_PCT, SAS_UNKNOWN,
	    "only sv: unknown kind");
	one_token("sr=c&si=readers&sv=2020-06-12&sig=" SIG_A_PCT, SAS_SERVICE,
	    "stored access policy");
	ok(found[0].policy_backed && found[0].has_si &&
	    strcmp(found[0].si, "readers") == 0, "si: policy_backed");
	ok(!found[0].has_se && !found[0].has_sp, "si: no se, no sp");
	one_token("sv=2021-08-06&sr=c&sp=r&sip=168.1.5.60-168.1.5.70"
	    "&se=2030-02-30&sig=" SIG_A_PCT, SAS_SERVICE, "impossible se");
	ok(found[0].has_se && !found[0].se_ok &&
	    strcmp(found[0].se_text, "2030-02-30") == 0,
	    "impossible se: present, not ok, text kept");
	is_str(found[0].sip, "168.1.5.60-168.1.5.70", "sip kept");
	ok(!found[0].policy_backed && !found[0].has_spr && !found[0].has_st,
	    "absent parameters are absent");
	one_token("sv=2021-08-06&sr=c&sp=r&sp=rwdl&sig=" SIG_A_PCT,
	    SAS_SERVICE, "repeated parameter");
	is_str(found[0].sp, "r", "repeated parameter: the first counts");
	one_token("sv=2021-08-06&sr=c&si=" SIG_A "&sig=" SIG_A_PCT,
	    SAS_SERVICE, "a copy of the signature in another parameter");
	ok(strlen(found[0].si) < 20 && strncmp(found[0].si, "0Uu", 3) == 0,
	    "a copy of the signature is redacted in the kept si too");
	one_token("sv=2021-08-06&sr=c&sig=XXXX&sig=" SIG_A_PCT, SAS_SERVICE,
	    "a placeholder sig does not hide a real one after it");
}

/* ---- Emulator -------------------------------------------------------- */

static void
test_emulator(void)
{
	one_token("http://127.0.0.1:10000/devstoreaccount1/c?sv=2021-06-08"
	    "&sr=c&sp=rwdl&sig=" SIG_A_PCT, SAS_SERVICE, "emulator by path");
	ok(found[0].emulator, "emulator: first path segment devstoreaccount1");
	one_token("https://devstoreaccount1.blob.core.windows.net/c?"
	    "sv=2021-06-08&sr=c&sp=r&sig=" SIG_A_PCT, SAS_SERVICE,
	    "emulator by host");
	ok(found[0].emulator, "emulator: host label devstoreaccount1");
	one_token("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
	    "SharedAccessSignature=sv=2021-06-08&ss=b&srt=o&sp=r&sig="
	    SIG_A_PCT, SAS_ACCOUNT, "emulator connection string");
	ok(found[0].emulator, "emulator: connection string endpoint");
	one_token("https://acct.blob.core.windows.net/c?sv=2021-06-08&sr=c"
	    "&sp=r&sig=" SIG_A_PCT " # devstoreaccount1", SAS_SERVICE,
	    "comment naming the emulator after a real token");
	ok(!found[0].emulator, "a comment does not make a token harmless");
	one_token("// http://127.0.0.1:10000/devstoreaccount1/ "
	    "https://acct.blob.core.windows.net/c?sv=2021-06-08&sr=c&sp=r"
	    "&sig=" SIG_A_PCT, SAS_SERVICE,
	    "emulator URL before a real token");
	ok(!found[0].emulator, "another URL on the line does not count");
	one_token("https://acct.blob.core.windows.net/devstoreaccount1x/c?"
	    "sv=2021-06-08&sr=c&sp=r&sig=" SIG_A_PCT, SAS_SERVICE,
	    "a longer name is not the emulator");
	ok(!found[0].emulator, "devstoreaccount1x is not devstoreaccount1");
	one_token("https://acct.blob.core.windows.net/c/devstoreaccount1?"
	    "sv=2021-06-08&sr=c&sp=r&sig=" SIG_A_PCT, SAS_SERVICE,
	    "emulator name deeper in the path");
	ok(!found[0].emulator, "only the first path segment counts");
	one_token("x=devstoreaccount1.foo;sv=2021-06-08&sr=c&sp=r&sig="
	    SIG_A_PCT, SAS_SERVICE, "a non-endpoint field naming it");
	ok(!found[0].emulator, "only *Endpoint fields count");
	scan("http://127.0.0.1:10000/devstoreaccount1/c?sv=2021-06-08&sr=c"
	    "&sig=" SIG_A_PCT " https://real.blob.core.windows.net/c?"
	    "sv=2021-06-08&sr=c&sig=" SIG_B_PCT);
	ok(nfound == 2 && found[0].emulator && !found[1].emulator,
	    "emulator and real token on one line are told apart");
}

/* ---- shown, start/end, limit, callback ------------------------------- */

static void
test_shown(void)
{
	const char *line = "x \"https://acct.blob.core.windows.net/c?"
	    "sv=2022-11-02&sr=c&sig=" SIG_A_PCT "\" y";
	char big[4096];
	size_t n;

	one_token(line, SAS_SERVICE, "shown: a simple URL");
	is_str(found[0].shown, "https://acct.blob.core.windows.net/c?"
	    "sv=2022-11-02&sr=c&sig=0Uu\xe2\x80\xa6[redacted]",
	    "shown: URL included, signature redacted");
	ok(found[0].start == 3 && found[0].end == strlen(line) - 3,
	    "start and end bracket the token");

	n = (size_t)snprintf(big, sizeof(big), "https://acct.blob.core."
	    "windows.net/%0900d?sv=2022-11-02&sr=c&sp=r&sig=%s&rscd=%0600d",
	    0, SIG_A_PCT, 0);
	scan_n(big, n, n);
	ok(nfound == 1 && strlen(found[0].shown) < SAS_SHOW_MAX &&
	    strstr(found[0].shown, "\xe2\x80\xa6") != NULL &&
	    strncmp(found[0].shown, "https://acct.blob", 17) == 0,
	    "shown: a long token is shortened in the middle");

	n = (size_t)snprintf(big, sizeof(big), "sv=2022-11-02&sr=c&sp=r&"
	    "rscd=%0700d&sig=%s", 0, SIG_A_PCT);
	scan_n(big, n, n);
	ok(nfound == 1 && strstr(found[0].shown, "sig=0Uu\xe2\x80\xa6[redac")
	    != NULL, "shown: the redaction survives shortening");

	scan("sv=2022-11-02&sr=c&rscd=%00%1b%5B31m&sig=" SIG_A_PCT);
	ok(nfound == 1 && strchr(found[0].shown, '\x1b') == NULL &&
	    strstr(found[0].shown, "%00%1B[") != NULL,
	    "shown: control bytes are written as %%XX");
}

static void
test_limit(void)
{
	const char *line = "https://a.blob.core.windows.net/c?sv=2022-11-02"
	    "&sr=c&sig=" SIG_A_PCT " https://b.blob.core.windows.net/c?"
	    "sv=2022-11-02&sr=c&sig=" SIG_B_PCT;
	size_t len = strlen(line), second;

	scan_n(line, len, len);
	if (!ok(nfound == 2, "limit: both tokens with limit = len"))
		return;
	second = found[1].start;
	scan_n(line, len, second);
	ok(nfound == 1 && found[0].start == 0,
	    "limit at the second token's start skips it");
	scan_n(line, len, second + 1);
	is_int(nfound, 2, "limit just past its start keeps it");
	scan_n(line, len, 1);
	is_int(nfound, 1, "limit 1 keeps a token starting at 0");
	scan_n(line, len, 0);
	is_int(nfound, 0, "limit 0 skips everything");
	scan_n(line, len, 20);
	ok(nfound == 1 && found[0].start == 0,
	    "a token starting before limit is kept even if its sig is after");

	stop_after = 1;
	is_int(scan(line), 42, "a non-zero callback return stops the scan");
	is_int(nfound, 1, "and no more tokens are reported");
	stop_after = 0;
}

/* ---- Hostile input --------------------------------------------------- */

static uint32_t rng = 12345;

static uint32_t
rng_next(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static void
test_hostile(void)
{
	static const char *bits[] = {
		"sig=", "SIG%3D", "%253D", "&", "&amp;", "\\u0026", "%26",
		"sv=2020-01-01", "ss=b", "sr=c", "se=", "skoid=", "?", ";",
		"https://", "devstoreaccount1", "/", "%", "%2", "\\", "=",
		SIG_A, SIG_A_PCT, "%25", "\0", " ", "\"", "2030-01-01T00:00Z",
	};
	const char tail[] = "sv=2021-06-08&sr=c&sp=r&sig=" SIG_A_PCT;
	char *buf;
	size_t n, i, k, len;
	int crashed = 0;

	/* NUL bytes in the middle: not the end of the text. */
	{
		const char s[] = "abc\0def\0 https://a.b/c?sv=2022-11-02&sr=c"
		    "&sig=" SIG_A_PCT "\0 tail";
		scan_n(s, sizeof(s) - 1, sizeof(s) - 1);
		is_int(nfound, 1, "NUL bytes before and after a token");
		scan_n("sv=2022-11-02&sr=c&sig=0UuoXDmaEfdogvaek\0ewC%2BnQxV"
		    "%2FfpLnv6nb3KbletHs%3D", 72, 72);
		is_int(nfound, 0, "a NUL inside a signature breaks it");
	}

	if ((buf = malloc(2 * 1024 * 1024)) == NULL)
		abort();

	/* A 1 MB signature. */
	n = (size_t)sprintf(buf, "sv=2022-11-02&sr=c&sig=");
	memset(buf + n, 'A', 1024 * 1024);
	n += 1024 * 1024;
	scan_n(buf, n, n);
	is_int(nfound, 0, "a 1 MB signature is not a token");
	memcpy(buf + n, "%3D&sr=c", 8);
	scan_n(buf, n + 8, n + 8);
	is_int(nfound, 0, "a 1 MB signature with more after it");

	/* 100k parameters after the signature. */
	n = (size_t)sprintf(buf, "%s", tail);
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(buf + n, "&p=%zu", i);
	scan_n(buf, n, n);
	is_int(nfound, 1, "100k parameters after a token");

	/* 100k parameters before it: the run is cut, no crash. */
	n = (size_t)sprintf(buf, "sv=2021-06-08");
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(buf + n, "&p=%zu", i);
	n += (size_t)sprintf(buf + n, "&sig=%s", SIG_A_PCT);
	is_int(scan_n(buf, n, n), 0, "100k parameters before a signature");

	/* 300k empty sig= parameters: every one is a trigger. */
	for (n = 0, i = 0; i < 300000; i++)
		n += (size_t)sprintf(buf + n, "sig=&");
	scan_n(buf, n, n);
	is_int(nfound, 0, "300k triggers in one run");

	/* 300k ';' fields. */
	memset(buf, ';', 300000);
	memcpy(buf + 300000, tail, sizeof(tail) - 1);
	scan_n(buf, 300000 + sizeof(tail) - 1, 300000 + sizeof(tail) - 1);
	is_int(nfound, 1, "300k empty fields before a token");

	/* '=' percent-encoded ten times, and far too many times. */
	n = (size_t)sprintf(buf, "sv=2021-06-08&sr=c&sig%%");
	for (i = 0; i < 9; i++)
		n += (size_t)sprintf(buf + n, "25");
	n += (size_t)sprintf(buf + n, "3D%s", SIG_A_PCT);
	scan_n(buf, n, n);
	is_int(nfound, 1, "'=' percent-encoded ten deep is decoded");
	n = (size_t)sprintf(buf, "sv=2021-06-08&sr=c&sig%%");
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(buf + n, "25");
	n += (size_t)sprintf(buf + n, "3D%s", SIG_A_PCT);
	scan_n(buf, n, n);
	is_int(nfound, 0, "'%%25' nested 100000 deep: no hang, no token");

	/* Deterministic pseudo-random buffers, from bytes and from pieces. */
	for (k = 0; k < 4000; k++) {
		len = rng_next() % 400;
		for (n = 0; n < len; ) {
			if (k % 2 == 0) {
				buf[n++] = (char)rng_next();
				continue;
			}
			i = rng_next() % (sizeof(bits) / sizeof(bits[0]));
			if (bits[i][0] == '\0') {
				buf[n++] = '\0';
				continue;
			}
			memcpy(buf + n, bits[i], strlen(bits[i]));
			n += strlen(bits[i]);
		}
		scan_n(buf, n, rng_next() % (n + 1));
		if (nfound < 0)
			crashed = 1;
	}
	ok(!crashed, "4000 pseudo-random buffers scanned without a crash");
	free(buf);
}

/*
 * The trigger search reads 16 bytes at a time where it can: put the
 * token at every offset around those blocks, and end the text right
 * after partial triggers.
 */
static void
test_offsets(void)
{
	const char tok[] = "sig=" SIG_A_PCT "&sv=2021-06-08&sr=c";
	char buf[256];
	size_t pad, n;
	int good = 0, quiet = 0;

	for (pad = 0; pad < 48; pad++) {
		memset(buf, pad % 2 ? 'S' : 'x', pad);
		buf[pad] = ' ';
		memcpy(buf + pad + 1, tok, sizeof(tok));
		n = pad + sizeof(tok);
		scan_n(buf, n, n);
		good += nfound == 1;
		/* The same text cut inside "sig=": never a token. */
		scan_n(buf, pad + 4, pad + 4);
		quiet += nfound == 0;
	}
	is_int(good, 48, "a token is found at every offset 0..47");
	is_int(quiet, 48, "text ending inside \"sig=\" is read safely");
	n = (size_t)snprintf(buf, sizeof(buf), "%s", "sv=2021-06-08&sr=c&SiG"
	    "\\u003d" SIG_A_PCT);
	scan_n(buf, n, n);
	is_int(nfound, 1, "'=' written as \\u003d after mixed-case SiG");
}

/* ---- Reference vectors and the incident ----------------------------- */

static const struct {
	const char *id;
	enum sas_kind kind;
} vector_tokens[] = {
	{ "V1", SAS_ACCOUNT }, { "V2", SAS_SERVICE }, { "V6", SAS_SERVICE },
	{ "V7", SAS_SERVICE }, { "V8", SAS_SERVICE }, { "V11", SAS_SERVICE },
	{ "V13", SAS_SERVICE }, { "V14", SAS_SERVICE },
	{ "V15", SAS_SERVICE }, { "V16", SAS_SERVICE },
	{ "V17", SAS_SERVICE }, { "V24", SAS_ACCOUNT },
	{ "V26", SAS_USER_DELEGATION },
};

/* Why-texts of rows that must not be tokens. */
static const char *vector_not[] = {
	"signature is not 32 bytes", "33 bytes", "placeholder",
	"no signature", "not a SAS", "not SAS", "account key", "malformed",
	"redacted", "emulator key",
};

static void
vector_check(const char *id, const char *why, const char *str)
{
	size_t i;

	for (i = 0; i < sizeof(vector_tokens) / sizeof(vector_tokens[0]); i++)
		if (strcmp(id, vector_tokens[i].id) == 0) {
			one_token(str, vector_tokens[i].kind, id);
			return;
		}
	for (i = 0; i < sizeof(vector_not) / sizeof(vector_not[0]); i++)
		if (strstr(why, vector_not[i]) != NULL) {
			no_token(str, id);
			return;
		}
	ok(0, "%s: row not classified by this test (%s)", id, why);
}

static void
test_vectors(void)
{
	char line[8192], *id, *expected, *why, *str;
	FILE *f;
	int rows = 0;

	if ((f = fopen(VECTORS, "r")) == NULL) {
		printf("ok %d # SKIP %s not found\n", ++tap_count, VECTORS);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		id = strtok(line, "\t");
		expected = strtok(NULL, "\t");
		why = strtok(NULL, "\t");
		str = strtok(NULL, "\t");
		if (id == NULL || str == NULL || strcmp(id, "id") == 0)
			continue;
		(void)expected;
		vector_check(id, why, str);
		rows++;
	}
	fclose(f);
	ok(rows >= 39, "read %d reference vectors", rows);
}

/* Every added line of the 2021 incident diff carries the 2051 token. */
static void
test_msleak(void)
{
	char line[8192];
	FILE *f;
	int lines = 0, good = 0;

	if ((f = fopen(MSLEAK, "r")) == NULL) {
		printf("ok %d # SKIP %s not found\n", ++tap_count, MSLEAK);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] != '+' || strstr(line, "sig=") == NULL)
			continue;
		lines++;
		scan(line + 1);
		good += nfound >= 1 && found[0].kind == SAS_ACCOUNT &&
		    strcmp(found[0].sp, "rwdlacupitfx") == 0 &&
		    found[0].se == 2580188999LL && !found[0].emulator;
	}
	fclose(f);
	ok(lines > 0 && good == lines,
	    "incident diff: %d of %d added lines hold the 2051 account SAS",
	    good, lines);
}

/* ---- Words ----------------------------------------------------------- */

static void
test_words(void)
{
	char buf[256], small[12];

	is_str(sas_permissions_words("rwdl", buf, sizeof(buf)),
	    "read, write, delete, list", "permission words");
	is_str(sas_permissions_words("xyiftmeo", buf, sizeof(buf)),
	    "delete version, permanent delete, set immutability policy, "
	    "filter by tags, tags, move, execute, change owner",
	    "rarer permission words");
	is_str(sas_permissions_words("p", buf, sizeof(buf)),
	    "process/change ACL", "p means process or change ACL");
	is_str(sas_permissions_words("rq", buf, sizeof(buf)),
	    "read, unknown 'q'", "unknown letter");
	is_str(sas_permissions_words("", buf, sizeof(buf)), "",
	    "no letters");
	is_str(sas_permissions_words("rwdl", small, sizeof(small)),
	    "read, write", "truncated to the buffer");
	is_str(sas_services_words("bfqt", buf, sizeof(buf)),
	    "blob, file, queue, table", "service words");
	is_str(sas_resource_types_words("sco", buf, sizeof(buf)),
	    "service, container, object", "resource type words");
	is_str(sas_resource_types_words("ocz", buf, sizeof(buf)),
	    "object, container, unknown 'z'", "odd order, unknown type");
	is_str(sas_kind_name(SAS_ACCOUNT), "account SAS", "kind name account");
	is_str(sas_kind_name(SAS_USER_DELEGATION), "user-delegation SAS",
	    "kind name user delegation");
	is_str(sas_kind_name(SAS_SERVICE), "service SAS", "kind name service");
	is_str(sas_kind_name(SAS_UNKNOWN), "SAS", "kind name unknown");
}

int
main(void)
{
	test_shapes();
	test_lookalikes();
	test_kinds();
	test_emulator();
	test_shown();
	test_limit();
	test_hostile();
	test_offsets();
	test_vectors();
	test_msleak();
	test_words();
	ok(leak_checks > 100 && leaks == 0,
	    "shown never holds a signature (%ld tokens checked)", leak_checks);
	return tap_done();
}
