/*
 * test_v3: snmp/v3.c, the SNMPv3 message and ScopedPDU codec, on every
 * datagram net-snmp, pysnmp and snmpd exchanged in tests/vectors/usm/:
 * each decodes to the fields its description gives, each authenticated
 * one verifies with its user's key and decrypts to a ScopedPDU (the DES
 * pair with a test-only DES-CBC), and each AES or plaintext one encodes
 * again, byte for byte, from its decoded fields and salt.  Then every
 * truncation and byte flip of them, one refusal per code, the exact limit
 * of snmp_v3_scoped_max, and RFC 3411's engine ID rules.  Not here: the
 * RFCs' decisions (test_agent_v3.c), the cryptography alone (test_usm.c).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/des.h>

#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "snmp/usm.h"
#include "snmp/v3.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "tests/unit/v3_fixture.h"

#define MAXMSG	2048
#define MAXFILES 64

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];

/* Every capture's name (without .hex), sorted, and its bytes. */
static char names[MAXFILES][64];
static uint8_t data[MAXFILES][MAXMSG];
static size_t lens[MAXFILES];
static size_t nfiles;

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
load_all(void)
{
	struct dirent *de;
	DIR *d;
	size_t i, n;

	if ((d = opendir(V3F_DIR)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && nfiles < MAXFILES) {
		n = strlen(de->d_name);
		if (n < 5 || n - 4 >= sizeof(names[0]) ||
		    strcmp(de->d_name + n - 4, ".hex") != 0)
			continue;
		memcpy(names[nfiles], de->d_name, n - 4);
		names[nfiles][n - 4] = '\0';
		nfiles++;
	}
	closedir(d);
	qsort(names, nfiles, sizeof(names[0]), name_cmp);
	for (i = 0; i < nfiles; i++)
		lens[i] = v3f_load(names[i], data[i], MAXMSG);
}

/* The passwords a capture was made with, when not the usual ones. */
static const char *
auth_password_of(const char *name)
{
	return strncmp(name, "09-", 3) == 0 ? "wrongpassword" : NULL;
}

static const char *
priv_password_of(const char *name)
{
	return strncmp(name, "15-", 3) == 0 ? "wrongprivpass" : NULL;
}

/* umd5 is snmpd's MD5/DES user (the agent's fixture has no DES). */
static bool
is_des(const struct snmp_v3_msg *h)
{
	return h->v3_user_len == 4 && memcmp(h->v3_user, "umd5", 4) == 0 &&
	    (h->v3_flags & SNMP_V3_FLAG_PRIV);
}

/*
 * The user a capture was made as: 13 is uauth with the AES key snmpget
 * was given, which snmpd's uauth does not have.
 */
static const struct v3f_user *
user_of(size_t i, const struct snmp_v3_msg *h)
{
	static const struct v3f_user uauth_aes = { "uauth", CFG_AUTH_SHA,
	    CFG_PRIV_AES };

	if (strncmp(names[i], "13-", 3) == 0)
		return &uauth_aes;
	return v3f_user_find(h->v3_user, h->v3_user_len);
}

/* RFC 3414 sec. 8.1.1.3: DES-CBC, key Kul[0..7], IV Kul[8..15] ^ salt. */
static bool
des_decrypt_capture(const struct snmp_v3_msg *h, uint8_t *out)
{
	uint8_t ku[16], kul[16], iv[8], prev[8];
	struct des_ctx ctx;
	size_t i, j;

	if (h->v3_priv_len != 8 || h->v3_data_len % 8 != 0 ||
	    usm_password_to_key(USM_AUTH_MD5, V3F_PASSWORD, 10, ku) != 0 ||
	    usm_key_localize(USM_AUTH_MD5, ku, h->v3_engine_id,
	    h->v3_engine_id_len, kul) != 0 || des_set_key(&ctx, kul) != 1)
		return false;
	for (i = 0; i < 8; i++)
		iv[i] = kul[8 + i] ^ h->v3_priv[i];
	for (i = 0; i < h->v3_data_len; i += 8) {
		memcpy(prev, h->v3_data + i, 8);
		des_decrypt(&ctx, 8, out + i, h->v3_data + i);
		for (j = 0; j < 8; j++)
			out[i + j] ^= iv[j];
		memcpy(iv, prev, 8);
	}
	return true;
}

/*
 * Open capture i: decode, verify, decrypt, decode the ScopedPDU into m.
 * Returns 0, or the step that failed: 1 decode, 2 key, 3 HMAC, 4
 * decryption, 5 ScopedPDU.
 */
static int
open_capture(size_t i, struct snmp_v3_msg *h, struct snmp_msg *m,
    uint8_t *plain, size_t *plain_len)
{
	const struct v3f_user *u;
	struct usm_keys k;
	int rc;

	if (snmp_v3_decode(data[i], lens[i], h) != 0)
		return 1;
	u = user_of(i, h);
	if (h->v3_flags & SNMP_V3_FLAG_AUTH) {
		if (u == NULL || v3f_keys(u, h->v3_engine_id,
		    h->v3_engine_id_len, auth_password_of(names[i]),
		    priv_password_of(names[i]), &k) != 0)
			return 2;
		if (h->v3_auth_len != usm_keys_mac_len(&k) ||
		    usm_auth_verify(&k, data[i], lens[i], h->v3_auth_off) != 0)
			return 3;
	}
	*plain_len = h->v3_data_len;
	if (!h->v3_encrypted)
		memcpy(plain, h->v3_data, h->v3_data_len);
	else if (is_des(h) ? !des_decrypt_capture(h, plain) :
	    usm_priv_decrypt(&k, (uint32_t)h->v3_boots, (uint32_t)h->v3_time,
	    h->v3_priv, h->v3_priv_len, h->v3_data, h->v3_data_len,
	    plain) != 0)
		return 4;
	rc = snmp_v3_scoped_decode(plain, *plain_len, h->v3_encrypted, m,
	    vbs, SNMP_MAX_VARBINDS);
	return rc == 0 ? 0 : 5;
}

static void
every_capture_decodes_to_the_fields_its_description_gives(void)
{
	struct snmp_v3_msg h;
	uint8_t e[32];
	size_t i, elen = hex(V3F_ENGINE, e, sizeof(e));

	CHECK_U64(nfiles, ==, 44);
	for (i = 0; i < nfiles; i++) {
		CHECK_U64(lens[i], >, 0);
		CHECK_INT(snmp_v3_decode(data[i], lens[i], &h), ==, 0);
		CHECK(h.v3_have_header && h.v3_have_usm);
		CHECK_INT(h.v3_sec_model, ==, SNMP_V3_SECMODEL_USM);
		CHECK_INT(h.v3_max_size, ==, 65507);
		/* Probes carry no engine ID; everything else snmpd's. */
		if (strstr(names[i], "probe") != NULL) {
			CHECK_U64(h.v3_engine_id_len, ==, 0);
			CHECK_INT(h.v3_flags, ==, SNMP_V3_FLAG_REPORTABLE);
		} else
			CHECK_MEM(h.v3_engine_id, h.v3_engine_id_len, e,
			    elen);
		CHECK_INT(h.v3_encrypted, ==, (h.v3_flags &
		    SNMP_V3_FLAG_PRIV) != 0);
		if (h.v3_flags & SNMP_V3_FLAG_PRIV)
			CHECK_U64(h.v3_priv_len, ==, 8);
		else
			CHECK_U64(h.v3_priv_len, ==, 0);
		if (!(h.v3_flags & SNMP_V3_FLAG_AUTH))
			CHECK_U64(h.v3_auth_len, ==, 0);
		CHECK(h.v3_auth_off + h.v3_auth_len <= lens[i]);
		CHECK(h.v3_auth == data[i] + h.v3_auth_off);
	}
	/* 03: msgID 3cf9f678, flags 07, boots 1 time 7, usha256. */
	CHECK_INT(snmp_v3_decode(data[2], lens[2], &h), ==, 0);
	CHECK_INT(h.v3_msg_id, ==, 0x3cf9f678);
	CHECK_INT(h.v3_flags, ==, 7);
	CHECK_INT(h.v3_boots, ==, 1);
	CHECK_INT(h.v3_time, ==, 7);
	CHECK_MEM(h.v3_user, h.v3_user_len, "usha256", 7);
	CHECK_U64(h.v3_auth_len, ==, 24);
	CHECK_U64(h.v3_data_len, ==, 48);
}

static void
every_capture_verifies_and_decrypts_to_a_scoped_pdu_about_sysname(void)
{
	static const struct oid sysname = { { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9 };
	struct snmp_v3_msg h;
	struct snmp_msg m;
	uint8_t plain[MAXMSG];
	size_t i, plen;
	int rc;

	for (i = 0; i < nfiles; i++) {
		rc = open_capture(i, &h, &m, plain, &plen);
		if (rc != 0)
			fprintf(stderr, "  %s: step %d failed\n", names[i], rc);
		CHECK_INT(rc, ==, 0);
		if (rc != 0)
			continue;
		CHECK_INT(m.m_version, ==, SNMP_VERSION_3);
		CHECK_U64(m.m_context_name_len, ==, 0);
		if (m.m_pdu_type == SNMP_PDU_REPORT) {
			CHECK_U64(m.m_nvbs, ==, 1);
			CHECK_INT(m.m_vbs[0].vb_value.val_type, ==,
			    BER_COUNTER32);
			continue;
		}
		if (strstr(names[i], "probe") != NULL) {
			CHECK_U64(m.m_nvbs, ==, 0);
			continue;
		}
		CHECK_U64(m.m_nvbs, ==, 1);
		CHECK_INT(oid_cmp(&m.m_vbs[0].vb_oid, &sysname), ==, 0);
		if (m.m_pdu_type == SNMP_PDU_RESPONSE)
			CHECK_MEM(m.m_vbs[0].vb_value.val_str.ptr,
			    m.m_vbs[0].vb_value.val_str.len, "usm-test", 8);
		else
			CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GET);
	}
}

static void
the_wrong_keys_fail_where_snmpd_failed(void)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;
	uint8_t plain[MAXMSG];
	size_t i, plen;
	int rc;

	for (i = 0; i < nfiles; i++) {
		if (strncmp(names[i], "09-", 3) != 0 &&
		    strncmp(names[i], "15-", 3) != 0)
			continue;
		/* With the agent's passwords, not the client's. */
		names[i][0] = 'x';
		rc = open_capture(i, &h, &m, plain, &plen);
		CHECK_INT(rc, ==, names[i][1] == '9' ? 3 : 5);
		names[i][0] = names[i][1] == '9' ? '0' : '1';
	}
}

