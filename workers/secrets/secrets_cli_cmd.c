/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_cli_cmd - the commands of `corral secrets ...`
 * SYNOPSIS
 *	#include "secrets_cli_priv.h"
 *
 *	int	scli_generate(struct scli_opts *o);
 *	int	scli_set(struct scli_opts *o);
 *	int	scli_list(struct scli_opts *o);
 *	int	scli_delete(struct scli_opts *o);
 *	int	scli_rekey(struct scli_opts *o);
 * DESCRIPTION
 *	Each command gets the options secrets_cli.c parsed and returns the
 *	exit code. The state root is --state-root, else CORRAL_STATE_ROOT
 *	(either must be absolute), else ./var/state made absolute, as for
 *	the daemon. The master key comes from CORRAL_AUTH_STORE_MASTER_KEY
 *	or CORRAL_AUTH_STORE_MASTER_KEY_FILE (store_key_load); list goes
 *	without one if neither is set. A new key for rekey comes from
 *	--new-key-file only.
 *
 *	A value never appears on the command line, in a message or on
 *	stdout: it comes from an environment variable, a file or stdin (a
 *	terminal does not echo it, and gives one line), one trailing newline
 *	(or CR LF) is dropped, and the buffer is wiped once the store has
 *	sealed it. So are both keys.
 * DIAGNOSTICS
 *	One line on stderr through scli_err. A key that does not
 *	match the store (EKEYREJECTED from the store) is CLI_USAGE like
 *	every other key problem; anything else the store reports is
 *	CLI_FAIL.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "fsutil.h"
#include "secrets_cli_priv.h"
#include "store.h"
#include "xmalloc.h"

#define CLI_ENV_KEY		"CORRAL_AUTH_STORE_MASTER_KEY"
#define CLI_ENV_KEY_FILE	"CORRAL_AUTH_STORE_MASTER_KEY_FILE"
#define CLI_KEY_FILE_MAX	4096

/* scli_code - the exit code for what the store said in errno */
static int
scli_code(int errnum)
{
	return (errnum == EKEYREJECTED ? CLI_USAGE : CLI_FAIL);
}

/* scli_state_root - the state root (malloc'd) into *out; 0 or exit code */
static int
scli_state_root(const struct scli_opts *o, char **out)
{
	const char	*v = o->state_root, *src = "--state-root";
	char		 cwd[PATH_MAX];
	size_t		 n;

	if (v == NULL && (v = getenv("CORRAL_STATE_ROOT")) != NULL)
		src = "CORRAL_STATE_ROOT";
	if (v == NULL) {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return (scli_err(o, CLI_FAIL, "cannot find the working "
			    "directory: %s", strerror(errno)));
		xasprintf(out, "%s/var/state", strcmp(cwd, "/") == 0 ? "" :
		    cwd);
		return (0);
	}
	if (*v == '\0')
		return (scli_err(o, CLI_USAGE, "%s: empty value", src));
	if (*v != '/')
		return (scli_err(o, CLI_USAGE, "%s: '%s' is relative; give an "
		    "absolute path", src, v));
	for (n = strlen(v); n > 1 && v[n - 1] == '/'; n--)
		;
	xasprintf(out, "%.*s", (int)n, v);
	return (0);
}

/* scli_key - the master key from the environment; 0, or exit code (2);
 * *have says whether one is configured (only list may go without) */
static int
scli_key(const struct scli_opts *o, unsigned char key[STORE_KEY_LEN],
    int *have)
{
	const char	*inl = getenv(CLI_ENV_KEY);
	const char	*file = getenv(CLI_ENV_KEY_FILE);
	char		 err[512];

	*have = inl != NULL || file != NULL;
	if (!*have && strcmp(o->cmd, "list") == 0)
		return (0);
	if (store_key_load(inl, file, key, err, sizeof(err)) == -1)
		return (scli_err(o, CLI_USAGE, "%s", err));
	*have = 1;
	return (0);
}

/* scli_open - the store under the state root; exit code on failure */
static int
scli_open(const struct scli_opts *o, const unsigned char *key,
    struct store **sp)
{
	char	*root, err[1024];
	int	 rc;

