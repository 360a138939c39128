/*
 * domain_devices_conf: the <devices> section of a domain definition.  One
 * parse and one format function per device kind, and the pieces every
 * device shares (<address>, <boot order>, <alias>).  Devices live in one
 * GPtrArray per kind on mvDomainDef, in libvirt's order: disks and
 * controllers are inserted next to others of their bus / type the way
 * libvirt inserts them, everything else keeps document order.
 *
 * Post-parse here is only what libvirt's generic domain code does on every
 * define (MACs, disk buses from target names, the console that mirrors the
 * first serial port, serial port numbers, a default boot device).  What the
 * QEMU driver adds is left to it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN


/* ---------------------------------------------------------------------- */
/* Disks */

static void
mvStorageSourceFree(mvStorageSource *src)
{
    size_t i;

    if (!src)
        return;
    g_free(src->path);
    g_free(src->protocol);
    g_free(src->name);
    for (i = 0; i < src->nhosts; i++) {
        g_free(src->hosts[i].name);
        g_free(src->hosts[i].port);
        g_free(src->hosts[i].transport);
        g_free(src->hosts[i].socket);
    }
    g_free(src->hosts);
    g_free(src->pool);
    g_free(src->volume);
    g_free(src->format);
    g_free(src->encFormat);
    g_free(src->encEngine);
    g_free(src->encSecretType);
    mvStorageSourceFree(src->backing);
    g_free(src);
}

static void
mvDomainDiskDefFree(gpointer p)
{
    mvDomainDiskDef *disk = p;

    mvStorageSourceFree(disk->src);
    g_free(disk->driverName);
    g_free(disk->driverType);
    g_free(disk->cache);
    g_free(disk->io);
    g_free(disk->discard);
    g_free(disk->dst);
    g_free(disk->serial);
    g_free(disk->iotune.groupName);
    mvDomainDeviceInfoClear(&disk->info);
    g_free(disk);
}

static int
mvStorageEncryptionParse(const xmlNode *enc, mvStorageSource *src)
{
    xmlNode *secret = mvXMLChildFind(enc, "secret");
    int rc;

    if (mvDomainCheckNode(enc, (const char *[]){ "format", "engine", NULL },
                          (const char *[]){ "secret", NULL }) < 0)
        return -1;
    src->hasEncryption = true;
    src->encFormat = mvDomainProp(enc, "format");
    src->encEngine = mvDomainProp(enc, "engine");
    if (!src->encFormat) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "unknown volume encryption format type (null)");
        return -1;
    }
    if (!secret)
        return 0;
    if (mvDomainCheckNode(secret, (const char *[]){ "type", "uuid", NULL }, NULL) < 0 ||
        (rc = mvXMLPropUUID(secret, "uuid", src->encSecretUUID)) < 0)
        return -1;
    src->encSecretType = mvDomainProp(secret, "type");
    if (rc == 0 || !src->encSecretType) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "encryption <secret> needs both 'type' and 'uuid' attributes");
        return -1;
    }
    return 0;
}

static int
mvStorageSourceParseSource(const xmlNode *n, mvStorageSource *src)
{
    const char *fileAttrs[] = { "file", NULL };
    const char *blockAttrs[] = { "dev", NULL };
    const char *netAttrs[] = { "protocol", "name", NULL };
    const char *volAttrs[] = { "pool", "volume", NULL };
    const char * const *attrs[] = { fileAttrs, blockAttrs, netAttrs, volAttrs };
    xmlNode *c;
    xmlNode *enc;

    if (mvDomainCheckNode(n, attrs[src->type],
                          (const char *[]){ src->type == MV_STORAGE_NETWORK ? "host*" :
                                            "encryption", "encryption", NULL }) < 0)
        return -1;
    switch ((mvStorageType)src->type) {
    case MV_STORAGE_FILE:
        src->path = mvDomainProp(n, "file");
        break;
    case MV_STORAGE_BLOCK:
        src->path = mvDomainProp(n, "dev");
        break;
    case MV_STORAGE_NETWORK:
        src->protocol = mvDomainProp(n, "protocol");
        src->name = mvDomainProp(n, "name");
        if (!src->protocol) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "missing network source protocol type");
            return -1;
        }
        for (c = n->children; c; c = c->next) {
            mvStorageHost *h;

            if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "host") != 0)
                continue;
            if (mvDomainCheckNode(c, (const char *[]){ "name", "port", "transport", "socket",
                                                       NULL }, NULL) < 0)
                return -1;
            src->hosts = g_renew(mvStorageHost, src->hosts, src->nhosts + 1);
            h = &src->hosts[src->nhosts++];
            h->name = mvDomainProp(c, "name");
            h->port = mvDomainProp(c, "port");
            h->transport = mvDomainProp(c, "transport");
            h->socket = mvDomainProp(c, "socket");
        }
        break;
    case MV_STORAGE_VOLUME:
        src->pool = mvDomainProp(n, "pool");
        src->volume = mvDomainProp(n, "volume");
        break;
    case MV_STORAGE_LAST:
        break;
    }
    if ((enc = mvXMLChildFind(n, "encryption")) && mvStorageEncryptionParse(enc, src) < 0)
        return -1;
    return 0;
}

