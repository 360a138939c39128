/*
 * qemu_driver: the QEMU driver's API tables and its state driver.
 *
 * Every domain call finds its object by UUID (the handle's name and id are
 * informative only), then either reads it under its lock or takes its job
 * for a change (see qemu_domobj.h).  Client events are emitted after every
 * lock is dropped.  Host calls (capabilities, node info) go to the
 * capability cache and drivers/util/host_info; nothing is probed before a
 * call needs it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "domain_restricted.h"
#include "driver_files.h"
#include "host_info.h"
#include "mv_conf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "qemu_command.h"
#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "qemu_interface.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.driver");

qemuDriver *qemu_driver;

/* Event ids libvirt 9.0 knows (0 lifecycle .. 26 memory-device-size-change). */
#define QEMU_DOMAIN_EVENT_IDS 27

/* --- helpers ------------------------------------------------------------- */

int
qemuDomainSaveConfig(const mvDomainDef *def)
{
    g_autofree char *path = mvDriverConfigPath(qemu_driver->configDir, def->name);
    g_autofree char *xml = mvDomainDefFormat(def, MV_DOMAIN_DEF_FORMAT_SECURE);

    if (!xml)
        return -1;
    if (mvFileMakePath(qemu_driver->configDir, 0700) < 0)
        return -1;
    return mvFileWriteAtomicFlags(path, xml, strlen(xml), 0600, MV_FILE_WRITE_NO_DIR_SYNC);
}

int
qemuDomainDeleteConfig(const char *name)
{
    g_autofree char *path = mvDriverConfigPath(qemu_driver->configDir, name);
    g_autofree char *link = mvDriverConfigPath(qemu_driver->autostartDir, name);

    unlink(link);
    if (unlink(path) < 0 && errno != ENOENT) {
        mvReportSystemError(errno, "cannot remove config file '%s'", path);
        return -1;
    }
    return 0;
}

void
qemuDomainRemoveInactive(qemuDomObj *obj)
{
    if (!obj->persistent && !qemuDomObjIsActive(obj))
        qemuDomListRemove(qemu_driver->domains, obj);
}

static void
noDomainError(const unsigned char *uuid, const char *name)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvUUIDFormat(uuid, uuidstr);
    mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuidstr,
                  name ? name : "");
}

/* The object behind a handle, referenced and locked; NULL with
 * VIR_ERR_NO_DOMAIN. */
static qemuDomObj *
objFromDom(virDomainPtr dom)
{
    qemuDomObj *obj = qemuDomListFindByUUID(qemu_driver->domains, dom->uuid);

    if (!obj) {
        noDomainError(dom->uuid, dom->name);
        return NULL;
    }
    g_mutex_lock(&obj->lock);
    return obj;
}

static void
objEnd(qemuDomObj *obj)
{
    g_mutex_unlock(&obj->lock);
    qemuDomObjUnref(obj);
}

/* Takes the job on a locked object; fails (and unlocks + unrefs) when the
 * object vanished meanwhile. */
static int
objBeginJob(qemuDomObj *obj)
{
    if (qemuDomObjBeginJob(obj) < 0)
        return -1;
    if (obj->removed) {
        qemuDomObjEndJob(obj);
        noDomainError(obj->def->uuid, obj->def->name);
        return -1;
    }
    return 0;
}

static int
checkActive(qemuDomObj *obj)
{
    if (!qemuDomObjIsActive(obj)) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    return 0;
}

static virDomainPtr
domFromObj(virConnectPtr conn, qemuDomObj *obj)
{
    return mvGetDomain(conn, obj->def->name, obj->def->uuid, obj->def->id);
}

/* Sends a QMP command without reply data for a locked object holding the
 * job; the lock is dropped while waiting. */
static int
objMonitorSimple(qemuDomObj *obj, const char *cmd)
{
    mvQemuMonitor *mon = obj->mon;
    struct json_object *reply;

    if (!mon) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' has no monitor connection",
                      obj->def->name);
        return -1;
    }
    g_mutex_unlock(&obj->lock);
    reply = mvQemuMonitorCommand(mon, cmd, NULL, 0);
    g_mutex_lock(&obj->lock);
    if (!reply)
        return -1;
    json_object_put(reply);
    return 0;
}

/* Parses and completes a definition for define / create. */
static mvDomainDef *
parseDefinition(const char *xml, bool validate, bool restricted)
{
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(mvQemuCaps) caps = NULL;

    if (!(def = mvDomainDefParse(xml, validate ? MV_DOMAIN_DEF_PARSE_VALIDATE : 0)))
        return NULL;
    if (restricted &&
        mvDomainDefCheckRestricted(def, (const char * const *)qemu_driver->restrictedDirs) < 0)
        return NULL;
    if (def->emulator)
        caps = mvQemuCapsCacheLookup(qemu_driver->capsCache, def->emulator);
    else
        caps = mvQemuCapsCacheLookupArch(qemu_driver->capsCache, def->os.arch);
    if (!caps)
        return NULL;
    if (def->virtType == MV_DOMAIN_VIRT_KVM && !caps->kvm) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain type 'kvm' is not available on this host (no usable /dev/kvm "
                      "for '%s'); use <domain type='qemu'> for emulation",
                      caps->binary);
        return NULL;
    }
    if (!def->emulator)
        def->emulator = g_strdup(caps->binary);
    if (mvQemuDomainPostParse(def, caps) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* --- connection ---------------------------------------------------------- */

static int
qemuConnectOpen(virConnectPtr conn, unsigned int flags)
{
    const mvURI *uri = conn->uri;
    const char *want;

    mvCheckFlags(flags, VIR_CONNECT_RO, MV_DRV_OPEN_ERROR);
    if (!uri || g_strcmp0(uri->driver, "qemu") != 0 || uri->server || uri->transport)
        return MV_DRV_OPEN_DECLINED;
    if (!qemu_driver) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "QEMU state driver is not active");
        return MV_DRV_OPEN_ERROR;
    }
    want = qemu_driver->privileged ? "/system" : "/session";
    if (g_strcmp0(uri->path, want) != 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "unexpected QEMU URI path '%s', try qemu://%s",
                      uri->path ? uri->path : "", want);
        return MV_DRV_OPEN_ERROR;
    }
    return MV_DRV_OPEN_SUCCESS;
}

