/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_sandbox.h - where an agent may write (Landlock)
 * SYNOPSIS
 *	int	skill_sandbox_probe(void);
 *	const char *skill_sandbox_name(int abi);
 *	int	skill_sandbox_apply(int abi, const char *const *dirs,
 *		    char *err, size_t errlen);
 * DESCRIPTION
 *	docs/skills.md "The sandbox": where the kernel has Landlock, an
 *	agent may write only beneath its working directory, its HOME, /tmp
 *	and /dev, and read and execute anywhere it could before.
 *
 *	skill_sandbox_probe asks the kernel for its Landlock ABI version
 *	once (the worker does it at init): 0 when there is none (ENOSYS,
 *	EOPNOTSUPP: Landlock not built in or not enabled).
 *	skill_sandbox_name is what a run's "sandbox" says for it:
 *	"landlock" for an ABI of 1 or more, else "basic".
 *
 *	skill_sandbox_apply is called in the agent's process, after the
 *	fork and before exec: it sets PR_SET_NO_NEW_PRIVS (which Landlock
 *	needs and the worker has anyway) and, for abi >= 1, restricts the
 *	process and all it will start to the write-type accesses beneath
 *	dirs (a NULL-terminated list of directories; one that does not exist
 *	is left out). The accesses handled are those of the ABI: writing
 *	and truncating (ABI 3) files, removing and making entries of every
 *	kind, and linking or renaming across folders (ABI 2). With abi 0 it
 *	only sets PR_SET_NO_NEW_PRIVS.
 * DIAGNOSTICS
 *	skill_sandbox_apply returns 0, or -1 with one line in err (which
 *	call failed, on which folder, and why); the caller must not exec
 *	then. It allocates nothing.
 */
#ifndef CORRAL_SKILL_SANDBOX_H
#define CORRAL_SKILL_SANDBOX_H

#include <stddef.h>

#define SKILL_SANDBOX_LANDLOCK	"landlock"
#define SKILL_SANDBOX_BASIC	"basic"

int	skill_sandbox_probe(void);
const char *skill_sandbox_name(int abi);
int	skill_sandbox_apply(int abi, const char *const *dirs, char *err,
	    size_t errlen);

#endif
