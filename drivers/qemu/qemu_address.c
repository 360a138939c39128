/*
 * qemu_address: device address assignment (see qemu_address.h).
 *
 * PCI model.  Every PCI controller of the definition is one bus, numbered
 * by its index.  A bus accepts devices by connection kind: the i440fx root
 * bus and pci-bridges take everything (on a machine without PCI Express
 * every device is a conventional one); the q35 root bus takes only
 * integrated devices (root ports, the primary video, the built-in SATA
 * controller); a pcie-root-port takes one PCI Express device in slot 0; a
 * pcie-to-pci-bridge takes conventional devices in slots 1-31.  Each slot
 * keeps a bit mask of the functions in use.
 *
 * On q35 a dry run first places every device without an address on a copy
 * of the buses, adding a root port (or a root port and a bridge) whenever
 * nothing fits; the controllers found missing are then added to the
 * definition, plus one spare root port for hotplug, and the real pass
 * gives addresses: PCI controllers first (new root ports packed as the
 * functions of consecutive root-bus slots), then the devices in libvirt's
 * order.
 *
 * A USB2 group (an ich9-ehci1 and its ich9-uhci1..3 companions of one
 * index) is one multifunction device: the EHCI on function 7, UHCI n on
 * function n-1, in the slot the first placed member took (on q35 an
 * ich9-uhci1 goes to 00:1d.0 or 00:1a.0 first, as on real ICH9).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "qemu_address.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

#define QEMU_PCI_SLOTS 32

typedef enum {
    QEMU_CONN_NONE,     /* not a PCI device */
    QEMU_CONN_PCI,      /* conventional PCI */
    QEMU_CONN_PCIE,     /* PCI Express endpoint */
} qemuConn;

typedef enum {
    QEMU_BUS_NONE,
    QEMU_BUS_PCI_ROOT,
    QEMU_BUS_PCIE_ROOT,
    QEMU_BUS_ROOT_PORT,
    QEMU_BUS_PCI_BRIDGE,        /* pci-bridge and pcie-to-pci-bridge */
} qemuBusKind;

typedef struct {
    int kind;                   /* qemuBusKind */
    guint8 used[QEMU_PCI_SLOTS];    /* functions in use, one bit each */
} qemuPCIBus;

typedef struct {
    GArray *buses;              /* qemuPCIBus, by controller index */
    bool q35;
} qemuPCISet;

/* One device that may need a PCI address. */
typedef struct {
    mvDomainDeviceInfo *info;
    int conn;                   /* qemuConn */
    const char *what;           /* for messages */
    const mvDomainControllerDef *usb2;  /* set for a USB2 group member */
} qemuPCIDev;

static qemuPCIBus *
qemuPCISetBus(qemuPCISet *set, unsigned int idx)
{
    if (idx >= set->buses->len)
        return NULL;
    return &g_array_index(set->buses, qemuPCIBus, idx);
}

static qemuPCIBus *
qemuPCISetAddBus(qemuPCISet *set, unsigned int idx, int kind)
{
    qemuPCIBus *bus;

    if (idx >= set->buses->len)
        g_array_set_size(set->buses, idx + 1);
    bus = &g_array_index(set->buses, qemuPCIBus, idx);
    memset(bus, 0, sizeof(*bus));
    bus->kind = kind;
    /* slot 0 of a root bus is the host bridge, of a bridge unusable */
    if (kind == QEMU_BUS_PCI_ROOT || kind == QEMU_BUS_PCIE_ROOT || kind == QEMU_BUS_PCI_BRIDGE)
        bus->used[0] = 0xff;
    if (kind == QEMU_BUS_ROOT_PORT)
        for (unsigned int s = 1; s < QEMU_PCI_SLOTS; s++)
            bus->used[s] = 0xff;
    return bus;
}

static int
qemuBusKindOf(const char *model)
{
    if (!model)
        return QEMU_BUS_NONE;
    if (strcmp(model, "pci-root") == 0)
        return QEMU_BUS_PCI_ROOT;
    if (strcmp(model, "pcie-root") == 0)
        return QEMU_BUS_PCIE_ROOT;
    if (strcmp(model, "pcie-root-port") == 0)
        return QEMU_BUS_ROOT_PORT;
    if (strcmp(model, "pci-bridge") == 0 || strcmp(model, "pcie-to-pci-bridge") == 0)
        return QEMU_BUS_PCI_BRIDGE;
    return QEMU_BUS_NONE;
}

static bool
qemuBusAccepts(const qemuPCISet *set, const qemuPCIBus *bus, int conn)
{
    switch ((qemuBusKind)bus->kind) {
    case QEMU_BUS_PCI_ROOT:
        return true;
    case QEMU_BUS_PCIE_ROOT:
        return false;
    case QEMU_BUS_ROOT_PORT:
        return conn == QEMU_CONN_PCIE;
    case QEMU_BUS_PCI_BRIDGE:
        return conn == QEMU_CONN_PCI || !set->q35;
    case QEMU_BUS_NONE:
        return false;
    }
    return false;
}

/* Finds a bus and slot with every function free for a @conn device.
 * Returns true and sets @bus/@slot when found. */