static void
destroyAutodestroy(virConnectPtr conn)
{
    g_autoptr(GPtrArray) all = qemuDomListAll(qemu_driver->domains);

    for (guint i = 0; i < all->len; i++) {
        qemuDomObj *obj = g_ptr_array_index(all, i);
        g_autoptr(mvDomainDef) ident = NULL;

        g_mutex_lock(&obj->lock);
        if (obj->autodestroy && obj->autodestroyConn == conn &&
            qemuDomObjBeginJob(obj) == 0) {
            if (qemuDomObjIsActive(obj) && obj->autodestroyConn == conn) {
                ident = qemuDomainDefIdentity(obj->def);
                qemuProcessStop(obj, VIR_DOMAIN_SHUTOFF_DESTROYED, false);
                qemuDomainRemoveInactive(obj);
            }
            qemuDomObjEndJob(obj);
        }
        mvErrorReset();
        g_mutex_unlock(&obj->lock);
        if (ident) {
            ident->id = -1;
            qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_STOPPED,
                               VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
        }
    }
}

static int
qemuConnectClose(virConnectPtr conn)
{
    if (!qemu_driver)
        return 0;
    mvObjectEventStateDeregisterConn(qemu_driver->events, conn);
    destroyAutodestroy(conn);
    return 0;
}

static const char *
qemuConnectGetType(virConnectPtr conn)
{
    return "QEMU";
}

static int
qemuConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    g_autoptr(mvQemuCaps) caps = mvQemuCapsCacheLookupArch(qemu_driver->capsCache, NULL);

    if (!caps)
        return -1;
    *hvVer = caps->version;
    return 0;
}

static int
qemuConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    *libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

static char *
qemuConnectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static char *
qemuConnectGetURI(virConnectPtr conn)
{
    return g_strdup(qemu_driver->uri);
}

static int
qemuConnectReturnOne(virConnectPtr conn)
{
    return 1;
}

static int
qemuConnectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

static int
qemuConnectSupportsFeature(virConnectPtr conn, int feature)
{
    switch (feature) {
    case MV_DRV_FEATURE_TYPED_PARAM_STRING:
    case MV_DRV_FEATURE_XML_MIGRATABLE:
    case MV_DRV_FEATURE_FD_PASSING:
    case MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
    case MV_DRV_FEATURE_PROGRAM_KEEPALIVE:
    case MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        return 1;
    default:
        return 0;
    }
}

/* --- host ---------------------------------------------------------------- */

static char *
qemuConnectGetCapabilities(virConnectPtr conn)
{
    return mvQemuCapsBuildCapabilitiesXML(qemu_driver->capsCache, "none");
}

static char *
qemuConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                 const char *arch, const char *machine,
                                 const char *virttype, unsigned int flags)
{
    mvCheckFlags(flags, 0, NULL);
    return mvQemuCapsBuildDomainCapsXML(qemu_driver->capsCache, emulatorbin, arch, machine,
                                        virttype, flags);
}

static int
qemuConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return mvQemuCapsGetMaxVcpus(qemu_driver->capsCache, type);
}

static int
qemuNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    mvNodeInfo ni;

    if (mvHostGetNodeInfo(&ni) < 0)
        return -1;
    memset(info, 0, sizeof(*info));
    g_strlcpy(info->model, ni.model, sizeof(info->model));
    info->memory = ni.memoryKiB;
    info->cpus = ni.cpus;
    info->mhz = ni.mhz;
    info->nodes = ni.nodes;
    info->sockets = ni.sockets;
    info->cores = ni.cores;
    info->threads = ni.threads;
    return 0;
}

static char *
qemuConnectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    mvCheckFlags(flags, 0, NULL);
    return mvHostGetSysinfoXML();
}

static int
qemuNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                           int startCell, int maxCells)
{
    return mvHostGetCellsFreeMemory(freeMems, startCell, maxCells);
}

static unsigned long long
qemuNodeGetFreeMemory(virConnectPtr conn)
{
    return mvHostGetFreeMemory();
}

static int
statsOut(mvHostStat *stats, int n, void *out, int *nparams, size_t fieldLen)
{
    /* virNodeMemoryStats and virNodeCPUStats share one layout */
    virNodeMemoryStatsPtr params = out;

    for (int i = 0; i < n && i < *nparams; i++) {
        g_strlcpy(params[i].field, stats[i].field, fieldLen);
        params[i].value = stats[i].value;
    }
    if (n < *nparams)
        *nparams = n;
    return 0;
}

static int
qemuNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                       int *nparams, unsigned int flags)
{
    mvHostStat stats[16];
    int n = G_N_ELEMENTS(stats);

    mvCheckFlags(flags, 0, -1);
    if (*nparams == 0) {
        int zero = 0;

        if (mvHostGetMemoryStats(cellNum, NULL, &zero) < 0)
            return -1;
        *nparams = zero;
        return 0;
    }
    if (mvHostGetMemoryStats(cellNum, stats, &n) < 0)
        return -1;
    return statsOut(stats, n, params, nparams, sizeof(params[0].field));
}

static int
qemuNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                    int *nparams, unsigned int flags)
{
    mvHostStat stats[16];
    int n = G_N_ELEMENTS(stats);

    mvCheckFlags(flags, 0, -1);
    if (*nparams == 0) {
        int zero = 0;

        if (mvHostGetCPUStats(cpuNum, NULL, &zero) < 0)
            return -1;
        *nparams = zero;
        return 0;
    }
    if (mvHostGetCPUStats(cpuNum, stats, &n) < 0)
        return -1;
    return statsOut(stats, n, params, nparams, sizeof(params[0].field));
}

static int
qemuNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                  unsigned int flags)
{
    g_autofree unsigned char *map = NULL;
    unsigned int on = 0;
    int n;

    mvCheckFlags(flags, 0, -1);
    if ((n = mvHostGetCPUMap(&map, &on)) < 0)
        return -1;
    if (cpumap)
        *cpumap = g_steal_pointer(&map);
    if (online)
        *online = on;
    return n;
}

static int
qemuNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    /* no confinement driver yet: an empty model, as libvirt reports
     * with security_driver = "none" */
    return 0;
}

