/*
 * nodedev_conf: see nodedev_conf.h.  The document is first validated
 * against schemas/nodedev.rng (unknown elements and malformed values are
 * refused there with line and element), then read into the struct one
 * function per capability, then formatted back one function per capability
 * in the element order libvirt 9.0 uses.  Numbers that libvirt prints in
 * hex (PCI class, product and vendor ids, addresses) are read in hex too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_buf.h"
#include "mv_enum.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"
#include "nodedev_conf.h"

#define MV_FROM_THIS VIR_FROM_NODEDEV

static const char * const mvNodeDevCapTypeNames[] = {
    [MV_NODE_DEV_CAP_SYSTEM] = "system",
    [MV_NODE_DEV_CAP_PCI_DEV] = "pci",
    [MV_NODE_DEV_CAP_USB_DEV] = "usb_device",
    [MV_NODE_DEV_CAP_USB_INTERFACE] = "usb",
    [MV_NODE_DEV_CAP_NET] = "net",
    [MV_NODE_DEV_CAP_SCSI_HOST] = "scsi_host",
    [MV_NODE_DEV_CAP_SCSI] = "scsi",
    [MV_NODE_DEV_CAP_STORAGE] = "storage",
    [MV_NODE_DEV_CAP_MDEV] = "mdev",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvNodeDevCapTypeNames) == MV_NODE_DEV_CAP_LAST);

static const char * const mvNodeDevLinkStateNames[] = {
    [MV_NODE_DEV_LINK_UNKNOWN] = "unknown",
    [MV_NODE_DEV_LINK_NOTPRESENT] = "notpresent",
    [MV_NODE_DEV_LINK_DOWN] = "down",
    [MV_NODE_DEV_LINK_LOWERLAYERDOWN] = "lowerlayerdown",
    [MV_NODE_DEV_LINK_TESTING] = "testing",
    [MV_NODE_DEV_LINK_DORMANT] = "dormant",
    [MV_NODE_DEV_LINK_UP] = "up",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvNodeDevLinkStateNames) == MV_NODE_DEV_LINK_LAST);

static const char * const mvNodeDevNetTypeNames[] = {
    [MV_NODE_DEV_NET_NONE] = NULL,
    [MV_NODE_DEV_NET_80203] = "80203",
    [MV_NODE_DEV_NET_80211] = "80211",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvNodeDevNetTypeNames) == MV_NODE_DEV_NET_LAST);

MV_ENUM_IMPL_TABLE(mvNodeDevCapType, mvNodeDevCapTypeNames)
MV_ENUM_IMPL_TABLE(mvNodeDevLinkState, mvNodeDevLinkStateNames)

/* ---- lifecycle ---- */

static void
mvNodeDevMdevTypeFree(gpointer p)
{
    mvNodeDevMdevType *t = p;

    g_free(t->id);
    g_free(t->name);
    g_free(t->deviceAPI);
    g_free(t);
}

static void
mvNodeDevMdevAttrFree(gpointer p)
{
    mvNodeDevMdevAttr *a = p;

    g_free(a->name);
    g_free(a->value);
    g_free(a);
}

mvNodeDevCap *
mvNodeDevCapNew(int type)
{
    mvNodeDevCap *cap = g_new0(mvNodeDevCap, 1);

    cap->type = type;
    switch ((mvNodeDevCapType)type) {
    case MV_NODE_DEV_CAP_PCI_DEV:
        cap->data.pci.klass = -1;
        cap->data.pci.numaNode = -1;
        cap->data.pci.linkCap.port = -1;
        cap->data.pci.linkSta.port = -1;
        cap->data.pci.virtFunctions = g_array_new(FALSE, TRUE, sizeof(mvNodeDevPCIAddress));
        cap->data.pci.iommuDevices = g_array_new(FALSE, TRUE, sizeof(mvNodeDevPCIAddress));
        cap->data.pci.mdevTypes = g_ptr_array_new_with_free_func(mvNodeDevMdevTypeFree);
        break;
    case MV_NODE_DEV_CAP_NET:
        cap->data.net.features = g_ptr_array_new_with_free_func(g_free);
        break;
    case MV_NODE_DEV_CAP_SCSI_HOST:
        cap->data.scsiHost.uniqueId = -1;
        break;
    case MV_NODE_DEV_CAP_MDEV:
        cap->data.mdev.attrs = g_ptr_array_new_with_free_func(mvNodeDevMdevAttrFree);
        break;
    case MV_NODE_DEV_CAP_SYSTEM:
    case MV_NODE_DEV_CAP_USB_DEV:
    case MV_NODE_DEV_CAP_USB_INTERFACE:
    case MV_NODE_DEV_CAP_SCSI:
    case MV_NODE_DEV_CAP_STORAGE:
    case MV_NODE_DEV_CAP_LAST:
        break;
    }
    return cap;
}

void
mvNodeDevCapFree(mvNodeDevCap *cap)
{
    if (!cap)
        return;
    switch ((mvNodeDevCapType)cap->type) {
    case MV_NODE_DEV_CAP_SYSTEM: {
        mvNodeDevCapSystem *s = &cap->data.system;

        g_free(s->product);
        g_free(s->hwVendor);
        g_free(s->hwVersion);
        g_free(s->hwSerial);
        g_free(s->fwVendor);
        g_free(s->fwVersion);
        g_free(s->fwReleaseDate);
        break;
    }
    case MV_NODE_DEV_CAP_PCI_DEV: {
        mvNodeDevCapPCI *p = &cap->data.pci;

        g_free(p->productName);
        g_free(p->vendorName);
        g_clear_pointer(&p->virtFunctions, g_array_unref);
        g_clear_pointer(&p->iommuDevices, g_array_unref);
        g_clear_pointer(&p->mdevTypes, g_ptr_array_unref);
        g_free(p->linkCap.speed);
        g_free(p->linkSta.speed);
        break;
    }
    case MV_NODE_DEV_CAP_USB_DEV:
        g_free(cap->data.usbDev.productName);
        g_free(cap->data.usbDev.vendorName);
        break;
    case MV_NODE_DEV_CAP_USB_INTERFACE:
        g_free(cap->data.usbIf.description);
        break;
    case MV_NODE_DEV_CAP_NET:
        g_free(cap->data.net.ifname);
        g_free(cap->data.net.address);
        g_clear_pointer(&cap->data.net.features, g_ptr_array_unref);
        break;
    case MV_NODE_DEV_CAP_SCSI_HOST:
        g_free(cap->data.scsiHost.wwnn);
        g_free(cap->data.scsiHost.wwpn);
        g_free(cap->data.scsiHost.fabricWWN);
        break;
    case MV_NODE_DEV_CAP_SCSI:
        g_free(cap->data.scsi.type);
        break;
    case MV_NODE_DEV_CAP_STORAGE: {
        mvNodeDevCapStorage *s = &cap->data.storage;

        g_free(s->block);
        g_free(s->bus);
        g_free(s->driveType);
        g_free(s->model);
        g_free(s->vendor);
        g_free(s->serial);
        g_free(s->mediaLabel);
        break;
    }
    case MV_NODE_DEV_CAP_MDEV:
        g_free(cap->data.mdev.type);
        g_clear_pointer(&cap->data.mdev.attrs, g_ptr_array_unref);
        break;
    case MV_NODE_DEV_CAP_LAST:
        break;
    }
    g_free(cap);
}

