/*
 * ticket.h
 *		Public C interface of the ticket extension: storage of its types.
 *
 * Installed with the server headers (HEADERS in the Makefile) so that other
 * extensions can read ticket values without going through text.
 */
#ifndef TICKET_H
#define TICKET_H

#include "fmgr.h"

/*
 * ticket.fiscal_code: fixed length, 16 bytes, passed by reference, char
 * alignment, no varlena header.
 *
 *	 personal, STP, ENI codes: the 16 upper-case ASCII characters as written
 *							   (an omocode stays an omocode);
 *	 numeric (11-digit) codes: the 11 digits, then 5 NUL bytes.
 *
 * Byte-wise comparison of the 16 bytes gives the same order as comparing
 * the codes as text in the C collation, and equality is literal: two
 * omocodes of one person are different codes (use fiscal_code_canonical or
 * fiscal_code_equivalent to compare the person-derived data).
 */
#define FISCAL_CODE_LEN 16

typedef struct FiscalCode
{
	char		data[FISCAL_CODE_LEN];
} FiscalCode;

#define DatumGetFiscalCodeP(X)	((FiscalCode *) DatumGetPointer(X))
#define FiscalCodePGetDatum(X)	PointerGetDatum(X)
#define PG_GETARG_FISCAL_CODE_P(n) DatumGetFiscalCodeP(PG_GETARG_DATUM(n))
#define PG_RETURN_FISCAL_CODE_P(x) return FiscalCodePGetDatum(x)

#endif							/* TICKET_H */
