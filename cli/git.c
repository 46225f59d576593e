/*
 * git.c - the argv table, and running its rows (see git.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "git.h"
#include "spool.h"

#define GIT_ARGV_MAX 64
#define GIT_LIVE_MAX 8

/* In front of every row: what the scanner reads must not depend on the
 * user's or server's settings. */
static const char *const prefix[] = {
	"git", "--no-pager",
	"-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
	"-c", "core.quotePath=false", "-c", "diff.relative=false",
	"-c", "log.showSignature=false", "-c", "color.ui=never",
	"-c", "diff.renames=false", "-c", "diff.submodule=short",
	NULL
};

/* What git log and diff print for the scanner: hunks of added lines with
 * GIT_CONTEXT lines around them, no colour, no external diff, no textconv
 * (a repository's own .gitattributes cannot turn a file into something
 * else), no renames (a renamed file shows its lines), fixed a/ b/. */
#define DIFF_OPTS "-p", GIT_CONTEXT, "--full-index", "--no-color", \
	"--no-ext-diff", \
	"--no-textconv", "--no-renames", "--no-relative", \
	"--src-prefix=a/", "--dst-prefix=b/"
/* The same changes as a list of names with their status (a file the
 * commit adds), each name whole (-z). */
#define META_OPTS "-z", "--raw", "--no-abbrev", "--no-renames", \
	"--no-relative"
/* The commits a push brings: what stdin names, not what any ref had. */
#define PUSHED "--stdin", "--not", "--all"

static const struct row {
	const char *name;
	const char *argv[GIT_ARGV_MAX];
} rows[GIT_CMD_COUNT] = {
	[GIT_CONFIG_GET] = { "git config",
	    { "config", "--path", "--get", "$1" } },
	[GIT_EMPTY_TREE] = { "git hash-object",
	    { "hash-object", "-t", "tree", "/dev/null" } },
	[GIT_HEAD] = { "git rev-parse HEAD",
	    { "rev-parse", "--verify", "-q", "HEAD^{commit}" } },
	[GIT_TOPLEVEL] = { "git rev-parse --show-toplevel",
	    { "rev-parse", "--show-toplevel" } },
	[GIT_GIT_PATH] = { "git rev-parse --git-path",
	    { "rev-parse", "--git-path", "$1" } },
	[GIT_COMMON_DIR] = { "git rev-parse --git-common-dir",
	    { "rev-parse", "--git-common-dir" } },
	[GIT_NEW_COMMITS] = { "git rev-list (new commits)",
	    { "rev-list", "--parents", PUSHED } },
	/* --cc: a merge shows every line of its result that none of its
	 * parents has (a resolution's own lines, an octopus's too), in
	 * hunks where the result matches no parent; a merge that only
	 * takes each side's lines shows nothing, as those lines were shown
	 * where they were added. --remerge-diff, which merges each merge
	 * again, made git take twice as long as git log -p (bench/). */
	[GIT_PUSH_DIFF] = { "git log (the pushed changes)",
	    { "log", PUSHED, "--root", "--cc", "--format=commit %H",
	    DIFF_OPTS } },
	/* -c: a merge lists the files that differ from every parent. */
	[GIT_PUSH_META] = { "git log (messages and names)",
	    { "log", PUSHED, "--root", "-c", "--format=%x01%H%x00%B%x00",
	    META_OPTS } },
	[GIT_STAGED_DIFF] = { "git diff-index (the staged changes)",
	    { "diff-index", "--cached", "--ignore-submodules=none",
	    DIFF_OPTS, "$1", "--" } },
	[GIT_STAGED_META] = { "git diff-index (staged names)",
	    { "diff-index", "--cached", "--ignore-submodules=none",
	    "--diff-filter=A", META_OPTS, "$1", "--" } },
	[GIT_OBJECTS] = { "git cat-file", { "cat-file", "--batch" } },
	[GIT_TREE_FILES] = { "git ls-tree",
	    { "ls-tree", "-r", "-z", "--full-tree", "$1" } },
	/* sasguard inventory: every commit reachable from any ref, each
	 * once. Merges by --cc: a line no parent has is shown by it as by
	 * --remerge-diff, and a line a parent has was found in the commit
	 * that added it; --cc costs a quarter of --remerge-diff on git.git
	 * (which re-merges every merge), and covers octopus merges. */
	[GIT_ALL_COUNT] = { "git rev-list --all --count",
	    { "rev-list", "--all", "--count" } },
	[GIT_ALL_DIFF] = { "git log --all (every change)",
	    { "log", "--all", "--root", "--cc", "--format=commit %H",
	    DIFF_OPTS } },
	[GIT_ALL_META] = { "git log --all (messages and names)",
	    { "log", "--all", "--root", "-c", "--format=%x01%H%x00%B%x00",
	    META_OPTS } },
	[GIT_TAG_OBJECTS] = { "git for-each-ref (tags)",
	    { "for-each-ref", "--format=%(objectname) %(objecttype)",
	    "refs/tags" } },
};

