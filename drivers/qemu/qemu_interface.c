/*
 * qemu_interface: see qemu_interface.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "client_driver.h"
#include "mv_error.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "net_host.h"
#include "qemu_interface.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.interface");

#define QEMU_NETWORK_DAEMON "virtnetworkd"

static void
ifaceErrorSave(char **detail, int *code)
{
    virErrorPtr err = mvErrorGetLast();

    *detail = g_strdup(err && err->message ? err->message : "unknown error");
    *code = err ? err->code : VIR_ERR_INTERNAL_ERROR;
}

/* virtnetworkd's connection, opened on first need. */
static virConnectPtr
networkConn(virConnectPtr *conn, const char *uri, const mvDomainDef *def,
            const mvDomainNetDef *net)
{
    g_autofree char *detail = NULL;
    int code;

    if (*conn)
        return *conn;
    if ((*conn = mvConnectOpenSecondary(uri, 0)))
        return *conn;
    ifaceErrorSave(&detail, &code);
    mvErrorReset();
    mvReportError(VIR_ERR_OPERATION_FAILED,
                  "cannot start domain '%s': its interface on network '%s' needs a port from "
                  "%s, which cannot be reached: %s (is %s running?)",
                  def->name, net->source, QEMU_NETWORK_DAEMON, detail, QEMU_NETWORK_DAEMON);
    return NULL;
}

/* The bridge named by a port's <plug type='network|bridge' bridge='...'/>. */
static char *
portBridge(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "port.xml", NULL, XML_PARSE_NONET);
    xmlNodePtr root, n;
    char *bridge = NULL;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    for (n = root ? root->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)"plug")) {
            xmlChar *b = xmlGetProp(n, (const xmlChar *)"bridge");

            if (b) {
                bridge = g_strdup((const char *)b);
                xmlFree(b);
            }
            break;
        }
    }
    xmlFreeDoc(doc);
    return bridge;
}

/* Asks virtnetworkd for a port for @net; fills its port id and bridge. */
static int
allocatePort(virConnectPtr conn, const mvDomainDef *def, mvDomainNetDef *net)
{
    g_autofree char *xml = NULL;
    g_autofree char *portXML = NULL;
    g_autofree char *name = g_markup_escape_text(def->name, -1);
    g_autofree char *detail = NULL;
    char uuid[MV_UUID_STRING_BUFLEN];
    char portUUID[VIR_UUID_STRING_BUFLEN];
    const unsigned char *m = net->mac;
    virNetworkPtr network;
    virNetworkPortPtr port;
    int code;

    if (!(network = virNetworkLookupByName(conn, net->source))) {
        ifaceErrorSave(&detail, &code);
        mvErrorReset();
        mvReportError(code == VIR_ERR_NO_NETWORK ? VIR_ERR_NO_NETWORK : code,
                      "cannot start domain '%s': network '%s' of its interface %02x:%02x:%02x:"
                      "%02x:%02x:%02x: %s", def->name, net->source, m[0], m[1], m[2], m[3],
                      m[4], m[5], detail);
        return -1;
    }
    xml = g_strdup_printf("<networkport>\n"
                          "  <owner>\n"
                          "    <name>%s</name>\n"
                          "    <uuid>%s</uuid>\n"
                          "  </owner>\n"
                          "  <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n"
                          "</networkport>\n",
                          name, mvUUIDFormat(def->uuid, uuid),
                          m[0], m[1], m[2], m[3], m[4], m[5]);
    port = virNetworkPortCreateXML(network, xml, 0);
    if (port) {
        portXML = virNetworkPortGetXMLDesc(port, 0);
        if (portXML && virNetworkPortGetUUIDString(port, portUUID) == 0) {
            net->portid = g_strdup(portUUID);
            net->liveBridge = portBridge(portXML);
        }
    }
    if (!port || !net->portid || !net->liveBridge) {
        ifaceErrorSave(&detail, &code);
        if (port) {
            virNetworkPortDelete(port, 0);
            virNetworkPortFree(port);
        }
        virNetworkFree(network);
        mvErrorReset();
        mvReportError(code, "cannot start domain '%s': %s gave no usable port on network "
                      "'%s': %s", def->name, QEMU_NETWORK_DAEMON, net->source, detail);
        return -1;
    }
    virNetworkPortFree(port);
    virNetworkFree(network);
    return 0;
}

static void
releasePort(virConnectPtr conn, const char *netName, const char *portid)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    virNetworkPtr network;
    virNetworkPortPtr port = NULL;

    if (mvUUIDParse(portid, uuid) < 0 || !(network = virNetworkLookupByName(conn, netName))) {
        MV_WARN("cannot release port %s of network '%s': %s", portid, netName,
                mvErrorGetLast() ? mvErrorGetLast()->message : "bad port id");
        mvErrorReset();
        return;
    }
    if (!(port = virNetworkPortLookupByUUID(network, uuid)) || virNetworkPortDelete(port, 0) < 0)
        MV_WARN("cannot release port %s of network '%s': %s", portid, netName,
                mvErrorGetLast() ? mvErrorGetLast()->message : "unknown error");
    mvErrorReset();
    if (port)
        virNetworkPortFree(port);
    virNetworkFree(network);
}