mvNodeDeviceDef *
mvNodeDeviceDefNew(void)
{
    mvNodeDeviceDef *def = g_new0(mvNodeDeviceDef, 1);

    def->devlinks = g_ptr_array_new_with_free_func(g_free);
    def->caps = g_ptr_array_new_with_free_func((GDestroyNotify)mvNodeDevCapFree);
    return def;
}

void
mvNodeDeviceDefFree(mvNodeDeviceDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->sysfsPath);
    g_free(def->devnode);
    g_clear_pointer(&def->devlinks, g_ptr_array_unref);
    g_free(def->parent);
    g_free(def->driver);
    g_clear_pointer(&def->caps, g_ptr_array_unref);
    g_free(def);
}

mvNodeDevCap *
mvNodeDeviceDefFindCap(const mvNodeDeviceDef *def, int type)
{
    guint i;

    for (i = 0; i < def->caps->len; i++) {
        mvNodeDevCap *cap = g_ptr_array_index(def->caps, i);

        if (cap->type == type)
            return cap;
    }
    return NULL;
}

/* ---- parse helpers ---- */

/* Text of the first child @name; NULL when absent or empty. */
static char *
mvNodeDevChildText(const xmlNode *node, const char *name)
{
    g_autofree char *text = NULL;

    if (mvXMLChildString(node, name, &text) == 0 || !*text)
        return NULL;
    return g_steal_pointer(&text);
}

/* Parses @str as an unsigned number in @base (0: C rules) up to @max. */
static bool
mvNodeDevStrToU64(const char *str, int base, guint64 max, guint64 *value)
{
    g_autofree char *s = g_strstrip(g_strdup(str));
    char *end = NULL;
    guint64 v;

    if (!g_ascii_isxdigit(s[0]))
        return false;
    v = g_ascii_strtoull(s, &end, base);
    if (*end != '\0' || v > max)
        return false;
    *value = v;
    return true;
}

/* The <name> of the device @node belongs to, for messages ("" if none). */
static char *
mvNodeDevNameOf(const xmlNode *node)
{
    g_autofree char *name = NULL;

    if (!node->doc || mvXMLChildString(xmlDocGetRootElement(node->doc), "name", &name) == 0)
        return g_strdup("");
    return g_steal_pointer(&name);
}

/* libvirt's "no/invalid WHAT supplied for 'DEV'", plus the line. */
static void
mvNodeDevReportSupplied(const xmlNode *node, bool missing, const char *what)
{
    g_autofree char *dev = mvNodeDevNameOf(node);

    mvReportError(VIR_ERR_INTERNAL_ERROR, "%s %s supplied for '%s' on line %ld",
                  missing ? "no" : "invalid", what, dev, mvXMLNodeLine(node));
}

/* The number held by child element @name of @node (@what names it in
 * messages): 1 present, 0 absent (an error when @required), -1 malformed. */
static int
mvNodeDevChildU64(const xmlNode *node, const char *name, const char *what, int base,
                  guint64 max, bool required, guint64 *value)
{
    xmlNode *child = mvXMLChildFind(node, name);
    g_autofree char *text = NULL;

    if (!child) {
        if (!required)
            return 0;
        mvNodeDevReportSupplied(node, true, what);
        return -1;
    }
    text = mvXMLNodeContent(child);
    if (!mvNodeDevStrToU64(text, base, max, value)) {
        mvNodeDevReportSupplied(child, false, what);
        return -1;
    }
    return 1;
}

static int
mvNodeDevChildUInt(const xmlNode *node, const char *name, const char *what, bool required,
                   unsigned int *value)
{
    guint64 v = 0;
    int rc = mvNodeDevChildU64(node, name, what, 10, G_MAXUINT, required, &v);

    if (rc == 1)
        *value = (unsigned int)v;
    return rc;
}

/* A hexadecimal attribute (0x prefix optional), required; @what names it. */
static int
mvNodeDevPropHex(const xmlNode *node, const char *name, const char *what, unsigned int *value)
{
    g_autofree char *str = NULL;
    guint64 v;

    if (mvXMLPropString(node, name, &str) == 0) {
        mvNodeDevReportSupplied(node, true, what);
        return -1;
    }
    if (!mvNodeDevStrToU64(str, 16, G_MAXUINT, &v)) {
        mvNodeDevReportSupplied(node, false, what);
        return -1;
    }
    *value = (unsigned int)v;
    return 0;
}

/* One attribute of a PCI <address>, checked against its limit. */
static int
mvNodeDevParsePCIAddressPart(const xmlNode *node, const char *name, unsigned int max,
                             unsigned int *value)
{
    g_autofree char *str = NULL;
    guint64 v;

    if (mvXMLPropString(node, name, &str) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "Missing PCI address %s on line %ld",
                      name, mvXMLNodeLine(node));
        return -1;
    }
    if (!mvNodeDevStrToU64(str, 0, G_MAXUINT, &v)) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid PCI address %s='%s' on line %ld",
                      name, str, mvXMLNodeLine(node));
        return -1;
    }
    if (v > max) {
        mvReportError(VIR_ERR_XML_ERROR, "Invalid PCI address %s='%s', must be <= 0x%X on line %ld",
                      name, str, max, mvXMLNodeLine(node));
        return -1;
    }
    *value = (unsigned int)v;
    return 0;
}

