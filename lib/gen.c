/*
 * gen.c - code that makes a SAS, read as the SAS it would make (gen.h).
 *
 * A form is found by its anchor; its call is cut from a window of the
 * new side of the run (the call's region); the region becomes items
 * (key, value) - flags of a command, arguments of a call, fields of an
 * object or a block, setters called on it - and each item's value is
 * read for what it says about the SAS: expiry, start, permissions,
 * services, resource types, protocol, a stored access policy, a user
 * delegation key. Nothing here knows one language's grammar beyond its
 * brackets, quotes and line continuations: the APIs' own names carry it.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "gen.h"
#include "redact.h"
#include "sha256.h"

#define DAY 86400
#define ITEMS_MAX 48
/* The permission letters of every kind of SAS. */
#define SAS_LETTERS "racwdxyltfmeopiu"

/* How a form's call is written. */
enum style {
	STYLE_CLI,	/* az ...: words to the end of the command */
	STYLE_PS,	/* PowerShell: the same, backtick continuations */
	STYLE_TF,	/* data "..." "name" { block } */
	STYLE_CALL,	/* name(arguments) */
	STYLE_NEW	/* an object: new Name(...) { ... }, Name{...}, and
			 * statements on the variable that holds it */
};

/* A form's protocol when the call does not say: the API's default. */
enum { PROTO_BOTH, PROTO_HTTPS };

struct form {
	const char *anchor;	/* as the API spells it, matched in any case */
	const char *by;		/* what the report says made it; NULL:
				 * the anchor */
	enum style style;
	enum sas_kind kind;
	int proto;		/* PROTO_* */
	const char *order;	/* positional arguments: e expiry, p
				 * permissions, s services, r resource types,
				 * '_' anything else */
};

