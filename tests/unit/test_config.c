/*
 * test_config: the YAML loader and both config files.  Examples load;
 * every class of mistake yields the exact "FILE:LINE:COLUMN: message";
 * defaults are right.  Mutations of the examples are in
 * test_config_mutate.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "config/config.h"
#include "config/yaml.h"
#include "lib/log.h"

#define CONFIGS	"tests/unit/configs/"

static char joined[1 << 16];

/* The error lines, one per line; "" when nothing was reported. */
static const char *
join(const struct cfg_errors *e)
{
	return tu_errors_join(e, joined, sizeof(joined));
}

/* Errors of an agent.yaml text, or "" when it loaded. */
static const char *
agent_errs(const char *text)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;

	ca = cfg_agent_load_buf("a.yaml", text, strlen(text), &e);
	CHECK((ca == NULL) == (e.ce_count > 0));
	join(&e);
	cfg_agent_free(ca);
	cfg_errors_free(&e);
	return joined;
}

static const char *
collector_errs(const char *text)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;

	cc = cfg_collector_load_buf("c.yaml", text, strlen(text), &e);
	CHECK((cc == NULL) == (e.ce_count > 0));
	join(&e);
	cfg_collector_free(cc);
	cfg_errors_free(&e);
	return joined;
}

static void
the_example_configs_load_cleanly(void)
{
	static const char *const agents[] = { "config/agent.yaml",
	    CONFIGS "agent_min.yaml", CONFIGS "agent_agentx.yaml" };
	static const char *const collectors[] = { "config/collector.yaml",
	    CONFIGS "collector_min.yaml", CONFIGS "collector_hosts.yaml" };
	struct cfg_errors e = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		struct cfg_agent *ca = cfg_agent_load(agents[i], true, &e);

		CHECK(ca != NULL);
		CHECK_STR(join(&e), "");
		cfg_agent_free(ca);
		cfg_errors_free(&e);
	}
	for (i = 0; i < sizeof(collectors) / sizeof(collectors[0]); i++) {
		struct cfg_collector *cc = cfg_collector_load(collectors[i],
		    &e);

		CHECK(cc != NULL);
		CHECK_STR(join(&e), "");
		cfg_collector_free(cc);
		cfg_errors_free(&e);
	}
}


struct err_case {
	const char	*text;
	const char	*want;	/* every error line, each ending in \n */
};

/* 54 octets: two make a path too long for sun_path (108 with its NUL). */
#define AX_LONG	"var/agentx/var/agentx/var/agentx/var/agentx/var/agentx"

