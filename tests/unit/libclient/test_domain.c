/*
 * Unit tests of the domain and host API (client_domain.c, client_host.c)
 * and of the remote driver's domain table (client_remote_domain.c).
 *
 * A fake local driver ("fakedom:///...") keeps a few domains in memory and
 * a domain event registry.  The public layer is tested directly on it:
 * argument, handle and read-only checks, unsupported calls, the old-style
 * lifecycle registration.  For the remote driver, an in-process rpcServer
 * serves the REMOTE program with a handful of handlers defined here (they
 * call the public API on a fakedom connection, like a daemon does) and a
 * client connects with "fakedom+unix:///system?socket=...": every answer
 * crosses the real XDR encoders and decoders, events included (316/318).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "client_driver.h"
#include "client_event.h"
#include "client_internal.h"
#include "client_domain.h"
#include "rpc_server.h"
#include "rpc_socket.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_TEST

#define ASSERT_ERROR(code_, msg_) \
    do { \
        g_assert_nonnull(virGetLastError()); \
        g_assert_cmpint(virGetLastErrorCode(), ==, (code_)); \
        g_assert_cmpstr(virGetLastErrorMessage(), ==, (msg_)); \
    } while (0)

/*----- the fake driver -----*/

typedef struct {
    char name[32];
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                        /* -1 inactive */
    bool persistent;
} fakeDom;

static GMutex fakeLock;
static fakeDom fakeDoms[8];
static size_t fakeNDoms;
static int fakeNextID = 1;
static mvObjectEventState *fakeEvents;

static fakeDom *
fakeFindUUID(const unsigned char *uuid)
{
    size_t i;

    for (i = 0; i < fakeNDoms; i++)
        if (memcmp(fakeDoms[i].uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return &fakeDoms[i];
    mvReportErrorFull(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                      "no domain with matching uuid");
    return NULL;
}

static void
fakeReset(void)
{
    g_mutex_lock(&fakeLock);
    fakeNDoms = 0;
    fakeNextID = 1;
    g_mutex_unlock(&fakeLock);
}

static int
fakeOpen(virConnectPtr conn, unsigned int flags)
{
    if (conn->uri->transport)
        return MV_DRV_OPEN_DECLINED;
    return MV_DRV_OPEN_SUCCESS;
}

static int
fakeClose(virConnectPtr conn)
{
    mvObjectEventStateDeregisterConn(fakeEvents, conn);
    return 0;
}

static int
fakeIsAlive(virConnectPtr conn)
{
    return 1;
}

typedef struct {
    virDomainPtr dom;
    int event;
    int detail;
} fakeEvent;

static void
fakeEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque, void *data)
{
    fakeEvent *ev = data;

    if (eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
        ((virConnectDomainEventCallback)(void (*)(void))cb)(conn, ev->dom, ev->event,
                                                            ev->detail, cbopaque);
    else if (eventID == VIR_DOMAIN_EVENT_ID_REBOOT)
        ((virConnectDomainEventGenericCallback)(void (*)(void))cb)(conn, ev->dom, cbopaque);
}

/* Emits a lifecycle event about @d (no lock held). */
static void
fakeEmit(virConnectPtr conn, const fakeDom *d, int event, int detail)
{
    fakeEvent ev = { .event = event, .detail = detail };

    ev.dom = mvGetDomain(conn, d->name, d->uuid, d->id);
    mvObjectEventStateEmit(fakeEvents, VIR_DOMAIN_EVENT_ID_LIFECYCLE, d->uuid,
                           fakeEventDispatch, &ev);
    virDomainFree(ev.dom);
}

static virDomainPtr
fakeDefineXML(virConnectPtr conn, const char *xml)
{
    fakeDom d = { .id = -1, .persistent = true };

    /* The "XML" is just the name. */
    g_strlcpy(d.name, xml, sizeof(d.name));
    memset(d.uuid, 0, sizeof(d.uuid));
    g_mutex_lock(&fakeLock);
    d.uuid[0] = 0x10 + fakeNDoms;
    d.uuid[15] = 0xaa;
    fakeDoms[fakeNDoms++] = d;
    g_mutex_unlock(&fakeLock);
    fakeEmit(conn, &d, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return mvGetDomain(conn, d.name, d.uuid, d.id);
}

static virDomainPtr
fakeLookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    size_t i;

    for (i = 0; i < fakeNDoms; i++)
        if (strcmp(fakeDoms[i].name, name) == 0)
            return mvGetDomain(conn, name, fakeDoms[i].uuid, fakeDoms[i].id);
    mvReportErrorFull(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                      "no domain with matching name '%s'", name);
    return NULL;
}

static virDomainPtr
fakeLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeDom *d = fakeFindUUID(uuid);

    return d ? mvGetDomain(conn, d->name, d->uuid, d->id) : NULL;
}

static int
fakeCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    fakeDom copy;
    fakeDom *d;

    g_mutex_lock(&fakeLock);
    if (!(d = fakeFindUUID(dom->uuid))) {
        g_mutex_unlock(&fakeLock);
        return -1;
    }
    if (d->id >= 0) {
        g_mutex_unlock(&fakeLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is already running");
        return -1;
    }
    d->id = fakeNextID++;
    dom->id = d->id;
    copy = *d;
    g_mutex_unlock(&fakeLock);
    fakeEmit(dom->conn, &copy, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    return 0;
}

static int
fakeCreate(virDomainPtr dom)
{
    return fakeCreateWithFlags(dom, 0);
}

static int
fakeDestroy(virDomainPtr dom)
{
    fakeDom copy;
    fakeDom *d;

    g_mutex_lock(&fakeLock);
    if (!(d = fakeFindUUID(dom->uuid))) {
        g_mutex_unlock(&fakeLock);
        return -1;
    }
    d->id = -1;
    copy = *d;
    g_mutex_unlock(&fakeLock);
    fakeEmit(dom->conn, &copy, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    return 0;
}

static int
fakeGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeDom *d = fakeFindUUID(dom->uuid);

    if (!d)
        return -1;
    info->state = d->id >= 0 ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_SHUTOFF;
    info->maxMem = 1048576;
    info->memory = d->id >= 0 ? 524288 : 0;
    info->nrVirtCpu = 2;
    info->cpuTime = 123456789012ULL;
    return 0;
}

static int
fakeGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeDom *d = fakeFindUUID(dom->uuid);

    if (!d)
        return -1;
    *state = d->id >= 0 ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_SHUTOFF;
    if (reason)
        *reason = d->id >= 0 ? VIR_DOMAIN_RUNNING_BOOTED : VIR_DOMAIN_SHUTOFF_DESTROYED;
    return 0;
}

static char *
fakeGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    return g_strdup_printf("<domain><name>%s</name><flags>%u</flags></domain>",
                           dom->name, flags);
}

