/*
 * engine: the agent's protocol engine.  One datagram in, at most one reply
 * out: decode (snmp/pdu.h), check version and community with its allow
 * list, or hand an SNMPv3 message to agent/v3.c (security) and serve the
 * ScopedPDU it decrypted, count every drop in the SNMPv2-MIB counter that
 * names it, answer GET, GETNEXT, GETBULK and SET (read-only) from the MIB
 * registry within the community's or user's view, and encode into the
 * caller's buffer.  Not here: sockets (loop.c), the OID data (mib_*.c),
 * refreshing /proc (the snap callback), USM (v3.c).  The request path
 * allocates nothing: the varbind array lives in struct engine, the
 * decrypted ScopedPDU in struct v3.
 *
 * Drop accounting (DESIGN.md "Protocol behaviour"):
 *  - every datagram: snmpInPkts;
 *  - malformed BER (including a community over 255 octets, which the
 *    codec refuses), GETBULK in a v1 message, and PDU types an agent does
 *    not serve (Response, Trap, Inform, Report): snmpInASNParseErrs.
 *    Those PDUs are counted rather than dropped unseen so that every drop
 *    shows in a counter; the check comes before the community check, as a
 *    v1 GETBULK is not even a PDU of RFC 1157's grammar;
 *  - msgVersion other than 0 or 1, or 3 without SNMPv3 users:
 *    snmpInBadVersions;
 *  - SNMPv3: what v3.c counts itself (usmStats, snmpMPDStats), and its
 *    parse errors (snmpInASNParseErrs) and answers that cannot fit
 *    (snmpSilentDrops);
 *  - unknown community, or a source outside its allow list:
 *    snmpInBadCommunityNames;
 *  - a reply that cannot fit even as an empty tooBig: snmpSilentDrops;
 *  - a reply over its source's reply budget: snmpSilentDrops and
 *    PROCTEL-MIB ptAgentReplyDrops.
 * A SET is answered (notWritable / noSuchName) and, in v1 and v2c, also
 * counted in snmpInBadCommunityUses: the operation is not allowed for any
 * community (RFC 3418's definition of that counter, which is about
 * communities: an SNMPv3 SET is answered notWritable and counted nowhere).
 *
 * Views (RFC 3415 sec. 3.2's isAccessAllowed, reduced to read views): an
 * OID outside the community's or user's view does not exist for it.  GET
 * answers noSuchObject (v1 noSuchName); GETNEXT and GETBULK go on at the
 * view's next subtree, and past its last one answer endOfMibView.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/budget.h"
#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/pin.h"
#include "agent/v3.h"
#include "agent/view.h"
#include "config/config.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "snmp/pdu.h"

/*
 * SNMPv1 GETNEXT skips Counter64 objects (RFC 3584 sec. 4.2.2.1), and
 * every GETNEXT what is outside its view; a long run of them (a Counter64
 * column) is skipped at most this many times before the varbind is
 * answered genErr, so no request can spin.
 */
#define ENGINE_SKIP_MAX			100000
/* engine_next(): the skip cap was reached (not a mib_result). */
#define ENGINE_ESKIPCAP			(-100)

struct engine {
	const struct mib		*e_mib;
	const struct cfg_agent		*e_conf;
	engine_snap_fn			 e_snap;
	void				*e_snap_arg;
	struct engine_counters		 e_counters;
	uint64_t			 e_start_ms;
	/* Per-request scratch, kept here so requests do not allocate. */
	struct snmp_varbind		 e_vbs[SNMP_MAX_VARBINDS];
	bool				 e_ended[SNMP_MAX_VARBINDS];
	struct oid			 e_found;
	struct oid			 e_skip;	/* v1 Counter64 skipping */
	struct snmp_reply		 e_reply;
	/* mib_ctx.mc_row_hint: kept across requests, as a walk spans them. */
	size_t				 e_row_hint;
	struct budget			*e_budget;
	struct pin_table		*e_pins;
	/* SNMPv3: NULL without users; snmpEngineTime counts from boot_ms. */
	struct v3			*e_v3;
	uint64_t			 e_v3_boot_ms;
};

