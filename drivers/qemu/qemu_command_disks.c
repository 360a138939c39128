/*
 * qemu_command_disks: the storage part of the QEMU command line: each disk
 * as its -blockdev nodes (one storage and one format node per image of the
 * chain, numbered like libvirt's) and its -device, the boot indexes, and
 * the -fsdev/vhost-user filesystems.  See qemu_command.h.
 *
 * A LUKS-encrypted image (qcow2 with encrypt.format=luks, or a raw LUKS
 * volume opened through QEMU's "luks" driver) gets a "secret" object just
 * before its nodes.  QEMU reads the passphrase from a file the driver wrote
 * before the start (qemu_secrets.c), so the passphrase never appears in the
 * argv and the argv stays a pure function of its inputs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>

#include "mv_error.h"
#include "qemu_command.h"
#include "qemu_command_priv.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

/* ---- disks ---- */


unsigned int
qemuBootIndexOf(const GArray *boot, const void *dev, const mvDomainDeviceInfo *info)
{
    if (info->bootIndex)
        return info->bootIndex;
    for (guint i = 0; i < boot->len; i++)
        if (g_array_index(boot, qemuBootEntry, i).dev == dev)
            return g_array_index(boot, qemuBootEntry, i).index;
    return 0;
}

GArray *
qemuBootOrder(const mvDomainDef *def)
{
    GArray *boot = g_array_new(FALSE, FALSE, sizeof(qemuBootEntry));
    unsigned int next = 1;

    for (size_t b = 0; b < def->os.nBootDevs; b++) {
        const void *found = NULL;

        switch ((mvDomainBootDev)def->os.bootDevs[b]) {
        case MV_DOMAIN_BOOT_FLOPPY:
        case MV_DOMAIN_BOOT_CDROM:
        case MV_DOMAIN_BOOT_DISK: {
            int want = def->os.bootDevs[b] == MV_DOMAIN_BOOT_FLOPPY ? MV_DISK_DEVICE_FLOPPY :
                       def->os.bootDevs[b] == MV_DOMAIN_BOOT_CDROM ? MV_DISK_DEVICE_CDROM :
                       MV_DISK_DEVICE_DISK;

            for (guint i = 0; i < def->disks->len && !found; i++) {
                const mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

                if (d->device == want || (want == MV_DISK_DEVICE_DISK &&
                                          d->device == MV_DISK_DEVICE_LUN))
                    found = d;
            }
            break;
        }
        case MV_DOMAIN_BOOT_NET:
            if (def->nets->len)
                found = g_ptr_array_index(def->nets, 0);
            break;
        case MV_DOMAIN_BOOT_LAST:
            break;
        }
        if (found) {
            qemuBootEntry e = { found, next++ };

            g_array_append_val(boot, e);
        }
    }
    return boot;
}

typedef struct {
    bool direct, noFlush;
    int writeCache;             /* mvTristate */
    bool set;
} qemuDiskCache;

static int
qemuDiskCacheOf(const mvDomainDiskDef *d, qemuDiskCache *c)
{
    const char *mode = d->cache;

    memset(c, 0, sizeof(*c));
    if (!mode && d->shareable)
        mode = "none";
    if (!mode || strcmp(mode, "default") == 0)
        return 0;
    c->set = true;
    if (strcmp(mode, "none") == 0) {
        c->direct = true;
        c->writeCache = MV_TRISTATE_YES;
    } else if (strcmp(mode, "writeback") == 0) {
        c->writeCache = MV_TRISTATE_YES;
    } else if (strcmp(mode, "writethrough") == 0) {
        c->writeCache = MV_TRISTATE_NO;
    } else if (strcmp(mode, "directsync") == 0) {
        c->direct = true;
        c->writeCache = MV_TRISTATE_NO;
    } else if (strcmp(mode, "unsafe") == 0) {
        c->noFlush = true;
        c->writeCache = MV_TRISTATE_YES;
    } else {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk cache mode '%s' is not supported",
                      mode);
        return -1;
    }
    return 0;
}

