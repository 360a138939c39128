/*
 * network_driver: the network driver's API tables and its state driver.
 *
 * Every network call finds its object by UUID (the handle's name is
 * informative), then reads it under its lock or takes its job for a change
 * (see network_obj.h).  Define and create also hold the driver's
 * defineLock while they check the new definition against the other
 * networks, so two concurrent defines cannot take the same bridge name or
 * subnet.  Client events are emitted after every lock is dropped.
 *
 * Semantics follow libvirt 9.0's network driver: a persistent network keeps
 * its config separate from the live definition while active (update --live
 * / --config, dumpxml --inactive); undefining an active network makes it
 * transient; destroying a transient network forgets it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver_files.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "net_host.h"
#include "network_driver.h"
#include "network_driver_priv.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

MV_LOG_INIT("network.driver");

netDriver *net_driver;

/* --- events -------------------------------------------------------------- */

typedef struct {
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    int event;
} netEvent;

static netEvent *
netEventNew(const mvNetworkDef *def, int event)
{
    netEvent *ev = g_new0(netEvent, 1);

    ev->name = g_strdup(def->name);
    memcpy(ev->uuid, def->uuid, MV_UUID_BUFLEN);
    ev->event = event;
    return ev;
}

static void
netEventFree(netEvent *ev)
{
    if (!ev)
        return;
    g_free(ev->name);
    g_free(ev);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netEvent, netEventFree);

static void
netEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque, void *opaque)
{
    netEvent *ev = opaque;
    virNetworkPtr net = mvGetNetwork(conn, ev->name, ev->uuid);

    if (eventID == VIR_NETWORK_EVENT_ID_LIFECYCLE)
        ((virConnectNetworkEventLifecycleCallback)(void (*)(void))cb)(conn, net, ev->event, 0,
                                                                      cbopaque);
    virNetworkFree(net);
}

/* Emits and frees @ev (NULL: nothing); call with no lock held. */
static void
netEventEmit(netEvent *ev)
{
    g_autoptr(netEvent) owned = ev;

    if (!owned || !net_driver)
        return;
    mvObjectEventStateEmit(net_driver->events, VIR_NETWORK_EVENT_ID_LIFECYCLE, owned->uuid,
                           netEventDispatch, owned);
}

/* --- helpers ------------------------------------------------------------- */

static void
noNetworkError(const unsigned char *uuid, const char *name)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s' (%s)",
                  mvUUIDFormat(uuid, uuidstr), name ? name : "");
}

/* The object behind a handle, referenced and locked; NULL with
 * VIR_ERR_NO_NETWORK. */
netObj *
netObjFromNet(virNetworkPtr net)
{
    netObj *obj = netObjListFindByUUID(net_driver->networks, net->uuid);

    if (!obj) {
        noNetworkError(net->uuid, net->name);
        return NULL;
    }
    g_mutex_lock(&obj->lock);
    return obj;
}

void
netObjEnd(netObj *obj)
{
    g_mutex_unlock(&obj->lock);
    netObjUnref(obj);
}

/* Takes the job on a locked object; fails when it vanished meanwhile. */
static int
objBeginJob(netObj *obj)
{
    if (netObjBeginJob(obj) < 0)
        return -1;
    if (obj->removed) {
        netObjEndJob(obj);
        noNetworkError(obj->def->uuid, obj->def->name);
        return -1;
    }
    return 0;
}

/* netObjFromNet + objBeginJob; NULL on failure (nothing held). */
netObj *
netObjJobFromNet(virNetworkPtr net)
{
    netObj *obj = netObjFromNet(net);

    if (obj && objBeginJob(obj) < 0) {
        netObjEnd(obj);
        return NULL;
    }
    return obj;
}

void
netObjEndJobUnlock(netObj *obj)
{
    netObjEndJob(obj);
    netObjEnd(obj);
}

static virNetworkPtr
netFromObj(virConnectPtr conn, netObj *obj)
{
    return mvGetNetwork(conn, obj->def->name, obj->def->uuid);
}

int
netCheckActive(netObj *obj)
{
    if (!obj->active) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not active",
                      obj->def->name);
        return -1;
    }
    return 0;
}


/* Removes a transient object that is no longer active from the list. */
static void
removeIfGone(netObj *obj)
{
    if (!obj->persistent && !obj->active)
        netObjListRemove(net_driver->networks, obj);
}

