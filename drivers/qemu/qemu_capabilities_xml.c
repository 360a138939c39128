/*
 * qemu_capabilities_xml: the <capabilities> and <domainCapabilities>
 * documents of the QEMU driver, built from probed caps and host facts.
 *
 * Both are filled into the conf models (mvCaps, mvDomainCaps) and formatted
 * there.  What the documents say follows what libvirt 9.0 says for the same
 * QEMU on the same host: machines with their aliases (default machine
 * first), one <guest> per architecture that has a binary, firmware from the
 * QEMU firmware descriptors (/usr/share/qemu/firmware) with libvirt's
 * built-in OVMF list as fallback, device enums derived from the QOM types
 * the binary has.  The x86 CPU model list is limited to the models libvirt
 * 9.0 knows, each with its vendor.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <json-c/json.h>

#include "capabilities_conf.h"
#include "domaincaps_conf.h"
#include "host_info.h"
#include "mv_error.h"
#include "mv_fd.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "qemu_capabilities.h"

#define MV_FROM_THIS VIR_FROM_QEMU
MV_LOG_INIT("qemu.qemu_capabilities_xml");

#define FIRMWARE_DIR "/usr/share/qemu/firmware"
#define FIRMWARE_MAX_BYTES (256 * 1024)

/* ---- x86 CPU models libvirt 9.0 knows, and their vendors ---- */

typedef struct {
    const char *name;
    const char *vendor;         /* NULL: unknown */
} xmlCPUModelInfo;

static const xmlCPUModelInfo xmlX86Models[] = {
    { "486", NULL }, { "pentium", NULL }, { "pentium2", NULL }, { "pentium3", NULL },
    { "pentiumpro", NULL }, { "qemu32", NULL }, { "qemu64", NULL }, { "kvm32", NULL },
    { "kvm64", NULL }, { "cpu64-rhel5", NULL }, { "cpu64-rhel6", NULL },
    { "coreduo", "Intel" }, { "core2duo", "Intel" }, { "n270", "Intel" },
    { "Conroe", "Intel" }, { "Penryn", "Intel" }, { "Nehalem", "Intel" },
    { "Nehalem-IBRS", "Intel" }, { "Westmere", "Intel" }, { "Westmere-IBRS", "Intel" },
    { "SandyBridge", "Intel" }, { "SandyBridge-IBRS", "Intel" }, { "IvyBridge", "Intel" },
    { "IvyBridge-IBRS", "Intel" }, { "Haswell", "Intel" }, { "Haswell-IBRS", "Intel" },
    { "Haswell-noTSX", "Intel" }, { "Haswell-noTSX-IBRS", "Intel" },
    { "Broadwell", "Intel" }, { "Broadwell-IBRS", "Intel" }, { "Broadwell-noTSX", "Intel" },
    { "Broadwell-noTSX-IBRS", "Intel" }, { "Skylake-Client", "Intel" },
    { "Skylake-Client-IBRS", "Intel" }, { "Skylake-Client-noTSX-IBRS", "Intel" },
    { "Skylake-Server", "Intel" }, { "Skylake-Server-IBRS", "Intel" },
    { "Skylake-Server-noTSX-IBRS", "Intel" }, { "Cascadelake-Server", "Intel" },
    { "Cascadelake-Server-noTSX", "Intel" }, { "Cooperlake", "Intel" },
    { "Icelake-Client", "Intel" }, { "Icelake-Client-noTSX", "Intel" },
    { "Icelake-Server", "Intel" }, { "Icelake-Server-noTSX", "Intel" },
    { "Snowridge", "Intel" }, { "athlon", "AMD" }, { "phenom", "AMD" },
    { "Opteron_G1", "AMD" }, { "Opteron_G2", "AMD" }, { "Opteron_G3", "AMD" },
    { "Opteron_G4", "AMD" }, { "Opteron_G5", "AMD" }, { "EPYC", "AMD" },
    { "EPYC-IBPB", "AMD" }, { "EPYC-Rome", "AMD" }, { "EPYC-Milan", "AMD" },
    { "Dhyana", "Hygon" },
};

static bool
xmlArchIsX86(const char *arch)
{
    return g_strcmp0(arch, "x86_64") == 0 || g_strcmp0(arch, "i686") == 0;
}

static const xmlCPUModelInfo *
xmlX86ModelInfo(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(xmlX86Models); i++) {
        if (strcmp(xmlX86Models[i].name, name) == 0)
            return &xmlX86Models[i];
    }
    return NULL;
}

/* Whether @name belongs in the custom CPU list: x86 models libvirt knows;
 * on other arches every model but QEMU's pseudo ones. */
