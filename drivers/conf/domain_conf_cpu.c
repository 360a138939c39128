/*
 * domain_conf_cpu: the processor and platform elements of a domain
 * definition, split out of domain_conf.c to keep files small: <features>
 * (with <hyperv>), <cpu> (mode, model, topology, features, guest NUMA
 * cells), <clock> with its timers and <pm>.  One parse and one format
 * function per element, called by domain_conf.c in document order; the
 * structs are in domain_conf.h, the entry points in domain_conf_priv.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

MV_ENUM_IMPL(mvDomainFeature, MV_DOMAIN_FEATURE_LAST,
             "acpi", "apic", "pae", "hap", "hyperv", "vmport", "smm")
MV_ENUM_IMPL(mvDomainHyperv, MV_DOMAIN_HYPERV_LAST, "relaxed", "vapic", "spinlocks")
MV_ENUM_IMPL(mvCPUMode, MV_CPU_MODE_LAST,
             "custom", "host-model", "host-passthrough", "maximum")
MV_ENUM_IMPL(mvClockOffset, MV_CLOCK_OFFSET_LAST, "utc", "localtime", "variable", "timezone")

void
mvCPUClear(mvCPUDef *cpu)
{
    size_t i;

    g_free(cpu->match);
    g_free(cpu->check);
    g_free(cpu->model);
    g_free(cpu->fallback);
    g_free(cpu->vendor);
    for (i = 0; i < cpu->nfeatures; i++) {
        g_free(cpu->features[i].name);
        g_free(cpu->features[i].policy);
    }
    g_free(cpu->features);
    for (i = 0; i < cpu->ncells; i++)
        g_free(cpu->cells[i].cpus);
    g_free(cpu->cells);
}

void
mvDomainClockClear(mvDomainClockDef *clock)
{
    size_t i;

    g_free(clock->adjustment);
    g_free(clock->basis);
    g_free(clock->timezone);
    for (i = 0; i < clock->ntimers; i++) {
        g_free(clock->timers[i].name);
        g_free(clock->timers[i].tickpolicy);
    }
    g_free(clock->timers);
}

/* A feature whose element carries an optional state='on|off' (absent: on). */
static int
mvDomainDefParseFeatureState(xmlNode *n, int *value)
{
    int state = MV_TRISTATE_YES;

    if (mvDomainCheckNode(n, (const char *[]){ "state", NULL }, NULL) < 0 ||
        mvDomainPropTristate(n, "state", true, &state) < 0)
        return -1;
    *value = state;
    return 0;
}

static int
mvDomainDefParseHyperv(xmlNode *n, mvDomainDef *def)
{
    xmlNode *c;
    size_t i;

    if (mvDomainCheckNode(n, (const char *[]){ "mode", NULL },
                          (const char *[]){ "relaxed", "vapic", "spinlocks", NULL }) < 0)
        return -1;
    def->features.hypervMode = mvDomainProp(n, "mode");
    if (!def->features.hypervMode)
        def->features.hypervMode = g_strdup("custom");
    if (strcmp(def->features.hypervMode, "custom") != 0 &&
        strcmp(def->features.hypervMode, "passthrough") != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "unsupported HyperV mode '%s'",
                      def->features.hypervMode);
        return -1;
    }
    for (i = 0; i < MV_DOMAIN_HYPERV_LAST; i++) {
        int state = MV_TRISTATE_ABSENT;

        if (!(c = mvXMLChildFind(n, mvDomainHypervToString(i))))
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "state", i == MV_DOMAIN_HYPERV_SPINLOCKS ?
                                                             "retries" : NULL, NULL },
                              NULL) < 0 ||
            mvDomainPropTristate(c, "state", true, &state) < 0)
            return -1;
        if (state == MV_TRISTATE_ABSENT) {
            mvReportError(VIR_ERR_XML_ERROR, "missing 'state' attribute for HyperV Enlightenment "
                          "feature '%s'", mvDomainHypervToString(i));
            return -1;
        }
        def->features.hyperv[i] = state;
        if (i == MV_DOMAIN_HYPERV_SPINLOCKS && state == MV_TRISTATE_YES) {
            int rc = mvXMLPropUInt(c, "retries", &def->features.spinlockRetries);

            if (rc < 0)
                return -1;
            if (rc == 0 || def->features.spinlockRetries < 0xFFF) {
                mvReportError(VIR_ERR_XML_ERROR, "%s",
                              "HyperV spinlock retry count must be at least 4095");
                return -1;
            }
        }
    }
    return 0;
}