static const struct form forms[] = {
	{ "generate-sas", "az storage generate-sas",
	    STYLE_CLI, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageAccountSASToken", NULL,
	    STYLE_PS, SAS_ACCOUNT, PROTO_BOTH, "" },
	{ "New-AzStorageContainerSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageBlobSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageShareSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageFileSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageQueueSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "New-AzStorageTableSASToken", NULL,
	    STYLE_PS, SAS_SERVICE, PROTO_BOTH, "" },
	{ "azurerm_storage_account_sas", "Terraform azurerm_storage_account_sas",
	    STYLE_TF, SAS_ACCOUNT, PROTO_HTTPS, "" },
	{ "azurerm_storage_account_blob_container_sas",
	    "Terraform azurerm_storage_account_blob_container_sas",
	    STYLE_TF, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "listAccountSas", NULL, STYLE_CALL, SAS_ACCOUNT, PROTO_BOTH, "" },
	{ "listServiceSas", NULL, STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "generate_account_sas", NULL,
	    STYLE_CALL, SAS_ACCOUNT, PROTO_HTTPS, "__rpes" },
	{ "generate_container_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_blob_sas", NULL, STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_share_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_file_sas", NULL, STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_queue_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_table_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_file_system_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "generate_directory_sas", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_HTTPS, "" },
	{ "AccountSasBuilder", NULL,
	    STYLE_NEW, SAS_ACCOUNT, PROTO_BOTH, "pesr" },
	{ "BlobSasBuilder", NULL, STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "pe" },
	{ "ShareSasBuilder", NULL, STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "pe" },
	{ "QueueSasBuilder", NULL, STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "pe" },
	{ "TableSasBuilder", NULL, STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "_pe" },
	{ "DataLakeSasBuilder", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "pe" },
	{ "generateAccountSASQueryParameters", NULL,
	    STYLE_CALL, SAS_ACCOUNT, PROTO_BOTH, "" },
	{ "generateBlobSASQueryParameters", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "generateFileSASQueryParameters", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "generateQueueSASQueryParameters", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "generateDataLakeSASQueryParameters", NULL,
	    STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "generateTableSas", NULL, STYLE_CALL, SAS_SERVICE, PROTO_BOTH, "" },
	{ "AccountSasSignatureValues", NULL,
	    STYLE_NEW, SAS_ACCOUNT, PROTO_BOTH, "epsr" },
	{ "BlobServiceSasSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "ep" },
	{ "ShareServiceSasSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "ep" },
	{ "QueueServiceSasSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "ep" },
	{ "DataLakeServiceSasSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "ep" },
	{ "TableSasSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "ep" },
	{ "sas.AccountSignatureValues", NULL,
	    STYLE_NEW, SAS_ACCOUNT, PROTO_BOTH, "" },
	{ "sas.BlobSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "" },
	{ "sas.QueueSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "" },
	{ "sas.FileSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "" },
	{ "sas.DatalakeSignatureValues", NULL,
	    STYLE_NEW, SAS_SERVICE, PROTO_BOTH, "" },
};
#define NFORMS (sizeof forms / sizeof forms[0])

/* ---- Characters ------------------------------------------------------ */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s[0..n) starts with word, in any case. */
static int
starts_ci(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)word[i]))
			return 0;
	return 1;
}

/* Where word is in s[from..n), any case, or n. */
static size_t
find_ci(const char *s, size_t from, size_t n, const char *word)
{
	int c = lower((unsigned char)word[0]);
	size_t i;

	for (i = from; i < n; i++)
		if (lower((unsigned char)s[i]) == c && starts_ci(s + i, n - i,
		    word))
			return i;
	return n;
}

/* Where the "sas" of an anchor is, any case. */
static size_t
sas_offset(const char *anchor)
{
	return find_ci(anchor, 0, strlen(anchor), "sas");
}

/* ---- Anchors ---------------------------------------------------------- */

/* Where each anchor's "sas" is, and its length: measured once, since
 * form_at() is asked at every "sas" of a diff's added lines. */
static struct { size_t off, len; } form_size[NFORMS];

static void
forms_measure(void)
{
	size_t i;

	if (form_size[0].len != 0)
		return;
	for (i = 0; i < NFORMS; i++) {
		form_size[i].off = sas_offset(forms[i].anchor);
		form_size[i].len = strlen(forms[i].anchor);
	}
}

/* The form whose anchor has its "sas" at text[at], or NULL. */
static const struct form *
form_at(const char *text, size_t lo, size_t at, size_t len)
{
	size_t i, off, k;

	forms_measure();
	for (i = 0; i < NFORMS; i++) {
		off = form_size[i].off;
		k = form_size[i].len;
		if (at < lo + off || at - off + k > len)
			continue;
		if (lower((unsigned char)text[at - off]) !=
		    lower((unsigned char)forms[i].anchor[0]) ||
		    !starts_ci(text + at - off, len - (at - off),
		    forms[i].anchor))
			continue;
		/* Whole words only: generate_blob_sas_v2 is someone else's. */
		if ((at - off > lo && (is_ident((unsigned char)text[at - off -
		    1]) || (forms[i].style == STYLE_PS &&
		    text[at - off - 1] == '-'))) || (at - off + k < len &&
		    is_ident((unsigned char)text[at - off + k])))
			continue;
		return &forms[i];
	}
	return NULL;
}

int
gen_anchor_at(const char *text, size_t lo, size_t at, size_t len)
{
	return form_at(text, lo, at, len) != NULL;
}

/* ---- The window: the new side of the run around the line -------------- */

struct window {
	char *buf;
	size_t len;
	size_t line;		/* where the handed-on line starts in buf */
	size_t line_end;
};

/* One diff line of a run: its text on the new side, or NULL when the
 * line is only on the old side. */
static const char *
new_side(const char *p, size_t n, int prefix, size_t *len)
{
	int i;

	if (n < (size_t)prefix)
		return NULL;
	for (i = 0; i < prefix; i++)
		if (p[i] != '+' && p[i] != ' ')
			return NULL;
	*len = n - (size_t)prefix;
	if (*len > 0 && p[prefix + *len - 1] == '\r')
		(*len)--;
	return p + prefix;
}

static void
win_add(struct window *w, const char *p, size_t n)
{
	if (w->len + n + 1 > GEN_WINDOW)
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->buf[w->len++] = '\n';
}

static void
window_build(struct window *w, const struct diff_line *l)
{
	const char *lines[GEN_LINES], *p, *end, *nl, *t;
	size_t lens[GEN_LINES], n, k = 0, i;
	long new_left = l->after_new, old_left = l->after_old;

	w->len = 0;
	/* Before: the last GEN_LINES lines of the run, in order. */
	p = end = l->before;
	if (p != NULL)
		end += l->beforelen;
	/* Only the end of a long run: reading all of it for each line with
	 * an anchor would make a run of such lines quadratic. */
	if ((size_t)(end - p) > GEN_WINDOW / 2) {
		p = end - GEN_WINDOW / 2;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL)
			p = nl + 1;
	} else if (l->before_cut && (nl = memchr(p, '\n', (size_t)(end -
	    p))) != NULL)
		p = nl + 1;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((t = new_side(p, (size_t)(nl - p), l->prefix, &n)) == NULL)
			continue;
		lines[k % GEN_LINES] = t;
		lens[k % GEN_LINES] = n;
		k++;
	}
	for (i = k > GEN_LINES ? k - GEN_LINES : 0; i < k; i++)
		if (w->len + lens[i % GEN_LINES] + l->len + 2 < GEN_WINDOW / 2)
			win_add(w, lines[i % GEN_LINES], lens[i % GEN_LINES]);
	w->line = w->len;
	win_add(w, l->text, l->len);
	w->line_end = w->len > 0 ? w->len - 1 : 0;
	/* After: while the hunk owes lines. */
	p = end = l->after;
	if (p != NULL)
		end += l->afterlen;
	for (k = 0; p < end && k < GEN_LINES && (new_left > 0 ||
	    old_left > 0); p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if (*p == '\\')
			continue;
		if (*p != '+' && *p != '-' && *p != ' ')
			break;
		if ((t = new_side(p, (size_t)(nl - p), l->prefix, &n)) ==
		    NULL) {
			old_left--;
			continue;
		}
		new_left--;
		old_left -= *p == ' ';
		win_add(w, t, n);
		k++;
	}
}

/* The keys each value goes by, as item_add() folds them. */
static const char *const k_expiry[] = { "expiry", "expirytime", "expireson",
    "signedexpiry", "expires", NULL };
static const char *const k_start[] = { "start", "starttime", "startson",
    "signedstart", NULL };
static const char *const k_perm[] = { "permissions", "permission",
    "signedpermission", "setpermissions", NULL };
static const char *const k_services[] = { "services", "service",
    "signedservices", NULL };
static const char *const k_types[] = { "resourcetypes", "resourcetype",
    "signedresourcetypes", NULL };
static const char *const k_proto[] = { "protocol", "signedprotocol",
    "protocols", NULL };
static const char *const k_https[] = { "httpsonly", NULL };
static const char *const k_policy[] = { "policyname", "policy",
    "identifier", "signedidentifier", "policyid", NULL };
static const char *const k_user[] = { "asuser", "userdelegationkey",
    NULL };
static const char *const w_services[] = { "blob", "file", "queue", "table",
    NULL };
static const char *const w_types[] = { "service", "container", "object",
    NULL };

/* ---- Brackets, quotes and words --------------------------------------- */

static size_t
skip_quoted(const char *s, size_t i, size_t n)
{
	char q = s[i++];

	while (i < n && s[i] != q && s[i] != '\n') {
		if (s[i] == '\\' && q != '\'')
			i++;
		i++;
	}
	return i < n ? i + 1 : n;
}

/* s[i] opens a bracket: where its close is, or n. */
static size_t
close_of(const char *s, size_t i, size_t n)
{
	int depth = 0;

	while (i < n) {
		char c = s[i];

		if (c == '"' || c == '\'') {
			i = skip_quoted(s, i, n);
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}') {
			if (--depth <= 0)
				return i;
		}
		i++;
	}
	return n;
}

/* Where an expression from i ends: a newline, ';' or ',' outside any
 * bracket, or n. */
static size_t
expr_end(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] != '\n' && s[i] != ';' && s[i] != ',') {
		if (s[i] == '"' || s[i] == '\'')
			i = skip_quoted(s, i, n);
		else if (s[i] == '(' || s[i] == '[' || s[i] == '{')
			i = close_of(s, i, n) + 1;
		else
			i++;
	}
	return i < n ? i : n;
}

/* The same, over chained calls that go on on the next line (".set..."). */
static size_t
stmt_end(const char *s, size_t i, size_t n)
{
	size_t e, k;

	for (;;) {
		e = expr_end(s, i, n);
		if (e >= n || s[e] != '\n')
			return e;
		for (k = e + 1; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k >= n || s[k] != '.')
			return e;
		i = k;
	}
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (is_space((unsigned char)**s) || **s == ','))
		(*s)++, (*n)--;
	while (*n > 0 && (is_space((unsigned char)(*s)[*n - 1]) ||
	    (*s)[*n - 1] == ',' || (*s)[*n - 1] == ';'))
		(*n)--;
}

/* ---- Items ------------------------------------------------------------ */

struct item {
	char key[32];		/* lower case, letters and digits only */
	const char *val;
	size_t vlen;
};

struct call {
	const struct form *form;
	char by[64];
	const char *w;		/* the window */
	size_t wlen;
	size_t start, end;	/* the region */
	struct item item[ITEMS_MAX];
	int nitems;
	int delegation;		/* the window speaks of a user delegation
				 * key: a service SAS made with it is one */
};

static void
item_add(struct call *c, const char *key, size_t klen, const char *val,
    size_t vlen)
{
	struct item *it;
	size_t i, k = 0;

	if (c->nitems == ITEMS_MAX)
		return;
	it = &c->item[c->nitems++];
	for (i = 0; i < klen && k + 1 < sizeof it->key; i++)
		if (is_ident((unsigned char)key[i]) && key[i] != '_')
			it->key[k++] = (char)lower((unsigned char)key[i]);
	it->key[k] = '\0';
	trim(&val, &vlen);
	it->val = val;
	it->vlen = vlen;
}

/* One argument or field: "key = value", "key: value", "key { block }",
 * or a value alone (a positional argument). */
