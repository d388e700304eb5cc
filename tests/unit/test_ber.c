/*
 * test_ber: snmp/ber.c, table-driven.  Every value type with its edge
 * values decoded and encoded byte for byte, every refusal with its own
 * code, and for each decoder the exact, truncated, limited and giant
 * cases (OpenSSH regress style).  Messages and PDUs: test_pdu.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/ber.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

enum kind { K_NONE, K_INT, K_UINT, K_STR };

struct dec_case {
	const char	*hex;
	int		 rv;
	uint8_t		 type;
	enum kind	 kind;
	int64_t		 i;
	uint64_t	 u;
	const char	*str;	/* expected content, as hex */
};

static const struct dec_case dec_cases[] = {
	/* INTEGER: int32 range, minimal only. */
	{ "02 01 00", 0, BER_INTEGER, K_INT, 0, 0, NULL },
	{ "02 01 ff", 0, BER_INTEGER, K_INT, -1, 0, NULL },
	{ "02 01 7f", 0, BER_INTEGER, K_INT, 127, 0, NULL },
	{ "02 02 00 80", 0, BER_INTEGER, K_INT, 128, 0, NULL },
	{ "02 01 80", 0, BER_INTEGER, K_INT, -128, 0, NULL },
	{ "02 02 ff 7f", 0, BER_INTEGER, K_INT, -129, 0, NULL },
	{ "02 04 7f ff ff ff", 0, BER_INTEGER, K_INT, INT32_MAX, 0, NULL },
	{ "02 04 80 00 00 00", 0, BER_INTEGER, K_INT, INT32_MIN, 0, NULL },
	{ "02 05 00 80 00 00 00", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	{ "02 05 ff 7f ff ff ff", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	{ "02 00", BER_EINTEMPTY, 0, K_NONE, 0, 0, NULL },
	{ "02 02 00 01", BER_EINTNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "02 02 ff 80", BER_EINTNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "02 06 00 00 00 00 00 01", BER_EINTNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "22 03 02 01 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	/* Counter32, Gauge32, TimeTicks: 0 .. 2^32-1, 0x00 pad allowed. */
	{ "41 01 00", 0, BER_COUNTER32, K_UINT, 0, 0, NULL },
	{ "41 05 00 ff ff ff ff", 0, BER_COUNTER32, K_UINT, 0, UINT32_MAX,
	    NULL },
	{ "41 04 7f ff ff ff", 0, BER_COUNTER32, K_UINT, 0, INT32_MAX, NULL },
	{ "41 05 00 80 00 00 00", 0, BER_COUNTER32, K_UINT, 0, 1u << 31,
	    NULL },
	{ "41 01 80", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	{ "41 05 01 00 00 00 00", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	{ "41 06 00 ff ff ff ff ff", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	{ "41 02 00 7f", BER_EINTNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "41 00", BER_EINTEMPTY, 0, K_NONE, 0, 0, NULL },
	{ "61 03 02 01 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	{ "42 05 00 ff ff ff ff", 0, BER_GAUGE32, K_UINT, 0, UINT32_MAX,
	    NULL },
	{ "42 01 2a", 0, BER_GAUGE32, K_UINT, 0, 42, NULL },
	{ "43 04 01 02 03 04", 0, BER_TIMETICKS, K_UINT, 0, 0x01020304,
	    NULL },
	{ "43 05 00 ff ff ff fe", 0, BER_TIMETICKS, K_UINT, 0,
	    UINT32_MAX - 1, NULL },
	/* Counter64: 0 .. 2^64-1. */
	{ "46 01 00", 0, BER_COUNTER64, K_UINT, 0, 0, NULL },
	{ "46 09 00 ff ff ff ff ff ff ff ff", 0, BER_COUNTER64, K_UINT, 0,
	    UINT64_MAX, NULL },
	{ "46 08 7f ff ff ff ff ff ff ff", 0, BER_COUNTER64, K_UINT, 0,
	    INT64_MAX, NULL },
	{ "46 05 01 00 00 00 00", 0, BER_COUNTER64, K_UINT, 0,
	    (uint64_t)1 << 32, NULL },
	{ "46 09 01 00 00 00 00 00 00 00 00", BER_EINTRANGE, 0, K_NONE, 0,
	    0, NULL },
	{ "46 09 00 7f ff ff ff ff ff ff ff", BER_EINTNONMIN, 0, K_NONE, 0,
	    0, NULL },
	{ "46 01 ff", BER_EINTRANGE, 0, K_NONE, 0, 0, NULL },
	/* Strings. */
	{ "04 00", 0, BER_OCTET_STRING, K_STR, 0, 0, "" },
	{ "04 03 61 62 63", 0, BER_OCTET_STRING, K_STR, 0, 0, "61 62 63" },
	{ "04 02 00 ff", 0, BER_OCTET_STRING, K_STR, 0, 0, "00 ff" },
	{ "24 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	{ "44 00", 0, BER_OPAQUE, K_STR, 0, 0, "" },
	{ "44 03 9f 78 04", 0, BER_OPAQUE, K_STR, 0, 0, "9f 78 04" },
	{ "40 04 7f 00 00 01", 0, BER_IPADDRESS, K_STR, 0, 0, "7f 00 00 01" },
	{ "40 03 7f 00 00", BER_EIPADDR, 0, K_NONE, 0, 0, NULL },
	{ "40 05 7f 00 00 01 02", BER_EIPADDR, 0, K_NONE, 0, 0, NULL },
	{ "40 00", BER_EIPADDR, 0, K_NONE, 0, 0, NULL },
	/* NULL and the v2c exceptions. */
	{ "05 00", 0, BER_NULL, K_NONE, 0, 0, NULL },
	{ "05 01 00", BER_ENULLLEN, 0, K_NONE, 0, 0, NULL },
	{ "80 00", 0, BER_NOSUCHOBJECT, K_NONE, 0, 0, NULL },
	{ "81 00", 0, BER_NOSUCHINSTANCE, K_NONE, 0, 0, NULL },
	{ "82 00", 0, BER_ENDOFMIBVIEW, K_NONE, 0, 0, NULL },
	{ "82 01 00", BER_ENULLLEN, 0, K_NONE, 0, 0, NULL },
	{ "a0 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	{ "83 00", BER_EVALTYPE, 0, K_NONE, 0, 0, NULL },
	/* OBJECT IDENTIFIER values stay content views, checked. */
	{ "06 01 00", 0, BER_OBJECT_ID, K_STR, 0, 0, "00" },
	{ "06 03 2b 06 01", 0, BER_OBJECT_ID, K_STR, 0, 0, "2b 06 01" },
	{ "06 00", BER_EOIDEMPTY, 0, K_NONE, 0, 0, NULL },
	{ "06 02 2b 86", BER_EOIDTRUNC, 0, K_NONE, 0, 0, NULL },
	{ "06 03 2b 80 01", BER_EOIDNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "26 03 06 01 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	/* Types SNMP v1/v2c does not define, and nesting. */
	{ "45 00", BER_EVALTYPE, 0, K_NONE, 0, 0, NULL },
	{ "47 01 00", BER_EVALTYPE, 0, K_NONE, 0, 0, NULL },
	{ "03 01 00", BER_EVALTYPE, 0, K_NONE, 0, 0, NULL },
	{ "30 00", BER_EDEPTH, 0, K_NONE, 0, 0, NULL },
	{ "30 03 02 01 00", BER_EDEPTH, 0, K_NONE, 0, 0, NULL },
	{ "64 00", BER_ECONSTRUCTED, 0, K_NONE, 0, 0, NULL },
	/* Identifier and length refusals. */
	{ "1f 01 00", BER_EHIGHTAG, 0, K_NONE, 0, 0, NULL },
	{ "5f 01 01 00", BER_EHIGHTAG, 0, K_NONE, 0, 0, NULL },
	{ "04 80 00 00", BER_EINDEFINITE, 0, K_NONE, 0, 0, NULL },
	/* Long forms longer than needed: RFC 3417 sec. 8 permits them. */
	{ "04 81 01 61", 0, BER_OCTET_STRING, K_STR, 0, 0, "61" },
	{ "04 82 00 01 61", 0, BER_OCTET_STRING, K_STR, 0, 0, "61" },
	{ "04 83 00 00 01 61", 0, BER_OCTET_STRING, K_STR, 0, 0, "61" },
	{ "04 84 00 00 00 01 61", 0, BER_OCTET_STRING, K_STR, 0, 0, "61" },
	{ "04 81 00", 0, BER_OCTET_STRING, K_STR, 0, 0, "" },
	{ "04 84 00 00 00 00", 0, BER_OCTET_STRING, K_STR, 0, 0, "" },
	{ "02 82 00 01 05", 0, BER_INTEGER, K_INT, 5, 0, NULL },
	{ "41 81 02 00 80", 0, BER_COUNTER32, K_UINT, 0, 128, NULL },
	{ "06 82 00 03 2b 06 01", 0, BER_OBJECT_ID, K_STR, 0, 0, "2b 06 01" },
	{ "05 81 00", 0, BER_NULL, K_NONE, 0, 0, NULL },
	{ "05 81 01 00", BER_ENULLLEN, 0, K_NONE, 0, 0, NULL },
	/* ... but the content must still be minimal. */
	{ "02 81 02 00 05", BER_EINTNONMIN, 0, K_NONE, 0, 0, NULL },
	{ "04 81 7f", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 82 00 80", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 84 00 00 00 02 61", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 85 00 00 00 00 00", BER_ELENLONG, 0, K_NONE, 0, 0, NULL },
	{ "04 80 00", BER_EINDEFINITE, 0, K_NONE, 0, 0, NULL },
	{ "04 85 00 00 00 00 01 61", BER_ELENLONG, 0, K_NONE, 0, 0, NULL },
	{ "04 ff", BER_ELENLONG, 0, K_NONE, 0, 0, NULL },
	{ "04 84 ff ff ff ff 61", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 84 7f ff ff ff 61", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 05 61", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04 82 01", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "04", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
	{ "", BER_ETRUNC, 0, K_NONE, 0, 0, NULL },
};

static int
decode_hex(const char *h, uint8_t *buf, size_t cap, struct snmp_value *v,
    struct ber_cursor *c)
{
	size_t n = hex(h, buf, cap);

	ber_cursor_init(c, buf, n);
	return ber_get_value(c, v);
}

static void
every_value_type_decodes_exactly_or_is_refused_with_its_code(void)
{
	uint8_t buf[64], want[64];
	struct snmp_value v;
	struct ber_cursor c;
	size_t i, wl;
	int rv;

	for (i = 0; i < sizeof(dec_cases) / sizeof(dec_cases[0]); i++) {
		const struct dec_case *t = &dec_cases[i];

		rv = decode_hex(t->hex, buf, sizeof(buf), &v, &c);
		if (rv != t->rv)
			fprintf(stderr, "  case \"%s\"\n", t->hex);
		CHECK_INT(rv, ==, t->rv);
		if (rv != 0) {
			/* A refusal leaves the cursor where it was. */
			CHECK(c.c_p == buf);
			continue;
		}
		CHECK_U64(c.c_left, ==, 0);
		CHECK_INT(v.val_type, ==, t->type);
		if (t->kind == K_INT)
			CHECK_INT(v.val_int, ==, t->i);
		if (t->kind == K_UINT)
			CHECK_U64(v.val_uint, ==, t->u);
		if (t->kind == K_STR) {
			wl = hex(t->str, want, sizeof(want));
			CHECK_MEM(v.val_str.ptr, v.val_str.len, want, wl);
			/* A view into the input, not a copy. */
			CHECK(v.val_str.ptr >= buf &&
			    v.val_str.ptr <= buf + sizeof(buf));
		}
	}
}

static void
every_truncation_of_a_good_value_is_etrunc(void)
{
	uint8_t buf[64];
	struct snmp_value v;
	struct ber_cursor c;
	size_t i, n, k;

	for (i = 0; i < sizeof(dec_cases) / sizeof(dec_cases[0]); i++) {
		if (dec_cases[i].rv != 0)
			continue;
		n = hex(dec_cases[i].hex, buf, sizeof(buf));
		for (k = 0; k < n; k++) {
			/* Exactly k heap bytes, so ASan sees overreads. */
			uint8_t *p = malloc(k ? k : 1);

			CHECK(p != NULL);
			if (p == NULL)
				return;
			memcpy(p, buf, k);
			ber_cursor_init(&c, p, k);
			CHECK_INT(ber_get_value(&c, &v), ==, BER_ETRUNC);
			free(p);
		}
	}
}

static void
giant_lengths_are_refused_and_giant_strings_accepted(void)
{
	static uint8_t big[70000];
	struct snmp_value v;
	struct ber_cursor c;

	/* 65536-octet string in a 4-octet-header: exact, then one short. */
	big[0] = BER_OCTET_STRING;
	big[1] = 0x83;
	big[2] = 0x01;
	big[3] = 0x00;
	big[4] = 0x00;
	ber_cursor_init(&c, big, 5 + 65536);
	CHECK_INT(ber_get_value(&c, &v), ==, 0);
	CHECK_U64(v.val_str.len, ==, 65536);
	ber_cursor_init(&c, big, 5 + 65535);
	CHECK_INT(ber_get_value(&c, &v), ==, BER_ETRUNC);
	/* Lengths near 2^32 must not wrap the bounds check. */
	big[1] = 0x84;
	memset(big + 2, 0xff, 4);
	ber_cursor_init(&c, big, sizeof(big));
	CHECK_INT(ber_get_value(&c, &v), ==, BER_ETRUNC);
	/* A 128-octet string takes the two-octet long form. */
	big[1] = 0x81;
	big[2] = 0x80;
	ber_cursor_init(&c, big, 3 + 128);
	CHECK_INT(ber_get_value(&c, &v), ==, 0);
	CHECK_U64(v.val_str.len, ==, 128);
}

struct oid_case {
	const char	*text;
	const char	*hex;
	int		 rv;
};

static const struct oid_case oid_cases[] = {
	{ "0.0", "00", 0 },
	{ "0.39", "27", 0 },
	{ "1.0", "28", 0 },
	{ "1.39", "4f", 0 },
	{ "2.0", "50", 0 },
	{ "2.47", "7f", 0 },
	{ "2.48", "81 00", 0 },
	{ "2.999", "88 37", 0 },
	{ "2.999.3", "88 37 03", 0 },
	{ "1.3.6.1.2.1.1.5.0", "2b 06 01 02 01 01 05 00", 0 },
	{ "1.3.6.1.4.1.8072.9999.9999.1", "2b 06 01 04 01 bf 08 ce 0f ce 0f 01",
	    0 },
	{ "1.3.127.128.16383.16384", "2b 7f 81 00 ff 7f 81 80 00", 0 },
	{ "1.3.4294967295", "2b 8f ff ff ff 7f", 0 },
	{ "2.4294967215", "8f ff ff ff 7f", 0 },
	{ "2.4294967216", NULL, BER_EOIDARC },
	{ "0.40", NULL, BER_EOIDARC },
	{ "1.40", NULL, BER_EOIDARC },
	{ "3.1", NULL, BER_EOIDARC },
	{ "1", NULL, BER_EOIDARC },
	{ "0", NULL, BER_EOIDARC },
};

static void
oids_encode_and_decode_per_x690_first_arc_rules(void)
{
	uint8_t buf[700], want[64];
	struct oid o, back;
	const char *err;
	size_t i, n, wl, cl;

	for (i = 0; i < sizeof(oid_cases) / sizeof(oid_cases[0]); i++) {
		const struct oid_case *t = &oid_cases[i];

		CHECK_INT(oid_parse(t->text, &o, &err), ==, 0);
		CHECK_INT(ber_oid_encode(&o, buf, sizeof(buf), &n), ==, t->rv);
		CHECK_INT(ber_oid_content_len(&o, &cl), ==, t->rv);
		if (t->rv != 0)
			continue;
		wl = hex(t->hex, want, sizeof(want));
		CHECK_MEM(buf, n, want, wl);
		CHECK_U64(cl, ==, wl);
		CHECK_INT(ber_oid_decode(buf, n, &back), ==, 0);
		CHECK_INT(oid_cmp(&o, &back), ==, 0);
		/* Limited: one octet short fails, and only with ENOSPACE. */
		CHECK_INT(ber_oid_encode(&o, buf, n - 1, &cl), ==,
		    BER_ENOSPACE);
	}
}

static void
oid_decoding_refuses_each_malformation_with_its_code(void)
{
	static const struct {
		const char	*hex;
		int		 rv;
	} t[] = {
		{ "", BER_EOIDEMPTY },
		{ "2b 86", BER_EOIDTRUNC },
		{ "ff", BER_EOIDTRUNC },
		{ "2b 80 01", BER_EOIDNONMIN },
		{ "80 01", BER_EOIDNONMIN },
		{ "2b 90 80 80 80 00", BER_EOIDSUB },
		{ "2b 8f ff ff ff 7f", 0 },
		{ "2b ff ff ff ff ff ff ff ff ff ff 7f", BER_EOIDSUB },
		{ "90 80 80 80 00", BER_EOIDSUB },
	};
	uint8_t buf[64];
	struct oid o;
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = hex(t[i].hex, buf, sizeof(buf));
		o.o_len = 77;
		CHECK_INT(ber_oid_decode(buf, n, &o), ==, t[i].rv);
		if (t[i].rv != 0)
			CHECK_U64(o.o_len, ==, 77);
	}
}

static void
oids_of_128_arcs_pass_and_129_are_refused(void)
{
	uint8_t buf[OID_MAX_LEN * 5 + 8];
	struct oid o;
	size_t i, n;

	/* 127 encoded sub-identifiers make 128 arcs: the first holds two. */
	for (i = 0; i < OID_MAX_LEN - 1; i++)
		buf[i] = 0x01;
	CHECK_INT(ber_oid_decode(buf, OID_MAX_LEN - 1, &o), ==, 0);
	CHECK_U64(o.o_len, ==, OID_MAX_LEN);
	buf[OID_MAX_LEN - 1] = 0x01;
	CHECK_INT(ber_oid_decode(buf, OID_MAX_LEN, &o), ==, BER_EOIDLEN);
	/* The longest OID, all 2^32-1, round-trips in 5-octet sub-ids. */
	o.o_len = OID_MAX_LEN;
	o.o_id[0] = 1;
	o.o_id[1] = 3;
	for (i = 2; i < OID_MAX_LEN; i++)
		o.o_id[i] = UINT32_MAX;
	CHECK_INT(ber_oid_encode(&o, buf, sizeof(buf), &n), ==, 0);
	CHECK_U64(n, ==, 1 + (OID_MAX_LEN - 2) * 5);
	{
		struct oid back;

		CHECK_INT(ber_oid_decode(buf, n, &back), ==, 0);
		CHECK_INT(oid_cmp(&o, &back), ==, 0);
	}
	o.o_len = OID_MAX_LEN + 1;
	CHECK_INT(ber_oid_encode(&o, buf, sizeof(buf), &n), ==, BER_EOIDARC);
}

struct enc_case {
	uint8_t		 type;
	int64_t		 i;
	uint64_t	 u;
	const char	*str;	/* string content or OID text */
	const char	*hex;	/* expected TLV; NULL with rv */
	int		 rv;
};

static const struct enc_case enc_cases[] = {
	{ BER_INTEGER, 0, 0, NULL, "02 01 00", 0 },
	{ BER_INTEGER, -1, 0, NULL, "02 01 ff", 0 },
	{ BER_INTEGER, 127, 0, NULL, "02 01 7f", 0 },
	{ BER_INTEGER, 128, 0, NULL, "02 02 00 80", 0 },
	{ BER_INTEGER, -128, 0, NULL, "02 01 80", 0 },
	{ BER_INTEGER, -129, 0, NULL, "02 02 ff 7f", 0 },
	{ BER_INTEGER, 32768, 0, NULL, "02 03 00 80 00", 0 },
	{ BER_INTEGER, INT32_MAX, 0, NULL, "02 04 7f ff ff ff", 0 },
	{ BER_INTEGER, INT32_MIN, 0, NULL, "02 04 80 00 00 00", 0 },
	{ BER_INTEGER, (int64_t)INT32_MAX + 1, 0, NULL, NULL, BER_EVALUE },
	{ BER_INTEGER, (int64_t)INT32_MIN - 1, 0, NULL, NULL, BER_EVALUE },
	{ BER_COUNTER32, 0, 0, NULL, "41 01 00", 0 },
	{ BER_COUNTER32, 0, 128, NULL, "41 02 00 80", 0 },
	{ BER_COUNTER32, 0, UINT32_MAX, NULL, "41 05 00 ff ff ff ff", 0 },
	{ BER_COUNTER32, 0, (uint64_t)UINT32_MAX + 1, NULL, NULL, BER_EVALUE },
	{ BER_GAUGE32, 0, 1u << 31, NULL, "42 05 00 80 00 00 00", 0 },
	{ BER_GAUGE32, 0, INT32_MAX, NULL, "42 04 7f ff ff ff", 0 },
	{ BER_TIMETICKS, 0, 360000, NULL, "43 03 05 7e 40", 0 },
	{ BER_TIMETICKS, 0, (uint64_t)1 << 40, NULL, NULL, BER_EVALUE },
	{ BER_COUNTER64, 0, 0, NULL, "46 01 00", 0 },
	{ BER_COUNTER64, 0, UINT64_MAX, NULL,
	    "46 09 00 ff ff ff ff ff ff ff ff", 0 },
	{ BER_COUNTER64, 0, (uint64_t)1 << 63, NULL,
	    "46 09 00 80 00 00 00 00 00 00 00", 0 },
	{ BER_COUNTER64, 0, INT64_MAX, NULL, "46 08 7f ff ff ff ff ff ff ff",
	    0 },
	{ BER_OCTET_STRING, 0, 0, "", "04 00", 0 },
	{ BER_OCTET_STRING, 0, 0, "abc", "04 03 61 62 63", 0 },
	{ BER_OPAQUE, 0, 0, "xy", "44 02 78 79", 0 },
	{ BER_IPADDRESS, 0, 0, "\x7f\x01\x02\x03", "40 04 7f 01 02 03", 0 },
	{ BER_IPADDRESS, 0, 0, "abc", NULL, BER_EIPADDR },
	{ BER_NULL, 0, 0, NULL, "05 00", 0 },
	{ BER_NOSUCHOBJECT, 0, 0, NULL, "80 00", 0 },
	{ BER_NOSUCHINSTANCE, 0, 0, NULL, "81 00", 0 },
	{ BER_ENDOFMIBVIEW, 0, 0, NULL, "82 00", 0 },
	{ BER_OBJECT_ID, 0, 0, "1.3.6.1", "06 03 2b 06 01", 0 },
	{ BER_OBJECT_ID, 0, 0, "0.0", "06 01 00", 0 },
	{ BER_OBJECT_ID, 0, 0, "2.999", "06 02 88 37", 0 },
	{ BER_OBJECT_ID, 0, 0, "5.1", NULL, BER_EOIDARC },
	{ 0x45, 0, 0, NULL, NULL, BER_EVALTYPE },
	{ BER_SEQUENCE, 0, 0, NULL, NULL, BER_EVALTYPE },
};

static void
make_value(const struct enc_case *t, struct snmp_value *v, struct oid *o)
{
	const char *err;

	memset(v, 0, sizeof(*v));
	v->val_type = t->type;
	switch (t->type) {
	case BER_INTEGER:
		v->val_int = t->i;
		break;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
	case BER_IPADDRESS:
		v->val_str.ptr = (const uint8_t *)t->str;
		v->val_str.len = strlen(t->str);
		break;
	case BER_OBJECT_ID:
		CHECK_INT(oid_parse(t->str, o, &err), ==, 0);
		v->val_oid = o;
		break;
	default:
		v->val_uint = t->u;
		break;
	}
}

static void
every_value_type_encodes_minimally_and_decodes_back(void)
{
	uint8_t buf[64], want[64];
	struct snmp_value v, back;
	struct ber_writer w;
	struct ber_cursor c;
	struct oid o, bo;
	size_t i, wl, size;

	for (i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
		const struct enc_case *t = &enc_cases[i];

		make_value(t, &v, &o);
		ber_writer_init(&w, buf, sizeof(buf));
		CHECK_INT(ber_put_value(&w, &v), ==, t->rv);
		CHECK_INT(ber_value_size(&v, &size), ==, t->rv);
		if (t->rv != 0) {
			CHECK_U64(w.w_pos, ==, 0);
			continue;
		}
		wl = hex(t->hex, want, sizeof(want));
		CHECK_MEM(buf, w.w_pos, want, wl);
		CHECK_U64(size, ==, wl);
		ber_cursor_init(&c, buf, w.w_pos);
		CHECK_INT(ber_get_value(&c, &back), ==, 0);
		CHECK_INT(back.val_type, ==, v.val_type);
		if (t->type == BER_INTEGER)
			CHECK_INT(back.val_int, ==, v.val_int);
		else if (t->type == BER_OBJECT_ID) {
			CHECK_INT(ber_oid_decode(back.val_str.ptr,
			    back.val_str.len, &bo), ==, 0);
			CHECK_INT(oid_cmp(&bo, &o), ==, 0);
		} else if (t->str != NULL)
			CHECK_MEM(back.val_str.ptr, back.val_str.len, t->str,
			    strlen(t->str));
		else if (t->type != BER_NULL && t->type < 0x80)
			CHECK_U64(back.val_uint, ==, v.val_uint);
	}
}

static void
limited_writers_refuse_without_writing_past_their_cap(void)
{
	uint8_t buf[80];
	struct snmp_value v;
	struct ber_writer w;
	struct oid o;
	size_t i, cap, size;

	for (i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
		if (enc_cases[i].rv != 0)
			continue;
		make_value(&enc_cases[i], &v, &o);
		CHECK_INT(ber_value_size(&v, &size), ==, 0);
		for (cap = 0; cap < size; cap++) {
			memset(buf, 0xa5, sizeof(buf));
			ber_writer_init(&w, buf, cap);
			CHECK_INT(ber_put_value(&w, &v), ==, BER_ENOSPACE);
			CHECK_U64(w.w_pos, ==, 0);
			CHECK_INT(buf[0], ==, 0xa5);
		}
		/* Appending after other bytes: same rule. */
		ber_writer_init(&w, buf, size + 2);
		CHECK_INT(ber_put_raw(&w, "zz", 2), ==, 0);
		CHECK_INT(ber_put_value(&w, &v), ==, 0);
		CHECK_INT(ber_put_raw(&w, "z", 1), ==, BER_ENOSPACE);
		CHECK_U64(w.w_pos, ==, size + 2);
	}
}

static void
absurd_string_lengths_are_refused_before_any_arithmetic(void)
{
	uint8_t buf[16];
	struct snmp_value v;
	struct ber_writer w;
	size_t size;

	memset(&v, 0, sizeof(v));
	v.val_type = BER_OCTET_STRING;
	v.val_str.ptr = buf;
	v.val_str.len = SIZE_MAX;
	CHECK_INT(ber_value_size(&v, &size), ==, BER_EVALUE);
	ber_writer_init(&w, buf, sizeof(buf));
	CHECK_INT(ber_put_value(&w, &v), ==, BER_EVALUE);
	CHECK_INT(ber_put_string(&w, BER_OCTET_STRING, buf, SIZE_MAX - 1), ==,
	    BER_EVALUE);
	CHECK_INT(ber_put_string(&w, BER_OCTET_STRING, buf, 17), ==,
	    BER_ENOSPACE);
	v.val_str.ptr = NULL;
	v.val_str.len = 1;
	CHECK_INT(ber_put_value(&w, &v), ==, BER_EVALUE);
	CHECK_U64(w.w_pos, ==, 0);
}

static void
headers_use_the_shortest_length_form(void)
{
	static const struct {
		size_t		 len;
		const char	*hex;
	} t[] = {
		{ 0, "30 00" }, { 127, "30 7f" }, { 128, "30 81 80" },
		{ 255, "30 81 ff" }, { 256, "30 82 01 00" },
		{ 65535, "30 82 ff ff" }, { 65536, "30 83 01 00 00" },
		{ 0xffffffffu, "30 84 ff ff ff ff" },
	};
	uint8_t buf[16], want[16];
	struct ber_writer w;
	size_t i, wl;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ber_writer_init(&w, buf, sizeof(buf));
		CHECK_INT(ber_put_header(&w, BER_SEQUENCE, t[i].len), ==, 0);
		wl = hex(t[i].hex, want, sizeof(want));
		CHECK_MEM(buf, w.w_pos, want, wl);
		CHECK_U64(ber_len_size(t[i].len), ==, wl - 1);
	}
	CHECK_U64(ber_int_size(0), ==, 1);
	CHECK_U64(ber_int_size(INT64_MIN), ==, 8);
	CHECK_U64(ber_int_size(INT64_MAX), ==, 8);
	CHECK_U64(ber_uint_size(UINT64_MAX), ==, 9);
	CHECK_U64(ber_uint_size(255), ==, 2);
}

static void
tlv_reader_distinguishes_wrong_tag_from_constructed_primitive(void)
{
	uint8_t buf[16];
	struct ber_cursor c, in;
	int32_t v;
	size_t n;

	n = hex("30 03 02 01 05", buf, sizeof(buf));
	ber_cursor_init(&c, buf, n);
	CHECK_INT(ber_get_tlv(&c, BER_OCTET_STRING, &in), ==, BER_ETAG);
	CHECK(c.c_p == buf);
	CHECK_INT(ber_get_tlv(&c, BER_INTEGER, &in), ==, BER_ETAG);
	CHECK_INT(ber_get_tlv(&c, BER_SEQUENCE, &in), ==, 0);
	CHECK_U64(c.c_left, ==, 0);
	CHECK_INT(ber_get_int32(&in, &v), ==, 0);
	CHECK_INT(v, ==, 5);
	n = hex("24 03 04 01 61", buf, sizeof(buf));
	ber_cursor_init(&c, buf, n);
	CHECK_INT(ber_get_tlv(&c, BER_OCTET_STRING, &in), ==,
	    BER_ECONSTRUCTED);
	n = hex("02 02 00 05", buf, sizeof(buf));
	ber_cursor_init(&c, buf, n);
	CHECK_INT(ber_get_int32(&c, &v), ==, BER_EINTNONMIN);
	CHECK(c.c_p == buf);
	n = hex("04 01 05", buf, sizeof(buf));
	ber_cursor_init(&c, buf, n);
	CHECK_INT(ber_get_int32(&c, &v), ==, BER_ETAG);
}

static void
only_the_padded_reader_accepts_fixed_width_integer32(void)
{
	static const struct {
		const char	*hex;
		int		 strict, padded;
		int32_t		 v;
	} t[] = {
		/* gosnmp's request-id, as seen on the wire. */
		{ "02 04 00 76 d2 f7", BER_EINTNONMIN, 0, 0x0076d2f7 },
		{ "02 04 00 00 00 01", BER_EINTNONMIN, 0, 1 },
		{ "02 04 00 00 00 00", BER_EINTNONMIN, 0, 0 },
		{ "02 02 00 05", BER_EINTNONMIN, 0, 5 },
		{ "02 04 ff ff ff fe", BER_EINTNONMIN, 0, -2 },
		{ "02 03 ff ff 80", BER_EINTNONMIN, 0, -128 },
		{ "02 84 00 00 00 04 00 76 d2 f7", BER_EINTNONMIN, 0,
		    0x0076d2f7 },
		{ "02 01 07", 0, 0, 7 },
		{ "02 04 7f ff ff ff", 0, 0, INT32_MAX },
		{ "02 04 80 00 00 00", 0, 0, INT32_MIN },
		{ "02 04 00 80 00 00", 0, 0, 0x800000 },
		/* Integer32 needs no fifth octet: judged as strict. */
		{ "02 05 00 00 00 00 01", BER_EINTNONMIN, BER_EINTNONMIN, 0 },
		{ "02 05 00 80 00 00 00", BER_EINTRANGE, BER_EINTRANGE, 0 },
		{ "02 05 ff ff ff ff ff", BER_EINTNONMIN, BER_EINTNONMIN, 0 },
		{ "02 00", BER_EINTEMPTY, BER_EINTEMPTY, 0 },
		{ "04 01 05", BER_ETAG, BER_ETAG, 0 },
		{ "22 03 02 01 00", BER_ECONSTRUCTED, BER_ECONSTRUCTED, 0 },
		{ "02 04 00 00 01", BER_ETRUNC, BER_ETRUNC, 0 },
	};
	uint8_t buf[16];
	struct ber_cursor c;
	int32_t v;
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = hex(t[i].hex, buf, sizeof(buf));
		ber_cursor_init(&c, buf, n);
		CHECK_INT(ber_get_int32(&c, &v), ==, t[i].strict);
		ber_cursor_init(&c, buf, n);
		v = 12345;
		CHECK_INT(ber_get_int32_padded(&c, &v), ==, t[i].padded);
		if (t[i].padded != 0) {
			CHECK(c.c_p == buf);
			CHECK_INT(v, ==, 12345);
			continue;
		}
		CHECK_INT(v, ==, t[i].v);
		CHECK_U64(c.c_left, ==, 0);
	}
}

static void
every_error_code_has_its_own_message(void)
{
	int a, b;

	/* -4, once "length not in its shortest form", is retired. */
	for (a = BER_ENOSPACE; a <= BER_ETRUNC; a++) {
		if (a == -4)
			continue;
		CHECK(strcmp(ber_strerror(a), "unknown error") != 0);
		for (b = a + 1; b <= BER_ETRUNC; b++)
			CHECK(b == -4 ||
			    strcmp(ber_strerror(a), ber_strerror(b)) != 0);
	}
	CHECK_STR(ber_strerror(-4), "unknown error");
	CHECK_STR(ber_strerror(-999), "unknown error");
}

int
main(void)
{
	RUN(every_value_type_decodes_exactly_or_is_refused_with_its_code);
	RUN(every_truncation_of_a_good_value_is_etrunc);
	RUN(giant_lengths_are_refused_and_giant_strings_accepted);
	RUN(oids_encode_and_decode_per_x690_first_arc_rules);
	RUN(oid_decoding_refuses_each_malformation_with_its_code);
	RUN(oids_of_128_arcs_pass_and_129_are_refused);
	RUN(every_value_type_encodes_minimally_and_decodes_back);
	RUN(limited_writers_refuse_without_writing_past_their_cap);
	RUN(absurd_string_lengths_are_refused_before_any_arithmetic);
	RUN(headers_use_the_shortest_length_form);
	RUN(tlv_reader_distinguishes_wrong_tag_from_constructed_primitive);
	RUN(only_the_padded_reader_accepts_fixed_width_integer32);
	RUN(every_error_code_has_its_own_message);
	return t_done();
}