static bool
xmlCPUModelListed(const char *arch, const char *name, const char **vendor)
{
    *vendor = NULL;
    if (xmlArchIsX86(arch)) {
        const xmlCPUModelInfo *info = xmlX86ModelInfo(name);
        if (!info)
            return false;
        *vendor = info->vendor;
        return true;
    }
    return strcmp(name, "max") != 0 && strcmp(name, "host") != 0;
}

/* ---- capabilities ---- */

static void
xmlFillHostCPU(mvCapsHost *h, const char *arch)
{
    g_autofree char *vendor = NULL;
    g_autofree char *model = NULL;
    g_autoptr(GArray) sizes = mvHostGetHugePageSizes();
    long pageKiB = sysconf(_SC_PAGESIZE) / 1024;
    unsigned int base = pageKiB > 0 ? pageKiB : 4;
    mvHostCPUSignature sig;
    mvNodeInfo info;

    h->arch = g_strdup(arch);
    if (mvHostGetHostCPU(&vendor, &model, NULL) == 0) {
        h->cpuModel = g_steal_pointer(&model);
        h->cpuVendor = g_steal_pointer(&vendor);
    }
    if (mvHostGetCPUSignature(&sig) == 0) {
        h->hasMicrocode = sig.hasMicrocode;
        h->microcode = sig.microcode;
        h->hasSignature = sig.hasSignature;
        h->sigFamily = sig.family;
        h->sigModel = sig.model;
        h->sigStepping = sig.stepping;
    }
    if (mvHostGetNodeInfo(&info) == 0) {
        h->hasTopology = true;
        h->sockets = info.sockets * info.nodes;
        h->dies = 1;
        h->cores = info.cores;
        h->threads = info.threads;
    }
    mvErrorReset();
    g_array_append_val(h->pageSizes, base);
    for (guint i = 0; i < sizes->len; i++)
        g_array_append_val(h->pageSizes, g_array_index(sizes, unsigned int, i));
}

static void
xmlFillHostCells(mvCaps *caps)
{
    g_autoptr(GPtrArray) cells = mvHostGetCells();

    if (!cells) {
        MV_WARN("cannot read the host NUMA topology: %s, ignoring",
                mvErrorIsSet() ? mvErrorGetLast()->message : "");
        mvErrorReset();
        return;
    }
    for (guint i = 0; i < cells->len; i++) {
        const mvHostCell *hc = g_ptr_array_index(cells, i);
        mvCapsCell *cell = mvCapsAddCell(caps, hc->id, hc->memoryKiB);

        for (guint p = 0; p < hc->hugepages->len; p++) {
            const mvHostPages *hp = &g_array_index(hc->hugepages, mvHostPages, p);
            mvCapsPages pg = { .size = hp->sizeKiB, .hasCount = true, .count = hp->count };
            g_array_append_val(cell->pages, pg);
        }
        for (guint d = 0; d < hc->distances->len && d < cells->len; d++) {
            const mvHostCell *other = g_ptr_array_index(cells, d);
            mvCapsDistance dist = { .id = other->id,
                                    .value = g_array_index(hc->distances, unsigned int, d) };
            g_array_append_val(cell->distances, dist);
        }
        for (guint c = 0; c < hc->cpus->len; c++) {
            const mvHostCellCPU *hcpu = g_ptr_array_index(hc->cpus, c);
            mvCapsCellCPU cpu = {
                .id = hcpu->id, .hasTopology = true, .socketId = hcpu->socketId,
                .dieId = hcpu->dieId, .coreId = hcpu->coreId,
                .siblings = g_strdup(hcpu->siblings),
            };
            g_array_append_val(cell->cpus, cpu);
        }
    }
}

static void
xmlFillHost(mvCaps *caps, const char *secModel)
{
    mvCapsHost *h = &caps->host;
    g_autoptr(GPtrArray) banks = mvHostGetCacheBanks();
    static unsigned char fallbackUUID[MV_UUID_BUFLEN];
    static gsize fallbackInit;

    if (mvHostGetUUID(h->uuid) < 0) {
        if (g_once_init_enter(&fallbackInit)) {
            mvUUIDGenerate(fallbackUUID);
            g_once_init_leave(&fallbackInit, 1);
        }
        memcpy(h->uuid, fallbackUUID, MV_UUID_BUFLEN);
    }
    h->hasUUID = true;
    xmlFillHostCPU(h, mvQemuCapsHostArch());
    h->hasPowerManagement = true;
    h->iommu = mvHostHasIOMMU() ? 1 : 0;
    h->hasMigration = true;
    h->live = true;
    g_ptr_array_add(h->uriTransports, g_strdup("tcp"));
    g_ptr_array_add(h->uriTransports, g_strdup("rdma"));
    xmlFillHostCells(caps);
    for (guint i = 0; i < banks->len; i++) {
        const mvHostCacheBank *hb = g_ptr_array_index(banks, i);
        mvCapsCacheBank *b = g_new0(mvCapsCacheBank, 1);

        b->id = hb->id;
        b->level = hb->level;
        b->type = g_strdup(hb->type);
        b->size = hb->size;
        b->unit = g_strdup(hb->unit);
        b->cpus = g_strdup(hb->cpus);
        g_ptr_array_add(h->cacheBanks, b);
    }
    mvCapsAddSecModel(caps, secModel ? secModel : "none", "0");
}