static int
fakeListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    size_t i;
    int n = 0;

    if (domains)
        *domains = g_new0(virDomainPtr, fakeNDoms + 1);
    for (i = 0; i < fakeNDoms; i++) {
        bool active = fakeDoms[i].id >= 0;

        if ((flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE) && !active)
            continue;
        if ((flags & VIR_CONNECT_LIST_DOMAINS_INACTIVE) && active)
            continue;
        if (domains)
            (*domains)[n] = mvGetDomain(conn, fakeDoms[i].name, fakeDoms[i].uuid,
                                        fakeDoms[i].id);
        n++;
    }
    return n;
}

static int
fakeListDomains(virConnectPtr conn, int *ids, int maxids)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    size_t i;
    int n = 0;

    for (i = 0; i < fakeNDoms && n < maxids; i++)
        if (fakeDoms[i].id >= 0)
            ids[n++] = fakeDoms[i].id;
    return n;
}

static int
fakeListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    size_t i;
    int n = 0;

    for (i = 0; i < fakeNDoms && n < maxnames; i++)
        if (fakeDoms[i].id < 0)
            names[n++] = g_strdup(fakeDoms[i].name);
    return n;
}

static int
fakeNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    g_strlcpy(info->model, "x86_64", sizeof(info->model));
    info->memory = 16 * 1024 * 1024;
    info->cpus = 2;
    info->mhz = 2400;
    info->nodes = 1;
    info->sockets = 1;
    info->cores = 2;
    info->threads = 1;
    return 0;
}

static int
fakeNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params, int *nparams,
                    unsigned int flags)
{
    static const char *const names[] = { "kernel", "user", "idle", "iowait" };
    int i;

    if (*nparams == 0) {
        *nparams = 4;
        return 0;
    }
    for (i = 0; i < *nparams && i < 4; i++) {
        g_strlcpy(params[i].field, names[i], sizeof(params[i].field));
        params[i].value = 1000 * (i + 1);
    }
    *nparams = i;
    return 0;
}

static int
fakeNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    g_strlcpy(secmodel->model, "none", sizeof(secmodel->model));
    g_strlcpy(secmodel->doi, "0", sizeof(secmodel->doi));
    return 0;
}

static int
fakeGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    g_strlcpy(seclabel->label, "unconfined", sizeof(seclabel->label));
    seclabel->enforcing = 1;
    return 0;
}

static int
fakeGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo, unsigned char *cpumaps,
             int maplen)
{
    int i;
    int n = maxinfo < 2 ? maxinfo : 2;

    for (i = 0; i < n; i++) {
        info[i].number = i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpuTime = 1000 + i;
        info[i].cpu = i;
        if (cpumaps)
            VIR_USE_CPU(VIR_GET_CPUMAP(cpumaps, maplen, i), i);
    }
    return n;
}

static char *
fakeGetCapabilities(virConnectPtr conn)
{
    return g_strdup("<capabilities/>");
}

static int
fakeGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    *msgs = g_new0(char *, 3);
    (*msgs)[0] = g_strdup("tainted: custom monitor control");
    (*msgs)[1] = g_strdup("deprecated configuration: foo");
    return 2;
}

static int
fakeEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                     virConnectDomainEventGenericCallback cb, void *opaque,
                     virFreeCallback freecb)
{
    return mvObjectEventStateRegister(fakeEvents, conn, eventID,
                                      VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1,
                                      dom ? dom->uuid : NULL, G_CALLBACK(cb), opaque, freecb);
}