/* <backingStore> (depth-limited by the document's nesting cap). */
static int
mvStorageSourceParseBacking(const xmlNode *parent, mvStorageSource *src)
{
    xmlNode *bs = mvXMLChildFind(parent, "backingStore");
    g_autoptr(GHashTable) unused = NULL;
    xmlNode *source, *format;
    int type = 0;
    mvStorageSource *b;

    if (!bs)
        return 0;
    if (!bs->properties && !bs->children) {
        src->backingTerminated = true;
        return 0;
    }
    if (mvDomainCheckNode(bs, (const char *[]){ "type", NULL },
                          (const char *[]){ "format", "source", "backingStore", NULL }) < 0 ||
        mvXMLPropEnum(bs, "type", (const char * const[]){ "file", "block", "network",
                                                          "volume" },
                      MV_STORAGE_LAST, &type) < 0)
        return -1;
    if (!xmlHasProp(bs, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing disk backing store type");
        return -1;
    }
    b = src->backing = g_new0(mvStorageSource, 1);
    b->type = type;
    if ((format = mvXMLChildFind(bs, "format"))) {
        if (mvDomainCheckNode(format, (const char *[]){ "type", NULL }, NULL) < 0)
            return -1;
        b->format = mvDomainProp(format, "type");
    }
    if (!(source = mvXMLChildFind(bs, "source"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing disk backing store source");
        return -1;
    }
    if (mvStorageSourceParseSource(source, b) < 0)
        return -1;
    return mvStorageSourceParseBacking(bs, b);
}

static int
mvDomainDiskParseDriver(const xmlNode *n, mvDomainDiskDef *disk)
{
    static const char * const caches[] = { "default", "none", "writethrough", "writeback",
                                           "directsync", "unsafe" };
    static const char * const ios[] = { "default", "native", "threads", "io_uring" };
    static const char * const discards[] = { "default", "unmap", "ignore" };
    int v;

    if (mvDomainCheckNode(n, (const char *[]){ "name", "type", "cache", "io", "discard",
                                               NULL }, NULL) < 0 ||
        mvXMLPropEnum(n, "cache", caches, G_N_ELEMENTS(caches), &v) < 0 ||
        mvXMLPropEnum(n, "io", ios, G_N_ELEMENTS(ios), &v) < 0 ||
        mvXMLPropEnum(n, "discard", discards, G_N_ELEMENTS(discards), &v) < 0)
        return -1;
    disk->driverName = mvDomainProp(n, "name");
    disk->driverType = mvDomainProp(n, "type");
    disk->cache = mvDomainProp(n, "cache");
    disk->io = mvDomainProp(n, "io");
    disk->discard = mvDomainProp(n, "discard");
    return 0;
}

static mvDomainDiskDef *
mvDomainDiskParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainDiskDefFree);
    mvDomainDiskDef *disk = g_new0(mvDomainDiskDef, 1);
    xmlNode *c;
    int type = MV_STORAGE_FILE;

    g_ptr_array_add(keep, disk);
    disk->src = g_new0(mvStorageSource, 1);
    if (mvDomainCheckNode(n, (const char *[]){ "type", "device", NULL },
                          (const char *[]){ "driver", "source", "backingStore", "target",
                                            "readonly", "shareable", "serial", "iotune",
                                            MV_DEVICE_INFO_CHILDREN, NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "file", "block", "network",
                                                         "volume" },
                      MV_STORAGE_LAST, &type) < 0 ||
        mvXMLPropEnum(n, "device", (const char * const[]){ "disk", "cdrom", "floppy", "lun" },
                      MV_DISK_DEVICE_LAST, &disk->device) < 0)
        return NULL;
    disk->src->type = type;
    if ((c = mvXMLChildFind(n, "driver")) && mvDomainDiskParseDriver(c, disk) < 0)
        return NULL;
    if ((c = mvXMLChildFind(n, "source")) && mvStorageSourceParseSource(c, disk->src) < 0)
        return NULL;
    if (mvStorageSourceParseBacking(n, disk->src) < 0)
        return NULL;
    if ((c = mvXMLChildFind(n, "target"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "dev", "bus", NULL }, NULL) < 0 ||
            mvXMLPropEnum(c, "bus", (const char * const[]){ "none", "ide", "fdc", "scsi",
                                                        "virtio", "xen", "usb", "sata",
                                                        "sd" },
                          MV_DISK_BUS_LAST, &disk->bus) < 0)
            return NULL;
        disk->dst = mvDomainProp(c, "dev");
    }
    if (!disk->dst) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_NO_TARGET, __FILE__, __func__, __LINE__,
                               "missing target information for device %s",
                               disk->src->path ? disk->src->path : "");
        return NULL;
    }
    if ((c = mvXMLChildFind(n, "iotune")) && mvDomainDiskIotuneParse(c, &disk->iotune) < 0)
        return NULL;
    if (((c = mvXMLChildFind(n, "readonly")) && mvDomainCheckNode(c, NULL, NULL) < 0) ||
        ((c = mvXMLChildFind(n, "shareable")) && mvDomainCheckNode(c, NULL, NULL) < 0) ||
        ((c = mvXMLChildFind(n, "serial")) && mvDomainCheckNode(c, NULL, NULL) < 0))
        return NULL;
    disk->readonly = mvXMLChildFind(n, "readonly") != NULL ||
                     disk->device == MV_DISK_DEVICE_CDROM;
    disk->shareable = mvXMLChildFind(n, "shareable") != NULL;
    if (mvXMLChildString(n, "serial", &disk->serial) == 1 && !*disk->serial)
        g_clear_pointer(&disk->serial, g_free);
    if (disk->serial && strspn(disk->serial, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789_.+- ") != strlen(disk->serial)) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "disk serial '%s' may only contain letters, digits, '_', '.', '+', '-' "
                      "and spaces", disk->serial);
        return NULL;
    }
    if (mvDomainDeviceInfoParse(n, &disk->info, flags, true) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvStorageSourceFormatSource(mvBuf *buf, const mvStorageSource *src)
{
    g_auto(mvBuf) attrs = MV_BUF_INIT;
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autofree char *head = NULL;
    char uuidstr[MV_UUID_STRING_BUFLEN];
    size_t i;

    switch ((mvStorageType)src->type) {
    case MV_STORAGE_FILE:
        mvBufEscapeString(&attrs, " file='%s'", src->path);
        break;
    case MV_STORAGE_BLOCK:
        mvBufEscapeString(&attrs, " dev='%s'", src->path);
        break;
    case MV_STORAGE_NETWORK:
        mvBufEscapeString(&attrs, " protocol='%s'", src->protocol);
        mvBufEscapeString(&attrs, " name='%s'", src->name);
        for (i = 0; i < src->nhosts; i++) {
            mvBufAdd(&body, "<host");
            if (src->hosts[i].transport && strcmp(src->hosts[i].transport, "tcp") != 0)
                mvBufEscapeString(&body, " transport='%s'", src->hosts[i].transport);
            mvBufEscapeString(&body, " name='%s'", src->hosts[i].name);
            mvBufEscapeString(&body, " port='%s'", src->hosts[i].port);
            mvBufEscapeString(&body, " socket='%s'", src->hosts[i].socket);
            mvBufAdd(&body, "/>\n");
        }
        break;
    case MV_STORAGE_VOLUME:
        mvBufEscapeString(&attrs, " pool='%s'", src->pool);
        mvBufEscapeString(&attrs, " volume='%s'", src->volume);
        break;
    case MV_STORAGE_LAST:
        break;
    }
    if (src->hasEncryption) {
        mvBufEscapeString(&body, "<encryption format='%s'", src->encFormat);
        mvBufEscapeString(&body, " engine='%s'", src->encEngine);
        if (src->encSecretType) {
            mvBufAdd(&body, ">\n");
            mvBufAdjustIndent(&body, 2);
            mvBufEscapeString(&body, "<secret type='%s'", src->encSecretType);
            mvBufAsprintf(&body, " uuid='%s'/>\n", mvUUIDFormat(src->encSecretUUID, uuidstr));
            mvBufAdjustIndent(&body, -2);
            mvBufAdd(&body, "</encryption>\n");
        } else {
            mvBufAdd(&body, "/>\n");
        }
    }
    if (mvBufIsEmpty(&attrs) && mvBufIsEmpty(&body))
        return;
    {
        g_autofree char *a = mvBufContentAndReset(&attrs);

        head = g_strdup_printf("<source%s", a);
    }
    mvDomainFormatElement(buf, "source", head, &body);
}

static void
mvStorageSourceFormatBacking(mvBuf *buf, const mvStorageSource *src)
{
    const mvStorageSource *b = src->backing;

    if (!b) {
        if (src->backingTerminated)
            mvBufAdd(buf, "<backingStore/>\n");
        return;
    }
    mvBufAsprintf(buf, "<backingStore type='%s'>\n", mvStorageTypeToString(b->type));
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<format type='%s'/>\n", b->format);
    mvStorageSourceFormatSource(buf, b);
    mvStorageSourceFormatBacking(buf, b);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</backingStore>\n");
}

static void
mvDomainDiskFormat(mvBuf *buf, const mvDomainDiskDef *disk, unsigned int flags)
{
    g_auto(mvBuf) drv = MV_BUF_INIT;

    mvBufAsprintf(buf, "<disk type='%s' device='%s'>\n", mvStorageTypeToString(disk->src->type),
                  mvDiskDeviceToString(disk->device));
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(&drv, " name='%s'", disk->driverName);
    mvBufEscapeString(&drv, " type='%s'", disk->driverType);
    mvBufEscapeString(&drv, " cache='%s'", disk->cache);
    mvBufEscapeString(&drv, " io='%s'", disk->io);
    mvBufEscapeString(&drv, " discard='%s'", disk->discard);
    if (!mvBufIsEmpty(&drv)) {
        g_autofree char *a = mvBufContentAndReset(&drv);

        mvBufAsprintf(buf, "<driver%s/>\n", a);
    }
    mvStorageSourceFormatSource(buf, disk->src);
    mvStorageSourceFormatBacking(buf, disk->src);
    mvBufEscapeString(buf, "<target dev='%s'", disk->dst);
    if (disk->bus)
        mvBufAsprintf(buf, " bus='%s'", mvDiskBusToString(disk->bus));
    mvBufAdd(buf, "/>\n");
    mvDomainDiskIotuneFormat(buf, &disk->iotune);
    if (disk->readonly)
        mvBufAdd(buf, "<readonly/>\n");
    if (disk->shareable)
        mvBufAdd(buf, "<shareable/>\n");
    mvBufEscapeString(buf, "<serial>%s</serial>\n", disk->serial);
    mvDomainDeviceInfoFormat(buf, &disk->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</disk>\n");
}

/* libvirt's disk index of a target name: "vda" 0, "vdz" 25, "vdaa" 26. */
static long
mvDomainDiskNameIndex(const char *dst)
{
    static const char * const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd" };
    size_t i;
    long idx = 0;
    const char *p = NULL;

    for (i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(dst, prefixes[i])) {
            p = dst + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !*p)
        return -1;
    for (i = 0; *p >= 'a' && *p <= 'z'; p++, i++) {
        if (idx > G_MAXINT / 26)
            return -1;
        idx = (idx + (i ? 1 : 0)) * 26 + (*p - 'a');
    }
    return *p ? -1 : idx;
}

/* Inserts @disk after the last disk of its bus whose target sorts before
 * it, or at the end when none shares its bus (libvirt's order). */
static void
mvDomainDiskInsert(mvDomainDef *def, mvDomainDiskDef *disk)
{
    long idx = mvDomainDiskNameIndex(disk->dst);
    gint at = -1;
    gint i;

    for (i = (gint)def->disks->len - 1; i >= 0; i--) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        if (d->bus != disk->bus)
            continue;
        if (mvDomainDiskNameIndex(d->dst) > idx)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    if (at < 0)
        g_ptr_array_add(def->disks, disk);
    else
        g_ptr_array_insert(def->disks, at, disk);
}

static int
mvDomainDiskDefaultBus(const mvDomainDiskDef *disk)
{
    if (g_str_has_prefix(disk->dst, "hd"))
        return MV_DISK_BUS_IDE;
    if (g_str_has_prefix(disk->dst, "sd"))
        return MV_DISK_BUS_SCSI;
    if (g_str_has_prefix(disk->dst, "vd"))
        return MV_DISK_BUS_VIRTIO;
    if (g_str_has_prefix(disk->dst, "xvd"))
        return MV_DISK_BUS_XEN;
    if (g_str_has_prefix(disk->dst, "fd"))
        return MV_DISK_BUS_FDC;
    return MV_DISK_BUS_IDE;
}

/* ---------------------------------------------------------------------- */
/* Network interfaces */

static void
mvDomainNetDefFree(gpointer p)
{
    mvDomainNetDef *net = p;

    g_free(net->source);
    g_free(net->sourceMode);
    g_free(net->model);
    g_free(net->ifname);
    g_free(net->portid);
    g_free(net->liveBridge);
    mvDomainDeviceInfoClear(&net->info);
    g_free(net);
}

static int
mvDomainNetParseMAC(const xmlNode *n, unsigned char *mac)
{
    g_autofree char *str = mvDomainProp(n, "address");
    unsigned int b[6];
    char tail;
    size_t i;

    if (!str) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "<mac> needs an 'address' attribute");
        return -1;
    }
    if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6 || strlen(str) != 17) {
        mvReportError(VIR_ERR_XML_ERROR, "unable to parse mac address '%s'", str);
        return -1;
    }
    if (b[0] & 1) {
        mvReportError(VIR_ERR_XML_ERROR, "expected unicast mac address, found multicast '%s'",
                      str);
        return -1;
    }
    for (i = 0; i < 6; i++)
        mac[i] = (unsigned char)b[i];
    return 1;
}

