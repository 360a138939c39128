/*
 * daemon_dispatch_domain: the REMOTE program's domain procedures and domain
 * events (callback style 316-319, old style 105-107).
 *
 * Every handler turns the wire arguments into one public API call on the
 * client's own connection (domains are never forwarded: a daemon that has
 * no domain table answers through the public API's "not supported") and
 * the result into the wire reply.  Handles arrive as remote_nonnull_domain
 * and become virDomain objects without a lookup; the driver finds the
 * domain by UUID and reports VIR_ERR_NO_DOMAIN itself.  The public API
 * checks arguments, flags and read-only access; what is checked here is
 * only what the wire adds: list and buffer sizes against the protocol's
 * limits, before anything is allocated.
 *
 * Events: a client registration becomes a registration on its connection
 * whose callback sends a MESSAGE carrying the id returned to the client
 * (318 lifecycle, 319 reboot).  Event ids this protocol has no message for
 * are accepted (virsh event --all registers every id) and never sent.  The
 * old-style registration (105) sends 107 messages without an id, once per
 * client.
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

MV_LOG_INIT("daemon.dispatch.domain");

/* --- handles ------------------------------------------------------------ */

static void
daemonDomainRelease(virDomainPtr *dom)
{
    if (*dom) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        virDomainFree(*dom);
        mvErrorRestore(&saved);
        *dom = NULL;
    }
}

#define DAEMON_AUTODOMAIN __attribute__((cleanup(daemonDomainRelease)))

static virDomainPtr
daemonDomainFromWire(virConnectPtr conn, const remote_nonnull_domain *d)
{
    return mvGetDomain(conn, d->name, (const unsigned char *)d->uuid, d->id);
}

static void
daemonDomainToWire(virDomainPtr dom, remote_nonnull_domain *d)
{
    d->name = g_strdup(dom->name ? dom->name : "");
    memcpy(d->uuid, dom->uuid, VIR_UUID_BUFLEN);
    d->id = dom->id;
}

/* The handle the client named, on its connection (the handle holds the
 * connection), or NULL with "hypervisor connection not open". */
static virDomainPtr
daemonDomainGet(rpcServerClient *client, const remote_nonnull_domain *d)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn)
        return NULL;
    return daemonDomainFromWire(conn, d);
}

/* After a start the handle may still carry id -1 (drivers need not update
 * it): the reply must carry the running domain's id, as libvirt's does. */
static void
daemonDomainToWireFresh(virDomainPtr dom, remote_nonnull_domain *d)
{
    DAEMON_AUTODOMAIN virDomainPtr fresh = NULL;

    if (dom->id < 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        fresh = virDomainLookupByUUID(dom->conn, dom->uuid);
        mvErrorRestore(&saved);
    }
    daemonDomainToWire(fresh ? fresh : dom, d);
}

static int
daemonCheckLimit(const char *what, long long value, long long max, const char *maxName)
{
    if (value < 0 || value > max) {
        mvReportError(VIR_ERR_RPC, "%s %lld is outside 0 to %s (%lld)", what, value,
                      maxName, max);
        return -1;
    }
    return 0;
}

/* --- listing and lookup ------------------------------------------------- */

int
remoteDispatchConnectNumOfDomains(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, void *args,
                                  remote_connect_num_of_domains_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    int n;

    if (!conn || (n = virConnectNumOfDomains(conn)) < 0)
        return -1;
    ret->num = n;
    return 0;
}

int
remoteDispatchConnectNumOfDefinedDomains(rpcServer *server, rpcServerClient *client,
                                         rpcMessage *msg, void *args,
                                         remote_connect_num_of_defined_domains_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    int n;

    if (!conn || (n = virConnectNumOfDefinedDomains(conn)) < 0)
        return -1;
    ret->num = n;
    return 0;
}

