/*
 * network_conf: the object model of a virtual network definition (<network>
 * XML): parse, validate, format.  No driver knowledge and no I/O: the network
 * driver decides what a definition means for bridges, dnsmasq and firewall.
 *
 * Parsing follows libvirt 9.0: the checks libvirt's own parser makes (bad
 * addresses, prefix/netmask conflicts, DHCP ranges outside their subnet or
 * reversed, forward-mode rules, DNS record rules) come first with libvirt's
 * exact wording; every document is then validated against
 * schemas/network.rng, so unknown elements or attributes are refused instead
 * of dropped.  With MV_NETWORK_PARSE_VALIDATE the schema runs first, like
 * libvirt's VIR_NETWORK_DEFINE_VALIDATE.  A few checks libvirt leaves to
 * dnsmasq (static hosts outside their subnet, duplicate host names or MACs)
 * are made here too, in our own words.
 *
 * Formatting reproduces libvirt's output byte for byte (element and attribute
 * order, defaults written back such as stp='on' delay='0', the forward dev
 * taken from the first interface).  libvirt 9.0 has no <title> or
 * <description> for networks; they are refused like any unknown element.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libxml/tree.h>

#include "mv_enum.h"
#include "mv_uuid.h"


typedef enum {
    MV_NETWORK_FORWARD_NONE = 0,
    MV_NETWORK_FORWARD_NAT,
    MV_NETWORK_FORWARD_ROUTE,
    MV_NETWORK_FORWARD_OPEN,
    MV_NETWORK_FORWARD_BRIDGE,
    MV_NETWORK_FORWARD_PRIVATE,
    MV_NETWORK_FORWARD_VEPA,
    MV_NETWORK_FORWARD_PASSTHROUGH,
    MV_NETWORK_FORWARD_HOSTDEV,
    MV_NETWORK_FORWARD_LAST
} mvNetworkForwardType;

typedef enum {
    MV_NETWORK_MAC_TABLE_MANAGER_DEFAULT = 0,
    MV_NETWORK_MAC_TABLE_MANAGER_KERNEL,
    MV_NETWORK_MAC_TABLE_MANAGER_LIBVIRT,
    MV_NETWORK_MAC_TABLE_MANAGER_LAST
} mvNetworkMacTableManager;

typedef enum {
    MV_NETWORK_LEASE_UNIT_SECONDS = 0,
    MV_NETWORK_LEASE_UNIT_MINUTES,
    MV_NETWORK_LEASE_UNIT_HOURS,
    MV_NETWORK_LEASE_UNIT_LAST
} mvNetworkLeaseUnit;

typedef enum {
    MV_NETWORK_FORWARD_DRIVER_DEFAULT = 0,
    MV_NETWORK_FORWARD_DRIVER_KVM,
    MV_NETWORK_FORWARD_DRIVER_VFIO,
    MV_NETWORK_FORWARD_DRIVER_LAST
} mvNetworkForwardDriver;

typedef enum {
    MV_NETWORK_VLAN_NATIVE_NONE = 0,
    MV_NETWORK_VLAN_NATIVE_TAGGED,
    MV_NETWORK_VLAN_NATIVE_UNTAGGED,
    MV_NETWORK_VLAN_NATIVE_LAST
} mvNetworkVlanNativeMode;

typedef enum {
    MV_NETWORK_VPORT_NONE = 0,
    MV_NETWORK_VPORT_8021QBG,
    MV_NETWORK_VPORT_8021QBH,
    MV_NETWORK_VPORT_OPENVSWITCH,
    MV_NETWORK_VPORT_MIDONET,
    MV_NETWORK_VPORT_LAST
} mvNetworkVirtPortType;

/* Enum tables: NULL / -1 (nothing reported) when out of range / unknown. */
const char *mvNetworkForwardTypeToString(int type);
int mvNetworkForwardTypeFromString(const char *str);
const char *mvNetworkMacTableManagerToString(int v);
int mvNetworkMacTableManagerFromString(const char *str);
const char *mvNetworkLeaseUnitToString(int v);
int mvNetworkLeaseUnitFromString(const char *str);
const char *mvNetworkForwardDriverToString(int v);
int mvNetworkForwardDriverFromString(const char *str);
const char *mvNetworkVlanNativeModeToString(int v);
int mvNetworkVlanNativeModeFromString(const char *str);
const char *mvNetworkVirtPortTypeToString(int v);
int mvNetworkVirtPortTypeFromString(const char *str);