static bool
qemuPCISetFindSlot(const qemuPCISet *set, int conn, unsigned int *busIdx, unsigned int *slot)
{
    for (guint b = 0; b < set->buses->len; b++) {
        const qemuPCIBus *bus = &g_array_index(set->buses, qemuPCIBus, b);

        if (!qemuBusAccepts(set, bus, conn))
            continue;
        for (unsigned int s = 0; s < QEMU_PCI_SLOTS; s++) {
            if (bus->used[s] == 0) {
                *busIdx = b;
                *slot = s;
                return true;
            }
        }
    }
    return false;
}

static char *
qemuPCIAddrString(const mvDomainDeviceAddress *a)
{
    return g_strdup_printf("%04x:%02x:%02x.%x", a->domain, a->bus, a->slot, a->function);
}

/* Marks existing address @a in use; refuses a double use or a bus that
 * does not exist. */
static int
qemuPCISetReserve(qemuPCISet *set, const mvDomainDeviceAddress *a, const char *what)
{
    qemuPCIBus *bus = qemuPCISetBus(set, a->bus);
    g_autofree char *str = qemuPCIAddrString(a);

    if (a->domain != 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "PCI address %s of %s is invalid: only PCI domain 0 is available",
                      str, what);
        return -1;
    }
    if (!bus || bus->kind == QEMU_BUS_NONE) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "PCI address %s of %s names bus %u, but there is no PCI controller "
                      "with index='%u': add one or remove the address", str, what, a->bus,
                      a->bus);
        return -1;
    }
    if (a->slot >= QEMU_PCI_SLOTS || a->function > 7) {
        mvReportError(VIR_ERR_XML_ERROR, "PCI address %s of %s is out of range", str, what);
        return -1;
    }
    if (bus->kind == QEMU_BUS_ROOT_PORT && a->slot != 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "PCI address %s of %s is invalid: a pcie-root-port has only slot 0",
                      str, what);
        return -1;
    }
    if (bus->used[a->slot] & (1u << a->function) &&
        !(a->slot == 0 && bus->kind != QEMU_BUS_ROOT_PORT)) {
        mvReportError(VIR_ERR_XML_ERROR, "Attempted double use of PCI Address %s (%s)",
                      str, what);
        return -1;
    }
    if (a->slot == 0 && bus->kind != QEMU_BUS_ROOT_PORT) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "PCI address %s of %s is invalid: slot 0 of this bus is reserved",
                      str, what);
        return -1;
    }
    bus->used[a->slot] |= (guint8)(1u << a->function);
    return 0;
}

static void
qemuPCISetAssign(qemuPCISet *set, mvDomainDeviceInfo *info, unsigned int busIdx,
                 unsigned int slot, unsigned int function)
{
    qemuPCIBus *bus = qemuPCISetBus(set, busIdx);

    info->addr.type = MV_DOMAIN_ADDRESS_PCI;
    info->addr.domain = 0;
    info->addr.bus = busIdx;
    info->addr.slot = slot;
    info->addr.function = function;
    bus->used[slot] |= (guint8)(1u << function);
}

/* ---- which devices are PCI devices, and of which kind ---- */

static int
qemuNetConn(const mvDomainNetDef *n)
{
    if (!n->model)
        return QEMU_CONN_PCI;
    if (strcmp(n->model, "virtio") == 0 || strcmp(n->model, "e1000e") == 0 ||
        g_str_has_prefix(n->model, "virtio-"))
        return QEMU_CONN_PCIE;
    return QEMU_CONN_PCI;
}

static int
qemuControllerConn(const mvDomainDef *def, const mvDomainControllerDef *c)
{
    bool q35 = mvQemuDomainIsQ35(def);

    switch ((mvControllerType)c->type) {
    case MV_CONTROLLER_USB:
        if (!c->model || strcmp(c->model, "none") == 0)
            return QEMU_CONN_NONE;
        if (strcmp(c->model, "qemu-xhci") == 0 || strcmp(c->model, "nec-xhci") == 0)
            return QEMU_CONN_PCIE;
        return QEMU_CONN_PCI;
    case MV_CONTROLLER_SCSI:
        if (c->model && g_str_has_prefix(c->model, "virtio"))
            return QEMU_CONN_PCIE;
        return QEMU_CONN_PCI;
    case MV_CONTROLLER_VIRTIO_SERIAL:
        return QEMU_CONN_PCIE;
    case MV_CONTROLLER_SATA:
        return QEMU_CONN_PCIE;
    case MV_CONTROLLER_IDE:
        return q35 ? QEMU_CONN_NONE : QEMU_CONN_PCI;
    case MV_CONTROLLER_FDC:
    case MV_CONTROLLER_CCID:
    case MV_CONTROLLER_PCI:
    case MV_CONTROLLER_XENBUS:
    case MV_CONTROLLER_ISA:
    case MV_CONTROLLER_LAST:
        break;
    }
    return QEMU_CONN_NONE;
}

static int
qemuVideoConn(const mvDomainVideoDef *v)
{
    if (strcmp(v->model, "none") == 0 || strcmp(v->model, "ramfb") == 0)
        return QEMU_CONN_NONE;
    if (strcmp(v->model, "virtio") == 0)
        return QEMU_CONN_PCIE;
    return QEMU_CONN_PCI;
}

