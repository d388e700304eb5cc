/*
 * test_pdu_netsnmp: differential tests of snmp/pdu.c against net-snmp's
 * own codec (libnetsnmp 5.9).  Thousands of messages from a seeded PRNG:
 * what our builder encodes, net-snmp's snmp_parse must read back to the
 * same fields and values; what net-snmp's snmp_build encodes (every PDU
 * type, v1 and v2c, every value type), our decoder must read back to the
 * same fields and values.  And the real datagrams of the fuzz corpus
 * under every truncation and every byte flip: each is refused, or
 * re-encodes to a message with the same values that is a fixed point of
 * decode-encode (byte for byte the same when the input was minimal), and
 * net-snmp reads the same values from it.
 * Deterministic: same seed, same cases.  Not here: hand-written edge
 * cases and refusals (test_ber.c, test_pdu.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define NCASES	10000	/* per direction */
#define MAXGVB	16	/* varbinds per generated message */
#define MAXSTR	300	/* longest generated string: 2-octet lengths */

struct gen_vb {
	struct oid		 name;
	struct snmp_value	 v;
	struct oid		 voidv;		/* OID value */
	uint8_t			 bytes[MAXSTR];
};

struct gen_msg {
	int32_t		 version;
	uint8_t		 comm[64];
	size_t		 comm_len;
	uint8_t		 type;
	int32_t		 reqid, es, ei;
	size_t		 n;
	struct gen_vb	 vb[MAXGVB];
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	return tu_rnd(&rng_state);
}

static uint64_t
rnd_below(uint64_t n)
{
	return n == 0 ? 0 : rnd() % n;
}

static uint32_t
gen_subid(void)
{
	static const uint32_t edge[] = { 0, 1, 127, 128, 16383, 16384,
	    2097151, 2097152, 268435455, 268435456, UINT32_MAX };

	unsigned shift;

	if (rnd_below(2))
		return edge[rnd_below(sizeof(edge) / sizeof(edge[0]))];
	/* Two statements: the order of two rnd() calls must be fixed. */
	shift = 32 + (unsigned)rnd_below(32);
	return (uint32_t)(rnd() >> shift);
}

static void
gen_oid(struct oid *o)
{
	size_t len = 2 + rnd_below(rnd_below(20) == 0 ? OID_MAX_LEN - 1 : 20);
	size_t i;

	o->o_id[0] = (uint32_t)rnd_below(3);
	if (o->o_id[0] < 2)
		o->o_id[1] = (uint32_t)rnd_below(40);
	else
		o->o_id[1] = rnd_below(2) ? (uint32_t)rnd_below(1000) :
		    UINT32_MAX - 80 - (uint32_t)rnd_below(3);
	for (i = 2; i < len; i++)
		o->o_id[i] = gen_subid();
	o->o_len = len;
}

