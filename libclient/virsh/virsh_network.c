/*
 * virsh_network: the network commands of virsh (net-list, net-info,
 * net-dumpxml, net-define, net-create, net-start, net-destroy,
 * net-undefine, net-autostart, net-uuid, net-name, net-update,
 * net-dhcp-leases, net-event and the net-port-* commands).  Output and
 * messages follow virsh 9.0 so scripts written for it keep working; the
 * calls made are those virsh 9.0 makes (wire-facts 3.4).
 *
 * A network argument is tried as a UUID first (when it looks like one),
 * then as a name, and only the last lookup's error is reported.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virsh_network.h"
#include "virsh_util.h"

#define VIRSH_MAX_XML_FILE (10 * 1024 * 1024)

static void
virshNetworkFree(virNetworkPtr net)
{
    if (net)
        virNetworkFree(net);
}

typedef virNetwork virshNetwork;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshNetwork, virshNetworkFree);

static void
virshNetworkPortFree(virNetworkPortPtr port)
{
    if (port)
        virNetworkPortFree(port);
}

typedef virNetworkPort virshNetworkPort;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshNetworkPort, virshNetworkPortFree);

enum {
    VIRSH_NET_BYUUID = 1 << 0,
    VIRSH_NET_BYNAME = 1 << 1,
};

/* Looks up the network named by option @optname; prints "failed to get
 * network 'X'" when there is none. */
static virNetworkPtr
virshCommandOptNetworkBy(virshControl *ctl, const virshCmd *cmd, const char *optname,
                         const char **name, unsigned int by)
{
    const char *n = virshCmdOptString(cmd, optname);
    virNetworkPtr net = NULL;

    if (!n)
        return NULL;
    if (name)
        *name = n;
    if ((by & VIRSH_NET_BYUUID) && strlen(n) == VIR_UUID_STRING_BUFLEN - 1 &&
        (net = virNetworkLookupByUUIDString(ctl->conn, n)))
        return net;
    if ((by & VIRSH_NET_BYNAME) && (net = virNetworkLookupByName(ctl->conn, n)))
        return net;
    virshError(ctl, "failed to get network '%s'", n);
    return NULL;
}

static virNetworkPtr
virshCommandOptNetwork(virshControl *ctl, const virshCmd *cmd, const char **name)
{
    return virshCommandOptNetworkBy(ctl, cmd, "network", name,
                                    VIRSH_NET_BYUUID | VIRSH_NET_BYNAME);
}

static const char *
virshYesNo(bool b)
{
    return b ? "yes" : "no";
}

/* --- net-list -------------------------------------------------------------- */

static const virshOptDef opts_network_list[] = {
    {.name = "inactive", .type = VIRSH_OT_BOOL, .help = "list inactive networks"},
    {.name = "all", .type = VIRSH_OT_BOOL, .help = "list inactive & active networks"},
    {.name = "persistent", .type = VIRSH_OT_BOOL, .help = "list persistent networks"},
    {.name = "transient", .type = VIRSH_OT_BOOL, .help = "list transient networks"},
    {.name = "autostart", .type = VIRSH_OT_BOOL, .help = "list networks with autostart enabled"},
    {.name = "no-autostart", .type = VIRSH_OT_BOOL,
     .help = "list networks with autostart disabled"},
    {.name = "uuid", .type = VIRSH_OT_BOOL, .help = "list uuid's only"},
    {.name = "name", .type = VIRSH_OT_BOOL, .help = "list network names only"},
    {.name = "table", .type = VIRSH_OT_BOOL, .help = "list table (default)"},
    {.name = NULL}
};

static int
virshNetworkNameCompare(const void *a, const void *b)
{
    virNetworkPtr na = *(virNetworkPtr const *)a;
    virNetworkPtr nb = *(virNetworkPtr const *)b;

    return g_ascii_strcasecmp(virNetworkGetName(na), virNetworkGetName(nb));
}

static void
virshNetworkListFree(virNetworkPtr *nets, int n)
{
    int i;

    for (i = 0; nets && i < n; i++)
        virNetworkFree(nets[i]);
    g_free(nets);
}

