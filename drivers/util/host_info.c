/*
 * host_info: see host_info.h.
 *
 * Memory is counted the way libvirt counts it: when the kernel exposes NUMA
 * nodes, totals are sums over every NUMA node's meminfo file in sysfs (which
 * can be less than /proc/meminfo's MemTotal on hosts with memory outside any
 * node); otherwise /proc/meminfo.  CPU topology comes from each CPU's
 * topology/ directory; where it does not multiply out to the online count,
 * libvirt's fallback (one node, one socket, every CPU a core) is used.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host_info.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_uuid.h"

#define MV_FROM_THIS VIR_FROM_NONE

#define HOST_MAX_FILE (4 * 1024 * 1024)
#define HOST_MAX_CPUS 8192
#define HOST_MAX_NODES 1024

static char *hostRoot;

void
mvHostInfoSetRoot(const char *prefix)
{
    g_free(hostRoot);
    hostRoot = (prefix && *prefix) ? g_strdup(prefix) : NULL;
}

static char *
hostPath(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static char *
hostPath(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *path = NULL;

    va_start(ap, fmt);
    path = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_strconcat(hostRoot ? hostRoot : "", path, NULL);
}

/* The whole file, or NULL: reported unless @optional and it is missing. */
static char *
hostRead(const char *path, bool optional)
{
    char *data = NULL;

    if (optional && access(path, R_OK) < 0)
        return NULL;
    if (mvFileReadAll(path, HOST_MAX_FILE, &data, NULL) < 0) {
        if (optional)
            mvErrorReset();
        return NULL;
    }
    return data;
}

/* A one-line sysfs value, stripped; NULL when missing. */
static char *
hostReadValue(const char *path)
{
    char *data = hostRead(path, true);

    return data ? g_strstrip(data) : NULL;
}

static bool
hostReadUInt(const char *path, unsigned long long *value)
{
    g_autofree char *data = hostReadValue(path);
    char *end;

    if (!data || !*data)
        return false;
    errno = 0;
    *value = strtoull(data, &end, 0);
    return errno == 0 && end != data;
}

/* Parses a kernel CPU list ("0-3,8") into a sorted set of ids. */
static GArray *
hostParseCPUList(const char *list)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    g_auto(GStrv) parts = g_strsplit(list ? list : "", ",", -1);

    for (size_t i = 0; parts[i]; i++) {
        unsigned long a, b;
        char *end;

        g_strstrip(parts[i]);
        if (!*parts[i])
            continue;
        a = strtoul(parts[i], &end, 10);
        b = a;
        if (*end == '-')
            b = strtoul(end + 1, &end, 10);
        for (unsigned long c = a; c <= b && c < HOST_MAX_CPUS; c++) {
            unsigned int v = c;
            g_array_append_val(ids, v);
        }
    }
    return ids;
}

static GArray *
hostOnlineCPUs(void)
{
    g_autofree char *path = hostPath("/sys/devices/system/cpu/online");
    g_autofree char *list = hostReadValue(path);

    if (!list) {
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(unsigned int));
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        for (unsigned int i = 0; i < (n > 0 ? (unsigned int)n : 1); i++)
            g_array_append_val(ids, i);
        return ids;
    }
    return hostParseCPUList(list);
}

/* The NUMA node ids present, sorted; empty when the host has no node sysfs. */
static GArray *
hostNodeIds(void)
{
    g_autofree char *path = hostPath("/sys/devices/system/node/online");
    g_autofree char *list = hostReadValue(path);

    return hostParseCPUList(list);
}

/* "Key: 123 kB" lines of a meminfo file (node files prefix "Node N "). */
static bool
hostMeminfoGet(const char *data, const char *key, unsigned long long *kib)
{
    g_autofree char *needle = g_strdup_printf("%s:", key);
    const char *p = data;

    while (p && *p) {
        const char *eol = strchr(p, '\n');
        const char *k = p;

        if (g_str_has_prefix(k, "Node ")) {
            k = strchr(k + 5, ' ');
            k = k ? k + 1 : p;
        }
        if (g_str_has_prefix(k, needle)) {
            *kib = strtoull(k + strlen(needle), NULL, 10);
            return true;
        }
        p = eol ? eol + 1 : NULL;
    }
    return false;
}

