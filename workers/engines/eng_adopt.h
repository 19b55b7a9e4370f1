/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_adopt.h - find our containers after a start; the models root
 * SYNOPSIS
 *	void	eng_adopt(struct eng_worker *w);
 *	void	eng_adopt_models(struct eng_worker *w);
 * DESCRIPTION
 *	See eng_adopt.c.
 */
#ifndef CORRAL_ENG_ADOPT_H
#define CORRAL_ENG_ADOPT_H

struct eng_worker;

/* eng_adopt - list the containers labelled with our instance, take them */
void	eng_adopt(struct eng_worker *w);

/* eng_adopt_models - inside a container: is the models root a host path? */
void	eng_adopt_models(struct eng_worker *w);

#endif
