/*
 * test_usm: snmp/usm.c, the USM cryptography, against published vectors
 * (RFC 3414 A.3, the AES-CFB vector of usm.md sec. 8) and differentially
 * against net-snmp's own code (libnetsnmp 5.9: generate_Ku, generate_kul,
 * netsnmp_extend_kul, sc_generate_keyed_hash, sc_encrypt; test-only link,
 * as test_pdu_netsnmp.c) over every auth protocol, several passwords and
 * engine IDs, and every privacy key size.  Not here: keys at work on the
 * captured datagrams (test_v3.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/keytools.h>
#include <net-snmp/library/scapi.h>
#include <net-snmp/library/transform_oids.h>

#include "snmp/usm.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "tests/unit/v3_fixture.h"

#define NAUTH	6

static const enum usm_auth auths[NAUTH] = { USM_AUTH_MD5, USM_AUTH_SHA1,
	USM_AUTH_SHA224, USM_AUTH_SHA256, USM_AUTH_SHA384, USM_AUTH_SHA512 };

/* net-snmp's OID for each of auths[]. */
static oid *
ns_auth_oid(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_MD5:
		return usmHMACMD5AuthProtocol;
	case USM_AUTH_SHA1:
		return usmHMACSHA1AuthProtocol;
	case USM_AUTH_SHA224:
		return usmHMAC128SHA224AuthProtocol;
	case USM_AUTH_SHA256:
		return usmHMAC192SHA256AuthProtocol;
	case USM_AUTH_SHA384:
		return usmHMAC256SHA384AuthProtocol;
	default:
		return usmHMAC384SHA512AuthProtocol;
	}
}

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	return hex(s, out, cap);
}

static void
check_keys(enum usm_auth a, const char *eid, const char *ku_hex,
    const char *kul_hex)
{
	uint8_t e[32], ku[USM_KEY_MAX], kul[USM_KEY_MAX], want[USM_KEY_MAX];
	size_t elen = unhex(eid, e, sizeof(e)), n;

	CHECK_INT(usm_password_to_key(a, V3F_PASSWORD, strlen(V3F_PASSWORD),
	    ku), ==, 0);
	n = unhex(ku_hex, want, sizeof(want));
	CHECK_MEM(ku, usm_auth_key_len(a), want, n);
	CHECK_INT(usm_key_localize(a, ku, e, elen, kul), ==, 0);
	n = unhex(kul_hex, want, sizeof(want));
	CHECK_MEM(kul, usm_auth_key_len(a), want, n);
}

static void
rfc_3414_appendix_a3_vectors_give_the_published_md5_and_sha_keys(void)
{
	/* A.3.1 and A.3.2. */
	check_keys(USM_AUTH_MD5, V3F_RFC_ENGINE,
	    "9faf3283884e92834ebc9847d8edd963",
	    "526f5eed9fcce26f8964c2930787d82b");
	check_keys(USM_AUTH_SHA1, V3F_RFC_ENGINE,
	    "9fb5cc0381497b3793528939ff788d5d79145211",
	    "6695febc9288e36282235fc7151f128497b38f3f");
}

static void
sha2_keys_of_the_rfc_password_match_what_net_snmp_printed(void)
{
	/* usm.md sec. 4, computed by libnetsnmp and by hashlib. */
	check_keys(USM_AUTH_SHA224, V3F_RFC_ENGINE,
	    "282a5867ee9aac639ad59df9572c7d3ac0fbc13a905b6df07dbbf00b",
	    "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674");
	check_keys(USM_AUTH_SHA256, V3F_RFC_ENGINE,
	    "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac",
	    "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b");
	check_keys(USM_AUTH_SHA384, V3F_RFC_ENGINE,
	    "e06eccdf2c68a06ed034723c9c26e0db3b669e1e2efed49150b55377a2e98f38"
	    "3c86fb836857444654b287c93f51ff64",
	    "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f045"
	    "5a53689a3937eea07319a633d2ccba78");
	check_keys(USM_AUTH_SHA512, V3F_RFC_ENGINE,
	    "7e4396de5aadc77be853819b98c9406265b3a9c37cc3176569847a4e4f6fba63"
	    "dd3a73d04924d31a63f95a601f9385af6be4ed1b37f87d040f7c6ed6f8d38a91",
	    "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099"
	    "ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b");
	/* The capturing snmpd's SHA and SHA-256 users (its usmUser lines). */
	check_keys(USM_AUTH_SHA1, V3F_ENGINE,
	    "9fb5cc0381497b3793528939ff788d5d79145211",
	    "0cfec5fe86c277d3bb96c716b4360d8a0dfff8d0");
	check_keys(USM_AUTH_SHA256, V3F_ENGINE,
	    "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac",
	    "a962d82825d41af7749d81af2b732c62e1ab436577ec4b7d293a77b62e5640b4");
}

