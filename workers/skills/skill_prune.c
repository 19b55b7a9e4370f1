/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_prune - the retention: prune the runs that ended long ago
 * SYNOPSIS
 *	#include "skill_prune.h"
 * DESCRIPTION
 *	See skill_prune.h. A pass runs from the worker's loop, on the
 *	prune timer; it opens workspace_root/runs and state_root/runs
 *	once and makes every removal relative to them, so no path it
 *	builds is resolved from the root, and an id is checked before it
 *	names anything. The folder goes first, then the log, then the row:
 *	a run whose row is gone has nothing left on disk, and a run that
 *	could not be removed keeps the row that brings it back to the next
 *	pass. A folder is emptied while it is read; should the file system
 *	still find it not empty, it is read again, twice at most.
 *
 *	A pass of SKILL_PRUNE_MAX small folders takes milliseconds, so it
 *	runs in the loop; a bigger backlog is cut into passes a second
 *	apart, and the worker answers between them.
 * DIAGNOSTICS
 *	See skill_prune.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#include "skill_prune.h"
#include "skill_worker.h"

#define SKILL_PRUNE_DAY_MS	(86400LL * 1000)

/* one skill_prune_tree: where it is, for the messages */
struct skill_prune_tree {
	dev_t	 dev;		/* the file system it stays on */
	char	 path[1024];	/* the folder it is in, under dirfd */
	char	*err;
	size_t	 errlen;
};

/* one pass */
struct skill_prune_pass {
	struct skill_worker	*w;
	int			 runs_fd;	/* workspace_root/runs */
	int			 logs_fd;	/* state_root/runs */
	int			 pruned;
};

static int	skill_prune_rm(struct skill_prune_tree *t, int pfd,
		    const char *name, int depth);

/* skill_prune_fail - "PATH/NAME: why" into t->err; -1 */
static int
skill_prune_fail(struct skill_prune_tree *t, const char *name,
    const char *why)
{
	snprintf(t->err, t->errlen, "%s%s%s: %s", t->path,
	    name != NULL && t->path[0] != '\0' ? "/" : "",
	    name != NULL ? name : "", why);
	return (-1);
}

/* skill_prune_open - open the folder name in pfd, without following a
 * link; a folder we may not read is made 0700 first; fd or -1 */
static int
skill_prune_open(int pfd, const char *name)
{
	int	 flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int	 fd;

	if ((fd = openat(pfd, name, flags)) != -1 || errno != EACCES)
		return (fd);
	if (fchmodat(pfd, name, 0700, AT_SYMLINK_NOFOLLOW) == -1) {
		errno = EACCES;		/* why it could not be opened */
		return (-1);
	}
	return (openat(pfd, name, flags));
}

/* skill_prune_entries - skill_prune_rm every entry of the folder dp */
static int
skill_prune_entries(struct skill_prune_tree *t, DIR *dp, int depth)
{
	struct dirent	*de;

	for (;;) {
		errno = 0;
		if ((de = readdir(dp)) == NULL)
			return (errno == 0 ? 0 :
			    skill_prune_fail(t, NULL, strerror(errno)));
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (skill_prune_rm(t, dirfd(dp), de->d_name, depth + 1) == -1)
			return (-1);
	}
}

/* skill_prune_dir - empty the folder name in pfd (sb: its lstat), then
 * remove it */
