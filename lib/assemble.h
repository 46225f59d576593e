/*
 * assemble.h - SAS query strings that code builds out of literal pieces,
 * put together so that the token finder can read them:
 *
 *   format     Python "...?sv={}&sig={}".format("2020-08-04", "...")
 *              ({}, {0}, {name} with name="..."); "...%s..." % (...)
 *              and format("...%s...", "...") (Terraform, Go's Sprintf);
 *              f-strings and JavaScript templates whose fields are
 *              literals (f"...&sig={'...'}", `...${'...'}`)
 *   join       Terraform join("&", ["sv=...", "sig=..."]), Python
 *              "&".join([...]), JavaScript [...].join("&")
 *   map        a map of query parameters whose keys are SAS parameter
 *              names, over one or more lines: Python and JSON
 *              {'sv': '...', 'sig': '...'}, JavaScript {sv: '...'},
 *              YAML "sig: ...", HCL and keyword arguments sig = "..."
 *
 * Only literals are used: a piece held in a variable is not known here,
 * and what it would fill stays as written (no token comes of it). Each
 * function writes the query strings it builds to out (at most cap
 * bytes), each followed by '\n', and returns their length; 0 when the
 * text holds none. All text is (ptr, len); the work is linear in len.
 */
#ifndef SASGUARD_ASSEMBLE_H
#define SASGUARD_ASSEMBLE_H

#include <stddef.h>

/* Is there anything on the line worth assembling? (A cheap look.) */
int assemble_wanted(const char *s, size_t len);

/* Format strings and joins on one line. */
size_t assemble_line(const char *s, size_t len, char *out, size_t cap);

/* Does the line name a SAS parameter "sig" as a map's key? */
int assemble_map_key(const char *s, size_t len);

/*
 * The map around line cur of lines[0..n) (lens[i] bytes each): the lines
 * next to it that hold SAS parameter keys (or only braces and commas),
 * as one query string "k=v&k=v...".
 */
size_t assemble_map(const char *const *lines, const size_t *lens, int n,
    int cur, char *out, size_t cap);

#endif
