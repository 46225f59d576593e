/*
 * sas.c - find Azure Storage SAS tokens in text; see sas.h.
 *
 * How a line is read:
 *
 *  1. trigger_find() looks for "sig" followed by a possibly encoded '='
 *     with a word-at-a-time loop over 'g'/'G'. Lines without one cost
 *     nothing more, which is what keeps a 1 GiB diff fast.
 *  2. Around a trigger, the run of bytes that can belong to a URL or a
 *     query string is taken (run_start(), run_end()): quotes, brackets,
 *     spaces and non-ASCII end it, trailing punctuation is dropped. At
 *     most RUN_MAX bytes of a run are looked at, so the work per trigger
 *     is bounded; the scan then goes on after that window, so every byte
 *     is looked at a bounded number of times.
 *  3. walk() reads the window once, one logical character at a time
 *     (unit_read() undoes percent-encoding, "&amp;", "\uXXXX" and "\/"),
 *     and cuts it into segments - the query after a URL's '?', or one
 *     ';'-separated field of a connection string - and parameters. Each
 *     segment fills one struct sas_token.
 *  4. A segment that qualifies as a SAS token is walked a second time by
 *     the same code in render mode to build the redacted `shown` text,
 *     and handed to the callback. The second walk is the only thing that
 *     writes `shown`, and it replaces the value of every parameter named
 *     sig, so no form of a signature can reach it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(SAS_NO_SIMD)
#include <emmintrin.h>
#define SAS_SSE2 1
#endif

#include "date.h"
#include "sas.h"

/* The most of one run decoded per trigger: longer runs are cut. */
#define RUN_MAX (64 * 1024)
/* Percent-encoding layers undone (%253D is two); deeper stays literal. */
#define NEST_MAX 16
/* Parameter names longer than this are nobody we know. */
#define PNAME_MAX 24
/* Bytes of a URL decoded to look at its host and first path segment. */
#define URL_PEEK 512
/* Signature characters left visible in `shown`. */
#define SIG_SHOWN 3
#define REDACTED "\xe2\x80\xa6[redacted]"	/* "…[redacted]" */
#define ELLIPSIS "\xe2\x80\xa6"
/* When `shown` is shortened: bytes kept from its end. */
#define SHOW_TAIL 160
#define EMULATOR_ACCOUNT "devstoreaccount1"
/*
 * Characters of a signature's base64 fixed by its 32 bytes (the 43rd
 * has two free bits): a copy of these anywhere else is redacted too.
 */
#define SECRET_LEN 42

enum pname {
	P_OTHER,	/* not a SAS parameter */
	P_KNOWN,	/* a SAS parameter we do not keep */
	P_SV, P_SS, P_SRT, P_SR, P_SP, P_ST, P_SE, P_SIP, P_SPR, P_SI, P_TN,
	P_SIG, P_SKOID,
	P_SKN,		/* Service Bus: not a storage SAS */
	P_APIVER,	/* Logic Apps: not a storage SAS */
	P_TYPE, P_VER,	/* Cosmos DB resource tokens */
	P_FOREIGN,	/* AWS X-Amz-*, Google X-Goog-*: another cloud */
	P_COUNT
};

#define NO_FIELD ((size_t)-1)

static const char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "abcdefghijklmnopqrstuvwxyz0123456789+/";

static const struct pdef {
	const char *name;
	enum pname id;
	size_t field;	/* offset of the value in struct sas_token */
} pdefs[] = {
	{ "sv", P_SV, offsetof(struct sas_token, sv) },
	{ "ss", P_SS, offsetof(struct sas_token, ss) },
	{ "srt", P_SRT, offsetof(struct sas_token, srt) },
	{ "sr", P_SR, offsetof(struct sas_token, sr) },
	{ "sp", P_SP, offsetof(struct sas_token, sp) },
	{ "st", P_ST, offsetof(struct sas_token, st_text) },
	{ "se", P_SE, offsetof(struct sas_token, se_text) },
	{ "sip", P_SIP, offsetof(struct sas_token, sip) },
	{ "spr", P_SPR, offsetof(struct sas_token, spr) },
	{ "si", P_SI, offsetof(struct sas_token, si) },
	{ "tn", P_TN, offsetof(struct sas_token, tn) },
	{ "sig", P_SIG, NO_FIELD },
	{ "skoid", P_SKOID, NO_FIELD },
	{ "skn", P_SKN, NO_FIELD },
	{ "api-version", P_APIVER, NO_FIELD },
	{ "type", P_TYPE, NO_FIELD }, { "ver", P_VER, NO_FIELD },
	{ "awsaccesskeyid", P_FOREIGN, NO_FIELD },
	{ "googleaccessid", P_FOREIGN, NO_FIELD },
	{ "ses", P_KNOWN, NO_FIELD }, { "sdd", P_KNOWN, NO_FIELD },
	{ "sktid", P_KNOWN, NO_FIELD }, { "skt", P_KNOWN, NO_FIELD },
	{ "ske", P_KNOWN, NO_FIELD }, { "sks", P_KNOWN, NO_FIELD },
	{ "skv", P_KNOWN, NO_FIELD }, { "saoid", P_KNOWN, NO_FIELD },
	{ "suoid", P_KNOWN, NO_FIELD }, { "scid", P_KNOWN, NO_FIELD },
	{ "skdutid", P_KNOWN, NO_FIELD }, { "sduoid", P_KNOWN, NO_FIELD },
	{ "srh", P_KNOWN, NO_FIELD }, { "srq", P_KNOWN, NO_FIELD },
	{ "rscc", P_KNOWN, NO_FIELD }, { "rscd", P_KNOWN, NO_FIELD },
	{ "rsce", P_KNOWN, NO_FIELD }, { "rscl", P_KNOWN, NO_FIELD },
	{ "rsct", P_KNOWN, NO_FIELD }, { "spk", P_KNOWN, NO_FIELD },
	{ "srk", P_KNOWN, NO_FIELD }, { "epk", P_KNOWN, NO_FIELD },
	{ "erk", P_KNOWN, NO_FIELD },
};

