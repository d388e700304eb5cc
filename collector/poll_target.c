/*
 * poll_target: the per-target state machine of the poll engine (see
 * poll.h), after /work/shared/notes/net-snmp.md "approach 1": the v3
 * engineID probe, GETs of up to POLL_VARBINDS_MAX varbinds, table walks,
 * the retries and the finish of each target.  It does not set the engine
 * up (poll_engine.c), wait for events (poll_loop.c), format output
 * (sinks), draw progress (run.c) or group rows (walk.c).
 *
 * Why we retry ourselves: net-snmp retransmits with the same timeout each
 * time; we want exponential backoff and the attempt count.  Sessions get
 * retries = 0 and the attempt's timeout; when our timer fires we let
 * snmp_sess_timeout() drop the library's copy and send a new request; a
 * reply to a dropped attempt matches nothing in net-snmp, which counts it
 * (snmpUnknownPDUHandlers, added to our late replies).  The callback's
 * magic carries a generation number per logical request, so a callback
 * for an earlier one is counted as late and ignored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/poll_int.h"
#include "collector/sched.h"
#include "lib/clock.h"
#include "lib/log.h"

static void	poll_step(struct poll_engine *, uint32_t);
static int	poll_cb(int, netsnmp_session *, int, netsnmp_pdu *, void *);
static void	poll_set_err(struct poll_engine *, uint32_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

uint32_t
poll_next_timeout(uint32_t prev_ms)
{
	/* A timeout_ms past the cap keeps its length, never shrinks. */
	if (prev_ms >= POLL_TIMEOUT_MAX_MS / 2)
		return prev_ms > POLL_TIMEOUT_MAX_MS ? prev_ms :
		    POLL_TIMEOUT_MAX_MS;
	return prev_ms * 2;
}

/* Build the PDU of the current logical request; NULL on ENOMEM. */
static netsnmp_pdu *
poll_build(struct poll_engine *pe, uint32_t tid)
{
	struct ptgt *t = &pe->pe_t[tid];
	const struct cfg_collector *cc = pe->pe_cc;
	netsnmp_pdu *pdu;
	size_t hi;

	switch (t->pt_phase) {
	case PH_PROBE:
		/* Notes section 4: an empty noAuth GET as user "". */
		if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
			return NULL;
		pdu->version = SNMP_VERSION_3;
		pdu->securityNameLen = 0;
		pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
		pdu->securityModel = SNMP_SEC_MODEL_USM;
		if ((pdu->securityName = strdup("")) == NULL) {
			snmp_free_pdu(pdu);
			return NULL;
		}
		return pdu;
	case PH_GET:
		pdu = walk_get_request(cc->cc_metrics, cc->cc_nmetrics,
		    pe->pe_samples[tid].sa_values, t->pt_mlo, t->pt_chunk, &hi);
		t->pt_mhi = (uint32_t)hi;
		return pdu;
	case PH_WALK:
		return walk_request(&pe->pe_walks[t->pt_slot],
		    pe->pe_tl->tl_targets[tid]->ct_opts.to_version == CFG_V1,
		    t->pt_reps);
	default:
		return NULL;
	}
}

/*
 * Send the current logical request: a new one (retry false: new
 * generation, first attempt, base timeout) or the next attempt of it
 * (doubled timeout).
 */
static void
poll_send(struct poll_engine *pe, uint32_t tid, bool retry)
{
	struct ptgt *t = &pe->pe_t[tid];
	const struct cfg_target_opts *to =
	    &pe->pe_tl->tl_targets[tid]->ct_opts;
	netsnmp_session *sp = snmp_sess_session(t->pt_sess);
	netsnmp_pdu *pdu;
	uintptr_t magic;
	uint64_t now;

	if (!retry) {
		t->pt_gen++;
		t->pt_attempt = 1;
		t->pt_timeout_ms = to->to_timeout_ms;
		/* A probe's SEC_ERROR must not make a later timeout an error. */
		t->pt_err = NULL;
	} else {
		t->pt_attempt++;
		t->pt_timeout_ms = poll_next_timeout(t->pt_timeout_ms);
		pe->pe_stats.ps_retries++;
	}
	/* The most attempts any request of this poll took, probe included. */
	if (t->pt_attempt > pe->pe_samples[tid].sa_attempts)
		pe->pe_samples[tid].sa_attempts = t->pt_attempt;
	t->pt_pending = true;
	if ((pdu = poll_build(pe, tid)) == NULL) {
		pe->pe_nomem = true;
		poll_finish(pe, tid, SAMPLE_ERROR, "out of memory");
		return;
	}
	sp->timeout = (long)t->pt_timeout_ms * 1000L;
	magic = ((uintptr_t)t->pt_gen << 32) | tid;
	if (t->pt_t_first == 0)
		t->pt_t_first = clock_mono_ns();
	pe->pe_stats.ps_requests++;
	if (snmp_sess_async_send(t->pt_sess, pdu, poll_cb, (void *)magic) == 0) {
		/* Counted as a lost attempt: the timer retries it. */
		log_debug("target %s: send failed: %s", poll_name(pe, tid),
		    snmp_api_errstring(sp->s_snmp_errno));
		snmp_free_pdu(pdu);
	}
	now = clock_mono_ns();
	/* 1 ms past net-snmp's own expiry so snmp_sess_timeout drops it. */
	sched_set(pe->pe_sched, tid, now + (uint64_t)t->pt_timeout_ms *
	    1000000ULL + 1000000ULL);
}

