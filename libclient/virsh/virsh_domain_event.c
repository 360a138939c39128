/*
 * virsh_domain_event: the `event` command of virsh ("Domain Events"):
 * list the domain event kinds, or wait for one kind (--event NAME) or all
 * (--all) and print each event the way virsh 9.0 does, e.g.
 * "event 'lifecycle' for domain 'vm1': Started Booted".
 *
 * Each kind has its own callback signature in libvirt's API; the printers
 * below are declared with those signatures and registered through the
 * generic callback type.  The few structures some callbacks receive
 * (graphics addresses, typed parameters) are mirrored here from libvirt's
 * public ABI, since modvirt's headers do not declare them yet.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <string.h>

#include "virsh_domain.h"

/* libvirt's public layouts of the arguments of the graphics event */
typedef struct {
    int family;
    const char *node;
    const char *service;
} virshGraphicsAddress;

typedef struct {
    const char *type;
    const char *name;
} virshGraphicsIdentity;

typedef struct {
    int nidentity;
    virshGraphicsIdentity *identities;
} virshGraphicsSubject;

/* libvirt's public layout of a typed parameter (tunable, job-completed) */
typedef struct {
    char field[80];
    int type;
    union {
        int i;
        unsigned int ui;
        long long l;
        unsigned long long ul;
        double d;
        char b;
        char *s;
    } value;
} virshTypedParam;

typedef struct {
    virshControl *ctl;
    bool loop;
    bool timestamp;
    int *count;
    const char *name;
    int id;
} virshDomEventData;

static char *
virshEventTimestampNow(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

    return g_strdup_printf("%s.%03d+0000", base, g_date_time_get_microsecond(now) / 1000);
}

/* Prints one event (unless a one-shot wait already got one) and counts it. */
static void G_GNUC_PRINTF(2, 3)
virshEventPrintf(virshDomEventData *data, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (!data->loop && *data->count)
        return;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    if (data->timestamp) {
        g_autofree char *ts = virshEventTimestampNow();

        virshPrint(data->ctl, "%s: ", ts);
    }
    virshPrint(data->ctl, "%s", msg);
    fflush(stdout);

    (*data->count)++;
    if (!data->loop)
        virshEventDone(data->ctl);
}

static const char *
virshNullStr(const char *s)
{
    return s ? s : "(null)";
}

static void
virshEventGenericPrint(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    virshDomEventData *data = opaque;

    virshEventPrintf(data, "event '%s' for domain '%s'\n", data->name, virDomainGetName(dom));
}

static void
virshEventLifecyclePrint(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                         void *opaque)
{
    virshEventPrintf(opaque, "event 'lifecycle' for domain '%s': %s %s\n",
                     virDomainGetName(dom), virshDomainEventName(event),
                     virshDomainEventDetailName(event, detail));
}

static void
virshEventRTCChangePrint(virConnectPtr conn, virDomainPtr dom, long long offset, void *opaque)
{
    virshEventPrintf(opaque, "event 'rtc-change' for domain '%s': %lld\n",
                     virDomainGetName(dom), offset);
}

static const char *
virshWord(const char *const *words, size_t n, int idx, const char *fallback)
{
    return idx >= 0 && (size_t) idx < n ? words[idx] : fallback;
}

static void
virshEventWatchdogPrint(virConnectPtr conn, virDomainPtr dom, int action, void *opaque)
{
    static const char *const actions[] = {
        "none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi",
    };

    virshEventPrintf(opaque, "event 'watchdog' for domain '%s': %s\n", virDomainGetName(dom),
                     virshWord(actions, G_N_ELEMENTS(actions), action, "unknown"));
}

static const char *const virshIOErrorActions[] = { "none", "pause", "report" };

static void
virshEventIOErrorPrint(virConnectPtr conn, virDomainPtr dom, const char *path,
                       const char *alias, int action, void *opaque)
{
    virshEventPrintf(opaque, "event 'io-error' for domain '%s': %s (%s) %s\n",
                     virDomainGetName(dom), virshNullStr(path), virshNullStr(alias),
                     virshWord(virshIOErrorActions, 3, action, "unknown"));
}

