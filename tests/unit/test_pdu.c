/*
 * test_pdu: snmp/pdu.c.  Real datagrams captured from net-snmp's tools and
 * snmpd decoded field by field, each message-level refusal with its own
 * code, the reply builder byte for byte against snmpd's own replies, its
 * "would not fit" contract at every limit.  Differential tests against
 * libnetsnmp and the mutation of real datagrams (every truncation, every
 * byte flip): test_pdu_netsnmp.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

/* Captured with snmpget/snmpset/snmpbulkget 5.9.3 and snmpd 5.9.3. */
#define GET_V1 "303702010004067075626c6963a02a02045923facb020100020100301c" \
	"300c06082b060102010105000500300c06082b060102010103000500"
#define RESP_GET_V1 "303b02010004067075626c6963a22e02045923facb02010002010" \
	"03020300e06082b060102010105000402766d300e06082b06010201010300430200bf"
#define BULK_V2C "303902010104067075626c6963a52c0204029a4eef02010102010a30" \
	"1e300c06082b060102010103000500300e060a2b0601020119040201010500"
#define SET_V2C "308199020101040770726976617465a3818a02040ea12f830201000201" \
	"00307c301106082b06010201010400040561646d696e300d06082b0601020101070" \
	"0020148301006082b0601040101010040040a010203301306082b06010401010200" \
	"06072b06010401bf08300e06082b0601040101030043023039301106082b060104" \
	"01010400420500ffffffff300e06082b06010401010500040200ff"
#define GET_V3 "303e020103301102040a8e9f60020300ffe304010402010304103" \
	"00e0400020100020100040004000400301404000400a00e020470b5a1e50201000" \
	"201003000"
#define GET_V1_MISSING "302902010004067075626c6963a01c020429b64f0102010002" \
	"0100300e300c06082b060102010163000500"
#define RESP_V1_NOSUCHNAME "302902010004067075626c6963a21c020429b64f010201" \
	"02020101300e300c06082b060102010163000500"


static struct snmp_varbind vbs[SNMP_MAX_VARBINDS + 8];

static void
oid_is(const struct oid *o, const char *text)
{
	struct oid want;
	const char *err;

	CHECK_INT(oid_parse(text, &want, &err), ==, 0);
	CHECK_INT(oid_cmp(o, &want), ==, 0);
}

static void
real_v1_get_decodes_field_by_field(void)
{
	uint8_t buf[128];
	struct snmp_msg m;
	size_t n = hex(GET_V1, buf, sizeof(buf));

	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK(m.m_have_version && m.m_have_request_id);
	CHECK_INT(m.m_version, ==, SNMP_VERSION_1);
	CHECK_MEM(m.m_community, m.m_community_len, "public", 6);
	CHECK(m.m_community == buf + 7);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GET);
	CHECK_INT(m.m_request_id, ==, 0x5923facb);
	CHECK_INT(m.m_error_status, ==, 0);
	CHECK_INT(m.m_error_index, ==, 0);
	CHECK_U64(m.m_nvbs, ==, 2);
	CHECK_U64(m.m_nvbs_total, ==, 2);
	oid_is(&vbs[0].vb_oid, "1.3.6.1.2.1.1.5.0");
	oid_is(&vbs[1].vb_oid, "1.3.6.1.2.1.1.3.0");
	CHECK_INT(vbs[0].vb_value.val_type, ==, BER_NULL);
	CHECK_INT(vbs[1].vb_value.val_type, ==, BER_NULL);
	CHECK(m.m_vbl == buf + 29);
	CHECK_U64(m.m_vbl_len, ==, n - 29);
}

static void
real_getbulk_carries_non_repeaters_and_max_repetitions(void)
{
	uint8_t buf[128];
	struct snmp_msg m;
	size_t n = hex(BULK_V2C, buf, sizeof(buf));

	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_INT(m.m_version, ==, SNMP_VERSION_2C);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GETBULK);
	CHECK_INT(m.m_error_status, ==, 1);
	CHECK_INT(m.m_error_index, ==, 10);
	CHECK_U64(m.m_nvbs, ==, 2);
	oid_is(&vbs[1].vb_oid, "1.3.6.1.2.1.25.4.2.1.1");
}

