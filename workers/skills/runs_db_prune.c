/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_db_prune - the queries of the retention: old ended runs, delete
 * SYNOPSIS
 *	#include "runs_db.h"
 * DESCRIPTION
 *	See runs_db.h (runs_db_ended_before, runs_db_delete); skill_prune.c
 *	uses them. Both statements are in runs_db.c's table, prepared at
 *	open (runs_db_priv.h); both take terminal states only (2 to 5 in
 *	SQL), so a queued or running run is neither listed nor deleted
 *	whatever its times say. runs_db_ended_before reads every id it
 *	will hand over, then resets its statement, then calls fn: no
 *	statement is open while fn runs.
 * DIAGNOSTICS
 *	SQLite's errors are logged with runs_db_warn, and the call returns
 *	-1.
 */
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "xmalloc.h"

#include "runs_db.h"
#include "runs_db_priv.h"

#define RUNS_DB_PRUNE_MAX	10000	/* ids read by one ended_before */

/* runs_db_ended_before - fn(id) for each run ended before cutoff_ms,
 * the longest ended first; how many fn saw, or -1 */
int
runs_db_ended_before(struct runs_db *db, int64_t cutoff_ms, int limit,
    int (*fn)(const char *id, void *), void *arg)
{
	sqlite3_stmt	*st = db->st[RS_ENDED_BEFORE];
	const char	*id;
	char		**ids;
	int		 n = 0, i, rc;

	if (limit <= 0)
		return (0);
	if (limit > RUNS_DB_PRUNE_MAX)
		limit = RUNS_DB_PRUNE_MAX;
	ids = xcalloc((size_t)limit, sizeof(*ids));
	rc = sqlite3_bind_int64(st, 1, cutoff_ms) |
	    sqlite3_bind_int(st, 2, limit);
	if (rc == SQLITE_OK) {
		while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			id = (const char *)sqlite3_column_text(st, 0);
			ids[n++] = xstrdup(id != NULL ? id : "");
		}
		if (n == limit)
			rc = SQLITE_DONE;	/* LIMIT: no row is left */
	}
	if (rc != SQLITE_DONE)
		runs_db_warn(db, "ended before", NULL);
	runs_db_done(st);
	for (i = 0; rc == SQLITE_DONE && i < n; )
		if (fn(ids[i++], arg) != 0)
			break;
	while (n > 0)
		free(ids[--n]);
	free(ids);
	return (rc == SQLITE_DONE ? i : -1);
}

/* runs_db_delete - remove the row of the ended run id; 1 if there is no
 * such run or it has not ended */
int
runs_db_delete(struct runs_db *db, const char *id)
{
	sqlite3_stmt	*st = db->st[RS_DELETE];

	return (runs_db_update(db, st, sqlite3_bind_text(st, 1, id, -1,
	    SQLITE_STATIC), "delete", id));
}
