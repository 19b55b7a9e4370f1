/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	run_log.h - the end of a run's log, state_root/runs/ID.log
 * SYNOPSIS
 *	int	run_log_tail(const char *path, long lines,
 *		    size_t max_bytes, char **text, int *truncated, char *err,
 *		    size_t errlen);
 *	long long run_log_size(const char *path);
 * DESCRIPTION
 *	run_log_tail gives the last lines lines of the file at path (lines
 *	< 0: all of them), but never more than its last max_bytes bytes.
 *	It reads backwards from the end in blocks, so a long log costs only
 *	what is returned. A last line without a newline counts as a line.
 *	When max_bytes cuts a line, the text starts at the first whole
 *	character of the cut. *truncated is 1 when the text does not start
 *	at the start of the file (lines or max_bytes left some out). The
 *	file is opened O_NOFOLLOW; a missing file is an empty log. *text
 *	is malloc'd and NUL-terminated; bytes that are not UTF-8, and NUL
 *	bytes, are replaced by '?', so it is always a valid JSON string's
 *	content.
 *
 *	run_log_size is the size of the log in bytes.
 * DIAGNOSTICS
 *	run_log_tail returns 0, or -1 with one line in err (a symbolic
 *	link, not a regular file, a read error). run_log_size returns -1
 *	when the file is missing or not a regular file.
 */
#ifndef CORRAL_RUN_LOG_H
#define CORRAL_RUN_LOG_H

#include <stddef.h>

int		run_log_tail(const char *path, long lines, size_t max_bytes,
		    char **text, int *truncated, char *err, size_t errlen);
long long	run_log_size(const char *path);

#endif
