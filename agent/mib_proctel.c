/*
 * mib_proctel: PROCTEL-MIB (mibs/PROCTEL-MIB.txt, DESIGN.md), served from
 * the /proc snapshot: the ptSystem counts, the ptAgent group, ptProcTable
 * and ptZombieParentTable.  Which objects exist, and their numbers, is the
 * OID contract's to say (snmp/contract.h); this file says what each one
 * holds.  It is not the snapshot (procfs.c) nor the registry (mib.c).
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
#include "snmp/contract.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* ptAgentProcView values. */
enum { PT_VIEW_FULL = 1, PT_VIEW_BLIND = 2 };

/* RFC 2579: DisplayString is SIZE (0..255). */
#define PT_DISPLAY_MAX	255

/* The tables' entries, from the contract at registration. */
static struct oid pt_proc_entry, pt_zp_entry;

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

/* ptSystem: the registry asks only about ptSystem.OBJ.0. */
static int
system_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;
	uint32_t obj = mib_scalar_object(oid);

	(void)arg;
	switch (obj) {
	case ARC_ptProcesses:
		mib_set_gauge(val, s->ps_count);
		break;
	case ARC_ptRunning:
	case ARC_ptSleeping:
	case ARC_ptDiskSleep:
	case ARC_ptStopped:
	case ARC_ptZombies:
	case ARC_ptIdle:
		/* The objects follow enum procfs_state from running(1). */
		mib_set_gauge(val, s->ps_by_state[PROCFS_RUNNING + obj -
		    ARC_ptRunning]);
		break;
	case ARC_ptThreads:
		mib_set_gauge(val, s->ps_threads);
		break;
	case ARC_ptForks:
		val->val_type = BER_COUNTER64;
		val->val_uint = s->ps_forks;
		break;
	case ARC_ptZombieParents:
		mib_set_gauge(val, s->ps_nzparents);
		break;
	case ARC_ptOldestZombieAge:
		mib_set_gauge(val, s->ps_oldest_zombie_s);
		break;
	case ARC_ptPidMax:
		mib_set_gauge(val, s->ps_pid_max);
		break;
	case ARC_ptSnapshotAge:
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
	case ARC_ptAgentReplyDrops:
		if (ctx->mc_counters == NULL)
			return MIB_NOSUCHINSTANCE;
		set_counter32(val, ctx->mc_counters->ec_budget_drops);
		break;
	case ARC_ptAgentProcView:
		mib_set_int(val, s->ps_hidden ? PT_VIEW_BLIND : PT_VIEW_FULL);
		break;
	case ARC_ptAgentCmdlineCuts:
		set_counter32(val, s->ps_cuts_total);
		break;
	case ARC_ptAgentSnapshots:
		set_counter32(val, s->ps_gen);
		break;
	case ARC_ptAgentSnapshotCpu:
		mib_set_gauge(val, s->ps_cpu_us);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

/* ptAgent: ptAgent.OBJ.0. */
static int
agent_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	switch (mib_scalar_object(oid)) {
	case ARC_ptAgentPid:
		self_refresh(ctx->mc_snap);
		mib_set_int(val, pt_self.ps_pid);
		break;
	case ARC_ptAgentPpid:
		self_refresh(ctx->mc_snap);
		mib_set_int(val, pt_self.ps_ppid);
		break;
	case ARC_ptAgentVersion:
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
	case ARC_ptProcPpid:
		mib_set_int(val, p->pp_ppid);
		break;
	case ARC_ptProcState:
		mib_set_int(val, p->pp_state);
		break;
	case ARC_ptProcName:
		mib_set_string(val, p->pp_comm, strlen(p->pp_comm),
		    PT_DISPLAY_MAX);
		break;
	case ARC_ptProcUid:
		mib_set_gauge(val, p->pp_uid);
		break;
	case ARC_ptProcThreads:
		mib_set_gauge(val, p->pp_threads);
		break;
	case ARC_ptProcRss:
		mib_set_gauge(val, p->pp_rss_kb);
		break;
	case ARC_ptProcAge:
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
	case ARC_ptZpName:
		mib_set_string(val, z->zp_name, strlen(z->zp_name),
		    PT_DISPLAY_MAX);
		break;
	case ARC_ptZpZombies:
		mib_set_gauge(val, z->zp_zombies);
		break;
	default:
		mib_set_gauge(val, z->zp_oldest_age_s);
		break;
	}
}

static struct mib_table pt_proc = {
	NULL, 0, MIB_ROWS_PROCS, proc_cell,
};
static struct mib_table pt_zp = {
	NULL, 0, MIB_ROWS_ZPARENTS, zp_cell,
};

int
mib_proctel_register(struct mib *m)
{
	pt_self.ps_stale = true;
	if (!pt_self.ps_atfork) {
		if (pthread_atfork(NULL, NULL, self_forked) != 0)
			return -1;
		pt_self.ps_atfork = true;
	}
	mib_table_from_contract(&pt_proc, CONTRACT_ptProcEntry, &pt_proc_entry);
	mib_table_from_contract(&pt_zp, CONTRACT_ptZombieParentEntry,
	    &pt_zp_entry);
	if (mib_register_group(m, CONTRACT_ptSystem, system_get, NULL) == -1 ||
	    mib_register_group(m, CONTRACT_ptAgent, agent_get, NULL) == -1 ||
	    mib_table_register(m, &pt_proc) == -1 ||
	    mib_table_register(m, &pt_zp) == -1)
		return -1;
	return 0;
}
