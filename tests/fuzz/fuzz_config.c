/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_config - libFuzzer harness for the configuration file
 *	(common/config.c, config_file.c, config_workers.c, config_check.c,
 *	config_store.c)
 * SYNOPSIS
 *	int	LLVMFuzzerInitialize(int *argc, char ***argv);
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	LLVMFuzzerInitialize removes every CORRAL_* variable and
 *	DOCKER_HOST from the environment, so the file is the only source
 *	besides the built-in defaults, and makes a directory under /tmp
 *	(removed at exit) with the config file and the files an input may
 *	name: admin.token and readonly.token (tokens no input holds),
 *	short.token, empty.token, nul.token, routes.json and
 *	routes-bad.json.
 *
 *	Each input, with every '@' replaced by that directory, is written
 *	over the config file and loaded as "corral --config FILE" loads it:
 *	config_load, then config_check and config_worker_json for every
 *	worker in the table, then config_free. An input with dev/, proc/,
 *	sys/ or run/ on a line that is not a comment (before the '@'s are
 *	replaced) is skipped: a token file is read with a blocking
 *	read(2), and a terminal, a FIFO or a device would hang or touch
 *	the machine. Only this harness writes a file: the config module
 *	reads the config file, token files and (config_check,
 *	config_worker_json) the routes file, and would open a master key
 *	file were one in the environment.
 *
 *	Promises checked: config_load returns 0 or 2, and 2 comes with one
 *	line in err and the config zeroed. A loaded config has every
 *	default set; state_root, workspace_root, models_root and
 *	nvidia_smi absolute and normalized (no //, /./, /../, nor a
 *	trailing /); a bind that config_bind_parse takes; each number in
 *	its range; 1 to CONFIG_MAX_WORKERS workers with good distinct
 *	names, each one that is on built in or with an absolute exec.
 *	config_check returns 0 or 2, and 2 comes with one line. Every
 *	worker's config is an object that names it, and only http's holds
 *	a token member. The values of admin.token and readonly.token, when
 *	the input does not hold them itself, appear in no message and in
 *	no worker's config but http's. config_free leaves the config
 *	zeroed.
 *
 *	Build: make build-fuzz/fuzz_config (the generic rule).
 *	  build-fuzz/fuzz_config -max_total_time=60 tests/fuzz/corpus/config
 * DIAGNOSTICS
 *	abort() on a broken promise; libFuzzer saves the input.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "proc.h"

#define FUZZ_ADMIN	"fz-admin-5e0d1c7a-not-in-any-input"
#define FUZZ_READONLY	"fz-readonly-93b4f2e6-not-in-any-input"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_dir[64];
static char	fuzz_conf[96];

/* the files of fuzz_dir: name, content, length */
static const struct {
	const char	*name;
	const char	*text;
	size_t		 len;
} fuzz_files[] = {
	{ "corral.conf", "", 0 },
	{ "admin.token", FUZZ_ADMIN "\n", sizeof(FUZZ_ADMIN) },
	{ "readonly.token", FUZZ_READONLY "\n", sizeof(FUZZ_READONLY) },
	{ "short.token", "short\n", 6 },
	{ "empty.token", "", 0 },
	{ "nul.token", "0123456789abcdef\0xyz\n", 21 },
	{ "routes.json", "{\"routes\": [{\"name\": \"gpt-4o\", \"provider\": "
	    "\"openai\", \"base_url\": \"https://api.openai.com/v1\", "
	    "\"model\": \"gpt-4o\", \"secret\": \"openai.prod\"}]}\n", 0 },
	{ "routes-bad.json", "{\"routes\": [{\"name\": 1}]}\n", 0 },
};

#define FUZZ_NFILES	(sizeof(fuzz_files) / sizeof(fuzz_files[0]))

/* what no path an input names may hold (see DESCRIPTION) */
static const char *const fuzz_shun[] = { "dev/", "proc/", "sys/", "run/" };

/* fuzz_cleanup - remove the files and the directory (atexit) */
static void
fuzz_cleanup(void)
{
	char	path[160];
	size_t	i;

	for (i = 0; i < FUZZ_NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir,
		    fuzz_files[i].name);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

/* fuzz_write - make path hold exactly len bytes of text */
static void
fuzz_write(const char *path, const char *text, size_t len)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		abort();
	while (len > 0) {
		if ((n = write(fd, text, len)) <= 0)
			abort();
		text += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1)
		abort();
}

