/*
 * test_util: small helpers the unit tests (and the libFuzzer target
 * tests/fuzz/fuzz_message.c) share, one copy each: a seeded PRNG, hex
 * text to bytes, an OID from its text, a decoded message encoded again
 * with the reply builder, a config's error lines joined into one string
 * (test_config*.c, test_remote_conf.c), and a whole file read into a
 * string (test_alert.c, test_sinks.c).  Header-only and static, because
 * each test is a program of its own; every function is marked unused so
 * a file may take just one.
 * No assertions here (the fuzz target has no harness): a helper aborts on
 * a bad literal, which is a bug in the test, or returns the codec's error
 * code for the caller to check.  Not here: the engine fixture of
 * test_engine*.c (engine_fixture.h).
 */
#ifndef PT_TEST_UTIL_H
#define PT_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "snmp/ber.h"
#include "snmp/oid.h"
#include "snmp/pdu.h"

#define TU_UNUSED	__attribute__((unused))

/* xorshift64*: small, seeded, the same on every machine. */
TU_UNUSED static uint64_t
tu_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* "02 01 ff" -> bytes; returns the length (aborts the test on bad text). */
TU_UNUSED static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, d;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			abort();
		if (hi < 0)
			hi = d;
		else {
			if (n >= cap)
				abort();
			out[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0)
		abort();
	return n;
}

/* The OID of a dotted literal (aborts the test on bad text). */
TU_UNUSED static struct oid
O(const char *s)
{
	struct oid o;
	const char *errstr = NULL;

	memset(&o, 0, sizeof(o));
	if (oid_parse(s, &o, &errstr) == -1) {
		fprintf(stderr, "bad test oid %s: %s\n", s, errstr);
		abort();
	}
	return o;
}

/*
 * Encode m's fields again with our builder (any PDU type, its error
 * fields, its varbinds; OID values decoded first) into buf[0..cap): a
 * whole v1/v2c message, or for an SNMPv3 m (snmp_v3_scoped_decode) its
 * ScopedPDU.
 * Returns 0 and the length in *lenp, or the first error code of the
 * codec.  OID values are kept in static storage until the next call.
 */
TU_UNUSED static int
msg_reencode(const struct snmp_msg *m, uint8_t *buf, size_t cap,
    size_t *lenp)
{
	static struct oid ov[SNMP_MAX_VARBINDS];
	struct snmp_reply r;
	struct snmp_value v;
	const uint8_t *msg;
	size_t i;
	int rc;

	*lenp = 0;
	if (m->m_version == SNMP_VERSION_3)
		rc = snmp_reply_init_scoped(&r, buf, cap, cap,
		    m->m_context_engine_id, m->m_context_engine_id_len,
		    m->m_context_name, m->m_context_name_len,
		    m->m_request_id);
	else
		rc = snmp_reply_init(&r, buf, cap, cap, m->m_version,
		    m->m_community, m->m_community_len, m->m_request_id);
	if (rc != 0 || (rc = snmp_reply_set_type(&r, m->m_pdu_type)) != 0)
		return rc;
	for (i = 0; i < m->m_nvbs && i < SNMP_MAX_VARBINDS; i++) {
		v = m->m_vbs[i].vb_value;
		if (v.val_type == BER_OBJECT_ID) {
			if ((rc = ber_oid_decode(v.val_str.ptr,
			    v.val_str.len, &ov[i])) != 0)
				return rc;
			v.val_oid = &ov[i];
		}
		if ((rc = snmp_reply_add(&r, &m->m_vbs[i].vb_oid, &v)) != 0)
			return rc;
	}
	return snmp_reply_finish(&r, m->m_error_status, m->m_error_index,
	    &msg, lenp);
}

/*
 * The error lines of e, each ended by a newline, in buf[0..size): "" when
 * there are none, and cut at the first line that does not fit.  Returns
 * buf, so a CHECK_STR can compare it whole.
 */
TU_UNUSED static const char *
tu_errors_join(const struct cfg_errors *e, char *buf, size_t size)
{
	size_t i, o = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < e->ce_count; i++) {
		n = snprintf(buf + o, size - o, "%s\n", e->ce_lines[i]);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
	return buf;
}

/* The whole file at path, a new NUL-ended string (free it); NULL if unread. */
TU_UNUSED static char *
tu_slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	long sz;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (sz = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = calloc(1, (size_t)sz + 1)) != NULL)
		len = fread(buf, 1, (size_t)sz, fp);
	fclose(fp);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

#endif /* PT_TEST_UTIL_H */
