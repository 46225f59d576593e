/*
 * rules.h - the rule set: which SAS tokens block, which warn.
 *
 * The built-in default is rules/default.ini, compiled into the binary from
 * that one file. rules_load() layers an INI file over what is already in
 * the struct: a key it sets wins, a key it leaves out keeps its value.
 *
 * INI as Debian's libinih reads it: "[section]", "key = value", comments
 * start a line with ';' or '#', or follow " ;" (a space then ';') inside a
 * line, so a value cannot hold " ;". A line longer than RULES_LINE_MAX
 * bytes is an error here rather than being split silently by inih.
 * An unknown section or key, a bad value, or a line inih cannot parse is
 * an error reported as "file:line: what is wrong".
 *
 * Sections and keys (rules_print() writes them all, with their values):
 *   [account-sas]        action          any account-level SAS
 *   [long-expiry]        action, max_days  lifetime over max_days days
 *   [write-permissions]  action, allowed_letters  sp outside the letters
 *   [unknown-expiry]     action          no usable se
 *   [insecure-protocol]  action          spr allows http (or is absent)
 *   [sasguard]           for the hooks: timeout (seconds the scan may
 *                        take, 0 = none), fail (closed = a timeout or
 *                        internal error refuses; open = lets through with
 *                        a warning), bypass (off/on: honour
 *                        "git push -o sasguard.bypass=<reason>"),
 *                        bypass_log (file the hook appends bypasses to)
 *   [allow]              exceptions (see allow.h): inline (true/false:
 *                        honour "sasguard:allow" on a line), baseline
 *                        (a file of fingerprints; a relative path is
 *                        taken from the rules file's folder), and the
 *                        lists paths (one glob a key), regex (one PCRE2
 *                        pattern a key), fingerprints (several a key,
 *                        split by commas or spaces)
 * action is one of block, warn, off.
 *
 * Lists add up: a key repeated adds to its list, and a file layered over
 * another extends the lists it set (the built-in default has none). That
 * is how a list longer than one line fits inih's line limit.
 */
#ifndef SASGUARD_RULES_H
#define SASGUARD_RULES_H

#include <stdint.h>
#include <stdio.h>

#include "allow.h"
#include "sas.h"

#define RULES_LINE_MAX 200	/* Debian's libinih INI_MAX_LINE */
#define RULES_ERR_MAX 512

enum rule_action { ACTION_OFF, ACTION_WARN, ACTION_BLOCK };

enum rule_id {
	RULE_ACCOUNT_SAS,
	RULE_LONG_EXPIRY,
	RULE_WRITE_PERMISSIONS,
	RULE_UNKNOWN_EXPIRY,
	RULE_INSECURE_PROTOCOL,
	RULE_COUNT
};

struct rules {
	enum rule_action action[RULE_COUNT];
	long max_days;
	char allowed_letters[64];
	double timeout;		/* seconds; 0 = none */
	int fail_open;		/* 0 = closed */
	int bypass;		/* 0 = off */
	char bypass_log[1024];
	struct allow allow;	/* [allow]: owned, see rules_release() */
};

/* One rule's verdict on one token. */
struct rule_hit {
	enum rule_id rule;
	enum rule_action action;
	char why[160];		/* in words, no secret */
};

struct judgement {
	struct rule_hit hit[RULE_COUNT];
	int nhits;
	enum rule_action worst;	/* ACTION_OFF when nothing fired */
	int expired;		/* se is before now */
	int64_t lifetime;	/* seconds; valid when lifetime_known */
	int lifetime_known;
};

/* Fills r from the built-in default. Returns 0, or -1 with err filled
 * (only if the compiled-in file is broken). */
int rules_init(struct rules *r, char *err, size_t errlen);

/* Frees what the rule set holds ([allow] lists and patterns). */
void rules_release(struct rules *r);

/* Layers the file at path over r. Returns 0, or -1 with err filled
 * ("cannot read 'x': reason" or "x:12: unknown key 'y' in [z]"). On error
 * r may hold part of the file: do not use it. */
int rules_load(struct rules *r, const char *path, char *err, size_t errlen);

/* Same, from a NUL-terminated string; name is used in messages. */
int rules_load_string(struct rules *r, const char *text, const char *name,
    char *err, size_t errlen);

/* Writes the effective rule set as INI that rules_load() reads back.
 * Returns 0, or -1 on a write error. */
int rules_print(const struct rules *r, FILE *out);

/* Writes the effective value of "section.key" (as rules_print() writes
 * it) into buf. Returns 0, or -1 when there is no such key. */
int rules_get(const struct rules *r, const char *name, char *buf,
    size_t cap);

/* Judges tok against r at time now (seconds since the epoch). */
void rules_judge(const struct rules *r, const struct sas_token *tok,
    int64_t now, struct judgement *j);

/* "account-sas", ... : the stable id used in files and output. */
const char *rules_id_name(enum rule_id id);
const char *rules_action_name(enum rule_action a);

#endif
