/*
 * domain_conf: see domain_conf.h.  This file holds the enum tables, the
 * definition's lifecycle, the strict-coverage check, and parse and format
 * of every top-level element outside <devices> (domain_devices_conf.c),
 * except <features>, <cpu>, <clock> and <pm> (domain_conf_cpu.c).
 * Each element has one parse and one format function; parse functions
 * first call mvDomainCheckNode so that anything unmodelled is refused.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlBuffer, xmlBufferFree);

MV_ENUM_IMPL(mvDomainVirt, MV_DOMAIN_VIRT_LAST, "qemu", "kvm")
MV_ENUM_IMPL(mvDomainLifecycleAction, MV_DOMAIN_LIFECYCLE_LAST,
             "destroy", "restart", "rename-restart", "preserve",
             "coredump-destroy", "coredump-restart")
MV_ENUM_IMPL(mvDomainBootDev, MV_DOMAIN_BOOT_LAST, "fd", "cdrom", "hd", "network")
MV_ENUM_IMPL(mvDomainAddressType, MV_DOMAIN_ADDRESS_LAST,
             "none", "pci", "drive", "virtio-serial", "ccw", "usb")
MV_ENUM_IMPL(mvStorageType, MV_STORAGE_LAST, "file", "block", "network", "volume")
MV_ENUM_IMPL(mvDiskDevice, MV_DISK_DEVICE_LAST, "disk", "cdrom", "floppy", "lun")
MV_ENUM_IMPL(mvDiskBus, MV_DISK_BUS_LAST,
             "none", "ide", "fdc", "scsi", "virtio", "xen", "usb", "sata", "sd")
MV_ENUM_IMPL(mvControllerType, MV_CONTROLLER_LAST,
             "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci",
             "xenbus", "isa")
MV_ENUM_IMPL(mvNetType, MV_NET_LAST, "user", "network", "bridge", "direct", "ethernet")
MV_ENUM_IMPL(mvGraphicsListenType, MV_GRAPHICS_LISTEN_LAST,
             "address", "network", "socket", "none")
MV_ENUM_IMPL(mvGraphicsType, MV_GRAPHICS_LAST, "vnc", "spice")
MV_ENUM_IMPL(mvChrDevice, MV_CHR_DEVICE_LAST, "serial", "console", "channel",
             "parallel")
MV_ENUM_IMPL(mvChrType, MV_CHR_LAST, "null", "pty", "file", "stdio", "tcp", "unix")

/* ---------------------------------------------------------------------- */
/* Shared helpers (domain_conf_priv.h) */

static bool
mvDomainNameListed(const char * const *list, const char *name, bool *repeatable)
{
    size_t len = strlen(name);

    for (; list && *list; list++) {
        size_t l = strlen(*list);
        bool star = l > 0 && (*list)[l - 1] == '*';

        if ((star ? l - 1 : l) == len && strncmp(*list, name, len) == 0) {
            if (repeatable)
                *repeatable = star;
            return true;
        }
    }
    return false;
}

int
mvDomainCheckNode(const xmlNode *node, const char * const *attrs,
                  const char * const *children)
{
    const xmlAttr *a;
    const xmlNode *c;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (a = node->properties; a; a = a->next) {
        if (a->ns || !mvDomainNameListed(attrs, (const char *)a->name, NULL)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "attribute '%s' of element <%s> (line %ld) is not supported "
                          "yet by modvirt",
                          (const char *)a->name, (const char *)node->name,
                          mvXMLNodeLine(node));
            return -1;
        }
    }
    for (c = node->children; c; c = c->next) {
        bool repeatable = false;
        const char *name = (const char *)c->name;
        g_autofree char *qname = NULL;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        /* QEMU passthrough elements are listed as "qemu:NAME" */
        if (c->ns && c->ns->href && strcmp((const char *)c->ns->href, MV_DOMAIN_QEMU_NS) == 0)
            name = qname = g_strdup_printf("qemu:%s", (const char *)c->name);
        else if (c->ns)
            name = "";
        if (!mvDomainNameListed(children, name, &repeatable)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "element <%s%s%s> (line %ld) is not supported yet by modvirt",
                          c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
                          c->ns && c->ns->prefix ? ":" : "", (const char *)c->name,
                          mvXMLNodeLine(c));
            return -1;
        }
        if (!repeatable && !g_hash_table_add(seen, (gpointer)c->name)) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "element <%s> (line %ld) may appear only once in <%s>",
                          name, mvXMLNodeLine(c), (const char *)node->name);
            return -1;
        }
    }
    return 0;
}

int
mvDomainPropTristate(const xmlNode *node, const char *name, bool onoff, int *value)
{
    static const char * const yesno[] = { "", "yes", "no" };
    static const char * const onoffs[] = { "", "on", "off" };
    int v = 0;
    int rc = mvXMLPropEnum(node, name, onoff ? onoffs : yesno, 3, &v);

    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (v == 0) {
            /* "" is not a value */
            mvReportError(VIR_ERR_XML_ERROR,
                          "invalid value '' of attribute '%s' of element <%s> on line %ld",
                          name, (const char *)node->name, mvXMLNodeLine(node));
            return -1;
        }
        *value = v;
    }
    return 0;
}

const char *
mvDomainTristateString(int value, bool onoff)
{
    if (value == MV_TRISTATE_YES)
        return onoff ? "on" : "yes";
    return onoff ? "off" : "no";
}

char *
mvDomainProp(const xmlNode *node, const char *name)
{
    char *value = NULL;

    mvXMLPropString(node, name, &value);
    return value;
}

int
mvDomainPropInt(const xmlNode *node, const char *name, int *value)
{
    unsigned int v;
    int rc = mvXMLPropUInt(node, name, &v);

    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (v > G_MAXINT) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "value of attribute '%s' of element <%s> on line %ld is too large",
                          name, (const char *)node->name, mvXMLNodeLine(node));
            return -1;
        }
        *value = (int)v;
    }
    return 0;
}

/* Text of @node's child @name, NULL when absent or empty. */
char *
mvDomainChildText(const xmlNode *node, const char *name)
{
    g_autofree char *text = NULL;

    if (mvXMLChildString(node, name, &text) == 0 || !*text)
        return NULL;
    return g_steal_pointer(&text);
}

/* Refuses attributes and children of a text-only element. */
int
mvDomainCheckLeaf(const xmlNode *root, const char *name)
{
    xmlNode *n = mvXMLChildFind(root, name);

    return n ? mvDomainCheckNode(n, NULL, NULL) : 0;
}

/* ---------------------------------------------------------------------- */
/* Addresses, boot order, alias */