int
remoteDispatchConnectListDomains(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_connect_list_domains_args *args,
                                 remote_connect_list_domains_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    g_autofree int *ids = NULL;
    int n;

    if (!conn)
        return -1;
    if (daemonCheckLimit("maxids", args->maxids, REMOTE_DOMAIN_LIST_MAX,
                         "REMOTE_DOMAIN_LIST_MAX") < 0)
        return -1;
    ids = g_new0(int, args->maxids + 1);
    if ((n = virConnectListDomains(conn, ids, args->maxids)) < 0)
        return -1;
    ret->ids.ids_len = n;
    ret->ids.ids_val = g_steal_pointer(&ids);
    return 0;
}

int
remoteDispatchConnectListDefinedDomains(rpcServer *server, rpcServerClient *client,
                                        rpcMessage *msg,
                                        remote_connect_list_defined_domains_args *args,
                                        remote_connect_list_defined_domains_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char **names;
    int n;

    if (!conn)
        return -1;
    if (daemonCheckLimit("maxnames", args->maxnames, REMOTE_DOMAIN_LIST_MAX,
                         "REMOTE_DOMAIN_LIST_MAX") < 0)
        return -1;
    names = g_new0(char *, args->maxnames + 1);
    if ((n = virConnectListDefinedDomains(conn, names, args->maxnames)) < 0) {
        g_free(names);
        return -1;
    }
    ret->names.names_len = n;
    ret->names.names_val = names;
    return 0;
}

