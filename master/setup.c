/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	setup - what the master does once, before it spawns anything
 * SYNOPSIS
 *	int	setup_privileges(struct master *m, char *err, size_t errlen);
 *	int	setup_admin_token(struct master *m);
 *	char	*setup_libexec_dir(const struct config *cfg);
 * DESCRIPTION
 *	setup_privileges makes state_root (0700) and workspace_root (0750).
 *	Started as root, it hands both to CORRAL_USER (default "corral",
 *	else "nobody" when no such user exists) and becomes that user with
 *	no capabilities; CORRAL_USER=root keeps uid 0 but drops every
 *	capability, the bounding set included (make run uses it so a
 *	checkout under /root still works). Then, as the user the workers
 *	will run as, it checks that both roots are writable and that every
 *	worker's executable can be run, so a mistake is one clear line at
 *	start and not a crash loop.
 *
 *	setup_admin_token gives bearer auth an admin token when none is
 *	configured: state_root/admin.token, made once with 256 random bits
 *	(0600, atomic write) and reused on later starts. Its path is
 *	logged, never its content.
 *
 *	setup_libexec_dir finds the worker executables: libexec_dir if
 *	set, else ../libexec/corral beside the corral binary (the build
 *	tree and any PREFIX), else the compiled-in CORRAL_LIBEXECDIR.
 * DIAGNOSTICS
 *	setup_privileges returns 2 with one line in err (exit code 2).
 */
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "master.h"
#include "sandbox.h"
#include "xmalloc.h"

#ifndef CORRAL_LIBEXECDIR
#define CORRAL_LIBEXECDIR "/usr/local/libexec/corral"
#endif

#define SETUP_TOKEN_FILE	"admin.token"
#define SETUP_TOKEN_BYTES	32

/* setup_become - as root: hand the roots to the user and switch to it */
static int
setup_become(struct master *m, char *err, size_t errlen)
{
	const char	*user = m->cfg.user;
	uid_t		 uid;
	gid_t		 gid;

	if (strcmp(user, "root") == 0) {
		log_warnx("CORRAL_USER=root: keeping uid 0 with no "
		    "capabilities; give corral its own user in production");
		if (sandbox_root_nocaps() == -1) {
			snprintf(err, errlen, "cannot drop capabilities");
			return (2);
		}
		return (0);
	}
	if (sandbox_lookup_user(user, &uid, &gid) == -1) {
		if (strcmp(user, "corral") != 0 ||
		    sandbox_lookup_user("nobody", &uid, &gid) == -1) {
			snprintf(err, errlen, "CORRAL_USER: no such user '%s'",
			    user);
			return (2);
		}
		log_warnx("no user 'corral'; running as 'nobody' (create a "
		    "corral system user, or set CORRAL_USER)");
		free(m->cfg.user);
		m->cfg.user = xstrdup("nobody");
	}
	if (chown(m->cfg.state_root, uid, gid) == -1 ||
	    chown(m->cfg.workspace_root, uid, gid) == -1) {
		snprintf(err, errlen, "cannot give the state and workspace "
		    "roots to user %s: %s", m->cfg.user, strerror(errno));
		return (2);
	}
	if (sandbox_drop_to(uid, gid) == -1) {
		snprintf(err, errlen, "cannot switch to user %s", m->cfg.user);
		return (2);
	}
	log_info("running as user %s (uid %ld) with no capabilities",
	    m->cfg.user, (long)uid);
	return (0);
}

/* setup_check_access - can we (the final user) use path this way? */
static int
setup_check_access(const char *what, const char *path, int mode, char *err,
    size_t errlen)
{
	struct passwd	*pw = getpwuid(geteuid());

	if (access(path, mode) == 0)
		return (0);
	snprintf(err, errlen, "%s %s is not %s by user %s: %s", what, path,
	    mode & X_OK && !(mode & W_OK) ? "executable" : "writable",
	    pw != NULL ? pw->pw_name : "?", strerror(errno));
	return (2);
}

