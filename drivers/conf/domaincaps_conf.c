/*
 * domaincaps_conf: see domaincaps_conf.h.  The generic item (supported= plus
 * enums) is parsed and formatted by one pair of functions; the parts with
 * their own shape (loader, CPU modes, SEV, SGX) have their own.  The layout
 * written (element order, empty <enum name='x'/>, <x supported='no'/> with
 * nothing inside) was checked against Debian's libvirt 9.0 output for
 * qemu-system-x86_64 and i386 (tests/data/domaincaps).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "domaincaps_conf.h"
#include "mv_buf.h"
#include "mv_enum.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_CAPABILITIES

static const char * const mvDomainCapsDeviceNames[] = {
    [MV_DOMAIN_CAPS_DEVICE_DISK] = "disk",
    [MV_DOMAIN_CAPS_DEVICE_GRAPHICS] = "graphics",
    [MV_DOMAIN_CAPS_DEVICE_VIDEO] = "video",
    [MV_DOMAIN_CAPS_DEVICE_HOSTDEV] = "hostdev",
    [MV_DOMAIN_CAPS_DEVICE_RNG] = "rng",
    [MV_DOMAIN_CAPS_DEVICE_FILESYSTEM] = "filesystem",
    [MV_DOMAIN_CAPS_DEVICE_TPM] = "tpm",
    [MV_DOMAIN_CAPS_DEVICE_REDIRDEV] = "redirdev",
    [MV_DOMAIN_CAPS_DEVICE_CHANNEL] = "channel",
    [MV_DOMAIN_CAPS_DEVICE_CRYPTO] = "crypto",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvDomainCapsDeviceNames) == MV_DOMAIN_CAPS_DEVICE_LAST);

static const char * const mvDomainCapsFeatureNames[] = {
    [MV_DOMAIN_CAPS_FEATURE_GIC] = "gic",
    [MV_DOMAIN_CAPS_FEATURE_VMCOREINFO] = "vmcoreinfo",
    [MV_DOMAIN_CAPS_FEATURE_GENID] = "genid",
    [MV_DOMAIN_CAPS_FEATURE_BACKING_STORE_INPUT] = "backingStoreInput",
    [MV_DOMAIN_CAPS_FEATURE_BACKUP] = "backup",
    [MV_DOMAIN_CAPS_FEATURE_ASYNC_TEARDOWN] = "async-teardown",
    [MV_DOMAIN_CAPS_FEATURE_S390_PV] = "s390-pv",
    [MV_DOMAIN_CAPS_FEATURE_SEV] = "sev",
    [MV_DOMAIN_CAPS_FEATURE_SGX] = "sgx",
    [MV_DOMAIN_CAPS_FEATURE_HYPERV] = "hyperv",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvDomainCapsFeatureNames) == MV_DOMAIN_CAPS_FEATURE_LAST);

static const char * const mvDomainCapsCPUUsableNames[] = {
    [MV_DOMAIN_CAPS_CPU_USABLE_YES] = "yes",
    [MV_DOMAIN_CAPS_CPU_USABLE_NO] = "no",
    [MV_DOMAIN_CAPS_CPU_USABLE_UNKNOWN] = "unknown",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvDomainCapsCPUUsableNames) == MV_DOMAIN_CAPS_CPU_USABLE_LAST);

static const char * const mvDomainCapsCPUPolicyNames[] = {
    [MV_DOMAIN_CAPS_CPU_POLICY_FORCE] = "force",
    [MV_DOMAIN_CAPS_CPU_POLICY_REQUIRE] = "require",
    [MV_DOMAIN_CAPS_CPU_POLICY_OPTIONAL] = "optional",
    [MV_DOMAIN_CAPS_CPU_POLICY_DISABLE] = "disable",
    [MV_DOMAIN_CAPS_CPU_POLICY_FORBID] = "forbid",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvDomainCapsCPUPolicyNames) == MV_DOMAIN_CAPS_CPU_POLICY_LAST);

/* supported= values; index 0 (absent) has no string. */
static const char * const mvDomainCapsSupportedNames[] = {
    [MV_DOMAIN_CAPS_ABSENT] = NULL,
    [MV_DOMAIN_CAPS_YES] = "yes",
    [MV_DOMAIN_CAPS_NO] = "no",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvDomainCapsSupportedNames) == MV_DOMAIN_CAPS_SUPPORTED_LAST);

MV_ENUM_IMPL_TABLE(mvDomainCapsDevice, mvDomainCapsDeviceNames)
MV_ENUM_IMPL_TABLE(mvDomainCapsFeature, mvDomainCapsFeatureNames)
MV_ENUM_IMPL_TABLE(mvDomainCapsCPUUsable, mvDomainCapsCPUUsableNames)
MV_ENUM_IMPL_TABLE(mvDomainCapsCPUPolicy, mvDomainCapsCPUPolicyNames)

