/*
 * fuzz_engine: libFuzzer target for the protocol engine as the agent runs
 * it (agent/engine.c with agent/v3.c): the system, snmp, HOST-RESOURCES,
 * PROCTEL-MIB and SNMPv3 modules over a snapshot of the fake /proc tree,
 * with a community and an SNMPv3 user each limited by a view, and one of
 * each that sees everything.  The first input octet picks how the rest is
 * used:
 *  - even: a datagram from loopback (v1, v2c, or v3 into USM);
 *  - odd: the ScopedPDU of a request that user octet 2 picks seals
 *    correctly (authPriv, in time), so fuzzing reaches the engine's
 *    serving of v3 requests: views, GETBULK, tooBig, SET.
 * Beyond "no crash": every reply decodes (a v3 one opens with the
 * user's keys), is no longer than max_message_size, and answers with a
 * value only OIDs inside the view of whoever asked.  Seeds:
 * tests/fuzz/corpus/engine/.  Run through tests/fuzz/run.sh (make fuzz).
 */
#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/procfs.h"
#include "agent/v3.h"
#include "agent/view.h"
#include "config/config.h"
#include "lib/clock.h"
#include "snmp/v3cli.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(e) do {							\
	if (!(e))							\
		abort();						\
} while (0)

#define MAXMSG		1472
#define PW		"maplesyrup"
#define FAKEPROC	"tests/tools/fakeproc/basic"

static const char conf_text[] =
    "engine_id: 80001f880470726f6374656c\n"
    "max_message_size: 1472\n"
    "max_bulk_varbinds: 100\n"
    "reply_budget: {bytes_per_second: 0}\n"
    "communities:\n"
    "  - {name: public, allow: [\"127.0.0.0/8\"]}\n"
    "  - {name: narrow, allow: [\"127.0.0.0/8\"],"
    " view: [ptSystem, sysName.0, 1.3.6.1.6.3.15]}\n"
    "users:\n"
    "  - {name: full, auth_protocol: SHA-256, auth_password: " PW ","
    " priv_protocol: AES, priv_password: " PW "}\n"
    "  - {name: narrow, auth_protocol: SHA, auth_password: " PW ","
    " priv_protocol: AES-256, priv_password: " PW ","
    " view: [ptProcTable, sysUpTime.0, hrSWRunPerf]}\n";

static struct cfg_agent *conf;
static struct mib *mib;
static struct engine *eng;
static struct v3 *v3;
static struct v3cli cli[2];	/* full, narrow */
static uint64_t boot_ms;
static struct procfs_snapshot snap;
static struct sockaddr_in src;
static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static uint8_t req[1 << 16], out[1 << 16], plain[1 << 16];

static const struct procfs_snapshot *
snap_fn(void *arg, uint64_t gen, bool walk, uint64_t now_ms)
{
	(void)arg;
	(void)gen;
	(void)walk;
	(void)now_ms;
	return &snap;
}

