/*
 * mib_table: pid-indexed tables over the /proc snapshot and the value
 * setters the MIB modules share (see mib_table.h).  Not a MIB: which
 * columns exist and what a cell holds is mib_host.c's and mib_proctel.c's.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/mib_table.h"
#include "config/config.h"
#include "snmp/contract.h"

static size_t
rows_count(const struct mib_table *t, const struct procfs_snapshot *s)
{
	return t->mt_rows == MIB_ROWS_PROCS ? s->ps_count : s->ps_nzparents;
}

static int32_t
rows_key(const struct mib_table *t, const struct procfs_snapshot *s,
    size_t row)
{
	return t->mt_rows == MIB_ROWS_PROCS ? s->ps_procs[row].pp_pid :
	    s->ps_zparents[row].zp_pid;
}

/* Index of the first row whose pid is >= pid. */
static size_t
rows_lower_bound(const struct mib_table *t, const struct procfs_snapshot *s,
    int32_t pid)
{
	return t->mt_rows == MIB_ROWS_PROCS ? procfs_lower_bound(s, pid) :
	    procfs_zparent_lower_bound(s, pid);
}

/* Columns are 64-bit here so that "the one after" never wraps. */
static bool
table_has_col(const struct mib_table *t, uint64_t col)
{
	return col >= 1 && col <= MIB_TABLE_MAXCOL &&
	    (t->mt_cols & (UINT32_C(1) << col)) != 0;
}

/* The first served column >= col, or 0 when there is none. */
static uint32_t
table_col_from(const struct mib_table *t, uint64_t col)
{
	for (; col <= MIB_TABLE_MAXCOL; col++)
		if (table_has_col(t, col))
			return (uint32_t)col;
	return 0;
}

int
mib_table_find(const struct mib_table *t, const struct procfs_snapshot *s,
    const struct oid *oid, uint32_t *colp, size_t *rowp)
{
	size_t n = t->mt_entry->o_len, row;
	uint32_t col, idx;

	if (!oid_is_prefix(t->mt_entry, oid) || oid->o_len <= n)
		return MIB_NOSUCHOBJECT;
	col = oid->o_id[n];
	if (!table_has_col(t, col))
		return MIB_NOSUCHOBJECT;
	if (oid->o_len != n + 2)
		return MIB_NOSUCHINSTANCE;
	idx = oid->o_id[n + 1];
	if (idx > INT32_MAX)
		return MIB_NOSUCHINSTANCE;
	row = rows_lower_bound(t, s, (int32_t)idx);
	if (row >= rows_count(t, s) || rows_key(t, s, row) != (int32_t)idx)
		return MIB_NOSUCHINSTANCE;
	*colp = col;
	*rowp = row;
	return MIB_OK;
}

/*
 * The first row whose pid is > idx (idx < INT32_MAX): the one after row
 * hint - 1 when that row's pid is <= idx and the next row's is > idx
 * (checked on the snapshot at hand), else found by binary search.
 */
static size_t
rows_after(const struct mib_table *t, const struct procfs_snapshot *s,
    size_t count, uint32_t idx, size_t hint)
{
	size_t r = hint - 1;
	int32_t key = (int32_t)idx;

	if (hint != 0 && r < count && rows_key(t, s, r) <= key &&
	    (r + 1 == count || rows_key(t, s, r + 1) > key))
		return r + 1;
	return rows_lower_bound(t, s, key + 1);
}

int
mib_table_next_hinted(const struct mib_table *t,
    const struct procfs_snapshot *s, const struct oid *after,
    struct oid *found, uint32_t *colp, size_t *rowp, size_t *hint)
{
	const struct oid *e = t->mt_entry;
	size_t n = e->o_len, count = rows_count(t, s), row = 0;
	uint64_t col = 1;
	uint32_t idx, c;

	if (count == 0)
		return MIB_END;
	if (oid_is_prefix(e, after) && after->o_len > n) {
		col = after->o_id[n];
		if (!table_has_col(t, col))
			col++;		/* the next served column, from row 0 */
		else if (after->o_len > n + 1) {
			idx = after->o_id[n + 1];
			row = idx >= INT32_MAX ? count :
			    rows_after(t, s, count, idx, *hint);
			if (row >= count) {
				/* Past the column's last row: the next one. */
				col++;
				row = 0;
			}
		}
	} else if (oid_cmp(after, e) > 0)
		return MIB_END;
	if ((c = table_col_from(t, col)) == 0)
		return MIB_END;
	/* Only the entry's own sub-ids: a whole struct oid is 520 octets. */
	if (oid_set(found, e->o_id, n) == -1 ||
	    oid_append(found, c) == -1 ||
	    oid_append(found, (uint32_t)rows_key(t, s, row)) == -1)
		return MIB_END;
	*colp = c;
	*rowp = row;
	*hint = row + 1;
	return MIB_OK;
}

int
mib_table_next(const struct mib_table *t, const struct procfs_snapshot *s,
    const struct oid *after, struct oid *found, uint32_t *colp, size_t *rowp)
{
	size_t hint = 0;

	return mib_table_next_hinted(t, s, after, found, colp, rowp, &hint);
}

static int
table_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct mib_table *t = arg;
	uint32_t col;
	size_t row;
	int rv;

	if ((rv = mib_table_find(t, ctx->mc_snap, oid, &col, &row)) == MIB_OK)
		t->mt_cell(ctx, col, row, val);
	return rv;
}

static int
table_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	const struct mib_table *t = arg;
	size_t row, none = 0;
	uint32_t col;
	int rv;

	rv = mib_table_next_hinted(t, ctx->mc_snap, after, found, &col, &row,
	    ctx->mc_row_hint != NULL ? ctx->mc_row_hint : &none);
	if (rv == MIB_OK)
		t->mt_cell(ctx, col, row, val);
	return rv;
}

void
mib_table_from_contract(struct mib_table *t, int entry, struct oid *entry_oid)
{
	uint32_t arcs[MIB_TABLE_MAXCOL];
	size_t i, n;

	contract_oid(entry, entry_oid);
	t->mt_entry = entry_oid;
	t->mt_cols = 0;
	n = contract_children(entry, CONTRACT_COLUMN, arcs, MIB_TABLE_MAXCOL);
	for (i = 0; i < n && i < MIB_TABLE_MAXCOL; i++)
		if (arcs[i] >= 1 && arcs[i] <= MIB_TABLE_MAXCOL)
			t->mt_cols |= UINT32_C(1) << arcs[i];
}

int
mib_table_register(struct mib *m, struct mib_table *t)
{
	if (t->mt_cell == NULL)
		return -1;
	return mib_register(m, t->mt_entry, table_get, table_next, t);
}

void
mib_set_int(struct snmp_value *val, int64_t v)
{
	val->val_type = BER_INTEGER;
	val->val_int = v;
}

void
mib_set_gauge(struct snmp_value *val, uint64_t v)
{
	val->val_type = BER_GAUGE32;
	val->val_uint = v > UINT32_MAX ? UINT32_MAX : v;
}

void
mib_set_string(struct snmp_value *val, const char *s, size_t len, size_t max)
{
	val->val_type = BER_OCTET_STRING;
	val->val_str.ptr = (const uint8_t *)s;
	val->val_str.len = len < max ? len : max;
}

bool
mib_cmdline_exposed(const struct mib_ctx *ctx)
{
	if (ctx->mc_expose_cmdline != 0)
		return ctx->mc_expose_cmdline > 0;
	return ctx->mc_conf != NULL && ctx->mc_conf->ca_expose_cmdline;
}
