/*
 * virsh_host: the connection and host commands of virsh: connect, uri,
 * hostname, version, capabilities, domcapabilities, maxvcpus, nodeinfo,
 * sysinfo, freecell, nodememstats and nodecpustats.  `version` prints Debian
 * virsh 9.0's lines and adds one line with modvirt's own version ("Using
 * modvirt: X.Y.Z") right after the library line, so parsers that look for
 * the usual prefixes keep working; every other command prints exactly what
 * that virsh prints.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "virsh_domain.h"

const virshOptDef virshConnectOpts[] = {
    {.name = "name", .type = VIRSH_OT_STRING, .help = "hypervisor connection URI"},
    {.name = "readonly", .type = VIRSH_OT_BOOL, .help = "read-only connection"},
    {.name = NULL}
};

bool
cmdHostConnect(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = virshCmdOptString(cmd, "name");
    bool ro = virshCmdOptBool(cmd, "readonly");

    return virshReconnect(ctl, name, ro, true) == 0;
}

static bool
cmdHostURI(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        virshError(ctl, "%s", "failed to get URI");
        return false;
    }
    virshPrint(ctl, "%s\n", uri);
    return true;
}

static bool
cmdHostHostname(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(ctl->conn);

    if (!hostname) {
        virshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    virshPrint(ctl, "%s\n", hostname);
    return true;
}

static bool
cmdHostVersion(virshControl *ctl, const virshCmd *cmd)
{
    const char *hvType = virConnectGetType(ctl->conn);
    unsigned long libVersion = 0;
    unsigned long apiVersion = 0;
    unsigned long hvVersion = 0;
    g_autofree char *compiled = virshFormatVersion(MV_LIBVIRT_COMPAT_VERSION_NUMBER);
    g_autofree char *lib = NULL;
    g_autofree char *api = NULL;

    if (!hvType) {
        virshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    virshPrint(ctl, "Compiled against library: libvirt %s\n", compiled);

    if (virGetVersion(&libVersion, hvType, &apiVersion) < 0) {
        /* a type the library does not know still has the library's API */
        virshResetLibvirtError(ctl);
        if (virGetVersion(&libVersion, NULL, NULL) < 0) {
            virshError(ctl, "%s", "failed to get the library version");
            return false;
        }
        apiVersion = libVersion;
    }
    lib = virshFormatVersion(libVersion);
    api = virshFormatVersion(apiVersion);
    virshPrint(ctl, "Using library: libvirt %s\n", lib);
    virshPrint(ctl, "Using modvirt: %s\n", MV_VERSION);
    virshPrint(ctl, "Using API: %s %s\n", hvType, api);

    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        virshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0) {
        virshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    } else {
        g_autofree char *hv = virshFormatVersion(hvVersion);

        virshPrint(ctl, "Running hypervisor: %s %s\n", hvType, hv);
    }

    if (virshCmdOptBool(cmd, "daemon")) {
        unsigned long daemonVersion = 0;

        if (virConnectGetLibVersion(ctl->conn, &daemonVersion) < 0) {
            virshError(ctl, "%s", "failed to get the daemon version");
        } else {
            g_autofree char *d = virshFormatVersion(daemonVersion);

            virshPrint(ctl, "Running against daemon: %s\n", d);
        }
    }
    return true;
}

static const virshOptDef opts_version[] = {
    {.name = "daemon", .type = VIRSH_OT_BOOL, .help = "report daemon version too"},
    {.name = NULL}
};

static bool
cmdHostCapabilities(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);

    if (!caps) {
        virshError(ctl, "%s", "failed to get capabilities");
        return false;
    }
    virshPrint(ctl, "%s\n", caps);
    return true;
}

static const virshOptDef opts_domcapabilities[] = {
    {.name = "virttype", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "virtualization type (/domain/@type)"},
    {.name = "emulatorbin", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "path to emulator binary (/domain/devices/emulator)"},
    {.name = "arch", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "domain architecture (/domain/os/type/@arch)"},
    {.name = "machine", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "machine type (/domain/os/type/@machine)"},
    {.name = NULL}
};

