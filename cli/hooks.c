/*
 * hooks.c - what every subcommand needs: the rules, and the hooks that
 * were in place before sasguard.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "git.h"
#include "scan.h"

int
cli_rules(struct rules *r, const char *config, int server)
{
	char err[RULES_ERR_MAX];

	if (rules_init(r, err, sizeof err) != 0) {
		fprintf(stderr, "sasguard: %s\n", err);
		return -1;
	}
	/* Pushed content never weakens the server: a marker the pusher
	 * wrote counts only where the server's own rules say so. */
	if (server)
		r->allow.inline_marker = 0;
	if (config != NULL && rules_load(r, config, err, sizeof err) != 0) {
		fprintf(stderr, "sasguard: %s\n", err);
		rules_release(r);
		return -1;
	}
	if (r->allow.baseline[0] != '\0' && allow_load_baseline(&r->allow,
	    r->allow.baseline, err, sizeof err) != 0) {
		fprintf(stderr, "sasguard: %s\n", err);
		rules_release(r);
		return -1;
	}
	return 0;
}

int
cli_run(const char *path, char **args, const char *input, size_t len)
{
	char *argv[16];
	int in[2] = { -1, -1 }, status, i;
	pid_t pid;

	argv[0] = (char *)path;
	for (i = 0; args != NULL && args[i] != NULL && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (input != NULL && pipe(in) != 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (in[0] >= 0) {
			dup2(in[0], 0);
			close(in[0]);
			close(in[1]);
		}
		signal(SIGPIPE, SIG_DFL);
		execv(path, argv);
		_exit(126);
	}
	if (in[0] >= 0) {
		close(in[0]);
		/* A hook that does not read its input is its own business. */
		git_write_all(in[1], input, len);
		close(in[1]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int
cli_chained(const char *hook, const char *name, char **args,
    const char *input, size_t len)
{
	char path[4096];
	struct stat st;
	const char *slash;
	int rc;

	if (hook == NULL)
		return 0;
	slash = strrchr(hook, '/');
	snprintf(path, sizeof path, "%.*s%s.sasguard-chained",
	    slash != NULL ? (int)(slash - hook + 1) : 0, hook, name);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    access(path, X_OK) != 0)
		return 0;
	if ((rc = cli_run(path, args, input, len)) < 0)
		fprintf(stderr, "sasguard: cannot run '%s': %s\n", path,
		    strerror(errno));
	return rc;
}

const char *
cli_scan_words(int status)
{
	switch (status) {
	case SCAN_OK: return "done";
	case SCAN_ENOMEM: return "out of memory";
	case SCAN_EWRITE: return "cannot write the report";
	case SCAN_EREGEX: return "an [allow] regex failed";
	case SCAN_EREAD: return errno ? strerror(errno) :
	    "cannot read its output";
	default: return "the scan stopped";
	}
}

int
cli_scan_fd(void *scan, int fd)
{
	return scan_fd(scan, fd);
}
