/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fake_nvml - a stand-in for libnvidia-ml.so.1 in corral's tests
 * SYNOPSIS
 *	build/tests/libfake-nvml.so, build/tests/libfake-nvml-fail.so
 *	(CORRAL_NVML_LIBRARY=... or nvml_library = ...)
 * DESCRIPTION
 *	Exports the NVML entry points the gpu worker resolves, with the
 *	signatures of NVIDIA's NVML API reference, and answers with fixed
 *	values: two "NVIDIA A100-SXM4-40GB" boards.
 *
 *	    field		GPU 0			GPU 1
 *	    utilization		37 % / 12 %		0 % / 0 %
 *	    memory		1024 MiB of 40960 MiB	0 of 40960 MiB
 *	    temperature		41 C			35 C
 *	    power, limit	71234 mW, 400000 mW	55000 mW, 400000 mW
 *	    SM, mem clock	1410, 1215 MHz		210, 1215 MHz
 *	    fan			30 %			NVML_ERROR_NOT_SUPPORTED
 *	    PCIe TX, RX		1234, 5678 KB/s		0, 0 KB/s
 *	    processes		the caller, 512 MiB	none
 *
 *	GPU 0's memory used is 1024 MiB and 512 KiB, so a reader that does
 *	not round down to whole MiB as nvidia-smi does is caught. GPU 0's
 *	one compute process is the process that loaded the library, so its
 *	name can be checked from /proc. The fan of GPU 1 answers
 *	NVML_ERROR_NOT_SUPPORTED, as passively cooled boards do.
 *
 *	nvmlInit_v2 fails with NVML_ERROR_DRIVER_NOT_LOADED when built with
 *	-DFAKE_FAIL_INIT (libfake-nvml-fail.so, for the daemon whose
 *	environment the master scrubs) or when FAKE_NVML_FAIL_INIT=1 is in
 *	the environment (for the unit tests). Any call before nvmlInit_v2
 *	or after the last nvmlShutdown answers NVML_ERROR_UNINITIALIZED.
 *
 *	The declarations are our own; no NVIDIA header is used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NVML_SUCCESS			0
#define NVML_ERROR_UNINITIALIZED	1
#define NVML_ERROR_INVALID_ARGUMENT	2
#define NVML_ERROR_NOT_SUPPORTED	3
#define NVML_ERROR_INSUFFICIENT_SIZE	7
#define NVML_ERROR_DRIVER_NOT_LOADED	9

#define FAKE_NGPUS	2
#define FAKE_MIB	(1024ULL * 1024ULL)

struct fake_util {
	unsigned int	gpu, memory;
};

struct fake_memory {
	unsigned long long	total, free, used;
};

struct fake_process {
	unsigned int		pid;
	unsigned long long	used_gpu_memory;
	unsigned int		gpu_instance_id, compute_instance_id;
};

struct fake_gpu {
	const char		*uuid;
	struct fake_util	 util;
	unsigned long long	 mem_used;
	unsigned int		 temp, power_mw, sm_mhz, fan, tx, rx;
	int			 fan_rc;
	int			 nprocs;
};

static const struct fake_gpu fake_gpus[FAKE_NGPUS] = {
	{ "GPU-fa4e0000-0000-4000-8000-000000000000", { 37, 12 },
	    1024 * FAKE_MIB + 512 * 1024, 41, 71234, 1410, 30, 1234, 5678,
	    NVML_SUCCESS, 1 },
	{ "GPU-fa4e0000-0000-4000-8000-000000000001", { 0, 0 },
	    0, 35, 55000, 210, 0, 0, 0, NVML_ERROR_NOT_SUPPORTED, 0 },
};

static int	fake_inits;