static mvDomainNetDef *
mvDomainNetParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainNetDefFree);
    mvDomainNetDef *net = g_new0(mvDomainNetDef, 1);
    const char *srcAttr[] = { NULL, "network", "bridge", "dev", NULL };
    xmlNode *c;
    int rc = 0;

    g_ptr_array_add(keep, net);
    if (mvDomainCheckNode(n, (const char *[]){ "type", NULL },
                          (const char *[]){ "mac", "source", "target", "model",
                                            MV_DEVICE_INFO_CHILDREN, NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "user", "network", "bridge", "direct",
                                                         "ethernet" },
                      MV_NET_LAST, &net->type) < 0)
        return NULL;
    if (!xmlHasProp(n, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing interface type");
        return NULL;
    }
    if ((c = mvXMLChildFind(n, "mac")) &&
        (mvDomainCheckNode(c, (const char *[]){ "address", NULL }, NULL) < 0 ||
         (rc = mvDomainNetParseMAC(c, net->mac)) < 0))
        return NULL;
    if (rc == 0) {
        /* libvirt's (and QEMU's) locally administered range */
        net->mac[0] = 0x52;
        net->mac[1] = 0x54;
        net->mac[2] = 0x00;
        net->mac[3] = (unsigned char)g_random_int_range(0, 256);
        net->mac[4] = (unsigned char)g_random_int_range(0, 256);
        net->mac[5] = (unsigned char)g_random_int_range(0, 256);
    }
    if ((c = mvXMLChildFind(n, "source"))) {
        /* a running NIC's port and bridge: read back from live XML, dropped
         * (like its host-named tap) from an inactive definition */
        bool liveNetwork = net->type == MV_NET_NETWORK && (flags & MV_DOMAIN_DEF_PARSE_LIVE);
        const char *attrs[] = { srcAttr[MIN(net->type, 3)],
                                net->type == MV_NET_DIRECT ? "mode" :
                                net->type == MV_NET_NETWORK ? "portid" : NULL,
                                net->type == MV_NET_NETWORK ? "bridge" : NULL, NULL };

        if (net->type == MV_NET_USER || net->type == MV_NET_ETHERNET) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "element <source> (line %ld) of a '%s' interface is not supported "
                          "yet by modvirt", mvXMLNodeLine(c), mvNetTypeToString(net->type));
            return NULL;
        }
        if (mvDomainCheckNode(c, attrs, NULL) < 0)
            return NULL;
        net->source = mvDomainProp(c, attrs[0]);
        if (net->type == MV_NET_DIRECT)
            net->sourceMode = mvDomainProp(c, "mode");
        if (liveNetwork) {
            net->portid = mvDomainProp(c, "portid");
            net->liveBridge = mvDomainProp(c, "bridge");
        }
    }
    if ((net->type == MV_NET_NETWORK || net->type == MV_NET_BRIDGE ||
         net->type == MV_NET_DIRECT) && !net->source) {
        mvReportError(VIR_ERR_XML_ERROR, "interface type='%s' requires a 'source' element",
                      mvNetTypeToString(net->type));
        return NULL;
    }
    if (net->type == MV_NET_DIRECT && !net->sourceMode)
        net->sourceMode = g_strdup("vepa");
    if ((c = mvXMLChildFind(n, "target"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "dev", NULL }, NULL) < 0)
            return NULL;
        net->ifname = mvDomainProp(c, "dev");
        /* names the host generates are not part of the persistent config
         * (libvirt drops them the same way) */
        if (net->ifname && !(flags & MV_DOMAIN_DEF_PARSE_LIVE) &&
            (g_str_has_prefix(net->ifname, "vnet") ||
             g_str_has_prefix(net->ifname, "macvtap") ||
             g_str_has_prefix(net->ifname, "macvlan")))
            g_clear_pointer(&net->ifname, g_free);
    }
    if ((c = mvXMLChildFind(n, "model"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "type", NULL }, NULL) < 0)
            return NULL;
        net->model = mvDomainProp(c, "type");
    }
    if (mvDomainDeviceInfoParse(n, &net->info, flags, true) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainNetFormat(mvBuf *buf, const mvDomainNetDef *net, unsigned int flags)
{
    const unsigned char *m = net->mac;

    mvBufAsprintf(buf, "<interface type='%s'>\n", mvNetTypeToString(net->type));
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
                  m[0], m[1], m[2], m[3], m[4], m[5]);
    switch ((mvNetType)net->type) {
    case MV_NET_NETWORK:
        mvBufEscapeString(buf, "<source network='%s'", net->source);
        if (flags & MV_DOMAIN_DEF_FORMAT_LIVE) {
            mvBufEscapeString(buf, " portid='%s'", net->portid);
            mvBufEscapeString(buf, " bridge='%s'", net->liveBridge);
        }
        mvBufAdd(buf, "/>\n");
        break;
    case MV_NET_BRIDGE:
        mvBufEscapeString(buf, "<source bridge='%s'/>\n", net->source);
        break;
    case MV_NET_DIRECT:
        mvBufEscapeString(buf, "<source dev='%s'", net->source);
        mvBufEscapeString(buf, " mode='%s'/>\n", net->sourceMode);
        break;
    case MV_NET_USER:
    case MV_NET_ETHERNET:
    case MV_NET_LAST:
        break;
    }
    mvBufEscapeString(buf, "<target dev='%s'/>\n", net->ifname);
    mvBufEscapeString(buf, "<model type='%s'/>\n", net->model);
    mvDomainDeviceInfoFormat(buf, &net->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</interface>\n");
}

/* ---------------------------------------------------------------------- */
/* Input, graphics, audio, video */

static void
mvDomainInputDefFree(gpointer p)
{
    mvDomainInputDef *in = p;

    g_free(in->type);
    g_free(in->bus);
    mvDomainDeviceInfoClear(&in->info);
    g_free(in);
}

static mvDomainInputDef *
mvDomainInputParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainInputDefFree);
    mvDomainInputDef *in = g_new0(mvDomainInputDef, 1);
    int v;

    g_ptr_array_add(keep, in);
    if (mvDomainCheckNode(n, (const char *[]){ "type", "bus", NULL },
                          (const char *[]){ "address", "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "mouse", "tablet", "keyboard" }, 3,
                      &v) < 0 ||
        mvXMLPropEnum(n, "bus", (const char * const[]){ "ps2", "usb", "virtio" }, 3, &v) < 0)
        return NULL;
    if (!(in->type = mvDomainProp(n, "type"))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing input device type");
        return NULL;
    }
    in->bus = mvDomainProp(n, "bus");
    if (!in->bus)
        in->bus = g_strdup(strcmp(in->type, "tablet") == 0 ? "usb" : "ps2");
    if (mvDomainDeviceInfoParse(n, &in->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainInputFormat(mvBuf *buf, const mvDomainInputDef *in, unsigned int flags)
{
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autofree char *head = g_strdup_printf("<input type='%s' bus='%s'", in->type, in->bus);

    mvDomainDeviceInfoFormat(&body, &in->info, flags);
    mvDomainFormatElement(buf, "input", head, &body);
}

static void
mvDomainGraphicsDefFree(gpointer p)
{
    mvDomainGraphicsDef *g = p;
    size_t i;

    g_free(g->passwd);
    g_free(g->keymap);
    for (i = 0; i < g->nlistens; i++) {
        g_free(g->listens[i].address);
        g_free(g->listens[i].network);
        g_free(g->listens[i].socket);
    }
    g_free(g->listens);
    g_free(g);
}

static mvGraphicsListen *
mvDomainGraphicsAddListen(mvDomainGraphicsDef *g, int type)
{
    mvGraphicsListen *l;

    g->listens = g_renew(mvGraphicsListen, g->listens, g->nlistens + 1);
    l = &g->listens[g->nlistens++];
    memset(l, 0, sizeof(*l));
    l->type = type;
    return l;
}

static int
mvDomainGraphicsParseListens(const xmlNode *n, mvDomainGraphicsDef *g)
{
    g_autofree char *listenAttr = mvDomainProp(n, "listen");
    g_autofree char *socket = mvDomainProp(n, "socket");
    xmlNode *c;

    for (c = n->children; c; c = c->next) {
        mvGraphicsListen *l;
        int type = -1;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "type", "address", "network", "socket",
                                                   NULL }, NULL) < 0 ||
            mvXMLPropEnum(c, "type", (const char * const[]){ "address", "network", "socket",
                                                             "none" }, 4, &type) < 0)
            return -1;
        if (type < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "graphics listen type must be specified");
            return -1;
        }
        l = mvDomainGraphicsAddListen(g, type);
        l->address = mvDomainProp(c, "address");
        l->network = mvDomainProp(c, "network");
        l->socket = mvDomainProp(c, "socket");
    }
    if (listenAttr && g->nlistens && g->listens[0].type == MV_GRAPHICS_LISTEN_ADDRESS &&
        g_strcmp0(listenAttr, g->listens[0].address) != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "graphics 'listen' attribute '%s' must match "
                      "'address' attribute of first listen element (found '%s')",
                      listenAttr, g->listens[0].address ? g->listens[0].address : "none");
        return -1;
    }
    if (socket && !g->nlistens)
        mvDomainGraphicsAddListen(g, MV_GRAPHICS_LISTEN_SOCKET)->socket =
            g_steal_pointer(&socket);
    if (!g->nlistens)
        mvDomainGraphicsAddListen(g, MV_GRAPHICS_LISTEN_ADDRESS)->address =
            g_steal_pointer(&listenAttr);
    return 0;
}

