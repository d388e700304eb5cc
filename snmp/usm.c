/*
 * usm: USM's key derivation, HMAC and AES-CFB through Nettle's generic
 * interfaces (struct nettle_hash, struct nettle_cipher), so one code path
 * serves every protocol.  The HMAC is keyed once (usm_keys_set keeps the
 * inner and outer hash states, as RFC 2104 sec. 4 suggests), so a message
 * costs a copy of the inner state and the hashing itself.  Not here:
 * where the fields sit in a message (v3.c), which user or key applies
 * (agent/v3.c), DES (see usm.h).
 */
#include <string.h>

#include <nettle/cfb.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/nettle-meta.h>

#include "snmp/usm.h"

/* RFC 3414 A.2.1: the password is stretched over 1 MB. */
#define USM_STRETCH		1048576
/* ... fed to the hash 64 octets at a time, as the RFC's code does. */
#define USM_STRETCH_CHUNK	64

/*
 * Overwrite a secret.  Through a volatile pointer, because a memset just
 * before the memory goes out of scope is a dead store a compiler may drop.
 */
static void
usm_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n-- > 0)
		*v++ = 0;
}

const char *
usm_strerror(int err)
{
	switch (err) {
	case USM_EINVAL:
		return "unknown protocol or bad key length";
	case USM_EPASSWORD:
		return "password shorter than 8 characters";
	case USM_EDIGEST:
		return "message digest does not verify";
	case USM_ESALT:
		return "privacy parameters are not 8 octets";
	default:
		return "unknown error";
	}
}

static const struct nettle_hash *
usm_hash(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_MD5:
		return &nettle_md5;
	case USM_AUTH_SHA1:
		return &nettle_sha1;
	case USM_AUTH_SHA224:
		return &nettle_sha224;
	case USM_AUTH_SHA256:
		return &nettle_sha256;
	case USM_AUTH_SHA384:
		return &nettle_sha384;
	case USM_AUTH_SHA512:
		return &nettle_sha512;
	default:
		return NULL;
	}
}

static const struct nettle_cipher *
usm_cipher(enum usm_priv p)
{
	switch (p) {
	case USM_PRIV_AES128:
		return &nettle_aes128;
	case USM_PRIV_AES192:
	case USM_PRIV_AES192_REEDER:
		return &nettle_aes192;
	case USM_PRIV_AES256:
	case USM_PRIV_AES256_REEDER:
		return &nettle_aes256;
	default:
		return NULL;
	}
}

size_t
usm_auth_key_len(enum usm_auth a)
{
	const struct nettle_hash *h = usm_hash(a);

	return h != NULL ? h->digest_size : 0;
}

size_t
usm_auth_mac_len(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_MD5:
	case USM_AUTH_SHA1:
		return 12;	/* RFC 3414 sec. 6.3.1, 7.3.1 */
	case USM_AUTH_SHA224:
		return 16;	/* RFC 7860 sec. 4.2.1 */
	case USM_AUTH_SHA256:
		return 24;
	case USM_AUTH_SHA384:
		return 32;
	case USM_AUTH_SHA512:
		return 48;
	default:
		return 0;
	}
}

size_t
usm_priv_key_len(enum usm_priv p)
{
	const struct nettle_cipher *c = usm_cipher(p);

	return c != NULL ? c->key_size : 0;
}

int
usm_password_to_key(enum usm_auth a, const void *password, size_t len,
    uint8_t *ku)
{
	const struct nettle_hash *h = usm_hash(a);
	const uint8_t *pw = password;
	union usm_hash_ctx ctx;
	uint8_t chunk[USM_STRETCH_CHUNK];
	size_t done, i, at = 0;

	if (h == NULL)
		return USM_EINVAL;
	if (len < USM_PASSWORD_MIN)
		return USM_EPASSWORD;
	h->init(&ctx);
	for (done = 0; done < USM_STRETCH; done += sizeof(chunk)) {
		for (i = 0; i < sizeof(chunk); i++) {
			chunk[i] = pw[at];
			if (++at == len)
				at = 0;
		}
		h->update(&ctx, sizeof(chunk), chunk);
	}
	h->digest(&ctx, h->digest_size, ku);
	usm_wipe(chunk, sizeof(chunk));
	usm_wipe(&ctx, sizeof(ctx));
	return 0;
}

int
usm_key_localize(enum usm_auth a, const uint8_t *ku,
    const uint8_t *engine_id, size_t engine_id_len, uint8_t *kul)
{
	const struct nettle_hash *h = usm_hash(a);
	union usm_hash_ctx ctx;

	if (h == NULL)
		return USM_EINVAL;
	h->init(&ctx);
	h->update(&ctx, h->digest_size, ku);
	h->update(&ctx, engine_id_len, engine_id);
	h->update(&ctx, h->digest_size, ku);
	h->digest(&ctx, h->digest_size, kul);
	usm_wipe(&ctx, sizeof(ctx));
	return 0;
}

