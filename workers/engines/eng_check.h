/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_check.h - the character rules engine profiles and launch
 *	requests share
 * SYNOPSIS
 *	const char *eng_check_image(const char *s);
 *	const char *eng_check_volume(const char *s);
 *	int	eng_check_env_name(const char *s);
 *	int	eng_check_secret_name(const char *s);
 *	int	eng_check_has_ctl(const char *s);
 *	int	eng_check_int(const cJSON *j, int lo, int hi, int *out);
 *	const char *eng_check_echo(const char *s, char *buf, size_t len);
 *	const char *eng_check_echo_key(const char *s, char *buf, size_t len);
 * DESCRIPTION
 *	eng_check_image: an image reference is 1-ENG_CHECK_IMAGE_MAX
 *	characters without blanks or control characters.
 *
 *	eng_check_volume: a volume, after its placeholders are expanded, is
 *	"SOURCE:TARGET" or "SOURCE:TARGET:ro"; SOURCE an absolute path or a
 *	Docker volume name ([A-Za-z0-9][A-Za-z0-9_.-]+), TARGET an absolute
 *	path, neither with control characters.
 *
 *	eng_check_env_name: [A-Za-z_][A-Za-z0-9_]*, at most
 *	ENG_CHECK_ENV_NAME_MAX. eng_check_secret_name: a secret store name,
 *	[A-Za-z0-9._-] starting with a letter or digit, at most 128.
 *
 *	eng_check_int: a JSON number that is a whole number from lo to hi.
 *	eng_check_has_ctl: does s hold a byte below ' ' or DEL?
 *
 *	eng_check_echo: s made printable ('?' for anything else) and cut
 *	to ENG_CHECK_ECHO_MAX characters ("..." after), for messages.
 *	eng_check_echo_key: the same for a JSON member name that starts a
 *	message, the empty name shown as "".
 * DIAGNOSTICS
 *	The const char * checks return NULL when s is fine, else why (a
 *	static phrase). The int checks return 1 when fine, else 0.
 */
#ifndef CORRAL_ENG_CHECK_H
#define CORRAL_ENG_CHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define ENG_CHECK_IMAGE_MAX	512
#define ENG_CHECK_ENV_NAME_MAX	128
#define ENG_CHECK_SECRET_MAX	128
#define ENG_CHECK_ECHO_MAX	48
#define ENG_CHECK_ECHO_LEN	(ENG_CHECK_ECHO_MAX + 4)

/* eng_check_image - NULL if s is an acceptable image reference, or why */
const char	*eng_check_image(const char *s);

/* eng_check_volume - NULL if s is SOURCE:TARGET[:ro], or why */
const char	*eng_check_volume(const char *s);

/* eng_check_env_name - 1 if s is a variable name */
int		 eng_check_env_name(const char *s);

/* eng_check_secret_name - 1 if s is a secret store name */
int		 eng_check_secret_name(const char *s);

/* eng_check_int - 1 and *out if j is a whole number from lo to hi */
int		 eng_check_int(const cJSON *j, int lo, int hi, int *out);

/* eng_check_has_ctl - 1 if s holds a control character */
int		 eng_check_has_ctl(const char *s);

/* eng_check_echo - s printable and short, into buf (ENG_CHECK_ECHO_LEN) */
const char	*eng_check_echo(const char *s, char *buf, size_t len);

/* eng_check_echo_key - eng_check_echo, but "" for the empty name */
const char	*eng_check_echo_key(const char *s, char *buf, size_t len);

#endif
