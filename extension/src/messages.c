/*
 * messages.c
 *		ticket.raise_error: the errors of the extension's SQL functions in
 *		the session's language.
 *
 * PL/pgSQL's RAISE does not translate: its message is the text the
 * function wrote.  The extension's PL/pgSQL functions call
 * ticket.raise_error(sqlstate, message, args, detail, hint, detail_args,
 * hint_args) instead, with English templates; the templates are looked up
 * in the catalogue of the C code's messages (TEXTDOMAIN, bound in
 * _PG_init), so lc_messages picks the language, and filled in as RAISE
 * does: each % takes the next argument, %% is a %, a NULL argument prints
 * <NULL>.  In English the error reads exactly as the RAISE it replaces,
 * except that an argument is quoted short (at most 40 characters in the
 * message, 200 in the detail and hint; control characters escaped), since
 * arguments are often the caller's input.
 *
 * xgettext finds the templates in sql_templates below, not in the SQL
 * scripts: every template an SQL function passes must be listed there.
 */
#include "ticket_compat.h"

#include "messages.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

/*
 * A template of the SQL functions' messages, for xgettext: a keyword of the
 * Makefile's NLS_TRIGGERS, flagged no-c-format in NLS_FLAGS, because its
 * % is PL/pgSQL's placeholder, not printf's ("% is" would read as "% i").
 */
#define SQL_TEMPLATE(msgid) gettext_noop(msgid)

/*
 * The catalogue of the SQL functions' messages: every message, detail and
 * hint template that the extension's PL/pgSQL functions (and the arguments
 * of their triggers) pass to ticket.raise_error, in English, by function.
 * Never read at run time: it is here for make update-po.  Kept in step by
 * sql/i18n.sql, which runs test/i18n/check-messages.pl (each template the
 * scripts pass to ticket.raise_error is listed here, and translated in
 * every LANG.po with as many placeholders) and checks that each template
 * listed here is used by a function or trigger of a fresh install.
 */
