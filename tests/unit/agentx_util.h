/*
 * agentx_util: helpers the AgentX tests (test_agentx*.c, test_agentx_sess.c)
 * and the libFuzzer target tests/fuzz/fuzz_agentx.c share: the captured
 * PDUs of tests/unit/agentx/NN-name.hex (copies of notes/captures/agentx) read
 * into bytes, and any decoded PDU encoded again with the writer.
 * Header-only and static, as test_util.h, and without assertions: a bad
 * capture file aborts (a bug in the test), codec errors are returned.
 */
#ifndef PT_AGENTX_UTIL_H
#define PT_AGENTX_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/agentx.h"

#define AU_UNUSED	__attribute__((unused))
#define AU_CAPTURES	"tests/unit/agentx/"

/* Every capture, in the order of notes/agentx.md sec. 2. */
AU_UNUSED static const char *const au_captures[] = {
	"01-open", "02-response-open", "03-register", "04-response-register",
	"05-notify-coldstart", "06-response-notify", "07-get",
	"08-response-get", "09-getnext-from-below",
	"10-response-getnext-first", "11-getnext-walk-step",
	"12-response-getnext-step", "13-getnext-last",
	"14-response-endofmibview", "15-getnext-bulk-repetition", "16-ping",
	"17-response-ping", "18-get-retransmitted", "19-notify-shutdown",
	"20-close", "21-response-close", "22-be-open", "23-be-response-open",
	"24-be-register", "25-be-response-register", "26-be-get",
	"27-be-response-get", "28-be-close", "29-be-response-close",
};
#define AU_NCAPTURES	(sizeof(au_captures) / sizeof(au_captures[0]))

