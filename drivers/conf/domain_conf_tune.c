/*
 * domain_conf_tune: the resource and confinement elements of a domain
 * definition: <memoryBacking> (huge pages per guest node, locking, the
 * backing source, sharing and preallocation), <iothreads>, <cputune>
 * (CFS shares, periods and quotas, vCPU and emulator pinning),
 * <resource><partition> and <seclabel>.  Parsing applies libvirt's
 * generic rules (defaults, cross checks against the vCPU count and the
 * guest NUMA cells, its error texts) so that a document libvirt dumped
 * comes back out byte for byte.  Security labels come in two flavours:
 * a defined domain keeps only what the user chose (static labels, base
 * labels); the runtime labels a security driver assigns (<label> of a
 * dynamic label, <imagelabel>) are read and written only for live
 * documents (MV_DOMAIN_DEF_PARSE_LIVE / MV_DOMAIN_DEF_FORMAT_LIVE).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

MV_ENUM_IMPL(mvSecLabelType, MV_SECLABEL_LAST, "dynamic", "static", "none")

/* The largest cputune quota the kernel's CFS accepts (2^44 - 1). */
#define MV_CPUTUNE_QUOTA_MAX 17592186044415LL

/* ---------------------------------------------------------------------- */
/* Lifecycle */

void
mvDomainTuneClear(mvDomainDef *def)
{
    mvDomainMemoryBackingDef *mb = &def->memoryBacking;
    size_t i;

    for (i = 0; i < mb->npages; i++)
        g_free(mb->pages[i].nodeset);
    g_free(mb->pages);
    g_free(mb->source);
    g_free(mb->access);
    g_free(mb->allocation);
    for (i = 0; i < def->cputune.nvcpupins; i++)
        g_free(def->cputune.vcpupins[i].cpuset);
    g_free(def->cputune.vcpupins);
    g_free(def->cputune.emulatorpin);
    g_free(def->resourcePartition);
    if (def->seclabels)
        g_ptr_array_unref(def->seclabels);
}

static void
mvSecLabelDefFree(gpointer p)
{
    mvSecLabelDef *l = p;

    g_free(l->model);
    g_free(l->label);
    g_free(l->imagelabel);
    g_free(l->baselabel);
    g_free(l);
}

/* ---------------------------------------------------------------------- */
/* Node lists */

/* Calls back for each number of canonical list @list ("0-3,5") until
 * @fn returns true; returns that number, or -1 when none matched. */
