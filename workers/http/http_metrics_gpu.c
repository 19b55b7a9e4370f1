/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_gpu - the GPU and host families of /metrics
 * SYNOPSIS
 *	#include "http_metrics_gpu.h"
 * DESCRIPTION
 *	http_metrics_gpu_render() turns one MSG_GPU_SAMPLE reply of the gpu
 *	worker into metric families. The GPU families carry the names,
 *	units and labels of NVIDIA's dcgm-exporter, so dashboards and
 *	alerts written for it work unchanged:
 *
 *	  DCGM_FI_DEV_GPU_UTIL		util_gpu_pct		%
 *	  DCGM_FI_DEV_MEM_COPY_UTIL	util_mem_pct		%
 *	  DCGM_FI_DEV_FB_USED		mem_used_mib		MiB
 *	  DCGM_FI_DEV_FB_FREE		mem_total_mib - used	MiB
 *	  DCGM_FI_DEV_GPU_TEMP		temp_c			C
 *	  DCGM_FI_DEV_POWER_USAGE	power_w			W
 *	  DCGM_FI_DEV_POWER_MGMT_LIMIT	power_limit_w		W
 *	  DCGM_FI_DEV_SM_CLOCK		sm_clock_mhz		MHz
 *	  DCGM_FI_DEV_MEM_CLOCK		mem_clock_mhz		MHz
 *	  DCGM_FI_DEV_FAN_SPEED		fan_pct			%
 *
 *	all gauges, as in dcgm-exporter's counters files, each labelled
 *	gpu (the index), UUID, device ("nvidia" and the index), modelName
 *	and Hostname (the host's name from the sample). A field the sample
 *	gives as null (the driver does not support it, or it failed on
 *	this GPU) leaves that series out for that GPU, and a family no GPU
 *	has a value for is left out whole. PCIe throughput is not exported
 *	under a DCGM name: dcgm-exporter's PCIe fields are byte counters,
 *	the sample has a rate.
 *
 *	corral's own families from the sample:
 *
 *	  corral_gpu_sampler_source{source}		1 (nvml, nvidia-smi,
 *							none)
 *	  corral_gpu_sample_duration_seconds		the last sample
 *	  corral_host_cpu_percent			busy, all CPUs
 *	  corral_host_load1, _load5, _load15		load averages
 *	  corral_host_memory_available_bytes, _total_bytes
 *	  corral_disk_free_bytes{root}, corral_disk_total_bytes{root}
 *	  corral_process_resident_bytes{process}	RSS of each corral
 *	  corral_process_cpu_percent{process}		process
 * DIAGNOSTICS
 *	None: members of the wrong type count as null.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http_metrics_gpu.h"
#include "http_prom.h"

#define HTTP_METRICS_GPU_FB_FREE	NULL	/* computed, not a member */

/* one DCGM family: its name, the sample member, its help */
static const struct http_metrics_gpu_field {
	const char	*name;
	const char	*key;		/* NULL: framebuffer free */
	const char	*help;
} http_metrics_gpu_fields[] = {
	{ "DCGM_FI_DEV_SM_CLOCK", "sm_clock_mhz",
	    "Current SM clock of the GPU, in MHz." },
	{ "DCGM_FI_DEV_MEM_CLOCK", "mem_clock_mhz",
	    "Current memory clock of the GPU, in MHz." },
	{ "DCGM_FI_DEV_GPU_TEMP", "temp_c",
	    "GPU core temperature, in degrees C." },
	{ "DCGM_FI_DEV_POWER_USAGE", "power_w",
	    "Power the GPU draws now, in W." },
	{ "DCGM_FI_DEV_POWER_MGMT_LIMIT", "power_limit_w",
	    "Power limit the driver holds the GPU to, in W." },
	{ "DCGM_FI_DEV_GPU_UTIL", "util_gpu_pct",
	    "Share of the last sample period a kernel ran on the GPU, in %." },
	{ "DCGM_FI_DEV_MEM_COPY_UTIL", "util_mem_pct",
	    "Share of the last sample period device memory was read or "
	    "written, in %." },
	{ "DCGM_FI_DEV_FB_USED", "mem_used_mib",
	    "Framebuffer (device) memory in use, in MiB." },
	{ "DCGM_FI_DEV_FB_FREE", HTTP_METRICS_GPU_FB_FREE,
	    "Framebuffer (device) memory not in use, in MiB." },
	{ "DCGM_FI_DEV_FAN_SPEED", "fan_pct",
	    "Fan speed the driver asks for, in % of the maximum." },
};

/* a gauge from a member of the sample: name, member, scale, help */
struct http_metrics_gpu_gauge {
	const char	*name;
	const char	*key;
	double		 scale;
	const char	*help;
};

/* of "host" */
static const struct http_metrics_gpu_gauge http_metrics_gpu_hosts[] = {
	{ "corral_host_cpu_percent", "cpu_pct", 1,
	    "CPU time spent busy over the last sample period, all CPUs, "
	    "in %." },
	{ "corral_host_load1", "load1", 1,
	    "Load average over 1 minute." },
	{ "corral_host_load5", "load5", 1,
	    "Load average over 5 minutes." },
	{ "corral_host_load15", "load15", 1,
	    "Load average over 15 minutes." },
	{ "corral_host_memory_available_bytes", "mem_available_kib", 1024,
	    "Memory available to new work without swapping, in bytes." },
	{ "corral_host_memory_total_bytes", "mem_total_kib", 1024,
	    "Memory of the host, in bytes." },
};

/* of each element of "host"."disks", labelled root */
static const struct http_metrics_gpu_gauge http_metrics_gpu_disks[] = {
	{ "corral_disk_free_bytes", "free_bytes", 1,
	    "Bytes free to corral on the file system of a root." },
	{ "corral_disk_total_bytes", "total_bytes", 1,
	    "Size of the file system of a root, in bytes." },
};

/* of each element of "procs", labelled process */
static const struct http_metrics_gpu_gauge http_metrics_gpu_procs[] = {
	{ "corral_process_resident_bytes", "rss_kib", 1024,
	    "Resident memory of a corral process, in bytes." },
	{ "corral_process_cpu_percent", "cpu_pct", 1,
	    "CPU time a corral process used over the last sample period, "
	    "in % of one CPU." },
};

#define HTTP_METRICS_GPU_N(a)	(sizeof(a) / sizeof((a)[0]))

/* http_metrics_gpu_num - a number member: 1 and *v, or 0 (null, absent) */
static int
http_metrics_gpu_num(const cJSON *o, const char *key, double *v)
{
	const cJSON	*n = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(n))
		return (0);
	*v = n->valuedouble;
	return (1);
}