static char *
hostNodeMeminfo(unsigned int node)
{
    g_autofree char *path = hostPath("/sys/devices/system/node/node%u/meminfo", node);

    return hostRead(path, false);
}

static char *
hostProcMeminfo(void)
{
    g_autofree char *path = hostPath("/proc/meminfo");

    return hostRead(path, false);
}

/* Total and free KiB over all nodes (or /proc/meminfo without NUMA). */
static int
hostMemoryTotals(unsigned long long *total, unsigned long long *freeKiB)
{
    g_autoptr(GArray) nodes = hostNodeIds();
    unsigned long long t = 0, f = 0;

    if (nodes->len == 0) {
        g_autofree char *data = hostProcMeminfo();
        if (!data)
            return -1;
        hostMeminfoGet(data, "MemTotal", &t);
        hostMeminfoGet(data, "MemFree", &f);
    }
    for (guint i = 0; i < nodes->len; i++) {
        g_autofree char *data = hostNodeMeminfo(g_array_index(nodes, unsigned int, i));
        unsigned long long v;

        if (!data)
            return -1;
        if (hostMeminfoGet(data, "MemTotal", &v))
            t += v;
        if (hostMeminfoGet(data, "MemFree", &v))
            f += v;
    }
    if (total)
        *total = t;
    if (freeKiB)
        *freeKiB = f;
    return 0;
}

/* ---- /proc/cpuinfo ---- */

/* The value of @key in the first processor block. */
static char *
hostCpuinfoGet(const char *data, const char *key)
{
    const char *p = data;
    size_t klen = strlen(key);

    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);

        if (len == 0 && p != data)
            break;              /* end of the first processor */
        if (strncmp(p, key, klen) == 0 && (p[klen] == ' ' || p[klen] == '\t' ||
                                           p[klen] == ':')) {
            const char *colon = memchr(p, ':', len);
            if (colon) {
                g_autofree char *v = g_strndup(colon + 1, len - (colon + 1 - p));
                return g_strdup(g_strstrip(v));
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

static char *
hostCpuinfo(void)
{
    g_autofree char *path = hostPath("/proc/cpuinfo");

    return hostRead(path, false);
}

/* ---- node info ---- */

typedef struct {
    int package, core, die;
    unsigned int node;
} hostCPUTopo;

static void
hostCPUTopology(unsigned int cpu, hostCPUTopo *topo)
{
    g_autofree char *pkg = hostPath("/sys/devices/system/cpu/cpu%u/topology/physical_package_id",
                                    cpu);
    g_autofree char *core = hostPath("/sys/devices/system/cpu/cpu%u/topology/core_id", cpu);
    g_autofree char *die = hostPath("/sys/devices/system/cpu/cpu%u/topology/die_id", cpu);
    unsigned long long v;

    topo->package = hostReadUInt(pkg, &v) ? (int)v : 0;
    topo->core = hostReadUInt(core, &v) ? (int)v : (int)cpu;
    topo->die = hostReadUInt(die, &v) ? (int)v : 0;
}

int
mvHostGetNodeInfo(mvNodeInfo *info)
{
    g_autoptr(GArray) cpus = hostOnlineCPUs();
    g_autoptr(GArray) nodes = hostNodeIds();
    g_autoptr(GHashTable) packages = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) cores = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *cpuinfo = hostCpuinfo();
    g_autofree char *mhz = NULL;
    mvNodeInfo out = { 0 };
    struct utsname u;
    unsigned int npkg, ncore;

    if (!cpuinfo || hostMemoryTotals(&out.memoryKiB, NULL) < 0)
        return -1;
    if (uname(&u) == 0)
        g_strlcpy(out.model, u.machine, sizeof(out.model));
    if ((mhz = hostCpuinfoGet(cpuinfo, "cpu MHz")))
        out.mhz = strtoul(mhz, NULL, 10);

    for (guint i = 0; i < cpus->len; i++) {
        hostCPUTopo t;
        hostCPUTopology(g_array_index(cpus, unsigned int, i), &t);
        g_hash_table_add(packages, g_strdup_printf("%d", t.package));
        g_hash_table_add(cores, g_strdup_printf("%d:%d:%d", t.package, t.die, t.core));
    }
    npkg = MAX(g_hash_table_size(packages), 1);
    ncore = MAX(g_hash_table_size(cores), 1);
    out.cpus = cpus->len;
    out.nodes = MAX(nodes->len, 1);
    out.sockets = MAX(npkg / out.nodes, 1);
    out.cores = MAX(ncore / npkg, 1);
    out.threads = MAX(cpus->len / ncore, 1);
    if (out.nodes * out.sockets * out.cores * out.threads != out.cpus) {
        /* libvirt's answer when the topology does not add up */
        out.nodes = 1;
        out.sockets = 1;
        out.cores = out.cpus;
        out.threads = 1;
    }
    *info = out;
    return 0;
}

/* ---- memory ---- */

int
mvHostGetCellsFreeMemory(unsigned long long *freeMems, int startCell, int maxCells)
{
    g_autoptr(GArray) nodes = hostNodeIds();
    int lastCell = nodes->len ? (int)g_array_index(nodes, unsigned int, nodes->len - 1) : 0;
    int n = 0;

    if (startCell < 0 || startCell > lastCell) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "start cell %d out of range (0-%d)",
                      startCell, lastCell);
        return -1;
    }
    for (int cell = startCell; cell <= lastCell && n < maxCells; cell++) {
        g_autofree char *data = nodes->len ? hostNodeMeminfo(cell) : hostProcMeminfo();
        unsigned long long kib = 0;

        if (!data)
            return -1;
        hostMeminfoGet(data, "MemFree", &kib);
        freeMems[n++] = kib * 1024;
    }
    return n;
}

