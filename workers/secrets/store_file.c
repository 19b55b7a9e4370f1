/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store_file - read, check and write the secret store's JSON file
 * SYNOPSIS
 *	#include "store_file.h"
 *
 *	int	store_file_read(const char *path, char **buf, size_t *len,
 *		    struct stat *st, char *err, size_t errlen);
 *	int	store_file_parse(const char *path, const char *buf,
 *		    size_t len, struct store_data *d, char *err,
 *		    size_t errlen);
 *	char	*store_file_render(const struct store_data *d,
 *		    size_t *len);
 *	int	store_file_check(const unsigned char *key,
 *		    const struct store_data *d);
 *	int	store_file_new_check(const unsigned char *key,
 *		    struct store_data *d);
 *	int	store_rec_seal(...), store_rec_open(...);
 *	struct store_rec *store_data_find(...), *store_data_add(...);
 *	int	store_data_remove(...);
 *	void	store_data_free(struct store_data *d);
 * DESCRIPTION
 *	The file is one JSON object (docs/secrets.md):
 *
 *	    {"format":"corral-secrets","version":1,"cipher":"aes-256-gcm",
 *	     "key_check":{"nonce":B64,"ct":B64,"tag":B64},
 *	     "entries":[{"name","provider","created","updated",
 *	                 "nonce","ct","tag"}, ...]}
 *
 *	store_file_parse checks everything that can be checked without the
 *	key: the format name, the version (another one is refused, not
 *	guessed at), the cipher, every name and provider, the timestamps,
 *	the exact sizes of nonces and tags, and that no name appears twice.
 *	Whether a value opens is store_rec_open's business: a damaged entry
 *	does not stop the others from being read, changed or deleted.
 *
 *	The associated data binds an entry's value to its name and its
 *	provider ("corral-secret-v1" NUL name NUL provider), and the key
 *	check to its purpose ("corral-key-check-v1"), so no ciphertext can
 *	be moved to another place in the file and still open.
 * DIAGNOSTICS
 *	Parse errors name the file and, where there is one, the entry
 *	(errno EBADMSG, or ENOTSUP for another version or cipher).
 *	Running out of memory is fatal.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "log.h"
#include "store_file.h"
#include "xmalloc.h"

#define STORE_AAD_ENTRY		"corral-secret-v1"
#define STORE_AAD_CHECK		"corral-key-check-v1"
#define STORE_AAD_MAX		(sizeof(STORE_AAD_ENTRY) + \
				    STORE_NAME_MAX + 1 + STORE_PROVIDER_MAX)

static int	store_file_fail(char *, size_t, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/* store_file_fail - format err for path, set errno, return -1 */
static int
store_file_fail(char *err, size_t errlen, int errnum, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = errnum;
	return (-1);
}

/* store_file_read - the whole file and its stat; 1 read, 0 absent, -1 */
int
store_file_read(const char *path, char **buf, size_t *len, struct stat *st,
    char *err, size_t errlen)
{
	char	*b;
	size_t	 n = 0, max;
	ssize_t	 r;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return (0);
		return (store_file_fail(err, errlen, errno, "cannot read %s: "
		    "%s", path, strerror(errno)));
	}
	if (fstat(fd, st) == -1) {
		saved = errno;
		close(fd);
		return (store_file_fail(err, errlen, saved, "cannot read %s: "
		    "%s", path, strerror(saved)));
	}
	if (!S_ISREG(st->st_mode) || st->st_size > STORE_FILE_MAX) {
		close(fd);
		if (!S_ISREG(st->st_mode))
			return (store_file_fail(err, errlen, EBADMSG, "%s: "
			    "not a regular file", path));
		return (store_file_fail(err, errlen, EFBIG, "%s: larger "
		    "than %d bytes", path, STORE_FILE_MAX));
	}
	max = (size_t)st->st_size;
	b = xmalloc(max + 1);
	for (;;) {
		r = read(fd, b + n, max + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0 || (n += (size_t)r) > max)
			break;
	}
	saved = errno;
	close(fd);
	if (r == -1 || n != max) {
		free(b);
		return (store_file_fail(err, errlen, r == -1 ? saved : EIO,
		    "cannot read %s: %s", path, r == -1 ? strerror(saved) :
		    "it changed while being read"));
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return (1);
}

/* store_json_b64 - the base64 string member key of o into out */
static int
store_json_b64(const cJSON *o, const char *key, unsigned char *out,
    size_t outmax, size_t *outlen)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return (-1);
	return (store_b64_decode(v->valuestring, strlen(v->valuestring),
	    out, outmax, outlen));
}