static void
virshEventIOErrorReasonPrint(virConnectPtr conn, virDomainPtr dom, const char *path,
                             const char *alias, int action, const char *reason, void *opaque)
{
    virshEventPrintf(opaque, "event 'io-error' for domain '%s': %s (%s) %s due to %s\n",
                     virDomainGetName(dom), virshNullStr(path), virshNullStr(alias),
                     virshWord(virshIOErrorActions, 3, action, "unknown"),
                     virshNullStr(reason));
}

static void
virshEventGraphicsPrint(virConnectPtr conn, virDomainPtr dom, int phase,
                        const virshGraphicsAddress *local, const virshGraphicsAddress *remote,
                        const char *authScheme, const virshGraphicsSubject *subject,
                        void *opaque)
{
    static const char *const phases[] = { "connect", "initialize", "disconnect" };
    static const char *const families[] = { "IPv4", "IPv6", "unix" };
    g_autoptr(GString) msg = g_string_new(NULL);

    g_string_append_printf(msg, "event 'graphics' for domain '%s': %s local[%s %s %s] "
                           "remote[%s %s %s] %s\n", virDomainGetName(dom),
                           virshWord(phases, 3, phase, "unknown"),
                           virshWord(families, 3, local->family, "unknown"),
                           virshNullStr(local->node), virshNullStr(local->service),
                           virshWord(families, 3, remote->family, "unknown"),
                           virshNullStr(remote->node), virshNullStr(remote->service),
                           virshNullStr(authScheme));
    for (int i = 0; subject && i < subject->nidentity; i++)
        g_string_append_printf(msg, "\t%s=%s\n", subject->identities[i].type,
                               subject->identities[i].name);
    virshEventPrintf(opaque, "%s", msg->str);
}

static void
virshEventBlockJobPrint(virConnectPtr conn, virDomainPtr dom, const char *disk, int type,
                        int status, void *opaque)
{
    static const char *const types[] = {
        "Unknown", "Block Pull", "Block Copy", "Block Commit", "Active Block Commit",
        "Backup",
    };
    static const char *const statuses[] = { "completed", "failed", "canceled", "ready" };
    virshDomEventData *data = opaque;

    virshEventPrintf(data, "event '%s' for domain '%s': %s for %s %s\n", data->name,
                     virDomainGetName(dom),
                     virshWord(types, G_N_ELEMENTS(types), type, "Unknown job"),
                     virshNullStr(disk), virshWord(statuses, 4, status, "unknown"));
}

static void
virshEventDiskChangePrint(virConnectPtr conn, virDomainPtr dom, const char *oldSrc,
                          const char *newSrc, const char *alias, int reason, void *opaque)
{
    static const char *const reasons[] = { "changed", "dropped" };

    virshEventPrintf(opaque, "event 'disk-change' for domain '%s' disk %s: %s -> %s: %s\n",
                     virDomainGetName(dom), virshNullStr(alias), virshNullStr(oldSrc),
                     virshNullStr(newSrc), virshWord(reasons, 2, reason, "unknown"));
}

static void
virshEventTrayChangePrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                          int reason, void *opaque)
{
    static const char *const reasons[] = { "opened", "closed" };

    virshEventPrintf(opaque, "event 'tray-change' for domain '%s' disk %s: %s\n",
                     virDomainGetName(dom), virshNullStr(alias),
                     virshWord(reasons, 2, reason, "unknown"));
}

static void
virshEventPMChangePrint(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    virshEventGenericPrint(conn, dom, opaque);
}

static void
virshEventBalloonChangePrint(virConnectPtr conn, virDomainPtr dom, unsigned long long actual,
                             void *opaque)
{
    virshEventPrintf(opaque, "event 'balloon-change' for domain '%s': %lluKiB\n",
                     virDomainGetName(dom), actual);
}

