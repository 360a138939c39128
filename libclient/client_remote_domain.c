/*
 * client_remote_domain: the remote driver's domain table: domain, node and
 * capability calls forwarded over RPC, and domain events.
 *
 * Each call fills the procedure's _args struct, runs the generated stub and
 * turns the _ret struct into the public API's results.  Everything the
 * daemon sends back is checked against what the caller asked for (list
 * lengths, map sizes, string lengths) before it is copied into the
 * caller's buffers; sizes the caller asks for are checked against the
 * protocol limits before anything is sent.  Domain handles travel as
 * remote_nonnull_domain (name, UUID, id): the daemon finds them by UUID.
 *
 * Events use the callback form (procedures 316/317 and the MESSAGEs 318
 * lifecycle / 319 reboot): one daemon registration per (event id, domain
 * filter), fanned out locally by the registry in client_event.c, exactly as
 * client_remote.c does for secrets.  MESSAGEs are decoded on the RPC reader
 * thread and delivered on the application's event loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_log.h"
#include "client_remote_priv.h"
#include "client_domain.h"
#include "remote_client.h"

#define MV_FROM_THIS VIR_FROM_REMOTE

MV_LOG_INIT("client.remote.domain");

static rpcClient *
remoteClientOf(virConnectPtr conn)
{
    return remoteGetPriv(conn)->client;
}

static virDomainPtr
remoteDomainFromWire(virConnectPtr conn, const remote_nonnull_domain *d)
{
    return mvGetDomain(conn, d->name, (const unsigned char *)d->uuid, d->id);
}

static void
remoteDomainToWire(virDomainPtr dom, remote_nonnull_domain *d)
{
    d->name = dom->name;
    memcpy(d->uuid, dom->uuid, VIR_UUID_BUFLEN);
    d->id = dom->id;
}

/* A copy of a 'char x<N>' string from the wire into @dst (@dstlen bytes,
 * NUL included).  The wire form may or may not carry the NUL. */
static int
remoteCopyCharArray(char *dst, size_t dstlen, const char *val, unsigned int len,
                    const char *what)
{
    g_autofree char *s = g_strndup(val ? val : "", len);

    if (strlen(s) >= dstlen) {
        mvReportError(VIR_ERR_RPC, "%s from the daemon is too long: %zu >= %zu bytes",
                      what, strlen(s), dstlen);
        return -1;
    }
    g_strlcpy(dst, s, dstlen);
    return 0;
}

/*----- Host -----*/

static char *
remoteConnectGetCapabilities(virConnectPtr conn)
{
    remote_connect_get_capabilities_ret ret;
    char *caps;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetCapabilities(remoteClientOf(conn), &ret) < 0)
        return NULL;
    caps = g_strdup(ret.capabilities);
    REMOTE_FREE(xdr_remote_connect_get_capabilities_ret, &ret);
    return caps;
}

static char *
remoteConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    remote_connect_get_sysinfo_args args = { .flags = flags };
    remote_connect_get_sysinfo_ret ret;
    char *info;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetSysinfo(remoteClientOf(conn), &args, &ret) < 0)
        return NULL;
    info = g_strdup(ret.sysinfo);
    REMOTE_FREE(xdr_remote_connect_get_sysinfo_ret, &ret);
    return info;
}

static int
remoteConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    remote_connect_get_max_vcpus_args args;
    remote_connect_get_max_vcpus_ret ret;
    char *typep = (char *)type;

    memset(&ret, 0, sizeof(ret));
    args.type = type ? &typep : NULL;
    if (remoteCallConnectGetMaxVcpus(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    return ret.max_vcpus;
}

static char *
remoteConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                   const char *arch, const char *machine,
                                   const char *virttype, unsigned int flags)
{
    remote_connect_get_domain_capabilities_args args;
    remote_connect_get_domain_capabilities_ret ret;
    char *e = (char *)emulatorbin, *a = (char *)arch, *m = (char *)machine;
    char *v = (char *)virttype;
    char *caps;

    args.emulatorbin = e ? &e : NULL;
    args.arch = a ? &a : NULL;
    args.machine = m ? &m : NULL;
    args.virttype = v ? &v : NULL;
    args.flags = flags;
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetDomainCapabilities(remoteClientOf(conn), &args, &ret) < 0)
        return NULL;
    caps = g_strdup(ret.capabilities);
    REMOTE_FREE(xdr_remote_connect_get_domain_capabilities_ret, &ret);
    return caps;
}

static int
remoteNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    remote_node_get_info_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetInfo(remoteClientOf(conn), &ret) < 0)
        return -1;
    memcpy(info->model, ret.model, sizeof(info->model));
    info->model[sizeof(info->model) - 1] = '\0';
    info->memory = ret.memory;
    info->cpus = ret.cpus;
    info->mhz = ret.mhz;
    info->nodes = ret.nodes;
    info->sockets = ret.sockets;
    info->cores = ret.cores;
    info->threads = ret.threads;
    return 0;
}

