/*
 * spool.c - a pipe drained into memory by a thread (see spool.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

/* The first buffer; it doubles up to max. */
#define SPOOL_FIRST (256 * 1024)

static void *
spool_run(void *arg)
{
	struct spool *sp = arg;
	ssize_t r;

	for (;;) {
		if (sp->len == sp->cap) {
			size_t cap = sp->cap ? 2 * sp->cap : SPOOL_FIRST;
			char *q;

			if (cap > sp->max)
				cap = sp->max;
			/* Full, or no memory: the rest waits in the pipe. */
			if (cap <= sp->len ||
			    (q = realloc(sp->buf, cap)) == NULL) {
				sp->more = 1;
				return NULL;
			}
			sp->buf = q;
			sp->cap = cap;
		}
		/* No signal reaches this thread (spool_start): no EINTR. */
		r = read(sp->fd, sp->buf + sp->len, sp->cap - sp->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sp->err = errno;
			return NULL;
		}
		if (r == 0)
			return NULL;
		sp->len += (size_t)r;
	}
}

void
spool_start(struct spool *sp, int fd, size_t max)
{
	sigset_t all, old;

	memset(sp, 0, sizeof *sp);
	sp->fd = fd;
	sp->max = max;
	/*
	 * The thread blocks every signal, so the watchdog's SIGALRM (git.c)
	 * still interrupts the main thread's reads as before; when it kills
	 * the git, this thread just sees the pipe end.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	sp->running = pthread_create(&sp->thread, NULL, spool_run, sp) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* No thread: nothing held, the whole output read after. */
	if (!sp->running)
		sp->more = 1;
}

void
spool_join(struct spool *sp)
{
	if (sp->running)
		pthread_join(sp->thread, NULL);
	sp->running = 0;
}

void
spool_release(struct spool *sp)
{
	spool_join(sp);
	free(sp->buf);
	sp->buf = NULL;
	sp->len = sp->cap = 0;
}