static void
real_set_decodes_every_value_type_it_carries(void)
{
	uint8_t buf[256], want[16];
	struct snmp_msg m;
	struct oid o;
	size_t n = hex(SET_V2C, buf, sizeof(buf));

	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_SET);
	CHECK_MEM(m.m_community, m.m_community_len, "private", 7);
	CHECK_U64(m.m_nvbs, ==, 7);
	CHECK_INT(vbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_MEM(vbs[0].vb_value.val_str.ptr, vbs[0].vb_value.val_str.len,
	    "admin", 5);
	CHECK_INT(vbs[1].vb_value.val_type, ==, BER_INTEGER);
	CHECK_INT(vbs[1].vb_value.val_int, ==, 72);
	CHECK_INT(vbs[2].vb_value.val_type, ==, BER_IPADDRESS);
	CHECK_MEM(vbs[2].vb_value.val_str.ptr, 4, "\x0a\x01\x02\x03", 4);
	CHECK_INT(vbs[3].vb_value.val_type, ==, BER_OBJECT_ID);
	CHECK_INT(ber_oid_decode(vbs[3].vb_value.val_str.ptr,
	    vbs[3].vb_value.val_str.len, &o), ==, 0);
	oid_is(&o, "1.3.6.1.4.1.8072");
	CHECK_INT(vbs[4].vb_value.val_type, ==, BER_TIMETICKS);
	CHECK_U64(vbs[4].vb_value.val_uint, ==, 12345);
	CHECK_INT(vbs[5].vb_value.val_type, ==, BER_GAUGE32);
	CHECK_U64(vbs[5].vb_value.val_uint, ==, UINT32_MAX);
	CHECK_INT(vbs[6].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_MEM(vbs[6].vb_value.val_str.ptr, vbs[6].vb_value.val_str.len,
	    want, hex("00ff", want, sizeof(want)));
}

static void
v3_message_is_identified_with_its_version(void)
{
	uint8_t buf[128];
	struct snmp_msg m;
	size_t n = hex(GET_V3, buf, sizeof(buf));

	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS), ==,
	    SNMP_EV3);
	CHECK(m.m_have_version);
	CHECK(!m.m_have_request_id);
	CHECK_INT(m.m_version, ==, SNMP_VERSION_3);
}

/*
 * Assemble a message from hex parts: version TLV, community TLV, PDU tag,
 * the PDU's first three TLVs, the VarBindList content, bytes after the
 * VarBindList inside the PDU, bytes after the PDU inside the message.
 */
static size_t
assemble(uint8_t *out, size_t cap, const char *ver, const char *comm,
    uint8_t pdutag, const char *head, const char *vbl, const char *ptail,
    const char *mtail)
{
	static uint8_t a[8192], b[8192], c[8192];
	struct ber_writer w;
	size_t n, na, nb;

	/* VarBindList. */
	n = hex(vbl, c, sizeof(c));
	ber_writer_init(&w, a, sizeof(a));
	(void)ber_put_raw(&w, b, hex(head, b, sizeof(b)));
	(void)ber_put_string(&w, BER_SEQUENCE, c, n);
	(void)ber_put_raw(&w, b, hex(ptail, b, sizeof(b)));
	na = w.w_pos;
	/* PDU. */
	ber_writer_init(&w, b, sizeof(b));
	(void)ber_put_raw(&w, c, hex(ver, c, sizeof(c)));
	(void)ber_put_raw(&w, c, hex(comm, c, sizeof(c)));
	(void)ber_put_string(&w, pdutag, a, na);
	(void)ber_put_raw(&w, c, hex(mtail, c, sizeof(c)));
	nb = w.w_pos;
	ber_writer_init(&w, out, cap);
	CHECK_INT(ber_put_string(&w, BER_SEQUENCE, b, nb), ==, 0);
	return w.w_pos;
}

#define V2	"02 01 01"
#define PUB	"04 06 70 75 62 6c 69 63"
#define HEAD	"02 01 07 02 01 00 02 01 00"
#define VB	"30 0c 06 08 2b 06 01 02 01 01 05 00 05 00"

