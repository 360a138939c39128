/*
 * qemu_domobj: the QEMU driver's domains and their bookkeeping.
 *
 * A qemuDomObj is one domain the driver knows: persistent (a config file in
 * <configDir>/qemu), transient (running only), or both at once (running
 * with a next-boot definition).  The list indexes objects by UUID and by
 * name; the id of a running domain is found by a scan (ids are few).
 *
 * Locking: the list lock guards the two indexes only.  Each object has its
 * own lock for its fields and a job: a caller that changes the object
 * (start, stop, define over it, suspend, ...) holds the job for the whole
 * operation, dropping the object lock while it waits on QEMU; readers take
 * only the lock, so get-info and list never wait behind a slow start.
 * The list never takes an object's lock (it reads the fixed name, UUID and
 * the atomic activeID), so an object's holder may call into the list.
 *
 * Files: the persistent definition is <configDir>/qemu/NAME.xml, autostart
 * a symlink <configDir>/qemu/autostart/NAME.xml to it, and a running
 * domain's status (pid, monitor path, state, live XML) is
 * <runDir>/qemu/NAME.xml, always written atomically.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "obj_job.h"
#include "domain_conf.h"
#include "qemu_caps.h"
#include "qemu_monitor.h"

typedef struct _qemuDomObj qemuDomObj;
struct _qemuDomObj {
    gint refs;
    /* fixed for the object's life (a domain is never renamed): the list
     * reads them without taking the object's lock */
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    gint activeID;              /* the id while running, else -1 (atomic) */
    GMutex lock;
    mvObjJob job;               /* a change is in progress */

    mvDomainDef *def;           /* the live definition while running, else the config */
    mvDomainDef *newDef;        /* next-boot config while running, or NULL */
    bool persistent;
    bool autostart;
    bool removed;               /* no longer in the list */

    int state;                  /* virDomainState */
    int reason;

    /* running only */
    pid_t pid;
    int pidfd;                  /* pidfd of QEMU (waits without reaping), -1 if none */
    mvQemuMonitor *mon;
    mvQemuCaps *caps;
    char *monPath;
    char *domRunDir;            /* <runDir>/qemu/domain-ID-NAME */
    char *logPath;              /* QEMU's log file */
    char *domLibDir;            /* <stateDir>/qemu/domain-ID-NAME (QEMU's HOME) */
    GArray *vcpuTids;           /* pid_t per vCPU, from QEMU */
    bool autodestroy;
    void *autodestroyConn;      /* virConnectPtr (not referenced) */
    bool fakeReboot;            /* ACPI reboot in progress: reset instead of stopping */
    bool stopping;              /* the driver is stopping QEMU: EOF expected */
    bool monEOF;                /* the monitor reported EOF */
    guint childWatch;           /* glib child watch of our own QEMU, 0 if adopted */
};

qemuDomObj *qemuDomObjRef(qemuDomObj *obj);
void qemuDomObjUnref(qemuDomObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuDomObj, qemuDomObjUnref);

/* Takes the job, waiting up to 60 s for another one to end.  Called with
 * the object locked; returns locked.  Returns 0, or -1 with
 * VIR_ERR_OPERATION_TIMEOUT. */
int qemuDomObjBeginJob(qemuDomObj *obj);
/* Ends the job; called locked. */
void qemuDomObjEndJob(qemuDomObj *obj);

bool qemuDomObjIsActive(const qemuDomObj *obj);
/* Records that @obj runs with @id (-1: stopped); called locked where def->id changes. */
void qemuDomObjSetActiveID(qemuDomObj *obj, int id);
/* The definition for inactive queries: newDef if any, else def. */
mvDomainDef *qemuDomObjPersistentDef(qemuDomObj *obj);

typedef struct _qemuDomList qemuDomList;
qemuDomList *qemuDomListNew(void);
void qemuDomListFree(qemuDomList *list);

/* Lookups return a reference (unlocked object) or NULL. */
qemuDomObj *qemuDomListFindByUUID(qemuDomList *list, const unsigned char *uuid);
qemuDomObj *qemuDomListFindByName(qemuDomList *list, const char *name);
qemuDomObj *qemuDomListFindByID(qemuDomList *list, int id);
/* Adds a new object for @def (ownership moves) after checking that no
 * other object has its name or UUID; returns it referenced, or NULL with
 * VIR_ERR_OPERATION_FAILED ("domain 'X' already exists with uuid Y"). */
qemuDomObj *qemuDomListAdd(qemuDomList *list, mvDomainDef *def);
/* Checks that @def may replace or join the list: same name must mean the
 * same UUID and vice versa.  Returns 0, or -1 with the error libvirt gives. */
int qemuDomListCheckConflict(qemuDomList *list, const mvDomainDef *def);
void qemuDomListRemove(qemuDomList *list, qemuDomObj *obj);
/* All objects, referenced (free with g_ptr_array_unref). */
GPtrArray *qemuDomListAll(qemuDomList *list);
guint qemuDomListCount(qemuDomList *list);

/* Copies a definition (live data included). */
mvDomainDef *qemuDomainDefCopy(const mvDomainDef *def);
/* Name, UUID and id of @def only: what an event needs. */
mvDomainDef *qemuDomainDefIdentity(const mvDomainDef *def);
