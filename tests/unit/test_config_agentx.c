/*
 * test_config_agentx: the values agent.yaml's `agentx:` section loads
 * into (config/agentx_conf.c): off when absent, every default when given
 * alone, each key's value, and `listen: []` becoming valid with it.
 * The exact error messages are among test_config.c's agent cases.
 */
#include <string.h>

#include "config/config.h"
#include "lib/addr.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

static struct cfg_agent *
load(const char *text)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;

	ca = cfg_agent_load_buf("a.yaml", text, strlen(text), &e);
	CHECK_INT(e.ce_count, ==, 0);
	cfg_errors_free(&e);
	return ca;
}

static void
subtree_is(const struct cfg_agent *ca, size_t i, const char *want)
{
	struct oid o = O(want);

	CHECK(i < ca->ca_agentx.cax_nsubtrees &&
	    oid_cmp(&ca->ca_agentx.cax_subtrees[i], &o) == 0);
}

static void
agentx_is_off_unless_its_key_is_given(void)
{
	struct cfg_agent *ca = load("user: nobody\n");

	CHECK(ca != NULL && !ca->ca_agentx.cax_enabled);
	CHECK(ca != NULL && ca->ca_agentx.cax_master == NULL);
	cfg_agent_free(ca);
	ca = cfg_agent_defaults();
	CHECK(ca != NULL && !ca->ca_agentx.cax_enabled);
	cfg_agent_free(ca);
}

static void
agentx_alone_turns_it_on_with_every_default(void)
{
	static const char *const texts[] = { "agentx:\n", "agentx: ~\n",
	    "agentx: {}\n", "listen: []\nagentx:\n" };
	struct cfg_agent *ca;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if ((ca = load(texts[i])) == NULL)
			continue;
		CHECK(ca->ca_agentx.cax_enabled);
		CHECK_STR(ca->ca_agentx.cax_master, "/var/agentx/master");
		CHECK(!ca->ca_agentx.cax_tcp);
		CHECK_U64(ca->ca_agentx.cax_nsubtrees, ==, 1);
		subtree_is(ca, 0, "1.3.6.1.4.1.8072.9999.9999.1");
		CHECK_INT(ca->ca_agentx.cax_timeout_s, ==, 5);
		/* The last one is AgentX only: no UDP socket at all. */
		CHECK_U64(ca->ca_nlisten, ==, i == 3 ? 0 : 2);
		cfg_agent_free(ca);
	}
}

static void
each_agentx_key_loads_its_value(void)
{
	struct cfg_agent *ca;
	char buf[64];

	ca = load("agentx: {master: \"tcp:127.0.0.1\", subtrees: [ptProcTable,"
	    " \"1.3.6.1.2.1.25.4.2\", .1.3.6.1.4.1.8072.9999.9999.1.1.1],"
	    " timeout_s: 0}\n");
	if (ca == NULL)
		return;
	CHECK(ca->ca_agentx.cax_tcp);
	CHECK_STR(ca->ca_agentx.cax_master, "tcp:127.0.0.1");
	CHECK_STR(addr_format((struct sockaddr *)&ca->ca_agentx.cax_addr, buf,
	    sizeof(buf)), "127.0.0.1:705");
	CHECK_U64(ca->ca_agentx.cax_nsubtrees, ==, 3);
	subtree_is(ca, 0, "1.3.6.1.4.1.8072.9999.9999.1.1.3");
	subtree_is(ca, 1, "1.3.6.1.2.1.25.4.2");
	subtree_is(ca, 2, "1.3.6.1.4.1.8072.9999.9999.1.1.1");
	CHECK_INT(ca->ca_agentx.cax_timeout_s, ==, 0);
	cfg_agent_free(ca);
	ca = load("agentx: {master: \"tcp:[::1]:1705\", timeout_s: 255}\n"
	    "listen: [\"127.0.0.1:16161\"]\n");
	if (ca == NULL)
		return;
	CHECK_STR(addr_format((struct sockaddr *)&ca->ca_agentx.cax_addr, buf,
	    sizeof(buf)), "[::1]:1705");
	CHECK_INT(ca->ca_agentx.cax_timeout_s, ==, 255);
	CHECK_U64(ca->ca_nlisten, ==, 1);
	cfg_agent_free(ca);
	ca = load("agentx: {master: /run/agentx/master}\n");
	CHECK(ca != NULL && !ca->ca_agentx.cax_tcp);
	CHECK(ca != NULL &&
	    strcmp(ca->ca_agentx.cax_master, "/run/agentx/master") == 0);
	cfg_agent_free(ca);
}

int
main(void)
{
	RUN(agentx_is_off_unless_its_key_is_given);
	RUN(agentx_alone_turns_it_on_with_every_default);
	RUN(each_agentx_key_loads_its_value);
	return t_done();
}