static void
assembled_good_message_decodes(void)
{
	uint8_t buf[256];
	struct snmp_msg m;
	size_t n;

	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GETNEXT, HEAD,
	    VB VB, "", "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, 0);
	CHECK_INT(m.m_request_id, ==, 7);
	CHECK_U64(m.m_nvbs, ==, 2);
	/* An empty VarBindList is well-formed. */
	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GET, HEAD, "", "",
	    "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, 0);
	CHECK_U64(m.m_nvbs, ==, 0);
	/* Every PDU type of RFC 3416 decodes. */
	{
		static const uint8_t types[] = { SNMP_PDU_GET,
		    SNMP_PDU_GETNEXT, SNMP_PDU_RESPONSE, SNMP_PDU_SET,
		    SNMP_PDU_GETBULK, SNMP_PDU_INFORM, SNMP_PDU_TRAP2,
		    SNMP_PDU_REPORT };
		size_t i;

		for (i = 0; i < sizeof(types); i++) {
			n = assemble(buf, sizeof(buf), V2, PUB, types[i],
			    HEAD, VB, "", "");
			CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, 0);
			CHECK_INT(m.m_pdu_type, ==, types[i]);
		}
	}
}

struct bad_case {
	const char	*what;
	const char	*ver, *comm;
	uint8_t		 tag;
	const char	*head, *vbl, *ptail, *mtail;
	int		 rv;
	bool		 have_version, have_reqid;
};

/* Header-level cases, then varbind-level ones (HEAD, reqid known). */
#define HC(what, ver, comm, tag, head, mtail, rv, hv) \
	{ what, ver, comm, tag, head, VB, "", mtail, rv, hv, false }
#define VC(what, vbl, ptail, rv) \
	{ what, V2, PUB, 0xa0, HEAD, vbl, ptail, "", rv, true, true }
static const struct bad_case bad_cases[] = {
	HC("version 2", "02 01 02", PUB, 0xa0, HEAD, "", SNMP_EVERSION, 1),
	HC("version -1", "02 01 ff", PUB, 0xa0, HEAD, "", SNMP_EVERSION, 1),
	HC("version 3", "02 01 03", PUB, 0xa0, HEAD, "", SNMP_EV3, 1),
	HC("version 2^32", "02 05 01 00 00 00 00", PUB, 0xa0, HEAD, "",
	    BER_EINTRANGE, 0),
	HC("version non-minimal", "02 02 00 01", PUB, 0xa0, HEAD, "",
	    BER_EINTNONMIN, 0),
	HC("version as string", "04 01 01", PUB, 0xa0, HEAD, "", BER_ETAG, 0),
	HC("constructed community", V2, "24 03 04 01 61", 0xa0, HEAD, "",
	    BER_ECONSTRUCTED, 1),
	HC("community as integer", V2, "02 01 00", 0xa0, HEAD, "", BER_ETAG,
	    1),
	HC("v1 Trap-PDU", V2, PUB, 0xa4, HEAD, "", SNMP_EPDUTYPE, 1),
	HC("PDU tag 0xa9", V2, PUB, 0xa9, HEAD, "", SNMP_EPDUTYPE, 1),
	HC("SEQUENCE for a PDU", V2, PUB, 0x30, HEAD, "", BER_ETAG, 1),
	HC("element after the PDU", V2, PUB, 0xa0, HEAD, "05 00",
	    BER_ETRAILING, 1),
	HC("request-id over 32 bits", V2, PUB, 0xa0,
	    "02 05 01 00 00 00 00 02 01 00 02 01 00", "", BER_EINTRANGE, 1),
	HC("request-id as NULL", V2, PUB, 0xa0, "05 00 02 01 00 02 01 00", "",
	    BER_ETAG, 1),
	{ "error-status missing", V2, PUB, 0xa0, "02 01 07", "", "", "",
	    BER_ETAG, true, true },
	{ "error-index non-minimal", V2, PUB, 0xa0,
	    "02 01 07 02 01 00 02 02 ff ff", VB, "", "", BER_EINTNONMIN, true,
	    true },
	VC("element after the VarBindList", VB, "05 00", BER_ETRAILING),
	VC("varbind not a SEQUENCE", "31 02 05 00", "", BER_ETAG),
	VC("varbind name not an OID", "30 04 04 00 05 00", "", BER_ETAG),
	VC("varbind without a value", "30 03 06 01 00", "", BER_ETRUNC),
	VC("varbind with three elements", "30 07 06 01 00 05 00 05 00", "",
	    BER_ETRAILING),
	VC("NULL with content", "30 06 06 01 00 05 01 00", "", BER_ENULLLEN),
	VC("SEQUENCE as a value", "30 07 06 01 00 30 02 05 00", "",
	    BER_EDEPTH),
	VC("constructed OCTET STRING value", "30 08 06 01 00 24 03 04 01 61",
	    "", BER_ECONSTRUCTED),
	VC("high-tag-number value", "30 06 06 01 00 1f 01 00", "",
	    BER_EHIGHTAG),
	VC("unknown value type", "30 05 06 01 00 45 00", "", BER_EVALTYPE),
	VC("sub-identifier 0x80", "30 06 06 02 2b 80 05 00", "",
	    BER_EOIDNONMIN),
	VC("sub-identifier 2^32", "30 0a 06 06 2b 90 80 80 80 00 05 00", "",
	    BER_EOIDSUB),
	VC("empty OID", "30 04 06 00 05 00", "", BER_EOIDEMPTY),
	VC("Counter32 over 2^32-1", "30 0a 06 01 00 41 05 01 00 00 00 00", "",
	    BER_EINTRANGE),
	VC("indefinite varbind length", "30 80 06 01 00 05 00 00 00", "",
	    BER_EINDEFINITE),
	VC("reserved varbind length 0xff", "30 ff 06 01 00 05 00", "",
	    BER_ELENLONG),
	VC("five length octets", "30 85 00 00 00 00 05 06 01 00 05 00", "",
	    BER_ELENLONG),
	VC("varbind longer than its list", "30 09 06 01 00 05 00", "",
	    BER_ETRUNC),
};

