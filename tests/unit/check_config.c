/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_config - unit tests for the config module
 * SYNOPSIS
 *	Suite	*config_suite(void);
 * DESCRIPTION
 *	Every test runs in a fresh temporary directory (mkdtemp under /tmp)
 *	that is also its working directory, with every CORRAL_* variable of
 *	the caller set aside; the fixture restores both afterwards. Tests
 *	that want a config file write conf/corral.conf there (which
 *	config_load finds on its own) or pass --config, so the result never
 *	depends on the directory the suite was started from.
 *
 *	The tables cover precedence (default < file < env < flag), one
 *	error message per kind of bad input, *_FILE reading, the guardrails
 *	of config_check, config_bind_parse, path normalization, the worker
 *	table, which worker sees the tokens, and the skills worker's
 *	settings (skills_agent_path's rule, its config object).
 */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "config.h"

#ifndef CORRAL_SYSCONFDIR
#define CORRAL_SYSCONFDIR	"/usr/local/etc/corral"
#endif

#define TOKEN_A		"aaaaaaaaaaaaaaaa-admin-0123"
#define TOKEN_R		"rrrrrrrrrrrrrrrr-read-4567"

Suite		*config_suite(void);

extern char	**environ;

static char	  tmpdir[PATH_MAX];	/* the fixture's working directory */
static char	  oldcwd[PATH_MAX];
static char	**saved_env;		/* the caller's CORRAL_* variables */
static size_t	  nsaved;

/* env_clear - unset every CORRAL_* variable */
static void
env_clear(void)
{
	char	 name[256], **e;

	for (;;) {
		for (e = environ; *e != NULL; e++)
			if (strncmp(*e, "CORRAL_", 7) == 0)
				break;
		if (*e == NULL)
			return;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(*e, "="), *e);
		ck_assert_int_eq(unsetenv(name), 0);
	}
}

/* rm_cb - nftw callback removing one entry */
static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

/* setup - fresh temporary cwd, no CORRAL_* in the environment */
static void
setup(void)
{
	char	**e;

	ck_assert_ptr_nonnull(getcwd(oldcwd, sizeof(oldcwd)));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
	/* getcwd gives the physical path, which is what the defaults use */
	ck_assert_ptr_nonnull(getcwd(tmpdir, sizeof(tmpdir)));
	nsaved = 0;
	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "CORRAL_", 7) == 0)
			nsaved++;
	saved_env = calloc(nsaved + 1, sizeof(*saved_env));
	ck_assert_ptr_nonnull(saved_env);
	nsaved = 0;
	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "CORRAL_", 7) == 0)
			saved_env[nsaved++] = strdup(*e);
	env_clear();
}

/* teardown - back to the old cwd and environment, temp dir removed */
static void
teardown(void)
{
	char	*eq;
	size_t	 k;

	env_clear();
	for (k = 0; k < nsaved; k++) {
		if ((eq = strchr(saved_env[k], '=')) != NULL) {
			*eq = '\0';
			setenv(saved_env[k], eq + 1, 1);
		}
		free(saved_env[k]);
	}
	free(saved_env);
	saved_env = NULL;
	ck_assert_int_eq(chdir(oldcwd), 0);
	nftw(tmpdir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

/* put_file - write text to path */
static void
put_file(const char *path, const char *text)
{
	FILE	*fp;

	fp = fopen(path, "w");
	ck_assert_msg(fp != NULL, "fopen %s: %s", path, strerror(errno));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* put_conf - write conf/corral.conf in the cwd ("" for an empty file) */
static void
put_conf(const char *text)
{
	if (mkdir("conf", 0755) == -1)
		ck_assert_int_eq(errno, EEXIST);
	put_file("conf/corral.conf", text);
}

/* tmp_file - a new mkstemp file in the temp dir holding text; free it */
static char *
tmp_file(const char *text)
{
	char	*path;
	int	 fd;

	ck_assert_int_ne(asprintf(&path, "%s/fileXXXXXX", tmpdir), -1);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	put_file(path, text);
	return (path);
}

/* load - config_load with argv "corral" plus up to 6 args (NULL ends) */
static int
load(struct config *cfg, char *err, size_t errlen, const char *const *args)
{
	char	*argv[8];
	int	 argc = 0;

	argv[argc++] = "corral";
	while (args != NULL && argc < 7 && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	return (config_load(cfg, argc, argv, err, errlen));
}

/* set_env - apply up to two name/value pairs */
static void
set_env(const char *const *env)
{
	int	k;

	for (k = 0; k < 4 && env[k] != NULL; k += 2)
		ck_assert_int_eq(setenv(env[k], env[k + 1], 1), 0);
}

/* want_path - the temp dir joined with rel */
static const char *
want_path(const char *rel)
{
	static char	buf[PATH_MAX + 64];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, rel);
	return (buf);
}

START_TEST(test_defaults)
{
	const char *const args[] = { "--config", "empty.conf", NULL };
	struct config	 cfg;
	char		 err[512];

	put_file("empty.conf", "# nothing\n\n");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), args), 0);
	ck_assert_str_eq(cfg.conf_path, "empty.conf");
	ck_assert_str_eq(cfg.bind, "127.0.0.1:4000");
	ck_assert_str_eq(cfg.state_root, want_path("var/state"));
	ck_assert_str_eq(cfg.workspace_root, want_path("var/workspace"));
	ck_assert_str_eq(cfg.auth_mode, "bearer");
	ck_assert_ptr_null(cfg.admin_token);
	ck_assert_ptr_null(cfg.admin_token_file);
	ck_assert_ptr_null(cfg.readonly_token);
	ck_assert_int_eq(cfg.allow_insecure, 0);
	ck_assert_str_eq(cfg.user, "corral");
	ck_assert_int_eq(cfg.shutdown_timeout, 10);
	ck_assert_str_eq(cfg.log_level, "info");
	ck_assert_str_eq(cfg.log_format, "text");
	ck_assert_str_eq(cfg.mcp_discovery, "disabled");
	ck_assert_ptr_null(cfg.libexec_dir);
	ck_assert_int_eq(cfg.http_body_limit, 1048576);
	ck_assert_int_eq(cfg.http_timeout, 30);
	ck_assert_ptr_null(cfg.routes_file);
	ck_assert_int_eq(cfg.master_key_set, 0);
	ck_assert_ptr_null(cfg.master_key_file);
	ck_assert_int_eq(cfg.gpu_interval, 1);
	ck_assert_int_eq(cfg.gpu_history, 900);
	ck_assert_ptr_null(cfg.nvml_library);
	ck_assert_ptr_null(cfg.nvidia_smi);
	ck_assert_ptr_null(cfg.engines_file);
	ck_assert_int_eq(cfg.engines_stop_on_exit, 0);
	ck_assert_ptr_null(cfg.engines_secrets);
	ck_assert_ptr_nonnull(strstr(cfg.models_root, "/var/models"));
	ck_assert_str_eq(cfg.skills_dir, want_path("skills"));
	ck_assert_int_eq(cfg.skills_max_running, 4);
	ck_assert_int_eq(cfg.skills_max_queued, 10000);
	ck_assert_int_eq(cfg.skills_run_timeout, 1800);
	ck_assert_int_eq(cfg.skills_retention_days, 30);
	ck_assert_str_eq(cfg.skills_agent_path, "/usr/local/bin:/usr/bin:/bin");
	ck_assert_int_eq(cfg.nworkers, 6);
	ck_assert_str_eq(cfg.workers[0].name, "http");
	ck_assert_int_eq(cfg.workers[0].enabled, 1);
	ck_assert_int_eq(cfg.workers[0].restart, RESTART_ALWAYS);
	ck_assert_ptr_null(cfg.workers[0].exec);
	ck_assert_str_eq(cfg.workers[1].name, "secrets");
	ck_assert_int_eq(cfg.workers[1].enabled, 1);
	ck_assert_int_eq(cfg.workers[1].restart, RESTART_ALWAYS);
	ck_assert_ptr_null(cfg.workers[1].exec);
	ck_assert_str_eq(cfg.workers[2].name, "gpu");
	ck_assert_int_eq(cfg.workers[2].enabled, 1);
	ck_assert_int_eq(cfg.workers[2].restart, RESTART_ALWAYS);
	ck_assert_ptr_null(cfg.workers[2].exec);
	ck_assert_str_eq(cfg.workers[3].name, "engines");
	ck_assert_int_eq(cfg.workers[3].enabled, 1);
	ck_assert_str_eq(cfg.workers[4].name, "mcp");
	ck_assert_int_eq(cfg.workers[4].enabled, 1);
	ck_assert_str_eq(cfg.workers[5].name, "skills");
	ck_assert_int_eq(cfg.workers[5].enabled, 1);
	ck_assert_int_eq(cfg.workers[5].restart, RESTART_ALWAYS);
	ck_assert_ptr_null(cfg.workers[5].exec);
	ck_assert_msg(config_check(&cfg, err, sizeof(err)) == 0,
	    "check: got \"%s\", want success", err);
	config_free(&cfg);
	config_free(&cfg);	/* harmless twice */
}
END_TEST