static const char *const passwords[] = { "maplesyrup", "12345678",
	"a much longer pass phrase with spaces, punctuation: and more "
	"than sixty-four characters in all, so chunks wrap unevenly",
	"\x01\xff binary \x80 octets" };
static const char *const engines[] = { V3F_RFC_ENGINE, V3F_ENGINE,
	"8000000001", "80001f8805c0ffee00112233445566778899aabbccddeeff0011"
	"22334455" };

static void
key_localization_equals_net_snmp_generate_ku_and_kul_for_every_protocol(void)
{
	uint8_t e[32], ku[USM_KEY_MAX], kul[USM_KEY_MAX];
	u_char nku[USM_KEY_MAX], nkul[USM_KEY_MAX];
	size_t i, j, k, elen, nkulen, nkullen;

	for (i = 0; i < NAUTH; i++)
		for (j = 0; j < sizeof(passwords) / sizeof(passwords[0]); j++)
			for (k = 0; k < sizeof(engines) / sizeof(engines[0]);
			    k++) {
				const char *pw = passwords[j];

				elen = unhex(engines[k], e, sizeof(e));
				nkulen = sizeof(nku);
				nkullen = sizeof(nkul);
				CHECK_INT(generate_Ku(ns_auth_oid(auths[i]),
				    USM_AUTH_PROTO_MD5_LEN,
				    (const u_char *)pw, strlen(pw), nku,
				    &nkulen), ==, SNMPERR_SUCCESS);
				CHECK_INT(generate_kul(ns_auth_oid(auths[i]),
				    USM_AUTH_PROTO_MD5_LEN, e, elen, nku,
				    nkulen, nkul, &nkullen), ==,
				    SNMPERR_SUCCESS);
				CHECK_INT(usm_password_to_key(auths[i], pw,
				    strlen(pw), ku), ==, 0);
				CHECK_INT(usm_key_localize(auths[i], ku, e,
				    elen, kul), ==, 0);
				CHECK_MEM(ku, usm_auth_key_len(auths[i]), nku,
				    nkulen);
				CHECK_MEM(kul, usm_auth_key_len(auths[i]),
				    nkul, nkullen);
			}
}

/* net-snmp's createUser flags for each privacy protocol of ours. */
static int
ns_priv_type(enum usm_priv p)
{
	switch (p) {
	case USM_PRIV_AES192:
		return USM_CREATE_USER_PRIV_AES192;
	case USM_PRIV_AES256:
		return USM_CREATE_USER_PRIV_AES256;
	case USM_PRIV_AES192_REEDER:
		return USM_CREATE_USER_PRIV_AES192_CISCO;
	case USM_PRIV_AES256_REEDER:
		return USM_CREATE_USER_PRIV_AES256_CISCO;
	default:
		return USM_CREATE_USER_PRIV_AES;
	}
}

