/*
 * meta.c - messages, names and binary files of a change (see meta.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob.h"
#include "meta.h"

enum want {
	WANT_RECORD,		/* a raw or numstat record, or a commit */
	WANT_MESSAGE,		/* the message after "\001<id>" */
	WANT_PATH		/* the name after a raw record */
};

struct meta_blob {
	char id[72];
	char commit[DIFF_COMMIT_MAX];
	char *path;
};


void
meta_init(struct meta *m, struct scan *s)
{
	memset(m, 0, sizeof *m);
	m->scan = s;
	m->want = WANT_RECORD;
	m->objects.pid = 0;
	m->objects.in = m->objects.out = -1;
}

static void
blobs_clear(struct meta *m)
{
	size_t i;

	for (i = 0; i < m->nblobs; i++)
		free(m->blobs[i].path);
	m->nblobs = 0;
}

void
meta_release(struct meta *m)
{
	char why[256];

	blobs_clear(m);
	free(m->blobs);
	free(m->tok);
	if (m->objects.pid > 0)
		meta_finish(m, why, sizeof why);
	memset(m, 0, sizeof *m);
}

/* ":100644 100644 <old> <new> M" or, for a merge, "::" and one mode and
 * id per parent and the result's last. Keeps the result's id and the
 * status letters. */
static void
raw_record(struct meta *m, const char *p, size_t n)
{
	const char *sp = p + n, *word;

	m->colons = 0;
	while (m->colons < (int)n && p[m->colons] == ':')
		m->colons++;
	/* The status is the last word, the result's id the one before. */
	while (sp > p && sp[-1] != ' ')
		sp--;
	snprintf(m->status, sizeof m->status, "%.*s", (int)(p + n - sp), sp);
	word = sp > p ? sp - 1 : p;
	while (word > p && word[-1] != ' ')
		word--;
	snprintf(m->id, sizeof m->id, "%.*s",
	    (int)(sp > word ? sp - 1 - word : 0), word);
}

/* Only zeros: no blob (a deleted file, or a submodule's gitlink is
 * not ours to read either). */
static int
id_null(const char *id)
{
	return id[0] == '\0' || strspn(id, "0") == strlen(id);
}

/* The name after a raw record: a name no parent had is new text. */
static int
raw_path(struct meta *m, const char *p, size_t n)
{
	if (strchr(m->status, 'D') != NULL || id_null(m->id) ||
	    strspn(m->status, "A") != strlen(m->status))
		return SCAN_OK;
	return blob_scan(m->scan, "(file name)", m->commit, p, n);
}

void
meta_binary(void *user, const char *commit, const char *path,
    const char *blob)
{
	struct meta *m = user;
	struct meta_blob *b;

	if (m->nblobs == m->capblobs) {
		size_t cap = m->capblobs ? 2 * m->capblobs : 16;
		void *q = realloc(m->blobs, cap * sizeof *m->blobs);

		if (q == NULL) {
			m->nomem = 1;
			return;
		}
		m->blobs = q;
		m->capblobs = cap;
	}
	b = &m->blobs[m->nblobs];
	snprintf(b->id, sizeof b->id, "%s", blob);
	snprintf(b->commit, sizeof b->commit, "%s", commit);
	if ((b->path = strdup(path)) == NULL) {
		m->nomem = 1;
		return;
	}
	m->nblobs++;
}

static int
token(struct meta *m, const char *p, size_t n)
{
	switch (m->want) {
	case WANT_MESSAGE:
		m->want = WANT_RECORD;
		return n > 0 ? blob_scan(m->scan, "(commit message)",
		    m->commit, p, n) : SCAN_OK;
	case WANT_PATH:
		m->want = WANT_RECORD;
		return raw_path(m, p, n);
	default:
		break;
	}
	/* git puts a newline between a commit's message and its files. */
	while (n > 0 && p[0] == '\n') {
		p++;
		n--;
	}
	if (n == 0)
		return SCAN_OK;
	if (p[0] == '\001') {
		snprintf(m->commit, sizeof m->commit, "%.*s", (int)(n - 1),
		    p + 1);
		m->want = WANT_MESSAGE;
		return SCAN_OK;
	}
	if (p[0] == ':') {
		raw_record(m, p, n);
		m->want = WANT_PATH;
		return SCAN_OK;
	}
	return SCAN_OK;
}