START_TEST(test_local_conf)
{
	struct config	cfg;
	char		err[512];
	struct stat	st;

	if (stat(CORRAL_SYSCONFDIR "/corral.conf", &st) == -1) {
		ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
		ck_assert_ptr_null(cfg.conf_path);
		config_free(&cfg);
	}
	put_conf("bind = 127.0.0.1:4100\n");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(cfg.conf_path, "conf/corral.conf");
	ck_assert_str_eq(cfg.bind, "127.0.0.1:4100");
	config_free(&cfg);
	/* CORRAL_CONFIG beats ./conf/corral.conf, --config beats both */
	put_file("env.conf", "bind = 127.0.0.1:4200\n");
	put_file("flag.conf", "bind = 127.0.0.1:4300\n");
	setenv("CORRAL_CONFIG", "env.conf", 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(cfg.bind, "127.0.0.1:4200");
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, err, sizeof(err),
	    (const char *const[]){ "--config=flag.conf", NULL }), 0);
	ck_assert_str_eq(cfg.bind, "127.0.0.1:4300");
	config_free(&cfg);
}
END_TEST

START_TEST(test_shipped_conf)
{
	const char	*args[] = { "--config", NULL, NULL };
	struct config	 cfg;
	struct stat	 st;
	char		 err[512], path[PATH_MAX + 32];

	/* the suite usually runs from the top of the tree */
	snprintf(path, sizeof(path), "%s/conf/corral.conf", oldcwd);
	if (stat(path, &st) == -1)
		return;
	args[1] = path;
	ck_assert_msg(load(&cfg, err, sizeof(err), args) == 0,
	    "got \"%s\", want success", err);
	ck_assert_int_eq(cfg.nworkers, 6);
	ck_assert_str_eq(cfg.workers[4].name, "mcp");
	ck_assert_int_eq(cfg.workers[4].enabled, 1);
	ck_assert_str_eq(cfg.workers[5].name, "skills");
	ck_assert_int_eq(cfg.workers[5].enabled, 1);
	ck_assert_int_eq(cfg.workers[5].restart, RESTART_ALWAYS);
	ck_assert_str_eq(cfg.workers[0].name, "http");
	ck_assert_int_eq(cfg.workers[0].enabled, 1);
	ck_assert_int_eq(cfg.workers[0].restart, RESTART_ALWAYS);
	ck_assert_str_eq(cfg.workers[1].name, "secrets");
	ck_assert_int_eq(cfg.workers[1].enabled, 1);
	ck_assert_int_eq(cfg.workers[1].restart, RESTART_ALWAYS);
	ck_assert_str_eq(cfg.workers[2].name, "gpu");
	ck_assert_int_eq(cfg.workers[2].enabled, 1);
	ck_assert_int_eq(cfg.workers[2].restart, RESTART_ALWAYS);
	ck_assert_str_eq(cfg.bind, "127.0.0.1:4000");
	ck_assert_msg(config_check(&cfg, err, sizeof(err)) == 0,
	    "check: got \"%s\", want success", err);
	config_free(&cfg);
}
END_TEST

/* Precedence: each row loads with its file, env and flags, reads one
 * setting back as a string and compares. */