/* The machines in libvirt's order: the default one first, then QEMU's
 * order; each alias right after its machine. */
static void
xmlAddGuestMachines(GPtrArray *machines, const mvQemuCaps *qcaps)
{
    const mvQemuCapsMachine *def = mvQemuCapsGetDefaultMachine(qcaps);

    for (gint i = def ? -1 : 0; i < (gint)qcaps->machines->len; i++) {
        const mvQemuCapsMachine *m = i < 0 ? def : g_ptr_array_index(qcaps->machines, i);
        mvCapsMachine *cm;

        if (i >= 0 && m == def)
            continue;
        cm = mvCapsGuestAddMachine(machines, m->name, NULL, m->maxCpus);
        cm->deprecated = m->deprecated;
        if (m->alias) {
            cm = mvCapsGuestAddMachine(machines, m->alias, m->name, m->maxCpus);
            cm->deprecated = m->deprecated;
        }
    }
}

static void
xmlAddGuest(mvCaps *caps, const char *arch, const mvQemuCaps *qcaps)
{
    mvCapsGuest *guest = mvCapsAddGuest(caps, "hvm", arch, mvQemuCapsArchWordSize(arch),
                                        qcaps->binary);

    xmlAddGuestMachines(guest->machines, qcaps);
    mvCapsGuestAddDomain(guest, "qemu");
    if (qcaps->kvm)
        mvCapsGuestAddDomain(guest, "kvm");
    if (strcmp(arch, "i686") == 0) {
        mvCapsGuestAddFeature(guest, "pae", -1, -1);
        mvCapsGuestAddFeature(guest, "nonpae", -1, -1);
    }
    if (xmlArchIsX86(arch)) {
        mvCapsGuestAddFeature(guest, "acpi", 1, 1);
        mvCapsGuestAddFeature(guest, "apic", 1, 0);
    }
    mvCapsGuestAddFeature(guest, "cpuselection", -1, -1);
    mvCapsGuestAddFeature(guest, "deviceboot", -1, -1);
    mvCapsGuestAddFeature(guest, "disksnapshot", 1, 0);
}

char *
mvQemuCapsBuildCapabilitiesXML(mvQemuCapsCache *cache, const char *secModel)
{
    g_autoptr(mvCaps) caps = mvCapsNew();
    const char *arch;

    xmlFillHost(caps, secModel);
    for (unsigned int i = 0; (arch = mvQemuCapsArchNth(i)); i++) {
        g_autofree char *binary = mvQemuCapsFindBinaryForArch(arch);
        g_autoptr(mvQemuCaps) qcaps = NULL;

        if (!binary)
            continue;
        if (!(qcaps = mvQemuCapsCacheLookup(cache, binary))) {
            /* one broken binary must not hide the others */
            MV_WARN("leaving '%s' out of the capabilities: %s", binary,
                    mvErrorGetLast() ? mvErrorGetLast()->message : "");
            mvErrorReset();
            continue;
        }
        /* a 64-bit binary also serves the 32-bit arch; any other
         * mismatch means the binary is not what its name says */
        if (strcmp(qcaps->arch, arch) != 0 &&
            !(strcmp(arch, "i686") == 0 && strcmp(qcaps->arch, "x86_64") == 0))
            continue;
        xmlAddGuest(caps, arch, qcaps);
    }
    return mvCapsFormat(caps);
}

/* ---- firmware ---- */

typedef struct {
    char *executable;
    bool secure;
} xmlFirmware;

static void
xmlFirmwareFree(xmlFirmware *fw)
{
    g_free(fw->executable);
    g_free(fw);
}

static bool
xmlJSONArrayHasString(json_object *arr, const char *value)
{
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

    for (size_t i = 0; i < n; i++) {
        if (g_strcmp0(json_object_get_string(json_object_array_get_idx(arr, i)), value) == 0)
            return true;
    }
    return false;
}

/* A descriptor's executable when it is UEFI flash firmware for @arch and
 * @machine; NULL otherwise. */
