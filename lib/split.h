/*
 * split.h - SAS tokens split over consecutive added lines, the way code
 * splits a long string: concatenation ("..." + / "..." "..." in Python,
 * JavaScript, C#, Java, Go), shell (url="${url}&sig=..."), backslash
 * continuations, YAML folding, a comment wrapped by an editor.
 *
 * Each added line is reduced to the text it contributes (its fragment):
 * the contents of its string literals, or, on a line without quotes, the
 * line itself without indentation, comment marker and continuation
 * character. The fragments of the consecutive added lines of one hunk
 * are joined and scanned again; a token that reaches into the current
 * line and was not found whole on a line of the run is handed on (this
 * also catches "sv=...&sp=rw" + "&sig=..." on one line).
 *
 * Reported once, at the first added line at which the lines so far make
 * it a whole token - the line where its signature (usually the last
 * parameter) ends. Parameters on still later lines are not seen. A token
 * whose signature was already found in the same run of lines, whole or
 * split, is not reported again. A line that is a token by itself
 * ("&se=...&sig=...") is reported as that alone, without the parameters
 * earlier lines add (it still has its se, sp or other parameter).
 *
 * Bounded: the last SPLIT_TAIL bytes of at most SPLIT_LINES earlier
 * lines of the run are joined to the first SPLIT_HEAD bytes of the
 * current line. Earlier lines are not kept here: they are read back from
 * the diff reader's buffer (diff_line.before), so a line without a
 * "sig=" costs nothing unless one of the SPLIT_LINES lines before it has
 * one - and for those, split_line asks the reader to hand them on
 * (`follow`). Lines that come in windows (over DIFF_WINDOW bytes) and
 * lines outside a hunk are in no run. Nothing is allocated: a zeroed
 * struct split is an empty run.
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
#define SPLIT_CUR	8

struct split {
	unsigned long long run;	/* the run of the last line seen */
	int triggered;		/* it has had a line with a "sig=" */
	long trigger_line;	/* the last such line */
	/* After split_line: how many of the run's next lines it must see. */
	long follow;
	char join[SPLIT_TAIL + SPLIT_HEAD];
	size_t boundary;	/* where the current line starts in join */
	/* Hashes of the signatures already seen in this run. */
	uint64_t seen[SPLIT_SEEN];
	int nseen, seen_next;
	/* ... and of those whole on the current line. */
	uint64_t cur[SPLIT_CUR];
	int ncur;
	sas_token_fn fn;
	void *user;
};

/*
 * Feeds one added line (window) to the run, after the caller has scanned
 * it whole; calls fn for each token split over this line and earlier
 * ones. Returns 0, or fn's non-zero return. Lines of a run may be left
 * out, but not those sp->follow asked for after the last call.
 */
int split_line(struct split *sp, const struct diff_line *line,
    sas_token_fn fn, void *user);

/*
 * The text a line contributes when joined with its neighbours, written
 * to out (at most cap bytes); returns its length. *quote is the string
 * left open by the line before ('"', '\'', '`' or 0) and is updated.
 */
size_t split_fragment(const char *s, size_t len, int *quote, char *out,
    size_t cap);

#endif
