/*
 * qemu_command: the machine-wide part of the QEMU command line (name,
 * machine, accelerator, CPU, memory, topology, monitor, clock, boot,
 * firmware, sandbox) and the driver of the whole build; the devices are in
 * qemu_command_devices.c.  See qemu_command.h.
 *
 * The arguments come out in libvirt 9.0's order, which golden files pin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "qemu_command.h"
#include "qemu_command_priv.h"
#include "qemu_postparse.h"

#define MV_FROM_THIS VIR_FROM_QEMU

/* ---- small builders shared with qemu_command_devices.c ---- */

void
mvQemuBufEscapeComma(GString *buf, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
}

qemuJSON *
qemuJSONNew(void)
{
    qemuJSON *j = g_new0(qemuJSON, 1);

    j->s = g_string_new("{");
    return j;
}

static void
qemuJSONKey(qemuJSON *j, const char *key)
{
    if (j->n++)
        g_string_append_c(j->s, ',');
    g_string_append_c(j->s, '"');
    g_string_append(j->s, key);
    g_string_append(j->s, "\":");
}

static void
qemuJSONString(GString *s, const char *value)
{
    g_string_append_c(s, '"');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(s, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(s, "\\u%04x", *p);
        else
            g_string_append_c(s, (char)*p);
    }
    g_string_append_c(s, '"');
}

void
qemuJSONStr(qemuJSON *j, const char *key, const char *value)
{
    qemuJSONKey(j, key);
    qemuJSONString(j->s, value);
}

void
qemuJSONInt(qemuJSON *j, const char *key, long long value)
{
    qemuJSONKey(j, key);
    g_string_append_printf(j->s, "%lld", value);
}

void
qemuJSONUInt(qemuJSON *j, const char *key, unsigned long long value)
{
    qemuJSONKey(j, key);
    g_string_append_printf(j->s, "%llu", value);
}

void
qemuJSONBool(qemuJSON *j, const char *key, bool value)
{
    qemuJSONKey(j, key);
    g_string_append(j->s, value ? "true" : "false");
}

void
qemuJSONRaw(qemuJSON *j, const char *key, const char *raw)
{
    qemuJSONKey(j, key);
    g_string_append(j->s, raw);
}

/* Adds a nested object (consumed). */
void
qemuJSONObj(qemuJSON *j, const char *key, qemuJSON *child)
{
    g_autofree char *text = qemuJSONEnd(child);

    qemuJSONRaw(j, key, text);
}

char *
qemuJSONEnd(qemuJSON *j)
{
    char *text;

    g_string_append_c(j->s, '}');
    text = g_string_free(j->s, FALSE);
    g_free(j);
    return text;
}

void
qemuCmdAdd(qemuCmd *cmd, const char *arg)
{
    g_ptr_array_add(cmd->args, g_strdup(arg));
}

void
qemuCmdAddPair(qemuCmd *cmd, const char *opt, const char *arg)
{
    qemuCmdAdd(cmd, opt);
    qemuCmdAdd(cmd, arg);
}

