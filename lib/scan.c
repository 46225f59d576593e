/*
 * scan.c - feeds each added line to the token finder, judges each token,
 * and hands the verdict to the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "acctkey.h"
#include "allow.h"
#include "assemble.h"
#include "decode.h"
#include "gen.h"
#include "notebook.h"
#include "scan.h"
#include "sas.h"

/* Checks the exceptions for a token a rule fired on: an allow_reason,
 * or SCAN_EREGEX after noting where the pattern failed. */
static int
scan_allow(struct scan *s, uint64_t fp)
{
	const struct diff_line *l = s->line;
	int reason;

	if (s->marked < 0)
		s->marked = text_find(l->text, l->len, ALLOW_MARKER) != NULL;
	reason = allow_check(&s->rules->allow, l->path, l->text, l->len,
	    s->marked, fp, &s->failure);
	if (reason < 0) {
		snprintf(s->failed_at, sizeof s->failed_at, "%s:%ld",
		    l->path[0] ? l->path : "(unknown file)", l->lineno);
		return SCAN_EREGEX;
	}
	return reason;
}

/* Hands a judged finding to the report: its fingerprint collected and
 * the exceptions checked when a rule fired. */
static int
scan_report(struct scan *s, struct finding *f, uint64_t fp)
{
	char hex[FINGERPRINT_BUFSIZE];
	int reason = ALLOW_NONE;

	if (f->judgement->worst != ACTION_OFF) {
		if (s->collect != NULL && fpset_add(s->collect, fp) != 0)
			return SCAN_ENOMEM;
		if ((reason = scan_allow(s, fp)) < 0)
			return reason;
	}
	f->path = s->line->path;
	f->lineno = s->line->lineno;
	f->commit = s->line->commit;
	f->ref = s->ref;
	f->fingerprint = fingerprint_format(fp, hex);
	f->allowed = (enum allow_reason)reason;
	return report_add(s->report, f) == 0 ? 0 : SCAN_EWRITE;
}

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
	memset(&f, 0, sizeof f);
	f.tok = tok;
	f.judgement = &j;
	return scan_report(s, &f, fingerprint_of(tok->sig));
}

/* A SAS that code on the line would make (gen.h). */
static int
scan_made(void *user, const struct gen_sas *g)
{
	struct scan *s = user;
	struct judgement j;
	struct finding f;

	rules_judge_made(s->rules, &g->tok, &g->made, s->now, &j);
	if (j.nhits == 0)
		return 0;	/* passes: nothing was made yet to count */
	memset(&f, 0, sizeof f);
	f.tok = &g->tok;
	f.made = &g->made;
	f.shown = g->shown;
	f.judgement = &j;
	return scan_report(s, &f, fingerprint_of(g->tok.sig));
}

/* A storage account key on the line (acctkey.h). */
static int
scan_key(void *user, const struct acctkey *key)
{
	struct scan *s = user;
	char shown[SAS_SHOW_MAX];
	struct judgement j;
	struct finding f;

	if (key->emulator)
		return 0;	/* published on purpose */
	/* In a window of a long line, a key from its limit on is the next
	 * window's, which holds it whole (the windows overlap). */
	if (key->start >= s->line->limit)
		return 0;
	rules_judge_key(s->rules, key, &j);
	memset(&f, 0, sizeof f);
	f.key = key;
	f.shown = token_key_shown(key, s->line->text, shown, sizeof shown);
	f.judgement = &j;
	return scan_report(s, &f, acctkey_fingerprint(key->bytes));
}

/* The readers of a line with an anchor (anchor.h): keys, and code that
 * makes a SAS. */
static int
scan_anchored(struct scan *s, const struct diff_line *line)
{
	int r;

	if ((r = acctkey_scan(line->text, line->len, scan_key, s)) != 0)
		return r;
	if (s->gen == NULL && (s->gen = malloc(GEN_WINDOW)) == NULL)
		return SCAN_ENOMEM;
	return gen_scan(line, s->now, s->gen, scan_made, s);
}

/* ---- One line, its candidate texts ----------------------------------
 *
 * A line becomes its candidate texts: as written; decoded (decode.h),
 * and what that decodes to once more; joined with the lines around it
 * that continue it (split.h). The token finder reads each text once, and
 * hands on lookalikes too. Each token is then one signature seen one or
 * more ways ("views"): any view that says it is not Azure Storage's wins,
 * else the view that names the most parameters is judged, once.
 */

