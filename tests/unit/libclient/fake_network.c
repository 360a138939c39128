/*
 * fake_network: the in-memory network driver of the plumbing tests (see
 * fake_network.h).  One global lock guards everything; events are emitted
 * after it is dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "client_event.h"
#include "fake_network.h"
#include "mv_error.h"
#include "mv_uuid.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *bridge;
    char *xml;          /* as defined */
    char *update;       /* last net-update XML, appended to the live XML */
    bool active;
    bool persistent;
    bool autostart;
} fakeNet;

typedef struct {
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned char net[VIR_UUID_BUFLEN];
    char *xml;
} fakePort;

static GMutex fakeLock;
static GPtrArray *fakeNets;             /* of fakeNet */
static GPtrArray *fakePorts;            /* of fakePort */
static mvObjectEventState *fakeEvents;
static int fakeBridgeNo;

static void
fakeNetFree(gpointer p)
{
    fakeNet *n = p;

    g_free(n->name);
    g_free(n->bridge);
    g_free(n->xml);
    g_free(n->update);
    g_free(n);
}

static void
fakePortFree(gpointer p)
{
    fakePort *port = p;

    g_free(port->xml);
    g_free(port);
}

void
fakeNetworkReset(void)
{
    g_mutex_lock(&fakeLock);
    g_ptr_array_set_size(fakeNets, 0);
    g_ptr_array_set_size(fakePorts, 0);
    fakeBridgeNo = 0;
    g_mutex_unlock(&fakeLock);
}

size_t
fakeNetworkEventCount(void)
{
    return mvObjectEventStateCount(fakeEvents);
}

/* The text between <tag> and </tag>, or NULL. */
static char *
fakeElement(const char *xml, const char *tag)
{
    g_autofree char *open = g_strdup_printf("<%s>", tag);
    g_autofree char *close = g_strdup_printf("</%s>", tag);
    const char *s = strstr(xml, open);
    const char *e;

    if (!s)
        return NULL;
    s += strlen(open);
    if (!(e = strstr(s, close)))
        return NULL;
    return g_strstrip(g_strndup(s, e - s));
}

static char *
fakeBridgeAttr(const char *xml)
{
    const char *s = strstr(xml, "<bridge name='");
    const char *e;

    if (!s)
        return NULL;
    s += strlen("<bridge name='");
    if (!(e = strchr(s, '\'')))
        return NULL;
    return g_strndup(s, e - s);
}

static fakeNet *
fakeFindUUID(const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < fakeNets->len; i++) {
        fakeNet *n = g_ptr_array_index(fakeNets, i);

        if (memcmp(n->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return n;
    }
    return NULL;
}

static fakeNet *
fakeFindName(const char *name)
{
    guint i;

    for (i = 0; i < fakeNets->len; i++) {
        fakeNet *n = g_ptr_array_index(fakeNets, i);

        if (g_str_equal(n->name, name))
            return n;
    }
    return NULL;
}

/* The network behind @net or NULL with VIR_ERR_NO_NETWORK (lock held). */
static fakeNet *
fakeGet(virNetworkPtr net)
{
    fakeNet *n = fakeFindUUID(net->uuid);

    if (!n) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        mvUUIDFormat(net->uuid, uuidstr);
        mvReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s' (%s)",
                      uuidstr, net->name);
    }
    return n;
}

typedef struct {
    int event;
    virNetworkPtr net;
} fakeEventData;

static void
fakeEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque, void *data)
{
    fakeEventData *ev = data;

    ((virConnectNetworkEventLifecycleCallback)(void (*)(void))cb)(conn, ev->net, ev->event, 0,
                                                                  cbopaque);
}

/* Emits a lifecycle event about @name/@uuid (no lock held). */
static void
fakeEmit(virConnectPtr conn, const char *name, const unsigned char *uuid, int event)
{
    fakeEventData data = { .event = event, .net = mvGetNetwork(conn, name, uuid) };

    mvObjectEventStateEmit(fakeEvents, VIR_NETWORK_EVENT_ID_LIFECYCLE, uuid,
                           fakeEventDispatch, &data);
    virNetworkFree(data.net);
}

/* --- the driver ---------------------------------------------------------- */

static int
fakeOpen(virConnectPtr conn, unsigned int flags)
{
    return MV_DRV_OPEN_SUCCESS;
}

static int
fakeClose(virConnectPtr conn)
{
    mvObjectEventStateDeregisterConn(fakeEvents, conn);
    return 0;
}

static const char *
fakeGetType(virConnectPtr conn)
{
    return "network";
}

