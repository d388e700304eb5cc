/*
 * mib: the agent's ordered OID registry.  Modules register regions (an OID
 * prefix with get and next callbacks); the engine answers GET, GETNEXT and
 * GETBULK by binary search over the sorted regions, so a walk is strictly
 * increasing and complete.  Regions must not overlap; mib_register()
 * refuses an overlap.  The registry allocates at registration only.
 */
#ifndef PT_MIB_H
#define PT_MIB_H

#include <stddef.h>
#include <stdint.h>

#include "agent/procfs.h"
#include "snmp/oid.h"
#include "snmp/value.h"

struct agentx_io;
struct cfg_agent;
struct engine_counters;
struct v3;

/* What a callback may read while it answers one request. */
struct mib_ctx {
	const struct procfs_snapshot	*mc_snap;	/* fresh, never NULL */
	const struct cfg_agent		*mc_conf;
	const struct engine_counters	*mc_counters;
	uint64_t			 mc_now_ms;	/* clock_mono_ms() */
	uint64_t			 mc_start_ms;	/* agent start, mono */
	/*
	 * Optional (NULL: none), owned by the caller and kept from request
	 * to request: where the table helper (mib_table.h) remembers the row
	 * it answered last, so a walk's next row costs no search.  Only a
	 * hint; any value gives the same answers.
	 */
	size_t				*mc_row_hint;
	/*
	 * Command lines for this request: 1 shown, -1 not, 0 as the
	 * config's expose_cmdline says (an SNMPv3 user's own setting
	 * overrides it; mib_table.h's mib_cmdline_exposed() reads this).
	 */
	int				 mc_expose_cmdline;
	/*
	 * The SNMPv3 engine (NULL: no v3, its objects are absent) and the
	 * clock_mono_ms() at which its snmpEngineBoots was raised, the
	 * zero of snmpEngineTime.
	 */
	const struct v3			*mc_v3;
	uint64_t			 mc_v3_boot_ms;
};

enum mib_result {
	MIB_OK = 0,
	MIB_NOSUCHOBJECT = -1,	/* GET: no such object in this region */
	MIB_NOSUCHINSTANCE = -2,	/* GET: object exists, instance does not */
	MIB_END = -3,		/* NEXT: nothing after `after` in this region */
};

/*
 * get: answer exactly `oid` (which lies under the region's prefix) into
 * *val; strings may point into the snapshot or into `arg`.
 * next: find the first instance strictly greater than `after` under the
 * region's prefix (after may sort before the prefix), write it to *found
 * and its value to *val; MIB_END when there is none.
 */
typedef int (*mib_get_fn)(void *arg, const struct mib_ctx *ctx,
    const struct oid *oid, struct snmp_value *val);
typedef int (*mib_next_fn)(void *arg, const struct mib_ctx *ctx,
    const struct oid *after, struct oid *found, struct snmp_value *val);

struct mib;

/* Returns a new, empty registry; free with mib_free(). */
struct mib *mib_new(void);
void	mib_free(struct mib *m);
/* Returns 0, or -1 when out of memory or the prefix overlaps a region. */
int	mib_register(struct mib *m, const struct oid *prefix, mib_get_fn get,
	    mib_next_fn next, void *arg);
/* A scalar region helper: prefix is the object, the instance is prefix.0. */
int	mib_register_scalar(struct mib *m, const struct oid *object,
	    mib_get_fn get, void *arg);

/*
 * Register group.obj as a scalar for each obj of objs[0..n), all answered
 * by one get with one arg.  As for any scalar, get is asked only about the
 * instance group.obj.0, so mib_scalar_object() names the object.  Returns
 * 0 or -1 (out of memory, an overlap, an OID too long).
 */
int	mib_register_scalars(struct mib *m, const struct oid *group,
	    const uint32_t *objs, size_t n, mib_get_fn get, void *arg);
/*
 * The same for the scalars the OID contract (snmp/contract.h) puts under
 * group, an enum contract_id: the contract is the one list of them.
 */
int	mib_register_group(struct mib *m, int group, mib_get_fn get,
	    void *arg);
/* The object sub-identifier of a scalar's instance, o.0: o's last one. */
uint32_t mib_scalar_object(const struct oid *instance);

/* GET: MIB_OK, MIB_NOSUCHOBJECT or MIB_NOSUCHINSTANCE. */
int	mib_get(const struct mib *m, const struct mib_ctx *ctx,
	    const struct oid *oid, struct snmp_value *val);
/* GETNEXT: MIB_OK with *found and *val, or MIB_END past the last object. */
int	mib_next(const struct mib *m, const struct mib_ctx *ctx,
	    const struct oid *after, struct oid *found, struct snmp_value *val);

/* Module registration, one per mib_*.c. Each returns 0 or -1. */
int	mib_system_register(struct mib *m);	/* SNMPv2-MIB system group */
int	mib_snmp_register(struct mib *m);	/* SNMPv2-MIB snmp counters */
int	mib_host_register(struct mib *m);	/* HOST-RESOURCES-MIB parts */
int	mib_proctel_register(struct mib *m);	/* PROCTEL-MIB */
/* snmpEngine, snmpMPDStats, snmpUnknownContexts and usmStats (SNMPv3). */
int	mib_v3_register(struct mib *m);
/* PROCTEL-MIB ptAgentx: io's state (borrowed; it must outlive m). */
int	mib_agentx_register(struct mib *m, struct agentx_io *io);

#endif
