/*
 * domain_conf: the object model of a domain definition (<domain> XML):
 * parse, check, format.  No driver knowledge and no I/O: what a QEMU driver
 * adds on define (default controllers, PCI addresses, machine-type
 * canonicalisation, disk driver names) is the driver's post-parse step, not
 * ours; what libvirt's generic domain code adds (a generated UUID and MAC,
 * <currentMemory> defaulting to <memory>, the console that mirrors the first
 * serial port, disk buses derived from the target name) is done here, so a
 * document libvirt dumped comes back out byte for byte.
 *
 * Coverage is deliberately partial and strict: every element and attribute
 * the parser does not model is refused with VIR_ERR_CONFIG_UNSUPPORTED
 * ("element <X> is not supported yet by modvirt") instead of being dropped.
 * Top-level elements live in domain_conf.c, devices in
 * domain_devices_conf.c; the helpers both share are in domain_conf_priv.h.
 *
 * Objects are plain data owned by their parent (mvDomainDef owns every
 * device); there is no locking, a definition belongs to one thread at a time.
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
    MV_DOMAIN_VIRT_QEMU,
    MV_DOMAIN_VIRT_KVM,
    MV_DOMAIN_VIRT_LAST
} mvDomainVirtType;
MV_ENUM_DECL(mvDomainVirt);

typedef enum {
    MV_DOMAIN_LIFECYCLE_DESTROY,
    MV_DOMAIN_LIFECYCLE_RESTART,
    MV_DOMAIN_LIFECYCLE_RESTART_RENAME,
    MV_DOMAIN_LIFECYCLE_PRESERVE,
    MV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    MV_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    MV_DOMAIN_LIFECYCLE_LAST
} mvDomainLifecycleAction;
MV_ENUM_DECL(mvDomainLifecycleAction);

typedef enum {
    MV_DOMAIN_BOOT_FLOPPY,
    MV_DOMAIN_BOOT_CDROM,
    MV_DOMAIN_BOOT_DISK,
    MV_DOMAIN_BOOT_NET,
    MV_DOMAIN_BOOT_LAST
} mvDomainBootDev;
MV_ENUM_DECL(mvDomainBootDev);

typedef enum {
    MV_DOMAIN_FEATURE_ACPI,
    MV_DOMAIN_FEATURE_APIC,
    MV_DOMAIN_FEATURE_PAE,
    MV_DOMAIN_FEATURE_HAP,
    MV_DOMAIN_FEATURE_HYPERV,
    MV_DOMAIN_FEATURE_VMPORT,
    MV_DOMAIN_FEATURE_SMM,
    MV_DOMAIN_FEATURE_LAST      /* in libvirt's output order */
} mvDomainFeature;
MV_ENUM_DECL(mvDomainFeature);

typedef enum {
    MV_DOMAIN_HYPERV_RELAXED,
    MV_DOMAIN_HYPERV_VAPIC,
    MV_DOMAIN_HYPERV_SPINLOCKS,
    MV_DOMAIN_HYPERV_LAST
} mvDomainHyperv;
MV_ENUM_DECL(mvDomainHyperv);

typedef enum {
    MV_CPU_MODE_CUSTOM,
    MV_CPU_MODE_HOST_MODEL,
    MV_CPU_MODE_HOST_PASSTHROUGH,
    MV_CPU_MODE_MAXIMUM,
    MV_CPU_MODE_LAST
} mvCPUMode;
MV_ENUM_DECL(mvCPUMode);

typedef enum {
    MV_CLOCK_OFFSET_UTC,
    MV_CLOCK_OFFSET_LOCALTIME,
    MV_CLOCK_OFFSET_VARIABLE,
    MV_CLOCK_OFFSET_TIMEZONE,
    MV_CLOCK_OFFSET_LAST
} mvClockOffset;
MV_ENUM_DECL(mvClockOffset);

/* <address type=...> */
typedef enum {
    MV_DOMAIN_ADDRESS_NONE,
    MV_DOMAIN_ADDRESS_PCI,
    MV_DOMAIN_ADDRESS_DRIVE,
    MV_DOMAIN_ADDRESS_VIRTIO_SERIAL,
    MV_DOMAIN_ADDRESS_CCW,
    MV_DOMAIN_ADDRESS_USB,
    MV_DOMAIN_ADDRESS_LAST
} mvDomainAddressType;
MV_ENUM_DECL(mvDomainAddressType);

