/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_check - check-config's look at the master key
 * SYNOPSIS
 *	int	secrets_check_key(const char *state_root, char *err,
 *		    size_t errlen);
 * DESCRIPTION
 *	The running master never reads the master key: only the secrets
 *	worker does, so a malformed or wrong key shows at run time as a
 *	failed secrets worker. `corral check-config`, which container
 *	entrypoints run before the daemon, is an offline command like
 *	`corral secrets list`, so it may: it loads the key from
 *	CORRAL_AUTH_STORE_MASTER_KEY or CORRAL_AUTH_STORE_MASTER_KEY_FILE,
 *	checks its form, opens the store under state_root with it (a store
 *	that does not exist yet is fine) and wipes it again.
 * DIAGNOSTICS
 *	0, or 2 with one line in err ("master key does not match the store
 *	at PATH", "... is not base64", ...). No key configured is not an
 *	error here: the secrets worker then serves names only.
 */
#include <stdlib.h>

#include <openssl/crypto.h>

#include "config.h"
#include "store.h"
#include "secrets_check.h"

/* secrets_check_key - the configured key is well formed and fits the store */
int
secrets_check_key(const char *state_root, char *err, size_t errlen)
{
	unsigned char	 key[STORE_KEY_LEN];
	const char	*inl = getenv(CONFIG_MASTER_KEY_ENV);
	const char	*file = getenv(CONFIG_MASTER_KEY_FILE_ENV);
	struct store	*s;

	if (inl != NULL && *inl == '\0')
		inl = NULL;
	if (file != NULL && *file == '\0')
		file = NULL;
	if (inl == NULL && file == NULL)
		return (0);
	if (store_key_load(inl, file, key, err, errlen) == -1) {
		OPENSSL_cleanse(key, sizeof(key));
		return (2);
	}
	s = store_open(state_root, key, err, errlen);
	OPENSSL_cleanse(key, sizeof(key));
	if (s == NULL)
		return (2);
	store_close(s);
	return (0);
}
