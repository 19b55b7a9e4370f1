/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	prom_check - read a Prometheus page strictly, for the unit tests
 * SYNOPSIS
 *	#include "prom_check.h"
 * DESCRIPTION
 *	check_prom_page() reads a page as the text format 0.0.4 and says
 *	what is wrong with it first: a family without HELP and TYPE lines
 *	before its samples, or given twice; a sample of another family
 *	(a histogram's own _bucket, _sum and _count excepted); a bad name,
 *	label, escape or value; a last line without its newline. It is
 *	stricter than needed in one way: corral writes HELP before TYPE,
 *	and it wants that order.
 *
 *	check_has_line() looks for one whole line. check_metrics_sample is
 *	a MSG_GPU_SAMPLE reply with two GPUs, nulls and an awkward name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom_check.h"

#define FAMILIES_MAX	128

/* a sample as the gpu worker sends it: GPU 1 has nulls and an odd name */
const char check_metrics_sample[] =
    "{\"time\":\"2025-01-01T00:00:00Z\",\"source\":\"nvml\",\"reason\":null,"
    "\"driver_version\":\"550.54.15\",\"gpus\":["
    "{\"index\":0,\"name\":\"NVIDIA A100-SXM4-40GB\",\"uuid\":\"GPU-aaaa\","
    "\"util_gpu_pct\":37,\"util_mem_pct\":12,\"mem_used_mib\":1024,"
    "\"mem_total_mib\":40960,\"temp_c\":45,\"power_w\":88.5,"
    "\"power_limit_w\":400,\"sm_clock_mhz\":1410,\"mem_clock_mhz\":1215,"
    "\"fan_pct\":null,\"pcie_tx_kbps\":1,\"pcie_rx_kbps\":2,"
    "\"processes\":[]},"
    "{\"index\":1,\"name\":\"Q\\\"B\\\\s\\nN\xff\",\"uuid\":\"GPU-bbbb\","
    "\"util_gpu_pct\":null,\"util_mem_pct\":5,\"mem_used_mib\":null,"
    "\"mem_total_mib\":40960,\"temp_c\":null,\"power_w\":null,"
    "\"power_limit_w\":null,\"sm_clock_mhz\":null,\"mem_clock_mhz\":null,"
    "\"fan_pct\":null,\"pcie_tx_kbps\":null,\"pcie_rx_kbps\":null,"
    "\"processes\":null}],"
    "\"host\":{\"hostname\":\"gpu-host-1\",\"cpu_pct\":12.5,\"load1\":0.5,"
    "\"load5\":0.25,\"load15\":0.125,\"mem_total_kib\":1000,"
    "\"mem_available_kib\":500,\"disks\":["
    "{\"name\":\"state_root\",\"path\":\"/s\",\"free_bytes\":1000000000,"
    "\"total_bytes\":2000000000},"
    "{\"name\":\"workspace_root\",\"path\":\"/w\",\"free_bytes\":null,"
    "\"total_bytes\":3}]},"
    "\"procs\":[{\"name\":\"master\",\"pid\":1,\"rss_kib\":100,"
    "\"cpu_pct\":0.5},{\"name\":\"http\",\"pid\":2,\"rss_kib\":200,"
    "\"cpu_pct\":null}],\"sample_ms\":3}";

/* check_name - length of a metric (or label, if label) name at s, or 0 */
static size_t
check_name(const char *s, int label)
{
	size_t	n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    s[n] == '_' || (!label && s[n] == ':') ||
	    (n > 0 && s[n] >= '0' && s[n] <= '9'))
		n++;
	return (n);
}

/* check_labels - parse {a="x",...} at *p; 0, or -1 */
static int
check_labels(const char **p)
{
	const char	*s = *p;
	size_t		 n;

	if (*s != '{')
		return (0);
	for (s++; *s != '}'; ) {
		if ((n = check_name(s, 1)) == 0 || s[n] != '=' ||
		    s[n + 1] != '"')
			return (-1);
		for (s += n + 2; *s != '"'; s++) {
			if (*s == '\0' || *s == '\n')
				return (-1);
			if (*s == '\\' && s[1] != '\\' && s[1] != '"' &&
			    s[1] != 'n')
				return (-1);
			if (*s == '\\')
				s++;
		}
		s++;
		if (*s == ',')
			s++;
		else if (*s != '}')
			return (-1);
	}
	*p = s + 1;
	return (0);
}