static int
mvNodeDevParsePCIAddress(const xmlNode *node, mvNodeDevPCIAddress *addr)
{
    if (mvNodeDevParsePCIAddressPart(node, "domain", 0xffff, &addr->domain) < 0 ||
        mvNodeDevParsePCIAddressPart(node, "bus", 0xff, &addr->bus) < 0 ||
        mvNodeDevParsePCIAddressPart(node, "slot", 0x1f, &addr->slot) < 0 ||
        mvNodeDevParsePCIAddressPart(node, "function", 0x7, &addr->function) < 0)
        return -1;
    return 0;
}

/* Every <address> child of @node into @array. */
static int
mvNodeDevParsePCIAddressList(const xmlNode *node, GArray *array)
{
    xmlNode *cur;

    for (cur = node->children; cur; cur = cur->next) {
        mvNodeDevPCIAddress addr;

        if (cur->type != XML_ELEMENT_NODE || strcmp((const char *)cur->name, "address") != 0)
            continue;
        if (mvNodeDevParsePCIAddress(cur, &addr) < 0)
            return -1;
        g_array_append_val(array, addr);
    }
    return 0;
}

/* An enumerated attribute, with libvirt's message for a bad value. */
static int
mvNodeDevPropEnum(const xmlNode *node, const char *name, const char * const *table,
                  size_t n, int *value)
{
    g_autofree char *str = NULL;
    int v;

    if (mvXMLPropString(node, name, &str) == 0)
        return 0;
    if ((v = mvEnumFromString(table, n, str)) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "Invalid value for attribute '%s' in element '%s': '%s' on line %ld",
                      name, (const char *)node->name, str, mvXMLNodeLine(node));
        return -1;
    }
    *value = v;
    return 1;
}

static bool
mvNodeDevIsElement(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* ---- parse, per capability ---- */

static int
mvNodeDevParseSystem(xmlNode *node, const char *devName, mvNodeDevCapSystem *s)
{
    xmlNode *hw = mvXMLChildFind(node, "hardware");
    xmlNode *fw = mvXMLChildFind(node, "firmware");

    s->product = mvNodeDevChildText(node, "product");
    if (hw) {
        g_autofree char *uuid = mvNodeDevChildText(hw, "uuid");

        s->hwVendor = mvNodeDevChildText(hw, "vendor");
        s->hwVersion = mvNodeDevChildText(hw, "version");
        s->hwSerial = mvNodeDevChildText(hw, "serial");
        if (uuid) {
            if (mvUUIDParse(uuid, s->hwUUID) < 0) {
                mvReportError(VIR_ERR_INTERNAL_ERROR,
                              "malformed uuid element for '%s' on line %ld",
                              devName ? devName : "", mvXMLNodeLine(mvXMLChildFind(hw, "uuid")));
                return -1;
            }
            s->hasUUID = true;
        }
    }
    if (!s->hasUUID) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "no system UUID supplied for '%s' on line %ld",
                      devName ? devName : "", mvXMLNodeLine(node));
        return -1;
    }
    if (fw) {
        s->fwVendor = mvNodeDevChildText(fw, "vendor");
        s->fwVersion = mvNodeDevChildText(fw, "version");
        s->fwReleaseDate = mvNodeDevChildText(fw, "release_date");
    }
    return 0;
}

static int
mvNodeDevParsePCIELink(xmlNode *node, mvNodeDevPCIELink *lnk)
{
    int port = -1;
    unsigned int uport;

    switch (mvXMLPropUInt(node, "port", &uport)) {
    case -1:
        return -1;
    case 1:
        if (uport > G_MAXINT) {
            mvReportError(VIR_ERR_XML_ERROR, "port %u of <link> on line %ld is out of range",
                          uport, mvXMLNodeLine(node));
            return -1;
        }
        port = (int)uport;
        break;
    }
    if (mvXMLPropUInt(node, "width", &lnk->width) < 0)
        return -1;
    g_clear_pointer(&lnk->speed, g_free);
    mvXMLPropString(node, "speed", &lnk->speed);
    lnk->port = port;
    lnk->present = true;
    return 0;
}

static int
mvNodeDevParseMdevTypes(xmlNode *node, GPtrArray *types)
{
    xmlNode *cur;

    for (cur = node->children; cur; cur = cur->next) {
        mvNodeDevMdevType *t;

        if (!mvNodeDevIsElement(cur, "type"))
            continue;
        t = g_new0(mvNodeDevMdevType, 1);
        g_ptr_array_add(types, t);
        mvXMLPropString(cur, "id", &t->id);
        t->name = mvNodeDevChildText(cur, "name");
        t->deviceAPI = mvNodeDevChildText(cur, "deviceAPI");
        if (mvNodeDevChildUInt(cur, "availableInstances", "available instances", true, &t->availableInstances) < 0)
            return -1;
    }
    return 0;
}

static int
mvNodeDevParsePCISubcap(xmlNode *node, mvNodeDevCapPCI *p)
{
    g_autofree char *type = NULL;
    xmlNode *addr;

    mvXMLPropString(node, "type", &type);
    if (g_strcmp0(type, "phys_function") == 0) {
        if (!(addr = mvXMLChildFind(node, "address"))) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "missing address in 'phys_function' capability on line %ld",
                          mvXMLNodeLine(node));
            return -1;
        }
        if (mvNodeDevParsePCIAddress(addr, &p->physFunction) < 0)
            return -1;
        p->hasPhysFunction = true;
    } else if (g_strcmp0(type, "virt_functions") == 0) {
        if (mvXMLPropUInt(node, "maxCount", &p->maxVirtFunctions) < 0 ||
            mvNodeDevParsePCIAddressList(node, p->virtFunctions) < 0)
            return -1;
        p->hasVirtFunctions = true;
    } else if (g_strcmp0(type, "mdev_types") == 0) {
        if (mvNodeDevParseMdevTypes(node, p->mdevTypes) < 0)
            return -1;
    } else {
        mvReportError(VIR_ERR_XML_ERROR, "unknown pci capability type '%s' on line %ld",
                      type ? type : "", mvXMLNodeLine(node));
        return -1;
    }
    return 0;
}

/* <product id=..>text</product> and <vendor ...> of PCI and USB devices. */
static int
mvNodeDevParseIdName(xmlNode *node, const char *name, const char *what, unsigned int *id,
                     char **text)
{
    xmlNode *elem = mvXMLChildFind(node, name);

    if (!elem) {
        mvNodeDevReportSupplied(node, true, what);
        return -1;
    }
    if (mvNodeDevPropHex(elem, "id", what, id) < 0)
        return -1;
    *text = mvNodeDevChildText(node, name);
    return 0;
}

