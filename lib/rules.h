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
 * Sections and keys: the rules are the rows of rules_table (one row per
 * rule: its section, its keys with their defaults and bounds, its words
 * for the text, JSON and SARIF reports, its severity, its remedy and its
 * judge); rules_print() writes every key with its value. Beside them:
 *   [sas-generation]     action (block, warn, off: how far a finding on
 *                        code that makes a SAS may go), unknown (what a
 *                        value such code leaves unreadable counts as)
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

/* The rows of rules_table, in order. */
enum rule_id {
	RULE_ACCOUNT_SAS,
	RULE_LONG_EXPIRY,
	RULE_WRITE_PERMISSIONS,
	RULE_UNKNOWN_EXPIRY,
	RULE_INSECURE_PROTOCOL,
	RULE_ACCOUNT_KEY,
	RULE_COUNT
};

struct rules {
	enum rule_action action[RULE_COUNT];
	long max_days;
	char allowed_letters[64];
	/* [sas-generation] */
	enum rule_action made_action, made_unknown;
	double timeout;		/* seconds; 0 = none */
	int fail_open;		/* 0 = closed */
	int bypass;		/* 0 = off */
	char bypass_log[1024];
	struct allow allow;	/* [allow]: owned, see rules_release() */
};

/*
 * What a SAS that code would make leaves open (gen.h fills it): the
 * values of the call that could not be read, as MADE_* bits, with the
 * text that stood there. A value left unread fires its rule with the
 * action [sas-generation] unknown gives.
 */
#define MADE_EXPIRY	1
#define MADE_PERMISSIONS 2
#define MADE_PROTOCOL	4
#define MADE_TEXT_MAX	48
struct made {
	const char *by;		/* "az storage account generate-sas" */
	int unknown;		/* MADE_* */
	char expiry[MADE_TEXT_MAX];	/* as written, when unknown */
	char permissions[MADE_TEXT_MAX];
	char protocol[MADE_TEXT_MAX];
};

struct acctkey;

/* What a rule judges: a SAS token as written, a SAS as code would make
 * it (made is then set), or an account key. */
struct subject {
	const struct sas_token *tok;
	const struct made *made;
	const struct acctkey *key;
	int64_t now;
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

/* The kinds of value a key takes. */
enum rules_value { VALUE_ACTION, VALUE_DAYS, VALUE_LETTERS };

/* One key of a section: where its value lives in struct rules. */
struct rules_key {
	const char *name;
	enum rules_value type;
	const char *fallback;	/* the default, as written in an INI file */
	long min, max;		/* VALUE_DAYS: bounds; VALUE_LETTERS: max
				 * length */
	size_t offset;		/* into struct rules */
};

#define RULES_KEYS_MAX 3

/* One row per rule: everything about it but its documentation in
 * README.md, sasguard.1 and rules/default.ini. */
struct rules_row {
	enum rule_id id;		/* the row's own index */
	const char *section;		/* the id: "account-sas" */
	struct rules_key keys[RULES_KEYS_MAX];	/* action first */
	const char *name;		/* PascalCase, as SARIF prefers */
	const char *severity;		/* SARIF security-severity */
	const char *short_text, *full_text, *help;	/* SARIF */
	const char *remedy;	/* what it asks of a SAS made at run time,
				 * for the text report's advice ("" none) */
	void (*judge)(const struct rules *r, const struct subject *s,
	    struct judgement *j);
};

extern const struct rules_row rules_table[RULE_COUNT];

/* Sections of settings that are not rules, with keys like the rows'. */
struct rules_section {
	const char *section;
	struct rules_key keys[RULES_KEYS_MAX];
};
extern const struct rules_section rules_settings[];
extern const size_t rules_nsettings;

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

/* Judges a SAS that code would make, as tok describes it, by the same
 * rules; made says what made it and what could not be read. Each action
 * is capped by [sas-generation] action, an unread value's by unknown. */
void rules_judge_made(const struct rules *r, const struct sas_token *tok,
    const struct made *made, int64_t now, struct judgement *j);

/* Judges an account key (acctkey.h). */
void rules_judge_key(const struct rules *r, const struct acctkey *key,
    struct judgement *j);

/* "account-sas", ... : the stable id used in files and output. */
const char *rules_id_name(enum rule_id id);
const char *rules_action_name(enum rule_action a);

#endif
