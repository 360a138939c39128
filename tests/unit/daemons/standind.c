/*
 * standind: a stand-in driver daemon for the dispatch tests.  It runs the
 * real daemon framework (daemons/common) around a tiny in-memory driver
 * that serves standin:///session and standin:///system:
 *
 *   - no secret table, so every secret call made on its connections must be
 *     forwarded to virtsecretd (daemon_forward.c);
 *   - a fake domain and host table with fixed, known answers, so the
 *     domain/host handlers and domain events (daemon_dispatch_domain.c,
 *     daemon_dispatch_host.c) can be driven by Debian's virsh and
 *     python3-libvirt over the real wire without QEMU.
 *
 * Domains live only in memory.  A definition needs <name> and may carry
 * <uuid>, <memory> (KiB) and <vcpu>; everything else is kept verbatim.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "client_driver.h"
#include "client_event.h"
#include "daemon_main.h"
#include "mv_error.h"
#include "mv_uuid.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

#define STANDIN_EVENT_IDS (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)
#define STANDIN_NCPUS 4

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                     /* -1 when shut off */
    int state;
    int reason;
    bool persistent;
    bool autostart;
    unsigned long memory;
    int vcpus;
    char *xml;
} standinDom;

static GMutex standinLock;
static GPtrArray *standinDoms;          /* of standinDom */
static int standinNextID = 1;
static mvObjectEventState *standinEvents;

static void
standinDomFree(gpointer p)
{
    standinDom *d = p;

    g_free(d->name);
    g_free(d->xml);
    g_free(d);
}

/* --- events ------------------------------------------------------------- */

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
    int event;
    int detail;
} standinEvent;

static void
standinEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque,
                     void *opaque)
{
    standinEvent *ev = opaque;
    virDomainPtr dom = mvGetDomain(conn, ev->name, ev->uuid, ev->id);

    if (eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
        ((virConnectDomainEventCallback)(void (*)(void))cb)(conn, dom, ev->event, ev->detail,
                                                             cbopaque);
    else if (eventID == VIR_DOMAIN_EVENT_ID_REBOOT)
        ((virConnectDomainEventGenericCallback)(void (*)(void))cb)(conn, dom, cbopaque);
    virDomainFree(dom);
}

/* Call without standinLock. */
static void
standinEmit(const char *name, const unsigned char *uuid, int id, int eventID, int event,
            int detail)
{
    standinEvent ev = { .name = (char *)name, .id = id, .event = event, .detail = detail };

    memcpy(ev.uuid, uuid, VIR_UUID_BUFLEN);
    mvObjectEventStateEmit(standinEvents, eventID, uuid, standinEventDispatch, &ev);
}

/* A snapshot of what an event needs, taken under the lock. */
typedef struct {
    char name[256];
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
} standinRef;

static void
standinRefSet(standinRef *r, const standinDom *d)
{
    g_strlcpy(r->name, d->name, sizeof(r->name));
    memcpy(r->uuid, d->uuid, VIR_UUID_BUFLEN);
    r->id = d->id;
}

/* --- lookup ------------------------------------------------------------- */

static standinDom *
standinFindUUID(const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < standinDoms->len; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if (memcmp(d->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return d;
    }
    return NULL;
}

static standinDom *
standinFindName(const char *name)
{
    guint i;

    for (i = 0; i < standinDoms->len; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if (g_str_equal(d->name, name))
            return d;
    }
    return NULL;
}

/* The domain of @dom (by UUID), or NULL with VIR_ERR_NO_DOMAIN; lock held. */
static standinDom *
standinGet(virDomainPtr dom)
{
    standinDom *d = standinFindUUID(dom->uuid);
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (!d)
        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                      mvUUIDFormat(dom->uuid, uuidstr), dom->name);
    return d;
}

static virDomainPtr
standinHandle(virConnectPtr conn, const standinDom *d)
{
    return mvGetDomain(conn, d->name, d->uuid, d->id);
}

/* --- host --------------------------------------------------------------- */

static char *
standinGetCapabilities(virConnectPtr conn)
{
    return g_strdup("<capabilities>\n  <host>\n    <cpu>\n      <arch>x86_64</arch>\n"
                    "    </cpu>\n  </host>\n</capabilities>\n");
}

static char *
standinGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    return g_strdup("<sysinfo type='smbios'>\n</sysinfo>\n");
}

