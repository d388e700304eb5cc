/*
 * test_contract: the OID contract table (snmp/contract.h) is a well-formed
 * tree, and the agent serves exactly the scalars and columns it lists,
 * nothing more and nothing less: a walk of every registered module over
 * the fake /proc tree (with an SNMPv3 engine, whose objects exist only
 * then) must meet each contract object and no other.  The
 * config's OID names and the collector's column names read the same table
 * (their own tests check the lookups); the MIB file is checked against it
 * by tests/integration/mib_lint.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/agentx_io.h"
#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/procfs.h"
#include "agent/v3.h"
#include "collector/names.h"
#include "config/config.h"
#include "config/yaml.h"
#include "snmp/contract.h"
#include "snmp/oid.h"
#include "snmp/value.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define BASIC		"tests/tools/fakeproc/basic"
#define WALK_MAX	100000

static void
every_object_has_an_earlier_parent_a_unique_name_and_a_unique_oid(void)
{
	struct oid a, b;
	int i, j;

	for (i = 0; i < CONTRACT_COUNT; i++) {
		const struct contract_obj *o = &contract_objs[i];

		CHECK(o->co_parent < i);
		CHECK(i == 0 ? o->co_parent == CONTRACT_ROOT :
		    o->co_parent >= 0);
		CHECK_INT(contract_find(o->co_name, strlen(o->co_name)), ==, i);
		contract_oid(i, &a);
		CHECK_INT(contract_lookup(&a), ==, i);
		for (j = i + 1; j < CONTRACT_COUNT; j++) {
			contract_oid(j, &b);
			CHECK(oid_cmp(&a, &b) != 0);
		}
		/* Values have a syntax; nodes, tables and entries none. */
		if (o->co_kind == CONTRACT_SCALAR ||
		    o->co_kind == CONTRACT_COLUMN ||
		    o->co_kind == CONTRACT_INDEX)
			CHECK(strcmp(o->co_syntax, "-") != 0);
		else if (o->co_kind != CONTRACT_FOREIGN)
			CHECK_STR(o->co_syntax, "-");
		/* Columns and indexes sit in an entry, entries in a table. */
		if (o->co_kind == CONTRACT_COLUMN ||
		    o->co_kind == CONTRACT_INDEX)
			CHECK_INT(contract_objs[o->co_parent].co_kind, ==,
			    CONTRACT_ENTRY);
		if (o->co_kind == CONTRACT_ENTRY)
			CHECK_INT(contract_objs[o->co_parent].co_kind, ==,
			    CONTRACT_TABLE);
	}
}

static void
the_published_numbers_hold(void)
{
	char buf[OID_STR_MAX];
	struct oid o;

	contract_oid(CONTRACT_proctelMIB, &o);
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), >, 0);
	CHECK_STR(buf, "1.3.6.1.4.1.8072.9999.9999.1");
	contract_oid(CONTRACT_ptZpOldestAge, &o);
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), >, 0);
	CHECK_STR(buf, "1.3.6.1.4.1.8072.9999.9999.1.1.4.1.4");
	contract_oid(CONTRACT_hrSWRunPerfMem, &o);
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), >, 0);
	CHECK_STR(buf, "1.3.6.1.2.1.25.5.1.1.2");
	CHECK_INT(ARC_ptForks, ==, 9);
	CHECK_INT(contract_find("ptZombie", 8), ==, -1);
	CHECK_INT(contract_find("ptZombies", 9), ==, CONTRACT_ptZombies);
}

/* The contract object an instance the agent served belongs to, or -1. */
static int
object_of(const struct oid *inst)
{
	struct oid o = *inst;
	int id;

	/* Scalars are object.0, the tables' rows object.pid: one sub-id. */
	if (o.o_len < 2)
		return -1;
	o.o_len--;
	id = contract_lookup(&o);
	if (id == -1)
		return -1;
	if (contract_objs[id].co_kind == CONTRACT_SCALAR &&
	    inst->o_id[inst->o_len - 1] != 0)
		return -1;
	return id;
}

