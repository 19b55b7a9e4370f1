/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_manifest_file - read one skill from its folder: skill.json
 *	and the prompt file
 * SYNOPSIS
 *	#include "skill_manifest.h"
 *
 *	int	skill_manifest_load(const char *skills_dir, const char *name,
 *		    struct skill **out, char *err, size_t errlen);
 * DESCRIPTION
 *	See skill_manifest.h. name must be a folder name (not empty, no
 *	'/', not . or ..). skill.json and the prompt file are opened with
 *	O_NOFOLLOW (a symbolic link is refused, so a link to some other
 *	file cannot be served as a prompt), O_NONBLOCK (a FIFO cannot hang
 *	the reader) and O_CLOEXEC; each must be a regular file of at most
 *	64 KiB. skill.json is checked by skill_manifest_parse; the prompt
 *	must be UTF-8 without a NUL byte (it may be empty).
 * DIAGNOSTICS
 *	-1 and one line in err starting with the path of the file at fault:
 *	"PATH: a symbolic link (not followed)", "PATH: not a regular file",
 *	"PATH: larger than 65536 bytes", "PATH: cannot read: why", "PATH:
 *	holds a NUL byte", "PATH: not UTF-8 text (line N)", or the path of
 *	skill.json and skill_manifest_parse's line. Running out of memory
 *	is fatal (xmalloc).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "utf8.h"
#include "xmalloc.h"

#include "skill_manifest.h"
#include "skill_manifest_priv.h"

/* skill_manifest_file_prompt - s's prompt file from dir; 0, or -1 and why */
static int
skill_manifest_file_prompt(struct skill *s, const char *dir, char *err,
    size_t errlen)
{
	char	*path, *text, why[256];
	size_t	 len = 0, off;
	int	 rc = -1;

	xasprintf(&path, "%s/%s", dir, s->prompt_file);
	if ((text = fs_read_conf_nofollow(path, SKILL_PROMPT_MAX, &len,
	    why, sizeof(why))) == NULL)
		skill_manifest_fail(err, errlen, "%s: %s", path, why);
	else if (memchr(text, '\0', len) != NULL)
		skill_manifest_fail(err, errlen, "%s: holds a NUL byte", path);
	else if ((off = utf8_prefix(text, len)) != len)
		skill_manifest_fail(err, errlen, "%s: not UTF-8 text (line %d)",
		    path, skill_manifest_line(text, off));
	else {
		s->prompt = text;
		text = NULL;
		rc = 0;
	}
	free(text);
	free(path);
	return (rc);
}

/* skill_manifest_load - read skills_dir/name's skill and prompt; 0 or -1 */
int
skill_manifest_load(const char *skills_dir, const char *name,
    struct skill **out, char *err, size_t errlen)
{
	struct skill	*s = NULL;
	char		*dir, *path, *text = NULL, why[512];
	size_t		 len = 0;
	int		 rc = -1;

	*out = NULL;
	xasprintf(&dir, "%s/%s", skills_dir, name);
	xasprintf(&path, "%s/%s", dir, SKILL_MANIFEST_FILE);
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		skill_manifest_fail(err, errlen, "%s: not a skill's folder",
		    dir);
	else if ((text = fs_read_conf_nofollow(path, SKILL_MANIFEST_MAX,
	    &len, why, sizeof(why))) == NULL)
		skill_manifest_fail(err, errlen, "%s: %s", path, why);
	else if (skill_manifest_parse(text, len, name, &s, why,
	    sizeof(why)) == -1)
		skill_manifest_fail(err, errlen, "%s: %s", path, why);
	else if (skill_manifest_file_prompt(s, dir, err, errlen) == 0) {
		s->dir = dir;
		dir = NULL;
		*out = s;
		s = NULL;
		rc = 0;
	}
	skill_free(s);
	free(text);
	free(path);
	free(dir);
	return (rc);
}
