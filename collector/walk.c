/*
 * walk: table walks and value conversion (see walk.h).  The only other
 * files that know net-snmp are poll_*.c.  Kept varbinds are a singly linked
 * list in the run arena (no realloc per reply); walk_build() sorts them
 * once at the end.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/names.h"
#include "config/config.h"
#include "collector/walk.h"

struct walk_entry {
	struct walk_entry	*we_next;
	uint32_t		 we_col;
	uint32_t		 we_idxlen;
	const uint32_t		*we_idx;
	struct sample_value	 we_val;
};

/* A sub-identifier in decimal and its dot. */
#define WALK_SUBID_CHARS	11

/*
 * What walk_build() takes for one entry, at most: its pointer in the sort
 * array, its copy in a row's columns, a row of its own with the index as
 * text, a column name copied when unknown (names_column() into buf), and
 * the rounding of the two arrays built once.
 */
static size_t
walk_build_cost(size_t idxlen)
{
	return sizeof(struct walk_entry *) + sizeof(struct sample_value) +
	    sizeof(struct sample_row) + run_arena_cost(16) +
	    run_arena_cost(idxlen * WALK_SUBID_CHARS + 1) +
	    2 * RUN_ARENA_ALIGN;
}

void
walk_begin(struct walk *w, const struct oid *entry, uint32_t max_rows)
{
	w->w_entry = *entry;
	w->w_next = *entry;
	w->w_max_rows = max_rows;
	w->w_col = 0;
	w->w_col_rows = 0;
	w->w_ncols = 0;
	w->w_bytes = 0;
	w->w_limit = SIZE_MAX;
	w->w_truncated = false;
	w->w_nentries = 0;
	w->w_head = NULL;
	w->w_tail = &w->w_head;
}

void
walk_allow(struct walk *w, size_t more)
{
	w->w_limit = more > SIZE_MAX - w->w_bytes ? SIZE_MAX :
	    w->w_bytes + more;
}

size_t
walk_bytes(const struct walk *w)
{
	return w->w_bytes;
}

const struct oid *
walk_next_oid(const struct walk *w)
{
	return &w->w_next;
}

const char *
walk_status_str(enum walk_status st)
{
	switch (st) {
	case WALK_MORE:
		return "more";
	case WALK_END_SUBTREE:
		return "end of table";
	case WALK_END_MIBVIEW:
		return "end of MIB view";
	case WALK_END_LOOP:
		return "agent returned an OID that does not increase";
	case WALK_END_EMPTY:
		return "agent returned no varbinds";
	case WALK_END_BADOID:
		return "agent returned a sub-identifier over 2^32-1";
	case WALK_END_COLUMNS:
		return "more columns than any table has";
	case WALK_END_BUDGET:
		return "over its byte budget";
	case WALK_ERR_NOMEM:
		return "out of memory";
	case WALK_ERR_PDU:
		return "error-status in the reply";
	}
	return "unknown";
}

/* net-snmp's oid is an unsigned long; ours is 32-bit and RFC-capped. */
static int
walk_oid_from(const oid *name, size_t len, struct oid *out)
{
	size_t i;

	if (len > OID_MAX_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] > UINT32_MAX)
			return -1;
		out->o_id[i] = (uint32_t)name[i];
	}
	out->o_len = len;
	return 0;
}

enum walk_status
walk_feed(struct walk *w, const struct variable_list *vars,
    struct run_arena *a)
{
	const netsnmp_variable_list *v;
	struct oid cur;
	struct walk_entry *e;
	uint32_t *idx;
	size_t n, cost;