static xmlFirmware *
xmlFirmwareMatch(json_object *root, const char *arch, const char *machine)
{
    json_object *ifaces = NULL, *mapping = NULL, *device = NULL, *exec = NULL;
    json_object *filename = NULL, *targets = NULL, *features = NULL;
    bool matched = false;
    xmlFirmware *fw;

    json_object_object_get_ex(root, "interface-types", &ifaces);
    if (!xmlJSONArrayHasString(ifaces, "uefi") ||
        !json_object_object_get_ex(root, "mapping", &mapping) ||
        !json_object_object_get_ex(mapping, "device", &device) ||
        g_strcmp0(json_object_get_string(device), "flash") != 0 ||
        !json_object_object_get_ex(mapping, "executable", &exec) ||
        !json_object_object_get_ex(exec, "filename", &filename) ||
        !json_object_object_get_ex(root, "targets", &targets) ||
        !json_object_is_type(targets, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(targets) && !matched; i++) {
        json_object *t = json_object_array_get_idx(targets, i);
        json_object *tarch = NULL, *machines = NULL;

        if (!json_object_object_get_ex(t, "architecture", &tarch) ||
            g_strcmp0(mvQemuCapsArchFromQEMU(json_object_get_string(tarch)), arch) != 0 ||
            !json_object_object_get_ex(t, "machines", &machines) ||
            !json_object_is_type(machines, json_type_array))
            continue;
        for (size_t j = 0; j < json_object_array_length(machines); j++) {
            const char *glob = json_object_get_string(json_object_array_get_idx(machines, j));
            if (glob && g_pattern_match_simple(glob, machine)) {
                matched = true;
                break;
            }
        }
    }
    if (!matched)
        return NULL;
    json_object_object_get_ex(root, "features", &features);
    fw = g_new0(xmlFirmware, 1);
    fw->executable = g_strdup(json_object_get_string(filename));
    fw->secure = xmlJSONArrayHasString(features, "secure-boot");
    return fw;
}

static gint
xmlCompareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/* The firmware descriptors that fit @arch + @machine, in file name order. */
static GPtrArray *
xmlFirmwareFind(const char *arch, const char *machine)
{
    GPtrArray *found = g_ptr_array_new_with_free_func((GDestroyNotify)xmlFirmwareFree);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(FIRMWARE_DIR, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, ".json"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, xmlCompareNames);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(FIRMWARE_DIR, names->pdata[i], NULL);
        g_autofree char *data = NULL;
        json_object *root;
        xmlFirmware *fw;

        if (mvFileReadAll(path, FIRMWARE_MAX_BYTES, &data, NULL) < 0) {
            mvErrorReset();
            continue;
        }
        if (!(root = json_tokener_parse(data))) {
            MV_WARN("firmware descriptor '%s' is not valid JSON, ignoring", path);
            continue;
        }
        fw = xmlFirmwareMatch(root, arch, machine);
        json_object_put(root);
        if (fw)
            g_ptr_array_add(found, fw);
    }
    return found;
}

static void
xmlFillOS(mvDomainCaps *dc, const char *arch, const char *machine)
{
    g_autoptr(GPtrArray) fws = xmlFirmwareFind(arch, machine);
    bool secure = false;

    mvDomainCapsItemEnum(&dc->os, "firmware");
    if (fws->len > 0) {
        mvDomainCapsItemAddValue(&dc->os, "firmware", "efi");
        for (guint i = 0; i < fws->len; i++) {
            const xmlFirmware *fw = g_ptr_array_index(fws, i);
            mvDomainCapsAddLoaderValue(dc, fw->executable);
            secure |= fw->secure;
        }
    } else {
        /* libvirt's built-in list, for when no descriptor fits */
        static const char * const x86[] = {
            "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_CODE.secboot.fd",
        };
        static const char * const arm[] = {
            "/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF32_CODE.fd",
        };
        const char * const *list = xmlArchIsX86(arch) ? x86 : arm;

        for (size_t i = 0; i < 2; i++) {
            if (access(list[i], R_OK) == 0)
                mvDomainCapsAddLoaderValue(dc, list[i]);
        }
    }
    mvDomainCapsItemSetSupported(&dc->loader, true);
    mvDomainCapsItemAddValue(&dc->loader, "type", "rom");
    mvDomainCapsItemAddValue(&dc->loader, "type", "pflash");
    mvDomainCapsItemAddValue(&dc->loader, "readonly", "yes");
    mvDomainCapsItemAddValue(&dc->loader, "readonly", "no");
    if (secure)
        mvDomainCapsItemAddValue(&dc->loader, "secure", "yes");
    mvDomainCapsItemAddValue(&dc->loader, "secure", "no");
}

