/*
 * gen.c - writes the benchmark corpora to standard output, the same bytes
 * for the same arguments on every machine (own PRNG, no locale, no clock,
 * no network).
 *
 *   gen diff   SIZE      git log -p text of about SIZE bytes, no token
 *   gen tokens SIZE [MB] the same, plus an added line holding a (made-up)
 *                        SAS token every MB MiB (default 4)
 *   gen line   SIZE      one commit adding one line of SIZE bytes
 *                        (minified-JavaScript-like, a token every 64 MiB)
 *   gen repo   COMMITS   a git fast-import stream: a linear history of
 *                        COMMITS commits, each editing a few of 300 files
 *
 * SIZE takes K, M, G suffixes (powers of 1024). The diff is complete:
 * generation stops after the hunk, file and commit that cross SIZE, so
 * every hunk's counts hold and sasguard never sees a cut-off diff.
 *
 * The text is meant to look like real history to a scanner: many commits,
 * files and hunks, -U3 context, code-like lines of mostly 10-100 bytes with
 * some long ones (generated tables, minified code, base64 blobs), and the
 * near misses real code is full of ("signal", "sigaction", "sig = ...",
 * now and then "sig=" that is not a token).
 *
 * The tokens' signatures are 32 bytes from the PRNG: they match no key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBUF	(1 << 20)

static uint64_t rng_state = 0x5a5a9e3779b97f4aULL;

static char out[OUTBUF];
static size_t out_len;
static unsigned long long total;

/* splitmix64: tiny, fast, and the same everywhere. */
static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static unsigned
pick(unsigned n)
{
	return (unsigned)(((rnd() >> 32) * n) >> 32);
}

static void
flush_out(void)
{
	if (out_len > 0 && fwrite(out, 1, out_len, stdout) != out_len) {
		perror("gen: write");
		exit(1);
	}
	out_len = 0;
}

static void
put(const char *s, size_t n)
{
	total += n;
	while (n > 0) {
		size_t k = OUTBUF - out_len;

		if (k == 0) {
			flush_out();
			continue;
		}
		if (k > n)
			k = n;
		memcpy(out + out_len, s, k);
		out_len += k;
		s += k;
		n -= k;
	}
}

static void
puts_(const char *s)
{
	put(s, strlen(s));
}

/* ---- Words and lines ----------------------------------------------- */

static const char *const idents[] = {
	"buf", "len", "ctx", "node", "item", "result", "value", "index",
	"count", "offset", "request", "response", "config", "options",
	"handler", "callback", "error", "status", "path", "name", "data",
	"size", "parent", "child", "entry", "table", "cache", "stream",
	"reader", "writer", "token", "key", "hash", "list", "map", "queue",
	"signal", "signature", "sigset", "timer", "client", "server",
	"session", "user", "account", "blob", "container", "commit", "tree",
	"object", "ref", "head", "diff", "patch", "line", "hunk", "state",
};
#define NIDENTS (sizeof idents / sizeof idents[0])

static const char *const types[] = {
	"int", "size_t", "char *", "const char *", "struct buf *", "long",
	"unsigned", "uint64_t", "bool", "void *", "struct strbuf *",
};
#define NTYPES (sizeof types / sizeof types[0])

static const char *const funcs[] = {
	"strbuf_addf", "xmalloc", "memcpy", "die", "error", "free",
	"read_in_full", "write_or_die", "hashmap_get", "string_list_append",
	"printf", "fprintf", "strcmp", "parse_options", "git_config_get",
	"sigaction", "signal", "sigprocmask", "json_encode", "fetch",
	"console.log", "self.assertEqual", "os.path.join", "requests.get",
	"logger.debug", "append", "Promise.resolve", "Object.keys",
};
#define NFUNCS (sizeof funcs / sizeof funcs[0])

static const char *
ident(void)
{
	return idents[pick(NIDENTS)];
}

static int
indent(char *b, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		b[i] = '\t';
	return depth;
}

/* A few hundred to a few thousand bytes of one kind of long line. */
static int
long_line(char *b, size_t cap)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789+/";
	size_t want = 200 + pick(pick(8) == 0 ? 8000 : 1200), n = 0;
	int kind = (int)pick(3);

	if (want > cap - 64)
		want = cap - 64;
	switch (kind) {
	case 0:		/* a base64 blob in a data file */
		n += (size_t)snprintf(b, cap, "  \"%s\": \"", ident());
		while (n < want)
			b[n++] = b64[pick(64)];
		b[n++] = '"';
		b[n++] = ',';
		break;
	case 1:		/* a row of a generated table */
		n += (size_t)snprintf(b, cap, "static const uint32_t %s_tab[] "
		    "= {", ident());
		while (n < want)
			n += (size_t)snprintf(b + n, cap - n, " 0x%08x,",
			    (unsigned)rnd());
		b[n++] = '}';
		b[n++] = ';';
		break;
	default:	/* minified code */
		while (n < want)
			n += (size_t)snprintf(b + n, cap - n, "%s.%s(%s,"
			    "function(e){return e.%s||%u});", ident(),
			    ident(), ident(), ident(), pick(1000));
		break;
	}
	return (int)n;
}

