/*
 * text.h - what every reader of text here needs: kinds of characters,
 * finding a word (memmem, which C11 lacks), and writing into a fixed
 * room, cutting what does not fit.
 */
#ifndef SASGUARD_TEXT_H
#define SASGUARD_TEXT_H

#include <stddef.h>

/* Where the NUL-terminated word first occurs in s[0..len), or NULL. */
const char *text_find(const char *s, size_t len, const char *word);

/* Blanks inside a line; letters, digits and '_'; the quotes of strings. */
static inline int
text_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline int
text_is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static inline int
text_is_quote(char c)
{
	return c == '"' || c == '\'' || c == '`';
}

/* A room of cap bytes at p, n of them used. */
struct text_out {
	char *p;
	size_t n, cap;
};

/* Appends s[0..n), as much of it as fits. */
void text_put(struct text_out *o, const char *s, size_t n);

#endif
