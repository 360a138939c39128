/*
 * domaincaps_conf: the object model of domain capabilities
 * (<domainCapabilities> XML, what `virsh domcapabilities` prints): what one
 * emulator binary offers a guest for a given machine type, architecture and
 * virtualization type.
 *
 * Nearly everything in the document is an "item": an element with
 * supported='yes|no' holding named lists of strings
 * (<enum name='bus'><value>virtio</value>...</enum>).  The model keeps those
 * as mvDomainCapsItem + mvDomainCapsEnum so the QEMU driver fills them in
 * code from probed capabilities without a field per value; the few parts
 * with their own shape (loader paths, the CPU modes, SEV and SGX details)
 * have their own fields.  Devices and simple features are arrays indexed by
 * enums whose string tables give the element names, in libvirt's order.
 *
 * The formatter writes libvirt 9.0's layout byte for byte: an item that is
 * not supported is written as <name supported='no'/> with nothing inside,
 * an absent item not at all.  The parser exists for tests and tools: it
 * validates against schemas/domaincaps.rng first, then refuses what the
 * formatter could not write back (values inside an unsupported item).
 * No driver knowledge, no I/O besides reading a file on request.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Whether an item is written and what its supported= says. */
typedef enum {
    MV_DOMAIN_CAPS_ABSENT = 0,  /* not written */
    MV_DOMAIN_CAPS_YES,
    MV_DOMAIN_CAPS_NO,
    MV_DOMAIN_CAPS_SUPPORTED_LAST
} mvDomainCapsSupported;

/* A named list of values: <enum name='NAME'><value>V</value>...</enum>. */
typedef struct _mvDomainCapsEnum mvDomainCapsEnum;
struct _mvDomainCapsEnum {
    char *name;
    GPtrArray *values;          /* char *, in order */
};

/* An element with supported= and enums. */
typedef struct _mvDomainCapsItem mvDomainCapsItem;
struct _mvDomainCapsItem {
    int supported;              /* mvDomainCapsSupported */
    GPtrArray *enums;           /* mvDomainCapsEnum *, in order */
};

typedef enum {
    MV_DOMAIN_CAPS_DEVICE_DISK,
    MV_DOMAIN_CAPS_DEVICE_GRAPHICS,
    MV_DOMAIN_CAPS_DEVICE_VIDEO,
    MV_DOMAIN_CAPS_DEVICE_HOSTDEV,
    MV_DOMAIN_CAPS_DEVICE_RNG,
    MV_DOMAIN_CAPS_DEVICE_FILESYSTEM,
    MV_DOMAIN_CAPS_DEVICE_TPM,
    MV_DOMAIN_CAPS_DEVICE_REDIRDEV,
    MV_DOMAIN_CAPS_DEVICE_CHANNEL,
    MV_DOMAIN_CAPS_DEVICE_CRYPTO,
    MV_DOMAIN_CAPS_DEVICE_LAST
} mvDomainCapsDevice;

/* Features in document order.  SEV and SGX may carry details (below). */
typedef enum {
    MV_DOMAIN_CAPS_FEATURE_GIC,
    MV_DOMAIN_CAPS_FEATURE_VMCOREINFO,
    MV_DOMAIN_CAPS_FEATURE_GENID,
    MV_DOMAIN_CAPS_FEATURE_BACKING_STORE_INPUT,
    MV_DOMAIN_CAPS_FEATURE_BACKUP,
    MV_DOMAIN_CAPS_FEATURE_ASYNC_TEARDOWN,
    MV_DOMAIN_CAPS_FEATURE_S390_PV,
    MV_DOMAIN_CAPS_FEATURE_SEV,
    MV_DOMAIN_CAPS_FEATURE_SGX,
    MV_DOMAIN_CAPS_FEATURE_HYPERV,
    MV_DOMAIN_CAPS_FEATURE_LAST
} mvDomainCapsFeature;

typedef enum {
    MV_DOMAIN_CAPS_CPU_USABLE_YES,
    MV_DOMAIN_CAPS_CPU_USABLE_NO,
    MV_DOMAIN_CAPS_CPU_USABLE_UNKNOWN,
    MV_DOMAIN_CAPS_CPU_USABLE_LAST
} mvDomainCapsCPUUsable;

typedef enum {
    MV_DOMAIN_CAPS_CPU_POLICY_FORCE,
    MV_DOMAIN_CAPS_CPU_POLICY_REQUIRE,
    MV_DOMAIN_CAPS_CPU_POLICY_OPTIONAL,
    MV_DOMAIN_CAPS_CPU_POLICY_DISABLE,
    MV_DOMAIN_CAPS_CPU_POLICY_FORBID,
    MV_DOMAIN_CAPS_CPU_POLICY_LAST
} mvDomainCapsCPUPolicy;

/* Element names ("disk", "backingStoreInput", ...); NULL when out of range. */
const char *mvDomainCapsDeviceToString(int dev);
int mvDomainCapsDeviceFromString(const char *str);
const char *mvDomainCapsFeatureToString(int feature);
int mvDomainCapsFeatureFromString(const char *str);
const char *mvDomainCapsCPUUsableToString(int usable);
int mvDomainCapsCPUUsableFromString(const char *str);
const char *mvDomainCapsCPUPolicyToString(int policy);
int mvDomainCapsCPUPolicyFromString(const char *str);

/* <feature policy='P' name='N'/> of the host-model mode. */
typedef struct {
    int policy;                 /* mvDomainCapsCPUPolicy */
    char *name;
} mvDomainCapsCPUFeature;

