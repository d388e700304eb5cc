/*
 * v3cli: the manager's side of SNMPv3 with USM, from the agent's own
 * codec (snmp/v3.h) and cryptography (snmp/usm.h): a user's keys
 * localized to an engine, the discovery probe, a request wrapped at a
 * security level, and a reply verified, decrypted and decoded.  For the
 * load generator, the unit tests and the fuzz target, which must speak v3
 * to the agent without net-snmp in the loop.  The prefix is v3cli_.  No
 * allocation, no I/O, no logging.
 */
#ifndef PT_V3CLI_H
#define PT_V3CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/pdu.h"
#include "snmp/usm.h"
#include "snmp/v3.h"

/*
 * One user as a manager holds it, at one authoritative engine.  Callers
 * embed it; set it up with v3cli_init, then learn boots and time from a
 * Report (v3cli_learn) or set c_boots and c_time.
 */
struct v3cli {
	uint8_t		 c_engine_id[SNMP_MAX_ENGINE_ID];
	size_t		 c_engine_id_len;
	int32_t		 c_boots;
	int32_t		 c_time;
	uint8_t		 c_user[SNMP_V3_MAX_USER];
	size_t		 c_user_len;
	uint8_t		 c_level;	/* SNMP_V3_FLAG_AUTH | _PRIV it has */
	uint64_t	 c_salt;	/* the next msgPrivacyParameters */
	struct usm_keys	 c_keys;
};

/*
 * User user (1..32 octets) with protocols a and p (either NONE) and their
 * passwords, localized to engine_id: about 2 ms per password.  Returns 0,
 * or a usm_error / SNMP_EINVAL.
 */
int	v3cli_init(struct v3cli *c, const char *user, enum usm_auth a,
	    const char *auth_pw, enum usm_priv p, const char *priv_pw,
	    const uint8_t *engine_id, size_t engine_id_len);

/*
 * The discovery probe as net-snmp sends it (notes/usm.md sec. 1): a
 * reportable noAuthNoPriv GET with empty engine ID and user and no
 * varbinds, msgID and request-id msg_id.  Returns 0 with *len, or
 * SNMP_ENOFIT.
 */
int	v3cli_probe(int32_t msg_id, uint8_t *buf, size_t cap, size_t *len);

/*
 * The authoritative engine's ID, boots and time from a message of its
 * (the Report to a probe, or a notInTimeWindow one) into *eid (at least
 * SNMP_MAX_ENGINE_ID octets), *boots and *time.  Returns 0 or
 * snmp_v3_decode's code.
 */
int	v3cli_learn(const uint8_t *msg, size_t len, uint8_t *eid,
	    size_t *eid_len, int32_t *boots, int32_t *time);

/*
 * Make the ScopedPDU at buf[0..scoped_len) (snmp_reply_init_scoped's
 * output) a request of c's at level flags (SNMP_V3_FLAG_*, reportable
 * included), in place: wrapped, encrypted and signed with c_boots and
 * c_time.  The builder's limit for the ScopedPDU is v3cli_scoped_max.
 * Returns 0 with *len, SNMP_ENOFIT, or SNMP_EINVAL for a level c's keys
 * do not allow.
 */
int	v3cli_wrap(struct v3cli *c, int32_t msg_id, uint8_t flags,
	    uint8_t *buf, size_t cap, size_t scoped_len, size_t *len);
/* The largest ScopedPDU v3cli_wrap can fit in limit octets at flags. */
size_t	v3cli_scoped_max(const struct v3cli *c, uint8_t flags, size_t limit);

/*
 * Open a message from the agent: decode its header into *h, check its
 * MAC when it claims one (with c's keys), decrypt into plain (at least
 * len octets) when encrypted, and decode the ScopedPDU into m and
 * vbs[0..cap) (views into msg or plain).  Returns 0; USM_EDIGEST; or a
 * decoding code.
 */
int	v3cli_open(const struct v3cli *c, const uint8_t *msg, size_t len,
	    uint8_t *plain, struct snmp_v3_msg *h, struct snmp_msg *m,
	    struct snmp_varbind *vbs, size_t cap);

#endif
