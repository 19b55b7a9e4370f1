/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config.c - corral's settings table and the order of its sources
 * SYNOPSIS
 *	#include "config.h"
 *
 *	int	config_load(struct config *cfg, int argc, char **argv,
 *		    char *err, size_t errlen);
 *	cJSON	*config_worker_json(const struct config *cfg,
 *		    const struct config_worker *w);
 *	void	config_usage(FILE *fp);
 *	void	config_free(struct config *cfg);
 * DESCRIPTION
 *	config_rows[] lists every setting once: its key in the file, its
 *	CORRAL_* variable, its --flag, its type, its default and where it
 *	lives in struct config. A secret row also has a file form whose
 *	names are derived from it (key_file, ENV_FILE, --flag-file). The
 *	rest of this file walks the table; adding a setting is adding a row,
 *	a field in config.h and a paragraph in corral.conf(5).
 *
 *	config_load starts from an empty config and applies, lowest first,
 *	the file, the environment and the flags; a later source replaces a
 *	value of the same form. Each value is checked when it is set, so an
 *	error names its source: "CORRAL_BIND", "--bind" or "path:line: bind".
 *	Then the built-in defaults fill what nobody gave (state_root,
 *	workspace_root, models_root and skills_dir are made absolute from
 *	the working directory), a secret given both inline and as a file is
 *	refused wherever the two came from, token files are read, the
 *	master key inputs are noted (config_store.c, never read) and the
 *	worker table is completed (config_workers.c). On failure
 *	config_load frees what it made.
 *
 *	config_worker_json builds the config object for one worker; the
 *	tokens go to the http worker only, the routes file to the secrets
 *	and skills workers only, the grants (config_store.c) to the secrets
 *	worker only, a row with .only set (the gpu_* settings; metrics_auth,
 *	for http; the skills_* settings) to that worker only.
 *	config_usage prints the flags. config_free wipes the tokens and
 *	frees everything.
 * DIAGNOSTICS
 *	config_load returns 0, or 2 with one line in err saying what is
 *	wrong and where. No message ever holds a secret value. Running out
 *	of memory is fatal (xmalloc).
 * SEE ALSO
 *	config_file.c, config_workers.c, config_check.c, config_store.c,
 *	corral.conf(5)
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config_priv.h"
#include "xmalloc.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION		"0.0.0"
#endif
#ifndef CORRAL_SYSCONFDIR
#define CORRAL_SYSCONFDIR	"/usr/local/etc/corral"
#endif

#define CONFIG_LOCAL_FILE	"conf/corral.conf"
#define CONFIG_SYS_FILE		CORRAL_SYSCONFDIR "/corral.conf"
#define CONFIG_TOKEN_MAX	4096	/* largest token file we read */
#define CONFIG_HTTP_WORKER	"http"	/* the only worker that sees tokens */
#define CONFIG_SECRETS_WORKER	"secrets" /* gets routes_file and grants */
#define CONFIG_GPU_WORKER	"gpu"	/* gets the gpu_* settings */
#define CONFIG_ENGINES_WORKER	"engines" /* gets the docker and engine settings */
#define CONFIG_MCP_WORKER	"mcp"	/* gets the MCP servers file */
#define CONFIG_AGENT_PATH_MAX	4096	/* longest skills_agent_path */
#define CONFIG_ECHO_MAX		200	/* of a bad value, in a message */

enum config_type { CONF_STR, CONF_INT, CONF_BOOL };

#define CONF_F_SECRET	0x01	/* has a *_file form; never echoed */
#define CONF_F_PATH	0x02	/* absolute path; the default is cwd-relative */

enum config_src { SRC_NONE, SRC_FILE, SRC_ENV, SRC_FLAG };
enum config_form { FORM_INLINE, FORM_FILE };

struct config_row {
	const char	 *key;		/* in the file */
	const char	 *env;		/* CORRAL_* */
	const char	 *flag;		/* without the leading "--" */
	const char	 *arg;		/* metavar for usage; NULL: bool flag */
	enum config_type  type;
	int		  flags;	/* CONF_F_* */
	const char	 *def;		/* built-in default; NULL: none */
	size_t		  off;		/* of the value in struct config */
	size_t		  file_off;	/* CONF_F_SECRET: of the *_file path */
	const char	 *choices;	/* "a|b|c": the only values allowed */
	long		  min, max;	/* CONF_INT: inclusive range */
	const char	 *json;		/* in config_worker_json(), or NULL */
	const char	*(*valid)(const char *); /* NULL, or why it is bad */
	const char	 *only;		/* json: for this worker alone; NULL: all */
};

static const char *config_valid_bind(const char *);
static const char *config_valid_agent_path(const char *);

