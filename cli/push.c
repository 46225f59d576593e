/*
 * push.c - sasguard pre-receive: the server's last line of defence.
 *
 * git hands the hook one "<old> <new> <ref>" line per ref. For each ref,
 * in order, what it brings and no earlier ref of the push brings is
 * scanned (git log --stdin --not --all: the refs as they were before the
 * push, also inside git's quarantine): every new commit once, its diff
 * with context (a token completed by unchanged lines), merges by --cc
 * (every line a merge's result has that none of its parents has), its
 * message, the names of
 * the files it adds, and each file git takes for binary, read whole and
 * decoded (blob.h). A tag object is scanned with its message; a ref to a
 * tree or a blob is scanned whole. Refs that bring nothing cost nothing.
 *
 * Policy is the server's alone: git config sasguard.config (never a
 * pushed file), else /etc/sasguard/rules.ini, else the built-in rules,
 * with inline markers off unless those rules turn them on. [sasguard]
 * timeout bounds the whole scan (the watchdog in git.c), and fail says
 * what a timeout or any failure means: closed refuses the push.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "cli.h"
#include "git.h"
#include "meta.h"
#include "redact.h"
#include "report.h"
#include "scan.h"

#define UPDATES_MAX (64 * 1024 * 1024)
#define ID_MAX 65

struct update {
	char old[ID_MAX], new[ID_MAX];
	char *ref;
	int skip;		/* brings nothing new, or a deletion */
	char *peeled;		/* new, through its tags */
	char kind[32];		/* ... is a "commit", "tree" or "blob" */
};

struct push {
	struct update *u;
	size_t n;
	char *input;		/* git's lines, for a chained hook */
	size_t inputlen;
	const char *hook;
	int gitlab;
	FILE *err;		/* stderr, or under GitLab a buffer */
	char *errbuf;
	size_t errlen;
	struct rules rules;
	int have_rules;
	char why[8192];		/* the first failure */
};

/* Every line a pusher sees starts "sasguard: "; under GitLab every line
 * also starts "GL-HOOK-ERR: " (out_flush), so its web UI shows what was
 * found, where, and how to fix it. */
static void
say_refusal(const struct push *p, const char *fmt, const char *arg)
{
	fprintf(p->err, "sasguard: ");
	fprintf(p->err, fmt, arg);
	fputc('\n', p->err);
}

static int
hex_id(const char *s, size_t n)
{
	return (n == 40 || n == 64) && strspn(s, "0123456789abcdef") >= n;
}