static int
remoteNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                             int startCell, int maxCells)
{
    remote_node_get_cells_free_memory_args args = {
        .startCell = startCell,
        .maxcells = maxCells,
    };
    remote_node_get_cells_free_memory_ret ret;
    unsigned int i;
    int n;

    if (maxCells > REMOTE_NODE_MAX_CELLS) {
        mvReportError(VIR_ERR_RPC, "too many NUMA cells: %d > %d",
                      maxCells, REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetCellsFreeMemory(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    if (ret.cells.cells_len > (unsigned int)maxCells) {
        REMOTE_FREE(xdr_remote_node_get_cells_free_memory_ret, &ret);
        mvReportError(VIR_ERR_RPC, "the daemon returned too many NUMA cells: %d > %d",
                      (int)ret.cells.cells_len, maxCells);
        return -1;
    }
    for (i = 0; i < ret.cells.cells_len; i++)
        freeMems[i] = ret.cells.cells_val[i];
    n = ret.cells.cells_len;
    REMOTE_FREE(xdr_remote_node_get_cells_free_memory_ret, &ret);
    return n;
}

static unsigned long long
remoteNodeGetFreeMemory(virConnectPtr conn)
{
    remote_node_get_free_memory_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetFreeMemory(remoteClientOf(conn), &ret) < 0)
        return 0;
    return ret.freeMem;
}

/* Copies a stats list (CPU or memory: same layout) into the caller's
 * fixed-size field array, following the nparams rule. */
#define REMOTE_COPY_STATS(ret, params, nparams, fieldlen) \
    do { \
        unsigned int _i; \
        if (*(nparams) == 0) { \
            *(nparams) = (ret).nparams; \
            break; \
        } \
        if ((ret).params.params_len > (unsigned int)*(nparams)) { \
            mvReportError(VIR_ERR_RPC, "the daemon returned too many statistics: %u > %d", \
                          (ret).params.params_len, *(nparams)); \
            _rc = -1; \
            break; \
        } \
        for (_i = 0; _i < (ret).params.params_len; _i++) { \
            if (g_strlcpy((params)[_i].field, (ret).params.params_val[_i].field, \
                          (fieldlen)) >= (fieldlen)) { \
                mvReportError(VIR_ERR_RPC, "statistic name '%s' is too long", \
                              (ret).params.params_val[_i].field); \
                _rc = -1; \
                break; \
            } \
            (params)[_i].value = (ret).params.params_val[_i].value; \
        } \
        if (_rc == 0) \
            *(nparams) = (ret).params.params_len; \
    } while (0)

static int
remoteNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                      int *nparams, unsigned int flags)
{
    remote_node_get_cpu_stats_args args = {
        .cpuNum = cpuNum,
        .nparams = *nparams,
        .flags = flags,
    };
    remote_node_get_cpu_stats_ret ret;
    int _rc = 0;

    if (*nparams > REMOTE_NODE_CPU_STATS_MAX) {
        mvReportError(VIR_ERR_RPC, "too many CPU statistics asked for: %d > %d",
                      *nparams, REMOTE_NODE_CPU_STATS_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetCPUStats(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    REMOTE_COPY_STATS(ret, params, nparams, VIR_NODE_CPU_STATS_FIELD_LENGTH);
    REMOTE_FREE(xdr_remote_node_get_cpu_stats_ret, &ret);
    return _rc;
}

static int
remoteNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                         int *nparams, unsigned int flags)
{
    remote_node_get_memory_stats_args args = {
        .nparams = *nparams,
        .cellNum = cellNum,
        .flags = flags,
    };
    remote_node_get_memory_stats_ret ret;
    int _rc = 0;

    if (*nparams > REMOTE_NODE_MEMORY_STATS_MAX) {
        mvReportError(VIR_ERR_RPC, "too many memory statistics asked for: %d > %d",
                      *nparams, REMOTE_NODE_MEMORY_STATS_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetMemoryStats(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    REMOTE_COPY_STATS(ret, params, nparams, VIR_NODE_MEMORY_STATS_FIELD_LENGTH);
    REMOTE_FREE(xdr_remote_node_get_memory_stats_ret, &ret);
    return _rc;
}

static int
remoteNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                    unsigned int flags)
{
    remote_node_get_cpu_map_args args = {
        .need_map = cpumap != NULL,
        .need_online = online != NULL,
        .flags = flags,
    };
    remote_node_get_cpu_map_ret ret;
    int n;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetCPUMap(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    if (ret.ret < 0) {
        REMOTE_FREE(xdr_remote_node_get_cpu_map_ret, &ret);
        mvReportError(VIR_ERR_RPC, "the daemon returned a negative CPU count: %d", ret.ret);
        return -1;
    }
    if (cpumap)
        *cpumap = g_memdup2(ret.cpumap.cpumap_val ? ret.cpumap.cpumap_val : "",
                            ret.cpumap.cpumap_len ? ret.cpumap.cpumap_len : 1);
    if (online)
        *online = ret.online;
    n = ret.ret;
    REMOTE_FREE(xdr_remote_node_get_cpu_map_ret, &ret);
    return n;
}

static int
remoteNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    remote_node_get_security_model_ret ret;
    int rc = 0;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallNodeGetSecurityModel(remoteClientOf(conn), &ret) < 0)
        return -1;
    if (remoteCopyCharArray(secmodel->model, sizeof(secmodel->model), ret.model.model_val,
                            ret.model.model_len, "security model") < 0 ||
        remoteCopyCharArray(secmodel->doi, sizeof(secmodel->doi), ret.doi.doi_val,
                            ret.doi.doi_len, "security DOI") < 0)
        rc = -1;
    REMOTE_FREE(xdr_remote_node_get_security_model_ret, &ret);
    return rc;
}

static char *
remoteConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                               const char *domainXml, unsigned int flags)
{
    remote_connect_domain_xml_to_native_args args = {
        .nativeFormat = (char *)nativeFormat,
        .domainXml = (char *)domainXml,
        .flags = flags,
    };
    remote_connect_domain_xml_to_native_ret ret;
    char *out;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectDomainXMLToNative(remoteClientOf(conn), &args, &ret) < 0)
        return NULL;
    out = g_strdup(ret.nativeConfig);
    REMOTE_FREE(xdr_remote_connect_domain_xml_to_native_ret, &ret);
    return out;
}

static char *
remoteConnectDomainXMLFromNative(virConnectPtr conn, const char *nativeFormat,
                                 const char *nativeConfig, unsigned int flags)
{
    remote_connect_domain_xml_from_native_args args = {
        .nativeFormat = (char *)nativeFormat,
        .nativeConfig = (char *)nativeConfig,
        .flags = flags,
    };
    remote_connect_domain_xml_from_native_ret ret;
    char *out;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectDomainXMLFromNative(remoteClientOf(conn), &args, &ret) < 0)
        return NULL;
    out = g_strdup(ret.domainXml);
    REMOTE_FREE(xdr_remote_connect_domain_xml_from_native_ret, &ret);
    return out;
}

/*----- Listing and lookup -----*/

static int
remoteConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    remote_connect_list_domains_args args = { .maxids = maxids };
    remote_connect_list_domains_ret ret;
    unsigned int i;
    int n;

    if (maxids > REMOTE_DOMAIN_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many remote domain IDs: %d > %d",
                      maxids, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListDomains(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    if (ret.ids.ids_len > (unsigned int)maxids) {
        REMOTE_FREE(xdr_remote_connect_list_domains_ret, &ret);
        mvReportError(VIR_ERR_RPC, "too many remote domain IDs: %u > %d",
                      ret.ids.ids_len, maxids);
        return -1;
    }
    for (i = 0; i < ret.ids.ids_len; i++)
        ids[i] = ret.ids.ids_val[i];
    n = ret.ids.ids_len;
    REMOTE_FREE(xdr_remote_connect_list_domains_ret, &ret);
    return n;
}

static int
remoteConnectNumOfDomains(virConnectPtr conn)
{
    remote_connect_num_of_domains_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectNumOfDomains(remoteClientOf(conn), &ret) < 0)
        return -1;
    return ret.num;
}

static int
remoteConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    remote_connect_list_defined_domains_args args = { .maxnames = maxnames };
    remote_connect_list_defined_domains_ret ret;
    unsigned int i;
    int n;

    if (maxnames > REMOTE_DOMAIN_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many remote domain names: %d > %d",
                      maxnames, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListDefinedDomains(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    if (ret.names.names_len > (unsigned int)maxnames) {
        REMOTE_FREE(xdr_remote_connect_list_defined_domains_ret, &ret);
        mvReportError(VIR_ERR_RPC, "too many remote domain names: %u > %d",
                      ret.names.names_len, maxnames);
        return -1;
    }
    for (i = 0; i < ret.names.names_len; i++)
        names[i] = g_strdup(ret.names.names_val[i]);
    n = ret.names.names_len;
    REMOTE_FREE(xdr_remote_connect_list_defined_domains_ret, &ret);
    return n;
}

static int
remoteConnectNumOfDefinedDomains(virConnectPtr conn)
{
    remote_connect_num_of_defined_domains_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectNumOfDefinedDomains(remoteClientOf(conn), &ret) < 0)
        return -1;
    return ret.num;
}

static int
remoteConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    remote_connect_list_all_domains_args args = {
        .need_results = domains != NULL,
        .flags = flags,
    };
    remote_connect_list_all_domains_ret ret;
    unsigned int i;
    int count;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListAllDomains(remoteClientOf(conn), &args, &ret) < 0)
        return -1;
    if (domains) {
        virDomainPtr *list = g_new0(virDomainPtr, ret.domains.domains_len + 1);
        for (i = 0; i < ret.domains.domains_len; i++)
            list[i] = remoteDomainFromWire(conn, &ret.domains.domains_val[i]);
        *domains = list;
    }
    count = ret.ret;
    REMOTE_FREE(xdr_remote_connect_list_all_domains_ret, &ret);
    return count;
}

