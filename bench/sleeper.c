/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	sleeper - the trivial service s6 and supervisord restart in the bench
 * SYNOPSIS
 *	sleeper [NOTIFY_FD]
 * DESCRIPTION
 *	Writes a newline to NOTIFY_FD if given, closes it, and waits for a
 *	signal forever. Without a number it takes NOTIFY_FD from the file
 *	./notification-fd if there is one: s6-supervise runs a service's
 *	./run (here a copy of sleeper) in the service directory, where that
 *	file names the descriptor it reads readiness from. It does less than a
 *	corral worker (no configuration, no sandbox), so the peers' restart
 *	figures are their supervision cost with the least possible service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	FILE	*f;
	int	 fd = -1;

	/* s6-supervise passes the service directory as argv[1] */
	if (argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9')
		fd = atoi(argv[1]);
	else if ((f = fopen("notification-fd", "r")) != NULL) {
		if (fscanf(f, "%d", &fd) != 1)
			fd = -1;
		fclose(f);
	}
	if (fd >= 0) {
		(void)write(fd, "\n", 1);
		(void)close(fd);
	}
	for (;;)
		pause();
}
