/*
 * test_mib_modules: mib_host.c, mib_proctel.c and the table helper they
 * share (mib_table.h), through a real registry (mib.c) over snapshots of
 * the fake tree tests/tools/fakeproc/basic, of an empty tree and of the
 * real /proc: every value of DESIGN.md's OID contract, GET errors, GETNEXT
 * from OIDs of every shape, and whole walks that must strictly increase
 * and agree with GET.  Not the wire (test_engine, integration tests).
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/engine.h"
#include "agent/mib.h"
#include "snmp/contract.h"
#include "agent/mib_table.h"
#include "agent/procfs.h"
#include "config/config.h"
#include "snmp/oid.h"
#include "snmp/value.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define BASIC		"tests/tools/fakeproc/basic"
#define SWRUN		"1.3.6.1.2.1.25.4.2.1"
#define SWPERF		"1.3.6.1.2.1.25.5.1.1"
#define PT		"1.3.6.1.4.1.8072.9999.9999.1"
#define PROC		PT ".1.3.1"
#define ZP		PT ".1.4.1"
#define WALK_MAX	100000

static struct mib *reg;
static struct procfs_snapshot snap;
static struct cfg_agent conf;
static struct mib_ctx ctx;
static struct engine_counters counters;
static long tck;
static uint32_t pkb;

static int
get(const char *s, struct snmp_value *v)
{
	struct oid o = O(s);

	memset(v, 0, sizeof(*v));
	return mib_get(reg, &ctx, &o, v);
}

/* GET s: an integer-like value of the given type. */
#define CHECK_NUM(s, type, want) do {					\
	struct snmp_value v_;						\
	CHECK_INT(get((s), &v_), ==, MIB_OK);				\
	CHECK_INT(v_.val_type, ==, (type));				\
	if ((type) == BER_INTEGER)					\
		CHECK_INT(v_.val_int, ==, (want));			\
	else								\
		CHECK_U64(v_.val_uint, ==, (want));			\
} while (0)

#define CHECK_OCTETS(s, want) do {					\
	struct snmp_value v_;						\
	const char *w_ = (want);					\
	CHECK_INT(get((s), &v_), ==, MIB_OK);				\
	CHECK_INT(v_.val_type, ==, BER_OCTET_STRING);			\
	CHECK_MEM(v_.val_str.ptr, v_.val_str.len, w_, strlen(w_));	\
} while (0)

#define CHECK_GET_ERR(s, err) do {					\
	struct snmp_value v_;						\
	CHECK_INT(get((s), &v_), ==, (err));				\
} while (0)

/* GETNEXT after `a` must give exactly `want` ("" for the end). */
#define CHECK_NEXT(a, want) do {					\
	struct oid a_ = O(a), f_, w_;					\
	struct snmp_value v_;						\
	int r_ = mib_next(reg, &ctx, &a_, &f_, &v_);			\
	if (*(want) == '\0')						\
		CHECK_INT(r_, ==, MIB_END);				\
	else {								\
		char buf_[OID_STR_MAX];					\
		w_ = O(want);						\
		CHECK_INT(r_, ==, MIB_OK);				\
		if (r_ == MIB_OK && oid_cmp(&f_, &w_) != 0) {		\
			oid_format(&f_, buf_, sizeof(buf_));		\
			T_FAIL_("next(%s) = %s, want %s", (a), buf_,	\
			    (want));					\
		}							\
	}								\
} while (0)

static int
setup(const char *root, bool cmdline, bool expose)
{
	struct procfs_opts o = { cmdline, SIZE_MAX };

	memset(&conf, 0, sizeof(conf));
	conf.ca_expose_cmdline = expose;
	if (procfs_snapshot_take(root, &o, &snap) != 0)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.mc_snap = &snap;
	ctx.mc_conf = &conf;
	ctx.mc_counters = &counters;
	ctx.mc_now_ms = snap.ps_taken_ms + 1234;
	ctx.mc_start_ms = snap.ps_taken_ms;
	return 0;
}