/* http_metrics_gpu_str - a string member, or "" */
static const char *
http_metrics_gpu_str(const cJSON *o, const char *key)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(s) ? s->valuestring : "");
}

/* http_metrics_gpu_value - the value of field f for one GPU; 0 if null */
static int
http_metrics_gpu_value(const struct http_metrics_gpu_field *f,
    const cJSON *gpu, double *v)
{
	double	used, total;

	if (f->key != HTTP_METRICS_GPU_FB_FREE)
		return (http_metrics_gpu_num(gpu, f->key, v));
	if (!http_metrics_gpu_num(gpu, "mem_used_mib", &used) ||
	    !http_metrics_gpu_num(gpu, "mem_total_mib", &total))
		return (0);
	*v = total >= used ? total - used : 0;
	return (1);
}

/* http_metrics_gpu_labels - dcgm-exporter's labels of one GPU; 0 if none */
static int
http_metrics_gpu_labels(struct http_prom_labels *l, const cJSON *gpu,
    const char *hostname)
{
	char	dev[48];
	double	index;

	if (!http_metrics_gpu_num(gpu, "index", &index) || index < 0 ||
	    index > 1e6)
		return (0);
	snprintf(dev, sizeof(dev), "nvidia%.0f", index);
	http_prom_labels_init(l);
	http_prom_label_num(l, "gpu", index);
	http_prom_label(l, "UUID", http_metrics_gpu_str(gpu, "uuid"));
	http_prom_label(l, "device", dev);
	http_prom_label(l, "modelName", http_metrics_gpu_str(gpu, "name"));
	http_prom_label(l, "Hostname", hostname);
	return (1);
}