	if ((rc = scli_state_root(o, &root)) != 0)
		return (rc);
	*sp = store_open(root, key, err, sizeof(err));
	rc = *sp == NULL ? scli_code(errno) : 0;
	free(root);
	if (rc != 0)
		return (scli_err(o, rc, "%s", err));
	return (0);
}

/* scli_read_fd - all of fd, at most max bytes; a tty gives one line */
static int
scli_read_fd(int fd, char *buf, size_t max, size_t *len)
{
	struct termios	 old, quiet;
	ssize_t		 n;
	int		 tty, rc = 0, saved;

	*len = 0;
	if ((tty = isatty(fd) && tcgetattr(fd, &old) == 0)) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(fd, TCSAFLUSH, &quiet);
		fprintf(stderr, "value (not shown), then Enter: ");
	}
	while (*len <= max) {
		n = read(fd, buf + *len, max + 1 - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n == 0 ? 0 : -1;
			break;
		}
		*len += (size_t)n;
		if (tty && buf[*len - 1] == '\n')
			break;
	}
	if (tty) {
		saved = errno;
		(void)tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', stderr);
		errno = saved;
	}
	return (rc);
}

/* scli_value - the value from --from-env, --from-file or --from-stdin;
 * 0 (caller wipes and frees *val) or exit code */
static int
scli_value(const struct scli_opts *o, char **val, size_t *len)
{
	const char	*src, *v;
	char		*buf;
	size_t		 n, max = STORE_VALUE_MAX + 2;	/* CR LF */

	*val = NULL;
	if (o->from_env != NULL) {
		src = "--from-env";
		if ((v = getenv(o->from_env)) == NULL)
			return (scli_err(o, CLI_USAGE, "--from-env %s: the "
			    "variable is not set", o->from_env));
		if ((n = strlen(v)) > max)
			n = max + 1;
		buf = xmalloc(n + 1);
		memcpy(buf, v, n);
	} else if (o->from_file != NULL) {
		src = "--from-file";
		if (fs_read_file(o->from_file, max, &buf, &n) == -1)
			return (scli_err(o, CLI_USAGE, "--from-file %s: %s",
			    o->from_file, errno == EFBIG ? "larger than a "
			    "value can be" : strerror(errno)));
	} else {
		src = "--from-stdin";
		buf = xmalloc(max + 1);
		if (scli_read_fd(STDIN_FILENO, buf, max, &n) == -1) {
			scli_err(o, CLI_FAIL, "--from-stdin: %s",
			    strerror(errno));
			OPENSSL_cleanse(buf, max + 1);
			free(buf);
			return (CLI_FAIL);
		}
	}
	if (n > 0 && buf[n - 1] == '\n') {	/* one newline, or CR LF */
		n--;
		if (n > 0 && buf[n - 1] == '\r')
			n--;
	}
	buf[n] = '\0';
	*val = buf;
	*len = n;
	if (n == 0)
		return (scli_err(o, CLI_USAGE, "%s: the value is empty", src));
	if (n > STORE_VALUE_MAX)
		return (scli_err(o, CLI_USAGE, "%s: the value is larger than "
		    "%d bytes", src, STORE_VALUE_MAX));
	if (memchr(buf, '\0', n) != NULL)
		return (scli_err(o, CLI_USAGE, "%s: the value holds a NUL "
		    "byte", src));
	return (0);
}

/* scli_check_name - NAME given and valid; 0 or exit code */
static int
scli_check_name(const struct scli_opts *o)
{
	if (o->name == NULL)
		return (scli_err(o, CLI_USAGE, "NAME missing (see corral "
		    "secrets %s --help)", o->cmd));
	if (!store_name_valid(o->name))	/* not echoed: a value? */
		return (scli_err(o, CLI_USAGE, "not a valid secret name (1 to "
		    "%d of A-Z a-z 0-9 . _ -, starting with a letter or "
		    "digit)", STORE_NAME_MAX));
	return (0);
}

/* scli_generate - print a new master key */
int
scli_generate(struct scli_opts *o)
{
	char	buf[64];
	int	rc = CLI_OK;

	if (store_key_generate(buf, sizeof(buf)) == -1)
		return (scli_err(o, CLI_FAIL, "no random bytes from OpenSSL"));
	if (fputs(buf, stdout) == EOF || fflush(stdout) == EOF)
		rc = scli_err(o, CLI_FAIL, "cannot write the key: %s",
		    strerror(errno));
	OPENSSL_cleanse(buf, sizeof(buf));
	return (rc);
}

