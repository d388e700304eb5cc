/*
 * mib_proctel: PROCTEL-MIB (mibs/PROCTEL-MIB.txt, DESIGN.md), served from
 * the /proc snapshot: the ptSystem counts, the ptAgent group, ptProcTable
 * and ptZombieParentTable.  It owns the MIB's base OID and ptAgentOID (the
 * agent's sysObjectID).  It is not the snapshot (procfs.c) nor the registry
 * (mib.c).
 *
 * The index columns ptProcPid and ptZpPid are not-accessible, so they are
 * not served: a walk of a table starts at column 2.  ptProcCmdline is empty
 * unless expose_cmdline, and cut at DisplayString's 255 octets.
 *
 * Callbacks read the snapshot and write views into it or into this file's
 * state: no allocation and, but for the agent's own pid and ppid (below),
 * no system call.
 */
#include <sys/types.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "agent/mib.h"
#include "agent/mib_table.h"
#include "agent/procfs.h"
#include "agent/version.h"
#include "config/config.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* proctelMIB: net-snmp's playpen arc until an enterprise number exists. */
#define PT_BASE		1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1
#define PT_BASE_LEN	10
/* ptSystem and ptAgent objects are PT_BASE.1.GROUP.OBJ, instance .0. */
#define PT_GROUP	(PT_BASE_LEN + 1)
#define PT_OBJ		(PT_BASE_LEN + 2)
enum { PT_G_SYSTEM = 1, PT_G_AGENT = 2 };
enum { PT_PROCESSES = 1, PT_RUNNING, PT_SLEEPING, PT_DISKSLEEP, PT_STOPPED,
	PT_ZOMBIES, PT_IDLE, PT_THREADS, PT_FORKS, PT_ZOMBIEPARENTS,
	PT_OLDESTZOMBIE, PT_PIDMAX, PT_SNAPSHOTAGE,
	PT_NSYSTEM = PT_SNAPSHOTAGE };
enum { PT_AGENTPID = 1, PT_AGENTPPID, PT_AGENTVERSION };
enum { PROC_PPID = 2, PROC_STATE, PROC_NAME, PROC_UID, PROC_THREADS,
	PROC_RSS, PROC_AGE, PROC_CMDLINE };
enum { ZP_NAME = 2, ZP_ZOMBIES, ZP_OLDESTAGE };

/* RFC 2579: DisplayString is SIZE (0..255). */
#define PT_DISPLAY_MAX	255

const struct oid mib_proctel_base = { { PT_BASE }, PT_BASE_LEN };
const struct oid mib_agent_oid = { { PT_BASE, 1, 2, 4 }, PT_BASE_LEN + 3 };

static const struct oid pt_proc_entry = { { PT_BASE, 1, 3, 1 },
	PT_BASE_LEN + 3 };
static const struct oid pt_zp_entry = { { PT_BASE, 1, 4, 1 },
	PT_BASE_LEN + 3 };

static const char pt_version[] = "proctel-agent " PROCTEL_VERSION;

/*
 * The agent's pid and ppid.  getpid() changes when the agent daemonizes
 * after registering, and getppid() when its parent exits, so both are read
 * again whenever a new snapshot comes into service (one pair of cheap
 * system calls per snapshot, not per request), and at once after a fork.
 */
static struct {
	int32_t		ps_pid;
	int32_t		ps_ppid;
	uint64_t	ps_taken_ms;
	bool		ps_stale;
	bool		ps_atfork;
} pt_self;

static void
self_forked(void)
{
	pt_self.ps_stale = true;
}

static void
self_refresh(const struct procfs_snapshot *s)
{
	if (!pt_self.ps_stale && pt_self.ps_taken_ms == s->ps_taken_ms)
		return;
	pt_self.ps_pid = (int32_t)getpid();
	pt_self.ps_ppid = (int32_t)getppid();
	pt_self.ps_taken_ms = s->ps_taken_ms;
	pt_self.ps_stale = false;
}