static int
standinConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return 255;
}

static char *
standinGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin, const char *arch,
                             const char *machine, const char *virttype, unsigned int flags)
{
    return g_strdup_printf("<domainCapabilities>\n  <arch>%s</arch>\n"
                           "  <machine>%s</machine>\n</domainCapabilities>\n",
                           arch ? arch : "x86_64", machine ? machine : "pc");
}

static int
standinNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    g_strlcpy(info->model, "x86_64", sizeof(info->model));
    info->memory = 4096000;
    info->cpus = STANDIN_NCPUS;
    info->mhz = 2000;
    info->nodes = 1;
    info->sockets = 1;
    info->cores = 2;
    info->threads = 2;
    return 0;
}

static int
standinNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells)
{
    if (startCell != 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "start cell %d out of range (0-0)", startCell);
        return -1;
    }
    if (maxCells > 0)
        freeMems[0] = 1024ULL * 1024 * 1024;
    return maxCells > 0 ? 1 : 0;
}

static unsigned long long
standinNodeGetFreeMemory(virConnectPtr conn)
{
    return 1024ULL * 1024 * 1024;
}

static int
standinFillStats(char (*field)[80], unsigned long long *value, size_t stride, int *nparams,
                 const char * const *names, const unsigned long long *values, int n)
{
    int i;

    if (*nparams == 0) {
        *nparams = n;
        return 0;
    }
    if (*nparams < n) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s", "nparams is too small");
        return -1;
    }
    for (i = 0; i < n; i++) {
        char (*f)[80] = (char (*)[80])((char *)field + i * stride);
        unsigned long long *v = (unsigned long long *)((char *)value + i * stride);

        g_strlcpy(*f, names[i], 80);
        *v = values[i];
    }
    *nparams = n;
    return 0;
}

static int
standinNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                       int *nparams, unsigned int flags)
{
    static const char * const names[] = { "kernel", "user", "idle", "iowait" };
    static const unsigned long long values[] = { 100, 200, 300, 4 };

    return standinFillStats(params ? &params[0].field : NULL,
                            params ? &params[0].value : NULL, sizeof(virNodeCPUStats),
                            nparams, names, values, 4);
}

static int
standinNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                          int *nparams, unsigned int flags)
{
    static const char * const names[] = { "total", "free", "buffers", "cached" };
    static const unsigned long long values[] = { 4096000, 1048576, 1000, 2000 };

    return standinFillStats(params ? &params[0].field : NULL,
                            params ? &params[0].value : NULL, sizeof(virNodeMemoryStats),
                            nparams, names, values, 4);
}

static int
standinNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags)
{
    if (cpumap) {
        *cpumap = g_new0(unsigned char, VIR_CPU_MAPLEN(STANDIN_NCPUS));
        (*cpumap)[0] = 0x0b;            /* CPUs 0, 1 and 3 */
    }
    if (online)
        *online = 3;
    return STANDIN_NCPUS;
}

static int
standinNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "standin", sizeof(secmodel->model));
    return 0;
}

static char *
standinXMLToNative(virConnectPtr conn, const char *nativeFormat, const char *domainXml,
                   unsigned int flags)
{
    if (!g_str_equal(nativeFormat, "qemu-argv")) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported config type %s", nativeFormat);
        return NULL;
    }
    return g_strdup("/usr/bin/true -name standin\n");
}

/* --- listing and lookup ------------------------------------------------- */

static int
standinNumOf(bool active)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    int n = 0;
    guint i;

    for (i = 0; i < standinDoms->len; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if ((d->id >= 0) == active)
            n++;
    }
    return n;
}

static int
standinNumOfDomains(virConnectPtr conn)
{
    return standinNumOf(true);
}

static int
standinNumOfDefinedDomains(virConnectPtr conn)
{
    return standinNumOf(false);
}

static int
standinListDomains(virConnectPtr conn, int *ids, int maxids)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    int n = 0;
    guint i;

    for (i = 0; i < standinDoms->len && n < maxids; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if (d->id >= 0)
            ids[n++] = d->id;
    }
    return n;
}