static void
virshEventDeviceRemovedPrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                             void *opaque)
{
    virshEventPrintf(opaque, "event 'device-removed' for domain '%s': %s\n",
                     virDomainGetName(dom), virshNullStr(alias));
}

static void
virshEventDeviceAddedPrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                           void *opaque)
{
    virshEventPrintf(opaque, "event 'device-added' for domain '%s': %s\n",
                     virDomainGetName(dom), virshNullStr(alias));
}

static void
virshEventDeviceRemovalFailedPrint(virConnectPtr conn, virDomainPtr dom, const char *alias,
                                   void *opaque)
{
    virshEventPrintf(opaque, "event 'device-removal-failed' for domain '%s': %s\n",
                     virDomainGetName(dom), virshNullStr(alias));
}

/* A typed parameter's value as virsh prints it. */
static char *
virshTypedParamValue(const virshTypedParam *p)
{
    switch (p->type) {
    case 1:
        return g_strdup_printf("%d", p->value.i);
    case 2:
        return g_strdup_printf("%u", p->value.ui);
    case 3:
        return g_strdup_printf("%lld", p->value.l);
    case 4:
        return g_strdup_printf("%llu", p->value.ul);
    case 5:
        return g_strdup_printf("%f", p->value.d);
    case 6:
        return g_strdup_printf("%d", p->value.b);
    case 7:
        return g_strdup(virshNullStr(p->value.s));
    }
    return NULL;
}

static void
virshEventParamsPrint(virshDomEventData *data, virDomainPtr dom,
                      const virshTypedParam *params, int nparams)
{
    g_autoptr(GString) msg = g_string_new(NULL);

    g_string_append_printf(msg, "event '%s' for domain '%s':\n", data->name,
                           virDomainGetName(dom));
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = virshTypedParamValue(&params[i]);

        if (value)
            g_string_append_printf(msg, "\t%s: %s\n", params[i].field, value);
    }
    virshEventPrintf(data, "%s", msg->str);
}

static void
virshEventTunablePrint(virConnectPtr conn, virDomainPtr dom, virshTypedParam *params,
                       int nparams, void *opaque)
{
    virshEventParamsPrint(opaque, dom, params, nparams);
}

static void
virshEventJobCompletedPrint(virConnectPtr conn, virDomainPtr dom, virshTypedParam *params,
                            int nparams, void *opaque)
{
    virshEventParamsPrint(opaque, dom, params, nparams);
}

static const char *
virshUnsupportedWord(const char *const *words, size_t n, int idx)
{
    return virshWord(words, n, idx, "unsupported value");
}

static void
virshEventAgentLifecyclePrint(virConnectPtr conn, virDomainPtr dom, int state, int reason,
                              void *opaque)
{
    static const char *const states[] = { "unknown", "connected", "disconnected" };
    static const char *const reasons[] = { "unknown", "domain started", "channel event" };

    virshEventPrintf(opaque, "event 'agent-lifecycle' for domain '%s': state: '%s' "
                     "reason: '%s'\n", virDomainGetName(dom),
                     virshUnsupportedWord(states, 3, state),
                     virshUnsupportedWord(reasons, 3, reason));
}

static void
virshEventMigrationIterationPrint(virConnectPtr conn, virDomainPtr dom, int iteration,
                                  void *opaque)
{
    virshEventPrintf(opaque, "event 'migration-iteration' for domain '%s': iteration: '%d'\n",
                     virDomainGetName(dom), iteration);
}

static void
virshEventMetadataChangePrint(virConnectPtr conn, virDomainPtr dom, int type,
                              const char *nsuri, void *opaque)
{
    static const char *const types[] = { "description", "title", "element" };

    virshEventPrintf(opaque, "event 'metadata-change' for domain '%s': type %s, uri %s\n",
                     virDomainGetName(dom), virshUnsupportedWord(types, 3, type),
                     virshNullStr(nsuri));
}