/* http_metrics_gpu_dcgm - one family per field, one series per GPU */
static void
http_metrics_gpu_dcgm(struct http_prom *p, const cJSON *gpus,
    const char *hostname)
{
	const struct http_metrics_gpu_field	*f;
	struct http_prom_labels			 l;
	const cJSON				*g;
	size_t					 i;
	double					 v;
	int					 any;

	if (!cJSON_IsArray(gpus))
		return;
	for (i = 0; i < HTTP_METRICS_GPU_N(http_metrics_gpu_fields); i++) {
		f = &http_metrics_gpu_fields[i];
		any = 0;
		cJSON_ArrayForEach(g, gpus) {
			if (!http_metrics_gpu_value(f, g, &v) ||
			    !http_metrics_gpu_labels(&l, g, hostname))
				continue;
			if (!any)
				http_prom_family(p, f->name, "gauge", f->help);
			any = 1;
			http_prom_sample(p, "", &l, v);
		}
	}
}

/* http_metrics_gpu_host - the host gauges */
static void
http_metrics_gpu_host(struct http_prom *p, const cJSON *host)
{
	const struct http_metrics_gpu_gauge	*g;
	size_t					 i;
	double					 v;

	for (i = 0; i < HTTP_METRICS_GPU_N(http_metrics_gpu_hosts); i++) {
		g = &http_metrics_gpu_hosts[i];
		if (!http_metrics_gpu_num(host, g->key, &v))
			continue;
		http_prom_family(p, g->name, "gauge", g->help);
		http_prom_sample(p, "", NULL, v * g->scale);
	}
}

/* http_metrics_gpu_each - gauges per element of list, labelled by name */
static void
http_metrics_gpu_each(struct http_prom *p, const cJSON *list,
    const char *label, const struct http_metrics_gpu_gauge *gauges,
    size_t ngauges)
{
	struct http_prom_labels	 l;
	const cJSON		*e;
	const char		*name;
	size_t			 i, n;
	double			 v;

	for (i = 0; cJSON_IsArray(list) && i < ngauges; i++) {
		n = 0;
		cJSON_ArrayForEach(e, list) {
			name = http_metrics_gpu_str(e, "name");
			if (*name == '\0' ||
			    !http_metrics_gpu_num(e, gauges[i].key, &v))
				continue;
			if (n++ == 0)
				http_prom_family(p, gauges[i].name, "gauge",
				    gauges[i].help);
			http_prom_labels_init(&l);
			http_prom_label(&l, label, name);
			http_prom_sample(p, "", &l, v * gauges[i].scale);
		}
	}
}

/* http_metrics_gpu_render - the GPU, host and process families */
void
http_metrics_gpu_render(struct http_prom *p, const cJSON *sample)
{
	struct http_prom_labels	 l;
	const cJSON		*host;
	const char		*src;
	double			 ms;

	if ((src = http_metrics_gpu_str(sample, "source"))[0] != '\0') {
		http_prom_family(p, "corral_gpu_sampler_source", "gauge",
		    "Always 1; where the gpu worker reads GPU data from "
		    "(nvml, nvidia-smi or none) in a label.");
		http_prom_labels_init(&l);
		http_prom_label(&l, "source", src);
		http_prom_sample(p, "", &l, 1);
	}
	if (http_metrics_gpu_num(sample, "sample_ms", &ms) && ms >= 0) {
		http_prom_family(p, "corral_gpu_sample_duration_seconds",
		    "gauge", "Time the last GPU and host sample took.");
		http_prom_sample(p, "", NULL, ms / 1000);
	}
	host = cJSON_GetObjectItemCaseSensitive(sample, "host");
	http_metrics_gpu_dcgm(p, cJSON_GetObjectItemCaseSensitive(sample,
	    "gpus"), http_metrics_gpu_str(host, "hostname"));
	if (cJSON_IsObject(host)) {
		http_metrics_gpu_host(p, host);
		http_metrics_gpu_each(p, cJSON_GetObjectItemCaseSensitive(host,
		    "disks"), "root", http_metrics_gpu_disks,
		    HTTP_METRICS_GPU_N(http_metrics_gpu_disks));
	}
	http_metrics_gpu_each(p, cJSON_GetObjectItemCaseSensitive(sample,
	    "procs"), "process", http_metrics_gpu_procs,
	    HTTP_METRICS_GPU_N(http_metrics_gpu_procs));
}