/* Reads git's lines whole before anything else. */
static int
updates_read(struct push *p)
{
	size_t cap = 4096, len = 0;
	ssize_t r;
	char *line, *next, *end;

	if ((p->input = malloc(cap)) == NULL)
		return -1;
	for (;;) {
		if (len + 1 >= cap) {
			char *q;

			if (cap >= UPDATES_MAX)
				return -1;
			if ((q = realloc(p->input, cap * 2)) == NULL)
				return -1;
			p->input = q;
			cap *= 2;
		}
		r = read(0, p->input + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	p->input[len] = '\0';
	p->inputlen = len;
	for (line = p->input; line < p->input + len; line = next) {
		struct update *u;
		char *sp1, *sp2;
		void *q;

		end = memchr(line, '\n', (size_t)(p->input + len - line));
		next = end != NULL ? end + 1 : p->input + len;
		if (end == NULL)
			end = p->input + len;
		sp1 = memchr(line, ' ', (size_t)(end - line));
		sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ',
		    (size_t)(end - sp1 - 1)) : NULL;
		if (sp2 == NULL || !hex_id(line, (size_t)(sp1 - line)) ||
		    !hex_id(sp1 + 1, (size_t)(sp2 - sp1 - 1)) ||
		    sp2 + 1 >= end) {
			errno = EINVAL;
			return -2;
		}
		if ((q = realloc(p->u, (p->n + 1) * sizeof *p->u)) == NULL)
			return -1;
		p->u = q;
		u = &p->u[p->n];
		memset(u, 0, sizeof *u);
		snprintf(u->old, sizeof u->old, "%.*s", (int)(sp1 - line),
		    line);
		snprintf(u->new, sizeof u->new, "%.*s",
		    (int)(sp2 - sp1 - 1), sp1 + 1);
		if ((u->ref = malloc((size_t)(end - sp2))) == NULL)
			return -1;
		memcpy(u->ref, sp2 + 1, (size_t)(end - sp2 - 1));
		u->ref[end - sp2 - 1] = '\0';
		u->skip = strspn(u->new, "0") == strlen(u->new);
		p->n++;
	}
	return 0;
}

/* The server's rules: its git config, else /etc/sasguard/rules.ini, else
 * the built-in ones. Never anything from the push. */
static int
settings_load(struct push *p)
{
	static const char *const key[] = { "sasguard.config", NULL };
	char path[4096], why[512];
	const char *config = NULL;
	int rc;

	rc = git_read(GIT_CONFIG_GET, key, path, sizeof path, why,
	    sizeof why);
	if (rc < 0) {
		say_refusal(p, "push refused: cannot read the server's git "
		    "config (%s). Ask the server admin.", why);
		return -1;
	}
	if (rc == 0 && path[0] != '\0')
		config = path;
	else if (access("/etc/sasguard/rules.ini", F_OK) == 0)
		config = "/etc/sasguard/rules.ini";
	if (cli_rules(&p->rules, config, 1) != 0) {
		say_refusal(p, "push refused: cannot read sasguard's rules on "
		    "the server%s. Ask the server admin.", " (see above)");
		return -1;
	}
	p->have_rules = 1;
	return 0;
}

/* Control characters out of a pusher's words before they reach a log. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* git push -o sasguard.bypass=REASON, when the server allows it and can
 * log it: 1 bypass granted, 0 check as usual. */
static int
bypass_wanted(struct push *p)
{
	char name[64], reason[1024] = "", who[256], line[16384], when[32];
	char repo[4096], what[8192];
	const char *v, *c = getenv("GIT_PUSH_OPTION_COUNT");
	long i, n = c != NULL ? strtol(c, NULL, 10) : 0;
	int want = 0;
	size_t k, o;
	FILE *log;
	time_t t;

	for (i = 0; i < n && i < 1000; i++) {
		snprintf(name, sizeof name, "GIT_PUSH_OPTION_%ld", i);
		if ((v = getenv(name)) == NULL)
			continue;
		if (strncmp(v, "sasguard.bypass=", 16) == 0) {
			want = 1;
			snprintf(reason, sizeof reason, "%s", v + 16);
		} else if (strcmp(v, "sasguard.bypass") == 0) {
			want = 1;
			reason[0] = '\0';
		}
	}
	if (!want)
		return 0;
	if (!p->rules.bypass) {
		fprintf(p->err, "sasguard: bypass requested, but this server "
		    "does not allow bypasses; checking the push as usual.\n");
		return 0;
	}
	if (reason[0] == '\0') {
		fprintf(p->err, "sasguard: bypass refused: give a reason: git "
		    "push -o 'sasguard.bypass=<why>'; checking the push as "
		    "usual.\n");
		return 0;
	}
	if (p->rules.bypass_log[0] == '\0') {
		fprintf(p->err, "sasguard: bypass refused: the server has no "
		    "bypass_log to record it in; checking the push as "
		    "usual.\n");
		return 0;
	}
	v = getenv("GL_USERNAME");
	if (v == NULL) v = getenv("GITHUB_USER_LOGIN");
	if (v == NULL) v = getenv("GITEA_PUSHER_NAME");
	if (v == NULL) v = getenv("REMOTE_USER");
	if (v == NULL) v = getenv("USER");
	snprintf(who, sizeof who, "%s", v != NULL ? v : "unknown");
	one_line(who);
	one_line(reason);
	t = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if (getcwd(repo, sizeof repo) == NULL)
		snprintf(repo, sizeof repo, "?");
	one_line(repo);
	for (k = 0, o = 0; k < p->n && o < sizeof what; k++)
		o += (size_t)snprintf(what + o, sizeof what - o, "%s%s %s..%s",
		    k ? " " : "", p->u[k].ref, p->u[k].old, p->u[k].new);
	one_line(what);
	snprintf(line, sizeof line, "%s\t%s\t%s\t%s\t%s", when, who, repo,
	    what, reason);
	if ((log = fopen(p->rules.bypass_log, "a")) == NULL ||
	    fprintf(log, "%s\n", line) < 0 || fclose(log) != 0) {
		fprintf(p->err, "sasguard: bypass refused: cannot append to "
		    "the server's bypass log; checking the push as usual.\n");
		return 0;
	}
	fprintf(p->err, "sasguard: !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
	    "sasguard: !!! BYPASS: this push was NOT checked for SAS tokens.\n"
	    "sasguard: !!! Reason given: %s\n"
	    "sasguard: !!! Logged for the security team as %s.\n"
	    "sasguard: !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n", reason, who);
	return 1;
}

static int
fail(struct push *p, const char *fmt, const char *a, const char *b)
{
	if (p->why[0] == '\0')
		snprintf(p->why, sizeof p->why, fmt, a, b);
	return -1;
}

/*
 * Peels ref i's tip through its tags, scanning each tag object (its
 * message ships with every clone), and notes what the tip names.
 */
static int
ref_peel(struct push *p, struct scan *s, struct meta *m, size_t i)
{
	struct update *u = &p->u[i];
	char type[32], *data, *id;
	size_t len, k;
	int r;

	if ((id = strdup(u->new)) == NULL)
		return fail(p, "out of memory%s%s", "", "");
	for (k = 0; k < 64; k++) {
		if (meta_object(m, id, type, sizeof type, &data, &len, p->why,
		    sizeof p->why) != 0) {
			free(id);
			return -1;
		}
		if (strcmp(type, "tag") != 0) {
			free(data);
			break;
		}
		s->ref = u->ref;
		r = blob_scan(s, "(tag message)", id, data, len);
		free(id);
		id = NULL;
		if (r == SCAN_OK && strncmp(data, "object ", 7) == 0)
			id = strndup(data + 7, strcspn(data + 7, "\n"));
		free(data);
		if (r != SCAN_OK)
			return r;
		if (id == NULL)
			return fail(p, "a tag pushed as %s names no object%s",
			    u->ref, "");
	}
	u->peeled = id;
	snprintf(u->kind, sizeof u->kind, "%s", type);
	if (strcmp(type, "missing") == 0)
		return fail(p, "the object %s pushed as %s is missing", id,
		    u->ref);
	return 0;
}

/* A set of ids, open addressing: the new commits of the push. */
struct idset {
	const char **id;	/* into rev-list's output */
	size_t *parents;	/* where each one's line goes on */
	unsigned char *done;
	size_t cap;
};

static size_t
idset_slot(const struct idset *set, const char *id, size_t n)
{
	size_t h = 0, i;

	for (i = 0; i < n && i < 16; i++)
		h = h * 31 + (unsigned char)id[i];
	for (h %= set->cap; set->id[h] != NULL; h = (h + 1) % set->cap)
		if (strncmp(set->id[h], id, n) == 0 &&
		    (set->id[h][n] == ' ' || set->id[h][n] == '\n' ||
		    set->id[h][n] == '\0'))
			break;
	return h;
}

/* Marks every new commit id reaches. */
static void
idset_reach(struct idset *set, size_t from, size_t *stack)
{
	size_t sp = 0, h, n;
	const char *w;

	stack[sp++] = from;
	set->done[from] = 1;
	while (sp > 0) {
		w = set->id[stack[--sp]];
		w += strcspn(w, " \n");
		while (*w == ' ') {
			w++;
			n = strcspn(w, " \n");
			h = idset_slot(set, w, n);
			if (set->id[h] != NULL && !set->done[h]) {
				set->done[h] = 1;
				stack[sp++] = h;
			}
			w += n;
		}
	}
}

/*
 * Which refs bring nothing new, from one walk over every new commit and
 * its parents: a tip that is no new commit, or that an earlier ref of the
 * push reaches, is skipped (the same rule as the per-ref walks, which
 * exclude the earlier refs).
 */
static int
refs_mark(struct push *p, char *out, size_t len)
{
	struct idset set;
	size_t lines = 0, i, h, *stack;
	char *l;

	/* rev-list ends every line; one that does not was cut short. */
	if (len > 0 && out[len - 1] != '\n')
		return fail(p, "git rev-list's list of new commits was cut "
		    "short%s%s", "", "");
	for (i = 0; i < len; i++)
		lines += out[i] == '\n';
	set.cap = 2 * lines + 1;
	set.id = calloc(set.cap, sizeof *set.id);
	set.done = calloc(set.cap, 1);
	stack = calloc(lines + 1, sizeof *stack);
	set.parents = NULL;
	if (set.id == NULL || set.done == NULL || stack == NULL) {
		free(set.id);
		free(set.done);
		free(stack);
		return fail(p, "out of memory%s%s", "", "");
	}
	for (l = out; l < out + len; l = strchr(l, '\n') + 1) {
		h = idset_slot(&set, l, strcspn(l, " \n"));
		set.id[h] = l;
	}
	for (i = 0; i < p->n; i++) {
		struct update *u = &p->u[i];

		if (u->skip || strcmp(u->kind, "commit") != 0)
			continue;
		h = idset_slot(&set, u->peeled, strlen(u->peeled));
		if (set.id[h] == NULL || set.done[h]) {
			u->skip = 1;
			continue;
		}
		idset_reach(&set, h, stack);
	}
	free(set.id);
	free(set.done);
	free(stack);
	return 0;
}

/* Runs cmd (git_pipe); a failure of git's is the push's first failure. */
static int
git_through(struct push *p, enum git_cmd cmd, const char *const *args,
    const char *input, size_t len, int (*fn)(void *, int), void *user)
{
	char why[1024];
	int r;

	if (git_pipe(cmd, args, input, len, fn, user, &r, why,
	    sizeof why) != 0)
		return fail(p, "%s%s", why, "");
	return r;
}

/* Every new commit as a list: rev-list's output kept whole. */
struct text { char *buf; size_t len, cap; };

static int
text_slurp(void *user, int fd)
{
	struct text *t = user;
	ssize_t r;

	for (;;) {
		if (t->len + 65536 > t->cap) {
			char *q = realloc(t->buf, t->cap = 2 * t->cap + 65536);

			if (q == NULL)
				return SCAN_ENOMEM;
			t->buf = q;
		}
		r = read(fd, t->buf + t->len, t->cap - t->len - 1);
		if (r < 0 && errno == EINTR && !git_timed_out())
			continue;
		if (r < 0)
			return SCAN_EREAD;
		if (r == 0)
			break;
		t->len += (size_t)r;
	}
	t->buf[t->len] = '\0';
	return 0;
}

static int
refs_weigh(struct push *p)
{
	struct text tips = { 0 }, out = { 0 };
	size_t i;
	int r = 0;

	for (i = 0; i < p->n && r == 0; i++) {
		const struct update *u = &p->u[i];
		size_t need;

		if (u->skip || strcmp(u->kind, "commit") != 0)
			continue;
		need = tips.len + strlen(u->peeled) + 2;
		if (need > tips.cap) {
			char *q = realloc(tips.buf, tips.cap = 2 * need);

			if (q == NULL)
				r = fail(p, "out of memory%s%s", "", "");
			tips.buf = q;
		}
		if (r == 0)
			tips.len += (size_t)sprintf(tips.buf + tips.len,
			    "%s\n", u->peeled);
	}
	if (r == 0 && tips.len > 0)
		r = git_through(p, GIT_NEW_COMMITS, NULL, tips.buf, tips.len,
		    text_slurp, &out);
	if (r == 0)
		r = refs_mark(p, out.buf != NULL ? out.buf : "", out.len);
	else
		fail(p, "cannot list the new commits%s%s", "", "");
	free(tips.buf);
	free(out.buf);
	return r;
}

/* The files of a tree, each read whole (a ref to a tree is rare). */
struct tree_walk { struct push *p; struct meta *m; const char *ref; };

static int
tree_through(void *user, int fd)
{
	struct tree_walk *w = user;
	struct text t = { 0 };
	char *e, *tab, *end, id[ID_MAX];
	int r = text_slurp(&t, fd);

	for (e = t.buf; r == 0 && e != NULL && e < t.buf + t.len;
	    e = end + 1) {
		end = e + strlen(e);
		tab = strchr(e, '\t');
		/* "<mode> blob <id>\t<path>": gitlinks name no blob here. */
		if (tab == NULL || tab - e < 12 || tab - e >= 12 + ID_MAX ||
		    strncmp(e + 6, " blob ", 6) != 0)
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(tab - (e + 12)), e + 12);
		r = meta_object_scan(w->m, id, tab + 1, "", w->p->why,
		    sizeof w->p->why);
	}
	free(t.buf);
	return r;
}

