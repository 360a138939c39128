/*
 * qemu_command_devices: the device part of the QEMU command line
 * (controllers, NICs as -netdev + -device, character devices, TPM, inputs, audio, graphics,
 * video, sound, watchdog, host devices, balloon, RNG, panic, shared memory,
 * vsock) and the device aliases libvirt gives at start; disks and
 * filesystems are in qemu_command_disks.c.  See qemu_command.h.
 *
 * Device ids are the aliases; a device without one (domxml-to-native on a
 * definition that never started) gets the alias mvQemuAssignAliases would
 * give it, computed on the fly, so the argv is the same either way.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "qemu_command.h"
#include "qemu_command_priv.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

/* ---- aliases ---- */

static long
qemuDiskIndex(const char *dst)
{
    static const char * const prefixes[] = { "xvd", "fd", "hd", "vd", "sd", "ubd" };
    const char *p = NULL;
    long idx = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(dst, prefixes[i])) {
            p = dst + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !*p)
        return 0;
    for (size_t i = 0; *p >= 'a' && *p <= 'z'; p++, i++)
        idx = (idx + (i ? 1 : 0)) * 26 + (*p - 'a');
    return idx;
}

char *
qemuDiskAlias(const mvDomainDef *def, const mvDomainDiskDef *d)
{
    const mvDomainDeviceAddress *a = &d->info.addr;
    const mvDomainControllerDef *scsi;

    switch ((mvDiskBus)d->bus) {
    case MV_DISK_BUS_IDE:
        return g_strdup_printf("ide%u-%u-%u", a->controller, a->bus, a->unit);
    case MV_DISK_BUS_SATA:
        return g_strdup_printf("sata%u-%u-%u", a->controller, a->bus, a->unit);
    case MV_DISK_BUS_SCSI:
        scsi = mvDomainDefFindController(def, MV_CONTROLLER_SCSI, a->controller);
        if (!scsi || g_strcmp0(scsi->model, "lsilogic") == 0)
            return g_strdup_printf("scsi%u-%u-%u", a->controller, a->bus, a->unit);
        return g_strdup_printf("scsi%u-%u-%u-%u", a->controller, a->bus, a->target, a->unit);
    case MV_DISK_BUS_FDC:
        return g_strdup_printf("fdc%u-%u-%u", a->controller, a->bus, a->unit);
    case MV_DISK_BUS_VIRTIO:
        return g_strdup_printf("virtio-disk%ld", qemuDiskIndex(d->dst));
    case MV_DISK_BUS_USB:
        return g_strdup_printf("usb-disk%ld", qemuDiskIndex(d->dst));
    case MV_DISK_BUS_NONE:
    case MV_DISK_BUS_XEN:
    case MV_DISK_BUS_SD:
    case MV_DISK_BUS_LAST:
        break;
    }
    return g_strdup_printf("disk%ld", qemuDiskIndex(d->dst));
}

static char *
qemuControllerAlias(const mvDomainDef *def, const mvDomainControllerDef *c)
{
    switch ((mvControllerType)c->type) {
    case MV_CONTROLLER_PCI:
        if (c->index == 0)
            return g_strdup(mvQemuDomainIsQ35(def) ? "pcie.0" : "pci.0");
        return g_strdup_printf("pci.%u", c->index);
    case MV_CONTROLLER_USB:
        return c->index == 0 ? g_strdup("usb") : g_strdup_printf("usb%u", c->index);
    case MV_CONTROLLER_IDE:
        return g_strdup_printf("ide%u", c->index);
    case MV_CONTROLLER_SATA:
        return g_strdup_printf("sata%u", c->index);
    case MV_CONTROLLER_FDC:
        return g_strdup_printf("fdc%u", c->index);
    case MV_CONTROLLER_SCSI:
        return g_strdup_printf("scsi%u", c->index);
    case MV_CONTROLLER_VIRTIO_SERIAL:
        return g_strdup_printf("virtio-serial%u", c->index);
    case MV_CONTROLLER_CCID:
        return g_strdup_printf("ccid%u", c->index);
    case MV_CONTROLLER_XENBUS:
    case MV_CONTROLLER_ISA:
    case MV_CONTROLLER_LAST:
        break;
    }
    return g_strdup_printf("controller%u", c->index);
}

static void
qemuSetAlias(mvDomainDeviceInfo *info, char *alias)
{
    if (info->alias)
        g_free(alias);
    else
        info->alias = alias;
}

