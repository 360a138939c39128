/*
 * network_obj: the network driver's networks and their bookkeeping.
 *
 * A netObj is one network the driver knows: persistent (a config file in
 * <configDir>/qemu/networks), transient (active only), or both (active, with
 * a config that may differ from the live definition).  The list indexes
 * objects by UUID and by name.
 *
 * Locking follows the QEMU driver (qemu_domobj.h): the list lock guards the
 * indexes only; each object has a lock for its fields and a job that a
 * caller changing the object (start, destroy, define over it, update, port
 * create/delete) holds for the whole operation.  Order: list lock before
 * object lock; never wait for a job while holding the list lock.  The list
 * never takes an object lock (it only reads the fixed identity fields), so
 * an object may be removed while locked.
 *
 * Status: an active network's live state (definition, dnsmasq pid, whether
 * the bridge and firewall rules are ours, its ports) is kept in
 * <runDir>/network/NAME.xml, written atomically after every change, so a
 * restarted daemon re-adopts it (network_driver.c) without doing anything
 * twice.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "obj_job.h"
#include "network_conf.h"
#include "network_port.h"

typedef struct _netObj netObj;
struct _netObj {
    gint refs;
    GMutex lock;
    mvObjJob job;               /* a change is in progress */

    /* identity: set when created, never changed (a define over an object
     * keeps its name and UUID), so the list reads them without the lock */
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];

    mvNetworkDef *def;          /* the live definition while active, else the config */
    mvNetworkDef *newDef;       /* config while active when it differs, or NULL */
    bool persistent;
    bool autostart;
    bool active;
    bool removed;               /* no longer in the list */

    /* active only */
    bool bridgeCreated;         /* the bridge is ours (removed on destroy) */
    bool firewallAdded;         /* our nftables rules for it are installed */
    pid_t dnsmasqPid;           /* 0 when no dnsmasq runs for it */
    GPtrArray *ports;           /* of mvNetworkPortDef */
};

netObj *netObjRef(netObj *obj);
void netObjUnref(netObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netObj, netObjUnref);

/* Takes the job, waiting up to 60 s for another one to end.  Called with
 * the object locked; returns locked.  Returns 0, or -1 with
 * VIR_ERR_OPERATION_TIMEOUT. */
int netObjBeginJob(netObj *obj);
/* Ends the job; called locked. */
void netObjEndJob(netObj *obj);

/* The definition for inactive queries: newDef if any, else def. */
mvNetworkDef *netObjPersistentDef(netObj *obj);
/* The port with @uuid, or NULL. */
mvNetworkPortDef *netObjFindPort(netObj *obj, const unsigned char *uuid);

typedef struct _netObjList netObjList;
netObjList *netObjListNew(void);
void netObjListFree(netObjList *list);

/* Lookups return a reference (unlocked object) or NULL. */
netObj *netObjListFindByUUID(netObjList *list, const unsigned char *uuid);
netObj *netObjListFindByName(netObjList *list, const char *name);
/* Checks that @def may join or replace an entry: the same UUID must keep
 * its name and a name its UUID (libvirt's rules and messages).  Returns 0
 * or -1 with an error. */
int netObjListCheckConflict(netObjList *list, const mvNetworkDef *def);
/* Adds a new object for @def (ownership moves) after the conflict check;
 * returns it referenced, or NULL with an error (def freed). */
netObj *netObjListAdd(netObjList *list, mvNetworkDef *def);
/* Adds an object built elsewhere (a status file's) the same way; returns
 * it with a new reference, or NULL with an error (@obj untouched). */
netObj *netObjListAddObj(netObjList *list, netObj *obj);
void netObjListRemove(netObjList *list, netObj *obj);
/* All objects, referenced (free with g_ptr_array_unref), sorted by name. */
GPtrArray *netObjListAll(netObjList *list);

/* Copies a definition (through its XML; live data included). */
mvNetworkDef *netDefCopy(const mvNetworkDef *def);

/* Status files. */
/* Writes @obj's status to @path (object locked). */
int netObjSaveStatus(netObj *obj, const char *path);
/* Reads a status file: the live definition and the live fields into a new,
 * unlisted object (refs 1, active).  Returns NULL with an error. */
netObj *netObjLoadStatus(const char *path);