static void
item_parse(struct call *c, const char *s, size_t n)
{
	size_t i = 0, k;

	trim(&s, &n);
	if (n == 0)
		return;
	if (s[0] == '"' || s[0] == '\'')
		i = 1;
	k = i;
	while (k < n && (is_ident((unsigned char)s[k]) || s[k] == '-'))
		k++;
	if (k > i) {
		size_t j = k + (k < n && (s[k] == '"' || s[k] == '\''));

		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < n && ((s[j] == '=' && (j + 1 == n || (s[j + 1] !=
		    '=' && s[j + 1] != '>'))) || (s[j] == ':' &&
		    (j + 1 == n || s[j + 1] != ':')))) {
			item_add(c, s + i, k - i, s + j + 1, n - j - 1);
			return;
		}
		if (j < n && s[j] == '{') {
			item_add(c, s + i, k - i, s + j, n - j);
			return;
		}
	}
	item_add(c, "", 0, s, n);
}

/* The items of s[from..to): split at ',', ';' and newlines outside any
 * bracket. */
static void
items_split(struct call *c, const char *s, size_t from, size_t to)
{
	size_t i = from, start = from;

	while (i < to) {
		char ch = s[i];

		if (ch == '"' || ch == '\'')
			i = skip_quoted(s, i, to);
		else if (ch == '(' || ch == '[' || ch == '{')
			i = close_of(s, i, to) + 1;
		else if (ch == ',' || ch == ';' || ch == '\n') {
			item_parse(c, s + start, i - start);
			start = ++i;
		} else
			i++;
	}
	if (start < to)
		item_parse(c, s + start, to - start);
}

static const struct item *
item_of(const struct call *c, const char *const *keys)
{
	int i, k;

	for (i = c->nitems - 1; i >= 0; i--)
		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(c->item[i].key, keys[k]) == 0)
				return &c->item[i];
	return NULL;
}

/* Setters called on the object: .setProtocol(x), .SetPermissions(x). */
static void
items_setters(struct call *c, const char *s, size_t from, size_t to)
{
	size_t i, k, close;

	for (i = from; i + 5 < to; i++) {
		if (s[i] != '.' || lower((unsigned char)s[i + 1]) != 's' ||
		    lower((unsigned char)s[i + 2]) != 'e' ||
		    lower((unsigned char)s[i + 3]) != 't')
			continue;
		for (k = i + 4; k < to && is_ident((unsigned char)s[k]); k++)
			;
		if (k == i + 4 || k >= to || s[k] != '(')
			continue;
		close = close_of(s, k, to);
		item_add(c, s + i + 4, k - i - 4, s + k + 1, close - k - 1);
	}
}

/* A command's words: a flag and the word after it (unless that is a
 * flag too), joined over line continuations. */
static void
items_words(struct call *c, const char *s, size_t from, size_t to)
{
	const char *word[ITEMS_MAX];
	size_t wlen[ITEMS_MAX], i = from, st;
	int n = 0, k;

	while (i < to && n < ITEMS_MAX) {
		while (i < to && (is_space((unsigned char)s[i]) ||
		    ((s[i] == '\\' || s[i] == '`' || s[i] == '^') && i + 1 <
		    to && is_space((unsigned char)s[i + 1]))))
			i++;
		st = i;
		while (i < to && !is_space((unsigned char)s[i])) {
			if (s[i] == '"' || s[i] == '\'')
				i = skip_quoted(s, i, to);
			else if (s[i] == '(' || s[i] == '{' || s[i] == '[')
				i = close_of(s, i, to) + 1;
			else
				i++;
		}
		if (i > st) {
			word[n] = s + st;
			wlen[n++] = (i > to ? to : i) - st;
		}
	}
	for (k = 0; k < n; k++) {
		const char *w = word[k], *colon;
		size_t wl = wlen[k], d = 0;

		while (d < wl && w[d] == '-')
			d++;
		if (d == 0 || d == wl || !is_ident((unsigned char)w[d]))
			continue;
		/* PowerShell's -Name:value */
		if ((colon = memchr(w + d, ':', wl - d)) != NULL) {
			item_add(c, w + d, (size_t)(colon - w - d), colon + 1,
			    wl - (size_t)(colon - w) - 1);
			continue;
		}
		if (k + 1 < n && !(wlen[k + 1] > 1 && word[k + 1][0] == '-' &&
		    !is_digit((unsigned char)word[k + 1][1]))) {
			item_add(c, w + d, wl - d, word[k + 1], wlen[k + 1]);
			k++;
		} else
			item_add(c, w + d, wl - d, "true", 4);
	}
}

/* The end of a command from i: the end of the line, or of the next one
 * when the line ends in a continuation (\ ` ^). */
