/*
 * agentx_serve: the answer to one AgentX Get, GetNext or GetBulk (RFC 2741
 * sec. 7.2.3) from the agent's MIB registry, within the subtrees a
 * session has registered, written into a Response the session began.
 * The session (agentx_sess.c) decides whether a request is to be served
 * at all; this decides what it is answered.  No allocation, no I/O.
 */
#ifndef PT_AGENTX_SERVE_H
#define PT_AGENTX_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agentx_sess.h"
#include "snmp/agentx.h"

/* Embedded in the session; members are private. */
struct agentx_serve {
	const struct agentx_sess_mib	*sv_mib;
	const struct oid		*sv_sub;
	const bool			*sv_reg;
	size_t				 sv_nsub;
	/* sv_sub indexes in OID order, for GetNext across subtrees. */
	size_t				 sv_order[AGENTX_SESS_MAX_SUBTREES];
	/* Scratch, kept here rather than on the stack (OIDs are large). */
	struct agentx_range		 sv_range;
	struct agentx_varbind		 sv_prev;
	struct oid			 sv_found;
	/* The request being answered: failed, and its last name's hash. */
	bool				 sv_failed;
	bool				 sv_answered;
	uint64_t			 sv_last;
};

/*
 * Serve mib within sub[0..nsub); reg[i] says whether sub[i] is registered
 * yet (read at every request).  Everything is borrowed for the life of sv.
 */
void	agentx_serve_init(struct agentx_serve *sv,
	    const struct agentx_sess_mib *mib, const struct oid *sub,
	    const bool *reg, size_t nsub);

/*
 * Answer p, a decoded Get, GetNext or GetBulk, into w: a Response already
 * begun (agentx_write_response() with noError).  One varbind per
 * SearchRange, in order, is appended (GetBulk: as many as fit); or the
 * varbinds are dropped and res.error set: tooBig (index 0) when a Get or
 * GetNext answer does not fit, or a GetBulk's first varbind does not;
 * genErr with the varbind's index when a value cannot be encoded, or
 * index 0 when the MIB gives no context.
 */
void	agentx_serve(struct agentx_serve *sv, const struct agentx_pdu *p,
	    struct agentx_writer *w, uint64_t now_ms);

#endif