/* ---- CPU ---- */

/* The model to offer as host-model: the host's own under KVM when QEMU
 * can run it, else the newest model this QEMU can run under TCG. */
static void
xmlFillHostModel(mvDomainCaps *dc, const mvQemuCaps *qcaps, bool kvm)
{
    static const char * const preferred[] = {
        "EPYC-Milan", "EPYC-Rome", "EPYC", "Icelake-Server", "Cascadelake-Server",
        "Skylake-Server", "Skylake-Client", "Broadwell", "Haswell", "IvyBridge",
        "SandyBridge", "Westmere", "Nehalem", "Opteron_G3", "Penryn", "Opteron_G2",
        "Conroe", "qemu64",
    };
    g_autofree char *hostModel = NULL;
    g_autofree char *hostVendor = NULL;
    const mvQemuCapsCPUModel *m;

    dc->hostModelSupported = MV_DOMAIN_CAPS_YES;
    if (!xmlArchIsX86(qcaps->arch))
        return;
    if (kvm && mvHostGetHostCPU(&hostVendor, &hostModel, NULL) == 0 &&
        (m = mvQemuCapsGetCPUModel(qcaps, hostModel)) && m->usable) {
        dc->hostModelName = g_steal_pointer(&hostModel);
        dc->hostModelVendor = g_steal_pointer(&hostVendor);
    } else {
        mvErrorReset();
        for (size_t i = 0; i < G_N_ELEMENTS(preferred); i++) {
            const xmlCPUModelInfo *info = xmlX86ModelInfo(preferred[i]);
            if ((m = mvQemuCapsGetCPUModel(qcaps, preferred[i])) && m->usable && info) {
                dc->hostModelName = g_strdup(preferred[i]);
                dc->hostModelVendor = g_strdup(info->vendor);
                break;
            }
        }
    }
    if (dc->hostModelName)
        dc->hostModelFallback = g_strdup("forbid");
}

static void
xmlFillCPU(mvDomainCaps *dc, const mvQemuCaps *qcaps, bool kvm)
{
    mvDomainCapsItemSetSupported(&dc->hostPassthrough, kvm);
    if (kvm) {
        mvDomainCapsItemAddValue(&dc->hostPassthrough, "hostPassthroughMigratable", "on");
        mvDomainCapsItemAddValue(&dc->hostPassthrough, "hostPassthroughMigratable", "off");
    }
    mvDomainCapsItemAddValue(&dc->maximum, "maximumMigratable", "on");
    mvDomainCapsItemAddValue(&dc->maximum, "maximumMigratable", "off");
    xmlFillHostModel(dc, qcaps, kvm);

    dc->customSupported = MV_DOMAIN_CAPS_YES;
    for (guint i = 0; i < qcaps->cpuModels->len; i++) {
        const mvQemuCapsCPUModel *m = g_ptr_array_index(qcaps->cpuModels, i);
        const char *vendor;
        mvDomainCapsCPUModel *dm;

        if (!xmlCPUModelListed(qcaps->arch, m->name, &vendor))
            continue;
        dm = mvDomainCapsAddCustomModel(dc, m->name,
                                        m->usable ? MV_DOMAIN_CAPS_CPU_USABLE_YES
                                                  : MV_DOMAIN_CAPS_CPU_USABLE_NO,
                                        vendor);
        if (m->deprecated)
            dm->deprecated = MV_DOMAIN_CAPS_YES;
    }
}

/* ---- devices and features ---- */

static bool
xmlHas(const mvQemuCaps *qcaps, const char *type)
{
    return mvQemuCapsHasType(qcaps, type);
}

static void
xmlAddIf(mvDomainCapsItem *item, const char *name, bool cond, const char *value)
{
    if (cond)
        mvDomainCapsItemAddValue(item, name, value);
}

/* Machines with an IDE controller built in (the i440fx family). */
static bool
xmlMachineHasIDE(const char *machine)
{
    return g_str_has_prefix(machine, "pc-i440fx-") || strcmp(machine, "pc") == 0 ||
           g_str_has_prefix(machine, "pc-0.") || g_str_has_prefix(machine, "pc-1.");
}

