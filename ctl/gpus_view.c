/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpus_view - show a GPU and host sample for people
 * SYNOPSIS
 *	See gpus_view.h.
 * DESCRIPTION
 *	Used by `corralctl gpus`. The sample's members are documented in
 *	docs/gpu.md; any of them may be null (a driver that does not
 *	report a field, a GPU that failed on it), and each null shows as
 *	"-" rather than hiding the rest of its row. Text from the server
 *	goes through table.c or ctl_fmt_clean, so it cannot drive the
 *	terminal.
 *
 *	  source: nvml, driver 550.54.15
 *	  INDEX  NAME                   UTIL  MEM             TEMP  POWER ...
 *	  0      NVIDIA A100-SXM4-40GB  37%   1024/40960 MiB  45 C  88.5/400 W
 *
 *	  host gpu-1: cpu 12.5%, load 0.50 0.25 0.12, memory 20.1 GiB
 *	  available of 31.2 GiB, free: state_root 120.4 GiB, ...
 *
 *	  NAME    PID  RSS      CPU
 *	  master  101  4.1 MiB  0.1%
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl_fmt.h"
#include "ctl_json.h"
#include "gpus_view.h"
#include "table.h"

static const char *const gpus_view_gpu_cols[] = {
	"INDEX", "NAME", "UTIL", "MEM", "TEMP", "POWER", "FAN"
};
static const char *const gpus_view_proc_cols[] = {
	"NAME", "PID", "RSS", "CPU"
};

/* gpus_view_fmt - a number: whole without decimals, else one decimal */
static void
gpus_view_fmt(double v, char *buf, size_t len)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
}

/* gpus_view_num - "37%", "88.5 W", or "-"; returns buf */
char *
gpus_view_num(const cJSON *o, const char *key, const char *unit, char *buf,
    size_t len)
{
	char	n[GPUS_VIEW_LEN];
	double	v;

	if (ctl_json_num(o, key, &v) == -1 || !isfinite(v)) {
		snprintf(buf, len, "-");
		return (buf);
	}
	gpus_view_fmt(v, n, sizeof(n));
	snprintf(buf, len, "%s%s", n, unit);
	return (buf);
}

/* gpus_view_pair - "1024/40960 MiB", "-/40960 MiB", or "-"; returns buf */
char *
gpus_view_pair(const cJSON *o, const char *a, const char *b,
    const char *unit, char *buf, size_t len)
{
	char	x[GPUS_VIEW_LEN], y[GPUS_VIEW_LEN];

	gpus_view_num(o, a, "", x, sizeof(x));
	gpus_view_num(o, b, "", y, sizeof(y));
	if (strcmp(x, "-") == 0 && strcmp(y, "-") == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s/%s%s", x, y, unit);
	return (buf);
}

/* gpus_view_bytes - "1.5 GiB", "512 B", or "-"; returns buf */
char *
gpus_view_bytes(const cJSON *o, const char *key, double scale, char *buf,
    size_t len)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB"
	};
	double	v;
	size_t	u = 0;

	if (ctl_json_num(o, key, &v) == -1 || !isfinite(v) || v < 0) {
		snprintf(buf, len, "-");
		return (buf);
	}
	v *= scale;
	while (v >= 1024 && u < sizeof(units) / sizeof(units[0]) - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f B", v);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return (buf);
}

/* gpus_view_source - "source: nvml, driver X", or "no NVIDIA GPU (why)" */
static void
gpus_view_source(FILE *fp, const cJSON *s)
{
	const char	*src, *drv, *why;
	char		*a, *b;

	src = ctl_json_str(s, "source");
	drv = ctl_json_str(s, "driver_version");
	why = ctl_json_str(s, "reason");
	if (src == NULL || strcmp(src, "none") == 0) {
		/* the worker's reason may be the headline itself */
		a = ctl_fmt_clean(why != NULL &&
		    strcmp(why, "no NVIDIA GPU") == 0 ? NULL : why);
		fprintf(fp, "no NVIDIA GPU%s%s%s\n", *a != '\0' ? " (" : "",
		    a, *a != '\0' ? ")" : "");
		free(a);
		return;
	}
	a = ctl_fmt_clean(src);
	b = ctl_fmt_clean(drv);
	fprintf(fp, "source: %s%s%s\n", a, *b != '\0' ? ", driver " : "", b);
	free(a);
	free(b);
}

