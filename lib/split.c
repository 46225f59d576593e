/*
 * split.c - join text split over consecutive lines; see split.h.
 *
 * Nothing is kept of a line: the few lines that need a window read it
 * from the diff reader's buffer, before (diff_line.before) and after
 * (diff_line.after) them. A window is read in three steps: its lines
 * (window_*), what each contributes and how it ends (piece_read), and
 * the chain of lines around the given one that continue each other
 * (joins).
 */
#include <string.h>

#include "text.h"
#include "notebook.h"
#include "split.h"

/* What a line is, for joining (struct split_piece, flags). */
enum {
	F_CODE = 1 << 0,	/* has string literals */
	F_COMMENT = 1 << 1,	/* a comment line */
	F_BARE = 1 << 2,	/* neither: YAML, .env, a shell word */
	F_BLANK = 1 << 3,	/* nothing on it */
	F_CONT_END = 1 << 4,	/* ends in '\' or '`' outside a string */
	F_SEMI_END = 1 << 5,	/* ends its statement with ';' */
	F_LEAD_STRING = 1 << 6,	/* starts with a string (after operators) */
	F_LEAD_APPEND = 1 << 7,	/* appends to a variable */
	F_NOSPACE = 1 << 8,	/* its fragment holds no blank */
	F_INDENTED = 1 << 9,
	F_LEAD_OP = 1 << 10,	/* ... an operator before the string */
	F_CLOSE_END = 1 << 11,	/* ends in ')', ']', '}' or ',' */
	F_MARKER = 1 << 12	/* comment marker index from here on */
};

/* ---- Fragments ------------------------------------------------------ */

/* Only blanks in s[i..end)? */
static int
blank_from(const char *s, size_t i, size_t end)
{
	while (i < end && text_is_space(s[i]))
		i++;
	return i == end;
}

/*
 * At the start of a string: skip the variable it appends to, as in
 * url="${url}&sig=...", "$url&sig=...", f"{url}&sig=..." or `${url}...`.
 */
static size_t
var_skip(const char *s, size_t i, size_t end)
{
	size_t j = i, k;

	if (j < end && s[j] == '$')
		j++;
	if (j < end && s[j] == '{') {
		for (k = j + 1; k < end && (text_is_ident(s[k]) || s[k] == '.'); k++)
			continue;
		return k < end && s[k] == '}' && k > j + 1 ? k + 1 : i;
	}
	if (j == i)
		return i;
	for (k = j; k < end && text_is_ident(s[k]); k++)
		continue;
	return k > j ? k : i;
}

static const char *const markers[] = { "<!--", "//", "/*", "#", "*", ";" };

/* A line that is a comment: the marker's length, or 0. */
static size_t
comment_marker(const char *s, size_t i, size_t end, size_t *which)
{
	size_t k, n;

	for (k = 0; k < sizeof markers / sizeof markers[0]; k++) {
		n = strlen(markers[k]);
		if (end - i >= n && memcmp(s + i, markers[k], n) == 0) {
			if (which != NULL)
				*which = k;
			return n;
		}
	}
	return 0;
}

/* A C preprocessor line ("#define X ...", "#endif") is code, not a
 * comment: the length of its '#', or 0. */
static size_t
preprocessor(const char *s, size_t i, size_t end)
{
	static const char *const words[] = { "define", "if", "ifdef",
	    "ifndef", "elif", "else", "endif", "include", "pragma", "undef",
	    "error" };
	size_t k, n, j;

	if (i >= end || s[i] != '#')
		return 0;
	for (j = i + 1; j < end && text_is_space(s[j]); j++)
		continue;
	for (k = 0; k < sizeof words / sizeof words[0]; k++) {
		n = strlen(words[k]);
		if (end - j >= n && memcmp(s + j, words[k], n) == 0 &&
		    (j + n == end || !text_is_ident(s[j + n])))
			return 1;
	}
	return 0;
}

/*
 * A line without quotes (YAML, .env, a wrapped comment, a continued
 * shell word): itself, without the indentation, the comment marker and
 * the continuation character at its end.
 */