int
remoteDispatchConnectListAllDomains(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg,
                                    remote_connect_list_all_domains_args *args,
                                    remote_connect_list_all_domains_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    virDomainPtr *doms = NULL;
    int n;
    int i;

    if (!conn)
        return -1;
    if ((n = virConnectListAllDomains(conn, args->need_results ? &doms : NULL,
                                      args->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_LIST_MAX) {
        for (i = 0; doms && i < n; i++)
            virDomainFree(doms[i]);
        g_free(doms);
        mvReportError(VIR_ERR_RPC, "too many domains %d for the wire (the limit is %d)",
                      n, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (doms) {
        ret->domains.domains_len = n;
        ret->domains.domains_val = g_new0(remote_nonnull_domain, n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            daemonDomainToWire(doms[i], &ret->domains.domains_val[i]);
            virDomainFree(doms[i]);
        }
        g_free(doms);
    }
    ret->ret = n;
    return 0;
}

int
remoteDispatchDomainLookupByID(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               remote_domain_lookup_by_id_args *args,
                               remote_domain_lookup_by_id_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainLookupByID(conn, args->id)))
        return -1;
    daemonDomainToWire(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainLookupByName(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_lookup_by_name_args *args,
                                 remote_domain_lookup_by_name_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainLookupByName(conn, args->name)))
        return -1;
    daemonDomainToWire(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainLookupByUUID(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_lookup_by_uuid_args *args,
                                 remote_domain_lookup_by_uuid_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainLookupByUUID(conn, (const unsigned char *)args->uuid)))
        return -1;
    daemonDomainToWire(dom, &ret->dom);
    return 0;
}

/* --- definition and lifecycle ------------------------------------------- */

int
remoteDispatchDomainDefineXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_domain_define_xml_args *args,
                              remote_domain_define_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainDefineXML(conn, args->xml)))
        return -1;
    daemonDomainToWire(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainDefineXMLFlags(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, remote_domain_define_xml_flags_args *args,
                                   remote_domain_define_xml_flags_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainDefineXMLFlags(conn, args->xml, args->flags)))
        return -1;
    daemonDomainToWire(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainCreateXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_domain_create_xml_args *args,
                              remote_domain_create_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;

    if (!conn || !(dom = virDomainCreateXML(conn, args->xml_desc, args->flags)))
        return -1;
    daemonDomainToWireFresh(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainUndefine(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_undefine_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainUndefine(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainUndefineFlags(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_domain_undefine_flags_args *args,
                                  void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainUndefineFlags(dom, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchDomainCreate(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           remote_domain_create_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainCreate(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainCreateWithFlags(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg,
                                    remote_domain_create_with_flags_args *args,
                                    remote_domain_create_with_flags_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom || virDomainCreateWithFlags(dom, args->flags) < 0)
        return -1;
    daemonDomainToWireFresh(dom, &ret->dom);
    return 0;
}

int
remoteDispatchDomainDestroy(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_domain_destroy_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainDestroy(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainDestroyFlags(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_destroy_flags_args *args,
                                 void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainDestroyFlags(dom, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchDomainShutdown(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_shutdown_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainShutdown(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainShutdownFlags(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_domain_shutdown_flags_args *args,
                                  void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainShutdownFlags(dom, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchDomainReboot(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           remote_domain_reboot_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainReboot(dom, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchDomainReset(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          remote_domain_reset_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainReset(dom, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchDomainSuspend(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_domain_suspend_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainSuspend(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainResume(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           remote_domain_resume_args *args, void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainResume(dom) < 0 ? -1 : 0;
}

int
remoteDispatchDomainSetAutostart(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_set_autostart_args *args,
                                 void *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);

    if (!dom)
        return -1;
    return virDomainSetAutostart(dom, args->autostart) < 0 ? -1 : 0;
}

/* --- state and properties ----------------------------------------------- */

int
remoteDispatchDomainGetInfo(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_domain_get_info_args *args,
                            remote_domain_get_info_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    virDomainInfo info;

    memset(&info, 0, sizeof(info));
    if (!dom || virDomainGetInfo(dom, &info) < 0)
        return -1;
    ret->state = info.state;
    ret->maxMem = info.maxMem;
    ret->memory = info.memory;
    ret->nrVirtCpu = info.nrVirtCpu;
    ret->cpuTime = info.cpuTime;
    return 0;
}

int
remoteDispatchDomainGetState(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_get_state_args *args,
                             remote_domain_get_state_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int state = 0;
    int reason = 0;

    if (!dom || virDomainGetState(dom, &state, &reason, args->flags) < 0)
        return -1;
    ret->state = state;
    ret->reason = reason;
    return 0;
}

int
remoteDispatchDomainGetXMLDesc(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               remote_domain_get_xml_desc_args *args,
                               remote_domain_get_xml_desc_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    char *xml;

    if (!dom || !(xml = virDomainGetXMLDesc(dom, args->flags)))
        return -1;
    ret->xml = xml;
    return 0;
}

int
remoteDispatchDomainGetAutostart(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_get_autostart_args *args,
                                 remote_domain_get_autostart_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int autostart = 0;

    if (!dom || virDomainGetAutostart(dom, &autostart) < 0)
        return -1;
    ret->autostart = autostart;
    return 0;
}

int
remoteDispatchDomainGetOsType(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_domain_get_os_type_args *args,
                              remote_domain_get_os_type_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    char *type;

    if (!dom || !(type = virDomainGetOSType(dom)))
        return -1;
    ret->type = type;
    return 0;
}

int
remoteDispatchDomainGetMaxMemory(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_get_max_memory_args *args,
                                 remote_domain_get_max_memory_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    unsigned long memory;

    if (!dom)
        return -1;
    /* 0 is the API's failure value */
    if (!(memory = virDomainGetMaxMemory(dom)))
        return -1;
    ret->memory = memory;
    return 0;
}

int
remoteDispatchDomainGetMaxVcpus(rpcServer *server, rpcServerClient *client,
                                rpcMessage *msg, remote_domain_get_max_vcpus_args *args,
                                remote_domain_get_max_vcpus_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int num;

    if (!dom || (num = virDomainGetMaxVcpus(dom)) < 0)
        return -1;
    ret->num = num;
    return 0;
}

int
remoteDispatchDomainGetVcpusFlags(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_domain_get_vcpus_flags_args *args,
                                  remote_domain_get_vcpus_flags_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int num;

    if (!dom || (num = virDomainGetVcpusFlags(dom, args->flags)) < 0)
        return -1;
    ret->num = num;
    return 0;
}

int
remoteDispatchDomainGetVcpus(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_get_vcpus_args *args,
                             remote_domain_get_vcpus_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;
    g_autofree virVcpuInfo *info = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    long long mapsize;
    int n;
    int i;

    if (daemonCheckLimit("maxinfo", args->maxinfo, REMOTE_VCPUINFO_MAX,
                         "REMOTE_VCPUINFO_MAX") < 0 ||
        daemonCheckLimit("maplen", args->maplen, REMOTE_CPUMAPS_MAX,
                         "REMOTE_CPUMAPS_MAX") < 0)
        return -1;
    mapsize = (long long)args->maxinfo * args->maplen;
    if (daemonCheckLimit("maxinfo * maplen", mapsize, REMOTE_CPUMAPS_MAX,
                         "REMOTE_CPUMAPS_MAX") < 0)
        return -1;
    if (!(dom = daemonDomainGet(client, &args->dom)))
        return -1;

    info = g_new0(virVcpuInfo, args->maxinfo > 0 ? args->maxinfo : 1);
    if (args->maplen > 0)
        cpumaps = g_new0(unsigned char, mapsize > 0 ? mapsize : 1);
    if ((n = virDomainGetVcpus(dom, info, args->maxinfo, cpumaps, args->maplen)) < 0)
        return -1;
    if (n > args->maxinfo)
        n = args->maxinfo;

    ret->info.info_len = n;
    ret->info.info_val = g_new0(remote_vcpu_info, n > 0 ? n : 1);
    for (i = 0; i < n; i++) {
        ret->info.info_val[i].number = info[i].number;
        ret->info.info_val[i].state = info[i].state;
        ret->info.info_val[i].cpu_time = info[i].cpuTime;
        ret->info.info_val[i].cpu = info[i].cpu;
    }
    /* the whole buffer, as libvirt sends it */
    if (cpumaps) {
        ret->cpumaps.cpumaps_len = mapsize;
        ret->cpumaps.cpumaps_val = (char *)g_steal_pointer(&cpumaps);
    }
    return 0;
}

int
remoteDispatchDomainGetVcpuPinInfo(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg,
                                   remote_domain_get_vcpu_pin_info_args *args,
                                   remote_domain_get_vcpu_pin_info_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;
    unsigned char *cpumaps;
    long long mapsize;
    int num;

    if (daemonCheckLimit("ncpumaps", args->ncpumaps, REMOTE_VCPUINFO_MAX,
                         "REMOTE_VCPUINFO_MAX") < 0 ||
        daemonCheckLimit("maplen", args->maplen, REMOTE_CPUMAPS_MAX,
                         "REMOTE_CPUMAPS_MAX") < 0)
        return -1;
    mapsize = (long long)args->ncpumaps * args->maplen;
    if (daemonCheckLimit("ncpumaps * maplen", mapsize, REMOTE_CPUMAPS_MAX,
                         "REMOTE_CPUMAPS_MAX") < 0)
        return -1;
    if (!(dom = daemonDomainGet(client, &args->dom)))
        return -1;

    cpumaps = g_new0(unsigned char, mapsize > 0 ? mapsize : 1);
    if ((num = virDomainGetVcpuPinInfo(dom, args->ncpumaps, cpumaps, args->maplen,
                                       args->flags)) < 0) {
        g_free(cpumaps);
        return -1;
    }
    ret->num = num;
    ret->cpumaps.cpumaps_len = mapsize;
    ret->cpumaps.cpumaps_val = (char *)cpumaps;
    return 0;
}

int
remoteDispatchDomainGetEmulatorPinInfo(rpcServer *server, rpcServerClient *client,
                                       rpcMessage *msg,
                                       remote_domain_get_emulator_pin_info_args *args,
                                       remote_domain_get_emulator_pin_info_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;
    unsigned char *cpumap;
    int r;

    if (daemonCheckLimit("maplen", args->maplen, REMOTE_CPUMAPS_MAX,
                         "REMOTE_CPUMAPS_MAX") < 0)
        return -1;
    if (!(dom = daemonDomainGet(client, &args->dom)))
        return -1;

    cpumap = g_new0(unsigned char, args->maplen > 0 ? args->maplen : 1);
    if ((r = virDomainGetEmulatorPinInfo(dom, cpumap, args->maplen, args->flags)) < 0) {
        g_free(cpumap);
        return -1;
    }
    ret->ret = r;
    ret->cpumaps.cpumaps_len = args->maplen;
    ret->cpumaps.cpumaps_val = (char *)cpumap;
    return 0;
}

int
remoteDispatchDomainIsActive(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_is_active_args *args,
                             remote_domain_is_active_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int r;

    if (!dom || (r = virDomainIsActive(dom)) < 0)
        return -1;
    ret->active = r;
    return 0;
}

int
remoteDispatchDomainIsPersistent(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_domain_is_persistent_args *args,
                                 remote_domain_is_persistent_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int r;

    if (!dom || (r = virDomainIsPersistent(dom)) < 0)
        return -1;
    ret->persistent = r;
    return 0;
}

int
remoteDispatchDomainIsUpdated(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_domain_is_updated_args *args,
                              remote_domain_is_updated_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int r;

    if (!dom || (r = virDomainIsUpdated(dom)) < 0)
        return -1;
    ret->updated = r;
    return 0;
}

int
remoteDispatchDomainHasManagedSaveImage(rpcServer *server, rpcServerClient *client,
                                        rpcMessage *msg,
                                        remote_domain_has_managed_save_image_args *args,
                                        remote_domain_has_managed_save_image_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int r;

    if (!dom || (r = virDomainHasManagedSaveImage(dom, args->flags)) < 0)
        return -1;
    ret->result = r;
    return 0;
}

/* A security label as the wire wants it: the characters including the
 * terminating NUL. */
static void
daemonLabelToWire(const virSecurityLabel *sl, remote_domain_get_security_label_ret *w)
{
    size_t len = strnlen(sl->label, sizeof(sl->label) - 1);

    w->label.label_len = len + 1;
    w->label.label_val = g_new0(char, len + 1);
    memcpy(w->label.label_val, sl->label, len);
    w->enforcing = sl->enforcing;
}

int
remoteDispatchDomainGetSecurityLabel(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_domain_get_security_label_args *args,
                                     remote_domain_get_security_label_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    g_autofree virSecurityLabel *label = g_new0(virSecurityLabel, 1);

    if (!dom || virDomainGetSecurityLabel(dom, label) < 0)
        return -1;
    daemonLabelToWire(label, ret);
    return 0;
}

int
remoteDispatchDomainGetSecurityLabelList(rpcServer *server, rpcServerClient *client,
                                         rpcMessage *msg,
                                         remote_domain_get_security_label_list_args *args,
                                         remote_domain_get_security_label_list_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    g_autofree virSecurityLabel *labels = NULL;
    int n;
    int i;

    if (!dom || (n = virDomainGetSecurityLabelList(dom, &labels)) < 0)
        return -1;
    if (n > REMOTE_SECURITY_LABEL_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many security labels %d for the wire "
                      "(the limit is %d)", n, REMOTE_SECURITY_LABEL_LIST_MAX);
        return -1;
    }
    ret->labels.labels_len = n;
    ret->labels.labels_val = g_new0(remote_domain_get_security_label_ret, n > 0 ? n : 1);
    for (i = 0; i < n; i++)
        daemonLabelToWire(&labels[i], &ret->labels.labels_val[i]);
    ret->ret = n;
    return 0;
}

int
remoteDispatchDomainGetMessages(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_domain_get_messages_args *args,
                                remote_domain_get_messages_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    char **msgs = NULL;
    int n;

    if (!dom || (n = virDomainGetMessages(dom, &msgs, args->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_MESSAGES_MAX) {
        g_strfreev(msgs);
        mvReportError(VIR_ERR_RPC, "too many domain messages %d for the wire "
                      "(the limit is %d)", n, REMOTE_DOMAIN_MESSAGES_MAX);
        return -1;
    }
    ret->msgs.msgs_len = n;
    ret->msgs.msgs_val = msgs;
    return 0;
}

int
remoteDispatchDomainInterfaceAddresses(rpcServer *server, rpcServerClient *client,
                                       rpcMessage *msg,
                                       remote_domain_interface_addresses_args *args,
                                       remote_domain_interface_addresses_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    virDomainInterfacePtr *ifaces = NULL;
    int n;

    if (!dom || (n = virDomainInterfaceAddresses(dom, &ifaces, args->source,
                                                 args->flags)) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_INTERFACE_MAX) {
        for (int i = 0; i < n; i++)
            virDomainInterfaceFree(ifaces[i]);
        g_free(ifaces);
        mvReportError(VIR_ERR_RPC, "too many interfaces %d for the wire (the limit is %d)",
                      n, REMOTE_DOMAIN_INTERFACE_MAX);
        return -1;
    }
    ret->ifaces.ifaces_len = n;
    ret->ifaces.ifaces_val = g_new0(remote_domain_interface, n ? n : 1);
    for (int i = 0; i < n; i++) {
        remote_domain_interface *w = &ret->ifaces.ifaces_val[i];
        virDomainInterfacePtr iface = ifaces[i];
        unsigned int naddrs = MIN(iface->naddrs, REMOTE_DOMAIN_IP_ADDR_MAX);

        w->name = g_strdup(iface->name ? iface->name : "");
        if (iface->hwaddr) {
            w->hwaddr = g_new0(char *, 1);
            *w->hwaddr = g_strdup(iface->hwaddr);
        }
        w->addrs.addrs_len = naddrs;
        w->addrs.addrs_val = g_new0(remote_domain_ip_addr, naddrs ? naddrs : 1);
        for (unsigned int j = 0; j < naddrs; j++) {
            w->addrs.addrs_val[j].type = iface->addrs[j].type;
            w->addrs.addrs_val[j].addr = g_strdup(iface->addrs[j].addr);
            w->addrs.addrs_val[j].prefix = iface->addrs[j].prefix;
        }
        virDomainInterfaceFree(iface);
    }
    g_free(ifaces);
    return 0;
}

int
remoteDispatchDomainGetHostname(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_domain_get_hostname_args *args,
                                remote_domain_get_hostname_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    char *hostname;

    if (!dom || !(hostname = virDomainGetHostname(dom, args->flags)))
        return -1;
    ret->hostname = hostname;
    return 0;
}

int
remoteDispatchDomainGetControlInfo(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg,
                                   remote_domain_get_control_info_args *args,
                                   remote_domain_get_control_info_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    virDomainControlInfo info;

    memset(&info, 0, sizeof(info));
    if (!dom || virDomainGetControlInfo(dom, &info, args->flags) < 0)
        return -1;
    ret->state = info.state;
    ret->details = info.details;
    ret->stateTime = info.stateTime;
    return 0;
}

int
remoteDispatchDomainGetSchedulerType(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_domain_get_scheduler_type_args *args,
                                     remote_domain_get_scheduler_type_ret *ret)
{
    DAEMON_AUTODOMAIN virDomainPtr dom = daemonDomainGet(client, &args->dom);
    int nparams = 0;
    char *type;

    if (!dom || !(type = virDomainGetSchedulerType(dom, &nparams)))
        return -1;
    ret->type = type;
    ret->nparams = nparams;
    return 0;
}

/* --- events ------------------------------------------------------------- */

/* The event ids libvirt 9.0 knows (VIR_DOMAIN_EVENT_ID_LAST is only
 * defined with VIR_ENUM_SENTINELS). */
#define DAEMON_DOMAIN_EVENT_ID_COUNT (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)

/* What a registered callback needs to reach its client. */

static int
daemonDomainEventLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                           void *opaque)
{
    daemonEventData *data = opaque;
    int id = g_atomic_int_get(&data->callbackID);

    if (id < 0)
        return 0;
    if (data->legacy) {
        remote_domain_event_lifecycle_msg m = { 0 };

        daemonDomainToWire(dom, &m.dom);
        m.event = event;
        m.detail = detail;
        daemonEventSend(data, REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                              (xdrproc_t)(void (*)(void))xdr_remote_domain_event_lifecycle_msg,
                              &m);
        g_free(m.dom.name);
    } else {
        remote_domain_event_callback_lifecycle_msg m = { 0 };

        m.callbackID = id;
        daemonDomainToWire(dom, &m.msg.dom);
        m.msg.event = event;
        m.msg.detail = detail;
        daemonEventSend(data, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                              (xdrproc_t)(void (*)(void))
                              xdr_remote_domain_event_callback_lifecycle_msg, &m);
        g_free(m.msg.dom.name);
    }
    return 0;
}

static void
daemonDomainEventReboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    daemonEventData *data = opaque;
    remote_domain_event_callback_reboot_msg m = { 0 };
    int id = g_atomic_int_get(&data->callbackID);

    if (id < 0)
        return;
    m.callbackID = id;
    daemonDomainToWire(dom, &m.msg.dom);
    daemonEventSend(data, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                          (xdrproc_t)(void (*)(void))xdr_remote_domain_event_callback_reboot_msg,
                          &m);
    g_free(m.msg.dom.name);
}

/* For event ids this protocol cannot carry yet.  Drivers call it with the
 * id's own callback signature, so it must not look at any argument. */
static void
daemonDomainEventIgnore(void)
{
}

/* Registers @cb for @eventID on @conn for the client and remembers it.
 * Returns the id, or -1 with an error reported. */
static int
daemonDomainEventAdd(daemonClient *priv, virConnectPtr conn, virDomainPtr dom,
                     int eventID, virConnectDomainEventGenericCallback cb, bool legacy)
{
    daemonEventData *data = daemonEventDataNew(priv->link);
    daemonEventReg reg = { 0 };
    guint i;
    int id;

    data->legacy = legacy;

    g_mutex_lock(&priv->lock);
    if (priv->conn != conn) {
        /* closed (and maybe reopened) while we were getting here */
        g_mutex_unlock(&priv->lock);
        daemonEventDataFree(data);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        return -1;
    }
    if (legacy) {
        for (i = 0; i < priv->domainEvents->len; i++) {
            if (g_array_index(priv->domainEvents, daemonEventReg, i).legacy) {
                g_mutex_unlock(&priv->lock);
                daemonEventDataFree(data);
                mvReportError(VIR_ERR_OPERATION_INVALID, "%s",
                              "an old-style domain event callback is already registered "
                              "on this connection; deregister it first");
                return -1;
            }
        }
    }
    id = virConnectDomainEventRegisterAny(conn, dom, eventID, cb, data,
                                          daemonEventDataFree);
    if (id < 0) {
        g_mutex_unlock(&priv->lock);
        return -1;
    }
    g_atomic_int_set(&data->callbackID, id);
    reg.callbackID = id;
    reg.conn = conn;
    reg.legacy = legacy;
    g_array_append_val(priv->domainEvents, reg);
    g_mutex_unlock(&priv->lock);
    return id;
}

/* Deregisters the client's registration with @callbackID (the old-style
 * one when @legacy, whose id the client never saw).  Returns 0 or -1. */
static int
daemonDomainEventRemove(daemonClient *priv, virConnectPtr conn, int callbackID, bool legacy)
{
    guint i;

    g_mutex_lock(&priv->lock);
    for (i = 0; i < priv->domainEvents->len; i++) {
        const daemonEventReg *reg = &g_array_index(priv->domainEvents, daemonEventReg, i);

        if (reg->conn == conn && reg->legacy == legacy &&
            (legacy || reg->callbackID == callbackID))
            break;
    }
    if (i == priv->domainEvents->len) {
        g_mutex_unlock(&priv->lock);
        if (legacy)
            mvReportError(VIR_ERR_INVALID_ARG, "%s",
                          "no old-style domain event callback is registered on this "
                          "connection");
        else
            mvReportError(VIR_ERR_INVALID_ARG, "no domain event callback with ID %d",
                          callbackID);
        return -1;
    }
    callbackID = g_array_index(priv->domainEvents, daemonEventReg, i).callbackID;
    if (virConnectDomainEventDeregisterAny(conn, callbackID) < 0) {
        g_mutex_unlock(&priv->lock);
        return -1;
    }
    g_array_remove_index_fast(priv->domainEvents, i);
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
remoteDispatchConnectDomainEventCallbackRegisterAny(
    rpcServer *server, rpcServerClient *client, rpcMessage *msg,
    remote_connect_domain_event_callback_register_any_args *args,
    remote_connect_domain_event_callback_register_any_ret *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    DAEMON_AUTODOMAIN virDomainPtr dom = NULL;
    virConnectDomainEventGenericCallback cb;
    int id;

    if (!conn)
        return -1;
    switch (args->eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        cb = VIR_DOMAIN_EVENT_CALLBACK(daemonDomainEventLifecycle);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        cb = daemonDomainEventReboot;
        break;
    default:
        if (args->eventID < 0 || args->eventID >= DAEMON_DOMAIN_EVENT_ID_COUNT) {
            mvReportError(VIR_ERR_INVALID_ARG, "unsupported domain event ID %d (the "
                          "known ones are 0 to %d)", args->eventID,
                          DAEMON_DOMAIN_EVENT_ID_COUNT - 1);
            return -1;
        }
        cb = VIR_DOMAIN_EVENT_CALLBACK(daemonDomainEventIgnore);
        break;
    }
    if (args->dom)
        dom = daemonDomainFromWire(conn, args->dom);
    if ((id = daemonDomainEventAdd(priv, conn, dom, args->eventID, cb, false)) < 0)
        return -1;
    ret->callbackID = id;
    return 0;
}

int
remoteDispatchConnectDomainEventCallbackDeregisterAny(
    rpcServer *server, rpcServerClient *client, rpcMessage *msg,
    remote_connect_domain_event_callback_deregister_any_args *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn)
        return -1;
    return daemonDomainEventRemove(priv, conn, args->callbackID, false);
}

int
remoteDispatchConnectDomainEventRegister(rpcServer *server, rpcServerClient *client,
                                         rpcMessage *msg, void *args,
                                         remote_connect_domain_event_register_ret *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn)
        return -1;
    if (daemonDomainEventAdd(priv, conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                             VIR_DOMAIN_EVENT_CALLBACK(daemonDomainEventLifecycle),
                             true) < 0)
        return -1;
    ret->cb_registered = 1;
    return 0;
}

int
remoteDispatchConnectDomainEventDeregister(rpcServer *server, rpcServerClient *client,
                                           rpcMessage *msg, void *args,
                                           remote_connect_domain_event_deregister_ret *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn || daemonDomainEventRemove(priv, conn, -1, true) < 0)
        return -1;
    ret->cb_registered = 0;
    return 0;
}

void
daemonClientDropDomainEvents(daemonClient *priv)
{
    guint i;

    for (i = 0; i < priv->domainEvents->len; i++) {
        const daemonEventReg *reg = &g_array_index(priv->domainEvents, daemonEventReg, i);

        if (virConnectDomainEventDeregisterAny(reg->conn, reg->callbackID) < 0) {
            MV_DEBUG("dropping domain event callback %d failed, ignoring", reg->callbackID);
            mvErrorReset();
        }
    }
    g_array_set_size(priv->domainEvents, 0);
}