/* The lookups and the define/create calls that answer with a handle. */
#define REMOTE_RETURN_DOMAIN(conn, call, retfn, ret) \
    do { \
        virDomainPtr _dom; \
        memset(&(ret), 0, sizeof(ret)); \
        if ((call) < 0) \
            return NULL; \
        _dom = remoteDomainFromWire(conn, &(ret).dom); \
        REMOTE_FREE(retfn, &(ret)); \
        return _dom; \
    } while (0)

static virDomainPtr
remoteDomainLookupByID(virConnectPtr conn, int id)
{
    remote_domain_lookup_by_id_args args = { .id = id };
    remote_domain_lookup_by_id_ret ret;

    REMOTE_RETURN_DOMAIN(conn, remoteCallDomainLookupByID(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_lookup_by_id_ret, ret);
}

static virDomainPtr
remoteDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_domain_lookup_by_uuid_args args;
    remote_domain_lookup_by_uuid_ret ret;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    REMOTE_RETURN_DOMAIN(conn,
                         remoteCallDomainLookupByUUID(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_lookup_by_uuid_ret, ret);
}

static virDomainPtr
remoteDomainLookupByName(virConnectPtr conn, const char *name)
{
    remote_domain_lookup_by_name_args args = { .name = (char *)name };
    remote_domain_lookup_by_name_ret ret;

    REMOTE_RETURN_DOMAIN(conn,
                         remoteCallDomainLookupByName(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_lookup_by_name_ret, ret);
}

/*----- Definition and lifecycle -----*/

static virDomainPtr
remoteDomainDefineXML(virConnectPtr conn, const char *xml)
{
    remote_domain_define_xml_args args = { .xml = (char *)xml };
    remote_domain_define_xml_ret ret;

    REMOTE_RETURN_DOMAIN(conn, remoteCallDomainDefineXML(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_define_xml_ret, ret);
}

static virDomainPtr
remoteDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_domain_define_xml_flags_args args = { .xml = (char *)xml, .flags = flags };
    remote_domain_define_xml_flags_ret ret;

    REMOTE_RETURN_DOMAIN(conn,
                         remoteCallDomainDefineXMLFlags(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_define_xml_flags_ret, ret);
}

static virDomainPtr
remoteDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    remote_domain_create_xml_args args = { .xml_desc = (char *)xmlDesc, .flags = flags };
    remote_domain_create_xml_ret ret;

    REMOTE_RETURN_DOMAIN(conn, remoteCallDomainCreateXML(remoteClientOf(conn), &args, &ret),
                         xdr_remote_domain_create_xml_ret, ret);
}

/* Calls whose args are just the handle (and maybe flags) and whose reply is
 * empty: fills args.dom and runs the stub. */
#define REMOTE_DOM_CALL(argtype, stub, domain, ...) \
    do { \
        argtype args = { __VA_ARGS__ }; \
        remoteDomainToWire(domain, &args.dom); \
        return stub(remoteClientOf((domain)->conn), &args); \
    } while (0)

static int
remoteDomainUndefine(virDomainPtr domain)
{
    REMOTE_DOM_CALL(remote_domain_undefine_args, remoteCallDomainUndefine, domain, 0);
}

static int
remoteDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    REMOTE_DOM_CALL(remote_domain_undefine_flags_args, remoteCallDomainUndefineFlags, domain,
                    .flags = flags);
}

/* Like libvirt's client: DOMAIN_CREATE answers nothing, so the handle's id
 * is refreshed with a lookup by UUID. */
static int
remoteDomainCreate(virDomainPtr domain)
{
    remote_domain_create_args args;
    remote_domain_lookup_by_uuid_args largs;
    remote_domain_lookup_by_uuid_ret lret;
    rpcClient *client = remoteClientOf(domain->conn);

    memset(&args, 0, sizeof(args));
    remoteDomainToWire(domain, &args.dom);
    if (remoteCallDomainCreate(client, &args) < 0)
        return -1;
    memcpy(largs.uuid, domain->uuid, VIR_UUID_BUFLEN);
    memset(&lret, 0, sizeof(lret));
    if (remoteCallDomainLookupByUUID(client, &largs, &lret) < 0)
        return -1;
    domain->id = lret.dom.id;
    REMOTE_FREE(xdr_remote_domain_lookup_by_uuid_ret, &lret);
    return 0;
}

static int
remoteDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_create_with_flags_args args = { .flags = flags };
    remote_domain_create_with_flags_ret ret;

    remoteDomainToWire(domain, &args.dom);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallDomainCreateWithFlags(remoteClientOf(domain->conn), &args, &ret) < 0)
        return -1;
    domain->id = ret.dom.id;
    REMOTE_FREE(xdr_remote_domain_create_with_flags_ret, &ret);
    return 0;
}

