/*
 * network_conf: see network_conf.h.  Parsing reads the document element by
 * element into the struct, making libvirt 9.0's checks in libvirt's order and
 * with its words (verified against Debian's libvirtd), then our extra host
 * checks, then the schema.  Formatting is in network_conf_format.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mv_buf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"
#include "network_conf.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

/* Characters libvirt allows in DNS SRV service and protocol names. */
#define MV_NETWORK_SRV_PROTOCOL_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+/"
#define MV_NETWORK_SRV_SERVICE_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/*"
/* Longest DNS SRV service name libvirt accepts. */
#define MV_NETWORK_SRV_SERVICE_MAX 16
/* Largest VLAN id. */
#define MV_NETWORK_VLAN_ID_MAX 4095

MV_ENUM_IMPL(mvNetworkForwardType, MV_NETWORK_FORWARD_LAST,
                "none", "nat", "route", "open", "bridge", "private", "vepa",
                "passthrough", "hostdev")
MV_ENUM_IMPL(mvNetworkMacTableManager, MV_NETWORK_MAC_TABLE_MANAGER_LAST,
                "default", "kernel", "libvirt")
MV_ENUM_IMPL(mvNetworkLeaseUnit, MV_NETWORK_LEASE_UNIT_LAST,
                "seconds", "minutes", "hours")
MV_ENUM_IMPL(mvNetworkForwardDriver, MV_NETWORK_FORWARD_DRIVER_LAST,
                "default", "kvm", "vfio")
MV_ENUM_IMPL(mvNetworkVlanNativeMode, MV_NETWORK_VLAN_NATIVE_LAST,
                "default", "tagged", "untagged")
MV_ENUM_IMPL(mvNetworkVirtPortType, MV_NETWORK_VPORT_LAST,
                "none", "802.1Qbg", "802.1Qbh", "openvswitch", "midonet")

/* ---- addresses ---------------------------------------------------------- */

int
mvNetworkAddrParse(const char *str, int family, mvNetworkAddr *addr)
{
    mvNetworkAddr a = { 0 };

    if (!str)
        return -1;
    if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, str, a.bytes) == 1)
        a.family = AF_INET;
    else if ((family == AF_UNSPEC || family == AF_INET6) &&
             inet_pton(AF_INET6, str, a.bytes) == 1)
        a.family = AF_INET6;
    else
        return -1;
    *addr = a;
    return 0;
}

char *
mvNetworkAddrFormat(const mvNetworkAddr *addr)
{
    char text[INET6_ADDRSTRLEN];

    if (!addr->family || !inet_ntop(addr->family, addr->bytes, text, sizeof(text)))
        return NULL;
    return g_strdup(text);
}

bool
mvNetworkAddrEqual(const mvNetworkAddr *a, const mvNetworkAddr *b)
{
    size_t len = a->family == AF_INET ? 4 : 16;

    return a->family == b->family && memcmp(a->bytes, b->bytes, len) == 0;
}

static size_t
mvNetworkAddrLen(const mvNetworkAddr *addr)
{
    return addr->family == AF_INET ? 4 : 16;
}

/* Prefix length of a netmask, or -1 when the mask is not contiguous. */
static int
mvNetworkAddrMaskPrefix(const mvNetworkAddr *mask)
{
    size_t i;
    int bits = 0;
    bool zero = false;

    for (i = 0; i < mvNetworkAddrLen(mask); i++) {
        int b;

        for (b = 7; b >= 0; b--) {
            bool set = mask->bytes[i] & (1 << b);

            if (set && zero)
                return -1;
            if (set)
                bits++;
            else
                zero = true;
        }
    }
    return bits;
}

/* Whether @a and @b share their first @prefix bits. */
static bool
mvNetworkAddrSameNet(const mvNetworkAddr *a, const mvNetworkAddr *b, int prefix)
{
    int i;

    if (a->family != b->family || prefix < 0)
        return false;
    for (i = 0; i < prefix; i++) {
        unsigned char bit = 0x80 >> (i % 8);

        if ((a->bytes[i / 8] & bit) != (b->bytes[i / 8] & bit))
            return false;
    }
    return true;
}

static int
mvNetworkAddrCompare(const mvNetworkAddr *a, const mvNetworkAddr *b)
{
    return memcmp(a->bytes, b->bytes, mvNetworkAddrLen(a));
}

/* ---- lifecycle ---------------------------------------------------------- */

static void
mvNetworkDHCPHostClear(gpointer p)
{
    mvNetworkDHCPHost *h = p;

    g_free(h->mac);
    g_free(h->id);
    g_free(h->name);
}

static void
mvNetworkIPDefFree(gpointer p)
{
    mvNetworkIPDef *ip = p;

    if (!ip)
        return;
    g_free(ip->family);
    g_free(ip->tftproot);
    g_free(ip->bootfile);
    g_clear_pointer(&ip->ranges, g_array_unref);
    g_clear_pointer(&ip->hosts, g_array_unref);
    g_free(ip);
}

static mvNetworkIPDef *
mvNetworkIPDefNew(void)
{
    mvNetworkIPDef *ip = g_new0(mvNetworkIPDef, 1);

    ip->ranges = g_array_new(FALSE, TRUE, sizeof(mvNetworkDHCPRange));
    ip->hosts = g_array_new(FALSE, TRUE, sizeof(mvNetworkDHCPHost));
    g_array_set_clear_func(ip->hosts, mvNetworkDHCPHostClear);
    return ip;
}

static void
mvNetworkRouteFree(gpointer p)
{
    mvNetworkRoute *r = p;

    if (!r)
        return;
    g_free(r->family);
    g_free(r);
}

static void
mvNetworkVlanClear(mvNetworkVlan *vlan)
{
    g_clear_pointer(&vlan->tags, g_array_unref);
}

static void
mvNetworkPortGroupFree(gpointer p)
{
    mvNetworkPortGroup *pg = p;

    if (!pg)
        return;
    g_free(pg->name);
    g_free(pg->bandwidth);
    mvNetworkVlanClear(&pg->vlan);
    g_free(pg);
}

static void
mvNetworkDNSForwarderClear(gpointer p)
{
    g_free(((mvNetworkDNSForwarder *)p)->domain);
}

static void
mvNetworkDNSTxtClear(gpointer p)
{
    mvNetworkDNSTxt *t = p;

    g_free(t->name);
    g_free(t->value);
}

static void
mvNetworkDNSSrvClear(gpointer p)
{
    mvNetworkDNSSrv *s = p;

    g_free(s->service);
    g_free(s->protocol);
    g_free(s->domain);
    g_free(s->target);
}

static void
mvNetworkDNSHostClear(gpointer p)
{
    g_strfreev(((mvNetworkDNSHost *)p)->names);
}

static GArray *
mvNetworkArrayNew(size_t size, GDestroyNotify clear)
{
    GArray *a = g_array_new(FALSE, TRUE, size);

    g_array_set_clear_func(a, clear);
    return a;
}