static void
poll_set_err(struct poll_engine *pe, uint32_t tid, const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	pe->pe_t[tid].pt_err = run_arena_strndup(pe->pe_arena, buf,
	    strlen(buf));
}

/* The bytes tid may still take: the least of its own and the run's rest. */
static size_t
poll_allowance(const struct poll_engine *pe, uint32_t tid, bool *by_run)
{
	size_t used = pe->pe_t[tid].pt_bytes, mine, run;

	mine = used < pe->pe_max_target ? pe->pe_max_target - used : 0;
	run = pe->pe_bytes < pe->pe_max_run ? pe->pe_max_run - pe->pe_bytes : 0;
	if (by_run != NULL)
		*by_run = run < mine;
	return run < mine ? run : mine;
}

static void
poll_charge(struct poll_engine *pe, uint32_t tid, size_t n)
{
	pe->pe_t[tid].pt_bytes += n;
	pe->pe_bytes += n;
}

/*
 * tid's next values would pass a byte budget: it keeps what it has, is
 * marked with the budget that cut it, and finishes.  `table` names the
 * table being walked, or is NULL.
 */
static void
poll_cut(struct poll_engine *pe, uint32_t tid, const char *table)
{
	struct ptgt *t = &pe->pe_t[tid];
	bool by_run;

	(void)poll_allowance(pe, tid, &by_run);
	if (by_run)
		poll_set_err(pe, tid, "%s%s%sresult cut: the run reached "
		    "max_run_mb (%zu MiB)", table != NULL ? "table " : "",
		    table != NULL ? table : "", table != NULL ? ": " : "",
		    pe->pe_max_run >> 20);
	else
		poll_set_err(pe, tid, "%s%s%sresult cut at max_target_mb "
		    "(%zu MiB)", table != NULL ? "table " : "",
		    table != NULL ? table : "", table != NULL ? ": " : "",
		    pe->pe_max_target >> 20);
	log_debug("target %s: %s", poll_name(pe, tid), t->pt_err != NULL ?
	    t->pt_err : "result cut");
	pe->pe_stats.ps_cut++;
	t->pt_status = SAMPLE_ERROR;
	t->pt_next = NX_FINISH;
}

static void
poll_get_reply(struct poll_engine *pe, uint32_t tid, netsnmp_pdu *pdu)
{
	struct ptgt *t = &pe->pe_t[tid];
	size_t before = run_arena_used(pe->pe_arena);
	char why[256];

	why[0] = '\0';
	switch (walk_get_reply(pdu, pe->pe_cc->cc_metrics,
	    pe->pe_samples[tid].sa_values, t->pt_mlo, t->pt_mhi, &t->pt_chunk,
	    pe->pe_arena, poll_allowance(pe, tid, NULL), why, sizeof(why))) {
	case WALK_GET_DONE:
		t->pt_mlo = t->pt_mhi;
		t->pt_next = NX_STEP;
		break;
	case WALK_GET_AGAIN:
		t->pt_next = NX_STEP;
		break;
	case WALK_GET_BUDGET:
		poll_cut(pe, tid, NULL);
		break;
	case WALK_GET_NOMEM:
		pe->pe_nomem = true;
		poll_set_err(pe, tid, "out of memory");
		t->pt_status = SAMPLE_ERROR;
		t->pt_next = NX_FINISH;
		break;
	case WALK_GET_ERROR:
		poll_set_err(pe, tid, "%s", why);
		t->pt_status = SAMPLE_ERROR;
		t->pt_next = NX_FINISH;
		break;
	}
	poll_charge(pe, tid, run_arena_used(pe->pe_arena) - before);
}

