/*
 * agent_v3: the SNMPv3 keys of agent.yaml (DESIGN.md "SNMPv3 in the
 * agent"): engine_id, state_dir and users, and the `view:` lists users and
 * communities share.  It checks all that can be checked without the
 * engine ID: name, password and key lengths, protocol names, the level
 * against the secrets given.  Passwords stay text; the agent stretches and
 * localizes them when it loads its users (agent/v3.c), and refuses to
 * start when a key cannot be made.  Nothing here touches the state
 * directory.
 */
#include <stdlib.h>
#include <string.h>

#include "config/agent_int.h"
#include "snmp/usm.h"
#include "snmp/v3.h"

/*
 * The agent's own: /var/lib/proctel belongs to the collector's package
 * (DESIGN.md "Packaging and deployment"); the unit's StateDirectory=.
 */
#define CFG_STATE_DIR_DEFAULT	"/var/lib/proctel-agent"
/* usmUserName is an SnmpAdminString (SIZE(1..32)), RFC 3414 sec. 5. */
#define CFG_USER_NAME_MAX	32
/* More users than this is a config error: each costs 2 ms at load. */
#define CFG_USERS_MAX		10000

static const char *const user_keys[] = { "name", "level", "auth_protocol",
	"auth_password", "auth_key", "priv_protocol", "priv_password",
	"priv_key", "view", "expose_cmdline", NULL };
/* In the order of enum cfg_priv_proto (the collector has no -C ones). */
static const char *const priv_names[] = { "none", "DES", "AES", "AES-192",
	"AES-256", "AES-192-C", "AES-256-C", NULL };
static const enum usm_auth auth_usm[] = { USM_AUTH_NONE, USM_AUTH_MD5,
	USM_AUTH_SHA1, USM_AUTH_SHA224, USM_AUTH_SHA256, USM_AUTH_SHA384,
	USM_AUTH_SHA512 };
static const enum usm_priv priv_usm[] = { USM_PRIV_NONE, USM_PRIV_NONE,
	USM_PRIV_AES128, USM_PRIV_AES192, USM_PRIV_AES256,
	USM_PRIV_AES192_REEDER, USM_PRIV_AES256_REEDER };

void
cfg_view_free(struct cfg_view *v)
{
	free(v->cv_subtrees);
	v->cv_subtrees = NULL;
	v->cv_n = 0;
	v->cv_all = true;
}

void
cfg_view_parse(struct cfg_ctx *ctx, const struct cfg_node *n,
    struct cfg_view *v)
{
	char what[80];
	const char *errstr;
	size_t i;

	cfg_view_free(v);
	if (cfg_expect_seq(ctx, n, "view") == -1)
		return;
	v->cv_all = false;
	if (n->n_nkids == 0)
		return;
	if ((v->cv_subtrees = calloc(n->n_nkids, sizeof(*v->cv_subtrees)))
	    == NULL) {
		cfg_node_error(ctx, n, "view: out of memory");
		return;
	}
	for (i = 0; i < n->n_nkids; i++) {
		const struct cfg_node *k = n->n_kids[i];

		if (k->n_kind != CFG_NODE_SCALAR || cfg_is_null(k))
			cfg_node_error(ctx, k, "view: expected an OID, got %s",
			    cfg_node_describe(k, what, sizeof(what)));
		else if (cfg_oid_parse(k->n_str, &v->cv_subtrees[v->cv_n],
		    &errstr) == -1)
			cfg_node_error(ctx, k, "view: invalid OID %s: %s",
			    cfg_node_describe(k, what, sizeof(what)), errstr);
		else
			v->cv_n++;
	}
}

static void
user_free(struct cfg_user *u)
{
	free(u->cu_name);
	/* Secrets: cleared before the memory goes back. */
	if (u->cu_auth_password != NULL)
		explicit_bzero(u->cu_auth_password,
		    strlen(u->cu_auth_password));
	if (u->cu_priv_password != NULL)
		explicit_bzero(u->cu_priv_password,
		    strlen(u->cu_priv_password));
	free(u->cu_auth_password);
	free(u->cu_priv_password);
	cfg_view_free(&u->cu_view);
	explicit_bzero(u, sizeof(*u));
}