static int
mvDomainAddressReadHex(const xmlNode *n, const char *name, unsigned int max,
                       unsigned int *value)
{
    g_autofree char *str = mvDomainProp(n, name);
    guint64 v;
    char *end = NULL;

    if (!str)
        return 0;
    v = g_ascii_strtoull(str, &end, 0);
    if (!g_ascii_isdigit(str[0]) || *end != '\0' || v > max) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "invalid value '%s' of attribute '%s' of element <address> on line %ld "
                      "(expected at most 0x%x)", str, name, mvXMLNodeLine(n), max);
        return -1;
    }
    *value = (unsigned int)v;
    return 0;
}

static int
mvDomainAddressParse(const xmlNode *n, mvDomainDeviceAddress *addr)
{
    static const char * const pciAttrs[] = { "type", "domain", "bus", "slot", "function",
                                             "multifunction", NULL };
    static const char * const driveAttrs[] = { "type", "controller", "bus", "target",
                                               "unit", NULL };
    static const char * const vsAttrs[] = { "type", "controller", "bus", "port", NULL };
    static const char * const ccwAttrs[] = { "type", "cssid", "ssid", "devno", NULL };
    static const char * const usbAttrs[] = { "type", "bus", "port", NULL };
    int type = 0;

    if (mvXMLPropEnum(n, "type", (const char * const[]){ "none", "pci", "drive",
                                                         "virtio-serial", "ccw", "usb" },
                      MV_DOMAIN_ADDRESS_LAST, &type) < 0)
        return -1;
    if (!xmlHasProp(n, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "No type specified for device address");
        return -1;
    }
    addr->type = type;
    switch ((mvDomainAddressType)type) {
    case MV_DOMAIN_ADDRESS_PCI:
        if (mvDomainCheckNode(n, pciAttrs, NULL) < 0 ||
            mvDomainAddressReadHex(n, "domain", 0xFFFF, &addr->domain) < 0 ||
            mvDomainAddressReadHex(n, "bus", 0xFF, &addr->bus) < 0 ||
            mvDomainAddressReadHex(n, "slot", 0x1F, &addr->slot) < 0 ||
            mvDomainAddressReadHex(n, "function", 7, &addr->function) < 0 ||
            mvDomainPropTristate(n, "multifunction", true, &addr->multifunction) < 0)
            return -1;
        break;
    case MV_DOMAIN_ADDRESS_DRIVE:
        if (mvDomainCheckNode(n, driveAttrs, NULL) < 0 ||
            mvDomainAddressReadHex(n, "controller", G_MAXUINT, &addr->controller) < 0 ||
            mvDomainAddressReadHex(n, "bus", G_MAXUINT, &addr->bus) < 0 ||
            mvDomainAddressReadHex(n, "target", G_MAXUINT, &addr->target) < 0 ||
            mvDomainAddressReadHex(n, "unit", G_MAXUINT, &addr->unit) < 0)
            return -1;
        break;
    case MV_DOMAIN_ADDRESS_VIRTIO_SERIAL:
        if (mvDomainCheckNode(n, vsAttrs, NULL) < 0 ||
            mvDomainAddressReadHex(n, "controller", G_MAXUINT, &addr->controller) < 0 ||
            mvDomainAddressReadHex(n, "bus", G_MAXUINT, &addr->bus) < 0 ||
            mvDomainAddressReadHex(n, "port", G_MAXUINT, &addr->port) < 0)
            return -1;
        break;
    case MV_DOMAIN_ADDRESS_CCW:
        if (mvDomainCheckNode(n, ccwAttrs, NULL) < 0 ||
            mvDomainAddressReadHex(n, "cssid", 0xFE, &addr->cssid) < 0 ||
            mvDomainAddressReadHex(n, "ssid", 3, &addr->ssid) < 0 ||
            mvDomainAddressReadHex(n, "devno", 0xFFFF, &addr->devno) < 0)
            return -1;
        break;
    case MV_DOMAIN_ADDRESS_USB:
        if (mvDomainCheckNode(n, usbAttrs, NULL) < 0 ||
            mvDomainAddressReadHex(n, "bus", G_MAXUINT, &addr->bus) < 0)
            return -1;
        addr->usbPort = mvDomainProp(n, "port");
        if (addr->usbPort && !g_regex_match_simple("^[0-9]+(\\.[0-9]+){0,4}$",
                                                   addr->usbPort, 0, 0)) {
            mvReportError(VIR_ERR_XML_ERROR, "Cannot parse <address> 'port' attribute '%s'",
                          addr->usbPort);
            return -1;
        }
        break;
    case MV_DOMAIN_ADDRESS_NONE:
        if (mvDomainCheckNode(n, (const char *[]){ "type", NULL }, NULL) < 0)
            return -1;
        break;
    case MV_DOMAIN_ADDRESS_LAST:
        break;
    }
    return 0;
}

static void
mvDomainAddressFormat(mvBuf *buf, const mvDomainDeviceAddress *addr)
{
    switch ((mvDomainAddressType)addr->type) {
    case MV_DOMAIN_ADDRESS_NONE:
        return;
    case MV_DOMAIN_ADDRESS_PCI:
        mvBufAsprintf(buf, "<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                      "function='0x%x'", addr->domain, addr->bus, addr->slot, addr->function);
        if (addr->multifunction)
            mvBufAsprintf(buf, " multifunction='%s'",
                          mvDomainTristateString(addr->multifunction, true));
        break;
    case MV_DOMAIN_ADDRESS_DRIVE:
        mvBufAsprintf(buf, "<address type='drive' controller='%u' bus='%u' target='%u' "
                      "unit='%u'", addr->controller, addr->bus, addr->target, addr->unit);
        break;
    case MV_DOMAIN_ADDRESS_VIRTIO_SERIAL:
        mvBufAsprintf(buf, "<address type='virtio-serial' controller='%u' bus='%u'",
                      addr->controller, addr->bus);
        if (addr->port)
            mvBufAsprintf(buf, " port='%u'", addr->port);
        break;
    case MV_DOMAIN_ADDRESS_CCW:
        mvBufAsprintf(buf, "<address type='ccw' cssid='0x%x' ssid='0x%x' devno='0x%04x'",
                      addr->cssid, addr->ssid, addr->devno);
        break;
    case MV_DOMAIN_ADDRESS_USB:
        mvBufAsprintf(buf, "<address type='usb' bus='%u'", addr->bus);
        if (addr->usbPort)
            mvBufAsprintf(buf, " port='%s'", addr->usbPort);
        break;
    case MV_DOMAIN_ADDRESS_LAST:
        return;
    }
    mvBufAdd(buf, "/>\n");
}

/* Reads <boot order>, <alias> (live documents only) and <address>. */
int
mvDomainDeviceInfoParse(const xmlNode *node, mvDomainDeviceInfo *info, unsigned int flags,
                        bool bootable)
{
    xmlNode *boot = mvXMLChildFind(node, "boot");
    xmlNode *alias = mvXMLChildFind(node, "alias");
    xmlNode *addr = mvXMLChildFind(node, "address");

    if (boot) {
        int rc;

        if (!bootable) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "element <boot> (line %ld) is not supported yet by modvirt in <%s>",
                          mvXMLNodeLine(boot), (const char *)node->name);
            return -1;
        }
        if (mvDomainCheckNode(boot, (const char *[]){ "order", NULL }, NULL) < 0 ||
            (rc = mvXMLPropUInt(boot, "order", &info->bootIndex)) < 0)
            return -1;
        if (rc == 0 || info->bootIndex == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", rc == 0 ?
                          "missing 'order' attribute of element 'boot'" :
                          "Invalid value for attribute 'order' in element 'boot': "
                          "Zero is not permitted");
            return -1;
        }
    }
    if (alias) {
        if (mvDomainCheckNode(alias, (const char *[]){ "name", NULL }, NULL) < 0)
            return -1;
        if (flags & MV_DOMAIN_DEF_PARSE_LIVE)
            info->alias = mvDomainProp(alias, "name");
    }
    if (addr && mvDomainAddressParse(addr, &info->addr) < 0)
        return -1;
    return 0;
}