/* After destroy the domain has no id any more; libvirt's client updates
 * the handle the same way. */
static int
remoteDomainDestroy(virDomainPtr domain)
{
    remote_domain_destroy_args args;

    memset(&args, 0, sizeof(args));
    remoteDomainToWire(domain, &args.dom);
    if (remoteCallDomainDestroy(remoteClientOf(domain->conn), &args) < 0)
        return -1;
    domain->id = -1;
    return 0;
}

static int
remoteDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_destroy_flags_args args = { .flags = flags };

    remoteDomainToWire(domain, &args.dom);
    if (remoteCallDomainDestroyFlags(remoteClientOf(domain->conn), &args) < 0)
        return -1;
    domain->id = -1;
    return 0;
}

static int
remoteDomainShutdown(virDomainPtr domain)
{
    REMOTE_DOM_CALL(remote_domain_shutdown_args, remoteCallDomainShutdown, domain, 0);
}

static int
remoteDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    REMOTE_DOM_CALL(remote_domain_shutdown_flags_args, remoteCallDomainShutdownFlags, domain,
                    .flags = flags);
}

static int
remoteDomainReboot(virDomainPtr domain, unsigned int flags)
{
    REMOTE_DOM_CALL(remote_domain_reboot_args, remoteCallDomainReboot, domain,
                    .flags = flags);
}

static int
remoteDomainReset(virDomainPtr domain, unsigned int flags)
{
    REMOTE_DOM_CALL(remote_domain_reset_args, remoteCallDomainReset, domain, .flags = flags);
}

static int
remoteDomainSuspend(virDomainPtr domain)
{
    REMOTE_DOM_CALL(remote_domain_suspend_args, remoteCallDomainSuspend, domain, 0);
}

static int
remoteDomainResume(virDomainPtr domain)
{
    REMOTE_DOM_CALL(remote_domain_resume_args, remoteCallDomainResume, domain, 0);
}

static int
remoteDomainSetAutostart(virDomainPtr domain, int autostart)
{
    REMOTE_DOM_CALL(remote_domain_set_autostart_args, remoteCallDomainSetAutostart, domain,
                    .autostart = autostart);
}

/*----- State and properties -----*/

/* Getters: args hold the handle (and maybe flags); @ret is filled. */
#define REMOTE_DOM_GET(argtype, stub, domain, ret, ...) \
    ({ \
        argtype _args = { __VA_ARGS__ }; \
        remoteDomainToWire(domain, &_args.dom); \
        memset(&(ret), 0, sizeof(ret)); \
        stub(remoteClientOf((domain)->conn), &_args, &(ret)); \
    })

static int
remoteDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    remote_domain_get_info_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_info_args, remoteCallDomainGetInfo, domain, ret,
                       0) < 0)
        return -1;
    info->state = ret.state;
    info->maxMem = ret.maxMem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nrVirtCpu;
    info->cpuTime = ret.cpuTime;
    return 0;
}

static int
remoteDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    remote_domain_get_state_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_state_args, remoteCallDomainGetState, domain, ret,
                       .flags = flags) < 0)
        return -1;
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}

