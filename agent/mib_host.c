/*
 * mib_host: the parts of HOST-RESOURCES-MIB (RFC 2790) the agent serves
 * from the /proc snapshot: hrSystemUptime, hrSystemProcesses and
 * hrSystemMaxProcesses, hrSWRunTable and hrSWRunPerfTable.  It is not the
 * rest of that MIB (storage, devices, hrSWOSIndex, installed software).
 *
 * Values (DESIGN.md):
 *   hrSWRunName        comm, as the kernel has it.
 *   hrSWRunID          0.0 (no product OIDs are known for processes).
 *   hrSWRunPath        argv[0] (up to the first NUL of /proc/PID/cmdline) when
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
#include "snmp/oid.h"
#include "snmp/contract.h"
#include "snmp/value.h"

/* RFC 2790: hrSWRunPath and hrSWRunParameters are SIZE (0..128). */
#define HR_STRING_MAX		128
/* RFC 2790: hrSWRunName is SIZE (0..64). */
#define HR_NAME_MAX		64
/* Integer32 (0..2147483647) columns. */
#define HR_INT32_MAX		2147483647

enum { HR_RUN_OS = 2, HR_RUN_APPLICATION = 4 };
enum { HR_ST_RUNNING = 1, HR_ST_RUNNABLE = 2, HR_ST_NOTRUNNABLE = 3,
	HR_ST_INVALID = 4 };

/* The tables' entries, from the contract at registration. */
static struct oid hr_swrun_entry, hr_swrunperf_entry;
/* hrSWRunID: "0.0", the OID of no known product. */
static const struct oid hr_zero_dot_zero = { { 0, 0 }, 2 };


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

/* Integer32 (0..2147483647) columns saturate rather than wrap. */
static void
set_int32(struct snmp_value *val, uint64_t v)
{
	mib_set_int(val, v > HR_INT32_MAX ? HR_INT32_MAX : (int64_t)v);
}

static void
swrun_cell(const struct mib_ctx *ctx, uint32_t col, size_t row,
    struct snmp_value *val)
{
	const struct procfs_proc *p = &ctx->mc_snap->ps_procs[row];
	size_t a0, len;

	switch (col) {
	case ARC_hrSWRunIndex:
		mib_set_int(val, p->pp_pid);
		break;
	case ARC_hrSWRunName:
		mib_set_string(val, p->pp_comm, strlen(p->pp_comm),
		    HR_NAME_MAX);
		break;
	case ARC_hrSWRunID:
		val->val_type = BER_OBJECT_ID;
		val->val_oid = &hr_zero_dot_zero;
		break;
	case ARC_hrSWRunPath:
		a0 = mib_cmdline_exposed(ctx) ? p->pp_argv0_len : 0;
		if (a0 > 0)
			mib_set_string(val, p->pp_cmdline, a0, HR_STRING_MAX);
		else
			mib_set_string(val, p->pp_comm, strlen(p->pp_comm),
			    HR_STRING_MAX);
		break;
	case ARC_hrSWRunParameters:
		a0 = mib_cmdline_exposed(ctx) ? p->pp_argv0_len :
		    p->pp_cmdline_len;
		len = a0 < p->pp_cmdline_len ? p->pp_cmdline_len - a0 - 1 : 0;
		mib_set_string(val, p->pp_cmdline + p->pp_cmdline_len - len,
		    len, HR_STRING_MAX);
		break;
	case ARC_hrSWRunType:
		mib_set_int(val, p->pp_kthread ? HR_RUN_OS :
		    HR_RUN_APPLICATION);
		break;
	default:
		mib_set_int(val, run_status(p));
		break;
	}
}

static void
swrunperf_cell(const struct mib_ctx *ctx, uint32_t col, size_t row,
    struct snmp_value *val)
{
	const struct procfs_proc *p = &ctx->mc_snap->ps_procs[row];

	set_int32(val, col == ARC_hrSWRunPerfCPU ? p->pp_cpu_cs : p->pp_rss_kb);
}

static struct mib_table hr_swrun = {
	NULL, 0, MIB_ROWS_PROCS, swrun_cell,
};
static struct mib_table hr_swrunperf = {
	NULL, 0, MIB_ROWS_PROCS, swrunperf_cell,
};

static int
system_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct procfs_snapshot *s = ctx->mc_snap;

	(void)arg;
	switch (mib_scalar_object(oid)) {
	case ARC_hrSystemUptime:
		/* TimeTicks wrap at 2^32 (RFC 2578 section 7.1.8). */
		val->val_type = BER_TIMETICKS;
		val->val_uint = s->ps_uptime_cs & UINT32_MAX;
		return MIB_OK;
	case ARC_hrSystemProcesses:
		mib_set_gauge(val, s->ps_count);
		return MIB_OK;
	case ARC_hrSystemMaxProcesses:
		set_int32(val, s->ps_pid_max);
		return MIB_OK;
	default:
		return MIB_NOSUCHOBJECT;
	}
}

int
mib_host_register(struct mib *m)
{
	mib_table_from_contract(&hr_swrun, CONTRACT_hrSWRunEntry,
	    &hr_swrun_entry);
	mib_table_from_contract(&hr_swrunperf, CONTRACT_hrSWRunPerfEntry,
	    &hr_swrunperf_entry);
	if (mib_register_group(m, CONTRACT_hrSystem, system_get, NULL) == -1 ||
	    mib_table_register(m, &hr_swrun) == -1 ||
	    mib_table_register(m, &hr_swrunperf) == -1)
		return -1;
	return 0;
}
