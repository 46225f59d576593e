/*
 * split.h - text split over consecutive lines, the way code splits a long
 * string: concatenation ("..." + / "..." "..." / ++ in Python,
 * JavaScript, C#, Java, Go, Zig), appending (url="${url}&sig=...",
 * url += ...), backslash continuations, YAML folding, a comment wrapped by
 * an editor, a notebook's JSON string elements (notebook.h).
 *
 * split_join() takes a line of a run (diff.h: with the reader's
 * `context`, a hunk's added and unchanged lines; removed lines never
 * join) and the lines around it - before it (diff_line.before) and after
 * it (diff_line.after) - and joins the ones that continue each other into
 * one text, which the token finder then reads. Each line is reduced to the
 * text it contributes (its fragment): the contents of its string literals,
 * or, on a line without quotes, the line itself without indentation,
 * comment marker and continuation character.
 *
 * Only string content joins, never bare code. Line B continues line A
 * when A leaves a string open, ends in a continuation ('\\', '`'), or is
 * a notebook element cut mid-line; or when both are code and B is a
 * string (after an operator such as '+', or alone, as in Python's
 * "..." "...") or appends to a variable (url += "...", X="${X}...")
 * and A did not end its statement with ';' before a plain string; or
 * when both are comments with one marker, or both are bare and B is
 * indented, and B's fragment holds no blank. A line of code before the
 * first string (print("x"), client = Foo(...)), a preprocessor line
 * (#endif), a blank line, or a change of kind ends the join.
 *
 * Bounded: at most SPLIT_LINES lines and SPLIT_TAIL bytes of text on each
 * side, and the first SPLIT_HEAD bytes of the line itself. Nothing is
 * allocated: a zeroed struct split is an empty run.
 */
#ifndef SASGUARD_SPLIT_H
#define SASGUARD_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "sas.h"

#define SPLIT_TAIL	2048
#define SPLIT_HEAD	2048
#define SPLIT_LINES	32
#define SPLIT_SEEN	16
#define SPLIT_WIN	(2 * SPLIT_LINES + 1)
#define SPLIT_TEXT	(2 * SPLIT_TAIL + SPLIT_HEAD)

/* One line of the window around the line split_join() was given. */
struct split_piece {
	const char *raw;	/* the line as the diff has it, no prefix */
	size_t rawlen;
	const char *text;	/* what is read of it (a notebook's decoded) */
	size_t len;
	int added;		/* 1: added; 0: unchanged */
	int cut;		/* only part of the line is there */
	int nb_open;		/* a notebook element that goes on */
	long lineno;
	/* Its fragment: frag[frag_at .. frag_at + frag_len). */
	size_t frag_at, frag_len;
	int quote_out;		/* the string it leaves open */
	unsigned flags;		/* what it is, for joining (split.c) */
};

/* Which lines a span of the joined text covers. */
struct split_span {
	int first, last;	/* window indexes */
	int added;		/* ... of which some are added */
	int report;		/* the line to report at: the signature's
				 * if added, else the first added one */
};

struct split {
	unsigned long long run;	/* the run of the last line seen */
	/* Fingerprints of the tokens reported in this run. */
	uint64_t seen[SPLIT_SEEN];
	int nseen, seen_next;
	/* After split_join(): the window, and the chain joined. */
	struct split_piece win[SPLIT_WIN];
	int nwin, cur;		/* lines in win; the line given */
	int chain_first, chain_last;
	char frag[SPLIT_TEXT];	/* fragments of the window, in order */
	char nb[SPLIT_TEXT];	/* a notebook's decoded elements */
	/* Unused; kept so that callers of the old interface still build. */
	long follow;
};

/*
 * Reads the window around line into sp->win (raw lines, nothing joined):
 * returns how many lines, 0 for windows of a long line and lines outside
 * a run. split_join() does this first.
 */
int split_window(struct split *sp, const struct diff_line *line);

/*
 * Reads the window around line and joins the lines that continue it.
 * Returns the length of the joined text at *text (inside sp->frag), or 0
 * when no other line joins the line (nothing to read beyond the line
 * itself). Windows of a long line and lines outside a run join nothing.
 */
size_t split_join(struct split *sp, const struct diff_line *line,
    const char **text);

/* Which lines of the window the joined text's [start, end) covers, and
 * where the signature at [sig_start, sig_end) ends. Returns 0, or -1
 * when the span is not in the joined text. */
int split_span_of(const struct split *sp, size_t start, size_t end,
    size_t sig_end, struct split_span *out);

/* Has the run seen this fingerprint already? Notes it when not. */
int split_seen(struct split *sp, uint64_t fp);

/*
 * The text a line contributes when joined with its neighbours, written
 * to out (at most cap bytes); returns its length. *quote is the string
 * left open by the line before ('"', '\'', '`' or 0) and is updated.
 */
size_t split_fragment(const char *s, size_t len, int *quote, char *out,
    size_t cap);

#endif
