/*
 * domain_devices_extra_conf: parse, check and format of the <hostdev>
 * (PCI and USB subsystem), <filesystem> (mount), <tpm>, <sound>, <shmem>
 * and <vsock> devices of a domain definition, and of a disk's <iotune>,
 * byte for byte as libvirt 9.0 writes them.  The device
 * dispatch of domain_devices_conf.c calls mvDomainExtraDeviceParse for
 * these elements and mvDomainExtraDevicesFormat at each of their places in
 * libvirt's device order; the types are in domain_devices_extra_conf.h.
 *
 * Error texts follow libvirt's where libvirt refuses the same document;
 * what modvirt does not model yet (other hostdev modes and types, other
 * filesystem types, ...) is refused with VIR_ERR_CONFIG_UNSUPPORTED.
 * Checks that belong to the QEMU driver (virtiofs needing shared memory,
 * read-only virtiofs, host device existence) are left to it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "domain_devices_extra_conf.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

MV_ENUM_IMPL(mvDiskIotuneField, MV_DISK_IOTUNE_LAST,
             "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
             "total_iops_sec", "read_iops_sec", "write_iops_sec",
             "total_bytes_sec_max", "read_bytes_sec_max", "write_bytes_sec_max",
             "total_iops_sec_max", "read_iops_sec_max", "write_iops_sec_max",
             "size_iops_sec",
             "total_bytes_sec_max_length", "read_bytes_sec_max_length",
             "write_bytes_sec_max_length", "total_iops_sec_max_length",
             "read_iops_sec_max_length", "write_iops_sec_max_length")
MV_ENUM_IMPL(mvHostdevSubsys, MV_HOSTDEV_SUBSYS_LAST, "pci", "usb")
MV_ENUM_IMPL(mvFSAccessMode, MV_FS_ACCESS_LAST, "passthrough", "mapped", "squash")
MV_ENUM_IMPL(mvFSDriver, MV_FS_DRIVER_LAST,
             "default", "path", "handle", "loop", "nbd", "ploop", "virtiofs")
MV_ENUM_IMPL(mvTPMModel, MV_TPM_MODEL_LAST, "tpm-tis", "tpm-crb", "tpm-spapr")
MV_ENUM_IMPL(mvTPMBackend, MV_TPM_BACKEND_LAST, "passthrough", "emulator")
MV_ENUM_IMPL(mvSoundModel, MV_SOUND_MODEL_LAST,
             "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7")
MV_ENUM_IMPL(mvSoundCodec, MV_SOUND_CODEC_LAST, "duplex", "micro", "output")
MV_ENUM_IMPL(mvShmemModel, MV_SHMEM_MODEL_LAST, "ivshmem", "ivshmem-plain", "ivshmem-doorbell")
MV_ENUM_IMPL(mvVsockModel, MV_VSOCK_MODEL_LAST,
             "virtio", "virtio-transitional", "virtio-non-transitional")

/* ---------------------------------------------------------------------- */
/* Attribute readers with libvirt's wording */

/* Reads attribute @name of @n as one of @names.  Returns 1 (set), 0
 * (absent) or -1 (reported). */
static int
extraPropEnum(const xmlNode *n, const char *name, const char * const *names, size_t nnames,
              int *value)
{
    g_autofree char *str = mvDomainProp(n, name);
    size_t i;

    if (!str)
        return 0;
    for (i = 0; i < nnames; i++) {
        if (strcmp(names[i], str) == 0) {
            *value = (int)i;
            return 1;
        }
    }
    mvReportError(VIR_ERR_XML_ERROR, "Invalid value for attribute '%s' in element '%s': '%s'.",
                  name, (const char *)n->name, str);
    return -1;
}

/* on/off (or yes/no with !@onoff) into an mvTristate, libvirt's text. */
static int
extraPropSwitch(const xmlNode *n, const char *name, bool onoff, int *value)
{
    static const char * const onoffNames[] = { "absent", "on", "off" };
    static const char * const yesnoNames[] = { "absent", "yes", "no" };
    int v = 0;
    int rc = extraPropEnum(n, name, onoff ? onoffNames : yesnoNames, 3, &v);

    if (rc < 0)
        return -1;
    if (rc == 1 && v == MV_TRISTATE_ABSENT) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid value for attribute '%s' in element '%s': '%s'.",
                      name, (const char *)n->name, "absent");
        return -1;
    }
    if (rc == 1)
        *value = v;
    return rc;
}

/* A non-negative integer (decimal, 0x hex or 0 octal) no larger than
 * @max.  Returns 1 (set), 0 (absent) or -1 (reported). */
static int
extraPropUInt(const xmlNode *n, const char *name, guint64 max, unsigned int *value)
{
    g_autofree char *str = mvDomainProp(n, name);
    guint64 v;
    char *end = NULL;

    if (!str)
        return 0;
    v = g_ascii_strtoull(str, &end, 0);
    if (!g_ascii_isdigit(str[0]) || *end != '\0' || v > max) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid value for attribute '%s' in element '%s': "
                      "'%s'. Expected non-negative integer value", name,
                      (const char *)n->name, str);
        return -1;
    }
    *value = (unsigned int)v;
    return 1;
}

static int
extraPropUIntRequired(const xmlNode *n, const char *name, guint64 max, unsigned int *value)
{
    int rc = extraPropUInt(n, name, max, value);

    if (rc == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Missing required attribute '%s' in element '%s'",
                      name, (const char *)n->name);
        return -1;
    }
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Host devices */

static void
mvDomainHostdevDefFree(gpointer p)
{
    mvDomainHostdevDef *hd = p;

    g_free(hd->driverName);
    g_free(hd->startupPolicy);
    g_free(hd->romFile);
    mvDomainDeviceInfoClear(&hd->info);
    g_free(hd);
}

