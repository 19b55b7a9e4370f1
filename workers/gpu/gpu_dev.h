/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_dev.h - one GPU's reading, whichever source took it
 * SYNOPSIS
 *	void	gpu_dev_reset(struct gpu_dev *d, int index);
 *	void	gpu_dev_set(struct gpu_dev *d, enum gpu_field f, double v);
 *	int	gpu_dev_get(const struct gpu_dev *d, enum gpu_field f,
 *		    double *v);
 *	const char *gpu_field_name(enum gpu_field f);
 *	cJSON	*gpu_dev_json(const struct gpu_dev *d);
 *	void	gpu_json_num(cJSON *o, const char *key, int known, double v);
 *	const char *gpu_json_time(int64_t ms, char *buf, size_t len);
 * DESCRIPTION
 *	NVML (gpu_nvml.c) and nvidia-smi (gpu_smi.c) both fill a struct
 *	gpu_dev: the index, name and UUID, and one value per enum
 *	gpu_field in the units of the API (percent, MiB, degrees C, W, MHz,
 *	KB/s). A field the source could not read is unknown (its bit in
 *	has is clear) and comes out as JSON null; the others still count.
 *	nprocs is -1 when the source does not list processes.
 *
 *	gpu_dev_json builds one element of the "gpus" array of
 *	MSG_GPU_SAMPLE (docs/protocol.md). gpu_json_num adds a number or
 *	null; gpu_json_time prints a wall-clock time in ms as RFC 3339 UTC.
 */
#ifndef CORRAL_GPU_DEV_H
#define CORRAL_GPU_DEV_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define GPU_MAX		64	/* GPUs reported */
#define GPU_NAME_MAX	96	/* NVML_DEVICE_NAME_V2_BUFFER_SIZE */
#define GPU_UUID_MAX	96	/* NVML_DEVICE_UUID_V2_BUFFER_SIZE */
#define GPU_PROCS_MAX	32	/* processes listed per GPU */
#define GPU_COMM_MAX	32	/* a process name (comm is 16) */

enum gpu_field {
	GPU_F_UTIL_GPU,		/* util_gpu_pct */
	GPU_F_UTIL_MEM,		/* util_mem_pct */
	GPU_F_MEM_USED,		/* mem_used_mib */
	GPU_F_MEM_TOTAL,	/* mem_total_mib */
	GPU_F_TEMP,		/* temp_c */
	GPU_F_POWER,		/* power_w */
	GPU_F_POWER_LIMIT,	/* power_limit_w */
	GPU_F_SM_CLOCK,		/* sm_clock_mhz */
	GPU_F_MEM_CLOCK,	/* mem_clock_mhz */
	GPU_F_FAN,		/* fan_pct */
	GPU_F_PCIE_TX,		/* pcie_tx_kbps */
	GPU_F_PCIE_RX,		/* pcie_rx_kbps */
	GPU_NFIELDS
};

struct gpu_proc {
	unsigned int	pid;
	char		name[GPU_COMM_MAX];	/* "" if /proc does not say */
	double		used_mib;
	int		used_known;
};

struct gpu_dev {
	int		index;
	char		name[GPU_NAME_MAX];	/* "" if unknown */
	char		uuid[GPU_UUID_MAX];	/* "" if unknown */
	double		v[GPU_NFIELDS];
	unsigned int	has;			/* bit f: v[f] is known */
	int		nprocs;			/* -1: not listed */
	struct gpu_proc	procs[GPU_PROCS_MAX];
};

/* gpu_dev_reset - index, no name, every field unknown, no process list */
void		 gpu_dev_reset(struct gpu_dev *d, int index);

/* gpu_dev_set - field f is known and is v */
void		 gpu_dev_set(struct gpu_dev *d, enum gpu_field f, double v);

/* gpu_dev_get - 1 and *v if field f is known, else 0 */
int		 gpu_dev_get(const struct gpu_dev *d, enum gpu_field f,
		    double *v);

/* gpu_field_name - the JSON key of field f */
const char	*gpu_field_name(enum gpu_field f);

/* gpu_dev_json - the object of one GPU in MSG_GPU_SAMPLE; caller owns it */
cJSON		*gpu_dev_json(const struct gpu_dev *d);

/* gpu_json_num - add key: v, or key: null if !known */
void		 gpu_json_num(cJSON *o, const char *key, int known, double v);

/* gpu_json_time - ms since the epoch as "YYYY-MM-DDTHH:MM:SSZ" in buf */
const char	*gpu_json_time(int64_t ms, char *buf, size_t len);

#endif