/*
 * `shown` as it is built: the start, and a ring of the last bytes. Every
 * byte passes a matcher (Knuth-Morris-Pratt) for the signature's base64,
 * so that a copy of it outside the sig parameter (say "si=<signature>")
 * is redacted before any of it is kept.
 */
struct render {
	char head[SAS_SHOW_MAX];
	char ring[SHOW_TAIL];
	size_t n;			/* bytes kept so far */
	char secret[SECRET_LEN + 1];
	size_t fail[SECRET_LEN + 1];	/* longest border of secret[0..m) */
	size_t held;			/* secret[0..held) seen, not kept */
};

struct walk {
	const char *s;
	size_t limit;
	sas_token_fn fn;
	void *user;
	int rc;			/* the callback's non-zero return */
	int lookalikes;		/* hand on lookalikes too (SAS_LOOKALIKES) */
	int run_emulator;	/* the run names the emulator (see seg_end) */
	struct render *out;	/* render mode when set */

	/* The segment being read. */
	size_t seg_start, seg_last;	/* seg_last: end of its last param */
	int has_url, url_emulator, url_foreign;
	int dirty;			/* tok and seen[] hold this segment */
	int seen[P_COUNT];
	int sig_ok, sv_ok;
	int foreign;			/* a value says: not Azure Storage */
	struct sas_token tok;

	/* The parameter being read. */
	size_t name_start, val_start;
	int in_value, first;
	enum pname id;
	size_t field;			/* its pdefs field, or NO_FIELD */
	size_t sig_chars;		/* render: signature characters seen */
};

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The byte that two hex digits at s[i] stand for, or -1. */
static int
hex_pair(const char *s, size_t i, size_t end)
{
	int hi, lo;

	if (i > end || end - i < 2)
		return -1;
	hi = hex_value((unsigned char)s[i]);
	lo = hex_value((unsigned char)s[i + 1]);
	return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

static int
bytes_caseeq(const char *s, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != lower[i])
			return 0;
	return 1;
}

/*
 * Reads the logical character at s[i] (i < end) into *c and returns how
 * many bytes it took. "%3D", "%253D" (each "%25" followed by hex is one
 * more layer), "&amp;", "\u0026" (ASCII only) and "\/" are undone here so
 * that everything else sees plain characters.
 */
static size_t
unit_read(const char *s, size_t i, size_t end, int *c)
{
	size_t j;
	int v, w, depth;

	if (s[i] == '%' && (v = hex_pair(s, i + 1, end)) >= 0) {
		j = i + 3;
		for (depth = 1; v == '%' && depth < NEST_MAX; depth++) {
			if ((w = hex_pair(s, j, end)) < 0)
				break;
			v = w;
			j += 2;
		}
		*c = v;
		return j - i;
	}
	if (s[i] == '&' && end - i >= 5 && bytes_caseeq(s + i, "&amp;", 5)) {
		*c = '&';
		return 5;
	}
	if (s[i] == '\\' && end - i >= 2 && s[i + 1] == '/') {
		*c = '/';
		return 2;
	}
	if (s[i] == '\\' && end - i >= 6 && (s[i + 1] | 0x20) == 'u' &&
	    (v = hex_pair(s, i + 2, end)) == 0 &&
	    (v = hex_pair(s, i + 4, end)) >= 0 && v < 0x80) {
		*c = v;
		return 6;
	}
	*c = (unsigned char)s[i];
	return 1;
}

/* ---- Finding candidates ---------------------------------------------- */

/* Is s[p..p+3) "sig" in any case? (b | 0x20 folds only letters here.) */
static int
sig_at(const char *s, size_t p)
{
	return (s[p] | 0x20) == 's' && (s[p + 1] | 0x20) == 'i' &&
	    (s[p + 2] | 0x20) == 'g';
}

#ifdef SAS_SSE2
static __m128i
sse_load(const char *s)
{
	return _mm_loadu_si128((const __m128i *)(const void *)s);
}

/* Bytes of v equal to c once 0x20 is or-ed in (letters: any case). */
static __m128i
sse_caseeq(__m128i v, char c)
{
	return _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
	    _mm_set1_epi8(c));
}

/*
 * The first p >= i with "sig" (any case) at s[p], or len. Sixteen
 * positions at a time: shifted loads compared with s, i, g and with
 * what can start an '=' ('=', '%', '\'), so "signal" costs nothing.
 */