static int
standinListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    int n = 0;
    guint i;

    for (i = 0; i < standinDoms->len && n < maxnames; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if (d->id < 0)
            names[n++] = g_strdup(d->name);
    }
    return n;
}

static int
standinListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    GPtrArray *out = g_ptr_array_new();
    guint i;
    int n;

    for (i = 0; i < standinDoms->len; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if ((flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE) && !(flags &
            VIR_CONNECT_LIST_DOMAINS_INACTIVE) && d->id < 0)
            continue;
        if ((flags & VIR_CONNECT_LIST_DOMAINS_INACTIVE) && !(flags &
            VIR_CONNECT_LIST_DOMAINS_ACTIVE) && d->id >= 0)
            continue;
        g_ptr_array_add(out, standinHandle(conn, d));
    }
    n = out->len;
    if (domains) {
        g_ptr_array_add(out, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(out, FALSE);
    } else {
        for (i = 0; i < out->len; i++)
            virDomainFree(g_ptr_array_index(out, i));
        g_ptr_array_free(out, TRUE);
    }
    return n;
}

static virDomainPtr
standinLookupByID(virConnectPtr conn, int id)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    guint i;

    for (i = 0; i < standinDoms->len; i++) {
        standinDom *d = g_ptr_array_index(standinDoms, i);

        if (d->id >= 0 && d->id == id)
            return standinHandle(conn, d);
    }
    mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    return NULL;
}

static virDomainPtr
standinLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    standinDom *d = standinFindUUID(uuid);
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (!d) {
        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                      mvUUIDFormat(uuid, uuidstr));
        return NULL;
    }
    return standinHandle(conn, d);
}

static virDomainPtr
standinLookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    standinDom *d = standinFindName(name);

    if (!d) {
        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return NULL;
    }
    return standinHandle(conn, d);
}

/* --- definition and lifecycle ------------------------------------------- */

static char *
standinTag(const char *xml, const char *tag)
{
    g_autofree char *open = g_strdup_printf("<%s", tag);
    g_autofree char *close = g_strdup_printf("</%s>", tag);
    const char *s = strstr(xml, open);
    const char *e;

    if (!s || !(s = strchr(s, '>')) || !(e = strstr(s, close)))
        return NULL;
    return g_strstrip(g_strndup(s + 1, e - s - 1));
}

static virDomainPtr
standinDefine(virConnectPtr conn, const char *xml, bool persistent, bool start)
{
    g_autofree char *name = standinTag(xml, "name");
    g_autofree char *uuidstr = standinTag(xml, "uuid");
    g_autofree char *mem = standinTag(xml, "memory");
    g_autofree char *vcpu = standinTag(xml, "vcpu");
    unsigned char uuid[VIR_UUID_BUFLEN];
    standinRef ref;
    standinDom *d;
    virDomainPtr dom;
    bool added = false;

    if (!name || !*name) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "a domain needs a <name>");
        return NULL;
    }
    if (uuidstr) {
        if (mvUUIDParse(uuidstr, uuid) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "malformed uuid element '%s'", uuidstr);
            return NULL;
        }
    } else {
        mvUUIDGenerate(uuid);
    }

    g_mutex_lock(&standinLock);
    if (!(d = standinFindUUID(uuid)) && !(d = standinFindName(name))) {
        d = g_new0(standinDom, 1);
        d->id = -1;
        d->state = VIR_DOMAIN_SHUTOFF;
        d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
        memcpy(d->uuid, uuid, VIR_UUID_BUFLEN);
        g_ptr_array_add(standinDoms, d);
        added = true;
    } else if (!g_str_equal(d->name, name) || memcmp(d->uuid, uuid, VIR_UUID_BUFLEN) != 0) {
        g_mutex_unlock(&standinLock);
        mvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists with another "
                      "name or uuid", name);
        return NULL;
    }
    g_free(d->name);
    d->name = g_strdup(name);
    g_free(d->xml);
    d->xml = g_strdup(xml);
    d->memory = mem ? strtoul(mem, NULL, 10) : 65536;
    d->vcpus = vcpu ? atoi(vcpu) : 1;
    if (persistent)
        d->persistent = true;
    if (start) {
        d->id = standinNextID++;
        d->state = VIR_DOMAIN_RUNNING;
        d->reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    standinRefSet(&ref, d);
    dom = standinHandle(conn, d);
    g_mutex_unlock(&standinLock);

    if (persistent)
        standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                    VIR_DOMAIN_EVENT_DEFINED, added ? VIR_DOMAIN_EVENT_DEFINED_ADDED :
                    VIR_DOMAIN_EVENT_DEFINED_UPDATED);
    if (start)
        standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                    VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    return dom;
}