int
mvQemuAssignAliases(mvDomainDef *def)
{
    guint i;

    for (i = 0; i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        qemuSetAlias(&d->info, qemuDiskAlias(def, d));
    }
    for (i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        qemuSetAlias(&c->info, qemuControllerAlias(def, c));
    }
    for (i = 0; i < def->nets->len; i++)
        qemuSetAlias(&((mvDomainNetDef *)g_ptr_array_index(def->nets, i))->info,
                     g_strdup_printf("net%u", i));
    for (i = 0; i < def->serials->len; i++)
        qemuSetAlias(&((mvDomainChrDef *)g_ptr_array_index(def->serials, i))->info,
                     g_strdup_printf("serial%u", i));
    for (i = 0; i < def->parallels->len; i++)
        qemuSetAlias(&((mvDomainChrDef *)g_ptr_array_index(def->parallels, i))->info,
                     g_strdup_printf("parallel%u", i));
    for (i = 0; i < def->channels->len; i++)
        qemuSetAlias(&((mvDomainChrDef *)g_ptr_array_index(def->channels, i))->info,
                     g_strdup_printf("channel%u", i));
    for (i = 0; i < def->consoles->len; i++) {
        mvDomainChrDef *c = g_ptr_array_index(def->consoles, i);

        qemuSetAlias(&c->info, i == 0 && g_strcmp0(c->targetType, "serial") == 0 ?
                     g_strdup("serial0") : g_strdup_printf("console%u", i));
    }
    for (i = 0; i < def->inputs->len; i++)
        qemuSetAlias(&((mvDomainInputDef *)g_ptr_array_index(def->inputs, i))->info,
                     g_strdup_printf("input%u", i));
    for (i = 0; i < def->videos->len; i++)
        qemuSetAlias(&((mvDomainVideoDef *)g_ptr_array_index(def->videos, i))->info,
                     g_strdup_printf("video%u", i));
    for (i = 0; i < def->sounds->len; i++)
        qemuSetAlias(&((mvDomainSoundDef *)g_ptr_array_index(def->sounds, i))->info,
                     g_strdup_printf("sound%u", i));
    for (i = 0; i < def->watchdogs->len; i++)
        qemuSetAlias(&((mvDomainWatchdogDef *)g_ptr_array_index(def->watchdogs, i))->info,
                     g_strdup_printf("watchdog%u", i));
    for (i = 0; i < def->hostdevs->len; i++)
        qemuSetAlias(&((mvDomainHostdevDef *)g_ptr_array_index(def->hostdevs, i))->info,
                     g_strdup_printf("hostdev%u", i));
    for (i = 0; i < def->filesystems->len; i++)
        qemuSetAlias(&((mvDomainFSDef *)g_ptr_array_index(def->filesystems, i))->info,
                     g_strdup_printf("fs%u", i));
    for (i = 0; i < def->tpms->len; i++)
        qemuSetAlias(&((mvDomainTPMDef *)g_ptr_array_index(def->tpms, i))->info,
                     g_strdup_printf("tpm%u", i));
    for (i = 0; i < def->rngs->len; i++)
        qemuSetAlias(&((mvDomainRNGDef *)g_ptr_array_index(def->rngs, i))->info,
                     g_strdup_printf("rng%u", i));
    for (i = 0; i < def->panics->len; i++)
        qemuSetAlias(&((mvDomainPanicDef *)g_ptr_array_index(def->panics, i))->info,
                     g_strdup_printf("panic%u", i));
    for (i = 0; i < def->shmems->len; i++)
        qemuSetAlias(&((mvDomainShmemDef *)g_ptr_array_index(def->shmems, i))->info,
                     g_strdup_printf("shmem%u", i));
    for (i = 0; i < def->vsocks->len; i++)
        qemuSetAlias(&((mvDomainVsockDef *)g_ptr_array_index(def->vsocks, i))->info,
                     g_strdup_printf("vsock%u", i));
    if (def->memballoon)
        qemuSetAlias(&def->memballoon->info, g_strdup("balloon0"));
    return 0;
}

/* The id of a device: its alias, or @fallback (consumed) when it has none. */
char *
qemuId(const mvDomainDeviceInfo *info, char *fallback)
{
    if (info->alias) {
        g_free(fallback);
        return g_strdup(info->alias);
    }
    return fallback;
}

/* ---- addresses ---- */

static char *
qemuPCIBusName(const mvDomainDef *def, unsigned int bus)
{
    const mvDomainControllerDef *c = mvDomainDefFindController(def, MV_CONTROLLER_PCI, bus);

    if (c && c->info.alias)
        return g_strdup(c->info.alias);
    if (bus == 0)
        return g_strdup(mvQemuDomainIsQ35(def) ? "pcie.0" : "pci.0");
    return g_strdup_printf("pci.%u", bus);
}

/* "bus", "multifunction" and "addr" of a PCI device; nothing for others. */
void
qemuJSONAddress(qemuJSON *j, const mvDomainDef *def, const mvDomainDeviceInfo *info)
{
    const mvDomainDeviceAddress *a = &info->addr;

    if (a->type == MV_DOMAIN_ADDRESS_PCI) {
        g_autofree char *bus = qemuPCIBusName(def, a->bus);
        g_autofree char *addr = a->function ?
            g_strdup_printf("0x%x.0x%x", a->slot, a->function) :
            g_strdup_printf("0x%x", a->slot);

        qemuJSONStr(j, "bus", bus);
        if (a->multifunction == MV_TRISTATE_YES)
            qemuJSONBool(j, "multifunction", true);
        else if (a->multifunction == MV_TRISTATE_NO)
            qemuJSONBool(j, "multifunction", false);
        qemuJSONStr(j, "addr", addr);
    } else if (a->type == MV_DOMAIN_ADDRESS_USB && a->usbPort) {
        if (a->bus == 0)
            qemuJSONStr(j, "bus", "usb.0");
        else {
            g_autofree char *b = g_strdup_printf("usb%u.0", a->bus);

            qemuJSONStr(j, "bus", b);
        }
        qemuJSONStr(j, "port", a->usbPort);
    }
}

/* ---- controllers ---- */

/* "ALIAS.0", the bus of the master of USB companion @c: the first USB
 * controller of @c's index that is not a companion; NULL when none. */
static char *
qemuUSBMasterBus(const mvDomainDef *def, const mvDomainControllerDef *c)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *m = g_ptr_array_index(def->controllers, i);

        if (m->type == MV_CONTROLLER_USB && m->index == c->index && !m->master) {
            g_autofree char *alias = qemuId(&m->info, qemuControllerAlias(def, m));

            return g_strdup_printf("%s.0", alias);
        }
    }
    return NULL;
}