static void
each_message_refusal_has_its_own_code(void)
{
	uint8_t buf[512];
	struct snmp_msg m;
	size_t i, n;
	int rv;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *t = &bad_cases[i];

		n = assemble(buf, sizeof(buf), t->ver, t->comm, t->tag,
		    t->head, t->vbl, t->ptail, t->mtail);
		rv = snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS);
		if (rv != t->rv)
			fprintf(stderr, "  case: %s (%s)\n", t->what,
			    snmp_strerror(rv));
		CHECK_INT(rv, ==, t->rv);
		CHECK_INT(m.m_have_version, ==, t->have_version);
		CHECK_INT(m.m_have_request_id, ==, t->have_reqid);
		if (t->have_reqid)
			CHECK_INT(m.m_request_id, ==, 7);
	}
}

static void
outer_framing_refusals_have_their_own_codes(void)
{
	uint8_t buf[512];
	struct snmp_msg m;
	size_t n;

	n = assemble(buf, sizeof(buf) - 1, V2, PUB, 0xa0, HEAD, VB, "", "");
	buf[n] = 0x00;
	CHECK_INT(snmp_msg_decode(buf, n + 1, &m, vbs, 4), ==, SNMP_ETRAILING);
	CHECK_INT(snmp_msg_decode(buf, n - 1, &m, vbs, 4), ==, BER_ETRUNC);
	CHECK_INT(snmp_msg_decode(buf, 0, &m, vbs, 4), ==, BER_ETRUNC);
	buf[0] = 0x31;
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_ETAG);
	n = hex("30 80 02 01 01 00 00", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_EINDEFINITE);
	n = hex("3f 81 03 02 01 01", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_EHIGHTAG);
	/* A long form longer than needed is read (RFC 3417 sec. 8)... */
	n = hex("30 81 03 02 01 01", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_ETRUNC);
	CHECK(m.m_have_version);
	/* ... but not a fifth length octet, nor the reserved 0xff. */
	n = hex("30 85 00 00 00 00 03 02 01 01", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_ELENLONG);
	n = hex("30 ff 03 02 01 01", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_ELENLONG);
	n = hex("30 84 ff ff ff f0 02 01 01", buf, sizeof(buf));
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==, BER_ETRUNC);
}

static void
community_of_255_octets_passes_and_256_is_refused(void)
{
	static char comm[2 * 260 + 16];
	uint8_t buf[1024];
	struct snmp_msg m;
	size_t i, n, k, pos;

	for (i = 255; i <= 256; i++) {
		pos = (size_t)snprintf(comm, sizeof(comm), "%s",
		    i == 255 ? "04 81 ff " : "04 82 01 00 ");
		for (k = 0; k < i; k++)
			pos += (size_t)snprintf(comm + pos, sizeof(comm) - pos,
			    "61");
		n = assemble(buf, sizeof(buf), V2, comm, 0xa0, HEAD, VB, "",
		    "");
		CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 4), ==,
		    i == 255 ? 0 : SNMP_ECOMMUNITY);
		CHECK(m.m_have_version);
	}
}

