/*
 * inventory.c - sasguard inventory: every SAS token in the history of one
 * or more repositories, one row per token (lib/inventory.h).
 *
 *   sasguard inventory [--format table|csv|json|sarif|gitlab] [--now TIME]
 *                      [--config FILE] [--quiet] [REPO...]
 *
 * For each REPO (a clone or a bare repository; default: the current
 * one), git runs from the table in git.c: every commit reachable from any
 * ref, each once, merges included (by --cc: see git.c), its message,
 * the names of the files it adds, the files the diff shows as binary
 * (read whole and decoded: meta.h, blob.h), and every tag object's
 * message. Each finding becomes a place of its token's row, with the
 * author and author date of its commit (or tagger and date of its tag),
 * asked of one git cat-file per repository. Then HEAD's tree is read
 * whole, file by file, to mark the tokens still present at the tip.
 *
 * Memory: the rows (one per distinct token) and one commit's lookup;
 * git's output streams through the scanner.
 *
 * Progress goes to standard error once a second when it is a terminal
 * (not with --quiet). Exit status: 0 when no live token breaks a blocking
 * rule, 1 when one does, 2 on any error (the inventory of what could be
 * read is still written, and says the scan failed where the format can).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "cli.h"
#include "date.h"
#include "git.h"
#include "inventory.h"
#include "meta.h"
#include "report.h"
#include "scan.h"

#define AUTHOR_MAX 256
#define WHY_MAX 1024

struct inv_cli {
	struct inventory inv;
	struct rules rules;
	struct report report;
	struct scan scan;
	struct meta lookup;		/* cat-file for authors and dates */
	int have_lookup;
	size_t repo;			/* the repository being read */
	int nth, count;			/* ... the nth of count, for progress */
	int at_head;			/* reading HEAD's tree: mark only */
	/* The last commit looked up. */
	char commit[DIFF_COMMIT_MAX];
	char author[AUTHOR_MAX];
	int64_t date;
	int has_date;
	char why[WHY_MAX];		/* the first failure */
};

/* Progress, written by a timer's signal handler: only what write(2) and
 * plain loads allow. */
static volatile sig_atomic_t progress_on;
static const struct inv_cli *progress_of;
static char progress_name[128];
static unsigned long long progress_commits;

static void
usage(FILE *out)
{
	fputs("usage: sasguard inventory [--format table|csv|json|sarif|gitlab] "
	    "[--now TIME]\n"
	    "                          [--config FILE] [--quiet] [REPO...]\n"
	    "\n"
	    "Lists every SAS token in the whole history of each REPO (a clone "
	    "or a bare\n"
	    "repository; default: the current one), one row per token: its "
	    "status at TIME,\n"
	    "the rules it breaks, where it was first and last seen, whether "
	    "it is still at\n"
	    "HEAD, and the log hash Azure's storage logs record its use by. "
	    "Signatures are\n"
	    "never printed. The format is table on a terminal, json "
	    "otherwise.\n"
	    "\n"
	    "Exit status: 0 no live token breaks a blocking rule, 1 one does, "
	    "2 any error.\n", out);
}

static char *
put_number(char *p, unsigned long long v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

static char *
put_text(char *p, const char *s, const char *end)
{
	while (*s != '\0' && p < end)
		*p++ = *s++;
	return p;
}

/* "\rsasguard: NAME: 1234 commits, 56 MB read, 7 tokens" */
static void
progress_show(int sig)
{
	char line[256], *p = line, *end = line + sizeof line - 40;
	int saved = errno;

	(void)sig;
	if (!progress_on || progress_of == NULL)
		return;
	p = put_text(p, "\rsasguard: ", end);
	p = put_text(p, progress_name, end);
	p = put_text(p, ": ", end);
	p = put_number(p, progress_commits);
	p = put_text(p, " commits, ", end);
	p = put_number(p, progress_of->scan.diff.base >> 20);
	p = put_text(p, " MB read, ", end);
	p = put_number(p, progress_of->inv.nrows);
	p = put_text(p, " tokens   ", end);
	(void)!write(2, line, (size_t)(p - line));
	errno = saved;
}

static void
progress_start(const struct inv_cli *c)
{
	struct sigaction sa;
	struct itimerval it;

	progress_of = c;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = progress_show;
	sa.sa_flags = SA_RESTART;	/* reads go on where they were */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = it.it_interval.tv_sec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
	progress_on = 1;
}

static void
progress_stop(void)
{
	struct itimerval it;

	if (!progress_on)
		return;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	progress_show(0);	/* the last count, however short the run */
	progress_on = 0;
	fputc('\n', stderr);
}

static int
fail(struct inv_cli *c, const char *fmt, const char *a, const char *b)
{
	if (c->why[0] == '\0')
		snprintf(c->why, sizeof c->why, fmt, a, b);
	return -1;
}

/* "author A U Thor <a@x> 1633475191 -0400" (or "tagger ...") in a
 * commit or tag object: who and when. */
static void
signature_parse(struct inv_cli *c, const char *data)
{
	const char *line = data, *nl, *gt;
	long long t;

	c->author[0] = '\0';
	c->has_date = 0;
	/* The header ends at the first empty line (or the object's end). */
	for (; *line != '\0' && *line != '\n'; line = nl + (*nl != '\0')) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		if (strncmp(line, "author ", 7) != 0 &&
		    strncmp(line, "tagger ", 7) != 0)
			continue;
		gt = line + 7;
		while (memchr(gt, '>', (size_t)(nl - gt)) != NULL)
			gt = (const char *)memchr(gt, '>', (size_t)(nl - gt)) + 1;
		snprintf(c->author, sizeof c->author, "%.*s",
		    (int)(gt - line - 7), line + 7);
		if (sscanf(gt, " %lld", &t) == 1) {
			c->date = t;
			c->has_date = 1;
		}
		return;
	}
}

