/*
 * virsh_domain_monitor: the "Domain Monitoring" commands of virsh that
 * modvirt has: list, dominfo, domstate and domifaddr.
 *
 * `list` asks the server to filter (virConnectListAllDomains with the
 * filter flags).  A server that rejects some filter bits with
 * VIR_ERR_INVALID_ARG is asked again for active/inactive only, and the rest
 * is filtered here, one query per domain, as virsh 9.0 does.  The list is
 * sorted: running domains by ID, then inactive ones by name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "virsh_domain.h"

#define VIRSH_LIST_FILTERS_ACTIVE \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE)
#define VIRSH_LIST_FILTERS_PERSISTENT \
    (VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)
#define VIRSH_LIST_FILTERS_STATE \
    (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)
#define VIRSH_LIST_FILTERS_AUTOSTART \
    (VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)
#define VIRSH_LIST_FILTERS_MANAGEDSAVE \
    (VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)
#define VIRSH_LIST_FILTERS_SNAPSHOT \
    (VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)
#define VIRSH_LIST_FILTERS_CHECKPOINT \
    (VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

/* Running domains first by ID, then inactive ones by name (case-blind). */
static int
virshDomainListCompare(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *) a;
    virDomainPtr db = *(virDomainPtr const *) b;
    unsigned int ida = virDomainGetID(da);
    unsigned int idb = virDomainGetID(db);
    unsigned int none = (unsigned int) -1;

    if (ida == none && idb == none)
        return strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != none && idb != none)
        return ida < idb ? -1 : ida > idb;
    return ida != none ? -1 : 1;
}

/* Whether @dom passes the filters in @flags the server did not apply.
 * 1 yes, 0 no, -1 after printing the error. */
static int
virshDomainListMatch(virshControl *ctl, virDomainPtr dom, unsigned int flags)
{
    if (flags & VIRSH_LIST_FILTERS_PERSISTENT) {
        int persistent = virDomainIsPersistent(dom);

        if (persistent < 0) {
            virshError(ctl, "%s", "Failed to get domain persistence info");
            return -1;
        }
        if (!((flags & VIR_CONNECT_LIST_DOMAINS_PERSISTENT && persistent) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_TRANSIENT && !persistent)))
            return 0;
    }
    if (flags & VIRSH_LIST_FILTERS_STATE) {
        int state;
        bool other;

        if (virDomainGetState(dom, &state, NULL, 0) < 0) {
            virshError(ctl, "%s", "Failed to get domain state");
            return -1;
        }
        other = state != VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_PAUSED &&
                state != VIR_DOMAIN_SHUTOFF;
        if (!((flags & VIR_CONNECT_LIST_DOMAINS_RUNNING && state == VIR_DOMAIN_RUNNING) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_PAUSED && state == VIR_DOMAIN_PAUSED) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF && state == VIR_DOMAIN_SHUTOFF) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_OTHER && other)))
            return 0;
    }
    if (flags & VIRSH_LIST_FILTERS_AUTOSTART) {
        int autostart;

        if (virDomainGetAutostart(dom, &autostart) < 0) {
            virshError(ctl, "%s", "Failed to get domain autostart state");
            return -1;
        }
        if (!((flags & VIR_CONNECT_LIST_DOMAINS_AUTOSTART && autostart) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART && !autostart)))
            return 0;
    }
    if (flags & VIRSH_LIST_FILTERS_MANAGEDSAVE) {
        int saved = virDomainHasManagedSaveImage(dom, 0);

        if (saved < 0) {
            virshError(ctl, "%s", "Failed to check for managed save image");
            return -1;
        }
        if (!((flags & VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE && saved) ||
              (flags & VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE && !saved)))
            return 0;
    }
    if (flags & (VIRSH_LIST_FILTERS_SNAPSHOT | VIRSH_LIST_FILTERS_CHECKPOINT)) {
        virshError(ctl, "%s",
                   "the server cannot filter by snapshots or checkpoints and modvirt's virsh "
                   "cannot count them itself; list without --with(out)-snapshot/checkpoint");
        return -1;
    }
    return 1;
}