static size_t
sig_find(const char *s, size_t i, size_t len)
{
	__m128i m, d;
	unsigned bits;

	for (; len - i >= 19; i += 16) {
		m = _mm_and_si128(sse_caseeq(sse_load(s + i), 's'),
		    _mm_and_si128(sse_caseeq(sse_load(s + i + 1), 'i'),
		    sse_caseeq(sse_load(s + i + 2), 'g')));
		d = sse_load(s + i + 3);
		d = _mm_or_si128(_mm_cmpeq_epi8(d, _mm_set1_epi8('=')),
		    _mm_or_si128(_mm_cmpeq_epi8(d, _mm_set1_epi8('%')),
		    _mm_cmpeq_epi8(d, _mm_set1_epi8('\\'))));
		bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(m, d));
		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
	for (; len - i >= 3; i++)
		if (sig_at(s, i))
			return i;
	return len;
}
#else
/* The first 'g' or 'G' at or after i, or len. */
static size_t
g_find(const char *s, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	const uint64_t fold = 0x2020202020202020ULL;
	const uint64_t gs = 0x6767676767676767ULL;
	uint64_t w;

	/* Eight bytes at a time: a byte is g or G iff (b | 0x20) == 'g'. */
	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		w = (w | fold) ^ gs;
		if (((w - ones) & ~w & highs) != 0)
			break;
	}
	for (; i < len; i++)
		if ((s[i] | 0x20) == 'g')
			return i;
	return len;
}

/* Portable sig_find(): finds the 'g' first, then looks back. */
static size_t
sig_find(const char *s, size_t i, size_t len)
{
	size_t g;

	for (g = i + 2; g < len; g++) {
		if ((g = g_find(s, g, len)) >= len)
			break;
		if (sig_at(s, g - 2))
			return g - 2;
	}
	return len;
}
#endif

/* "sig" then '=' at s[p], any of the four percent-encoded, any case? */
static int
trigger_at(const char *s, size_t p, size_t len)
{
	static const char word[] = "sig=";
	size_t k;
	int c;

	for (k = 0; k < 4; k++) {
		if (p >= len)
			return 0;
		p += unit_read(s, p, len, &c);
		if ((k < 3 ? c | 0x20 : c) != word[k])
			return 0;
	}
	return 1;
}

/*
 * The first trigger before lim whose letters are percent-encoded
 * ("%73%69%67=", "s%69g="), or lim. Such a trigger has a '%' in its
 * first three bytes, so only the bytes around each '%' are looked at.
 */
static size_t
encoded_find(const char *s, size_t from, size_t lim, size_t len)
{
	const char *q;
	size_t at, i, c;

	for (at = from; at < lim &&
	    (q = memchr(s + at, '%', lim - at)) != NULL; at = i + 1) {
		i = (size_t)(q - s);
		for (c = i >= from + 2 ? i - 2 : from; c <= i; c++)
			if (trigger_at(s, c, len))
				return c;
	}
	return lim;
}

/* The next "sig" written as such, then a possibly encoded '=', or len. */
static size_t
literal_find(const char *s, size_t from, size_t len)
{
	size_t p;
	int c;

	for (p = from; p < len; p++) {
		if ((p = sig_find(s, p, len)) >= len)
			break;
		if (p + 3 < len && (unit_read(s, p + 3, len, &c), c == '='))
			return p;
	}
	return len;
}

/*
 * Where the next "sig=" (any case, any letter or '=' percent-encoded)
 * starts, or len. *lit caches the next literal one across calls (start
 * with NO_FIELD): encoded triggers before it must not make every call
 * search the same stretch for it again.
 */
static size_t
trigger_find(const char *s, size_t from, size_t len, size_t *lit)
{
	if (*lit == NO_FIELD || *lit < from)
		*lit = literal_find(s, from, len);
	return encoded_find(s, from, *lit, len);
}

/* Bytes that can be part of a URL or query string as written in text. */
static int
run_byte(unsigned char c)
{
	if (c <= ' ' || c >= 0x7f)
		return 0;
	return strchr("\"'`<>()[]{}|^#*", c) == NULL;
}

/* Punctuation that ends a sentence rather than a token. */
static int
trail_byte(unsigned char c)
{
	return c != '\0' && strchr(".,;:!?\\", c) != NULL;
}

/*
 * Start of the run holding s[t], not before floor: the end of the run
 * read before, so that however far back a run goes, every byte is read
 * once (the parameters before a signature may be any number).
 */
static size_t
run_start(const char *s, size_t floor, size_t t)
{
	size_t i = t;

	while (i > floor && run_byte((unsigned char)s[i - 1]))
		i--;
	return i;
}

/* End of the run through s[t], at most RUN_MAX past t. */
static size_t
run_end(const char *s, size_t len, size_t t)
{
	size_t j = t;

	while (j < len && j - t < RUN_MAX && run_byte((unsigned char)s[j]))
		j++;
	while (j > t + 3 && trail_byte((unsigned char)s[j - 1]))
		j--;
	return j;
}

/* ---- Rendering `shown` ---------------------------------------------- */

static void
render_keep(struct render *r, const char *s, size_t n)
{
	for (; n > 0; n--, s++) {
		if (r->n < sizeof(r->head) - 1)
			r->head[r->n] = *s;
		r->ring[r->n % SHOW_TAIL] = *s;
		r->n++;
	}
}

/* The signature's base64, SECRET_LEN characters, NUL-terminated. */
static void
secret_encode(const unsigned char sig[32], char *out)
{
	size_t i, bit;
	unsigned v;

	for (i = 0; i < SECRET_LEN; i++) {
		bit = i * 6;
		v = (unsigned)sig[bit / 8] << 8 |
		    (bit / 8 + 1 < 32 ? sig[bit / 8 + 1] : 0);
		out[i] = base64_digits[(v >> (10 - bit % 8)) & 63];
	}
	out[SECRET_LEN] = '\0';
}

