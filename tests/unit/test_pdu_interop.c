/*
 * test_pdu_interop: the two leniencies of snmp/pdu.c's decoder, message
 * by message.  Long-form lengths with redundant octets (RFC 3417 sec. 8)
 * in every header, decoded to the same fields as the minimal twin; the
 * request-id gosnmp pads to 4 octets (02 04 00 76 d2 f7), answered with
 * the minimal encoding; and every other padded integer still refused.
 * The property behind both: a decoded message re-encodes to one that
 * decodes to the same values and is a fixed point of decode-encode.
 * Not here: BER primitives (test_ber.c), the strict refusals
 * (test_pdu.c), net-snmp differential tests (test_pdu_netsnmp.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

/* v2c GET sysUpTime.0, community public, request-id 0x01234567. */
#define GET_MIN "302902010104067075626c6963a01c020401234567020100020100300e" \
	"300c06082b060102010103000500"
/* The same GET with every header in the form 82 00 NN. */
#define GET_LONG "3082003d0282000101048200067075626c6963a082002a0282000401" \
	"234567028200010002820001003082001430820010068200082b060102010103" \
	"0005820000"
/* The same GET as gosnmp sends it: request-id 0x76d2f7 in 4 octets. */
#define GET_GOSNMP "302902010104067075626c6963a01c02040076d2f7020100020100" \
	"300e300c06082b060102010103000500"
/* Our answer to it, sysUpTime 3006: the request-id in 3 octets. */
#define RESP_GOSNMP "302a02010104067075626c6963a21d020376d2f702010002010030" \
	"10300e06082b0601020101030043020bbe"

#define REAL_DIR	"tests/fuzz/corpus/message"

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS], vbs2[SNMP_MAX_VARBINDS];

/*
 * Rewrite every TLV of in[0..n) with a width-octet long-form length
 * (width 1..4), recursing into constructed ones.  Returns the new length,
 * or 0 when in is not well-formed BER, out is too small or a length does
 * not fit in width octets.
 */
static size_t
widen(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t width)
{
	struct ber_cursor c;
	size_t pos = 0, len, inner, k;
	uint8_t tag;

	ber_cursor_init(&c, in, n);
	while (c.c_left > 0) {
		if (ber_get_header(&c, &tag, &len) != 0 || 2 + width > cap - pos)
			return 0;
		out[pos] = tag;
		out[pos + 1] = (uint8_t)(0x80 | width);
		if (tag & BER_CONSTRUCTED) {
			if (len > 0 && (inner = widen(c.c_p, len,
			    out + pos + 2 + width, cap - pos - 2 - width,
			    width)) == 0)
				return 0;
			if (len == 0)
				inner = 0;
		} else {
			if (len > cap - pos - 2 - width)
				return 0;
			memcpy(out + pos + 2 + width, c.c_p, len);
			inner = len;
		}
		if (width < sizeof(inner) && inner >> (8 * width) != 0)
			return 0;
		for (k = 0; k < width; k++)
			out[pos + 1 + width - k] = (uint8_t)(inner >> (8 * k));
		pos += 2 + width + inner;
		c.c_p += len;
		c.c_left -= len;
	}
	return pos;
}

/* Every field and value of a and b agree. */
static void
same_fields(const struct snmp_msg *a, const struct snmp_msg *b)
{
	const struct snmp_value *x, *y;
	size_t i;

	CHECK_INT(a->m_version, ==, b->m_version);
	CHECK_MEM(a->m_community, a->m_community_len, b->m_community,
	    b->m_community_len);
	CHECK_INT(a->m_pdu_type, ==, b->m_pdu_type);
	CHECK_INT(a->m_request_id, ==, b->m_request_id);
	CHECK_INT(a->m_error_status, ==, b->m_error_status);
	CHECK_INT(a->m_error_index, ==, b->m_error_index);
	CHECK_U64(a->m_nvbs, ==, b->m_nvbs);
	for (i = 0; i < a->m_nvbs && i < b->m_nvbs; i++) {
		x = &a->m_vbs[i].vb_value;
		y = &b->m_vbs[i].vb_value;
		CHECK_INT(oid_cmp(&a->m_vbs[i].vb_oid, &b->m_vbs[i].vb_oid), ==,
		    0);
		CHECK_INT(x->val_type, ==, y->val_type);
		switch (x->val_type) {
		case BER_INTEGER:
			CHECK_INT(x->val_int, ==, y->val_int);
			break;
		case BER_COUNTER32:
		case BER_GAUGE32:
		case BER_TIMETICKS:
		case BER_COUNTER64:
			CHECK_U64(x->val_uint, ==, y->val_uint);
			break;
		case BER_OCTET_STRING:
		case BER_OPAQUE:
		case BER_IPADDRESS:
		case BER_OBJECT_ID:
			CHECK_MEM(x->val_str.ptr, x->val_str.len,
			    y->val_str.ptr, y->val_str.len);
			break;
		default:
			break;
		}
	}
}

