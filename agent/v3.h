/*
 * v3: the agent's SNMPv3 message processing (RFC 3412 sec. 7.2) and User-
 * based Security Model (RFC 3414 sec. 3.2, 3.1) for incoming requests, as
 * one decision per datagram: drop it (counted), send the Report or error
 * Response it earns (built here), or hand its decrypted ScopedPDU to the
 * protocol engine and later wrap the engine's ScopedPDU reply
 * (v3_respond).  It owns the users (keys localized once, at
 * v3_set_users), snmpEngineID and snmpEngineBoots, the v3 counters and the
 * buffer decrypted ScopedPDUs land in.  Not here: sockets and clocks (the
 * caller passes snmpEngineTime), the MIB and views (the engine), the state
 * file (engid.h), logging.  Nothing is allocated per datagram.
 *
 * The path of one datagram, for the engine (agent/engine.c) to follow:
 *
 *	switch (v3_receive(v, req, len, now, &m, vbs, cap, &t, out, cap,
 *	    &outlen)) {
 *	case V3_DISPATCH:	// m holds a GET/GETNEXT/GETBULK/SET
 *		snmp_reply_init_scoped(&r, out, outcap, t.t_scoped_max,
 *		    m.m_context_engine_id, m.m_context_engine_id_len,
 *		    m.m_context_name, m.m_context_name_len, m.m_request_id);
 *		... answer as for v2c (t.t_user's view), snmp_reply_finish ...
 *		if (v3_respond(v, &t, now, out, outcap, scoped_len,
 *		    &outlen) == V3_SEND) send outlen octets;
 *		break;
 *	case V3_SEND:		// out holds a Report or error Response
 *		send outlen octets;
 *		break;
 *	case V3_DROP_PARSE:	// snmpInASNParseErrs + 1
 *	case V3_DROP_NOFIT:	// snmpSilentDrops + 1
 *	case V3_DROP:		// counted here
 *		break;
 *	}
 */
#ifndef PT_AGENT_V3_H
#define PT_AGENT_V3_H

#include <stddef.h>
#include <stdint.h>

#include "snmp/pdu.h"

struct cfg_user;

/*
 * SNMP-MPD-MIB snmpMPDStats (RFC 3412 sec. 5, 1.3.6.1.6.3.11.2.1.1-3),
 * SNMP-USER-BASED-SM-MIB usmStats (RFC 3414 sec. 5,
 * 1.3.6.1.6.3.15.1.1.1-6) and SNMP-TARGET-MIB snmpUnknownContexts
 * (RFC 3413 sec. 4.1.1, 1.3.6.1.6.3.12.1.5).  The engine serves them.
 */
struct v3_counters {
	uint32_t	vc_unknown_security_models;
	uint32_t	vc_invalid_msgs;
	uint32_t	vc_unknown_pdu_handlers;
	uint32_t	vc_unsupported_sec_levels;
	uint32_t	vc_not_in_time_windows;
	uint32_t	vc_unknown_user_names;
	uint32_t	vc_unknown_engine_ids;
	uint32_t	vc_wrong_digests;
	uint32_t	vc_decryption_errors;
	uint32_t	vc_unknown_contexts;
};

/* What to do with one datagram. */
enum v3_action {
	V3_DROP = 0,	/* nothing to send; counted in v3_counters */
	V3_DROP_PARSE,	/* nothing to send; the caller counts
			 * snmpInASNParseErrs (RFC 3412 sec. 7.2 steps 1
			 * and 7, RFC 3414 sec. 3.2 step 1) */
	V3_DROP_NOFIT,	/* the answer would not fit in out: the caller
			 * counts snmpSilentDrops */
	V3_SEND,	/* out[0..*outlen) is the datagram to send */
	V3_DISPATCH,	/* m holds a request for the engine */
};

/*
 * One request between v3_receive and v3_respond, in the caller's
 * storage.  t_user and t_flags are for the engine to read; the rest is
 * v3_respond's.
 */