/* ---- lifecycle and builders ---- */

static void
mvDomainCapsEnumFree(mvDomainCapsEnum *e)
{
    if (!e)
        return;
    g_free(e->name);
    g_clear_pointer(&e->values, g_ptr_array_unref);
    g_free(e);
}

static void
mvDomainCapsCPUFeatureFree(mvDomainCapsCPUFeature *f)
{
    if (!f)
        return;
    g_free(f->name);
    g_free(f);
}

static void
mvDomainCapsCPUModelFree(mvDomainCapsCPUModel *m)
{
    if (!m)
        return;
    g_free(m->name);
    g_free(m->vendor);
    g_free(m);
}

static void
mvDomainCapsItemInit(mvDomainCapsItem *item)
{
    item->supported = MV_DOMAIN_CAPS_ABSENT;
    item->enums = g_ptr_array_new_with_free_func((GDestroyNotify)mvDomainCapsEnumFree);
}

static void
mvDomainCapsItemClear(mvDomainCapsItem *item)
{
    g_clear_pointer(&item->enums, g_ptr_array_unref);
}

mvDomainCaps *
mvDomainCapsNew(void)
{
    mvDomainCaps *caps = g_new0(mvDomainCaps, 1);
    size_t i;

    mvDomainCapsItemInit(&caps->os);
    mvDomainCapsItemInit(&caps->loader);
    caps->loaderValues = g_ptr_array_new_with_free_func(g_free);
    mvDomainCapsItemInit(&caps->hostPassthrough);
    mvDomainCapsItemInit(&caps->maximum);
    caps->hostModelFeatures =
        g_ptr_array_new_with_free_func((GDestroyNotify)mvDomainCapsCPUFeatureFree);
    caps->customModels =
        g_ptr_array_new_with_free_func((GDestroyNotify)mvDomainCapsCPUModelFree);
    mvDomainCapsItemInit(&caps->memoryBacking);
    for (i = 0; i < MV_DOMAIN_CAPS_DEVICE_LAST; i++)
        mvDomainCapsItemInit(&caps->devices[i]);
    for (i = 0; i < MV_DOMAIN_CAPS_FEATURE_LAST; i++)
        mvDomainCapsItemInit(&caps->features[i]);
    return caps;
}

void
mvDomainCapsFree(mvDomainCaps *caps)
{
    size_t i;

    if (!caps)
        return;
    g_free(caps->path);
    g_free(caps->virttype);
    g_free(caps->machine);
    g_free(caps->arch);
    mvDomainCapsItemClear(&caps->os);
    mvDomainCapsItemClear(&caps->loader);
    g_clear_pointer(&caps->loaderValues, g_ptr_array_unref);
    mvDomainCapsItemClear(&caps->hostPassthrough);
    mvDomainCapsItemClear(&caps->maximum);
    g_free(caps->hostModelName);
    g_free(caps->hostModelFallback);
    g_free(caps->hostModelVendor);
    g_clear_pointer(&caps->hostModelFeatures, g_ptr_array_unref);
    g_clear_pointer(&caps->customModels, g_ptr_array_unref);
    mvDomainCapsItemClear(&caps->memoryBacking);
    for (i = 0; i < MV_DOMAIN_CAPS_DEVICE_LAST; i++)
        mvDomainCapsItemClear(&caps->devices[i]);
    for (i = 0; i < MV_DOMAIN_CAPS_FEATURE_LAST; i++)
        mvDomainCapsItemClear(&caps->features[i]);
    g_clear_pointer(&caps->sgxSections, g_ptr_array_unref);
    g_free(caps);
}

void
mvDomainCapsSetIdentity(mvDomainCaps *caps, const char *path, const char *virttype,
                        const char *machine, const char *arch)
{
    g_free(caps->path);
    caps->path = g_strdup(path);
    g_free(caps->virttype);
    caps->virttype = g_strdup(virttype);
    g_free(caps->machine);
    caps->machine = g_strdup(machine);
    g_free(caps->arch);
    caps->arch = g_strdup(arch);
}

void
mvDomainCapsItemSetSupported(mvDomainCapsItem *item, bool supported)
{
    item->supported = supported ? MV_DOMAIN_CAPS_YES : MV_DOMAIN_CAPS_NO;
}

mvDomainCapsEnum *
mvDomainCapsItemEnum(mvDomainCapsItem *item, const char *name)
{
    mvDomainCapsEnum *e;
    guint i;

    if (item->supported == MV_DOMAIN_CAPS_ABSENT)
        item->supported = MV_DOMAIN_CAPS_YES;
    for (i = 0; i < item->enums->len; i++) {
        e = g_ptr_array_index(item->enums, i);
        if (strcmp(e->name, name) == 0)
            return e;
    }
    e = g_new0(mvDomainCapsEnum, 1);
    e->name = g_strdup(name);
    e->values = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(item->enums, e);
    return e;
}