static mvDomainGraphicsDef *
mvDomainGraphicsParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainGraphicsDefFree);
    mvDomainGraphicsDef *g = g_new0(mvDomainGraphicsDef, 1);
    g_autofree char *port = NULL;
    int autoport = MV_TRISTATE_ABSENT;

    g_ptr_array_add(keep, g);
    if (mvDomainCheckNode(n, (const char *[]){ "type", "port", "tlsPort", "autoport",
                                               "listen", "passwd", "keymap", "socket", NULL },
                          (const char *[]){ "listen*", NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "vnc", "spice" }, MV_GRAPHICS_LAST,
                      &g->type) < 0 ||
        mvDomainPropTristate(n, "autoport", false, &autoport) < 0)
        return NULL;
    if (!xmlHasProp(n, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing graphics device type");
        return NULL;
    }
    if ((port = mvDomainProp(n, "port"))) {
        char *end = NULL;
        gint64 v = g_ascii_strtoll(port, &end, 10);

        if (*end || end == port || v < -1 || v > 65535) {
            mvReportError(VIR_ERR_XML_ERROR, "cannot parse vnc port %s", port);
            return NULL;
        }
        g->port = (int)MAX(v, 0);
        g->autoport = v == -1;
    } else {
        g->autoport = true;
    }
    if (autoport == MV_TRISTATE_YES)
        g->autoport = true;
    else if (autoport == MV_TRISTATE_NO)
        g->autoport = false;
    if (g->autoport && !(flags & MV_DOMAIN_DEF_PARSE_LIVE))
        g->port = 0;
    if (mvDomainPropInt(n, "tlsPort", &g->tlsPort) < 0)
        return NULL;
    g->passwd = mvDomainProp(n, "passwd");
    g->keymap = mvDomainProp(n, "keymap");
    if (mvDomainGraphicsParseListens(n, g) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainGraphicsFormat(mvBuf *buf, const mvDomainGraphicsDef *g, unsigned int flags)
{
    const mvGraphicsListen *l0 = g->nlistens ? &g->listens[0] : NULL;
    size_t i;

    mvBufAsprintf(buf, "<graphics type='%s'", mvGraphicsTypeToString(g->type));
    if (l0 && l0->type == MV_GRAPHICS_LISTEN_SOCKET && g->type == MV_GRAPHICS_VNC) {
        mvBufEscapeString(buf, " socket='%s'", l0->socket);
    } else if (!l0 || l0->type != MV_GRAPHICS_LISTEN_NONE) {
        if (g->port && (!g->autoport || (flags & MV_DOMAIN_DEF_FORMAT_LIVE)))
            mvBufAsprintf(buf, " port='%d'", g->port);
        else if (g->autoport)
            mvBufAdd(buf, " port='-1'");
        if (g->tlsPort)
            mvBufAsprintf(buf, " tlsPort='%d'", g->tlsPort);
        mvBufAsprintf(buf, " autoport='%s'", g->autoport ? "yes" : "no");
        if (l0 && l0->type == MV_GRAPHICS_LISTEN_ADDRESS)
            mvBufEscapeString(buf, " listen='%s'", l0->address);
    }
    mvBufEscapeString(buf, " keymap='%s'", g->keymap);
    if (flags & MV_DOMAIN_DEF_FORMAT_SECURE)
        mvBufEscapeString(buf, " passwd='%s'", g->passwd);
    if (!g->nlistens) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < g->nlistens; i++) {
        const mvGraphicsListen *l = &g->listens[i];

        mvBufAsprintf(buf, "<listen type='%s'", mvGraphicsListenTypeToString(l->type));
        mvBufEscapeString(buf, " address='%s'", l->address);
        mvBufEscapeString(buf, " network='%s'", l->network);
        mvBufEscapeString(buf, " socket='%s'", l->socket);
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</graphics>\n");
}

static void
mvDomainAudioDefFree(gpointer p)
{
    mvDomainAudioDef *a = p;

    g_free(a->type);
    g_free(a);
}

static mvDomainAudioDef *
mvDomainAudioParse(const xmlNode *n)
{
    g_autofree mvDomainAudioDef *a = g_new0(mvDomainAudioDef, 1);
    int rc;
    int v;

    if (mvDomainCheckNode(n, (const char *[]){ "id", "type", NULL }, NULL) < 0 ||
        (rc = mvXMLPropUInt(n, "id", &a->id)) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "none", "alsa", "coreaudio", "jack",
                                                         "oss", "pulseaudio", "sdl",
                                                         "spice", "file", "dbus" }, 10,
                      &v) < 0)
        return NULL;
    if (rc == 0 || a->id == 0 || !xmlHasProp(n, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "<audio> needs a positive 'id' and a 'type'");
        return NULL;
    }
    a->type = mvDomainProp(n, "type");
    return g_steal_pointer(&a);
}

static void
mvDomainVideoDefFree(gpointer p)
{
    mvDomainVideoDef *v = p;

    g_free(v->model);
    mvDomainDeviceInfoClear(&v->info);
    g_free(v);
}