/* --- connection ---------------------------------------------------------- */

static int
netConnectOpen(virConnectPtr conn, unsigned int flags)
{
    const mvURI *uri = conn->uri;
    const char *want;

    mvCheckFlags(flags, VIR_CONNECT_RO, MV_DRV_OPEN_ERROR);
    if (!uri || g_strcmp0(uri->driver, "network") != 0 || uri->server || uri->transport)
        return MV_DRV_OPEN_DECLINED;
    if (!net_driver) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network state driver is not active");
        return MV_DRV_OPEN_ERROR;
    }
    want = net_driver->privileged ? "/system" : "/session";
    if (g_strcmp0(uri->path, want) != 0) {
        mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                          "unexpected network URI path '%s', try network://%s",
                          uri->path ? uri->path : "", want);
        return MV_DRV_OPEN_ERROR;
    }
    return MV_DRV_OPEN_SUCCESS;
}

static int
netConnectClose(virConnectPtr conn)
{
    if (net_driver)
        mvObjectEventStateDeregisterConn(net_driver->events, conn);
    return 0;
}

static const char *
netConnectGetType(virConnectPtr conn)
{
    return "network";
}

static int
netConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    *libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

static char *
netConnectGetURI(virConnectPtr conn)
{
    return g_strdup(net_driver->uri);
}

static int
netConnectReturnOne(virConnectPtr conn)
{
    return 1;
}

static int
netConnectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

static int
netConnectSupportsFeature(virConnectPtr conn, int feature)
{
    switch (feature) {
    case MV_DRV_FEATURE_TYPED_PARAM_STRING:
    case MV_DRV_FEATURE_PROGRAM_KEEPALIVE:
    case MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
    case MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        return 1;
    default:
        return 0;
    }
}

/* --- lists and lookups --------------------------------------------------- */

static bool
matchFlags(netObj *obj, unsigned int flags)
{
#define FILTER(yes, no, cond) \
    if ((flags & ((yes) | (no))) && (flags & ((yes) | (no))) != ((yes) | (no))) { \
        if ((flags & (yes)) && !(cond)) return false; \
        if ((flags & (no)) && (cond)) return false; \
    }
    FILTER(VIR_CONNECT_LIST_NETWORKS_ACTIVE, VIR_CONNECT_LIST_NETWORKS_INACTIVE, obj->active);
    FILTER(VIR_CONNECT_LIST_NETWORKS_PERSISTENT, VIR_CONNECT_LIST_NETWORKS_TRANSIENT,
           obj->persistent);
    FILTER(VIR_CONNECT_LIST_NETWORKS_AUTOSTART, VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
           obj->autostart);
#undef FILTER
    return true;
}

#define LIST_ALL_FLAGS \
    (VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE | \
     VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT | \
     VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART)

static int
netConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) out = NULL;
    guint n;

    mvCheckFlags(flags, LIST_ALL_FLAGS, -1);
    all = netObjListAll(net_driver->networks);
    out = g_ptr_array_new_full(all->len + 1, NULL);
    for (guint i = 0; i < all->len; i++) {
        netObj *obj = g_ptr_array_index(all, i);

        g_mutex_lock(&obj->lock);
        if (!obj->removed && matchFlags(obj, flags))
            g_ptr_array_add(out, nets ? netFromObj(conn, obj) : NULL);
        g_mutex_unlock(&obj->lock);
    }
    n = out->len;
    if (nets) {
        g_ptr_array_add(out, NULL);
        *nets = (virNetworkPtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    }
    return (int)n;
}

static int
netConnectNumOfNetworks(virConnectPtr conn)
{
    return netConnectListAllNetworks(conn, NULL, VIR_CONNECT_LIST_NETWORKS_ACTIVE);
}

static int
netConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    return netConnectListAllNetworks(conn, NULL, VIR_CONNECT_LIST_NETWORKS_INACTIVE);
}

static int
listNames(char **const names, int maxnames, bool active)
{
    g_autoptr(GPtrArray) all = netObjListAll(net_driver->networks);
    int n = 0;

    for (guint i = 0; i < all->len && n < maxnames; i++) {
        netObj *obj = g_ptr_array_index(all, i);

        g_mutex_lock(&obj->lock);
        if (!obj->removed && obj->active == active)
            names[n++] = g_strdup(obj->def->name);
        g_mutex_unlock(&obj->lock);
    }
    return n;
}