typedef struct {
    int type;                   /* mvDomainAddressType */
    /* pci */
    unsigned int domain, bus, slot, function;
    int multifunction;          /* mvTristate (on/off) */
    /* drive (bus also), virtio-serial (bus also) */
    unsigned int controller, target, unit, port;
    /* ccw */
    unsigned int cssid, ssid, devno;
    /* usb: bus above, port path such as "1.2" */
    char *usbPort;
} mvDomainDeviceAddress;

/* What every device carries. */
typedef struct {
    mvDomainDeviceAddress addr;
    unsigned int bootIndex;     /* <boot order>, 0 when absent */
    char *alias;                /* live only */
} mvDomainDeviceInfo;

/* ---- disks ---- */
typedef enum {
    MV_STORAGE_FILE,
    MV_STORAGE_BLOCK,
    MV_STORAGE_NETWORK,
    MV_STORAGE_VOLUME,
    MV_STORAGE_LAST
} mvStorageType;
MV_ENUM_DECL(mvStorageType);

typedef enum {
    MV_DISK_DEVICE_DISK,
    MV_DISK_DEVICE_CDROM,
    MV_DISK_DEVICE_FLOPPY,
    MV_DISK_DEVICE_LUN,
    MV_DISK_DEVICE_LAST
} mvDiskDevice;
MV_ENUM_DECL(mvDiskDevice);

typedef enum {
    MV_DISK_BUS_NONE,
    MV_DISK_BUS_IDE,
    MV_DISK_BUS_FDC,
    MV_DISK_BUS_SCSI,
    MV_DISK_BUS_VIRTIO,
    MV_DISK_BUS_XEN,
    MV_DISK_BUS_USB,
    MV_DISK_BUS_SATA,
    MV_DISK_BUS_SD,
    MV_DISK_BUS_LAST
} mvDiskBus;
MV_ENUM_DECL(mvDiskBus);

typedef struct {
    char *name;                 /* host name, or NULL for a unix socket */
    char *port;
    char *transport;            /* tcp, unix, rdma; NULL when absent */
    char *socket;
} mvStorageHost;

typedef struct _mvStorageSource mvStorageSource;
struct _mvStorageSource {
    int type;                   /* mvStorageType */
    char *path;                 /* file or dev */
    char *protocol;             /* network */
    char *name;                 /* network: export / image name */
    mvStorageHost *hosts;
    size_t nhosts;
    char *pool, *volume;        /* volume */
    char *format;               /* <format type> of a backing store */
    /* <encryption> written inside <source> */
    char *encFormat;
    char *encEngine;            /* qemu, librbd; NULL when absent */
    char *encSecretType;
    unsigned char encSecretUUID[MV_UUID_BUFLEN];
    bool hasEncryption;
    /* <backingStore>: NULL and !backingTerminated when absent */
    mvStorageSource *backing;
    bool backingTerminated;     /* an empty <backingStore/> */
};

/* <iotune> of a disk: the numbered limits, in libvirt's element order
 * (group_name is written after size_iops_sec); 0 means unset. */
typedef enum {
    MV_DISK_IOTUNE_TOTAL_BYTES_SEC,
    MV_DISK_IOTUNE_READ_BYTES_SEC,
    MV_DISK_IOTUNE_WRITE_BYTES_SEC,
    MV_DISK_IOTUNE_TOTAL_IOPS_SEC,
    MV_DISK_IOTUNE_READ_IOPS_SEC,
    MV_DISK_IOTUNE_WRITE_IOPS_SEC,
    MV_DISK_IOTUNE_TOTAL_BYTES_SEC_MAX,
    MV_DISK_IOTUNE_READ_BYTES_SEC_MAX,
    MV_DISK_IOTUNE_WRITE_BYTES_SEC_MAX,
    MV_DISK_IOTUNE_TOTAL_IOPS_SEC_MAX,
    MV_DISK_IOTUNE_READ_IOPS_SEC_MAX,
    MV_DISK_IOTUNE_WRITE_IOPS_SEC_MAX,
    MV_DISK_IOTUNE_SIZE_IOPS_SEC,
    MV_DISK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH,
    MV_DISK_IOTUNE_LAST
} mvDiskIotuneField;
MV_ENUM_DECL(mvDiskIotuneField);

typedef struct {
    guint64 values[MV_DISK_IOTUNE_LAST];
    char *groupName;
} mvDomainDiskIotune;