/* A diff that ends inside a hunk: git's output was cut short. */
#define DIFF_CUT 1

/* cli_scan_fd(), and DIFF_CUT for a diff cut short. */
static int
diff_through(void *s, int fd)
{
	int r = cli_scan_fd(s, fd);

	return r == SCAN_OK && scan_truncated(s) > 0 ? DIFF_CUT : r;
}

/*
 * The commits of in: their diff, and their messages and new names.
 *
 * Both git commands run at once (git_beside()), so that with a second
 * core free the messages cost no wall time beside the diff (most of the
 * work; one after the other they made the hook 1.14x to 1.19x git log -p,
 * together about 1.0x: bench/prereceive.sh). The messages are scanned
 * after the diff, from memory and then from the pipe for any rest, in the
 * same order as before; only this thread scans.
 *
 * Either git failing refuses the push as before: the diff's failure is
 * said first (the messages git is then killed, its output unwanted); the
 * messages git is waited for and its status checked, and its output must
 * end whole (meta_read_held()). The watchdog kills both.
 */
static int
commits_scan(struct push *p, struct scan *s, struct meta *m,
    const struct update *u, const struct text *in)
{
	struct git_two t = { diff_through, s, meta_held, m, META_HELD_MAX,
	    0, 0 };
	char why[1024];
	int r;

	/* Files the diff shows as binary are read whole afterwards. */
	s->diff.binary = meta_binary;
	s->diff.binary_user = m;
	r = git_beside(GIT_PUSH_DIFF, GIT_PUSH_META, NULL, in->buf, in->len,
	    &t, why, sizeof why);
	s->diff.binary = NULL;
	if (r != 0)
		return fail(p, "%s%s", why, "");
	if (t.status == DIFF_CUT)
		return fail(p, "git's diff of %s was cut short%s", u->ref, "");
	return t.status != 0 ? t.status : t.held_status;
}