/* The domains matching @flags, sorted; NULL after printing the error. */
static GPtrArray *
virshDomainListCollect(virshControl *ctl, unsigned int flags)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify) virshDomainFree);
    virDomainPtr *doms = NULL;
    bool filterHere = false;
    int n;

    n = virConnectListAllDomains(ctl->conn, &doms, flags);
    if (n < 0 && virshLastErrorCode(ctl) == VIR_ERR_INVALID_ARG) {
        virshResetLibvirtError(ctl);
        n = virConnectListAllDomains(ctl->conn, &doms, flags & VIRSH_LIST_FILTERS_ACTIVE);
        filterHere = true;
    }
    if (n < 0) {
        virshError(ctl, "%s", "Failed to list domains");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        g_ptr_array_add(list, doms[i]);
    g_free(doms);

    if (filterHere) {
        for (guint i = 0; i < list->len;) {
            int r = virshDomainListMatch(ctl, g_ptr_array_index(list, i), flags);

            if (r < 0)
                return NULL;
            if (r == 0)
                g_ptr_array_remove_index(list, i);
            else
                i++;
        }
    }

    g_ptr_array_sort(list, virshDomainListCompare);
    return g_steal_pointer(&list);
}

/* The domain's <title>, "" when it has none; NULL with the error pending. */
static char *
virshDomainTitle(virDomainPtr dom)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);

    if (!xml)
        return NULL;
    return virshXPathString(xml, "string(./title[1])");
}

static const virshOptDef opts_list[] = {
    {.name = "inactive", .type = VIRSH_OT_BOOL, .help = "list inactive domains"},
    {.name = "all", .type = VIRSH_OT_BOOL, .help = "list inactive & active domains"},
    {.name = "transient", .type = VIRSH_OT_BOOL, .help = "list transient domains"},
    {.name = "persistent", .type = VIRSH_OT_BOOL, .help = "list persistent domains"},
    {.name = "with-snapshot", .type = VIRSH_OT_BOOL, .help = "list domains with existing snapshot"},
    {.name = "without-snapshot", .type = VIRSH_OT_BOOL, .help = "list domains without a snapshot"},
    {.name = "with-checkpoint", .type = VIRSH_OT_BOOL,
     .help = "list domains with existing checkpoint"},
    {.name = "without-checkpoint", .type = VIRSH_OT_BOOL,
     .help = "list domains without a checkpoint"},
    {.name = "state-running", .type = VIRSH_OT_BOOL, .help = "list domains in running state"},
    {.name = "state-paused", .type = VIRSH_OT_BOOL, .help = "list domains in paused state"},
    {.name = "state-shutoff", .type = VIRSH_OT_BOOL, .help = "list domains in shutoff state"},
    {.name = "state-other", .type = VIRSH_OT_BOOL, .help = "list domains in other states"},
    {.name = "autostart", .type = VIRSH_OT_BOOL, .help = "list domains with autostart enabled"},
    {.name = "no-autostart", .type = VIRSH_OT_BOOL, .help = "list domains with autostart disabled"},
    {.name = "with-managed-save", .type = VIRSH_OT_BOOL,
     .help = "list domains with managed save state"},
    {.name = "without-managed-save", .type = VIRSH_OT_BOOL,
     .help = "list domains without managed save"},
    {.name = "uuid", .type = VIRSH_OT_BOOL, .help = "list uuid's only"},
    {.name = "name", .type = VIRSH_OT_BOOL, .help = "list domain names only"},
    {.name = "id", .type = VIRSH_OT_BOOL, .help = "list domain IDs only"},
    {.name = "table", .type = VIRSH_OT_BOOL, .help = "list table (default)"},
    {.name = "managed-save", .type = VIRSH_OT_BOOL,
     .help = "mark inactive domains with managed save state"},
    {.name = "title", .type = VIRSH_OT_BOOL, .help = "show domain title"},
    {.name = NULL}
};