static void
privacy_keys_equal_net_snmp_extend_kul_blumenthal_and_reeder(void)
{
	static const enum usm_priv privs[] = { USM_PRIV_AES128,
	    USM_PRIV_AES192, USM_PRIV_AES256, USM_PRIV_AES192_REEDER,
	    USM_PRIV_AES256_REEDER };
	uint8_t e[32], ku[USM_KEY_MAX], kul[USM_KEY_MAX];
	uint8_t key[USM_PRIV_KEY_MAX];
	u_char *nbuf;
	size_t i, j, k, elen, nlen, need;

	for (i = 0; i < NAUTH; i++)
		for (j = 0; j < sizeof(privs) / sizeof(privs[0]); j++)
			for (k = 0; k < 2; k++) {
				elen = unhex(engines[k], e, sizeof(e));
				CHECK_INT(usm_password_to_key(auths[i],
				    passwords[k], strlen(passwords[k]), ku),
				    ==, 0);
				CHECK_INT(usm_key_localize(auths[i], ku, e,
				    elen, kul), ==, 0);
				CHECK_INT(usm_priv_key_derive(auths[i],
				    privs[j], kul, e, elen, key), ==, 0);
				need = usm_priv_key_len(privs[j]);
				nlen = usm_auth_key_len(auths[i]);
				if ((nbuf = malloc(nlen)) == NULL)
					abort();
				memcpy(nbuf, kul, nlen);
				CHECK_INT(netsnmp_extend_kul((u_int)need,
				    ns_auth_oid(auths[i]),
				    USM_AUTH_PROTO_MD5_LEN,
				    ns_priv_type(privs[j]), e, (u_int)elen,
				    &nbuf, &nlen, (u_int)nlen), ==,
				    SNMPERR_SUCCESS);
				CHECK(nlen >= need);
				CHECK_MEM(key, need, nbuf, need);
				free(nbuf);
			}
}

static void
key_extensions_of_the_rfc_engine_match_usm_md_table(void)
{
	uint8_t e[32], ku[USM_KEY_MAX], kul[USM_KEY_MAX];
	uint8_t key[USM_PRIV_KEY_MAX], want[USM_PRIV_KEY_MAX];
	size_t elen = unhex(V3F_RFC_ENGINE, e, sizeof(e));

	/* MD5: Kul || fa24a92467426c2f... (Blumenthal), 79eff44a... (Reeder). */
	(void)usm_password_to_key(USM_AUTH_MD5, V3F_PASSWORD, 10, ku);
	(void)usm_key_localize(USM_AUTH_MD5, ku, e, elen, kul);
	CHECK_INT(usm_priv_key_derive(USM_AUTH_MD5, USM_PRIV_AES256, kul, e,
	    elen, key), ==, 0);
	unhex("526f5eed9fcce26f8964c2930787d82bfa24a92467426c2f4b09192be10dfaec",
	    want, sizeof(want));
	CHECK_MEM(key, 32, want, 32);
	CHECK_INT(usm_priv_key_derive(USM_AUTH_MD5, USM_PRIV_AES192_REEDER, kul,
	    e, elen, key), ==, 0);
	unhex("526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0", want,
	    sizeof(want));
	CHECK_MEM(key, 24, want, 24);
	/* SHA: Kul || 505e07eb (AES-192 Blumenthal). */
	(void)usm_password_to_key(USM_AUTH_SHA1, V3F_PASSWORD, 10, ku);
	(void)usm_key_localize(USM_AUTH_SHA1, ku, e, elen, kul);
	CHECK_INT(usm_priv_key_derive(USM_AUTH_SHA1, USM_PRIV_AES192, kul, e,
	    elen, key), ==, 0);
	unhex("6695febc9288e36282235fc7151f128497b38f3f505e07eb", want,
	    sizeof(want));
	CHECK_MEM(key, 24, want, 24);
	/* SHA-224: AES-256 needs 4 more octets, e82d9bf0. */
	(void)usm_password_to_key(USM_AUTH_SHA224, V3F_PASSWORD, 10, ku);
	(void)usm_key_localize(USM_AUTH_SHA224, ku, e, elen, kul);
	CHECK_INT(usm_priv_key_derive(USM_AUTH_SHA224, USM_PRIV_AES256, kul, e,
	    elen, key), ==, 0);
	CHECK_MEM(key, 28, kul, 28);
	unhex("e82d9bf0", want, sizeof(want));
	CHECK_MEM(key + 28, 4, want, 4);
}

/* Seeded: the same messages on every run. */
static uint64_t rng = 0x5eed5eed5eed5eedULL;

static uint8_t
rnd8(void)
{
	return (uint8_t)(tu_rnd(&rng) >> 56);
}