static qemuJSON *
qemuCacheJSON(const qemuDiskCache *c)
{
    qemuJSON *j = qemuJSONNew();

    qemuJSONBool(j, "direct", c->direct);
    qemuJSONBool(j, "no-flush", c->noFlush);
    return j;
}

/* The protocol node of a network disk source. */
static int
qemuBuildNetworkStorage(qemuJSON *j, const mvStorageSource *src, const char *dst)
{
    const mvStorageHost *h = src->nhosts ? &src->hosts[0] : NULL;
    const char *proto = src->protocol ? src->protocol : "";

    if (strcmp(proto, "nbd") == 0) {
        qemuJSON *server = qemuJSONNew();

        qemuJSONStr(j, "driver", "nbd");
        if (h && (h->socket || g_strcmp0(h->transport, "unix") == 0)) {
            qemuJSONStr(server, "type", "unix");
            qemuJSONStr(server, "path", h->socket ? h->socket : "");
        } else {
            qemuJSONStr(server, "type", "inet");
            qemuJSONStr(server, "host", h && h->name ? h->name : "localhost");
            qemuJSONStr(server, "port", h && h->port ? h->port : "10809");
        }
        qemuJSONObj(j, "server", server);
        if (src->name)
            qemuJSONStr(j, "export", src->name);
        return 0;
    }
    if (strcmp(proto, "iscsi") == 0) {
        g_autofree char *portal = g_strdup_printf("%s:%s", h && h->name ? h->name : "",
                                                  h && h->port ? h->port : "3260");
        g_autofree char *target = g_strdup(src->name ? src->name : "");
        char *slash = strrchr(target, '/');
        long lun = 0;

        if (slash) {
            *slash = '\0';
            lun = strtol(slash + 1, NULL, 10);
        }
        qemuJSONStr(j, "driver", "iscsi");
        qemuJSONStr(j, "portal", portal);
        qemuJSONStr(j, "target", target);
        qemuJSONInt(j, "lun", lun);
        qemuJSONStr(j, "transport", "tcp");
        return 0;
    }
    if (strcmp(proto, "http") == 0 || strcmp(proto, "https") == 0 ||
        strcmp(proto, "ftp") == 0 || strcmp(proto, "ftps") == 0) {
        g_autofree char *url = NULL;

        if (h && h->port)
            url = g_strdup_printf("%s://%s:%s/%s", proto, h->name ? h->name : "", h->port,
                                  src->name ? src->name : "");
        else
            url = g_strdup_printf("%s://%s/%s", proto, h && h->name ? h->name : "",
                                  src->name ? src->name : "");
        qemuJSONStr(j, "driver", proto);
        qemuJSONStr(j, "url", url);
        return 0;
    }
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                  "network disk protocol '%s' of disk '%s' is not supported by modvirt yet: "
                  "use nbd, iscsi, http or https", proto, dst);
    return -1;
}

char *
mvQemuDiskSecretPath(const mvDomainDef *def, const mvDomainDiskDef *disk, const char *dir)
{
    g_autofree char *alias = qemuId(&disk->info, qemuDiskAlias(def, disk));
    g_autofree char *file = g_strdup_printf("%s-secret0", alias);

    return g_build_filename(dir, file, NULL);
}

/* Whether QEMU can open the encrypted image @src of disk @d in @format;
 * reports why not. */
