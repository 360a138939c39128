/*
 * capabilities_conf: the object model of host capabilities (<capabilities>
 * XML, what `virsh capabilities` prints): the host (UUID, CPU, power
 * management, IOMMU, migration, NUMA topology, caches, security models)
 * and one <guest> per OS type and architecture with its emulator, machine
 * types, domain types and features.
 *
 * The QEMU driver builds an mvCaps in code and formats it; the parser is
 * for tests and tools.  Output follows libvirt 9.0's layout byte for byte,
 * blank lines between <host> and each <guest> included.  Parsed documents
 * are validated against schemas/capability.rng.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "mv_uuid.h"

/* A page size and, inside NUMA cells, how many pages of it there are. */
typedef struct {
    unsigned int size;          /* KiB */
    bool hasCount;
    guint64 count;
} mvCapsPages;

typedef struct {
    unsigned int id;
    unsigned int value;
} mvCapsDistance;

typedef struct {
    unsigned int id;
    bool hasTopology;           /* socket_id, die_id, core_id, siblings */
    unsigned int socketId, dieId, coreId;
    char *siblings;
} mvCapsCellCPU;

typedef struct {
    unsigned int id;
    guint64 memory;             /* KiB; 0: no <memory> */
    GArray *pages;              /* of mvCapsPages */
    GArray *distances;          /* of mvCapsDistance */
    GArray *cpus;               /* of mvCapsCellCPU */
} mvCapsCell;

typedef struct {
    unsigned int id, level;
    char *type;                 /* both, code, data */
    guint64 size;
    char *unit;                 /* B, KiB, MiB, ... */
    char *cpus;
} mvCapsCacheBank;

typedef struct {
    char *type;
    char *label;
} mvCapsBaseLabel;

typedef struct {
    char *model;
    char *doi;
    GPtrArray *baselabels;      /* of mvCapsBaseLabel* */
} mvCapsSecModel;

typedef struct {
    char *name;
    char *canonical;            /* NULL unless an alias */
    unsigned int maxCpus;       /* 0: not written */
    bool deprecated;
} mvCapsMachine;

typedef struct {
    char *type;                 /* qemu, kvm, ... */
    char *emulator;             /* NULL: the arch's */
    GPtrArray *machines;        /* of mvCapsMachine*; empty: the arch's */
} mvCapsGuestDomain;

/* A guest feature: <name/> or <name default='on|off' toggle='yes|no'/>. */
typedef struct {
    char *name;
    bool hasDefault;
    bool defaultOn;
    bool hasToggle;
    bool toggle;
} mvCapsGuestFeature;

typedef struct {
    char *osType;               /* hvm, xen, linux, exe */
    char *arch;
    unsigned int wordsize;
    char *emulator;
    char *loader;
    GPtrArray *machines;        /* of mvCapsMachine* */
    GPtrArray *domains;         /* of mvCapsGuestDomain* */
    GPtrArray *features;        /* of mvCapsGuestFeature* */
} mvCapsGuest;

typedef struct {
    bool hasUUID;
    unsigned char uuid[MV_UUID_BUFLEN];
    /* <cpu> */
    char *arch;
    GPtrArray *legacyFeatures;  /* of char*: <features><pae/>...</features> */
    char *cpuModel;
    char *cpuVendor;
    bool hasMicrocode;
    unsigned int microcode;
    bool hasSignature;
    unsigned int sigFamily, sigModel, sigStepping;
    char *counterName;          /* "tsc"; NULL: no <counter> */
    guint64 counterFrequency;
    int counterScaling;         /* -1 absent, 0 no, 1 yes */
    bool hasTopology;
    unsigned int sockets, dies, cores, threads;
    GPtrArray *cpuFeatures;     /* of char*: <feature name='...'/> */
    GArray *pageSizes;          /* of unsigned int, KiB */
    /* the rest of <host> */
    bool hasPowerManagement;
    bool suspendMem, suspendDisk, suspendHybrid;
    int iommu;                  /* -1 absent, 0 no, 1 yes */
    bool hasMigration;
    bool live;
    GPtrArray *uriTransports;   /* of char* */
    GPtrArray *cells;           /* of mvCapsCell*; empty: no <topology> */
    GPtrArray *cacheBanks;      /* of mvCapsCacheBank*; empty: no <cache> */
    GPtrArray *secModels;       /* of mvCapsSecModel* */
} mvCapsHost;

typedef struct _mvCaps mvCaps;
struct _mvCaps {
    mvCapsHost host;
    GPtrArray *guests;          /* of mvCapsGuest* */
};

mvCaps *mvCapsNew(void);
void mvCapsFree(mvCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvCaps, mvCapsFree);

/* Builders for the driver: each returns the new item, owned by @caps. */
mvCapsCell *mvCapsAddCell(mvCaps *caps, unsigned int id, guint64 memoryKiB);
mvCapsSecModel *mvCapsAddSecModel(mvCaps *caps, const char *model, const char *doi);
void mvCapsSecModelAddBaseLabel(mvCapsSecModel *sm, const char *type, const char *label);
mvCapsGuest *mvCapsAddGuest(mvCaps *caps, const char *osType, const char *arch,
                            unsigned int wordsize, const char *emulator);
mvCapsMachine *mvCapsGuestAddMachine(GPtrArray *machines, const char *name,
                                     const char *canonical, unsigned int maxCpus);
mvCapsGuestDomain *mvCapsGuestAddDomain(mvCapsGuest *guest, const char *type);
void mvCapsGuestAddFeature(mvCapsGuest *guest, const char *name, int defaultOn, int toggle);

#define MV_CAPS_XML_NAME "(capabilities)"
#define MV_CAPS_SCHEMA "capability.rng"

/* Parses @xml (validated against the schema first).  Returns the
 * capabilities, or NULL with an error reported naming line and element. */
mvCaps *mvCapsParse(const char *xml);
mvCaps *mvCapsParseFile(const char *path);
/* Formats @caps as libvirt does.  Never fails. */
char *mvCapsFormat(const mvCaps *caps);