int
mvDomainDefParseFeatures(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "features");
    xmlNode *c;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "acpi", "apic", "pae", "hap", "hyperv",
                                                     "vmport", "smm", NULL }) < 0)
        return -1;
    for (c = n->children; c; c = c->next) {
        int f;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        f = mvDomainFeatureFromString((const char *)c->name);
        def->hasFeatures = true;
        switch ((mvDomainFeature)f) {
        case MV_DOMAIN_FEATURE_ACPI:
        case MV_DOMAIN_FEATURE_PAE:
            if (mvDomainCheckNode(c, NULL, NULL) < 0)
                return -1;
            def->features.features[f] = MV_TRISTATE_YES;
            break;
        case MV_DOMAIN_FEATURE_APIC:
            if (mvDomainCheckNode(c, (const char *[]){ "eoi", NULL }, NULL) < 0 ||
                mvDomainPropTristate(c, "eoi", true, &def->features.apicEoi) < 0)
                return -1;
            def->features.features[f] = MV_TRISTATE_YES;
            break;
        case MV_DOMAIN_FEATURE_HAP:
        case MV_DOMAIN_FEATURE_VMPORT:
        case MV_DOMAIN_FEATURE_SMM:
            if (mvDomainDefParseFeatureState(c, &def->features.features[f]) < 0)
                return -1;
            break;
        case MV_DOMAIN_FEATURE_HYPERV:
            if (mvDomainDefParseHyperv(c, def) < 0)
                return -1;
            def->features.features[f] = MV_TRISTATE_YES;
            break;
        case MV_DOMAIN_FEATURE_LAST:
            break;
        }
    }
    return 0;
}

/* <cpu><numa><cell id cpus memory unit/>...</numa>: guest NUMA cells. */
static int
mvDomainDefParseCPUNuma(xmlNode *cpuNode, mvCPUDef *cpu)
{
    xmlNode *numa = mvXMLChildFind(cpuNode, "numa");
    xmlNode *c;

    if (!numa)
        return 0;
    if (mvDomainCheckNode(numa, NULL, (const char *[]){ "cell*", NULL }) < 0)
        return -1;
    for (c = numa->children; c; c = c->next) {
        mvCPUNumaCell *cell;
        g_autofree char *cpus = NULL;
        g_autofree char *mem = NULL;
        g_autofree char *unit = NULL;
        int rc;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (cpu->ncells >= MV_DOMAIN_MAX_DEVICES) {
            mvReportError(VIR_ERR_XML_ERROR, "more than %d NUMA cells", MV_DOMAIN_MAX_DEVICES);
            return -1;
        }
        cpu->cells = g_renew(mvCPUNumaCell, cpu->cells, cpu->ncells + 1);
        cell = &cpu->cells[cpu->ncells++];
        memset(cell, 0, sizeof(*cell));
        if (mvDomainCheckNode(c, (const char *[]){ "id", "cpus", "memory", "unit", NULL },
                              NULL) < 0 ||
            (rc = mvXMLPropUInt(c, "id", &cell->id)) < 0)
            return -1;
        cpus = mvDomainProp(c, "cpus");
        mem = mvDomainProp(c, "memory");
        unit = mvDomainProp(c, "unit");
        if (rc == 0 || !mem) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "NUMA <cell> needs 'id' and 'memory' attributes");
            return -1;
        }
        if (cell->id != cpu->ncells - 1) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Cell ids in <numa> must be in ascending order starting from 0");
            return -1;
        }
        if ((cpus && !(cell->cpus = mvDomainCPUSetCanon(c, "cpus", cpus))) ||
            mvDomainParseMemorySize(mem, unit, "cell", &cell->memKiB) < 0)
            return -1;
    }
    return 0;
}