static long
mvDomainListFind(const char *list, bool (*fn)(unsigned long n, gpointer opaque),
                 gpointer opaque)
{
    const char *p = list;

    while (p && *p) {
        char *end = NULL;
        unsigned long a = strtoul(p, &end, 10);
        unsigned long b = a;

        if (*end == '-')
            b = strtoul(end + 1, &end, 10);
        for (; a <= b; a++) {
            if (fn(a, opaque))
                return (long)a;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return -1;
}

static bool
mvDomainListHas(unsigned long n, gpointer opaque)
{
    const char *other = opaque;
    const char *p = other;

    while (*p) {
        char *end = NULL;
        unsigned long a = strtoul(p, &end, 10);
        unsigned long b = a;

        if (*end == '-')
            b = strtoul(end + 1, &end, 10);
        if (n >= a && n <= b)
            return true;
        p = *end == ',' ? end + 1 : end;
    }
    return false;
}

static bool
mvDomainListAtLeast(unsigned long n, gpointer opaque)
{
    return n >= *(size_t *)opaque;
}

static bool
mvDomainListAny(unsigned long n G_GNUC_UNUSED, gpointer opaque G_GNUC_UNUSED)
{
    return true;
}

/* ---------------------------------------------------------------------- */
/* <memoryBacking> */

static int
mvDomainHugePageParse(xmlNode *page, mvDomainMemoryBackingDef *mb)
{
    g_autofree char *size = NULL;
    g_autofree char *unit = NULL;
    g_autofree char *nodeset = NULL;
    mvDomainHugePage hp = { 0 };
    size_t i;

    if (mvDomainCheckNode(page, (const char *[]){ "size", "unit", "nodeset", NULL }, NULL) < 0)
        return -1;
    if (!(size = mvDomainProp(page, "size"))) {
        mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "%s", "missing element or attribute './@size'");
        return -1;
    }
    if (!g_ascii_isdigit(size[0]) || strspn(size, "0123456789") != strlen(size)) {
        mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "Invalid value '%s' for element or attribute './@size'", size);
        return -1;
    }
    unit = mvDomainProp(page, "unit");
    if (mvDomainParseMemorySize(size, unit, "page", &hp.sizeKiB) < 0)
        return -1;
    if (hp.sizeKiB == 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                               "%s", "hugepage size can't be zero");
        return -1;
    }
    if ((nodeset = mvDomainProp(page, "nodeset")) &&
        !(hp.nodeset = mvDomainCPUSetCanon(page, "nodeset", nodeset)))
        return -1;
    for (i = 0; i < mb->npages; i++) {
        const mvDomainHugePage *old = &mb->pages[i];

        if (!old->nodeset && !hp.nodeset) {
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__,
                                   __LINE__, "two master hugepages detected: %llu and %llu",
                                   hp.sizeKiB, old->sizeKiB);
            g_free(hp.nodeset);
            return -1;
        }
        if (old->nodeset && hp.nodeset &&
            mvDomainListFind(hp.nodeset, mvDomainListHas, old->nodeset) >= 0) {
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__,
                                   __LINE__, "nodeset attribute of hugepages of sizes %llu "
                                   "and %llu intersect", hp.sizeKiB, old->sizeKiB);
            g_free(hp.nodeset);
            return -1;
        }
    }
    mb->pages = g_renew(mvDomainHugePage, mb->pages, mb->npages + 1);
    mb->pages[mb->npages++] = hp;
    return 0;
}

/* Reads attribute @attr of child @name of <memoryBacking> as one of
 * @values (NULL-terminated). */
static int
mvDomainMemoryBackingEnum(xmlNode *mbNode, const char *name, const char *attr,
                          const char * const *values, char **out)
{
    xmlNode *n = mvXMLChildFind(mbNode, name);
    g_autofree char *v = NULL;
    size_t i;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, (const char *[]){ attr, strcmp(name, "allocation") == 0 ?
                                                     "threads" : NULL, NULL }, NULL) < 0)
        return -1;
    if (!(v = mvDomainProp(n, attr)))
        return 0;
    for (i = 0; values[i]; i++) {
        if (strcmp(values[i], v) == 0) {
            *out = g_steal_pointer(&v);
            return 0;
        }
    }
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown memoryBacking/%s/%s '%s'",
                  name, attr, v);
    return -1;
}

static int
mvDomainMemoryBackingParse(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "memoryBacking");
    mvDomainMemoryBackingDef *mb = &def->memoryBacking;
    xmlNode *hp, *alloc, *c;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "hugepages", "nosharepages", "locked",
                                                     "source", "access", "allocation",
                                                     "discard", NULL }) < 0 ||
        mvDomainCheckLeaf(n, "nosharepages") < 0 || mvDomainCheckLeaf(n, "locked") < 0 ||
        mvDomainCheckLeaf(n, "discard") < 0)
        return -1;
    if ((hp = mvXMLChildFind(n, "hugepages"))) {
        mb->hugepages = true;
        if (mvDomainCheckNode(hp, NULL, (const char *[]){ "page*", NULL }) < 0)
            return -1;
        for (c = hp->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (mb->npages >= MV_DOMAIN_MAX_DEVICES) {
                mvReportError(VIR_ERR_XML_ERROR, "more than %d huge page sizes",
                              MV_DOMAIN_MAX_DEVICES);
                return -1;
            }
            if (mvDomainHugePageParse(c, mb) < 0)
                return -1;
        }
    }
    mb->nosharepages = mvXMLChildFind(n, "nosharepages") != NULL;
    mb->locked = mvXMLChildFind(n, "locked") != NULL;
    mb->discard = mvXMLChildFind(n, "discard") != NULL;
    if (mvDomainMemoryBackingEnum(n, "source", "type",
                                  (const char *[]){ "file", "anonymous", "memfd", NULL },
                                  &mb->source) < 0 ||
        mvDomainMemoryBackingEnum(n, "access", "mode",
                                  (const char *[]){ "shared", "private", NULL },
                                  &mb->access) < 0 ||
        mvDomainMemoryBackingEnum(n, "allocation", "mode",
                                  (const char *[]){ "immediate", "ondemand", NULL },
                                  &mb->allocation) < 0)
        return -1;
    if (mb->hugepages && g_strcmp0(mb->allocation, "ondemand") == 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "hugepages are not allowed with memory allocation ondemand");
        return -1;
    }
    if ((alloc = mvXMLChildFind(n, "allocation"))) {
        g_autofree char *threads = mvDomainProp(alloc, "threads");
        guint64 v = 0;

        if (threads && (!g_ascii_isdigit(threads[0]) ||
                        !g_ascii_string_to_unsigned(threads, 10, 0, G_MAXUINT, &v, NULL))) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "Failed to parse memory allocation threads");
            return -1;
        }
        mb->allocThreads = (unsigned int)v;
    }
    return 0;
}

