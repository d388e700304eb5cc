/*
 * test_config_v3: the SNMPv3 keys of agent.yaml (config/agent_v3.c):
 * engine_id, state_dir, users and the `view:` of users and communities.
 * A full example loads to the right fields, the defaults are those of
 * config.h, and each mistake is reported exactly, as FILE:LINE:COLUMN.
 * The rest of agent.yaml is test_config.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

static char joined[1 << 14];

/* Load text; the error lines joined in joined ("" when none). */
static struct cfg_agent *
load(const char *text)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;

	ca = cfg_agent_load_buf("a.yaml", text, strlen(text), &e);
	tu_errors_join(&e, joined, sizeof(joined));
	CHECK((ca == NULL) == (e.ce_count > 0));
	cfg_errors_free(&e);
	return ca;
}

static const char *
errs(const char *text)
{
	cfg_agent_free(load(text));
	return joined;
}

static void
a_full_v3_config_loads_to_the_right_fields(void)
{
	static const char text[] =
	    "engine_id: 0x80001f880470726f6374656c\n"
	    "state_dir: /tmp/proctel-state\n"
	    "communities:\n"
	    "  - {name: public, view: [\"1.3.6.1.4.1.8072.9999.9999.1.1\"]}\n"
	    "users:\n"
	    "  - name: monitor\n"
	    "    level: authPriv\n"
	    "    auth_protocol: SHA-256\n"
	    "    auth_password: \"at least 8\"\n"
	    "    priv_protocol: AES-256\n"
	    "    priv_password: maplesyrup\n"
	    "    view: [\"1.3.6.1\", sysUpTime]\n"
	    "    expose_cmdline: true\n"
	    "  - name: keyed\n"
	    "    auth_protocol: md5\n"
	    "    auth_key: 526f5eed9fcce26f8964c2930787d82b\n"
	    "    priv_protocol: AES-192-C\n"
	    "    priv_key: 526F5EED9FCCE26F8964C2930787D82B\n"
	    "    level: authNoPriv\n"
	    "  - {name: plain, view: []}\n";
	struct cfg_agent *ca = load(text);
	const struct cfg_user *u;

	CHECK_STR(joined, "");
	if (ca == NULL)
		return;
	CHECK_MEM(ca->ca_engine_id, ca->ca_engine_id_len,
	    "\x80\x00\x1f\x88\x04proctel", 12);
	CHECK_STR(ca->ca_state_dir, "/tmp/proctel-state");
	CHECK(!ca->ca_communities[0].cc_view.cv_all);
	CHECK_U64(ca->ca_communities[0].cc_view.cv_n, ==, 1);
	CHECK_U64(ca->ca_nusers, ==, 3);
	u = &ca->ca_users[0];
	CHECK_STR(u->cu_name, "monitor");
	CHECK_INT(u->cu_level, ==, CFG_AUTHPRIV);
	CHECK_INT(u->cu_auth_proto, ==, CFG_AUTH_SHA256);
	CHECK_STR(u->cu_auth_password, "at least 8");
	CHECK_INT(u->cu_priv_proto, ==, CFG_PRIV_AES256);
	CHECK_STR(u->cu_priv_password, "maplesyrup");
	CHECK(!u->cu_view.cv_all);
	CHECK_U64(u->cu_view.cv_n, ==, 2);
	CHECK_U64(u->cu_view.cv_subtrees[1].o_len, ==, 8);	/* sysUpTime */
	CHECK_INT(u->cu_expose_cmdline, ==, 1);
	u = &ca->ca_users[1];
	CHECK_INT(u->cu_level, ==, CFG_AUTHNOPRIV);
	CHECK_INT(u->cu_auth_proto, ==, CFG_AUTH_MD5);
	CHECK(u->cu_auth_password == NULL);
	CHECK_U64(u->cu_auth_key_len, ==, 16);
	CHECK_INT(u->cu_priv_proto, ==, CFG_PRIV_AES192C);
	CHECK_MEM(u->cu_priv_key, u->cu_priv_key_len, u->cu_auth_key, 16);
	CHECK_INT(u->cu_expose_cmdline, ==, -1);
	CHECK(u->cu_view.cv_all);
	u = &ca->ca_users[2];
	CHECK_INT(u->cu_level, ==, CFG_NOAUTH);
	CHECK_INT(u->cu_auth_proto, ==, CFG_AUTH_NONE);
	CHECK(!u->cu_view.cv_all && u->cu_view.cv_n == 0);
	cfg_agent_free(ca);
}