static void
poll_walk_reply(struct poll_engine *pe, uint32_t tid, netsnmp_pdu *pdu)
{
	struct ptgt *t = &pe->pe_t[tid];
	struct walk *w = &pe->pe_walks[t->pt_slot];
	const struct cfg_collector *cc = pe->pe_cc;
	const char *name = cc->cc_tables[t->pt_table].ct_name;
	enum walk_status st;
	size_t before;
	char why[128];

	t->pt_next = NX_STEP;
	why[0] = '\0';
	walk_allow(w, poll_allowance(pe, tid, NULL));
	before = walk_bytes(w);
	st = walk_reply(w, pdu, &t->pt_reps, pe->pe_arena, why, sizeof(why));
	/* What walk_build() takes later was reserved in walk_bytes(). */
	poll_charge(pe, tid, walk_bytes(w) - before);
	if (st == WALK_MORE)
		return;
	if (st == WALK_ERR_PDU || st == WALK_ERR_NOMEM) {
		pe->pe_nomem = st == WALK_ERR_NOMEM;
		poll_set_err(pe, tid, "table %s: %s", name,
		    st == WALK_ERR_PDU ? why : walk_status_str(st));
		t->pt_status = SAMPLE_ERROR;
		t->pt_next = NX_FINISH;
		return;
	}
	if (st == WALK_END_LOOP || st == WALK_END_EMPTY ||
	    st == WALK_END_BADOID)
		log_debug("target %s table %s: walk stopped: %s",
		    poll_name(pe, tid), name, walk_status_str(st));
	/* A cut table keeps the rows it had, as a cut result does. */
	if (walk_build(w, name, pe->pe_arena,
	    &pe->pe_samples[tid].sa_tables[t->pt_table]) == -1)
		pe->pe_nomem = true;
	if (st == WALK_END_BUDGET) {
		poll_cut(pe, tid, name);
		return;
	}
	if (st == WALK_END_COLUMNS) {
		poll_set_err(pe, tid, "table %s: result cut after %d columns, "
		    "more than any table has", name, WALK_MAX_COLUMNS);
		pe->pe_stats.ps_cut++;
		t->pt_status = SAMPLE_ERROR;
		t->pt_next = NX_FINISH;
		return;
	}
	t->pt_reps = POLL_BULK_REPS;
	if (++t->pt_table < cc->cc_ntables)
		walk_begin(w, &pe->pe_entries[t->pt_table],
		    cc->cc_tables[t->pt_table].ct_max_rows);
}

static void
poll_v3_forget(struct ptgt *t)
{
	if (t->pt_v3_ready)
		poll_sess_v3_forget(t->pt_sess);
	t->pt_v3_ready = false;
}

static int
poll_cb(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct poll_engine *pe = poll_active;
	uintptr_t m = (uintptr_t)magic;
	uint32_t tid = (uint32_t)(m & 0xffffffffu);
	uint32_t gen = (uint32_t)(m >> 32);
	struct ptgt *t;
	int rt;

	(void)reqid;
	/* RESEND is a retransmission, never a completion (notes sec. 1). */
	if (op == NETSNMP_CALLBACK_OP_RESEND || pe == NULL || tid >= pe->pe_n)
		return 1;
	t = &pe->pe_t[tid];
	if (gen != t->pt_gen || !t->pt_pending || t->pt_next != NX_NONE) {
		if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
			pe->pe_stats.ps_late++;
		return 1;
	}
	if (op == NETSNMP_CALLBACK_OP_SEC_ERROR) {
		poll_set_err(pe, tid, "SNMPv3: %s", sp->s_snmp_errno != 0 ?
		    snmp_api_errstring(sp->s_snmp_errno) :
		    "security error in the reply");
		return 1;
	}
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL)
		return 1;	/* TIMED_OUT, SEND_FAILED: our timer decides */
	if (pdu->command == SNMP_MSG_REPORT) {
		rt = snmpv3_get_report_type(pdu);
		if (t->pt_phase == PH_PROBE && pdu->securityEngineIDLen > 0) {
			/* The library copies the engineID after we return. */
		} else if (rt == SNMPERR_NOT_IN_TIME_WINDOW) {
			return 1;	/* the library sends it again */
		} else {
			/* The library copies the new engineID from it. */
			if (rt == SNMPERR_UNKNOWN_ENG_ID)
				poll_v3_forget(t);
			poll_set_err(pe, tid, "SNMPv3 report: %s",
			    snmp_api_errstring(rt));
			t->pt_status = SAMPLE_ERROR;
			t->pt_next = NX_FINISH;
			goto done;
		}
	} else if (pdu->command != SNMP_MSG_RESPONSE)
		return 1;
	switch (t->pt_phase) {
	case PH_PROBE:
		/* Only a Report carries a usable engineID (RFC 3414 4). */
		if (pdu->command == SNMP_MSG_REPORT)
			t->pt_next = NX_STEP;
		else {
			poll_set_err(pe, tid, "SNMPv3: engineID discovery "
			    "got no Report");
			t->pt_status = SAMPLE_ERROR;
			t->pt_next = NX_FINISH;
		}
		break;
	case PH_GET:
		poll_get_reply(pe, tid, pdu);
		break;
	case PH_WALK:
		poll_walk_reply(pe, tid, pdu);
		break;
	default:
		break;
	}