mvNetworkDef *
mvNetworkDefNew(void)
{
    mvNetworkDef *def = g_new0(mvNetworkDef, 1);

    def->stp = true;
    def->dns.forwarders = mvNetworkArrayNew(sizeof(mvNetworkDNSForwarder),
                                            mvNetworkDNSForwarderClear);
    def->dns.txts = mvNetworkArrayNew(sizeof(mvNetworkDNSTxt), mvNetworkDNSTxtClear);
    def->dns.srvs = mvNetworkArrayNew(sizeof(mvNetworkDNSSrv), mvNetworkDNSSrvClear);
    def->dns.hosts = mvNetworkArrayNew(sizeof(mvNetworkDNSHost), mvNetworkDNSHostClear);
    def->ips = g_ptr_array_new_with_free_func(mvNetworkIPDefFree);
    def->routes = g_ptr_array_new_with_free_func(mvNetworkRouteFree);
    def->portGroups = g_ptr_array_new_with_free_func(mvNetworkPortGroupFree);
    return def;
}

void
mvNetworkDefFree(mvNetworkDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    if (def->metadata)
        xmlFreeDoc(def->metadata->doc);
    g_strfreev(def->forward.ifs);
    g_free(def->forward.pf);
    g_free(def->bridge);
    g_free(def->bridgeZone);
    g_free(def->domain);
    g_clear_pointer(&def->dns.forwarders, g_array_unref);
    g_clear_pointer(&def->dns.txts, g_array_unref);
    g_clear_pointer(&def->dns.srvs, g_array_unref);
    g_clear_pointer(&def->dns.hosts, g_array_unref);
    mvNetworkVlanClear(&def->vlan);
    g_free(def->bandwidth);
    g_clear_pointer(&def->ips, g_ptr_array_unref);
    g_clear_pointer(&def->routes, g_ptr_array_unref);
    g_clear_pointer(&def->portGroups, g_ptr_array_unref);
    g_free(def);
}

/* ---- lookups ------------------------------------------------------------ */

mvNetworkIPDef *
mvNetworkDefGetIPByIndex(const mvNetworkDef *def, int family, size_t n)
{
    guint i;

    for (i = 0; i < def->ips->len; i++) {
        mvNetworkIPDef *ip = g_ptr_array_index(def->ips, i);

        if (family != AF_UNSPEC && ip->address.family != family)
            continue;
        if (n-- == 0)
            return ip;
    }
    return NULL;
}

mvNetworkIPDef *
mvNetworkDefGetIPByFamily(const mvNetworkDef *def, int family)
{
    return mvNetworkDefGetIPByIndex(def, family, 0);
}

int
mvNetworkIPDefPrefix(const mvNetworkIPDef *ip)
{
    if (ip->prefix > 0)
        return (int)ip->prefix;
    if (ip->netmask.family)
        return mvNetworkAddrMaskPrefix(&ip->netmask);
    if (ip->address.family == AF_INET) {
        unsigned char b = ip->address.bytes[0];

        if ((b & 0x80) == 0)
            return 8;
        if ((b & 0xC0) == 0x80)
            return 16;
        if ((b & 0xE0) == 0xC0)
            return 24;
        return -1;
    }
    if (ip->address.family == AF_INET6)
        return 64;
    return -1;
}

bool
mvNetworkIPDefContains(const mvNetworkIPDef *ip, const mvNetworkAddr *addr)
{
    return mvNetworkAddrSameNet(&ip->address, addr, mvNetworkIPDefPrefix(ip));
}

const char *
mvNetworkDefForwardIf(const mvNetworkDef *def, size_t n)
{
    if (!def->forward.ifs || n >= g_strv_length(def->forward.ifs))
        return NULL;
    return def->forward.ifs[n];
}

mvNetworkPortGroup *
mvNetworkDefFindPortGroup(const mvNetworkDef *def, const char *name)
{
    guint i;

    for (i = 0; i < def->portGroups->len; i++) {
        mvNetworkPortGroup *pg = g_ptr_array_index(def->portGroups, i);

        if (name ? g_str_equal(pg->name, name) : pg->isDefault)
            return pg;
    }
    return NULL;
}

void
mvNetworkDefSetBridgeMAC(mvNetworkDef *def)
{
    if (def->macSpecified)
        return;
    def->mac[0] = 0x52;
    def->mac[1] = 0x54;
    def->mac[2] = 0x00;
    def->mac[3] = g_random_int_range(0, 256);
    def->mac[4] = g_random_int_range(0, 256);
    def->mac[5] = g_random_int_range(0, 256);
    def->macSpecified = true;
}

bool
mvNetworkDefHasOwnBridge(const mvNetworkDef *def)
{
    switch ((mvNetworkForwardType)def->forward.type) {
    case MV_NETWORK_FORWARD_NONE:
    case MV_NETWORK_FORWARD_NAT:
    case MV_NETWORK_FORWARD_ROUTE:
    case MV_NETWORK_FORWARD_OPEN:
        return true;
    case MV_NETWORK_FORWARD_BRIDGE:
    case MV_NETWORK_FORWARD_PRIVATE:
    case MV_NETWORK_FORWARD_VEPA:
    case MV_NETWORK_FORWARD_PASSTHROUGH:
    case MV_NETWORK_FORWARD_HOSTDEV:
    case MV_NETWORK_FORWARD_LAST:
        break;
    }
    return false;
}

/* ---- parse helpers ------------------------------------------------------ */

/* Attribute text or NULL. */
static char *
mvNetworkProp(const xmlNode *node, const char *name)
{
    char *value = NULL;

    if (node)
        mvXMLPropString(node, name, &value);
    return value;
}

/* An unsigned decimal (all digits) into @value; false when malformed. */
static bool
mvNetworkParseULL(const char *str, unsigned long long max, unsigned long long *value)
{
    char *end = NULL;
    unsigned long long v;

    if (!str || !g_ascii_isdigit(*str))
        return false;
    errno = 0;
    v = g_ascii_strtoull(str, &end, 10);
    if (errno || *end || v > max)
        return false;
    *value = v;
    return true;
}

/* A yes/no tristate attribute with libvirt's message on a bad value. */
static int
mvNetworkPropTristate(const xmlNode *node, const char *name, int *value)
{
    g_autofree char *str = mvNetworkProp(node, name);

    if (!str)
        return 0;
    if (g_str_equal(str, "yes")) {
        *value = MV_TRISTATE_YES;
    } else if (g_str_equal(str, "no")) {
        *value = MV_TRISTATE_NO;
    } else {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid value for attribute '%s' in element '%s': '%s'. "
                      "Expected one of: yes, no",
                      name, (const char *)node->name, str);
        return -1;
    }
    return 0;
}

static int
mvNetworkParseMAC(const char *str, unsigned char *mac)
{
    g_auto(GStrv) parts = g_strsplit(str, ":", -1);
    size_t i;

    if (g_strv_length(parts) != 6)
        return -1;
    for (i = 0; i < 6; i++) {
        unsigned long long v;
        char *end = NULL;

        if (!g_ascii_isxdigit(parts[i][0]) || strlen(parts[i]) > 2)
            return -1;
        v = g_ascii_strtoull(parts[i], &end, 16);
        if (*end)
            return -1;
        mac[i] = (unsigned char)v;
    }
    return 0;
}

static int
mvNetworkParseLease(xmlNode *node, mvNetworkLease *lease)
{
    g_autofree char *expiry = NULL;
    g_autofree char *unit = NULL;
    int u = MV_NETWORK_LEASE_UNIT_MINUTES;

    if (!node)
        return 0;
    expiry = mvNetworkProp(node, "expiry");
    unit = mvNetworkProp(node, "unit");
    if (!expiry) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Missing required attribute 'expiry' in element 'lease'");
        return -1;
    }
    if (!mvNetworkParseULL(expiry, G_MAXUINT64, &lease->expiry)) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid value for attribute 'expiry' in element 'lease': '%s'. "
                      "Expected integer value", expiry);
        return -1;
    }
    if (unit && (u = mvNetworkLeaseUnitFromString(unit)) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid value for attribute 'unit' in element 'lease': '%s'.", unit);
        return -1;
    }
    lease->unit = u;
    lease->present = true;
    return 0;
}

