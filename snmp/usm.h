/*
 * usm: the cryptography of the User-based Security Model on Nettle.
 * Password to key and key localization (RFC 3414 sec. 2.6, A.2) for MD5,
 * SHA-1 and the SHA-2 family (RFC 7860); HMAC authentication with the
 * RFCs' truncations; AES in CFB-128 mode (RFC 3826) with 128-bit keys and
 * the 192/256-bit keys of net-snmp's "-x AES-192/AES-256" (the Blumenthal
 * draft's key extension) or of Cisco's and "-x AES-192-C" (Reeder's).
 * Keys are derived once, at load; per message nothing is allocated and no
 * key schedule is computed.  No I/O, no logging, no randomness (the salt
 * is the caller's), no hand-written cryptography.
 *
 * Not here, on purpose: DES-CBC (RFC 3414 sec. 8).  Its 56-bit key falls
 * to exhaustive search in hours, so a DES user's "privacy" protects
 * nothing while claiming to; the agent refuses DES users at load (the
 * config says why) rather than carry a cipher no one should choose.
 */
#ifndef PT_USM_H
#define PT_USM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/aes.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

/* usmUserAuthProtocol, RFC 3414 sec. 6 and RFC 7860 sec. 4. */
enum usm_auth {
	USM_AUTH_NONE = 0,
	USM_AUTH_MD5,		/* usmHMACMD5AuthProtocol, 96-bit MAC */
	USM_AUTH_SHA1,		/* usmHMACSHAAuthProtocol, 96 */
	USM_AUTH_SHA224,	/* usmHMAC128SHA224AuthProtocol, 128 */
	USM_AUTH_SHA256,	/* usmHMAC192SHA256AuthProtocol, 192 */
	USM_AUTH_SHA384,	/* usmHMAC256SHA384AuthProtocol, 256 */
	USM_AUTH_SHA512,	/* usmHMAC384SHA512AuthProtocol, 384 */
};

/* Privacy protocols: AES-CFB-128 with a key of 128, 192 or 256 bits. */
enum usm_priv {
	USM_PRIV_NONE = 0,
	USM_PRIV_AES128,	/* RFC 3826 usmAesCfb128Protocol */
	USM_PRIV_AES192,	/* draft-blumenthal-aes-usm-04, as net-snmp */
	USM_PRIV_AES256,
	USM_PRIV_AES192_REEDER,	/* draft-reeder-snmpv3-usm-3desede-00 ext. */
	USM_PRIV_AES256_REEDER,
};

/* Largest digest (SHA-512): Ku, Kul and an HMAC key. */
#define USM_KEY_MAX		64
/* Largest MAC on the wire (HMAC-SHA-512 truncated to 384 bits). */
#define USM_MAC_MAX		48
/* Largest privacy key (AES-256). */
#define USM_PRIV_KEY_MAX	32
/* msgPrivacyParameters: the 64-bit salt, RFC 3826 sec. 3.1.2.1. */
#define USM_SALT_LEN		8
/*
 * RFC 3414 sec. 11.2: passwords of fewer than 8 characters are refused
 * (net-snmp refuses them too); the 1 MB stretch does not make them safe.
 */
#define USM_PASSWORD_MIN	8

enum usm_error {
	USM_EINVAL = -80,	/* unknown protocol or a bad length */
	USM_EPASSWORD = -81,	/* password under USM_PASSWORD_MIN */
	USM_EDIGEST = -82,	/* the MAC does not verify */
	USM_ESALT = -83,	/* msgPrivacyParameters not 8 octets */
};

/*
 * The keys of one user, keyed once: the HMAC's inner and outer hash
 * states and the AES key schedule.  Callers embed it (to keep it out of
 * the request path's allocations); its members are private.  About 1 KB.
 */
union usm_hash_ctx {
	struct md5_ctx		 md5;
	struct sha1_ctx		 sha1;
	struct sha256_ctx	 sha256;
	struct sha512_ctx	 sha512;
};

struct usm_keys {
	enum usm_auth		 k_auth;
	enum usm_priv		 k_priv;
	union usm_hash_ctx	 k_inner;
	union usm_hash_ctx	 k_outer;
	union {
		struct aes128_ctx a128;
		struct aes192_ctx a192;
		struct aes256_ctx a256;
	}			 k_aes;
};

/* A static string for a usm_error. */
const char *usm_strerror(int err);