void
mvDomainCapsItemAddValue(mvDomainCapsItem *item, const char *name, const char *value)
{
    g_ptr_array_add(mvDomainCapsItemEnum(item, name)->values, g_strdup(value));
}

void
mvDomainCapsAddLoaderValue(mvDomainCaps *caps, const char *path)
{
    if (caps->loader.supported == MV_DOMAIN_CAPS_ABSENT)
        caps->loader.supported = MV_DOMAIN_CAPS_YES;
    g_ptr_array_add(caps->loaderValues, g_strdup(path));
}

void
mvDomainCapsAddHostModelFeature(mvDomainCaps *caps, mvDomainCapsCPUPolicy policy,
                                const char *name)
{
    mvDomainCapsCPUFeature *f = g_new0(mvDomainCapsCPUFeature, 1);

    f->policy = policy;
    f->name = g_strdup(name);
    g_ptr_array_add(caps->hostModelFeatures, f);
}

mvDomainCapsCPUModel *
mvDomainCapsAddCustomModel(mvDomainCaps *caps, const char *name,
                           mvDomainCapsCPUUsable usable, const char *vendor)
{
    mvDomainCapsCPUModel *m = g_new0(mvDomainCapsCPUModel, 1);

    m->name = g_strdup(name);
    m->usable = usable;
    m->deprecated = MV_DOMAIN_CAPS_ABSENT;
    m->vendor = g_strdup(vendor ? vendor : "unknown");
    g_ptr_array_add(caps->customModels, m);
    if (caps->customSupported == MV_DOMAIN_CAPS_ABSENT)
        caps->customSupported = MV_DOMAIN_CAPS_YES;
    return m;
}

void
mvDomainCapsAddSGXSection(mvDomainCaps *caps, unsigned int node, unsigned long long sizeKiB)
{
    mvDomainCapsSGXSection *s = g_new0(mvDomainCapsSGXSection, 1);

    if (!caps->sgxSections)
        caps->sgxSections = g_ptr_array_new_with_free_func(g_free);
    s->node = node;
    s->sizeKiB = sizeKiB;
    g_ptr_array_add(caps->sgxSections, s);
}

/* ---- parsing ---- */

static bool
mvDomainCapsIsElement(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* supported= of @node into @value (the schema made it present). */
static int
mvDomainCapsParseSupported(const xmlNode *node, int *value)
{
    if (mvXMLPropEnum(node, "supported", mvDomainCapsSupportedNames,
                      G_N_ELEMENTS(mvDomainCapsSupportedNames), value) < 0)
        return -1;
    return 0;
}

/* An unsupported item is written empty, so one with content could not be
 * written back: refuse it rather than drop the content. */
static int
mvDomainCapsCheckEmptyIfUnsupported(const xmlNode *node, int supported)
{
    const xmlNode *cur;

    if (supported != MV_DOMAIN_CAPS_NO)
        return 0;
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "element <%s> on line %ld is marked supported='no' but has "
                          "content (<%s> on line %ld)",
                          (const char *)node->name, mvXMLNodeLine(node),
                          (const char *)cur->name, mvXMLNodeLine(cur));
            return -1;
        }
    }
    return 0;
}

/* An item: supported= and its <enum> children (other children are the
 * caller's). */
static int
mvDomainCapsParseItem(const xmlNode *node, mvDomainCapsItem *item)
{
    const xmlNode *cur;

    if (mvDomainCapsParseSupported(node, &item->supported) < 0 ||
        mvDomainCapsCheckEmptyIfUnsupported(node, item->supported) < 0)
        return -1;
    for (cur = node->children; cur; cur = cur->next) {
        g_autofree char *name = NULL;
        mvDomainCapsEnum *e;
        const xmlNode *val;

        if (!mvDomainCapsIsElement(cur, "enum"))
            continue;
        (void)mvXMLPropString(cur, "name", &name);
        e = g_new0(mvDomainCapsEnum, 1);
        e->name = g_steal_pointer(&name);
        e->values = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(item->enums, e);
        for (val = cur->children; val; val = val->next) {
            if (mvDomainCapsIsElement(val, "value"))
                g_ptr_array_add(e->values, mvXMLNodeContent(val));
        }
    }
    return 0;
}

static int
mvDomainCapsParseOS(const xmlNode *os, mvDomainCaps *caps)
{
    const xmlNode *loader = mvXMLChildFind(os, "loader");
    const xmlNode *cur;

    if (mvDomainCapsParseItem(os, &caps->os) < 0)
        return -1;
    if (!loader)
        return 0;
    if (mvDomainCapsParseItem(loader, &caps->loader) < 0)
        return -1;
    for (cur = loader->children; cur; cur = cur->next) {
        if (mvDomainCapsIsElement(cur, "value"))
            g_ptr_array_add(caps->loaderValues, mvXMLNodeContent(cur));
    }
    return 0;
}