static void
v3_defaults_are_no_users_a_generated_id_and_var_lib_proctel(void)
{
	struct cfg_agent *ca = load("");

	if (ca == NULL)
		return;
	CHECK_U64(ca->ca_engine_id_len, ==, 0);
	CHECK_STR(ca->ca_state_dir, "/var/lib/proctel-agent");
	CHECK_U64(ca->ca_nusers, ==, 0);
	CHECK(ca->ca_communities[0].cc_view.cv_all);
	cfg_agent_free(ca);
	/* Secrets alone decide the level; protocols default to SHA, AES. */
	ca = load("users: [{name: u, auth_password: 12345678, "
	    "priv_password: 12345678}, {name: v, auth_password: 12345678}]\n");
	if (ca == NULL)
		return;
	CHECK_INT(ca->ca_users[0].cu_level, ==, CFG_AUTHPRIV);
	CHECK_INT(ca->ca_users[0].cu_auth_proto, ==, CFG_AUTH_SHA);
	CHECK_INT(ca->ca_users[0].cu_priv_proto, ==, CFG_PRIV_AES);
	CHECK_INT(ca->ca_users[1].cu_level, ==, CFG_AUTHNOPRIV);
	CHECK_INT(ca->ca_users[1].cu_priv_proto, ==, CFG_PRIV_NONE);
	cfg_agent_free(ca);
}

static void
the_v3_example_loads_cleanly(void)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;

	ca = cfg_agent_load("tests/unit/configs/agent_v3.yaml", true, &e);
	CHECK(ca != NULL && e.ce_count == 0);
	if (ca != NULL)
		CHECK_U64(ca->ca_nusers, ==, 3);
	cfg_agent_free(ca);
	cfg_errors_free(&e);
}

struct err_case {
	const char	*text;
	const char	*want;
};

