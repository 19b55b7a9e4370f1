/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	table.h - render rows of text as aligned columns
 * SYNOPSIS
 *	#include "table.h"
 *
 *	struct table *table_new(const char *const *headers, size_t ncols);
 *	void	table_row(struct table *t);
 *	void	table_cell(struct table *t, const char *fmt, ...);
 *	void	table_print(const struct table *t, FILE *fp);
 *	void	table_free(struct table *t);
 * DESCRIPTION
 *	table_new makes a table with ncols columns named by headers.
 *	table_row starts a new row; table_cell formats the next cell of
 *	the current row (cells past the last column are dropped, cells
 *	never given print empty).
 *
 *	table_print writes the header line and every row, each column
 *	left-aligned and as wide as its widest cell (counting UTF-8
 *	characters, not bytes), columns two spaces apart, no trailing
 *	white space. Control characters in cells (the server's data could
 *	hold terminal escapes) print as '?'.
 *
 *	table_free accepts NULL.
 */
#ifndef CORRAL_TABLE_H
#define CORRAL_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define TABLE_GAP	2	/* spaces between columns */

struct table {
	size_t	  ncols;
	size_t	  nrows;	/* not counting the header */
	char	**cells;	/* (nrows + 1) * ncols, row 0 the header */
	size_t	  next;		/* next column of the current row */
};

/* table_new - a table with these column headers */
struct table	*table_new(const char *const *, size_t);

/* table_row - start a new row */
void		 table_row(struct table *);

/* table_cell - set the next cell of the current row */
void		 table_cell(struct table *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* table_print - write the aligned table */
void		 table_print(const struct table *, FILE *);

/* table_free - free the table; NULL is fine */
void		 table_free(struct table *);

#endif