#define OFF(f)	offsetof(struct config, f)

static const struct config_row config_rows[] = {
	{ .key = "bind", .env = "CORRAL_BIND", .flag = "bind", .arg = "ADDR",
	    .type = CONF_STR, .def = "127.0.0.1:4000", .off = OFF(bind),
	    .json = "bind", .valid = config_valid_bind },
	{ .key = "state_root", .env = "CORRAL_STATE_ROOT",
	    .flag = "state-root", .arg = "DIR",
	    .type = CONF_STR, .flags = CONF_F_PATH, .def = "var/state",
	    .off = OFF(state_root), .json = "state_root" },
	{ .key = "workspace_root", .env = "CORRAL_WORKSPACE_ROOT",
	    .flag = "workspace-root", .arg = "DIR",
	    .type = CONF_STR, .flags = CONF_F_PATH, .def = "var/workspace",
	    .off = OFF(workspace_root), .json = "workspace_root" },
	{ .key = "http_auth_mode", .env = "CORRAL_HTTP_AUTH_MODE",
	    .flag = "auth-mode", .arg = "MODE",
	    .type = CONF_STR, .def = "bearer", .off = OFF(auth_mode),
	    .choices = "bearer|none", .json = "auth_mode" },
	{ .key = "admin_token", .env = "CORRAL_ADMIN_TOKEN",
	    .flag = "admin-token", .arg = "TOKEN",
	    .type = CONF_STR, .flags = CONF_F_SECRET, .off = OFF(admin_token),
	    .file_off = OFF(admin_token_file), .json = "admin_token" },
	{ .key = "readonly_token", .env = "CORRAL_READONLY_TOKEN",
	    .flag = "readonly-token", .arg = "TOKEN",
	    .type = CONF_STR, .flags = CONF_F_SECRET,
	    .off = OFF(readonly_token), .file_off = OFF(readonly_token_file),
	    .json = "readonly_token" },
	{ .key = "allow_insecure", .env = "CORRAL_ALLOW_INSECURE",
	    .flag = "allow-insecure", .type = CONF_BOOL, .def = "0",
	    .off = OFF(allow_insecure) },
	{ .key = "user", .env = "CORRAL_USER", .flag = "user", .arg = "USER",
	    .type = CONF_STR, .def = "corral", .off = OFF(user) },
	{ .key = "shutdown_timeout", .env = "CORRAL_SHUTDOWN_TIMEOUT",
	    .flag = "shutdown-timeout", .arg = "SECONDS",
	    .type = CONF_INT, .def = "10", .off = OFF(shutdown_timeout),
	    .min = 1, .max = 3600, .json = "shutdown_timeout" },
	{ .key = "log_level", .env = "CORRAL_LOG_LEVEL", .flag = "log-level",
	    .arg = "LEVEL", .type = CONF_STR, .def = "info",
	    .off = OFF(log_level),
	    .choices = "debug|info|warn|error", .json = "log_level" },
	{ .key = "log_format", .env = "CORRAL_LOG_FORMAT",
	    .flag = "log-format", .arg = "FORMAT",
	    .type = CONF_STR, .def = "text", .off = OFF(log_format),
	    .choices = "text|json", .json = "log_format" },
	{ .key = "mcp_discovery", .env = "CORRAL_MCP_DISCOVERY",
	    .flag = "mcp-discovery", .arg = "MODE",
	    .type = CONF_STR, .def = "disabled", .off = OFF(mcp_discovery),
	    .choices = "disabled|enabled", .json = "mcp_discovery" },
	{ .key = "libexec_dir", .env = "CORRAL_LIBEXEC_DIR",
	    .flag = "libexec-dir", .arg = "DIR",
	    .type = CONF_STR, .off = OFF(libexec_dir) },
	{ .key = "http_body_limit", .env = "CORRAL_HTTP_BODY_LIMIT",
	    .flag = "http-body-limit", .arg = "BYTES",
	    .type = CONF_INT, .def = "1048576", .off = OFF(http_body_limit),
	    .min = 1024, .max = 67108864, .json = "http_body_limit" },
	{ .key = "http_timeout", .env = "CORRAL_HTTP_TIMEOUT",
	    .flag = "http-timeout", .arg = "SECONDS",
	    .type = CONF_INT, .def = "30", .off = OFF(http_timeout),
	    .min = 1, .max = 3600, .json = "http_timeout" },
	{ .key = "metrics_auth", .env = "CORRAL_METRICS_AUTH",
	    .flag = "metrics-auth", .arg = "MODE",
	    .type = CONF_STR, .def = "bearer", .off = OFF(metrics_auth),
	    .choices = "bearer|none", .json = "metrics_auth",
	    .only = CONFIG_HTTP_WORKER },
	/* checked by config_check, sent to secrets by config_store_json */
	{ .key = "routes_file", .env = "CORRAL_ROUTES_FILE",
	    .flag = "routes-file", .arg = "FILE",
	    .type = CONF_STR, .off = OFF(routes_file) },
	{ .key = "gpu_interval", .env = "CORRAL_GPU_INTERVAL",
	    .flag = "gpu-interval", .arg = "SECONDS",
	    .type = CONF_INT, .def = "1", .off = OFF(gpu_interval),
	    .min = 1, .max = 3600, .json = "gpu_interval",
	    .only = CONFIG_GPU_WORKER },
	{ .key = "gpu_history", .env = "CORRAL_GPU_HISTORY",
	    .flag = "gpu-history", .arg = "SECONDS",
	    .type = CONF_INT, .def = "900", .off = OFF(gpu_history),
	    .min = 10, .max = 86400, .json = "gpu_history",
	    .only = CONFIG_GPU_WORKER },
	{ .key = "nvml_library", .env = "CORRAL_NVML_LIBRARY",
	    .flag = "nvml-library", .arg = "PATH",
	    .type = CONF_STR, .off = OFF(nvml_library),
	    .json = "nvml_library", .only = CONFIG_GPU_WORKER },
	{ .key = "nvidia_smi", .env = "CORRAL_NVIDIA_SMI",
	    .flag = "nvidia-smi", .arg = "PATH",
	    .type = CONF_STR, .flags = CONF_F_PATH, .off = OFF(nvidia_smi),
	    .json = "nvidia_smi", .only = CONFIG_GPU_WORKER },
	/* docker_host: else DOCKER_HOST, else the engines worker's default */
	{ .key = "docker_host", .env = "CORRAL_DOCKER_HOST",
	    .flag = "docker-host", .arg = "URL",
	    .type = CONF_STR, .off = OFF(docker_host),
	    .json = "docker_host", .only = CONFIG_ENGINES_WORKER },
	{ .key = "models_root", .env = "CORRAL_MODELS_ROOT",
	    .flag = "models-root", .arg = "DIR",
	    .type = CONF_STR, .flags = CONF_F_PATH, .def = "var/models",
	    .off = OFF(models_root), .json = "models_root",
	    .only = CONFIG_ENGINES_WORKER },
	{ .key = "engines_file", .env = "CORRAL_ENGINES_FILE",
	    .flag = "engines-file", .arg = "FILE",
	    .type = CONF_STR, .flags = CONF_F_PATH, .off = OFF(engines_file),
	    .json = "engines_file", .only = CONFIG_ENGINES_WORKER },
	{ .key = "engines_stop_on_exit", .env = "CORRAL_ENGINES_STOP_ON_EXIT",
	    .flag = "engines-stop-on-exit", .type = CONF_BOOL, .def = "0",
	    .off = OFF(engines_stop_on_exit), .json = "engines_stop_on_exit",
	    .only = CONFIG_ENGINES_WORKER },
	{ .key = "mcp_file", .env = "CORRAL_MCP_FILE",
	    .flag = "mcp-file", .arg = "FILE",
	    .type = CONF_STR, .flags = CONF_F_PATH, .off = OFF(mcp_file),
	    .json = "mcp_file", .only = CONFIG_MCP_WORKER },
	{ .key = "mcp_call_timeout", .env = "CORRAL_MCP_CALL_TIMEOUT",
	    .flag = "mcp-call-timeout", .arg = "SECONDS",
	    .type = CONF_INT, .def = "60", .off = OFF(mcp_call_timeout),
	    .min = 1, .max = 3600, .json = "mcp_call_timeout",
	    .only = CONFIG_MCP_WORKER },
	/* the secrets MCP servers may get in their environment */
	{ .key = "mcp_secrets", .env = "CORRAL_MCP_SECRETS",
	    .flag = "mcp-secrets", .arg = "NAME,...",
	    .type = CONF_STR, .off = OFF(mcp_secrets) },
	/* the secrets engines may put in a container (config_store.c) */
	{ .key = "engines_secrets", .env = "CORRAL_ENGINES_SECRETS",
	    .flag = "engines-secrets", .arg = "NAME,...",
	    .type = CONF_STR, .off = OFF(engines_secrets) },
	/* the skills worker; docs/skills.md (it gets routes_file too) */
	{ .key = "skills_dir", .env = "CORRAL_SKILLS_DIR",
	    .flag = "skills-dir", .arg = "DIR",
	    .type = CONF_STR, .flags = CONF_F_PATH, .def = "skills",
	    .off = OFF(skills_dir), .json = "skills_dir",
	    .only = CONFIG_SKILLS_WORKER },
	{ .key = "skills_max_running", .env = "CORRAL_SKILLS_MAX_RUNNING",
	    .flag = "skills-max-running", .arg = "N",
	    .type = CONF_INT, .def = "4", .off = OFF(skills_max_running),
	    .min = 1, .max = 1024, .json = "skills_max_running",
	    .only = CONFIG_SKILLS_WORKER },
	{ .key = "skills_max_queued", .env = "CORRAL_SKILLS_MAX_QUEUED",
	    .flag = "skills-max-queued", .arg = "N",
	    .type = CONF_INT, .def = "10000", .off = OFF(skills_max_queued),
	    .min = 1, .max = 1000000, .json = "skills_max_queued",
	    .only = CONFIG_SKILLS_WORKER },
	{ .key = "skills_run_timeout", .env = "CORRAL_SKILLS_RUN_TIMEOUT",
	    .flag = "skills-run-timeout", .arg = "SECONDS",
	    .type = CONF_INT, .def = "1800", .off = OFF(skills_run_timeout),
	    .min = 1, .max = 86400, .json = "skills_run_timeout",
	    .only = CONFIG_SKILLS_WORKER },
	{ .key = "skills_retention_days", .env = "CORRAL_SKILLS_RETENTION_DAYS",
	    .flag = "skills-retention-days", .arg = "DAYS",
	    .type = CONF_INT, .def = "30", .off = OFF(skills_retention_days),
	    .min = 0, .max = 3650, .json = "skills_retention_days",
	    .only = CONFIG_SKILLS_WORKER },
	{ .key = "skills_agent_path", .env = "CORRAL_SKILLS_AGENT_PATH",
	    .flag = "skills-agent-path", .arg = "DIR:...",
	    .type = CONF_STR, .def = "/usr/local/bin:/usr/bin:/bin",
	    .off = OFF(skills_agent_path), .json = "skills_agent_path",
	    .valid = config_valid_agent_path, .only = CONFIG_SKILLS_WORKER },
};