/*
 * One line of code-like text into b (no newline); returns its length.
 * Mostly short statements, some blank lines and comments, rarely long.
 */
static int
code_line(char *b, size_t cap)
{
	int n, r = (int)pick(1000);

	if (r < 80)
		return 0;
	if (r < 84)
		return long_line(b, cap);
	n = indent(b, (int)pick(4));
	if (r < 180)
		n += snprintf(b + n, cap - (size_t)n, "/* %s the %s before "
		    "the %s is %s */", ident(), ident(), ident(), ident());
	else if (r < 330)
		n += snprintf(b + n, cap - (size_t)n, "%s = %s(%s, %s);",
		    ident(), funcs[pick(NFUNCS)], ident(), ident());
	else if (r < 430)
		n += snprintf(b + n, cap - (size_t)n, "if (%s->%s == %u)",
		    ident(), ident(), pick(256));
	else if (r < 500)
		n += snprintf(b + n, cap - (size_t)n, "%s %s_%s;",
		    types[pick(NTYPES)], ident(), ident());
	else if (r < 560)
		n += snprintf(b + n, cap - (size_t)n, "return %s;", ident());
	else if (r < 640)
		n += snprintf(b + n, cap - (size_t)n, "}");
	else if (r < 700)
		n += snprintf(b + n, cap - (size_t)n, "%s(\"%s %s: %%s\\n\", "
		    "%s);", funcs[pick(NFUNCS)], ident(), ident(), ident());
	else if (r < 760)
		n += snprintf(b + n, cap - (size_t)n, "for (%s = 0; %s < "
		    "%s->%s; %s++) {", ident(), ident(), ident(), ident(),
		    ident());
	else if (r < 800)
		n += snprintf(b + n, cap - (size_t)n, "sig = %s(%s);",
		    funcs[pick(NFUNCS)], ident());
	else if (r < 840)
		n += snprintf(b + n, cap - (size_t)n, "url = \"https://%s."
		    "example.com/%s/%s?page=%u&sort=%s\"", ident(), ident(),
		    ident(), pick(100), ident());
	else if (r < 841 && pick(8) == 0)
		/* The rare real "sig=" that is no token. */
		n += snprintf(b + n, cap - (size_t)n, "sig=inspect.signature"
		    "(%s)", ident());
	else
		n += snprintf(b + n, cap - (size_t)n, "%s.%s = %s.%s(%s);",
		    ident(), ident(), ident(), ident(), ident());
	return n;
}

/* A made-up token (32 PRNG bytes as its signature), in one of 8 forms. */
static int
token_line(char *b, size_t cap)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789+/";
	static const char *const forms[] = {
		"\turl = \"https://acct%u.blob.core.windows.net/data/x.csv?"
		    "sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupx&"
		    "se=2051-01-01T00:00:00Z&st=2021-01-01T00:00:00Z&"
		    "spr=https&sig=%s\"",
		"AZURE_SAS=\"sv=2021-08-06&sr=c&sp=rl&"
		    "st=2024-03-01T00:00:00Z&se=2024-03-02T00:00:00Z&"
		    "spr=https&sig=%s\" # acct%u",
	};
	char sig[80];
	uint64_t save = rng_state;
	unsigned which = pick(8), i, k = 0;
	unsigned char raw[33];

	/* Eight fixed signatures, whatever the PRNG did so far. */
	rng_state = 0x1234567ULL * (which + 1);
	for (i = 0; i < 32; i++)
		raw[i] = (unsigned char)rnd();
	raw[32] = 0;
	rng_state = save;
	for (i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 |
		    (unsigned)(i + 1 < 32 ? raw[i + 1] : 0) << 8 |
		    (unsigned)(i + 2 < 32 ? raw[i + 2] : 0);

		sig[k++] = b64[v >> 18 & 63];
		sig[k++] = b64[v >> 12 & 63];
		sig[k++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
		sig[k++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	/* 32 bytes: 43 characters and one '=', written as %3D. */
	memcpy(sig + 43, "%3D", 4);
	if (which & 1)
		return snprintf(b, cap, forms[1], sig, which);
	return snprintf(b, cap, forms[0], which, sig);
}

/* ---- The diff ------------------------------------------------------- */

static unsigned long long next_token = ~0ULL, token_every;

static void
hex_id(char *b, int n)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < n; i++)
		b[i] = hex[pick(16)];
	b[n] = '\0';
}