static int
mvNodeDevParsePCI(xmlNode *node, mvNodeDevCapPCI *p)
{
    xmlNode *cur;
    xmlNode *elem;
    guint64 v;

    switch (mvNodeDevChildU64(node, "class", "PCI class", 16, 0xffffff, false, &v)) {
    case -1:
        return -1;
    case 1:
        p->klass = (int)v;
        break;
    }
    if (mvNodeDevChildUInt(node, "domain", "PCI domain ID", true, &p->domain) < 0 ||
        mvNodeDevChildUInt(node, "bus", "PCI bus ID", true, &p->bus) < 0 ||
        mvNodeDevChildUInt(node, "slot", "PCI slot ID", true, &p->slot) < 0 ||
        mvNodeDevChildUInt(node, "function", "PCI function ID", true, &p->function) < 0)
        return -1;
    if (mvNodeDevParseIdName(node, "product", "PCI product ID", &p->product,
                             &p->productName) < 0 ||
        mvNodeDevParseIdName(node, "vendor", "PCI vendor ID", &p->vendor, &p->vendorName) < 0)
        return -1;

    for (cur = node->children; cur; cur = cur->next) {
        if (mvNodeDevIsElement(cur, "capability") && mvNodeDevParsePCISubcap(cur, p) < 0)
            return -1;
    }
    if ((elem = mvXMLChildFind(node, "iommuGroup"))) {
        if (mvXMLPropUInt(elem, "number", &p->iommuGroup) < 0 ||
            mvNodeDevParsePCIAddressList(elem, p->iommuDevices) < 0)
            return -1;
        p->hasIommuGroup = true;
    }
    if ((elem = mvXMLChildFind(node, "numa"))) {
        unsigned int numa;

        if (mvXMLPropUInt(elem, "node", &numa) < 0)
            return -1;
        p->numaNode = (int)MIN(numa, (unsigned int)G_MAXINT);
    }
    if ((elem = mvXMLChildFind(node, "pci-express"))) {
        p->hasPCIExpress = true;
        for (cur = elem->children; cur; cur = cur->next) {
            g_autofree char *validity = NULL;

            if (!mvNodeDevIsElement(cur, "link"))
                continue;
            mvXMLPropString(cur, "validity", &validity);
            if (mvNodeDevParsePCIELink(cur, g_strcmp0(validity, "cap") == 0 ?
                                       &p->linkCap : &p->linkSta) < 0)
                return -1;
        }
    }
    return 0;
}

static int
mvNodeDevParseUSBDev(xmlNode *node, mvNodeDevCapUSBDev *u)
{
    if (mvNodeDevChildUInt(node, "bus", "USB bus number", true, &u->bus) < 0 ||
        mvNodeDevChildUInt(node, "device", "USB device number", true, &u->device) < 0 ||
        mvNodeDevParseIdName(node, "product", "USB product ID", &u->product,
                             &u->productName) < 0 ||
        mvNodeDevParseIdName(node, "vendor", "USB vendor ID", &u->vendor, &u->vendorName) < 0)
        return -1;
    return 0;
}

static int
mvNodeDevParseUSBIf(xmlNode *node, mvNodeDevCapUSBIf *u)
{
    if (mvNodeDevChildUInt(node, "number", "USB interface number", true, &u->number) < 0 ||
        mvNodeDevChildUInt(node, "class", "USB interface class", true, &u->klass) < 0 ||
        mvNodeDevChildUInt(node, "subclass", "USB interface subclass", true,
                           &u->subclass) < 0 ||
        mvNodeDevChildUInt(node, "protocol", "USB interface protocol", true,
                           &u->protocol) < 0)
        return -1;
    u->description = mvNodeDevChildText(node, "description");
    return 0;
}

static int
mvNodeDevParseNet(xmlNode *node, mvNodeDevCapNet *n)
{
    xmlNode *cur;
    xmlNode *lnk;

    if (!(n->ifname = mvNodeDevChildText(node, "interface"))) {
        mvNodeDevReportSupplied(node, true, "network interface");
        return -1;
    }
    n->address = mvNodeDevChildText(node, "address");
    if ((lnk = mvXMLChildFind(node, "link"))) {
        if (mvXMLPropUInt(lnk, "speed", &n->speed) < 0 ||
            mvNodeDevPropEnum(lnk, "state", mvNodeDevLinkStateNames,
                              G_N_ELEMENTS(mvNodeDevLinkStateNames), &n->state) < 0)
            return -1;
    }
    for (cur = node->children; cur; cur = cur->next) {
        if (mvNodeDevIsElement(cur, "feature")) {
            char *name = NULL;

            if (mvXMLPropString(cur, "name", &name) == 1)
                g_ptr_array_add(n->features, name);
        } else if (mvNodeDevIsElement(cur, "capability")) {
            g_autofree char *type = NULL;

            mvXMLPropString(cur, "type", &type);
            n->subtype = mvEnumFromString(mvNodeDevNetTypeNames,
                                              G_N_ELEMENTS(mvNodeDevNetTypeNames), type);
            if (n->subtype <= MV_NODE_DEV_NET_NONE) {
                g_autofree char *dev = mvNodeDevNameOf(node);

                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "invalid network type supplied for '%s' on line %ld",
                              dev, mvXMLNodeLine(cur));
                return -1;
            }
        }
    }
    return 0;
}