static const struct err_case agent_cases[] = {
	/* Wrong types. */
	{ "listen: 127.0.0.1:161\n",
	  "a.yaml:1:9: listen: expected a list, got '127.0.0.1:161'\n" },
	{ "communities: {name: public}\n",
	  "a.yaml:1:14: communities: expected a list, got a mapping\n" },
	{ "log: syslog\n",
	  "a.yaml:1:6: log: expected a mapping, got 'syslog'\n" },
	{ "- a\n- b\n",
	  "a.yaml:1:1: agent config: expected a mapping, got a list\n" },
	{ "expose_cmdline: \"true\"\n",
	  "a.yaml:1:17: expose_cmdline: expected true or false, got 'true'\n" },
	{ "max_message_size: 1e3\n",
	  "a.yaml:1:19: max_message_size: expected an integer 484..65507, "
	  "got '1e3'\n" },
	/* Unknown keys, at every level. */
	{ "listne: []\n",
	  "a.yaml:1:1: unknown key 'listne' in agent config\n" },
	{ "communities:\n  - name: public\n    alow: [\"10.0.0.0/8\"]\n",
	  "a.yaml:3:5: unknown key 'alow' in community\n" },
	{ "system: {nmae: x}\n",
	  "a.yaml:1:10: unknown key 'nmae' in system\n" },
	{ "log: {level: info, file: x}\n",
	  "a.yaml:1:20: unknown key 'file' in log\n" },
	/* Ranges. */
	{ "cache_ttl_ms: 3600001\nmax_message_size: 65508\n",
	  "a.yaml:1:15: cache_ttl_ms: '3600001' is out of range (0..3600000)\n"
	  "a.yaml:2:19: max_message_size: '65508' is out of range "
	  "(484..65507)\n" },
	{ "max_message_size: 483\n",
	  "a.yaml:1:19: max_message_size: '483' is out of range "
	  "(484..65507)\n" },
	{ "cache_ttl_ms: -1\n",
	  "a.yaml:1:15: cache_ttl_ms: '-1' is out of range (0..3600000)\n" },
	{ "cache_ttl_ms: 99999999999999999999999\n",
	  "a.yaml:1:15: cache_ttl_ms: '99999999999999999999999' is out of "
	  "range (0..3600000)\n" },
	/* Addresses and prefixes. */
	{ "listen: [\"1.2.3.4:0\", \"x\", \"[::1]:161\", \"::1\"]\n",
	  "a.yaml:1:10: listen: invalid address '1.2.3.4:0': invalid port "
	  "(1..65535)\n"
	  "a.yaml:1:23: listen: invalid address 'x': invalid IPv4 address\n"
	  "a.yaml:1:41: listen: duplicate address [::1]:161\n" },
	{ "listen: []\n",
	  "a.yaml:1:9: listen: empty list (only valid with agentx)\n" },
	{ "listen: []\nagentx:\n", "" },
	{ "agentx: 5\n", "a.yaml:1:9: agentx: expected a mapping, got '5'\n" },
	{ "agentx: {master: var/agentx, subtrees: [], timeout_s: 256, x: 1}\n",
	  "a.yaml:1:18: master: expected tcp:HOST:PORT or an absolute path of "
	  "at most 107 octets, got 'var/agentx'\n"
	  "a.yaml:1:40: subtrees: expected 1 to 32 OIDs, got 0\n"
	  "a.yaml:1:55: timeout_s: '256' is out of range (0..255)\n"
	  "a.yaml:1:60: unknown key 'x' in agentx\n" },
	{ "agentx: {master: \"tcp:localhost:705\", subtrees: [proctelMIB, "
	  "ptProcTable, \"1.3.x\", nosuch, [1]]}\n",
	  "a.yaml:1:18: master: invalid address 'tcp:localhost:705': invalid "
	  "IPv4 address\n"
	  "a.yaml:1:62: subtrees: 'ptProcTable' overlaps 'proctelMIB'\n"
	  "a.yaml:1:75: subtrees: invalid OID '1.3.x': not a digit\n"
	  "a.yaml:1:84: subtrees: invalid OID 'nosuch': unknown name (write "
	  "it as numbers)\n"
	  "a.yaml:1:92: subtrees: expected an OID, got a list\n" },
	{ "agentx: {master: /" AX_LONG AX_LONG "}\n",
	  "a.yaml:1:18: master: expected tcp:HOST:PORT or an absolute path of "
	  "at most 107 octets, got '/var/agentx/var/agentx/var/agentx/var/ag"
	  "...'\n" },
	{ "communities: [{name: c, allow: [10.0.0.1/8, \"::/129\", "
	  "10.0.0.0/33, \"\", [x]]}]\n",
	  "a.yaml:1:33: allow: invalid prefix '10.0.0.1/8': host bits set "
	  "beyond the prefix length\n"
	  "a.yaml:1:45: allow: invalid prefix '::/129': invalid prefix length "
	  "(0..128)\n"
	  "a.yaml:1:55: allow: invalid prefix '10.0.0.0/33': invalid prefix "
	  "length (0..32)\n"
	  "a.yaml:1:68: allow: invalid prefix '': empty prefix\n"
	  "a.yaml:1:72: allow: expected a prefix, got a list\n" },
	{ "communities: [{allow: []}, {name: \"\"}, {name: a}, {name: a}]\n",
	  "a.yaml:1:15: community: missing name\n"
	  "a.yaml:1:35: name: empty community\n" },
	{ "log: {target: file, level: loud}\n",
	  "a.yaml:1:15: target: expected stderr or syslog, got 'file'\n"
	  "a.yaml:1:28: level: expected error, warn, info or debug, got "
	  "'loud'\n" },
	{ "user: \"\"\nproc_root: \"\"\n",
	  "a.yaml:1:7: user: empty user name\n"
	  "a.yaml:2:12: proc_root: empty path\n" },
	/* The budgets and the GETBULK cap (issue 8). */
	{ "cmdline_budget_bytes: 1073741825\nmax_bulk_varbinds: 0\n",
	  "a.yaml:1:23: cmdline_budget_bytes: '1073741825' is out of range "
	  "(0..1073741824)\n"
	  "a.yaml:2:20: max_bulk_varbinds: '0' is out of range (1..10000)\n" },
	{ "max_bulk_varbinds: 10001\n",
	  "a.yaml:1:20: max_bulk_varbinds: '10001' is out of range "
	  "(1..10000)\n" },
	{ "reply_budget: 1000\n",
	  "a.yaml:1:15: reply_budget: expected a mapping, got '1000'\n" },
	{ "reply_budget: {rate: 1, bytes_per_second: -1, burst_bytes: 483,\n"
	  "  exempt: [10.0.0.1/8, x]}\n",
	  "a.yaml:1:16: unknown key 'rate' in reply_budget\n"
	  "a.yaml:1:43: bytes_per_second: '-1' is out of range "
	  "(0..1073741824)\n"
	  "a.yaml:1:60: burst_bytes: '483' is out of range (484..1073741824)\n"
	  "a.yaml:2:12: exempt: invalid prefix '10.0.0.1/8': host bits set "
	  "beyond the prefix length\n"
	  "a.yaml:2:24: exempt: invalid prefix 'x': invalid IPv4 address\n" },
	{ "max_message_size: 8000\nreply_budget: {burst_bytes: 4000}\n",
	  "a.yaml:2:15: reply_budget: burst_bytes 4000 is below "
	  "max_message_size 8000, so the largest reply could never be sent\n" },
	/* What the YAML subset refuses. */
	{ "a: &x 1\nb: *x\n",
	  "a.yaml:1:1: unknown key 'a' in agent config\n"
	  "a.yaml:1:4: anchors (&x) are not supported\n"
	  "a.yaml:2:1: unknown key 'b' in agent config\n"
	  "a.yaml:2:4: aliases (*x) are not supported\n" },
	{ "<<: {user: x}\n",
	  "a.yaml:1:1: merge keys (<<) are not supported\n"
	  "a.yaml:1:1: unknown key '<<' in agent config\n" },
	{ "user: !!str x\n",
	  "a.yaml:1:7: tags (tag:yaml.org,2002:str) are not supported\n" },
	{ "? [a]\n: 1\n",
	  "a.yaml:1:3: mapping keys must be plain strings\n" },
	{ "user: \"a\\0b\"\n", "a.yaml:1:7: NUL byte in a value\n" },
	{ "user: a\nuser: b\n", "a.yaml:2:1: duplicate key 'user'\n" },
	{ "user: a\n---\nuser: b\n",
	  "a.yaml:2:1: only one YAML document is allowed\n" },
	/* Syntax errors carry libyaml's mark, made 1-based. */
	{ "listen: [\"127.0.0.1:161\"\n",
	  "a.yaml:2:1: syntax error: while parsing a flow sequence did not "
	  "find expected ',' or ']'\n" },
	{ "a:\n\t- b\n",
	  "a.yaml:2:1: syntax error: while scanning for the next token found "
	  "character that cannot start any token\n" },
	{ "user: \xc3\x28\n",
	  "a.yaml:1:8: invalid input: invalid trailing UTF-8 octet\n" },
	/* Good ones load. */
	{ "", "" },
	{ "# nothing\n", "" },
	{ "%YAML 1.1\n---\nuser: nobody\n...\n", "" },
	{ "user: ~\nsystem: {name: \"\", contact: 5}\n", "" },
};

