/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_spec.h - what the engine spec test files share
 * DESCRIPTION
 *	check_eng_spec_fx.c holds the fixture: a fresh tree per test under
 *	/tmp (eng_fx_dir, resolved) holding a models root and what tries
 *	to escape it, and the built-in profiles. In request texts and
 *	wanted messages '@' stands for eng_fx_dir. check_eng_spec_body.c
 *	adds its test cases to eng_spec_suite().
 *
 *	The tree: models/m1/ (a model directory), models/file.gguf,
 *	models/a:b/, models/link -> ../outside, models/inlink -> m1,
 *	models2/x, outside/secret, rootlink -> models.
 */
#ifndef CORRAL_CHECK_ENG_SPEC_H
#define CORRAL_CHECK_ENG_SPEC_H

#include <limits.h>

#include <check.h>

#include "eng_profile.h"
#include "eng_spec.h"

extern char			 eng_fx_dir[256];
extern char			 eng_fx_root[300];	/* @/models */
extern struct eng_profiles	*eng_fx_profiles;

void	eng_fx_setup(void);
void	eng_fx_teardown(void);

/* eng_fx_subst - text with each '@' replaced by eng_fx_dir (malloc'ed) */
char	*eng_fx_subst(const char *text);

/* eng_fx_parse - '@' substituted, parsed as JSON (must be valid), checked
 * with eng_spec_parse against eng_fx_root; what eng_spec_parse returns */
int	 eng_fx_parse(const char *text, struct eng_spec *s,
	    struct eng_spec_err *e);

/* eng_spec_body_tcases - create body, stored JSON and back */
void	 eng_spec_body_tcases(Suite *su);

#endif