static mvDomainVideoDef *
mvDomainVideoParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainVideoDefFree);
    mvDomainVideoDef *v = g_new0(mvDomainVideoDef, 1);
    xmlNode *m = mvXMLChildFind(n, "model");
    bool primary = false;

    g_ptr_array_add(keep, v);
    v->ram = v->vram = v->vgamem = v->heads = -1;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "model", "address", "alias", NULL }) < 0)
        return NULL;
    if (m) {
        int t;

        if (mvDomainCheckNode(m, (const char *[]){ "type", "ram", "vram", "vgamem", "heads",
                                                   "primary", NULL }, NULL) < 0 ||
            mvXMLPropEnum(m, "type", (const char * const[]){ "vga", "cirrus", "vmvga", "xen",
                                                             "vbox", "qxl", "parallels",
                                                             "virtio", "gop", "none",
                                                             "bochs", "ramfb" }, 12,
                          &t) < 0 ||
            mvDomainPropInt(m, "ram", &v->ram) < 0 ||
            mvDomainPropInt(m, "vram", &v->vram) < 0 ||
            mvDomainPropInt(m, "vgamem", &v->vgamem) < 0 ||
            mvDomainPropInt(m, "heads", &v->heads) < 0 ||
            mvXMLPropYesNo(m, "primary", &primary) < 0)
            return NULL;
        v->model = mvDomainProp(m, "type");
        v->primary = primary;
    }
    if (mvDomainDeviceInfoParse(n, &v->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainVideoFormat(mvBuf *buf, const mvDomainVideoDef *v, unsigned int flags)
{
    mvBufAdd(buf, "<video>\n");
    mvBufAdjustIndent(buf, 2);
    if (v->model) {
        mvBufAsprintf(buf, "<model type='%s'", v->model);
        if (v->ram >= 0)
            mvBufAsprintf(buf, " ram='%d'", v->ram);
        if (v->vram >= 0)
            mvBufAsprintf(buf, " vram='%d'", v->vram);
        if (v->vgamem >= 0)
            mvBufAsprintf(buf, " vgamem='%d'", v->vgamem);
        if (v->heads >= 0)
            mvBufAsprintf(buf, " heads='%d'", v->heads);
        if (v->primary)
            mvBufAdd(buf, " primary='yes'");
        mvBufAdd(buf, "/>\n");
    }
    mvDomainDeviceInfoFormat(buf, &v->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</video>\n");
}

/* ---------------------------------------------------------------------- */
/* Character devices */

static void
mvDomainChrSourceClear(mvDomainChrSource *s)
{
    g_free(s->path);
    g_free(s->host);
    g_free(s->service);
    g_free(s->protocol);
}

static void
mvDomainChrDefFree(gpointer p)
{
    mvDomainChrDef *chr = p;

    mvDomainChrSourceClear(&chr->src);
    g_free(chr->targetType);
    g_free(chr->targetName);
    g_free(chr->targetModel);
    mvDomainDeviceInfoClear(&chr->info);
    g_free(chr);
}

static void
mvDomainChrSourceCopy(mvDomainChrSource *to, const mvDomainChrSource *from)
{
    mvDomainChrSourceClear(to);
    *to = *from;
    to->path = g_strdup(from->path);
    to->host = g_strdup(from->host);
    to->service = g_strdup(from->service);
    to->protocol = g_strdup(from->protocol);
}

static int
mvDomainChrParseSource(const xmlNode *n, mvDomainChrSource *src)
{
    xmlNode *s = mvXMLChildFind(n, "source");
    xmlNode *proto = mvXMLChildFind(n, "protocol");
    g_autofree char *mode = NULL;

    if (s) {
        const char *pathAttrs[] = { "path", src->type == MV_CHR_FILE ? "append" : NULL, NULL };
        const char *unixAttrs[] = { "mode", "path", NULL };
        const char *tcpAttrs[] = { "mode", "host", "service", NULL };
        const char * const *attrs = NULL;

        switch ((mvChrType)src->type) {
        case MV_CHR_PTY:
        case MV_CHR_FILE:
            attrs = pathAttrs;
            break;
        case MV_CHR_UNIX:
            attrs = unixAttrs;
            break;
        case MV_CHR_TCP:
            attrs = tcpAttrs;
            break;
        case MV_CHR_NULL:
        case MV_CHR_STDIO:
        case MV_CHR_LAST:
            break;
        }
        if (mvDomainCheckNode(s, attrs, NULL) < 0 ||
            mvDomainPropTristate(s, "append", true, &src->append) < 0)
            return -1;
        src->hasSource = true;
        src->path = mvDomainProp(s, "path");
        src->host = mvDomainProp(s, "host");
        src->service = mvDomainProp(s, "service");
        mode = mvDomainProp(s, "mode");
        if (mode && strcmp(mode, "bind") != 0 && strcmp(mode, "connect") != 0) {
            mvReportError(VIR_ERR_XML_ERROR, "Unknown source mode '%s'", mode);
            return -1;
        }
        /* an absent mode means connect, as in libvirt */
        src->bind = mode && strcmp(mode, "bind") == 0;
    }
    if (src->type == MV_CHR_FILE && !src->path) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "Missing source path attribute for char device");
        return -1;
    }
    if (src->type == MV_CHR_TCP) {
        if (!src->host || !src->service) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "Missing source host or service attribute for char device");
            return -1;
        }
        src->protocol = g_strdup("raw");
    }
    if (proto) {
        if (src->type != MV_CHR_TCP) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "element <protocol> (line %ld) is "
                          "not supported yet by modvirt outside tcp char devices",
                          mvXMLNodeLine(proto));
            return -1;
        }
        if (mvDomainCheckNode(proto, (const char *[]){ "type", NULL }, NULL) < 0)
            return -1;
        g_free(src->protocol);
        src->protocol = mvDomainProp(proto, "type");
        if (!src->protocol)
            src->protocol = g_strdup("raw");
    }
    return 0;
}