typedef struct {
    mvStorageSource *src;
    int device;                 /* mvDiskDevice */
    char *driverName, *driverType, *cache, *io, *discard;
    char *dst;                  /* target dev */
    int bus;                    /* mvDiskBus */
    bool readonly, shareable;
    char *serial;
    mvDomainDiskIotune iotune;
    mvDomainDeviceInfo info;
} mvDomainDiskDef;

/* ---- controllers ---- */
typedef enum {
    MV_CONTROLLER_IDE,
    MV_CONTROLLER_FDC,
    MV_CONTROLLER_SCSI,
    MV_CONTROLLER_SATA,
    MV_CONTROLLER_VIRTIO_SERIAL,
    MV_CONTROLLER_CCID,
    MV_CONTROLLER_USB,
    MV_CONTROLLER_PCI,
    MV_CONTROLLER_XENBUS,
    MV_CONTROLLER_ISA,
    MV_CONTROLLER_LAST
} mvControllerType;
MV_ENUM_DECL(mvControllerType);

typedef struct {
    int type;                   /* mvControllerType */
    unsigned int index;
    char *model;
    int ports, vectors;         /* -1 when absent */
    char *modelName;            /* <model name> (pci) */
    int chassis, port, busNr;   /* <target> (pci), -1 when absent */
    /* <master startport>: a USB companion controller (ich9-uhciN giving
     * USB 1.1 ports to the master controller of the same index, an
     * ich9-ehci1) and the first port of the master it serves */
    bool master;
    unsigned int masterStartPort;
    mvDomainDeviceInfo info;
} mvDomainControllerDef;

/* Whether @c is an ich9-ehci1 or one of its ich9-uhci1..3 companions
 * (libvirt's USB2 group: one index, one PCI slot). */
bool mvDomainControllerIsUSB2(const mvDomainControllerDef *c);

/* ---- network interfaces ---- */
typedef enum {
    MV_NET_USER,
    MV_NET_NETWORK,
    MV_NET_BRIDGE,
    MV_NET_DIRECT,
    MV_NET_ETHERNET,
    MV_NET_LAST
} mvNetType;
MV_ENUM_DECL(mvNetType);

typedef struct {
    int type;                   /* mvNetType */
    unsigned char mac[6];
    char *source;               /* network / bridge / dev */
    char *sourceMode;           /* direct: vepa, bridge, private, passthrough */
    char *model;
    char *ifname;               /* <target dev> */
    /* live only, type network: the port virtnetworkd gave this NIC and the
     * bridge it plugs into (<source network= portid= bridge=>) */
    char *portid;
    char *liveBridge;
    mvDomainDeviceInfo info;
} mvDomainNetDef;

/* ---- input, graphics, video, audio ---- */
typedef struct {
    char *type;                 /* mouse, tablet, keyboard */
    char *bus;                  /* ps2, usb, virtio; NULL when absent */
    mvDomainDeviceInfo info;
} mvDomainInputDef;

typedef enum {
    MV_GRAPHICS_LISTEN_ADDRESS,
    MV_GRAPHICS_LISTEN_NETWORK,
    MV_GRAPHICS_LISTEN_SOCKET,
    MV_GRAPHICS_LISTEN_NONE,
    MV_GRAPHICS_LISTEN_LAST
} mvGraphicsListenType;
MV_ENUM_DECL(mvGraphicsListenType);

typedef struct {
    int type;                   /* mvGraphicsListenType */
    char *address, *network, *socket;
} mvGraphicsListen;

typedef enum {
    MV_GRAPHICS_VNC,
    MV_GRAPHICS_SPICE,
    MV_GRAPHICS_LAST
} mvGraphicsType;
MV_ENUM_DECL(mvGraphicsType);

typedef struct {
    int type;                   /* mvGraphicsType */
    int port;                   /* 0 when automatic */
    int tlsPort;                /* spice; 0 when absent */
    bool autoport;
    char *passwd;               /* formatted with MV_DOMAIN_DEF_FORMAT_SECURE */
    char *keymap;
    mvGraphicsListen *listens;
    size_t nlistens;
} mvDomainGraphicsDef;

typedef struct {
    char *model;
    int ram, vram, vgamem, heads;   /* -1 when absent */
    bool primary;
    mvDomainDeviceInfo info;
} mvDomainVideoDef;

typedef struct {
    unsigned int id;
    char *type;
} mvDomainAudioDef;

