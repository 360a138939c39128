/*
 * qemu_postparse: the QEMU driver's completion and checks of a domain
 * definition (see qemu_postparse.h).
 *
 * The steps run in libvirt's order: machine and emulator first (everything
 * else depends on the machine), then the CPU, the default devices, the
 * device models left open, the checks against the binary, and the address
 * assignment last.  Each step only fills what is absent, which is what
 * makes the whole idempotent.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "qemu_address.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

bool
mvQemuDomainIsQ35(const mvDomainDef *def)
{
    return def->os.machine &&
           (g_str_has_prefix(def->os.machine, "pc-q35") || strcmp(def->os.machine, "q35") == 0);
}

bool
mvQemuDomainIsI440FX(const mvDomainDef *def)
{
    return def->os.machine &&
           (g_str_has_prefix(def->os.machine, "pc-i440fx") ||
            strcmp(def->os.machine, "pc") == 0 || g_str_has_prefix(def->os.machine, "pc-1."));
}

static bool
qemuIsX86(const mvDomainDef *def)
{
    return g_strcmp0(def->os.arch, "x86_64") == 0 || g_strcmp0(def->os.arch, "i686") == 0;
}

static int
qemuPostParseMachine(mvDomainDef *def, const mvQemuCaps *caps)
{
    const mvQemuCapsMachine *m;

    if (!def->emulator)
        def->emulator = g_strdup(caps->binary);
    if (!def->os.arch)
        def->os.arch = g_strdup(caps->arch);
    if (caps->arch && strcmp(def->os.arch, caps->arch) != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support arch '%s': use an emulator for '%s' "
                      "in <emulator> or change <type arch>", def->emulator, def->os.arch,
                      def->os.arch);
        return -1;
    }
    if (def->os.type && strcmp(def->os.type, "hvm") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support os type '%s': use 'hvm'",
                      def->emulator, def->os.type);
        return -1;
    }
    if (!def->os.machine) {
        if (!(m = mvQemuCapsGetDefaultMachine(caps))) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "Emulator '%s' has no default machine type: name one in "
                          "<type machine=...>", def->emulator);
            return -1;
        }
    } else if (!(m = mvQemuCapsGetMachine(caps, def->os.machine))) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support machine type '%s'",
                      def->emulator, def->os.machine);
        return -1;
    }
    if (g_strcmp0(def->os.machine, m->name) != 0) {
        g_free(def->os.machine);
        def->os.machine = g_strdup(m->name);
    }
    if (def->virtType == MV_DOMAIN_VIRT_KVM && !caps->kvm) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support virt type 'kvm': this host has no "
                      "usable KVM, use <domain type='qemu'>", def->emulator);
        return -1;
    }
    if (def->virtType == MV_DOMAIN_VIRT_QEMU && !caps->tcg) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support virt type 'qemu'", def->emulator);
        return -1;
    }
    if (m->maxCpus && def->vcpus > m->maxCpus) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Maximum CPUs greater than specified machine type limit %u",
                      m->maxCpus);
        return -1;
    }
    return 0;
}

static int
qemuPostParseCPU(mvDomainDef *def, const mvQemuCaps *caps)
{
    mvCPUDef *cpu = &def->cpu;

    if (!qemuIsX86(def))
        return 0;
    if (!cpu->present) {
        cpu->present = true;
        cpu->mode = MV_CPU_MODE_CUSTOM;
        cpu->match = g_strdup("exact");
        cpu->check = g_strdup("none");
        cpu->model = g_strdup("qemu64");
        cpu->fallback = g_strdup("forbid");
        return 0;
    }
    if ((cpu->mode == MV_CPU_MODE_HOST_PASSTHROUGH || cpu->mode == MV_CPU_MODE_HOST_MODEL) &&
        def->virtType != MV_DOMAIN_VIRT_KVM) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "CPU mode '%s' for %s qemu domain on %s host is not supported by "
                      "hypervisor: use mode='custom' or 'maximum' with <domain type='qemu'>",
                      mvCPUModeToString(cpu->mode), def->os.arch, def->os.arch);
        return -1;
    }
    if (cpu->mode != MV_CPU_MODE_CUSTOM) {
        if (cpu->mode == MV_CPU_MODE_MAXIMUM && !cpu->check)
            cpu->check = g_strdup("none");
        return 0;
    }
    if (!cpu->model) {
        /* only a topology, NUMA cells or features: QEMU's default model */
        cpu->model = g_strdup("qemu64");
        if (!cpu->fallback)
            cpu->fallback = g_strdup("forbid");
    }
    if (!mvQemuCapsGetCPUModel(caps, cpu->model)) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "CPU model '%s' is not supported by hypervisor: see "
                      "'virsh domcapabilities' for the models this QEMU has", cpu->model);
        return -1;
    }
    if (!cpu->match)
        cpu->match = g_strdup("exact");
    if (!cpu->check)
        cpu->check = g_strdup("none");
    if (!cpu->fallback)
        cpu->fallback = g_strdup("allow");
    return 0;
}