static bool
cmdNetworkList(virshControl *ctl, const virshCmd *cmd)
{
    bool optTable = virshCmdOptBool(cmd, "table");
    bool optName = virshCmdOptBool(cmd, "name");
    bool optUUID = virshCmdOptBool(cmd, "uuid");
    virNetworkPtr *nets = NULL;
    g_autoptr(virshTable) table = NULL;
    unsigned int flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    bool ret = false;
    int n;
    int i;

    if (optTable + optName + optUUID > 1) {
        virshError(ctl, "%s", "Only one argument from --table, --name and --uuid may be "
                   "specified.");
        return false;
    }
    if (!optName && !optUUID)
        optTable = true;

    if (virshCmdOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (virshCmdOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (virshCmdOptBool(cmd, "persistent"))
        flags |= VIR_CONNECT_LIST_NETWORKS_PERSISTENT;
    if (virshCmdOptBool(cmd, "transient"))
        flags |= VIR_CONNECT_LIST_NETWORKS_TRANSIENT;
    if (virshCmdOptBool(cmd, "autostart"))
        flags |= VIR_CONNECT_LIST_NETWORKS_AUTOSTART;
    if (virshCmdOptBool(cmd, "no-autostart"))
        flags |= VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART;

    if ((n = virConnectListAllNetworks(ctl->conn, &nets, flags)) < 0) {
        virshError(ctl, "%s", "Failed to list networks");
        return false;
    }
    qsort(nets, n, sizeof(*nets), virshNetworkNameCompare);

    if (optTable)
        table = virshTableNew("Name", "State", "Autostart", "Persistent", NULL);

    for (i = 0; i < n; i++) {
        virNetworkPtr net = nets[i];

        if (optTable) {
            int autostart = 0;
            const char *autostartStr;
            int persistent;
            int active;

            if (virNetworkGetAutostart(net, &autostart) < 0)
                autostartStr = "no autostart";
            else
                autostartStr = virshYesNo(autostart);
            persistent = virNetworkIsPersistent(net);
            active = virNetworkIsActive(net);
            virshTableAddRow(table, virNetworkGetName(net),
                             active > 0 ? "active" : "inactive",
                             autostartStr, virshYesNo(persistent > 0), NULL);
        } else if (optUUID) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            if (virNetworkGetUUIDString(net, uuid) < 0) {
                virshError(ctl, "%s", "Failed to get network's UUID");
                goto cleanup;
            }
            virshPrint(ctl, "%s\n", uuid);
        } else {
            virshPrint(ctl, "%s\n", virNetworkGetName(net));
        }
    }

    if (optTable) {
        g_autofree char *text = virshTableFormat(table, !ctl->quiet);

        virshPrint(ctl, "%s", text);
    }
    ret = true;

 cleanup:
    virshNetworkListFree(nets, n);
    return ret;
}

/* --- net-info, net-dumpxml, net-uuid, net-name ------------------------------ */

static const virshOptDef opts_network_info[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = NULL}
};

static bool
cmdNetworkInfo(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, NULL);
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *bridge = NULL;
    int autostart = 0;
    int persistent;
    int active;

    if (!net)
        return false;
    virshPrint(ctl, "%-15s %s\n", "Name:", virNetworkGetName(net));
    if (virNetworkGetUUIDString(net, uuid) == 0)
        virshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((active = virNetworkIsActive(net)) >= 0)
        virshPrint(ctl, "%-15s %s\n", "Active:", virshYesNo(active));
    if ((persistent = virNetworkIsPersistent(net)) < 0)
        virshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        virshPrint(ctl, "%-15s %s\n", "Persistent:", virshYesNo(persistent));
    if (virNetworkGetAutostart(net, &autostart) < 0)
        virshPrint(ctl, "%-15s %s\n", "Autostart:", "no autostart");
    else
        virshPrint(ctl, "%-15s %s\n", "Autostart:", virshYesNo(autostart));
    if ((bridge = virNetworkGetBridgeName(net)))
        virshPrint(ctl, "%-15s %s\n", "Bridge:", bridge);
    virshResetLibvirtError(ctl);
    return true;
}

static const virshOptDef opts_network_dumpxml[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "inactive", .type = VIRSH_OT_BOOL, .help = "show inactive defined XML"},
    {.name = "xpath", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = VIRSH_OT_BOOL,
     .help = "wrap xpath results in an common root element"},
    {.name = NULL}
};