/* ---- character devices ---- */
typedef enum {
    MV_CHR_DEVICE_SERIAL,
    MV_CHR_DEVICE_CONSOLE,
    MV_CHR_DEVICE_CHANNEL,
    MV_CHR_DEVICE_PARALLEL,
    MV_CHR_DEVICE_LAST
} mvChrDeviceType;
MV_ENUM_DECL(mvChrDevice);

typedef enum {
    MV_CHR_NULL,
    MV_CHR_PTY,
    MV_CHR_FILE,
    MV_CHR_STDIO,
    MV_CHR_TCP,
    MV_CHR_UNIX,
    MV_CHR_LAST
} mvChrType;
MV_ENUM_DECL(mvChrType);

typedef struct {
    int type;                   /* mvChrType */
    char *path;                 /* pty (live), file, unix */
    bool bind;                  /* unix, tcp: mode='bind' (else connect) */
    bool hasSource;             /* unix: a <source> was given */
    char *host, *service;       /* tcp */
    char *protocol;             /* tcp: raw, telnet, ... */
    int append;                 /* file: mvTristate */
} mvDomainChrSource;

typedef struct {
    int deviceType;             /* mvChrDeviceType */
    mvDomainChrSource src;
    char *targetType;           /* isa-serial, serial, virtio, ... */
    int targetPort;             /* -1 when absent */
    char *targetName;           /* channel virtio name */
    char *targetModel;          /* serial <model name> */
    mvDomainDeviceInfo info;
} mvDomainChrDef;

/* ---- the small single devices ---- */
typedef struct {
    char *model;                /* virtio, none, ... */
    int autodeflate;            /* mvTristate */
    int statsPeriod;            /* -1 when absent */
    mvDomainDeviceInfo info;
} mvDomainMemballoonDef;

typedef struct {
    char *model;                /* virtio */
    char *backendModel;         /* random */
    char *backendPath;          /* /dev/urandom */
    mvDomainDeviceInfo info;
} mvDomainRNGDef;

typedef struct {
    char *model;
    char *action;
    mvDomainDeviceInfo info;
} mvDomainWatchdogDef;

typedef struct {
    char *model;                /* NULL when absent */
    mvDomainDeviceInfo info;
} mvDomainPanicDef;

/* ---- top-level sections ---- */
typedef struct {
    char *type;                 /* hvm */
    char *arch, *machine;
    char *firmware;             /* efi, bios; NULL when absent */
    GPtrArray *fwFeatures;      /* of mvDomainOSFirmwareFeature */
    char *loader;
    int loaderReadonly;         /* mvTristate */
    char *loaderType;           /* rom, pflash */
    int loaderSecure;           /* mvTristate */
    char *nvram, *nvramTemplate;
    char *kernel, *initrd, *cmdline, *dtb;
    int bootDevs[MV_DOMAIN_BOOT_LAST];
    size_t nBootDevs;
    int bootmenu;               /* mvTristate */
    int bootmenuTimeout;        /* -1 when absent */
    char *smbiosMode;
} mvDomainOSDef;

typedef struct {
    char *name;
    bool enabled;
} mvDomainOSFirmwareFeature;

typedef struct {
    char *name;
    char *policy;               /* force, require, optional, disable, forbid */
} mvCPUFeature;

typedef struct {
    unsigned int id;
    char *cpus;                 /* canonical CPU list */
    unsigned long long memKiB;
} mvCPUNumaCell;

typedef struct {
    bool present;               /* a <cpu> element was given */
    int mode;                   /* mvCPUMode */
    char *match, *check;
    int migratable;             /* mvTristate */
    char *model, *fallback;
    char *vendor;
    unsigned int sockets, dies, cores, threads;  /* 0: no <topology> */
    mvCPUFeature *features;
    size_t nfeatures;
    mvCPUNumaCell *cells;       /* <numa><cell/>... */
    size_t ncells;
} mvCPUDef;

typedef struct {
    char *name;
    int present;                /* mvTristate */
    char *tickpolicy;
} mvDomainTimerDef;

typedef struct {
    int offset;                 /* mvClockOffset */
    char *adjustment;           /* variable: seconds; localtime: "reset" */
    char *basis;                /* variable: utc, localtime */
    char *timezone;
    mvDomainTimerDef *timers;
    size_t ntimers;
} mvDomainClockDef;