static void
xmlFillDevices(mvDomainCaps *dc, const mvQemuCaps *qcaps, const char *machine)
{
    mvDomainCapsItem *disk = &dc->devices[MV_DOMAIN_CAPS_DEVICE_DISK];
    mvDomainCapsItem *gfx = &dc->devices[MV_DOMAIN_CAPS_DEVICE_GRAPHICS];
    mvDomainCapsItem *video = &dc->devices[MV_DOMAIN_CAPS_DEVICE_VIDEO];
    mvDomainCapsItem *hostdev = &dc->devices[MV_DOMAIN_CAPS_DEVICE_HOSTDEV];
    mvDomainCapsItem *rng = &dc->devices[MV_DOMAIN_CAPS_DEVICE_RNG];
    mvDomainCapsItem *fs = &dc->devices[MV_DOMAIN_CAPS_DEVICE_FILESYSTEM];
    mvDomainCapsItem *tpm = &dc->devices[MV_DOMAIN_CAPS_DEVICE_TPM];
    mvDomainCapsItem *redir = &dc->devices[MV_DOMAIN_CAPS_DEVICE_REDIRDEV];
    mvDomainCapsItem *channel = &dc->devices[MV_DOMAIN_CAPS_DEVICE_CHANNEL];
    bool gl = xmlHas(qcaps, "virtio-gpu-gl-pci") || xmlHas(qcaps, "virtio-vga-gl");
    static const char * const virtioModels[] = {
        "virtio", "virtio-transitional", "virtio-non-transitional",
    };

    mvDomainCapsItemAddValue(disk, "diskDevice", "disk");
    mvDomainCapsItemAddValue(disk, "diskDevice", "cdrom");
    mvDomainCapsItemAddValue(disk, "diskDevice", "floppy");
    mvDomainCapsItemAddValue(disk, "diskDevice", "lun");
    xmlAddIf(disk, "bus", xmlMachineHasIDE(machine), "ide");
    xmlAddIf(disk, "bus", xmlHas(qcaps, "isa-fdc"), "fdc");
    mvDomainCapsItemAddValue(disk, "bus", "scsi");
    mvDomainCapsItemAddValue(disk, "bus", "virtio");
    xmlAddIf(disk, "bus", xmlHas(qcaps, "usb-storage"), "usb");
    xmlAddIf(disk, "bus", xmlHas(qcaps, "ich9-ahci"), "sata");
    for (size_t i = 0; i < G_N_ELEMENTS(virtioModels); i++)
        mvDomainCapsItemAddValue(disk, "model", virtioModels[i]);

    /* SDL and EGL come with QEMU's OpenGL build, which the GL virtio-gpu
     * devices reveal; QMP has no cheaper question for them */
    mvDomainCapsItemEnum(gfx, "type");
    xmlAddIf(gfx, "type", gl, "sdl");
    xmlAddIf(gfx, "type", mvQemuCapsHasOption(qcaps, "vnc"), "vnc");
    xmlAddIf(gfx, "type", mvQemuCapsHasOption(qcaps, "spice"), "spice");
    xmlAddIf(gfx, "type", gl, "egl-headless");
    xmlAddIf(gfx, "type", xmlHas(qcaps, "dbus-display"), "dbus");

    mvDomainCapsItemEnum(video, "modelType");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "VGA"), "vga");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "cirrus-vga"), "cirrus");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "vmware-svga"), "vmvga");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "qxl-vga") || xmlHas(qcaps, "qxl"), "qxl");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "virtio-gpu-pci") ||
             xmlHas(qcaps, "virtio-gpu-device"), "virtio");
    mvDomainCapsItemAddValue(video, "modelType", "none");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "bochs-display"), "bochs");
    xmlAddIf(video, "modelType", xmlHas(qcaps, "ramfb"), "ramfb");

    mvDomainCapsItemAddValue(hostdev, "mode", "subsystem");
    mvDomainCapsItemAddValue(hostdev, "startupPolicy", "default");
    mvDomainCapsItemAddValue(hostdev, "startupPolicy", "mandatory");
    mvDomainCapsItemAddValue(hostdev, "startupPolicy", "requisite");
    mvDomainCapsItemAddValue(hostdev, "startupPolicy", "optional");
    mvDomainCapsItemAddValue(hostdev, "subsysType", "usb");
    mvDomainCapsItemAddValue(hostdev, "subsysType", "pci");
    mvDomainCapsItemAddValue(hostdev, "subsysType", "scsi");
    mvDomainCapsItemEnum(hostdev, "capsType");
    mvDomainCapsItemEnum(hostdev, "pciBackend");
    if (access("/dev/vfio/vfio", F_OK) == 0) {
        mvDomainCapsItemAddValue(hostdev, "pciBackend", "default");
        mvDomainCapsItemAddValue(hostdev, "pciBackend", "vfio");
    }

    for (size_t i = 0; i < G_N_ELEMENTS(virtioModels); i++)
        mvDomainCapsItemAddValue(rng, "model", virtioModels[i]);
    mvDomainCapsItemEnum(rng, "backendModel");
    xmlAddIf(rng, "backendModel", xmlHas(qcaps, "rng-random"), "random");
    xmlAddIf(rng, "backendModel", xmlHas(qcaps, "rng-egd"), "egd");
    xmlAddIf(rng, "backendModel", xmlHas(qcaps, "rng-builtin"), "builtin");

    mvDomainCapsItemEnum(fs, "driverType");
    mvDomainCapsItemAddValue(fs, "driverType", "path");
    mvDomainCapsItemAddValue(fs, "driverType", "handle");
    xmlAddIf(fs, "driverType", xmlHas(qcaps, "vhost-user-fs-pci") ||
             xmlHas(qcaps, "vhost-user-fs-device"), "virtiofs");

    if (xmlHas(qcaps, "tpm-tis") || xmlHas(qcaps, "tpm-crb")) {
        xmlAddIf(tpm, "model", xmlHas(qcaps, "tpm-tis"), "tpm-tis");
        xmlAddIf(tpm, "model", xmlHas(qcaps, "tpm-crb"), "tpm-crb");
        mvDomainCapsItemEnum(tpm, "backendModel");
        xmlAddIf(tpm, "backendModel", xmlHas(qcaps, "tpm-passthrough"), "passthrough");
        /* the emulator backend needs swtpm on the host */
        xmlAddIf(tpm, "backendModel", xmlHas(qcaps, "tpm-emulator") &&
                 (access("/usr/bin/swtpm", X_OK) == 0), "emulator");
    } else {
        mvDomainCapsItemSetSupported(tpm, false);
    }

    if (xmlHas(qcaps, "usb-redir"))
        mvDomainCapsItemAddValue(redir, "bus", "usb");
    else
        mvDomainCapsItemSetSupported(redir, false);

    mvDomainCapsItemAddValue(channel, "type", "pty");
    mvDomainCapsItemAddValue(channel, "type", "unix");
    xmlAddIf(channel, "type", xmlHas(qcaps, "chardev-spicevmc"), "spicevmc");
}