static char *
qemuConnectDomainXMLToNative(virConnectPtr conn, const char *format, const char *xml,
                             unsigned int flags)
{
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(mvQemuCaps) caps = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    mvQemuCommandOptions opts = { .monitorFD = -1 };
    g_autofree char *monPath = NULL;
    g_autofree char *dirName = NULL;

    mvCheckFlags(flags, 0, NULL);
    if (g_strcmp0(format, "qemu-argv") != 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported config type %s", format);
        return NULL;
    }
    if (!(def = parseDefinition(xml, false, false)))
        return NULL;
    if (!(caps = mvQemuCapsCacheLookup(qemu_driver->capsCache, def->emulator)))
        return NULL;
    def->id = -1;
    if (mvQemuAssignAliases(def) < 0)
        return NULL;
    dirName = g_strdup_printf("domain--1-%s", def->name);
    monPath = g_build_filename(qemu_driver->runDir, dirName, "monitor.sock", NULL);
    opts.monitorPath = monPath;
    opts.libDir = qemu_driver->stateDir;
    opts.runDir = qemu_driver->runDir;
    if (!(argv = mvQemuBuildCommandLine(def, caps, &opts)))
        return NULL;
    g_string_append(out, "LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin ");
    for (size_t i = 0; argv[i]; i++) {
        bool quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t\n'\"\\$`*?[]{}();<>&|~#");

        if (i)
            g_string_append_c(out, ' ');
        if (quote) {
            g_autofree char *q = g_shell_quote(argv[i]);
            g_string_append(out, q);
        } else {
            g_string_append(out, argv[i]);
        }
    }
    g_string_append_c(out, '\n');
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* --- lists and lookups --------------------------------------------------- */

static bool
matchFlags(qemuDomObj *obj, unsigned int flags)
{
    bool active = qemuDomObjIsActive(obj);

#define FILTER(yes, no, cond) \
    if ((flags & ((yes) | (no))) && (flags & ((yes) | (no))) != ((yes) | (no))) { \
        if ((flags & (yes)) && !(cond)) return false; \
        if ((flags & (no)) && (cond)) return false; \
    }
    FILTER(VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE, active);
    FILTER(VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
           obj->persistent);
    FILTER(VIR_CONNECT_LIST_DOMAINS_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
           obj->autostart);
    /* no managed save images, snapshots or checkpoints yet */
    FILTER(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
           false);
    FILTER(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
           false);
    FILTER(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
           false);
#undef FILTER
    if (flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)) {
        int st = obj->state;
        bool ok = ((flags & VIR_CONNECT_LIST_DOMAINS_RUNNING) && st == VIR_DOMAIN_RUNNING) ||
                  ((flags & VIR_CONNECT_LIST_DOMAINS_PAUSED) && st == VIR_DOMAIN_PAUSED) ||
                  ((flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && st == VIR_DOMAIN_SHUTOFF) ||
                  ((flags & VIR_CONNECT_LIST_DOMAINS_OTHER) &&
                   st != VIR_DOMAIN_RUNNING && st != VIR_DOMAIN_PAUSED &&
                   st != VIR_DOMAIN_SHUTOFF);
        if (!ok)
            return false;
    }
    return true;
}

#define LIST_ALL_FLAGS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER | \
     VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

static int
qemuConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) out = NULL;

    mvCheckFlags(flags, LIST_ALL_FLAGS, -1);
    all = qemuDomListAll(qemu_driver->domains);
    out = g_ptr_array_new_full(all->len + 1, NULL);
    for (guint i = 0; i < all->len; i++) {
        qemuDomObj *obj = g_ptr_array_index(all, i);

        g_mutex_lock(&obj->lock);
        if (!obj->removed && matchFlags(obj, flags))
            g_ptr_array_add(out, domains ? domFromObj(conn, obj) : NULL);
        g_mutex_unlock(&obj->lock);
    }
    if (domains) {
        guint n = out->len;

        g_ptr_array_add(out, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
        return (int)n;
    }
    return (int)out->len;
}

static int
qemuConnectNumOfDomains(virConnectPtr conn)
{
    return qemuConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
}

static int
qemuConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return qemuConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_INACTIVE);
}

static int
qemuConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    g_autoptr(GPtrArray) all = qemuDomListAll(qemu_driver->domains);
    int n = 0;

    for (guint i = 0; i < all->len && n < maxids; i++) {
        qemuDomObj *obj = g_ptr_array_index(all, i);

        g_mutex_lock(&obj->lock);
        if (!obj->removed && qemuDomObjIsActive(obj))
            ids[n++] = obj->def->id;
        g_mutex_unlock(&obj->lock);
    }
    return n;
}

static int
qemuConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    g_autoptr(GPtrArray) all = qemuDomListAll(qemu_driver->domains);
    int n = 0;

    for (guint i = 0; i < all->len && n < maxnames; i++) {
        qemuDomObj *obj = g_ptr_array_index(all, i);

        g_mutex_lock(&obj->lock);
        if (!obj->removed && !qemuDomObjIsActive(obj))
            names[n++] = g_strdup(obj->def->name);
        g_mutex_unlock(&obj->lock);
    }
    return n;
}

static virDomainPtr
lookupResult(virConnectPtr conn, qemuDomObj *obj)
{
    virDomainPtr dom;

    g_mutex_lock(&obj->lock);
    dom = domFromObj(conn, obj);
    g_mutex_unlock(&obj->lock);
    qemuDomObjUnref(obj);
    return dom;
}

static virDomainPtr
qemuDomainLookupByID(virConnectPtr conn, int id)
{
    qemuDomObj *obj = qemuDomListFindByID(qemu_driver->domains, id);

    if (!obj) {
        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
        return NULL;
    }
    return lookupResult(conn, obj);
}

static virDomainPtr
qemuDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    qemuDomObj *obj = qemuDomListFindByUUID(qemu_driver->domains, uuid);

    if (!obj) {
        char uuidstr[MV_UUID_STRING_BUFLEN];

        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                      mvUUIDFormat(uuid, uuidstr));
        return NULL;
    }
    return lookupResult(conn, obj);
}

static virDomainPtr
qemuDomainLookupByName(virConnectPtr conn, const char *name)
{
    qemuDomObj *obj = qemuDomListFindByName(qemu_driver->domains, name);

    if (!obj) {
        mvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return NULL;
    }
    return lookupResult(conn, obj);
}

/* --- define / undefine --------------------------------------------------- */

