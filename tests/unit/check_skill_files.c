/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_skill_files - the skill_manifest suite's tests on real files:
 *	skill_manifest_load, the registry, the agent lookup in a path
 *	(workers/skills/skill_manifest.c, skill_registry.c, skill_agent.c)
 * SYNOPSIS
 *	void	skill_files_tcases(Suite *s);
 * DESCRIPTION
 *	Each test builds a fresh temp directory (skill_fx_dir). Load: a
 *	good skill and its prompt; the prompt file named by prompt_file;
 *	skill.json or the prompt a symbolic link, a directory, a FIFO (must
 *	not block), missing, too large; a prompt with a NUL byte or bytes
 *	that are not UTF-8; a name that is not the folder's; a parse error
 *	with the path before it. Registry: sorted, with hidden names, files
 *	and folders without skill.json skipped; empty for a missing
 *	skills_dir; refused for a skills_dir that is a file; the first bad
 *	skill by name fails it all; conf/skills.example loads (the tests run
 *	from the top of the tree). Agents: found in the first folder that
 *	holds an executable regular file, relative and empty folders
 *	skipped, a file without x and a directory passed over; the status.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "skill_agent.h"
#include "skill_manifest.h"
#include "skill_registry.h"

void	skill_files_tcases(Suite *);

#define GOOD	"{\"name\":\"%s\",\"agents\":[\"claude\"]}"
#define BIG	"{\"name\":\"big\",\"agents\":[\"iflow\"]}"

static char	skill_fx_dir[64];

/* skill_fx_setup - a fresh temp directory */
static void
skill_fx_setup(void)
{
	snprintf(skill_fx_dir, sizeof(skill_fx_dir),
	    "/tmp/check-skill.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(skill_fx_dir));
}

/* skill_fx_teardown - remove the temp directory and all in it */
static void
skill_fx_teardown(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", skill_fx_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", skill_fx_dir);
}

/* skill_fx_path - skill_fx_dir/rel into buf */
static const char *
skill_fx_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", skill_fx_dir, rel);
	return (buf);
}