static int
netConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(names, maxnames, true);
}

static int
netConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(names, maxnames, false);
}

static virNetworkPtr
lookupResult(virConnectPtr conn, netObj *obj)
{
    virNetworkPtr net;

    g_mutex_lock(&obj->lock);
    net = netFromObj(conn, obj);
    g_mutex_unlock(&obj->lock);
    netObjUnref(obj);
    return net;
}

static virNetworkPtr
netNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    netObj *obj = netObjListFindByUUID(net_driver->networks, uuid);

    if (!obj) {
        char uuidstr[MV_UUID_STRING_BUFLEN];

        mvReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'",
                      mvUUIDFormat(uuid, uuidstr));
        return NULL;
    }
    return lookupResult(conn, obj);
}

static virNetworkPtr
netNetworkLookupByName(virConnectPtr conn, const char *name)
{
    netObj *obj = netObjListFindByName(net_driver->networks, name);

    if (!obj) {
        mvReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
        return NULL;
    }
    return lookupResult(conn, obj);
}

/* --- define / undefine --------------------------------------------------- */

/* Defines @def (ownership moves); defineLock held by the caller.  Returns
 * the object referenced and unlocked (job not held), NULL with an error. */
static netObj *
defineLocked(mvNetworkDef *defIn, bool *updated)
{
    g_autoptr(mvNetworkDef) def = defIn;
    g_autoptr(mvNetworkDef) old = NULL;
    g_autofree char *activeBridge = NULL;
    netObj *obj;

    *updated = false;
    if ((obj = netObjListFindByUUID(net_driver->networks, def->uuid))) {
        g_mutex_lock(&obj->lock);
        old = netDefCopy(netObjPersistentDef(obj));
        if (obj->active)
            activeBridge = g_strdup(obj->def->bridge);
        g_mutex_unlock(&obj->lock);
        if (!old) {
            netObjUnref(obj);
            return NULL;
        }
    }
    if (netPrepareDefinition(def, old, activeBridge) < 0) {
        if (obj)
            netObjUnref(obj);
        return NULL;
    }
    if (obj) {
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            netObjEnd(obj);
            return NULL;
        }
        if (netSaveConfig(def) < 0) {
            netObjEndJobUnlock(obj);
            return NULL;
        }
        if (obj->active) {
            mvNetworkDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&def);
        } else {
            mvNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&def);
        }
        *updated = true;
    } else {
        if (!(obj = netObjListAdd(net_driver->networks, g_steal_pointer(&def))))
            return NULL;
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            netObjEnd(obj);
            return NULL;
        }
        if (netSaveConfig(obj->def) < 0) {
            netObjListRemove(net_driver->networks, obj);
            netObjEndJobUnlock(obj);
            return NULL;
        }
    }
    obj->persistent = true;
    netObjEndJob(obj);
    g_mutex_unlock(&obj->lock);
    return obj;
}

static virNetworkPtr
netNetworkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(mvNetworkDef) def = NULL;
    g_autoptr(netEvent) ev = NULL;
    virNetworkPtr net = NULL;
    netObj *obj;
    bool updated;

    mvCheckFlags(flags, VIR_NETWORK_DEFINE_VALIDATE, NULL);
    if (!(def = mvNetworkDefParse(xml, (flags & VIR_NETWORK_DEFINE_VALIDATE) ?
                                       MV_NETWORK_PARSE_VALIDATE : 0)))
        return NULL;
    g_mutex_lock(&net_driver->defineLock);
    obj = defineLocked(g_steal_pointer(&def), &updated);
    g_mutex_unlock(&net_driver->defineLock);
    if (!obj)
        return NULL;
    g_mutex_lock(&obj->lock);
    net = netFromObj(conn, obj);
    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_DEFINED);
    netObjEnd(obj);
    MV_INFO("%s network '%s'", updated ? "redefined" : "defined", net->name);
    netEventEmit(g_steal_pointer(&ev));
    return net;
}

static virNetworkPtr
netNetworkDefineXML(virConnectPtr conn, const char *xml)
{
    return netNetworkDefineXMLFlags(conn, xml, 0);
}