static size_t
command_end(const char *s, size_t i, size_t n)
{
	size_t e, t;

	for (;;) {
		const char *nl = memchr(s + i, '\n', n - i);

		e = nl != NULL ? (size_t)(nl - s) : n;
		t = e;
		while (t > i && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		if (t == i || e == n || (s[t - 1] != '\\' && s[t - 1] != '`' &&
		    s[t - 1] != '^'))
			return e;
		i = e + 1;
	}
}

/* The variable an object is assigned to, "name" of "var name = new X"
 * or "name := X{": written into name, or "". */
static void
holder_of(const char *s, size_t line, size_t at, char *name, size_t cap)
{
	size_t e = at, b;

	name[0] = '\0';
	while (e > line && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e > line && s[e - 1] == 'w' && e >= line + 3 &&
	    memcmp(s + e - 3, "new", 3) == 0) {
		e -= 3;
		while (e > line && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
	}
	if (e > line && s[e - 1] == '&')
		e--;
	if (e > line && s[e - 1] == '=')
		e--;
	if (e > line && s[e - 1] == ':')
		e--;
	while (e > line && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	for (b = e; b > line && is_ident((unsigned char)s[b - 1]); b--)
		;
	if (e > b && e - b < cap) {
		memcpy(name, s + b, e - b);
		name[e - b] = '\0';
	}
}

/* Statements on the variable after the object: name.Key = value;
 * name.SetX(value) is taken by items_setters. */
static void
items_statements(struct call *c, const char *name)
{
	size_t k = strlen(name), i, j;
	const char *s = c->w;

	if (k == 0)
		return;
	for (i = c->end; i + k + 2 < c->wlen; i++) {
		if (memcmp(s + i, name, k) != 0 || s[i + k] != '.' ||
		    (i > 0 && is_ident((unsigned char)s[i - 1])))
			continue;
		for (j = i + k + 1; j < c->wlen && is_ident((unsigned char)
		    s[j]); j++)
			;
		if (j < c->wlen && s[j] == '(') {
			size_t close = close_of(s, j, c->wlen);

			items_setters(c, s, i + k, close + 1);
			i = close;
			continue;
		}
		item_parse(c, s + i + k + 1, expr_end(s, i + k + 1, c->wlen) -
		    i - k - 1);
	}
}

/* Cuts the call at the anchor (window offset a, "sas" at a + off) into
 * items. Returns 0, or -1 when the text there is not a call (an import,
 * a type name, a comment about it). */
static int
call_read(struct call *c, size_t a)
{
	const char *s = c->w;
	size_t n = c->wlen, i, open, line;
	char name[64];

	for (line = a; line > 0 && s[line - 1] != '\n'; line--)
		;
	i = a + strlen(c->form->anchor);
	switch (c->form->style) {
	case STYLE_CLI:
	case STYLE_PS:
		c->start = a;
		/* The command from its first word: "az storage ..." */
		if (c->form->style == STYLE_CLI && ((open = find_ci(s, line, a,
		    "az ")) == a || find_ci(s, open, a, " storage ") == a))
			return -1;
		if (c->form->style == STYLE_CLI)
			c->start = open;
		c->end = command_end(s, i, n);
		items_words(c, s, i, c->end);
		/* A command names what it makes; a mention (a comment, a
		 * --help) names none of it. */
		return item_of(c, k_expiry) != NULL || item_of(c, k_perm) !=
		    NULL || item_of(c, k_policy) != NULL ? 0 : -1;
	case STYLE_TF:
		/* data "azurerm_..." "name" { */
		if (a < line + 1 || (s[a - 1] != '"') ||
		    find_ci(s, line, a, "data") == a)
			return -1;
		open = i;
		while (open < n && s[open] != '{' && s[open] != '\n')
			open++;
		if (open >= n || s[open] != '{')
			return -1;
		c->start = a;
		c->end = close_of(s, open, n);
		items_split(c, s, open + 1, c->end);
		return 0;
	case STYLE_CALL:
	case STYLE_NEW:
		open = i;
		while (open < n && (s[open] == ' ' || s[open] == '\t'))
			open++;
		/* Go's sas.X{ and C#'s new X { on the next line */
		if (open < n && s[open] == '\n' && c->form->style ==
		    STYLE_NEW) {
			open++;
			while (open < n && is_space((unsigned char)s[open]))
				open++;
		}
		if (open >= n || (s[open] != '(' && !(c->form->style ==
		    STYLE_NEW && s[open] == '{')))
			return -1;
		if (c->form->style == STYLE_NEW && s[open] == '(' &&
		    c->form->anchor[0] != 's' && (a < line + 4 ||
		    find_ci(s, a >= line + 5 ? a - 5 : line, a, "new") == a))
			return -1;
		c->start = a;
		c->end = close_of(s, open, n);
		items_split(c, s, open + 1, c->end);
		/* An initializer after the constructor, setters chained. */
		i = c->end + 1;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i < n && s[i] == '{' && s[open] == '(') {
			c->end = close_of(s, i, n);
			items_split(c, s, i + 1, c->end);
		}
		i = stmt_end(s, c->end + 1, n);
		items_setters(c, s, c->end, i);
		if (c->form->style == STYLE_NEW) {
			holder_of(s, line, a, name, sizeof name);
			c->end = i < n ? i : n;
			items_statements(c, name);
		}
		return 0;
	}
	return -1;
}

/* ---- Values ----------------------------------------------------------- */

/* An integer, or a product of them (365 * 24 * 3600): 1 and *out, or
 * 0. Moves *i past it. */
static int
product_at(const char *s, size_t *i, size_t n, int64_t *out)
{
	size_t j = *i;
	int64_t v = 1;
	int any = 0;

	for (;;) {
		int64_t x = 0;
		size_t d = j;

		while (j < n && (s[j] == ' ' || s[j] == '(' || s[j] == ')'))
			j++;
		d = j;
		while (j < n && is_digit((unsigned char)s[j]) && x < 1000000000)
			x = x * 10 + (s[j++] - '0');
		if (j == d)
			break;
		while (j < n && (s[j] == 'L' || s[j] == 'l' || s[j] == '.' ||
		    s[j] == '0'))
			j++;	/* 10L, 3650.0 */
		v = v * x > (int64_t)1 << 50 ? (int64_t)1 << 50 : v * x;
		any = 1;
		while (j < n && (s[j] == ' ' || s[j] == ')'))
			j++;
		if (j < n && s[j] == '*') {
			j++;
			continue;
		}
		break;
	}
	if (any) {
		*i = j;
		*out = v;
	}
	return any;
}

/* Seconds in a unit named at s (years, months, weeks, days, hours,
 * minutes, seconds, any case, singular or plural), 0 when none. */
static int64_t
unit_at(const char *s, size_t n, size_t *len)
{
	static const struct { const char *name; int64_t sec; } units[] = {
		{ "year", 365 * DAY }, { "month", 30 * DAY },
		{ "week", 7 * DAY }, { "day", DAY }, { "hour", 3600 },
		{ "minute", 60 }, { "min", 60 }, { "second", 1 },
		{ "sec", 1 },
	};
	size_t i, k;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (starts_ci(s, n, units[i].name)) {
			k = strlen(units[i].name);
			k += k < n && lower((unsigned char)s[k]) == 's';
			*len = k;
			return units[i].sec;
		}
	return 0;
}

/* Durations written as calls: AddYears(N), plusDays(N), FromHours(N),
 * ofDays(N); as keyword arguments inside timedelta(...) and
 * relativedelta(...): days=N. Adds their seconds to *sum. */
static int
durations_named(const char *s, size_t n, int64_t *sum)
{
	static const char *const verbs[] = { "add", "plus", "from", "of",
	    NULL };
	size_t i, k, len;
	int64_t u, x;
	int any = 0, v;

	for (i = 0; i < n; i++) {
		if (i > 0 && is_ident((unsigned char)s[i - 1]) &&
		    !(s[i] >= 'A' && s[i] <= 'Z'))
			continue;
		for (v = 0; verbs[v] != NULL; v++) {
			k = strlen(verbs[v]);
			if (!starts_ci(s + i, n - i, verbs[v]) ||
			    (u = unit_at(s + i + k, n - i - k, &len)) == 0)
				continue;
			k += len;
			if (i + k >= n || s[i + k] != '(')
				continue;
			k++;
			if (product_at(s, &(size_t){ i + k }, n, &x)) {
				*sum += x * u;
				any = 1;
			}
		}
	}
	for (i = find_ci(s, 0, n, "delta("); i < n;
	    i = find_ci(s, i + 1, n, "delta(")) {
		size_t close = close_of(s, i + 5, n), j = i + 6;
		int first = 1;

		while (j < close) {
			while (j < close && (is_space((unsigned char)s[j]) ||
			    s[j] == ','))
				j++;
			if ((u = unit_at(s + j, close - j, &len)) != 0 &&
			    j + len < close && s[j + len] == '=') {
				j += len + 1;
				if (product_at(s, &j, close, &x)) {
					*sum += x * u;
					any = 1;
				}
			} else if (first && product_at(s, &j, close, &x)) {
				*sum += x * DAY;	/* timedelta(N): days */
				any = 1;
			} else
				j++;
			first = 0;
			while (j < close && s[j] != ',')
				j++;
		}
	}
	return any;
}

/* "+N unit" as date(1) takes it, ISO 8601's P10Y / PT1H, Go's "17520h",
 * Go's N * time.Hour and AddDate(y, m, d), JavaScript's now() + ms. */
static int
durations_written(const char *s, size_t n, int64_t *sum)
{
	size_t i, j, len;
	int64_t x, u;
	int any = 0;

	if (find_ci(s, 0, n, "date") < n)
		for (i = 0; i < n; i++) {
			if (!is_digit((unsigned char)s[i]) || (i > 0 &&
			    (is_ident((unsigned char)s[i - 1]) ||
			    s[i - 1] == '%')))
				continue;
			j = i;
			if (!product_at(s, &j, n, &x))
				continue;
			while (j < n && s[j] == ' ')
				j++;
			if ((u = unit_at(s + j, n - j, &len)) != 0 &&
			    (j + len == n || !is_ident((unsigned char)s[j + len]))) {
				*sum += x * u;
				any = 1;
			}
			i = j;
		}
	/* ISO 8601 (Bicep's dateTimeAdd) and Go (Terraform's timeadd) */
	for (i = 0; i + 2 < n; i++) {
		if ((s[i] != '\'' && s[i] != '"') || (s[i + 1] != 'P' &&
		    !is_digit((unsigned char)s[i + 1])))
			continue;
		for (j = i + 1, x = 0; j < n && s[j] != s[i]; j++) {
			static const char iso[] = "YMWDHMS";
			static const int64_t sec[] = { 365 * DAY, 30 * DAY,
			    7 * DAY, DAY, 3600, 60, 1 };
			static const char go[] = "hms";
			static const int64_t gsec[] = { 3600, 60, 1 };
			const char *p;
			int in_time = 0;

			if (s[j] == 'P')
				continue;
			if (s[j] == 'T') {
				in_time = 1;
				continue;
			}
			if (is_digit((unsigned char)s[j])) {
				/* Saturate: no overflow, and no SAS lives
				 * that long anyway. */
				if (x < 1000000000)
					x = x * 10 + (s[j] - '0');
				continue;
			}
			/* strchr() finds the terminator too: a NUL byte in
			 * the text is no unit. */
			if (s[j] == '\0')
				break;
			if ((p = strchr(go, s[j])) != NULL && s[i + 1] != 'P') {
				*sum += x * gsec[p - go];
				any = 1;
			} else if ((p = strchr(iso, s[j])) != NULL) {
				/* M is months before T, minutes after */
				size_t idx = (size_t)(p - iso);

				if (s[j] == 'M' && (in_time ||
				    memchr(s + i, 'T', j - i) != NULL))
					idx = 5;
				*sum += x * sec[idx];
				any = 1;
			} else
				break;
			x = 0;
		}
	}
	/* Go: N * time.Hour, time.Duration(N) * time.Hour */
	for (i = find_ci(s, 0, n, "time."); i < n;
	    i = find_ci(s, i + 1, n, "time.")) {
		if ((u = unit_at(s + i + 5, n - i - 5, &len)) == 0 ||
		    u >= DAY)
			continue;
		x = 1;
		for (j = i; j > 0 && (s[j - 1] == ' ' || s[j - 1] == '*' ||
		    s[j - 1] == '(' || s[j - 1] == ')' ||
		    is_digit((unsigned char)s[j - 1])); j--)
			;
		/* time.Duration(N) leaves its name between: skip it */
		while (j < i && !is_digit((unsigned char)s[j]))
			j++;
		if (j < i)
			product_at(s, &j, i, &x);
		j = i + 5 + len;
		while (j < n && s[j] == ' ')
			j++;
		if (j < n && s[j] == '*') {
			int64_t y;

			j++;
			if (product_at(s, &j, n, &y))
				x *= y;
		}
		*sum += x * u;
		any = 1;
	}
	if ((i = find_ci(s, 0, n, "adddate(")) < n) {
		int64_t y = 0, m = 0, d = 0;
		size_t k = i + 8;

		product_at(s, &k, n, &y);
		k += k < n && s[k] == ',';
		product_at(s, &k, n, &m);
		k += k < n && s[k] == ',';
		product_at(s, &k, n, &d);
		*sum += y * 365 * DAY + m * 30 * DAY + d * DAY;
		any = 1;
	}
	/* JavaScript: Date.now() + ms, getTime() + ms */
	for (i = 0; i + 3 < n; i++) {
		if (!(starts_ci(s + i, n - i, "now()") ||
		    starts_ci(s + i, n - i, "gettime()") ||
		    starts_ci(s + i, n - i, "valueof()")))
			continue;
		j = i + (size_t)(strchr(s + i, ')') - (s + i)) + 1;
		while (j < n && s[j] == ' ')
			j++;
		if (j < n && s[j] == '+') {
			j++;
			if (product_at(s, &j, n, &x)) {
				*sum += x / 1000;
				any = 1;
			}
		}
	}
	return any;
}

/* A date built from numbers: datetime(2050, 1, 1), OffsetDateTime.of(
 * 2050, ...), new DateTimeOffset(2050, ...), new Date(2050, 0, 1). */
static int
date_numbers(const char *s, size_t n, int64_t *out)
{
	size_t i, j;
	int64_t y, m, d;
	char iso[16];

	for (i = 0; i < n; i++) {
		if (s[i] != '(')
			continue;
		j = i + 1;
		while (j < n && s[j] == ' ')
			j++;
		if (j + 4 > n || !product_at(s, &j, n, &y) || y < 1970 ||
		    y > 9999)
			continue;
		if (j >= n || s[j] != ',' || (j++, !product_at(s, &j, n, &m)) ||
		    j >= n || s[j] != ',' || (j++, !product_at(s, &j, n, &d)))
			continue;
		if (i >= 8 && starts_ci(s + i - 8, n, "new Date"))
			m++;	/* JavaScript counts months from 0 */
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", (int)y, (int)m,
		    (int)d);
		if (date_parse(iso, 10, out) == 0)
			return 1;
	}
	return 0;
}

/* A date written out: 2050-01-01, 9999-12-31T23:59Z, ... */
static int
date_literal(const char *s, size_t n, int64_t *out)
{
	size_t i, j;

	for (i = 0; i + 10 <= n; i++) {
		if (!is_digit((unsigned char)s[i]) || (i > 0 &&
		    is_digit((unsigned char)s[i - 1])) || s[i + 4] != '-' ||
		    s[i + 7] != '-')
			continue;
		for (j = i; j < n && (is_digit((unsigned char)s[j]) ||
		    strchr("-:.TtZz+", s[j]) != NULL); j++)
			;
		if (date_parse(s + i, j - i, out) == 0 ||
		    date_parse(s + i, 10, out) == 0)
			return 1;
	}
	return 0;
}

enum { TIME_UNKNOWN, TIME_AT, TIME_FROM_NOW };

/* What a value says of a time: a date (*t), or now plus *t seconds. */
static int
time_of(const char *s, size_t n, int64_t *t)
{
	int64_t sum = 0;

	if (date_literal(s, n, t) || date_numbers(s, n, t))
		return TIME_AT;
	if (durations_named(s, n, &sum) | durations_written(s, n, &sum)) {
		*t = sum;
		return TIME_FROM_NOW;
	}
	return TIME_UNKNOWN;
}

/* Is s[0..n) a name alone (a variable), and which: $x, ${x}, local.x,
 * var.x, variables('x'), x. */
static int
name_of(const char *s, size_t n, const char **name, size_t *len)
{
	size_t i, b;

	trim(&s, &n);
	while (n > 0 && (*s == '"' || *s == '$' || *s == '{' || *s == '(')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == '"' || s[n - 1] == '}' ||
	    s[n - 1] == ')' || s[n - 1] == '\''))
		n--;
	if (starts_ci(s, n, "variables('") || starts_ci(s, n, "parameters('"))
		for (b = 0; b < n && s[b] != '\''; b++)
			;
	else
		b = (size_t)-1;
	if (b != (size_t)-1) {
		s += b + 1;
		n -= b + 1;
	}
	for (i = 0; i < n; i++)
		if (!is_ident((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != ':')
			return 0;
	if (n == 0 || is_digit((unsigned char)s[0]))
		return 0;
	/* local.x, var.x, $env:x: the last part names it */
	for (b = n; b > 0 && s[b - 1] != '.' && s[b - 1] != ':'; b--)
		;
	*name = s + b;
	*len = n - b;
	return *len > 0;
}

/* The value of name's last literal assignment in the window outside the
 * call (or its first after it): "name = v", "name := v", "$name = v",
 * "name: v" when the name is quoted. */
static int
lookup(const struct call *c, const char *name, size_t k, const char **val,
    size_t *vlen)
{
	const char *s = c->w;
	size_t i, j, n = c->wlen;
	int found = 0;

	for (i = 0; i + k < n; i++) {
		const char *hit;
		int quoted;

		if ((hit = memchr(s + i, name[0], n - k - i)) == NULL)
			break;
		i = (size_t)(hit - s);
		if (i >= c->start && i < c->end)
			continue;
		if (memcmp(s + i, name, k) != 0 || (i > 0 &&
		    is_ident((unsigned char)s[i - 1])) ||
		    is_ident((unsigned char)s[i + k]))
			continue;
		j = i + k;
		quoted = j < n && (s[j] == '"' || s[j] == '\'');
		j += quoted;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j + 1 < n && s[j] == ':' && s[j + 1] == '=')
			j++;
		else if (!(j + 1 < n && ((s[j] == '=' && s[j + 1] != '=' &&
		    s[j + 1] != '>') || (s[j] == ':' && quoted))))
			continue;
		j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		*val = s + j;
		*vlen = stmt_end(s, j, n) - j;
		found = 1;
		if (i > c->end)
			break;
	}
	return found;
}

/* A value, or what the name it is stands for. */
static void
resolve(const struct call *c, const char **v, size_t *n, int tries)
{
	const char *name, *val;
	size_t k, vlen;

	if (tries && name_of(*v, *n, &name, &k) && lookup(c, name, k, &val,
	    &vlen)) {
		*v = val;
		*n = vlen;
	}
}

/* Permission words and their letters. */
static const struct { const char *word; char letter; } perm_words[] = {
	{ "read", 'r' }, { "add", 'a' }, { "create", 'c' }, { "write", 'w' },
	{ "delete", 'd' }, { "deleteversion", 'x' },
	{ "permanentdelete", 'y' }, { "list", 'l' }, { "update", 'u' },
	{ "process", 'p' }, { "tag", 't' }, { "filter", 'f' },
	{ "setimmutabilitypolicy", 'i' }, { "immutability", 'i' },
	{ "execute", 'e' }, { "move", 'm' }, { "manageownership", 'o' },
	{ "manageaccesscontrol", 'p' },
};

static void
letter_add(char *out, char c)
{
	size_t k = strlen(out);

	if (strchr(out, c) == NULL && k + 1 < SAS_VALUE_MAX) {
		out[k] = c;
		out[k + 1] = '\0';
	}
}

/* A word of permissions granted: "Write = true", "write=True",
 * "Write: true", "setWritePermission(true)", "Permissions.Write". */
static int
perm_granted(const char *s, size_t n, size_t i, size_t k)
{
	size_t j = i + k;

	if (j + 10 <= n && starts_ci(s + j, n - j, "permission("))
		j += 11;
	else {
		while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
			j++;
		if (j < n && (s[j] == '=' || s[j] == ':'))
			j++;
		else
			return i > 0 && s[i - 1] == '.';	/* a flag */
	}
	while (j < n && s[j] == ' ')
		j++;
	return starts_ci(s + j, n - j, "true") || (j < n && s[j] == '1');
}

/* What permissions a value grants, as letters: 1, or 0 when it cannot
 * be read. */
static int
permissions_of(const char *s, size_t n, int bare, char *out)
{
	size_t i, k, w, best;
	int words = 0;

	out[0] = '\0';
	trim(&s, &n);
	if (find_ci(s, 0, n, ".all") < n || find_ci(s, 0, n, "all(") < n) {
		strcpy(out, "rwdlacupitfx");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && is_ident((unsigned char)s[i - 1]) &&
		    !(s[i] >= 'A' && s[i] <= 'Z' && !(s[i - 1] >= 'A' &&
		    s[i - 1] <= 'Z')))
			continue;
		best = 0;
		for (w = 0; w < sizeof perm_words / sizeof perm_words[0]; w++)
			if (starts_ci(s + i, n - i, perm_words[w].word) &&
			    strlen(perm_words[w].word) > best) {
				k = strlen(perm_words[w].word);
				if (i + k < n && is_ident((unsigned char)s[i + k]) &&
				    !starts_ci(s + i + k, n - i - k, "permission"))
					continue;
				best = k;
				if (perm_granted(s, n, i, k))
					letter_add(out, perm_words[w].letter);
				words = 1;
			}
	}
	if (words)
		return 1;
	/* Letters: "rwdl", parse("racwdl"), --permissions acdlrw; a name
	 * (perms, permissions) is not letters. */
	for (i = 0; i < n; i++) {
		size_t b;

		if (s[i] != '"' && s[i] != '\'' && (i != 0 || !bare))
			continue;
		b = i + (s[i] == '"' || s[i] == '\'');
		for (k = b; k < n && s[k] != '\0' &&
		    strchr(SAS_LETTERS, s[k]) != NULL; k++)
			;
		if (k > b && (k == n || s[k] == '"' || s[k] == '\'' ||
		    is_space((unsigned char)s[k])) && k - b < SAS_VALUE_MAX) {
			memcpy(out, s + b, k - b);
			out[k - b] = '\0';
			return 1;
		}
	}
	return 0;
}