/* One field of a host PCI address, with libvirt's range message. */
static int
mvHostdevPCIField(const xmlNode *n, const char *name, guint64 max, unsigned int *value)
{
    g_autofree char *str = mvDomainProp(n, name);
    int rc = extraPropUInt(n, name, G_MAXUINT, value);

    if (rc == 1 && *value > max) {
        if (strcmp(name, "function") == 0)
            mvReportError(VIR_ERR_XML_ERROR, "Invalid PCI address function=0x%X, must be <= %u",
                          *value, (unsigned int)max);
        else
            mvReportError(VIR_ERR_XML_ERROR, "Invalid PCI address %s='%s', must be <= 0x%X",
                          name, str, (unsigned int)max);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

static int
mvHostdevParsePCISource(const xmlNode *src, mvDomainHostdevDef *hd)
{
    xmlNode *a = mvXMLChildFind(src, "address");

    if (mvDomainCheckNode(src, NULL, (const char *[]){ "address", NULL }) < 0)
        return -1;
    if (!a)
        return 0;
    if (mvDomainCheckNode(a, (const char *[]){ "domain", "bus", "slot", "function", NULL },
                          NULL) < 0 ||
        mvHostdevPCIField(a, "domain", G_MAXUINT, &hd->pciDomain) < 0 ||
        mvHostdevPCIField(a, "bus", 0xFF, &hd->pciBus) < 0 ||
        mvHostdevPCIField(a, "slot", 0x1F, &hd->pciSlot) < 0 ||
        mvHostdevPCIField(a, "function", 7, &hd->pciFunction) < 0)
        return -1;
    return 0;
}

static int
mvHostdevParseUSBSource(const xmlNode *src, mvDomainHostdevDef *hd)
{
    static const char * const policies[] = { "default", "mandatory", "requisite",
                                             "optional" };
    xmlNode *vendor = mvXMLChildFind(src, "vendor");
    xmlNode *product = mvXMLChildFind(src, "product");
    xmlNode *a = mvXMLChildFind(src, "address");
    int policy = 0;

    if (mvDomainCheckNode(src, (const char *[]){ "startupPolicy", NULL },
                          (const char *[]){ "vendor", "product", "address", NULL }) < 0 ||
        extraPropEnum(src, "startupPolicy", policies, G_N_ELEMENTS(policies), &policy) < 0)
        return -1;
    if (policy > 0)
        hd->startupPolicy = g_strdup(policies[policy]);
    if (vendor && (mvDomainCheckNode(vendor, (const char *[]){ "id", NULL }, NULL) < 0 ||
                   extraPropUIntRequired(vendor, "id", G_MAXUINT, &hd->vendor) < 0))
        return -1;
    if (product && (mvDomainCheckNode(product, (const char *[]){ "id", NULL }, NULL) < 0 ||
                    extraPropUIntRequired(product, "id", G_MAXUINT, &hd->product) < 0))
        return -1;
    if (vendor && !product) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing product");
        return -1;
    }
    if (product && !vendor) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing vendor");
        return -1;
    }
    hd->hasVendor = vendor != NULL;
    if (a) {
        if (mvDomainCheckNode(a, (const char *[]){ "bus", "device", NULL }, NULL) < 0 ||
            extraPropUIntRequired(a, "bus", G_MAXINT, &hd->usbBus) < 0 ||
            extraPropUIntRequired(a, "device", G_MAXINT, &hd->usbDevice) < 0)
            return -1;
        hd->hasUSBAddress = true;
    }
    return 0;
}

static mvDomainHostdevDef *
mvDomainHostdevParse(const xmlNode *n, unsigned int flags)
{
    static const char * const drivers[] = { "default", "kvm", "vfio", "xen" };
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainHostdevDefFree);
    mvDomainHostdevDef *hd = g_new0(mvDomainHostdevDef, 1);
    g_autofree char *mode = NULL;
    g_autofree char *type = NULL;
    xmlNode *c;
    int managed = 0;

    g_ptr_array_add(keep, hd);
    if (mvDomainCheckNode(n, (const char *[]){ "mode", "type", "managed", NULL },
                          (const char *[]){ "driver", "source", "rom",
                                            MV_DEVICE_INFO_CHILDREN, NULL }) < 0)
        return NULL;
    mode = mvDomainProp(n, "mode");
    if (mode && strcmp(mode, "subsystem") != 0) {
        if (strcmp(mode, "capabilities") == 0)
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "hostdev mode 'capabilities' is not supported yet by modvirt");
        else
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown hostdev mode '%s'", mode);
        return NULL;
    }
    if (!(type = mvDomainProp(n, "type"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing source address type");
        return NULL;
    }
    if ((hd->type = mvHostdevSubsysFromString(type)) < 0) {
        if (strcmp(type, "scsi") == 0 || strcmp(type, "scsi_host") == 0 ||
            strcmp(type, "mdev") == 0)
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "hostdev type '%s' is not supported yet by modvirt", type);
        else
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "unknown host device source address type '%s'", type);
        return NULL;
    }
    if (extraPropSwitch(n, "managed", false, &managed) < 0)
        return NULL;
    hd->managed = managed == MV_TRISTATE_YES;
    if ((c = mvXMLChildFind(n, "driver"))) {
        int name = 0;

        if (mvDomainCheckNode(c, (const char *[]){ "name", NULL }, NULL) < 0 ||
            extraPropEnum(c, "name", drivers, G_N_ELEMENTS(drivers), &name) < 0)
            return NULL;
        if (name > 0)
            hd->driverName = g_strdup(drivers[name]);
    }
    c = mvXMLChildFind(n, "source");
    if (hd->type == MV_HOSTDEV_SUBSYS_PCI) {
        if (!c) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "Missing <source> element in hostdev device");
            return NULL;
        }
        if (xmlHasProp(c, (const xmlChar *)"startupPolicy")) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "Setting startupPolicy is only allowed for USB devices");
            return NULL;
        }
        if (mvHostdevParsePCISource(c, hd) < 0)
            return NULL;
    } else if (c && mvHostdevParseUSBSource(c, hd) < 0) {
        return NULL;
    }
    if ((c = mvXMLChildFind(n, "rom"))) {
        if (hd->type != MV_HOSTDEV_SUBSYS_PCI) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "ROM tuning is only supported for PCI devices");
            return NULL;
        }
        if (mvDomainCheckNode(c, (const char *[]){ "bar", "file", "enabled", NULL }, NULL) < 0 ||
            extraPropSwitch(c, "bar", true, &hd->romBar) < 0 ||
            extraPropSwitch(c, "enabled", false, &hd->romEnabled) < 0)
            return NULL;
        hd->romFile = mvDomainProp(c, "file");
    }
    if (mvDomainDeviceInfoParse(n, &hd->info, flags, true) < 0)
        return NULL;
    if (hd->type == MV_HOSTDEV_SUBSYS_PCI && hd->info.addr.type != MV_DOMAIN_ADDRESS_NONE &&
        hd->info.addr.type != MV_DOMAIN_ADDRESS_PCI) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "PCI host devices must use 'pci' or 'unassigned' address type");
        return NULL;
    }
    return g_ptr_array_steal_index(keep, 0);
}

