/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	docker_fake.h - a tiny fake Docker Engine on a unix socket, served
 *	by libevent's evhttp inside the test's own event loop
 * SYNOPSIS
 *	void	dfake_start(struct event_base *base);
 *	void	dfake_stop(void);
 *	void	dfake_spin(const int *flag, int ms);
 * DESCRIPTION
 *	See docker_fake.c. Used by check_eng_http.c; one server at a time.
 */
#ifndef CORRAL_DOCKER_FAKE_H
#define CORRAL_DOCKER_FAKE_H

#include <stddef.h>

#include <event2/event.h>

#define DFAKE_BODY_MAX	4096

struct dfake {
	struct event_base	*base;
	char			 dir[64];	/* the temp dir */
	char			 sock[128];	/* DIR/docker.sock */
	char			 host[160];	/* unix://DIR/docker.sock */
	char			 refused[128];	/* bound, never listening */
	char			 missing[128];	/* no socket at all */
	/* what the server says */
	const char		*ping_hdr;	/* header name, "Api-Version" */
	const char		*api;		/* ApiVersion, "1.43" */
	const char		*min_api;	/* MinAPIVersion, "1.12" */
	size_t			 big;		/* /big's size */
	/* what it was asked, last */
	int			 nreq;
	char			 method[16];
	char			 uri[256];
	char			 ctype[64];
	char			 body[DFAKE_BODY_MAX];
	size_t			 body_len;
	int			 hung;		/* /hang requests held */
};

extern struct dfake	dfake;

/* dfake_start - serve on dfake.sock (in a new temp dir) on base */
void	dfake_start(struct event_base *base);
/* dfake_stop - stop serving, remove the temp dir */
void	dfake_stop(void);
/* dfake_spin - run the loop until *flag is set or ms have passed */
void	dfake_spin(const int *flag, int ms);

#endif