static int
qemuDiskEncryptionCheck(const mvDomainDiskDef *d, const mvStorageSource *src,
                        const char *format, bool top)
{
    if (!top) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': encrypted backing images are not supported by modvirt "
                      "yet; only the top image of a disk may carry <encryption>", d->dst);
        return -1;
    }
    if (g_strcmp0(src->encFormat, "luks") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': encryption format '%s' is not supported; use "
                      "<encryption format='luks'>", d->dst,
                      src->encFormat ? src->encFormat : "(none)");
        return -1;
    }
    if (src->encEngine && strcmp(src->encEngine, "qemu") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': encryption engine '%s' is not supported; remove the "
                      "'engine' attribute or set it to 'qemu'", d->dst, src->encEngine);
        return -1;
    }
    if (g_strcmp0(src->encSecretType, "passphrase") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': a LUKS image needs <secret type='passphrase' uuid='...'/> "
                      "inside <encryption>, not type '%s'", d->dst,
                      src->encSecretType ? src->encSecretType : "(none)");
        return -1;
    }
    if (strcmp(format, "qcow2") != 0 && strcmp(format, "raw") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': LUKS encryption needs driver type 'qcow2' or 'raw', not "
                      "'%s'", d->dst, format);
        return -1;
    }
    return 0;
}

/* One image of a disk's chain: its storage and format nodes, preceded by
 * the secret object of an encrypted image (@secretFile is where QEMU reads
 * its passphrase; NULL for an image without encryption). */
static int
qemuBuildImage(qemuCmd *cmd, const mvDomainDiskDef *d, const mvStorageSource *src,
               const char *format, unsigned int idx, int backingIdx, bool top,
               const qemuDiskCache *cache, const char *secretFile)
{
    qemuJSON *st;
    qemuJSON *fmt;
    g_autofree char *stName = g_strdup_printf("libvirt-%u-storage", idx);
    g_autofree char *fmtName = g_strdup_printf("libvirt-%u-format", idx);
    g_autofree char *secretId = NULL;
    bool ro = !top || d->readonly;

    if (secretFile) {
        qemuJSON *obj = qemuJSONNew();

        secretId = g_strdup_printf("%s-encryption-secret0", fmtName);
        qemuJSONStr(obj, "qom-type", "secret");
        qemuJSONStr(obj, "id", secretId);
        qemuJSONStr(obj, "format", "base64");
        qemuJSONStr(obj, "file", secretFile);
        qemuCmdAddJSON(cmd, "-object", obj);
    }
    st = qemuJSONNew();

    switch ((mvStorageType)src->type) {
    case MV_STORAGE_FILE:
        qemuJSONStr(st, "driver", "file");
        qemuJSONStr(st, "filename", src->path);
        break;
    case MV_STORAGE_BLOCK:
        qemuJSONStr(st, "driver", d->device == MV_DISK_DEVICE_CDROM ? "host_cdrom" :
                                  "host_device");
        qemuJSONStr(st, "filename", src->path);
        break;
    case MV_STORAGE_NETWORK:
        if (qemuBuildNetworkStorage(st, src, d->dst) < 0) {
            g_free(qemuJSONEnd(st));
            return -1;
        }
        break;
    case MV_STORAGE_VOLUME:
    case MV_STORAGE_LAST:
        g_free(qemuJSONEnd(st));
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s' of type 'volume' must be translated to its file by the "
                      "storage driver before the command line is built", d->dst);
        return -1;
    }
    if (top && g_strcmp0(d->io, "native") == 0)
        qemuJSONStr(st, "aio", "native");
    else if (top && g_strcmp0(d->io, "io_uring") == 0)
        qemuJSONStr(st, "aio", "io_uring");
    qemuJSONStr(st, "node-name", stName);
    if (cache->set)
        qemuJSONObj(st, "cache", qemuCacheJSON(cache));
    qemuJSONBool(st, "auto-read-only", true);
    qemuJSONStr(st, "discard", "unmap");
    qemuCmdAddJSON(cmd, "-blockdev", st);

    fmt = qemuJSONNew();
    qemuJSONStr(fmt, "node-name", fmtName);
    qemuJSONBool(fmt, "read-only", ro);
    if (top && g_strcmp0(d->discard, "unmap") == 0)
        qemuJSONStr(fmt, "discard", "unmap");
    if (cache->set)
        qemuJSONObj(fmt, "cache", qemuCacheJSON(cache));
    if (secretId && strcmp(format, "raw") == 0) {
        /* a raw LUKS volume: QEMU's luks driver is the format layer */
        qemuJSONStr(fmt, "driver", "luks");
        qemuJSONStr(fmt, "key-secret", secretId);
    } else {
        qemuJSONStr(fmt, "driver", format);
        if (secretId) {
            qemuJSON *enc = qemuJSONNew();

            qemuJSONStr(enc, "format", "luks");
            qemuJSONStr(enc, "key-secret", secretId);
            qemuJSONObj(fmt, "encrypt", enc);
        }
    }
    qemuJSONStr(fmt, "file", stName);
    if (backingIdx > 0) {
        g_autofree char *b = g_strdup_printf("libvirt-%d-format", backingIdx);

        qemuJSONStr(fmt, "backing", b);
    } else if (backingIdx == 0 && strcmp(format, "qcow2") == 0) {
        qemuJSONRaw(fmt, "backing", "null");
    }
    qemuCmdAddJSON(cmd, "-blockdev", fmt);
    return 0;
}