void
qemuCmdAddFormat(qemuCmd *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(cmd->args, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* Adds @opt and the JSON text of @j (consumed). */
void
qemuCmdAddJSON(qemuCmd *cmd, const char *opt, qemuJSON *j)
{
    qemuCmdAdd(cmd, opt);
    g_ptr_array_add(cmd->args, qemuJSONEnd(j));
}

/* ---- the machine-wide options ---- */

static void
qemuBuildName(qemuCmd *cmd, const mvDomainDef *def)
{
    g_autoptr(GString) s = g_string_new("guest=");

    mvQemuBufEscapeComma(s, def->name);
    g_string_append(s, ",debug-threads=on");
    qemuCmdAddPair(cmd, "-name", s->str);
}

static bool
qemuHasPflash(const mvDomainDef *def)
{
    return def->os.loader && g_strcmp0(def->os.loaderType, "pflash") == 0;
}

/* -blockdev pair of a firmware flash image. */
static void
qemuBuildPflashBlockdev(qemuCmd *cmd, const char *path, unsigned int unit, bool readonly)
{
    qemuJSON *st = qemuJSONNew();
    qemuJSON *fmt = qemuJSONNew();
    g_autofree char *stName = g_strdup_printf("libvirt-pflash%u-storage", unit);
    g_autofree char *fmtName = g_strdup_printf("libvirt-pflash%u-format", unit);

    qemuJSONStr(st, "driver", "file");
    qemuJSONStr(st, "filename", path);
    qemuJSONStr(st, "node-name", stName);
    qemuJSONBool(st, "auto-read-only", true);
    qemuJSONStr(st, "discard", "unmap");
    qemuCmdAddJSON(cmd, "-blockdev", st);
    qemuJSONStr(fmt, "node-name", fmtName);
    qemuJSONBool(fmt, "read-only", readonly);
    qemuJSONStr(fmt, "driver", "raw");
    qemuJSONStr(fmt, "file", stName);
    qemuCmdAddJSON(cmd, "-blockdev", fmt);
}

static int
qemuBuildFirmware(qemuCmd *cmd, const mvDomainDef *def)
{
    if (!def->os.loader) {
        if (def->os.firmware) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "firmware auto-selection (<os firmware='%s'>) is not supported by "
                          "modvirt yet: give <loader> (and <nvram>) explicitly",
                          def->os.firmware);
            return -1;
        }
        return 0;
    }
    if (!qemuHasPflash(def))
        return 0;
    qemuBuildPflashBlockdev(cmd, def->os.loader, 0,
                            def->os.loaderReadonly == MV_TRISTATE_YES);
    if (def->os.nvram)
        qemuBuildPflashBlockdev(cmd, def->os.nvram, 1, false);
    else if (def->os.loaderReadonly == MV_TRISTATE_YES) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain '%s' has a read-only pflash <loader> but no <nvram>: add "
                      "<nvram> with the path of the variable store", def->name);
        return -1;
    }
    return 0;
}

static const char *
qemuMemoryBackendType(const mvDomainDef *def)
{
    const mvDomainMemoryBackingDef *mb = &def->memoryBacking;

    if (mb->hugepages || g_strcmp0(mb->source, "file") == 0)
        return "memory-backend-file";
    if (g_strcmp0(mb->source, "memfd") == 0)
        return "memory-backend-memfd";
    return "memory-backend-ram";
}

/* The JSON of a guest RAM backend @id of @bytes. */
static qemuJSON *
qemuBuildMemoryBackend(const mvDomainDef *def, const mvQemuCommandOptions *opts,
                       const char *id, unsigned long long bytes)
{
    const mvDomainMemoryBackingDef *mb = &def->memoryBacking;
    const char *type = qemuMemoryBackendType(def);
    qemuJSON *j = qemuJSONNew();
    bool special = strcmp(type, "memory-backend-ram") != 0;

    qemuJSONStr(j, "qom-type", type);
    qemuJSONStr(j, "id", id);
    if (strcmp(type, "memory-backend-file") == 0) {
        g_autofree char *path = NULL;

        if (mb->hugepages)
            path = g_strdup_printf("/dev/hugepages/libvirt/qemu/%d-%s",
                                   def->id > 0 ? def->id : 1, def->name);
        else
            path = g_build_filename(opts->libDir ? opts->libDir : "/var/lib/libvirt/qemu/ram",
                                    id, NULL);
        qemuJSONStr(j, "mem-path", path);
    }
    if (g_strcmp0(mb->access, "shared") == 0)
        qemuJSONBool(j, "share", true);
    else if (g_strcmp0(mb->access, "private") == 0)
        qemuJSONBool(j, "share", false);
    if (special)
        qemuJSONBool(j, "x-use-canonical-path-for-ramblock-id", false);
    if (mb->hugepages || g_strcmp0(mb->allocation, "immediate") == 0 || mb->locked)
        qemuJSONBool(j, "prealloc", true);
    if (mb->allocThreads)
        qemuJSONUInt(j, "prealloc-threads", mb->allocThreads);
    qemuJSONUInt(j, "size", bytes);
    return j;
}