static const struct prec_case {
	const char	*file;
	const char	*env[4];
	const char	*args[3];
	const char	*field;
	const char	*want;
} prec_cases[] = {
	{ "", { NULL }, { NULL }, "bind", "127.0.0.1:4000" },
	{ "bind = 127.0.0.1:4001\n", { NULL }, { NULL }, "bind",
	    "127.0.0.1:4001" },
	{ "bind = 127.0.0.1:4001\n", { "CORRAL_BIND", "127.0.0.1:4002" },
	    { NULL }, "bind", "127.0.0.1:4002" },
	{ "bind = 127.0.0.1:4001\n", { "CORRAL_BIND", "127.0.0.1:4002" },
	    { "--bind=127.0.0.1:4003" }, "bind", "127.0.0.1:4003" },
	{ "", { "CORRAL_BIND", "127.0.0.1:4002" },
	    { "--bind", "[::1]:4004" }, "bind", "[::1]:4004" },
	{ "bind = 127.0.0.1:4005 # trailing comment\n", { NULL }, { NULL },
	    "bind", "127.0.0.1:4005" },
	{ "bind = \"127.0.0.1:4006\"  # quoted\n", { NULL }, { NULL },
	    "bind", "127.0.0.1:4006" },
	{ "", { NULL }, { NULL }, "shutdown_timeout", "10" },
	{ "shutdown_timeout = 20\n", { NULL }, { NULL }, "shutdown_timeout",
	    "20" },
	{ "shutdown_timeout = 20\n", { "CORRAL_SHUTDOWN_TIMEOUT", "30" },
	    { NULL }, "shutdown_timeout", "30" },
	{ "shutdown_timeout = 20\n", { "CORRAL_SHUTDOWN_TIMEOUT", "30" },
	    { "--shutdown-timeout", "40" }, "shutdown_timeout", "40" },
	{ "log_level = debug\n", { "CORRAL_LOG_LEVEL", "warn" }, { NULL },
	    "log_level", "warn" },
	{ "log_level = debug\n", { "CORRAL_LOG_LEVEL", "" }, { NULL },
	    "log_level", "debug" },
	{ "allow_insecure = yes\n", { NULL }, { NULL }, "allow_insecure",
	    "1" },
	{ "allow_insecure = yes\n", { "CORRAL_ALLOW_INSECURE", "0" },
	    { NULL }, "allow_insecure", "0" },
	{ "allow_insecure = no\n", { "CORRAL_ALLOW_INSECURE", "false" },
	    { "--allow-insecure" }, "allow_insecure", "1" },
	{ "", { NULL }, { "--allow-insecure=off" }, "allow_insecure", "0" },
	{ "state_root = /srv/a\n", { "CORRAL_STATE_ROOT", "/srv/b/" },
	    { NULL }, "state_root", "/srv/b" },
	{ "", { NULL }, { "--state-root", "/a//b/./c/" }, "state_root",
	    "/a/b/c" },
	{ "", { NULL }, { "--state-root=/a/b/../c" }, "state_root", "/a/c" },
	{ "", { NULL }, { "--workspace-root=/.." }, "workspace_root", "/" },
	{ "user = \"a \\\"b\\\" \\\\c\"\n", { NULL }, { NULL }, "user",
	    "a \"b\" \\c" },
	{ "libexec_dir = /opt/corral\n", { NULL }, { NULL }, "libexec_dir",
	    "/opt/corral" },
	{ "", { NULL }, { "--http-body-limit", "2048" }, "http_body_limit",
	    "2048" },
	{ "http_timeout = 5\n", { NULL }, { NULL }, "http_timeout", "5" },
	{ "", { "CORRAL_HTTP_AUTH_MODE", "none" }, { NULL }, "auth_mode",
	    "none" },
	{ "", { NULL }, { "--auth-mode", "none" }, "auth_mode", "none" },
	{ "mcp_discovery = enabled\n", { NULL }, { NULL }, "mcp_discovery",
	    "enabled" },
	{ "", { "CORRAL_LOG_FORMAT", "json" }, { NULL }, "log_format",
	    "json" },
	{ "", { NULL }, { "--user", "nobody" }, "user", "nobody" },
	{ "routes_file = /etc/r.json\n", { NULL }, { NULL }, "routes_file",
	    "/etc/r.json" },
	{ "routes_file = /etc/r.json\n", { "CORRAL_ROUTES_FILE", "r.json" },
	    { NULL }, "routes_file", "r.json" },
	{ "", { "CORRAL_ROUTES_FILE", "r.json" },
	    { "--routes-file", "conf/r.json" }, "routes_file", "conf/r.json" },
	{ "", { "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "/run/k" }, { NULL },
	    "master_key_file", "/run/k" },
	{ "", { "CORRAL_AUTH_STORE_MASTER_KEY", "not-read" }, { NULL },
	    "master_key_set", "1" },
	{ "", { "CORRAL_AUTH_STORE_MASTER_KEY", "" }, { NULL },
	    "master_key_set", "0" },
	{ "gpu_interval = 5\n", { "CORRAL_GPU_INTERVAL", "2" }, { NULL },
	    "gpu_interval", "2" },
	{ "", { NULL }, { "--gpu-history", "60" }, "gpu_history", "60" },
	{ "", { "CORRAL_NVML_LIBRARY", "libnvidia-ml.so.1" }, { NULL },
	    "nvml_library", "libnvidia-ml.so.1" },
	{ "nvidia_smi = /usr/bin//nvidia-smi\n", { NULL }, { NULL },
	    "nvidia_smi", "/usr/bin/nvidia-smi" },
	{ "", { NULL }, { NULL }, "metrics_auth", "bearer" },
	{ "metrics_auth = none\n", { NULL }, { NULL }, "metrics_auth",
	    "none" },
	{ "metrics_auth = none\n", { "CORRAL_METRICS_AUTH", "bearer" },
	    { NULL }, "metrics_auth", "bearer" },
	{ "", { "CORRAL_METRICS_AUTH", "bearer" },
	    { "--metrics-auth", "none" }, "metrics_auth", "none" },
	{ "skills_dir = /srv/skills/\n", { NULL }, { NULL }, "skills_dir",
	    "/srv/skills" },
	{ "skills_dir = /srv/skills\n", { "CORRAL_SKILLS_DIR", "/opt/s" },
	    { NULL }, "skills_dir", "/opt/s" },
	{ "", { "CORRAL_SKILLS_DIR", "/opt/s" }, { "--skills-dir", "/x//y" },
	    "skills_dir", "/x/y" },
	{ "skills_max_running = 8\n", { NULL }, { NULL },
	    "skills_max_running", "8" },
	{ "skills_max_running = 8\n", { "CORRAL_SKILLS_MAX_RUNNING", "1024" },
	    { NULL }, "skills_max_running", "1024" },
	{ "", { "CORRAL_SKILLS_MAX_RUNNING", "2" },
	    { "--skills-max-running=1" }, "skills_max_running", "1" },
	{ "skills_max_queued = 1\n", { NULL }, { NULL }, "skills_max_queued",
	    "1" },
	{ "skills_max_queued = 5\n", { "CORRAL_SKILLS_MAX_QUEUED", "1000000" },
	    { NULL }, "skills_max_queued", "1000000" },
	{ "", { NULL }, { "--skills-max-queued", "77" }, "skills_max_queued",
	    "77" },
	{ "skills_run_timeout = 86400\n", { NULL }, { NULL },
	    "skills_run_timeout", "86400" },
	{ "", { "CORRAL_SKILLS_RUN_TIMEOUT", "60" }, { NULL },
	    "skills_run_timeout", "60" },
	{ "skills_run_timeout = 9\n", { "CORRAL_SKILLS_RUN_TIMEOUT", "60" },
	    { "--skills-run-timeout", "1" }, "skills_run_timeout", "1" },
	{ "skills_retention_days = 0\n", { NULL }, { NULL },
	    "skills_retention_days", "0" },
	{ "skills_retention_days = 7\n", { "CORRAL_SKILLS_RETENTION_DAYS",
	    "3650" }, { NULL }, "skills_retention_days", "3650" },
	{ "", { "CORRAL_SKILLS_RETENTION_DAYS", "7" },
	    { "--skills-retention-days=1" }, "skills_retention_days", "1" },
	{ "skills_agent_path = /opt/agents/bin\n", { NULL }, { NULL },
	    "skills_agent_path", "/opt/agents/bin" },
	{ "skills_agent_path = /a\n", { "CORRAL_SKILLS_AGENT_PATH",
	    "/b:/c/d/" }, { NULL }, "skills_agent_path", "/b:/c/d/" },
	{ "", { "CORRAL_SKILLS_AGENT_PATH", "/b" },
	    { "--skills-agent-path", "/usr/bin:/bin" }, "skills_agent_path",
	    "/usr/bin:/bin" },
};

/* field_str - a setting of cfg as a string, for the precedence table */
static const char *
field_str(const struct config *cfg, const char *field, char *buf, size_t len)
{
	static const struct {
		const char	*name;
		size_t		 off;
		int		 kind;	/* 0 string, 1 long, 2 int */
	} fields[] = {
		{ "bind", offsetof(struct config, bind), 0 },
		{ "state_root", offsetof(struct config, state_root), 0 },
		{ "workspace_root", offsetof(struct config, workspace_root),
		    0 },
		{ "auth_mode", offsetof(struct config, auth_mode), 0 },
		{ "user", offsetof(struct config, user), 0 },
		{ "log_level", offsetof(struct config, log_level), 0 },
		{ "log_format", offsetof(struct config, log_format), 0 },
		{ "mcp_discovery", offsetof(struct config, mcp_discovery), 0 },
		{ "libexec_dir", offsetof(struct config, libexec_dir), 0 },
		{ "shutdown_timeout",
		    offsetof(struct config, shutdown_timeout), 1 },
		{ "http_body_limit", offsetof(struct config, http_body_limit),
		    1 },
		{ "http_timeout", offsetof(struct config, http_timeout), 1 },
		{ "allow_insecure", offsetof(struct config, allow_insecure),
		    2 },
		{ "routes_file", offsetof(struct config, routes_file), 0 },
		{ "master_key_file", offsetof(struct config, master_key_file),
		    0 },
		{ "gpu_interval", offsetof(struct config, gpu_interval), 1 },
		{ "gpu_history", offsetof(struct config, gpu_history), 1 },
		{ "nvml_library", offsetof(struct config, nvml_library), 0 },
		{ "nvidia_smi", offsetof(struct config, nvidia_smi), 0 },
		{ "metrics_auth", offsetof(struct config, metrics_auth), 0 },
		{ "master_key_set", offsetof(struct config, master_key_set),
		    2 },
		{ "skills_dir", offsetof(struct config, skills_dir), 0 },
		{ "skills_max_running",
		    offsetof(struct config, skills_max_running), 1 },
		{ "skills_max_queued",
		    offsetof(struct config, skills_max_queued), 1 },
		{ "skills_run_timeout",
		    offsetof(struct config, skills_run_timeout), 1 },
		{ "skills_retention_days",
		    offsetof(struct config, skills_retention_days), 1 },
		{ "skills_agent_path",
		    offsetof(struct config, skills_agent_path), 0 },
	};
	const char	*p = (const char *)cfg;
	size_t		 k;

	for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		if (strcmp(fields[k].name, field) != 0)
			continue;
		if (fields[k].kind == 0)
			return (*(char *const *)(p + fields[k].off));
		if (fields[k].kind == 1)
			snprintf(buf, len, "%ld",
			    *(const long *)(p + fields[k].off));
		else
			snprintf(buf, len, "%d",
			    *(const int *)(p + fields[k].off));
		return (buf);
	}
	ck_abort_msg("no field %s", field);
	return (NULL);
}

START_TEST(test_precedence)
{
	const struct prec_case	*c = &prec_cases[_i];
	struct config		 cfg;
	char			 err[512], buf[64];
	const char		*got;

	put_conf(c->file);
	set_env(c->env);
	ck_assert_msg(load(&cfg, err, sizeof(err), c->args) == 0,
	    "case %d: got error \"%s\", want success", _i, err);
	got = field_str(&cfg, c->field, buf, sizeof(buf));
	ck_assert_msg(got != NULL && strcmp(got, c->want) == 0,
	    "case %d: %s: got \"%s\", want \"%s\"", _i, c->field,
	    got ? got : "(null)", c->want);
	config_free(&cfg);
}
END_TEST