int
usm_priv_key_derive(enum usm_auth a, enum usm_priv p, const uint8_t *kul,
    const uint8_t *engine_id, size_t engine_id_len, uint8_t *key)
{
	const struct nettle_hash *h = usm_hash(a);
	union usm_hash_ctx ctx;
	uint8_t buf[USM_PRIV_KEY_MAX + USM_KEY_MAX], next[USM_KEY_MAX];
	size_t need = usm_priv_key_len(p), have, n;
	int rv = 0;

	if (h == NULL || need == 0)
		return USM_EINVAL;
	have = h->digest_size;
	memcpy(buf, kul, have);
	/*
	 * Only keys longer than the hash need more octets (AES-192 and -256
	 * after MD5 or SHA-1, AES-256 after SHA-224); each round appends a
	 * digest of the whole key so far.
	 */
	while (have < need) {
		if (p == USM_PRIV_AES192_REEDER ||
		    p == USM_PRIV_AES256_REEDER) {
			if ((rv = usm_password_to_key(a, buf, have,
			    next)) != 0 ||
			    (rv = usm_key_localize(a, next, engine_id,
			    engine_id_len, next)) != 0)
				break;
		} else {
			h->init(&ctx);
			h->update(&ctx, have, buf);
			h->digest(&ctx, h->digest_size, next);
		}
		n = need - have < h->digest_size ? need - have :
		    h->digest_size;
		memcpy(buf + have, next, n);
		have += n;
	}
	if (rv == 0)
		memcpy(key, buf, need);
	usm_wipe(buf, sizeof(buf));
	usm_wipe(next, sizeof(next));
	usm_wipe(&ctx, sizeof(ctx));
	return rv;
}

int
usm_keys_set(struct usm_keys *k, enum usm_auth a, const uint8_t *auth_key,
    enum usm_priv p, const uint8_t *priv_key)
{
	const struct nettle_hash *h = usm_hash(a);
	const struct nettle_cipher *c = usm_cipher(p);
	union usm_hash_ctx state;

	memset(k, 0, sizeof(*k));
	if ((a != USM_AUTH_NONE && h == NULL) ||
	    (p != USM_PRIV_NONE && (c == NULL || h == NULL)))
		return USM_EINVAL;
	k->k_auth = a;
	k->k_priv = p;
	if (h != NULL) {
		hmac_set_key(&k->k_outer, &k->k_inner, &state, h,
		    h->digest_size, auth_key);
		usm_wipe(&state, sizeof(state));
	}
	if (c != NULL)
		c->set_encrypt_key(&k->k_aes, priv_key);
	return 0;
}

void
usm_keys_wipe(struct usm_keys *k)
{
	usm_wipe(k, sizeof(*k));
}

size_t
usm_keys_mac_len(const struct usm_keys *k)
{
	return usm_auth_mac_len(k->k_auth);
}

/*
 * HMAC of msg with its MAC field taken as zeros, truncated to the MAC
 * length, into mac.
 */
static int
usm_hmac(const struct usm_keys *k, const uint8_t *msg, size_t len,
    size_t mac_off, uint8_t *mac)
{
	static const uint8_t zeros[USM_MAC_MAX];
	const struct nettle_hash *h = usm_hash(k->k_auth);
	size_t maclen = usm_auth_mac_len(k->k_auth);
	union usm_hash_ctx state;

	if (h == NULL || mac_off > len || maclen > len - mac_off)
		return USM_EINVAL;
	memcpy(&state, &k->k_inner, h->context_size);
	h->update(&state, mac_off, msg);
	h->update(&state, maclen, zeros);
	h->update(&state, len - mac_off - maclen, msg + mac_off + maclen);
	hmac_digest(&k->k_outer, &k->k_inner, &state, h, maclen, mac);
	usm_wipe(&state, sizeof(state));
	return 0;
}

int
usm_auth_verify(const struct usm_keys *k, const uint8_t *msg, size_t len,
    size_t mac_off)
{
	uint8_t mac[USM_MAC_MAX];
	int rv;

	if ((rv = usm_hmac(k, msg, len, mac_off, mac)) != 0)
		return rv;
	return memeql_sec(mac, msg + mac_off, usm_keys_mac_len(k)) ? 0 :
	    USM_EDIGEST;
}

int
usm_auth_sign(const struct usm_keys *k, uint8_t *msg, size_t len,
    size_t mac_off)
{
	uint8_t mac[USM_MAC_MAX];
	int rv;

	if ((rv = usm_hmac(k, msg, len, mac_off, mac)) != 0)
		return rv;
	memcpy(msg + mac_off, mac, usm_keys_mac_len(k));
	return 0;
}

/* RFC 3826 sec. 3.1.2.1: the IV is boots, time and the salt. */
static int
usm_iv(const struct usm_keys *k, uint32_t boots, uint32_t time,
    const uint8_t *salt, size_t salt_len, uint8_t *iv)
{
	int i;

	if (usm_cipher(k->k_priv) == NULL)
		return USM_EINVAL;
	if (salt_len != USM_SALT_LEN)
		return USM_ESALT;
	for (i = 0; i < 4; i++) {
		iv[i] = (uint8_t)(boots >> (24 - 8 * i));
		iv[4 + i] = (uint8_t)(time >> (24 - 8 * i));
	}
	memcpy(iv + 8, salt, USM_SALT_LEN);
	return 0;
}

int
usm_priv_encrypt(const struct usm_keys *k, uint32_t boots, uint32_t time,
    const uint8_t *salt, size_t salt_len, uint8_t *buf, size_t len)
{
	uint8_t iv[AES_BLOCK_SIZE];
	int rv;

	if ((rv = usm_iv(k, boots, time, salt, salt_len, iv)) != 0)
		return rv;
	cfb_encrypt(&k->k_aes, usm_cipher(k->k_priv)->encrypt,
	    AES_BLOCK_SIZE, iv, len, buf, buf);
	return 0;
}

int
usm_priv_decrypt(const struct usm_keys *k, uint32_t boots, uint32_t time,
    const uint8_t *salt, size_t salt_len, const uint8_t *in, size_t len,
    uint8_t *out)
{
	uint8_t iv[AES_BLOCK_SIZE];
	int rv;

	if ((rv = usm_iv(k, boots, time, salt, salt_len, iv)) != 0)
		return rv;
	/* CFB decrypts with the cipher's encrypt function (Nettle's API). */
	cfb_decrypt(&k->k_aes, usm_cipher(k->k_priv)->encrypt,
	    AES_BLOCK_SIZE, iv, len, out, in);
	return 0;
}