void
mvDomainDeviceInfoFormat(mvBuf *buf, const mvDomainDeviceInfo *info, unsigned int flags)
{
    if (info->bootIndex)
        mvBufAsprintf(buf, "<boot order='%u'/>\n", info->bootIndex);
    if (info->alias && (flags & MV_DOMAIN_DEF_FORMAT_LIVE))
        mvBufEscapeString(buf, "<alias name='%s'/>\n", info->alias);
    mvDomainAddressFormat(buf, &info->addr);
}

void
mvDomainDeviceInfoClear(mvDomainDeviceInfo *info)
{
    g_free(info->alias);
    g_free(info->addr.usbPort);
}

/* Opens a device element: "<name attrs>" already written without the
 * closing bracket in @head; closes it with "/>" when @body is empty. */
void
mvDomainFormatElement(mvBuf *buf, const char *name, const char *head, mvBuf *body)
{
    g_autofree char *text = mvBufContentAndReset(body);

    mvBufAdd(buf, head);
    if (!*text) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdd(buf, text);
    mvBufAsprintf(buf, "</%s>\n", name);
}

/* ---------------------------------------------------------------------- */
/* Lifecycle */

static void
mvDomainOSFirmwareFeatureFree(gpointer p)
{
    mvDomainOSFirmwareFeature *f = p;

    g_free(f->name);
    g_free(f);
}

mvDomainDef *
mvDomainDefNew(void)
{
    mvDomainDef *def = g_new0(mvDomainDef, 1);

    def->id = -1;
    def->os.bootmenuTimeout = -1;
    def->os.fwFeatures = g_ptr_array_new_with_free_func(mvDomainOSFirmwareFeatureFree);
    mvDomainDevicesInit(def);
    return def;
}

static void
mvDomainOSClear(mvDomainOSDef *os)
{
    g_free(os->type);
    g_free(os->arch);
    g_free(os->machine);
    g_free(os->firmware);
    if (os->fwFeatures)
        g_ptr_array_unref(os->fwFeatures);
    g_free(os->loader);
    g_free(os->loaderType);
    g_free(os->nvram);
    g_free(os->nvramTemplate);
    g_free(os->kernel);
    g_free(os->initrd);
    g_free(os->cmdline);
    g_free(os->dtb);
    g_free(os->smbiosMode);
}

void
mvDomainDefFree(mvDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    if (def->metadata)
        xmlFreeDoc(def->metadata);
    g_free(def->cpuset);
    g_free(def->numatuneMode);
    g_free(def->numatunePlacement);
    g_free(def->numatuneNodeset);
    mvDomainOSClear(&def->os);
    g_free(def->features.hypervMode);
    mvCPUClear(&def->cpu);
    mvDomainClockClear(&def->clock);
    mvDomainDevicesClear(def);
    mvDomainTuneClear(def);
    g_strfreev(def->qemuArgs);
    for (size_t i = 0; i < def->nqemuEnv; i++) {
        g_free(def->qemuEnv[i].name);
        g_free(def->qemuEnv[i].value);
    }
    g_free(def->qemuEnv);
    g_free(def);
}

/* ---------------------------------------------------------------------- */
/* Sizes and CPU lists */

typedef struct {
    const char *suffix;         /* compared case-insensitively */
    unsigned long long scale;
} mvDomainUnit;

int
mvDomainParseMemorySize(const char *value, const char *unit, const char *elem,
                        unsigned long long *kib)
{
    static const unsigned long long k = 1024, d = 1000;
    const mvDomainUnit units[] = {
        { "b", 1 }, { "bytes", 1 },
        { "k", k }, { "kib", k }, { "kb", d },
        { "m", k * k }, { "mib", k * k }, { "mb", d * d },
        { "g", k * k * k }, { "gib", k * k * k }, { "gb", d * d * d },
        { "t", k * k * k * k }, { "tib", k * k * k * k }, { "tb", d * d * d * d },
        { "p", k * k * k * k * k }, { "pib", k * k * k * k * k },
        { "pb", d * d * d * d * d },
        { "e", k * k * k * k * k * k }, { "eib", k * k * k * k * k * k },
        { "eb", d * d * d * d * d * d },
    };
    /* the largest size representable in bytes as a signed 64-bit value */
    const unsigned long long limit = G_MAXINT64;
    unsigned long long scale = 1024, v;
    char *end = NULL;
    size_t i;

    if (unit) {
        for (i = 0; i < G_N_ELEMENTS(units); i++) {
            if (g_ascii_strcasecmp(units[i].suffix, unit) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(units)) {
            mvReportError(VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
            return -1;
        }
        scale = units[i].scale;
    }
    errno = 0;
    if (!value || !g_ascii_isdigit(value[0]) ||
        (v = g_ascii_strtoull(value, &end, 10), *end != '\0' || errno == ERANGE)) {
        mvReportError(VIR_ERR_XML_ERROR, "invalid value '%s' of element <%s>",
                      value ? value : "", elem);
        return -1;
    }
    if (v > limit / scale) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_OVERFLOW, __FILE__, __func__, __LINE__,
                               "numerical overflow: value too large: %s%s",
                               value, unit ? unit : "");
        return -1;
    }
    *kib = (v * scale + 1023) / 1024;
    return 0;
}