static mvDomainControllerDef *
qemuControllerNew(int type, unsigned int index, const char *model)
{
    mvDomainControllerDef *ctrl = g_new0(mvDomainControllerDef, 1);

    ctrl->type = type;
    ctrl->index = index;
    ctrl->model = g_strdup(model);
    ctrl->ports = ctrl->vectors = ctrl->chassis = ctrl->port = ctrl->busNr = -1;
    return ctrl;
}

/* Puts a default controller where libvirt has it: before the controllers
 * libvirt's generic code adds later (those still without an address), or
 * next to its own kind. */
/* Puts a default controller where libvirt has it: after the controllers
 * of the document, before those libvirt's generic code adds later (the
 * ones the generic parse here added already, still without an address). */
static void
qemuControllerAddDefault(mvDomainDef *def, mvDomainControllerDef *ctrl)
{
    guint i;

    for (i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        /* what the generic parse adds carries nothing but type and index */
        if (c->info.addr.type == MV_DOMAIN_ADDRESS_NONE && !c->model && c->ports < 0 &&
            c->vectors < 0 &&
            (c->type == MV_CONTROLLER_IDE || c->type == MV_CONTROLLER_FDC ||
             c->type == MV_CONTROLLER_SCSI || c->type == MV_CONTROLLER_VIRTIO_SERIAL ||
             c->type == MV_CONTROLLER_CCID || c->type == MV_CONTROLLER_SATA)) {
            g_ptr_array_insert(def->controllers, i, ctrl);
            return;
        }
    }
    g_ptr_array_add(def->controllers, ctrl);
}

static int
qemuPostParseControllers(mvDomainDef *def)
{
    bool q35 = mvQemuDomainIsQ35(def);
    bool i440fx = mvQemuDomainIsI440FX(def);
    mvDomainControllerDef *usb = mvDomainDefFindController(def, MV_CONTROLLER_USB, 0);
    mvDomainControllerDef *pci0 = mvDomainDefFindController(def, MV_CONTROLLER_PCI, 0);
    guint i;

    if (!usb && (q35 || i440fx))
        qemuControllerAddDefault(def, qemuControllerNew(MV_CONTROLLER_USB, 0,
                                                        q35 ? "qemu-xhci" : "piix3-uhci"));
    if (q35) {
        mvDomainControllerDef *sata = mvDomainDefFindController(def, MV_CONTROLLER_SATA, 0);

        /* the one the generic parse added for a disk goes where libvirt
         * adds q35's own */
        if (sata && sata->info.addr.type == MV_DOMAIN_ADDRESS_NONE && !sata->model &&
            sata->ports < 0 && sata->vectors < 0)
            g_ptr_array_remove(def->controllers, sata);
    }
    if (q35 && !mvDomainDefFindController(def, MV_CONTROLLER_SATA, 0)) {
        mvDomainControllerDef *sata = qemuControllerNew(MV_CONTROLLER_SATA, 0, NULL);

        /* built into q35, at its fixed place */
        sata->info.addr.type = MV_DOMAIN_ADDRESS_PCI;
        sata->info.addr.slot = 0x1f;
        sata->info.addr.function = 2;
        qemuControllerAddDefault(def, sata);
    }
    if (!pci0 && (q35 || i440fx))
        qemuControllerAddDefault(def, qemuControllerNew(MV_CONTROLLER_PCI, 0,
                                                        q35 ? "pcie-root" : "pci-root"));
    if (pci0 && !pci0->model)
        pci0->model = g_strdup(q35 ? "pcie-root" : "pci-root");
    if (pci0 && q35 && strcmp(pci0->model, "pcie-root") != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "The PCI controller with index='0' must be model='pcie-root' for "
                      "this machine type");
        return -1;
    }
    if (pci0 && !q35 && strcmp(pci0->model, "pci-root") != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "The PCI controller with index='0' must be model='pci-root' for "
                      "this machine type");
        return -1;
    }
    for (i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        switch ((mvControllerType)c->type) {
        case MV_CONTROLLER_USB:
            if (!c->model)
                c->model = g_strdup(q35 ? "qemu-xhci" : "piix3-uhci");
            break;
        case MV_CONTROLLER_SCSI:
            if (!c->model)
                c->model = g_strdup("lsilogic");
            break;
        case MV_CONTROLLER_PCI:
            if (!c->model) {
                mvReportError(VIR_ERR_XML_ERROR,
                              "PCI controller index %u needs a model (pcie-root-port, "
                              "pci-bridge, pcie-to-pci-bridge, ...)", c->index);
                return -1;
            }
            if (!c->modelName) {
                if (strcmp(c->model, "pcie-root-port") == 0)
                    c->modelName = g_strdup("pcie-root-port");
                else if (strcmp(c->model, "pcie-to-pci-bridge") == 0)
                    c->modelName = g_strdup("pcie-pci-bridge");
                else if (strcmp(c->model, "pci-bridge") == 0)
                    c->modelName = g_strdup("pci-bridge");
            }
            if ((strcmp(c->model, "pcie-root-port") == 0 ||
                 strcmp(c->model, "pcie-to-pci-bridge") == 0) && !q35) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "a PCI slot is needed to connect a PCI controller "
                              "model='%s', but none is available, and it cannot be "
                              "automatically added: PCI Express controllers need a q35 "
                              "machine", c->model);
                return -1;
            }
            if (strcmp(c->model, "pcie-root-port") == 0 && c->chassis < 0)
                c->chassis = (int)c->index;
            break;
        case MV_CONTROLLER_IDE:
            if (q35) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "IDE controllers are unsupported for this QEMU binary or "
                              "machine type: use bus='sata' on q35");
                return -1;
            }
            if (c->index > 0) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "Only a single IDE controller is supported for this machine "
                              "type (index %u found)", c->index);
                return -1;
            }
            break;
        case MV_CONTROLLER_SATA:
        case MV_CONTROLLER_FDC:
        case MV_CONTROLLER_VIRTIO_SERIAL:
        case MV_CONTROLLER_CCID:
        case MV_CONTROLLER_XENBUS:
        case MV_CONTROLLER_ISA:
        case MV_CONTROLLER_LAST:
            break;
        }
    }
    return 0;
}