/* check_value - a value, then the end of the line; 0, or -1 */
static int
check_value(const char *s, size_t len)
{
	char	buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return (-1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strcmp(buf, "+Inf") == 0 || strcmp(buf, "-Inf") == 0 ||
	    strcmp(buf, "NaN") == 0)
		return (0);
	(void)strtod(buf, &end);
	return (*end == '\0' ? 0 : -1);
}

/* check_prom_page - is page good text format 0.0.4? 0, or -1 and why */
int
check_prom_page(const char *page, char *why, size_t whylen)
{
	char		 fam[FAMILIES_MAX][128], type[16] = "";
	const char	*line, *nl, *p;
	size_t		 nfam = 0, i, n, cur = 0;
	int		 helped = 0;

	for (line = page; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL) {
			snprintf(why, whylen, "no newline at the end");
			return (-1);
		}
		if (strncmp(line, "# HELP ", 7) == 0) {
			n = check_name(line + 7, 0);
			for (i = 0; i < nfam; i++)
				if (strlen(fam[i]) == n &&
				    strncmp(fam[i], line + 7, n) == 0) {
					snprintf(why, whylen, "family twice: "
					    "%.*s", (int)n, line + 7);
					return (-1);
				}
			if (n == 0 || n >= sizeof(fam[0]) || nfam ==
			    FAMILIES_MAX || line[7 + n] != ' ') {
				snprintf(why, whylen, "bad HELP: %.*s",
				    (int)(nl - line), line);
				return (-1);
			}
			memcpy(fam[nfam], line + 7, n);
			fam[nfam][n] = '\0';
			cur = nfam++;
			helped = 1;
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			n = strlen(fam[cur]);
			if (!helped || strncmp(line + 7, fam[cur], n) != 0 ||
			    line[7 + n] != ' ' || (size_t)(nl - line) - 8 - n >=
			    sizeof(type)) {
				snprintf(why, whylen, "TYPE without its HELP: "
				    "%.*s", (int)(nl - line), line);
				return (-1);
			}
			snprintf(type, sizeof(type), "%.*s",
			    (int)((nl - line) - 8 - n), line + 8 + n);
			if (strcmp(type, "gauge") != 0 && strcmp(type,
			    "counter") != 0 && strcmp(type, "histogram") != 0) {
				snprintf(why, whylen, "type %s", type);
				return (-1);
			}
			helped = 0;
			continue;
		}
		n = check_name(line, 0);
		if (nfam == 0 || helped || n < strlen(fam[cur]) ||
		    strncmp(line, fam[cur], strlen(fam[cur])) != 0) {
			snprintf(why, whylen, "sample outside its family: %.*s",
			    (int)(nl - line), line);
			return (-1);
		}
		p = line + strlen(fam[cur]);
		if (n > strlen(fam[cur]) && (strcmp(type, "histogram") != 0 ||
		    (strncmp(p, "_bucket", 7) != 0 && strncmp(p, "_sum", 4) !=
		    0 && strncmp(p, "_count", 6) != 0))) {
			snprintf(why, whylen, "sample of another family: %.*s",
			    (int)(nl - line), line);
			return (-1);
		}
		p = line + n;
		if (check_labels(&p) == -1 || *p != ' ' ||
		    check_value(p + 1, (size_t)(nl - p - 1)) == -1) {
			snprintf(why, whylen, "bad sample: %.*s",
			    (int)(nl - line), line);
			return (-1);
		}
	}
	return (0);
}

/* check_has_line - is line one whole line of page? */
int
check_has_line(const char *page, const char *line)
{
	const char	*p;
	size_t		 n = strlen(line);

	for (p = page; (p = strstr(p, line)) != NULL; p++)
		if ((p == page || p[-1] == '\n') && p[n] == '\n')
			return (1);
	return (0);
}
