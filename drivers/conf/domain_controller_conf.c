/*
 * domain_controller_conf: <controller> elements of a domain definition:
 * parse, format, the USB2 companion rules (a master EHCI with its UHCI
 * companions at one index) and index assignment, placed the way libvirt
 * places controllers while parsing.
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


void
mvDomainControllerDefFree(gpointer p)
{
    mvDomainControllerDef *c = p;

    g_free(c->model);
    g_free(c->modelName);
    mvDomainDeviceInfoClear(&c->info);
    g_free(c);
}

mvDomainControllerDef *
mvDomainControllerParse(const xmlNode *n, unsigned int flags)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(mvDomainControllerDefFree);
    mvDomainControllerDef *ctrl = g_new0(mvDomainControllerDef, 1);
    xmlNode *c;
    int rc;

    g_ptr_array_add(keep, ctrl);
    ctrl->ports = ctrl->vectors = ctrl->chassis = ctrl->port = ctrl->busNr = -1;
    if (mvDomainCheckNode(n, (const char *[]){ "type", "index", "model", "ports", "vectors",
                                               NULL },
                          (const char *[]){ "model", "target", "master", "address", "alias",
                                            NULL }) < 0 ||
        mvXMLPropEnum(n, "type", (const char * const[]){ "ide", "fdc", "scsi", "sata",
                                                         "virtio-serial", "ccid", "usb",
                                                         "pci", "xenbus", "isa" },
                      MV_CONTROLLER_LAST, &ctrl->type) < 0 ||
        (rc = mvXMLPropUInt(n, "index", &ctrl->index)) < 0 ||
        mvDomainPropInt(n, "ports", &ctrl->ports) < 0 ||
        mvDomainPropInt(n, "vectors", &ctrl->vectors) < 0)
        return NULL;
    if (!xmlHasProp(n, (const xmlChar *)"type")) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing controller type");
        return NULL;
    }
    if (rc == 0)
        ctrl->index = G_MAXUINT;    /* assigned in post-parse */
    ctrl->model = mvDomainProp(n, "model");
    if ((c = mvXMLChildFind(n, "model"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "name", NULL }, NULL) < 0)
            return NULL;
        ctrl->modelName = mvDomainProp(c, "name");
    }
    if ((c = mvXMLChildFind(n, "target"))) {
        g_autofree char *port = NULL;
        char *end = NULL;

        if (mvDomainCheckNode(c, (const char *[]){ "chassis", "port", "busNr", NULL },
                              NULL) < 0 ||
            mvDomainPropInt(c, "chassis", &ctrl->chassis) < 0 ||
            mvDomainPropInt(c, "busNr", &ctrl->busNr) < 0)
            return NULL;
        if ((port = mvDomainProp(c, "port"))) {
            guint64 v = g_ascii_strtoull(port, &end, 0);

            if (!g_ascii_isdigit(port[0]) || *end || v > 255) {
                mvReportError(VIR_ERR_XML_ERROR, "Invalid port '%s' in PCI controller target",
                              port);
                return NULL;
            }
            ctrl->port = (int)v;
        }
    }
    if ((c = mvXMLChildFind(n, "master"))) {
        if (mvDomainCheckNode(c, (const char *[]){ "startport", NULL }, NULL) < 0 ||
            mvXMLPropUInt(c, "startport", &ctrl->masterStartPort) < 0)
            return NULL;
        ctrl->master = true;
    } else if (ctrl->type == MV_CONTROLLER_USB && ctrl->model &&
               g_str_has_prefix(ctrl->model, "ich9-uhci") &&
               ctrl->model[9] >= '1' && ctrl->model[9] <= '3' && !ctrl->model[10]) {
        /* a UHCI companion written without <master> serves its usual
         * pair of ports: 0-1, 2-3 or 4-5 */
        ctrl->master = true;
        ctrl->masterStartPort = (unsigned int)(ctrl->model[9] - '1') * 2;
    }
    if (mvDomainDeviceInfoParse(n, &ctrl->info, flags, false) < 0)
        return NULL;
    return g_ptr_array_steal_index(keep, 0);
}

/* Whether @c belongs to a USB2 group: the ich9-ehci1 and its UHCI
 * companions, which share one index and one PCI slot. */
bool
mvDomainControllerIsUSB2(const mvDomainControllerDef *c)
{
    return c->type == MV_CONTROLLER_USB && c->model &&
           (strcmp(c->model, "ich9-ehci1") == 0 || strcmp(c->model, "ich9-uhci1") == 0 ||
            strcmp(c->model, "ich9-uhci2") == 0 || strcmp(c->model, "ich9-uhci3") == 0);
}

/* What libvirt checks of the USB controllers as it reads them: model
 * 'none' excludes every other USB controller, and companions need a
 * master controller.  Returns 0 or -1 (reported). */
int
mvDomainControllersCheckUSB(const mvDomainDef *def)
{
    bool none = false, other = false, master = false;

    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type != MV_CONTROLLER_USB)
            continue;
        if (g_strcmp0(c->model, "none") == 0)
            none = true;
        else
            other = true;
        if (!c->master)
            master = true;
    }
    if (none && other) {
        mvReportError(VIR_ERR_XML_DETAIL, "%s",
                      "Can't add another USB controller: USB is disabled for this domain");
        return -1;
    }
    if (other && !master) {
        mvReportError(VIR_ERR_XML_DETAIL, "%s", "No master USB controller specified");
        return -1;
    }
    return 0;
}