/*
 * Encode capture i again: its ScopedPDU from the decoded fields, the
 * header from the decoded header (the same salt), encrypted and signed.
 */
static int
reencode_capture(size_t i, uint8_t *out, size_t *outlen)
{
	struct snmp_v3_msg h;
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	struct snmp_msg m;
	struct usm_keys k;
	uint8_t plain[MAXMSG];
	size_t plen, slen;
	int rc;

	if ((rc = open_capture(i, &h, &m, plain, &plen)) != 0)
		return rc;
	if ((rc = msg_reencode(&m, out, MAXMSG, &slen)) != 0)
		return rc;
	/* pysnmp's padding (SNMP_V3_MAX_PAD): zeros, as it sent them. */
	if (slen < plen) {
		memset(out + slen, 0, plen - slen);
		slen = plen;
	}
	memset(&o, 0, sizeof(o));
	o.o_msg_id = h.v3_msg_id;
	o.o_max_size = h.v3_max_size;
	o.o_flags = h.v3_flags;
	o.o_engine_id = h.v3_engine_id;
	o.o_engine_id_len = h.v3_engine_id_len;
	o.o_boots = h.v3_boots;
	o.o_time = h.v3_time;
	o.o_user = h.v3_user;
	o.o_user_len = h.v3_user_len;
	o.o_auth_len = h.v3_auth_len;
	o.o_priv = h.v3_priv;
	o.o_priv_len = h.v3_priv_len;
	if ((rc = snmp_v3_wrap(&o, out, MAXMSG, MAXMSG, slen, &l)) != 0)
		return rc;
	if (h.v3_flags & SNMP_V3_FLAG_AUTH) {
		(void)v3f_keys(user_of(i, &h), h.v3_engine_id, h.v3_engine_id_len,
		    auth_password_of(names[i]), priv_password_of(names[i]),
		    &k);
		if ((h.v3_flags & SNMP_V3_FLAG_PRIV) &&
		    (rc = usm_priv_encrypt(&k, (uint32_t)h.v3_boots,
		    (uint32_t)h.v3_time, h.v3_priv, h.v3_priv_len,
		    out + l.l_data_off, l.l_data_len)) != 0)
			return rc;
		if ((rc = usm_auth_sign(&k, out, l.l_len, l.l_auth_off)) != 0)
			return rc;
	}
	*outlen = l.l_len;
	return 0;
}