/* Whether @a and @b name the same host device (libvirt's match). */
static bool
mvDomainHostdevSame(const mvDomainHostdevDef *a, const mvDomainHostdevDef *b)
{
    if (a->type != b->type)
        return false;
    if (a->type == MV_HOSTDEV_SUBSYS_PCI)
        return a->pciDomain == b->pciDomain && a->pciBus == b->pciBus &&
               a->pciSlot == b->pciSlot && a->pciFunction == b->pciFunction;
    if (a->hasUSBAddress && b->hasUSBAddress)
        return a->usbBus == b->usbBus && a->usbDevice == b->usbDevice;
    return a->hasVendor && b->hasVendor && a->vendor == b->vendor && a->product == b->product &&
           !a->hasUSBAddress && !b->hasUSBAddress;
}

static void
mvDomainHostdevFormat(mvBuf *buf, const mvDomainHostdevDef *hd, unsigned int flags)
{
    g_auto(mvBuf) src = MV_CHILD_BUF(buf);
    g_autofree char *srcHead = NULL;
    mvDomainDeviceInfo rest = hd->info;

    mvBufAsprintf(buf, "<hostdev mode='subsystem' type='%s' managed='%s'>\n",
                  mvHostdevSubsysToString(hd->type), hd->managed ? "yes" : "no");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<driver name='%s'/>\n", hd->driverName);
    if (hd->type == MV_HOSTDEV_SUBSYS_PCI) {
        mvBufAsprintf(&src, "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                      "function='0x%x'/>\n", hd->pciDomain, hd->pciBus, hd->pciSlot,
                      hd->pciFunction);
    } else {
        if (hd->hasVendor)
            mvBufAsprintf(&src, "<vendor id='0x%04x'/>\n<product id='0x%04x'/>\n",
                          hd->vendor, hd->product);
        if (hd->hasUSBAddress)
            mvBufAsprintf(&src, "<address bus='%u' device='%u'/>\n", hd->usbBus,
                          hd->usbDevice);
    }
    if (hd->startupPolicy)
        srcHead = g_strdup_printf("<source startupPolicy='%s'", hd->startupPolicy);
    if (srcHead || !mvBufIsEmpty(&src))
        mvDomainFormatElement(buf, "source", srcHead ? srcHead : "<source", &src);
    if (hd->info.bootIndex)
        mvBufAsprintf(buf, "<boot order='%u'/>\n", hd->info.bootIndex);
    if (hd->romBar || hd->romEnabled || hd->romFile) {
        mvBufAdd(buf, "<rom");
        if (hd->romEnabled)
            mvBufAsprintf(buf, " enabled='%s'", mvDomainTristateString(hd->romEnabled, false));
        if (hd->romBar)
            mvBufAsprintf(buf, " bar='%s'", mvDomainTristateString(hd->romBar, true));
        mvBufEscapeString(buf, " file='%s'", hd->romFile);
        mvBufAdd(buf, "/>\n");
    }
    rest.bootIndex = 0;
    mvDomainDeviceInfoFormat(buf, &rest, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</hostdev>\n");
}

/* ---------------------------------------------------------------------- */
/* Filesystems */

static void
mvDomainFSDefFree(gpointer p)
{
    mvDomainFSDef *fs = p;

    g_free(fs->binaryPath);
    g_free(fs->cacheMode);
    g_free(fs->src);
    g_free(fs->dst);
    mvDomainDeviceInfoClear(&fs->info);
    g_free(fs);
}

static int
mvDomainFSParseBinary(const xmlNode *b, mvDomainFSDef *fs)
{
    static const char * const caches[] = { "default", "none", "always" };
    xmlNode *c;

    if (fs->driverType != MV_FS_DRIVER_VIRTIOFS) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "element <binary> (line %ld) is only supported by the virtiofs driver",
                      mvXMLNodeLine(b));
        return -1;
    }
    if (mvDomainCheckNode(b, (const char *[]){ "path", "xattr", NULL },
                          (const char *[]){ "cache", "lock", NULL }) < 0 ||
        extraPropSwitch(b, "xattr", true, &fs->binaryXattr) < 0)
        return -1;
    fs->binaryPath = mvDomainProp(b, "path");
    if ((c = mvXMLChildFind(b, "cache"))) {
        int mode = 0;

        if (mvDomainCheckNode(c, (const char *[]){ "mode", NULL }, NULL) < 0 ||
            extraPropEnum(c, "mode", caches, G_N_ELEMENTS(caches), &mode) < 0)
            return -1;
        if (mode > 0)
            fs->cacheMode = g_strdup(caches[mode]);
    }
    if ((c = mvXMLChildFind(b, "lock")) &&
        (mvDomainCheckNode(c, (const char *[]){ "posix", "flock", NULL }, NULL) < 0 ||
         extraPropSwitch(c, "posix", true, &fs->lockPosix) < 0 ||
         extraPropSwitch(c, "flock", true, &fs->lockFlock) < 0))
        return -1;
    return 0;
}

