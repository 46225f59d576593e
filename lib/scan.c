/*
 * scan.c - feeds each added line to the token finder, judges each token,
 * and hands the verdict to the report.
 */
#include <string.h>

#include "scan.h"
#include "sas.h"

static int
scan_token(void *user, const struct sas_token *tok)
{
	struct scan *s = user;
	struct judgement j;
	struct finding f;

	if (tok->emulator) {
		/* Its key is public on purpose: nothing to leak. */
		s->report->emulator++;
		return 0;
	}
	rules_judge(s->rules, tok, s->now, &j);
	f.tok = tok;
	f.judgement = &j;
	f.path = s->line->path;
	f.lineno = s->line->lineno;
	f.commit = s->line->commit;
	f.ref = s->ref;
	return report_add(s->report, &f) == 0 ? 0 : SCAN_EWRITE;
}

static int
scan_line(void *user, const struct diff_line *line)
{
	struct scan *s = user;

	s->line = line;
	return sas_scan(line->text, line->len, line->limit, scan_token, s);
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