done:
	t->pt_t_last = clock_mono_ns();
	t->pt_pending = false;
	sched_cancel(pe->pe_sched, tid);
	return 1;
}

/* Decide and send the next request, or finish the target. */
static void
poll_step(struct poll_engine *pe, uint32_t tid)
{
	struct ptgt *t = &pe->pe_t[tid];
	const struct cfg_collector *cc = pe->pe_cc;
	struct sample *sa = &pe->pe_samples[tid];
	netsnmp_session *sp;
	uint32_t other;
	size_t i;
	int rc;

	t->pt_next = NX_NONE;
	for (;;) {
		switch (t->pt_phase) {
		case PH_PROBE:
			sp = snmp_sess_session(t->pt_sess);
			if (!t->pt_v3_ready && sp->securityEngineIDLen > 0) {
				rc = poll_sess_v3_user(pe->pe_v3reg, t->pt_sess,
				    tid, &other);
				if (rc == -2) {
					poll_set_err(pe, tid, "SNMPv3: target %s "
					    "has this engineID and user with "
					    "other credentials",
					    poll_name(pe, other));
					poll_finish(pe, tid, SAMPLE_ERROR, NULL);
					return;
				}
				if (rc == -1) {
					poll_finish(pe, tid, SAMPLE_ERROR,
					    "SNMPv3: cannot create the USM user");
					return;
				}
				t->pt_v3_ready = true;
			}
			if (!t->pt_v3_ready) {
				poll_send(pe, tid, false);
				return;
			}
			t->pt_phase = PH_GET;
			break;
		case PH_GET:
			for (i = t->pt_mlo; i < cc->cc_nmetrics; i++)
				if (sa->sa_values[i].sv_name == NULL)
					break;
			t->pt_mlo = (uint32_t)i;
			if (i < cc->cc_nmetrics) {
				poll_send(pe, tid, false);
				return;
			}
			t->pt_phase = PH_WALK;
			t->pt_table = 0;
			if (cc->cc_ntables > 0)
				walk_begin(&pe->pe_walks[t->pt_slot],
				    &pe->pe_entries[0], cc->cc_tables[0].ct_max_rows);
			break;
		case PH_WALK:
			if (t->pt_table < cc->cc_ntables) {
				poll_send(pe, tid, false);
				return;
			}
			poll_finish(pe, tid, SAMPLE_OK, NULL);
			return;
		default:
			return;
		}
	}
}

void
poll_start(struct poll_engine *pe, uint32_t tid)
{
	struct ptgt *t = &pe->pe_t[tid];
	struct sample *sa = &pe->pe_samples[tid];
	const struct cfg_collector *cc = pe->pe_cc;
	size_t i, before = run_arena_used(pe->pe_arena);

	t->pt_slot = pe->pe_free[--pe->pe_nfree];
	/* Out of PH_WAIT first: poll_finish() gives the slot back. */
	t->pt_phase = pe->pe_tl->tl_targets[tid]->ct_opts.to_version ==
	    CFG_V3 ? PH_PROBE : PH_GET;
	sa->sa_values = run_arena_calloc(pe->pe_arena, cc->cc_nmetrics,
	    sizeof(*sa->sa_values));
	sa->sa_tables = run_arena_calloc(pe->pe_arena, cc->cc_ntables,
	    sizeof(*sa->sa_tables));
	if ((cc->cc_nmetrics > 0 && sa->sa_values == NULL) ||
	    (cc->cc_ntables > 0 && sa->sa_tables == NULL)) {
		pe->pe_nomem = true;
		poll_finish(pe, tid, SAMPLE_ERROR, "out of memory");
		return;
	}
	for (i = 0; i < cc->cc_ntables; i++)
		sa->sa_tables[i].st_name = cc->cc_tables[i].ct_name;
	sa->sa_ntables = cc->cc_ntables;
	poll_charge(pe, tid, run_arena_used(pe->pe_arena) - before);
	poll_step(pe, tid);
}