static void
xmlFillFeatures(mvDomainCaps *dc, const mvQemuCaps *qcaps)
{
    mvDomainCapsItem *f = dc->features;
    bool arm = g_strcmp0(qcaps->arch, "aarch64") == 0 || g_strcmp0(qcaps->arch, "armv7l") == 0;

    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_GIC], false);
    if (arm) {
        mvDomainCapsItemAddValue(&f[MV_DOMAIN_CAPS_FEATURE_GIC], "version", "2");
        mvDomainCapsItemAddValue(&f[MV_DOMAIN_CAPS_FEATURE_GIC], "version", "3");
    }
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_VMCOREINFO],
                                 xmlHas(qcaps, "vmcoreinfo"));
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_GENID], xmlHas(qcaps, "vmgenid"));
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_BACKING_STORE_INPUT], true);
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_BACKUP], true);
    /* SEV and SGX need host firmware support this driver does not use */
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_SEV], false);
    mvDomainCapsItemSetSupported(&f[MV_DOMAIN_CAPS_FEATURE_SGX], false);
    if (xmlArchIsX86(qcaps->arch)) {
        mvDomainCapsItemAddValue(&f[MV_DOMAIN_CAPS_FEATURE_HYPERV], "features", "spinlocks");
        mvDomainCapsItemAddValue(&f[MV_DOMAIN_CAPS_FEATURE_HYPERV], "features", "vendor_id");
    }
}

static void
xmlFillMemoryBacking(mvDomainCaps *dc, const mvQemuCaps *qcaps)
{
    mvDomainCapsItemAddValue(&dc->memoryBacking, "sourceType", "file");
    mvDomainCapsItemAddValue(&dc->memoryBacking, "sourceType", "anonymous");
    xmlAddIf(&dc->memoryBacking, "sourceType", xmlHas(qcaps, "memory-backend-memfd"), "memfd");
}

/* ---- domain capabilities ---- */

/* Picks the binary's caps for the request, as libvirt's lookup does. */
static mvQemuCaps *
xmlDomainCapsLookup(mvQemuCapsCache *cache, const char *emulatorbin, const char *arch)
{
    g_autoptr(mvQemuCaps) qcaps = NULL;

    if (arch && !mvQemuCapsArchToQEMU(arch)) {
        mvReportError(VIR_ERR_INVALID_ARG, "unknown architecture: %s", arch);
        return NULL;
    }
    if (emulatorbin) {
        if (!(qcaps = mvQemuCapsCacheLookup(cache, emulatorbin)))
            return NULL;
        if (arch && strcmp(arch, qcaps->arch) != 0 &&
            !(strcmp(arch, "i686") == 0 && strcmp(qcaps->arch, "x86_64") == 0)) {
            if (xmlArchIsX86(arch) && xmlArchIsX86(qcaps->arch))
                mvReportError(VIR_ERR_INVALID_ARG, "Emulator '%s' does not support arch '%s'",
                              emulatorbin, arch);
            else
                mvReportError(VIR_ERR_INVALID_ARG,
                              "architecture from emulator '%s' doesn't match given "
                              "architecture '%s'", qcaps->arch, arch);
            return NULL;
        }
        return g_steal_pointer(&qcaps);
    }
    return mvQemuCapsCacheLookupArch(cache, arch);
}

