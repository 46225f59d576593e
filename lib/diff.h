/*
 * diff.h - read a unified diff as git prints it and hand on the lines it
 * adds.
 *
 * Understands git diff / diff --cached / diff-index -p / show / log -p
 * (remembering each "commit <id>" line), combined diffs of merges
 * (@@@ headers), and mailbox patches from git format-patch ("From <id>").
 * Paths come from "+++ " (or "rename to" / "copy to" for a rename with no
 * hunk), unquoted when git quoted them with octal escapes, without the b/
 * prefix (and with --no-prefix, as they are), without the TAB git adds
 * after a path with a space. "+++ /dev/null" (a deleted file) adds nothing.
 *
 * Only lines added inside a hunk are handed on, numbered by the new side of
 * the hunk header; a '+' line outside any hunk (a diff whose counts lie) is
 * handed on too, with line number 0, so that no added text goes unseen.
 *
 * Lazily: by default an added line is handed on only when it has a hint
 * (see `candidate`), when the callback asked for the lines after it
 * (`follow`), or when it comes in windows. The bodies of hunks are
 * otherwise only counted, 64 bytes at a time (line ends, first bytes,
 * hints and anchors from one pass), never copied nor handed on; the lines
 * skipped stay readable, as the `before` of a later line of their run.
 * With `every` set, every added line is handed on, one at a time.
 *
 * Memory is fixed: the reader keeps one buffer of DIFF_BUFSIZE_TOTAL
 * bytes (DIFF_HISTORY of them for what was read last). A line longer than
 * DIFF_WINDOW is handed on in overlapping windows of at most DIFF_WINDOW
 * bytes, each overlapping the one before by DIFF_OVERLAP bytes (see
 * struct diff_line), so it is never held whole.
 */
#ifndef SASGUARD_DIFF_H
#define SASGUARD_DIFF_H

#include <stddef.h>

#define DIFF_WINDOW	(1024 * 1024)
#define DIFF_OVERLAP	(64 * 1024)
#define DIFF_BUFSIZE	(DIFF_WINDOW + 64 * 1024)
/* Bytes already read that the buffer keeps in front of the unread ones,
 * so that a line can look back at its run (struct diff_line, before). */
#define DIFF_HISTORY	8192
#define DIFF_BUFSIZE_TOTAL	(DIFF_BUFSIZE + DIFF_HISTORY)
/* Bytes after a whole line that the reader has read before it hands the
 * line on, unless the input ends sooner (struct diff_line, after). */
#define DIFF_LOOKAHEAD	8192
/* Parents of a merge the reader follows in a combined diff (@@@ ...). */
#define DIFF_PARENTS_MAX	8
#define DIFF_PATH_MAX	4096
#define DIFF_COMMIT_MAX	72

struct diff_line {
	const char *text;	/* the added text, without '+' and line end */
	size_t len;
	/*
	 * Tokens that start at or after `limit` belong to the next window:
	 * limit == len on the last (or only) window of a line. Each window
	 * after the first starts DIFF_OVERLAP bytes before the previous
	 * window's end, i.e. at the previous window's limit.
	 */
	size_t limit;
	size_t offset;		/* where text starts within the whole line */
	int first, last;	/* this window starts / ends the line */
	long lineno;		/* new-side line number; 0 when unknown */
	/*
	 * The run the line is in: the consecutive added lines of one hunk.
	 * Lines handed on share a run iff their `run` is equal, over all
	 * inputs read with one struct diff. 0 outside any hunk and for the
	 * windows of a long line, which belong to no run; a line numbered 0
	 * (a hunk header that says +0) may still be in one.
	 */
	unsigned long long run;
	/*
	 * The lines of the run before this one, as the diff has them: each
	 * `prefix` bytes of '+' and ' ' (one per parent), its text, maybe a
	 * CR, and '\n'; `before` ends where this line's prefix starts. Only
	 * what the buffer still holds: when `before_cut`, the run started
	 * earlier and the first of these lines has lost its start, but at
	 * least DIFF_HISTORY - 1 bytes are there. Empty for a run's first
	 * line. Valid, like text, for the duration of the call.
	 */
	const char *before;
	size_t beforelen;
	int before_cut;
	int prefix;
	/*
	 * What the reader holds after a whole line: the diff as it is, from
	 * the start of the next line, at least DIFF_LOOKAHEAD bytes unless
	 * the input ends sooner; after_new and after_old are the lines the
	 * open hunk still owes on the new and the old side (0 when no
	 * one-parent hunk is open), so a reader of `after` knows where the
	 * hunk ends. Empty for windows. Valid for the duration of the call.
	 */
	const char *after;
	size_t afterlen;
	long after_new, after_old;
	/* 1: an unchanged (context) line of a hunk, handed on because it
	 * has a hint and struct diff's `context` asked for them. Nothing
	 * on it is added. */
	int context;
	/* 0 when the line surely holds no SAS token in any form the engine
	 * reads: no 'g', 'G' or '7' before '=', '%', '\\' or '&', no
	 * "&#", no "ig" before a quote, ':' or a blank, no 2l, pZ or Wc
	 * (base64's "sig=") (see diff.c, hint_at). Always 1 for windows.
	 * Lines handed on for `every` or `follow` may have 0. */
	int candidate;
	/* 1 when the whole line holds an anchor (anchor.h): code that makes
	 * a SAS, or a storage account key. Such a line is handed on even
	 * without a hint. For a window, whether the window holds one. */
	int anchor;
	const char *path;	/* NUL-terminated; "" when unknown */
	const char *commit;	/* NUL-terminated hex id; "" when unknown */
};