static bool
qemuDiskHasSource(const mvDomainDiskDef *d)
{
    return d->src && (d->src->path || d->src->type == MV_STORAGE_NETWORK ||
                      d->src->type == MV_STORAGE_VOLUME);
}

/* Images of @d's chain, top first. */
static size_t
qemuDiskChainLength(const mvDomainDiskDef *d)
{
    size_t n = 0;

    if (!qemuDiskHasSource(d))
        return 0;
    for (const mvStorageSource *s = d->src; s; s = s->backing)
        if (s == d->src || s->path || s->type == MV_STORAGE_NETWORK)
            n++;
    return n;
}

static const char *
qemuDiskDeviceDriver(const mvDomainDiskDef *d, const mvDomainDef *def)
{
    bool cd = d->device == MV_DISK_DEVICE_CDROM;

    switch ((mvDiskBus)d->bus) {
    case MV_DISK_BUS_VIRTIO:
        return "virtio-blk-pci";
    case MV_DISK_BUS_IDE:
    case MV_DISK_BUS_SATA:
        return cd ? "ide-cd" : "ide-hd";
    case MV_DISK_BUS_SCSI:
        return cd ? "scsi-cd" : d->device == MV_DISK_DEVICE_LUN ? "scsi-block" : "scsi-hd";
    case MV_DISK_BUS_FDC:
        return "floppy";
    case MV_DISK_BUS_USB:
        return "usb-storage";
    case MV_DISK_BUS_NONE:
    case MV_DISK_BUS_XEN:
    case MV_DISK_BUS_SD:
    case MV_DISK_BUS_LAST:
        break;
    }
    (void)def;
    return NULL;
}

