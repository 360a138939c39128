/*
 * network_port: see network_port.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "mv_buf.h"
#include "mv_enum.h"
#include "mv_error.h"
#include "mv_xml.h"
#include "network_conf.h"
#include "network_port.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

MV_ENUM_IMPL(mvNetworkPortPlugType, MV_NETWORK_PORT_PLUG_LAST,
             "none", "network", "bridge", "direct", "hostdev-pci");

void
mvNetworkPortDefFree(mvNetworkPortDef *def)
{
    if (!def)
        return;
    g_free(def->ownerName);
    g_free(def->group);
    g_free(def->virtualportXML);
    g_free(def->bandwidthXML);
    g_free(def->vlanXML);
    g_free(def->plugDev);
    g_free(def->directMode);
    g_free(def);
}

void
mvNetworkPortFormatMAC(const unsigned char *mac, char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int
parseMAC(const char *str, unsigned char *mac)
{
    unsigned int b[6];
    char tail;

    if (!str || sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
                       &b[5], &tail) != 6 || strlen(str) != 17)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (unsigned char)b[i];
    return 0;
}

/* The element as text, to be written back unchanged. */
static char *
dumpNode(xmlNode *node)
{
    xmlBuffer *xbuf = xmlBufferCreate();
    char *out;

    xmlNodeDump(xbuf, node->doc, node, 0, 0);
    out = g_strdup((const char *)xmlBufferContent(xbuf));
    xmlBufferFree(xbuf);
    return out;
}

static int
parseUUIDChild(xmlNode *parent, const char *what, unsigned char *uuid, bool required)
{
    g_autofree char *text = NULL;

    if (mvXMLChildString(parent, "uuid", &text) <= 0) {
        if (!required)
            return 0;
        mvReportError(VIR_ERR_XML_ERROR, "network port %s has no <uuid>; add the UUID of "
                      "the %s", what, what);
        return -1;
    }
    g_strstrip(text);
    if (mvUUIDParse(text, uuid) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "network port %s uuid '%s' is not a valid UUID",
                      what, text);
        return -1;
    }
    return 1;
}

static int
parsePlug(xmlNode *plug, mvNetworkPortDef *def)
{
    g_autofree char *type = NULL;
    g_autofree char *mtm = NULL;

    if (mvXMLPropString(plug, "type", &type) <= 0 ||
        (def->plugType = mvNetworkPortPlugTypeFromString(type)) <= 0) {
        mvReportError(VIR_ERR_XML_ERROR, "network port <plug> needs a type of network, "
                      "bridge, direct or hostdev-pci, not '%s'", type ? type : "");
        return -1;
    }
    switch ((mvNetworkPortPlugType)def->plugType) {
    case MV_NETWORK_PORT_PLUG_NETWORK:
    case MV_NETWORK_PORT_PLUG_BRIDGE:
        if (mvXMLPropString(plug, "bridge", &def->plugDev) <= 0) {
            mvReportError(VIR_ERR_XML_ERROR, "network port <plug type='%s'> needs a bridge "
                          "attribute", type);
            return -1;
        }
        if (mvXMLPropString(plug, "macTableManager", &mtm) > 0 &&
            (def->macTableManager = mvNetworkMacTableManagerFromString(mtm)) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "unknown macTableManager '%s' in network port "
                          "<plug>; use kernel or libvirt", mtm);
            return -1;
        }
        break;
    case MV_NETWORK_PORT_PLUG_DIRECT:
        if (mvXMLPropString(plug, "dev", &def->plugDev) <= 0) {
            mvReportError(VIR_ERR_XML_ERROR, "network port <plug type='direct'> needs a dev "
                          "attribute");
            return -1;
        }
        if (mvXMLPropString(plug, "mode", &def->directMode) < 0)
            return -1;
        break;
    case MV_NETWORK_PORT_PLUG_HOSTDEV_PCI:
    case MV_NETWORK_PORT_PLUG_NONE:
    case MV_NETWORK_PORT_PLUG_LAST:
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "network port <plug type='%s'> is not "
                      "supported by modvirt", type);
        return -1;
    }
    return 0;
}

