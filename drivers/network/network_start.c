/*
 * network_start: what a network means on the host — the checks a new
 * definition must pass, starting and stopping a network, and re-adopting
 * active networks after a daemon restart.
 *
 * Start order (each step undone in reverse when a later one fails):
 * bridge (with MAC, MTU, STP and delay), IPv6 setting, addresses, link up,
 * <route>s, IP forwarding, firewall rules, dnsmasq, status file.  Modes
 * without a bridge of their own (bridge, private, vepa, passthrough) only
 * check that the host devices they name exist.
 *
 * The object lock is dropped while the host is changed (the job keeps
 * other writers out; readers only read the definition).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "net_firewall.h"
#include "net_host.h"
#include "network_driver_priv.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

MV_LOG_INIT("network.start");

#define NET_BRIDGE_TEMPLATE "virbr%d"

/* --- files --------------------------------------------------------------- */

mvNetDnsmasqFiles *
netDnsmasqFiles(const mvNetworkDef *def)
{
    return mvNetDnsmasqFilesNew(def, net_driver->dnsmasqDir, net_driver->statusDir);
}

static char *
configPath(const char *dir, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(dir, file, NULL);
}

int
netSaveConfig(const mvNetworkDef *def)
{
    g_autofree char *path = configPath(net_driver->configDir, def->name);
    g_autofree char *xml = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);

    if (mvFileMakePath(net_driver->configDir, 0700) < 0)
        return -1;
    return mvFileWriteAtomicFlags(path, xml, strlen(xml), 0600, MV_FILE_WRITE_NO_DIR_SYNC);
}

int
netDeleteConfig(const char *name)
{
    g_autofree char *path = configPath(net_driver->configDir, name);
    g_autofree char *link = configPath(net_driver->autostartDir, name);

    unlink(link);
    if (unlink(path) < 0 && errno != ENOENT) {
        mvReportSystemError(errno, "cannot remove network config file '%s'", path);
        return -1;
    }
    return 0;
}

int
netSaveStatus(netObj *obj)
{
    g_autofree char *path = configPath(net_driver->statusDir, obj->def->name);

    if (mvFileMakePath(net_driver->statusDir, 0755) < 0)
        return -1;
    return netObjSaveStatus(obj, path);
}

static void
netDeleteStatus(const char *name)
{
    g_autofree char *path = configPath(net_driver->statusDir, name);

    unlink(path);
}

/* --- subnets ------------------------------------------------------------- */

typedef struct {
    int family;
    unsigned char bytes[16];
    int prefix;
} netSubnet;

static bool
subnetOf(const mvNetworkIPDef *ip, netSubnet *out)
{
    int prefix = mvNetworkIPDefPrefix(ip);
    int len;

    if (prefix < 0 || !ip->address.family)
        return false;
    len = ip->address.family == AF_INET ? 4 : 16;
    memset(out, 0, sizeof(*out));
    out->family = ip->address.family;
    out->prefix = prefix;
    for (int i = 0; i < len; i++) {
        int bits = prefix - i * 8;
        unsigned char mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (unsigned char)(0xff << (8 - bits));

        out->bytes[i] = ip->address.bytes[i] & mask;
    }
    return true;
}

static bool
subnetOverlap(const netSubnet *a, const netSubnet *b)
{
    int p = MIN(a->prefix, b->prefix);

    if (a->family != b->family)
        return false;
    for (int i = 0; p > 0; i++, p -= 8) {
        unsigned char mask = p >= 8 ? 0xff : (unsigned char)(0xff << (8 - p));

        if ((a->bytes[i] & mask) != (b->bytes[i] & mask))
            return false;
    }
    return true;
}

static char *
subnetFormat(const netSubnet *s, bool withPrefix)
{
    char text[INET6_ADDRSTRLEN];

    inet_ntop(s->family, s->bytes, text, sizeof(text));
    return withPrefix ? g_strdup_printf("%s/%d", text, s->prefix) : g_strdup(text);
}

/* Whether a host route or address other than on @ownBridge covers @s;
 * reports and returns -1 when it does. */