static int
mvDomainCapsParseHostModel(const xmlNode *mode, mvDomainCaps *caps)
{
    const xmlNode *cur;

    if (mvDomainCapsParseSupported(mode, &caps->hostModelSupported) < 0 ||
        mvDomainCapsCheckEmptyIfUnsupported(mode, caps->hostModelSupported) < 0)
        return -1;
    for (cur = mode->children; cur; cur = cur->next) {
        if (mvDomainCapsIsElement(cur, "model")) {
            caps->hostModelName = mvXMLNodeContent(cur);
            (void)mvXMLPropString(cur, "fallback", &caps->hostModelFallback);
        } else if (mvDomainCapsIsElement(cur, "vendor")) {
            caps->hostModelVendor = mvXMLNodeContent(cur);
        } else if (mvDomainCapsIsElement(cur, "feature")) {
            g_autofree char *name = NULL;
            int policy = 0;

            if (mvXMLPropEnum(cur, "policy", mvDomainCapsCPUPolicyNames,
                              G_N_ELEMENTS(mvDomainCapsCPUPolicyNames), &policy) < 0)
                return -1;
            (void)mvXMLPropString(cur, "name", &name);
            mvDomainCapsAddHostModelFeature(caps, policy, name);
        }
    }
    return 0;
}

static int
mvDomainCapsParseCustom(const xmlNode *mode, mvDomainCaps *caps)
{
    const xmlNode *cur;

    if (mvDomainCapsParseSupported(mode, &caps->customSupported) < 0 ||
        mvDomainCapsCheckEmptyIfUnsupported(mode, caps->customSupported) < 0)
        return -1;
    for (cur = mode->children; cur; cur = cur->next) {
        g_autofree char *name = NULL;
        g_autofree char *vendor = NULL;
        mvDomainCapsCPUModel *m;
        int usable = 0;

        if (!mvDomainCapsIsElement(cur, "model"))
            continue;
        if (mvXMLPropEnum(cur, "usable", mvDomainCapsCPUUsableNames,
                          G_N_ELEMENTS(mvDomainCapsCPUUsableNames), &usable) < 0)
            return -1;
        (void)mvXMLPropString(cur, "vendor", &vendor);
        name = mvXMLNodeContent(cur);
        m = mvDomainCapsAddCustomModel(caps, name, usable, vendor);
        if (mvXMLPropEnum(cur, "deprecated", mvDomainCapsSupportedNames,
                          G_N_ELEMENTS(mvDomainCapsSupportedNames), &m->deprecated) < 0)
            return -1;
    }
    return 0;
}

static int
mvDomainCapsParseCPU(const xmlNode *cpu, mvDomainCaps *caps)
{
    const xmlNode *cur;

    for (cur = cpu->children; cur; cur = cur->next) {
        g_autofree char *name = NULL;
        int rc = 0;

        if (!mvDomainCapsIsElement(cur, "mode"))
            continue;
        (void)mvXMLPropString(cur, "name", &name);
        if (g_strcmp0(name, "host-passthrough") == 0)
            rc = mvDomainCapsParseItem(cur, &caps->hostPassthrough);
        else if (g_strcmp0(name, "maximum") == 0)
            rc = mvDomainCapsParseItem(cur, &caps->maximum);
        else if (g_strcmp0(name, "host-model") == 0)
            rc = mvDomainCapsParseHostModel(cur, caps);
        else if (g_strcmp0(name, "custom") == 0)
            rc = mvDomainCapsParseCustom(cur, caps);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int
mvDomainCapsParseDevices(const xmlNode *devices, mvDomainCaps *caps)
{
    const xmlNode *cur;

    for (cur = devices->children; cur; cur = cur->next) {
        int dev;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        dev = mvDomainCapsDeviceFromString((const char *)cur->name);
        g_assert(dev >= 0); /* the schema knows no other */
        if (mvDomainCapsParseItem(cur, &caps->devices[dev]) < 0)
            return -1;
    }
    return 0;
}

/* Unsigned decimal text of the child @name of @node into @value. */
static int
mvDomainCapsParseULLChild(const xmlNode *node, const char *name, unsigned long long *value)
{
    g_autofree char *text = NULL;
    guint64 v = 0;

    if (mvXMLChildString(node, name, &text) == 0)
        return 0;
    if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &v, NULL)) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "invalid value '%s' of element <%s> in <%s> on line %ld "
                      "(expected an unsigned integer)",
                      text, name, (const char *)node->name, mvXMLNodeLine(node));
        return -1;
    }
    *value = v;
    return 1;
}

