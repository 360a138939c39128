/*
 * network_ports: the network port API (virNetworkPort*: create, look up,
 * describe, delete, list) and DHCP leases (virNetworkGetDHCPLeases, read
 * from dnsmasq's lease file) of the network driver.  The driver tables in
 * network_driver.c point here.
 *
 * A port is plugged when it is created: a network with a bridge of its own
 * hands out that bridge (<plug type='network'>), forward mode bridge the
 * host bridge (<plug type='bridge'>), macvtap modes the forward device with
 * the fewest ports (<plug type='direct'>).  Ports live in the network's
 * status file, so a daemon restart keeps them; destroying the network
 * drops them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "network_driver_priv.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

/* --- DHCP leases --------------------------------------------------------- */

static unsigned int
leasePrefix(const mvNetworkDef *def, int family, const char *ipaddr)
{
    mvNetworkAddr addr;

    if (mvNetworkAddrParse(ipaddr, family, &addr) < 0)
        return 0;
    for (guint i = 0; i < def->ips->len; i++) {
        const mvNetworkIPDef *ip = g_ptr_array_index(def->ips, i);

        if (ip->address.family == family && mvNetworkIPDefContains(ip, &addr))
            return (unsigned int)MAX(mvNetworkIPDefPrefix(ip), 0);
    }
    return 0;
}

int
netNetworkGetDHCPLeases(virNetworkPtr net, const char *mac, virNetworkDHCPLeasePtr **leases,
                        unsigned int flags)
{
    g_autoptr(GPtrArray) found = NULL;
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
        (GDestroyNotify)virNetworkDHCPLeaseFree);
    g_autoptr(mvNetworkDef) def = NULL;
    long long now = (long long)time(NULL);
    netObj *obj;
    guint n;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = netObjFromNet(net)))
        return -1;
    if (obj->active && obj->def->bridge && mvNetDnsmasqNeeded(obj->def))
        def = netDefCopy(obj->def);
    netObjEnd(obj);
    if (def) {
        g_autoptr(mvNetDnsmasqFiles) files = netDnsmasqFiles(def);

        if (!(found = mvNetDnsmasqReadLeases(files->leaseFile)))
            return -1;
        for (guint i = 0; i < found->len; i++) {
            const mvNetDnsmasqLease *l = g_ptr_array_index(found, i);
            virNetworkDHCPLeasePtr lease;

            if (l->expiry > 0 && l->expiry < now)
                continue;
            if (mac && (!l->mac || g_ascii_strcasecmp(l->mac, mac) != 0))
                continue;
            lease = g_new0(virNetworkDHCPLease, 1);
            lease->iface = g_strdup(def->bridge);
            lease->expirytime = l->expiry;
            lease->type = l->family == AF_INET6 ? VIR_IP_ADDR_TYPE_IPV6 : VIR_IP_ADDR_TYPE_IPV4;
            lease->mac = g_strdup(l->mac);
            lease->iaid = g_strdup(l->iaid);
            lease->ipaddr = g_strdup(l->ipaddr);
            lease->prefix = leasePrefix(def, l->family, l->ipaddr);
            lease->hostname = g_strdup(l->hostname);
            lease->clientid = g_strdup(l->clientid);
            g_ptr_array_add(out, lease);
        }
    }
    n = out->len;
    if (leases) {
        g_ptr_array_set_free_func(out, NULL);
        g_ptr_array_add(out, NULL);
        *leases = (virNetworkDHCPLeasePtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    }
    return (int)n;
}

/* --- ports --------------------------------------------------------------- */

static void
noPortError(const unsigned char *uuid)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvReportError(VIR_ERR_NO_NETWORK_PORT, "network port with uuid %s not found",
                  mvUUIDFormat(uuid, uuidstr));
}

/* The forward device of a direct network with the fewest ports. */
static const char *
leastUsedDev(netObj *obj)
{
    const char *best = NULL;
    guint bestCount = G_MAXUINT;

    for (size_t i = 0; mvNetworkDefForwardIf(obj->def, i); i++) {
        const char *dev = mvNetworkDefForwardIf(obj->def, i);
        guint count = 0;

        for (guint j = 0; j < obj->ports->len; j++) {
            const mvNetworkPortDef *p = g_ptr_array_index(obj->ports, j);

            if (g_strcmp0(p->plugDev, dev) == 0)
                count++;
        }
        if (count < bestCount) {
            best = dev;
            bestCount = count;
        }
    }
    return best;
}