static int
checkHostRoute(const mvNetworkDef *def, const netSubnet *s, const char *ownBridge)
{
    g_autofree char *net = subnetFormat(s, false);
    g_autofree char *dev = NULL;
    int rc = mvNetRouteConflict(s->family, net, (unsigned int)s->prefix, &dev);

    if (rc < 0)
        return -1;
    if (rc == 0 || (dev && ownBridge && strcmp(dev, ownBridge) == 0))
        return 0;
    mvReportError(VIR_ERR_INTERNAL_ERROR,
                  "network '%s' cannot use %s/%d: that subnet is already in use by "
                  "interface %s on this host; choose another subnet",
                  def->name, net, s->prefix, dev ? dev : "(a route without a device)");
    return -1;
}

/* --- other networks ------------------------------------------------------ */

/* What the define checks need to know of another network. */
typedef struct {
    char *name;
    GPtrArray *bridges;         /* of char* */
    GArray *subnets;            /* of netSubnet */
} netOther;

static void
netOtherFree(netOther *o)
{
    g_free(o->name);
    g_ptr_array_unref(o->bridges);
    g_array_unref(o->subnets);
    g_free(o);
}

static void
otherAddDef(netOther *o, const mvNetworkDef *def)
{
    if (!def)
        return;
    if (def->bridge && mvNetworkDefHasOwnBridge(def))
        g_ptr_array_add(o->bridges, g_strdup(def->bridge));
    for (guint i = 0; i < def->ips->len; i++) {
        netSubnet s;

        if (subnetOf(g_ptr_array_index(def->ips, i), &s))
            g_array_append_val(o->subnets, s);
    }
}

/* A snapshot of every network but @uuid (no object lock may be held). */
static GPtrArray *
collectOthers(const unsigned char *uuid)
{
    g_autoptr(GPtrArray) all = netObjListAll(net_driver->networks);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)netOtherFree);

    for (guint i = 0; i < all->len; i++) {
        netObj *obj = g_ptr_array_index(all, i);
        netOther *o;

        g_mutex_lock(&obj->lock);
        if (obj->removed || memcmp(obj->def->uuid, uuid, MV_UUID_BUFLEN) == 0) {
            g_mutex_unlock(&obj->lock);
            continue;
        }
        o = g_new0(netOther, 1);
        o->name = g_strdup(obj->def->name);
        o->bridges = g_ptr_array_new_with_free_func(g_free);
        o->subnets = g_array_new(FALSE, FALSE, sizeof(netSubnet));
        otherAddDef(o, obj->def);
        otherAddDef(o, obj->newDef);
        g_mutex_unlock(&obj->lock);
        g_ptr_array_add(out, o);
    }
    return out;
}

static const char *
bridgeOwner(GPtrArray *others, const char *bridge)
{
    for (guint i = 0; i < others->len; i++) {
        netOther *o = g_ptr_array_index(others, i);

        for (guint j = 0; j < o->bridges->len; j++) {
            if (strcmp(g_ptr_array_index(o->bridges, j), bridge) == 0)
                return o->name;
        }
    }
    return NULL;
}

static bool
validTemplate(const char *tmpl)
{
    const char *p = strchr(tmpl, '%');

    return p && p[1] == 'd' && !strchr(p + 1, '%');
}

static int
assignBridge(mvNetworkDef *def, const mvNetworkDef *old, const char *oldActiveBridge,
             GPtrArray *others)
{
    const char *tmpl = def->bridge ? def->bridge : NET_BRIDGE_TEMPLATE;

    if (!validTemplate(tmpl)) {
        mvReportError(VIR_ERR_XML_ERROR, "bridge name template '%s' of network '%s' must "
                      "contain '%%d' exactly once", tmpl, def->name);
        return -1;
    }
    /* a network redefined without a bridge name keeps the one it had */
    if (!def->bridge && old && old->bridge && !strchr(old->bridge, '%') &&
        !bridgeOwner(others, old->bridge)) {
        def->bridge = g_strdup(old->bridge);
        return 0;
    }
    for (int n = 0; n < 256; n++) {
        const char *pct = strstr(tmpl, "%d");
        g_autofree char *name = g_strdup_printf("%.*s%d%s", (int)(pct - tmpl), tmpl, n,
                                                pct + 2);

        if (strlen(name) > MV_NET_IFNAME_MAX)
            break;
        if (bridgeOwner(others, name))
            continue;
        if (mvNetLinkExists(name) && g_strcmp0(name, oldActiveBridge) != 0)
            continue;
        g_free(def->bridge);
        def->bridge = g_steal_pointer(&name);
        return 0;
    }
    mvReportError(VIR_ERR_INTERNAL_ERROR, "no free bridge name for network '%s' from the "
                  "template '%s'; give the network a <bridge name='...'/>", def->name, tmpl);
    return -1;
}