static int
mvDomainCapsParseUIntChild(const xmlNode *node, const char *name, unsigned int *value)
{
    unsigned long long v = 0;
    int rc = mvDomainCapsParseULLChild(node, name, &v);

    if (rc < 0)
        return -1;
    if (rc == 1 && v > G_MAXUINT) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "value %llu of element <%s> in <%s> on line %ld is too large",
                      v, name, (const char *)node->name, mvXMLNodeLine(node));
        return -1;
    }
    *value = (unsigned int)v;
    return rc;
}

static int
mvDomainCapsParseSEV(const xmlNode *sev, mvDomainCaps *caps)
{
    int rc;

    if ((rc = mvDomainCapsParseUIntChild(sev, "cbitpos", &caps->sevCbitpos)) < 0)
        return -1;
    caps->hasSEVDetails = rc == 1;
    if (mvDomainCapsParseUIntChild(sev, "reducedPhysBits", &caps->sevReducedPhysBits) < 0 ||
        mvDomainCapsParseUIntChild(sev, "maxGuests", &caps->sevMaxGuests) < 0 ||
        mvDomainCapsParseUIntChild(sev, "maxESGuests", &caps->sevMaxESGuests) < 0)
        return -1;
    return 0;
}

static int
mvDomainCapsParseSGX(const xmlNode *sgx, mvDomainCaps *caps)
{
    static const char * const flags[] = { "flc", "sgx1", "sgx2" };
    bool *dest[] = { &caps->sgxFlc, &caps->sgxSgx1, &caps->sgxSgx2 };
    const xmlNode *sections;
    const xmlNode *cur;
    size_t i;
    int rc;

    if ((rc = mvDomainCapsParseULLChild(sgx, "section_size", &caps->sgxSectionSizeKiB)) < 0)
        return -1;
    caps->hasSGXDetails = rc == 1;
    for (i = 0; i < G_N_ELEMENTS(flags); i++) {
        g_autofree char *text = NULL;

        if (mvXMLChildString(sgx, flags[i], &text) == 1)
            *dest[i] = strcmp(text, "yes") == 0;
    }
    if (!(sections = mvXMLChildFind(sgx, "sections")))
        return 0;
    caps->sgxSections = g_ptr_array_new_with_free_func(g_free);
    for (cur = sections->children; cur; cur = cur->next) {
        g_autofree char *size = NULL;
        unsigned int node = 0;
        guint64 v = 0;

        if (!mvDomainCapsIsElement(cur, "section"))
            continue;
        if (mvXMLPropUInt(cur, "node", &node) < 0)
            return -1;
        (void)mvXMLPropString(cur, "size", &size);
        if (!g_ascii_string_to_unsigned(size, 10, 0, G_MAXUINT64, &v, NULL)) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "invalid value '%s' of attribute 'size' of element <section> "
                          "on line %ld (expected an unsigned integer)",
                          size, mvXMLNodeLine(cur));
            return -1;
        }
        mvDomainCapsAddSGXSection(caps, node, v);
    }
    return 0;
}

static int
mvDomainCapsParseFeatures(const xmlNode *features, mvDomainCaps *caps)
{
    const xmlNode *cur;

    for (cur = features->children; cur; cur = cur->next) {
        int feat;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        feat = mvDomainCapsFeatureFromString((const char *)cur->name);
        g_assert(feat >= 0); /* the schema knows no other */
        if (mvDomainCapsParseItem(cur, &caps->features[feat]) < 0)
            return -1;
        if (feat == MV_DOMAIN_CAPS_FEATURE_SEV && mvDomainCapsParseSEV(cur, caps) < 0)
            return -1;
        if (feat == MV_DOMAIN_CAPS_FEATURE_SGX && mvDomainCapsParseSGX(cur, caps) < 0)
            return -1;
    }
    return 0;
}

static mvDomainCaps *
mvDomainCapsParseDoc(xmlDoc *doc)
{
    g_autoptr(mvDomainCaps) caps = mvDomainCapsNew();
    xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *node;

    /* libvirt never parses this document; the schema is the whole check. */
    if (mvXMLValidate(doc, MV_DOMAIN_CAPS_SCHEMA) < 0)
        return NULL;
    (void)mvXMLChildString(root, "path", &caps->path);
    (void)mvXMLChildString(root, "domain", &caps->virttype);
    (void)mvXMLChildString(root, "machine", &caps->machine);
    (void)mvXMLChildString(root, "arch", &caps->arch);
    if ((node = mvXMLChildFind(root, "vcpu"))) {
        if (mvXMLPropUInt(node, "max", &caps->maxVcpus) < 0)
            return NULL;
        caps->hasMaxVcpus = true;
    }
    if ((node = mvXMLChildFind(root, "iothreads")) &&
        mvDomainCapsParseSupported(node, &caps->iothreads) < 0)
        return NULL;
    if ((node = mvXMLChildFind(root, "os")) && mvDomainCapsParseOS(node, caps) < 0)
        return NULL;
    if ((node = mvXMLChildFind(root, "cpu")) && mvDomainCapsParseCPU(node, caps) < 0)
        return NULL;
    if ((node = mvXMLChildFind(root, "memoryBacking")) &&
        mvDomainCapsParseItem(node, &caps->memoryBacking) < 0)
        return NULL;
    if ((node = mvXMLChildFind(root, "devices")) && mvDomainCapsParseDevices(node, caps) < 0)
        return NULL;
    if ((node = mvXMLChildFind(root, "features")) &&
        mvDomainCapsParseFeatures(node, caps) < 0)
        return NULL;
    return g_steal_pointer(&caps);
}