static virDomainPtr
standinDefineXML(virConnectPtr conn, const char *xml)
{
    return standinDefine(conn, xml, true, false);
}

static virDomainPtr
standinDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    mvCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    return standinDefine(conn, xml, true, false);
}

static virDomainPtr
standinCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    mvCheckFlags(flags, 0, NULL);
    return standinDefine(conn, xml, false, true);
}

static int
standinUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    standinRef ref;
    standinDom *d;

    g_mutex_lock(&standinLock);
    if (!(d = standinGet(dom))) {
        g_mutex_unlock(&standinLock);
        return -1;
    }
    if (!d->persistent) {
        g_mutex_unlock(&standinLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot undefine transient domain");
        return -1;
    }
    standinRefSet(&ref, d);
    if (d->id >= 0)
        d->persistent = false;
    else
        g_ptr_array_remove(standinDoms, d);
    g_mutex_unlock(&standinLock);
    standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    return 0;
}

static int
standinUndefine(virDomainPtr dom)
{
    return standinUndefineFlags(dom, 0);
}

static int
standinCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    standinRef ref;
    standinDom *d;
    bool paused = flags & VIR_DOMAIN_START_PAUSED;

    mvCheckFlags(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY, -1);
    g_mutex_lock(&standinLock);
    if (!(d = standinGet(dom))) {
        g_mutex_unlock(&standinLock);
        return -1;
    }
    if (d->id >= 0) {
        g_mutex_unlock(&standinLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return -1;
    }
    d->id = standinNextID++;
    d->state = paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING;
    d->reason = paused ? VIR_DOMAIN_PAUSED_USER : VIR_DOMAIN_RUNNING_BOOTED;
    standinRefSet(&ref, d);
    /* deliberately not updating dom->id: the dispatcher must cope */
    g_mutex_unlock(&standinLock);
    standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                    VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

static int
standinCreate(virDomainPtr dom)
{
    return standinCreateWithFlags(dom, 0);
}

/* Stops a running domain; emits STOPPED/@detail. */
static int
standinStop(virDomainPtr dom, int detail)
{
    standinRef ref;
    standinDom *d;

    g_mutex_lock(&standinLock);
    if (!(d = standinGet(dom))) {
        g_mutex_unlock(&standinLock);
        return -1;
    }
    if (d->id < 0) {
        g_mutex_unlock(&standinLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    standinRefSet(&ref, d);
    ref.id = -1;
    d->id = -1;
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ? VIR_DOMAIN_SHUTOFF_DESTROYED :
                VIR_DOMAIN_SHUTOFF_SHUTDOWN;
    if (!d->persistent)
        g_ptr_array_remove(standinDoms, d);
    g_mutex_unlock(&standinLock);
    standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                VIR_DOMAIN_EVENT_STOPPED, detail);
    return 0;
}

static int
standinDestroy(virDomainPtr dom)
{
    return standinStop(dom, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
}

static int
standinDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    mvCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    return standinStop(dom, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
}

static int
standinShutdown(virDomainPtr dom)
{
    return standinStop(dom, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

static int
standinShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    return standinStop(dom, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

/* Changes the state of a running domain and emits @event/@detail (or a
 * reboot event when @event is -1). */
static int
standinChange(virDomainPtr dom, int from, int to, int toReason, int event, int detail)
{
    standinRef ref;
    standinDom *d;

    g_mutex_lock(&standinLock);
    if (!(d = standinGet(dom))) {
        g_mutex_unlock(&standinLock);
        return -1;
    }
    if (d->id < 0 || (from >= 0 && d->state != from)) {
        g_mutex_unlock(&standinLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is not %s",
                      from == VIR_DOMAIN_PAUSED ? "paused" : "running");
        return -1;
    }
    d->state = to;
    d->reason = toReason;
    standinRefSet(&ref, d);
    g_mutex_unlock(&standinLock);
    if (event < 0)
        standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0);
    else
        standinEmit(ref.name, ref.uuid, ref.id, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
    return 0;
}

static int
standinSuspend(virDomainPtr dom)
{
    return standinChange(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER,
                         VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

static int
standinResume(virDomainPtr dom)
{
    return standinChange(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_RUNNING,
                         VIR_DOMAIN_RUNNING_UNPAUSED, VIR_DOMAIN_EVENT_RESUMED,
                         VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

static int
standinReboot(virDomainPtr dom, unsigned int flags)
{
    return standinChange(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING,
                         VIR_DOMAIN_RUNNING_BOOTED, -1, 0);
}

static int
standinReset(virDomainPtr dom, unsigned int flags)
{
    return standinChange(dom, -1, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, -1, 0);
}

static int
standinSetAutostart(virDomainPtr dom, int autostart)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock);
    standinDom *d = standinGet(dom);

    if (!d)
        return -1;
    d->autostart = autostart != 0;
    return 0;
}

/* --- state and properties ----------------------------------------------- */

/* Runs the body with the domain of @dom as d (lock held), or returns
 * @fail with VIR_ERR_NO_DOMAIN. */
#define STANDIN_WITH_DOM(dom, fail) \
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&standinLock); \
    standinDom *d = standinGet(dom); \
    if (!d) \
        return fail

static int
standinGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    STANDIN_WITH_DOM(dom, -1);
    info->state = d->state;
    info->maxMem = d->memory;
    info->memory = d->id >= 0 ? d->memory : 0;
    info->nrVirtCpu = d->vcpus;
    info->cpuTime = d->id >= 0 ? 1234567890ULL : 0;
    return 0;
}

static int
standinGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, -1);
    *state = d->state;
    if (reason)
        *reason = d->reason;
    return 0;
}

static char *
standinGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, NULL);
    return g_strdup(d->xml);
}

static int
standinGetAutostart(virDomainPtr dom, int *autostart)
{
    STANDIN_WITH_DOM(dom, -1);
    *autostart = d->autostart;
    return 0;
}

static char *
standinGetOSType(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, NULL);
    return g_strdup("hvm");
}

static unsigned long
standinGetMaxMemory(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, 0);
    return d->memory;
}