static void
too_many_varbinds_is_reported_after_the_request_id(void)
{
	static char vbl[(SNMP_MAX_VARBINDS + 2) * sizeof(VB) + 64];
	static uint8_t buf[16384];
	struct snmp_msg m;
	size_t i, n, pos;

	for (pos = 0, i = 0; i < SNMP_MAX_VARBINDS + 1; i++)
		pos += (size_t)snprintf(vbl + pos, sizeof(vbl) - pos, "%s", VB);
	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GET, HEAD, vbl, "",
	    "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS + 8), ==,
	    SNMP_ETOOMANY);
	CHECK(m.m_have_request_id);
	CHECK_INT(m.m_request_id, ==, 7);
	CHECK_U64(m.m_nvbs, ==, SNMP_MAX_VARBINDS);
	CHECK_U64(m.m_nvbs_total, ==, SNMP_MAX_VARBINDS + 1);
	/* Exactly the cap is fine. */
	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GET, HEAD,
	    vbl + strlen(VB), "", "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_U64(m.m_nvbs, ==, SNMP_MAX_VARBINDS);
	/* A smaller caller array is a smaller cap. */
	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GET, HEAD,
	    VB VB VB, "", "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 2), ==, SNMP_ETOOMANY);
	CHECK_U64(m.m_nvbs, ==, 2);
	CHECK_U64(m.m_nvbs_total, ==, 3);
	/* Malformed past the cap: the malformation wins. */
	n = assemble(buf, sizeof(buf), V2, PUB, SNMP_PDU_GET, HEAD,
	    VB VB "30 05 06 01 00 45 00", "", "");
	CHECK_INT(snmp_msg_decode(buf, n, &m, vbs, 2), ==, BER_EVALTYPE);
}

static void
oids_over_128_sub_identifiers_are_refused_in_varbinds(void)
{
	static char vbl[1024];
	uint8_t buf[2048];
	struct snmp_msg m;
	size_t i, pos, subids;

	for (subids = 127; subids <= 128; subids++) {
		/* 128 content octets need the long length form. */
		pos = (size_t)snprintf(vbl, sizeof(vbl),
		    "30 81 %02zx 06 %s%02zx", subids + 4 + (subids > 127),
		    subids > 127 ? "81 " : "", subids);
		for (i = 0; i < subids; i++)
			pos += (size_t)snprintf(vbl + pos, sizeof(vbl) - pos,
			    " 01");
		(void)snprintf(vbl + pos, sizeof(vbl) - pos, " 05 00");
		i = assemble(buf, sizeof(buf), V2, PUB, 0xa0, HEAD, vbl, "",
		    "");
		CHECK_INT(snmp_msg_decode(buf, i, &m, vbs, 4), ==,
		    subids == 127 ? 0 : BER_EOIDLEN);
		if (subids == 127)
			CHECK_U64(vbs[0].vb_oid.o_len, ==, OID_MAX_LEN);
	}
}

static void
error_codes_have_distinct_messages(void)
{
	int a, b;

	/* -4 (a retired ber_error) and -24..-39 are unused. */
	for (a = SNMP_EINVAL; a <= BER_ETRUNC; a++) {
		if ((a < BER_ENOSPACE && a > SNMP_EV3) || a == -4)
			continue;
		CHECK(strcmp(snmp_strerror(a), "unknown error") != 0);
		for (b = a + 1; b <= BER_ETRUNC; b++) {
			if ((b < BER_ENOSPACE && b > SNMP_EV3) || b == -4)
				continue;
			CHECK(strcmp(snmp_strerror(a), snmp_strerror(b)) != 0);
		}
	}
}

static void
oid_of(struct oid *o, const char *text)
{
	const char *err;

	CHECK_INT(oid_parse(text, o, &err), ==, 0);
}