static const struct err_case collector_cases[] = {
	{ "", "c.yaml:1:1: targets: no targets\n" },
	{ "targets: []\n", "c.yaml:1:10: targets: no targets\n" },
	{ "targets: {host: 10.0.0.1}\n",
	  "c.yaml:1:10: targets: expected a list, got a mapping\n" },
	{ "targets: [10.0.0.1]\n",
	  "c.yaml:1:11: targets: expected a mapping, got '10.0.0.1'\n" },
	{ "defaults: {comunity: x}\ntargets: [{host: 10.0.0.1}]\n",
	  "c.yaml:1:12: unknown key 'comunity' in defaults\n" },
	{ "targets: [{host: 10.0.0.1, comunity: x}]\n",
	  "c.yaml:1:28: unknown key 'comunity' in target\n" },
	{ "targets: [{file: no-such.txt, name: x}]\n",
	  "c.yaml:1:18: file: cannot read 'no-such.txt': No such file or "
	  "directory\n"
	  "c.yaml:1:31: unknown key 'name' in file target\n" },
	{ "targets: [{hots: 10.0.0.1}]\n",
	  "c.yaml:1:11: target: missing host (or file)\n"
	  "c.yaml:1:12: unknown key 'hots' in target\n" },
	/* version: YAML makes 1 and 3 numbers and 2c a string; all work. */
	{ "targets: [{host: 10.0.0.1, version: \"1\"}, {host: 10.0.0.2, "
	  "version: 2c}, {host: 10.0.0.3, version: 1}]\n", "" },
	{ "targets: [{host: 10.0.0.1, version: v2c}, {host: 10.0.0.2, "
	  "version: 2}]\n",
	  "c.yaml:1:37: version: expected 1, 2c or 3, got 'v2c'\n"
	  "c.yaml:1:69: version: expected 1, 2c or 3, got '2'\n" },
	{ "defaults: {version: 3}\ntargets: [{host: 10.0.0.1}, "
	  "{host: 10.0.0.2}]\n",
	  "c.yaml:1:21: version: 3 needs a security block with a user\n" },
	{ "targets: [{host: 10.0.0.1, version: 3}]\n",
	  "c.yaml:1:37: version: 3 needs a security block with a user\n" },
	{ "targets:\n  - host: 10.0.0.1\n    version: 3\n    security:\n"
	  "      level: authPriv\n      auth_password: 1234567\n"
	  "      priv_password: 12345678\n",
	  "c.yaml:5:7: security: missing user\n"
	  "c.yaml:6:22: auth_password: shorter than 8 characters\n" },
	{ "targets: [{host: 10.0.0.1, version: 3, security: {user: u, "
	  "level: authNoPriv}}]\n",
	  "c.yaml:1:50: security: level needs auth_password\n" },
	{ "targets: [{host: 10.0.0.1, version: 3, security: {user: u, "
	  "level: noAuthNoPriv, auth_password: 12345678}}]\n",
	  "c.yaml:1:96: auth_password: not used at this security level\n" },
	{ "targets: [{host: 10.0.0.1, security: {user: u, level: x, "
	  "auth_protocol: SHA1, priv_protocol: 3DES}}]\n",
	  "c.yaml:1:55: level: expected noAuthNoPriv, authNoPriv or authPriv, "
	  "got 'x'\n"
	  "c.yaml:1:73: auth_protocol: expected MD5, SHA, SHA-224, SHA-256, "
	  "SHA-384 or SHA-512, got 'SHA1'\n"
	  "c.yaml:1:94: priv_protocol: expected DES, AES, AES-192 or AES-256, "
	  "got '3DES'\n" },
	/* Ranges. */
	{ "defaults: {port: 0, retries: 21, timeout_ms: 600001}\n"
	  "concurrency: 100001\ndeadline_s: 0\ninterval_s: 86401\n"
	  "targets: [{host: 10.0.0.1, port: 65536}]\n",
	  "c.yaml:1:18: port: '0' is out of range (1..65535)\n"
	  "c.yaml:1:30: retries: '21' is out of range (0..20)\n"
	  "c.yaml:1:46: timeout_ms: '600001' is out of range (1..600000)\n"
	  "c.yaml:2:14: concurrency: '100001' is out of range (1..100000)\n"
	  "c.yaml:3:13: deadline_s: '0' is out of range (1..86400)\n"
	  "c.yaml:4:13: interval_s: '86401' is out of range (1..86400)\n"
	  "c.yaml:5:34: port: '65536' is out of range (1..65535)\n" },
	{ "max_target_mb: 0\nmax_run_mb: 1048577\ntargets: [{host: 10.0.0.1}]\n",
	  "c.yaml:1:16: max_target_mb: '0' is out of range (1..65536)\n"
	  "c.yaml:2:13: max_run_mb: '1048577' is out of range (1..1048576)\n" },
	{ "max_run_mb: 1G\ntargets: [{host: 10.0.0.1}]\n",
	  "c.yaml:1:13: max_run_mb: expected an integer 1..1048576, got "
	  "'1G'\n" },
	{ "defaults: {timeout_ms: \"1000\"}\ntargets: [{host: 10.0.0.1}]\n",
	  "c.yaml:1:24: timeout_ms: expected an integer 1..600000, got "
	  "'1000'\n" },
	/* Hosts, names and labels. */
	{ "targets: [{host: 10.0.0.1, port: 162}, {host: \"::1\", port: 162}, "
	  "{host: 10.0.0.2, name: \"10.0.0.1:162\"}]\n",
	  "c.yaml:1:89: duplicate target name '10.0.0.1:162'\n" },
	{ "targets: [{host: \"\"}, {host: 10.0.0.1, name: \"\"}]\n",
	  "c.yaml:1:18: host: empty host\n"
	  "c.yaml:1:46: name: empty name\n" },
	{ "targets: [{host: 10.0.0.1, labels: {\"bad-key\": x, ok: [1], "
	  "n: 5}}]\n",
	  "c.yaml:1:37: labels: invalid label name 'bad-key' (letters, "
	  "digits, '_')\n"
	  "c.yaml:1:55: ok: expected a string, got a list\n" },
	{ "targets: [{host: 10.0.0.1, labels: {[a]: b}}]\n",
	  "c.yaml:1:37: mapping keys must be plain strings\n" },
	/* Metrics, tables, outputs, alerts. */
	{ "targets: [{host: 10.0.0.1}]\nmetrics: [{name: m, oid: "
	  "sysUpTimX.0}, {name: m, oid: 1.3}, {name: \"a b\", oid: 1.3}, "
	  "{oid: 1.3}, {name: z}]\n",
	  "c.yaml:2:26: oid: invalid OID 'sysUpTimX.0': unknown name (write "
	  "it as numbers)\n"
	  "c.yaml:2:47: name: duplicate metric 'm'\n"
	  "c.yaml:2:68: name: invalid metric name 'a b' (letters, digits, "
	  "'_', '.', '-')\n"
	  "c.yaml:2:86: metric: missing name\n"
	  "c.yaml:2:98: metric: missing oid\n" },
	{ "targets: [{host: 10.0.0.1}]\ntables: [{name: t, oid: 1.3, "
	  "max_rows: 0}, {name: t, oid: 1.3.6}]\n",
	  "c.yaml:2:40: max_rows: '0' is out of range (1..1000000)\n"
	  "c.yaml:2:51: name: duplicate table 't'\n" },
	{ "targets: [{host: 10.0.0.1}]\nmetrics: [{name: a, oid: 1.3.x}, "
	  "{name: b, oid: sysUpTime.}, {name: c, oid: ptZombies.0.x}, "
	  "{name: d, oid: \"\"}, {name: e, oid: 1.3.6.1.4294967296}]\n",
	  "c.yaml:2:26: oid: invalid OID '1.3.x': not a digit\n"
	  "c.yaml:2:49: oid: invalid OID 'sysUpTime.': empty OID\n"
	  "c.yaml:2:77: oid: invalid OID 'ptZombies.0.x': not a digit\n"
	  "c.yaml:2:108: oid: invalid OID '': empty OID\n"
	  "c.yaml:2:128: oid: invalid OID '1.3.6.1.4294967296': "
	  "sub-identifier over 4294967295\n" },
	{ "targets: [{host: 10.0.0.1}]\ntables: {name: t}\n",
	  "c.yaml:2:9: tables: expected a list, got a mapping\n" },
	{ "targets: [{host: 10.0.0.1}]\noutputs: [{type: SQLite, path: a}, "
	  "{path: b}, {type: csv}, {type: prom, path: \"-\"}]\n",
	  "c.yaml:2:18: type: expected sqlite, jsonl, csv, prom, influx, "
	  "remote_write or influx_http, got 'SQLite'\n"
	  "c.yaml:2:36: output: missing type\n"
	  "c.yaml:2:47: output: missing path\n"
	  "c.yaml:2:79: path: prom output cannot be standard output\n" },
	{ "targets: [{host: 10.0.0.1}]\nalerts: [{metric: nosuch, above: x, "
	  "command: \"\"}, {metric: zombies, command: x}, {metric: zombies, "
	  "below: 1e999}]\n",
	  "c.yaml:2:19: metric: unknown metric 'nosuch'\n"
	  "c.yaml:2:34: above: expected a number, got 'x'\n"
	  "c.yaml:2:46: command: empty command\n"
	  "c.yaml:2:51: alert: needs above or below\n"
	  "c.yaml:2:82: alert: missing command\n"
	  "c.yaml:2:107: below: '1e999' is out of range\n" },
	{ "targets: [{host: 10.0.0.1}]\nmetrics: []\nalerts: [{metric: "
	  "zombies, below: 1, command: x}]\n",
	  "c.yaml:3:19: metric: unknown metric 'zombies'\n" },
	{ "targets: [{host: 10.0.0.1}]\nlock_file: \"\"\n",
	  "c.yaml:2:12: lock_file: empty path\n" },
};