static int
checkBridge(mvNetworkDef *def, const char *oldActiveBridge, GPtrArray *others)
{
    const char *owner;

    if (strlen(def->bridge) > MV_NET_IFNAME_MAX) {
        mvReportError(VIR_ERR_XML_ERROR, "bridge name '%s' of network '%s' is longer than "
                      "%d characters", def->bridge, def->name, MV_NET_IFNAME_MAX);
        return -1;
    }
    if ((owner = bridgeOwner(others, def->bridge))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "bridge name '%s' already in use by network "
                      "'%s'; choose another <bridge name> or leave it out to get a free one",
                      def->bridge, owner);
        return -1;
    }
    if (mvNetLinkExists(def->bridge) && g_strcmp0(def->bridge, oldActiveBridge) != 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "bridge name '%s' already in use by a host "
                      "interface; choose another <bridge name> or leave it out to get a "
                      "free one", def->bridge);
        return -1;
    }
    return 0;
}

static int
checkForwardDevs(const mvNetworkDef *def)
{
    for (size_t i = 0; mvNetworkDefForwardIf(def, i); i++) {
        const char *dev = mvNetworkDefForwardIf(def, i);

        if (!mvNetLinkExists(dev)) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "forward device '%s' of network '%s' "
                          "does not exist on this host; name an existing interface in "
                          "<forward dev=...>", dev, def->name);
            return -1;
        }
    }
    return 0;
}

static int
checkSubnets(const mvNetworkDef *def, GPtrArray *others, const char *ownBridge)
{
    for (guint i = 0; i < def->ips->len; i++) {
        netSubnet s;

        if (!subnetOf(g_ptr_array_index(def->ips, i), &s))
            continue;
        for (guint j = 0; others && j < others->len; j++) {
            netOther *o = g_ptr_array_index(others, j);

            for (guint k = 0; k < o->subnets->len; k++) {
                const netSubnet *t = &g_array_index(o->subnets, netSubnet, k);

                if (subnetOverlap(&s, t)) {
                    g_autofree char *mine = subnetFormat(&s, true);
                    g_autofree char *theirs = subnetFormat(t, true);

                    mvReportError(VIR_ERR_OPERATION_INVALID,
                                  "subnet %s of network '%s' overlaps subnet %s of network "
                                  "'%s'; choose a subnet no other network uses",
                                  mine, def->name, theirs, o->name);
                    return -1;
                }
            }
        }
        if (checkHostRoute(def, &s, ownBridge) < 0)
            return -1;
    }
    return 0;
}

int
netPrepareDefinition(mvNetworkDef *def, const mvNetworkDef *old, const char *oldActiveBridge)
{
    g_autoptr(GPtrArray) others = NULL;

    if (netObjListCheckConflict(net_driver->networks, def) < 0)
        return -1;
    others = collectOthers(def->uuid);
    if (mvNetworkDefHasOwnBridge(def)) {
        if ((!def->bridge || strchr(def->bridge, '%')) &&
            assignBridge(def, old, oldActiveBridge, others) < 0)
            return -1;
        if (checkBridge(def, oldActiveBridge, others) < 0)
            return -1;
        if (!def->macSpecified && old && old->macSpecified) {
            memcpy(def->mac, old->mac, sizeof(def->mac));
            def->macSpecified = true;
        }
        mvNetworkDefSetBridgeMAC(def);
    }
    if (checkSubnets(def, others, oldActiveBridge) < 0)
        return -1;
    return checkForwardDevs(def);
}

/* --- start / stop -------------------------------------------------------- */