/* A word in a list ("Blob,File"), not one given a value. */
static int
listed(const char *s, size_t n, size_t end)
{
	while (end < n && s[end] == ' ')
		end++;
	return end == n || s[end] == ',' || s[end] == '"' || s[end] == '\'';
}

/* Services or resource types: letters, or words set true or listed. */
static void
letters_of(const char *s, size_t n, const char *const *words,
    const char *letters, char *out)
{
	size_t i, w;

	out[0] = '\0';
	trim(&s, &n);
	if (find_ci(s, 0, n, ".all") < n) {
		strcpy(out, letters);
		return;
	}
	for (i = 0; i < n; i++)
		for (w = 0; words[w] != NULL; w++)
			if (starts_ci(s + i, n - i, words[w]) && (i == 0 ||
			    !is_ident((unsigned char)s[i - 1])) &&
			    (perm_granted(s, n, i, strlen(words[w])) ||
			    listed(s, n, i + strlen(words[w]))))
				letter_add(out, letters[w]);
	if (out[0] != '\0')
		return;
	/* Letters as written, or in the first literal: parse("bf") */
	for (i = 0; i < n && s[i] != '"' && s[i] != '\''; i++)
		;
	if (i == n)
		i = 0;
	else
		i++;
	for (; i < n && s[i] != '\0' && strchr(letters, s[i]) != NULL; i++)
		letter_add(out, s[i]);
}

