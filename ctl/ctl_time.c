/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_time - the clock and the pause of commands that wait and poll
 * SYNOPSIS
 *	double	ctl_time_now(void);
 *	void	ctl_time_sleep(double secs);
 * DESCRIPTION
 *	ctl_time_now is the monotonic clock in seconds, for deadlines that
 *	a change of the wall clock must not move (restart --wait, engines
 *	launch). ctl_time_sleep sleeps secs, going on after a signal.
 */
#include <errno.h>
#include <time.h>

#include "ctl.h"

/* ctl_time_now - monotonic seconds */
double
ctl_time_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* ctl_time_sleep - sleep secs, through signals */
void
ctl_time_sleep(double secs)
{
	struct timespec	ts;

	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