/* What one request's handlers share. */
struct engine_req {
	struct engine		*rq_e;
	const struct snmp_msg	*rq_msg;
	const struct sockaddr	*rq_src;
	struct mib_ctx		 rq_ctx;
	uint8_t			*rq_out;
	size_t			 rq_outcap;
	size_t			 rq_max;	/* v3: the ScopedPDU's */
	bool			 rq_walk;	/* GETNEXT or GETBULK */
	uint64_t		 rq_last;	/* pin_oid_hash of the last answer */
	const struct cfg_view	*rq_view;	/* NULL: everything */
	int			 rq_cmdline;	/* mib_ctx.mc_expose_cmdline */
};

/* Served while no snapshot callback is set (tests, fuzzing). */
static const struct procfs_snapshot engine_empty_snap;

struct engine *
engine_new(const struct mib *mib, const struct cfg_agent *conf,
    engine_snap_fn snap, void *snap_arg)
{
	struct engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->e_budget = budget_new()) == NULL ||
	    (e->e_pins = pin_new()) == NULL) {
		engine_free(e);
		return NULL;
	}
	e->e_mib = mib;
	e->e_snap = snap;
	e->e_snap_arg = snap_arg;
	e->e_start_ms = clock_mono_ms();
	engine_set_conf(e, conf);
	return e;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	budget_free(e->e_budget);
	pin_free(e->e_pins);
	free(e);
}

void
engine_set_conf(struct engine *e, const struct cfg_agent *conf)
{
	e->e_conf = conf;
	if (conf != NULL)
		budget_configure(e->e_budget, conf->ca_reply_rate,
		    conf->ca_reply_burst, conf->ca_reply_exempt,
		    conf->ca_nreply_exempt);
}

void
engine_set_v3(struct engine *e, struct v3 *v, uint64_t boot_ms)
{
	e->e_v3 = v;
	e->e_v3_boot_ms = boot_ms;
}

const struct engine_counters *
engine_counters(const struct engine *e)
{
	return &e->e_counters;
}

void
engine_ctx(struct engine *e, struct mib_ctx *ctx, uint64_t gen, bool walk,
    uint64_t now_ms, size_t *row_hint)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->mc_now_ms = now_ms;
	ctx->mc_snap = e->e_snap != NULL ? e->e_snap(e->e_snap_arg, gen, walk,
	    now_ms) : NULL;
	if (ctx->mc_snap == NULL)
		ctx->mc_snap = &engine_empty_snap;
	ctx->mc_conf = e->e_conf;
	ctx->mc_counters = &e->e_counters;
	ctx->mc_start_ms = e->e_start_ms;
	ctx->mc_row_hint = row_hint;
	ctx->mc_v3 = e->e_v3;
	ctx->mc_v3_boot_ms = e->e_v3_boot_ms;
}

/*
 * The community entry that admits this request: configured, with src
 * inside its allow list, or NULL.  Several entries may share a name (with
 * different lists and views); the first that admits decides the view.
 */
static const struct cfg_community *
engine_authorized(const struct cfg_agent *conf, const struct snmp_msg *m,
    const struct sockaddr *src)
{
	const struct cfg_community *cc;
	size_t i, j;

	if (conf == NULL || src == NULL)
		return NULL;
	for (i = 0; i < conf->ca_ncommunities; i++) {
		cc = &conf->ca_communities[i];
		if (cc->cc_name == NULL ||
		    strlen(cc->cc_name) != m->m_community_len ||
		    memcmp(cc->cc_name, m->m_community,
		    m->m_community_len) != 0)
			continue;
		for (j = 0; j < cc->cc_nallow; j++)
			if (addr_cidr_match(&cc->cc_allow[j], src))
				return cc;
	}
	return NULL;
}

/* Why a datagram got no reply: debug only, and formatted only then. */
static void
engine_drop(const char *why, int err, const struct sockaddr *src)
{
	char buf[64];

	if (log_get_level() < LOG_LEVEL_DEBUG)
		return;
	log_debug("request from %s dropped: %s%s%s",
	    src != NULL ? addr_format(src, buf, sizeof(buf)) : "?", why,
	    err != 0 ? ": " : "", err != 0 ? snmp_strerror(err) : "");
}

