/*
 * ascii.h
 *		ASCII character handling shared by the pure-C parsers: case folding
 *		and whitespace without locale calls (a Turkish locale must not change
 *		a code), table driven.
 */
#ifndef TICKET_ASCII_H
#define TICKET_ASCII_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The upper-case form of an ASCII letter or digit, 0 for every other byte
 * (non-ASCII included): folding and the character check in one lookup.
 */
extern const unsigned char ascii_upper_alnum[256];

static inline bool
ascii_is_space(unsigned char c)
{
	/* every ASCII space character is at most ' ' (0x20): test that first */
	return c <= ' ' &&
		(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f');
}

/* Narrow [*start, *end) to leave out surrounding ASCII whitespace. */
static inline void
ascii_trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && ascii_is_space((unsigned char) s[*start]))
		(*start)++;
	while (*end > *start && ascii_is_space((unsigned char) s[*end - 1]))
		(*end)--;
}

#endif							/* TICKET_ASCII_H */
