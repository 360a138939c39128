/*
 * qemu_events: what QEMU tells the driver (QMP events, monitor EOF) and
 * what the driver tells clients (domain lifecycle and reboot events).
 *
 * Monitor callbacks run on the main loop, so they only look at the object
 * under its lock and either update its state on the spot (pause, resume,
 * reboot) or hand the work that needs the job and may wait on QEMU (stop
 * after a guest shutdown, crash handling, fake reboot) to the driver's
 * worker pool.  The driver sets the state it expects before it sends
 * stop/cont itself, so the STOP/RESUME events of its own commands produce
 * no second client event.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include <json-c/json.h>

#include "mv_error.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "qemu_driver_priv.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.events");

/* --- events to clients --------------------------------------------------- */

typedef struct {
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    int id;
    int event;
    int detail;
} qemuEvent;

static void
eventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque, void *opaque)
{
    qemuEvent *ev = opaque;
    virDomainPtr dom = mvGetDomain(conn, ev->name, ev->uuid, ev->id);

    if (eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
        ((virConnectDomainEventCallback)cb)(conn, dom, ev->event, ev->detail, cbopaque);
    else
        ((virConnectDomainEventGenericCallback)cb)(conn, dom, cbopaque);
    virDomainFree(dom);
}

static void
emit(const mvDomainDef *def, int eventID, int event, int detail)
{
    qemuEvent ev = { .name = def->name, .id = def->id, .event = event, .detail = detail };

    if (!qemu_driver || !qemu_driver->events)
        return;
    memcpy(ev.uuid, def->uuid, MV_UUID_BUFLEN);
    mvObjectEventStateEmit(qemu_driver->events, eventID, def->uuid, eventDispatch, &ev);
}

void
qemuEventLifecycle(const mvDomainDef *def, int event, int detail)
{
    emit(def, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
}

void
qemuEventReboot(const mvDomainDef *def)
{
    emit(def, VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0);
}

/* --- follow-ups in the worker pool --------------------------------------- */

typedef enum {
    TASK_EOF,                   /* monitor closed: QEMU exited or crashed */
    TASK_SHUTDOWN,              /* guest powered off: apply on_poweroff */
    TASK_REBOOT,                /* fake reboot: reset and continue */
    TASK_CRASH,                 /* guest panicked: apply on_crash */
} taskKind;

typedef struct {
    qemuDomObj *obj;            /* referenced */
    mvQemuMonitor *mon;         /* identity of the monitor the event came from */
    taskKind kind;
    bool rebootAsShutdown;
} qemuTask;

static void
queueTask(qemuDomObj *obj, mvQemuMonitor *mon, taskKind kind, bool rebootAsShutdown)
{
    qemuTask *task = g_new0(qemuTask, 1);

    task->obj = qemuDomObjRef(obj);
    task->mon = mon;
    task->kind = kind;
    task->rebootAsShutdown = rebootAsShutdown;
    g_thread_pool_push(qemu_driver->workers, task, NULL);
}

/* Resets and resumes the guest (locked, job held). */
static void
resetAndContinue(qemuDomObj *obj)
{
    mvQemuMonitor *mon = obj->mon;
    struct json_object *r;

    g_mutex_unlock(&obj->lock);
    r = mvQemuMonitorCommand(mon, "system_reset", NULL, 0);
    if (r) {
        json_object_put(r);
        r = mvQemuMonitorCommand(mon, "cont", NULL, 0);
    }
    g_mutex_lock(&obj->lock);
    if (r) {
        json_object_put(r);
        obj->state = VIR_DOMAIN_RUNNING;
        obj->reason = VIR_DOMAIN_RUNNING_BOOTED;
    } else {
        MV_WARN("cannot restart domain '%s': %s", obj->def->name, mvErrorGetLast()->message);
        mvErrorReset();
    }
}

void
qemuWorkerRun(gpointer data, gpointer unused)
{
    g_autofree qemuTask *task = data;
    g_autoptr(qemuDomObj) obj = task->obj;
    g_autoptr(mvDomainDef) ident = NULL;
    int action;
    int stoppedDetail = -1, stopReason = 0;
    int crashedEvent = -1;

    g_mutex_lock(&obj->lock);
    if (qemuDomObjBeginJob(obj) < 0) {
        mvErrorReset();
        g_mutex_unlock(&obj->lock);
        return;
    }
    /* stale: the domain was stopped (and maybe started again) meanwhile */
    if (!qemuDomObjIsActive(obj) || obj->mon != task->mon)
        goto done;

    switch (task->kind) {
    case TASK_EOF:
        ident = qemuDomainDefIdentity(obj->def);
        if (obj->state == VIR_DOMAIN_SHUTDOWN ||
            (obj->state == VIR_DOMAIN_PAUSED && obj->reason == VIR_DOMAIN_PAUSED_SHUTTING_DOWN)) {
            stopReason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
            stoppedDetail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
        } else {
            stopReason = VIR_DOMAIN_SHUTOFF_CRASHED;
            stoppedDetail = VIR_DOMAIN_EVENT_STOPPED_CRASHED;
        }
        qemuProcessStop(obj, stopReason, false);
        break;

    case TASK_SHUTDOWN:
        if (obj->fakeReboot) {
            obj->fakeReboot = false;
            resetAndContinue(obj);
            break;
        }
        /* a guest reboot that -no-reboot turned into a shutdown (on_reboot
         * destroy) stops the guest whatever on_poweroff says */
        action = task->rebootAsShutdown ? MV_DOMAIN_LIFECYCLE_DESTROY : obj->def->onPoweroff;
        if (action == MV_DOMAIN_LIFECYCLE_RESTART ||
            action == MV_DOMAIN_LIFECYCLE_RESTART_RENAME) {
            resetAndContinue(obj);
            break;
        }
        if (action == MV_DOMAIN_LIFECYCLE_PRESERVE)
            break;
        ident = qemuDomainDefIdentity(obj->def);
        stopReason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        stoppedDetail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
        qemuProcessStop(obj, stopReason, false);
        break;

    case TASK_REBOOT:
        resetAndContinue(obj);
        break;

    case TASK_CRASH:
        action = obj->def->onCrash;
        ident = qemuDomainDefIdentity(obj->def);
        crashedEvent = VIR_DOMAIN_EVENT_CRASHED_PANICKED;
        if (action == MV_DOMAIN_LIFECYCLE_RESTART ||
            action == MV_DOMAIN_LIFECYCLE_RESTART_RENAME ||
            action == MV_DOMAIN_LIFECYCLE_COREDUMP_RESTART) {
            resetAndContinue(obj);
        } else if (action == MV_DOMAIN_LIFECYCLE_PRESERVE) {
            obj->state = VIR_DOMAIN_CRASHED;
            obj->reason = VIR_DOMAIN_CRASHED_PANICKED;
            qemuProcessSaveStatus(obj);
        } else {
            stopReason = VIR_DOMAIN_SHUTOFF_CRASHED;
            stoppedDetail = VIR_DOMAIN_EVENT_STOPPED_CRASHED;
            qemuProcessStop(obj, stopReason, false);
        }
        break;
    }
    if (stoppedDetail >= 0)
        qemuDomainRemoveInactive(obj);

 done:
    qemuDomObjEndJob(obj);
    g_mutex_unlock(&obj->lock);
    if (ident && crashedEvent >= 0)
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_CRASHED, crashedEvent);
    if (ident && stoppedDetail >= 0) {
        ident->id = -1;
        qemuEventLifecycle(ident, VIR_DOMAIN_EVENT_STOPPED, stoppedDetail);
    }
}

/* --- monitor callbacks (main loop) --------------------------------------- */

static void
monitorEOF(mvQemuMonitor *mon, bool error, void *opaque)
{
    qemuDomObj *obj = opaque;

    if (!obj)
        return;
    g_mutex_lock(&obj->lock);
    obj->monEOF = true;
    if (!obj->stopping && obj->mon == mon) {
        MV_DEBUG("monitor of domain '%s' closed%s", obj->def->name,
                 error ? " with an error" : "");
        queueTask(obj, mon, TASK_EOF, false);
    }
    g_mutex_unlock(&obj->lock);
}

static const char *
jsonString(struct json_object *data, const char *key)
{
    struct json_object *v;

    if (data && json_object_object_get_ex(data, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static bool
jsonBool(struct json_object *data, const char *key)
{
    struct json_object *v;

    return data && json_object_object_get_ex(data, key, &v) && json_object_get_boolean(v);
}

static void
monitorEvent(mvQemuMonitor *mon, const char *name, struct json_object *data,
             gint64 seconds, unsigned int micros, void *opaque)
{
    qemuDomObj *obj = opaque;
    g_autoptr(mvDomainDef) ident = NULL;
    int event = -1, detail = 0;
    bool reboot = false;

    if (!obj)
        return;
    g_mutex_lock(&obj->lock);
    if (obj->mon != mon || !qemuDomObjIsActive(obj) || obj->stopping) {
        g_mutex_unlock(&obj->lock);
        return;
    }
    MV_DEBUG("domain '%s': QEMU event %s", obj->def->name, name);

    if (strcmp(name, "SHUTDOWN") == 0) {
        bool guest = jsonBool(data, "guest");
        const char *why = jsonString(data, "reason");
        bool guestReset = why && strcmp(why, "guest-reset") == 0;

        if (obj->fakeReboot) {
            queueTask(obj, mon, TASK_SHUTDOWN, false);
        } else {
            obj->state = VIR_DOMAIN_SHUTDOWN;
            obj->reason = VIR_DOMAIN_SHUTDOWN_USER;
            event = VIR_DOMAIN_EVENT_SHUTDOWN;
            detail = guest ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
            queueTask(obj, mon, TASK_SHUTDOWN,
                      guestReset && obj->def->onReboot == MV_DOMAIN_LIFECYCLE_DESTROY);
        }
    } else if (strcmp(name, "RESET") == 0) {
        reboot = true;
    } else if (strcmp(name, "STOP") == 0) {
        if (obj->state == VIR_DOMAIN_RUNNING) {
            obj->state = VIR_DOMAIN_PAUSED;
            obj->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
            event = VIR_DOMAIN_EVENT_SUSPENDED;
            detail = VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
            qemuProcessSaveStatus(obj);
        }
    } else if (strcmp(name, "RESUME") == 0) {
        if (obj->state == VIR_DOMAIN_PAUSED) {
            obj->state = VIR_DOMAIN_RUNNING;
            obj->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
            event = VIR_DOMAIN_EVENT_RESUMED;
            detail = VIR_DOMAIN_EVENT_RESUMED_UNPAUSED;
            qemuProcessSaveStatus(obj);
        }
    } else if (strcmp(name, "GUEST_PANICKED") == 0) {
        queueTask(obj, mon, TASK_CRASH, false);
    }
    if (event >= 0 || reboot)
        ident = qemuDomainDefIdentity(obj->def);
    g_mutex_unlock(&obj->lock);

    if (reboot)
        qemuEventReboot(ident);
    if (event >= 0)
        qemuEventLifecycle(ident, event, detail);
}

const mvQemuMonitorCallbacks qemuMonitorCallbacks = {
    .eofNotify = monitorEOF,
    .eventNotify = monitorEvent,
};