unsigned long long
mvHostGetFreeMemory(void)
{
    unsigned long long freeKiB = 0;

    if (hostMemoryTotals(NULL, &freeKiB) < 0)
        return 0;
    return freeKiB * 1024;
}

static void
hostStatSet(mvHostStat *stat, const char *field, unsigned long long value)
{
    g_strlcpy(stat->field, field, sizeof(stat->field));
    stat->value = value;
}

int
mvHostGetMemoryStats(int cellNum, mvHostStat *params, int *nparams)
{
    static const char * const keys[] = { "MemTotal", "MemFree", "Buffers", "Cached" };
    static const char * const fields[] = { "total", "free", "buffers", "cached" };
    g_autoptr(GArray) nodes = hostNodeIds();
    int lastCell = nodes->len ? (int)g_array_index(nodes, unsigned int, nodes->len - 1) : 0;
    int count = cellNum == -1 ? 4 : 2;
    g_autofree char *data = NULL;

    if (cellNum != -1 && (cellNum < 0 || cellNum > lastCell)) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "cellNum in virHostMemGetStats must be less than or equal to %d",
                      lastCell);
        return -1;
    }
    if (*nparams == 0) {
        *nparams = count;
        return 0;
    }
    if (*nparams < count) {
        mvReportError(VIR_ERR_INVALID_ARG, "nparams in virNodeGetMemoryStats must be %d",
                      count);
        return -1;
    }
    if (cellNum == -1 || nodes->len == 0)
        data = hostProcMeminfo();
    else
        data = hostNodeMeminfo(cellNum);
    if (!data)
        return -1;
    for (int i = 0; i < count; i++) {
        unsigned long long v = 0;
        hostMeminfoGet(data, keys[i], &v);
        hostStatSet(&params[i], fields[i], v);
    }
    *nparams = count;
    return 0;
}

/* ---- CPU ---- */

int
mvHostGetCPUStats(int cpuNum, mvHostStat *params, int *nparams)
{
    g_autofree char *path = hostPath("/proc/stat");
    g_autofree char *data = NULL;
    g_autofree char *prefix = cpuNum == -1 ? g_strdup("cpu ") : g_strdup_printf("cpu%d ", cpuNum);
    g_auto(GStrv) lines = NULL;
    long tck = sysconf(_SC_CLK_TCK);
    unsigned long long ns = 1000000000ULL / (unsigned long long)(tck > 0 ? tck : 100);

    if (*nparams == 0) {
        *nparams = 4;
        return 0;
    }
    if (*nparams < 4) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s", "nparams in virNodeGetCPUStats must be 4");
        return -1;
    }
    if (cpuNum < -1) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s", "Invalid cpuNum in virHostCPUGetStatsLinux");
        return -1;
    }
    if (!(data = hostRead(path, false)))
        return -1;
    lines = g_strsplit(data, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, soft = 0;

        if (!g_str_has_prefix(lines[i], prefix))
            continue;
        sscanf(lines[i] + strlen(prefix), "%llu %llu %llu %llu %llu %llu %llu",
               &user, &nice, &sys, &idle, &iowait, &irq, &soft);
        hostStatSet(&params[0], "kernel", (sys + irq + soft) * ns);
        hostStatSet(&params[1], "user", (user + nice) * ns);
        hostStatSet(&params[2], "idle", idle * ns);
        hostStatSet(&params[3], "iowait", iowait * ns);
        *nparams = 4;
        return 0;
    }
    mvReportError(VIR_ERR_INVALID_ARG, "%s", "Invalid cpuNum in virHostCPUGetStatsLinux");
    return -1;
}

