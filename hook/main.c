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

#include "allow.h"
#include "cli.h"
#include "date.h"
#include "report.h"
#include "rules.h"
#include "scan.h"

#define VERSION SASGUARD_VERSION

#define BASELINES_MAX 16

struct options {
	const char *config;
	const char *now;
	const char *format;
	enum report_format report_format;
	const char *ref;
	const char *get;
	int print_config;
	const char *baseline[BASELINES_MAX];
	int nbaselines;
	const char *write_baseline;
	int exit_zero;
	int exit_block;		/* the status for "blocked" */
	int files;		/* --files: content, not diffs */
	int color;		/* --color: COLOR_AUTO, ... */
	int quiet, verbose;
};

enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

int cli_color;

/* The subcommands git's hooks run (cli.h). */
static const struct {
	const char *name;
	int (*run)(int, char **);
} commands[] = {
	{ "pre-receive", cli_pre_receive },
	{ "pre-commit", cli_pre_commit },
	{ "commit-msg", cli_commit_msg },
	{ "inventory", cli_inventory },
};

static const char *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].name;
	return NULL;
}

static void
usage(FILE *out)
{
	/* One screen; sasguard(1) has the rest. */
	fputs("usage: sasguard [options] [FILE...]       the added lines of "
	    "diffs (stdin: -)\n"
	    "       sasguard [options] --files PATH...  files as they are\n"
	    "       sasguard pre-receive | pre-commit | commit-msg FILE  (the "
	    "git hooks)\n"
	    "       sasguard inventory [--format FORMAT] [--quiet] [REPO...]\n"
	    "       sasguard [--config FILE] --print-config | --get SECTION.KEY\n"
	    "\n"
	    "  --config FILE         layer this rules file over the built-in "
	    "rules\n"
	    "  --now TIME            judge expiry at TIME (ISO 8601 or "
	    "@UNIXSECONDS)\n"
	    "  --format FORMAT       text (stderr), or json or sarif (stdout)\n"
	    "  --ref NAME            say the findings came in with ref NAME\n"
	    "  --baseline FILE       allow the fingerprints FILE lists "
	    "(repeatable)\n"
	    "  --write-baseline FILE write the fingerprints of what a rule "
	    "fires on, exit 0\n"
	    "  --exit-zero           exit 0 even when a token blocks\n"
	    "  --exit-code N         exit N (1-125) when a token blocks\n"
	    "  --files               scan PATHs as they are (directories "
	    "recurse)\n"
	    "  --color WHEN          auto (default), always or never; NO_COLOR "
	    "is honoured\n"
	    "  -q, --quiet           only the findings' first lines; "
	    "-v, --verbose: more\n"
	    "  -h, --help            this; --version: the version\n"
	    "\n"
	    "Exit status: 0 nothing blocks, 1 a token blocks, 2 usage, input "
	    "or rules error.\n"
	    "Findings go to standard error, signatures redacted. More: man "
	    "sasguard\n", out);
}

static int
exit_code_parse(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 125) {
		fprintf(stderr, "sasguard: --exit-code wants a number from 1 to "
		    "125, not '%s'\n", s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
format_parse(struct options *o)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {
		{ "text", REPORT_TEXT },
		{ "json", REPORT_JSON },
		{ "sarif", REPORT_SARIF },
	};
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(o->format, formats[i].name) == 0) {
			o->report_format = formats[i].format;
			return 0;
		}
	}
	fprintf(stderr, "sasguard: unknown format '%s' (known: text, json, "
	    "sarif)\n", o->format);
	return -1;
}

/* --color: no-color.org's NO_COLOR (set and not empty) wins over auto,
 * not over a colour asked for by name. */
static int
color_parse(const char *s, int *out)
{
	if (s == NULL || strcmp(s, "always") == 0)
		*out = COLOR_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*out = COLOR_NEVER;
	else if (strcmp(s, "auto") == 0)
		*out = COLOR_AUTO;
	else {
		fprintf(stderr, "sasguard: --color wants auto, always or never, "
		    "not '%s'\n", s);
		return -1;
	}
	return 0;
}

