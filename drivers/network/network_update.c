/*
 * network_update: virNetworkUpdate (virsh net-update) on one definition.
 *
 * The XML fragment of the request is read here (partial entries are fine
 * for delete, as in libvirt); the changed definition is then formatted and
 * parsed again in full, so every rule of the network parser and schema
 * (hosts inside their subnet, no duplicate names, ...) holds afterwards.
 *
 * Sections: ip-dhcp-host (add / delete / modify), ip-dhcp-range (add /
 * delete), dns-host (add / delete), dns-txt (add / delete).  The others are
 * refused with VIR_ERR_OPERATION_UNSUPPORTED.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mv_error.h"
#include "mv_xml.h"
#include "network_driver_priv.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

static const char * const sectionNames[] = {
    "none", "bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range", "forward",
    "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv",
};

static const char *
sectionName(unsigned int section)
{
    return section < G_N_ELEMENTS(sectionNames) ? sectionNames[section] : "unknown";
}

/* The <ip> a dhcp update works on: @parentIndex, or (-1) the one with DHCP
 * settings, else the first IPv4, else the first IPv6 one. */
static mvNetworkIPDef *
pickIP(mvNetworkDef *def, int parentIndex, const char *what)
{
    mvNetworkIPDef *ip = NULL;

    if (parentIndex >= 0) {
        if (!(ip = mvNetworkDefGetIPByIndex(def, AF_UNSPEC, (size_t)parentIndex)))
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't update %s - no <ip> element "
                          "found at index %d in network '%s'", what, parentIndex, def->name);
        return ip;
    }
    for (size_t i = 0; (ip = mvNetworkDefGetIPByIndex(def, AF_UNSPEC, i)); i++) {
        if (ip->ranges->len || ip->hosts->len)
            return ip;
    }
    if (!(ip = mvNetworkDefGetIPByFamily(def, AF_INET)))
        ip = mvNetworkDefGetIPByFamily(def, AF_INET6);
    if (!ip)
        mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't update %s - no <ip> element found "
                      "in network '%s'", what, def->name);
    return ip;
}

static int
parseAddr(const xmlNode *node, const char *attr, int family, mvNetworkAddr *addr)
{
    g_autofree char *text = NULL;

    if (mvXMLPropString(node, attr, &text) <= 0)
        return 0;
    if (mvNetworkAddrParse(text, family, addr) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "invalid %s address '%s' in <%s>", attr, text,
                      (const char *)node->name);
        return -1;
    }
    return 1;
}

/* --- ip-dhcp-host -------------------------------------------------------- */

static int
parseDHCPHost(const xmlNode *node, int family, mvNetworkDHCPHost *host)
{
    xmlNode *lease;

    memset(host, 0, sizeof(*host));
    if (mvXMLPropString(node, "mac", &host->mac) < 0 ||
        mvXMLPropString(node, "id", &host->id) < 0 ||
        mvXMLPropString(node, "name", &host->name) < 0 ||
        parseAddr(node, "ip", family, &host->ip) < 0)
        return -1;
    if ((lease = mvXMLChildFind(node, "lease"))) {
        g_autofree char *expiry = NULL;
        g_autofree char *unit = NULL;

        host->lease.present = true;
        if (mvXMLPropString(lease, "expiry", &expiry) > 0)
            host->lease.expiry = strtoull(expiry, NULL, 10);
        if (mvXMLPropString(lease, "unit", &unit) > 0 &&
            (host->lease.unit = mvNetworkLeaseUnitFromString(unit)) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "invalid lease unit '%s'; use seconds, minutes "
                          "or hours", unit);
            return -1;
        }
    }
    return 0;
}

static void
clearDHCPHost(mvNetworkDHCPHost *h)
{
    g_free(h->mac);
    g_free(h->id);
    g_free(h->name);
}

static bool
sameMAC(const char *a, const char *b)
{
    return a && b && g_ascii_strcasecmp(a, b) == 0;
}