static mvDomainFSDef *
mvDomainFSParse(const xmlNode *n, unsigned int flags)
{
    static const char * const fsTypes[] = { "mount", "block", "file", "template", "ram",
                                            "bind", "volume" };
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainFSDefFree);
    mvDomainFSDef *fs = g_new0(mvDomainFSDef, 1);
    xmlNode *c;
    int type = 0;

    g_ptr_array_add(keep, fs);
    if (mvDomainCheckNode(n, (const char *[]){ "type", "accessmode", NULL },
                          (const char *[]){ "driver", "binary", "source", "target", "readonly",
                                            "address", "alias", NULL }) < 0 ||
        extraPropEnum(n, "type", fsTypes, G_N_ELEMENTS(fsTypes), &type) < 0 ||
        extraPropEnum(n, "accessmode", mvFSAccessModeNames, MV_FS_ACCESS_LAST,
                      &fs->accessmode) < 0)
        return NULL;
    if (type != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "filesystem type '%s' is not supported yet by modvirt", fsTypes[type]);
        return NULL;
    }
    if ((c = mvXMLChildFind(n, "driver")) &&
        (mvDomainCheckNode(c, (const char *[]){ "type", "queue", NULL }, NULL) < 0 ||
         extraPropEnum(c, "type", mvFSDriverNames, MV_FS_DRIVER_LAST, &fs->driverType) < 0 ||
         extraPropUInt(c, "queue", G_MAXUINT, &fs->queue) < 0))
        return NULL;
    if ((c = mvXMLChildFind(n, "binary")) && mvDomainFSParseBinary(c, fs) < 0)
        return NULL;
    if ((c = mvXMLChildFind(n, "source"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "dir", NULL }, NULL) < 0)
            return NULL;
        fs->src = mvDomainProp(c, "dir");
    }
    if ((c = mvXMLChildFind(n, "target"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "dir", NULL }, NULL) < 0)
            return NULL;
        fs->dst = mvDomainProp(c, "dir");
    }
    if ((c = mvXMLChildFind(n, "readonly"))) {
        if (mvDomainCheckNode(c, NULL, NULL) < 0)
            return NULL;
        fs->readonly = true;
    }
    if (!fs->src) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_NO_SOURCE, __FILE__, __func__, __LINE__,
                               "missing source information for device %s",
                               fs->dst ? fs->dst : "");
        return NULL;
    }
    if (!fs->dst) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_NO_TARGET, __FILE__, __func__, __LINE__,
                               "missing target information for device %s", fs->src);
        return NULL;
    }
    if (mvDomainDeviceInfoParse(n, &fs->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainFSFormat(mvBuf *buf, const mvDomainFSDef *fs, unsigned int flags)
{
    mvBufAsprintf(buf, "<filesystem type='mount' accessmode='%s'>\n",
                  mvFSAccessModeToString(fs->accessmode));
    mvBufAdjustIndent(buf, 2);
    if (fs->driverType != MV_FS_DRIVER_DEFAULT || fs->queue) {
        mvBufAdd(buf, "<driver");
        if (fs->driverType != MV_FS_DRIVER_DEFAULT)
            mvBufAsprintf(buf, " type='%s'", mvFSDriverToString(fs->driverType));
        if (fs->queue)
            mvBufAsprintf(buf, " queue='%u'", fs->queue);
        mvBufAdd(buf, "/>\n");
    }
    if (fs->driverType == MV_FS_DRIVER_VIRTIOFS) {
        g_auto(mvBuf) body = MV_CHILD_BUF(buf);
        g_autoptr(GString) head = g_string_new("<binary");

        if (fs->binaryPath) {
            g_autofree char *p = g_markup_escape_text(fs->binaryPath, -1);

            g_string_append_printf(head, " path='%s'", p);
        }
        if (fs->binaryXattr)
            g_string_append_printf(head, " xattr='%s'",
                                   mvDomainTristateString(fs->binaryXattr, true));
        mvBufEscapeString(&body, "<cache mode='%s'/>\n", fs->cacheMode);
        if (fs->lockPosix || fs->lockFlock) {
            mvBufAdd(&body, "<lock");
            if (fs->lockPosix)
                mvBufAsprintf(&body, " posix='%s'",
                              mvDomainTristateString(fs->lockPosix, true));
            if (fs->lockFlock)
                mvBufAsprintf(&body, " flock='%s'",
                              mvDomainTristateString(fs->lockFlock, true));
            mvBufAdd(&body, "/>\n");
        }
        if (head->len > strlen("<binary") || !mvBufIsEmpty(&body))
            mvDomainFormatElement(buf, "binary", head->str, &body);
    }
    mvBufEscapeString(buf, "<source dir='%s'/>\n", fs->src);
    mvBufEscapeString(buf, "<target dir='%s'/>\n", fs->dst);
    if (fs->readonly)
        mvBufAdd(buf, "<readonly/>\n");
    mvDomainDeviceInfoFormat(buf, &fs->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</filesystem>\n");
}

/* ---------------------------------------------------------------------- */
/* TPM */

static void
mvDomainTPMDefFree(gpointer p)
{
    mvDomainTPMDef *tpm = p;

    g_free(tpm->devicePath);
    g_free(tpm->version);
    mvDomainDeviceInfoClear(&tpm->info);
    g_free(tpm);
}

static int
mvDomainTPMParseBackend(const xmlNode *b, mvDomainTPMDef *tpm)
{
    static const char * const versions[] = { "default", "1.2", "2.0" };
    g_autofree char *persist = NULL;
    xmlNode *c;
    int version = 0;

    if (mvDomainCheckNode(b, (const char *[]){ "type", "version", "persistent_state", NULL },
                          (const char *[]){ "device", "encryption", NULL }) < 0)
        return -1;
    if (!xmlHasProp(b, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "Missing required attribute 'type' in element 'backend'");
        return -1;
    }
    if (extraPropEnum(b, "type", mvTPMBackendNames, MV_TPM_BACKEND_LAST, &tpm->backend) < 0 ||
        extraPropEnum(b, "version", versions, G_N_ELEMENTS(versions), &version) < 0)
        return -1;
    if (version > 0)
        tpm->version = g_strdup(versions[version]);
    if ((persist = mvDomainProp(b, "persistent_state"))) {
        if (strcmp(persist, "yes") != 0 && strcmp(persist, "no") != 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                          "Invalid persistent_state value, either 'yes' or 'no'");
            return -1;
        }
        tpm->persistentState = strcmp(persist, "yes") == 0;
    }
    if (tpm->backend == MV_TPM_BACKEND_PASSTHROUGH) {
        if ((c = mvXMLChildFind(b, "encryption")) || tpm->version || persist) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "a passthrough TPM backend takes only a <device path>");
            return -1;
        }
        if ((c = mvXMLChildFind(b, "device"))) {
            if (mvDomainCheckNode(c, (const char *[]){ "path", NULL }, NULL) < 0)
                return -1;
            tpm->devicePath = mvDomainProp(c, "path");
        }
        if (!tpm->devicePath)
            tpm->devicePath = g_strdup("/dev/tpm0");
        return 0;
    }
    if (mvXMLChildFind(b, "device")) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "an emulator TPM backend takes no <device>");
        return -1;
    }
    if ((c = mvXMLChildFind(b, "encryption"))) {
        g_autofree char *uuid = NULL;

        if (mvDomainCheckNode(c, (const char *[]){ "secret", NULL }, NULL) < 0)
            return -1;
        if (!(uuid = mvDomainProp(c, "secret"))) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "missing secret uuid for TPM encryption");
            return -1;
        }
        if (mvUUIDParse(uuid, tpm->secret) < 0) {
            mvErrorReset();
            mvReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse secret uuid '%s'", uuid);
            return -1;
        }
        tpm->hasSecret = true;
    }
    return 0;
}