static int
engine_reply_init(struct engine_req *rq)
{
	const struct snmp_msg *m = rq->rq_msg;

	if (m->m_version == SNMP_VERSION_3)
		return snmp_reply_init_scoped(&rq->rq_e->e_reply, rq->rq_out,
		    rq->rq_outcap, rq->rq_max, m->m_context_engine_id,
		    m->m_context_engine_id_len, m->m_context_name,
		    m->m_context_name_len, m->m_request_id);
	return snmp_reply_init(&rq->rq_e->e_reply, rq->rq_out, rq->rq_outcap,
	    rq->rq_max, m->m_version, m->m_community, m->m_community_len,
	    m->m_request_id);
}

/*
 * tooBig: v2c with an empty varbind list (RFC 3416 sec. 4.2.1); v1 as "the
 * GetResponse-PDU of identical form", the request's varbinds, error-index
 * zero (RFC 1157 sec. 4.1.2), or empty when even those do not fit.  When
 * not even the empty one fits, the request is dropped and counted in
 * snmpSilentDrops.
 */
static size_t
engine_toobig(struct engine_req *rq)
{
	struct engine *e = rq->rq_e;
	const uint8_t *msg;
	size_t len;

	if (rq->rq_msg->m_version == SNMP_VERSION_1 &&
	    engine_reply_init(rq) == 0 &&
	    snmp_reply_echo(&e->e_reply, rq->rq_msg) == 0 &&
	    snmp_reply_finish(&e->e_reply, SNMP_ERRSTAT_TOOBIG, 0, &msg,
	    &len) == 0)
		return len;
	if (engine_reply_init(rq) == 0 &&
	    snmp_reply_finish(&e->e_reply, SNMP_ERRSTAT_TOOBIG, 0, &msg,
	    &len) == 0)
		return len;
	e->e_counters.ec_silent_drops++;
	engine_drop("even an empty tooBig does not fit", 0, rq->rq_src);
	return 0;
}

/* Finish the varbinds added so far; tooBig when the error fields overflow. */
static size_t
engine_finish(struct engine_req *rq, int32_t status, int32_t index)
{
	const uint8_t *msg;
	size_t len;

	if (snmp_reply_finish(&rq->rq_e->e_reply, status, index, &msg,
	    &len) == 0)
		return len;
	return engine_toobig(rq);
}

/*
 * An error response carrying the request's own varbinds (RFC 3416 sec.
 * 4.2.1, RFC 1157 sec. 4.1.2).  When the request decoded only partially
 * (too many varbinds) there is nothing to echo, and tooBig is the answer.
 */
static size_t
engine_error(struct engine_req *rq, int32_t status, size_t index)
{
	if (engine_reply_init(rq) != 0 ||
	    snmp_reply_echo(&rq->rq_e->e_reply, rq->rq_msg) != 0)
		return engine_toobig(rq);
	return engine_finish(rq, status, (int32_t)index);
}

static void
engine_exception(struct snmp_value *v, uint8_t type)
{
	memset(v, 0, sizeof(*v));
	v->val_type = type;
}

/*
 * Add one answer to a GET or GETNEXT reply.  Returns 0, 1 when the reply
 * is full (answer tooBig) or -1 when the value cannot be encoded (genErr).
 */
static int
engine_add(struct engine_req *rq, const struct oid *name,
    const struct snmp_value *v)
{
	int rc;

	rc = snmp_reply_add(&rq->rq_e->e_reply, name, v);
	if (rc == 0) {
		if (rq->rq_walk)
			rq->rq_last = pin_oid_hash(name);
		return 0;
	}
	if (rc == SNMP_ENOFIT)
		return 1;
	log_debug("reply varbind cannot be encoded: %s", snmp_strerror(rc));
	return -1;
}

/*
 * The successor of `after` for this request: inside its view (else on at
 * the view's next subtree), and in v1 not a Counter64 (RFC 3584 sec.
 * 4.2.2.1).  Returns MIB_OK with e_found and *v, MIB_END, or
 * ENGINE_ESKIPCAP when the skip cap was reached.
 */