static void
gen_value(struct gen_vb *g, bool v1)
{
	static const int64_t iedge[] = { 0, -1, 1, 127, 128, -128, -129,
	    32767, 32768, INT32_MAX, INT32_MIN };
	static const uint64_t uedge[] = { 0, 127, 128, 255, 256, INT32_MAX,
	    (uint64_t)INT32_MAX + 1, UINT32_MAX };
	static const uint64_t u64edge[] = { 0, UINT32_MAX,
	    (uint64_t)UINT32_MAX + 1, INT64_MAX, (uint64_t)INT64_MAX + 1,
	    UINT64_MAX };
	static const uint8_t types[] = { BER_INTEGER, BER_OCTET_STRING,
	    BER_NULL, BER_OBJECT_ID, BER_IPADDRESS, BER_COUNTER32, BER_GAUGE32,
	    BER_TIMETICKS, BER_OPAQUE, BER_COUNTER64, BER_NOSUCHOBJECT,
	    BER_NOSUCHINSTANCE, BER_ENDOFMIBVIEW };
	struct snmp_value *v = &g->v;
	size_t i, ntypes = sizeof(types) - (v1 ? 4 : 0);
	unsigned shift;

	memset(v, 0, sizeof(*v));
	v->val_type = types[rnd_below(ntypes)];
	switch (v->val_type) {
	case BER_INTEGER:
		v->val_int = rnd_below(2) ?
		    iedge[rnd_below(sizeof(iedge) / sizeof(iedge[0]))] :
		    (int32_t)(uint32_t)rnd();
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		v->val_uint = rnd_below(2) ?
		    uedge[rnd_below(sizeof(uedge) / sizeof(uedge[0]))] :
		    (uint32_t)rnd();
		break;
	case BER_COUNTER64:
		if (rnd_below(2))
			v->val_uint = u64edge[rnd_below(sizeof(u64edge) /
			    sizeof(u64edge[0]))];
		else {
			shift = (unsigned)rnd_below(64);
			v->val_uint = rnd() >> shift;
		}
		break;
	case BER_OBJECT_ID:
		gen_oid(&g->voidv);
		v->val_oid = &g->voidv;
		break;
	case BER_IPADDRESS:
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		v->val_str.len = v->val_type == BER_IPADDRESS ? 4 :
		    rnd_below(8) == 0 ? rnd_below(MAXSTR + 1) : rnd_below(24);
		for (i = 0; i < v->val_str.len; i++)
			g->bytes[i] = (uint8_t)rnd();
		/*
		 * net-snmp reads Opaque content starting 0x9f as its own
		 * float/double/int64 wrappers; keep plain bytes plain.
		 */
		if (v->val_type == BER_OPAQUE && v->val_str.len > 0 &&
		    g->bytes[0] == 0x9f)
			g->bytes[0] = 0x9e;
		v->val_str.ptr = g->bytes;
		break;
	default:
		break;
	}
}

static void
gen_msg(struct gen_msg *g)
{
	static const uint8_t v2types[] = { SNMP_PDU_GET, SNMP_PDU_GETNEXT,
	    SNMP_PDU_RESPONSE, SNMP_PDU_SET, SNMP_PDU_GETBULK, SNMP_PDU_INFORM,
	    SNMP_PDU_TRAP2, SNMP_PDU_REPORT };
	size_t i;

	g->version = rnd_below(2) ? SNMP_VERSION_2C : SNMP_VERSION_1;
	g->comm_len = rnd_below(sizeof(g->comm) + 1);
	for (i = 0; i < g->comm_len; i++)
		g->comm[i] = (uint8_t)rnd();
	g->type = v2types[rnd_below(g->version == SNMP_VERSION_1 ? 4 : 8)];
	g->reqid = (int32_t)(uint32_t)rnd();
	if (g->reqid == 0)
		g->reqid = 1;
	g->n = rnd_below(MAXGVB + 1);
	g->es = (int32_t)rnd_below(19);
	g->ei = (int32_t)rnd_below(g->n + 1);
	if (rnd_below(10) == 0)
		g->ei = (int32_t)rnd_below(100000);
	for (i = 0; i < g->n; i++) {
		gen_oid(&g->vb[i].name);
		gen_value(&g->vb[i], g->version == SNMP_VERSION_1);
	}
}

/* One comparison failure names the case; the harness counts it. */
static int case_no;

#define DIFF(cond) do {							\
	if (!(cond)) {							\
		fprintf(stderr, "  case %d: ", case_no);		\
		CHECK(cond);						\
		return;							\
	}								\
} while (0)