/* Who made the commit (or tag) id, asked once per id in a row. */
static int
commit_info(struct inv_cli *c, const char *id)
{
	char type[32], *data;
	size_t len;

	if (strcmp(id, c->commit) == 0)
		return 0;
	snprintf(c->commit, sizeof c->commit, "%s", id);
	c->author[0] = '\0';
	c->has_date = 0;
	if (id[0] == '\0')
		return 0;
	if (meta_object(&c->lookup, id, type, sizeof type, &data, &len,
	    c->why, sizeof c->why) != 0)
		return -1;
	if (data != NULL)
		signature_parse(c, data);
	free(data);
	return 0;
}

/* The report hands every finding here (report_sink). */
static int
inventory_sink(void *user, const struct finding *f, const struct token *k)
{
	struct inv_cli *c = user;
	struct inventory_place p;

	/* A token at HEAD is in the history HEAD is part of. */
	if (c->at_head && inventory_at_head(&c->inv, k->fp))
		return 0;
	if (commit_info(c, f->commit) != 0)
		return -1;
	memset(&p, 0, sizeof p);
	p.commit = f->commit;
	p.author = c->author;
	p.date = c->date;
	p.has_date = c->has_date;
	p.path = f->path;
	p.line = f->lineno;
	if (inventory_add(&c->inv, c->repo, &p, k, f->judgement,
	    f->allowed) != 0)
		return fail(c, "out of memory%s%s", "", "");
	if (c->at_head)
		inventory_at_head(&c->inv, k->fp);
	return 0;
}

/* Says what a scan of cmd's output returned, when it failed. */
static int
scan_said(struct inv_cli *c, enum git_cmd cmd, int r)
{
	if (r == SCAN_EREGEX)
		return fail(c, "an [allow] regex failed on %.900s%s",
		    c->scan.failed_at, "");
	if (r != SCAN_OK)
		return fail(c, "%s: %s", git_cmd_name(cmd), cli_scan_words(r));
	return 0;
}

/* Runs cmd and hands its output to fn; says what failed. */
static int
git_into(struct inv_cli *c, enum git_cmd cmd, const char *const *args,
    int (*fn)(void *, int), void *user)
{
	char why[512];
	int r;

	if (git_pipe(cmd, args, NULL, 0, fn, user, &r, why, sizeof why) != 0)
		return fail(c, "%s%s", why, "");
	return scan_said(c, cmd, r);
}

static int
diff_through(void *user, int fd)
{
	struct scan *s = user;
	int r = scan_fd(s, fd);

	return r == SCAN_OK && scan_truncated(s) > 0 ? SCAN_EREAD : r;
}

