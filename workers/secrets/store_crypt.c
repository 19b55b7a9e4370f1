/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store_crypt - master keys, sealing and text codecs for the store
 * SYNOPSIS
 *	#include "store.h"
 *	#include "store_crypt.h"
 *
 *	int	store_key_parse(const char *text, unsigned char *key,
 *		    char *err, size_t errlen);
 *	int	store_key_load(const char *inline_value, const char *file,
 *		    unsigned char *key, char *err, size_t errlen);
 *	int	store_key_generate(char *out, size_t outlen);
 *	int	store_name_valid(const char *name);
 *	int	store_provider_valid(const char *provider);
 *	int	store_seal(...), store_unseal(...);
 *	void	store_b64_encode(...); int store_b64_decode(...);
 *	void	store_time_format(...); int store_time_parse(...);
 * DESCRIPTION
 *	A master key is 32 random bytes written as standard base64 with
 *	padding (44 characters), the shape `corral secrets generate` and
 *	`openssl rand -base64 32` print. store_key_parse accepts it with
 *	blanks around it (a trailing newline in a key file); store_key_load
 *	takes it from CORRAL_AUTH_STORE_MASTER_KEY's value or from the file
 *	CORRAL_AUTH_STORE_MASTER_KEY_FILE names, never both.
 *
 *	store_seal and store_unseal are AES-256-GCM through OpenSSL's EVP
 *	interface: a 96-bit nonce from RAND_bytes for every seal, the full
 *	128-bit tag, and the caller's associated data, so a ciphertext moved
 *	to another entry (another name or provider) no longer opens.
 *
 *	The base64 decoder is strict (length a multiple of four, padding
 *	only at the end, unused bits zero): the store file is ours, so
 *	anything else in it is damage.
 * DIAGNOSTICS
 *	The key functions return -1 with one line in err that names where
 *	the key came from and never holds key material. Every buffer that
 *	held a key or a plaintext is wiped with OPENSSL_cleanse.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "fsutil.h"
#include "store.h"
#include "store_crypt.h"

#define STORE_KEY_FILE_MAX	4096	/* a key file is one short line */
#define STORE_ENV_KEY		"CORRAL_AUTH_STORE_MASTER_KEY"
#define STORE_ENV_KEY_FILE	"CORRAL_AUTH_STORE_MASTER_KEY_FILE"

static const char store_b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* store_b64_encode - n bytes to base64 with padding, NUL-terminated */
void
store_b64_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned long	v;
	size_t		i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = store_b64_chars[v >> 18 & 63];
		*out++ = store_b64_chars[v >> 12 & 63];
		*out++ = store_b64_chars[v >> 6 & 63];
		*out++ = store_b64_chars[v & 63];
	}
	if (i < n) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)in[i + 1] << 8;
		*out++ = store_b64_chars[v >> 18 & 63];
		*out++ = store_b64_chars[v >> 12 & 63];
		*out++ = i + 1 < n ? store_b64_chars[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/* store_b64_value - the 6-bit value of c, -1 if c is not in the alphabet */
static int
store_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/* store_b64_decode - strict base64 into at most outmax bytes; -1 if bad */
int
store_b64_decode(const char *in, size_t inlen, unsigned char *out,
    size_t outmax, size_t *outlen)
{
	unsigned long	v;
	size_t		i, o = 0;
	int		k, d[4], pad;

	if (inlen % 4 != 0)
		return (-1);
	for (i = 0; i < inlen; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == inlen && k >= 2) {
				d[k] = 0;
				pad++;
			} else if (pad > 0 ||
			    (d[k] = store_b64_value((unsigned char)in[i + k]))
			    == -1)
				return (-1);
		}
		v = (unsigned long)d[0] << 18 | (unsigned long)d[1] << 12 |
		    (unsigned long)d[2] << 6 | (unsigned long)d[3];
		if ((pad == 1 && (v & 0xff) != 0) ||
		    (pad == 2 && (v & 0xffff) != 0))
			return (-1);	/* not the canonical encoding */
		if (o + 3 - (size_t)pad > outmax)
			return (-1);
		out[o++] = v >> 16 & 0xff;
		if (pad < 2)
			out[o++] = v >> 8 & 0xff;
		if (pad < 1)
			out[o++] = v & 0xff;
	}
	*outlen = o;
	return (0);
}