/* ---- <ip> --------------------------------------------------------------- */

static int
mvNetworkParseRange(const char *netName, mvNetworkIPDef *ip, xmlNode *node)
{
    mvNetworkDHCPRange range = { 0 };
    g_autofree char *start = mvNetworkProp(node, "start");
    g_autofree char *end = mvNetworkProp(node, "end");
    g_autofree char *net = mvNetworkAddrFormat(&ip->address);
    int prefix = mvNetworkIPDefPrefix(ip);

    if (mvNetworkAddrParse(start, AF_UNSPEC, &range.start) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid dhcp range 'start' address '%s' in network '%s'",
                      start ? start : "", netName);
        return -1;
    }
    if (mvNetworkAddrParse(end, AF_UNSPEC, &range.end) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid dhcp range 'end' address '%s' in network '%s'",
                      end ? end : "", netName);
        return -1;
    }
    if (!mvNetworkAddrSameNet(&ip->address, &range.start, prefix) ||
        !mvNetworkAddrSameNet(&ip->address, &range.end, prefix)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "range %s - %s is not entirely within network %s/%d",
                      start, end, net, prefix);
        return -1;
    }
    if (mvNetworkAddrCompare(&range.start, &range.end) > 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "range %s - %s is reversed ", start, end);
        return -1;
    }
    if (mvNetworkParseLease(mvXMLChildFind(node, "lease"), &range.lease) < 0)
        return -1;
    g_array_append_val(ip->ranges, range);
    return 0;
}

static int
mvNetworkParseDHCPHost(const char *netName, mvNetworkIPDef *ip, xmlNode *node)
{
    mvNetworkDHCPHost host = { 0 };
    g_autofree char *mac = mvNetworkProp(node, "mac");
    g_autofree char *id = mvNetworkProp(node, "id");
    g_autofree char *name = mvNetworkProp(node, "name");
    g_autofree char *ipstr = mvNetworkProp(node, "ip");
    bool v6 = ip->address.family == AF_INET6;
    unsigned char macBytes[6];

    if (mac) {
        if (v6) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Invalid to specify MAC address '%s' in network '%s' IPv6 "
                          "static host definition", mac, netName);
            return -1;
        }
        if (mvNetworkParseMAC(mac, macBytes) < 0) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Cannot parse MAC address '%s' in network '%s'", mac, netName);
            return -1;
        }
        if (macBytes[0] & 1) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "expected unicast mac address, found multicast '%s' in network '%s'",
                          mac, netName);
            return -1;
        }
    }
    if (name && !(g_ascii_isalpha(name[0]) || g_ascii_isdigit(name[0]))) {
        mvReportError(VIR_ERR_XML_ERROR, "Cannot use host name '%s' in network '%s'",
                      name, netName);
        return -1;
    }
    if (ipstr && mvNetworkAddrParse(ipstr, AF_UNSPEC, &host.ip) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid IP address in static host definition for network '%s'",
                      netName);
        return -1;
    }
    if (v6 && !(id || name)) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Static host definition in IPv6 network '%s' must have id or name "
                      "attribute", netName);
        return -1;
    }
    if (!v6 && !(mac || name)) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Static host definition in IPv4 network '%s' must have mac or name "
                      "attribute", netName);
        return -1;
    }
    if (!ipstr) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Missing IP address in static host definition for network '%s'",
                      netName);
        return -1;
    }
    if (mvNetworkParseLease(mvXMLChildFind(node, "lease"), &host.lease) < 0)
        return -1;
    host.mac = g_steal_pointer(&mac);
    host.id = g_steal_pointer(&id);
    host.name = g_steal_pointer(&name);
    g_array_append_val(ip->hosts, host);
    return 0;
}

static int
mvNetworkParseDHCP(const char *netName, mvNetworkIPDef *ip, xmlNode *dhcp)
{
    xmlNode *n;
    xmlNode *bootp = NULL;

    for (n = dhcp->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "range")) {
            if (mvNetworkParseRange(netName, ip, n) < 0)
                return -1;
        } else if (xmlStrEqual(n->name, BAD_CAST "bootp") && !bootp) {
            bootp = n;
        }
    }
    for (n = dhcp->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "host") &&
            mvNetworkParseDHCPHost(netName, ip, n) < 0)
            return -1;
    }
    if (bootp && ip->address.family == AF_INET) {
        g_autofree char *server = mvNetworkProp(bootp, "server");

        if (!(ip->bootfile = mvNetworkProp(bootp, "file"))) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Missing required attribute 'file' in element 'bootp'");
            return -1;
        }
        if (server && mvNetworkAddrParse(server, AF_UNSPEC, &ip->bootserver) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid bootp server address '%s'", server);
            return -1;
        }
    }
    return 0;
}

static int
mvNetworkParseIPFamily(const char *netName, mvNetworkIPDef *ip,
                       const char *address, const char *netmask)
{
    if (!ip->family || g_str_equal(ip->family, "ipv4")) {
        if (ip->address.family != AF_INET) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s family specified for non-IPv4 address '%s' in network '%s'",
                          ip->family ? "ipv4" : "no", address, netName);
            return -1;
        }
        if (netmask) {
            if (ip->netmask.family != AF_INET) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "Invalid netmask '%s' for address '%s' in network '%s' "
                              "(both must be IPv4)", netmask, address, netName);
                return -1;
            }
            if (ip->prefix > 0) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "Network '%s' IP address cannot have both a prefix and a "
                              "netmask", netName);
                return -1;
            }
            if (mvNetworkAddrMaskPrefix(&ip->netmask) < 0) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "Invalid netmask '%s' in network '%s' (not contiguous)",
                              netmask, netName);
                return -1;
            }
        } else if (ip->prefix > 32) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "Invalid IPv4 prefix '%u' in network '%s'", ip->prefix, netName);
            return -1;
        }
    } else if (g_str_equal(ip->family, "ipv6")) {
        if (ip->address.family != AF_INET6) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'",
                          address, netName);
            return -1;
        }
        if (netmask) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "netmask not allowed for IPv6 address '%s' in network '%s'",
                          address, netName);
            return -1;
        }
        if (ip->prefix > 128) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "Invalid IPv6 prefix '%u' in network '%s'", ip->prefix, netName);
            return -1;
        }
    } else {
        mvReportError(VIR_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'",
                      ip->family, netName);
        return -1;
    }
    return 0;
}