static void
qemuPCIDevAdd(GArray *devs, mvDomainDeviceInfo *info, int conn, const char *what)
{
    qemuPCIDev d = { info, conn, what, NULL };

    if (conn != QEMU_CONN_NONE)
        g_array_append_val(devs, d);
}

/* The PCI devices other than PCI controllers, in libvirt's order. */
static GArray *
qemuPCIDevList(mvDomainDef *def)
{
    GArray *devs = g_array_new(FALSE, FALSE, sizeof(qemuPCIDev));
    guint i;

    for (i = 0; i < def->filesystems->len; i++)
        qemuPCIDevAdd(devs, &((mvDomainFSDef *)g_ptr_array_index(def->filesystems, i))->info,
                      QEMU_CONN_PCIE, "filesystem");
    for (i = 0; i < def->nets->len; i++) {
        mvDomainNetDef *n = g_ptr_array_index(def->nets, i);

        qemuPCIDevAdd(devs, &n->info, qemuNetConn(n), "interface");
    }
    for (i = 0; i < def->sounds->len; i++) {
        mvDomainSoundDef *s = g_ptr_array_index(def->sounds, i);
        bool pci = s->model == MV_SOUND_MODEL_ICH6 || s->model == MV_SOUND_MODEL_ICH9 ||
                   s->model == MV_SOUND_MODEL_AC97 || s->model == MV_SOUND_MODEL_ES1370;

        qemuPCIDevAdd(devs, &s->info, pci ? QEMU_CONN_PCI : QEMU_CONN_NONE, "sound");
    }
    for (i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        guint before = devs->len;

        qemuPCIDevAdd(devs, &c->info, qemuControllerConn(def, c), "controller");
        if (devs->len > before && mvDomainControllerIsUSB2(c))
            g_array_index(devs, qemuPCIDev, before).usb2 = c;
    }
    for (i = 0; i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        qemuPCIDevAdd(devs, &d->info,
                      d->bus == MV_DISK_BUS_VIRTIO ? QEMU_CONN_PCIE : QEMU_CONN_NONE, "disk");
    }
    for (i = 0; i < def->hostdevs->len; i++) {
        mvDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);

        qemuPCIDevAdd(devs, &h->info,
                      h->type == MV_HOSTDEV_SUBSYS_PCI ? QEMU_CONN_PCIE : QEMU_CONN_NONE,
                      "hostdev");
    }
    if (def->memballoon && g_strcmp0(def->memballoon->model, "virtio") == 0)
        qemuPCIDevAdd(devs, &def->memballoon->info, QEMU_CONN_PCIE, "memballoon");
    for (i = 0; i < def->rngs->len; i++)
        qemuPCIDevAdd(devs, &((mvDomainRNGDef *)g_ptr_array_index(def->rngs, i))->info,
                      QEMU_CONN_PCIE, "rng");
    for (i = 0; i < def->watchdogs->len; i++) {
        mvDomainWatchdogDef *w = g_ptr_array_index(def->watchdogs, i);

        qemuPCIDevAdd(devs, &w->info,
                      strcmp(w->model, "i6300esb") == 0 ? QEMU_CONN_PCI : QEMU_CONN_NONE,
                      "watchdog");
    }
    for (i = 0; i < def->videos->len; i++) {
        mvDomainVideoDef *v = g_ptr_array_index(def->videos, i);

        qemuPCIDevAdd(devs, &v->info, qemuVideoConn(v), "video");
    }
    for (i = 0; i < def->shmems->len; i++)
        qemuPCIDevAdd(devs, &((mvDomainShmemDef *)g_ptr_array_index(def->shmems, i))->info,
                      QEMU_CONN_PCI, "shmem");
    for (i = 0; i < def->inputs->len; i++) {
        mvDomainInputDef *in = g_ptr_array_index(def->inputs, i);

        qemuPCIDevAdd(devs, &in->info,
                      strcmp(in->bus, "virtio") == 0 ? QEMU_CONN_PCIE : QEMU_CONN_NONE,
                      "input");
    }
    for (i = 0; i < def->vsocks->len; i++)
        qemuPCIDevAdd(devs, &((mvDomainVsockDef *)g_ptr_array_index(def->vsocks, i))->info,
                      QEMU_CONN_PCIE, "vsock");
    for (i = 0; i < def->panics->len; i++) {
        mvDomainPanicDef *p = g_ptr_array_index(def->panics, i);

        qemuPCIDevAdd(devs, &p->info,
                      g_strcmp0(p->model, "pci") == 0 ? QEMU_CONN_PCI : QEMU_CONN_NONE,
                      "panic");
    }
    return devs;
}

/* ---- building the bus set ---- */

