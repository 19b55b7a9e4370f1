/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	sandbox.h - least privilege for corral processes
 * DESCRIPTION
 *	privdrop_user switches a root master to an unprivileged user with
 *	libcap-ng, keeping no capabilities. sandbox_enter is what every
 *	worker calls before READY: no capabilities (effective, permitted,
 *	inheritable, bounding, ambient), PR_SET_NO_NEW_PRIVS, and core dumps
 *	off for processes that hold secrets.
 */
#ifndef CORRAL_SANDBOX_H
#define CORRAL_SANDBOX_H

#include <sys/types.h>

/* sandbox_enter - drop every capability and set no_new_privs; -1 on error */
int	sandbox_enter(int nodump);

/* sandbox_nodump - core dumps off (and no ptrace by the same uid); -1 on
 * error. A process that will hold a secret calls it before it has one. */
int	sandbox_nodump(void);

/* sandbox_lookup_user - uid/gid of name; -1 if there is no such user */
int	sandbox_lookup_user(const char *name, uid_t *uid, gid_t *gid);

/* sandbox_drop_to - become uid/gid with no capabilities; -1 on error */
int	sandbox_drop_to(uid_t uid, gid_t gid);

/* sandbox_root_nocaps - stay uid 0 with no capabilities at all; -1 on error */
int	sandbox_root_nocaps(void);

#endif
