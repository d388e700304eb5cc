/*
 * poll_sess: the net-snmp side of the poll engine that runs once, at start-up: the
 * library's quiet init, RLIMIT_NOFILE, SNMPv3 keys (Ku derived once per
 * credential set, not per session as Zabbix does) and opening one single
 * session per target.  Also the registry of SNMPv3 users by engineID: the
 * USM user table is process-global and keyed by (engineID, user), so two
 * targets answering with one engineID under different passwords would
 * silently share the first one's keys; we refuse the second instead.
 * Declared in poll.h ("internal to poll").
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/poll_int.h"
#include "lib/addr.h"
#include "lib/log.h"

#define POLL_SNMP_APP		"proctel-collector"
/* Descriptors beyond one per target: stdio, sinks, alerts, epoll. */
#define POLL_FD_MARGIN		64

static bool poll_lib_ready;

static int
poll_snmp_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	size_t len;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m == NULL || m->msg == NULL)
		return 0;
	len = strlen(m->msg);
	while (len > 0 && (m->msg[len - 1] == '\n' || m->msg[len - 1] == '\r'))
		len--;
	if (len == 0)
		return 0;
	/* Its errors become our warnings; its notices (files, dirs) debug. */
	if (m->priority <= LOG_ERR)
		log_warnx("net-snmp: %.*s", (int)len, m->msg);
	else
		log_debug("net-snmp: %.*s", (int)len, m->msg);
	return 0;
}

/*
 * The variables net-snmp's init reads to find configuration, persistent
 * state and MIBs.  We point them at an empty directory of ours for
 * init_snmp() only, then give the operator's values back: the library
 * keeps what it read in its own settings, and alert commands inherit the
 * environment, where a MIBDIRS of ours (a directory removed after init)
 * broke `snmpget -m IF-MIB` and made net-snmp create it again as root.
 */
static const char *const poll_snmp_env[] = { "SNMPCONFPATH",
	"SNMP_PERSISTENT_DIR", "SNMP_PERSISTENT_FILE", "MIBDIRS", "MIBS",
	"MIBFILES", NULL };

#define POLL_SNMP_NENV	(sizeof(poll_snmp_env) / sizeof(poll_snmp_env[0]))

/* Save the operator's values of poll_snmp_env; -1 on ENOMEM. */
static int
poll_env_save(char **saved)
{
	const char *v;
	size_t i;

	for (i = 0; poll_snmp_env[i] != NULL; i++) {
		saved[i] = NULL;
		if ((v = getenv(poll_snmp_env[i])) != NULL &&
		    (saved[i] = strdup(v)) == NULL)
			return -1;
	}
	return 0;
}

/* Put the operator's values back (unset what was unset); frees saved. */
static void
poll_env_restore(char **saved)
{
	size_t i;

	for (i = 0; poll_snmp_env[i] != NULL; i++) {
		if (saved[i] != NULL)
			(void)setenv(poll_snmp_env[i], saved[i], 1);
		else
			(void)unsetenv(poll_snmp_env[i]);
		free(saved[i]);
		saved[i] = NULL;
	}
}

/*
 * Quiet, deterministic init (notes section 6): no config files but an empty
 * directory of ours, no persistent state read or written (both LOAD and
 * SAVE: SAVE alone still writes), no MIB modules, logs through ours.  The
 * directories are also set in the library's own settings, so nothing it
 * looks up after init goes back to the environment.
 */
int
poll_sess_lib_init(char *err, size_t errlen)
{
	char dir[] = "/tmp/proctel-collector.XXXXXX", sub[64];
	char *saved[POLL_SNMP_NENV];
	int n;

	if (poll_lib_ready)
		return 0;
	memset(saved, 0, sizeof(saved));
	if (poll_env_save(saved) == -1) {
		poll_env_restore(saved);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (mkdtemp(dir) == NULL) {
		snprintf(err, errlen, "mkdtemp %s: %s", dir, strerror(errno));
		poll_env_restore(saved);
		return -1;
	}
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    poll_snmp_log, NULL);
	snmp_enable_calllog();
	(void)unsetenv("SNMP_PERSISTENT_FILE");
	(void)unsetenv("MIBFILES");
	setenv("SNMPCONFPATH", dir, 1);
	setenv("SNMP_PERSISTENT_DIR", dir, 1);
	setenv("MIBDIRS", dir, 1);
	setenv("MIBS", "", 1);
	set_configuration_directory(dir);
	set_persistent_directory(dir);
	netsnmp_set_mib_directory(dir);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_CHECK_RANGE, 1);
	init_snmp(POLL_SNMP_APP);
	poll_env_restore(saved);
	/* Nothing is read or written there after init; init made cert_indexes. */
	n = snprintf(sub, sizeof(sub), "%s/cert_indexes", dir);
	if (n > 0 && (size_t)n < sizeof(sub))
		(void)rmdir(sub);
	(void)rmdir(dir);
	poll_lib_ready = true;
	return 0;
}

