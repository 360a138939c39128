/*
 * client_remote_priv: what the files of the remote driver share
 * (client_remote.c: connection, host and secret calls, event plumbing;
 * client_remote_domain.c: domain and node calls, domain events;
 * client_remote_network.c: network and port calls, network events).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "client_internal.h"
#include "client_event.h"
#include "rpc_client.h"
#include "rpc_message.h"

#define REMOTE_XDR(fn) ((xdrproc_t)(void (*)(void))(fn))
#define REMOTE_FREE(fn, ptr) xdr_free(REMOTE_XDR(fn), (char *)(ptr))

typedef struct {
    GMutex lock;
    virConnectPtr conn;            /* back pointer, no reference */
    rpcClient *client;
    char *type;                    /* cached CONNECT_GET_TYPE answer */
    bool keepaliveSupported;
    bool eventCallbackSupported;
    bool closeCallbackSupported;
    mvObjectEventState *secretEvents;
    mvObjectEventState *domainEvents;
    mvObjectEventState *networkEvents;
} remotePriv;

static inline remotePriv *
remoteGetPriv(virConnectPtr conn)
{
    return conn->privateData;
}

/* The domain table of the remote driver (client_remote_domain.c). */
extern const mvDomainDriver mvRemoteDomainDriver;

/* Whether @proc is a domain event MESSAGE this driver understands. */
bool remoteIsDomainEventProc(int proc);
/* Decodes a domain event MESSAGE (reader thread) and queues its delivery
 * on @ctx.  Errors are logged and dropped. */
void remoteHandleDomainEvent(remotePriv *priv, rpcMessage *msg, GMainContext *ctx);

/* The network table of the remote driver (client_remote_network.c). */
extern const mvNetworkDriver mvRemoteNetworkDriver;

/* Whether @proc is a network event MESSAGE this driver understands. */
bool remoteIsNetworkEventProc(int proc);
/* Decodes a network event MESSAGE (reader thread) and queues its delivery
 * on @ctx.  Errors are logged and dropped. */
void remoteHandleNetworkEvent(remotePriv *priv, rpcMessage *msg, GMainContext *ctx);
