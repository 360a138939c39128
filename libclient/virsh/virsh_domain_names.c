/*
 * virsh_domain_names: word tables for domain states, reasons and events, and
 * two small formatting/parsing helpers.  See virsh_domain_names.h.
 *
 * Each table is indexed by the public enum value it describes; the words are
 * what virsh 9.0 prints, so scripts that parse them keep working.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "virsh_domain_names.h"

#define VIRSH_LOOKUP(table, idx, fallback) \
    ((idx) >= 0 && (size_t) (idx) < G_N_ELEMENTS(table) && (table)[idx] ? (table)[idx] : (fallback))

static const char *const stateWords[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

const char *
virshDomainStateName(int state)
{
    return VIRSH_LOOKUP(stateWords, state, "no state");
}

static const char *const reasonNostate[] = { "unknown" };
static const char *const reasonRunning[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed",
};
static const char *const reasonBlocked[] = { "unknown" };
static const char *const reasonPaused[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed",
};
static const char *const reasonShutdown[] = { "unknown", "user" };
static const char *const reasonShutoff[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon",
};
static const char *const reasonCrashed[] = { "unknown", "panicked" };
static const char *const reasonPMSuspended[] = { "unknown" };

const char *
virshDomainStateReasonName(int state, int reason)
{
    switch (state) {
    case 0:
        return VIRSH_LOOKUP(reasonNostate, reason, "unknown");
    case 1:
        return VIRSH_LOOKUP(reasonRunning, reason, "unknown");
    case 2:
        return VIRSH_LOOKUP(reasonBlocked, reason, "unknown");
    case 3:
        return VIRSH_LOOKUP(reasonPaused, reason, "unknown");
    case 4:
        return VIRSH_LOOKUP(reasonShutdown, reason, "unknown");
    case 5:
        return VIRSH_LOOKUP(reasonShutoff, reason, "unknown");
    case 6:
        return VIRSH_LOOKUP(reasonCrashed, reason, "unknown");
    case 7:
        return VIRSH_LOOKUP(reasonPMSuspended, reason, "unknown");
    }
    return "unknown";
}

static const char *const vcpuStateWords[] = { "offline", "running", "blocked" };

const char *
virshDomainVcpuStateName(int state)
{
    return VIRSH_LOOKUP(vcpuStateWords, state, "no state");
}

static const char *const eventWords[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};

const char *
virshDomainEventName(int event)
{
    return VIRSH_LOOKUP(eventWords, event, "unknown");
}

static const char *const detailDefined[] = { "Added", "Updated", "Renamed", "Snapshot" };
static const char *const detailUndefined[] = { "Removed", "Renamed" };
static const char *const detailStarted[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
};
static const char *const detailSuspended[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error",
    "Post-copy", "Post-copy Error",
};
static const char *const detailResumed[] = {
    "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
};
static const char *const detailStopped[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot",
};
static const char *const detailShutdown[] = {
    "Finished", "Finished after guest request", "Finished after host request",
};
static const char *const detailPMSuspended[] = { "Memory", "Disk" };
static const char *const detailCrashed[] = { "Panicked", "Crashloaded" };

const char *
virshDomainEventDetailName(int event, int detail)
{
    switch (event) {
    case 0:
        return VIRSH_LOOKUP(detailDefined, detail, "unknown");
    case 1:
        return VIRSH_LOOKUP(detailUndefined, detail, "unknown");
    case 2:
        return VIRSH_LOOKUP(detailStarted, detail, "unknown");
    case 3:
        return VIRSH_LOOKUP(detailSuspended, detail, "unknown");
    case 4:
        return VIRSH_LOOKUP(detailResumed, detail, "unknown");
    case 5:
        return VIRSH_LOOKUP(detailStopped, detail, "unknown");
    case 6:
        return VIRSH_LOOKUP(detailShutdown, detail, "unknown");
    case 7:
        return VIRSH_LOOKUP(detailPMSuspended, detail, "unknown");
    case 8:
        return VIRSH_LOOKUP(detailCrashed, detail, "unknown");
    }
    return "unknown";
}

static const char *const eventIDWords[] = {
    "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics",
    "io-error-reason", "control-error", "block-job", "disk-change", "tray-change",
    "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk", "device-removed",
    "block-job-2", "tunable", "agent-lifecycle", "device-added", "migration-iteration",
    "job-completed", "device-removal-failed", "metadata-change", "block-threshold",
    "memory-failure", "memory-device-size-change",
};

const char *
virshDomainEventIDName(int id)
{
    return VIRSH_LOOKUP(eventIDWords, id, NULL);
}

int
virshDomainEventIDCount(void)
{
    return G_N_ELEMENTS(eventIDWords);
}

static bool
virshCPUMapHas(const unsigned char *map, int cpu)
{
    return map[cpu / 8] & (1 << (cpu % 8));
}

char *
virshCPUMapFormat(const unsigned char *map, int ncpus)
{
    GString *out = g_string_new(NULL);
    int cpu = 0;

    while (cpu < ncpus) {
        int last;

        if (!virshCPUMapHas(map, cpu)) {
            cpu++;
            continue;
        }
        for (last = cpu; last + 1 < ncpus && virshCPUMapHas(map, last + 1); last++)
            ;
        if (out->len)
            g_string_append_c(out, ',');
        if (last > cpu)
            g_string_append_printf(out, "%d-%d", cpu, last);
        else
            g_string_append_printf(out, "%d", cpu);
        cpu = last + 1;
    }
    return g_string_free(out, FALSE);
}

bool
virshShutdownModeParse(const char *modes, unsigned int *flags, char **bad)
{
    static const char *const names[] = { "acpi", "agent", "initctl", "signal", "paravirt" };
    g_auto(GStrv) parts = g_strsplit(modes, ",", 0);

    *flags = 0;
    *bad = NULL;
    for (char **p = parts; *p; p++) {
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(names); i++) {
            if (strcmp(*p, names[i]) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(names)) {
            *bad = g_strdup(*p);
            return false;
        }
        *flags |= 1u << i;
    }
    return true;
}