static void
netsnmp_matches_gen(const netsnmp_pdu *p, const struct gen_msg *g)
{
	const netsnmp_variable_list *var;
	size_t i, k;

	DIFF(p->version == g->version);
	DIFF(p->command == g->type);
	DIFF(p->reqid == g->reqid);
	DIFF(p->errstat == g->es);
	DIFF(p->errindex == g->ei);
	DIFF(p->community_len == g->comm_len);
	DIFF(g->comm_len == 0 || memcmp(p->community, g->comm, g->comm_len)
	    == 0);
	var = p->variables;
	for (i = 0; i < g->n; i++, var = var->next_variable) {
		const struct gen_vb *gv = &g->vb[i];
		const struct snmp_value *v = &gv->v;

		DIFF(var != NULL);
		DIFF(var->name_length == gv->name.o_len);
		for (k = 0; k < gv->name.o_len; k++)
			DIFF(var->name[k] == gv->name.o_id[k]);
		DIFF(var->type == v->val_type);
		switch (v->val_type) {
		case BER_INTEGER:
			DIFF(*var->val.integer == v->val_int);
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
			DIFF((u_long)*var->val.integer == v->val_uint);
			break;
		case BER_COUNTER64:
			DIFF(var->val.counter64->high == v->val_uint >> 32);
			DIFF(var->val.counter64->low ==
			    (v->val_uint & 0xffffffff));
			break;
		case BER_OBJECT_ID:
			DIFF(var->val_len == v->val_oid->o_len * sizeof(oid));
			for (k = 0; k < v->val_oid->o_len; k++)
				DIFF(var->val.objid[k] == v->val_oid->o_id[k]);
			break;
		case BER_IPADDRESS:
		case BER_OCTET_STRING:
		case BER_OPAQUE:
			DIFF(var->val_len == v->val_str.len);
			DIFF(v->val_str.len == 0 ||
			    memcmp(var->val.string, v->val_str.ptr,
			    v->val_str.len) == 0);
			break;
		default:
			break;
		}
	}
	DIFF(var == NULL);
}

static void
ours_matches_gen(const struct snmp_msg *m, const struct gen_msg *g)
{
	struct oid o;
	size_t i;

	DIFF(m->m_version == g->version);
	DIFF(m->m_pdu_type == g->type);
	DIFF(m->m_request_id == g->reqid);
	DIFF(m->m_error_status == g->es);
	DIFF(m->m_error_index == g->ei);
	DIFF(m->m_community_len == g->comm_len);
	DIFF(g->comm_len == 0 ||
	    memcmp(m->m_community, g->comm, g->comm_len) == 0);
	DIFF(m->m_nvbs == g->n);
	for (i = 0; i < g->n; i++) {
		const struct snmp_value *want = &g->vb[i].v;
		const struct snmp_value *got = &m->m_vbs[i].vb_value;

		DIFF(oid_cmp(&m->m_vbs[i].vb_oid, &g->vb[i].name) == 0);
		DIFF(got->val_type == want->val_type);
		switch (want->val_type) {
		case BER_INTEGER:
			DIFF(got->val_int == want->val_int);
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
		case BER_COUNTER64:
			DIFF(got->val_uint == want->val_uint);
			break;
		case BER_OBJECT_ID:
			DIFF(ber_oid_decode(got->val_str.ptr, got->val_str.len,
			    &o) == 0);
			DIFF(oid_cmp(&o, want->val_oid) == 0);
			break;
		case BER_IPADDRESS:
		case BER_OCTET_STRING:
		case BER_OPAQUE:
			DIFF(got->val_str.len == want->val_str.len);
			DIFF(want->val_str.len == 0 || memcmp(got->val_str.ptr,
			    want->val_str.ptr, want->val_str.len) == 0);
			break;
		default:
			break;
		}
	}
}

static struct gen_msg gm;
static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static uint8_t out[65536];
static size_t mutants_accepted;

static struct gen_msg gm2;
static struct snmp_varbind vbs2[SNMP_MAX_VARBINDS];
static uint8_t re[65536], re2[65536];

/*
 * What our decoder accepted (m, from in[0..n)) our builder encodes again
 * into re: never longer than in and, when as long, the very same bytes
 * (the decoder's only leniencies, redundant length octets and a padded
 * request-id, only ever add octets).  That encoding decodes to the same
 * fields (g, when not NULL) and is a fixed point: encoded once more, it
 * gives the same bytes.  Returns its length.
 */
