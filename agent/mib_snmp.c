/*
 * mib_snmp: the SNMPv2-MIB snmp group (RFC 3418 section 2), the scalars
 * 1.3.6.1.2.1.11.{1,3,4,5,6,30,31,32}.0, read from the engine's counters
 * at request time.  The obsolete RFC 1213 counters (.2, .7 .. .29) are not
 * served; nor is anything writable (snmpEnableAuthenTraps is always 2).
 */
#include <stdint.h>

#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/mib_table.h"
#include "snmp/contract.h"


/* snmpEnableAuthenTraps: disabled(2); the agent sends no traps. */
#define SNMP_AUTHEN_TRAPS_DISABLED	2

static int
snmp_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct engine_counters *c = ctx->mc_counters;
	uint32_t what = mib_scalar_object(oid);

	(void)arg;
	if (what == ARC_snmpEnableAuthenTraps) {
		mib_set_int(val, SNMP_AUTHEN_TRAPS_DISABLED);
		return MIB_OK;
	}
	if (c == NULL)
		return MIB_NOSUCHINSTANCE;
	val->val_type = BER_COUNTER32;
	switch (what) {
	case ARC_snmpInPkts:
		val->val_uint = c->ec_in_pkts;
		break;
	case ARC_snmpInBadVersions:
		val->val_uint = c->ec_in_bad_versions;
		break;
	case ARC_snmpInBadCommunityNames:
		val->val_uint = c->ec_in_bad_community_names;
		break;
	case ARC_snmpInBadCommunityUses:
		val->val_uint = c->ec_in_bad_community_uses;
		break;
	case ARC_snmpInASNParseErrs:
		val->val_uint = c->ec_in_asn_parse_errs;
		break;
	case ARC_snmpSilentDrops:
		val->val_uint = c->ec_silent_drops;
		break;
	case ARC_snmpProxyDrops:
		val->val_uint = c->ec_proxy_drops;
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

int
mib_snmp_register(struct mib *m)
{
	return mib_register_group(m, CONTRACT_snmp, snmp_get, NULL);
}