static int
qemuBuildController(qemuCmd *cmd, const mvDomainDef *def, const mvDomainControllerDef *c)
{
    qemuJSON *j;
    const char *driver = NULL;
    bool q35 = mvQemuDomainIsQ35(def);
    g_autofree char *id = qemuId(&c->info, qemuControllerAlias(def, c));

    switch ((mvControllerType)c->type) {
    case MV_CONTROLLER_PCI:
        if (c->index == 0)
            return 0;
        j = qemuJSONNew();
        if (strcmp(c->model, "pcie-root-port") == 0) {
            qemuJSONStr(j, "driver", "pcie-root-port");
            if (c->port >= 0)
                qemuJSONInt(j, "port", c->port);
            qemuJSONInt(j, "chassis", c->chassis >= 0 ? c->chassis : (int)c->index);
        } else if (strcmp(c->model, "pcie-to-pci-bridge") == 0) {
            qemuJSONStr(j, "driver", "pcie-pci-bridge");
        } else {
            qemuJSONStr(j, "driver", "pci-bridge");
            qemuJSONInt(j, "chassis_nr", (int)c->index);
        }
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_USB:
        if (strcmp(c->model, "none") == 0)
            return 0;
        if (strcmp(c->model, "piix3-uhci") == 0)
            driver = "piix3-usb-uhci";
        else if (strcmp(c->model, "piix4-uhci") == 0)
            driver = "piix4-usb-uhci";
        else if (strcmp(c->model, "ehci") == 0)
            driver = "usb-ehci";
        else if (g_str_has_prefix(c->model, "ich9-ehci") ||
                 g_str_has_prefix(c->model, "ich9-uhci"))
            driver = NULL;
        else if (strcmp(c->model, "qemu-xhci") == 0 || strcmp(c->model, "nec-xhci") == 0)
            driver = strcmp(c->model, "nec-xhci") == 0 ? "nec-usb-xhci" : "qemu-xhci";
        else {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "USB controller model '%s' is not supported by modvirt: use "
                          "qemu-xhci, nec-xhci, ehci, ich9-ehci1 or piix3-uhci", c->model);
            return -1;
        }
        j = qemuJSONNew();
        if (!driver) {
            g_autofree char *d = g_strdup_printf("ich9-usb-%s", c->model + strlen("ich9-"));

            qemuJSONStr(j, "driver", d);
        } else {
            qemuJSONStr(j, "driver", driver);
        }
        if (c->ports > 0 && strstr(c->model, "xhci")) {
            qemuJSONInt(j, "p2", c->ports);
            qemuJSONInt(j, "p3", c->ports);
        }
        if (c->master) {
            /* a companion has no bus of its own: it serves ports of its
             * master's */
            g_autofree char *masterbus = qemuUSBMasterBus(def, c);

            if (!masterbus) {
                g_free(qemuJSONEnd(j));
                mvReportError(VIR_ERR_INTERNAL_ERROR,
                              "masterbus not found: USB companion controller '%s' with "
                              "index %u needs a master USB controller (such as ich9-ehci1) "
                              "with the same index", c->model, c->index);
                return -1;
            }
            qemuJSONStr(j, "masterbus", masterbus);
            qemuJSONInt(j, "firstport", (int)c->masterStartPort);
        } else {
            qemuJSONStr(j, "id", id);
        }
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_SCSI:
        if (strcmp(c->model, "lsilogic") == 0)
            driver = "lsi";
        else if (strcmp(c->model, "virtio-scsi") == 0)
            driver = "virtio-scsi-pci";
        else if (strcmp(c->model, "lsisas1068") == 0)
            driver = "mptsas1068";
        else if (strcmp(c->model, "lsisas1078") == 0)
            driver = "megasas";
        else {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "SCSI controller model '%s' is not supported by modvirt: use "
                          "virtio-scsi or lsilogic", c->model);
            return -1;
        }
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", driver);
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_VIRTIO_SERIAL:
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "virtio-serial-pci");
        qemuJSONStr(j, "id", id);
        if (c->ports > 0)
            qemuJSONInt(j, "max_ports", c->ports);
        if (c->vectors > 0)
            qemuJSONInt(j, "vectors", c->vectors);
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_SATA:
        if (q35 && c->index == 0)
            return 0;
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "ahci");
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_IDE:
    case MV_CONTROLLER_FDC:
        return 0;
    case MV_CONTROLLER_CCID:
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "usb-ccid");
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &c->info);
        qemuCmdAddJSON(cmd, "-device", j);
        return 0;
    case MV_CONTROLLER_XENBUS:
    case MV_CONTROLLER_ISA:
    case MV_CONTROLLER_LAST:
        break;
    }
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "controller type '%s' is not supported by QEMU",
                  mvControllerTypeToString(c->type));
    return -1;
}

static int
qemuBuildControllers(qemuCmd *cmd, const mvDomainDef *def)
{
    static const int order[] = {
        MV_CONTROLLER_PCI, MV_CONTROLLER_USB, MV_CONTROLLER_SCSI, MV_CONTROLLER_IDE,
        MV_CONTROLLER_SATA, MV_CONTROLLER_FDC, MV_CONTROLLER_VIRTIO_SERIAL, MV_CONTROLLER_CCID,
    };

    for (size_t k = 0; k < G_N_ELEMENTS(order); k++) {
        g_autoptr(GPtrArray) sorted = g_ptr_array_new();

        for (guint i = 0; i < def->controllers->len; i++) {
            mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

            if (c->type == order[k])
                g_ptr_array_add(sorted, c);
        }
        for (guint i = 0; i < sorted->len; i++)
            if (qemuBuildController(cmd, def, g_ptr_array_index(sorted, i)) < 0)
                return -1;
    }
    return 0;
}

/* ---- network interfaces ---- */