static int
skill_prune_dir(struct skill_prune_tree *t, int pfd, const char *name,
    const struct stat *sb, int depth)
{
	struct stat	 fsb;
	size_t		 len = strlen(t->path);
	DIR		*dp;
	char		 why[64];
	int		 fd, rc, tries;

	if (sb->st_dev != t->dev)
		return (skill_prune_fail(t, name, "on another file system; "
		    "not entered"));
	if (depth >= SKILL_PRUNE_DEPTH) {
		snprintf(why, sizeof(why), "more than %d folders deep",
		    SKILL_PRUNE_DEPTH);
		return (skill_prune_fail(t, name, why));
	}
	if ((fd = skill_prune_open(pfd, name)) == -1)
		return (skill_prune_fail(t, name, strerror(errno)));
	if (fstat(fd, &fsb) == -1 || fsb.st_dev != sb->st_dev ||
	    fsb.st_ino != sb->st_ino) {
		close(fd);
		return (skill_prune_fail(t, name, "changed while it was "
		    "being removed"));
	}
	if ((fsb.st_mode & 0700) != 0700)
		(void)fchmod(fd, (fsb.st_mode & 07777) | 0700);
	if ((dp = fdopendir(fd)) == NULL) {
		rc = errno;
		close(fd);
		return (skill_prune_fail(t, name, strerror(rc)));
	}
	snprintf(t->path + len, sizeof(t->path) - len, "%s%s",
	    len > 0 ? "/" : "", name);
	for (tries = 0; ; tries++) {
		if ((rc = skill_prune_entries(t, dp, depth)) == -1)
			break;
		if (unlinkat(pfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			break;
		if (errno != ENOTEMPTY || tries == 2) {
			rc = skill_prune_fail(t, NULL, strerror(errno));
			break;
		}
		rewinddir(dp);
	}
	closedir(dp);
	t->path[len] = '\0';
	return (rc);
}

/* skill_prune_rm - remove name in the folder pfd, all beneath it first */
static int
skill_prune_rm(struct skill_prune_tree *t, int pfd, const char *name,
    int depth)
{
	struct stat	 sb;

	if (fstatat(pfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return (errno == ENOENT ? 0 :
		    skill_prune_fail(t, name, strerror(errno)));
	if (S_ISDIR(sb.st_mode))
		return (skill_prune_dir(t, pfd, name, &sb, depth));
	if (unlinkat(pfd, name, 0) == -1 && errno != ENOENT)
		return (skill_prune_fail(t, name, strerror(errno)));
	return (0);
}

/* skill_prune_tree - remove dirfd/name and all beneath it, following no
 * link, crossing no file system; 0, or -1 and err */
int
skill_prune_tree(int dirfd, const char *name, char *err, size_t errlen)
{
	struct skill_prune_tree	 t;
	struct stat		 sb;

	memset(&t, 0, sizeof(t));
	t.err = err;
	t.errlen = errlen;
	if (fstat(dirfd, &sb) == -1)
		return (skill_prune_fail(&t, NULL, strerror(errno)));
	t.dev = sb.st_dev;
	return (skill_prune_rm(&t, dirfd, name, 0));
}

/* skill_prune_one - prune the run id: folder, log, row (a pass's fn) */
static int
skill_prune_one(const char *id, void *arg)
{
	struct skill_prune_pass	*p = arg;
	struct skill_worker	*w = p->w;
	char			 err[1280], log[RUN_ID_LEN + 8];

	if (!run_id_valid(id)) {
		log_warnx("runs.db: a run whose id is not 16 hex digits "
		    "ended long ago; it is not pruned");
		return (0);
	}
	if (skill_run_find(w, id) != NULL)
		return (0);		/* still being let go of */
	if (skill_prune_tree(p->runs_fd, id, err, sizeof(err)) == -1) {
		log_warnx("run %s: not pruned: %s/runs/%s", id,
		    w->workspace_root, err);
		return (0);
	}
	snprintf(log, sizeof(log), "%s.log", id);
	if (unlinkat(p->logs_fd, log, 0) == -1 && errno != ENOENT) {
		log_warn("run %s: not pruned: %s/runs/%s", id, w->state_root,
		    log);
		return (0);
	}
	switch (runs_db_delete(w->db, id)) {
	case 0:
		p->pruned++;
		break;
	case 1:
		log_warnx("run %s: not pruned: runs.db no longer has it ended",
		    id);
		break;
	default:
		log_warnx("run %s: not pruned: runs.db refused to delete it",
		    id);
		break;
	}
	return (0);
}

/* skill_prune_opendir - open root/runs as a folder; fd, or -1 (logged) */
static int
skill_prune_opendir(const char *root)
{
	char	 path[4096];
	int	 fd;

	snprintf(path, sizeof(path), "%s/runs", root);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		log_warn("prune: %s", path);
	return (fd);
}

/* skill_prune_pass - prune what ended before the retention; how many;
 * *full: it took as many runs as a pass takes */
int
skill_prune_pass(struct skill_worker *w, int64_t now_ms, int *full)
{
	struct skill_prune_pass	 p;
	int64_t			 cutoff;
	char			 when[64];
	int			 n;

	if (full != NULL)
		*full = 0;
	if (w->retention_days <= 0 || w->db == NULL)
		return (0);
	cutoff = now_ms - w->retention_days * SKILL_PRUNE_DAY_MS;
	memset(&p, 0, sizeof(p));
	p.w = w;
	p.logs_fd = -1;
	if ((p.runs_fd = skill_prune_opendir(w->workspace_root)) == -1 ||
	    (p.logs_fd = skill_prune_opendir(w->state_root)) == -1)
		n = -1;
	else
		n = runs_db_ended_before(w->db, cutoff, SKILL_PRUNE_MAX,
		    skill_prune_one, &p);
	if (p.runs_fd != -1)
		close(p.runs_fd);
	if (p.logs_fd != -1)
		close(p.logs_fd);
	if (full != NULL)
		*full = n >= SKILL_PRUNE_MAX;
	if (p.pruned > 0) {
		if (run_time_str(cutoff, when, sizeof(when)) == -1)
			snprintf(when, sizeof(when), "%lld ms",
			    (long long)cutoff);
		log_info("pruned %d run%s ended before %s (retention %d "
		    "day%s)", p.pruned, p.pruned == 1 ? "" : "s", when,
		    w->retention_days, w->retention_days == 1 ? "" : "s");
	}
	return (n == -1 ? -1 : p.pruned);
}

/* skill_prune_cb - a pass, then the next one armed */
static void
skill_prune_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_worker	*w = arg;
	struct timeval		 tv = { SKILL_PRUNE_EVERY_S, 0 };
	int			 full;

	(void)fd;
	(void)ev;
	if (w->stopping)
		return;
	/* more may wait; but runs that only fail are no reason to hurry */
	if (skill_prune_pass(w, run_now_ms(), &full) > 0 && full)
		tv.tv_sec = SKILL_PRUNE_AGAIN_S;
	evtimer_add(w->prune_ev, &tv);
}

/* skill_prune_init - the prune timer, the first pass armed */
void
skill_prune_init(struct skill_worker *w)
{
	struct timeval	tv = { SKILL_PRUNE_FIRST_S, 0 };

	if ((w->prune_ev = evtimer_new(w->rt->base, skill_prune_cb, w)) ==
	    NULL || evtimer_add(w->prune_ev, &tv) == -1)
		fatalx("%s: libevent", __func__);
}

/* skill_prune_soon - the next pass from the loop, at once */
void
skill_prune_soon(struct skill_worker *w)
{
	struct timeval	tv = { 0, 0 };

	if (w->prune_ev != NULL && !w->stopping)
		evtimer_add(w->prune_ev, &tv);
}

/* skill_prune_fini - free the timer */
void
skill_prune_fini(struct skill_worker *w)
{
	if (w->prune_ev != NULL)
		event_free(w->prune_ev);
	w->prune_ev = NULL;
}