static void
render_init(struct render *r, const unsigned char sig[32])
{
	size_t i, k = 0;

	memset(r, 0, sizeof(*r));
	secret_encode(sig, r->secret);
	for (i = 1; i < SECRET_LEN; i++) {
		while (k > 0 && r->secret[i] != r->secret[k])
			k = r->fail[k];
		if (r->secret[i] == r->secret[k])
			k++;
		r->fail[i + 1] = k;
	}
}

static void
render_byte(struct render *r, char c)
{
	size_t f;

	while (r->held > 0 && c != r->secret[r->held]) {
		/* Held text is secret[0..held); only a border may go on. */
		f = r->fail[r->held];
		render_keep(r, r->secret, r->held - f);
		r->held = f;
	}
	if (c != r->secret[r->held]) {
		render_keep(r, &c, 1);
		return;
	}
	if (++r->held < SECRET_LEN)
		return;
	render_keep(r, r->secret, SIG_SHOWN);
	render_keep(r, REDACTED, strlen(REDACTED));
	r->held = 0;
}

static void
render_str(struct render *r, const char *s)
{
	while (*s != '\0')
		render_byte(r, *s++);
}

/* A decoded character: as itself if printable ASCII, else as %XX. */
static void
render_char(struct render *r, int c)
{
	static const char hex[] = "0123456789ABCDEF";

	if (c >= ' ' && c < 0x7f) {
		render_byte(r, (char)c);
		return;
	}
	render_byte(r, '%');
	render_byte(r, hex[(c >> 4) & 0xf]);
	render_byte(r, hex[c & 0xf]);
}

/* Is s[i] the first byte of a UTF-8 character (not a continuation)? */
static int
utf8_starts(const char *s, size_t i)
{
	return ((unsigned char)s[i] & 0xc0) != 0x80;
}

/* Writes the text into out (SAS_SHOW_MAX), cut in the middle if long. */
static void
render_finish(struct render *r, char *out)
{
	size_t head, tail, k, o;

	render_keep(r, r->secret, r->held);	/* a prefix, not a copy */
	r->held = 0;

	if (r->n < SAS_SHOW_MAX) {
		memcpy(out, r->head, r->n);
		out[r->n] = '\0';
		return;
	}
	head = SAS_SHOW_MAX - 1 - SHOW_TAIL - strlen(ELLIPSIS);
	while (head > 0 && !utf8_starts(r->head, head))
		head--;
	memcpy(out, r->head, head);
	o = head;
	memcpy(out + o, ELLIPSIS, strlen(ELLIPSIS));
	o += strlen(ELLIPSIS);
	/* The ring holds the last SHOW_TAIL bytes, oldest at n % SHOW_TAIL. */
	for (tail = 0; tail < SHOW_TAIL; tail++) {
		k = (r->n + tail) % SHOW_TAIL;
		if (o > head + strlen(ELLIPSIS) || utf8_starts(r->ring, k))
			out[o++] = r->ring[k];
	}
	out[o] = '\0';
}

/* ---- Reading values ------------------------------------------------- */

/*
 * Decodes s[a..b) into buf (cap bytes, NUL-terminated). Control bytes and
 * non-ASCII become '?' so that a value can be printed as it is. Returns
 * the decoded length, or cap if it did not fit.
 */
