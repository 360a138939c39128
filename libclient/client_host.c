/*
 * client_host: the public node and capability calls of libvirt-host.h
 * (node facts and statistics, the capabilities and sysinfo documents, the
 * security model).
 *
 * Same shape as client_domain.c: reset the thread's error, check the
 * connection and the arguments with libvirt's wording, call the domain
 * table of the connection's driver (which carries the hypervisor's node
 * calls), dispatch the error on failure.  libvirt reports these checks
 * without an error domain (VIR_FROM_NONE).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_NONE

#define HOST_FAIL(conn, retval) \
    do { \
        mvDispatchError(conn); \
        return retval; \
    } while (0)

#define HOST_CHECK_CONN(conn, retval) \
    do { \
        virResetLastError(); \
        if (!(conn)) { \
            mvReportInvalidConn(MV_FROM_THIS, __func__); \
            HOST_FAIL(NULL, retval); \
        } \
    } while (0)

#define HOST_CHECK_NONNULL(conn, arg, retval) \
    do { \
        if (!(arg)) { \
            mvReportNonNullArg(MV_FROM_THIS, __func__, #arg); \
            HOST_FAIL(conn, retval); \
        } \
    } while (0)

#define HOST_CHECK_NONNEGATIVE(conn, arg, retval) \
    do { \
        if ((arg) < 0) { \
            mvReportNonNegativeArg(MV_FROM_THIS, __func__, #arg); \
            HOST_FAIL(conn, retval); \
        } \
    } while (0)

#define HOST_DRIVER_FN(conn, fn, retval) \
    ({ \
        const mvDomainDriver *_dd = (conn)->driver ? (conn)->driver->domainDriver : NULL; \
        if (!_dd || !_dd->fn) { \
            mvReportUnsupported(MV_FROM_THIS, __func__); \
            HOST_FAIL(conn, retval); \
        } \
        _dd->fn; \
    })

char *
virConnectGetCapabilities(virConnectPtr conn)
{
    char *ret;

    HOST_CHECK_CONN(conn, NULL);
    ret = HOST_DRIVER_FN(conn, connectGetCapabilities, NULL)(conn);
    if (!ret)
        HOST_FAIL(conn, NULL);
    return ret;
}

char *
virConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    char *ret;

    HOST_CHECK_CONN(conn, NULL);
    ret = HOST_DRIVER_FN(conn, connectGetSysinfo, NULL)(conn, flags);
    if (!ret)
        HOST_FAIL(conn, NULL);
    return ret;
}

int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    int ret;

    HOST_CHECK_CONN(conn, -1);
    ret = HOST_DRIVER_FN(conn, connectGetMaxVcpus, -1)(conn, type);
    if (ret < 0)
        HOST_FAIL(conn, -1);
    return ret;
}

int
virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    HOST_CHECK_CONN(conn, -1);
    HOST_CHECK_NONNULL(conn, info, -1);
    memset(info, 0, sizeof(*info));
    if (HOST_DRIVER_FN(conn, nodeGetInfo, -1)(conn, info) < 0)
        HOST_FAIL(conn, -1);
    return 0;
}

int
virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                          int startCell, int maxCells)
{
    int ret;

    HOST_CHECK_CONN(conn, -1);
    HOST_CHECK_NONNULL(conn, freeMems, -1);
    if (maxCells <= 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "maxCells in %s must be greater than zero", __func__);
        HOST_FAIL(conn, -1);
    }
    HOST_CHECK_NONNEGATIVE(conn, startCell, -1);
    ret = HOST_DRIVER_FN(conn, nodeGetCellsFreeMemory, -1)(conn, freeMems, startCell,
                                                          maxCells);
    if (ret < 0)
        HOST_FAIL(conn, -1);
    return ret;
}

unsigned long long
virNodeGetFreeMemory(virConnectPtr conn)
{
    unsigned long long ret;

    HOST_CHECK_CONN(conn, 0);
    ret = HOST_DRIVER_FN(conn, nodeGetFreeMemory, 0)(conn);
    if (ret == 0)
        HOST_FAIL(conn, 0);
    return ret;
}

/* The stats getters: *nparams 0 asks how many fields exist. */
#define HOST_CHECK_STATS(conn, which, allValue, params, nparams) \
    do { \
        HOST_CHECK_NONNULL(conn, nparams, -1); \
        HOST_CHECK_NONNEGATIVE(conn, *nparams, -1); \
        if ((which) < 0 && (which) != (allValue)) { \
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, \
                                   __LINE__, "%s in %s must be a valid number or %d", \
                                   #which, __func__, (allValue)); \
            HOST_FAIL(conn, -1); \
        } \
        if (*(nparams) > 0 && !(params)) { \
            mvReportNonNullArg(MV_FROM_THIS, __func__, #params); \
            HOST_FAIL(conn, -1); \
        } \
    } while (0)

int
virNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                   int *nparams, unsigned int flags)
{
    HOST_CHECK_CONN(conn, -1);
    HOST_CHECK_STATS(conn, cpuNum, VIR_NODE_CPU_STATS_ALL_CPUS, params, nparams);
    if (HOST_DRIVER_FN(conn, nodeGetCPUStats, -1)(conn, cpuNum, params, nparams, flags) < 0)
        HOST_FAIL(conn, -1);
    return 0;
}

int
virNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                      int *nparams, unsigned int flags)
{
    HOST_CHECK_CONN(conn, -1);
    HOST_CHECK_STATS(conn, cellNum, VIR_NODE_MEMORY_STATS_ALL_CELLS, params, nparams);
    if (HOST_DRIVER_FN(conn, nodeGetMemoryStats, -1)(conn, cellNum, params, nparams,
                                                     flags) < 0)
        HOST_FAIL(conn, -1);
    return 0;
}

int
virNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                 unsigned int flags)
{
    int ret;

    HOST_CHECK_CONN(conn, -1);
    ret = HOST_DRIVER_FN(conn, nodeGetCPUMap, -1)(conn, cpumap, online, flags);
    if (ret < 0)
        HOST_FAIL(conn, -1);
    return ret;
}

int
virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    HOST_CHECK_CONN(conn, -1);
    HOST_CHECK_NONNULL(conn, secmodel, -1);
    memset(secmodel, 0, sizeof(*secmodel));
    if (HOST_DRIVER_FN(conn, nodeGetSecurityModel, -1)(conn, secmodel) < 0)
        HOST_FAIL(conn, -1);
    return 0;
}
