/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	corral - the corral master and its offline subcommands
 * SYNOPSIS
 *	corral [run] [flags]
 *	corral check-config [flags]
 *	corral secrets generate|set|list|delete|rekey ...
 *	corral version
 * DESCRIPTION
 *	The master loads and checks the configuration (flags > env > file >
 *	defaults), makes its roots, drops privileges, builds the worker
 *	table, gives bearer auth an admin token, and then only supervises:
 *	it spawns each enabled worker, routes frames between them, reaps
 *	and restarts them, and stops them all on SIGTERM or SIGINT. SIGHUP
 *	reloads. It never blocks and does no work of its own.
 *
 *	Before anything starts, the files the engines, mcp and skills
 *	workers would refuse are checked here too (engines_file, mcp_file,
 *	and skills_dir when the skills worker is on), so that a bad one
 *	stops corral with exit 2 rather than a worker in a restart loop.
 *
 *	check-config runs the same loading and guardrails, prints
 *	"configuration ok" and exits 0, or prints the problem and exits 2;
 *	container entrypoints run it before the daemon. Being offline, it
 *	also checks the master key's form and that it fits the store
 *	(secrets_check.c), which the running master never reads.
 *
 *	secrets runs the offline store commands (workers/secrets/
 *	secrets_cli.c, docs/secrets.md) in this process; the daemon's master
 *	never reads the store or its key.
 * DIAGNOSTICS
 *	Exit 0 after a clean stop, 2 for bad configuration or usage (one
 *	line on stderr saying what and where), 1 for a failure at start.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "master.h"
#include "proc.h"
#include "secrets_cli.h"
#include "secrets_check.h"
#include "eng_profile.h"
#include "mcp_conf.h"
#include "skill_registry.h"
#include "xmalloc.h"

#define MAIN_EXIT_CONFIG	2

/* master_now_ms - CLOCK_MONOTONIC in milliseconds */
int64_t
master_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* main_usage - the synopsis and the flags */
static void
main_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: corral [run] [flags]      run the daemon (default)\n"
	    "       corral check-config [flags]  check the configuration, exit 0 or 2\n"
	    "       corral secrets CMD ...    the secret store offline: generate, set,\n"
	    "                                 list, delete, rekey (corral secrets help)\n"
	    "       corral version            print the version\n"
	    "       corral help               this text\n"
	    "\nflags (each also CORRAL_* in the environment, or a key in "
	    "conf/corral.conf):\n");
	config_usage(fp);
	fprintf(fp, "\nsee corral(8) and corral.conf(5)\n");
}

/* main_table - one row per enabled worker, with its bus id and program */
static int
main_table(struct master *m, char *err, size_t errlen)
{
	const struct config_worker	*cw;
	struct worker			*w;
	char				*libexec;
	int				 i, id, extra = PROC_EXTRA_BASE;

	libexec = setup_libexec_dir(&m->cfg);
	for (i = 0; i < m->cfg.nworkers; i++) {
		cw = &m->cfg.workers[i];
		if (!cw->enabled)
			continue;
		if ((id = proc_builtin_id(cw->name)) == -1)
			id = extra++;
		if (id >= PROC_MAX) {
			snprintf(err, errlen, "too many workers");
			free(libexec);
			return (MAIN_EXIT_CONFIG);
		}
		w = &m->workers[m->nworkers++];
		memset(w, 0, sizeof(*w));
		snprintf(w->name, sizeof(w->name), "%s", cw->name);
		w->id = (uint8_t)id;
		w->conf = cw;
		if (cw->exec != NULL)
			w->exec = xstrdup(cw->exec);
		else
			xasprintf(&w->exec, "%s/%s", libexec, cw->name);
	}
	free(libexec);
	return (0);
}

/* main_signal_cb - the only place signals are acted on */
static void
main_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct master	*m = arg;

	(void)what;
	switch (sig) {
	case SIGCHLD:
		reap_children(m);
		break;
	case SIGTERM:
	case SIGINT:
		if (m->draining)
			shutdown_force(m);
		else
			shutdown_begin(m);
		break;
	case SIGHUP:
		log_info("SIGHUP: reloading the configuration");
		reload_config(m);
		break;
	}
}

/* main_engines_file - the engines file parses (the engines worker would
 * refuse to start otherwise); 0, or -1 and why */