static void
hmac_equals_net_snmp_keyed_hash_with_the_rfc_truncations(void)
{
	static const size_t macs[NAUTH] = { 12, 12, 16, 24, 32, 48 };
	struct usm_keys k;
	uint8_t key[USM_KEY_MAX], msg[600], mine[600];
	u_char mac[USM_KEY_MAX];
	size_t i, len, off, maclen, j;

	for (i = 0; i < NAUTH; i++) {
		CHECK_U64(usm_auth_mac_len(auths[i]), ==, macs[i]);
		for (j = 0; j < usm_auth_key_len(auths[i]); j++)
			key[j] = rnd8();
		CHECK_INT(usm_keys_set(&k, auths[i], key, USM_PRIV_NONE, NULL),
		    ==, 0);
		for (len = macs[i]; len < sizeof(msg); len += 37) {
			for (j = 0; j < len; j++)
				msg[j] = rnd8();
			off = (len - macs[i]) / 2;
			memset(msg + off, 0, macs[i]);
			maclen = macs[i];
			CHECK_INT(sc_generate_keyed_hash(ns_auth_oid(auths[i]),
			    USM_AUTH_PROTO_MD5_LEN, key,
			    (u_int)usm_auth_key_len(auths[i]), msg,
			    (u_int)len, mac, &maclen), ==, SNMPERR_SUCCESS);
			memcpy(mine, msg, len);
			CHECK_INT(usm_auth_sign(&k, mine, len, off), ==, 0);
			CHECK_MEM(mine + off, macs[i], mac, macs[i]);
			CHECK_INT(usm_auth_verify(&k, mine, len, off), ==, 0);
			/* One flipped bit anywhere breaks it. */
			mine[(len * 7) % len] ^= 0x10;
			CHECK_INT(usm_auth_verify(&k, mine, len, off), ==,
			    USM_EDIGEST);
		}
		CHECK_INT(usm_auth_verify(&k, msg, 10, 5), ==, USM_EINVAL);
		usm_keys_wipe(&k);
	}
}

static void
aes_cfb_gives_the_openssl_vector_from_usm_md(void)
{
	static const char pt[] = "proctel: 37 bytes of AES-CFB plaintext";
	struct usm_keys k;
	uint8_t key[16], salt[8], buf[64], want[64];
	size_t n;

	unhex("000102030405060708090a0b0c0d0e0f", key, sizeof(key));
	unhex("f8f9fafbfcfdfeff", salt, sizeof(salt));
	CHECK_INT(usm_keys_set(&k, USM_AUTH_SHA1, key, USM_PRIV_AES128, key),
	    ==, 0);
	memcpy(buf, pt, 38);
	CHECK_INT(usm_priv_encrypt(&k, 0xf0f1f2f3, 0xf4f5f6f7, salt, 8, buf,
	    38), ==, 0);
	n = unhex("16d5a88b40375d72b762e927516fd9c8daa22aee84ab25349cafe40726"
	    "094ca027ba068300ce", want, sizeof(want));
	CHECK_MEM(buf, 38, want, n);
	CHECK_INT(usm_priv_decrypt(&k, 0xf0f1f2f3, 0xf4f5f6f7, salt, 8, buf,
	    38, buf), ==, 0);
	CHECK_MEM(buf, 38, pt, 38);
	CHECK_INT(usm_priv_decrypt(&k, 1, 2, salt, 7, buf, 38, buf), ==,
	    USM_ESALT);
	CHECK_INT(usm_priv_encrypt(&k, 1, 2, salt, 9, buf, 38), ==, USM_ESALT);
}