static bool
cmdHostDomCapabilities(virshControl *ctl, const virshCmd *cmd)
{
    const char *virttype = NULL;
    const char *emulatorbin = NULL;
    const char *arch = NULL;
    const char *machine = NULL;
    g_autofree char *caps = NULL;

    if (virshOptStringReq(ctl, cmd, "virttype", &virttype) < 0 ||
        virshOptStringReq(ctl, cmd, "emulatorbin", &emulatorbin) < 0 ||
        virshOptStringReq(ctl, cmd, "arch", &arch) < 0 ||
        virshOptStringReq(ctl, cmd, "machine", &machine) < 0)
        return false;

    caps = virConnectGetDomainCapabilities(ctl->conn, emulatorbin, arch, machine, virttype, 0);
    if (!caps) {
        virshError(ctl, "%s", "failed to get emulator capabilities");
        return false;
    }
    virshPrint(ctl, "%s\n", caps);
    return true;
}

static const virshOptDef opts_maxvcpus[] = {
    {.name = "type", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "domain type"},
    {.name = NULL}
};

/* The domain capabilities answer first (it knows the machine type's
 * limit); the older per-type call when that fails. */
static bool
cmdHostMaxvcpus(virshControl *ctl, const virshCmd *cmd)
{
    const char *type = NULL;
    g_autofree char *caps = NULL;
    int vcpus = -1;

    if (virshOptStringReq(ctl, cmd, "type", &type) < 0)
        return false;

    if ((caps = virConnectGetDomainCapabilities(ctl->conn, NULL, NULL, NULL, type, 0))) {
        g_autofree char *max = virshXPathString(caps, "string(./vcpu[1]/@max)");
        char *end = NULL;
        long v;

        if (max && *max && (v = strtol(max, &end, 10)) >= 0 && *end == '\0' && v <= INT_MAX)
            vcpus = (int) v;
    }
    if (vcpus < 0 && (vcpus = virConnectGetMaxVcpus(ctl->conn, type)) < 0)
        return false;
    virshResetLibvirtError(ctl);
    virshPrint(ctl, "%d\n", vcpus);
    return true;
}

