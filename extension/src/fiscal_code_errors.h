/*
 * fiscal_code_errors.h
 *		The messages of invalid fiscal codes (fiscal_code_type.c).
 */
#ifndef TICKET_FISCAL_CODE_ERRORS_H
#define TICKET_FISCAL_CODE_ERRORS_H

#include "ticket_compat.h"
#include "lib/stringinfo.h"

#include "fiscal_code_core.h"

/* The sentence that explains a cf_error (translated or English: messages.h). */
extern void ticket_fiscal_code_reason(const cf_error *err, StringInfo buf, bool translate);

/* Raise 22P02 for invalid fiscal-code input (len bytes). */
pg_noreturn extern void ticket_fiscal_code_report_error(const char *input, size_t len, const cf_error *err);

#endif							/* TICKET_FISCAL_CODE_ERRORS_H */