static char *
remoteDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    remote_domain_get_xml_desc_ret ret;
    char *xml;

    if (REMOTE_DOM_GET(remote_domain_get_xml_desc_args, remoteCallDomainGetXMLDesc, domain,
                       ret, .flags = flags) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    REMOTE_FREE(xdr_remote_domain_get_xml_desc_ret, &ret);
    return xml;
}

static int
remoteDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    remote_domain_get_autostart_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_autostart_args, remoteCallDomainGetAutostart,
                       domain, ret, 0) < 0)
        return -1;
    *autostart = ret.autostart;
    return 0;
}

static char *
remoteDomainGetOSType(virDomainPtr domain)
{
    remote_domain_get_os_type_ret ret;
    char *type;

    if (REMOTE_DOM_GET(remote_domain_get_os_type_args, remoteCallDomainGetOsType, domain,
                       ret, 0) < 0)
        return NULL;
    type = g_strdup(ret.type);
    REMOTE_FREE(xdr_remote_domain_get_os_type_ret, &ret);
    return type;
}

static unsigned long
remoteDomainGetMaxMemory(virDomainPtr domain)
{
    remote_domain_get_max_memory_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_max_memory_args, remoteCallDomainGetMaxMemory,
                       domain, ret, 0) < 0)
        return 0;
    return ret.memory;
}

static int
remoteDomainGetMaxVcpus(virDomainPtr domain)
{
    remote_domain_get_max_vcpus_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_max_vcpus_args, remoteCallDomainGetMaxVcpus,
                       domain, ret, 0) < 0)
        return -1;
    return ret.num;
}

static int
remoteDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                     unsigned char *cpumaps, int maplen)
{
    remote_domain_get_vcpus_ret ret;
    unsigned int i;
    int n = -1;

    if (maxinfo > REMOTE_VCPUINFO_MAX) {
        mvReportError(VIR_ERR_RPC, "vCPU count exceeds maximum: %d > %d",
                      maxinfo, REMOTE_VCPUINFO_MAX);
        return -1;
    }
    if ((long long)maxinfo * maplen > REMOTE_CPUMAPS_MAX) {
        mvReportError(VIR_ERR_RPC, "vCPU map buffer length exceeds maximum: %lld > %d",
                      (long long)maxinfo * maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    if (REMOTE_DOM_GET(remote_domain_get_vcpus_args, remoteCallDomainGetVcpus, domain, ret,
                       .maxinfo = maxinfo, .maplen = maplen) < 0)
        return -1;
    if (ret.info.info_len > (unsigned int)maxinfo) {
        mvReportError(VIR_ERR_RPC, "host reports too many vCPUs: %u > %d",
                      ret.info.info_len, maxinfo);
        goto done;
    }
    if (ret.cpumaps.cpumaps_len > (unsigned int)(maxinfo * maplen)) {
        mvReportError(VIR_ERR_RPC, "host reports map buffer length exceeds maximum: %u > %d",
                      ret.cpumaps.cpumaps_len, maxinfo * maplen);
        goto done;
    }
    memset(info, 0, sizeof(*info) * maxinfo);
    for (i = 0; i < ret.info.info_len; i++) {
        info[i].number = ret.info.info_val[i].number;
        info[i].state = ret.info.info_val[i].state;
        info[i].cpuTime = ret.info.info_val[i].cpu_time;
        info[i].cpu = ret.info.info_val[i].cpu;
    }
    if (cpumaps) {
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
        memcpy(cpumaps, ret.cpumaps.cpumaps_val, ret.cpumaps.cpumaps_len);
    }
    n = ret.info.info_len;

 done:
    REMOTE_FREE(xdr_remote_domain_get_vcpus_ret, &ret);
    return n;
}

static int
remoteDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_get_vcpus_flags_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_vcpus_flags_args, remoteCallDomainGetVcpusFlags,
                       domain, ret, .flags = flags) < 0)
        return -1;
    return ret.num;
}