/* store_json_fixed - base64 member key of o, exactly n bytes */
static int
store_json_fixed(const cJSON *o, const char *key, unsigned char *out,
    size_t n)
{
	size_t	got;

	if (store_json_b64(o, key, out, n, &got) == -1 || got != n)
		return (-1);
	return (0);
}

/* store_json_str - string member key of o, or NULL */
static const char *
store_json_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* store_parse_entry - one element of "entries" into d; what is wrong */
static const char *
store_parse_entry(const cJSON *e, struct store_data *d)
{
	struct store_rec	*r;
	const char		*name, *prov, *cs, *us;
	const cJSON		*ct;
	size_t			 max;

	if (!cJSON_IsObject(e))
		return ("not an object");
	name = store_json_str(e, "name");
	if (!store_name_valid(name))
		return ("missing or bad name");
	if (store_data_find(d, name) != NULL)
		return ("appears twice");
	r = store_data_add(d, name);
	prov = store_json_str(e, "provider");
	if (!store_provider_valid(prov))
		return ("missing or bad provider");
	snprintf(r->meta.provider, sizeof(r->meta.provider), "%s", prov);
	if ((cs = store_json_str(e, "created")) == NULL ||
	    store_time_parse(cs, &r->meta.created) == -1)
		return ("missing or bad created time");
	if ((us = store_json_str(e, "updated")) == NULL ||
	    store_time_parse(us, &r->meta.updated) == -1)
		return ("missing or bad updated time");
	if (store_json_fixed(e, "nonce", r->nonce, sizeof(r->nonce)) == -1)
		return ("missing or bad nonce");
	if (store_json_fixed(e, "tag", r->tag, sizeof(r->tag)) == -1)
		return ("missing or bad tag");
	ct = cJSON_GetObjectItemCaseSensitive(e, "ct");
	if (!cJSON_IsString(ct) || ct->valuestring == NULL ||
	    (max = strlen(ct->valuestring) / 4 * 3) > STORE_VALUE_MAX + 2)
		return ("missing or bad ct");
	r->ct = xmalloc(max > 0 ? max : 1);
	if (store_b64_decode(ct->valuestring, strlen(ct->valuestring), r->ct,
	    STORE_VALUE_MAX, &r->ctlen) == -1)
		return ("missing or bad ct");
	return (NULL);
}

/* store_file_parse - the JSON text of path into d */
int
store_file_parse(const char *path, const char *buf, size_t len,
    struct store_data *d, char *err, size_t errlen)
{
	cJSON		*root;
	const cJSON	*v, *e;
	const char	*s, *why;
	double		 ver;
	size_t		 i = 0;
	int		 rc = -1, saved;

	memset(d, 0, sizeof(*d));
	if (strlen(buf) != len || (root = cJSON_ParseWithOpts(buf, NULL,
	    1)) == NULL)
		return (store_file_fail(err, errlen, EBADMSG, "%s: damaged: "
		    "not valid JSON", path));
	if (!cJSON_IsObject(root) ||
	    (s = store_json_str(root, "format")) == NULL ||
	    strcmp(s, STORE_FORMAT) != 0) {
		store_file_fail(err, errlen, EBADMSG, "%s: not a corral "
		    "secret store (no \"format\": \"%s\")", path,
		    STORE_FORMAT);
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || (ver = v->valuedouble) < 1 || ver > 1e6 ||
	    ver != (double)(long)ver) {
		store_file_fail(err, errlen, EBADMSG, "%s: damaged: bad "
		    "\"version\"", path);
		goto out;
	}
	if (ver != STORE_VERSION) {
		store_file_fail(err, errlen, ENOTSUP, "%s: store format "
		    "version %.0f is not supported (this corral reads version "
		    "%d)", path, ver, STORE_VERSION);
		goto out;
	}
	if ((s = store_json_str(root, "cipher")) == NULL ||
	    strcmp(s, STORE_CIPHER) != 0) {
		store_file_fail(err, errlen, ENOTSUP, "%s: cipher is not "
		    "supported (this corral uses %s)", path, STORE_CIPHER);
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "key_check");
	if (!cJSON_IsObject(v) ||
	    store_json_fixed(v, "nonce", d->check_nonce, STORE_NONCE_LEN) ||
	    store_json_fixed(v, "tag", d->check_tag, STORE_TAG_LEN) ||
	    store_json_fixed(v, "ct", d->check_ct, STORE_CHECK_LEN)) {
		store_file_fail(err, errlen, EBADMSG, "%s: damaged: missing "
		    "or bad \"key_check\"", path);
		goto out;
	}
	d->has_check = 1;
	v = cJSON_GetObjectItemCaseSensitive(root, "entries");
	if (!cJSON_IsArray(v)) {
		store_file_fail(err, errlen, EBADMSG, "%s: damaged: no "
		    "\"entries\" list", path);
		goto out;
	}
	cJSON_ArrayForEach(e, v) {
		i++;
		if ((why = store_parse_entry(e, d)) == NULL)
			continue;
		s = store_json_str(e, "name");
		if (store_name_valid(s))
			store_file_fail(err, errlen, EBADMSG, "%s: damaged: "
			    "secret '%s': %s", path, s, why);
		else
			store_file_fail(err, errlen, EBADMSG, "%s: damaged: "
			    "entry %zu: %s", path, i, why);
		goto out;
	}
	rc = 0;
out:
	saved = errno;
	cJSON_Delete(root);
	if (rc == -1)
		store_data_free(d);
	errno = saved;
	return (rc);
}

