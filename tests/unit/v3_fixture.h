/*
 * v3_fixture: what the SNMPv3 unit tests (test_usm.c, test_v3.c,
 * test_agent_v3*.c) and the fuzz target fuzz_v3.c share, one copy: the
 * datagrams captured between net-snmp 5.9.3 / pysnmp and snmpd (the hex
 * files of tests/vectors/usm/, from /work/shared/notes/usm.md), the
 * engine ID and password they were made with, and the users of that
 * snmpd as agent.yaml would hold them.  Static and header-only, like the
 * harness.  No assertions: loaders return 0 on a missing file.
 */
#ifndef PT_V3_FIXTURE_H
#define PT_V3_FIXTURE_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "snmp/usm.h"
#include "snmp/v3.h"
#include "tests/unit/test_util.h"

#define V3F_UNUSED	__attribute__((unused))

#define V3F_DIR		"tests/vectors/usm"
/* snmpd's "engineID proctel": enterprise 8072, format 4 (text). */
#define V3F_ENGINE	"80001f880470726f6374656c"
#define V3F_PASSWORD	"maplesyrup"
/* RFC 3414 A.3's engine ID. */
#define V3F_RFC_ENGINE	"000000000000000000000002"

/*
 * A capture file: line 1 a "# ..." description, then hex with any white
 * space.  Returns the datagram's length, 0 when missing or malformed.
 */
V3F_UNUSED static size_t
v3f_load(const char *name, uint8_t *buf, size_t cap)
{
	char path[256], line[512], hexbuf[8192];
	size_t n = 0, i;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s.hex", V3F_DIR, name) >=
	    (int)sizeof(path) || (f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		for (i = 0; line[i] != '\0'; i++)
			if (isxdigit((unsigned char)line[i]) &&
			    n < sizeof(hexbuf) - 1)
				hexbuf[n++] = (char)tolower(line[i]);
	}
	fclose(f);
	hexbuf[n] = '\0';
	if (n == 0 || n % 2 != 0 || n / 2 > cap)
		return 0;
	return hex(hexbuf, buf, cap);
}

/* The users of the capturing snmpd, every password "maplesyrup". */
struct v3f_user {
	const char		*name;
	enum cfg_auth_proto	 auth;
	enum cfg_priv_proto	 priv;
};

/*
 * umd5 had MD5/DES there; the agent refuses DES, so here it is MD5 with
 * authentication only, and its authPriv request earns
 * unsupportedSecLevels.
 */
static const struct v3f_user v3f_users[] = {
	{ "usha256", CFG_AUTH_SHA256, CFG_PRIV_AES },
	{ "umd5", CFG_AUTH_MD5, CFG_PRIV_NONE },
	{ "usha", CFG_AUTH_SHA, CFG_PRIV_AES },
	{ "usha224", CFG_AUTH_SHA224, CFG_PRIV_AES },
	{ "usha384", CFG_AUTH_SHA384, CFG_PRIV_AES },
	{ "usha512", CFG_AUTH_SHA512, CFG_PRIV_AES },
	{ "ua192", CFG_AUTH_SHA, CFG_PRIV_AES192 },
	{ "ua256", CFG_AUTH_SHA, CFG_PRIV_AES256 },
	{ "ua256md5", CFG_AUTH_MD5, CFG_PRIV_AES256 },
	{ "uauth", CFG_AUTH_SHA, CFG_PRIV_NONE },
	{ "unoauth", CFG_AUTH_NONE, CFG_PRIV_NONE },
};
#define V3F_NUSERS	(sizeof(v3f_users) / sizeof(v3f_users[0]))