static void
every_aes_or_plaintext_capture_encodes_again_byte_for_byte(void)
{
	struct snmp_v3_msg h;
	uint8_t out[MAXMSG];
	size_t i, len = 0, done = 0;

	for (i = 0; i < nfiles; i++) {
		if (snmp_v3_decode(data[i], lens[i], &h) != 0 || is_des(&h))
			continue;
		CHECK_INT(reencode_capture(i, out, &len), ==, 0);
		CHECK_MEM(out, len, data[i], lens[i]);
		done++;
	}
	/* All but the DES pair, 31 and 32. */
	CHECK_U64(done, ==, 42);
}

static void
every_truncation_of_every_capture_is_refused(void)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;
	size_t i, n;

	for (i = 0; i < nfiles; i++) {
		for (n = 0; n < lens[i]; n++)
			CHECK_INT(snmp_v3_decode(data[i], n, &h), <, 0);
		if (snmp_v3_decode(data[i], lens[i], &h) != 0 ||
		    h.v3_encrypted)
			continue;
		for (n = 0; n < h.v3_data_len; n++)
			CHECK_INT(snmp_v3_scoped_decode(h.v3_data, n, true, &m,
			    vbs, SNMP_MAX_VARBINDS), <, 0);
	}
}

/*
 * Every octet of every authenticated capture, changed three ways: the
 * decoder refuses or accepts without reading out of bounds (ASan), and
 * what it accepts no longer verifies, whichever octet changed.
 */