static mvDomainTPMDef *
mvDomainTPMParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainTPMDefFree);
    mvDomainTPMDef *tpm = g_new0(mvDomainTPMDef, 1);
    xmlNode *b;

    g_ptr_array_add(keep, tpm);
    tpm->model = -1;
    if (mvDomainCheckNode(n, (const char *[]){ "model", NULL },
                          (const char *[]){ "backend", "address", "alias", NULL }) < 0 ||
        extraPropEnum(n, "model", mvTPMModelNames, MV_TPM_MODEL_LAST, &tpm->model) < 0)
        return NULL;
    if (!(b = mvXMLChildFind(n, "backend"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing TPM device backend");
        return NULL;
    }
    if (mvDomainTPMParseBackend(b, tpm) < 0 ||
        mvDomainDeviceInfoParse(n, &tpm->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainTPMFormat(mvBuf *buf, const mvDomainTPMDef *tpm, unsigned int flags)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (tpm->model >= 0)
        mvBufAsprintf(buf, "<tpm model='%s'>\n", mvTPMModelToString(tpm->model));
    else
        mvBufAdd(buf, "<tpm>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<backend type='%s'", mvTPMBackendToString(tpm->backend));
    if (tpm->backend == MV_TPM_BACKEND_PASSTHROUGH) {
        mvBufAdd(buf, ">\n");
        mvBufEscapeString(buf, "  <device path='%s'/>\n", tpm->devicePath);
        mvBufAdd(buf, "</backend>\n");
    } else {
        if (tpm->version)
            mvBufAsprintf(buf, " version='%s'", tpm->version);
        if (tpm->persistentState)
            mvBufAdd(buf, " persistent_state='yes'");
        if (tpm->hasSecret)
            mvBufAsprintf(buf, ">\n  <encryption secret='%s'/>\n</backend>\n",
                          mvUUIDFormat(tpm->secret, uuidstr));
        else
            mvBufAdd(buf, "/>\n");
    }
    mvDomainDeviceInfoFormat(buf, &tpm->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</tpm>\n");
}

/* ---------------------------------------------------------------------- */
/* Sound */

static void
mvDomainSoundDefFree(gpointer p)
{
    mvDomainSoundDef *snd = p;

    g_free(snd->codecs);
    mvDomainDeviceInfoClear(&snd->info);
    g_free(snd);
}

static mvDomainSoundDef *
mvDomainSoundParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainSoundDefFree);
    mvDomainSoundDef *snd = g_new0(mvDomainSoundDef, 1);
    bool withCodecs;
    xmlNode *c;

    g_ptr_array_add(keep, snd);
    if (mvDomainCheckNode(n, (const char *[]){ "model", NULL },
                          (const char *[]){ "codec*", "audio", "address", "alias", NULL }) < 0)
        return NULL;
    if (!xmlHasProp(n, (const xmlChar *)"model")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "Missing required attribute 'model' in element 'sound'");
        return NULL;
    }
    if (extraPropEnum(n, "model", mvSoundModelNames, MV_SOUND_MODEL_LAST, &snd->model) < 0)
        return NULL;
    /* libvirt reads codecs of the Intel HDA models only, and drops others */
    withCodecs = snd->model == MV_SOUND_MODEL_ICH6 || snd->model == MV_SOUND_MODEL_ICH9;
    snd->codecs = g_new0(int, mvXMLChildCount(n, "codec") + 1);
    for (c = n->children; c; c = c->next) {
        g_autofree char *type = NULL;
        int t;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "codec") != 0)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "type", NULL }, NULL) < 0)
            return NULL;
        type = mvDomainProp(c, "type");
        if (!withCodecs)
            continue;
        if (!type || (t = mvSoundCodecFromString(type)) < 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown codec type '%s'",
                          type ? type : "(null)");
            return NULL;
        }
        snd->codecs[snd->ncodecs++] = t;
    }
    if ((c = mvXMLChildFind(n, "audio"))) {

        if (mvDomainCheckNode(c, (const char *[]){ "id", NULL }, NULL) < 0 ||
            extraPropUIntRequired(c, "id", G_MAXUINT, &snd->audioId) < 0)
            return NULL;
        if (snd->audioId == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "Invalid value for attribute 'id' in "
                          "element 'audio': Zero is not permitted");
            return NULL;
        }
    }
    if (mvDomainDeviceInfoParse(n, &snd->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainSoundFormat(mvBuf *buf, const mvDomainSoundDef *snd, unsigned int flags)
{
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autofree char *head = g_strdup_printf("<sound model='%s'",
                                            mvSoundModelToString(snd->model));
    size_t i;

    for (i = 0; i < snd->ncodecs; i++)
        mvBufAsprintf(&body, "<codec type='%s'/>\n", mvSoundCodecToString(snd->codecs[i]));
    if (snd->audioId)
        mvBufAsprintf(&body, "<audio id='%u'/>\n", snd->audioId);
    mvDomainDeviceInfoFormat(&body, &snd->info, flags);
    mvDomainFormatElement(buf, "sound", head, &body);
}

/* ---------------------------------------------------------------------- */
/* Shared memory */

static void
mvDomainShmemDefFree(gpointer p)
{
    mvDomainShmemDef *shm = p;

    g_free(shm->name);
    g_free(shm->role);
    g_free(shm->serverPath);
    mvDomainDeviceInfoClear(&shm->info);
    g_free(shm);
}

static int
mvDomainShmemParseChildren(const xmlNode *n, mvDomainShmemDef *shm)
{
    xmlNode *c;

    if ((c = mvXMLChildFind(n, "model")) &&
        (mvDomainCheckNode(c, (const char *[]){ "type", NULL }, NULL) < 0 ||
         extraPropEnum(c, "type", mvShmemModelNames, MV_SHMEM_MODEL_LAST, &shm->model) < 0))
        return -1;
    if ((c = mvXMLChildFind(n, "size"))) {
        g_autofree char *unit = NULL;
        g_autofree char *text = NULL;
        unsigned long long kib = 0;

        if (mvDomainCheckNode(c, (const char *[]){ "unit", NULL }, NULL) < 0)
            return -1;
        unit = mvDomainProp(c, "unit");
        text = g_strstrip(mvXMLNodeContent(c));
        if (mvDomainParseMemorySize(text, unit ? unit : "b", "size", &kib) < 0)
            return -1;
        shm->size = kib * 1024;
    }
    if ((c = mvXMLChildFind(n, "server"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "path", NULL }, NULL) < 0)
            return -1;
        shm->server = true;
        shm->serverPath = mvDomainProp(c, "path");
    }
    if ((c = mvXMLChildFind(n, "msi"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "vectors", "ioeventfd", NULL }, NULL) < 0 ||
            extraPropUInt(c, "vectors", G_MAXUINT, &shm->msiVectors) < 0 ||
            extraPropSwitch(c, "ioeventfd", true, &shm->msiIoeventfd) < 0)
            return -1;
        if (!shm->server) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "msi option is only supported with a server");
            return -1;
        }
        shm->msi = true;
    }
    return 0;
}

