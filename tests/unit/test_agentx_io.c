/*
 * test_agentx_io: the subagent's connection (agent/agentx_io.c) on a real
 * event loop against a master played by the test on a real socket (UNIX,
 * then TCP): Open and Register as the agent describes itself, a Get
 * answered, a walk through the master kept on its snapshot, a master that
 * hangs up reconnected after a backoff, garbage answered with Close
 * (parseError) and counted, a changed configuration closing with reason
 * other and reconnecting, Close (shutdown) at the end, and a master that
 * is not there counted as failed attempts.  Every wait runs the loop with
 * a bounded deadline, so a broken subagent fails rather than hangs.
 * Not here: snmpd as the master (tests/integration/agentx_*.sh).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent/agentx_io.h"
#include "agent/engine.h"
#include "agent/version.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/ev.h"
#include "lib/log.h"
#include "snmp/contract.h"
#include "tests/unit/agentx_fixture.h"

/* Longest wait for anything; the backoff's first step is at most 1 s. */
#define WAIT_MS		4000

static struct ev *ev;
static struct engine *eng;
static struct agentx_io *io;
static struct cfg_agent conf;
static struct cfg_agentx ax;
static struct oid ax_sub;
static char sock_dir[] = "/tmp/pt-axio.XXXXXX";
static char sock_path[108];
static int lfd = -1, mfd = -1;
/* What the master read; its buffer. */
static uint8_t mbuf[AGENTX_MAX_PDU], mcopy[AGENTX_MAX_PDU];
static size_t mlen;
static struct agentx_pdu mpdu;

/* Two snapshots; which one requests get, and what they asked for. */
static struct procfs_snapshot snaps[2];
static unsigned cur_snap;
static uint64_t asked_gen;

static const struct procfs_snapshot *
test_snap(void *arg, uint64_t gen, bool walk, uint64_t now_ms)
{
	(void)arg;
	(void)walk;
	(void)now_ms;
	asked_gen = gen;
	if (gen == snaps[0].ps_gen)
		return &snaps[0];
	return &snaps[cur_snap];
}

static struct agentx_io_status
status(void)
{
	struct agentx_io_status st;

	agentx_io_status(io, &st);
	return st;
}

/* Accept the subagent's next connection, running the loop meanwhile. */
static int
m_accept(void)
{
	uint64_t end = clock_mono_ms() + WAIT_MS;

	mlen = 0;
	while (clock_mono_ms() < end) {
		mfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
		if (mfd != -1)
			return 0;
		(void)ev_run_once(ev, 10);
	}
	T_FAIL_("%s", "no connection from the subagent");
	return -1;
}

/*
 * The next whole PDU from the subagent into mpdu: 1; 0 at end of stream;
 * -1 when none came in time.
 */
static int
m_read(void)
{
	uint64_t end = clock_mono_ms() + WAIT_MS;
	size_t plen;
	ssize_t n;
	int rc;

	while (clock_mono_ms() < end) {
		rc = agentx_frame(mbuf, mlen, &plen);
		if (rc == 1) {
			/* A copy: mpdu's views must outlive the move. */
			memcpy(mcopy, mbuf, plen);
			CHECK_INT(agentx_pdu_decode(mcopy, plen, &mpdu), ==, 0);
			memmove(mbuf, mbuf + plen, mlen - plen);
			mlen -= plen;
			return 1;
		}
		CHECK_INT(rc, ==, 0);
		n = read(mfd, mbuf + mlen, sizeof(mbuf) - mlen);
		if (n == 0)
			return 0;
		if (n > 0) {
			mlen += (size_t)n;
			continue;
		}
		(void)ev_run_once(ev, 10);
	}
	return -1;
}

static void
m_send(const uint8_t *p, size_t len)
{
	CHECK_INT(write(mfd, p, len), ==, (ssize_t)len);
}

/* Answer the PDU just read with error, as session FX_SID. */
static void
m_answer(uint16_t error)
{
	uint8_t out[256];

	m_send(out, fx_response(out, BE, FX_SID, mpdu.p_hdr.h_packet_id,
	    error));
}