static char *
describeHost(const mvNetworkDHCPHost *h)
{
    g_autofree char *ip = mvNetworkAddrFormat(&h->ip);

    return g_strdup_printf("<host mac='%s' name='%s' ip='%s'/>", h->mac ? h->mac : "",
                           h->name ? h->name : "", ip ? ip : "");
}

static int
updateDHCPHost(mvNetworkDef *def, mvNetworkIPDef *ipdef, unsigned int command,
               const xmlNode *node)
{
    mvNetworkDHCPHost host;
    guint i;
    int ret = -1;

    if (parseDHCPHost(node, ipdef->address.family, &host) < 0)
        goto out;

    switch (command) {
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        for (i = 0; i < ipdef->hosts->len; i++) {
            mvNetworkDHCPHost *h = &g_array_index(ipdef->hosts, mvNetworkDHCPHost, i);

            if ((host.mac && sameMAC(h->mac, host.mac)) ||
                (!host.mac && host.id && g_strcmp0(h->id, host.id) == 0) ||
                (!host.mac && !host.id && host.name && g_strcmp0(h->name, host.name) == 0))
                break;
        }
        if (i == ipdef->hosts->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't locate an existing dhcp host "
                          "entry with \"mac='%s'\" in network '%s'",
                          host.mac ? host.mac : host.id ? host.id : "", def->name);
            goto out;
        }
        clearDHCPHost(&g_array_index(ipdef->hosts, mvNetworkDHCPHost, i));
        g_array_index(ipdef->hosts, mvNetworkDHCPHost, i) = host;
        return 0;

    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        for (i = 0; i < ipdef->hosts->len; i++) {
            mvNetworkDHCPHost *h = &g_array_index(ipdef->hosts, mvNetworkDHCPHost, i);

            if ((!host.mac || sameMAC(h->mac, host.mac)) &&
                (!host.id || g_strcmp0(h->id, host.id) == 0) &&
                (!host.name || g_strcmp0(h->name, host.name) == 0) &&
                (!host.ip.family || mvNetworkAddrEqual(&h->ip, &host.ip)))
                break;
        }
        if (i == ipdef->hosts->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching dhcp host "
                          "entry in network '%s'", def->name);
            goto out;
        }
        g_array_remove_index(ipdef->hosts, i);
        ret = 0;
        goto out;

    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST:
        if (!host.mac && !host.id && !host.name) {
            mvReportError(VIR_ERR_XML_ERROR, "a dhcp <host> needs a mac, id or name "
                          "attribute (network '%s')", def->name);
            goto out;
        }
        for (i = 0; i < ipdef->hosts->len; i++) {
            mvNetworkDHCPHost *h = &g_array_index(ipdef->hosts, mvNetworkDHCPHost, i);

            if (sameMAC(h->mac, host.mac) ||
                (host.id && g_strcmp0(h->id, host.id) == 0) ||
                (host.ip.family && mvNetworkAddrEqual(&h->ip, &host.ip))) {
                g_autofree char *desc = describeHost(&host);

                mvReportError(VIR_ERR_OPERATION_INVALID, "there is an existing dhcp host "
                              "entry in network '%s' that matches \"%s\"", def->name, desc);
                goto out;
            }
        }
        if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
            g_array_prepend_val(ipdef->hosts, host);
        else
            g_array_append_val(ipdef->hosts, host);
        return 0;

    default:
        break;
    }
    mvReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %u", command);
 out:
    clearDHCPHost(&host);
    return ret;
}

/* --- ip-dhcp-range ------------------------------------------------------- */