static void
bare_fragment(const char *s, size_t i, size_t end, struct text_out *o)
{
	size_t m;

	if ((m = comment_marker(s, i, end, NULL)) > 0)
		for (i += m; i < end && text_is_space(s[i]); i++)
			continue;
	while (end > i && text_is_space(s[end - 1]))
		end--;
	if (end > i && (s[end - 1] == '\\' || s[end - 1] == '`'))
		end--;
	while (end > i && text_is_space(s[end - 1]))
		end--;
	text_put(o, s + i, end - i);
}

/* Does a quote at s[i] open a string? "don't" holds none. */
static int
opens_string(const char *s, size_t i, size_t start, size_t end)
{
	if (s[i] == '"' || s[i] == '`')
		return 1;
	return s[i] == '\'' && !(i > start && text_is_ident(s[i - 1]) &&
	    i + 1 < end && text_is_ident(s[i + 1]));
}

/*
 * A line of code: the contents of its string literals, in order, with
 * escapes kept as written (the token finder undoes "\/" and "\u0026").
 * A string still open at the end of the line stays open for the next.
 */
static void
code_fragment(const char *s, size_t i, size_t end, int *quote,
    struct text_out *o)
{
	size_t start = i;
	int q = *quote;

	while (i < end) {
		if (q != 0) {
			if (s[i] == '\\') {
				if (blank_from(s, i + 1, end))
					break;	/* continued on the next line */
				text_put(o, s + i, i + 2 <= end ? 2 : 1);
				i += 2;
			} else if (s[i] == q) {
				q = 0;
				i++;
			} else
				text_put(o, s + i++, 1);
			continue;
		}
		if (opens_string(s, i, start, end)) {
			/* PowerShell continues a line with a final '`'. */
			if (s[i] == '`' && blank_from(s, i + 1, end))
				break;
			q = s[i];
			i = var_skip(s, i + 1, end);
		} else if ((s[i] == '#' && (i == start || text_is_space(s[i - 1]))) ||
		    (s[i] == '/' && i + 1 < end && s[i + 1] == '/'))
			break;		/* a comment after the code */
		else
			i++;
	}
	*quote = q;
}

size_t
split_fragment(const char *s, size_t len, int *quote, char *out, size_t cap)
{
	struct text_out o = { out, 0, cap };
	size_t i = 0, k;

	while (i < len && text_is_space(s[i]))
		i++;
	if (*quote == 0 && preprocessor(s, i, len)) {
		code_fragment(s, i + 1, len, quote, &o);
		return o.n;
	}
	if (*quote == 0 && comment_marker(s, i, len, NULL) > 0) {
		bare_fragment(s, i, len, &o);
		return o.n;
	}
	for (k = i; *quote == 0 && k < len; k++)
		if (text_is_quote(s[k]))
			break;
	if (*quote == 0 && k == len)
		bare_fragment(s, i, len, &o);
	else
		code_fragment(s, i, len, quote, &o);
	return o.n;
}

/* ---- How a line starts and ends ------------------------------------- */

/* Characters that join strings or open an expression before a string:
 * + . & | , ( [ and C#'s @ and $, Python's string prefixes. */
static int
lead_only_operators(const char *s, size_t i, size_t q)
{
	for (; i < q; i++) {
		if (text_is_space(s[i]) || strchr("+.&|,([@$<", s[i]) != NULL)
			continue;
		/* f"...", r'...', b"...": one letter right before it. */
		if (i + 1 == q && strchr("fFrRbBuU", s[i]) != NULL)
			continue;
		return 0;
	}
	return 1;
}