static size_t
reencode_same(const struct snmp_msg *m, const uint8_t *in, size_t n,
    const struct gen_msg *g)
{
	struct snmp_msg m2;
	size_t len, len2;

	CHECK_INT(msg_reencode(m, re, sizeof(re), &len), ==, 0);
	CHECK_U64(len, <=, n);
	if (len == n)
		CHECK_MEM(re, len, in, n);
	CHECK_INT(snmp_msg_decode(re, len, &m2, vbs2, SNMP_MAX_VARBINDS), ==,
	    0);
	if (g != NULL)
		ours_matches_gen(&m2, g);
	CHECK_INT(msg_reencode(&m2, re2, sizeof(re2), &len2), ==, 0);
	CHECK_MEM(re2, len2, re, len);
	return len;
}

/*
 * When our decoder accepts buf: it re-encodes to the same values (see
 * reencode_same), and net-snmp accepts it too with the same values (we
 * are never laxer than net-snmp about what a message means).  Returns
 * whether ours accepted it.
 */
static bool
agrees(uint8_t *buf, size_t len)
{
	netsnmp_session sess;
	netsnmp_pdu *pdu;
	struct snmp_msg m;
	size_t i;
	int rv;

	rv = snmp_msg_decode(buf, len, &m, vbs, SNMP_MAX_VARBINDS);
	if (rv != 0) {
		CHECK(strcmp(snmp_strerror(rv), "unknown error") != 0);
		return false;
	}
	if (m.m_nvbs > MAXGVB || m.m_community_len > sizeof(gm2.comm)) {
		(void)reencode_same(&m, buf, len, NULL);
		return true;
	}
	gm2.version = m.m_version;
	memcpy(gm2.comm, m.m_community, m.m_community_len);
	gm2.comm_len = m.m_community_len;
	gm2.type = m.m_pdu_type;
	gm2.reqid = m.m_request_id;
	gm2.es = m.m_error_status;
	gm2.ei = m.m_error_index;
	gm2.n = m.m_nvbs;
	for (i = 0; i < m.m_nvbs; i++) {
		gm2.vb[i].name = vbs[i].vb_oid;
		gm2.vb[i].v = vbs[i].vb_value;
		if (vbs[i].vb_value.val_type == BER_OBJECT_ID) {
			CHECK_INT(ber_oid_decode(vbs[i].vb_value.val_str.ptr,
			    vbs[i].vb_value.val_str.len, &gm2.vb[i].voidv), ==,
			    0);
			gm2.vb[i].v.val_oid = &gm2.vb[i].voidv;
		}
	}
	(void)reencode_same(&m, buf, len, &gm2);
	snmp_sess_init(&sess);
	if ((pdu = calloc(1, sizeof(*pdu))) == NULL)
		abort();
	rv = snmp_parse(NULL, &sess, pdu, buf, len);
	if (rv != 0)
		fprintf(stderr, "  case %d: ours accepts, snmp_parse %d\n",
		    case_no, rv);
	CHECK_INT(rv, ==, 0);
	if (rv == 0)
		netsnmp_matches_gen(pdu, &gm2);
	snmp_free_pdu(pdu);
	return true;
}

/* Flip one random bit of the message in out and compare. */
static void
mutant_agrees(size_t len)
{
	if (len == 0)
		return;
	out[rnd_below(len)] ^= (uint8_t)(1u << rnd_below(8));
	if (agrees(out, len))
		mutants_accepted++;
}