int
mvHostGetCPUMap(unsigned char **cpumap, unsigned int *online)
{
    g_autofree char *path = hostPath("/sys/devices/system/cpu/present");
    g_autofree char *present = hostReadValue(path);
    g_autoptr(GArray) on = hostOnlineCPUs();
    g_autoptr(GArray) pres = present ? hostParseCPUList(present) : NULL;
    g_autofree unsigned char *map = NULL;
    unsigned int ncpus = 0;

    for (guint i = 0; pres && i < pres->len; i++)
        ncpus = MAX(ncpus, g_array_index(pres, unsigned int, i) + 1);
    for (guint i = 0; i < on->len; i++)
        ncpus = MAX(ncpus, g_array_index(on, unsigned int, i) + 1);
    map = g_new0(unsigned char, (ncpus + 7) / 8 + 1);
    for (guint i = 0; i < on->len; i++) {
        unsigned int c = g_array_index(on, unsigned int, i);
        map[c / 8] |= 1 << (c % 8);
    }
    if (online)
        *online = on->len;
    if (cpumap)
        *cpumap = g_steal_pointer(&map);
    return ncpus;
}

/* Rough CPU model guess: the newest generation whose tell-tale flags the
 * host has (Linux flag names), then the TSX / IBRS variant QEMU names. */
typedef struct {
    const char *vendor;
    const char *name;
    const char *flags;          /* space separated, all required */
    bool tsxVariants;           /* has "-noTSX" forms */
    bool ibrsVariants;          /* has "-IBRS" forms */
} hostCPUGeneration;

static const hostCPUGeneration hostGenerations[] = {
    { "Intel", "Icelake-Server", "mpx avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni "
      "avx512_bitalg avx512_vpopcntdq pku wbnoinvd", true, false },
    { "Intel", "Cascadelake-Server", "mpx avx512f avx512_vnni clwb pku", true, false },
    { "Intel", "Skylake-Server", "mpx avx512f avx512dq avx512bw avx512vl clwb pku", true, true },
    { "Intel", "Skylake-Client", "mpx xsavec clflushopt", true, true },
    { "Intel", "Broadwell", "adx rdseed smap 3dnowprefetch avx2", true, true },
    { "Intel", "Haswell", "avx2 bmi1 bmi2 fma movbe invpcid fsgsbase", true, true },
    { "Intel", "IvyBridge", "f16c rdrand fsgsbase avx", false, true },
    { "Intel", "SandyBridge", "avx xsave aes pclmulqdq", false, true },
    { "Intel", "Westmere", "aes pclmulqdq sse4_2 popcnt", false, true },
    { "Intel", "Nehalem", "sse4_2 popcnt", false, true },
    { "Intel", "Penryn", "sse4_1 ssse3", false, false },
    { "Intel", "Conroe", "ssse3", false, false },
    { "AMD", "EPYC-Milan", "pku erms fsrm invpcid vaes", false, false },
    { "AMD", "EPYC-Rome", "clwb wbnoinvd umip rdpid", false, false },
    { "AMD", "EPYC", "sha_ni xsavec clzero", false, false },
    { "AMD", "Opteron_G5", "fma4 tbm f16c", false, false },
    { "AMD", "Opteron_G4", "fma4 xop avx", false, false },
    { "AMD", "Opteron_G3", "sse4a misalignsse", false, false },
    { "AMD", "Opteron_G2", "cx16 lahf_lm", false, false },
    { "Hygon", "Dhyana", "sha_ni xsavec", false, false },
};