/* Digest length of a's hash (Ku, Kul, the HMAC key); 0 for NONE. */
size_t	usm_auth_key_len(enum usm_auth a);
/* Octets of msgAuthenticationParameters for a; 0 for NONE. */
size_t	usm_auth_mac_len(enum usm_auth a);
/* Octets of p's key (16, 24, 32); 0 for NONE. */
size_t	usm_priv_key_len(enum usm_priv p);

/*
 * Ku: the hash of the first 1,048,576 octets of the password repeated
 * (RFC 3414 A.2).  ku receives usm_auth_key_len(a) octets.  Returns 0,
 * USM_EINVAL or USM_EPASSWORD.  About 2 ms: call it at load.
 */
int	usm_password_to_key(enum usm_auth a, const void *password,
	    size_t len, uint8_t *ku);

/*
 * Kul = H(Ku || engineID || Ku) (RFC 3414 sec. 2.6).  ku and kul hold
 * usm_auth_key_len(a) octets and may be the same buffer.  Returns 0 or
 * USM_EINVAL.
 */
int	usm_key_localize(enum usm_auth a, const uint8_t *ku,
	    const uint8_t *engine_id, size_t engine_id_len, uint8_t *kul);

/*
 * The privacy key of protocol p from the privacy password's Kul (localized
 * with the auth protocol's hash, usm_auth_key_len(a) octets): its first
 * usm_priv_key_len(p) octets, extended when Kul is shorter: by Kul ||
 * H(Kul) || ... (Blumenthal) or by Kul || localize(password_to_key(Kul))
 * || ... (Reeder).  key receives usm_priv_key_len(p) octets.  Returns 0 or
 * USM_EINVAL.
 */
int	usm_priv_key_derive(enum usm_auth a, enum usm_priv p,
	    const uint8_t *kul, const uint8_t *engine_id,
	    size_t engine_id_len, uint8_t *key);

/*
 * Key k for a user: auth_key is the localized auth key (usm_auth_key_len(a)
 * octets), priv_key the privacy key (usm_priv_key_len(p) octets, from
 * usm_priv_key_derive); either protocol may be NONE (priv without auth is
 * USM_EINVAL, as RFC 3414 sec. 3.1 allows no privacy without
 * authentication).  Returns 0 or USM_EINVAL.
 */
int	usm_keys_set(struct usm_keys *k, enum usm_auth a,
	    const uint8_t *auth_key, enum usm_priv p, const uint8_t *priv_key);
/* Overwrite k's secrets (before freeing the memory that holds it). */
void	usm_keys_wipe(struct usm_keys *k);

/* usm_auth_mac_len of k's protocol. */
size_t	usm_keys_mac_len(const struct usm_keys *k);

/*
 * Authenticate msg[0..len) (RFC 3414 sec. 6.3.2, RFC 7860 sec. 4.2.2):
 * the HMAC of the whole message with its msgAuthenticationParameters, the
 * usm_keys_mac_len(k) octets at mac_off, taken as zeros, compared in
 * constant time with those octets.  msg is not written.  Returns 0,
 * USM_EDIGEST, or USM_EINVAL (no auth protocol, or the field past len).
 */
int	usm_auth_verify(const struct usm_keys *k, const uint8_t *msg,
	    size_t len, size_t mac_off);

/*
 * Sign msg[0..len): its octets at mac_off are zeros (snmp_v3_wrap wrote
 * them); the MAC replaces them.  Returns 0 or USM_EINVAL.
 */
int	usm_auth_sign(const struct usm_keys *k, uint8_t *msg, size_t len,
	    size_t mac_off);

/*
 * AES-CFB-128 with IV = boots || time || salt, each big-endian (RFC 3826
 * sec. 3.1.2.1): encrypt buf[0..len) in place, or decrypt in[0..len) into
 * out (which may be in).  The ciphertext is as long as the plaintext; no
 * padding.  salt_len must be USM_SALT_LEN (USM_ESALT otherwise: RFC 3826
 * sec. 3.1.4's decryption error).  Returns 0, USM_ESALT or USM_EINVAL (no
 * privacy protocol).
 */
int	usm_priv_encrypt(const struct usm_keys *k, uint32_t boots,
	    uint32_t time, const uint8_t *salt, size_t salt_len, uint8_t *buf,
	    size_t len);
int	usm_priv_decrypt(const struct usm_keys *k, uint32_t boots,
	    uint32_t time, const uint8_t *salt, size_t salt_len,
	    const uint8_t *in, size_t len, uint8_t *out);

#endif