static mvDomainShmemDef *
mvDomainShmemParse(const xmlNode *n, unsigned int flags)
{
    static const char * const roles[] = { "default", "master", "peer" };
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainShmemDefFree);
    mvDomainShmemDef *shm = g_new0(mvDomainShmemDef, 1);
    int role = 0;

    g_ptr_array_add(keep, shm);
    if (mvDomainCheckNode(n, (const char *[]){ "name", "role", NULL },
                          (const char *[]){ "model", "size", "server", "msi", "address",
                                            "alias", NULL }) < 0)
        return NULL;
    if (!(shm->name = mvDomainProp(n, "name"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "shmem element must contain 'name' attribute");
        return NULL;
    }
    if (extraPropEnum(n, "role", roles, G_N_ELEMENTS(roles), &role) < 0 ||
        mvDomainShmemParseChildren(n, shm) < 0 ||
        mvDomainDeviceInfoParse(n, &shm->info, flags, false) < 0)
        return NULL;
    if (role > 0)
        shm->role = g_strdup(roles[role]);
    /* the checks and defaults of libvirt's QEMU driver */
    if (shm->model == MV_SHMEM_MODEL_IVSHMEM) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "ivshmem device is not supported with this QEMU binary");
        return NULL;
    }
    if (shm->model == MV_SHMEM_MODEL_IVSHMEM_PLAIN && shm->server) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "shmem model 'ivshmem-plain' is "
                      "supported only with server option disabled");
        return NULL;
    }
    if (shm->model == MV_SHMEM_MODEL_IVSHMEM_DOORBELL && shm->size) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "shmem model 'ivshmem-doorbell' does "
                      "not support size setting");
        return NULL;
    }
    if (shm->model == MV_SHMEM_MODEL_IVSHMEM_PLAIN && !shm->size)
        shm->size = 4ULL << 20;
    if (shm->model == MV_SHMEM_MODEL_IVSHMEM_DOORBELL) {
        shm->msi = true;
        if (!shm->msiIoeventfd)
            shm->msiIoeventfd = MV_TRISTATE_YES;
    }
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainShmemFormat(mvBuf *buf, const mvDomainShmemDef *shm, unsigned int flags)
{
    mvBufEscapeString(buf, "<shmem name='%s'", shm->name);
    if (shm->role)
        mvBufAsprintf(buf, " role='%s'", shm->role);
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<model type='%s'/>\n", mvShmemModelToString(shm->model));
    if (shm->size)
        mvBufAsprintf(buf, "<size unit='M'>%llu</size>\n", shm->size >> 20);
    if (shm->server) {
        if (shm->serverPath)
            mvBufEscapeString(buf, "<server path='%s'/>\n", shm->serverPath);
        else
            mvBufAdd(buf, "<server/>\n");
    }
    if (shm->msi) {
        mvBufAdd(buf, "<msi");
        if (shm->msiVectors)
            mvBufAsprintf(buf, " vectors='%u'", shm->msiVectors);
        if (shm->msiIoeventfd)
            mvBufAsprintf(buf, " ioeventfd='%s'",
                          mvDomainTristateString(shm->msiIoeventfd, true));
        mvBufAdd(buf, "/>\n");
    }
    mvDomainDeviceInfoFormat(buf, &shm->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</shmem>\n");
}

/* ---------------------------------------------------------------------- */
/* vsock */

static void
mvDomainVsockDefFree(gpointer p)
{
    mvDomainVsockDef *vs = p;

    mvDomainDeviceInfoClear(&vs->info);
    g_free(vs);
}

static mvDomainVsockDef *
mvDomainVsockParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainVsockDefFree);
    mvDomainVsockDef *vs = g_new0(mvDomainVsockDef, 1);
    xmlNode *c;

    g_ptr_array_add(keep, vs);
    if (mvDomainCheckNode(n, (const char *[]){ "model", NULL },
                          (const char *[]){ "cid", "address", "alias", NULL }) < 0 ||
        extraPropEnum(n, "model", mvVsockModelNames, MV_VSOCK_MODEL_LAST, &vs->model) < 0)
        return NULL;
    if ((c = mvXMLChildFind(n, "cid")) &&
        (mvDomainCheckNode(c, (const char *[]){ "auto", "address", NULL }, NULL) < 0 ||
         extraPropSwitch(c, "auto", false, &vs->autoCid) < 0 ||
         extraPropUInt(c, "address", G_MAXUINT, &vs->cid) < 0))
        return NULL;
    if (mvDomainDeviceInfoParse(n, &vs->info, flags, false) < 0)
        return NULL;
    if (vs->cid != 0 && vs->cid < 3) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "guest CIDs must be >= 3");
        return NULL;
    }
    /* libvirt's QEMU driver: an automatic CID unless one is given */
    if (!vs->autoCid)
        vs->autoCid = vs->cid ? MV_TRISTATE_NO : MV_TRISTATE_YES;
    return g_ptr_array_steal_index(keep, 0);
}

