/*
 * agentx_serve: Get, GetNext and GetBulk answered from the MIB registry
 * (mib_get, mib_next), as RFC 2741 sec. 7.2.3 says, for the subtrees the
 * session registered.  A GetBulk's repeaters continue from the previous
 * round's answers, which are read back from the Response being written:
 * no cursor per repeater is stored, so a GetBulk of any width costs no
 * memory beyond the Response.
 */
#include <string.h>

#include "agent/agentx_serve.h"
#include "agent/pin.h"
#include "snmp/pdu.h"

void
agentx_serve_init(struct agentx_serve *sv, const struct agentx_sess_mib *mib,
    const struct oid *sub, const bool *reg, size_t nsub)
{
	size_t i, j, t;

	memset(sv, 0, sizeof(*sv));
	sv->sv_mib = mib;
	sv->sv_sub = sub;
	sv->sv_reg = reg;
	sv->sv_nsub = nsub;
	/* Insertion sort: at most AGENTX_SESS_MAX_SUBTREES of them. */
	for (i = 0; i < nsub; i++) {
		sv->sv_order[i] = i;
		for (j = i; j > 0 && oid_cmp(&sub[sv->sv_order[j - 1]],
		    &sub[sv->sv_order[j]]) > 0; j--) {
			t = sv->sv_order[j];
			sv->sv_order[j] = sv->sv_order[j - 1];
			sv->sv_order[j - 1] = t;
		}
	}
}

/* Is o inside a registered subtree? */
static bool
serve_inside(const struct agentx_serve *sv, const struct oid *o)
{
	size_t i;

	for (i = 0; i < sv->sv_nsub; i++)
		if (sv->sv_reg[i] && oid_is_prefix(&sv->sv_sub[i], o))
			return true;
	return false;
}

static void
serve_exception(struct snmp_value *v, uint8_t type)
{
	memset(v, 0, sizeof(*v));
	v->val_type = type;
}

/* Get, sec. 7.2.3.1: the start itself, or why it is not there. */
static void
serve_get(struct agentx_serve *sv, const struct mib_ctx *ctx,
    const struct oid *start, struct snmp_value *v)
{
	int rc;

	if (!serve_inside(sv, start)) {
		serve_exception(v, BER_NOSUCHOBJECT);
		return;
	}
	memset(v, 0, sizeof(*v));
	rc = mib_get(sv->sv_mib->sm_mib, ctx, start, v);
	if (rc == MIB_NOSUCHOBJECT)
		serve_exception(v, BER_NOSUCHOBJECT);
	else if (rc != MIB_OK)
		serve_exception(v, BER_NOSUCHINSTANCE);
}

/*
 * GetNext, sec. 7.2.3.2: the first instance after start (or start itself
 * when include is set) inside a registered subtree and, unless end is the
 * null OID, before end.  Subtrees are tried in OID order; the registry's
 * own search finds the instance, and an answer that left the subtree
 * sends the search on to the next one, from its root.  MIB_OK with
 * sv_found and *v, or MIB_END.
 */
static int
serve_next(struct agentx_serve *sv, const struct mib_ctx *ctx,
    const struct oid *start, bool include, const struct oid *end,
    struct snmp_value *v)
{
	const struct mib *m = sv->sv_mib->sm_mib;
	const struct oid *t, *from;
	bool incl;
	size_t k;
	int rc;

	for (k = 0; k < sv->sv_nsub; k++) {
		if (!sv->sv_reg[sv->sv_order[k]])
			continue;
		t = &sv->sv_sub[sv->sv_order[k]];
		if (end->o_len > 0 && oid_cmp(t, end) >= 0)
			return MIB_END;
		if (oid_is_prefix(t, start)) {
			from = start;
			incl = include;
		} else if (oid_cmp(start, t) < 0) {
			from = t;
			incl = true;
		} else
			continue;
		rc = MIB_END;
		if (incl) {
			memset(v, 0, sizeof(*v));
			if ((rc = mib_get(m, ctx, from, v)) == MIB_OK)
				(void)oid_set(&sv->sv_found, from->o_id,
				    from->o_len);
		}
		if (rc != MIB_OK) {
			memset(v, 0, sizeof(*v));
			if (mib_next(m, ctx, from, &sv->sv_found, v) != MIB_OK)
				return MIB_END;
		}
		if (!oid_is_prefix(t, &sv->sv_found))
			continue;
		if (end->o_len > 0 && oid_cmp(&sv->sv_found, end) >= 0)
			return MIB_END;
		return MIB_OK;
	}
	return MIB_END;
}

