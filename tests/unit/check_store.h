/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_store.h - what the store's three test files share
 * DESCRIPTION
 *	check_store.c owns the fixture (a fresh state root per test under
 *	/tmp, removed afterwards), two fixed keys and small helpers that
 *	fail the test on error; check_store_damage.c and
 *	check_store_write.c add their test cases to store_suite().
 */
#ifndef CORRAL_CHECK_STORE_H
#define CORRAL_CHECK_STORE_H

#include <check.h>

#include "store.h"

extern char			store_root[64];	/* the state root */
extern char			store_file[128];	/* its store.json */
extern const unsigned char	store_key1[STORE_KEY_LEN];
extern const unsigned char	store_key2[STORE_KEY_LEN];

void	store_setup(void);
void	store_teardown(void);
struct store *store_must_open(const unsigned char *key);
void	store_must_put(struct store *s, const char *name,
	    const char *value);
void	store_want_value(struct store *s, const char *name,
	    const char *want);

/* store_damage_tcases - altered entries and damaged files */
void	store_damage_tcases(Suite *su);

/* store_write_tcases - files, concurrent writers, a killed writer */
void	store_write_tcases(Suite *su);

#endif