typedef struct {
    /* 0 absent; otherwise mvTristate-like ON/OFF per feature */
    int features[MV_DOMAIN_FEATURE_LAST];
    int apicEoi;                /* mvTristate */
    char *hypervMode;           /* custom, passthrough */
    int hyperv[MV_DOMAIN_HYPERV_LAST];  /* mvTristate */
    unsigned int spinlockRetries;
} mvDomainFeaturesDef;

/* ---- resources and security (domain_conf_tune.c) ---- */
typedef struct {
    unsigned long long sizeKiB;
    char *nodeset;              /* canonical node list; NULL: the default size */
} mvDomainHugePage;

typedef struct {
    bool hugepages;             /* <hugepages> given (possibly empty) */
    mvDomainHugePage *pages;
    size_t npages;
    bool nosharepages, locked, discard;
    char *source;               /* file, anonymous, memfd; NULL when absent */
    char *access;               /* shared, private */
    char *allocation;           /* immediate, ondemand */
    unsigned int allocThreads;  /* 0 when absent */
} mvDomainMemoryBackingDef;

typedef struct {
    unsigned int vcpu;
    char *cpuset;               /* canonical CPU list */
} mvDomainVcpuPin;

typedef struct {
    bool hasShares;
    unsigned long long shares;
    unsigned long long period, emulatorPeriod;  /* 0 when absent */
    long long quota, emulatorQuota;             /* 0 when absent */
    mvDomainVcpuPin *vcpupins;  /* sorted by vcpu */
    size_t nvcpupins;
    char *emulatorpin;          /* canonical CPU list, NULL when absent */
} mvDomainCputuneDef;

typedef enum {
    MV_SECLABEL_DYNAMIC,
    MV_SECLABEL_STATIC,
    MV_SECLABEL_NONE,
    MV_SECLABEL_LAST
} mvSecLabelType;
MV_ENUM_DECL(mvSecLabelType);

typedef struct {
    int type;                   /* mvSecLabelType */
    char *model;                /* dac, selinux, apparmor, none; NULL when absent */
    bool relabel;
    char *label;                /* static; dynamic only in live documents */
    char *imagelabel;           /* live documents only */
    char *baselabel;            /* dynamic */
} mvSecLabelDef;

/* The namespace of libvirt's QEMU passthrough elements. */
#define MV_DOMAIN_QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

typedef struct {
    char *name;
    char *value;                /* NULL when absent */
} mvDomainQemuEnv;

typedef struct _mvDomainDef mvDomainDef;
struct _mvDomainDef {
    int virtType;               /* mvDomainVirtType */
    int id;                     /* -1 when not running; live only */
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    bool hasGenid;
    unsigned char genid[MV_UUID_BUFLEN];
    char *title, *description;
    xmlDoc *metadata;           /* own document whose root is a copy of
                                 * <metadata>; NULL when absent */

    unsigned long long memKiB, curMemKiB, maxMemKiB;
    unsigned int memSlots;

    unsigned int vcpus, vcpusCurrent;   /* current 0 = all */
    bool placementAuto;
    char *cpuset;               /* canonical range list, NULL when absent */
    char *numatuneMode, *numatunePlacement, *numatuneNodeset;
    mvDomainMemoryBackingDef memoryBacking;
    unsigned int iothreads;     /* 0 when absent */
    mvDomainCputuneDef cputune;
    char *resourcePartition;    /* <resource><partition> */
    GPtrArray *seclabels;       /* mvSecLabelDef, in document order */

    mvDomainOSDef os;
    mvDomainFeaturesDef features;
    bool hasFeatures;
    mvCPUDef cpu;
    mvDomainClockDef clock;
    int onPoweroff, onReboot, onCrash;  /* mvDomainLifecycleAction */
    int pmSuspendToMem, pmSuspendToDisk;    /* mvTristate */
    bool hasPM;

