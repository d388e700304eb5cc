/*
 * mib_agentx: PROCTEL-MIB ptAgentx (ptAgent.10), the AgentX subagent's
 * state and counters (agentx_io.h), read at request time.  Served over
 * UDP and through snmpd alike; through snmpd the state reads open(5),
 * so it is over UDP that it tells why snmpd does not show our objects.
 * Which objects exist is the OID contract's to say (snmp/contract.h).
 */
#include <stdint.h>
#include <string.h>

#include "agent/agentx_io.h"
#include "agent/mib.h"
#include "agent/mib_table.h"
#include "snmp/contract.h"

/* RFC 2579: DisplayString is SIZE (0..255). */
#define AX_DISPLAY_MAX	255

static void
set_counter32(struct snmp_value *val, uint64_t v)
{
	val->val_type = BER_COUNTER32;
	val->val_uint = v & UINT32_MAX;
}

static int
agentx_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	struct agentx_io_status st;

	(void)ctx;
	agentx_io_status(arg, &st);
	switch (mib_scalar_object(oid)) {
	case ARC_ptAgentxState:
		mib_set_int(val, st.as_state);
		break;
	case ARC_ptAgentxMaster:
		if (st.as_master == NULL)
			mib_set_string(val, "", 0, AX_DISPLAY_MAX);
		else
			mib_set_string(val, st.as_master,
			    strlen(st.as_master), AX_DISPLAY_MAX);
		break;
	case ARC_ptAgentxOpens:
		set_counter32(val, st.as_opens);
		break;
	case ARC_ptAgentxRequests:
		set_counter32(val, st.as_requests);
		break;
	case ARC_ptAgentxBadPdus:
		set_counter32(val, st.as_bad_pdus);
		break;
	case ARC_ptAgentxFailures:
		set_counter32(val, st.as_failures);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

int
mib_agentx_register(struct mib *m, struct agentx_io *io)
{
	return mib_register_group(m, CONTRACT_ptAgentx, agentx_get, io);
}