static void
virshEventBlockThresholdPrint(virConnectPtr conn, virDomainPtr dom, const char *dev,
                              const char *path, unsigned long long threshold,
                              unsigned long long excess, void *opaque)
{
    virshEventPrintf(opaque, "event 'block-threshold' for domain '%s': dev: %s(%s) %llu %llu\n",
                     virDomainGetName(dom), virshNullStr(dev), virshNullStr(path),
                     threshold, excess);
}

static void
virshEventMemoryFailurePrint(virConnectPtr conn, virDomainPtr dom, int recipient,
                             int action, unsigned int flags, void *opaque)
{
    static const char *const recipients[] = { "hypervisor", "guest" };
    static const char *const actions[] = { "ignore", "inject", "fatal", "reset" };

    virshEventPrintf(opaque, "event 'memory-failure' for domain '%s':\nrecipient: %s\n"
                     "action: %s\nflags:\n\taction required: %d\n\trecursive: %d\n",
                     virDomainGetName(dom), virshUnsupportedWord(recipients, 2, recipient),
                     virshUnsupportedWord(actions, 4, action), !!(flags & 1), !!(flags & 2));
}

static void
virshEventMemoryDeviceSizeChangePrint(virConnectPtr conn, virDomainPtr dom,
                                      const char *alias, unsigned long long size,
                                      void *opaque)
{
    virshEventPrintf(opaque, "event 'memory-device-size-change' for domain '%s':\n"
                     "alias: %s\nsize: %llu\n", virDomainGetName(dom), virshNullStr(alias),
                     size);
}

#define VIRSH_CB(fn) ((virConnectDomainEventGenericCallback) (void (*)(void)) (fn))

/* Indexed by the event ID; names come from virshDomainEventIDName(). */
static const virConnectDomainEventGenericCallback virshDomainEventPrinters[] = {
    VIRSH_CB(virshEventLifecyclePrint),
    virshEventGenericPrint,                         /* reboot */
    VIRSH_CB(virshEventRTCChangePrint),
    VIRSH_CB(virshEventWatchdogPrint),
    VIRSH_CB(virshEventIOErrorPrint),
    VIRSH_CB(virshEventGraphicsPrint),
    VIRSH_CB(virshEventIOErrorReasonPrint),
    virshEventGenericPrint,                         /* control-error */
    VIRSH_CB(virshEventBlockJobPrint),
    VIRSH_CB(virshEventDiskChangePrint),
    VIRSH_CB(virshEventTrayChangePrint),
    VIRSH_CB(virshEventPMChangePrint),              /* pm-wakeup */
    VIRSH_CB(virshEventPMChangePrint),              /* pm-suspend */
    VIRSH_CB(virshEventBalloonChangePrint),
    VIRSH_CB(virshEventPMChangePrint),              /* pm-suspend-disk */
    VIRSH_CB(virshEventDeviceRemovedPrint),
    VIRSH_CB(virshEventBlockJobPrint),              /* block-job-2 */
    VIRSH_CB(virshEventTunablePrint),
    VIRSH_CB(virshEventAgentLifecyclePrint),
    VIRSH_CB(virshEventDeviceAddedPrint),
    VIRSH_CB(virshEventMigrationIterationPrint),
    VIRSH_CB(virshEventJobCompletedPrint),
    VIRSH_CB(virshEventDeviceRemovalFailedPrint),
    VIRSH_CB(virshEventMetadataChangePrint),
    VIRSH_CB(virshEventBlockThresholdPrint),
    VIRSH_CB(virshEventMemoryFailurePrint),
    VIRSH_CB(virshEventMemoryDeviceSizeChangePrint),
};

G_STATIC_ASSERT(G_N_ELEMENTS(virshDomainEventPrinters) == VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);