static virDomainPtr
qemuDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(mvDomainDef) ident = NULL;
    qemuDomObj *obj;
    virDomainPtr dom = NULL;
    bool updated = false;

    mvCheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE | MV_DOMAIN_DEFINE_RESTRICTED, NULL);
    if (!(def = parseDefinition(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE,
                                flags & MV_DOMAIN_DEFINE_RESTRICTED)))
        return NULL;
    if (qemuDomListCheckConflict(qemu_driver->domains, def) < 0)
        return NULL;

    def->id = -1;
    if ((obj = qemuDomListFindByUUID(qemu_driver->domains, def->uuid))) {
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            objEnd(obj);
            return NULL;
        }
        updated = true;
        if (qemuDomainSaveConfig(def) < 0)
            goto done;
        if (qemuDomObjIsActive(obj)) {
            mvDomainDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&def);
        } else {
            mvDomainDefFree(obj->def);
            obj->def = g_steal_pointer(&def);
        }
    } else {
        /* a new domain: in the list (so no other define can take its name)
         * before its file is written */
        if (!(obj = qemuDomListAdd(qemu_driver->domains, g_steal_pointer(&def))))
            return NULL;
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            objEnd(obj);
            return NULL;
        }
        if (qemuDomainSaveConfig(obj->def) < 0) {
            qemuDomListRemove(qemu_driver->domains, obj);
            goto done;
        }
    }
    obj->persistent = true;
    ident = qemuDomainDefIdentity(obj->def);
    dom = domFromObj(conn, obj);

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_DEFINED,
                           updated ? VIR_DOMAIN_EVENT_DEFINED_UPDATED :
                                     VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return dom;
}

static virDomainPtr
qemuDomainDefineXML(virConnectPtr conn, const char *xml)
{
    return qemuDomainDefineXMLFlags(conn, xml, 0);
}

static bool
defHasNvram(const mvDomainDef *def)
{
    return def->os.nvram != NULL;
}

static int
qemuDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) ident = NULL;
    const mvDomainDef *pdef;
    int ret = -1;

    mvCheckFlags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                        VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                        VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
                        VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
                        VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_KEEP_TPM, -1);
    if ((flags & VIR_DOMAIN_UNDEFINE_NVRAM) && (flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "cannot both keep and delete nvram: choose --nvram or --keep-nvram");
        return -1;
    }
    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (!obj->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
        goto done;
    }
    pdef = qemuDomObjPersistentDef(obj);
    if (defHasNvram(pdef) && !qemuDomObjIsActive(obj)) {
        if (flags & VIR_DOMAIN_UNDEFINE_NVRAM) {
            if (unlink(pdef->os.nvram) < 0 && errno != ENOENT) {
                mvReportSystemError(errno, "cannot remove nvram file '%s'",
                                    pdef->os.nvram);
                goto done;
            }
        } else if (!(flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) &&
                   access(pdef->os.nvram, F_OK) == 0) {
            mvReportError(VIR_ERR_OPERATION_INVALID,
                          "cannot undefine domain with nvram; use --nvram to delete it or "
                          "--keep-nvram to keep it");
            goto done;
        }
    }
    if (qemuDomainDeleteConfig(pdef->name) < 0)
        goto done;
    ident = qemuDomainDefIdentity(obj->def);
    obj->autostart = false;
    obj->persistent = false;
    g_clear_pointer(&obj->newDef, mvDomainDefFree);
    qemuDomainRemoveInactive(obj);
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_UNDEFINED,
                           VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    return ret;
}

static int
qemuDomainUndefine(virDomainPtr dom)
{
    return qemuDomainUndefineFlags(dom, 0);
}

/* --- start / stop -------------------------------------------------------- */

static void
emitStarted(mvDomainDef *ident, bool paused)
{
    qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

static unsigned int
startFlags(unsigned int flags)
{
    return ((flags & VIR_DOMAIN_START_PAUSED) ? QEMU_START_PAUSED : 0) |
           ((flags & VIR_DOMAIN_START_AUTODESTROY) ? QEMU_START_AUTODESTROY : 0);
}

static int
qemuDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) ident = NULL;
    int ret = -1;

    mvCheckFlags(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                        VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT |
                        VIR_DOMAIN_START_RESET_NVRAM, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (qemuDomObjIsActive(obj)) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is already running");
        goto done;
    }
    if (qemuProcessStart(obj, dom->conn, startFlags(flags),
                         VIR_DOMAIN_EVENT_STARTED_BOOTED) < 0)
        goto done;
    dom->id = obj->def->id;
    ident = qemuDomainDefIdentity(obj->def);
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        emitStarted(ident, flags & VIR_DOMAIN_START_PAUSED);
    return ret;
}

static int
qemuDomainCreate(virDomainPtr dom)
{
    return qemuDomainCreateWithFlags(dom, 0);
}

static virDomainPtr
qemuDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(mvDomainDef) ident = NULL;
    qemuDomObj *obj;
    virDomainPtr dom = NULL;
    bool added = false;

    mvCheckFlags(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                        VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_VALIDATE |
                        VIR_DOMAIN_START_RESET_NVRAM, NULL);
    if (!(def = parseDefinition(xml, flags & VIR_DOMAIN_START_VALIDATE, false)))
        return NULL;
    if (qemuDomListCheckConflict(qemu_driver->domains, def) < 0)
        return NULL;
    if ((obj = qemuDomListFindByUUID(qemu_driver->domains, def->uuid))) {
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            objEnd(obj);
            return NULL;
        }
        if (qemuDomObjIsActive(obj)) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already active",
                          obj->def->name);
            goto done;
        }
        /* a persistent domain started with a one-off definition */
        mvDomainDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&obj->def);
        obj->def = g_steal_pointer(&def);
    } else {
        if (!(obj = qemuDomListAdd(qemu_driver->domains, g_steal_pointer(&def))))
            return NULL;
        added = true;
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            objEnd(obj);
            return NULL;
        }
    }
    if (qemuProcessStart(obj, conn, startFlags(flags), VIR_DOMAIN_EVENT_STARTED_BOOTED) < 0) {
        if (added) {
            qemuDomListRemove(qemu_driver->domains, obj);
        } else if (obj->newDef) {
            mvDomainDefFree(obj->def);
            obj->def = g_steal_pointer(&obj->newDef);
        }
        goto done;
    }
    ident = qemuDomainDefIdentity(obj->def);
    dom = domFromObj(conn, obj);

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        emitStarted(ident, flags & VIR_DOMAIN_START_PAUSED);
    return dom;
}

static int
qemuDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) ident = NULL;
    int ret = -1;

    mvCheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL | VIR_DOMAIN_DESTROY_REMOVE_LOGS, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (checkActive(obj) < 0)
        goto done;
    ident = qemuDomainDefIdentity(obj->def);
    if (qemuProcessStop(obj, VIR_DOMAIN_SHUTOFF_DESTROYED,
                        flags & VIR_DOMAIN_DESTROY_GRACEFUL) < 0) {
        g_clear_pointer(&ident, mvDomainDefFree);
        goto done;
    }
    if ((flags & VIR_DOMAIN_DESTROY_REMOVE_LOGS) && obj->logPath)
        unlink(obj->logPath);
    qemuDomainRemoveInactive(obj);
    dom->id = -1;
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident) {
        ident->id = -1;
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    }
    return ret;
}