static int
fakeIsAlive(virConnectPtr conn)
{
    return 1;
}

static int
fakeSupportsFeature(virConnectPtr conn, int feature)
{
    return feature == MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER;
}

static char *
fakeGetURI(virConnectPtr conn)
{
    return g_strdup("network:///session");
}

static char *
fakeGetHostname(virConnectPtr conn)
{
    return g_strdup("fake-host");
}

static int
fakeConnectGetVersion(virConnectPtr conn, unsigned long *ver)
{
    *ver = 9000000;
    return 0;
}

static int
fakeCount(bool active)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    int count = 0;
    guint i;

    for (i = 0; i < fakeNets->len; i++)
        count += ((fakeNet *)g_ptr_array_index(fakeNets, i))->active == active;
    return count;
}

static int
fakeNumOfNetworks(virConnectPtr conn)
{
    return fakeCount(true);
}

static int
fakeNumOfDefinedNetworks(virConnectPtr conn)
{
    return fakeCount(false);
}

static int
fakeNames(char **const names, int maxnames, bool active)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    int count = 0;
    guint i;

    for (i = 0; i < fakeNets->len && count < maxnames; i++) {
        fakeNet *n = g_ptr_array_index(fakeNets, i);

        if (n->active == active)
            names[count++] = g_strdup(n->name);
    }
    return count;
}

static int
fakeListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return fakeNames(names, maxnames, true);
}

static int
fakeListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return fakeNames(names, maxnames, false);
}

static bool
fakeMatch(const fakeNet *n, unsigned int flags)
{
    if ((flags & (VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE)) &&
        !((flags & VIR_CONNECT_LIST_NETWORKS_ACTIVE && n->active) ||
          (flags & VIR_CONNECT_LIST_NETWORKS_INACTIVE && !n->active)))
        return false;
    if ((flags & (VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT)) &&
        !((flags & VIR_CONNECT_LIST_NETWORKS_PERSISTENT && n->persistent) ||
          (flags & VIR_CONNECT_LIST_NETWORKS_TRANSIENT && !n->persistent)))
        return false;
    if ((flags & (VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART)) &&
        !((flags & VIR_CONNECT_LIST_NETWORKS_AUTOSTART && n->autostart) ||
          (flags & VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART && !n->autostart)))
        return false;
    return true;
}

static int
fakeListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    GPtrArray *list = g_ptr_array_new();
    guint i;
    int count;

    if (flags & ~0x3fU) {
        g_ptr_array_unref(list);
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in %s", flags & ~0x3fU,
                      __func__);
        return -1;
    }
    for (i = 0; i < fakeNets->len; i++) {
        fakeNet *n = g_ptr_array_index(fakeNets, i);

        if (fakeMatch(n, flags))
            g_ptr_array_add(list, mvGetNetwork(conn, n->name, n->uuid));
    }
    count = list->len;
    if (nets) {
        g_ptr_array_add(list, NULL);
        *nets = (virNetworkPtr *)g_ptr_array_free(list, FALSE);
    } else {
        for (i = 0; i < list->len; i++)
            virNetworkFree(g_ptr_array_index(list, i));
        g_ptr_array_unref(list);
    }
    return count;
}

static virNetworkPtr
fakeLookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeFindName(name);

    if (!n) {
        mvReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
        return NULL;
    }
    return mvGetNetwork(conn, n->name, n->uuid);
}

static virNetworkPtr
fakeLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeFindUUID(uuid);

    if (!n) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        mvUUIDFormat(uuid, uuidstr);
        mvReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'", uuidstr);
        return NULL;
    }
    return mvGetNetwork(conn, n->name, n->uuid);
}

/* Defines (persistent) or creates (active, transient unless it exists). */
static virNetworkPtr
fakeAdd(virConnectPtr conn, const char *xml, bool start)
{
    g_autofree char *name = fakeElement(xml, "name");
    g_autofree char *uuidstr = fakeElement(xml, "uuid");
    unsigned char uuid[VIR_UUID_BUFLEN];
    fakeNet *n;
    virNetworkPtr ret;
    int event;

    if (!name || !*name) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing network name");
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
    g_mutex_lock(&fakeLock);
    if ((n = fakeFindName(name))) {
        if (start) {
            g_mutex_unlock(&fakeLock);
            mvReportError(VIR_ERR_NETWORK_EXIST, "network '%s' already exists", name);
            return NULL;
        }
        g_free(n->xml);
    } else {
        n = g_new0(fakeNet, 1);
        n->name = g_strdup(name);
        memcpy(n->uuid, uuid, VIR_UUID_BUFLEN);
        n->bridge = fakeBridgeAttr(xml);
        if (!n->bridge)
            n->bridge = g_strdup_printf("virbr%d", fakeBridgeNo++);
        g_ptr_array_add(fakeNets, n);
    }
    n->xml = g_strdup(xml);
    if (start)
        n->active = true;
    else
        n->persistent = true;
    ret = mvGetNetwork(conn, n->name, n->uuid);
    g_mutex_unlock(&fakeLock);
    event = start ? VIR_NETWORK_EVENT_STARTED : VIR_NETWORK_EVENT_DEFINED;
    fakeEmit(conn, ret->name, ret->uuid, event);
    return ret;
}

