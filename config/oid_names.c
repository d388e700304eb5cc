/*
 * oid_names: the OIDs of `metrics:` and `tables:` as numbers ("1.3.6.1.2.1.
 * 1.3.0") or as a name from DESIGN.md's OID contract with an optional
 * numeric suffix ("sysUpTime.0", "ptZombies.0", "ptZombieParentEntry").
 * The names are the OID contract's (snmp/contract.h), not a MIB parser's:
 * config/ stays free of net-snmp, and any other object is written as
 * numbers.
 */
#include <string.h>

#include "config/yaml.h"
#include "snmp/contract.h"

int
cfg_oid_parse(const char *text, struct oid *out, const char **errstr)
{
	const char *dot;
	size_t i, len;
	struct oid suffix;
	int id;

	if (text == NULL || text[0] == '\0' || text[0] == '.' ||
	    (text[0] >= '0' && text[0] <= '9'))
		return oid_parse(text != NULL ? text : "", out, errstr);
	dot = strchr(text, '.');
	len = dot != NULL ? (size_t)(dot - text) : strlen(text);
	if ((id = contract_find(text, len)) == -1) {
		*errstr = "unknown name (write it as numbers)";
		return -1;
	}
	contract_oid(id, out);
	if (dot == NULL)
		return 0;
	/* The suffix is an OID fragment of its own: "sysUpTime.0". */
	if (oid_parse(dot + 1, &suffix, errstr) == -1)
		return -1;
	for (i = 0; i < suffix.o_len; i++)
		if (oid_append(out, suffix.o_id[i]) == -1) {
			*errstr = "more than 128 sub-identifiers";
			return -1;
		}
	return 0;
}
