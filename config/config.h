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

/*
 * `view:` of a community or user: the subtrees it may read.  Absent, it is
 * everything (cv_all); an empty list is nothing.
 */
struct cfg_view {
	bool			 cv_all;
	struct oid		*cv_subtrees;
	size_t			 cv_n;
};

struct cfg_community {
	char			*cc_name;
	struct addr_cidr	*cc_allow;	/* empty list: nobody may use it */
	size_t			 cc_nallow;
	struct cfg_view		 cc_view;	/* default everything */
};

enum cfg_sec_level { CFG_NOAUTH = 0, CFG_AUTHNOPRIV, CFG_AUTHPRIV };
enum cfg_auth_proto { CFG_AUTH_NONE = 0, CFG_AUTH_MD5, CFG_AUTH_SHA,
	CFG_AUTH_SHA224, CFG_AUTH_SHA256, CFG_AUTH_SHA384, CFG_AUTH_SHA512 };
/*
 * AES-192/-256 extend a short key as net-snmp's -x AES-192/-256 do
 * (Blumenthal); the _C variants as Cisco and net-snmp's AES-192-C do
 * (Reeder).  The agent refuses DES; the collector can still poll with it.
 */
enum cfg_priv_proto { CFG_PRIV_NONE = 0, CFG_PRIV_DES, CFG_PRIV_AES,
	CFG_PRIV_AES192, CFG_PRIV_AES256, CFG_PRIV_AES192C, CFG_PRIV_AES256C };

/* Localized keys are at most a SHA-512 digest long. */
#define CFG_KEY_MAX		64

/*
 * One entry of `users:` (DESIGN.md "SNMPv3 in the agent").  A protocol is
 * set when its password or key is given; cu_level is the least the user
 * may send (default: the most its secrets allow).  A key given as hex is
 * already localized to the engine ID; a password is stretched and
 * localized by the agent at load.
 */
struct cfg_user {
	char			*cu_name;	/* 1..32 octets, RFC 3414 */
	enum cfg_sec_level	 cu_level;
	enum cfg_auth_proto	 cu_auth_proto;	/* NONE: no authentication */
	char			*cu_auth_password;	/* NULL when a key */
	uint8_t			 cu_auth_key[CFG_KEY_MAX];
	size_t			 cu_auth_key_len;	/* 0 when a password */
	enum cfg_priv_proto	 cu_priv_proto;	/* NONE: no privacy */
	char			*cu_priv_password;
	uint8_t			 cu_priv_key[CFG_KEY_MAX];
	size_t			 cu_priv_key_len;
	struct cfg_view		 cu_view;	/* default everything */
	int			 cu_expose_cmdline;	/* -1: the global one */
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
	/* SNMPv3 (DESIGN.md "SNMPv3 in the agent"). */
	uint8_t			 ca_engine_id[32];	/* engine_id, hex */
	size_t			 ca_engine_id_len;	/* 0: generated, kept in state_dir */
	char			*ca_state_dir;		/* default /var/lib/proctel-agent */
	struct cfg_user		*ca_users;		/* default none: no v3 */
	size_t			 ca_nusers;
	/* cmdline_budget_bytes: command-line octets per snapshot, default 4 MiB */
	uint32_t		 ca_cmdline_budget;	/* 0..1073741824 */
	uint32_t		 ca_max_bulk_varbinds;	/* default 100, 1..10000 */
	/*
	 * reply_budget: reply octets per source address, a token bucket
	 * (bytes_per_second, 0 turns it off, default 1 MiB; burst_bytes,
	 * max_message_size..1073741824, default 4 MiB), except for sources
	 * in exempt (default loopback, which no outside host can forge).
	 */
	uint32_t		 ca_reply_rate;
	uint32_t		 ca_reply_burst;
	struct addr_cidr	*ca_reply_exempt;
	size_t			 ca_nreply_exempt;
};

/*
 * Load path.  When must_exist is false and the file does not exist, return
 * the built-in defaults.  On failure returns NULL and fills errs.
 */
struct cfg_agent *cfg_agent_load(const char *path, bool must_exist,
	    struct cfg_errors *errs);
/*
 * Load from an open descriptor (not closed), naming it path in messages:
 * for a file opened by someone with more rights than ours (a reload after
 * dropping root).
 */
struct cfg_agent *cfg_agent_load_fd(const char *path, int fd,
	    struct cfg_errors *errs);
/* Parse from memory (tests, fuzzing); `name` is used in messages. */
struct cfg_agent *cfg_agent_load_buf(const char *name, const char *buf,
	    size_t len, struct cfg_errors *errs);
struct cfg_agent *cfg_agent_defaults(void);
void	cfg_agent_free(struct cfg_agent *ca);
/*
 * Must snapshots hold command lines: expose_cmdline, or some user's own
 * expose_cmdline: true?
 */
bool	cfg_agent_reads_cmdline(const struct cfg_agent *ca);
/* Does any user have a password or a key (secrets in the file)? */
bool	cfg_agent_has_secrets(const struct cfg_agent *ca);

/* ---- collector.yaml ---- */

enum cfg_snmp_version { CFG_V1 = 0, CFG_V2C = 1, CFG_V3 = 3 };

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
	unsigned		 cm_line, cm_col;	/* of the name; 0 for defaults */
};

struct cfg_table {
	char			*ct_name;
	struct oid		 ct_oid;
	uint32_t		 ct_max_rows;	/* default 10000 */
	unsigned		 ct_line, ct_col;	/* of the name */
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
	/*
	 * What one target's result, and one run's results, may hold in
	 * memory: keys max_target_mb (default 64, 1..65536) and max_run_mb
	 * (default 1024, 1..1048576), in MiB, kept here in bytes.
	 */
	uint64_t		 cc_max_target_bytes;
	uint64_t		 cc_max_run_bytes;
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

/*
 * The names sinks derive from the configuration (export_names.c), so the
 * sinks and the checks at load use one rule.  Every name that loads can be
 * written by every sink without two meeting.
 */
/* A byte Prometheus keeps in a metric name; any other becomes '_'. */
bool	cfg_prom_name_byte(int c);
/*
 * Whether a label key is written label_<key> by the Prometheus and
 * InfluxDB sinks: target, host, index (their own labels) and "__*".
 */
bool	cfg_label_renamed(const char *key);
/* Whether a metric is written metric_<name> to InfluxDB (a field of ours). */
bool	cfg_influx_field_renamed(const char *name);
struct cfg_collector *cfg_collector_load_buf(const char *name,
	    const char *buf, size_t len, struct cfg_errors *errs);
void	cfg_collector_free(struct cfg_collector *cc);

#endif