/* The stream's next len bytes: each whole token in turn; one cut at the
 * end waits in m->tok for the next bytes. */
static int
meta_feed(struct meta *m, const char *buf, size_t len)
{
	size_t i, start = 0;
	int r;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		if (m->toklen > 0) {
			if (m->toklen + (i - start) > m->tokcap) {
				size_t cap = m->toklen + (i - start);
				char *q = realloc(m->tok, cap);

				if (q == NULL)
					return SCAN_ENOMEM;
				m->tok = q;
				m->tokcap = cap;
			}
			memcpy(m->tok + m->toklen, buf + start, i - start);
			r = token(m, m->tok, m->toklen + (i - start));
			m->toklen = 0;
		} else
			r = token(m, buf + start, i - start);
		if (r != SCAN_OK)
			return r;
		start = i + 1;
	}
	if (start < len) {
		size_t add = len - start;

		if (m->toklen + add > m->tokcap) {
			size_t cap = 2 * (m->toklen + add);
			char *q = realloc(m->tok, cap);

			if (q == NULL)
				return SCAN_ENOMEM;
			m->tok = q;
			m->tokcap = cap;
		}
		memcpy(m->tok + m->toklen, buf + start, add);
		m->toklen += add;
	}
	return SCAN_OK;
}

int
meta_read_held(struct meta *m, const char *held, size_t len, int fd)
{
	char buf[65536];
	ssize_t got;
	int r;

	m->want = WANT_RECORD;
	m->toklen = 0;
	if ((r = meta_feed(m, held, len)) != SCAN_OK)
		return r;
	while (fd >= 0) {
		got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR && !git_timed_out())
			continue;
		if (got < 0)
			return SCAN_EREAD;
		if (got == 0)
			break;
		if ((r = meta_feed(m, buf, (size_t)got)) != SCAN_OK)
			return r;
	}
	/* A message or name without its NUL: git was cut short. */
	if (m->toklen > 0 || m->want != WANT_RECORD) {
		errno = EPIPE;
		return SCAN_EREAD;
	}
	return SCAN_OK;
}

int
meta_held(void *m, const char *held, size_t len, int fd, int err)
{
	if (err != 0) {
		errno = err;
		return SCAN_EREAD;
	}
	return meta_read_held(m, held, len, fd);
}

int
meta_read(struct meta *m, int fd)
{
	return meta_read_held(m, NULL, 0, fd);
}

/* ---- Objects, read whole from git cat-file --batch ------------------ */

static int
objects_start(struct meta *m, char *why, size_t cap)
{
	if (m->objects.pid > 0)
		return 0;
	m->objpos = m->objlen = 0;
	if (git_start(&m->objects, GIT_OBJECTS, NULL, 1) != 0) {
		snprintf(why, cap, "%s: cannot start git: %s",
		    git_cmd_name(GIT_OBJECTS), strerror(errno));
		m->objects.pid = 0;
		return -1;
	}
	return 0;
}

/* Up to n bytes of cat-file's output; 0 at its end, -1 on error. */
static ssize_t
obj_read(struct meta *m, char *dst, size_t n)
{
	ssize_t r;

	if (m->objpos == m->objlen) {
		do
			r = read(m->objects.out, m->objbuf, sizeof m->objbuf);
		while (r < 0 && errno == EINTR && !git_timed_out());
		if (r <= 0)
			return r;
		m->objpos = 0;
		m->objlen = (size_t)r;
	}
	if (n > m->objlen - m->objpos)
		n = m->objlen - m->objpos;
	memcpy(dst, m->objbuf + m->objpos, n);
	m->objpos += n;
	return (ssize_t)n;
}