static int
updateDHCPRange(mvNetworkDef *def, mvNetworkIPDef *ipdef, unsigned int command,
                const xmlNode *node)
{
    mvNetworkDHCPRange range = { 0 };
    guint i;

    if (parseAddr(node, "start", ipdef->address.family, &range.start) <= 0 ||
        parseAddr(node, "end", ipdef->address.family, &range.end) <= 0) {
        if (!mvErrorIsSet())
            mvReportError(VIR_ERR_XML_ERROR, "a dhcp <range> needs start and end addresses "
                          "(network '%s')", def->name);
        return -1;
    }
    for (i = 0; i < ipdef->ranges->len; i++) {
        mvNetworkDHCPRange *r = &g_array_index(ipdef->ranges, mvNetworkDHCPRange, i);

        if (mvNetworkAddrEqual(&r->start, &range.start) &&
            mvNetworkAddrEqual(&r->end, &range.end))
            break;
    }
    switch (command) {
    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        if (i == ipdef->ranges->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching dhcp range "
                          "entry in network '%s'", def->name);
            return -1;
        }
        g_array_remove_index(ipdef->ranges, i);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST:
        if (i < ipdef->ranges->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "there is an existing dhcp range entry "
                          "in network '%s' that matches", def->name);
            return -1;
        }
        if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
            g_array_prepend_val(ipdef->ranges, range);
        else
            g_array_append_val(ipdef->ranges, range);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        mvReportError(VIR_ERR_OPERATION_UNSUPPORTED, "dhcp ranges cannot be modified, only "
                      "added or deleted");
        return -1;
    default:
        mvReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %u",
                      command);
        return -1;
    }
}

/* --- dns-host ------------------------------------------------------------ */

static int
updateDNSHost(mvNetworkDef *def, unsigned int command, const xmlNode *node)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    mvNetworkAddr ip = { 0 };
    guint i, found = 0, idx = 0;

    if (parseAddr(node, "ip", AF_UNSPEC, &ip) < 0)
        return -1;
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "hostname") == 0) {
            g_autofree char *text = mvXMLNodeContent(c);

            if (*g_strstrip(text))
                g_ptr_array_add(names, g_steal_pointer(&text));
        }
    }
    for (i = 0; i < def->dns.hosts->len; i++) {
        mvNetworkDNSHost *h = &g_array_index(def->dns.hosts, mvNetworkDNSHost, i);
        bool match = ip.family && mvNetworkAddrEqual(&h->ip, &ip);

        for (guint j = 0; !match && j < names->len; j++)
            match = h->names && g_strv_contains((const char * const *)h->names,
                                                g_ptr_array_index(names, j));
        if (match) {
            found++;
            idx = i;
        }
    }
    switch (command) {
    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        if (found == 0) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching DNS HOST "
                          "record in network %s", def->name);
            return -1;
        }
        if (found > 1) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "multiple matching DNS HOST records "
                          "were found in network %s", def->name);
            return -1;
        }
        g_array_remove_index(def->dns.hosts, idx);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST: {
        mvNetworkDNSHost host = { 0 };

        if (!ip.family || names->len == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "a DNS <host> needs an ip attribute and at "
                          "least one <hostname> (network '%s')", def->name);
            return -1;
        }
        if (found) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "there is already at least one DNS "
                          "HOST record with a matching field in network %s", def->name);
            return -1;
        }
        host.ip = ip;
        g_ptr_array_add(names, NULL);
        host.names = (GStrv)g_ptr_array_steal(names, NULL);
        if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
            g_array_prepend_val(def->dns.hosts, host);
        else
            g_array_append_val(def->dns.hosts, host);
        return 0;
    }
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        mvReportError(VIR_ERR_OPERATION_UNSUPPORTED, "DNS HOST records cannot be modified, "
                      "only added or deleted");
        return -1;
    default:
        mvReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %u",
                      command);
        return -1;
    }
}

/* --- dns-txt ------------------------------------------------------------- */

