/*
 * agentx_sess: the subagent's protocol state machine (RFC 2741 sec. 7).
 * Octets in go through agentx_frame() and agentx_pdu_decode(); answers
 * are written straight into the send buffer with the codec's writer.  The
 * answering of Get, GetNext and GetBulk from the MIB registry lives in
 * agentx_serve.c; this file is the session: buffers, states, our own
 * PDUs (Open, Register, Ping, Close), timers and the SET refusals.
 * No I/O, no clock, no logging: the owner does those (agentx_sess.h).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/agentx_sess.h"
#include "agent/agentx_serve.h"
#include "snmp/agentx.h"
#include "snmp/pdu.h"

/*
 * Send buffer: two largest responses (one being sent, one being built)
 * and room for our own PDUs, which are small (an Open or Register holds
 * one OID of at most 128 sub-ids and a descr of at most 255 octets).
 */
#define SESS_ADMIN_ROOM		2048
#define SESS_TX_CAP		(2 * (size_t)AGENTX_MAX_PDU + SESS_ADMIN_ROOM)
/* Room a PDU needs before it is processed: its largest answer. */
#define SESS_PDU_ROOM		((size_t)AGENTX_MAX_PDU + SESS_ADMIN_ROOM)

struct agentx_sess {
	struct oid		 s_sub[AGENTX_SESS_MAX_SUBTREES];
	bool			 s_reg[AGENTX_SESS_MAX_SUBTREES];
	size_t			 s_nsub;
	size_t			 s_nreg;	/* registered so far, in order */
	struct oid		 s_id;
	bool			 s_has_id;
	char			 s_descr[AGENTX_SESS_MAX_DESCR + 1];
	uint8_t			 s_timeout_s;
	uint8_t			 s_priority;
	uint32_t		 s_response_ms;
	uint32_t		 s_ping_ms;
	struct agentx_sess_mib	 s_mib;

	enum agentx_sess_state	 s_state;
	int			 s_why;
	int			 s_why_detail;
	uint32_t		 s_session_id;
	uint32_t		 s_next_pid;
	/* Our one PDU awaiting its Response (Open, Register or Ping). */
	bool			 s_waiting;
	uint8_t			 s_wait_type;
	uint32_t		 s_wait_pid;
	uint64_t		 s_wait_deadline;
	uint64_t		 s_last_rx_ms;
	/* The last TestSet: its transaction, and whether it succeeded. */
	bool			 s_have_test;
	bool			 s_test_ok;
	uint32_t		 s_test_tid;

	uint8_t			*s_rx;		/* AGENTX_MAX_PDU octets */
	size_t			 s_rx_len;
	uint8_t			*s_tx;		/* SESS_TX_CAP octets */
	size_t			 s_tx_off;	/* sent so far */
	size_t			 s_tx_len;	/* queued so far */
	struct agentx_sess_stats s_stats;
	/* The PDU being processed: large (an OID inside), so kept here. */
	struct agentx_pdu	 s_pdu;
	struct agentx_serve	 s_serve;
};

const char *
agentx_sess_strstate(int state)
{
	switch (state) {
	case AGENTX_S_CLOSED:
		return "closed";
	case AGENTX_S_OPENING:
		return "opening";
	case AGENTX_S_REGISTERING:
		return "registering";
	case AGENTX_S_OPEN:
		return "open";
	default:
		return "unknown state";
	}
}

const char *
agentx_sess_strwhy(int why)
{
	switch (why) {
	case AGENTX_W_NONE:
		return "not closed";
	case AGENTX_W_LOCAL:
		return "closed by us";
	case AGENTX_W_LOST:
		return "connection to the master lost";
	case AGENTX_W_MASTER_CLOSE:
		return "closed by the master";
	case AGENTX_W_OPEN_REFUSED:
		return "the master refused Open";
	case AGENTX_W_REGISTER_REFUSED:
		return "the master refused a registration";
	case AGENTX_W_PING_REFUSED:
		return "the master refused a Ping";
	case AGENTX_W_TIMEOUT:
		return "no response from the master in time";
	case AGENTX_W_PARSE:
		return "unreadable PDU from the master";
	case AGENTX_W_PROTOCOL:
		return "PDU a master does not send";
	default:
		return "unknown reason";
	}
}