enum { READ_WRITTEN, READ_DECODED, READ_JOINED };

/* Does the joined view of a token cover the line handed on, another
 * line too, and an added one? Then it is a view of this line's. */
static int
view_joined(struct scan *s, const struct sas_token *tok,
    struct scan_view *v)
{
	struct split_span span;

	if (split_span_of(&s->split, tok->start, tok->end, tok->sig_end,
	    &span) != 0 || span.first > s->split.cur ||
	    span.last < s->split.cur)
		return 0;
	if (span.first == span.last) {
		v->joined = 0;	/* within the line: as written */
		return !s->line->context;
	}
	v->joined = 1;
	v->report = span.report;
	return span.added;
}

static int
view_add(void *user, const struct sas_token *tok)
{
	struct scan *s = user;
	struct scan_view *v;

	if (s->nviews == SCAN_VIEWS)
		return 0;
	v = &s->views[s->nviews];
	v->joined = 0;
	v->written = s->reading == READ_WRITTEN;
	if (s->reading == READ_JOINED && !view_joined(s, tok, v))
		return 0;
	v->tok = *tok;
	v->fp = fingerprint_of(tok->sig);
	s->nviews++;
	return 0;
}

static void
read_text(struct scan *s, const char *text, size_t len, size_t limit,
    int reading)
{
	s->reading = reading;
	sas_find(text, len, limit, SAS_LOOKALIKES, view_add, s);
}

/* The rooms for decoded text, made when a line first needs them: most
 * diffs never do. */
static int
dec_ready(struct scan *s)
{
	int i;

	for (i = 0; i < 2; i++)
		if (s->dec[i] == NULL && (s->dec[i] = malloc(DECODE_CAP)) ==
		    NULL) {
			s->nomem = 1;
			return 0;
		}
	return 1;
}

/* The line decoded, and decoded again where that leaves more to do;
 * a window of a long line once, its limit where the decoded text has
 * it. */
static void
read_decoded(struct scan *s, const struct diff_line *l)
{
	int want = decode_wanted(l->text, l->len), k, k2, again;
	size_t n, lim, n2;

	if (want == 0 || !dec_ready(s))
		return;

	for (k = 1; k <= DECODE_BASE64; k <<= 1) {
		if (!(want & k))
			continue;
		lim = l->limit < l->len ? decode_run(k, l->text, l->limit,
		    s->dec[0], DECODE_CAP) : 0;
		n = decode_run(k, l->text, l->len, s->dec[0], DECODE_CAP);
		read_text(s, s->dec[0], n, lim > 0 ? lim : n, READ_DECODED);
		if (l->limit < l->len)
			continue;
		again = decode_wanted(s->dec[0], n);
		for (k2 = 1; k2 <= DECODE_BASE64; k2 <<= 1)
			if (again & k2) {
				n2 = decode_run(k2, s->dec[0], n, s->dec[1],
				    DECODE_CAP);
				read_text(s, s->dec[1], n2, n2,
				    READ_DECODED);
			}
	}
}

/* Query strings the line's code builds from literals (assemble.h): from
 * format strings and joins on the line, and from a map of parameters
 * over the lines around it when the line names "sig" as a key. */
static void
read_assembled(struct scan *s, const struct diff_line *l)
{
	const char *lines[SPLIT_WIN];
	size_t lens[SPLIT_WIN], n;
	int i, k;

	if ((assemble_wanted(l->text, l->len) ||
	    assemble_map_key(l->text, l->len)) && !dec_ready(s))
		return;
	if (assemble_wanted(l->text, l->len) &&
	    (n = assemble_line(l->text, l->len, s->dec[0], DECODE_CAP)) > 0)
		read_text(s, s->dec[0], n, n, READ_DECODED);
	if (!assemble_map_key(l->text, l->len))
		return;
	if ((k = split_window(&s->split, l)) == 0) {
		lines[0] = l->text;
		lens[0] = l->len;
		k = 1;
		s->split.cur = 0;
	} else
		for (i = 0; i < k; i++) {
			lines[i] = s->split.win[i].raw;
			lens[i] = s->split.win[i].rawlen;
		}
	if ((n = assemble_map(lines, lens, k, s->split.cur, s->dec[0],
	    DECODE_CAP)) > 0)
		read_text(s, s->dec[0], n, n, READ_DECODED);
}