static int
remoteDomainGetVcpuPinInfo(virDomainPtr domain, int ncpumaps, unsigned char *cpumaps,
                           int maplen, unsigned int flags)
{
    remote_domain_get_vcpu_pin_info_ret ret;
    int n = -1;

    if (ncpumaps > REMOTE_VCPUINFO_MAX) {
        mvReportError(VIR_ERR_RPC, "vCPU count exceeds maximum: %d > %d",
                      ncpumaps, REMOTE_VCPUINFO_MAX);
        return -1;
    }
    if ((long long)ncpumaps * maplen > REMOTE_CPUMAPS_MAX) {
        mvReportError(VIR_ERR_RPC, "vCPU map buffer length exceeds maximum: %lld > %d",
                      (long long)ncpumaps * maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    if (REMOTE_DOM_GET(remote_domain_get_vcpu_pin_info_args, remoteCallDomainGetVcpuPinInfo,
                       domain, ret, .ncpumaps = ncpumaps, .maplen = maplen,
                       .flags = flags) < 0)
        return -1;
    if (ret.num > ncpumaps || ret.num < 0) {
        mvReportError(VIR_ERR_RPC, "host reports too many vCPUs: %d > %d",
                      ret.num, ncpumaps);
        goto done;
    }
    if (ret.cpumaps.cpumaps_len > (unsigned int)(ncpumaps * maplen)) {
        mvReportError(VIR_ERR_RPC, "host reports map buffer length exceeds maximum: %u > %d",
                      ret.cpumaps.cpumaps_len, ncpumaps * maplen);
        goto done;
    }
    memset(cpumaps, 0, (size_t)ncpumaps * maplen);
    memcpy(cpumaps, ret.cpumaps.cpumaps_val, ret.cpumaps.cpumaps_len);
    n = ret.num;

 done:
    REMOTE_FREE(xdr_remote_domain_get_vcpu_pin_info_ret, &ret);
    return n;
}

static int
remoteDomainGetEmulatorPinInfo(virDomainPtr domain, unsigned char *cpumaps, int maplen,
                               unsigned int flags)
{
    remote_domain_get_emulator_pin_info_ret ret;
    int n = -1;

    if (maplen > REMOTE_CPUMAPS_MAX) {
        mvReportError(VIR_ERR_RPC, "map buffer length exceeds maximum: %d > %d",
                      maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    if (REMOTE_DOM_GET(remote_domain_get_emulator_pin_info_args,
                       remoteCallDomainGetEmulatorPinInfo, domain, ret, .maplen = maplen,
                       .flags = flags) < 0)
        return -1;
    if (ret.cpumaps.cpumaps_len > (unsigned int)maplen) {
        mvReportError(VIR_ERR_RPC, "host reports map buffer length exceeds maximum: %u > %d",
                      ret.cpumaps.cpumaps_len, maplen);
        goto done;
    }
    memset(cpumaps, 0, maplen);
    memcpy(cpumaps, ret.cpumaps.cpumaps_val, ret.cpumaps.cpumaps_len);
    n = ret.ret;

 done:
    REMOTE_FREE(xdr_remote_domain_get_emulator_pin_info_ret, &ret);
    return n;
}

static int
remoteDomainIsActive(virDomainPtr dom)
{
    remote_domain_is_active_ret ret;

    if (REMOTE_DOM_GET(remote_domain_is_active_args, remoteCallDomainIsActive, dom, ret,
                       0) < 0)
        return -1;
    return ret.active;
}

static int
remoteDomainIsPersistent(virDomainPtr dom)
{
    remote_domain_is_persistent_ret ret;

    if (REMOTE_DOM_GET(remote_domain_is_persistent_args, remoteCallDomainIsPersistent, dom,
                       ret, 0) < 0)
        return -1;
    return ret.persistent;
}

static int
remoteDomainIsUpdated(virDomainPtr dom)
{
    remote_domain_is_updated_ret ret;

    if (REMOTE_DOM_GET(remote_domain_is_updated_args, remoteCallDomainIsUpdated, dom, ret,
                       0) < 0)
        return -1;
    return ret.updated;
}

static int
remoteDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    remote_domain_has_managed_save_image_ret ret;

    if (REMOTE_DOM_GET(remote_domain_has_managed_save_image_args,
                       remoteCallDomainHasManagedSaveImage, dom, ret, .flags = flags) < 0)
        return -1;
    return ret.result;
}

static int
remoteDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    remote_domain_get_security_label_ret ret;
    int rc = 0;

    if (REMOTE_DOM_GET(remote_domain_get_security_label_args,
                       remoteCallDomainGetSecurityLabel, domain, ret, 0) < 0)
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    if (remoteCopyCharArray(seclabel->label, sizeof(seclabel->label), ret.label.label_val,
                            ret.label.label_len, "security label") < 0)
        rc = -1;
    seclabel->enforcing = ret.enforcing;
    REMOTE_FREE(xdr_remote_domain_get_security_label_ret, &ret);
    return rc;
}

static int
remoteDomainGetSecurityLabelList(virDomainPtr domain, virSecurityLabelPtr *seclabels)
{
    remote_domain_get_security_label_list_ret ret;
    g_autofree virSecurityLabel *list = NULL;
    unsigned int i;
    int n = -1;

    if (REMOTE_DOM_GET(remote_domain_get_security_label_list_args,
                       remoteCallDomainGetSecurityLabelList, domain, ret, 0) < 0)
        return -1;
    list = g_new0(virSecurityLabel, ret.labels.labels_len ? ret.labels.labels_len : 1);
    for (i = 0; i < ret.labels.labels_len; i++) {
        remote_domain_get_security_label_ret *l = &ret.labels.labels_val[i];

        if (remoteCopyCharArray(list[i].label, sizeof(list[i].label), l->label.label_val,
                                l->label.label_len, "security label") < 0)
            goto done;
        list[i].enforcing = l->enforcing;
    }
    *seclabels = g_steal_pointer(&list);
    n = ret.ret;

 done:
    REMOTE_FREE(xdr_remote_domain_get_security_label_list_ret, &ret);
    return n;
}

static int
remoteDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    remote_domain_get_messages_ret ret;
    char **list;
    unsigned int i;
    int n;

    if (REMOTE_DOM_GET(remote_domain_get_messages_args, remoteCallDomainGetMessages, domain,
                       ret, .flags = flags) < 0)
        return -1;
    list = g_new0(char *, ret.msgs.msgs_len + 1);
    for (i = 0; i < ret.msgs.msgs_len; i++)
        list[i] = g_strdup(ret.msgs.msgs_val[i]);
    *msgs = list;
    n = ret.msgs.msgs_len;
    REMOTE_FREE(xdr_remote_domain_get_messages_ret, &ret);
    return n;
}

static int
remoteDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                               unsigned int source, unsigned int flags)
{
    remote_domain_interface_addresses_ret ret;
    virDomainInterfacePtr *list;
    unsigned int n;

    if (REMOTE_DOM_GET(remote_domain_interface_addresses_args,
                       remoteCallDomainInterfaceAddresses, dom, ret,
                       .source = source, .flags = flags) < 0)
        return -1;
    n = ret.ifaces.ifaces_len;
    list = g_new0(virDomainInterfacePtr, n + 1);
    for (unsigned int i = 0; i < n; i++) {
        const remote_domain_interface *w = &ret.ifaces.ifaces_val[i];
        virDomainInterfacePtr iface = g_new0(virDomainInterface, 1);

        iface->name = g_strdup(w->name);
        iface->hwaddr = w->hwaddr ? g_strdup(*w->hwaddr) : NULL;
        iface->naddrs = w->addrs.addrs_len;
        iface->addrs = g_new0(virDomainIPAddress, iface->naddrs);
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            iface->addrs[j].type = w->addrs.addrs_val[j].type;
            iface->addrs[j].addr = g_strdup(w->addrs.addrs_val[j].addr);
            iface->addrs[j].prefix = w->addrs.addrs_val[j].prefix;
        }
        list[i] = iface;
    }
    *ifaces = list;
    REMOTE_FREE(xdr_remote_domain_interface_addresses_ret, &ret);
    return (int)n;
}

