/*
 * sasguard - stop risky Azure Storage SAS tokens before they enter a git
 * repository. Reads unified diffs, judges every SAS token on an added line
 * against the rule set, and exits 1 when one blocks.
 *
 * Only this file decides exit codes and prints errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "report.h"
#include "rules.h"
#include "scan.h"

#define VERSION "0.1.0"

enum { EXIT_ALLOW = 0, EXIT_BLOCK = 1, EXIT_TROUBLE = 2 };

struct options {
	const char *config;
	const char *now;
	const char *format;
	const char *ref;
	const char *get;
	int print_config;
};

static void
usage(FILE *out)
{
	fputs("usage: sasguard [--config FILE] [--now TIME] [--format text] "
	    "[--ref NAME] [FILE...]\n"
	    "       sasguard [--config FILE] --print-config | --get SECTION.KEY\n"
	    "       sasguard --help | --version\n"
	    "\n"
	    "Reads unified diffs (git diff --cached, git log -p, git show, "
	    "format-patch) from each FILE,\n"
	    "or from standard input when there is none or FILE is -, and "
	    "judges every Azure Storage SAS\n"
	    "token on an added line against the rule set. Findings go to "
	    "standard error, signatures redacted.\n"
	    "\n"
	    "  --config FILE     layer this INI rules file over the built-in "
	    "default\n"
	    "  --now TIME        judge expiry against TIME (ISO 8601, or "
	    "@UNIXSECONDS); default: the clock\n"
	    "  --format text     the output format (text, on standard "
	    "error)\n"
	    "  --ref NAME        say that the findings came in with ref NAME\n"
	    "  --print-config    print the effective rule set as INI and exit\n"
	    "  --get SECTION.KEY print one effective setting and exit\n"
	    "\n"
	    "Exit status: 0 nothing blocks (warnings may be printed), 1 a "
	    "token blocks,\n"
	    "2 usage error, unreadable input or rules, or any other failure.\n",
	    out);
}

static int
options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "now", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "ref", required_argument, NULL, 'r' },
		{ "get", required_argument, NULL, 'g' },
		{ "print-config", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->format = "text";
	o->ref = "";
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'n': o->now = optarg; break;
		case 'f': o->format = optarg; break;
		case 'r': o->ref = optarg; break;
		case 'g': o->get = optarg; break;
		case 'p': o->print_config = 1; break;
		case 'h': usage(stdout); exit(EXIT_ALLOW);
		case 'V': puts("sasguard " VERSION); exit(EXIT_ALLOW);
		default: return -1;
		}
	}
	if (strcmp(o->format, "text") != 0) {
		fprintf(stderr, "sasguard: unknown format '%s' (known: text)\n",
		    o->format);
		return -1;
	}
	return 0;
}

static int
now_parse(const char *s, int64_t *now)
{
	char *end;
	long long v;

	if (s == NULL) {
		*now = (int64_t)time(NULL);
		return 0;
	}
	if (s[0] == '@') {
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (s[1] == '\0' || *end != '\0' || errno != 0)
			return -1;
		*now = v;
		return 0;
	}
	return date_parse(s, strlen(s), now);
}

static int
rules_setup(struct rules *r, const struct options *o)
{
	char err[RULES_ERR_MAX];

	if (rules_init(r, err, sizeof err) != 0 ||
	    (o->config != NULL && rules_load(r, o->config, err,
	    sizeof err) != 0)) {
		fprintf(stderr, "sasguard: %s\n", err);
		return -1;
	}
	return 0;
}

/* Scans one input; returns 0, or -1 after saying what went wrong. */
static int
input_scan(struct scan *s, const char *name)
{
	int fd = 0, r;
	const char *shown = name;

	if (strcmp(name, "-") == 0)
		shown = "standard input";
	else if ((fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", name,
		    strerror(errno));
		return -1;
	}
	r = scan_fd(s, fd);
	if (r == SCAN_EREAD)
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", shown,
		    strerror(errno));
	else if (r == SCAN_EWRITE)
		fprintf(stderr, "sasguard: cannot write the report: %s\n",
		    strerror(errno));
	else if (scan_truncated(s) > 0)
		fprintf(stderr, "sasguard: '%s' ends inside a hunk that "
		    "still owes %ld lines: the diff is cut short, so this "
		    "verdict cannot be trusted\n", shown, scan_truncated(s));
	if (fd != 0)
		close(fd);
	return r == SCAN_OK && scan_truncated(s) == 0 ? 0 : -1;
}

static int
config_show(const struct rules *r, const struct options *o)
{
	char value[1100];

	if (o->print_config) {
		if (rules_print(r, stdout) != 0) {
			fprintf(stderr, "sasguard: cannot write: %s\n",
			    strerror(errno));
			return EXIT_TROUBLE;
		}
		return EXIT_ALLOW;
	}
	if (rules_get(r, o->get, value, sizeof value) != 0) {
		fprintf(stderr, "sasguard: no setting '%s' (want SECTION.KEY, "
		    "as --print-config shows)\n", o->get);
		return EXIT_TROUBLE;
	}
	if (printf("%s\n", value) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "sasguard: cannot write: %s\n",
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_ALLOW;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct rules rules;
	struct report report;
	struct scan scan;
	int64_t now;
	int i, trouble = 0;

	if (options_parse(&o, argc, argv) != 0) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (now_parse(o.now, &now) != 0) {
		fprintf(stderr, "sasguard: --now '%s' is not a time (want "
		    "2026-01-31T12:00:00Z or @UNIXSECONDS)\n", o.now);
		return EXIT_TROUBLE;
	}
	if (rules_setup(&rules, &o) != 0)
		return EXIT_TROUBLE;
	if (o.print_config || o.get != NULL)
		return config_show(&rules, &o);
	report_init(&report, stderr);
	if (scan_init(&scan, &rules, &report, now, o.ref) != SCAN_OK) {
		fprintf(stderr, "sasguard: out of memory\n");
		return EXIT_TROUBLE;
	}
	if (optind == argc)
		trouble |= input_scan(&scan, "-");
	for (i = optind; i < argc; i++)
		trouble |= input_scan(&scan, argv[i]);
	if (report_finish(&report) != 0) {
		/* stderr itself failed: the exit code is all we have left. */
		trouble = -1;
	}
	scan_release(&scan);
	report_release(&report);
	if (trouble)
		return EXIT_TROUBLE;
	return report.blocked > 0 ? EXIT_BLOCK : EXIT_ALLOW;
}