/* Errors from config_load: the exact line, and no secret in it. */
static const struct err_case {
	const char	*file;		/* conf/corral.conf */
	const char	*env[4];
	const char	*args[3];
	const char	*want;
} err_cases[] = {
	{ "bind = 127.0.0.1:4000\n\nfoo = 1\n", { NULL }, { NULL },
	    "conf/corral.conf:3: unknown setting 'foo'" },
	{ "# c\nbind 127.0.0.1:4000\n", { NULL }, { NULL },
	    "conf/corral.conf:2: expected 'key = value'" },
	{ "shutdown_timeout = soon\n", { NULL }, { NULL },
	    "conf/corral.conf:1: shutdown_timeout: 'soon' is not a whole "
	    "number" },
	{ "", { "CORRAL_SHUTDOWN_TIMEOUT", "0" }, { NULL },
	    "CORRAL_SHUTDOWN_TIMEOUT: '0' is out of range (1..3600)" },
	{ "", { NULL }, { "--http-body-limit=100" },
	    "--http-body-limit: '100' is out of range (1024..67108864)" },
	{ "http_timeout = 3601\n", { NULL }, { NULL },
	    "conf/corral.conf:1: http_timeout: '3601' is out of range "
	    "(1..3600)" },
	{ "", { "CORRAL_GPU_INTERVAL", "0" }, { NULL },
	    "CORRAL_GPU_INTERVAL: '0' is out of range (1..3600)" },
	{ "gpu_history = 5\n", { NULL }, { NULL },
	    "conf/corral.conf:1: gpu_history: '5' is out of range "
	    "(10..86400)" },
	{ "", { NULL }, { "--nvidia-smi", "nvidia-smi" },
	    "--nvidia-smi: 'nvidia-smi' is relative; give an absolute path" },
	{ "", { "CORRAL_HTTP_AUTH_MODE", "basic" }, { NULL },
	    "CORRAL_HTTP_AUTH_MODE: 'basic' is not one of bearer|none" },
	{ "metrics_auth = open\n", { NULL }, { NULL },
	    "conf/corral.conf:1: metrics_auth: 'open' is not one of "
	    "bearer|none" },
	{ "log_level = loud\n", { NULL }, { NULL },
	    "conf/corral.conf:1: log_level: 'loud' is not one of "
	    "debug|info|warn|error" },
	{ "", { NULL }, { "--log-format", "xml" },
	    "--log-format: 'xml' is not one of text|json" },
	{ "", { "CORRAL_MCP_DISCOVERY", "auto" }, { NULL },
	    "CORRAL_MCP_DISCOVERY: 'auto' is not one of disabled|enabled" },
	{ "", { "CORRAL_STATE_ROOT", "var/state" }, { NULL },
	    "CORRAL_STATE_ROOT: 'var/state' is relative; give an absolute "
	    "path" },
	{ "", { NULL }, { "--workspace-root", "ws" },
	    "--workspace-root: 'ws' is relative; give an absolute path" },
	{ "state_root = ./var/state\n", { NULL }, { NULL },
	    "conf/corral.conf:1: state_root: './var/state' is relative; give "
	    "an absolute path" },
	{ "", { NULL }, { "--frobnicate" }, "unknown flag '--frobnicate'" },
	{ "", { NULL }, { "--frob=1" }, "unknown flag '--frob'" },
	{ "", { NULL }, { "start" },
	    "unexpected argument 'start' (settings are given as --flag "
	    "VALUE)" },
	{ "", { NULL }, { "--bind" }, "--bind: needs a value" },
	{ "", { NULL }, { "--admin-token-file" },
	    "--admin-token-file: needs a value" },
	{ "", { "CORRAL_ALLOW_INSECURE", "maybe" }, { NULL },
	    "CORRAL_ALLOW_INSECURE: 'maybe' is not a boolean (yes or no)" },
	{ "", { NULL }, { "--bind=localhost" },
	    "--bind: 'localhost' is not host:port or [v6addr]:port with a "
	    "port in 1..65535" },
	{ "user = \"corral\n", { NULL }, { NULL },
	    "conf/corral.conf:1: user: unterminated quote or text after the "
	    "closing quote" },
	{ "user =\n", { NULL }, { NULL },
	    "conf/corral.conf:1: user: empty value" },
	{ "", { NULL }, { "--config", "/nonexistent/x.conf" },
	    "--config: cannot read /nonexistent/x.conf: No such file or "
	    "directory" },
	{ "", { "CORRAL_CONFIG", "/nonexistent/y.conf" }, { NULL },
	    "CORRAL_CONFIG: cannot read /nonexistent/y.conf: No such file or "
	    "directory" },
	{ "worker Http = on\n", { NULL }, { NULL },
	    "conf/corral.conf:1: bad worker name 'Http' (want 1 to 31 of "
	    "a-z 0-9 _ -)" },
	{ "worker.http.restart = sometimes\n", { NULL }, { NULL },
	    "conf/corral.conf:1: worker.http.restart: 'sometimes' is not "
	    "always or never" },
	{ "worker.http.user = x\n", { NULL }, { NULL },
	    "conf/corral.conf:1: unknown setting 'worker.http.user'" },
	{ "worker.http = on\n", { NULL }, { NULL },
	    "conf/corral.conf:1: unknown setting 'worker.http'" },
	{ "worker http = maybe\n", { NULL }, { NULL },
	    "conf/corral.conf:1: worker http: 'maybe' is not on or off" },
	{ "worker http = on\nworker fake = on\n", { NULL }, { NULL },
	    "conf/corral.conf:2: worker 'fake' is not built in; give "
	    "worker.fake.exec = PATH" },
	{ "worker.fake.exec = bin/fake\n", { NULL }, { NULL },
	    "conf/corral.conf:1: worker.fake.exec: 'bin/fake' is not an "
	    "absolute path" },
	{ "", { "CORRAL_WORKERS", "http,fake" }, { NULL },
	    "CORRAL_WORKERS: worker 'fake' is not built in and the config "
	    "file gives no worker.fake.exec" },
	{ "", { "CORRAL_WORKERS", "http,Bad" }, { NULL },
	    "CORRAL_WORKERS: bad worker name 'Bad' (want 1 to 31 of a-z 0-9 "
	    "_ -)" },
	{ "", { "CORRAL_ADMIN_TOKEN", TOKEN_A, "CORRAL_ADMIN_TOKEN_FILE",
	    "/nonexistent" }, { NULL },
	    "admin token given twice: CORRAL_ADMIN_TOKEN and "
	    "CORRAL_ADMIN_TOKEN_FILE; give one" },
	{ "admin_token_file = /nonexistent\n",
	    { "CORRAL_ADMIN_TOKEN", TOKEN_A }, { NULL },
	    "admin token given twice: CORRAL_ADMIN_TOKEN and "
	    "admin_token_file (conf/corral.conf:1); give one" },
	{ "readonly_token = " TOKEN_R "\n", { NULL },
	    { "--readonly-token-file", "/nonexistent" },
	    "readonly token given twice: readonly_token (conf/corral.conf:1) "
	    "and --readonly-token-file; give one" },
	{ "admin_token = " TOKEN_A "\nadmin_token_file = /x\n", { NULL },
	    { NULL },
	    "admin token given twice: admin_token (conf/corral.conf:1) and "
	    "admin_token_file (conf/corral.conf:2); give one" },
	{ "", { "CORRAL_ADMIN_TOKEN_FILE", "/nonexistent/t" }, { NULL },
	    "CORRAL_ADMIN_TOKEN_FILE: cannot read /nonexistent/t: No such "
	    "file or directory" },
	{ "readonly_token_file = /nonexistent/t\n", { NULL }, { NULL },
	    "conf/corral.conf:1: readonly_token_file: cannot read "
	    "/nonexistent/t: No such file or directory" },
	{ "", { NULL }, { "--admin-token", "" },
	    "--admin-token: empty value" },
	/* the master key comes from the environment only */
	{ "auth_store_master_key_file = /run/k\n", { NULL }, { NULL },
	    "conf/corral.conf:1: unknown setting "
	    "'auth_store_master_key_file'" },
	{ "", { NULL }, { "--auth-store-master-key", "x" },
	    "unknown flag '--auth-store-master-key'" },
	{ "routes_file =\n", { NULL }, { NULL },
	    "conf/corral.conf:1: routes_file: empty value" },
	{ "skills_dir = skills\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_dir: 'skills' is relative; give an "
	    "absolute path" },
	{ "", { NULL }, { "--skills-max-running", "0" },
	    "--skills-max-running: '0' is out of range (1..1024)" },
	{ "skills_max_running = 1025\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_max_running: '1025' is out of range "
	    "(1..1024)" },
	{ "", { "CORRAL_SKILLS_MAX_QUEUED", "0" }, { NULL },
	    "CORRAL_SKILLS_MAX_QUEUED: '0' is out of range (1..1000000)" },
	{ "", { NULL }, { "--skills-max-queued=1000001" },
	    "--skills-max-queued: '1000001' is out of range (1..1000000)" },
	{ "skills_run_timeout = 0\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_run_timeout: '0' is out of range "
	    "(1..86400)" },
	{ "", { "CORRAL_SKILLS_RUN_TIMEOUT", "86401" }, { NULL },
	    "CORRAL_SKILLS_RUN_TIMEOUT: '86401' is out of range (1..86400)" },
	{ "", { "CORRAL_SKILLS_RUN_TIMEOUT", "30m" }, { NULL },
	    "CORRAL_SKILLS_RUN_TIMEOUT: '30m' is not a whole number" },
	{ "skills_retention_days = -1\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_retention_days: '-1' is out of range "
	    "(0..3650)" },
	{ "", { NULL }, { "--skills-retention-days", "3651" },
	    "--skills-retention-days: '3651' is out of range (0..3650)" },
	{ "", { "CORRAL_SKILLS_RETENTION_DAYS", "30d" }, { NULL },
	    "CORRAL_SKILLS_RETENTION_DAYS: '30d' is not a whole number" },
	{ "skills_agent_path = /usr/bin:bin\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_agent_path: '/usr/bin:bin' has a "
	    "relative element; give absolute folders separated by ':'" },
	{ "", { "CORRAL_SKILLS_AGENT_PATH", "usr/bin" }, { NULL },
	    "CORRAL_SKILLS_AGENT_PATH: 'usr/bin' has a relative element; give "
	    "absolute folders separated by ':'" },
	{ "", { NULL }, { "--skills-agent-path", "/usr/bin::/bin" },
	    "--skills-agent-path: '/usr/bin::/bin' has an empty element; give "
	    "absolute folders separated by ':'" },
	{ "", { NULL }, { "--skills-agent-path=:/bin" },
	    "--skills-agent-path: ':/bin' has an empty element; give absolute "
	    "folders separated by ':'" },
	{ "", { "CORRAL_SKILLS_AGENT_PATH", "/bin:" }, { NULL },
	    "CORRAL_SKILLS_AGENT_PATH: '/bin:' has an empty element; give "
	    "absolute folders separated by ':'" },
	{ "skills_agent_path =\n", { NULL }, { NULL },
	    "conf/corral.conf:1: skills_agent_path: empty value" },
};

