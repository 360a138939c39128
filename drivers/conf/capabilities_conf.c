/*
 * capabilities_conf: see capabilities_conf.h.  Formatting walks the struct
 * one function per element in libvirt 9.0's order.  Parsing validates the
 * document against schemas/capability.rng first (so what is read below is
 * already well-typed, except for range checks made here with the line),
 * then reads each element into the struct.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "capabilities_conf.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_CAPABILITIES

/* ---- lifecycle and builders ---- */

static void
mvCapsCellFree(gpointer p)
{
    mvCapsCell *cell = p;
    guint i;

    for (i = 0; i < cell->cpus->len; i++)
        g_free(g_array_index(cell->cpus, mvCapsCellCPU, i).siblings);
    g_array_unref(cell->cpus);
    g_array_unref(cell->pages);
    g_array_unref(cell->distances);
    g_free(cell);
}

static void
mvCapsCacheBankFree(gpointer p)
{
    mvCapsCacheBank *b = p;

    g_free(b->type);
    g_free(b->unit);
    g_free(b->cpus);
    g_free(b);
}

static void
mvCapsBaseLabelFree(gpointer p)
{
    mvCapsBaseLabel *l = p;

    g_free(l->type);
    g_free(l->label);
    g_free(l);
}

static void
mvCapsSecModelFree(gpointer p)
{
    mvCapsSecModel *sm = p;

    g_free(sm->model);
    g_free(sm->doi);
    g_ptr_array_unref(sm->baselabels);
    g_free(sm);
}

static void
mvCapsMachineFree(gpointer p)
{
    mvCapsMachine *m = p;

    g_free(m->name);
    g_free(m->canonical);
    g_free(m);
}

static void
mvCapsGuestDomainFree(gpointer p)
{
    mvCapsGuestDomain *d = p;

    g_free(d->type);
    g_free(d->emulator);
    g_ptr_array_unref(d->machines);
    g_free(d);
}

static void
mvCapsGuestFeatureFree(gpointer p)
{
    mvCapsGuestFeature *f = p;

    g_free(f->name);
    g_free(f);
}

static void
mvCapsGuestFree(gpointer p)
{
    mvCapsGuest *g = p;

    g_free(g->osType);
    g_free(g->arch);
    g_free(g->emulator);
    g_free(g->loader);
    g_ptr_array_unref(g->machines);
    g_ptr_array_unref(g->domains);
    g_ptr_array_unref(g->features);
    g_free(g);
}

mvCaps *
mvCapsNew(void)
{
    mvCaps *caps = g_new0(mvCaps, 1);

    caps->host.legacyFeatures = g_ptr_array_new_with_free_func(g_free);
    caps->host.cpuFeatures = g_ptr_array_new_with_free_func(g_free);
    caps->host.pageSizes = g_array_new(FALSE, TRUE, sizeof(unsigned int));
    caps->host.counterScaling = -1;
    caps->host.iommu = -1;
    caps->host.uriTransports = g_ptr_array_new_with_free_func(g_free);
    caps->host.cells = g_ptr_array_new_with_free_func(mvCapsCellFree);
    caps->host.cacheBanks = g_ptr_array_new_with_free_func(mvCapsCacheBankFree);
    caps->host.secModels = g_ptr_array_new_with_free_func(mvCapsSecModelFree);
    caps->guests = g_ptr_array_new_with_free_func(mvCapsGuestFree);
    return caps;
}

void
mvCapsFree(mvCaps *caps)
{
    mvCapsHost *h;

    if (!caps)
        return;
    h = &caps->host;
    g_free(h->arch);
    g_clear_pointer(&h->legacyFeatures, g_ptr_array_unref);
    g_free(h->cpuModel);
    g_free(h->cpuVendor);
    g_free(h->counterName);
    g_clear_pointer(&h->cpuFeatures, g_ptr_array_unref);
    g_clear_pointer(&h->pageSizes, g_array_unref);
    g_clear_pointer(&h->uriTransports, g_ptr_array_unref);
    g_clear_pointer(&h->cells, g_ptr_array_unref);
    g_clear_pointer(&h->cacheBanks, g_ptr_array_unref);
    g_clear_pointer(&h->secModels, g_ptr_array_unref);
    g_clear_pointer(&caps->guests, g_ptr_array_unref);
    g_free(caps);
}

