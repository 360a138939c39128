/*
 * host_info: facts about the host machine read from /proc and /sys: CPU
 * count and topology, memory per NUMA cell, CPU and memory statistics, the
 * host CPU's vendor/model/features, caches, SMBIOS strings.  These answer
 * virNodeGetInfo, virNodeGetMemoryStats, virNodeGetCPUStats,
 * virNodeGetCellsFreeMemory, virNodeGetFreeMemory, virNodeGetCPUMap,
 * virConnectGetSysinfo and feed the <host> part of <capabilities>.
 *
 * Every path is read under an injectable root (mvHostInfoSetRoot), so tests
 * use a fake tree of files instead of the real machine.  Reads are bounded;
 * nothing is cached; safe from any thread once the root is set.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Prefix for every /proc and /sys path (NULL or "" for the real ones).
 * Not thread-safe against concurrent readers: set it before use. */
void mvHostInfoSetRoot(const char *prefix);

typedef struct {
    char model[32];             /* machine arch as uname says: "x86_64" */
    unsigned long long memoryKiB;
    unsigned int cpus, mhz, nodes, sockets, cores, threads;
} mvNodeInfo;

/* virNodeGetInfo.  Returns 0, or -1 with an error reported. */
int mvHostGetNodeInfo(mvNodeInfo *info);

/* virConnectGetSysinfo: a <sysinfo type='smbios'> document from
 * /sys/class/dmi/id.  Returns it, or NULL with VIR_ERR_CONFIG_UNSUPPORTED
 * when the host exposes no SMBIOS data. */
char *mvHostGetSysinfoXML(void);

/* virNodeGetCellsFreeMemory: free bytes of cells @startCell.. into
 * @freeMems (at most @maxCells).  Returns how many were filled, or -1 with
 * an error. */
int mvHostGetCellsFreeMemory(unsigned long long *freeMems, int startCell, int maxCells);

/* virNodeGetFreeMemory: free bytes over all cells; 0 on failure (reported). */
unsigned long long mvHostGetFreeMemory(void);

typedef struct {
    char field[80];
    unsigned long long value;
} mvHostStat;

/* virNodeGetMemoryStats: @cellNum -1 for the whole host (total, free,
 * buffers, cached) or one cell (total, free); KiB.  With *nparams == 0 only
 * the count is stored.  Returns 0, or -1 with an error. */
int mvHostGetMemoryStats(int cellNum, mvHostStat *params, int *nparams);

/* virNodeGetCPUStats: @cpuNum -1 for all CPUs; kernel, user, idle, iowait
 * in ns.  With *nparams == 0 only the count is stored.  Returns 0, or -1. */
int mvHostGetCPUStats(int cpuNum, mvHostStat *params, int *nparams);

/* virNodeGetCPUMap: a bitmap of online CPUs (caller frees, may be NULL)
 * and their count.  Returns the number of CPUs the map covers, or -1. */
int mvHostGetCPUMap(unsigned char **cpumap, unsigned int *online);

/* The host CPU from /proc/cpuinfo: vendor as libvirt names it ("Intel",
 * "AMD", ...), a CPU model name in libvirt/QEMU terms picked from the
 * feature flags (a rough guess, e.g. "Broadwell-IBRS"), and the flags
 * (GPtrArray of char*).  Any output may be NULL.  Returns 0, or -1. */
int mvHostGetHostCPU(char **vendor, char **model, GPtrArray **features);

typedef struct {
    bool hasSignature;
    unsigned int family, model, stepping;
    bool hasMicrocode;
    unsigned int microcode;
} mvHostCPUSignature;

/* Family/model/stepping/microcode of the first CPU.  Returns 0 or -1. */
int mvHostGetCPUSignature(mvHostCPUSignature *sig);

typedef struct {
    unsigned int id;
    unsigned int socketId, dieId, coreId;
    char *siblings;             /* "0,2" */
} mvHostCellCPU;

typedef struct {
    unsigned int id;
    unsigned long long memoryKiB;
    unsigned long long freeKiB;
    GArray *distances;          /* unsigned int, indexed by cell order */
    GArray *hugepages;          /* mvHostPages: size KiB + count */
    GPtrArray *cpus;            /* mvHostCellCPU* */
} mvHostCell;

typedef struct {
    unsigned int sizeKiB;
    unsigned long long count;
} mvHostPages;

void mvHostCellFree(mvHostCell *cell);

/* The NUMA cells (one pseudo cell when the host has no NUMA sysfs).
 * Returns a GPtrArray of mvHostCell*, or NULL with an error. */
GPtrArray *mvHostGetCells(void);

/* Huge page sizes the kernel offers, KiB, ascending (never NULL). */
GArray *mvHostGetHugePageSizes(void);

typedef struct {
    unsigned int id, level;
    char *type;                 /* both, code, data */
    unsigned long long size;
    char *unit;                 /* KiB, MiB, ... */
    char *cpus;
} mvHostCacheBank;

void mvHostCacheBankFree(mvHostCacheBank *bank);

/* Level-3 (and higher) caches, one per id.  Never NULL. */
GPtrArray *mvHostGetCacheBanks(void);

/* Whether /sys/kernel/iommu_groups has any group. */
bool mvHostHasIOMMU(void);

/* A stable host UUID: SMBIOS product_uuid when readable, else derived from
 * /etc/machine-id.  Returns 0 and fills @uuid (16 bytes), or -1 (no error
 * reported) when neither is available. */
int mvHostGetUUID(unsigned char *uuid);