/* store_key_parse - base64 text to a 32-byte key; -1 if not that */
int
store_key_parse(const char *text, unsigned char key[STORE_KEY_LEN],
    char *err, size_t errlen)
{
	unsigned char	buf[STORE_KEY_LEN * 2];
	const char	*p = text, *e;
	size_t		n;
	int		rc = -1;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	for (e = p + strlen(p); e > p && isspace((unsigned char)e[-1]); e--)
		;
	if (e == p)
		snprintf(err, errlen, "the master key is empty");
	else if ((size_t)(e - p) > store_b64_len(sizeof(buf)) ||
	    store_b64_decode(p, (size_t)(e - p), buf, sizeof(buf), &n) == -1)
		snprintf(err, errlen, "the master key is not base64 text of "
		    "%d bytes (make one with: corral secrets generate)",
		    STORE_KEY_LEN);
	else if (n != STORE_KEY_LEN)
		snprintf(err, errlen, "the master key is %zu bytes, want %d "
		    "(make one with: corral secrets generate)", n,
		    STORE_KEY_LEN);
	else {
		memcpy(key, buf, STORE_KEY_LEN);
		rc = 0;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return (rc);
}

/* store_key_load - the key from an inline value or a file, never both */
int
store_key_load(const char *inline_value, const char *file,
    unsigned char key[STORE_KEY_LEN], char *err, size_t errlen)
{
	char	why[256], *text;
	size_t	len;
	int	rc;

	if (inline_value != NULL && file != NULL) {
		snprintf(err, errlen, "%s and %s are both set; give one of "
		    "them", STORE_ENV_KEY, STORE_ENV_KEY_FILE);
		return (-1);
	}
	if (inline_value == NULL && file == NULL) {
		snprintf(err, errlen, "no master key: set %s or %s",
		    STORE_ENV_KEY, STORE_ENV_KEY_FILE);
		return (-1);
	}
	if (inline_value != NULL) {
		if ((rc = store_key_parse(inline_value, key, why,
		    sizeof(why))) == -1)
			snprintf(err, errlen, "%s: %s", STORE_ENV_KEY, why);
		return (rc);
	}
	if (*file == '\0') {
		snprintf(err, errlen, "%s: empty path", STORE_ENV_KEY_FILE);
		return (-1);
	}
	if (fs_read_file(file, STORE_KEY_FILE_MAX, &text, &len) == -1) {
		snprintf(err, errlen, "%s: cannot read %s: %s",
		    STORE_ENV_KEY_FILE, file, errno == EFBIG ?
		    "larger than a key file can be" : strerror(errno));
		return (-1);
	}
	if (strlen(text) != len) {
		snprintf(why, sizeof(why), "the master key is not base64 "
		    "text");
		rc = -1;
	} else
		rc = store_key_parse(text, key, why, sizeof(why));
	if (rc == -1)
		snprintf(err, errlen, "%s %s: %s", STORE_ENV_KEY_FILE, file,
		    why);
	OPENSSL_cleanse(text, len);
	free(text);
	return (rc);
}

/* store_key_generate - 256 random bits as base64 plus '\n' */
int
store_key_generate(char *out, size_t outlen)
{
	unsigned char	key[STORE_KEY_LEN];
	size_t		n = store_b64_len(STORE_KEY_LEN);

	if (outlen < n + 2 || RAND_bytes(key, sizeof(key)) != 1) {
		OPENSSL_cleanse(key, sizeof(key));
		return (-1);
	}
	store_b64_encode(key, sizeof(key), out);
	out[n] = '\n';
	out[n + 1] = '\0';
	OPENSSL_cleanse(key, sizeof(key));
	return (0);
}

/* store_name_valid - 1 for [A-Za-z0-9._-]{1,128} starting alnum */
int
store_name_valid(const char *name)
{
	size_t	i;

	if (name == NULL || !isalnum((unsigned char)name[0]))
		return (0);
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= STORE_NAME_MAX)
			return (0);
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-')
			return (0);
	}
	return (1);
}

