/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	supervise.h - side effects of the supervision state machine
 * DESCRIPTION
 *	supervise.c reaches the world only through these hooks: the clock,
 *	starting a process, sending a signal, sending the stop frame, and
 *	telling the master that a state changed. The master uses the
 *	defaults; tests replace them to drive the table without processes.
 */
#ifndef CORRAL_SUPERVISE_H
#define CORRAL_SUPERVISE_H

#include <sys/types.h>

#include <stdint.h>

struct worker;

struct super_ops {
	int64_t	(*clock)(void);			/* monotonic ms */
	int	(*spawn)(struct worker *);	/* 0, or -1: could not start */
	int	(*kill)(pid_t, int);
	int	(*shutdown)(struct worker *);	/* send MSG_SHUTDOWN */
	void	(*changed)(struct worker *);	/* after a state change */
};

/* super_set_ops - replace side effects (unit tests); NULL restores */
void	super_set_ops(const struct super_ops *);

/* super_master_changed - the master after a state change (control.c) */
void	super_master_changed(struct worker *);

#endif