mvCapsCell *
mvCapsAddCell(mvCaps *caps, unsigned int id, guint64 memoryKiB)
{
    mvCapsCell *cell = g_new0(mvCapsCell, 1);

    cell->id = id;
    cell->memory = memoryKiB;
    cell->pages = g_array_new(FALSE, TRUE, sizeof(mvCapsPages));
    cell->distances = g_array_new(FALSE, TRUE, sizeof(mvCapsDistance));
    cell->cpus = g_array_new(FALSE, TRUE, sizeof(mvCapsCellCPU));
    g_ptr_array_add(caps->host.cells, cell);
    return cell;
}

mvCapsSecModel *
mvCapsAddSecModel(mvCaps *caps, const char *model, const char *doi)
{
    mvCapsSecModel *sm = g_new0(mvCapsSecModel, 1);

    sm->model = g_strdup(model);
    sm->doi = g_strdup(doi);
    sm->baselabels = g_ptr_array_new_with_free_func(mvCapsBaseLabelFree);
    g_ptr_array_add(caps->host.secModels, sm);
    return sm;
}

void
mvCapsSecModelAddBaseLabel(mvCapsSecModel *sm, const char *type, const char *label)
{
    mvCapsBaseLabel *l = g_new0(mvCapsBaseLabel, 1);

    l->type = g_strdup(type);
    l->label = g_strdup(label);
    g_ptr_array_add(sm->baselabels, l);
}

mvCapsGuest *
mvCapsAddGuest(mvCaps *caps, const char *osType, const char *arch, unsigned int wordsize,
               const char *emulator)
{
    mvCapsGuest *g = g_new0(mvCapsGuest, 1);

    g->osType = g_strdup(osType);
    g->arch = g_strdup(arch);
    g->wordsize = wordsize;
    g->emulator = g_strdup(emulator);
    g->machines = g_ptr_array_new_with_free_func(mvCapsMachineFree);
    g->domains = g_ptr_array_new_with_free_func(mvCapsGuestDomainFree);
    g->features = g_ptr_array_new_with_free_func(mvCapsGuestFeatureFree);
    g_ptr_array_add(caps->guests, g);
    return g;
}

mvCapsMachine *
mvCapsGuestAddMachine(GPtrArray *machines, const char *name, const char *canonical,
                      unsigned int maxCpus)
{
    mvCapsMachine *m = g_new0(mvCapsMachine, 1);

    m->name = g_strdup(name);
    m->canonical = g_strdup(canonical);
    m->maxCpus = maxCpus;
    g_ptr_array_add(machines, m);
    return m;
}

mvCapsGuestDomain *
mvCapsGuestAddDomain(mvCapsGuest *guest, const char *type)
{
    mvCapsGuestDomain *d = g_new0(mvCapsGuestDomain, 1);

    d->type = g_strdup(type);
    d->machines = g_ptr_array_new_with_free_func(mvCapsMachineFree);
    g_ptr_array_add(guest->domains, d);
    return d;
}

/* @defaultOn and @toggle: -1 not written, else 0/1. */
void
mvCapsGuestAddFeature(mvCapsGuest *guest, const char *name, int defaultOn, int toggle)
{
    mvCapsGuestFeature *f = g_new0(mvCapsGuestFeature, 1);

    f->name = g_strdup(name);
    f->hasDefault = defaultOn >= 0;
    f->defaultOn = defaultOn > 0;
    f->hasToggle = toggle >= 0;
    f->toggle = toggle > 0;
    g_ptr_array_add(guest->features, f);
}

/* ---- parse helpers ---- */

static bool
mvCapsIsElement(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static char *
mvCapsChildText(const xmlNode *node, const char *name)
{
    char *text = NULL;

    if (mvXMLChildString(node, name, &text) == 0)
        return NULL;
    return text;
}

/* An unsigned 64-bit number in @text of @node (element or attribute
 * @what). */
static int
mvCapsParseU64(const xmlNode *node, const char *what, const char *text, guint64 *value)
{
    char *end = NULL;
    guint64 v;

    if (!text || !g_ascii_isdigit(text[0]) ||
        (v = g_ascii_strtoull(text, &end, 10), *end != '\0')) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "invalid value '%s' of %s in element <%s> on line %ld",
                      text ? text : "", what, (const char *)node->name, mvXMLNodeLine(node));
        return -1;
    }
    *value = v;
    return 0;
}