static size_t
value_copy(const char *s, size_t a, size_t b, char *buf, size_t cap)
{
	size_t n = 0;
	int c;

	while (a < b && n < cap) {
		a += unit_read(s, a, b, &c);
		if (n < cap - 1)
			buf[n] = c >= ' ' && c < 0x7f ? (char)c : '?';
		n++;
	}
	buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

/* Standard base64 only: Azure signs with it, URL-safe is not a token. */
static int
base64_value(int c)
{
	const char *p;

	if (c <= 0 || c > 0x7f || (p = strchr(base64_digits, c)) == NULL)
		return -1;
	return (int)(p - base64_digits);
}

/*
 * Decodes the signature value s[a..b) as standard base64, padding
 * optional. Returns 0 and fills out only when it is exactly 32 bytes.
 * Stops at the 33rd byte, so a 1 MB value costs no more than a short one.
 */
static int
sig_decode(const char *s, size_t a, size_t b, unsigned char out[32])
{
	unsigned char buf[32];
	unsigned acc = 0, bits = 0;
	size_t n = 0, nchars = 0, pad = 0;
	int c, v;

	while (a < b) {
		a += unit_read(s, a, b, &c);
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = base64_value(c)) < 0)
			return -1;
		nchars++;
		acc = (acc << 6) | (unsigned)v;
		if ((bits += 6) >= 8) {
			if (n == sizeof(buf))
				return -1;	/* 33 bytes or more */
			bits -= 8;
			buf[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 43 characters carry 32 bytes; a lone 6-bit tail is not base64. */
	if (n != 32 || pad > 2 || nchars % 4 == 1)
		return -1;
	memcpy(out, buf, 32);
	memset(buf, 0, sizeof(buf));
	return 0;
}

static const struct pdef foreign_def = { "x-", P_FOREIGN, NO_FIELD };

/*
 * Decodes the parameter name s[a..b), lower-cased; returns its entry in
 * pdefs (or foreign_def for another cloud's parameters) or NULL.
 */
static const struct pdef *
pname_read(const char *s, size_t a, size_t b)
{
	char name[PNAME_MAX];
	size_t n, i;
	int c;

	for (n = 0; a < b; n++) {
		if (n == sizeof(name))
			return NULL;
		a += unit_read(s, a, b, &c);
		name[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if ((n > 6 && memcmp(name, "x-amz-", 6) == 0) ||
	    (n > 7 && memcmp(name, "x-goog-", 7) == 0))
		return &foreign_def;
	for (i = 0; i < sizeof(pdefs) / sizeof(pdefs[0]); i++)
		if (strlen(pdefs[i].name) == n &&
		    memcmp(pdefs[i].name, name, n) == 0)
			return &pdefs[i];
	return NULL;
}

/* s[0..n) == lower[0..n), letters in any case, anything else as is. */
static int
text_caseeq(const char *s, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) !=
		    lower[i])
			return 0;
	return 1;
}

/* Hosts of services that sign URLs with a "sig" but are not Azure
 * Storage (the host is compared without its port). */
static const char *const foreign_hosts[] = {
	".servicebus.windows.net",		/* Service Bus, Event Hubs,
						 * Relay, Notification Hubs */
	".azure-devices.net",			/* IoT Hub */
	".azure-devices-provisioning.net",	/* its DPS */
	".logic.azure.com",			/* Logic Apps, Power Automate */
	".documents.azure.com",			/* Cosmos DB */
	".eventgrid.azure.net",			/* Event Grid */
	".amazonaws.com", ".googleapis.com",
};

/* The storage emulator's addresses: Azurite and the old emulator listen
 * on ports 10000-10002 (blob, queue, table). */
static const char *const emulator_hosts[] = {
	"127.0.0.1:1000", "localhost:1000", "[::1]:1000", "0.0.0.0:1000",
	"azurite:1000",
};

/* Does the NUL-terminated, lower-cased host h (port included) end in
 * suffix, or is it suffix without the leading dot? */
static int
host_ends(const char *h, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	if (n == k - 1 && memcmp(h, suffix + 1, n) == 0)
		return 1;
	return n >= k && memcmp(h + n - k, suffix, k) == 0;
}

/* Is the host h[0..n) (port included) one of the emulator's addresses? */
static int
host_emulator(const char *h, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof emulator_hosts / sizeof emulator_hosts[0];
	    i++) {
		k = strlen(emulator_hosts[i]);
		if (n == k + 1 && memcmp(h, emulator_hosts[i], k) == 0 &&
		    h[k] >= '0' && h[k] <= '2')
			return 1;
	}
	k = strlen(EMULATOR_ACCOUNT);
	return n > k && memcmp(h, EMULATOR_ACCOUNT ".", k + 1) == 0;
}

/*
 * Looks at the URL s[a..b): does it name the emulator - its account as
 * the first host label ("devstoreaccount1.blob...") or first path segment
 * ("http://127.0.0.1:10000/devstoreaccount1/..."), or one of its
 * addresses - and is its host a service that is not Azure Storage?
 */
static void
url_look(const char *s, size_t a, size_t b, int *emulator, int *foreign)
{
	char u[URL_PEEK + 1], *l;
	const char *host, *p, *seg, *colon;
	size_t k = strlen(EMULATOR_ACCOUNT), hn, i;

	value_copy(s, a, b, u, sizeof(u));
	for (l = u; *l != '\0'; l++)
		if (*l >= 'A' && *l <= 'Z')
			*l = (char)(*l + 32);
	host = (p = strstr(u, "://")) != NULL ? p + 3 : u;
	for (p = host; *p != '\0' && *p != '/'; p++)
		if (*p == '@')
			host = p + 1;
	seg = strchr(host, '/');
	hn = seg != NULL ? (size_t)(seg - host) : strlen(host);
	*emulator = host_emulator(host, hn) || (seg != NULL &&
	    strncmp(seg + 1, EMULATOR_ACCOUNT, k) == 0 &&
	    (seg[k + 1] == '\0' || seg[k + 1] == '/' || seg[k + 1] == '?'));
	/* Ports do not change whose host it is. */
	colon = memchr(host, ':', hn);
	if (colon != NULL && host[0] != '[')
		hn = (size_t)(colon - host);
	*foreign = 0;
	for (i = 0; i < sizeof foreign_hosts / sizeof foreign_hosts[0]; i++)
		if (host_ends(host, hn, foreign_hosts[i]))
			*foreign = 1;
}

/*
 * Does s[a..b), one run of text, name the emulator anywhere: its account
 * as a field (AccountName=devstoreaccount1) or in a URL (an endpoint's,
 * before or after the token), its address, or UseDevelopmentStorage=true?
 * A connection string is one run, so this is "the same connection
 * string". A longer name (devstoreaccount1x) is not the emulator's.
 */
static int
run_names_emulator(const char *s, size_t a, size_t b)
{
	static const char *const marks[] = { "=" EMULATOR_ACCOUNT,
	    "/" EMULATOR_ACCOUNT, "://" EMULATOR_ACCOUNT ".",
	    "usedevelopmentstorage=true" };
	size_t i, k, m, n;

	for (i = a; i < b; i++) {
		for (m = 0; m < sizeof marks / sizeof marks[0]; m++) {
			k = strlen(marks[m]);
			if (b - i >= k && text_caseeq(s + i, marks[m], k) &&
			    (m > 1 || i + k == b ||
			    strchr(";/?&", s[i + k]) != NULL))
				return 1;
		}
		for (m = 0; m < sizeof emulator_hosts /
		    sizeof emulator_hosts[0]; m++) {
			k = strlen(emulator_hosts[m]);
			if (b - i > k && text_caseeq(s + i, emulator_hosts[m],
			    k) && s[i + k] >= '0' && s[i + k] <= '2')
				return 1;
		}
		/* Only what can start a mark is worth a closer look. */
		n = i + 1;
		while (n < b && strchr("=/:uU1lL[0aA", s[n]) == NULL)
			n++;
		i = n - 1;
	}
	return 0;
}

/* ---- The walk ------------------------------------------------------- */

static void walk(struct walk *, size_t, size_t);

static void
param_begin(struct walk *w, size_t at)
{
	w->name_start = at;
	w->in_value = 0;
	w->id = P_OTHER;
	w->field = NO_FIELD;
	w->sig_chars = 0;
}

static void
seg_begin(struct walk *w, size_t at)
{
	w->seg_start = w->seg_last = at;
	w->has_url = w->url_emulator = w->url_foreign = 0;
	w->foreign = 0;
	w->dirty = 0;
	w->first = 1;
	param_begin(w, at);
}

/*
 * What a parameter's value may hold: the value ends where its alphabet
 * does ("sp=r.xlsx", a file named after a URL, grants "r"). NULL: any.
 */
static const char *
value_alphabet(enum pname id)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	switch (id) {
	case P_SS: case P_SRT: case P_SR: case P_SP:
		return letters;
	case P_SPR:
		return "abcdefghijklmnopqrstuvwxyz,";
	case P_SV:
		return "0123456789-.";
	case P_ST: case P_SE:
		return "0123456789-:.+TZtz";
	case P_SIP:
		return "0123456789.-:abcdefABCDEF";
	default:
		return NULL;
	}
}

