/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	run_log - the end of a run's log, read backwards
 * SYNOPSIS
 *	#include "run_log.h"
 * DESCRIPTION
 *	See run_log.h. The blocks read so far sit at the end of one buffer
 *	that grows toward its front as older blocks are read, so the text
 *	is contiguous when the start is found. Only the size the file had
 *	when opened is read: an agent still writing cannot make the read
 *	run on.
 * DIAGNOSTICS
 *	Errors are returned as one line naming the path, never logged here.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"
#include "xmalloc.h"

#include "run_log.h"

#define RUN_LOG_BLOCK	(64 * 1024)

/* the bytes read so far: buf[cap - len, cap) is the file from pos on */
struct run_log_buf {
	char	*buf;
	size_t	 cap;
	size_t	 len;
	off_t	 pos;
};

/* run_log_prepend - read the n bytes before b->pos to the front of b */
static int
run_log_prepend(int fd, struct run_log_buf *b, size_t n)
{
	size_t	 cap, done = 0;
	ssize_t	 got;
	char	*to;

	if (b->cap - b->len < n) {
		cap = b->cap > 0 ? b->cap : RUN_LOG_BLOCK;
		while (cap - b->len < n)
			cap *= 2;
		b->buf = xrealloc(b->buf, cap);
		memmove(b->buf + cap - b->len, b->buf + b->cap - b->len,
		    b->len);
		b->cap = cap;
	}
	to = b->buf + b->cap - b->len - n;
	while (done < n) {
		got = pread(fd, to + done, n - done, b->pos - (off_t)n +
		    (off_t)done);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = ENODATA;	/* shrank under us */
			return (-1);
		}
		done += (size_t)got;
	}
	b->len += n;
	b->pos -= (off_t)n;
	return (0);
}

/* run_log_start - where the last lines lines start, at or after floor */
static int
run_log_start(int fd, struct run_log_buf *b, off_t size, off_t floor,
    long lines, off_t *start)
{
	const char	*p;
	size_t		 n, i;
	long		 need = lines;

	while (b->pos > floor) {
		n = (size_t)(b->pos - floor);
		if (n > RUN_LOG_BLOCK)
			n = RUN_LOG_BLOCK;
		if (run_log_prepend(fd, b, n) == -1)
			return (-1);
		p = b->buf + b->cap - b->len;
		for (i = n; lines > 0 && i > 0; i--) {
			/* the newline that ends the last line starts none */
			if (p[i - 1] != '\n' || b->pos + (off_t)i == size)
				continue;
			if (--need == 0) {
				*start = b->pos + (off_t)i;
				return (0);
			}
		}
	}
	*start = floor;
	if (floor == 0 || b->len == 0)
		return (0);
	/* cut by max_bytes: begin at a whole character (b->pos is floor) */
	p = b->buf + b->cap - b->len;
	for (i = 0; i < 3 && i < b->len && ((unsigned char)p[i] & 0xc0) ==
	    0x80; i++)
		;
	*start += (off_t)i;
	return (0);
}

/* run_log_tail - the last lines lines of path, at most max_bytes */
int
run_log_tail(const char *path, long lines, size_t max_bytes, char **text,
    int *truncated, char *err, size_t errlen)
{
	struct run_log_buf	 b;
	struct stat		 sb;
	off_t			 floor, start;
	size_t			 len;
	int			 fd;

	*text = NULL;
	*truncated = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1 && errno == ENOENT) {
		*text = xstrdup("");
		return (0);
	}
	if (fd == -1 || fstat(fd, &sb) == -1) {
		snprintf(err, errlen, "%s: %s", path, errno == ELOOP ?
		    "a symbolic link" : strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	memset(&b, 0, sizeof(b));
	b.pos = sb.st_size;
	floor = (uintmax_t)sb.st_size > (uintmax_t)max_bytes ?
	    sb.st_size - (off_t)max_bytes : 0;
	start = sb.st_size;
	if (lines != 0 && run_log_start(fd, &b, sb.st_size, floor, lines,
	    &start) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(b.buf);
		close(fd);
		return (-1);
	}
	close(fd);
	len = (size_t)(sb.st_size - start);
	*text = xmalloc(len + 1);
	if (len > 0)
		memcpy(*text, b.buf + b.cap - b.len + (size_t)(start - b.pos),
		    len);
	(*text)[len] = '\0';
	utf8_fix(*text, len);
	*truncated = start > 0;
	free(b.buf);
	return (0);
}

/* run_log_size - the log's size in bytes; -1 if missing */
long long
run_log_size(const char *path)
{
	struct stat	 sb;

	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
		return (-1);
	return ((long long)sb.st_size);
}