/* libvirt's default sizes of a video model, -1 where it sets none. */
static void
qemuVideoDefaults(mvDomainVideoDef *v)
{
    if (strcmp(v->model, "qxl") == 0) {
        if (v->ram < 0)
            v->ram = 65536;
        if (v->vram < 0)
            v->vram = 65536;
        if (v->vgamem < 0)
            v->vgamem = 16384;
    } else if (strcmp(v->model, "vga") == 0 || strcmp(v->model, "cirrus") == 0 ||
               strcmp(v->model, "vmvga") == 0 || strcmp(v->model, "bochs") == 0) {
        if (v->vram < 0)
            v->vram = 16384;
    }
    if (v->heads < 0 && strcmp(v->model, "none") != 0 && strcmp(v->model, "ramfb") != 0)
        v->heads = 1;
}

static int
qemuPostParseDefaultDevices(mvDomainDef *def)
{
    bool x86 = qemuIsX86(def);
    bool hasSpice = false, hasMouse = false, hasKeyboard = false;
    guint i;

    for (i = 0; i < def->graphics->len; i++)
        hasSpice |= ((mvDomainGraphicsDef *)g_ptr_array_index(def->graphics, i))->type ==
                    MV_GRAPHICS_SPICE;
    for (i = 0; i < def->inputs->len; i++) {
        const mvDomainInputDef *in = g_ptr_array_index(def->inputs, i);

        hasMouse |= strcmp(in->type, "mouse") == 0 && strcmp(in->bus, "ps2") == 0;
        hasKeyboard |= strcmp(in->type, "keyboard") == 0 && strcmp(in->bus, "ps2") == 0;
    }
    if (x86 && !hasMouse) {
        mvDomainInputDef *in = g_new0(mvDomainInputDef, 1);

        in->type = g_strdup("mouse");
        in->bus = g_strdup("ps2");
        g_ptr_array_add(def->inputs, in);
    }
    if (x86 && !hasKeyboard) {
        mvDomainInputDef *in = g_new0(mvDomainInputDef, 1);

        in->type = g_strdup("keyboard");
        in->bus = g_strdup("ps2");
        g_ptr_array_add(def->inputs, in);
    }
    if (def->graphics->len && !def->videos->len) {
        mvDomainVideoDef *v = g_new0(mvDomainVideoDef, 1);

        v->ram = v->vram = v->vgamem = v->heads = -1;
        g_ptr_array_add(def->videos, v);
    }
    for (i = 0; i < def->videos->len; i++) {
        mvDomainVideoDef *v = g_ptr_array_index(def->videos, i);

        if (!v->model)
            v->model = g_strdup("cirrus");
        if (i == 0 && strcmp(v->model, "none") != 0)
            v->primary = true;
        qemuVideoDefaults(v);
    }
    if (!def->audios->len) {
        mvDomainAudioDef *a = g_new0(mvDomainAudioDef, 1);

        a->id = 1;
        a->type = g_strdup(hasSpice ? "spice" : "none");
        g_ptr_array_add(def->audios, a);
    }
    if (!def->memballoon) {
        def->memballoon = g_new0(mvDomainMemballoonDef, 1);
        def->memballoon->model = g_strdup("virtio");
        def->memballoon->statsPeriod = -1;
    }
    for (i = 0; i < def->serials->len; i++) {
        mvDomainChrDef *s = g_ptr_array_index(def->serials, i);

        if (!x86)
            break;
        if (!s->targetType)
            s->targetType = g_strdup("isa-serial");
        if (!s->targetModel && strcmp(s->targetType, "isa-serial") == 0)
            s->targetModel = g_strdup("isa-serial");
    }
    for (i = 0; i < def->nets->len; i++) {
        mvDomainNetDef *n = g_ptr_array_index(def->nets, i);

        if (!n->model)
            n->model = g_strdup("rtl8139");
    }
    for (i = 0; i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        bool hasSource = d->src && (d->src->path || d->src->type == MV_STORAGE_NETWORK ||
                                    d->src->type == MV_STORAGE_VOLUME);

        if (!d->driverName && (hasSource || d->device == MV_DISK_DEVICE_CDROM ||
                               d->device == MV_DISK_DEVICE_FLOPPY))
            d->driverName = g_strdup("qemu");
        if (!d->driverType && d->driverName && (!d->src || d->src->type != MV_STORAGE_VOLUME))
            d->driverType = g_strdup("raw");
        if (d->driverName && strcmp(d->driverName, "qemu") != 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "unsupported driver name '%s' for disk '%s': use 'qemu'",
                          d->driverName, d->dst);
            return -1;
        }
    }
    return 0;
}