static int
qemuPCISetBuild(const mvDomainDef *def, qemuPCISet *set)
{
    set->buses = g_array_new(FALSE, TRUE, sizeof(qemuPCIBus));
    set->q35 = mvQemuDomainIsQ35(def);
    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        int kind;

        if (c->type != MV_CONTROLLER_PCI)
            continue;
        if ((kind = qemuBusKindOf(c->model)) == QEMU_BUS_NONE) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "PCI controller model '%s' is not supported by modvirt yet: use "
                          "pcie-root-port, pci-bridge or pcie-to-pci-bridge", c->model);
            return -1;
        }
        if (qemuPCISetBus(set, c->index) && qemuPCISetBus(set, c->index)->kind) {
            mvReportError(VIR_ERR_XML_ERROR, "Multiple 'pci' controllers with index '%u'",
                          c->index);
            return -1;
        }
        qemuPCISetAddBus(set, c->index, kind);
    }
    if (!qemuPCISetBus(set, 0) || !qemuPCISetBus(set, 0)->kind) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "the domain has no PCI root controller (index 0)");
        return -1;
    }
    /* PIIX3 functions on i440fx (ISA bridge 1.0 and ACPI 1.3; IDE 1.1 and
     * USB 1.2 are taken by their controllers); LPC 1f.0, SMBus 1f.3 and a
     * reserved 1f.1 on q35 (SATA 1f.2 is its controller's) */
    if (set->q35)
        qemuPCISetBus(set, 0)->used[0x1f] = 0x0b;
    else if (mvQemuDomainIsI440FX(def))
        qemuPCISetBus(set, 0)->used[1] = 0x09;
    return 0;
}

static bool
qemuAddrIsFixed(const mvDomainDef *def, const mvDomainDeviceInfo *info, const char *what,
                unsigned int *slot, unsigned int *function)
{
    guint i;

    if (strcmp(what, "controller") == 0) {
        for (i = 0; i < def->controllers->len; i++) {
            const mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

            if (&c->info != info || c->index != 0)
                continue;
            if (mvQemuDomainIsI440FX(def) && c->type == MV_CONTROLLER_IDE) {
                *slot = 1;
                *function = 1;
                return true;
            }
            if (mvQemuDomainIsI440FX(def) && c->type == MV_CONTROLLER_USB &&
                g_strcmp0(c->model, "piix3-uhci") == 0) {
                *slot = 1;
                *function = 2;
                return true;
            }
            if (mvQemuDomainIsQ35(def) && c->type == MV_CONTROLLER_SATA) {
                *slot = 0x1f;
                *function = 2;
                return true;
            }
        }
    }
    return false;
}

/* Marks every existing address; a fixed-place device (PIIX3 IDE and USB,
 * q35 SATA) sits on the root bus even when it was given no address. */
static int
qemuPCISetReserveAll(mvDomainDef *def, qemuPCISet *set, GArray *devs)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == MV_CONTROLLER_PCI && c->info.addr.type == MV_DOMAIN_ADDRESS_PCI &&
            qemuPCISetReserve(set, &c->info.addr, "PCI controller") < 0)
            return -1;
    }
    for (guint i = 0; i < devs->len; i++) {
        qemuPCIDev *d = &g_array_index(devs, qemuPCIDev, i);
        unsigned int slot, fn;

        if (d->info->addr.type == MV_DOMAIN_ADDRESS_PCI) {
            if (qemuPCISetReserve(set, &d->info->addr, d->what) < 0)
                return -1;
            continue;
        }
        if (d->info->addr.type != MV_DOMAIN_ADDRESS_NONE) {
            /* a drive, usb, ... address on a PCI device: libvirt refuses it */
            mvReportError(VIR_ERR_XML_ERROR,
                          "%s needs a PCI address, but it was given a '%s' address", d->what,
                          mvDomainAddressTypeToString(d->info->addr.type));
            return -1;
        }
        if (qemuAddrIsFixed(def, d->info, d->what, &slot, &fn))
            qemuPCISetAssign(set, d->info, 0, slot, fn);
    }
    /* on q35 each ich9-uhci1 without an address takes 00:1d.0, else
     * 00:1a.0 (where real ICH9 has its two UHCI groups), whichever is
     * still unused; the rest of its group follows it there */
    if (set->q35) {
        for (guint i = 0; i < def->controllers->len; i++) {
            mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
            qemuPCIBus *root = qemuPCISetBus(set, 0);
            unsigned int slot = root->used[0x1d] == 0 ? 0x1d : 0x1a;

            if (c->type == MV_CONTROLLER_USB && g_strcmp0(c->model, "ich9-uhci1") == 0 &&
                c->info.addr.type == MV_DOMAIN_ADDRESS_NONE && root->used[slot] == 0) {
                qemuPCISetAssign(set, &c->info, 0, slot, 0);
                c->info.addr.multifunction = MV_TRISTATE_YES;
            }
        }
    }
    return 0;
}

/* ---- USB2 groups: an ich9-ehci1 and its UHCI companions share a slot ---- */

/* The function of @c in its group's slot: the EHCI on 7, UHCI n on n-1. */
static unsigned int
qemuUSB2Function(const mvDomainControllerDef *c)
{
    if (strcmp(c->model, "ich9-ehci1") == 0)
        return 7;
    return (unsigned int)(c->model[strlen(c->model) - 1] - '1');
}

/* The first member of @c's group (same index) that has a PCI address. */
static const mvDomainControllerDef *
qemuUSB2Placed(const mvDomainDef *def, const mvDomainControllerDef *c)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *o = g_ptr_array_index(def->controllers, i);

        if (o != c && mvDomainControllerIsUSB2(o) && o->index == c->index &&
            o->info.addr.type == MV_DOMAIN_ADDRESS_PCI)
            return o;
    }
    return NULL;
}