static int
engine_next(struct engine_req *rq, const struct oid *after,
    struct snmp_value *v)
{
	struct engine *e = rq->rq_e;
	bool v1 = rq->rq_msg->m_version == SNMP_VERSION_1, in;
	const struct oid *go;
	size_t skips;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = mib_next(e->e_mib, &rq->rq_ctx, after, &e->e_found, v);
	for (skips = 0; rc == MIB_OK; skips++) {
		in = view_has(rq->rq_view, &e->e_found);
		if (in && !(v1 && v->val_type == BER_COUNTER64))
			return MIB_OK;
		if (skips == ENGINE_SKIP_MAX)
			return ENGINE_ESKIPCAP;
		memset(v, 0, sizeof(*v));
		if (in) {
			/*
			 * mib_next's result is strictly greater, so this
			 * advances; `after` and `found` must not alias,
			 * hence the copy.
			 */
			e->e_skip = e->e_found;
		} else {
			if ((go = view_after(rq->rq_view, &e->e_found)) ==
			    NULL)
				return MIB_END;
			/* The subtree may itself be an instance. */
			e->e_skip = *go;
			if (mib_get(e->e_mib, &rq->rq_ctx, &e->e_skip, v) ==
			    MIB_OK) {
				e->e_found = e->e_skip;
				continue;
			}
			memset(v, 0, sizeof(*v));
		}
		rc = mib_next(e->e_mib, &rq->rq_ctx, &e->e_skip, &e->e_found,
		    v);
	}
	return rc;
}

/*
 * One GET or GETNEXT varbind: 0 with the answer's *name and *v, or the
 * error-status the whole request is to be answered with.  v2c answers a
 * miss with an exception in the varbind (RFC 3416 sec. 4.2.1, 4.2.2); v1
 * has none, so a miss, or a Counter64 it cannot carry (RFC 3584 sec.
 * 4.2.2.1), is noSuchName (RFC 1157 sec. 4.1.2, 4.1.3).
 */
static int
engine_lookup(struct engine_req *rq, const struct oid *asked, bool next,
    const struct oid **name, struct snmp_value *v)
{
	bool v1 = rq->rq_msg->m_version == SNMP_VERSION_1;
	int rc;

	*name = asked;
	if (next) {
		rc = engine_next(rq, asked, v);
		if (rc == MIB_OK) {
			*name = &rq->rq_e->e_found;
			return 0;
		}
		if (rc == ENGINE_ESKIPCAP)
			return SNMP_ERRSTAT_GENERR;
		if (v1)
			return SNMP_ERRSTAT_NOSUCHNAME;
		engine_exception(v, BER_ENDOFMIBVIEW);
		return 0;
	}
	memset(v, 0, sizeof(*v));
	rc = view_has(rq->rq_view, asked) ?
	    mib_get(rq->rq_e->e_mib, &rq->rq_ctx, asked, v) : MIB_NOSUCHOBJECT;
	if (v1)
		return rc != MIB_OK || v->val_type == BER_COUNTER64 ?
		    SNMP_ERRSTAT_NOSUCHNAME : 0;
	if (rc == MIB_NOSUCHOBJECT)
		engine_exception(v, BER_NOSUCHOBJECT);
	else if (rc != MIB_OK)
		engine_exception(v, BER_NOSUCHINSTANCE);
	return 0;
}

/* GET or GETNEXT: every varbind answered, or the request fails whole. */
static size_t
engine_get_or_next(struct engine_req *rq, bool next)
{
	const struct snmp_msg *m = rq->rq_msg;
	const struct oid *name;
	struct snmp_value v;
	size_t i;
	int status;

	if (engine_reply_init(rq) != 0)
		return engine_toobig(rq);
	for (i = 0; i < m->m_nvbs; i++) {
		status = engine_lookup(rq, &m->m_vbs[i].vb_oid, next, &name,
		    &v);
		if (status == 0) {
			status = engine_add(rq, name, &v);
			if (status == 1)
				return engine_toobig(rq);
			if (status == -1)
				status = SNMP_ERRSTAT_GENERR;
		}
		if (status != 0)
			return engine_error(rq, status, i + 1);
	}
	return engine_finish(rq, SNMP_ERRSTAT_NOERROR, 0);
}