/* store_provider_valid - 1 for [a-z0-9._-]{1,64} starting [a-z0-9] */
int
store_provider_valid(const char *provider)
{
	size_t	i;
	int	c;

	if (provider == NULL || provider[0] == '\0')
		return (0);
	for (i = 0; (c = (unsigned char)provider[i]) != '\0'; i++) {
		if (i >= STORE_PROVIDER_MAX)
			return (0);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i == 0 || (c != '.' && c != '_' && c != '-'))
			return (0);
	}
	return (1);
}

/* store_cipher - an AES-256-GCM context keyed with key and nonce */
static EVP_CIPHER_CTX *
store_cipher(const unsigned char *key, const unsigned char *nonce, int enc)
{
	EVP_CIPHER_CTX	*ctx;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (NULL);
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
	    enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, STORE_NONCE_LEN,
	    NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return (NULL);
	}
	return (ctx);
}

/* store_seal - AES-256-GCM with a fresh random nonce */
int
store_seal(const unsigned char *key, const void *aad, size_t aadlen,
    const void *pt, size_t len, unsigned char nonce[STORE_NONCE_LEN],
    unsigned char *ct, unsigned char tag[STORE_TAG_LEN])
{
	EVP_CIPHER_CTX	*ctx;
	int		 n, rc = -1;

	if (len > INT_MAX || aadlen > INT_MAX ||
	    RAND_bytes(nonce, STORE_NONCE_LEN) != 1)
		return (-1);
	if ((ctx = store_cipher(key, nonce, 1)) == NULL)
		return (-1);
	if (EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1)
		goto out;
	if (len > 0 && EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len) != 1)
		goto out;
	if (EVP_EncryptFinal_ex(ctx, ct + len, &n) != 1 || n != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, STORE_TAG_LEN,
	    tag) != 1)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return (rc);
}

/* store_unseal - decrypt and authenticate, or wipe and fail */
int
store_unseal(const unsigned char *key, const void *aad, size_t aadlen,
    const unsigned char nonce[STORE_NONCE_LEN], const unsigned char *ct,
    size_t len, const unsigned char tag[STORE_TAG_LEN], unsigned char *pt)
{
	EVP_CIPHER_CTX	*ctx;
	unsigned char	 t[STORE_TAG_LEN];
	int		 n, rc = -1;

	if (len > INT_MAX || aadlen > INT_MAX)
		return (-1);
	if ((ctx = store_cipher(key, nonce, 0)) == NULL)
		return (-1);
	memcpy(t, tag, sizeof(t));
	if (EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1)
		goto out;
	if (len > 0 && EVP_DecryptUpdate(ctx, pt, &n, ct, (int)len) != 1)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, STORE_TAG_LEN,
	    t) != 1)
		goto out;
	if (EVP_DecryptFinal_ex(ctx, pt + len, &n) != 1 || n != 0)
		goto out;
	rc = 0;
out:
	if (rc == -1 && len > 0)
		OPENSSL_cleanse(pt, len);
	EVP_CIPHER_CTX_free(ctx);
	return (rc);
}

/* store_time_format - t as RFC 3339 UTC */
void
store_time_format(time_t t, char *out)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, STORE_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) !=
	    STORE_TIME_LEN)
		snprintf(out, STORE_TIME_LEN + 1, "1970-01-01T00:00:00Z");
}

/* store_time_parse - "YYYY-MM-DDTHH:MM:SSZ" to a time; -1 if malformed */
int
store_time_parse(const char *s, time_t *t)
{
	static const char	 shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm		 tm;
	size_t			 i;

	if (strlen(s) != STORE_TIME_LEN)
		return (-1);
	for (i = 0; i < STORE_TIME_LEN; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return (-1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return (-1);
	*t = timegm(&tm);
	return (0);
}