/* Device model -> the QOM type QEMU needs for it; NULL when the device
 * needs none we check. */
static int
qemuCheckType(const mvQemuCaps *caps, const char *type, const char *what)
{
    if (!type || mvQemuCapsHasType(caps, type))
        return 0;
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                  "%s is not supported with this QEMU binary ('%s' has no device '%s')",
                  what, caps->binary ? caps->binary : "qemu", type);
    return -1;
}

static const char *
qemuVideoType(const char *model, bool primary)
{
    if (strcmp(model, "vga") == 0)
        return "VGA";
    if (strcmp(model, "cirrus") == 0)
        return "cirrus-vga";
    if (strcmp(model, "qxl") == 0)
        return primary ? "qxl-vga" : "qxl";
    if (strcmp(model, "virtio") == 0)
        return primary ? "virtio-vga" : "virtio-gpu-pci";
    if (strcmp(model, "bochs") == 0)
        return "bochs-display";
    if (strcmp(model, "ramfb") == 0)
        return "ramfb";
    if (strcmp(model, "vmvga") == 0)
        return "vmware-svga";
    if (strcmp(model, "none") == 0)
        return NULL;
    return "";
}

static const char *
qemuNetType(const char *model)
{
    if (strcmp(model, "virtio") == 0)
        return "virtio-net-pci";
    return model;
}