static size_t
proc_count(const struct procfs_snapshot *s)
{
	return s->ps_count;
}

static int32_t
proc_key(const struct procfs_snapshot *s, size_t row)
{
	return s->ps_procs[row].pp_pid;
}

static size_t
zp_count(const struct procfs_snapshot *s)
{
	return s->ps_nzparents;
}

static int32_t
zp_key(const struct procfs_snapshot *s, size_t row)
{
	return s->ps_zparents[row].zp_pid;
}

static const struct mib_table pt_proc = {
	&pt_proc_entry, 0x3fc /* columns 2..9 */, proc_count, proc_key,
	procfs_lower_bound,
};
static const struct mib_table pt_zp = {
	&pt_zp_entry, 0x1c /* columns 2..4 */, zp_count, zp_key,
	procfs_zparent_lower_bound,
};

static void
set_int(struct snmp_value *val, int64_t v)
{
	val->val_type = BER_INTEGER;
	val->val_int = v;
}

static void
set_gauge(struct snmp_value *val, uint64_t v)
{
	val->val_type = BER_GAUGE32;
	val->val_uint = v > UINT32_MAX ? UINT32_MAX : v;
}

static void
set_str(struct snmp_value *val, const char *s, size_t len)
{
	val->val_type = BER_OCTET_STRING;
	val->val_str.ptr = (const uint8_t *)s;
	val->val_str.len = len < PT_DISPLAY_MAX ? len : PT_DISPLAY_MAX;
}