static int
mvNodeDevParseSCSIHost(xmlNode *node, mvNodeDevCapSCSIHost *h)
{
    unsigned int uid;
    xmlNode *cur;

    if (mvNodeDevChildUInt(node, "host", "SCSI host ID", true, &h->host) < 0)
        return -1;
    switch (mvNodeDevChildUInt(node, "unique_id", "unique_id", false, &uid)) {
    case -1:
        return -1;
    case 1:
        h->uniqueId = (int)MIN(uid, (unsigned int)G_MAXINT);
        break;
    }
    for (cur = node->children; cur; cur = cur->next) {
        g_autofree char *type = NULL;

        if (!mvNodeDevIsElement(cur, "capability"))
            continue;
        mvXMLPropString(cur, "type", &type);
        if (g_strcmp0(type, "fc_host") == 0) {
            h->hasFC = true;
            h->wwnn = mvNodeDevChildText(cur, "wwnn");
            h->wwpn = mvNodeDevChildText(cur, "wwpn");
            h->fabricWWN = mvNodeDevChildText(cur, "fabric_wwn");
        } else if (g_strcmp0(type, "vport_ops") == 0) {
            h->hasVportOps = true;
            if (mvNodeDevChildUInt(cur, "max_vports", "max_vports", false, &h->maxVports) < 0 ||
                mvNodeDevChildUInt(cur, "vports", "vports", false, &h->vports) < 0)
                return -1;
        } else {
            g_autofree char *dev = mvNodeDevNameOf(node);

            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "unknown SCSI host capability type '%s' for '%s' on line %ld",
                          type ? type : "", dev, mvXMLNodeLine(cur));
            return -1;
        }
    }
    return 0;
}

static int
mvNodeDevParseSCSI(xmlNode *node, mvNodeDevCapSCSI *s)
{
    if (mvNodeDevChildUInt(node, "host", "SCSI host ID", true, &s->host) < 0 ||
        mvNodeDevChildUInt(node, "bus", "SCSI bus ID", true, &s->bus) < 0 ||
        mvNodeDevChildUInt(node, "target", "SCSI target ID", true, &s->target) < 0 ||
        mvNodeDevChildUInt(node, "lun", "SCSI LUN ID", true, &s->lun) < 0)
        return -1;
    s->type = mvNodeDevChildText(node, "type");
    return 0;
}

/* logical_block_size and num_blocks, under <capability> or <removable>. */
static int
mvNodeDevParseBlockData(xmlNode *node, mvNodeDevCapStorage *s)
{
    if (mvNodeDevChildU64(node, "logical_block_size", "logical block size", 10, G_MAXUINT64, false,
                          &s->logicalBlockSize) < 0 ||
        mvNodeDevChildU64(node, "num_blocks", "number of blocks", 10, G_MAXUINT64, false, &s->numBlocks) < 0)
        return -1;
    return 0;
}

static int
mvNodeDevParseStorage(xmlNode *node, mvNodeDevCapStorage *s)
{
    xmlNode *cur;

    if (!(s->block = mvNodeDevChildText(node, "block"))) {
        mvNodeDevReportSupplied(node, true, "block device path");
        return -1;
    }
    s->bus = mvNodeDevChildText(node, "bus");
    s->driveType = mvNodeDevChildText(node, "drive_type");
    s->model = mvNodeDevChildText(node, "model");
    s->vendor = mvNodeDevChildText(node, "vendor");
    s->serial = mvNodeDevChildText(node, "serial");
    for (cur = node->children; cur; cur = cur->next) {
        g_autofree char *type = NULL;

        if (!mvNodeDevIsElement(cur, "capability"))
            continue;
        mvXMLPropString(cur, "type", &type);
        if (g_strcmp0(type, "hotpluggable") == 0) {
            s->hotpluggable = true;
        } else if (g_strcmp0(type, "removable") == 0) {
            guint64 avail = 0;

            s->removable = true;
            if (mvNodeDevChildU64(cur, "media_available", "media availability", 10, 1, false, &avail) < 0 ||
                mvNodeDevChildU64(cur, "media_size", "media size", 10, G_MAXUINT64, false,
                                  &s->mediaSize) < 0 ||
                mvNodeDevParseBlockData(cur, s) < 0)
                return -1;
            s->mediaAvailable = avail == 1;
            s->mediaLabel = mvNodeDevChildText(cur, "media_label");
        } else {
            g_autofree char *dev = mvNodeDevNameOf(node);

            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "unknown storage capability type '%s' for '%s' on line %ld",
                          type ? type : "", dev, mvXMLNodeLine(cur));
            return -1;
        }
    }
    if (!s->removable) {
        if (mvNodeDevChildU64(node, "size", "size", 10, G_MAXUINT64, false, &s->size) < 0 ||
            mvNodeDevParseBlockData(node, s) < 0)
            return -1;
    }
    return 0;
}

static int
mvNodeDevParseMdev(xmlNode *node, mvNodeDevCapMdev *m)
{
    xmlNode *elem;
    xmlNode *cur;

    if ((elem = mvXMLChildFind(node, "type")))
        mvXMLPropString(elem, "id", &m->type);
    if (!m->type) {
        g_autofree char *dev = mvNodeDevNameOf(node);

        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "missing type id attribute for '%s' on line %ld",
                      dev, mvXMLNodeLine(node));
        return -1;
    }
    if ((elem = mvXMLChildFind(node, "uuid"))) {
        g_autofree char *uuid = mvXMLNodeContent(elem);

        if (mvUUIDParse(uuid, m->uuid) < 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "Invalid uuid '%s' for new mdev device on line %ld",
                          uuid, mvXMLNodeLine(elem));
            return -1;
        }
        m->hasUUID = true;
    }
    if ((elem = mvXMLChildFind(node, "iommuGroup"))) {
        if (mvXMLPropUInt(elem, "number", &m->iommuGroup) < 0)
            return -1;
    }
    for (cur = node->children; cur; cur = cur->next) {
        mvNodeDevMdevAttr *attr;

        if (!mvNodeDevIsElement(cur, "attr"))
            continue;
        attr = g_new0(mvNodeDevMdevAttr, 1);
        g_ptr_array_add(m->attrs, attr);
        mvXMLPropString(cur, "name", &attr->name);
        mvXMLPropString(cur, "value", &attr->value);
        if (!attr->name || !attr->value) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "mdev attribute missing name/value on line %ld",
                          mvXMLNodeLine(cur));
            return -1;
        }
    }
    return 0;
}