/* Do the subtrees overlap (one a prefix of another), or is one empty? */
static bool
sess_subtrees_bad(const struct oid *sub, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (sub[i].o_len == 0 || sub[i].o_len > OID_MAX_LEN)
			return true;
		for (j = 0; j < i; j++)
			if (oid_is_prefix(&sub[i], &sub[j]) ||
			    oid_is_prefix(&sub[j], &sub[i]))
				return true;
	}
	return false;
}

struct agentx_sess *
agentx_sess_new(const struct agentx_sess_conf *conf,
    const struct agentx_sess_mib *mib, const char **errstr)
{
	struct agentx_sess *s;
	size_t dlen;

	if (conf->sc_nsubtrees == 0 ||
	    conf->sc_nsubtrees > AGENTX_SESS_MAX_SUBTREES) {
		*errstr = "between 1 and 32 subtrees are needed";
		return NULL;
	}
	if (sess_subtrees_bad(conf->sc_subtrees, conf->sc_nsubtrees)) {
		*errstr = "a subtree is empty or overlaps another";
		return NULL;
	}
	if (conf->sc_response_ms == 0 || mib->sm_mib == NULL ||
	    mib->sm_begin == NULL) {
		*errstr = "no response timeout or no MIB";
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->s_rx = malloc(AGENTX_MAX_PDU)) == NULL ||
	    (s->s_tx = malloc(SESS_TX_CAP)) == NULL) {
		agentx_sess_free(s);
		*errstr = "out of memory";
		return NULL;
	}
	memcpy(s->s_sub, conf->sc_subtrees,
	    conf->sc_nsubtrees * sizeof(s->s_sub[0]));
	s->s_nsub = conf->sc_nsubtrees;
	if (conf->sc_id != NULL && conf->sc_id->o_len <= OID_MAX_LEN) {
		s->s_id = *conf->sc_id;
		s->s_has_id = true;
	}
	if (conf->sc_descr != NULL) {
		dlen = strnlen(conf->sc_descr, AGENTX_SESS_MAX_DESCR);
		memcpy(s->s_descr, conf->sc_descr, dlen);
	}
	s->s_timeout_s = conf->sc_timeout_s;
	s->s_priority = conf->sc_priority;
	s->s_response_ms = conf->sc_response_ms;
	s->s_ping_ms = conf->sc_ping_ms;
	s->s_mib = *mib;
	agentx_serve_init(&s->s_serve, &s->s_mib, s->s_sub, s->s_reg,
	    s->s_nsub);
	return s;
}

void
agentx_sess_free(struct agentx_sess *s)
{
	if (s == NULL)
		return;
	free(s->s_rx);
	free(s->s_tx);
	free(s);
}

/* ---- our own PDUs ---- */

static struct agentx_hdr
sess_hdr(struct agentx_sess *s, uint8_t type)
{
	struct agentx_hdr h;

	memset(&h, 0, sizeof(h));
	h.h_version = AGENTX_VERSION;
	h.h_type = type;
	h.h_flags = AGENTX_F_NETWORK_BYTE_ORDER;
	h.h_session_id = type == AGENTX_PDU_OPEN ? 0 : s->s_session_id;
	h.h_packet_id = s->s_next_pid++;
	return h;
}

static size_t
sess_tx_free(const struct agentx_sess *s)
{
	return SESS_TX_CAP - s->s_tx_len;
}

/*
 * Queue Open, the next Register, Ping or Close.  They always fit: a PDU is
 * processed only with SESS_PDU_ROOM free, which leaves SESS_ADMIN_ROOM
 * after its largest answer, and ticks queue at most one Ping or Close.
 */
