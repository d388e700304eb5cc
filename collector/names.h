/*
 * names: the built-in map from table OIDs to column names, so a walked
 * row reads {"ptZpName": "bash"} rather than {"2": "bash"}.  Known: every
 * table and scalar group of the OID contract (snmp/contract.h): the
 * PROCTEL-MIB tables and groups, HOST-RESOURCES-MIB hrSWRunTable and
 * hrSWRunPerfTable, the SNMPv2-MIB system group.  An unknown column is
 * named by its number.  No MIB files, no allocation.
 */
#ifndef PT_NAMES_H
#define PT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/oid.h"

/*
 * The conceptual row (xEntry) of the table at o: o itself when it is a
 * known entry (or a scalar group), o.1 when it is a known table.  An
 * unknown OID is taken to be an entry already (DESIGN.md's examples name
 * entries) and copied.  Returns true when o was known.
 */
bool		 names_table_entry(const struct oid *o, struct oid *entry);
/*
 * The name of column `col` of the entry: a static string when known; else
 * the decimal column number written into buf (size >= 11) and buf returned.
 */
const char	*names_column(const struct oid *entry, uint32_t col, char *buf,
		    size_t size);

#endif