#define NROWS	((int)(sizeof(config_rows) / sizeof(config_rows[0])))

/* What config_load needs besides the config: where each value came from. */
struct config_ld {
	struct config	*cfg;
	char		*err;
	size_t		 errlen;
	unsigned char	 src[NROWS][2];		/* enum config_src per form */
	int		 line[NROWS][2];	/* file line when SRC_FILE */
};

/* config_fail - format the one error line into err; returns 2 */
int
config_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return (2);
}

#define LDFAIL(ld, ...)	config_fail((ld)->err, (ld)->errlen, __VA_ARGS__)

/* config_field - address of a field of cfg (readers keep it const) */
static void *
config_field(const struct config *cfg, size_t off)
{
	return ((char *)(uintptr_t)cfg + off);
}

/* config_str_free - free a string field, wiping it first if asked */
static void
config_str_free(char **sp, int wipe)
{
	if (*sp == NULL)
		return;
	if (wipe)
		explicit_bzero(*sp, strlen(*sp));
	free(*sp);
	*sp = NULL;
}

/* config_label - where value i/form came from, as an error prefix */
static void
config_label(const struct config_ld *ld, int i, int form, int paren,
    char *buf, size_t len)
{
	const struct config_row	*r = &config_rows[i];

	switch (ld->src[i][form]) {
	case SRC_FILE:
		if (paren)
			snprintf(buf, len, "%s%s (%s:%d)", r->key,
			    form ? "_file" : "", ld->cfg->conf_path,
			    ld->line[i][form]);
		else
			snprintf(buf, len, "%s:%d: %s%s", ld->cfg->conf_path,
			    ld->line[i][form], r->key, form ? "_file" : "");
		break;
	case SRC_ENV:
		snprintf(buf, len, "%s%s", r->env, form ? "_FILE" : "");
		break;
	case SRC_FLAG:
		snprintf(buf, len, "--%s%s", r->flag, form ? "-file" : "");
		break;
	default:
		snprintf(buf, len, "%s%s", r->key, form ? "_file" : "");
		break;
	}
}