static void
host_scalars_follow_the_snapshot(void)
{
	CHECK_INT(setup(BASIC, true, true), ==, 0);
	CHECK_NUM("1.3.6.1.2.1.25.1.1.0", BER_TIMETICKS, 100050);
	CHECK_NUM("1.3.6.1.2.1.25.1.6.0", BER_GAUGE32, 25);
	CHECK_NUM("1.3.6.1.2.1.25.1.7.0", BER_INTEGER, 4194304);
	CHECK_GET_ERR("1.3.6.1.2.1.25.1.6", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR("1.3.6.1.2.1.25.1.6.1", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR("1.3.6.1.2.1.25.1.2.0", MIB_NOSUCHOBJECT);
	/* TimeTicks wrap at 2^32. */
	snap.ps_uptime_cs = (UINT64_C(1) << 32) + 5;
	CHECK_NUM("1.3.6.1.2.1.25.1.1.0", BER_TIMETICKS, 5);
}

static void
hr_swrun_columns_have_the_documented_values(void)
{
	struct snmp_value v;
	char big[129];

	CHECK_INT(setup(BASIC, true, true), ==, 0);
	CHECK_NUM(SWRUN ".1.10", BER_INTEGER, 10);
	CHECK_OCTETS(SWRUN ".2.10", "my prog");
	CHECK_OCTETS(SWRUN ".2.12", "new\nline");
	CHECK_INT(get(SWRUN ".3.10", &v), ==, MIB_OK);
	CHECK_INT(v.val_type, ==, BER_OBJECT_ID);
	CHECK(v.val_oid != NULL && v.val_oid->o_len == 2 &&
	    v.val_oid->o_id[0] == 0 && v.val_oid->o_id[1] == 0);
	CHECK_OCTETS(SWRUN ".4.1", "/sbin/init");
	CHECK_OCTETS(SWRUN ".5.1", "splash");
	/* argv[0] ends at its NUL in the file, not at a space in it. */
	CHECK_OCTETS(SWRUN ".4.10", "/usr/bin/my prog");
	CHECK_OCTETS(SWRUN ".5.10", "--flag value with space");
	/* No command line (kernel thread, zombie): the comm, no parameters. */
	CHECK_OCTETS(SWRUN ".4.2", "kthreadd");
	CHECK_OCTETS(SWRUN ".5.2", "");
	CHECK_OCTETS(SWRUN ".4.21", "defunct1");
	/* Path and Parameters stop at RFC 2790's 128 octets. */
	CHECK_OCTETS(SWRUN ".4.52", "/bin/long");
	memset(big, 'a', 128);
	big[128] = '\0';
	CHECK_OCTETS(SWRUN ".5.52", big);
	CHECK_NUM(SWRUN ".6.2", BER_INTEGER, 2);
	CHECK_NUM(SWRUN ".6.44", BER_INTEGER, 2);
	CHECK_NUM(SWRUN ".6.1", BER_INTEGER, 4);
	CHECK_NUM(SWRUN ".7.10", BER_INTEGER, 1);	/* R */
	CHECK_NUM(SWRUN ".7.1", BER_INTEGER, 2);	/* S */
	CHECK_NUM(SWRUN ".7.3", BER_INTEGER, 2);	/* I */
	CHECK_NUM(SWRUN ".7.42", BER_INTEGER, 3);	/* D */
	CHECK_NUM(SWRUN ".7.40", BER_INTEGER, 3);	/* T */
	CHECK_NUM(SWRUN ".7.41", BER_INTEGER, 3);	/* t */
	CHECK_NUM(SWRUN ".7.21", BER_INTEGER, 4);	/* Z */
	CHECK_NUM(SWRUN ".7.43", BER_INTEGER, 4);	/* X */
	CHECK_NUM(SWRUN ".7.45", BER_INTEGER, 4);	/* W */
	CHECK_NUM(SWPERF ".1.1", BER_INTEGER, 200 * 100 / tck);
	CHECK_NUM(SWPERF ".2.1", BER_INTEGER, 100 * pkb);
	CHECK_NUM(SWPERF ".1.32", BER_INTEGER, 2147483647);
	CHECK_NUM(SWPERF ".2.32", BER_INTEGER, 2147483647);
	CHECK_NUM(SWRUN ".1.2147483647", BER_INTEGER, 2147483647);
}

static void
command_lines_stay_hidden_unless_exposed(void)
{
	/* A snapshot with command lines, but a config that turned them off. */
	CHECK_INT(setup(BASIC, true, false), ==, 0);
	CHECK_OCTETS(SWRUN ".4.1", "init");
	CHECK_OCTETS(SWRUN ".5.1", "");
	CHECK_OCTETS(PROC ".9.1", "");
	CHECK_INT(setup(BASIC, false, false), ==, 0);
	CHECK_OCTETS(SWRUN ".4.10", "my prog");
	CHECK_OCTETS(SWRUN ".5.10", "");
	CHECK_OCTETS(PROC ".9.10", "");
	ctx.mc_conf = NULL;
	CHECK_OCTETS(PROC ".9.10", "");
}

static void
table_gets_tell_missing_objects_from_missing_instances(void)
{
	CHECK_INT(setup(BASIC, false, false), ==, 0);
	CHECK_GET_ERR(SWRUN, MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(SWRUN ".0.1", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(SWRUN ".8.1", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(SWRUN ".4294967295.1", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(SWRUN ".1", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.5", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.0", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.1.0", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.2147483648", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.4294967295", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWRUN ".1.30", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(SWPERF ".3.1", MIB_NOSUCHOBJECT);
	/* Index columns of PROCTEL-MIB are not-accessible. */
	CHECK_GET_ERR(PROC ".1.1", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(PROC ".10.1", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(ZP ".1.20", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(ZP ".2.21", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(ZP ".5.20", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(PT ".1.1.14.0", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(PT ".1.1.1.1", MIB_NOSUCHINSTANCE);
	CHECK_GET_ERR(PT ".1.2.4.0", MIB_NOSUCHOBJECT);
}

static void
proctel_scalars_count_the_snapshot(void)
{
	struct oid agent, base, o;

	CHECK_INT(setup(BASIC, false, false), ==, 0);
	CHECK_NUM(PT ".1.1.1.0", BER_GAUGE32, 25);
	CHECK_NUM(PT ".1.1.2.0", BER_GAUGE32, 1);
	CHECK_NUM(PT ".1.1.3.0", BER_GAUGE32, 12);
	CHECK_NUM(PT ".1.1.4.0", BER_GAUGE32, 1);
	CHECK_NUM(PT ".1.1.5.0", BER_GAUGE32, 2);
	CHECK_NUM(PT ".1.1.6.0", BER_GAUGE32, 5);
	CHECK_NUM(PT ".1.1.7.0", BER_GAUGE32, 2);
	CHECK_NUM(PT ".1.1.8.0", BER_GAUGE32, UINT32_MAX);
	CHECK_NUM(PT ".1.1.9.0", BER_COUNTER64, 123456);
	CHECK_NUM(PT ".1.1.10.0", BER_GAUGE32, 3);
	CHECK_NUM(PT ".1.1.11.0", BER_GAUGE32,
	    (100050 - 70000 * 100 / tck) / 100);
	CHECK_NUM(PT ".1.1.12.0", BER_GAUGE32, 4194304);
	CHECK_NUM(PT ".1.1.13.0", BER_GAUGE32, 1234);
	ctx.mc_now_ms = snap.ps_taken_ms - 1;
	CHECK_NUM(PT ".1.1.13.0", BER_GAUGE32, 0);
	CHECK_NUM(PT ".1.2.1.0", BER_INTEGER, getpid());
	CHECK_NUM(PT ".1.2.2.0", BER_INTEGER, getppid());
	CHECK_OCTETS(PT ".1.2.3.0", "proctel-agent 0.1.0");
	/* The agent's own counts: some from the engine, some per snapshot. */
	counters.ec_budget_drops = 7;
	CHECK_NUM(PT ".1.2.5.0", BER_COUNTER32, 7);
	CHECK_NUM(PT ".1.2.6.0", BER_INTEGER, 1);
	snap.ps_hidden = true;
	CHECK_NUM(PT ".1.2.6.0", BER_INTEGER, 2);
	snap.ps_hidden = false;
	snap.ps_cuts_total = (UINT64_C(1) << 32) + 3;
	CHECK_NUM(PT ".1.2.7.0", BER_COUNTER32, 3);
	snap.ps_gen = 42;
	CHECK_NUM(PT ".1.2.8.0", BER_COUNTER32, 42);
	snap.ps_cpu_us = 1500;
	CHECK_NUM(PT ".1.2.9.0", BER_GAUGE32, 1500);
	ctx.mc_counters = NULL;
	CHECK_GET_ERR(PT ".1.2.5.0", MIB_NOSUCHINSTANCE);
	ctx.mc_counters = &counters;
	CHECK_GET_ERR(PT ".1.2.4.0", MIB_NOSUCHOBJECT);
	CHECK_GET_ERR(PT ".1.2.10.0", MIB_NOSUCHOBJECT);
	agent = O(PT ".1.2.4");
	base = O(PT);
	contract_oid(CONTRACT_ptAgentOID, &o);
	CHECK(oid_cmp(&o, &agent) == 0);
	contract_oid(CONTRACT_proctelMIB, &o);
	CHECK(oid_cmp(&o, &base) == 0);
}

/* After a fork the child reports its own pid, though the snapshot is old. */
static void
the_agent_pid_follows_a_fork(void)
{
	struct snmp_value v;
	pid_t child;
	int status = 0;

	CHECK_INT(setup(BASIC, false, false), ==, 0);
	CHECK_NUM(PT ".1.2.1.0", BER_INTEGER, getpid());
	if ((child = fork()) == 0) {
		if (get(PT ".1.2.1.0", &v) != MIB_OK ||
		    v.val_int != getpid())
			_exit(1);
		if (get(PT ".1.2.2.0", &v) != MIB_OK ||
		    v.val_int != getppid())
			_exit(2);
		_exit(0);
	}
	CHECK(child > 0);
	CHECK_INT(waitpid(child, &status, 0), ==, child);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), ==, 0);
}

static void
proctel_tables_have_the_documented_values(void)
{
	char big[256];

	CHECK_INT(setup(BASIC, true, true), ==, 0);
	CHECK_NUM(PROC ".2.21", BER_INTEGER, 20);
	CHECK_NUM(PROC ".2.1", BER_INTEGER, 0);
	CHECK_NUM(PROC ".3.21", BER_INTEGER, 5);
	CHECK_NUM(PROC ".3.41", BER_INTEGER, 4);
	CHECK_NUM(PROC ".3.43", BER_INTEGER, 7);
	CHECK_NUM(PROC ".3.3", BER_INTEGER, 6);
	CHECK_OCTETS(PROC ".4.11", "x) y (z");
	CHECK_OCTETS(PROC ".4.14", "");
	CHECK_NUM(PROC ".5.10", BER_GAUGE32, 1000);
	CHECK_NUM(PROC ".5.56", BER_GAUGE32, 4294967294u);
	CHECK_NUM(PROC ".6.10", BER_GAUGE32, 4);
	CHECK_NUM(PROC ".7.1", BER_GAUGE32, 100 * pkb);
	CHECK_NUM(PROC ".8.20", BER_GAUGE32,
	    (100050 - 50000 * 100 / tck) / 100);
	CHECK_OCTETS(PROC ".9.10", "/usr/bin/my prog --flag value with space");
	/* DisplayString: at most 255 octets. */
	memcpy(big, "/bin/long ", 10);
	memset(big + 10, 'a', 245);
	big[255] = '\0';
	CHECK_OCTETS(PROC ".9.52", big);
	CHECK_OCTETS(ZP ".2.10", "my prog");
	CHECK_OCTETS(ZP ".2.20", "bash");
	CHECK_OCTETS(ZP ".2.99", "");
	CHECK_NUM(ZP ".3.20", BER_GAUGE32, 2);
	CHECK_NUM(ZP ".3.99", BER_GAUGE32, 1);
	CHECK_NUM(ZP ".4.20", BER_GAUGE32, (100050 - 70000 * 100 / tck) / 100);
}

static void
getnext_from_oids_of_every_shape_lands_on_the_next_instance(void)
{
	CHECK_INT(setup(BASIC, false, false), ==, 0);
	CHECK_NEXT("0", "1.3.6.1.2.1.25.1.1.0");
	CHECK_NEXT("1.3.6.1.2.1.25.1.7.0", SWRUN ".1.1");
	CHECK_NEXT("1.3.6.1.2.1.25.4", SWRUN ".1.1");
	CHECK_NEXT(SWRUN, SWRUN ".1.1");
	CHECK_NEXT(SWRUN ".0", SWRUN ".1.1");
	CHECK_NEXT(SWRUN ".0.4294967295.7", SWRUN ".1.1");
	CHECK_NEXT(SWRUN ".1", SWRUN ".1.1");
	CHECK_NEXT(SWRUN ".1.0", SWRUN ".1.1");
	CHECK_NEXT(SWRUN ".1.1", SWRUN ".1.2");
	CHECK_NEXT(SWRUN ".1.1.0", SWRUN ".1.2");
	CHECK_NEXT(SWRUN ".1.3", SWRUN ".1.10");
	CHECK_NEXT(SWRUN ".1.4", SWRUN ".1.10");
	CHECK_NEXT(SWRUN ".1.3.99.99.4294967295", SWRUN ".1.10");
	CHECK_NEXT(SWRUN ".1.56", SWRUN ".1.2147483647");
	CHECK_NEXT(SWRUN ".1.2147483646", SWRUN ".1.2147483647");
	CHECK_NEXT(SWRUN ".1.2147483647", SWRUN ".2.1");
	CHECK_NEXT(SWRUN ".1.2147483647.0", SWRUN ".2.1");
	CHECK_NEXT(SWRUN ".1.2147483648", SWRUN ".2.1");
	CHECK_NEXT(SWRUN ".1.4294967295", SWRUN ".2.1");
	CHECK_NEXT(SWRUN ".1.4294967295.4294967295", SWRUN ".2.1");
	CHECK_NEXT(SWRUN ".6.55", SWRUN ".6.56");
	CHECK_NEXT(SWRUN ".7.2147483647", SWPERF ".1.1");
	CHECK_NEXT(SWRUN ".8", SWPERF ".1.1");
	CHECK_NEXT(SWRUN ".4294967295", SWPERF ".1.1");
	CHECK_NEXT("1.3.6.1.2.1.25.4.3", SWPERF ".1.1");
	CHECK_NEXT(SWPERF ".2.2147483647", PT ".1.1.1.0");
	CHECK_NEXT(PT ".1.2.3.0", PT ".1.2.5.0");
	CHECK_NEXT(PT ".1.2.4", PT ".1.2.5.0");
	CHECK_NEXT(PT ".1.2.9.0", PROC ".2.1");
	CHECK_NEXT(PROC, PROC ".2.1");
	CHECK_NEXT(PROC ".1", PROC ".2.1");
	CHECK_NEXT(PROC ".1.4294967295", PROC ".2.1");
	CHECK_NEXT(PROC ".2.0", PROC ".2.1");
	CHECK_NEXT(PROC ".9.52", PROC ".9.56");
	CHECK_NEXT(PROC ".9.2147483647", ZP ".2.10");
	CHECK_NEXT(PROC ".10", ZP ".2.10");
	CHECK_NEXT(ZP ".2.10", ZP ".2.20");
	CHECK_NEXT(ZP ".2.20.1", ZP ".2.99");
	CHECK_NEXT(ZP ".2.99", ZP ".3.10");
	CHECK_NEXT(ZP ".4.20", ZP ".4.99");
	CHECK_NEXT(ZP ".4.99", "");
	CHECK_NEXT(ZP ".5", "");
	CHECK_NEXT("2", "");
}

/* The setters every module uses: saturating Gauge32, strings cut at SIZE. */
static void
the_shared_setters_saturate_and_cut(void)
{
	static const struct oid e = { { 1, 2, 3 }, 3 };
	static struct mib_table nocell = { &e, 1u << 2, MIB_ROWS_PROCS, NULL };
	struct snmp_value v;
	struct mib *m;

	mib_set_gauge(&v, UINT64_C(4294967296));
	CHECK_INT(v.val_type, ==, BER_GAUGE32);
	CHECK_U64(v.val_uint, ==, UINT32_MAX);
	mib_set_gauge(&v, 7);
	CHECK_U64(v.val_uint, ==, 7);
	mib_set_string(&v, "abcdef", 6, 4);
	CHECK_INT(v.val_type, ==, BER_OCTET_STRING);
	CHECK_MEM(v.val_str.ptr, v.val_str.len, "abcd", 4);
	mib_set_string(&v, "ab", 2, 4);
	CHECK_MEM(v.val_str.ptr, v.val_str.len, "ab", 2);
	mib_set_int(&v, -5);
	CHECK_INT(v.val_type, ==, BER_INTEGER);
	CHECK_INT(v.val_int, ==, -5);
	/* A table without a cell callback could only answer garbage. */
	m = mib_new();
	CHECK(m != NULL);
	if (m != NULL)
		CHECK_INT(mib_table_register(m, &nocell), ==, -1);
	mib_free(m);
}

/*
 * The helper alone, without the registry (which would hide an answer that
 * goes backwards by asking the next region): a table of columns 3 and 5.
 */
static void
the_table_helper_alone_orders_columns_then_pids(void)
{
	static const struct oid e = { { 1, 2, 3 }, 3 };
	static const struct mib_table t = { &e, (1u << 3) | (1u << 5),
		MIB_ROWS_ZPARENTS, NULL };
	struct oid a, f, w;
	uint32_t col = 0;
	size_t row = 0;

	CHECK_INT(setup(BASIC, false, false), ==, 0);
#define NX(after, want) do {						\
	a = O(after);							\
	if (*(want) == '\0')						\
		CHECK_INT(mib_table_next(&t, &snap, &a, &f, &col, &row), \
		    ==, MIB_END);					\
	else {								\
		w = O(want);						\
		CHECK_INT(mib_table_next(&t, &snap, &a, &f, &col, &row), \
		    ==, MIB_OK);					\
		CHECK(oid_cmp(&f, &w) == 0);				\
		CHECK(oid_cmp(&f, &a) > 0);				\
	}								\
} while (0)
	NX("1", "1.2.3.3.10");
	NX("1.2", "1.2.3.3.10");
	NX("1.2.2.9.9", "1.2.3.3.10");
	NX("1.2.3", "1.2.3.3.10");
	NX("1.2.3.1.500", "1.2.3.3.10");
	NX("1.2.3.3", "1.2.3.3.10");
	NX("1.2.3.3.9.9", "1.2.3.3.10");
	NX("1.2.3.3.10", "1.2.3.3.20");
	NX("1.2.3.3.99", "1.2.3.5.10");
	NX("1.2.3.4", "1.2.3.5.10");
	NX("1.2.3.4.0", "1.2.3.5.10");
	NX("1.2.3.5.98", "1.2.3.5.99");
	NX("1.2.3.5.99", "");
	NX("1.2.3.6", "");
	NX("1.2.3.31.1", "");
	NX("1.2.3.32", "");
	NX("1.2.3.4294967295", "");
	NX("1.2.4", "");
	NX("1.3", "");
#undef NX
	a = O("1.2.3.5.20");
	CHECK_INT(mib_table_find(&t, &snap, &a, &col, &row), ==, MIB_OK);
	CHECK_INT(col, ==, 5);
	CHECK_INT(row, ==, 1);
	a = O("1.2.3.4.20");
	CHECK_INT(mib_table_find(&t, &snap, &a, &col, &row), ==,
	    MIB_NOSUCHOBJECT);
	a = O("1.2.4.5.20");
	CHECK_INT(mib_table_find(&t, &snap, &a, &col, &row), ==,
	    MIB_NOSUCHOBJECT);
	a = O("1.2");
	CHECK_INT(mib_table_find(&t, &snap, &a, &col, &row), ==,
	    MIB_NOSUCHOBJECT);
}

/* Walk everything: strictly increasing, and every answer GETs the same. */
static size_t
walk(void)
{
	struct oid cur, next;
	struct snmp_value v, g;
	size_t n = 0;

	cur = O("0");
	while (n < WALK_MAX &&
	    mib_next(reg, &ctx, &cur, &next, &v) == MIB_OK) {
		if (oid_cmp(&next, &cur) <= 0) {
			T_FAIL_("walk went back at step %zu", n);
			break;
		}
		if (mib_get(reg, &ctx, &next, &g) != MIB_OK ||
		    g.val_type != v.val_type) {
			T_FAIL_("GET disagrees with GETNEXT at step %zu", n);
			break;
		}
		if (v.val_type == BER_OCTET_STRING &&
		    (v.val_str.len != g.val_str.len ||
		    memcmp(v.val_str.ptr, g.val_str.ptr, v.val_str.len) != 0))
			T_FAIL_("string differs at step %zu", n);
		if ((v.val_type == BER_INTEGER && v.val_int != g.val_int) ||
		    ((v.val_type == BER_GAUGE32 ||
		    v.val_type == BER_COUNTER64 ||
		    v.val_type == BER_TIMETICKS) && v.val_uint != g.val_uint))
			T_FAIL_("number differs at step %zu", n);
		if (v.val_type == BER_INTEGER &&
		    (v.val_int < INT32_MIN || v.val_int > INT32_MAX))
			T_FAIL_("INTEGER out of range at step %zu", n);
		cur = next;
		n++;
	}
	CHECK(n < WALK_MAX);
	return n;
}

static void
a_full_walk_of_the_fake_tree_is_complete_and_ordered(void)
{
	CHECK_INT(setup(BASIC, true, true), ==, 0);
	/* host: 3 + 7 x 25 + 2 x 25; proctel: 13 + 8 + 8 x 25 + 3 x 3. */
	CHECK_INT(walk(), ==, 3 + 9 * 25 + 21 + 8 * 25 + 3 * 3);
}

static void
a_walk_of_an_empty_tree_has_only_scalars(void)
{
	char dir[] = "/tmp/test_mib_modules.XXXXXX";
	char path[64];
	FILE *fp;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/stat", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("processes 1\n", fp);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/uptime", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("1.00 1.00\n", fp);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/sys", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/pid_max", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("32768\n", fp);
		fclose(fp);
	}
	CHECK_INT(setup(dir, true, true), ==, 0);
	CHECK_INT(snap.ps_count, ==, 0);
	CHECK_INT(walk(), ==, 3 + 21);
	CHECK_NEXT(SWRUN, PT ".1.1.1.0");
	CHECK_NEXT(PT ".1.2.9.0", "");
	CHECK_GET_ERR(SWRUN ".1.1", MIB_NOSUCHINSTANCE);
	remove(path);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/stat", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/uptime", dir);
	remove(path);
	rmdir(dir);
}

static void
a_full_walk_of_the_real_proc_is_complete_and_ordered(void)
{
	char me[128];
	size_t n;

	CHECK_INT(setup("/proc", true, true), ==, 0);
	n = walk();
	CHECK_INT(n, ==, 3 + 9 * snap.ps_count + 21 + 8 * snap.ps_count +
	    3 * snap.ps_nzparents);
	snprintf(me, sizeof(me), PROC ".2.%d", (int)getpid());
	CHECK_NUM(me, BER_INTEGER, getppid());
	snprintf(me, sizeof(me), SWRUN ".2.%d", (int)getpid());
	CHECK_OCTETS(me, "test_mib_module");
}

static void
registering_a_module_twice_is_refused(void)
{
	CHECK_INT(mib_host_register(reg), ==, -1);
	CHECK_INT(mib_proctel_register(reg), ==, -1);
}

int
main(void)
{
	tck = sysconf(_SC_CLK_TCK);
	pkb = (uint32_t)(sysconf(_SC_PAGESIZE) / 1024);
	if ((reg = mib_new()) == NULL || mib_host_register(reg) == -1 ||
	    mib_proctel_register(reg) == -1) {
		fprintf(stderr, "cannot build the registry\n");
		return 1;
	}
	RUN(host_scalars_follow_the_snapshot);
	RUN(hr_swrun_columns_have_the_documented_values);
	RUN(command_lines_stay_hidden_unless_exposed);
	RUN(table_gets_tell_missing_objects_from_missing_instances);
	RUN(proctel_scalars_count_the_snapshot);
	RUN(the_agent_pid_follows_a_fork);
	RUN(proctel_tables_have_the_documented_values);
	RUN(getnext_from_oids_of_every_shape_lands_on_the_next_instance);
	RUN(the_table_helper_alone_orders_columns_then_pids);
	RUN(the_shared_setters_saturate_and_cut);
	RUN(a_full_walk_of_the_fake_tree_is_complete_and_ordered);
	RUN(a_walk_of_an_empty_tree_has_only_scalars);
	RUN(a_full_walk_of_the_real_proc_is_complete_and_ordered);
	RUN(registering_a_module_twice_is_refused);
	mib_free(reg);
	procfs_snapshot_free(&snap);
	return t_done();
}
