/* SPDX-License-Identifier: MIT */
/*
 * suites.h - every Check suite check_main runs, one line each:
 * SUITE(name) declares and runs name_suite() from tests/unit/check_name.c.
 */
SUITE(frame)
SUITE(channel)
SUITE(supervise)
SUITE(route)
SUITE(config)
SUITE(routes)
SUITE(http_auth)
SUITE(http_api)
SUITE(http_server)
SUITE(http_life)
SUITE(http_secrets)
SUITE(http_metrics)
SUITE(ctl)
SUITE(ctl_gpus)
SUITE(store)
SUITE(secrets)
SUITE(gpu)
SUITE(gpu_src)