static bool
cmdHostNodeinfo(virshControl *ctl, const virshCmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        virshError(ctl, "%s", "failed to get node information");
        return false;
    }
    virshPrint(ctl, "%-20s %s\n", "CPU model:", info.model);
    virshPrint(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    if (info.mhz)
        virshPrint(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    virshPrint(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    virshPrint(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    virshPrint(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    virshPrint(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    virshPrint(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

static bool
cmdHostSysinfo(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *sysinfo = virConnectGetSysinfo(ctl->conn, 0);

    if (!sysinfo) {
        virshError(ctl, "%s", "failed to get sysinfo");
        return false;
    }
    virshPrint(ctl, "%s", sysinfo);
    return true;
}

static const virshOptDef opts_freecell[] = {
    {.name = "cellno", .type = VIRSH_OT_INT, .help = "NUMA cell number"},
    {.name = "all", .type = VIRSH_OT_BOOL, .help = "show free memory for all NUMA cells"},
    {.name = NULL}
};

/* The ids of the NUMA cells the capabilities list; NULL after the error. */
static GArray *
virshHostCellIds(virshControl *ctl)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(unsigned long));
    xmlDocPtr doc;
    xmlXPathContextPtr xctxt;
    xmlXPathObjectPtr obj;
    bool ok = true;

    if (!caps || !(doc = xmlReadMemory(caps, strlen(caps), "capabilities.xml", NULL,
                                       XML_PARSE_NONET | XML_PARSE_NOERROR |
                                       XML_PARSE_NOWARNING))) {
        virshError(ctl, "%s", "unable to get node capabilities");
        return NULL;
    }
    xctxt = xmlXPathNewContext(doc);
    obj = xmlXPathEval(BAD_CAST "/capabilities/host/topology/cells/cell", xctxt);
    if (!obj || obj->type != XPATH_NODESET) {
        virshError(ctl, "%s", "could not get information about NUMA topology");
        ok = false;
    }
    for (int i = 0; ok && obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
        xmlChar *val = xmlGetProp(obj->nodesetval->nodeTab[i], BAD_CAST "id");
        char *end = NULL;
        unsigned long id = 0;

        if (val && val[0] >= '0' && val[0] <= '9')
            id = strtoul((const char *) val, &end, 10);
        if (!end || *end) {
            virshError(ctl, "%s", "conversion from string failed");
            ok = false;
        } else {
            g_array_append_val(ids, id);
        }
        xmlFree(val);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xctxt);
    xmlFreeDoc(doc);
    return ok ? g_steal_pointer(&ids) : NULL;
}

static bool
cmdHostFreecell(virshControl *ctl, const virshCmd *cmd)
{
    bool all = virshCmdOptBool(cmd, "all");
    int cell = 0;
    int given;
    unsigned long long memory = 0;

    if (!virshOptExclusive(ctl, cmd, "all", "cellno"))
        return false;
    if ((given = virshOptInt(ctl, cmd, "cellno", &cell)) < 0)
        return false;

    if (all) {
        g_autoptr(GArray) ids = virshHostCellIds(ctl);
        g_autofree unsigned long long *free = NULL;

        if (!ids)
            return false;
        free = g_new0(unsigned long long, ids->len + 1);
        for (guint i = 0; i < ids->len; i++) {
            unsigned long id = g_array_index(ids, unsigned long, i);

            if (virNodeGetCellsFreeMemory(ctl->conn, &free[i], (int) id, 1) != 1) {
                virshError(ctl, "failed to get free memory for NUMA node number: %lu", id);
                return false;
            }
        }
        for (guint i = 0; i < ids->len; i++) {
            virshPrint(ctl, "%5lu: %10llu KiB\n", g_array_index(ids, unsigned long, i),
                       free[i] / 1024);
            memory += free[i];
        }
        virshPrintExtra(ctl, "--------------------\n");
        virshPrintExtra(ctl, "%5s: %10llu KiB\n", "Total", memory / 1024);
    } else if (given) {
        if (virNodeGetCellsFreeMemory(ctl->conn, &memory, cell, 1) != 1)
            return false;
        virshPrint(ctl, "%d: %llu KiB\n", cell, memory / 1024);
    } else {
        if ((memory = virNodeGetFreeMemory(ctl->conn)) == 0)
            return false;
        virshPrint(ctl, "%s: %llu KiB\n", "Total", memory / 1024);
    }
    return true;
}

static const virshOptDef opts_nodememstats[] = {
    {.name = "cell", .type = VIRSH_OT_INT, .help = "prints specified cell statistics only."},
    {.name = NULL}
};

static bool
cmdHostNodeMemStats(virshControl *ctl, const virshCmd *cmd)
{
    int cell = VIR_NODE_MEMORY_STATS_ALL_CELLS;
    int nparams = 0;
    g_autofree virNodeMemoryStats *params = NULL;

    if (virshOptInt(ctl, cmd, "cell", &cell) < 0)
        return false;
    if (virNodeGetMemoryStats(ctl->conn, cell, NULL, &nparams, 0) != 0) {
        virshError(ctl, "%s", "Unable to get number of memory stats");
        return false;
    }
    if (nparams == 0)
        return true;
    params = g_new0(virNodeMemoryStats, nparams);
    if (virNodeGetMemoryStats(ctl->conn, cell, params, &nparams, 0) != 0) {
        virshError(ctl, "%s", "Unable to get memory stats");
        return false;
    }
    for (int i = 0; i < nparams; i++)
        virshPrint(ctl, "%-7s: %20llu KiB\n", params[i].field, params[i].value);
    return true;
}

static const virshOptDef opts_nodecpustats[] = {
    {.name = "cpu", .type = VIRSH_OT_INT, .help = "prints specified cpu statistics only."},
    {.name = "percent", .type = VIRSH_OT_BOOL, .help = "prints by percentage during 1 second."},
    {.name = NULL}
};

enum { VIRSH_CPU_USER, VIRSH_CPU_SYSTEM, VIRSH_CPU_IDLE, VIRSH_CPU_IOWAIT, VIRSH_CPU_USAGE,
       VIRSH_CPU_LAST };

static bool
cmdHostNodeCpuStats(virshControl *ctl, const virshCmd *cmd)
{
    static const char *const labels[VIRSH_CPU_LAST] = {
        "user:", "system:", "idle:", "iowait:", "usage:",
    };
    static const char *const fields[VIRSH_CPU_LAST] = {
        VIR_NODE_CPU_STATS_USER, VIR_NODE_CPU_STATS_KERNEL, VIR_NODE_CPU_STATS_IDLE,
        VIR_NODE_CPU_STATS_IOWAIT, VIR_NODE_CPU_STATS_UTILIZATION,
    };
    bool percent = virshCmdOptBool(cmd, "percent");
    int cpu = VIR_NODE_CPU_STATS_ALL_CPUS;
    int nparams = 0;
    g_autofree virNodeCPUStats *params = NULL;
    unsigned long long stats[2][VIRSH_CPU_LAST] = { { 0 } };
    bool present[VIRSH_CPU_LAST] = { false };

    if (virshOptInt(ctl, cmd, "cpu", &cpu) < 0)
        return false;
    if (virNodeGetCPUStats(ctl->conn, cpu, NULL, &nparams, 0) != 0) {
        virshError(ctl, "%s", "Unable to get number of cpu stats");
        return false;
    }
    if (nparams == 0)
        return true;
    params = g_new0(virNodeCPUStats, nparams);

    for (int round = 0; round < 2; round++) {
        if (virNodeGetCPUStats(ctl->conn, cpu, params, &nparams, 0) != 0) {
            virshError(ctl, "%s", "Unable to get node cpu stats");
            return false;
        }
        for (int j = 0; j < nparams; j++) {
            for (int k = 0; k < VIRSH_CPU_LAST; k++) {
                if (strcmp(params[j].field, fields[k]) == 0) {
                    stats[round][k] = params[j].value;
                    present[k] = true;
                }
            }
        }
        if (present[VIRSH_CPU_USAGE] || !percent)
            break;
        sleep(1);
    }

    if (!percent) {
        for (int k = 0; k < VIRSH_CPU_USAGE; k++) {
            if (present[k])
                virshPrint(ctl, "%-15s %20llu\n", labels[k], stats[0][k]);
        }
    } else if (present[VIRSH_CPU_USAGE]) {
        virshPrint(ctl, "%-15s %5.1lf%%\n", "usage:", (double) stats[0][VIRSH_CPU_USAGE]);
        virshPrint(ctl, "%-15s %5.1lf%%\n", "idle:", 100 - (double) stats[0][VIRSH_CPU_USAGE]);
    } else {
        double total = 0;

        for (int k = 0; k < VIRSH_CPU_USAGE; k++)
            total += stats[1][k] - stats[0][k];
        virshPrint(ctl, "%-15s %5.1lf%%\n", "usage:",
                   (stats[1][VIRSH_CPU_USER] + stats[1][VIRSH_CPU_SYSTEM] -
                    stats[0][VIRSH_CPU_USER] - stats[0][VIRSH_CPU_SYSTEM]) / total * 100);
        for (int k = 0; k < VIRSH_CPU_USAGE; k++)
            virshPrint(ctl, "%-15s %5.1lf%%\n", labels[k],
                       (stats[1][k] - stats[0][k]) / total * 100);
    }
    return true;
}

const virshCmdDef virshHostCmds[] = {
    {.name = "capabilities", .handler = cmdHostCapabilities,
     .help = "capabilities", .desc = "Returns capabilities of hypervisor/driver."},
    {.name = "domcapabilities", .handler = cmdHostDomCapabilities, .opts = opts_domcapabilities,
     .help = "domain capabilities",
     .desc = "Returns capabilities of emulator with respect to host and libvirt."},
    {.name = "freecell", .handler = cmdHostFreecell, .opts = opts_freecell,
     .help = "NUMA free memory", .desc = "display available free memory for the NUMA cell."},
    {.name = "hostname", .handler = cmdHostHostname,
     .help = "print the hypervisor hostname"},
    {.name = "maxvcpus", .handler = cmdHostMaxvcpus, .opts = opts_maxvcpus,
     .help = "connection vcpu maximum",
     .desc = "Show maximum number of virtual CPUs for guests on this connection."},
    {.name = "nodecpustats", .handler = cmdHostNodeCpuStats, .opts = opts_nodecpustats,
     .help = "Prints cpu stats of the node.",
     .desc = "Returns cpu stats of the node, in nanoseconds."},
    {.name = "nodeinfo", .handler = cmdHostNodeinfo,
     .help = "node information", .desc = "Returns basic information about the node."},
    {.name = "nodememstats", .handler = cmdHostNodeMemStats, .opts = opts_nodememstats,
     .help = "Prints memory stats of the node.",
     .desc = "Returns memory stats of the node, in kilobytes."},
    {.name = "sysinfo", .handler = cmdHostSysinfo,
     .help = "print the hypervisor sysinfo",
     .desc = "output an XML string for the hypervisor sysinfo, if available"},
    {.name = "uri", .handler = cmdHostURI,
     .help = "print the hypervisor canonical URI"},
    {.name = "version", .handler = cmdHostVersion, .opts = opts_version,
     .help = "show version", .desc = "Display the system version information."},
    {.name = NULL}
};