static bool
cmdNetworkDumpXML(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, NULL);
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (!net)
        return false;
    if (virshCmdOptBool(cmd, "inactive"))
        flags |= VIR_NETWORK_XML_INACTIVE;
    if (!(xml = virNetworkGetXMLDesc(net, flags)))
        return false;
    return virshDumpXML(ctl, xml, "network", virshCmdOptString(cmd, "xpath"),
                        virshCmdOptBool(cmd, "wrap"));
}

static const virshOptDef opts_network_uuid[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name"},
    {.name = NULL}
};

static bool
cmdNetworkUuid(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = virshCommandOptNetworkBy(ctl, cmd, "network", NULL,
                                                           VIRSH_NET_BYNAME);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!net)
        return false;
    if (virNetworkGetUUIDString(net, uuid) < 0) {
        virshError(ctl, "%s", "failed to get network UUID");
        return false;
    }
    virshPrint(ctl, "%s\n", uuid);
    return true;
}

static const virshOptDef opts_network_name[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network uuid"},
    {.name = NULL}
};

static bool
cmdNetworkName(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = virshCommandOptNetworkBy(ctl, cmd, "network", NULL,
                                                           VIRSH_NET_BYUUID);

    if (!net)
        return false;
    virshPrint(ctl, "%s\n", virNetworkGetName(net));
    return true;
}

/* --- define, create, start, destroy, undefine, autostart ------------------- */

static const virshOptDef opts_network_define[] = {
    {.name = "file", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "file containing an XML network description"},
    {.name = "validate", .type = VIRSH_OT_BOOL, .help = "validate the XML against the schema"},
    {.name = NULL}
};

static bool
virshNetworkFromFile(virshControl *ctl, const virshCmd *cmd, bool create)
{
    const char *from = virshCmdOptString(cmd, "file");
    g_autofree char *buffer = NULL;
    g_autoptr(virshNetwork) net = NULL;
    bool validate = virshCmdOptBool(cmd, "validate");

    if (virshFileReadAll(ctl, from, VIRSH_MAX_XML_FILE, &buffer) < 0)
        return false;
    if (create)
        net = validate ? virNetworkCreateXMLFlags(ctl->conn, buffer,
                                                  VIR_NETWORK_CREATE_VALIDATE) :
                         virNetworkCreateXML(ctl->conn, buffer);
    else
        net = validate ? virNetworkDefineXMLFlags(ctl->conn, buffer,
                                                  VIR_NETWORK_DEFINE_VALIDATE) :
                         virNetworkDefineXML(ctl->conn, buffer);
    if (!net) {
        virshError(ctl, create ? "Failed to create network from %s" :
                                 "Failed to define network from %s", from);
        return false;
    }
    virshPrintExtra(ctl, create ? "Network %s created from %s\n" :
                                  "Network %s defined from %s\n",
                    virNetworkGetName(net), from);
    return true;
}

static bool
cmdNetworkDefine(virshControl *ctl, const virshCmd *cmd)
{
    return virshNetworkFromFile(ctl, cmd, false);
}

static bool
cmdNetworkCreate(virshControl *ctl, const virshCmd *cmd)
{
    return virshNetworkFromFile(ctl, cmd, true);
}

static const virshOptDef opts_network_start[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = NULL}
};

static bool
cmdNetworkStart(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, &name);

    if (!net)
        return false;
    if (virNetworkCreate(net) < 0) {
        virshError(ctl, "Failed to start network %s", name);
        return false;
    }
    virshPrintExtra(ctl, "Network %s started\n", name);
    return true;
}

static bool
cmdNetworkDestroy(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, &name);

    if (!net)
        return false;
    if (virNetworkDestroy(net) < 0) {
        virshError(ctl, "Failed to destroy network %s", name);
        return false;
    }
    virshPrintExtra(ctl, "Network %s destroyed\n", name);
    return true;
}

static bool
cmdNetworkUndefine(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, &name);

    if (!net)
        return false;
    if (virNetworkUndefine(net) < 0) {
        virshError(ctl, "Failed to undefine network %s", name);
        return false;
    }
    virshPrintExtra(ctl, "Network %s has been undefined\n", name);
    return true;
}

static const virshOptDef opts_network_autostart[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "disable", .type = VIRSH_OT_BOOL, .help = "disable autostarting"},
    {.name = NULL}
};

