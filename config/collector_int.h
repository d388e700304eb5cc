/*
 * collector_int: what collector_conf.c and target_conf.c share while one
 * collector.yaml loads.  Private to config/.
 */
#ifndef PT_CONFIG_COLLECTOR_INT_H
#define PT_CONFIG_COLLECTOR_INT_H

#include "config/config.h"
#include "config/yaml.h"

/* More targets than this is a config error, not an allocation failure. */
#define CFG_TARGETS_MAX		1000000

struct coll_load {
	struct cfg_ctx		*cl_ctx;
	struct cfg_collector	*cl_cc;
	bool			 cl_v3_reported; /* defaults said v3, no security */
};

/* Fill cl->cl_cc's targets from the `targets` list. */
void	cfg_targets_load(struct coll_load *cl, const struct cfg_node *seq);

/* Apply port, version, community, timeout_ms, retries, security of m. */
int	cfg_opts_parse(struct cfg_ctx *ctx, const struct cfg_node *m,
	    struct cfg_target_opts *o);
/* Deep copy; -1 on ENOMEM with dst empty. */
int	cfg_opts_copy(struct cfg_target_opts *dst,
	    const struct cfg_target_opts *src);
void	cfg_opts_free(struct cfg_target_opts *o);
void	cfg_security_free(struct cfg_security *s);

/*
 * Report, at FILE:LINE:COLUMN, metric and table names two of which some
 * sink would write as one (export_names.c).
 */
void	cfg_export_names_check(struct cfg_ctx *ctx,
	    const struct cfg_collector *cc);
/*
 * NULL when s, a target name or label value, is written exactly by every
 * sink (InfluxDB tag values are the strictest); else what in it is not.
 */
const char *cfg_tag_value_problem(const char *s);
/*
 * The keys of a remote_write or influx_http output (output_conf.c): m is
 * the output's map, co_type already set.  Fills co->co_path (the URL) and
 * co->co_remote.
 */
void	cfg_output_remote_load(struct cfg_ctx *ctx, const struct cfg_node *m,
	    struct cfg_output *co);
void	cfg_remote_free(struct cfg_remote *cr);

bool	cfg_is_offline(void);
/*
 * The two halves of cfg_set_offline(), for tests that feed hosts files
 * while keeping the resolver away.
 */
void	cfg_set_offline_parts(bool no_resolve, bool no_files);

#endif