static const char *const sql_templates[] pg_attribute_unused() = {
	/* registry.lock_citizen_in_full (`what' is the caller's: one sentence each) */
	SQL_TEMPLATE("citizen % is not in the registry"),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the booking."),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the declaration."),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the exemption."),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the payment."),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the prescription."),
	SQL_TEMPLATE("Register the citizen in registry.citizen before the revocation."),
	/* translator: % is the caller's own English word for the write */
	SQL_TEMPLATE("Register the citizen in registry.citizen before the %."),
	SQL_TEMPLATE("citizen % died on %: no booking on %"),
	SQL_TEMPLATE("citizen % died on %: no declaration on %"),
	SQL_TEMPLATE("citizen % died on %: no exemption on %"),
	SQL_TEMPLATE("citizen % died on %: no payment on %"),
	SQL_TEMPLATE("citizen % died on %: no prescription on %"),
	SQL_TEMPLATE("citizen % died on %: no revocation on %"),
	/* translator: the third % is the caller's own English word for the write */
	SQL_TEMPLATE("citizen % died on %: no % on %"),

	/* registry.citizen_check */
	SQL_TEMPLATE("birthplace % of citizen % is not a known Belfiore code"),
	SQL_TEMPLATE("Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace."),
	/* translator: fiscal code, given name, surname */
	SQL_TEMPLATE("fiscal code % does not match the personal data of % %"),
	SQL_TEMPLATE("The data give %."),
	SQL_TEMPLATE("Correct the data, or record why a legacy code differs in code_mismatch_reason."),

	/* registry.declaration_before_insert */
	SQL_TEMPLATE("valid_until of a declaration is set by the next declaration"),
	SQL_TEMPLATE("Insert the declaration without valid_until."),
	SQL_TEMPLATE("% may not self-certify the income band of %"),
	SQL_TEMPLATE("Only the citizen, or for a minor a parent in the same fiscal household or an appointed guardian, may."),
	SQL_TEMPLATE("regime % in force on % does not define income band %"),
	SQL_TEMPLATE("Its bands are %."),
	SQL_TEMPLATE("It defines no income bands."),
	SQL_TEMPLATE("a declaration for % from % would apply before the current one (from %)"),
	SQL_TEMPLATE("History is not rewritten: declare from the current one's date or later."),

	/* registry.refuse_history_change, and the hints its triggers pass */
	/* translator: schema.table */
	SQL_TEMPLATE("%.% rows are history: they cannot be deleted"),
	/* translator: schema.table */
	SQL_TEMPLATE("%.% rows are history: they cannot be changed"),
	SQL_TEMPLATE("Record a new declaration instead (registry.self_certify)."),
	SQL_TEMPLATE("Revoke the grant instead (registry.revoke_exemption)."),
	SQL_TEMPLATE("A prescription is a signed document: write a new one."),

	/* registry.exemption_grant_before_insert */
	SQL_TEMPLATE("a grant is inserted unrevoked"),
	SQL_TEMPLATE("Grant it, then revoke it with registry.revoke_exemption."),
	/* translator: exemption, year, date range asked, its last day */
	SQL_TEMPLATE("income exemption % runs at most to 31 March %: % asks until %"),
	/* translator: exemption (FA2), year, date range asked, its last day */
	SQL_TEMPLATE("Grant the next year as a new row."),
	/* translator: exemption code, service date (issue 18: the catalogue) */
	SQL_TEMPLATE("exemption % is not in the exemption catalogue on %"),
	SQL_TEMPLATE("A code the region adds is a row of ticket.exemption_catalogue, with its rule in ticket.exemption_rule."),
	/* translator: exemption code, source, the catalogue's sources */
	SQL_TEMPLATE("exemption % is not granted from source %: its sources are %"),
	/* translator: exemption, its last possible day, date range asked, its last day */
	SQL_TEMPLATE("exemption % runs at most to %: % asks until %"),
	SQL_TEMPLATE("Grant the next year or edition as a new row."),

	/* ticket.exemption_catalogue_keeps_grants */
	/* translator: number of grants, a grant id, why (in English, from ticket.exemption_grant_problems) */
	SQL_TEMPLATE("this change of ticket.exemption_catalogue leaves % grants in effect that it does not allow; grant %: %"),
	SQL_TEMPLATE("End those grants first (registry.revoke_exemption from the day the catalogue ends them), in the same transaction; ticket.check_consistency() lists them as exemption_grant_catalogue."),

	/* registry.revoke_exemption */
	SQL_TEMPLATE("exemption grant % does not exist"),

	/* fse.prescription_before_update */
	SQL_TEMPLATE("prescription % is a signed document: it cannot be changed"),
	SQL_TEMPLATE("Write a new prescription."),

	/* cup.booking_before_update (status values are identifiers) */
	SQL_TEMPLATE("booking %: the prescription, the patient and the booking time cannot change"),
	SQL_TEMPLATE("Cancel it and book again."),
	/* translator: booking, its status (cancelled, done) */
	SQL_TEMPLATE("booking % is %: it cannot change"),
	SQL_TEMPLATE("booking %: the bill and the payment are filled in by CUP"),
	SQL_TEMPLATE("Use cup.move, cup.pay, cup.cancel, cup.complete."),
	SQL_TEMPLATE("booking on % of prescription % written on %: a service cannot precede its prescription"),
	/* translator: booking, old status, new status */
	SQL_TEMPLATE("booking % cannot go from % to %"),
	SQL_TEMPLATE("booking % owes %: it must be paid before it is done"),
	SQL_TEMPLATE("Pay it with cup.pay."),
	/* translator: booking, its price, the amount offered */
	SQL_TEMPLATE("booking % costs %, not %"),
	SQL_TEMPLATE("The price changed since it was shown: show the new bill and pay that."),

	/* cup.pay */
	/* translator: booking, its status (paid, cancelled, done) */
	SQL_TEMPLATE("booking % is %: only a booked booking can be paid"),

	/* cup.booking_refuse_delete */
	SQL_TEMPLATE("booking % is history: it cannot be deleted"),
	SQL_TEMPLATE("Cancel it with cup.cancel."),

	/* cup.adjustment_before_update */
	SQL_TEMPLATE("adjustment % is history: only settling it once is allowed"),
	SQL_TEMPLATE("Settle it with cup.settle_adjustment."),

	/* cup.locked_booking, cup.settle_adjustment */
	SQL_TEMPLATE("booking % does not exist"),
	SQL_TEMPLATE("adjustment % does not exist"),

	/* 1.0: roles, bindings, the portal, the audit log (ticket--0.5--1.0.sql) */
	SQL_TEMPLATE("role % is not bound to an ASL: it may not book or handle bookings"),
	SQL_TEMPLATE("A DBA binds a CUP operator to the ASL it works for: INSERT INTO ticket.role_binding (role_name, asl_code)."),
	SQL_TEMPLATE("role % may not see citizen %"),
	SQL_TEMPLATE("Registry and CUP operators see every citizen, a GP their own patients."),
	SQL_TEMPLATE("role % may not record a self-certification taken by operator %"),
	SQL_TEMPLATE("An operator records the forms signed in front of them: operator is the acting role."),
	SQL_TEMPLATE("a self-certification cannot be signed in the future (%)"),
	SQL_TEMPLATE("citizen % is not a patient of GP %"),
	SQL_TEMPLATE("role % may not record a self-certification through channel %"),
	SQL_TEMPLATE("The FSE portal records the online ones (fse_online), a registry operator the Revenue Agency's (revenue_agency); an operator records a form signed in front of them: a registry operator at any desk, a CUP operator at the CUP desk or call centre, a GP in the surgery (gp)."),
	SQL_TEMPLATE("role % is not bound to a GP: it may not prescribe"),
	SQL_TEMPLATE("A DBA binds a GP's role to the GP: INSERT INTO ticket.role_binding (role_name, gp_code)."),
	SQL_TEMPLATE("role % acts for GP %, not for GP %"),
	SQL_TEMPLATE("role % books for ASL %, not for ASL %"),
	SQL_TEMPLATE("% may not see the FSE of %"),
	SQL_TEMPLATE("Through the portal a citizen sees their own data, and a parent or guardian a minor's."),
	SQL_TEMPLATE("the audit log is append-only"),
	SQL_TEMPLATE("Rows older than the retention leave with ticket.audit_purge()."),
	SQL_TEMPLATE("the audit log is kept 24 months at least: % is shorter"),

	/* 1.1: the regional network on logical replication (ticket--1.0--1.1.sql) */
	SQL_TEMPLATE("ASL % is not in registry.asl"),
	SQL_TEMPLATE("this database is an ASL node: publications are made at the region"),

	/* 1.2: security by construction (ticket--1.1--1.2.sql) */
	SQL_TEMPLATE("argument % of % is % characters long: at most % are accepted"),
	SQL_TEMPLATE("a role may look up only its own binding"),
	SQL_TEMPLATE("The DBA reads ticket.role_binding."),
	SQL_TEMPLATE("role % is not bound to an ASL or a GP: it may not read events"),
	SQL_TEMPLATE("A DBA binds an event consumer to the ASL or the GP it serves: INSERT INTO ticket.role_binding."),

	/* 1.2: ticket.birthplace_code, a birthplace by name (issue 16) */
	SQL_TEMPLATE("birthplace name % has no letters"),
	/* translator: the name as given, a date */
	SQL_TEMPLATE("birthplace name % is ambiguous on %"),
	/* translator: a list of "code NAME (province) first-day/last-day" ("/.." = still valid) */
	SQL_TEMPLATE("Candidates: %."),
	/* translator: the list, then how many more candidates were left out */
	SQL_TEMPLATE("Candidates: % and % more."),
	SQL_TEMPLATE("Add the province in brackets, as in \"Livo (TN)\", or pass the Belfiore code to ticket.fiscal_code_encode."),
	/* translator: the name as given, a date */
	SQL_TEMPLATE("no birthplace is named % on %"),
	SQL_TEMPLATE("Places of that name: %."),
	SQL_TEMPLATE("Places of that name: % and % more."),

	/* 1.3: the rules administrator's what-if (issue 18) */
	SQL_TEMPLATE("regime % does not exist"),
	SQL_TEMPLATE("regime % is already enacted"),
	SQL_TEMPLATE("Only a draft (ticket.draft_regime) is enacted; correct an enacted regime with a later one."),
	SQL_TEMPLATE("regime % is enacted: it cannot be discarded"),
	SQL_TEMPLATE("Only a draft (ticket.draft_regime) is discarded; correct an enacted regime with a later one."),

	/* 1.3: missed appointments and the working-day calendar (issue 18) */
	/* translator: two dates */
	SQL_TEMPLATE("working days between % and %: the dates must be finite"),
	/* translator: two dates, then the first and last year of the calendar */
	SQL_TEMPLATE("working days between % and %: the calendar of public holidays covers % to %"),
	SQL_TEMPLATE("Add the holidays of the missing years to ticket.public_holiday."),
	/* translator: booking, its service date */
	SQL_TEMPLATE("booking %: its service on % has not passed: it cannot be missed yet"),
	SQL_TEMPLATE("no missed-appointment rule covers %"),
	SQL_TEMPLATE("See ticket.missed_appointment_rule."),
	/* translator: booking, working days of notice, its service date, working days the rule needs */
	SQL_TEMPLATE("booking % was cancelled in time: % working days before its service on % (% needed)"),
	SQL_TEMPLATE("booking %: its missed-appointment charge is already paid"),
};

