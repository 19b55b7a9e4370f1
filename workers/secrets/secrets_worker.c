/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_worker - the secrets worker's life and its store messages
 * SYNOPSIS
 *	#include "secrets_worker.h"
 * DESCRIPTION
 *	secrets_init() runs after MSG_CONFIG and before the sandbox. The
 *	master put CORRAL_AUTH_STORE_MASTER_KEY or its _FILE form in this
 *	worker's environment only; the key is loaded with store_key_load()
 *	and both variables are wiped (explicit_bzero of the value in
 *	environ, then unsetenv). Core dumps are off already (nodump in the
 *	worker_def). The store is opened with the key, whose copy here is
 *	wiped at once; the store keeps its own and wipes it in store_close.
 *	Without a key the store is opened for its plaintext metadata only:
 *	LIST works, PUT, DELETE and GET answer "no_master_key". A key that
 *	does not parse, or that does not match the store ("master key does
 *	not match the store at PATH"), or a store that cannot be read is one
 *	log line and WORKER_EXIT_PERMANENT: the master marks the worker
 *	failed and the operator reads why.
 *
 *	Every handler parses the request, asks the ACL (secrets_acl.h) with
 *	the requester the master stamped (f->hdr.src) and the name asked
 *	for, and only then looks at the store. LIST, GET and ROUTES_LIST
 *	first re-read the store if another writer (the offline CLI) changed
 *	it; PUT and DELETE re-read it under the store's lock anyway. A PUT's
 *	value is wiped from the parsed request and from the frame's payload
 *	before the handler returns, on every path. A GET's reply refers to
 *	the decrypted buffer instead of copying it; the buffer is wiped once
 *	the reply is queued (chan_send_json wipes its printed copy).
 * DIAGNOSTICS
 *	Errors are MSG_ERROR replies: bad_request, forbidden, not_found,
 *	no_master_key, store_error. Changes are logged at info and reads at
 *	debug, with the requester and the secret's name; never a value.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "config.h"
#include "log.h"
#include "msg.h"
#include "routes.h"
#include "store.h"
#include "worker.h"
#include "xmalloc.h"

#include "secrets_acl.h"
#include "secrets_worker.h"

#define SECRETS_NO_KEY_MSG	"no master key configured: give the secrets " \
	"worker " CONFIG_MASTER_KEY_FILE_ENV " (or " CONFIG_MASTER_KEY_ENV \
	") and restart corral"

/* What a store failure (its errno) means to the requester. */
static const struct {
	int		 errnum;
	const char	*code;
} secrets_errs[] = {
	{ ENOENT, "not_found" },
	{ ENOKEY, "no_master_key" },
	{ EINVAL, "bad_request" },
};

/* secrets_env_take - the value of a key variable; NULL if unset or empty */
static const char *
secrets_env_take(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/* secrets_env_scrub - wipe name's value in environ and unset it */
static void
secrets_env_scrub(const char *name)
{
	char	*v;

	if ((v = getenv(name)) != NULL) {
		explicit_bzero(v, strlen(v));
		(void)unsetenv(name);
	}
}

/* secrets_key - the master key from our environment; 0 (maybe none), -1 */
static int
secrets_key(unsigned char key[STORE_KEY_LEN], int *haskey)
{
	const char	*inl, *file;
	char		 err[SECRETS_ERR_MAX];
	int		 rc = 0;

	inl = secrets_env_take(CONFIG_MASTER_KEY_ENV);
	file = secrets_env_take(CONFIG_MASTER_KEY_FILE_ENV);
	*haskey = inl != NULL || file != NULL;
	if (*haskey && (rc = store_key_load(inl, file, key, err,
	    sizeof(err))) == -1)
		log_warnx("%s", err);
	secrets_env_scrub(CONFIG_MASTER_KEY_ENV);
	secrets_env_scrub(CONFIG_MASTER_KEY_FILE_ENV);
	return (rc);
}

/* secrets_grants - the ACL from rt->config's "grants" */
static void
secrets_grants(struct secrets *sec)
{
	secrets_acl_free(sec->acl);
	sec->acl = secrets_acl_new(cJSON_GetObjectItemCaseSensitive(
	    sec->rt->config, "grants"));
}

/* secrets_state - "ok", "no_master_key" or "error" */
const char *
secrets_state(const struct secrets *sec)
{
	if (sec->error[0] != '\0')
		return ("error");
	return (sec->haskey ? "ok" : "no_master_key");
}

/* secrets_refresh - re-read the store if it changed; note a failure */
void
secrets_refresh(struct secrets *sec)
{
	char	err[SECRETS_ERR_MAX];

	if (store_refresh(sec->store, err, sizeof(err)) == -1) {
		if (strcmp(err, sec->error) != 0)
			log_warnx("%s", err);
		snprintf(sec->error, sizeof(sec->error), "%s", err);
	} else if (sec->error[0] != '\0') {
		log_info("%s is readable again", store_path(sec->store));
		sec->error[0] = '\0';
	}
}

/* secrets_init - key, store, routes, grants; 0 or a WORKER_EXIT_* code */
int
secrets_init(struct worker_rt *rt)
{
	struct secrets	*sec;
	unsigned char	 key[STORE_KEY_LEN];
	const char	*root;
	char		 err[SECRETS_ERR_MAX];
	int		 haskey;

	if (secrets_key(key, &haskey) == -1) {
		OPENSSL_cleanse(key, sizeof(key));
		return (WORKER_EXIT_PERMANENT);
	}
	if ((root = worker_config_str(rt, "state_root", NULL)) == NULL) {
		OPENSSL_cleanse(key, sizeof(key));
		log_warnx("%s: no state_root in the config", __func__);
		return (WORKER_EXIT_PERMANENT);
	}
	sec = xcalloc(1, sizeof(*sec));
	sec->rt = rt;
	sec->haskey = haskey;
	sec->store = store_open(root, haskey ? key : NULL, err, sizeof(err));
	OPENSSL_cleanse(key, sizeof(key));
	if (sec->store == NULL) {
		log_warnx("%s", err);
		free(sec);
		return (WORKER_EXIT_PERMANENT);
	}
	rt->priv = sec;
	secrets_grants(sec);
	secrets_routes_load(sec);
	if (haskey)
		log_info("store %s open with its master key; %zu routes",
		    store_path(sec->store),
		    sec->routes != NULL ? sec->routes->n : 0);
	else
		log_warnx("store %s: %s; names can be listed, values neither "
		    "stored nor read", store_path(sec->store),
		    SECRETS_NO_KEY_MSG);
	return (0);
}

/* secrets_reload - routes and grants from the new rt->config; re-read */
void
secrets_reload(struct worker_rt *rt)
{
	struct secrets	*sec = rt->priv;

	if (sec == NULL)
		return;
	secrets_grants(sec);
	secrets_routes_load(sec);
	secrets_refresh(sec);
	log_info("reloaded: %zu routes, store %s",
	    sec->routes != NULL ? sec->routes->n : 0, secrets_state(sec));
}

/* secrets_fini - close the store (wiping the key), free everything */
void
secrets_fini(struct worker_rt *rt)
{
	struct secrets	*sec = rt->priv;

	if (sec == NULL)
		return;
	store_close(sec->store);
	routes_free(sec->routes);
	secrets_acl_free(sec->acl);
	free(sec);
	rt->priv = NULL;
}

/* secrets_request - f's payload as a JSON object ({} if empty), or NULL
 * after a bad_request reply */
cJSON *
secrets_request(struct worker_rt *rt, struct frame *f)
{
	cJSON	*req;

	if (f->hdr.len == 0)
		return (cJSON_CreateObject());
	if ((req = frame_json(f)) == NULL)
		worker_reply_error(rt, f, "bad_request", "the payload is not "
		    "a JSON object");
	return (req);
}

/* secrets_allowed - ask the ACL; on a denial reply forbidden */
int
secrets_allowed(struct worker_rt *rt, struct frame *f, enum secrets_op op,
    const char *name)
{
	struct secrets	*sec = rt->priv;
	char		 who[32];

	if (secrets_acl_check(sec->acl, f->hdr.src, op, name))
		return (1);
	secrets_acl_who(f->hdr.src, who, sizeof(who));
	if (name != NULL)
		worker_reply_error(rt, f, "forbidden", "%s may not %s '%s'",
		    who, secrets_acl_op_name(op),
		    store_name_valid(name) ? name : "?");
	else
		worker_reply_error(rt, f, "forbidden", "%s may not %s", who,
		    secrets_acl_op_name(op));
	return (0);
}

/* secrets_str - string member key of o, or NULL */
static const char *
secrets_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* secrets_time - t as RFC 3339 UTC into buf */
static const char *
secrets_time(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return (buf);
}

/* secrets_entry_json - an entry's name, provider and times */
static cJSON *
secrets_entry_json(const struct store_entry *e)
{
	cJSON	*o;
	char	 t[32];

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", e->name);
	cJSON_AddStringToObject(o, "provider", e->provider);
	cJSON_AddStringToObject(o, "created", secrets_time(e->created, t,
	    sizeof(t)));
	cJSON_AddStringToObject(o, "updated", secrets_time(e->updated, t,
	    sizeof(t)));
	return (o);
}

/* secrets_failed - reply to a store failure by its errno */
static void
secrets_failed(struct worker_rt *rt, struct frame *f, int errnum,
    const char *err)
{
	size_t	k;

	for (k = 0; k < sizeof(secrets_errs) / sizeof(secrets_errs[0]); k++)
		if (secrets_errs[k].errnum == errnum) {
			worker_reply_error(rt, f, secrets_errs[k].code, "%s",
			    errnum == ENOKEY ? SECRETS_NO_KEY_MSG : err);
			return;
		}
	worker_reply_error(rt, f, "store_error", "%s", err);
}

/* secrets_name - the valid "name" of req, or NULL after bad_request */
static const char *
secrets_name(struct worker_rt *rt, struct frame *f, const char *name)
{
	if (name != NULL && store_name_valid(name))
		return (name);
	worker_reply_error(rt, f, "bad_request", "name: want 1 to %d of "
	    "A-Z a-z 0-9 . _ -, starting with a letter or digit",
	    STORE_NAME_MAX);
	return (NULL);
}

/* secrets_usable - has the store a key and can it be read? else reply */
static int
secrets_usable(struct worker_rt *rt, struct frame *f)
{
	struct secrets	*sec = rt->priv;

	if (!sec->haskey) {
		worker_reply_error(rt, f, "no_master_key", "%s",
		    SECRETS_NO_KEY_MSG);
		return (0);
	}
	if (sec->error[0] != '\0') {
		worker_reply_error(rt, f, "store_error", "%s", sec->error);
		return (0);
	}
	return (1);
}

/* secrets_on_list - MSG_SECRET_LIST: names and metadata, never values */
void
secrets_on_list(struct worker_rt *rt, struct frame *f)
{
	struct secrets		*sec = rt->priv;
	struct store_entry	*e;
	cJSON			*req, *body, *st, *a;
	size_t			 i, n;

	if ((req = secrets_request(rt, f)) == NULL)
		return;
	cJSON_Delete(req);
	if (!secrets_allowed(rt, f, SECRETS_OP_LIST, NULL))
		return;
	secrets_refresh(sec);
	body = cJSON_CreateObject();
	st = cJSON_AddObjectToObject(body, "store");
	cJSON_AddStringToObject(st, "path", store_path(sec->store));
	cJSON_AddStringToObject(st, "state", secrets_state(sec));
	if (sec->error[0] != '\0')
		cJSON_AddStringToObject(st, "error", sec->error);
	else if (!sec->haskey)
		cJSON_AddStringToObject(st, "error", SECRETS_NO_KEY_MSG);
	a = cJSON_AddArrayToObject(body, "secrets");
	(void)store_list(sec->store, &e, &n);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, secrets_entry_json(&e[i]));
	free(e);
	log_debug("LIST for %u: %zu names", f->hdr.src, n);
	worker_reply(rt, f, MSG_SECRET_LIST, body);
}

/* secrets_wipe - the value of a PUT: in the parsed request and the frame */
static void
secrets_wipe(cJSON *req, struct frame *f)
{
	cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(req, "value");
	if (cJSON_IsString(v) && v->valuestring != NULL)
		OPENSSL_cleanse(v->valuestring, strlen(v->valuestring));
	/* The payload is the channel's input buffer, lent to us: the bytes
	 * are not looked at again once we return. */
	if (f->payload != NULL && f->hdr.len > 0)
		OPENSSL_cleanse((void *)(uintptr_t)f->payload, f->hdr.len);
}

/* secrets_put - store one value; replies either way */
static void
secrets_put(struct worker_rt *rt, struct frame *f, const cJSON *req)
{
	struct secrets		*sec = rt->priv;
	struct store_entry	 meta;
	const char		*name, *provider, *value;
	char			 err[SECRETS_ERR_MAX], who[32];
	size_t			 len;

	name = secrets_str(req, "name");
	provider = secrets_str(req, "provider");
	value = secrets_str(req, "value");
	if (!secrets_allowed(rt, f, SECRETS_OP_PUT, name) ||
	    secrets_name(rt, f, name) == NULL)
		return;
	if (provider == NULL || !store_provider_valid(provider)) {
		worker_reply_error(rt, f, "bad_request", "provider: want 1 to "
		    "%d of a-z 0-9 . _ -", STORE_PROVIDER_MAX);
		return;
	}
	if (value == NULL || (len = strlen(value)) == 0 ||
	    len > STORE_VALUE_MAX) {
		worker_reply_error(rt, f, "bad_request", "value: want a "
		    "string of 1 to %d bytes", STORE_VALUE_MAX);
		return;
	}
	if (!secrets_usable(rt, f))
		return;
	if (store_put(sec->store, name, provider, value, len, &meta, err,
	    sizeof(err)) == -1) {
		secrets_failed(rt, f, errno, err);
		return;
	}
	log_info("%s stored secret '%s' (provider %s)",
	    secrets_acl_who(f->hdr.src, who, sizeof(who)), name, provider);
	worker_reply(rt, f, MSG_SECRET_PUT, secrets_entry_json(&meta));
}

/* secrets_on_put - MSG_SECRET_PUT: store a value (wiped afterwards) */
void
secrets_on_put(struct worker_rt *rt, struct frame *f)
{
	cJSON	*req;

	if ((req = secrets_request(rt, f)) == NULL) {
		secrets_wipe(NULL, f);
		return;
	}
	secrets_put(rt, f, req);
	secrets_wipe(req, f);
	cJSON_Delete(req);
}

/* secrets_on_delete - MSG_SECRET_DELETE: remove an entry */
void
secrets_on_delete(struct worker_rt *rt, struct frame *f)
{
	struct secrets	*sec = rt->priv;
	const char	*name;
	char		 err[SECRETS_ERR_MAX], who[32];
	cJSON		*req, *body;

	if ((req = secrets_request(rt, f)) == NULL)
		return;
	name = secrets_str(req, "name");
	if (!secrets_allowed(rt, f, SECRETS_OP_DELETE, name) ||
	    secrets_name(rt, f, name) == NULL || !secrets_usable(rt, f))
		goto out;
	if (store_delete(sec->store, name, err, sizeof(err)) == -1) {
		secrets_failed(rt, f, errno, err);
		goto out;
	}
	log_info("%s deleted secret '%s'",
	    secrets_acl_who(f->hdr.src, who, sizeof(who)), name);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddBoolToObject(body, "deleted", 1);
	worker_reply(rt, f, MSG_SECRET_DELETE, body);
out:
	cJSON_Delete(req);
}

/* secrets_get - decrypt one value and reply with it; replies either way */
static void
secrets_get(struct worker_rt *rt, struct frame *f, const char *name)
{
	struct secrets		*sec = rt->priv;
	struct store_entry	 meta;
	char			 err[SECRETS_ERR_MAX], who[32], *value;
	size_t			 len;
	cJSON			*body;

	if (store_get(sec->store, name, &value, &len, &meta, err,
	    sizeof(err)) == -1) {
		secrets_failed(rt, f, errno, err);
		return;
	}
	if (strlen(value) != len)
		worker_reply_error(rt, f, "store_error", "secret '%s' holds a "
		    "NUL byte and cannot be handed out as text", name);
	else {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "name", meta.name);
		cJSON_AddStringToObject(body, "provider", meta.provider);
		/* a reference: cJSON neither copies nor frees the value */
		cJSON_AddItemToObject(body, "value",
		    cJSON_CreateStringReference(value));
		worker_reply(rt, f, MSG_SECRET_GET, body);
		log_debug("%s read secret '%s'",
		    secrets_acl_who(f->hdr.src, who, sizeof(who)), name);
	}
	OPENSSL_cleanse(value, len);
	free(value);
}

/* secrets_on_get - MSG_SECRET_GET: a value, to a granted requester only */
void
secrets_on_get(struct worker_rt *rt, struct frame *f)
{
	struct secrets	*sec = rt->priv;
	const char	*name;
	cJSON		*req;

	if ((req = secrets_request(rt, f)) == NULL)
		return;
	name = secrets_str(req, "name");
	if (secrets_allowed(rt, f, SECRETS_OP_GET, name) &&
	    secrets_name(rt, f, name) != NULL) {
		secrets_refresh(sec);
		if (secrets_usable(rt, f))
			secrets_get(rt, f, name);
	}
	cJSON_Delete(req);
}