static char *
remoteDomainGetHostname(virDomainPtr domain, unsigned int flags)
{
    remote_domain_get_hostname_ret ret;
    char *name;

    if (REMOTE_DOM_GET(remote_domain_get_hostname_args, remoteCallDomainGetHostname, domain,
                       ret, .flags = flags) < 0)
        return NULL;
    name = g_strdup(ret.hostname);
    REMOTE_FREE(xdr_remote_domain_get_hostname_ret, &ret);
    return name;
}

static int
remoteDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info,
                           unsigned int flags)
{
    remote_domain_get_control_info_ret ret;

    if (REMOTE_DOM_GET(remote_domain_get_control_info_args, remoteCallDomainGetControlInfo,
                       domain, ret, .flags = flags) < 0)
        return -1;
    info->state = ret.state;
    info->details = ret.details;
    info->stateTime = ret.stateTime;
    return 0;
}

static char *
remoteDomainGetSchedulerType(virDomainPtr domain, int *nparams)
{
    remote_domain_get_scheduler_type_ret ret;
    char *type;

    if (REMOTE_DOM_GET(remote_domain_get_scheduler_type_args,
                       remoteCallDomainGetSchedulerType, domain, ret, 0) < 0)
        return NULL;
    if (nparams)
        *nparams = ret.nparams;
    type = g_strdup(ret.type);
    REMOTE_FREE(xdr_remote_domain_get_scheduler_type_ret, &ret);
    return type;
}

/*----- Events -----*/

/* Number of event ids the registry accepts (all of libvirt 9.0's). */
#define REMOTE_DOMAIN_EVENT_NIDS (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)

typedef struct {
    virConnectPtr conn;            /* holds a reference */
    int remoteID;
    virDomainPtr dom;
    int event;
    int detail;
} remoteDomainEvent;

static void
remoteDomainEventFree(gpointer data)
{
    remoteDomainEvent *ev = data;

    mvDomainUnref(ev->dom);
    mvConnectUnref(ev->conn);
    g_free(ev);
}

static void
remoteDomainEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque,
                          void *event)
{
    remoteDomainEvent *ev = event;

    switch (eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        ((virConnectDomainEventCallback)(void (*)(void))cb)(conn, ev->dom, ev->event,
                                                            ev->detail, cbopaque);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        ((virConnectDomainEventGenericCallback)(void (*)(void))cb)(conn, ev->dom, cbopaque);
        break;
    default:
        MV_DEBUG("no delivery for domain event id %d", eventID);
        break;
    }
}

static gboolean
remoteDomainEventDeliver(gpointer data)
{
    remoteDomainEvent *ev = data;
    remotePriv *priv = remoteGetPriv(ev->conn);

    if (priv && priv->domainEvents)
        mvObjectEventStateEmitRemote(priv->domainEvents, ev->remoteID,
                                     remoteDomainEventDispatch, ev);
    return G_SOURCE_REMOVE;
}

bool
remoteIsDomainEventProc(int proc)
{
    return proc == REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE ||
           proc == REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT;
}

void
remoteHandleDomainEvent(remotePriv *priv, rpcMessage *msg, GMainContext *ctx)
{
    int proc = msg->header.proc;
    remoteDomainEvent *ev;

    if (!mvConnectTryRef(priv->conn))
        return;
    ev = g_new0(remoteDomainEvent, 1);
    ev->conn = priv->conn;
    if (proc == REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE) {
        remote_domain_event_callback_lifecycle_msg m;

        memset(&m, 0, sizeof(m));
        if (rpcMessageDecodePayload(msg,
                                    REMOTE_XDR(xdr_remote_domain_event_callback_lifecycle_msg),
                                    &m) < 0)
            goto drop;
        ev->remoteID = m.callbackID;
        ev->dom = remoteDomainFromWire(priv->conn, &m.msg.dom);
        ev->event = m.msg.event;
        ev->detail = m.msg.detail;
        REMOTE_FREE(xdr_remote_domain_event_callback_lifecycle_msg, &m);
    } else {
        remote_domain_event_callback_reboot_msg m;

        memset(&m, 0, sizeof(m));
        if (rpcMessageDecodePayload(msg,
                                    REMOTE_XDR(xdr_remote_domain_event_callback_reboot_msg),
                                    &m) < 0)
            goto drop;
        ev->remoteID = m.callbackID;
        ev->dom = remoteDomainFromWire(priv->conn, &m.msg.dom);
        REMOTE_FREE(xdr_remote_domain_event_callback_reboot_msg, &m);
    }
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, remoteDomainEventDeliver, ev,
                               remoteDomainEventFree);
    return;

 drop:
    MV_DEBUG("cannot decode domain event proc %d: %s", proc, virGetLastErrorMessage());
    mvErrorReset();
    remoteDomainEventFree(ev);
}

