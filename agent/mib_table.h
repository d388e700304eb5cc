/*
 * mib_table: what the MIB modules share.  Mainly the conceptual tables that
 * mib_host.c and mib_proctel.c serve from the /proc snapshot, where every
 * row is indexed by one pid and the rows are sorted by it: an OID maps to a
 * (column, row) pair for GET, and GETNEXT finds the next instance in walk
 * order, column-major, so entry.c.pid runs over every pid of column c
 * before column c+1 starts.  The modules only say which snapshot array a
 * table reads and fill the value of one cell.  Also here: the few value
 * setters every module needs, so each clamps and cuts the same way.
 *
 * Lookups are binary searches over the snapshot: no allocation, no syscall.
 * Not here: the registry itself (mib.c) or any MIB's objects (mib_*.c).
 */
#ifndef PT_MIB_TABLE_H
#define PT_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/mib.h"
#include "agent/procfs.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* Columns are numbered 1..MIB_TABLE_MAXCOL, one bit each in mt_cols. */
#define MIB_TABLE_MAXCOL	31

/* Which sorted snapshot array holds the rows; keys are pids. */
enum mib_rows {
	MIB_ROWS_PROCS,		/* ps_procs, by pp_pid */
	MIB_ROWS_ZPARENTS,	/* ps_zparents, by zp_pid */
};

/* Fill *val with column col of row `row` of the table's array. */
typedef void (*mib_cell_fn)(const struct mib_ctx *ctx, uint32_t col,
    size_t row, struct snmp_value *val);

/*
 * One table: the entry OID (the registered region), the accessible columns
 * (bit c set: column c served), the rows and the cell callback.
 */
struct mib_table {
	const struct oid *mt_entry;
	uint32_t	  mt_cols;
	enum mib_rows	  mt_rows;
	mib_cell_fn	  mt_cell;
};

/*
 * GET: oid must be entry.col.pid exactly.  MIB_NOSUCHOBJECT when it does
 * not name a served column (the entry itself, an unknown or not-accessible
 * column); MIB_NOSUCHINSTANCE when the column exists but the instance does
 * not (no index, an extra sub-id, a pid not in the snapshot).
 */
int	mib_table_find(const struct mib_table *t,
	    const struct procfs_snapshot *s, const struct oid *oid,
	    uint32_t *colp, size_t *rowp);

/*
 * GETNEXT: the first entry.col.pid strictly after `after`, of any length or
 * shape.  An OID before the entry (or a proper prefix of it) gets the first
 * instance; entry.c gets the first row of c; entry.c.i (with or without
 * more sub-ids, since entry.c.i.x still sorts before entry.c.(i+1)) gets
 * the first pid > i, else the first row of the next column.  A pid index
 * beyond INT32_MAX sorts after every row of its column.  MIB_OK with
 * *found, *colp and *rowp, or MIB_END.
 */
int	mib_table_next(const struct mib_table *t,
	    const struct procfs_snapshot *s, const struct oid *after,
	    struct oid *found, uint32_t *colp, size_t *rowp);
/*
 * The same, trying row *hint - 1 first and leaving the answer's row plus
 * one in *hint (0: no hint).  A walk asks for the successor of what it was
 * answered last, so the answer is usually the row after the hint's, found
 * with no binary search.  The hint is checked against `after` and s before
 * it is used, so any value, stale or from another table, answers exactly
 * as mib_table_next() does; only the cost differs.
 */
int	mib_table_next_hinted(const struct mib_table *t,
	    const struct procfs_snapshot *s, const struct oid *after,
	    struct oid *found, uint32_t *colp, size_t *rowp, size_t *hint);

/*
 * Point t at the contract's entry (an enum contract_id), its OID written
 * into *entry_oid (which must outlive t), and set its columns to the
 * entry's accessible columns: the contract is the one list of them.
 */
void	mib_table_from_contract(struct mib_table *t, int entry,
	    struct oid *entry_oid);

/*
 * Register t (borrowed: it must outlive m; it is the region's callback
 * argument, hence not const) as a region whose get and next are
 * mib_table_find and mib_table_next followed by t->mt_cell.  Returns 0 or
 * -1 as mib_register().
 */
int	mib_table_register(struct mib *m, struct mib_table *t);

/* Value setters: INTEGER; Gauge32 saturating at 2^32-1. */
void	mib_set_int(struct snmp_value *val, int64_t v);
void	mib_set_gauge(struct snmp_value *val, uint64_t v);
/* OCTET STRING view of s, cut at max octets (a MIB's SIZE limit). */
void	mib_set_string(struct snmp_value *val, const char *s, size_t len,
	    size_t max);
/*
 * May command lines be served to this request (mc_expose_cmdline, else
 * the config)?  The snapshot holds them only when it was taken with them;
 * the config is checked too, so a reload that turns exposure off takes
 * effect before the next snapshot.
 */
bool	mib_cmdline_exposed(const struct mib_ctx *ctx);

#endif
