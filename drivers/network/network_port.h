/*
 * network_port: the object model of a network port (<networkport> XML, the
 * virNetworkPort API): which guest NIC owns it, its MAC, and how the NIC is
 * plugged into the network (the bridge to attach a tap to).  The guest side
 * (virtqemud) sends the owner, MAC and optional settings; the network driver
 * fills in the plug.  Parse and format only, no I/O.
 *
 * Elements modvirt does not act on yet (<bandwidth>, <vlan>, <virtualport>)
 * are kept verbatim so a port survives a round trip and a daemon restart.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libxml/tree.h>

#include "mv_uuid.h"

typedef enum {
    MV_NETWORK_PORT_PLUG_NONE = 0,
    MV_NETWORK_PORT_PLUG_NETWORK,   /* a bridge the network created */
    MV_NETWORK_PORT_PLUG_BRIDGE,    /* an existing host bridge (forward mode bridge) */
    MV_NETWORK_PORT_PLUG_DIRECT,    /* macvtap on a host device */
    MV_NETWORK_PORT_PLUG_HOSTDEV_PCI,
    MV_NETWORK_PORT_PLUG_LAST
} mvNetworkPortPlugType;

const char *mvNetworkPortPlugTypeToString(int type);
int mvNetworkPortPlugTypeFromString(const char *str);

typedef struct {
    unsigned char uuid[MV_UUID_BUFLEN];
    char *ownerName;
    unsigned char ownerUUID[MV_UUID_BUFLEN];
    char *group;                /* portgroup, or NULL */
    unsigned char mac[6];
    int trustGuestRxFilters;    /* mvTristate */
    int isolatedPort;           /* mvTristate */
    char *virtualportXML;       /* verbatim elements, or NULL */
    char *bandwidthXML;
    char *vlanXML;
    int plugType;               /* mvNetworkPortPlugType */
    char *plugDev;              /* bridge name (network, bridge) or host device (direct) */
    int macTableManager;        /* mvNetworkMacTableManager (network, bridge) */
    char *directMode;           /* direct: vepa, bridge, private, passthrough */
} mvNetworkPortDef;

void mvNetworkPortDefFree(mvNetworkPortDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNetworkPortDef, mvNetworkPortDefFree);

/* Parses a <networkport> document; a missing <uuid> is generated.  Returns
 * the definition, or NULL with VIR_ERR_XML_ERROR / VIR_ERR_XML_DETAIL. */
mvNetworkPortDef *mvNetworkPortDefParse(const char *xml);
/* The same from an element of another document (status files). */
mvNetworkPortDef *mvNetworkPortDefParseNode(xmlNode *node);
/* Formats @def as libvirt does.  Never fails. */
char *mvNetworkPortDefFormat(const mvNetworkPortDef *def);
/* MAC address text of @def (a static-size buffer of 18 bytes). */
void mvNetworkPortFormatMAC(const unsigned char *mac, char buf[18]);