static int
qemuBuildNets(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts,
              const GArray *boot)
{
    for (guint i = 0; i < def->nets->len; i++) {
        const mvDomainNetDef *n = g_ptr_array_index(def->nets, i);
        int fd = i < opts->ntapFDs && opts->tapFDs ? opts->tapFDs[i] : -1;
        g_autofree char *id = qemuId(&n->info, g_strdup_printf("net%u", i));
        g_autofree char *hostnet = g_strdup_printf("host%s", id);
        g_autofree char *mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", n->mac[0],
                                               n->mac[1], n->mac[2], n->mac[3], n->mac[4],
                                               n->mac[5]);
        const char *model = n->model ? n->model : "rtl8139";
        unsigned int bootIndex = qemuBootIndexOf(boot, n, &n->info);
        qemuJSON *nd = qemuJSONNew();
        qemuJSON *j;

        switch ((mvNetType)n->type) {
        case MV_NET_USER:
            qemuJSONStr(nd, "type", "user");
            break;
        case MV_NET_NETWORK:
        case MV_NET_BRIDGE:
        case MV_NET_ETHERNET:
        case MV_NET_DIRECT:
            qemuJSONStr(nd, "type", "tap");
            if (fd > 0) {
                g_autofree char *fds = g_strdup_printf("%d", fd);

                qemuJSONStr(nd, "fd", fds);
            } else if (n->type == MV_NET_DIRECT) {
                g_free(qemuJSONEnd(nd));
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "interface %s of type 'direct' needs a macvtap file "
                              "descriptor from the driver", mac);
                return -1;
            } else {
                g_autofree char *ifname = n->ifname ? g_strdup(n->ifname) :
                                          g_strdup_printf("vnet%u", i);

                qemuJSONStr(nd, "ifname", ifname);
                qemuJSONStr(nd, "script", "no");
                qemuJSONStr(nd, "downscript", "no");
            }
            break;
        case MV_NET_LAST:
            break;
        }
        qemuJSONStr(nd, "id", hostnet);
        qemuCmdAddJSON(cmd, "-netdev", nd);

        j = qemuJSONNew();
        qemuJSONStr(j, "driver", strcmp(model, "virtio") == 0 ? "virtio-net-pci" : model);
        qemuJSONStr(j, "netdev", hostnet);
        qemuJSONStr(j, "id", id);
        qemuJSONStr(j, "mac", mac);
        qemuJSONAddress(j, def, &n->info);
        if (bootIndex)
            qemuJSONUInt(j, "bootindex", bootIndex);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

/* ---- character devices ---- */

/* -chardev for @src with id @id; @defaultPath is used by a unix source
 * without a path. */
static int
qemuBuildChardev(qemuCmd *cmd, const mvDomainChrSource *src, const char *id,
                 const char *defaultPath)
{
    g_autoptr(GString) s = g_string_new(NULL);

    switch ((mvChrType)src->type) {
    case MV_CHR_NULL:
        g_string_append_printf(s, "null,id=%s", id);
        break;
    case MV_CHR_PTY:
        g_string_append_printf(s, "pty,id=%s", id);
        break;
    case MV_CHR_STDIO:
        g_string_append_printf(s, "stdio,id=%s", id);
        break;
    case MV_CHR_FILE:
        g_string_append_printf(s, "file,id=%s,path=", id);
        mvQemuBufEscapeComma(s, src->path ? src->path : "");
        if (src->append != MV_TRISTATE_ABSENT)
            g_string_append_printf(s, ",append=%s",
                                   src->append == MV_TRISTATE_YES ? "on" : "off");
        break;
    case MV_CHR_TCP:
        g_string_append_printf(s, "socket,id=%s,host=", id);
        mvQemuBufEscapeComma(s, src->host ? src->host : "localhost");
        g_string_append_printf(s, ",port=%s", src->service ? src->service : "0");
        if (g_strcmp0(src->protocol, "telnet") == 0)
            g_string_append(s, ",telnet=on");
        if (src->bind)
            g_string_append(s, ",server=on,wait=off");
        break;
    case MV_CHR_UNIX:
        g_string_append_printf(s, "socket,id=%s,path=", id);
        mvQemuBufEscapeComma(s, src->path ? src->path : defaultPath);
        if (src->bind || !src->path)
            g_string_append(s, ",server=on,wait=off");
        break;
    case MV_CHR_LAST:
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "unsupported character device type");
        return -1;
    }
    qemuCmdAddPair(cmd, "-chardev", s->str);
    return 0;
}

static int
qemuBuildSerials(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    for (guint i = 0; i < def->serials->len; i++) {
        const mvDomainChrDef *c = g_ptr_array_index(def->serials, i);
        g_autofree char *id = qemuId(&c->info, g_strdup_printf("serial%u", i));
        g_autofree char *chr = g_strdup_printf("char%s", id);
        g_autofree char *path = g_strdup_printf("%s/%s.sock", opts->libDir ? opts->libDir : ".",
                                                id);
        qemuJSON *j;

        if (qemuBuildChardev(cmd, &c->src, chr, path) < 0)
            return -1;
        j = qemuJSONNew();
        if (g_strcmp0(c->targetType, "usb-serial") == 0 ||
            g_strcmp0(c->targetModel, "usb-serial") == 0) {
            qemuJSONStr(j, "driver", "usb-serial");
            qemuJSONStr(j, "chardev", chr);
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &c->info);
        } else if (g_strcmp0(c->targetType, "pci-serial") == 0) {
            qemuJSONStr(j, "driver", "pci-serial");
            qemuJSONStr(j, "chardev", chr);
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &c->info);
        } else {
            qemuJSONStr(j, "driver", "isa-serial");
            qemuJSONStr(j, "chardev", chr);
            qemuJSONStr(j, "id", id);
            qemuJSONInt(j, "index", MAX(c->targetPort, 0));
        }
        qemuCmdAddJSON(cmd, "-device", j);
    }
    for (guint i = 0; i < def->parallels->len; i++) {
        const mvDomainChrDef *c = g_ptr_array_index(def->parallels, i);
        g_autofree char *id = qemuId(&c->info, g_strdup_printf("parallel%u", i));
        g_autofree char *chr = g_strdup_printf("char%s", id);
        g_autofree char *path = g_strdup_printf("%s/%s.sock", opts->libDir ? opts->libDir : ".",
                                                id);
        qemuJSON *j;

        if (qemuBuildChardev(cmd, &c->src, chr, path) < 0)
            return -1;
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "isa-parallel");
        qemuJSONStr(j, "chardev", chr);
        qemuJSONStr(j, "id", id);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    for (guint i = 0; i < def->channels->len; i++) {
        const mvDomainChrDef *c = g_ptr_array_index(def->channels, i);
        const mvDomainDeviceAddress *a = &c->info.addr;
        g_autofree char *id = qemuId(&c->info, g_strdup_printf("channel%u", i));
        g_autofree char *chr = g_strdup_printf("char%s", id);
        g_autofree char *path = g_strdup_printf("%s/%s", opts->libDir ? opts->libDir : ".",
                                                c->targetName ? c->targetName : id);
        g_autofree char *bus = g_strdup_printf("virtio-serial%u.%u", a->controller, a->bus);
        qemuJSON *j;

        if (qemuBuildChardev(cmd, &c->src, chr, path) < 0)
            return -1;
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "virtserialport");
        qemuJSONStr(j, "bus", bus);
        qemuJSONUInt(j, "nr", a->port);
        qemuJSONStr(j, "chardev", chr);
        qemuJSONStr(j, "id", id);
        if (c->targetName)
            qemuJSONStr(j, "name", c->targetName);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    for (guint i = 0; i < def->consoles->len; i++) {
        const mvDomainChrDef *c = g_ptr_array_index(def->consoles, i);
        g_autofree char *id = NULL;
        g_autofree char *chr = NULL;
        g_autofree char *path = NULL;
        qemuJSON *j;

        if (g_strcmp0(c->targetType, "serial") == 0)
            continue;   /* the first serial port itself */
        if (g_strcmp0(c->targetType, "virtio") != 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "console target type '%s' is not supported by QEMU on x86: use "
                          "'serial' or 'virtio'", c->targetType ? c->targetType : "");
            return -1;
        }
        id = qemuId(&c->info, g_strdup_printf("console%u", i));
        chr = g_strdup_printf("char%s", id);
        path = g_strdup_printf("%s/%s.sock", opts->libDir ? opts->libDir : ".", id);
        if (qemuBuildChardev(cmd, &c->src, chr, path) < 0)
            return -1;
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "virtconsole");
        qemuJSONStr(j, "chardev", chr);
        qemuJSONStr(j, "id", id);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