static void
commit_header(void)
{
	char id[41], line[512];
	int n;

	hex_id(id, 40);
	n = snprintf(line, sizeof line, "commit %s\nAuthor: %s %s <%s@"
	    "example.com>\nDate:   Mon Mar %u 12:%02u:%02u 2024 +0100\n\n"
	    "    %s: fix the %s of %s\n\n    The %s was read before the %s "
	    "was set.\n\n", id, ident(), ident(), ident(), 1 + pick(28),
	    pick(60), pick(60), ident(), ident(), ident(), ident(), ident());
	put(line, (size_t)n);
}

static void
file_path(char *b, size_t cap)
{
	static const char *const dirs[] = { "src", "lib", "builtin",
	    "t", "docs", "contrib/completion", "web/static/js", "pkg/api" };
	static const char *const exts[] = { "c", "h", "py", "js", "go",
	    "md", "json", "sh" };

	snprintf(b, cap, "%s/%s_%s.%s", dirs[pick(8)], ident(), ident(),
	    exts[pick(8)]);
}

/*
 * One hunk: up to 3 lines of context, a run of removed and added lines,
 * 3 of context; the lines go to a scratch buffer first so the header can
 * carry the counts.
 */
static void
hunk(long *old_at, long *new_at)
{
	static char body[1 << 20];
	char line[16384], head[128];
	size_t bl = 0;
	long olds = 0, news = 0;
	int i, nctx = (int)pick(4), nminus = (int)pick(8),
	    nplus = 1 + (int)pick(pick(10) == 0 ? 60 : 12), n;

	for (i = 0; i < nctx + nminus + nplus + 3; i++) {
		char tag = i < nctx || i >= nctx + nminus + nplus ? ' ' :
		    i < nctx + nminus ? '-' : '+';

		if (tag == '+' && total + bl >= next_token) {
			n = token_line(line, sizeof line);
			next_token += token_every;
		} else
			n = code_line(line, sizeof line);
		if (bl + (size_t)n + 2 > sizeof body)
			break;
		body[bl++] = tag;
		memcpy(body + bl, line, (size_t)n);
		bl += (size_t)n;
		body[bl++] = '\n';
		if (tag != '+')
			olds++;
		if (tag != '-')
			news++;
	}
	n = snprintf(head, sizeof head, "@@ -%ld,%ld +%ld,%ld @@ %s %s(%s)\n",
	    *old_at, olds, *new_at, news, types[pick(NTYPES)], ident(),
	    ident());
	put(head, (size_t)n);
	put(body, bl);
	*old_at += olds + 5 + pick(40);
	*new_at += news + 5 + pick(40);
}

static void
file_diff(void)
{
	char path[256], line[1024];
	long old_at = 1 + pick(50), new_at = old_at;
	int n, h, hunks = 1 + (int)pick(4);

	file_path(path, sizeof path);
	n = snprintf(line, sizeof line, "diff --git a/%s b/%s\nindex "
	    "%07x..%07x 100644\n--- a/%s\n+++ b/%s\n", path, path,
	    (unsigned)(rnd() & 0xfffffff), (unsigned)(rnd() & 0xfffffff),
	    path, path);
	put(line, (size_t)n);
	for (h = 0; h < hunks; h++)
		hunk(&old_at, &new_at);
}

static void
gen_diff(unsigned long long size)
{
	/* Stop after the file that crosses size: a 5 KB diff stays small. */
	while (total < size) {
		int f, files = 1 + (int)pick(5);

		commit_header();
		for (f = 0; f < files && total < size; f++)
			file_diff();
	}
}

/* One added line of `size` bytes: minified code, a token every 64 MiB. */
static void
gen_line(unsigned long long size)
{
	char chunk[16384];
	unsigned long long at = 0, tok = 32ULL << 20;
	int n;

	puts_("commit 0123456789abcdef0123456789abcdef01234567\n"
	    "Author: build bot <bot@example.com>\n"
	    "Date:   Mon Mar 4 12:00:00 2024 +0100\n\n"
	    "    dist: rebuild the bundle\n\n"
	    "diff --git a/dist/app.min.js b/dist/app.min.js\n"
	    "new file mode 100644\nindex 0000000..89abcde\n"
	    "--- /dev/null\n+++ b/dist/app.min.js\n@@ -0,0 +1 @@\n+");
	while (at < size) {
		if (at >= tok) {
			n = token_line(chunk, sizeof chunk);
			tok += 64ULL << 20;
		} else {
			n = long_line(chunk, sizeof chunk);
		}
		if ((unsigned long long)n > size - at)
			n = (int)(size - at);
		/* A space ends a token's run, as between statements. */
		put(chunk, (size_t)n);
		put(" ", 1);
		at += (unsigned long long)n + 1;
	}
	put("\n", 1);
}