void
cfg_agent_v3_free(struct cfg_agent *ca)
{
	size_t i;

	for (i = 0; i < ca->ca_nusers; i++)
		user_free(&ca->ca_users[i]);
	free(ca->ca_users);
	ca->ca_users = NULL;
	ca->ca_nusers = 0;
	free(ca->ca_state_dir);
	ca->ca_state_dir = NULL;
}

int
cfg_agent_v3_defaults(struct cfg_agent *ca)
{
	ca->ca_engine_id_len = 0;
	if ((ca->ca_state_dir = strdup(CFG_STATE_DIR_DEFAULT)) == NULL)
		return -1;
	return 0;
}

/*
 * Hex text (an optional 0x, no separators) into out; returns the octet
 * count, or -1 (odd length, a non-hex digit, or over cap octets).
 */
static int
hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t i, n;
	int hi, lo;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n == 0 || n % 2 != 0 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = s[2 * i];
		lo = s[2 * i + 1];
		hi = hi >= '0' && hi <= '9' ? hi - '0' :
		    hi >= 'a' && hi <= 'f' ? hi - 'a' + 10 :
		    hi >= 'A' && hi <= 'F' ? hi - 'A' + 10 : -1;
		lo = lo >= '0' && lo <= '9' ? lo - '0' :
		    lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 :
		    lo >= 'A' && lo <= 'F' ? lo - 'A' + 10 : -1;
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/*
 * A secret: the password at key pkey (at least USM_PASSWORD_MIN
 * characters) or the key at kkey (hex, a localized key of one of the
 * lengths ok1, ok2).  Returns true when one of them was given and read.
 */
static bool
user_secret(struct cfg_ctx *ctx, const struct cfg_node *m, const char *pkey,
    const char *kkey, char **password, uint8_t *key, size_t *keylen,
    size_t ok1, size_t ok2)
{
	const struct cfg_node *p, *k;
	char what[80];
	int n;

	p = cfg_map_get(m, pkey);
	k = cfg_map_get(m, kkey);
	if (p != NULL && k != NULL) {
		cfg_node_error(ctx, k, "%s: give %s or %s, not both", kkey,
		    pkey, kkey);
		return true;
	}
	if (p != NULL) {
		if (cfg_get_str(ctx, p, pkey, password) == 0 &&
		    strlen(*password) < USM_PASSWORD_MIN)
			cfg_node_error(ctx, p, "%s: shorter than %d characters "
			    "(RFC 3414 sec. 11.2)", pkey, USM_PASSWORD_MIN);
		return true;
	}
	if (k == NULL)
		return false;
	if (k->n_kind != CFG_NODE_SCALAR || cfg_is_null(k) ||
	    (n = hex_decode(k->n_str, key, CFG_KEY_MAX)) < 0) {
		cfg_node_error(ctx, k, "%s: expected a localized key in hex, "
		    "got %s", kkey, k->n_kind == CFG_NODE_SCALAR ? "text "
		    "that is not hex" : cfg_node_describe(k, what,
		    sizeof(what)));
		return true;
	}
	*keylen = (size_t)n;
	if (ok1 != 0 && *keylen != ok1 && *keylen != ok2) {
		if (ok2 == 0 || ok2 == ok1)
			cfg_node_error(ctx, k, "%s: %zu octets, the protocol "
			    "needs %zu", kkey, *keylen, ok1);
		else
			cfg_node_error(ctx, k, "%s: %zu octets, the protocol "
			    "needs %zu (or %zu to be derived)", kkey, *keylen,
			    ok1, ok2);
	}
	return true;
}

/* One protocol key: its index in names, or def when absent. */
static int
user_proto(struct cfg_ctx *ctx, const struct cfg_node *m, const char *key,
    const char *const *names, int def, const char *expected)
{
	const struct cfg_node *v = cfg_map_get(m, key);
	char what[80];
	int i;

	if (v == NULL)
		return def;
	if ((i = cfg_word_index(v, names)) <= 0) {
		cfg_node_error(ctx, v, "%s: expected %s, got %s", key,
		    expected, cfg_node_describe(v, what, sizeof(what)));
		return def;
	}
	return i;
}