/* <model usable='U' [deprecated='yes|no'] vendor='V'>NAME</model>. */
typedef struct {
    char *name;
    int usable;                 /* mvDomainCapsCPUUsable */
    int deprecated;             /* mvDomainCapsSupported: absent, yes, no */
    char *vendor;               /* "unknown" when not known; never NULL once added */
} mvDomainCapsCPUModel;

typedef struct {
    unsigned int node;
    unsigned long long sizeKiB;
} mvDomainCapsSGXSection;

typedef struct _mvDomainCaps mvDomainCaps;
struct _mvDomainCaps {
    char *path;                 /* emulator binary */
    char *virttype;             /* <domain>: "qemu", "kvm" */
    char *machine;              /* NULL when absent */
    char *arch;

    bool hasMaxVcpus;
    unsigned int maxVcpus;
    int iothreads;              /* mvDomainCapsSupported */

    mvDomainCapsItem os;        /* enums: firmware */
    mvDomainCapsItem loader;    /* absent when os has no loader; enums: type, readonly, secure */
    GPtrArray *loaderValues;    /* char *: firmware image paths */

    /* <cpu> is written when any of its modes is present; libvirt's schema
     * then wants all four. */
    mvDomainCapsItem hostPassthrough;   /* enums: hostPassthroughMigratable */
    mvDomainCapsItem maximum;           /* enums: maximumMigratable */
    int hostModelSupported;             /* mvDomainCapsSupported */
    char *hostModelName;                /* NULL: no <model>/<vendor>/<feature> */
    char *hostModelFallback;            /* "forbid", "allow" or NULL */
    char *hostModelVendor;              /* NULL when absent */
    GPtrArray *hostModelFeatures;       /* mvDomainCapsCPUFeature * */
    int customSupported;                /* mvDomainCapsSupported */
    GPtrArray *customModels;            /* mvDomainCapsCPUModel * */

    mvDomainCapsItem memoryBacking;     /* enums: sourceType */

    /* <devices> is written when any device item is present. */
    mvDomainCapsItem devices[MV_DOMAIN_CAPS_DEVICE_LAST];
    /* <features> is written when any feature is present.  Only GIC and
     * HYPERV carry enums. */
    mvDomainCapsItem features[MV_DOMAIN_CAPS_FEATURE_LAST];

    bool hasSEVDetails;         /* written only when SEV is supported */
    unsigned int sevCbitpos;
    unsigned int sevReducedPhysBits;
    unsigned int sevMaxGuests;
    unsigned int sevMaxESGuests;

    bool hasSGXDetails;         /* written only when SGX is supported */
    bool sgxFlc;
    bool sgxSgx1;
    bool sgxSgx2;
    unsigned long long sgxSectionSizeKiB;
    GPtrArray *sgxSections;     /* mvDomainCapsSGXSection *; NULL: no <sections> */
};

mvDomainCaps *mvDomainCapsNew(void);
void mvDomainCapsFree(mvDomainCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvDomainCaps, mvDomainCapsFree);

/* Builders, for drivers filling the model in code. */

/* Sets the four identifying fields (copies; @machine may be NULL). */
void mvDomainCapsSetIdentity(mvDomainCaps *caps, const char *path, const char *virttype,
                             const char *machine, const char *arch);
/* Marks @item supported (yes or no).  An item marked no is written empty. */
void mvDomainCapsItemSetSupported(mvDomainCapsItem *item, bool supported);
/* The enum @name of @item, created (empty, appended) when missing; marks an
 * absent item supported.  Returns it (owned by @item). */
mvDomainCapsEnum *mvDomainCapsItemEnum(mvDomainCapsItem *item, const char *name);
/* Appends @value to the enum @name of @item (created as above). */
void mvDomainCapsItemAddValue(mvDomainCapsItem *item, const char *name, const char *value);
/* Appends a firmware image path to the loader (marking it supported). */
void mvDomainCapsAddLoaderValue(mvDomainCaps *caps, const char *path);
/* Appends a host-model feature. */
void mvDomainCapsAddHostModelFeature(mvDomainCaps *caps, mvDomainCapsCPUPolicy policy,
                                     const char *name);
/* Appends a custom-mode CPU model (@vendor NULL means "unknown"); marks the
 * custom mode supported. */
mvDomainCapsCPUModel *mvDomainCapsAddCustomModel(mvDomainCaps *caps, const char *name,
                                                 mvDomainCapsCPUUsable usable,
                                                 const char *vendor);
/* Appends an SGX EPC section (creating <sections>). */
void mvDomainCapsAddSGXSection(mvDomainCaps *caps, unsigned int node,
                               unsigned long long sizeKiB);

typedef enum {
    /* accepted for symmetry with the other kinds: the schema always runs
     * first for domain capabilities */
    MV_DOMAIN_CAPS_PARSE_VALIDATE = 1 << 0,
} mvDomainCapsParseFlags;

/* Name used for documents parsed from strings in messages. */
#define MV_DOMAIN_CAPS_XML_NAME "(domain_capabilities)"
/* Schema file of domain capabilities. */
#define MV_DOMAIN_CAPS_SCHEMA "domaincaps.rng"

/* Parses @xml.  Returns the model, or NULL with an error reported
 * (VIR_ERR_XML_DETAIL for malformed XML, VIR_ERR_XML_ERROR for a wrong root
 * or a value that cannot be kept, VIR_ERR_XML_INVALID_SCHEMA naming line and
 * element). */
mvDomainCaps *mvDomainCapsParse(const char *xml, unsigned int flags);
/* Parses the file @path the same way (messages name the file). */
mvDomainCaps *mvDomainCapsParseFile(const char *path, unsigned int flags);
/* Formats @caps as libvirt 9.0 does.  Never fails. */
char *mvDomainCapsFormat(const mvDomainCaps *caps);