static void
sess_send_admin(struct agentx_sess *s, uint8_t type, uint8_t reason,
    uint64_t now)
{
	struct agentx_hdr h = sess_hdr(s, type);
	uint8_t *p = s->s_tx + s->s_tx_len;
	size_t cap = sess_tx_free(s), len = 0;
	int rc;

	switch (type) {
	case AGENTX_PDU_OPEN:
		rc = agentx_encode_open(p, cap, &h, s->s_timeout_s,
		    s->s_has_id ? &s->s_id : NULL, (const uint8_t *)s->s_descr,
		    strlen(s->s_descr), &len);
		break;
	case AGENTX_PDU_REGISTER:
		rc = agentx_encode_register(p, cap, &h, NULL, 0,
		    s->s_timeout_s, s->s_priority, &s->s_sub[s->s_nreg], 0, 0,
		    &len);
		break;
	case AGENTX_PDU_PING:
		rc = agentx_encode_ping(p, cap, &h, NULL, 0, &len);
		s->s_stats.ss_pings++;
		break;
	default:
		rc = agentx_encode_close(p, cap, &h, reason, &len);
		break;
	}
	if (rc != 0)
		return;
	s->s_tx_len += len;
	s->s_stats.ss_pdus_out++;
	if (type != AGENTX_PDU_CLOSE) {
		s->s_waiting = true;
		s->s_wait_type = type;
		s->s_wait_pid = h.h_packet_id;
		s->s_wait_deadline = now + s->s_response_ms;
	}
}

/* The session exists on the master's side from REGISTERING on. */
static bool
sess_has_session(const struct agentx_sess *s)
{
	return s->s_state == AGENTX_S_REGISTERING ||
	    s->s_state == AGENTX_S_OPEN;
}

/* Go CLOSED for why; tell the master with Close(reason) when reason != 0. */
static void
sess_end(struct agentx_sess *s, int why, int detail, uint8_t reason)
{
	if (s->s_state == AGENTX_S_CLOSED)
		return;
	if (reason != 0 && sess_has_session(s))
		sess_send_admin(s, AGENTX_PDU_CLOSE, reason, 0);
	s->s_state = AGENTX_S_CLOSED;
	s->s_why = why;
	s->s_why_detail = detail;
	s->s_waiting = false;
	s->s_rx_len = 0;
}

void
agentx_sess_start(struct agentx_sess *s, uint64_t now_ms,
    uint32_t first_packet_id)
{
	s->s_state = AGENTX_S_OPENING;
	s->s_why = AGENTX_W_NONE;
	s->s_why_detail = 0;
	s->s_session_id = 0;
	s->s_next_pid = first_packet_id;
	s->s_waiting = false;
	s->s_have_test = false;
	s->s_nreg = 0;
	memset(s->s_reg, 0, sizeof(s->s_reg));
	s->s_rx_len = 0;
	s->s_tx_off = s->s_tx_len = 0;
	s->s_last_rx_ms = now_ms;
	sess_send_admin(s, AGENTX_PDU_OPEN, 0, now_ms);
}

void
agentx_sess_close(struct agentx_sess *s, uint8_t reason)
{
	sess_end(s, AGENTX_W_LOCAL, reason, reason);
}

void
agentx_sess_lost(struct agentx_sess *s)
{
	sess_end(s, AGENTX_W_LOST, 0, 0);
	s->s_tx_off = s->s_tx_len = 0;
}

/* ---- the master's PDUs ---- */