/* config_match - does s (n bytes) name base, or base+suffix (form 1)? */
static int
config_match(const char *s, size_t n, const char *base, const char *suffix,
    int secret)
{
	size_t	bl = strlen(base), sl = strlen(suffix);

	if (n < bl || strncmp(s, base, bl) != 0)
		return (-1);
	if (n == bl)
		return (FORM_INLINE);
	if (secret && n == bl + sl && strncmp(s + bl, suffix, sl) == 0)
		return (FORM_FILE);
	return (-1);
}

/* config_find_key - row of a file key, -1 if unknown; sets *form */
static int
config_find_key(const char *key, int *form)
{
	int	i;

	for (i = 0; i < NROWS; i++)
		if ((*form = config_match(key, strlen(key), config_rows[i].key,
		    "_file", config_rows[i].flags & CONF_F_SECRET)) != -1)
			return (i);
	return (-1);
}

/* config_find_flag - row of a flag name (n bytes, no "--"), -1 if unknown */
static int
config_find_flag(const char *name, size_t n, int *form)
{
	int	i;

	for (i = 0; i < NROWS; i++)
		if ((*form = config_match(name, n, config_rows[i].flag,
		    "-file", config_rows[i].flags & CONF_F_SECRET)) != -1)
			return (i);
	return (-1);
}

