/*
 * mib_system: the SNMPv2-MIB system group (RFC 3418), the scalars
 * 1.3.6.1.2.1.1.{1..7}.0.  sysDescr and the fallback sysName are computed
 * once at registration; sysContact, sysName and sysLocation are read from
 * the current config at request time so a SIGHUP reload shows at once.
 * sysORLastChange and sysORTable are not served.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "agent/mib.h"
#include "agent/mib_table.h"
#include "agent/version.h"
#include "config/config.h"
#include "snmp/contract.h"

/* DisplayString, RFC 2579: SIZE (0..255). */
#define SYS_STR_MAX	255


/* sysServices: application (layer 7) + end-to-end (layer 4), 64 + 8. */
#define SYS_SERVICES_VALUE	72

/* Computed at registration; read-only afterwards. */
static char sys_descr[SYS_STR_MAX + 1];
static char sys_hostname[SYS_STR_MAX + 1];

/* sysObjectID: ptAgentOID. */
static struct oid sys_object_id;

static void
sys_string(struct snmp_value *val, const char *s)
{
	if (s == NULL)
		s = "";
	mib_set_string(val, s, strlen(s), SYS_STR_MAX);
}

static int
sys_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const struct cfg_agent *conf = ctx->mc_conf;
	const char *name;

	(void)arg;
	switch (mib_scalar_object(oid)) {
	case ARC_sysDescr:
		sys_string(val, sys_descr);
		break;
	case ARC_sysObjectID:
		val->val_type = BER_OBJECT_ID;
		val->val_oid = &sys_object_id;
		break;
	case ARC_sysUpTime:
		/* TimeTicks wrap at 2^32 centi-seconds (497 days). */
		val->val_type = BER_TIMETICKS;
		val->val_uint = ctx->mc_now_ms < ctx->mc_start_ms ? 0 :
		    (uint32_t)((ctx->mc_now_ms - ctx->mc_start_ms) / 10);
		break;
	case ARC_sysContact:
		sys_string(val, conf != NULL ? conf->ca_sys_contact : NULL);
		break;
	case ARC_sysName:
		name = conf != NULL ? conf->ca_sys_name : NULL;
		sys_string(val, name != NULL && name[0] != '\0' ? name :
		    sys_hostname);
		break;
	case ARC_sysLocation:
		sys_string(val, conf != NULL ? conf->ca_sys_location : NULL);
		break;
	case ARC_sysServices:
		mib_set_int(val, SYS_SERVICES_VALUE);
		break;
	default:
		return MIB_NOSUCHOBJECT;
	}
	return MIB_OK;
}

static void
sys_init(void)
{
	struct utsname u;
	int n;

	if (uname(&u) == 0)
		n = snprintf(sys_descr, sizeof(sys_descr),
		    "proctel-agent %s on %s %s %s", PROCTEL_VERSION,
		    u.sysname, u.release, u.machine);
	else
		n = snprintf(sys_descr, sizeof(sys_descr),
		    "proctel-agent %s", PROCTEL_VERSION);
	/* A uname longer than a DisplayString is cut, still terminated. */
	if (n < 0)
		sys_descr[0] = '\0';
	if (gethostname(sys_hostname, sizeof(sys_hostname) - 1) != 0)
		sys_hostname[0] = '\0';
	sys_hostname[sizeof(sys_hostname) - 1] = '\0';
}

int
mib_system_register(struct mib *m)
{
	sys_init();
	contract_oid(CONTRACT_ptAgentOID, &sys_object_id);
	return mib_register_group(m, CONTRACT_system, sys_get, NULL);
}