/* A Response to one of ours: Open, Register or Ping (sec. 7.1.x). */
static void
sess_response(struct agentx_sess *s, uint64_t now)
{
	const struct agentx_pdu *p = &s->s_pdu;

	if (!s->s_waiting || p->p_hdr.h_packet_id != s->s_wait_pid ||
	    (s->s_state != AGENTX_S_OPENING &&
	    p->p_hdr.h_session_id != s->s_session_id)) {
		s->s_stats.ss_unexpected++;
		return;
	}
	s->s_waiting = false;
	switch (s->s_wait_type) {
	case AGENTX_PDU_OPEN:
		if (p->p_error != AGENTX_ERR_NOERROR) {
			sess_end(s, AGENTX_W_OPEN_REFUSED, p->p_error, 0);
			return;
		}
		s->s_session_id = p->p_hdr.h_session_id;
		s->s_state = AGENTX_S_REGISTERING;
		sess_send_admin(s, AGENTX_PDU_REGISTER, 0, now);
		return;
	case AGENTX_PDU_REGISTER:
		if (p->p_error != AGENTX_ERR_NOERROR) {
			sess_end(s, AGENTX_W_REGISTER_REFUSED, p->p_error,
			    AGENTX_REASON_OTHER);
			return;
		}
		s->s_reg[s->s_nreg++] = true;
		if (s->s_nreg < s->s_nsub) {
			sess_send_admin(s, AGENTX_PDU_REGISTER, 0, now);
			return;
		}
		s->s_state = AGENTX_S_OPEN;
		s->s_stats.ss_opens++;
		return;
	default:
		if (p->p_error != AGENTX_ERR_NOERROR)
			sess_end(s, AGENTX_W_PING_REFUSED, p->p_error, 0);
		return;
	}
}

/* Start a Response to the PDU being processed, in the send buffer. */
static void
sess_response_begin(struct agentx_sess *s, struct agentx_writer *w)
{
	struct agentx_hdr h = s->s_pdu.p_hdr;
	size_t cap = sess_tx_free(s);

	h.h_type = AGENTX_PDU_RESPONSE;
	h.h_flags = AGENTX_F_NETWORK_BYTE_ORDER;
	agentx_write_init(w, s->s_tx + s->s_tx_len,
	    cap < AGENTX_MAX_PDU ? cap : AGENTX_MAX_PDU, &h, NULL, 0);
	(void)agentx_write_response(w, 0, AGENTX_ERR_NOERROR, 0);
}

static void
sess_response_queue(struct agentx_sess *s, struct agentx_writer *w)
{
	size_t len;

	if (agentx_write_finish(w, &len) != 0)
		return;
	s->s_tx_len += len;
	s->s_stats.ss_pdus_out++;
}

/* A Response with no varbinds. */
static void
sess_answer(struct agentx_sess *s, uint16_t error, uint16_t index)
{
	struct agentx_writer w;

	sess_response_begin(s, &w);
	agentx_write_response_error(&w, error, index);
	sess_response_queue(s, &w);
}

/* Read-only SET handling, RFC 2741 sec. 7.2.4. */
static void
sess_set(struct agentx_sess *s)
{
	const struct agentx_pdu *p = &s->s_pdu;
	uint32_t tid = p->p_hdr.h_transaction_id;
	bool tested;

	s->s_stats.ss_sets++;
	switch (p->p_hdr.h_type) {
	case AGENTX_PDU_TESTSET:
		s->s_have_test = true;
		s->s_test_tid = tid;
		s->s_test_ok = p->p_nitems == 0;
		if (s->s_test_ok)
			sess_answer(s, AGENTX_ERR_NOERROR, 0);
		else
			sess_answer(s, SNMP_ERRSTAT_NOTWRITABLE, 1);
		return;
	case AGENTX_PDU_COMMITSET:
		tested = s->s_have_test && s->s_test_tid == tid &&
		    s->s_test_ok;
		sess_answer(s, tested ? AGENTX_ERR_NOERROR :
		    SNMP_ERRSTAT_COMMITFAILED, 0);
		return;
	case AGENTX_PDU_UNDOSET:
		sess_answer(s, AGENTX_ERR_NOERROR, 0);
		return;
	default:
		/* CleanupSet ends the transaction and has no Response. */
		if (s->s_have_test && s->s_test_tid == tid)
			s->s_have_test = false;
		return;
	}
}

static bool
sess_is_request(uint8_t type)
{
	return type >= AGENTX_PDU_GET && type <= AGENTX_PDU_CLEANUPSET;
}

