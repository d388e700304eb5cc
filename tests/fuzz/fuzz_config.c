// fuzz-sources: config/yaml.c config/node.c config/agent_conf.c config/agentx_conf.c config/collector_conf.c config/output_conf.c config/target_conf.c config/oid_names.c snmp/contract.c lib/addr.c lib/strnum.c lib/clock.c lib/log.c snmp/oid.c
// fuzz-libs: -lyaml
/*
 * fuzz_config: libFuzzer target for the YAML loader and both config files.
 * Each input goes to cfg_agent_load_buf and cfg_collector_load_buf in
 * offline mode (no DNS lookups, no `file:` targets read), and each must
 * give a config or errors, never both or neither.  It does not fuzz the
 * hosts-file reader through the file system.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;
	struct cfg_collector *cc;
	FILE *null;

	cfg_set_offline(true);
	ca = cfg_agent_load_buf("fuzz.yaml", (const char *)data, size, &e);
	if ((ca == NULL) == (e.ce_count + e.ce_dropped == 0))
		abort();
	cfg_agent_free(ca);
	/* Printing walks every stored line: a bad one would show here. */
	if ((null = fopen("/dev/null", "w")) != NULL) {
		cfg_errors_print(&e, null);
		fclose(null);
	}
	cfg_errors_free(&e);

	cc = cfg_collector_load_buf("fuzz.yaml", (const char *)data, size,
	    &e);
	if ((cc == NULL) == (e.ce_count + e.ce_dropped == 0))
		abort();
	cfg_collector_free(cc);
	cfg_errors_free(&e);
	return 0;
}