static void
long_form_get_decodes_to_the_fields_of_its_minimal_twin(void)
{
	uint8_t a[128], b[128], w[256], re[128];
	struct snmp_msg ma, mb;
	size_t na = hex(GET_MIN, a, sizeof(a)), nb = hex(GET_LONG, b,
	    sizeof(b)), n;

	/* The literal is what widen() makes of the minimal GET. */
	CHECK_MEM(w, widen(a, na, w, sizeof(w), 2), b, nb);
	CHECK_INT(snmp_msg_decode(a, na, &ma, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_INT(snmp_msg_decode(b, nb, &mb, vbs2, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_INT(mb.m_request_id, ==, 0x01234567);
	CHECK_U64(mb.m_nvbs, ==, 1);
	same_fields(&ma, &mb);
	/* Re-encoded, the long form becomes its minimal twin exactly. */
	CHECK_INT(msg_reencode(&mb, re, sizeof(re), &n), ==, 0);
	CHECK_MEM(re, n, a, na);
}

static void
long_form_real_datagrams_decode_and_reencode_minimally(void)
{
	static uint8_t in[2048], w[8192], re[8192];
	static const char *names[] = { "get-v1", "get-v2c", "getnext-v1",
	    "bulk-v2c", "set-v1", "set-v2c", "resp-get-v1", "resp-bulk-v2c",
	    "resp-v1-nosuchname" };
	char path[128];
	struct snmp_msg m, mw;
	size_t i, width, n, nw, nre, done = 0, one = 0;
	FILE *f;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", REAL_DIR, names[i]);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		n = fread(in, 1, sizeof(in), f);
		fclose(f);
		CHECK_INT(snmp_msg_decode(in, n, &m, vbs, SNMP_MAX_VARBINDS),
		    ==, 0);
		for (width = 1; width <= BER_MAX_LEN_OCTETS; width++) {
			/* Widened, a large reply's lengths pass 255. */
			nw = widen(in, n, w, sizeof(w), width);
			if (nw == 0 && width == 1)
				continue;
			CHECK(nw > n);
			if (width == 1)
				one++;
			CHECK_INT(snmp_msg_decode(w, nw, &mw, vbs2,
			    SNMP_MAX_VARBINDS), ==, 0);
			same_fields(&m, &mw);
			CHECK_INT(msg_reencode(&mw, re, sizeof(re), &nre), ==,
			    0);
			CHECK_MEM(re, nre, in, n);
		}
		done++;
	}
	CHECK_U64(done, ==, sizeof(names) / sizeof(names[0]));
	CHECK_U64(one, >=, done - 2);
}

static void
gosnmp_request_id_is_read_and_answered_minimally(void)
{
	uint8_t req[128], want[128], out[1500];
	struct snmp_reply r;
	struct snmp_msg m, rm;
	struct snmp_value v;
	const uint8_t *msg;
	size_t n = hex(GET_GOSNMP, req, sizeof(req)), wl, len;

	CHECK_INT(snmp_msg_decode(req, n, &m, vbs, SNMP_MAX_VARBINDS), ==, 0);
	CHECK_INT(m.m_request_id, ==, 0x0076d2f7);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GET);
	CHECK_U64(m.m_nvbs, ==, 1);
	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472, m.m_version,
	    m.m_community, m.m_community_len, m.m_request_id), ==, 0);
	memset(&v, 0, sizeof(v));
	v.val_type = BER_TIMETICKS;
	v.val_uint = 3006;
	CHECK_INT(snmp_reply_add(&r, &vbs[0].vb_oid, &v), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	wl = hex(RESP_GOSNMP, want, sizeof(want));
	CHECK_MEM(msg, len, want, wl);
	CHECK_INT(snmp_msg_decode(msg, len, &rm, vbs2, 8), ==, 0);
	CHECK_INT(rm.m_request_id, ==, 0x0076d2f7);
	/* Every pdu type carries the request-id the same way. */
	req[13] = SNMP_PDU_GETBULK;
	CHECK_INT(snmp_msg_decode(req, n, &m, vbs, 8), ==, 0);
	CHECK_INT(m.m_request_id, ==, 0x0076d2f7);
	req[13] = SNMP_PDU_RESPONSE;
	CHECK_INT(snmp_msg_decode(req, n, &m, vbs, 8), ==, 0);
	CHECK_INT(m.m_request_id, ==, 0x0076d2f7);
}

/* Padded to 5 octets, or padded anywhere but the request-id: refused. */
static void
every_other_padded_integer_is_still_refused(void)
{
	static const struct {
		const char	*what, *hex;
		int		 rv;
		bool		 have_reqid;
	} t[] = {
		{ "request-id of 5 octets",
		    "302a02010104067075626c6963a01d0205000076d2f7020100020100"
		    "300e300c06082b060102010103000500",
		    BER_EINTNONMIN, false },
		{ "padded version",
		    "302a0202000104067075626c6963a01c02040076d2f7020100020100"
		    "300e300c06082b060102010103000500",
		    BER_EINTNONMIN, false },
		{ "padded error-status",
		    "302a02010104067075626c6963a01d02040076d2f702020000020100"
		    "300e300c06082b060102010103000500",
		    BER_EINTNONMIN, true },
		{ "padded error-index",
		    "302c02010104067075626c6963a01f02040076d2f702010002040000"
		    "0000300e300c06082b060102010103000500",
		    BER_EINTNONMIN, true },
		{ "padded Counter32 value",
		    "302d02010104067075626c6963a02002040076d2f702010002010030"
		    "12301006082b06010201010300410400000005",
		    BER_EINTNONMIN, true },
		{ "padded INTEGER value",
		    "302b02010104067075626c6963a01e02040076d2f702010002010030"
		    "10300e06082b0601020101030002020005",
		    BER_EINTNONMIN, true },
		{ "request-id over int32",
		    "302a02010104067075626c6963a01d0205008076d2f7020100020100"
		    "300e300c06082b060102010103000500",
		    BER_EINTRANGE, false },
	};
	uint8_t buf[128];
	struct snmp_msg m;
	size_t i, n;
	int rv;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = hex(t[i].hex, buf, sizeof(buf));
		rv = snmp_msg_decode(buf, n, &m, vbs, SNMP_MAX_VARBINDS);
		if (rv != t[i].rv)
			fprintf(stderr, "  case: %s (%s)\n", t[i].what,
			    snmp_strerror(rv));
		CHECK_INT(rv, ==, t[i].rv);
		CHECK_INT(m.m_have_request_id, ==, t[i].have_reqid);
		if (t[i].have_reqid)
			CHECK_INT(m.m_request_id, ==, 0x0076d2f7);
	}
}

