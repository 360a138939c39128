/*
 * client_event: the registry of object event callbacks (client_event.h).
 *
 * Registrations live in an array guarded by the registry's mutex.  Each is
 * reference counted: the array holds one reference, and an emission in
 * progress holds one per registration it is about to call.  Emit collects
 * the matching registrations under the lock, then calls the dispatch
 * function for each with no lock held, skipping any that was deregistered
 * meanwhile, so a callback may register, deregister (itself too) or call
 * the API.  The application's freecb runs when the last reference goes:
 * at once on deregistration, or after the emission that is using it.
 *
 * Registrations do not keep their connection alive (the connection drops
 * them on close); an emission takes a connection reference for the time of
 * the call, and only when the connection is still referenced.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "client_event.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_EVENT

typedef struct {
    gint refs;
    int id;
    virConnectPtr conn;
    int eventID;
    bool hasFilter;
    unsigned char uuid[VIR_UUID_BUFLEN];
    GCallback cb;
    void *opaque;
    virFreeCallback freecb;
    int remoteID;
    bool deleted;                 /* guarded by the registry lock */
} clientEventCallback;

struct _mvObjectEventState {
    GMutex lock;
    GPtrArray *callbacks;         /* clientEventCallback *, holds one ref each */
    int nextID;
};

static void
clientEventCallbackUnref(clientEventCallback *cb)
{
    if (!cb || g_atomic_int_add(&cb->refs, -1) != 1)
        return;
    if (cb->freecb)
        cb->freecb(cb->opaque);
    g_free(cb);
}

mvObjectEventState *
mvObjectEventStateNew(void)
{
    mvObjectEventState *state = g_new0(mvObjectEventState, 1);

    g_mutex_init(&state->lock);
    state->callbacks = g_ptr_array_new();
    return state;
}

void
mvObjectEventStateFree(mvObjectEventState *state)
{
    size_t i;

    if (!state)
        return;
    for (i = 0; i < state->callbacks->len; i++) {
        clientEventCallback *cb = g_ptr_array_index(state->callbacks, i);
        cb->deleted = true;
        clientEventCallbackUnref(cb);
    }
    g_ptr_array_free(state->callbacks, TRUE);
    g_mutex_clear(&state->lock);
    g_free(state);
}

int
mvObjectEventStateRegister(mvObjectEventState *state, virConnectPtr conn,
                           int eventID, int neventIDs,
                           const unsigned char *uuidFilter,
                           GCallback cb, void *opaque, virFreeCallback freecb)
{
    clientEventCallback *ent;
    g_autoptr(GMutexLocker) locker = NULL;

    if (eventID < 0 || eventID >= neventIDs) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d", eventID);
        return -1;
    }
    if (!cb) {
        mvReportError(VIR_ERR_INVALID_ARG, "event callback must not be NULL");
        return -1;
    }

    locker = g_mutex_locker_new(&state->lock);
    ent = g_new0(clientEventCallback, 1);
    ent->refs = 1;
    ent->id = state->nextID++;
    ent->conn = conn;
    ent->eventID = eventID;
    if (uuidFilter) {
        ent->hasFilter = true;
        memcpy(ent->uuid, uuidFilter, VIR_UUID_BUFLEN);
    }
    ent->cb = cb;
    ent->opaque = opaque;
    ent->freecb = freecb;
    ent->remoteID = -1;
    g_ptr_array_add(state->callbacks, ent);
    return ent->id;
}

/* Index of @callbackID of @conn, or -1.  Lock held. */
static int
clientEventFind(mvObjectEventState *state, virConnectPtr conn, int callbackID)
{
    size_t i;

    for (i = 0; i < state->callbacks->len; i++) {
        clientEventCallback *ent = g_ptr_array_index(state->callbacks, i);
        if (ent->id == callbackID && (!conn || ent->conn == conn))
            return (int)i;
    }
    return -1;
}

int
mvObjectEventStateDeregister(mvObjectEventState *state, virConnectPtr conn,
                             int callbackID)
{
    clientEventCallback *ent;
    int idx;

    g_mutex_lock(&state->lock);
    idx = clientEventFind(state, conn, callbackID);
    if (idx < 0) {
        g_mutex_unlock(&state->lock);
        mvReportError(VIR_ERR_INVALID_ARG, "could not find event callback %d for deletion",
                      callbackID);
        return -1;
    }
    ent = g_ptr_array_remove_index(state->callbacks, idx);
    ent->deleted = true;
    g_mutex_unlock(&state->lock);
    clientEventCallbackUnref(ent);
    return 0;
}

