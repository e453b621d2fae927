/*
 * nre_core.c
 *		Pure-C parser of the electronic prescription number: see nre_core.h.
 *
 * Table driven (ascii.h), no locale calls: case folding is ASCII-only on
 * purpose.
 */
#include "nre_core.h"

#include <limits.h>

#include "ascii.h"

static inline void
set_error(nre_error *err, nre_status status, int position, char ch, int value)
{
	if (err)
	{
		err->status = status;
		err->position = position;
		err->ch = ch;
		err->value = value;
	}
}

nre_status
ticket_nre_parse(const char *input, size_t len, char out[NRE_LEN + 1], int *region,
		  nre_error *err)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		n;
	int			code = 0;

	out[0] = '\0';
	if (input == NULL)
		end = 0;
	else
		ascii_trim(input, &start, &end);
	n = end - start;
	if (n == 0)
	{
		set_error(err, NRE_ERR_EMPTY, 0, 0, 0);
		return NRE_ERR_EMPTY;
	}

	/* Characters first, so that the length message is not misleading. */
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) input[start + i];
		unsigned char upper = ascii_upper_alnum[c];

		if (upper == 0)
		{
			nre_status	status = c >= 0x80 ? NRE_ERR_NON_ASCII :
				ascii_is_space(c) ? NRE_ERR_INNER_SPACE : NRE_ERR_BAD_CHARACTER;
			/* all bytes before are ASCII: the byte position is the character's */
			int			position = i < (size_t) INT_MAX ? (int) i + 1 : INT_MAX;

			out[0] = '\0';
			set_error(err, status, position, c >= 0x80 ? 0 : (char) c, 0);
			return status;
		}
		if (i < NRE_LEN)
			out[i] = (char) upper;
	}
	if (n != NRE_LEN)
	{
		out[0] = '\0';
		set_error(err, NRE_ERR_LENGTH, 0, 0,
				  n > NRE_MAX_SHOWN_LENGTH ? NRE_MAX_SHOWN_LENGTH : (int) n);
		return NRE_ERR_LENGTH;
	}
	for (int i = 0; i < NRE_REGION_LEN; i++)
	{
		if (out[i] < '0' || out[i] > '9')
		{
			char		ch = out[i];

			out[0] = '\0';
			set_error(err, NRE_ERR_REGION_NOT_DIGIT, i + 1, ch, 0);
			return NRE_ERR_REGION_NOT_DIGIT;
		}
		code = code * 10 + (out[i] - '0');
	}
	out[NRE_LEN] = '\0';
	if (region)
		*region = code;
	set_error(err, NRE_OK, 0, 0, 0);
	return NRE_OK;
}
