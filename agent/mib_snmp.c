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

enum snmp_object {
	SNMP_IN_PKTS = 1,
	SNMP_IN_BAD_VERSIONS = 3,
	SNMP_IN_BAD_COMMUNITY_NAMES = 4,
	SNMP_IN_BAD_COMMUNITY_USES = 5,
	SNMP_IN_ASN_PARSE_ERRS = 6,
	SNMP_ENABLE_AUTHEN_TRAPS = 30,
	SNMP_SILENT_DROPS = 31,
	SNMP_PROXY_DROPS = 32,
};

/* snmpEnableAuthenTraps: disabled(2); the agent sends no traps. */
#define SNMP_AUTHEN_TRAPS_DISABLED	2

static const struct oid snmp_group = { { 1, 3, 6, 1, 2, 1, 11 }, 7 };

static const uint32_t snmp_objects[] = {
	SNMP_IN_PKTS, SNMP_IN_BAD_VERSIONS, SNMP_IN_BAD_COMMUNITY_NAMES,
	SNMP_IN_BAD_COMMUNITY_USES, SNMP_IN_ASN_PARSE_ERRS,
	SNMP_ENABLE_AUTHEN_TRAPS, SNMP_SILENT_DROPS, SNMP_PROXY_DROPS,
};

static int
snmp_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct engine_counters *c = ctx->mc_counters;
	uint32_t what = mib_scalar_object(oid);

	(void)arg;
	if (what == SNMP_ENABLE_AUTHEN_TRAPS) {
		mib_set_int(val, SNMP_AUTHEN_TRAPS_DISABLED);
		return MIB_OK;
	}
	if (c == NULL)
		return MIB_NOSUCHINSTANCE;
	val->val_type = BER_COUNTER32;
	switch (what) {
	case SNMP_IN_PKTS:
		val->val_uint = c->ec_in_pkts;
		break;
	case SNMP_IN_BAD_VERSIONS:
		val->val_uint = c->ec_in_bad_versions;
		break;
	case SNMP_IN_BAD_COMMUNITY_NAMES:
		val->val_uint = c->ec_in_bad_community_names;
		break;
	case SNMP_IN_BAD_COMMUNITY_USES:
		val->val_uint = c->ec_in_bad_community_uses;
		break;
	case SNMP_IN_ASN_PARSE_ERRS:
		val->val_uint = c->ec_in_asn_parse_errs;
		break;
	case SNMP_SILENT_DROPS:
		val->val_uint = c->ec_silent_drops;
		break;
	case SNMP_PROXY_DROPS:
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
	return mib_register_scalars(m, &snmp_group, snmp_objects,
	    sizeof(snmp_objects) / sizeof(snmp_objects[0]), snmp_get, NULL);
}