/* Parses a cpuset ("0-3,^2,8") into a canonical range list. */
char *
mvDomainCPUSetCanon(const xmlNode *node, const char *attr, const char *str)
{
    g_autofree bool *bits = g_new0(bool, MV_DOMAIN_MAX_VCPUS);
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    g_autoptr(GString) out = g_string_new(NULL);
    size_t i;
    bool any = false;

    for (i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        bool neg = false;
        guint64 a, b;
        char *end = NULL;

        if (*p == '^') {
            neg = true;
            p++;
        }
        if (!g_ascii_isdigit(*p))
            goto bad;
        a = g_ascii_strtoull(p, &end, 10);
        b = a;
        if (*end == '-' && !neg) {
            if (!g_ascii_isdigit(end[1]))
                goto bad;
            b = g_ascii_strtoull(end + 1, &end, 10);
        }
        if (*end != '\0' || b < a || b >= MV_DOMAIN_MAX_VCPUS)
            goto bad;
        for (; a <= b; a++)
            bits[a] = !neg;
    }
    for (i = 0; i < MV_DOMAIN_MAX_VCPUS; i++) {
        size_t j;

        if (!bits[i])
            continue;
        for (j = i; j + 1 < MV_DOMAIN_MAX_VCPUS && bits[j + 1]; j++)
            ;
        if (any)
            g_string_append_c(out, ',');
        if (j > i)
            g_string_append_printf(out, "%zu-%zu", i, j);
        else
            g_string_append_printf(out, "%zu", i);
        any = true;
        i = j;
    }
    if (!any)
        goto bad;
    return g_string_free(g_steal_pointer(&out), FALSE);

 bad:
    mvReportError(VIR_ERR_INVALID_ARG,
                  "Failed to parse bitmap '%s' (attribute '%s' of element <%s> on line %ld)",
                  str, attr, (const char *)node->name, mvXMLNodeLine(node));
    return NULL;
}

/* ---------------------------------------------------------------------- */
/* Parsing of top-level elements */

static int
mvDomainDefParseIdentity(xmlNode *root, mvDomainDef *def)
{
    g_autofree char *uuid = NULL;
    xmlNode *genid;

    if (mvDomainCheckLeaf(root, "name") < 0 || mvDomainCheckLeaf(root, "uuid") < 0 ||
        mvDomainCheckLeaf(root, "genid") < 0 || mvDomainCheckLeaf(root, "title") < 0 ||
        mvDomainCheckLeaf(root, "description") < 0)
        return -1;
    if (!(def->name = mvDomainChildText(root, "name"))) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_NO_NAME, __FILE__, __func__, __LINE__,
                               "%s", "missing name information");
        return -1;
    }
    if (strchr(def->name, '/')) {
        mvReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return -1;
    }
    if ((uuid = mvDomainChildText(root, "uuid"))) {
        if (mvUUIDParse(uuid, def->uuid) < 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return -1;
        }
    } else {
        mvUUIDGenerate(def->uuid);
    }
    if ((genid = mvXMLChildFind(root, "genid"))) {
        g_autofree char *text = mvDomainChildText(root, "genid");

        def->hasGenid = true;
        if (!text) {
            mvUUIDGenerate(def->genid);
        } else if (mvUUIDParse(text, def->genid) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "malformed genid element '%s'", text);
            return -1;
        }
    }
    def->title = mvDomainChildText(root, "title");
    if (def->title && strchr(def->title, '\n')) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "Domain title can't contain newlines");
        return -1;
    }
    def->description = mvDomainChildText(root, "description");
    return 0;
}

/* Drops whitespace-only text between elements (what libxml2's blank-node
 * heuristic drops when libvirt reads the document), keeping the text of an
 * element whose whole content is whitespace. */
static void
mvDomainStripBlanks(xmlNode *node)
{
    xmlNode *c = node->children;

    while (c) {
        xmlNode *next = c->next;

        if (c->type == XML_ELEMENT_NODE) {
            mvDomainStripBlanks(c);
        } else if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) &&
                   !(c == node->children && !next)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
        c = next;
    }
}

/* Keeps <metadata> as a node copy.  Each child must be an element in its
 * own namespace (libvirt quietly drops the others; we refuse them). */
static int
mvDomainDefParseMetadata(xmlNode *root, mvDomainDef *def)
{
    xmlNode *md = mvXMLChildFind(root, "metadata");
    g_autoptr(GHashTable) uris = g_hash_table_new(g_str_hash, g_str_equal);
    xmlNode *c;
    xmlNode *copy;

    if (!md)
        return 0;
    if (md->properties) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "attribute '%s' of element <metadata> (line %ld) is not supported "
                      "yet by modvirt", (const char *)md->properties->name, mvXMLNodeLine(md));
        return -1;
    }
    for (c = md->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!c->ns || !c->ns->href) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "element <%s> in <metadata> (line %ld) needs a namespace",
                          (const char *)c->name, mvXMLNodeLine(c));
            return -1;
        }
        if (!g_hash_table_add(uris, (gpointer)c->ns->href)) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "more than one element of namespace '%s' in <metadata> (line %ld)",
                          (const char *)c->ns->href, mvXMLNodeLine(c));
            return -1;
        }
    }
    def->metadata = xmlNewDoc((const xmlChar *)"1.0");
    copy = xmlDocCopyNode(md, def->metadata, 1);
    xmlDocSetRootElement(def->metadata, copy);
    mvDomainStripBlanks(copy);
    return 0;
}

static int
mvDomainDefParseMemoryElem(xmlNode *root, const char *name, unsigned long long *kib,
                           const char * const *extraAttrs)
{
    xmlNode *n = mvXMLChildFind(root, name);
    const char *attrs[4] = { "unit", NULL, NULL, NULL };
    g_autofree char *unit = NULL;
    g_autofree char *text = NULL;

    if (!n)
        return 0;
    if (extraAttrs)
        attrs[1] = extraAttrs[0];
    if (mvDomainCheckNode(n, attrs, NULL) < 0)
        return -1;
    unit = mvDomainProp(n, "unit");
    text = g_strstrip(mvXMLNodeContent(n));
    return mvDomainParseMemorySize(text, unit, name, kib);
}

static int
mvDomainDefParseMemory(xmlNode *root, mvDomainDef *def)
{
    xmlNode *max;

    if (mvDomainDefParseMemoryElem(root, "memory", &def->memKiB, NULL) < 0 ||
        mvDomainDefParseMemoryElem(root, "currentMemory", &def->curMemKiB, NULL) < 0 ||
        mvDomainDefParseMemoryElem(root, "maxMemory", &def->maxMemKiB,
                                   (const char *[]){ "slots" }) < 0)
        return -1;
    if ((max = mvXMLChildFind(root, "maxMemory")) &&
        mvXMLPropUInt(max, "slots", &def->memSlots) < 0)
        return -1;
    if (def->memKiB == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "Memory size must be specified via <memory> or in the "
                      "<numa> configuration");
        return -1;
    }
    if (def->curMemKiB == 0 || def->curMemKiB > def->memKiB)
        def->curMemKiB = def->memKiB;
    if (def->maxMemKiB && def->maxMemKiB < def->memKiB) {
        mvReportError(VIR_ERR_XML_ERROR, "%s",
                      "maximum memory size must be equal or greater than the actual "
                      "memory size");
        return -1;
    }
    return 0;
}