static mvNetworkIPDef *
mvNetworkParseIP(const char *netName, xmlNode *node)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(mvNetworkIPDefFree);
    mvNetworkIPDef *ip = mvNetworkIPDefNew();
    g_autofree char *address = mvNetworkProp(node, "address");
    g_autofree char *netmask = mvNetworkProp(node, "netmask");
    g_autofree char *prefix = mvNetworkProp(node, "prefix");
    xmlNode *dhcp = mvXMLChildFind(node, "dhcp");
    xmlNode *tftp = mvXMLChildFind(node, "tftp");
    unsigned long long v = 0;

    g_ptr_array_add(holder, ip);
    ip->family = mvNetworkProp(node, "family");
    if (!address) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Missing required address attribute in network '%s'", netName);
        return NULL;
    }
    if (mvNetworkAddrParse(address, AF_UNSPEC, &ip->address) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid address '%s' in network '%s'",
                      address, netName);
        return NULL;
    }
    if (netmask && mvNetworkAddrParse(netmask, AF_UNSPEC, &ip->netmask) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'",
                      netmask, netName);
        return NULL;
    }
    if (prefix) {
        if (!mvNetworkParseULL(prefix, G_MAXUINT, &v)) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Invalid value for attribute 'prefix' in element 'ip': '%s'. "
                          "Expected non-negative integer value", prefix);
            return NULL;
        }
        ip->prefix = (unsigned int)v;
    }
    if (mvNetworkPropTristate(node, "localPtr", &ip->localPtr) < 0 ||
        mvNetworkParseIPFamily(netName, ip, address, netmask) < 0)
        return NULL;
    if (dhcp && mvNetworkParseDHCP(netName, ip, dhcp) < 0)
        return NULL;
    if (tftp) {
        if (ip->address.family != AF_INET) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "Unsupported <tftp> element in an IPv6 element in network '%s'",
                          netName);
            return NULL;
        }
        ip->tftproot = mvNetworkProp(tftp, "root");
    }
    return g_ptr_array_steal_index(holder, 0);
}

/* ---- <dns> -------------------------------------------------------------- */

static int
mvNetworkParseDNSSrv(const char *netName, xmlNode *node, mvNetworkDNSSrv *srv)
{
    static const char * const names[] = { "port", "priority", "weight" };
    unsigned int *fields[] = { &srv->port, &srv->priority, &srv->weight };
    size_t i;

    if (!(srv->service = mvNetworkProp(node, "service"))) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "missing required service attribute in DNS SRV record of network '%s'",
                      netName);
        return -1;
    }
    if (strlen(srv->service) > MV_NETWORK_SRV_SERVICE_MAX) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "service attribute '%s' in network '%s' is too long, limit is %d bytes",
                      srv->service, netName, MV_NETWORK_SRV_SERVICE_MAX);
        return -1;
    }
    if (strspn(srv->service, MV_NETWORK_SRV_SERVICE_CHARS) < strlen(srv->service)) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "invalid character in service attribute '%s' in DNS SRV record of "
                      "network '%s'", srv->service, netName);
        return -1;
    }
    if (!(srv->protocol = mvNetworkProp(node, "protocol"))) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "missing required protocol attribute in DNS SRV record '%s' of "
                      "network '%s'", srv->service, netName);
        return -1;
    }
    if (strspn(srv->protocol, MV_NETWORK_SRV_PROTOCOL_CHARS) < strlen(srv->protocol)) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "invalid character in protocol attribute '%s' in DNS SRV record of "
                      "network '%s'", srv->protocol, netName);
        return -1;
    }
    srv->domain = mvNetworkProp(node, "domain");
    srv->target = mvNetworkProp(node, "target");
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *str = mvNetworkProp(node, names[i]);
        unsigned long long v = 0;
        bool ok;

        if (!str)
            continue;
        ok = mvNetworkParseULL(str, 65535, &v) && (i != 0 || v >= 1);
        if (ok && !srv->target) {
            mvReportError(VIR_ERR_XML_DETAIL,
                          "DNS SRV %s attribute not permitted without target for service "
                          "'%s' in network '%s'", names[i], srv->service, netName);
            return -1;
        }
        if (!ok) {
            mvReportError(VIR_ERR_XML_DETAIL,
                          "%s DNS SRV %s attribute for service '%s' in network '%s'",
                          i == 1 ? "Invalid" : "invalid", names[i], srv->service, netName);
            return -1;
        }
        *fields[i] = (unsigned int)v;
    }
    return 0;
}

static int
mvNetworkParseDNSTxt(const char *netName, xmlNode *node, mvNetworkDNSTxt *txt)
{
    if (!(txt->name = mvNetworkProp(node, "name"))) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "missing required name attribute in DNS TXT record of network %s",
                      netName);
        return -1;
    }
    if (strcspn(txt->name, " ,") != strlen(txt->name)) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "prohibited character in DNS TXT record name '%s' of network %s",
                      txt->name, netName);
        return -1;
    }
    if (!(txt->value = mvNetworkProp(node, "value"))) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "missing required value attribute in DNS TXT record named '%s' of "
                      "network %s", txt->name, netName);
        return -1;
    }
    return 0;
}

static int
mvNetworkParseDNSHost(const char *netName, xmlNode *node, mvNetworkDNSHost *host)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *ip = mvNetworkProp(node, "ip");
    xmlNode *n;

    for (n = node->children; n; n = n->next) {
        char *text;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "hostname"))
            continue;
        text = mvXMLNodeContent(n);
        g_ptr_array_add(names, text);
        if (!*text) {
            mvReportError(VIR_ERR_XML_DETAIL,
                          "Missing hostname in network '%s' DNS HOST record", netName);
            return -1;
        }
    }
    if (names->len == 0) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "Missing hostname in network '%s' DNS HOST record", netName);
        return -1;
    }
    if (!ip) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "Missing IP address in network '%s' DNS HOST record", netName);
        return -1;
    }
    if (mvNetworkAddrParse(ip, AF_UNSPEC, &host->ip) < 0) {
        mvReportError(VIR_ERR_XML_DETAIL,
                      "Invalid IP address in network '%s' DNS HOST record", netName);
        return -1;
    }
    g_ptr_array_add(names, NULL);
    host->names = (GStrv)g_ptr_array_free(g_steal_pointer(&names), FALSE);
    return 0;
}

static int
mvNetworkParseDNS(const char *netName, xmlNode *node, mvNetworkDNSDef *dns)
{
    xmlNode *n;
    size_t nitems = 0;

    if (mvNetworkPropTristate(node, "enable", &dns->enable) < 0 ||
        mvNetworkPropTristate(node, "forwardPlainNames", &dns->forwardPlainNames) < 0)
        return -1;
    /* libvirt reads forwarders, then hosts, then SRV, then TXT records */
    for (n = node->children; n; n = n->next) {
        mvNetworkDNSForwarder fwd = { 0 };
        g_autofree char *addr = NULL;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "forwarder"))
            continue;
        addr = mvNetworkProp(n, "addr");
        if (addr && mvNetworkAddrParse(addr, AF_UNSPEC, &fwd.addr) < 0) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Invalid forwarder IP address '%s' in network '%s'", addr, netName);
            return -1;
        }
        fwd.domain = mvNetworkProp(n, "domain");
        g_array_append_val(dns->forwarders, fwd);
        if (!(addr || fwd.domain)) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid forwarder element, must contain at "
                          "least one of addr or domain");
            return -1;
        }
    }
    for (n = node->children; n; n = n->next) {
        mvNetworkDNSHost host = { 0 };

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "host"))
            continue;
        if (mvNetworkParseDNSHost(netName, n, &host) < 0)
            return -1;
        g_array_append_val(dns->hosts, host);
    }
    for (n = node->children; n; n = n->next) {
        mvNetworkDNSSrv srv = { 0 };

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "srv"))
            continue;
        g_array_append_val(dns->srvs, srv);
        if (mvNetworkParseDNSSrv(netName, n,
                                 &g_array_index(dns->srvs, mvNetworkDNSSrv,
                                                dns->srvs->len - 1)) < 0)
            return -1;
    }
    for (n = node->children; n; n = n->next) {
        mvNetworkDNSTxt txt = { 0 };

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "txt"))
            continue;
        g_array_append_val(dns->txts, txt);
        if (mvNetworkParseDNSTxt(netName, n,
                                 &g_array_index(dns->txts, mvNetworkDNSTxt,
                                                dns->txts->len - 1)) < 0)
            return -1;
    }
    nitems = dns->forwarders->len + dns->hosts->len + dns->srvs->len + dns->txts->len;
    if (dns->enable == MV_TRISTATE_NO && nitems) {
        mvReportError(VIR_ERR_XML_ERROR, "Extra data in disabled network '%s'", netName);
        return -1;
    }
    return 0;
}