static int
mvCapsChildU64(const xmlNode *node, const char *name, guint64 *value)
{
    xmlNode *child = mvXMLChildFind(node, name);
    g_autofree char *text = NULL;

    if (!child)
        return 0;
    text = mvXMLNodeContent(child);
    if (mvCapsParseU64(child, "content", text, value) < 0)
        return -1;
    return 1;
}

static int
mvCapsChildUInt(const xmlNode *node, const char *name, unsigned int *value)
{
    guint64 v = 0;
    int rc = mvCapsChildU64(node, name, &v);

    if (rc == 1 && v > G_MAXUINT) {
        mvReportError(VIR_ERR_XML_ERROR, "value %" G_GUINT64_FORMAT " of <%s> on line %ld "
                      "is out of range", v, name, mvXMLNodeLine(mvXMLChildFind(node, name)));
        return -1;
    }
    if (rc == 1)
        *value = (unsigned int)v;
    return rc;
}

static int
mvCapsPropU64(const xmlNode *node, const char *name, guint64 *value)
{
    g_autofree char *str = NULL;
    g_autofree char *what = NULL;

    if (mvXMLPropString(node, name, &str) == 0)
        return 0;
    what = g_strdup_printf("attribute '%s'", name);
    if (mvCapsParseU64(node, what, str, value) < 0)
        return -1;
    return 1;
}

/* ---- parse ---- */

static int
mvCapsParseHostCPU(xmlNode *cpu, mvCapsHost *h)
{
    xmlNode *cur;
    xmlNode *elem;

    h->arch = mvCapsChildText(cpu, "arch");
    h->cpuModel = mvCapsChildText(cpu, "model");
    h->cpuVendor = mvCapsChildText(cpu, "vendor");
    if ((elem = mvXMLChildFind(cpu, "features"))) {
        for (cur = elem->children; cur; cur = cur->next) {
            if (cur->type == XML_ELEMENT_NODE)
                g_ptr_array_add(h->legacyFeatures, g_strdup((const char *)cur->name));
        }
    }
    if ((elem = mvXMLChildFind(cpu, "microcode"))) {
        if (mvXMLPropUInt(elem, "version", &h->microcode) < 0)
            return -1;
        h->hasMicrocode = true;
    }
    if ((elem = mvXMLChildFind(cpu, "signature"))) {
        if (mvXMLPropUInt(elem, "family", &h->sigFamily) < 0 ||
            mvXMLPropUInt(elem, "model", &h->sigModel) < 0 ||
            mvXMLPropUInt(elem, "stepping", &h->sigStepping) < 0)
            return -1;
        h->hasSignature = true;
    }
    if ((elem = mvXMLChildFind(cpu, "counter"))) {
        bool scaling;
        int rc;

        mvXMLPropString(elem, "name", &h->counterName);
        if (mvCapsPropU64(elem, "frequency", &h->counterFrequency) < 0 ||
            (rc = mvXMLPropYesNo(elem, "scaling", &scaling)) < 0)
            return -1;
        if (rc == 1)
            h->counterScaling = scaling ? 1 : 0;
    }
    if ((elem = mvXMLChildFind(cpu, "topology"))) {
        if (mvXMLPropUInt(elem, "sockets", &h->sockets) < 0 ||
            mvXMLPropUInt(elem, "dies", &h->dies) < 0 ||
            mvXMLPropUInt(elem, "cores", &h->cores) < 0 ||
            mvXMLPropUInt(elem, "threads", &h->threads) < 0)
            return -1;
        h->hasTopology = true;
    }
    for (cur = cpu->children; cur; cur = cur->next) {
        if (mvCapsIsElement(cur, "feature")) {
            char *name = NULL;

            if (mvXMLPropString(cur, "name", &name) == 1)
                g_ptr_array_add(h->cpuFeatures, name);
        } else if (mvCapsIsElement(cur, "pages")) {
            unsigned int size = 0;

            if (mvXMLPropUInt(cur, "size", &size) < 0)
                return -1;
            g_array_append_val(h->pageSizes, size);
        }
    }
    return 0;
}

