/*
 * spool.h - a pipe read into memory by a thread of its own, while the
 * main thread does other work, so that the process writing the pipe never
 * waits for us (pre-receive: the messages-and-names git runs beside the
 * diff git, on the second core, instead of after it).
 *
 * The thread only reads and grows one buffer: it never scans, reports or
 * starts a process. It holds at most max bytes; past that (or when memory
 * runs out, or no thread can be made) it stops reading and the rest stays
 * in the pipe, its writer blocked, for the caller to read after
 * spool_join(): nothing is lost, only the overlap.
 */
#ifndef SASGUARD_SPOOL_H
#define SASGUARD_SPOOL_H

#include <pthread.h>
#include <stddef.h>

struct spool {
	int fd;
	char *buf;		/* what was read, len bytes */
	size_t len, cap, max;
	int more;		/* stopped before the end: the rest is in fd */
	int err;		/* errno of a failed read, or 0 */
	int running;
	pthread_t thread;
};

/* Starts reading fd (not closed here) into memory, up to max bytes. */
void spool_start(struct spool *sp, int fd, size_t max);

/* Waits for the thread: then buf, len, more and err are the caller's. */
void spool_join(struct spool *sp);

void spool_release(struct spool *sp);

#endif