/* Huge pages for guest nodes that exist: without NUMA cells only node 0,
 * which then means the whole guest. */
static int
mvDomainMemoryBackingPostParse(mvDomainDef *def)
{
    mvDomainMemoryBackingDef *mb = &def->memoryBacking;
    size_t ncells = def->cpu.ncells;
    size_t i;

    for (i = 0; i < mb->npages; i++) {
        mvDomainHugePage *hp = &mb->pages[i];
        long bad;

        if (!hp->nodeset)
            continue;
        if (ncells == 0) {
            if (strcmp(hp->nodeset, "0") == 0) {
                g_clear_pointer(&hp->nodeset, g_free);
                continue;
            }
            bad = mvDomainListFind(hp->nodeset, mvDomainListAny, NULL);
        } else {
            bad = mvDomainListFind(hp->nodeset, mvDomainListAtLeast, &ncells);
        }
        if (bad >= 0) {
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__,
                                   __LINE__, "hugepages: node %ld not found", bad);
            return -1;
        }
    }
    return 0;
}

void
mvDomainDefFormatMemoryBacking(mvBuf *buf, const mvDomainDef *def)
{
    const mvDomainMemoryBackingDef *mb = &def->memoryBacking;
    size_t i;

    if (!mb->hugepages && !mb->nosharepages && !mb->locked && !mb->discard && !mb->source &&
        !mb->access && !mb->allocation && !mb->allocThreads)
        return;
    mvBufAdd(buf, "<memoryBacking>\n");
    mvBufAdjustIndent(buf, 2);
    if (mb->hugepages && !mb->npages) {
        mvBufAdd(buf, "<hugepages/>\n");
    } else if (mb->hugepages) {
        mvBufAdd(buf, "<hugepages>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < mb->npages; i++) {
            mvBufAsprintf(buf, "<page size='%llu' unit='KiB'", mb->pages[i].sizeKiB);
            if (mb->pages[i].nodeset)
                mvBufAsprintf(buf, " nodeset='%s'", mb->pages[i].nodeset);
            mvBufAdd(buf, "/>\n");
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</hugepages>\n");
    }
    if (mb->nosharepages)
        mvBufAdd(buf, "<nosharepages/>\n");
    if (mb->locked)
        mvBufAdd(buf, "<locked/>\n");
    if (mb->source)
        mvBufAsprintf(buf, "<source type='%s'/>\n", mb->source);
    if (mb->access)
        mvBufAsprintf(buf, "<access mode='%s'/>\n", mb->access);
    if (mb->allocation || mb->allocThreads) {
        mvBufAdd(buf, "<allocation");
        if (mb->allocation)
            mvBufAsprintf(buf, " mode='%s'", mb->allocation);
        if (mb->allocThreads)
            mvBufAsprintf(buf, " threads='%u'", mb->allocThreads);
        mvBufAdd(buf, "/>\n");
    }
    if (mb->discard)
        mvBufAdd(buf, "<discard/>\n");
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</memoryBacking>\n");
}

/* ---------------------------------------------------------------------- */
/* <iothreads>, <cputune>, <resource> */

static int
mvDomainIOThreadsParse(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "iothreads");
    g_autofree char *text = NULL;
    guint64 v = 0;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, NULL) < 0)
        return -1;
    text = mvXMLNodeContent(n);
    if (!g_ascii_isdigit(text[0]) ||
        !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT, &v, NULL)) {
        mvReportError(VIR_ERR_XML_ERROR, "invalid iothreads count '%s'", text);
        return -1;
    }
    def->iothreads = (unsigned int)v;
    return 0;
}