static void
qemuBuildMachine(qemuCmd *cmd, const mvDomainDef *def)
{
    g_autoptr(GString) s = g_string_new(def->os.machine);
    int vmport = def->features.features[MV_DOMAIN_FEATURE_VMPORT];
    int smm = def->features.features[MV_DOMAIN_FEATURE_SMM];

    g_string_append(s, ",usb=off");
    if (vmport != MV_TRISTATE_ABSENT)
        g_string_append_printf(s, ",vmport=%s", vmport == MV_TRISTATE_YES ? "on" : "off");
    if (smm != MV_TRISTATE_ABSENT)
        g_string_append_printf(s, ",smm=%s", smm == MV_TRISTATE_YES ? "on" : "off");
    g_string_append(s, ",dump-guest-core=off");
    if (!def->cpu.ncells)
        g_string_append(s, ",memory-backend=pc.ram");
    if (qemuHasPflash(def)) {
        g_string_append(s, ",pflash0=libvirt-pflash0-format");
        if (def->os.nvram)
            g_string_append(s, ",pflash1=libvirt-pflash1-format");
    }
    qemuCmdAddPair(cmd, "-machine", s->str);
    qemuCmdAddPair(cmd, "-accel", def->virtType == MV_DOMAIN_VIRT_KVM ? "kvm" : "tcg");
}

static const char *
qemuCPUFeatureState(const char *policy)
{
    if (!policy || strcmp(policy, "require") == 0 || strcmp(policy, "force") == 0 ||
        strcmp(policy, "optional") == 0)
        return "on";
    return "off";
}

static int
qemuBuildCPU(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCaps *caps)
{
    const mvCPUDef *cpu = &def->cpu;
    const mvDomainFeaturesDef *f = &def->features;
    g_autoptr(GString) s = g_string_new(NULL);

    if (!cpu->present)
        return 0;
    switch ((mvCPUMode)cpu->mode) {
    case MV_CPU_MODE_CUSTOM:
        if (!cpu->model)
            return 0;
        if (!mvQemuCapsGetCPUModel(caps, cpu->model)) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "CPU model '%s' is not supported by hypervisor", cpu->model);
            return -1;
        }
        g_string_append(s, cpu->model);
        break;
    case MV_CPU_MODE_HOST_MODEL:
    case MV_CPU_MODE_HOST_PASSTHROUGH:
        if (def->virtType != MV_DOMAIN_VIRT_KVM) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "CPU mode '%s' needs a KVM domain: use <domain type='kvm'> or "
                          "mode='maximum'", mvCPUModeToString(cpu->mode));
            return -1;
        }
        g_string_append(s, "host");
        if (cpu->mode == MV_CPU_MODE_HOST_PASSTHROUGH)
            g_string_append_printf(s, ",migratable=%s",
                                   cpu->migratable == MV_TRISTATE_NO ? "off" : "on");
        break;
    case MV_CPU_MODE_MAXIMUM:
        g_string_append(s, "max");
        if (cpu->migratable != MV_TRISTATE_ABSENT)
            g_string_append_printf(s, ",migratable=%s",
                                   cpu->migratable == MV_TRISTATE_NO ? "off" : "on");
        break;
    case MV_CPU_MODE_LAST:
        break;
    }
    for (size_t i = 0; i < cpu->nfeatures; i++)
        g_string_append_printf(s, ",%s=%s", cpu->features[i].name,
                               qemuCPUFeatureState(cpu->features[i].policy));
    if (f->features[MV_DOMAIN_FEATURE_HYPERV] == MV_TRISTATE_YES) {
        if (f->hyperv[MV_DOMAIN_HYPERV_RELAXED] == MV_TRISTATE_YES)
            g_string_append(s, ",hv-relaxed=on");
        if (f->hyperv[MV_DOMAIN_HYPERV_VAPIC] == MV_TRISTATE_YES)
            g_string_append(s, ",hv-vapic=on");
        if (f->hyperv[MV_DOMAIN_HYPERV_SPINLOCKS] == MV_TRISTATE_YES)
            g_string_append_printf(s, ",hv-spinlocks=0x%x", f->spinlockRetries);
    }
    if (f->apicEoi != MV_TRISTATE_ABSENT)
        g_string_append_printf(s, ",kvm-pv-eoi=%s",
                               f->apicEoi == MV_TRISTATE_YES ? "on" : "off");
    qemuCmdAddPair(cmd, "-cpu", s->str);
    return 0;
}