/* ---- TPM ---- */

static int
qemuBuildTPM(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    for (guint i = 0; i < def->tpms->len; i++) {
        const mvDomainTPMDef *t = g_ptr_array_index(def->tpms, i);
        g_autofree char *id = qemuId(&t->info, g_strdup_printf("tpm%u", i));
        g_autoptr(GString) s = g_string_new(NULL);
        g_autofree char *tpmdev = g_strdup_printf("tpm-%s", id);
        qemuJSON *j;

        if (t->backend == MV_TPM_BACKEND_EMULATOR) {
            g_autofree char *sock = g_strdup_printf("%s/%s.sock",
                                                    opts->libDir ? opts->libDir : ".", id);
            g_autoptr(GString) chr = g_string_new("socket,id=chrtpm,path=");

            mvQemuBufEscapeComma(chr, sock);
            qemuCmdAddPair(cmd, "-chardev", chr->str);
            g_string_append_printf(s, "emulator,id=%s,chardev=chrtpm", tpmdev);
        } else {
            g_string_append_printf(s, "passthrough,id=%s,path=", tpmdev);
            mvQemuBufEscapeComma(s, t->devicePath ? t->devicePath : "/dev/tpm0");
        }
        qemuCmdAddPair(cmd, "-tpmdev", s->str);
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", t->model == MV_TPM_MODEL_CRB ? "tpm-crb" : "tpm-tis");
        qemuJSONStr(j, "tpmdev", tpmdev);
        qemuJSONStr(j, "id", id);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

/* ---- inputs, audio, graphics, video, sound ---- */

static int
qemuBuildInputs(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->inputs->len; i++) {
        const mvDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        g_autofree char *id = qemuId(&in->info, g_strdup_printf("input%u", i));
        const char *driver;
        qemuJSON *j;

        if (strcmp(in->bus, "ps2") == 0)
            continue;
        if (strcmp(in->bus, "usb") == 0)
            driver = strcmp(in->type, "tablet") == 0 ? "usb-tablet" :
                     strcmp(in->type, "mouse") == 0 ? "usb-mouse" : "usb-kbd";
        else
            driver = strcmp(in->type, "tablet") == 0 ? "virtio-tablet-pci" :
                     strcmp(in->type, "mouse") == 0 ? "virtio-mouse-pci" :
                     "virtio-keyboard-pci";
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", driver);
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &in->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

static const char *
qemuAudioDriver(const char *type)
{
    if (strcmp(type, "pulseaudio") == 0)
        return "pa";
    return type;
}

static void
qemuBuildAudio(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->audios->len; i++) {
        const mvDomainAudioDef *a = g_ptr_array_index(def->audios, i);
        g_autofree char *id = g_strdup_printf("audio%u", a->id);
        qemuJSON *j = qemuJSONNew();

        qemuJSONStr(j, "id", id);
        qemuJSONStr(j, "driver", qemuAudioDriver(a->type));
        qemuCmdAddJSON(cmd, "-audiodev", j);
    }
}

static unsigned int
qemuDefaultAudioId(const mvDomainDef *def)
{
    return def->audios->len ? ((mvDomainAudioDef *)g_ptr_array_index(def->audios, 0))->id : 0;
}

static int
qemuBuildGraphics(qemuCmd *cmd, const mvDomainDef *def)
{
    unsigned int audio = qemuDefaultAudioId(def);

    for (guint i = 0; i < def->graphics->len; i++) {
        const mvDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        const mvGraphicsListen *l = g->nlistens ? &g->listens[0] : NULL;
        const char *addr = l && l->address ? l->address : "127.0.0.1";
        g_autoptr(GString) s = g_string_new(NULL);

        if (g->type == MV_GRAPHICS_VNC) {
            if (l && l->type == MV_GRAPHICS_LISTEN_SOCKET) {
                g_string_append(s, "vnc=unix:");
                mvQemuBufEscapeComma(s, l->socket ? l->socket : "vnc.sock");
            } else if (l && l->type == MV_GRAPHICS_LISTEN_NONE) {
                g_string_append(s, "none");
            } else {
                int display = g->port >= 5900 ? g->port - 5900 : 0;

                if (strchr(addr, ':'))
                    g_string_append_printf(s, "[%s]:%d", addr, display);
                else
                    g_string_append_printf(s, "%s:%d", addr, display);
            }
            if (g->passwd)
                g_string_append(s, ",password=on");
            if (audio)
                g_string_append_printf(s, ",audiodev=audio%u", audio);
            qemuCmdAddPair(cmd, "-vnc", s->str);
            if (g->keymap)
                qemuCmdAddPair(cmd, "-k", g->keymap);
        } else {
            int port = g->port > 0 ? g->port : 5900;

            if (l && l->type == MV_GRAPHICS_LISTEN_SOCKET) {
                g_string_append(s, "unix=on,addr=");
                mvQemuBufEscapeComma(s, l->socket ? l->socket : "spice.sock");
            } else {
                g_string_append_printf(s, "port=%d", port);
                if (g->tlsPort > 0)
                    g_string_append_printf(s, ",tls-port=%d", g->tlsPort);
                g_string_append(s, ",addr=");
                mvQemuBufEscapeComma(s, addr);
            }
            if (!g->passwd)
                g_string_append(s, ",disable-ticketing=on");
            g_string_append(s, ",seamless-migration=on");
            qemuCmdAddPair(cmd, "-spice", s->str);
        }
    }
    return 0;
}

static int
qemuBuildVideos(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->videos->len; i++) {
        const mvDomainVideoDef *v = g_ptr_array_index(def->videos, i);
        g_autofree char *id = qemuId(&v->info, g_strdup_printf("video%u", i));
        qemuJSON *j;

        if (strcmp(v->model, "none") == 0)
            continue;
        j = qemuJSONNew();
        if (strcmp(v->model, "cirrus") == 0) {
            qemuJSONStr(j, "driver", "cirrus-vga");
            qemuJSONStr(j, "id", id);
        } else if (strcmp(v->model, "vga") == 0) {
            qemuJSONStr(j, "driver", "VGA");
            qemuJSONStr(j, "id", id);
            qemuJSONInt(j, "vgamem_mb", v->vram > 0 ? v->vram / 1024 : 16);
        } else if (strcmp(v->model, "qxl") == 0) {
            qemuJSONStr(j, "driver", v->primary ? "qxl-vga" : "qxl");
            qemuJSONStr(j, "id", id);
            qemuJSONInt(j, "max_outputs", v->heads > 0 ? v->heads : 1);
            qemuJSONInt(j, "ram_size", (long long)(v->ram > 0 ? v->ram : 65536) * 1024);
            qemuJSONInt(j, "vram_size", (long long)(v->vram > 0 ? v->vram : 65536) * 1024);
            qemuJSONInt(j, "vram64_size_mb", 0);
            qemuJSONInt(j, "vgamem_mb", v->vgamem > 0 ? v->vgamem / 1024 : 16);
        } else if (strcmp(v->model, "virtio") == 0) {
            qemuJSONStr(j, "driver", v->primary ? "virtio-vga" : "virtio-gpu-pci");
            qemuJSONStr(j, "id", id);
            qemuJSONInt(j, "max_outputs", v->heads > 0 ? v->heads : 1);
        } else if (strcmp(v->model, "bochs") == 0) {
            qemuJSONStr(j, "driver", "bochs-display");
            qemuJSONStr(j, "id", id);
            qemuJSONInt(j, "vgamem", (long long)(v->vram > 0 ? v->vram : 16384) * 1024);
        } else if (strcmp(v->model, "ramfb") == 0) {
            qemuJSONStr(j, "driver", "ramfb");
            qemuJSONStr(j, "id", id);
        } else {
            g_free(qemuJSONEnd(j));
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "video type '%s' is not supported with QEMU", v->model);
            return -1;
        }
        qemuJSONAddress(j, def, &v->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

static int
qemuBuildSounds(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->sounds->len; i++) {
        const mvDomainSoundDef *s = g_ptr_array_index(def->sounds, i);
        unsigned int audio = s->audioId ? s->audioId : qemuDefaultAudioId(def);
        g_autofree char *id = qemuId(&s->info, g_strdup_printf("sound%u", i));
        g_autofree char *audiodev = g_strdup_printf("audio%u", audio);
        qemuJSON *j = qemuJSONNew();

        switch ((mvSoundModel)s->model) {
        case MV_SOUND_MODEL_ICH6:
        case MV_SOUND_MODEL_ICH9: {
            g_autofree char *bus = g_strdup_printf("%s.0", id);

            qemuJSONStr(j, "driver", s->model == MV_SOUND_MODEL_ICH6 ? "intel-hda" :
                                     "ich9-intel-hda");
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &s->info);
            qemuCmdAddJSON(cmd, "-device", j);
            for (size_t k = 0; k < MAX(s->ncodecs, 1); k++) {
                int codec = s->ncodecs ? s->codecs[k] : MV_SOUND_CODEC_DUPLEX;
                g_autofree char *cid = g_strdup_printf("%s-codec%zu", id, k);
                qemuJSON *c = qemuJSONNew();

                qemuJSONStr(c, "driver", codec == MV_SOUND_CODEC_MICRO ? "hda-micro" :
                                         codec == MV_SOUND_CODEC_OUTPUT ? "hda-output" :
                                         "hda-duplex");
                qemuJSONStr(c, "id", cid);
                qemuJSONStr(c, "bus", bus);
                qemuJSONInt(c, "cad", (long long)k);
                if (audio)
                    qemuJSONStr(c, "audiodev", audiodev);
                qemuCmdAddJSON(cmd, "-device", c);
            }
            continue;
        }
        case MV_SOUND_MODEL_AC97:
        case MV_SOUND_MODEL_ES1370:
        case MV_SOUND_MODEL_SB16:
        case MV_SOUND_MODEL_USB:
            qemuJSONStr(j, "driver", s->model == MV_SOUND_MODEL_AC97 ? "AC97" :
                                     s->model == MV_SOUND_MODEL_ES1370 ? "ES1370" :
                                     s->model == MV_SOUND_MODEL_SB16 ? "sb16" : "usb-audio");
            qemuJSONStr(j, "id", id);
            if (audio)
                qemuJSONStr(j, "audiodev", audiodev);
            qemuJSONAddress(j, def, &s->info);
            qemuCmdAddJSON(cmd, "-device", j);
            continue;
        case MV_SOUND_MODEL_PCSPK:
        case MV_SOUND_MODEL_ICH7:
        case MV_SOUND_MODEL_LAST:
            break;
        }
        g_free(qemuJSONEnd(j));
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "sound card model '%s' is not supported by modvirt's QEMU driver",
                      mvSoundModelToString(s->model));
        return -1;
    }
    return 0;
}