static void
no_changed_octet_of_an_authenticated_capture_verifies(void)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	const struct v3f_user *u;
	struct snmp_v3_msg h;
	struct usm_keys k;
	uint8_t buf[MAXMSG];
	size_t i, j, f, tried = 0;

	for (i = 0; i < nfiles; i++) {
		if (snmp_v3_decode(data[i], lens[i], &h) != 0 ||
		    !(h.v3_flags & SNMP_V3_FLAG_AUTH) ||
		    (u = user_of(i, &h)) == NULL ||
		    v3f_keys(u, h.v3_engine_id, h.v3_engine_id_len,
		    auth_password_of(names[i]), priv_password_of(names[i]),
		    &k) != 0)
			continue;
		for (j = 0; j < lens[i]; j++)
			for (f = 0; f < sizeof(flips); f++) {
				memcpy(buf, data[i], lens[i]);
				buf[j] ^= flips[f];
				if (snmp_v3_decode(buf, lens[i], &h) != 0)
					continue;
				tried++;
				if (h.v3_auth_len != usm_keys_mac_len(&k))
					continue;
				CHECK_INT(usm_auth_verify(&k, buf, lens[i],
				    h.v3_auth_off), ==, USM_EDIGEST);
			}
	}
	CHECK_U64(tried, >, 1000);
}

/*
 * A message from hex TLVs: SEQUENCE { version, SEQUENCE { gd }, OCTET
 * STRING { SEQUENCE { usm } }, msgdata }, lengths computed.
 */