/* scli_set - store one secret */
int
scli_set(struct scli_opts *o)
{
	unsigned char		 key[STORE_KEY_LEN];
	struct store		*s = NULL;
	struct store_entry	 meta;
	char			*val = NULL, err[1024];
	size_t			 len = 0;
	int			 rc, have;

	if ((rc = scli_check_name(o)) != 0)
		return (rc);
	if (!o->offline)
		return (scli_err(o, CLI_USAGE, "changes go through the daemon "
		    "(corralctl secrets set) or need --offline"));
	if (o->provider == NULL || !store_provider_valid(o->provider))
		return (scli_err(o, CLI_USAGE, "%s (1 to %d of a-z 0-9 . _ -, "
		    "starting with a letter or digit)", o->provider == NULL ?
		    "--provider missing" : "--provider: not a valid provider",
		    STORE_PROVIDER_MAX));
	if ((o->from_env != NULL) + (o->from_file != NULL) + o->from_stdin != 1)
		return (scli_err(o, CLI_USAGE, "give the value with exactly "
		    "one of --from-env VAR, --from-file PATH, --from-stdin"));
	if ((rc = scli_key(o, key, &have)) != 0)
		goto out;
	if ((rc = scli_value(o, &val, &len)) != 0 ||
	    (rc = scli_open(o, key, &s)) != 0)
		goto out;
	if (store_put(s, o->name, o->provider, val, len, &meta, err,
	    sizeof(err)) == -1)
		rc = scli_err(o, scli_code(errno), "%s", err);
	else
		printf("secret %s stored in %s (provider %s)\n", meta.name,
		    store_path(s), meta.provider);
out:
	if (val != NULL) {
		OPENSSL_cleanse(val, len);
		free(val);
	}
	OPENSSL_cleanse(key, sizeof(key));
	store_close(s);
	return (rc);
}

/* scli_time - t as RFC 3339 UTC into out[32] */
static const char *
scli_time(time_t t, char *out)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "?");
	return (out);
}

/* scli_list_json - the entries as {"path","secrets":[...]} on stdout */
static void
scli_list_json(const struct store *s, const struct store_entry *e, size_t n)
{
	cJSON	*root, *arr, *o;
	char	*text, ts[32];
	size_t	 i;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "path", store_path(s));
	arr = cJSON_AddArrayToObject(root, "secrets");
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", e[i].name);
		cJSON_AddStringToObject(o, "provider", e[i].provider);
		cJSON_AddStringToObject(o, "created", scli_time(e[i].created,
		    ts));
		cJSON_AddStringToObject(o, "updated", scli_time(e[i].updated,
		    ts));
		cJSON_AddItemToArray(arr, o);
	}
	if ((text = cJSON_Print(root)) != NULL)
		printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(root);
}

/* scli_list - names and metadata, never values */
int
scli_list(struct scli_opts *o)
{
	unsigned char		 key[STORE_KEY_LEN];
	struct store		*s = NULL;
	struct store_entry	*e = NULL;
	char			 c[32], u[32];
	size_t			 n = 0, i;
	int			 rc, have, wn = 4, wp = 8;

	if ((rc = scli_key(o, key, &have)) != 0 ||
	    (rc = scli_open(o, have ? key : NULL, &s)) != 0)
		goto out;
	store_list(s, &e, &n);
	if (o->json)
		scli_list_json(s, e, n);
	else if (n == 0)
		printf("no secrets in %s\n", store_path(s));
	else {
		for (i = 0; i < n; i++) {
			if ((int)strlen(e[i].name) > wn)
				wn = (int)strlen(e[i].name);
			if ((int)strlen(e[i].provider) > wp)
				wp = (int)strlen(e[i].provider);
		}
		printf("%-*s  %-*s  %-20s  %s\n", wn, "NAME", wp, "PROVIDER",
		    "CREATED", "UPDATED");
		for (i = 0; i < n; i++) {
			printf("%-*s  %-*s  %-20s  %s\n", wn, e[i].name, wp,
			    e[i].provider, scli_time(e[i].created, c),
			    scli_time(e[i].updated, u));
		}
	}
	if (fflush(stdout) == EOF)
		rc = scli_err(o, CLI_FAIL, "cannot write: %s", strerror(errno));
out:
	free(e);
	OPENSSL_cleanse(key, sizeof(key));
	store_close(s);
	return (rc);
}