static const struct {
    const char *option;
    unsigned int flag;
} virshListFilters[] = {
    { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
    { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
    { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
    { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
};

static bool
cmdList(virshControl *ctl, const virshCmd *cmd)
{
    bool managed = virshCmdOptBool(cmd, "managed-save");
    bool optTitle = virshCmdOptBool(cmd, "title");
    bool optTable = virshCmdOptBool(cmd, "table");
    bool optUUID = virshCmdOptBool(cmd, "uuid");
    bool optName = virshCmdOptBool(cmd, "name");
    bool optID = virshCmdOptBool(cmd, "id");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(virshTable) table = NULL;

    if (virshCmdOptBool(cmd, "inactive") || virshCmdOptBool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (virshCmdOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(virshListFilters); i++) {
        if (virshCmdOptBool(cmd, virshListFilters[i].option))
            flags |= virshListFilters[i].flag;
    }

    if (!virshOptExclusive(ctl, cmd, "table", "name") ||
        !virshOptExclusive(ctl, cmd, "table", "uuid") ||
        !virshOptExclusive(ctl, cmd, "table", "id"))
        return false;
    if (!optUUID && !optName && !optID)
        optTable = true;

    if (!(list = virshDomainListCollect(ctl, flags)))
        return false;

    if (optTable) {
        if (optTitle && optUUID)
            table = virshTableNew("Id", "Name", "State", "Title", "UUID", NULL);
        else if (optTitle)
            table = virshTableNew("Id", "Name", "State", "Title", NULL);
        else if (optUUID)
            table = virshTableNew("Id", "Name", "State", "UUID", NULL);
        else
            table = virshTableNew("Id", "Name", "State", NULL);
    }

    for (guint i = 0; i < list->len; i++) {
        virDomainPtr dom = g_ptr_array_index(list, i);
        unsigned int id = virDomainGetID(dom);
        g_autofree char *idStr = id == (unsigned int) -1 ? g_strdup("-")
                                                         : g_strdup_printf("%d", id);
        char uuid[VIR_UUID_STRING_BUFLEN];

        if (optUUID && virDomainGetUUIDString(dom, uuid) < 0) {
            virshError(ctl, "%s", "Failed to get domain's UUID");
            return false;
        }

        if (optTable) {
            g_autofree char *title = NULL;
            const char *stateStr;
            int state = virshDomainState(ctl, dom, NULL);

            /* the domain may have gone away meanwhile */
            if (state < 0) {
                virshResetLibvirtError(ctl);
                continue;
            }
            if (managed && state == VIR_DOMAIN_SHUTOFF &&
                virDomainHasManagedSaveImage(dom, 0) > 0)
                stateStr = "saved";
            else
                stateStr = virshDomainStateName(state);

            if (optTitle && !(title = virshDomainTitle(dom)))
                return false;

            if (optTitle && optUUID)
                virshTableAddRow(table, idStr, virDomainGetName(dom), stateStr, title, uuid, NULL);
            else if (optTitle)
                virshTableAddRow(table, idStr, virDomainGetName(dom), stateStr, title, NULL);
            else if (optUUID)
                virshTableAddRow(table, idStr, virDomainGetName(dom), stateStr, uuid, NULL);
            else
                virshTableAddRow(table, idStr, virDomainGetName(dom), stateStr, NULL);
        } else {
            const char *sep = "";

            /* with --id alone, inactive domains (no ID) are left out */
            if (optID && !optUUID && !optName && id == (unsigned int) -1)
                continue;
            if (optUUID) {
                virshPrint(ctl, "%s", uuid);
                sep = " ";
            }
            if (optID) {
                virshPrint(ctl, "%s%s", sep, idStr);
                sep = " ";
            }
            if (optName)
                virshPrint(ctl, "%s%s", sep, virDomainGetName(dom));
            virshPrint(ctl, "\n");
        }
    }

    if (optTable) {
        g_autofree char *text = virshTableFormat(table, !ctl->quiet);

        virshPrint(ctl, "%s", text);
    }
    return true;
}

static const virshOptDef opts_dominfo[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = NULL}
};

static bool
cmdDominfo(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *ostype = NULL;
    char **messages = NULL;
    unsigned int id;
    int persistent;
    int autostart;
    int saved;
    int nmsgs;
    bool ret = true;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        virshPrint(ctl, "%-15s %s\n", "Id:", "-");
    else
        virshPrint(ctl, "%-15s %d\n", "Id:", id);
    virshPrint(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        virshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        virshPrint(ctl, "%-15s %s\n", "OS Type:", ostype);

    if (virDomainGetInfo(dom, &info) == 0) {
        virshPrint(ctl, "%-15s %s\n", "State:", virshDomainStateName(info.state));
        virshPrint(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            virshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            virshPrint(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            virshPrint(ctl, "%-15s %s\n", "Max memory:", "no limit");
        virshPrint(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    persistent = virDomainIsPersistent(dom);
    if (persistent < 0)
        virshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        virshPrint(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");

    if (virDomainGetAutostart(dom, &autostart) == 0)
        virshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");

    saved = virDomainHasManagedSaveImage(dom, 0);
    if (saved < 0)
        virshPrint(ctl, "%-15s %s\n", "Managed save:", "unknown");
    else
        virshPrint(ctl, "%-15s %s\n", "Managed save:", saved ? "yes" : "no");

    memset(&secmodel, 0, sizeof(secmodel));
    if (virNodeGetSecurityModel(ctl->conn, &secmodel) < 0) {
        if (virshLastErrorCode(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        virshResetLibvirtError(ctl);
    } else if (secmodel.model[0] != '\0') {
        g_autofree virSecurityLabel *label = g_new0(virSecurityLabel, 1);

        virshPrint(ctl, "%-15s %s\n", "Security model:", secmodel.model);
        virshPrint(ctl, "%-15s %s\n", "Security DOI:", secmodel.doi);
        if (virDomainGetSecurityLabel(dom, label) < 0)
            return false;
        if (label->label[0] != '\0')
            virshPrint(ctl, "%-15s %s (%s)\n", "Security label:", label->label,
                       label->enforcing ? "enforcing" : "permissive");
    }

    nmsgs = virDomainGetMessages(dom, &messages, 0);
    if (nmsgs > 0) {
        for (int i = 0; i < nmsgs; i++)
            virshPrint(ctl, "%-15s %s\n", i == 0 ? "Messages:" : "", messages[i]);
    }
    for (int i = 0; i < nmsgs; i++)
        free(messages[i]);
    free(messages);
    /* a server without messages is not an error for dominfo */
    if (nmsgs < 0)
        virshResetLibvirtError(ctl);

    return ret;
}

static const virshOptDef opts_domstate[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "reason", .type = VIRSH_OT_BOOL, .help = "also print reason for the state"},
    {.name = NULL}
};

static bool
cmdDomstate(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    int state;
    int reason;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;
    if ((state = virshDomainState(ctl, dom, &reason)) < 0)
        return false;
    if (virshCmdOptBool(cmd, "reason"))
        virshPrint(ctl, "%s (%s)\n", virshDomainStateName(state),
                   virshDomainStateReasonName(state, reason));
    else
        virshPrint(ctl, "%s\n", virshDomainStateName(state));
    return true;
}

static const virshOptDef opts_domifaddr[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "interface", .type = VIRSH_OT_STRING,
     .help = "only the interface with this name"},
    {.name = "full", .type = VIRSH_OT_BOOL,
     .help = "repeat the interface name and MAC on every address line"},
    {.name = "source", .type = VIRSH_OT_STRING,
     .help = "where addresses come from: 'lease', 'agent' or 'arp'"},
    {.name = NULL}
};

static bool
cmdDomifaddr(virshControl *ctl, const virshCmd *cmd)
{
    static const char * const sources[] = { "lease", "agent", "arp" };
    g_autoptr(virshDomain) dom = NULL;
    const char *ifname = virshCmdOptString(cmd, "interface");
    const char *srcname = virshCmdOptString(cmd, "source");
    bool full = virshCmdOptBool(cmd, "full");
    virDomainInterfacePtr *ifaces = NULL;
    int source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE;
    int n;

    if (srcname) {
        for (source = 0; source < (int)G_N_ELEMENTS(sources); source++) {
            if (strcmp(srcname, sources[source]) == 0)
                break;
        }
        if (source == (int)G_N_ELEMENTS(sources)) {
            virshError(ctl, "Unknown data source '%s'", srcname);
            return false;
        }
    }
    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;
    if ((n = virDomainInterfaceAddresses(dom, &ifaces, source, 0)) < 0) {
        virshError(ctl, "Failed to query for interfaces addresses");
        return false;
    }
    virshPrintExtra(ctl, " %-10s %-20s %-8s     %s\n%s%s\n", "Name", "MAC address",
                    "Protocol", "Address", "-------------------------------------------------",
                    "------------------------------");
    for (int i = 0; i < n; i++) {
        virDomainInterfacePtr iface = ifaces[i];

        if (ifname && strcmp(ifname, iface->name) != 0)
            continue;
        if (!iface->naddrs) {
            virshPrint(ctl, " %-10s %-17s    %-12s %s\n", iface->name,
                       iface->hwaddr ? iface->hwaddr : "N/A", "N/A", "N/A");
            continue;
        }
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            const char *type = iface->addrs[j].type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6" : "ipv4";
            g_autofree char *addr = g_strdup_printf("%-12s %s/%d", type, iface->addrs[j].addr,
                                                    iface->addrs[j].prefix);

            if (full || j == 0)
                virshPrint(ctl, " %-10s %-17s    %s\n", iface->name,
                           iface->hwaddr ? iface->hwaddr : "", addr);
            else
                virshPrint(ctl, " %-10s %-17s    %s\n", "-", "-", addr);
        }
    }
    for (int i = 0; i < n; i++)
        virDomainInterfaceFree(ifaces[i]);
    free(ifaces);
    return true;
}

const virshCmdDef virshDomainMonitorCmds[] = {
    {.name = "domifaddr", .handler = cmdDomifaddr, .opts = opts_domifaddr,
     .help = "addresses of a running domain's network interfaces",
     .desc = "Lists the IP addresses of a running domain's network interfaces."},
    {.name = "dominfo", .handler = cmdDominfo, .opts = opts_dominfo,
     .help = "domain information", .desc = "Returns basic information about the domain."},
    {.name = "domstate", .handler = cmdDomstate, .opts = opts_domstate,
     .help = "domain state", .desc = "Returns state about a domain."},
    {.name = "list", .handler = cmdList, .opts = opts_list,
     .help = "list domains", .desc = "Returns list of domains."},
    {.name = NULL}
};