static int
netNetworkUndefine(virNetworkPtr net)
{
    g_autoptr(netEvent) ev = NULL;
    netObj *obj;
    int ret = -1;

    if (!(obj = netObjJobFromNet(net)))
        return -1;
    if (!obj->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "can't undefine transient network");
        goto done;
    }
    if (netDeleteConfig(obj->def->name) < 0)
        goto done;
    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_UNDEFINED);
    obj->persistent = false;
    obj->autostart = false;
    g_clear_pointer(&obj->newDef, mvNetworkDefFree);
    if (!obj->active) {
        g_autoptr(mvNetDnsmasqFiles) files = NULL;

        if (obj->def->bridge) {
            files = netDnsmasqFiles(obj->def);
            if (mvNetDnsmasqRemoveFiles(files) < 0) {
                MV_WARN("network '%s': %s", obj->def->name, mvErrorGetLast()->message);
                mvErrorReset();
            }
        }
        removeIfGone(obj);
    }
    ret = 0;

 done:
    netObjEndJobUnlock(obj);
    netEventEmit(g_steal_pointer(&ev));
    return ret;
}

/* --- start / stop -------------------------------------------------------- */

static virNetworkPtr
netNetworkCreateXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(mvNetworkDef) def = NULL;
    g_autoptr(mvNetworkDef) old = NULL;
    g_autoptr(netEvent) ev = NULL;
    virNetworkPtr net = NULL;
    netObj *obj;
    bool added = false;

    mvCheckFlags(flags, VIR_NETWORK_CREATE_VALIDATE, NULL);
    if (!(def = mvNetworkDefParse(xml, (flags & VIR_NETWORK_CREATE_VALIDATE) ?
                                       MV_NETWORK_PARSE_VALIDATE : 0)))
        return NULL;

    g_mutex_lock(&net_driver->defineLock);
    if (netObjListCheckConflict(net_driver->networks, def) < 0)
        goto unlock;
    if ((obj = netObjListFindByUUID(net_driver->networks, def->uuid))) {
        g_mutex_lock(&obj->lock);
        if (obj->active) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "network is already active as '%s'",
                          obj->def->name);
            netObjEnd(obj);
            goto unlock;
        }
        old = netDefCopy(obj->def);
        g_mutex_unlock(&obj->lock);
        if (!old || netPrepareDefinition(def, old, NULL) < 0) {
            netObjUnref(obj);
            goto unlock;
        }
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            netObjEnd(obj);
            goto unlock;
        }
        if (obj->active) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "network is already active as '%s'",
                          obj->def->name);
            netObjEndJobUnlock(obj);
            goto unlock;
        }
        /* start the given definition; the config stays as it is */
        g_clear_pointer(&old, mvNetworkDefFree);
        old = g_steal_pointer(&obj->def);
        obj->def = g_steal_pointer(&def);
    } else {
        if (netPrepareDefinition(def, NULL, NULL) < 0 ||
            !(obj = netObjListAdd(net_driver->networks, g_steal_pointer(&def))))
            goto unlock;
        added = true;
        g_mutex_lock(&obj->lock);
        if (objBeginJob(obj) < 0) {
            netObjEnd(obj);
            goto unlock;
        }
    }
    g_mutex_unlock(&net_driver->defineLock);

    if (netStart(obj) < 0) {
        if (added) {
            netObjListRemove(net_driver->networks, obj);
        } else {
            mvNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&old);
        }
        netObjEndJobUnlock(obj);
        return NULL;
    }
    if (old) {
        /* netStart kept the started definition as the config: put the real
         * config back */
        mvNetworkDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&old);
    }
    net = netFromObj(conn, obj);
    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_STARTED);
    netObjEndJobUnlock(obj);
    netEventEmit(g_steal_pointer(&ev));
    return net;

 unlock:
    g_mutex_unlock(&net_driver->defineLock);
    return NULL;
}

static virNetworkPtr
netNetworkCreateXML(virConnectPtr conn, const char *xml)
{
    return netNetworkCreateXMLFlags(conn, xml, 0);
}