static int
qemuBuildDisk(qemuCmd *cmd, const mvDomainDef *def, const mvDomainDiskDef *d,
              unsigned int topIdx, unsigned int bootIndex, const mvQemuCommandOptions *opts)
{
    const char *driver = qemuDiskDeviceDriver(d, def);
    const mvDomainDeviceAddress *a = &d->info.addr;
    g_autofree char *id = qemuId(&d->info, qemuDiskAlias(def, d));
    g_autofree char *drive = NULL;
    qemuDiskCache cache;
    qemuJSON *j;

    if (!driver) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk bus '%s' of disk '%s' is not supported",
                      mvDiskBusToString(d->bus), d->dst);
        return -1;
    }
    if (qemuDiskCacheOf(d, &cache) < 0)
        return -1;
    if (qemuDiskHasSource(d)) {
        /* images bottom-up, so each format node can name its backing */
        size_t n = qemuDiskChainLength(d);
        g_autofree const mvStorageSource **chain = g_new0(const mvStorageSource *, n);
        size_t k = 0;
        bool terminated = false;

        for (const mvStorageSource *s = d->src; s && k < n; s = s->backing) {
            if (s == d->src || s->path || s->type == MV_STORAGE_NETWORK)
                chain[k++] = s;
        }
        terminated = chain[n - 1]->backingTerminated || (n > 1);
        for (size_t i = n; i-- > 0;) {
            const mvStorageSource *s = chain[i];
            const char *format = i == 0 ? (d->driverType ? d->driverType : "raw") :
                                 (s->format ? s->format : "raw");
            int backing = i + 1 < n ? (int)(topIdx + i + 1) : (terminated ? 0 : -1);
            g_autofree char *secretFile = NULL;

            if (strcmp(format, "aio") == 0 || strcmp(format, "iso") == 0)
                format = "raw";
            if (s->hasEncryption) {
                const char *dir = opts ? (opts->secretDir ? opts->secretDir : opts->libDir) :
                                  NULL;

                if (qemuDiskEncryptionCheck(d, s, format, i == 0) < 0)
                    return -1;
                if (!dir) {
                    mvReportError(VIR_ERR_INTERNAL_ERROR,
                                  "disk '%s' is encrypted, but the directory of its "
                                  "secret file was not given to the command line builder",
                                  d->dst);
                    return -1;
                }
                secretFile = mvQemuDiskSecretPath(def, d, dir);
            }
            if (qemuBuildImage(cmd, d, s, format, topIdx + (unsigned int)i, backing, i == 0,
                               &cache, secretFile) < 0)
                return -1;
        }
        drive = g_strdup_printf("libvirt-%u-format", topIdx);
    }
    j = qemuJSONNew();
    qemuJSONStr(j, "driver", driver);
    switch ((mvDiskBus)d->bus) {
    case MV_DISK_BUS_VIRTIO:
        qemuJSONAddress(j, def, &d->info);
        if (d->shareable)
            qemuJSONBool(j, "share-rw", true);
        break;
    case MV_DISK_BUS_IDE: {
        g_autofree char *bus = g_strdup_printf("ide.%u", a->bus);

        qemuJSONStr(j, "bus", bus);
        qemuJSONUInt(j, "unit", a->unit);
        break;
    }
    case MV_DISK_BUS_SATA: {
        g_autofree char *bus = a->controller == 0 && mvQemuDomainIsQ35(def) ?
            g_strdup_printf("ide.%u", a->unit) :
            g_strdup_printf("sata%u.%u", a->controller, a->unit);

        qemuJSONStr(j, "bus", bus);
        break;
    }
    case MV_DISK_BUS_SCSI: {
        const mvDomainControllerDef *c = mvDomainDefFindController(def, MV_CONTROLLER_SCSI,
                                                                   a->controller);
        g_autofree char *bus = NULL;
        g_autofree char *devid = g_strdup_printf("drive-%s", id);

        if (c && g_strcmp0(c->model, "virtio-scsi") == 0) {
            bus = g_strdup_printf("scsi%u.0", a->controller);
            qemuJSONStr(j, "bus", bus);
            qemuJSONUInt(j, "channel", a->bus);
            qemuJSONUInt(j, "scsi-id", a->target);
            qemuJSONUInt(j, "lun", a->unit);
        } else {
            bus = g_strdup_printf("scsi%u.%u", a->controller, a->bus);
            qemuJSONStr(j, "bus", bus);
            qemuJSONUInt(j, "scsi-id", a->unit);
        }
        if (d->device != MV_DISK_DEVICE_LUN)
            qemuJSONStr(j, "device_id", devid);
        break;
    }
    case MV_DISK_BUS_FDC:
        qemuJSONUInt(j, "unit", a->unit);
        break;
    case MV_DISK_BUS_USB:
        qemuJSONAddress(j, def, &d->info);
        break;
    case MV_DISK_BUS_NONE:
    case MV_DISK_BUS_XEN:
    case MV_DISK_BUS_SD:
    case MV_DISK_BUS_LAST:
        break;
    }
    if (drive)
        qemuJSONStr(j, "drive", drive);
    qemuJSONStr(j, "id", id);
    if (bootIndex)
        qemuJSONUInt(j, "bootindex", bootIndex);
    if (cache.writeCache != MV_TRISTATE_ABSENT && d->device != MV_DISK_DEVICE_CDROM &&
        d->bus != MV_DISK_BUS_FDC)
        qemuJSONStr(j, "write-cache", cache.writeCache == MV_TRISTATE_YES ? "on" : "off");
    if (d->serial)
        qemuJSONStr(j, "serial", d->serial);
    if (d->bus == MV_DISK_BUS_USB)
        qemuJSONBool(j, "removable", false);
    qemuCmdAddJSON(cmd, "-device", j);
    return 0;
}