static int
system_value(const struct mib_ctx *ctx, uint32_t obj, struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;

	switch (obj) {
	case PT_PROCESSES:
		set_gauge(val, s->ps_count);
		break;
	case PT_RUNNING:
	case PT_SLEEPING:
	case PT_DISKSLEEP:
	case PT_STOPPED:
	case PT_ZOMBIES:
	case PT_IDLE:
		/* The objects follow enum procfs_state from running(1). */
		set_gauge(val, s->ps_by_state[PROCFS_RUNNING + obj -
		    PT_RUNNING]);
		break;
	case PT_THREADS:
		set_gauge(val, s->ps_threads);
		break;
	case PT_FORKS:
		val->val_type = BER_COUNTER64;
		val->val_uint = s->ps_forks;
		break;
	case PT_ZOMBIEPARENTS:
		set_gauge(val, s->ps_nzparents);
		break;
	case PT_OLDESTZOMBIE:
		set_gauge(val, s->ps_oldest_zombie_s);
		break;
	case PT_PIDMAX:
		set_gauge(val, s->ps_pid_max);
		break;
	case PT_SNAPSHOTAGE:
		set_gauge(val, ctx->mc_now_ms > s->ps_taken_ms ?
		    ctx->mc_now_ms - s->ps_taken_ms : 0);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

static int
agent_value(const struct mib_ctx *ctx, uint32_t obj, struct snmp_value *val)
{
	switch (obj) {
	case PT_AGENTPID:
		self_refresh(ctx->mc_snap);
		set_int(val, pt_self.ps_pid);
		break;
	case PT_AGENTPPID:
		self_refresh(ctx->mc_snap);
		set_int(val, pt_self.ps_ppid);
		break;
	case PT_AGENTVERSION:
		set_str(val, pt_version, sizeof(pt_version) - 1);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

/* One getter for every scalar: PT_BASE.1.GROUP.OBJ.0. */
static int
scalar_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	if (oid->o_len != PT_OBJ + 2 ||
	    !oid_is_prefix(&mib_proctel_base, oid) ||
	    oid->o_id[PT_BASE_LEN] != 1)
		return MIB_NOSUCHOBJECT;
	if (oid->o_id[PT_OBJ + 1] != 0)
		return MIB_NOSUCHINSTANCE;
	switch (oid->o_id[PT_GROUP]) {
	case PT_G_SYSTEM:
		return system_value(ctx, oid->o_id[PT_OBJ], val);
	case PT_G_AGENT:
		return agent_value(ctx, oid->o_id[PT_OBJ], val);
	default:
		return MIB_NOSUCHOBJECT;
	}
}

static bool
exposed(const struct mib_ctx *ctx)
{
	/* See mib_host.c: the config wins over an older snapshot. */
	return ctx->mc_conf != NULL && ctx->mc_conf->ca_expose_cmdline;
}

static void
proc_value(const struct mib_ctx *ctx, uint32_t col,
    const struct procfs_proc *p, struct snmp_value *val)
{
	switch (col) {
	case PROC_PPID:
		set_int(val, p->pp_ppid);
		break;
	case PROC_STATE:
		set_int(val, p->pp_state);
		break;
	case PROC_NAME:
		set_str(val, p->pp_comm, strlen(p->pp_comm));
		break;
	case PROC_UID:
		set_gauge(val, p->pp_uid);
		break;
	case PROC_THREADS:
		set_gauge(val, p->pp_threads);
		break;
	case PROC_RSS:
		set_gauge(val, p->pp_rss_kb);
		break;
	case PROC_AGE:
		set_gauge(val, p->pp_age_s);
		break;
	default:
		if (exposed(ctx))
			set_str(val, p->pp_cmdline, p->pp_cmdline_len);
		else
			set_str(val, "", 0);
		break;
	}
}

static void
zp_value(uint32_t col, const struct procfs_zparent *z, struct snmp_value *val)
{
	switch (col) {
	case ZP_NAME:
		set_str(val, z->zp_name, strlen(z->zp_name));
		break;
	case ZP_ZOMBIES:
		set_gauge(val, z->zp_zombies);
		break;
	default:
		set_gauge(val, z->zp_oldest_age_s);
		break;
	}
}

static int
proc_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_find(&pt_proc, ctx->mc_snap, oid, &col, &row)) ==
	    MIB_OK)
		proc_value(ctx, col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

static int
proc_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_next(&pt_proc, ctx->mc_snap, after, found, &col,
	    &row)) == MIB_OK)
		proc_value(ctx, col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

static int
zp_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_find(&pt_zp, ctx->mc_snap, oid, &col, &row)) ==
	    MIB_OK)
		zp_value(col, &ctx->mc_snap->ps_zparents[row], val);
	return rv;
}

static int
zp_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_next(&pt_zp, ctx->mc_snap, after, found, &col,
	    &row)) == MIB_OK)
		zp_value(col, &ctx->mc_snap->ps_zparents[row], val);
	return rv;
}

static int
register_scalar(struct mib *m, uint32_t group, uint32_t obj)
{
	struct oid o = mib_proctel_base;

	if (oid_append(&o, 1) == -1 || oid_append(&o, group) == -1 ||
	    oid_append(&o, obj) == -1)
		return -1;
	return mib_register_scalar(m, &o, scalar_get, NULL);
}

int
mib_proctel_register(struct mib *m)
{
	uint32_t obj;

	pt_self.ps_stale = true;
	if (!pt_self.ps_atfork) {
		if (pthread_atfork(NULL, NULL, self_forked) != 0)
			return -1;
		pt_self.ps_atfork = true;
	}
	for (obj = 1; obj <= PT_NSYSTEM; obj++)
		if (register_scalar(m, PT_G_SYSTEM, obj) == -1)
			return -1;
	for (obj = PT_AGENTPID; obj <= PT_AGENTVERSION; obj++)
		if (register_scalar(m, PT_G_AGENT, obj) == -1)
			return -1;
	if (mib_register(m, &pt_proc_entry, proc_get, proc_next, NULL) == -1 ||
	    mib_register(m, &pt_zp_entry, zp_get, zp_next, NULL) == -1)
		return -1;
	return 0;
}