static int
qemuDomainDestroy(virDomainPtr dom)
{
    return qemuDomainDestroyFlags(dom, 0);
}

#define POWER_MODES \
    (VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_GUEST_AGENT | \
     VIR_DOMAIN_SHUTDOWN_INITCTL | VIR_DOMAIN_SHUTDOWN_SIGNAL | VIR_DOMAIN_SHUTDOWN_PARAVIRT)

/* Shutdown and reboot: ACPI power button (the default), or SIGTERM. */
static int
powerRequest(virDomainPtr dom, unsigned int flags, bool reboot)
{
    qemuDomObj *obj;
    int ret = -1;

    mvCheckFlags(flags, POWER_MODES, -1);
    if (flags && !(flags & (VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_SIGNAL))) {
        mvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "%s mode 0x%x needs a guest agent or initctl, which this domain "
                      "cannot use; use --mode acpi or --mode signal",
                      reboot ? "reboot" : "shutdown", flags);
        return -1;
    }
    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (checkActive(obj) < 0)
        goto done;
    if (!(flags & VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) && (flags & VIR_DOMAIN_SHUTDOWN_SIGNAL)) {
        if (reboot) {
            mvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                          "reboot by signal is not supported; use --mode acpi");
            goto done;
        }
        if (kill(obj->pid, SIGTERM) < 0) {
            mvReportSystemError(errno, "cannot send SIGTERM to QEMU process %d", obj->pid);
            goto done;
        }
        ret = 0;
        goto done;
    }
    if (reboot)
        obj->fakeReboot = true;
    if (objMonitorSimple(obj, "system_powerdown") < 0) {
        obj->fakeReboot = false;
        goto done;
    }
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    return ret;
}

static int
qemuDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    return powerRequest(dom, flags, false);
}

static int
qemuDomainShutdown(virDomainPtr dom)
{
    return powerRequest(dom, 0, false);
}

static int
qemuDomainReboot(virDomainPtr dom, unsigned int flags)
{
    return powerRequest(dom, flags, true);
}

static int
qemuDomainReset(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    int ret = -1;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (checkActive(obj) == 0 && objMonitorSimple(obj, "system_reset") == 0)
        ret = 0;
    qemuDomObjEndJob(obj);
    objEnd(obj);
    return ret;
}

static int
qemuDomainSuspend(virDomainPtr dom)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) ident = NULL;
    int ret = -1;

    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (checkActive(obj) < 0)
        goto done;
    if (obj->state != VIR_DOMAIN_PAUSED) {
        int oldState = obj->state, oldReason = obj->reason;

        obj->state = VIR_DOMAIN_PAUSED;
        obj->reason = VIR_DOMAIN_PAUSED_USER;
        if (objMonitorSimple(obj, "stop") < 0) {
            obj->state = oldState;
            obj->reason = oldReason;
            goto done;
        }
        qemuProcessSaveStatus(obj);
        ident = qemuDomainDefIdentity(obj->def);
    }
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return ret;
}

static int
qemuDomainResume(virDomainPtr dom)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) ident = NULL;
    int ret = -1;

    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (checkActive(obj) < 0)
        goto done;
    if (obj->state == VIR_DOMAIN_PMSUSPENDED) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is pmsuspended");
        goto done;
    }
    if (obj->state == VIR_DOMAIN_RUNNING) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is already running");
        goto done;
    }
    if (obj->state == VIR_DOMAIN_PAUSED || obj->state == VIR_DOMAIN_CRASHED) {
        int oldState = obj->state, oldReason = obj->reason;

        obj->state = VIR_DOMAIN_RUNNING;
        obj->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
        if (objMonitorSimple(obj, "cont") < 0) {
            obj->state = oldState;
            obj->reason = oldReason;
            goto done;
        }
        qemuProcessSaveStatus(obj);
        ident = qemuDomainDefIdentity(obj->def);
    }
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    if (ident)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    return ret;
}

/* --- queries ------------------------------------------------------------- */

static int
qemuDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    qemuDomObj *obj;

    if (!(obj = objFromDom(dom)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)obj->state;
    info->maxMem = obj->def->memKiB;
    info->memory = obj->def->curMemKiB ? obj->def->curMemKiB : obj->def->memKiB;
    info->nrVirtCpu = obj->def->vcpusCurrent ? obj->def->vcpusCurrent : obj->def->vcpus;
    if (qemuDomObjIsActive(obj))
        info->cpuTime = qemuProcessCPUTime(obj->pid, 0);
    objEnd(obj);
    return 0;
}

static int
qemuDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    qemuDomObj *obj;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    *state = obj->state;
    if (reason)
        *reason = obj->reason;
    objEnd(obj);
    return 0;
}

static int
qemuDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info, unsigned int flags)
{
    qemuDomObj *obj;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (checkActive(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    memset(info, 0, sizeof(*info));
    info->state = obj->job.active ? VIR_DOMAIN_CONTROL_JOB : VIR_DOMAIN_CONTROL_OK;
    objEnd(obj);
    return 0;
}

static char *
qemuDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    unsigned int fmt = 0;
    char *xml;

    mvCheckFlags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                        VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE, NULL);
    if (!(obj = objFromDom(dom)))
        return NULL;
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= MV_DOMAIN_DEF_FORMAT_SECURE;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || !qemuDomObjIsActive(obj)) {
        xml = mvDomainDefFormat(qemuDomObjPersistentDef(obj), fmt);
    } else {
        if (!(flags & VIR_DOMAIN_XML_MIGRATABLE))
            fmt |= MV_DOMAIN_DEF_FORMAT_LIVE;
        xml = mvDomainDefFormat(obj->def, fmt);
    }
    objEnd(obj);
    return xml;
}

static int
qemuDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    qemuDomObj *obj;

    if (!(obj = objFromDom(dom)))
        return -1;
    *autostart = obj->autostart;
    objEnd(obj);
    return 0;
}