static int
standinGetMaxVcpus(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, -1);
    return d->vcpus;
}

static int
standinGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, -1);
    return d->vcpus;
}

static int
standinGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo, unsigned char *cpumaps,
                int maplen)
{
    int i;
    STANDIN_WITH_DOM(dom, -1);

    if (d->id < 0) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    for (i = 0; i < d->vcpus && i < maxinfo; i++) {
        info[i].number = i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpuTime = 1000000ULL * (i + 1);
        info[i].cpu = i % STANDIN_NCPUS;
        if (cpumaps && maplen > 0)
            VIR_USE_CPU(VIR_GET_CPUMAP(cpumaps, maplen, i), i % STANDIN_NCPUS);
    }
    return i;
}

static int
standinGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps, int maplen,
                      unsigned int flags)
{
    int i;
    int j;
    STANDIN_WITH_DOM(dom, -1);

    for (i = 0; i < d->vcpus && i < ncpumaps; i++)
        for (j = 0; j < STANDIN_NCPUS && j < maplen * 8; j++)
            VIR_USE_CPU(VIR_GET_CPUMAP(cpumaps, maplen, i), j);
    return i;
}

static int
standinGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                          unsigned int flags)
{
    int j;
    STANDIN_WITH_DOM(dom, -1);

    for (j = 0; j < STANDIN_NCPUS && j < maplen * 8; j++)
        VIR_USE_CPU(cpumaps, j);
    return 1;
}

static int
standinIsActive(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, -1);
    return d->id >= 0;
}