static int
color_wanted(int color, int fd)
{
	const char *no = getenv("NO_COLOR");

	if (color != COLOR_AUTO)
		return color == COLOR_ALWAYS;
	return (no == NULL || no[0] == '\0') && isatty(fd);
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
		{ "baseline", required_argument, NULL, 'b' },
		{ "write-baseline", required_argument, NULL, 'w' },
		{ "exit-zero", no_argument, NULL, 'z' },
		{ "exit-code", required_argument, NULL, 'x' },
		{ "files", no_argument, NULL, 'F' },
		{ "color", optional_argument, NULL, 'C' },
		{ "colour", optional_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->format = "text";
	o->ref = "";
	o->exit_block = EXIT_BLOCK;
	while ((c = getopt_long(argc, argv, "hqv", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (o->nbaselines == BASELINES_MAX) {
				fprintf(stderr, "sasguard: at most %d --baseline "
				    "files\n", BASELINES_MAX);
				return -1;
			}
			o->baseline[o->nbaselines++] = optarg;
			break;
		case 'w': o->write_baseline = optarg; break;
		case 'z': o->exit_zero = 1; break;
		case 'F': o->files = 1; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose = 1; break;
		case 'C':
			if (color_parse(optarg, &o->color) != 0)
				return -1;
			break;
		case 'x':
			if (exit_code_parse(optarg, &o->exit_block) != 0)
				return -1;
			break;
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
	if (o->quiet && o->verbose) {
		fprintf(stderr, "sasguard: --quiet and --verbose: choose one\n");
		return -1;
	}
	return format_parse(o);
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

/* The rules' own baseline, then each --baseline: all of them allow. */
static int
baselines_load(struct rules *r, const struct options *o)
{
	char err[ALLOW_ERR_MAX];
	int i;

	if (r->allow.baseline[0] != '\0' && allow_load_baseline(&r->allow,
	    r->allow.baseline, err, sizeof err) != 0) {
		fprintf(stderr, "sasguard: %s\n", err);
		return -1;
	}
	for (i = 0; i < o->nbaselines; i++) {
		if (allow_load_baseline(&r->allow, o->baseline[i], err,
		    sizeof err) != 0) {
			fprintf(stderr, "sasguard: %s\n", err);
			return -1;
		}
	}
	return 0;
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

/* An [allow] regex that tripped a limit decides nothing: say which. */
static void
regex_failure_say(const struct scan *s)
{
	char words[256];

	allow_error_words(s->failure.code, words, sizeof words);
	fprintf(stderr, "sasguard: %s: [allow] regex failed on %s: %s; the "
	    "pattern must be simpler (limits: %d matches, depth %d)\n",
	    s->failure.regex->origin, s->failed_at, words, ALLOW_MATCH_LIMIT,
	    ALLOW_DEPTH_LIMIT);
}

/* --verbose: what was read, so "nothing found" can be told from "nothing
 * read". lines < 0: not counted (--files: the count would include the
 * headers each piece of a file is scanned under). */
static void
scanned_say(const char *name, long long lines)
{
	int quote = strcmp(name, "standard input") != 0;

	fprintf(stderr, "sasguard: scanned %s%s%s", quote ? "'" : "", name,
	    quote ? "'" : "");
	if (lines >= 0)
		fprintf(stderr, ": %lld %s", lines, lines == 1 ? "line" :
		    "lines");
	fputc('\n', stderr);
}

/* Scans one input; returns 0, or -1 after saying what went wrong. */
static int
input_scan(struct scan *s, const char *name)
{
	unsigned long long seen, lines, coloured;
	int fd = 0, r;
	const char *shown = name;

	if (strcmp(name, "-") == 0)
		shown = "standard input";
	else if ((fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", name,
		    strerror(errno));
		return -1;
	}
	seen = s->diff.seen;
	lines = s->diff.lines;
	coloured = s->diff.coloured;
	r = scan_fd(s, fd);
	if (r == SCAN_EREAD)
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", shown,
		    strerror(errno));
	else if (r == SCAN_EWRITE)
		fprintf(stderr, "sasguard: cannot write the report: %s\n",
		    strerror(errno));
	else if (r == SCAN_EREGEX)
		regex_failure_say(s);
	else if (r == SCAN_ENOMEM)
		fprintf(stderr, "sasguard: out of memory\n");
	else if (s->diff.coloured > coloured) {
		/* Refused, not stripped: the escapes sit in headers and in
		 * added lines alike, and a plain diff never has one. */
		fprintf(stderr, "sasguard: '%s' is a coloured diff: run git "
		    "with --no-color (or -c color.ui=never) and pipe that\n",
		    shown);
		r = SCAN_EREAD;
	} else if (s->diff.lines > lines && s->diff.seen == seen) {
		fprintf(stderr, "sasguard: '%s' holds no diff (no diff --git, "
		    "hunk or commit line): to scan files as they are, run "
		    "sasguard --files %s\n", shown, fd == 0 ? "PATH" : name);
		r = SCAN_EREAD;
	} else if (scan_truncated(s) > 0)
		fprintf(stderr, "sasguard: '%s' ends inside a hunk that "
		    "still owes %ld lines: the diff is cut short, so this "
		    "verdict cannot be trusted\n", shown, scan_truncated(s));
	if (fd != 0)
		close(fd);
	if (s->report->verbose && r == SCAN_OK)
		scanned_say(shown, (long long)(s->diff.lines - lines));
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

/* --write-baseline: only over inputs read whole, or it would drop the
 * fingerprints of what could not be read. */
static int
baseline_write(struct fpset *found, const char *path)
{
	char err[ALLOW_ERR_MAX];

	if (fpset_write(found, path, err, sizeof err) != 0) {
		fprintf(stderr, "sasguard: %s\n", err);
		return -1;
	}
	return 0;	/* quiet when it worked: the file says it */
}

static int
exit_status(const struct options *o, const struct report *r, int trouble)
{
	if (trouble)
		return EXIT_TROUBLE;
	if (o->write_baseline != NULL || o->exit_zero || r->blocked == 0)
		return EXIT_ALLOW;
	return o->exit_block;
}

/* --write-baseline tells nothing when it works: findings are counted,
 * not told. */
static int
finding_ignore(void *user, const struct finding *f, const struct token *k)
{
	(void)user;
	(void)f;
	(void)k;
	return 0;
}

/* Scans every input into the report; returns the exit status. */
static int
inputs_scan(const struct options *o, const struct rules *rules,
    struct report *report, int64_t now, int argc, char **argv)
{
	struct fpset found;
	struct scan scan;
	int i, trouble = 0, status;

	memset(&found, 0, sizeof found);
	if (scan_init(&scan, rules, report, now, o->ref) != SCAN_OK) {
		fprintf(stderr, "sasguard: out of memory\n");
		return EXIT_TROUBLE;
	}
	if (o->write_baseline != NULL) {
		scan.collect = &found;
		if (report->doc == NULL) {
			report_sink(report, finding_ignore, NULL);
			report->quiet = 1;
		}
	}
	for (i = optind; o->files && i < argc; i++) {
		int failed = cli_files_scan(&scan, argv[i]);

		if (o->verbose && !failed)
			scanned_say(argv[i], -1);
		trouble |= failed;
	}
	if (!o->files && optind == argc)
		trouble |= input_scan(&scan, "-");
	for (i = optind; !o->files && i < argc; i++)
		trouble |= input_scan(&scan, argv[i]);
	if (o->write_baseline != NULL && !trouble)
		trouble |= baseline_write(&found, o->write_baseline);
	status = exit_status(o, report, trouble);
	if (report_finish(report, status) != 0) {
		if (report->doc != NULL)
			fprintf(stderr, "sasguard: cannot write the report: "
			    "%s\n", strerror(errno));
		status = EXIT_TROUBLE;
	}
	scan_release(&scan);
	fpset_release(&found);
	return status;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct rules rules;
	struct report report;
	int64_t now;
	int status;
	size_t i;

	/* sasguard --color=WHEN HOOK ...: a hook's output is read through
	 * git, often not on a terminal: only "always" colours it. */
	if (argc > 2 && strncmp(argv[1], "--color", 7) == 0 &&
	    (argv[1][7] == '\0' || argv[1][7] == '=') && command_find(argv[2])
	    != NULL) {
		int c;

		if (color_parse(argv[1][7] ? argv[1] + 8 : NULL, &c) != 0)
			return EXIT_TROUBLE;
		cli_color = c == COLOR_ALWAYS;
		argc--;
		argv++;
	}
	for (i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (options_parse(&o, argc, argv) != 0) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	/* Nobody types a diff: a terminal on stdin is a mistake, not an
	 * empty (clean) input. */
	if (!o.files && !o.print_config && o.get == NULL && optind == argc &&
	    isatty(0)) {
		fprintf(stderr, "sasguard: standard input is a terminal: pipe a "
		    "diff in (git diff --cached | sasguard), name diff files, "
		    "or scan files as they are (sasguard --files PATH)\n");
		return EXIT_TROUBLE;
	}
	if (o.files && optind == argc) {
		fprintf(stderr, "sasguard: --files wants at least one PATH\n");
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
	if (o.print_config || o.get != NULL) {
		status = config_show(&rules, &o);
		rules_release(&rules);
		return status;
	}
	if (baselines_load(&rules, &o) != 0) {
		rules_release(&rules);
		return EXIT_TROUBLE;
	}
	report_init(&report, stderr);
	report.quiet = o.quiet;
	report.verbose = o.verbose;
	report.color = o.report_format == REPORT_TEXT &&
	    color_wanted(o.color, 2);
	if (report_start(&report, o.report_format, stdout, &rules, VERSION,
	    now) != 0) {
		fprintf(stderr, "sasguard: cannot write the report: %s\n",
		    strerror(errno));
		report_release(&report);
		rules_release(&rules);
		return EXIT_TROUBLE;
	}
	status = inputs_scan(&o, &rules, &report, now, argc, argv);
	report_release(&report);
	rules_release(&rules);
	return status;
}