static void
error_reply_echoes_long_form_varbinds_that_still_decode(void)
{
	uint8_t req[128], out[1500];
	struct snmp_reply r;
	struct snmp_msg m, rm;
	const uint8_t *msg;
	size_t n = hex(GET_LONG, req, sizeof(req)), len;

	CHECK_INT(snmp_msg_decode(req, n, &m, vbs, 8), ==, 0);
	CHECK_INT(snmp_reply_init(&r, out, sizeof(out), 1472, m.m_version,
	    m.m_community, m.m_community_len, m.m_request_id), ==, 0);
	CHECK_INT(snmp_reply_echo(&r, &m), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, SNMP_ERRSTAT_GENERR, 1, &msg, &len),
	    ==, 0);
	CHECK_INT(snmp_msg_decode(msg, len, &rm, vbs2, 8), ==, 0);
	CHECK_INT(rm.m_error_status, ==, SNMP_ERRSTAT_GENERR);
	CHECK_U64(rm.m_nvbs, ==, 1);
	CHECK_INT(oid_cmp(&vbs[0].vb_oid, &vbs2[0].vb_oid), ==, 0);
	CHECK_MEM(rm.m_vbl, rm.m_vbl_len, m.m_vbl, m.m_vbl_len);
}

int
main(void)
{
	RUN(long_form_get_decodes_to_the_fields_of_its_minimal_twin);
	RUN(long_form_real_datagrams_decode_and_reencode_minimally);
	RUN(gosnmp_request_id_is_read_and_answered_minimally);
	RUN(every_other_padded_integer_is_still_refused);
	RUN(error_reply_echoes_long_form_varbinds_that_still_decode);
	return t_done();
}
