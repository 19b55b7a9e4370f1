/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_gpu.h - the GPU endpoints of the http worker
 * SYNOPSIS
 *	void	http_gpu_sample(struct http_call *call);
 *	void	http_gpu_history(struct http_call *call);
 *	int	http_gpu_window(const char *s, long *secs, const char **why);
 * DESCRIPTION
 *	Route handlers for GET /v1/gpus (MSG_GPU_SAMPLE) and GET
 *	/v1/gpus/history?window=W (MSG_GPU_HISTORY {"window_s"}); each asks
 *	the gpu worker and answers with its reply.
 *
 *	http_gpu_window parses a window: a whole number of seconds, or of
 *	seconds, minutes or hours with the suffix s, m or h ("90", "90s",
 *	"15m", "2h"), from 1 s to HTTP_GPU_WINDOW_MAX. It returns 0 and
 *	*secs, or -1 and *why.
 */
#ifndef CORRAL_HTTP_GPU_H
#define CORRAL_HTTP_GPU_H

#define HTTP_GPU_WINDOW_DEFAULT	900		/* 15m */
#define HTTP_GPU_WINDOW_MAX	(7 * 86400)	/* a week */

struct http_call;

/* http_gpu_sample - GET /v1/gpus */
void	http_gpu_sample(struct http_call *call);

/* http_gpu_history - GET /v1/gpus/history */
void	http_gpu_history(struct http_call *call);

/* http_gpu_window - "15m" as 900 seconds: 0, or -1 and why */
int	http_gpu_window(const char *s, long *secs, const char **why);

#endif
