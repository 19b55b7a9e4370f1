/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store - corral's encrypted secret store file
 * SYNOPSIS
 *	#include "store.h"
 *
 *	struct store *store_open(const char *state_root,
 *		    const unsigned char *key, char *err, size_t errlen);
 *	int	store_refresh(struct store *s, char *err, size_t errlen);
 *	const char *store_path(const struct store *s);
 *	int	store_list(struct store *s, struct store_entry **out,
 *		    size_t *n);
 *	int	store_get(struct store *s, const char *name, char **value,
 *		    size_t *len, struct store_entry *meta, char *err,
 *		    size_t errlen);
 *	int	store_put(...), store_delete(...), store_rekey(...);
 *	void	store_close(struct store *s);
 * DESCRIPTION
 *	A struct store caches one reading of state_root/secrets/store.json:
 *	the metadata and the sealed values, sorted by name, never a
 *	plaintext. store_open reads it and checks the key against the
 *	file's key-check value; store_refresh reads it again only when the
 *	file is another one than the one read (inode, size, mtime, ctime).
 *	store_get unseals one value on demand.
 *
 *	Every change (store_put, store_delete, store_rekey) is one
 *	transaction: make the 0700 directory, take an exclusive flock on
 *	store.lock, read the file as it is now (another writer may have
 *	changed it since we last looked), apply the change to that copy,
 *	write it with fs_write_atomic and only then adopt it. A failed
 *	change leaves the cache and the file as they were. Under the lock no
 *	other writer is active, so temporary files left by a writer that
 *	was killed before its rename are removed.
 *
 *	The file format is docs/secrets.md: version 1, AES-256-GCM, the
 *	associated data of an entry is "corral-secret-v1" NUL name NUL
 *	provider, that of the key check "corral-key-check-v1".
 *
 *	Run as root (an operator's offline CLI), the store gives what it
 *	creates to the owner of state_root, so the daemon's unprivileged
 *	user can still read it.
 * DIAGNOSTICS
 *	-1 with one line in err and errno set: EKEYREJECTED for a key that
 *	does not match the store, EBADMSG for a damaged file or entry (the
 *	message names the file and the entry), ENOTSUP for a format version
 *	this corral does not read, ENOENT for an entry that is not there,
 *	ENOKEY for a change to a store opened without a key, EINVAL for a
 *	bad name, provider or value, otherwise what the system said.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "fsutil.h"
#include "store.h"
#include "store_crypt.h"
#include "store_file.h"
#include "xmalloc.h"

#define STORE_LOCK_WAIT_MS	10000	/* then give up */

struct store {
	char			*dir;	/* state_root/secrets */
	char			*path;	/* dir/store.json */
	char			*lock;	/* dir/store.lock */
	char			*root;	/* state_root */
	unsigned char		 key[STORE_KEY_LEN];
	int			 haskey;
	struct store_data	 data;
	struct stat		 st;	/* of the file read */
	int			 seen;	/* 0: there was none */
};

static int	store_fail(char *, size_t, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/* store_fail - format err, set errno, return -1 */
static int
store_fail(char *err, size_t errlen, int errnum, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = errnum;
	return (-1);
}

/* store_same_file - 1 if a and b describe the same version of a file */
static int
store_same_file(const struct stat *a, const struct stat *b)
{
	return (a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec);
}

/* store_read - the file as it is now into d (and its stat into st) */
static int
store_read(struct store *s, struct store_data *d, struct stat *st,
    int *exists, char *err, size_t errlen)
{
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc, saved;

	memset(d, 0, sizeof(*d));
	if ((rc = store_file_read(s->path, &buf, &len, st, err,
	    errlen)) == -1)
		return (-1);
	if ((*exists = rc) == 0)
		return (0);
	rc = store_file_parse(s->path, buf, len, d, err, errlen);
	saved = errno;
	free(buf);
	errno = saved;
	if (rc == -1)
		return (-1);
	if (s->haskey && store_file_check(s->key, d) == -1) {
		store_data_free(d);
		return (store_fail(err, errlen, EKEYREJECTED, "master key "
		    "does not match the store at %s", s->path));
	}
	return (0);
}

/* store_adopt - make d the cached reading (takes ownership of d) */
static void
store_adopt(struct store *s, struct store_data *d, const struct stat *st,
    int exists)
{
	store_data_free(&s->data);
	s->data = *d;
	memset(d, 0, sizeof(*d));
	s->seen = exists;
	if (exists)
		s->st = *st;
	else
		memset(&s->st, 0, sizeof(s->st));
}

/* store_open - the store under state_root */
struct store *
store_open(const char *state_root, const unsigned char key[STORE_KEY_LEN],
    char *err, size_t errlen)
{
	struct store		*s;
	struct store_data	 d;
	struct stat		 st;
	int			 exists, saved;

	if (state_root == NULL || state_root[0] == '\0') {
		store_fail(err, errlen, EINVAL, "no state_root");
		return (NULL);
	}
	s = xcalloc(1, sizeof(*s));
	s->root = xstrdup(state_root);
	xasprintf(&s->dir, "%s/secrets", state_root);
	xasprintf(&s->path, "%s/store.json", s->dir);
	xasprintf(&s->lock, "%s/store.lock", s->dir);
	if (key != NULL) {
		memcpy(s->key, key, STORE_KEY_LEN);
		s->haskey = 1;
	}
	if (store_read(s, &d, &st, &exists, err, errlen) == -1) {
		saved = errno;
		store_close(s);
		errno = saved;
		return (NULL);
	}
	store_adopt(s, &d, &st, exists);
	return (s);
}

/* store_refresh - re-read the file if another writer changed it */
int
store_refresh(struct store *s, char *err, size_t errlen)
{
	struct store_data	d;
	struct stat		st;
	int			exists;

	if (stat(s->path, &st) == -1) {
		if (errno != ENOENT)
			return (store_fail(err, errlen, errno, "%s: %s",
			    s->path, strerror(errno)));
		if (!s->seen)
			return (0);
	} else if (s->seen && store_same_file(&st, &s->st))
		return (0);
	if (store_read(s, &d, &st, &exists, err, errlen) == -1)
		return (-1);
	store_adopt(s, &d, &st, exists);
	return (0);
}

/* store_path - the store file's path */
const char *
store_path(const struct store *s)
{
	return (s->path);
}

/* store_list - entries sorted by name; caller frees *out */
int
store_list(struct store *s, struct store_entry **out, size_t *n)
{
	size_t	i;

	*n = s->data.n;
	*out = xcalloc(s->data.n > 0 ? s->data.n : 1, sizeof(**out));
	for (i = 0; i < s->data.n; i++)
		(*out)[i] = s->data.recs[i].meta;
	return (0);
}

/* store_get - decrypt one value; the caller wipes and frees it */
int
store_get(struct store *s, const char *name, char **value, size_t *len,
    struct store_entry *meta, char *err, size_t errlen)
{
	struct store_rec	*r;
	unsigned char		*pt;

	if (!s->haskey)
		return (store_fail(err, errlen, ENOKEY, "%s: opened without "
		    "a master key", s->path));
	if (!store_name_valid(name))
		return (store_fail(err, errlen, ENOENT, "no such secret in "
		    "%s (not a valid name)", s->path));
	if ((r = store_data_find(&s->data, name)) == NULL)
		return (store_fail(err, errlen, ENOENT, "no secret named "
		    "'%s' in %s", name, s->path));
	pt = xmalloc(r->ctlen + 1);
	if (store_rec_open(s->key, r, pt) == -1) {
		free(pt);
		return (store_fail(err, errlen, EBADMSG, "%s: secret '%s' "
		    "does not decrypt: the entry is damaged or was altered",
		    s->path, r->meta.name));
	}
	pt[r->ctlen] = '\0';
	*value = (char *)pt;
	*len = r->ctlen;
	if (meta != NULL)
		*meta = r->meta;
	return (0);
}

/* store_own - run as root: give fd's file to the owner of state_root */
static void
store_own(const struct store *s, int fd)
{
	struct stat	root, st;

	if (geteuid() != 0 || stat(s->root, &root) == -1 ||
	    fstat(fd, &st) == -1)
		return;
	if (st.st_uid != root.st_uid || st.st_gid != root.st_gid)
		(void)fchown(fd, root.st_uid, root.st_gid);
}

/* store_dir - make the directory, private (0700) and not a symlink, so
 * that root never changes the mode or owner of something else */
static int
store_dir(struct store *s, char *err, size_t errlen)
{
	struct stat	st;
	int		dfd, saved;

	if (fs_mkdirs(s->dir, 0700) == -1)
		return (store_fail(err, errlen, errno, "cannot make %s: %s",
		    s->dir, strerror(errno)));
	if (lstat(s->dir, &st) == 0 && S_ISLNK(st.st_mode))
		return (store_fail(err, errlen, ELOOP, "%s is a symbolic "
		    "link; the store wants a directory of its own", s->dir));
	if ((dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return (store_fail(err, errlen, errno, "cannot open %s: %s",
		    s->dir, strerror(errno)));
	if (fstat(dfd, &st) == -1 ||
	    ((st.st_mode & 077) != 0 && fchmod(dfd, 0700) == -1)) {
		saved = errno;
		close(dfd);
		return (store_fail(err, errlen, saved, "cannot make %s "
		    "private (0700): %s", s->dir, strerror(saved)));
	}
	store_own(s, dfd);
	close(dfd);
	return (0);
}

/* store_sweep - remove temporary files a killed writer left (locked) */
static void
store_sweep(const struct store *s)
{
	static const char	 prefix[] = "store.json.tmp.";
	DIR			*dp;
	struct dirent		*de;

	if ((dp = opendir(s->dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) == 0)
			(void)unlinkat(dirfd(dp), de->d_name, 0);
	closedir(dp);
}

/* store_lock - make the directory, lock store.lock; its fd or -1 */
static int
store_lock(struct store *s, char *err, size_t errlen)
{
	struct timespec	 nap = { 0, 10 * 1000 * 1000 };
	int		 fd, waited;

	if (store_dir(s, err, errlen) == -1)
		return (-1);
	if ((fd = open(s->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1)
		return (store_fail(err, errlen, errno, "cannot open %s: %s",
		    s->lock, strerror(errno)));
	store_own(s, fd);
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; waited += 10) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			store_fail(err, errlen, errno, "cannot lock %s: %s",
			    s->lock, strerror(errno));
			close(fd);
			return (-1);
		}
		if (waited >= STORE_LOCK_WAIT_MS) {
			close(fd);
			return (store_fail(err, errlen, EWOULDBLOCK, "%s: "
			    "still locked by another writer after %d s",
			    s->lock, STORE_LOCK_WAIT_MS / 1000));
		}
		nanosleep(&nap, NULL);
	}
	store_sweep(s);
	return (fd);
}

/* store_unlock - release the writer's lock */
static void
store_unlock(int fd)
{
	(void)flock(fd, LOCK_UN);
	close(fd);
}

/* store_begin - lock, then read the file as it is now into d */
static int
store_begin(struct store *s, struct store_data *d, char *err, size_t errlen)
{
	struct stat	st;
	int		fd, exists, saved;

	if (!s->haskey)
		return (store_fail(err, errlen, ENOKEY, "%s: opened without "
		    "a master key", s->path));
	if ((fd = store_lock(s, err, errlen)) == -1)
		return (-1);
	if (store_read(s, d, &st, &exists, err, errlen) == -1) {
		saved = errno;
		store_unlock(fd);
		errno = saved;
		return (-1);
	}
	if (!d->has_check && store_file_new_check(s->key, d) == -1) {
		store_data_free(d);
		store_unlock(fd);
		return (store_fail(err, errlen, EIO, "%s: cannot seal the key "
		    "check", s->path));
	}
	return (fd);
}

/* store_commit - write d, adopt it, unlock; d is consumed either way */
static int
store_commit(struct store *s, int fd, struct store_data *d, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*text;
	size_t		 len;
	int		 rc = -1, saved, sfd = -1;

	text = store_file_render(d, &len);
	if (len > STORE_FILE_MAX) {
		store_fail(err, errlen, EFBIG, "%s: the store would grow "
		    "past %d bytes", s->path, STORE_FILE_MAX);
		goto out;
	}
	if (fs_write_atomic(s->path, text, len, 0600) == -1 ||
	    (sfd = open(s->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		store_fail(err, errlen, errno, "cannot write %s: %s",
		    s->path, strerror(errno));
		goto out;
	}
	store_own(s, sfd);
	if (fstat(sfd, &st) == -1) {	/* after store_own: ctime moved */
		store_fail(err, errlen, errno, "cannot stat %s: %s",
		    s->path, strerror(errno));
		goto out;
	}
	store_adopt(s, d, &st, 1);
	rc = 0;
out:
	saved = errno;
	if (sfd != -1)
		close(sfd);
	free(text);
	store_data_free(d);
	store_unlock(fd);
	errno = saved;
	return (rc);
}

/* store_put - add or replace one entry */
int
store_put(struct store *s, const char *name, const char *provider,
    const void *value, size_t len, struct store_entry *meta, char *err,
    size_t errlen)
{
	struct store_data	 d;
	struct store_rec	*r;
	time_t			 now = time(NULL);
	int			 fd;

	if (!store_name_valid(name))
		return (store_fail(err, errlen, EINVAL, "bad secret name "
		    "(want 1 to %d of A-Z a-z 0-9 . _ -, starting with a "
		    "letter or digit)", STORE_NAME_MAX));
	if (!store_provider_valid(provider))
		return (store_fail(err, errlen, EINVAL, "secret '%s': bad "
		    "provider (want 1 to %d of a-z 0-9 . _ -, starting with "
		    "a letter or digit)", name, STORE_PROVIDER_MAX));
	if (len == 0)
		return (store_fail(err, errlen, EINVAL, "secret '%s': the "
		    "value is empty", name));
	if (len > STORE_VALUE_MAX)
		return (store_fail(err, errlen, EINVAL, "secret '%s': the "
		    "value is larger than %d bytes", name, STORE_VALUE_MAX));
	if ((fd = store_begin(s, &d, err, errlen)) == -1)
		return (-1);
	if ((r = store_data_find(&d, name)) == NULL) {
		r = store_data_add(&d, name);
		r->meta.created = now;
	}
	snprintf(r->meta.provider, sizeof(r->meta.provider), "%s", provider);
	r->meta.updated = now;
	if (store_rec_seal(s->key, r, value, len) == -1) {
		store_data_free(&d);
		store_unlock(fd);
		return (store_fail(err, errlen, EIO, "secret '%s': cannot "
		    "seal the value", name));
	}
	if (meta != NULL)
		*meta = r->meta;
	return (store_commit(s, fd, &d, err, errlen));
}

/* store_delete - remove one entry */
int
store_delete(struct store *s, const char *name, char *err, size_t errlen)
{
	struct store_data	d;
	int			fd;

	if (!store_name_valid(name))
		return (store_fail(err, errlen, ENOENT, "no such secret in "
		    "%s (not a valid name)", s->path));
	if ((fd = store_begin(s, &d, err, errlen)) == -1)
		return (-1);
	if (store_data_remove(&d, name) == -1) {
		store_data_free(&d);
		store_unlock(fd);
		return (store_fail(err, errlen, ENOENT, "no secret named "
		    "'%s' in %s", name, s->path));
	}
	return (store_commit(s, fd, &d, err, errlen));
}

/* store_rekey - re-encrypt every entry under newkey, atomically */
int
store_rekey(struct store *s, const unsigned char newkey[STORE_KEY_LEN],
    char *err, size_t errlen)
{
	struct store_data	 d;
	struct store_rec	*r;
	unsigned char		*pt;
	const char		*why;
	char			 name[STORE_NAME_MAX + 1];
	size_t			 i;
	int			 fd;

	if ((fd = store_begin(s, &d, err, errlen)) == -1)
		return (-1);
	for (i = 0; i < d.n; i++) {
		r = &d.recs[i];
		pt = xmalloc(r->ctlen + 1);
		why = NULL;
		if (store_rec_open(s->key, r, pt) == -1)
			why = "does not decrypt: the entry is damaged or was "
			    "altered";
		else if (store_rec_seal(newkey, r, pt, r->ctlen) == -1)
			why = "cannot be sealed under the new key";
		OPENSSL_cleanse(pt, r->ctlen + 1);
		free(pt);
		if (why != NULL) {
			snprintf(name, sizeof(name), "%s", r->meta.name);
			store_data_free(&d);
			store_unlock(fd);
			return (store_fail(err, errlen, EBADMSG, "%s: secret "
			    "'%s' %s; nothing was changed", s->path, name,
			    why));
		}
	}
	if (store_file_new_check(newkey, &d) == -1) {
		store_data_free(&d);
		store_unlock(fd);
		return (store_fail(err, errlen, EIO, "%s: cannot seal the key "
		    "check", s->path));
	}
	if (store_commit(s, fd, &d, err, errlen) == -1)
		return (-1);
	OPENSSL_cleanse(s->key, sizeof(s->key));
	memcpy(s->key, newkey, STORE_KEY_LEN);
	return (0);
}

/* store_close - wipe the key and every cached secret, free */
void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s->key, sizeof(s->key));
	store_data_free(&s->data);
	free(s->dir);
	free(s->path);
	free(s->lock);
	free(s->root);
	free(s);
}
