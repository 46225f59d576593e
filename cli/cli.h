/*
 * cli.h - sasguard's subcommands for git: the hooks' work, done in the
 * binary so that git runs from one argv table (git.h) and no shell reads
 * what git prints.
 *
 *   sasguard pre-receive [--hook PATH]   git's <old> <new> <ref> lines on
 *       stdin; scans every commit, message, tag, file name and binary file
 *       the push brings; the server's settings only.
 *   sasguard pre-commit [--hook PATH]    the staged changes.
 *   sasguard commit-msg [--hook PATH] FILE   the commit message.
 * PATH is the hook that runs the command ("$0"): hooks that were there
 * before sasguard (PATH.sasguard-chained) run with the same input.
 *
 * Each returns the exit status: 0 go on, 1 a token blocks, 2 sasguard
 * could not check (which also stops git).
 */
#ifndef SASGUARD_CLI_H
#define SASGUARD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

enum { EXIT_ALLOW = 0, EXIT_BLOCK = 1, EXIT_TROUBLE = 2 };

#define SASGUARD_VERSION "0.2.0"

/* The hooks colour their report only when asked by name: sasguard
 * --color=always pre-commit (set by main.c). */
extern int cli_color;

int cli_pre_receive(int argc, char **argv);
int cli_pre_commit(int argc, char **argv);
int cli_commit_msg(int argc, char **argv);
/* sasguard inventory [--format F] [--now TIME] [--config FILE] [--quiet]
 * [REPO...]: every token in the repositories' histories (inventory.c). */
int cli_inventory(int argc, char **argv);

/* The built-in rules with the file at config (NULL: none) layered over
 * them; the rules' baseline loaded. Says what failed; 0 or -1. With
 * server set, inline markers are off unless the file turns them on. */
int cli_rules(struct rules *r, const char *config, int server);

/* Runs the hook that was in place before sasguard, PATH.sasguard-chained
 * beside the hook at hook, with args and (when input is not NULL) input on
 * its stdin. Returns its exit status, 0 when there is none, or -1 when it
 * cannot be run (said). */
int cli_chained(const char *hook, const char *name, char **args,
    const char *input, size_t len);

/* scan_fd() in the shape git_pipe() hands output to (git.h). */
int cli_scan_fd(void *scan, int fd);

/* A scan status (scan.h) in words: "out of memory", ... */
const char *cli_scan_words(int status);

/* Runs path with args (at most 14) and input on its stdin (NULL: ours).
 * Returns its exit status (128 + N for signal N), or -1 (errno). */
int cli_run(const char *path, char **args, const char *input, size_t len);

/* sasguard --files PATH...: each file as it is, every line new;
 * directories recurse, .git skipped. Returns 0, or -1 after saying what
 * could not be read. */
struct scan;
int cli_files_scan(struct scan *s, const char *path);

#endif