/* Places USB2 group member @d: on its function of the slot a member
 * already has, else on its function of a free slot.  The first UHCI
 * carries multifunction='on', as libvirt writes it. */
static int
qemuAssignUSB2(const mvDomainDef *def, qemuPCISet *set, qemuPCIDev *d)
{
    const mvDomainControllerDef *peer = qemuUSB2Placed(def, d->usb2);
    unsigned int fn = qemuUSB2Function(d->usb2);
    unsigned int b, s;

    if (peer) {
        mvDomainDeviceAddress a = peer->info.addr;

        a.function = fn;
        if (qemuPCISetReserve(set, &a, "USB controller") < 0)
            return -1;
        d->info->addr.type = MV_DOMAIN_ADDRESS_PCI;
        d->info->addr.domain = a.domain;
        d->info->addr.bus = a.bus;
        d->info->addr.slot = a.slot;
        d->info->addr.function = fn;
    } else {
        if (!qemuPCISetFindSlot(set, d->conn, &b, &s)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "No more available PCI slots for USB controller '%s' index %u: "
                          "add a %s controller", d->usb2->model, d->usb2->index,
                          set->q35 ? "pcie-to-pci-bridge" : "pci-bridge");
            return -1;
        }
        qemuPCISetAssign(set, d->info, b, s, fn);
    }
    d->info->addr.multifunction = fn == 0 ? MV_TRISTATE_YES : MV_TRISTATE_ABSENT;
    return 0;
}

/* ---- q35: the dry run that finds the controllers to add ---- */

static void
qemuAddRootPort(mvDomainDef *def, unsigned int index)
{
    mvDomainControllerDef *c = g_new0(mvDomainControllerDef, 1);

    c->type = MV_CONTROLLER_PCI;
    c->index = index;
    c->model = g_strdup("pcie-root-port");
    c->modelName = g_strdup("pcie-root-port");
    c->ports = c->vectors = c->port = c->busNr = -1;
    c->chassis = (int)index;
    /* libvirt appends the controllers it adds for addresses */
    g_ptr_array_add(def->controllers, c);
}

static void
qemuAddPCIeToPCIBridge(mvDomainDef *def, unsigned int index)
{
    mvDomainControllerDef *c = g_new0(mvDomainControllerDef, 1);

    c->type = MV_CONTROLLER_PCI;
    c->index = index;
    c->model = g_strdup("pcie-to-pci-bridge");
    c->modelName = g_strdup("pcie-pci-bridge");
    c->ports = c->vectors = c->chassis = c->port = c->busNr = -1;
    g_ptr_array_add(def->controllers, c);
}

static unsigned int
qemuNextPCIIndex(const mvDomainDef *def)
{
    unsigned int next = 0;

    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == MV_CONTROLLER_PCI && c->index >= next)
            next = c->index + 1;
    }
    return next;
}

static bool
qemuPrimaryVideoFits(const mvDomainDef *def, const qemuPCIDev *d, const qemuPCISet *set,
                     unsigned int *slot)
{
    const mvDomainVideoDef *v;

    if (strcmp(d->what, "video") != 0 || !def->videos->len)
        return false;
    v = g_ptr_array_index(def->videos, 0);
    if (&v->info != d->info || !v->primary)
        return false;
    *slot = set->q35 ? 1 : 2;
    return g_array_index(set->buses, qemuPCIBus, 0).used[*slot] == 0;
}

/* The ich9 sound card of a q35 guest is built in at 00:1b.0. */
static bool
qemuIntegratedSoundFits(const mvDomainDef *def, const qemuPCIDev *d, const qemuPCISet *set)
{
    if (!set->q35 || strcmp(d->what, "sound") != 0 ||
        g_array_index(set->buses, qemuPCIBus, 0).used[0x1b] != 0)
        return false;
    for (guint i = 0; i < def->sounds->len; i++) {
        const mvDomainSoundDef *s = g_ptr_array_index(def->sounds, i);

        if (&s->info == d->info)
            return s->model == MV_SOUND_MODEL_ICH9;
    }
    return false;
}

