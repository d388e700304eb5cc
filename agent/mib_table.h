/*
 * mib_table: instance lookup for the conceptual tables that mib_host.c and
 * mib_proctel.c serve from the /proc snapshot, where every row is indexed
 * by one pid and the rows are sorted by it.  It maps an OID to a (column,
 * row) pair for GET, and finds the next instance for GETNEXT in walk order:
 * column-major, so entry.c.pid runs over every pid of column c before
 * column c+1 starts.  It knows nothing of values; the modules fill those.
 *
 * Header-only (static inline) because two small modules share it and it
 * needs no state.  Lookups are binary searches: no allocation, no syscall.
 */
#ifndef PT_MIB_TABLE_H
#define PT_MIB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "agent/mib.h"
#include "agent/procfs.h"
#include "snmp/oid.h"

/* Columns are numbered 1..MIB_TABLE_MAXCOL, one bit each in mt_cols. */
#define MIB_TABLE_MAXCOL	31

/*
 * One table over a snapshot array: the entry OID (the registered region),
 * the accessible columns, and how to count, index and search the rows.
 * Keys are pids: 0..INT32_MAX, strictly ascending with the row number.
 */
struct mib_table {
	const struct oid *mt_entry;
	uint32_t	  mt_cols;	/* bit c set: column c served */
	size_t		(*mt_count)(const struct procfs_snapshot *);
	int32_t		(*mt_key)(const struct procfs_snapshot *,
			    size_t);
	size_t		(*mt_lower_bound)(const struct procfs_snapshot *,
			    int32_t);
};

static inline int
mib_table_has_col(const struct mib_table *t, uint32_t col)
{
	return col >= 1 && col <= MIB_TABLE_MAXCOL &&
	    (t->mt_cols & (UINT32_C(1) << col)) != 0;
}

/* The first served column >= col, or 0 when there is none. */
static inline uint32_t
mib_table_col_from(const struct mib_table *t, uint32_t col)
{
	if (col < 1)
		col = 1;
	for (; col <= MIB_TABLE_MAXCOL; col++)
		if (t->mt_cols & (UINT32_C(1) << col))
			return col;
	return 0;
}

/*
 * GET: oid must be entry.col.pid exactly.  MIB_NOSUCHOBJECT when it does
 * not name a served column (the entry itself, an unknown or not-accessible
 * column); MIB_NOSUCHINSTANCE when the column exists but the instance does
 * not (no index, an extra sub-id, a pid not in the snapshot).
 */
static inline int
mib_table_find(const struct mib_table *t, const struct procfs_snapshot *s,
    const struct oid *oid, uint32_t *colp, size_t *rowp)
{
	size_t n = t->mt_entry->o_len, row;
	uint32_t col, idx;

	if (!oid_is_prefix(t->mt_entry, oid) || oid->o_len <= n)
		return MIB_NOSUCHOBJECT;
	col = oid->o_id[n];
	if (!mib_table_has_col(t, col))
		return MIB_NOSUCHOBJECT;
	if (oid->o_len != n + 2)
		return MIB_NOSUCHINSTANCE;
	idx = oid->o_id[n + 1];
	if (idx > INT32_MAX)
		return MIB_NOSUCHINSTANCE;
	row = t->mt_lower_bound(s, (int32_t)idx);
	if (row >= t->mt_count(s) || t->mt_key(s, row) != (int32_t)idx)
		return MIB_NOSUCHINSTANCE;
	*colp = col;
	*rowp = row;
	return MIB_OK;
}

/*
 * GETNEXT: the first entry.col.pid strictly after `after`, of any length or
 * shape.  An OID before the entry (or a proper prefix of it) gets the first
 * instance; entry.c gets the first row of c; entry.c.i (with or without
 * more sub-ids, since entry.c.i.x still sorts before entry.c.(i+1)) gets
 * the first pid > i, else the first row of the next column.  A pid index
 * beyond INT32_MAX sorts after every row of its column.
 */
static inline int
mib_table_next(const struct mib_table *t, const struct procfs_snapshot *s,
    const struct oid *after, struct oid *found, uint32_t *colp, size_t *rowp)
{
	size_t n = t->mt_entry->o_len, count = t->mt_count(s), row = 0;
	uint32_t col = 1, idx;

	if (count == 0)
		return MIB_END;
	if (oid_is_prefix(t->mt_entry, after) && after->o_len > n) {
		col = after->o_id[n];
		if (!mib_table_has_col(t, col)) {
			/* Not served: the next served column, from row 0. */
			if (col >= MIB_TABLE_MAXCOL)
				return MIB_END;
			col++;
		} else if (after->o_len > n + 1) {
			idx = after->o_id[n + 1];
			row = idx >= INT32_MAX ? count :
			    t->mt_lower_bound(s, (int32_t)idx + 1);
			if (row >= count) {
				if (col >= MIB_TABLE_MAXCOL)
					return MIB_END;
				col++;
				row = 0;
			}
		}
	} else if (oid_cmp(after, t->mt_entry) > 0)
		return MIB_END;
	if ((col = mib_table_col_from(t, col)) == 0)
		return MIB_END;
	*found = *t->mt_entry;
	if (oid_append(found, col) == -1 ||
	    oid_append(found, (uint32_t)t->mt_key(s, row)) == -1)
		return MIB_END;
	*colp = col;
	*rowp = row;
	return MIB_OK;
}

#endif