/* The protocol a value allows: "https", "https,http", or NULL. */
static const char *
protocol_of(const char *s, size_t n, int https_only_key)
{
	trim(&s, &n);
	if (https_only_key)
		return starts_ci(s, n, "true") ? "https" :
		    starts_ci(s, n, "false") ? "https,http" : NULL;
	if (find_ci(s, 0, n, "http") == n)
		return NULL;
	/* HttpsOrHttp, HttpsAndHttp, HTTPS_HTTP, "https,http" */
	{
		size_t first = find_ci(s, 0, n, "http");
		size_t again = find_ci(s, first + 4, n, "http");

		return again < n ? "https,http" : "https";
	}
}

/* ---- The SAS made ------------------------------------------------------ */

static void
text_copy(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;

	trim(&s, &n);
	for (i = 0; i < n && k + 4 < cap; i++)
		out[k++] = is_space((unsigned char)s[i]) ? ' ' : s[i];
	if (i < n)
		memcpy(out + k, "…", 3), k += 3;
	out[k] = '\0';
}

/* A positional argument by its shape, else by the form's order. */
static void
positional(struct call *c)
{
	const char *order = c->form->order;
	int i, pos = 0;

	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->item[i];
		const char *v = it->val;
		size_t n = it->vlen;
		int64_t t;
		char letters[SAS_VALUE_MAX];

		if (it->key[0] != '\0')
			continue;
		resolve(c, &v, &n, 1);
		if (find_ci(v, 0, n, "ermission") < n)
			strcpy(it->key, "permissions");
		else if (find_ci(v, 0, n, "esourcetype") < n)
			strcpy(it->key, "resourcetypes");
		else if (find_ci(v, 0, n, "services") < n)
			strcpy(it->key, "services");
		else if (time_of(v, n, &t) != TIME_UNKNOWN)
			strcpy(it->key, "expiry");
		else if (order[pos] == 'p' && permissions_of(v, n, 0, letters))
			strcpy(it->key, "permissions");
		if (it->key[0] == '\0' && order[pos] != '\0') {
			static const char *const names[] = { "expiry",
			    "permissions", "services", "resourcetypes" };
			const char *at = strchr("epsr", order[pos]);

			if (at != NULL)
				strcpy(it->key, names[at - "epsr"]);
		}
		if (order[pos] != '\0')
			pos++;
		/* An object of fields (Bicep, ARM): its fields are items. */
		if (n > 0 && v[0] == '{' && c->nitems < ITEMS_MAX - 8)
			items_split(c, v, 1, close_of(v, 0, n));
	}
}