static int
standinIsPersistent(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, -1);
    return d->persistent;
}

static int
standinIsUpdated(virDomainPtr dom)
{
    STANDIN_WITH_DOM(dom, -1);
    return 0;
}

static int
standinHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, -1);
    return 0;
}

static int
standinGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    STANDIN_WITH_DOM(dom, -1);
    memset(seclabel, 0, sizeof(*seclabel));
    if (d->id >= 0)
        g_strlcpy(seclabel->label, "standin-label", sizeof(seclabel->label));
    return 0;
}

static int
standinGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels)
{
    STANDIN_WITH_DOM(dom, -1);
    *seclabels = g_new0(virSecurityLabel, 1);
    g_strlcpy((*seclabels)[0].label, "standin-label", sizeof((*seclabels)[0].label));
    (*seclabels)[0].enforcing = 1;
    return 1;
}

static int
standinGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, -1);
    *msgs = g_new0(char *, 3);
    (*msgs)[0] = g_strdup("tainted: standin one");
    (*msgs)[1] = g_strdup("tainted: standin two");
    return 2;
}

static int
standinGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info, unsigned int flags)
{
    STANDIN_WITH_DOM(dom, -1);
    info->state = VIR_DOMAIN_CONTROL_OK;
    info->details = 0;
    info->stateTime = 0;
    return 0;
}

static char *
standinGetSchedulerType(virDomainPtr dom, int *nparams)
{
    STANDIN_WITH_DOM(dom, NULL);
    if (nparams)
        *nparams = 5;
    return g_strdup("posix");
}

static int
standinEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                        virConnectDomainEventGenericCallback cb, void *opaque,
                        virFreeCallback freecb)
{
    return mvObjectEventStateRegister(standinEvents, conn, eventID, STANDIN_EVENT_IDS,
                                      dom ? dom->uuid : NULL, G_CALLBACK(cb), opaque, freecb);
}

static int
standinEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(standinEvents, conn, callbackID);
}

static const mvDomainDriver standinDomainDriver = {
    .connectGetCapabilities = standinGetCapabilities,
    .connectGetSysinfo = standinGetSysinfo,
    .connectGetMaxVcpus = standinConnectGetMaxVcpus,
    .connectGetDomainCapabilities = standinGetDomainCapabilities,
    .nodeGetInfo = standinNodeGetInfo,
    .nodeGetCellsFreeMemory = standinNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = standinNodeGetFreeMemory,
    .nodeGetCPUStats = standinNodeGetCPUStats,
    .nodeGetMemoryStats = standinNodeGetMemoryStats,
    .nodeGetCPUMap = standinNodeGetCPUMap,
    .nodeGetSecurityModel = standinNodeGetSecurityModel,
    .connectDomainXMLToNative = standinXMLToNative,
    .connectListDomains = standinListDomains,
    .connectNumOfDomains = standinNumOfDomains,
    .connectListDefinedDomains = standinListDefinedDomains,
    .connectNumOfDefinedDomains = standinNumOfDefinedDomains,
    .connectListAllDomains = standinListAllDomains,
    .domainLookupByID = standinLookupByID,
    .domainLookupByUUID = standinLookupByUUID,
    .domainLookupByName = standinLookupByName,
    .domainDefineXML = standinDefineXML,
    .domainDefineXMLFlags = standinDefineXMLFlags,
    .domainUndefine = standinUndefine,
    .domainUndefineFlags = standinUndefineFlags,
    .domainCreate = standinCreate,
    .domainCreateWithFlags = standinCreateWithFlags,
    .domainCreateXML = standinCreateXML,
    .domainDestroy = standinDestroy,
    .domainDestroyFlags = standinDestroyFlags,
    .domainShutdown = standinShutdown,
    .domainShutdownFlags = standinShutdownFlags,
    .domainReboot = standinReboot,
    .domainReset = standinReset,
    .domainSuspend = standinSuspend,
    .domainResume = standinResume,
    .domainSetAutostart = standinSetAutostart,
    .domainGetInfo = standinGetInfo,
    .domainGetState = standinGetState,
    .domainGetXMLDesc = standinGetXMLDesc,
    .domainGetAutostart = standinGetAutostart,
    .domainGetOSType = standinGetOSType,
    .domainGetMaxMemory = standinGetMaxMemory,
    .domainGetMaxVcpus = standinGetMaxVcpus,
    .domainGetVcpus = standinGetVcpus,
    .domainGetVcpusFlags = standinGetVcpusFlags,
    .domainGetVcpuPinInfo = standinGetVcpuPinInfo,
    .domainGetEmulatorPinInfo = standinGetEmulatorPinInfo,
    .domainIsActive = standinIsActive,
    .domainIsPersistent = standinIsPersistent,
    .domainIsUpdated = standinIsUpdated,
    .domainHasManagedSaveImage = standinHasManagedSaveImage,
    .domainGetSecurityLabel = standinGetSecurityLabel,
    .domainGetSecurityLabelList = standinGetSecurityLabelList,
    .domainGetMessages = standinGetMessages,
    .domainGetControlInfo = standinGetControlInfo,
    .domainGetSchedulerType = standinGetSchedulerType,
    .connectDomainEventRegisterAny = standinEventRegisterAny,
    .connectDomainEventDeregisterAny = standinEventDeregisterAny,
};