static size_t
mk(uint8_t *out, const char *version, const char *gd, const char *usm,
    const char *msgdata)
{
	uint8_t v[16], g[256], u[256], d[256], body[1024];
	size_t vl = hex(version, v, sizeof(v)), gl = hex(gd, g, sizeof(g));
	size_t ul = hex(usm, u, sizeof(u)), dl = hex(msgdata, d, sizeof(d));
	struct ber_writer w;
	size_t n;

	ber_writer_init(&w, body, sizeof(body));
	(void)ber_put_raw(&w, v, vl);
	(void)ber_put_header(&w, BER_SEQUENCE, gl);
	(void)ber_put_raw(&w, g, gl);
	(void)ber_put_header(&w, BER_OCTET_STRING, 1 + ber_len_size(ul) + ul);
	(void)ber_put_header(&w, BER_SEQUENCE, ul);
	(void)ber_put_raw(&w, u, ul);
	(void)ber_put_raw(&w, d, dl);
	n = w.w_pos;
	ber_writer_init(&w, out, MAXMSG);
	(void)ber_put_header(&w, BER_SEQUENCE, n);
	(void)ber_put_raw(&w, body, n);
	return w.w_pos;
}

#define VER	"020103"
#define GD	"020101 020205c0 040104 020103"
#define USM	"0400 020100 020100 0400 0400 0400"
#define DATA	"3011 0400 0400 a00b 020101 020100 020100 3000"
#define HEX33	"0421" "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f20"

static int
dec(const char *version, const char *gd, const char *usm,
    const char *msgdata, struct snmp_v3_msg *h)
{
	uint8_t buf[MAXMSG];

	return snmp_v3_decode(buf, mk(buf, version, gd, usm, msgdata), h);
}

static void
each_way_a_message_can_be_wrong_has_its_own_refusal(void)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;
	uint8_t buf[MAXMSG], sp[256];
	size_t n;

	CHECK_INT(dec(VER, GD, USM, DATA, &h), ==, 0);
	CHECK(!h.v3_encrypted && h.v3_data_len == 19);
	CHECK_INT(dec("020101", GD, USM, DATA, &h), ==, SNMP_EVERSION);
	CHECK_INT(dec(VER, "0201ff 020205c0 040104 020103", USM, DATA, &h), ==,
	    SNMP_V3_EMSGID);
	/* gosnmp's 4-octet msgID. */
	CHECK_INT(dec(VER, "020400000001 020205c0 040104 020103", USM, DATA,
	    &h), ==, 0);
	CHECK_INT(h.v3_msg_id, ==, 1);
	CHECK_INT(dec(VER, "020101 020201e3 040104 020103", USM, DATA, &h), ==,
	    SNMP_V3_EMAXSIZE);
	CHECK_INT(dec(VER, "020101 020205c0 04020400 020103", USM, DATA, &h),
	    ==, SNMP_V3_EFLAGS);
	CHECK_INT(dec(VER, "020101 020205c0 0400 020103", USM, DATA, &h), ==,
	    SNMP_V3_EFLAGS);
	CHECK_INT(dec(VER, "020101 020205c0 040104 020100", USM, DATA, &h), ==,
	    SNMP_V3_ESECMODEL);
	CHECK_INT(dec(VER, GD "0400", USM, DATA, &h), ==, BER_ETRAILING);
	CHECK_INT(dec(VER, GD, USM, "020100", &h), ==, SNMP_V3_EDATA);
	CHECK_INT(dec(VER, GD, USM, "2400", &h), ==, BER_ECONSTRUCTED);
	CHECK_INT(dec(VER, GD, USM, DATA "0400", &h), ==, BER_ETRAILING);
	CHECK_INT(dec(VER, GD, HEX33 "020100 020100 0400 0400 0400", DATA, &h),
	    ==, SNMP_V3_EENGINEID);
	CHECK_INT(dec(VER, GD, "0400 0201ff 020100 0400 0400 0400", DATA, &h),
	    ==, SNMP_V3_EBOOTS);
	CHECK_INT(dec(VER, GD, "0400 020100 0201ff 0400 0400 0400", DATA, &h),
	    ==, SNMP_V3_ETIME);
	CHECK_INT(dec(VER, GD, "0400 020100 020100" HEX33 "0400 0400", DATA,
	    &h), ==, SNMP_V3_EUSER);
	CHECK_INT(dec(VER, GD, USM "0400", DATA, &h), ==, BER_ETRAILING);
	/* Another security model: the header is there, the rest is not. */
	CHECK_INT(dec(VER, "020101 020205c0 040104 020102", USM, DATA, &h), ==,
	    SNMP_V3_ENOTUSM);
	CHECK(h.v3_have_header && !h.v3_have_usm);
	/* Parameters that do not fill their OCTET STRING exactly. */
	n = mk(buf, VER, GD, USM, DATA);
	buf[26]++;	/* the OCTET STRING's length, now one too long */
	CHECK_INT(snmp_v3_decode(buf, n, &h), <, 0);
	buf[26]--;
	buf[n++] = 0;
	CHECK_INT(snmp_v3_decode(buf, n, &h), ==, SNMP_ETRAILING);

	n = hex("3011 0400 0400 a00b 020101 020100 020100 3000", sp, 256);
	CHECK_INT(snmp_v3_scoped_decode(sp, n, false, &m, vbs, 4), ==, 0);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GET);
	CHECK_INT(m.m_request_id, ==, 1);
	/* Padding only after decryption, and a block at most. */
	memset(sp + n, 0, 17);
	CHECK_INT(snmp_v3_scoped_decode(sp, n + 1, false, &m, vbs, 4), ==,
	    SNMP_ETRAILING);
	CHECK_INT(snmp_v3_scoped_decode(sp, n + 16, true, &m, vbs, 4), ==, 0);
	CHECK_INT(snmp_v3_scoped_decode(sp, n + 17, true, &m, vbs, 4), ==,
	    SNMP_ETRAILING);
	n = hex("3032" HEX33 "0400 a00b 020101 020100 020100 3000", sp, 256);
	CHECK_INT(snmp_v3_scoped_decode(sp, n, false, &m, vbs, 4), ==,
	    SNMP_V3_ECTXENGINE);
	n = hex("3032 0400" HEX33 "a00b 020101 020100 020100 3000", sp, 256);
	CHECK_INT(snmp_v3_scoped_decode(sp, n, false, &m, vbs, 4), ==,
	    SNMP_V3_ECTXNAME);
	n = hex("3011 0400 0400 a40b 020101 020100 020100 3000", sp, 256);
	CHECK_INT(snmp_v3_scoped_decode(sp, n, false, &m, vbs, 4), ==,
	    SNMP_EPDUTYPE);
	for (n = 60; n <= 71; n++)
		CHECK(strcmp(snmp_v3_strerror(-(int)n), "unknown error") != 0);
	CHECK_STR(snmp_v3_strerror(SNMP_ENOFIT), "reply would not fit");
}

