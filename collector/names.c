/*
 * names: column names of the tables the collector knows (see names.h),
 * from the OID contract (snmp/contract.h); a column missing there is named
 * by its number, never guessed.
 */
#include <stdio.h>

#include "collector/names.h"
#include "snmp/contract.h"

/*
 * A table's entry, or a group of scalars walked as one row (the system
 * group; any node whose children are scalars).
 */
static bool
names_is_row(int id)
{
	uint32_t arc;

	if (id == -1)
		return false;
	if (contract_objs[id].co_kind == CONTRACT_ENTRY)
		return true;
	return contract_objs[id].co_kind == CONTRACT_NODE &&
	    contract_children(id, CONTRACT_SCALAR, &arc, 1) > 0;
}

bool
names_table_entry(const struct oid *o, struct oid *entry)
{
	int id = contract_lookup(o);

	*entry = *o;
	if (names_is_row(id))
		return true;
	if (id != -1 && contract_objs[id].co_kind == CONTRACT_TABLE) {
		(void)oid_append(entry, 1);
		return true;
	}
	return false;
}

const char *
names_column(const struct oid *entry, uint32_t col, char *buf, size_t size)
{
	int id = contract_lookup(entry), c;
	int n;

	if (names_is_row(id) && (c = contract_child(id, col)) != -1)
		return contract_objs[c].co_name;
	n = snprintf(buf, size, "%u", col);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
	}
	return buf;
}