static int
au_nibble(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/*
 * Read tests/unit/agentx/NAME.hex: '#' lines are comments, the rest hex
 * digits and white space.  Returns the length; aborts on a missing or bad
 * file (the tests run from the top of the tree, as tests/run.sh does).
 */
AU_UNUSED static size_t
au_capture(const char *name, uint8_t *out, size_t cap)
{
	char path[256], line[512];
	FILE *fp;
	size_t n = 0, i;
	int hi = -1, d;

	if (snprintf(path, sizeof(path), AU_CAPTURES "%s.hex", name) >=
	    (int)sizeof(path) || (fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cannot read capture %s\n", name);
		abort();
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		for (i = 0; line[i] != '\0'; i++) {
			if (line[i] == ' ' || line[i] == '\n')
				continue;
			if ((d = au_nibble(line[i])) < 0 || (hi >= 0 &&
			    n >= cap)) {
				fprintf(stderr, "bad capture %s\n", name);
				abort();
			}
			if (hi < 0)
				hi = d;
			else {
				out[n++] = (uint8_t)(hi << 4 | d);
				hi = -1;
			}
		}
	}
	fclose(fp);
	if (hi >= 0)
		abort();
	return n;
}

/* A header of type, flags and ids; the writer fills payload_length. */
AU_UNUSED static struct agentx_hdr
au_hdr(uint8_t type, uint8_t flags, uint32_t sid, uint32_t tid, uint32_t pid)
{
	struct agentx_hdr h;

	memset(&h, 0, sizeof(h));
	h.h_version = AGENTX_VERSION;
	h.h_type = type;
	h.h_flags = flags;
	h.h_session_id = sid;
	h.h_transaction_id = tid;
	h.h_packet_id = pid;
	return h;
}

/*
 * Encode p again, field by field, with h_flags replaced by flags (which
 * may change the byte order or add an empty context).  Returns 0 and the
 * length in *len, or the first codec error.
 */
AU_UNUSED static int
au_reencode(const struct agentx_pdu *p, uint8_t flags, uint8_t *buf,
    size_t cap, size_t *len)
{
	struct agentx_writer w;
	struct agentx_hdr h = p->p_hdr;
	struct agentx_iter it;
	struct agentx_range r;
	struct agentx_varbind vb;
	int rc;

	h.h_flags = flags;
	agentx_write_init(&w, buf, cap, &h, p->p_context, p->p_context_len);
	switch (h.h_type) {
	case AGENTX_PDU_OPEN:
		agentx_write_u8x4(&w, p->p_timeout, 0, 0, 0);
		agentx_write_oid(&w, &p->p_oid, false);
		agentx_write_octets(&w, p->p_descr, p->p_descr_len);
		break;
	case AGENTX_PDU_CLOSE:
		agentx_write_u8x4(&w, p->p_reason, 0, 0, 0);
		break;
	case AGENTX_PDU_REGISTER:
	case AGENTX_PDU_UNREGISTER:
		agentx_write_u8x4(&w, p->p_timeout, p->p_priority,
		    p->p_range_subid, 0);
		agentx_write_oid(&w, &p->p_oid, false);
		if (p->p_range_subid != 0)
			agentx_write_u32(&w, p->p_upper_bound);
		break;
	case AGENTX_PDU_GETBULK:
		agentx_write_u16x2(&w, p->p_non_repeaters,
		    p->p_max_repetitions);
		break;
	case AGENTX_PDU_RESPONSE:
		agentx_write_response(&w, p->p_sysuptime, p->p_error,
		    p->p_index);
		break;
	case AGENTX_PDU_ADDAGENTCAPS:
		agentx_write_oid(&w, &p->p_oid, false);
		agentx_write_octets(&w, p->p_descr, p->p_descr_len);
		break;
	case AGENTX_PDU_REMOVEAGENTCAPS:
		agentx_write_oid(&w, &p->p_oid, false);
		break;
	default:
		break;
	}
	agentx_iter_init(&it, p);
	if (p->p_list_ranges) {
		while ((rc = agentx_iter_range(&it, &r)) == 1)
			agentx_write_range(&w, &r);
	} else {
		while ((rc = agentx_iter_varbind(&it, &vb)) == 1)
			agentx_write_decoded(&w, &vb);
	}
	if (rc < 0)
		return rc;
	return agentx_write_finish(&w, len);
}

/*
 * What encoding p again must give, p having decoded from data[0..size):
 * a PDU no longer (prefix compression is the writer's only way to be
 * shorter), the same bytes when as long, that decodes to as many items,
 * encodes to itself again, and survives the other byte order and back.
 * Returns 0, or the number of the first property that failed.
 */
AU_UNUSED static int
au_reencode_check(const struct agentx_pdu *p, const uint8_t *data,
    size_t size)
{
	static uint8_t o1[AGENTX_MAX_PDU], o2[AGENTX_MAX_PDU];
	static struct agentx_pdu p2, p3;
	const uint8_t swap = AGENTX_F_NETWORK_BYTE_ORDER;
	size_t l1, l2;

	if (au_reencode(p, p->p_hdr.h_flags, o1, sizeof(o1), &l1) != 0)
		return 1;
	if (l1 > size || (l1 == size && memcmp(o1, data, size) != 0))
		return 2;
	if (agentx_pdu_decode(o1, l1, &p2) != 0 || p2.p_nitems != p->p_nitems)
		return 3;
	if (au_reencode(&p2, p2.p_hdr.h_flags, o2, sizeof(o2), &l2) != 0 ||
	    l2 != l1 || memcmp(o2, o1, l1) != 0)
		return 4;
	if (au_reencode(&p2, p2.p_hdr.h_flags ^ swap, o2, sizeof(o2),
	    &l2) != 0 || l2 != l1 || agentx_pdu_decode(o2, l2, &p3) != 0)
		return 5;
	if (p3.p_hdr.h_packet_id != p->p_hdr.h_packet_id ||
	    p3.p_hdr.h_session_id != p->p_hdr.h_session_id ||
	    p3.p_hdr.h_transaction_id != p->p_hdr.h_transaction_id ||
	    p3.p_nitems != p->p_nitems || p3.p_error != p->p_error ||
	    oid_cmp(&p3.p_oid, &p->p_oid) != 0)
		return 6;
	if (au_reencode(&p3, p->p_hdr.h_flags, o2, sizeof(o2), &l2) != 0 ||
	    l2 != l1 || memcmp(o2, o1, l1) != 0)
		return 7;
	return 0;
}

#endif /* PT_AGENTX_UTIL_H */