/*
 * One GETBULK lookup for request varbind i: the successor of its cursor,
 * or endOfMibView named by the cursor once the view is exhausted (RFC 3416
 * sec. 4.2.3).  The cursor is the request's own varbind, overwritten as
 * the repetitions advance (the echo path reads the raw request bytes, not
 * this array).  Returns 0, 1 when the reply is full, -1 on genErr.
 */
static int
engine_bulk_one(struct engine_req *rq, size_t i, bool *ended)
{
	struct engine *e = rq->rq_e;
	struct oid *cur = &rq->rq_msg->m_vbs[i].vb_oid;
	struct snmp_value v;
	int rc;

	if (!e->e_ended[i]) {
		rc = engine_next(rq, cur, &v);
		if (rc == MIB_OK) {
			rc = engine_add(rq, &e->e_found, &v);
			if (rc == 0) {
				/* Only the sub-ids in use, not 520 octets. */
				(void)oid_set(cur, e->e_found.o_id,
				    e->e_found.o_len);
				*ended = false;
			}
			return rc;
		}
		e->e_ended[i] = true;
	}
	engine_exception(&v, BER_ENDOFMIBVIEW);
	return engine_add(rq, cur, &v);
}

/*
 * GETBULK, RFC 3416 sec. 4.2.3: N non-repeaters, then up to M rounds over
 * the R repeaters.  The reply is cut varbind by varbind where the message
 * size ends, or at max_bulk_varbinds (as snmpd's maxGetbulkResponses; it
 * bounds both a request's cost and a forged request's amplification);
 * only when not even the first varbind fits is it tooBig.  The rounds stop
 * early once every repeater is at endOfMibView.
 */
static size_t
engine_getbulk(struct engine_req *rq)
{
	struct engine *e = rq->rq_e;
	const struct snmp_msg *m = rq->rq_msg;
	size_t cap = e->e_conf->ca_max_bulk_varbinds;
	size_t n, i, rep, reps, total = 0;
	bool ended;
	int rc = 0;

	if (engine_reply_init(rq) != 0)
		return engine_toobig(rq);
	/* Negative values count as zero (RFC 3416 sec. 4.2.3). */
	n = m->m_error_status < 0 ? 0 : (size_t)m->m_error_status;
	if (n > m->m_nvbs)
		n = m->m_nvbs;
	reps = m->m_error_index < 0 ? 0 : (size_t)m->m_error_index;
	if (n == m->m_nvbs)
		reps = 0;
	memset(e->e_ended, 0, sizeof(e->e_ended));
	for (i = 0; i < n && rc == 0; i++, total++) {
		ended = true;
		rc = total >= cap ? 1 : engine_bulk_one(rq, i, &ended);
	}
	for (rep = 0; rep < reps && rc == 0; rep++) {
		ended = true;
		for (i = n; i < m->m_nvbs && rc == 0; i++, total++) {
			if (total >= cap)
				rc = 1;
			else
				rc = engine_bulk_one(rq, i, &ended);
		}
		if (ended)
			break;
	}
	/* The loops stepped i past the failing varbind: its 1-based index. */
	if (rc == -1)
		return engine_error(rq, SNMP_ERRSTAT_GENERR, i);
	if (rc == 1 && snmp_reply_count(&e->e_reply) == 0)
		return engine_toobig(rq);
	return engine_finish(rq, SNMP_ERRSTAT_NOERROR, 0);
}

/* The agent is read-only: RFC 3416 sec. 4.2.5 notWritable, v1 noSuchName. */
static size_t
engine_set(struct engine_req *rq)
{
	const struct snmp_msg *m = rq->rq_msg;

	if (m->m_version != SNMP_VERSION_3)
		rq->rq_e->e_counters.ec_in_bad_community_uses++;
	if (m->m_nvbs == 0) {
		if (engine_reply_init(rq) != 0)
			return engine_toobig(rq);
		return engine_finish(rq, SNMP_ERRSTAT_NOERROR, 0);
	}
	return engine_error(rq, m->m_version == SNMP_VERSION_1 ?
	    SNMP_ERRSTAT_NOSUCHNAME : SNMP_ERRSTAT_NOTWRITABLE, 1);
}