static void
each_agent_mistake_is_reported_exactly(void)
{
	size_t i;

	for (i = 0; i < sizeof(agent_cases) / sizeof(agent_cases[0]); i++)
		CHECK_STR(agent_errs(agent_cases[i].text),
		    agent_cases[i].want);
}

static void
each_collector_mistake_is_reported_exactly(void)
{
	size_t i;

	for (i = 0; i < sizeof(collector_cases) / sizeof(collector_cases[0]);
	    i++)
		CHECK_STR(collector_errs(collector_cases[i].text),
		    collector_cases[i].want);
}

static void
many_mistakes_in_one_file_are_all_reported_in_order(void)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;

	cc = cfg_collector_load(CONFIGS "collector_many_errors.yaml", &e);
	CHECK(cc == NULL);
#define F CONFIGS "collector_many_errors.yaml:"
	CHECK_STR(join(&e),
	    F "3:3: unknown key 'comunity' in defaults\n"
	    F "4:9: port: '0' is out of range (1..65535)\n"
	    F "5:12: retries: '21' is out of range (0..20)\n"
	    F "6:15: timeout_ms: expected an integer 1..600000, got '1000'\n"
	    F "7:14: concurrency: '0' is out of range (1..100000)\n"
	    F "8:13: deadline_s: '86401' is out of range (1..86400)\n"
	    F "9:13: interval_s: expected an integer 1..86400, got 'x'\n"
	    F "11:28: port: '65536' is out of range (1..65535)\n"
	    F "13:28: duplicate target name 'dup'\n"
	    F "14:5: target: missing host (or file)\n"
	    F "14:6: unknown key 'hots' in target\n"
	    F "16:20: oid: invalid OID '1.3.6.1..2': empty component\n"
	    F "17:12: name: duplicate metric 'a'\n"
	    F "19:39: max_rows: '0' is out of range (1..1000000)\n"
	    F "21:24: path: prom output cannot be standard output\n"
	    F "23:14: metric: unknown metric 'b'\n"
	    F "23:24: above: expected a number, got 'x'\n"
	    F "23:36: command: empty command\n");
