/*
 * contract: the OID contract of DESIGN.md as one table, the single source
 * the agent's PROCTEL-MIB module, the config's OID names, the collector's
 * column names and the MIB lint test (through build/tools/contract) all
 * read.  An object is added here once; renumbering or renaming one breaks
 * users' dashboards, so never do either.
 *
 * PT_CONTRACT(X) expands X(name, parent, arc, syntax, kind) for every
 * object, parents before their children, from the one root `iso`.  syntax
 * is the name snmptranslate -Td shows (the textual convention when there is
 * one; NONE for nodes).  kind says what the object is:
 *   NODE     a registration point or group
 *   SCALAR   a scalar the proctel agent serves (instance .0)
 *   TABLE    xTable; ENTRY its xEntry
 *   INDEX    a not-accessible index column (never served)
 *   COLUMN   a column the proctel agent serves
 *   FOREIGN  an object the agent does not serve, named so the collector
 *            can name it when another agent does
 * Pure data and lookups: no I/O, no allocation.
 */
#ifndef PT_CONTRACT_H
#define PT_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/oid.h"

#define PT_CONTRACT(X)							\
	X(iso,			ROOT,		1,	NONE,	NODE)	\
	X(org,			iso,		3,	NONE,	NODE)	\
	X(dod,			org,		6,	NONE,	NODE)	\
	X(internet,		dod,		1,	NONE,	NODE)	\
	X(mgmt,			internet,	2,	NONE,	NODE)	\
	X(mib2,			mgmt,		1,	NONE,	NODE)	\
	/* SNMPv2-MIB (RFC 3418): the system group. */			\
	X(system,		mib2,		1,	NONE,	NODE)	\
	X(sysDescr,		system,		1,	DisplayString, SCALAR) \
	X(sysObjectID,		system,		2,	OBJECT_IDENTIFIER, SCALAR) \
	X(sysUpTime,		system,		3,	TimeTicks, SCALAR) \
	X(sysContact,		system,		4,	DisplayString, SCALAR) \
	X(sysName,		system,		5,	DisplayString, SCALAR) \
	X(sysLocation,		system,		6,	DisplayString, SCALAR) \
	X(sysServices,		system,		7,	INTEGER, SCALAR) \
	X(sysORLastChange,	system,		8,	TimeStamp, FOREIGN) \
	/* SNMPv2-MIB: the snmp group. */				\
	X(snmp,			mib2,		11,	NONE,	NODE)	\
	X(snmpInPkts,		snmp,		1,	Counter32, SCALAR) \
	X(snmpInBadVersions,	snmp,		3,	Counter32, SCALAR) \
	X(snmpInBadCommunityNames, snmp,	4,	Counter32, SCALAR) \
	X(snmpInBadCommunityUses, snmp,		5,	Counter32, SCALAR) \
	X(snmpInASNParseErrs,	snmp,		6,	Counter32, SCALAR) \
	X(snmpEnableAuthenTraps, snmp,		30,	INTEGER, SCALAR) \
	X(snmpSilentDrops,	snmp,		31,	Counter32, SCALAR) \
	X(snmpProxyDrops,	snmp,		32,	Counter32, SCALAR) \
	/* HOST-RESOURCES-MIB (RFC 2790). */				\
	X(host,			mib2,		25,	NONE,	NODE)	\
	X(hrSystem,		host,		1,	NONE,	NODE)	\
	X(hrSystemUptime,	hrSystem,	1,	TimeTicks, SCALAR) \
	X(hrSystemProcesses,	hrSystem,	6,	Gauge32, SCALAR) \
	X(hrSystemMaxProcesses,	hrSystem,	7,	Integer32, SCALAR) \
	X(hrSWRun,		host,		4,	NONE,	NODE)	\
	X(hrSWRunTable,		hrSWRun,	2,	NONE,	TABLE)	\
	X(hrSWRunEntry,		hrSWRunTable,	1,	NONE,	ENTRY)	\
	X(hrSWRunIndex,		hrSWRunEntry,	1,	Integer32, COLUMN) \
	X(hrSWRunName,		hrSWRunEntry,	2,	InternationalDisplayString, COLUMN) \
	X(hrSWRunID,		hrSWRunEntry,	3,	ProductID, COLUMN) \
	X(hrSWRunPath,		hrSWRunEntry,	4,	InternationalDisplayString, COLUMN) \
	X(hrSWRunParameters,	hrSWRunEntry,	5,	InternationalDisplayString, COLUMN) \
	X(hrSWRunType,		hrSWRunEntry,	6,	INTEGER, COLUMN) \
	X(hrSWRunStatus,	hrSWRunEntry,	7,	INTEGER, COLUMN) \
	X(hrSWRunPerf,		host,		5,	NONE,	NODE)	\
	X(hrSWRunPerfTable,	hrSWRunPerf,	1,	NONE,	TABLE)	\
	X(hrSWRunPerfEntry,	hrSWRunPerfTable, 1,	NONE,	ENTRY)	\
	X(hrSWRunPerfCPU,	hrSWRunPerfEntry, 1,	Integer32, COLUMN) \
	X(hrSWRunPerfMem,	hrSWRunPerfEntry, 2,	KBytes, COLUMN) \
	/* SNMPv3 engine and security counters (RFC 3411-3414). */	\
	X(snmpV2,		internet,	6,	NONE,	NODE)	\
	X(snmpModules,		snmpV2,		3,	NONE,	NODE)	\
	/* SNMP-FRAMEWORK-MIB (RFC 3411 sec. 5). */			\
	X(snmpFrameworkMIB,	snmpModules,	10,	NONE,	NODE)	\
	X(snmpFrameworkMIBObjects, snmpFrameworkMIB, 2,	NONE,	NODE)	\
	X(snmpEngine,		snmpFrameworkMIBObjects, 1, NONE, NODE)	\
	X(snmpEngineID,		snmpEngine,	1,	SnmpEngineID, SCALAR) \
	X(snmpEngineBoots,	snmpEngine,	2,	INTEGER, SCALAR) \
	X(snmpEngineTime,	snmpEngine,	3,	INTEGER, SCALAR) \
	X(snmpEngineMaxMessageSize, snmpEngine,	4,	INTEGER, SCALAR) \
	/* SNMP-MPD-MIB (RFC 3412 sec. 5). */				\
	X(snmpMPDMIB,		snmpModules,	11,	NONE,	NODE)	\
	X(snmpMPDMIBObjects,	snmpMPDMIB,	2,	NONE,	NODE)	\
	X(snmpMPDStats,		snmpMPDMIBObjects, 1,	NONE,	NODE)	\
	X(snmpUnknownSecurityModels, snmpMPDStats, 1,	Counter32, SCALAR) \
	X(snmpInvalidMsgs,	snmpMPDStats,	2,	Counter32, SCALAR) \
	X(snmpUnknownPDUHandlers, snmpMPDStats,	3,	Counter32, SCALAR) \
	/* SNMP-TARGET-MIB (RFC 3413 sec. 4.1.1). */			\
	X(snmpTargetMIB,	snmpModules,	12,	NONE,	NODE)	\
	X(snmpTargetObjects,	snmpTargetMIB,	1,	NONE,	NODE)	\
	X(snmpUnknownContexts,	snmpTargetObjects, 5,	Counter32, SCALAR) \
	/* SNMP-USER-BASED-SM-MIB (RFC 3414 sec. 5). */			\
	X(snmpUsmMIB,		snmpModules,	15,	NONE,	NODE)	\
	X(usmMIBObjects,	snmpUsmMIB,	1,	NONE,	NODE)	\
	X(usmStats,		usmMIBObjects,	1,	NONE,	NODE)	\
	X(usmStatsUnsupportedSecLevels, usmStats, 1,	Counter32, SCALAR) \
	X(usmStatsNotInTimeWindows, usmStats,	2,	Counter32, SCALAR) \
	X(usmStatsUnknownUserNames, usmStats,	3,	Counter32, SCALAR) \
	X(usmStatsUnknownEngineIDs, usmStats,	4,	Counter32, SCALAR) \
	X(usmStatsWrongDigests,	usmStats,	5,	Counter32, SCALAR) \
	X(usmStatsDecryptionErrors, usmStats,	6,	Counter32, SCALAR) \
	/* PROCTEL-MIB (mibs/PROCTEL-MIB.txt), under net-snmp's playpen. */ \
	X(private,		internet,	4,	NONE,	NODE)	\
	X(enterprises,		private,	1,	NONE,	NODE)	\
	X(netSnmp,		enterprises,	8072,	NONE,	NODE)	\
	X(netSnmpExperimental,	netSnmp,	9999,	NONE,	NODE)	\
	X(netSnmpPlaypen,	netSnmpExperimental, 9999, NONE,	NODE)	\
	X(proctelMIB,		netSnmpPlaypen,	1,	NONE,	NODE)	\
	X(proctelObjects,	proctelMIB,	1,	NONE,	NODE)	\
	X(ptSystem,		proctelObjects,	1,	NONE,	NODE)	\
	X(ptProcesses,		ptSystem,	1,	Gauge32, SCALAR) \
	X(ptRunning,		ptSystem,	2,	Gauge32, SCALAR) \
	X(ptSleeping,		ptSystem,	3,	Gauge32, SCALAR) \
	X(ptDiskSleep,		ptSystem,	4,	Gauge32, SCALAR) \
	X(ptStopped,		ptSystem,	5,	Gauge32, SCALAR) \
	X(ptZombies,		ptSystem,	6,	Gauge32, SCALAR) \
	X(ptIdle,		ptSystem,	7,	Gauge32, SCALAR) \
	X(ptThreads,		ptSystem,	8,	Gauge32, SCALAR) \
	X(ptForks,		ptSystem,	9,	Counter64, SCALAR) \
	X(ptZombieParents,	ptSystem,	10,	Gauge32, SCALAR) \
	X(ptOldestZombieAge,	ptSystem,	11,	Gauge32, SCALAR) \
	X(ptPidMax,		ptSystem,	12,	Gauge32, SCALAR) \
	X(ptSnapshotAge,	ptSystem,	13,	Gauge32, SCALAR) \
	X(ptAgent,		proctelObjects,	2,	NONE,	NODE)	\
	X(ptAgentPid,		ptAgent,	1,	Integer32, SCALAR) \
	X(ptAgentPpid,		ptAgent,	2,	Integer32, SCALAR) \
	X(ptAgentVersion,	ptAgent,	3,	DisplayString, SCALAR) \
	X(ptAgentOID,		ptAgent,	4,	NONE,	NODE)	\
	X(ptAgentReplyDrops,	ptAgent,	5,	Counter32, SCALAR) \
	X(ptAgentProcView,	ptAgent,	6,	INTEGER, SCALAR) \
	X(ptAgentCmdlineCuts,	ptAgent,	7,	Counter32, SCALAR) \
	X(ptAgentSnapshots,	ptAgent,	8,	Counter32, SCALAR) \
	X(ptAgentSnapshotCpu,	ptAgent,	9,	Gauge32, SCALAR) \
	/* The AgentX subagent (agent/agentx_io.h). */			\
	X(ptAgentx,		ptAgent,	10,	NONE,	NODE)	\
	X(ptAgentxState,	ptAgentx,	1,	INTEGER, SCALAR) \
	X(ptAgentxMaster,	ptAgentx,	2,	DisplayString, SCALAR) \
	X(ptAgentxOpens,	ptAgentx,	3,	Counter32, SCALAR) \
	X(ptAgentxRequests,	ptAgentx,	4,	Counter32, SCALAR) \
	X(ptAgentxBadPdus,	ptAgentx,	5,	Counter32, SCALAR) \
	X(ptAgentxFailures,	ptAgentx,	6,	Counter32, SCALAR) \
	X(ptProcTable,		proctelObjects,	3,	NONE,	TABLE)	\
	X(ptProcEntry,		ptProcTable,	1,	NONE,	ENTRY)	\
	X(ptProcPid,		ptProcEntry,	1,	Integer32, INDEX) \
	X(ptProcPpid,		ptProcEntry,	2,	Integer32, COLUMN) \
	X(ptProcState,		ptProcEntry,	3,	INTEGER, COLUMN) \
	X(ptProcName,		ptProcEntry,	4,	DisplayString, COLUMN) \
	X(ptProcUid,		ptProcEntry,	5,	Unsigned32, COLUMN) \
	X(ptProcThreads,	ptProcEntry,	6,	Gauge32, COLUMN) \
	X(ptProcRss,		ptProcEntry,	7,	Gauge32, COLUMN) \
	X(ptProcAge,		ptProcEntry,	8,	Gauge32, COLUMN) \
	X(ptProcCmdline,	ptProcEntry,	9,	DisplayString, COLUMN) \
	X(ptZombieParentTable,	proctelObjects,	4,	NONE,	TABLE)	\
	X(ptZombieParentEntry,	ptZombieParentTable, 1,	NONE,	ENTRY)	\
	X(ptZpPid,		ptZombieParentEntry, 1,	Integer32, INDEX) \
	X(ptZpName,		ptZombieParentEntry, 2,	DisplayString, COLUMN) \
	X(ptZpZombies,		ptZombieParentEntry, 3,	Gauge32, COLUMN) \
	X(ptZpOldestAge,	ptZombieParentEntry, 4,	Gauge32, COLUMN)

