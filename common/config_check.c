/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_check.c - the guardrails on corral's configuration
 * SYNOPSIS
 *	#include "config.h"
 *
 *	int	config_check(const struct config *cfg, char *err,
 *		    size_t errlen);
 *	int	config_bind_parse(const char *bind, char *host, size_t hostlen,
 *		    int *port);
 * DESCRIPTION
 *	config_check runs after config_load and before anything starts. It
 *	refuses, one reason at a time: a relative state_root or
 *	workspace_root; the two being the same directory or one inside the
 *	other; a bind address that does not parse; http_auth_mode none on
 *	an address other than localhost, 127.0.0.0/8 or ::1 unless
 *	allow_insecure; a token shorter than 16 or longer than 4096
 *	characters or holding a blank or control character; an admin token
 *	equal to the readonly token. The paths are compared as config_load stores them
 *	(absolute, normalized); symbolic links are not followed. Last come
 *	the secret store's checks (config_store.c): both master key inputs
 *	given, a key file that cannot be opened, a routes file that does
 *	not load.
 *
 *	config_bind_parse splits "host:port" or "[v6addr]:port". The host
 *	is a name or an address made of letters, digits and . - _ (a v6
 *	address needs the brackets); the port is 1..65535 in decimal.
 * DIAGNOSTICS
 *	config_check returns 0, or 2 with one line in err. A message names
 *	a token by its role, never by its value.
 * SEE ALSO
 *	config.c, corral.conf(5)
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_priv.h"

#define CONFIG_TOKEN_MIN	16	/* shortest token we accept */
#define CONFIG_TOKEN_LONGEST	4096	/* longest: the http worker's slot */

/* config_bind_parse - split "host:port" or "[v6]:port"; 0 or -1 */
int
config_bind_parse(const char *bind, char *host, size_t hostlen, int *port)
{
	struct in6_addr	 a6;
	const char	*h, *c, *p;
	size_t		 hl;
	long		 n;
	char		 tmp[INET6_ADDRSTRLEN];

	if (bind == NULL)
		return (-1);
	if (bind[0] == '[') {
		h = bind + 1;
		if ((c = strchr(h, ']')) == NULL || c[1] != ':')
			return (-1);
		hl = (size_t)(c - h);
		if (hl == 0 || hl >= sizeof(tmp))
			return (-1);
		memcpy(tmp, h, hl);
		tmp[hl] = '\0';
		if (inet_pton(AF_INET6, tmp, &a6) != 1)
			return (-1);
		p = c + 2;
	} else {
		if ((c = strrchr(bind, ':')) == NULL)
			return (-1);
		h = bind;
		hl = (size_t)(c - h);
		if (hl == 0 || memchr(h, ':', hl) != NULL)
			return (-1);
		p = c + 1;
	}
	if (hl >= hostlen || strspn(h, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:") < hl)
		return (-1);
	if (*p == '\0' || strlen(p) > 5 || strspn(p, "0123456789") !=
	    strlen(p) || (n = strtol(p, NULL, 10)) < 1 || n > 65535)
		return (-1);
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)n;
	return (0);
}

/* config_loopback - is host localhost, 127.0.0.0/8 or ::1? */
static int
config_loopback(const char *host)
{
	struct in_addr	a4;
	struct in6_addr	a6;

	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&a6) ||
		    (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127));
	return (0);
}

/* config_within - is path dir itself or below it? */
static int
config_within(const char *path, const char *dir)
{
	size_t	n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return (1);
	return (strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/'));
}

/* config_check_token - length and character guardrails for one token */
static int
config_check_token(const char *what, const char *tok, char *err,
    size_t errlen)
{
	const unsigned char	*p;
	size_t			 n = strlen(tok);

	if (n < CONFIG_TOKEN_MIN)
		return (config_fail(err, errlen, "%s is too short (%zu chars); "
		    "use at least %d", what, n, CONFIG_TOKEN_MIN));
	if (n > CONFIG_TOKEN_LONGEST)
		return (config_fail(err, errlen, "%s is too long (%zu chars); "
		    "use at most %d", what, n, CONFIG_TOKEN_LONGEST));
	for (p = (const unsigned char *)tok; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return (config_fail(err, errlen, "%s holds a space or "
			    "control character; use printable characters only",
			    what));
	return (0);
}

/* config_check - the guardrails; 0 or 2 with err set */
int
config_check(const struct config *cfg, char *err, size_t errlen)
{
	const char	*st = cfg->state_root, *ws = cfg->workspace_root;
	const char	*mode = cfg->auth_mode;
	char		 host[256];
	int		 port;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (st == NULL || st[0] != '/')
		return (config_fail(err, errlen, "state_root: '%s' is "
		    "relative; give an absolute path", st ? st : ""));
	if (ws == NULL || ws[0] != '/')
		return (config_fail(err, errlen, "workspace_root: '%s' is "
		    "relative; give an absolute path", ws ? ws : ""));
	if (strcmp(st, ws) == 0)
		return (config_fail(err, errlen, "state_root and "
		    "workspace_root are the same directory (%s); give two "
		    "different ones", st));
	if (config_within(ws, st))
		return (config_fail(err, errlen, "workspace_root %s is inside "
		    "state_root %s; keep them apart", ws, st));
	if (config_within(st, ws))
		return (config_fail(err, errlen, "state_root %s is inside "
		    "workspace_root %s; keep them apart", st, ws));
	if (config_bind_parse(cfg->bind, host, sizeof(host), &port) == -1)
		return (config_fail(err, errlen, "bind: '%s' is not host:port "
		    "or [v6addr]:port with a port in 1..65535",
		    cfg->bind ? cfg->bind : ""));
	if (mode == NULL || (strcmp(mode, "bearer") != 0 &&
	    strcmp(mode, "none") != 0))
		return (config_fail(err, errlen, "http_auth_mode: '%s' is not "
		    "one of bearer|none", mode ? mode : ""));
	if (strcmp(mode, "none") == 0 && !cfg->allow_insecure &&
	    !config_loopback(host))
		return (config_fail(err, errlen, "bind %s is not a loopback "
		    "address and http_auth_mode is none; use bearer auth, or "
		    "set CORRAL_ALLOW_INSECURE=1 to run without it",
		    cfg->bind));
	if (cfg->admin_token != NULL &&
	    config_check_token("admin token", cfg->admin_token, err, errlen))
		return (2);
	if (cfg->readonly_token != NULL && config_check_token("readonly token",
	    cfg->readonly_token, err, errlen))
		return (2);
	if (cfg->admin_token != NULL && cfg->readonly_token != NULL &&
	    strcmp(cfg->admin_token, cfg->readonly_token) == 0)
		return (config_fail(err, errlen, "admin and readonly tokens "
		    "are the same; give two different tokens"));
	return (config_store_check(cfg, err, errlen));
}