static int
main_engines_file(const struct config *cfg, char *err, size_t errlen)
{
	struct eng_profiles	*p;
	char			 why[512];

	if (cfg->engines_file == NULL)
		return (0);
	if ((p = eng_profiles_load(cfg->engines_file, why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "engines_file: %.480s", why);
		return (-1);
	}
	eng_profiles_free(p);
	return (0);
}

/* main_mcp_file - the MCP servers file checks (the mcp worker would
 * refuse to start otherwise), its secrets within mcp_secrets; 0, or -1
 * and why */
static int
main_mcp_file(const struct config *cfg, char *err, size_t errlen)
{
	struct mcp_conf_opts	 opts;
	struct mcp_conf		*c;
	char			 why[512];

	if (cfg->mcp_file == NULL)
		return (0);
	memset(&opts, 0, sizeof(opts));
	opts.call_timeout_s = (int)cfg->mcp_call_timeout;
	opts.granted = cfg->mcp_secrets != NULL ? cfg->mcp_secrets : "";
	if ((c = mcp_conf_load(cfg->mcp_file, &opts, why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "mcp_file: %.480s", why);
		return (-1);
	}
	mcp_conf_free(c);
	return (0);
}

/* main_skills_dir - the skills registry checks (the skills worker would
 * refuse to start otherwise), if the skills worker is on; 0, or -1 and
 * why ("skills_dir: FILE: FIELD: ...", from skill_registry_load) */
static int
main_skills_dir(const struct config *cfg, char *err, size_t errlen)
{
	struct skill_registry	*r;
	int			 i;

	for (i = 0; i < cfg->nworkers; i++)
		if (cfg->workers[i].enabled && strcmp(cfg->workers[i].name,
		    CONFIG_SKILLS_WORKER) == 0)
			break;
	if (i == cfg->nworkers)
		return (0);
	if ((r = skill_registry_load(cfg->skills_dir, err, errlen)) == NULL)
		return (-1);
	skill_registry_free(r);
	return (0);
}

/* main_load - configuration and guardrails; 0 or the exit code */
static int
main_load(struct master *m, int argc, char **argv)
{
	char	err[512];

	if (config_load(&m->cfg, argc, argv, err, sizeof(err)) != 0 ||
	    config_check(&m->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "corral: %s\n", err);
		return (MAIN_EXIT_CONFIG);
	}
	if (main_table(m, err, sizeof(err)) != 0 ||
	    main_engines_file(&m->cfg, err, sizeof(err)) != 0 ||
	    main_mcp_file(&m->cfg, err, sizeof(err)) != 0 ||
	    main_skills_dir(&m->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "corral: %s\n", err);
		return (MAIN_EXIT_CONFIG);
	}
	return (0);
}

/* main_free - release the master's state */
static void
main_free(struct master *m)
{
	int	i;

	for (i = 0; i < m->nworkers; i++) {
		super_free(&m->workers[i]);
		free(m->workers[i].exec);
	}
	config_free(&m->cfg);
}

/* main_run - the daemon */
static int
main_run(struct master *m, int argc, char **argv)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	struct event	*sigev[sizeof(sigs) / sizeof(sigs[0])];
	char		 err[512];
	size_t		 i;
	int		 rc;

	if ((rc = main_load(m, argc, argv)) != 0)
		return (rc);
	(void)log_setup(m->cfg.log_level, m->cfg.log_format);
	if ((rc = setup_privileges(m, err, sizeof(err))) != 0) {
		fprintf(stderr, "corral: %s\n", err);
		return (rc);
	}
	if (setup_admin_token(m) == -1)
		return (1);
	m->argc = argc;
	m->argv = argv;
	m->pid1 = getpid() == 1;
	m->started_ms = master_now_ms();
	signal(SIGPIPE, SIG_IGN);
	if ((m->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigev[i] = evsignal_new(m->base, sigs[i], main_signal_cb, m);
		evsignal_add(sigev[i], NULL);
	}
	notify_init(m);
	log_info("corral %s starting: bind %s, state %s, workspace %s, "
	    "auth %s, %d workers%s", CORRAL_VERSION, m->cfg.bind,
	    m->cfg.state_root, m->cfg.workspace_root, m->cfg.auth_mode,
	    m->nworkers, m->pid1 ? ", PID 1" : "");
	for (i = 0; i < (size_t)m->nworkers; i++)
		super_init(m, &m->workers[i]);
	for (i = 0; i < (size_t)m->nworkers; i++)
		super_event(&m->workers[i], SEV_START);
	if (m->nworkers == 0 && !m->notified_ready) {
		m->notified_ready = 1;
		notify_send("READY=1");
	}
	event_base_dispatch(m->base);
	reap_children(m);
	log_info("corral stopped");
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_free(sigev[i]);
	notify_fini();
	main_free(m);
	event_base_free(m->base);
	return (0);
}

int
main(int argc, char **argv)
{
	static struct master	 m;
	const char		*cmd = argc > 1 ? argv[1] : "run";
	char			 err[512];
	int			 rc;

	log_init("master");
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("corral %s (protocol %d)\n", CORRAL_VERSION,
		    CORRAL_PROTO_VERSION);
		return (0);
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		main_usage(stdout);
		return (0);
	}
	if (strcmp(cmd, "check-config") == 0) {
		argv[1] = argv[0];
		rc = main_load(&m, argc - 1, argv + 1);
		if (rc == 0 && (rc = secrets_check_key(m.cfg.state_root, err,
		    sizeof(err))) != 0)
			fprintf(stderr, "corral: %s\n", err);
		if (rc == 0)
			printf("configuration ok: bind %s, state %s, "
			    "workspace %s, auth %s, %d workers\n", m.cfg.bind,
			    m.cfg.state_root, m.cfg.workspace_root,
			    m.cfg.auth_mode, m.nworkers);
		main_free(&m);
		return (rc);
	}
	if (strcmp(cmd, "secrets") == 0)
		return (secrets_cli_main(argc - 1, argv + 1));
	if (strcmp(cmd, "run") == 0) {
		argv[1] = argv[0];
		return (main_run(&m, argc - 1, argv + 1));
	}
	if (cmd[0] == '-')
		return (main_run(&m, argc, argv));
	fprintf(stderr, "corral: unknown command '%s' (see corral help)\n",
	    cmd);
	return (MAIN_EXIT_CONFIG);
}
