/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_sandbox - where an agent may write (Landlock)
 * SYNOPSIS
 *	#include "skill_sandbox.h"
 * DESCRIPTION
 *	See skill_sandbox.h. The three Landlock system calls are made with
 *	syscall(2): the C library has no wrappers for them. The ruleset
 *	handles only write-type accesses, so reading, listing and executing
 *	stay what they were; each folder of the list gets a path-beneath
 *	rule allowing every handled access. Access flags the installed
 *	kernel headers may predate (REFER, TRUNCATE) are defined here with
 *	the kernel's values. On ABI 1 REFER cannot be handled and the
 *	kernel refuses every link or rename into another folder: the
 *	price of Landlock on Linux 5.13 to 5.18.
 * DIAGNOSTICS
 *	See skill_sandbox.h.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/landlock.h>

#include "skill_sandbox.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif

/* what an agent may do only beneath the folders it is given (ABI 1) */
#define SKILL_SANDBOX_WRITE_V1	(LANDLOCK_ACCESS_FS_WRITE_FILE |	\
	LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |	\
	LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |	\
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |	\
	LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |	\
	LANDLOCK_ACCESS_FS_MAKE_SYM)

/* skill_sandbox_probe - the kernel's Landlock ABI version, 0 if none */
int
skill_sandbox_probe(void)
{
	long	abi;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	return (abi > 0 ? (int)abi : 0);
}

/* skill_sandbox_name - what a run's "sandbox" says for abi */
const char *
skill_sandbox_name(int abi)
{
	return (abi > 0 ? SKILL_SANDBOX_LANDLOCK : SKILL_SANDBOX_BASIC);
}

/* skill_sandbox_handled - the write-type accesses abi knows */
static uint64_t
skill_sandbox_handled(int abi)
{
	uint64_t	a = SKILL_SANDBOX_WRITE_V1;

	if (abi >= 2)
		a |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		a |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return (a);
}

/* skill_sandbox_allow - a rule of ruleset: access beneath dir; 0 or -1 */
static int
skill_sandbox_allow(int ruleset, uint64_t access, const char *dir, char *err,
    size_t errlen)
{
	struct landlock_path_beneath_attr	pb;
	int					fd, rc;

	if ((fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (0);	/* nothing there to write to */
		snprintf(err, errlen, "landlock: %s: %s", dir, strerror(errno));
		return (-1);
	}
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc == -1)
		snprintf(err, errlen, "landlock_add_rule %s: %s", dir,
		    strerror(errno));
	close(fd);
	return (rc == -1 ? -1 : 0);
}

/* skill_sandbox_apply - in the agent: write only beneath dirs; 0 or -1 */
int
skill_sandbox_apply(int abi, const char *const *dirs, char *err,
    size_t errlen)
{
	struct landlock_ruleset_attr	attr;
	int				ruleset, i;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return (-1);
	}
	if (abi <= 0)
		return (0);
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = skill_sandbox_handled(abi);
	if ((ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    sizeof(attr), 0)) == -1) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return (-1);
	}
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++)
		if (skill_sandbox_allow(ruleset, attr.handled_access_fs,
		    dirs[i], err, errlen) == -1) {
			close(ruleset);
			return (-1);
		}
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) == -1) {
		snprintf(err, errlen, "landlock_restrict_self: %s",
		    strerror(errno));
		close(ruleset);
		return (-1);
	}
	close(ruleset);
	return (0);
}