static void
reply_matches_snmpd_byte_for_byte(void)
{
	uint8_t out[1500], want[128];
	struct snmp_reply r;
	struct snmp_value v;
	struct oid o;
	const uint8_t *msg;
	size_t len, wl = hex(RESP_GET_V1, want, sizeof(want));

	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472, SNMP_VERSION_1,
	    (const uint8_t *)"public", 6, 0x5923facb), ==, 0);
	oid_of(&o, "1.3.6.1.2.1.1.5.0");
	v.val_type = BER_OCTET_STRING;
	v.val_str.ptr = (const uint8_t *)"vm";
	v.val_str.len = 2;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	oid_of(&o, "1.3.6.1.2.1.1.3.0");
	v.val_type = BER_TIMETICKS;
	v.val_uint = 0xbf;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	CHECK_U64(snmp_reply_count(&r), ==, 2);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	CHECK(msg == out);
	CHECK_MEM(msg, len, want, wl);
}

static void
v1_error_reply_echoes_the_request_varbinds(void)
{
	uint8_t req[128], out[1500], want[128];
	struct snmp_reply r;
	struct snmp_msg m;
	struct snmp_value v;
	struct oid o;
	const uint8_t *msg;
	size_t len, n = hex(GET_V1_MISSING, req, sizeof(req));
	size_t wl = hex(RESP_V1_NOSUCHNAME, want, sizeof(want));

	CHECK_INT(snmp_msg_decode(req, n, &m, vbs, 8), ==, 0);
	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472, m.m_version,
	    m.m_community, m.m_community_len, m.m_request_id), ==, 0);
	/* Whatever was added before is replaced by the echo. */
	oid_of(&o, "1.3.6.1.2.1.1.5.0");
	v.val_type = BER_INTEGER;
	v.val_int = 5;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	CHECK_INT(snmp_reply_echo(&r, &m), ==, 0);
	CHECK_U64(snmp_reply_count(&r), ==, 1);
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_NOSUCHNAME, 1, &msg,
	    &len), ==, 0);
	CHECK_MEM(msg, len, want, wl);
	/* An echo that cannot fit is refused and changes nothing. */
	CHECK_INT(snmp_reply_init(&r, out, 40, 1472, m.m_version,
	    m.m_community, m.m_community_len, m.m_request_id), ==, 0);
	CHECK_INT(snmp_reply_echo(&r, &m), ==, SNMP_ENOFIT);
	CHECK_U64(snmp_reply_count(&r), ==, 0);
}

/* Varbind i of a reproducible mix of every type and growing sizes. */
static void
sample_varbind(size_t i, struct oid *o, struct snmp_value *v, struct oid *vo)
{
	static const uint8_t text[300] = { 'x' };

	oid_of(o, "1.3.6.1.4.1.8072.9999.9999.1.2.1");
	(void)oid_append(o, (uint32_t)(i * 977));
	memset(v, 0, sizeof(*v));
	switch (i % 7) {
	case 0:
		v->val_type = BER_INTEGER;
		v->val_int = -(int64_t)i * 100003;
		break;
	case 1:
		v->val_type = BER_OCTET_STRING;
		v->val_str.ptr = text;
		v->val_str.len = (i * 37) % 300;
		break;
	case 2:
		v->val_type = BER_COUNTER64;
		v->val_uint = UINT64_MAX - i;
		break;
	case 3:
		v->val_type = BER_OBJECT_ID;
		oid_of(vo, "1.3.6.1.2.1.25.4.2.1.2");
		(void)oid_append(vo, (uint32_t)i << 20);
		v->val_oid = vo;
		break;
	case 4:
		v->val_type = BER_GAUGE32;
		v->val_uint = UINT32_MAX - i;
		break;
	case 5:
		v->val_type = BER_IPADDRESS;
		v->val_str.ptr = (const uint8_t *)"\x7f\x00\x00\x01";
		v->val_str.len = 4;
		break;
	default:
		v->val_type = i % 2 ? BER_ENDOFMIBVIEW : BER_NULL;
		break;
	}
}

#define NSAMPLE	24