static const struct err_case cases[] = {
	{ "engine_id: xyz\n",
	  "a.yaml:1:12: engine_id: expected 5 to 32 octets in hex, got "
	  "'xyz'\n" },
	{ "engine_id: 80001f88\n",
	  "a.yaml:1:12: engine_id: an engine ID has 5 to 32 octets (RFC 3411 "
	  "sec. 5)\n" },
	{ "engine_id: 8000000906ab\n",
	  "a.yaml:1:12: engine_id: an engine ID's format octet (the fifth) is "
	  "reserved (0 or 6..127) (RFC 3411 sec. 5)\n" },
	{ "state_dir: var/lib\n",
	  "a.yaml:1:12: state_dir: expected an absolute path, got 'var/lib'\n" },
	{ "users: {name: u}\n",
	  "a.yaml:1:8: users: expected a list, got a mapping\n" },
	{ "users: [{level: authPriv}, {name: \"\"}, "
	  "{name: abcdefghijabcdefghijabcdefghijabc}, {name: d}, {name: d}]\n",
	  "a.yaml:1:9: user: missing name\n"
	  "a.yaml:1:17: level: authPriv needs auth and priv secrets\n"
	  "a.yaml:1:35: name: '': a user name has 1 to 32 octets\n"
	  "a.yaml:1:47: name: 'abcdefghijabcdefghijabcdefghijabc': a user "
	  "name has 1 to 32 octets\n"
	  "a.yaml:1:101: name: duplicate user 'd'\n" },
	{ "users: [{name: u, auth_protocol: SHA1, priv_protocol: 3DES, "
	  "colour: red}]\n",
	  "a.yaml:1:34: auth_protocol: expected MD5, SHA, SHA-224, SHA-256, "
	  "SHA-384 or SHA-512, got 'SHA1'\n"
	  "a.yaml:1:34: auth_protocol: needs auth_password or auth_key\n"
	  "a.yaml:1:55: priv_protocol: expected AES, AES-192, AES-256, "
	  "AES-192-C or AES-256-C, got '3DES'\n"
	  "a.yaml:1:55: priv_protocol: needs priv_password or priv_key\n"
	  "a.yaml:1:61: unknown key 'colour' in user\n" },
	{ "users: [{name: u, auth_password: 12345678, priv_protocol: DES, "
	  "priv_password: 12345678}]\n",
	  "a.yaml:1:59: priv_protocol: DES is refused: its 56-bit key falls "
	  "to exhaustive search, so it only pretends to hide the traffic; use "
	  "AES\n" },
	{ "users: [{name: u, auth_password: 1234567, auth_key: 00}]\n",
	  "a.yaml:1:53: auth_key: give auth_password or auth_key, not both\n" },
	{ "users: [{name: u, auth_password: 1234567}]\n",
	  "a.yaml:1:34: auth_password: shorter than 8 characters (RFC 3414 "
	  "sec. 11.2)\n" },
	{ "users: [{name: u, auth_protocol: SHA-256, auth_key: 0011zz, "
	  "priv_key: [1]}]\n",
	  "a.yaml:1:53: auth_key: expected a localized key in hex, got text "
	  "that is not hex\n"
	  "a.yaml:1:71: priv_key: expected a localized key in hex, got a "
	  "list\n" },
	{ "users: [{name: u, priv_password: 12345678}]\n",
	  "a.yaml:1:9: user: privacy needs authentication too (RFC 3414 "
	  "sec. 3.1): give auth_password or auth_key\n" },
	{ "users: [{name: u, auth_protocol: SHA-256, auth_key: 00112233, "
	  "priv_protocol: AES-192, priv_key: 0011223344556677}]\n",
	  "a.yaml:1:53: auth_key: 4 octets, the protocol needs 32\n"
	  "a.yaml:1:97: priv_key: 8 octets, the protocol needs 24 (or 32 to "
	  "be derived)\n" },
	{ "users: [{name: u, level: authNoPriv}, {name: v, level: secret, "
	  "view: x, expose_cmdline: sometimes}]\n",
	  "a.yaml:1:26: level: authNoPriv needs an auth secret\n"
	  "a.yaml:1:56: level: expected noAuthNoPriv, authNoPriv or authPriv, "
	  "got 'secret'\n"
	  "a.yaml:1:70: view: expected a list, got 'x'\n"
	  "a.yaml:1:89: expose_cmdline: expected true or false, got "
	  "'sometimes'\n" },
	{ "communities: [{name: p, view: [1.3.x, [a], nosuchName]}]\n",
	  "a.yaml:1:32: view: invalid OID '1.3.x': not a digit\n"
	  "a.yaml:1:39: view: expected an OID, got a list\n"
	  "a.yaml:1:44: view: invalid OID 'nosuchName': unknown name (write "
	  "it as numbers)\n" },
	{ "users: [x]\n",
	  "a.yaml:1:9: users: expected a mapping, got 'x'\n" },
};

static void
each_v3_mistake_is_reported_exactly(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(errs(cases[i].text), cases[i].want);
}

int
main(void)
{
	RUN(a_full_v3_config_loads_to_the_right_fields);
	RUN(v3_defaults_are_no_users_a_generated_id_and_var_lib_proctel);
	RUN(each_v3_mistake_is_reported_exactly);
	RUN(the_v3_example_loads_cleanly);
	return t_done();
}
