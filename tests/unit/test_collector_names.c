/*
 * Unit tests of collector/names.c: known tables by table or entry OID,
 * their column names, and numbered columns for anything unknown.
 */
#include "collector/names.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

static void
known_tables_map_to_their_entry(void)
{
	struct oid in, e;
	char buf[OID_STR_MAX];

	in = O("1.3.6.1.2.1.25.4.2");	/* hrSWRunTable */
	CHECK(names_table_entry(&in, &e));
	CHECK_INT(oid_format(&e, buf, sizeof(buf)), >, 0);
	CHECK_STR(buf, "1.3.6.1.2.1.25.4.2.1");
	in = O("1.3.6.1.2.1.25.4.2.1");	/* hrSWRunEntry */
	CHECK(names_table_entry(&in, &e));
	CHECK_INT(oid_cmp(&in, &e), ==, 0);
	in = O("1.3.6.1.4.1.8072.9999.9999.1.1.4");
	CHECK(names_table_entry(&in, &e));
	CHECK_INT(e.o_len, ==, 13);
	in = O("1.3.6.1.2.1.1");	/* the system group is its own entry */
	CHECK(names_table_entry(&in, &e));
	CHECK_INT(oid_cmp(&in, &e), ==, 0);
	in = O("1.3.6.1.2.1.2.2.1");	/* ifEntry: unknown, kept as is */
	CHECK(!names_table_entry(&in, &e));
	CHECK_INT(oid_cmp(&in, &e), ==, 0);
	in = O("1.3.6.1.2.1");	/* a prefix of a known entry is not it */
	CHECK(!names_table_entry(&in, &e));
}

static void
columns_have_their_mib_names(void)
{
	struct oid e;
	char buf[16];

	e = O("1.3.6.1.4.1.8072.9999.9999.1.1.4.1");
	CHECK_STR(names_column(&e, 2, buf, sizeof(buf)), "ptZpName");
	CHECK_STR(names_column(&e, 3, buf, sizeof(buf)), "ptZpZombies");
	CHECK_STR(names_column(&e, 4, buf, sizeof(buf)), "ptZpOldestAge");
	e = O("1.3.6.1.4.1.8072.9999.9999.1.1.3.1");
	CHECK_STR(names_column(&e, 4, buf, sizeof(buf)), "ptProcName");
	CHECK_STR(names_column(&e, 9, buf, sizeof(buf)), "ptProcCmdline");
	e = O("1.3.6.1.2.1.25.4.2.1");
	CHECK_STR(names_column(&e, 2, buf, sizeof(buf)), "hrSWRunName");
	CHECK_STR(names_column(&e, 7, buf, sizeof(buf)), "hrSWRunStatus");
	e = O("1.3.6.1.2.1.25.5.1.1");
	CHECK_STR(names_column(&e, 1, buf, sizeof(buf)), "hrSWRunPerfCPU");
	CHECK_STR(names_column(&e, 2, buf, sizeof(buf)), "hrSWRunPerfMem");
	e = O("1.3.6.1.2.1.1");
	CHECK_STR(names_column(&e, 5, buf, sizeof(buf)), "sysName");
}

static void
unknown_columns_are_named_by_number(void)
{
	struct oid e;
	char buf[16];

	e = O("1.3.6.1.4.1.8072.9999.9999.1.1.4.1");
	CHECK_STR(names_column(&e, 5, buf, sizeof(buf)), "5");
	CHECK_STR(names_column(&e, 0, buf, sizeof(buf)), "0");
	CHECK_STR(names_column(&e, 4294967295u, buf, sizeof(buf)),
	    "4294967295");
	e = O("1.3.6.1.2.1.2.2.1");
	CHECK_STR(names_column(&e, 2, buf, sizeof(buf)), "2");
	/* Too small a buffer gives an empty name, never an overrun. */
	CHECK_STR(names_column(&e, 12345, buf, 3), "");
}

int
main(void)
{
	RUN(known_tables_map_to_their_entry);
	RUN(columns_have_their_mib_names);
	RUN(unknown_columns_are_named_by_number);
	return t_done();
}
