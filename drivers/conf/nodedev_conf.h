/*
 * nodedev_conf: the object model of a host device description (<device>
 * XML, what `virsh nodedev-dumpxml` prints): parse, validate, format.  The
 * node-device driver fills these structs from sysfs and udev and formats
 * them; the parser serves nodedev-create / nodedev-define and the tests.
 *
 * A device has a name, an optional sysfs path, device nodes, a parent, the
 * kernel driver bound to it and one or more capabilities (system, pci,
 * usb_device, usb, net, scsi_host, scsi, storage, mdev), each with its own
 * data.  Output follows libvirt 9.0's layout byte for byte.  Every document
 * is validated against schemas/nodedev.rng, so unknown elements are refused
 * instead of dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "mv_uuid.h"

typedef enum {
    MV_NODE_DEV_CAP_SYSTEM,
    MV_NODE_DEV_CAP_PCI_DEV,
    MV_NODE_DEV_CAP_USB_DEV,
    MV_NODE_DEV_CAP_USB_INTERFACE,
    MV_NODE_DEV_CAP_NET,
    MV_NODE_DEV_CAP_SCSI_HOST,
    MV_NODE_DEV_CAP_SCSI,
    MV_NODE_DEV_CAP_STORAGE,
    MV_NODE_DEV_CAP_MDEV,
    MV_NODE_DEV_CAP_LAST
} mvNodeDevCapType;

/* "system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi",
 * "storage", "mdev"; NULL when out of range. */
const char *mvNodeDevCapTypeToString(int type);
/* The type for @str, or -1 (nothing reported). */
int mvNodeDevCapTypeFromString(const char *str);

/* Operational state of a network link (as /sys/class/net/X/operstate). */
typedef enum {
    MV_NODE_DEV_LINK_UNKNOWN,
    MV_NODE_DEV_LINK_NOTPRESENT,
    MV_NODE_DEV_LINK_DOWN,
    MV_NODE_DEV_LINK_LOWERLAYERDOWN,
    MV_NODE_DEV_LINK_TESTING,
    MV_NODE_DEV_LINK_DORMANT,
    MV_NODE_DEV_LINK_UP,
    MV_NODE_DEV_LINK_LAST
} mvNodeDevLinkState;

const char *mvNodeDevLinkStateToString(int state);
int mvNodeDevLinkStateFromString(const char *str);

typedef enum {
    MV_NODE_DEV_NET_NONE,       /* no sub-capability */
    MV_NODE_DEV_NET_80203,
    MV_NODE_DEV_NET_80211,
    MV_NODE_DEV_NET_LAST
} mvNodeDevNetType;

typedef struct {
    unsigned int domain;
    unsigned int bus;
    unsigned int slot;
    unsigned int function;
} mvNodeDevPCIAddress;

/* One link of <pci-express>: the capability ('cap') or status ('sta'). */
typedef struct {
    bool present;
    int port;                   /* -1 when absent */
    char *speed;                /* GT/s as text ("2.5", "8"), NULL when absent */
    unsigned int width;         /* 0 when absent */
} mvNodeDevPCIELink;

/* A mediated device type a parent offers (<capability type='mdev_types'>). */
typedef struct {
    char *id;
    char *name;                 /* NULL when absent */
    char *deviceAPI;
    unsigned int availableInstances;
} mvNodeDevMdevType;

typedef struct {
    char *name;
    char *value;
} mvNodeDevMdevAttr;

typedef struct {
    char *product;
    char *hwVendor, *hwVersion, *hwSerial;
    bool hasUUID;               /* required when parsing */
    unsigned char hwUUID[MV_UUID_BUFLEN];
    char *fwVendor, *fwVersion, *fwReleaseDate;
} mvNodeDevCapSystem;

typedef struct {
    int klass;                  /* PCI class code, -1 when absent */
    unsigned int domain, bus, slot, function;
    unsigned int product, vendor;
    char *productName, *vendorName;     /* NULL when absent */
    bool hasPhysFunction;
    mvNodeDevPCIAddress physFunction;
    bool hasVirtFunctions;      /* <capability type='virt_functions'> */
    unsigned int maxVirtFunctions;      /* 0 when absent */
    GArray *virtFunctions;      /* of mvNodeDevPCIAddress */
    GPtrArray *mdevTypes;       /* of mvNodeDevMdevType*; NULL/empty: none */
    bool hasIommuGroup;
    unsigned int iommuGroup;
    GArray *iommuDevices;       /* of mvNodeDevPCIAddress */
    int numaNode;               /* -1 when absent */
    bool hasPCIExpress;
    mvNodeDevPCIELink linkCap;
    mvNodeDevPCIELink linkSta;
} mvNodeDevCapPCI;