void
qemuInterfacesCloseFDs(GArray *tapfds)
{
    if (!tapfds)
        return;
    for (guint i = 0; i < tapfds->len; i++) {
        int fd = g_array_index(tapfds, int, i);

        if (fd >= 0)
            close(fd);
    }
    g_array_unref(tapfds);
}

/* Creates the tap of @net, joins @bridge (if any) with its MTU, and brings
 * it up; returns the fd or -1. */
static int
makeTap(const mvDomainDef *def, mvDomainNetDef *net, const char *bridge)
{
    g_autofree char *ifname = NULL;
    unsigned int mtu = 0;
    int fd = -1;
    unsigned int flags = MV_NET_TAP_VNET_HDR;

    if (mvNetTapCreate(net->ifname ? net->ifname : "vnet%d", &ifname, &fd, flags) < 0)
        return -1;
    if ((bridge && (mvNetLinkSetMaster(ifname, bridge) < 0 ||
                    (mvNetLinkGetMTU(bridge, &mtu) == 0 && mtu &&
                     mvNetLinkSetMTU(ifname, mtu) < 0))) ||
        mvNetLinkSetUp(ifname, true) < 0) {
        g_autofree char *detail = NULL;
        int code;

        ifaceErrorSave(&detail, &code);
        close(fd);
        mvErrorReset();
        mvReportError(code, "cannot start domain '%s': cannot set up tap '%s'%s%s: %s",
                      def->name, ifname, bridge ? " on bridge " : "", bridge ? bridge : "",
                      detail);
        return -1;
    }
    g_free(net->ifname);
    net->ifname = g_steal_pointer(&ifname);
    return fd;
}

int
qemuInterfacesPrepare(mvDomainDef *live, const char *networkURI, GArray **tapfds)
{
    g_autoptr(GArray) fds = g_array_new(FALSE, FALSE, sizeof(int));
    virConnectPtr conn = NULL;
    int ret = -1;

    for (guint i = 0; i < live->nets->len; i++) {
        mvDomainNetDef *net = g_ptr_array_index(live->nets, i);
        const char *bridge = NULL;
        int fd = -1;

        switch ((mvNetType)net->type) {
        case MV_NET_USER:
            break;
        case MV_NET_NETWORK:
            if (!networkConn(&conn, networkURI, live, net) ||
                allocatePort(conn, live, net) < 0)
                goto cleanup;
            bridge = net->liveBridge;
            /* fallthrough */
        case MV_NET_BRIDGE:
            if (!bridge)
                bridge = net->source;
            if (!mvNetLinkExists(bridge)) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "cannot start domain '%s': bridge '%s' of its interface does "
                              "not exist on this host", live->name, bridge);
                goto cleanup;
            }
            /* fallthrough */
        case MV_NET_ETHERNET:
            if ((fd = makeTap(live, net, bridge)) < 0)
                goto cleanup;
            break;
        case MV_NET_DIRECT:
        case MV_NET_LAST:
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "cannot start domain '%s': interfaces of type '%s' are not "
                          "supported yet by modvirt", live->name,
                          mvNetTypeToString(net->type));
            goto cleanup;
        }
        g_array_append_val(fds, fd);
    }
    *tapfds = g_steal_pointer(&fds);
    ret = 0;

 cleanup:
    if (ret < 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        qemuInterfacesCloseFDs(g_steal_pointer(&fds));
        if (conn) {
            for (guint i = 0; i < live->nets->len; i++) {
                mvDomainNetDef *net = g_ptr_array_index(live->nets, i);

                if (net->type == MV_NET_NETWORK && net->portid) {
                    releasePort(conn, net->source, net->portid);
                    g_clear_pointer(&net->portid, g_free);
                    g_clear_pointer(&net->liveBridge, g_free);
                }
            }
        }
        mvErrorRestore(&saved);
    }
    if (conn) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        virConnectClose(conn);
        mvErrorRestore(&saved);
    }
    return ret;
}

void
qemuInterfacesRelease(const mvDomainDef *live, const char *networkURI)
{
    virConnectPtr conn = NULL;

    for (guint i = 0; i < live->nets->len; i++) {
        const mvDomainNetDef *net = g_ptr_array_index(live->nets, i);

        if (net->type != MV_NET_NETWORK || !net->portid)
            continue;
        if (!conn && !(conn = mvConnectOpenSecondary(networkURI, 0))) {
            MV_WARN("cannot release the network ports of domain '%s': %s", live->name,
                    mvErrorGetLast() ? mvErrorGetLast()->message : "unknown error");
            mvErrorReset();
            return;
        }
        releasePort(conn, net->source, net->portid);
    }
    if (conn)
        virConnectClose(conn);
    mvErrorReset();
}