static bool
defHasFamily(const mvNetworkDef *def, int family)
{
    return mvNetworkDefGetIPByFamily(def, family) != NULL;
}

static int
addAddresses(const mvNetworkDef *def)
{
    for (guint i = 0; i < def->ips->len; i++) {
        const mvNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
        g_autofree char *addr = mvNetworkAddrFormat(&ip->address);
        int prefix = mvNetworkIPDefPrefix(ip);

        if (!addr || prefix < 0)
            continue;
        if (mvNetAddrAdd(def->bridge, ip->address.family, addr, (unsigned int)prefix,
                         ip->address.family == AF_INET6) < 0)
            return -1;
    }
    return 0;
}

static int
addRoutes(const mvNetworkDef *def)
{
    for (guint i = 0; i < def->routes->len; i++) {
        const mvNetworkRoute *r = g_ptr_array_index(def->routes, i);
        g_autofree char *addr = mvNetworkAddrFormat(&r->address);
        g_autofree char *gw = mvNetworkAddrFormat(&r->gateway);
        unsigned int prefix = r->hasPrefix ? r->prefix :
                              r->address.family == AF_INET6 ? 64 : 24;

        if (r->netmask.family) {
            unsigned int bits = 0;

            for (int b = 0; b < 16; b++)
                bits += (unsigned int)__builtin_popcount(r->netmask.bytes[b]);
            prefix = bits;
        }
        if (mvNetRouteAdd(def->bridge, r->address.family, addr, prefix, gw,
                          r->hasMetric ? r->metric : 0) < 0)
            return -1;
    }
    return 0;
}

static int
enableForwarding(const mvNetworkDef *def)
{
    int families[] = { AF_INET, AF_INET6 };

    if (def->forward.type != MV_NETWORK_FORWARD_NAT &&
        def->forward.type != MV_NETWORK_FORWARD_ROUTE &&
        def->forward.type != MV_NETWORK_FORWARD_OPEN)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
        int rc;

        if (!defHasFamily(def, families[i]))
            continue;
        if ((rc = mvNetIsForwardingEnabled(families[i])) < 0)
            return -1;
        if (rc == 0 && mvNetEnableForwarding(families[i]) < 0)
            return -1;
    }
    return 0;
}

/* Undoes what a start did, from the last step back.  Never fails. */
static void
undoHost(const mvNetworkDef *def, bool dnsmasq, bool firewall, bool bridge)
{
    g_autoptr(mvErrorSaved) saved = mvErrorSave();

    if (dnsmasq) {
        g_autoptr(mvNetDnsmasqFiles) files = netDnsmasqFiles(def);

        if (mvNetDnsmasqStop(files) < 0)
            MV_WARN("network '%s': %s", def->name, mvErrorGetLast()->message);
    }
    if (firewall && mvNetFirewallRemove(def->name) < 0)
        MV_WARN("network '%s': %s", def->name, mvErrorGetLast()->message);
    if (bridge && mvNetBridgeDelete(def->bridge) < 0)
        MV_WARN("network '%s': %s", def->name, mvErrorGetLast()->message);
    mvErrorRestore(&saved);
}

/* Host work of a network with a bridge of its own.  Sets the live flags of
 * @obj as it goes; on failure undoes them. */
static int
startOwnBridge(netObj *obj, const mvNetworkDef *def)
{
    g_autoptr(mvNetDnsmasqFiles) files = NULL;
    pid_t pid = 0;

    if (mvNetLinkExists(def->bridge)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot start network '%s': bridge name '%s' "
                      "already in use by a host interface; remove it or change the "
                      "network's <bridge name>", def->name, def->bridge);
        return -1;
    }
    if (checkSubnets(def, NULL, NULL) < 0 || checkForwardDevs(def) < 0)
        return -1;

    if (mvNetBridgeCreate(def->bridge, def->macSpecified ? def->mac : NULL, def->mtu,
                          def->stp, (unsigned int)(def->delay * 1000)) < 0)
        return -1;
    obj->bridgeCreated = true;
    if (mvNetBridgeSetIPv6(def->bridge, defHasFamily(def, AF_INET6)) < 0 ||
        addAddresses(def) < 0 ||
        mvNetLinkSetUp(def->bridge, true) < 0 ||
        addRoutes(def) < 0 ||
        enableForwarding(def) < 0)
        goto error;
    if (mvNetFirewallNeeded(def)) {
        if (mvNetFirewallAdd(def) < 0)
            goto error;
        obj->firewallAdded = true;
    }
    if (mvNetDnsmasqNeeded(def)) {
        files = netDnsmasqFiles(def);
        if (mvNetDnsmasqWriteFiles(def, files) < 0 || mvNetDnsmasqStart(files, &pid) < 0)
            goto error;
        obj->dnsmasqPid = pid;
    }
    return 0;

 error:
    undoHost(def, false, obj->firewallAdded, true);
    obj->bridgeCreated = obj->firewallAdded = false;
    return -1;
}