/* Run the loop for ms milliseconds. */
static void
spin(uint64_t ms)
{
	uint64_t end = clock_mono_ms() + ms;

	while (clock_mono_ms() < end)
		(void)ev_run_once(ev, 5);
}

/* Accept, check Open and Register, answer both: the session is open. */
static void
m_open(uint8_t timeout)
{
	static const char descr[] = "proctel-agent " PROCTEL_VERSION;
	struct oid id;

	if (m_accept() == -1)
		return;
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_OPEN);
	CHECK(mpdu.p_hdr.h_flags & BE);
	contract_oid(CONTRACT_ptAgentOID, &id);
	CHECK_INT(oid_cmp(&mpdu.p_oid, &id), ==, 0);
	CHECK_MEM(mpdu.p_descr, mpdu.p_descr_len, descr, sizeof(descr) - 1);
	CHECK_INT(mpdu.p_timeout, ==, timeout);
	m_answer(0);
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_REGISTER);
	CHECK_U64(mpdu.p_hdr.h_session_id, ==, FX_SID);
	CHECK_INT(oid_cmp(&mpdu.p_oid, &ax_sub), ==, 0);
	CHECK_INT(mpdu.p_priority, ==, 127);
	m_answer(0);
	spin(20);
	CHECK_INT(status().as_state, ==, AGENTX_IO_OPEN);
}

/* A request from the master; its Response in mpdu. */
static void
m_ask(uint8_t type, const char *start, bool include)
{
	static uint32_t pid = 500;
	struct fx_range r = { start, include, NULL };

	m_send(fx_req_buf, fx_request(fx_req_buf, type, BE, 1, ++pid, NULL,
	    0, 0, &r, 1));
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_RESPONSE);
	CHECK_U64(mpdu.p_hdr.h_packet_id, ==, pid);
}

/* The name of the Response's first varbind, as text. */
static const char *
m_name(void)
{
	static char text[OID_STR_MAX];
	struct agentx_iter it;
	struct agentx_varbind vb;

	agentx_iter_init(&it, &mpdu);
	if (agentx_iter_varbind(&it, &vb) != 1)
		return "";
	(void)oid_format(&vb.av_name, text, sizeof(text));
	return text;
}

static void
m_hangup(void)
{
	if (mfd != -1)
		close(mfd);
	mfd = -1;
}

static void
setup(void)
{
	struct sockaddr_un sun;

	log_init("test_agentx_io", 0, LOG_LEVEL_ERROR);
	fx_setup();
	snaps[0].ps_gen = 1;
	snaps[1].ps_gen = 2;
	if (mkdtemp(sock_dir) == NULL)
		abort();
	(void)snprintf(sock_path, sizeof(sock_path), "%s/master", sock_dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(lfd, 4) == -1)
		abort();
	ax_sub = O(PT);
	ax.cax_enabled = true;
	ax.cax_master = sock_path;
	ax.cax_subtrees = &ax_sub;
	ax.cax_nsubtrees = 1;
	ax.cax_timeout_s = 5;
	if ((ev = ev_new(2)) == NULL ||
	    (eng = engine_new(fx_mib, &conf, test_snap, NULL)) == NULL ||
	    (io = agentx_io_new(eng, fx_mib)) == NULL)
		abort();
}

static void
it_opens_registers_and_answers_over_a_unix_socket(void)
{
	CHECK_INT(status().as_state, ==, AGENTX_IO_OFF);
	CHECK(status().as_master == NULL);
	CHECK_INT(agentx_io_start(io, ev, &ax), ==, 0);
	m_open(5);
	CHECK_U64(status().as_opens, ==, 1);
	CHECK_STR(status().as_master, sock_path);
	m_ask(AGENTX_PDU_GET, PT ".1.1.1.0", false);
	CHECK(fx_varbinds_are(&mpdu, 1, (const char *[]){ VB_GAUGE PT
	    ".1.1.1.0" }));
	CHECK_U64(status().as_requests, ==, 1);
}

