/*
 * Unit tests for the kept token (token.h) and the log hash (allow.h):
 * the log hash of known bytes (computed independently with Python's
 * hashlib and base64), of the two incident tokens (read from
 * ../shared/cases/msleak at run time, compared with the reference's
 * vectors) and of every spelling of one signature; the host and account
 * from the URL; the status words at a given time; and that a kept token
 * holds no byte run of the signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "date.h"
#include "sas.h"
#include "tap.h"
#include "token.h"

static struct sas_token last;
static int nfound;

static int
on_token(void *user, const struct sas_token *t)
{
	(void)user;
	last = *t;
	nfound++;
	return 0;
}

/* Scans text for exactly one token; returns 0 when there was one. */
static int
scan_one(const char *text)
{
	nfound = 0;
	sas_scan(text, strlen(text), strlen(text), on_token, NULL);
	return nfound == 1 ? 0 : -1;
}

static void
test_known_bytes(void)
{
	unsigned char b[32];
	char h[LOG_HASH_BUFSIZE];
	int i;

	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)i;
	is_str(log_hash_of(b, h), "SasSignature(905F28DEF18EAAC05AE6F12B2C3"
	    "452744AFAF626DA1343D57B395B544E0519B6)", "log hash of bytes 0..31");
	memset(b, 0xff, sizeof b);
	is_str(log_hash_of(b, h), "SasSignature(135AC29D93FC19F0729B29F5E12"
	    "15308EB151A4F171E4F83824A976FDC94EBD8)",
	    "log hash of 32 bytes 0xff (every base64 digit '/')");
	is_int((long long)strlen(h), LOG_HASH_BUFSIZE - 1,
	    "the log hash fills its buffer exactly");
}

/* Each spelling of a made-up signature gives one fingerprint and one
 * log hash. */
static void
test_spellings(void)
{
	static const char *const forms[] = {
		"sig=QOsthIQTEXTivROVHAxtTpDlg%2FafByifak5gq%2B6I2hQ%3D",
		"sig=QOsthIQTEXTivROVHAxtTpDlg%2fafByifak5gq%2b6I2hQ%3d",
		"sig=QOsthIQTEXTivROVHAxtTpDlg\\u002FafByifak5gq+6I2hQ=",
		"sig=QOsthIQTEXTivROVHAxtTpDlg/afByifak5gq%2B6I2hQ",
		"sig=QOsthIQTEXTivROVHAxtTpDlg%252FafByifak5gq%252B6I2hQ%253D",
	};
	const char *want = "SasSignature(EA274CBD099536E8DAA620AFB874F8D33F6"
	    "39CFB59387C947CCB4C907525EB73)";
	char text[512], h[LOG_HASH_BUFSIZE];
	size_t i;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		snprintf(text, sizeof text, "https://a.blob.core.windows.net/"
		    "c?sv=2022-11-02&sr=c&sp=r&se=2030-01-01&%s", forms[i]);
		if (!ok(scan_one(text) == 0, "spelling %zu is one token", i))
			continue;
		is_str(log_hash_of(last.sig, h), want,
		    "spelling %zu has the log hash of the padded form", i);
		ok(fingerprint_of(last.sig) == 0xa8c038a88cbcceffULL,
		    "spelling %zu has the one fingerprint", i);
	}
}

/* The incident tokens, from the shared cases: the first link of each. */
static void
test_incident(const char *diff, const char *want, const char *name)
{
	char line[8192], h[LOG_HASH_BUFSIZE];
	FILE *f = fopen(diff, "r");
	int done = 0;

	if (f == NULL) {
		ok(1, "# SKIP %s: %s is not there", name, diff);
		return;
	}
	while (!done && fgets(line, sizeof line, f) != NULL)
		if (line[0] == '+' && strstr(line, "sig=") != NULL &&
		    scan_one(line + 1) == 0)
			done = 1;
	fclose(f);
	if (!ok(done, "%s: a token is found", name))
		return;
	is_str(log_hash_of(last.sig, h), want, "%s: the reference's log hash",
	    name);
}

