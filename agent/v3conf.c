/*
 * v3conf: SNMPv3 at start, on reload and in --check, and the secrets
 * warning.  The order at start is RFC 3414's and notes/usm.md's: the new
 * snmpEngineBoots is on disk before the first answer, so a client never
 * sees it go back, and it is raised once per start, never on reload.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "agent/engid.h"
#include "agent/v3.h"
#include "agent/v3conf.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/log.h"

/* The engine ID in hex, for the log. */
static const char *
v3conf_hex(const uint8_t *id, size_t len, char *buf, size_t cap)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < cap; i++)
		(void)snprintf(buf + 2 * i, 3, "%02x", id[i]);
	return buf;
}

int
v3conf_start(const struct cfg_agent *ca, struct v3 **vp, uint64_t *boot_ms,
    char *err, size_t errlen)
{
	struct engid_state st;
	struct v3 *v;
	char hex[2 * SNMP_MAX_ENGINE_ID + 1];

	*vp = NULL;
	*boot_ms = 0;
	if (ca->ca_nusers == 0)
		return 0;
	if (engid_raise(ca->ca_state_dir, ca->ca_engine_id,
	    ca->ca_engine_id_len, &st, err, errlen) == -1)
		return -1;
	*boot_ms = clock_mono_ms();
	v3conf_hex(st.es_engine_id, st.es_engine_id_len, hex, sizeof(hex));
	if (st.es_restart != NULL)
		log_info("SNMPv3 engine ID %s%s, snmpEngineBoots %d: %s", hex,
		    st.es_generated ? " (generated)" : "", (int)st.es_boots,
		    st.es_restart);
	else
		log_info("SNMPv3 engine ID %s, snmpEngineBoots %d", hex,
		    (int)st.es_boots);
	if (st.es_latched)
		log_warnx("snmpEngineBoots is latched at %d: authenticated "
		    "SNMPv3 requests are refused until the engine ID changes "
		    "(RFC 3414 sec. 2.2.2)", (int)st.es_boots);
	if ((v = v3_new(st.es_engine_id, st.es_engine_id_len, st.es_boots,
	    ca->ca_max_message_size)) == NULL) {
		(void)snprintf(err, errlen, "SNMPv3 engine: %s",
		    strerror(errno));
		return -1;
	}
	if (v3_set_users(v, ca->ca_users, ca->ca_nusers, err, errlen) == -1) {
		v3_free(v);
		return -1;
	}
	log_info("SNMPv3: %zu user%s", ca->ca_nusers,
	    ca->ca_nusers == 1 ? "" : "s");
	*vp = v;
	return 0;
}

int
v3conf_reload(struct v3 *v, const struct cfg_agent *old,
    const struct cfg_agent *nc, char *err, size_t errlen)
{
	if (nc->ca_engine_id_len != old->ca_engine_id_len ||
	    memcmp(nc->ca_engine_id, old->ca_engine_id,
	    nc->ca_engine_id_len) != 0)
		log_warnx("engine_id changed; it takes effect at the next "
		    "restart");
	if (strcmp(nc->ca_state_dir, old->ca_state_dir) != 0)
		log_warnx("state_dir changed; it takes effect at the next "
		    "restart");
	if (v == NULL) {
		if (nc->ca_nusers > 0)
			log_warnx("users: SNMPv3 was off at start; the users "
			    "take effect at the next restart");
		return 0;
	}
	if (v3_set_users(v, nc->ca_users, nc->ca_nusers, err, errlen) == -1)
		return -1;
	v3_set_max_msg(v, nc->ca_max_message_size);
	return 0;
}

int
v3conf_check(const struct cfg_agent *ca, char *err, size_t errlen)
{
	uint8_t id[SNMP_MAX_ENGINE_ID];
	size_t len = sizeof(id);
	struct v3 *v;
	int rc;

	if (ca->ca_nusers == 0)
		return 0;
	if (ca->ca_engine_id_len > 0) {
		memcpy(id, ca->ca_engine_id, ca->ca_engine_id_len);
		len = ca->ca_engine_id_len;
	} else if (engid_generate(id, &len) == -1) {
		(void)snprintf(err, errlen, "engine ID: %s", strerror(errno));
		return -1;
	}
	if ((v = v3_new(id, len, 1, ca->ca_max_message_size)) == NULL) {
		(void)snprintf(err, errlen, "SNMPv3 engine: %s",
		    strerror(errno));
		return -1;
	}
	rc = v3_set_users(v, ca->ca_users, ca->ca_nusers, err, errlen);
	v3_free(v);
	return rc;
}

void
v3conf_warn_secrets(const char *path, const struct cfg_agent *ca)
{
	struct stat sb;

	if (!cfg_agent_has_secrets(ca) || stat(path, &sb) == -1 ||
	    (sb.st_mode & (S_IRGRP | S_IROTH)) == 0)
		return;
	log_warnx("%s holds SNMPv3 passwords or keys and is readable by %s "
	    "(mode %04o); make it readable by its owner only (chmod 600)",
	    path, (sb.st_mode & S_IROTH) != 0 ? "every user" : "its group",
	    (unsigned)(sb.st_mode & 07777));
}
