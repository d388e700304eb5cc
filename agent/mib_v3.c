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
#include <stdint.h>

#include "agent/mib.h"
#include "agent/v3.h"
#include "snmp/contract.h"

/* snmpEngineTime is INTEGER (0..2147483647), RFC 3411 sec. 5. */
#define MIB_V3_TIME_MAX	2147483647

static void
mib_v3_counter(struct snmp_value *val, uint32_t v)
{
	val->val_type = BER_COUNTER32;
	val->val_uint = v;
}

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

static int
mpd_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct v3_counters *c;

	(void)arg;
	if (ctx->mc_v3 == NULL)
		return MIB_NOSUCHOBJECT;
	c = v3_counters(ctx->mc_v3);
	switch (mib_scalar_object(oid)) {
	case ARC_snmpUnknownSecurityModels:
		mib_v3_counter(val, c->vc_unknown_security_models);
		break;
	case ARC_snmpInvalidMsgs:
		mib_v3_counter(val, c->vc_invalid_msgs);
		break;
	case ARC_snmpUnknownPDUHandlers:
		mib_v3_counter(val, c->vc_unknown_pdu_handlers);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

static int
target_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	if (ctx->mc_v3 == NULL ||
	    mib_scalar_object(oid) != ARC_snmpUnknownContexts)
		return MIB_NOSUCHOBJECT;
	mib_v3_counter(val, v3_counters(ctx->mc_v3)->vc_unknown_contexts);
	return MIB_OK;
}

static int
usm_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct v3_counters *c;

	(void)arg;
	if (ctx->mc_v3 == NULL)
		return MIB_NOSUCHOBJECT;
	c = v3_counters(ctx->mc_v3);
	switch (mib_scalar_object(oid)) {
	case ARC_usmStatsUnsupportedSecLevels:
		mib_v3_counter(val, c->vc_unsupported_sec_levels);
		break;
	case ARC_usmStatsNotInTimeWindows:
		mib_v3_counter(val, c->vc_not_in_time_windows);
		break;
	case ARC_usmStatsUnknownUserNames:
		mib_v3_counter(val, c->vc_unknown_user_names);
		break;
	case ARC_usmStatsUnknownEngineIDs:
		mib_v3_counter(val, c->vc_unknown_engine_ids);
		break;
	case ARC_usmStatsWrongDigests:
		mib_v3_counter(val, c->vc_wrong_digests);
		break;
	case ARC_usmStatsDecryptionErrors:
		mib_v3_counter(val, c->vc_decryption_errors);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

int
mib_v3_register(struct mib *m)
{
	if (mib_register_group(m, CONTRACT_snmpEngine, engine_get, NULL) ==
	    -1 ||
	    mib_register_group(m, CONTRACT_snmpMPDStats, mpd_get, NULL) == -1 ||
	    mib_register_group(m, CONTRACT_snmpTargetObjects, target_get,
	    NULL) == -1 ||
	    mib_register_group(m, CONTRACT_usmStats, usm_get, NULL) == -1)
		return -1;
	return 0;
}