static mvDomainChrDef *
mvDomainChrParse(const xmlNode *n, int deviceType, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainChrDefFree);
    mvDomainChrDef *chr = g_new0(mvDomainChrDef, 1);
    xmlNode *t;

    g_ptr_array_add(keep, chr);
    chr->deviceType = deviceType;
    chr->targetPort = -1;
    chr->src.type = MV_CHR_PTY;
    if (mvDomainCheckNode(n, (const char *[]){ "type", NULL },
                          (const char *[]){ "source", "protocol", "target", "address",
                                            "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "null", "pty", "file", "stdio",
                                                         "tcp", "unix" },
                      MV_CHR_LAST, &chr->src.type) < 0 ||
        mvDomainChrParseSource(n, &chr->src) < 0)
        return NULL;
    if ((t = mvXMLChildFind(n, "target"))) {
        xmlNode *model = mvXMLChildFind(t, "model");

        if (mvDomainCheckNode(t, (const char *[]){ "type", "port", "name", NULL },
                              (const char *[]){ deviceType == MV_CHR_DEVICE_SERIAL ||
                                                deviceType == MV_CHR_DEVICE_PARALLEL ?
                                                "model" : NULL, NULL }) < 0 ||
            mvDomainPropInt(t, "port", &chr->targetPort) < 0)
            return NULL;
        chr->targetType = mvDomainProp(t, "type");
        chr->targetName = mvDomainProp(t, "name");
        if (model) {
            if (mvDomainCheckNode(model, (const char *[]){ "name", NULL }, NULL) < 0)
                return NULL;
            chr->targetModel = mvDomainProp(model, "name");
        }
        /* a parallel port has no target type or model: libvirt drops them */
        if (deviceType == MV_CHR_DEVICE_PARALLEL) {
            g_clear_pointer(&chr->targetType, g_free);
            g_clear_pointer(&chr->targetModel, g_free);
        }
    }
    if (deviceType == MV_CHR_DEVICE_CHANNEL &&
        g_strcmp0(chr->targetType, "virtio") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "channel target type '%s' is not supported yet by modvirt (only virtio)",
                      chr->targetType ? chr->targetType : "");
        return NULL;
    }
    if (mvDomainDeviceInfoParse(n, &chr->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainChrSourceFormat(mvBuf *buf, const mvDomainChrSource *src, unsigned int flags)
{
    switch ((mvChrType)src->type) {
    case MV_CHR_PTY:
        if (src->path && (flags & MV_DOMAIN_DEF_FORMAT_LIVE))
            mvBufEscapeString(buf, "<source path='%s'/>\n", src->path);
        break;
    case MV_CHR_FILE:
        mvBufEscapeString(buf, "<source path='%s'", src->path);
        if (src->append)
            mvBufAsprintf(buf, " append='%s'", mvDomainTristateString(src->append, true));
        mvBufAdd(buf, "/>\n");
        break;
    case MV_CHR_UNIX:
        if (!src->path)
            break;
        mvBufAsprintf(buf, "<source mode='%s'", src->bind ? "bind" : "connect");
        mvBufEscapeString(buf, " path='%s'/>\n", src->path);
        break;
    case MV_CHR_TCP:
        mvBufAsprintf(buf, "<source mode='%s'", src->bind ? "bind" : "connect");
        mvBufEscapeString(buf, " host='%s'", src->host);
        mvBufEscapeString(buf, " service='%s'/>\n", src->service);
        mvBufEscapeString(buf, "<protocol type='%s'/>\n", src->protocol);
        break;
    case MV_CHR_NULL:
    case MV_CHR_STDIO:
    case MV_CHR_LAST:
        break;
    }
}

static void
mvDomainChrFormat(mvBuf *buf, const mvDomainChrDef *chr, unsigned int flags)
{
    const char *elem = mvChrDeviceToString(chr->deviceType);

    mvBufAsprintf(buf, "<%s type='%s'>\n", elem, mvChrTypeToString(chr->src.type));
    mvBufAdjustIndent(buf, 2);
    mvDomainChrSourceFormat(buf, &chr->src, flags);
    mvBufAdd(buf, "<target");
    if (chr->targetType)
        mvBufEscapeString(buf, " type='%s'", chr->targetType);
    if (chr->deviceType == MV_CHR_DEVICE_CHANNEL)
        mvBufEscapeString(buf, " name='%s'", chr->targetName);
    else
        mvBufAsprintf(buf, " port='%d'", MAX(chr->targetPort, 0));
    if (chr->targetModel) {
        mvBufAdd(buf, ">\n");
        mvBufAdjustIndent(buf, 2);
        mvBufEscapeString(buf, "<model name='%s'/>\n", chr->targetModel);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</target>\n");
    } else {
        mvBufAdd(buf, "/>\n");
    }
    mvDomainDeviceInfoFormat(buf, &chr->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAsprintf(buf, "</%s>\n", elem);
}

/* A console that mirrors @serial (libvirt's serial console compatibility). */
static mvDomainChrDef *
mvDomainChrConsoleFromSerial(const mvDomainChrDef *serial)
{
    mvDomainChrDef *con = g_new0(mvDomainChrDef, 1);

    con->deviceType = MV_CHR_DEVICE_CONSOLE;
    mvDomainChrSourceCopy(&con->src, &serial->src);
    con->targetType = g_strdup("serial");
    con->targetPort = MAX(serial->targetPort, 0);
    return con;
}

/* ---------------------------------------------------------------------- */
/* Watchdog, memballoon, rng, panic */

static void
mvDomainWatchdogDefFree(gpointer p)
{
    mvDomainWatchdogDef *w = p;

    g_free(w->model);
    g_free(w->action);
    mvDomainDeviceInfoClear(&w->info);
    g_free(w);
}

static mvDomainWatchdogDef *
mvDomainWatchdogParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainWatchdogDefFree);
    mvDomainWatchdogDef *w = g_new0(mvDomainWatchdogDef, 1);
    int v;

    g_ptr_array_add(keep, w);
    if (mvDomainCheckNode(n, (const char *[]){ "model", "action", NULL },
                          (const char *[]){ "address", "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "model", (const char * const[]){ "i6300esb", "ib700", "diag288",
                                                          "itco" }, 4, &v) < 0 ||
        mvXMLPropEnum(n, "action", (const char * const[]){ "reset", "shutdown", "poweroff",
                                                           "pause", "none", "dump",
                                                           "inject-nmi" }, 7, &v) < 0)
        return NULL;
    if (!(w->model = mvDomainProp(n, "model"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "watchdog must contain model name");
        return NULL;
    }
    w->action = mvDomainProp(n, "action");
    if (!w->action)
        w->action = g_strdup("reset");
    if (mvDomainDeviceInfoParse(n, &w->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainMemballoonFree(mvDomainMemballoonDef *mb)
{
    if (!mb)
        return;
    g_free(mb->model);
    mvDomainDeviceInfoClear(&mb->info);
    g_free(mb);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvDomainMemballoonDef, mvDomainMemballoonFree);

static mvDomainMemballoonDef *
mvDomainMemballoonParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(mvDomainMemballoonDef) mb = g_new0(mvDomainMemballoonDef, 1);
    xmlNode *stats = mvXMLChildFind(n, "stats");
    int v;

    mb->statsPeriod = -1;
    if (mvDomainCheckNode(n, (const char *[]){ "model", "autodeflate", NULL },
                          (const char *[]){ "stats", "address", "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "model", (const char * const[]){ "virtio", "xen", "none",
                                                          "virtio-transitional",
                                                          "virtio-non-transitional" }, 5,
                      &v) < 0 ||
        mvDomainPropTristate(n, "autodeflate", true, &mb->autodeflate) < 0)
        return NULL;
    if (!(mb->model = mvDomainProp(n, "model"))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "balloon memory must contain model name");
        return NULL;
    }
    if (stats && (mvDomainCheckNode(stats, (const char *[]){ "period", NULL }, NULL) < 0 ||
                  mvDomainPropInt(stats, "period", &mb->statsPeriod) < 0))
        return NULL;
    if (mvDomainDeviceInfoParse(n, &mb->info, flags, false) < 0)
        return NULL;
    return g_steal_pointer(&mb);
}

static void
mvDomainMemballoonFormat(mvBuf *buf, const mvDomainMemballoonDef *mb, unsigned int flags)
{
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autoptr(GString) head = g_string_new(NULL);

    g_string_append_printf(head, "<memballoon model='%s'", mb->model);
    if (mb->autodeflate)
        g_string_append_printf(head, " autodeflate='%s'",
                               mvDomainTristateString(mb->autodeflate, true));
    if (mb->statsPeriod >= 0)
        mvBufAsprintf(&body, "<stats period='%d'/>\n", mb->statsPeriod);
    mvDomainDeviceInfoFormat(&body, &mb->info, flags);
    mvDomainFormatElement(buf, "memballoon", head->str, &body);
}

static void
mvDomainRNGDefFree(gpointer p)
{
    mvDomainRNGDef *r = p;

    g_free(r->model);
    g_free(r->backendModel);
    g_free(r->backendPath);
    mvDomainDeviceInfoClear(&r->info);
    g_free(r);
}

static mvDomainRNGDef *
mvDomainRNGParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainRNGDefFree);
    mvDomainRNGDef *r = g_new0(mvDomainRNGDef, 1);
    xmlNode *be = mvXMLChildFind(n, "backend");
    int v;

    g_ptr_array_add(keep, r);
    if (mvDomainCheckNode(n, (const char *[]){ "model", NULL },
                          (const char *[]){ "backend", "address", "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "model", (const char * const[]){ "virtio", "virtio-transitional",
                                                          "virtio-non-transitional" }, 3,
                      &v) < 0)
        return NULL;
    if (!(r->model = mvDomainProp(n, "model"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing RNG device model");
        return NULL;
    }
    if (!be) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing RNG device backend");
        return NULL;
    }
    if (mvDomainCheckNode(be, (const char *[]){ "model", NULL }, NULL) < 0)
        return NULL;
    r->backendModel = mvDomainProp(be, "model");
    if (g_strcmp0(r->backendModel, "random") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "RNG backend model '%s' is not supported yet by modvirt (only random)",
                      r->backendModel ? r->backendModel : "");
        return NULL;
    }
    r->backendPath = g_strstrip(mvXMLNodeContent(be));
    if (!*r->backendPath) {
        g_free(r->backendPath);
        r->backendPath = g_strdup("/dev/random");
    }
    if (mvDomainDeviceInfoParse(n, &r->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainRNGFormat(mvBuf *buf, const mvDomainRNGDef *r, unsigned int flags)
{
    mvBufAsprintf(buf, "<rng model='%s'>\n", r->model);
    mvBufAdjustIndent(buf, 2);
    if (r->backendPath)
        mvBufEscapeString(buf, "<backend model='random'>%s</backend>\n", r->backendPath);
    else
        mvBufAdd(buf, "<backend model='random'/>\n");
    mvDomainDeviceInfoFormat(buf, &r->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</rng>\n");
}

static void
mvDomainPanicDefFree(gpointer p)
{
    mvDomainPanicDef *pd = p;

    g_free(pd->model);
    mvDomainDeviceInfoClear(&pd->info);
    g_free(pd);
}

static mvDomainPanicDef *
mvDomainPanicParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainPanicDefFree);
    mvDomainPanicDef *pd = g_new0(mvDomainPanicDef, 1);
    int v;

    g_ptr_array_add(keep, pd);
    if (mvDomainCheckNode(n, (const char *[]){ "model", NULL },
                          (const char *[]){ "address", "alias", NULL }) < 0 ||
        mvXMLPropEnum(n, "model", (const char * const[]){ "isa", "pseries", "hyperv",
                                                          "s390" }, 4, &v) < 0)
        return NULL;
    pd->model = mvDomainProp(n, "model");
    if (mvDomainDeviceInfoParse(n, &pd->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainPanicFormat(mvBuf *buf, const mvDomainPanicDef *pd, unsigned int flags)
{
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autoptr(GString) head = g_string_new("<panic");

    if (pd->model)
        g_string_append_printf(head, " model='%s'", pd->model);
    mvDomainDeviceInfoFormat(&body, &pd->info, flags);
    mvDomainFormatElement(buf, "panic", head->str, &body);
}

/* ---------------------------------------------------------------------- */
/* The <devices> section */

void
mvDomainDevicesInit(mvDomainDef *def)
{
    def->disks = g_ptr_array_new_with_free_func(mvDomainDiskDefFree);
    def->controllers = g_ptr_array_new_with_free_func(mvDomainControllerDefFree);
    def->nets = g_ptr_array_new_with_free_func(mvDomainNetDefFree);
    def->serials = g_ptr_array_new_with_free_func(mvDomainChrDefFree);
    def->parallels = g_ptr_array_new_with_free_func(mvDomainChrDefFree);
    def->consoles = g_ptr_array_new_with_free_func(mvDomainChrDefFree);
    def->channels = g_ptr_array_new_with_free_func(mvDomainChrDefFree);
    def->inputs = g_ptr_array_new_with_free_func(mvDomainInputDefFree);
    def->graphics = g_ptr_array_new_with_free_func(mvDomainGraphicsDefFree);
    def->audios = g_ptr_array_new_with_free_func(mvDomainAudioDefFree);
    def->videos = g_ptr_array_new_with_free_func(mvDomainVideoDefFree);
    def->watchdogs = g_ptr_array_new_with_free_func(mvDomainWatchdogDefFree);
    def->rngs = g_ptr_array_new_with_free_func(mvDomainRNGDefFree);
    def->panics = g_ptr_array_new_with_free_func(mvDomainPanicDefFree);
    mvDomainExtraDevicesInit(def);
}

void
mvDomainDevicesClear(mvDomainDef *def)
{
    g_free(def->emulator);
    g_clear_pointer(&def->disks, g_ptr_array_unref);
    g_clear_pointer(&def->controllers, g_ptr_array_unref);
    g_clear_pointer(&def->nets, g_ptr_array_unref);
    g_clear_pointer(&def->serials, g_ptr_array_unref);
    g_clear_pointer(&def->parallels, g_ptr_array_unref);
    g_clear_pointer(&def->consoles, g_ptr_array_unref);
    g_clear_pointer(&def->channels, g_ptr_array_unref);
    g_clear_pointer(&def->inputs, g_ptr_array_unref);
    g_clear_pointer(&def->graphics, g_ptr_array_unref);
    g_clear_pointer(&def->audios, g_ptr_array_unref);
    g_clear_pointer(&def->videos, g_ptr_array_unref);
    g_clear_pointer(&def->watchdogs, g_ptr_array_unref);
    g_clear_pointer(&def->rngs, g_ptr_array_unref);
    g_clear_pointer(&def->panics, g_ptr_array_unref);
    mvDomainMemballoonFree(def->memballoon);
    mvDomainExtraDevicesClear(def);
}

int
mvDomainDevicesParse(xmlNode *devices, mvDomainDef *def, unsigned int flags)
{
    static const char * const children[] = {
        "emulator", "disk*", "controller*", "interface*", "serial*", "parallel*", "console*",
        "channel*", "input*", "graphics*", "audio*", "video*", "watchdog*", "memballoon", "rng*",
        "panic*", MV_DOMAIN_EXTRA_DEVICES, NULL
    };
    xmlNode *c;
    size_t count = 0;

    if (mvDomainCheckNode(devices, NULL, children) < 0)
        return -1;
    for (c = devices->children; c; c = c->next) {
        const char *name = (const char *)c->name;
        gpointer dev = NULL;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (++count > MV_DOMAIN_MAX_DEVICES) {
            mvReportError(VIR_ERR_XML_ERROR, "more than %d devices in <devices>",
                          MV_DOMAIN_MAX_DEVICES);
            return -1;
        }
        if (strcmp(name, "emulator") == 0) {
            if (mvDomainCheckNode(c, NULL, NULL) < 0)
                return -1;
            def->emulator = g_strstrip(mvXMLNodeContent(c));
            continue;
        } else if (strcmp(name, "disk") == 0) {
            if (!(dev = mvDomainDiskParse(c, flags)))
                return -1;
            mvDomainDiskDef *other = mvDomainDefFindDiskByTarget(def,
                                                                 ((mvDomainDiskDef *)dev)->dst);

            if (other) {
                const char *p1 = other->src->path;
                const char *p2 = ((mvDomainDiskDef *)dev)->src->path;

                mvReportError(VIR_ERR_XML_ERROR,
                              "target '%s' duplicated for disk sources '%s' and '%s'",
                              other->dst, p1 ? p1 : "", p2 ? p2 : "");
                mvDomainDiskDefFree(dev);
                return -1;
            }
            /* placed by the bus as written: the default bus comes in
             * post-parse, as in libvirt (so libvirt's order is not always
             * a fixed point, and neither is ours) */
            mvDomainDiskInsert(def, dev);
            continue;
        } else if (strcmp(name, "controller") == 0) {
            if (!(dev = mvDomainControllerParse(c, flags)))
                return -1;
            /* USB controllers are placed as libvirt does (a master before
             * its companions); the others keep document order */
            if (((mvDomainControllerDef *)dev)->type == MV_CONTROLLER_USB)
                mvDomainControllerInsert(def, dev);
            else
                g_ptr_array_add(def->controllers, dev);
            continue;
        } else if (strcmp(name, "interface") == 0) {
            if ((dev = mvDomainNetParse(c, flags)))
                g_ptr_array_add(def->nets, dev);
        } else if (strcmp(name, "serial") == 0) {
            if ((dev = mvDomainChrParse(c, MV_CHR_DEVICE_SERIAL, flags)))
                g_ptr_array_add(def->serials, dev);
        } else if (strcmp(name, "parallel") == 0) {
            if ((dev = mvDomainChrParse(c, MV_CHR_DEVICE_PARALLEL, flags)))
                g_ptr_array_add(def->parallels, dev);
        } else if (strcmp(name, "console") == 0) {
            if ((dev = mvDomainChrParse(c, MV_CHR_DEVICE_CONSOLE, flags)))
                g_ptr_array_add(def->consoles, dev);
        } else if (strcmp(name, "channel") == 0) {
            if ((dev = mvDomainChrParse(c, MV_CHR_DEVICE_CHANNEL, flags)))
                g_ptr_array_add(def->channels, dev);
        } else if (strcmp(name, "input") == 0) {
            if ((dev = mvDomainInputParse(c, flags)))
                g_ptr_array_add(def->inputs, dev);
        } else if (strcmp(name, "graphics") == 0) {
            if ((dev = mvDomainGraphicsParse(c, flags)))
                g_ptr_array_add(def->graphics, dev);
        } else if (strcmp(name, "audio") == 0) {
            if ((dev = mvDomainAudioParse(c)))
                g_ptr_array_add(def->audios, dev);
        } else if (strcmp(name, "video") == 0) {
            if ((dev = mvDomainVideoParse(c, flags)))
                g_ptr_array_add(def->videos, dev);
        } else if (strcmp(name, "watchdog") == 0) {
            if ((dev = mvDomainWatchdogParse(c, flags)))
                g_ptr_array_add(def->watchdogs, dev);
        } else if (strcmp(name, "memballoon") == 0) {
            if ((dev = mvDomainMemballoonParse(c, flags)))
                def->memballoon = dev;
        } else if (strcmp(name, "rng") == 0) {
            if ((dev = mvDomainRNGParse(c, flags)))
                g_ptr_array_add(def->rngs, dev);
        } else if (MV_DOMAIN_IS_EXTRA_DEVICE(name)) {
            if (mvDomainExtraDeviceParse(c, def, flags) < 0)
                return -1;
            continue;
        } else if (strcmp(name, "panic") == 0) {
            if ((dev = mvDomainPanicParse(c, flags)))
                g_ptr_array_add(def->panics, dev);
        }
        if (!dev)
            return -1;
    }
    return mvDomainControllersCheckUSB(def);
}

/* Serial and console compatibility: the first console of target type
 * serial is the first serial port, as libvirt models it. */
static void
mvDomainDevicesPostParseConsoles(mvDomainDef *def)
{
    mvDomainChrDef *con0 = def->consoles->len ? g_ptr_array_index(def->consoles, 0) : NULL;
    gint port = 0;
    size_t i;

    /* other consoles are numbered by their place in the document, before
     * the serial console is put first */
    for (i = 0; i < def->consoles->len; i++) {
        mvDomainChrDef *c = g_ptr_array_index(def->consoles, i);

        if (c->targetPort < 0 && c->targetType && strcmp(c->targetType, "serial") != 0)
            c->targetPort = (int)i;
    }
    if (con0 && (!con0->targetType || strcmp(con0->targetType, "serial") == 0)) {
        if (!con0->targetType)
            con0->targetType = g_strdup("serial");
        if (!def->serials->len) {
            mvDomainChrDef *serial = g_new0(mvDomainChrDef, 1);

            serial->deviceType = MV_CHR_DEVICE_SERIAL;
            mvDomainChrSourceCopy(&serial->src, &con0->src);
            serial->targetPort = MAX(con0->targetPort, 0);
            g_ptr_array_add(def->serials, serial);
        }
    }
    for (i = 0; i < def->serials->len; i++) {
        mvDomainChrDef *s = g_ptr_array_index(def->serials, i);

        if (s->targetPort < 0)
            s->targetPort = port;
        port = MAX(port, s->targetPort + 1);
    }
    /* parallel ports are numbered the same way, on their own */
    for (port = 0, i = 0; i < def->parallels->len; i++) {
        mvDomainChrDef *p = g_ptr_array_index(def->parallels, i);

        if (p->targetPort < 0)
            p->targetPort = port;
        port = MAX(port, p->targetPort + 1);
    }
    if (def->serials->len) {
        mvDomainChrDef *serial0 = g_ptr_array_index(def->serials, 0);

        if (con0 && strcmp(con0->targetType, "serial") == 0) {
            mvDomainChrSourceCopy(&con0->src, &serial0->src);
            con0->targetPort = MAX(serial0->targetPort, 0);
        } else {
            g_ptr_array_insert(def->consoles, 0, mvDomainChrConsoleFromSerial(serial0));
        }
    }
}

/* Adds controller @type/@index unless present (libvirt's implicit
 * controllers). */
static void
mvDomainDevicesAddImplicitController(mvDomainDef *def, int type, unsigned int index)
{
    mvDomainControllerDef *ctrl;

    if (mvDomainDefFindController(def, type, index))
        return;
    ctrl = g_new0(mvDomainControllerDef, 1);
    ctrl->type = type;
    ctrl->index = index;
    ctrl->ports = ctrl->vectors = ctrl->chassis = ctrl->port = ctrl->busNr = -1;
    mvDomainControllerInsert(def, ctrl);
}

/* Drive addresses of disks on controller buses that have none, and the
 * controllers those addresses name, as libvirt's generic post-parse does. */
static void
mvDomainDevicesPostParseDisks(mvDomainDef *def)
{
    size_t i;

    for (i = 0; i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        mvDomainDeviceAddress *a = &d->info.addr;
        long idx = mvDomainDiskNameIndex(d->dst);
        unsigned int perCtrl = 0, perBus = 1;
        int ctype = -1;

        if (!d->bus)
            d->bus = mvDomainDiskDefaultBus(d);

        switch ((mvDiskBus)d->bus) {
        case MV_DISK_BUS_IDE:
            ctype = MV_CONTROLLER_IDE;
            perCtrl = 4;
            perBus = 2;
            break;
        case MV_DISK_BUS_FDC:
            ctype = MV_CONTROLLER_FDC;
            perCtrl = 2;
            perBus = 2;
            break;
        case MV_DISK_BUS_SCSI:
            ctype = MV_CONTROLLER_SCSI;
            perCtrl = 7;
            perBus = 7;
            break;
        case MV_DISK_BUS_SATA:
            ctype = MV_CONTROLLER_SATA;
            perCtrl = 6;
            perBus = 6;
            break;
        case MV_DISK_BUS_NONE:
        case MV_DISK_BUS_VIRTIO:
        case MV_DISK_BUS_XEN:
        case MV_DISK_BUS_USB:
        case MV_DISK_BUS_SD:
        case MV_DISK_BUS_LAST:
            break;
        }
        if (ctype < 0)
            continue;
        if (a->type == MV_DOMAIN_ADDRESS_NONE && idx >= 0) {
            a->type = MV_DOMAIN_ADDRESS_DRIVE;
            a->controller = (unsigned int)(idx / perCtrl);
            a->bus = (unsigned int)((idx % perCtrl) / perBus);
            a->target = 0;
            a->unit = (unsigned int)(idx % perBus);
        }
        if (a->type == MV_DOMAIN_ADDRESS_DRIVE)
            mvDomainDevicesAddImplicitController(def, ctype, a->controller);
    }
}

/* A virtio-serial controller for every one virtio channels and consoles
 * use. */
static void
mvDomainDevicesPostParseVirtioSerial(mvDomainDef *def)
{
    size_t i;

    for (i = 0; i < def->channels->len + def->consoles->len; i++) {
        mvDomainChrDef *c = i < def->channels->len ?
            g_ptr_array_index(def->channels, i) :
            g_ptr_array_index(def->consoles, i - def->channels->len);

        if (g_strcmp0(c->targetType, "virtio") != 0)
            continue;
        mvDomainDevicesAddImplicitController(def, MV_CONTROLLER_VIRTIO_SERIAL,
                                             c->info.addr.type ==
                                             MV_DOMAIN_ADDRESS_VIRTIO_SERIAL ?
                                             c->info.addr.controller : 0);
    }
}

int
mvDomainDevicesPostParse(mvDomainDef *def)
{
    bool deviceBoot = false;
    size_t i;

    for (i = 0; i < def->disks->len; i++)
        deviceBoot |= ((mvDomainDiskDef *)g_ptr_array_index(def->disks, i))->info.bootIndex > 0;
    for (i = 0; i < def->nets->len; i++)
        deviceBoot |= ((mvDomainNetDef *)g_ptr_array_index(def->nets, i))->info.bootIndex > 0;
    for (i = 0; i < def->hostdevs->len; i++) {
        const mvDomainHostdevDef *hd = g_ptr_array_index(def->hostdevs, i);

        deviceBoot |= hd->info.bootIndex > 0;
    }
    if (deviceBoot && def->os.nBootDevs) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "per-device boot elements cannot be used together with os/boot "
                      "elements");
        return -1;
    }
    if (!deviceBoot && !def->os.nBootDevs)
        def->os.bootDevs[def->os.nBootDevs++] = MV_DOMAIN_BOOT_DISK;
    mvDomainControllersAssignIndexes(def);
    mvDomainDevicesPostParseConsoles(def);
    mvDomainDevicesPostParseDisks(def);
    mvDomainDevicesPostParseVirtioSerial(def);
    return mvDomainExtraDevicesPostParse(def);
}

void
mvDomainDevicesFormat(mvBuf *buf, const mvDomainDef *def, unsigned int flags)
{
    size_t i;

    mvBufAdd(buf, "<devices>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<emulator>%s</emulator>\n", def->emulator);
    for (i = 0; i < def->disks->len; i++)
        mvDomainDiskFormat(buf, g_ptr_array_index(def->disks, i), flags);
    for (i = 0; i < def->controllers->len; i++)
        mvDomainControllerFormat(buf, g_ptr_array_index(def->controllers, i), flags);
    mvDomainExtraDevicesFormat(buf, def, flags, MV_DOMAIN_EXTRA_AFTER_CONTROLLERS);
    for (i = 0; i < def->nets->len; i++)
        mvDomainNetFormat(buf, g_ptr_array_index(def->nets, i), flags);
    for (i = 0; i < def->serials->len; i++)
        mvDomainChrFormat(buf, g_ptr_array_index(def->serials, i), flags);
    for (i = 0; i < def->parallels->len; i++)
        mvDomainChrFormat(buf, g_ptr_array_index(def->parallels, i), flags);
    for (i = 0; i < def->consoles->len; i++)
        mvDomainChrFormat(buf, g_ptr_array_index(def->consoles, i), flags);
    for (i = 0; i < def->channels->len; i++)
        mvDomainChrFormat(buf, g_ptr_array_index(def->channels, i), flags);
    for (i = 0; i < def->inputs->len; i++)
        mvDomainInputFormat(buf, g_ptr_array_index(def->inputs, i), flags);
    mvDomainExtraDevicesFormat(buf, def, flags, MV_DOMAIN_EXTRA_AFTER_INPUTS);
    for (i = 0; i < def->graphics->len; i++)
        mvDomainGraphicsFormat(buf, g_ptr_array_index(def->graphics, i), flags);
    mvDomainExtraDevicesFormat(buf, def, flags, MV_DOMAIN_EXTRA_AFTER_GRAPHICS);
    for (i = 0; i < def->audios->len; i++) {
        const mvDomainAudioDef *a = g_ptr_array_index(def->audios, i);

        mvBufAsprintf(buf, "<audio id='%u' type='%s'/>\n", a->id, a->type);
    }
    for (i = 0; i < def->videos->len; i++)
        mvDomainVideoFormat(buf, g_ptr_array_index(def->videos, i), flags);
    mvDomainExtraDevicesFormat(buf, def, flags, MV_DOMAIN_EXTRA_AFTER_VIDEOS);
    for (i = 0; i < def->watchdogs->len; i++) {
        const mvDomainWatchdogDef *w = g_ptr_array_index(def->watchdogs, i);
        g_auto(mvBuf) body = MV_CHILD_BUF(buf);
        g_autofree char *head = g_strdup_printf("<watchdog model='%s' action='%s'",
                                                w->model, w->action);

        mvDomainDeviceInfoFormat(&body, &w->info, flags);
        mvDomainFormatElement(buf, "watchdog", head, &body);
    }
    if (def->memballoon)
        mvDomainMemballoonFormat(buf, def->memballoon, flags);
    for (i = 0; i < def->rngs->len; i++)
        mvDomainRNGFormat(buf, g_ptr_array_index(def->rngs, i), flags);
    for (i = 0; i < def->panics->len; i++)
        mvDomainPanicFormat(buf, g_ptr_array_index(def->panics, i), flags);
    mvDomainExtraDevicesFormat(buf, def, flags, MV_DOMAIN_EXTRA_AFTER_PANICS);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</devices>\n");
}