/*
 * Superseded templates: those of functions a later release replaced.  A
 * database not yet updated still runs the old functions, so they stay in
 * the catalogue and translated; sql/i18n.sql does not ask a fresh install
 * to use them.
 */
static const char *const superseded_sql_templates[] pg_attribute_unused() = {
	/* 1.0's cup.locked_booking and cup.settle_adjustment; since 1.2 P0002, as a missing one */
	SQL_TEMPLATE("booking % is not a booking of ASL %"),
	SQL_TEMPLATE("adjustment % is not an adjustment of ASL %"),
};

/* The placeholders of a template: RAISE's rule, %% being a literal %. */
static int
template_placeholders(const char *template)
{
	int			n = 0;

	for (const char *p = template; *p; p++)
		if (*p == '%')
		{
			if (p[1] == '%')
				p++;
			else
				n++;
		}
	return n;
}

/*
 * A template in the session's language with its placeholders filled in
 * from args (a text[]; NULL = none), each cut to max_chars characters
 * (ticket_quote_input: an argument may be a whole input).  The English msgid is used when it has
 * no translation, or one with another number of placeholders (which
 * test/i18n/check-messages.pl refuses).  Arguments left over are ignored,
 * so that one array can serve the templates a CASE chooses among; too few
 * is the caller's mistake.
 */