int
qemuBuildDisks(qemuCmd *cmd, const mvDomainDef *def, const GArray *boot)
{
    return qemuBuildDisksWithOptions(cmd, def, boot, NULL);
}

int
qemuBuildDisksWithOptions(qemuCmd *cmd, const mvDomainDef *def, const GArray *boot,
                          const mvQemuCommandOptions *opts)
{
    g_autofree unsigned int *top = g_new0(unsigned int, def->disks->len + 1);
    unsigned int next = 1;

    /* node indexes: counted from the last disk, each chain top first */
    for (guint i = def->disks->len; i-- > 0;) {
        const mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        top[i] = next;
        next += (unsigned int)qemuDiskChainLength(d);
    }
    for (guint i = 0; i < def->disks->len; i++) {
        const mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        if (qemuBuildDisk(cmd, def, d, top[i], qemuBootIndexOf(boot, d, &d->info), opts) < 0)
            return -1;
    }
    return 0;
}

/* ---- filesystems ---- */

int
qemuBuildFilesystems(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    for (guint i = 0; i < def->filesystems->len; i++) {
        const mvDomainFSDef *fs = g_ptr_array_index(def->filesystems, i);
        g_autofree char *id = qemuId(&fs->info, g_strdup_printf("fs%u", i));
        qemuJSON *j = qemuJSONNew();

        if (fs->driverType == MV_FS_DRIVER_VIRTIOFS) {
            g_autofree char *sock = g_strdup_printf("%s/%s-fs.sock",
                                                    opts->libDir ? opts->libDir : ".", id);
            g_autoptr(GString) s = g_string_new(NULL);

            if (g_strcmp0(def->memoryBacking.access, "shared") != 0) {
                g_free(qemuJSONEnd(j));
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "virtiofs requires shared memory: add <memoryBacking><source "
                              "type='memfd'/><access mode='shared'/></memoryBacking>");
                return -1;
            }
            g_string_append_printf(s, "socket,id=chr-vu-%s,path=", id);
            mvQemuBufEscapeComma(s, sock);
            qemuCmdAddPair(cmd, "-chardev", s->str);
            qemuJSONStr(j, "driver", "vhost-user-fs-pci");
            qemuJSONStr(j, "id", id);
            {
                g_autofree char *chr = g_strdup_printf("chr-vu-%s", id);

                qemuJSONStr(j, "chardev", chr);
            }
            qemuJSONInt(j, "queue-size", fs->queue ? fs->queue : 1024);
            qemuJSONStr(j, "tag", fs->dst);
        } else {
            g_autoptr(GString) s = g_string_new("local,security_model=");
            g_autofree char *fsdev = g_strdup_printf("fsdev-%s", id);

            g_string_append(s, fs->accessmode == MV_FS_ACCESS_MAPPED ? "mapped" :
                               fs->accessmode == MV_FS_ACCESS_SQUASH ? "mapped-xattr" :
                               "passthrough");
            g_string_append_printf(s, ",id=%s,path=", fsdev);
            mvQemuBufEscapeComma(s, fs->src);
            if (fs->readonly)
                g_string_append(s, ",readonly");
            qemuCmdAddPair(cmd, "-fsdev", s->str);
            qemuJSONStr(j, "driver", "virtio-9p-pci");
            qemuJSONStr(j, "id", id);
            qemuJSONStr(j, "fsdev", fsdev);
            qemuJSONStr(j, "mount_tag", fs->dst);
        }
        qemuJSONAddress(j, def, &fs->info);
        qemuCmdAddJSON(cmd, "-device", j);
    }
    return 0;
}