static int
qemuDomainSetAutostart(virDomainPtr dom, int autostart)
{
    qemuDomObj *obj;
    g_autofree char *link = NULL;
    g_autofree char *target = NULL;
    int ret = -1;

    if (!(obj = objFromDom(dom)))
        return -1;
    if (objBeginJob(obj) < 0) {
        objEnd(obj);
        return -1;
    }
    if (!obj->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "cannot set autostart for transient domain");
        goto done;
    }
    link = mvDriverConfigPath(qemu_driver->autostartDir, qemuDomObjPersistentDef(obj)->name);
    target = mvDriverConfigPath(qemu_driver->configDir, qemuDomObjPersistentDef(obj)->name);
    if (autostart && !obj->autostart) {
        if (mvFileMakePath(qemu_driver->autostartDir, 0700) < 0)
            goto done;
        unlink(link);
        if (symlink(target, link) < 0) {
            mvReportSystemError(errno, "cannot create autostart link '%s' to '%s'",
                                link, target);
            goto done;
        }
    } else if (!autostart && obj->autostart) {
        if (unlink(link) < 0 && errno != ENOENT) {
            mvReportSystemError(errno, "cannot remove autostart link '%s'", link);
            goto done;
        }
    }
    obj->autostart = autostart != 0;
    ret = 0;

 done:
    qemuDomObjEndJob(obj);
    objEnd(obj);
    return ret;
}

static char *
qemuDomainGetOSType(virDomainPtr dom)
{
    qemuDomObj *obj;
    char *type;

    if (!(obj = objFromDom(dom)))
        return NULL;
    type = g_strdup(obj->def->os.type ? obj->def->os.type : "hvm");
    objEnd(obj);
    return type;
}

static unsigned long
qemuDomainGetMaxMemory(virDomainPtr dom)
{
    qemuDomObj *obj;
    unsigned long mem;

    if (!(obj = objFromDom(dom)))
        return 0;
    mem = obj->def->memKiB;
    objEnd(obj);
    return mem;
}

static int
qemuDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;
    const mvDomainDef *def;
    bool live = flags & VIR_DOMAIN_AFFECT_LIVE;
    bool config = flags & VIR_DOMAIN_AFFECT_CONFIG;
    int n = -1;

    mvCheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                        VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST, -1);
    if (live && config) {
        mvReportError(VIR_ERR_INVALID_ARG, "--live and --config are mutually exclusive");
        return -1;
    }
    if (!(obj = objFromDom(dom)))
        return -1;
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        mvReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                      "counting vCPUs as the guest sees them needs a guest agent");
        goto done;
    }
    if (live && checkActive(obj) < 0)
        goto done;
    if (!live && !config)
        live = qemuDomObjIsActive(obj);
    def = live ? obj->def : qemuDomObjPersistentDef(obj);
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM)
        n = (int)def->vcpus;
    else
        n = (int)(def->vcpusCurrent ? def->vcpusCurrent : def->vcpus);
 done:
    objEnd(obj);
    return n;
}

static int
qemuDomainGetMaxVcpus(virDomainPtr dom)
{
    return qemuDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
}

/* The host CPU a thread last ran on (field 39 of its stat file). */
static int
threadLastCPU(pid_t pid, pid_t tid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/stat", pid, tid);
    g_autofree char *data = NULL;
    char *p;
    int field = 2;

    if (!g_file_get_contents(path, &data, NULL, NULL) || !(p = strrchr(data, ')')))
        return 0;
    for (p++; *p; p++) {
        if (*p == ' ' && ++field == 39)
            return atoi(p + 1);
    }
    return 0;
}

static int
qemuDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    qemuDomObj *obj;
    int n = -1;

    if (!(obj = objFromDom(dom)))
        return -1;
    if (checkActive(obj) < 0)
        goto done;
    n = obj->vcpuTids ? (int)obj->vcpuTids->len : 0;
    if (n > maxinfo)
        n = maxinfo;
    for (int i = 0; i < n; i++) {
        pid_t tid = g_array_index(obj->vcpuTids, pid_t, i);

        memset(&info[i], 0, sizeof(info[i]));
        info[i].number = i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpuTime = tid > 0 ? qemuProcessCPUTime(obj->pid, tid) : 0;
        info[i].cpu = tid > 0 ? threadLastCPU(obj->pid, tid) : 0;
        if (cpumaps && maplen > 0) {
            unsigned char *map = cpumaps + (size_t)i * maplen;
            cpu_set_t set;

            memset(map, 0, maplen);
            if (tid > 0 && sched_getaffinity(tid, sizeof(set), &set) == 0) {
                for (int c = 0; c < maplen * 8 && c < CPU_SETSIZE; c++) {
                    if (CPU_ISSET(c, &set))
                        map[c / 8] |= 1 << (c % 8);
                }
            }
        }
    }
 done:
    objEnd(obj);
    return n;
}

static int
qemuDomainIsActive(virDomainPtr dom)
{
    qemuDomObj *obj;
    int ret;

    if (!(obj = objFromDom(dom)))
        return -1;
    ret = qemuDomObjIsActive(obj);
    objEnd(obj);
    return ret;
}

static int
qemuDomainIsPersistent(virDomainPtr dom)
{
    qemuDomObj *obj;
    int ret;

    if (!(obj = objFromDom(dom)))
        return -1;
    ret = obj->persistent;
    objEnd(obj);
    return ret;
}

static int
qemuDomainIsUpdated(virDomainPtr dom)
{
    qemuDomObj *obj;

    if (!(obj = objFromDom(dom)))
        return -1;
    objEnd(obj);
    return 0;
}

static int
qemuDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    qemuDomObj *obj;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    objEnd(obj);
    return 0;
}

static int
qemuDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    qemuDomObj *obj;

    if (!(obj = objFromDom(dom)))
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    objEnd(obj);
    return 0;
}

static int
qemuDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    qemuDomObj *obj;
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    int n;

    mvCheckFlags(flags, VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (qemuDomObjIsActive(obj) && obj->def->qemuArgs &&
        (!flags || (flags & VIR_DOMAIN_MESSAGE_TAINTING)))
        g_ptr_array_add(out, g_strdup("tainted: custom monitor control commands issued"));
    objEnd(obj);
    n = (int)out->len;
    g_ptr_array_add(out, NULL);
    *msgs = (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    return n;
}

static int
qemuDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                             unsigned int source, unsigned int flags)
{
    qemuDomObj *obj;
    g_autoptr(mvDomainDef) live = NULL;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = objFromDom(dom)))
        return -1;
    if (checkActive(obj) < 0 || !(live = qemuDomainDefCopy(obj->def))) {
        objEnd(obj);
        return -1;
    }
    objEnd(obj);
    /* asking virtnetworkd happens with no lock held */
    return qemuInterfacesAddresses(live, qemu_driver->networkURI, source, ifaces);
}