static bool
cmdNetworkAutostart(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, &name);
    bool enable = !virshCmdOptBool(cmd, "disable");

    if (!net)
        return false;
    if (virNetworkSetAutostart(net, enable) < 0) {
        virshError(ctl, enable ? "failed to mark network %s as autostarted" :
                                 "failed to unmark network %s as autostarted", name);
        return false;
    }
    virshPrintExtra(ctl, enable ? "Network %s marked as autostarted\n" :
                                  "Network %s unmarked as autostarted\n", name);
    return true;
}

/* --- net-update ------------------------------------------------------------- */

static const virshOptDef opts_network_update[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "command", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "type of update (add-first, add-last (add), delete, or modify)"},
    {.name = "section", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "which section of network configuration to update"},
    {.name = "xml", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "name of file containing xml (or, if it starts with '<', the complete xml "
             "element itself) to add/modify, or to be matched for search"},
    {.name = "parent-index", .type = VIRSH_OT_INT,
     .help = "which parent object to search through"},
    {.name = "config", .type = VIRSH_OT_BOOL, .help = "affect next network startup"},
    {.name = "live", .type = VIRSH_OT_BOOL, .help = "affect running network"},
    {.name = "current", .type = VIRSH_OT_BOOL, .help = "affect current state of network"},
    {.name = NULL}
};

static const char * const virshNetworkSections[] = {
    [VIR_NETWORK_SECTION_NONE] = "none",
    [VIR_NETWORK_SECTION_BRIDGE] = "bridge",
    [VIR_NETWORK_SECTION_DOMAIN] = "domain",
    [VIR_NETWORK_SECTION_IP] = "ip",
    [VIR_NETWORK_SECTION_IP_DHCP_HOST] = "ip-dhcp-host",
    [VIR_NETWORK_SECTION_IP_DHCP_RANGE] = "ip-dhcp-range",
    [VIR_NETWORK_SECTION_FORWARD] = "forward",
    [VIR_NETWORK_SECTION_FORWARD_INTERFACE] = "forward-interface",
    [VIR_NETWORK_SECTION_FORWARD_PF] = "forward-pf",
    [VIR_NETWORK_SECTION_PORTGROUP] = "portgroup",
    [VIR_NETWORK_SECTION_DNS_HOST] = "dns-host",
    [VIR_NETWORK_SECTION_DNS_TXT] = "dns-txt",
    [VIR_NETWORK_SECTION_DNS_SRV] = "dns-srv",
};

static const char * const virshNetworkCommands[] = {
    [VIR_NETWORK_UPDATE_COMMAND_NONE] = "none",
    [VIR_NETWORK_UPDATE_COMMAND_MODIFY] = "modify",
    [VIR_NETWORK_UPDATE_COMMAND_DELETE] = "delete",
    [VIR_NETWORK_UPDATE_COMMAND_ADD_LAST] = "add-last",
    [VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST] = "add-first",
};

/* Index of @name in @table (skipping "none"), or -1. */
static int
virshNetworkEnumFromString(const char * const *table, size_t n, const char *name)
{
    size_t i;

    for (i = 1; i < n; i++) {
        if (g_str_equal(table[i], name))
            return i;
    }
    return -1;
}