static void
scoped_max_is_the_exact_limit_of_wrap(void)
{
	static const uint8_t eid[32] = { 0x80, 0, 0x1f, 0x88, 5, 1 };
	static const uint8_t salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static uint8_t buf[70000], copy[70000];
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	size_t limit, n;
	int priv;

	memset(&o, 0, sizeof(o));
	o.o_msg_id = 0x7fffffff;
	o.o_max_size = 65507;
	o.o_engine_id = eid;
	o.o_engine_id_len = 32;
	o.o_boots = 0x7fffffff;
	o.o_time = 5;
	o.o_user = eid;
	o.o_user_len = 32;
	for (priv = 0; priv < 2; priv++) {
		o.o_flags = priv ? 3 : 1;
		o.o_auth_len = 48;
		o.o_priv = priv ? salt : NULL;
		o.o_priv_len = priv ? 8 : 0;
		for (limit = 150; limit < sizeof(buf); limit += limit / 7 + 1) {
			n = snmp_v3_scoped_max(&o, limit);
			if (n == 0)
				continue;
			CHECK_INT(snmp_v3_wrap(&o, buf, sizeof(buf), limit, n,
			    &l), ==, 0);
			CHECK_U64(l.l_len, <=, limit);
			CHECK_U64(l.l_data_off + l.l_data_len, ==, l.l_len);
			memcpy(copy, buf, sizeof(buf));
			CHECK_INT(snmp_v3_wrap(&o, buf, sizeof(buf), limit,
			    n + 1, &l), ==, SNMP_ENOFIT);
			CHECK(memcmp(copy, buf, sizeof(buf)) == 0);
		}
	}
	CHECK_U64(snmp_v3_scoped_max(&o, 100), ==, 0);
	o.o_max_size = 483;
	CHECK_INT(snmp_v3_wrap(&o, buf, sizeof(buf), 1000, 10, &l), ==,
	    SNMP_EINVAL);
	CHECK_U64(snmp_v3_scoped_max(&o, 1000), ==, 0);
	o.o_max_size = 484;
	o.o_auth_len = 49;
	CHECK_INT(snmp_v3_wrap(&o, buf, sizeof(buf), 1000, 10, &l), ==,
	    SNMP_EINVAL);
}