static int
startHostBridge(const mvNetworkDef *def)
{
    if (def->bridge && !mvNetLinkExists(def->bridge)) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "cannot start network '%s': host bridge "
                      "'%s' does not exist; create it first or name an existing bridge",
                      def->name, def->bridge);
        return -1;
    }
    return checkForwardDevs(def);
}

int
netStart(netObj *obj)
{
    g_autoptr(mvNetworkDef) live = netDefCopy(obj->def);
    mvNetworkDef *def;
    int rc;

    if (!live)
        return -1;
    if (obj->def->forward.type == MV_NETWORK_FORWARD_HOSTDEV) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "cannot start network '%s': forward mode "
                      "'hostdev' is not supported by modvirt", obj->def->name);
        return -1;
    }
    def = live;
    def->connections = 0;
    obj->bridgeCreated = obj->firewallAdded = false;
    obj->dnsmasqPid = 0;

    g_mutex_unlock(&obj->lock);
    if (mvNetworkDefHasOwnBridge(def))
        rc = startOwnBridge(obj, def);
    else
        rc = startHostBridge(def);
    g_mutex_lock(&obj->lock);
    if (rc < 0)
        return -1;

    if (obj->persistent) {
        mvNetworkDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&obj->def);
    } else {
        mvNetworkDefFree(obj->def);
    }
    obj->def = g_steal_pointer(&live);
    obj->active = true;
    g_ptr_array_set_size(obj->ports, 0);
    if (netSaveStatus(obj) < 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        netStop(obj);
        mvErrorRestore(&saved);
        return -1;
    }
    g_atomic_int_inc(&net_driver->nactive);
    MV_INFO("started network '%s' (bridge %s, dnsmasq pid %lld)", obj->def->name,
            obj->def->bridge ? obj->def->bridge : "-", (long long)obj->dnsmasqPid);
    return 0;
}