static bool
hostHasFlags(GHashTable *flags, const char *required)
{
    g_auto(GStrv) need = g_strsplit(required, " ", -1);

    for (size_t i = 0; need[i]; i++) {
        if (*need[i] && !g_hash_table_contains(flags, need[i]))
            return false;
    }
    return true;
}

static char *
hostGuessCPUModel(const char *vendor, GHashTable *flags)
{
    bool tsx = g_hash_table_contains(flags, "hle") && g_hash_table_contains(flags, "rtm");
    bool ibrs = g_hash_table_contains(flags, "ibrs") || g_hash_table_contains(flags, "spec_ctrl");

    for (size_t i = 0; i < G_N_ELEMENTS(hostGenerations); i++) {
        const hostCPUGeneration *g = &hostGenerations[i];

        if (g_strcmp0(g->vendor, vendor) != 0 || !hostHasFlags(flags, g->flags))
            continue;
        if (g->tsxVariants && !tsx) {
            /* Skylake has no plain -noTSX form: only -noTSX-IBRS */
            bool needIBRS = g_str_has_prefix(g->name, "Skylake");
            if (g->ibrsVariants && (ibrs || needIBRS))
                return g_strdup_printf("%s-noTSX-IBRS", g->name);
            return g_strdup_printf("%s-noTSX", g->name);
        }
        if (g->ibrsVariants && ibrs)
            return g_strdup_printf("%s-IBRS", g->name);
        return g_strdup(g->name);
    }
    return g_strdup(g_hash_table_contains(flags, "lm") ? "qemu64" : "qemu32");
}

static const char *
hostVendorName(const char *vendorId)
{
    if (g_strcmp0(vendorId, "GenuineIntel") == 0)
        return "Intel";
    if (g_strcmp0(vendorId, "AuthenticAMD") == 0)
        return "AMD";
    if (g_strcmp0(vendorId, "HygonGenuine") == 0)
        return "Hygon";
    if (g_strcmp0(vendorId, "CentaurHauls") == 0)
        return "VIA";
    return vendorId;
}

int
mvHostGetHostCPU(char **vendor, char **model, GPtrArray **features)
{
    g_autofree char *cpuinfo = hostCpuinfo();
    g_autofree char *vendorId = NULL;
    g_autofree char *flagLine = NULL;
    g_auto(GStrv) flagv = NULL;
    g_autoptr(GHashTable) flags = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);
    const char *vname;

    if (!cpuinfo)
        return -1;
    vendorId = hostCpuinfoGet(cpuinfo, "vendor_id");
    flagLine = hostCpuinfoGet(cpuinfo, "flags");
    flagv = g_strsplit(flagLine ? flagLine : "", " ", -1);
    for (size_t i = 0; flagv[i]; i++) {
        if (!*flagv[i])
            continue;
        g_hash_table_add(flags, flagv[i]);
        g_ptr_array_add(list, g_strdup(flagv[i]));
    }
    vname = hostVendorName(vendorId);
    if (model)
        *model = vname ? hostGuessCPUModel(vname, flags) : NULL;
    if (vendor)
        *vendor = g_strdup(vname);
    if (features)
        *features = g_steal_pointer(&list);
    return 0;
}

int
mvHostGetCPUSignature(mvHostCPUSignature *sig)
{
    g_autofree char *cpuinfo = hostCpuinfo();
    g_autofree char *family = NULL;
    g_autofree char *model = NULL;
    g_autofree char *stepping = NULL;
    g_autofree char *microcode = NULL;
    mvHostCPUSignature out = { 0 };

    if (!cpuinfo)
        return -1;
    family = hostCpuinfoGet(cpuinfo, "cpu family");
    model = hostCpuinfoGet(cpuinfo, "model");
    stepping = hostCpuinfoGet(cpuinfo, "stepping");
    microcode = hostCpuinfoGet(cpuinfo, "microcode");
    if (family && model && stepping) {
        out.hasSignature = true;
        out.family = strtoul(family, NULL, 10);
        out.model = strtoul(model, NULL, 10);
        out.stepping = strtoul(stepping, NULL, 10);
    }
    if (microcode) {
        out.hasMicrocode = true;
        out.microcode = strtoul(microcode, NULL, 0);
    }
    *sig = out;
    return 0;
}