static int
mvCapsParseCell(xmlNode *node, mvCaps *caps)
{
    unsigned int id = 0;
    guint64 memory = 0;
    mvCapsCell *cell;
    xmlNode *cur;
    xmlNode *elem;

    if (mvXMLPropUInt(node, "id", &id) < 0 || mvCapsChildU64(node, "memory", &memory) < 0)
        return -1;
    cell = mvCapsAddCell(caps, id, memory);
    for (cur = node->children; cur; cur = cur->next) {
        mvCapsPages pg = { 0 };
        g_autofree char *text = NULL;

        if (!mvCapsIsElement(cur, "pages"))
            continue;
        if (mvXMLPropUInt(cur, "size", &pg.size) < 0)
            return -1;
        text = mvXMLNodeContent(cur);
        if (*text) {
            if (mvCapsParseU64(cur, "content", text, &pg.count) < 0)
                return -1;
            pg.hasCount = true;
        }
        g_array_append_val(cell->pages, pg);
    }
    if ((elem = mvXMLChildFind(node, "distances"))) {
        for (cur = elem->children; cur; cur = cur->next) {
            mvCapsDistance d = { 0 };

            if (!mvCapsIsElement(cur, "sibling"))
                continue;
            if (mvXMLPropUInt(cur, "id", &d.id) < 0 || mvXMLPropUInt(cur, "value", &d.value) < 0)
                return -1;
            g_array_append_val(cell->distances, d);
        }
    }
    if ((elem = mvXMLChildFind(node, "cpus"))) {
        unsigned int num = 0;

        if (mvXMLPropUInt(elem, "num", &num) < 0)
            return -1;
        for (cur = elem->children; cur; cur = cur->next) {
            mvCapsCellCPU c = { 0 };
            int rc;

            if (!mvCapsIsElement(cur, "cpu"))
                continue;
            if (mvXMLPropUInt(cur, "id", &c.id) < 0 ||
                (rc = mvXMLPropUInt(cur, "socket_id", &c.socketId)) < 0 ||
                mvXMLPropUInt(cur, "die_id", &c.dieId) < 0 ||
                mvXMLPropUInt(cur, "core_id", &c.coreId) < 0)
                return -1;
            c.hasTopology = rc == 1;
            mvXMLPropString(cur, "siblings", &c.siblings);
            g_array_append_val(cell->cpus, c);
        }
        if (num != cell->cpus->len) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "<cpus num='%u'> on line %ld lists %u CPUs", num,
                          mvXMLNodeLine(elem), cell->cpus->len);
            return -1;
        }
    }
    return 0;
}

static int
mvCapsParseTopology(xmlNode *topo, mvCaps *caps)
{
    xmlNode *cells = mvXMLChildFind(topo, "cells");
    unsigned int num = 0;
    xmlNode *cur;

    if (!cells || mvXMLPropUInt(cells, "num", &num) < 0)
        return -1;
    for (cur = cells->children; cur; cur = cur->next) {
        if (mvCapsIsElement(cur, "cell") && mvCapsParseCell(cur, caps) < 0)
            return -1;
    }
    if (num != caps->host.cells->len) {
        mvReportError(VIR_ERR_XML_ERROR, "<cells num='%u'> on line %ld lists %u cells",
                      num, mvXMLNodeLine(cells), caps->host.cells->len);
        return -1;
    }
    return 0;
}

