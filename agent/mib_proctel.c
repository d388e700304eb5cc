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

#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/mib_table.h"
#include "agent/procfs.h"
#include "agent/version.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* proctelMIB: net-snmp's playpen arc until an enterprise number exists. */
#define PT_BASE		1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1
#define PT_BASE_LEN	10
/* ptSystem and ptAgent objects are PT_BASE.1.GROUP.OBJ, instance .0. */
enum { PT_G_SYSTEM = 1, PT_G_AGENT = 2 };
enum { PT_PROCESSES = 1, PT_RUNNING, PT_SLEEPING, PT_DISKSLEEP, PT_STOPPED,
	PT_ZOMBIES, PT_IDLE, PT_THREADS, PT_FORKS, PT_ZOMBIEPARENTS,
	PT_OLDESTZOMBIE, PT_PIDMAX, PT_SNAPSHOTAGE };
enum { PT_AGENTPID = 1, PT_AGENTPPID, PT_AGENTVERSION };
/* ptAgentOID is .4; the agent's own counters and state follow. */
enum { PT_AGENTREPLYDROPS = 5, PT_AGENTPROCVIEW, PT_AGENTCMDLINECUTS,
	PT_AGENTSNAPSHOTS, PT_AGENTSNAPSHOTCPU };
/* ptAgentProcView values. */
enum { PT_VIEW_FULL = 1, PT_VIEW_BLIND = 2 };
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

