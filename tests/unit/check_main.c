/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_main - run every corral unit suite through one SRunner
 * DESCRIPTION
 *	The suites are listed in suites.h. CK_FORK=no (Check's own variable)
 *	runs them in one process, which valgrind prefers; the default forks
 *	each test so one crash cannot hide the others.
 */
#include <stdlib.h>

#include <check.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
