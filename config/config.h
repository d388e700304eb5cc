/*
 * config: the YAML configuration of both programs, loaded with libyaml into
 * plain structs.  Keys and defaults are those of DESIGN.md ("Command lines
 * and files").  Every problem found is collected and reported as
 * "FILE:LINE:COLUMN: message" (1-based); loading never logs and never exits.
 *
 * Ownership: cfg_agent_load() and cfg_collector_load() return a new struct,
 * free it with cfg_agent_free() / cfg_collector_free(); every pointer inside
 * is owned by that struct.  *_free(NULL) is a no-op.
 */
#ifndef PT_CONFIG_H
#define PT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/addr.h"
#include "snmp/oid.h"

/* Collected errors: each line already "FILE:LINE:COLUMN: message". */
struct cfg_errors {
	char		**ce_lines;
	size_t		ce_count;
	size_t		ce_dropped;	/* past 10000 lines: counted only */
};
/* Print up to 20 lines to fp, then "... and N more errors". */
void	cfg_errors_print(const struct cfg_errors *errs, void *fp /* FILE * */);
void	cfg_errors_free(struct cfg_errors *errs);
/*
 * Offline mode (fuzzing, tests): no DNS lookups and no `file:` targets;
 * both become config errors.  Process-wide, default off.
 */
void	cfg_set_offline(bool offline);

/* ---- agent.yaml ---- */

struct cfg_listen {
	struct sockaddr_storage	cl_addr;
	socklen_t		cl_addrlen;
	char			*cl_text;	/* as written, for messages */
};

struct cfg_community {
	char			*cc_name;
	struct addr_cidr	*cc_allow;	/* empty list: nobody may use it */
	size_t			 cc_nallow;
};

/*
 * agentx: (DESIGN.md "AgentX"): serve through the host's snmpd as an AgentX
 * subagent.  The key's presence turns it on; its keys are optional.
 */
#define CFG_AGENTX_MASTER	"/var/agentx/master"	/* net-snmp's default */
#define CFG_AGENTX_PORT		705	/* agentx over TCP, IANA */
/* Subtrees at most: as agent/agentx_sess.h's AGENTX_SESS_MAX_SUBTREES. */
#define CFG_AGENTX_MAX_SUBTREES	32

struct cfg_agentx {
	bool			 cax_enabled;	/* `agentx:` present */
	char			*cax_master;	/* as written; default
						 * CFG_AGENTX_MASTER */
	bool			 cax_tcp;	/* "tcp:HOST[:PORT]", else an
						 * absolute UNIX socket path */
	struct sockaddr_storage	 cax_addr;	/* when cax_tcp (numeric) */
	socklen_t		 cax_addrlen;
	struct oid		*cax_subtrees;	/* default: proctelMIB */
	size_t			 cax_nsubtrees;	/* 1..CFG_AGENTX_MAX_SUBTREES,
						 * none inside another */
	uint32_t		 cax_timeout_s;	/* Open's timeout, 0..255,
						 * default 5; 0: the master's */
};

struct cfg_agent {
	struct cfg_listen	*ca_listen;	/* default 127.0.0.1:161, [::1]:161 */
	size_t			 ca_nlisten;
	struct cfg_community	*ca_communities; /* default public, loopback */
	size_t			 ca_ncommunities;
	char			*ca_sys_name;	/* default: gethostname() at use */
	char			*ca_sys_contact;	/* default "" */
	char			*ca_sys_location;	/* default "" */
	uint32_t		 ca_cache_ttl_ms;	/* default 1000, 0..3600000 */
	uint32_t		 ca_max_message_size;	/* default 1472, 484..65507 */
	bool			 ca_expose_cmdline;	/* default false */
	char			*ca_user;		/* NULL: do not drop */
	bool			 ca_log_syslog;		/* log.target: stderr|syslog */
	int			 ca_log_level;		/* enum log_level, default info */
	char			*ca_proc_root;		/* hidden key proc_root, default "/proc" */
	/*
	 * Off unless `agentx:` is given.  With it on, `listen: []` is valid
	 * (AgentX only: no UDP socket); ca_nlisten may then be 0.
	 */
	struct cfg_agentx	 ca_agentx;
};

/*
 * Load path.  When must_exist is false and the file does not exist, return
 * the built-in defaults.  On failure returns NULL and fills errs.
 */
struct cfg_agent *cfg_agent_load(const char *path, bool must_exist,
	    struct cfg_errors *errs);
/* Parse from memory (tests, fuzzing); `name` is used in messages. */
struct cfg_agent *cfg_agent_load_buf(const char *name, const char *buf,
	    size_t len, struct cfg_errors *errs);
struct cfg_agent *cfg_agent_defaults(void);
void	cfg_agent_free(struct cfg_agent *ca);

/* ---- collector.yaml ---- */

enum cfg_snmp_version { CFG_V1 = 0, CFG_V2C = 1, CFG_V3 = 3 };
enum cfg_sec_level { CFG_NOAUTH = 0, CFG_AUTHNOPRIV, CFG_AUTHPRIV };
enum cfg_auth_proto { CFG_AUTH_NONE = 0, CFG_AUTH_MD5, CFG_AUTH_SHA,
	CFG_AUTH_SHA224, CFG_AUTH_SHA256, CFG_AUTH_SHA384, CFG_AUTH_SHA512 };