static void
the_agent_serves_every_contract_object_and_nothing_else(void)
{
	static struct procfs_snapshot snap;
	struct procfs_opts po = { true, SIZE_MAX };
	struct engine_counters counters;
	struct cfg_agent conf;
	bool seen[CONTRACT_COUNT];
	struct mib_ctx ctx;
	struct snmp_value v;
	struct oid at, next;
	struct agentx_io *ax;
	struct mib *m;
	struct v3 *v3;
	uint8_t eid[32];
	size_t eid_len;
	int i, id, steps = 0, r;

	memset(seen, 0, sizeof(seen));
	memset(&conf, 0, sizeof(conf));
	memset(&counters, 0, sizeof(counters));
	conf.ca_expose_cmdline = true;
	CHECK_INT(procfs_snapshot_take(BASIC, &po, &snap), ==, 0);
	m = mib_new();
	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK_INT(mib_system_register(m), ==, 0);
	CHECK_INT(mib_snmp_register(m), ==, 0);
	CHECK_INT(mib_host_register(m), ==, 0);
	CHECK_INT(mib_proctel_register(m), ==, 0);
	/* ptAgentx: registered by the subagent, served while it is off. */
	CHECK((ax = agentx_io_new(NULL, m)) != NULL);
	CHECK_INT(mib_agentx_register(m, ax), ==, 0);
	CHECK_INT(mib_v3_register(m), ==, 0);
	eid_len = hex("80001f880470726f6374656c", eid, sizeof(eid));
	if ((v3 = v3_new(eid, eid_len, 1, 1472)) == NULL) {
		T_FAIL_("%s", "v3_new");
		agentx_io_free(ax);
		mib_free(m);
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.mc_snap = &snap;
	ctx.mc_conf = &conf;
	ctx.mc_counters = &counters;
	ctx.mc_now_ms = snap.ps_taken_ms + 1;
	ctx.mc_start_ms = snap.ps_taken_ms;
	ctx.mc_v3 = v3;
	at.o_len = 0;
	while (steps++ < WALK_MAX &&
	    (r = mib_next(m, &ctx, &at, &next, &v)) == MIB_OK) {
		id = object_of(&next);
		if (id == -1) {
			char buf[OID_STR_MAX];

			oid_format(&next, buf, sizeof(buf));
			T_FAIL_("served %s, which is no contract object", buf);
		} else {
			CHECK(contract_objs[id].co_kind == CONTRACT_SCALAR ||
			    contract_objs[id].co_kind == CONTRACT_COLUMN);
			seen[id] = true;
		}
		at = next;
	}
	CHECK_INT(steps, <, WALK_MAX);
	for (i = 0; i < CONTRACT_COUNT; i++) {
		enum contract_kind k = contract_objs[i].co_kind;

		if ((k == CONTRACT_SCALAR || k == CONTRACT_COLUMN) && !seen[i])
			T_FAIL_("the contract's %s was never served",
			    contract_objs[i].co_name);
	}
	v3_free(v3);
	agentx_io_free(ax);
	mib_free(m);
	procfs_snapshot_free(&snap);
}

static void
config_names_and_collector_columns_come_from_the_contract(void)
{
	const char *err = NULL;
	char buf[16];
	struct oid o, entry, want;
	int i;

	for (i = 0; i < CONTRACT_COUNT; i++) {
		CHECK_INT(cfg_oid_parse(contract_objs[i].co_name, &o, &err),
		    ==, 0);
		contract_oid(i, &want);
		CHECK(oid_cmp(&o, &want) == 0);
	}
	contract_oid(CONTRACT_ptZombieParentTable, &o);
	CHECK(names_table_entry(&o, &entry));
	contract_oid(CONTRACT_ptZombieParentEntry, &want);
	CHECK(oid_cmp(&entry, &want) == 0);
	CHECK_STR(names_column(&entry, ARC_ptZpZombies, buf, sizeof(buf)),
	    "ptZpZombies");
	CHECK_STR(names_column(&entry, 77, buf, sizeof(buf)), "77");
	contract_oid(CONTRACT_system, &o);
	CHECK(names_table_entry(&o, &entry));
	CHECK_STR(names_column(&entry, 8, buf, sizeof(buf)),
	    "sysORLastChange");
}

int
main(void)
{
	RUN(every_object_has_an_earlier_parent_a_unique_name_and_a_unique_oid);
	RUN(the_published_numbers_hold);
	RUN(the_agent_serves_every_contract_object_and_nothing_else);
	RUN(config_names_and_collector_columns_come_from_the_contract);
	return t_done();
}
