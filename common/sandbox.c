/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	sandbox - least privilege for corral processes
 * DESCRIPTION
 *	sandbox_drop_to() is how a master started as root becomes an
 *	unprivileged user: libcap-ng changes uid and gid, clears the
 *	supplementary groups and the bounding set and keeps no capability.
 *	sandbox_enter() is the last step of every worker's start: it clears
 *	whatever capabilities remain (a master kept as root with
 *	CORRAL_USER=root has uid 0 but no capabilities), sets
 *	PR_SET_NO_NEW_PRIVS so no exec can gain any, and for processes that
 *	hold secrets turns core dumps off.
 * DIAGNOSTICS
 *	-1 with a log line on failure; callers treat it as fatal.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

/* sandbox_lookup_user - uid/gid of name; -1 if there is no such user */
int
sandbox_lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL)
		return (-1);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return (0);
}

/* sandbox_drop_to - become uid/gid with no capabilities; -1 on error */
int
sandbox_drop_to(uid_t uid, gid_t gid)
{
	int	rc;

	capng_clear(CAPNG_SELECT_BOTH);
	rc = capng_change_id((int)uid, (int)gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rc != 0) {
		log_warnx("%s: capng_change_id(%ld, %ld) failed (%d)", __func__,
		    (long)uid, (long)gid, rc);
		return (-1);
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid) {
		log_warnx("%s: still uid %ld after the switch", __func__,
		    (long)geteuid());
		return (-1);
	}
	return (0);
}

/* sandbox_nodump - no core dumps, no ptrace by the same uid; -1 on error */
int
sandbox_nodump(void)
{
	struct rlimit	rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		log_warn("%s: disabling core dumps", __func__);
		return (-1);
	}
	return (0);
}

/* sandbox_enter - drop every capability and set no_new_privs; -1 on error */
int
sandbox_enter(int nodump)
{
	if (capng_have_capabilities(CAPNG_SELECT_BOTH) != CAPNG_NONE) {
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
			log_warnx("%s: capng_apply failed", __func__);
			return (-1);
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("%s: PR_SET_NO_NEW_PRIVS", __func__);
		return (-1);
	}
	if (nodump && sandbox_nodump() == -1)
		return (-1);
	return (0);
}

/* sandbox_root_nocaps - stay uid 0 but drop every capability, the bounding
 * set included, so no later exec regains them; -1 on error */
int
sandbox_root_nocaps(void)
{
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(CAPNG_SELECT_ALL) != 0) {
		log_warnx("%s: capng_apply failed", __func__);
		return (-1);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("%s: PR_SET_NO_NEW_PRIVS", __func__);
		return (-1);
	}
	return (0);
}