static int
mvCapsParseHost(xmlNode *host, mvCaps *caps)
{
    mvCapsHost *h = &caps->host;
    g_autofree char *uuid = mvCapsChildText(host, "uuid");
    xmlNode *elem;
    xmlNode *cur;

    if (uuid) {
        if (mvUUIDParse(uuid, h->uuid) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "malformed host uuid '%s' on line %ld", uuid,
                          mvXMLNodeLine(mvXMLChildFind(host, "uuid")));
            return -1;
        }
        h->hasUUID = true;
    }
    if (mvCapsParseHostCPU(mvXMLChildFind(host, "cpu"), h) < 0)
        return -1;
    if ((elem = mvXMLChildFind(host, "power_management"))) {
        h->hasPowerManagement = true;
        h->suspendMem = mvXMLChildFind(elem, "suspend_mem") != NULL;
        h->suspendDisk = mvXMLChildFind(elem, "suspend_disk") != NULL;
        h->suspendHybrid = mvXMLChildFind(elem, "suspend_hybrid") != NULL;
    }
    if ((elem = mvXMLChildFind(host, "iommu"))) {
        bool support = false;

        if (mvXMLPropYesNo(elem, "support", &support) < 0)
            return -1;
        h->iommu = support ? 1 : 0;
    }
    if ((elem = mvXMLChildFind(host, "migration_features"))) {
        xmlNode *uris = mvXMLChildFind(elem, "uri_transports");

        h->hasMigration = true;
        h->live = mvXMLChildFind(elem, "live") != NULL;
        for (cur = uris ? uris->children : NULL; cur; cur = cur->next) {
            if (mvCapsIsElement(cur, "uri_transport"))
                g_ptr_array_add(h->uriTransports, mvXMLNodeContent(cur));
        }
    }
    if ((elem = mvXMLChildFind(host, "topology")) && mvCapsParseTopology(elem, caps) < 0)
        return -1;
    if ((elem = mvXMLChildFind(host, "cache"))) {
        for (cur = elem->children; cur; cur = cur->next) {
            mvCapsCacheBank *b;

            if (!mvCapsIsElement(cur, "bank"))
                continue;
            b = g_new0(mvCapsCacheBank, 1);
            g_ptr_array_add(h->cacheBanks, b);
            if (mvXMLPropUInt(cur, "id", &b->id) < 0 ||
                mvXMLPropUInt(cur, "level", &b->level) < 0 ||
                mvCapsPropU64(cur, "size", &b->size) < 0)
                return -1;
            mvXMLPropString(cur, "type", &b->type);
            mvXMLPropString(cur, "unit", &b->unit);
            mvXMLPropString(cur, "cpus", &b->cpus);
        }
    }
    for (cur = host->children; cur; cur = cur->next) {
        mvCapsSecModel *sm;
        g_autofree char *model = NULL;
        g_autofree char *doi = NULL;
        xmlNode *lbl;

        if (!mvCapsIsElement(cur, "secmodel"))
            continue;
        model = mvCapsChildText(cur, "model");
        doi = mvCapsChildText(cur, "doi");
        sm = mvCapsAddSecModel(caps, model, doi);
        for (lbl = cur->children; lbl; lbl = lbl->next) {
            g_autofree char *type = NULL;
            g_autofree char *label = NULL;

            if (!mvCapsIsElement(lbl, "baselabel"))
                continue;
            mvXMLPropString(lbl, "type", &type);
            label = mvXMLNodeContent(lbl);
            mvCapsSecModelAddBaseLabel(sm, type, label);
        }
    }
    return 0;
}

static int
mvCapsParseMachine(xmlNode *node, GPtrArray *machines)
{
    g_autofree char *name = mvXMLNodeContent(node);
    g_autofree char *canonical = NULL;
    unsigned int maxCpus = 0;
    bool deprecated = false;
    mvCapsMachine *m;

    mvXMLPropString(node, "canonical", &canonical);
    if (mvXMLPropUInt(node, "maxCpus", &maxCpus) < 0 ||
        mvXMLPropYesNo(node, "deprecated", &deprecated) < 0)
        return -1;
    m = mvCapsGuestAddMachine(machines, name, canonical, maxCpus);
    m->deprecated = deprecated;
    return 0;
}