static void
reply_add_fills_every_limit_exactly_and_never_overruns(void)
{
	static uint8_t full[8192], out[8192 + 64];
	static size_t size_with[NSAMPLE + 1];
	struct snmp_reply r;
	struct snmp_value v;
	struct snmp_msg m;
	struct oid o, vo;
	const uint8_t *msg;
	size_t i, k, len, limit, want;
	int rv;

	/* The size of the finished message with the first k varbinds. */
	for (k = 0; k <= NSAMPLE; k++) {
		CHECK_INT(snmp_reply_init(&r, full, sizeof(full), 65535,
		    SNMP_VERSION_2C, (const uint8_t *)"public", 6, 1234), ==,
		    0);
		for (i = 0; i < k; i++) {
			sample_varbind(i, &o, &v, &vo);
			CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
		}
		CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
		size_with[k] = len;
	}
	for (limit = 0; limit <= size_with[NSAMPLE] + 2; limit++) {
		for (want = 0; want < NSAMPLE &&
		    size_with[want + 1] <= limit; want++)
			;
		memset(out, 0xa5, sizeof(out));
		/* The limit comes from cap on odd rounds, max_msg on even. */
		CHECK_INT(snmp_reply_init(&r, out, limit % 2 ? limit :
		    sizeof(out), limit % 2 ? 65535 : limit, SNMP_VERSION_2C,
		    (const uint8_t *)"public", 6, 1234), ==, 0);
		for (i = 0; i < NSAMPLE; i++) {
			sample_varbind(i, &o, &v, &vo);
			if ((rv = snmp_reply_add(&r, &o, &v)) != 0)
				break;
		}
		CHECK_U64(i, ==, want);
		if (i < NSAMPLE)
			CHECK_INT(rv, ==, SNMP_ENOFIT);
		for (k = limit; k < sizeof(out); k++)
			if (out[k] != 0xa5)
				break;
		CHECK_U64(k, ==, sizeof(out));
		rv = snmp_reply_finish(&r, 0, 0, &msg, &len);
		if (limit < size_with[0]) {
			CHECK_INT(rv, ==, SNMP_ENOFIT);
			continue;
		}
		CHECK_INT(rv, ==, 0);
		CHECK_U64(len, ==, size_with[want]);
		CHECK_INT(snmp_msg_decode(msg, len, &m, vbs, NSAMPLE), ==, 0);
		CHECK_U64(m.m_nvbs, ==, want);
	}
}

static void
too_big_reply_carries_no_varbinds(void)
{
	uint8_t out[1500];
	struct snmp_reply r;
	struct snmp_value v;
	struct snmp_msg m;
	struct oid o, vo;
	const uint8_t *msg;
	size_t len, i;

	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 484, SNMP_VERSION_1,
	    (const uint8_t *)"public", 6, -5), ==, 0);
	for (i = 0; i < 3; i++) {
		sample_varbind(i, &o, &v, &vo);
		CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	}
	snmp_reply_clear(&r);
	CHECK_U64(snmp_reply_count(&r), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_TOOBIG, 0, &msg, &len),
	    ==, 0);
	CHECK_INT(snmp_msg_decode(msg, len, &m, vbs, 8), ==, 0);
	CHECK_INT(m.m_version, ==, SNMP_VERSION_1);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_RESPONSE);
	CHECK_INT(m.m_request_id, ==, -5);
	CHECK_INT(m.m_error_status, ==, SNMP_ERRSTAT_TOOBIG);
	CHECK_INT(m.m_error_index, ==, 0);
	CHECK_U64(m.m_nvbs, ==, 0);
}

static void
finish_refuses_error_fields_that_overflow_and_recovers(void)
{
	uint8_t out[1500], first[1500];
	struct snmp_reply r;
	struct snmp_value v;
	struct snmp_msg m;
	struct oid o, vo;
	const uint8_t *msg;
	size_t len, len0, i;

	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 65535,
	    SNMP_VERSION_2C, (const uint8_t *)"c", 1, 99), ==, 0);
	for (i = 0; i < 5; i++) {
		sample_varbind(i, &o, &v, &vo);
		CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	}
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len0), ==, 0);
	memcpy(first, msg, len0);
	/* Same varbinds, limit exactly the noError size. */
	CHECK_INT(snmp_reply_init(&r, out, len0, 65535, SNMP_VERSION_2C,
	    (const uint8_t *)"c", 1, 99), ==, 0);
	for (i = 0; i < 5; i++) {
		sample_varbind(i, &o, &v, &vo);
		CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	}
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_GENERR, 200, &msg, &len),
	    ==, SNMP_ENOFIT);
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_GENERR, 5, &msg, &len),
	    ==, 0);
	CHECK_U64(len, ==, len0);
	/* Finishing again, differently, then as before: same bytes. */
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	CHECK_MEM(msg, len, first, len0);
	/* Adding after a finish works; so does clearing to tooBig. */
	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 65535,
	    SNMP_VERSION_2C, (const uint8_t *)"c", 1, 99), ==, 0);
	sample_varbind(0, &o, &v, &vo);
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	sample_varbind(1, &o, &v, &vo);
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	CHECK_INT(snmp_msg_decode(msg, len, &m, vbs, 8), ==, 0);
	CHECK_U64(m.m_nvbs, ==, 2);
	CHECK_INT(vbs[0].vb_value.val_type, ==, BER_INTEGER);
	CHECK_INT(vbs[1].vb_value.val_type, ==, BER_OCTET_STRING);
	snmp_reply_clear(&r);
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_TOOBIG, 0, &msg, &len),
	    ==, 0);
	CHECK_INT(snmp_msg_decode(msg, len, &m, vbs, 8), ==, 0);
	CHECK_U64(m.m_nvbs, ==, 0);
}