int
poll_sess_nofile(size_t ntargets, char *err, size_t errlen)
{
	struct rlimit rl;
	size_t need = ntargets + POLL_FD_MARGIN;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		snprintf(err, errlen, "getrlimit: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		/* Only root may raise the hard limit; try, then give up. */
		struct rlimit want = { need, need };

		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			return 0;
		snprintf(err, errlen, "%zu targets need %zu file descriptors, "
		    "the limit is %llu (raise LimitNOFILE / ulimit -n, or "
		    "use --shard)", ntargets, need,
		    (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		snprintf(err, errlen, "setrlimit NOFILE %zu: %s", need,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Ku from a passphrase costs 1 MiB of hashing: once per credential set. */
struct poll_key {
	enum cfg_auth_proto	 pk_proto;
	const char		*pk_pass;
	u_char			 pk_ku[USM_AUTH_KU_LEN];
	size_t			 pk_len;
};

struct poll_keys {
	struct poll_key		*pks_keys;
	size_t			 pks_n;
};

struct poll_keys *
poll_keys_new(void)
{
	return calloc(1, sizeof(struct poll_keys));
}

void
poll_keys_free(struct poll_keys *ks)
{
	if (ks == NULL)
		return;
	free(ks->pks_keys);
	free(ks);
}

static oid *
poll_auth_oid(enum cfg_auth_proto p, size_t *len)
{
	*len = USM_AUTH_PROTO_MD5_LEN;
	switch (p) {
	case CFG_AUTH_MD5:
		return usmHMACMD5AuthProtocol;
	case CFG_AUTH_SHA:
		return usmHMACSHA1AuthProtocol;
	case CFG_AUTH_SHA224:
		return usmHMAC128SHA224AuthProtocol;
	case CFG_AUTH_SHA256:
		return usmHMAC192SHA256AuthProtocol;
	case CFG_AUTH_SHA384:
		return usmHMAC256SHA384AuthProtocol;
	case CFG_AUTH_SHA512:
		return usmHMAC384SHA512AuthProtocol;
	case CFG_AUTH_NONE:
		break;
	}
	*len = USM_AUTH_PROTO_NOAUTH_LEN;
	return usmNoAuthProtocol;
}

static oid *
poll_priv_oid(enum cfg_priv_proto p, size_t *len)
{
	switch (p) {
	case CFG_PRIV_DES:
		*len = sizeof(usmDESPrivProtocol) / sizeof(oid);
		return usmDESPrivProtocol;
	case CFG_PRIV_AES:
		*len = sizeof(usmAESPrivProtocol) / sizeof(oid);
		return usmAESPrivProtocol;
	case CFG_PRIV_AES192:
		*len = sizeof(usmAES192PrivProtocol) / sizeof(oid);
		return usmAES192PrivProtocol;
	case CFG_PRIV_AES256:
		*len = sizeof(usmAES256PrivProtocol) / sizeof(oid);
		return usmAES256PrivProtocol;
	/* Reeder's key extension: net-snmp's "Cisco" protocols. */
	case CFG_PRIV_AES192C:
		*len = sizeof(usmAES192CiscoPrivProtocol) / sizeof(oid);
		return usmAES192CiscoPrivProtocol;
	case CFG_PRIV_AES256C:
		*len = sizeof(usmAES256CiscoPrivProtocol) / sizeof(oid);
		return usmAES256CiscoPrivProtocol;
	case CFG_PRIV_NONE:
		break;
	}
	*len = sizeof(usmNoPrivProtocol) / sizeof(oid);
	return usmNoPrivProtocol;
}

static const struct poll_key *
poll_key_get(struct poll_keys *ks, enum cfg_auth_proto proto,
    const char *pass)
{
	struct poll_key *k, *nk;
	size_t i, plen;
	oid *ao;

	for (i = 0; i < ks->pks_n; i++) {
		k = &ks->pks_keys[i];
		if (k->pk_proto == proto && strcmp(k->pk_pass, pass) == 0)
			return k;
	}
	nk = realloc(ks->pks_keys, (ks->pks_n + 1) * sizeof(*nk));
	if (nk == NULL)
		return NULL;
	ks->pks_keys = nk;
	k = &nk[ks->pks_n];
	memset(k, 0, sizeof(*k));
	k->pk_proto = proto;
	k->pk_pass = pass;
	k->pk_len = sizeof(k->pk_ku);
	ao = poll_auth_oid(proto, &plen);
	if (generate_Ku(ao, (u_int)plen, (const u_char *)pass, strlen(pass),
	    k->pk_ku, &k->pk_len) != SNMPERR_SUCCESS)
		return NULL;
	ks->pks_n++;
	return k;
}

void *
poll_sess_open(const struct cfg_target *ct, struct poll_keys *ks, int *fd,
    char *err, size_t errlen)
{
	const struct cfg_target_opts *to = &ct->ct_opts;
	netsnmp_session s;
	char peer[96], addr[80];
	const struct poll_key *k;
	void *sess;
	size_t len;
	int n;
	snmp_sess_init(&s);
	addr_format((const struct sockaddr *)&ct->ct_addr, addr, sizeof(addr));
	n = snprintf(peer, sizeof(peer), "%s:%s",
	    ct->ct_addr.ss_family == AF_INET6 ? "udp6" : "udp", addr);
	if (n < 0 || (size_t)n >= sizeof(peer)) {
		snprintf(err, errlen, "target %s: address too long", ct->ct_name);
		return NULL;
	}
	s.peername = peer;
	s.retries = 0;
	s.timeout = (long)to->to_timeout_ms * 1000L;
	s.callback = NULL;
	switch (to->to_version) {
	case CFG_V1:
		s.version = SNMP_VERSION_1;
		break;
	case CFG_V3:
		s.version = SNMP_VERSION_3;
		break;
	default:
		s.version = SNMP_VERSION_2c;
		break;
	}
	if (to->to_version != CFG_V3) {
		s.community = (u_char *)to->to_community;
		s.community_len = to->to_community ? strlen(to->to_community) : 0;
	} else {
		const struct cfg_security *sec = &to->to_security;

		s.flags |= SNMP_FLAGS_DONT_PROBE;
		s.securityModel = SNMP_SEC_MODEL_USM;
		s.securityName = sec->cs_user ? sec->cs_user : (char *)"";
		s.securityNameLen = strlen(s.securityName);
		s.securityLevel = sec->cs_level == CFG_AUTHPRIV ?
		    SNMP_SEC_LEVEL_AUTHPRIV : sec->cs_level == CFG_AUTHNOPRIV ?
		    SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
		if (sec->cs_level != CFG_NOAUTH) {
			s.securityAuthProto = poll_auth_oid(sec->cs_auth_proto,
			    &len);
			s.securityAuthProtoLen = len;
			k = poll_key_get(ks, sec->cs_auth_proto,
			    sec->cs_auth_password ? sec->cs_auth_password : "");
			if (k == NULL)
				goto keyfail;
			memcpy(s.securityAuthKey, k->pk_ku, k->pk_len);
			s.securityAuthKeyLen = k->pk_len;
		}
		if (sec->cs_level == CFG_AUTHPRIV) {
			s.securityPrivProto = poll_priv_oid(sec->cs_priv_proto,
			    &len);
			s.securityPrivProtoLen = len;
			/* RFC 3414: the privacy key uses the auth hash. */
			k = poll_key_get(ks, sec->cs_auth_proto,
			    sec->cs_priv_password ? sec->cs_priv_password : "");
			if (k == NULL)
				goto keyfail;
			memcpy(s.securityPrivKey, k->pk_ku, k->pk_len);
			s.securityPrivKeyLen = k->pk_len;
		}
	}
	if ((sess = snmp_sess_open(&s)) == NULL) {
		snprintf(err, errlen, "target %s: cannot open session to %s: %s",
		    ct->ct_name, peer, snmp_api_errstring(s.s_snmp_errno));
		return NULL;
	}
	*fd = snmp_sess_transport(sess)->sock;
	return sess;
keyfail:
	snprintf(err, errlen, "target %s: cannot derive the SNMPv3 key",
	    ct->ct_name);
	return NULL;
}

/* RFC 3411: snmpEngineID is 5..32 octets; keep room for odd agents. */
#define POLL_ENGINEID_MAX	64
/* usm*Protocol OIDs are 10 sub-identifiers long. */
#define POLL_PROTO_OID_MAX	16

struct poll_v3user {
	u_char		 vu_engine[POLL_ENGINEID_MAX];
	size_t		 vu_elen;
	char		*vu_user;
	int		 vu_level;
	oid		 vu_authproto[POLL_PROTO_OID_MAX];
	size_t		 vu_authprotolen;
	oid		 vu_privproto[POLL_PROTO_OID_MAX];
	size_t		 vu_privprotolen;
	u_char		 vu_auth[USM_AUTH_KU_LEN];
	size_t		 vu_alen;
	u_char		 vu_priv[USM_PRIV_KU_LEN];
	size_t		 vu_plen;
	uint32_t	 vu_tid;
};

struct poll_v3reg {
	struct poll_v3user	*r_users;
	size_t			 r_n;
};

struct poll_v3reg *
poll_v3reg_new(void)
{
	return calloc(1, sizeof(struct poll_v3reg));
}

void
poll_v3reg_free(struct poll_v3reg *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->r_n; i++)
		free(r->r_users[i].vu_user);
	free(r->r_users);
	free(r);
}

/*
 * Compare by value: snmp_sess_open() gives every session its own copy of
 * the protocol OIDs, so two targets with one credential set never share
 * the pointers.
 */
static bool
poll_v3_same(const struct poll_v3user *u, const netsnmp_session *sp)
{
	return u->vu_level == sp->securityLevel &&
	    snmp_oid_compare(u->vu_authproto, u->vu_authprotolen,
	    sp->securityAuthProto, sp->securityAuthProtoLen) == 0 &&
	    snmp_oid_compare(u->vu_privproto, u->vu_privprotolen,
	    sp->securityPrivProto, sp->securityPrivProtoLen) == 0 &&
	    u->vu_alen == sp->securityAuthKeyLen &&
	    u->vu_plen == sp->securityPrivKeyLen &&
	    memcmp(u->vu_auth, sp->securityAuthKey, u->vu_alen) == 0 &&
	    memcmp(u->vu_priv, sp->securityPrivKey, u->vu_plen) == 0;
}

int
poll_sess_v3_user(struct poll_v3reg *r, void *sess, uint32_t tid,
    uint32_t *other)
{
	netsnmp_session *sp = snmp_sess_session(sess);
	struct poll_v3user *u, *nu;
	size_t i;

	if (sp->securityEngineIDLen == 0 || sp->securityName == NULL)
		return -1;
	for (i = 0; i < r->r_n; i++) {
		u = &r->r_users[i];
		if (u->vu_elen != sp->securityEngineIDLen ||
		    memcmp(u->vu_engine, sp->securityEngineID, u->vu_elen) != 0 ||
		    strcmp(u->vu_user, sp->securityName) != 0)
			continue;
		if (!poll_v3_same(u, sp)) {
			*other = u->vu_tid;
			return -2;
		}
		return 0;	/* the same user is already in USM's table */
	}
	/* Zabbix does the same after its own probe. */
	if (sp->engineBoots != 0 || sp->engineTime != 0)
		(void)set_enginetime(sp->securityEngineID,
		    (u_int)sp->securityEngineIDLen, sp->engineBoots,
		    sp->engineTime, 1);
	if (create_user_from_session(sp) != SNMPERR_SUCCESS)
		return -1;
	if (sp->securityEngineIDLen > POLL_ENGINEID_MAX ||
	    sp->securityAuthProtoLen > POLL_PROTO_OID_MAX ||
	    sp->securityPrivProtoLen > POLL_PROTO_OID_MAX)
		return 0;	/* not remembered: no conflict check */
	nu = realloc(r->r_users, (r->r_n + 1) * sizeof(*nu));
	if (nu == NULL)
		return 0;
	r->r_users = nu;
	u = &nu[r->r_n];
	memset(u, 0, sizeof(*u));
	if ((u->vu_user = strdup(sp->securityName)) == NULL)
		return 0;
	memcpy(u->vu_engine, sp->securityEngineID, sp->securityEngineIDLen);
	u->vu_elen = sp->securityEngineIDLen;
	u->vu_level = sp->securityLevel;
	if (sp->securityAuthProtoLen > 0)
		memcpy(u->vu_authproto, sp->securityAuthProto,
		    sp->securityAuthProtoLen * sizeof(oid));
	u->vu_authprotolen = sp->securityAuthProtoLen;
	if (sp->securityPrivProtoLen > 0)
		memcpy(u->vu_privproto, sp->securityPrivProto,
		    sp->securityPrivProtoLen * sizeof(oid));
	u->vu_privprotolen = sp->securityPrivProtoLen;
	u->vu_alen = sp->securityAuthKeyLen;
	memcpy(u->vu_auth, sp->securityAuthKey, u->vu_alen);
	u->vu_plen = sp->securityPrivKeyLen;
	memcpy(u->vu_priv, sp->securityPrivKey, u->vu_plen);
	u->vu_tid = tid;
	r->r_n++;
	return 0;
}

void
poll_sess_v3_forget(void *sess)
{
	netsnmp_session *sp = snmp_sess_session(sess);

	SNMP_FREE(sp->securityEngineID);
	sp->securityEngineIDLen = 0;
	SNMP_FREE(sp->contextEngineID);
	sp->contextEngineIDLen = 0;
	/* Else create_user_from_session() does nothing the second time. */
	sp->flags &= ~SNMP_FLAGS_USER_CREATED;
}
