/*
 * agentx_int: the `agentx:` section of agent.yaml (agentx_conf.c), as
 * agent_conf.c loads it.  Private to config/.
 */
#ifndef PT_CONFIG_AGENTX_INT_H
#define PT_CONFIG_AGENTX_INT_H

#include "config/config.h"
#include "config/yaml.h"

/*
 * Turn ax on and fill it from n: a mapping of master, subtrees and
 * timeout_s, or null (`agentx:` alone) for every default.  Errors go to
 * ctx; ax is left valid (defaults where a key was wrong).
 */
void	cfg_agentx_parse(struct cfg_ctx *ctx, struct cfg_agentx *ax,
	    const struct cfg_node *n);
/* Free what parse allocated; ax is zeroed.  A zeroed ax is a no-op. */
void	cfg_agentx_free(struct cfg_agentx *ax);

#endif