static void
builder_encodes_requests_and_refuses_bad_arguments(void)
{
	static const uint8_t comm[256] = { 'c' };
	uint8_t out[1500];
	struct snmp_reply r;
	struct snmp_value v;
	struct snmp_msg m;
	struct oid o, bad;
	const uint8_t *msg;
	size_t len;

	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472,
	    SNMP_VERSION_2C, comm, 256, 1), ==, SNMP_ECOMMUNITY);
	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472,
	    SNMP_VERSION_2C, comm, 255, INT32_MIN), ==, 0);
	CHECK_INT(snmp_reply_set_type(&r, SNMP_PDU_TRAPV1), ==, SNMP_EINVAL);
	CHECK_INT(snmp_reply_set_type(&r, BER_SEQUENCE), ==, SNMP_EINVAL);
	CHECK_INT(snmp_reply_set_type(&r, SNMP_PDU_GETBULK), ==, 0);
	oid_of(&o, "1.3.6.1.2.1.2.2.1.10");
	v.val_type = BER_NULL;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, 0);
	oid_of(&bad, "7.1");
	CHECK_INT(snmp_reply_add(&r, &bad, &v), ==, BER_EOIDARC);
	v.val_type = BER_INTEGER;
	v.val_int = (int64_t)INT32_MAX + 1;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, BER_EVALUE);
	v.val_type = 0x47;
	CHECK_INT(snmp_reply_add(&r, &o, &v), ==, BER_EVALTYPE);
	CHECK_U64(snmp_reply_count(&r), ==, 1);
	CHECK_INT(snmp_reply_finish(&r, 2, 25, &msg, &len), ==, 0);
	CHECK_INT(snmp_msg_decode(msg, len, &m, vbs, 8), ==, 0);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GETBULK);
	CHECK_INT(m.m_request_id, ==, INT32_MIN);
	CHECK_INT(m.m_error_status, ==, 2);
	CHECK_INT(m.m_error_index, ==, 25);
	CHECK_U64(m.m_community_len, ==, 255);
	CHECK_U64(m.m_nvbs, ==, 1);
	oid_is(&vbs[0].vb_oid, "1.3.6.1.2.1.2.2.1.10");
}

int
main(void)
{
	RUN(real_v1_get_decodes_field_by_field);
	RUN(real_getbulk_carries_non_repeaters_and_max_repetitions);
	RUN(real_set_decodes_every_value_type_it_carries);
	RUN(v3_message_is_identified_with_its_version);
	RUN(assembled_good_message_decodes);
	RUN(each_message_refusal_has_its_own_code);
	RUN(outer_framing_refusals_have_their_own_codes);
	RUN(community_of_255_octets_passes_and_256_is_refused);
	RUN(too_many_varbinds_is_reported_after_the_request_id);
	RUN(oids_over_128_sub_identifiers_are_refused_in_varbinds);
	RUN(error_codes_have_distinct_messages);
	RUN(reply_matches_snmpd_byte_for_byte);
	RUN(v1_error_reply_echoes_the_request_varbinds);
	RUN(reply_add_fills_every_limit_exactly_and_never_overruns);
	RUN(too_big_reply_carries_no_varbinds);
	RUN(finish_refuses_error_fields_that_overflow_and_recovers);
	RUN(builder_encodes_requests_and_refuses_bad_arguments);
	return t_done();
}