/* Reads the number in text-only child @name of <cputune>; @what names it
 * in libvirt's message. */
static int
mvDomainCputuneNumber(xmlNode *ct, const char *name, const char *what, bool isSigned,
                      unsigned long long *uval, long long *sval, bool *present)
{
    g_autofree char *text = NULL;
    const char *p;
    char *end = NULL;

    if (mvDomainCheckLeaf(ct, name) < 0)
        return -1;
    if (mvXMLChildString(ct, name, &text) == 0)
        return 0;
    p = text;
    errno = 0;
    if (isSigned) {
        if (*p == '-')
            p++;
        if (g_ascii_isdigit(*p))
            *sval = g_ascii_strtoll(text, &end, 10);
    } else if (g_ascii_isdigit(*p)) {
        *uval = g_ascii_strtoull(text, &end, 10);
    }
    if (!end || *end != '\0' || errno == ERANGE) {
        mvReportError(VIR_ERR_XML_ERROR, "can't parse cputune %s value", what);
        return -1;
    }
    if (present)
        *present = true;
    return 0;
}

static int
mvDomainVcpuPinCompare(const void *a, const void *b)
{
    const mvDomainVcpuPin *pa = a;
    const mvDomainVcpuPin *pb = b;

    return pa->vcpu < pb->vcpu ? -1 : pa->vcpu > pb->vcpu;
}

static int
mvDomainVcpuPinParse(xmlNode *c, mvDomainDef *def)
{
    mvDomainCputuneDef *ct = &def->cputune;
    g_autofree char *cpuset = NULL;
    char *canon;
    unsigned int vcpu = 0;
    int rc;
    size_t i;

    if (mvDomainCheckNode(c, (const char *[]){ "vcpu", "cpuset", NULL }, NULL) < 0 ||
        (rc = mvXMLPropUInt(c, "vcpu", &vcpu)) < 0)
        return -1;
    if (rc == 0) {
        mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "%s", "Missing required attribute 'vcpu' in element 'vcpupin'");
        return -1;
    }
    if (!(cpuset = mvDomainProp(c, "cpuset"))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing cpuset for vcpupin");
        return -1;
    }
    if (!(canon = mvDomainCPUSetCanon(c, "cpuset", cpuset)))
        return -1;
    for (i = 0; i < ct->nvcpupins; i++) {
        if (ct->vcpupins[i].vcpu == vcpu) {
            g_free(canon);
            mvReportError(VIR_ERR_INTERNAL_ERROR, "duplicate vcpupin for vcpu '%u'", vcpu);
            return -1;
        }
    }
    if (vcpu >= def->vcpus) {
        /* libvirt ignores pins of vCPUs the domain does not have */
        g_free(canon);
        return 0;
    }
    ct->vcpupins = g_renew(mvDomainVcpuPin, ct->vcpupins, ct->nvcpupins + 1);
    ct->vcpupins[ct->nvcpupins].vcpu = vcpu;
    ct->vcpupins[ct->nvcpupins++].cpuset = canon;
    return 0;
}

static int
mvDomainCputuneCheckRange(const char *name, long long value, long long min, long long max,
                          bool negativeOk)
{
    if (value == 0 || (negativeOk && value < 0) || (value >= min && value <= max))
        return 0;
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                  "Value of cputune '%s' must be in range [%lld, %lld]", name, min, max);
    return -1;
}