static void
its_mib_objects_show_the_session(void)
{
	struct mib *m = mib_new();
	struct snmp_value v;
	struct mib_ctx ctx;
	struct oid o;

	CHECK(m != NULL);
	CHECK_INT(mib_agentx_register(m, io), ==, 0);
	engine_ctx(eng, &ctx, 0, false, clock_mono_ms(), NULL);
	contract_oid(CONTRACT_ptAgentxState, &o);
	oid_append(&o, 0);
	memset(&v, 0, sizeof(v));
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_INT(v.val_int, ==, AGENTX_IO_OPEN);
	contract_oid(CONTRACT_ptAgentxMaster, &o);
	oid_append(&o, 0);
	memset(&v, 0, sizeof(v));
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_MEM(v.val_str.ptr, v.val_str.len, sock_path, strlen(sock_path));
	contract_oid(CONTRACT_ptAgentxRequests, &o);
	oid_append(&o, 0);
	memset(&v, 0, sizeof(v));
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_INT(v.val_type, ==, BER_COUNTER32);
	CHECK_U64(v.val_uint, ==, 1);
	mib_free(m);
}

static void
a_walk_through_the_master_stays_on_its_snapshot(void)
{
	cur_snap = 0;
	m_ask(AGENTX_PDU_GETNEXT, PT ".1.1.1.0", false);
	CHECK_STR(m_name(), PT ".1.1.6.0");
	CHECK_U64(asked_gen, ==, 0);
	/* A refresh: the walk's next step still reads the first one. */
	cur_snap = 1;
	m_ask(AGENTX_PDU_GETNEXT, PT ".1.1.6.0", false);
	CHECK_STR(m_name(), PT ".1.2.3.0");
	CHECK_U64(asked_gen, ==, 1);
	/* A new walk, and a Get, read the newest. */
	m_ask(AGENTX_PDU_GETNEXT, PT, true);
	CHECK_U64(asked_gen, ==, 0);
	m_ask(AGENTX_PDU_GET, PT ".1.1.6.0", false);
	CHECK_U64(asked_gen, ==, 0);
}

static void
a_master_that_hangs_up_is_reconnected_after_a_backoff(void)
{
	uint64_t t0;

	m_hangup();
	spin(50);
	CHECK_INT(status().as_state, ==, AGENTX_IO_WAITING);
	t0 = clock_mono_ms();
	m_open(5);
	/* The first retry after a lost session: 0.5 to 1 s. */
	CHECK_U64(clock_mono_ms() - t0, >=, AGENTX_IO_BACKOFF_MS / 2);
	CHECK_U64(status().as_opens, ==, 2);
	CHECK_U64(status().as_failures, ==, 0);
}

static void
garbage_is_answered_with_close_parse_error_and_counted(void)
{
	static const uint8_t junk[AGENTX_HDR_LEN] = { 9, 18, 0x10 };

	m_send(junk, sizeof(junk));
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_CLOSE);
	CHECK_INT(mpdu.p_reason, ==, AGENTX_REASON_PARSEERROR);
	CHECK_INT(m_read(), ==, 0);
	CHECK_U64(status().as_bad_pdus, ==, 1);
	m_hangup();
	m_open(5);
	CHECK_U64(status().as_opens, ==, 3);
}

static void
a_changed_configuration_closes_and_reconnects_at_once(void)
{
	CHECK_INT(agentx_io_configure(io, &ax), ==, 0);
	spin(20);
	CHECK_INT(status().as_state, ==, AGENTX_IO_OPEN);
	ax.cax_timeout_s = 9;
	CHECK_INT(agentx_io_configure(io, &ax), ==, 0);
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_CLOSE);
	CHECK_INT(mpdu.p_reason, ==, AGENTX_REASON_OTHER);
	CHECK_INT(m_read(), ==, 0);
	m_hangup();
	m_open(9);
	/* Counters survive the new session. */
	CHECK_U64(status().as_opens, ==, 4);
	CHECK_U64(status().as_requests, >=, 5);
	ax.cax_enabled = false;
	CHECK_INT(agentx_io_configure(io, &ax), ==, 0);
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_reason, ==, AGENTX_REASON_SHUTDOWN);
	CHECK_INT(status().as_state, ==, AGENTX_IO_OFF);
	m_hangup();
	ax.cax_enabled = true;
	CHECK_INT(agentx_io_configure(io, &ax), ==, 0);
	m_open(9);
}