/* What libnvidia-ml.so.1 exports, as far as corral uses it. */
int		 nvmlInit_v2(void);
int		 nvmlShutdown(void);
const char	*nvmlErrorString(int);
int		 nvmlSystemGetDriverVersion(char *, unsigned int);
int		 nvmlDeviceGetCount_v2(unsigned int *);
int		 nvmlDeviceGetHandleByIndex_v2(unsigned int, const void **);
int		 nvmlDeviceGetName(const void *, char *, unsigned int);
int		 nvmlDeviceGetUUID(const void *, char *, unsigned int);
int		 nvmlDeviceGetUtilizationRates(const void *, struct fake_util *);
int		 nvmlDeviceGetMemoryInfo(const void *, struct fake_memory *);
int		 nvmlDeviceGetTemperature(const void *, int, unsigned int *);
int		 nvmlDeviceGetPowerUsage(const void *, unsigned int *);
int		 nvmlDeviceGetEnforcedPowerLimit(const void *, unsigned int *);
int		 nvmlDeviceGetClockInfo(const void *, int, unsigned int *);
int		 nvmlDeviceGetFanSpeed(const void *, unsigned int *);
int		 nvmlDeviceGetPcieThroughput(const void *, int, unsigned int *);
int		 nvmlDeviceGetComputeRunningProcesses_v3(const void *,
		    unsigned int *, struct fake_process *);

/* fake_gpu - the GPU behind a handle, or NULL */
static const struct fake_gpu *
fake_gpu(const void *dev)
{
	int	i;

	for (i = 0; i < FAKE_NGPUS; i++)
		if (dev == &fake_gpus[i])
			return (&fake_gpus[i]);
	return (NULL);
}

/* fake_check - the code for a call on dev (NULL: no device involved) */
static int
fake_check(const void *dev, const void *out)
{
	if (fake_inits <= 0)
		return (NVML_ERROR_UNINITIALIZED);
	if ((dev != NULL && fake_gpu(dev) == NULL) || out == NULL)
		return (NVML_ERROR_INVALID_ARGUMENT);
	return (NVML_SUCCESS);
}

int
nvmlInit_v2(void)
{
	const char	*e = getenv("FAKE_NVML_FAIL_INIT");

#ifdef FAKE_FAIL_INIT
	e = "1";
#endif
	if (e != NULL && strcmp(e, "1") == 0)
		return (NVML_ERROR_DRIVER_NOT_LOADED);
	fake_inits++;
	return (NVML_SUCCESS);
}

int
nvmlShutdown(void)
{
	if (fake_inits <= 0)
		return (NVML_ERROR_UNINITIALIZED);
	fake_inits--;
	return (NVML_SUCCESS);
}

const char *
nvmlErrorString(int rc)
{
	switch (rc) {
	case NVML_SUCCESS:
		return ("Success");
	case NVML_ERROR_UNINITIALIZED:
		return ("Uninitialized");
	case NVML_ERROR_INVALID_ARGUMENT:
		return ("Invalid Argument");
	case NVML_ERROR_NOT_SUPPORTED:
		return ("Not Supported");
	case NVML_ERROR_INSUFFICIENT_SIZE:
		return ("Insufficient Size");
	case NVML_ERROR_DRIVER_NOT_LOADED:
		return ("Driver Not Loaded");
	}
	return ("Unknown Error");
}

/* fake_text - copy s into buf of len, NVML style */
static int
fake_text(const char *s, char *buf, unsigned int len)
{
	if (strlen(s) + 1 > len)
		return (NVML_ERROR_INSUFFICIENT_SIZE);
	memcpy(buf, s, strlen(s) + 1);
	return (NVML_SUCCESS);
}

int
nvmlSystemGetDriverVersion(char *buf, unsigned int len)
{
	int	rc;

	if ((rc = fake_check(NULL, buf)) != NVML_SUCCESS)
		return (rc);
	return (fake_text("535.129.03", buf, len));
}

int
nvmlDeviceGetCount_v2(unsigned int *n)
{
	int	rc;

	if ((rc = fake_check(NULL, n)) == NVML_SUCCESS)
		*n = FAKE_NGPUS;
	return (rc);
}

int
nvmlDeviceGetHandleByIndex_v2(unsigned int i, const void **dev)
{
	int	rc;

	if ((rc = fake_check(NULL, dev)) != NVML_SUCCESS)
		return (rc);
	if (i >= FAKE_NGPUS)
		return (NVML_ERROR_INVALID_ARGUMENT);
	*dev = &fake_gpus[i];
	return (NVML_SUCCESS);
}