int
mvDomainDefParseCPU(xmlNode *root, mvDomainDef *def)
{
    static const char * const matches[] = { "minimum", "exact", "strict" };
    static const char * const checks[] = { "none", "partial", "full" };
    static const char * const policies[] = { "force", "require", "optional", "disable",
                                             "forbid" };
    xmlNode *n = mvXMLChildFind(root, "cpu");
    mvCPUDef *cpu = &def->cpu;
    xmlNode *model, *topo, *c;
    int v;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, (const char *[]){ "mode", "match", "check", "migratable", NULL },
                          (const char *[]){ "model", "vendor", "topology", "feature*",
                                            "numa", NULL }) < 0 ||
        mvXMLPropEnum(n, "mode", mvCPUModeNames, MV_CPU_MODE_LAST, &cpu->mode) < 0 ||
        mvXMLPropEnum(n, "match", matches, 3, &v) < 0 ||
        mvXMLPropEnum(n, "check", checks, 3, &v) < 0 ||
        mvDomainPropTristate(n, "migratable", true, &cpu->migratable) < 0)
        return -1;
    cpu->present = true;
    cpu->match = mvDomainProp(n, "match");
    cpu->check = mvDomainProp(n, "check");
    if ((model = mvXMLChildFind(n, "model"))) {
        static const char * const fallbacks[] = { "allow", "forbid" };

        if (mvDomainCheckNode(model, (const char *[]){ "fallback", NULL }, NULL) < 0 ||
            mvXMLPropEnum(model, "fallback", fallbacks, 2, &v) < 0)
            return -1;
        cpu->fallback = mvDomainProp(model, "fallback");
        cpu->model = mvDomainChildText(n, "model");
    }
    if (mvDomainCheckLeaf(n, "vendor") < 0)
        return -1;
    cpu->vendor = mvDomainChildText(n, "vendor");
    if ((topo = mvXMLChildFind(n, "topology"))) {
        if (mvDomainCheckNode(topo, (const char *[]){ "sockets", "dies", "cores", "threads",
                                                      NULL }, NULL) < 0 ||
            mvXMLPropUInt(topo, "sockets", &cpu->sockets) < 0 ||
            mvXMLPropUInt(topo, "dies", &cpu->dies) < 0 ||
            mvXMLPropUInt(topo, "cores", &cpu->cores) < 0 ||
            mvXMLPropUInt(topo, "threads", &cpu->threads) < 0)
            return -1;
        if (cpu->dies == 0)
            cpu->dies = 1;
        if (!cpu->sockets || !cpu->cores || !cpu->threads) {
            mvReportError(VIR_ERR_XML_ERROR, "%s",
                          "Invalid CPU topology: sockets, cores and threads must be given "
                          "and non-zero");
            return -1;
        }
    }
    for (c = n->children; c; c = c->next) {
        mvCPUFeature *f;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "feature") != 0)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "policy", "name", NULL }, NULL) < 0 ||
            mvXMLPropEnum(c, "policy", policies, G_N_ELEMENTS(policies), &v) < 0)
            return -1;
        cpu->features = g_renew(mvCPUFeature, cpu->features, cpu->nfeatures + 1);
        f = &cpu->features[cpu->nfeatures++];
        f->name = mvDomainProp(c, "name");
        f->policy = mvDomainProp(c, "policy");
        if (!f->policy)
            f->policy = g_strdup("require");
        if (!f->name) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "Invalid CPU feature name");
            return -1;
        }
    }
    if (mvDomainDefParseCPUNuma(n, cpu) < 0)
        return -1;
    if (cpu->mode == MV_CPU_MODE_CUSTOM && cpu->model && !cpu->match)
        cpu->match = g_strdup("exact");
    if (cpu->mode == MV_CPU_MODE_CUSTOM && cpu->model && !cpu->fallback)
        cpu->fallback = g_strdup("allow");
    return 0;
}

int
mvDomainDefParseClock(xmlNode *root, mvDomainDef *def)
{
    static const char * const policies[] = { "delay", "catchup", "merge", "discard" };
    static const char * const timers[] = { "platform", "pit", "rtc", "hpet", "tsc",
                                           "kvmclock", "hypervclock", "armvtimer" };
    xmlNode *n = mvXMLChildFind(root, "clock");
    mvDomainClockDef *clock = &def->clock;
    xmlNode *c;
    int v;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, (const char *[]){ "offset", "adjustment", "basis", "timezone",
                                               NULL },
                          (const char *[]){ "timer*", NULL }) < 0 ||
        mvXMLPropEnum(n, "offset", mvClockOffsetNames, MV_CLOCK_OFFSET_LAST,
                      &clock->offset) < 0)
        return -1;
    clock->adjustment = mvDomainProp(n, "adjustment");
    clock->basis = mvDomainProp(n, "basis");
    clock->timezone = mvDomainProp(n, "timezone");
    if (clock->offset == MV_CLOCK_OFFSET_TIMEZONE && !clock->timezone) {
        mvReportError(VIR_ERR_XML_ERROR, "%s", "missing 'timezone' attribute for clock with "
                      "offset='timezone'");
        return -1;
    }
    if (clock->offset == MV_CLOCK_OFFSET_VARIABLE && !clock->basis)
        clock->basis = g_strdup("utc");
    if (clock->offset == MV_CLOCK_OFFSET_VARIABLE && !clock->adjustment)
        clock->adjustment = g_strdup("0");
    for (c = n->children; c; c = c->next) {
        mvDomainTimerDef *t;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (mvDomainCheckNode(c, (const char *[]){ "name", "present", "tickpolicy", NULL },
                              NULL) < 0 ||
            mvXMLPropEnum(c, "name", timers, G_N_ELEMENTS(timers), &v) < 0 ||
            mvXMLPropEnum(c, "tickpolicy", policies, G_N_ELEMENTS(policies), &v) < 0)
            return -1;
        clock->timers = g_renew(mvDomainTimerDef, clock->timers, clock->ntimers + 1);
        t = &clock->timers[clock->ntimers++];
        memset(t, 0, sizeof(*t));
        t->name = mvDomainProp(c, "name");
        t->tickpolicy = mvDomainProp(c, "tickpolicy");
        if (mvDomainPropTristate(c, "present", false, &t->present) < 0)
            return -1;
        if (!t->name) {
            mvReportError(VIR_ERR_XML_ERROR, "%s", "missing timer name");
            return -1;
        }
    }
    return 0;
}