static int
mvDomainDefParseVcpu(xmlNode *root, mvDomainDef *def)
{
    static const char * const placements[] = { "static", "auto" };
    xmlNode *n = mvXMLChildFind(root, "vcpu");
    xmlNode *nt = mvXMLChildFind(root, "numatune");
    g_autofree char *text = NULL;
    g_autofree char *cpuset = NULL;
    int placement = 0;
    guint64 v;
    char *end = NULL;

    def->vcpus = 1;
    if (n) {
        if (mvDomainCheckNode(n, (const char *[]){ "placement", "cpuset", "current", NULL },
                              NULL) < 0 ||
            mvXMLPropEnum(n, "placement", placements, 2, &placement) < 0 ||
            mvXMLPropUInt(n, "current", &def->vcpusCurrent) < 0)
            return -1;
        text = g_strstrip(mvXMLNodeContent(n));
        if (!g_ascii_isdigit(text[0]) || (v = g_ascii_strtoull(text, &end, 10), *end) ||
            v == 0 || v > MV_DOMAIN_MAX_VCPUS) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "invalid vCPU count '%s' of element <vcpu> on line %ld "
                          "(expected 1 to %d)", text, mvXMLNodeLine(n), MV_DOMAIN_MAX_VCPUS);
            return -1;
        }
        def->vcpus = (unsigned int)v;
        if (def->vcpusCurrent > def->vcpus) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "maximum vCPU count must not be less than current vCPU count");
            return -1;
        }
        if (def->vcpusCurrent == def->vcpus)
            def->vcpusCurrent = 0;
        def->placementAuto = placement == 1;
        if ((cpuset = mvDomainProp(n, "cpuset")) &&
            !(def->cpuset = mvDomainCPUSetCanon(n, "cpuset", cpuset)))
            return -1;
    }
    if (nt) {
        xmlNode *mem = mvXMLChildFind(nt, "memory");

        if (mvDomainCheckNode(nt, NULL, (const char *[]){ "memory", NULL }) < 0)
            return -1;
        if (mem) {
            g_autofree char *nodeset = NULL;

            if (mvDomainCheckNode(mem, (const char *[]){ "mode", "placement", "nodeset",
                                                         NULL }, NULL) < 0)
                return -1;
            def->numatuneMode = mvDomainProp(mem, "mode");
            def->numatunePlacement = mvDomainProp(mem, "placement");
            if ((nodeset = mvDomainProp(mem, "nodeset")) &&
                !(def->numatuneNodeset = mvDomainCPUSetCanon(mem, "nodeset", nodeset)))
                return -1;
        }
    }
    if (def->placementAuto && !def->numatunePlacement && !def->numatuneNodeset) {
        /* automatic vCPU placement implies automatic memory placement */
        if (!def->numatuneMode)
            def->numatuneMode = g_strdup("strict");
        def->numatunePlacement = g_strdup("auto");
    }
    if (def->numatuneMode && !def->numatunePlacement && !def->numatuneNodeset)
        def->numatunePlacement = g_strdup("auto");
    return 0;
}

static int
mvDomainDefParseOSFirmware(xmlNode *os, mvDomainDef *def)
{
    xmlNode *fw = mvXMLChildFind(os, "firmware");
    xmlNode *c;

    if (!fw)
        return 0;
    if (mvDomainCheckNode(fw, NULL, (const char *[]){ "feature*", NULL }) < 0)
        return -1;
    for (c = fw->children; c; c = c->next) {
        mvDomainOSFirmwareFeature *f;
        bool enabled = false;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "enabled", "name", NULL }, NULL) < 0 ||
            mvXMLPropYesNo(c, "enabled", &enabled) < 0)
            return -1;
        f = g_new0(mvDomainOSFirmwareFeature, 1);
        f->enabled = enabled;
        f->name = mvDomainProp(c, "name");
        g_ptr_array_add(def->os.fwFeatures, f);
        if (!f->name) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "missing required 'name' attribute");
            return -1;
        }
    }
    return 0;
}

static int
mvDomainDefParseOSBoot(xmlNode *os, mvDomainDef *def)
{
    static const char * const bootDevs[] = { "fd", "cdrom", "hd", "network" };
    xmlNode *c;
    xmlNode *menu = mvXMLChildFind(os, "bootmenu");
    xmlNode *smbios = mvXMLChildFind(os, "smbios");

    for (c = os->children; c; c = c->next) {
        int dev;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "boot") != 0)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "dev", NULL }, NULL) < 0 ||
            mvXMLPropEnum(c, "dev", bootDevs, G_N_ELEMENTS(bootDevs), &dev) < 0)
            return -1;
        if (!xmlHasProp(c, (const xmlChar *)"dev")) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing boot device");
            return -1;
        }
        if (def->os.nBootDevs == MV_DOMAIN_BOOT_LAST) {
            mvReportError(VIR_ERR_XML_ERROR, "too many <boot> elements (at most %d)",
                          MV_DOMAIN_BOOT_LAST);
            return -1;
        }
        def->os.bootDevs[def->os.nBootDevs++] = dev;
    }
    if (menu) {
        if (mvDomainCheckNode(menu, (const char *[]){ "enable", "timeout", NULL }, NULL) < 0 ||
            mvDomainPropTristate(menu, "enable", false, &def->os.bootmenu) < 0 ||
            mvDomainPropInt(menu, "timeout", &def->os.bootmenuTimeout) < 0)
            return -1;
    }
    if (smbios) {
        if (mvDomainCheckNode(smbios, (const char *[]){ "mode", NULL }, NULL) < 0)
            return -1;
        def->os.smbiosMode = mvDomainProp(smbios, "mode");
    }
    return 0;
}

