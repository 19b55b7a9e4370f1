/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_registry.h - every skill of skills_dir
 * SYNOPSIS
 *	struct skill_registry *skill_registry_load(const char *skills_dir,
 *		    char *err, size_t errlen);
 *	const struct skill *skill_registry_find(
 *		    const struct skill_registry *r, const char *name);
 *	cJSON	*skill_registry_json(const struct skill_registry *r);
 *	void	skill_registry_free(struct skill_registry *r);
 * DESCRIPTION
 *	skill_registry_load reads every folder of skills_dir that has a
 *	skill.json (others, and names starting with '.', are skipped),
 *	sorted by name. A missing skills_dir is an empty registry; one that
 *	is not a directory, or any skill that does not check, or more than
 *	SKILL_REGISTRY_MAX skills, fails the whole load: the line is
 *	"skills_dir: " then skill_manifest_load's line.
 *
 *	skill_registry_json is {"skills":[skill_json(s, 0), ...]}.
 * DIAGNOSTICS
 *	skill_registry_load returns NULL with one line in err.
 */
#ifndef CORRAL_SKILL_REGISTRY_H
#define CORRAL_SKILL_REGISTRY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "skill_manifest.h"

#define SKILL_REGISTRY_MAX	1024

struct skill_registry {
	struct skill	**v;		/* sorted by name */
	size_t		  n;
};

struct skill_registry *skill_registry_load(const char *skills_dir,
	    char *err, size_t errlen);
const struct skill *skill_registry_find(const struct skill_registry *r,
	    const char *name);
cJSON	*skill_registry_json(const struct skill_registry *r);
void	skill_registry_free(struct skill_registry *r);

#endif