static int
qemuPostParseCheckDevices(mvDomainDef *def, const mvQemuCaps *caps)
{
    guint i;

    for (i = 0; i < def->videos->len; i++) {
        const mvDomainVideoDef *v = g_ptr_array_index(def->videos, i);
        const char *t = qemuVideoType(v->model, v->primary);
        g_autofree char *what = g_strdup_printf("video type '%s'", v->model);

        if (t && !*t) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "video type '%s' is not supported with QEMU", v->model);
            return -1;
        }
        if (qemuCheckType(caps, t, what) < 0)
            return -1;
    }
    for (i = 0; i < def->nets->len; i++) {
        const mvDomainNetDef *n = g_ptr_array_index(def->nets, i);
        g_autofree char *what = g_strdup_printf("interface model '%s'", n->model);

        if (qemuCheckType(caps, qemuNetType(n->model), what) < 0)
            return -1;
    }
    for (i = 0; i < def->watchdogs->len; i++) {
        const mvDomainWatchdogDef *w = g_ptr_array_index(def->watchdogs, i);
        g_autofree char *what = g_strdup_printf("watchdog model '%s'", w->model);

        if (strcmp(w->model, "itco") != 0 &&
            qemuCheckType(caps, w->model, what) < 0)
            return -1;
    }
    for (i = 0; i < def->disks->len; i++) {
        const mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        if (d->bus == MV_DISK_BUS_XEN || d->bus == MV_DISK_BUS_SD) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "disk bus '%s' is not supported by this QEMU (disk '%s'): use "
                          "virtio, sata, scsi or ide", mvDiskBusToString(d->bus), d->dst);
            return -1;
        }
        if (d->bus == MV_DISK_BUS_IDE && mvQemuDomainIsQ35(def)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "IDE controllers are unsupported for this QEMU binary or machine "
                          "type (disk '%s'): use bus='sata'", d->dst);
            return -1;
        }
    }
    for (i = 0; i < def->sounds->len; i++) {
        const mvDomainSoundDef *s = g_ptr_array_index(def->sounds, i);
        static const char * const types[] = {
            [MV_SOUND_MODEL_SB16] = "sb16", [MV_SOUND_MODEL_ES1370] = "ES1370",
            [MV_SOUND_MODEL_PCSPK] = NULL, [MV_SOUND_MODEL_AC97] = "AC97",
            [MV_SOUND_MODEL_ICH6] = "intel-hda", [MV_SOUND_MODEL_ICH9] = "ich9-intel-hda",
            [MV_SOUND_MODEL_USB] = "usb-audio", [MV_SOUND_MODEL_ICH7] = "",
        };
        g_autofree char *what = g_strdup_printf("sound model '%s'",
                                                mvSoundModelToString(s->model));

        if (types[s->model] && !*types[s->model]) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "sound card model '%s' is not supported by this QEMU binary",
                          mvSoundModelToString(s->model));
            return -1;
        }
        if (qemuCheckType(caps, types[s->model], what) < 0)
            return -1;
    }
    for (i = 0; i < def->shmems->len; i++) {
        const mvDomainShmemDef *s = g_ptr_array_index(def->shmems, i);

        if (s->model == MV_SHMEM_MODEL_IVSHMEM) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "shmem model 'ivshmem' is not supported by this QEMU binary "
                          "(shmem '%s'): use 'ivshmem-plain' or 'ivshmem-doorbell'",
                          s->name);
            return -1;
        }
    }
    for (i = 0; i < def->tpms->len; i++) {
        const mvDomainTPMDef *t = g_ptr_array_index(def->tpms, i);

        if (t->model == MV_TPM_MODEL_SPAPR) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "TPM model 'spapr-tpm-vtpm' is not supported on x86: use "
                          "'tpm-tis' or 'tpm-crb'");
            return -1;
        }
    }
    for (i = 0; i < def->panics->len; i++) {
        const mvDomainPanicDef *p = g_ptr_array_index(def->panics, i);

        if (p->model && strcmp(p->model, "isa") != 0 && strcmp(p->model, "pci") != 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "panic model '%s' is not supported on x86: use 'isa' or 'pci'",
                          p->model);
            return -1;
        }
    }
    return 0;
}

static int
qemuPostParseCheckTargets(const mvDomainDef *def)
{
    guint i, j;

    for (i = 0; i < def->disks->len; i++) {
        const mvDomainDiskDef *a = g_ptr_array_index(def->disks, i);

        for (j = i + 1; j < def->disks->len; j++) {
            const mvDomainDiskDef *b = g_ptr_array_index(def->disks, j);

            if (strcmp(a->dst, b->dst) == 0) {
                mvReportError(VIR_ERR_XML_ERROR,
                              "target '%s' duplicated for disk sources '%s' and '%s'",
                              a->dst, a->src && a->src->path ? a->src->path : "",
                              b->src && b->src->path ? b->src->path : "");
                return -1;
            }
        }
    }
    return 0;
}

int
mvQemuDomainPostParse(mvDomainDef *def, const mvQemuCaps *caps)
{
    if (qemuPostParseMachine(def, caps) < 0 ||
        qemuPostParseCPU(def, caps) < 0 ||
        qemuPostParseControllers(def) < 0 ||
        qemuPostParseDefaultDevices(def) < 0 ||
        qemuPostParseCheckDevices(def, caps) < 0 ||
        qemuPostParseCheckTargets(def) < 0)
        return -1;
    return mvQemuDomainAssignAddresses(def, caps);
}