static int
fakeEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(fakeEvents, conn, callbackID);
}

static const mvHypervisorDriver fakeHV = {
    .name = "fakedom",
    .connectOpen = fakeOpen,
    .connectClose = fakeClose,
    .connectIsAlive = fakeIsAlive,
};

static const mvDomainDriver fakeDomainDriver = {
    .connectGetCapabilities = fakeGetCapabilities,
    .nodeGetInfo = fakeNodeGetInfo,
    .nodeGetCPUStats = fakeNodeGetCPUStats,
    .nodeGetSecurityModel = fakeNodeGetSecurityModel,
    .connectListDomains = fakeListDomains,
    .connectListDefinedDomains = fakeListDefinedDomains,
    .connectListAllDomains = fakeListAllDomains,
    .domainLookupByName = fakeLookupByName,
    .domainLookupByUUID = fakeLookupByUUID,
    .domainDefineXML = fakeDefineXML,
    .domainCreate = fakeCreate,
    .domainCreateWithFlags = fakeCreateWithFlags,
    .domainDestroy = fakeDestroy,
    .domainGetInfo = fakeGetInfo,
    .domainGetState = fakeGetState,
    .domainGetXMLDesc = fakeGetXMLDesc,
    .domainGetVcpus = fakeGetVcpus,
    .domainGetSecurityLabel = fakeGetSecurityLabel,
    .domainGetMessages = fakeGetMessages,
    .connectDomainEventRegisterAny = fakeEventRegisterAny,
    .connectDomainEventDeregisterAny = fakeEventDeregisterAny,
};

static const char *const fakeSchemes[] = { "fakedom", NULL };

static const mvConnectDriver fakeDriver = {
    .name = "fakedom",
    .uriSchemes = fakeSchemes,
    .hypervisorDriver = &fakeHV,
    .domainDriver = &fakeDomainDriver,
};

/*----- event recording -----*/

typedef struct {
    int calls;
    int event;
    int detail;
    char name[32];
    int id;
} lifecycleSeen;

static int
recordLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    lifecycleSeen *seen = opaque;

    seen->calls++;
    seen->event = event;
    seen->detail = detail;
    g_strlcpy(seen->name, virDomainGetName(dom), sizeof(seen->name));
    seen->id = (int)virDomainGetID(dom);
    return 0;
}

static int freed;

static void
countFree(void *opaque)
{
    freed++;
}

/*----- the public layer on the fake driver -----*/

