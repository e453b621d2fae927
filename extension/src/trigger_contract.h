/*
 * trigger_contract.h
 *		What a trigger function is written for: the tables it may be
 *		attached to and the firings (timing, level, event) it handles
 *		(trigger_contract.c).  Not installed.
 *
 * Every trigger function of the extension runs as its owner (SECURITY
 * DEFINER): attached anywhere else it would read a look-alike row with the
 * owner's power, or a datum of another type as its own.  Each C trigger
 * calls ticket_trigger_contract_check first; PL/pgSQL ones call
 * ticket.trigger_expects with the same rule.
 */
#ifndef TRIGGER_CONTRACT_H
#define TRIGGER_CONTRACT_H

#include "fmgr.h"
#include "commands/trigger.h"

/*
 * A firing: one timing, one level, and one or more events (any of them
 * matches).
 */
#define TC_BEFORE		0x0001
#define TC_AFTER		0x0002
#define TC_INSTEAD		0x0004
#define TC_ROW			0x0010
#define TC_STATEMENT	0x0020
#define TC_INSERT		0x0100
#define TC_UPDATE		0x0200
#define TC_DELETE		0x0400
#define TC_TRUNCATE		0x0800

#define TC_TIMINGS	(TC_BEFORE | TC_AFTER | TC_INSTEAD)
#define TC_LEVELS	(TC_ROW | TC_STATEMENT)
#define TC_EVENTS	(TC_INSERT | TC_UPDATE | TC_DELETE | TC_TRUNCATE)

#define TRIGGER_CONTRACT_MAX_TABLES 16

typedef struct TriggerContract
{
	const char *function;		/* schema.name, for the message */
	const char *const *tables;	/* "schema.table", NULL-terminated */
	const uint16 *firings;		/* 0-terminated */

	/* The tables' OIDs, resolved on first use; reset by a relcache invalidation. */
	bool		resolved;
	int			ntables;
	Oid			relids[TRIGGER_CONTRACT_MAX_TABLES];
	bool		registered;
	struct TriggerContract *next;
} TriggerContract;

/*
 * A contract, as a static variable of the trigger's file:
 * static TriggerContract c = {"cup.f", TC_TABLES("cup.t"), TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT)};
 */
#define TC_TABLES(...)	((const char *const[]) { __VA_ARGS__, NULL })
#define TC_FIRINGS(...) ((const uint16[]) { __VA_ARGS__, 0 })

/*
 * The TriggerData of a call that matches the contract; 39P01
 * (trigger_protocol_violated) otherwise, naming what fired and what the
 * function is written for.
 */
extern TriggerData *ticket_trigger_contract_check(FunctionCallInfo fcinfo, TriggerContract *contract);

#endif							/* TRIGGER_CONTRACT_H */
