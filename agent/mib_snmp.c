/*
 * mib_snmp: the SNMPv2-MIB snmp group (RFC 3418 section 2), the scalars
 * 1.3.6.1.2.1.11.{1,3,4,5,6,30,31,32}.0, read from the engine's counters
 * at request time.  The obsolete RFC 1213 counters (.2, .7 .. .29) are not
 * served; nor is anything writable (snmpEnableAuthenTraps is always 2).
 */
#include <stdint.h>

#include "agent/engine.h"
#include "agent/mib.h"

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

static const uint32_t snmp_group[] = { 1, 3, 6, 1, 2, 1, 11 };

static const int snmp_objects[] = {
	SNMP_IN_PKTS, SNMP_IN_BAD_VERSIONS, SNMP_IN_BAD_COMMUNITY_NAMES,
	SNMP_IN_BAD_COMMUNITY_USES, SNMP_IN_ASN_PARSE_ERRS,
	SNMP_ENABLE_AUTHEN_TRAPS, SNMP_SILENT_DROPS, SNMP_PROXY_DROPS,
};

static int
snmp_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct engine_counters *c = ctx->mc_counters;
	int what = *(const int *)arg;

	(void)oid;
	if (what == SNMP_ENABLE_AUTHEN_TRAPS) {
		val->val_type = BER_INTEGER;
		val->val_int = SNMP_AUTHEN_TRAPS_DISABLED;
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
	struct oid o;
	size_t i;

	for (i = 0; i < sizeof(snmp_objects) / sizeof(snmp_objects[0]); i++) {
		if (oid_set(&o, snmp_group,
		    sizeof(snmp_group) / sizeof(snmp_group[0])) == -1 ||
		    oid_append(&o, (uint32_t)snmp_objects[i]) == -1)
			return -1;
		if (mib_register_scalar(m, &o, snmp_get,
		    (void *)(uintptr_t)&snmp_objects[i]) == -1)
			return -1;
	}
	return 0;
}