	if (vars == NULL)
		return WALK_END_EMPTY;
	for (v = vars; v != NULL; v = v->next_variable) {
		if (walk_oid_from(v->name, v->name_length, &cur) == -1)
			return WALK_END_BADOID;
		if (v->type == SNMP_ENDOFMIBVIEW ||
		    v->type == SNMP_NOSUCHOBJECT ||
		    v->type == SNMP_NOSUCHINSTANCE)
			return WALK_END_MIBVIEW;
		if (!oid_is_prefix(&w->w_entry, &cur) ||
		    cur.o_len == w->w_entry.o_len)
			return WALK_END_SUBTREE;
		if (oid_cmp(&cur, &w->w_next) <= 0)
			return WALK_END_LOOP;
		w->w_next = cur;
		n = w->w_entry.o_len;
		if (cur.o_id[n] != w->w_col || w->w_ncols == 0) {
			if (w->w_ncols++ == WALK_MAX_COLUMNS)
				return WALK_END_COLUMNS;
			w->w_col = cur.o_id[n];
			w->w_col_rows = 0;
		}
		if (w->w_max_rows != 0 && w->w_col_rows >= w->w_max_rows) {
			/*
			 * This column is full: skip to the next one.  The rest
			 * of this reply lies in the skipped range.
			 */
			w->w_truncated = true;
			if (w->w_col == UINT32_MAX)
				return WALK_END_SUBTREE;
			w->w_next = w->w_entry;
			(void)oid_append(&w->w_next, w->w_col + 1);
			return WALK_MORE;
		}
		cost = run_arena_cost(sizeof(*e)) +
		    run_arena_cost((cur.o_len - n) * sizeof(*idx)) +
		    walk_value_cost(v) + walk_build_cost(cur.o_len - n - 1);
		if (cost > w->w_limit || w->w_bytes > w->w_limit - cost)
			return WALK_END_BUDGET;
		w->w_bytes += cost;
		w->w_col_rows++;
		e = run_arena_alloc(a, sizeof(*e));
		idx = run_arena_calloc(a, cur.o_len - n, sizeof(*idx));
		if (e == NULL || idx == NULL)
			return WALK_ERR_NOMEM;
		e->we_col = cur.o_id[n];
		e->we_idxlen = (uint32_t)(cur.o_len - n - 1);
		memcpy(idx, &cur.o_id[n + 1], e->we_idxlen * sizeof(*idx));
		e->we_idx = idx;
		if (walk_value_convert(v, a, &e->we_val) == -1)
			return WALK_ERR_NOMEM;
		*w->w_tail = e;
		w->w_tail = &e->we_next;
		w->w_nentries++;
	}
	return WALK_MORE;
}

enum walk_status
walk_reply(struct walk *w, const struct snmp_pdu *rpdu, uint16_t *reps,
    struct run_arena *a, char *why, size_t whylen)
{
	const netsnmp_pdu *pdu = rpdu;

	if (pdu->errstat == SNMP_ERR_TOOBIG && *reps > 1) {
		*reps /= 2;
		return WALK_MORE;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME &&
	    pdu->version == SNMP_VERSION_1)
		return WALK_END_MIBVIEW;	/* RFC 1157 4.1.3 */
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		(void)snprintf(why, whylen, "walk: %s",
		    snmp_errstring((int)pdu->errstat));
		return WALK_ERR_PDU;
	}
	return walk_feed(w, pdu->variables, a);
}

static int
walk_idx_cmp(const struct walk_entry *a, const struct walk_entry *b)
{
	uint32_t i, n = a->we_idxlen < b->we_idxlen ? a->we_idxlen :
	    b->we_idxlen;

	for (i = 0; i < n; i++)
		if (a->we_idx[i] != b->we_idx[i])
			return a->we_idx[i] < b->we_idx[i] ? -1 : 1;
	if (a->we_idxlen != b->we_idxlen)
		return a->we_idxlen < b->we_idxlen ? -1 : 1;
	return 0;
}

static int
walk_entry_cmp(const void *pa, const void *pb)
{
	const struct walk_entry *a = *(const struct walk_entry *const *)pa;
	const struct walk_entry *b = *(const struct walk_entry *const *)pb;
	int c = walk_idx_cmp(a, b);

	if (c != 0)
		return c;
	if (a->we_col != b->we_col)
		return a->we_col < b->we_col ? -1 : 1;
	return 0;
}

/*
 * A table configured by its xTable OID rather than xEntry (and unknown to
 * names.c) comes back as 1.col.index: every "column" is 1 and the first
 * index part takes several values.  Shift it so columns are columns.
 */
static void
walk_unshift_table(struct walk_entry **ents, size_t n)
{
	size_t i;
	bool varied = false;

	for (i = 0; i < n; i++) {
		if (ents[i]->we_col != 1 || ents[i]->we_idxlen < 2)
			return;
		if (ents[i]->we_idx[0] != ents[0]->we_idx[0])
			varied = true;
	}
	if (!varied)
		return;
	for (i = 0; i < n; i++) {
		ents[i]->we_col = ents[i]->we_idx[0];
		ents[i]->we_idx++;
		ents[i]->we_idxlen--;
	}
}

static const char *
walk_index_str(const struct walk_entry *e, struct run_arena *a)
{
	struct oid o;
	char buf[OID_STR_MAX];

	if (e->we_idxlen == 0)
		return "";
	if (oid_set(&o, e->we_idx, e->we_idxlen) == -1 ||
	    oid_format(&o, buf, sizeof(buf)) < 0)
		return "";
	return run_arena_strndup(a, buf, strlen(buf));
}