/* ---- NUMA cells ---- */

void
mvHostCellFree(mvHostCell *cell)
{
    if (!cell)
        return;
    if (cell->distances)
        g_array_unref(cell->distances);
    if (cell->hugepages)
        g_array_unref(cell->hugepages);
    if (cell->cpus)
        g_ptr_array_unref(cell->cpus);
    g_free(cell);
}

static void
hostCellCPUFree(mvHostCellCPU *cpu)
{
    g_free(cpu->siblings);
    g_free(cpu);
}

static gint
hostCompareUInt(gconstpointer a, gconstpointer b)
{
    unsigned int x = *(const unsigned int *)a;
    unsigned int y = *(const unsigned int *)b;

    return x < y ? -1 : x > y;
}

GArray *
mvHostGetHugePageSizes(void)
{
    g_autofree char *path = hostPath("/sys/kernel/mm/hugepages");
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        unsigned int kib;
        if (sscanf(name, "hugepages-%ukB", &kib) == 1)
            g_array_append_val(sizes, kib);
    }
    g_array_sort(sizes, hostCompareUInt);
    return sizes;
}

static void
hostCellFillCPUs(mvHostCell *cell, GArray *cpuIds)
{
    for (guint i = 0; i < cpuIds->len; i++) {
        unsigned int id = g_array_index(cpuIds, unsigned int, i);
        g_autofree char *sibPath =
            hostPath("/sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", id);
        g_autofree char *sib = hostReadValue(sibPath);
        mvHostCellCPU *cpu = g_new0(mvHostCellCPU, 1);
        hostCPUTopo t;

        hostCPUTopology(id, &t);
        cpu->id = id;
        cpu->socketId = t.package;
        cpu->dieId = t.die;
        cpu->coreId = t.core;
        cpu->siblings = sib ? g_steal_pointer(&sib) : g_strdup_printf("%u", id);
        g_ptr_array_add(cell->cpus, cpu);
    }
}

static mvHostCell *
hostCellNew(unsigned int id)
{
    mvHostCell *cell = g_new0(mvHostCell, 1);

    cell->id = id;
    cell->distances = g_array_new(FALSE, FALSE, sizeof(unsigned int));
    cell->hugepages = g_array_new(FALSE, FALSE, sizeof(mvHostPages));
    cell->cpus = g_ptr_array_new_with_free_func((GDestroyNotify)hostCellCPUFree);
    return cell;
}

/* Page counts of one cell: base pages for what huge pages do not take. */
static void
hostCellFillPages(mvHostCell *cell, bool numa, GArray *sizes)
{
    unsigned long long hugeKiB = 0;
    long pageKiB = sysconf(_SC_PAGESIZE) / 1024;
    mvHostPages base = { .sizeKiB = pageKiB > 0 ? pageKiB : 4 };

    g_array_append_val(cell->hugepages, base);
    for (guint i = 0; i < sizes->len; i++) {
        unsigned int kib = g_array_index(sizes, unsigned int, i);
        g_autofree char *path = numa ?
            hostPath("/sys/devices/system/node/node%u/hugepages/hugepages-%ukB/nr_hugepages",
                     cell->id, kib) :
            hostPath("/sys/kernel/mm/hugepages/hugepages-%ukB/nr_hugepages", kib);
        mvHostPages p = { .sizeKiB = kib };

        hostReadUInt(path, &p.count);
        hugeKiB += p.count * kib;
        g_array_append_val(cell->hugepages, p);
    }
    g_array_index(cell->hugepages, mvHostPages, 0).count =
        (cell->memoryKiB > hugeKiB ? cell->memoryKiB - hugeKiB : 0) / base.sizeKiB;
}

