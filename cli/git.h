/*
 * git.h - the one room where sasguard runs git.
 *
 * Every git command line sasguard uses is a row of one table (git.c), run
 * without a shell, with the same fixed prefix of settings, so that what a
 * user's or server's git config says about prefixes, colour, external diff
 * drivers, textconv, renames or replace refs cannot change what the
 * scanner reads. A row's "$1", "$2"... take the caller's arguments.
 *
 * The program is "git" on PATH, or $SASGUARD_GIT when set: the server's
 * environment, which no pusher can set (git puts its own exec path first
 * on a hook's PATH, so PATH cannot put a wrapper in front of git there;
 * the tests use this to make git slow or fail for real).
 *
 * A watchdog bounds the time of everything run here: when it fires, every
 * git still running is killed, its pipe ends, and the caller sees the
 * failure and asks git_timed_out().
 */
#ifndef SASGUARD_GIT_H
#define SASGUARD_GIT_H

#include <stddef.h>
#include <sys/types.h>

enum git_cmd {
	GIT_CONFIG_GET,		/* config --path --get $1 */
	GIT_EMPTY_TREE,		/* hash-object -t tree /dev/null */
	GIT_HEAD,		/* rev-parse --verify -q HEAD^{commit} */
	GIT_TOPLEVEL,		/* rev-parse --show-toplevel */
	GIT_GIT_PATH,		/* rev-parse --git-path $1 */
	GIT_COMMON_DIR,		/* rev-parse --git-common-dir */
	GIT_NEW_COMMITS,	/* rev-list --parents (stdin) --not --all */
	GIT_PUSH_DIFF,		/* log -p --cc of what stdin brings */
	GIT_PUSH_META,		/* log -z --raw: messages, names */
	GIT_STAGED_DIFF,	/* diff-index --cached -p $1 */
	GIT_STAGED_META,	/* diff-index --cached -z --raw: added names */
	GIT_OBJECTS,		/* cat-file --batch */
	GIT_TREE_FILES,		/* ls-tree -r -z $1 */
	GIT_ALL_COUNT,		/* rev-list --all --count */
	GIT_ALL_DIFF,		/* log -p --cc of every commit */
	GIT_ALL_META,		/* log -z --raw of every commit */
	GIT_TAG_OBJECTS,	/* for-each-ref: every ref's object and type */
	GIT_CMD_COUNT
};

/* The context lines around each change: they complete a token split over
 * lines of which only one is added. */
#define GIT_CONTEXT "-U10"

struct git_proc {
	pid_t pid;
	int in;		/* write end of git's stdin, or -1 */
	int out;	/* read end of git's stdout */
	enum git_cmd cmd;
};

/*
 * Starts row cmd with args (NULL-terminated, may be NULL). When with_stdin,
 * p->in is a pipe to git's standard input, else git reads /dev/null.
 * git's standard error stays ours. Returns 0, or -1 with errno set.
 */
int git_start(struct git_proc *p, enum git_cmd cmd, const char *const *args,
    int with_stdin);

/*
 * Closes what is left open and waits for git. Returns 0 when git exited 0,
 * else -1 with why filled ("exited with status 128", "was killed by
 * signal 9", "ran out of time", or the wait's error).
 */
int git_finish(struct git_proc *p, char *why, size_t cap);

/* Runs cmd to the end and keeps its output, trimmed of one final newline,
 * in out (NUL-terminated; at most cap - 1 bytes, more is an error).
 * Returns 0, 1 when git exited 1 (e.g. "config --get": not set), or -1
 * with why filled. */
int git_read(enum git_cmd cmd, const char *const *args, char *out,
    size_t cap, char *why, size_t whycap);

/*
 * Runs cmd with input[0..len) on its stdin (input NULL: none), hands the
 * read end of its stdout to fn, and waits for it. Returns 0 when git
 * exited 0, with fn's return in *status; else -1 with why filled (git
 * could not start, be written to, or failed), *status as fn left it.
 */
int git_pipe(enum git_cmd cmd, const char *const *args, const char *input,
    size_t len, int (*fn)(void *, int), void *user, int *status, char *why,
    size_t cap);

/*
 * What git_beside() does with two commands' output: fn reads the first's
 * from its pipe as it comes; held gets the second's, the bytes a thread
 * held in memory meanwhile (at most max; spool.h) then, when there is
 * more, the pipe to read the rest from (-1: none), or err, the errno of
 * a failed read of the pipe. status and held_status are what they
 * returned (0 when not called).
 */
struct git_two {
	int (*fn)(void *user, int fd);
	void *user;
	int (*held)(void *user, const char *buf, size_t len, int fd, int err);
	void *held_user;
	size_t max;
	int status, held_status;
};

/*
 * git_pipe() for two commands at once, the second started first, each
 * given input[0..len): with a second core, the second costs no wall time
 * beside the first. Only the calling thread runs fn and held (held after
 * fn), so what they share needs no lock. When the first git fails or fn
 * returns non-zero, the second is killed and held is not called. Returns
 * 0, or -1 with why filled: the first git's failure, else the second's
 * (then held_status is what it read said; git's own failure comes first).
 */
int git_beside(enum git_cmd first, enum git_cmd second,
    const char *const *args, const char *input, size_t len,
    struct git_two *t, char *why, size_t cap);

/*
 * git_pipe()'s first half: starts cmd with input[0..len) written to its
 * stdin and closed (input NULL: none), its stdout left in g->out for the
 * caller, who then calls git_finish(). Returns 0, or -1 with why filled
 * (and git waited for).
 */
int git_begin(struct git_proc *g, enum git_cmd cmd, const char *const *args,
    const char *input, size_t len, char *why, size_t cap);

/* Kills g's process group (before git_finish(): when what it says is no
 * longer wanted, so that waiting for it is short). */
void git_kill(struct git_proc *g);

/* Writes all of buf to fd; -1 with errno on failure. */
int git_write_all(int fd, const void *buf, size_t len);

/* The watchdog: after seconds (0: never), kill every git still running.
 * git_timed_out() tells whether it fired. */
void git_watchdog(double seconds);
int git_timed_out(void);

/* The name of a row, for messages: "git log (push diff)". */
const char *git_cmd_name(enum git_cmd cmd);

#endif