static int
mvCapsParseGuest(xmlNode *node, mvCaps *caps)
{
    xmlNode *arch = mvXMLChildFind(node, "arch");
    g_autofree char *osType = mvCapsChildText(node, "os_type");
    g_autofree char *archName = NULL;
    g_autofree char *emulator = mvCapsChildText(arch, "emulator");
    unsigned int wordsize = 0;
    mvCapsGuest *g;
    xmlNode *cur;
    xmlNode *feats;

    mvXMLPropString(arch, "name", &archName);
    if (mvCapsChildUInt(arch, "wordsize", &wordsize) < 0)
        return -1;
    g = mvCapsAddGuest(caps, osType, archName, wordsize, emulator);
    g->loader = mvCapsChildText(arch, "loader");
    for (cur = arch->children; cur; cur = cur->next) {
        if (mvCapsIsElement(cur, "machine")) {
            if (mvCapsParseMachine(cur, g->machines) < 0)
                return -1;
        } else if (mvCapsIsElement(cur, "domain")) {
            g_autofree char *type = NULL;
            mvCapsGuestDomain *d;
            xmlNode *m;

            mvXMLPropString(cur, "type", &type);
            d = mvCapsGuestAddDomain(g, type);
            d->emulator = mvCapsChildText(cur, "emulator");
            for (m = cur->children; m; m = m->next) {
                if (mvCapsIsElement(m, "machine") && mvCapsParseMachine(m, d->machines) < 0)
                    return -1;
            }
        }
    }
    if ((feats = mvXMLChildFind(node, "features"))) {
        for (cur = feats->children; cur; cur = cur->next) {
            static const char * const onOff[] = { "off", "on" };
            int defaultOn = -1;
            bool toggle = false;
            int hasToggle;

            if (cur->type != XML_ELEMENT_NODE)
                continue;
            if (mvXMLPropEnum(cur, "default", onOff, G_N_ELEMENTS(onOff), &defaultOn) < 0 ||
                (hasToggle = mvXMLPropYesNo(cur, "toggle", &toggle)) < 0)
                return -1;
            mvCapsGuestAddFeature(g, (const char *)cur->name, defaultOn,
                                  hasToggle == 1 ? toggle : -1);
        }
    }
    return 0;
}

static mvCaps *
mvCapsParseDoc(xmlDoc *doc)
{
    g_autoptr(mvCaps) caps = mvCapsNew();
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *cur;

    if (mvXMLValidate(doc, MV_CAPS_SCHEMA) < 0)
        return NULL;
    if (mvCapsParseHost(mvXMLChildFind(root, "host"), caps) < 0)
        return NULL;
    for (cur = root->children; cur; cur = cur->next) {
        if (mvCapsIsElement(cur, "guest") && mvCapsParseGuest(cur, caps) < 0)
            return NULL;
    }
    return g_steal_pointer(&caps);
}

mvCaps *
mvCapsParse(const char *xml)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_CAPS_XML_NAME, "capabilities",
                                 VIR_FROM_CAPABILITIES)))
        return NULL;
    return mvCapsParseDoc(doc);
}

mvCaps *
mvCapsParseFile(const char *path)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "capabilities", VIR_FROM_CAPABILITIES)))
        return NULL;
    return mvCapsParseDoc(doc);
}

/* ---- format ---- */