static void
mvDomainVsockFormat(mvBuf *buf, const mvDomainVsockDef *vs, unsigned int flags)
{
    mvBufAsprintf(buf, "<vsock model='%s'>\n", mvVsockModelToString(vs->model));
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<cid auto='%s'", mvDomainTristateString(vs->autoCid, false));
    if (vs->cid)
        mvBufAsprintf(buf, " address='%u'", vs->cid);
    mvBufAdd(buf, "/>\n");
    mvDomainDeviceInfoFormat(buf, &vs->info, flags);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</vsock>\n");
}

/* ---------------------------------------------------------------------- */
/* Entry points */

void
mvDomainExtraDevicesInit(mvDomainDef *def)
{
    def->hostdevs = g_ptr_array_new_with_free_func(mvDomainHostdevDefFree);
    def->filesystems = g_ptr_array_new_with_free_func(mvDomainFSDefFree);
    def->tpms = g_ptr_array_new_with_free_func(mvDomainTPMDefFree);
    def->sounds = g_ptr_array_new_with_free_func(mvDomainSoundDefFree);
    def->shmems = g_ptr_array_new_with_free_func(mvDomainShmemDefFree);
    def->vsocks = g_ptr_array_new_with_free_func(mvDomainVsockDefFree);
}

void
mvDomainExtraDevicesClear(mvDomainDef *def)
{
    g_clear_pointer(&def->hostdevs, g_ptr_array_unref);
    g_clear_pointer(&def->filesystems, g_ptr_array_unref);
    g_clear_pointer(&def->tpms, g_ptr_array_unref);
    g_clear_pointer(&def->sounds, g_ptr_array_unref);
    g_clear_pointer(&def->shmems, g_ptr_array_unref);
    g_clear_pointer(&def->vsocks, g_ptr_array_unref);
}

int
mvDomainExtraDevicesPostParse(mvDomainDef *def)
{
    size_t i, j;

    for (i = 0; i < def->sounds->len; i++) {
        const mvDomainSoundDef *snd = g_ptr_array_index(def->sounds, i);
        bool found = snd->audioId == 0;

        for (j = 0; !found && j < def->audios->len; j++)
            found = ((const mvDomainAudioDef *)g_ptr_array_index(def->audios, j))->id ==
                    snd->audioId;
        if (!found) {
            mvReportError(VIR_ERR_XML_ERROR, "no audio device with ID %u", snd->audioId);
            return -1;
        }
    }
    return 0;
}

int
mvDomainExtraDeviceParse(const xmlNode *n, mvDomainDef *def, unsigned int flags)
{
    const char *name = (const char *)n->name;
    size_t i;

    if (strcmp(name, "hostdev") == 0) {
        mvDomainHostdevDef *hd = mvDomainHostdevParse(n, flags);

        if (!hd)
            return -1;
        for (i = 0; i < def->hostdevs->len; i++) {
            if (mvDomainHostdevSame(g_ptr_array_index(def->hostdevs, i), hd)) {
                mvDomainHostdevDefFree(hd);
                mvReportError(VIR_ERR_XML_ERROR, "%s",
                              "Hostdev already exists in the domain configuration");
                return -1;
            }
        }
        g_ptr_array_add(def->hostdevs, hd);
        return 0;
    }
    if (strcmp(name, "filesystem") == 0) {
        mvDomainFSDef *fs = mvDomainFSParse(n, flags);

        if (!fs)
            return -1;
        g_ptr_array_add(def->filesystems, fs);
        return 0;
    }
    if (strcmp(name, "tpm") == 0) {
        mvDomainTPMDef *tpm = mvDomainTPMParse(n, flags);

        if (!tpm)
            return -1;
        if (def->tpms->len) {
            mvDomainTPMDefFree(tpm);
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "only a single TPM non-proxy device is supported");
            return -1;
        }
        g_ptr_array_add(def->tpms, tpm);
        return 0;
    }
    if (strcmp(name, "sound") == 0) {
        mvDomainSoundDef *snd = mvDomainSoundParse(n, flags);

        if (!snd)
            return -1;
        g_ptr_array_add(def->sounds, snd);
        return 0;
    }
    if (strcmp(name, "shmem") == 0) {
        mvDomainShmemDef *shm = mvDomainShmemParse(n, flags);

        if (!shm)
            return -1;
        g_ptr_array_add(def->shmems, shm);
        return 0;
    }
    if (strcmp(name, "vsock") == 0) {
        mvDomainVsockDef *vs = mvDomainVsockParse(n, flags);

        if (!vs)
            return -1;
        if (def->vsocks->len) {
            mvDomainVsockDefFree(vs);
            mvReportError(VIR_ERR_XML_ERROR, "%s", "only a single vsock device is supported");
            return -1;
        }
        g_ptr_array_add(def->vsocks, vs);
        return 0;
    }
    g_assert_not_reached();
}