/* What ref i brings: its commits, as diff, messages and files. */
static int
ref_scan(struct push *p, struct scan *s, struct meta *m, size_t i,
    struct text *prev)
{
	const struct update *u = &p->u[i];
	const char *tree[] = { u->peeled, NULL };
	struct tree_walk w = { p, m, u->ref };
	struct text in = { 0 };
	int r;

	s->ref = u->ref;
	if (strcmp(u->kind, "blob") == 0)
		return meta_object_scan(m, u->peeled, u->ref, "", p->why,
		    sizeof p->why);
	if (strcmp(u->kind, "tree") == 0)
		return git_through(p, GIT_TREE_FILES, tree, NULL, 0,
		    tree_through, &w);
	if ((in.buf = malloc(strlen(u->peeled) + 2 + prev->len)) == NULL)
		return fail(p, "out of memory%s%s", "", "");
	in.len = (size_t)sprintf(in.buf, "%s\n", u->peeled);
	if (prev->len > 0)
		memcpy(in.buf + in.len, prev->buf, prev->len);
	in.len += prev->len;
	r = commits_scan(p, s, m, u, &in);
	if (r == 0)
		r = meta_objects(m, p->why, sizeof p->why);
	free(in.buf);
	return r;
}

/* Every ref in order; what an earlier ref brought is not shown again. */
static int
push_scan(struct push *p, struct scan *s)
{
	struct meta m;
	struct text prev = { 0 };
	char why[512];
	size_t i;
	int r = 0;

	meta_init(&m, s);
	for (i = 0; i < p->n && r == 0; i++)
		if (!p->u[i].skip)
			r = ref_peel(p, s, &m, i);
	if (r == 0)
		r = refs_weigh(p);
	for (i = 0; i < p->n && r == 0; i++) {
		struct update *u = &p->u[i];
		size_t need;

		if (u->peeled == NULL)
			continue;
		if (!u->skip)
			r = ref_scan(p, s, &m, i, &prev);
		need = prev.len + strlen(u->peeled) + 3;
		if (need > prev.cap) {
			char *q = realloc(prev.buf, prev.cap = 2 * need);

			if (q == NULL) {
				r = fail(p, "out of memory%s%s", "", "");
				break;
			}
			prev.buf = q;
		}
		if (strcmp(u->kind, "commit") == 0)
			prev.len += (size_t)sprintf(prev.buf + prev.len,
			    "^%s\n", u->peeled);
	}
	if (meta_finish(&m, why, sizeof why) != 0 && r == 0)
		r = fail(p, "%s%s", why, "");
	meta_release(&m);
	free(prev.buf);
	/* What failed first is already said; else the scan's own status. */
	if (r == SCAN_EREGEX)
		fail(p, "an [allow] regex failed on %s%s", s->failed_at, "");
	else if (r != SCAN_OK)
		fail(p, "%s%s", cli_scan_words(r), "");
	if (git_timed_out())
		snprintf(p->why, sizeof p->why, "the scan did not finish "
		    "within %gs", p->rules.timeout);
	return r;
}