void
poll_finish(struct poll_engine *pe, uint32_t tid, enum sample_status st,
    const char *msg)
{
	struct ptgt *t = &pe->pe_t[tid];
	struct sample *sa = &pe->pe_samples[tid];
	uint64_t end;
	size_t i, j;
	bool had_slot = t->pt_phase != PH_WAIT;

	if (t->pt_phase == PH_DONE)
		return;
	sched_cancel(pe->pe_sched, tid);
	end = t->pt_t_last != 0 ? t->pt_t_last : clock_mono_ns();
	if (st != SAMPLE_OK && t->pt_t_first != 0)
		end = clock_mono_ns();
	t->pt_phase = PH_DONE;
	t->pt_pending = false;
	t->pt_next = NX_NONE;
	sa->sa_status = st;
	if (st != SAMPLE_OK)
		sa->sa_error = msg != NULL ? msg : t->pt_err;
	sa->sa_latency_ms = t->pt_t_first != 0 && end > t->pt_t_first ?
	    (double)(end - t->pt_t_first) / 1e6 : 0.0;
	/* Keep the metrics answered, in configuration order. */
	for (i = j = 0; sa->sa_values != NULL && i < pe->pe_cc->cc_nmetrics;
	    i++) {
		if (sa->sa_values[i].sv_name == NULL ||
		    sa->sa_values[i].sv_kind == SV_ABSENT)
			continue;
		if (i != j)
			sa->sa_values[j] = sa->sa_values[i];
		j++;
	}
	sa->sa_nvalues = j;
	pe->pe_done++;
	if (st == SAMPLE_OK)
		pe->pe_ok++;
	else if (st == SAMPLE_TIMEOUT)
		pe->pe_timeout++;
	else
		pe->pe_error++;
	if (st != SAMPLE_OK)
		log_debug("target %s: %s%s%s", poll_name(pe, tid),
		    st == SAMPLE_TIMEOUT ? "timeout" : "error",
		    sa->sa_error ? ": " : "", sa->sa_error ? sa->sa_error : "");
	if (had_slot)
		pe->pe_free[pe->pe_nfree++] = t->pt_slot;
}

/* Our timer for tid's current attempt fired. */
void
poll_timer(struct poll_engine *pe, uint32_t tid)
{
	struct ptgt *t = &pe->pe_t[tid];
	const struct cfg_target_opts *to =
	    &pe->pe_tl->tl_targets[tid]->ct_opts;
	char buf[96];

	/* Lets net-snmp drop its copy; its TIMED_OUT callback is ignored. */
	snmp_sess_timeout(t->pt_sess);
	if (!t->pt_pending || t->pt_phase == PH_DONE)
		return;
	if (t->pt_attempt <= to->to_retries) {
		poll_send(pe, tid, true);
		return;
	}
	if (t->pt_err != NULL && !t->pt_refused) {
		poll_finish(pe, tid, SAMPLE_ERROR, NULL);
		return;
	}
	poll_v3_forget(t);
	(void)snprintf(buf, sizeof(buf), "no response after %u attempts%s",
	    (unsigned)t->pt_attempt, t->pt_refused ?
	    " (port unreachable)" : "");
	poll_finish(pe, tid, SAMPLE_TIMEOUT, run_arena_strndup(pe->pe_arena,
	    buf, strlen(buf)));
}

void
poll_read(struct poll_engine *pe, uint32_t tid)
{
	struct ptgt *t = &pe->pe_t[tid];
	netsnmp_session *sp;

	NETSNMP_LARGE_FD_SET(t->pt_fd, &pe->pe_lfs);
	if (snmp_sess_read2(t->pt_sess, &pe->pe_lfs) != 0) {
		sp = snmp_sess_session(t->pt_sess);
		if (sp->s_snmp_errno == SNMPERR_BAD_RECVFROM &&
		    sp->s_errno == ECONNREFUSED) {
			/* The attempt failed; the timer retries with backoff. */
			if (!t->pt_refused)
				pe->pe_stats.ps_refused++;
			t->pt_refused = true;
		}
	}
	NETSNMP_LARGE_FD_CLR(t->pt_fd, &pe->pe_lfs);
	if (t->pt_next == NX_STEP)
		poll_step(pe, tid);
	else if (t->pt_next == NX_FINISH)
		poll_finish(pe, tid, (enum sample_status)t->pt_status, NULL);
}