/* ---- bandwidth, vlan, virtualport --------------------------------------- */

static int
mvNetworkParseRate(xmlNode *node, mvNetworkBandwidthRate *rate)
{
    static const char * const names[] = { "average", "peak", "burst" };
    unsigned long long *fields[] = { &rate->average, &rate->peak, &rate->burst };
    g_autofree char *floor = mvNetworkProp(node, "floor");
    size_t i;

    if (floor) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "floor attribute is not supported for "
                      "this config");
        return -1;
    }
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *str = mvNetworkProp(node, names[i]);

        if (str && !mvNetworkParseULL(str, G_MAXUINT64, fields[i])) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "could not convert bandwidth %s value '%s'", names[i], str);
            return -1;
        }
    }
    if (!rate->average) {
        mvReportError(VIR_ERR_XML_DETAIL, "Missing mandatory average or floor attributes");
        return -1;
    }
    rate->present = true;
    return 0;
}

static int
mvNetworkParseBandwidth(xmlNode *node, mvNetworkBandwidth **out)
{
    g_autofree mvNetworkBandwidth *bw = g_new0(mvNetworkBandwidth, 1);
    xmlNode *in = mvXMLChildFind(node, "inbound");
    xmlNode *outb = mvXMLChildFind(node, "outbound");

    if ((in && mvNetworkParseRate(in, &bw->inbound) < 0) ||
        (outb && mvNetworkParseRate(outb, &bw->outbound) < 0))
        return -1;
    /* an empty <bandwidth/> means no limits, as libvirt keeps it */
    if (bw->inbound.present || bw->outbound.present)
        *out = g_steal_pointer(&bw);
    return 0;
}

static int
mvNetworkParseVlan(xmlNode *node, mvNetworkVlan *vlan)
{
    g_autofree char *trunk = mvNetworkProp(node, "trunk");
    xmlNode *n;
    size_t nativeCount = 0;

    vlan->tags = g_array_new(FALSE, TRUE, sizeof(mvNetworkVlanTag));
    for (n = node->children; n; n = n->next) {
        mvNetworkVlanTag tag = { 0 };
        g_autofree char *id = NULL;
        g_autofree char *mode = NULL;
        unsigned long long v = 0;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "tag"))
            continue;
        id = mvNetworkProp(n, "id");
        if (!id || !mvNetworkParseULL(id, MV_NETWORK_VLAN_ID_MAX, &v)) {
            mvReportError(VIR_ERR_XML_ERROR, "missing or invalid vlan tag id attribute");
            return -1;
        }
        tag.id = (unsigned int)v;
        if ((mode = mvNetworkProp(n, "nativeMode"))) {
            tag.nativeMode = mvNetworkVlanNativeModeFromString(mode);
            if (tag.nativeMode <= 0) {
                mvReportError(VIR_ERR_XML_ERROR, "Invalid \"nativeMode='%s'\" in vlan <tag> "
                              "element", mode);
                return -1;
            }
            nativeCount++;
        }
        g_array_append_val(vlan->tags, tag);
    }
    if (vlan->tags->len == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "missing vlan tag data");
        return -1;
    }
    if (nativeCount > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "duplicate native vlan setting");
        return -1;
    }
    if (trunk && g_str_equal(trunk, "no")) {
        if (vlan->tags->len > 1) {
            mvReportError(VIR_ERR_XML_ERROR, "invalid \"trunk='no'\" in <vlan> - trunk='yes' "
                          "is required for more than one vlan tag");
            return -1;
        }
        if (nativeCount) {
            mvReportError(VIR_ERR_XML_ERROR, "invalid configuration in <vlan> - \"trunk='no'\" "
                          "is not allowed with a native vlan id");
            return -1;
        }
    } else if (trunk && !g_str_equal(trunk, "yes")) {
        mvReportError(VIR_ERR_XML_ERROR, "invalid \"trunk='%s'\" in <vlan> - must be yes or no",
                      trunk);
        return -1;
    } else {
        vlan->trunk = (trunk != NULL) || vlan->tags->len > 1 || nativeCount > 0;
    }
    return 0;
}

static int
mvNetworkParseVirtPort(xmlNode *node, int *type)
{
    g_autofree char *str = mvNetworkProp(node, "type");
    int t;

    if (!str) {
        mvReportError(VIR_ERR_XML_ERROR, "missing virtualportprofile type");
        return -1;
    }
    if ((t = mvNetworkVirtPortTypeFromString(str)) <= 0) {
        mvReportError(VIR_ERR_XML_ERROR, "unknown virtualport type %s", str);
        return -1;
    }
    *type = t;
    return 0;
}

static mvNetworkPortGroup *
mvNetworkParsePortGroup(xmlNode *node)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(mvNetworkPortGroupFree);
    mvNetworkPortGroup *pg = g_new0(mvNetworkPortGroup, 1);
    g_autofree char *isDefault = mvNetworkProp(node, "default");
    xmlNode *vport = mvXMLChildFind(node, "virtualport");
    xmlNode *bw = mvXMLChildFind(node, "bandwidth");
    xmlNode *vlan = mvXMLChildFind(node, "vlan");

    g_ptr_array_add(holder, pg);
    if (!(pg->name = mvNetworkProp(node, "name"))) {
        mvReportError(VIR_ERR_XML_ERROR, "Missing required name attribute in portgroup");
        return NULL;
    }
    pg->isDefault = isDefault && g_ascii_strcasecmp(isDefault, "yes") == 0;
    if (mvNetworkPropTristate(node, "trustGuestRxFilters", &pg->trustGuestRxFilters) < 0 ||
        (vport && mvNetworkParseVirtPort(vport, &pg->virtPortType) < 0) ||
        (bw && mvNetworkParseBandwidth(bw, &pg->bandwidth) < 0) ||
        (vlan && mvNetworkParseVlan(vlan, &pg->vlan) < 0))
        return NULL;
    return g_ptr_array_steal_index(holder, 0);
}

/* ---- <route> ------------------------------------------------------------ */

