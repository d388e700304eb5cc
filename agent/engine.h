/*
 * engine: one SNMP request datagram in, at most one reply datagram out.
 * Decodes (snmp/), checks version and community with its allow-list (or
 * an SNMPv3 message's security, through agent/v3.h), counts every drop in
 * the SNMPv2-MIB counter that names it, dispatches GET/GETNEXT/GETBULK/SET
 * to the MIB registry within the community's or user's view and encodes
 * the reply into the caller's buffer, if the source's reply budget allows
 * (budget.h).
 * Each walk is answered from the snapshot it began on (pin.h).  No I/O, no
 * allocation per request.
 */
#ifndef PT_ENGINE_H
#define PT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "agent/mib.h"

struct cfg_agent;
struct v3;

/* SNMPv2-MIB snmp group, RFC 3418; served by mib_snmp.c. */
struct engine_counters {
	uint32_t	ec_in_pkts;			/* snmpInPkts */
	uint32_t	ec_in_bad_versions;		/* snmpInBadVersions */
	uint32_t	ec_in_bad_community_names;	/* snmpInBadCommunityNames */
	uint32_t	ec_in_bad_community_uses;	/* snmpInBadCommunityUses */
	uint32_t	ec_in_asn_parse_errs;		/* snmpInASNParseErrs */
	uint32_t	ec_silent_drops;		/* snmpSilentDrops */
	uint32_t	ec_proxy_drops;			/* snmpProxyDrops */
	/* PROCTEL-MIB ptAgentReplyDrops, also in snmpSilentDrops. */
	uint32_t	ec_budget_drops;
};

/*
 * Where the engine gets the snapshot for one request (cache_snap() has the
 * contract): gen 0 asks for the newest, a generation for the one a walk
 * began on; walk is true for GETNEXT and GETBULK.  Never NULL once the
 * agent has started.
 */
typedef const struct procfs_snapshot *(*engine_snap_fn)(void *arg,
    uint64_t gen, bool walk, uint64_t now_ms);

struct engine;

/*
 * Returns a new engine serving mib under conf (both borrowed), or NULL
 * (ENOMEM).
 */
struct engine *engine_new(const struct mib *mib, const struct cfg_agent *conf,
	    engine_snap_fn snap, void *snap_arg);
void	engine_free(struct engine *e);
/* Swap in a reloaded config (SIGHUP); counters and buckets are kept. */
void	engine_set_conf(struct engine *e, const struct cfg_agent *conf);
/*
 * Serve SNMPv3 through v (borrowed; NULL: v3 messages count as
 * snmpInBadVersions), whose users must be the config's ca_users, index for
 * index (v3_set_users and engine_set_conf with the same cfg_agent).
 * snmpEngineTime counts seconds from clock_mono_ms() boot_ms, when
 * snmpEngineBoots was raised.
 */
void	engine_set_v3(struct engine *e, struct v3 *v, uint64_t boot_ms);
const struct engine_counters *engine_counters(const struct engine *e);

/*
 * The MIB context of one request that did not come as a datagram (AgentX,
 * agent/agentx_io.c), built as engine_handle() builds its own: the
 * snapshot from the same source (gen and walk as engine_snap_fn says), the
 * engine's config, counters and start time, and the caller's row hint
 * (kept across its requests, or NULL).  Borrowed until control returns to
 * the loop or the config is swapped.
 */
void	engine_ctx(struct engine *e, struct mib_ctx *ctx, uint64_t gen,
	    bool walk, uint64_t now_ms, size_t *row_hint);

/*
 * Handle one datagram from src.  Returns the reply length (> 0) written to
 * out (at most outcap and at most conf's max_message_size), or 0 when
 * nothing is to be sent (the drop is counted).
 */
size_t	engine_handle(struct engine *e, const uint8_t *req, size_t reqlen,
	    const struct sockaddr *src, uint8_t *out, size_t outcap);

#endif
