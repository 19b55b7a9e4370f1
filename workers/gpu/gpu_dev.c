/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_dev - one GPU's reading and its JSON
 * SYNOPSIS
 *	#include "gpu_dev.h"
 * DESCRIPTION
 *	gpu_field_keys[] names each enum gpu_field once, in the order of
 *	the enum: the JSON keys of docs/protocol.md. Everything that prints
 *	a GPU walks that table, so a field added to the enum and the table
 *	shows up in MSG_GPU_SAMPLE without further code.
 * DIAGNOSTICS
 *	None: out of memory in cJSON leaves a member out, as everywhere.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gpu_dev.h"

static const char *const gpu_field_keys[GPU_NFIELDS] = {
	[GPU_F_UTIL_GPU] = "util_gpu_pct",
	[GPU_F_UTIL_MEM] = "util_mem_pct",
	[GPU_F_MEM_USED] = "mem_used_mib",
	[GPU_F_MEM_TOTAL] = "mem_total_mib",
	[GPU_F_TEMP] = "temp_c",
	[GPU_F_POWER] = "power_w",
	[GPU_F_POWER_LIMIT] = "power_limit_w",
	[GPU_F_SM_CLOCK] = "sm_clock_mhz",
	[GPU_F_MEM_CLOCK] = "mem_clock_mhz",
	[GPU_F_FAN] = "fan_pct",
	[GPU_F_PCIE_TX] = "pcie_tx_kbps",
	[GPU_F_PCIE_RX] = "pcie_rx_kbps",
};

/* gpu_dev_reset - index, no name, every field unknown, no process list */
void
gpu_dev_reset(struct gpu_dev *d, int index)
{
	memset(d, 0, sizeof(*d));
	d->index = index;
	d->nprocs = -1;
}

/* gpu_dev_set - field f is known and is v */
void
gpu_dev_set(struct gpu_dev *d, enum gpu_field f, double v)
{
	d->v[f] = v;
	d->has |= 1u << f;
}

/* gpu_dev_get - 1 and *v if field f is known, else 0 */
int
gpu_dev_get(const struct gpu_dev *d, enum gpu_field f, double *v)
{
	if (!(d->has & (1u << f)))
		return (0);
	*v = d->v[f];
	return (1);
}

/* gpu_field_name - the JSON key of field f */
const char *
gpu_field_name(enum gpu_field f)
{
	return (gpu_field_keys[f]);
}

/* gpu_json_num - add key: v, or key: null if !known */
void
gpu_json_num(cJSON *o, const char *key, int known, double v)
{
	if (known)
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* gpu_json_str - add key: s, or key: null if s is empty */
static void
gpu_json_str(cJSON *o, const char *key, const char *s)
{
	if (s[0] != '\0')
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* gpu_json_time - ms since the epoch as "YYYY-MM-DDTHH:MM:SSZ" in buf */
const char *
gpu_json_time(int64_t ms, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return (buf);
}

/* gpu_procs_json - the "processes" array of d ([] if not listed) */
static cJSON *
gpu_procs_json(const struct gpu_dev *d)
{
	const struct gpu_proc	*p;
	cJSON			*a, *o;
	int			 i;

	a = cJSON_CreateArray();
	for (i = 0; i < d->nprocs; i++) {
		p = &d->procs[i];
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "pid", p->pid);
		cJSON_AddStringToObject(o, "name", p->name[0] != '\0' ?
		    p->name : "unknown");
		gpu_json_num(o, "used_mib", p->used_known, p->used_mib);
		cJSON_AddItemToArray(a, o);
	}
	return (a);
}

/* gpu_dev_json - the object of one GPU in MSG_GPU_SAMPLE; caller owns it */
cJSON *
gpu_dev_json(const struct gpu_dev *d)
{
	cJSON	*o;
	double	 v = 0;
	int	 f, known;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", d->index);
	gpu_json_str(o, "name", d->name);
	gpu_json_str(o, "uuid", d->uuid);
	for (f = 0; f < GPU_NFIELDS; f++) {
		known = gpu_dev_get(d, f, &v);	/* before v is passed */
		gpu_json_num(o, gpu_field_keys[f], known, v);
	}
	cJSON_AddItemToObject(o, "processes", gpu_procs_json(d));
	return (o);
}