static virNetworkPtr
fakeDefineXML(virConnectPtr conn, const char *xml)
{
    return fakeAdd(conn, xml, false);
}

static virNetworkPtr
fakeDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    if (flags & ~VIR_NETWORK_DEFINE_VALIDATE) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in %s", flags, __func__);
        return NULL;
    }
    return fakeAdd(conn, xml, false);
}

static virNetworkPtr
fakeCreateXML(virConnectPtr conn, const char *xml)
{
    return fakeAdd(conn, xml, true);
}

static virNetworkPtr
fakeCreateXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    if (flags & ~VIR_NETWORK_CREATE_VALIDATE) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in %s", flags, __func__);
        return NULL;
    }
    return fakeAdd(conn, xml, true);
}

static int
fakeUndefine(virNetworkPtr net)
{
    g_mutex_lock(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n) {
        g_mutex_unlock(&fakeLock);
        return -1;
    }
    if (!n->persistent) {
        g_mutex_unlock(&fakeLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not persistent", n->name);
        return -1;
    }
    if (n->active)
        n->persistent = false;
    else
        g_ptr_array_remove(fakeNets, n);
    g_mutex_unlock(&fakeLock);
    fakeEmit(net->conn, net->name, net->uuid, VIR_NETWORK_EVENT_UNDEFINED);
    return 0;
}

static int
fakeSetActive(virNetworkPtr net, bool active)
{
    g_mutex_lock(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n) {
        g_mutex_unlock(&fakeLock);
        return -1;
    }
    if (n->active == active) {
        g_mutex_unlock(&fakeLock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is %s", n->name,
                      active ? "already active" : "not active");
        return -1;
    }
    n->active = active;
    if (!active) {
        g_clear_pointer(&n->update, g_free);
        if (!n->persistent)
            g_ptr_array_remove(fakeNets, n);
    }
    g_mutex_unlock(&fakeLock);
    fakeEmit(net->conn, net->name, net->uuid,
             active ? VIR_NETWORK_EVENT_STARTED : VIR_NETWORK_EVENT_STOPPED);
    return 0;
}

static int
fakeCreate(virNetworkPtr net)
{
    return fakeSetActive(net, true);
}

static int
fakeDestroy(virNetworkPtr net)
{
    return fakeSetActive(net, false);
}

static int
fakeUpdate(virNetworkPtr net, unsigned int command, unsigned int section, int parentIndex,
           const char *xml, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n)
        return -1;
    if (command == VIR_NETWORK_UPDATE_COMMAND_NONE || section == VIR_NETWORK_SECTION_NONE) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s", "no update command or section given");
        return -1;
    }
    g_free(n->update);
    n->update = g_strdup_printf("<!-- update cmd=%u section=%u parent=%d flags=%u -->%s",
                                command, section, parentIndex, flags, xml);
    return 0;
}

static char *
fakeGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n)
        return NULL;
    if (flags & ~VIR_NETWORK_XML_INACTIVE) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in %s", flags, __func__);
        return NULL;
    }
    if (n->update && n->active && !(flags & VIR_NETWORK_XML_INACTIVE))
        return g_strdup_printf("%s\n%s", n->xml, n->update);
    return g_strdup(n->xml);
}

static char *
fakeGetBridgeName(virNetworkPtr net)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    return n ? g_strdup(n->bridge) : NULL;
}

static int
fakeGetAutostart(virNetworkPtr net, int *autostart)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n)
        return -1;
    *autostart = n->autostart;
    return 0;
}

static int
fakeSetAutostart(virNetworkPtr net, int autostart)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    if (!n)
        return -1;
    if (!n->persistent) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot set autostart for transient network");
        return -1;
    }
    n->autostart = autostart != 0;
    return 0;
}