GPtrArray *
mvHostGetCells(void)
{
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func((GDestroyNotify)mvHostCellFree);
    g_autoptr(GArray) nodes = hostNodeIds();
    g_autoptr(GArray) sizes = mvHostGetHugePageSizes();

    if (nodes->len == 0) {
        g_autofree char *data = hostProcMeminfo();
        g_autoptr(GArray) cpus = hostOnlineCPUs();
        mvHostCell *cell = hostCellNew(0);
        unsigned int ten = 10;

        g_ptr_array_add(cells, cell);
        if (!data)
            return NULL;
        hostMeminfoGet(data, "MemTotal", &cell->memoryKiB);
        hostMeminfoGet(data, "MemFree", &cell->freeKiB);
        g_array_append_val(cell->distances, ten);
        hostCellFillCPUs(cell, cpus);
        hostCellFillPages(cell, false, sizes);
        return g_steal_pointer(&cells);
    }
    for (guint i = 0; i < nodes->len && i < HOST_MAX_NODES; i++) {
        unsigned int id = g_array_index(nodes, unsigned int, i);
        g_autofree char *data = hostNodeMeminfo(id);
        g_autofree char *cpuPath = hostPath("/sys/devices/system/node/node%u/cpulist", id);
        g_autofree char *cpuList = hostReadValue(cpuPath);
        g_autofree char *distPath = hostPath("/sys/devices/system/node/node%u/distance", id);
        g_autofree char *dist = hostReadValue(distPath);
        g_auto(GStrv) dists = g_strsplit(dist ? dist : "", " ", -1);
        g_autoptr(GArray) cpus = hostParseCPUList(cpuList);
        mvHostCell *cell = hostCellNew(id);

        g_ptr_array_add(cells, cell);
        if (!data)
            return NULL;
        hostMeminfoGet(data, "MemTotal", &cell->memoryKiB);
        hostMeminfoGet(data, "MemFree", &cell->freeKiB);
        for (size_t d = 0; dists[d]; d++) {
            unsigned int v;
            if (!*dists[d])
                continue;
            v = strtoul(dists[d], NULL, 10);
            g_array_append_val(cell->distances, v);
        }
        hostCellFillCPUs(cell, cpus);
        hostCellFillPages(cell, true, sizes);
    }
    return g_steal_pointer(&cells);
}

/* ---- caches ---- */

void
mvHostCacheBankFree(mvHostCacheBank *bank)
{
    if (!bank)
        return;
    g_free(bank->type);
    g_free(bank->unit);
    g_free(bank->cpus);
    g_free(bank);
}

/* Sizes as libvirt prints them: the largest unit that divides exactly. */
static void
hostCacheSize(unsigned long long bytes, unsigned long long *size, char **unit)
{
    static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    size_t u = 0;

    while (u + 1 < G_N_ELEMENTS(units) && bytes >= 1024 && bytes % 1024 == 0) {
        bytes /= 1024;
        u++;
    }
    *size = bytes;
    *unit = g_strdup(units[u]);
}

GPtrArray *
mvHostGetCacheBanks(void)
{
    GPtrArray *banks = g_ptr_array_new_with_free_func((GDestroyNotify)mvHostCacheBankFree);
    g_autoptr(GArray) cpus = hostOnlineCPUs();
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < cpus->len; i++) {
        unsigned int cpu = g_array_index(cpus, unsigned int, i);

        for (unsigned int idx = 0; idx < 16; idx++) {
            g_autofree char *dir = hostPath("/sys/devices/system/cpu/cpu%u/cache/index%u",
                                            cpu, idx);
            g_autofree char *levelPath = g_build_filename(dir, "level", NULL);
            g_autofree char *idPath = g_build_filename(dir, "id", NULL);
            g_autofree char *typePath = g_build_filename(dir, "type", NULL);
            g_autofree char *sizePath = g_build_filename(dir, "size", NULL);
            g_autofree char *cpusPath = g_build_filename(dir, "shared_cpu_list", NULL);
            g_autofree char *type = NULL;
            g_autofree char *sizeStr = NULL;
            unsigned long long level, id;
            mvHostCacheBank *bank;

            if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
                continue;
            if (!hostReadUInt(levelPath, &level) || level < 3 || !hostReadUInt(idPath, &id))
                continue;
            if (!g_hash_table_add(seen, g_strdup_printf("%llu:%llu", level, id)))
                continue;
            type = hostReadValue(typePath);
            sizeStr = hostReadValue(sizePath);
            bank = g_new0(mvHostCacheBank, 1);
            bank->id = id;
            bank->level = level;
            bank->type = g_strdup(g_strcmp0(type, "Data") == 0 ? "data" :
                                  g_strcmp0(type, "Instruction") == 0 ? "code" : "both");
            hostCacheSize(sizeStr ? strtoull(sizeStr, NULL, 10) *
                          (strchr(sizeStr, 'K') ? 1024 : strchr(sizeStr, 'M') ? 1048576 : 1) : 0,
                          &bank->size, &bank->unit);
            bank->cpus = hostReadValue(cpusPath);
            if (!bank->cpus)
                bank->cpus = g_strdup_printf("%u", cpu);
            g_ptr_array_add(banks, bank);
        }
    }
    return banks;
}