/* Is there an operator that joins strings in s[i..q)? */
static int
lead_has_operator(const char *s, size_t i, size_t q)
{
	for (; i < q; i++)
		if (strchr("+.&|<", s[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Code before a string that appends to a variable: "x += ", "$x += ",
 * "x .= ", "x = x + ", or the shell's X="${X}..." (the string starts
 * with the variable).
 */
static int
lead_appends(const char *s, size_t i, size_t q, size_t end)
{
	size_t a = i, b, j;

	if (a < q && s[a] == '$')
		a++;
	for (b = a; b < q && (text_is_ident(s[b]) || s[b] == '.'); b++)
		continue;
	if (b == a)
		return 0;
	for (j = b; j < q && text_is_space(s[j]); j++)
		continue;
	if (q - j >= 2 && (s[j] == '+' || s[j] == '.') && s[j + 1] == '=')
		return blank_from(s, j + 2, q);
	if (j >= q || s[j] != '=')
		return 0;
	for (j++; j < q && text_is_space(s[j]); j++)
		continue;
	if (j == q)		/* X="${X}...": the string names it */
		return var_skip(s, q + 1, end) > q + 1;
	/* x = x + "..." */
	return q - j > b - a && memcmp(s + j, s + a, b - a) == 0 &&
	    lead_only_operators(s, j + (b - a), q);
}

/* The last character of s[0..len) outside strings and comments that is
 * not a blank, or 0; *quote is the string open at the start. */
static char
code_last(const char *s, size_t len, int quote)
{
	size_t i = 0;
	char last = 0;
	int q = quote;

	for (; i < len; i++) {
		if (q != 0) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == q)
				q = 0;
			last = 0;
			continue;
		}
		if ((s[i] == '#' && (i == 0 || text_is_space(s[i - 1]))) ||
		    (s[i] == '/' && i + 1 < len && s[i + 1] == '/'))
			break;
		if (opens_string(s, i, 0, len))
			q = s[i];
		else if (!text_is_space(s[i]))
			last = s[i];
	}
	return q != 0 ? 0 : last;
}

/* Reads what piece p is and contributes; its fragment goes to o. */
static void
piece_read(struct split_piece *p, int *quote, struct text_out *o)
{
	const char *s = p->text;
	size_t len = p->len, i = 0, q, m = 0, k;
	unsigned f = 0;
	int qin = *quote;
	char last;

	while (i < len && text_is_space(s[i]))
		i++;
	f |= i > 0 ? F_INDENTED : 0;
	p->frag_at = o->n;
	p->frag_len = split_fragment(s, len, quote, o->p + o->n,
	    o->cap - o->n);
	o->n += p->frag_len;
	p->quote_out = *quote;
	for (k = 0; k < p->frag_len; k++)
		if (text_is_space(o->p[p->frag_at + k]))
			break;
	f |= k == p->frag_len ? F_NOSPACE : 0;
	if (i == len && qin == 0) {
		p->flags = f | F_BLANK | F_BARE;
		return;
	}
	for (q = i; qin == 0 && q < len && !text_is_quote(s[q]); q++)
		continue;
	if (qin != 0)
		f |= F_CODE | F_LEAD_STRING;
	else if (preprocessor(s, i, len))
		f |= F_CODE;
	else if (comment_marker(s, i, len, &m) > 0)
		f |= F_COMMENT | (unsigned)(m * F_MARKER);
	else if (q == len)
		f |= F_BARE;
	else {
		f |= F_CODE;
		if (lead_only_operators(s, i, q))
			f |= F_LEAD_STRING | (lead_has_operator(s, i, q) ?
			    F_LEAD_OP : 0);
		else if (lead_appends(s, i, q, len))
			f |= F_LEAD_APPEND;
	}
	last = (f & (F_COMMENT | F_BARE)) ? 0 : code_last(s, len, qin);
	if ((f & (F_COMMENT | F_BARE)) && len > 0) {
		k = len;
		while (k > i && text_is_space(s[k - 1]))
			k--;
		last = k > i ? s[k - 1] : 0;
	}
	if (last == '\\' || last == '`')
		f |= F_CONT_END;
	if (last == ';' && (f & F_CODE))
		f |= F_SEMI_END;
	if (last != 0 && strchr(")]},", last) != NULL && (f & F_CODE))
		f |= F_CLOSE_END;
	p->flags = f;
}

/* Does line b go on from line a? */
static int
joins(const struct split_piece *a, const struct split_piece *b)
{
	unsigned fa = a->flags, fb = b->flags;

	if (a->quote_out != 0 || a->nb_open)
		return 1;
	if (fb & F_BLANK)
		return 0;
	if (fa & F_CONT_END)
		return 1;
	if (fa & F_COMMENT)
		return (fb & F_COMMENT) && (fb & F_NOSPACE) &&
		    fa / F_MARKER == fb / F_MARKER;
	if (fa & F_BARE)
		return (fb & F_BARE) && (fb & F_INDENTED) && (fb & F_NOSPACE);
	if (!(fb & F_CODE))
		return 0;
	if (fb & F_LEAD_APPEND)
		return 1;
	/* "..." + on, or + "..." on the next line; a string alone goes on
	 * from a string ("..." "..." in parentheses), not from a call. */
	return (fb & F_LEAD_STRING) && !(fa & F_SEMI_END) &&
	    ((fb & F_LEAD_OP) || !(fa & F_CLOSE_END));
}

/* ---- The window ----------------------------------------------------- */

/*
 * Reading lines back from `before` finds what keeping them would have
 * kept, as long as a line that lost its start there is surely too long to
 * keep: the newer lines take at most SPLIT_TAIL bytes of text and their
 * prefixes and line ends, and SPLIT_TAIL bytes more must remain.
 */
_Static_assert(DIFF_HISTORY - 1 >= 2 * SPLIT_TAIL +
    SPLIT_LINES * (DIFF_PARENTS_MAX + 2), "DIFF_HISTORY too small for split");
_Static_assert(DIFF_LOOKAHEAD >= SPLIT_TAIL, "DIFF_LOOKAHEAD too small");

/* The prefix of a diff line at p (n bytes, prefix columns): -1 when some
 * column says '-' (removed: never joins), 1 when one says '+', else 0. */
static int
prefix_kind(const char *p, size_t n, int prefix)
{
	int i, plus = 0;

	for (i = 0; i < prefix && (size_t)i < n; i++) {
		if (p[i] == '-')
			return -1;
		plus |= p[i] == '+';
	}
	return plus;
}

static void
piece_set(struct split_piece *p, const char *text, size_t len, int added,
    int cut)
{
	memset(p, 0, sizeof *p);
	p->raw = p->text = text;
	p->rawlen = p->len = len;
	p->added = added;
	p->cut = cut;
}

/* The lines of the run before l, newest first into w, as far as
 * SPLIT_LINES lines and SPLIT_TAIL bytes go. Returns how many. */
static int
window_before(const struct diff_line *l, struct split_piece *w)
{
	const char *lo = l->before, *end = l->before + l->beforelen;
	size_t sum = 0, len, n, pre;
	int k = 0, kind;

	while (end > lo && k < SPLIT_LINES) {
		const char *nl = end - 1, *start = nl, *text, *te;
		int whole;

		while (start > lo && start[-1] != '\n')
			start--;
		end = start;
		whole = start > lo || !l->before_cut;
		if (!whole)
			kind = 0;	/* its prefix is lost: a guess */
		else if ((kind = prefix_kind(start, (size_t)(nl - start),
		    l->prefix)) < 0)
			continue;
		pre = (size_t)(nl - start) < (size_t)l->prefix ?
		    (size_t)(nl - start) : (size_t)l->prefix;
		text = whole ? start + pre : start;
		te = nl > text && nl[-1] == '\r' ? nl - 1 : nl;
		len = (size_t)(te - text);
		/* A line whose start is lost is cut too, but never read
		 * before what the buffer holds of it. */
		n = len < SPLIT_TAIL ? len : SPLIT_TAIL;
		if (k > 0 && sum + n > SPLIT_TAIL)
			break;
		piece_set(&w[k], te - n, n, kind, n < len || !whole);
		sum += n;
		k++;
		if (!whole)
			break;
	}
	return k;
}

/* The lines of the hunk after l, oldest first into w, as far as
 * SPLIT_LINES lines and SPLIT_TAIL bytes go. Returns how many. */
static int
window_after(const struct diff_line *l, struct split_piece *w)
{
	const char *p = l->after, *end, *nl, *te;
	long new_left = l->after_new, old_left = l->after_old;
	size_t sum = 0, len, n;
	int k = 0;

	if (p == NULL)
		return 0;
	end = p + l->afterlen;

	while (p < end && k < SPLIT_LINES && (new_left > 0 || old_left > 0)) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		te = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
		if (te == p || *p == ' ' || *p == '+') {
			new_left--;
			old_left -= *p != '+';
			len = te > p ? (size_t)(te - p) - 1 : 0;
			n = len < SPLIT_TAIL - sum ? len : SPLIT_TAIL - sum;
			piece_set(&w[k++], te - len, n, *p == '+', n < len);
			if ((sum += n) >= SPLIT_TAIL)
				break;
		} else if (*p == '-')
			old_left--;
		else if (*p != '\\')
			break;		/* not a line of this hunk */
		p = nl + 1;
	}
	return k;
}

