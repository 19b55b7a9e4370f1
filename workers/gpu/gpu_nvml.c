/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_nvml - NVIDIA's management library, loaded at run time
 * SYNOPSIS
 *	#include "gpu_nvml.h"
 * DESCRIPTION
 *	See gpu_nvml.h. Two tables drive this file. gpu_nvml_syms[] lists
 *	each entry point by its exported name and the member of struct
 *	gpu_nvml that holds it; a row whose member is already set is
 *	skipped, so a fallback (nvmlDeviceGetPowerManagementLimit after
 *	nvmlDeviceGetEnforcedPowerLimit, _v2 after _v3) is just a later
 *	row. gpu_nvml_readers[] lists the per-GPU reads, each a small
 *	function that makes one NVML call and sets the fields it covers;
 *	gpu_nvml_sample walks it for every GPU. A reader whose entry point
 *	the library lacks answers NVML_ERROR_FUNCTION_NOT_FOUND like any
 *	other failure: the field is unknown.
 *
 *	Units: NVML gives memory in bytes (we report MiB, rounded down as
 *	nvidia-smi does), power in mW (we report W), PCIe throughput in
 *	KB/s, clocks in MHz, the rest in percent and degrees C.
 * DIAGNOSTICS
 *	See gpu_nvml.h.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_host.h"
#include "gpu_nvml.h"
#include "log.h"
#include "xmalloc.h"

#define GPU_NVML_PROCS	256	/* processes asked for per GPU */
#define GPU_MIB		(1024.0 * 1024.0)

typedef void *gpu_nvml_dev;	/* nvmlDevice_t: an opaque pointer */

struct gpu_nvml {
	void		*dl;
	char		*proc;
	char		 driver[GPU_NVML_DRIVER_LEN];
	unsigned int	 warned[GPU_MAX]; /* bit per reader, logged */
	int		(*init)(void);
	int		(*shutdown)(void);
	const char	*(*error_string)(int);
	int		(*count)(unsigned int *);
	int		(*handle)(unsigned int, gpu_nvml_dev *);
	int		(*system_driver)(char *, unsigned int);
	int		(*name)(gpu_nvml_dev, char *, unsigned int);
	int		(*uuid)(gpu_nvml_dev, char *, unsigned int);
	int		(*utilization)(gpu_nvml_dev,
			    struct gpu_nvml_utilization *);
	int		(*memory)(gpu_nvml_dev, struct gpu_nvml_memory *);
	int		(*temperature)(gpu_nvml_dev, int, unsigned int *);
	int		(*power)(gpu_nvml_dev, unsigned int *);
	int		(*power_limit)(gpu_nvml_dev, unsigned int *);
	int		(*clock)(gpu_nvml_dev, int, unsigned int *);
	int		(*fan)(gpu_nvml_dev, unsigned int *);
	int		(*pcie)(gpu_nvml_dev, int, unsigned int *);
	int		(*procs)(gpu_nvml_dev, unsigned int *,
			    struct gpu_nvml_process *);
};

#define SYM(name, member, req) \
	{ name, offsetof(struct gpu_nvml, member), req }

static const struct {
	const char	*name;
	size_t		 off;
	int		 required;
} gpu_nvml_syms[] = {
	SYM("nvmlInit_v2", init, 1),
	SYM("nvmlShutdown", shutdown, 1),
	SYM("nvmlErrorString", error_string, 1),
	SYM("nvmlDeviceGetCount_v2", count, 1),
	SYM("nvmlDeviceGetHandleByIndex_v2", handle, 1),
	SYM("nvmlSystemGetDriverVersion", system_driver, 0),
	SYM("nvmlDeviceGetName", name, 0),
	SYM("nvmlDeviceGetUUID", uuid, 0),
	SYM("nvmlDeviceGetUtilizationRates", utilization, 0),
	SYM("nvmlDeviceGetMemoryInfo", memory, 0),
	SYM("nvmlDeviceGetTemperature", temperature, 0),
	SYM("nvmlDeviceGetPowerUsage", power, 0),
	SYM("nvmlDeviceGetEnforcedPowerLimit", power_limit, 0),
	SYM("nvmlDeviceGetPowerManagementLimit", power_limit, 0),
	SYM("nvmlDeviceGetClockInfo", clock, 0),
	SYM("nvmlDeviceGetFanSpeed", fan, 0),
	SYM("nvmlDeviceGetPcieThroughput", pcie, 0),
	SYM("nvmlDeviceGetComputeRunningProcesses_v3", procs, 0),
	SYM("nvmlDeviceGetComputeRunningProcesses_v2", procs, 0),
};

