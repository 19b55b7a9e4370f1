/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	svlisten - a supervisord event listener that relays RUNNING events
 * SYNOPSIS
 *	svlisten FIFO
 * DESCRIPTION
 *	Speaks supervisord's event listener protocol on stdin/stdout:
 *	"READY\n", then a header line ("... eventname:X len:N"), N bytes of
 *	payload, and "RESULT 2\nOK" back. For PROCESS_STATE_RUNNING it
 *	writes "RUNNING PROCESSNAME PID\n" to FIFO (opened read-write, so it
 *	never blocks on a missing reader). Written in C so that the relay
 *	adds as little as possible to supervisord's own latency.
 * DIAGNOSTICS
 *	Exits 1 when stdin closes or the protocol is not what we expect.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* svl_field - the value of "key:" in a space-separated line, or NULL */
static const char *
svl_field(const char *line, const char *key, char *buf, size_t len)
{
	const char	*p = line;
	size_t		 klen = strlen(key), n;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == line || p[-1] == ' ' || p[-1] == '\n') &&
		    p[klen] == ':') {
			p += klen + 1;
			n = strcspn(p, " \n");
			if (n >= len)
				n = len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return (buf);
		}
		p += klen;
	}
	return (NULL);
}

int
main(int argc, char **argv)
{
	char	 hdr[1024], body[4096], ev[128], lenbuf[32], name[128], pid[32];
	char	 out[300];
	size_t	 blen;
	int	 fifo;

	if (argc != 2) {
		fprintf(stderr, "usage: svlisten FIFO\n");
		return (2);
	}
	if ((fifo = open(argv[1], O_RDWR | O_CLOEXEC)) == -1) {
		perror(argv[1]);
		return (1);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	for (;;) {
		fputs("READY\n", stdout);
		if (fgets(hdr, sizeof(hdr), stdin) == NULL)
			return (1);
		if (svl_field(hdr, "eventname", ev, sizeof(ev)) == NULL ||
		    svl_field(hdr, "len", lenbuf, sizeof(lenbuf)) == NULL)
			return (1);
		blen = (size_t)atol(lenbuf);
		if (blen >= sizeof(body) || fread(body, 1, blen, stdin) != blen)
			return (1);
		body[blen] = '\0';
		if (strcmp(ev, "PROCESS_STATE_RUNNING") == 0 &&
		    svl_field(body, "processname", name, sizeof(name)) != NULL &&
		    svl_field(body, "pid", pid, sizeof(pid)) != NULL) {
			snprintf(out, sizeof(out), "RUNNING %s %s\n", name, pid);
			(void)write(fifo, out, strlen(out));
		}
		fputs("RESULT 2\nOK", stdout);
	}
}