/* setup_privileges - make the roots, drop privileges, check access */
int
setup_privileges(struct master *m, char *err, size_t errlen)
{
	char	what[64];
	int	rc, i;

	if (fs_mkdirs(m->cfg.state_root, 0700) == -1) {
		snprintf(err, errlen, "state_root %s: %s", m->cfg.state_root,
		    strerror(errno));
		return (2);
	}
	if (fs_mkdirs(m->cfg.workspace_root, 0750) == -1) {
		snprintf(err, errlen, "workspace_root %s: %s",
		    m->cfg.workspace_root, strerror(errno));
		return (2);
	}
	if (geteuid() == 0 && (rc = setup_become(m, err, errlen)) != 0)
		return (rc);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		log_warn("PR_SET_NO_NEW_PRIVS");
	if ((rc = setup_check_access("state_root", m->cfg.state_root,
	    R_OK | W_OK | X_OK, err, errlen)) != 0 ||
	    (rc = setup_check_access("workspace_root", m->cfg.workspace_root,
	    R_OK | W_OK | X_OK, err, errlen)) != 0)
		return (rc);
	for (i = 0; i < m->nworkers; i++) {
		snprintf(what, sizeof(what), "worker %s: program",
		    m->workers[i].name);
		if ((rc = setup_check_access(what, m->workers[i].exec, X_OK,
		    err, errlen)) != 0)
			return (rc);
	}
	err[0] = '\0';
	return (0);
}

/* setup_token_new - 256 random bits as base64url, no padding */
static void
setup_token_new(char *out, size_t outlen)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char	raw[SETUP_TOKEN_BYTES + 1];
	size_t		i, o = 0;
	uint32_t	v;

	if (getrandom(raw, SETUP_TOKEN_BYTES, 0) != SETUP_TOKEN_BYTES)
		fatal("%s: getrandom", __func__);
	raw[SETUP_TOKEN_BYTES] = 0;
	for (i = 0; i < SETUP_TOKEN_BYTES && o + 4 < outlen; i += 3) {
		v = (uint32_t)raw[i] << 16 |
		    (uint32_t)(i + 1 < SETUP_TOKEN_BYTES ? raw[i + 1] : 0) << 8 |
		    (uint32_t)(i + 2 < SETUP_TOKEN_BYTES ? raw[i + 2] : 0);
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		if (i + 1 < SETUP_TOKEN_BYTES)
			out[o++] = b64[(v >> 6) & 63];
		if (i + 2 < SETUP_TOKEN_BYTES)
			out[o++] = b64[v & 63];
	}
	out[o] = '\0';
	explicit_bzero(raw, sizeof(raw));
}

/* setup_admin_token - the generated admin token, if bearer needs one */
int
setup_admin_token(struct master *m)
{
	char		 path[PATH_MAX], tok[64], line[80];
	char		*buf = NULL;
	size_t		 len;
	struct stat	 st;

	if (strcmp(m->cfg.auth_mode, "bearer") != 0 ||
	    m->cfg.admin_token != NULL)
		return (0);
	snprintf(path, sizeof(path), "%s/%s", m->cfg.state_root,
	    SETUP_TOKEN_FILE);
	if (fs_read_file(path, 4096, &buf, &len) == 0) {
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
		    buf[len - 1] == '\r' || buf[len - 1] == '\t'))
			buf[--len] = '\0';
		if (len < 16) {
			log_error("%s holds no usable token (under 16 "
			    "characters); remove it to have a new one made",
			    path);
			explicit_bzero(buf, len);
			free(buf);
			return (-1);
		}
		if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
			log_warnx("%s was readable by others; mode set to "
			    "0600", path);
			(void)chmod(path, 0600);
		}
		m->cfg.admin_token = buf;
		log_info("admin token: using %s", path);
		return (0);
	}
	if (errno != ENOENT) {
		log_warn("admin token: cannot read %s", path);
		return (-1);
	}
	setup_token_new(tok, sizeof(tok));
	len = (size_t)snprintf(line, sizeof(line), "%s\n", tok);
	if (fs_write_atomic(path, line, len, 0600) == -1) {
		log_warn("admin token: cannot write %s", path);
		explicit_bzero(tok, sizeof(tok));
		explicit_bzero(line, sizeof(line));
		return (-1);
	}
	m->cfg.admin_token = xstrdup(tok);
	explicit_bzero(tok, sizeof(tok));
	explicit_bzero(line, sizeof(line));
	log_info("admin token: created %s (mode 0600); corralctl reads it "
	    "from there", path);
	return (0);
}

/* setup_libexec_dir - where the worker executables are; caller frees */
char *
setup_libexec_dir(const struct config *cfg)
{
	char		 exe[PATH_MAX], dir[PATH_MAX + 32];
	char		*slash;
	ssize_t		 n;
	struct stat	 st;

	if (cfg->libexec_dir != NULL)
		return (xstrdup(cfg->libexec_dir));
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s/../libexec/corral", exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return (realpath(dir, NULL));
		}
	}
	return (xstrdup(CORRAL_LIBEXECDIR));
}