/* ptSystem: the registry asks only about PT_BASE.1.1.OBJ.0. */
static int
system_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;
	uint32_t obj = mib_scalar_object(oid);

	(void)arg;
	switch (obj) {
	case PT_PROCESSES:
		mib_set_gauge(val, s->ps_count);
		break;
	case PT_RUNNING:
	case PT_SLEEPING:
	case PT_DISKSLEEP:
	case PT_STOPPED:
	case PT_ZOMBIES:
	case PT_IDLE:
		/* The objects follow enum procfs_state from running(1). */
		mib_set_gauge(val, s->ps_by_state[PROCFS_RUNNING + obj -
		    PT_RUNNING]);
		break;
	case PT_THREADS:
		mib_set_gauge(val, s->ps_threads);
		break;
	case PT_FORKS:
		val->val_type = BER_COUNTER64;
		val->val_uint = s->ps_forks;
		break;
	case PT_ZOMBIEPARENTS:
		mib_set_gauge(val, s->ps_nzparents);
		break;
	case PT_OLDESTZOMBIE:
		mib_set_gauge(val, s->ps_oldest_zombie_s);
		break;
	case PT_PIDMAX:
		mib_set_gauge(val, s->ps_pid_max);
		break;
	case PT_SNAPSHOTAGE:
		mib_set_gauge(val, ctx->mc_now_ms > s->ps_taken_ms ?
		    ctx->mc_now_ms - s->ps_taken_ms : 0);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

/* Counter32 wraps (RFC 2578 sec. 7.1.6). */
static void
set_counter32(struct snmp_value *val, uint64_t v)
{
	val->val_type = BER_COUNTER32;
	val->val_uint = v & UINT32_MAX;
}

/* ptAgent .5 to .9: what the agent counts about its own defences. */
static int
agent_state_get(const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;

	switch (mib_scalar_object(oid)) {
	case PT_AGENTREPLYDROPS:
		if (ctx->mc_counters == NULL)
			return MIB_NOSUCHINSTANCE;
		set_counter32(val, ctx->mc_counters->ec_budget_drops);
		break;
	case PT_AGENTPROCVIEW:
		mib_set_int(val, s->ps_hidden ? PT_VIEW_BLIND : PT_VIEW_FULL);
		break;
	case PT_AGENTCMDLINECUTS:
		set_counter32(val, s->ps_cuts_total);
		break;
	case PT_AGENTSNAPSHOTS:
		set_counter32(val, s->ps_gen);
		break;
	case PT_AGENTSNAPSHOTCPU:
		mib_set_gauge(val, s->ps_cpu_us);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

/* ptAgent: PT_BASE.1.2.OBJ.0. */
static int
agent_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	switch (mib_scalar_object(oid)) {
	case PT_AGENTPID:
		self_refresh(ctx->mc_snap);
		mib_set_int(val, pt_self.ps_pid);
		break;
	case PT_AGENTPPID:
		self_refresh(ctx->mc_snap);
		mib_set_int(val, pt_self.ps_ppid);
		break;
	case PT_AGENTVERSION:
		mib_set_string(val, pt_version, sizeof(pt_version) - 1,
		    PT_DISPLAY_MAX);
		break;
	default:
		return agent_state_get(ctx, oid, val);
	}
	return MIB_OK;
}

static void
proc_cell(const struct mib_ctx *ctx, uint32_t col, size_t row,
    struct snmp_value *val)
{
	const struct procfs_proc *p = &ctx->mc_snap->ps_procs[row];

	switch (col) {
	case PROC_PPID:
		mib_set_int(val, p->pp_ppid);
		break;
	case PROC_STATE:
		mib_set_int(val, p->pp_state);
		break;
	case PROC_NAME:
		mib_set_string(val, p->pp_comm, strlen(p->pp_comm),
		    PT_DISPLAY_MAX);
		break;
	case PROC_UID:
		mib_set_gauge(val, p->pp_uid);
		break;
	case PROC_THREADS:
		mib_set_gauge(val, p->pp_threads);
		break;
	case PROC_RSS:
		mib_set_gauge(val, p->pp_rss_kb);
		break;
	case PROC_AGE:
		mib_set_gauge(val, p->pp_age_s);
		break;
	default:
		if (mib_cmdline_exposed(ctx))
			mib_set_string(val, p->pp_cmdline, p->pp_cmdline_len,
			    PT_DISPLAY_MAX);
		else
			mib_set_string(val, "", 0, PT_DISPLAY_MAX);
		break;
	}
}

static void
zp_cell(const struct mib_ctx *ctx, uint32_t col, size_t row,
    struct snmp_value *val)
{
	const struct procfs_zparent *z = &ctx->mc_snap->ps_zparents[row];

	switch (col) {
	case ZP_NAME:
		mib_set_string(val, z->zp_name, strlen(z->zp_name),
		    PT_DISPLAY_MAX);
		break;
	case ZP_ZOMBIES:
		mib_set_gauge(val, z->zp_zombies);
		break;
	default:
		mib_set_gauge(val, z->zp_oldest_age_s);
		break;
	}
}

static struct mib_table pt_proc = {
	&pt_proc_entry, 0x3fc /* columns 2..9 */, MIB_ROWS_PROCS, proc_cell,
};
static struct mib_table pt_zp = {
	&pt_zp_entry, 0x1c /* columns 2..4 */, MIB_ROWS_ZPARENTS, zp_cell,
};

int
mib_proctel_register(struct mib *m)
{
	static const uint32_t system_objs[] = { PT_PROCESSES, PT_RUNNING,
		PT_SLEEPING, PT_DISKSLEEP, PT_STOPPED, PT_ZOMBIES, PT_IDLE,
		PT_THREADS, PT_FORKS, PT_ZOMBIEPARENTS, PT_OLDESTZOMBIE,
		PT_PIDMAX, PT_SNAPSHOTAGE };
	static const uint32_t agent_objs[] = { PT_AGENTPID, PT_AGENTPPID,
		PT_AGENTVERSION, PT_AGENTREPLYDROPS, PT_AGENTPROCVIEW,
		PT_AGENTCMDLINECUTS, PT_AGENTSNAPSHOTS, PT_AGENTSNAPSHOTCPU };
	struct oid sys = mib_proctel_base, agent = mib_proctel_base;

	pt_self.ps_stale = true;
	if (!pt_self.ps_atfork) {
		if (pthread_atfork(NULL, NULL, self_forked) != 0)
			return -1;
		pt_self.ps_atfork = true;
	}
	if (oid_append(&sys, 1) == -1 || oid_append(&sys, PT_G_SYSTEM) == -1 ||
	    oid_append(&agent, 1) == -1 ||
	    oid_append(&agent, PT_G_AGENT) == -1 ||
	    mib_register_scalars(m, &sys, system_objs,
	    sizeof(system_objs) / sizeof(system_objs[0]), system_get,
	    NULL) == -1 ||
	    mib_register_scalars(m, &agent, agent_objs,
	    sizeof(agent_objs) / sizeof(agent_objs[0]), agent_get,
	    NULL) == -1 ||
	    mib_table_register(m, &pt_proc) == -1 ||
	    mib_table_register(m, &pt_zp) == -1)
		return -1;
	return 0;
}