/*
 * One entry of users.  A protocol is in use when its secret is given (SHA
 * and AES when the secret comes without a protocol, as the collector and
 * net-snmp default); `level` is the least the user may send and may not
 * exceed what the secrets allow.
 */
static void
user_parse(struct cfg_ctx *ctx, const struct cfg_node *m, struct cfg_user *u)
{
	const struct cfg_node *v;
	enum cfg_sec_level most;
	char what[80];
	bool has_auth, has_priv;
	int a, p, i;

	u->cu_view.cv_all = true;
	u->cu_expose_cmdline = -1;
	cfg_check_keys(ctx, m, user_keys, "user");
	if ((v = cfg_map_get(m, "name")) == NULL)
		cfg_node_error(ctx, m, "user: missing name");
	else if (cfg_get_str(ctx, v, "name", &u->cu_name) == 0 &&
	    (u->cu_name[0] == '\0' ||
	    strlen(u->cu_name) > CFG_USER_NAME_MAX))
		cfg_node_error(ctx, v, "name: %s: a user name has 1 to %d "
		    "octets", cfg_node_describe(v, what, sizeof(what)),
		    CFG_USER_NAME_MAX);

	a = user_proto(ctx, m, "auth_protocol", cfg_auth_names, CFG_AUTH_SHA,
	    "MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512");
	p = user_proto(ctx, m, "priv_protocol", priv_names, CFG_PRIV_AES,
	    "AES, AES-192, AES-256, AES-192-C or AES-256-C");
	if (p == CFG_PRIV_DES) {
		cfg_node_error(ctx, cfg_map_get(m, "priv_protocol"),
		    "priv_protocol: DES is refused: its 56-bit key falls to "
		    "exhaustive search, so it only pretends to hide the "
		    "traffic; use AES");
		p = CFG_PRIV_AES;
	}
	has_auth = user_secret(ctx, m, "auth_password", "auth_key",
	    &u->cu_auth_password,
	    u->cu_auth_key, &u->cu_auth_key_len,
	    usm_auth_key_len(auth_usm[a]), 0);
	/* A localized privacy key: the cipher's length, or Kul's. */
	has_priv = user_secret(ctx, m, "priv_password", "priv_key",
	    &u->cu_priv_password,
	    u->cu_priv_key, &u->cu_priv_key_len,
	    usm_priv_key_len(priv_usm[p]), usm_auth_key_len(auth_usm[a]));
	if (has_auth)
		u->cu_auth_proto = (enum cfg_auth_proto)a;
	else if (cfg_map_get(m, "auth_protocol") != NULL)
		cfg_node_error(ctx, cfg_map_get(m, "auth_protocol"),
		    "auth_protocol: needs auth_password or auth_key");
	if (has_priv && has_auth)
		u->cu_priv_proto = (enum cfg_priv_proto)p;
	else if (has_priv)
		cfg_node_error(ctx, m, "user: privacy needs authentication "
		    "too (RFC 3414 sec. 3.1): give auth_password or "
		    "auth_key");
	else if (cfg_map_get(m, "priv_protocol") != NULL)
		cfg_node_error(ctx, cfg_map_get(m, "priv_protocol"),
		    "priv_protocol: needs priv_password or priv_key");

	most = u->cu_priv_proto != CFG_PRIV_NONE ? CFG_AUTHPRIV :
	    u->cu_auth_proto != CFG_AUTH_NONE ? CFG_AUTHNOPRIV : CFG_NOAUTH;
	u->cu_level = most;
	if ((v = cfg_map_get(m, "level")) != NULL) {
		if ((i = cfg_word_index(v, cfg_level_names)) == -1)
			cfg_node_error(ctx, v, "level: expected noAuthNoPriv, "
			    "authNoPriv or authPriv, got %s",
			    cfg_node_describe(v, what, sizeof(what)));
		else if ((enum cfg_sec_level)i > most)
			cfg_node_error(ctx, v, "level: %s needs %s",
			    cfg_level_names[i], i == CFG_AUTHPRIV ?
			    "auth and priv secrets" : "an auth secret");
		else
			u->cu_level = (enum cfg_sec_level)i;
	}
	if ((v = cfg_map_get(m, "view")) != NULL)
		cfg_view_parse(ctx, v, &u->cu_view);
	if ((v = cfg_map_get(m, "expose_cmdline")) != NULL) {
		bool b;

		if (cfg_get_bool(ctx, v, "expose_cmdline", &b) == 0)
			u->cu_expose_cmdline = b;
	}
}

