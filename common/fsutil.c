/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fsutil - careful file system helpers
 * DESCRIPTION
 *	See fsutil.h. Every descriptor is opened close-on-exec; the atomic
 *	write removes its temporary file on every failure path. Temporary
 *	names carry the pid and a random suffix (path.tmp.PID.XXXXXXXX), so
 *	concurrent writers never share one; a writer killed before its
 *	rename leaves its temporary file behind, which the owner of the
 *	directory may remove.
 * DIAGNOSTICS
 *	-1 with errno set; callers word the message.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "xmalloc.h"

/* fs_fsync_dir - fsync the directory holding path */
static int
fs_fsync_dir(const char *path)
{
	char	 dir[PATH_MAX];
	char	*slash;
	int	 fd, rc;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * fs_open_temp - create a temporary file next to path, named in tmp
 *
 * The name is path.tmp.PID.RANDOM, made with O_EXCL and never removed
 * first: two writers of one path (two processes, or two pid namespaces
 * sharing a volume, where pids repeat) each get a file of their own, and
 * none can unlink or rename the other's half-written one.
 */
static int
fs_open_temp(const char *path, char *tmp, size_t tmplen, mode_t mode)
{
	static unsigned int	 fs_tmp_count;
	struct timespec		 ts;
	unsigned int		 r;
	int			 fd, tries;

	for (tries = 0; tries < 64; tries++) {
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r)) {
			clock_gettime(CLOCK_REALTIME, &ts);
			r = (unsigned int)ts.tv_nsec ^ ++fs_tmp_count;
		}
		if (snprintf(tmp, tmplen, "%s.tmp.%ld.%08x", path,
		    (long)getpid(), r) >= (int)tmplen) {
			errno = ENAMETOOLONG;
			return (-1);
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, mode);
		if (fd != -1 || errno != EEXIST)
			return (fd);
	}
	return (-1);
}

/* fs_write_atomic - replace path with data (mode for a new file); -1 + errno */
int
fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char		 tmp[PATH_MAX];
	const char	*p = data;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = fs_open_temp(path, tmp, sizeof(tmp), mode)) == -1)
		return (-1);
	if (fchmod(fd, mode) == -1)	/* the umask must not widen or narrow it */
		goto fail;
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return (fs_fsync_dir(path));
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	(void)unlink(tmp);
	errno = saved;
	return (-1);
}

/* fs_mkdirs - mkdir -p with mode for the directories it makes; -1 + errno */
int
fs_mkdirs(const char *path, mode_t mode)
{
	char		 buf[PATH_MAX];
	char		*p;
	struct stat	 st;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) == -1 && errno != EEXIST)
			return (-1);
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(path, &st) == -1)
		return (-1);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	return (0);
}

/* fs_read_file - read at most max bytes of path, NUL-terminated; -1 + errno */
int
fs_read_file(const char *path, size_t max, char **out, size_t *outlen)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	buf = xmalloc(max + 1);
	for (;;) {
		n = read(fd, buf + len, max + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > max) {
			n = -1;
			errno = EFBIG;
			break;
		}
	}
	saved = errno;
	close(fd);
	if (n == -1) {
		explicit_bzero(buf, max + 1);
		free(buf);
		errno = saved;
		return (-1);
	}
	buf[len] = '\0';
	*out = buf;
	if (outlen != NULL)
		*outlen = len;
	return (0);
}

/* fs_read_regular - a regular file of at most max bytes, NUL-terminated,
 * opened with oflags besides O_RDONLY; NULL and why */
static char *
fs_read_regular(const char *path, int oflags, size_t max, size_t *lenp,
    char *why, size_t whylen)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0, size;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
	    oflags)) == -1) {
		if (errno == ELOOP && (oflags & O_NOFOLLOW))
			snprintf(why, whylen, "a symbolic link (not followed)");
		else
			snprintf(why, whylen, "cannot read: %s",
			    strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, whylen, "not a regular file");
		return (NULL);
	}
	if (st.st_size > (off_t)max) {
		close(fd);
		snprintf(why, whylen, "larger than %zu bytes", max);
		return (NULL);
	}
	size = (size_t)st.st_size;
	buf = xmalloc(size + 2);
	/* one byte more than fstat said: a file that grew is noticed */
	do {
		if ((n = read(fd, buf + len, size + 1 - len)) > 0)
			len += (size_t)n;
	} while ((n == -1 && errno == EINTR) || (n > 0 && len <= size));
	saved = errno;
	close(fd);
	if (n == -1 || len > size) {
		if (n == -1)
			snprintf(why, whylen, "cannot read: %s",
			    strerror(saved));
		else
			snprintf(why, whylen, "changed while read");
		free(buf);
		return (NULL);
	}
	buf[len] = '\0';
	*lenp = len;
	return (buf);
}

/* fs_read_conf - a regular file of at most max bytes, NUL-terminated; NULL
 * and why ("not a regular file", "larger than N bytes", ...) */
char *
fs_read_conf(const char *path, size_t max, size_t *lenp, char *why,
    size_t whylen)
{
	return (fs_read_regular(path, 0, max, lenp, why, whylen));
}

/* fs_read_conf_nofollow - fs_read_conf, but a symbolic link is refused
 * ("a symbolic link (not followed)") */
char *
fs_read_conf_nofollow(const char *path, size_t max, size_t *lenp, char *why,
    size_t whylen)
{
	return (fs_read_regular(path, O_NOFOLLOW, max, lenp, why, whylen));
}