/* An IPv4 or IPv6 address; family 0 means unset. */
typedef struct {
    int family;                 /* AF_INET, AF_INET6 or 0 */
    unsigned char bytes[16];    /* network order; 4 used for AF_INET */
} mvNetworkAddr;

/* Parses a numeric address (inet_pton).  @family AF_UNSPEC accepts both.
 * Returns 0, or -1 without reporting. */
int mvNetworkAddrParse(const char *str, int family, mvNetworkAddr *addr);
/* Canonical text of @addr (caller frees); NULL when unset. */
char *mvNetworkAddrFormat(const mvNetworkAddr *addr);
/* Whether @a and @b are the same address. */
bool mvNetworkAddrEqual(const mvNetworkAddr *a, const mvNetworkAddr *b);

typedef struct {
    bool present;
    unsigned long long expiry;  /* 0: infinite */
    int unit;                   /* mvNetworkLeaseUnit */
} mvNetworkLease;

typedef struct {
    mvNetworkAddr start;
    mvNetworkAddr end;
    mvNetworkLease lease;
} mvNetworkDHCPRange;

typedef struct {
    char *mac;                  /* as written; NULL when absent */
    char *id;                   /* DHCPv6 DUID */
    char *name;
    mvNetworkAddr ip;
    mvNetworkLease lease;
} mvNetworkDHCPHost;

typedef struct {
    char *family;               /* "ipv4", "ipv6" or NULL, as written */
    mvNetworkAddr address;
    mvNetworkAddr netmask;      /* unset when absent */
    unsigned int prefix;        /* 0 when absent */
    int localPtr;               /* mvTristate */
    char *tftproot;
    GArray *ranges;             /* of mvNetworkDHCPRange */
    GArray *hosts;              /* of mvNetworkDHCPHost */
    char *bootfile;
    mvNetworkAddr bootserver;
} mvNetworkIPDef;

typedef struct {
    char *domain;
    mvNetworkAddr addr;
} mvNetworkDNSForwarder;

typedef struct {
    char *name;
    char *value;
} mvNetworkDNSTxt;

typedef struct {
    char *service;
    char *protocol;
    char *domain;
    char *target;
    unsigned int port;
    unsigned int priority;
    unsigned int weight;
} mvNetworkDNSSrv;

typedef struct {
    mvNetworkAddr ip;
    GStrv names;
} mvNetworkDNSHost;

typedef struct {
    int enable;                 /* mvTristate */
    int forwardPlainNames;      /* mvTristate */
    GArray *forwarders;         /* of mvNetworkDNSForwarder */
    GArray *txts;               /* of mvNetworkDNSTxt */
    GArray *srvs;               /* of mvNetworkDNSSrv */
    GArray *hosts;              /* of mvNetworkDNSHost */
} mvNetworkDNSDef;

typedef struct {
    bool present;
    unsigned long long average;
    unsigned long long peak;
    unsigned long long burst;
} mvNetworkBandwidthRate;

typedef struct {
    mvNetworkBandwidthRate inbound;
    mvNetworkBandwidthRate outbound;
} mvNetworkBandwidth;

typedef struct {
    unsigned int id;
    int nativeMode;             /* mvNetworkVlanNativeMode */
} mvNetworkVlanTag;

typedef struct {
    bool trunk;
    GArray *tags;               /* of mvNetworkVlanTag; NULL when no <vlan> */
} mvNetworkVlan;

typedef struct {
    char *name;
    bool isDefault;
    int trustGuestRxFilters;    /* mvTristate */
    int virtPortType;           /* mvNetworkVirtPortType */
    mvNetworkBandwidth *bandwidth;
    mvNetworkVlan vlan;
} mvNetworkPortGroup;

typedef struct {
    char *family;               /* as written, or NULL */
    mvNetworkAddr address;
    mvNetworkAddr netmask;
    bool hasPrefix;
    unsigned int prefix;
    mvNetworkAddr gateway;
    bool hasMetric;
    unsigned int metric;
} mvNetworkRoute;

typedef struct {
    int type;                   /* mvNetworkForwardType */
    bool managed;
    int driverName;             /* mvNetworkForwardDriver */
    GStrv ifs;                  /* <interface dev> list (first = forward dev) */
    char *pf;                   /* <pf dev>, or NULL */
    mvNetworkAddr natStart;
    mvNetworkAddr natEnd;
    unsigned int portStart;
    unsigned int portEnd;
    int natIPv6;                /* mvTristate */
} mvNetworkForwardDef;

