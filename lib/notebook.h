/*
 * notebook.h - the lines of a Jupyter notebook (.ipynb, JSON) as the code
 * they hold. A cell's "source" and an output's "text" are arrays of JSON
 * strings, one element per line of code, each ending in "\n" but the
 * last ("url = \"https://...?sv=2020-08-04\"\n", then "  \"&sig=...\"\n");
 * a tool may also cut a line of code between two elements. Read element
 * by element and decoded, consecutive elements are the cell's code again,
 * which the split-token joiner (split.c) reads like any other code.
 *
 * All text is (ptr, len); nothing needs to end in NUL.
 */
#ifndef SASGUARD_NOTEBOOK_H
#define SASGUARD_NOTEBOOK_H

#include <stddef.h>

/* Is path (NUL-terminated) a notebook's, by its name? */
int notebook_path(const char *path);

/*
 * If the line s[0..len) is one element of a JSON array of strings - the
 * string, maybe after the array's key ("source": [), then at most a ','
 * or a ']' - writes the string's text, escapes decoded, to out (at most
 * cap bytes), without the "\n" it ends with, and returns 1; *outn is its
 * length and *newline says whether it ended in "\n" (0: the code line
 * goes on in the next element). Returns 0 for any other line.
 */
int notebook_element(const char *s, size_t len, char *out, size_t cap,
    size_t *outn, int *newline);

#endif