mvDomainCaps *
mvDomainCapsParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    mvCheckFlags(flags, MV_DOMAIN_CAPS_PARSE_VALIDATE, NULL);
    if (!(doc = mvXMLParseString(xml, MV_DOMAIN_CAPS_XML_NAME, "domainCapabilities",
                                 VIR_FROM_CAPABILITIES)))
        return NULL;
    return mvDomainCapsParseDoc(doc);
}

mvDomainCaps *
mvDomainCapsParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    mvCheckFlags(flags, MV_DOMAIN_CAPS_PARSE_VALIDATE, NULL);
    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "domainCapabilities", VIR_FROM_CAPABILITIES)))
        return NULL;
    return mvDomainCapsParseDoc(doc);
}

/* ---- formatting ---- */

static void
mvDomainCapsFormatEnums(mvBuf *buf, const GPtrArray *enums)
{
    guint i;
    guint j;

    for (i = 0; i < enums->len; i++) {
        const mvDomainCapsEnum *e = g_ptr_array_index(enums, i);

        if (e->values->len == 0) {
            mvBufEscapeString(buf, "<enum name='%s'/>\n", e->name);
            continue;
        }
        mvBufEscapeString(buf, "<enum name='%s'>\n", e->name);
        mvBufAdjustIndent(buf, 2);
        for (j = 0; j < e->values->len; j++)
            mvBufEscapeString(buf, "<value>%s</value>\n", g_ptr_array_index(e->values, j));
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</enum>\n");
    }
}

/* Writes "<@open supported='S'" and returns whether the caller must write
 * the body (then closed by mvDomainCapsFormatClose), or writes "/>" itself:
 * for an unsupported item, or when @hasBody is false. */