/* Drop the varbinds and answer error (RFC 2741 sec. 7.2.3). */
static void
serve_fail(struct agentx_serve *sv, struct agentx_writer *w, size_t head,
    uint16_t error, uint16_t index)
{
	sv->sv_failed = true;
	agentx_write_rewind(w, head);
	agentx_write_response_error(w, error, index);
}

/*
 * One GetNext answer, or endOfMibView named by the start, appended.
 * Returns the writer's code: 0, AGENTX_ENOSPACE or AGENTX_EVALUE.
 */
static int
serve_put_next(struct agentx_serve *sv, const struct mib_ctx *ctx,
    struct agentx_writer *w, const struct oid *start, bool include,
    const struct oid *end, bool *ended)
{
	const struct oid *name = start;
	struct snmp_value v;
	int rc;

	if (!*ended && serve_next(sv, ctx, start, include, end, &v) == MIB_OK)
		name = &sv->sv_found;
	else {
		*ended = true;
		serve_exception(&v, BER_ENDOFMIBVIEW);
	}
	if ((rc = agentx_write_varbind(w, name, &v)) == 0) {
		sv->sv_last = pin_oid_hash(name);
		sv->sv_answered = true;
	}
	return rc;
}

/* Get or GetNext: one answer per range, or the whole PDU fails. */
static void
serve_list(struct agentx_serve *sv, const struct mib_ctx *ctx,
    const struct agentx_pdu *p, struct agentx_writer *w, size_t head)
{
	struct agentx_range *r = &sv->sv_range;
	struct agentx_iter it;
	struct snmp_value v;
	size_t i;
	bool ended;
	int rc;

	agentx_iter_init(&it, p);
	for (i = 1; (rc = agentx_iter_range(&it, r)) == 1; i++) {
		if (p->p_hdr.h_type == AGENTX_PDU_GET) {
			serve_get(sv, ctx, &r->ar_start, &v);
			rc = agentx_write_varbind(w, &r->ar_start, &v);
		} else {
			ended = false;
			rc = serve_put_next(sv, ctx, w, &r->ar_start,
			    r->ar_include, &r->ar_end, &ended);
		}
		if (rc == AGENTX_ENOSPACE) {
			serve_fail(sv, w, head, SNMP_ERRSTAT_TOOBIG, 0);
			return;
		}
		if (rc != 0) {
			serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR,
			    (uint16_t)(i > UINT16_MAX ? UINT16_MAX : i));
			return;
		}
	}
	if (rc < 0)
		serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR, 0);
}

/*
 * GetBulk, sec. 7.2.3.3.  Returns 1 when the Response is full (stop,
 * keeping what fits), 0 to go on, or -1 after a failure was written.
 */
static int
serve_bulk_put(struct agentx_serve *sv, struct agentx_writer *w, size_t head,
    int rc, size_t *count, size_t index)
{
	if (rc == 0) {
		(*count)++;
		return 0;
	}
	if (rc == AGENTX_ENOSPACE && *count > 0)
		return 1;
	if (rc == AGENTX_ENOSPACE)
		serve_fail(sv, w, head, SNMP_ERRSTAT_TOOBIG, 0);
	else
		serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR,
		    (uint16_t)(index > UINT16_MAX ? UINT16_MAX : index));
	return -1;
}

