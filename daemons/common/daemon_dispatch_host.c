/*
 * daemon_dispatch_host: the REMOTE program's host procedures: capabilities,
 * domain capabilities, node facts and statistics, the security model,
 * sysinfo, the maximum vCPU count and domain XML <-> native conversion.
 *
 * Each handler is one public API call on the client's own connection.  The
 * wire adds three things handled here: the "nparams" protocol of the node
 * statistics (a client that sends nparams 0 gets only the count), the fixed
 * char model[32] of NODE_GET_INFO, and the security model strings, which
 * travel as character arrays including their terminating NUL.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.dispatch.host");

int
remoteDispatchConnectGetCapabilities(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg, void *args,
                                     remote_connect_get_capabilities_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *caps;

    if (!conn || !(caps = virConnectGetCapabilities(conn)))
        return -1;
    ret->capabilities = caps;
    return 0;
}

int
remoteDispatchConnectGetDomainCapabilities(rpcServer *server, rpcServerClient *client,
                                           rpcMessage *msg,
                                           remote_connect_get_domain_capabilities_args *args,
                                           remote_connect_get_domain_capabilities_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *caps;

    if (!conn)
        return -1;
    caps = virConnectGetDomainCapabilities(conn,
                                           args->emulatorbin ? *args->emulatorbin : NULL,
                                           args->arch ? *args->arch : NULL,
                                           args->machine ? *args->machine : NULL,
                                           args->virttype ? *args->virttype : NULL,
                                           args->flags);
    if (!caps)
        return -1;
    ret->capabilities = caps;
    return 0;
}

int
remoteDispatchConnectGetSysinfo(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_connect_get_sysinfo_args *args,
                                remote_connect_get_sysinfo_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *sysinfo;

    if (!conn || !(sysinfo = virConnectGetSysinfo(conn, args->flags)))
        return -1;
    ret->sysinfo = sysinfo;
    return 0;
}

int
remoteDispatchConnectGetMaxVcpus(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_connect_get_max_vcpus_args *args,
                                 remote_connect_get_max_vcpus_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    int n;

    if (!conn || (n = virConnectGetMaxVcpus(conn, args->type ? *args->type : NULL)) < 0)
        return -1;
    ret->max_vcpus = n;
    return 0;
}

int
remoteDispatchNodeGetInfo(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          void *args, remote_node_get_info_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    virNodeInfo info;

    memset(&info, 0, sizeof(info));
    if (!conn || virNodeGetInfo(conn, &info) < 0)
        return -1;
    /* 32 chars, NUL-padded, one XDR word each */
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(info.model));
    info.model[sizeof(info.model) - 1] = '\0';
    memset(ret->model, 0, sizeof(ret->model));
    memcpy(ret->model, info.model, strlen(info.model));
    ret->memory = info.memory;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return 0;
}

int
remoteDispatchNodeGetFreeMemory(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                void *args, remote_node_get_free_memory_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    unsigned long long freeMem;

    if (!conn)
        return -1;
    /* 0 is the API's failure value, but a full host is not an error */
    freeMem = virNodeGetFreeMemory(conn);
    if (freeMem == 0 && mvErrorIsSet())
        return -1;
    ret->freeMem = freeMem;
    return 0;
}