static bool
cmdNetworkUpdate(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virshNetwork) net = NULL;
    const char *commandStr = virshCmdOptString(cmd, "command");
    const char *sectionStr = virshCmdOptString(cmd, "section");
    const char *xml = virshCmdOptString(cmd, "xml");
    const char *parentStr = virshCmdOptString(cmd, "parent-index");
    g_autofree char *xmlFromFile = NULL;
    bool config = virshCmdOptBool(cmd, "config");
    bool live = virshCmdOptBool(cmd, "live");
    bool current = virshCmdOptBool(cmd, "current");
    unsigned int flags = VIR_NETWORK_UPDATE_AFFECT_CURRENT;
    int parentIndex = -1;
    int command;
    int section;

    if (current && live) {
        virshError(ctl, "%s", "Options --current and --live are mutually exclusive");
        return false;
    }
    if (current && config) {
        virshError(ctl, "%s", "Options --current and --config are mutually exclusive");
        return false;
    }
    if (config)
        flags |= VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    if (live)
        flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;

    if (!(net = virshCommandOptNetwork(ctl, cmd, &name)))
        return false;

    if (g_str_equal(commandStr, "add"))
        command = VIR_NETWORK_UPDATE_COMMAND_ADD_LAST;
    else
        command = virshNetworkEnumFromString(virshNetworkCommands,
                                             G_N_ELEMENTS(virshNetworkCommands), commandStr);
    if (command < 0) {
        virshError(ctl, "unrecognized command name '%s'", commandStr);
        return false;
    }
    section = virshNetworkEnumFromString(virshNetworkSections,
                                         G_N_ELEMENTS(virshNetworkSections), sectionStr);
    if (section < 0) {
        virshError(ctl, "unrecognized section name '%s'", sectionStr);
        return false;
    }
    if (parentStr) {
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(parentStr, &end, 10);
        if (errno || end == parentStr || *end || v < INT_MIN || v > INT_MAX) {
            virshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                       parentStr, "parent-index");
            return false;
        }
        parentIndex = (int)v;
    }

    /* the xml argument is the element itself or a file holding it */
    if (xml[0] != '<') {
        if (virshFileReadAll(ctl, xml, VIRSH_MAX_XML_FILE, &xmlFromFile) < 0)
            return false;
        g_strchomp(xmlFromFile);
        xml = xmlFromFile;
    }

    if (virNetworkUpdate(net, command, section, parentIndex, xml, flags) < 0) {
        virshError(ctl, "Failed to update network %s", virNetworkGetName(net));
        return false;
    }

    if (config) {
        if (live)
            virshPrintExtra(ctl, "Updated network %s persistent config and live state",
                            virNetworkGetName(net));
        else
            virshPrintExtra(ctl, "Updated network %s persistent config", virNetworkGetName(net));
    } else if (live) {
        virshPrintExtra(ctl, "Updated network %s live state", virNetworkGetName(net));
    } else if (virNetworkIsActive(net) > 0) {
        virshPrintExtra(ctl, "Updated network %s live state", virNetworkGetName(net));
    } else {
        virshPrintExtra(ctl, "Updated network %s persistent config", virNetworkGetName(net));
    }
    /* the line ends with the newline virsh prints after every command */
    return true;
}

/* --- net-dhcp-leases --------------------------------------------------------- */

static const virshOptDef opts_network_dhcp_leases[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "mac", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "MAC address"},
    {.name = NULL}
};

static int
virshNetworkLeaseCompare(const void *a, const void *b)
{
    virNetworkDHCPLeasePtr la = *(virNetworkDHCPLeasePtr const *)a;
    virNetworkDHCPLeasePtr lb = *(virNetworkDHCPLeasePtr const *)b;

    return g_ascii_strcasecmp(la->mac ? la->mac : "", lb->mac ? lb->mac : "");
}

#define VIRSH_OR_MINUS(s) ((s) ? (s) : "-")

static bool
cmdNetworkDHCPLeases(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = NULL;
    const char *mac = virshCmdOptString(cmd, "mac");
    g_autoptr(virshNetwork) net = virshCommandOptNetwork(ctl, cmd, &name);
    virNetworkDHCPLeasePtr *leases = NULL;
    g_autoptr(virshTable) table = NULL;
    g_autofree char *text = NULL;
    int n;
    int i;

    if (!net)
        return false;
    if ((n = virNetworkGetDHCPLeases(net, mac, &leases, 0)) < 0) {
        virshError(ctl, "Failed to get leases info for %s", name);
        return false;
    }
    qsort(leases, n, sizeof(*leases), virshNetworkLeaseCompare);

    table = virshTableNew("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
                          "Client ID or DUID", NULL);
    for (i = 0; i < n; i++) {
        virNetworkDHCPLeasePtr lease = leases[i];
        g_autoptr(GDateTime) then = g_date_time_new_from_unix_local(lease->expirytime);
        g_autofree char *when = then ? g_date_time_format(then, "%Y-%m-%d %H:%M:%S") : NULL;
        g_autofree char *cidr = g_strdup_printf("%s/%u", lease->ipaddr, lease->prefix);
        const char *proto = NULL;

        if (lease->type == VIR_IP_ADDR_TYPE_IPV4)
            proto = "ipv4";
        else if (lease->type == VIR_IP_ADDR_TYPE_IPV6)
            proto = "ipv6";
        virshTableAddRow(table, VIRSH_OR_MINUS(when), VIRSH_OR_MINUS(lease->mac),
                         VIRSH_OR_MINUS(proto), cidr, VIRSH_OR_MINUS(lease->hostname),
                         VIRSH_OR_MINUS(lease->clientid), NULL);
        virNetworkDHCPLeaseFree(lease);
    }
    g_free(leases);

    text = virshTableFormat(table, !ctl->quiet);
    virshPrint(ctl, "%s", text);
    return true;
}