static void
qemuBuildMemory(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    unsigned long long mib = (def->memKiB + 1023) / 1024;

    qemuCmdAdd(cmd, "-m");
    if (def->maxMemKiB && def->memSlots)
        qemuCmdAddFormat(cmd, "size=%lluk,slots=%u,maxmem=%lluk", mib * 1024,
                         def->memSlots, def->maxMemKiB);
    else
        qemuCmdAddFormat(cmd, "%llu", mib);
    if (!def->cpu.ncells)
        qemuCmdAddJSON(cmd, "-object", qemuBuildMemoryBackend(def, opts, "pc.ram",
                                                              mib * 1024 * 1024));
    qemuCmdAddPair(cmd, "-overcommit", def->memoryBacking.locked ? "mem-lock=on" :
                                                                   "mem-lock=off");
}

static void
qemuBuildSMP(qemuCmd *cmd, const mvDomainDef *def)
{
    const mvCPUDef *cpu = &def->cpu;
    g_autoptr(GString) s = g_string_new(NULL);
    unsigned int cur = def->vcpusCurrent ? def->vcpusCurrent : def->vcpus;

    g_string_append_printf(s, "%u", cur);
    if (cur != def->vcpus)
        g_string_append_printf(s, ",maxcpus=%u", def->vcpus);
    if (cpu->sockets) {
        g_string_append_printf(s, ",sockets=%u", cpu->sockets);
        if (cpu->dies)
            g_string_append_printf(s, ",dies=%u", cpu->dies);
        g_string_append_printf(s, ",cores=%u,threads=%u", cpu->cores, cpu->threads);
    } else {
        g_string_append_printf(s, ",sockets=%u,cores=1,threads=1", def->vcpus);
    }
    qemuCmdAddPair(cmd, "-smp", s->str);
}

static void
qemuBuildNuma(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCommandOptions *opts)
{
    for (size_t i = 0; i < def->cpu.ncells; i++) {
        const mvCPUNumaCell *cell = &def->cpu.cells[i];
        g_autofree char *id = g_strdup_printf("ram-node%u", cell->id);
        g_autoptr(GString) s = g_string_new(NULL);

        qemuCmdAddJSON(cmd, "-object", qemuBuildMemoryBackend(def, opts, id,
                                                              cell->memKiB * 1024));
        g_string_append_printf(s, "node,nodeid=%u", cell->id);
        if (cell->cpus && *cell->cpus) {
            g_auto(GStrv) parts = g_strsplit(cell->cpus, ",", -1);

            for (size_t k = 0; parts[k]; k++)
                g_string_append_printf(s, ",cpus=%s", parts[k]);
        }
        g_string_append_printf(s, ",memdev=%s", id);
        qemuCmdAddPair(cmd, "-numa", s->str);
    }
}

static const mvDomainTimerDef *
qemuFindTimer(const mvDomainDef *def, const char *name)
{
    for (size_t i = 0; i < def->clock.ntimers; i++)
        if (g_strcmp0(def->clock.timers[i].name, name) == 0)
            return &def->clock.timers[i];
    return NULL;
}

