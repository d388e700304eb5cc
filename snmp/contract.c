/*
 * contract: the table of snmp/contract.h and its lookups.  Linear scans:
 * the table has about a hundred rows and is read at start-up and config
 * load, never per request.
 */
#include <string.h>

#include "snmp/contract.h"

const struct contract_obj contract_objs[CONTRACT_COUNT] = {
#define CONTRACT_OBJ_(name, parent, arc, syntax, kind)			\
	{ #name, CONTRACT_SYNTAX_##syntax, CONTRACT_##parent, arc,	\
	    CONTRACT_##kind },
#define CONTRACT_SYNTAX_NONE			"-"
#define CONTRACT_SYNTAX_OBJECT_IDENTIFIER	"OBJECT IDENTIFIER"
#define CONTRACT_SYNTAX_DisplayString		"DisplayString"
#define CONTRACT_SYNTAX_TimeTicks		"TimeTicks"
#define CONTRACT_SYNTAX_TimeStamp		"TimeStamp"
#define CONTRACT_SYNTAX_INTEGER			"INTEGER"
#define CONTRACT_SYNTAX_Integer32		"Integer32"
#define CONTRACT_SYNTAX_Unsigned32		"Unsigned32"
#define CONTRACT_SYNTAX_Counter32		"Counter32"
#define CONTRACT_SYNTAX_Counter64		"Counter64"
#define CONTRACT_SYNTAX_Gauge32			"Gauge32"
#define CONTRACT_SYNTAX_KBytes			"KBytes"
#define CONTRACT_SYNTAX_ProductID		"ProductID"
#define CONTRACT_SYNTAX_InternationalDisplayString "InternationalDisplayString"
#define CONTRACT_SYNTAX_SnmpEngineID		"SnmpEngineID"
	PT_CONTRACT(CONTRACT_OBJ_)
#undef CONTRACT_OBJ_
};

void
contract_oid(int id, struct oid *out)
{
	uint32_t rev[OID_MAX_LEN];
	size_t n = 0;

	/* The tree is shallow (under 20 levels), far from OID_MAX_LEN. */
	for (; id != CONTRACT_ROOT && n < OID_MAX_LEN;
	    id = contract_objs[id].co_parent)
		rev[n++] = contract_objs[id].co_arc;
	out->o_len = n;
	while (n > 0) {
		out->o_id[out->o_len - n] = rev[n - 1];
		n--;
	}
}

int
contract_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < CONTRACT_COUNT; i++)
		if (strlen(contract_objs[i].co_name) == len &&
		    memcmp(contract_objs[i].co_name, name, len) == 0)
			return i;
	return -1;
}

size_t
contract_children(int parent, enum contract_kind kind, uint32_t *arcs,
    size_t max)
{
	size_t n = 0;
	int i;

	for (i = 0; i < CONTRACT_COUNT; i++) {
		if (contract_objs[i].co_parent != parent ||
		    contract_objs[i].co_kind != kind)
			continue;
		if (n < max)
			arcs[n] = contract_objs[i].co_arc;
		n++;
	}
	return n;
}

int
contract_child(int parent, uint32_t arc)
{
	int i;

	for (i = 0; i < CONTRACT_COUNT; i++)
		if (contract_objs[i].co_parent == parent &&
		    contract_objs[i].co_arc == arc)
			return i;
	return -1;
}

int
contract_lookup(const struct oid *o)
{
	int id = CONTRACT_ROOT;
	size_t i;

	for (i = 0; i < o->o_len; i++)
		if ((id = contract_child(id, o->o_id[i])) == -1)
			return -1;
	return id;
}

const char *
contract_kind_name(enum contract_kind kind)
{
	static const char *const names[] = { "node", "scalar", "table",
		"entry", "index", "column", "foreign" };

	if ((size_t)kind < sizeof(names) / sizeof(names[0]))
		return names[kind];
	return "?";
}
