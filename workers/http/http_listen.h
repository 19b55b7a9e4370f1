/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_listen.h - the listening socket of the http worker
 * SYNOPSIS
 *	int	http_listen_parse(const char *bind, char *host, size_t hostlen,
 *		    char *port, size_t portlen);
 *	int	http_listen_open(const char *bind, int *code);
 * DESCRIPTION
 *	The bind address is "host:port" or "[v6addr]:port". The socket is
 *	opened once, in the worker's init, before the sandbox; a reload
 *	never moves it.
 */
#ifndef CORRAL_HTTP_LISTEN_H
#define CORRAL_HTTP_LISTEN_H

#include <stddef.h>

#define HTTP_LISTEN_HOST_MAX	256
#define HTTP_LISTEN_PORT_MAX	6

/* http_listen_parse - split bind into host and port; -1 if malformed */
int	http_listen_parse(const char *bind, char *host, size_t hostlen,
	    char *port, size_t portlen);

/* http_listen_open - listening socket on bind, or -1 and *code (exit code) */
int	http_listen_open(const char *bind, int *code);

#endif