static void
setup(void)
{
	struct procfs_opts po = { true, SIZE_MAX };
	struct cfg_errors errs;
	char err[128];

	memset(&errs, 0, sizeof(errs));
	REQUIRE((conf = cfg_agent_load_buf("fuzz.yaml", conf_text,
	    sizeof(conf_text) - 1, &errs)) != NULL);
	REQUIRE(procfs_snapshot_take(FAKEPROC, &po, &snap) == 0);
	REQUIRE((mib = mib_new()) != NULL);
	REQUIRE(mib_system_register(mib) == 0 && mib_snmp_register(mib) == 0 &&
	    mib_host_register(mib) == 0 && mib_proctel_register(mib) == 0 &&
	    mib_v3_register(mib) == 0);
	REQUIRE((v3 = v3_new(conf->ca_engine_id, conf->ca_engine_id_len, 1,
	    MAXMSG)) != NULL);
	REQUIRE(v3_set_users(v3, conf->ca_users, conf->ca_nusers, err,
	    sizeof(err)) == 0);
	REQUIRE((eng = engine_new(mib, conf, snap_fn, NULL)) != NULL);
	boot_ms = clock_mono_ms();
	engine_set_v3(eng, v3, boot_ms);
	REQUIRE(v3cli_init(&cli[0], "full", USM_AUTH_SHA256, PW,
	    USM_PRIV_AES128, PW, conf->ca_engine_id,
	    conf->ca_engine_id_len) == 0);
	REQUIRE(v3cli_init(&cli[1], "narrow", USM_AUTH_SHA1, PW,
	    USM_PRIV_AES256, PW, conf->ca_engine_id,
	    conf->ca_engine_id_len) == 0);
	cli[0].c_boots = cli[1].c_boots = 1;
	src.sin_family = AF_INET;
	src.sin_port = htons(40000);
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/*
 * No varbind of an answer carries a value outside view (exceptions do
 * not count).  An error response echoes the request's own varbinds.
 */
static void
check_view(const struct snmp_msg *m, const struct cfg_view *view)
{
	size_t i;

	if (m->m_error_status != 0)
		return;
	for (i = 0; i < m->m_nvbs; i++) {
		uint8_t t = m->m_vbs[i].vb_value.val_type;

		if (t == BER_NULL || t == BER_NOSUCHOBJECT ||
		    t == BER_NOSUCHINSTANCE || t == BER_ENDOFMIBVIEW)
			continue;
		REQUIRE(view_has(view, &m->m_vbs[i].vb_oid));
	}
}

static size_t
handle(size_t len)
{
	size_t n;

	n = engine_handle(eng, req, len, (const struct sockaddr *)&src, out,
	    sizeof(out));
	REQUIRE(n <= MAXMSG);
	return n;
}

/* A datagram as it came: a v1/v2c reply decodes and keeps to its view. */
static void
datagram(const uint8_t *data, size_t size)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;
	size_t n;
	int rc;

	memcpy(req, data, size);
	if ((n = handle(size)) == 0)
		return;
	memset(&m, 0, sizeof(m));
	rc = snmp_msg_decode(out, n, &m, vbs, SNMP_MAX_VARBINDS);
	if (rc == SNMP_EV3) {
		/* A Report of v3.c's: a well-formed message. */
		REQUIRE(snmp_v3_decode(out, n, &h) == 0);
		return;
	}
	REQUIRE(rc == 0);
	REQUIRE(m.m_pdu_type == SNMP_PDU_RESPONSE);
	if (m.m_community_len == 6 && memcmp(m.m_community, "narrow", 6) == 0)
		check_view(&m, &conf->ca_communities[1].cc_view);
}

/* data as the ScopedPDU of user u's authPriv request. */
static void
sealed(const uint8_t *data, size_t size, unsigned u)
{
	struct v3cli *c = &cli[u % 2];
	struct snmp_v3_msg h;
	struct snmp_msg m;
	size_t len, n;
	int rc;

	if (size > 4096)
		return;
	c->c_time = (int32_t)((clock_mono_ms() - boot_ms) / 1000);
	memcpy(req, data, size);
	if (v3cli_wrap(c, 7, SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV |
	    SNMP_V3_FLAG_REPORTABLE, req, sizeof(req), size, &len) != 0)
		return;
	if ((n = handle(len)) == 0)
		return;
	rc = v3cli_open(c, out, n, plain, &h, &m, vbs, SNMP_MAX_VARBINDS);
	REQUIRE(rc == 0);
	REQUIRE(h.v3_msg_id == 7);
	if (m.m_pdu_type == SNMP_PDU_RESPONSE)
		check_view(&m, &conf->ca_users[u % 2].cu_view);
	else
		REQUIRE(m.m_pdu_type == SNMP_PDU_REPORT && m.m_nvbs == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (eng == NULL)
		setup();
	if (size < 2 || size - 1 > sizeof(req))
		return 0;
	if (data[0] & 1)
		sealed(data + 2, size - 2, data[1]);
	else
		datagram(data + 1, size - 1);
	return 0;
}
