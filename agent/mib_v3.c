/*
 * mib_v3: the SNMPv3 engine's own objects, read from agent/v3.c at
 * request time: the snmpEngine group of SNMP-FRAMEWORK-MIB (RFC 3411 sec.
 * 5, 1.3.6.1.6.3.10.2.1.{1..4}.0), snmpMPDStats of SNMP-MPD-MIB (RFC 3412
 * sec. 5, 1.3.6.1.6.3.11.2.1.{1..3}.0), snmpUnknownContexts of
 * SNMP-TARGET-MIB (RFC 3413 sec. 4.1.1, 1.3.6.1.6.3.12.1.5.0) and usmStats
 * of SNMP-USER-BASED-SM-MIB (RFC 3414 sec. 5, 1.3.6.1.6.3.15.1.1.{1..6}.0).
 * Without an SNMPv3 engine (no `users:`) none of them exists.  Not here:
 * the user table (usmUserTable), VACM's tables, anything writable.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "agent/mib.h"
#include "agent/v3.h"
#include "snmp/contract.h"

/* snmpEngineTime is INTEGER (0..2147483647), RFC 3411 sec. 5. */
#define MIB_V3_TIME_MAX	2147483647

static int
engine_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct v3 *v = ctx->mc_v3;
	uint64_t secs;
	size_t len;

	(void)arg;
	if (v == NULL)
		return MIB_NOSUCHOBJECT;
	switch (mib_scalar_object(oid)) {
	case ARC_snmpEngineID:
		val->val_type = BER_OCTET_STRING;
		val->val_str.ptr = v3_engine_id(v, &len);
		val->val_str.len = len;
		break;
	case ARC_snmpEngineBoots:
		val->val_type = BER_INTEGER;
		val->val_int = v3_boots(v);
		break;
	case ARC_snmpEngineTime:
		secs = ctx->mc_now_ms > ctx->mc_v3_boot_ms ?
		    (ctx->mc_now_ms - ctx->mc_v3_boot_ms) / 1000 : 0;
		val->val_type = BER_INTEGER;
		val->val_int = secs > MIB_V3_TIME_MAX ? MIB_V3_TIME_MAX :
		    (int64_t)secs;
		break;
	case ARC_snmpEngineMaxMessageSize:
		val->val_type = BER_INTEGER;
		val->val_int = (int64_t)v3_max_msg(v);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

/* The counters, by group and object: one table, one get. */
struct mib_v3_counter {
	int		 mc_group;	/* enum contract_id */
	uint32_t	 mc_arc;
	size_t		 mc_off;	/* in struct v3_counters */
};
#define MIB_V3_C(g, a, f)	\
	{ CONTRACT_##g, ARC_##a, offsetof(struct v3_counters, f) }
static const struct mib_v3_counter mib_v3_counters[] = {
	MIB_V3_C(snmpMPDStats, snmpUnknownSecurityModels,
	    vc_unknown_security_models),
	MIB_V3_C(snmpMPDStats, snmpInvalidMsgs, vc_invalid_msgs),
	MIB_V3_C(snmpMPDStats, snmpUnknownPDUHandlers,
	    vc_unknown_pdu_handlers),
	MIB_V3_C(snmpTargetObjects, snmpUnknownContexts, vc_unknown_contexts),
	MIB_V3_C(usmStats, usmStatsUnsupportedSecLevels,
	    vc_unsupported_sec_levels),
	MIB_V3_C(usmStats, usmStatsNotInTimeWindows, vc_not_in_time_windows),
	MIB_V3_C(usmStats, usmStatsUnknownUserNames, vc_unknown_user_names),
	MIB_V3_C(usmStats, usmStatsUnknownEngineIDs, vc_unknown_engine_ids),
	MIB_V3_C(usmStats, usmStatsWrongDigests, vc_wrong_digests),
	MIB_V3_C(usmStats, usmStatsDecryptionErrors, vc_decryption_errors),
};
/* The groups, as the registrations' args (mib_register_group's void *). */
static int mib_v3_groups[] = { CONTRACT_snmpMPDStats,
	CONTRACT_snmpTargetObjects, CONTRACT_usmStats };

static int
counter_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const int group = *(const int *)arg;
	const uint8_t *c;
	uint32_t what = mib_scalar_object(oid), v;
	size_t i;

	if (ctx->mc_v3 == NULL)
		return MIB_NOSUCHOBJECT;
	c = (const uint8_t *)v3_counters(ctx->mc_v3);
	for (i = 0; i < sizeof(mib_v3_counters) / sizeof(mib_v3_counters[0]);
	    i++) {
		if (mib_v3_counters[i].mc_group != group ||
		    mib_v3_counters[i].mc_arc != what)
			continue;
		memcpy(&v, c + mib_v3_counters[i].mc_off, sizeof(v));
		val->val_type = BER_COUNTER32;
		val->val_uint = v;
		return MIB_OK;
	}
	return MIB_NOSUCHOBJECT;
}

int
mib_v3_register(struct mib *m)
{
	size_t i;

	if (mib_register_group(m, CONTRACT_snmpEngine, engine_get, NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(mib_v3_groups) / sizeof(mib_v3_groups[0]); i++)
		if (mib_register_group(m, mib_v3_groups[i], counter_get,
		    &mib_v3_groups[i]) == -1)
			return -1;
	return 0;
}