static int	gpu_nvml_read_util(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_memory(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_temp(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_power(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_limit(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_sm_clock(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_mem_clock(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_fan(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_pcie_tx(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_pcie_rx(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);
static int	gpu_nvml_read_procs(struct gpu_nvml *, gpu_nvml_dev,
		    struct gpu_dev *);

/* The per-GPU reads, in the order they are made. */
static const struct {
	const char	 *what;
	int		(*read)(struct gpu_nvml *, gpu_nvml_dev,
			    struct gpu_dev *);
} gpu_nvml_readers[] = {
	{ "utilization", gpu_nvml_read_util },
	{ "memory", gpu_nvml_read_memory },
	{ "temperature", gpu_nvml_read_temp },
	{ "power usage", gpu_nvml_read_power },
	{ "power limit", gpu_nvml_read_limit },
	{ "SM clock", gpu_nvml_read_sm_clock },
	{ "memory clock", gpu_nvml_read_mem_clock },
	{ "fan speed", gpu_nvml_read_fan },
	{ "PCIe TX throughput", gpu_nvml_read_pcie_tx },
	{ "PCIe RX throughput", gpu_nvml_read_pcie_rx },
	{ "compute processes", gpu_nvml_read_procs },
};

#define GPU_NVML_NREADERS \
	(sizeof(gpu_nvml_readers) / sizeof(gpu_nvml_readers[0]))

/* gpu_nvml_err - NVML's text for rc */
static const char *
gpu_nvml_err(const struct gpu_nvml *nv, int rc)
{
	const char	*s;

	if (rc == GPU_NVML_ERROR_FUNCTION_NOT_FOUND)
		return ("Function Not Found");
	if ((s = nv->error_string(rc)) == NULL)
		return ("unknown error");
	return (s);
}

/* gpu_nvml_resolve - look every entry point up; 0, or -1 with err */
static int
gpu_nvml_resolve(struct gpu_nvml *nv, const char *lib, char *err,
    size_t errlen)
{
	void	*sym, *slot;
	size_t	 i;

	for (i = 0; i < sizeof(gpu_nvml_syms) / sizeof(gpu_nvml_syms[0]);
	    i++) {
		slot = (char *)nv + gpu_nvml_syms[i].off;
		memcpy(&sym, slot, sizeof(sym));
		if (sym != NULL)	/* an earlier row filled it */
			continue;
		sym = dlsym(nv->dl, gpu_nvml_syms[i].name);
		if (sym == NULL && gpu_nvml_syms[i].required) {
			snprintf(err, errlen, "%s has no %s", lib,
			    gpu_nvml_syms[i].name);
			return (-1);
		}
		/* POSIX: a function pointer and void * share a
		 * representation; copy the bytes */
		memcpy(slot, &sym, sizeof(sym));
	}
	return (0);
}

/* gpu_nvml_open - dlopen lib, resolve, nvmlInit_v2; NULL with err */
struct gpu_nvml *
gpu_nvml_open(const char *lib, const char *proc, char *err, size_t errlen)
{
	struct gpu_nvml	*nv;
	const char	*e;
	int		 rc;

	if (lib == NULL)
		lib = GPU_NVML_DEFAULT_LIB;
	nv = xcalloc(1, sizeof(*nv));
	if ((nv->dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		snprintf(err, errlen, "%s", e != NULL ? e : lib);
		free(nv);
		return (NULL);
	}
	if (gpu_nvml_resolve(nv, lib, err, errlen) == -1) {
		dlclose(nv->dl);
		free(nv);
		return (NULL);
	}
	if ((rc = nv->init()) != GPU_NVML_SUCCESS) {
		snprintf(err, errlen, "nvmlInit_v2: %s", gpu_nvml_err(nv, rc));
		dlclose(nv->dl);
		free(nv);
		return (NULL);
	}
	if (nv->system_driver == NULL || nv->system_driver(nv->driver,
	    sizeof(nv->driver)) != GPU_NVML_SUCCESS)
		nv->driver[0] = '\0';
	nv->driver[sizeof(nv->driver) - 1] = '\0';
	nv->proc = xstrdup(proc);
	return (nv);
}

/* gpu_nvml_close - nvmlShutdown and dlclose; NULL is fine */
void
gpu_nvml_close(struct gpu_nvml *nv)
{
	if (nv == NULL)
		return;
	(void)nv->shutdown();
	dlclose(nv->dl);
	free(nv->proc);
	free(nv);
}

/* gpu_nvml_driver - the driver version, or NULL */
const char *
gpu_nvml_driver(const struct gpu_nvml *nv)
{
	return (nv->driver[0] != '\0' ? nv->driver : NULL);
}

/* gpu_nvml_read_util - GPU and memory utilization */
static int
gpu_nvml_read_util(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	struct gpu_nvml_utilization	u;
	int				rc;

	if (nv->utilization == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	if ((rc = nv->utilization(dev, &u)) == GPU_NVML_SUCCESS) {
		gpu_dev_set(d, GPU_F_UTIL_GPU, u.gpu);
		gpu_dev_set(d, GPU_F_UTIL_MEM, u.memory);
	}
	return (rc);
}

/* gpu_nvml_read_memory - frame buffer used and total, in MiB */
static int
gpu_nvml_read_memory(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	struct gpu_nvml_memory	m;
	int			rc;

	if (nv->memory == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	if ((rc = nv->memory(dev, &m)) == GPU_NVML_SUCCESS) {
		gpu_dev_set(d, GPU_F_MEM_USED, (double)(m.used >> 20));
		gpu_dev_set(d, GPU_F_MEM_TOTAL, (double)(m.total >> 20));
	}
	return (rc);
}

/* gpu_nvml_read_uint - after a call that gave rc and *v: f = *v * scale */
static int
gpu_nvml_read_uint(int rc, const unsigned int *v, double scale,
    struct gpu_dev *d, enum gpu_field f)
{
	if (rc == GPU_NVML_SUCCESS)
		gpu_dev_set(d, f, (double)*v * scale);
	return (rc);
}

/* gpu_nvml_read_temp - the GPU die's temperature */
static int
gpu_nvml_read_temp(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->temperature == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->temperature(dev, GPU_NVML_TEMPERATURE_GPU, &v);
	return (gpu_nvml_read_uint(rc, &v, 1, d, GPU_F_TEMP));
}

/* gpu_nvml_read_power - power draw, mW to W */
static int
gpu_nvml_read_power(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->power == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->power(dev, &v);
	return (gpu_nvml_read_uint(rc, &v, 0.001, d, GPU_F_POWER));
}

/* gpu_nvml_read_limit - the enforced power limit, mW to W */
static int
gpu_nvml_read_limit(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->power_limit == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->power_limit(dev, &v);
	return (gpu_nvml_read_uint(rc, &v, 0.001, d, GPU_F_POWER_LIMIT));
}

/* gpu_nvml_read_clock - one current clock, in MHz */
static int
gpu_nvml_read_clock(struct gpu_nvml *nv, gpu_nvml_dev dev, int type,
    struct gpu_dev *d, enum gpu_field f)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->clock == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->clock(dev, type, &v);
	return (gpu_nvml_read_uint(rc, &v, 1, d, f));
}

/* gpu_nvml_read_sm_clock - the SM clock */
static int
gpu_nvml_read_sm_clock(struct gpu_nvml *nv, gpu_nvml_dev dev,
    struct gpu_dev *d)
{
	return (gpu_nvml_read_clock(nv, dev, GPU_NVML_CLOCK_SM, d,
	    GPU_F_SM_CLOCK));
}

/* gpu_nvml_read_mem_clock - the memory clock */
static int
gpu_nvml_read_mem_clock(struct gpu_nvml *nv, gpu_nvml_dev dev,
    struct gpu_dev *d)
{
	return (gpu_nvml_read_clock(nv, dev, GPU_NVML_CLOCK_MEM, d,
	    GPU_F_MEM_CLOCK));
}

/* gpu_nvml_read_fan - the intended fan speed, in percent */
static int
gpu_nvml_read_fan(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->fan == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->fan(dev, &v);
	return (gpu_nvml_read_uint(rc, &v, 1, d, GPU_F_FAN));
}

/* gpu_nvml_read_pcie - one PCIe throughput counter, KB/s */
static int
gpu_nvml_read_pcie(struct gpu_nvml *nv, gpu_nvml_dev dev, int counter,
    struct gpu_dev *d, enum gpu_field f)
{
	unsigned int	v = 0;
	int		rc;

	if (nv->pcie == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	rc = nv->pcie(dev, counter, &v);
	return (gpu_nvml_read_uint(rc, &v, 1, d, f));
}

/* gpu_nvml_read_pcie_tx - bytes the GPU sent */
static int
gpu_nvml_read_pcie_tx(struct gpu_nvml *nv, gpu_nvml_dev dev,
    struct gpu_dev *d)
{
	return (gpu_nvml_read_pcie(nv, dev, GPU_NVML_PCIE_UTIL_TX_BYTES, d,
	    GPU_F_PCIE_TX));
}

/* gpu_nvml_read_pcie_rx - bytes the GPU received */
static int
gpu_nvml_read_pcie_rx(struct gpu_nvml *nv, gpu_nvml_dev dev,
    struct gpu_dev *d)
{
	return (gpu_nvml_read_pcie(nv, dev, GPU_NVML_PCIE_UTIL_RX_BYTES, d,
	    GPU_F_PCIE_RX));
}

/* gpu_nvml_read_procs - the compute processes and their memory */
static int
gpu_nvml_read_procs(struct gpu_nvml *nv, gpu_nvml_dev dev, struct gpu_dev *d)
{
	struct gpu_nvml_process	*p;
	struct gpu_proc		*gp;
	unsigned int		 n = GPU_NVML_PROCS, i;
	int			 rc;

	if (nv->procs == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	p = xcalloc(GPU_NVML_PROCS, sizeof(*p));
	if ((rc = nv->procs(dev, &n, p)) == GPU_NVML_SUCCESS) {
		d->nprocs = 0;
		for (i = 0; i < n && i < GPU_NVML_PROCS &&
		    d->nprocs < GPU_PROCS_MAX; i++) {
			gp = &d->procs[d->nprocs++];
			gp->pid = p[i].pid;
			if (gpu_host_comm(nv->proc, p[i].pid, gp->name,
			    sizeof(gp->name)) == -1)
				gp->name[0] = '\0';
			gp->used_known = p[i].used_gpu_memory !=
			    GPU_NVML_VALUE_NOT_AVAILABLE;
			gp->used_mib = gp->used_known ?
			    (double)(p[i].used_gpu_memory >> 20) : 0;
		}
	}
	free(p);
	return (rc);
}

/* gpu_nvml_text - one string call (name, UUID) into buf */
static int
gpu_nvml_text(int (*fn)(gpu_nvml_dev, char *, unsigned int), gpu_nvml_dev dev,
    char *buf, size_t len)
{
	int	rc;

	buf[0] = '\0';
	if (fn == NULL)
		return (GPU_NVML_ERROR_FUNCTION_NOT_FOUND);
	if ((rc = fn(dev, buf, (unsigned int)len)) != GPU_NVML_SUCCESS)
		buf[0] = '\0';
	buf[len - 1] = '\0';
	return (rc);
}

/* gpu_nvml_note - log a failed read once per GPU and reader */
static void
gpu_nvml_note(struct gpu_nvml *nv, unsigned int gpu, size_t reader, int rc)
{
	unsigned int	bit = 1u << reader;

	if (gpu >= GPU_MAX || (nv->warned[gpu] & bit))
		return;
	nv->warned[gpu] |= bit;
	log_debug("GPU %u: %s: %s (reported as null)", gpu,
	    reader < GPU_NVML_NREADERS ? gpu_nvml_readers[reader].what :
	    "name", gpu_nvml_err(nv, rc));
}

/* gpu_nvml_sample - read every GPU into devs; count, or -1 with reason */
int
gpu_nvml_sample(struct gpu_nvml *nv, struct gpu_dev *devs, int max,
    char *reason, size_t len)
{
	gpu_nvml_dev	 dev;
	struct gpu_dev	*d;
	unsigned int	 count, i;
	size_t		 k;
	int		 rc, n = 0;

	reason[0] = '\0';
	if ((rc = nv->count(&count)) != GPU_NVML_SUCCESS) {
		snprintf(reason, len, "nvmlDeviceGetCount: %s",
		    gpu_nvml_err(nv, rc));
		return (-1);
	}
	for (i = 0; i < count && n < max; i++) {
		if ((rc = nv->handle(i, &dev)) != GPU_NVML_SUCCESS) {
			if (reason[0] == '\0')
				snprintf(reason, len, "GPU %u: %s", i,
				    gpu_nvml_err(nv, rc));
			continue;
		}
		d = &devs[n++];
		gpu_dev_reset(d, (int)i);
		if ((rc = gpu_nvml_text(nv->name, dev, d->name,
		    sizeof(d->name))) != GPU_NVML_SUCCESS)
			gpu_nvml_note(nv, i, GPU_NVML_NREADERS, rc);
		(void)gpu_nvml_text(nv->uuid, dev, d->uuid, sizeof(d->uuid));
		for (k = 0; k < GPU_NVML_NREADERS; k++)
			if ((rc = gpu_nvml_readers[k].read(nv, dev, d)) !=
			    GPU_NVML_SUCCESS)
				gpu_nvml_note(nv, i, k, rc);
	}
	return (n);
}
