/*
 * v3conf: the agent's SNMPv3 set-up, between main.c and agent/v3.h.  At
 * start: the engine identity raised in state_dir (engid.h; boots on disk
 * before anything is answered), the engine and its users, keys localized
 * once.  On SIGHUP: the users alone (engine ID and boots stay).  For
 * --check: the users' keys made against a stand-in engine ID.  And the
 * warning about a config whose secrets other users can read.  Logs what
 * an operator must know; never exits (main decides).
 */
#ifndef PT_V3CONF_H
#define PT_V3CONF_H

#include <stddef.h>
#include <stdint.h>

struct cfg_agent;
struct v3;

/*
 * Start SNMPv3 as ca says.  Without users: *vp = NULL and 0 (the agent
 * speaks v1/v2c only).  Otherwise snmpEngineBoots is raised in
 * ca->ca_state_dir and the identity logged, then the engine is made with
 * the users: 0 with *vp (free with v3_free) and *boot_ms, the
 * clock_mono_ms() at which boots was raised (snmpEngineTime's zero); or
 * -1 with err.
 */
int	v3conf_start(const struct cfg_agent *ca, struct v3 **vp,
	    uint64_t *boot_ms, char *err, size_t errlen);

/*
 * SIGHUP: nc's users into v, and its max_message_size.  A changed
 * engine_id or state_dir is logged as waiting for a restart; so are users
 * when v is NULL (no SNMPv3 engine was started).  Returns 0, or -1 with
 * err when a user's keys cannot be made (v keeps its users).
 */
int	v3conf_reload(struct v3 *v, const struct cfg_agent *old,
	    const struct cfg_agent *nc, char *err, size_t errlen);

/*
 * --check: make every user's keys, localized to the configured engine_id
 * or a stand-in (the real one may be in state_dir, which --check does
 * not touch).  Returns 0, or -1 with err naming the user.
 */
int	v3conf_check(const struct cfg_agent *ca, char *err, size_t errlen);

/*
 * Warn (log_warnx) when the file at path holds SNMPv3 passwords or keys
 * and its group or others may read it.
 */
void	v3conf_warn_secrets(const char *path, const struct cfg_agent *ca);

#endif