static bool
engine_pdu_served(const struct snmp_msg *m)
{
	switch (m->m_pdu_type) {
	case SNMP_PDU_GET:
	case SNMP_PDU_GETNEXT:
	case SNMP_PDU_SET:
		return true;
	case SNMP_PDU_GETBULK:
		return m->m_version == SNMP_VERSION_2C;
	default:
		return false;
	}
}

/*
 * The snapshot for this request: a GETNEXT or GETBULK that continues a
 * walk (its last varbind is what this source was last answered) asks for
 * the snapshot the walk is on, so a walk spanning a refresh is not torn.
 */
static void
engine_pick_snapshot(struct engine_req *rq)
{
	struct engine *e = rq->rq_e;
	const struct snmp_msg *m = rq->rq_msg;
	uint64_t gen = 0;

	rq->rq_walk = m->m_pdu_type == SNMP_PDU_GETNEXT ||
	    m->m_pdu_type == SNMP_PDU_GETBULK;
	if (rq->rq_walk && m->m_nvbs > 0)
		gen = pin_find(e->e_pins, rq->rq_src,
		    pin_oid_hash(&m->m_vbs[m->m_nvbs - 1].vb_oid));
	engine_ctx(e, &rq->rq_ctx, gen, rq->rq_walk, clock_mono_ms(),
	    &e->e_row_hint);
}

/* A reply of len octets, or 0 when it would overdraw its source's budget. */
static size_t
engine_budget(struct engine_req *rq, size_t len)
{
	struct engine *e = rq->rq_e;

	if (len == 0 || budget_take(e->e_budget, rq->rq_src, len,
	    clock_mono_ns()))
		return len;
	e->e_counters.ec_budget_drops++;
	e->e_counters.ec_silent_drops++;
	engine_drop("reply over the source's reply budget", 0, rq->rq_src);
	return 0;
}

/*
 * Answer the decoded request rq->rq_msg from the MIB: the snapshot, the
 * handler of its PDU type.  Returns the reply's length (a whole message,
 * or in v3 the ScopedPDU) or 0 (counted).
 */
static size_t
engine_serve(struct engine_req *rq)
{
	engine_pick_snapshot(rq);
	rq->rq_ctx.mc_expose_cmdline = rq->rq_cmdline;

	switch (rq->rq_msg->m_pdu_type) {
	case SNMP_PDU_GET:
	case SNMP_PDU_GETNEXT:
		return engine_get_or_next(rq,
		    rq->rq_msg->m_pdu_type == SNMP_PDU_GETNEXT);
	case SNMP_PDU_GETBULK:
		return engine_getbulk(rq);
	default:
		return engine_set(rq);
	}
}

/* The budget, then the walk's snapshot noted for its next request. */
static size_t
engine_sent(struct engine_req *rq, size_t len)
{
	struct engine *e = rq->rq_e;

	len = engine_budget(rq, len);
	if (len > 0 && rq->rq_walk)
		pin_note(e->e_pins, rq->rq_src, rq->rq_ctx.mc_snap->ps_gen,
		    rq->rq_last);
	return len;
}

static void
engine_req_init(struct engine_req *rq, struct engine *e,
    const struct snmp_msg *m, const struct sockaddr *src, uint8_t *out,
    size_t outcap)
{
	memset(rq, 0, sizeof(*rq));
	rq->rq_e = e;
	rq->rq_msg = m;
	rq->rq_src = src;
	rq->rq_out = out;
	rq->rq_outcap = outcap;
	rq->rq_max = e->e_conf->ca_max_message_size;
	if (rq->rq_max == 0 || rq->rq_max > outcap)
		rq->rq_max = outcap;
}

/* snmpEngineTime: seconds since snmpEngineBoots was raised. */
static uint32_t
engine_v3_time(const struct engine *e)
{
	uint64_t now = clock_mono_ms();

	return now > e->e_v3_boot_ms ?
	    (uint32_t)((now - e->e_v3_boot_ms) / 1000) : 0;
}

/*
 * An SNMPv3 message: v3.c decides (and counts) what its security earns;
 * a request it lets through is served as a v2c one would be, within its
 * user's view, and wrapped at the request's security level.  Every
 * message of ours, Reports included, is at most max_message_size long
 * and drawn from the source's reply budget.
 */