typedef struct _mvNetworkDef mvNetworkDef;
struct _mvNetworkDef {
    unsigned int connections;   /* live only */
    bool ipv6nogw;
    int trustGuestRxFilters;    /* mvTristate */
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    xmlNode *metadata;          /* copy of <metadata>, own document; or NULL */
    mvNetworkForwardDef forward;
    char *bridge;
    char *bridgeZone;
    bool stp;                   /* default on */
    unsigned long delay;
    int macTableManager;        /* mvNetworkMacTableManager */
    bool macSpecified;
    unsigned char mac[6];
    unsigned int mtu;
    char *domain;
    int domainLocalOnly;        /* mvTristate */
    mvNetworkDNSDef dns;
    mvNetworkVlan vlan;
    mvNetworkBandwidth *bandwidth;
    int isolatedPort;           /* mvTristate */
    GPtrArray *ips;             /* of mvNetworkIPDef */
    GPtrArray *routes;          /* of mvNetworkRoute */
    int virtPortType;           /* mvNetworkVirtPortType */
    GPtrArray *portGroups;      /* of mvNetworkPortGroup */
};

mvNetworkDef *mvNetworkDefNew(void);
void mvNetworkDefFree(mvNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNetworkDef, mvNetworkDefFree);

typedef enum {
    /* validate against the schema before anything else (libvirt's
     * VIR_NETWORK_DEFINE_VALIDATE) */
    MV_NETWORK_PARSE_VALIDATE = 1 << 0,
} mvNetworkParseFlags;

typedef enum {
    /* the persistent config: no connection counts (libvirt's
     * VIR_NETWORK_XML_INACTIVE) */
    MV_NETWORK_FORMAT_INACTIVE = 1 << 0,
} mvNetworkFormatFlags;

/* Name used for network documents in messages. */
#define MV_NETWORK_XML_NAME "(network_definition)"
/* Schema file of networks. */
#define MV_NETWORK_SCHEMA "network.rng"

/* Parses @xml; a missing <uuid> is generated.  Returns the definition, or
 * NULL with an error reported (VIR_ERR_XML_DETAIL, VIR_ERR_XML_ERROR,
 * VIR_ERR_NO_NAME, VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED or
 * VIR_ERR_INTERNAL_ERROR, with libvirt's texts where libvirt has them). */
mvNetworkDef *mvNetworkDefParse(const char *xml, unsigned int flags);
/* Parses the file @path the same way (document named after the file). */
mvNetworkDef *mvNetworkDefParseFile(const char *path, unsigned int flags);
/* Formats @def as libvirt does, byte for byte.  Never fails. */
char *mvNetworkDefFormat(const mvNetworkDef *def, unsigned int flags);

/* The @n-th <ip> of @family (AF_INET, AF_INET6, or AF_UNSPEC for any), or
 * NULL.  Never reports. */
mvNetworkIPDef *mvNetworkDefGetIPByIndex(const mvNetworkDef *def, int family, size_t n);
/* The first <ip> of @family, or NULL. */
mvNetworkIPDef *mvNetworkDefGetIPByFamily(const mvNetworkDef *def, int family);
/* Effective prefix of @ip: the prefix, else from the netmask, else the
 * classful default for IPv4 (libvirt's rule) or 64 for IPv6; -1 if none. */
int mvNetworkIPDefPrefix(const mvNetworkIPDef *ip);
/* Whether @addr lies in @ip's subnet. */
bool mvNetworkIPDefContains(const mvNetworkIPDef *ip, const mvNetworkAddr *addr);
/* Forward interface @n (the first is the forward dev), or NULL. */
const char *mvNetworkDefForwardIf(const mvNetworkDef *def, size_t n);
/* Portgroup called @name, or the default one when @name is NULL; NULL if
 * none.  Never reports. */
mvNetworkPortGroup *mvNetworkDefFindPortGroup(const mvNetworkDef *def, const char *name);
/* Gives the bridge a random 52:54:00 MAC when none was specified (what
 * libvirt's network driver does on define for bridge-backed networks). */
void mvNetworkDefSetBridgeMAC(mvNetworkDef *def);
/* Whether the forward mode uses a bridge the network creates (none, nat,
 * route, open). */
bool mvNetworkDefHasOwnBridge(const mvNetworkDef *def);