static volatile sig_atomic_t timed_out;
static pid_t live[GIT_LIVE_MAX];

const char *
git_cmd_name(enum git_cmd cmd)
{
	return rows[cmd].name;
}

static void
on_alarm(int sig)
{
	int i;

	(void)sig;
	timed_out = 1;
	/* The whole group: what git started holds the pipe open too. */
	for (i = 0; i < GIT_LIVE_MAX; i++)
		if (live[i] > 0)
			kill(-live[i], SIGKILL);
}

void
git_watchdog(double seconds)
{
	struct sigaction sa;
	struct itimerval it;

	if (seconds <= 0)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds)
	    * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

int
git_timed_out(void)
{
	return timed_out != 0;
}

static void
live_set(pid_t old, pid_t new)
{
	int i;

	for (i = 0; i < GIT_LIVE_MAX; i++)
		if (live[i] == old) {
			live[i] = new;
			return;
		}
}

/* The row's words with $N replaced by args[N - 1]; -1 when too long or
 * an argument is missing. */
static int
argv_build(const char **argv, enum git_cmd cmd, const char *const *args)
{
	size_t n = 0, i, k, nargs = 0;

	while (args != NULL && args[nargs] != NULL)
		nargs++;
	for (i = 0; prefix[i] != NULL; i++)
		argv[n++] = prefix[i];
	/* The environment is the server's (a pusher sets none of it). */
	if (getenv("SASGUARD_GIT") != NULL && getenv("SASGUARD_GIT")[0])
		argv[0] = getenv("SASGUARD_GIT");
	for (i = 0; rows[cmd].argv[i] != NULL; i++) {
		const char *w = rows[cmd].argv[i];

		if (n + 2 >= GIT_ARGV_MAX * 2)
			return -1;
		if (w[0] == '$') {
			k = (size_t)(w[1] - '1');
			if (args == NULL || k >= nargs)
				return -1;
			argv[n++] = args[k];
			continue;
		}
		argv[n++] = w;
	}
	argv[n] = NULL;
	return 0;
}