typedef struct {
    unsigned int bus, device;
    unsigned int product, vendor;
    char *productName, *vendorName;
} mvNodeDevCapUSBDev;

typedef struct {
    unsigned int number, klass, subclass, protocol;
    char *description;
} mvNodeDevCapUSBIf;

typedef struct {
    char *ifname;
    char *address;              /* MAC, NULL when absent */
    unsigned int speed;         /* Mb/s, 0 when unknown */
    int state;                  /* mvNodeDevLinkState */
    GPtrArray *features;        /* of char*, offload feature names */
    int subtype;                /* mvNodeDevNetType */
} mvNodeDevCapNet;

typedef struct {
    unsigned int host;
    int uniqueId;               /* -1 when absent */
    bool hasFC;
    char *wwnn, *wwpn, *fabricWWN;
    bool hasVportOps;
    unsigned int maxVports, vports;
} mvNodeDevCapSCSIHost;

typedef struct {
    unsigned int host, bus, target, lun;
    char *type;
} mvNodeDevCapSCSI;

typedef struct {
    char *block;
    char *bus, *driveType, *model, *vendor, *serial;
    bool removable;
    bool mediaAvailable;
    guint64 mediaSize;          /* removable media only */
    char *mediaLabel;
    guint64 size;               /* fixed disks only */
    guint64 logicalBlockSize, numBlocks;        /* 0 when unknown */
    bool hotpluggable;
} mvNodeDevCapStorage;

typedef struct {
    char *type;
    bool hasUUID;
    unsigned char uuid[MV_UUID_BUFLEN];
    unsigned int iommuGroup;    /* always written; 0 when unknown */
    GPtrArray *attrs;           /* of mvNodeDevMdevAttr*, in document order */
} mvNodeDevCapMdev;

typedef struct _mvNodeDevCap mvNodeDevCap;
struct _mvNodeDevCap {
    int type;                   /* mvNodeDevCapType: which member is used */
    union {
        mvNodeDevCapSystem system;
        mvNodeDevCapPCI pci;
        mvNodeDevCapUSBDev usbDev;
        mvNodeDevCapUSBIf usbIf;
        mvNodeDevCapNet net;
        mvNodeDevCapSCSIHost scsiHost;
        mvNodeDevCapSCSI scsi;
        mvNodeDevCapStorage storage;
        mvNodeDevCapMdev mdev;
    } data;
};

typedef struct _mvNodeDeviceDef mvNodeDeviceDef;
struct _mvNodeDeviceDef {
    char *name;
    char *sysfsPath;            /* <path>, NULL when absent */
    char *devnode;              /* <devnode type='dev'> */
    GPtrArray *devlinks;        /* of char*, <devnode type='link'> */
    char *parent;
    char *driver;               /* bound kernel driver, NULL when none */
    GPtrArray *caps;            /* of mvNodeDevCap*, at least one */
};

/* A capability of @type with its "absent" markers set (-1 values). */
mvNodeDevCap *mvNodeDevCapNew(int type);
void mvNodeDevCapFree(mvNodeDevCap *cap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNodeDevCap, mvNodeDevCapFree);

mvNodeDeviceDef *mvNodeDeviceDefNew(void);
void mvNodeDeviceDefFree(mvNodeDeviceDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNodeDeviceDef, mvNodeDeviceDefFree);

/* First capability of @type of @def, or NULL. */
mvNodeDevCap *mvNodeDeviceDefFindCap(const mvNodeDeviceDef *def, int type);

typedef enum {
    /* validate against the schema before anything else */
    MV_NODE_DEVICE_DEF_PARSE_VALIDATE = 1 << 0,
} mvNodeDeviceDefParseFlags;

/* Name used for node device documents in messages. */
#define MV_NODE_DEVICE_XML_NAME "(node_device_definition)"
#define MV_NODE_DEVICE_SCHEMA "nodedev.rng"

/* Parses @xml.  Returns the definition, or NULL with an error reported
 * (VIR_ERR_XML_DETAIL, VIR_ERR_XML_ERROR, VIR_ERR_XML_INVALID_SCHEMA or
 * VIR_ERR_INTERNAL_ERROR; messages name the element and its line). */
mvNodeDeviceDef *mvNodeDeviceDefParse(const char *xml, unsigned int flags);
mvNodeDeviceDef *mvNodeDeviceDefParseFile(const char *path, unsigned int flags);
/* Formats @def as libvirt does.  Never fails. */
char *mvNodeDeviceDefFormat(const mvNodeDeviceDef *def);