/* ---- watchdog, host devices, balloon, rng, panic, shmem, vsock ---- */

static int
qemuBuildWatchdogs(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->watchdogs->len; i++) {
        const mvDomainWatchdogDef *w = g_ptr_array_index(def->watchdogs, i);
        g_autofree char *id = qemuId(&w->info, g_strdup_printf("watchdog%u", i));
        const char *action = w->action ? w->action : "reset";

        if (strcmp(w->model, "itco") != 0) {
            qemuJSON *j = qemuJSONNew();

            qemuJSONStr(j, "driver", w->model);
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &w->info);
            qemuCmdAddJSON(cmd, "-device", j);
        }
        if (strcmp(action, "dump") == 0)
            action = "pause";
        qemuCmdAddPair(cmd, "-watchdog-action", action);
    }
    return 0;
}

static int
qemuBuildHostdevs(qemuCmd *cmd, const mvDomainDef *def, const GArray *boot)
{
    for (guint i = 0; i < def->hostdevs->len; i++) {
        const mvDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        g_autofree char *id = qemuId(&h->info, g_strdup_printf("hostdev%u", i));
        unsigned int bootIndex = qemuBootIndexOf(boot, h, &h->info);
        qemuJSON *j = qemuJSONNew();

        if (h->type == MV_HOSTDEV_SUBSYS_PCI) {
            g_autofree char *host = g_strdup_printf("%04x:%02x:%02x.%x", h->pciDomain,
                                                    h->pciBus, h->pciSlot, h->pciFunction);

            if (h->driverName && strcmp(h->driverName, "vfio") != 0) {
                g_free(qemuJSONEnd(j));
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "PCI device assignment with driver '%s' is not supported: use "
                              "'vfio'", h->driverName);
                return -1;
            }
            qemuJSONStr(j, "driver", "vfio-pci");
            qemuJSONStr(j, "host", host);
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &h->info);
            if (bootIndex)
                qemuJSONUInt(j, "bootindex", bootIndex);
            if (h->romBar == MV_TRISTATE_NO)
                qemuJSONInt(j, "rombar", 0);
            if (h->romFile)
                qemuJSONStr(j, "romfile", h->romFile);
        } else {
            qemuJSONStr(j, "driver", "usb-host");
            if (h->hasUSBAddress) {
                qemuJSONUInt(j, "hostbus", h->usbBus);
                qemuJSONUInt(j, "hostaddr", h->usbDevice);
            } else if (h->hasVendor) {
                qemuJSONUInt(j, "vendorid", h->vendor);
                qemuJSONUInt(j, "productid", h->product);
            }
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &h->info);
            if (bootIndex)
                qemuJSONUInt(j, "bootindex", bootIndex);
        }
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