static int
mvDomainCputuneParse(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "cputune");
    mvDomainCputuneDef *ct = &def->cputune;
    xmlNode *c;
    unsigned long long ignoredU = 0;
    long long ignoredS = 0;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "shares", "period", "quota",
                                                     "emulator_period", "emulator_quota",
                                                     "vcpupin*", "emulatorpin*", NULL }) < 0 ||
        mvDomainCputuneNumber(n, "shares", "shares", false, &ct->shares, &ignoredS,
                              &ct->hasShares) < 0 ||
        mvDomainCputuneNumber(n, "period", "period", false, &ct->period, &ignoredS,
                              NULL) < 0 ||
        mvDomainCputuneNumber(n, "quota", "quota", true, &ignoredU, &ct->quota, NULL) < 0 ||
        mvDomainCputuneNumber(n, "emulator_period", "emulator period", false,
                              &ct->emulatorPeriod, &ignoredS, NULL) < 0 ||
        mvDomainCputuneNumber(n, "emulator_quota", "emulator quota", true, &ignoredU,
                              &ct->emulatorQuota, NULL) < 0)
        return -1;
    if (ct->period > G_MAXINT64 || ct->emulatorPeriod > G_MAXINT64 || ct->shares > G_MAXINT64 ||
        mvDomainCputuneCheckRange("period", (long long)ct->period, 1000, 1000000, false) < 0 ||
        mvDomainCputuneCheckRange("quota", ct->quota, 1000, MV_CPUTUNE_QUOTA_MAX, true) < 0 ||
        mvDomainCputuneCheckRange("emulator_period", (long long)ct->emulatorPeriod, 1000,
                                  1000000, false) < 0 ||
        mvDomainCputuneCheckRange("emulator_quota", ct->emulatorQuota, 1000,
                                  MV_CPUTUNE_QUOTA_MAX, true) < 0 ||
        mvDomainCputuneCheckRange("shares", (long long)ct->shares, 2, 262144, false) < 0)
        return -1;
    if (mvXMLChildCount(n, "emulatorpin") > 1) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "only one emulatorpin is supported");
        return -1;
    }
    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "vcpupin") != 0)
            continue;
        if (ct->nvcpupins >= MV_DOMAIN_MAX_VCPUS) {
            mvReportError(VIR_ERR_XML_ERROR, "more than %d vcpupin elements",
                          MV_DOMAIN_MAX_VCPUS);
            return -1;
        }
        if (mvDomainVcpuPinParse(c, def) < 0)
            return -1;
    }
    if (ct->nvcpupins)
        qsort(ct->vcpupins, ct->nvcpupins, sizeof(*ct->vcpupins), mvDomainVcpuPinCompare);
    if ((c = mvXMLChildFind(n, "emulatorpin"))) {
        g_autofree char *cpuset = NULL;

        if (mvDomainCheckNode(c, (const char *[]){ "cpuset", NULL }, NULL) < 0)
            return -1;
        if (!(cpuset = mvDomainProp(c, "cpuset"))) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing cpuset for emulatorpin");
            return -1;
        }
        if (!(ct->emulatorpin = mvDomainCPUSetCanon(c, "cpuset", cpuset)))
            return -1;
    }
    return 0;
}

void
mvDomainDefFormatCputune(mvBuf *buf, const mvDomainDef *def)
{
    const mvDomainCputuneDef *ct = &def->cputune;
    size_t i;

    if (def->iothreads)
        mvBufAsprintf(buf, "<iothreads>%u</iothreads>\n", def->iothreads);
    if (!ct->hasShares && !ct->period && !ct->quota && !ct->emulatorPeriod &&
        !ct->emulatorQuota && !ct->nvcpupins && !ct->emulatorpin)
        return;
    mvBufAdd(buf, "<cputune>\n");
    mvBufAdjustIndent(buf, 2);
    if (ct->hasShares)
        mvBufAsprintf(buf, "<shares>%llu</shares>\n", ct->shares);
    if (ct->period)
        mvBufAsprintf(buf, "<period>%llu</period>\n", ct->period);
    if (ct->quota)
        mvBufAsprintf(buf, "<quota>%lld</quota>\n", ct->quota);
    if (ct->emulatorPeriod)
        mvBufAsprintf(buf, "<emulator_period>%llu</emulator_period>\n", ct->emulatorPeriod);
    if (ct->emulatorQuota)
        mvBufAsprintf(buf, "<emulator_quota>%lld</emulator_quota>\n", ct->emulatorQuota);
    for (i = 0; i < ct->nvcpupins; i++)
        mvBufAsprintf(buf, "<vcpupin vcpu='%u' cpuset='%s'/>\n", ct->vcpupins[i].vcpu,
                      ct->vcpupins[i].cpuset);
    if (ct->emulatorpin)
        mvBufAsprintf(buf, "<emulatorpin cpuset='%s'/>\n", ct->emulatorpin);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cputune>\n");
}