int
mvDomainDefParsePM(xmlNode *root, mvDomainDef *def)
{
    xmlNode *n = mvXMLChildFind(root, "pm");
    xmlNode *c;

    if (!n)
        return 0;
    if (mvDomainCheckNode(n, NULL, (const char *[]){ "suspend-to-mem", "suspend-to-disk",
                                                     NULL }) < 0)
        return -1;
    def->hasPM = true;
    if ((c = mvXMLChildFind(n, "suspend-to-mem")) &&
        (mvDomainCheckNode(c, (const char *[]){ "enabled", NULL }, NULL) < 0 ||
         mvDomainPropTristate(c, "enabled", false, &def->pmSuspendToMem) < 0))
        return -1;
    if ((c = mvXMLChildFind(n, "suspend-to-disk")) &&
        (mvDomainCheckNode(c, (const char *[]){ "enabled", NULL }, NULL) < 0 ||
         mvDomainPropTristate(c, "enabled", false, &def->pmSuspendToDisk) < 0))
        return -1;
    return 0;
}

void
mvDomainDefFormatFeatures(mvBuf *buf, const mvDomainDef *def)
{
    const mvDomainFeaturesDef *f = &def->features;
    size_t i, j;
    bool any = false;

    for (i = 0; i < MV_DOMAIN_FEATURE_LAST; i++)
        any |= f->features[i] != MV_TRISTATE_ABSENT;
    if (!any)
        return;
    mvBufAdd(buf, "<features>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < MV_DOMAIN_FEATURE_LAST; i++) {
        const char *name = mvDomainFeatureToString(i);

        if (f->features[i] == MV_TRISTATE_ABSENT)
            continue;
        switch ((mvDomainFeature)i) {
        case MV_DOMAIN_FEATURE_ACPI:
        case MV_DOMAIN_FEATURE_PAE:
            mvBufAsprintf(buf, "<%s/>\n", name);
            break;
        case MV_DOMAIN_FEATURE_APIC:
            if (f->apicEoi)
                mvBufAsprintf(buf, "<apic eoi='%s'/>\n", mvDomainTristateString(f->apicEoi,
                                                                                true));
            else
                mvBufAdd(buf, "<apic/>\n");
            break;
        case MV_DOMAIN_FEATURE_HAP:
        case MV_DOMAIN_FEATURE_VMPORT:
        case MV_DOMAIN_FEATURE_SMM:
            mvBufAsprintf(buf, "<%s state='%s'/>\n", name,
                          mvDomainTristateString(f->features[i], true));
            break;
        case MV_DOMAIN_FEATURE_HYPERV:
            /* libvirt opens and closes <hyperv> even when it is empty */
            mvBufAsprintf(buf, "<hyperv mode='%s'>\n", f->hypervMode);
            mvBufAdjustIndent(buf, 2);
            for (j = 0; j < MV_DOMAIN_HYPERV_LAST; j++) {
                if (f->hyperv[j] == MV_TRISTATE_ABSENT)
                    continue;
                mvBufAsprintf(buf, "<%s state='%s'", mvDomainHypervToString(j),
                              mvDomainTristateString(f->hyperv[j], true));
                if (j == MV_DOMAIN_HYPERV_SPINLOCKS && f->hyperv[j] == MV_TRISTATE_YES)
                    mvBufAsprintf(buf, " retries='%u'", f->spinlockRetries);
                mvBufAdd(buf, "/>\n");
            }
            mvBufAdjustIndent(buf, -2);
            mvBufAdd(buf, "</hyperv>\n");
            break;
        case MV_DOMAIN_FEATURE_LAST:
            break;
        }
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</features>\n");
}

void
mvDomainDefFormatCPU(mvBuf *buf, const mvDomainDef *def)
{
    const mvCPUDef *cpu = &def->cpu;
    size_t i;
    bool children;

    if (!cpu->present)
        return;
    children = cpu->model || cpu->fallback || cpu->vendor || cpu->sockets || cpu->nfeatures ||
               cpu->ncells;
    mvBufAsprintf(buf, "<cpu mode='%s'", mvCPUModeToString(cpu->mode));
    if (cpu->match && cpu->mode == MV_CPU_MODE_CUSTOM)
        mvBufAsprintf(buf, " match='%s'", cpu->match);
    if (cpu->check)
        mvBufAsprintf(buf, " check='%s'", cpu->check);
    if (cpu->migratable)
        mvBufAsprintf(buf, " migratable='%s'", mvDomainTristateString(cpu->migratable, true));
    if (!children) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    if (cpu->model || cpu->fallback) {
        mvBufAdd(buf, "<model");
        if (cpu->fallback)
            mvBufAsprintf(buf, " fallback='%s'", cpu->fallback);
        if (cpu->model)
            mvBufEscapeString(buf, ">%s</model>\n", cpu->model);
        else
            mvBufAdd(buf, "/>\n");
    }
    mvBufEscapeString(buf, "<vendor>%s</vendor>\n", cpu->vendor);
    if (cpu->sockets)
        mvBufAsprintf(buf, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>\n",
                      cpu->sockets, cpu->dies, cpu->cores, cpu->threads);
    for (i = 0; i < cpu->nfeatures; i++) {
        mvBufAsprintf(buf, "<feature policy='%s'", cpu->features[i].policy);
        mvBufEscapeString(buf, " name='%s'/>\n", cpu->features[i].name);
    }
    if (cpu->ncells) {
        mvBufAdd(buf, "<numa>\n");
        mvBufAdjustIndent(buf, 2);
        for (i = 0; i < cpu->ncells; i++) {
            mvBufAsprintf(buf, "<cell id='%u'", cpu->cells[i].id);
            if (cpu->cells[i].cpus)
                mvBufAsprintf(buf, " cpus='%s'", cpu->cells[i].cpus);
            mvBufAsprintf(buf, " memory='%llu' unit='KiB'/>\n", cpu->cells[i].memKiB);
        }
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</numa>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</cpu>\n");
}

void
mvDomainDefFormatClock(mvBuf *buf, const mvDomainDef *def)
{
    const mvDomainClockDef *clock = &def->clock;
    size_t i;

    mvBufAsprintf(buf, "<clock offset='%s'", mvClockOffsetToString(clock->offset));
    if (clock->adjustment)
        mvBufEscapeString(buf, " adjustment='%s'", clock->adjustment);
    if (clock->basis)
        mvBufEscapeString(buf, " basis='%s'", clock->basis);
    if (clock->timezone)
        mvBufEscapeString(buf, " timezone='%s'", clock->timezone);
    if (!clock->ntimers) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < clock->ntimers; i++) {
        const mvDomainTimerDef *t = &clock->timers[i];

        mvBufAsprintf(buf, "<timer name='%s'", t->name);
        if (t->tickpolicy)
            mvBufAsprintf(buf, " tickpolicy='%s'", t->tickpolicy);
        if (t->present)
            mvBufAsprintf(buf, " present='%s'", mvDomainTristateString(t->present, false));
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</clock>\n");
}

void
mvDomainDefFormatPM(mvBuf *buf, const mvDomainDef *def)
{
    if (!def->pmSuspendToMem && !def->pmSuspendToDisk)
        return;
    mvBufAdd(buf, "<pm>\n");
    mvBufAdjustIndent(buf, 2);
    if (def->pmSuspendToMem)
        mvBufAsprintf(buf, "<suspend-to-mem enabled='%s'/>\n",
                      mvDomainTristateString(def->pmSuspendToMem, false));
    if (def->pmSuspendToDisk)
        mvBufAsprintf(buf, "<suspend-to-disk enabled='%s'/>\n",
                      mvDomainTristateString(def->pmSuspendToDisk, false));
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</pm>\n");
}
