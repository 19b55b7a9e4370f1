/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	log.h - one log stream for every corral process
 * DESCRIPTION
 *	Every process writes whole lines to the stderr it inherited, each
 *	naming the process title and pid, so journald and `docker logs`
 *	show one stream. CORRAL_LOG_FORMAT=text|json picks the shape,
 *	CORRAL_LOG_LEVEL=debug|info|warn|error the threshold. Never pass a
 *	secret to these functions. log_warn and fatal append strerror(errno);
 *	log_warnx and fatalx do not. fatal* exit 1.
 */
#ifndef CORRAL_LOG_H
#define CORRAL_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* log_init - set the title; read CORRAL_LOG_LEVEL and CORRAL_LOG_FORMAT */
void	log_init(const char *title);

/* log_setup - set level and format from strings; -1 if either is invalid */
int	log_setup(const char *level, const char *format);

/* log_parse_level - LOG_LVL_* for a name, -1 if invalid */
int	log_parse_level(const char *name);

void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