struct v3_txn {
	size_t		 t_user;	/* index into v3_set_users' array */
	uint8_t		 t_flags;	/* the request's SNMP_V3_FLAG_AUTH|PRIV */
	int		 t_decode;	/* 0, or SNMP_ETOOMANY: answer tooBig */
	size_t		 t_scoped_max;	/* snmp_reply_init_scoped's limit */
	size_t		 t_limit;	/* the reply message's limit */
	int32_t		 t_msg_id;
};

struct v3;

/*
 * Returns a new v3 engine (NULL with errno on ENOMEM, or EINVAL for an
 * engine ID that is not 5..32 octets or negative boots).  engine_id is
 * copied; boots is snmpEngineBoots for this run (engid.h raised and
 * saved it); max_msg is snmpEngineMaxMessageSize: the msgMaxSize sent,
 * and the most any message of ours takes (484..65507).  The privacy salt
 * starts at a random value (RFC 3826 sec. 3.1.2.1).  No users yet.
 */
struct v3 *v3_new(const uint8_t *engine_id, size_t engine_id_len,
	    int32_t boots, size_t max_msg);
/* Wipes the keys.  v3_free(NULL) is a no-op. */
void	v3_free(struct v3 *v);

/*
 * Replace the users (at start and on SIGHUP): every password is stretched
 * and localized to the engine ID now (about 2 ms each), keys given in hex
 * are taken as localized.  users[i] becomes index i (v3_txn.t_user).  On
 * any error nothing changes: returns -1 with a message naming the user in
 * err ("user NAME: ...").  The cfg_user array is not kept.
 */
int	v3_set_users(struct v3 *v, const struct cfg_user *users, size_t n,
	    char *err, size_t errlen);

const struct v3_counters *v3_counters(const struct v3 *v);
/* snmpEngineID (RFC 3411 sec. 5), snmpEngineBoots, MaxMessageSize. */
const uint8_t *v3_engine_id(const struct v3 *v, size_t *len);
int32_t	v3_boots(const struct v3 *v);
size_t	v3_max_msg(const struct v3 *v);
/*
 * A new snmpEngineMaxMessageSize (a reload's max_message_size, 484..65507;
 * anything else is ignored).
 */
void	v3_set_max_msg(struct v3 *v, size_t max_msg);
/* Tests: the next privacy salt (RFC 3826's 64-bit integer). */
void	v3_set_salt(struct v3 *v, uint64_t salt);

/*
 * Process one datagram req[0..len) received at snmpEngineTime now (seconds
 * since boots was raised).  vbs[0..cap) receives the varbinds; on
 * V3_DISPATCH, m's views point into req or into v's decryption buffer,
 * valid until the next v3_receive.  out[0..outcap) receives a V3_SEND
 * datagram (*outlen octets).  Reports are sent where RFC 3412 sec. 7.2 and
 * RFC 3414 sec. 3.2 ask for them and the request is of the Confirmed
 * class or, when its PDU cannot be read, carries the reportable flag.
 */
enum v3_action v3_receive(struct v3 *v, const uint8_t *req, size_t len,
	    uint32_t now, struct snmp_msg *m, struct snmp_varbind *vbs,
	    size_t cap, struct v3_txn *t, uint8_t *out, size_t outcap,
	    size_t *outlen);

/*
 * Wrap the engine's ScopedPDU reply, out[0..scoped_len) (built with
 * snmp_reply_init_scoped and t->t_scoped_max), into the Response message
 * at the request's security level: encrypted and signed with t's user's
 * keys, at snmpEngineTime now.  No v3_set_users between v3_receive and
 * here.  Returns V3_SEND with *outlen, or V3_DROP_NOFIT.
 */
enum v3_action v3_respond(struct v3 *v, const struct v3_txn *t,
	    uint32_t now, uint8_t *out, size_t outcap, size_t scoped_len,
	    size_t *outlen);

#endif