static int
holds_signature(const struct token *k, const unsigned char sig[32])
{
	const unsigned char *p = (const unsigned char *)k;
	size_t i;

	/* Any 8 bytes of the signature in a row would be a leak. */
	for (i = 0; i + 8 <= sizeof *k; i++) {
		size_t j;

		for (j = 0; j + 8 <= 32; j++)
			if (memcmp(p + i, sig + j, 8) == 0)
				return 1;
	}
	return 0;
}

static void
test_keep(void)
{
	struct token k;
	char buf[256];
	int64_t now;
	long long days;

	scan_one("see https://MyAcct.blob.core.windows.net/models/x.ckpt?sv="
	    "2020-08-04&ss=bfqt&srt=sco&sp=rwdl&se=2051-10-06T07:09:59Z&st="
	    "2021-10-05T23:09:59Z&spr=https&sig=QOsthIQTEXTivROVHAxtTpDlg%2F"
	    "afByifak5gq%2B6I2hQ%3D");
	token_keep(&k, &last, fingerprint_of(last.sig));
	ok(!holds_signature(&k, last.sig), "the kept token holds no 8 bytes "
	    "of the signature");
	is_str(k.fingerprint, "a8c038a88cbcceff", "kept: fingerprint");
	is_str(k.host, "myacct.blob.core.windows.net", "kept: host, lower case");
	is_str(k.account, "myacct", "kept: account");
	is_str(token_kind_code(k.kind), "account", "kept: kind");
	is_str(token_scope_words(&k, buf, sizeof buf), "services: blob, file, "
	    "queue, table; resource types: service, container, object",
	    "kept: scope in words");
	ok(strstr(k.shown, "[redacted]") != NULL, "kept: shown is redacted");

	date_parse("2026-11-22T00:00:00Z", 20, &now);
	is_str(token_status_words(&k, now, buf, sizeof buf), "live",
	    "2051 token at 2026: live");
	date_parse("2051-10-01T00:00:00Z", 20, &now);
	is_str(token_status_words(&k, now, buf, sizeof buf),
	    "live, expires in 6 days", "five days and some hours left: 6 days");
	ok(token_status_at(&k, now, &days) == TOKEN_EXPIRING && days == 6,
	    "... TOKEN_EXPIRING, 6 days");
	date_parse("2051-10-06T07:09:59Z", 20, &now);
	is_str(token_status_words(&k, now, buf, sizeof buf), "expired",
	    "at its expiry: expired");

	scan_one("https://files.example.com/x?sv=2022-11-02&sr=b&sp=r&sig="
	    "QOsthIQTEXTivROVHAxtTpDlg%2FafByifak5gq%2B6I2hQ%3D");
	token_keep(&k, &last, fingerprint_of(last.sig));
	is_str(k.host, "files.example.com", "custom domain: host");
	is_str(k.account, "", "custom domain: no account");
	is_str(token_scope_words(&k, buf, sizeof buf), "a blob",
	    "service SAS: a blob");
	is_str(token_status_words(&k, now, buf, sizeof buf),
	    "live, no expiry known", "no se: live, no expiry known");
	ok(token_live(token_status_at(&k, now, &days)),
	    "... which counts as live");

	scan_one("sv=2022-11-02&sr=b&sp=r&se=2030-01-01&sig="
	    "QOsthIQTEXTivROVHAxtTpDlg%2FafByifak5gq%2B6I2hQ%3D");
	token_keep(&k, &last, fingerprint_of(last.sig));
	is_str(k.host, "", "no URL: no host");
	is_str(token_lifetime_words(10957LL * 86400 + 28800, buf, sizeof buf),
	    "10957 days (30.0 years)", "lifetime words: years");
	is_str(token_lifetime_words(3 * 3600, buf, sizeof buf), "3 hours",
	    "lifetime words: hours");
}

int
main(void)
{
	test_known_bytes();
	test_spellings();
	test_incident("../shared/cases/msleak/msleak-a9e0e80.diff",
	    "SasSignature(BE08823F8EEAC8B1CCD8ED2F5909E9E2776566A666ECA0C2BD1"
	    "F2FA4CE2FB6D0)", "2021 incident token");
	test_incident("../shared/cases/msleak/msleak-e61568d.diff",
	    "SasSignature(244277B50F01DBBEF0C3BBDAC3B4E05AA391B1161888945021C"
	    "DFDEAF18707F5)", "2020 incident token");
	test_keep();
	return tap_done();
}
