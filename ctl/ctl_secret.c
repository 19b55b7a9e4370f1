/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_secret - a secret's value for corralctl secrets set
 * SYNOPSIS
 *	See ctl_secret.h.
 * DESCRIPTION
 *	The value is read with read(2) into one buffer of its final size
 *	limit, never through stdio (whose buffers would keep a copy we
 *	cannot clear), and every buffer that held it is cleared before it
 *	is freed. Messages say where a value came from and why it was
 *	refused, never what it was.
 *
 *	One trailing newline ("\n" or "\r\n") is dropped, whatever the
 *	source, because `echo "$KEY" > file` and most editors add one that
 *	no API key holds, and because `corral secrets set` does the same:
 *	one input gives one value either way. Anything else (blanks, a
 *	second newline) is kept.
 *
 *	--from-stdin on a terminal reads one line with echo off, after a
 *	prompt on stderr, as `corral secrets set` does.
 * DIAGNOSTICS
 *	None beyond the err lines; memory exhaustion is fatal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl_secret.h"

/* room for the largest value, its newline, and one byte to see excess */
#define CTL_SECRET_READ_MAX	(CTL_SECRET_VALUE_MAX + 3)

/* ctl_secret_name_ok - 1 if name can name a secret */
int
ctl_secret_name_ok(const char *name)
{
	size_t	n;
	int	c;

	for (n = 0; (c = (unsigned char)name[n]) != '\0'; n++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (n == 0 || (c != '.' && c != '_' && c != '-'))
			return (0);
	}
	return (n > 0 && n <= CTL_SECRET_NAME_MAX);
}

/* ctl_secret_free - clear len bytes, then free; NULL is fine */
void
ctl_secret_free(char *val, size_t len)
{
	if (val == NULL)
		return;
	explicit_bzero(val, len);
	free(val);
}

/* ctl_secret_check - size and NUL rules for a value of len bytes */
static int
ctl_secret_check(const char *what, const char *val, size_t len, char *err,
    size_t errlen)
{
	if (len == 0)
		snprintf(err, errlen, "%s: the value is empty", what);
	else if (len > CTL_SECRET_VALUE_MAX)
		snprintf(err, errlen, "%s: the value is over %d bytes", what,
		    CTL_SECRET_VALUE_MAX);
	else if (memchr(val, '\0', len) != NULL)
		snprintf(err, errlen, "%s: the value holds a NUL byte", what);
	else
		return (0);
	return (-1);
}

/* ctl_secret_finish - drop one trailing newline, then check; 0 or -1 */
static int
ctl_secret_finish(const char *what, char *buf, size_t *lenp, char *err,
    size_t errlen)
{
	size_t	len = *lenp;

	/* a full buffer is too long whatever follows: keep its newline */
	if (len > 0 && len < CTL_SECRET_READ_MAX && buf[len - 1] == '\n') {
		buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '\r')
			buf[--len] = '\0';
	}
	buf[len] = '\0';
	*lenp = len;
	return (ctl_secret_check(what, buf, len, err, errlen));
}

/* ctl_secret_from_env - the value of a variable; 0 or -1 with err */
int
ctl_secret_from_env(const char *var, char **valp, size_t *lenp, char *err,
    size_t errlen)
{
	const char	*v;
	char		 what[128], *buf;
	size_t		 len;

	*valp = NULL;
	snprintf(what, sizeof(what), "--from-env %s", var);
	if ((v = getenv(var)) == NULL) {
		snprintf(err, errlen, "%s: the variable is not set", what);
		return (-1);
	}
	if ((len = strlen(v)) > CTL_SECRET_READ_MAX)
		len = CTL_SECRET_READ_MAX;
	buf = xmalloc(CTL_SECRET_READ_MAX + 1);
	memcpy(buf, v, len);
	if (ctl_secret_finish(what, buf, &len, err, errlen) == -1) {
		ctl_secret_free(buf, CTL_SECRET_READ_MAX + 1);
		return (-1);
	}
	*valp = buf;
	*lenp = len;
	return (0);
}

/* ctl_secret_quiet - a terminal: echo off and a prompt; 1 if so */
static int
ctl_secret_quiet(int fd, struct termios *old)
{
	struct termios	t;

	if (!isatty(fd) || tcgetattr(fd, old) == -1)
		return (0);
	t = *old;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (tcsetattr(fd, TCSAFLUSH, &t) == -1)
		return (0);
	fprintf(stderr, "value for the secret (not echoed), then Enter: ");
	fflush(stderr);
	return (1);
}

/* ctl_secret_from_fd - everything fd holds; 0 or -1 with err */
int
ctl_secret_from_fd(int fd, const char *what, char **valp, size_t *lenp,
    char *err, size_t errlen)
{
	struct termios	 old;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 tty, saved = 0;

	*valp = NULL;
	buf = xmalloc(CTL_SECRET_READ_MAX + 1);
	tty = ctl_secret_quiet(fd, &old);
	while (len < CTL_SECRET_READ_MAX) {
		n = read(fd, buf + len, CTL_SECRET_READ_MAX - len);
		if (n == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			break;
		}
		len += (size_t)n;
		if (tty && buf[len - 1] == '\n')
			break;		/* a terminal gives one line */
	}
	if (tty) {
		(void)tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (saved != 0) {
		snprintf(err, errlen, "%s: %s", what, strerror(saved));
		ctl_secret_free(buf, len);
		return (-1);
	}
	if (ctl_secret_finish(what, buf, &len, err, errlen) == -1) {
		ctl_secret_free(buf, CTL_SECRET_READ_MAX + 1);
		return (-1);
	}
	*valp = buf;
	*lenp = len;
	return (0);
}

/* ctl_secret_from_file - the content of a file; 0 or -1 with err */
int
ctl_secret_from_file(const char *path, char **valp, size_t *lenp, char *err,
    size_t errlen)
{
	char	what[512];
	int	fd, rc;

	*valp = NULL;
	snprintf(what, sizeof(what), "--from-file %s", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return (-1);
	}
	rc = ctl_secret_from_fd(fd, what, valp, lenp, err, errlen);
	close(fd);
	return (rc);
}

/* ctl_secret_body - {"provider","value"} as JSON; release it */
char *
ctl_secret_body(const char *provider, const char *val, size_t len,
    size_t *outlen)
{
	cJSON	*o;
	char	*buf;
	size_t	 size;

	/* every byte may become \u00XX; cJSON asks for 5 bytes of slack */
	size = (len + strlen(provider)) * 6 + 64;
	buf = xmalloc(size);
	o = cJSON_CreateObject();
	if (o == NULL || cJSON_AddStringToObject(o, "provider",
	    provider) == NULL || !cJSON_AddItemToObject(o, "value",
	    cJSON_CreateStringReference(val)) ||
	    !cJSON_PrintPreallocated(o, buf, (int)size, 0)) {
		cJSON_Delete(o);
		ctl_secret_free(buf, size);
		*outlen = 0;
		return (NULL);
	}
	cJSON_Delete(o);	/* the value is a reference: not freed */
	*outlen = strlen(buf);
	return (buf);
}