/* Cuts the decoded value v (n bytes, or more if truncated) to its
 * alphabet; a date loses a dangling '.' or '-' ("...59Z.xlsx"). */
static size_t
value_cut(enum pname id, char *v, size_t n)
{
	const char *alpha = value_alphabet(id);
	size_t k = 0;

	if (alpha == NULL)
		return n;
	while (v[k] != '\0' && strchr(alpha, v[k]) != NULL)
		k++;
	if (id == P_ST || id == P_SE)
		while (k > 0 && (v[k - 1] == '.' || v[k - 1] == '-'))
			k--;
	if (v[k] == '\0')
		return n;
	v[k] = '\0';
	return k;
}

/*
 * Does the whole decoded value say the token is not Azure Storage's?
 * Service Bus, Event Hubs, Relay, Notification Hubs and IoT Hub sign
 * "sr=<host or URL>&sig=...&se=<Unix seconds>"; Logic Apps
 * "sp=/triggers/...".
 */
static int
value_foreign(enum pname id, const char *v)
{
	size_t k = 0;

	switch (id) {
	case P_SE:
		/* Seconds, not a date: more than 4 digits before any '-'. */
		while (v[k] >= '0' && v[k] <= '9')
			k++;
		return k > 4 && v[k] != '-';
	case P_SR:
		/* Storage says b, c, d, f, s, bs or bv: a host is longer. */
		while ((v[k] | 0x20) >= 'a' && (v[k] | 0x20) <= 'z')
			k++;
		return k > 2 || strpbrk(v, "./:") != NULL;
	case P_SP:
		return v[0] == '/';
	default:
		return 0;
	}
}

/* Dates are checked on the decoded text; a truncated one is bad. */
static int
date_take(const char *text, size_t n, int64_t *t)
{
	return n < SAS_VALUE_MAX && date_parse(text, n, t) == 0;
}

/* Keeps what a finished parameter says about the segment's token. */
static void
param_take(struct walk *w, size_t a, size_t b)
{
	struct sas_token *tok = &w->tok;
	size_t n = 0;
	int64_t sv_date;

	if (w->id == P_OTHER)
		return;
	if (!w->dirty) {
		/* Lazily, so that a run of empty fields costs nothing. */
		memset(tok, 0, sizeof(*tok));
		memset(w->seen, 0, sizeof(w->seen));
		w->sig_ok = w->sv_ok = 0;
		w->dirty = 1;
	}
	if (w->id == P_SIG && !w->sig_ok &&
	    (w->sig_ok = sig_decode(w->s, a, b, tok->sig) == 0)) {
		tok->sig_start = a;
		tok->sig_end = b;
	}
	/* A repeated parameter: the first one counts. */
	if (w->seen[w->id]++ > 0)
		return;
	if (w->field != NO_FIELD) {
		n = value_copy(w->s, a, b, (char *)tok + w->field,
		    SAS_VALUE_MAX);
		w->foreign |= value_foreign(w->id, (char *)tok + w->field);
		n = value_cut(w->id, (char *)tok + w->field, n);
	}
	if (w->id == P_SV)
		w->sv_ok = n == 10 && date_parse(tok->sv, n, &sv_date) == 0;
	if (w->id == P_ST)
		tok->st_ok = date_take(tok->st_text, n, &tok->st);
	if (w->id == P_SE)
		tok->se_ok = date_take(tok->se_text, n, &tok->se);
}

static void
param_end(struct walk *w, size_t at)
{
	if (w->in_value && w->out == NULL)
		param_take(w, w->val_start, at);
	w->seg_last = at;
	w->first = 0;
}

/* A '=' while reading a name. */
static void
name_end(struct walk *w, size_t i, size_t n)
{
	const struct pdef *def;

	def = pname_read(w->s, w->name_start, i);
	w->id = def != NULL ? def->id : P_OTHER;
	w->field = def != NULL ? def->field : NO_FIELD;
	if (w->id == P_OTHER && w->first) {
		/*
		 * "sas=sv=...", "SharedAccessSignature=sv=...": the first
		 * name is a variable's; what follows is the token.
		 */
		w->name_start = i + n;
		return;
	}
	w->in_value = 1;
	w->val_start = i + n;
}

