/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	log - one line per event on the inherited stderr
 * DESCRIPTION
 *	log_init() names the process; every line then carries a UTC
 *	timestamp, the title, the pid and the level, as text
 *
 *	  2026-11-25T14:24:39.123Z corral/http[4121] info: listening on ...
 *
 *	or, with CORRAL_LOG_FORMAT=json, as one JSON object per line
 *	({"ts","proc","pid","level","msg"}). Each line goes out in a single
 *	write(2) so lines from several processes sharing one stderr do not
 *	interleave. Lines longer than LOG_LINE_MAX are cut.
 * DIAGNOSTICS
 *	None: logging never fails loudly. fatal and fatalx exit 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX	4096

static char	log_title[32] = "corral";
static int	log_level = LOG_LVL_INFO;
static int	log_json;

static const char *const log_level_names[] = {
	[LOG_LVL_DEBUG] = "debug",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_ERROR] = "error",
};

/* log_parse_level - LOG_LVL_* for a name, -1 if invalid */
int
log_parse_level(const char *name)
{
	int	i;

	for (i = LOG_LVL_DEBUG; i <= LOG_LVL_ERROR; i++)
		if (strcasecmp(name, log_level_names[i]) == 0)
			return (i);
	if (strcasecmp(name, "warning") == 0)
		return (LOG_LVL_WARN);
	return (-1);
}

/* log_setup - set level and format from strings; -1 if either is invalid */
int
log_setup(const char *level, const char *format)
{
	int	lvl, rc = 0;

	if (level != NULL && *level != '\0') {
		if ((lvl = log_parse_level(level)) == -1)
			rc = -1;
		else
			log_level = lvl;
	}
	if (format != NULL && *format != '\0') {
		if (strcasecmp(format, "json") == 0)
			log_json = 1;
		else if (strcasecmp(format, "text") == 0)
			log_json = 0;
		else
			rc = -1;
	}
	return (rc);
}

/* log_init - set the title; read CORRAL_LOG_LEVEL and CORRAL_LOG_FORMAT */
void
log_init(const char *title)
{
	snprintf(log_title, sizeof(log_title), "%s", title);
	(void)log_setup(getenv("CORRAL_LOG_LEVEL"), getenv("CORRAL_LOG_FORMAT"));
}

/* log_json_escape - append s to out as JSON string content */
static size_t
log_json_escape(char *out, size_t off, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	  c;

	for (; *s != '\0' && off + 7 < cap; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[off++] = '\\';
			out[off++] = (char)c;
		} else if (c == '\n') {
			out[off++] = '\\';
			out[off++] = 'n';
		} else if (c < 0x20) {
			out[off++] = '\\';
			out[off++] = 'u';
			out[off++] = '0';
			out[off++] = '0';
			out[off++] = hex[c >> 4];
			out[off++] = hex[c & 15];
		} else
			out[off++] = (char)c;
	}
	return (off);
}

static void	log_emit(int, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* log_emit - format and write one line */
static void
log_emit(int level, int err, const char *fmt, va_list ap)
{
	char		 msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 256];
	char		 ts[40];
	struct timespec	 now;
	struct tm	 tm;
	size_t		 off;
	int		 n, saved = errno;

	if (level < log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		off = strlen(msg);
		snprintf(msg + off, sizeof(msg) - off, ": %s", strerror(err));
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n = (int)strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - (size_t)n, ".%03ldZ",
	    now.tv_nsec / 1000000);
	if (log_json) {
		n = snprintf(line, sizeof(line),
		    "{\"ts\":\"%s\",\"proc\":\"%s\",\"pid\":%ld,\"level\":\"%s\","
		    "\"msg\":\"", ts, log_title, (long)getpid(),
		    log_level_names[level]);
		off = log_json_escape(line, (size_t)n, sizeof(line) - 3, msg);
		line[off++] = '"';
		line[off++] = '}';
		line[off++] = '\n';
	} else {
		n = snprintf(line, sizeof(line), "%s corral/%s[%ld] %s: %s\n",
		    ts, log_title, (long)getpid(), log_level_names[level], msg);
		off = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		line[off - 1] = '\n';
	}
	(void)write(STDERR_FILENO, line, off);
	errno = saved;
}

#define LOG_FN(name, level, witherr)			\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	ap;					\
	int	e = (witherr) ? errno : 0;		\
							\
	va_start(ap, fmt);				\
	log_emit(level, e, fmt, ap);			\
	va_end(ap);					\
}

/* log_debug, log_info, log_warn (with errno), log_warnx, log_error */
LOG_FN(log_debug, LOG_LVL_DEBUG, 0)
LOG_FN(log_info, LOG_LVL_INFO, 0)
LOG_FN(log_warn, LOG_LVL_WARN, 1)
LOG_FN(log_warnx, LOG_LVL_WARN, 0)
LOG_FN(log_error, LOG_LVL_ERROR, 0)

/* fatal - log at error level with strerror(errno) and exit 1 */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	e = errno;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERROR, e, fmt, ap);
	va_end(ap);
	exit(1);
}

/* fatalx - log at error level and exit 1 */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