static void
qemuBuildMemballoon(qemuCmd *cmd, const mvDomainDef *def)
{
    const mvDomainMemballoonDef *mb = def->memballoon;
    g_autofree char *id = NULL;
    qemuJSON *j;

    if (!mb || g_strcmp0(mb->model, "virtio") != 0)
        return;
    id = qemuId(&mb->info, g_strdup("balloon0"));
    j = qemuJSONNew();
    qemuJSONStr(j, "driver", "virtio-balloon-pci");
    qemuJSONStr(j, "id", id);
    if (mb->autodeflate != MV_TRISTATE_ABSENT)
        qemuJSONBool(j, "deflate-on-oom", mb->autodeflate == MV_TRISTATE_YES);
    qemuJSONAddress(j, def, &mb->info);
    qemuCmdAddJSON(cmd, "-device", j);
}

static int
qemuBuildRNGs(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->rngs->len; i++) {
        const mvDomainRNGDef *r = g_ptr_array_index(def->rngs, i);
        g_autofree char *id = qemuId(&r->info, g_strdup_printf("rng%u", i));
        g_autofree char *obj = g_strdup_printf("obj%s", id);
        qemuJSON *o = qemuJSONNew();
        qemuJSON *j;

        if (g_strcmp0(r->backendModel, "builtin") == 0) {
            qemuJSONStr(o, "qom-type", "rng-builtin");
            qemuJSONStr(o, "id", obj);
        } else if (!r->backendModel || strcmp(r->backendModel, "random") == 0) {
            qemuJSONStr(o, "qom-type", "rng-random");
            qemuJSONStr(o, "id", obj);
            qemuJSONStr(o, "filename", r->backendPath ? r->backendPath : "/dev/urandom");
        } else {
            g_free(qemuJSONEnd(o));
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "rng backend model '%s' is not supported: use 'random' or "
                          "'builtin'", r->backendModel);
            return -1;
        }
        qemuCmdAddJSON(cmd, "-object", o);
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", "virtio-rng-pci");
        qemuJSONStr(j, "rng", obj);
        qemuJSONStr(j, "id", id);
        qemuJSONAddress(j, def, &r->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

static void
qemuBuildPanics(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->panics->len; i++) {
        const mvDomainPanicDef *p = g_ptr_array_index(def->panics, i);
        qemuJSON *j = qemuJSONNew();

        if (g_strcmp0(p->model, "pci") == 0) {
            g_autofree char *id = qemuId(&p->info, g_strdup_printf("panic%u", i));

            qemuJSONStr(j, "driver", "pvpanic-pci");
            qemuJSONStr(j, "id", id);
            qemuJSONAddress(j, def, &p->info);
        } else {
            qemuJSONStr(j, "driver", "pvpanic");
        }
        qemuCmdAddJSON(cmd, "-device", j);
    }
}