void
mvObjectEventStateDeregisterConn(mvObjectEventState *state, virConnectPtr conn)
{
    g_autoptr(GPtrArray) removed = g_ptr_array_new();
    size_t i = 0;

    g_mutex_lock(&state->lock);
    while (i < state->callbacks->len) {
        clientEventCallback *ent = g_ptr_array_index(state->callbacks, i);
        if (ent->conn == conn) {
            ent->deleted = true;
            g_ptr_array_add(removed, g_ptr_array_remove_index(state->callbacks, i));
        } else {
            i++;
        }
    }
    g_mutex_unlock(&state->lock);
    for (i = 0; i < removed->len; i++)
        clientEventCallbackUnref(g_ptr_array_index(removed, i));
}

static void
clientEventEmitMatching(mvObjectEventState *state, bool byRemote, int remoteID,
                        int eventID, const unsigned char *uuid,
                        mvObjectEventDispatchFunc dispatch, void *event)
{
    g_autoptr(GPtrArray) todo = g_ptr_array_new();
    size_t i;

    g_mutex_lock(&state->lock);
    for (i = 0; i < state->callbacks->len; i++) {
        clientEventCallback *ent = g_ptr_array_index(state->callbacks, i);

        if (byRemote) {
            if (ent->remoteID != remoteID)
                continue;
        } else {
            if (ent->eventID != eventID)
                continue;
            if (ent->hasFilter && (!uuid || memcmp(ent->uuid, uuid, VIR_UUID_BUFLEN) != 0))
                continue;
        }
        if (!mvConnectTryRef(ent->conn))
            continue;
        g_atomic_int_inc(&ent->refs);
        g_ptr_array_add(todo, ent);
    }
    g_mutex_unlock(&state->lock);

    for (i = 0; i < todo->len; i++) {
        clientEventCallback *ent = g_ptr_array_index(todo, i);
        bool deleted;

        g_mutex_lock(&state->lock);
        deleted = ent->deleted;
        g_mutex_unlock(&state->lock);
        if (!deleted)
            dispatch(ent->conn, ent->eventID, ent->cb, ent->opaque, event);
        mvConnectUnref(ent->conn);
        clientEventCallbackUnref(ent);
    }
}

void
mvObjectEventStateEmit(mvObjectEventState *state, int eventID,
                       const unsigned char *uuid,
                       mvObjectEventDispatchFunc dispatch, void *event)
{
    clientEventEmitMatching(state, false, -1, eventID, uuid, dispatch, event);
}

void
mvObjectEventStateEmitRemote(mvObjectEventState *state, int remoteID,
                             mvObjectEventDispatchFunc dispatch, void *event)
{
    if (remoteID < 0)
        return;
    clientEventEmitMatching(state, true, remoteID, -1, NULL, dispatch, event);
}

int
mvObjectEventStateFindRemoteID(mvObjectEventState *state, virConnectPtr conn,
                               int eventID, const unsigned char *uuidFilter)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    size_t i;

    for (i = 0; i < state->callbacks->len; i++) {
        clientEventCallback *ent = g_ptr_array_index(state->callbacks, i);

        if (ent->conn != conn || ent->eventID != eventID || ent->remoteID < 0)
            continue;
        if (ent->hasFilter != (uuidFilter != NULL))
            continue;
        if (uuidFilter && memcmp(ent->uuid, uuidFilter, VIR_UUID_BUFLEN) != 0)
            continue;
        return ent->remoteID;
    }
    return -1;
}

void
mvObjectEventStateSetRemoteID(mvObjectEventState *state, int callbackID, int remoteID)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    int idx = clientEventFind(state, NULL, callbackID);

    if (idx >= 0) {
        clientEventCallback *ent = g_ptr_array_index(state->callbacks, idx);
        ent->remoteID = remoteID;
    }
}

int
mvObjectEventStateGetRemoteID(mvObjectEventState *state, virConnectPtr conn,
                              int callbackID, int *shared)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    int idx = clientEventFind(state, conn, callbackID);
    clientEventCallback *ent;
    int count = 0;
    size_t i;

    if (idx < 0) {
        if (shared)
            *shared = 0;
        return -1;
    }
    ent = g_ptr_array_index(state->callbacks, idx);
    if (ent->remoteID >= 0) {
        for (i = 0; i < state->callbacks->len; i++) {
            clientEventCallback *other = g_ptr_array_index(state->callbacks, i);
            if (other->conn == ent->conn && other->remoteID == ent->remoteID)
                count++;
        }
    }
    if (shared)
        *shared = count;
    return ent->remoteID;
}

size_t
mvObjectEventStateCount(mvObjectEventState *state)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    return state->callbacks->len;
}
