/*
 * commit.c - sasguard pre-commit and sasguard commit-msg: the client's
 * side of the gate.
 *
 * pre-commit scans the staged changes against HEAD (or the empty tree
 * before the first commit), from the fixed argv of git.h, so the user's
 * color.ui=always, diff.noprefix or an external diff cannot change what it
 * reads, and a repository's .gitattributes (binary, -diff, a textconv
 * driver) cannot hide a staged file: a file git takes for binary is read
 * whole from the index and decoded. The names of added files are scanned.
 * commit-msg scans the message (git has no other hook that sees it), up to
 * git's scissors line.
 *
 * The rules: git config sasguard.config, else .sasguard.ini at the top of
 * the work tree, else the built-in ones (inline markers count here).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "cli.h"
#include "git.h"
#include "meta.h"
#include "redact.h"
#include "report.h"
#include "scan.h"

#define SCISSORS "# ------------------------ >8 ------------------------"

static int
client_rules(struct rules *r)
{
	static const char *const key[] = { "sasguard.config", NULL };
	char path[PATH_MAX], top[PATH_MAX], why[512];
	const char *config = NULL;
	int rc;

	rc = git_read(GIT_CONFIG_GET, key, path, sizeof path, why, sizeof why);
	if (rc < 0) {
		fprintf(stderr, "sasguard: %s\n", why);
		return -1;
	}
	if (rc == 0 && path[0] != '\0')
		config = path;
	else if (git_read(GIT_TOPLEVEL, NULL, top, sizeof top, why,
	    sizeof why) == 0 && strlen(top) + 14 < sizeof path) {
		snprintf(path, sizeof path, "%s/.sasguard.ini", top);
		if (access(path, F_OK) == 0)
			config = path;
	}
	return cli_rules(r, config, 0);
}

/* A hook in front of sasguard's, and the repository's own hook when git
 * runs this one from a global core.hooksPath (git then runs no other). */
static int
client_chained(const char *hook, const char *name, char **args)
{
	static const char *const hooks[] = { "hooks", NULL };
	char here[PATH_MAX], dir[PATH_MAX], gp[PATH_MAX], common[PATH_MAX];
	char own[PATH_MAX + 64], real[PATH_MAX], why[512];
	const char *slash;
	struct stat st;
	int rc;

	if (hook == NULL)
		return 0;
	if ((rc = cli_chained(hook, name, args, NULL, 0)) != 0)
		return rc;
	slash = strrchr(hook, '/');
	snprintf(dir, sizeof dir, "%.*s", slash != NULL ?
	    (int)(slash - hook) : 1, slash != NULL ? hook : ".");
	if (realpath(dir, here) == NULL ||
	    git_read(GIT_GIT_PATH, hooks, gp, sizeof gp, why, sizeof why) ||
	    git_read(GIT_COMMON_DIR, NULL, common, sizeof common, why,
	    sizeof why) || realpath(gp, real) == NULL ||
	    strcmp(here, real) != 0)
		return 0;
	snprintf(own, sizeof own, "%s/hooks", common);
	if (realpath(own, real) != NULL && strcmp(here, real) == 0)
		return 0;
	snprintf(own, sizeof own, "%s/hooks/%s", common, name);
	if (stat(own, &st) != 0 || !S_ISREG(st.st_mode) ||
	    access(own, X_OK) != 0)
		return 0;
	if ((rc = cli_run(own, args, NULL, 0)) < 0)
		fprintf(stderr, "sasguard: cannot run '%s': %s\n", own,
		    strerror(errno));
	return rc;
}

static int
commit_fail(const char *what)
{
	char shown[2048];

	/* A failure may name a staged path: no signature. */
	redact_signatures(what, strlen(what), shown, sizeof shown);
	fprintf(stderr, "sasguard: %s: commit refused.\n", shown);
	fprintf(stderr, "sasguard: if you must commit now, 'git commit "
	    "--no-verify' skips this check (the server still checks the "
	    "push).\n");
	return EXIT_TROUBLE;
}

/* Runs cmd into fn (git_pipe); -1 with why on any failure. */
static int
run_into(enum git_cmd cmd, const char *const *args, int (*fn)(void *, int),
    void *user, char *why, size_t cap)
{
	int r;

	if (git_pipe(cmd, args, NULL, 0, fn, user, &r, why, cap) != 0)
		return -1;
	if (r != SCAN_OK) {
		snprintf(why, cap, "%s: %s", git_cmd_name(cmd),
		    cli_scan_words(r));
		return -1;
	}
	return 0;
}