void
netStop(netObj *obj)
{
    g_autoptr(mvNetworkDef) live = NULL;
    bool dnsmasq = obj->dnsmasqPid > 0 || mvNetworkDefHasOwnBridge(obj->def);
    bool firewall = obj->firewallAdded || mvNetFirewallNeeded(obj->def);
    bool bridge = obj->bridgeCreated;

    if (!obj->active)
        return;
    g_mutex_unlock(&obj->lock);
    undoHost(obj->def, dnsmasq, firewall, bridge);
    g_mutex_lock(&obj->lock);

    netDeleteStatus(obj->def->name);
    obj->active = false;
    obj->bridgeCreated = obj->firewallAdded = false;
    obj->dnsmasqPid = 0;
    g_ptr_array_set_size(obj->ports, 0);
    if (obj->newDef) {
        live = g_steal_pointer(&obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    obj->def->connections = 0;
    g_atomic_int_add(&net_driver->nactive, -1);
    MV_INFO("stopped network '%s'", obj->def->name);
}

/* --- re-adoption --------------------------------------------------------- */

/* Brings the host side of a re-adopted network back in line: dnsmasq
 * running, firewall rules present.  Returns false when the network is gone
 * (its bridge vanished) and must be cleaned up. */
static bool
readoptHost(netObj *obj)
{
    const mvNetworkDef *def = obj->def;

    if (!mvNetworkDefHasOwnBridge(def))
        return true;
    if (!def->bridge || !mvNetLinkExists(def->bridge)) {
        MV_WARN("network '%s': its bridge '%s' is gone; marking it inactive", def->name,
                def->bridge ? def->bridge : "");
        return false;
    }
    if (mvNetFirewallNeeded(def)) {
        int rc = mvNetFirewallHas(def->name);

        if (rc == 0 && mvNetFirewallAdd(def) == 0) {
            MV_INFO("network '%s': firewall rules were missing and are installed again",
                    def->name);
            rc = 1;
        }
        if (rc < 0) {
            MV_WARN("network '%s': cannot check its firewall rules: %s", def->name,
                    mvErrorGetLast()->message);
            mvErrorReset();
        }
        obj->firewallAdded = rc > 0;
    }
    if (mvNetDnsmasqNeeded(def)) {
        g_autoptr(mvNetDnsmasqFiles) files = netDnsmasqFiles(def);
        pid_t pid = 0;
        int rc = mvNetDnsmasqFind(files, &pid);

        if (rc == 0) {
            MV_INFO("network '%s': dnsmasq is not running; starting it again", def->name);
            if (mvNetDnsmasqWriteFiles(def, files) == 0 && mvNetDnsmasqStart(files, &pid) == 0)
                rc = 1;
            else
                rc = -1;
        }
        if (rc < 0) {
            MV_WARN("network '%s': dnsmasq is not running: %s", def->name,
                    mvErrorGetLast() ? mvErrorGetLast()->message : "?");
            mvErrorReset();
            pid = 0;
        }
        obj->dnsmasqPid = pid;
    }
    return true;
}

static void
readoptOne(const char *path)
{
    g_autoptr(netObj) loaded = netObjLoadStatus(path);
    g_autoptr(netObj) obj = NULL;

    if (!loaded) {
        MV_WARN("ignoring network status file '%s': %s", path,
                mvErrorGetLast() ? mvErrorGetLast()->message : "?");
        mvErrorReset();
        return;
    }
    if ((obj = netObjListFindByUUID(net_driver->networks, loaded->def->uuid))) {
        g_mutex_lock(&obj->lock);
        if (strcmp(obj->def->name, loaded->def->name) != 0 || obj->active) {
            MV_WARN("ignoring network status file '%s': it does not match network '%s'",
                    path, obj->def->name);
            g_mutex_unlock(&obj->lock);
            return;
        }
        mvNetworkDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&obj->def);
        obj->def = g_steal_pointer(&loaded->def);
        loaded->def = mvNetworkDefNew();
        g_ptr_array_extend_and_steal(obj->ports, g_steal_pointer(&loaded->ports));
        loaded->ports = g_ptr_array_new();
        obj->bridgeCreated = loaded->bridgeCreated;
        obj->firewallAdded = loaded->firewallAdded;
        obj->dnsmasqPid = loaded->dnsmasqPid;
        obj->active = true;
    } else {
        loaded->persistent = false;
        if (!(obj = netObjListAddObj(net_driver->networks, loaded))) {
            MV_WARN("ignoring network status file '%s': %s", path,
                    mvErrorGetLast() ? mvErrorGetLast()->message : "?");
            mvErrorReset();
            return;
        }
        g_mutex_lock(&obj->lock);
    }
    g_atomic_int_inc(&net_driver->nactive);
    if (!readoptHost(obj)) {
        obj->bridgeCreated = false;
        netStop(obj);
        if (!obj->persistent)
            netObjListRemove(net_driver->networks, obj);
        g_mutex_unlock(&obj->lock);
        return;
    }
    netSaveStatus(obj);
    MV_INFO("re-adopted network '%s' (bridge %s, dnsmasq pid %lld, %u ports)",
            obj->def->name, obj->def->bridge ? obj->def->bridge : "-",
            (long long)obj->dnsmasqPid, obj->ports->len);
    g_mutex_unlock(&obj->lock);
}

void
netReadoptAll(void)
{
    g_autoptr(GDir) dir = g_dir_open(net_driver->statusDir, 0, NULL);
    const char *name;

    if (!dir)
        return;
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(name, ".xml"))
            continue;
        path = g_build_filename(net_driver->statusDir, name, NULL);
        readoptOne(path);
    }
}