/* The parent of the root, iso. */
#define CONTRACT_ROOT	(-1)

/* CONTRACT_name: the object's index in contract_objs[]. */
enum contract_id {
#define CONTRACT_ID_(name, parent, arc, syntax, kind)	CONTRACT_##name,
	PT_CONTRACT(CONTRACT_ID_)
#undef CONTRACT_ID_
	CONTRACT_COUNT
};

/* ARC_name: the object's last sub-identifier, for switch statements. */
enum contract_arc {
#define CONTRACT_ARC_(name, parent, arc, syntax, kind)	ARC_##name = arc,
	PT_CONTRACT(CONTRACT_ARC_)
#undef CONTRACT_ARC_
};

enum contract_kind {
	CONTRACT_NODE,
	CONTRACT_SCALAR,
	CONTRACT_TABLE,
	CONTRACT_ENTRY,
	CONTRACT_INDEX,
	CONTRACT_COLUMN,
	CONTRACT_FOREIGN,
};

struct contract_obj {
	const char		*co_name;
	const char		*co_syntax;	/* "-" for NONE */
	int			 co_parent;	/* enum contract_id, -1 at root */
	uint32_t		 co_arc;
	enum contract_kind	 co_kind;
};

extern const struct contract_obj contract_objs[CONTRACT_COUNT];

/* The full OID of object id (an enum contract_id). */
void	contract_oid(int id, struct oid *out);
/* The object named name[0..len), or -1. */
int	contract_find(const char *name, size_t len);
/*
 * The arcs of parent's children of the given kind, in table order, into
 * arcs[0..max); returns how many there are (which may exceed max).
 */
size_t	contract_children(int parent, enum contract_kind kind, uint32_t *arcs,
	    size_t max);
/* The child of parent with this arc, or -1. */
int	contract_child(int parent, uint32_t arc);
/* The object whose full OID is o exactly, or -1. */
int	contract_lookup(const struct oid *o);
const char *contract_kind_name(enum contract_kind kind);

#endif