static void
net_snmp_parses_what_we_encode(void)
{
	struct snmp_reply r;
	netsnmp_session sess;
	netsnmp_pdu *pdu;
	const uint8_t *msg;
	size_t len, i;
	int rv;

	snmp_sess_init(&sess);
	for (case_no = 0; case_no < NCASES; case_no++) {
		gen_msg(&gm);
		CHECK_INT(snmp_reply_init(&r, out, sizeof(out), sizeof(out),
		    gm.version, gm.comm, gm.comm_len, gm.reqid), ==, 0);
		CHECK_INT(snmp_reply_set_type(&r, gm.type), ==, 0);
		for (i = 0; i < gm.n; i++)
			CHECK_INT(snmp_reply_add(&r, &gm.vb[i].name,
			    &gm.vb[i].v), ==, 0);
		CHECK_INT(snmp_reply_finish(&r, gm.es, gm.ei, &msg, &len),
		    ==, 0);
		if ((pdu = calloc(1, sizeof(*pdu))) == NULL)
			abort();
		/* snmp_parse wants a writable buffer but does not write. */
		rv = snmp_parse(NULL, &sess, pdu, out, len);
		if (rv != 0)
			fprintf(stderr, "  case %d: snmp_parse %d\n", case_no,
			    rv);
		CHECK_INT(rv, ==, 0);
		if (rv == 0)
			netsnmp_matches_gen(pdu, &gm);
		snmp_free_pdu(pdu);
		mutant_agrees(len);
	}
	/* Most flips land in values and names; those must be compared. */
	printf("# %zu of %d mutants accepted and compared\n",
	    mutants_accepted, NCASES);
	CHECK(mutants_accepted > NCASES / 4);
}

/* Add gen's varbind to a net-snmp PDU in the form snmp_pdu_add_variable
 * takes for its type. */
static void
netsnmp_add(netsnmp_pdu *pdu, const struct gen_vb *g)
{
	oid name[OID_MAX_LEN], val[OID_MAX_LEN];
	const struct snmp_value *v = &g->v;
	struct counter64 c64;
	long l;
	u_long ul;
	size_t k;

	for (k = 0; k < g->name.o_len; k++)
		name[k] = g->name.o_id[k];
	switch (v->val_type) {
	case BER_INTEGER:
		l = (long)v->val_int;
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    &l, sizeof(l));
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		ul = (u_long)v->val_uint;
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    &ul, sizeof(ul));
		break;
	case BER_COUNTER64:
		c64.high = (u_long)(v->val_uint >> 32);
		c64.low = (u_long)(v->val_uint & 0xffffffff);
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    &c64, sizeof(c64));
		break;
	case BER_OBJECT_ID:
		for (k = 0; k < v->val_oid->o_len; k++)
			val[k] = v->val_oid->o_id[k];
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    val, v->val_oid->o_len * sizeof(oid));
		break;
	case BER_IPADDRESS:
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    v->val_str.ptr, v->val_str.len);
		break;
	default:
		snmp_pdu_add_variable(pdu, name, g->name.o_len, v->val_type,
		    NULL, 0);
		break;
	}
}

/* Octets of the identifier and length at p (2 + long-form octets). */
static size_t
tl_size(const u_char *p)
{
	return p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7f);
}

/* Overwrite the PDU tag of a v1/v2c message net-snmp built. */
static void
retag(u_char *msg, size_t len, uint8_t tag)
{
	size_t off = tl_size(msg);

	off += tl_size(msg + off) + msg[off + 1];	/* version */
	off += tl_size(msg + off) + gm.comm_len;	/* community */
	CHECK(off < len);
	CHECK_INT(msg[off], ==, SNMP_PDU_INFORM);
	if (off < len)
		msg[off] = tag;
}