void
mvDomainExtraDevicesFormat(mvBuf *buf, const mvDomainDef *def, unsigned int flags,
                           mvDomainExtraPlace place)
{
    size_t i;

    switch (place) {
    case MV_DOMAIN_EXTRA_AFTER_CONTROLLERS:
        for (i = 0; i < def->filesystems->len; i++)
            mvDomainFSFormat(buf, g_ptr_array_index(def->filesystems, i), flags);
        break;
    case MV_DOMAIN_EXTRA_AFTER_INPUTS:
        for (i = 0; i < def->tpms->len; i++)
            mvDomainTPMFormat(buf, g_ptr_array_index(def->tpms, i), flags);
        break;
    case MV_DOMAIN_EXTRA_AFTER_GRAPHICS:
        for (i = 0; i < def->sounds->len; i++)
            mvDomainSoundFormat(buf, g_ptr_array_index(def->sounds, i), flags);
        break;
    case MV_DOMAIN_EXTRA_AFTER_VIDEOS:
        for (i = 0; i < def->hostdevs->len; i++)
            mvDomainHostdevFormat(buf, g_ptr_array_index(def->hostdevs, i), flags);
        break;
    case MV_DOMAIN_EXTRA_AFTER_PANICS:
        for (i = 0; i < def->shmems->len; i++)
            mvDomainShmemFormat(buf, g_ptr_array_index(def->shmems, i), flags);
        for (i = 0; i < def->vsocks->len; i++)
            mvDomainVsockFormat(buf, g_ptr_array_index(def->vsocks, i), flags);
        break;
    }
}

/* ---------------------------------------------------------------------- */
/* Disk <iotune> */

/* The largest throttle limit the QEMU driver accepts (the _max_length
 * durations are not limited). */
#define MV_DISK_IOTUNE_LIMIT 1000000000000000ULL

/* One <iotune> number: unsigned decimal, as libvirt reads it (leading
 * blanks and a '+' are accepted, a sign '-' or anything after the digits
 * is not); an empty element is no value. */
static int
mvDomainDiskIotuneParseValue(const xmlNode *node, int field, guint64 *value)
{
    g_autofree char *text = mvXMLNodeContent(node);
    const char *name = mvDiskIotuneFieldToString(field);
    char *end = NULL;
    guint64 v;

    if (mvDomainCheckNode(node, NULL, NULL) < 0)
        return -1;
    if (!text || !*text)
        return 0;
    errno = 0;
    v = g_ascii_strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end || strchr(text, '-')) {
        mvReportError(VIR_ERR_XML_ERROR, "disk iotune field '%s' must be an integer", name);
        return -1;
    }
    *value = v;
    return 0;
}

int
mvDomainDiskIotuneParse(const xmlNode *node, mvDomainDiskIotune *tune)
{
    /* the total_ limits of each kind exclude the read_ and write_ ones */
    static const int totals[] = {
        MV_DISK_IOTUNE_TOTAL_BYTES_SEC, MV_DISK_IOTUNE_TOTAL_IOPS_SEC,
        MV_DISK_IOTUNE_TOTAL_BYTES_SEC_MAX, MV_DISK_IOTUNE_TOTAL_IOPS_SEC_MAX,
    };
    const char *children[MV_DISK_IOTUNE_LAST + 2] = { "group_name" };
    const xmlNode *c;
    bool any = false;
    size_t i;

    for (i = 0; i < MV_DISK_IOTUNE_LAST; i++)
        children[i + 1] = mvDiskIotuneFieldToString(i);
    if (mvDomainCheckNode(node, NULL, children) < 0 ||
        mvDomainCheckLeaf(node, "group_name") < 0)
        return -1;
    for (c = node->children; c; c = c->next) {
        int field;

        if (c->type != XML_ELEMENT_NODE ||
            (field = mvDiskIotuneFieldFromString((const char *)c->name)) < 0)
            continue;
        if (mvDomainDiskIotuneParseValue(c, field, &tune->values[field]) < 0)
            return -1;
    }
    tune->groupName = mvDomainChildText(node, "group_name");
    for (i = 0; i < G_N_ELEMENTS(totals); i++) {
        const guint64 *v = &tune->values[totals[i]];

        if (v[0] && (v[1] || v[2])) {
            mvReportError(VIR_ERR_XML_ERROR, "total and read/write %s cannot be set at "
                          "the same time",
                          mvDiskIotuneFieldToString(totals[i]) + strlen("total_"));
            return -1;
        }
    }
    for (i = 0; i < MV_DISK_IOTUNE_LAST; i++) {
        any = any || tune->values[i];
        if (i <= MV_DISK_IOTUNE_SIZE_IOPS_SEC && tune->values[i] > MV_DISK_IOTUNE_LIMIT) {
            mvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "block I/O throttle limit must be "
                          "no more than %llu using QEMU", MV_DISK_IOTUNE_LIMIT);
            return -1;
        }
    }
    if (tune->groupName && !any) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "group_name can be configured only together with settings");
        return -1;
    }
    return 0;
}

void
mvDomainDiskIotuneFormat(mvBuf *buf, const mvDomainDiskIotune *tune)
{
    bool any = false;
    size_t i;

    for (i = 0; i < MV_DISK_IOTUNE_LAST; i++)
        any = any || tune->values[i];
    if (!any)
        return;
    mvBufAdd(buf, "<iotune>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < MV_DISK_IOTUNE_LAST; i++) {
        const char *name = mvDiskIotuneFieldToString(i);

        if (tune->values[i])
            mvBufAsprintf(buf, "<%s>%llu</%s>\n", name,
                          (unsigned long long)tune->values[i], name);
        if (i == MV_DISK_IOTUNE_SIZE_IOPS_SEC)
            mvBufEscapeString(buf, "<group_name>%s</group_name>\n", tune->groupName);
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</iotune>\n");
}