/* --- net-event --------------------------------------------------------------- */

typedef struct {
    virshControl *ctl;
    bool loop;
    bool timestamp;
    int count;
} virshNetworkEventData;

static const char *
virshNetworkEventToString(int event)
{
    switch (event) {
    case VIR_NETWORK_EVENT_DEFINED:
        return "Defined";
    case VIR_NETWORK_EVENT_UNDEFINED:
        return "Undefined";
    case VIR_NETWORK_EVENT_STARTED:
        return "Started";
    case VIR_NETWORK_EVENT_STOPPED:
        return "Stopped";
    }
    return "unknown";
}

static void
virshNetworkEventLifecyclePrint(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                                void *opaque)
{
    virshNetworkEventData *data = opaque;

    if (!data->loop && data->count)
        return;
    if (data->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        virshPrint(data->ctl, "%s.%03d+0000: event 'lifecycle' for network %s: %s\n", base,
                   g_date_time_get_microsecond(now) / 1000, virNetworkGetName(net),
                   virshNetworkEventToString(event));
    } else {
        virshPrint(data->ctl, "event 'lifecycle' for network %s: %s\n", virNetworkGetName(net),
                   virshNetworkEventToString(event));
    }
    fflush(stdout);
    data->count++;
    if (!data->loop)
        virshEventDone(data->ctl);
}

static const virshOptDef opts_network_event[] = {
    {.name = "network", .type = VIRSH_OT_STRING, .help = "filter by network name or uuid"},
    {.name = "event", .type = VIRSH_OT_STRING, .help = "which event type to wait for"},
    {.name = "loop", .type = VIRSH_OT_BOOL,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = VIRSH_OT_INT, .help = "timeout seconds"},
    {.name = "list", .type = VIRSH_OT_BOOL, .help = "list valid event types"},
    {.name = "timestamp", .type = VIRSH_OT_BOOL, .help = "show timestamp for each printed event"},
    {.name = NULL}
};

static bool
cmdNetworkEvent(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = NULL;
    virshNetworkEventData data = { .ctl = ctl };
    const char *eventName = virshCmdOptString(cmd, "event");
    int timeout = 0;
    int eventId;
    bool ret = false;

    if (virshCmdOptBool(cmd, "list")) {
        virshPrint(ctl, "%s\n", "lifecycle");
        return true;
    }
    if (!eventName) {
        virshError(ctl, "%s", "either --list or --event <type> is required");
        return false;
    }
    if (!g_str_equal(eventName, "lifecycle")) {
        virshError(ctl, "unknown event type %s", eventName);
        return false;
    }
    data.loop = virshCmdOptBool(cmd, "loop");
    data.timestamp = virshCmdOptBool(cmd, "timestamp");
    if (virshCommandOptTimeoutToMs(ctl, cmd, &timeout) < 0)
        return false;
    /* virsh 9.0 reports a network it cannot find and then waits for the
     * events of every network */
    if (virshCmdOptString(cmd, "network"))
        net = virshCommandOptNetwork(ctl, cmd, NULL);

    if (virshEventStart(ctl, timeout) < 0)
        return false;
    eventId = virConnectNetworkEventRegisterAny(ctl->conn, net, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                VIR_NETWORK_EVENT_CALLBACK(
                                                    virshNetworkEventLifecyclePrint),
                                                &data, NULL);
    if (eventId >= 0) {
        int waited = virshEventWait(ctl);

        if (waited == VIRSH_EVENT_INTERRUPT)
            virshPrint(ctl, "%s", "event loop interrupted\n");
        else if (waited == VIRSH_EVENT_TIMEOUT)
            virshPrint(ctl, "%s", "event loop timed out\n");
        if (waited >= 0) {
            virshPrint(ctl, "events received: %d\n", data.count);
            ret = data.count > 0;
        }
    }
    virshEventCleanup(ctl);
    if (eventId >= 0 && virConnectNetworkEventDeregisterAny(ctl->conn, eventId) < 0)
        ret = false;
    return ret;
}

/* --- net-port-* ------------------------------------------------------------ */

