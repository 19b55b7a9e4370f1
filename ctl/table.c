/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	table - render rows of text as aligned columns
 * SYNOPSIS
 *	See table.h.
 * DESCRIPTION
 *	Cells are kept as formatted strings, one flat array with the
 *	header as row 0, and measured only when printed. Widths count
 *	UTF-8 characters so a name with an accent does not skew the
 *	columns; wide (CJK) characters are not worth the tables here.
 * DIAGNOSTICS
 *	None; memory exhaustion is fatal through xmalloc.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#include "ctl_fmt.h"
#include "table.h"

static size_t	table_width(const char *);

/* table_new - a table with these column headers */
struct table *
table_new(const char *const *headers, size_t ncols)
{
	struct table	*t;
	size_t		 i;

	t = xcalloc(1, sizeof(*t));
	t->ncols = ncols;
	t->cells = xcalloc(ncols > 0 ? ncols : 1, sizeof(*t->cells));
	for (i = 0; i < ncols; i++)
		t->cells[i] = ctl_fmt_clean(headers[i]);
	t->next = ncols;
	return (t);
}

/* table_row - start a new row */
void
table_row(struct table *t)
{
	size_t	i, base;

	t->nrows++;
	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols *
	    sizeof(*t->cells));
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cells[base + i] = NULL;
	t->next = 0;
}

/* table_cell - set the next cell of the current row */
void
table_cell(struct table *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (t->nrows == 0 || t->next >= t->ncols)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	t->cells[t->nrows * t->ncols + t->next++] = ctl_fmt_clean(s != NULL ?
	    s : "?");
	free(s);
}

/* table_width - display width: UTF-8 characters, not bytes */
static size_t
table_width(const char *s)
{
	size_t	n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* table_print - write the aligned table */
void
table_print(const struct table *t, FILE *fp)
{
	size_t		*width, r, c, w, pad, last;
	const char	*cell;

	width = xcalloc(t->ncols, sizeof(*width));
	for (r = 0; r <= t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if ((w = table_width(t->cells[r * t->ncols + c])) >
			    width[c])
				width[c] = w;
	for (r = 0; r <= t->nrows; r++) {
		/* Stop at the last non-empty cell: no trailing blanks. */
		for (last = t->ncols; last > 0; last--)
			if (table_width(t->cells[r * t->ncols + last - 1]) > 0)
				break;
		for (c = 0; c < last; c++) {
			cell = t->cells[r * t->ncols + c];
			fputs(cell != NULL ? cell : "", fp);
			if (c + 1 == last)
				break;
			pad = width[c] - table_width(cell) + TABLE_GAP;
			while (pad-- > 0)
				fputc(' ', fp);
		}
		fputc('\n', fp);
	}
	free(width);
}

/* table_free - free the table; NULL is fine */
void
table_free(struct table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
