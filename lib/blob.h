/*
 * blob.h - scan a whole piece of content, every line of it new: a file as
 * it is (--files), a blob git calls binary, a commit or tag message, a
 * file name.
 *
 * Git shows a file it takes for binary as "Binary files ... differ", and
 * that hides text that is merely not UTF-8: UTF-16 (what PowerShell 5.1's
 * ">" and .reg exports write), UTF-32, or text with a stray NUL byte. So
 * the content is decoded first:
 *   - a UTF-16 or UTF-32 byte order mark: decoded to UTF-8 (a unit that is
 *     not a character becomes U+FFFD);
 *   - a UTF-8 byte order mark: dropped;
 *   - anything else: NUL bytes are dropped. UTF-16 and UTF-32 without a
 *     mark then read as their ASCII text, which is where every SAS token
 *     lives, and a text file with a NUL reads as the text it is. Real
 *     binaries (images, archives) go through the same way: they are
 *     searched, never skipped, because a token can sit in an image's
 *     uncompressed text chunk or after an archive's end.
 * The encoding is told from the first bytes alone (a mark), so content
 * fed in pieces of any size decodes the same.
 *
 * The decoded text reaches the scanner as added lines of a file named
 * `path` in commit `commit`, numbered from 1, with runs, splits and
 * exceptions exactly as for a diff. Memory is bounded: the text goes on in
 * pieces of at most BLOB_PIECE bytes of whole lines; a line longer than
 * that is cut with BLOB_OVERLAP bytes repeated at the start of the next
 * piece, so a token up to that size across the cut is still seen whole.
 */
#ifndef SASGUARD_BLOB_H
#define SASGUARD_BLOB_H

#include <stddef.h>

#include "scan.h"

#define BLOB_PIECE	(512 * 1024)
#define BLOB_OVERLAP	(32 * 1024)
#define BLOB_NAME_MAX	4096

enum blob_encoding {
	BLOB_UNKNOWN,		/* fewer than 4 bytes seen so far */
	BLOB_BYTES,		/* as it is, NUL bytes dropped */
	BLOB_UTF16LE, BLOB_UTF16BE, BLOB_UTF32LE, BLOB_UTF32BE
};

struct blob {
	struct scan *scan;
	char path[BLOB_NAME_MAX];
	char commit[DIFF_COMMIT_MAX];
	enum blob_encoding enc;
	unsigned char head[4];	/* the first bytes, until the mark is known */
	size_t nhead;
	unsigned char unit[4];	/* a code unit cut between two feeds */
	size_t nunit;
	unsigned long hi;	/* a high surrogate waiting for its pair */
	char *text;		/* decoded, not yet scanned: "+line\n"... */
	size_t len;
	size_t line_start;	/* where the open line starts in text */
	long lineno;		/* the number of the open line */
	long piece_first;	/* ... of the first line in text */
	unsigned long long bytes;	/* content bytes fed */
};

/* Starts content named path (shown in findings) in commit (hex, or "" /
 * NULL). Returns SCAN_OK or SCAN_ENOMEM. */
int blob_begin(struct blob *b, struct scan *s, const char *path,
    const char *commit);

/* Feeds the next len bytes of content. Returns a scan_status. */
int blob_feed(struct blob *b, const void *data, size_t len);

/* Ends the content: scans what is left. Returns a scan_status. Always
 * frees what blob_begin() took, also after an error. */
int blob_end(struct blob *b);

/* Frees without scanning (after an error elsewhere). */
void blob_release(struct blob *b);

/* The whole content at once: begin, feed, end. */
int blob_scan(struct scan *s, const char *path, const char *commit,
    const void *data, size_t len);

/* The encoding the first bytes of content announce (at least 4 bytes, or
 * all there is). */
enum blob_encoding blob_encoding_of(const unsigned char *p, size_t n);

#endif