static int
mvDomainResourceParse(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "resource");

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "partition", NULL }) < 0 ||
        mvDomainCheckLeaf(n, "partition") < 0)
        return -1;
    if (!(def->resourcePartition = mvDomainChildText(n, "partition"))) {
        mvReportError(VIR_ERR_XML_ERROR, "element <resource> (line %ld) needs a <partition>",
                      mvXMLNodeLine(n));
        return -1;
    }
    return 0;
}

void
mvDomainDefFormatResource(mvBuf *buf, const mvDomainDef *def)
{
    if (!def->resourcePartition)
        return;
    mvBufAdd(buf, "<resource>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<partition>%s</partition>\n", def->resourcePartition);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</resource>\n");
}

/* ---------------------------------------------------------------------- */
/* <seclabel> */

/* Parses one <seclabel>.  Returns 1 with *@out set, 0 for a label without
 * a type (libvirt's "default" label, which it neither keeps nor writes),
 * or -1 (reported). */
static int
mvSecLabelParse(xmlNode *n, unsigned int flags, mvSecLabelDef **out)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(mvSecLabelDefFree);
    mvSecLabelDef *l = g_new0(mvSecLabelDef, 1);
    int relabel = MV_TRISTATE_ABSENT;
    bool live = flags & MV_DOMAIN_DEF_PARSE_LIVE;

    g_ptr_array_add(holder, l);
    if (mvDomainCheckNode(n, (const char *[]){ "type", "model", "relabel", NULL },
                          (const char *[]){ "label", "imagelabel", "baselabel", NULL }) < 0 ||
        mvDomainCheckLeaf(n, "label") < 0 || mvDomainCheckLeaf(n, "imagelabel") < 0 ||
        mvDomainCheckLeaf(n, "baselabel") < 0 ||
        mvXMLPropEnum(n, "type", mvSecLabelTypeNames, MV_SECLABEL_LAST, &l->type) < 0 ||
        mvDomainPropTristate(n, "relabel", false, &relabel) < 0)
        return -1;
    if (!xmlHasProp(n, (const xmlChar *)"type"))
        return 0;
    l->relabel = relabel == MV_TRISTATE_ABSENT ? l->type == MV_SECLABEL_DYNAMIC :
                 relabel == MV_TRISTATE_YES;
    if (l->type == MV_SECLABEL_DYNAMIC && !l->relabel) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "dynamic label type must use resource relabeling");
        return -1;
    }
    if (l->type == MV_SECLABEL_NONE && l->relabel) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "resource relabeling is not compatible with 'none' label type");
        return -1;
    }
    l->model = mvDomainProp(n, "model");
    if (g_strcmp0(l->model, "none") == 0) {
        /* the 'none' model confines nothing, whatever the type */
        l->type = MV_SECLABEL_NONE;
        l->relabel = false;
    } else {
        if (l->type == MV_SECLABEL_STATIC || (live && l->type != MV_SECLABEL_NONE)) {
            if (!(l->label = mvDomainChildText(n, "label"))) {
                mvReportError(VIR_ERR_XML_ERROR, "%s", "security label is missing");
                return -1;
            }
        }
        if (l->relabel && live && l->type != MV_SECLABEL_NONE) {
            if (!(l->imagelabel = mvDomainChildText(n, "imagelabel"))) {
                mvReportError(VIR_ERR_XML_ERROR, "%s", "security imagelabel is missing");
                return -1;
            }
        }
        if (l->type == MV_SECLABEL_DYNAMIC)
            l->baselabel = mvDomainChildText(n, "baselabel");
    }
    *out = g_ptr_array_steal_index(holder, 0);
    return 1;
}

