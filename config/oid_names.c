/*
 * oid_names: the OIDs of `metrics:` and `tables:` as numbers ("1.3.6.1.2.1.
 * 1.3.0") or as a name from DESIGN.md's OID contract with an optional
 * numeric suffix ("sysUpTime.0", "ptZombies.0", "ptZombieParentEntry").
 * A small built-in table, not a MIB parser: config/ stays free of net-snmp,
 * and any other object is written as numbers.
 */
#include <string.h>

#include "config/yaml.h"

static const struct {
	const char	*name;
	const char	*oid;
} oid_names[] = {
	/* SNMPv2-MIB (RFC 3418) system and snmp groups. */
	{ "system",			"1.3.6.1.2.1.1" },
	{ "sysDescr",			"1.3.6.1.2.1.1.1" },
	{ "sysObjectID",		"1.3.6.1.2.1.1.2" },
	{ "sysUpTime",			"1.3.6.1.2.1.1.3" },
	{ "sysContact",			"1.3.6.1.2.1.1.4" },
	{ "sysName",			"1.3.6.1.2.1.1.5" },
	{ "sysLocation",		"1.3.6.1.2.1.1.6" },
	{ "sysServices",		"1.3.6.1.2.1.1.7" },
	{ "snmpInPkts",			"1.3.6.1.2.1.11.1" },
	{ "snmpInBadVersions",		"1.3.6.1.2.1.11.3" },
	{ "snmpInBadCommunityNames",	"1.3.6.1.2.1.11.4" },
	{ "snmpInBadCommunityUses",	"1.3.6.1.2.1.11.5" },
	{ "snmpInASNParseErrs",		"1.3.6.1.2.1.11.6" },
	{ "snmpEnableAuthenTraps",	"1.3.6.1.2.1.11.30" },
	{ "snmpSilentDrops",		"1.3.6.1.2.1.11.31" },
	{ "snmpProxyDrops",		"1.3.6.1.2.1.11.32" },
	/* HOST-RESOURCES-MIB (RFC 2790). */
	{ "hrSystemUptime",		"1.3.6.1.2.1.25.1.1" },
	{ "hrSystemProcesses",		"1.3.6.1.2.1.25.1.6" },
	{ "hrSystemMaxProcesses",	"1.3.6.1.2.1.25.1.7" },
	{ "hrSWRunTable",		"1.3.6.1.2.1.25.4.2" },
	{ "hrSWRunEntry",		"1.3.6.1.2.1.25.4.2.1" },
	{ "hrSWRunPerfTable",		"1.3.6.1.2.1.25.5.1" },
	{ "hrSWRunPerfEntry",		"1.3.6.1.2.1.25.5.1.1" },
	/* PROCTEL-MIB (mibs/PROCTEL-MIB.txt). */
	{ "proctelMIB",			"1.3.6.1.4.1.8072.9999.9999.1" },
	{ "ptSystem",			"1.3.6.1.4.1.8072.9999.9999.1.1.1" },
	{ "ptProcesses",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.1" },
	{ "ptRunning",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.2" },
	{ "ptSleeping",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.3" },
	{ "ptDiskSleep",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.4" },
	{ "ptStopped",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.5" },
	{ "ptZombies",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.6" },
	{ "ptIdle",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.7" },
	{ "ptThreads",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.8" },
	{ "ptForks",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.9" },
	{ "ptZombieParents",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.10" },
	{ "ptOldestZombieAge",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.11" },
	{ "ptPidMax",			"1.3.6.1.4.1.8072.9999.9999.1.1.1.12" },
	{ "ptSnapshotAge",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.13" },
	{ "ptAgent",			"1.3.6.1.4.1.8072.9999.9999.1.1.2" },
	{ "ptAgentPid",			"1.3.6.1.4.1.8072.9999.9999.1.1.2.1" },
	{ "ptAgentPpid",		"1.3.6.1.4.1.8072.9999.9999.1.1.2.2" },
	{ "ptAgentVersion",		"1.3.6.1.4.1.8072.9999.9999.1.1.2.3" },
	{ "ptProcTable",		"1.3.6.1.4.1.8072.9999.9999.1.1.3" },
	{ "ptProcEntry",		"1.3.6.1.4.1.8072.9999.9999.1.1.3.1" },
	{ "ptZombieParentTable",	"1.3.6.1.4.1.8072.9999.9999.1.1.4" },
	{ "ptZombieParentEntry",	"1.3.6.1.4.1.8072.9999.9999.1.1.4.1" },
};

int
cfg_oid_parse(const char *text, struct oid *out, const char **errstr)
{
	const char *dot;
	size_t i, len;
	struct oid suffix;

	if (text == NULL || text[0] == '\0' || text[0] == '.' ||
	    (text[0] >= '0' && text[0] <= '9'))
		return oid_parse(text != NULL ? text : "", out, errstr);
	dot = strchr(text, '.');
	len = dot != NULL ? (size_t)(dot - text) : strlen(text);
	for (i = 0; i < sizeof(oid_names) / sizeof(oid_names[0]); i++)
		if (strlen(oid_names[i].name) == len &&
		    strncmp(oid_names[i].name, text, len) == 0)
			break;
	if (i == sizeof(oid_names) / sizeof(oid_names[0])) {
		*errstr = "unknown name (write it as numbers)";
		return -1;
	}
	if (oid_parse(oid_names[i].oid, out, errstr) == -1)
		return -1;
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
