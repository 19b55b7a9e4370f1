/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_db_priv.h - what runs_db.c and runs_db_prune.c share
 * SYNOPSIS
 *	struct runs_db { sqlite3 *db; char *path; sqlite3_stmt *st[RS_COUNT]; };
 *	int	runs_db_warn(struct runs_db *db, const char *what,
 *		    const char *id);
 *	void	runs_db_done(sqlite3_stmt *st);
 *	int	runs_db_update(struct runs_db *db, sqlite3_stmt *st,
 *		    int bind_rc, const char *what, const char *id);
 * DESCRIPTION
 *	Not for the rest of the worker: runs_db.h is the interface. The
 *	handle holds the connection and one prepared statement per entry
 *	of enum runs_db_stmt; runs_db.c holds the SQL of all of them and
 *	prepares them once at open, so runs_db_prune.c only binds and
 *	steps its own (RS_ENDED_BEFORE, RS_DELETE).
 *
 *	runs_db_warn logs SQLite's message for what (and the run id, if
 *	not NULL) and returns -1. runs_db_done resets a statement and
 *	drops its bindings, as every call does before it returns.
 *	runs_db_update steps an UPDATE or DELETE whose bindings returned
 *	bind_rc (OR'ed) and resets it.
 * DIAGNOSTICS
 *	runs_db_update returns 0 if it changed a row, 1 if none, -1 on an
 *	error (logged with runs_db_warn).
 */
#ifndef CORRAL_RUNS_DB_PRIV_H
#define CORRAL_RUNS_DB_PRIV_H

#include <sqlite3.h>

enum runs_db_stmt {
	RS_INSERT, RS_START, RS_END, RS_GET, RS_LIST, RS_LIST_STATE,
	RS_LIST_SKILL, RS_LIST_BOTH, RS_COUNTS, RS_EACH, RS_EACH_STATE,
	RS_ENDED_BEFORE, RS_DELETE,
	RS_COUNT
};

struct runs_db {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*st[RS_COUNT];
};

int	runs_db_warn(struct runs_db *db, const char *what, const char *id);
void	runs_db_done(sqlite3_stmt *st);
int	runs_db_update(struct runs_db *db, sqlite3_stmt *st, int bind_rc,
	    const char *what, const char *id);

#endif
