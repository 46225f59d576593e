/*
 * meta.h - what a change holds besides the lines of its diff: commit and
 * tag messages, the names of new files, and files git takes for binary.
 *
 * meta_read() reads the -z stream of GIT_PUSH_META (git.h): each commit's
 * id and message, then its files as raw records (status, name). A message
 * is scanned as it comes, and so is the name of every file a commit adds.
 * meta_binary() is the diff reader's callback (diff.h) for each file the
 * diff shows as binary: it queues the blob, and meta_objects() then reads
 * each one whole from git and scans it decoded (blob.h).
 */
#ifndef SASGUARD_META_H
#define SASGUARD_META_H

#include <stddef.h>

#include "git.h"
#include "scan.h"

struct meta_blob;

struct meta {
	struct scan *scan;
	char commit[DIFF_COMMIT_MAX];
	int want;			/* what the next token is */
	int colons;			/* of the open raw record */
	char status[16];
	char id[72];
	/* Binary blobs to read whole. */
	struct meta_blob *blobs;
	size_t nblobs, capblobs;
	int nomem;			/* meta_binary() could not queue one */
	char *tok;			/* a token cut between two reads */
	size_t toklen, tokcap;
	struct git_proc objects;	/* git cat-file --batch, or pid 0 */
	/* Its output, read through this buffer: each struct meta has its
	 * own (the inventory keeps two cat-file processes at once). */
	char objbuf[16384];
	size_t objpos, objlen;
	unsigned long long blob_bytes;	/* read for meta_objects() */
};

void meta_init(struct meta *m, struct scan *s);
void meta_release(struct meta *m);

/* The diff reader's binary callback: user is the struct meta. */
void meta_binary(void *user, const char *commit, const char *path,
    const char *blob);

/* Reads fd to its end. Returns a scan_status (SCAN_EREAD: errno). */
int meta_read(struct meta *m, int fd);

/* The same stream, its first len bytes already read into held (from a
 * spool, spool.h), the rest still in fd (-1: there is no rest). */
int meta_read_held(struct meta *m, const char *held, size_t len, int fd);

/*
 * The messages-and-names output held in memory while the diff is read
 * (git_beside(), git.h): about 400 bytes a commit, so 16 MiB holds some
 * 40000 commits. Past it the rest waits in git's pipe and is read after
 * the diff, as if nothing ran beside it.
 */
#define META_HELD_MAX (16 * 1024 * 1024)

/* meta_read_held() in the shape git_beside() hands held output to
 * (struct git_two): err, a failed read of the pipe, is SCAN_EREAD. */
int meta_held(void *m, const char *held, size_t len, int fd, int err);

/* meta_read() in the shape git_pipe() hands output to (git.h). */
int meta_through(void *m, int fd);

/*
 * Reads every queued blob from git (one cat-file process, kept for
 * meta_object()) and scans it. Returns a scan_status; on SCAN_EREAD, why
 * says what failed.
 */
int meta_objects(struct meta *m, char *why, size_t cap);

/*
 * Reads one object whole into *data (malloc'd; the caller frees) and its
 * type ("commit", "tag", "tree", "blob"; "missing") into type. Returns 0,
 * or -1 with why filled.
 */
int meta_object(struct meta *m, const char *id, char *type, size_t typecap,
    char **data, size_t *len, char *why, size_t cap);

/* Scans one object as whole content named path (blob.h). */
int meta_object_scan(struct meta *m, const char *id, const char *path,
    const char *commit, char *why, size_t cap);

/* Ends the cat-file process: 0, or -1 with why filled. */
int meta_finish(struct meta *m, char *why, size_t cap);

#endif