START_TEST(test_load_errors)
{
	const struct err_case	*c = &err_cases[_i];
	struct config		 cfg;
	char			 err[512];
	int			 rc;

	put_conf(c->file);
	set_env(c->env);
	rc = load(&cfg, err, sizeof(err), c->args);
	ck_assert_msg(rc == 2, "case %d: got rc %d, want 2", _i, rc);
	ck_assert_msg(strcmp(err, c->want) == 0,
	    "case %d: got \"%s\", want \"%s\"", _i, err, c->want);
	ck_assert_msg(strstr(err, "aaaaaaaa") == NULL &&
	    strstr(err, "rrrrrrrr") == NULL, "case %d: secret in \"%s\"", _i,
	    err);
	/* a failed load leaves nothing to free */
	ck_assert_ptr_null(cfg.conf_path);
	ck_assert_ptr_null(cfg.bind);
	ck_assert_ptr_null(cfg.admin_token);
	config_free(&cfg);
}
END_TEST

/* *_FILE: what the file holds, and what is read from it. */
static const struct tokfile_case {
	const char	*text;		/* NULL: 5000 bytes of 'x' */
	const char	*want;		/* token read, or NULL */
	const char	*why;		/* error after "ENV_NAME: path" */
} tokfile_cases[] = {
	{ TOKEN_A "\n", TOKEN_A, NULL },
	{ TOKEN_A, TOKEN_A, NULL },
	{ TOKEN_A " \t\r\n\n", TOKEN_A, NULL },
	{ "", NULL, " is empty" },
	{ " \n\n", NULL, " is empty" },
	{ NULL, NULL, " is larger than 4096 bytes" },
};

START_TEST(test_token_file)
{
	const struct tokfile_case	*c = &tokfile_cases[_i];
	struct config			 cfg;
	char				 err[512], want[PATH_MAX + 128];
	char				*path, *big = NULL;
	int				 rc;

	if (c->text == NULL) {
		big = malloc(5001);
		ck_assert_ptr_nonnull(big);
		memset(big, 'x', 5000);
		big[5000] = '\0';
	}
	path = tmp_file(c->text ? c->text : big);
	put_conf("");
	setenv("CORRAL_ADMIN_TOKEN_FILE", path, 1);
	rc = load(&cfg, err, sizeof(err), NULL);
	if (c->want != NULL) {
		ck_assert_msg(rc == 0, "case %d: got \"%s\", want success", _i,
		    err);
		ck_assert_msg(strcmp(cfg.admin_token, c->want) == 0,
		    "case %d: got \"%s\", want \"%s\"", _i, cfg.admin_token,
		    c->want);
		ck_assert_str_eq(cfg.admin_token_file, path);
	} else {
		snprintf(want, sizeof(want), "CORRAL_ADMIN_TOKEN_FILE: %s%s",
		    path, c->why);
		ck_assert_msg(rc == 2 && strcmp(err, want) == 0,
		    "case %d: got %d \"%s\", want 2 \"%s\"", _i, rc, err, want);
	}
	config_free(&cfg);
	free(path);
	free(big);
}
END_TEST

START_TEST(test_token_file_forms)
{
	struct config	 cfg;
	char		 err[512], *pa, *pr, *conf;
	const char	*args[] = { "--readonly-token-file", NULL, NULL };

	pa = tmp_file(TOKEN_A "\n");
	pr = tmp_file(TOKEN_R "\n");
	ck_assert_int_ne(asprintf(&conf, "admin_token_file = \"%s\"\n", pa),
	    -1);
	put_conf(conf);
	args[1] = pr;
	ck_assert_msg(load(&cfg, err, sizeof(err), args) == 0,
	    "got \"%s\", want success", err);
	ck_assert_str_eq(cfg.admin_token, TOKEN_A);
	ck_assert_str_eq(cfg.admin_token_file, pa);
	ck_assert_str_eq(cfg.readonly_token, TOKEN_R);
	ck_assert_str_eq(cfg.readonly_token_file, pr);
	ck_assert_msg(config_check(&cfg, err, sizeof(err)) == 0,
	    "check: got \"%s\", want success", err);
	config_free(&cfg);
	/* inline in the file, overridden inline by env: one form, fine */
	put_conf("admin_token = " TOKEN_R "\n");
	setenv("CORRAL_ADMIN_TOKEN", TOKEN_A, 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(cfg.admin_token, TOKEN_A);
	ck_assert_ptr_null(cfg.admin_token_file);
	config_free(&cfg);
	free(conf);
	free(pa);
	free(pr);
}
END_TEST

/* config_check: args for config_load, then the guardrail's line. */
static const struct check_case {
	const char	*args[6];
	const char	*want;		/* "" for success */
} check_cases[] = {
	{ { NULL }, "" },
	{ { "--state-root", "/srv/x", "--workspace-root", "/srv/x" },
	    "state_root and workspace_root are the same directory (/srv/x); "
	    "give two different ones" },
	{ { "--state-root", "/srv/c/", "--workspace-root", "//srv/./c" },
	    "state_root and workspace_root are the same directory (/srv/c); "
	    "give two different ones" },
	{ { "--state-root", "/srv/c", "--workspace-root", "/srv/c/ws" },
	    "workspace_root /srv/c/ws is inside state_root /srv/c; keep them "
	    "apart" },
	{ { "--state-root", "/srv/c/st", "--workspace-root", "/srv/c" },
	    "state_root /srv/c/st is inside workspace_root /srv/c; keep them "
	    "apart" },
	{ { "--state-root", "/", "--workspace-root", "/srv" },
	    "workspace_root /srv is inside state_root /; keep them apart" },
	{ { "--state-root", "/srv/c", "--workspace-root", "/srv/cc" }, "" },
	{ { "--bind", "0.0.0.0:4000", "--auth-mode", "none" },
	    "bind 0.0.0.0:4000 is not a loopback address and http_auth_mode "
	    "is none; use bearer auth, or set CORRAL_ALLOW_INSECURE=1 to run "
	    "without it" },
	{ { "--bind", "[::]:4000", "--auth-mode", "none" },
	    "bind [::]:4000 is not a loopback address and http_auth_mode is "
	    "none; use bearer auth, or set CORRAL_ALLOW_INSECURE=1 to run "
	    "without it" },
	{ { "--bind", "10.1.2.3:80", "--auth-mode=none", "--allow-insecure" },
	    "" },
	{ { "--bind", "0.0.0.0:4000" }, "" },
	{ { "--bind", "127.1.2.3:4000", "--auth-mode", "none" }, "" },
	{ { "--bind", "[::1]:4000", "--auth-mode", "none" }, "" },
	{ { "--bind", "localhost:4000", "--auth-mode", "none" }, "" },
	{ { "--bind", "[::ffff:127.0.0.1]:4000", "--auth-mode", "none" }, "" },
	{ { "--admin-token", "short" },
	    "admin token is too short (5 chars); use at least 16" },
	{ { "--admin-token", TOKEN_A, "--readonly-token", "abc" },
	    "readonly token is too short (3 chars); use at least 16" },
	{ { "--admin-token", TOKEN_A, "--readonly-token", TOKEN_A },
	    "admin and readonly tokens are the same; give two different "
	    "tokens" },
	{ { "--admin-token", "aaaaaaaa aaaaaaaaaa" },
	    "admin token holds a space or control character; use printable "
	    "characters only" },
	{ { "--admin-token", TOKEN_A, "--readonly-token", TOKEN_R }, "" },
};

START_TEST(test_check)
{
	const struct check_case	*c = &check_cases[_i];
	struct config		 cfg;
	char			 err[512];
	int			 rc;

	put_conf("");
	ck_assert_msg(load(&cfg, err, sizeof(err), c->args) == 0,
	    "case %d: load: got \"%s\", want success", _i, err);
	rc = config_check(&cfg, err, sizeof(err));
	ck_assert_msg(rc == (*c->want ? 2 : 0) && strcmp(err, c->want) == 0,
	    "case %d: got %d \"%s\", want \"%s\"", _i, rc, err, c->want);
	ck_assert_msg(strstr(err, "aaaaaaaa") == NULL, "case %d: secret in "
	    "\"%s\"", _i, err);
	config_free(&cfg);
}
END_TEST

START_TEST(test_check_by_hand)
{
	struct config	cfg;
	char		err[512];

	memset(&cfg, 0, sizeof(cfg));
	cfg.state_root = "var/state";
	cfg.workspace_root = "/srv/ws";
	cfg.bind = "127.0.0.1:4000";
	cfg.auth_mode = "bearer";
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 2);
	ck_assert_str_eq(err, "state_root: 'var/state' is relative; give an "
	    "absolute path");
	cfg.state_root = "/srv/st";
	cfg.bind = "nope";
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 2);
	ck_assert_str_eq(err, "bind: 'nope' is not host:port or "
	    "[v6addr]:port with a port in 1..65535");
	cfg.bind = "127.0.0.1:4000";
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