/* fuzz_clean_env - drop every CORRAL_* variable and DOCKER_HOST */
static void
fuzz_clean_env(void)
{
	char	name[256];
	char	**ep;
	size_t	n;

	for (ep = environ; *ep != NULL; ) {
		if (strncmp(*ep, "CORRAL_", 7) != 0) {
			ep++;
			continue;
		}
		n = strcspn(*ep, "=");
		if (n >= sizeof(name))
			abort();
		memcpy(name, *ep, n);
		name[n] = '\0';
		if (unsetenv(name) == -1)
			abort();
		ep = environ;	/* unsetenv may have moved the others */
	}
	if (unsetenv("DOCKER_HOST") == -1)
		abort();
}

/* LLVMFuzzerInitialize - a clean environment and the directory */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	tmpl[] = "/tmp/fuzz-config.XXXXXX", path[PATH_MAX];
	size_t	i, len;

	(void)argc;
	(void)argv;
	fuzz_clean_env();
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, path) == NULL ||
	    strlen(path) >= sizeof(fuzz_dir))
		abort();
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s", path);
	snprintf(fuzz_conf, sizeof(fuzz_conf), "%s/%s", fuzz_dir,
	    fuzz_files[0].name);
	atexit(fuzz_cleanup);
	for (i = 0; i < FUZZ_NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir,
		    fuzz_files[i].name);
		len = fuzz_files[i].len;
		if (len == 0)
			len = strlen(fuzz_files[i].text);
		fuzz_write(path, fuzz_files[i].text, len);
	}
	return (0);
}

/* fuzz_subst - data with each '@' replaced by fuzz_dir, NUL-terminated */
static char *
fuzz_subst(const uint8_t *data, size_t size, size_t *lenp)
{
	size_t	 n = strlen(fuzz_dir), len = 0, i;
	char	*out;

	for (i = 0; i < size; i++)
		len += data[i] == '@' ? n : 1;
	if ((out = malloc(len + 1)) == NULL)
		abort();
	for (i = 0, len = 0; i < size; i++)
		if (data[i] == '@') {
			memcpy(out + len, fuzz_dir, n);
			len += n;
		} else
			out[len++] = (char)data[i];
	out[len] = '\0';
	*lenp = len;
	return (out);
}

/* fuzz_has - does buf (len bytes, NULs and all) hold s? */
static int
fuzz_has(const char *buf, size_t len, const char *s)
{
	return (memmem(buf, len, s, strlen(s)) != NULL);
}

/* fuzz_shunned - does a line of data that is not a comment name a path
 * under dev/, proc/, sys/ or run/? */
static int
fuzz_shunned(const char *data, size_t size)
{
	const char	*p = data, *end = data + size, *nl;
	size_t		 i;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		while (p < nl && isspace((unsigned char)*p))
			p++;
		if (p == nl || *p == '#')
			continue;
		for (i = 0; i < sizeof(fuzz_shun) / sizeof(fuzz_shun[0]); i++)
			if (fuzz_has(p, (size_t)(nl - p), fuzz_shun[i]))
				return (1);
	}
	return (0);
}

/* fuzz_one_line - err set, one line */
static void
fuzz_one_line(const char *err)
{
	if (err[0] == '\0' || strchr(err, '\n') != NULL)
		abort();
}

/* fuzz_no_secret - s holds neither token value (unless the input does) */
static void
fuzz_no_secret(const char *s, int admin_in, int readonly_in)
{
	if ((!admin_in && strstr(s, FUZZ_ADMIN) != NULL) ||
	    (!readonly_in && strstr(s, FUZZ_READONLY) != NULL))
		abort();
}

/* fuzz_zeroed - is the config all zero bytes? */
static int
fuzz_zeroed(const struct config *cfg)
{
	const unsigned char	*p = (const unsigned char *)cfg;
	size_t			 i;

	for (i = 0; i < sizeof(*cfg); i++)
		if (p[i] != 0)
			return (0);
	return (1);
}

/* fuzz_path_ok - NULL, or absolute with no //, /./, /../ or trailing / */
static int
fuzz_path_ok(const char *p, int required)
{
	size_t	n;

	if (p == NULL)
		return (!required);
	n = strlen(p);
	if (p[0] != '/' || strstr(p, "//") != NULL ||
	    strstr(p, "/./") != NULL || strstr(p, "/../") != NULL)
		return (0);
	if (n > 1 && (p[n - 1] == '/' ||
	    (n >= 2 && strcmp(p + n - 2, "/.") == 0) ||
	    (n >= 3 && strcmp(p + n - 3, "/..") == 0)))
		return (0);
	return (1);
}