static int
updateDNSTxt(mvNetworkDef *def, unsigned int command, const xmlNode *node)
{
    g_autofree char *name = NULL;
    g_autofree char *value = NULL;
    guint i;

    if (mvXMLPropString(node, "name", &name) <= 0) {
        mvReportError(VIR_ERR_XML_ERROR, "a DNS <txt> record needs a name (network '%s')",
                      def->name);
        return -1;
    }
    if (mvXMLPropString(node, "value", &value) < 0)
        return -1;
    for (i = 0; i < def->dns.txts->len; i++) {
        if (g_strcmp0(g_array_index(def->dns.txts, mvNetworkDNSTxt, i).name, name) == 0)
            break;
    }
    switch (command) {
    case VIR_NETWORK_UPDATE_COMMAND_DELETE:
        if (i == def->dns.txts->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "couldn't locate a matching DNS TXT "
                          "record in network %s", def->name);
            return -1;
        }
        g_array_remove_index(def->dns.txts, i);
        return 0;
    case VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST:
    case VIR_NETWORK_UPDATE_COMMAND_ADD_LAST: {
        mvNetworkDNSTxt txt = { 0 };

        if (i < def->dns.txts->len) {
            mvReportError(VIR_ERR_OPERATION_INVALID, "there is already a DNS TXT record "
                          "with name '%s' in network %s", name, def->name);
            return -1;
        }
        txt.name = g_steal_pointer(&name);
        txt.value = g_steal_pointer(&value);
        if (command == VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST)
            g_array_prepend_val(def->dns.txts, txt);
        else
            g_array_append_val(def->dns.txts, txt);
        return 0;
    }
    case VIR_NETWORK_UPDATE_COMMAND_MODIFY:
        mvReportError(VIR_ERR_OPERATION_UNSUPPORTED, "DNS TXT records cannot be modified, "
                      "only added or deleted");
        return -1;
    default:
        mvReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %u",
                      command);
        return -1;
    }
}

/* --- entry point --------------------------------------------------------- */

static const char *
sectionRoot(unsigned int section)
{
    switch (section) {
    case VIR_NETWORK_SECTION_IP_DHCP_HOST:
    case VIR_NETWORK_SECTION_DNS_HOST:
        return "host";
    case VIR_NETWORK_SECTION_IP_DHCP_RANGE:
        return "range";
    case VIR_NETWORK_SECTION_DNS_TXT:
        return "txt";
    default:
        return NULL;
    }
}

int
netUpdateDef(mvNetworkDef *def, unsigned int command, unsigned int section,
             int parentIndex, const char *xml, bool *hostsOnly)
{
    const char *root = sectionRoot(section);
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(mvNetworkDef) check = NULL;
    g_autofree char *full = NULL;
    mvNetworkIPDef *ipdef;
    xmlNode *node;
    int rc = -1;

    *hostsOnly = false;
    if (!root) {
        mvReportError(VIR_ERR_OPERATION_UNSUPPORTED, "can't update '%s' section of network "
                      "'%s'; modvirt updates ip-dhcp-host, ip-dhcp-range, dns-host and "
                      "dns-txt", sectionName(section), def->name);
        return -1;
    }
    if (command < VIR_NETWORK_UPDATE_COMMAND_MODIFY ||
        command > VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST) {
        mvReportError(VIR_ERR_NO_SUPPORT, "unrecognized network update command code %u",
                      command);
        return -1;
    }
    if (!(doc = mvXMLParseString(xml, "(network_definition)", root, VIR_FROM_NETWORK)))
        return -1;
    node = xmlDocGetRootElement(doc);

    switch (section) {
    case VIR_NETWORK_SECTION_IP_DHCP_HOST:
        if ((ipdef = pickIP(def, parentIndex, "dhcp host entry")))
            rc = updateDHCPHost(def, ipdef, command, node);
        *hostsOnly = true;
        break;
    case VIR_NETWORK_SECTION_IP_DHCP_RANGE:
        if ((ipdef = pickIP(def, parentIndex, "dhcp range entry")))
            rc = updateDHCPRange(def, ipdef, command, node);
        break;
    case VIR_NETWORK_SECTION_DNS_HOST:
        rc = updateDNSHost(def, command, node);
        *hostsOnly = true;
        break;
    case VIR_NETWORK_SECTION_DNS_TXT:
        rc = updateDNSTxt(def, command, node);
        break;
    }
    if (rc < 0)
        return -1;

    /* the whole definition must still be valid */
    full = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);
    if (!(check = mvNetworkDefParse(full, 0)))
        return -1;
    return 0;
}
