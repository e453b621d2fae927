/*
 * ticket_compat.h
 *		Every difference between PostgreSQL major versions, in one place.
 *
 * The extension targets PostgreSQL 15 (Debian 12) and keeps building on
 * later majors; each shim says which version made it necessary.
 */
#ifndef TICKET_COMPAT_H
#define TICKET_COMPAT_H

#include "postgres.h"

/*
 * The message catalogue of the extension ("ticket-15" on PostgreSQL 15, in
 * pg_config --localedir; extension/po/).  ereport() passes TEXTDOMAIN, read
 * where the macro is used, to errstart(); elog.h defines it as NULL (the
 * server's own catalogue) unconditionally, so it is replaced after
 * postgres.h, as plpgsql.h does.  Every C file of extension/src/ includes
 * this header before any other (directly or via its own headers).
 * _PG_init binds the domain (ticket.c).
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("ticket")

/*
 * A message built outside ereport() (a reason appended to a StringInfo, a
 * hint chosen by a function, a detail made with psprintf) is translated
 * with _(), in the same catalogue; c.h's _() would look in the server's.
 * A string written in one place and translated in another is marked with
 * gettext_noop() where it is written, so that make update-po (xgettext)
 * extracts it.  Both are among the Makefile's NLS_TRIGGERS.
 */
#undef _
#define _(x) dgettext(TEXTDOMAIN, x)

#if PG_VERSION_NUM < 150000
#error "ticket requires PostgreSQL 15 or later"
#endif

/*
 * PostgreSQL 16 moved the varlena macros (VARDATA_ANY, VARATT_IS_EXTERNAL,
 * ...) out of postgres.h into varatt.h.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 16 added soft input errors (ereturn + fcinfo->context), which
 * pg_input_is_valid() relies on.  Before 16 a soft error is a hard one.
 */
#if PG_VERSION_NUM < 160000
#define TICKET_ERETURN(context, dummy_value, ...) \
	do { \
		(void) (context); \
		ereport(ERROR, __VA_ARGS__); \
		return (dummy_value); \
	} while (0)
#else
#include "nodes/miscnodes.h"
#define TICKET_ERETURN(context, dummy_value, ...) \
	ereturn((context), (dummy_value), __VA_ARGS__)
#endif

/*
 * The extension's version, ticket.control's default_version, passed by the
 * Makefile: the one place C learns it (never write a version in C).
 */
#ifndef TICKET_EXTVERSION
#error "TICKET_EXTVERSION is not defined: build with the Makefile (it reads ticket.control)"
#endif

/* PostgreSQL 18 records a name and version in the module magic block. */
#if PG_VERSION_NUM >= 180000
#define TICKET_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "ticket", .version = TICKET_EXTVERSION)
#else
#define TICKET_MODULE_MAGIC PG_MODULE_MAGIC
#endif

/*
 * PostgreSQL 17 moved the local transaction id of a backend into
 * MyProc->vxid.  Callers include storage/proc.h.
 */
#if PG_VERSION_NUM >= 170000
#define TICKET_MY_LOCAL_XID() (MyProc->vxid.lxid)
#else
#define TICKET_MY_LOCAL_XID() (MyProc->lxid)
#endif

/*
 * PostgreSQL 18 removed pg_attribute_noreturn() (written after a
 * declaration) for pg_noreturn (written before it).  The extension writes
 * pg_noreturn before the declaration; before 18 the attribute, which GCC
 * and clang accept in that place too.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * PostgreSQL 18 added the scan's instrumentation (EXPLAIN ANALYZE counts)
 * to index_beginscan(); the extension's own lookups have none.  Callers
 * include access/genam.h.
 */
#if PG_VERSION_NUM >= 180000
#define ticket_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define ticket_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif

#endif							/* TICKET_COMPAT_H */