static virNetworkPortPtr
virshCommandOptNetworkPort(virshControl *ctl, const virshCmd *cmd, virNetworkPtr net,
                           const char **name)
{
    const char *n = virshCmdOptString(cmd, "port");
    virNetworkPortPtr port;

    if (!n)
        return NULL;
    if (name)
        *name = n;
    if (!(port = virNetworkPortLookupByUUIDString(net, n))) {
        /* virsh 9.0 shows only its own line here, not the library's error */
        virshResetLibvirtError(ctl);
        virshError(ctl, "failed to get network port '%s'", n);
    }
    return port;
}

static const virshOptDef opts_network_port_list[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "uuid", .type = VIRSH_OT_BOOL, .help = "list uuid's only"},
    {.name = "table", .type = VIRSH_OT_BOOL, .help = "list table (default)"},
    {.name = NULL}
};

static int
virshStringCompare(const void *a, const void *b)
{
    return g_ascii_strcasecmp(*(char * const *)a, *(char * const *)b);
}

static bool
cmdNetworkPortList(virshControl *ctl, const virshCmd *cmd)
{
    bool optTable = virshCmdOptBool(cmd, "table");
    bool optUUID = virshCmdOptBool(cmd, "uuid");
    g_autoptr(virshNetwork) net = NULL;
    virNetworkPortPtr *ports = NULL;
    g_autoptr(virshTable) table = NULL;
    g_auto(GStrv) uuids = NULL;
    int n;
    int i;

    if (optTable && optUUID) {
        virshError(ctl, "%s", "Only one argument from --table and --uuid may be specified.");
        return false;
    }
    if (!optUUID)
        optTable = true;
    if (!(net = virshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    /* virsh 9.0 shows only the library's error here */
    if ((n = virNetworkListAllPorts(net, &ports, 0)) < 0)
        return false;
    uuids = g_new0(char *, n + 1);
    for (i = 0; i < n; i++) {
        uuids[i] = g_malloc0(VIR_UUID_STRING_BUFLEN);
        virNetworkPortGetUUIDString(ports[i], uuids[i]);
        virNetworkPortFree(ports[i]);
    }
    g_free(ports);
    qsort(uuids, n, sizeof(*uuids), virshStringCompare);

    if (optTable) {
        g_autofree char *text = NULL;

        table = virshTableNew("UUID", NULL);
        for (i = 0; i < n; i++)
            virshTableAddRow(table, uuids[i], NULL);
        text = virshTableFormat(table, !ctl->quiet);
        virshPrint(ctl, "%s", text);
    } else {
        for (i = 0; i < n; i++)
            virshPrint(ctl, "%s\n", uuids[i]);
    }
    return true;
}

static const virshOptDef opts_network_port_create[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "file", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "file containing an XML network port description"},
    {.name = "validate", .type = VIRSH_OT_BOOL, .help = "validate the XML against the schema"},
    {.name = NULL}
};

static bool
cmdNetworkPortCreate(virshControl *ctl, const virshCmd *cmd)
{
    const char *from = virshCmdOptString(cmd, "file");
    g_autoptr(virshNetwork) net = NULL;
    g_autoptr(virshNetworkPort) port = NULL;
    g_autofree char *buffer = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int flags = 0;

    if (!(net = virshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    if (virshCmdOptBool(cmd, "validate"))
        flags |= VIR_NETWORK_PORT_CREATE_VALIDATE;
    if (virshFileReadAll(ctl, from, VIRSH_MAX_XML_FILE, &buffer) < 0)
        return false;
    if (!(port = virNetworkPortCreateXML(net, buffer, flags))) {
        virshError(ctl, "Failed to create network from %s", from);
        return false;
    }
    if (virNetworkPortGetUUIDString(port, uuid) < 0) {
        virshError(ctl, "%s", "Failed to get network's UUID");
        return false;
    }
    virshPrintExtra(ctl, "Network port %s created from %s\n", uuid, from);
    return true;
}

static const virshOptDef opts_network_port_dumpxml[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "port", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "port UUID"},
    {.name = "xpath", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = VIRSH_OT_BOOL,
     .help = "wrap xpath results in an common root element"},
    {.name = NULL}
};

static bool
cmdNetworkPortDumpXML(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = NULL;
    g_autoptr(virshNetworkPort) port = NULL;
    g_autofree char *xml = NULL;

    if (!(net = virshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    /* virsh 9.0 exits with success when the port is not found */
    if (!(port = virshCommandOptNetworkPort(ctl, cmd, net, NULL)))
        return true;
    if (!(xml = virNetworkPortGetXMLDesc(port, 0)))
        return false;
    return virshDumpXML(ctl, xml, "network-port", virshCmdOptString(cmd, "xpath"),
                        virshCmdOptBool(cmd, "wrap"));
}

static const virshOptDef opts_network_port_delete[] = {
    {.name = "network", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "network name or uuid"},
    {.name = "port", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "port UUID"},
    {.name = NULL}
};

static bool
cmdNetworkPortDelete(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshNetwork) net = NULL;
    g_autoptr(virshNetworkPort) port = NULL;
    const char *uuid = NULL;

    if (!(net = virshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    /* virsh 9.0 exits with success when the port is not found */
    if (!(port = virshCommandOptNetworkPort(ctl, cmd, net, &uuid)))
        return true;
    if (virNetworkPortDelete(port, 0) < 0) {
        virshError(ctl, "Failed to delete network port %s", uuid);
        return false;
    }
    virshPrintExtra(ctl, "Network port %s deleted\n", uuid);
    return true;
}

const virshCmdDef virshNetworkCmds[] = {
    {.name = "net-autostart", .handler = cmdNetworkAutostart, .opts = opts_network_autostart,
     .help = "autostart a network",
     .desc = "Configure a network to be automatically started at boot."},
    {.name = "net-create", .handler = cmdNetworkCreate, .opts = opts_network_define,
     .help = "create a network from an XML file", .desc = "Create a network."},
    {.name = "net-define", .handler = cmdNetworkDefine, .opts = opts_network_define,
     .help = "define an inactive persistent virtual network or modify an existing persistent "
             "one from an XML file",
     .desc = "Define or modify a persistent virtual network."},
    {.name = "net-destroy", .handler = cmdNetworkDestroy, .opts = opts_network_start,
     .help = "destroy (stop) a network", .desc = "Forcefully stop a given network."},
    {.name = "net-dhcp-leases", .handler = cmdNetworkDHCPLeases,
     .opts = opts_network_dhcp_leases,
     .help = "print lease info for a given network",
     .desc = "Print lease info for a given network"},
    {.name = "net-dumpxml", .handler = cmdNetworkDumpXML, .opts = opts_network_dumpxml,
     .help = "network information in XML",
     .desc = "Output the network information as an XML dump to stdout."},
    {.name = "net-event", .handler = cmdNetworkEvent, .opts = opts_network_event,
     .help = "Network Events",
     .desc = "List event types, or wait for network events to occur"},
    {.name = "net-info", .handler = cmdNetworkInfo, .opts = opts_network_info,
     .help = "network information",
     .desc = "Returns basic information about the network"},
    {.name = "net-list", .handler = cmdNetworkList, .opts = opts_network_list,
     .help = "list networks", .desc = "Returns list of networks."},
    {.name = "net-name", .handler = cmdNetworkName, .opts = opts_network_name,
     .help = "convert a network UUID to network name", .desc = NULL},
    {.name = "net-start", .handler = cmdNetworkStart, .opts = opts_network_start,
     .help = "start a (previously defined) inactive network", .desc = "Start a network."},
    {.name = "net-undefine", .handler = cmdNetworkUndefine, .opts = opts_network_start,
     .help = "undefine a persistent network",
     .desc = "Undefine the configuration for a persistent network."},
    {.name = "net-update", .handler = cmdNetworkUpdate, .opts = opts_network_update,
     .help = "update parts of an existing network's configuration", .desc = ""},
    {.name = "net-uuid", .handler = cmdNetworkUuid, .opts = opts_network_uuid,
     .help = "convert a network name to network UUID", .desc = NULL},
    {.name = "net-port-list", .handler = cmdNetworkPortList, .opts = opts_network_port_list,
     .help = "list network ports", .desc = "Returns list of network ports."},
    {.name = "net-port-create", .handler = cmdNetworkPortCreate,
     .opts = opts_network_port_create,
     .help = "create a network port from an XML file", .desc = "Create a network port."},
    {.name = "net-port-dumpxml", .handler = cmdNetworkPortDumpXML,
     .opts = opts_network_port_dumpxml,
     .help = "network port information in XML",
     .desc = "Output the network port information as an XML dump to stdout."},
    {.name = "net-port-delete", .handler = cmdNetworkPortDelete,
     .opts = opts_network_port_delete,
     .help = "delete the specified network port",
     .desc = "Delete the specified network port."},
    {.name = NULL}
};