enum { SEG_NONE, SEG_SAS, SEG_LOOKALIKE };

/* Is the segment just read a storage SAS token, or one of the tokens
 * that look like one (same "sig", another service)? */
static int
seg_is_sas(const struct walk *w)
{
	const int *seen = w->seen;

	if (!w->dirty || !w->sig_ok)
		return SEG_NONE;
	if (!seen[P_SV] && !seen[P_SE] && !seen[P_SP] && !seen[P_SS] &&
	    !seen[P_SRT] && !seen[P_SR] && !seen[P_SKOID])
		return SEG_NONE;
	/*
	 * Service Bus and its kin: skn, se in Unix seconds, sr a host.
	 * Logic Apps: api-version, sv=1.0, sp=/triggers/... Cosmos DB:
	 * type and ver. AWS, Google: their parameters. Or a URL on the
	 * host of one of those.
	 */
	if (w->foreign || w->url_foreign || seen[P_SKN] || seen[P_APIVER] ||
	    (seen[P_SV] && !w->sv_ok) || (seen[P_TYPE] && seen[P_VER]) ||
	    seen[P_FOREIGN])
		return SEG_LOOKALIKE;
	return SEG_SAS;
}

static enum sas_kind
seg_kind(const int *seen)
{
	if (seen[P_SS] || seen[P_SRT])
		return SAS_ACCOUNT;
	if (seen[P_SKOID])
		return SAS_USER_DELEGATION;
	if (seen[P_SR] || seen[P_TN])
		return SAS_SERVICE;
	return SAS_UNKNOWN;
}

/* Redacts a copy of the signature in a kept value ("si=<signature>"). */
static void
value_scrub(char *v, const char *secret)
{
	size_t keep = SIG_SHOWN + strlen(REDACTED);
	char *p;

	while ((p = strstr(v, secret)) != NULL) {
		memmove(p + keep, p + SECRET_LEN, strlen(p + SECRET_LEN) + 1);
		memcpy(p + SIG_SHOWN, REDACTED, strlen(REDACTED));
	}
}

/* The segment has ended at seg_last: report it if it is a token. */
static void
seg_end(struct walk *w)
{
	struct sas_token *tok = &w->tok;
	struct render r;
	struct walk again;
	size_t i;
	int is;

	if (w->out != NULL || w->rc != 0 || w->seg_start >= w->limit ||
	    (is = seg_is_sas(w)) == SEG_NONE ||
	    (is == SEG_LOOKALIKE && !w->lookalikes))
		return;
	tok->lookalike = is == SEG_LOOKALIKE;
	for (i = 0; i < P_COUNT; i++)
		tok->nparams += w->seen[i] > 0 && i != P_OTHER;
	tok->kind = seg_kind(w->seen);
	tok->policy_backed = w->seen[P_SI] > 0;
	tok->has_sp = w->seen[P_SP] > 0;
	tok->has_spr = w->seen[P_SPR] > 0;
	tok->has_si = w->seen[P_SI] > 0;
	tok->has_st = w->seen[P_ST] > 0;
	tok->has_se = w->seen[P_SE] > 0;
	tok->emulator = w->has_url ? w->url_emulator : w->run_emulator;
	tok->start = w->seg_start;
	tok->end = w->seg_last;

	render_init(&r, tok->sig);
	memset(&again, 0, sizeof(again));
	again.s = w->s;
	again.out = &r;
	walk(&again, tok->start, tok->end);
	render_finish(&r, tok->shown);
	for (i = 0; i < sizeof(pdefs) / sizeof(pdefs[0]); i++)
		if (pdefs[i].field != NO_FIELD)
			value_scrub((char *)tok + pdefs[i].field, r.secret);
	w->rc = w->fn(w->user, tok);
}

/* A ';' written as such: the end of a connection-string field. */
static void
field_end(struct walk *w, size_t i)
{
	param_end(w, i);
	seg_end(w);
	seg_begin(w, i + 1);
}

/* A '?' starts a query unless it is inside a SAS parameter's value. */
static int
query_starts(const struct walk *w)
{
	return !w->in_value || w->id == P_OTHER;
}

/* A '?' at s[i]: what came before it in this parameter is the URL. */
static void
query_begin(struct walk *w, size_t i, size_t n)
{
	size_t url = w->in_value ? w->val_start : w->name_start;

	if (w->out == NULL) {
		seg_end(w);
		seg_begin(w, url);
	}
	w->has_url = url < i;
	url_look(w->s, url, i, &w->url_emulator, &w->url_foreign);
	param_begin(w, i + n);
	w->first = 1;
}

/*
 * In render mode, renders one character: a separator (structural) as
 * itself, a character of a signature value only up to SIG_SHOWN.
 */
static void
render_unit(struct walk *w, int c, int structural)
{
	if (w->out == NULL)
		return;
	if (structural || !w->in_value || w->id != P_SIG) {
		render_char(w->out, c);
		return;
	}
	if (w->sig_chars < SIG_SHOWN)
		render_char(w->out, c);
	else if (w->sig_chars == SIG_SHOWN)
		render_str(w->out, REDACTED);
	w->sig_chars++;
}

/* Can c (decoded) be part of a signature's base64, padding included? */
static int
sig_char(int c)
{
	return c == '=' || base64_value(c) >= 0;
}