static void
read_time(const struct call *c, const char *const *keys, struct sas_token *t,
    struct made *m, int64_t now, int expiry)
{
	const struct item *it = item_of(c, keys);
	const char *v;
	size_t n;
	int64_t x;
	int kind;

	if (it == NULL) {
		if (expiry && !t->policy_backed) {
			m->unknown |= MADE_EXPIRY;
			snprintf(m->expiry, sizeof m->expiry, "(none given)");
		} else if (expiry)
			t->has_se = 0;
		return;
	}
	v = it->val;
	n = it->vlen;
	if ((kind = time_of(v, n, &x)) == TIME_UNKNOWN) {
		resolve(c, &v, &n, 1);
		kind = time_of(v, n, &x);
	}
	if (kind == TIME_UNKNOWN) {
		if (expiry) {
			m->unknown |= MADE_EXPIRY;
			text_copy(m->expiry, sizeof m->expiry, it->val,
			    it->vlen);
		}
		return;
	}
	if (kind == TIME_FROM_NOW)
		x += now;
	if (expiry) {
		t->has_se = t->se_ok = 1;
		t->se = x;
		if (!t->st_ok) {
			/* Made now: it lasts from now. */
			t->has_st = t->st_ok = 1;
			t->st = now;
		}
	} else {
		t->has_st = t->st_ok = 1;
		t->st = x;
	}
	date_format(x, expiry ? t->se_text : t->st_text);
}

static void
read_permissions(const struct call *c, struct sas_token *t, struct made *m)
{
	const struct item *it = item_of(c, k_perm);
	const char *v;
	size_t n;
	int bare;

	if (it == NULL) {
		if (!t->policy_backed) {
			m->unknown |= MADE_PERMISSIONS;
			snprintf(m->permissions, sizeof m->permissions,
			    "(none given)");
		}
		return;
	}
	v = it->val;
	n = it->vlen;
	/* Terraform's permissions { read = true ... } is an item too. */
	bare = c->form->style == STYLE_CLI || c->form->style == STYLE_PS;
	if (!permissions_of(v, n, bare, t->sp)) {
		resolve(c, &v, &n, 1);
		if (!permissions_of(v, n, bare, t->sp)) {
			m->unknown |= MADE_PERMISSIONS;
			text_copy(m->permissions, sizeof m->permissions,
			    it->val, it->vlen);
			return;
		}
	}
	t->has_sp = 1;
}

static void
read_protocol(const struct call *c, struct sas_token *t, struct made *m)
{
	const struct item *it = item_of(c, k_proto), *https = item_of(c,
	    k_https);
	const char *p = NULL, *v;
	size_t n;

	if (it == NULL && https == NULL) {
		p = c->form->proto == PROTO_HTTPS ? "https" : "https,http";
		if (c->form->style == STYLE_CLI)
			p = "https,http";	/* no --https-only */
	} else {
		const struct item *use = it != NULL ? it : https;

		v = use->val;
		n = use->vlen;
		if ((p = protocol_of(v, n, use == https)) == NULL) {
			resolve(c, &v, &n, 1);
			p = protocol_of(v, n, use == https);
		}
		if (p == NULL) {
			m->unknown |= MADE_PROTOCOL;
			text_copy(m->protocol, sizeof m->protocol, use->val,
			    use->vlen);
			return;
		}
	}
	t->has_spr = 1;
	snprintf(t->spr, sizeof t->spr, "%s", p);
}

static int
is_b64(int c)
{
	return is_ident(c) && c != '_' ? 1 : c == '+' || c == '/' || c == '=';
}

/* The call's text for the report: spaces collapsed, a run of 40 base64
 * characters or more (a key, a signature; no name is that long) cut to
 * its first 3, and any sig= value redacted. */
static void
shown_of(const struct call *c, char *out, size_t cap)
{
	char flat[GEN_SHOWN_MAX * 4], cut[GEN_SHOWN_MAX * 2];
	size_t i, k = 0, j, run, n = 0;
	size_t end = c->end < c->wlen ? c->end + 1 : c->wlen;

	for (i = c->start; i < end && k + 1 < sizeof flat; i++) {
		char ch = c->w[i];

		if (is_space((unsigned char)ch) || ch == '`' || (ch == '\\' &&
		    i + 1 < end && c->w[i + 1] == '\n')) {
			if (k > 0 && flat[k - 1] != ' ')
				flat[k++] = ' ';
			continue;
		}
		flat[k++] = ch;
	}
	for (i = 0; i < k && n + 16 < sizeof cut; i += run) {
		for (run = 0; i + run < k && is_b64((unsigned char)flat[i +
		    run]); run++)
			;
		if (run >= 40) {
			memcpy(cut + n, flat + i, 3);
			memcpy(cut + n + 3, "…[redacted]", 13);
			n += 16;
			continue;
		}
		run = run == 0 ? 1 : run;
		for (j = 0; j < run && n + 16 < sizeof cut; j++)
			cut[n++] = flat[i + j];
	}
	if (i < k || end < c->end) {
		/* The loops may have filled cut to its last byte. */
		if (n + 4 > sizeof cut)
			n = sizeof cut - 4;
		memcpy(cut + n, "…", 3);
		n += 3;
	}
	cut[n] = '\0';
	redact_signatures(cut, n, out, cap);
	/* Cut short at a character's start, not inside one. */
	n = strlen(out);
	while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80 &&
	    n + 1 >= cap)
		out[--n] = '\0';
}