/* In a notebook, each line that is a JSON string element is read as the
 * code it holds. */
static void
window_notebook(struct split *sp)
{
	size_t used = 0, n;
	int i, newline;

	for (i = 0; i < sp->nwin; i++) {
		struct split_piece *p = &sp->win[i];

		if (!notebook_element(p->raw, p->rawlen, sp->nb + used,
		    sizeof sp->nb - used, &n, &newline))
			continue;
		p->text = sp->nb + used;
		p->len = n;
		p->nb_open = !newline;
		used += n;
	}
}

static void
run_reset(struct split *sp, unsigned long long run)
{
	sp->run = run;
	sp->nseen = sp->seen_next = 0;
}

int
split_seen(struct split *sp, uint64_t fp)
{
	int i;

	for (i = 0; i < sp->nseen; i++)
		if (sp->seen[i] == fp)
			return 1;
	sp->seen[sp->seen_next] = fp;
	sp->seen_next = (sp->seen_next + 1) % SPLIT_SEEN;
	if (sp->nseen < SPLIT_SEEN)
		sp->nseen++;
	return 0;
}

int
split_window(struct split *sp, const struct diff_line *line)
{
	struct split_piece back[SPLIT_LINES];
	int nb, na, i;

	sp->nwin = 0;
	if (!line->first || !line->last || line->run == 0) {
		run_reset(sp, 0);
		return 0;
	}
	if (line->run != sp->run)
		run_reset(sp, line->run);
	nb = window_before(line, back);
	for (i = 0; i < nb; i++)
		sp->win[i] = back[nb - 1 - i];
	sp->cur = nb;
	piece_set(&sp->win[nb], line->text, line->len < SPLIT_HEAD ?
	    line->len : SPLIT_HEAD, !line->context, line->len > SPLIT_HEAD);
	na = window_after(line, sp->win + nb + 1);
	sp->nwin = nb + 1 + na;
	for (i = 0; i < sp->nwin; i++)
		sp->win[i].lineno = line->lineno - nb + i;
	return sp->nwin;
}

