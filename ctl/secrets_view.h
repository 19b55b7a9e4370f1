/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_view.h - show secrets and model routes as tables
 * SYNOPSIS
 *	#include "secrets_view.h"
 *
 *	int	secrets_view_table(FILE *fp, const cJSON *secrets);
 *	int	secrets_view_routes(FILE *fp, const cJSON *routes);
 *	char	*secrets_view_time(const cJSON *v, char *buf, size_t len);
 * DESCRIPTION
 *	secrets_view_table prints the "secrets" array of GET /v1/secrets
 *	as NAME PROVIDER CREATED UPDATED. Values are never part of the
 *	answer, so there is nothing else to show.
 *
 *	secrets_view_routes prints the "routes" array of GET /v1/routes as
 *	NAME PROVIDER MODEL BASE_URL SECRET AVAILABLE REASON; a route
 *	without a secret or a reason shows "-", AVAILABLE is yes or no.
 *
 *	Both print the header line even for an empty array, and return -1
 *	(printing nothing) when given something that is not an array.
 *
 *	secrets_view_time writes a time as the server sent it: a string as
 *	it is, a number of seconds since the epoch as UTC
 *	"2025-11-25T14:59:00Z", anything else as "-". It returns buf;
 *	SECRETS_VIEW_TIME_LEN bytes are always enough.
 */
#ifndef CORRAL_SECRETS_VIEW_H
#define CORRAL_SECRETS_VIEW_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define SECRETS_VIEW_TIME_LEN	64

/* secrets_view_table - the secrets table; -1 if not an array */
int	 secrets_view_table(FILE *, const cJSON *);

/* secrets_view_routes - the routes table; -1 if not an array */
int	 secrets_view_routes(FILE *, const cJSON *);

/* secrets_view_time - a time for people; returns buf */
char	*secrets_view_time(const cJSON *, char *, size_t);

#endif