static mvNetworkRoute *
mvNetworkParseRoute(const char *netName, xmlNode *node)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(mvNetworkRouteFree);
    mvNetworkRoute *r = g_new0(mvNetworkRoute, 1);
    g_autofree char *address = mvNetworkProp(node, "address");
    g_autofree char *netmask = mvNetworkProp(node, "netmask");
    g_autofree char *gateway = mvNetworkProp(node, "gateway");
    g_autofree char *prefix = mvNetworkProp(node, "prefix");
    g_autofree char *metric = mvNetworkProp(node, "metric");
    unsigned long long v = 0;
    int family;

    g_ptr_array_add(holder, r);
    r->family = mvNetworkProp(node, "family");
    family = (r->family && g_str_equal(r->family, "ipv6")) ? AF_INET6 : AF_INET;
    if (r->family && !g_str_equal(r->family, "ipv4") && !g_str_equal(r->family, "ipv6")) {
        mvReportError(VIR_ERR_XML_ERROR, "Unrecognized family '%s' in route definition",
                      r->family);
        return NULL;
    }
    if (!address || mvNetworkAddrParse(address, family, &r->address) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Bad network address '%s' in route definition",
                      address ? address : "");
        return NULL;
    }
    if (!gateway || mvNetworkAddrParse(gateway, family, &r->gateway) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Bad gateway address '%s' in route definition",
                      gateway ? gateway : "");
        return NULL;
    }
    if (netmask && (family != AF_INET ||
                    mvNetworkAddrParse(netmask, AF_INET, &r->netmask) < 0 ||
                    mvNetworkAddrMaskPrefix(&r->netmask) < 0)) {
        mvReportError(VIR_ERR_XML_ERROR, "Bad netmask address '%s' in route definition",
                      netmask);
        return NULL;
    }
    if (prefix) {
        if (netmask || !mvNetworkParseULL(prefix, family == AF_INET ? 32 : 128, &v)) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid prefix '%s' in route definition",
                          prefix);
            return NULL;
        }
        r->hasPrefix = true;
        r->prefix = (unsigned int)v;
    }
    if (metric) {
        if (!mvNetworkParseULL(metric, G_MAXUINT, &v) || v == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid metric '%s' in route definition",
                          metric);
            return NULL;
        }
        r->hasMetric = true;
        r->metric = (unsigned int)v;
    }
    (void)netName;
    return g_ptr_array_steal_index(holder, 0);
}

/* Every route's gateway must be on one of the network's own subnets. */
static int
mvNetworkCheckRoutes(const mvNetworkDef *def)
{
    guint i, j;

    for (i = 0; i < def->routes->len; i++) {
        const mvNetworkRoute *r = g_ptr_array_index(def->routes, i);
        bool ok = false;

        for (j = 0; !ok && j < def->ips->len; j++)
            ok = mvNetworkIPDefContains(g_ptr_array_index(def->ips, j), &r->gateway);
        if (!ok) {
            g_autofree char *gw = mvNetworkAddrFormat(&r->gateway);

            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "unreachable static route gateway '%s' specified for network '%s'",
                          gw, def->name);
            return -1;
        }
    }
    return 0;
}

/* ---- <forward> ---------------------------------------------------------- */

static int
mvNetworkParseNat(const char *netName, xmlNode *node, mvNetworkForwardDef *fwd)
{
    xmlNode *addr = mvXMLChildFind(node, "address");
    xmlNode *port = mvXMLChildFind(node, "port");

    if (fwd->type != MV_NETWORK_FORWARD_NAT) {
        mvReportError(VIR_ERR_XML_ERROR, "The <nat> element can only be used when <forward> "
                      "'mode' is 'nat' in network %s", netName);
        return -1;
    }
    if (mvNetworkPropTristate(node, "ipv6", &fwd->natIPv6) < 0)
        return -1;
    if (mvXMLChildCount(node, "address") > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "Only one <address> element is allowed in <nat> in "
                      "<forward> in network %s", netName);
        return -1;
    }
    if (addr) {
        g_autofree char *start = mvNetworkProp(addr, "start");
        g_autofree char *end = mvNetworkProp(addr, "end");

        if (!start || !end) {
            mvReportError(VIR_ERR_XML_ERROR, "missing '%s' attribute in <address> element in "
                          "<nat> in <forward> in network %s", start ? "end" : "start",
                          netName);
            return -1;
        }
        if (mvNetworkAddrParse(start, AF_INET, &fwd->natStart) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Bad ipv4 start address '%s' in <nat> in "
                          "<forward> in network '%s'", start, netName);
            return -1;
        }
        if (mvNetworkAddrParse(end, AF_INET, &fwd->natEnd) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Bad ipv4 end address '%s' in <nat> in "
                          "<forward> in network '%s'", end, netName);
            return -1;
        }
        if (mvNetworkAddrCompare(&fwd->natStart, &fwd->natEnd) > 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "range %s - %s is reversed ", start, end);
            return -1;
        }
    }
    if (mvXMLChildCount(node, "port") > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "Only one <port> element is allowed in <nat> in "
                      "<forward> in network %s", netName);
        return -1;
    }
    if (port) {
        g_autofree char *start = mvNetworkProp(port, "start");
        g_autofree char *end = mvNetworkProp(port, "end");
        unsigned long long s = 0, e = 0;

        if (!mvNetworkParseULL(start, 65535, &s)) {
            mvReportError(VIR_ERR_XML_DETAIL, "Missing or invalid 'start' attribute in <port> "
                          "in <nat> in <forward> in network %s", netName);
            return -1;
        }
        if (!mvNetworkParseULL(end, 65535, &e) || e < s) {
            mvReportError(VIR_ERR_XML_DETAIL, "Missing or invalid 'end' attribute in <port> "
                          "in <nat> in <forward> in network %s", netName);
            return -1;
        }
        fwd->portStart = (unsigned int)s;
        fwd->portEnd = (unsigned int)e;
    }
    return 0;
}

static int
mvNetworkParseForwardIfs(const char *netName, xmlNode *node, mvNetworkForwardDef *fwd,
                         char *dev)
{
    g_autoptr(GPtrArray) ifs = g_ptr_array_new_with_free_func(g_free);
    xmlNode *n;
    size_t i = 0;

    if (dev)
        g_ptr_array_add(ifs, g_strdup(dev));
    for (n = node->children; n; n = n->next) {
        g_autofree char *d = NULL;
        guint j;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "interface"))
            continue;
        if (!(d = mvNetworkProp(n, "dev"))) {
            mvReportError(VIR_ERR_XML_ERROR, "Missing required dev attribute in <forward> "
                          "<interface> element of network %s", netName);
            return -1;
        }
        if (i++ == 0 && dev) {
            if (!g_str_equal(d, dev)) {
                mvReportError(VIR_ERR_XML_ERROR, "<forward dev='%s'> must match first "
                              "<interface dev='%s'/> in network %s", dev, d, netName);
                return -1;
            }
            continue;
        }
        for (j = 0; j < ifs->len; j++) {
            if (g_str_equal(g_ptr_array_index(ifs, j), d)) {
                mvReportError(VIR_ERR_XML_ERROR, "interface '%s' can only be listed once in "
                              "network %s", d, netName);
                return -1;
            }
        }
        g_ptr_array_add(ifs, g_steal_pointer(&d));
    }
    if (ifs->len) {
        g_ptr_array_add(ifs, NULL);
        fwd->ifs = (GStrv)g_ptr_array_free(g_steal_pointer(&ifs), FALSE);
    }
    return 0;
}