size_t
split_join(struct split *sp, const struct diff_line *line,
    const char **text)
{
	struct text_out o = { sp->frag, 0, sizeof sp->frag };
	int i, quote = 0;

	*text = sp->frag;
	if (split_window(sp, line) == 0)
		return 0;
	if (notebook_path(line->path))
		window_notebook(sp);
	for (i = 0; i < sp->nwin; i++) {
		if (sp->win[i].cut && i < sp->cur)
			quote = 0;	/* its start is gone: a guess */
		piece_read(&sp->win[i], &quote, &o);
	}
	for (i = sp->cur; i > 0 && joins(&sp->win[i - 1], &sp->win[i]); i--)
		continue;
	sp->chain_first = i;
	for (i = sp->cur; i + 1 < sp->nwin &&
	    joins(&sp->win[i], &sp->win[i + 1]); i++)
		continue;
	sp->chain_last = i;
	/* Alone, a line of code is worth reading as its strings joined
	 * ("..." + "&sig=..."); any other line is read as written. */
	if (sp->chain_first == sp->chain_last &&
	    !(sp->win[sp->cur].flags & F_CODE))
		return 0;
	*text = sp->frag + sp->win[sp->chain_first].frag_at;
	return sp->win[sp->chain_last].frag_at +
	    sp->win[sp->chain_last].frag_len -
	    sp->win[sp->chain_first].frag_at;
}

/* The chain's line holding byte at of the joined text. */
static int
line_at(const struct split *sp, size_t at)
{
	size_t base = sp->win[sp->chain_first].frag_at;
	int i;

	for (i = sp->chain_first; i < sp->chain_last; i++)
		if (base + at < sp->win[i].frag_at + sp->win[i].frag_len)
			break;
	return i;
}

int
split_span_of(const struct split *sp, size_t start, size_t end,
    size_t sig_end, struct split_span *out)
{
	int i, sig;

	if (sp->nwin == 0 || end <= start)
		return -1;
	out->first = line_at(sp, start);
	out->last = line_at(sp, end - 1);
	sig = line_at(sp, sig_end > 0 ? sig_end - 1 : 0);
	out->added = 0;
	out->report = -1;
	for (i = out->first; i <= out->last; i++)
		if (sp->win[i].added) {
			out->added = 1;
			if (out->report < 0)
				out->report = i;
		}
	if (sig >= out->first && sig <= out->last && sp->win[sig].added)
		out->report = sig;
	return 0;
}
