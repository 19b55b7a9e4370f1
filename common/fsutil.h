/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fsutil.h - careful file system helpers
 * DESCRIPTION
 *	fs_write_atomic replaces a file so that a reader sees the old or the
 *	new content, never a mix: temp file in the same directory (created
 *	with the final mode, named path.tmp.PID.RANDOM and opened O_EXCL, so
 *	concurrent writers never share one), write, fsync, rename, fsync of
 *	the directory.
 *	fs_mkdirs makes a directory and its missing parents. fs_read_file
 *	reads a whole small file with a hard size limit. fs_read_conf reads
 *	an operator's configuration file (routes, engine profiles, MCP
 *	servers): a regular file only (opened without blocking, so a FIFO
 *	cannot hang the caller), at most max bytes, and says why not in
 *	words fit for a one-line refusal; fs_read_conf_nofollow refuses a
 *	symbolic link too (a skill's files: docs/skills.md).
 */
#ifndef CORRAL_FSUTIL_H
#define CORRAL_FSUTIL_H

#include <sys/types.h>

#include <stddef.h>

/* fs_write_atomic - replace path with data (mode for a new file); -1 + errno */
int	fs_write_atomic(const char *path, const void *data, size_t len,
	    mode_t mode);

/* fs_mkdirs - mkdir -p with mode for the directories it makes; -1 + errno */
int	fs_mkdirs(const char *path, mode_t mode);

/* fs_read_file - read at most max bytes of path, NUL-terminated; -1 + errno
 * (EFBIG if larger) */
int	fs_read_file(const char *path, size_t max, char **out, size_t *outlen);

/* fs_read_conf - a regular file of at most max bytes, NUL-terminated; NULL
 * and why ("not a regular file", "larger than N bytes", ...) */
char	*fs_read_conf(const char *path, size_t max, size_t *lenp, char *why,
	    size_t whylen);

/* fs_read_conf_nofollow - fs_read_conf refusing a symbolic link */
char	*fs_read_conf_nofollow(const char *path, size_t max, size_t *lenp,
	    char *why, size_t whylen);

#endif