    char *emulator;
    GPtrArray *disks;           /* mvDomainDiskDef */
    GPtrArray *controllers;     /* mvDomainControllerDef */
    GPtrArray *nets;            /* mvDomainNetDef */
    GPtrArray *serials;         /* mvDomainChrDef */
    GPtrArray *parallels;
    GPtrArray *consoles;
    GPtrArray *channels;
    GPtrArray *inputs;          /* mvDomainInputDef */
    GPtrArray *graphics;        /* mvDomainGraphicsDef */
    GPtrArray *audios;          /* mvDomainAudioDef */
    GPtrArray *videos;          /* mvDomainVideoDef */
    GPtrArray *watchdogs;       /* mvDomainWatchdogDef */
    mvDomainMemballoonDef *memballoon;
    GPtrArray *rngs;            /* mvDomainRNGDef */
    GPtrArray *panics;          /* mvDomainPanicDef */
    /* domain_devices_extra_conf.h */
    GPtrArray *hostdevs;        /* mvDomainHostdevDef */
    GPtrArray *filesystems;     /* mvDomainFSDef */
    GPtrArray *tpms;            /* mvDomainTPMDef (at most one) */
    GPtrArray *sounds;          /* mvDomainSoundDef */
    GPtrArray *shmems;          /* mvDomainShmemDef */
    GPtrArray *vsocks;          /* mvDomainVsockDef (at most one) */

    /* <qemu:commandline>: extra QEMU arguments and environment */
    char **qemuArgs;            /* NULL-terminated; NULL when none */
    mvDomainQemuEnv *qemuEnv;
    size_t nqemuEnv;
};

mvDomainDef *mvDomainDefNew(void);
void mvDomainDefFree(mvDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvDomainDef, mvDomainDefFree);

typedef enum {
    /* validate against schemas/domain.rng first (VIR_DOMAIN_DEFINE_VALIDATE) */
    MV_DOMAIN_DEF_PARSE_VALIDATE = 1 << 0,
    /* the document is live status: keep id and aliases */
    MV_DOMAIN_DEF_PARSE_LIVE = 1 << 1,
} mvDomainDefParseFlags;

typedef enum {
    /* include live-only data: id, device aliases */
    MV_DOMAIN_DEF_FORMAT_LIVE = 1 << 0,
    /* include secrets such as graphics passwords (virsh --security-info) */
    MV_DOMAIN_DEF_FORMAT_SECURE = 1 << 1,
} mvDomainDefFormatFlags;

#define MV_DOMAIN_XML_NAME "(domain_definition)"
#define MV_DOMAIN_SCHEMA "domain.rng"
/* The most vCPUs and the largest CPU number in a cpuset we accept. */
#define MV_DOMAIN_MAX_VCPUS 16384
/* Cap on devices of one kind, against hostile documents. */
#define MV_DOMAIN_MAX_DEVICES 4096

/* Parses @xml.  A missing <uuid> and missing MACs are generated.  Returns
 * the definition, or NULL with an error reported (VIR_ERR_XML_DETAIL,
 * VIR_ERR_XML_ERROR, VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED
 * for what modvirt does not model yet, VIR_ERR_OVERFLOW for sizes). */
mvDomainDef *mvDomainDefParse(const char *xml, unsigned int flags);
/* Parses the file @path the same way. */
mvDomainDef *mvDomainDefParseFile(const char *path, unsigned int flags);
/* Formats @def as libvirt 9.0 does, byte for byte.  Returns the text, or
 * NULL with VIR_ERR_INVALID_ARG for unknown @flags. */
char *mvDomainDefFormat(const mvDomainDef *def, unsigned int flags);

/* Adds @ctrl (ownership moves) where libvirt puts a controller added after
 * parsing: next to the others of its type, ordered by index. */
void mvDomainControllerInsert(mvDomainDef *def, mvDomainControllerDef *ctrl);

/* Device lookups: NULL when absent, nothing reported. */
mvDomainDiskDef *mvDomainDefFindDiskByTarget(const mvDomainDef *def, const char *dst);
mvDomainNetDef *mvDomainDefFindNetByMAC(const mvDomainDef *def, const unsigned char *mac);
mvDomainControllerDef *mvDomainDefFindController(const mvDomainDef *def, int type,
                                                 unsigned int index);
/* Device with alias @alias in any list, as its mvDomainDeviceInfo. */
mvDomainDeviceInfo *mvDomainDefFindDeviceInfoByAlias(const mvDomainDef *def,
                                                     const char *alias);

/* Parses a memory size @value in @unit (NULL: KiB) into KiB rounding up,
 * as libvirt accepts them (b, bytes, KB, k, KiB, MB, M, MiB, ... EiB).
 * Returns 0, or -1 with VIR_ERR_INVALID_ARG / VIR_ERR_OVERFLOW reported. */
int mvDomainParseMemorySize(const char *value, const char *unit, const char *elem,
                            unsigned long long *kib);

/* Host devices, filesystems, TPM: their types. */
#include "domain_devices_extra_conf.h"
