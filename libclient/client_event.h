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