static int
netNetworkCreate(virNetworkPtr net)
{
    g_autoptr(netEvent) ev = NULL;
    netObj *obj;
    int ret = -1;

    if (!(obj = netObjJobFromNet(net)))
        return -1;
    if (obj->active) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "network is already active");
        goto done;
    }
    if (netStart(obj) < 0)
        goto done;
    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_STARTED);
    ret = 0;

 done:
    netObjEndJobUnlock(obj);
    netEventEmit(g_steal_pointer(&ev));
    return ret;
}

static int
netNetworkDestroy(virNetworkPtr net)
{
    g_autoptr(netEvent) ev = NULL;
    netObj *obj;
    int ret = -1;

    if (!(obj = netObjJobFromNet(net)))
        return -1;
    if (netCheckActive(obj) < 0)
        goto done;
    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_STOPPED);
    netStop(obj);
    removeIfGone(obj);
    ret = 0;

 done:
    netObjEndJobUnlock(obj);
    netEventEmit(g_steal_pointer(&ev));
    return ret;
}

/* --- properties ---------------------------------------------------------- */

static char *
netNetworkGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    netObj *obj;
    const mvNetworkDef *def;
    char *xml;

    mvCheckFlags(flags, VIR_NETWORK_XML_INACTIVE, NULL);
    if (!(obj = netObjFromNet(net)))
        return NULL;
    def = (flags & VIR_NETWORK_XML_INACTIVE) ? netObjPersistentDef(obj) : obj->def;
    xml = mvNetworkDefFormat(def, (flags & VIR_NETWORK_XML_INACTIVE) ?
                                  MV_NETWORK_FORMAT_INACTIVE : 0);
    netObjEnd(obj);
    return xml;
}

static char *
netNetworkGetBridgeName(virNetworkPtr net)
{
    netObj *obj;
    char *name = NULL;

    if (!(obj = netObjFromNet(net)))
        return NULL;
    if (!obj->def->bridge)
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' does not have a bridge name.",
                      obj->def->name);
    else
        name = g_strdup(obj->def->bridge);
    netObjEnd(obj);
    return name;
}

static int
netNetworkGetAutostart(virNetworkPtr net, int *autostart)
{
    netObj *obj;

    if (!(obj = netObjFromNet(net)))
        return -1;
    *autostart = obj->autostart;
    netObjEnd(obj);
    return 0;
}

