/*
 * mib_host: the parts of HOST-RESOURCES-MIB (RFC 2790) the agent serves
 * from the /proc snapshot: hrSystemUptime, hrSystemProcesses and
 * hrSystemMaxProcesses, hrSWRunTable and hrSWRunPerfTable.  It is not the
 * rest of that MIB (storage, devices, hrSWOSIndex, installed software).
 *
 * Values (DESIGN.md):
 *   hrSWRunName        comm, as the kernel has it.
 *   hrSWRunID          0.0 (no product OIDs are known for processes).
 *   hrSWRunPath        argv[0] (the command line up to its first space) when
 *                      command lines are exposed and it is not empty, else
 *                      comm; kernel threads and zombies have no command line
 *                      and so show their comm, as net-snmp's agent does.
 *   hrSWRunParameters  the command line after argv[0]; empty unless
 *                      expose_cmdline.  Path and Parameters are cut at the
 *                      MIB's SIZE (0..128).
 *   hrSWRunType        operatingSystem(2) for kernel threads, else
 *                      application(4).
 *   hrSWRunStatus      running(1) R; runnable(2) S, I; notRunnable(3) D, T,
 *                      t; invalid(4) zombies and every other state.
 *   hrSWRunPerfCPU     utime + stime in centi-seconds, at most 2^31-1.
 *   hrSWRunPerfMem     resident set in KiB, at most 2^31-1.
 *
 * Callbacks read the snapshot and write views into it: no allocation, no
 * system call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "agent/mib.h"
#include "agent/mib_table.h"
#include "agent/procfs.h"
#include "config/config.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* RFC 2790: hrSWRunPath and hrSWRunParameters are SIZE (0..128). */
#define HR_STRING_MAX		128
/* Integer32 (0..2147483647) columns. */
#define HR_INT32_MAX		2147483647

enum { HR_RUN_OS = 2, HR_RUN_APPLICATION = 4 };
enum { HR_ST_RUNNING = 1, HR_ST_RUNNABLE = 2, HR_ST_NOTRUNNABLE = 3,
	HR_ST_INVALID = 4 };

/* hrSystem: 1.3.6.1.2.1.25.1.OBJ.0 */
#define HR_SYSTEM	1, 3, 6, 1, 2, 1, 25, 1
#define HR_SYSTEM_LEN	8
enum { HR_UPTIME = 1, HR_PROCESSES = 6, HR_MAXPROCESSES = 7 };

static const struct oid hr_uptime = { { HR_SYSTEM, HR_UPTIME }, 9 };
static const struct oid hr_processes = { { HR_SYSTEM, HR_PROCESSES }, 9 };
static const struct oid hr_maxprocesses = { { HR_SYSTEM, HR_MAXPROCESSES },
	9 };
static const struct oid hr_swrun_entry = {
	{ 1, 3, 6, 1, 2, 1, 25, 4, 2, 1 }, 10 };
static const struct oid hr_swrunperf_entry = {
	{ 1, 3, 6, 1, 2, 1, 25, 5, 1, 1 }, 10 };
/* hrSWRunID: "0.0", the OID of no known product. */
static const struct oid hr_zero_dot_zero = { { 0, 0 }, 2 };

enum { RUN_INDEX = 1, RUN_NAME, RUN_ID, RUN_PATH, RUN_PARAMETERS, RUN_TYPE,
	RUN_STATUS };
enum { PERF_CPU = 1, PERF_MEM };

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

static const struct mib_table hr_swrun = {
	&hr_swrun_entry, 0xfe /* columns 1..7 */, proc_count, proc_key,
	procfs_lower_bound,
};
static const struct mib_table hr_swrunperf = {
	&hr_swrunperf_entry, 0x06 /* columns 1, 2 */, proc_count, proc_key,
	procfs_lower_bound,
};

static void
set_int(struct snmp_value *val, int64_t v)
{
	val->val_type = BER_INTEGER;
	val->val_int = v;
}

static void
set_str(struct snmp_value *val, const char *s, size_t len)
{
	val->val_type = BER_OCTET_STRING;
	val->val_str.ptr = (const uint8_t *)s;
	val->val_str.len = len;
}

static bool
exposed(const struct mib_ctx *ctx)
{
	/*
	 * The snapshot holds command lines only when it was taken with them;
	 * the config is checked too, so a reload that turns exposure off takes
	 * effect before the next snapshot.
	 */
	return ctx->mc_conf != NULL && ctx->mc_conf->ca_expose_cmdline;
}

/* argv[0] is the command line up to its first space. */
static size_t
argv0_len(const struct procfs_proc *p)
{
	const char *sp;

	sp = memchr(p->pp_cmdline, ' ', p->pp_cmdline_len);
	return sp == NULL ? p->pp_cmdline_len : (size_t)(sp - p->pp_cmdline);
}