/* A request from the master: Get, GetNext, GetBulk or a SET phase. */
static void
sess_request(struct agentx_sess *s, uint64_t now)
{
	const struct agentx_pdu *p = &s->s_pdu;
	struct agentx_writer w;
	uint8_t type = p->p_hdr.h_type;

	if (!sess_has_session(s) || p->p_hdr.h_session_id != s->s_session_id) {
		s->s_stats.ss_not_open++;
		if (type != AGENTX_PDU_CLEANUPSET)
			sess_answer(s, AGENTX_ERR_NOTOPEN, 0);
		return;
	}
	if (p->p_context_len > 0) {
		s->s_stats.ss_bad_context++;
		if (type != AGENTX_PDU_CLEANUPSET)
			sess_answer(s, AGENTX_ERR_UNSUPPORTEDCONTEXT, 0);
		return;
	}
	if (type >= AGENTX_PDU_TESTSET) {
		sess_set(s);
		return;
	}
	s->s_stats.ss_requests++;
	sess_response_begin(s, &w);
	agentx_serve(&s->s_serve, p, &w, now);
	sess_response_queue(s, &w);
}

/* One whole PDU, buf[0..len), from the master. */
static void
sess_pdu(struct agentx_sess *s, const uint8_t *buf, size_t len, uint64_t now)
{
	struct agentx_pdu *p = &s->s_pdu;
	uint8_t type;
	int rc;

	rc = agentx_pdu_decode(buf, len, p);
	type = p->p_hdr.h_type;
	if (rc != 0) {
		s->s_stats.ss_last_error = rc;
		/* The header framed, so a request can still be answered. */
		if (!sess_is_request(type)) {
			sess_end(s, AGENTX_W_PARSE, rc,
			    AGENTX_REASON_PARSEERROR);
			return;
		}
		s->s_stats.ss_parse_errors++;
		if (type != AGENTX_PDU_CLEANUPSET)
			sess_answer(s, AGENTX_ERR_PARSEERROR, 0);
		return;
	}
	if (type == AGENTX_PDU_RESPONSE)
		sess_response(s, now);
	else if (type == AGENTX_PDU_CLOSE)
		sess_end(s, AGENTX_W_MASTER_CLOSE, p->p_reason, 0);
	else if (sess_is_request(type))
		sess_request(s, now);
	else
		sess_end(s, AGENTX_W_PROTOCOL, type,
		    AGENTX_REASON_PROTOCOLERROR);
}

/* Process every whole PDU received that the send buffer can answer. */
static void
sess_process(struct agentx_sess *s, uint64_t now)
{
	size_t off = 0, len;
	int rc;

	while (s->s_state != AGENTX_S_CLOSED) {
		rc = agentx_frame(s->s_rx + off, s->s_rx_len - off, &len);
		if (rc == 0)
			break;
		if (rc < 0) {
			s->s_stats.ss_last_error = rc;
			sess_end(s, AGENTX_W_PARSE, rc,
			    AGENTX_REASON_PARSEERROR);
			break;
		}
		if (sess_tx_free(s) < SESS_PDU_ROOM)
			break;
		s->s_stats.ss_pdus_in++;
		s->s_last_rx_ms = now;
		sess_pdu(s, s->s_rx + off, len, now);
		off += len;
	}
	if (s->s_state == AGENTX_S_CLOSED) {
		s->s_rx_len = 0;
		return;
	}
	memmove(s->s_rx, s->s_rx + off, s->s_rx_len - off);
	s->s_rx_len -= off;
}

void
agentx_sess_rxbuf(struct agentx_sess *s, uint8_t **p, size_t *room)
{
	*p = s->s_rx + s->s_rx_len;
	*room = AGENTX_MAX_PDU - s->s_rx_len;
}

void
agentx_sess_received(struct agentx_sess *s, size_t n, uint64_t now_ms)
{
	if (s->s_state == AGENTX_S_CLOSED)
		return;
	if (n > AGENTX_MAX_PDU - s->s_rx_len)
		n = AGENTX_MAX_PDU - s->s_rx_len;
	s->s_rx_len += n;
	sess_process(s, now_ms);
}