static void
engine_ids_follow_rfc_3411(void)
{
	static const char *const good[] = { "80001f880470726f6374656c",
	    "000000000000000000000002", "80001f880501", "800000090100000000",
	    "80001f8803000102030405", "8000000980ff",
	    "80001f880200000000000000000000000000000001" };
	static const char *const bad[] = { "80001f8804", "00000000000000000000",
	    "0000000000000000000000", "ffffffffffff", "8000000900ab",
	    "8000000906ab", "80001f88017f000001ff", "80001f880300010203",
	    "80000009010000000000000000000000000000000000000000000000000000000a" };
	uint8_t id[64];
	const char *errstr;
	size_t i, n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = hex(good[i], id, sizeof(id));
		errstr = NULL;
		CHECK(snmp_v3_engine_id_valid(id, n, &errstr));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = hex(bad[i], id, sizeof(id));
		errstr = NULL;
		CHECK(!snmp_v3_engine_id_valid(id, n, &errstr));
		CHECK(errstr != NULL);
	}
}

static void
scoped_replies_never_pass_their_limit_and_carry_the_context(void)
{
	static const uint8_t ceid[] = { 0x80, 0, 0x1f, 0x88, 4, 'x' };
	static const struct oid name = { { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9 };
	struct snmp_reply r;
	struct snmp_value v;
	struct snmp_msg m;
	uint8_t buf[600], big[40] = { 0 };
	const uint8_t *msg;
	size_t len, limit;

	memset(&v, 0, sizeof(v));
	v.val_type = BER_OCTET_STRING;
	v.val_str.ptr = (const uint8_t *)"usm-test";
	v.val_str.len = 8;
	for (limit = 0; limit < 200; limit++) {
		CHECK_INT(snmp_reply_init_scoped(&r, buf, sizeof(buf), limit,
		    ceid, sizeof(ceid), (const uint8_t *)"ctx", 3, 77), ==, 0);
		while (snmp_reply_add(&r, &name, &v) == 0)
			;
		if (snmp_reply_finish(&r, 0, 0, &msg, &len) != 0)
			continue;
		CHECK_U64(len, <=, limit);
		CHECK_INT(snmp_v3_scoped_decode(msg, len, false, &m, vbs,
		    SNMP_MAX_VARBINDS), ==, 0);
		CHECK_MEM(m.m_context_engine_id, m.m_context_engine_id_len,
		    ceid, sizeof(ceid));
		CHECK_MEM(m.m_context_name, m.m_context_name_len, "ctx", 3);
		CHECK_INT(m.m_request_id, ==, 77);
		CHECK_U64(m.m_nvbs, ==, snmp_reply_count(&r));
	}
	CHECK_INT(snmp_reply_init_scoped(&r, buf, sizeof(buf), 500, big, 33,
	    NULL, 0, 1), ==, SNMP_ECONTEXT);
	CHECK_INT(snmp_reply_init_scoped(&r, buf, sizeof(buf), 500, NULL, 0,
	    big, 33, 1), ==, SNMP_ECONTEXT);
}

int
main(void)
{
	load_all();
	RUN(every_capture_decodes_to_the_fields_its_description_gives);
	RUN(every_capture_verifies_and_decrypts_to_a_scoped_pdu_about_sysname);
	RUN(the_wrong_keys_fail_where_snmpd_failed);
	RUN(every_aes_or_plaintext_capture_encodes_again_byte_for_byte);
	RUN(every_truncation_of_every_capture_is_refused);
	RUN(no_changed_octet_of_an_authenticated_capture_verifies);
	RUN(each_way_a_message_can_be_wrong_has_its_own_refusal);
	RUN(scoped_max_is_the_exact_limit_of_wrap);
	RUN(engine_ids_follow_rfc_3411);
	RUN(scoped_replies_never_pass_their_limit_and_carry_the_context);
	return t_done();
}