mvNetworkPortDef *
mvNetworkPortDefParseNode(xmlNode *root)
{
    g_autoptr(mvNetworkPortDef) def = g_new0(mvNetworkPortDef, 1);
    g_autofree char *mac = NULL;
    xmlNode *owner, *node;
    int rc;

    if (!root || g_strcmp0((const char *)root->name, "networkport") != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "expected a <networkport> element, not <%s>",
                      root ? (const char *)root->name : "");
        return NULL;
    }
    if ((rc = parseUUIDChild(root, "port", def->uuid, false)) < 0)
        return NULL;
    if (rc == 0)
        mvUUIDGenerate(def->uuid);

    if (!(owner = mvXMLChildFind(root, "owner"))) {
        mvReportError(VIR_ERR_XML_ERROR, "network port has no <owner>; name the guest "
                      "that uses it with <owner><name/><uuid/></owner>");
        return NULL;
    }
    if (mvXMLChildString(owner, "name", &def->ownerName) <= 0 || !*def->ownerName) {
        mvReportError(VIR_ERR_XML_ERROR, "network port <owner> has no <name>; add the "
                      "guest's name");
        return NULL;
    }
    if (parseUUIDChild(owner, "owner", def->ownerUUID, true) < 0)
        return NULL;
    if (mvXMLChildString(root, "group", &def->group) < 0)
        return NULL;

    if (!(node = mvXMLChildFind(root, "mac")) || mvXMLPropString(node, "address", &mac) <= 0) {
        mvReportError(VIR_ERR_XML_ERROR, "network port has no <mac address='...'/>; add the "
                      "guest NIC's MAC address");
        return NULL;
    }
    if (parseMAC(mac, def->mac) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "network port MAC address '%s' is not of the form "
                      "xx:xx:xx:xx:xx:xx", mac);
        return NULL;
    }
    if ((node = mvXMLChildFind(root, "rxfilters"))) {
        g_autofree char *trust = NULL;

        if (mvXMLPropString(node, "trustGuest", &trust) > 0 &&
            (def->trustGuestRxFilters = mvTristateFromString(trust)) <= 0) {
            mvReportError(VIR_ERR_XML_ERROR, "<rxfilters trustGuest='%s'> must be yes or no",
                          trust);
            return NULL;
        }
    }
    if ((node = mvXMLChildFind(root, "port"))) {
        g_autofree char *iso = NULL;

        if (mvXMLPropString(node, "isolated", &iso) > 0 &&
            (def->isolatedPort = mvTristateFromString(iso)) <= 0) {
            mvReportError(VIR_ERR_XML_ERROR, "<port isolated='%s'> must be yes or no", iso);
            return NULL;
        }
    }
    if ((node = mvXMLChildFind(root, "virtualport")))
        def->virtualportXML = dumpNode(node);
    if ((node = mvXMLChildFind(root, "bandwidth")))
        def->bandwidthXML = dumpNode(node);
    if ((node = mvXMLChildFind(root, "vlan")))
        def->vlanXML = dumpNode(node);
    if ((node = mvXMLChildFind(root, "plug")) && parsePlug(node, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvNetworkPortDef *
mvNetworkPortDefParse(const char *xml)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, "(networkport_definition)", "networkport",
                                 VIR_FROM_NETWORK)))
        return NULL;
    return mvNetworkPortDefParseNode(xmlDocGetRootElement(doc));
}

static void
formatVerbatim(mvBuf *buf, const char *text)
{
    if (!text)
        return;
    mvBufAdd(buf, "");
    for (int i = 0; i < buf->indent; i++)
        g_string_append_c(buf->str, ' ');
    g_string_append(buf->str, text);
    g_string_append_c(buf->str, '\n');
}

char *
mvNetworkPortDefFormat(const mvNetworkPortDef *def)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    char uuidstr[MV_UUID_STRING_BUFLEN];
    char mac[18];

    mvBufAdd(&buf, "<networkport>\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->uuid, uuidstr));
    mvBufAdd(&buf, "<owner>\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->ownerName);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->ownerUUID, uuidstr));
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</owner>\n");
    mvBufEscapeString(&buf, "<group>%s</group>\n", def->group);
    mvNetworkPortFormatMAC(def->mac, mac);
    mvBufAsprintf(&buf, "<mac address='%s'/>\n", mac);
    formatVerbatim(&buf, def->virtualportXML);
    formatVerbatim(&buf, def->bandwidthXML);
    formatVerbatim(&buf, def->vlanXML);
    if (def->isolatedPort)
        mvBufAsprintf(&buf, "<port isolated='%s'/>\n", mvTristateToString(def->isolatedPort));
    if (def->trustGuestRxFilters)
        mvBufAsprintf(&buf, "<rxfilters trustGuest='%s'/>\n",
                      mvTristateToString(def->trustGuestRxFilters));
    switch ((mvNetworkPortPlugType)def->plugType) {
    case MV_NETWORK_PORT_PLUG_NETWORK:
    case MV_NETWORK_PORT_PLUG_BRIDGE:
        mvBufAsprintf(&buf, "<plug type='%s'", mvNetworkPortPlugTypeToString(def->plugType));
        mvBufEscapeString(&buf, " bridge='%s'", def->plugDev);
        if (def->macTableManager)
            mvBufAsprintf(&buf, " macTableManager='%s'",
                          mvNetworkMacTableManagerToString(def->macTableManager));
        mvBufAdd(&buf, "/>\n");
        break;
    case MV_NETWORK_PORT_PLUG_DIRECT:
        mvBufEscapeString(&buf, "<plug type='direct' dev='%s'", def->plugDev);
        mvBufEscapeString(&buf, " mode='%s'", def->directMode);
        mvBufAdd(&buf, "/>\n");
        break;
    case MV_NETWORK_PORT_PLUG_NONE:
    case MV_NETWORK_PORT_PLUG_HOSTDEV_PCI:
    case MV_NETWORK_PORT_PLUG_LAST:
        break;
    }
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</networkport>\n");
    return mvBufContentAndReset(&buf);
}