/* Prints what the scan found, after the headline. */
static void
findings_say(const struct push *p, char *buf, size_t len)
{
	if (len > 0)
		fwrite(buf, 1, len, p->err);
}

static int
verdict(struct push *p, struct report *rep, int failed, char *buf,
    size_t len)
{
	char why[sizeof p->why];

	/* A failure may name a path or ref a pusher chose: no signature. */
	redact_signatures(p->why, strlen(p->why), why, sizeof why);
	memcpy(p->why, why, sizeof why);
	if (rep->blocked > 0) {
		/* A block is certain even if the scan failed after it. */
		say_refusal(p, "push refused: it adds risky Azure Storage SAS "
		    "tokens.%s", "");
		findings_say(p, buf, len);
		if (failed)
			fprintf(p->err, "sasguard: (then the scan stopped: %s; "
			    "more may follow)\n", p->why);
		return EXIT_BLOCK;
	}
	if (!failed) {
		findings_say(p, buf, len);
		return EXIT_ALLOW;
	}
	if (p->rules.fail_open) {
		findings_say(p, buf, len);
		fprintf(p->err, "sasguard: WARNING: %s; push accepted "
		    "UNCHECKED (this server fails open).\n", p->why);
		return EXIT_ALLOW;
	}
	say_refusal(p, "push refused: cannot check it: %s (this server fails "
	    "closed; ask the server admin).", p->why);
	findings_say(p, buf, len);
	if (git_timed_out())
		fprintf(p->err, "sasguard: Try again, or push fewer commits "
		    "at a time; if it keeps failing, ask the server admin.\n");
	return EXIT_TROUBLE;
}