/* test_check_token_long - a token the http worker would never match */
START_TEST(test_check_token_long)
{
	struct config	cfg;
	char		err[512], tok[4098];

	memset(&cfg, 0, sizeof(cfg));
	cfg.state_root = "/srv/st";
	cfg.workspace_root = "/srv/ws";
	cfg.bind = "127.0.0.1:4000";
	cfg.auth_mode = "bearer";
	memset(tok, 'k', sizeof(tok) - 1);
	tok[sizeof(tok) - 1] = '\0';
	cfg.readonly_token = tok;
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 2);
	ck_assert_str_eq(err, "readonly token is too long (4097 chars); use "
	    "at most 4096");
	ck_assert_ptr_null(strstr(err, "kkkk"));
	tok[4096] = '\0';
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 0);
}
END_TEST

/* config_check of the secret store's inputs: env, then --routes-file
 * routes.json holding routes (unless NULL), then the line. The key file
 * "key" and the directory "dir" exist in the cwd. */
static const struct store_case {
	const char	*env[4];
	const char	*routes;
	const char	*want;		/* "" for success */
} store_cases[] = {
	{ { NULL }, NULL, "" },
	{ { "CORRAL_AUTH_STORE_MASTER_KEY", "k",
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "key" }, NULL,
	    "master key given twice: CORRAL_AUTH_STORE_MASTER_KEY and "
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE; give one" },
	{ { "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "nope" }, NULL,
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE: cannot read nope: No such "
	    "file or directory" },
	{ { "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "dir" }, NULL,
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE: dir is not a regular file" },
	/* present is enough: the master never parses the key */
	{ { "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "key" }, NULL, "" },
	{ { "CORRAL_AUTH_STORE_MASTER_KEY", "not base64 at all" }, NULL, "" },
	{ { "CORRAL_AUTH_STORE_MASTER_KEY", "",
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE", "key" }, NULL, "" },
	{ { NULL }, "[]", "" },
	{ { NULL }, "{\"routes\":[{\"name\":\"l\",\"provider\":\"ollama\","
	    "\"base_url\":\"http://127.0.0.1:11434\",\"model\":\"m\"}]}",
	    "" },
	{ { NULL }, "{\"routes\":[{\"name\":\"a\"}]}",
	    "routes file routes.json: routes[0].provider: missing" },
	{ { NULL }, "[{\"name\":\"a\",\"provider\":\"openai\","
	    "\"base_url\":\"ftp://x\",\"model\":\"m\",\"secret\":\"s\"}]",
	    "routes file routes.json: routes[0].base_url: must start with "
	    "http:// or https://" },
	{ { NULL }, "{\"routes\": [", "routes file routes.json: not valid "
	    "JSON (line 1)" },
	{ { "CORRAL_ROUTES_FILE", "nope.json" }, NULL,
	    "routes file nope.json: cannot read: No such file or directory" },
};

START_TEST(test_check_store)
{
	const struct store_case	*c = &store_cases[_i];
	const char		*args[] = { "--routes-file", "routes.json",
	    NULL };
	struct config		 cfg;
	char			 err[512];
	int			 rc;

	put_conf("");
	put_file("key", "the key is never read by config_check\n");
	ck_assert_int_eq(mkdir("dir", 0700), 0);
	set_env(c->env);
	if (c->routes != NULL)
		put_file("routes.json", c->routes);
	ck_assert_msg(load(&cfg, err, sizeof(err), c->routes != NULL ? args :
	    NULL) == 0, "case %d: load: got \"%s\", want success", _i, err);
	rc = config_check(&cfg, err, sizeof(err));
	ck_assert_msg(rc == (*c->want ? 2 : 0) && strcmp(err, c->want) == 0,
	    "case %d: got %d \"%s\", want \"%s\"", _i, rc, err, c->want);
	config_free(&cfg);
}
END_TEST

static const struct bind_case {
	const char	*in;
	const char	*host;		/* NULL: must not parse */
	int		 port;
} bind_cases[] = {
	{ "127.0.0.1:4000", "127.0.0.1", 4000 },
	{ "[::1]:80", "::1", 80 },
	{ "localhost:65535", "localhost", 65535 },
	{ "corral-host.example:1", "corral-host.example", 1 },
	{ "host:0", NULL, 0 },
	{ "host:65536", NULL, 0 },
	{ "host:", NULL, 0 },
	{ "host:12a", NULL, 0 },
	{ "host:+80", NULL, 0 },
	{ ":4000", NULL, 0 },
	{ "127.0.0.1", NULL, 0 },
	{ "::1:4000", NULL, 0 },
	{ "[::1]4000", NULL, 0 },
	{ "[::1:4000", NULL, 0 },
	{ "[zz]:80", NULL, 0 },
	{ "[]:80", NULL, 0 },
	{ "ho st:80", NULL, 0 },
	{ "", NULL, 0 },
};

START_TEST(test_bind_parse)
{
	const struct bind_case	*c = &bind_cases[_i];
	char			 host[256];
	int			 port = -1, rc;

	rc = config_bind_parse(c->in, host, sizeof(host), &port);
	if (c->host == NULL) {
		ck_assert_msg(rc == -1, "case %d (%s): got %d, want -1", _i,
		    c->in, rc);
		return;
	}
	ck_assert_msg(rc == 0, "case %d (%s): got %d, want 0", _i, c->in, rc);
	ck_assert_msg(strcmp(host, c->host) == 0 && port == c->port,
	    "case %d: got %s %d, want %s %d", _i, host, port, c->host,
	    c->port);
}
END_TEST

START_TEST(test_workers)
{
	struct config	cfg;
	char		err[512];

	put_conf("worker http = on\n"
	    "worker.http.restart = never\n"
	    "worker secrets = off\n"
	    "  worker   fake_1 = yes\n"
	    "worker.fake_1.exec = \"/opt/my fake\"  # spaces are fine\n"
	    "worker.fake_1.exec = /opt/fake\n");
	ck_assert_msg(load(&cfg, err, sizeof(err), NULL) == 0,
	    "got \"%s\", want success", err);
	ck_assert_int_eq(cfg.nworkers, 3);
	ck_assert_str_eq(cfg.workers[0].name, "http");
	ck_assert_int_eq(cfg.workers[0].enabled, 1);
	ck_assert_int_eq(cfg.workers[0].restart, RESTART_NEVER);
	ck_assert_int_eq(cfg.workers[0].line, 1);
	ck_assert_str_eq(cfg.workers[1].name, "secrets");
	ck_assert_int_eq(cfg.workers[1].enabled, 0);
	ck_assert_str_eq(cfg.workers[2].name, "fake_1");
	ck_assert_int_eq(cfg.workers[2].enabled, 1);
	ck_assert_int_eq(cfg.workers[2].restart, RESTART_ALWAYS);
	ck_assert_str_eq(cfg.workers[2].exec, "/opt/fake");
	ck_assert_int_eq(cfg.workers[2].line, 4);
	config_free(&cfg);

	/* the file names a worker: no default table */
	put_conf("worker http = off\n");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_int_eq(cfg.nworkers, 1);
	ck_assert_int_eq(cfg.workers[0].enabled, 0);
	config_free(&cfg);

	/* CORRAL_WORKERS turns on exactly what it names */
	put_conf("worker http = on\n");
	setenv("CORRAL_WORKERS", "secrets, mcp,,", 1);
	ck_assert_msg(load(&cfg, err, sizeof(err), NULL) == 0,
	    "got \"%s\", want success", err);
	ck_assert_int_eq(cfg.nworkers, 3);
	ck_assert_int_eq(cfg.workers[0].enabled, 0);
	ck_assert_str_eq(cfg.workers[1].name, "secrets");
	ck_assert_int_eq(cfg.workers[1].enabled, 1);
	ck_assert_str_eq(cfg.workers[2].name, "mcp");
	ck_assert_int_eq(cfg.workers[2].enabled, 1);
	ck_assert_int_eq(cfg.workers[2].line, 0);
	config_free(&cfg);
}
END_TEST

START_TEST(test_worker_json)
{
	const char *const args[] = { "--admin-token", TOKEN_A,
	    "--readonly-token", TOKEN_R, NULL };
	static const char *const strs[] = { "name", "bind", "state_root",
	    "workspace_root", "auth_mode", "mcp_discovery", "log_level",
	    "log_format", "version" };
	static const char *const nums[] = { "shutdown_timeout",
	    "http_body_limit", "http_timeout" };
	struct config		 cfg;
	struct config_worker	 other;
	char			 err[512], *txt;
	cJSON			*o, *j;
	size_t			 k;

	put_conf("");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), args), 0);
	o = config_worker_json(&cfg, &cfg.workers[0]);
	ck_assert_ptr_nonnull(o);
	for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(o, strs[k])),
		    "http: got no string %s, want one", strs[k]);
	for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		ck_assert_msg(cJSON_IsNumber(cJSON_GetObjectItem(o, nums[k])),
		    "http: got no number %s, want one", nums[k]);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "name")->valuestring, "http");
	ck_assert_int_eq(cJSON_GetObjectItem(o, "shutdown_timeout")->valueint,
	    10);
	j = cJSON_GetObjectItem(o, "admin_token");
	ck_assert_msg(cJSON_IsString(j) && strcmp(j->valuestring, TOKEN_A)
	    == 0, "http: got no admin_token, want it");
	j = cJSON_GetObjectItem(o, "readonly_token");
	ck_assert_msg(cJSON_IsString(j) && strcmp(j->valuestring, TOKEN_R)
	    == 0, "http: got no readonly_token, want it");
	cJSON_Delete(o);

	memset(&other, 0, sizeof(other));
	snprintf(other.name, sizeof(other.name), "secrets");
	o = config_worker_json(&cfg, &other);
	ck_assert_ptr_nonnull(o);
	txt = cJSON_PrintUnformatted(o);
	ck_assert_ptr_nonnull(txt);
	ck_assert_msg(strstr(txt, "token") == NULL && strstr(txt,
	    "aaaaaaaa") == NULL && strstr(txt, "rrrrrrrr") == NULL,
	    "secrets: got %s, want no token", txt);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "name")->valuestring,
	    "secrets");
	free(txt);
	cJSON_Delete(o);
	config_free(&cfg);

	/* http without a readonly token: no readonly_token member */
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	o = config_worker_json(&cfg, &cfg.workers[0]);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "readonly_token"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "admin_token"));
	cJSON_Delete(o);
	config_free(&cfg);
}
END_TEST