static int
mvDomainDefParseOS(xmlNode *root, mvDomainDef *def)
{
    xmlNode *os = mvXMLChildFind(root, "os");
    xmlNode *type, *loader, *nvram;

    if (!os) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    if (mvDomainCheckNode(os, (const char *[]){ "firmware", NULL },
                          (const char *[]){ "type", "firmware", "loader", "nvram", "kernel",
                                            "initrd", "cmdline", "dtb", "boot*",
                                            "bootmenu", "smbios", NULL }) < 0)
        return -1;
    def->os.firmware = mvDomainProp(os, "firmware");
    if (def->os.firmware && strcmp(def->os.firmware, "efi") != 0 &&
        strcmp(def->os.firmware, "bios") != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "unknown firmware value %s", def->os.firmware);
        return -1;
    }
    if (!(type = mvXMLChildFind(os, "type"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    if (mvDomainCheckNode(type, (const char *[]){ "arch", "machine", NULL }, NULL) < 0)
        return -1;
    def->os.type = g_strstrip(mvXMLNodeContent(type));
    if (strcmp(def->os.type, "hvm") != 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "os type '%s' is not supported yet by modvirt (only 'hvm')",
                      def->os.type);
        return -1;
    }
    def->os.arch = mvDomainProp(type, "arch");
    def->os.machine = mvDomainProp(type, "machine");
    if ((loader = mvXMLChildFind(os, "loader"))) {
        static const char * const types[] = { "rom", "pflash" };
        int t;

        if (mvDomainCheckNode(loader, (const char *[]){ "readonly", "type", "secure", NULL },
                              NULL) < 0 ||
            mvDomainPropTristate(loader, "readonly", false, &def->os.loaderReadonly) < 0 ||
            mvDomainPropTristate(loader, "secure", false, &def->os.loaderSecure) < 0 ||
            mvXMLPropEnum(loader, "type", types, 2, &t) < 0)
            return -1;
        def->os.loaderType = mvDomainProp(loader, "type");
        def->os.loader = mvDomainChildText(os, "loader");
    }
    if ((nvram = mvXMLChildFind(os, "nvram"))) {
        if (mvDomainCheckNode(nvram, (const char *[]){ "template", NULL }, NULL) < 0)
            return -1;
        def->os.nvramTemplate = mvDomainProp(nvram, "template");
        def->os.nvram = mvDomainChildText(os, "nvram");
    }
    if (mvDomainCheckLeaf(os, "kernel") < 0 || mvDomainCheckLeaf(os, "initrd") < 0 ||
        mvDomainCheckLeaf(os, "cmdline") < 0 || mvDomainCheckLeaf(os, "dtb") < 0)
        return -1;
    def->os.kernel = mvDomainChildText(os, "kernel");
    def->os.initrd = mvDomainChildText(os, "initrd");
    def->os.cmdline = mvDomainChildText(os, "cmdline");
    def->os.dtb = mvDomainChildText(os, "dtb");
    if (mvDomainDefParseOSFirmware(os, def) < 0 || mvDomainDefParseOSBoot(os, def) < 0)
        return -1;
    return 0;
}

static int
mvDomainDefParseLifecycle(xmlNode *root, const char *name, int def, int *value)
{
    xmlNode *n = mvXMLChildFind(root, name);
    g_autofree char *text = NULL;
    int v;

    *value = def;
    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, NULL) < 0)
        return -1;
    text = g_strstrip(mvXMLNodeContent(n));
    if ((v = mvDomainLifecycleActionFromString(text)) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid %s value: '%s'", name, text);
        return -1;
    }
    if (strcmp(name, "on_crash") != 0 && v >= MV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Lifecycle event '%s' doesn't support '%s' action", name + 3, text);
        return -1;
    }
    *value = v;
    return 0;
}

/* <qemu:commandline> with <qemu:arg value/>* and <qemu:env name value/>*. */
static int
mvDomainDefParseQemuCommandline(xmlNode *root, mvDomainDef *def)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    xmlNode *cmd = NULL;
    xmlNode *c;

    for (c = root->children; c && !cmd; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
            strcmp((const char *)c->ns->href, MV_DOMAIN_QEMU_NS) == 0 &&
            strcmp((const char *)c->name, "commandline") == 0)
            cmd = c;
    }
    if (!cmd)
        return 0;
    if (mvDomainCheckNode(cmd, NULL, (const char *[]){ "qemu:arg*", "qemu:env*", NULL }) < 0)
        return -1;
    for (c = cmd->children; c; c = c->next) {
        bool isArg;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        isArg = strcmp((const char *)c->name, "arg") == 0;
        if (mvDomainCheckNode(c, isArg ? (const char *[]){ "value", NULL } :
                              (const char *[]){ "name", "value", NULL }, NULL) < 0)
            return -1;
        if (isArg) {
            char *value = mvDomainProp(c, "value");

            if (!value) {
                mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                              "No qemu command-line argument specified");
                return -1;
            }
            g_ptr_array_add(args, value);
        } else {
            mvDomainQemuEnv *env;
            g_autofree char *name = mvDomainProp(c, "name");

            if (!name || !*name) {
                mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                              "No qemu environment name specified");
                return -1;
            }
            if (!g_ascii_isalpha(name[0]) && name[0] != '_') {
                mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                              "Invalid environment name, it must begin with a letter or "
                              "underscore");
                return -1;
            }
            def->qemuEnv = g_renew(mvDomainQemuEnv, def->qemuEnv, def->nqemuEnv + 1);
            env = &def->qemuEnv[def->nqemuEnv++];
            env->name = g_steal_pointer(&name);
            env->value = mvDomainProp(c, "value");
        }
    }
    if (args->len) {
        g_ptr_array_add(args, NULL);
        def->qemuArgs = (char **)g_ptr_array_free(g_steal_pointer(&args), FALSE);
    }
    return 0;
}