int
nvmlDeviceGetName(const void *dev, char *buf, unsigned int len)
{
	int	rc;

	if ((rc = fake_check(dev, buf)) != NVML_SUCCESS)
		return (rc);
	return (fake_text("NVIDIA A100-SXM4-40GB", buf, len));
}

int
nvmlDeviceGetUUID(const void *dev, char *buf, unsigned int len)
{
	int	rc;

	if ((rc = fake_check(dev, buf)) != NVML_SUCCESS)
		return (rc);
	return (fake_text(fake_gpu(dev)->uuid, buf, len));
}

int
nvmlDeviceGetUtilizationRates(const void *dev, struct fake_util *u)
{
	int	rc;

	if ((rc = fake_check(dev, u)) == NVML_SUCCESS)
		*u = fake_gpu(dev)->util;
	return (rc);
}

int
nvmlDeviceGetMemoryInfo(const void *dev, struct fake_memory *m)
{
	int	rc;

	if ((rc = fake_check(dev, m)) == NVML_SUCCESS) {
		m->total = 40960 * FAKE_MIB;
		m->used = fake_gpu(dev)->mem_used;
		m->free = m->total - m->used;
	}
	return (rc);
}

int
nvmlDeviceGetTemperature(const void *dev, int sensor, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) != NVML_SUCCESS)
		return (rc);
	if (sensor != 0)		/* NVML_TEMPERATURE_GPU */
		return (NVML_ERROR_INVALID_ARGUMENT);
	*v = fake_gpu(dev)->temp;
	return (NVML_SUCCESS);
}

int
nvmlDeviceGetPowerUsage(const void *dev, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) == NVML_SUCCESS)
		*v = fake_gpu(dev)->power_mw;
	return (rc);
}

int
nvmlDeviceGetEnforcedPowerLimit(const void *dev, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) == NVML_SUCCESS)
		*v = 400000;
	return (rc);
}

int
nvmlDeviceGetClockInfo(const void *dev, int type, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) != NVML_SUCCESS)
		return (rc);
	switch (type) {
	case 1:				/* NVML_CLOCK_SM */
		*v = fake_gpu(dev)->sm_mhz;
		return (NVML_SUCCESS);
	case 2:				/* NVML_CLOCK_MEM */
		*v = 1215;
		return (NVML_SUCCESS);
	}
	return (NVML_ERROR_INVALID_ARGUMENT);
}

int
nvmlDeviceGetFanSpeed(const void *dev, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) != NVML_SUCCESS)
		return (rc);
	if (fake_gpu(dev)->fan_rc != NVML_SUCCESS)
		return (fake_gpu(dev)->fan_rc);
	*v = fake_gpu(dev)->fan;
	return (NVML_SUCCESS);
}

int
nvmlDeviceGetPcieThroughput(const void *dev, int counter, unsigned int *v)
{
	int	rc;

	if ((rc = fake_check(dev, v)) != NVML_SUCCESS)
		return (rc);
	switch (counter) {
	case 0:				/* NVML_PCIE_UTIL_TX_BYTES */
		*v = fake_gpu(dev)->tx;
		return (NVML_SUCCESS);
	case 1:				/* NVML_PCIE_UTIL_RX_BYTES */
		*v = fake_gpu(dev)->rx;
		return (NVML_SUCCESS);
	}
	return (NVML_ERROR_INVALID_ARGUMENT);
}

int
nvmlDeviceGetComputeRunningProcesses_v3(const void *dev, unsigned int *count,
    struct fake_process *infos)
{
	unsigned int	n;
	int		rc;

	if ((rc = fake_check(dev, count)) != NVML_SUCCESS)
		return (rc);
	n = (unsigned int)fake_gpu(dev)->nprocs;
	if (*count < n) {
		*count = n;
		return (NVML_ERROR_INSUFFICIENT_SIZE);
	}
	*count = n;
	if (n > 0) {
		if (infos == NULL)
			return (NVML_ERROR_INVALID_ARGUMENT);
		infos[0].pid = (unsigned int)getpid();
		infos[0].used_gpu_memory = 512 * FAKE_MIB;
		infos[0].gpu_instance_id = 0xffffffffu;
		infos[0].compute_instance_id = 0xffffffffu;
	}
	return (NVML_SUCCESS);
}