/* Fills in how the port plugs into @obj's network. */
static int
portPlug(netObj *obj, mvNetworkPortDef *port)
{
    const mvNetworkDef *def = obj->def;
    const char *dev;

    g_clear_pointer(&port->plugDev, g_free);
    g_clear_pointer(&port->directMode, g_free);
    if (mvNetworkDefHasOwnBridge(def)) {
        port->plugType = MV_NETWORK_PORT_PLUG_NETWORK;
        port->plugDev = g_strdup(def->bridge);
        port->macTableManager = def->macTableManager;
        return 0;
    }
    if (def->forward.type == MV_NETWORK_FORWARD_BRIDGE && def->bridge) {
        port->plugType = MV_NETWORK_PORT_PLUG_BRIDGE;
        port->plugDev = g_strdup(def->bridge);
        port->macTableManager = def->macTableManager;
        return 0;
    }
    if (def->forward.type != MV_NETWORK_FORWARD_HOSTDEV && (dev = leastUsedDev(obj))) {
        port->plugType = MV_NETWORK_PORT_PLUG_DIRECT;
        port->plugDev = g_strdup(dev);
        port->directMode = g_strdup(mvNetworkForwardTypeToString(def->forward.type));
        return 0;
    }
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "network '%s' cannot give out ports: its "
                  "forward mode '%s' is not supported by modvirt", def->name,
                  mvNetworkForwardTypeToString(def->forward.type));
    return -1;
}

virNetworkPortPtr
netNetworkPortCreateXML(virNetworkPtr net, const char *xml, unsigned int flags)
{
    g_autoptr(mvNetworkPortDef) port = NULL;
    virNetworkPortPtr ret = NULL;
    mvNetworkPortDef *existing;
    netObj *obj;

    mvCheckFlags(flags, VIR_NETWORK_PORT_CREATE_RECLAIM | VIR_NETWORK_PORT_CREATE_VALIDATE,
                 NULL);
    if (!(port = mvNetworkPortDefParse(xml)))
        return NULL;
    if (!(obj = netObjJobFromNet(net)))
        return NULL;
    if (netCheckActive(obj) < 0)
        goto done;
    if ((existing = netObjFindPort(obj, port->uuid))) {
        char uuidstr[MV_UUID_STRING_BUFLEN];

        if ((flags & VIR_NETWORK_PORT_CREATE_RECLAIM) &&
            memcmp(existing->mac, port->mac, sizeof(port->mac)) == 0) {
            ret = mvGetNetworkPort(net, existing->uuid);
            goto done;
        }
        mvReportError(VIR_ERR_NETWORK_PORT_EXIST, "network port %s already exists on "
                      "network '%s'", mvUUIDFormat(port->uuid, uuidstr), obj->def->name);
        goto done;
    }
    if (port->group && !mvNetworkDefFindPortGroup(obj->def, port->group)) {
        mvReportError(VIR_ERR_INVALID_ARG, "network '%s' has no portgroup named '%s'",
                      obj->def->name, port->group);
        goto done;
    }
    if (portPlug(obj, port) < 0)
        goto done;
    g_ptr_array_add(obj->ports, port);
    obj->def->connections = obj->ports->len;
    if (netSaveStatus(obj) < 0) {
        g_ptr_array_steal_index(obj->ports, obj->ports->len - 1);
        obj->def->connections = obj->ports->len;
        goto done;
    }
    ret = mvGetNetworkPort(net, port->uuid);
    port = NULL;            /* owned by obj->ports now */

 done:
    netObjEndJobUnlock(obj);
    return ret;
}

virNetworkPortPtr
netNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    virNetworkPortPtr ret = NULL;
    netObj *obj;

    if (!(obj = netObjFromNet(net)))
        return NULL;
    if (netObjFindPort(obj, uuid))
        ret = mvGetNetworkPort(net, uuid);
    else
        noPortError(uuid);
    netObjEnd(obj);
    return ret;
}

char *
netNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    const mvNetworkPortDef *def;
    char *xml = NULL;
    netObj *obj;

    mvCheckFlags(flags, 0, NULL);
    if (!(obj = netObjFromNet(port->net)))
        return NULL;
    if ((def = netObjFindPort(obj, port->uuid)))
        xml = mvNetworkPortDefFormat(def);
    else
        noPortError(port->uuid);
    netObjEnd(obj);
    return xml;
}

int
netNetworkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    mvNetworkPortDef *def;
    netObj *obj;
    int ret = -1;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = netObjJobFromNet(port->net)))
        return -1;
    if (!(def = netObjFindPort(obj, port->uuid))) {
        noPortError(port->uuid);
        goto done;
    }
    g_ptr_array_remove(obj->ports, def);
    obj->def->connections = obj->ports->len;
    if (obj->active && netSaveStatus(obj) < 0)
        goto done;
    ret = 0;

 done:
    netObjEndJobUnlock(obj);
    return ret;
}

int
netNetworkListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags)
{
    netObj *obj;
    int n;

    mvCheckFlags(flags, 0, -1);
    if (!(obj = netObjFromNet(net)))
        return -1;
    n = (int)obj->ports->len;
    if (ports) {
        virNetworkPortPtr *list = g_new0(virNetworkPortPtr, obj->ports->len + 1);

        for (guint i = 0; i < obj->ports->len; i++) {
            const mvNetworkPortDef *p = g_ptr_array_index(obj->ports, i);

            list[i] = mvGetNetworkPort(net, p->uuid);
        }
        *ports = list;
    }
    netObjEnd(obj);
    return n;
}