static mvDomainDef *
mvDomainDefParseDoc(xmlDoc *doc, unsigned int flags)
{
    static const char * const rootChildren[] = {
        "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
        "currentMemory", "memoryBacking", "vcpu", "iothreads", "cputune", "numatune",
        "resource", "os", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash",
        "pm", "devices", "seclabel*", "qemu:commandline", NULL
    };
    g_autoptr(mvDomainDef) def = NULL;
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *devices;
    g_autofree char *type = NULL;
    unsigned int id = 0;
    int rc;

    mvCheckFlags(flags, MV_DOMAIN_DEF_PARSE_VALIDATE | MV_DOMAIN_DEF_PARSE_LIVE, NULL);
    if ((flags & MV_DOMAIN_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_DOMAIN_SCHEMA) < 0)
        return NULL;
    def = mvDomainDefNew();
    if (mvDomainCheckNode(root, (const char *[]){ "type", "id", NULL }, rootChildren) < 0)
        return NULL;
    if (!(type = mvDomainProp(root, "type"))) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing domain type attribute");
        return NULL;
    }
    if ((def->virtType = mvDomainVirtFromString(type)) < 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain type '%s' is not supported yet by modvirt (only qemu, kvm)",
                      type);
        return NULL;
    }
    if ((rc = mvXMLPropUInt(root, "id", &id)) < 0)
        return NULL;
    if (rc == 1 && (flags & MV_DOMAIN_DEF_PARSE_LIVE))
        def->id = (int)MIN(id, (unsigned int)G_MAXINT);
    if (mvDomainDefParseIdentity(root, def) < 0 ||
        mvDomainDefParseMetadata(root, def) < 0 ||
        mvDomainDefParseMemory(root, def) < 0 ||
        mvDomainDefParseVcpu(root, def) < 0 ||
        mvDomainDefParseTune(root, def, flags) < 0 ||
        mvDomainDefParseOS(root, def) < 0 ||
        mvDomainDefParseFeatures(root, def) < 0 ||
        mvDomainDefParseCPU(root, def) < 0 ||
        mvDomainDefParseClock(root, def) < 0 ||
        mvDomainDefParseLifecycle(root, "on_poweroff", MV_DOMAIN_LIFECYCLE_DESTROY,
                                  &def->onPoweroff) < 0 ||
        mvDomainDefParseLifecycle(root, "on_reboot", MV_DOMAIN_LIFECYCLE_RESTART,
                                  &def->onReboot) < 0 ||
        mvDomainDefParseLifecycle(root, "on_crash", MV_DOMAIN_LIFECYCLE_DESTROY,
                                  &def->onCrash) < 0 ||
        mvDomainDefParsePM(root, def) < 0)
        return NULL;
    if ((devices = mvXMLChildFind(root, "devices")) &&
        mvDomainDevicesParse(devices, def, flags) < 0)
        return NULL;
    if (def->cpu.sockets &&
        def->cpu.sockets * def->cpu.dies * def->cpu.cores * def->cpu.threads != def->vcpus) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "CPU topology doesn't match maximum vcpu count");
        return NULL;
    }
    if (mvDomainDefParseQemuCommandline(root, def) < 0 ||
        mvDomainDefPostParseTune(def) < 0 ||
        mvDomainDevicesPostParse(def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvDomainDef *
mvDomainDefParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_DOMAIN_XML_NAME, "domain", VIR_FROM_DOMAIN)))
        return NULL;
    return mvDomainDefParseDoc(doc, flags);
}

mvDomainDef *
mvDomainDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "domain", VIR_FROM_DOMAIN)))
        return NULL;
    return mvDomainDefParseDoc(doc, flags);
}

/* ---------------------------------------------------------------------- */
/* Formatting of top-level elements */

static void
mvDomainDefFormatMetadata(mvBuf *buf, const mvDomainDef *def)
{
    xmlNode *md = def->metadata ? xmlDocGetRootElement(def->metadata) : NULL;
    g_autoptr(xmlBuffer) xb = NULL;
    int oldIndent;

    if (!md)
        return;
    /* the whole node, as libvirt dumps it: libxml2 indents element-only
     * content and leaves mixed content alone */
    xb = xmlBufferCreate();
    oldIndent = xmlIndentTreeOutput;
    xmlIndentTreeOutput = 1;
    xmlNodeDump(xb, def->metadata, md, buf->indent / 2, 1);
    xmlIndentTreeOutput = oldIndent;
    g_string_append_printf(buf->str, "%*s%s\n", buf->indent, "",
                           (const char *)xmlBufferContent(xb));
}

static void
mvDomainDefFormatVcpu(mvBuf *buf, const mvDomainDef *def)
{
    mvBufAsprintf(buf, "<vcpu placement='%s'", def->placementAuto ? "auto" : "static");
    if (def->cpuset && !def->placementAuto)
        mvBufAsprintf(buf, " cpuset='%s'", def->cpuset);
    if (def->vcpusCurrent)
        mvBufAsprintf(buf, " current='%u'", def->vcpusCurrent);
    mvBufAsprintf(buf, ">%u</vcpu>\n", def->vcpus);
}

static void
mvDomainDefFormatNumatune(mvBuf *buf, const mvDomainDef *def)
{
    if (def->numatuneMode || def->numatunePlacement || def->numatuneNodeset) {
        mvBufAdd(buf, "<numatune>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufAsprintf(buf, "<memory mode='%s'", def->numatuneMode ? def->numatuneMode :
                      "strict");
        if (def->numatuneNodeset)
            mvBufAsprintf(buf, " nodeset='%s'", def->numatuneNodeset);
        else
            mvBufAsprintf(buf, " placement='%s'", def->numatunePlacement);
        mvBufAdd(buf, "/>\n");
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</numatune>\n");
    }
}

