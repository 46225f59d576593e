/*
 * scan.c - feeds each added line to the token finder, judges each token,
 * and hands the verdict to the report.
 */
#include <stdio.h>
#include <string.h>

#include "allow.h"
#include "scan.h"
#include "sas.h"

/* memmem() is a GNU extension; this is all we need of it. */
static int
text_holds(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word);
	const char *p = text, *end = text + len;

	while ((size_t)(end - p) >= n &&
	    (p = memchr(p, word[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, word, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Checks the exceptions for a token a rule fired on: an allow_reason,
 * or SCAN_EREGEX after noting where the pattern failed. */
static int
scan_allow(struct scan *s, uint64_t fp)
{
	const struct diff_line *l = s->line;
	int reason;

	if (s->marked < 0)
		s->marked = text_holds(l->text, l->len, ALLOW_MARKER);
	reason = allow_check(&s->rules->allow, l->path, l->text, l->len,
	    s->marked, fp, &s->failure);
	if (reason < 0) {
		snprintf(s->failed_at, sizeof s->failed_at, "%s:%ld",
		    l->path[0] ? l->path : "(unknown file)", l->lineno);
		return SCAN_EREGEX;
	}
	return reason;
}

static int
scan_token(void *user, const struct sas_token *tok)
{
	struct scan *s = user;
	char hex[FINGERPRINT_BUFSIZE];
	struct judgement j;
	struct finding f;
	uint64_t fp;
	int reason = ALLOW_NONE;

	if (tok->emulator) {
		/* Its key is public on purpose: nothing to leak. */
		s->report->emulator++;
		return 0;
	}

	rules_judge(s->rules, tok, s->now, &j);
	fp = fingerprint_of(tok->sig);
	if (j.worst != ACTION_OFF) {
		if (s->collect != NULL && fpset_add(s->collect, fp) != 0)
			return SCAN_ENOMEM;
		if ((reason = scan_allow(s, fp)) < 0)
			return reason;
	}
	f.tok = tok;
	f.judgement = &j;
	f.path = s->line->path;
	f.lineno = s->line->lineno;
	f.commit = s->line->commit;
	f.ref = s->ref;
	f.fingerprint = fingerprint_format(fp, hex);
	f.allowed = (enum allow_reason)reason;
	return report_add(s->report, &f) == 0 ? 0 : SCAN_EWRITE;
}

static int
scan_line(void *user, const struct diff_line *line)
{
	struct scan *s = user;
	int r;

	s->line = line;
	/* A whole line is searched for the marker only if a token needs
	 * it (scan_allow); windows of a long line carry it from window to
	 * window, so they look at once. */
	if (line->first)
		s->marked = line->last ? -1 : 0;
	if (!line->last || !line->first)
		s->marked = s->marked > 0 ||
		    text_holds(line->text, line->len, ALLOW_MARKER);
	/* Most added lines cannot hold a token: the reader said so. */
	r = line->candidate ? sas_scan(line->text, line->len, line->limit,
	    scan_token, s) : 0;
	if (r == 0)
		r = split_line(&s->split, line, scan_token, s);
	/* A signature split over lines goes on where no hint shows. */
	if (s->split.follow > s->diff.follow)
		s->diff.follow = s->split.follow;
	return r;
}

int
scan_init(struct scan *s, const struct rules *rules, struct report *report,
    int64_t now, const char *ref)
{
	memset(s, 0, sizeof *s);
	s->rules = rules;
	s->report = report;
	s->now = now;
	s->ref = ref != NULL ? ref : "";
	return diff_init(&s->diff) == 0 ? SCAN_OK : SCAN_ENOMEM;
}

void
scan_release(struct scan *s)
{
	diff_release(&s->diff);
}

int
scan_fd(struct scan *s, int fd)
{
	int r = diff_read(&s->diff, fd, scan_line, s);

	return r == -1 ? SCAN_EREAD : r;
}

int
scan_mem(struct scan *s, const char *data, size_t len)
{
	return diff_read_mem(&s->diff, data, len, scan_line, s);
}

long
scan_truncated(const struct scan *s)
{
	return s->diff.truncated;
}
