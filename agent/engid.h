/*
 * engid: the agent's SNMP engine identity across restarts.  snmpEngineID
 * (RFC 3411 sec. 5) is configured, or generated once and kept;
 * snmpEngineBoots (RFC 3414 sec. 2.2.2) is raised at every start and on
 * disk, fsynced, before the agent answers anything, because a boots that
 * goes backwards locks long-lived v3 pollers out until they rediscover
 * (notes/usm.md sec. 7).  Both live in one small text file,
 * STATE_DIR/snmp-engine.  Not here: SIGHUP (the identity does not change
 * on reload), logging (the caller reports es_restart).
 */
#ifndef PT_ENGID_H
#define PT_ENGID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/pdu.h"

/* The state file under state_dir, and its temporary and corrupt twins. */
#define ENGID_FILE		"snmp-engine"
/* A state file is a few lines; more than this is not ours. */
#define ENGID_FILE_MAX		4096
/* RFC 3414 sec. 2.2.2: snmpEngineBoots stops at 2^31-1. */
#define ENGID_BOOTS_MAX		2147483647

struct engid_state {
	uint8_t		 es_engine_id[SNMP_MAX_ENGINE_ID];
	size_t		 es_engine_id_len;
	int32_t		 es_boots;	/* for this run: 1 or more */
	bool		 es_generated;	/* the ID was made at this start */
	bool		 es_latched;	/* boots is stuck at its maximum */
	/*
	 * Why boots started again at 1, for the log (static text), or NULL
	 * when it went up by one: no state file yet, another engine ID, or
	 * an unreadable state file (kept beside as snmp-engine.corrupt).
	 */
	const char	*es_restart;
};

/*
 * A new engine ID in RFC 3411's format: 0x80001f88 (enterprise 8072,
 * net-snmp, under which PROCTEL-MIB lives), format 5 (octets), then 8
 * random octets: 13 octets in all.  Returns 0, or -1 with errno when the
 * kernel gives no randomness.
 */
int	engid_generate(uint8_t *id, size_t *len);

/*
 * Read dir/snmp-engine, raise boots, write it back atomically (a
 * temporary file, fsync, rename, fsync of dir) and fill st.  conf_id is
 * the configured engine_id (conf_len 0: none; then the file's ID is kept,
 * or one is generated).  A missing dir is created (mode 0700); a missing
 * file means a first start; a file that cannot be parsed is renamed
 * aside and treated as missing, with a new ID when none is configured
 * (so clients rediscover rather than see boots go backwards).  Returns 0,
 * or -1 with a message in err ("DIR/snmp-engine: ...") when the file
 * cannot be read or written: the agent must not answer v3 then.
 */
int	engid_raise(const char *dir, const uint8_t *conf_id, size_t conf_len,
	    struct engid_state *st, char *err, size_t errlen);

#endif