static int
netNetworkSetAutostart(virNetworkPtr net, int autostart)
{
    g_autofree char *link = NULL;
    g_autofree char *target = NULL;
    netObj *obj;
    int ret = -1;

    if (!(obj = netObjJobFromNet(net)))
        return -1;
    if (!obj->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "cannot set autostart for transient network");
        goto done;
    }
    link = mvDriverConfigPath(net_driver->autostartDir, obj->def->name);
    target = mvDriverConfigPath(net_driver->configDir, obj->def->name);
    if (autostart && !obj->autostart) {
        if (mvFileMakePath(net_driver->autostartDir, 0755) < 0)
            goto done;
        unlink(link);
        if (symlink(target, link) < 0) {
            mvReportSystemError(errno, "cannot create autostart link '%s' to '%s'", link,
                                target);
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
    netObjEndJobUnlock(obj);
    return ret;
}

static int
netNetworkIsActive(virNetworkPtr net)
{
    netObj *obj;
    int ret;

    if (!(obj = netObjFromNet(net)))
        return -1;
    ret = obj->active;
    netObjEnd(obj);
    return ret;
}

static int
netNetworkIsPersistent(virNetworkPtr net)
{
    netObj *obj;
    int ret;

    if (!(obj = netObjFromNet(net)))
        return -1;
    ret = obj->persistent;
    netObjEnd(obj);
    return ret;
}

/* --- update -------------------------------------------------------------- */

/* Applies a changed live definition to the running dnsmasq (job held, lock
 * dropped by the caller). */
static int
applyLive(netObj *obj, const mvNetworkDef *live, bool hostsOnly, pid_t *pid)
{
    g_autoptr(mvNetDnsmasqFiles) files = netDnsmasqFiles(live);

    *pid = obj->dnsmasqPid;
    if (!mvNetworkDefHasOwnBridge(live))
        return 0;
    if (hostsOnly && obj->dnsmasqPid > 0) {
        if (mvNetDnsmasqWriteHosts(live, files) < 0)
            return -1;
        return mvNetDnsmasqReload(files);
    }
    if (obj->dnsmasqPid > 0 && mvNetDnsmasqStop(files) < 0)
        return -1;
    *pid = 0;
    if (!mvNetDnsmasqNeeded(live))
        return 0;
    if (mvNetDnsmasqWriteFiles(live, files) < 0)
        return -1;
    return mvNetDnsmasqStart(files, pid);
}

static int
netNetworkUpdate(virNetworkPtr net, unsigned int command, unsigned int section,
                 int parentIndex, const char *xml, unsigned int flags)
{
    g_autoptr(mvNetworkDef) cfg = NULL;
    g_autoptr(mvNetworkDef) live = NULL;
    netObj *obj;
    bool hostsOnly = false;
    int ret = -1;

    mvCheckFlags(flags, VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG, -1);
    if (!(obj = netObjJobFromNet(net)))
        return -1;
    if (flags == VIR_NETWORK_UPDATE_AFFECT_CURRENT)
        flags = obj->active ? VIR_NETWORK_UPDATE_AFFECT_LIVE : VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    if ((flags & VIR_NETWORK_UPDATE_AFFECT_LIVE) && !obj->active) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not running; update its "
                      "config with --config", obj->def->name);
        goto done;
    }
    if ((flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG) && !obj->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "cannot change persistent config of a "
                      "transient network");
        goto done;
    }
    if (flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG) {
        if (!(cfg = netDefCopy(netObjPersistentDef(obj))) ||
            netUpdateDef(cfg, command, section, parentIndex, xml, &hostsOnly) < 0)
            goto done;
    }
    if (flags & VIR_NETWORK_UPDATE_AFFECT_LIVE) {
        pid_t pid = 0;
        int rc;

        if (!(live = netDefCopy(obj->def)) ||
            netUpdateDef(live, command, section, parentIndex, xml, &hostsOnly) < 0)
            goto done;
        g_mutex_unlock(&obj->lock);
        rc = applyLive(obj, live, hostsOnly, &pid);
        g_mutex_lock(&obj->lock);
        obj->dnsmasqPid = pid;
        if (rc < 0) {
            netSaveStatus(obj);
            goto done;
        }
        mvNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&live);
        if (netSaveStatus(obj) < 0)
            goto done;
    }
    if (cfg) {
        if (netSaveConfig(cfg) < 0)
            goto done;
        if (obj->active) {
            mvNetworkDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&cfg);
        } else {
            mvNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&cfg);
        }
    }
    ret = 0;

 done:
    netObjEndJobUnlock(obj);
    return ret;
}

/* --- events -------------------------------------------------------------- */

static int
netConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                  virConnectNetworkEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return mvObjectEventStateRegister(net_driver->events, conn, eventID,
                                      VIR_NETWORK_EVENT_ID_LIFECYCLE + 1,
                                      net ? net->uuid : NULL, G_CALLBACK(cb), opaque, freecb);
}

static int
netConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(net_driver->events, conn, callbackID);
}

/* --- tables -------------------------------------------------------------- */

static const mvHypervisorDriver netHypervisorDriver = {
    .name = "network",
    .connectOpen = netConnectOpen,
    .connectClose = netConnectClose,
    .connectGetType = netConnectGetType,
    .connectGetLibVersion = netConnectGetLibVersion,
    .connectGetURI = netConnectGetURI,
    .connectIsAlive = netConnectReturnOne,
    .connectIsSecure = netConnectReturnOne,
    .connectIsEncrypted = netConnectIsEncrypted,
    .connectSupportsFeature = netConnectSupportsFeature,
};