/* Scans what is staged. */
static int
staged_scan(struct scan *s, char *why, size_t cap)
{
	char against[128];
	const char *args[] = { against, NULL };
	struct meta m;
	int r;

	if (git_read(GIT_HEAD, NULL, against, sizeof against, why, cap) != 0 &&
	    git_read(GIT_EMPTY_TREE, NULL, against, sizeof against, why,
	    cap) != 0)
		return -1;
	meta_init(&m, s);
	/* Files the diff shows as binary are read whole from the index. */
	s->diff.binary = meta_binary;
	s->diff.binary_user = &m;
	r = run_into(GIT_STAGED_DIFF, args, cli_scan_fd, s, why, cap);
	s->diff.binary = NULL;
	if (r == 0 && scan_truncated(s) > 0) {
		snprintf(why, cap, "git's diff was cut short");
		r = -1;
	}
	if (r == 0)
		r = run_into(GIT_STAGED_META, args, meta_through, &m, why,
		    cap);
	if (r == 0 && meta_objects(&m, why, cap) != SCAN_OK)
		r = -1;
	if (meta_finish(&m, why, cap) != 0)
		r = -1;
	meta_release(&m);
	return r;
}

/* The report on stderr around fn's scan; returns the exit status. */
static int
client_check(int (*fn)(struct scan *, void *, char *, size_t), void *arg,
    enum report_context context)
{
	struct rules rules;
	struct report rep;
	struct scan s;
	char why[1024] = "";
	int r, status;

	if (client_rules(&rules) != 0)
		return commit_fail("cannot read the rules");
	report_init(&rep, stderr);
	rep.context = context;	/* the report words the advice */
	rep.color = cli_color;
	report_start(&rep, REPORT_TEXT, NULL, &rules, SASGUARD_VERSION,
	    (int64_t)time(NULL));
	if (scan_init(&s, &rules, &rep, (int64_t)time(NULL), "") != SCAN_OK) {
		rules_release(&rules);
		return commit_fail("out of memory");
	}
	r = fn(&s, arg, why, sizeof why);
	status = r != 0 ? EXIT_TROUBLE : rep.blocked ? EXIT_BLOCK : EXIT_ALLOW;
	if (report_finish(&rep, status) != 0 && status == EXIT_ALLOW)
		status = EXIT_TROUBLE;
	scan_release(&s);
	report_release(&rep);
	rules_release(&rules);
	if (status == EXIT_TROUBLE)
		return commit_fail(why[0] ? why : "the scan failed");
	return status;
}

static int
staged_check(struct scan *s, void *arg, char *why, size_t cap)
{
	(void)arg;
	return staged_scan(s, why, cap);
}

int
cli_pre_commit(int argc, char **argv)
{
	const char *hook = NULL;
	int rc;

	if (argc >= 3 && strcmp(argv[1], "--hook") == 0)
		hook = argv[2];
	signal(SIGPIPE, SIG_IGN);
	if ((rc = client_chained(hook, "pre-commit", NULL)) != 0)
		return rc < 0 ? EXIT_TROUBLE : rc;
	return client_check(staged_check, NULL, REPORT_COMMIT);
}

struct message { const char *path; };

static int
message_check(struct scan *s, void *arg, char *why, size_t cap)
{
	const struct message *msg = arg;
	char *data = NULL, *cut;
	size_t len = 0, have = 0;
	ssize_t r;
	int fd, rc;

	if ((fd = open(msg->path, O_RDONLY)) < 0) {
		snprintf(why, cap, "cannot read '%s': %s", msg->path,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 4096 > have) {
			char *q = realloc(data, have = 2 * have + 65536);

			if (q == NULL) {
				free(data);
				close(fd);
				snprintf(why, cap, "out of memory");
				return -1;
			}
			data = q;
		}
		if ((r = read(fd, data + len, have - len - 1)) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, cap, "cannot read '%s': %s", msg->path,
			    strerror(errno));
			free(data);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	data[len] = '\0';
	/* git drops everything below its scissors line (commit -v). */
	if ((cut = strstr(data, "\n" SCISSORS)) != NULL)
		len = (size_t)(cut - data + 1);
	else if (strncmp(data, SCISSORS, strlen(SCISSORS)) == 0)
		len = 0;
	rc = blob_scan(s, "(commit message)", "", data, len);
	free(data);
	if (rc != SCAN_OK) {
		snprintf(why, cap, "cannot scan the message");
		return -1;
	}
	return 0;
}

int
cli_commit_msg(int argc, char **argv)
{
	struct message msg;
	const char *hook = NULL;
	char *args[2];
	int i = 1, rc;

	if (argc >= 3 && strcmp(argv[1], "--hook") == 0) {
		hook = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: sasguard commit-msg [--hook PATH] "
		    "FILE\n");
		return EXIT_TROUBLE;
	}
	msg.path = argv[i];
	args[0] = argv[i];
	args[1] = NULL;
	signal(SIGPIPE, SIG_IGN);
	if ((rc = client_chained(hook, "commit-msg", args)) != 0)
		return rc < 0 ? EXIT_TROUBLE : rc;
	return client_check(message_check, &msg, REPORT_MESSAGE);
}
