/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_spec_fx - the fixture of the engine spec tests
 * SYNOPSIS
 *	#include "check_eng_spec.h"
 * DESCRIPTION
 *	See check_eng_spec.h: a fresh tree per test under /tmp, resolved,
 *	with a models root and what tries to escape it; the built-in
 *	profiles; '@' in texts standing for the tree's directory.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "check_eng_spec.h"
#include "eng_profile.h"
#include "eng_spec.h"

char			 eng_fx_dir[256];
char			 eng_fx_root[300];
struct eng_profiles	*eng_fx_profiles;

/* the fixture's tree, made in this order and removed in the other */
static const struct {
	const char	*path;
	const char	*link;	/* NULL: a directory, "": a file */
} eng_fx_tree[] = {
	{ "models", NULL },
	{ "models/m1", NULL },
	{ "models/m1/config.json", "" },
	{ "models/file.gguf", "" },
	{ "models/a:b", NULL },
	{ "models/link", "../outside" },
	{ "models/inlink", "m1" },
	{ "models2", NULL },
	{ "models2/x", "" },
	{ "outside", NULL },
	{ "outside/secret", "" },
	{ "rootlink", "models" },
};

#define ENG_FX_N	(sizeof(eng_fx_tree) / sizeof(eng_fx_tree[0]))

/* eng_fx_subst - text with each '@' replaced by eng_fx_dir (malloc'ed) */
char *
eng_fx_subst(const char *text)
{
	const char	*p;
	char		*out;
	size_t		 n = strlen(eng_fx_dir), len = 1, o = 0;

	for (p = text; *p != '\0'; p++)
		len += *p == '@' ? n : 1;
	out = malloc(len);
	ck_assert_ptr_nonnull(out);
	for (p = text; *p != '\0'; p++)
		if (*p == '@') {
			memcpy(out + o, eng_fx_dir, n);
			o += n;
		} else
			out[o++] = *p;
	out[o] = '\0';
	return (out);
}

/* eng_fx_setup - the tree under a fresh directory, the built-ins */
void
eng_fx_setup(void)
{
	char	tmpl[] = "/tmp/check-eng-spec.XXXXXX", path[PATH_MAX];
	char	err[256];
	size_t	i;
	FILE	*fp;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	ck_assert_ptr_nonnull(realpath(tmpl, path));
	ck_assert_uint_lt(strlen(path), 200);
	snprintf(eng_fx_dir, sizeof(eng_fx_dir), "%s", path);
	snprintf(eng_fx_root, sizeof(eng_fx_root), "%s/models", eng_fx_dir);
	for (i = 0; i < ENG_FX_N; i++) {
		snprintf(path, sizeof(path), "%s/%s", eng_fx_dir,
		    eng_fx_tree[i].path);
		if (eng_fx_tree[i].link == NULL)
			ck_assert_int_eq(mkdir(path, 0700), 0);
		else if (eng_fx_tree[i].link[0] == '\0') {
			ck_assert_ptr_nonnull(fp = fopen(path, "w"));
			fclose(fp);
		} else
			ck_assert_int_eq(symlink(eng_fx_tree[i].link, path), 0);
	}
	eng_fx_profiles = eng_profiles_load(NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(eng_fx_profiles);
}

/* eng_fx_teardown - remove the tree, free the profiles */
void
eng_fx_teardown(void)
{
	char	path[PATH_MAX];
	size_t	i;

	for (i = ENG_FX_N; i-- > 0; ) {
		snprintf(path, sizeof(path), "%s/%s", eng_fx_dir,
		    eng_fx_tree[i].path);
		if (eng_fx_tree[i].link == NULL)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(eng_fx_dir);
	eng_profiles_free(eng_fx_profiles);
	eng_fx_profiles = NULL;
}

/* eng_fx_parse - '@' substituted, parsed, checked against eng_fx_root */
int
eng_fx_parse(const char *text, struct eng_spec *s, struct eng_spec_err *e)
{
	cJSON	*req;
	char	*t;
	int	 rc;

	t = eng_fx_subst(text);
	req = cJSON_Parse(t);
	ck_assert_msg(req != NULL, "bad test JSON: %s", t);
	free(t);
	rc = eng_spec_parse(req, eng_fx_profiles, eng_fx_root, s, e);
	cJSON_Delete(req);
	return (rc);
}