int
walk_build(const struct walk *w, const char *name, struct run_arena *a,
    struct sample_table *out)
{
	struct walk_entry **ents, *e;
	struct sample_row *row;
	size_t i, j, nrows, k;
	char buf[16];
	const char *cname;

	memset(out, 0, sizeof(*out));
	out->st_name = name;
	if (w->w_nentries == 0)
		return 0;
	/* The sort array is scratch memory of this run, like the rest. */
	if ((ents = run_arena_calloc(a, w->w_nentries, sizeof(*ents))) == NULL)
		return -1;
	for (i = 0, e = w->w_head; e != NULL && i < w->w_nentries;
	    e = e->we_next)
		ents[i++] = e;
	walk_unshift_table(ents, i);
	qsort(ents, i, sizeof(*ents), walk_entry_cmp);
	nrows = 0;
	for (j = 0; j < i; j++)
		if (j == 0 || walk_idx_cmp(ents[j - 1], ents[j]) != 0)
			nrows++;
	out->st_rows = run_arena_calloc(a, nrows, sizeof(*out->st_rows));
	if (out->st_rows == NULL)
		return -1;
	row = NULL;
	for (j = 0; j < i; j = k) {
		for (k = j + 1; k < i && walk_idx_cmp(ents[j], ents[k]) == 0;
		    k++)
			;
		row = &out->st_rows[out->st_nrows++];
		row->sr_index = walk_index_str(ents[j], a);
		row->sr_cols = run_arena_calloc(a, k - j,
		    sizeof(*row->sr_cols));
		if (row->sr_index == NULL || row->sr_cols == NULL)
			return -1;
		for (; j < k; j++) {
			/* A duplicate column in one row: keep the first. */
			if (row->sr_ncols > 0 && j > 0 &&
			    ents[j - 1]->we_col == ents[j]->we_col)
				continue;
			cname = names_column(&w->w_entry, ents[j]->we_col, buf,
			    sizeof(buf));
			if (cname == buf &&
			    (cname = run_arena_strndup(a, buf,
			    strlen(buf))) == NULL)
				return -1;
			row->sr_cols[row->sr_ncols] = ents[j]->we_val;
			row->sr_cols[row->sr_ncols].sv_name = cname;
			row->sr_ncols++;
		}
	}
	return 0;
}

size_t
walk_value_cost(const struct variable_list *vl)
{
	const netsnmp_variable_list *v = vl;

	switch (v->type) {
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
		return run_arena_cost(v->val_len < SIZE_MAX ? v->val_len + 1 :
		    SIZE_MAX);
	case ASN_IPADDRESS:
	case ASN_OBJECT_ID:
		return run_arena_cost(OID_STR_MAX);
	default:
		return 0;
	}
}

int
walk_value_convert(const struct variable_list *vl, struct run_arena *a,
    struct sample_value *out)
{
	const netsnmp_variable_list *v = vl;
	struct oid o;
	char buf[OID_STR_MAX];
	int n;

	memset(out, 0, sizeof(*out));
	out->sv_asn_type = v->type;
	switch (v->type) {
	case ASN_INTEGER:
		if (v->val.integer == NULL)
			break;
		out->sv_kind = SV_INT;
		out->sv_int = *v->val.integer;
		return 0;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		if (v->val.integer == NULL)
			break;
		out->sv_kind = SV_UINT;
		out->sv_uint = (uint64_t)(*v->val.integer) & 0xffffffffULL;
		return 0;
	case ASN_COUNTER64:
		if (v->val.counter64 == NULL)
			break;
		out->sv_kind = SV_UINT;
		out->sv_uint = ((uint64_t)(v->val.counter64->high &
		    0xffffffffUL) << 32) | (v->val.counter64->low &
		    0xffffffffUL);
		return 0;
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
		out->sv_kind = SV_STRING;
		out->sv_len = v->val_len;
		out->sv_str = run_arena_strndup(a,
		    v->val.string != NULL ? (const char *)v->val.string : "",
		    v->val.string != NULL ? v->val_len : 0);
		return out->sv_str == NULL ? -1 : 0;
	case ASN_IPADDRESS:
		if (v->val.string == NULL || v->val_len != 4)
			break;
		n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u",
		    v->val.string[0], v->val.string[1], v->val.string[2],
		    v->val.string[3]);
		if (n < 0 || (size_t)n >= sizeof(buf))
			break;
		out->sv_kind = SV_STRING;
		out->sv_len = (size_t)n;
		out->sv_str = run_arena_strndup(a, buf, (size_t)n);
		return out->sv_str == NULL ? -1 : 0;
	case ASN_OBJECT_ID:
		if (v->val.objid == NULL ||
		    walk_oid_from(v->val.objid, v->val_len / sizeof(oid),
		    &o) == -1 || (n = oid_format(&o, buf, sizeof(buf))) < 0)
			break;
		out->sv_kind = SV_STRING;
		out->sv_len = (size_t)n;
		out->sv_str = run_arena_strndup(a, buf, (size_t)n);
		return out->sv_str == NULL ? -1 : 0;
	default:
		break;
	}
	out->sv_kind = SV_ABSENT;
	return 0;
}