#undef F
	cfg_errors_free(&e);
}

static void
hosts_file_mistakes_point_into_the_hosts_file(void)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;

	cc = cfg_collector_load(CONFIGS "collector_hosts_bad.yaml", &e);
	CHECK(cc == NULL);
	CHECK_STR(join(&e),
	    CONFIGS "collector_hosts_bad.yaml:3:11: file: cannot read '"
	    CONFIGS "no_such_hosts.txt': No such file or directory\n"
	    CONFIGS "hosts_bad.txt:2:10: invalid port (1..65535)\n"
	    CONFIGS "hosts_bad.txt:3:10: unexpected text after the host\n"
	    CONFIGS "hosts_bad.txt:4:1: missing ']'\n"
	    CONFIGS "hosts_bad.txt:5:6: expected ':' after ']'\n"
	    CONFIGS "hosts_bad.txt:6:4: invalid character in host\n"
	    CONFIGS "hosts_bad.txt:7:1: empty host\n"
	    CONFIGS "hosts_bad.txt:8:1: duplicate target name '10.0.0.1'\n");
	cfg_errors_free(&e);
}

static void
hosts_files_expand_with_the_group_settings(void)
{
	static const char *const names[] = { "10.0.0.1:1161",
	    "10.0.0.2:1161", "10.0.0.3:1161", "[::1]:16161", "[::2]:1161",
	    "localhost:1161", "nine" };
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;
	size_t i;

	cc = cfg_collector_load(CONFIGS "collector_hosts.yaml", &e);
	CHECK_STR(join(&e), "");
	if (cc == NULL)
		return;
	CHECK_INT(cc->cc_ntargets, ==, 7);
	for (i = 0; i < cc->cc_ntargets && i < 7; i++) {
		const struct cfg_target *t = &cc->cc_targets[i];

		CHECK_STR(t->ct_name, names[i]);
		CHECK_STR(t->ct_opts.to_community, i < 6 ? "east" : "public");
		CHECK_INT(t->ct_nlabels, ==, i < 6 ? 1 : 0);
		CHECK(t->ct_addrlen > 0);
	}
	CHECK_STR(cc->cc_targets[1].ct_host, "10.0.0.2");
	CHECK_INT(cc->cc_targets[1].ct_opts.to_port, ==, 1161);
	CHECK_INT(cc->cc_targets[3].ct_opts.to_port, ==, 16161);
	CHECK_STR(cc->cc_targets[0].ct_labels[0].cl_key, "dc");
	CHECK_STR(cc->cc_targets[0].ct_labels[0].cl_value, "east");
	cfg_collector_free(cc);
}