void
mvDomainControllerFormat(mvBuf *buf, const mvDomainControllerDef *ctrl, unsigned int flags)
{
    g_auto(mvBuf) body = MV_CHILD_BUF(buf);
    g_autoptr(GString) head = g_string_new(NULL);

    g_string_append_printf(head, "<controller type='%s' index='%u'",
                           mvControllerTypeToString(ctrl->type), ctrl->index);
    if (ctrl->model) {
        g_autofree char *m = g_markup_escape_text(ctrl->model, -1);

        g_string_append_printf(head, " model='%s'", m);
    }
    if (ctrl->ports >= 0)
        g_string_append_printf(head, " ports='%d'", ctrl->ports);
    if (ctrl->vectors >= 0)
        g_string_append_printf(head, " vectors='%d'", ctrl->vectors);
    mvBufEscapeString(&body, "<model name='%s'/>\n", ctrl->modelName);
    if (ctrl->chassis >= 0 || ctrl->port >= 0 || ctrl->busNr >= 0) {
        mvBufAdd(&body, "<target");
        if (ctrl->chassis >= 0)
            mvBufAsprintf(&body, " chassis='%d'", ctrl->chassis);
        if (ctrl->port >= 0)
            mvBufAsprintf(&body, " port='0x%x'", ctrl->port);
        if (ctrl->busNr >= 0)
            mvBufAsprintf(&body, " busNr='%d'", ctrl->busNr);
        mvBufAdd(&body, "/>\n");
    }
    if (ctrl->master) {
        /* <master> goes between <alias> and <address> */
        mvDomainDeviceInfo alias = ctrl->info;
        mvDomainDeviceInfo address = { .addr = ctrl->info.addr };

        alias.addr.type = MV_DOMAIN_ADDRESS_NONE;
        mvDomainDeviceInfoFormat(&body, &alias, flags);
        mvBufAsprintf(&body, "<master startport='%u'/>\n", ctrl->masterStartPort);
        mvDomainDeviceInfoFormat(&body, &address, flags);
    } else {
        mvDomainDeviceInfoFormat(&body, &ctrl->info, flags);
    }
    mvDomainFormatElement(buf, "controller", head->str, &body);
}

/* The index of the USB2 group @c (a USB2 controller at @pos without an
 * index) joins, G_MAXUINT for none: the group of the USB controller just
 * before it, when that is a USB2 controller too and its group has no
 * controller of @c's model yet (libvirt's reading of the intent). */
static unsigned int
mvDomainControllerUSB2GroupIndex(const mvDomainDef *def, guint pos,
                                 const mvDomainControllerDef *c)
{
    const mvDomainControllerDef *prev = NULL;

    for (guint i = pos; i-- > 0;) {
        const mvDomainControllerDef *o = g_ptr_array_index(def->controllers, i);

        if (o->type == MV_CONTROLLER_USB) {
            prev = o;
            break;
        }
    }
    if (!prev || !mvDomainControllerIsUSB2(prev))
        return G_MAXUINT;
    for (guint i = 0; i < def->controllers->len; i++) {
        const mvDomainControllerDef *o = g_ptr_array_index(def->controllers, i);

        if (o->type == MV_CONTROLLER_USB && o->index == prev->index &&
            g_strcmp0(o->model, c->model) == 0)
            return G_MAXUINT;
    }
    return prev->index;
}

/* Gives every controller written without an index one, in document
 * order: the lowest unused index of its type, except that a USB2
 * companion written after its group takes the group's index. */
void
mvDomainControllersAssignIndexes(mvDomainDef *def)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        unsigned int idx = G_MAXUINT;

        if (c->index != G_MAXUINT)
            continue;
        if (i > 0 && mvDomainControllerIsUSB2(c))
            idx = mvDomainControllerUSB2GroupIndex(def, i, c);
        if (idx == G_MAXUINT) {
            idx = 0;
            while (mvDomainDefFindController(def, c->type, idx))
                idx++;
        }
        c->index = idx;
    }
}

/* Inserts like libvirt does for controllers added after parsing (hotplug,
 * driver defaults) and, while parsing, for USB controllers: one without an
 * index yet right after the last of its type; else before the first of its
 * type with a higher index, a master before the companions of its index,
 * else after the last of its type; else at the end.  (libvirt places every
 * controller so while parsing, which makes its own output of, say, a q35
 * guest come back in another order; modvirt keeps document order for the
 * other types, so that its output is a fixed point.) */
void
mvDomainControllerInsert(mvDomainDef *def, mvDomainControllerDef *ctrl)
{
    gint at = -1;
    gint i;

    for (i = (gint)def->controllers->len - 1; i >= 0; i--) {
        mvDomainControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type != ctrl->type)
            continue;
        if (ctrl->index == G_MAXUINT) {
            at = i + 1;
            break;
        }
        /* one without an index yet counts as lower than any */
        if (c->index != G_MAXUINT && c->index > ctrl->index)
            at = i;
        else if (!ctrl->master && c->master && c->index == ctrl->index)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    if (at < 0)
        g_ptr_array_add(def->controllers, ctrl);
    else
        g_ptr_array_insert(def->controllers, at, ctrl);
}