/* "az storage container generate-sas": the command as written. */
static void
by_of(struct call *c, size_t a)
{
	size_t line, st, i;

	snprintf(c->by, sizeof c->by, "%s", c->form->by != NULL ?
	    c->form->by : c->form->anchor);
	if (c->form->style != STYLE_CLI)
		return;
	for (line = a; line > 0 && c->w[line - 1] != '\n'; line--)
		;
	st = find_ci(c->w, line, a, "storage ");
	if (st == a)
		return;
	for (i = st + 8; i < a && c->w[i] != ' '; i++)
		;
	snprintf(c->by, sizeof c->by, "az storage %.*s generate-sas",
	    (int)(i - st - 8 > 20 ? 20 : i - st - 8), c->w + st + 8);
}

/* The SAS the call would make. */
static void
made_of(struct call *c, int64_t now, struct gen_sas *g)
{
	struct sas_token *t = &g->tok;
	struct made *m = &g->made;
	const struct item *it;
	unsigned char d[SHA256_SIZE];
	struct sha256 h;

	memset(g, 0, sizeof *g);
	m->by = c->by;
	t->kind = c->form->kind;
	if (strcmp(c->by, "az storage account generate-sas") == 0)
		t->kind = SAS_ACCOUNT;
	if (item_of(c, k_user) != NULL || (c->form->kind == SAS_SERVICE &&
	    c->delegation))
		t->kind = SAS_USER_DELEGATION;
	if ((it = item_of(c, k_policy)) != NULL) {
		t->policy_backed = t->has_si = 1;
		text_copy(t->si, sizeof t->si, it->val, it->vlen);
	}
	if ((it = item_of(c, k_services)) != NULL)
		letters_of(it->val, it->vlen, w_services, "bfqt", t->ss);
	if ((it = item_of(c, k_types)) != NULL)
		letters_of(it->val, it->vlen, w_types, "sco", t->srt);
	read_time(c, k_start, t, m, now, 0);
	read_time(c, k_expiry, t, m, now, 1);
	if ((m->unknown & MADE_EXPIRY) && t->policy_backed)
		snprintf(m->expiry, sizeof m->expiry, "(in stored access "
		    "policy %.20s)", t->si);
	read_permissions(c, t, m);
	read_protocol(c, t, m);
	t->nparams = 1;
	shown_of(c, g->shown, sizeof g->shown);
	snprintf(t->shown, sizeof t->shown, "%s", g->shown);
	/* Its name: the call as written, hashed (no secret in it to
	 * protect, but one shape for every fingerprint). */
	sha256_init(&h);
	sha256_update(&h, c->by, strlen(c->by));
	sha256_update(&h, c->w + c->start, c->end - c->start);
	sha256_final(&h, d);
	memcpy(t->sig, d, sizeof t->sig);
}

/* Signed with the storage emulator's published key (its account, its
 * connection string, the key itself): nothing can leak. */
static int
emulator(const struct call *c)
{
	static const char *const marks[] = { "devstoreaccount1",
	    "UseDevelopmentStorage=true", "Eby8vdM02xNOcqFl", NULL };
	size_t end = c->end < c->wlen ? c->end + 1 : c->wlen;
	int k;

	for (k = 0; marks[k] != NULL; k++)
		if (find_ci(c->w, c->start, end, marks[k]) < end)
			return 1;
	return 0;
}

/*
 * The call whose anchor, of form f, has its "sas" at w->buf[i]: read,
 * judged and handed to fn, whose return goes to *fr. Returns 0 when it
 * was, 1 when there is no call to read there (or the emulator's).
 * *delegation: whether the window says "delegation", asked once a window.
 */
static int
call_at(const struct window *w, size_t i, const struct form *f,
    int *delegation, int64_t now, gen_fn fn, void *user, int *fr)
{
	struct call c;
	struct gen_sas g;

	if (*delegation < 0)
		*delegation = find_ci(w->buf, 0, w->len, "delegation") <
		    w->len;
	memset(&c, 0, sizeof c);
	c.delegation = *delegation;
	c.form = f;
	c.w = w->buf;
	c.wlen = w->len;
	if (call_read(&c, i - sas_offset(f->anchor)) != 0 || emulator(&c))
		return 1;
	by_of(&c, i - sas_offset(f->anchor));
	positional(&c);
	made_of(&c, now, &g);
	*fr = fn(user, &g);
	return 0;
}

/* Whether text[i..] starts "sas" in any case. */
static int
sas_at(const char *text, size_t i)
{
	return lower((unsigned char)text[i]) == 's' &&
	    lower((unsigned char)text[i + 1]) == 'a' &&
	    lower((unsigned char)text[i + 2]) == 's';
}

/*
 * A line too long for one window (a minified bundle), or a window of a
 * longer one: each anchor read in a window of the text around it, from
 * GEN_WINDOW / 4 bytes before it. In a window of a long line, only the
 * anchors before its limit: the next window holds the others whole.
 */
static int
scan_long(const struct diff_line *line, int64_t now, char *buf, gen_fn fn,
    void *user)
{
	struct window w;
	const struct form *f;
	size_t i, lo, hi;
	int calls = 0, delegation, fr = 0;

	w.buf = buf;
	for (i = 0; i + 3 <= line->len && i < line->limit &&
	    calls < GEN_CALLS_MAX; i++) {
		if (!sas_at(line->text, i) ||
		    (f = form_at(line->text, 0, i, line->len)) == NULL)
			continue;
		lo = i > GEN_WINDOW / 4 ? i - GEN_WINDOW / 4 : 0;
		hi = line->len - lo > GEN_WINDOW - 1 ? lo + GEN_WINDOW - 1 :
		    line->len;
		/* As window_build() leaves it: the text, then '\n'. */
		memcpy(buf, line->text + lo, hi - lo);
		buf[hi - lo] = '\n';
		w.len = hi - lo + 1;
		w.line = 0;
		w.line_end = hi - lo;
		delegation = -1;
		calls++;
		if (call_at(&w, i - lo, f, &delegation, now, fn, user,
		    &fr) != 0)
			continue;
		if (fr != 0)
			return fr;
		i += 2;
	}
	return 0;
}

int
gen_scan(const struct diff_line *line, int64_t now, char *buf, gen_fn fn,
    void *user)
{
	struct window w;
	size_t i;
	int calls = 0, delegation, fr = 0;
	const struct form *f;

	/* A line its window cannot hold (window_build() leaves it out). */
	if (!line->first || !line->last || line->len + 1 > GEN_WINDOW)
		return scan_long(line, now, buf, fn, user);
	w.buf = buf;
	window_build(&w, line);
	delegation = -1;
	/* A line is read for GEN_CALLS_MAX calls at most: each reads a
	 * window, and a line of nothing but anchors must stay linear. */
	for (i = w.line; i + 3 <= w.line_end && calls < GEN_CALLS_MAX; i++) {
		if (!sas_at(w.buf, i) ||
		    (f = form_at(w.buf, w.line, i, w.line_end)) == NULL)
			continue;
		calls++;
		if (call_at(&w, i, f, &delegation, now, fn, user, &fr) != 0)
			continue;
		if (fr != 0)
			return fr;
		i += 2;
	}
	return 0;
}