static void
agent_defaults_are_those_of_the_header(void)
{
	static const char two_communities[] = "communities: [{name: a}, "
	    "{name: b, allow: []}]\nlog: {target: syslog, level: debug}\n";
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;
	char buf[64];

	ca = cfg_agent_load(CONFIGS "no_such_agent.yaml", false, &e);
	CHECK(ca != NULL);
	CHECK_INT(e.ce_count, ==, 0);
	if (ca == NULL)
		return;
	CHECK_INT(ca->ca_nlisten, ==, 2);
	CHECK_STR(addr_format((struct sockaddr *)&ca->ca_listen[0].cl_addr,
	    buf, sizeof(buf)), "127.0.0.1:161");
	CHECK_STR(addr_format((struct sockaddr *)&ca->ca_listen[1].cl_addr,
	    buf, sizeof(buf)), "[::1]:161");
	CHECK_INT(ca->ca_ncommunities, ==, 1);
	CHECK_STR(ca->ca_communities[0].cc_name, "public");
	CHECK_INT(ca->ca_communities[0].cc_nallow, ==, 2);
	CHECK(ca->ca_sys_name == NULL);
	CHECK_STR(ca->ca_sys_contact, "");
	CHECK_STR(ca->ca_sys_location, "");
	CHECK_INT(ca->ca_cache_ttl_ms, ==, 1000);
	CHECK_INT(ca->ca_max_message_size, ==, 1472);
	CHECK(!ca->ca_expose_cmdline);
	CHECK(ca->ca_user == NULL);
	CHECK(!ca->ca_log_syslog);
	CHECK_INT(ca->ca_log_level, ==, LOG_LEVEL_INFO);
	CHECK_STR(ca->ca_proc_root, "/proc");
	CHECK_INT(ca->ca_cmdline_budget, ==, 4194304);
	CHECK_INT(ca->ca_max_bulk_varbinds, ==, 100);
	CHECK_INT(ca->ca_reply_rate, ==, 1048576);
	CHECK_INT(ca->ca_reply_burst, ==, 4194304);
	CHECK_INT(ca->ca_nreply_exempt, ==, 2);
	cfg_agent_free(ca);

	/* A community without allow is loopback-only; allow: [] is nobody. */
	ca = cfg_agent_load_buf("a.yaml", two_communities,
	    sizeof(two_communities) - 1, &e);
	CHECK_STR(join(&e), "");
	if (ca == NULL)
		return;
	CHECK_INT(ca->ca_communities[0].cc_nallow, ==, 2);
	CHECK_INT(ca->ca_communities[1].cc_nallow, ==, 0);
	CHECK(ca->ca_log_syslog);
	CHECK_INT(ca->ca_log_level, ==, LOG_LEVEL_DEBUG);
	cfg_agent_free(ca);

	ca = cfg_agent_load(CONFIGS "no_such_agent.yaml", true, &e);
	CHECK(ca == NULL);
	CHECK_STR(join(&e), CONFIGS "no_such_agent.yaml: No such file or "
	    "directory\n");
	cfg_errors_free(&e);
}