enum cfg_priv_proto { CFG_PRIV_NONE = 0, CFG_PRIV_DES, CFG_PRIV_AES,
	CFG_PRIV_AES192, CFG_PRIV_AES256 };

struct cfg_security {
	char			*cs_user;
	enum cfg_sec_level	 cs_level;
	enum cfg_auth_proto	 cs_auth_proto;
	char			*cs_auth_password;
	enum cfg_priv_proto	 cs_priv_proto;
	char			*cs_priv_password;
};

/* Settings a target inherits from `defaults` unless it sets its own. */
struct cfg_target_opts {
	uint16_t		 to_port;	/* default 161 */
	enum cfg_snmp_version	 to_version;	/* default 2c */
	char			*to_community;	/* default "public" */
	uint32_t		 to_timeout_ms;	/* default 1000, 1..600000 */
	uint32_t		 to_retries;	/* default 2, 0..20 */
	bool			 to_has_security;
	struct cfg_security	 to_security;	/* when version 3 */
};

struct cfg_label {
	char			*cl_key;
	char			*cl_value;
};

struct cfg_target {
	char			*ct_host;	/* as written (numeric or name) */
	char			*ct_name;	/* default: host, or host:port when not 161 */
	struct sockaddr_storage	 ct_addr;	/* resolved at load */
	socklen_t		 ct_addrlen;
	struct cfg_target_opts	 ct_opts;	/* defaults merged in */
	struct cfg_label	*ct_labels;
	size_t			 ct_nlabels;
};

struct cfg_metric {
	char			*cm_name;
	struct oid		 cm_oid;
};

struct cfg_table {
	char			*ct_name;
	struct oid		 ct_oid;
	uint32_t		 ct_max_rows;	/* default 10000 */
};

enum cfg_output_type { CFG_OUT_SQLITE, CFG_OUT_JSONL, CFG_OUT_CSV,
	CFG_OUT_PROM, CFG_OUT_INFLUX, CFG_OUT_REMOTE_WRITE,
	CFG_OUT_INFLUX_HTTP };

/* The settings of a remote store (remote_write, influx_http). */
struct cfg_remote {
	uint32_t		 cr_timeout_ms;	/* default 5000, 1..600000 */
	uint32_t		 cr_retries;	/* default 3, 0..100 */
	char			*cr_bearer_token_file;
	char			*cr_user;	/* basic_auth.user */
	char			*cr_password_file; /* basic_auth.password_file */
	char			*cr_ca_file;
	char			*cr_spool_dir;	/* NULL: beside the config */
	uint64_t		 cr_spool_max_bytes; /* spool.max_mb; 0: no spool */
	char			*cr_org;	/* influx_http: InfluxDB 2 */
	char			*cr_bucket;
	char			*cr_token_file;
};

/* The defaults of struct cfg_remote (also for -o TYPE:URL). */
#define CFG_REMOTE_TIMEOUT_MS	5000
#define CFG_REMOTE_RETRIES	3
#define CFG_REMOTE_SPOOL_MB	256

struct cfg_output {
	enum cfg_output_type	 co_type;
	char			*co_path;	/* "-" is stdout for jsonl/csv/influx;
						 * the URL of a remote store */
	struct cfg_remote	*co_remote;	/* remote stores from YAML; NULL
						 * for -o TYPE:URL (defaults) */
	int			 co_self_metrics; /* key self_metrics: 1, 0;
						   * -1 unset (the remote
						   * stores on, files off) */
};

struct cfg_alert {
	char			*ca_metric;	/* a metric name */
	bool			 ca_has_above;
	double			 ca_above;
	bool			 ca_has_below;
	double			 ca_below;
	char			*ca_command;	/* run with /bin/sh -c */
	uint32_t		 ca_timeout_ms;	/* default 10000 */
};

struct cfg_collector {
	char			*cc_path;	/* the file loaded, for defaults beside it */
	struct cfg_target_opts	 cc_defaults;
	uint32_t		 cc_concurrency;	/* default 1000, 1..100000 */
	uint32_t		 cc_deadline_s;		/* default 50, 1..86400 */
	uint32_t		 cc_interval_s;		/* default 60, 1..86400 */
	struct cfg_target	*cc_targets;
	size_t			 cc_ntargets;
	struct cfg_metric	*cc_metrics;	/* the default set when none given */
	size_t			 cc_nmetrics;
	struct cfg_table	*cc_tables;
	size_t			 cc_ntables;
	struct cfg_output	*cc_outputs;	/* empty: sqlite proctel.db beside the config */
	size_t			 cc_noutputs;
	struct cfg_alert	*cc_alerts;
	size_t			 cc_nalerts;
	char			*cc_lock_path;	/* key lock_file; default: <config>.lock */
};

/*
 * Whether url is one a remote output sends to: http:// or https://, a
 * host, no user info (credentials belong in files, not in a URL or argv),
 * no spaces or control bytes.  NULL when good, else why not.
 */
const char *cfg_url_check(const char *url);

struct cfg_collector *cfg_collector_load(const char *path,
	    struct cfg_errors *errs);
struct cfg_collector *cfg_collector_load_buf(const char *name,
	    const char *buf, size_t len, struct cfg_errors *errs);
void	cfg_collector_free(struct cfg_collector *cc);

#endif