static int
qemuQ35AddControllers(mvDomainDef *def, const qemuPCISet *real, GArray *devs)
{
    qemuPCISet dry = { g_array_copy(real->buses), true };
    unsigned int next = qemuNextPCIIndex(def);
    unsigned int firstNew = next;
    bool addedPort = false;
    bool hadPorts = false;
    GArray *added = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GArray) usb2Groups = g_array_new(FALSE, FALSE, sizeof(unsigned int));

    for (guint i = 0; i < dry.buses->len; i++)
        hadPorts |= g_array_index(dry.buses, qemuPCIBus, i).kind == QEMU_BUS_ROOT_PORT;
    /* PCI controllers still without an address need a place too */
    for (guint i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type != MV_CONTROLLER_PCI || c->info.addr.type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        if (qemuBusKindOf(c->model) == QEMU_BUS_PCI_BRIDGE) {
            unsigned int b, s;

            if (qemuPCISetFindSlot(&dry, QEMU_CONN_PCIE, &b, &s)) {
                qemuPCISetBus(&dry, b)->used[s] = 0xff;
            } else {
                int kind = QEMU_BUS_ROOT_PORT;

                qemuPCISetAddBus(&dry, next, QEMU_BUS_ROOT_PORT)->used[0] = 0xff;
                g_array_append_val(added, kind);
                next++;
                addedPort = true;
            }
        }
    }
    for (guint i = 0; i < devs->len; i++) {
        const qemuPCIDev *d = &g_array_index(devs, qemuPCIDev, i);
        unsigned int b, s;

        if (d->info->addr.type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        if (d->usb2) {
            /* one slot for the whole group */
            bool placed = qemuUSB2Placed(def, d->usb2) != NULL;

            for (guint k = 0; k < usb2Groups->len && !placed; k++)
                placed = g_array_index(usb2Groups, unsigned int, k) == d->usb2->index;
            if (placed)
                continue;
            g_array_append_val(usb2Groups, d->usb2->index);
        }
        if (qemuPrimaryVideoFits(def, d, &dry, &s)) {
            g_array_index(dry.buses, qemuPCIBus, 0).used[s] = 0xff;
            continue;
        }
        if (qemuIntegratedSoundFits(def, d, &dry)) {
            g_array_index(dry.buses, qemuPCIBus, 0).used[0x1b] = 0xff;
            continue;
        }
        if (qemuPCISetFindSlot(&dry, d->conn, &b, &s)) {
            qemuPCISetBus(&dry, b)->used[s] = 0xff;
            continue;
        }
        {
            int kind = QEMU_BUS_ROOT_PORT;

            qemuPCISetAddBus(&dry, next, QEMU_BUS_ROOT_PORT)->used[0] = 0xff;
            g_array_append_val(added, kind);
            next++;
            addedPort = true;
        }
        if (d->conn == QEMU_CONN_PCI) {
            int kind = QEMU_BUS_PCI_BRIDGE;

            qemuPCISetAddBus(&dry, next, QEMU_BUS_PCI_BRIDGE)->used[1] = 0xff;
            g_array_append_val(added, kind);
            next++;
        }
    }
    /* one spare root port for hotplug, when libvirt placed them all */
    if (addedPort && !hadPorts) {
        int kind = QEMU_BUS_ROOT_PORT;

        g_array_append_val(added, kind);
    }
    for (guint i = 0; i < added->len; i++) {
        if (g_array_index(added, int, i) == QEMU_BUS_ROOT_PORT)
            qemuAddRootPort(def, firstNew + i);
        else
            qemuAddPCIeToPCIBridge(def, firstNew + i);
    }
    g_array_unref(added);
    g_array_unref(dry.buses);
    return 0;
}

/* ---- the real pass ---- */

static int
qemuAssignPCIControllers(mvDomainDef *def, qemuPCISet *set)
{
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    int lastSlot = -1;
    unsigned int lastFn = 0;
    mvDomainControllerDef *lastFirst = NULL;

    for (guint i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == MV_CONTROLLER_PCI && c->index > 0)
            g_ptr_array_add(order, c);
    }
    for (guint i = 0; i < order->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(order, i);
        int kind = qemuBusKindOf(c->model);
        unsigned int b, s;

        if (c->info.addr.type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        if (kind == QEMU_BUS_ROOT_PORT && set->q35) {
            qemuPCIBus *root = qemuPCISetBus(set, 0);

            if (lastSlot >= 0 && lastFn < 7 &&
                !(root->used[lastSlot] & (1u << (lastFn + 1)))) {
                lastFn++;
                qemuPCISetAssign(set, &c->info, 0, (unsigned int)lastSlot, lastFn);
                if (lastFirst)
                    lastFirst->info.addr.multifunction = MV_TRISTATE_YES;
            } else {
                for (s = 1; s < QEMU_PCI_SLOTS && root->used[s]; s++)
                    ;
                if (s == QEMU_PCI_SLOTS) {
                    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                                  "No more available PCI slots on the PCIe root bus for "
                                  "pcie-root-port controllers");
                    return -1;
                }
                qemuPCISetAssign(set, &c->info, 0, s, 0);
                lastSlot = (int)s;
                lastFn = 0;
                lastFirst = c;
            }
        } else {
            int conn = kind == QEMU_BUS_PCI_BRIDGE && set->q35 &&
                       strcmp(c->model, "pcie-to-pci-bridge") == 0 ?
                       QEMU_CONN_PCIE : QEMU_CONN_PCI;

            if (!qemuPCISetFindSlot(set, conn, &b, &s)) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "No more available PCI slots for PCI controller index %u",
                              c->index);
                return -1;
            }
            qemuPCISetAssign(set, &c->info, b, s, 0);
        }
        if (strcmp(c->model, "pcie-root-port") == 0 && c->port < 0)
            c->port = (int)((c->info.addr.slot << 3) + c->info.addr.function);
    }
    /* ports of root ports that came with an address but no port */
    for (guint i = 0; i < order->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(order, i);

        if (strcmp(c->model, "pcie-root-port") == 0 && c->port < 0 &&
            c->info.addr.type == MV_DOMAIN_ADDRESS_PCI)
            c->port = (int)((c->info.addr.slot << 3) + c->info.addr.function);
    }
    return 0;
}