static int
mvDomainSecLabelsParse(xmlNode *root, mvDomainDef *def, unsigned int flags)
{
    size_t count = mvXMLChildCount(root, "seclabel");
    xmlNode *c;
    size_t i;

    for (c = root->children; c; c = c->next) {
        mvSecLabelDef *l = NULL;
        int rc;

        if (c->type != XML_ELEMENT_NODE || c->ns ||
            strcmp((const char *)c->name, "seclabel") != 0)
            continue;
        if (def->seclabels->len >= MV_DOMAIN_MAX_DEVICES) {
            mvReportError(VIR_ERR_XML_ERROR, "more than %d <seclabel> elements",
                          MV_DOMAIN_MAX_DEVICES);
            return -1;
        }
        if ((rc = mvSecLabelParse(c, flags, &l)) < 0)
            return -1;
        if (rc == 0)
            continue;
        g_ptr_array_add(def->seclabels, l);
        if (count > 1 && !l->model) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "missing security model when using multiple labels");
            return -1;
        }
        for (i = 0; l->model && i + 1 < def->seclabels->len; i++) {
            const mvSecLabelDef *o = g_ptr_array_index(def->seclabels, i);

            if (g_strcmp0(o->model, l->model) == 0) {
                mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_XML_DETAIL, __FILE__, __func__,
                                       __LINE__, "seclabel for model %s is already provided",
                                       l->model);
                return -1;
            }
        }
    }
    return 0;
}

void
mvDomainDefFormatSecLabels(mvBuf *buf, const mvDomainDef *def, unsigned int flags)
{
    bool live = flags & MV_DOMAIN_DEF_FORMAT_LIVE;
    size_t i;

    for (i = 0; def->seclabels && i < def->seclabels->len; i++) {
        const mvSecLabelDef *l = g_ptr_array_index(def->seclabels, i);
        g_auto(mvBuf) body = MV_CHILD_BUF(buf);
        g_autofree char *head = NULL;
        g_autoptr(GString) h = g_string_new(NULL);

        g_string_append_printf(h, "<seclabel type='%s'", mvSecLabelTypeToString(l->type));
        if (l->model) {
            g_autofree char *esc = g_markup_escape_text(l->model, -1);

            g_string_append_printf(h, " model='%s'", esc);
        }
        if (l->type == MV_SECLABEL_NONE) {
            mvBufAsprintf(buf, "%s/>\n", h->str);
            continue;
        }
        g_string_append_printf(h, " relabel='%s'", l->relabel ? "yes" : "no");
        if (l->type == MV_SECLABEL_STATIC || live)
            mvBufEscapeString(&body, "<label>%s</label>\n", l->label);
        if (l->relabel && live)
            mvBufEscapeString(&body, "<imagelabel>%s</imagelabel>\n", l->imagelabel);
        if (l->type == MV_SECLABEL_DYNAMIC)
            mvBufEscapeString(&body, "<baselabel>%s</baselabel>\n", l->baselabel);
        head = g_string_free(g_steal_pointer(&h), FALSE);
        mvDomainFormatElement(buf, "seclabel", head, &body);
    }
}

/* ---------------------------------------------------------------------- */
/* Entry points */

int
mvDomainDefParseTune(xmlNode *root, mvDomainDef *def, unsigned int flags)
{
    if (!def->seclabels)
        def->seclabels = g_ptr_array_new_with_free_func(mvSecLabelDefFree);
    if (mvDomainMemoryBackingParse(root, def) < 0 ||
        mvDomainIOThreadsParse(root, def) < 0 ||
        mvDomainCputuneParse(root, def) < 0 ||
        mvDomainResourceParse(root, def) < 0 ||
        mvDomainSecLabelsParse(root, def, flags) < 0)
        return -1;
    return 0;
}

int
mvDomainDefPostParseTune(mvDomainDef *def)
{
    return mvDomainMemoryBackingPostParse(def);
}
