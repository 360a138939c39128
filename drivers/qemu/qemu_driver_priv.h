/*
 * qemu_driver_priv: the QEMU driver's state, shared by its source files
 * (qemu_driver.c: the API tables; qemu_process.c: QEMU processes;
 * qemu_events.c: monitor events and domain events to clients).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "client_driver.h"
#include "client_event.h"
#include "qemu_capabilities.h"
#include "qemu_domobj.h"

typedef struct {
    bool privileged;
    char *uri;                  /* qemu:///system or qemu:///session */
    char *configDir;            /* <configDir>/qemu: persistent definitions */
    char *autostartDir;         /* <configDir>/qemu/autostart */
    char *stateDir;             /* <stateDir>/qemu: per-domain state (nvram, ...) */
    char *runDir;               /* <runDir>/qemu: status files, monitor sockets */
    char *logDir;               /* QEMU's per-domain logs */
    char *cacheDir;             /* <cacheDir>/qemu */
    char *secretURI;            /* secret:///system, or secret:///session?socket=... */
    char *networkURI;           /* network:///system, or network:///session?socket=... */
    char **restrictedDirs;      /* qemu.conf restricted_allowed_dirs */

    qemuDomList *domains;
    mvQemuCapsCache *capsCache;
    mvObjectEventState *events;
    GMutex idLock;
    int nextID;
    gint nactive;               /* running domains (idle inhibition) */
    GThreadPool *workers;       /* monitor EOF / shutdown follow-ups off the main loop */
} qemuDriver;

extern qemuDriver *qemu_driver;

/* --- qemu_process.c --- */
typedef enum {
    QEMU_START_PAUSED = 1 << 0,
    QEMU_START_AUTODESTROY = 1 << 1,
} qemuStartFlags;

/* Starts @obj (locked, job held).  On failure nothing is left behind (no
 * process, socket or status file) and the error quotes QEMU's log. */
int qemuProcessStart(qemuDomObj *obj, virConnectPtr conn, unsigned int flags,
                     int startedDetail);
/* Stops @obj (locked, job held): kills QEMU (SIGTERM, then SIGKILL after a
 * grace period, or at once unless @graceful), removes the run files and
 * sets the shut-off state with @reason.  Returns 0, or -1 if QEMU would
 * not die (graceful only). */
int qemuProcessStop(qemuDomObj *obj, int reason, bool graceful);
/* Writes @obj's status file (locked). */
int qemuProcessSaveStatus(qemuDomObj *obj);
/* Reconnects to a domain found in a status file at start-up. */
void qemuProcessReconnectAll(void);
/* cpu time of the process in ns (0 if unknown). */
unsigned long long qemuProcessCPUTime(pid_t pid, pid_t tid);

/* --- qemu_events.c --- */
/* Delivers a lifecycle event for @def to registered clients (call with no
 * locks held). */
void qemuEventLifecycle(const mvDomainDef *def, int event, int detail);
void qemuEventReboot(const mvDomainDef *def);
/* Runs one follow-up task of the worker pool (monitor EOF, guest shutdown,
 * crash, fake reboot). */
void qemuWorkerRun(gpointer data, gpointer unused);
/* Monitor callbacks used by qemu_process.c. */
extern const mvQemuMonitorCallbacks qemuMonitorCallbacks;
/* Applies a shut-off (after transient removal etc.): when @obj is transient
 * and no longer active, removes it from the list.  Called locked. */
void qemuDomainRemoveInactive(qemuDomObj *obj);
/* Writes / removes the persistent config. */
int qemuDomainSaveConfig(const mvDomainDef *def);
int qemuDomainDeleteConfig(const char *name);