static size_t
engine_v3(struct engine *e, const uint8_t *req, size_t reqlen,
    const struct sockaddr *src, uint8_t *out, size_t outcap)
{
	const struct cfg_user *u;
	struct engine_req rq;
	struct snmp_msg m;
	struct v3_txn t;
	size_t len, outlen;
	uint32_t now = engine_v3_time(e);

	engine_req_init(&rq, e, &m, src, out, outcap);
	/* Reports and Responses alike: never past max_message_size. */
	rq.rq_outcap = rq.rq_max;
	switch (v3_receive(e->e_v3, req, reqlen, now, &m, e->e_vbs,
	    SNMP_MAX_VARBINDS, &t, out, rq.rq_outcap, &outlen)) {
	case V3_DISPATCH:
		break;
	case V3_SEND:
		return engine_budget(&rq, outlen);
	case V3_DROP_PARSE:
		e->e_counters.ec_in_asn_parse_errs++;
		engine_drop("SNMPv3 message", 0, src);
		return 0;
	case V3_DROP_NOFIT:
		e->e_counters.ec_silent_drops++;
		engine_drop("SNMPv3 answer does not fit", 0, src);
		return 0;
	default:
		engine_drop("SNMPv3 security", 0, src);
		return 0;
	}
	/* v3_set_users and engine_set_conf are given the same users. */
	if (t.t_user >= e->e_conf->ca_nusers) {
		e->e_counters.ec_silent_drops++;
		return 0;
	}
	u = &e->e_conf->ca_users[t.t_user];
	rq.rq_view = &u->cu_view;
	rq.rq_cmdline = u->cu_expose_cmdline < 0 ? 0 :
	    u->cu_expose_cmdline > 0 ? 1 : -1;
	rq.rq_max = t.t_scoped_max;
	if (t.t_decode == SNMP_ETOOMANY) {
		engine_drop("too many varbinds, tooBig", t.t_decode, src);
		len = engine_toobig(&rq);
	} else
		len = engine_serve(&rq);
	if (len == 0)
		return 0;
	if (v3_respond(e->e_v3, &t, now, out, rq.rq_outcap, len, &outlen) !=
	    V3_SEND) {
		e->e_counters.ec_silent_drops++;
		engine_drop("SNMPv3 response does not fit", 0, src);
		return 0;
	}
	return engine_sent(&rq, outlen);
}

size_t
engine_handle(struct engine *e, const uint8_t *req, size_t reqlen,
    const struct sockaddr *src, uint8_t *out, size_t outcap)
{
	const struct cfg_community *cc;
	struct snmp_msg m;
	struct engine_req rq;
	int rc;

	e->e_counters.ec_in_pkts++;
	memset(&m, 0, sizeof(m));
	rc = snmp_msg_decode(req, reqlen, &m, e->e_vbs, SNMP_MAX_VARBINDS);
	if (rc == SNMP_EV3 && e->e_v3 != NULL && e->e_conf != NULL)
		return engine_v3(e, req, reqlen, src, out, outcap);
	if (rc == SNMP_EV3 || rc == SNMP_EVERSION) {
		e->e_counters.ec_in_bad_versions++;
		engine_drop("version", rc, src);
		return 0;
	}
	/* SNMP_ETOOMANY: well-formed, but too long; answered tooBig below. */
	if (rc != 0 && rc != SNMP_ETOOMANY) {
		e->e_counters.ec_in_asn_parse_errs++;
		engine_drop("decode", rc, src);
		return 0;
	}
	if (!engine_pdu_served(&m)) {
		e->e_counters.ec_in_asn_parse_errs++;
		engine_drop("PDU type not served", 0, src);
		return 0;
	}
	if ((cc = engine_authorized(e->e_conf, &m, src)) == NULL) {
		e->e_counters.ec_in_bad_community_names++;
		engine_drop("community or source not allowed", 0, src);
		return 0;
	}

	engine_req_init(&rq, e, &m, src, out, outcap);
	rq.rq_view = &cc->cc_view;
	if (rc == SNMP_ETOOMANY) {
		engine_drop("too many varbinds, tooBig", rc, src);
		return engine_budget(&rq, engine_toobig(&rq));
	}
	return engine_sent(&rq, engine_serve(&rq));
}