/* Asks for id and reads "<id> <type> <size>\n" (or "<id> missing"). */
static int
obj_ask(struct meta *m, const char *id, char *type, size_t typecap,
    unsigned long long *size, char *why, size_t cap)
{
	char line[256], ask[128];
	size_t n = 0;
	ssize_t r;
	char t[32];

	if (objects_start(m, why, cap) != 0)
		return -1;
	snprintf(ask, sizeof ask, "%s\n", id);
	if (git_write_all(m->objects.in, ask, strlen(ask)) != 0)
		goto broken;
	for (;;) {
		if (n + 1 >= sizeof line)
			goto broken;
		if ((r = obj_read(m, line + n, 1)) <= 0)
			goto broken;
		if (line[n++] == '\n')
			break;
	}
	line[n - 1] = '\0';
	if (sscanf(line, "%*s %31s %llu", t, size) != 2) {
		snprintf(type, typecap, "missing");
		*size = 0;
		return 0;
	}
	snprintf(type, typecap, "%s", t);
	return 0;
broken:
	snprintf(why, cap, "%s: cannot read object %s: %s",
	    git_cmd_name(GIT_OBJECTS), id,
	    git_timed_out() ? "ran out of time" : errno ? strerror(errno) :
	    "its output ended");
	return -1;
}

/* The newline cat-file puts after each object. */
static int
obj_end(struct meta *m)
{
	char c;

	return obj_read(m, &c, 1) == 1 && c == '\n' ? 0 : -1;
}

int
meta_object(struct meta *m, const char *id, char *type, size_t typecap,
    char **data, size_t *len, char *why, size_t cap)
{
	unsigned long long size, got = 0;
	ssize_t r;

	*data = NULL;
	*len = 0;
	if (obj_ask(m, id, type, typecap, &size, why, cap) != 0)
		return -1;
	if (strcmp(type, "missing") == 0)
		return 0;
	if ((*data = malloc(size + 1)) == NULL) {
		snprintf(why, cap, "out of memory reading object %s", id);
		return -1;
	}
	while (got < size) {
		if ((r = obj_read(m, *data + got, size - got)) <= 0)
			goto cut;
		got += (unsigned long long)r;
	}
	(*data)[size] = '\0';
	*len = size;
	if (obj_end(m) != 0)
		goto cut;
	return 0;
cut:
	free(*data);
	*data = NULL;
	snprintf(why, cap, "%s: object %s was cut short",
	    git_cmd_name(GIT_OBJECTS), id);
	return -1;
}

int
meta_object_scan(struct meta *m, const char *id, const char *path,
    const char *commit, char *why, size_t cap)
{
	unsigned long long size, got = 0;
	char type[32], chunk[65536];
	struct blob b;
	ssize_t r;
	int s;

	if (obj_ask(m, id, type, sizeof type, &size, why, cap) != 0)
		return SCAN_EREAD;
	if (strcmp(type, "missing") == 0) {
		snprintf(why, cap, "object %s (%s) is missing", id, path);
		return SCAN_EREAD;
	}
	if ((s = blob_begin(&b, m->scan, path, commit)) != SCAN_OK)
		return s;
	while (got < size) {
		size_t want = size - got < sizeof chunk ?
		    (size_t)(size - got) : sizeof chunk;

		if ((r = obj_read(m, chunk, want)) <= 0) {
			blob_release(&b);
			snprintf(why, cap, "%s: object %s was cut short",
			    git_cmd_name(GIT_OBJECTS), id);
			return SCAN_EREAD;
		}
		got += (unsigned long long)r;
		m->blob_bytes += (unsigned long long)r;
		if ((s = blob_feed(&b, chunk, (size_t)r)) != SCAN_OK) {
			blob_release(&b);
			return s;
		}
	}
	if (obj_end(m) != 0) {
		blob_release(&b);
		snprintf(why, cap, "%s: object %s was cut short",
		    git_cmd_name(GIT_OBJECTS), id);
		return SCAN_EREAD;
	}
	return blob_end(&b);
}

int
meta_objects(struct meta *m, char *why, size_t cap)
{
	size_t i;
	int r = SCAN_OK;

	if (m->nomem)
		r = SCAN_ENOMEM;
	for (i = 0; i < m->nblobs && r == SCAN_OK; i++)
		r = meta_object_scan(m, m->blobs[i].id, m->blobs[i].path,
		    m->blobs[i].commit, why, cap);
	blobs_clear(m);
	return r;
}

int
meta_finish(struct meta *m, char *why, size_t cap)
{
	int r;

	if (m->objects.pid <= 0)
		return 0;
	r = git_finish(&m->objects, why, cap);
	m->objects.pid = 0;
	return r == 0 ? 0 : -1;
}

int
meta_through(void *m, int fd)
{
	return meta_read(m, fd);
}