static int
fakeIsActive(virNetworkPtr net)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    return n ? n->active : -1;
}

static int
fakeIsPersistent(virNetworkPtr net)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);

    return n ? n->persistent : -1;
}

static virNetworkDHCPLeasePtr
fakeLease(const char *bridge, const char *mac, const char *ip, const char *host, int type)
{
    virNetworkDHCPLeasePtr l = g_new0(virNetworkDHCPLease, 1);

    l->iface = g_strdup(bridge);
    l->expirytime = 1700000000;
    l->type = type;
    l->mac = g_strdup(mac);
    l->ipaddr = g_strdup(ip);
    l->prefix = type == VIR_IP_ADDR_TYPE_IPV4 ? 24 : 64;
    l->hostname = g_strdup(host);
    l->clientid = type == VIR_IP_ADDR_TYPE_IPV4 ? g_strdup("01:52:54:00:aa:bb:01") : NULL;
    l->iaid = type == VIR_IP_ADDR_TYPE_IPV6 ? g_strdup("1234") : NULL;
    return l;
}

static int
fakeGetDHCPLeases(virNetworkPtr net, const char *mac, virNetworkDHCPLeasePtr **leases,
                  unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakeNet *n = fakeGet(net);
    GPtrArray *list;
    int count;

    if (!n)
        return -1;
    if (flags) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in %s", flags, __func__);
        return -1;
    }
    list = g_ptr_array_new_with_free_func((GDestroyNotify)virNetworkDHCPLeaseFree);
    if (n->active) {
        if (!mac || g_ascii_strcasecmp(mac, "52:54:00:aa:bb:01") == 0)
            g_ptr_array_add(list, fakeLease(n->bridge, "52:54:00:aa:bb:01", "192.168.122.10",
                                            "guest1", VIR_IP_ADDR_TYPE_IPV4));
        if (!mac || g_ascii_strcasecmp(mac, "52:54:00:aa:bb:02") == 0)
            g_ptr_array_add(list, fakeLease(n->bridge, "52:54:00:aa:bb:02", "fd00::10",
                                            NULL, VIR_IP_ADDR_TYPE_IPV6));
    }
    count = list->len;
    if (leases) {
        g_ptr_array_set_free_func(list, NULL);
        g_ptr_array_add(list, NULL);
        *leases = (virNetworkDHCPLeasePtr *)g_ptr_array_free(list, FALSE);
    } else {
        g_ptr_array_unref(list);
    }
    return count;
}

static int
fakeEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                     virConnectNetworkEventGenericCallback cb, void *opaque,
                     virFreeCallback freecb)
{
    return mvObjectEventStateRegister(fakeEvents, conn, eventID,
                                      VIR_NETWORK_EVENT_ID_LIFECYCLE + 1,
                                      net ? net->uuid : NULL, G_CALLBACK(cb), opaque, freecb);
}

static int
fakeEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(fakeEvents, conn, callbackID);
}

/* --- ports -------------------------------------------------------------- */

static fakePort *
fakeFindPort(const unsigned char *net, const unsigned char *uuid)
{
    guint i;

    for (i = 0; i < fakePorts->len; i++) {
        fakePort *p = g_ptr_array_index(fakePorts, i);

        if (memcmp(p->uuid, uuid, VIR_UUID_BUFLEN) == 0 &&
            memcmp(p->net, net, VIR_UUID_BUFLEN) == 0)
            return p;
    }
    return NULL;
}

static fakePort *
fakeGetPort(virNetworkPortPtr port)
{
    fakePort *p = fakeFindPort(port->net->uuid, port->uuid);

    if (!p) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        mvUUIDFormat(port->uuid, uuidstr);
        mvReportError(VIR_ERR_NO_NETWORK_PORT, "network port with UUID %s does not exist",
                      uuidstr);
    }
    return p;
}

static virNetworkPortPtr
fakePortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);

    if (!fakeFindPort(net->uuid, uuid)) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        mvUUIDFormat(uuid, uuidstr);
        mvReportError(VIR_ERR_NO_NETWORK_PORT, "network port with UUID %s does not exist",
                      uuidstr);
        return NULL;
    }
    return mvGetNetworkPort(net, uuid);
}