/*
 * A signature value ends at the first byte that base64 cannot hold: what
 * follows ("sig=X,https://b/...?sv=...", "sig=X%22") starts the next
 * segment, so two URLs joined by a comma are two tokens, not one.
 */
static void
sig_cut(struct walk *w, size_t i)
{
	param_end(w, i);
	seg_end(w);
	seg_begin(w, i);
}

/*
 * Reads s[lo..hi) as segments of parameters. In render mode (w->out set)
 * the same reading renders the text instead of judging it, so the two
 * agree on where every signature value is.
 */
static void
walk(struct walk *w, size_t lo, size_t hi)
{
	size_t i, n;
	int c;

	seg_begin(w, lo);
	for (i = lo; i < hi && w->rc == 0; i += n) {
		n = unit_read(w->s, i, hi, &c);
		if (w->in_value && w->id == P_SIG && !sig_char(c) &&
		    c != '&' && !(c == ';' && n == 1))
			sig_cut(w, i);
		if (c == '&') {
			render_unit(w, c, 1);
			param_end(w, i);
			param_begin(w, i + n);
		} else if (c == ';' && n == 1) {
			render_unit(w, c, 1);
			field_end(w, i);
		} else if (c == '=' && !w->in_value) {
			render_unit(w, c, 1);
			name_end(w, i, n);
		} else if (c == '?' && query_starts(w)) {
			render_unit(w, c, 1);
			query_begin(w, i, n);
		} else
			render_unit(w, c, 0);
	}
	param_end(w, hi);
	seg_end(w);
}

int
sas_find(const char *text, size_t len, size_t limit, int flags,
    sas_token_fn fn, void *user)
{
	struct walk w;
	size_t pos = 0, t, a, b, lit = NO_FIELD;

	/* Most lines have no trigger: set nothing up for them. */
	if ((t = trigger_find(text, 0, len, &lit)) >= len)
		return 0;
	memset(&w, 0, sizeof(w));
	w.s = text;
	w.limit = limit;
	w.fn = fn;
	w.user = user;
	w.lookalikes = (flags & SAS_LOOKALIKES) != 0;
	for (; w.rc == 0 && t < len; t = trigger_find(text, pos, len, &lit)) {
		a = run_start(text, pos, t);
		/* Every later token starts at or after a. */
		if (a >= limit)
			break;
		b = run_end(text, len, t);
		w.run_emulator = run_names_emulator(text, a, b);
		walk(&w, a, b);
		pos = b > t + 3 ? b : t + 3;
	}
	return w.rc;
}

int
sas_scan(const char *text, size_t len, size_t limit, sas_token_fn fn,
    void *user)
{
	return sas_find(text, len, limit, 0, fn, user);
}

size_t
sas_trigger(const char *text, size_t len)
{
	size_t lit = NO_FIELD;

	return trigger_find(text, 0, len, &lit);
}

/* ---- Words ---------------------------------------------------------- */

struct letter {
	char c;
	const char *word;
};

static const struct letter perm_letters[] = {
	{ 'r', "read" }, { 'w', "write" }, { 'd', "delete" },
	{ 'x', "delete version" }, { 'y', "permanent delete" },
	{ 'l', "list" }, { 'a', "add" }, { 'c', "create" },
	{ 'u', "update" },
	/* Queue: process messages; blob/directory: change ACL. */
	{ 'p', "process/change ACL" },
	{ 't', "tags" }, { 'f', "filter by tags" },
	{ 'i', "set immutability policy" }, { 'm', "move" },
	{ 'e', "execute" }, { 'o', "change owner" }, { 0, NULL }
};

static const struct letter service_letters[] = {
	{ 'b', "blob" }, { 'f', "file" }, { 'q', "queue" }, { 't', "table" },
	{ 0, NULL }
};

static const struct letter rtype_letters[] = {
	{ 's', "service" }, { 'c', "container" }, { 'o', "object" },
	{ 0, NULL }
};

/* Appends s to buf (cap bytes) at *used, truncating, NUL-terminated. */
static void
buf_add(char *buf, size_t cap, size_t *used, const char *s)
{
	while (*s != '\0' && *used + 1 < cap)
		buf[(*used)++] = *s++;
	buf[*used] = '\0';
}

static char *
letters_words(const char *letters, const struct letter *table, char *buf,
    size_t cap)
{
	const struct letter *l;
	char unknown[] = "unknown '?'";
	size_t used = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (; *letters != '\0'; letters++) {
		if (used > 0)
			buf_add(buf, cap, &used, ", ");
		for (l = table; l->word != NULL && l->c != *letters; l++)
			continue;
		if (l->word != NULL) {
			buf_add(buf, cap, &used, l->word);
			continue;
		}
		unknown[9] = *letters >= ' ' && *letters < 0x7f ?
		    *letters : '?';
		buf_add(buf, cap, &used, unknown);
	}
	return buf;
}

char *
sas_permissions_words(const char *sp, char *buf, size_t cap)
{
	return letters_words(sp, perm_letters, buf, cap);
}

char *
sas_services_words(const char *ss, char *buf, size_t cap)
{
	return letters_words(ss, service_letters, buf, cap);
}

char *
sas_resource_types_words(const char *srt, char *buf, size_t cap)
{
	return letters_words(srt, rtype_letters, buf, cap);
}

const char *
sas_kind_name(enum sas_kind kind)
{
	switch (kind) {
	case SAS_ACCOUNT:
		return "account SAS";
	case SAS_USER_DELEGATION:
		return "user-delegation SAS";
	case SAS_SERVICE:
		return "service SAS";
	default:
		return "SAS";
	}
}