/* store_add_b64 - add n bytes as a base64 string member */
static void
store_add_b64(cJSON *o, const char *key, const unsigned char *p, size_t n)
{
	char	*text;

	text = xmalloc(store_b64_len(n) + 1);
	store_b64_encode(p, n, text);
	if (cJSON_AddStringToObject(o, key, text) == NULL)
		fatalx("%s: out of memory", __func__);
	free(text);
}

/* store_add_str - add a string member */
static void
store_add_str(cJSON *o, const char *key, const char *val)
{
	if (cJSON_AddStringToObject(o, key, val) == NULL)
		fatalx("%s: out of memory", __func__);
}

/* store_file_render - d as JSON text (caller frees) */
char *
store_file_render(const struct store_data *d, size_t *len)
{
	const struct store_rec	*r;
	cJSON			*root, *kc, *arr, *e;
	char			*text, *out, ts[STORE_TIME_LEN + 1];
	size_t			 i, n;

	if ((root = cJSON_CreateObject()) == NULL)
		fatalx("%s: out of memory", __func__);
	store_add_str(root, "format", STORE_FORMAT);
	if (cJSON_AddNumberToObject(root, "version", STORE_VERSION) == NULL)
		fatalx("%s: out of memory", __func__);
	store_add_str(root, "cipher", STORE_CIPHER);
	if ((kc = cJSON_AddObjectToObject(root, "key_check")) == NULL ||
	    (arr = cJSON_AddArrayToObject(root, "entries")) == NULL)
		fatalx("%s: out of memory", __func__);
	store_add_b64(kc, "nonce", d->check_nonce, STORE_NONCE_LEN);
	store_add_b64(kc, "ct", d->check_ct, STORE_CHECK_LEN);
	store_add_b64(kc, "tag", d->check_tag, STORE_TAG_LEN);
	for (i = 0; i < d->n; i++) {
		r = &d->recs[i];
		if ((e = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToArray(arr, e))
			fatalx("%s: out of memory", __func__);
		store_add_str(e, "name", r->meta.name);
		store_add_str(e, "provider", r->meta.provider);
		store_time_format(r->meta.created, ts);
		store_add_str(e, "created", ts);
		store_time_format(r->meta.updated, ts);
		store_add_str(e, "updated", ts);
		store_add_b64(e, "nonce", r->nonce, STORE_NONCE_LEN);
		store_add_b64(e, "ct", r->ct, r->ctlen);
		store_add_b64(e, "tag", r->tag, STORE_TAG_LEN);
	}
	if ((text = cJSON_Print(root)) == NULL)
		fatalx("%s: out of memory", __func__);
	cJSON_Delete(root);
	n = strlen(text);
	out = xmalloc(n + 2);
	memcpy(out, text, n);
	out[n++] = '\n';
	out[n] = '\0';
	cJSON_free(text);
	*len = n;
	return (out);
}

/* store_file_check - 0 if key opens d's key-check value */
int
store_file_check(const unsigned char *key, const struct store_data *d)
{
	unsigned char	pt[STORE_CHECK_LEN];
	int		rc;

	if (!d->has_check)
		return (0);
	rc = store_unseal(key, STORE_AAD_CHECK, sizeof(STORE_AAD_CHECK) - 1,
	    d->check_nonce, d->check_ct, STORE_CHECK_LEN, d->check_tag, pt);
	if (rc == 0 && CRYPTO_memcmp(pt, STORE_CHECK_TEXT,
	    STORE_CHECK_LEN) != 0)
		rc = -1;
	OPENSSL_cleanse(pt, sizeof(pt));
	return (rc);
}

/* store_file_new_check - seal a fresh key-check value under key into d */
int
store_file_new_check(const unsigned char *key, struct store_data *d)
{
	if (store_seal(key, STORE_AAD_CHECK, sizeof(STORE_AAD_CHECK) - 1,
	    STORE_CHECK_TEXT, STORE_CHECK_LEN, d->check_nonce, d->check_ct,
	    d->check_tag) == -1)
		return (-1);
	d->has_check = 1;
	return (0);
}

/* store_rec_aad - the associated data of r into buf; its length */
static size_t
store_rec_aad(const struct store_rec *r, unsigned char *buf)
{
	size_t	n = 0, k;

	/* the prefix with its NUL, the name with its NUL, the provider */
	memcpy(buf, STORE_AAD_ENTRY, sizeof(STORE_AAD_ENTRY));
	n += sizeof(STORE_AAD_ENTRY);
	k = strlen(r->meta.name) + 1;
	memcpy(buf + n, r->meta.name, k);
	n += k;
	k = strlen(r->meta.provider);
	memcpy(buf + n, r->meta.provider, k);
	return (n + k);
}

/* store_rec_seal - seal len bytes of value into r under key (new nonce) */
int
store_rec_seal(const unsigned char *key, struct store_rec *r,
    const void *value, size_t len)
{
	unsigned char	 aad[STORE_AAD_MAX], nonce[STORE_NONCE_LEN];
	unsigned char	 tag[STORE_TAG_LEN], *ct;
	size_t		 aadlen;

	aadlen = store_rec_aad(r, aad);
	ct = xmalloc(len > 0 ? len : 1);
	if (store_seal(key, aad, aadlen, value, len, nonce, ct, tag) == -1) {
		free(ct);
		return (-1);
	}
	free(r->ct);
	r->ct = ct;
	r->ctlen = len;
	memcpy(r->nonce, nonce, sizeof(nonce));
	memcpy(r->tag, tag, sizeof(tag));
	return (0);
}

/* store_rec_open - r's value into pt (r->ctlen bytes), or -1 and wiped */
int
store_rec_open(const unsigned char *key, const struct store_rec *r,
    unsigned char *pt)
{
	unsigned char	aad[STORE_AAD_MAX];
	size_t		aadlen;

	aadlen = store_rec_aad(r, aad);
	return (store_unseal(key, aad, aadlen, r->nonce, r->ct, r->ctlen,
	    r->tag, pt));
}

/* store_data_pos - where name is or would go in d's sorted entries */
static size_t
store_data_pos(const struct store_data *d, const char *name, int *found)
{
	size_t	lo = 0, hi = d->n, mid;
	int	c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(d->recs[mid].meta.name, name)) == 0) {
			*found = 1;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* store_data_find - the entry called name, or NULL */
struct store_rec *
store_data_find(struct store_data *d, const char *name)
{
	size_t	i;
	int	found;

	if (name == NULL)
		return (NULL);
	i = store_data_pos(d, name, &found);
	return (found ? &d->recs[i] : NULL);
}

/* store_data_add - a new empty entry called name in its sorted place */
struct store_rec *
store_data_add(struct store_data *d, const char *name)
{
	struct store_rec	*r;
	size_t			 i;
	int			 found;

	i = store_data_pos(d, name, &found);
	if (found)
		return (&d->recs[i]);
	if (d->n == d->cap) {
		d->cap = d->cap > 0 ? d->cap * 2 : 16;
		d->recs = xrealloc(d->recs, d->cap * sizeof(*d->recs));
	}
	memmove(&d->recs[i + 1], &d->recs[i], (d->n - i) * sizeof(*r));
	d->n++;
	r = &d->recs[i];
	memset(r, 0, sizeof(*r));
	snprintf(r->meta.name, sizeof(r->meta.name), "%s", name);
	return (r);
}

/* store_data_remove - drop the entry called name; -1 if absent */
int
store_data_remove(struct store_data *d, const char *name)
{
	size_t	i;
	int	found;

	i = store_data_pos(d, name, &found);
	if (!found)
		return (-1);
	free(d->recs[i].ct);
	memmove(&d->recs[i], &d->recs[i + 1], (d->n - i - 1) *
	    sizeof(*d->recs));
	d->n--;
	return (0);
}

/* store_data_free - free every entry of d and clear it */
void
store_data_free(struct store_data *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->recs[i].ct);
	free(d->recs);
	memset(d, 0, sizeof(*d));
}