/* In the child: the objects as they are, and whole writes. */
static void
child_exec(const char *const *argv, int in, int out)
{
	/* Its own process group, for the watchdog. */
	setpgid(0, 0);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
		_exit(127);
	if (in > 2)
		close(in);
	if (out > 2)
		close(out);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

/*
 * The environment every git is run in, set once in this process before
 * its first git (and so before any second thread, spool.h): a child of a
 * process with two threads must not change its environment between fork
 * and exec, where nothing but what is async-signal-safe may run.
 */
static void
env_pin(void)
{
	static int pinned;

	if (pinned)
		return;
	pinned = 1;
	/* A replace ref pushed earlier would show a clean commit in place
	 * of the real one. */
	setenv("GIT_NO_REPLACE_OBJECTS", "1", 1);
	/* Whole blocks down the pipe, not a flush per commit. */
	setenv("GIT_FLUSH", "0", 1);
	unsetenv("GIT_EXTERNAL_DIFF");
	unsetenv("GIT_DIFF_OPTS");
}

int
git_start(struct git_proc *p, enum git_cmd cmd, const char *const *args,
    int with_stdin)
{
	env_pin();
	const char *argv[GIT_ARGV_MAX * 2];
	int out[2], in[2] = { -1, -1 };
	int saved;

	memset(p, 0, sizeof *p);
	p->in = p->out = -1;
	p->cmd = cmd;
	if (argv_build(argv, cmd, args) != 0) {
		errno = E2BIG;
		return -1;
	}
	if (pipe(out) != 0)
		return -1;
	if (with_stdin ? pipe(in) != 0 :
	    (in[0] = open("/dev/null", O_RDONLY)) < 0) {
		saved = errno;
		close(out[0]);
		close(out[1]);
		errno = saved;
		return -1;
	}
	/* Room in the live list first: the watchdog must see every git. */
	live_set(0, -1);
	if ((p->pid = fork()) < 0) {
		saved = errno;
		live_set(-1, 0);
		close(out[0]);
		close(out[1]);
		close(in[0]);
		if (in[1] >= 0)
			close(in[1]);
		errno = saved;
		return -1;
	}
	if (p->pid == 0) {
		close(out[0]);
		if (in[1] >= 0)
			close(in[1]);
		child_exec(argv, in[0], out[1]);
	}
	live_set(-1, p->pid);
	setpgid(p->pid, p->pid);	/* before the watchdog may need it */
	if (timed_out)
		kill(-p->pid, SIGKILL);
	close(out[1]);
	close(in[0]);
	p->out = out[0];
	p->in = in[1];
	fcntl(p->out, F_SETFD, FD_CLOEXEC);
	if (p->in >= 0)
		fcntl(p->in, F_SETFD, FD_CLOEXEC);
	return 0;
}

int
git_finish(struct git_proc *p, char *why, size_t cap)
{
	int status, r;

	if (p->in >= 0)
		close(p->in);
	if (p->out >= 0)
		close(p->out);
	p->in = p->out = -1;
	while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
		;
	live_set(p->pid, 0);
	if (r < 0) {
		snprintf(why, cap, "%s: cannot wait for it: %s",
		    rows[p->cmd].name, strerror(errno));
		return -1;
	}
	if (timed_out) {
		snprintf(why, cap, "%s ran out of time", rows[p->cmd].name);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(why, cap, "%s: cannot run git", rows[p->cmd].name);
	else if (WIFEXITED(status))
		snprintf(why, cap, "%s exited with status %d",
		    rows[p->cmd].name, WEXITSTATUS(status));
	else
		snprintf(why, cap, "%s was killed by signal %d",
		    rows[p->cmd].name, WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 1 ? 1 : -1;
}

int
git_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR && !timed_out)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
git_read(enum git_cmd cmd, const char *const *args, char *out, size_t cap,
    char *why, size_t whycap)
{
	struct git_proc p;
	size_t n = 0;
	ssize_t r;
	int rc;

	if (git_start(&p, cmd, args, 0) != 0) {
		snprintf(why, whycap, "%s: cannot start git: %s",
		    rows[cmd].name, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n + 1 >= cap) {
			git_finish(&p, why, whycap);
			snprintf(why, whycap, "%s said more than %zu bytes",
			    rows[cmd].name, cap - 1);
			return -1;
		}
		r = read(p.out, out + n, cap - 1 - n);
		if (r < 0 && errno == EINTR && !timed_out)
			continue;
		if (r < 0) {
			snprintf(why, whycap, "%s: cannot read its output: %s",
			    rows[cmd].name, strerror(errno));
			git_finish(&p, why + strlen(why), 0);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	rc = git_finish(&p, why, whycap);
	return rc;
}

int
git_begin(struct git_proc *g, enum git_cmd cmd, const char *const *args,
    const char *input, size_t len, char *why, size_t cap)
{
	if (git_start(g, cmd, args, input != NULL) != 0) {
		snprintf(why, cap, "%s: cannot start git: %s",
		    rows[cmd].name, strerror(errno));
		return -1;
	}
	if (input != NULL) {
		/* git reads all of its stdin before it writes: no deadlock. */
		if (git_write_all(g->in, input, len) != 0) {
			int saved = errno;

			git_finish(g, why, cap);
			snprintf(why, cap, "%s: cannot write to git: %s",
			    rows[cmd].name, strerror(saved));
			return -1;
		}
		close(g->in);
		g->in = -1;
	}
	return 0;
}

void
git_kill(struct git_proc *g)
{
	/* Not yet waited for: the pid, and so its group, is still ours. */
	if (g->pid > 0)
		kill(-g->pid, SIGKILL);
}

int
git_beside(enum git_cmd first, enum git_cmd second, const char *const *args,
    const char *input, size_t len, struct git_two *t, char *why, size_t cap)
{
	struct git_proc a, b;
	struct spool sp;
	int failed, saved = 0;

	t->status = t->held_status = 0;
	if (git_begin(&b, second, args, input, len, why, cap) != 0)
		return -1;
	if (git_begin(&a, first, args, input, len, why, cap) != 0) {
		git_kill(&b);
		git_finish(&b, why + strlen(why), 0);
		return -1;
	}
	/* After both forks: no fork while a second thread runs. */
	spool_start(&sp, b.out, t->max);
	t->status = t->fn(t->user, a.out);
	failed = git_finish(&a, why, cap) != 0;
	/* The second's output is unwanted now: waiting for it is short. */
	if (failed || t->status != 0)
		git_kill(&b);
	spool_join(&sp);
	if (!failed && t->status == 0) {
		t->held_status = t->held(t->held_user, sp.buf, sp.len,
		    sp.more ? b.out : -1, sp.err);
		saved = errno;
	}
	spool_release(&sp);
	if (git_finish(&b, failed ? why + strlen(why) : why, failed ||
	    t->status != 0 ? 0 : cap) != 0 && !failed && t->status == 0)
		failed = 1;
	errno = saved;		/* what held's status means, if it failed */
	return failed ? -1 : 0;
}

int
git_pipe(enum git_cmd cmd, const char *const *args, const char *input,
    size_t len, int (*fn)(void *, int), void *user, int *status, char *why,
    size_t cap)
{
	struct git_proc g;

	*status = 0;
	if (git_begin(&g, cmd, args, input, len, why, cap) != 0)
		return -1;
	*status = fn(user, g.out);
	return git_finish(&g, why, cap) == 0 ? 0 : -1;
}