/* gpus_view_gpus - the GPU table */
static void
gpus_view_gpus(FILE *fp, const cJSON *gpus)
{
	struct table	*t;
	const cJSON	*g;
	const char	*name;
	char		 buf[GPUS_VIEW_LEN];

	t = table_new(gpus_view_gpu_cols, sizeof(gpus_view_gpu_cols) /
	    sizeof(gpus_view_gpu_cols[0]));
	cJSON_ArrayForEach(g, gpus) {
		table_row(t);
		table_cell(t, "%s", gpus_view_num(g, "index", "", buf,
		    sizeof(buf)));
		name = ctl_json_str(g, "name");
		table_cell(t, "%s", name != NULL ? name : "-");
		table_cell(t, "%s", gpus_view_num(g, "util_gpu_pct", "%", buf,
		    sizeof(buf)));
		table_cell(t, "%s", gpus_view_pair(g, "mem_used_mib",
		    "mem_total_mib", " MiB", buf, sizeof(buf)));
		table_cell(t, "%s", gpus_view_num(g, "temp_c", " C", buf,
		    sizeof(buf)));
		table_cell(t, "%s", gpus_view_pair(g, "power_w",
		    "power_limit_w", " W", buf, sizeof(buf)));
		table_cell(t, "%s", gpus_view_num(g, "fan_pct", "%", buf,
		    sizeof(buf)));
	}
	table_print(t, fp);
	table_free(t);
}

/* gpus_view_load - "0.50 0.25 0.12", a "-" for each one missing */
static void
gpus_view_load(const cJSON *h, char *buf, size_t len)
{
	static const char *const keys[3] = { "load1", "load5", "load15" };
	size_t	i, used = 0;
	double	v;
	int	n;

	buf[0] = '\0';
	for (i = 0; i < 3 && used < len; i++) {
		if (ctl_json_num(h, keys[i], &v) == 0 && isfinite(v))
			n = snprintf(buf + used, len - used, "%s%.2f",
			    i > 0 ? " " : "", v);
		else
			n = snprintf(buf + used, len - used, "%s-",
			    i > 0 ? " " : "");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* gpus_view_host - the host line: CPU, load, memory, free space */
static void
gpus_view_host(FILE *fp, const cJSON *h)
{
	const cJSON	*d;
	char		 cpu[GPUS_VIEW_LEN], load[GPUS_VIEW_LEN];
	char		 avail[GPUS_VIEW_LEN], total[GPUS_VIEW_LEN];
	char		 free_[GPUS_VIEW_LEN], *host, *name;
	const cJSON	*disks;
	int		 first = 1;

	host = ctl_fmt_clean(ctl_json_str(h, "hostname"));
	gpus_view_num(h, "cpu_pct", "%", cpu, sizeof(cpu));
	gpus_view_load(h, load, sizeof(load));
	gpus_view_bytes(h, "mem_available_kib", 1024, avail, sizeof(avail));
	gpus_view_bytes(h, "mem_total_kib", 1024, total, sizeof(total));
	fprintf(fp, "host%s%s: cpu %s, load %s, memory %s available of %s",
	    *host != '\0' ? " " : "", host, cpu, load, avail, total);
	if (!cJSON_IsArray(disks = cJSON_GetObjectItemCaseSensitive(h,
	    "disks")))
		disks = NULL;
	cJSON_ArrayForEach(d, disks) {
		name = ctl_fmt_clean(ctl_json_str(d, "name"));
		gpus_view_bytes(d, "free_bytes", 1, free_, sizeof(free_));
		fprintf(fp, "%s %s %s", first ? ", free:" : ",",
		    *name != '\0' ? name : "-", free_);
		first = 0;
		free(name);
	}
	fprintf(fp, "\n");
	free(host);
}

/* gpus_view_procs - the corral processes table */
static void
gpus_view_procs(FILE *fp, const cJSON *procs)
{
	struct table	*t;
	const cJSON	*p;
	const char	*name;
	char		 buf[GPUS_VIEW_LEN];

	t = table_new(gpus_view_proc_cols, sizeof(gpus_view_proc_cols) /
	    sizeof(gpus_view_proc_cols[0]));
	cJSON_ArrayForEach(p, procs) {
		table_row(t);
		name = ctl_json_str(p, "name");
		table_cell(t, "%s", name != NULL ? name : "-");
		table_cell(t, "%s", gpus_view_num(p, "pid", "", buf,
		    sizeof(buf)));
		table_cell(t, "%s", gpus_view_bytes(p, "rss_kib", 1024, buf,
		    sizeof(buf)));
		table_cell(t, "%s", gpus_view_num(p, "cpu_pct", "%", buf,
		    sizeof(buf)));
	}
	table_print(t, fp);
	table_free(t);
}

/* gpus_view_print - the whole sample for people; -1 if not an object */
int
gpus_view_print(FILE *fp, const cJSON *s)
{
	const cJSON	*gpus, *host, *procs;

	if (!cJSON_IsObject(s))
		return (-1);
	gpus_view_source(fp, s);
	gpus = cJSON_GetObjectItemCaseSensitive(s, "gpus");
	if (cJSON_IsArray(gpus) && cJSON_GetArraySize(gpus) > 0)
		gpus_view_gpus(fp, gpus);
	host = cJSON_GetObjectItemCaseSensitive(s, "host");
	if (cJSON_IsObject(host)) {
		fprintf(fp, "\n");
		gpus_view_host(fp, host);
	}
	procs = cJSON_GetObjectItemCaseSensitive(s, "procs");
	if (cJSON_IsArray(procs) && cJSON_GetArraySize(procs) > 0) {
		fprintf(fp, "\n");
		gpus_view_procs(fp, procs);
	}
	return (0);
}
