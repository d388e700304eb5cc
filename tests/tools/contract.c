/*
 * contract: print the OID contract (snmp/contract.h) one object a line,
 * "name dotted-oid syntax kind", for the shell tests that check the MIB
 * file and the documents against it.  With an argument, only the objects
 * under that name (itself included).
 */
#include <stdio.h>
#include <string.h>

#include "snmp/contract.h"

int
main(int argc, char **argv)
{
	char buf[OID_STR_MAX];
	struct oid o, under;
	int i, top = -1;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--help") == 0)) {
		fprintf(stderr, "usage: contract [NAME]\n");
		return 2;
	}
	if (argc == 2 &&
	    (top = contract_find(argv[1], strlen(argv[1]))) == -1) {
		fprintf(stderr, "contract: %s: no such object\n", argv[1]);
		return 2;
	}
	if (top != -1)
		contract_oid(top, &under);
	for (i = 0; i < CONTRACT_COUNT; i++) {
		contract_oid(i, &o);
		if (top != -1 && !oid_is_prefix(&under, &o))
			continue;
		if (oid_format(&o, buf, sizeof(buf)) == -1)
			return 1;
		printf("%s %s %s %s\n", contract_objs[i].co_name, buf,
		    contract_objs[i].co_syntax,
		    contract_kind_name(contract_objs[i].co_kind));
	}
	return 0;
}