static int
qemuAssignPCIDevices(mvDomainDef *def, qemuPCISet *set, GArray *devs)
{
    for (guint i = 0; i < devs->len; i++) {
        qemuPCIDev *d = &g_array_index(devs, qemuPCIDev, i);
        unsigned int b, s;

        if (d->info->addr.type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        if (qemuPrimaryVideoFits(def, d, set, &s)) {
            qemuPCISetAssign(set, d->info, 0, s, 0);
            continue;
        }
        if (qemuIntegratedSoundFits(def, d, set)) {
            qemuPCISetAssign(set, d->info, 0, 0x1b, 0);
            continue;
        }
        if (d->usb2) {
            if (qemuAssignUSB2(def, set, d) < 0)
                return -1;
            continue;
        }
        if (!qemuPCISetFindSlot(set, d->conn, &b, &s)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "No more available PCI slots for a %s device: add a %s controller",
                          d->what, set->q35 ? (d->conn == QEMU_CONN_PCIE ?
                                               "pcie-root-port" : "pcie-to-pci-bridge") :
                          "pci-bridge");
            return -1;
        }
        qemuPCISetAssign(set, d->info, b, s, 0);
    }
    return 0;
}

/* ---- virtio-serial ports and USB ports ---- */

static int
qemuAssignVirtioSerial(mvDomainDef *def)
{
    for (guint i = 0; i < def->channels->len; i++) {
        mvDomainChrDef *c = g_ptr_array_index(def->channels, i);
        mvDomainDeviceAddress *a = &c->info.addr;
        unsigned int port = 1;
        bool taken = true;

        if (g_strcmp0(c->targetType, "virtio") != 0 || a->type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        while (taken) {
            taken = false;
            for (guint j = 0; j < def->channels->len; j++) {
                const mvDomainChrDef *o = g_ptr_array_index(def->channels, j);

                if (o->info.addr.type == MV_DOMAIN_ADDRESS_VIRTIO_SERIAL &&
                    o->info.addr.controller == 0 && o->info.addr.bus == 0 &&
                    o->info.addr.port == port) {
                    taken = true;
                    port++;
                    break;
                }
            }
        }
        if (port > 31) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "No more free ports on virtio-serial controller 0: add another "
                          "virtio-serial controller");
            return -1;
        }
        a->type = MV_DOMAIN_ADDRESS_VIRTIO_SERIAL;
        a->controller = 0;
        a->bus = 0;
        a->port = port;
    }
    /* a port used twice */
    for (guint i = 0; i < def->channels->len; i++) {
        const mvDomainChrDef *a = g_ptr_array_index(def->channels, i);

        for (guint j = i + 1; j < def->channels->len; j++) {
            const mvDomainChrDef *b = g_ptr_array_index(def->channels, j);

            if (a->info.addr.type == MV_DOMAIN_ADDRESS_VIRTIO_SERIAL &&
                b->info.addr.type == MV_DOMAIN_ADDRESS_VIRTIO_SERIAL &&
                a->info.addr.controller == b->info.addr.controller &&
                a->info.addr.bus == b->info.addr.bus && a->info.addr.port == b->info.addr.port) {
                mvReportError(VIR_ERR_XML_ERROR,
                              "virtio serial port %u on controller %u is used twice",
                              a->info.addr.port, a->info.addr.controller);
                return -1;
            }
        }
    }
    return 0;
}

static unsigned int
qemuUSBPorts(const mvDomainControllerDef *c)
{
    if (c->ports > 0)
        return (unsigned int)c->ports;
    if (!c->model)
        return 2;
    if (strstr(c->model, "ehci"))
        return 6;
    if (strstr(c->model, "xhci"))
        return 4;
    return 2;
}