/* skill_fx_write - write len bytes to skill_fx_dir/rel (folders made) */
static void
skill_fx_write(const char *rel, const char *data, size_t len)
{
	char	path[512], *slash;
	FILE	*fp;

	skill_fx_path(path, sizeof(path), rel);
	for (slash = path + strlen(skill_fx_dir) + 1;
	    (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* skill_fx_puts - write the string text to skill_fx_dir/rel */
static void
skill_fx_puts(const char *rel, const char *text)
{
	skill_fx_write(rel, text, strlen(text));
}

/* skill_fx_skill - folder name with a good skill.json and a SKILL.md */
static void
skill_fx_skill(const char *name)
{
	char	rel[128], text[256];

	snprintf(rel, sizeof(rel), "skills/%s/skill.json", name);
	snprintf(text, sizeof(text), GOOD, name);
	skill_fx_write(rel, text, strlen(text));
	snprintf(rel, sizeof(rel), "skills/%s/SKILL.md", name);
	skill_fx_write(rel, "Do the thing.\n", 14);
}

/* skill_fx_load_fails - loading name fails with "@/skills/REL: why" */
static void
skill_fx_load_fails(const char *name, const char *rel, const char *why)
{
	struct skill	*s = (struct skill *)1;
	char		 dir[256], err[1024], want[1024];

	skill_fx_path(dir, sizeof(dir), "skills");
	ck_assert_int_eq(skill_manifest_load(dir, name, &s, err, sizeof(err)),
	    -1);
	ck_assert_ptr_null(s);
	snprintf(want, sizeof(want), "%s/%s: %s", dir, rel, why);
	ck_assert_str_eq(err, want);
}

/* test_load - a good skill, and every way its files can be wrong */
START_TEST(test_load)
{
	struct skill	*s;
	char		 dir[256], path[512], target[512], err[1024], *big;

	skill_fx_skill("demo");
	skill_fx_path(dir, sizeof(dir), "skills");
	ck_assert_msg(skill_manifest_load(dir, "demo", &s, err,
	    sizeof(err)) == 0, "got \"%s\"", err);
	ck_assert_str_eq(s->name, "demo");
	ck_assert_str_eq(s->prompt, "Do the thing.\n");
	ck_assert_str_eq(s->dir, skill_fx_path(path, sizeof(path),
	    "skills/demo"));
	skill_free(s);
	/* prompt_file names another file; SKILL.md is then not read */
	skill_fx_puts("skills/other/skill.json", "{\"name\":\"other\","
	    "\"agents\":[\"codex\"],\"prompt_file\":\"p.txt\"}");
	skill_fx_puts("skills/other/p.txt", "Ünïcode ok\n");
	ck_assert_msg(skill_manifest_load(dir, "other", &s, err,
	    sizeof(err)) == 0, "got \"%s\"", err);
	ck_assert_str_eq(s->prompt, "Ünïcode ok\n");
	skill_free(s);
	/* missing, or a name that is not a folder's */
	skill_fx_load_fails("none", "none/skill.json", "cannot read: No such "
	    "file or directory");
	skill_fx_load_fails("../skills/demo", "../skills/demo", "not a "
	    "skill's folder");
	skill_fx_load_fails("..", "..", "not a skill's folder");
	/* the name is not the folder's, a parse error: after the path */
	ck_assert_int_eq(symlink("demo", skill_fx_path(path, sizeof(path),
	    "skills/alias")), 0);
	skill_fx_load_fails("alias", "alias/skill.json", "name: \"demo\" is "
	    "not the folder's name \"alias\"");
	skill_fx_puts("skills/bad/skill.json", "{\"name\":\"bad\",\n\"agents\""
	    ":[\"claude\"],\n\"timeout_s\":0}");
	skill_fx_load_fails("bad", "bad/skill.json", "timeout_s: want a whole "
	    "number of seconds from 1 to 86400");
	skill_fx_puts("skills/bad/skill.json", "{\"name\":\"bad\",\n\"agents\" "
	    "1}\n");
	skill_fx_load_fails("bad", "bad/skill.json", "not valid JSON (line 2)");
	/* skill.json: a link, a directory, a FIFO, too large */
	ck_assert_int_eq(mkdir(skill_fx_path(path, sizeof(path),
	    "skills/ln"), 0755), 0);
	ck_assert_int_eq(symlink(skill_fx_path(target, sizeof(target),
	    "skills/demo/skill.json"), skill_fx_path(path, sizeof(path),
	    "skills/ln/skill.json")), 0);
	skill_fx_load_fails("ln", "ln/skill.json", "a symbolic link (not "
	    "followed)");
	ck_assert_int_eq(mkdir(skill_fx_path(path, sizeof(path),
	    "skills/dir"), 0755), 0);
	ck_assert_int_eq(mkdir(skill_fx_path(path, sizeof(path),
	    "skills/dir/skill.json"), 0755), 0);
	skill_fx_load_fails("dir", "dir/skill.json", "not a regular file");
	ck_assert_int_eq(mkdir(skill_fx_path(path, sizeof(path),
	    "skills/fifo"), 0755), 0);
	ck_assert_int_eq(mkfifo(skill_fx_path(path, sizeof(path),
	    "skills/fifo/skill.json"), 0600), 0);
	skill_fx_load_fails("fifo", "fifo/skill.json", "not a regular file");
	big = malloc(SKILL_PROMPT_MAX + 1);
	memset(big, ' ', SKILL_PROMPT_MAX + 1);
	memcpy(big, BIG, strlen(BIG));
	skill_fx_write("skills/big/skill.json", big, SKILL_MANIFEST_MAX + 1);
	skill_fx_write("skills/big/SKILL.md", "x", 1);
	skill_fx_load_fails("big", "big/skill.json", "larger than 65536 "
	    "bytes");
	skill_fx_write("skills/big/skill.json", big, SKILL_MANIFEST_MAX);
	ck_assert_msg(skill_manifest_load(dir, "big", &s, err,
	    sizeof(err)) == 0, "got \"%s\"", err);
	skill_free(s);
	/* the prompt: 64 KiB is fine, one byte more is not */
	memset(big, 'p', SKILL_PROMPT_MAX + 1);
	skill_fx_write("skills/big/SKILL.md", big, SKILL_PROMPT_MAX);
	ck_assert_msg(skill_manifest_load(dir, "big", &s, err,
	    sizeof(err)) == 0, "got \"%s\"", err);
	ck_assert_uint_eq(strlen(s->prompt), SKILL_PROMPT_MAX);
	skill_free(s);
	skill_fx_write("skills/big/SKILL.md", big, SKILL_PROMPT_MAX + 1);
	skill_fx_load_fails("big", "big/SKILL.md", "larger than 65536 bytes");
	free(big);
	/* the prompt: missing, a link, a FIFO, NUL, not UTF-8 */
	unlink(skill_fx_path(path, sizeof(path), "skills/big/SKILL.md"));
	skill_fx_load_fails("big", "big/SKILL.md", "cannot read: No such file "
	    "or directory");
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	skill_fx_load_fails("big", "big/SKILL.md", "a symbolic link (not "
	    "followed)");
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	skill_fx_load_fails("big", "big/SKILL.md", "not a regular file");
	unlink(path);
	skill_fx_write("skills/big/SKILL.md", "a\0b", 3);
	skill_fx_load_fails("big", "big/SKILL.md", "holds a NUL byte");
	skill_fx_puts("skills/big/SKILL.md", "line 1\nline 2 \xc3\x28\n");
	skill_fx_load_fails("big", "big/SKILL.md", "not UTF-8 text (line 2)");
	skill_fx_write("skills/big/SKILL.md", "\xed\xa0\x80", 3);
	skill_fx_load_fails("big", "big/SKILL.md", "not UTF-8 text (line 1)");
	skill_fx_write("skills/big/SKILL.md", "cut \xe2\x82", 6);
	skill_fx_load_fails("big", "big/SKILL.md", "not UTF-8 text (line 1)");
	skill_fx_write("skills/big/SKILL.md", "", 0);
	ck_assert_int_eq(skill_manifest_load(dir, "big", &s, err, sizeof(err)),
	    0);
	ck_assert_str_eq(s->prompt, "");
	skill_free(s);
}
END_TEST

/* test_registry - sorted, skipping what is not a skill */
START_TEST(test_registry)
{
	struct skill_registry	*r;
	cJSON			*j;
	char			 dir[256], path[512], err[1024], want[1024];
	char			*p;

	skill_fx_path(dir, sizeof(dir), "skills");
	/* missing: empty */
	ck_assert_ptr_nonnull(r = skill_registry_load(dir, err, sizeof(err)));
	ck_assert_uint_eq(r->n, 0);
	ck_assert_ptr_null(skill_registry_find(r, "a"));
	p = cJSON_PrintUnformatted(j = skill_registry_json(r));
	ck_assert_str_eq(p, "{\"skills\":[]}");
	free(p);
	cJSON_Delete(j);
	skill_registry_free(r);
	skill_fx_skill("b.2");
	skill_fx_skill("a");
	skill_fx_skill("c-3");
	skill_fx_puts("skills/.hidden/skill.json", "{");
	skill_fx_puts("skills/notes.txt", "not a skill");
	skill_fx_puts("skills/empty/README", "no skill.json");
	ck_assert_msg((r = skill_registry_load(dir, err, sizeof(err))) != NULL,
	    "got \"%s\"", err);
	ck_assert_uint_eq(r->n, 3);
	ck_assert_str_eq(r->v[0]->name, "a");
	ck_assert_str_eq(r->v[1]->name, "b.2");
	ck_assert_str_eq(r->v[2]->name, "c-3");
	ck_assert_ptr_eq(skill_registry_find(r, "b.2"), r->v[1]);
	ck_assert_ptr_eq(skill_registry_find(r, "c-3"), r->v[2]);
	ck_assert_ptr_eq(skill_registry_find(r, "a"), r->v[0]);
	ck_assert_ptr_null(skill_registry_find(r, "b"));
	ck_assert_ptr_null(skill_registry_find(r, "empty"));
	ck_assert_ptr_null(skill_registry_find(NULL, "a"));
	p = cJSON_PrintUnformatted(j = skill_registry_json(r));
	ck_assert_ptr_nonnull(strstr(p, "{\"skills\":[{\"name\":\"a\","));
	ck_assert_ptr_nonnull(strstr(p, "},{\"name\":\"c-3\","));
	ck_assert_ptr_null(strstr(p, "prompt"));
	free(p);
	cJSON_Delete(j);
	skill_registry_free(r);
	/* the first bad skill by name fails the load */
	skill_fx_puts("skills/zz/skill.json", "{}");
	skill_fx_puts("skills/bb/skill.json", "{\"name\":\"bb\"}");
	ck_assert_ptr_null(skill_registry_load(dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "skills_dir: %s/bb/skill.json: agents: "
	    "missing", dir);
	ck_assert_str_eq(err, want);
	/* a skills_dir that is a file */
	skill_fx_path(path, sizeof(path), "skills/notes.txt");
	ck_assert_ptr_null(skill_registry_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "skills_dir: %s: not a directory", path);
	ck_assert_str_eq(err, want);
}
END_TEST

/* test_registry_example - conf/skills.example stays valid */
START_TEST(test_registry_example)
{
	struct skill_registry	*r;
	const struct skill	*s;
	char			 err[1024];

	ck_assert_msg((r = skill_registry_load("conf/skills.example", err,
	    sizeof(err))) != NULL, "got \"%s\"", err);
	ck_assert_uint_ge(r->n, 1);
	ck_assert_ptr_nonnull(s = skill_registry_find(r, "summarize"));
	ck_assert_str_eq(s->dir, "conf/skills.example/summarize");
	ck_assert_int_eq(s->agents[0], SKILL_AGENT_CLAUDE);
	ck_assert_ptr_nonnull(strstr(s->prompt, "Summarize"));
	ck_assert_uint_eq(s->ninputs, 2);
	ck_assert_int_eq(s->inputs[0].required, 1);
	skill_registry_free(r);
}
END_TEST

/* skill_fx_relative - skill_fx_dir/name as a path relative to the
 * working directory ("../../tmp/...") */
static void
skill_fx_relative(char *buf, size_t len, const char *name)
{
	char	cwd[512], *p;
	size_t	n = 0;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	for (p = cwd; *p != '\0'; p++)
		if (*p == '/' && p[1] != '\0' && n + 3 < len)
			n += (size_t)snprintf(buf + n, len - n, "../");
	ck_assert_uint_lt(n + strlen(skill_fx_dir) + strlen(name) + 1, len);
	snprintf(buf + n, len - n, "%s/%s", skill_fx_dir + 1, name);
}

/* test_find - the first executable regular file along the path */
START_TEST(test_find)
{
	cJSON		*j, *a;
	char		 d1[256], d2[256], path[512], list[1024], out[512];
	char		 want[512], rel[256], *p;
	const int	 running[SKILL_AGENT_COUNT] = { 0, 2, 0, 7 };

	skill_fx_path(d1, sizeof(d1), "d1");
	skill_fx_path(d2, sizeof(d2), "d2");
	skill_fx_write("d1/claude", "#!/bin/sh\n", 10);		/* no x */
	skill_fx_write("d2/claude", "#!/bin/sh\n", 10);
	ck_assert_int_eq(chmod(skill_fx_path(path, sizeof(path), "d2/claude"),
	    0755), 0);
	skill_fx_write("d1/gemini", "#!/bin/sh\n", 10);
	ck_assert_int_eq(chmod(skill_fx_path(path, sizeof(path), "d1/gemini"),
	    0755), 0);
	ck_assert_int_eq(mkdir(skill_fx_path(path, sizeof(path), "d1/codex"),
	    0755), 0);
	skill_fx_write("d2/iflow", "#!/bin/sh\n", 10);
	ck_assert_int_eq(chmod(skill_fx_path(path, sizeof(path), "d2/iflow"),
	    0755), 0);
	/* a relative folder that would hold iflow is skipped */
	skill_fx_relative(rel, sizeof(rel), "d2");
	ck_assert_int_eq(access(skill_fx_path(path, sizeof(path), "d2/iflow"),
	    X_OK), 0);
	snprintf(path, sizeof(path), "%s/iflow", rel);
	ck_assert_int_eq(access(path, X_OK), 0);
	snprintf(list, sizeof(list), "%s::%s:%s/", rel, d1, d2);
	ck_assert_int_eq(skill_agent_find(list, SKILL_AGENT_CLAUDE, out,
	    sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s//claude", d2);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(skill_agent_find(list, SKILL_AGENT_GEMINI, out,
	    sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/gemini", d1);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(skill_agent_find(list, SKILL_AGENT_CODEX, out,
	    sizeof(out)), -1);
	ck_assert_int_eq(skill_agent_find(rel, SKILL_AGENT_IFLOW, out,
	    sizeof(out)), -1);
	ck_assert_int_eq(skill_agent_find("", SKILL_AGENT_IFLOW, out,
	    sizeof(out)), -1);
	ck_assert_int_eq(skill_agent_find(d2, SKILL_AGENT_IFLOW, out,
	    sizeof(out)), 0);
	/* out too small for the path: not found rather than cut */
	ck_assert_int_eq(skill_agent_find(d2, SKILL_AGENT_IFLOW, out, 8), -1);
	ck_assert_int_eq(skill_agent_find(d2, SKILL_AGENT_COUNT, out,
	    sizeof(out)), -1);
	/* the status, in table order */
	snprintf(list, sizeof(list), "%s:%s", d1, d2);
	j = skill_agent_status(list, running);
	ck_assert_int_eq(cJSON_GetArraySize(a = cJSON_GetObjectItem(j,
	    "agents")), SKILL_AGENT_COUNT);
	p = cJSON_PrintUnformatted(cJSON_GetArrayItem(a, 0));
	ck_assert_str_eq(p, "{\"name\":\"codex\",\"command\":\"codex\","
	    "\"path\":null,\"installed\":false,\"running\":0}");
	free(p);
	p = cJSON_PrintUnformatted(cJSON_GetArrayItem(a, 3));
	snprintf(want, sizeof(want), "{\"name\":\"claude\",\"command\":"
	    "\"claude\",\"path\":\"%s/claude\",\"installed\":true,"
	    "\"running\":7}", d2);
	ck_assert_str_eq(p, want);
	free(p);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1),
	    "running")->valueint, 2);
	cJSON_Delete(j);
	j = skill_agent_status(NULL, NULL);
	p = cJSON_PrintUnformatted(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "agents"), 2));
	ck_assert_str_eq(p, "{\"name\":\"iflow\",\"command\":\"iflow\","
	    "\"path\":null,\"installed\":false,\"running\":0}");
	free(p);
	cJSON_Delete(j);
}
END_TEST

/* skill_files_tcases - add the file tests to the skill_manifest suite */
void
skill_files_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, skill_fx_setup, skill_fx_teardown);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);
	tc = tcase_create("example");
	tcase_add_test(tc, test_registry_example);
	suite_add_tcase(s, tc);
}