static int
qemuBuildClock(qemuCmd *cmd, const mvDomainDef *def)
{
    const mvDomainClockDef *c = &def->clock;
    const mvDomainTimerDef *rtc = qemuFindTimer(def, "rtc");
    const mvDomainTimerDef *pit = qemuFindTimer(def, "pit");
    const mvDomainTimerDef *hpet = qemuFindTimer(def, "hpet");
    g_autoptr(GString) s = g_string_new("base=");

    switch ((mvClockOffset)c->offset) {
    case MV_CLOCK_OFFSET_UTC:
        g_string_append(s, "utc");
        break;
    case MV_CLOCK_OFFSET_LOCALTIME:
        g_string_append(s, "localtime");
        break;
    case MV_CLOCK_OFFSET_VARIABLE:
        if (c->adjustment && strcmp(c->adjustment, "0") != 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "clock offset 'variable' with adjustment '%s' is not supported by "
                          "modvirt yet: use offset='utc' or 'localtime'", c->adjustment);
            return -1;
        }
        g_string_append(s, g_strcmp0(c->basis, "localtime") == 0 ? "localtime" : "utc");
        break;
    case MV_CLOCK_OFFSET_TIMEZONE:
    case MV_CLOCK_OFFSET_LAST:
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "clock offset 'timezone' is not supported by modvirt yet: use "
                      "offset='utc' or 'localtime'");
        return -1;
    }
    if (rtc && g_strcmp0(rtc->tickpolicy, "catchup") == 0)
        g_string_append(s, ",driftfix=slew");
    qemuCmdAddPair(cmd, "-rtc", s->str);
    if (pit && pit->tickpolicy) {
        const char *policy = NULL;

        if (strcmp(pit->tickpolicy, "delay") == 0)
            policy = "delay";
        else if (strcmp(pit->tickpolicy, "catchup") == 0)
            policy = "slew";
        else if (strcmp(pit->tickpolicy, "discard") == 0)
            policy = "discard";
        if (policy) {
            qemuCmdAdd(cmd, "-global");
            qemuCmdAddFormat(cmd, "kvm-pit.lost_tick_policy=%s", policy);
        }
    }
    if (hpet && hpet->present == MV_TRISTATE_NO)
        qemuCmdAdd(cmd, "-no-hpet");
    return 0;
}

static void
qemuBuildPM(qemuCmd *cmd, const mvDomainDef *def)
{
    const char *lpc = mvQemuDomainIsQ35(def) ? "ICH9-LPC" : "PIIX4_PM";

    if (def->features.features[MV_DOMAIN_FEATURE_ACPI] != MV_TRISTATE_YES)
        qemuCmdAdd(cmd, "-no-acpi");
    if (def->pmSuspendToMem != MV_TRISTATE_ABSENT) {
        qemuCmdAdd(cmd, "-global");
        qemuCmdAddFormat(cmd, "%s.disable_s3=%d", lpc,
                         def->pmSuspendToMem == MV_TRISTATE_NO ? 1 : 0);
    }
    if (def->pmSuspendToDisk != MV_TRISTATE_ABSENT) {
        qemuCmdAdd(cmd, "-global");
        qemuCmdAddFormat(cmd, "%s.disable_s4=%d", lpc,
                         def->pmSuspendToDisk == MV_TRISTATE_NO ? 1 : 0);
    }
}

static void
qemuBuildBoot(qemuCmd *cmd, const mvDomainDef *def)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (def->os.bootmenu == MV_TRISTATE_YES) {
        g_string_append(s, "menu=on,");
        if (def->os.bootmenuTimeout >= 0)
            g_string_append_printf(s, "splash-time=%d,", def->os.bootmenuTimeout);
    } else if (def->os.bootmenu == MV_TRISTATE_NO) {
        g_string_append(s, "menu=off,");
    }
    g_string_append(s, "strict=on");
    qemuCmdAddPair(cmd, "-boot", s->str);
    if (def->os.kernel)
        qemuCmdAddPair(cmd, "-kernel", def->os.kernel);
    if (def->os.initrd)
        qemuCmdAddPair(cmd, "-initrd", def->os.initrd);
    if (def->os.cmdline)
        qemuCmdAddPair(cmd, "-append", def->os.cmdline);
    if (def->os.dtb)
        qemuCmdAddPair(cmd, "-dtb", def->os.dtb);
    if (def->os.loader && !qemuHasPflash(def))
        qemuCmdAddPair(cmd, "-bios", def->os.loader);
}