size_t
agentx_sess_input(struct agentx_sess *s, const uint8_t *p, size_t len,
    uint64_t now_ms)
{
	uint8_t *dst;
	size_t room, n, taken = 0;

	while (taken < len && s->s_state != AGENTX_S_CLOSED) {
		agentx_sess_rxbuf(s, &dst, &room);
		if (room == 0)
			break;
		n = len - taken < room ? len - taken : room;
		memcpy(dst, p + taken, n);
		taken += n;
		agentx_sess_received(s, n, now_ms);
	}
	/* Once closed, the rest is read and thrown away. */
	return s->s_state == AGENTX_S_CLOSED ? len : taken;
}

void
agentx_sess_txbuf(const struct agentx_sess *s, const uint8_t **p,
    size_t *len)
{
	*p = s->s_tx + s->s_tx_off;
	*len = s->s_tx_len - s->s_tx_off;
}

void
agentx_sess_sent(struct agentx_sess *s, size_t n, uint64_t now_ms)
{
	if (n > s->s_tx_len - s->s_tx_off)
		n = s->s_tx_len - s->s_tx_off;
	s->s_tx_off += n;
	if (s->s_tx_off == s->s_tx_len)
		s->s_tx_off = s->s_tx_len = 0;
	else if (s->s_tx_off >= SESS_TX_CAP / 2) {
		memmove(s->s_tx, s->s_tx + s->s_tx_off,
		    s->s_tx_len - s->s_tx_off);
		s->s_tx_len -= s->s_tx_off;
		s->s_tx_off = 0;
	}
	/* PDUs that waited for room. */
	if (s->s_state != AGENTX_S_CLOSED && s->s_rx_len > 0)
		sess_process(s, now_ms);
}

/* ---- timers ---- */

uint64_t
agentx_sess_deadline(const struct agentx_sess *s)
{
	if (s->s_state == AGENTX_S_CLOSED)
		return UINT64_MAX;
	if (s->s_waiting)
		return s->s_wait_deadline;
	if (s->s_state == AGENTX_S_OPEN && s->s_ping_ms != 0)
		return s->s_last_rx_ms + s->s_ping_ms;
	return UINT64_MAX;
}

void
agentx_sess_tick(struct agentx_sess *s, uint64_t now_ms)
{
	if (s->s_state == AGENTX_S_CLOSED)
		return;
	if (s->s_waiting) {
		if (now_ms >= s->s_wait_deadline)
			sess_end(s, AGENTX_W_TIMEOUT, s->s_wait_type,
			    AGENTX_REASON_TIMEOUTS);
		return;
	}
	if (s->s_state != AGENTX_S_OPEN || s->s_ping_ms == 0 ||
	    now_ms < s->s_last_rx_ms + s->s_ping_ms)
		return;
	/*
	 * No room for a Ping cannot happen while PDUs are processed only with
	 * SESS_PDU_ROOM free; were it to, a Ping left unsent would keep the
	 * deadline in the past and the owner's loop spinning, so give up.
	 */
	if (sess_tx_free(s) < SESS_ADMIN_ROOM)
		sess_end(s, AGENTX_W_TIMEOUT, AGENTX_PDU_PING, 0);
	else
		sess_send_admin(s, AGENTX_PDU_PING, 0, now_ms);
}

/* ---- accessors ---- */

enum agentx_sess_state
agentx_sess_state(const struct agentx_sess *s)
{
	return s->s_state;
}

uint32_t
agentx_sess_id(const struct agentx_sess *s)
{
	return s->s_session_id;
}

int
agentx_sess_why(const struct agentx_sess *s, int *detail)
{
	if (detail != NULL)
		*detail = s->s_why_detail;
	return s->s_why;
}

const struct agentx_sess_stats *
agentx_sess_stats(const struct agentx_sess *s)
{
	return &s->s_stats;
}

uint64_t
agentx_backoff_ms(unsigned failures, uint32_t base_ms, uint32_t cap_ms,
    uint32_t rnd)
{
	uint64_t d = base_ms;

	/* Doubling past the cap changes nothing: stop there. */
	while (failures-- > 0 && d > 0 && d < cap_ms)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	return d - (uint64_t)rnd % (d / 2 + 1);
}