static int
mvNetworkParseForward(const char *netName, xmlNode *node, mvNetworkForwardDef *fwd)
{
    g_autofree char *mode = mvNetworkProp(node, "mode");
    g_autofree char *managed = mvNetworkProp(node, "managed");
    g_autofree char *dev = mvNetworkProp(node, "dev");
    xmlNode *driver = mvXMLChildFind(node, "driver");
    xmlNode *nat = mvXMLChildFind(node, "nat");
    xmlNode *pf = mvXMLChildFind(node, "pf");

    fwd->type = MV_NETWORK_FORWARD_NAT;
    if (mode && (fwd->type = mvNetworkForwardTypeFromString(mode)) <= 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'", mode);
        return -1;
    }
    fwd->managed = managed && g_ascii_strcasecmp(managed, "yes") == 0;
    if (driver) {
        g_autofree char *name = mvNetworkProp(driver, "name");
        int d = mvNetworkForwardDriverFromString(name);

        if (d <= 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown forward <driver name='%s'/> "
                          "in network %s", name ? name : "", netName);
            return -1;
        }
        fwd->driverName = d;
    }
    if (mvXMLChildCount(node, "nat") > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "Only one <nat> element is allowed in <forward> of "
                      "network %s", netName);
        return -1;
    }
    if (nat && mvNetworkParseNat(netName, nat, fwd) < 0)
        return -1;
    if (dev && pf) {
        mvReportError(VIR_ERR_XML_ERROR, "the <forward> 'dev' attribute cannot be used when "
                      "<address> or <pf> sub-elements are present in network %s", netName);
        return -1;
    }
    if (dev || mvXMLChildFind(node, "interface"))
        return mvNetworkParseForwardIfs(netName, node, fwd, dev);
    if (mvXMLChildCount(node, "pf") > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "Only one <pf> element is allowed in <forward> of "
                      "network %s", netName);
        return -1;
    }
    if (pf && !(fwd->pf = mvNetworkProp(pf, "dev"))) {
        mvReportError(VIR_ERR_XML_ERROR, "Missing required dev attribute in <pf> element of "
                      "network '%s'", netName);
        return -1;
    }
    return 0;
}

/* The rules tying bridge, mtu and interfaces to the forward mode. */
static int
mvNetworkCheckForwardMode(const mvNetworkDef *def, bool stpGiven)
{
    const char *mode = mvNetworkForwardTypeToString(def->forward.type);
    size_t nifs = def->forward.ifs ? g_strv_length(def->forward.ifs) : 0;

    switch ((mvNetworkForwardType)def->forward.type) {
    case MV_NETWORK_FORWARD_NONE:
        break;
    case MV_NETWORK_FORWARD_ROUTE:
    case MV_NETWORK_FORWARD_NAT:
    case MV_NETWORK_FORWARD_OPEN:
        if (def->ips->len == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "%s forwarding requested, but no IP address "
                          "provided for network '%s'", mode, def->name);
            return -1;
        }
        if (nifs > 1) {
            mvReportError(VIR_ERR_XML_ERROR, "multiple forwarding interfaces specified for "
                          "network '%s', only one is supported", def->name);
            return -1;
        }
        if (def->forward.type == MV_NETWORK_FORWARD_OPEN && nifs) {
            mvReportError(VIR_ERR_XML_ERROR, "forward dev not allowed for network '%s' with "
                          "forward mode='%s'", def->name, mode);
            return -1;
        }
        break;
    case MV_NETWORK_FORWARD_PRIVATE:
    case MV_NETWORK_FORWARD_VEPA:
    case MV_NETWORK_FORWARD_PASSTHROUGH:
    case MV_NETWORK_FORWARD_HOSTDEV:
        if (def->bridge) {
            mvReportError(VIR_ERR_XML_ERROR, "bridge name not allowed in %s mode (network "
                          "'%s')", mode, def->name);
            return -1;
        }
        if (def->bridgeZone) {
            mvReportError(VIR_ERR_XML_ERROR, "bridge zone not allowed in %s mode (network "
                          "'%s')", mode, def->name);
            return -1;
        }
        if (def->macTableManager) {
            mvReportError(VIR_ERR_XML_ERROR, "bridge macTableManager setting not allowed in "
                          "%s mode (network '%s')", mode, def->name);
            return -1;
        }
        G_GNUC_FALLTHROUGH;
    case MV_NETWORK_FORWARD_BRIDGE:
        if (def->delay || stpGiven || def->bridgeZone) {
            mvReportError(VIR_ERR_XML_ERROR, "bridge delay/stp/zone options only allowed in "
                          "route, nat, and isolated mode, not in %s (network '%s')",
                          mode, def->name);
            return -1;
        }
        if (def->bridge && (nifs || def->forward.pf)) {
            mvReportError(VIR_ERR_XML_ERROR, "A network with forward mode='%s' can specify a "
                          "bridge name or a forward dev, but not both (network '%s')",
                          mode, def->name);
            return -1;
        }
        break;
    case MV_NETWORK_FORWARD_LAST:
        g_assert_not_reached();
    }
    if (def->mtu && !mvNetworkDefHasOwnBridge(def)) {
        mvReportError(VIR_ERR_XML_ERROR, "mtu size only allowed in open, route, nat, and "
                      "isolated mode, not in %s (network '%s')", mode, def->name);
        return -1;
    }
    return 0;
}

/* Checks libvirt leaves to its driver or to dnsmasq: one DHCP-serving <ip>
 * per family, static hosts inside their subnet, no repeated names or MACs. */
static int
mvNetworkCheckDHCP(const mvNetworkDef *def)
{
    guint i, j, k;
    bool seen4 = false, seen6 = false;

    for (i = 0; i < def->ips->len; i++) {
        const mvNetworkIPDef *ip = g_ptr_array_index(def->ips, i);
        bool v4 = ip->address.family == AF_INET;

        if (ip->ranges->len || ip->hosts->len) {
            if (v4 ? seen4 : seen6) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "Multiple %s dhcp sections found -- dhcp is supported only for "
                              "a single %s address on each network",
                              v4 ? "IPv4" : "IPv6", v4 ? "IPv4" : "IPv6");
                return -1;
            }
            *(v4 ? &seen4 : &seen6) = true;
        }
        for (j = 0; j < ip->hosts->len; j++) {
            const mvNetworkDHCPHost *h = &g_array_index(ip->hosts, mvNetworkDHCPHost, j);
            g_autofree char *addr = mvNetworkAddrFormat(&h->ip);

            if (!mvNetworkIPDefContains(ip, &h->ip)) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "static host ip '%s' is outside the subnet of its <ip> in "
                              "network '%s'", addr, def->name);
                return -1;
            }
            for (k = 0; k < j; k++) {
                const mvNetworkDHCPHost *o = &g_array_index(ip->hosts, mvNetworkDHCPHost, k);

                if (h->mac && o->mac && g_ascii_strcasecmp(h->mac, o->mac) == 0) {
                    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                  "static host mac '%s' is listed twice in network '%s'",
                                  h->mac, def->name);
                    return -1;
                }
                if (h->name && o->name && g_str_equal(h->name, o->name)) {
                    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                  "static host name '%s' is listed twice in network '%s'",
                                  h->name, def->name);
                    return -1;
                }
                if (mvNetworkAddrEqual(&h->ip, &o->ip)) {
                    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                  "static host ip '%s' is listed twice in network '%s'",
                                  addr, def->name);
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* ---- the document ------------------------------------------------------- */

static int
mvNetworkParseBridge(mvNetworkDef *def, xmlNode *bridge, bool *stpGiven)
{
    g_autofree char *stp = mvNetworkProp(bridge, "stp");
    g_autofree char *delay = mvNetworkProp(bridge, "delay");
    g_autofree char *mtm = mvNetworkProp(bridge, "macTableManager");
    unsigned long long v = 0;

    if (!bridge)
        return 0;
    def->bridge = mvNetworkProp(bridge, "name");
    def->bridgeZone = mvNetworkProp(bridge, "zone");
    def->stp = !(stp && g_str_equal(stp, "off"));
    *stpGiven = stp != NULL;
    if (delay) {
        if (!mvNetworkParseULL(delay, G_MAXULONG, &v)) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid delay value in network '%s'", def->name);
            return -1;
        }
        def->delay = (unsigned long)v;
    }
    if (mtm && (def->macTableManager = mvNetworkMacTableManagerFromString(mtm)) <= 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid macTableManager setting '%s' in network '%s'",
                      mtm, def->name);
        return -1;
    }
    return 0;
}