static void
mvCapsFormatHostCPU(mvBuf *buf, const mvCapsHost *h)
{
    guint i;

    mvBufAdd(buf, "<cpu>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<arch>%s</arch>\n", h->arch);
    if (h->legacyFeatures->len) {
        mvBufAdd(buf, "<features>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < h->legacyFeatures->len; i++)
            mvBufAsprintf(buf, "<%s/>\n", (const char *)g_ptr_array_index(h->legacyFeatures, i));
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</features>\n");
    }
    mvBufEscapeString(buf, "<model>%s</model>\n", h->cpuModel);
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", h->cpuVendor);
    if (h->hasMicrocode)
        mvBufAsprintf(buf, "<microcode version='%u'/>\n", h->microcode);
    if (h->hasSignature)
        mvBufAsprintf(buf, "<signature family='%u' model='%u' stepping='%u'/>\n",
                      h->sigFamily, h->sigModel, h->sigStepping);
    if (h->counterName) {
        mvBufEscapeString(buf, "<counter name='%s'", h->counterName);
        mvBufAsprintf(buf, " frequency='%" G_GUINT64_FORMAT "'", h->counterFrequency);
        if (h->counterScaling >= 0)
            mvBufAsprintf(buf, " scaling='%s'", h->counterScaling ? "yes" : "no");
        mvBufAdd(buf, "/>\n");
    }
    if (h->hasTopology)
        mvBufAsprintf(buf, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>\n",
                      h->sockets, h->dies, h->cores, h->threads);
    for (i = 0; i < h->cpuFeatures->len; i++)
        mvBufEscapeString(buf, "<feature name='%s'/>\n", g_ptr_array_index(h->cpuFeatures, i));
    for (i = 0; i < h->pageSizes->len; i++)
        mvBufAsprintf(buf, "<pages unit='KiB' size='%u'/>\n",
                      g_array_index(h->pageSizes, unsigned int, i));
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cpu>\n");
}

static void
mvCapsFormatCell(mvBuf *buf, const mvCapsCell *cell)
{
    guint i;

    mvBufAsprintf(buf, "<cell id='%u'>\n", cell->id);
    mvBufAdjustIndent(buf, 2);
    if (cell->memory)
        mvBufAsprintf(buf, "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>\n", cell->memory);
    for (i = 0; i < cell->pages->len; i++) {
        const mvCapsPages *pg = &g_array_index(cell->pages, mvCapsPages, i);

        mvBufAsprintf(buf, "<pages unit='KiB' size='%u'>%" G_GUINT64_FORMAT "</pages>\n",
                      pg->size, pg->count);
    }
    if (cell->distances->len) {
        mvBufAdd(buf, "<distances>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < cell->distances->len; i++) {
            const mvCapsDistance *d = &g_array_index(cell->distances, mvCapsDistance, i);

            mvBufAsprintf(buf, "<sibling id='%u' value='%u'/>\n", d->id, d->value);
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</distances>\n");
    }
    mvBufAsprintf(buf, "<cpus num='%u'>\n", cell->cpus->len);
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < cell->cpus->len; i++) {
        const mvCapsCellCPU *c = &g_array_index(cell->cpus, mvCapsCellCPU, i);

        mvBufAsprintf(buf, "<cpu id='%u'", c->id);
        if (c->hasTopology) {
            mvBufAsprintf(buf, " socket_id='%u' die_id='%u' core_id='%u'",
                          c->socketId, c->dieId, c->coreId);
            mvBufEscapeString(buf, " siblings='%s'", c->siblings);
        }
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cpus>\n");
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cell>\n");
}

static void
mvCapsFormatHost(mvBuf *buf, const mvCapsHost *h)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];
    guint i, j;

    mvBufAdd(buf, "<host>\n");
    mvBufAdjustIndent(buf, 2);
    if (h->hasUUID)
        mvBufAsprintf(buf, "<uuid>%s</uuid>\n", mvUUIDFormat(h->uuid, uuidstr));
    mvCapsFormatHostCPU(buf, h);
    if (h->hasPowerManagement) {
        if (!h->suspendMem && !h->suspendDisk && !h->suspendHybrid) {
            mvBufAdd(buf, "<power_management/>\n");
        } else {
            mvBufAdd(buf, "<power_management>\n");
            mvBufAdjustIndent(buf, 2);
            if (h->suspendMem)
                mvBufAdd(buf, "<suspend_mem/>\n");
            if (h->suspendDisk)
                mvBufAdd(buf, "<suspend_disk/>\n");
            if (h->suspendHybrid)
                mvBufAdd(buf, "<suspend_hybrid/>\n");
            mvBufAdjustIndent(buf, -2);
            mvBufAdd(buf, "</power_management>\n");
        }
    }
    if (h->iommu >= 0)
        mvBufAsprintf(buf, "<iommu support='%s'/>\n", h->iommu ? "yes" : "no");
    if (h->hasMigration) {
        mvBufAdd(buf, "<migration_features>\n");
        mvBufAdjustIndent(buf, 2);
        if (h->live)
            mvBufAdd(buf, "<live/>\n");
        if (h->uriTransports->len) {
            mvBufAdd(buf, "<uri_transports>\n");
            mvBufAdjustIndent(buf, 2);
            for (i = 0; i < h->uriTransports->len; i++)
                mvBufEscapeString(buf, "<uri_transport>%s</uri_transport>\n",
                                  g_ptr_array_index(h->uriTransports, i));
            mvBufAdjustIndent(buf, -2);
            mvBufAdd(buf, "</uri_transports>\n");
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</migration_features>\n");
    }
    if (h->cells->len) {
        mvBufAdd(buf, "<topology>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufAsprintf(buf, "<cells num='%u'>\n", h->cells->len);
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < h->cells->len; i++)
            mvCapsFormatCell(buf, g_ptr_array_index(h->cells, i));
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</cells>\n");
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</topology>\n");
    }
    if (h->cacheBanks->len) {
        mvBufAdd(buf, "<cache>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < h->cacheBanks->len; i++) {
            const mvCapsCacheBank *b = g_ptr_array_index(h->cacheBanks, i);

            mvBufAsprintf(buf, "<bank id='%u' level='%u'", b->id, b->level);
            mvBufEscapeString(buf, " type='%s'", b->type);
            mvBufAsprintf(buf, " size='%" G_GUINT64_FORMAT "'", b->size);
            mvBufEscapeString(buf, " unit='%s'", b->unit);
            mvBufEscapeString(buf, " cpus='%s'", b->cpus);
            mvBufAdd(buf, "/>\n");
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</cache>\n");
    }
    for (i = 0; i < h->secModels->len; i++) {
        const mvCapsSecModel *sm = g_ptr_array_index(h->secModels, i);

        mvBufAdd(buf, "<secmodel>\n");
        mvBufAdjustIndent(buf, 2);
        mvBufEscapeString(buf, "<model>%s</model>\n", sm->model ? sm->model : "");
        mvBufEscapeString(buf, "<doi>%s</doi>\n", sm->doi ? sm->doi : "");
        for (j = 0; j < sm->baselabels->len; j++) {
            const mvCapsBaseLabel *l = g_ptr_array_index(sm->baselabels, j);

            mvBufEscapeString(buf, "<baselabel type='%s'>", l->type);
            mvBufAddEscaped(buf, l->label);
            mvBufAdd(buf, "</baselabel>\n");
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</secmodel>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</host>\n");
}

static void
mvCapsFormatMachines(mvBuf *buf, const GPtrArray *machines)
{
    guint i;

    for (i = 0; i < machines->len; i++) {
        const mvCapsMachine *m = g_ptr_array_index(machines, i);

        mvBufAdd(buf, "<machine");
        mvBufEscapeString(buf, " canonical='%s'", m->canonical);
        if (m->maxCpus)
            mvBufAsprintf(buf, " maxCpus='%u'", m->maxCpus);
        if (m->deprecated)
            mvBufAdd(buf, " deprecated='yes'");
        mvBufAdd(buf, ">");
        mvBufAddEscaped(buf, m->name);
        mvBufAdd(buf, "</machine>\n");
    }
}

static void
mvCapsFormatGuest(mvBuf *buf, const mvCapsGuest *g)
{
    guint i;

    mvBufAdd(buf, "<guest>\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<os_type>%s</os_type>\n", g->osType);
    mvBufEscapeString(buf, "<arch name='%s'>\n", g->arch);
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<wordsize>%u</wordsize>\n", g->wordsize);
    mvBufEscapeString(buf, "<emulator>%s</emulator>\n", g->emulator);
    mvBufEscapeString(buf, "<loader>%s</loader>\n", g->loader);
    mvCapsFormatMachines(buf, g->machines);
    for (i = 0; i < g->domains->len; i++) {
        const mvCapsGuestDomain *d = g_ptr_array_index(g->domains, i);

        if (!d->emulator && d->machines->len == 0) {
            mvBufEscapeString(buf, "<domain type='%s'/>\n", d->type);
            continue;
        }
        mvBufEscapeString(buf, "<domain type='%s'>\n", d->type);
        mvBufAdjustIndent(buf, 2);
        mvBufEscapeString(buf, "<emulator>%s</emulator>\n", d->emulator);
        mvCapsFormatMachines(buf, d->machines);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</domain>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</arch>\n");
    if (g->features->len) {
        mvBufAdd(buf, "<features>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < g->features->len; i++) {
            const mvCapsGuestFeature *f = g_ptr_array_index(g->features, i);

            mvBufAsprintf(buf, "<%s", f->name);
            if (f->hasDefault)
                mvBufAsprintf(buf, " default='%s'", f->defaultOn ? "on" : "off");
            if (f->hasToggle)
                mvBufAsprintf(buf, " toggle='%s'", f->toggle ? "yes" : "no");
            mvBufAdd(buf, "/>\n");
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</features>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</guest>\n");
}

char *
mvCapsFormat(const mvCaps *caps)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    guint i;

    mvBufAdd(&buf, "<capabilities>\n\n");
    mvBufAdjustIndent(&buf, 2);
    mvCapsFormatHost(&buf, &caps->host);
    mvBufAdd(&buf, "\n");
    for (i = 0; i < caps->guests->len; i++) {
        mvCapsFormatGuest(&buf, g_ptr_array_index(caps->guests, i));
        mvBufAdd(&buf, "\n");
    }
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</capabilities>\n");
    return mvBufContentAndReset(&buf);
}