static void
mvDomainDefFormatOS(mvBuf *buf, const mvDomainDef *def)
{
    const mvDomainOSDef *os = &def->os;
    size_t i;

    if (os->firmware)
        mvBufAsprintf(buf, "<os firmware='%s'>\n", os->firmware);
    else
        mvBufAdd(buf, "<os>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufAdd(buf, "<type");
    if (os->arch)
        mvBufEscapeString(buf, " arch='%s'", os->arch);
    if (os->machine)
        mvBufEscapeString(buf, " machine='%s'", os->machine);
    mvBufEscapeString(buf, ">%s</type>\n", os->type);
    if (os->fwFeatures->len) {
        mvBufAdd(buf, "<firmware>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < os->fwFeatures->len; i++) {
            const mvDomainOSFirmwareFeature *f = g_ptr_array_index(os->fwFeatures, i);

            mvBufAsprintf(buf, "<feature enabled='%s'", f->enabled ? "yes" : "no");
            mvBufEscapeString(buf, " name='%s'/>\n", f->name);
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</firmware>\n");
    }
    if (os->loader || os->loaderReadonly || os->loaderType || os->loaderSecure) {
        mvBufAdd(buf, "<loader");
        if (os->loaderReadonly)
            mvBufAsprintf(buf, " readonly='%s'", mvDomainTristateString(os->loaderReadonly,
                                                                        false));
        if (os->loaderSecure)
            mvBufAsprintf(buf, " secure='%s'", mvDomainTristateString(os->loaderSecure,
                                                                      false));
        if (os->loaderType)
            mvBufAsprintf(buf, " type='%s'", os->loaderType);
        if (os->loader)
            mvBufEscapeString(buf, ">%s</loader>\n", os->loader);
        else
            mvBufAdd(buf, "/>\n");
    }
    if (os->nvram || os->nvramTemplate) {
        mvBufAdd(buf, "<nvram");
        if (os->nvramTemplate)
            mvBufEscapeString(buf, " template='%s'", os->nvramTemplate);
        if (os->nvram)
            mvBufEscapeString(buf, ">%s</nvram>\n", os->nvram);
        else
            mvBufAdd(buf, "/>\n");
    }
    mvBufEscapeString(buf, "<kernel>%s</kernel>\n", os->kernel);
    mvBufEscapeString(buf, "<initrd>%s</initrd>\n", os->initrd);
    mvBufEscapeString(buf, "<cmdline>%s</cmdline>\n", os->cmdline);
    mvBufEscapeString(buf, "<dtb>%s</dtb>\n", os->dtb);
    for (i = 0; i < os->nBootDevs; i++)
        mvBufAsprintf(buf, "<boot dev='%s'/>\n", mvDomainBootDevToString(os->bootDevs[i]));
    if (os->bootmenu) {
        mvBufAsprintf(buf, "<bootmenu enable='%s'",
                      mvDomainTristateString(os->bootmenu, false));
        if (os->bootmenuTimeout >= 0)
            mvBufAsprintf(buf, " timeout='%d'", os->bootmenuTimeout);
        mvBufAdd(buf, "/>\n");
    }
    if (os->smbiosMode)
        mvBufEscapeString(buf, "<smbios mode='%s'/>\n", os->smbiosMode);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</os>\n");
}

static void
mvDomainDefFormatQemuCommandline(mvBuf *buf, const mvDomainDef *def)
{
    size_t i;

    if (!def->qemuArgs && !def->nqemuEnv)
        return;
    mvBufAdd(buf, "<qemu:commandline>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; def->qemuArgs && def->qemuArgs[i]; i++)
        mvBufEscapeString(buf, "<qemu:arg value='%s'/>\n", def->qemuArgs[i]);
    for (i = 0; i < def->nqemuEnv; i++) {
        mvBufEscapeString(buf, "<qemu:env name='%s'", def->qemuEnv[i].name);
        mvBufEscapeString(buf, " value='%s'", def->qemuEnv[i].value);
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</qemu:commandline>\n");
}

char *
mvDomainDefFormat(const mvDomainDef *def, unsigned int flags)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvCheckFlags(flags, MV_DOMAIN_DEF_FORMAT_LIVE | MV_DOMAIN_DEF_FORMAT_SECURE, NULL);
    mvBufAsprintf(&buf, "<domain type='%s'", mvDomainVirtToString(def->virtType));
    if ((flags & MV_DOMAIN_DEF_FORMAT_LIVE) && def->id >= 0)
        mvBufAsprintf(&buf, " id='%d'", def->id);
    if (def->qemuArgs || def->nqemuEnv)
        mvBufAdd(&buf, " xmlns:qemu='" MV_DOMAIN_QEMU_NS "'");
    mvBufAdd(&buf, ">\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->name);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->uuid, uuidstr));
    if (def->hasGenid)
        mvBufAsprintf(&buf, "<genid>%s</genid>\n", mvUUIDFormat(def->genid, uuidstr));
    mvBufEscapeString(&buf, "<title>%s</title>\n", def->title);
    mvBufEscapeString(&buf, "<description>%s</description>\n", def->description);
    mvDomainDefFormatMetadata(&buf, def);
    if (def->maxMemKiB)
        mvBufAsprintf(&buf, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n",
                      def->memSlots, def->maxMemKiB);
    mvBufAsprintf(&buf, "<memory unit='KiB'>%llu</memory>\n", def->memKiB);
    mvBufAsprintf(&buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n", def->curMemKiB);
    mvDomainDefFormatMemoryBacking(&buf, def);
    mvDomainDefFormatVcpu(&buf, def);
    mvDomainDefFormatCputune(&buf, def);
    mvDomainDefFormatNumatune(&buf, def);
    mvDomainDefFormatResource(&buf, def);
    mvDomainDefFormatOS(&buf, def);
    mvDomainDefFormatFeatures(&buf, def);
    mvDomainDefFormatCPU(&buf, def);
    mvDomainDefFormatClock(&buf, def);
    mvBufAsprintf(&buf, "<on_poweroff>%s</on_poweroff>\n",
                  mvDomainLifecycleActionToString(def->onPoweroff));
    mvBufAsprintf(&buf, "<on_reboot>%s</on_reboot>\n",
                  mvDomainLifecycleActionToString(def->onReboot));
    mvBufAsprintf(&buf, "<on_crash>%s</on_crash>\n",
                  mvDomainLifecycleActionToString(def->onCrash));
    mvDomainDefFormatPM(&buf, def);
    mvDomainDevicesFormat(&buf, def, flags);
    mvDomainDefFormatSecLabels(&buf, def, flags);
    mvDomainDefFormatQemuCommandline(&buf, def);
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</domain>\n");
    return mvBufContentAndReset(&buf);
}

/* ---------------------------------------------------------------------- */
/* Lookups */

mvDomainDiskDef *
mvDomainDefFindDiskByTarget(const mvDomainDef *def, const char *dst)
{
    size_t i;

    for (i = 0; dst && i < def->disks->len; i++) {
        mvDomainDiskDef *d = g_ptr_array_index(def->disks, i);

        if (g_strcmp0(d->dst, dst) == 0)
            return d;
    }
    return NULL;
}

mvDomainNetDef *
mvDomainDefFindNetByMAC(const mvDomainDef *def, const unsigned char *mac)
{
    size_t i;

    for (i = 0; i < def->nets->len; i++) {
        mvDomainNetDef *n = g_ptr_array_index(def->nets, i);

        if (memcmp(n->mac, mac, 6) == 0)
            return n;
    }
    return NULL;
}

mvDomainControllerDef *
mvDomainDefFindController(const mvDomainDef *def, int type, unsigned int index)
{
    size_t i;

    for (i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == type && c->index == index)
            return c;
    }
    return NULL;
}

mvDomainDeviceInfo *
mvDomainDefFindDeviceInfoByAlias(const mvDomainDef *def, const char *alias)
{
#define MV_FIND_IN(array, type) \
    for (i = 0; i < (array)->len; i++) { \
        type *d = g_ptr_array_index((array), i); \
        if (g_strcmp0(d->info.alias, alias) == 0) \
            return &d->info; \
    }
    size_t i;

    if (!alias)
        return NULL;
    MV_FIND_IN(def->disks, mvDomainDiskDef)
    MV_FIND_IN(def->controllers, mvDomainControllerDef)
    MV_FIND_IN(def->nets, mvDomainNetDef)
    MV_FIND_IN(def->serials, mvDomainChrDef)
    MV_FIND_IN(def->parallels, mvDomainChrDef)
    MV_FIND_IN(def->consoles, mvDomainChrDef)
    MV_FIND_IN(def->channels, mvDomainChrDef)
    MV_FIND_IN(def->inputs, mvDomainInputDef)
    MV_FIND_IN(def->videos, mvDomainVideoDef)
    MV_FIND_IN(def->watchdogs, mvDomainWatchdogDef)
    MV_FIND_IN(def->rngs, mvDomainRNGDef)
    MV_FIND_IN(def->panics, mvDomainPanicDef)
#undef MV_FIND_IN
    if (def->memballoon && g_strcmp0(def->memballoon->info.alias, alias) == 0)
        return &def->memballoon->info;
    return NULL;
}