/* Reads fd whole into a NUL-terminated buffer. */
static int
slurp(int fd, char **out, size_t *len)
{
	size_t cap = 0;
	ssize_t r;

	*out = NULL;
	*len = 0;
	for (;;) {
		if (*len + 65536 + 1 > cap) {
			char *q = realloc(*out, cap = 2 * cap + 65536 + 1);

			if (q == NULL)
				return SCAN_ENOMEM;
			*out = q;
		}
		if ((r = read(fd, *out + *len, cap - *len - 1)) < 0 &&
		    errno == EINTR)
			continue;
		if (r < 0)
			return SCAN_EREAD;
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	(*out)[*len] = '\0';
	return SCAN_OK;
}

struct listing { char *text; size_t len; };

static int
listing_through(void *user, int fd)
{
	struct listing *l = user;

	return slurp(fd, &l->text, &l->len);
}

/* Every annotated tag's message ("<id> tag" lines of for-each-ref). */
static int
tags_scan(struct inv_cli *c)
{
	struct listing l = { NULL, 0 };
	char *line, *next, type[32], *data, id[72];
	size_t len;
	int r = git_into(c, GIT_TAG_OBJECTS, NULL, listing_through, &l);

	for (line = l.text; r == 0 && line != NULL && *line != '\0';
	    line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (sscanf(line, "%71s %31s", id, type) != 2 ||
		    strcmp(type, "tag") != 0)
			continue;
		if (meta_object(&c->lookup, id, type, sizeof type, &data, &len,
		    c->why, sizeof c->why) != 0) {
			r = -1;
			break;
		}
		if (data != NULL && blob_scan(&c->scan, "(tag message)", id,
		    data, len) != SCAN_OK)
			r = fail(c, "cannot scan the tag %s%s", id, "");
		free(data);
	}
	free(l.text);
	return r;
}

/* HEAD's files, each read whole, mark the tokens still at the tip. */
static int
head_scan(struct inv_cli *c)
{
	const char *head[] = { "HEAD", NULL };
	struct listing l = { NULL, 0 };
	char id[128], why[256], *e, *end, *tab;
	int r;

	if (git_read(GIT_HEAD, NULL, id, sizeof id, why, sizeof why) != 0)
		return 0;	/* no commit yet: nothing is at the tip */
	if ((r = git_into(c, GIT_TREE_FILES, head, listing_through, &l)) != 0)
		return r;
	c->at_head = 1;
	/* "<mode> blob <id>\t<path>\0": submodules name no blob here. */
	for (e = l.text; r == 0 && e < l.text + l.len; e = end + 1) {
		end = e + strlen(e);
		tab = strchr(e, '\t');
		if (tab == NULL || strncmp(e + strcspn(e, " "), " blob ", 6))
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(tab - e -
		    strcspn(e, " ") - 6), e + strcspn(e, " ") + 6);
		if (meta_object_scan(&c->lookup, id, tab + 1, "", c->why,
		    sizeof c->why) != SCAN_OK)
			r = fail(c, "cannot scan %s at HEAD%s", tab + 1, "");
	}
	c->at_head = 0;
	free(l.text);
	return r;
}

/* The whole history of the repository in the current folder. */
static int
history_scan(struct inv_cli *c)
{
	struct meta m;
	struct git_two t = { diff_through, NULL, meta_held, NULL,
	    META_HELD_MAX, 0, 0 };
	char count[64], why[512];
	int r;

	if (git_read(GIT_ALL_COUNT, NULL, count, sizeof count, why,
	    sizeof why) != 0)
		return fail(c, "%s%s", why, "");
	progress_commits = strtoull(count, NULL, 10);
	meta_init(&m, &c->scan);
	t.user = &c->scan;
	t.held_user = &m;
	/* Files the diff shows as binary are read whole afterwards. The
	 * messages git runs beside the diff git (git_beside()). */
	c->scan.diff.binary = meta_binary;
	c->scan.diff.binary_user = &m;
	if (git_beside(GIT_ALL_DIFF, GIT_ALL_META, NULL, NULL, 0, &t, why,
	    sizeof why) != 0)
		r = fail(c, "%s%s", why, "");
	else if ((r = scan_said(c, GIT_ALL_DIFF, t.status)) == 0)
		r = scan_said(c, GIT_ALL_META, t.held_status);
	c->scan.diff.binary = NULL;
	if (r == 0 && meta_objects(&m, c->why, sizeof c->why) != SCAN_OK)
		r = -1;
	if (meta_finish(&m, why, sizeof why) != 0)
		r = fail(c, "%s%s", why, "");
	meta_release(&m);
	if (r == 0)
		r = tags_scan(c);
	if (r == 0)
		r = head_scan(c);
	return r;
}

/* One repository, read from inside it. */
static int
repo_inventory(struct inv_cli *c, const char *path, int here)
{
	char why[512];
	int r;

	if (chdir(path) != 0)
		return fail(c, "cannot read '%s': %s", path, strerror(errno));
	if (inventory_repo(&c->inv, path, &c->repo) != 0)
		r = fail(c, "out of memory%s%s", "", "");
	else {
		snprintf(progress_name, sizeof progress_name, "[%d/%d] %s",
		    c->nth, c->count, path);
		meta_init(&c->lookup, &c->scan);
		c->commit[0] = c->author[0] = '\0';
		c->has_date = 0;
		r = history_scan(c);
		if (meta_finish(&c->lookup, why, sizeof why) != 0)
			r = fail(c, "%s%s", why, "");
		meta_release(&c->lookup);
	}
	if (fchdir(here) != 0)
		r = fail(c, "cannot go back to the folder we started in: %s",
		    strerror(errno), "");
	if (r != 0 && strstr(c->why, path) == NULL) {
		char tail[WHY_MAX];

		snprintf(tail, sizeof tail, "%s", c->why);
		snprintf(c->why, sizeof c->why, "cannot read '%.200s': %.800s", path,
		    tail);
	}
	return r;
}

