/*
 * names: column names of the tables the collector knows (see names.h).  The
 * numbers are DESIGN.md's OID contract and RFC 2790 / RFC 3418; a column
 * missing here is named by its number, never guessed.
 */
#include <stdio.h>

#include "collector/names.h"

#define NAMES_MAXCOLS	10

struct names_table {
	uint32_t	 nt_entry[16];	/* the xEntry OID */
	size_t		 nt_len;
	bool		 nt_is_group;	/* a scalar group: no xTable above it */
	const char	*nt_cols[NAMES_MAXCOLS];	/* index = column number */
};

/* proctelMIB = 1.3.6.1.4.1.8072.9999.9999.1 (DESIGN.md). */
static const struct names_table names_tables[] = {
	{ { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1, 1, 3, 1 }, 13, false,
	    { NULL, "ptProcPid", "ptProcPpid", "ptProcState", "ptProcName",
	    "ptProcUid", "ptProcThreads", "ptProcRss", "ptProcAge",
	    "ptProcCmdline" } },
	{ { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1, 1, 4, 1 }, 13, false,
	    { NULL, "ptZpPid", "ptZpName", "ptZpZombies", "ptZpOldestAge" } },
	/* RFC 2790: hrSWRunEntry, hrSWRunPerfEntry. */
	{ { 1, 3, 6, 1, 2, 1, 25, 4, 2, 1 }, 10, false,
	    { NULL, "hrSWRunIndex", "hrSWRunName", "hrSWRunID",
	    "hrSWRunPath", "hrSWRunParameters", "hrSWRunType",
	    "hrSWRunStatus" } },
	{ { 1, 3, 6, 1, 2, 1, 25, 5, 1, 1 }, 10, false,
	    { NULL, "hrSWRunPerfCPU", "hrSWRunPerfMem" } },
	/* RFC 3418: the system group, walked as one row with index 0. */
	{ { 1, 3, 6, 1, 2, 1, 1 }, 7, true,
	    { NULL, "sysDescr", "sysObjectID", "sysUpTime", "sysContact",
	    "sysName", "sysLocation", "sysServices", "sysORLastChange" } },
};

#define NAMES_NTABLES	(sizeof(names_tables) / sizeof(names_tables[0]))

static bool
names_eq(const struct names_table *t, const struct oid *o, size_t len)
{
	size_t i;

	if (o->o_len != len || len > t->nt_len)
		return false;
	for (i = 0; i < len; i++)
		if (o->o_id[i] != t->nt_entry[i])
			return false;
	return true;
}

static const struct names_table *
names_find_entry(const struct oid *entry)
{
	size_t i;

	for (i = 0; i < NAMES_NTABLES; i++)
		if (names_eq(&names_tables[i], entry, names_tables[i].nt_len))
			return &names_tables[i];
	return NULL;
}

bool
names_table_entry(const struct oid *o, struct oid *entry)
{
	size_t i;

	*entry = *o;
	for (i = 0; i < NAMES_NTABLES; i++) {
		const struct names_table *t = &names_tables[i];

		if (names_eq(t, o, t->nt_len))
			return true;
		/* The xTable is the entry without its final ".1". */
		if (!t->nt_is_group && names_eq(t, o, t->nt_len - 1)) {
			(void)oid_append(entry, t->nt_entry[t->nt_len - 1]);
			return true;
		}
	}
	return false;
}

const char *
names_column(const struct oid *entry, uint32_t col, char *buf, size_t size)
{
	const struct names_table *t = names_find_entry(entry);
	int n;

	if (t != NULL && col < NAMES_MAXCOLS && t->nt_cols[col] != NULL)
		return t->nt_cols[col];
	n = snprintf(buf, size, "%u", col);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
	}
	return buf;
}