/* --- events -------------------------------------------------------------- */

static int
qemuConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return mvObjectEventStateRegister(qemu_driver->events, conn, eventID,
                                      QEMU_DOMAIN_EVENT_IDS, dom ? dom->uuid : NULL,
                                      G_CALLBACK(cb), opaque, freecb);
}

static int
qemuConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(qemu_driver->events, conn, callbackID);
}

/* --- tables -------------------------------------------------------------- */

static const mvHypervisorDriver qemuHypervisorDriver = {
    .name = "QEMU",
    .connectOpen = qemuConnectOpen,
    .connectClose = qemuConnectClose,
    .connectGetType = qemuConnectGetType,
    .connectGetVersion = qemuConnectGetVersion,
    .connectGetLibVersion = qemuConnectGetLibVersion,
    .connectGetHostname = qemuConnectGetHostname,
    .connectGetURI = qemuConnectGetURI,
    .connectIsAlive = qemuConnectReturnOne,
    .connectIsSecure = qemuConnectReturnOne,
    .connectIsEncrypted = qemuConnectIsEncrypted,
    .connectSupportsFeature = qemuConnectSupportsFeature,
};

static const mvDomainDriver qemuDomainDriver = {
    .connectGetCapabilities = qemuConnectGetCapabilities,
    .connectGetDomainCapabilities = qemuConnectGetDomainCapabilities,
    .connectGetMaxVcpus = qemuConnectGetMaxVcpus,
    .connectGetSysinfo = qemuConnectGetSysinfo,
    .nodeGetInfo = qemuNodeGetInfo,
    .nodeGetCellsFreeMemory = qemuNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = qemuNodeGetFreeMemory,
    .nodeGetMemoryStats = qemuNodeGetMemoryStats,
    .nodeGetCPUStats = qemuNodeGetCPUStats,
    .nodeGetCPUMap = qemuNodeGetCPUMap,
    .nodeGetSecurityModel = qemuNodeGetSecurityModel,
    .connectDomainXMLToNative = qemuConnectDomainXMLToNative,
    .connectListAllDomains = qemuConnectListAllDomains,
    .connectNumOfDomains = qemuConnectNumOfDomains,
    .connectListDomains = qemuConnectListDomains,
    .connectNumOfDefinedDomains = qemuConnectNumOfDefinedDomains,
    .connectListDefinedDomains = qemuConnectListDefinedDomains,
    .domainLookupByID = qemuDomainLookupByID,
    .domainLookupByUUID = qemuDomainLookupByUUID,
    .domainLookupByName = qemuDomainLookupByName,
    .domainDefineXML = qemuDomainDefineXML,
    .domainDefineXMLFlags = qemuDomainDefineXMLFlags,
    .domainUndefine = qemuDomainUndefine,
    .domainUndefineFlags = qemuDomainUndefineFlags,
    .domainCreate = qemuDomainCreate,
    .domainCreateWithFlags = qemuDomainCreateWithFlags,
    .domainCreateXML = qemuDomainCreateXML,
    .domainDestroy = qemuDomainDestroy,
    .domainDestroyFlags = qemuDomainDestroyFlags,
    .domainShutdown = qemuDomainShutdown,
    .domainShutdownFlags = qemuDomainShutdownFlags,
    .domainReboot = qemuDomainReboot,
    .domainReset = qemuDomainReset,
    .domainSuspend = qemuDomainSuspend,
    .domainResume = qemuDomainResume,
    .domainGetInfo = qemuDomainGetInfo,
    .domainGetState = qemuDomainGetState,
    .domainGetControlInfo = qemuDomainGetControlInfo,
    .domainGetXMLDesc = qemuDomainGetXMLDesc,
    .domainGetAutostart = qemuDomainGetAutostart,
    .domainSetAutostart = qemuDomainSetAutostart,
    .domainGetOSType = qemuDomainGetOSType,
    .domainGetMaxMemory = qemuDomainGetMaxMemory,
    .domainGetMaxVcpus = qemuDomainGetMaxVcpus,
    .domainGetVcpus = qemuDomainGetVcpus,
    .domainGetVcpusFlags = qemuDomainGetVcpusFlags,
    .domainIsActive = qemuDomainIsActive,
    .domainIsPersistent = qemuDomainIsPersistent,
    .domainIsUpdated = qemuDomainIsUpdated,
    .domainHasManagedSaveImage = qemuDomainHasManagedSaveImage,
    .domainGetSecurityLabel = qemuDomainGetSecurityLabel,
    .domainGetMessages = qemuDomainGetMessages,
    .domainInterfaceAddresses = qemuDomainInterfaceAddresses,
    .connectDomainEventRegisterAny = qemuConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = qemuConnectDomainEventDeregisterAny,
};

static const char * const qemuURISchemes[] = { "qemu", NULL };

const mvConnectDriver qemuConnectDriver = {
    .name = "QEMU",
    .uriSchemes = qemuURISchemes,
    .hypervisorDriver = &qemuHypervisorDriver,
    .domainDriver = &qemuDomainDriver,
};

/* --- state driver -------------------------------------------------------- */

static int
qemuRegister(void)
{
    return mvRegisterConnectDriver(&qemuConnectDriver);
}

static void
loadConfig(const char *path, const char *fileName, void *opaque)
{
    g_autofree char *link = NULL;
    mvDomainDef *def;
    qemuDomObj *obj;

    if (!(def = mvDomainDefParseFile(path, 0))) {
        MV_WARN("ignoring domain config '%s': %s", path, mvErrorGetLast()->message);
        mvErrorReset();
        return;
    }
    if (!mvDriverConfigNameMatches(fileName, def->name)) {
        MV_WARN("ignoring domain config '%s': it defines domain '%s'", path, def->name);
        mvDomainDefFree(def);
        return;
    }
    if (!(obj = qemuDomListAdd(qemu_driver->domains, def))) {
        MV_WARN("ignoring domain config '%s': %s", path, mvErrorGetLast()->message);
        mvErrorReset();
        return;
    }
    obj->persistent = true;
    link = mvDriverConfigPath(qemu_driver->autostartDir, obj->name);
    obj->autostart = access(link, F_OK) == 0;
    qemuDomObjUnref(obj);
}