static int
remoteConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                    virConnectDomainEventGenericCallback cb,
                                    void *opaque, virFreeCallback freecb)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = NULL;
    const unsigned char *filter = dom ? dom->uuid : NULL;
    int remoteID;
    int localID;

    if (!mvEventLoopContext()) {
        mvReportError(VIR_ERR_OPERATION_INVALID,
                      "no event loop is registered: call virEventRegisterDefaultImpl first");
        return -1;
    }
    locker = g_mutex_locker_new(&priv->lock);
    remoteID = mvObjectEventStateFindRemoteID(priv->domainEvents, conn, eventID, filter);
    if (remoteID < 0) {
        remote_connect_domain_event_callback_register_any_args args;
        remote_connect_domain_event_callback_register_any_ret ret;
        remote_nonnull_domain wire;

        memset(&args, 0, sizeof(args));
        memset(&ret, 0, sizeof(ret));
        args.eventID = eventID;
        if (dom) {
            remoteDomainToWire(dom, &wire);
            args.dom = &wire;
        }
        if (remoteCallConnectDomainEventCallbackRegisterAny(priv->client, &args, &ret) < 0)
            return -1;
        remoteID = ret.callbackID;
    }
    localID = mvObjectEventStateRegister(priv->domainEvents, conn, eventID,
                                         REMOTE_DOMAIN_EVENT_NIDS, filter, G_CALLBACK(cb),
                                         opaque, freecb);
    if (localID < 0)
        return -1;
    mvObjectEventStateSetRemoteID(priv->domainEvents, localID, remoteID);
    return localID;
}

static int
remoteConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&priv->lock);
    int shared = 0;
    int remoteID = mvObjectEventStateGetRemoteID(priv->domainEvents, conn, callbackID,
                                                 &shared);

    if (mvObjectEventStateDeregister(priv->domainEvents, conn, callbackID) < 0)
        return -1;
    if (remoteID >= 0 && shared == 1) {
        remote_connect_domain_event_callback_deregister_any_args args = {
            .callbackID = remoteID,
        };

        if (remoteCallConnectDomainEventCallbackDeregisterAny(priv->client, &args) < 0)
            return -1;
    }
    return 0;
}

const mvDomainDriver mvRemoteDomainDriver = {
    .connectGetCapabilities = remoteConnectGetCapabilities,
    .connectGetSysinfo = remoteConnectGetSysinfo,
    .connectGetMaxVcpus = remoteConnectGetMaxVcpus,
    .connectGetDomainCapabilities = remoteConnectGetDomainCapabilities,
    .nodeGetInfo = remoteNodeGetInfo,
    .nodeGetCellsFreeMemory = remoteNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = remoteNodeGetFreeMemory,
    .nodeGetCPUStats = remoteNodeGetCPUStats,
    .nodeGetMemoryStats = remoteNodeGetMemoryStats,
    .nodeGetCPUMap = remoteNodeGetCPUMap,
    .nodeGetSecurityModel = remoteNodeGetSecurityModel,
    .connectDomainXMLToNative = remoteConnectDomainXMLToNative,
    .connectDomainXMLFromNative = remoteConnectDomainXMLFromNative,
    .connectListDomains = remoteConnectListDomains,
    .connectNumOfDomains = remoteConnectNumOfDomains,
    .connectListDefinedDomains = remoteConnectListDefinedDomains,
    .connectNumOfDefinedDomains = remoteConnectNumOfDefinedDomains,
    .connectListAllDomains = remoteConnectListAllDomains,
    .domainLookupByID = remoteDomainLookupByID,
    .domainLookupByUUID = remoteDomainLookupByUUID,
    .domainLookupByName = remoteDomainLookupByName,
    .domainDefineXML = remoteDomainDefineXML,
    .domainDefineXMLFlags = remoteDomainDefineXMLFlags,
    .domainUndefine = remoteDomainUndefine,
    .domainUndefineFlags = remoteDomainUndefineFlags,
    .domainCreate = remoteDomainCreate,
    .domainCreateWithFlags = remoteDomainCreateWithFlags,
    .domainCreateXML = remoteDomainCreateXML,
    .domainDestroy = remoteDomainDestroy,
    .domainDestroyFlags = remoteDomainDestroyFlags,
    .domainShutdown = remoteDomainShutdown,
    .domainShutdownFlags = remoteDomainShutdownFlags,
    .domainReboot = remoteDomainReboot,
    .domainReset = remoteDomainReset,
    .domainSuspend = remoteDomainSuspend,
    .domainResume = remoteDomainResume,
    .domainSetAutostart = remoteDomainSetAutostart,
    .domainGetInfo = remoteDomainGetInfo,
    .domainGetState = remoteDomainGetState,
    .domainGetXMLDesc = remoteDomainGetXMLDesc,
    .domainGetAutostart = remoteDomainGetAutostart,
    .domainGetOSType = remoteDomainGetOSType,
    .domainGetMaxMemory = remoteDomainGetMaxMemory,
    .domainGetMaxVcpus = remoteDomainGetMaxVcpus,
    .domainGetVcpus = remoteDomainGetVcpus,
    .domainGetVcpusFlags = remoteDomainGetVcpusFlags,
    .domainGetVcpuPinInfo = remoteDomainGetVcpuPinInfo,
    .domainGetEmulatorPinInfo = remoteDomainGetEmulatorPinInfo,
    .domainIsActive = remoteDomainIsActive,
    .domainIsPersistent = remoteDomainIsPersistent,
    .domainIsUpdated = remoteDomainIsUpdated,
    .domainHasManagedSaveImage = remoteDomainHasManagedSaveImage,
    .domainGetSecurityLabel = remoteDomainGetSecurityLabel,
    .domainGetSecurityLabelList = remoteDomainGetSecurityLabelList,
    .domainGetMessages = remoteDomainGetMessages,
    .domainInterfaceAddresses = remoteDomainInterfaceAddresses,
    .domainGetHostname = remoteDomainGetHostname,
    .domainGetControlInfo = remoteDomainGetControlInfo,
    .domainGetSchedulerType = remoteDomainGetSchedulerType,
    .connectDomainEventRegisterAny = remoteConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = remoteConnectDomainEventDeregisterAny,
};
