/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_nvml.h - NVIDIA's management library, loaded at run time
 * SYNOPSIS
 *	struct gpu_nvml *gpu_nvml_open(const char *lib, const char *proc,
 *		    char *err, size_t errlen);
 *	int	gpu_nvml_sample(struct gpu_nvml *nv, struct gpu_dev *devs,
 *		    int max, char *reason, size_t len);
 *	const char *gpu_nvml_driver(const struct gpu_nvml *nv);
 *	void	gpu_nvml_close(struct gpu_nvml *nv);
 * DESCRIPTION
 *	corral never links against the driver: gpu_nvml_open dlopen()s lib
 *	(CORRAL_NVML_LIBRARY, else libnvidia-ml.so.1), resolves the entry
 *	points it uses by name and calls nvmlInit_v2. The gpu worker does
 *	this in its init, before the sandbox. The declarations below are
 *	our own, written from NVIDIA's NVML API reference: the return codes
 *	and enum values we use and the three structs we read, with their
 *	documented layouts. nvmlDevice_t is an opaque pointer.
 *
 *	Processes use one layout, nvmlProcessInfo_v2_t (pid, usedGpuMemory,
 *	gpuInstanceId, computeInstanceId: 24 bytes on LP64). NVML documents
 *	nvmlProcessInfo_t as that same struct, and both
 *	nvmlDeviceGetComputeRunningProcesses_v3 (R510 and later) and _v2
 *	take it; we call _v3 when the library has it, else _v2.
 *
 *	gpu_nvml_sample reads every GPU into devs (at most max) and returns
 *	how many. Each field is its own call: a call that fails (not
 *	supported on this board, no permission, ...) leaves that field
 *	unknown and the others still count. A GPU whose handle cannot be
 *	had is left out. reason gets "" or the first such failure;
 *	a failing nvmlDeviceGetCount_v2 returns -1 with reason set.
 *	Process names come from proc/PID/comm.
 *
 *	gpu_nvml_driver is the driver version (nvmlSystemGetDriverVersion)
 *	or NULL. gpu_nvml_close calls nvmlShutdown and dlclose()s.
 * DIAGNOSTICS
 *	gpu_nvml_open returns NULL with err saying why: the dlerror()
 *	text, a missing entry point, or "nvmlInit_v2: " and nvmlErrorString
 *	of the code. A field that fails is logged once per GPU at debug.
 */
#ifndef CORRAL_GPU_NVML_H
#define CORRAL_GPU_NVML_H

#include <stddef.h>

#include "gpu_dev.h"

#define GPU_NVML_DEFAULT_LIB	"libnvidia-ml.so.1"

/* nvmlReturn_t values we test for */
#define GPU_NVML_SUCCESS		0
#define GPU_NVML_ERROR_NOT_SUPPORTED	3
#define GPU_NVML_ERROR_INSUFFICIENT_SIZE 7
#define GPU_NVML_ERROR_FUNCTION_NOT_FOUND 13
/* nvmlTemperatureSensors_t */
#define GPU_NVML_TEMPERATURE_GPU	0
/* nvmlClockType_t */
#define GPU_NVML_CLOCK_SM		1
#define GPU_NVML_CLOCK_MEM		2
/* nvmlPcieUtilCounter_t */
#define GPU_NVML_PCIE_UTIL_TX_BYTES	0
#define GPU_NVML_PCIE_UTIL_RX_BYTES	1
/* usedGpuMemory when the driver cannot tell */
#define GPU_NVML_VALUE_NOT_AVAILABLE	(~0ULL)
/* buffer sizes (the _V2_ sizes, the largest) */
#define GPU_NVML_NAME_LEN		96
#define GPU_NVML_UUID_LEN		96
#define GPU_NVML_DRIVER_LEN		80

/* nvmlUtilization_t */
struct gpu_nvml_utilization {
	unsigned int	gpu;		/* percent */
	unsigned int	memory;		/* percent */
};

/* nvmlMemory_t (v1) */
struct gpu_nvml_memory {
	unsigned long long	total;	/* bytes */
	unsigned long long	free;
	unsigned long long	used;
};

/* nvmlProcessInfo_v2_t, a.k.a. nvmlProcessInfo_t */
struct gpu_nvml_process {
	unsigned int		pid;
	unsigned long long	used_gpu_memory;	/* bytes */
	unsigned int		gpu_instance_id;
	unsigned int		compute_instance_id;
};

struct gpu_nvml;

/* gpu_nvml_open - dlopen lib, resolve, nvmlInit_v2; NULL with err */
struct gpu_nvml	*gpu_nvml_open(const char *lib, const char *proc,
		    char *err, size_t errlen);

/* gpu_nvml_sample - read every GPU into devs; count, or -1 with reason */
int		 gpu_nvml_sample(struct gpu_nvml *nv, struct gpu_dev *devs,
		    int max, char *reason, size_t len);

/* gpu_nvml_driver - the driver version, or NULL */
const char	*gpu_nvml_driver(const struct gpu_nvml *nv);

/* gpu_nvml_close - nvmlShutdown and dlclose; NULL is fine */
void		 gpu_nvml_close(struct gpu_nvml *nv);

#endif