static void
aes_cfb_equals_net_snmp_sc_encrypt_for_every_key_size(void)
{
	static const enum usm_priv privs[] = { USM_PRIV_AES128,
	    USM_PRIV_AES192, USM_PRIV_AES256 };
	oid *ns[3];
	struct usm_keys k;
	uint8_t akey[20], key[32], salt[8], iv[16], pt[300], ct[300];
	uint8_t mine[300], back[300];
	size_t i, j, len, ctlen;
	uint32_t boots = 0x01020304, time = 0x7fffff00;

	ns[0] = usmAESPrivProtocol;
	ns[1] = usmAES192PrivProtocol;
	ns[2] = usmAES256PrivProtocol;
	for (i = 0; i < 20; i++)
		akey[i] = rnd8();
	for (i = 0; i < 3; i++) {
		for (j = 0; j < sizeof(key); j++)
			key[j] = rnd8();
		for (j = 0; j < sizeof(salt); j++)
			salt[j] = rnd8();
		CHECK_INT(usm_keys_set(&k, USM_AUTH_SHA1, akey, privs[i], key),
		    ==, 0);
		for (j = 0; j < 4; j++) {
			iv[j] = (uint8_t)(boots >> (24 - 8 * j));
			iv[4 + j] = (uint8_t)(time >> (24 - 8 * j));
		}
		memcpy(iv + 8, salt, 8);
		for (len = 1; len < sizeof(pt); len += 13) {
			for (j = 0; j < len; j++)
				pt[j] = rnd8();
			ctlen = sizeof(ct);
			CHECK_INT(sc_encrypt(ns[i], ns[i] == usmAESPrivProtocol ?
			    USM_PRIV_PROTO_AES_LEN : 9, key,
			    (u_int)usm_priv_key_len(privs[i]), iv, 16, pt,
			    (u_int)len, ct, &ctlen), ==, SNMPERR_SUCCESS);
			CHECK_U64(ctlen, ==, len);
			memcpy(mine, pt, len);
			CHECK_INT(usm_priv_encrypt(&k, boots, time, salt, 8,
			    mine, len), ==, 0);
			CHECK_MEM(mine, len, ct, ctlen);
			CHECK_INT(usm_priv_decrypt(&k, boots, time, salt, 8,
			    ct, len, back), ==, 0);
			CHECK_MEM(back, len, pt, len);
		}
		usm_keys_wipe(&k);
	}
}

static void
short_passwords_unknown_protocols_and_priv_without_auth_are_refused(void)
{
	struct usm_keys k;
	uint8_t ku[USM_KEY_MAX], key[32] = { 0 };

	CHECK_INT(usm_password_to_key(USM_AUTH_SHA1, "1234567", 7, ku), ==,
	    USM_EPASSWORD);
	CHECK_INT(usm_password_to_key(USM_AUTH_NONE, "12345678", 8, ku), ==,
	    USM_EINVAL);
	CHECK_INT(usm_key_localize((enum usm_auth)99, ku, key, 5, ku), ==,
	    USM_EINVAL);
	CHECK_INT(usm_keys_set(&k, USM_AUTH_NONE, NULL, USM_PRIV_AES128, key),
	    ==, USM_EINVAL);
	CHECK_INT(usm_priv_key_derive(USM_AUTH_SHA1, USM_PRIV_NONE, key, key,
	    5, key), ==, USM_EINVAL);
	CHECK_INT(usm_keys_set(&k, USM_AUTH_NONE, NULL, USM_PRIV_NONE, NULL),
	    ==, 0);
	CHECK_U64(usm_keys_mac_len(&k), ==, 0);
	CHECK_INT(usm_auth_sign(&k, key, sizeof(key), 0), ==, USM_EINVAL);
	CHECK_INT(usm_priv_encrypt(&k, 0, 0, key, 8, key, 8), ==, USM_EINVAL);
	CHECK_STR(usm_strerror(USM_EDIGEST), "message digest does not verify");
}

int
main(void)
{
	RUN(rfc_3414_appendix_a3_vectors_give_the_published_md5_and_sha_keys);
	RUN(sha2_keys_of_the_rfc_password_match_what_net_snmp_printed);
	RUN(key_localization_equals_net_snmp_generate_ku_and_kul_for_every_protocol);
	RUN(privacy_keys_equal_net_snmp_extend_kul_blumenthal_and_reeder);
	RUN(key_extensions_of_the_rfc_engine_match_usm_md_table);
	RUN(hmac_equals_net_snmp_keyed_hash_with_the_rfc_truncations);
	RUN(aes_cfb_gives_the_openssl_vector_from_usm_md);
	RUN(aes_cfb_equals_net_snmp_sc_encrypt_for_every_key_size);
	RUN(short_passwords_unknown_protocols_and_priv_without_auth_are_refused);
	return t_done();
}