static virNetworkPortPtr
fakePortCreateXML(virNetworkPtr net, const char *xml, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    g_autofree char *uuidstr = fakeElement(xml, "uuid");
    fakeNet *n = fakeGet(net);
    fakePort *p;

    if (!n)
        return NULL;
    if (!n->active) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not active", n->name);
        return NULL;
    }
    p = g_new0(fakePort, 1);
    if (!uuidstr || mvUUIDParse(uuidstr, p->uuid) < 0)
        mvUUIDGenerate(p->uuid);
    memcpy(p->net, n->uuid, VIR_UUID_BUFLEN);
    p->xml = g_strdup(xml);
    g_ptr_array_add(fakePorts, p);
    return mvGetNetworkPort(net, p->uuid);
}

static char *
fakePortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakePort *p = fakeGetPort(port);

    return p ? g_strdup(p->xml) : NULL;
}

static int
fakePortDelete(virNetworkPortPtr port, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    fakePort *p = fakeGetPort(port);

    if (!p)
        return -1;
    g_ptr_array_remove(fakePorts, p);
    return 0;
}

static int
fakeListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fakeLock);
    GPtrArray *list;
    guint i;
    int count;

    if (!fakeGet(net))
        return -1;
    list = g_ptr_array_new();
    for (i = 0; i < fakePorts->len; i++) {
        fakePort *p = g_ptr_array_index(fakePorts, i);

        if (memcmp(p->net, net->uuid, VIR_UUID_BUFLEN) == 0)
            g_ptr_array_add(list, mvGetNetworkPort(net, p->uuid));
    }
    count = list->len;
    if (ports) {
        g_ptr_array_add(list, NULL);
        *ports = (virNetworkPortPtr *)g_ptr_array_free(list, FALSE);
    } else {
        for (i = 0; i < list->len; i++)
            virNetworkPortFree(g_ptr_array_index(list, i));
        g_ptr_array_unref(list);
    }
    return count;
}

static const mvHypervisorDriver fakeHypervisor = {
    .name = "fakenet",
    .connectOpen = fakeOpen,
    .connectClose = fakeClose,
    .connectGetType = fakeGetType,
    .connectGetVersion = fakeConnectGetVersion,
    .connectGetURI = fakeGetURI,
    .connectGetHostname = fakeGetHostname,
    .connectIsAlive = fakeIsAlive,
    .connectSupportsFeature = fakeSupportsFeature,
};

static const mvNetworkDriver fakeNetworkDriver = {
    .connectNumOfNetworks = fakeNumOfNetworks,
    .connectListNetworks = fakeListNetworks,
    .connectNumOfDefinedNetworks = fakeNumOfDefinedNetworks,
    .connectListDefinedNetworks = fakeListDefinedNetworks,
    .connectListAllNetworks = fakeListAllNetworks,
    .networkLookupByName = fakeLookupByName,
    .networkLookupByUUID = fakeLookupByUUID,
    .networkCreateXML = fakeCreateXML,
    .networkCreateXMLFlags = fakeCreateXMLFlags,
    .networkDefineXML = fakeDefineXML,
    .networkDefineXMLFlags = fakeDefineXMLFlags,
    .networkUndefine = fakeUndefine,
    .networkUpdate = fakeUpdate,
    .networkCreate = fakeCreate,
    .networkDestroy = fakeDestroy,
    .networkGetXMLDesc = fakeGetXMLDesc,
    .networkGetBridgeName = fakeGetBridgeName,
    .networkGetAutostart = fakeGetAutostart,
    .networkSetAutostart = fakeSetAutostart,
    .networkIsActive = fakeIsActive,
    .networkIsPersistent = fakeIsPersistent,
    .networkGetDHCPLeases = fakeGetDHCPLeases,
    .connectNetworkEventRegisterAny = fakeEventRegisterAny,
    .connectNetworkEventDeregisterAny = fakeEventDeregisterAny,
    .networkPortLookupByUUID = fakePortLookupByUUID,
    .networkPortCreateXML = fakePortCreateXML,
    .networkPortGetXMLDesc = fakePortGetXMLDesc,
    .networkPortDelete = fakePortDelete,
    .networkListAllPorts = fakeListAllPorts,
};

static const char *fakeSchemes[2];

static const mvConnectDriver fakeConnectDriver = {
    .name = "fakenet",
    .uriSchemes = fakeSchemes,
    .hypervisorDriver = &fakeHypervisor,
    .networkDriver = &fakeNetworkDriver,
};

int
fakeNetworkRegister(const char *scheme)
{
    fakeSchemes[0] = scheme;
    fakeNets = g_ptr_array_new_with_free_func(fakeNetFree);
    fakePorts = g_ptr_array_new_with_free_func(fakePortFree);
    fakeEvents = mvObjectEventStateNew();
    return mvRegisterConnectDriver(&fakeConnectDriver);
}