/* The users above as config entries (static storage, reused per call). */
V3F_UNUSED static struct cfg_user *
v3f_cfg_users(void)
{
	static struct cfg_user cu[V3F_NUSERS];
	static char pw[] = V3F_PASSWORD;
	size_t i;

	memset(cu, 0, sizeof(cu));
	for (i = 0; i < V3F_NUSERS; i++) {
		cu[i].cu_name = (char *)(uintptr_t)v3f_users[i].name;
		cu[i].cu_auth_proto = v3f_users[i].auth;
		cu[i].cu_priv_proto = v3f_users[i].priv;
		if (v3f_users[i].auth != CFG_AUTH_NONE)
			cu[i].cu_auth_password = pw;
		if (v3f_users[i].priv != CFG_PRIV_NONE)
			cu[i].cu_priv_password = pw;
		cu[i].cu_level = v3f_users[i].priv != CFG_PRIV_NONE ?
		    CFG_AUTHPRIV : v3f_users[i].auth != CFG_AUTH_NONE ?
		    CFG_AUTHNOPRIV : CFG_NOAUTH;
		cu[i].cu_view.cv_all = true;
		cu[i].cu_expose_cmdline = -1;
	}
	return cu;
}

V3F_UNUSED static enum usm_auth
v3f_usm_auth(enum cfg_auth_proto a)
{
	static const enum usm_auth map[] = { USM_AUTH_NONE, USM_AUTH_MD5,
	    USM_AUTH_SHA1, USM_AUTH_SHA224, USM_AUTH_SHA256, USM_AUTH_SHA384,
	    USM_AUTH_SHA512 };

	return map[a];
}

V3F_UNUSED static enum usm_priv
v3f_usm_priv(enum cfg_priv_proto p)
{
	static const enum usm_priv map[] = { USM_PRIV_NONE, USM_PRIV_NONE,
	    USM_PRIV_AES128, USM_PRIV_AES192, USM_PRIV_AES256,
	    USM_PRIV_AES192_REEDER, USM_PRIV_AES256_REEDER };

	return map[p];
}

/*
 * The capture user called name[0..len), or NULL.  "nosuchuser" (capture
 * 11) was made with usha256's protocols.
 */
V3F_UNUSED static const struct v3f_user *
v3f_user_find(const uint8_t *name, size_t len)
{
	size_t i;

	if (len == 10 && memcmp(name, "nosuchuser", 10) == 0)
		return &v3f_users[0];
	for (i = 0; i < V3F_NUSERS; i++)
		if (strlen(v3f_users[i].name) == len &&
		    memcmp(v3f_users[i].name, name, len) == 0)
			return &v3f_users[i];
	return NULL;
}

/*
 * Keys for user u at the engine ID eid, from the two passwords (NULL: the
 * capture password); priv DES becomes none.  Returns usm_keys_set's code.
 */
V3F_UNUSED static int
v3f_keys(const struct v3f_user *u, const uint8_t *eid, size_t eidlen,
    const char *auth_pw, const char *priv_pw, struct usm_keys *k)
{
	enum usm_auth a = v3f_usm_auth(u->auth);
	enum usm_priv p = v3f_usm_priv(u->priv);
	uint8_t ku[USM_KEY_MAX], akul[USM_KEY_MAX], pkul[USM_KEY_MAX];
	uint8_t pkey[USM_PRIV_KEY_MAX];

	if (auth_pw == NULL)
		auth_pw = V3F_PASSWORD;
	if (priv_pw == NULL)
		priv_pw = V3F_PASSWORD;
	if (a != USM_AUTH_NONE && (usm_password_to_key(a, auth_pw,
	    strlen(auth_pw), ku) != 0 ||
	    usm_key_localize(a, ku, eid, eidlen, akul) != 0))
		return -1;
	if (p != USM_PRIV_NONE && (usm_password_to_key(a, priv_pw,
	    strlen(priv_pw), ku) != 0 ||
	    usm_key_localize(a, ku, eid, eidlen, pkul) != 0 ||
	    usm_priv_key_derive(a, p, pkul, eid, eidlen, pkey) != 0))
		return -1;
	return usm_keys_set(k, a, akul, p, pkey);
}

#endif /* PT_V3_FIXTURE_H */
