/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_token - find the bearer token corralctl sends
 * SYNOPSIS
 *	See ctl_token.h.
 * DESCRIPTION
 *	The precedence mirrors corral's own configuration (flag, then
 *	environment, then the file in state_root), so that on a laptop
 *	`corralctl status` run from the directory where `corral` was
 *	started just works with the admin token the daemon created.
 *
 *	Every buffer that held the token is wiped before it is freed.
 * DIAGNOSTICS
 *	Nothing is printed; err and the note say what happened, naming
 *	files and variables but never the token.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

#include "ctl_token.h"

static struct ctl_token *ctl_token_new(char *, const char *, const char *);
static const char *ctl_token_env(const char *);

/* ctl_token_new - a token that takes ownership of value */
static struct ctl_token *
ctl_token_new(char *value, const char *what, const char *path)
{
	struct ctl_token	*tok;

	tok = xcalloc(1, sizeof(*tok));
	tok->value = value;
	if (path != NULL)
		xasprintf(&tok->source, "%s %s", what, path);
	else
		tok->source = xstrdup(what);
	return (tok);
}

/* ctl_token_env - a variable's value, NULL when unset or empty */
static const char *
ctl_token_env(const char *name)
{
	const char	*v;

	v = getenv(name);
	return (v != NULL && *v != '\0' ? v : NULL);
}

/* ctl_token_valid - 1 if the token can go in a header */
int
ctl_token_valid(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] <= ' ' || (unsigned char)s[n] >= 0x7f)
			return (0);
	return (n > 0 && n <= CTL_TOKEN_MAX);
}

/* ctl_token_read - read and trim a token file; 0 or -1 with err */
int
ctl_token_read(const char *path, char **valuep, char *err, size_t errlen)
{
	struct stat	 st;
	char		 buf[CTL_TOKEN_MAX + 2], *start, *end;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, saved;

	*valuep = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		goto fail;
	if (fstat(fd, &st) == -1)
		goto fail_close;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		snprintf(err, errlen, "not a regular file");
		return (-1);
	}
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail_close;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	for (start = buf; *start == ' ' || *start == '\t' || *start == '\r' ||
	    *start == '\n'; start++)
		;
	for (end = buf + len; end > start && (end[-1] == ' ' ||
	    end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'); end--)
		;
	*end = '\0';
	if (len > CTL_TOKEN_MAX)
		snprintf(err, errlen, "the token is longer than %d bytes",
		    CTL_TOKEN_MAX);
	else if (start == end)
		snprintf(err, errlen, "the file is empty");
	else if (memchr(start, '\0', (size_t)(end - start)) != NULL ||
	    !ctl_token_valid(start))
		snprintf(err, errlen,
		    "the file holds characters a token cannot have");
	else {
		*valuep = xstrdup(start);
		explicit_bzero(buf, sizeof(buf));
		return (0);
	}
	explicit_bzero(buf, sizeof(buf));
	errno = EINVAL;
	return (-1);

fail_close:
	saved = errno;
	close(fd);
	errno = saved;
fail:
	snprintf(err, errlen, "%s", strerror(errno));
	return (-1);
}

/* ctl_token_load - the token by precedence; 0 (maybe none) or -1 */
int
ctl_token_load(const char *flag_file, struct ctl_token **tokp, char **notep,
    char *err, size_t errlen)
{
	const char	*env, *dir;
	char		*value, *path, why[128];

	*tokp = NULL;
	*notep = NULL;
	if (flag_file != NULL) {
		if (ctl_token_read(flag_file, &value, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "--token-file %s: %s", flag_file,
			    why);
			return (-1);
		}
		*tokp = ctl_token_new(value, "--token-file", flag_file);
		return (0);
	}
	if ((env = ctl_token_env("CORRAL_TOKEN")) != NULL) {
		if (!ctl_token_valid(env)) {
			snprintf(err, errlen, "CORRAL_TOKEN holds characters "
			    "a token cannot have");
			return (-1);
		}
		*tokp = ctl_token_new(xstrdup(env), "CORRAL_TOKEN", NULL);
		return (0);
	}
	if ((env = ctl_token_env("CORRAL_TOKEN_FILE")) != NULL) {
		if (ctl_token_read(env, &value, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "CORRAL_TOKEN_FILE %s: %s", env,
			    why);
			return (-1);
		}
		*tokp = ctl_token_new(value, "CORRAL_TOKEN_FILE", env);
		return (0);
	}
	if ((dir = ctl_token_env("CORRAL_STATE_ROOT")) == NULL)
		dir = CTL_TOKEN_DEFAULT_DIR;
	xasprintf(&path, "%s/%s", dir, CTL_TOKEN_FILE_NAME);
	if (ctl_token_read(path, &value, why, sizeof(why)) == 0) {
		*tokp = ctl_token_new(value, "token file", path);
		free(path);
		return (0);
	}
	if (errno == ENOENT)
		xasprintf(notep, "no token: none of --token-file, "
		    "CORRAL_TOKEN, CORRAL_TOKEN_FILE given and no %s", path);
	else
		xasprintf(notep, "no token: cannot use %s: %s", path, why);
	free(path);
	return (0);
}

/* ctl_token_free - wipe and free; NULL is fine */
void
ctl_token_free(struct ctl_token *tok)
{
	if (tok == NULL)
		return;
	if (tok->value != NULL) {
		explicit_bzero(tok->value, strlen(tok->value));
		free(tok->value);
	}
	free(tok->source);
	free(tok);
}