static void
we_decode_what_net_snmp_builds(void)
{
	netsnmp_session sess;
	netsnmp_pdu *pdu;
	struct snmp_msg m;
	u_char *pkt;
	size_t pkt_len, offset, i;
	int rv;

	snmp_sess_init(&sess);
	for (case_no = 0; case_no < NCASES; case_no++) {
		gen_msg(&gm);
		/*
		 * snmp_build refuses a community-based Report-PDU (net-snmp
		 * sends Reports only in v3): build an Inform and retag it.
		 */
		pdu = snmp_pdu_create(gm.type == SNMP_PDU_REPORT ?
		    SNMP_PDU_INFORM : gm.type);
		pdu->version = gm.version;
		pdu->reqid = gm.reqid;
		pdu->msgid = gm.reqid;
		pdu->errstat = gm.es;
		pdu->errindex = gm.ei;
		if ((pdu->community = malloc(gm.comm_len + 1)) == NULL)
			abort();
		memcpy(pdu->community, gm.comm, gm.comm_len);
		pdu->community_len = gm.comm_len;
		for (i = 0; i < gm.n; i++)
			netsnmp_add(pdu, &gm.vb[i]);
		sess.version = gm.version;
		pkt_len = 256;
		if ((pkt = malloc(pkt_len)) == NULL)
			abort();
		offset = 0;
		/* Reverse encoding: the message ends the buffer. */
		rv = snmp_build(&pkt, &pkt_len, &offset, &sess, pdu);
		if (rv != 0)
			fprintf(stderr, "  case %d: snmp_build %d: %s\n",
			    case_no, rv, snmp_api_errstring(rv));
		CHECK_INT(rv, ==, 0);
		if (rv == 0 && gm.type == SNMP_PDU_REPORT)
			retag(pkt + pkt_len - offset, offset, gm.type);
		if (rv == 0) {
			rv = snmp_msg_decode(pkt + pkt_len - offset, offset, &m,
			    vbs, SNMP_MAX_VARBINDS);
			if (rv != 0)
				fprintf(stderr, "  case %d: %s\n", case_no,
				    snmp_strerror(rv));
			CHECK_INT(rv, ==, 0);
			if (rv == 0) {
				ours_matches_gen(&m, &gm);
				/* Minimal both ways: the very same octets. */
				CHECK_U64(reencode_same(&m, pkt + pkt_len -
				    offset, offset, &gm), ==, offset);
			}
		}
		free(pkt);
		snmp_free_pdu(pdu);
	}
}

/*
 * Real datagrams: the seed corpus of the fuzz target, captured from
 * snmpget, snmpgetnext, snmpbulkget/-walk, snmpset (v1, v2c, v3) and
 * snmpd's replies, plus a GET as gosnmp sends it (get-v2c-gosnmp) and
 * one with 82 00 NN lengths (get-v2c-longlen).  Tests run from the top
 * of the tree (tests/run.sh).
 */
#define REAL_DIR	"tests/fuzz/corpus/message"
#define REAL_MAX	64

static struct {
	char	 name[64];
	uint8_t	 b[2048];
	size_t	 n;
} real[REAL_MAX];
static size_t nreal;

static void
real_load(void)
{
	char path[sizeof(REAL_DIR) + 300];
	struct dirent *de;
	DIR *d;
	FILE *f;

	if ((d = opendir(REAL_DIR)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && nreal < REAL_MAX) {
		if (de->d_name[0] == '.' ||
		    snprintf(real[nreal].name, sizeof(real[0].name), "%s",
		    de->d_name) >= (int)sizeof(real[0].name))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", REAL_DIR,
		    de->d_name) >= (int)sizeof(path) ||
		    (f = fopen(path, "rb")) == NULL)
			continue;
		real[nreal].n = fread(real[nreal].b, 1, sizeof(real[0].b), f);
		if (real[nreal].n > 0 && real[nreal].n < sizeof(real[0].b))
			nreal++;
		fclose(f);
	}
	closedir(d);
}

static void
real_datagrams_decode_reencode_and_agree_with_net_snmp(void)
{
	struct snmp_msg m;
	size_t i, v12 = 0;
	int rv;

	CHECK(nreal >= 10);
	for (i = 0; i < nreal; i++) {
		rv = snmp_msg_decode(real[i].b, real[i].n, &m, vbs,
		    SNMP_MAX_VARBINDS);
		if (rv == SNMP_EV3) {
			CHECK_INT(m.m_version, ==, SNMP_VERSION_3);
			continue;
		}
		if (rv != 0)
			fprintf(stderr, "  %s: %s\n", real[i].name,
			    snmp_strerror(rv));
		CHECK_INT(rv, ==, 0);
		CHECK(agrees(real[i].b, real[i].n));
		v12++;
	}
	CHECK(v12 >= 10);
}