/* Return 0 to go on, anything else to stop diff_read() with that value. */
typedef int (*diff_line_fn)(void *user, const struct diff_line *line);

struct diff {
	/* Set by the caller. */
	int every;			/* hand on every added line */
	/*
	 * Added lines still to hand on, hint or not, while the run they
	 * are in goes on. The callback may raise it, to see the lines after
	 * the one it is given (split.c does, after a "sig=").
	 */
	long follow;
	/*
	 * Hand on the unchanged lines of a hunk that have a hint, flagged
	 * `context`, and make each hunk's body one run: its added and
	 * unchanged lines, and its removed ones, which `before` and `after`
	 * hold too (their prefix says '-'), so that text split over lines
	 * can be rebuilt from what an added line leaves unchanged around it.
	 */
	int context;

	/*
	 * Called for each file the diff shows as "Binary files ... differ"
	 * (git takes it for binary: a NUL, an attribute, its size), with the
	 * commit, the path and the new blob's id from the "index" line (git
	 * diff --full-index prints it whole); not for a deleted file. The
	 * caller reads such a blob itself (blob.h). NULL: ignored.
	 */
	void (*binary)(void *user, const char *commit, const char *path,
	    const char *blob);
	void *binary_user;

	/* The reader's own. */
	char *buf;			/* DIFF_BUFSIZE_TOTAL bytes */
	unsigned long long base;	/* where buf[0] is, over all inputs */
	unsigned long long run_start;	/* where the open run starts */
	int run_open;			/* the last line read was added */
	int body;			/* ... and was in a hunk */
	char path[DIFF_PATH_MAX];
	char commit[DIFF_COMMIT_MAX];
	char blob[DIFF_COMMIT_MAX];	/* the open file's new blob id */
	/* hunk state: lines still expected per parent and on the new side */
	int in_hunk;
	int parents;			/* 1, or more in a combined diff */
	long old_left[DIFF_PARENTS_MAX];
	long new_left;
	long lineno;
	long cur_lineno;		/* the number of the line just read */
	int is_context;			/* the hunk line just read is one */
	size_t fill;			/* bytes of buf read so far */
	int after_minus;		/* the last header line was "--- " */
	int minus_a;			/* ... and its path began with a/ */
	int dev_null;			/* "+++ /dev/null": nothing is added */
	int prefixed;			/* 1: paths carry a/ b/; 0: they do
					 * not (--no-prefix); -1: unknown */
	/* a line longer than one window, between its windows */
	int mid_line, mid_added;
	size_t mid_offset;
	long mid_lineno;
	unsigned long long lines;	/* lines read, for messages */
	/* Lines that make the input a diff ("diff --git", "+++ ", a hunk
	 * header, "commit <id>", "From <id>"), and lines that start with
	 * ESC (a coloured diff): an input with lines but none of the first
	 * is no diff, and one with any of the second cannot be read. */
	unsigned long long seen, coloured;
	long truncated;			/* lines a hunk still owed at EOF */
};

/* diff_init allocates the buffer: returns 0, or -1 (errno set). */
int diff_init(struct diff *d);
void diff_release(struct diff *d);

/*
 * Reads fd to end of file and calls fn for every added line (window).
 * State carries over between calls on the same struct diff only for the
 * commit id; each call starts outside any hunk.
 * Returns 0 at end of input, fn's non-zero return, or -1 on a read error
 * (errno set). After a return of 0, d->truncated > 0 when the input ended
 * inside a hunk that still owed lines: the diff was cut short.
 */
int diff_read(struct diff *d, int fd, diff_line_fn fn, void *user);

/* Same, over a buffer in memory (tests, fuzzing). */
int diff_read_mem(struct diff *d, const char *data, size_t len,
    diff_line_fn fn, void *user);

#endif