static int
qemuAssignUSB(mvDomainDef *def)
{
    g_autoptr(GPtrArray) infos = g_ptr_array_new();
    mvDomainControllerDef *usb = NULL;
    unsigned int nports;
    guint8 used[64] = { 0 };

    /* bus 0's ports are those of its master (companions add none) */
    for (guint i = 0; i < def->controllers->len && !usb; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == MV_CONTROLLER_USB && c->index == 0 && !c->master)
            usb = c;
    }

    for (guint i = 0; i < def->inputs->len; i++) {
        mvDomainInputDef *in = g_ptr_array_index(def->inputs, i);

        if (strcmp(in->bus, "usb") == 0)
            g_ptr_array_add(infos, &in->info);
    }
    for (guint i = 0; i < def->sounds->len; i++) {
        mvDomainSoundDef *s = g_ptr_array_index(def->sounds, i);

        if (s->model == MV_SOUND_MODEL_USB)
            g_ptr_array_add(infos, &s->info);
    }
    for (guint i = 0; i < def->hostdevs->len; i++) {
        mvDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);

        if (h->type == MV_HOSTDEV_SUBSYS_USB)
            g_ptr_array_add(infos, &h->info);
    }
    for (guint i = 0; i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        if (d->bus == MV_DISK_BUS_USB)
            g_ptr_array_add(infos, &d->info);
    }
    if (!infos->len)
        return 0;
    if (!usb || g_strcmp0(usb->model, "none") == 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "USB is disabled for this domain, but USB devices are present in the "
                      "domain XML");
        return -1;
    }
    nports = MIN(qemuUSBPorts(usb), G_N_ELEMENTS(used) - 1);
    for (guint i = 0; i < infos->len; i++) {
        mvDomainDeviceInfo *info = g_ptr_array_index(infos, i);
        guint64 p;

        if (info->addr.type != MV_DOMAIN_ADDRESS_USB || !info->addr.usbPort)
            continue;
        if (info->addr.bus == 0 && g_ascii_string_to_unsigned(info->addr.usbPort, 10, 1,
                                                              nports, &p, NULL)) {
            if (used[p]) {
                mvReportError(VIR_ERR_XML_ERROR,
                              "Attempted double use of USB port %s on bus 0",
                              info->addr.usbPort);
                return -1;
            }
            used[p] = 1;
        }
    }
    for (guint i = 0; i < infos->len; i++) {
        mvDomainDeviceInfo *info = g_ptr_array_index(infos, i);
        unsigned int p;

        if (info->addr.type != MV_DOMAIN_ADDRESS_NONE)
            continue;
        for (p = 1; p <= nports && used[p]; p++)
            ;
        if (p > nports) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "No free USB ports on controller index 0 (model '%s', %u ports): "
                          "use a controller with more ports", usb->model, nports);
            return -1;
        }
        used[p] = 1;
        info->addr.type = MV_DOMAIN_ADDRESS_USB;
        info->addr.bus = 0;
        info->addr.usbPort = g_strdup_printf("%u", p);
    }
    return 0;
}

static int
qemuCheckDriveAddresses(const mvDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const mvDomainDiskDef *a = g_ptr_array_index(def->disks, i);

        if (a->info.addr.type != MV_DOMAIN_ADDRESS_DRIVE)
            continue;
        for (guint j = i + 1; j < def->disks->len; j++) {
            const mvDomainDiskDef *b = g_ptr_array_index(def->disks, j);

            if (b->info.addr.type == MV_DOMAIN_ADDRESS_DRIVE && a->bus == b->bus &&
                a->info.addr.controller == b->info.addr.controller &&
                a->info.addr.bus == b->info.addr.bus &&
                a->info.addr.target == b->info.addr.target &&
                a->info.addr.unit == b->info.addr.unit) {
                mvReportError(VIR_ERR_XML_ERROR,
                              "disks '%s' and '%s' have the same drive address "
                              "(controller %u, bus %u, target %u, unit %u)", a->dst, b->dst,
                              a->info.addr.controller, a->info.addr.bus,
                              a->info.addr.target, a->info.addr.unit);
                return -1;
            }
        }
    }
    return 0;
}

/* Gives the primary video its traditional slot before anything else may
 * take it (00:02.0 on i440fx, 00:01.0 on q35). */
static void
qemuAssignPrimaryVideo(mvDomainDef *def, qemuPCISet *set, GArray *devs)
{
    for (guint i = 0; i < devs->len; i++) {
        qemuPCIDev *d = &g_array_index(devs, qemuPCIDev, i);
        unsigned int s;

        if (d->info->addr.type == MV_DOMAIN_ADDRESS_NONE &&
            qemuPrimaryVideoFits(def, d, set, &s))
            qemuPCISetAssign(set, d->info, 0, s, 0);
    }
}

static int
qemuAssignAddressesWith(mvDomainDef *def, qemuPCISet *set)
{
    g_autoptr(GArray) devs = qemuPCIDevList(def);

    if (qemuPCISetBuild(def, set) < 0 ||
        qemuPCISetReserveAll(def, set, devs) < 0)
        return -1;
    if (set->q35) {
        if (qemuQ35AddControllers(def, set, devs) < 0)
            return -1;
        /* the set again, now with the new controllers */
        g_clear_pointer(&set->buses, g_array_unref);
        g_clear_pointer(&devs, g_array_unref);
        devs = qemuPCIDevList(def);
        if (qemuPCISetBuild(def, set) < 0 || qemuPCISetReserveAll(def, set, devs) < 0)
            return -1;
    }
    qemuAssignPrimaryVideo(def, set, devs);
    if (qemuAssignPCIControllers(def, set) < 0 ||
        qemuAssignPCIDevices(def, set, devs) < 0 ||
        qemuAssignVirtioSerial(def) < 0 ||
        qemuAssignUSB(def) < 0 ||
        qemuCheckDriveAddresses(def) < 0)
        return -1;
    return 0;
}

int
mvQemuDomainAssignAddresses(mvDomainDef *def, const mvQemuCaps *caps)
{
    qemuPCISet set = { 0 };
    int ret;

    (void)caps;
    if (!mvQemuDomainIsQ35(def) && !mvQemuDomainIsI440FX(def)) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "machine type '%s' is not supported by modvirt's address assignment "
                      "yet: use a pc-i440fx or pc-q35 machine", def->os.machine);
        return -1;
    }
    ret = qemuAssignAddressesWith(def, &set);
    if (set.buses)
        g_array_unref(set.buses);
    return ret;
}