/* Reports a token at a line of the join other than the one handed on. */
static int
report_at(struct scan *s, const struct scan_view *v)
{
	const struct split_piece *p = &s->split.win[v->report];
	const struct diff_line *line = s->line;
	struct diff_line at = *line;
	int r, marked = s->marked;

	if (v->report == s->split.cur)
		return scan_token(s, &v->tok);
	at.text = p->raw;
	at.len = at.limit = p->rawlen;
	at.lineno = p->lineno;
	at.context = 0;
	s->line = &at;
	s->marked = -1;
	r = scan_token(s, &v->tok);
	s->line = line;
	s->marked = marked;
	return r;
}

/* Reports one view, where it belongs. */
static int
view_report(struct scan *s, struct scan_view *v)
{
	/* A token split over lines is reported once in its run; one whole
	 * on a line, on every line that has it. */
	if (split_seen(&s->split, v->fp) && v->joined)
		return 0;
	return v->joined ? report_at(s, v) : scan_token(s, &v->tok);
}

/*
 * Judges each signature the line's views saw. Each place the line as
 * written holds it counts; the views from decoded and joined text are
 * other ways of seeing the first of them (or, when the line as written
 * does not show it, the token itself), and the one that names the most
 * parameters stands for it. A lookalike view of a signature clears all;
 * an emulator's view makes it the emulator's.
 */
static int
views_report(struct scan *s)
{
	struct scan_view *v = s->views, *best, *first, *it;
	int i, j, veto, emu, r = 0;

	for (i = 0; i < s->nviews && r == 0; i++) {
		if (v[i].done)
			continue;
		best = first = NULL;
		veto = emu = 0;
		for (j = i; j < s->nviews; j++) {
			if (v[j].fp != v[i].fp)
				continue;
			veto |= v[j].tok.lookalike;
			emu |= v[j].tok.emulator;
			if (v[j].written) {
				if (first == NULL)
					first = &v[j];
				continue;
			}
			v[j].done = 1;
			if (best == NULL || v[j].tok.nparams >
			    best->tok.nparams)
				best = &v[j];
		}
		if (veto) {
			for (j = i; j < s->nviews; j++)
				v[j].done |= v[j].fp == v[i].fp;
			continue;
		}
		if (first == NULL)
			it = best;
		else {
			first->done = 1;
			it = best != NULL && best->tok.nparams >
			    first->tok.nparams ? best : first;
			i--;	/* the next place the line holds it, if any */
		}
		it->tok.emulator |= emu;
		r = view_report(s, it);
	}
	return r;
}

static int
scan_line(void *user, const struct diff_line *line)
{
	struct scan *s = user;
	const char *joined;
	size_t n;
	int i, r;

	s->line = line;
	/* A whole line is searched for the marker only if a token needs
	 * it (scan_allow); windows of a long line carry it from window to
	 * window, so they look at once. */
	if (line->first)
		s->marked = line->last ? -1 : 0;
	if (!line->last || !line->first)
		s->marked = s->marked > 0 ||
		    text_find(line->text, line->len, ALLOW_MARKER) != NULL;
	s->nviews = 0;
	/* Most added lines cannot hold a token: the reader said so. An
	 * unchanged line adds nothing of its own. */
	if (line->candidate && !line->context) {
		read_text(s, line->text, line->len, line->limit,
		    READ_WRITTEN);
		read_decoded(s, line);
		read_assembled(s, line);
	}
	if (line->candidate && (notebook_path(line->path) ||
	    sas_trigger(line->text, line->len) < line->len) &&
	    (n = split_join(&s->split, line, &joined)) > 0)
		read_text(s, joined, n, n, READ_JOINED);
	if (s->nomem)
		return SCAN_ENOMEM;
	for (i = 0; i < s->nviews; i++)
		s->views[i].done = 0;
	if ((r = views_report(s)) == 0 && line->anchor && !line->context)
		r = scan_anchored(s, line);
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
	s->views = calloc(SCAN_VIEWS, sizeof *s->views);
	if (s->views == NULL || diff_init(&s->diff) != 0) {
		scan_release(s);
		return SCAN_ENOMEM;
	}
	/* Unchanged lines around an added one may complete its token. */
	s->diff.context = 1;
	return SCAN_OK;
}

void
scan_release(struct scan *s)
{
	diff_release(&s->diff);
	free(s->views);
	free(s->dec[0]);
	free(s->dec[1]);
	free(s->gen);
	s->gen = NULL;
	s->views = NULL;
	s->dec[0] = s->dec[1] = NULL;
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
