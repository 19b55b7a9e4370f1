/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_registry - every skill of skills_dir
 * SYNOPSIS
 *	#include "skill_registry.h"
 * DESCRIPTION
 *	See skill_registry.h. skill_registry_load lists skills_dir first:
 *	an entry is a skill when NAME/skill.json exists (as anything: a
 *	skill.json that is a link or a folder is then refused by
 *	skill_manifest_load, not skipped); entries starting with '.', files,
 *	and folders without skill.json are skipped. The names are sorted
 *	and the skills read in that order, so the first bad skill named is
 *	always the same one. A folder of skills_dir may be a symbolic link
 *	to a folder; skill.json and the prompt file may not be links.
 * DIAGNOSTICS
 *	One line in err, "skills_dir: " then what is wrong: "DIR: not a
 *	directory", "DIR: cannot read: why", "DIR: more than 1024 skills",
 *	or skill_manifest_load's line. Running out of memory is fatal.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "skill_manifest.h"
#include "skill_registry.h"

static void	skill_registry_fail(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* skill_registry_fail - "skills_dir: " and the line into err */
static void
skill_registry_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (err == NULL || errlen == 0)
		return;
	n = snprintf(err, errlen, "skills_dir: ");
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* skill_registry_name_cmp - qsort order of names */
static int
skill_registry_name_cmp(const void *a, const void *b)
{
	const char *const	*x = a, *const *y = b;

	return (strcmp(*x, *y));
}

/* skill_registry_names_free - free a vector of n names */
static void
skill_registry_names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* skill_registry_is_skill - 1 if the entry has a skill.json, 0 if not, -1
 * if that cannot be told (errno set) */
static int
skill_registry_is_skill(DIR *d, const char *entry)
{
	struct stat	st;
	char		rel[512];

	if (snprintf(rel, sizeof(rel), "%s/%s", entry, SKILL_MANIFEST_FILE) >=
	    (int)sizeof(rel))
		return (0);
	if (fstatat(dirfd(d), rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return (1);
	return (errno == ENOENT || errno == ENOTDIR ? 0 : -1);
}

/* skill_registry_names - the sorted names of skills_dir's skills; 0, or -1
 * and the line (a missing skills_dir has none) */
static int
skill_registry_names(const char *skills_dir, char ***namesp, size_t *np,
    char *err, size_t errlen)
{
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL;
	size_t		  n = 0, cap = 0;
	int		  is;

	*namesp = NULL;
	*np = 0;
	if ((d = opendir(skills_dir)) == NULL) {
		if (errno == ENOENT)
			return (0);
		if (errno == ENOTDIR)
			skill_registry_fail(err, errlen, "%s: not a directory",
			    skills_dir);
		else
			skill_registry_fail(err, errlen, "%s: cannot read: %s",
			    skills_dir, strerror(errno));
		return (-1);
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno == 0)
				break;
			skill_registry_fail(err, errlen, "%s: cannot read: %s",
			    skills_dir, strerror(errno));
			goto bad;
		}
		if (de->d_name[0] == '.')
			continue;
		if ((is = skill_registry_is_skill(d, de->d_name)) == 0)
			continue;
		if (is == -1) {
			skill_registry_fail(err, errlen, "%s/%s/%s: cannot "
			    "read: %s", skills_dir, de->d_name,
			    SKILL_MANIFEST_FILE, strerror(errno));
			goto bad;
		}
		if (n == SKILL_REGISTRY_MAX) {
			skill_registry_fail(err, errlen, "%s: more than %d "
			    "skills", skills_dir, SKILL_REGISTRY_MAX);
			goto bad;
		}
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), skill_registry_name_cmp);
	*namesp = names;
	*np = n;
	return (0);
bad:
	closedir(d);
	skill_registry_names_free(names, n);
	return (-1);
}

/* skill_registry_load - every skill of skills_dir; NULL and the line */
struct skill_registry *
skill_registry_load(const char *skills_dir, char *err, size_t errlen)
{
	struct skill_registry	*r;
	char			**names, why[1024];
	size_t			  n, i;

	if (skill_registry_names(skills_dir, &names, &n, err, errlen) == -1)
		return (NULL);
	r = xcalloc(1, sizeof(*r));
	r->v = xcalloc(n + 1, sizeof(*r->v));
	for (i = 0; i < n; i++) {
		if (skill_manifest_load(skills_dir, names[i], &r->v[i], why,
		    sizeof(why)) == -1) {
			skill_registry_fail(err, errlen, "%s", why);
			skill_registry_free(r);
			r = NULL;
			break;
		}
		r->n++;
	}
	skill_registry_names_free(names, n);
	return (r);
}

/* skill_registry_find_cmp - bsearch order: a name against a skill */
static int
skill_registry_find_cmp(const void *key, const void *elem)
{
	const struct skill *const	*s = elem;

	return (strcmp(key, (*s)->name));
}

/* skill_registry_find - the skill called name, or NULL */
const struct skill *
skill_registry_find(const struct skill_registry *r, const char *name)
{
	struct skill	**s;

	if (r == NULL || r->n == 0 || name == NULL)
		return (NULL);
	s = bsearch(name, r->v, r->n, sizeof(*r->v), skill_registry_find_cmp);
	return (s != NULL ? *s : NULL);
}

/* skill_registry_json - {"skills": [skill, ...]}, by name */
cJSON *
skill_registry_json(const struct skill_registry *r)
{
	cJSON	*o, *list;
	size_t	 i;

	o = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(o, "skills");
	for (i = 0; r != NULL && i < r->n; i++)
		cJSON_AddItemToArray(list, skill_json(r->v[i], 0));
	return (o);
}

/* skill_registry_free - free the registry and its skills; NULL is fine */
void
skill_registry_free(struct skill_registry *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		skill_free(r->v[i]);
	free(r->v);
	free(r);
}