static const mvNetworkDriver netNetworkDriver = {
    .connectNumOfNetworks = netConnectNumOfNetworks,
    .connectListNetworks = netConnectListNetworks,
    .connectNumOfDefinedNetworks = netConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = netConnectListDefinedNetworks,
    .connectListAllNetworks = netConnectListAllNetworks,
    .networkLookupByName = netNetworkLookupByName,
    .networkLookupByUUID = netNetworkLookupByUUID,
    .networkCreateXML = netNetworkCreateXML,
    .networkCreateXMLFlags = netNetworkCreateXMLFlags,
    .networkDefineXML = netNetworkDefineXML,
    .networkDefineXMLFlags = netNetworkDefineXMLFlags,
    .networkUndefine = netNetworkUndefine,
    .networkUpdate = netNetworkUpdate,
    .networkCreate = netNetworkCreate,
    .networkDestroy = netNetworkDestroy,
    .networkGetXMLDesc = netNetworkGetXMLDesc,
    .networkGetBridgeName = netNetworkGetBridgeName,
    .networkGetAutostart = netNetworkGetAutostart,
    .networkSetAutostart = netNetworkSetAutostart,
    .networkIsActive = netNetworkIsActive,
    .networkIsPersistent = netNetworkIsPersistent,
    .networkGetDHCPLeases = netNetworkGetDHCPLeases,
    .connectNetworkEventRegisterAny = netConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = netConnectNetworkEventDeregisterAny,
    .networkPortLookupByUUID = netNetworkPortLookupByUUID,
    .networkPortCreateXML = netNetworkPortCreateXML,
    .networkPortGetXMLDesc = netNetworkPortGetXMLDesc,
    .networkPortDelete = netNetworkPortDelete,
    .networkListAllPorts = netNetworkListAllPorts,
};

static const char * const netURISchemes[] = { "network", NULL };

const mvConnectDriver networkConnectDriver = {
    .name = "network",
    .uriSchemes = netURISchemes,
    .hypervisorDriver = &netHypervisorDriver,
    .networkDriver = &netNetworkDriver,
};

/* --- state driver -------------------------------------------------------- */

static int
netRegister(void)
{
    return mvRegisterConnectDriver(&networkConnectDriver);
}

static void
loadConfig(const char *path, const char *fileName, void *opaque)
{
    g_autofree char *link = NULL;
    mvNetworkDef *def;
    netObj *obj;

    if (!(def = mvNetworkDefParseFile(path, 0))) {
        MV_WARN("ignoring network config '%s': %s", path, mvErrorGetLast()->message);
        mvErrorReset();
        return;
    }
    if (!mvDriverConfigNameMatches(fileName, def->name)) {
        MV_WARN("ignoring network config '%s': it defines network '%s'", path, def->name);
        mvNetworkDefFree(def);
        return;
    }
    if (!(obj = netObjListAdd(net_driver->networks, def))) {
        MV_WARN("ignoring network config '%s': %s", path, mvErrorGetLast()->message);
        mvErrorReset();
        return;
    }
    obj->persistent = true;
    link = mvDriverConfigPath(net_driver->autostartDir, obj->def->name);
    obj->autostart = access(link, F_OK) == 0;
    netObjUnref(obj);
}

/* The first 192.168.N.0/24 (N from 122) that no host route uses. */
static int
defaultSubnet(void)
{
    for (int n = 122; n < 255; n++) {
        g_autofree char *net = g_strdup_printf("192.168.%d.0", n);
        g_autofree char *dev = NULL;
        int rc = mvNetRouteConflict(AF_INET, net, 24, &dev);

        if (rc < 0)
            return -1;
        if (rc == 0)
            return n;
        MV_INFO("default network: 192.168.%d.0/24 is used by %s; trying the next one", n,
                dev ? dev : "a route");
    }
    mvReportError(VIR_ERR_INTERNAL_ERROR, "no free 192.168.N.0/24 subnet for the default "
                  "network");
    return -1;
}

/* Defines the autostarted NAT network "default" (first system start). */
static void
defineDefaultNetwork(void)
{
    g_autofree char *xml = NULL;
    g_autofree char *link = NULL;
    g_autofree char *target = NULL;
    mvNetworkDef *def;
    netObj *obj;
    bool updated;
    int n;

    if ((n = defaultSubnet()) < 0)
        goto fail;
    xml = g_strdup_printf("<network>\n"
                          "  <name>default</name>\n"
                          "  <forward mode='nat'/>\n"
                          "  <ip address='192.168.%d.1' netmask='255.255.255.0'>\n"
                          "    <dhcp>\n"
                          "      <range start='192.168.%d.2' end='192.168.%d.254'/>\n"
                          "    </dhcp>\n"
                          "  </ip>\n"
                          "</network>\n", n, n, n);
    if (!(def = mvNetworkDefParse(xml, 0)))
        goto fail;
    g_mutex_lock(&net_driver->defineLock);
    obj = defineLocked(def, &updated);
    g_mutex_unlock(&net_driver->defineLock);
    if (!obj)
        goto fail;
    link = mvDriverConfigPath(net_driver->autostartDir, "default");
    target = mvDriverConfigPath(net_driver->configDir, "default");
    if (mvFileMakePath(net_driver->autostartDir, 0755) == 0 && symlink(target, link) == 0)
        obj->autostart = true;
    MV_INFO("defined the default network on 192.168.%d.0/24", n);
    netObjUnref(obj);
    return;

 fail:
    MV_WARN("cannot define the default network: %s",
            mvErrorGetLast() ? mvErrorGetLast()->message : "?");
    mvErrorReset();
}