static char *
fill_template(text *template_text, ArrayType *args, int max_chars)
{
	char	   *msgid = text_to_cstring(template_text);
	const char *template = msgid;
	Datum	   *values = NULL;
	bool	   *nulls = NULL;
	int			nargs = 0;
	int			needed = template_placeholders(msgid);
	int			next = 0;
	StringInfoData buf;

	if (args != NULL)
	{
		if (ARR_NDIM(args) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("the arguments of a message template must be a one-dimensional array")));
		deconstruct_array(args, TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls, &nargs);
	}
	if (needed > nargs)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("too few arguments for message template \"%s\": placeholders %d, arguments %d",
						ticket_quote(msgid), needed, nargs)));
	/* dgettext("") would be the catalogue's header */
	if (msgid[0] != '\0')
	{
		const char *translated = _(msgid);

		if (template_placeholders(translated) == needed)
			template = translated;
	}

	initStringInfo(&buf);
	for (const char *p = template; *p; p++)
	{
		if (*p != '%')
			appendStringInfoChar(&buf, *p);
		else if (p[1] == '%')
		{
			appendStringInfoChar(&buf, '%');
			p++;
		}
		else
		{
			if (nulls[next])
				appendStringInfoString(&buf, "<NULL>");
			else
			{
				text	   *arg = DatumGetTextPP(values[next]);

				appendStringInfoString(&buf, ticket_quote_input(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg),
																max_chars));
			}
			next++;
		}
	}
	return buf.data;
}