static void
collector_defaults_are_those_of_the_header(void)
{
	static const char text[] = "targets: [{host: 10.0.0.1}, "
	    "{host: 10.0.0.2, port: 16161, version: 1, community: c, "
	    "timeout_ms: 5, retries: 0}]\n";
	static const char *const pt_names[] = { "ptProcesses.0",
	    "ptRunning.0", "ptSleeping.0", "ptDiskSleep.0", "ptStopped.0",
	    "ptZombies.0", "ptIdle.0", "ptThreads.0", "ptForks.0",
	    "ptZombieParents.0", "ptOldestZombieAge.0", "ptPidMax.0",
	    "ptSnapshotAge.0" };
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;
	const struct cfg_target *t;
	char buf[OID_STR_MAX];
	size_t i;

	cc = cfg_collector_load_buf("dir/c.yaml", text, sizeof(text) - 1, &e);
	CHECK_STR(join(&e), "");
	if (cc == NULL)
		return;
	CHECK_STR(cc->cc_path, "dir/c.yaml");
	CHECK_STR(cc->cc_lock_path, "dir/c.yaml.lock");
	CHECK_INT(cc->cc_concurrency, ==, 1000);
	CHECK_INT(cc->cc_deadline_s, ==, 50);
	CHECK_INT(cc->cc_interval_s, ==, 60);
	CHECK_U64(cc->cc_max_target_bytes, ==, 64ULL << 20);
	CHECK_U64(cc->cc_max_run_bytes, ==, 1024ULL << 20);
	CHECK_INT(cc->cc_noutputs, ==, 0);
	CHECK_INT(cc->cc_ntables, ==, 0);
	CHECK_INT(cc->cc_nalerts, ==, 0);
	CHECK_INT(cc->cc_ntargets, ==, 2);
	t = &cc->cc_targets[0];
	CHECK_STR(t->ct_name, "10.0.0.1");
	CHECK_INT(t->ct_opts.to_port, ==, 161);
	CHECK_INT(t->ct_opts.to_version, ==, CFG_V2C);
	CHECK_STR(t->ct_opts.to_community, "public");
	CHECK_INT(t->ct_opts.to_timeout_ms, ==, 1000);
	CHECK_INT(t->ct_opts.to_retries, ==, 2);
	CHECK(!t->ct_opts.to_has_security);
	t = &cc->cc_targets[1];
	CHECK_STR(t->ct_name, "10.0.0.2:16161");
	CHECK_INT(t->ct_opts.to_port, ==, 16161);
	CHECK_INT(t->ct_opts.to_version, ==, CFG_V1);
	CHECK_STR(t->ct_opts.to_community, "c");
	CHECK_INT(t->ct_opts.to_timeout_ms, ==, 5);
	CHECK_INT(t->ct_opts.to_retries, ==, 0);
	CHECK_STR(addr_format((const struct sockaddr *)&t->ct_addr, buf,
	    sizeof(buf)), "10.0.0.2:16161");
	/* The default metric set: ptSystem, sysUpTime, sysName. */
	CHECK_INT(cc->cc_nmetrics, ==, 15);
	if (cc->cc_nmetrics == 15) {
		CHECK_STR(cc->cc_metrics[0].cm_name, "processes");
		oid_format(&cc->cc_metrics[0].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, "1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0");
		CHECK_STR(cc->cc_metrics[5].cm_name, "zombies");
		oid_format(&cc->cc_metrics[5].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, "1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0");
		CHECK_STR(cc->cc_metrics[12].cm_name, "snapshot_age_ms");
		oid_format(&cc->cc_metrics[12].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, "1.3.6.1.4.1.8072.9999.9999.1.1.1.13.0");
		CHECK_STR(cc->cc_metrics[13].cm_name, "sysUpTime");
		oid_format(&cc->cc_metrics[13].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, "1.3.6.1.2.1.1.3.0");
		CHECK_STR(cc->cc_metrics[14].cm_name, "sysName");
		oid_format(&cc->cc_metrics[14].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, "1.3.6.1.2.1.1.5.0");
		/* Each equals its PROCTEL-MIB object, instance 0. */
		for (i = 0; i < 13; i++) {
			struct oid o;
			const char *err;

			CHECK_INT(cfg_oid_parse(pt_names[i], &o, &err), ==, 0);
			CHECK_INT(oid_cmp(&o, &cc->cc_metrics[i].cm_oid), ==, 0);
		}
	}
	cfg_collector_free(cc);
}

static void
v3_security_is_inherited_whole_and_defaults_fill_protocols(void)
{
	static const char text[] =
	    "defaults:\n"
	    "  version: 3\n"
	    "  security: {user: u, auth_password: aaaaaaaa}\n"
	    "targets:\n"
	    "  - {host: 10.0.0.1}\n"
	    "  - {host: 10.0.0.2, security: {user: v, level: authPriv, "
	    "auth_protocol: sha-512, auth_password: bbbbbbbb, "
	    "priv_protocol: aes-256, priv_password: cccccccc}}\n";
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;
	const struct cfg_security *s;

	cc = cfg_collector_load_buf("c.yaml", text, sizeof(text) - 1, &e);
	CHECK_STR(join(&e), "");
	if (cc == NULL)
		return;
	s = &cc->cc_targets[0].ct_opts.to_security;
	CHECK(cc->cc_targets[0].ct_opts.to_has_security);
	CHECK_STR(s->cs_user, "u");
	CHECK_INT(s->cs_level, ==, CFG_AUTHNOPRIV);
	CHECK_INT(s->cs_auth_proto, ==, CFG_AUTH_SHA);
	CHECK_STR(s->cs_auth_password, "aaaaaaaa");
	CHECK_INT(s->cs_priv_proto, ==, CFG_PRIV_NONE);
	CHECK(s->cs_priv_password == NULL);
	s = &cc->cc_targets[1].ct_opts.to_security;
	CHECK_STR(s->cs_user, "v");
	CHECK_INT(s->cs_level, ==, CFG_AUTHPRIV);
	CHECK_INT(s->cs_auth_proto, ==, CFG_AUTH_SHA512);
	CHECK_INT(s->cs_priv_proto, ==, CFG_PRIV_AES256);
	CHECK_STR(s->cs_priv_password, "cccccccc");
	cfg_collector_free(cc);
}

static void
offline_mode_refuses_names_and_hosts_files(void)
{
	cfg_set_offline(true);
	CHECK_STR(collector_errs("targets: [{host: db.example.com}, "
	    "{file: hosts.txt}]\n"),
	    "c.yaml:1:18: host: cannot resolve 'db.example.com': not a "
	    "numeric address (name resolution is off)\n"
	    "c.yaml:1:42: file: hosts files are disabled\n");
	cfg_set_offline(false);
	/* localhost comes from /etc/hosts, not from the network. */
	CHECK_STR(collector_errs("targets: [{host: localhost}]\n"), "");
}

