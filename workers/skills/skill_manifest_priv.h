/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_manifest_priv.h - inside the skill.json reader: shared by
 *	skill_manifest.c (the text, its top-level fields),
 *	skill_manifest_file.c (the files of a skill's folder) and
 *	skill_input.c (the "inputs" field and a run's input)
 * SYNOPSIS
 *	int	skill_manifest_fail(char *err, size_t errlen,
 *		    const char *fmt, ...);
 *	const char *skill_manifest_echo(const char *s, char *buf,
 *		    size_t len);
 *	int	skill_manifest_text_ok(const char *s, size_t max);
 *	int	skill_manifest_given_before(const cJSON *item);
 *	int	skill_manifest_whole(const cJSON *v, int lo, int hi);
 *	int	skill_manifest_line(const char *text, size_t off);
 *	int	skill_input_parse(const cJSON *v, struct skill *s, char *err,
 *		    size_t errlen);
 *	cJSON	*skill_input_json(const struct skill *s);
 * DESCRIPTION
 *	skill_manifest_fail writes one line into err (if any) and returns
 *	-1. skill_manifest_echo makes a name read from JSON printable and
 *	short enough for a message ("" shows as ""). skill_manifest_text_ok
 *	says whether s is at most max characters (code points) of UTF-8
 *	without a control character but tab. skill_manifest_given_before
 *	says whether a member of an object has the same key as an earlier
 *	member (cJSON keeps both). skill_manifest_whole says whether v is a
 *	whole number from lo to hi. skill_manifest_line is the line number
 *	of offset off, for a message (where utf8_prefix of common/utf8.h
 *	stops, say).
 *
 *	skill_input_parse reads the "inputs" object of a skill.json into
 *	s->inputs, naming "inputs.NAME.FIELD" in its line; skill_input_json
 *	is the "inputs" array of skill_json.
 * DIAGNOSTICS
 *	None of its own.
 */
#ifndef CORRAL_SKILL_MANIFEST_PRIV_H
#define CORRAL_SKILL_MANIFEST_PRIV_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "skill_manifest.h"

#define SKILL_ECHO_LEN		72
#define SKILL_TEXT_RULE		"at most 1024 characters without control " \
				"characters but tab"

/* skill_manifest_fail - one line into err; -1 */
int		 skill_manifest_fail(char *err, size_t errlen, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

/* skill_manifest_echo - s made printable and cut short, for a message */
const char	*skill_manifest_echo(const char *s, char *buf, size_t len);

/* skill_manifest_text_ok - at most max characters, no control but tab */
int		 skill_manifest_text_ok(const char *s, size_t max);

/* skill_manifest_given_before - an earlier member has item's key */
int		 skill_manifest_given_before(const cJSON *item);

/* skill_manifest_whole - v is a whole number from lo to hi */
int		 skill_manifest_whole(const cJSON *v, int lo, int hi);

/* skill_manifest_line - line number of offset off in text */
int		 skill_manifest_line(const char *text, size_t off);

/* skill_input_parse - the "inputs" field into s; 0, or -1 and the line */
int		 skill_input_parse(const cJSON *v, struct skill *s, char *err,
		    size_t errlen);

/* skill_input_json - the inputs as GET /v1/skills lists them */
cJSON		*skill_input_json(const struct skill *s);

#endif