static gpointer
autostartThread(gpointer data)
{
    g_autoptr(GPtrArray) all = qemuDomListAll(qemu_driver->domains);

    for (guint i = 0; i < all->len; i++) {
        qemuDomObj *obj = g_ptr_array_index(all, i);
        g_autoptr(mvDomainDef) ident = NULL;

        g_mutex_lock(&obj->lock);
        if (obj->autostart && !qemuDomObjIsActive(obj) && qemuDomObjBeginJob(obj) == 0) {
            if (!qemuDomObjIsActive(obj)) {
                if (qemuProcessStart(obj, NULL, 0, VIR_DOMAIN_EVENT_STARTED_BOOTED) < 0)
                    MV_WARN("cannot autostart domain '%s': %s", obj->def->name,
                            mvErrorGetLast()->message);
                else
                    ident = qemuDomainDefIdentity(obj->def);
            }
            qemuDomObjEndJob(obj);
        }
        mvErrorReset();
        g_mutex_unlock(&obj->lock);
        if (ident)
            qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    }
    return NULL;
}

static int
readQemuConf(const char *path)
{
    g_autoptr(mvConf) conf = NULL;
    static const char * const known[] = { "restricted_allowed_dirs", NULL };
    g_auto(GStrv) unknown = NULL;

    if (access(path, F_OK) < 0)
        return 0;
    if (!(conf = mvConfReadFile(path)))
        return -1;
    if (mvConfHasKey(conf, "restricted_allowed_dirs") &&
        mvConfGetStringList(conf, "restricted_allowed_dirs", &qemu_driver->restrictedDirs) < 0)
        return -1;
    unknown = mvConfListUnknownKeys(conf, known);
    for (size_t i = 0; unknown && unknown[i]; i++)
        MV_DEBUG("%s: setting '%s' is not used by modvirt yet", path, unknown[i]);
    return 0;
}

static void qemuCleanup(void);

static int
qemuInitialize(const mvDriverStateConfig *cfg)
{
    g_autofree char *capsDir = NULL;
    g_autofree char *confPath = NULL;

    qemu_driver = g_new0(qemuDriver, 1);
    g_mutex_init(&qemu_driver->idLock);
    qemu_driver->nextID = 1;
    qemu_driver->privileged = cfg->privileged;
    qemu_driver->uri = g_strdup(cfg->privileged ? "qemu:///system" : "qemu:///session");
    /* a session daemon names virtsecretd's socket: the client library
     * would look under /run when the daemon runs as root */
    qemu_driver->secretURI = cfg->privileged ? g_strdup("secret:///system") :
        g_strdup_printf("secret:///session?socket=%s/virtsecretd-sock", cfg->runDir);
    qemu_driver->networkURI = cfg->privileged ? g_strdup("network:///system") :
        g_strdup_printf("network:///session?socket=%s/virtnetworkd-sock", cfg->runDir);
    qemu_driver->configDir = g_build_filename(cfg->configDir, "qemu", NULL);
    qemu_driver->autostartDir = g_build_filename(qemu_driver->configDir, "autostart", NULL);
    qemu_driver->stateDir = g_build_filename(cfg->stateDir, "qemu", NULL);
    qemu_driver->runDir = g_build_filename(cfg->runDir, "qemu", NULL);
    qemu_driver->cacheDir = g_build_filename(cfg->cacheDir, "qemu", NULL);
    qemu_driver->logDir = cfg->privileged ? g_build_filename(cfg->logDir, "qemu", NULL) :
                                            g_build_filename(cfg->cacheDir, "qemu", "log", NULL);
    confPath = g_build_filename(cfg->configDir, "qemu.conf", NULL);

    if (mvFileMakePath(qemu_driver->runDir, 0700) < 0 ||
        mvFileMakePath(qemu_driver->stateDir, 0700) < 0)
        goto error;
    if (readQemuConf(confPath) < 0)
        goto error;
    capsDir = g_build_filename(qemu_driver->cacheDir, "capabilities", NULL);
    qemu_driver->capsCache = mvQemuCapsCacheNew(capsDir, qemu_driver->runDir);
    qemu_driver->events = mvObjectEventStateNew();
    qemu_driver->domains = qemuDomListNew();
    qemu_driver->workers = g_thread_pool_new(qemuWorkerRun, NULL, 2, FALSE, NULL);

    mvDriverForEachConfig(qemu_driver->configDir, loadConfig, NULL);
    qemuProcessReconnectAll();
    if (mvDriverAutostartOnce(qemu_driver->runDir, "guests"))
        g_thread_unref(g_thread_new("qemu-autostart", autostartThread, NULL));
    return 0;

 error:
    return -1;
}

static void
qemuCleanup(void)
{
    g_autoptr(GPtrArray) all = NULL;

    if (!qemu_driver)
        return;
    if (qemu_driver->workers)
        g_thread_pool_free(qemu_driver->workers, FALSE, TRUE);
    if (qemu_driver->domains) {
        /* guests keep running: only let go of their monitors */
        all = qemuDomListAll(qemu_driver->domains);
        for (guint i = 0; i < all->len; i++) {
            qemuDomObj *obj = g_ptr_array_index(all, i);
            mvQemuMonitor *mon;

            g_mutex_lock(&obj->lock);
            mon = g_steal_pointer(&obj->mon);
            obj->stopping = true;
            g_mutex_unlock(&obj->lock);
            mvQemuMonitorClose(mon);
        }
        g_clear_pointer(&all, g_ptr_array_unref);
        qemuDomListFree(qemu_driver->domains);
    }
    mvQemuCapsCacheFree(qemu_driver->capsCache);
    mvObjectEventStateFree(qemu_driver->events);
    g_free(qemu_driver->uri);
    g_free(qemu_driver->secretURI);
    g_free(qemu_driver->networkURI);
    g_free(qemu_driver->configDir);
    g_free(qemu_driver->autostartDir);
    g_free(qemu_driver->stateDir);
    g_free(qemu_driver->runDir);
    g_free(qemu_driver->cacheDir);
    g_free(qemu_driver->logDir);
    g_strfreev(qemu_driver->restrictedDirs);
    g_mutex_clear(&qemu_driver->idLock);
    g_clear_pointer(&qemu_driver, g_free);
}

static unsigned int
qemuInhibitCount(void)
{
    return qemu_driver ? (unsigned int)g_atomic_int_get(&qemu_driver->nactive) : 0;
}

const mvStateDriver qemuStateDriver = {
    .name = "QEMU",
    .registerDriver = qemuRegister,
    .initialize = qemuInitialize,
    .cleanup = qemuCleanup,
    .inhibitCount = qemuInhibitCount,
};