static int
mvNodeDevParseCap(xmlNode *node, mvNodeDeviceDef *def)
{
    g_autoptr(mvNodeDevCap) cap = NULL;
    int type = -1;
    int rc = -1;

    if (!xmlHasProp(node, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "missing capability type on line %ld",
                      mvXMLNodeLine(node));
        return -1;
    }
    if (mvNodeDevPropEnum(node, "type", mvNodeDevCapTypeNames,
                          G_N_ELEMENTS(mvNodeDevCapTypeNames), &type) < 0)
        return -1;
    cap = mvNodeDevCapNew(type);
    switch ((mvNodeDevCapType)type) {
    case MV_NODE_DEV_CAP_SYSTEM:
        rc = mvNodeDevParseSystem(node, def->name, &cap->data.system);
        break;
    case MV_NODE_DEV_CAP_PCI_DEV:
        rc = mvNodeDevParsePCI(node, &cap->data.pci);
        break;
    case MV_NODE_DEV_CAP_USB_DEV:
        rc = mvNodeDevParseUSBDev(node, &cap->data.usbDev);
        break;
    case MV_NODE_DEV_CAP_USB_INTERFACE:
        rc = mvNodeDevParseUSBIf(node, &cap->data.usbIf);
        break;
    case MV_NODE_DEV_CAP_NET:
        rc = mvNodeDevParseNet(node, &cap->data.net);
        break;
    case MV_NODE_DEV_CAP_SCSI_HOST:
        rc = mvNodeDevParseSCSIHost(node, &cap->data.scsiHost);
        break;
    case MV_NODE_DEV_CAP_SCSI:
        rc = mvNodeDevParseSCSI(node, &cap->data.scsi);
        break;
    case MV_NODE_DEV_CAP_STORAGE:
        rc = mvNodeDevParseStorage(node, &cap->data.storage);
        break;
    case MV_NODE_DEV_CAP_MDEV:
        rc = mvNodeDevParseMdev(node, &cap->data.mdev);
        break;
    case MV_NODE_DEV_CAP_LAST:
        break;
    }
    if (rc < 0)
        return -1;
    g_ptr_array_add(def->caps, g_steal_pointer(&cap));
    return 0;
}

static mvNodeDeviceDef *
mvNodeDeviceDefParseDoc(xmlDoc *doc, unsigned int flags)
{
    g_autoptr(mvNodeDeviceDef) def = mvNodeDeviceDefNew();
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *cur;
    xmlNode *drv;

    if ((flags & MV_NODE_DEVICE_DEF_PARSE_VALIDATE) &&
        mvXMLValidate(doc, MV_NODE_DEVICE_SCHEMA) < 0)
        return NULL;
    if (!(def->name = mvNodeDevChildText(root, "name"))) {
        mvReportError(VIR_ERR_NO_NAME, "missing name information in <device> on line %ld",
                      mvXMLNodeLine(root));
        return NULL;
    }
    def->sysfsPath = mvNodeDevChildText(root, "path");
    def->parent = mvNodeDevChildText(root, "parent");
    if ((drv = mvXMLChildFind(root, "driver")))
        def->driver = mvNodeDevChildText(drv, "name");
    for (cur = root->children; cur; cur = cur->next) {
        if (mvNodeDevIsElement(cur, "devnode")) {
            g_autofree char *type = NULL;
            g_autofree char *text = mvXMLNodeContent(cur);

            mvXMLPropString(cur, "type", &type);
            if (g_strcmp0(type, "dev") == 0) {
                g_free(def->devnode);
                def->devnode = g_steal_pointer(&text);
            } else if (g_strcmp0(type, "link") == 0) {
                g_ptr_array_add(def->devlinks, g_steal_pointer(&text));
            } else {
                mvReportError(VIR_ERR_XML_ERROR,
                              "Invalid value for attribute 'type' in element 'devnode': "
                              "'%s' on line %ld", type ? type : "", mvXMLNodeLine(cur));
                return NULL;
            }
        } else if (mvNodeDevIsElement(cur, "capability")) {
            if (mvNodeDevParseCap(cur, def) < 0)
                return NULL;
        }
    }
    if (def->caps->len == 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "no device capabilities for '%s' on line %ld",
                      def->name, mvXMLNodeLine(root));
        return NULL;
    }
    if (!(flags & MV_NODE_DEVICE_DEF_PARSE_VALIDATE) &&
        mvXMLValidate(doc, MV_NODE_DEVICE_SCHEMA) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvNodeDeviceDef *
mvNodeDeviceDefParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_NODE_DEVICE_XML_NAME, "device", VIR_FROM_NODEDEV)))
        return NULL;
    return mvNodeDeviceDefParseDoc(doc, flags);
}

mvNodeDeviceDef *
mvNodeDeviceDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "device", VIR_FROM_NODEDEV)))
        return NULL;
    return mvNodeDeviceDefParseDoc(doc, flags);
}

/* ---- format, per capability ---- */

static void
mvNodeDevFormatPCIAddress(mvBuf *buf, const mvNodeDevPCIAddress *a)
{
    mvBufAsprintf(buf, "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
                  a->domain, a->bus, a->slot, a->function);
}

static void
mvNodeDevFormatPCIAddressList(mvBuf *buf, const GArray *list)
{
    guint i;

    for (i = 0; list && i < list->len; i++)
        mvNodeDevFormatPCIAddress(buf, &g_array_index(list, mvNodeDevPCIAddress, i));
}

/* <product id=..>text</product>; libvirt writes an empty one as "<x id='..'/>"
 * for PCI but "<x id='..' />" for USB, and so do we. */
static void
mvNodeDevFormatIdName(mvBuf *buf, const char *elem, unsigned int id, const char *text,
                      const char *emptyEnd)
{
    if (text) {
        mvBufAsprintf(buf, "<%s id='0x%04x'>", elem, id);
        mvBufAddEscaped(buf, text);
        mvBufAsprintf(buf, "</%s>\n", elem);
    } else {
        mvBufAsprintf(buf, "<%s id='0x%04x'%s\n", elem, id, emptyEnd);
    }
}

static void
mvNodeDevFormatSystem(mvBuf *buf, const mvNodeDevCapSystem *s)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvBufEscapeString(buf, "<product>%s</product>\n", s->product);
    mvBufAdd(buf, "<hardware>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", s->hwVendor);
    mvBufEscapeString(buf, "<version>%s</version>\n", s->hwVersion);
    mvBufEscapeString(buf, "<serial>%s</serial>\n", s->hwSerial);
    mvBufAsprintf(buf, "<uuid>%s</uuid>\n", mvUUIDFormat(s->hwUUID, uuidstr));
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</hardware>\n");
    mvBufAdd(buf, "<firmware>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", s->fwVendor);
    mvBufEscapeString(buf, "<version>%s</version>\n", s->fwVersion);
    mvBufEscapeString(buf, "<release_date>%s</release_date>\n", s->fwReleaseDate);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</firmware>\n");
}