/* scli_delete - remove one secret */
int
scli_delete(struct scli_opts *o)
{
	unsigned char	 key[STORE_KEY_LEN];
	struct store	*s = NULL;
	char		 err[1024];
	int		 rc, have;

	if ((rc = scli_check_name(o)) != 0)
		return (rc);
	if (!o->offline)
		return (scli_err(o, CLI_USAGE, "changes go through the daemon "
		    "(corralctl secrets delete) or need --offline"));
	if ((rc = scli_key(o, key, &have)) != 0 ||
	    (rc = scli_open(o, key, &s)) != 0)
		goto out;
	if (store_delete(s, o->name, err, sizeof(err)) == -1)
		rc = scli_err(o, scli_code(errno), "%s", err);
	else
		printf("secret %s deleted from %s\n", o->name, store_path(s));
out:
	OPENSSL_cleanse(key, sizeof(key));
	store_close(s);
	return (rc);
}

/* scli_new_key - the key in --new-key-file; 0 or exit code */
static int
scli_new_key(const struct scli_opts *o, unsigned char key[STORE_KEY_LEN])
{
	char	*text, why[256];
	size_t	 len;
	int	 rc = 0;

	if (fs_read_file(o->new_key_file, CLI_KEY_FILE_MAX, &text, &len) == -1)
		return (scli_err(o, CLI_USAGE, "--new-key-file: cannot read "
		    "%s: %s", o->new_key_file, errno == EFBIG ? "larger than "
		    "a key file can be" : strerror(errno)));
	if (strlen(text) != len || store_key_parse(text, key, why,
	    sizeof(why)) == -1)
		rc = scli_err(o, CLI_USAGE, "--new-key-file %s: %s",
		    o->new_key_file, strlen(text) != len ? "the master key "
		    "is not base64 text" : why);
	OPENSSL_cleanse(text, len);
	free(text);
	return (rc);
}

/* scli_rekey - re-encrypt everything under a new key */
int
scli_rekey(struct scli_opts *o)
{
	unsigned char		 key[STORE_KEY_LEN], newkey[STORE_KEY_LEN];
	struct store		*s = NULL;
	struct store_entry	*e = NULL;
	char			 err[1024];
	size_t			 n = 0;
	int			 rc, have;

	memset(newkey, 0, sizeof(newkey));
	if (o->new_key_file == NULL)
		return (scli_err(o, CLI_USAGE, "--new-key-file missing (make "
		    "one with: corral secrets generate > FILE)"));
	if ((rc = scli_key(o, key, &have)) != 0 ||
	    (rc = scli_new_key(o, newkey)) != 0)
		goto out;
	if (CRYPTO_memcmp(key, newkey, sizeof(key)) == 0) {
		rc = scli_err(o, CLI_USAGE, "--new-key-file %s holds the key "
		    "the store has now", o->new_key_file);
		goto out;
	}
	if ((rc = scli_open(o, key, &s)) != 0)
		goto out;
	if (access(store_path(s), F_OK) == -1) {
		rc = scli_err(o, CLI_FAIL, "no store at %s; nothing to rekey",
		    store_path(s));
		goto out;
	}
	if (store_rekey(s, newkey, err, sizeof(err)) == -1) {
		rc = scli_err(o, scli_code(errno), "%s", err);
		goto out;
	}
	store_list(s, &e, &n);
	printf("%zu secret%s in %s now sealed under the key in %s\n"
	    "now start the daemon with the new key (%s or %s);\n"
	    "the old key no longer opens this store\n", n, n == 1 ? "" : "s",
	    store_path(s), o->new_key_file, CLI_ENV_KEY, CLI_ENV_KEY_FILE);
out:
	free(e);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(newkey, sizeof(newkey));
	store_close(s);
	return (rc);
}