/*
 * Attributes from the empty tree: a .gitattributes pushed earlier (read
 * from HEAD by newer git in a bare repository) cannot make a file text
 * that git would take for binary, nor hide one. GIT_ATTR_SOURCE from git
 * 2.40, attr.tree from 2.42; older git reads no in-tree attributes in a
 * bare repository at all.
 */
static void
attributes_pin(const struct push *p)
{
	static const char *const empty[] = {
		"4b825dc642cb6eb9a060e54bf8d69288fbee4904",
		"6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"
	};
	const char *id;

	if (p->n == 0)
		return;
	id = empty[strlen(p->u[0].new) == 64];
	setenv("GIT_ATTR_SOURCE", id, 1);
	if (getenv("GIT_CONFIG_COUNT") == NULL) {
		setenv("GIT_CONFIG_COUNT", "1", 1);
		setenv("GIT_CONFIG_KEY_0", "attr.tree", 1);
		setenv("GIT_CONFIG_VALUE_0", id, 1);
	}
}

/* Under GitLab, what was said goes out with GL-HOOK-ERR: on every line
 * (GitLab's web UI shows only such lines). */
static void
out_flush(struct push *p)
{
	char *line, *end;

	if (p->err == stderr)
		return;
	fclose(p->err);
	p->err = stderr;
	for (line = p->errbuf; line != NULL && *line != '\0'; line = end + 1) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		fprintf(stderr, "GL-HOOK-ERR: %.*s\n", (int)(end - line), line);
		if (*end == '\0')
			break;
	}
	free(p->errbuf);
	p->errbuf = NULL;
}