static void
agent_users(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *seq)
{
	const struct cfg_node **at = NULL;
	char **names = NULL, what[80];
	bool *dup = NULL;
	size_t i, named = 0;

	if (cfg_expect_seq(ctx, seq, "users") == -1)
		return;
	if (seq->n_nkids > CFG_USERS_MAX) {
		cfg_node_error(ctx, seq, "users: more than %d", CFG_USERS_MAX);
		return;
	}
	if (seq->n_nkids == 0)
		return;
	if ((ca->ca_users = calloc(seq->n_nkids, sizeof(*ca->ca_users))) ==
	    NULL || (at = calloc(seq->n_nkids, sizeof(*at))) == NULL ||
	    (names = calloc(seq->n_nkids, sizeof(*names))) == NULL ||
	    (dup = calloc(seq->n_nkids, sizeof(*dup))) == NULL) {
		cfg_node_error(ctx, seq, "users: out of memory");
		goto out;
	}
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i];
		struct cfg_user *u = &ca->ca_users[ca->ca_nusers];

		if (cfg_expect_map(ctx, m, "users") == -1)
			continue;
		user_parse(ctx, m, u);
		ca->ca_nusers++;
		if (u->cu_name != NULL) {
			at[named] = cfg_map_get(m, "name");
			names[named++] = u->cu_name;
		}
	}
	if (cfg_dups_mark(names, named, dup) == -1) {
		cfg_node_error(ctx, seq, "users: out of memory");
		goto out;
	}
	for (i = 0; i < named; i++)
		if (dup[i])
			cfg_node_error(ctx, at[i], "name: duplicate user %s",
			    cfg_node_describe(at[i], what, sizeof(what)));
out:
	free(at);
	free(names);
	free(dup);
}

void
cfg_agent_v3_fill(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *root)
{
	const struct cfg_node *v;
	const char *errstr;
	char what[80];
	int n;

	if ((v = cfg_map_get(root, "engine_id")) != NULL && !cfg_is_null(v)) {
		if (v->n_kind != CFG_NODE_SCALAR ||
		    (n = hex_decode(v->n_str, ca->ca_engine_id,
		    sizeof(ca->ca_engine_id))) < 0)
			cfg_node_error(ctx, v, "engine_id: expected 5 to 32 "
			    "octets in hex, got %s", cfg_node_describe(v,
			    what, sizeof(what)));
		else if (!snmp_v3_engine_id_valid(ca->ca_engine_id,
		    (size_t)n, &errstr))
			cfg_node_error(ctx, v, "engine_id: %s (RFC 3411 "
			    "sec. 5)", errstr);
		else
			ca->ca_engine_id_len = (size_t)n;
	}
	if ((v = cfg_map_get(root, "state_dir")) != NULL &&
	    cfg_get_str(ctx, v, "state_dir", &ca->ca_state_dir) == 0 &&
	    ca->ca_state_dir[0] != '/')
		cfg_node_error(ctx, v, "state_dir: expected an absolute path, "
		    "got %s", cfg_node_describe(v, what, sizeof(what)));
	if ((v = cfg_map_get(root, "users")) != NULL)
		agent_users(ctx, ca, v);
}

bool
cfg_agent_reads_cmdline(const struct cfg_agent *ca)
{
	size_t i;

	if (ca->ca_expose_cmdline)
		return true;
	for (i = 0; i < ca->ca_nusers; i++)
		if (ca->ca_users[i].cu_expose_cmdline > 0)
			return true;
	return false;
}

bool
cfg_agent_has_secrets(const struct cfg_agent *ca)
{
	size_t i;

	for (i = 0; i < ca->ca_nusers; i++)
		if (ca->ca_users[i].cu_auth_proto != CFG_AUTH_NONE)
			return true;
	return false;
}
