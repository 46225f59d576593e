/*
 * composition.c - what a benchmark corpus is made of, so a reader can judge
 * the times measured on it: "composition FILE" prints one line of
 * "key=value" pairs:
 *
 *   bytes lines commits merges hunks added removed context
 *   eq_per_mib     '=' bytes per MiB (grep -F sig= pays per '=')
 *   sig_per_gib    lines holding "sig=" per GiB
 *   hint2_per_gib  added lines holding [gG7][=%\] (the two-byte hint)
 *   hint3_per_gib  added lines holding [iI469][gG7][=%\] (three bytes)
 *   longest        the longest line, bytes
 *
 * A line is "added" when it starts with '+' and is not a "+++ " header,
 * "removed" likewise with '-', "context" with ' ': close enough for a
 * corpus description, not a diff reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
g_like(int c)
{
	return c == 'g' || c == 'G' || c == '7';
}

static int
eq_like(int c)
{
	return c == '=' || c == '%' || c == '\\';
}

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long bytes = 0, lines = 0, commits = 0, merges = 0;
	unsigned long long hunks = 0, added = 0, removed = 0, context = 0;
	unsigned long long eq = 0, sig = 0, hint2 = 0, hint3 = 0;
	unsigned long long longest = 0, len = 0;
	/* The start of the current line (up to 8 bytes) and the last two. */
	char head[8];
	int h2 = 0, h3 = 0, s = 0, p1 = 0, p2 = 0, p3 = 0;
	size_t n, i;
	FILE *f;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: composition FILE\n");
		return 2;
	}
	memset(head, 0, sizeof head);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		for (i = 0; i < n; i++) {
			int c = (unsigned char)buf[i];

			bytes++;
			if (c != '\n') {
				if (len < sizeof head)
					head[len] = (char)c;
				len++;
				eq += c == '=';
				if (eq_like(c) && g_like(p1)) {
					h2 = 1;
					if (p2 == 'i' || p2 == 'I' || p2 == '4' ||
					    p2 == '6' || p2 == '9')
						h3 = 1;
					if (c == '=' && p1 == 'g' && p2 == 'i' &&
					    p3 == 's')
						s = 1;
				}
				p3 = p2;
				p2 = p1;
				p1 = c;
				continue;
			}
			lines++;
			if (len > longest)
				longest = len;
			if (head[0] == '+' && !(len >= 4 &&
			    memcmp(head, "+++ ", 4) == 0)) {
				added++;
				hint2 += h2;
				hint3 += h3;
			} else if (head[0] == '-' && !(len >= 4 &&
			    memcmp(head, "--- ", 4) == 0))
				removed++;
			else if (head[0] == ' ')
				context++;
			else if (head[0] == '@' && head[1] == '@')
				hunks++;
			else if (len >= 7 && memcmp(head, "commit ", 7) == 0)
				commits++;
			else if (len >= 7 && memcmp(head, "Merge: ", 7) == 0)
				merges++;
			sig += s;
			len = 0;
			h2 = h3 = s = p1 = p2 = p3 = 0;
			memset(head, 0, sizeof head);
		}
	}
	fclose(f);
#define PER(x, unit) ((double)(x) * (unit) / (double)(bytes ? bytes : 1))
	printf("bytes=%llu lines=%llu commits=%llu merges=%llu hunks=%llu "
	    "added=%llu removed=%llu context=%llu eq_per_mib=%.0f "
	    "sig_per_gib=%.0f hint2_per_gib=%.0f hint3_per_gib=%.0f "
	    "longest=%llu\n", bytes, lines, commits, merges, hunks, added,
	    removed, context, PER(eq, 1048576.0), PER(sig, 1073741824.0),
	    PER(hint2, 1073741824.0), PER(hint3, 1073741824.0), longest);
	return 0;
}
