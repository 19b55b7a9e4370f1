/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_check - the character rules engine profiles and launch
 *	requests share
 * SYNOPSIS
 *	#include "eng_check.h"
 * DESCRIPTION
 *	See eng_check.h. Every check is on bytes (the C locale): what is
 *	not plain ASCII in a name is refused, and control characters are
 *	refused wherever a value could end up in a Docker field that is
 *	split or echoed.
 * DIAGNOSTICS
 *	See eng_check.h.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eng_check.h"

#define ENG_CHECK_ALNUM		"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789"
#define ENG_CHECK_VOLUME_CHARS	ENG_CHECK_ALNUM "_.-"
#define ENG_CHECK_ENV_FIRST	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz_"
#define ENG_CHECK_ENV_CHARS	ENG_CHECK_ALNUM "_"
#define ENG_CHECK_SECRET_CHARS	ENG_CHECK_ALNUM "._-"

/* eng_check_has_ctl - 1 if s holds a byte below ' ' or DEL */
int
eng_check_has_ctl(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			return (1);
	return (0);
}

/* eng_check_image - NULL if s is an acceptable image reference, or why */
const char *
eng_check_image(const char *s)
{
	if (*s == '\0')
		return ("must not be empty");
	if (strlen(s) > ENG_CHECK_IMAGE_MAX)
		return ("longer than 512 characters");
	if (eng_check_has_ctl(s) || strchr(s, ' ') != NULL)
		return ("must not hold blanks or control characters");
	return (NULL);
}

/* eng_check_volume - NULL if s is SOURCE:TARGET[:ro], or why */
const char *
eng_check_volume(const char *s)
{
	const char	*c1, *c2, *c3;
	size_t		 n;

	if (eng_check_has_ctl(s))
		return ("must not hold control characters");
	c1 = strchr(s, ':');
	c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
	c3 = c2 != NULL ? strchr(c2 + 1, ':') : NULL;
	if (c1 == NULL || c3 != NULL || (c2 != NULL && strcmp(c2, ":ro") != 0))
		return ("want SOURCE:TARGET or SOURCE:TARGET:ro");
	n = (size_t)(c1 - s);
	if (n == 0)
		return ("has no SOURCE before the ':'");
	if (s[0] != '/' && (n < 2 || strchr(ENG_CHECK_ALNUM, s[0]) == NULL ||
	    strspn(s, ENG_CHECK_VOLUME_CHARS) < n))
		return ("SOURCE must be an absolute path or a volume name "
		    "([A-Za-z0-9][A-Za-z0-9_.-]+)");
	if (c1[1] != '/')
		return ("TARGET must be an absolute path");
	if (c1[2] == '\0' || c1 + 2 == c2)
		return ("TARGET must not be /");
	return (NULL);
}

/* eng_check_env_name - 1 if s is a variable name */
int
eng_check_env_name(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= ENG_CHECK_ENV_NAME_MAX &&
	    strchr(ENG_CHECK_ENV_FIRST, s[0]) != NULL &&
	    strspn(s, ENG_CHECK_ENV_CHARS) == n);
}

/* eng_check_secret_name - 1 if s is a secret store name */
int
eng_check_secret_name(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= ENG_CHECK_SECRET_MAX &&
	    strchr(ENG_CHECK_ALNUM, s[0]) != NULL &&
	    strspn(s, ENG_CHECK_SECRET_CHARS) == n);
}

/* eng_check_int - 1 and *out if j is a whole number from lo to hi */
int
eng_check_int(const cJSON *j, int lo, int hi, int *out)
{
	double	d;

	if (!cJSON_IsNumber(j))
		return (0);
	d = j->valuedouble;
	if (!(d >= lo && d <= hi) || (double)(int)d != d)
		return (0);
	if (out != NULL)
		*out = (int)d;
	return (1);
}

/* eng_check_echo - s printable and short, into buf (ENG_CHECK_ECHO_LEN) */
const char *
eng_check_echo(const char *s, char *buf, size_t len)
{
	size_t	i;

	if (len == 0)
		return ("");
	for (i = 0; s[i] != '\0' && i < ENG_CHECK_ECHO_MAX && i + 4 < len;
	    i++)
		buf[i] = s[i] >= ' ' && s[i] < 0x7f ? s[i] : '?';
	if (s[i] != '\0' && i + 4 <= len) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return (buf);
}

/* eng_check_echo_key - eng_check_echo, but "" for the empty name */
const char *
eng_check_echo_key(const char *s, char *buf, size_t len)
{
	return (s[0] == '\0' ? "\"\"" : eng_check_echo(s, buf, len));
}