static void
testHandle(void)
{
    virConnectPtr conn = virConnectOpen("fakedom:///system");
    virDomainPtr dom;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    unsigned char uuid[VIR_UUID_BUFLEN];

    fakeReset();
    g_assert_nonnull(conn);
    dom = virDomainDefineXML(conn, "alpha");
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "alpha");
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_true(virDomainGetConnect(dom) == conn);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, "10000000-0000-0000-0000-0000000000aa");
    g_assert_cmpint(virDomainGetUUID(dom, uuid), ==, 0);
    g_assert_cmpint(uuid[0], ==, 0x10);

    g_assert_cmpint(virDomainRef(dom), ==, 0);
    g_assert_cmpint(virDomainFree(dom), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    ASSERT_ERROR(VIR_ERR_OPERATION_INVALID,
                 "Requested operation is not valid: domain is already running");
    g_assert_cmpint(virDomainFree(dom), ==, 0);

    dom = virDomainLookupByUUIDString(conn, uuidstr);
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "alpha");
    virDomainFree(dom);
    g_assert_null(virDomainLookupByUUIDString(conn, "not-a-uuid"));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "uuidstr in virDomainLookupByUUIDString must be a valid UUID");

    /* Invalid handles. */
    g_assert_null(virDomainGetName(NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in virDomainGetName");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOM);
    g_assert_cmpint(virDomainFree(NULL), ==, -1);
    g_assert_cmpint(virDomainDestroy(NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in virDomainDestroy");
    g_assert_null(virConnectGetCapabilities(NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_CONN,
                 "invalid connection pointer in virConnectGetCapabilities");
    virConnectClose(conn);
}

static void
testChecks(void)
{
    virConnectPtr conn = virConnectOpen("fakedom:///system");
    virConnectPtr ro;
    virDomainPtr dom, rodom;
    virVcpuInfo info[4];
    unsigned char maps[4];
    virNodeCPUStats stats[4];
    int nparams;
    int ids[4];

    fakeReset();
    dom = virDomainDefineXML(conn, "beta");
    g_assert_nonnull(dom);

    /* NULL / negative / zero arguments, in libvirt's words. */
    g_assert_null(virDomainLookupByName(conn, NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "name in virDomainLookupByName must not be NULL");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_null(virDomainLookupByID(conn, -3));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "id in virDomainLookupByID must be zero or greater");
    g_assert_cmpint(virConnectListDomains(conn, ids, -1), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "maxids in virConnectListDomains must be zero or greater");
    g_assert_cmpint(virDomainGetVcpus(dom, info, 0, NULL, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "maxinfo in virDomainGetVcpus must be greater than zero");
    g_assert_cmpint(virDomainGetVcpus(dom, info, 4, NULL, 1), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "maplen in virDomainGetVcpus must be zero");
    memset(maps, 0, sizeof(maps));
    g_assert_cmpint(virDomainGetVcpus(dom, info, 4, maps, 1), ==, 2);
    g_assert_cmpint(maps[0], ==, 1);
    g_assert_cmpint(maps[1], ==, 2);
    g_assert_cmpint(virDomainGetState(dom, NULL, NULL, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "state in virDomainGetState must not be NULL");
    nparams = -1;
    g_assert_cmpint(virNodeGetCPUStats(conn, 0, stats, &nparams, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "*nparams in virNodeGetCPUStats must be zero or greater");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    nparams = 0;
    g_assert_cmpint(virNodeGetCPUStats(conn, -5, NULL, &nparams, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "cpuNum in virNodeGetCPUStats must be a valid number or -1");
    g_assert_cmpint(virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &nparams, 0),
                    ==, 0);
    g_assert_cmpint(nparams, ==, 4);
    g_assert_cmpint(virDomainGetVcpuPinInfo(dom, 1, maps, 1,
                                            VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
                    ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                 "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");

    /* Missing driver functions. */
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virDomainSuspend");
    g_assert_null(virConnectGetSysinfo(conn, 0));
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virConnectGetSysinfo");
    g_assert_cmpuint(virNodeGetFreeMemory(conn), ==, 0);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);

    /* Read-only connections: changes are denied, getters work. */
    ro = virConnectOpenReadOnly("fakedom:///system");
    g_assert_nonnull(ro);
    g_assert_null(virDomainDefineXML(ro, "gamma"));
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virDomainDefineXML");
    rodom = virDomainLookupByName(ro, "beta");
    g_assert_nonnull(rodom);
    g_assert_cmpint(virDomainCreate(rodom), ==, -1);
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virDomainCreate");
    g_assert_cmpint(virDomainDestroy(rodom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_DENIED);
    g_assert_null(virConnectDomainXMLToNative(ro, "qemu-argv", "<domain/>", 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_DENIED);
    g_assert_null(virDomainGetXMLDesc(rodom, VIR_DOMAIN_XML_SECURE));
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: virDomainGetXMLDesc with secure flag");
    g_autofree char *xml = virDomainGetXMLDesc(rodom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_cmpstr(xml, ==, "<domain><name>beta</name><flags>2</flags></domain>");
    virDomainFree(rodom);
    virConnectClose(ro);

    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testLegacyEvents(void)
{
    virConnectPtr conn = virConnectOpen("fakedom:///system");
    lifecycleSeen seen = { 0 };
    virDomainPtr dom;

    fakeReset();
    freed = 0;
    g_assert_cmpint(virConnectDomainEventRegister(conn, recordLifecycle, &seen, countFree),
                    ==, 0);
    g_assert_cmpint(virConnectDomainEventRegister(conn, recordLifecycle, &seen, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    dom = virDomainDefineXML(conn, "delta");
    g_assert_cmpint(seen.calls, ==, 1);
    g_assert_cmpint(seen.event, ==, VIR_DOMAIN_EVENT_DEFINED);
    g_assert_cmpstr(seen.name, ==, "delta");
    g_assert_cmpint(virDomainCreateWithFlags(dom, 0), ==, 0);
    g_assert_cmpint(seen.calls, ==, 2);
    g_assert_cmpint(seen.event, ==, VIR_DOMAIN_EVENT_STARTED);
    g_assert_cmpint(seen.detail, ==, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    g_assert_cmpint(seen.id, ==, 1);

    g_assert_cmpint(virConnectDomainEventDeregister(conn, recordLifecycle), ==, 0);
    g_assert_cmpint(freed, ==, 1);
    g_assert_cmpint(virConnectDomainEventDeregister(conn, recordLifecycle), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(seen.calls, ==, 2);

    /* Closing the connection releases a registration still in place. */
    g_assert_cmpint(virConnectDomainEventRegister(conn, recordLifecycle, &seen, countFree),
                    ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
    g_assert_cmpint(freed, ==, 2);

    /* RegisterAny argument checks. */
    conn = virConnectOpen("fakedom:///system");
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, 27,
                                                     VIR_DOMAIN_EVENT_CALLBACK(recordLifecycle),
                                                     NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "eventID in virConnectDomainEventRegisterAny must be less than 27");
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "cb in virConnectDomainEventRegisterAny must not be NULL");
    virConnectClose(conn);
}

/*----- the remote driver against an in-process server -----*/

/* The handlers drop handles with mvDomainUnref: virDomainFree would reset
 * the error a failed call must send back. */

static struct {
    char *dir;
    char *path;
    char *uri;
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    rpcServer *srv;
    virConnectPtr backend;         /* fakedom connection the handlers use */
} S;

static void
wireFromDomain(virDomainPtr dom, remote_nonnull_domain *d)
{
    d->name = g_strdup(dom->name);
    memcpy(d->uuid, dom->uuid, VIR_UUID_BUFLEN);
    d->id = dom->id;
}

static virDomainPtr
domainFromWire(remote_nonnull_domain *d)
{
    return mvGetDomain(S.backend, d->name, (unsigned char *)d->uuid, d->id);
}

int
remoteDispatchConnectOpen(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          remote_connect_open_args *args, void *ret)
{
    return 0;
}

int
remoteDispatchConnectClose(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           void *args, void *ret)
{
    return 0;
}

int
remoteDispatchDomainDefineXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_domain_define_xml_args *args,
                              remote_domain_define_xml_ret *ret)
{
    virDomainPtr dom = virDomainDefineXML(S.backend, args->xml);

    if (!dom)
        return -1;
    wireFromDomain(dom, &ret->dom);
    mvDomainUnref(dom);
    return 0;
}

int
remoteDispatchDomainLookupByName(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                 remote_domain_lookup_by_name_args *args,
                                 remote_domain_lookup_by_name_ret *ret)
{
    virDomainPtr dom = virDomainLookupByName(S.backend, args->name);

    if (!dom)
        return -1;
    wireFromDomain(dom, &ret->dom);
    mvDomainUnref(dom);
    return 0;
}

int
remoteDispatchDomainLookupByUUID(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                 remote_domain_lookup_by_uuid_args *args,
                                 remote_domain_lookup_by_uuid_ret *ret)
{
    virDomainPtr dom = virDomainLookupByUUID(S.backend, (unsigned char *)args->uuid);

    if (!dom)
        return -1;
    wireFromDomain(dom, &ret->dom);
    mvDomainUnref(dom);
    return 0;
}

int
remoteDispatchDomainCreate(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           remote_domain_create_args *args, void *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    int rc = virDomainCreate(dom);

    mvDomainUnref(dom);
    return rc;
}

int
remoteDispatchDomainDestroy(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_domain_destroy_args *args, void *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    int rc = virDomainDestroy(dom);

    mvDomainUnref(dom);
    return rc;
}

int
remoteDispatchDomainGetInfo(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_domain_get_info_args *args, remote_domain_get_info_ret *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    virDomainInfo info;
    int rc = virDomainGetInfo(dom, &info);

    mvDomainUnref(dom);
    if (rc < 0)
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
    virDomainPtr dom = domainFromWire(&args->dom);
    int rc = virDomainGetState(dom, &ret->state, &ret->reason, args->flags);

    mvDomainUnref(dom);
    return rc;
}

int
remoteDispatchConnectListAllDomains(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg,
                                    remote_connect_list_all_domains_args *args,
                                    remote_connect_list_all_domains_ret *ret)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(S.backend, args->need_results ? &doms : NULL,
                                     args->flags);
    int i;

    if (n < 0)
        return -1;
    if (doms) {
        ret->domains.domains_val = calloc(n + 1, sizeof(remote_nonnull_domain));
        for (i = 0; i < n; i++) {
            wireFromDomain(doms[i], &ret->domains.domains_val[i]);
            mvDomainUnref(doms[i]);
        }
        ret->domains.domains_len = n;
        g_free(doms);
    }
    ret->ret = n;
    return 0;
}

int
remoteDispatchConnectListDomains(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                 remote_connect_list_domains_args *args,
                                 remote_connect_list_domains_ret *ret)
{
    int *ids = calloc(args->maxids + 1, sizeof(int));
    int n = virConnectListDomains(S.backend, ids, args->maxids);

    if (n < 0) {
        free(ids);
        return -1;
    }
    ret->ids.ids_val = ids;
    ret->ids.ids_len = n;
    return 0;
}

int
remoteDispatchConnectListDefinedDomains(rpcServer *server, rpcServerClient *client,
                                        rpcMessage *msg,
                                        remote_connect_list_defined_domains_args *args,
                                        remote_connect_list_defined_domains_ret *ret)
{
    char **names = calloc(args->maxnames + 1, sizeof(char *));
    int n = virConnectListDefinedDomains(S.backend, names, args->maxnames);

    if (n < 0) {
        free(names);
        return -1;
    }
    ret->names.names_val = names;
    ret->names.names_len = n;
    return 0;
}

int
remoteDispatchNodeGetInfo(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          void *args, remote_node_get_info_ret *ret)
{
    virNodeInfo info;

    if (virNodeGetInfo(S.backend, &info) < 0)
        return -1;
    memcpy(ret->model, info.model, sizeof(ret->model));
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
remoteDispatchNodeGetCPUStats(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_node_get_cpu_stats_args *args,
                              remote_node_get_cpu_stats_ret *ret)
{
    virNodeCPUStats stats[REMOTE_NODE_CPU_STATS_MAX];
    int nparams = args->nparams;
    int i;

    if (virNodeGetCPUStats(S.backend, args->cpuNum, stats, &nparams, args->flags) < 0)
        return -1;
    if (args->nparams == 0) {
        ret->nparams = nparams;
        return 0;
    }
    ret->params.params_val = calloc(nparams, sizeof(remote_node_get_cpu_stats));
    for (i = 0; i < nparams; i++) {
        ret->params.params_val[i].field = g_strdup(stats[i].field);
        ret->params.params_val[i].value = stats[i].value;
    }
    ret->params.params_len = nparams;
    ret->nparams = nparams;
    return 0;
}

/* 'char x<N>' strings go out with their NUL, as libvirtd sends them. */
static void
wireCharArray(const char *s, u_int *len, char **val)
{
    *len = strlen(s) + 1;
    *val = g_strdup(s);
}

int
remoteDispatchNodeGetSecurityModel(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, void *args,
                                   remote_node_get_security_model_ret *ret)
{
    virSecurityModel model;

    if (virNodeGetSecurityModel(S.backend, &model) < 0)
        return -1;
    wireCharArray(model.model, &ret->model.model_len, &ret->model.model_val);
    wireCharArray(model.doi, &ret->doi.doi_len, &ret->doi.doi_val);
    return 0;
}

int
remoteDispatchDomainGetSecurityLabel(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_domain_get_security_label_args *args,
                                     remote_domain_get_security_label_ret *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    virSecurityLabel label;
    int rc = virDomainGetSecurityLabel(dom, &label);

    mvDomainUnref(dom);
    if (rc < 0)
        return -1;
    wireCharArray(label.label, &ret->label.label_len, &ret->label.label_val);
    ret->enforcing = label.enforcing;
    return 0;
}

int
remoteDispatchDomainGetVcpus(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_domain_get_vcpus_args *args,
                             remote_domain_get_vcpus_ret *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    virVcpuInfo *info = g_new0(virVcpuInfo, args->maxinfo);
    unsigned char *maps = args->maplen ? calloc(args->maxinfo, args->maplen) : NULL;
    int n = virDomainGetVcpus(dom, info, args->maxinfo, maps, args->maplen);
    int i;

    mvDomainUnref(dom);
    if (n < 0) {
        g_free(info);
        free(maps);
        return -1;
    }
    ret->info.info_val = calloc(n + 1, sizeof(remote_vcpu_info));
    for (i = 0; i < n; i++) {
        ret->info.info_val[i].number = info[i].number;
        ret->info.info_val[i].state = info[i].state;
        ret->info.info_val[i].cpu_time = info[i].cpuTime;
        ret->info.info_val[i].cpu = info[i].cpu;
    }
    ret->info.info_len = n;
    ret->cpumaps.cpumaps_val = (char *)maps;
    ret->cpumaps.cpumaps_len = maps ? args->maxinfo * args->maplen : 0;
    g_free(info);
    return 0;
}

int
remoteDispatchDomainGetMessages(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_domain_get_messages_args *args,
                                remote_domain_get_messages_ret *ret)
{
    virDomainPtr dom = domainFromWire(&args->dom);
    char **msgs = NULL;
    int n = virDomainGetMessages(dom, &msgs, args->flags);

    mvDomainUnref(dom);
    if (n < 0)
        return -1;
    ret->msgs.msgs_val = msgs;     /* NULL-terminated, malloc'd: xdr_free frees it */
    ret->msgs.msgs_len = n;
    return 0;
}

/* Event forwarding, as a daemon does it: one backend registration per
 * client registration, sending 318 with the backend's callback id. */
typedef struct {
    rpcServerClient *client;
    int callbackID;
} eventLink;

static void
linkFree(void *opaque)
{
    eventLink *link = opaque;

    rpcServerClientUnref(link->client);
    g_free(link);
}

static int
forwardLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    eventLink *link = opaque;
    remote_domain_event_callback_lifecycle_msg m;

    memset(&m, 0, sizeof(m));
    m.callbackID = link->callbackID;
    m.msg.dom.name = dom->name;
    memcpy(m.msg.dom.uuid, dom->uuid, VIR_UUID_BUFLEN);
    m.msg.dom.id = dom->id;
    m.msg.event = event;
    m.msg.detail = detail;
    rpcServerClientSendEvent(link->client, REMOTE_PROGRAM,
                             REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                             (xdrproc_t)(void (*)(void))xdr_remote_domain_event_callback_lifecycle_msg,
                             &m);
    return 0;
}

int
remoteDispatchConnectDomainEventCallbackRegisterAny(
    rpcServer *server, rpcServerClient *client, rpcMessage *msg,
    remote_connect_domain_event_callback_register_any_args *args,
    remote_connect_domain_event_callback_register_any_ret *ret)
{
    eventLink *link = g_new0(eventLink, 1);
    int id;

    if (args->eventID != VIR_DOMAIN_EVENT_ID_LIFECYCLE || args->dom) {
        g_free(link);
        mvReportError(VIR_ERR_NO_SUPPORT, "only unfiltered lifecycle events in this test");
        return -1;
    }
    link->client = rpcServerClientRef(client);
    link->callbackID = -1;
    id = virConnectDomainEventRegisterAny(S.backend, NULL, args->eventID,
                                          VIR_DOMAIN_EVENT_CALLBACK(forwardLifecycle), link,
                                          linkFree);
    if (id < 0) {
        linkFree(link);
        return -1;
    }
    link->callbackID = id;
    ret->callbackID = id;
    return 0;
}

int
remoteDispatchConnectDomainEventCallbackDeregisterAny(
    rpcServer *server, rpcServerClient *client, rpcMessage *msg,
    remote_connect_domain_event_callback_deregister_any_args *args, void *ret)
{
    return virConnectDomainEventDeregisterAny(S.backend, args->callbackID);
}

static gpointer
serverThread(gpointer data)
{
    g_main_context_push_thread_default(S.ctx);
    g_main_loop_run(S.loop);
    g_main_context_pop_thread_default(S.ctx);
    return NULL;
}

static void
serverSetUp(void)
{
    rpcServerConfig cfg;
    int fd;

    S.dir = g_dir_make_tmp("mv-dom-XXXXXX", NULL);
    g_assert_nonnull(S.dir);
    S.path = g_build_filename(S.dir, "sock", NULL);
    S.uri = g_strdup_printf("fakedom+unix:///system?socket=%s", S.path);
    S.backend = virConnectOpen("fakedom:///system");
    g_assert_nonnull(S.backend);

    rpcServerConfigInit(&cfg);
    S.srv = rpcServerNew("domtest", &cfg);
    g_assert_cmpint(rpcServerAddProgram(S.srv, &remoteProgram), ==, 0);
    fd = rpcSocketListenUnix(S.path, 0600, (uid_t)-1, (gid_t)-1);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(rpcServerAddListener(S.srv, fd, 0, "rw"), ==, 0);
    S.ctx = g_main_context_new();
    S.loop = g_main_loop_new(S.ctx, FALSE);
    g_assert_cmpint(rpcServerStart(S.srv, S.ctx), ==, 0);
    S.thread = g_thread_new("server", serverThread, NULL);
}

static void
serverTearDown(void)
{
    rpcServerShutdown(S.srv, g_get_monotonic_time() + 2 * G_USEC_PER_SEC);
    g_main_loop_quit(S.loop);
    g_thread_join(S.thread);
    rpcServerFree(S.srv);
    g_main_loop_unref(S.loop);
    g_main_context_unref(S.ctx);
    virConnectClose(S.backend);
    unlink(S.path);
    rmdir(S.dir);
    g_free(S.path);
    g_free(S.uri);
    g_free(S.dir);
}

static void
testRemoteCalls(void)
{
    virConnectPtr conn;
    virDomainPtr dom, dom2;
    virDomainPtr *list = NULL;
    virDomainInfo info;
    virNodeInfo node;
    virNodeCPUStats stats[4];
    virSecurityModel model;
    virSecurityLabel label;
    virVcpuInfo vcpus[3];
    unsigned char maps[3];
    char *names[4] = { NULL };
    char **msgs = NULL;
    int ids[4];
    int nparams = 0;
    int state = -1, reason = -1;
    int n;

    fakeReset();
    conn = virConnectOpen(S.uri);
    g_assert_nonnull(conn);
    g_assert_true(conn->driver == &mvRemoteConnectDriver);

    dom = virDomainDefineXML(conn, "remote1");
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, "remote1");
    g_assert_cmpint(dom->id, ==, -1);
    dom2 = virDomainDefineXML(conn, "remote2");
    g_assert_nonnull(dom2);
    virDomainFree(dom2);
    virDomainFree(virDomainLookupByName(conn, "remote2"));

    /* DOMAIN_CREATE answers nothing: the id comes from a lookup by UUID. */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 1048576);
    g_assert_cmpuint(info.memory, ==, 524288);
    g_assert_cmpint(info.nrVirtCpu, ==, 2);
    g_assert_cmpuint(info.cpuTime, ==, 123456789012ULL);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);

    /* Driver errors come back with code and message intact. */
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    ASSERT_ERROR(VIR_ERR_OPERATION_INVALID,
                 "Requested operation is not valid: domain is already running");
    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    ASSERT_ERROR(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching name 'nosuch'");
    /* A procedure the server has no handler for. */
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);

    n = virConnectListAllDomains(conn, &list, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(virDomainGetName(list[0]), ==, "remote1");
    g_assert_cmpint(list[0]->id, ==, 1);
    g_assert_cmpstr(virDomainGetName(list[1]), ==, "remote2");
    g_assert_null(list[2]);
    virDomainFree(list[0]);
    virDomainFree(list[1]);
    g_free(list);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_ACTIVE), ==, 1);
    g_assert_cmpint(virConnectListDomains(conn, ids, 4), ==, 1);
    g_assert_cmpint(ids[0], ==, 1);
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 4), ==, 1);
    g_assert_cmpstr(names[0], ==, "remote2");
    g_free(names[0]);
    g_assert_cmpint(virConnectListDomains(conn, ids, REMOTE_DOMAIN_LIST_MAX + 1), ==, -1);
    ASSERT_ERROR(VIR_ERR_RPC, "too many remote domain IDs: 16385 > 16384");

    g_assert_cmpint(virNodeGetInfo(conn, &node), ==, 0);
    g_assert_cmpstr(node.model, ==, "x86_64");
    g_assert_cmpuint(node.memory, ==, 16 * 1024 * 1024);
    g_assert_cmpuint(node.cpus, ==, 2);
    g_assert_cmpuint(node.mhz, ==, 2400);
    g_assert_cmpuint(VIR_NODEINFO_MAXCPUS(node), ==, 2);

    g_assert_cmpint(virNodeGetCPUStats(conn, -1, NULL, &nparams, 0), ==, 0);
    g_assert_cmpint(nparams, ==, 4);
    g_assert_cmpint(virNodeGetCPUStats(conn, -1, stats, &nparams, 0), ==, 0);
    g_assert_cmpint(nparams, ==, 4);
    g_assert_cmpstr(stats[2].field, ==, "idle");
    g_assert_cmpuint(stats[2].value, ==, 3000);

    g_assert_cmpint(virNodeGetSecurityModel(conn, &model), ==, 0);
    g_assert_cmpstr(model.model, ==, "none");
    g_assert_cmpstr(model.doi, ==, "0");
    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "unconfined");
    g_assert_cmpint(label.enforcing, ==, 1);

    memset(maps, 0xff, sizeof(maps));
    g_assert_cmpint(virDomainGetVcpus(dom, vcpus, 3, maps, 1), ==, 2);
    g_assert_cmpuint(vcpus[1].number, ==, 1);
    g_assert_cmpint(vcpus[1].state, ==, VIR_VCPU_RUNNING);
    g_assert_cmpuint(vcpus[1].cpuTime, ==, 1001);
    g_assert_cmpint(maps[0], ==, 1);
    g_assert_cmpint(maps[1], ==, 2);
    g_assert_cmpint(maps[2], ==, 0);

    g_assert_cmpint(virDomainGetMessages(dom, &msgs, 0), ==, 2);
    g_assert_cmpstr(msgs[1], ==, "deprecated configuration: foo");
    g_assert_null(msgs[2]);
    g_strfreev(msgs);

    dom2 = virDomainLookupByName(conn, "remote1");
    g_assert_cmpint(virDomainDestroy(dom2), ==, 0);
    g_assert_cmpint(dom2->id, ==, -1);
    g_assert_cmpint(virDomainIsActive(dom2), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    virDomainFree(dom2);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
timedOut(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

/* Runs the default loop until @seen reaches @calls or 5 s pass. */
static void
waitForEvents(lifecycleSeen *seen, int calls)
{
    bool expired = false;
    int timer = virEventAddTimeout(5000, timedOut, &expired, NULL);

    g_assert_cmpint(timer, >=, 0);
    while (seen->calls < calls && !expired)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    virEventRemoveTimeout(timer);
}

static void
testRemoteEvents(void)
{
    virConnectPtr conn;
    lifecycleSeen seen = { 0 }, seen2 = { 0 };
    virDomainPtr dom;
    int id1, id2;

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    fakeReset();
    freed = 0;
    conn = virConnectOpen(S.uri);
    g_assert_nonnull(conn);

    id1 = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(recordLifecycle), &seen,
                                           countFree);
    g_assert_cmpint(id1, >=, 0);
    /* The old-style call shares the daemon registration. */
    g_assert_cmpint(virConnectDomainEventRegister(conn, recordLifecycle, &seen2, NULL), ==, 0);
    /* Filters the test server refuses come back as errors. */
    id2 = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                           VIR_DOMAIN_EVENT_CALLBACK(recordLifecycle), &seen,
                                           NULL);
    g_assert_cmpint(id2, ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);

    dom = virDomainDefineXML(conn, "evdom");
    g_assert_nonnull(dom);
    waitForEvents(&seen, 1);
    g_assert_cmpint(seen.calls, ==, 1);
    g_assert_cmpint(seen.event, ==, VIR_DOMAIN_EVENT_DEFINED);
    g_assert_cmpint(seen.detail, ==, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    g_assert_cmpstr(seen.name, ==, "evdom");
    waitForEvents(&seen2, 1);
    g_assert_cmpint(seen2.calls, ==, 1);

    g_assert_cmpint(virDomainCreateWithFlags(dom, 0), ==, -1);   /* no handler */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    waitForEvents(&seen, 2);
    g_assert_cmpint(seen.event, ==, VIR_DOMAIN_EVENT_STARTED);
    g_assert_cmpint(seen.detail, ==, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    g_assert_cmpint(seen.id, ==, 1);

    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id1), ==, 0);
    g_assert_cmpint(freed, ==, 1);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id1), ==, -1);
    g_assert_cmpint(virConnectDomainEventDeregister(conn, recordLifecycle), ==, 0);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
    g_assert_cmpint(seen.calls, ==, 2);
}

int
main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    fakeEvents = mvObjectEventStateNew();
    g_assert_cmpint(mvRegisterConnectDriver(&fakeDriver), ==, 0);

    g_test_add_func("/libclient/domain/handle", testHandle);
    g_test_add_func("/libclient/domain/checks", testChecks);
    g_test_add_func("/libclient/domain/legacy-events", testLegacyEvents);
    g_test_add_func("/libclient/domain/remote-calls", testRemoteCalls);
    g_test_add_func("/libclient/domain/remote-events", testRemoteEvents);

    serverSetUp();
    rc = g_test_run();
    serverTearDown();
    mvObjectEventStateFree(fakeEvents);
    return rc;
}