START_TEST(test_secrets_json)
{
	const char *const args[] = { "--routes-file", "routes.json", NULL };
	static const char *const lists[] = { "skills", "engines", "mcp" };
	static const int sizes[] = { 2, 0, 0 };
	struct config	 cfg;
	char		 err[512], *txt;
	cJSON		*o, *g, *a;
	size_t		 k;

	put_conf("worker http = on\nworker secrets = on\n");
	put_file("routes.json", "{\"routes\":["
	    "{\"name\":\"a\",\"provider\":\"openai\",\"model\":\"m\","
	    "\"base_url\":\"https://api.openai.com/v1\",\"secret\":\"s1\"},"
	    "{\"name\":\"b\",\"provider\":\"anthropic\",\"model\":\"m\","
	    "\"base_url\":\"https://api.anthropic.com\",\"secret\":\"s2\"},"
	    "{\"name\":\"c\",\"provider\":\"openai\",\"model\":\"n\","
	    "\"base_url\":\"https://api.openai.com/v1\",\"secret\":\"s1\"},"
	    "{\"name\":\"d\",\"provider\":\"ollama\",\"model\":\"l\","
	    "\"base_url\":\"http://127.0.0.1:11434\"}]}");
	setenv("CORRAL_AUTH_STORE_MASTER_KEY", "AAAA-a-key-value-AAAA", 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), args), 0);
	ck_assert_int_eq(config_check(&cfg, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.workers[1].name, "secrets");
	o = config_worker_json(&cfg, &cfg.workers[1]);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "routes_file")->valuestring,
	    "routes.json");
	g = cJSON_GetObjectItem(o, "grants");
	ck_assert_msg(cJSON_IsObject(g), "got no grants object, want one");
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		a = cJSON_GetObjectItem(g, lists[k]);
		ck_assert_msg(cJSON_IsArray(a) && cJSON_GetArraySize(a) ==
		    sizes[k], "grants.%s: got %d names, want %d", lists[k],
		    cJSON_GetArraySize(a), sizes[k]);
	}
	a = cJSON_GetObjectItem(g, "skills");
	ck_assert_str_eq(cJSON_GetArrayItem(a, 0)->valuestring, "s1");
	ck_assert_str_eq(cJSON_GetArrayItem(a, 1)->valuestring, "s2");
	/* the key stays where it was: in the environment, not the config */
	txt = cJSON_PrintUnformatted(o);
	ck_assert_msg(strstr(txt, "a-key-value") == NULL && strstr(txt,
	    "MASTER_KEY") == NULL, "secrets config: got %s, want no key",
	    txt);
	free(txt);
	cJSON_Delete(o);
	o = config_worker_json(&cfg, &cfg.workers[0]);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "routes_file"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "grants"));
	cJSON_Delete(o);
	config_free(&cfg);

	/* a routes file that stopped loading grants nothing */
	put_file("routes.json", "[");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), args), 0);
	o = config_worker_json(&cfg, &cfg.workers[1]);
	a = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "grants"), "skills");
	ck_assert_msg(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 0,
	    "grants.skills: got a non-empty list, want []");
	cJSON_Delete(o);
	config_free(&cfg);
}
END_TEST

START_TEST(test_usage)
{
	static const char *const want[] = { "--config FILE", "--bind ADDR",
	    "CORRAL_BIND", "--admin-token-file FILE",
	    "CORRAL_ADMIN_TOKEN_FILE", "--allow-insecure ",
	    "--shutdown-timeout SECONDS", "--http-body-limit BYTES",
	    "default 127.0.0.1:4000", "default ./var/state",
	    "--skills-dir DIR", "CORRAL_SKILLS_DIR", "default ./skills",
	    "--skills-agent-path DIR:...",
	    "default /usr/local/bin:/usr/bin:/bin" };
	char	*buf = NULL;
	size_t	 len = 0, k;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	config_usage(fp);
	fclose(fp);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		ck_assert_msg(strstr(buf, want[k]) != NULL,
		    "usage: got no \"%s\", want it", want[k]);
	ck_assert_msg(strstr(buf, " \n") == NULL, "usage: got trailing "
	    "blanks, want none");
	free(buf);
}
END_TEST

START_TEST(test_gpu_json)
{
	const char *const args[] = { "--nvml-library", "/opt/libnvml.so",
	    NULL };
	struct config	 cfg;
	char		 err[512];
	cJSON		*o;

	put_conf("worker http = on\nworker gpu = on\ngpu_interval = 2\n"
	    "nvidia_smi = /opt/bin/nvidia-smi\n");
	ck_assert_msg(load(&cfg, err, sizeof(err), args) == 0,
	    "got \"%s\", want success", err);
	ck_assert_str_eq(cfg.workers[1].name, "gpu");
	o = config_worker_json(&cfg, &cfg.workers[1]);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cJSON_GetObjectItem(o, "gpu_interval")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(o, "gpu_history")->valueint,
	    900);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "nvml_library")->valuestring,
	    "/opt/libnvml.so");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "nvidia_smi")->valuestring,
	    "/opt/bin/nvidia-smi");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(o, "state_root"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(o, "workspace_root"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "metrics_auth"));
	cJSON_Delete(o);
	/* the gpu settings are the gpu worker's alone; metrics_auth http's */
	o = config_worker_json(&cfg, &cfg.workers[0]);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "metrics_auth")->valuestring,
	    "bearer");
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "gpu_interval"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "nvml_library"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "nvidia_smi"));
	cJSON_Delete(o);
	config_free(&cfg);
}
END_TEST

/* test_engines_json - docker_host's fallback; engine settings to engines
 * only; engines_secrets as the engines worker's grants */