static void
mvNodeDevFormatPCIELink(mvBuf *buf, const char *validity, const mvNodeDevPCIELink *l)
{
    if (!l->present)
        return;
    mvBufAsprintf(buf, "<link validity='%s'", validity);
    if (l->port >= 0)
        mvBufAsprintf(buf, " port='%d'", l->port);
    if (l->speed)
        mvBufAsprintf(buf, " speed='%s'", l->speed);
    mvBufAsprintf(buf, " width='%u'/>\n", l->width);
}

static void
mvNodeDevFormatMdevTypes(mvBuf *buf, const GPtrArray *types)
{
    guint i;

    mvBufAdd(buf, "<capability type='mdev_types'>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < types->len; i++) {
        const mvNodeDevMdevType *t = g_ptr_array_index(types, i);

        mvBufEscapeString(buf, "<type id='%s'>\n", t->id);
        mvBufAdjustIndent(buf, 2);
        mvBufEscapeString(buf, "<name>%s</name>\n", t->name);
        mvBufEscapeString(buf, "<deviceAPI>%s</deviceAPI>\n", t->deviceAPI);
        mvBufAsprintf(buf, "<availableInstances>%u</availableInstances>\n",
                      t->availableInstances);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</type>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</capability>\n");
}

static void
mvNodeDevFormatPCI(mvBuf *buf, const mvNodeDevCapPCI *p)
{
    if (p->klass >= 0)
        mvBufAsprintf(buf, "<class>0x%06x</class>\n", (unsigned int)p->klass);
    mvBufAsprintf(buf, "<domain>%u</domain>\n", p->domain);
    mvBufAsprintf(buf, "<bus>%u</bus>\n", p->bus);
    mvBufAsprintf(buf, "<slot>%u</slot>\n", p->slot);
    mvBufAsprintf(buf, "<function>%u</function>\n", p->function);
    mvNodeDevFormatIdName(buf, "product", p->product, p->productName, "/>");
    mvNodeDevFormatIdName(buf, "vendor", p->vendor, p->vendorName, "/>");
    if (p->hasPhysFunction) {
        mvBufAdd(buf, "<capability type='phys_function'>\n");
        mvBufAdjustIndent(buf, 2);
        mvNodeDevFormatPCIAddress(buf, &p->physFunction);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</capability>\n");
    }
    if (p->hasVirtFunctions) {
        mvBufAdd(buf, "<capability type='virt_functions'");
        if (p->maxVirtFunctions)
            mvBufAsprintf(buf, " maxCount='%u'", p->maxVirtFunctions);
        if (p->virtFunctions->len == 0) {
            mvBufAdd(buf, "/>\n");
        } else {
            mvBufAdd(buf, ">\n");
            mvBufAdjustIndent(buf, 2);
            mvNodeDevFormatPCIAddressList(buf, p->virtFunctions);
            mvBufAdjustIndent(buf, -2);
            mvBufAdd(buf, "</capability>\n");
        }
    }
    if (p->mdevTypes && p->mdevTypes->len)
        mvNodeDevFormatMdevTypes(buf, p->mdevTypes);
    if (p->hasIommuGroup) {
        mvBufAsprintf(buf, "<iommuGroup number='%u'>\n", p->iommuGroup);
        mvBufAdjustIndent(buf, 2);
        mvNodeDevFormatPCIAddressList(buf, p->iommuDevices);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</iommuGroup>\n");
    }
    if (p->numaNode >= 0)
        mvBufAsprintf(buf, "<numa node='%d'/>\n", p->numaNode);
    if (p->hasPCIExpress) {
        mvBufAdd(buf, "<pci-express>\n");
        mvBufAdjustIndent(buf, 2);
        mvNodeDevFormatPCIELink(buf, "cap", &p->linkCap);
        mvNodeDevFormatPCIELink(buf, "sta", &p->linkSta);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</pci-express>\n");
    }
}

static void
mvNodeDevFormatNet(mvBuf *buf, const mvNodeDevCapNet *n)
{
    guint i;

    mvBufEscapeString(buf, "<interface>%s</interface>\n", n->ifname);
    mvBufEscapeString(buf, "<address>%s</address>\n", n->address);
    if (n->speed || n->state) {
        mvBufAdd(buf, "<link");
        if (n->speed)
            mvBufAsprintf(buf, " speed='%u'", n->speed);
        if (n->state)
            mvBufAsprintf(buf, " state='%s'", mvNodeDevLinkStateToString(n->state));
        mvBufAdd(buf, "/>\n");
    }
    for (i = 0; i < n->features->len; i++)
        mvBufEscapeString(buf, "<feature name='%s'/>\n", g_ptr_array_index(n->features, i));
    if (n->subtype != MV_NODE_DEV_NET_NONE)
        mvBufAsprintf(buf, "<capability type='%s'/>\n", mvNodeDevNetTypeNames[n->subtype]);
}

static void
mvNodeDevFormatSCSIHost(mvBuf *buf, const mvNodeDevCapSCSIHost *h)
{
    mvBufAsprintf(buf, "<host>%u</host>\n", h->host);
    if (h->uniqueId >= 0)
        mvBufAsprintf(buf, "<unique_id>%d</unique_id>\n", h->uniqueId);
    if (h->hasFC) {
        mvBufAdd(buf, "<capability type='fc_host'>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufEscapeString(buf, "<wwnn>%s</wwnn>\n", h->wwnn);
        mvBufEscapeString(buf, "<wwpn>%s</wwpn>\n", h->wwpn);
        mvBufEscapeString(buf, "<fabric_wwn>%s</fabric_wwn>\n", h->fabricWWN);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</capability>\n");
    }
    if (h->hasVportOps) {
        mvBufAdd(buf, "<capability type='vport_ops'>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufAsprintf(buf, "<max_vports>%u</max_vports>\n", h->maxVports);
        mvBufAsprintf(buf, "<vports>%u</vports>\n", h->vports);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</capability>\n");
    }
}

static void
mvNodeDevFormatBlockData(mvBuf *buf, const mvNodeDevCapStorage *s)
{
    if (s->logicalBlockSize > 0)
        mvBufAsprintf(buf, "<logical_block_size>%" G_GUINT64_FORMAT "</logical_block_size>\n",
                      s->logicalBlockSize);
    if (s->numBlocks > 0)
        mvBufAsprintf(buf, "<num_blocks>%" G_GUINT64_FORMAT "</num_blocks>\n", s->numBlocks);
}

static void
mvNodeDevFormatStorage(mvBuf *buf, const mvNodeDevCapStorage *s)
{
    mvBufEscapeString(buf, "<block>%s</block>\n", s->block);
    mvBufEscapeString(buf, "<bus>%s</bus>\n", s->bus);
    mvBufEscapeString(buf, "<drive_type>%s</drive_type>\n", s->driveType);
    mvBufEscapeString(buf, "<model>%s</model>\n", s->model);
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", s->vendor);
    mvBufEscapeString(buf, "<serial>%s</serial>\n", s->serial);
    if (s->removable) {
        mvBufAdd(buf, "<capability type='removable'>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufAsprintf(buf, "<media_available>%d</media_available>\n", s->mediaAvailable ? 1 : 0);
        mvBufAsprintf(buf, "<media_size>%" G_GUINT64_FORMAT "</media_size>\n", s->mediaSize);
        mvBufEscapeString(buf, "<media_label>%s</media_label>\n", s->mediaLabel);
        mvNodeDevFormatBlockData(buf, s);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</capability>\n");
    } else {
        mvBufAsprintf(buf, "<size>%" G_GUINT64_FORMAT "</size>\n", s->size);
        mvNodeDevFormatBlockData(buf, s);
    }
    if (s->hotpluggable)
        mvBufAdd(buf, "<capability type='hotpluggable'/>\n");
}

static void
mvNodeDevFormatMdev(mvBuf *buf, const mvNodeDevCapMdev *m)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];
    guint i;

    mvBufEscapeString(buf, "<type id='%s'/>\n", m->type);
    if (m->hasUUID)
        mvBufAsprintf(buf, "<uuid>%s</uuid>\n", mvUUIDFormat(m->uuid, uuidstr));
    mvBufAsprintf(buf, "<iommuGroup number='%u'/>\n", m->iommuGroup);
    for (i = 0; i < m->attrs->len; i++) {
        const mvNodeDevMdevAttr *a = g_ptr_array_index(m->attrs, i);

        mvBufAdd(buf, "<attr name='");
        mvBufAddEscaped(buf, a->name);
        mvBufAdd(buf, "' value='");
        mvBufAddEscaped(buf, a->value);
        mvBufAdd(buf, "'/>\n");
    }
}

static void
mvNodeDevFormatCap(mvBuf *buf, const mvNodeDevCap *cap)
{
    mvBufAsprintf(buf, "<capability type='%s'>\n", mvNodeDevCapTypeToString(cap->type));
    mvBufAdjustIndent(buf, 2);
    switch ((mvNodeDevCapType)cap->type) {
    case MV_NODE_DEV_CAP_SYSTEM:
        mvNodeDevFormatSystem(buf, &cap->data.system);
        break;
    case MV_NODE_DEV_CAP_PCI_DEV:
        mvNodeDevFormatPCI(buf, &cap->data.pci);
        break;
    case MV_NODE_DEV_CAP_USB_DEV:
        mvBufAsprintf(buf, "<bus>%u</bus>\n", cap->data.usbDev.bus);
        mvBufAsprintf(buf, "<device>%u</device>\n", cap->data.usbDev.device);
        mvNodeDevFormatIdName(buf, "product", cap->data.usbDev.product,
                              cap->data.usbDev.productName, " />");
        mvNodeDevFormatIdName(buf, "vendor", cap->data.usbDev.vendor,
                              cap->data.usbDev.vendorName, " />");
        break;
    case MV_NODE_DEV_CAP_USB_INTERFACE:
        mvBufAsprintf(buf, "<number>%u</number>\n", cap->data.usbIf.number);
        mvBufAsprintf(buf, "<class>%u</class>\n", cap->data.usbIf.klass);
        mvBufAsprintf(buf, "<subclass>%u</subclass>\n", cap->data.usbIf.subclass);
        mvBufAsprintf(buf, "<protocol>%u</protocol>\n", cap->data.usbIf.protocol);
        mvBufEscapeString(buf, "<description>%s</description>\n", cap->data.usbIf.description);
        break;
    case MV_NODE_DEV_CAP_NET:
        mvNodeDevFormatNet(buf, &cap->data.net);
        break;
    case MV_NODE_DEV_CAP_SCSI_HOST:
        mvNodeDevFormatSCSIHost(buf, &cap->data.scsiHost);
        break;
    case MV_NODE_DEV_CAP_SCSI:
        mvBufAsprintf(buf, "<host>%u</host>\n", cap->data.scsi.host);
        mvBufAsprintf(buf, "<bus>%u</bus>\n", cap->data.scsi.bus);
        mvBufAsprintf(buf, "<target>%u</target>\n", cap->data.scsi.target);
        mvBufAsprintf(buf, "<lun>%u</lun>\n", cap->data.scsi.lun);
        mvBufEscapeString(buf, "<type>%s</type>\n", cap->data.scsi.type);
        break;
    case MV_NODE_DEV_CAP_STORAGE:
        mvNodeDevFormatStorage(buf, &cap->data.storage);
        break;
    case MV_NODE_DEV_CAP_MDEV:
        mvNodeDevFormatMdev(buf, &cap->data.mdev);
        break;
    case MV_NODE_DEV_CAP_LAST:
        break;
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</capability>\n");
}

char *
mvNodeDeviceDefFormat(const mvNodeDeviceDef *def)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    guint i;

    mvBufAdd(&buf, "<device>\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->name);
    mvBufEscapeString(&buf, "<path>%s</path>\n", def->sysfsPath);
    mvBufEscapeString(&buf, "<devnode type='dev'>%s</devnode>\n", def->devnode);
    for (i = 0; i < def->devlinks->len; i++)
        mvBufEscapeString(&buf, "<devnode type='link'>%s</devnode>\n",
                          g_ptr_array_index(def->devlinks, i));
    mvBufEscapeString(&buf, "<parent>%s</parent>\n", def->parent);
    if (def->driver) {
        mvBufAdd(&buf, "<driver>\n");
        mvBufAdjustIndent(&buf, 2);
        mvBufEscapeString(&buf, "<name>%s</name>\n", def->driver);
        mvBufAdjustIndent(&buf, -2);
        mvBufAdd(&buf, "</driver>\n");
    }
    for (i = 0; i < def->caps->len; i++)
        mvNodeDevFormatCap(&buf, g_ptr_array_index(def->caps, i));
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</device>\n");
    return mvBufContentAndReset(&buf);
}