static int
run_status(const struct procfs_proc *p)
{
	switch (p->pp_state) {
	case PROCFS_RUNNING:
		return HR_ST_RUNNING;
	case PROCFS_SLEEPING:
	case PROCFS_IDLE:
		return HR_ST_RUNNABLE;
	case PROCFS_DISKSLEEP:
	case PROCFS_STOPPED:
		return HR_ST_NOTRUNNABLE;
	default:
		return HR_ST_INVALID;
	}
}

static void
swrun_value(const struct mib_ctx *ctx, uint32_t col,
    const struct procfs_proc *p, struct snmp_value *val)
{
	size_t a0, len;

	switch (col) {
	case RUN_INDEX:
		set_int(val, p->pp_pid);
		break;
	case RUN_NAME:
		set_str(val, p->pp_comm, strlen(p->pp_comm));
		break;
	case RUN_ID:
		val->val_type = BER_OBJECT_ID;
		val->val_oid = &hr_zero_dot_zero;
		break;
	case RUN_PATH:
		a0 = exposed(ctx) ? argv0_len(p) : 0;
		if (a0 > 0)
			set_str(val, p->pp_cmdline,
			    a0 < HR_STRING_MAX ? a0 : HR_STRING_MAX);
		else
			set_str(val, p->pp_comm, strlen(p->pp_comm));
		break;
	case RUN_PARAMETERS:
		a0 = exposed(ctx) ? argv0_len(p) : p->pp_cmdline_len;
		len = a0 < p->pp_cmdline_len ? p->pp_cmdline_len - a0 - 1 : 0;
		set_str(val, p->pp_cmdline + p->pp_cmdline_len - len,
		    len < HR_STRING_MAX ? len : HR_STRING_MAX);
		break;
	case RUN_TYPE:
		set_int(val, p->pp_kthread ? HR_RUN_OS : HR_RUN_APPLICATION);
		break;
	default:
		set_int(val, run_status(p));
		break;
	}
}

static void
swrunperf_value(uint32_t col, const struct procfs_proc *p,
    struct snmp_value *val)
{
	if (col == PERF_CPU)
		set_int(val, p->pp_cpu_cs > HR_INT32_MAX ? HR_INT32_MAX :
		    (int64_t)p->pp_cpu_cs);
	else
		set_int(val, p->pp_rss_kb > HR_INT32_MAX ? HR_INT32_MAX :
		    (int64_t)p->pp_rss_kb);
}

static int
swrun_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_find(&hr_swrun, ctx->mc_snap, oid, &col, &row)) ==
	    MIB_OK)
		swrun_value(ctx, col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

static int
swrun_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_next(&hr_swrun, ctx->mc_snap, after, found, &col,
	    &row)) == MIB_OK)
		swrun_value(ctx, col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

static int
swrunperf_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_find(&hr_swrunperf, ctx->mc_snap, oid, &col,
	    &row)) == MIB_OK)
		swrunperf_value(col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

static int
swrunperf_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	uint32_t col;
	size_t row;
	int rv;

	(void)arg;
	if ((rv = mib_table_next(&hr_swrunperf, ctx->mc_snap, after, found,
	    &col, &row)) == MIB_OK)
		swrunperf_value(col, &ctx->mc_snap->ps_procs[row], val);
	return rv;
}

/* One getter for the three scalars: the object is the sub-id before .0. */
static int
system_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;

	(void)arg;
	if (oid->o_len != HR_SYSTEM_LEN + 2 ||
	    oid->o_id[HR_SYSTEM_LEN + 1] != 0)
		return MIB_NOSUCHINSTANCE;
	switch (oid->o_id[HR_SYSTEM_LEN]) {
	case HR_UPTIME:
		/* TimeTicks wrap at 2^32 (RFC 2578 section 7.1.8). */
		val->val_type = BER_TIMETICKS;
		val->val_uint = s->ps_uptime_cs & UINT32_MAX;
		return MIB_OK;
	case HR_PROCESSES:
		val->val_type = BER_GAUGE32;
		val->val_uint = s->ps_count > UINT32_MAX ? UINT32_MAX :
		    s->ps_count;
		return MIB_OK;
	case HR_MAXPROCESSES:
		set_int(val, s->ps_pid_max > HR_INT32_MAX ? HR_INT32_MAX :
		    (int64_t)s->ps_pid_max);
		return MIB_OK;
	default:
		return MIB_NOSUCHOBJECT;
	}
}

int
mib_host_register(struct mib *m)
{
	if (mib_register_scalar(m, &hr_uptime, system_get, NULL) == -1 ||
	    mib_register_scalar(m, &hr_processes, system_get, NULL) == -1 ||
	    mib_register_scalar(m, &hr_maxprocesses, system_get, NULL) == -1 ||
	    mib_register(m, &hr_swrun_entry, swrun_get, swrun_next, NULL) ==
	    -1 ||
	    mib_register(m, &hr_swrunperf_entry, swrunperf_get,
	    swrunperf_next, NULL) == -1)
		return -1;
	return 0;
}