static int
time_arg(const char *s, int64_t *now)
{
	long long v;
	char extra;

	if (s == NULL) {
		*now = (int64_t)time(NULL);
		return 0;
	}
	if (s[0] == '@' && sscanf(s + 1, "%lld%c", &v, &extra) == 1) {
		*now = v;
		return 0;
	}
	return s[0] == '@' ? -1 : date_parse(s, strlen(s), now);
}

struct inv_options {
	enum inventory_format format;
	const char *now, *config;
	int quiet;
};

static int
options_read(struct inv_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "now", required_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof *o);
	o->format = isatty(1) ? INVENTORY_TABLE : INVENTORY_JSON;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (inventory_format_parse(optarg, &o->format) == 0)
				break;
			fprintf(stderr, "sasguard: unknown format '%s' (known: "
			    "table, csv, json, sarif, gitlab)\n", optarg);
			return -1;
		case 'n': o->now = optarg; break;
		case 'c': o->config = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(EXIT_ALLOW);
		default: return -1;
		}
	}
	return 0;
}

/* 1 when path names a folder an earlier REPO named (as "r" and "./r"
 * do): a repository is read once, or its places would count twice. */
static int
repo_again(char **seen, int n, const char *path)
{
	char *real = realpath(path, NULL);
	int i, again = 0;

	for (i = 0; real != NULL && i < n && !again; i++)
		again = seen[i] != NULL && strcmp(seen[i], real) == 0;
	if (again)
		free(real);
	else
		seen[n] = real;
	return again;
}

static int
inventory_run(struct inv_cli *c, const struct inv_options *o, int64_t now,
    int argc, char **argv)
{
	struct inventory_run run;
	char **seen;
	int here, i, trouble = 0, status;

	if ((here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sasguard: cannot read '.': %s\n",
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	if ((seen = calloc((size_t)(argc - optind + 1), sizeof *seen)) ==
	    NULL) {
		close(here);
		fprintf(stderr, "sasguard: out of memory\n");
		return EXIT_TROUBLE;
	}
	memset(&run, 0, sizeof run);
	run.started = (int64_t)time(NULL);
	if (!o->quiet && isatty(2))
		progress_start(c);
	c->count = argc > optind ? argc - optind : 1;
	for (i = optind; i < argc || (i == optind && argc == optind); i++) {
		c->why[0] = '\0';
		c->nth = i - optind + 1;
		if (repo_again(seen, i - optind, i < argc ? argv[i] : "."))
			continue;
		if (repo_inventory(c, i < argc ? argv[i] : ".", here) != 0) {
			if (progress_on)
				fputc('\n', stderr);
			fprintf(stderr, "sasguard: %s\n", c->why);
			trouble = 1;
		}
	}
	progress_stop();
	close(here);
	for (i = 0; i <= argc - optind; i++)
		free(seen[i]);
	free(seen);
	run.version = SASGUARD_VERSION;
	run.rules = &c->rules;
	run.now = now;
	run.finished = (int64_t)time(NULL);
	run.failed = trouble;
	if (inventory_write(&c->inv, o->format, &run, stdout) != 0) {
		fprintf(stderr, "sasguard: cannot write the inventory: %s\n",
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	status = trouble ? EXIT_TROUBLE : inventory_blocking(&c->inv, now) ?
	    EXIT_BLOCK : EXIT_ALLOW;
	return status;
}

int
cli_inventory(int argc, char **argv)
{
	struct inv_options o;
	struct inv_cli *c;
	int64_t now;
	int status;

	if (options_read(&o, argc, argv) != 0) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (time_arg(o.now, &now) != 0) {
		fprintf(stderr, "sasguard: --now '%s' is not a time (want "
		    "2026-01-31T12:00:00Z or @UNIXSECONDS)\n", o.now);
		return EXIT_TROUBLE;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		fprintf(stderr, "sasguard: out of memory\n");
		return EXIT_TROUBLE;
	}
	if (cli_rules(&c->rules, o.config, 0) != 0) {
		free(c);
		return EXIT_TROUBLE;
	}
	inventory_init(&c->inv);
	report_init(&c->report, stderr);
	report_sink(&c->report, inventory_sink, c);
	if (scan_init(&c->scan, &c->rules, &c->report, now, "") != SCAN_OK) {
		fprintf(stderr, "sasguard: out of memory\n");
		status = EXIT_TROUBLE;
	} else
		status = inventory_run(c, &o, now, argc, argv);
	scan_release(&c->scan);
	report_release(&c->report);
	inventory_release(&c->inv);
	rules_release(&c->rules);
	free(c);
	return status;
}
