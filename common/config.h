/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config.h - corral's configuration: flags > env > file > defaults
 * SYNOPSIS
 *	int	config_load(struct config *cfg, int argc, char **argv,
 *		    char *err, size_t errlen);
 *	int	config_check(const struct config *cfg, char *err, size_t errlen);
 *	int	config_bind_parse(const char *bind, char *host, size_t hostlen,
 *		    int *port);
 *	cJSON	*config_worker_json(const struct config *cfg,
 *		    const struct config_worker *w);
 *	void	config_free(struct config *cfg);
 * DESCRIPTION
 *	One table names every setting once: its key in conf/corral.conf
 *	(key = value lines, '#' comments), its CORRAL_* environment
 *	variable, its --flag, and whether it is a secret. Every secret also
 *	has a *_FILE form (CORRAL_ADMIN_TOKEN_FILE, admin_token_file = ...,
 *	--admin-token-file); giving the inline and the file form of one
 *	setting is refused. The file is --config FILE, else CORRAL_CONFIG,
 *	else ./conf/corral.conf if it exists, else SYSCONFDIR/corral.conf if
 *	it exists, else none.
 *
 *	The worker table comes from the file: "worker NAME = on|off" enables
 *	a worker, "worker.NAME.restart = always|never" sets its policy and
 *	"worker.NAME.exec = PATH" names the executable of a worker that is
 *	not built in (tests use it for fake workers). Built-in workers are
 *	executed from libexec_dir by their name. With no worker named, the
 *	table is http, secrets, gpu, engines, mcp and skills.
 *
 *	The master key of the secret store is not a setting: it comes from
 *	CORRAL_AUTH_STORE_MASTER_KEY or CORRAL_AUTH_STORE_MASTER_KEY_FILE in
 *	the environment and goes to the secrets worker only. config_load
 *	notes whether the first is set and the path of the second; nothing
 *	here ever reads the key.
 *
 *	config_load fills cfg and resolves *_FILE inputs into the values.
 *	config_check applies the guardrails, the routes file and the master
 *	key inputs included. Both return 0, or 2 with one line in err
 *	saying what is wrong and where (the exit code corral uses for bad
 *	configuration).
 */
#ifndef CORRAL_CONFIG_H
#define CORRAL_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define CONFIG_MAX_WORKERS	32
#define CONFIG_NAME_MAX		32

/* The skills worker: it gets the skills_* settings and routes_file, and
 * the master checks skills_dir when it is on (master/main.c). */
#define CONFIG_SKILLS_WORKER	"skills"

/* The secret store's master key: read from the environment only, and only
 * by the secrets worker; the master checks that it is given once. */
#define CONFIG_MASTER_KEY_ENV		"CORRAL_AUTH_STORE_MASTER_KEY"
#define CONFIG_MASTER_KEY_FILE_ENV	"CORRAL_AUTH_STORE_MASTER_KEY_FILE"

enum config_restart { RESTART_ALWAYS, RESTART_NEVER };

struct config_worker {
	char	name[CONFIG_NAME_MAX];	/* [a-z0-9_-]+ */
	int	enabled;
	int	restart;		/* enum config_restart */
	char	*exec;			/* NULL: libexec_dir/name */
	int	line;			/* config file line naming it, 0: none */
};

struct config {
	char	*conf_path;		/* file read, NULL if none */
	char	*bind;			/* "host:port", default 127.0.0.1:4000 */
	char	*state_root;		/* absolute */
	char	*workspace_root;	/* absolute */
	char	*auth_mode;		/* "bearer" (default) or "none" */
	char	*admin_token;		/* secret; NULL: created in state_root */
	char	*admin_token_file;	/* where it came from, if a file */
	char	*readonly_token;	/* secret; optional */
	char	*readonly_token_file;
	int	 allow_insecure;	/* CORRAL_ALLOW_INSECURE=1 */
	char	*user;			/* CORRAL_USER, default "corral" */
	long	 shutdown_timeout;	/* seconds, default 10 */
	char	*log_level;		/* default "info" */
	char	*log_format;		/* "text" (default) or "json" */
	char	*mcp_discovery;		/* default "disabled" */
	char	*libexec_dir;		/* NULL: found from /proc/self/exe */
	long	 http_body_limit;	/* bytes, default 1 MiB */
	long	 http_timeout;		/* seconds, default 30 */
	char	*metrics_auth;		/* /metrics: "bearer" (default), "none" */
	char	*routes_file;		/* model routes (JSON); NULL: none */
	long	 gpu_interval;		/* seconds between gpu samples, default 1 */
	long	 gpu_history;		/* seconds of gpu history kept, default 900 */
	char	*nvml_library;		/* NULL: libnvidia-ml.so.1 */
	char	*nvidia_smi;		/* absolute; NULL: searched in PATH */
	char	*docker_host;		/* NULL: DOCKER_HOST, else the socket */
	char	*models_root;		/* absolute, default var/models */
	char	*engines_file;		/* engine profiles (JSON); NULL: none */
	int	 engines_stop_on_exit;	/* stop engines with the daemon */
	char	*engines_secrets;	/* "a,b": secrets engines may read */
	char	*mcp_file;		/* MCP servers (JSON); NULL: none */
	long	 mcp_call_timeout;	/* seconds, default 60 */
	char	*mcp_secrets;		/* "a,b": secrets MCP servers may read */
	char	*skills_dir;		/* absolute, default skills */
	long	 skills_max_running;	/* runs at once, default 4 */
	long	 skills_max_queued;	/* runs waiting, default 10000 */
	long	 skills_run_timeout;	/* seconds, default 1800 */
	long	 skills_retention_days;	/* ended runs kept, default 30; 0: forever */
	char	*skills_agent_path;	/* ':' list of absolute folders */
	int	 master_key_set;	/* CONFIG_MASTER_KEY_ENV is set (never
					 * read: only its presence counts) */
	char	*master_key_file;	/* CONFIG_MASTER_KEY_FILE_ENV, or NULL */
	int	 nworkers;
	struct config_worker workers[CONFIG_MAX_WORKERS];
};

/* config_load - defaults, then file, env and flags; 0 or 2 with err set */
int	config_load(struct config *cfg, int argc, char **argv, char *err,
	    size_t errlen);

/* config_check - the guardrails; 0 or 2 with err set */
int	config_check(const struct config *cfg, char *err, size_t errlen);

/* config_bind_parse - split "host:port" or "[v6addr]:port" (port 1..65535)
 * into host (without brackets) and port; 0, or -1 if it does not parse */
int	config_bind_parse(const char *bind, char *host, size_t hostlen,
	    int *port);

/* config_worker_json - the config object sent to worker w (secrets only to
 * the worker that needs them); caller owns the result */
cJSON	*config_worker_json(const struct config *cfg,
	    const struct config_worker *w);

/* config_usage - the flags, one per line, for --help */
void	config_usage(FILE *fp);

/* config_free - free every string; cfg may be reused by config_load */
void	config_free(struct config *cfg);

#endif