/* config_parse_bool - 1, 0, or -1 if s is not a boolean word */
int
config_parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t	k;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		if (strcasecmp(s, yes[k]) == 0)
			return (1);
		if (strcasecmp(s, no[k]) == 0)
			return (0);
	}
	return (-1);
}

/* config_choice - is s one of the '|'-separated words in list? */
static int
config_choice(const char *list, const char *s)
{
	size_t	n = strlen(s);
	const char *p, *e;

	for (p = list; ; p = e + 1) {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && strncmp(p, s, n) == 0)
			return (1);
		if (*e == '\0')
			return (0);
	}
}

/* config_path_clean - normalize an absolute path: no //, ., .. or end / */
static char *
config_path_clean(const char *path)
{
	const char	*p = path, *seg;
	char		*out;
	size_t		 o = 0, n;

	out = xmalloc(strlen(path) + 2);
	while (*p != '\0') {
		while (*p == '/')
			p++;
		for (seg = p; *p != '\0' && *p != '/'; p++)
			;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, seg, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return (out);
}

/* config_set - check value i/form from src and store it in the config */
static int
config_set(struct config_ld *ld, int i, int form, const char *val, int src,
    int line)
{
	const struct config_row	*r = &config_rows[i];
	char			 where[PATH_MAX + 64], *end, **sp;
	const char		*why;
	long			 n;
	int			 b;

	ld->src[i][form] = (unsigned char)src;
	ld->line[i][form] = line;
	config_label(ld, i, form, 0, where, sizeof(where));
	if (*val == '\0')
		return (LDFAIL(ld, "%s: empty value", where));
	if (form == FORM_FILE) {
		sp = config_field(ld->cfg, r->file_off);
		config_str_free(sp, 0);
		*sp = xstrdup(val);
		return (0);
	}
	switch (r->type) {
	case CONF_INT:
		errno = 0;
		n = strtol(val, &end, 10);
		if (end == val || *end != '\0' || errno == ERANGE)
			return (LDFAIL(ld, "%s: '%s' is not a whole number",
			    where, val));
		if (n < r->min || n > r->max)
			return (LDFAIL(ld, "%s: '%s' is out of range "
			    "(%ld..%ld)", where, val, r->min, r->max));
		*(long *)config_field(ld->cfg, r->off) = n;
		return (0);
	case CONF_BOOL:
		if ((b = config_parse_bool(val)) == -1)
			return (LDFAIL(ld, "%s: '%s' is not a boolean "
			    "(yes or no)", where, val));
		*(int *)config_field(ld->cfg, r->off) = b;
		return (0);
	case CONF_STR:
		break;
	}
	if ((r->flags & CONF_F_PATH) && val[0] != '/')
		return (LDFAIL(ld, "%s: '%s' is relative; give an absolute "
		    "path", where, val));
	if (r->choices != NULL && !config_choice(r->choices, val))
		return (LDFAIL(ld, "%s: '%s' is not one of %s", where, val,
		    r->choices));
	/* a long value is cut so that the reason still fits in err */
	if (r->valid != NULL && (why = r->valid(val)) != NULL)
		return (LDFAIL(ld, "%s: '%.*s%s' %s", where, CONFIG_ECHO_MAX,
		    val, strlen(val) > CONFIG_ECHO_MAX ? "..." : "", why));
	sp = config_field(ld->cfg, r->off);
	config_str_free(sp, r->flags & CONF_F_SECRET);
	*sp = (r->flags & CONF_F_PATH) ? config_path_clean(val) : xstrdup(val);
	return (0);
}

/* config_flags - parse argv[1..]; store values only if apply */
static int
config_flags(struct config_ld *ld, int argc, char **argv, int apply,
    const char **confp)
{
	const char	*a, *name, *eq, *val;
	size_t		 n;
	int		 k, i, form, isconf;

	for (k = 1; k < argc; k++) {
		a = argv[k];
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
			return (LDFAIL(ld, "unexpected argument '%s' "
			    "(settings are given as --flag VALUE)", a));
		name = a + 2;
		eq = strchr(name, '=');
		n = eq != NULL ? (size_t)(eq - name) : strlen(name);
		isconf = n == 6 && strncmp(name, "config", 6) == 0;
		i = form = 0;
		if (!isconf && (i = config_find_flag(name, n, &form)) == -1)
			return (LDFAIL(ld, "unknown flag '--%.*s'", (int)n,
			    name));
		if (eq != NULL)
			val = eq + 1;
		else if (!isconf && form == FORM_INLINE &&
		    config_rows[i].type == CONF_BOOL)
			val = "1";
		else if (k + 1 < argc)
			val = argv[++k];
		else
			return (LDFAIL(ld, "--%.*s: needs a value", (int)n,
			    name));
		if (isconf) {
			if (*val == '\0')
				return (LDFAIL(ld, "--config: empty value"));
			*confp = val;
		} else if (apply &&
		    config_set(ld, i, form, val, SRC_FLAG, 0) != 0)
			return (2);
	}
	return (0);
}

/* config_env - apply the CORRAL_* variables; an empty one counts as unset */
static int
config_env(struct config_ld *ld)
{
	const struct config_row	*r;
	char			 name[128];
	const char		*v;
	int			 i;

	for (i = 0; i < NROWS; i++) {
		r = &config_rows[i];
		if ((v = getenv(r->env)) != NULL && *v != '\0' &&
		    config_set(ld, i, FORM_INLINE, v, SRC_ENV, 0) != 0)
			return (2);
		if (!(r->flags & CONF_F_SECRET))
			continue;
		snprintf(name, sizeof(name), "%s_FILE", r->env);
		if ((v = getenv(name)) != NULL && *v != '\0' &&
		    config_set(ld, i, FORM_FILE, v, SRC_ENV, 0) != 0)
			return (2);
	}
	config_store_env(ld->cfg);	/* the master key: environment only */
	return (0);
}

/* config_file_cb - one "key = value" line of the file */
static int
config_file_cb(void *arg, char *key, char *val, int line)
{
	struct config_ld	*ld = arg;
	int			 i, form;

	if (config_worker_is_key(key))
		return (config_worker_line(ld->cfg, key, val, line, ld->err,
		    ld->errlen));
	/* a key with a blank is a line missing its '=' whose value held
	 * one ("admin_token sk-a=="): never echo what may be a secret */
	if (strpbrk(key, " \t") != NULL)
		return (LDFAIL(ld, "%s:%d: expected 'key = value' (a key has "
		    "no blanks)", ld->cfg->conf_path, line));
	if ((i = config_find_key(key, &form)) == -1)
		return (LDFAIL(ld, "%s:%d: unknown setting '%s'",
		    ld->cfg->conf_path, line, key));
	return (config_set(ld, i, form, val, SRC_FILE, line));
}

/* config_file - find the config file and apply it */
static int
config_file(struct config_ld *ld, const char *cflag)
{
	struct stat	 st;
	const char	*path, *what = "config file";
	FILE		*fp;
	int		 rc;

	if ((path = cflag) != NULL)
		what = "--config";
	else if ((path = getenv("CORRAL_CONFIG")) != NULL && *path != '\0')
		what = "CORRAL_CONFIG";
	else if (stat(CONFIG_LOCAL_FILE, &st) == 0)
		path = CONFIG_LOCAL_FILE;
	else if (stat(CONFIG_SYS_FILE, &st) == 0)
		path = CONFIG_SYS_FILE;
	else
		return (0);
	ld->cfg->conf_path = xstrdup(path);
	if ((fp = fopen(path, "re")) == NULL)
		return (LDFAIL(ld, "%s: cannot read %s: %s", what, path,
		    strerror(errno)));
	rc = config_file_read(fp, path, config_file_cb, ld, ld->err,
	    ld->errlen);
	fclose(fp);
	return (rc);
}

/* config_defaults - fill every setting nobody gave from the built-ins */
static int
config_defaults(struct config_ld *ld)
{
	const struct config_row	*r;
	char			 cwd[PATH_MAX], *tmp, **sp;
	int			 i;

	for (i = 0; i < NROWS; i++) {
		r = &config_rows[i];
		if (r->def == NULL || ld->src[i][FORM_INLINE] != SRC_NONE ||
		    ld->src[i][FORM_FILE] != SRC_NONE)
			continue;
		if (r->type == CONF_INT)
			*(long *)config_field(ld->cfg, r->off) =
			    strtol(r->def, NULL, 10);
		else if (r->type == CONF_BOOL)
			*(int *)config_field(ld->cfg, r->off) =
			    config_parse_bool(r->def);
		else if (r->flags & CONF_F_PATH) {
			if (getcwd(cwd, sizeof(cwd)) == NULL || cwd[0] != '/')
				return (LDFAIL(ld, "%s: cannot find the "
				    "working directory for the default: %s",
				    r->key, strerror(errno)));
			xasprintf(&tmp, "%s/%s", cwd, r->def);
			sp = config_field(ld->cfg, r->off);
			*sp = config_path_clean(tmp);
			free(tmp);
		} else {
			sp = config_field(ld->cfg, r->off);
			*sp = xstrdup(r->def);
		}
	}
	if (ld->cfg->docker_host == NULL &&
	    (tmp = getenv("DOCKER_HOST")) != NULL && *tmp != '\0')
		ld->cfg->docker_host = xstrdup(tmp);
	return (0);
}

/* config_human - "admin token" for the key admin_token */
static void
config_human(const char *key, char *buf, size_t len)
{
	char	*p;

	snprintf(buf, len, "%s", key);
	for (p = buf; *p != '\0'; p++)
		if (*p == '_')
			*p = ' ';
}

/* config_read_token - read the token file of row i into its value */
static int
config_read_token(struct config_ld *ld, int i)
{
	const struct config_row	*r = &config_rows[i];
	char			 buf[CONFIG_TOKEN_MAX + 1];
	char			 where[PATH_MAX + 64];
	const char		*path;
	struct stat		 st;
	size_t			 n = 0;
	ssize_t			 k;
	int			 fd, rc = 0;

	path = *(char **)config_field(ld->cfg, r->file_off);
	config_label(ld, i, FORM_FILE, 0, where, sizeof(where));
	/* non-blocking and regular only: a FIFO or a terminal would hang */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return (LDFAIL(ld, "%s: cannot read %s: %s", where, path,
		    strerror(errno)));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return (LDFAIL(ld, "%s: %s is not a regular file", where,
		    path));
	}
	while (n < sizeof(buf)) {
		if ((k = read(fd, buf + n, sizeof(buf) - n)) == -1) {
			if (errno == EINTR)
				continue;
			rc = LDFAIL(ld, "%s: cannot read %s: %s", where, path,
			    strerror(errno));
			break;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (rc == 0 && n > CONFIG_TOKEN_MAX)
		rc = LDFAIL(ld, "%s: %s is larger than %d bytes", where, path,
		    CONFIG_TOKEN_MAX);
	while (rc == 0 && n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	if (rc == 0 && n == 0)
		rc = LDFAIL(ld, "%s: %s is empty", where, path);
	else if (rc == 0 && memchr(buf, '\0', n) != NULL)
		rc = LDFAIL(ld, "%s: %s holds a NUL byte", where, path);
	if (rc == 0) {
		buf[n] = '\0';
		*(char **)config_field(ld->cfg, r->off) = xstrdup(buf);
	}
	explicit_bzero(buf, sizeof(buf));
	return (rc);
}

/* config_secrets - refuse a secret given twice, then read token files */
static int
config_secrets(struct config_ld *ld)
{
	char	a[PATH_MAX + 64], b[PATH_MAX + 64], what[64];
	int	i;

	for (i = 0; i < NROWS; i++) {
		if (!(config_rows[i].flags & CONF_F_SECRET) ||
		    ld->src[i][FORM_FILE] == SRC_NONE)
			continue;
		if (ld->src[i][FORM_INLINE] != SRC_NONE) {
			config_human(config_rows[i].key, what, sizeof(what));
			config_label(ld, i, FORM_INLINE, 1, a, sizeof(a));
			config_label(ld, i, FORM_FILE, 1, b, sizeof(b));
			return (LDFAIL(ld, "%s given twice: %s and %s; "
			    "give one", what, a, b));
		}
		if (config_read_token(ld, i) != 0)
			return (2);
	}
	return (0);
}

/* config_load - defaults, then file, env and flags; 0 or 2 with err set */
int
config_load(struct config *cfg, int argc, char **argv, char *err,
    size_t errlen)
{
	struct config_ld	 ld;
	const char		*cflag = NULL;
	int			 rc;

	memset(cfg, 0, sizeof(*cfg));
	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	ld.err = err;
	ld.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((rc = config_flags(&ld, argc, argv, 0, &cflag)) == 0 &&
	    (rc = config_file(&ld, cflag)) == 0 &&
	    (rc = config_env(&ld)) == 0 &&
	    (rc = config_flags(&ld, argc, argv, 1, &cflag)) == 0 &&
	    (rc = config_defaults(&ld)) == 0 &&
	    (rc = config_secrets(&ld)) == 0)
		rc = config_workers_finish(cfg, err, errlen);
	if (rc != 0)
		config_free(cfg);
	return (rc);
}

/* config_valid_bind - NULL if bind parses, else why not */
static const char *
config_valid_bind(const char *bind)
{
	char	host[256];
	int	port;

	if (config_bind_parse(bind, host, sizeof(host), &port) == -1)
		return ("is not host:port or [v6addr]:port with a port in "
		    "1..65535");
	return (NULL);
}

/* config_valid_agent_path - NULL if path is a ':' list of absolute folders
 * (no empty element, at most CONFIG_AGENT_PATH_MAX chars), else why not */
static const char *
config_valid_agent_path(const char *path)
{
	const char	*p;

	if (strlen(path) > CONFIG_AGENT_PATH_MAX)
		return ("is longer than 4096 characters");
	for (p = path; ; p++) {
		if (*p == ':' || *p == '\0')
			return ("has an empty element; give absolute folders "
			    "separated by ':'");
		if (*p != '/')
			return ("has a relative element; give absolute folders "
			    "separated by ':'");
		p += strcspn(p, ":");
		if (*p == '\0')
			return (NULL);
	}
}

/* config_worker_json - the config object sent to worker w; caller owns it */
cJSON *
config_worker_json(const struct config *cfg, const struct config_worker *w)
{
	const struct config_row	*r;
	const char		*s;
	cJSON			*o;
	int			 i, ok, http;

	if ((o = cJSON_CreateObject()) == NULL)
		return (NULL);
	http = strcmp(w->name, CONFIG_HTTP_WORKER) == 0;
	ok = cJSON_AddStringToObject(o, "name", w->name) != NULL &&
	    cJSON_AddStringToObject(o, "version", CORRAL_VERSION) != NULL;
	for (i = 0; ok && i < NROWS; i++) {
		r = &config_rows[i];
		if (r->json == NULL || ((r->flags & CONF_F_SECRET) && !http) ||
		    (r->only != NULL && strcmp(r->only, w->name) != 0))
			continue;
		if (r->type == CONF_INT)
			ok = cJSON_AddNumberToObject(o, r->json,
			    (double)*(long *)config_field(cfg, r->off)) != NULL;
		else if (r->type == CONF_BOOL)
			ok = cJSON_AddBoolToObject(o, r->json,
			    *(int *)config_field(cfg, r->off)) != NULL;
		else if ((s = *(char **)config_field(cfg, r->off)) != NULL)
			ok = cJSON_AddStringToObject(o, r->json, s) != NULL;
	}
	if (ok && strcmp(w->name, CONFIG_SECRETS_WORKER) == 0)
		ok = config_store_json(cfg, o) == 0;
	/* the skills worker reads the routes itself: a run's route gives
	 * the agent its model and base URL (docs/skills.md) */
	if (ok && strcmp(w->name, CONFIG_SKILLS_WORKER) == 0 &&
	    cfg->routes_file != NULL)
		ok = cJSON_AddStringToObject(o, "routes_file",
		    cfg->routes_file) != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return (NULL);
	}
	return (o);
}

/* config_usage - the flags, one per line, for --help */
void
config_usage(FILE *fp)
{
	const struct config_row	*r;
	char			 flag[64], env[64];
	int			 i;

	fprintf(fp, "  %-26s %s\n", "--config FILE", "CORRAL_CONFIG");
	for (i = 0; i < NROWS; i++) {
		r = &config_rows[i];
		snprintf(flag, sizeof(flag), "--%s%s%s", r->flag,
		    r->arg ? " " : "", r->arg ? r->arg : "");
		if (r->def != NULL)
			fprintf(fp, "  %-26s %-26s default %s%s\n", flag,
			    r->env, (r->flags & CONF_F_PATH) ? "./" : "",
			    r->def);
		else
			fprintf(fp, "  %-26s %s\n", flag, r->env);
		if (!(r->flags & CONF_F_SECRET))
			continue;
		snprintf(flag, sizeof(flag), "--%s-file FILE", r->flag);
		snprintf(env, sizeof(env), "%s_FILE", r->env);
		fprintf(fp, "  %-26s %s\n", flag, env);
	}
}

/* config_free - wipe the tokens, free every string; cfg may be reused */
void
config_free(struct config *cfg)
{
	const struct config_row	*r;
	int			 i;

	for (i = 0; i < NROWS; i++) {
		r = &config_rows[i];
		if (r->type != CONF_STR)
			continue;
		config_str_free(config_field(cfg, r->off),
		    r->flags & CONF_F_SECRET);
		if (r->flags & CONF_F_SECRET)
			config_str_free(config_field(cfg, r->file_off), 0);
	}
	for (i = 0; i < cfg->nworkers && i < CONFIG_MAX_WORKERS; i++)
		free(cfg->workers[i].exec);
	free(cfg->master_key_file);
	free(cfg->conf_path);
	memset(cfg, 0, sizeof(*cfg));
}