static bool
mvDomainCapsFormatOpen(mvBuf *buf, const char *open, int supported, bool hasBody)
{
    mvBufAsprintf(buf, "<%s supported='%s'", open,
                  supported == MV_DOMAIN_CAPS_YES ? "yes" : "no");
    if (supported != MV_DOMAIN_CAPS_YES || !hasBody) {
        mvBufAdd(buf, "/>\n");
        return false;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    return true;
}

static void
mvDomainCapsFormatClose(mvBuf *buf, const char *elem)
{
    mvBufAdjustIndent(buf, -2);
    mvBufAsprintf(buf, "</%s>\n", elem);
}

/* An item named @elem; @open may add attributes before supported=. */
static void
mvDomainCapsFormatItem(mvBuf *buf, const char *elem, const char *open,
                       const mvDomainCapsItem *item)
{
    if (item->supported == MV_DOMAIN_CAPS_ABSENT)
        return;
    if (mvDomainCapsFormatOpen(buf, open ? open : elem, item->supported, item->enums->len > 0)) {
        mvDomainCapsFormatEnums(buf, item->enums);
        mvDomainCapsFormatClose(buf, elem);
    }
}

static void
mvDomainCapsFormatOS(mvBuf *buf, const mvDomainCaps *caps)
{
    const mvDomainCapsItem *loader = &caps->loader;
    bool hasLoader = loader->supported != MV_DOMAIN_CAPS_ABSENT;
    guint i;

    if (caps->os.supported == MV_DOMAIN_CAPS_ABSENT)
        return;
    if (!mvDomainCapsFormatOpen(buf, "os", caps->os.supported,
                                caps->os.enums->len > 0 || hasLoader))
        return;
    mvDomainCapsFormatEnums(buf, caps->os.enums);
    if (hasLoader &&
        mvDomainCapsFormatOpen(buf, "loader", loader->supported,
                               loader->enums->len > 0 || caps->loaderValues->len > 0)) {
        for (i = 0; i < caps->loaderValues->len; i++)
            mvBufEscapeString(buf, "<value>%s</value>\n",
                              g_ptr_array_index(caps->loaderValues, i));
        mvDomainCapsFormatEnums(buf, loader->enums);
        mvDomainCapsFormatClose(buf, "loader");
    }
    mvDomainCapsFormatClose(buf, "os");
}

static void
mvDomainCapsFormatHostModel(mvBuf *buf, const mvDomainCaps *caps)
{
    guint i;

    if (caps->hostModelSupported == MV_DOMAIN_CAPS_ABSENT)
        return;
    if (!mvDomainCapsFormatOpen(buf, "mode name='host-model'", caps->hostModelSupported,
                                caps->hostModelName != NULL))
        return;
    if (caps->hostModelFallback)
        mvBufEscapeString(buf, "<model fallback='%s'>", caps->hostModelFallback);
    else
        mvBufAdd(buf, "<model>");
    mvBufAddEscaped(buf, caps->hostModelName);
    mvBufAdd(buf, "</model>\n");
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", caps->hostModelVendor);
    for (i = 0; i < caps->hostModelFeatures->len; i++) {
        const mvDomainCapsCPUFeature *f = g_ptr_array_index(caps->hostModelFeatures, i);

        mvBufAsprintf(buf, "<feature policy='%s'", mvDomainCapsCPUPolicyToString(f->policy));
        mvBufEscapeString(buf, " name='%s'/>\n", f->name);
    }
    mvDomainCapsFormatClose(buf, "mode");
}

static void
mvDomainCapsFormatCustom(mvBuf *buf, const mvDomainCaps *caps)
{
    guint i;

    if (caps->customSupported == MV_DOMAIN_CAPS_ABSENT)
        return;
    if (!mvDomainCapsFormatOpen(buf, "mode name='custom'", caps->customSupported,
                                caps->customModels->len > 0))
        return;
    for (i = 0; i < caps->customModels->len; i++) {
        const mvDomainCapsCPUModel *m = g_ptr_array_index(caps->customModels, i);

        mvBufAsprintf(buf, "<model usable='%s'", mvDomainCapsCPUUsableToString(m->usable));
        if (m->deprecated != MV_DOMAIN_CAPS_ABSENT)
            mvBufAsprintf(buf, " deprecated='%s'",
                          mvDomainCapsSupportedNames[m->deprecated]);
        mvBufEscapeString(buf, " vendor='%s'>", m->vendor ? m->vendor : "unknown");
        mvBufAddEscaped(buf, m->name);
        mvBufAdd(buf, "</model>\n");
    }
    mvDomainCapsFormatClose(buf, "mode");
}

static void
mvDomainCapsFormatCPU(mvBuf *buf, const mvDomainCaps *caps)
{
    if (caps->hostPassthrough.supported == MV_DOMAIN_CAPS_ABSENT &&
        caps->maximum.supported == MV_DOMAIN_CAPS_ABSENT &&
        caps->hostModelSupported == MV_DOMAIN_CAPS_ABSENT &&
        caps->customSupported == MV_DOMAIN_CAPS_ABSENT)
        return;
    mvBufAdd(buf, "<cpu>\n");
    mvBufAdjustIndent(buf, 2);
    mvDomainCapsFormatItem(buf, "mode", "mode name='host-passthrough'", &caps->hostPassthrough);
    mvDomainCapsFormatItem(buf, "mode", "mode name='maximum'", &caps->maximum);
    mvDomainCapsFormatHostModel(buf, caps);
    mvDomainCapsFormatCustom(buf, caps);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cpu>\n");
}

static void
mvDomainCapsFormatDevices(mvBuf *buf, const mvDomainCaps *caps)
{
    size_t i;
    bool any = false;

    for (i = 0; i < MV_DOMAIN_CAPS_DEVICE_LAST; i++)
        any = any || caps->devices[i].supported != MV_DOMAIN_CAPS_ABSENT;
    if (!any)
        return;
    mvBufAdd(buf, "<devices>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < MV_DOMAIN_CAPS_DEVICE_LAST; i++)
        mvDomainCapsFormatItem(buf, mvDomainCapsDeviceNames[i], NULL, &caps->devices[i]);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</devices>\n");
}

static void
mvDomainCapsFormatSEV(mvBuf *buf, const mvDomainCaps *caps)
{
    if (!mvDomainCapsFormatOpen(buf, "sev", caps->features[MV_DOMAIN_CAPS_FEATURE_SEV].supported,
                                caps->hasSEVDetails))
        return;
    mvBufAsprintf(buf, "<cbitpos>%u</cbitpos>\n", caps->sevCbitpos);
    mvBufAsprintf(buf, "<reducedPhysBits>%u</reducedPhysBits>\n", caps->sevReducedPhysBits);
    mvBufAsprintf(buf, "<maxGuests>%u</maxGuests>\n", caps->sevMaxGuests);
    mvBufAsprintf(buf, "<maxESGuests>%u</maxESGuests>\n", caps->sevMaxESGuests);
    mvDomainCapsFormatClose(buf, "sev");
}

static void
mvDomainCapsFormatSGX(mvBuf *buf, const mvDomainCaps *caps)
{
    guint i;

    if (!mvDomainCapsFormatOpen(buf, "sgx", caps->features[MV_DOMAIN_CAPS_FEATURE_SGX].supported,
                                caps->hasSGXDetails))
        return;
    mvBufAsprintf(buf, "<flc>%s</flc>\n", caps->sgxFlc ? "yes" : "no");
    mvBufAsprintf(buf, "<sgx1>%s</sgx1>\n", caps->sgxSgx1 ? "yes" : "no");
    mvBufAsprintf(buf, "<sgx2>%s</sgx2>\n", caps->sgxSgx2 ? "yes" : "no");
    mvBufAsprintf(buf, "<section_size unit='KiB'>%llu</section_size>\n",
                  caps->sgxSectionSizeKiB);
    if (caps->sgxSections) {
        if (caps->sgxSections->len == 0) {
            mvBufAdd(buf, "<sections/>\n");
        } else {
            mvBufAdd(buf, "<sections>\n");
            mvBufAdjustIndent(buf, 2);
            for (i = 0; i < caps->sgxSections->len; i++) {
                const mvDomainCapsSGXSection *s = g_ptr_array_index(caps->sgxSections, i);

                mvBufAsprintf(buf, "<section node='%u' size='%llu' unit='KiB'/>\n",
                              s->node, s->sizeKiB);
            }
            mvBufAdjustIndent(buf, -2);
            mvBufAdd(buf, "</sections>\n");
        }
    }
    mvDomainCapsFormatClose(buf, "sgx");
}

static void
mvDomainCapsFormatFeatures(mvBuf *buf, const mvDomainCaps *caps)
{
    size_t i;
    bool any = false;

    for (i = 0; i < MV_DOMAIN_CAPS_FEATURE_LAST; i++)
        any = any || caps->features[i].supported != MV_DOMAIN_CAPS_ABSENT;
    if (!any)
        return;
    mvBufAdd(buf, "<features>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < MV_DOMAIN_CAPS_FEATURE_LAST; i++) {
        if (caps->features[i].supported == MV_DOMAIN_CAPS_ABSENT)
            continue;
        switch ((mvDomainCapsFeature)i) {
        case MV_DOMAIN_CAPS_FEATURE_SEV:
            mvDomainCapsFormatSEV(buf, caps);
            break;
        case MV_DOMAIN_CAPS_FEATURE_SGX:
            mvDomainCapsFormatSGX(buf, caps);
            break;
        case MV_DOMAIN_CAPS_FEATURE_GIC:
        case MV_DOMAIN_CAPS_FEATURE_VMCOREINFO:
        case MV_DOMAIN_CAPS_FEATURE_GENID:
        case MV_DOMAIN_CAPS_FEATURE_BACKING_STORE_INPUT:
        case MV_DOMAIN_CAPS_FEATURE_BACKUP:
        case MV_DOMAIN_CAPS_FEATURE_ASYNC_TEARDOWN:
        case MV_DOMAIN_CAPS_FEATURE_S390_PV:
        case MV_DOMAIN_CAPS_FEATURE_HYPERV:
        case MV_DOMAIN_CAPS_FEATURE_LAST:
            mvDomainCapsFormatItem(buf, mvDomainCapsFeatureNames[i], NULL,
                                   &caps->features[i]);
            break;
        }
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</features>\n");
}

char *
mvDomainCapsFormat(const mvDomainCaps *caps)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;

    mvBufAdd(&buf, "<domainCapabilities>\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<path>%s</path>\n", caps->path);
    mvBufEscapeString(&buf, "<domain>%s</domain>\n", caps->virttype);
    mvBufEscapeString(&buf, "<machine>%s</machine>\n", caps->machine);
    mvBufEscapeString(&buf, "<arch>%s</arch>\n", caps->arch);
    if (caps->hasMaxVcpus)
        mvBufAsprintf(&buf, "<vcpu max='%u'/>\n", caps->maxVcpus);
    if (caps->iothreads != MV_DOMAIN_CAPS_ABSENT)
        mvBufAsprintf(&buf, "<iothreads supported='%s'/>\n",
                      mvDomainCapsSupportedNames[caps->iothreads]);
    mvDomainCapsFormatOS(&buf, caps);
    mvDomainCapsFormatCPU(&buf, caps);
    mvDomainCapsFormatItem(&buf, "memoryBacking", NULL, &caps->memoryBacking);
    mvDomainCapsFormatDevices(&buf, caps);
    mvDomainCapsFormatFeatures(&buf, caps);
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</domainCapabilities>\n");
    return mvBufContentAndReset(&buf);
}