static int
walk_add_null(netsnmp_pdu *pdu, const struct oid *o)
{
	oid name[OID_MAX_LEN];
	size_t i;

	for (i = 0; i < o->o_len; i++)
		name[i] = o->o_id[i];
	return snmp_add_null_var(pdu, name, o->o_len) == NULL ? -1 : 0;
}

struct snmp_pdu *
walk_request(const struct walk *w, bool v1, uint16_t reps)
{
	netsnmp_pdu *pdu;

	pdu = snmp_pdu_create(v1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
	if (pdu == NULL)
		return NULL;
	if (!v1) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = reps;
	}
	if (walk_add_null(pdu, &w->w_next) == -1) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

struct snmp_pdu *
walk_get_request(const struct cfg_metric *metrics, size_t nmetrics,
    const struct sample_value *vals, size_t lo, uint16_t chunk, size_t *hi)
{
	netsnmp_pdu *pdu;
	size_t i, count = 0;

	if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
		return NULL;
	for (i = lo; i < nmetrics && count < chunk; i++) {
		if (vals[i].sv_name != NULL)
			continue;
		if (walk_add_null(pdu, &metrics[i].cm_oid) == -1) {
			snmp_free_pdu(pdu);
			return NULL;
		}
		count++;
	}
	*hi = i;
	return pdu;
}

static bool
walk_oid_eq(const netsnmp_variable_list *v, const struct oid *o)
{
	size_t i;

	if (v->name_length != o->o_len)
		return false;
	for (i = 0; i < o->o_len; i++)
		if (v->name[i] != o->o_id[i])
			return false;
	return true;
}

enum walk_get_result
walk_get_reply(const struct snmp_pdu *rpdu, const struct cfg_metric *metrics,
    struct sample_value *vals, size_t lo, size_t hi, uint16_t *chunk,
    struct run_arena *a, size_t allow, char *why, size_t whylen)
{
	const netsnmp_pdu *pdu = rpdu;
	const netsnmp_variable_list *v = pdu->variables;
	size_t i, k, count = 0, cost = 0;

	for (i = lo; i < hi; i++)
		if (vals[i].sv_name == NULL)
			count++;
	if (pdu->errstat == SNMP_ERR_TOOBIG) {
		if (count <= 1) {
			(void)snprintf(why, whylen, "GET %s: tooBig for one "
			    "varbind", count == 1 ? metrics[lo].cm_name : "");
			return WALK_GET_ERROR;
		}
		*chunk = (uint16_t)(count / 2);
		return WALK_GET_AGAIN;
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1) {
		for (i = lo, k = 0; i < hi; i++) {
			if (vals[i].sv_name != NULL)
				continue;
			if (++k == (size_t)pdu->errindex) {
				vals[i].sv_name = metrics[i].cm_name;
				vals[i].sv_kind = SV_ABSENT;
				return WALK_GET_AGAIN;
			}
		}
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		(void)snprintf(why, whylen, "GET: %s (error-index %ld)",
		    snmp_errstring((int)pdu->errstat), pdu->errindex);
		return WALK_GET_ERROR;
	}
	for (i = lo; i < hi; i++) {
		if (vals[i].sv_name != NULL)
			continue;
		if (v == NULL || !walk_oid_eq(v, &metrics[i].cm_oid)) {
			(void)snprintf(why, whylen, "GET %s: the reply does not "
			    "match the request", metrics[i].cm_name);
			return WALK_GET_ERROR;
		}
		if ((k = walk_value_cost(v)) > allow - cost)
			return WALK_GET_BUDGET;
		cost += k;
		v = v->next_variable;
	}
	v = pdu->variables;
	for (i = lo; i < hi; i++) {
		if (vals[i].sv_name != NULL)
			continue;
		if (walk_value_convert(v, a, &vals[i]) == -1)
			return WALK_GET_NOMEM;
		vals[i].sv_name = metrics[i].cm_name;
		v = v->next_variable;
	}
	return WALK_GET_DONE;
}