static void
a_tcp_master_is_reached_too(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int tfd, ufd = lfd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	tfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(tfd != -1);
	CHECK_INT(bind(tfd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
	CHECK_INT(getsockname(tfd, (struct sockaddr *)&sin, &len), ==, 0);
	CHECK_INT(listen(tfd, 4), ==, 0);
	ax.cax_master = "tcp:127.0.0.1";
	ax.cax_tcp = true;
	memcpy(&ax.cax_addr, &sin, sizeof(sin));
	ax.cax_addrlen = sizeof(sin);
	CHECK_INT(agentx_io_configure(io, &ax), ==, 0);
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_reason, ==, AGENTX_REASON_OTHER);
	m_hangup();
	lfd = tfd;
	m_open(9);
	m_ask(AGENTX_PDU_GET, PT ".1.2.3.0", false);
	CHECK(fx_varbinds_are(&mpdu, 1, (const char *[]){ VB_STR PT
	    ".1.2.3.0" }));
	lfd = ufd;
	close(tfd);
}

static void
the_end_closes_with_reason_shutdown(void)
{
	agentx_io_free(io);
	io = NULL;
	CHECK_INT(m_read(), ==, 1);
	CHECK_INT(mpdu.p_hdr.h_type, ==, AGENTX_PDU_CLOSE);
	CHECK_INT(mpdu.p_reason, ==, AGENTX_REASON_SHUTDOWN);
	m_hangup();
}

static void
a_master_that_is_not_there_counts_failed_attempts(void)
{
	struct ev *ev2 = ev_new(1);
	struct agentx_io *io2;
	struct agentx_io_status st;
	struct mib *m = mib_new();
	uint64_t end, t0;

	CHECK(ev2 != NULL && m != NULL);
	CHECK((io2 = agentx_io_new(eng, m)) != NULL);
	t0 = clock_mono_ms();
	ax.cax_master = "/nonexistent/agentx/master";
	ax.cax_tcp = false;
	CHECK_INT(agentx_io_start(io2, ev2, &ax), ==, 0);
	agentx_io_status(io2, &st);
	CHECK_INT(st.as_state, ==, AGENTX_IO_WAITING);
	CHECK_U64(st.as_failures, ==, 1);
	/* The retry comes after the backoff (0.5 to 1 s), not at once. */
	end = t0 + WAIT_MS;
	while (clock_mono_ms() < end && st.as_failures < 2) {
		(void)ev_run_once(ev2, 10);
		agentx_io_status(io2, &st);
	}
	CHECK_U64(st.as_failures, ==, 2);
	CHECK_U64(clock_mono_ms() - t0, >=, AGENTX_IO_BACKOFF_MS / 2);
	CHECK_INT(st.as_state, ==, AGENTX_IO_WAITING);
	agentx_io_free(io2);
	mib_free(m);
	ev_free(ev2);
}

int
main(void)
{
	setup();
	RUN(it_opens_registers_and_answers_over_a_unix_socket);
	RUN(its_mib_objects_show_the_session);
	RUN(a_walk_through_the_master_stays_on_its_snapshot);
	RUN(a_master_that_hangs_up_is_reconnected_after_a_backoff);
	RUN(garbage_is_answered_with_close_parse_error_and_counted);
	RUN(a_changed_configuration_closes_and_reconnects_at_once);
	RUN(a_tcp_master_is_reached_too);
	RUN(the_end_closes_with_reason_shutdown);
	RUN(a_master_that_is_not_there_counts_failed_attempts);
	close(lfd);
	unlink(sock_path);
	rmdir(sock_dir);
	engine_free(eng);
	mib_free(fx_mib);
	ev_free(ev);
	return t_done();
}