/* --- connection --------------------------------------------------------- */

static int
standinConnectOpen(virConnectPtr conn, unsigned int flags)
{
    const mvURI *uri = conn->uri;

    mvCheckFlags(flags, VIR_CONNECT_RO, MV_DRV_OPEN_ERROR);
    if (!uri || g_strcmp0(uri->driver, "standin") != 0 || uri->server || uri->transport)
        return MV_DRV_OPEN_DECLINED;
    return MV_DRV_OPEN_SUCCESS;
}

static int
standinConnectClose(virConnectPtr conn)
{
    mvObjectEventStateDeregisterConn(standinEvents, conn);
    return 0;
}

static const char *
standinConnectGetType(virConnectPtr conn)
{
    return "STANDIN";
}

static int
standinConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = 7002000;
    return 0;
}

static char *
standinConnectGetURI(virConnectPtr conn)
{
    return g_strdup("standin:///session");
}

static char *
standinConnectGetHostname(virConnectPtr conn)
{
    return g_strdup("standin-host");
}

static int
standinConnectIsAlive(virConnectPtr conn)
{
    return 1;
}

static int
standinConnectSupportsFeature(virConnectPtr conn, int feature)
{
    return 0;
}

static const mvHypervisorDriver standinHypervisorDriver = {
    .name = "standin",
    .connectOpen = standinConnectOpen,
    .connectClose = standinConnectClose,
    .connectGetType = standinConnectGetType,
    .connectGetVersion = standinConnectGetVersion,
    .connectGetURI = standinConnectGetURI,
    .connectGetHostname = standinConnectGetHostname,
    .connectIsAlive = standinConnectIsAlive,
    .connectSupportsFeature = standinConnectSupportsFeature,
};

static const char * const standinURISchemes[] = { "standin", NULL };

static const mvConnectDriver standinConnectDriver = {
    .name = "standin",
    .uriSchemes = standinURISchemes,
    .hypervisorDriver = &standinHypervisorDriver,
    .domainDriver = &standinDomainDriver,
};

static int
standinStateRegister(void)
{
    standinDoms = g_ptr_array_new_with_free_func(standinDomFree);
    standinEvents = mvObjectEventStateNew();
    return mvRegisterConnectDriver(&standinConnectDriver);
}

static void
standinStateCleanup(void)
{
    g_clear_pointer(&standinEvents, mvObjectEventStateFree);
    g_clear_pointer(&standinDoms, g_ptr_array_unref);
}

static const mvStateDriver standinStateDriver = {
    .name = "standin",
    .registerDriver = standinStateRegister,
    .cleanup = standinStateCleanup,
};

int
main(int argc, char **argv)
{
    static const mvDaemonSpec spec = {
        .name = "virtstandind",
        .socketPrefix = "virtstandind",
        .uriScheme = "standin",
        .configFile = "virtstandind.conf",
        .stateDriver = &standinStateDriver,
    };

    return mvDaemonRun(&spec, argc, argv);
}