static int
mvNetworkParseTop(mvNetworkDef *def, xmlNode *root)
{
    g_autofree char *ipv6 = mvNetworkProp(root, "ipv6");
    g_autofree char *connections = mvNetworkProp(root, "connections");
    xmlNode *domain = mvXMLChildFind(root, "domain");
    xmlNode *mac = mvXMLChildFind(root, "mac");
    xmlNode *mtu = mvXMLChildFind(root, "mtu");
    g_autofree char *uuid = NULL;
    unsigned long long v = 0;

    if (mvXMLChildString(root, "name", &def->name) == 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_NO_NAME, __FILE__, __func__, __LINE__,
                               "missing name information");
        return -1;
    }
    if (strchr(def->name, '/')) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                               "invalid char in name: /");
        return -1;
    }
    if (mvXMLChildString(root, "uuid", &uuid) == 0) {
        mvUUIDGenerate(def->uuid);
    } else if (mvUUIDParse(uuid, def->uuid) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "malformed uuid element");
        return -1;
    }
    if (connections && mvNetworkParseULL(connections, G_MAXINT, &v))
        def->connections = (unsigned int)v;
    if (ipv6) {
        if (!g_str_equal(ipv6, "yes") && !g_str_equal(ipv6, "no")) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid ipv6 setting '%s' in network '%s'",
                          ipv6, def->name);
            return -1;
        }
        def->ipv6nogw = g_str_equal(ipv6, "yes");
    }
    if (mvNetworkPropTristate(root, "trustGuestRxFilters", &def->trustGuestRxFilters) < 0)
        return -1;
    def->domain = mvNetworkProp(domain, "name");
    if (domain && mvNetworkPropTristate(domain, "localOnly", &def->domainLocalOnly) < 0)
        return -1;
    if (mac) {
        g_autofree char *addr = mvNetworkProp(mac, "address");

        if (addr && mvNetworkParseMAC(addr, def->mac) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid bridge mac address '%s' in network '%s'",
                          addr, def->name);
            return -1;
        }
        if (addr && (def->mac[0] & 1)) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid multicast bridge mac address '%s' in "
                          "network '%s'", addr, def->name);
            return -1;
        }
        def->macSpecified = addr != NULL;
    }
    if (mtu) {
        g_autofree char *size = mvNetworkProp(mtu, "size");

        if (size && !mvNetworkParseULL(size, G_MAXUINT, &v)) {
            mvReportError(VIR_ERR_XML_ERROR, "Invalid mtu size '%s' in network '%s'",
                          size, def->name);
            return -1;
        }
        def->mtu = size ? (unsigned int)v : 0;
    }
    return 0;
}

/* <metadata> is kept as a copy in its own document, without blank text. */
static void
mvNetworkStripBlanks(xmlNode *node)
{
    xmlNode *n = node->children;

    while (n) {
        xmlNode *next = n->next;

        if (n->type == XML_TEXT_NODE && xmlIsBlankNode(n)) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (n->type == XML_ELEMENT_NODE) {
            mvNetworkStripBlanks(n);
        }
        n = next;
    }
}

static void
mvNetworkParseMetadata(mvNetworkDef *def, xmlNode *root)
{
    xmlNode *meta = mvXMLChildFind(root, "metadata");
    xmlDoc *doc;
    xmlNode *copy;

    if (!meta)
        return;
    doc = xmlNewDoc(BAD_CAST "1.0");
    copy = xmlDocCopyNode(meta, doc, 1);
    xmlDocSetRootElement(doc, copy);
    mvNetworkStripBlanks(copy);
    def->metadata = copy;
}

static int
mvNetworkParseChildren(mvNetworkDef *def, xmlNode *root, bool *stpGiven)
{
    xmlNode *bw = mvXMLChildFind(root, "bandwidth");
    xmlNode *vlan = mvXMLChildFind(root, "vlan");
    xmlNode *port = mvXMLChildFind(root, "port");
    xmlNode *dns = mvXMLChildFind(root, "dns");
    xmlNode *vport = mvXMLChildFind(root, "virtualport");
    xmlNode *fwd = mvXMLChildFind(root, "forward");
    xmlNode *n;

    if ((bw && mvNetworkParseBandwidth(bw, &def->bandwidth) < 0) ||
        (vlan && mvNetworkParseVlan(vlan, &def->vlan) < 0) ||
        (port && mvNetworkPropTristate(port, "isolated", &def->isolatedPort) < 0) ||
        mvNetworkParseBridge(def, mvXMLChildFind(root, "bridge"), stpGiven) < 0 ||
        (dns && mvNetworkParseDNS(def->name, dns, &def->dns) < 0) ||
        (vport && mvNetworkParseVirtPort(vport, &def->virtPortType) < 0))
        return -1;
    for (n = root->children; n; n = n->next) {
        void *item = NULL;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "portgroup")) {
            if (!(item = mvNetworkParsePortGroup(n)))
                return -1;
            g_ptr_array_add(def->portGroups, item);
        }
    }
    for (n = root->children; n; n = n->next) {
        void *item = NULL;

        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "ip")) {
            if (!(item = mvNetworkParseIP(def->name, n)))
                return -1;
            g_ptr_array_add(def->ips, item);
        }
    }
    for (n = root->children; n; n = n->next) {
        void *item = NULL;

        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "route")) {
            if (!(item = mvNetworkParseRoute(def->name, n)))
                return -1;
            g_ptr_array_add(def->routes, item);
        }
    }
    if (mvNetworkCheckRoutes(def) < 0)
        return -1;
    return fwd ? mvNetworkParseForward(def->name, fwd, &def->forward) : 0;
}

static mvNetworkDef *
mvNetworkDefParseDoc(xmlDoc *doc, unsigned int flags)
{
    g_autoptr(mvNetworkDef) def = mvNetworkDefNew();
    xmlNode *root = xmlDocGetRootElement(doc);
    bool stpGiven = false;

    mvCheckFlags(flags, MV_NETWORK_PARSE_VALIDATE, NULL);
    if ((flags & MV_NETWORK_PARSE_VALIDATE) && mvXMLValidate(doc, MV_NETWORK_SCHEMA) < 0)
        return NULL;
    if (mvNetworkParseTop(def, root) < 0 ||
        mvNetworkParseChildren(def, root, &stpGiven) < 0 ||
        mvNetworkCheckForwardMode(def, stpGiven) < 0)
        return NULL;
    mvNetworkParseMetadata(def, root);
    if (mvNetworkCheckDHCP(def) < 0)
        return NULL;
    /* What libvirt would silently drop (unknown or repeated elements and
     * attributes) is refused here, with the line and element named. */
    if (!(flags & MV_NETWORK_PARSE_VALIDATE) && mvXMLValidate(doc, MV_NETWORK_SCHEMA) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvNetworkDef *
mvNetworkDefParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_NETWORK_XML_NAME, "network", VIR_FROM_NETWORK)))
        return NULL;
    return mvNetworkDefParseDoc(doc, flags);
}

mvNetworkDef *
mvNetworkDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "network", VIR_FROM_NETWORK)))
        return NULL;
    return mvNetworkDefParseDoc(doc, flags);
}