/* ---- A repository, as a git fast-import stream ----------------------- */

#define REPO_FILES	300
#define FILE_LINES	4000

struct file {
	char path[128];
	char **line;
	int n;
};

static char *
new_line(void)
{
	char b[16384];
	int n = code_line(b, sizeof b);
	char *p = malloc((size_t)n + 1);

	if (p == NULL) {
		perror("gen");
		exit(1);
	}
	memcpy(p, b, (size_t)n);
	p[n] = '\0';
	return p;
}

/* Deletes up to 4 lines somewhere and puts 1 to 8 new ones there. */
static void
file_edit(struct file *f)
{
	int at = f->n > 0 ? (int)pick((unsigned)f->n) : 0;
	int del = (int)pick(5), ins = 1 + (int)pick(8), i;

	if (del > f->n - at)
		del = f->n - at;
	if (f->n - del + ins > FILE_LINES)
		ins = 0;
	for (i = 0; i < del; i++)
		free(f->line[at + i]);
	memmove(f->line + at + ins, f->line + at + del,
	    (size_t)(f->n - at - del) * sizeof f->line[0]);
	for (i = 0; i < ins; i++)
		f->line[at + i] = new_line();
	f->n += ins - del;
}

static void
file_emit(const struct file *f)
{
	size_t len = 0;
	char head[256];
	int i;

	for (i = 0; i < f->n; i++)
		len += strlen(f->line[i]) + 1;
	snprintf(head, sizeof head, "M 100644 inline %s\ndata %zu\n",
	    f->path, len);
	puts_(head);
	for (i = 0; i < f->n; i++) {
		puts_(f->line[i]);
		put("\n", 1);
	}
	put("\n", 1);
}

static void
gen_repo(unsigned long long commits)
{
	static struct file files[REPO_FILES];
	unsigned long long k;
	char head[512], msg[256];
	int i, nfiles = 0;

	for (k = 1; k <= commits; k++) {
		int m, edits = 1 + (int)pick(3);

		m = snprintf(msg, sizeof msg, "%s: fix the %s of %s\n",
		    ident(), ident(), ident());
		snprintf(head, sizeof head, "commit refs/heads/main\nmark :%llu"
		    "\ncommitter Dev <dev@example.com> %llu +0000\ndata %d\n"
		    "%s", k, 1700000000ULL + k * 60, m, msg);
		puts_(head);
		if (k > 1) {
			snprintf(head, sizeof head, "from :%llu\n", k - 1);
			puts_(head);
		}
		if (nfiles < REPO_FILES && (k == 1 || pick(4) == 0)) {
			struct file *f = &files[nfiles++];

			file_path(f->path, sizeof f->path);
			snprintf(f->path + strlen(f->path), 16, ".%d", nfiles);
			f->line = calloc(FILE_LINES, sizeof f->line[0]);
			if (f->line == NULL) {
				perror("gen");
				exit(1);
			}
			f->n = 40 + (int)pick(300);
			for (i = 0; i < f->n; i++)
				f->line[i] = new_line();
			file_emit(f);
		}
		for (i = 0; i < edits; i++) {
			struct file *f = &files[pick((unsigned)nfiles)];
			int h, hunks = 1 + (int)pick(3);

			for (h = 0; h < hunks; h++)
				file_edit(f);
			file_emit(f);
		}
		put("\n", 1);
	}
}

static unsigned long long
parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'G': case 'g': v <<= 30; break;
	case 'M': case 'm': v <<= 20; break;
	case 'K': case 'k': v <<= 10; break;
	case '\0': break;
	default:
		fprintf(stderr, "gen: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	unsigned long long size;

	if (argc < 3) {
		fputs("usage: gen diff|tokens|line SIZE [MB] | "
		    "gen repo COMMITS\n", stderr);
		return 2;
	}
	size = parse_size(argv[2]);
	if (strcmp(argv[1], "diff") == 0)
		gen_diff(size);
	else if (strcmp(argv[1], "tokens") == 0) {
		token_every = (argc > 3 ? parse_size(argv[3]) : 4) << 20;
		next_token = token_every / 2;
		gen_diff(size);
	} else if (strcmp(argv[1], "line") == 0)
		gen_line(size);
	else if (strcmp(argv[1], "repo") == 0)
		gen_repo(size);
	else {
		fputs("gen: mode is diff, tokens, line or repo\n", stderr);
		return 2;
	}
	flush_out();
	return fflush(stdout) == 0 ? 0 : 1;
}