static void
every_truncation_of_real_datagrams_is_refused(void)
{
	struct snmp_msg m;
	uint8_t *p;
	size_t i, k;

	for (i = 0; i < nreal; i++) {
		for (k = 0; k < real[i].n; k++) {
			/* Exactly k heap bytes: ASan catches any overread. */
			if ((p = malloc(k + 1)) == NULL)
				abort();
			memcpy(p, real[i].b, k);
			CHECK_INT(snmp_msg_decode(p, k, &m, vbs,
			    SNMP_MAX_VARBINDS), ==, BER_ETRUNC);
			free(p);
		}
	}
}

static void
every_byte_mutation_of_real_datagrams_is_refused_or_agrees(void)
{
	static const uint8_t sets[] = { 0x00, 0x7f, 0x80, 0xff };
	size_t i, k, j, n, ok = 0, refused = 0;
	uint8_t *p;

	for (i = 0; i < nreal; i++) {
		n = real[i].n;
		for (k = 0; k < n; k++) {
			for (j = 0; j < 8 + sizeof(sets); j++) {
				if ((p = malloc(n)) == NULL)
					abort();
				memcpy(p, real[i].b, n);
				if (j < 8)
					p[k] ^= (uint8_t)(1u << j);
				else
					p[k] = sets[j - 8];
				case_no = (int)(i * 100000 + k * 16 + j);
				if (agrees(p, n))
					ok++;
				else
					refused++;
				free(p);
			}
		}
	}
	printf("# %zu real datagrams: %zu mutants accepted, %zu refused\n",
	    nreal, ok, refused);
	/* Both outcomes must occur, or the mutations test nothing. */
	CHECK(ok > 1000);
	CHECK(refused > 1000);
}

static char tmpdir[] = "/tmp/test_pdu_netsnmp.XXXXXX";

/*
 * A quiet net-snmp: no config, no MIBs, no persistent state read or
 * written (notes/net-snmp.md sec. 6: both LOAD and SAVE must be set).
 */
static int
netsnmp_setup(void)
{
	char path[sizeof(tmpdir) + 32];

	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* Made here, init_snmp neither makes nor announces it. */
	(void)snprintf(path, sizeof(path), "%s/cert_indexes", tmpdir);
	if (mkdir(path, 0700) != 0)
		return -1;
	if (setenv("SNMPCONFPATH", tmpdir, 1) != 0 ||
	    setenv("MIBDIRS", tmpdir, 1) != 0 || setenv("MIBS", "", 1) != 0 ||
	    setenv("SNMP_PERSISTENT_DIR", tmpdir, 1) != 0)
		return -1;
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp("test_pdu_netsnmp");
	return 0;
}

int
main(void)
{
	char path[sizeof(tmpdir) + 32];
	int rv;

	if (netsnmp_setup() != 0) {
		perror("netsnmp_setup");
		return 1;
	}
	real_load();
	RUN(net_snmp_parses_what_we_encode);
	RUN(we_decode_what_net_snmp_builds);
	RUN(real_datagrams_decode_reencode_and_agree_with_net_snmp);
	RUN(every_truncation_of_real_datagrams_is_refused);
	RUN(every_byte_mutation_of_real_datagrams_is_refused_or_agrees);
	snmp_shutdown("test_pdu_netsnmp");
	rv = t_done();
	/* init_snmp makes cert_indexes/ in the persistent directory. */
	(void)snprintf(path, sizeof(path), "%s/cert_indexes", tmpdir);
	(void)rmdir(path);
	(void)rmdir(tmpdir);
	return rv;
}