static void
qemuBuildMonitor(qemuCmd *cmd, const mvQemuCommandOptions *opts)
{
    g_autoptr(GString) s = g_string_new("socket,id=charmonitor,");

    if (opts->monitorFD >= 0) {
        g_string_append_printf(s, "fd=%d", opts->monitorFD);
    } else {
        g_string_append(s, "path=");
        mvQemuBufEscapeComma(s, opts->monitorPath ? opts->monitorPath : "monitor.sock");
    }
    g_string_append(s, ",server=on,wait=off");
    qemuCmdAddPair(cmd, "-chardev", s->str);
    qemuCmdAddPair(cmd, "-mon", "chardev=charmonitor,id=monitor,mode=control");
}

static int
qemuCheckDefinition(const mvDomainDef *def, const mvQemuCaps *caps)
{
    if (!def->os.machine || !def->emulator || !def->memballoon) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "definition of domain '%s' has not been through the QEMU post-parse "
                      "step", def->name);
        return -1;
    }
    if (!mvQemuCapsGetMachine(caps, def->os.machine)) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support machine type '%s'",
                      def->emulator, def->os.machine);
        return -1;
    }
    return 0;
}

char **
mvQemuBuildCommandLine(const mvDomainDef *def, const mvQemuCaps *caps,
                       const mvQemuCommandOptions *opts)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    qemuCmd cmd = { args };
    char uuid[MV_UUID_STRING_BUFLEN];

    if (qemuCheckDefinition(def, caps) < 0)
        return NULL;
    qemuCmdAdd(&cmd, def->emulator);
    qemuBuildName(&cmd, def);
    qemuCmdAdd(&cmd, "-S");
    if (qemuBuildFirmware(&cmd, def) < 0)
        return NULL;
    qemuBuildMachine(&cmd, def);
    if (qemuBuildCPU(&cmd, def, caps) < 0)
        return NULL;
    if (qemuHasPflash(def) && def->os.loaderSecure == MV_TRISTATE_YES)
        qemuCmdAddPair(&cmd, "-global", "driver=cfi.pflash01,property=secure,value=on");
    qemuBuildMemory(&cmd, def, opts);
    qemuBuildSMP(&cmd, def);
    qemuBuildNuma(&cmd, def, opts);
    qemuCmdAddPair(&cmd, "-uuid", mvUUIDFormat(def->uuid, uuid));
    if (!def->graphics->len)
        qemuCmdAddPair(&cmd, "-display", "none");
    qemuCmdAdd(&cmd, "-no-user-config");
    qemuCmdAdd(&cmd, "-nodefaults");
    qemuBuildMonitor(&cmd, opts);
    if (qemuBuildClock(&cmd, def) < 0)
        return NULL;
    qemuCmdAdd(&cmd, "-no-shutdown");
    /* a guest reboot becomes a shutdown the driver sees (SHUTDOWN with
     * reason guest-reset) and turns into on_reboot's destroy */
    if (def->onReboot == MV_DOMAIN_LIFECYCLE_DESTROY)
        qemuCmdAdd(&cmd, "-no-reboot");
    qemuBuildPM(&cmd, def);
    qemuBuildBoot(&cmd, def);
    if (qemuBuildDevices(&cmd, def, caps, opts) < 0)
        return NULL;
    g_ptr_array_add(args, NULL);
    return (char **)g_ptr_array_steal(args, NULL);
}