/* A SQLSTATE raise_error accepts: five of [0-9A-Z], not class 00 (success). */
static bool
valid_sqlstate(const char *code)
{
	if (strlen(code) != 5 || strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 5)
		return false;
	return !(code[0] == '0' && code[1] == '0');
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
/*
 * SQL: ticket.raise_error(sqlstate text, message text, args text[] DEFAULT
 * '{}', detail text DEFAULT NULL, hint text DEFAULT NULL, detail_args
 * text[] DEFAULT '{}', hint_args text[] DEFAULT '{}') RETURNS void; never
 * returns.  Not STRICT: detail and hint may be NULL (none), while a NULL
 * SQLSTATE or message is an error rather than a silent NULL.
 */
PG_FUNCTION_INFO_V1(ticket_raise_error);
Datum
ticket_raise_error(PG_FUNCTION_ARGS)
{
	char	   *sqlstate;
	char	   *message;
	char	   *detail = NULL;
	char	   *hint = NULL;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the SQLSTATE and the message of ticket.raise_error must not be NULL")));
	sqlstate = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!valid_sqlstate(sqlstate))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SQLSTATE \"%s\"",
						ticket_quote(sqlstate)),
				 errhint("A SQLSTATE is five digits or upper-case letters, such as 23503 or TK010, and not of class 00.")));

	message = fill_template(PG_GETARG_TEXT_PP(1), PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2),
							TICKET_QUOTE_MESSAGE);
	if (!PG_ARGISNULL(3))
		detail = fill_template(PG_GETARG_TEXT_PP(3), PG_ARGISNULL(5) ? NULL : PG_GETARG_ARRAYTYPE_P(5),
							   TICKET_QUOTE_DETAIL);
	if (!PG_ARGISNULL(4))
		hint = fill_template(PG_GETARG_TEXT_PP(4), PG_ARGISNULL(6) ? NULL : PG_GETARG_ARRAYTYPE_P(6),
							 TICKET_QUOTE_DETAIL);

	/* translated already: errmsg_internal and errdetail_internal, as RAISE */
	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2], sqlstate[3], sqlstate[4])),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	PG_RETURN_VOID();
}

/*
 * An input quoted in an error: at most max_chars characters of it, so that
 * a megabyte input makes a one-line message and log entry.  A character is
 * never cut; control characters (C0, DEL, C1), the backslash and bytes that
 * are not a character of the database encoding (a recv function's bytes
 * are not verified) are shown as \xHH, so that a NUL does not cut the
 * message and invalid bytes never reach the client.  "..." follows a cut.
 */
char *
ticket_quote_input(const char *input, size_t len, int max_chars)
{
	StringInfoData shown;
	int			encoding = GetDatabaseEncoding();
	size_t		i = 0;

	initStringInfo(&shown);
	for (int chars = 0; i < len && chars < max_chars; chars++)
	{
		unsigned char c = (unsigned char) input[i];
		int			charlen = 1;
		bool		escape;

		if (c < 0x80)
			escape = c < 0x20 || c == 0x7f || c == '\\';
		else if (encoding == PG_SQL_ASCII)
			escape = true;
		else
		{
			charlen = pg_encoding_verifymbchar(encoding, input + i, (int) Min(len - i, 8));
			escape = charlen <= 0 ||
				(encoding == PG_UTF8 && c == 0xC2 && (unsigned char) input[i + 1] < 0xA0);
			if (charlen <= 0)
				charlen = 1;
		}
		if (escape)
			for (int b = 0; b < charlen; b++)
				appendStringInfo(&shown, "\\x%02X", (unsigned char) input[i + b]);
		else
			appendBinaryStringInfo(&shown, input + i, charlen);
		i += charlen;
	}
	if (i < len)
		appendStringInfoString(&shown, "...");
	return shown.data;
}
