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

/*
 * ticket.income_band and ticket.exemption: 4 bytes, passed by value, int4
 * alignment; one layout for both.
 *
 * The code, 1 to 6 characters from 0-9 and A-Z (upper case), is read as a
 * base-37 number, most significant character first, with '0'..'9' = 1..10,
 * 'A'..'Z' = 11..36 and 0 padding the code on the right to 6 positions:
 *
 *	 packed = c1 * 37^5 + c2 * 37^4 + ... + c6	 (c = 0 past the end)
 *
 * and the stored int32 is packed - 2^31.  Signed order of stored values is
 * the order of the codes as text in the C collation, a prefix first, so the
 * types compare and hash with the server's int4 functions.  For example
 * RE1 = 28 * 37^5 + 15 * 37^4 + 2 * 37^3 = 1969844517, stored as
 * -177639131; QB is stored as -252706877 (QB < RE1).  The pure-C packing
 * and its inverse are ticket_short_code_pack() / ticket_short_code_unpack() in the
 * extension's core (extension/src/core/short_code.h).
 *
 * Which codes a value may hold: income_band, any such code starting with a
 * letter (RE1, QB, ...); exemption, the codes of the families listed in
 * exemption_core.h.  The binary send format is the code's characters.
 */
typedef int32 IncomeBand;
typedef int32 Exemption;

#define TICKET_SHORT_CODE_BIAS	INT64CONST(2147483648)	/* 2^31 */

#define DatumGetIncomeBand(X)	((IncomeBand) DatumGetInt32(X))
#define IncomeBandGetDatum(X)	Int32GetDatum(X)
#define PG_GETARG_INCOME_BAND(n) DatumGetIncomeBand(PG_GETARG_DATUM(n))
#define PG_RETURN_INCOME_BAND(x) return IncomeBandGetDatum(x)

#define DatumGetExemption(X)	((Exemption) DatumGetInt32(X))
#define ExemptionGetDatum(X)	Int32GetDatum(X)
#define PG_GETARG_EXEMPTION(n)	DatumGetExemption(PG_GETARG_DATUM(n))
#define PG_RETURN_EXEMPTION(x)	return ExemptionGetDatum(x)

/* The packed (unsigned, unbiased) code of a Datum of either type, and back. */
static inline uint32
ticket_short_code_datum_packed(Datum value)
{
	return (uint32) ((int64) DatumGetInt32(value) + TICKET_SHORT_CODE_BIAS);
}

static inline Datum
ticket_short_code_packed_datum(uint32 packed)
{
	return Int32GetDatum((int32) ((int64) packed - TICKET_SHORT_CODE_BIAS));
}

#define income_band_datum_packed(X) ticket_short_code_datum_packed(X)
#define income_band_packed_datum(X) ticket_short_code_packed_datum(X)
#define exemption_datum_packed(X)	ticket_short_code_datum_packed(X)
#define exemption_packed_datum(X)	ticket_short_code_packed_datum(X)

#endif							/* TICKET_H */