static char *
macString(const unsigned char *m)
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                           m[5]);
}

static virDomainInterfacePtr
ifaceNew(const mvDomainNetDef *net, const char *mac)
{
    virDomainInterfacePtr iface = g_new0(virDomainInterface, 1);

    iface->name = g_strdup(net->ifname ? net->ifname : "");
    iface->hwaddr = g_strdup(mac);
    return iface;
}

static void
ifaceAddAddr(virDomainInterfacePtr iface, int type, const char *addr, unsigned int prefix)
{
    iface->addrs = g_renew(virDomainIPAddress, iface->addrs, iface->naddrs + 1);
    iface->addrs[iface->naddrs].type = type;
    iface->addrs[iface->naddrs].addr = g_strdup(addr);
    iface->addrs[iface->naddrs].prefix = prefix;
    iface->naddrs++;
}

/* Leases virtnetworkd handed to the MACs of @live's network NICs. */
static int
addressesFromLeases(const mvDomainDef *live, const char *networkURI, GPtrArray *out)
{
    virConnectPtr conn = NULL;

    for (guint i = 0; i < live->nets->len; i++) {
        const mvDomainNetDef *net = g_ptr_array_index(live->nets, i);
        g_autofree char *mac = NULL;
        virNetworkDHCPLeasePtr *leases = NULL;
        virDomainInterfacePtr iface;
        virNetworkPtr network;
        int n;

        if (net->type != MV_NET_NETWORK)
            continue;
        if (!conn && !(conn = networkConn(&conn, networkURI, live, net)))
            return -1;
        mac = macString(net->mac);
        if (!(network = virNetworkLookupByName(conn, net->source)) ||
            (n = virNetworkGetDHCPLeases(network, mac, &leases, 0)) < 0) {
            if (network)
                virNetworkFree(network);
            virConnectClose(conn);
            return -1;
        }
        virNetworkFree(network);
        if (n > 0) {
            iface = ifaceNew(net, mac);
            for (int j = 0; j < n; j++)
                ifaceAddAddr(iface, leases[j]->type, leases[j]->ipaddr, leases[j]->prefix);
            g_ptr_array_add(out, iface);
        }
        for (int j = 0; j < n; j++)
            virNetworkDHCPLeaseFree(leases[j]);
        g_free(leases);
    }
    if (conn) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        virConnectClose(conn);
        mvErrorRestore(&saved);
    }
    return 0;
}

/* Addresses this host's neighbour table (/proc/net/arp) knows for the
 * MACs of @live's NICs. */
static int
addressesFromARP(const mvDomainDef *live, GPtrArray *out)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents("/proc/net/arp", &data, NULL, NULL)) {
        mvReportSystemError(errno, "cannot read the neighbour table /proc/net/arp");
        return -1;
    }
    lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; i < live->nets->len; i++) {
        const mvDomainNetDef *net = g_ptr_array_index(live->nets, i);
        g_autofree char *mac = macString(net->mac);
        virDomainInterfacePtr iface = NULL;

        /* IP address, HW type, Flags, HW address, Mask, Device */
        for (size_t l = 1; lines[l]; l++) {
            g_auto(GStrv) f = g_strsplit_set(lines[l], " \t", -1);
            const char *col[6] = { 0 };
            int c = 0;

            for (size_t k = 0; f[k] && c < 6; k++) {
                if (*f[k])
                    col[c++] = f[k];
            }
            if (c < 4 || g_ascii_strcasecmp(col[3], mac) != 0)
                continue;
            if (!iface)
                iface = ifaceNew(net, mac);
            ifaceAddAddr(iface, VIR_IP_ADDR_TYPE_IPV4, col[0], 0);
        }
        if (iface)
            g_ptr_array_add(out, iface);
    }
    return 0;
}

int
qemuInterfacesAddresses(const mvDomainDef *live, const char *networkURI,
                        unsigned int source, virDomainInterfacePtr **ifaces)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(
        (GDestroyNotify)virDomainInterfaceFree);
    int rc;

    switch (source) {
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE:
        rc = addressesFromLeases(live, networkURI, out);
        break;
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP:
        rc = addressesFromARP(live, out);
        break;
    case VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT:
        mvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "domain '%s' has no guest agent channel; use --source lease or arp",
                      live->name);
        return -1;
    default:
        mvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "unknown interface address source %u", source);
        return -1;
    }
    if (rc < 0)
        return -1;
    rc = (int)out->len;
    g_ptr_array_set_free_func(out, NULL);
    g_ptr_array_add(out, NULL);
    *ifaces = (virDomainInterfacePtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    return rc;
}