static const virshOptDef opts_event[] = {
    {.name = "domain", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "filter by domain name, id or uuid"},
    {.name = "event", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "which event type to wait for"},
    {.name = "all", .type = VIRSH_OT_BOOL, .help = "wait for all events instead of just one type"},
    {.name = "loop", .type = VIRSH_OT_BOOL,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = VIRSH_OT_INT, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "timeout seconds"},
    {.name = "list", .type = VIRSH_OT_BOOL, .help = "list valid event types"},
    {.name = "timestamp", .type = VIRSH_OT_BOOL, .help = "show timestamp for each printed event"},
    {.name = NULL}
};

static bool
cmdEvent(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    g_autofree virshDomEventData *data = NULL;
    const char *eventName = virshCmdOptString(cmd, "event");
    bool all = virshCmdOptBool(cmd, "all");
    int nkinds = virshDomainEventIDCount();
    int ndata = 0;
    int count = 0;
    int timeout = 0;
    bool ret = false;

    if (!virshOptExclusive(ctl, cmd, "all", "event") ||
        !virshOptExclusive(ctl, cmd, "list", "all") ||
        !virshOptExclusive(ctl, cmd, "list", "event"))
        return false;

    if (virshCmdOptBool(cmd, "list")) {
        for (int i = 0; i < nkinds; i++)
            virshPrint(ctl, "%s\n", virshDomainEventIDName(i));
        return true;
    }
    if (!eventName && !all) {
        virshError(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }

    data = g_new0(virshDomEventData, nkinds);
    for (int i = 0; i < nkinds; i++) {
        if (eventName && strcmp(eventName, virshDomainEventIDName(i)) != 0)
            continue;
        data[ndata] = (virshDomEventData) {
            .ctl = ctl,
            .loop = virshCmdOptBool(cmd, "loop"),
            .timestamp = virshCmdOptBool(cmd, "timestamp"),
            .count = &count,
            .name = virshDomainEventIDName(i),
            .id = -1,
        };
        ndata++;
    }
    if (ndata == 0) {
        virshError(ctl, "unknown event type %s", eventName);
        return false;
    }

    if (virshCommandOptTimeoutToMs(ctl, cmd, &timeout) < 0)
        return false;
    if (virshCmdOptBool(cmd, "domain") &&
        !(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;
    if (virshEventStart(ctl, timeout) < 0)
        return false;

    for (int i = 0; i < ndata; i++) {
        int kind = eventName ? -1 : i;

        if (kind < 0) {
            for (kind = 0; kind < nkinds; kind++) {
                if (strcmp(data[i].name, virshDomainEventIDName(kind)) == 0)
                    break;
            }
        }
        data[i].id = virConnectDomainEventRegisterAny(ctl->conn, dom, kind,
                                                      virshDomainEventPrinters[kind],
                                                      &data[i], NULL);
        if (data[i].id < 0) {
            /* with --all, a server that knows fewer kinds than virsh is fine
             * as long as the first registration worked */
            if (i == 0)
                goto cleanup;
            virshResetLibvirtError(ctl);
        }
    }

    switch (virshEventWait(ctl)) {
    case VIRSH_EVENT_INTERRUPT:
        virshPrint(ctl, "%s", "event loop interrupted\n");
        break;
    case VIRSH_EVENT_TIMEOUT:
        virshPrint(ctl, "%s", "event loop timed out\n");
        break;
    case VIRSH_EVENT_DONE:
        break;
    default:
        goto cleanup;
    }
    virshPrint(ctl, "events received: %d\n", count);
    ret = count > 0;

 cleanup:
    virshEventCleanup(ctl);
    for (int i = 0; i < ndata; i++) {
        if (data[i].id >= 0 && virConnectDomainEventDeregisterAny(ctl->conn, data[i].id) < 0)
            ret = false;
    }
    return ret;
}

const virshCmdDef virshDomainEventCmds[] = {
    {.name = "event", .handler = cmdEvent, .opts = opts_event,
     .help = "Domain Events", .desc = "List event types, or wait for domain events to occur"},
    {.name = NULL}
};