int
remoteDispatchNodeGetCellsFreeMemory(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_node_get_cells_free_memory_args *args,
                                     remote_node_get_cells_free_memory_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    unsigned long long *cells;
    int n;

    if (!conn)
        return -1;
    if (args->maxcells < 0 || args->maxcells > REMOTE_NODE_MAX_CELLS) {
        mvReportError(VIR_ERR_RPC, "maxcells %d is outside 0 to REMOTE_NODE_MAX_CELLS (%d)",
                      args->maxcells, REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    cells = g_new0(unsigned long long, args->maxcells > 0 ? args->maxcells : 1);
    if ((n = virNodeGetCellsFreeMemory(conn, cells, args->startCell, args->maxcells)) < 0) {
        g_free(cells);
        return -1;
    }
    ret->cells.cells_len = n;
    ret->cells.cells_val = (void *)cells;
    return 0;
}

int
remoteDispatchNodeGetCPUStats(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_node_get_cpu_stats_args *args,
                              remote_node_get_cpu_stats_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    g_autofree virNodeCPUStats *params = NULL;
    int nparams = args->nparams;
    int i;

    if (!conn)
        return -1;
    if (nparams < 0 || nparams > REMOTE_NODE_CPU_STATS_MAX) {
        mvReportError(VIR_ERR_RPC, "nparams %d is outside 0 to REMOTE_NODE_CPU_STATS_MAX "
                      "(%d)", nparams, REMOTE_NODE_CPU_STATS_MAX);
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virNodeCPUStats, nparams);
    if (virNodeGetCPUStats(conn, args->cpuNum, params, &nparams, args->flags) < 0)
        return -1;
    ret->nparams = nparams;
    if (args->nparams == 0)
        return 0;   /* the client asked how many there are */
    if (nparams > args->nparams)
        nparams = args->nparams;
    ret->params.params_len = nparams;
    ret->params.params_val = g_new0(remote_node_get_cpu_stats, nparams > 0 ? nparams : 1);
    for (i = 0; i < nparams; i++) {
        ret->params.params_val[i].field = g_strndup(params[i].field,
                                                    sizeof(params[i].field) - 1);
        ret->params.params_val[i].value = params[i].value;
    }
    return 0;
}

int
remoteDispatchNodeGetMemoryStats(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_node_get_memory_stats_args *args,
                                 remote_node_get_memory_stats_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    g_autofree virNodeMemoryStats *params = NULL;
    int nparams = args->nparams;
    int i;

    if (!conn)
        return -1;
    if (nparams < 0 || nparams > REMOTE_NODE_MEMORY_STATS_MAX) {
        mvReportError(VIR_ERR_RPC, "nparams %d is outside 0 to "
                      "REMOTE_NODE_MEMORY_STATS_MAX (%d)", nparams,
                      REMOTE_NODE_MEMORY_STATS_MAX);
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virNodeMemoryStats, nparams);
    if (virNodeGetMemoryStats(conn, args->cellNum, params, &nparams, args->flags) < 0)
        return -1;
    ret->nparams = nparams;
    if (args->nparams == 0)
        return 0;   /* the client asked how many there are */
    if (nparams > args->nparams)
        nparams = args->nparams;
    ret->params.params_len = nparams;
    ret->params.params_val = g_new0(remote_node_get_memory_stats, nparams > 0 ? nparams : 1);
    for (i = 0; i < nparams; i++) {
        ret->params.params_val[i].field = g_strndup(params[i].field,
                                                    sizeof(params[i].field) - 1);
        ret->params.params_val[i].value = params[i].value;
    }
    return 0;
}

int
remoteDispatchNodeGetCPUMap(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_node_get_cpu_map_args *args,
                            remote_node_get_cpu_map_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    unsigned char *cpumap = NULL;
    unsigned int online = 0;
    int n;
    int maplen;

    if (!conn)
        return -1;
    n = virNodeGetCPUMap(conn, args->need_map ? &cpumap : NULL,
                         args->need_online ? &online : NULL, args->flags);
    if (n < 0)
        return -1;
    if (cpumap) {
        maplen = VIR_CPU_MAPLEN(n);
        if (maplen > REMOTE_CPUMAP_MAX) {
            g_free(cpumap);
            mvReportError(VIR_ERR_RPC, "a CPU map of %d bytes is larger than the wire "
                          "limit %d", maplen, REMOTE_CPUMAP_MAX);
            return -1;
        }
        ret->cpumap.cpumap_len = maplen;
        ret->cpumap.cpumap_val = (char *)cpumap;
    }
    ret->online = online;
    ret->ret = n;
    return 0;
}

/* @s as a char array with its terminating NUL. */
static void
daemonCharsToWire(const char *s, size_t max, u_int *len, char **val)
{
    size_t n = strnlen(s, max - 1);

    *len = n + 1;
    *val = g_new0(char, n + 1);
    memcpy(*val, s, n);
}

int
remoteDispatchNodeGetSecurityModel(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, void *args,
                                   remote_node_get_security_model_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    virSecurityModel model;

    memset(&model, 0, sizeof(model));
    if (!conn || virNodeGetSecurityModel(conn, &model) < 0)
        return -1;
    daemonCharsToWire(model.model, sizeof(model.model), &ret->model.model_len,
                      &ret->model.model_val);
    daemonCharsToWire(model.doi, sizeof(model.doi), &ret->doi.doi_len, &ret->doi.doi_val);
    return 0;
}

int
remoteDispatchConnectDomainXMLToNative(rpcServer *server, rpcServerClient *client,
                                       rpcMessage *msg,
                                       remote_connect_domain_xml_to_native_args *args,
                                       remote_connect_domain_xml_to_native_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *native;

    if (!conn || !(native = virConnectDomainXMLToNative(conn, args->nativeFormat,
                                                        args->domainXml, args->flags)))
        return -1;
    ret->nativeConfig = native;
    return 0;
}

int
remoteDispatchConnectDomainXMLFromNative(rpcServer *server, rpcServerClient *client,
                                         rpcMessage *msg,
                                         remote_connect_domain_xml_from_native_args *args,
                                         remote_connect_domain_xml_from_native_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *xml;

    if (!conn || !(xml = virConnectDomainXMLFromNative(conn, args->nativeFormat,
                                                       args->nativeConfig, args->flags)))
        return -1;
    ret->domainXml = xml;
    return 0;
}
