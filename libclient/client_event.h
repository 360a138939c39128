/*
 * client_event: a registry of event callbacks for one kind of object
 * (secrets, and later networks, pools, devices, domains).
 *
 * A driver owns one registry.  Clients register (connection, event id,
 * optional object filter by UUID, callback); the registry hands out ids
 * unique within it.  When something happens the driver calls
 * mvObjectEventStateEmit() *after* dropping its own locks: the registry
 * calls the given dispatch function once per matching registration, with no
 * registry lock held, so a callback may itself call the API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

/* GCallback belongs to GObject, which libclient does not link; the same
 * typedef (C11 allows repeating it identically) keeps this header usable
 * with or without <glib-object.h>. */
typedef void (*GCallback)(void);
#ifndef G_CALLBACK
# define G_CALLBACK(f) ((GCallback)(void (*)(void))(f))
#endif

typedef struct _mvObjectEventState mvObjectEventState;

/* Called per matching registration; @event is what the driver passed to
 * Emit; @cb is the callback as registered. */
typedef void (*mvObjectEventDispatchFunc)(virConnectPtr conn, int eventID,
                                          GCallback cb, void *cbopaque,
                                          void *event);

mvObjectEventState *mvObjectEventStateNew(void);
void mvObjectEventStateFree(mvObjectEventState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvObjectEventState, mvObjectEventStateFree);

/* Returns the new callback id (>= 0), or -1 with an error reported
 * (VIR_ERR_INVALID_ARG for an event id >= @neventIDs). */
int mvObjectEventStateRegister(mvObjectEventState *state, virConnectPtr conn,
                               int eventID, int neventIDs,
                               const unsigned char *uuidFilter,
                               GCallback cb, void *opaque, virFreeCallback freecb);
/* Returns 0, or -1 with VIR_ERR_INVALID_ARG when @callbackID is not one of
 * @conn's registrations. */
int mvObjectEventStateDeregister(mvObjectEventState *state, virConnectPtr conn,
                                 int callbackID);
/* Drops every registration of @conn (on close). */
void mvObjectEventStateDeregisterConn(mvObjectEventState *state, virConnectPtr conn);
/* Delivers an event about the object with @uuid. */
void mvObjectEventStateEmit(mvObjectEventState *state, int eventID,
                            const unsigned char *uuid,
                            mvObjectEventDispatchFunc dispatch, void *event);

/* For the remote driver, which registers once with the daemon per
 * (event id, filter) and fans the daemon's events out locally.  A
 * registration carries the daemon's callback id (-1 until set). */

/* The daemon's callback id already serving (@conn, @eventID, @uuidFilter)
 * registrations, or -1 when there is none. */
int mvObjectEventStateFindRemoteID(mvObjectEventState *state, virConnectPtr conn,
                                   int eventID, const unsigned char *uuidFilter);
/* Records @remoteID on registration @callbackID. */
void mvObjectEventStateSetRemoteID(mvObjectEventState *state, int callbackID,
                                   int remoteID);
/* The daemon's id of registration @callbackID of @conn (-1 when unknown) and,
 * in *@shared, how many registrations use that id (itself included). */
int mvObjectEventStateGetRemoteID(mvObjectEventState *state, virConnectPtr conn,
                                  int callbackID, int *shared);
/* Delivers an event that arrived for the daemon's id @remoteID to the local
 * registrations bound to it. */
void mvObjectEventStateEmitRemote(mvObjectEventState *state, int remoteID,
                                  mvObjectEventDispatchFunc dispatch, void *event);
/* Number of registrations (for tests and idle checks). */
size_t mvObjectEventStateCount(mvObjectEventState *state);