static int
qemuBuildShmems(qemuCmd *cmd, const mvDomainDef *def)
{
    for (guint i = 0; i < def->shmems->len; i++) {
        const mvDomainShmemDef *s = g_ptr_array_index(def->shmems, i);
        g_autofree char *id = qemuId(&s->info, g_strdup_printf("shmem%u", i));
        qemuJSON *j = qemuJSONNew();

        if (s->model == MV_SHMEM_MODEL_IVSHMEM_DOORBELL) {
            g_autofree char *chr = g_strdup_printf("char%s", id);
            g_autofree char *path = s->serverPath ? g_strdup(s->serverPath) :
                                    g_strdup_printf("/var/lib/libvirt/shmem-%s-sock",
                                                    s->name);
            g_autoptr(GString) c = g_string_new(NULL);

            /* libvirt writes the device before its chardev */
            g_string_append_printf(c, "socket,id=%s,path=", chr);
            mvQemuBufEscapeComma(c, path);
            qemuJSONStr(j, "driver", "ivshmem-doorbell");
            qemuJSONStr(j, "id", id);
            qemuJSONStr(j, "chardev", chr);
            if (s->msiVectors)
                qemuJSONUInt(j, "vectors", s->msiVectors);
            if (s->msiIoeventfd != MV_TRISTATE_ABSENT)
                qemuJSONBool(j, "ioeventfd", s->msiIoeventfd == MV_TRISTATE_YES);
            qemuJSONAddress(j, def, &s->info);
            qemuCmdAddJSON(cmd, "-device", j);
            qemuCmdAddPair(cmd, "-chardev", c->str);
            continue;
        } else {
            g_autofree char *mem = g_strdup_printf("shmmem-%s", id);
            g_autofree char *path = g_strdup_printf("/dev/shm/%s", s->name);
            qemuJSON *o = qemuJSONNew();

            qemuJSONStr(o, "qom-type", "memory-backend-file");
            qemuJSONStr(o, "id", mem);
            qemuJSONStr(o, "mem-path", path);
            qemuJSONUInt(o, "size", s->size ? s->size : 4ULL << 20);
            qemuJSONBool(o, "share", true);
            qemuCmdAddJSON(cmd, "-object", o);
            qemuJSONStr(j, "driver", "ivshmem-plain");
            qemuJSONStr(j, "id", id);
            qemuJSONStr(j, "memdev", mem);
        }
        qemuJSONAddress(j, def, &s->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

static int
qemuBuildVsocks(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    for (guint i = 0; i < def->vsocks->len; i++) {
        const mvDomainVsockDef *v = g_ptr_array_index(def->vsocks, i);
        g_autofree char *id = qemuId(&v->info, g_strdup_printf("vsock%u", i));
        qemuJSON *j;

        if (v->cid < 3) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "vsock needs a guest CID of 3 or more: give <cid address> (with "
                          "auto='yes' the driver picks one at start)");
            return -1;
        }
        j = qemuJSONNew();
        qemuJSONStr(j, "driver", v->model == MV_VSOCK_MODEL_VIRTIO_TRANSITIONAL ?
                                 "vhost-vsock-pci-transitional" :
                                 v->model == MV_VSOCK_MODEL_VIRTIO_NON_TRANSITIONAL ?
                                 "vhost-vsock-pci-non-transitional" : "vhost-vsock-pci");
        qemuJSONStr(j, "id", id);
        qemuJSONUInt(j, "guest-cid", v->cid);
        if (opts->vsockFD > 0) {
            g_autofree char *fd = g_strdup_printf("%d", opts->vsockFD);

            qemuJSONStr(j, "vhostfd", fd);
        }
        qemuJSONAddress(j, def, &v->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}

int
qemuBuildDevices(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCaps *caps,
                 const mvQemuCommandOptions *opts)
{
    g_autoptr(GArray) boot = qemuBootOrder(def);

    (void)caps;
    if (qemuBuildControllers(cmd, def) < 0 ||
        qemuBuildDisksWithOptions(cmd, def, boot, opts) < 0 ||
        qemuBuildFilesystems(cmd, def, opts) < 0 ||
        qemuBuildNets(cmd, def, opts, boot) < 0 ||
        qemuBuildSerials(cmd, def, opts) < 0 ||
        qemuBuildTPM(cmd, def, opts) < 0 ||
        qemuBuildInputs(cmd, def) < 0)
        return -1;
    qemuBuildAudio(cmd, def);
    if (qemuBuildGraphics(cmd, def) < 0 ||
        qemuBuildVideos(cmd, def) < 0 ||
        qemuBuildSounds(cmd, def) < 0 ||
        qemuBuildWatchdogs(cmd, def) < 0 ||
        qemuBuildHostdevs(cmd, def, boot) < 0)
        return -1;
    qemuBuildMemballoon(cmd, def);
    if (qemuBuildRNGs(cmd, def) < 0)
        return -1;
    /* <qemu:commandline> arguments go last among the devices */
    if (def->qemuArgs)
        for (size_t i = 0; def->qemuArgs[i]; i++)
            qemuCmdAdd(cmd, def->qemuArgs[i]);
    qemuCmdAddPair(cmd, "-sandbox",
                   "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    qemuBuildPanics(cmd, def);
    if (qemuBuildShmems(cmd, def) < 0 ||
        qemuBuildVsocks(cmd, def, opts) < 0)
        return -1;
    qemuCmdAddPair(cmd, "-msg", "timestamp=on");
    return 0;
}