static void
push_release(struct push *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->u[i].ref);
		free(p->u[i].peeled);
	}
	free(p->u);
	free(p->input);
	if (p->have_rules)
		rules_release(&p->rules);
}

/* Findings go to memory first: the headline must come before them. */
static int
push_check(struct push *p)
{
	struct report rep;
	struct scan s;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int r, status;

	if ((out = open_memstream(&buf, &len)) == NULL) {
		say_refusal(p, "push refused: cannot check it: out of memory "
		    "(ask the server admin).%s", "");
		return EXIT_TROUBLE;
	}
	report_init(&rep, out);
	rep.context = REPORT_PUSH;	/* the report words the advice */
	rep.color = cli_color;
	report_start(&rep, REPORT_TEXT, NULL, &p->rules, SASGUARD_VERSION,
	    (int64_t)time(NULL));
	if (scan_init(&s, &p->rules, &rep, (int64_t)time(NULL), "") !=
	    SCAN_OK) {
		fclose(out);
		free(buf);
		report_release(&rep);
		say_refusal(p, "push refused: cannot check it: out of memory "
		    "(ask the server admin).%s", "");
		return EXIT_TROUBLE;
	}
	git_watchdog(p->rules.timeout);
	r = push_scan(p, &s);
	git_watchdog(0);
	if (r == 0 && git_timed_out())
		r = -1;
	if (report_finish(&rep, r != 0 ? EXIT_TROUBLE : rep.blocked ?
	    EXIT_BLOCK : EXIT_ALLOW) != 0 && r == 0)
		r = fail(p, "cannot write the report%s%s", "", "");
	if (fclose(out) != 0 && r == 0)
		r = fail(p, "cannot write the report%s%s", "", "");
	status = verdict(p, &rep, r != 0, buf, len);
	scan_release(&s);
	report_release(&rep);
	free(buf);
	return status;
}

int
cli_pre_receive(int argc, char **argv)
{
	struct push p;
	int r, status;

	memset(&p, 0, sizeof p);
	p.gitlab = getenv("GL_ID") != NULL || getenv("GL_PROTOCOL") != NULL;
	p.err = stderr;
	if (p.gitlab && (p.err = open_memstream(&p.errbuf, &p.errlen)) == NULL)
		p.err = stderr;
	if (argc >= 3 && strcmp(argv[1], "--hook") == 0)
		p.hook = argv[2];
	/* A pipe git closed must be an error we see, not our death. */
	signal(SIGPIPE, SIG_IGN);
	if ((r = updates_read(&p)) != 0) {
		say_refusal(&p, r == -2 ? "push refused: unexpected input from "
		    "git%s. Ask the server admin." : "push refused: cannot "
		    "read the ref updates%s. Ask the server admin.", "");
		out_flush(&p);
		push_release(&p);
		return EXIT_TROUBLE;
	}
	attributes_pin(&p);
	if (settings_load(&p) != 0) {
		out_flush(&p);
		push_release(&p);
		return EXIT_TROUBLE;
	}
	if (bypass_wanted(&p))
		status = EXIT_ALLOW;
	else
		status = push_check(&p);
	if (status == EXIT_ALLOW)
		status = cli_chained(p.hook, "pre-receive", NULL, p.input,
		    p.inputlen);
	if (status < 0)
		status = EXIT_TROUBLE;
	out_flush(&p);
	push_release(&p);
	return status;
}