static void
serve_bulk(struct agentx_serve *sv, const struct mib_ctx *ctx,
    const struct agentx_pdu *p, struct agentx_writer *w, size_t head)
{
	struct agentx_range *r = &sv->sv_range;
	struct agentx_varbind *prev = &sv->sv_prev;
	struct agentx_iter it, rep0, pit;
	size_t n, nrep, i, rep, count = 0, mark, round, last = 0;
	bool ended, all_ended;
	int rc = 0;

	n = p->p_non_repeaters < p->p_nitems ? p->p_non_repeaters :
	    p->p_nitems;
	nrep = p->p_nitems - n;
	agentx_iter_init(&it, p);
	for (i = 0; i < n && rc == 0; i++) {
		if (agentx_iter_range(&it, r) != 1) {
			serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR, 0);
			return;
		}
		ended = false;
		mark = agentx_write_mark(w);
		rc = serve_put_next(sv, ctx, w, &r->ar_start, r->ar_include,
		    &r->ar_end, &ended);
		if (rc == AGENTX_ENOSPACE)
			agentx_write_rewind(w, mark);
		rc = serve_bulk_put(sv, w, head, rc, &count, i + 1);
	}
	rep0 = it;
	for (rep = 0; rep < p->p_max_repetitions && nrep > 0 && rc == 0;
	    rep++) {
		round = agentx_write_mark(w);
		it = rep0;
		if (rep > 0)
			agentx_iter_init_written(&pit, w, last, round);
		all_ended = true;
		for (i = 0; i < nrep && rc == 0; i++) {
			if (count >= AGENTX_SESS_BULK_MAX) {
				rc = 1;
				break;
			}
			if (agentx_iter_range(&it, r) != 1 || (rep > 0 &&
			    agentx_iter_varbind(&pit, prev) != 1)) {
				serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR, 0);
				return;
			}
			mark = agentx_write_mark(w);
			if (rep == 0) {
				ended = false;
				rc = serve_put_next(sv, ctx, w, &r->ar_start,
				    r->ar_include, &r->ar_end, &ended);
			} else {
				ended = prev->av_value.val_type ==
				    BER_ENDOFMIBVIEW;
				rc = serve_put_next(sv, ctx, w, &prev->av_name,
				    false, &r->ar_end, &ended);
			}
			if (rc == AGENTX_ENOSPACE)
				agentx_write_rewind(w, mark);
			all_ended = all_ended && ended;
			rc = serve_bulk_put(sv, w, head, rc, &count, n + i + 1);
		}
		if (all_ended)
			break;
		last = round;
	}
}

/* What a walk step continues from: its last SearchRange's start. */
static uint64_t
serve_cont(struct agentx_serve *sv, const struct agentx_pdu *p)
{
	struct agentx_iter it;
	uint64_t h = 0;

	agentx_iter_init(&it, p);
	while (agentx_iter_range(&it, &sv->sv_range) == 1)
		h = pin_oid_hash(&sv->sv_range.ar_start);
	return h;
}

void
agentx_serve(struct agentx_serve *sv, const struct agentx_pdu *p,
    struct agentx_writer *w, uint64_t now_ms)
{
	const struct agentx_sess_mib *sm = sv->sv_mib;
	const struct mib_ctx *ctx;
	size_t head = agentx_write_mark(w);
	bool walk = p->p_hdr.h_type != AGENTX_PDU_GET;

	if (head == SIZE_MAX)
		return;
	sv->sv_failed = sv->sv_answered = false;
	ctx = sm->sm_begin(sm->sm_arg, walk, walk ? serve_cont(sv, p) : 0,
	    now_ms);
	if (ctx == NULL) {
		serve_fail(sv, w, head, SNMP_ERRSTAT_GENERR, 0);
		return;
	}
	if (p->p_hdr.h_type == AGENTX_PDU_GETBULK)
		serve_bulk(sv, ctx, p, w, head);
	else
		serve_list(sv, ctx, p, w, head);
	if (walk && sv->sv_answered && !sv->sv_failed && sm->sm_end != NULL)
		sm->sm_end(sm->sm_arg, sv->sv_last);
}