/* fuzz_loaded - the promises of a loaded config */
static void
fuzz_loaded(const struct config *cfg)
{
	const struct config_worker	*w;
	char				 host[256];
	int				 i, k, port;

	if (cfg->conf_path == NULL || strcmp(cfg->conf_path, fuzz_conf) != 0)
		abort();
	if (!fuzz_path_ok(cfg->state_root, 1) ||
	    !fuzz_path_ok(cfg->workspace_root, 1) ||
	    !fuzz_path_ok(cfg->models_root, 1) ||
	    !fuzz_path_ok(cfg->nvidia_smi, 0))
		abort();
	if (cfg->bind == NULL ||
	    config_bind_parse(cfg->bind, host, sizeof(host), &port) != 0 ||
	    port < 1 || port > 65535)
		abort();
	if (cfg->auth_mode == NULL || cfg->user == NULL ||
	    cfg->log_level == NULL || cfg->log_format == NULL ||
	    cfg->mcp_discovery == NULL || cfg->metrics_auth == NULL)
		abort();
	if (cfg->shutdown_timeout < 1 || cfg->shutdown_timeout > 3600 ||
	    cfg->http_body_limit < 1024 ||
	    cfg->http_body_limit > 67108864 ||
	    cfg->http_timeout < 1 || cfg->http_timeout > 3600 ||
	    cfg->gpu_interval < 1 || cfg->gpu_interval > 3600 ||
	    cfg->gpu_history < 10 || cfg->gpu_history > 86400 ||
	    (cfg->allow_insecure != 0 && cfg->allow_insecure != 1) ||
	    (cfg->engines_stop_on_exit != 0 &&
	    cfg->engines_stop_on_exit != 1))
		abort();
	if (cfg->master_key_set || cfg->master_key_file != NULL)
		abort();	/* the environment has none */
	if (cfg->nworkers < 1 || cfg->nworkers > CONFIG_MAX_WORKERS)
		abort();
	for (i = 0; i < cfg->nworkers; i++) {
		w = &cfg->workers[i];
		if (w->name[0] == '\0' || strspn(w->name,
		    "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
		    strlen(w->name))
			abort();
		if (w->restart != RESTART_ALWAYS &&
		    w->restart != RESTART_NEVER)
			abort();
		if (w->exec != NULL && w->exec[0] != '/')
			abort();
		if (w->enabled && w->exec == NULL &&
		    proc_builtin_id(w->name) == -1)
			abort();
		for (k = 0; k < i; k++)
			if (strcmp(cfg->workers[k].name, w->name) == 0)
				abort();
	}
}

/* fuzz_worker_json - the config each worker would get */
static void
fuzz_worker_json(const struct config *cfg, int admin_in, int readonly_in)
{
	const struct config_worker	*w;
	const cJSON			*name;
	cJSON				*o;
	char				*text;
	int				 i, http;

	for (i = 0; i < cfg->nworkers; i++) {
		w = &cfg->workers[i];
		if ((o = config_worker_json(cfg, w)) == NULL ||
		    !cJSON_IsObject(o))
			abort();
		name = cJSON_GetObjectItemCaseSensitive(o, "name");
		if (!cJSON_IsString(name) ||
		    strcmp(name->valuestring, w->name) != 0)
			abort();
		http = strcmp(w->name, "http") == 0;
		if (!http && (cJSON_HasObjectItem(o, "admin_token") ||
		    cJSON_HasObjectItem(o, "readonly_token")))
			abort();
		if ((text = cJSON_PrintUnformatted(o)) == NULL)
			abort();
		if (!http)
			fuzz_no_secret(text, admin_in, readonly_in);
		cJSON_free(text);
		cJSON_Delete(o);
	}
}

/* LLVMFuzzerTestOneInput - one config file */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		*argv[] = { "corral", "--config", fuzz_conf, NULL };
	char		 err[PATH_MAX + 512];
	char		*buf;
	size_t		 len;
	int		 rc, admin_in, readonly_in;

	if (fuzz_shunned((const char *)data, size))
		return (0);
	buf = fuzz_subst(data, size, &len);
	admin_in = fuzz_has(buf, len, FUZZ_ADMIN);
	readonly_in = fuzz_has(buf, len, FUZZ_READONLY);
	fuzz_write(fuzz_conf, buf, len);
	free(buf);

	memset(&cfg, 0xa5, sizeof(cfg));	/* config_load starts afresh */
	rc = config_load(&cfg, 3, argv, err, sizeof(err));
	if (rc != 0) {
		if (rc != 2 || !fuzz_zeroed(&cfg))
			abort();
		fuzz_one_line(err);
		fuzz_no_secret(err, admin_in, readonly_in);
		return (0);
	}
	fuzz_loaded(&cfg);
	rc = config_check(&cfg, err, sizeof(err));
	if (rc != 0) {
		if (rc != 2)
			abort();
		fuzz_one_line(err);
		fuzz_no_secret(err, admin_in, readonly_in);
	}
	fuzz_worker_json(&cfg, admin_in, readonly_in);
	config_free(&cfg);
	if (!fuzz_zeroed(&cfg))
		abort();
	return (0);
}