char *
mvQemuCapsBuildDomainCapsXML(mvQemuCapsCache *cache, const char *emulatorbin,
                             const char *arch, const char *machine,
                             const char *virttype, unsigned int flags)
{
    g_autoptr(mvQemuCaps) qcaps = NULL;
    g_autoptr(mvDomainCaps) dc = NULL;
    const mvQemuCapsMachine *m;
    bool kvm;

    mvCheckFlags(flags, 0, NULL);
    if (virttype && strcmp(virttype, "qemu") != 0 && strcmp(virttype, "kvm") != 0) {
        static const char * const known[] = {
            "none", "xen", "kqemu", "kvm", "qemu", "lxc", "uml", "openvz", "test",
            "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz",
        };
        bool isKnown = false;
        for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
            isKnown |= strcmp(known[i], virttype) == 0;
        if (!isKnown) {
            mvReportError(VIR_ERR_INVALID_ARG, "unknown virttype: %s", virttype);
            return NULL;
        }
    }
    if (!(qcaps = xmlDomainCapsLookup(cache, emulatorbin, arch)))
        return NULL;
    if (!arch)
        arch = qcaps->arch;

    if (!virttype)
        virttype = qcaps->kvm ? "kvm" : "qemu";
    kvm = strcmp(virttype, "kvm") == 0;
    /* libvirt names the accelerator: kvm for "kvm", tcg for anything else */
    if ((kvm && !qcaps->kvm) || (!kvm && strcmp(virttype, "qemu") != 0) ||
        (!kvm && !qcaps->tcg)) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "the accel '%s' is not supported by '%s' on this host",
                      kvm ? "kvm" : "tcg", qcaps->binary);
        return NULL;
    }

    if (machine) {
        if (!(m = mvQemuCapsGetMachine(qcaps, machine))) {
            mvReportError(VIR_ERR_INVALID_ARG,
                          "the machine '%s' is not supported by emulator '%s'",
                          machine, qcaps->binary);
            return NULL;
        }
    } else if (!(m = mvQemuCapsGetDefaultMachine(qcaps))) {
        m = g_ptr_array_index(qcaps->machines, 0);
    }

    dc = mvDomainCapsNew();
    mvDomainCapsSetIdentity(dc, qcaps->binary, virttype, m->name, arch);
    dc->hasMaxVcpus = true;
    dc->maxVcpus = m->maxCpus;
    dc->iothreads = xmlHas(qcaps, "iothread") ? MV_DOMAIN_CAPS_YES : MV_DOMAIN_CAPS_NO;
    xmlFillOS(dc, arch, m->name);
    xmlFillCPU(dc, qcaps, kvm);
    xmlFillMemoryBacking(dc, qcaps);
    xmlFillDevices(dc, qcaps, m->name);
    xmlFillFeatures(dc, qcaps);
    return mvDomainCapsFormat(dc);
}

/* ---- vCPU limits ---- */

unsigned int
mvQemuCapsGetMachineMaxCpus(const mvQemuCaps *caps, const char *machine)
{
    const mvQemuCapsMachine *m = mvQemuCapsGetMachine(caps, machine);

    return m ? m->maxCpus : 0;
}

int
mvQemuCapsGetMaxVcpus(mvQemuCapsCache *cache G_GNUC_UNUSED, const char *virttype)
{
    MV_AUTOCLOSE int fd = -1;
    int max;

    if (!virttype || g_ascii_strcasecmp(virttype, "qemu") == 0)
        return 16;
    if (g_ascii_strcasecmp(virttype, "kvm") != 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "unknown type '%s'", virttype);
        return -1;
    }
    if ((fd = open("/dev/kvm", O_RDONLY | O_CLOEXEC)) < 0) {
        mvReportSystemError(errno, "%s", "Unable to open /dev/kvm");
        return -1;
    }
    if ((max = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS)) > 0)
        return max;
    if ((max = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS)) > 0)
        return max;
    /* the kernel's documented default when it reports neither */
    return 4;
}