START_TEST(test_engines_json)
{
	struct config	 cfg;
	char		 err[512];
	cJSON		*o, *g;

	put_conf("worker http = on\nworker secrets = on\nworker engines = on\n"
	    "models_root = /srv/models\nengines_stop_on_exit = on\n"
	    "engines_secrets = hf-token, other ,hf-token\n");
	setenv("DOCKER_HOST", "unix:///run/from-docker-host.sock", 1);
	ck_assert_msg(load(&cfg, err, sizeof(err), NULL) == 0,
	    "got \"%s\", want success", err);
	ck_assert_str_eq(cfg.docker_host, "unix:///run/from-docker-host.sock");
	ck_assert_str_eq(cfg.workers[2].name, "engines");
	o = config_worker_json(&cfg, &cfg.workers[2]);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "docker_host")->valuestring,
	    "unix:///run/from-docker-host.sock");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "models_root")->valuestring,
	    "/srv/models");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(o,
	    "engines_stop_on_exit")));
	cJSON_Delete(o);
	o = config_worker_json(&cfg, &cfg.workers[0]);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "docker_host"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "models_root"));
	cJSON_Delete(o);
	o = config_worker_json(&cfg, &cfg.workers[1]);
	g = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "grants"), "engines");
	ck_assert_int_eq(cJSON_GetArraySize(g), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(g, 0)->valuestring, "hf-token");
	ck_assert_str_eq(cJSON_GetArrayItem(g, 1)->valuestring, "other");
	cJSON_Delete(o);
	config_free(&cfg);
	/* CORRAL_DOCKER_HOST wins over DOCKER_HOST */
	setenv("CORRAL_DOCKER_HOST", "tcp://10.0.0.1:2375", 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(cfg.docker_host, "tcp://10.0.0.1:2375");
	config_free(&cfg);
	unsetenv("CORRAL_DOCKER_HOST");
	unsetenv("DOCKER_HOST");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	ck_assert_ptr_null(cfg.docker_host);
	config_free(&cfg);
}
END_TEST

/* test_skills_json - the skills worker's config object holds exactly the
 * settings every worker gets, the skills_* ones and routes_file (when
 * set); no other worker gets a skills_* setting */
START_TEST(test_skills_json)
{
	const char *const args[] = { "--admin-token", TOKEN_A,
	    "--routes-file", "conf/routes.json", NULL };
	static const char *const want[] = { "name", "version", "bind",
	    "state_root", "workspace_root", "auth_mode", "shutdown_timeout",
	    "log_level", "log_format", "mcp_discovery", "http_body_limit",
	    "http_timeout", "skills_dir", "skills_max_running",
	    "skills_max_queued", "skills_run_timeout", "skills_retention_days",
	    "skills_agent_path", "routes_file" };
	struct config	 cfg;
	char		 err[512];
	const cJSON	*j;
	cJSON		*o;
	size_t		 k, n;
	int		 i;

	put_conf("skills_dir = /srv/skills\nskills_max_running = 2\n"
	    "skills_agent_path = /opt/bin:/usr/bin\n");
	setenv("CORRAL_SKILLS_RUN_TIMEOUT", "600", 1);
	setenv("CORRAL_SKILLS_RETENTION_DAYS", "0", 1);
	ck_assert_msg(load(&cfg, err, sizeof(err), args) == 0,
	    "got \"%s\", want success", err);
	ck_assert_str_eq(cfg.workers[5].name, "skills");
	o = config_worker_json(&cfg, &cfg.workers[5]);
	ck_assert_ptr_nonnull(o);
	n = 0;
	cJSON_ArrayForEach(j, o) {
		for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			if (strcmp(j->string, want[k]) == 0)
				break;
		ck_assert_msg(k < sizeof(want) / sizeof(want[0]),
		    "skills: got %s, want no such member", j->string);
		n++;
	}
	ck_assert_msg(n == sizeof(want) / sizeof(want[0]),
	    "skills: got %zu members, want %zu", n, sizeof(want) /
	    sizeof(want[0]));
	ck_assert_str_eq(cJSON_GetObjectItem(o, "name")->valuestring,
	    "skills");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "skills_dir")->valuestring,
	    "/srv/skills");
	ck_assert_int_eq(cJSON_GetObjectItem(o,
	    "skills_max_running")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(o,
	    "skills_max_queued")->valueint, 10000);
	ck_assert_int_eq(cJSON_GetObjectItem(o,
	    "skills_run_timeout")->valueint, 600);
	ck_assert_int_eq(cJSON_GetObjectItem(o,
	    "skills_retention_days")->valueint, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(o,
	    "skills_agent_path")->valuestring, "/opt/bin:/usr/bin");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "routes_file")->valuestring,
	    "conf/routes.json");
	cJSON_Delete(o);
	/* the others: no skills_* (the secrets worker keeps routes_file) */
	for (i = 0; i < 5; i++) {
		o = config_worker_json(&cfg, &cfg.workers[i]);
		ck_assert_ptr_nonnull(o);
		cJSON_ArrayForEach(j, o)
			ck_assert_msg(strncmp(j->string, "skills_", 7) != 0,
			    "%s: got %s, want no skills_* member",
			    cfg.workers[i].name, j->string);
		ck_assert_msg((cJSON_GetObjectItem(o, "routes_file") !=
		    NULL) == (i == 1), "%s: routes_file %s",
		    cfg.workers[i].name, i == 1 ? "missing" : "given");
		cJSON_Delete(o);
	}
	config_free(&cfg);

	/* no routes file: no routes_file member */
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 0);
	o = config_worker_json(&cfg, &cfg.workers[5]);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(o, "skills_dir"));
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "routes_file"));
	cJSON_Delete(o);
	config_free(&cfg);
}
END_TEST

/* test_skills_agent_path_long - skills_agent_path is at most 4096
 * characters; the refusal keeps its reason, the value cut short */
START_TEST(test_skills_agent_path_long)
{
	struct config	 cfg;
	char		 err[512], *val;

	put_conf("");
	/* "/aaa...a:/b": 4096 characters, then one more */
	val = malloc(4098);
	ck_assert_ptr_nonnull(val);
	memset(val, 'a', 4097);
	val[0] = '/';
	val[4093] = ':';
	val[4094] = '/';
	val[4095] = 'b';
	val[4096] = '\0';
	setenv("CORRAL_SKILLS_AGENT_PATH", val, 1);
	ck_assert_msg(load(&cfg, err, sizeof(err), NULL) == 0,
	    "4096 chars: got \"%s\", want success", err);
	ck_assert_str_eq(cfg.skills_agent_path, val);
	config_free(&cfg);
	val[4096] = 'c';
	val[4097] = '\0';
	setenv("CORRAL_SKILLS_AGENT_PATH", val, 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 2);
	ck_assert_msg(strncmp(err, "CORRAL_SKILLS_AGENT_PATH: '/aaa", 31) ==
	    0 && strstr(err, "...' is longer than 4096 characters") != NULL &&
	    strlen(err) < 300, "4097 chars: got \"%s\"", err);
	config_free(&cfg);
	free(val);
}
END_TEST

/* test_token_not_regular - a FIFO as a token file is refused, not read
 * (a blocking read would hang); a line missing its '=' whose value holds
 * one never echoes it */
START_TEST(test_token_not_regular)
{
	struct config	 cfg;
	char		 err[512], *path;

	ck_assert_int_ne(asprintf(&path, "%s/fifo", tmpdir), -1);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	put_conf("");
	setenv("CORRAL_ADMIN_TOKEN_FILE", path, 1);
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 2);
	ck_assert_msg(strstr(err, "is not a regular file") != NULL, "%s", err);
	config_free(&cfg);
	unsetenv("CORRAL_ADMIN_TOKEN_FILE");
	free(path);
	put_conf("admin_token sk-secret-abc==\n");
	ck_assert_int_eq(load(&cfg, err, sizeof(err), NULL), 2);
	ck_assert_msg(strstr(err, "sk-secret") == NULL, "%s", err);
	ck_assert_msg(strstr(err, "expected 'key = value'") != NULL, "%s",
	    err);
	config_free(&cfg);
}
END_TEST

/* config_suite - the config module's tests */
Suite *
config_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("config");

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_local_conf);
	tcase_add_test(tc, test_shipped_conf);
	tcase_add_loop_test(tc, test_precedence, 0,
	    sizeof(prec_cases) / sizeof(prec_cases[0]));
	tcase_add_loop_test(tc, test_load_errors, 0,
	    sizeof(err_cases) / sizeof(err_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("secrets");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_token_file, 0,
	    sizeof(tokfile_cases) / sizeof(tokfile_cases[0]));
	tcase_add_test(tc, test_token_file_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_check, 0,
	    sizeof(check_cases) / sizeof(check_cases[0]));
	tcase_add_test(tc, test_check_by_hand);
	tcase_add_test(tc, test_check_token_long);
	tcase_add_loop_test(tc, test_check_store, 0,
	    sizeof(store_cases) / sizeof(store_cases[0]));
	tcase_add_loop_test(tc, test_bind_parse, 0,
	    sizeof(bind_cases) / sizeof(bind_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("workers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_workers);
	tcase_add_test(tc, test_worker_json);
	tcase_add_test(tc, test_secrets_json);
	tcase_add_test(tc, test_gpu_json);
	tcase_add_test(tc, test_engines_json);
	tcase_add_test(tc, test_skills_json);
	tcase_add_test(tc, test_skills_agent_path_long);
	tcase_add_test(tc, test_token_not_regular);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);

	return (s);
}