static void
caps_on_depth_size_and_count_hold(void)
{
	size_t n = 2 * 100001 + 64, i, o = 0;
	char *big = malloc(n);

	CHECK_STR(agent_errs("a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"),
	    "a.yaml:1:35: nested deeper than 32 levels\n");
	if (big == NULL)
		return;
	o = (size_t)snprintf(big, n, "user: ");
	for (i = 0; i < 4097; i++)
		big[o++] = 'x';
	big[o++] = '\n';
	big[o] = '\0';
	CHECK_STR(agent_errs(big), "a.yaml:1:7: value longer than 4096 "
	    "bytes\n");
	o = (size_t)snprintf(big, n, "a: [");
	for (i = 0; i < 100001; i++) {
		big[o++] = '0';
		big[o++] = ',';
	}
	big[o++] = ']';
	big[o] = '\0';
	CHECK_STR(agent_errs(big), "a.yaml:1:199999: more than 100000 "
	    "values\n");

	/* Past 10000 stored lines, errors are still counted. */
	o = (size_t)snprintf(big, n, "listen: [");
	for (i = 0; i < 10005; i++) {
		big[o++] = 'x';
		big[o++] = ',';
	}
	big[o++] = ']';
	{
		struct cfg_errors e = { NULL, 0, 0 };

		CHECK(cfg_agent_load_buf("a.yaml", big, o, &e) == NULL);
		CHECK_INT(e.ce_count, ==, 10000);
		CHECK_INT(e.ce_dropped, ==, 5);
		cfg_errors_free(&e);
	}
	free(big);
}

static void
printing_stops_after_20_lines_with_a_count(void)
{
	struct cfg_errors e = { NULL, 0, 0 };
	char out[4096];
	FILE *fp;
	size_t len;
	int i;

	for (i = 1; i <= 23; i++)
		cfg_errorf(&e, "f.yaml", (unsigned)i, 1, "error %d", i);
	fp = fmemopen(out, sizeof(out) - 1, "w");
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	cfg_errors_print(&e, fp);
	len = (size_t)ftell(fp);
	fclose(fp);
	out[len] = '\0';
	CHECK(strncmp(out, "f.yaml:1:1: error 1\nf.yaml:2:1: error 2\n", 40)
	    == 0);
	CHECK(strstr(out, "f.yaml:20:1: error 20\n... and 3 more errors\n")
	    != NULL);
	CHECK(strstr(out, "error 21") == NULL);
	cfg_errors_free(&e);
	CHECK_INT(e.ce_count, ==, 0);
}

static void
oids_may_be_names_of_the_oid_contract(void)
{
	static const char text[] = "targets: [{host: 10.0.0.1}]\n"
	    "metrics: [{name: a, oid: sysUpTime.0}, {name: b, oid: ptZombies.0},"
	    " {name: c, oid: .1.3.6.1.2.1.1.5.0}, {name: d, oid: hrSystemProcesses"
	    ".0}]\ntables: [{name: t, oid: ptZombieParentEntry}, {name: u, oid: "
	    "hrSWRunTable}]\n";
	static const char *const want[] = { "1.3.6.1.2.1.1.3.0",
	    "1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0", "1.3.6.1.2.1.1.5.0",
	    "1.3.6.1.2.1.25.1.6.0", "1.3.6.1.4.1.8072.9999.9999.1.1.4.1",
	    "1.3.6.1.2.1.25.4.2" };
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;
	char buf[OID_STR_MAX];
	size_t i;

	cc = cfg_collector_load_buf("c.yaml", text, sizeof(text) - 1, &e);
	CHECK_STR(join(&e), "");
	if (cc == NULL)
		return;
	CHECK_INT(cc->cc_nmetrics, ==, 4);
	CHECK_INT(cc->cc_ntables, ==, 2);
	for (i = 0; i < 4 && i < cc->cc_nmetrics; i++) {
		oid_format(&cc->cc_metrics[i].cm_oid, buf, sizeof(buf));
		CHECK_STR(buf, want[i]);
	}
	for (i = 0; i < 2 && i < cc->cc_ntables; i++) {
		oid_format(&cc->cc_tables[i].ct_oid, buf, sizeof(buf));
		CHECK_STR(buf, want[4 + i]);
	}
	cfg_collector_free(cc);
}
int
main(void)
{
	RUN(the_example_configs_load_cleanly);
	RUN(each_agent_mistake_is_reported_exactly);
	RUN(each_collector_mistake_is_reported_exactly);
	RUN(many_mistakes_in_one_file_are_all_reported_in_order);
	RUN(hosts_file_mistakes_point_into_the_hosts_file);
	RUN(hosts_files_expand_with_the_group_settings);
	RUN(agent_defaults_are_those_of_the_header);
	RUN(collector_defaults_are_those_of_the_header);
	RUN(v3_security_is_inherited_whole_and_defaults_fill_protocols);
	RUN(oids_may_be_names_of_the_oid_contract);
	RUN(offline_mode_refuses_names_and_hosts_files);
	RUN(caps_on_depth_size_and_count_hold);
	RUN(printing_stops_after_20_lines_with_a_count);
	return t_done();
}