static void
autostartAll(void)
{
    g_autoptr(GPtrArray) all = netObjListAll(net_driver->networks);

    for (guint i = 0; i < all->len; i++) {
        netObj *obj = g_ptr_array_index(all, i);
        g_autoptr(netEvent) ev = NULL;

        g_mutex_lock(&obj->lock);
        if (obj->autostart && !obj->active && netObjBeginJob(obj) == 0) {
            if (!obj->active) {
                if (netStart(obj) < 0)
                    MV_WARN("cannot autostart network '%s': %s", obj->def->name,
                            mvErrorGetLast()->message);
                else
                    ev = netEventNew(obj->def, VIR_NETWORK_EVENT_STARTED);
            }
            netObjEndJob(obj);
        }
        mvErrorReset();
        g_mutex_unlock(&obj->lock);
        netEventEmit(g_steal_pointer(&ev));
    }
}

static void netCleanup(void);

static int
netInitialize(const mvDriverStateConfig *cfg)
{
    bool firstStart;

    if (!cfg || !cfg->configDir || !cfg->stateDir || !cfg->runDir) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network driver needs config, state and run "
                      "directories");
        return -1;
    }
    if (net_driver)
        netCleanup();
    net_driver = g_new0(netDriver, 1);
    g_mutex_init(&net_driver->defineLock);
    net_driver->privileged = cfg->privileged;
    net_driver->uri = g_strdup(cfg->privileged ? "network:///system" : "network:///session");
    net_driver->configDir = g_build_filename(cfg->configDir, "qemu", "networks", NULL);
    net_driver->autostartDir = g_build_filename(net_driver->configDir, "autostart", NULL);
    net_driver->statusDir = g_build_filename(cfg->runDir, "network", NULL);
    net_driver->dnsmasqDir = g_build_filename(cfg->stateDir, "dnsmasq", NULL);
    net_driver->networks = netObjListNew();
    net_driver->events = mvObjectEventStateNew();

    firstStart = cfg->privileged && !g_file_test(net_driver->configDir, G_FILE_TEST_EXISTS);
    if (mvFileMakePath(net_driver->statusDir, 0755) < 0 ||
        mvFileMakePath(net_driver->dnsmasqDir, 0755) < 0 ||
        mvFileMakePath(net_driver->configDir, 0700) < 0) {
        netCleanup();
        return -1;
    }
    mvDriverForEachConfig(net_driver->configDir, loadConfig, NULL);
    netReadoptAll();
    if (firstStart)
        defineDefaultNetwork();
    if (mvDriverAutostartOnce(net_driver->statusDir, "networks"))
        autostartAll();
    MV_DEBUG("network driver ready: %u networks active", (unsigned int)net_driver->nactive);
    return 0;
}

static void
netCleanup(void)
{
    netDriver *d = g_steal_pointer(&net_driver);

    if (!d)
        return;
    /* active networks keep running: bridges, rules and dnsmasq stay */
    netObjListFree(d->networks);
    mvObjectEventStateFree(d->events);
    g_free(d->uri);
    g_free(d->configDir);
    g_free(d->autostartDir);
    g_free(d->statusDir);
    g_free(d->dnsmasqDir);
    g_mutex_clear(&d->defineLock);
    g_free(d);
}

const mvStateDriver networkStateDriver = {
    .name = "network",
    .registerDriver = netRegister,
    .initialize = netInitialize,
    .cleanup = netCleanup,
    /* like libvirt's: active networks do not keep the daemon from exiting
     * when idle; they keep running and a later start re-adopts them */
    .inhibitCount = NULL,
};