bool
mvHostHasIOMMU(void)
{
    g_autofree char *path = hostPath("/sys/kernel/iommu_groups");
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);

    return dir && g_dir_read_name(dir) != NULL;
}

int
mvHostGetUUID(unsigned char *uuid)
{
    g_autofree char *dmiPath = hostPath("/sys/class/dmi/id/product_uuid");
    g_autofree char *dmi = hostReadValue(dmiPath);
    g_autofree char *idPath = NULL;
    g_autofree char *machineId = NULL;

    if (dmi && mvUUIDParse(dmi, uuid) == 0)
        return 0;
    idPath = hostPath("/etc/machine-id");
    machineId = hostReadValue(idPath);
    if (machineId && strlen(machineId) == 32) {
        for (size_t i = 0; i < 16; i++) {
            int hi = g_ascii_xdigit_value(machineId[2 * i]);
            int lo = g_ascii_xdigit_value(machineId[2 * i + 1]);
            if (hi < 0 || lo < 0)
                return -1;
            uuid[i] = hi << 4 | lo;
        }
        /* make it a valid version-4 style UUID */
        uuid[6] = (uuid[6] & 0x0f) | 0x40;
        uuid[8] = (uuid[8] & 0x3f) | 0x80;
        return 0;
    }
    return -1;
}

/* ---- SMBIOS ---- */

typedef struct {
    const char *file;
    const char *entry;
} hostDMIEntry;

static void
hostSysinfoSection(GString *xml, const char *element, const hostDMIEntry *entries, size_t n)
{
    g_autoptr(GString) body = g_string_new(NULL);

    for (size_t i = 0; i < n; i++) {
        g_autofree char *path = hostPath("/sys/class/dmi/id/%s", entries[i].file);
        g_autofree char *value = hostReadValue(path);
        g_autofree char *escaped = NULL;

        if (!value || !*value)
            continue;
        escaped = g_markup_escape_text(value, -1);
        g_string_append_printf(body, "    <entry name='%s'>%s</entry>\n",
                               entries[i].entry, escaped);
    }
    if (body->len)
        g_string_append_printf(xml, "  <%s>\n%s  </%s>\n", element, body->str, element);
}

char *
mvHostGetSysinfoXML(void)
{
    static const hostDMIEntry bios[] = {
        { "bios_vendor", "vendor" }, { "bios_version", "version" },
        { "bios_date", "date" }, { "bios_release", "release" },
    };
    static const hostDMIEntry sys[] = {
        { "sys_vendor", "manufacturer" }, { "product_name", "product" },
        { "product_version", "version" }, { "product_serial", "serial" },
        { "product_uuid", "uuid" }, { "product_sku", "sku" },
        { "product_family", "family" },
    };
    static const hostDMIEntry board[] = {
        { "board_vendor", "manufacturer" }, { "board_name", "product" },
        { "board_version", "version" }, { "board_serial", "serial" },
        { "board_asset_tag", "asset" },
    };
    static const hostDMIEntry chassis[] = {
        { "chassis_vendor", "manufacturer" }, { "chassis_version", "version" },
        { "chassis_serial", "serial" }, { "chassis_asset_tag", "asset" },
    };
    g_autoptr(GString) xml = g_string_new("<sysinfo type='smbios'>\n");
    gsize empty = xml->len;

    hostSysinfoSection(xml, "bios", bios, G_N_ELEMENTS(bios));
    hostSysinfoSection(xml, "system", sys, G_N_ELEMENTS(sys));
    hostSysinfoSection(xml, "baseBoard", board, G_N_ELEMENTS(board));
    hostSysinfoSection(xml, "chassis", chassis, G_N_ELEMENTS(chassis));
    if (xml->len == empty) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "Host SMBIOS information is not available");
        return NULL;
    }
    g_string_append(xml, "</sysinfo>\n");
    return g_string_free(g_steal_pointer(&xml), FALSE);
}
