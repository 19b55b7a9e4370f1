/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_file.c - the "key = value" syntax of corral.conf
 * SYNOPSIS
 *	#include "config_priv.h"
 *
 *	int	config_file_read(FILE *fp, const char *path,
 *		    int (*line_cb)(void *, char *, char *, int), void *arg,
 *		    char *err, size_t errlen);
 * DESCRIPTION
 *	config_file_read reads fp line by line. Blank lines and lines whose
 *	first non-blank character is '#' are skipped. Every other line is
 *	"key = value": the key is everything before the first '=' (it may
 *	hold a space, as in "worker http"), trimmed; the value is trimmed
 *	and may be quoted with "..." (\" and \\ stand for " and \). In an
 *	unquoted value a '#' after a blank starts a comment; a quoted value
 *	may only be followed by blanks or a comment. line_cb gets the key,
 *	the value and the line number, and decides what they mean; this
 *	file knows no setting names.
 * DIAGNOSTICS
 *	"path:line: expected 'key = value'", "path:line: key: unterminated
 *	quote ...", "path: cannot read: reason". The line buffer is wiped
 *	before it is freed, since a line may have held a token.
 * SEE ALSO
 *	config.c, corral.conf(5)
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

/* config_file_value - the value part of a line, unquoted in place */
static int
config_file_value(char *s, char **out)
{
	char	*r, *w, *p;

	while (isspace((unsigned char)*s))
		s++;
	*out = s;
	if (*s == '"') {
		for (r = s + 1, w = s; *r != '"'; r++) {
			if (*r == '\0')
				return (-1);
			if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r;
		}
		*w = '\0';
		for (r++; isspace((unsigned char)*r); r++)
			;
		return (*r == '\0' || *r == '#' ? 0 : -1);
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	for (p = s + strlen(s); p > s && isspace((unsigned char)p[-1]); p--)
		p[-1] = '\0';
	return (0);
}

/* config_file_line - split one line, modified in place, and hand it on */
static int
config_file_line(char *s, const char *path, int line,
    int (*line_cb)(void *, char *, char *, int), void *arg, char *err,
    size_t errlen)
{
	char	*eq, *val, *p;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#')
		return (0);
	if ((eq = strchr(s, '=')) == NULL)
		return (config_fail(err, errlen, "%s:%d: expected "
		    "'key = value'", path, line));
	*eq = '\0';
	for (p = eq; p > s && isspace((unsigned char)p[-1]); p--)
		p[-1] = '\0';
	if (config_file_value(eq + 1, &val) == -1)
		return (config_fail(err, errlen, "%s:%d: %s: unterminated "
		    "quote or text after the closing quote", path, line, s));
	return (line_cb(arg, s, val, line));
}

/* config_file_read - call line_cb for each "key = value" line of fp */
int
config_file_read(FILE *fp, const char *path,
    int (*line_cb)(void *, char *, char *, int), void *arg, char *err,
    size_t errlen)
{
	char	*buf = NULL;
	size_t	 cap = 0;
	int	 line = 0, rc = 0;

	while (rc == 0 && getline(&buf, &cap, fp) != -1)
		rc = config_file_line(buf, path, ++line, line_cb, arg, err,
		    errlen);
	if (rc == 0 && ferror(fp))
		rc = config_fail(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
	if (buf != NULL)
		explicit_bzero(buf, cap);
	free(buf);
	return (rc);
}
